//! MTM003 `cleartext-sensitive-data`: UNFINISHED skeleton (helper A): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM003",
    name: "cleartext-sensitive-data",
    title: "Sensitive data crosses a trust boundary unencrypted",
    stride: &[Stride::InformationDisclosure],
    cwe: &[319, 311],
    capec: &[157, 158],
    attack_techniques: &[],
    categories: &[ControlCategory::Cryptography, ControlCategory::Confidentiality],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
