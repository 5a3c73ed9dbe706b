//! The architecture views of the premarket guidance: global system, multi-patient harm,
//! updatability and patchability, and security use cases; each as a diagram and a table.
//!
//! A view is a selection of the model's elements and flows, which [`crate::graph`] draws with
//! their boundaries, and a table that says what the selection shows. Every choice is made from
//! the model's vocabularies (asset kinds, component kinds, actor roles, boundary kinds,
//! protocols) and from the analysis, never from ids.

use std::collections::BTreeMap;

use medtm_engine::Finding;
use medtm_engine::context::RuleContext;
use medtm_model::Model;
use medtm_model::model::{Element, ElementId, ElementKind, Flow, FlowId, Subject};
use medtm_model::vocab::{
    ActorRole, AssetKind, BoundaryKind, ComponentKind, DebugPort, PortState, Support, Vocabulary as _,
};
use medtm_syntax::ast::Direction;
use schemars::JsonSchema;
use serde::Serialize;

use crate::Inputs;
use crate::graph::Marks;

/// An architecture view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum View {
    /// Every element and connection: the data-flow diagram.
    Global,
    /// What one compromise reaches across a fleet of devices.
    MultiPatient,
    /// Every path by which code reaches a device, signed or not.
    Updatability,
    /// The flows of therapy, monitoring, alarms, updates and service.
    UseCases,
}

impl View {
    pub const ALL: [View; 4] = [View::Global, View::MultiPatient, View::Updatability, View::UseCases];

    /// The name used on the command line (`--view multi-patient`).
    pub const fn name(self) -> &'static str {
        match self {
            View::Global => "global",
            View::MultiPatient => "multi-patient",
            View::Updatability => "updatability",
            View::UseCases => "use-cases",
        }
    }

    pub fn from_name(name: &str) -> Option<View> {
        View::ALL.into_iter().find(|view| view.name() == name)
    }

    pub const fn title(self) -> &'static str {
        match self {
            View::Global => "Global system view",
            View::MultiPatient => "Multi-patient harm view",
            View::Updatability => "Updatability and patchability view",
            View::UseCases => "Security use case view",
        }
    }

    const fn description(self) -> &'static str {
        match self {
            View::Global => {
                "Every actor, component and store of the system with the zone it sits in, and every flow between them with the data it carries and how it is protected."
            }
            View::MultiPatient => {
                "Each place where a single compromise reaches more than one device: the fleets it reaches and how many units they count, with the findings that make it possible."
            }
            View::Updatability => {
                "Each way code reaches a device: update flows hop by hop from their source, service and debug ports, and the devices and software hosts that nothing updates; whether the code is signed and checked, and the support status of the software each receiver runs."
            }
            View::UseCases => {
                "The flows each clinical and security use case depends on (therapy delivery and programming, monitoring and diagnosis, alarms, updates, service and maintenance), chosen by the kinds of data they carry and who takes part."
            }
        }
    }
}

/// A view as a table, for reports and submissions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Table {
    pub title: &'static str,
    pub description: &'static str,
    pub columns: Vec<&'static str>,
    /// One cell per column in each row.
    pub rows: Vec<Vec<String>>,
}

/// What a view draws: elements and flows of the model, by index, and what it notes about each
/// (lines the diagram adds under an element's label or a flow's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Selection {
    pub elements: Vec<bool>,
    pub flows: Vec<bool>,
    pub element_notes: Vec<Vec<String>>,
    pub flow_notes: Vec<Vec<String>>,
}

impl Selection {
    fn new(model: &Model, all: bool) -> Self {
        Selection {
            elements: vec![all; model.elements.len()],
            flows: vec![all; model.flows.len()],
            element_notes: vec![Vec::new(); model.elements.len()],
            flow_notes: vec![Vec::new(); model.flows.len()],
        }
    }

    fn add_flow(&mut self, model: &Model, flow: FlowId) {
        let data = model.flow(flow);
        self.flows[flow.index()] = true;
        self.elements[data.from.index()] = true;
        self.elements[data.to.index()] = true;
    }
}

