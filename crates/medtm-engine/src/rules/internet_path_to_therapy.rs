//! MTM019 `internet-path-to-therapy`: UNFINISHED skeleton (helper C): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM019",
    name: "internet-path-to-therapy",
    title: "Internet-facing component can reach a therapy component",
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &[923],
    capec: &[],
    attack_techniques: &[],
    categories: &[ControlCategory::Authorization],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
