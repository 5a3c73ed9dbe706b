//! MTM008 `firmware-downgrade`: a device accepts older, vulnerable firmware.

use crate::context::RuleContext;
use crate::rule::{Docs, Fact, Family, Hit, Hits, Rule, Stride, Template};
use medtm_model::model::Subject;
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM008",
    name: "firmware-downgrade",
    title: "Device accepts a downgrade to a vulnerable version",
    stride: &[Stride::Tampering],
    cwe: &[1328, 757],
    capec: &[186],
    attack_techniques: &[],
    family: Family::Takeover,
    when_named: &[(
        ControlCategory::Integrity,
        "a downgrade installs an old image that is correctly signed, so an integrity control that names no rule \
         (taken for signing) does not stop it",
    )],
    // A downgrade pays off only when an older signed version has a flaw worth using.
    template: Template::POTENTIAL_FLAW,
    docs: Docs {
        detects: "A component whose updates are supported and signed, but whose `update` map has \
                  `anti_rollback: false` (stated, `unknown`, or left out of a described map).",
        why: "Every signed version ever released stays installable. An attacker who can deliver an \
              update installs an old, correctly signed version with a known vulnerability and then \
              exploits it, undoing every security fix since, on any device they reach.",
        mitigate: "Keep a monotonic security version in tamper-resistant storage and refuse images \
                   below it; raise it with each security fix. Set `update: { anti_rollback: true }` \
                   once done, or record a control with `category: integrity` covering the component \
                   and `mitigates: [firmware-downgrade]`.",
        example: "component pump {\n  kind: wearable\n  update: { signed: true, anti_rollback: false }\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (id, _, component) in cx.components() {
        let update = &component.update;
        if !update.described || !update.supported.value || !update.signed.value || update.anti_rollback.value {
            continue;
        }
        let assumed = update.anti_rollback.unstated_note("anti_rollback");
        let explanation = format!(
            "{} verifies firmware signatures but accepts older signed versions{assumed}, so a vulnerable release can be reinstalled",
            cx.describe_element(id)
        );
        let owner = Subject::Element(id);
        let facts = [
            Fact::of(owner, "update.anti_rollback", &update.anti_rollback),
            Fact::of(owner, "update.supported", &update.supported),
        ];
        hits.push(Hit::new(owner, cx.component_assets(id), explanation, cx.firmware_exposure(id)).resting_on(facts));
    }
}
