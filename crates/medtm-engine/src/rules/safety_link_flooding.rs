//! MTM014 `safety-link-flooding`: a safety function depends on a link anyone nearby or on the
//! network can flood or jam.

use crate::context::{RuleContext, is_network, is_wireless};
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_cvss::AttackRequirements;
use medtm_model::model::Subject;
use medtm_model::vocab::{AssetKind, ControlCategory};

pub static RULE: Rule = Rule {
    code: "MTM014",
    name: "safety-link-flooding",
    title: "Flooding or jamming a link stops a safety function",
    stride: &[Stride::DenialOfService],
    cwe: &[400, 770],
    capec: &[125, 601, 604],
    attack_techniques: &[],
    categories: &[ControlCategory::Resiliency],
    // Denying a function takes sustained presence in range or on the network for as long as
    // the function is needed: a condition of the deployment, not a single packet.
    template: Template { attack_requirements: AttackRequirements::Present, ..Template::FROM_MODEL },
    docs: Docs {
        detects: "A flow over a wireless or network medium that carries therapy, monitoring, alarm \
                  or diagnostic assets into a component with a safety function, or carries an alarm \
                  to a person (an actor).",
        why: "Radio can be jammed and networks flooded without breaking any cryptography. When the \
              only path for an alarm, a reading or a therapy command is such a link, an attacker \
              nearby or on the network silences the alarm or stops the therapy, and the patient \
              is not watched while everyone believes they are.",
        mitigate: "Detect loss of the link quickly and alarm locally, fall back to a safe state or a \
                   second path, rate-limit and prioritise safety traffic, and tell the hospital \
                   what the device needs from its network. Record it as a control with \
                   `category: resiliency` covering the flow.",
        example: "flow alarm_gw -> nurse {\n  medium: wifi\n  carries: [alarm]\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    const SAFETY_DATA: &[AssetKind] =
        &[AssetKind::Therapy, AssetKind::Monitoring, AssetKind::Alarm, AssetKind::Diagnostic];
    for flow in cx.directed_flows() {
        if !flow.flow.media.value.iter().any(|medium| is_wireless(*medium) || is_network(*medium)) {
            continue;
        }
        let to_person = cx.element(flow.to).as_actor().is_some();
        let relevant = if to_person {
            cx.of_kinds(&flow.flow.carries, &[AssetKind::Alarm])
        } else if cx.component(flow.to).is_some_and(medtm_model::model::Component::has_safety_function) {
            cx.of_kinds(&flow.flow.carries, SAFETY_DATA)
        } else {
            Vec::new()
        };
        if relevant.is_empty() || hits.has_subject(Subject::Flow(flow.id)) {
            continue;
        }
        let explanation = if to_person {
            format!(
                "{} learns of {} only through {} over {}, which can be flooded or jammed",
                cx.describe_element(flow.to),
                cx.describe_assets(&relevant),
                cx.describe_flow(&flow),
                cx.describe_media(flow.flow)
            )
        } else {
            format!(
                "{} acts on {} that arrive only through {} over {}, which can be flooded or jammed",
                cx.describe_element(flow.to),
                cx.describe_assets(&relevant),
                cx.describe_flow(&flow),
                cx.describe_media(flow.flow)
            )
        };
        hits.push(cx.flow_hit(&flow, relevant, explanation));
    }
}
