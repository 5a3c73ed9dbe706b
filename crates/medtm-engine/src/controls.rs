//! Controls applied to findings: which controls answer a finding and why, which cover its subject
//! but do not answer it and why not, and what the applied ones do to its vector (their `effect`,
//! or their category's documented default). The binding table in the README describes the same
//! rules; this module is their one implementation.
//!
//! A control binds to a finding when it covers the finding's subject and answers its rule:
//! - **Covers**: the subject itself (a flow covers both its legs); an element inside a covered
//!   boundary, or a flow with both ends inside; a flow leg that carries a covered asset, a store
//!   that holds it, or the asset itself. A covered element also covers, on its receiving side,
//!   the legs into it for authentication, authorization, integrity and resiliency controls, and
//!   on its sending side the legs out of it for confidentiality and cryptography controls (and
//!   integrity controls where the leg carries firmware it distributes). A covered flow covers a
//!   finding on the element it leads into when the finding's ways in are all covered.
//! - **About what**: a control that covers flows is about what they carry (and a control that
//!   covers assets, about those): on the elements it also covers, it answers only findings that
//!   involve those assets. "Firmware is signed", covering the firmware flow and the pump, does
//!   not answer tampering with the pump's bolus commands.
//! - **Answers**: a control's category answers the rules whose STRIDE letters it protects
//!   against ([`protects`]); `mitigates` narrows the control to the rules it names, and a rule it
//!   names is answered even where the category would not (the report says so).
//!   A control without a category answers only the rules it names.
//!
//! Over-binding is worse than under-binding in a submission: every control that covers a finding
//! and does not apply is listed with the reason, and a control that applies nowhere is reported.

use std::collections::HashMap;

use medtm_cvss::Metrics;
use medtm_model::Model;
use medtm_model::graph::FlowEdge;
use medtm_model::model::{AssetId, Control, ControlId, Subject};
use medtm_model::vocab::{AssetKind, ControlCategory, ControlStatus, Vocabulary as _};
use serde::Serialize;

use crate::context::{RuleContext, join_and};
use crate::rule::{Exposure, Rule, Stride};

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

/// The STRIDE threats a category of control protects against.
pub const fn protects(category: ControlCategory) -> &'static [Stride] {
    match category {
        ControlCategory::Authentication => &[Stride::Spoofing],
        ControlCategory::Authorization => &[Stride::Spoofing, Stride::ElevationOfPrivilege],
        ControlCategory::Cryptography => &[Stride::Spoofing, Stride::Tampering, Stride::InformationDisclosure],
        ControlCategory::Integrity => &[Stride::Tampering],
        ControlCategory::Confidentiality => &[Stride::InformationDisclosure],
        ControlCategory::Logging => &[Stride::Repudiation],
        ControlCategory::Resiliency => &[Stride::DenialOfService],
        ControlCategory::Updatability => &[Stride::ElevationOfPrivilege],
    }
}

/// Categories that act where data arrives: covering an element, they cover the legs into it.
const RECEIVING: &[ControlCategory] = &[
    ControlCategory::Authentication,
    ControlCategory::Authorization,
    ControlCategory::Integrity,
    ControlCategory::Resiliency,
];
/// Categories that act where data leaves: covering an element, they cover the legs out of it.
const SENDING: &[ControlCategory] = &[ControlCategory::Confidentiality, ControlCategory::Cryptography];

/// How many controls that cover a finding without applying are listed with it; the rest are
/// counted.
pub const UNAPPLIED_LISTED: usize = 5;

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
    /// Why it applies, in words: what it covers and how it answers the rule.
    pub basis: String,
    /// The rule's STRIDE threats it answers: all of them when it names the rule, else those
    /// its category protects against. A finding is mitigated only when its implemented controls
    /// answer all of its threats together.
    pub answers: Vec<Stride>,
}

/// A control that covers a finding's subject but does not answer the finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnappliedControl {
    pub control: ControlId,
    /// Why not, in words.
    pub reason: String,
    /// How directly it reaches the subject (see `Reach::directness`), to keep the best reason.
    #[serde(skip)]
    directness: u8,
}

/// How a control reaches a subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// It lists the subject, or a boundary or asset that contains it.
    Covers,
    /// It covers the element this leg leads into.
    Receiver,
    /// It covers the element this leg leaves.
    Sender,
    /// It covers a leg by which the attacker reaches this element.
    Way(FlowEdge),
}

