//! MTM025 `writable-safety-store`: UNFINISHED skeleton (helper A): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM025",
    name: "writable-safety-store",
    title: "Safety-relevant store writable without authentication",
    stride: &[Stride::Tampering],
    cwe: &[732, 284],
    capec: &[75],
    attack_techniques: &[],
    categories: &[ControlCategory::Integrity, ControlCategory::Authorization],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
