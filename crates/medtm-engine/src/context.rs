//! What rules see: the model plus indices and phrasing helpers, so that each rule file holds only
//! its condition and its sentence.

use medtm_model::Model;
use medtm_model::model::{
    Asset, AssetId, Component, Element, ElementId, Flow, FlowId, Software, SoftwareId, Store, Subject,
};
use medtm_model::vocab::{AssetKind, Authn, Harm, Medium, Vocabulary as _};

use crate::rule::{Exposure, Hit};

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
    /// The components that list each software entry.
    software_users: Vec<Vec<ElementId>>,
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
        let mut software_users = vec![Vec::new(); model.software.len()];
        for (index, element) in model.elements.iter().enumerate() {
            if let Some(component) = element.as_component() {
                for software in &component.software {
                    software_users[software.index()].push(ElementId(index as u32));
                }
            }
        }
        Self { model, today, incoming, outgoing, software_users }
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

    /// A hit on an element, exposed as its most exploitable incoming flow is (see
    /// [`most_exposed_first`]). An element nothing flows into is reached by holding it: its
    /// exposure has no media, which scoring reads as physical access.
    pub fn element_hit(&self, element: ElementId, assets: Vec<AssetId>, explanation: String) -> Hit {
        let exposure = self
            .incoming(element)
            .iter()
            .map(|flow| self.model.flow(*flow))
            .min_by(|a, b| most_exposed_first(a, b))
            .map(|flow| self.flow_exposure(flow))
            .unwrap_or_default();
        Hit { subject: Subject::Element(element), assets, explanation, exposure }
    }
}

/// Orders flows as ways in, the most exploitable first: the most remote medium (internet before
/// radio before a cable), then the weakest authentication (see [`weakest_authn`]), then the
/// flow's id. The id only tells equally exposed flows apart, so that the flow a finding names
/// never depends on the order of the declarations.
pub fn most_exposed_first(a: &Flow, b: &Flow) -> std::cmp::Ordering {
    let reach = |flow: &Flow| flow.media.value.iter().map(|m| crate::scoring::attack_vector(*m)).min();
    reach(a)
        .cmp(&reach(b))
        .then_with(|| authn_weakness(a.authn.value).cmp(&authn_weakness(b.authn.value)))
        .then_with(|| a.meta.id.cmp(&b.meta.id))
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

    /// The media and weakest authentication of the flows that bring firmware into `element`, or
    /// of all its incoming flows when none carries firmware.
    pub fn firmware_exposure(&self, element: ElementId) -> Exposure {
        let firmware: Vec<&Flow> = self
            .incoming(element)
            .iter()
            .map(|flow| self.model.flow(*flow))
            .filter(|flow| flow.carries.iter().any(|asset| self.asset(*asset).has_kind(AssetKind::Firmware)))
            .collect();
        if firmware.is_empty() {
            return self.element_hit(element, Vec::new(), String::new()).exposure;
        }
        let mut media: Vec<Medium> = firmware.iter().flat_map(|flow| flow.media.value.iter().copied()).collect();
        media.sort_unstable();
        media.dedup();
        let authn = weakest_authn(firmware.iter().map(|flow| flow.authn.value));
        Exposure { media, authn }
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
        let mut media = Vec::new();
        let mut assets = Vec::new();
        let mut authns = Vec::new();
        for user in users {
            let hit = self.element_hit(*user, Vec::new(), String::new());
            media.extend(hit.exposure.media);
            authns.extend(hit.exposure.authn);
            assets.extend(self.component_assets(*user));
        }
        let authn = weakest_authn(authns);
        media.sort_unstable();
        media.dedup();
        assets.sort_unstable();
        assets.dedup();
        Hit { subject: Subject::Software(software), assets, explanation, exposure: Exposure { media, authn } }
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
    /// in the patient's home, on their body or on their phone. A command it sends reaches its own
    /// patient's device, whatever the size of the fleet it belongs to.
    pub fn serves_one_patient(&self, element: ElementId) -> bool {
        use medtm_model::vocab::{BoundaryKind, ComponentKind};
        let Some(component) = self.component(element) else { return false };
        matches!(component.kind.value, ComponentKind::MobileApp | ComponentKind::Wearable | ComponentKind::Implant)
            || self.in_boundary_of(
                element,
                &[BoundaryKind::PatientHome, BoundaryKind::Enclosure, BoundaryKind::MobileSandbox],
            )
    }

    /// Whether a flow carries commands, configuration or code: what makes its sender able to act
    /// on its receiver.
    pub fn carries_commands(&self, flow: &Flow) -> bool {
        flow.carries.iter().any(|asset| {
            let asset = self.asset(*asset);
            COMMAND_KINDS.iter().any(|kind| asset.has_kind(*kind)) || asset.has_kind(AssetKind::Firmware)
        })
    }

    /// The flows by which a component pushes commands, configuration or code to a fleet (a
    /// component with more than one unit), with their receivers. Nothing for a component that
    /// serves one patient, whose commands reach that patient's devices only.
    pub fn fleet_pushes(&self, sender: ElementId) -> Vec<(FlowId, ElementId)> {
        if self.serves_one_patient(sender) {
            return Vec::new();
        }
        self.outgoing(sender)
            .iter()
            .filter_map(|flow| {
                let data = self.model.flow(*flow);
                let receiver = if data.from == sender { data.to } else { data.from };
                let fleet = self.component(receiver).is_some_and(|component| component.count.value > 1);
                (fleet && self.carries_commands(data)).then_some((*flow, receiver))
            })
            .collect()
    }
}

impl<'m> RuleContext<'m> {
    /// A flow of `receiver`'s incoming index, in the direction that arrives at `receiver` (for a
    /// `<->` flow declared from `receiver`, its response direction).
    pub fn arriving(&self, id: FlowId, receiver: ElementId) -> DirectedFlow<'m> {
        let flow = self.model.flow(id);
        if flow.to == receiver {
            DirectedFlow { id, flow, from: flow.from, to: flow.to, reverse: false }
        } else {
            DirectedFlow { id, flow, from: flow.to, to: flow.from, reverse: true }
        }
    }
}

