//! What rules see: the model plus indices and phrasing helpers, so that each rule file holds only
//! its condition and its sentence.

use medtm_model::Model;
use medtm_model::model::{
    Asset, AssetId, Component, Element, ElementId, Flow, FlowId, Software, SoftwareId, Store, Subject,
};
use medtm_model::vocab::{AssetKind, Harm, Medium, Vocabulary as _};

use crate::rule::{Exposure, Hit, Hits};

/// One direction of a flow: `<->` flows are seen twice, once each way.
#[derive(Debug, Clone, Copy)]
pub struct DirectedFlow<'m> {
    pub id: FlowId,
    pub flow: &'m Flow,
    /// The sender in this direction.
    pub from: ElementId,
    /// The receiver in this direction.
    pub to: ElementId,
    /// Whether this is the response direction of a `<->` flow.
    pub reverse: bool,
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

/// The model as rules see it.
#[derive(Debug)]
pub struct RuleContext<'m> {
    pub model: &'m Model,
    /// The date of the analysis, for rules about support dates; `None` skips date checks.
    pub today: Option<jiff::civil::Date>,
    incoming: Vec<Vec<FlowId>>,
    outgoing: Vec<Vec<FlowId>>,
}

impl<'m> RuleContext<'m> {
    pub fn new(model: &'m Model, today: Option<jiff::civil::Date>) -> Self {
        let mut incoming = vec![Vec::new(); model.elements.len()];
        let mut outgoing = vec![Vec::new(); model.elements.len()];
        for (index, flow) in model.flows.iter().enumerate() {
            let id = FlowId(index as u32);
            outgoing[flow.from.index()].push(id);
            incoming[flow.to.index()].push(id);
            if flow.direction == medtm_syntax::ast::Direction::BothWays {
                outgoing[flow.to.index()].push(id);
                incoming[flow.from.index()].push(id);
            }
        }
        Self { model, today, incoming, outgoing }
    }

    pub fn flows(&self) -> impl Iterator<Item = (FlowId, &'m Flow)> + '_ {
        self.model.flows.iter().enumerate().map(|(index, flow)| (FlowId(index as u32), flow))
    }

    /// Every flow in every direction it goes.
    pub fn directed_flows(&self) -> impl Iterator<Item = DirectedFlow<'m>> + '_ {
        self.flows().flat_map(|(id, flow)| {
            let forward = DirectedFlow { id, flow, from: flow.from, to: flow.to, reverse: false };
            let backward = (flow.direction == medtm_syntax::ast::Direction::BothWays).then_some(DirectedFlow {
                id,
                flow,
                from: flow.to,
                to: flow.from,
                reverse: true,
            });
            std::iter::once(forward).chain(backward)
        })
    }

    /// The forward direction of a flow.
    pub fn forward(&self, id: FlowId) -> DirectedFlow<'m> {
        let flow = self.model.flow(id);
        DirectedFlow { id, flow, from: flow.from, to: flow.to, reverse: false }
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

    /// Flows arriving at `element` (both directions of `<->` flows count).
    pub fn incoming(&self, element: ElementId) -> &[FlowId] {
        &self.incoming[element.index()]
    }

    /// Flows leaving `element`.
    pub fn outgoing(&self, element: ElementId) -> &[FlowId] {
        &self.outgoing[element.index()]
    }

    /// The assets of `assets` that have one of `kinds`.
    pub fn of_kinds(&self, assets: &[AssetId], kinds: &[AssetKind]) -> Vec<AssetId> {
        assets.iter().copied().filter(|id| kinds.iter().any(|kind| self.asset(*id).has_kind(*kind))).collect()
    }

    /// The worst harm among `assets`.
    pub fn max_harm(&self, assets: &[AssetId]) -> Option<Harm> {
        assets.iter().map(|id| self.asset(*id).harm.value).max()
    }

    /// Every asset a component handles: carried in or out by its flows and held by its stores.
    pub fn component_assets(&self, element: ElementId) -> Vec<AssetId> {
        let mut assets: Vec<AssetId> = self
            .incoming(element)
            .iter()
            .chain(self.outgoing(element))
            .flat_map(|flow| self.model.flow(*flow).carries.iter().copied())
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

    /// The media by which data reaches `element` (the union over its incoming flows).
    pub fn entry_media(&self, element: ElementId) -> Vec<Medium> {
        let mut media: Vec<Medium> =
            self.incoming(element).iter().flat_map(|flow| self.model.flow(*flow).media.value.iter().copied()).collect();
        media.sort_unstable();
        media.dedup();
        media
    }

    /// The exposure of a flow: its media and the authentication its receiver checks.
    pub fn flow_exposure(&self, flow: &Flow) -> Exposure {
        Exposure { media: flow.media.value.clone(), authn: Some(flow.authn.value) }
    }

    /// `` `app -> pump` `` (or the flow's name when it has one: `` `bolus` (app -> pump) ``).
    pub fn describe_flow(&self, flow: &DirectedFlow<'_>) -> String {
        let arrow = format!("{} -> {}", self.element(flow.from).meta.id, self.element(flow.to).meta.id);
        if flow.flow.named { format!("`{}` ({arrow})", flow.flow.meta.id) } else { format!("`{arrow}`") }
    }

    /// `` `bolus_command` (catastrophic), `basal_profile` (critical) ``
    pub fn describe_assets(&self, assets: &[AssetId]) -> String {
        let parts: Vec<String> = assets
            .iter()
            .map(|id| {
                let asset = self.asset(*id);
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
    pub fn describe_media(&self, flow: &Flow) -> String {
        let media: Vec<String> = flow.media.value.iter().map(|m| m.as_str().to_owned()).collect();
        media.join(" or ")
    }

    /// `` `pump` `` for an element.
    pub fn describe_element(&self, element: ElementId) -> String {
        format!("`{}`", self.element(element).meta.id)
    }

    /// A hit on a flow, with the flow's assets and exposure.
    pub fn flow_hit(&self, flow: &DirectedFlow<'_>, assets: Vec<AssetId>, explanation: String) -> Hit {
        Hit { subject: Subject::Flow(flow.id), assets, explanation, exposure: self.flow_exposure(flow.flow) }
    }

    /// A hit on an element, reachable by the media of its incoming flows.
    pub fn element_hit(&self, element: ElementId, assets: Vec<AssetId>, explanation: String) -> Hit {
        let authn = self
            .incoming(element)
            .iter()
            .map(|flow| self.model.flow(*flow).authn.value)
            .min_by_key(|authn| authn_strength(*authn));
        Hit {
            subject: Subject::Element(element),
            assets,
            explanation,
            exposure: Exposure { media: self.entry_media(element), authn },
        }
    }
}

/// Orders authentication schemes from weakest (0) to strongest, so "the weakest way in" is the
/// minimum.
pub fn authn_strength(authn: medtm_model::vocab::Authn) -> u8 {
    use medtm_model::vocab::Authn;
    match authn {
        Authn::None | Authn::Implicit => 0,
        Authn::Password | Authn::SharedSecret | Authn::FleetKey | Authn::Token => 1,
        Authn::Mfa | Authn::Smartcard | Authn::PerDeviceKey | Authn::Mtls => 2,
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

impl Hits {
    /// Whether a hit was already reported on this subject (for `<->` flows seen both ways).
    pub fn has_subject(&self, subject: Subject) -> bool {
        self.iter().any(|hit| hit.subject == subject)
    }
}
