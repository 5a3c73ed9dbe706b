//! What rules see: the model plus indices and phrasing helpers, so that each rule file holds only
//! its condition and its sentence.
//!
//! Flows are seen a leg at a time ([`DirectedFlow`]): a one-way flow has one leg, a `<->` flow a
//! request leg (its own attributes) and a response leg (its `returns`), each with its own
//! assets and its own authentication, so that nothing is analysed in the wrong direction.

use std::sync::OnceLock;

use medtm_model::Model;
use medtm_model::graph::FlowEdge;
use medtm_model::model::{
    Asset, AssetId, Attr, Component, Element, ElementId, Flow, FlowId, Origin, Shown, Software, SoftwareId, Store,
    Subject,
};
use medtm_model::vocab::{AssetKind, Authn, Encryption, Harm, Integrity, Medium, Protocol, Replay, Vocabulary as _};

use crate::attack_graph::AttackGraph;
use crate::rule::{Exposure, Fact, Hit};

/// One leg of a flow: a one-way flow, or one direction of a `<->` flow.
#[derive(Debug, Clone, Copy)]
pub struct DirectedFlow<'m> {
    pub id: FlowId,
    pub flow: &'m Flow,
    /// The sender in this direction.
    pub from: ElementId,
    /// The receiver in this direction.
    pub to: ElementId,
    /// Whether this is the response leg of a `<->` flow.
    pub reverse: bool,
}

impl<'m> DirectedFlow<'m> {
    /// How many units of the receiver one sender reaches over this leg: the flow's `fan_out`
    /// (every unit of the receiver unless stated); a response goes back to whichever unit
    /// asked, and every unit asks.
    pub fn fan_out(&self, model: &Model) -> u64 {
        if self.reverse { model.units(self.to) } else { model.fan_out(self.id) }
    }

    /// The leg as an edge of the data-flow graph.
    pub fn edge(&self) -> FlowEdge {
        FlowEdge { flow: self.id, reverse: self.reverse }
    }

    /// What a finding on this leg is about: the flow, or its response.
    pub fn subject(&self) -> Subject {
        self.edge().subject()
    }

    fn response(&self) -> &'m medtm_model::model::Response {
        self.flow.response.as_ref().expect("a response leg exists only for a flow with a response")
    }

    /// The assets this leg carries.
    pub fn carries(&self) -> &'m [AssetId] {
        if self.reverse { &self.response().carries } else { &self.flow.carries }
    }

    /// How this leg's receiver authenticates its sender.
    pub fn authn(&self) -> &'m Attr<Authn> {
        if self.reverse { &self.response().authn } else { &self.flow.authn }
    }

    pub fn encryption(&self) -> &'m Attr<Encryption> {
        if self.reverse { &self.response().encryption } else { &self.flow.encryption }
    }

    pub fn integrity(&self) -> &'m Attr<Integrity> {
        if self.reverse { &self.response().integrity } else { &self.flow.integrity }
    }

    pub fn replay(&self) -> &'m Attr<Replay> {
        if self.reverse { &self.response().replay } else { &self.flow.replay }
    }

    /// The media, shared by both legs.
    pub fn media(&self) -> &'m [Medium] {
        &self.flow.media.value
    }

    /// The protocols, shared by both legs.
    pub fn protocols(&self) -> &'m [Protocol] {
        &self.flow.protocols.value
    }

    /// The attribute names of this leg, as the model writes them (`authn`, `returns.authn`).
    pub fn attribute(&self, name: &'static str) -> &'static str {
        if !self.reverse {
            return name;
        }
        match name {
            "carries" => "returns.carries",
            "authn" => "returns.authn",
            "encryption" => "returns.encryption",
            "integrity" => "returns.integrity",
            "replay" => "returns.replay",
            other => other,
        }
    }

    /// The fact that this leg's `name` attribute has `attr`'s value, if it was not stated.
    pub fn fact<T: Shown>(&self, name: &'static str, attr: &Attr<T>) -> Option<Fact> {
        Fact::of(self.subject(), self.attribute(name), attr)
    }

    /// The fact that the leg's authentication is what it is, if not stated.
    pub fn authn_fact(&self) -> Option<Fact> {
        self.fact("authn", self.authn())
    }
}

impl Fact {
    /// The fact that `owner`'s `attribute` is `attr`, when it was assumed (left out or
    /// `unknown`); stated values are facts of the model, not assumptions.
    pub fn of<T: Shown>(owner: Subject, attribute: &'static str, attr: &Attr<T>) -> Option<Fact> {
        (attr.origin != Origin::Stated).then(|| Fact {
            owner,
            attribute,
            value: attr.value.shown(),
            unknown: attr.origin == Origin::Unknown,
        })
    }
}

