//! CVSS v4.0: the vector from [`Metrics`], scored with the RustSec `cvss` crate.

use std::str::FromStr as _;

use crate::{
    AttackComplexity, AttackRequirements, AttackVector, Impact, Metrics, PrivilegesRequired, Scored, Severity,
    UserInteraction,
};

fn letter(impact: Impact) -> char {
    match impact {
        Impact::None => 'N',
        Impact::Low => 'L',
        Impact::High => 'H',
    }
}

/// The v4.0 vector string.
pub(crate) fn vector(metrics: &Metrics) -> String {
    let av = match metrics.attack_vector {
        AttackVector::Network => 'N',
        AttackVector::Adjacent => 'A',
        AttackVector::Local => 'L',
        AttackVector::Physical => 'P',
    };
    let ac = if metrics.attack_complexity == AttackComplexity::High { 'H' } else { 'L' };
    let at = if metrics.attack_requirements == AttackRequirements::Present { 'P' } else { 'N' };
    let pr = match metrics.privileges_required {
        PrivilegesRequired::None => 'N',
        PrivilegesRequired::Low => 'L',
        PrivilegesRequired::High => 'H',
    };
    let ui = match metrics.user_interaction {
        UserInteraction::None => 'N',
        UserInteraction::Passive => 'P',
        UserInteraction::Active => 'A',
    };
    let (v, s) = (metrics.vulnerable, metrics.subsequent);
    let mut vector = format!(
        "CVSS:4.0/AV:{av}/AC:{ac}/AT:{at}/PR:{pr}/UI:{ui}/VC:{}/VI:{}/VA:{}/SC:{}/SI:{}/SA:{}",
        letter(v.confidentiality),
        letter(v.integrity),
        letter(v.availability),
        letter(s.confidentiality),
        letter(s.integrity),
        letter(s.availability),
    );
    // Safety applies only while the matching impact exists: a control that takes integrity to
    // None also takes away the patient-safety consequence of tampering.
    let safety_integrity = metrics.safety_integrity && (v.integrity != Impact::None || s.integrity != Impact::None);
    let safety_availability =
        metrics.safety_availability && (v.availability != Impact::None || s.availability != Impact::None);
    if safety_integrity {
        vector.push_str("/MSI:S");
    }
    if safety_availability {
        vector.push_str("/MSA:S");
    }
    if safety_integrity || safety_availability {
        vector.push_str("/S:P");
    }
    vector
}

pub(crate) fn score(metrics: &Metrics) -> Scored {
    let vector = vector(metrics);
    // Every vector built above is well-formed (a test parses all of them); should the crate
    // ever reject one, the score reads 0.0 rather than taking the process down.
    let score = cvss::v4::Vector::from_str(&vector).map_or(0.0, |parsed| parsed.score().value());
    Scored { vector, score, severity: Severity::of(score) }
}
