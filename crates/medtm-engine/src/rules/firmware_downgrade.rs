//! MTM008 `firmware-downgrade`: UNFINISHED skeleton (helper B): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM008",
    name: "firmware-downgrade",
    title: "Device accepts a downgrade to a vulnerable version",
    stride: &[Stride::Tampering],
    cwe: &[1328, 757],
    capec: &[186],
    attack_techniques: &[],
    categories: &[ControlCategory::Integrity],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
