//! MTM021 `weak-ble-pairing`: a Bluetooth link relies on legacy pairing for its secrecy.

use crate::context::{COMMAND_KINDS, RuleContext};
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::model::Subject;
use medtm_model::vocab::{AssetKind, ControlCategory, Encryption, Medium};

pub static RULE: Rule = Rule {
    code: "MTM021",
    name: "weak-ble-pairing",
    title: "Bluetooth link protected only by legacy pairing",
    stride: &[Stride::Spoofing, Stride::InformationDisclosure],
    cwe: &[326, 327],
    capec: &[],
    attack_techniques: &[],
    categories: &[ControlCategory::Cryptography],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A flow over `ble` (Bluetooth LE with legacy pairing; `ble_lesc` is Secure \
                  Connections) with `encryption` of link or none, carrying therapy, alarm or config \
                  commands, credentials, keys, phi or pii.",
        why: "LE legacy pairing derives its keys from a six-digit or fixed passkey that a recorded \
              pairing reveals within seconds. Whoever captured the pairing decrypts the link from \
              then on, reads the patient's data and, with the recovered key, injects commands the \
              device accepts as its paired controller's.",
        mitigate: "Require LE Secure Connections pairing (`medium: ble_lesc`) with numeric comparison \
                   or out-of-band authentication, and protect commands end to end at the application \
                   layer (`encryption: message`, `integrity: mac`). Record it as a control with \
                   `category: cryptography` covering the flow.",
        example: "flow bolus: app -> pump {\n  medium: ble\n  carries: [bolus_command]\n  encryption: link\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    const SECRETS: &[AssetKind] = &[AssetKind::Credential, AssetKind::CryptoKey, AssetKind::Phi, AssetKind::Pii];
    for flow in cx.directed_flows() {
        let legacy = flow.flow.media.value.contains(&Medium::Ble);
        if !legacy || !matches!(flow.flow.encryption.value, Encryption::Link | Encryption::None) {
            continue;
        }
        let mut at_stake = cx.of_kinds(&flow.flow.carries, COMMAND_KINDS);
        at_stake.extend(cx.of_kinds(&flow.flow.carries, SECRETS));
        if at_stake.is_empty() || hits.has_subject(Subject::Flow(flow.id)) {
            continue;
        }
        let secrecy = if flow.flow.encryption.value == Encryption::None {
            "no encryption at all"
        } else {
            "only the link encryption of legacy pairing"
        };
        let explanation = format!(
            "{} carries {} over Bluetooth LE with {secrecy}",
            cx.describe_flow(&flow),
            cx.describe_assets(&at_stake)
        );
        hits.push(cx.flow_hit(&flow, at_stake, explanation));
    }
}