/// Asset kinds that command or configure what a device does to the patient.
pub const COMMAND_KINDS: &[AssetKind] = &[AssetKind::Therapy, AssetKind::Alarm, AssetKind::Config];
/// Asset kinds whose integrity or availability can harm a patient.
pub const SAFETY_KINDS: &[AssetKind] = &[
    AssetKind::Therapy,
    AssetKind::Monitoring,
    AssetKind::Diagnostic,
    AssetKind::Alarm,
    AssetKind::Firmware,
    AssetKind::Config,
];
/// Asset kinds whose confidentiality matters.
pub const SECRET_KINDS: &[AssetKind] =
    &[AssetKind::Phi, AssetKind::Pii, AssetKind::Credential, AssetKind::CryptoKey, AssetKind::Config];
/// Asset kinds a device acts on when it receives them: therapy, configuration and code. An alarm
/// or a reading passed on informs its receiver; these direct it.
pub const INSTRUCTION_KINDS: &[AssetKind] = &[AssetKind::Therapy, AssetKind::Config, AssetKind::Firmware];
/// Asset kinds that open something: whoever holds one acts as its owner.
pub const KEY_KINDS: &[AssetKind] = &[AssetKind::Credential, AssetKind::CryptoKey];

/// What a credential or key opens: whoever holds it acts as its owner there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Opened {
    /// The legs it authenticates: the holder sends what they carry.
    pub legs: Vec<FlowEdge>,
    /// The elements it unlocks: the holder controls what they handle.
    pub elements: Vec<ElementId>,
    /// What the holder can then send or change, which carries the harm.
    pub acted_on: Vec<AssetId>,
    /// What the holder can then read.
    pub read: Vec<AssetId>,
    /// Whether the model says what it opens (`opens`) rather than the analysis inferring it from
    /// the flows that carry it with a password, token or shared secret.
    pub stated: bool,
}

/// The model as rules see it.
#[derive(Debug)]
pub struct RuleContext<'m> {
    pub model: &'m Model,
    /// The date of the analysis, for rules about support dates; `None` skips date checks.
    pub today: Option<jiff::civil::Date>,
    incoming: Vec<Vec<FlowEdge>>,
    outgoing: Vec<Vec<FlowEdge>>,
    /// The components that list each software entry.
    software_users: Vec<Vec<ElementId>>,
    /// What each credential or key opens, by asset index (empty for other assets).
    opened: Vec<Opened>,
    /// The legs whose secret is known outside: opened by a credential or key that is shared,
    /// a factory default or hard-coded. Sorted.
    known_secrets: Vec<FlowEdge>,
    /// Legs that a credential unique to each unit states it opens, sorted: the attacker must
    /// learn the target unit's own secret or identifier first.
    unit_secrets: Vec<FlowEdge>,
    /// The attack graph, built when first asked for: attack paths and one rule need it, and the
    /// diagram views, which make contexts of their own, do not.
    attack_graph: OnceLock<AttackGraph>,
    /// What each element passes on to other components (see [`Relayed`]), built when first
    /// asked for.
    relayed: OnceLock<Vec<Vec<Relayed>>>,
}

/// An instruction (see [`INSTRUCTION_KINDS`]) an element sends on to components: to whom first,
/// and whether to more than one. Scoring asks, for every finding on a leg, whether its receiver
/// passes what it was sent on to a component other than the sender; a hub receives and sends
/// thousands of legs, so the answer is read from this table rather than from its legs.
#[derive(Debug, Clone, Copy)]
struct Relayed {
    asset: AssetId,
    first: ElementId,
    several: bool,
}

impl<'m> RuleContext<'m> {
    pub fn new(model: &'m Model, today: Option<jiff::civil::Date>) -> Self {
        let mut incoming = vec![Vec::new(); model.elements.len()];
        let mut outgoing = vec![Vec::new(); model.elements.len()];
        for (index, flow) in model.flows.iter().enumerate() {
            let id = FlowId(index as u32);
            outgoing[flow.from.index()].push(FlowEdge { flow: id, reverse: false });
            incoming[flow.to.index()].push(FlowEdge { flow: id, reverse: false });
            if flow.response.is_some() {
                outgoing[flow.to.index()].push(FlowEdge { flow: id, reverse: true });
                incoming[flow.from.index()].push(FlowEdge { flow: id, reverse: true });
            }
        }
        let mut software_users = vec![Vec::new(); model.software.len()];
        for (index, element) in model.elements.iter().enumerate() {
            if let Some(component) = element.as_component() {
                for software in &component.software {
                    software_users[software.index()].push(ElementId(index as u32));
                }
            }
        }
        let mut cx = Self {
            model,
            today,
            incoming,
            outgoing,
            software_users,
            opened: Vec::new(),
            known_secrets: Vec::new(),
            unit_secrets: Vec::new(),
            attack_graph: OnceLock::new(),
            relayed: OnceLock::new(),
        };
        cx.opened = (0..model.assets.len()).map(|index| cx.compute_opened(AssetId(index as u32))).collect();
        let mut known: Vec<FlowEdge> = model
            .assets
            .iter()
            .zip(&cx.opened)
            .filter(|(asset, _)| asset.provisioning.value != medtm_model::vocab::Provisioning::Unique)
            .flat_map(|(_, opened)| opened.legs.iter().copied())
            .collect();
        known.sort_unstable();
        known.dedup();
        cx.known_secrets = known;
        let mut unit: Vec<FlowEdge> = model
            .assets
            .iter()
            .zip(&cx.opened)
            .filter(|(asset, opened)| {
                opened.stated && asset.provisioning.value == medtm_model::vocab::Provisioning::Unique
            })
            .flat_map(|(_, opened)| opened.legs.iter().copied())
            .collect();
        unit.sort_unstable();
        unit.dedup();
        cx.unit_secrets = unit;
        cx
    }

