//! MTM018 `unencrypted-data-at-rest`: a store keeps patient data or secrets unencrypted.

use crate::context::{DirectedFlow, RuleContext};
use crate::rule::{Docs, Fact, Family, Hit, Hits, Rule, Stride, Template};
use medtm_model::model::Subject;
use medtm_model::vocab::{AssetKind, Medium};

pub static RULE: Rule = Rule {
    code: "MTM018",
    name: "unencrypted-data-at-rest",
    title: "Sensitive data stored unencrypted",
    stride: &[Stride::InformationDisclosure],
    cwe: &[311, 312],
    capec: &[37],
    attack_techniques: &[],
    family: Family::Storage,
    when_named: &[],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A store with `encrypted: false` (stated, or by default) that holds phi, pii, \
                  credential or crypto_key assets. The attacker reaches the store through the flows \
                  into it from elements other than its host, and a store inside a component (listed \
                  in its `stores`) also by holding the device and reading its storage. Reaching the \
                  host over its network does not count: code running on the host reads the data \
                  decrypted anyway, and other rules report that way in.",
        why: "Devices are lost, resold, returned for service and disposed of with their storage \
              intact; servers and shares are backed up and copied. Unencrypted records expose \
              every patient in them, and unencrypted passwords and keys let the finder into the \
              rest of the system, such as the clinical network a pump's Wi-Fi credentials open.",
        mitigate: "Encrypt the store with a key held in secure hardware, wipe it on \
                   decommissioning, and keep credentials out of general storage. Set `encrypted: \
                   true` once done; a compensating measure (a secure wipe procedure at return or \
                   disposal) is a control with `category: confidentiality` covering the store.",
        example: "store pump_store {\n  holds: [wifi_psk, patient_data]\n  encrypted: false\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    const SENSITIVE: &[AssetKind] = &[AssetKind::Phi, AssetKind::Pii, AssetKind::Credential, AssetKind::CryptoKey];
    for (id, _, store) in cx.stores() {
        if store.encrypted.value {
            continue;
        }
        let sensitive = cx.of_kinds(&store.holds, SENSITIVE);
        if sensitive.is_empty() {
            continue;
        }
        // The ways in other than the host's own reads and writes.
        let legs: Vec<_> = cx.arriving(id).filter(|flow| Some(flow.from) != store.host).collect();
        let mut exposure = cx.exposure_through(legs.iter().map(DirectedFlow::edge));
        let mut media: Vec<Medium> = legs.iter().flat_map(|flow| flow.media().iter().copied()).collect();
        media.sort_unstable();
        media.dedup();
        let explanation = if let Some(host) = store.host {
            // Whoever holds a unit can take its storage out and read it.
            media.push(Medium::Usb);
            format!(
                "{} inside {} keeps {} unencrypted, readable by anyone who gets hold of a unit",
                cx.describe_element(id),
                cx.describe_element(host),
                cx.describe_assets(&sensitive),
            )
        } else {
            if media.is_empty() {
                media.push(Medium::Usb);
            }
            format!("{} holds {} unencrypted", cx.describe_element(id), cx.describe_assets(&sensitive))
        };
        exposure.media = media;
        exposure.authn = None;
        let owner = Subject::Element(id);
        hits.push(Hit::new(owner, sensitive, explanation, exposure).resting_on([Fact::of(
            owner,
            "encrypted",
            &store.encrypted,
        )]));
    }
}
