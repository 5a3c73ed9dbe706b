//! MTM022 `exposed-remote-access`: UNFINISHED skeleton (helper C): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM022",
    name: "exposed-remote-access",
    title: "Remote administration reachable from a hostile network",
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &[1390, 284],
    capec: &[555],
    attack_techniques: &[],
    categories: &[ControlCategory::Authorization],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
