//! Open Threat Model (OTM 0.2.0) JSON: the model and its findings, for other threat-modelling
//! tools to import.
//!
//! - **Representations**: the data-flow diagram (`dfd`, drawn by `medtm graph`; it has no fixed
//!   layout, so elements carry no positions) and the `.mtm` file itself (`mtm`, with each element's
//!   line).
//! - **Trust zones** are the boundaries, nested as in the model. Their trust rating (0 to 100)
//!   comes from their kind (see [`trust_rating`]); elements outside every boundary sit in a zone
//!   of their own, `outside-boundaries`, which cannot clash with a model id (ids have no `-`).
//! - **Components** are the actors, components and stores (`type` says which); a store inside a
//!   component has that component as its parent.
//! - **Threats** are the findings, inherent risk first: likelihood from the CVSS 3.1
//!   exploitability sub-score, impact from the patient harm (or, with none at stake, from the CVSS
//!   4.0 score). Each threat is instantiated on its subject (a finding on software, on every
//!   component that runs it; one on a response leg, on its `<->` flow's dataflow) with its
//!   status and the controls that answer it.
//! - **Mitigations** are the controls; their risk reduction is measured, not guessed (see
//!   [`risk_reduction`]).
//!
//! Assets are named in attributes only: OTM asset ratings need a C/I/A weighting per asset that
//! the engine computes per finding and does not expose.

use std::collections::BTreeMap;

use medtm_engine::{Finding, Status};
use medtm_model::Model;
use medtm_model::model::{Control, Element, ElementId, ElementKind, Flow, FlowId, Subject};
use medtm_model::vocab::{BoundaryKind, Harm, Vocabulary};
use medtm_syntax::ast::Direction;
use medtm_syntax::{LineIndex, Span};
use serde::Serialize;

use crate::Inputs;
use crate::dto::FindingReport;

/// The OTM version the document follows (that of the schema it validates against).
const OTM_VERSION: &str = "0.2.0";

/// The id of the diagram representation.
const DIAGRAM: &str = "dfd";
/// The id of the source-file representation.
const SOURCE: &str = "mtm";
/// The zone of elements declared outside every boundary.
const OUTSIDE: &str = "outside-boundaries";

/// The highest CVSS 3.1 exploitability sub-score: 8.22 × AV:N × AC:L × PR:N × UI:N.
const MAX_EXPLOITABILITY: f64 = 8.22 * 0.85 * 0.77 * 0.85 * 0.85;

type Attributes = BTreeMap<&'static str, String>;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    otm_version: &'static str,
    project: Project,
    representations: Vec<Representation>,
    trust_zones: Vec<TrustZone>,
    components: Vec<Component>,
    dataflows: Vec<Dataflow>,
    threats: Vec<Threat>,
    mitigations: Vec<Mitigation>,
}

#[derive(Debug, Serialize)]
struct Project {
    name: String,
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    tags: Vec<String>,
    attributes: Attributes,
}

#[derive(Debug, Serialize)]
struct Representation {
    name: &'static str,
    id: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
}

