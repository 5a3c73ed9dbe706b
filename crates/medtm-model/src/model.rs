//! The typed model: what a checked `.mtm` file means. Every value is resolved (references are
//! indices, words are enums, `unknown` is already the worst case) so the analysis never sees text.

use std::borrow::Cow;
use std::collections::BTreeMap;

use jiff::civil::Date;
use medtm_syntax::Span;
use medtm_syntax::ast::Direction;
use serde::Serialize;

use crate::graph::DataFlowGraph;
use crate::vocab::{
    ActorAuth, ActorRole, AssetKind, Authn, BoundaryKind, ComponentKind, ControlCategory, ControlStatus, Custody,
    DebugPort, Encryption, Environment, Exploitability, Function, Harm, Integrity, Logging, Medium, Os, Party,
    PortState, Protocol, Provisioning, Replay, RiskLevel, Support, SystemFunction,
};

macro_rules! index_type {
    ($($(#[doc = $doc:literal])* $name:ident;)*) => {$(
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl $name {
            pub const fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

index_type! {
    /// Index into [`Model::assets`].
    AssetId;
    /// Index into [`Model::boundaries`].
    BoundaryId;
    /// Index into [`Model::elements`]: actors, components and stores, the nodes of the data-flow graph.
    ElementId;
    /// Index into [`Model::flows`].
    FlowId;
    /// Index into [`Model::software`].
    SoftwareId;
    /// Index into [`Model::controls`].
    ControlId;
}

/// How a value came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Written in the model.
    Stated,
    /// Written as `unknown`: the worst case is assumed and the report lists it as an open question.
    Unknown,
    /// Left out: the documented default applies.
    Default,
}

/// An attribute's value, where it was written, and whether it was stated at all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attr<T> {
    pub value: T,
    pub origin: Origin,
    /// The value's span when it was written.
    pub span: Option<Span>,
}

impl<T> Attr<T> {
    pub fn default_value(value: T) -> Self {
        Self { value, origin: Origin::Default, span: None }
    }

    pub fn is_stated(&self) -> bool {
        self.origin != Origin::Default
    }

    /// What an explanation adds when the value `name` was not written as a fact: ` (`name` is
    /// unknown)`, ` (`name` is not stated)`, or nothing.
    pub fn unstated_note(&self, name: &str) -> String {
        match self.origin {
            Origin::Stated => String::new(),
            Origin::Unknown => format!(" (`{name}` is unknown)"),
            Origin::Default => format!(" (`{name}` is not stated)"),
        }
    }
}

/// A value as a reader would write it, for the assumptions a report lists (borrowed when it is
/// a word of the language, as most are).
pub trait Shown {
    fn shown(&self) -> Cow<'static, str>;
}

impl<T: crate::vocab::Vocabulary> Shown for Vec<T> {
    fn shown(&self) -> Cow<'static, str> {
        match self.as_slice() {
            [] => Cow::Borrowed("none"),
            [one] => Cow::Borrowed(one.as_str()),
            many => format!("[{}]", many.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")).into(),
        }
    }
}

impl Shown for bool {
    fn shown(&self) -> Cow<'static, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

impl Shown for u64 {
    fn shown(&self) -> Cow<'static, str> {
        self.to_string().into()
    }
}

impl Shown for Option<u64> {
    fn shown(&self) -> Cow<'static, str> {
        self.map_or(Cow::Borrowed("many"), |n| n.to_string().into())
    }
}

/// What every declaration has: its id, label, documentation and place in the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    pub id: String,
    /// The display label; the id when none was written.
    pub label: String,
    /// The `///` documentation above the declaration.
    pub doc: Option<String>,
    /// The whole declaration.
    pub span: Span,
    /// The id (or, for an unnamed flow, the arrow).
    pub id_span: Span,
}

/// The system the model describes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct System {
    pub meta: Meta,
    pub version: Option<String>,
    pub function: Attr<SystemFunction>,
    pub environment: Attr<Environment>,
    pub device_class: Option<String>,
}