/// The elements and flows a view draws.
pub(crate) fn selection(inputs: &Inputs<'_>, view: View) -> Selection {
    let model = inputs.model;
    let cx = RuleContext::new(model, inputs.analysis.today);
    match view {
        View::Global => Selection::new(model, true),
        View::MultiPatient => {
            let mut selection = Selection::new(model, false);
            let mut element_reach = vec![0; model.elements.len()];
            for compromise in compromises(&cx, &inputs.analysis.findings) {
                if let Subject::Flow(flow) = compromise.subject {
                    selection.add_flow(model, flow);
                    selection.flow_notes[flow.index()].push(reach_note(compromise.reach));
                } else {
                    for element in &compromise.at {
                        selection.elements[element.index()] = true;
                        element_reach[element.index()] = element_reach[element.index()].max(compromise.reach);
                    }
                }
                for (element, _) in &compromise.fleets {
                    selection.elements[element.index()] = true;
                }
                for flow in &compromise.pushes {
                    selection.add_flow(model, *flow);
                }
            }
            for (notes, reach) in selection.element_notes.iter_mut().zip(element_reach) {
                if reach > 1 {
                    notes.push(reach_note(reach));
                }
            }
            selection
        }
        View::Updatability => {
            let mut selection = Selection::new(model, false);
            for path in code_paths(&cx) {
                let device = path.device.index();
                selection.elements[device] = true;
                match path.route {
                    Route::Flow(flow) => selection.add_flow(model, flow),
                    Route::Port(port, state) => {
                        selection.element_notes[device].push(format!(
                            "debug port {}: {}",
                            port.as_str(),
                            state.as_str()
                        ));
                    }
                    Route::Nothing => selection.element_notes[device].push("no update path in the model".to_owned()),
                }
            }
            for (index, element) in model.elements.iter().enumerate() {
                let Some(component) = element.as_component() else { continue };
                if matches!(component.kind.value, ComponentKind::UpdateServer | ComponentKind::SigningService) {
                    selection.elements[index] = true;
                }
                if selection.elements[index] && cx.updates_known(component) {
                    selection.element_notes[index].insert(0, format!("update: {}", update_summary(&cx, component)));
                }
            }
            for (index, flow) in model.flows.iter().enumerate() {
                if selection.flows[index] {
                    selection.flow_notes[index].push(format!("integrity {}", flow.integrity.value.as_str()));
                }
            }
            selection
        }
        View::UseCases => {
            let mut selection = Selection::new(model, false);
            for (index, _) in model.flows.iter().enumerate() {
                let flow = FlowId(index as u32);
                let names: Vec<&str> = UseCase::ALL
                    .iter()
                    .filter(|use_case| use_case.involves(model, flow))
                    .map(|use_case| use_case.short())
                    .collect();
                if !names.is_empty() {
                    selection.add_flow(model, flow);
                    selection.flow_notes[index].push(format!("use case: {}", names.join(", ")));
                }
            }
            selection
        }
    }
}

fn reach_note(reach: u64) -> String {
    format!("one compromise reaches {reach} devices")
}

/// A view as a table.
pub fn table(inputs: &Inputs<'_>, view: View) -> Table {
    let (columns, rows) = match view {
        View::Global => global_table(inputs),
        View::MultiPatient => multi_patient_table(inputs),
        View::Updatability => updatability_table(inputs),
        View::UseCases => use_case_table(inputs),
    };
    Table { title: view.title(), description: view.description(), columns, rows }
}

