//! Scores against FIRST's published examples, the metric table, and properties of both versions.

use std::str::FromStr as _;

use proptest::prelude::*;

use super::*;

/// Builds `Metrics` from a v3.1 vector's letters (scope `C` puts the impacts on subsequent too).
fn from_v31(vector: &str) -> Metrics {
    let mut metrics = Metrics::default();
    let mut changed = false;
    for part in vector.split('/').skip(1) {
        let (metric, value) = part.split_once(':').expect("metric:value");
        if metric == "S" {
            changed = value == "C";
            continue;
        }
        metrics.apply(metric, value).expect("valid v3.1 metric");
    }
    if changed {
        metrics.subsequent = metrics.vulnerable;
    }
    metrics
}

#[test]
fn v31_matches_first_examples() {
    // The checks of the scoring notes, then examples from FIRST's v3.1 specification documents.
    let examples = [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
        ("CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H", 8.1),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N", 4.2),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9),
        ("CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8),
        ("CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 6.8),
        ("CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
    ];
    for (vector, expected) in examples {
        let scored = from_v31(vector).v31();
        assert_eq!(scored.vector, vector, "vector round trip");
        assert!((scored.score - expected).abs() < 1e-9, "{vector}: {} != {expected}", scored.score);
    }
}

#[test]
fn roundup_follows_appendix_a() {
    assert!((v31::roundup(4.0) - 4.0).abs() < 1e-9);
    assert!((v31::roundup(4.02) - 4.1).abs() < 1e-9);
    // Floating point noise just above a tenth is not rounded up.
    assert!((v31::roundup(4.000_000_000_001) - 4.0).abs() < 1e-9);
    // The specification rounds the scaled input; truncating it (as the `cvss` crate does) would
    // give 5.3 here.
    assert!((v31::roundup(5.300_006) - 5.4).abs() < 1e-9);
}

#[test]
fn v40_matches_first_examples() {
    let examples = [
        ("AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:H/SC:N/SI:N/SA:N", false, 7.2),
        ("AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:H/SC:N/SI:N/SA:N", true, 9.3),
        ("AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", false, 9.3),
        ("AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", false, 10.0),
        ("AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", false, 6.9),
        ("AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", false, 8.5),
        ("AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", false, 0.0),
    ];
    for (base, safety, expected) in examples {
        let mut metrics = Metrics::default();
        for part in base.split('/') {
            let (metric, value) = part.split_once(':').expect("metric:value");
            metrics.apply(metric, value).expect("valid v4.0 metric");
        }
        metrics.safety_integrity = safety;
        metrics.safety_availability = safety;
        let scored = metrics.v40();
        let suffix = if safety { "/MSI:S/MSA:S/S:P" } else { "" };
        assert_eq!(scored.vector, format!("CVSS:4.0/{base}{suffix}"));
        assert!((scored.score - expected).abs() < 1e-9, "{base} safety={safety}: {} != {expected}", scored.score);
    }
}

#[test]
fn safety_needs_the_matching_impact() {
    let mut metrics = Metrics { safety_integrity: true, safety_availability: true, ..Metrics::default() };
    metrics.apply("VA", "H").unwrap();
    assert!(metrics.v40().vector.ends_with("/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/MSA:S/S:P"));
}

#[test]
fn effects_set_metrics_and_report_what_is_wrong() {
    let mut metrics = Metrics::default();
    metrics.apply("PR", "H").unwrap();
    metrics.apply("UI", "R").unwrap();
    metrics.apply("AV", "P").unwrap();
    assert_eq!(metrics.privileges_required, PrivilegesRequired::High);
    assert_eq!(metrics.user_interaction, UserInteraction::Passive);
    assert_eq!(metrics.attack_vector, AttackVector::Physical);
    let unknown = metrics.apply("Range", "L").unwrap_err();
    assert_eq!(unknown.to_string(), "`Range` is not a CVSS metric a control can set");
    assert!(unknown.help().contains("AV, AC, AT, PR, UI, S, C, I, A"));
    let bad = validate("PR", "X").unwrap_err();
    assert_eq!(bad.to_string(), "`X` is not a value of PR (Privileges Required)");
    assert_eq!(bad.help(), "PR takes N (none), L (low), H (high)");
    assert!(validate("pr", "H").is_err(), "abbreviations are case-sensitive, as in vectors");
}

#[test]
fn scope_follows_subsequent_impacts() {
    let mut metrics = from_v31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H");
    assert!(metrics.scope_changed());
    metrics.apply("S", "U").unwrap();
    assert!(!metrics.scope_changed());
    metrics.apply("S", "C").unwrap();
    assert_eq!(metrics.subsequent, metrics.vulnerable);
}

#[test]
fn bands_follow_exploitability() {
    assert_eq!(from_v31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").band(), Band::High);
    assert_eq!(from_v31("CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").band(), Band::High);
    assert_eq!(from_v31("CVSS:3.1/AV:A/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H").band(), Band::Medium);
    assert_eq!(from_v31("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H").band(), Band::Medium);
    assert_eq!(from_v31("CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").band(), Band::Low);
    assert_eq!(from_v31("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H").band(), Band::Low);
}

fn impact() -> impl Strategy<Value = Impact> {
    prop_oneof![Just(Impact::None), Just(Impact::Low), Just(Impact::High)]
}

fn cia() -> impl Strategy<Value = Cia> {
    (impact(), impact(), impact()).prop_map(|(c, i, a)| Cia { confidentiality: c, integrity: i, availability: a })
}

prop_compose! {
    fn metrics()(
        av in prop_oneof![Just(AttackVector::Network), Just(AttackVector::Adjacent), Just(AttackVector::Local), Just(AttackVector::Physical)],
        ac in prop_oneof![Just(AttackComplexity::Low), Just(AttackComplexity::High)],
        pr in prop_oneof![Just(PrivilegesRequired::None), Just(PrivilegesRequired::Low), Just(PrivilegesRequired::High)],
        ui in prop_oneof![Just(UserInteraction::None), Just(UserInteraction::Passive), Just(UserInteraction::Active)],
        vulnerable in cia(),
        subsequent in cia(),
        safety in any::<(bool, bool)>(),
    ) -> Metrics {
        Metrics {
            attack_vector: av,
            attack_complexity: ac,
            attack_requirements: AttackRequirements::None,
            privileges_required: pr,
            user_interaction: ui,
            vulnerable,
            subsequent,
            safety_integrity: safety.0,
            safety_availability: safety.1,
        }
    }
}

proptest! {
    #[test]
    fn v31_agrees_with_the_cvss_crate_and_stays_in_range(metrics in metrics()) {
        let ours = metrics.v31();
        let theirs = cvss::v3::Vector::from_str(&ours.vector).expect("parses").score().value();
        prop_assert!((0.0..=10.0).contains(&ours.score));
        // The crate truncates where the specification rounds (see `roundup`): at most a tenth apart.
        prop_assert!((ours.score - theirs).abs() < 0.1 + 1e-9, "{}: {} vs {}", ours.vector, ours.score, theirs);
    }

    #[test]
    fn v40_vectors_parse_and_score_in_range(metrics in metrics()) {
        let scored = metrics.v40();
        let parsed = cvss::v4::Vector::from_str(&scored.vector);
        prop_assert!(parsed.is_ok(), "{} does not parse", scored.vector);
        prop_assert!((0.0..=10.0).contains(&scored.score));
    }

    #[test]
    fn raising_an_impact_never_lowers_the_v31_score(metrics in metrics(), letter in 0usize..3) {
        let mut raised = metrics;
        let slot = match letter {
            0 => &mut raised.vulnerable.confidentiality,
            1 => &mut raised.vulnerable.integrity,
            _ => &mut raised.vulnerable.availability,
        };
        *slot = Impact::High;
        prop_assert!(raised.v31().score >= metrics.v31().score);
    }
}
