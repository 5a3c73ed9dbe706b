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
//!   against ([`protects`]); `mitigates` narrows the control to the rules it names and does not
//!   stretch its category to other threats. A rule may list categories that answer it only when
//!   they name it (`Rule::when_named`: signing does not stop a downgrade unless the control says
//!   it refuses older images). A control without a category answers only the rules it names.
//!
//! Binding decides with data ([`Basis`], [`Why`]); the words are put together only for what a
//! report shows ([`AppliedControl::basis_text`], [`UnappliedControl::reason`]), because a large
//! model binds hundreds of thousands of control and finding pairs.
//!
//! Over-binding is worse than under-binding in a submission: every control that covers a finding
//! and does not apply is listed with the reason, and a control that applies nowhere is reported.

use medtm_cvss::Metrics;
use medtm_model::Model;
use medtm_model::graph::FlowEdge;
use medtm_model::model::{AssetId, Control, ControlId, Subject};
use medtm_model::vocab::{AssetKind, ControlCategory, ControlStatus, Vocabulary as _};
use serde::Serialize;

use crate::FastMap;
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
    /// Where its metric changes come from (see [`AppliedControl::effect`]).
    pub effect: EffectSource,
    /// How it reaches the finding's subject and why it applies ([`AppliedControl::basis`] words it).
    pub reach: Reach,
    pub basis: Basis,
    /// The rule's STRIDE threats it answers: all of them when it names the rule, else those
    /// its category protects against. A finding is mitigated only when its implemented controls
    /// answer all of its threats together.
    pub answers: Letters,
}

/// A set of STRIDE letters, as bits: what a control answers, without an allocation per finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Letters(u8);

impl Letters {
    fn bit(letter: Stride) -> u8 {
        1 << (letter as u8)
    }

    pub fn contains(self, letter: Stride) -> bool {
        self.0 & Self::bit(letter) != 0
    }
}

impl FromIterator<Stride> for Letters {
    fn from_iter<I: IntoIterator<Item = Stride>>(letters: I) -> Self {
        Letters(letters.into_iter().fold(0, |bits, letter| bits | Self::bit(letter)))
    }
}

/// Why a control answers a finding, as data; worded when a report asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Basis {
    /// Its category protects against this threat of the rule.
    Protects(Stride),
    /// It names the rule, and its category protects against this threat of it.
    NamedAndProtects(Stride),
    /// It has no category and names the rule.
    Named,
    /// It names the rule, whose `when_named` lists its category.
    NamedWhenNamed,
}

/// Why a control that covers a finding's subject does not answer it, as data; worded when a
/// report asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Why {
    /// It covers an end of the leg where controls of its category do not act.
    WrongSide,
    /// It covers a leg into the element that this threat does not come through.
    NotTheWay,
    /// It covers a way in, but the threat also comes through these (the first three, and how
    /// many in all).
    OtherWays { open: [Option<FlowEdge>; 3], count: usize },
    /// It covers the way in, but controls of its category do not act on the receiving side.
    WrongCategoryOnWay,
    /// It is about these assets (the first three, and whether there are more), and the finding
    /// involves none of them.
    OffScope { about: [Option<AssetId>; 3], more: bool },
    /// Its `mitigates` names other rules.
    MitigatesOthers,
    /// Its category answers the rule only when it names it (`when_named`), and it does not.
    NotNamed,
    /// It has no category and names no rules.
    NoCategory,
    /// It names the rule, but its category does not protect against any of its threats.
    NamedOutsideCategory,
    /// Its category does not protect against any of the rule's threats.
    CategoryDoesNotProtect,
}

/// Where an applied control's metric changes come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EffectSource {
    /// None: a planned control lowers nothing.
    None,
    /// Its category's default (see [`category_default`]).
    Default,
    /// Its `effect` in the model.
    Stated,
    /// None: its category's default does not hold against this threat (see
    /// [`default_holds`]).
    DefaultDoesNotHold,
}

/// Whether a category's default effect holds against a rule's threats. A resiliency control
/// keeps the essential function running through floods and crashes (`A:L`); against an attacker
/// whose code runs on the subject (a threat of elevation of privilege), which can stop the
/// function outright, that default does not hold, and only an `effect` the model states applies.
pub fn default_holds(category: ControlCategory, rule: &Rule) -> bool {
    !(category == ControlCategory::Resiliency && rule.stride.contains(&Stride::ElevationOfPrivilege))
}

