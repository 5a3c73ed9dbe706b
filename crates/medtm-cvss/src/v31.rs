//! CVSS v3.1 base score, from the specification's formula (section 7 and Appendix A).

use crate::{
    AttackComplexity, AttackRequirements, AttackVector, Impact, Metrics, PrivilegesRequired, Scored, Severity,
    UserInteraction,
};

fn attack_vector(av: AttackVector) -> (f64, char) {
    match av {
        AttackVector::Network => (0.85, 'N'),
        AttackVector::Adjacent => (0.62, 'A'),
        AttackVector::Local => (0.55, 'L'),
        AttackVector::Physical => (0.2, 'P'),
    }
}

/// Complexity as v3.1 sees it: v4.0's attack requirements count as high complexity.
fn high_complexity(metrics: &Metrics) -> bool {
    metrics.attack_complexity == AttackComplexity::High || metrics.attack_requirements == AttackRequirements::Present
}

fn privileges(pr: PrivilegesRequired, scope_changed: bool) -> (f64, char) {
    match (pr, scope_changed) {
        (PrivilegesRequired::None, _) => (0.85, 'N'),
        (PrivilegesRequired::Low, false) => (0.62, 'L'),
        (PrivilegesRequired::Low, true) => (0.68, 'L'),
        (PrivilegesRequired::High, false) => (0.27, 'H'),
        (PrivilegesRequired::High, true) => (0.5, 'H'),
    }
}

fn impact(level: Impact) -> (f64, char) {
    match level {
        Impact::None => (0.0, 'N'),
        Impact::Low => (0.22, 'L'),
        Impact::High => (0.56, 'H'),
    }
}

pub(crate) fn exploitability(metrics: &Metrics) -> f64 {
    let (av, _) = attack_vector(metrics.attack_vector);
    let ac = if high_complexity(metrics) { 0.44 } else { 0.77 };
    let (pr, _) = privileges(metrics.privileges_required, metrics.scope_changed());
    let ui = if metrics.user_interaction == UserInteraction::None { 0.85 } else { 0.62 };
    8.22 * av * ac * pr * ui
}

/// Roundup as defined in Appendix A: the smallest number with one decimal that is equal to or
/// higher than its input, robust to floating-point error.
pub(crate) fn roundup(input: f64) -> f64 {
    let int_input = (input * 100_000.0).round() as i64;
    if int_input % 10_000 == 0 { int_input as f64 / 100_000.0 } else { ((int_input / 10_000) as f64 + 1.0) / 10.0 }
}

pub(crate) fn score(metrics: &Metrics) -> Scored {
    let changed = metrics.scope_changed();
    let cia = if changed { metrics.vulnerable.max(metrics.subsequent) } else { metrics.vulnerable };
    let (c, c_letter) = impact(cia.confidentiality);
    let (i, i_letter) = impact(cia.integrity);
    let (a, a_letter) = impact(cia.availability);
    let iss = 1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a);
    let impact = if changed { 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15) } else { 6.42 * iss };
    let exploitability = exploitability(metrics);
    let score = if impact <= 0.0 {
        0.0
    } else if changed {
        roundup((1.08 * (impact + exploitability)).min(10.0))
    } else {
        roundup((impact + exploitability).min(10.0))
    };
    let (_, av) = attack_vector(metrics.attack_vector);
    let ac = if high_complexity(metrics) { 'H' } else { 'L' };
    let (_, pr) = privileges(metrics.privileges_required, changed);
    let ui = if metrics.user_interaction == UserInteraction::None { 'N' } else { 'R' };
    let scope = if changed { 'C' } else { 'U' };
    let vector = format!("CVSS:3.1/AV:{av}/AC:{ac}/PR:{pr}/UI:{ui}/S:{scope}/C:{c_letter}/I:{i_letter}/A:{a_letter}");
    Scored { vector, score, severity: Severity::of(score) }
}
