//! The one place severities are computed: a rule's hit becomes CVSS metrics, the metrics become
//! v3.1 and v4.0 scores and an exploitability band, and the band and the patient harm give the
//! risk level through the acceptance matrix.
//!
//! Vectors come from the model's facts, after MITRE's rubric for medical devices, and are
//! calibrated against the official vectors of disclosed vulnerabilities (the judgement suite
//! prints the agreement metric by metric):
//! - **AV**, where the attacker must stand: the most exposed medium (IP: Network; Bluetooth and
//!   proprietary radio: Adjacent; near-field radio and inter-process: Local; cables, media and
//!   screens: Physical), except that IP inside a segment of its own (a clinical VLAN, a
//!   patient's home) is Adjacent: the attacker must be on that segment.
//! - **AC**, conditions the attacker does not control: altering or replaying traffic takes a
//!   position in the middle (High); reading it takes one on a wired or routed network (High),
//!   not on a radio anyone in range hears, nor for a response sent to whoever asks (Low).
//! - **PR**, what the attacker must already hold: nothing against no or implicit
//!   authentication, a shared, fleet-wide or known secret (it is in every unit, or public), or a
//!   password it can guess; Low against a token or a password it must have; High against
//!   per-device keys, certificates and multiple factors.
//! - **S**, changed only when what the attacked component does lands on other components (a
//!   gateway that commands pumps, a stolen secret that opens another system). How many devices
//!   one compromise reaches is the multi-patient flag and the harm axis, not scope.
//! - **C/I/A**, from what is at stake: the assets the threat involves (PHI is High from 500
//!   patients; safety assets' integrity and availability are High from serious harm), for the
//!   STRIDE letters the rule touches; a credential or key carries what it opens.

use std::sync::Arc;

use medtm_cvss::{AttackComplexity, AttackVector, Band, Cia, Impact, Metrics, PrivilegesRequired, Scored};
use medtm_model::Model;
use medtm_model::model::{AssetId, ElementId, RiskMatrix};
use medtm_model::vocab::{AssetKind, Authn, BoundaryKind, Exploitability, Harm, Medium, RiskLevel};
use serde::Serialize;

use crate::context::{KEY_KINDS, RuleContext, SAFETY_KINDS, is_wireless};
use crate::rule::{Hit, Rule, Touches};

/// Patients above which a confidentiality breach counts as High (MITRE's rubric).
pub const MANY_PATIENTS: u64 = 500;

/// A vector scored both ways, banded and levelled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub metrics: Metrics,
    /// Shared by every assessment of the same metrics: a large model has hundreds of thousands
    /// of findings and a few hundred distinct vectors.
    pub v31: Arc<Scored>,
    pub v40: Arc<Scored>,
    pub exploitability: Exploitability,
    /// The exploitability band counts a flaw the model does not show (the rule's
    /// `unproven_flaw`), which the vector leaves out: CVSS scores a flaw as if it were there.
    pub unproven_flaw: bool,
    pub level: RiskLevel,
}

impl Assessment {
    /// The metrics the exploitability band is read from: the vector's, with an unproven flaw
    /// counted as an attack requirement.
    pub fn likelihood_metrics(&self) -> Metrics {
        likelihood(self.metrics, self.unproven_flaw)
    }
}

fn likelihood(mut metrics: Metrics, unproven_flaw: bool) -> Metrics {
    if unproven_flaw {
        metrics.attack_requirements = medtm_cvss::AttackRequirements::Present;
    }
    metrics
}

/// The attack vector of a medium: IP-based media are Network; Bluetooth and proprietary radio
/// Adjacent; near-field radio and inter-process links Local; cables, media, readers of what is
/// plugged in or touching, and the device's own screen Physical.
pub fn attack_vector(medium: Medium) -> AttackVector {
    match medium {
        Medium::Internet | Medium::Cellular | Medium::Network | Medium::Ethernet | Medium::Wifi => {
            AttackVector::Network
        }
        Medium::Ble | Medium::BleLesc | Medium::BtClassic | Medium::ProprietaryRf => AttackVector::Adjacent,
        Medium::Nfc | Medium::Inductive | Medium::Ipc => AttackVector::Local,
        Medium::Usb | Medium::Serial | Medium::RemovableMedia | Medium::Ui | Medium::Contact => AttackVector::Physical,
    }
}