type Rows = (Vec<&'static str>, Vec<Vec<String>>);

const NONE: &str = "-";

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

fn words<T: medtm_model::vocab::Vocabulary>(values: &[T]) -> String {
    values.iter().map(|value| value.as_str()).collect::<Vec<_>>().join(", ")
}

/// `app -> pump` or `app <-> api`.
fn arrow(model: &Model, flow: &Flow) -> String {
    let sign = if flow.direction == Direction::BothWays { "<->" } else { "->" };
    format!("{} {sign} {}", model.element(flow.from).meta.id, model.element(flow.to).meta.id)
}

/// The ids of the assets a flow carries.
fn carried(model: &Model, flow: &Flow) -> String {
    let ids: Vec<&str> = flow.carries.iter().map(|asset| model.asset(*asset).meta.id.as_str()).collect();
    if ids.is_empty() { NONE.to_owned() } else { ids.join(", ") }
}

/// How a flow is protected: authentication, encryption, integrity and replay protection.
fn protection(flow: &Flow) -> String {
    format!(
        "authn {}; encryption {}; integrity {}; replay {}",
        flow.authn.value.as_str(),
        flow.encryption.value.as_str(),
        flow.integrity.value.as_str(),
        flow.replay.value.as_str()
    )
}

/// The boundaries around an element, outermost first: `hospital / imaging_vlan`.
fn zone(model: &Model, element: &Element) -> String {
    let mut chain: Vec<&str> =
        model.boundary_chain(element.boundary).map(|boundary| model.boundary(boundary).meta.id.as_str()).collect();
    if chain.is_empty() {
        return NONE.to_owned();
    }
    chain.reverse();
    chain.join(" / ")
}

fn or_none(text: String) -> String {
    if text.is_empty() { NONE.to_owned() } else { text }
}

fn global_table(inputs: &Inputs<'_>) -> Rows {
    let model = inputs.model;
    let marks = Marks::new(model, &inputs.analysis.findings);
    let mut rows = Vec::with_capacity(model.elements.len() + model.flows.len());
    for (index, element) in model.elements.iter().enumerate() {
        let details = match &element.kind {
            ElementKind::Actor(actor) => {
                format!("role {}; authentication {}", actor.role.value.as_str(), actor.auth.value.as_str())
            }
            ElementKind::Component(component) => {
                let mut details = vec![format!("kind {}", component.kind.value.as_str())];
                if component.os.is_stated() {
                    details.push(format!("os {}", words(&component.os.value)));
                }
                if !component.functions.value.is_empty() {
                    details.push(format!("functions {}", words(&component.functions.value)));
                }
                if component.count.value > 1 {
                    details.push(format!("{} units", component.count.value));
                }
                if !component.software.is_empty() {
                    let software: Vec<&str> =
                        component.software.iter().map(|id| model.software_entry(*id).meta.id.as_str()).collect();
                    details.push(format!("software {}", software.join(", ")));
                }
                details.join("; ")
            }
            ElementKind::Store(store) => {
                let holds: Vec<&str> = store.holds.iter().map(|id| model.asset(*id).meta.id.as_str()).collect();
                let mut details = vec![
                    format!("holds {}", if holds.is_empty() { NONE.to_owned() } else { holds.join(", ") }),
                    format!("encrypted {}", yes_no(store.encrypted.value)),
                ];
                if let Some(host) = store.host {
                    details.push(format!("on {}", model.element(host).meta.id));
                }
                details.join("; ")
            }
        };
        rows.push(vec![
            element.meta.id.clone(),
            element.kind_name().to_owned(),
            element.meta.label.clone(),
            zone(model, element),
            details,
            or_none(marks.element(ElementId(index as u32)).describe()),
        ]);
    }
    for (index, flow) in model.flows.iter().enumerate() {
        let from = model.element(flow.from);
        let to = model.element(flow.to);
        let (from_zone, to_zone) = (zone(model, from), zone(model, to));
        let zones = if from_zone == to_zone { from_zone } else { format!("{from_zone} -> {to_zone}") };
        let details = format!(
            "{}; carries {}; medium {}; protocol {}; {}",
            arrow(model, flow),
            carried(model, flow),
            words(&flow.media.value),
            or_none(words(&flow.protocols.value)),
            protection(flow)
        );
        rows.push(vec![
            flow.meta.id.clone(),
            "flow".to_owned(),
            flow.meta.label.clone(),
            zones,
            details,
            or_none(marks.flow(FlowId(index as u32)).describe()),
        ]);
    }
    (vec!["id", "type", "label", "zone", "details", "findings"], rows)
}

/// A place where one compromise reaches more than one device, with the findings that say so.
struct Compromise<'a> {
    subject: Subject,
    /// The elements compromised: the subject, or the components that run a software entry.
    at: Vec<ElementId>,
    /// The fleets reached, with the units one compromise reaches of each.
    fleets: Vec<(ElementId, u64)>,
    /// The flows by which the compromised elements push to those fleets.
    pushes: Vec<FlowId>,
    /// How many devices the engine says one compromise reaches.
    reach: u64,
    findings: Vec<&'a Finding>,
}