impl Reach {
    /// How directly the control reaches the subject: lower is more direct.
    fn directness(self) -> u8 {
        match self {
            Reach::Covers => 0,
            Reach::Receiver | Reach::Sender => 1,
            Reach::Way(_) => 2,
        }
    }
}

/// For each subject, the controls that reach it and how. Built once per analysis, so that
/// binding costs what a finding's own controls cost, not the model's.
#[derive(Debug, Default)]
pub struct ControlIndex {
    reach: HashMap<Subject, Vec<(ControlId, Reach)>>,
    /// The legs each control covers, for checking that all of a finding's ways in are covered.
    legs: HashMap<ControlId, Vec<FlowEdge>>,
    /// What each control that covers flows or assets is about: the assets they carry or are.
    scope: HashMap<ControlId, Vec<AssetId>>,
}

impl ControlIndex {
    pub fn new(cx: &RuleContext<'_>) -> Self {
        let model = cx.model;
        let mut index = ControlIndex::default();
        for (position, control) in model.controls.iter().enumerate() {
            let id = ControlId(position as u32);
            let mut add = |subject: Subject, reach: Reach| {
                let entries = index.reach.entry(subject).or_default();
                if !entries.contains(&(id, reach)) {
                    entries.push((id, reach));
                }
            };
            let mut legs = Vec::new();
            let mut scope = Vec::new();
            for covered in &control.covers {
                match *covered {
                    Subject::Element(element) => {
                        add(Subject::Element(element), Reach::Covers);
                        for leg in cx.arriving(element) {
                            add(leg.subject(), Reach::Receiver);
                        }
                        for leg in cx.leaving(element) {
                            add(leg.subject(), Reach::Sender);
                        }
                    }
                    Subject::Flow(flow) | Subject::Response(flow) => {
                        for leg in [FlowEdge { flow, reverse: false }, FlowEdge { flow, reverse: true }] {
                            if leg.reverse && model.flow(flow).response.is_none() {
                                continue;
                            }
                            let leg = cx.leg(leg);
                            add(leg.subject(), Reach::Covers);
                            add(Subject::Element(leg.to), Reach::Way(leg.edge()));
                            legs.push(leg.edge());
                            scope.extend(leg.carries().iter().copied());
                        }
                    }
                    Subject::Boundary(boundary) => {
                        let inside =
                            |element| model.boundary_chain(model.element(element).boundary).any(|b| b == boundary);
                        for (element, _) in cx.elements() {
                            if inside(element) {
                                add(Subject::Element(element), Reach::Covers);
                            }
                        }
                        for leg in cx.directed_flows() {
                            if inside(leg.from) && inside(leg.to) {
                                add(leg.subject(), Reach::Covers);
                            }
                        }
                    }
                    Subject::Asset(asset) => {
                        scope.push(asset);
                        add(Subject::Asset(asset), Reach::Covers);
                        for leg in cx.directed_flows() {
                            if leg.carries().contains(&asset) {
                                add(leg.subject(), Reach::Covers);
                            }
                        }
                        for (store, _, held) in cx.stores() {
                            if held.holds.contains(&asset) {
                                add(Subject::Element(store), Reach::Covers);
                            }
                        }
                    }
                    Subject::Software(software) => add(Subject::Software(software), Reach::Covers),
                }
            }
            index.legs.insert(id, legs);
            if !scope.is_empty() {
                scope.sort_unstable();
                scope.dedup();
                index.scope.insert(id, scope);
            }
        }
        index
    }

