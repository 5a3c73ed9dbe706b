//! MTM027 `untraceable-phi-access`: access to stored patient data is not recorded anywhere an
//! investigator could see it.

use crate::context::RuleContext;
use crate::rule::{Docs, Fact, Family, Hits, Rule, Stride, Template};
use medtm_model::model::{ElementId, Subject};
use medtm_model::vocab::{AssetKind, Logging};

pub static RULE: Rule = Rule {
    code: "MTM027",
    name: "untraceable-phi-access",
    title: "Access to patient data is not logged off the device",
    stride: &[Stride::Repudiation],
    cwe: &[778],
    capec: &[],
    attack_techniques: &[],
    family: Family::Logging,
    when_named: &[],
    // Missing records hide an attack rather than cause one.
    template: Template::INDIRECT,
    docs: Docs {
        detects: "A store holding phi or pii whose host component, or any component with a flow to \
                  or from the store, has `logging` of none or local.",
        why: "A breach of patient data has to be investigated and, above a size, reported. Without \
              records of who read the data and when, nobody can say which patients were affected, \
              and a quiet, continuing exfiltration is never noticed.",
        mitigate: "Log every access to the store with user, time and extent on the components that \
                   reach it, and send the logs to a system that keeps and reviews them. Set \
                   `logging: off_device` on those components, or record a control with `category: \
                   logging` covering the store.",
        example: "store archive { holds: [patient_data] }\ncomponent pacs { kind: pacs, logging: local, stores: [archive] }",
    },
    check,
};

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    for (id, _, store) in cx.stores() {
        let personal = cx.of_kinds(&store.holds, &[AssetKind::Phi, AssetKind::Pii]);
        if personal.is_empty() {
            continue;
        }
        let mut accessors: Vec<ElementId> = store.host.into_iter().collect();
        for flow in cx.arriving(id).chain(cx.leaving(id)) {
            let other = if flow.to == id { flow.from } else { flow.to };
            if !accessors.contains(&other) {
                accessors.push(other);
            }
        }
        let silent: Vec<ElementId> = accessors
            .into_iter()
            .filter(|accessor| {
                cx.component(*accessor).is_some_and(|component| component.logging.value != Logging::OffDevice)
            })
            .collect();
        if silent.is_empty() {
            continue;
        }
        let verb = if silent.len() == 1 { "reaches" } else { "reach" };
        let explanation = format!(
            "{} holds {}, and {} {verb} it without logging off the device",
            cx.describe_element(id),
            cx.describe_assets(&personal),
            cx.describe_elements(&silent),
        );
        let facts: Vec<_> = silent
            .iter()
            .filter_map(|accessor| {
                cx.component(*accessor).map(|c| Fact::of(Subject::Element(*accessor), "logging", &c.logging))
            })
            .collect();
        hits.push(cx.element_hit(id, personal, explanation).resting_on(facts));
    }
}
