//! MTM020 `missing-secure-boot`: UNFINISHED skeleton (helper B): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM020",
    name: "missing-secure-boot",
    title: "Device boots code it does not verify",
    stride: &[Stride::Tampering, Stride::ElevationOfPrivilege],
    cwe: &[1326, 1310],
    capec: &[],
    attack_techniques: &[],
    categories: &[ControlCategory::Integrity],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