/// Something worth protecting: data, a command, code, a key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Asset {
    pub meta: Meta,
    pub kinds: Attr<Vec<AssetKind>>,
    pub harm: Attr<Harm>,
    /// How many patients one compromise of this asset exposes; `None` when not stated, which the
    /// analysis treats as "many".
    pub patients: Attr<Option<u64>>,
    /// For a credential or key: what it opens (the flows it authenticates, the elements it
    /// unlocks). Empty when not stated; the analysis then takes the flows that carry it with a
    /// password, token or shared-secret authentication.
    pub opens: Vec<Subject>,
    /// For a credential or key: how it is set on the units that hold it.
    pub provisioning: Attr<Provisioning>,
}

impl Asset {
    pub fn has_kind(&self, kind: AssetKind) -> bool {
        self.kinds.value.contains(&kind)
    }
}

/// A trust zone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Boundary {
    pub meta: Meta,
    pub kind: Attr<BoundaryKind>,
    /// Whether an attacker is assumed inside: from `hostile`, else from the kind.
    pub hostile: Attr<bool>,
    /// The enclosing boundary.
    pub parent: Option<BoundaryId>,
}

/// A node of the data-flow graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Element {
    pub meta: Meta,
    /// The innermost boundary it is declared in.
    pub boundary: Option<BoundaryId>,
    pub kind: ElementKind,
}

/// What kind of data-flow element an element is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "element", rename_all = "snake_case")]
#[allow(
    clippy::large_enum_variant,
    reason = "models hold thousands of elements at most; boxing would only add indirection"
)]
pub enum ElementKind {
    Actor(Actor),
    Component(Component),
    Store(Store),
}

impl Element {
    pub fn as_actor(&self) -> Option<&Actor> {
        match &self.kind {
            ElementKind::Actor(actor) => Some(actor),
            _ => None,
        }
    }

    pub fn as_component(&self) -> Option<&Component> {
        match &self.kind {
            ElementKind::Component(component) => Some(component),
            _ => None,
        }
    }

    pub fn as_store(&self) -> Option<&Store> {
        match &self.kind {
            ElementKind::Store(store) => Some(store),
            _ => None,
        }
    }

    /// "actor", "component" or "store".
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            ElementKind::Actor(_) => "actor",
            ElementKind::Component(_) => "component",
            ElementKind::Store(_) => "store",
        }
    }
}

/// A person or organisation that takes part (a DFD external entity).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Actor {
    pub role: Attr<ActorRole>,
    pub auth: Attr<ActorAuth>,
}

/// Something that runs code (a DFD process).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    pub kind: Attr<ComponentKind>,
    pub os: Attr<Vec<Os>>,
    pub functions: Attr<Vec<Function>>,
    pub update: Update,
    pub debug_ports: Vec<(DebugPort, Attr<PortState>)>,
    /// The network services it listens on, with how each authenticates callers.
    pub services: Vec<(Protocol, Attr<Authn>)>,
    pub logging: Attr<Logging>,
    pub antimalware: Attr<bool>,
    /// Stores inside this component.
    pub stores: Vec<ElementId>,
    pub software: Vec<SoftwareId>,
    /// Deployed units: one compromise of a shared secret or a fleet push reaches all of them.
    pub count: Attr<u64>,
    /// Who holds it over its life: whether a unit, and what it stores, can fall into other hands.
    pub custody: Attr<Custody>,
}

impl Component {
    pub fn has_function(&self, function: Function) -> bool {
        self.functions.value.contains(&function)
    }

    /// Whether the component performs a function that acts on the patient.
    pub fn has_safety_function(&self) -> bool {
        self.functions.value.iter().any(|function| function.is_safety())
    }

    pub fn runs(&self, os: Os) -> bool {
        self.os.value.contains(&os)
    }
}

/// How a component's code is updated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Update {
    /// Whether the model describes updates at all (an `update` attribute was written).
    pub described: bool,
    pub supported: Attr<bool>,
    pub signed: Attr<bool>,
    pub anti_rollback: Attr<bool>,
    pub secure_boot: Attr<bool>,
}

/// Where data rests (a DFD data store).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Store {
    pub holds: Vec<AssetId>,
    pub encrypted: Attr<bool>,
    /// The component that lists this store in its `stores`.
    pub host: Option<ElementId>,
}

