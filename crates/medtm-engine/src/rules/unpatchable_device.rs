//! MTM012 `unpatchable-device`: UNFINISHED skeleton (helper B): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM012",
    name: "unpatchable-device",
    title: "Device cannot be patched in the field",
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &[1329, 1277],
    capec: &[],
    attack_techniques: &[],
    categories: &[ControlCategory::Updatability],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