    /// The authentication an attacker faces on a leg: its `authn`, except that a password or
    /// token known outside (a shared, default or hard-coded credential opens the leg) is as good
    /// as a shared secret: every attacker has it.
    pub fn effective_authn(&self, leg: &DirectedFlow<'_>) -> Authn {
        let authn = leg.authn().value;
        if matches!(authn, Authn::Password | Authn::Token) && self.known_secrets.binary_search(&leg.edge()).is_ok() {
            Authn::SharedSecret
        } else {
            authn
        }
    }

    /// Whether a leg that believes its peer without proof (`authn: implicit`) is addressed by a
    /// secret or identifier unique to each unit (a credential with `provisioning: unique` states
    /// it opens the leg): the attacker must collect the target's own before using it.
    pub fn addressed_by_unit_secret(&self, leg: &DirectedFlow<'_>) -> bool {
        leg.authn().value == Authn::Implicit && self.unit_secrets.binary_search(&leg.edge()).is_ok()
    }

    /// The data-flow graph with the ways in from outside (see [`AttackGraph`]), shared by
    /// attack paths and the rules that follow paths.
    pub fn attack_graph(&self) -> &AttackGraph {
        self.attack_graph.get_or_init(|| AttackGraph::new(self))
    }

    /// Whether `element` sends instructions (see [`INSTRUCTION_KINDS`]) to a component.
    pub fn commands_components(&self, element: ElementId) -> bool {
        !self.relayed()[element.index()].is_empty()
    }

    /// Whether `element` sends `asset`, an instruction (see [`INSTRUCTION_KINDS`]), on to a
    /// component other than `except`.
    pub fn passes_on(&self, element: ElementId, asset: AssetId, except: ElementId) -> bool {
        let relayed = &self.relayed()[element.index()];
        match relayed.binary_search_by_key(&asset, |relayed| relayed.asset) {
            Ok(index) => relayed[index].several || relayed[index].first != except,
            Err(_) => false,
        }
    }

    fn relayed(&self) -> &[Vec<Relayed>] {
        self.relayed.get_or_init(|| {
            let is_instruction =
                |asset: &AssetId| INSTRUCTION_KINDS.iter().any(|kind| self.asset(*asset).has_kind(*kind));
            (0..self.model.elements.len())
                .map(|index| {
                    let mut relayed: Vec<Relayed> = Vec::new();
                    for leg in self.leaving(ElementId(index as u32)).filter(|leg| self.component(leg.to).is_some()) {
                        for asset in leg.carries().iter().copied().filter(is_instruction) {
                            match relayed.iter_mut().find(|relayed| relayed.asset == asset) {
                                Some(relayed) => relayed.several |= relayed.first != leg.to,
                                None => relayed.push(Relayed { asset, first: leg.to, several: false }),
                            }
                        }
                    }
                    relayed.sort_unstable_by_key(|relayed| relayed.asset);
                    relayed
                })
                .collect()
        })
    }

    /// What a credential or key opens (see [`Opened`]).
    pub fn opened(&self, asset: AssetId) -> &Opened {
        &self.opened[asset.index()]
    }

