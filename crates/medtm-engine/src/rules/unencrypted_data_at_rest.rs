//! MTM018 `unencrypted-data-at-rest`: patient data or secrets stored unencrypted.

use crate::context::RuleContext;
use crate::rule::{Docs, Exposure, Hit, Hits, Rule, Stride, Template};
use medtm_model::model::Subject;
use medtm_model::vocab::{AssetKind, ControlCategory, Medium};

pub static RULE: Rule = Rule {
    code: "MTM018",
    name: "unencrypted-data-at-rest",
    title: "Sensitive data stored unencrypted",
    stride: &[Stride::InformationDisclosure],
    cwe: &[311, 312],
    capec: &[37],
    attack_techniques: &[],
    categories: &[ControlCategory::Confidentiality],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A store with `encrypted: false` (stated, or by default) that holds phi, pii, \
                  credential or crypto_key assets. The attacker reaches it through the flows into the \
                  store, and, for a store inside a component, by holding the device.",
        why: "Devices are lost, resold, returned for service and disposed of with their storage \
              intact; servers are backed up and copied. Unencrypted records expose every patient in \
              them, and unencrypted passwords and keys let the finder into the rest of the system.",
        mitigate: "Encrypt the store with a key held in secure hardware, wipe it on decommissioning, \
                   and keep credentials out of general storage. Set `encrypted: true` once done, or \
                   record a control with `category: confidentiality` covering the store.",
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
        let mut media = cx.entry_media(id);
        if let Some(host) = store.host {
            media.extend(cx.entry_media(host));
            // The device itself can be taken and its storage read.
            media.push(Medium::Usb);
        }
        if media.is_empty() {
            media.push(Medium::Usb);
        }
        let place = store.host.map_or_else(String::new, |host| format!(" inside {}", cx.describe_element(host)));
        let explanation =
            format!("{}{place} holds {} unencrypted", cx.describe_element(id), cx.describe_assets(&sensitive));
        hits.push(Hit {
            subject: Subject::Element(id),
            assets: sensitive,
            explanation,
            exposure: Exposure { media, authn: None },
        });
    }
}
