//! MTM012 `unpatchable-device`: a device that cannot be updated in the field.

use crate::context::RuleContext;
use crate::rule::{Docs, Family, Hits, Rule, Stride, Template};

pub static RULE: Rule = Rule {
    code: "MTM012",
    name: "unpatchable-device",
    title: "Device cannot be patched in the field",
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &[1329, 1277],
    capec: &[],
    attack_techniques: &[],
    family: Family::Takeover,
    when_named: &[],
    // The risk materialises when a vulnerability is found, which is a matter of time.
    template: Template::POTENTIAL_FLAW,
    docs: Docs {
        detects: "A component whose `update` map states `supported: false`: the device has no way to \
                  receive new code in the field.",
        why: "Every device ships with vulnerabilities nobody knows yet. When one is found, a device \
              that cannot be updated stays exploitable for the rest of its service life, and the \
              only fixes left are recalling it or surrounding it with network controls that the \
              hospital must maintain.",
        mitigate: "Design for field updates: a secure, authenticated update path, room for a second \
                   image, and a plan to deliver fixes within the times the FDA expects. Where that \
                   is impossible, record the compensating controls with `category: updatability` \
                   and transfer what remains to the hospital with labeling.",
        example: "component implant {\n  kind: implant\n  update: { supported: false }\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (id, _, component) in cx.components() {
        if component.update.supported.value || !component.update.supported.is_stated() {
            continue;
        }
        let explanation = format!(
            "{} cannot be updated in the field, so any vulnerability found in it stays for the rest of its service life",
            cx.describe_element(id)
        );
        hits.push(cx.element_hit(id, cx.component_assets(id), explanation));
    }
}
