//! MTM027 `untraceable-phi-access`: UNFINISHED skeleton (helper C): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM027",
    name: "untraceable-phi-access",
    title: "Access to patient data is not logged off the device",
    stride: &[Stride::Repudiation],
    cwe: &[778],
    capec: &[],
    attack_techniques: &[],
    categories: &[ControlCategory::Logging],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
