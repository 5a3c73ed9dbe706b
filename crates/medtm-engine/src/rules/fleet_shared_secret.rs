//! MTM005 `fleet-shared-secret`: UNFINISHED skeleton (helper A): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM005",
    name: "fleet-shared-secret",
    title: "One extracted key opens every device of the fleet",
    stride: &[Stride::Spoofing, Stride::ElevationOfPrivilege],
    cwe: &[798, 1392, 321],
    capec: &[70, 191, 37],
    attack_techniques: &[],
    categories: &[ControlCategory::Authentication, ControlCategory::Cryptography],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