/// Privileges required by the authentication an attacker faces: none where anyone is believed
/// or the secret is not the attacker's to lack (shared by every unit, fleet-wide); low for a
/// password or token the attacker must hold; high for per-device keys, certificates and
/// multi-factor or hardware-backed schemes.
pub fn privileges_required(authn: Authn) -> PrivilegesRequired {
    match authn {
        Authn::None | Authn::Implicit | Authn::SharedSecret | Authn::FleetKey => PrivilegesRequired::None,
        Authn::Password | Authn::Token => PrivilegesRequired::Low,
        Authn::Mfa | Authn::Smartcard | Authn::PerDeviceKey | Authn::Mtls | Authn::Certificate => {
            PrivilegesRequired::High
        }
    }
}

/// Network boundaries that are a segment of their own: an attacker must be on them, not merely
/// on a routed network, to reach what is inside.
const SEGMENTS: &[BoundaryKind] = &[BoundaryKind::ClinicalVlan, BoundaryKind::PatientHome];

/// The network boundary an element sits in: the innermost boundary of a network kind.
fn network_of(model: &Model, element: ElementId) -> Option<BoundaryKind> {
    model
        .boundary_chain(model.element(element).boundary)
        .map(|b| model.boundary(b).kind.value)
        .find(|kind| !matches!(kind, BoundaryKind::Enclosure | BoundaryKind::MobileSandbox))
}

/// The attack vector of a hit: its template's, or where the attacker must stand to use its most
/// exposed way in. With no way in, the attacker must hold the device.
fn vector_of(cx: &RuleContext<'_>, rule: &Rule, hit: &Hit) -> AttackVector {
    if let Some(fixed) = rule.template.attack_vector {
        return fixed;
    }
    let media = &hit.exposure.media;
    let vector = media.iter().map(|medium| attack_vector(*medium)).min().unwrap_or(AttackVector::Physical);
    if vector != AttackVector::Network || media.iter().any(|m| matches!(m, Medium::Internet | Medium::Cellular)) {
        return vector;
    }
    // IP between two elements of one segment (or the receiver's segment, when the sender is
    // outside every network): the attacker must be on that segment.
    let Some(leg) = hit.exposure.most_exposed.map(|edge| cx.leg(edge)) else { return vector };
    let receiver = network_of(cx.model, leg.to);
    let sender = network_of(cx.model, leg.from);
    let on_segment = |kind: Option<BoundaryKind>| kind.is_some_and(|kind| SEGMENTS.contains(&kind));
    if on_segment(receiver) && (on_segment(sender) || sender.is_none()) { AttackVector::Adjacent } else { vector }
}

/// The attack complexity of a hit: its template's, and High for a threat that reads traffic
/// unless the traffic is on a radio anyone in range hears or is a response sent to whoever asks,
/// and for a leg that trusts whoever addresses it by a secret unique to each unit (CVSS counts
/// collecting such target-specific knowledge as a condition beyond the attacker's control).
fn complexity_of(cx: &RuleContext<'_>, rule: &Rule, hit: &Hit) -> AttackComplexity {
    let template = rule.template;
    let asked_for = || cx.subject_leg(hit.subject).is_some_and(|leg| cx.unauthenticated_request(&leg).is_some());
    if template.reads_traffic && !hit.exposure.media.iter().any(|medium| is_wireless(*medium)) && !asked_for() {
        return AttackComplexity::High;
    }
    if cx.subject_leg(hit.subject).is_some_and(|leg| cx.addressed_by_unit_secret(&leg)) {
        return AttackComplexity::High;
    }
    template.attack_complexity
}

/// What the credentials and keys among `assets` open, for a threat that discloses them: what
/// their holder can forge or stop (`acted_on`) and read (`read`).
fn opened_by_secrets(cx: &RuleContext<'_>, rule: &Rule, assets: &[AssetId]) -> (Vec<AssetId>, Vec<AssetId>) {
    let (mut acted_on, mut read) = (Vec::new(), Vec::new());
    if !rule.touches().confidentiality && !rule.stride.contains(&crate::rule::Stride::Spoofing) {
        return (acted_on, read);
    }
    for asset in assets {
        if KEY_KINDS.iter().any(|kind| cx.asset(*asset).has_kind(*kind)) {
            let opened = cx.opened(*asset);
            acted_on.extend(opened.acted_on.iter().copied());
            read.extend(opened.read.iter().copied());
        }
    }
    (acted_on, read)
}