    fn compute_opened(&self, id: AssetId) -> Opened {
        let asset = self.asset(id);
        if !KEY_KINDS.iter().any(|kind| asset.has_kind(*kind)) {
            return Opened::default();
        }
        let mut opened = Opened { stated: !asset.opens.is_empty(), ..Opened::default() };
        if opened.stated {
            for subject in &asset.opens {
                match *subject {
                    Subject::Flow(flow) => opened.legs.push(FlowEdge { flow, reverse: false }),
                    Subject::Response(flow) => opened.legs.push(FlowEdge { flow, reverse: true }),
                    Subject::Element(element) => opened.elements.push(element),
                    _ => {}
                }
            }
        } else {
            // A secret carried where the receiver checks a password, token or shared secret is
            // what that check takes.
            opened.legs = self
                .directed_flows()
                .filter(|leg| {
                    leg.carries().contains(&id)
                        && matches!(
                            leg.authn().value,
                            Authn::Password | Authn::Token | Authn::SharedSecret | Authn::FleetKey
                        )
                })
                .map(|leg| leg.edge())
                .collect();
        }
        for edge in &opened.legs {
            let leg = self.leg(*edge);
            // Posing as the sender: what it sends can be forged; a request's response is read.
            opened.acted_on.extend(leg.carries().iter().copied().filter(|asset| *asset != id));
            if !leg.reverse && leg.flow.response.is_some() {
                opened.read.extend(self.leg(FlowEdge { flow: edge.flow, reverse: true }).carries().iter().copied());
            }
        }
        for element in &opened.elements {
            let handled = self.component_assets(*element);
            opened.acted_on.extend(handled.iter().copied().filter(|asset| *asset != id));
            opened.read.extend(handled.into_iter().filter(|asset| *asset != id));
            if let Some(store) = self.element(*element).as_store() {
                opened.acted_on.extend(store.holds.iter().copied().filter(|asset| *asset != id));
                opened.read.extend(store.holds.iter().copied().filter(|asset| *asset != id));
            }
        }
        for list in [&mut opened.acted_on, &mut opened.read] {
            list.sort_unstable();
            list.dedup();
        }
        opened
    }

    pub fn flows(&self) -> impl Iterator<Item = (FlowId, &'m Flow)> + '_ {
        self.model.flows.iter().enumerate().map(|(index, flow)| (FlowId(index as u32), flow))
    }

    /// Every leg of every flow: each flow's request (or only) leg, then its response leg.
    pub fn directed_flows(&self) -> impl Iterator<Item = DirectedFlow<'m>> + '_ {
        self.flows().flat_map(|(id, flow)| {
            let forward = DirectedFlow { id, flow, from: flow.from, to: flow.to, reverse: false };
            let backward =
                flow.response.as_ref().map(|_| DirectedFlow { id, flow, from: flow.to, to: flow.from, reverse: true });
            std::iter::once(forward).chain(backward)
        })
    }

    /// A leg by its edge.
    pub fn leg(&self, edge: FlowEdge) -> DirectedFlow<'m> {
        let flow = self.model.flow(edge.flow);
        if edge.reverse {
            DirectedFlow { id: edge.flow, flow, from: flow.to, to: flow.from, reverse: true }
        } else {
            DirectedFlow { id: edge.flow, flow, from: flow.from, to: flow.to, reverse: false }
        }
    }

