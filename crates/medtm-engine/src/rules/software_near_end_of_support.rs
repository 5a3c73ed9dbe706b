//! MTM029 `software-near-end-of-support`: UNFINISHED skeleton (helper B): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM029",
    name: "software-near-end-of-support",
    title: "Software reaches end of support within a year",
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &[1104],
    capec: &[],
    attack_techniques: &[],
    categories: &[ControlCategory::Updatability],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
