//! MTM023 `service-interface-takeover`: UNFINISHED skeleton (helper C): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM023",
    name: "service-interface-takeover",
    title: "Service interface grants full control on weak authentication",
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &[285, 1390],
    capec: &[],
    attack_techniques: &[],
    categories: &[ControlCategory::Authorization],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