    /// The leg a finding's subject names, for a flow or a response subject.
    pub fn subject_leg(&self, subject: Subject) -> Option<DirectedFlow<'m>> {
        match subject {
            Subject::Flow(flow) => Some(self.leg(FlowEdge { flow, reverse: false })),
            Subject::Response(flow) => Some(self.leg(FlowEdge { flow, reverse: true })),
            _ => None,
        }
    }

    pub fn elements(&self) -> impl Iterator<Item = (ElementId, &'m Element)> + '_ {
        self.model.elements.iter().enumerate().map(|(index, element)| (ElementId(index as u32), element))
    }

    pub fn components(&self) -> impl Iterator<Item = (ElementId, &'m Element, &'m Component)> + '_ {
        self.elements().filter_map(|(id, element)| element.as_component().map(|component| (id, element, component)))
    }

    pub fn stores(&self) -> impl Iterator<Item = (ElementId, &'m Element, &'m Store)> + '_ {
        self.elements().filter_map(|(id, element)| element.as_store().map(|store| (id, element, store)))
    }

    pub fn software(&self) -> impl Iterator<Item = (SoftwareId, &'m Software)> + '_ {
        self.model.software.iter().enumerate().map(|(index, software)| (SoftwareId(index as u32), software))
    }

    pub fn element(&self, id: ElementId) -> &'m Element {
        self.model.element(id)
    }

    pub fn component(&self, id: ElementId) -> Option<&'m Component> {
        self.model.element(id).as_component()
    }

    pub fn asset(&self, id: AssetId) -> &'m Asset {
        self.model.asset(id)
    }

    /// The legs arriving at `element` (a `<->` flow's response arrives at its `from`).
    pub fn incoming(&self, element: ElementId) -> &[FlowEdge] {
        &self.incoming[element.index()]
    }

    /// The legs leaving `element`.
    pub fn outgoing(&self, element: ElementId) -> &[FlowEdge] {
        &self.outgoing[element.index()]
    }

    /// The legs arriving at `element`, as legs.
    pub fn arriving(&self, element: ElementId) -> impl Iterator<Item = DirectedFlow<'m>> + '_ {
        self.incoming(element).iter().map(|edge| self.leg(*edge))
    }

    /// The legs leaving `element`, as legs.
    pub fn leaving(&self, element: ElementId) -> impl Iterator<Item = DirectedFlow<'m>> + '_ {
        self.outgoing(element).iter().map(|edge| self.leg(*edge))
    }

    /// The assets of `assets` that have one of `kinds`.
    pub fn of_kinds(&self, assets: &[AssetId], kinds: &[AssetKind]) -> Vec<AssetId> {
        assets.iter().copied().filter(|id| kinds.iter().any(|kind| self.asset(*id).has_kind(*kind))).collect()
    }

    /// The worst harm among `assets`.
    pub fn max_harm(&self, assets: &[AssetId]) -> Option<Harm> {
        assets.iter().map(|id| self.asset(*id).harm.value).max()
    }

    /// Every asset a component handles: carried in or out by its legs and held by its stores.
    pub fn component_assets(&self, element: ElementId) -> Vec<AssetId> {
        let mut assets: Vec<AssetId> = self
            .incoming(element)
            .iter()
            .chain(self.outgoing(element))
            .flat_map(|edge| self.leg(*edge).carries().iter().copied())
            .collect();
        if let Some(component) = self.component(element) {
            for store in &component.stores {
                if let Some(store) = self.element(*store).as_store() {
                    assets.extend(store.holds.iter().copied());
                }
            }
        }
        assets.sort_unstable();
        assets.dedup();
        assets
    }

    /// The request a response leg answers, when the server believes whoever sends it (no or
    /// implicit authentication): the response then goes to anyone who asks, and reading it
    /// takes no position in the middle.
    pub fn unauthenticated_request(&self, leg: &DirectedFlow<'_>) -> Option<DirectedFlow<'m>> {
        if !leg.reverse {
            return None;
        }
        let request = self.leg(FlowEdge { flow: leg.id, reverse: false });
        matches!(self.effective_authn(&request), Authn::None | Authn::Implicit).then_some(request)
    }

    /// The exposure of a leg: its media and the authentication its receiver checks.
    pub fn flow_exposure(&self, flow: &DirectedFlow<'_>) -> Exposure {
        Exposure {
            media: flow.media().to_vec(),
            authn: Some(self.effective_authn(flow)),
            via: vec![flow.edge()],
            most_exposed: Some(flow.edge()),
        }
    }

    /// `` `app -> pump` `` (or the flow's name when it has one: `` `bolus` (app -> pump) ``); a
    /// response leg is `` the response of `sync` (api -> app) ``.
    pub fn describe_flow(&self, flow: &DirectedFlow<'_>) -> String {
        let arrow = format!("{} -> {}", self.element(flow.from).meta.id, self.element(flow.to).meta.id);
        match (flow.reverse, flow.flow.named) {
            (false, true) => format!("`{}` ({arrow})", flow.flow.meta.id),
            (false, false) => format!("`{arrow}`"),
            (true, _) => format!("the response of `{}` ({arrow})", flow.flow.meta.id),
        }
    }

    /// `` `bolus_command` (catastrophic), `basal_profile` (critical) ``: worst harm first, then
    /// by id, whatever order the assets come in (the order of a `carries` list, of their
    /// declarations or of the flows that brought them), so a sentence never depends on the order
    /// of the model's declarations and leads with what matters most to the patient.
    pub fn describe_assets(&self, assets: &[AssetId]) -> String {
        let mut assets: Vec<&Asset> = assets.iter().map(|id| self.asset(*id)).collect();
        assets.sort_by(|a, b| b.harm.value.cmp(&a.harm.value).then_with(|| a.meta.id.cmp(&b.meta.id)));
        assets.dedup_by(|a, b| a.meta.id == b.meta.id);
        let parts: Vec<String> = assets
            .iter()
            .map(|asset| {
                if asset.harm.value > Harm::Negligible {
                    format!("`{}` ({})", asset.meta.id, asset.harm.value.as_str())
                } else {
                    format!("`{}`", asset.meta.id)
                }
            })
            .collect();
        join_and(&parts)
    }

    /// The media of a flow, as written (`ble`, `wifi or ethernet`).
    pub fn describe_media(&self, flow: &DirectedFlow<'_>) -> String {
        let media: Vec<&str> = flow.media().iter().map(|m| m.as_str()).collect();
        media.join(" or ")
    }

    /// `` `pump` `` for an element.
    pub fn describe_element(&self, element: ElementId) -> String {
        format!("`{}`", self.element(element).meta.id)
    }

    /// A hit on a leg, with its assets and exposure.
    pub fn flow_hit(&self, flow: &DirectedFlow<'_>, assets: Vec<AssetId>, explanation: String) -> Hit {
        Hit::new(flow.subject(), assets, explanation, self.flow_exposure(flow))
    }

    /// The exposure of an element through some of the legs into it: the most exploitable of
    /// them (see [`most_exposed_first`]) sets the media and authentication, and all of them are
    /// the ways in. With no leg in, the element is reached by holding it: no media, which
    /// scoring reads as physical access.
    pub fn exposure_through(&self, legs: impl IntoIterator<Item = FlowEdge>) -> Exposure {
        let via: Vec<FlowEdge> = legs.into_iter().collect();
        let most = via.iter().map(|edge| self.leg(*edge)).min_by(most_exposed_first);
        match most {
            Some(leg) => Exposure {
                media: leg.media().to_vec(),
                authn: Some(self.effective_authn(&leg)),
                most_exposed: Some(leg.edge()),
                via,
            },
            None => Exposure::default(),
        }
    }

    /// A hit on an element, exposed as its most exploitable incoming leg is.
    pub fn element_hit(&self, element: ElementId, assets: Vec<AssetId>, explanation: String) -> Hit {
        let exposure = self.exposure_through(self.incoming(element).iter().copied());
        Hit::new(Subject::Element(element), assets, explanation, exposure)
    }
}

