//! MTM026 `phi-to-third-party`: UNFINISHED skeleton (helper A): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM026",
    name: "phi-to-third-party",
    title: "Patient data leaves to a third party",
    stride: &[Stride::InformationDisclosure],
    cwe: &[359],
    capec: &[],
    attack_techniques: &[],
    categories: &[ControlCategory::Confidentiality],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