    /// The controls that answer a finding of `rule` on `subject` reached through `exposure`, and
    /// those that cover it without answering it, with the reasons.
    pub fn bind(
        &self,
        cx: &RuleContext<'_>,
        rule: &Rule,
        subject: Subject,
        assets: &[AssetId],
        exposure: &Exposure,
    ) -> (Vec<AppliedControl>, Vec<UnappliedControl>) {
        let model = cx.model;
        let Some(entries) = self.reach.get(&subject) else { return (Vec::new(), Vec::new()) };
        let mut applied: Vec<AppliedControl> = Vec::new();
        let mut unapplied: Vec<UnappliedControl> = Vec::new();
        for &(id, reach) in entries {
            if applied.iter().any(|a| a.control == id) {
                continue;
            }
            let control = &model.controls[id.index()];
            let about = About {
                legs: self.legs.get(&id).map_or(&[][..], Vec::as_slice),
                scope: self.scope.get(&id).map(Vec::as_slice),
                assets,
            };
            match judge(cx, control, rule, subject, reach, exposure, &about) {
                Ok(basis) => {
                    unapplied.retain(|u| u.control != id);
                    let named = control.mitigates.iter().any(|mitigated| mitigated.name == rule.name);
                    let letters = control.category.value.map_or(&[][..], protects);
                    let answers =
                        rule.stride.iter().copied().filter(|letter| named || letters.contains(letter)).collect();
                    applied.push(applied_control(id, control, basis, answers));
                }
                Err(reason) => {
                    // A control that reaches the subject several ways is reported with the
                    // reason of its most direct one (covering it, then its ends, then a way in).
                    let directness = reach.directness();
                    match unapplied.iter_mut().find(|u| u.control == id) {
                        Some(listed) if directness < listed.directness => {
                            *listed = UnappliedControl { control: id, reason, directness };
                        }
                        Some(_) => {}
                        None => unapplied.push(UnappliedControl { control: id, reason, directness }),
                    }
                }
            }
        }
        // Applied: declaration order, as the controls are listed in the model. Unapplied: by id,
        // so that which of them a bounded list shows does not depend on declaration order.
        applied.sort_by_key(|a| a.control);
        unapplied
            .sort_by(|a, b| model.controls[a.control.index()].meta.id.cmp(&model.controls[b.control.index()].meta.id));
        (applied, unapplied)
    }
}

fn applied_control(id: ControlId, control: &Control, basis: String, answers: Vec<Stride>) -> AppliedControl {
    let status = control.status.value;
    let (effect, default_effect) = if status == ControlStatus::Planned {
        (Vec::new(), false)
    } else if control.effect.is_empty() {
        let defaults = control.category.value.map(category_default).unwrap_or_default();
        (defaults.iter().map(|(m, v)| ((*m).to_owned(), (*v).to_owned())).collect(), true)
    } else {
        (control.effect.iter().map(|entry| (entry.metric.clone(), entry.value.clone())).collect(), false)
    };
    AppliedControl { control: id, status, effect, default_effect, basis, answers }
}

/// What a control covers besides subjects, and what a finding is about.
struct About<'a> {
    /// The legs the control covers.
    legs: &'a [FlowEdge],
    /// The assets the control is about, when it covers flows or assets.
    scope: Option<&'a [AssetId]>,
    /// The finding's assets.
    assets: &'a [AssetId],
}

