//! MTM021 `weak-ble-pairing`: UNFINISHED skeleton (helper A): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM021",
    name: "weak-ble-pairing",
    title: "Bluetooth link protected only by legacy pairing",
    stride: &[Stride::InformationDisclosure],
    cwe: &[326, 327],
    capec: &[],
    attack_techniques: &[],
    categories: &[ControlCategory::Cryptography],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
