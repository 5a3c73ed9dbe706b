//! Controls and risk decisions applied to findings: which controls answer a finding, what they do
//! to its vector (their `effect`, or their category's documented default), and which controls and
//! decisions match nothing.

use medtm_cvss::Metrics;
use medtm_model::Model;
use medtm_model::model::{AssetId, Control, ControlId, Subject};
use medtm_model::vocab::{ControlCategory, ControlStatus};
use serde::Serialize;

use crate::rule::Rule;

/// What a control of a category achieves when it states no `effect`. Each default is the
/// metric change a typical control of the category makes, and is documented in the README:
/// - authentication: the attacker needs strong credentials (`PR:H`);
/// - authorization: only highly privileged roles can act (`PR:H`);
/// - cryptography: breaking or bypassing the cryptography takes conditions the attacker does not
///   control (`AC:H`, `AT:P`);
/// - integrity: tampering is detected unless keys are compromised (`AC:H`, `AT:P`);
/// - confidentiality: what leaks is of little use (`C:L`);
/// - logging: actions are recorded and attributable, so integrity loss is limited (`I:L`);
/// - resiliency: the essential function continues in a degraded mode (`A:L`);
/// - updatability: fixes arrive in time, so the attack depends on an unpatched window (`AT:P`).
pub fn category_default(category: ControlCategory) -> &'static [(&'static str, &'static str)] {
    match category {
        ControlCategory::Authentication | ControlCategory::Authorization => &[("PR", "H")],
        ControlCategory::Cryptography | ControlCategory::Integrity => &[("AC", "H"), ("AT", "P")],
        ControlCategory::Confidentiality => &[("C", "L")],
        ControlCategory::Logging => &[("I", "L")],
        ControlCategory::Resiliency => &[("A", "L")],
        ControlCategory::Updatability => &[("AT", "P")],
    }
}

/// A control that answers a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedControl {
    pub control: ControlId,
    pub status: ControlStatus,
    /// The metric changes it makes (its `effect`, or its category's default); empty for planned
    /// controls, which lower nothing.
    pub effect: Vec<(String, String)>,
    /// Whether the effect is the category's default rather than written in the model.
    pub default_effect: bool,
}

/// Whether `control` answers `rule`: it names the rule in `mitigates`, or (naming none) its
/// category is one the rule lists.
pub fn answers(control: &Control, rule: &Rule) -> bool {
    if control.mitigates.is_empty() {
        control.category.value.is_some_and(|category| rule.categories.contains(&category))
    } else {
        control.mitigates.iter().any(|mitigated| mitigated.name == rule.name)
    }
}

/// Whether `control` covers a finding on `subject` involving `assets`: it lists the subject; or a
/// boundary the subject sits in (both ends, for a flow); or one of the assets at stake.
pub fn covers(model: &Model, control: &Control, subject: Subject, assets: &[AssetId]) -> bool {
    control.covers.iter().any(|covered| match (*covered, subject) {
        (covered, subject) if covered == subject => true,
        (Subject::Boundary(boundary), Subject::Element(element)) => {
            model.boundary_chain(model.element(element).boundary).any(|b| b == boundary)
        }
        (Subject::Boundary(boundary), Subject::Flow(flow)) => {
            let flow = model.flow(flow);
            [flow.from, flow.to]
                .iter()
                .all(|end| model.boundary_chain(model.element(*end).boundary).any(|b| b == boundary))
        }
        (Subject::Asset(asset), _) => assets.contains(&asset),
        _ => false,
    })
}

/// The controls that answer a finding, with the effect each has.
pub fn applicable(model: &Model, rule: &Rule, subject: Subject, assets: &[AssetId]) -> Vec<AppliedControl> {
    model
        .controls
        .iter()
        .enumerate()
        .filter(|(_, control)| answers(control, rule) && covers(model, control, subject, assets))
        .map(|(index, control)| {
            let status = control.status.value;
            let (effect, default_effect) = if status == ControlStatus::Planned {
                (Vec::new(), false)
            } else if control.effect.is_empty() {
                let defaults = control.category.value.map(category_default).unwrap_or_default();
                (defaults.iter().map(|(m, v)| ((*m).to_owned(), (*v).to_owned())).collect(), true)
            } else {
                (control.effect.iter().map(|entry| (entry.metric.clone(), entry.value.clone())).collect(), false)
            };
            AppliedControl { control: ControlId(index as u32), status, effect, default_effect }
        })
        .collect()
}

/// The residual metrics: the inherent ones with every applied effect, in declaration order.
pub fn residual(inherent: Metrics, controls: &[AppliedControl]) -> Metrics {
    let mut metrics = inherent;
    for (metric, value) in controls.iter().flat_map(|control| control.effect.iter()) {
        // Effects were validated by the checker; an invalid one cannot reach this point, and
        // would only be skipped if it did.
        let _ = metrics.apply(metric, value);
    }
    metrics
}