/// Orders legs as ways in, the most exploitable first: the most remote medium (internet before
/// radio before a cable), then the weakest authentication (see [`weakest_authn`]), then the
/// flow's id and the request before the response. The ids only tell equally exposed legs apart,
/// so that the leg a finding names never depends on the order of the declarations.
pub fn most_exposed_first(a: &DirectedFlow<'_>, b: &DirectedFlow<'_>) -> std::cmp::Ordering {
    let reach = |flow: &DirectedFlow<'_>| flow.media().iter().map(|m| crate::scoring::attack_vector(*m)).min();
    reach(a)
        .cmp(&reach(b))
        .then_with(|| authn_weakness(a.authn().value).cmp(&authn_weakness(b.authn().value)))
        .then_with(|| a.flow.meta.id.cmp(&b.flow.meta.id))
        .then_with(|| a.reverse.cmp(&b.reverse))
}

/// Orders authentication schemes from weakest to strongest, totally: by [`authn_strength`], and
/// among equally weak schemes the fleet-wide secret first (one leak opens every device), then
/// the vocabulary's order.
fn authn_weakness(authn: Authn) -> (u8, bool, Authn) {
    let fleet_wide = matches!(authn, Authn::FleetKey | Authn::SharedSecret);
    (authn_strength(authn), !fleet_wide, authn)
}

/// The weakest of some authentication schemes (see [`authn_weakness`]): the one an attacker
/// picks, never the first one declared.
pub fn weakest_authn(authns: impl IntoIterator<Item = Authn>) -> Option<Authn> {
    authns.into_iter().min_by_key(|authn| authn_weakness(*authn))
}

/// Orders authentication schemes from weakest (0) to strongest, so "the weakest way in" is the
/// minimum.
pub fn authn_strength(authn: Authn) -> u8 {
    match authn {
        Authn::None | Authn::Implicit => 0,
        Authn::Password | Authn::SharedSecret | Authn::FleetKey | Authn::Token => 1,
        Authn::Mfa | Authn::Smartcard | Authn::PerDeviceKey | Authn::Mtls | Authn::Certificate => 2,
    }
}

/// "a, b and c"
pub fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Whether a medium is a radio link.
pub fn is_wireless(medium: Medium) -> bool {
    matches!(
        medium,
        Medium::Ble
            | Medium::BleLesc
            | Medium::BtClassic
            | Medium::Nfc
            | Medium::Inductive
            | Medium::ProprietaryRf
            | Medium::Wifi
            | Medium::Cellular
    )
}

/// Whether a medium is an IP network.
pub fn is_network(medium: Medium) -> bool {
    matches!(medium, Medium::Wifi | Medium::Ethernet | Medium::Network | Medium::Cellular | Medium::Internet)
}

/// Whether a flow only runs over the device's own screen and buttons or inside one device.
pub fn is_local_only(flow: &Flow) -> bool {
    flow.media.value.iter().all(|medium| matches!(medium, Medium::Ui | Medium::Ipc))
}

impl RuleContext<'_> {
    /// Whether `element` sits (at any depth) in a boundary of one of `kinds`.
    pub fn in_boundary_of(&self, element: ElementId, kinds: &[medtm_model::vocab::BoundaryKind]) -> bool {
        self.model
            .boundary_chain(self.element(element).boundary)
            .any(|boundary| kinds.contains(&self.model.boundary(boundary).kind.value))
    }

    /// `` `ward` `` or "outside every boundary", for explanations.
    pub fn describe_boundary_of(&self, element: ElementId) -> String {
        self.element(element).boundary.map_or_else(
            || "outside every boundary".to_owned(),
            |boundary| format!("`{}`", self.model.boundary(boundary).meta.id),
        )
    }
}