/// A data flow between two elements.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flow {
    pub meta: Meta,
    /// Whether the id was written (`flow name: a -> b`) or derived (`a_to_b`).
    pub named: bool,
    pub from: ElementId,
    pub to: ElementId,
    pub direction: Direction,
    pub media: Attr<Vec<Medium>>,
    pub protocols: Attr<Vec<Protocol>>,
    pub carries: Vec<AssetId>,
    pub authn: Attr<Authn>,
    pub encryption: Attr<Encryption>,
    pub integrity: Attr<Integrity>,
    pub replay: Attr<Replay>,
    /// How many units of the receiver one sender reaches (`fan_out`), when stated; left out, every
    /// unit of the receiver ([`Model::fan_out`]).
    pub fan_out: Option<Attr<u64>>,
    /// The response of a `<->` flow (`to -> from`), from `returns` or its defaults; `None` for a
    /// one-way flow.
    pub response: Option<Box<Response>>,
}

/// The response leg of a `<->` flow: what the server sends back and how the client
/// authenticates it. The request's attributes are the flow's own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    /// `flow.response`, the response leg's id in findings and decisions, with the flow's span.
    pub meta: Meta,
    /// Whether `returns` was written; without it the response is assumed to mirror the request
    /// (its assets and protections), which the report lists as an assumption.
    pub stated: bool,
    pub carries: Vec<AssetId>,
    /// How the client (the flow's `from`) authenticates the server.
    pub authn: Attr<Authn>,
    pub encryption: Attr<Encryption>,
    pub integrity: Attr<Integrity>,
    pub replay: Attr<Replay>,
}

impl Flow {
    /// The response leg's id: `flow.response`.
    pub fn response_id(id: &str) -> String {
        format!("{id}.{RESPONSE_SUFFIX}")
    }
}

/// The suffix that names a `<->` flow's response leg (`sync.response`).
pub const RESPONSE_SUFFIX: &str = "response";

/// A software component (an SBOM entry).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Software {
    pub meta: Meta,
    pub version: Option<String>,
    pub purl: Option<String>,
    pub cpe: Option<String>,
    pub supplier: Option<String>,
    pub license: Option<String>,
    pub support: Attr<Support>,
    pub end_of_support: Option<Date>,
}

/// Anything a control can cover or a decision can target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", content = "index", rename_all = "snake_case")]
pub enum Subject {
    Element(ElementId),
    /// A one-way flow, or the request leg of a `<->` flow.
    Flow(FlowId),
    /// The response leg of a `<->` flow.
    Response(FlowId),
    Boundary(BoundaryId),
    Asset(AssetId),
    Software(SoftwareId),
}

/// A reference to a rule by its canonical name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleRef {
    /// The rule's canonical kebab-case name (a code written in the model is resolved to it).
    pub name: String,
    pub span: Span,
}

/// A CVSS metric a control sets, such as `PR: H`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EffectEntry {
    pub metric: String,
    pub value: String,
    pub span: Span,
}

/// A security control, with traceability to what verifies it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Control {
    pub meta: Meta,
    pub category: Attr<Option<ControlCategory>>,
    pub covers: Vec<Subject>,
    pub mitigates: Vec<RuleRef>,
    pub status: Attr<ControlStatus>,
    pub effect: Vec<EffectEntry>,
    pub verified_by: Vec<String>,
}

/// What was decided about a risk that stays.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum DecisionKind {
    Accept,
    Transfer { to: Party },
}

/// An `accept` or `transfer`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub kind: DecisionKind,
    pub rule: RuleRef,
    pub target: Subject,
    /// Where the target is written (`bolus`, `sync.response`).
    pub target_span: Span,
    pub reason: Option<String>,
    pub labeling: Option<String>,
    pub owner: Option<String>,
    pub review_by: Option<Date>,
    pub span: Span,
}

/// A stated assumption of the threat model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assumption {
    pub meta: Meta,
    pub text: String,
}

/// The manufacturer's risk acceptance matrix: exploitability band by harm.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskMatrix {
    pub meta: Meta,
    /// `cells[band][harm]`, bands in the order high, medium, low; harms from negligible up.
    pub cells: [[RiskLevel; 5]; 3],
}

impl RiskMatrix {
    /// The default matrix (see the README): exploitability against the severity of patient harm.
    /// Low exploitability with catastrophic harm is `review`, not `unacceptable`: a control that
    /// leaves an attack needing physical presence, strong credentials or several conditions at
    /// once is what a compensating control looks like, and keeping such a finding red whatever
    /// was done would stop the report telling makers anything. `review` keeps it in front of a
    /// person who records why the residual risk is acceptable.
    pub const DEFAULT_CELLS: [[RiskLevel; 5]; 3] = {
        use RiskLevel::{Acceptable as A, Review as R, Unacceptable as U};
        [[R, R, U, U, U], [A, R, R, U, U], [A, A, R, R, R]]
    };

