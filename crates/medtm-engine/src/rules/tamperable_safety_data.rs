//! MTM004 `tamperable-safety-data`: UNFINISHED skeleton (helper A): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM004",
    name: "tamperable-safety-data",
    title: "Safety-relevant data can be altered in transit undetected",
    stride: &[Stride::Tampering],
    cwe: &[345, 924],
    capec: &[94, 148],
    attack_techniques: &[],
    categories: &[ControlCategory::Integrity],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
