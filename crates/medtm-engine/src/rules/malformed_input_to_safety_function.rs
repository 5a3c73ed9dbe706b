//! MTM013 `malformed-input-to-safety-function`: UNFINISHED skeleton (helper C): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM013",
    name: "malformed-input-to-safety-function",
    title: "Malformed input reaches the parser of a safety component",
    stride: &[Stride::DenialOfService, Stride::ElevationOfPrivilege],
    cwe: &[20, 787],
    capec: &[28, 100],
    attack_techniques: &[],
    categories: &[ControlCategory::Integrity],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
