//! MTM015 `untraceable-safety-actions`: UNFINISHED skeleton (helper C): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM015",
    name: "untraceable-safety-actions",
    title: "Actions on a safety component leave no usable record",
    stride: &[Stride::Repudiation],
    cwe: &[778, 223],
    capec: &[268],
    attack_techniques: &[],
    categories: &[ControlCategory::Logging],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
