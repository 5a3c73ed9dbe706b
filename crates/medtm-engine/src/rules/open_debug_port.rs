//! MTM009 `open-debug-port`: UNFINISHED skeleton (helper B): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM009",
    name: "open-debug-port",
    title: "Debug port open on production units",
    stride: &[Stride::Tampering, Stride::InformationDisclosure, Stride::ElevationOfPrivilege],
    cwe: &[1191, 489],
    capec: &[121],
    attack_techniques: &[],
    categories: &[ControlCategory::Integrity],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