/// Protocols that carry clinical data in the clear unless the flow is encrypted:
/// `cleartext-clinical-protocol` reports them on hospital networks.
pub const CLEARTEXT_CLINICAL_PROTOCOLS: &[medtm_model::vocab::Protocol] = &[
    medtm_model::vocab::Protocol::Dicom,
    medtm_model::vocab::Protocol::Hl7v2Mllp,
    medtm_model::vocab::Protocol::Smb,
    medtm_model::vocab::Protocol::Telnet,
    medtm_model::vocab::Protocol::Http,
];

impl RuleContext<'_> {
    /// The cleartext clinical protocol of a flow where `cleartext-clinical-protocol` reports it:
    /// one of [`CLEARTEXT_CLINICAL_PROTOCOLS`] with `encryption: none`, with either end on a
    /// hospital network or clinical VLAN, or in a system whose `environment` is `hospital`.
    /// Rules about cleartext use it to leave those flows to that rule.
    pub fn cleartext_clinical_protocol(&self, flow: &Flow) -> Option<medtm_model::vocab::Protocol> {
        use medtm_model::vocab::{BoundaryKind, Encryption, Environment};
        if flow.encryption.value != Encryption::None {
            return None;
        }
        let protocol = flow.protocols.value.iter().copied().find(|p| CLEARTEXT_CLINICAL_PROTOCOLS.contains(p))?;
        let hospital_system =
            self.model.system.as_ref().is_some_and(|system| system.environment.value == Environment::Hospital);
        let hospital_networks = [BoundaryKind::HospitalNetwork, BoundaryKind::ClinicalVlan];
        (hospital_system
            || self.in_boundary_of(flow.from, &hospital_networks)
            || self.in_boundary_of(flow.to, &hospital_networks))
        .then_some(protocol)
    }
}