/// Whether `control`, reaching `subject` as `reach`, answers a finding of `rule`: `Ok` with
/// the basis, or `Err` with the reason it does not.
fn judge(
    cx: &RuleContext<'_>,
    control: &Control,
    rule: &Rule,
    subject: Subject,
    reach: Reach,
    exposure: &Exposure,
    about: &About<'_>,
) -> Result<String, String> {
    let covered_legs = about.legs;
    let model = cx.model;
    let category = control.category.value;
    let named = control.mitigates.iter().any(|mitigated| mitigated.name == rule.name);
    let category_name = category.map_or("no category", |c| c.as_str());
    let subject_id = model.subject_id(subject);
    // Where it stands.
    let place = match reach {
        Reach::Covers => format!("covers `{subject_id}`"),
        Reach::Receiver | Reach::Sender => {
            let leg = cx.subject_leg(subject).expect("receiver and sender reach legs");
            let (end, side, allowed) = if reach == Reach::Receiver {
                (leg.to, "receiving", category.is_some_and(|c| RECEIVING.contains(&c)))
            } else {
                let distributes_code = category == Some(ControlCategory::Integrity)
                    && leg.carries().iter().any(|asset| cx.asset(*asset).has_kind(AssetKind::Firmware));
                (leg.from, "sending", category.is_some_and(|c| SENDING.contains(&c)) || distributes_code)
            };
            let end_id = &model.element(end).meta.id;
            if !allowed && !named {
                return Err(format!(
                    "covers `{end_id}`, on the {side} side of `{subject_id}`, where {category_name} controls do not act"
                ));
            }
            format!("covers `{end_id}`, on the {side} side of `{subject_id}`")
        }
        Reach::Way(edge) => {
            let flow_id = &model.flow(edge.flow).meta.id;
            if exposure.via.is_empty() || !exposure.via.contains(&edge) {
                return Err(format!("covers `{flow_id}`, which is not how this threat reaches `{subject_id}`"));
            }
            let mut open: Vec<String> = exposure
                .via
                .iter()
                .filter(|way| !covered_legs.contains(way))
                .map(|way| format!("`{}`", model.subject_id(cx.leg(*way).subject())))
                .collect();
            if !open.is_empty() {
                open.sort();
                open.dedup();
                return Err(format!("covers `{flow_id}`, but `{subject_id}` is also reached over {}", join_and(&open)));
            }
            if !category.is_some_and(|c| RECEIVING.contains(&c)) && !named {
                return Err(format!(
                    "covers `{flow_id}` into `{subject_id}`, where {category_name} controls do not act"
                ));
            }
            format!("covers `{flow_id}`, the way into `{subject_id}`")
        }
    };
    // What it is about: a control that covers flows or assets answers, away from them, only
    // findings that involve what they carry.
    let on_covered_leg = matches!(subject, Subject::Flow(_) | Subject::Response(_))
        && cx.subject_leg(subject).is_some_and(|leg| covered_legs.contains(&leg.edge()));
    if let Some(scope) = about.scope
        && !on_covered_leg
        && !matches!(subject, Subject::Asset(asset) if scope.contains(&asset))
        && !about.assets.iter().any(|asset| scope.contains(asset))
    {
        let named: Vec<String> =
            scope.iter().take(3).map(|asset| format!("`{}`", model.asset(*asset).meta.id)).collect();
        return Err(format!(
            "{place}, but it is about {}{} and this finding involves none of it",
            join_and(&named),
            if scope.len() > 3 { " and more" } else { "" }
        ));
    }
    // What it answers.
    let letters = category.map_or(&[][..], protects);
    let protected = rule.stride.iter().find(|letter| letters.contains(letter));
    if !control.mitigates.is_empty() && !named {
        let names: Vec<String> = control.mitigates.iter().map(|rule| format!("`{}`", rule.name)).collect();
        return Err(format!("{place}, but its `mitigates` names only {}", names.join(", ")));
    }
    let when_named = category.and_then(|c| rule.only_when_named(c));
    if let Some(why) = when_named.filter(|_| !named) {
        return Err(format!("{place}, but {why}: name `{}` in its `mitigates` if it does", rule.name));
    }
    let threats = || join_and(&rule.stride.iter().map(|s| letter_name(*s).to_owned()).collect::<Vec<_>>());
    match (category, protected, named) {
        (None, _, true) => Ok(format!("{place} and names `{}` in `mitigates`", rule.name)),
        (None, _, false) => Err(format!("{place}, but has no category and names no rules")),
        (Some(_), Some(letter), true) => {
            Ok(format!("{place}, names `{}`, and {category_name} protects against {}", rule.name, letter_name(*letter)))
        }
        (Some(_), None, true) if when_named.is_some() => Ok(format!(
            "{place} and names `{}` in `mitigates`, which {category_name} controls answer when they name it",
            rule.name
        )),
        // Otherwise `mitigates` narrows a control to the rules it names; it does not stretch its
        // category to threats the category does not protect against.
        (Some(_), None, true) => Err(format!(
            "{place} and names `{}` in `mitigates`, but {category_name} does not protect against {}: give the \
             control the category that does",
            rule.name,
            threats()
        )),
        (Some(_), Some(letter), false) => {
            Ok(format!("{place}, and {category_name} protects against {}", letter_name(*letter)))
        }
        (Some(_), None, false) => Err(format!("{place}, but {category_name} does not protect against {}", threats())),
    }
}

/// The threats of `rule` that no implemented control among `controls` answers.
pub fn unanswered(rule: &Rule, controls: &[AppliedControl]) -> Vec<Stride> {
    rule.stride
        .iter()
        .copied()
        .filter(|letter| {
            !controls
                .iter()
                .any(|control| control.status == ControlStatus::Implemented && control.answers.contains(letter))
        })
        .collect()
}

pub fn letter_name(letter: Stride) -> &'static str {
    match letter {
        Stride::Spoofing => "spoofing",
        Stride::Tampering => "tampering",
        Stride::Repudiation => "repudiation",
        Stride::InformationDisclosure => "information disclosure",
        Stride::DenialOfService => "denial of service",
        Stride::ElevationOfPrivilege => "elevation of privilege",
    }
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

/// Whether a control's `effect` lowers something of `metrics` (for saying when it does not).
pub fn lowers(metrics: Metrics, control: &AppliedControl) -> bool {
    residual(metrics, std::slice::from_ref(control)) != metrics
}

/// The model's controls' ids, for callers that walk them all.
pub fn ids(model: &Model) -> impl Iterator<Item = ControlId> + '_ {
    (0..model.controls.len()).map(|index| ControlId(index as u32))
}
