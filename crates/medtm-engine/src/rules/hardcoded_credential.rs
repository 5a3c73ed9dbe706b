//! MTM030 `hardcoded-credential`: a credential or key that is the same on every unit, fixed in
//! the code or left at its factory default, so that knowing it once opens what it protects
//! everywhere.

use crate::context::RuleContext;
use crate::rule::{Docs, Exposure, Fact, Family, Hit, Hits, Rule, Stride, Template};
use medtm_model::model::Subject;
use medtm_model::vocab::Provisioning;

pub static RULE: Rule = Rule {
    code: "MTM030",
    name: "hardcoded-credential",
    title: "Hard-coded or default credential opens every unit",
    stride: &[Stride::Spoofing, Stride::ElevationOfPrivilege],
    cwe: &[798, 1392, 259],
    capec: &[191, 70],
    attack_techniques: &[],
    family: Family::Credential,
    when_named: &[],
    template: Template::KNOWN_SECRET,
    docs: Docs {
        detects: "A credential or crypto_key asset with `provisioning: hardcoded` or `default` (or \
                  `unknown`, taken as hard-coded) that opens something: what its `opens` lists, or, \
                  without it, the flows that carry it where the receiver checks a password, token \
                  or shared secret. The finding is on the asset and carries the harm of what it \
                  opens.",
        why: "A secret fixed in firmware or left at its factory value is known to anyone who has read \
              one unit's storage, the manual or a public advisory. It needs no theft: whoever knows \
              it signs in as the device or the service engineer on every unit, and does whatever the \
              flows it authenticates and the elements it unlocks allow, to every patient at once.",
        mitigate: "Provision a secret unique to each unit (and to each user) at manufacturing or \
                   first use, force a change of any default before the device goes into service, \
                   and keep no secret in firmware images. Set `provisioning: unique` once done; \
                   until then, a control with `category: authentication` covering the asset (such \
                   as an account that is disabled until a technician enables it on site) records \
                   what limits its use.",
        example: "asset service_password {\n  kind: credential\n  provisioning: hardcoded\n  opens: [service_login]\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (index, asset) in cx.model.assets.iter().enumerate() {
        let id = medtm_model::model::AssetId(index as u32);
        if !matches!(asset.provisioning.value, Provisioning::Hardcoded | Provisioning::Default) {
            continue;
        }
        let opened = cx.opened(id);
        if opened.legs.is_empty() && opened.elements.is_empty() {
            continue;
        }
        let mut opens: Vec<String> =
            opened.legs.iter().map(|edge| format!("`{}`", cx.model.subject_id(cx.leg(*edge).subject()))).collect();
        opens.extend(opened.elements.iter().map(|element| cx.describe_element(*element)));
        opens.sort_unstable();
        let how = match asset.provisioning.value {
            Provisioning::Default => "is a factory default (known to anyone with the manual)",
            _ => "is hard-coded (the same on every unit)",
        };
        let acted = if opened.acted_on.is_empty() {
            String::new()
        } else {
            format!(", so whoever knows it can forge {}", cx.describe_assets(&opened.acted_on))
        };
        let explanation = format!("`{}` {how} and opens {}{acted}", asset.meta.id, crate::context::join_and(&opens));
        // The secret is known: the attacker uses it where it opens something, and needs no
        // privilege of their own.
        let mut exposure = cx.exposure_through(opened.legs.iter().copied());
        if exposure.media.is_empty() {
            exposure = Exposure { media: Vec::new(), authn: None, via: Vec::new(), most_exposed: None };
            for element in &opened.elements {
                let through = cx.exposure_through(cx.incoming(*element).iter().copied());
                exposure.media.extend(through.media);
            }
        }
        exposure.authn = None;
        let owner = Subject::Asset(id);
        let facts = [Fact::of(owner, "provisioning", &asset.provisioning)];
        let opens_fact = (!opened.stated).then(|| Fact {
            owner,
            attribute: "opens",
            value: "the flows that carry it with a password, token or shared secret".into(),
            unknown: false,
        });
        hits.push(Hit::new(owner, vec![id], explanation, exposure).resting_on(facts.into_iter().chain([opens_fact])));
    }
}
