//! CVSS v3.1: the base vector from [`Metrics`], scored by the RustSec `cvss` crate.

use cvss::v3::Vector;
use cvss::v3::metric::base::{
    AttackComplexity as Ac, AttackVector as Av, Availability, Confidentiality, Integrity, PrivilegesRequired as Pr,
    Scope, UserInteraction as Ui,
};

use crate::{
    AttackComplexity, AttackRequirements, AttackVector, Impact, Metrics, PrivilegesRequired, Scored, Severity,
    UserInteraction,
};

/// The crate's vector, built field by field (its fields are public) so that no parse can fail.
pub(crate) fn vector(metrics: &Metrics) -> Vector {
    let cia = metrics.v31_impacts();
    // v3.1 has no attack requirements: conditions the attacker does not control are what its
    // high complexity means.
    let high_complexity = metrics.attack_complexity == AttackComplexity::High
        || metrics.attack_requirements == AttackRequirements::Present;
    Vector {
        minor_version: 1,
        av: Some(match metrics.attack_vector {
            AttackVector::Network => Av::Network,
            AttackVector::Adjacent => Av::Adjacent,
            AttackVector::Local => Av::Local,
            AttackVector::Physical => Av::Physical,
        }),
        ac: Some(if high_complexity { Ac::High } else { Ac::Low }),
        pr: Some(match metrics.privileges_required {
            PrivilegesRequired::None => Pr::None,
            PrivilegesRequired::Low => Pr::Low,
            PrivilegesRequired::High => Pr::High,
        }),
        ui: Some(if metrics.user_interaction == UserInteraction::None { Ui::None } else { Ui::Required }),
        s: Some(if metrics.scope_changed() { Scope::Changed } else { Scope::Unchanged }),
        c: Some(match cia.confidentiality {
            Impact::None => Confidentiality::None,
            Impact::Low => Confidentiality::Low,
            Impact::High => Confidentiality::High,
        }),
        i: Some(match cia.integrity {
            Impact::None => Integrity::None,
            Impact::Low => Integrity::Low,
            Impact::High => Integrity::High,
        }),
        a: Some(match cia.availability {
            Impact::None => Availability::None,
            Impact::Low => Availability::Low,
            Impact::High => Availability::High,
        }),
        ..Vector::default()
    }
}

pub(crate) fn exploitability(metrics: &Metrics) -> f64 {
    vector(metrics).exploitability().value()
}

pub(crate) fn score(metrics: &Metrics) -> Scored {
    let vector = vector(metrics);
    let score = vector.base_score().value();
    Scored { vector: vector.to_string(), score, severity: Severity::of(score) }
}
