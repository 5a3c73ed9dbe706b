//! MTM017 `multi-patient-push`: UNFINISHED skeleton (helper C): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM017",
    name: "multi-patient-push",
    title: "One component pushes to many patients' devices",
    stride: &[Stride::Tampering, Stride::DenialOfService],
    cwe: &[],
    capec: &[],
    attack_techniques: &[],
    categories: &[ControlCategory::Integrity, ControlCategory::Authorization],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
