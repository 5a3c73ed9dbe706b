//! MTM024 `single-factor-therapy-access`: UNFINISHED skeleton (helper A): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM024",
    name: "single-factor-therapy-access",
    title: "Person changes therapy or configuration with a single factor",
    stride: &[Stride::Spoofing],
    cwe: &[308, 287],
    capec: &[560, 16],
    attack_techniques: &[],
    categories: &[ControlCategory::Authentication],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
