//! MTM010 `unsupported-software`: UNFINISHED skeleton (helper B): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM010",
    name: "unsupported-software",
    title: "Software without security fixes",
    stride: &[Stride::ElevationOfPrivilege, Stride::DenialOfService],
    cwe: &[1104, 1395],
    capec: &[],
    attack_techniques: &["T1210"],
    categories: &[ControlCategory::Updatability],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
