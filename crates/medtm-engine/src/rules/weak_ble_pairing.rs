//! MTM021 `weak-ble-pairing`: commands or secrets over Bluetooth LE protected by legacy pairing or nothing.

use crate::context::{COMMAND_KINDS, RuleContext};
use crate::rule::{Docs, Family, Hits, Rule, Stride, Template};
use medtm_model::vocab::{AssetKind, Encryption, Integrity, Medium};

pub static RULE: Rule = Rule {
    code: "MTM021",
    name: "weak-ble-pairing",
    title: "Bluetooth link protected only by legacy pairing",
    stride: &[Stride::Spoofing, Stride::InformationDisclosure],
    cwe: &[326, 327],
    capec: &[],
    attack_techniques: &[],
    family: Family::Link,
    when_named: &[],
    template: Template::READS_TRAFFIC,
    docs: Docs {
        detects: "A flow over `ble` (Bluetooth LE with legacy pairing; `ble_lesc` is Secure \
                  Connections) whose `encryption` is link or none, carrying credentials, keys, phi \
                  or pii, or carrying therapy, alarm or config commands without a keyed check of \
                  their own (`integrity` other than mac or signature). Commands protected by a MAC \
                  or a signature are left out, as the recovered link key does not let an attacker \
                  forge them.",
        why: "LE legacy pairing derives its keys from a six-digit or fixed passkey that a recorded \
              pairing reveals within seconds, and an attacker can force a new pairing by \
              disrupting the link. Whoever captured the pairing decrypts the link from then on, \
              reads the patient's data and, with the recovered key, injects commands the device \
              accepts as its paired controller's.",
        mitigate: "Require LE Secure Connections pairing (`medium: ble_lesc`) with numeric comparison \
                   or out-of-band authentication, or protect the data end to end at the application \
                   layer (`encryption: message`, `integrity: mac`), and state it on the flow. A \
                   pairing that needs physical contact or a button press on the device is a control \
                   with `category: cryptography` covering the flow.",
        example: "flow bolus: app -> pump {\n  medium: ble\n  carries: [bolus_command]\n  encryption: link\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    const SECRETS: &[AssetKind] = &[AssetKind::Credential, AssetKind::CryptoKey, AssetKind::Phi, AssetKind::Pii];
    for flow in cx.directed_flows() {
        let legacy = flow.media().contains(&Medium::Ble);
        if !legacy || !matches!(flow.encryption().value, Encryption::Link | Encryption::None) {
            continue;
        }
        let keyed = matches!(flow.integrity().value, Integrity::Mac | Integrity::Signature);
        let at_stake: Vec<_> = flow
            .carries()
            .iter()
            .copied()
            .filter(|asset| {
                let asset = cx.asset(*asset);
                SECRETS.iter().any(|kind| asset.has_kind(*kind))
                    || (!keyed && COMMAND_KINDS.iter().any(|kind| asset.has_kind(*kind)))
            })
            .collect();
        if at_stake.is_empty() || hits.has_subject(flow.subject()) {
            continue;
        }
        let secrecy = if flow.encryption().value == Encryption::None {
            "no encryption at all"
        } else {
            "only the link encryption of legacy pairing"
        };
        let explanation = format!(
            "{} carries {} over Bluetooth LE with {secrecy}",
            cx.describe_flow(&flow),
            cx.describe_assets(&at_stake)
        );
        let facts = [flow.fact("encryption", flow.encryption()), flow.fact("integrity", flow.integrity())];
        hits.push(cx.flow_hit(&flow, at_stake, explanation).resting_on(facts));
    }
}