/// The multi-patient findings grouped by subject, worst first (in the order of the ranking).
fn compromises<'a>(cx: &RuleContext<'_>, findings: &'a [Finding]) -> Vec<Compromise<'a>> {
    let mut compromises: Vec<Compromise<'a>> = Vec::new();
    let mut by_subject: BTreeMap<Subject, usize> = BTreeMap::new();
    for finding in findings {
        let Some(reach) = finding.fleet_reach else { continue };
        if let Some(existing) = by_subject.get(&finding.subject).map(|index| &mut compromises[*index]) {
            existing.reach = existing.reach.max(reach);
            existing.findings.push(finding);
            continue;
        }
        by_subject.insert(finding.subject, compromises.len());
        let leg = cx.subject_leg(finding.subject);
        let at = match finding.subject {
            Subject::Element(element) => vec![element],
            Subject::Flow(_) | Subject::Response(_) => leg.map(|leg| leg.from).into_iter().collect(),
            Subject::Software(software) => cx.software_users(software).to_vec(),
            Subject::Boundary(_) | Subject::Asset(_) => Vec::new(),
        };
        let mut fleets = Vec::new();
        let mut pushes = Vec::new();
        if let Some(leg) = leg {
            fleets.push((leg.to, leg.fan_out(cx.model)));
        } else {
            for element in &at {
                let pushed = cx.fleet_pushes(*element);
                let units = cx.model.units(*element);
                if pushed.is_empty() {
                    if units > 1 {
                        fleets.push((*element, units));
                    }
                } else {
                    pushes.extend(pushed.iter().map(|push| push.edge.flow));
                    fleets.extend(pushed.iter().map(medtm_engine::context::FleetPush::reach));
                }
            }
        }
        let fleets = medtm_engine::context::units_per_fleet(fleets);
        pushes.sort_unstable();
        pushes.dedup();
        compromises.push(Compromise { subject: finding.subject, at, fleets, pushes, reach, findings: vec![finding] });
    }
    compromises
}

fn multi_patient_table(inputs: &Inputs<'_>) -> Rows {
    let model = inputs.model;
    let cx = RuleContext::new(model, inputs.analysis.today);
    let rows = compromises(&cx, &inputs.analysis.findings)
        .into_iter()
        .map(|compromise| {
            let kind = match compromise.subject {
                Subject::Element(element) => model.element(element).kind_name(),
                Subject::Flow(_) => "flow",
                Subject::Response(_) => "response",
                Subject::Software(_) => "software",
                Subject::Boundary(_) => "boundary",
                Subject::Asset(_) => "asset",
            };
            let fleets: Vec<String> = compromise
                .fleets
                .iter()
                .map(|(fleet, units)| format!("{} ({units} units)", model.element(*fleet).meta.id))
                .collect();
            let findings: Vec<String> = compromise
                .findings
                .iter()
                .map(|finding| {
                    format!("{}: {}, {}", finding.rule.name, finding.residual.level.as_str(), finding.status.as_str())
                })
                .collect();
            vec![
                model.subject_id(compromise.subject).to_owned(),
                kind.to_owned(),
                or_none(fleets.join(", ")),
                compromise.reach.to_string(),
                findings.join("; "),
            ]
        })
        .collect();
    (vec!["compromise of", "kind", "reaches", "devices", "findings"], rows)
}

/// How code reaches a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// A flow that carries firmware or software.
    Flow(FlowId),
    /// A debug or service port that is present and usable (open, or behind authentication).
    Port(DebugPort, PortState),
    /// The model shows no way: for a device whose updates the analysis judges.
    Nothing,
}

/// One way code reaches a device.
struct CodePath {
    device: ElementId,
    route: Route,
}

/// Every way code reaches a device, by receiver in model order: flows carrying firmware (each
/// hop, so that the end-to-end path from an update server is there), usable debug and service
/// ports, and devices or hosts of listed software that nothing brings code to.
fn code_paths(cx: &RuleContext<'_>) -> Vec<CodePath> {
    let model = cx.model;
    let mut paths = Vec::new();
    for (index, element) in model.elements.iter().enumerate() {
        let device = ElementId(index as u32);
        let before = paths.len();
        for leg in cx.arriving(device) {
            if leg.carries().iter().any(|asset| model.asset(*asset).has_kind(AssetKind::Firmware)) {
                paths.push(CodePath { device, route: Route::Flow(leg.id) });
            }
        }
        let Some(component) = element.as_component() else { continue };
        for (port, state) in &component.debug_ports {
            if matches!(state.value, PortState::Open | PortState::Authenticated) {
                paths.push(CodePath { device, route: Route::Port(*port, state.value) });
            }
        }
        if paths.len() == before && (cx.updates_known(component) || !component.software.is_empty()) {
            paths.push(CodePath { device, route: Route::Nothing });
        }
    }
    paths
}

