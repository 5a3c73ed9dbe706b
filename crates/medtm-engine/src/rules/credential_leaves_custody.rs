//! MTM031 `credential-leaves-custody`: a credential or key stored on units that leave their
//! owner's custody (resold, returned, serviced, or in a patient's home), where whoever holds a
//! unit can read it out.

use crate::context::{KEY_KINDS, RuleContext};
use crate::rule::{Docs, Exposure, Fact, Family, Hit, Hits, Rule, Stride, Template};
use medtm_model::model::Subject;
use medtm_model::vocab::{Custody, Medium, Provisioning};

pub static RULE: Rule = Rule {
    code: "MTM031",
    name: "credential-leaves-custody",
    title: "Credential stored on units that leave custody",
    stride: &[Stride::InformationDisclosure, Stride::Spoofing],
    cwe: &[522, 312, 1258],
    capec: &[37, 545],
    attack_techniques: &[],
    family: Family::Credential,
    when_named: &[],
    template: Template::HELD_UNIT,
    docs: Docs {
        detects: "A credential or crypto_key asset held in a store that is not `encrypted: true`, \
                  inside a component whose `custody` is `patient` or `leaves` (by default, \
                  implants, wearables and phone apps are in the patient's hands), or held in any \
                  store of such a unit when it is a shared, default or hard-coded secret (one \
                  read-out opens every unit). The finding is on the asset, carries the harm of what \
                  it opens (see `opens`), and counts every unit that holds it.",
        why: "Units are sold second-hand, returned, repaired by third parties and thrown away with \
              their storage intact, and devices at home are in anyone's hands. Whoever reads a \
              stored password or key out of one unit signs in where it opens: the hospital's Wi-Fi \
              a pump joins, the vendor's server a programmer uploads to, every unit that shares \
              the secret.",
        mitigate: "Keep secrets in secure hardware that does not give them up, encrypt the rest of \
                   storage with a key bound to the unit, wipe secrets when a unit is returned or \
                   decommissioned (and say so in the IFU), and give each unit secrets of its own. \
                   Record a wipe procedure or secure element as a control with `category: \
                   confidentiality` covering the asset or the store.",
        example: "component pump {\n  kind: bedside\n  custody: leaves\n  stores: [pump_memory]\n}\nstore pump_memory {\n  holds: [wifi_psk]\n  encrypted: false\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (index, asset) in cx.model.assets.iter().enumerate() {
        let id = medtm_model::model::AssetId(index as u32);
        if !KEY_KINDS.iter().any(|kind| asset.has_kind(*kind)) {
            continue;
        }
        let shared = !matches!(asset.provisioning.value, Provisioning::Unique);
        let mut holders = Vec::new();
        let mut facts = vec![Fact::of(Subject::Asset(id), "provisioning", &asset.provisioning)];
        for (store_id, _, store) in cx.stores() {
            if !store.holds.contains(&id) || (store.encrypted.value && !shared) {
                continue;
            }
            let Some(host) = store.host else { continue };
            let Some(component) = cx.component(host) else { continue };
            if !matches!(component.custody.value, Custody::Patient | Custody::Leaves) {
                continue;
            }
            facts.push(Fact::of(Subject::Element(host), "custody", &component.custody));
            facts.push(Fact::of(Subject::Element(store_id), "encrypted", &store.encrypted));
            holders.push((host, store_id, component.custody.value, store.encrypted.value, component.count.value));
        }
        if holders.is_empty() {
            continue;
        }
        holders.sort_by(|a, b| cx.element(a.0).meta.id.cmp(&cx.element(b.0).meta.id));
        let places: Vec<String> = holders
            .iter()
            .map(|(host, store, custody, encrypted, count)| {
                let whose = match (custody, *count == 1) {
                    (Custody::Patient, true) => "1 unit, in a patient's hands",
                    (Custody::Patient, false) => "units in patients' hands",
                    (_, true) => "1 unit, which leaves custody",
                    (_, false) => "units that leave custody",
                };
                let whose = if *count == 1 { whose.to_owned() } else { format!("{count} {whose}") };
                let how = if *encrypted { "encrypted, but the same key on every unit" } else { "unencrypted" };
                format!("{} on {} ({whose}; {how})", cx.describe_element(*store), cx.describe_element(*host))
            })
            .collect();
        let opened = cx.opened(id);
        let opens = if opened.acted_on.is_empty() && opened.read.is_empty() {
            String::new()
        } else {
            let mut reach = opened.acted_on.clone();
            reach.extend(opened.read.iter().copied());
            reach.sort_unstable();
            reach.dedup();
            format!(": whoever reads it out gets at {}", cx.describe_assets(&reach))
        };
        let explanation = format!("`{}` is held in {}{opens}", asset.meta.id, crate::context::join_and(&places));
        // Reading a unit's storage needs the unit in hand.
        let exposure = Exposure { media: vec![Medium::Usb], authn: None, via: Vec::new(), most_exposed: None };
        hits.push(Hit::new(Subject::Asset(id), vec![id], explanation, exposure).resting_on(facts));
    }
}
