//! MTM011 `unprotected-windows`: UNFINISHED skeleton (helper B): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM011",
    name: "unprotected-windows",
    title: "Windows host without anti-malware open to ransomware",
    stride: &[Stride::ElevationOfPrivilege, Stride::DenialOfService],
    cwe: &[1104, 693],
    capec: &[],
    attack_techniques: &["T1486", "T1210"],
    categories: &[ControlCategory::Updatability, ControlCategory::Logging],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