/// The patient harm a finding carries: the worst harm of its safety-relevant assets, when the
/// rule touches integrity or availability, and of what its credentials and keys open. `None`
/// means no patient harm (privacy only, or nothing safety-relevant at stake), and the level then
/// comes from the CVSS score.
pub fn patient_harm(cx: &RuleContext<'_>, rule: &Rule, assets: &[AssetId]) -> Option<Harm> {
    if !rule.template.direct_harm {
        return None;
    }
    let touches = rule.touches();
    let safety_harm = |ids: &[AssetId]| {
        ids.iter()
            .map(|id| cx.asset(*id))
            .filter(|asset| SAFETY_KINDS.iter().any(|kind| asset.has_kind(*kind)))
            .map(|asset| asset.harm.value)
            .filter(|harm| *harm > Harm::Negligible)
            .max()
    };
    let own = if touches.integrity || touches.availability { safety_harm(assets) } else { None };
    let (acted_on, _) = opened_by_secrets(cx, rule, assets);
    own.max(safety_harm(&acted_on))
}

/// The patient harm left after controls. Impacts and harm are read together (a safety asset's
/// integrity and availability are High from serious harm, Low below): a control that takes
/// every safety impact of the finding down to Low leaves at most minor harm, and to None, none.
/// A resiliency control that keeps therapy running when a link is flooded lowers the harm, not
/// the exploitability, and so changes the level.
pub fn residual_harm(harm: Option<Harm>, residual: &Metrics) -> Option<Harm> {
    let harm = harm?;
    let safety = residual
        .vulnerable
        .integrity
        .max(residual.vulnerable.availability)
        .max(residual.subsequent.integrity.max(residual.subsequent.availability));
    match safety {
        Impact::High => Some(harm),
        Impact::Low => Some(harm.min(Harm::Minor)),
        Impact::None => None,
    }
}

/// The C/I/A impacts of the assets at stake, for the letters the rule touches.
fn impacts(model: &Model, touches: Touches, assets: &[AssetId]) -> Cia {
    let mut cia = Cia::NONE;
    for asset in assets.iter().map(|id| model.asset(*id)) {
        let safety = SAFETY_KINDS.iter().any(|kind| asset.has_kind(*kind));
        let safety_impact = if asset.harm.value >= Harm::Serious { Impact::High } else { Impact::Low };
        let personal = asset.has_kind(AssetKind::Phi) || asset.has_kind(AssetKind::Pii);
        let secret = asset.has_kind(AssetKind::Credential) || asset.has_kind(AssetKind::CryptoKey);
        if touches.confidentiality {
            let many = asset.patients.value.is_none_or(|patients| patients >= MANY_PATIENTS);
            let confidentiality = if secret || (personal && many) {
                Impact::High
            } else if personal || asset.has_kind(AssetKind::Config) || asset.has_kind(AssetKind::Firmware) {
                Impact::Low
            } else {
                Impact::None
            };
            cia.confidentiality = cia.confidentiality.max(confidentiality);
        }
        let other = if personal || secret || asset.has_kind(AssetKind::AuditLog) { Impact::Low } else { Impact::None };
        if touches.integrity {
            cia.integrity = cia.integrity.max(if safety { safety_impact } else { other });
        }
        if touches.availability {
            cia.availability = cia.availability.max(if safety { safety_impact } else { other });
        }
    }
    // A threat to a property with nothing named at stake still costs something: Low.
    let floor = |touched: bool, impact: Impact| if touched && impact == Impact::None { Impact::Low } else { impact };
    Cia {
        confidentiality: floor(touches.confidentiality && assets.is_empty(), cia.confidentiality),
        integrity: floor(touches.integrity && assets.is_empty(), cia.integrity),
        availability: floor(touches.availability && assets.is_empty(), cia.availability),
    }
}