fn updatability_table(inputs: &Inputs<'_>) -> Rows {
    let model = inputs.model;
    let cx = RuleContext::new(model, inputs.analysis.today);
    let rows = code_paths(&cx)
        .into_iter()
        .map(|path| {
            let element = model.element(path.device);
            let component = element.as_component();
            let (route, from, code, medium, authn, integrity) = match path.route {
                Route::Flow(flow_id) => {
                    let flow = model.flow(flow_id);
                    let sender = if flow.to == path.device { flow.from } else { flow.to };
                    let code: Vec<&str> = flow
                        .carries
                        .iter()
                        .map(|asset| model.asset(*asset))
                        .filter(|asset| asset.has_kind(AssetKind::Firmware))
                        .map(|asset| asset.meta.id.as_str())
                        .collect();
                    (
                        format!("flow {}", flow.meta.id),
                        model.element(sender).meta.id.clone(),
                        code.join(", "),
                        words(&flow.media.value),
                        flow.authn.value.as_str().to_owned(),
                        flow.integrity.value.as_str().to_owned(),
                    )
                }
                Route::Port(port, state) => (
                    format!("debug port {}", port.as_str()),
                    "physical access".to_owned(),
                    NONE.to_owned(),
                    "physical".to_owned(),
                    state.as_str().to_owned(),
                    NONE.to_owned(),
                ),
                Route::Nothing => (
                    "none in the model".to_owned(),
                    NONE.to_owned(),
                    NONE.to_owned(),
                    NONE.to_owned(),
                    NONE.to_owned(),
                    NONE.to_owned(),
                ),
            };
            let update = component.map_or_else(|| NONE.to_owned(), |component| update_summary(&cx, component));
            vec![
                element.meta.id.clone(),
                route,
                from,
                code,
                medium,
                authn,
                integrity,
                update,
                or_none(software_support(inputs, path.device)),
            ]
        })
        .collect();
    (vec!["receiver", "path", "from", "code", "medium", "access", "integrity", "device update", "software"], rows)
}

/// How a component takes updates: `signed, no anti-rollback, secure boot`, `not supported`, or
/// `not described` (for a component that is not a device and whose model says nothing).
pub(crate) fn update_summary(cx: &RuleContext<'_>, component: &medtm_model::model::Component) -> String {
    let update = &component.update;
    if !cx.updates_known(component) {
        return "not described".to_owned();
    }
    if !update.supported.value {
        return "not supported".to_owned();
    }
    let either = |value: bool, yes: &'static str, no: &'static str| if value { yes } else { no };
    format!(
        "{}, {}, {}",
        either(update.signed.value, "signed", "unsigned"),
        either(update.anti_rollback.value, "anti-rollback", "no anti-rollback"),
        either(update.secure_boot.value, "secure boot", "no secure boot")
    )
}