#[derive(Debug, Serialize)]
struct RepresentationElement {
    representation: &'static str,
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
enum Parent {
    TrustZone(String),
    Component(String),
}

#[derive(Debug, Serialize)]
struct TrustZone {
    id: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    risk: TrustRisk,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<Parent>,
    representations: Vec<RepresentationElement>,
    attributes: Attributes,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct TrustRisk {
    trust_rating: u32,
}

#[derive(Debug, Serialize)]
struct Component {
    id: String,
    name: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    parent: Parent,
    representations: Vec<RepresentationElement>,
    threats: Vec<ThreatInstance>,
    tags: Vec<String>,
    attributes: Attributes,
}

#[derive(Debug, Serialize)]
struct Dataflow {
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    bidirectional: bool,
    source: String,
    destination: String,
    threats: Vec<ThreatInstance>,
    tags: Vec<String>,
    attributes: Attributes,
}

#[derive(Debug, Serialize)]
struct ThreatInstance {
    threat: String,
    state: &'static str,
    mitigations: Vec<MitigationInstance>,
}

#[derive(Debug, Serialize)]
struct MitigationInstance {
    mitigation: String,
    state: &'static str,
}

#[derive(Debug, Serialize)]
struct Threat {
    id: String,
    name: String,
    description: String,
    categories: Vec<&'static str>,
    cwes: Vec<String>,
    risk: ThreatRisk,
    tags: Vec<String>,
    attributes: Attributes,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ThreatRisk {
    likelihood: u32,
    likelihood_comment: String,
    impact: u32,
    impact_comment: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Mitigation {
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    risk_reduction: u32,
    attributes: Attributes,
}

/// Writes the OTM document as pretty JSON (with a trailing newline).
pub fn write(inputs: &Inputs<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(inputs))?;
    out.write_all(b"\n")
}

/// A finding as the analysis has it (typed) and as the report says it (text).
type Pair<'a> = (&'a Finding, &'a FindingReport<'a>);

fn document(inputs: &Inputs<'_>) -> Document {
    let (model, report) = (inputs.model, inputs.report);
    // The report lists the analysis's findings in the same (rank) order.
    let reports = report.findings.to_vec();
    let findings: Vec<Pair<'_>> = inputs.analysis.findings.iter().zip(&reports).collect();
    let mut placed = instances(model, &findings);
    let lines = LineIndex::new(inputs.text);
    let place = |id: &str, label: &str, span: Span| {
        let line = lines.line_column(inputs.text, span.start).line;
        let element = |representation: &'static str| RepresentationElement {
            representation,
            id: format!("{representation}/{id}"),
            name: label.to_owned(),
            file: None,
            line: None,
        };
        vec![
            element(DIAGRAM),
            RepresentationElement { file: Some(report.source.clone()), line: Some(line), ..element(SOURCE) },
        ]
    };
    let components = model
        .elements
        .iter()
        .enumerate()
        .map(|(index, element)| {
            let threats = placed.remove(&Subject::Element(ElementId(index as u32))).unwrap_or_default();
            component(model, element, threats, place(&element.meta.id, &element.meta.label, element.meta.id_span))
        })
        .collect();
    let dataflows = model
        .flows
        .iter()
        .enumerate()
        .map(|(index, flow)| {
            dataflow(model, flow, placed.remove(&Subject::Flow(FlowId(index as u32))).unwrap_or_default())
        })
        .collect();
    let mut trust_zones = Vec::new();
    if model.elements.iter().any(|element| element.boundary.is_none()) {
        trust_zones.push(TrustZone {
            id: OUTSIDE.to_owned(),
            name: "Outside any trust boundary".to_owned(),
            kind: OUTSIDE.to_owned(),
            description: Some("Elements the model declares outside every boundary.".to_owned()),
            risk: TrustRisk { trust_rating: NEUTRAL_RATING },
            parent: None,
            representations: Vec::new(),
            attributes: Attributes::from([("hostile", "false".to_owned())]),
        });
    }
    trust_zones.extend(model.boundaries.iter().map(|boundary| TrustZone {
        id: boundary.meta.id.clone(),
        name: boundary.meta.label.clone(),
        kind: boundary.kind.value.as_str().to_owned(),
        description: boundary.meta.doc.clone(),
        risk: TrustRisk { trust_rating: trust_rating(boundary.kind.value, boundary.hostile.value) },
        parent: boundary.parent.map(|parent| Parent::TrustZone(model.boundary(parent).meta.id.clone())),
        representations: place(&boundary.meta.id, &boundary.meta.label, boundary.meta.id_span),
        attributes: Attributes::from([("hostile", boundary.hostile.value.to_string())]),
    }));
    let reductions = risk_reductions(model, &inputs.analysis.findings);
    Document {
        otm_version: OTM_VERSION,
        project: project(inputs),
        representations: vec![
            Representation {
                name: "Data-flow diagram",
                id: DIAGRAM,
                kind: "diagram",
                description: format!("The data-flow diagram; `medtm graph {}` draws it.", report.source),
            },
            Representation {
                name: "Threat model source",
                id: SOURCE,
                kind: "code",
                description: format!("The medtm model {}.", report.source),
            },
        ],
        trust_zones,
        components,
        dataflows,
        threats: findings.iter().map(threat).collect(),
        mitigations: model
            .controls
            .iter()
            .zip(reductions)
            .map(|(control, reduction)| mitigation(control, reduction))
            .collect(),
    }
}

fn project(inputs: &Inputs<'_>) -> Project {
    let report = inputs.report;
    let system = inputs.model.system.as_ref();
    let mut attributes = Attributes::from([
        ("source", report.source.clone()),
        ("tool", format!("{} {}", report.tool.name, report.tool.version)),
    ]);
    let optional = [
        ("analysedOn", report.analysed_on.clone()),
        ("version", system.and_then(|s| s.version.clone())),
        ("deviceClass", system.and_then(|s| s.device_class.clone())),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            attributes.insert(key, value);
        }
    }
    Project {
        name: system.map_or_else(|| report.source.clone(), |s| s.meta.label.clone()),
        id: system.map_or_else(|| "model".to_owned(), |s| s.meta.id.clone()),
        description: system.and_then(|s| s.meta.doc.clone()),
        tags: system
            .map(|s| vec![s.function.value.as_str().to_owned(), s.environment.value.as_str().to_owned()])
            .unwrap_or_default(),
        attributes,
    }
}

