//! Controls' effects: what `Metrics::apply` sets, every way it refuses an entry, and the metric
//! table the checker and `medtm explain` share.

use std::fmt::Write as _;

use medtm_cvss::{
    AttackComplexity, AttackRequirements, AttackVector, Band, Cia, EffectError, Impact, METRICS, Metrics,
    PrivilegesRequired, UserInteraction, metric, metric_names, validate,
};

fn cia(confidentiality: Impact, integrity: Impact, availability: Impact) -> Cia {
    Cia { confidentiality, integrity, availability }
}

/// A network attack on a device whose compromise reaches the rest of its fleet.
fn fleet_wide() -> Metrics {
    let all_high = cia(Impact::High, Impact::High, Impact::High);
    Metrics { vulnerable: all_high, subsequent: all_high, ..Metrics::default() }
}

#[test]
fn exploitability_metrics_take_each_of_their_values() {
    let mut metrics = Metrics::default();
    for (value, expected) in [
        ("A", AttackVector::Adjacent),
        ("L", AttackVector::Local),
        ("P", AttackVector::Physical),
        ("N", AttackVector::Network),
    ] {
        metrics.apply("AV", value).unwrap();
        assert_eq!(metrics.attack_vector, expected);
    }
    metrics.apply("AC", "H").unwrap();
    assert_eq!(metrics.attack_complexity, AttackComplexity::High);
    metrics.apply("AC", "L").unwrap();
    assert_eq!(metrics.attack_complexity, AttackComplexity::Low);
    metrics.apply("AT", "P").unwrap();
    assert_eq!(metrics.attack_requirements, AttackRequirements::Present);
    metrics.apply("AT", "N").unwrap();
    assert_eq!(metrics.attack_requirements, AttackRequirements::None);
    for (value, expected) in
        [("L", PrivilegesRequired::Low), ("H", PrivilegesRequired::High), ("N", PrivilegesRequired::None)]
    {
        metrics.apply("PR", value).unwrap();
        assert_eq!(metrics.privileges_required, expected);
    }
    for (value, expected) in [
        ("R", UserInteraction::Passive),
        ("A", UserInteraction::Active),
        ("P", UserInteraction::Passive),
        ("N", UserInteraction::None),
    ] {
        metrics.apply("UI", value).unwrap();
        assert_eq!(metrics.user_interaction, expected, "UI:{value}");
    }
}

#[test]
fn v40_impact_metrics_set_one_system_each() {
    let mut metrics = Metrics::default();
    metrics.apply("VC", "H").unwrap();
    metrics.apply("VI", "L").unwrap();
    metrics.apply("VA", "H").unwrap();
    metrics.apply("SC", "L").unwrap();
    metrics.apply("SI", "H").unwrap();
    metrics.apply("SA", "L").unwrap();
    assert_eq!(metrics.vulnerable, cia(Impact::High, Impact::Low, Impact::High));
    assert_eq!(metrics.subsequent, cia(Impact::Low, Impact::High, Impact::Low));
    assert!(metrics.v40().vector.ends_with("/VC:H/VI:L/VA:H/SC:L/SI:H/SA:L"));
}

