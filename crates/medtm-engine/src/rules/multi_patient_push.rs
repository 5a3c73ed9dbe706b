//! MTM017 `multi-patient-push`: one component sends commands, configuration or code to a whole
//! fleet, so its compromise reaches many patients at once.

use crate::context::RuleContext;
use crate::rule::{Docs, Family, Hits, Rule, Stride, Template};
use medtm_model::vocab::AssetKind;

pub static RULE: Rule = Rule {
    code: "MTM017",
    name: "multi-patient-push",
    title: "One component pushes to many patients' devices",
    stride: &[Stride::Tampering, Stride::DenialOfService],
    cwe: &[],
    capec: &[],
    attack_techniques: &[],
    family: Family::Takeover,
    when_named: &[],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A component with a flow carrying therapy, alarm, config or firmware assets to \
                  more than one unit of its receiver (the flow's `fan_out`, by default every unit \
                  of the receiver's `count`), directly or through a relay that serves one patient \
                  each and passes the same assets on (an update server to every phone app, each \
                  app to its pump). The finding is on the sender and names the units it reaches. \
                  Senders that serve one patient each (mobile apps, wearables, implants, and \
                  anything in a patient's home or phone boundary) are left out: each copy reaches \
                  its own patient. A module paired with one device says so with `fan_out: 1`.",
        why: "A server that programs pumps, pushes drug libraries or distributes firmware turns one \
              compromise into harm to every patient connected at once. Multi-patient harm is what \
              the FDA asks makers to show separately, and it can outweigh any single-device risk.",
        mitigate: "Make devices verify what they receive independently of the sender (signed \
                   libraries and firmware, per-device authorisation), bound what one push can do \
                   (staged roll-outs, dose limits enforced on the device), and harden and monitor \
                   the sender. Record signed content or device-side limits as a control with \
                   `category: integrity` covering the sender, and staged roll-outs that keep a \
                   fleet treating as `category: resiliency`.",
        example: "component pump_server { kind: onprem_server }\ncomponent pump { kind: bedside, count: 400 }\nflow pump_server -> pump { carries: [drug_library] }",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (id, _, _) in cx.components() {
        // Every leg to a fleet counts, directly or through relays serving one patient each:
        // what the sender pushes is the union of what those legs carry.
        let pushes = cx.fleet_pushes(id);
        if pushes.is_empty() {
            continue;
        }
        let mut pushed = Vec::new();
        for push in &pushes {
            pushed.extend(cx.of_kinds(cx.leg(push.edge).carries(), AssetKind::ACTS_ON_RECEIVER));
        }
        let mut fleets = crate::context::units_per_fleet(pushes.iter().map(crate::context::FleetPush::reach));
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