/// Every finding instantiated where it occurs: on its element or flow, and a finding on software
/// on every component that runs it. Each list keeps rank order.
fn instances(model: &Model, findings: &[Pair<'_>]) -> BTreeMap<Subject, Vec<ThreatInstance>> {
    let mut users: Vec<Vec<Subject>> = vec![Vec::new(); model.software.len()];
    for (index, element) in model.elements.iter().enumerate() {
        for software in element.as_component().map(|c| c.software.as_slice()).unwrap_or_default() {
            users[software.index()].push(Subject::Element(ElementId(index as u32)));
        }
    }
    let mut placed: BTreeMap<Subject, Vec<ThreatInstance>> = BTreeMap::new();
    for pair in findings {
        // OTM has one (bidirectional) dataflow for a `<->` flow: a finding on its response
        // leg is placed on it too (its threat id says which leg).
        let subject = match pair.0.subject {
            Subject::Response(flow) => Subject::Flow(flow),
            subject => subject,
        };
        let places = match subject {
            Subject::Software(software) => users[software.index()].as_slice(),
            _ => std::slice::from_ref(&subject),
        };
        for place in places {
            placed.entry(*place).or_default().push(instance(model, pair));
        }
    }
    placed
}

fn dataflow(model: &Model, flow: &Flow, threats: Vec<ThreatInstance>) -> Dataflow {
    let mut attributes = Attributes::from([
        ("authn", flow.authn.value.as_str().to_owned()),
        ("encryption", flow.encryption.value.as_str().to_owned()),
        ("integrity", flow.integrity.value.as_str().to_owned()),
        ("replay", flow.replay.value.as_str().to_owned()),
    ]);
    attributes.insert("carries", ids(flow.carries.iter().map(|asset| model.asset(*asset).meta.id.as_str())));
    if let Some(response) = &flow.response {
        attributes
            .insert("returns.carries", ids(response.carries.iter().map(|asset| model.asset(*asset).meta.id.as_str())));
        attributes.insert("returns.authn", response.authn.value.as_str().to_owned());
        attributes.insert("returns.encryption", response.encryption.value.as_str().to_owned());
        attributes.insert("returns.integrity", response.integrity.value.as_str().to_owned());
        attributes.insert("returns.replay", response.replay.value.as_str().to_owned());
    }
    Dataflow {
        id: flow.meta.id.clone(),
        name: flow.meta.label.clone(),
        description: flow.meta.doc.clone(),
        bidirectional: flow.direction == Direction::BothWays,
        source: model.element(flow.from).meta.id.clone(),
        destination: model.element(flow.to).meta.id.clone(),
        threats,
        tags: words(&flow.media.value).into_iter().chain(words(&flow.protocols.value)).collect(),
        attributes,
    }
}

fn mitigation(control: &Control, risk_reduction: u32) -> Mitigation {
    Mitigation {
        id: control.meta.id.clone(),
        name: control.meta.label.clone(),
        description: control.meta.doc.clone(),
        risk_reduction,
        attributes: Attributes::from([
            ("category", control.category.value.map(Vocabulary::as_str).unwrap_or_default().to_owned()),
            ("status", control.status.value.as_str().to_owned()),
            ("effect", effect(control)),
            ("verifiedBy", ids(control.verified_by.iter())),
        ]),
    }
}

/// The CVSS metrics a control sets ("PR:H, AV:P"): its `effect`, or its category's default.
fn effect(control: &Control) -> String {
    if !control.effect.is_empty() {
        return ids(control.effect.iter().map(|entry| format!("{}:{}", entry.metric, entry.value)));
    }
    match control.category.value {
        Some(category) => format!(
            "{} (default for {})",
            ids(medtm_engine::controls::category_default(category)
                .iter()
                .map(|(metric, value)| format!("{metric}:{value}"))),
            category.as_str()
        ),
        None => String::new(),
    }
}

/// The trust rating of an element outside every boundary: the analysis treats it as not hostile.
const NEUTRAL_RATING: u32 = 60;

/// How far a zone can be trusted, from 0 (the internet) to 100: the kind sets the rating, and a
/// `hostile` setting that disagrees with the kind moves it to its side of the middle (a hostile
/// zone rates at most 40, a trusted one at least 60).
fn trust_rating(kind: BoundaryKind, hostile: bool) -> u32 {
    let rating = match kind {
        BoundaryKind::Internet => 0,
        BoundaryKind::ThirdParty | BoundaryKind::PatientHome => 20,
        BoundaryKind::HospitalNetwork | BoundaryKind::VendorNetwork => 30,
        BoundaryKind::ClinicalVlan => 40,
        BoundaryKind::MobileSandbox => 70,
        BoundaryKind::CloudTenant => 80,
        BoundaryKind::Enclosure => 90,
    };
    if hostile { rating.min(40) } else { rating.max(NEUTRAL_RATING) }
}

fn component(
    model: &Model,
    element: &Element,
    threats: Vec<ThreatInstance>,
    representations: Vec<RepresentationElement>,
) -> Component {
    let zone = || {
        Parent::TrustZone(element.boundary.map_or_else(|| OUTSIDE.to_owned(), |b| model.boundary(b).meta.id.clone()))
    };
    let (parent, tags, attributes) = match &element.kind {
        ElementKind::Actor(actor) => (
            zone(),
            vec![actor.role.value.as_str().to_owned()],
            Attributes::from([("auth", actor.auth.value.as_str().to_owned())]),
        ),
        ElementKind::Component(component) => {
            let mut attributes = Attributes::from([
                ("os", ids(component.os.value.iter().map(|os| os.as_str()))),
                ("functions", ids(component.functions.value.iter().map(|f| f.as_str()))),
                ("count", component.count.value.to_string()),
            ]);
            attributes
                .insert("software", ids(component.software.iter().map(|s| model.software_entry(*s).meta.id.as_str())));
            (zone(), vec![component.kind.value.as_str().to_owned()], attributes)
        }
        ElementKind::Store(store) => (
            store.host.map_or_else(zone, |host| Parent::Component(model.element(host).meta.id.clone())),
            Vec::new(),
            Attributes::from([
                ("encrypted", store.encrypted.value.to_string()),
                ("holds", ids(store.holds.iter().map(|asset| model.asset(*asset).meta.id.as_str()))),
            ]),
        ),
    };
    Component {
        id: element.meta.id.clone(),
        name: element.meta.label.clone(),
        kind: element.kind_name(),
        description: element.meta.doc.clone(),
        parent,
        representations,
        threats,
        tags,
        attributes,
    }
}

/// A finding instantiated on an element or flow, with the controls that answer it.
fn instance(model: &Model, (finding, _): &Pair<'_>) -> ThreatInstance {
    ThreatInstance {
        threat: finding.id.clone(),
        state: match finding.status {
            Status::Open => "exposed",
            Status::PartiallyMitigated => "partially-mitigated",
            Status::Mitigated => "mitigated",
            Status::Accepted => "accepted",
            Status::Transferred => "transferred",
        },
        mitigations: finding
            .controls
            .iter()
            .map(|applied| MitigationInstance {
                mitigation: model.controls[applied.control.index()].meta.id.clone(),
                state: applied.status.as_str(),
            })
            .collect(),
    }
}

fn threat((finding, report): &Pair<'_>) -> Threat {
    let likelihood = finding.inherent.likelihood_metrics().exploitability() / MAX_EXPLOITABILITY;
    let (impact, impact_comment) = match finding.harm {
        Some(harm) => (harm_impact(harm), format!("Patient harm at stake: {} (ISO 14971 severity).", harm.as_str())),
        None => (
            percent(report.inherent.cvss_v40.score / 10.0),
            format!("No patient harm at stake; CVSS 4.0 base score {:.1}.", report.inherent.cvss_v40.score),
        ),
    };
    let mut tags = vec![report.rule.code.to_owned(), report.rule.name.to_owned()];
    if report.multi_patient_reach.is_some() {
        tags.push("multi-patient".to_owned());
    }
    let mut attributes = Attributes::from([
        ("status", report.status.to_owned()),
        ("level", report.inherent.level.to_owned()),
        ("residualLevel", report.residual.level.to_owned()),
        ("cvssV31", format!("{} {:.1}", report.inherent.cvss_v31.vector, report.inherent.cvss_v31.score)),
        ("cvssV40", format!("{} {:.1}", report.inherent.cvss_v40.vector, report.inherent.cvss_v40.score)),
        ("residualCvssV31", format!("{} {:.1}", report.residual.cvss_v31.vector, report.residual.cvss_v31.score)),
        ("residualCvssV40", format!("{} {:.1}", report.residual.cvss_v40.vector, report.residual.cvss_v40.score)),
        ("assets", ids(report.assets.iter().map(|asset| asset.id))),
        ("capec", ids(finding.rule.capec.iter().map(|id| format!("CAPEC-{id}")))),
    ]);
    if let Some(reach) = report.multi_patient_reach {
        attributes.insert("multiPatientReach", reach.to_string());
    }
    if let Some(decision) = &report.decision {
        let optional = [("reason", decision.reason), ("labeling", decision.labeling), ("owner", decision.owner)];
        for (key, value) in optional {
            if let Some(value) = value {
                attributes.insert(key, value.to_owned());
            }
        }
        if let Some(date) = &decision.review_by {
            attributes.insert("reviewBy", date.clone());
        }
    }
    Threat {
        id: report.id.to_owned(),
        name: format!("{}: {}", report.rule.title, report.subject.label),
        description: report.explanation.to_owned(),
        categories: finding.rule.stride.iter().map(|stride| stride.name()).collect(),
        cwes: finding.rule.cwe.iter().map(|id| format!("CWE-{id}")).collect(),
        risk: ThreatRisk {
            likelihood: percent(likelihood),
            likelihood_comment: format!(
                "Exploitability {} (CVSS 3.1 exploitability sub-score {:.2} of {MAX_EXPLOITABILITY:.2}).",
                report.inherent.exploitability(),
                finding.inherent.likelihood_metrics().exploitability()
            ),
            impact,
            impact_comment,
        },
        tags,
        attributes,
    }
}

/// The impact of a patient harm, in equal steps from negligible (20) to catastrophic (100).
fn harm_impact(harm: Harm) -> u32 {
    let step = Harm::ALL.iter().position(|h| *h == harm).unwrap_or(Harm::ALL.len() - 1);
    (step as u32 + 1) * 100 / Harm::ALL.len() as u32
}

/// How much each control lowers the risk of the findings it answers: the mean drop, in percent,
/// of the inherent CVSS 3.1 base score when that control alone is applied. Planned controls lower
/// nothing (0), and neither does a control that answers no finding.
fn risk_reductions(model: &Model, findings: &[Finding]) -> Vec<u32> {
    let mut drops = vec![(0.0, 0u32); model.controls.len()];
    for finding in findings.iter().filter(|finding| finding.inherent.v31.score > 0.0) {
        for applied in &finding.controls {
            let alone =
                medtm_engine::controls::residual(model, finding.inherent.metrics, std::slice::from_ref(applied));
            let (sum, count) = &mut drops[applied.control.index()];
            *sum += 1.0 - alone.v31().score / finding.inherent.v31.score;
            *count += 1;
        }
    }
    drops.into_iter().map(|(sum, count)| if count == 0 { 0 } else { percent(sum / f64::from(count)) }).collect()
}

/// A fraction from 0 to 1 as a whole percentage.
fn percent(fraction: f64) -> u32 {
    (fraction.clamp(0.0, 1.0) * 100.0).round() as u32
}

fn words<T: Vocabulary>(values: &[T]) -> Vec<String> {
    values.iter().map(|value| value.as_str().to_owned()).collect()
}

/// Ids or words as one attribute value ("a, b").
fn ids<T: AsRef<str>>(items: impl Iterator<Item = T>) -> String {
    items.map(|item| item.as_ref().to_owned()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use medtm_model::vocab::{BoundaryKind, Harm};

    use super::{harm_impact, trust_rating};

    #[test]
    fn trust_follows_the_kind_and_an_explicit_hostile_setting() {
        assert_eq!(trust_rating(BoundaryKind::Internet, true), 0);
        assert_eq!(trust_rating(BoundaryKind::Enclosure, false), 90);
        assert_eq!(trust_rating(BoundaryKind::Enclosure, true), 40);
        assert_eq!(trust_rating(BoundaryKind::HospitalNetwork, false), 60);
    }

    #[test]
    fn harm_impact_rises_in_equal_steps() {
        assert_eq!(harm_impact(Harm::Negligible), 20);
        assert_eq!(harm_impact(Harm::Catastrophic), 100);
    }
}
