//! CVSS v4.0: the vector string from [`Metrics`], scored by the RustSec `cvss` crate.

use std::str::FromStr as _;

use crate::{
    AttackComplexity, AttackRequirements, AttackVector, Metrics, PrivilegesRequired, Scored, Severity, UserInteraction,
};

/// The vector string: the eleven base metrics, then the environmental Safety values and the
/// supplemental Safety metric, in the order FIRST's specification gives the groups.
pub(crate) fn vector(metrics: &Metrics) -> String {
    let av = match metrics.attack_vector {
        AttackVector::Network => "N",
        AttackVector::Adjacent => "A",
        AttackVector::Local => "L",
        AttackVector::Physical => "P",
    };
    let ac = if metrics.attack_complexity == AttackComplexity::High { "H" } else { "L" };
    let at = if metrics.attack_requirements == AttackRequirements::Present { "P" } else { "N" };
    let pr = match metrics.privileges_required {
        PrivilegesRequired::None => "N",
        PrivilegesRequired::Low => "L",
        PrivilegesRequired::High => "H",
    };
    let ui = match metrics.user_interaction {
        UserInteraction::None => "N",
        UserInteraction::Passive => "P",
        UserInteraction::Active => "A",
    };
    let (v, s) = (metrics.vulnerable, metrics.subsequent);
    let mut vector = format!(
        "CVSS:4.0/AV:{av}/AC:{ac}/AT:{at}/PR:{pr}/UI:{ui}/VC:{}/VI:{}/VA:{}/SC:{}/SI:{}/SA:{}",
        v.confidentiality.letter(),
        v.integrity.letter(),
        v.availability.letter(),
        s.confidentiality.letter(),
        s.integrity.letter(),
        s.availability.letter(),
    );
    // Safety (S) exists only as a value of the modified subsequent-system metrics: the patient
    // is the subsequent system. `S:P` (supplemental, not scored) says so to readers of the vector.
    let (safety_integrity, safety_availability) = metrics.safety_applies();
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
    // The crate builds v4.0 vectors only by parsing. Every string `vector` can return parses (a
    // test parses all 419,904 of them); were one ever refused, the score would read as the worst
    // one rather than as harmless, since these scores rank risks to patients.
    let score = cvss::v4::Vector::from_str(&vector).map_or(10.0, |parsed| parsed.score().value());
    Scored { vector, score, severity: Severity::of(score) }
}