/// The software a component runs with its support status: `mbedtls 2.16.12 (unmaintained,
/// end of support 2021-12-31)`.
fn software_support(inputs: &Inputs<'_>, element: ElementId) -> String {
    let Some(component) = inputs.model.element(element).as_component() else { return String::new() };
    component
        .software
        .iter()
        .filter_map(|id| inputs.report.software.get(id.index()))
        .map(|software| {
            let ended = software.support == Support::Maintained.as_str() && !software.supported;
            let mut status = match &software.end_of_support {
                Some(end) if ended => format!("support ended {end}"),
                Some(end) => format!("{}, end of support {end}", software.support),
                None => software.support.to_owned(),
            };
            if !software.supported {
                status.push_str(", no fixes");
            }
            match &software.version {
                Some(version) => format!("{} {version} ({status})", software.id),
                None => format!("{} ({status})", software.id),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A security use case: a clinical or maintenance function whose flows an attack would use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum UseCase {
    Therapy,
    Monitoring,
    Alarms,
    Updates,
    Service,
}

impl UseCase {
    const ALL: [UseCase; 5] =
        [UseCase::Therapy, UseCase::Monitoring, UseCase::Alarms, UseCase::Updates, UseCase::Service];

    /// A word for diagrams.
    const fn short(self) -> &'static str {
        match self {
            UseCase::Therapy => "therapy",
            UseCase::Monitoring => "monitoring",
            UseCase::Alarms => "alarms",
            UseCase::Updates => "updates",
            UseCase::Service => "service",
        }
    }

    const fn title(self) -> &'static str {
        match self {
            UseCase::Therapy => "therapy delivery and programming",
            UseCase::Monitoring => "monitoring and diagnosis",
            UseCase::Alarms => "alarms",
            UseCase::Updates => "updates",
            UseCase::Service => "service and maintenance",
        }
    }

    /// The asset kinds whose flows make up the use case.
    const fn kinds(self) -> &'static [AssetKind] {
        match self {
            UseCase::Therapy => &[AssetKind::Therapy, AssetKind::Config],
            UseCase::Monitoring => &[AssetKind::Monitoring, AssetKind::Diagnostic],
            UseCase::Alarms => &[AssetKind::Alarm],
            UseCase::Updates => &[AssetKind::Firmware],
            UseCase::Service => &[],
        }
    }

    /// Whether a flow takes part: it carries data of the use case's kinds or, for service, one
    /// of its ends is a service role or a service tool, it is a remote administration protocol,
    /// or it reaches from the manufacturer's network into the field (anywhere but the
    /// manufacturer's own networks and cloud).
    fn involves(self, model: &Model, flow: FlowId) -> bool {
        let flow = model.flow(flow);
        if self != UseCase::Service {
            return flow
                .carries
                .iter()
                .any(|asset| self.kinds().iter().any(|kind| model.asset(*asset).has_kind(*kind)));
        }
        let service_end = |element: ElementId| {
            let element = model.element(element);
            let role = element.as_actor().is_some_and(|actor| {
                matches!(actor.role.value, ActorRole::ServiceTech | ActorRole::VendorSupport | ActorRole::HdoAdmin)
            });
            let tool =
                element.as_component().is_some_and(|component| component.kind.value == ComponentKind::ServiceTool);
            role || tool
        };
        let in_zone = |element: ElementId, kinds: &[BoundaryKind]| {
            model.boundary_chain(model.element(element).boundary).any(|b| kinds.contains(&model.boundary(b).kind.value))
        };
        let manufacturer = [BoundaryKind::VendorNetwork, BoundaryKind::CloudTenant];
        let into_field = |from: ElementId, to: ElementId| {
            in_zone(from, &[BoundaryKind::VendorNetwork]) && !in_zone(to, &manufacturer)
        };
        let remote_admin = flow
            .protocols
            .value
            .iter()
            .any(|protocol| medtm_engine::context::REMOTE_ADMIN_PROTOCOLS.contains(protocol));
        remote_admin
            || service_end(flow.from)
            || service_end(flow.to)
            || into_field(flow.from, flow.to)
            || into_field(flow.to, flow.from)
    }
}

fn use_case_table(inputs: &Inputs<'_>) -> Rows {
    let model = inputs.model;
    let marks = Marks::new(model, &inputs.analysis.findings);
    let mut rows = Vec::new();
    for use_case in UseCase::ALL {
        for (index, flow) in model.flows.iter().enumerate() {
            let id = FlowId(index as u32);
            if !use_case.involves(model, id) {
                continue;
            }
            rows.push(vec![
                use_case.title().to_owned(),
                flow.meta.id.clone(),
                arrow(model, flow),
                carried(model, flow),
                words(&flow.media.value),
                protection(flow),
                or_none(marks.flow(id).describe()),
            ]);
        }
    }
    (vec!["use case", "flow", "between", "data", "medium", "protection", "findings"], rows)
}

#[cfg(test)]
mod tests {
    use super::View;

    #[test]
    fn names_round_trip() {
        for view in View::ALL {
            assert_eq!(View::from_name(view.name()), Some(view));
        }
        assert_eq!(View::from_name("everything"), None);
    }
}