    pub fn level(cells: &[[RiskLevel; 5]; 3], band: Exploitability, harm: Harm) -> RiskLevel {
        let row = match band {
            Exploitability::High => 0,
            Exploitability::Medium => 1,
            Exploitability::Low => 2,
        };
        cells[row][Harm::ALL.iter().position(|h| *h == harm).unwrap_or(4)]
    }
}

/// A default the analysis applied because an attribute was left out: the report lists it with
/// the declaration it belongs to, so that no assumption is silent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedDefault {
    /// The keyword of the declaration (`flow`, `component`, ...).
    pub keyword: &'static str,
    /// The id of the declaration.
    pub subject: std::sync::Arc<str>,
    /// The attribute (`authn`, `update.signed`, `returns`).
    pub attribute: Cow<'static, str>,
    /// The value assumed, as a reader would write it.
    pub value: Cow<'static, str>,
    /// The declaration's id, where the attribute would be added.
    pub span: Span,
}

/// A value written as `unknown`: the report lists it as a question to answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenQuestion {
    /// The id of the declaration.
    pub subject: String,
    pub attribute: String,
    pub span: Span,
}

/// What an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SymbolKind {
    System,
    Asset,
    Actor,
    Boundary,
    Component,
    Store,
    Software,
    Flow,
    Control,
    Assumption,
    RiskMatrix,
}

impl SymbolKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            SymbolKind::System => "system",
            SymbolKind::Asset => "asset",
            SymbolKind::Actor => "actor",
            SymbolKind::Boundary => "boundary",
            SymbolKind::Component => "component",
            SymbolKind::Store => "store",
            SymbolKind::Software => "software",
            SymbolKind::Flow => "flow",
            SymbolKind::Control => "control",
            SymbolKind::Assumption => "assumption",
            SymbolKind::RiskMatrix => "risk matrix",
        }
    }

    /// "an asset", "a flow".
    pub fn with_article(self) -> String {
        let name = self.as_str();
        let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        format!("{article} {name}")
    }
}

/// A declared id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Symbol {
    pub kind: SymbolKind,
    /// Index into the arena of its kind (elements for actors, components and stores).
    pub index: u32,
    /// Where the id is declared.
    pub span: Span,
}

impl Symbol {
    /// The subject this symbol denotes, if it can be covered by a control or targeted by a decision.
    pub fn subject(self) -> Option<Subject> {
        Some(match self.kind {
            SymbolKind::Actor | SymbolKind::Component | SymbolKind::Store => Subject::Element(ElementId(self.index)),
            SymbolKind::Flow => Subject::Flow(FlowId(self.index)),
            SymbolKind::Boundary => Subject::Boundary(BoundaryId(self.index)),
            SymbolKind::Asset => Subject::Asset(AssetId(self.index)),
            SymbolKind::Software => Subject::Software(SoftwareId(self.index)),
            SymbolKind::System | SymbolKind::Control | SymbolKind::Assumption | SymbolKind::RiskMatrix => return None,
        })
    }
}

/// A resolved reference in the source, for go-to-definition, find-references and rename.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    pub span: Span,
    pub target: String,
}

/// A checked model.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Model {
    pub system: Option<System>,
    pub assets: Vec<Asset>,
    pub boundaries: Vec<Boundary>,
    pub elements: Vec<Element>,
    pub flows: Vec<Flow>,
    pub software: Vec<Software>,
    pub controls: Vec<Control>,
    pub decisions: Vec<Decision>,
    pub assumptions: Vec<Assumption>,
    pub risk_matrix: Option<RiskMatrix>,
    pub open_questions: Vec<OpenQuestion>,
    /// Every default applied to an attribute the analysis reads, in source order.
    pub defaults: Vec<AppliedDefault>,
    /// Every id, sorted.
    pub symbols: BTreeMap<String, Symbol>,
    /// Every resolved reference, in source order.
    pub references: Vec<Reference>,
    #[serde(skip)]
    pub graph: DataFlowGraph,
}

impl Model {
    pub fn asset(&self, id: AssetId) -> &Asset {
        &self.assets[id.index()]
    }