impl AppliedControl {
    /// The metric changes it makes, as `(metric, value)`: its `effect`, its category's default,
    /// or none for a planned control. Read from the model rather than copied into every finding.
    pub fn effect<'m>(&self, model: &'m Model) -> Vec<(&'m str, &'m str)> {
        let control = &model.controls[self.control.index()];
        match self.effect {
            EffectSource::None | EffectSource::DefaultDoesNotHold => Vec::new(),
            EffectSource::Default => control.category.value.map(category_default).unwrap_or_default().to_vec(),
            EffectSource::Stated => {
                control.effect.iter().map(|entry| (entry.metric.as_str(), entry.value.as_str())).collect()
            }
        }
    }

    /// Whether its effect is its category's default rather than written in the model.
    pub fn default_effect(&self) -> bool {
        self.effect == EffectSource::Default
    }

    /// What it does to the finding's vector, in words: the metrics it sets, or why it sets none.
    pub fn effect_text(&self, model: &Model) -> String {
        let text = |metrics: &[(&str, &str)]| {
            metrics.iter().map(|(metric, value)| format!("{metric}:{value}")).collect::<Vec<_>>().join(", ")
        };
        match self.effect {
            EffectSource::None => "no effect until implemented".to_owned(),
            EffectSource::Stated => text(&self.effect(model)),
            EffectSource::Default => format!("{} (category default)", text(&self.effect(model))),
            EffectSource::DefaultDoesNotHold => {
                let control = &model.controls[self.control.index()];
                format!(
                    "no effect: its category's default ({}) does not hold against code running on the subject; \
                     state an `effect` if the control limits that too",
                    text(control.category.value.map(category_default).unwrap_or_default())
                )
            }
        }
    }
}

/// A control that covers a finding's subject but does not answer the finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UnappliedControl {
    pub control: ControlId,
    /// How it reaches the subject (its most direct way) and why it does not answer
    /// ([`UnappliedControl::reason`] words it).
    pub reach: Reach,
    pub why: Why,
}

