//! MTM014 `safety-link-flooding`: UNFINISHED skeleton (helper C): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM014",
    name: "safety-link-flooding",
    title: "Flooding or jamming a link stops a safety function",
    stride: &[Stride::DenialOfService],
    cwe: &[400, 770],
    capec: &[125, 601, 604],
    attack_techniques: &[],
    categories: &[ControlCategory::Resiliency],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
