//! MTM007 `unsigned-firmware`: UNFINISHED skeleton (helper B): metadata fixed; docs, template,
//! check and fixtures to write.

use crate::context::RuleContext;
use crate::rule::{Docs, Hits, Rule, Stride, Template};
use medtm_model::vocab::ControlCategory;

pub static RULE: Rule = Rule {
    code: "MTM007",
    name: "unsigned-firmware",
    title: "Device installs firmware that is not signed",
    stride: &[Stride::Tampering, Stride::ElevationOfPrivilege],
    cwe: &[494, 347],
    capec: &[186, 657],
    attack_techniques: &[],
    categories: &[ControlCategory::Integrity, ControlCategory::Updatability],
    template: Template::FROM_MODEL,
    docs: Docs { detects: "", why: "", mitigate: "", example: "" },
    check,
};

fn check(_cx: &RuleContext<'_>, _hits: &mut Hits) {}
