//! MTM003 `cleartext-sensitive-data`: patient data, secrets or configuration cross a trust boundary unencrypted.

use crate::context::{DirectedFlow, RuleContext, SECRET_KINDS, is_local_only};
use crate::rule::{Docs, Family, Hits, Rule, Stride, Template};
use medtm_model::model::ElementId;
use medtm_model::vocab::{ActorRole, Authn, Encryption, Medium};

pub static RULE: Rule = Rule {
    code: "MTM003",
    name: "cleartext-sensitive-data",
    title: "Sensitive data crosses a trust boundary unencrypted",
    stride: &[Stride::InformationDisclosure],
    cwe: &[319, 311],
    capec: &[157, 158],
    attack_techniques: &[],
    family: Family::Link,
    when_named: &[],
    template: Template::READS_TRAFFIC,
    docs: Docs {
        detects: "A flow whose two ends sit in different trust boundaries (their innermost \
                  boundaries differ), with `encryption: none` (stated, unknown or left out), that \
                  carries phi, pii, credential, crypto_key or config assets. Flows only through a \
                  device's own user interface or between processes inside one device (`ui`, `ipc`) \
                  are left out. So are DICOM, HL7 v2, SMB, Telnet and HTTP flows where \
                  `cleartext-clinical-protocol` reports them (on a hospital network, or in a \
                  hospital system); elsewhere, such as over the internet, this rule reports them. \
                  A patient handing in removable media in person (an actor with `role: patient` \
                  sending over `removable_media`) is left out: nothing is on a wire to read, and \
                  the data is the patient's own. On the response leg of a `<->` flow whose \
                  request needs no or implicit authentication, the server sends the data to \
                  whoever asks: the finding is scored from where the request comes from, with \
                  no position in the middle.",
        why: "Whoever can listen on the path between the zones reads the data: patient records in \
              bulk, passwords and keys that open the devices, drug libraries and settings that \
              show how to cause harm. A leaked credential or key turns an eavesdropper into an \
              attacker who can command the device.",
        mitigate: "Encrypt the flow end to end (`encryption: tls1_3` or `message`) with keys unique \
                   to each device, and keep secrets off the wire where possible. Once done, state \
                   the encryption on the flow; a compensating measure (a dedicated encrypted tunnel, \
                   a physically protected cable) is a control with `category: cryptography` \
                   covering the flow.",
        example: "flow pump -> pump_server {\n  medium: wifi\n  carries: [patient_data]\n  encryption: none\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for flow in cx.directed_flows() {
        if flow.encryption().value != Encryption::None
            || is_local_only(flow.flow)
            || !cx.model.crosses_boundary(flow.id)
        {
            continue;
        }
        // `cleartext-clinical-protocol` reports these, for disclosure and tampering both.
        if cx.cleartext_clinical_protocol(&flow).is_some() {
            continue;
        }
        if handed_over_by_the_patient(cx, &flow) {
            continue;
        }
        let secrets = cx.of_kinds(flow.carries(), SECRET_KINDS);
        if secrets.is_empty() {
            continue;
        }
        let zone = |end: ElementId| cx.element(end).boundary.map(|boundary| &cx.model.boundary(boundary).meta.id);
        let path = match (zone(flow.from), zone(flow.to)) {
            (Some(from), Some(to)) => format!("from `{from}` to `{to}`"),
            (None, Some(to)) => format!("into `{to}`"),
            (Some(from), None) => format!("out of `{from}`"),
            (None, None) => continue,
        };
        // A response to a request anyone may send is read by asking for it: the attacker
        // stands where the request comes from, and needs no position in the middle.
        let asked_by_anyone = cx.unauthenticated_request(&flow);
        let whoever_asks = asked_by_anyone.as_ref().map_or(String::new(), |request| {
            let needs =
                if request.authn().value == Authn::Implicit { "only implicit trust" } else { "no authentication" };
            let server = &cx.element(request.to).meta.id;
            format!(", and `{server}` sends it to whoever asks, since the request needs {needs}")
        });
        let explanation = format!(
            "{} carries {} {path} over {} without encryption{whoever_asks}",
            cx.describe_flow(&flow),
            cx.describe_assets(&secrets),
            cx.describe_media(&flow),
        );
        let mut hit = cx.flow_hit(&flow, secrets, explanation);
        if let Some(request) = asked_by_anyone {
            hit.exposure = cx.flow_exposure(&request);
            hit = hit.resting_on([request.authn_fact()]);
        }
        hits.push(hit.resting_on([flow.fact("encryption", flow.encryption())]));
    }
}

/// Whether the flow is a patient handing in media in person: their own data, from their own
/// hands, on no wire anyone can listen to.
fn handed_over_by_the_patient(cx: &RuleContext<'_>, flow: &DirectedFlow<'_>) -> bool {
    let by_patient = cx.element(flow.from).as_actor().is_some_and(|actor| actor.role.value == ActorRole::Patient);
    by_patient && flow.media().iter().all(|medium| *medium == Medium::RemovableMedia)
}