/// Component kinds that are medical devices: their update mechanism must be described.
pub const DEVICE_KINDS: &[medtm_model::vocab::ComponentKind] = &[
    medtm_model::vocab::ComponentKind::Implant,
    medtm_model::vocab::ComponentKind::Wearable,
    medtm_model::vocab::ComponentKind::Bedside,
    medtm_model::vocab::ComponentKind::Controller,
    medtm_model::vocab::ComponentKind::Modality,
];

impl RuleContext<'_> {
    /// Whether the model says (or, for a medical device, defaults to saying) how a component's
    /// code is updated: only then do update rules judge it.
    pub fn updates_known(&self, component: &Component) -> bool {
        component.update.described || DEVICE_KINDS.contains(&component.kind.value)
    }

    /// The legs that bring firmware into `element`.
    pub fn firmware_legs(&self, element: ElementId) -> Vec<FlowEdge> {
        self.incoming(element)
            .iter()
            .copied()
            .filter(|edge| {
                self.leg(*edge).carries().iter().any(|asset| self.asset(*asset).has_kind(AssetKind::Firmware))
            })
            .collect()
    }

    /// How firmware reaches `element`: through the legs that bring it, the most exposed setting
    /// the vector and the weakest authentication among them the privileges; through every leg
    /// into it when none carries firmware.
    pub fn firmware_exposure(&self, element: ElementId) -> Exposure {
        let firmware = self.firmware_legs(element);
        if firmware.is_empty() {
            return self.exposure_through(self.incoming(element).iter().copied());
        }
        let mut media: Vec<Medium> = firmware.iter().flat_map(|edge| self.leg(*edge).media().iter().copied()).collect();
        media.sort_unstable();
        media.dedup();
        let authn = weakest_authn(firmware.iter().map(|edge| self.effective_authn(&self.leg(*edge))));
        let most_exposed = firmware.iter().map(|edge| self.leg(*edge)).min_by(most_exposed_first).map(|leg| leg.edge());
        Exposure { media, authn, via: firmware, most_exposed }
    }

    /// The software entries components use, with the components using each.
    pub fn used_software(&self) -> Vec<(SoftwareId, &Software, Vec<ElementId>)> {
        self.software()
            .zip(&self.software_users)
            .filter(|(_, users)| !users.is_empty())
            .map(|((id, software), users)| (id, software, users.clone()))
            .collect()
    }

    /// The components that run a software entry.
    pub fn software_users(&self, software: SoftwareId) -> &[ElementId] {
        &self.software_users[software.index()]
    }

    /// A hit on a software entry: reachable as its components are, with what they handle at stake.
    pub fn software_hit(&self, software: SoftwareId, users: &[ElementId], explanation: String) -> Hit {
        let mut legs = Vec::new();
        let mut assets = Vec::new();
        for user in users {
            legs.extend(self.incoming(*user).iter().copied());
            assets.extend(self.component_assets(*user));
        }
        let mut exposure = self.exposure_through(legs.iter().copied());
        let mut media: Vec<Medium> = legs.iter().flat_map(|edge| self.leg(*edge).media().iter().copied()).collect();
        media.sort_unstable();
        media.dedup();
        exposure.media = media;
        exposure.authn = weakest_authn(legs.iter().map(|edge| self.effective_authn(&self.leg(*edge))));
        assets.sort_unstable();
        assets.dedup();
        Hit::new(Subject::Software(software), assets, explanation, exposure)
    }

    /// `` `cgm` and `pump` `` for a list of elements: by id, whatever order they come in (the
    /// order of their declarations or of the flows that led to them), so a sentence never
    /// depends on the order of the model's declarations.
    pub fn describe_elements(&self, elements: &[ElementId]) -> String {
        let mut names: Vec<String> = elements.iter().map(|element| self.describe_element(*element)).collect();
        names.sort_unstable();
        names.dedup();
        join_and(&names)
    }
}