    pub fn boundary(&self, id: BoundaryId) -> &Boundary {
        &self.boundaries[id.index()]
    }

    pub fn element(&self, id: ElementId) -> &Element {
        &self.elements[id.index()]
    }

    pub fn flow(&self, id: FlowId) -> &Flow {
        &self.flows[id.index()]
    }

    pub fn software_entry(&self, id: SoftwareId) -> &Software {
        &self.software[id.index()]
    }

    /// How many units of a flow's receiver one sender reaches over it: its `fan_out` when
    /// stated, otherwise every unit of the receiver (its `count`; one for what is not a
    /// component).
    pub fn fan_out(&self, flow: FlowId) -> u64 {
        let flow = self.flow(flow);
        flow.fan_out.as_ref().map_or_else(|| self.units(flow.to), |fan_out| fan_out.value)
    }

    /// How many units of an element are deployed: a component's `count`, one for anything else.
    pub fn units(&self, element: ElementId) -> u64 {
        self.element(element).as_component().map_or(1, |component| component.count.value)
    }

    pub fn lookup(&self, id: &str) -> Option<Symbol> {
        self.symbols.get(id).copied()
    }

    /// The id of a subject (`flow.response` for a response leg).
    pub fn subject_id(&self, subject: Subject) -> &str {
        &self.subject_meta(subject).id
    }

    /// What a subject is, as reports name it: an element's kind (`component`, `actor`, `store`),
    /// `flow`, `response`, `boundary`, `asset` or `software`.
    pub fn subject_kind(&self, subject: Subject) -> &'static str {
        match subject {
            Subject::Element(element) => self.element(element).kind_name(),
            Subject::Flow(_) => "flow",
            Subject::Response(_) => "response",
            Subject::Boundary(_) => "boundary",
            Subject::Asset(_) => "asset",
            Subject::Software(_) => "software",
        }
    }

    /// The declaration data of a subject. A response leg has the flow's place in the file and
    /// its own id.
    pub fn subject_meta(&self, subject: Subject) -> &Meta {
        match subject {
            Subject::Element(id) => &self.element(id).meta,
            Subject::Flow(id) => &self.flow(id).meta,
            Subject::Response(id) => self.flow(id).response.as_ref().map_or(&self.flow(id).meta, |r| &r.meta),
            Subject::Boundary(id) => &self.boundary(id).meta,
            Subject::Asset(id) => &self.asset(id).meta,
            Subject::Software(id) => &self.software_entry(id).meta,
        }
    }

    /// The sender and the receiver of a flow leg (a response goes from the flow's `to` back to
    /// its `from`); `None` for subjects that are not legs.
    pub fn subject_leg_ends(&self, subject: Subject) -> Option<(ElementId, ElementId)> {
        match subject {
            Subject::Flow(id) => Some((self.flow(id).from, self.flow(id).to)),
            Subject::Response(id) => Some((self.flow(id).to, self.flow(id).from)),
            _ => None,
        }
    }

    /// The boundaries enclosing `boundary`, innermost first, starting with itself.
    pub fn boundary_chain(&self, boundary: Option<BoundaryId>) -> impl Iterator<Item = BoundaryId> + '_ {
        std::iter::successors(boundary, |id| self.boundary(*id).parent)
    }

    /// Whether an element sits in a hostile boundary (at any level of nesting: the innermost
    /// boundary's own setting decides).
    pub fn in_hostile_boundary(&self, element: ElementId) -> bool {
        self.element(element).boundary.is_some_and(|boundary| self.boundary(boundary).hostile.value)
    }

    /// Whether a flow crosses a trust boundary (its ends are in different boundaries).
    pub fn crosses_boundary(&self, flow: FlowId) -> bool {
        let flow = self.flow(flow);
        self.element(flow.from).boundary != self.element(flow.to).boundary
    }

    /// The model as JSON without any spans: equal for models that mean the same, however they are
    /// laid out (used to prove that formatting never changes meaning).
    pub fn canonical_json(&self) -> serde_json::Value {
        fn strip(value: &mut serde_json::Value) {
            match value {
                serde_json::Value::Object(map) => {
                    map.retain(|key, _| !key.ends_with("span"));
                    map.values_mut().for_each(strip);
                }
                serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
                _ => {}
            }
        }
        let mut value = serde_json::to_value(self).unwrap_or_default();
        strip(&mut value);
        value
    }
}
