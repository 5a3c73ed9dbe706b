//! MTM018 `unencrypted-data-at-rest`: UNFINISHED skeleton (helper A): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM018",
    name: "unencrypted-data-at-rest",
    title: "Sensitive data stored unencrypted",
    stride: &[Stride::InformationDisclosure],
    cwe: &[311, 312],
    capec: &[37],
    attack_techniques: &[],
    categories: &[ControlCategory::Confidentiality],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