/// The inherent metrics of a hit: the rule's template first, the model for the rest.
/// `crosses` says the impact lands on components beyond the attacked one (it commands them, or
/// a secret it gives away opens them), which changes scope in v3.1 and fills the
/// subsequent-system impacts of v4.0.
pub fn metrics(cx: &RuleContext<'_>, rule: &Rule, hit: &Hit, crosses: bool) -> Metrics {
    let model = cx.model;
    let template = rule.template;
    let privileges_required = template
        .privileges_required
        .unwrap_or_else(|| hit.exposure.authn.map_or(PrivilegesRequired::None, privileges_required));
    let touches = rule.touches();
    let cap = |impact: Impact| impact.min(template.max_impact);
    let mut raw = impacts(model, touches, &hit.assets);
    // What the attacker is handed back is disclosed, whatever the threat touches.
    if !hit.disclosed.is_empty() {
        raw = raw.max(impacts(model, Touches::CONFIDENTIALITY, &hit.disclosed));
    }
    // A secret given away is what it opens: its holder forges and stops what it acted on, and
    // reads what it could read.
    let (acted_on, read) = opened_by_secrets(cx, rule, &hit.assets);
    if !acted_on.is_empty() || !read.is_empty() {
        let forged = impacts(model, Touches::INTEGRITY_AVAILABILITY, &acted_on);
        let disclosed = impacts(model, Touches::CONFIDENTIALITY, &read);
        raw = raw.max(forged).max(disclosed);
    }
    let vulnerable = Cia {
        confidentiality: cap(raw.confidentiality),
        integrity: cap(raw.integrity),
        availability: cap(raw.availability),
    };
    let harm = patient_harm(cx, rule, &hit.assets);
    let safety = harm.is_some_and(Harm::is_safety);
    Metrics {
        attack_vector: vector_of(cx, rule, hit),
        attack_complexity: complexity_of(cx, rule, hit),
        attack_requirements: template.attack_requirements,
        privileges_required,
        user_interaction: template.user_interaction,
        vulnerable,
        subsequent: if crosses { vulnerable } else { Cia::NONE },
        safety_integrity: safety && (touches.integrity || !acted_on.is_empty()),
        safety_availability: safety && (touches.availability || !acted_on.is_empty()),
    }
}

/// Scores by metrics. Scores are pure functions of the metrics, and large models repeat the same
/// few hundred vectors across tens of thousands of findings, so scoring each once keeps the
/// analysis fast (v4.0 scoring is a macrovector lookup behind a string parse).
#[derive(Debug, Default)]
pub struct ScoreCache {
    scores: crate::FastMap<Metrics, (Arc<Scored>, Arc<Scored>)>,
}

impl ScoreCache {
    fn score(&mut self, metrics: Metrics) -> (Arc<Scored>, Arc<Scored>) {
        let (v31, v40) = self.scores.entry(metrics).or_insert_with(|| (metrics.v31().into(), metrics.v40().into()));
        (Arc::clone(v31), Arc::clone(v40))
    }
}

/// Scores metrics and reads the risk level: from the matrix when the patient can be harmed,
/// otherwise from the CVSS v4.0 score (9.0 and above unacceptable, 7.0 and above review). The
/// matrix's exploitability counts an `unproven_flaw` that the scores leave out.
pub fn assess(
    metrics: Metrics,
    unproven_flaw: bool,
    harm: Option<Harm>,
    matrix: &[[RiskLevel; 5]; 3],
    cache: &mut ScoreCache,
) -> Assessment {
    let (v31, v40) = cache.score(metrics);
    let exploitability = match likelihood(metrics, unproven_flaw).band() {
        Band::High => Exploitability::High,
        Band::Medium => Exploitability::Medium,
        Band::Low => Exploitability::Low,
    };
    let no_impact = metrics.vulnerable.is_none() && metrics.subsequent.is_none();
    let level = match harm {
        _ if no_impact => RiskLevel::Acceptable,
        Some(harm) => RiskMatrix::level(matrix, exploitability, harm),
        None if v40.score >= 9.0 => RiskLevel::Unacceptable,
        None if v40.score >= 7.0 => RiskLevel::Review,
        None => RiskLevel::Acceptable,
    };
    Assessment { metrics, v31, v40, exploitability, unproven_flaw, level }
}