/// How a control reaches a subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Reach {
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
    reach: FastMap<Subject, Vec<(ControlId, Reach)>>,
    /// The legs each control covers, for checking that all of a finding's ways in are covered.
    legs: FastMap<ControlId, Vec<FlowEdge>>,
    /// What each control that covers flows or assets is about: the assets they carry or are.
    scope: FastMap<ControlId, Vec<AssetId>>,
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
                    push_sized(&mut applied, applied_control(id, control, rule, reach, basis, answers));
                }
                Err(why) => {
                    // A control that reaches the subject several ways is reported with the
                    // reason of its most direct one (covering it, then its ends, then a way in).
                    let unapplied_here = UnappliedControl { control: id, reach, why };
                    match unapplied.iter_mut().find(|u| u.control == id) {
                        Some(listed) if reach.directness() < listed.reach.directness() => *listed = unapplied_here,
                        Some(_) => {}
                        None => push_sized(&mut unapplied, unapplied_here),
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

/// Pushes onto a list that usually holds one item: the first push allocates room for one only
/// (a growing `Vec` starts at four), which on a hospital-scale model is most of the binding's memory.
fn push_sized<T>(list: &mut Vec<T>, item: T) {
    if list.capacity() == 0 {
        list.reserve_exact(1);
    }
    list.push(item);
}

fn applied_control(
    id: ControlId,
    control: &Control,
    rule: &Rule,
    reach: Reach,
    basis: Basis,
    answers: Letters,
) -> AppliedControl {
    let status = control.status.value;
    let effect = if status == ControlStatus::Planned {
        EffectSource::None
    } else if control.effect.is_empty() {
        match control.category.value {
            Some(category) if !default_holds(category, rule) => EffectSource::DefaultDoesNotHold,
            _ => EffectSource::Default,
        }
    } else {
        EffectSource::Stated
    };
    AppliedControl { control: id, status, effect, reach, basis, answers }
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
/// the basis, or `Err` with the reason it does not. Decides only: [`AppliedControl::basis`] and
/// [`UnappliedControl::reason`] put it in words, for the few a report shows.
fn judge(
    cx: &RuleContext<'_>,
    control: &Control,
    rule: &Rule,
    subject: Subject,
    reach: Reach,
    exposure: &Exposure,
    about: &About<'_>,
) -> Result<Basis, Why> {
    let covered_legs = about.legs;
    let category = control.category.value;
    let named = control.mitigates.iter().any(|mitigated| mitigated.name == rule.name);
    // Where it stands.
    match reach {
        Reach::Covers => {}
        Reach::Receiver | Reach::Sender => {
            let leg = cx.subject_leg(subject).expect("receiver and sender reach legs");
            let allowed = if reach == Reach::Receiver {
                category.is_some_and(|c| RECEIVING.contains(&c))
            } else {
                let distributes_code = category == Some(ControlCategory::Integrity)
                    && leg.carries().iter().any(|asset| cx.asset(*asset).has_kind(AssetKind::Firmware));
                category.is_some_and(|c| SENDING.contains(&c)) || distributes_code
            };
            if !allowed && !named {
                return Err(Why::WrongSide);
            }
        }
        Reach::Way(edge) => {
            if exposure.via.is_empty() || !exposure.via.contains(&edge) {
                return Err(Why::NotTheWay);
            }
            let mut open: Vec<FlowEdge> =
                exposure.via.iter().copied().filter(|way| !covered_legs.contains(way)).collect();
            if !open.is_empty() {
                open.sort_by(|a, b| {
                    cx.model.subject_id(cx.leg(*a).subject()).cmp(cx.model.subject_id(cx.leg(*b).subject()))
                });
                open.dedup();
                let mut first = [None; 3];
                for (slot, way) in first.iter_mut().zip(&open) {
                    *slot = Some(*way);
                }
                return Err(Why::OtherWays { open: first, count: open.len() });
            }
            if !category.is_some_and(|c| RECEIVING.contains(&c)) && !named {
                return Err(Why::WrongCategoryOnWay);
            }
        }
    }
    // What it is about: a control that covers flows or assets answers, away from them, only
    // findings that involve what they carry.
    let on_covered_leg = matches!(subject, Subject::Flow(_) | Subject::Response(_))
        && cx.subject_leg(subject).is_some_and(|leg| covered_legs.contains(&leg.edge()));
    if let Some(scope) = about.scope
        && !on_covered_leg
        && !matches!(subject, Subject::Asset(asset) if scope.contains(&asset))
        && !about.assets.iter().any(|asset| scope.contains(asset))
    {
        let mut first = [None; 3];
        for (slot, asset) in first.iter_mut().zip(scope) {
            *slot = Some(*asset);
        }
        return Err(Why::OffScope { about: first, more: scope.len() > 3 });
    }
    // What it answers.
    let letters = category.map_or(&[][..], protects);
    let protected = rule.stride.iter().copied().find(|letter| letters.contains(letter));
    if !control.mitigates.is_empty() && !named {
        return Err(Why::MitigatesOthers);
    }
    let when_named = category.and_then(|c| rule.only_when_named(c)).is_some();
    if when_named && !named {
        return Err(Why::NotNamed);
    }
    match (category, protected, named) {
        (None, _, true) => Ok(Basis::Named),
        (None, _, false) => Err(Why::NoCategory),
        (Some(_), Some(letter), true) => Ok(Basis::NamedAndProtects(letter)),
        (Some(_), None, true) if when_named => Ok(Basis::NamedWhenNamed),
        // Otherwise `mitigates` narrows a control to the rules it names; it does not stretch its
        // category to threats the category does not protect against.
        (Some(_), None, true) => Err(Why::NamedOutsideCategory),
        (Some(_), Some(letter), false) => Ok(Basis::Protects(letter)),
        (Some(_), None, false) => Err(Why::CategoryDoesNotProtect),
    }
}

/// What a control's reach says, in words: "covers `pump`", "covers `pump`, on the receiving
/// side of `bolus`", "covers `bolus`, the way into `pump`".
fn place(model: &Model, subject: Subject, reach: Reach) -> String {
    let subject_id = model.subject_id(subject);
    match reach {
        Reach::Covers => format!("covers `{subject_id}`"),
        Reach::Receiver | Reach::Sender => {
            let (end, side) = match (model.subject_leg_ends(subject), reach) {
                (Some((_, to)), Reach::Receiver) => (to, "receiving"),
                (Some((from, _)), _) => (from, "sending"),
                (None, _) => return format!("covers `{subject_id}`"),
            };
            format!("covers `{}`, on the {side} side of `{subject_id}`", model.element(end).meta.id)
        }
        Reach::Way(edge) => format!("covers `{}`, the way into `{subject_id}`", model.flow(edge.flow).meta.id),
    }
}

fn category_name(control: &Control) -> &'static str {
    control.category.value.map_or("no category", |c| c.as_str())
}

impl AppliedControl {
    /// Why it applies, in words: what it covers and how it answers the rule.
    pub fn basis_text(&self, model: &Model, rule: &Rule, subject: Subject) -> String {
        let control = &model.controls[self.control.index()];
        let place = place(model, subject, self.reach);
        let category = category_name(control);
        match self.basis {
            Basis::Named => format!("{place} and names `{}` in `mitigates`", rule.name),
            Basis::NamedAndProtects(letter) => {
                format!("{place}, names `{}`, and {category} protects against {}", rule.name, letter_name(letter))
            }
            Basis::NamedWhenNamed => format!(
                "{place} and names `{}` in `mitigates`, which {category} controls answer when they name it",
                rule.name
            ),
            Basis::Protects(letter) => format!("{place}, and {category} protects against {}", letter_name(letter)),
        }
    }
}

impl UnappliedControl {
    /// Why it does not answer the finding, in words.
    pub fn reason(&self, model: &Model, rule: &Rule, subject: Subject) -> String {
        let control = &model.controls[self.control.index()];
        let subject_id = model.subject_id(subject);
        let category = category_name(control);
        let threats = || join_and(&rule.stride.iter().map(|s| letter_name(*s).to_owned()).collect::<Vec<_>>());
        let flow_id = |reach: Reach| match reach {
            Reach::Way(edge) => model.flow(edge.flow).meta.id.as_str(),
            _ => subject_id,
        };
        let place = || place(model, subject, self.reach);
        match self.why {
            Why::WrongSide => format!("{}, where {category} controls do not act", place()),
            Why::NotTheWay => {
                format!("covers `{}`, which is not how this threat reaches `{subject_id}`", flow_id(self.reach))
            }
            Why::OtherWays { open, count } => {
                let mut ways: Vec<String> =
                    open.iter().flatten().map(|way| format!("`{}`", model.subject_id(way.subject()))).collect();
                if count > ways.len() {
                    ways.push(format!("{} more", count - ways.len()));
                }
                format!("covers `{}`, but `{subject_id}` is also reached over {}", flow_id(self.reach), join_and(&ways))
            }
            Why::WrongCategoryOnWay => {
                format!("covers `{}` into `{subject_id}`, where {category} controls do not act", flow_id(self.reach))
            }
            Why::OffScope { about, more } => {
                let named: Vec<String> =
                    about.iter().flatten().map(|asset| format!("`{}`", model.asset(*asset).meta.id)).collect();
                format!(
                    "{}, but it is about {}{} and this finding involves none of it",
                    place(),
                    join_and(&named),
                    if more { " and more" } else { "" }
                )
            }
            Why::MitigatesOthers => {
                let names: Vec<String> = control.mitigates.iter().map(|rule| format!("`{}`", rule.name)).collect();
                format!("{}, but its `mitigates` names only {}", place(), names.join(", "))
            }
            Why::NotNamed => {
                let why = control.category.value.and_then(|c| rule.only_when_named(c)).unwrap_or_default();
                format!("{}, but {why}: name `{}` in its `mitigates` if it does", place(), rule.name)
            }
            Why::NoCategory => format!("{}, but has no category and names no rules", place()),
            Why::NamedOutsideCategory => format!(
                "{} and names `{}` in `mitigates`, but {category} does not protect against {}: give the control the \
                 category that does",
                place(),
                rule.name,
                threats()
            ),
            Why::CategoryDoesNotProtect => {
                format!("{}, but {category} does not protect against {}", place(), threats())
            }
        }
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
                .any(|control| control.status == ControlStatus::Implemented && control.answers.contains(*letter))
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
pub fn residual(model: &Model, inherent: Metrics, controls: &[AppliedControl]) -> Metrics {
    let mut metrics = inherent;
    for control in controls {
        for (metric, value) in control.effect(model) {
            // Effects were validated by the checker; an invalid one cannot reach this point,
            // and would only be skipped if it did.
            let _ = metrics.apply(metric, value);
        }
    }
    metrics
}

/// The model's controls' ids, for callers that walk them all.
pub fn ids(model: &Model) -> impl Iterator<Item = ControlId> + '_ {
    (0..model.controls.len()).map(|index| ControlId(index as u32))
}
