//! The one place severities are computed: a rule's hit becomes CVSS metrics (after MITRE's rubric
//! for medical devices), the metrics become v3.1 and v4.0 scores and an exploitability band, and
//! the band and the patient harm give the risk level through the acceptance matrix.

use std::sync::Arc;

use medtm_cvss::{AttackVector, Band, Cia, Impact, Metrics, PrivilegesRequired, Scored};
use medtm_model::Model;
use medtm_model::model::{AssetId, RiskMatrix};
use medtm_model::vocab::{AssetKind, Authn, Exploitability, Harm, Medium, RiskLevel};
use serde::Serialize;

use crate::context::SAFETY_KINDS;
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
    pub level: RiskLevel,
}

/// The attack vector of a medium: IP-based media are Network; Bluetooth and proprietary radio
/// Adjacent; near-field radio and inter-process links Local; cables, media and the device's own
/// screen Physical.
pub fn attack_vector(medium: Medium) -> AttackVector {
    match medium {
        Medium::Internet | Medium::Cellular | Medium::Network | Medium::Ethernet | Medium::Wifi => {
            AttackVector::Network
        }
        Medium::Ble | Medium::BleLesc | Medium::BtClassic | Medium::ProprietaryRf => AttackVector::Adjacent,
        Medium::Nfc | Medium::Inductive | Medium::Ipc => AttackVector::Local,
        Medium::Usb | Medium::Serial | Medium::RemovableMedia | Medium::Ui => AttackVector::Physical,
    }
}

/// Privileges required by the authentication an attacker faces: none for no or implicit
/// authentication, low for secrets that are shared, guessable or replayable, high for per-device
/// keys and multi-factor or hardware-backed schemes.
pub fn privileges_required(authn: Authn) -> PrivilegesRequired {
    match authn {
        Authn::None | Authn::Implicit => PrivilegesRequired::None,
        Authn::Password | Authn::SharedSecret | Authn::FleetKey | Authn::Token => PrivilegesRequired::Low,
        Authn::Mfa | Authn::Smartcard | Authn::PerDeviceKey | Authn::Mtls | Authn::Certificate => {
            PrivilegesRequired::High
        }
    }
}

/// The patient harm a finding carries: the worst harm of its safety-relevant assets, when the
/// rule touches integrity or availability. `None` means no patient harm (privacy only, or
/// nothing safety-relevant at stake), and the level then comes from the CVSS score.
pub fn patient_harm(model: &Model, rule: &Rule, assets: &[AssetId]) -> Option<Harm> {
    let touches = rule.touches();
    if !rule.template.direct_harm || !(touches.integrity || touches.availability) {
        return None;
    }
    assets
        .iter()
        .map(|id| model.asset(*id))
        .filter(|asset| SAFETY_KINDS.iter().any(|kind| asset.has_kind(*kind)))
        .map(|asset| asset.harm.value)
        .filter(|harm| *harm > Harm::Negligible)
        .max()
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
/// `propagates` says the impact reaches beyond the attacked component (a fleet, a downstream
/// device), which makes scope changed in v3.1 and fills the subsequent-system impacts of v4.0.
pub fn metrics(model: &Model, rule: &Rule, hit: &Hit, propagates: bool) -> Metrics {
    let template = rule.template;
    let attack_vector = template.attack_vector.unwrap_or_else(|| {
        // The most exposed medium sets the vector; with none, the attacker must hold the device.
        hit.exposure.media.iter().map(|medium| attack_vector(*medium)).min().unwrap_or(AttackVector::Physical)
    });
    let privileges_required = template
        .privileges_required
        .unwrap_or_else(|| hit.exposure.authn.map_or(PrivilegesRequired::None, privileges_required));
    let touches = rule.touches();
    let cap = |impact: Impact| impact.min(template.max_impact);
    let raw = impacts(model, touches, &hit.assets);
    let vulnerable = Cia {
        confidentiality: cap(raw.confidentiality),
        integrity: cap(raw.integrity),
        availability: cap(raw.availability),
    };
    let harm = patient_harm(model, rule, &hit.assets);
    let safety = harm.is_some_and(Harm::is_safety);
    Metrics {
        attack_vector,
        attack_complexity: template.attack_complexity,
        attack_requirements: template.attack_requirements,
        privileges_required,
        user_interaction: template.user_interaction,
        vulnerable,
        subsequent: if propagates { vulnerable } else { Cia::NONE },
        safety_integrity: safety && touches.integrity,
        safety_availability: safety && touches.availability,
    }
}

/// Scores by metrics. Scores are pure functions of the metrics, and large models repeat the same
/// few hundred vectors across tens of thousands of findings, so scoring each once keeps the
/// analysis fast (v4.0 scoring is a macrovector lookup behind a string parse).
#[derive(Debug, Default)]
pub struct ScoreCache {
    scores: std::collections::HashMap<Metrics, (Arc<Scored>, Arc<Scored>)>,
}

impl ScoreCache {
    fn score(&mut self, metrics: Metrics) -> (Arc<Scored>, Arc<Scored>) {
        let (v31, v40) = self.scores.entry(metrics).or_insert_with(|| (metrics.v31().into(), metrics.v40().into()));
        (Arc::clone(v31), Arc::clone(v40))
    }
}

/// Scores metrics and reads the risk level: from the matrix when the patient can be harmed,
/// otherwise from the CVSS v4.0 score (9.0 and above unacceptable, 7.0 and above review).
pub fn assess(
    metrics: Metrics,
    harm: Option<Harm>,
    matrix: &[[RiskLevel; 5]; 3],
    cache: &mut ScoreCache,
) -> Assessment {
    let (v31, v40) = cache.score(metrics);
    let exploitability = match metrics.band() {
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
    Assessment { metrics, v31, v40, exploitability, level }
}
