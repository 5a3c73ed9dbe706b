//! MTM013 `malformed-input-to-safety-function`: external data reaches the parser of a component
//! that acts on the patient.

use crate::context::{DirectedFlow, RuleContext, is_network, is_wireless, most_exposed_first};
use crate::rule::{Docs, Family, Hit, Hits, Rule, Stride, Template};
use medtm_model::model::Subject;
use medtm_model::vocab::{ControlCategory, Medium, Protocol, Vocabulary as _};

pub static RULE: Rule = Rule {
    code: "MTM013",
    name: "malformed-input-to-safety-function",
    title: "Malformed input reaches the parser of a safety component",
    stride: &[Stride::DenialOfService, Stride::ElevationOfPrivilege],
    cwe: &[20, 787],
    capec: &[28, 100],
    attack_techniques: &[],
    family: Family::Takeover,
    when_named: &[(
        ControlCategory::Integrity,
        "an integrity control that names no rule is taken for signed code, not for input validation or fuzzing",
    )],
    // The finding is that a parser faces outside input, not that it has a known flaw: that a
    // flaw is there to exploit is a condition of the attack, which the model cannot settle.
    template: Template::POTENTIAL_FLAW,
    docs: Docs {
        detects: "A component with a safety function (therapy delivery, diagnosis, monitoring, alarm, \
                  imaging) that receives a flow from another boundary, or over a wireless or network \
                  medium, in a protocol whose parser faces outside data: Bluetooth, DICOM, HL7, \
                  FHIR, HTTP(S), MQTT, a proprietary protocol, or none stated over a network or a \
                  radio (whatever arrives over the air is parsed by the receiver's radio stack). \
                  One finding per component, naming the riskiest entry.",
        why: "Parsers of complex or home-grown protocols are where memory-safety bugs live. A \
              malformed packet crashes the device, stopping therapy or monitoring, or runs the \
              attacker's code in it, before any authentication is checked if the parser comes first.",
        mitigate: "Validate input strictly before acting on it, write parsers in memory-safe \
                   languages or fuzz them (and keep the fuzzing as verification evidence), isolate \
                   parsing from the therapy function, and fail safe. Record failing safe as a control \
                   with `category: resiliency` covering the component, and input validation or \
                   fuzzing as one with `category: integrity` and `mitigates: \
                   [malformed-input-to-safety-function]`, the fuzzing campaign in `verified_by`.",
        example: "component pump {\n  kind: bedside\n  functions: [therapy_delivery]\n}\nflow pump_server -> pump {\n  medium: wifi\n  protocol: proprietary\n}",
    },
    check,
};

const PARSED: &[Protocol] = &[
    Protocol::Dicom,
    Protocol::DicomTls,
    Protocol::Hl7v2Mllp,
    Protocol::Fhir,
    Protocol::Http,
    Protocol::Https,
    Protocol::Mqtt,
    Protocol::Proprietary,
];

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (id, _, component) in cx.components() {
        if !component.has_safety_function() {
            continue;
        }
        let exposed: Vec<DirectedFlow<'_>> = cx
            .arriving(id)
            .filter(|flow| {
                let media = flow.media();
                let outside = cx.element(flow.from).boundary != cx.element(id).boundary
                    || media.iter().any(|medium| is_wireless(*medium) || is_network(*medium));
                let bluetooth =
                    media.iter().any(|medium| matches!(medium, Medium::Ble | Medium::BleLesc | Medium::BtClassic));
                let parsed = bluetooth
                    || flow.protocols().iter().any(|protocol| PARSED.contains(protocol))
                    || (flow.protocols().is_empty()
                        && media.iter().any(|medium| is_network(*medium) || is_wireless(*medium)));
                outside && parsed
            })
            .collect();
        // The most exposed entry: the most remote medium, then the weakest authentication, then
        // the flow's id (never the order of declaration).
        let Some(flow) = exposed.iter().copied().min_by(most_exposed_first) else { continue };
        let protocols = flow.protocols();
        let protocol = protocols
            .iter()
            .find(|protocol| PARSED.contains(protocol))
            .or(protocols.first())
            .map_or_else(|| cx.describe_media(&flow), |protocol| protocol.as_str().to_owned());
        let functions: Vec<&str> =
            component.functions.value.iter().filter(|f| f.is_safety()).map(|f| f.as_str()).collect();
        let explanation = format!(
            "{} ({}) parses {protocol} input arriving over {}",
            cx.describe_element(id),
            functions.join(", "),
            cx.describe_flow(&flow),
        );
        let exposure = cx.exposure_through(exposed.iter().map(DirectedFlow::edge));
        let facts = [flow.fact("protocol", &flow.flow.protocols)];
        hits.push(Hit::new(Subject::Element(id), cx.component_assets(id), explanation, exposure).resting_on(facts));
    }
}
