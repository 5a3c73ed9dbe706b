//! MTM015 `untraceable-safety-actions`: what happens on a safety component leaves no record an
//! investigator could use.

use crate::context::RuleContext;
use crate::rule::{Docs, Fact, Family, Hits, Rule, Stride, Template};
use medtm_model::model::{Origin, Subject};
use medtm_model::vocab::Logging;

pub static RULE: Rule = Rule {
    code: "MTM015",
    name: "untraceable-safety-actions",
    title: "Actions on a safety component leave no usable record",
    stride: &[Stride::Repudiation],
    cwe: &[778, 223],
    capec: &[268],
    attack_techniques: &[],
    family: Family::Logging,
    when_named: &[],
    // Missing records hide an attack rather than cause one.
    template: Template::INDIRECT,
    docs: Docs {
        detects: "A component with a safety function whose `logging` is none or local (stated, \
                  unknown, or none by default).",
        why: "When a patient is harmed, the first question is whether the device was attacked. \
              Without security events kept off the device, an attack cannot be told from a \
              malfunction, a disputed therapy change cannot be attributed, and an ongoing attack on \
              other patients goes unnoticed.",
        mitigate: "Record security-relevant events (logins, configuration and therapy changes, \
                   update attempts, rejected messages) with time and origin, protect them, and send \
                   them to the hospital's or the maker's monitoring. Set `logging: off_device` once \
                   done, or record a control with `category: logging` covering the component.",
        example: "component pump {\n  kind: bedside\n  functions: [therapy_delivery]\n  logging: local\n}",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (id, _, component) in cx.components() {
        if !component.has_safety_function() || component.logging.value == Logging::OffDevice {
            continue;
        }
        let how = match (component.logging.value, component.logging.origin) {
            (Logging::Local, _) => "keeps its security events only on the device",
            (_, Origin::Stated) => "keeps no security events",
            (_, Origin::Unknown) => "may keep no security events (its `logging` is unknown)",
            (_, Origin::Default) => "keeps no security events (no `logging` stated)",
        };
        let explanation = format!("{} {how}, so an attack on it cannot be told from a fault", cx.describe_element(id));
        let facts = [Fact::of(Subject::Element(id), "logging", &component.logging)];
        hits.push(cx.element_hit(id, cx.component_assets(id), explanation).resting_on(facts));
    }
}
