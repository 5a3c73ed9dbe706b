//! MTM017 `multi-patient-push`: one component sends commands, configuration or code to a whole
//! fleet, so its compromise reaches many patients at once.

use crate::context::{COMMAND_KINDS, RuleContext};
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::model::ElementId;
use medtm_model::vocab::{AssetKind, ControlCategory};

pub static RULE: Rule = Rule {
    code: "MTM017",
    name: "multi-patient-push",
    title: "One component pushes to many patients' devices",
    stride: &[Stride::Tampering, Stride::DenialOfService],
    cwe: &[],
    capec: &[],
    attack_techniques: &[],
    categories: &[ControlCategory::Integrity, ControlCategory::Authorization],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A component with a flow carrying therapy, alarm, config or firmware assets to a \
                  component deployed in more than one unit (`count` > 1). The finding is on the \
                  sender and names the fleet it reaches. Senders that serve one patient each (mobile \
                  apps, wearables, implants, and anything in a patient's home, body or phone \
                  boundary) are left out: each copy reaches its own patient.",
        why: "A server that programs pumps, pushes drug libraries or distributes firmware turns one \
              compromise into harm to every patient connected at once. Multi-patient harm is what \
              the FDA asks makers to show separately, and it can outweigh any single-device risk.",
        mitigate: "Make devices verify what they receive independently of the sender (signed \
                   libraries and firmware, per-device authorisation), bound what one push can do \
                   (staged roll-outs, dose limits enforced on the device), and harden and monitor \
                   the sender. Record it as a control with `category: integrity` or \
                   `authorization` covering the sender.",
        example: "component pump_server { kind: onprem_server }\ncomponent pump { kind: bedside, count: 400 }\nflow pump_server -> pump { carries: [drug_library] }",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (id, _, _) in cx.components() {
        if cx.serves_one_patient(id) {
            continue;
        }
        // Every flow to a fleet counts: what the sender pushes is the union of what they carry.
        let mut fleets: Vec<(ElementId, u64)> = Vec::new();
        let mut pushed = Vec::new();
        for flow in cx.outgoing(id) {
            let flow = cx.forward(*flow);
            let receiver = if flow.from == id { flow.to } else { flow.from };
            let Some(component) = cx.component(receiver) else { continue };
            let mut assets = cx.of_kinds(&flow.flow.carries, COMMAND_KINDS);
            assets.extend(cx.of_kinds(&flow.flow.carries, &[AssetKind::Firmware]));
            if component.count.value <= 1 || assets.is_empty() {
                continue;
            }
            fleets.push((receiver, component.count.value));
            pushed.extend(assets);
        }
        if fleets.is_empty() {
            continue;
        }
        // A fleet reached by several flows counts once (sorted, not searched: a hub may push to
        // thousands of fleets).
        fleets.sort_unstable();
        fleets.dedup();
        pushed.sort_unstable();
        pushed.dedup();
        // The largest fleet first, then by id: never the order of declaration.
        fleets.sort_by(|(a, a_count), (b, b_count)| {
            b_count.cmp(a_count).then_with(|| cx.element(*a).meta.id.cmp(&cx.element(*b).meta.id))
        });
        let counted: Vec<String> =
            fleets.iter().map(|(fleet, count)| format!("{count} units of {}", cx.describe_element(*fleet))).collect();
        let total = if fleets.len() > 1 {
            format!(" ({} devices)", fleets.iter().map(|(_, count)| count).sum::<u64>())
        } else {
            String::new()
        };
        let explanation = format!(
            "{} pushes {} to {}{total}: one compromise of it reaches them all",
            cx.describe_element(id),
            cx.describe_assets(&pushed),
            crate::context::join_and(&counted),
        );
        hits.push(cx.element_hit(id, pushed, explanation));
    }
}
