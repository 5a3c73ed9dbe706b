//! MTM004 `tamperable-safety-data`: safety-relevant data travels with no protection an attacker cannot recompute.

use crate::context::{DirectedFlow, RuleContext, SAFETY_KINDS, is_local_only};
use crate::rule::{Docs, Family, Hits, Rule, Stride, Template};
use medtm_model::vocab::{Encryption, Harm, Integrity, Vocabulary as _};

pub static RULE: Rule = Rule {
    code: "MTM004",
    name: "tamperable-safety-data",
    title: "Safety-relevant data can be altered in transit undetected",
    stride: &[Stride::Tampering],
    cwe: &[345, 924],
    capec: &[94, 148],
    attack_techniques: &[],
    family: Family::Link,
    when_named: &[],
    // Altering traffic in flight takes a position in the middle of the link.
    template: Template::IN_THE_MIDDLE,
    docs: Docs {
        detects: "A flow into a component that carries therapy, alarm, monitoring, diagnostic, \
                  config or firmware assets with harm serious or worse, whose `integrity` is none, \
                  crc or hash (stated, unknown or left out). TLS (`tls1_2`, `tls1_3`) counts as \
                  integrity protection whatever `integrity` says, because every TLS cipher suite \
                  authenticates each record. Message-level encryption (`message`) counts too, \
                  unless `integrity` is written out as none, crc, hash or unknown: the model then \
                  says the messages are encrypted but not authenticated, and such ciphertext can be \
                  altered bit by bit. Link-layer encryption does not count: it protects one radio \
                  hop and is only as strong as its pairing. Input through the device's own user \
                  interface and between processes inside one device (`ui`, `ipc`) is left out.",
        why: "A checksum or an unkeyed hash stops noise, not an attacker, who simply recomputes it. \
              Whoever sits on the path can change a dose, a setting, a reading or an alarm on its \
              way, and the device acts on the forged value as if it were real.",
        mitigate: "Protect every message with a keyed MAC or a signature checked by the receiver \
                   (`integrity: mac` or `signature`), or carry the flow over TLS, and state it on the \
                   flow. A measure outside the flow (an end-to-end check of the value by the \
                   receiving application, a confirmation of the value on the device) is a control \
                   with `category: integrity` covering the flow.",
        example: "flow central -> monitor {\n  medium: ethernet\n  carries: [alarm_limits]\n  integrity: crc\n}",
    },
    check,
};

/// Whether the flow's encryption also authenticates what it carries.
fn authenticated_by_encryption(flow: &DirectedFlow<'_>) -> bool {
    match flow.encryption().value {
        Encryption::Tls1_2 | Encryption::Tls1_3 => true,
        // A weak check stated beside message encryption says the ciphertext is not authenticated.
        Encryption::Message => !flow.integrity().is_stated(),
        Encryption::None | Encryption::Link => false,
    }
}

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for flow in cx.directed_flows() {
        let weak = matches!(flow.integrity().value, Integrity::None | Integrity::Crc | Integrity::Hash);
        if !weak || authenticated_by_encryption(&flow) || is_local_only(flow.flow) || cx.component(flow.to).is_none() {
            continue;
        }
        let at_stake: Vec<_> = cx
            .of_kinds(flow.carries(), SAFETY_KINDS)
            .into_iter()
            .filter(|asset| cx.asset(*asset).harm.value >= Harm::Serious)
            .collect();
        if at_stake.is_empty() || hits.has_subject(flow.subject()) {
            continue;
        }
        let protection = match (flow.encryption().value, flow.integrity().value) {
            (Encryption::Message, Integrity::None) => "message encryption that nothing authenticates".to_owned(),
            (Encryption::Message, other) => {
                format!("message encryption and only a {} against tampering", other.as_str())
            }
            (_, Integrity::None) => "no integrity protection".to_owned(),
            (_, other) => format!("only a {} to protect it", other.as_str()),
        };
        let explanation = format!(
            "{} carries {} over {} with {protection}",
            cx.describe_flow(&flow),
            cx.describe_assets(&at_stake),
            cx.describe_media(&flow),
        );
        let facts = [flow.fact("integrity", flow.integrity()), flow.fact("encryption", flow.encryption())];
        hits.push(cx.flow_hit(&flow, at_stake, explanation).resting_on(facts));
    }
}
