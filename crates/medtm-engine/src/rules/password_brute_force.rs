//! MTM006 `password-brute-force`: UNFINISHED skeleton (helper A): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM006",
    name: "password-brute-force",
    title: "Password can be guessed without lockout",
    stride: &[Stride::Spoofing],
    cwe: &[307],
    capec: &[49, 112],
    attack_techniques: &[],
    categories: &[ControlCategory::Authentication],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
