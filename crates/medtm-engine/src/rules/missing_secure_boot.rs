//! MTM020 `missing-secure-boot`: a medical device runs whatever code is in its storage.

use crate::context::{DEVICE_KINDS, RuleContext};
use crate::rule::{Docs, Fact, Family, Hits, Rule, Stride, Template};
use medtm_cvss::AttackRequirements;
use medtm_model::model::Subject;
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM020",
    name: "missing-secure-boot",
    title: "Device boots code it does not verify",
    stride: &[Stride::Tampering, Stride::ElevationOfPrivilege],
    cwe: &[1326, 1310],
    capec: &[],
    attack_techniques: &[],
    family: Family::Takeover,
    when_named: &[(
        ControlCategory::Integrity,
        "an integrity control that names no rule is taken for signed updates, which check an image when it is \
         installed, not what the device boots",
    )],
    // Exploiting it needs a first foothold that writes the device's storage.
    template: Template { attack_requirements: AttackRequirements::Present, ..Template::FROM_MODEL },
    docs: Docs {
        detects: "A medical device component (implant, wearable, bedside, controller or modality) \
                  with safety functions whose described `update` map has `secure_boot: false` \
                  (stated, or left out).",
        why: "Signed updates only protect the update path. Code written to storage any other way, \
              through a debug port, a parser bug or a service tool, runs at the next boot with full \
              control of the therapy, and persists across every reset.",
        mitigate: "Verify each boot stage's signature from an immutable root of trust in hardware \
                   before running it, and refuse to start therapy on failure. Set `update: { \
                   secure_boot: true }` once done, or record a control with `category: integrity` \
                   covering the component and `mitigates: [missing-secure-boot]`.",
        example: "component monitor {\n  kind: bedside\n  functions: [monitoring, alarm]\n  update: { signed: true, anti_rollback: true, secure_boot: false }\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (id, _, component) in cx.components() {
        let update = &component.update;
        if !update.described
            || update.secure_boot.value
            || !DEVICE_KINDS.contains(&component.kind.value)
            || !component.has_safety_function()
        {
            continue;
        }
        let explanation = format!(
            "{} starts its code without verifying it{}, so code written to its storage runs at the next boot",
            cx.describe_element(id),
            update.secure_boot.unstated_note("secure_boot")
        );
        let owner = Subject::Element(id);
        let facts =
            [Fact::of(owner, "update.secure_boot", &update.secure_boot), Fact::of(owner, "kind", &component.kind)];
        hits.push(cx.element_hit(id, cx.component_assets(id), explanation).resting_on(facts));
    }
}