#[test]
fn v31_impact_metrics_set_what_the_v31_vector_shows() {
    // `C: L` on a fleet-wide compromise: the device's confidentiality impact becomes Low and the
    // fleet's is capped at Low, so the v3.1 vector reads C:L although scope stays changed.
    let mut metrics = fleet_wide();
    metrics.apply("C", "L").unwrap();
    assert_eq!(metrics.vulnerable.confidentiality, Impact::Low);
    assert_eq!(metrics.subsequent.confidentiality, Impact::Low);
    assert_eq!(metrics.v31().vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:H/A:H");
    // Raising leaves the subsequent impact alone.
    let mut metrics = Metrics { subsequent: cia(Impact::Low, Impact::None, Impact::None), ..Metrics::default() };
    metrics.apply("C", "H").unwrap();
    assert_eq!(metrics.vulnerable.confidentiality, Impact::High);
    assert_eq!(metrics.subsequent.confidentiality, Impact::Low);
    // Taking all three to None leaves nothing beyond the component: scope becomes unchanged.
    let mut metrics = fleet_wide();
    for letter in ["C", "I", "A"] {
        metrics.apply(letter, "N").unwrap();
    }
    assert!(!metrics.scope_changed());
    assert_eq!(metrics.v31().vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N");
    assert!(metrics.v31().score.abs() < 1e-9);
}

#[test]
fn scope_clears_or_extends_subsequent_impacts() {
    let mut metrics = fleet_wide();
    metrics.apply("S", "U").unwrap();
    assert_eq!(metrics.subsequent, Cia::NONE);
    assert!(metrics.v31().vector.contains("/S:U/"));
    // Changed scope spreads the component's impacts when none reached beyond it yet ...
    metrics.apply("S", "C").unwrap();
    assert_eq!(metrics.subsequent, metrics.vulnerable);
    assert!(metrics.v31().vector.contains("/S:C/"));
    // ... and keeps subsequent impacts that are already there.
    let partial = cia(Impact::None, Impact::Low, Impact::None);
    let mut metrics = Metrics { subsequent: partial, ..fleet_wide() };
    metrics.apply("S", "C").unwrap();
    assert_eq!(metrics.subsequent, partial);
    // With no impact at all there is nothing to spread, and scope stays unchanged.
    let mut metrics = Metrics::default();
    metrics.apply("S", "C").unwrap();
    assert!(!metrics.scope_changed());
}

#[test]
fn safety_follows_the_remaining_impacts() {
    // A tampered therapy setting harms the patient (the subsequent system) through integrity.
    let mut metrics = Metrics {
        attack_vector: AttackVector::Adjacent,
        vulnerable: cia(Impact::None, Impact::High, Impact::High),
        safety_integrity: true,
        safety_availability: true,
        ..Metrics::default()
    };
    assert!(metrics.v40().vector.ends_with("/MSI:S/MSA:S/S:P"));
    // A control that rules out tampering also rules out the harm tampering caused.
    metrics.apply("I", "N").unwrap();
    assert!(metrics.v40().vector.ends_with("/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/MSA:S/S:P"));
    metrics.apply("VA", "N").unwrap();
    assert!(metrics.v40().vector.ends_with("/SC:N/SI:N/SA:N"), "no safety value is left");
    // Harm through a subsequent system alone counts too.
    metrics.apply("SA", "L").unwrap();
    assert!(metrics.v40().vector.ends_with("/SA:L/MSA:S/S:P"));
}

#[test]
fn every_value_of_every_metric_applies() {
    assert_eq!(metric_names(), METRICS);
    for info in metric_names() {
        assert_eq!(metric(info.abbreviation), Some(info));
        assert!(!info.description.is_empty() && !info.name.is_empty());
        for (letter, meaning) in info.values {
            assert!(!meaning.is_empty());
            let mut metrics = fleet_wide();
            metrics.apply(info.abbreviation, letter).unwrap_or_else(|error| panic!("{error}"));
            validate(info.abbreviation, letter).unwrap();
        }
    }
}

/// Every way an effect entry is refused, rendered as the checker shows it: the message, then
/// the help line.
#[test]
fn refusals_say_what_to_write_instead() {
    let entries = [
        ("Range", "L"),
        ("pr", "H"),
        ("", "H"),
        ("MSI", "S"),
        ("E", "A"),
        ("CR", "H"),
        ("AV", "X"),
        ("AC", "M"),
        ("AT", "Y"),
        ("PR", "h"),
        ("UI", "Required"),
        ("S", "P"),
        ("C", "S"),
        ("VI", "S"),
        ("SA", "S"),
        ("SC", ""),
    ];
    let mut rendered = String::new();
    for (metric, value) in entries {
        let error = validate(metric, value).unwrap_err();
        let mut metrics = fleet_wide();
        assert_eq!(metrics.apply(metric, value), Err(error.clone()), "apply and validate agree");
        assert_eq!(metrics, fleet_wide(), "a refused entry changes nothing");
        match &error {
            EffectError::UnknownMetric { known, .. } => assert_eq!(*known, METRICS),
            EffectError::BadValue { metric: info, .. } => assert_eq!(info.abbreviation, metric),
        }
        writeln!(rendered, "{metric}: {value}\n  error: {error}\n  help: {}", error.help()).unwrap();
    }
    insta::assert_snapshot!(rendered);
}

#[test]
fn bands_follow_the_exploitability_sub_score() {
    let band = |vector: &str| {
        let mut metrics = Metrics { vulnerable: cia(Impact::High, Impact::High, Impact::High), ..Metrics::default() };
        for part in vector.split('/') {
            let (metric, value) = part.split_once(':').unwrap();
            metrics.apply(metric, value).unwrap();
        }
        (metrics.exploitability(), metrics.exploitability_band())
    };
    let cases = [
        ("AV:N/AC:L/PR:N/UI:N", 3.887, Band::High),
        ("AV:A/AC:L/PR:N/UI:N", 2.835, Band::High),
        ("AV:N/AC:L/PR:L/UI:N", 2.835, Band::High),
        ("AV:N/AC:L/PR:N/UI:R", 2.835, Band::High),
        ("AV:L/AC:L/PR:N/UI:N", 2.515, Band::Medium),
        ("AV:N/AC:H/PR:N/UI:N", 2.221, Band::Medium),
        ("AV:N/AC:L/AT:P/PR:N/UI:N", 2.221, Band::Medium),
        ("AV:A/AC:L/PR:L/UI:N", 2.068, Band::Medium),
        ("AV:N/AC:H/PR:L/UI:N", 1.620, Band::Medium),
        ("AV:A/AC:L/PR:L/UI:R", 1.508, Band::Low),
        ("AV:N/AC:L/PR:H/UI:N", 1.235, Band::Low),
        ("AV:P/AC:L/PR:N/UI:N", 0.915, Band::Low),
    ];
    for (vector, exploitability, expected) in cases {
        let (actual, banded) = band(vector);
        assert!((actual - exploitability).abs() < 5e-4, "{vector}: {actual}");
        assert_eq!(banded, expected, "{vector}");
    }
    // The engine's name for the same band.
    assert_eq!(fleet_wide().band(), fleet_wide().exploitability_band());
}

#[test]
fn impacts_are_ordered() {
    assert!(Impact::None < Impact::Low && Impact::Low < Impact::High);
    assert_eq!(Impact::Low.max(Impact::High), Impact::High);
    assert_eq!(Impact::Low.min(Impact::None), Impact::None);
    assert_eq!(Impact::ALL.map(Impact::letter), ["N", "L", "H"]);
    let a = cia(Impact::High, Impact::None, Impact::Low);
    let b = cia(Impact::Low, Impact::Low, Impact::None);
    assert_eq!(a.max(b), cia(Impact::High, Impact::Low, Impact::Low));
    assert!(Cia::NONE.is_none() && !a.is_none());
}

#[test]
fn serialized_names_are_lower_case() {
    let json = serde_json::to_value(fleet_wide()).unwrap();
    assert_eq!(json["attack_vector"], "network");
    assert_eq!(json["vulnerable"]["integrity"], "high");
    assert_eq!(serde_json::to_value(fleet_wide().v40()).unwrap()["severity"], "critical");
    assert_eq!(serde_json::to_value(Band::Medium).unwrap(), "medium");
    let info = serde_json::to_value(metric("PR").unwrap()).unwrap();
    assert_eq!(info["values"][2], serde_json::json!(["H", "high"]));
}