impl RuleContext<'_> {
    /// Whether a component serves one patient: a phone app, a wearable or an implant, or anything
    /// in the patient's home or on their phone. A command it sends reaches its own patient's
    /// device, whatever the size of the fleet it belongs to. (What shares an enclosure with a
    /// device is not taken to serve one patient: a flow's `fan_out` says how many units it
    /// reaches.)
    pub fn serves_one_patient(&self, element: ElementId) -> bool {
        use medtm_model::vocab::{BoundaryKind, ComponentKind};
        let Some(component) = self.component(element) else { return false };
        matches!(component.kind.value, ComponentKind::MobileApp | ComponentKind::Wearable | ComponentKind::Implant)
            || self.in_boundary_of(element, &[BoundaryKind::PatientHome, BoundaryKind::MobileSandbox])
    }

    /// Whether a leg carries commands, configuration or code: what makes its sender able to act
    /// on its receiver.
    pub fn carries_commands(&self, flow: &DirectedFlow<'_>) -> bool {
        flow.carries()
            .iter()
            .any(|asset| AssetKind::ACTS_ON_RECEIVER.iter().any(|kind| self.asset(*asset).has_kind(*kind)))
    }

    /// The legs by which a component pushes commands, configuration or code to a fleet (more
    /// than one unit of the receiver reached: the leg's `fan_out`), with the fleets and the units
    /// reached. A push that reaches a fleet through relays serving one patient each (the update
    /// server to every phone app, each app to its pump) counts too, with the relays' units:
    /// the relay's legs that pass the same assets on name the fleet. Nothing for a component
    /// that serves one patient, whose commands reach that patient's devices.
    pub fn fleet_pushes(&self, sender: ElementId) -> Vec<FleetPush> {
        if self.serves_one_patient(sender) {
            return Vec::new();
        }
        let mut pushes = Vec::new();
        for leg in self.leaving(sender) {
            if !self.carries_commands(&leg) {
                continue;
            }
            let reached = leg.fan_out(self.model);
            if reached > 1 {
                pushes.push(FleetPush { edge: leg.edge(), fleet: leg.to, units: reached });
            } else if self.serves_one_patient(leg.to) {
                for onward in self.leaving(leg.to) {
                    let relayed = onward.carries().iter().any(|asset| leg.carries().contains(asset));
                    let units = onward.fan_out(self.model);
                    if relayed && units > 1 && self.carries_commands(&onward) {
                        pushes.push(FleetPush { edge: leg.edge(), fleet: onward.to, units });
                    }
                }
            }
        }
        pushes
    }
}

/// A leg by which a component pushes commands, configuration or code to more than one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FleetPush {
    /// The sender's leg.
    pub edge: FlowEdge,
    /// The receiving fleet (behind a relay serving one patient, the relay's receiver).
    pub fleet: ElementId,
    /// How many of its units one push reaches.
    pub units: u64,
}

impl FleetPush {
    /// The fleet and the units reached, for [`units_per_fleet`].
    pub fn reach(&self) -> (ElementId, u64) {
        (self.fleet, self.units)
    }
}

/// Each fleet pushed to, once, with the most units one push reaches, by fleet (sorted, not
/// searched: a hub may push to thousands of fleets).
pub fn units_per_fleet(fleets: impl IntoIterator<Item = (ElementId, u64)>) -> Vec<(ElementId, u64)> {
    let mut fleets: Vec<(ElementId, u64)> = fleets.into_iter().collect();
    fleets.sort_unstable_by(|(a, a_units), (b, b_units)| a.cmp(b).then(b_units.cmp(a_units)));
    fleets.dedup_by_key(|(fleet, _)| *fleet);
    fleets
}

/// Protocols that carry clinical data in the clear unless the flow is encrypted:
/// `cleartext-clinical-protocol` reports them on hospital networks.
pub const CLEARTEXT_CLINICAL_PROTOCOLS: &[Protocol] =
    &[Protocol::Dicom, Protocol::Hl7v2Mllp, Protocol::Smb, Protocol::Ftp, Protocol::Telnet, Protocol::Http];

/// Protocols that give control of the host they reach: a shell, its screen, its management.
pub const REMOTE_ADMIN_PROTOCOLS: &[Protocol] =
    &[Protocol::Rdp, Protocol::Vnc, Protocol::Ssh, Protocol::Telnet, Protocol::Snmp];

/// Protocols that share the files of the host they reach.
pub const FILE_SHARING_PROTOCOLS: &[Protocol] = &[Protocol::Smb, Protocol::Ftp, Protocol::Sftp];

impl RuleContext<'_> {
    /// The cleartext clinical protocol of a leg where `cleartext-clinical-protocol` reports it:
    /// one of [`CLEARTEXT_CLINICAL_PROTOCOLS`] with `encryption: none`, with either end on a
    /// hospital network or clinical VLAN, or in a system whose `environment` is `hospital`.
    /// Rules about cleartext use it to leave those legs to that rule.
    pub fn cleartext_clinical_protocol(&self, flow: &DirectedFlow<'_>) -> Option<Protocol> {
        use medtm_model::vocab::{BoundaryKind, Environment};
        if flow.encryption().value != Encryption::None {
            return None;
        }
        let protocol = flow.protocols().iter().copied().find(|p| CLEARTEXT_CLINICAL_PROTOCOLS.contains(p))?;
        let hospital_system =
            self.model.system.as_ref().is_some_and(|system| system.environment.value == Environment::Hospital);
        let hospital_networks = [BoundaryKind::HospitalNetwork, BoundaryKind::ClinicalVlan];
        (hospital_system
            || self.in_boundary_of(flow.from, &hospital_networks)
            || self.in_boundary_of(flow.to, &hospital_networks))
        .then_some(protocol)
    }
}
