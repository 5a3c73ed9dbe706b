//! MTM002 `replayable-command`: a recorded command can be sent again and the device obeys.

use crate::context::{COMMAND_KINDS, RuleContext};
use crate::rule::{Docs, Family, Hits, Rule, Stride, Template};
use medtm_model::vocab::{Medium, Replay, Vocabulary as _};

pub static RULE: Rule = Rule {
    code: "MTM002",
    name: "replayable-command",
    title: "Recorded command can be replayed",
    stride: &[Stride::Spoofing, Stride::Tampering],
    cwe: &[294],
    capec: &[60, 94],
    attack_techniques: &[],
    family: Family::Link,
    when_named: &[],
    // Replaying takes a recording of a valid command, made at the right moment, and a way to
    // send it again.
    template: Template::IN_THE_MIDDLE,
    docs: Docs {
        detects: "A flow that carries therapy, alarm or configuration assets into a component with \
                  `replay: none` (or no `replay` stated), other than through the device's own user \
                  interface.",
        why: "Authentication alone does not stop an attacker who records a valid command over the air \
              and sends it again: a second bolus, a repeated rate change. The attacker needs no key, \
              only a radio within range at the right time.",
        mitigate: "Bind each command to a fresh nonce or a monotonic counter checked by the device \
                   (`replay: nonce` or `counter`), or to a short expiry checked against the device's \
                   clock (`timestamp`). Record it as a control with `category: authentication`.",
        example: "flow bolus: app -> pump {\n  medium: ble\n  carries: [bolus_command]\n  authn: per_device_key\n  replay: none\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for flow in cx.directed_flows() {
        let through_ui_only = flow.media().iter().all(|medium| *medium == Medium::Ui);
        if flow.replay().value != Replay::None || through_ui_only || cx.component(flow.to).is_none() {
            continue;
        }
        let commands = cx.of_kinds(flow.carries(), COMMAND_KINDS);
        if commands.is_empty() {
            continue;
        }
        let explanation = format!(
            "{} carries {} over {} with {} authentication and no replay protection",
            cx.describe_flow(&flow),
            cx.describe_assets(&commands),
            cx.describe_media(&flow),
            flow.authn().value.as_str(),
        );
        hits.push(cx.flow_hit(&flow, commands, explanation).resting_on([flow.fact("replay", flow.replay())]));
    }
}
