//! Properties of the scores over all `Metrics`: sampled by proptest, and checked exhaustively
//! where the whole space (419,904 values) is cheap enough to walk.

use std::str::FromStr as _;

use medtm_cvss::{
    AttackComplexity, AttackRequirements, AttackVector, Cia, Impact, Metrics, PrivilegesRequired, Severity,
    UserInteraction,
};
use proptest::prelude::*;

const ATTACK_VECTORS: [AttackVector; 4] =
    [AttackVector::Network, AttackVector::Adjacent, AttackVector::Local, AttackVector::Physical];
const COMPLEXITIES: [AttackComplexity; 2] = [AttackComplexity::Low, AttackComplexity::High];
const REQUIREMENTS: [AttackRequirements; 2] = [AttackRequirements::None, AttackRequirements::Present];
const PRIVILEGES: [PrivilegesRequired; 3] =
    [PrivilegesRequired::None, PrivilegesRequired::Low, PrivilegesRequired::High];
const INTERACTIONS: [UserInteraction; 3] = [UserInteraction::None, UserInteraction::Passive, UserInteraction::Active];

fn all_cia() -> impl Iterator<Item = Cia> {
    Impact::ALL.into_iter().flat_map(|confidentiality| {
        Impact::ALL.into_iter().flat_map(move |integrity| {
            Impact::ALL.into_iter().map(move |availability| Cia { confidentiality, integrity, availability })
        })
    })
}

/// Every `Metrics` value there is.
fn all_metrics() -> impl Iterator<Item = Metrics> {
    let exploitability = ATTACK_VECTORS.into_iter().flat_map(|av| {
        COMPLEXITIES.into_iter().flat_map(move |ac| {
            REQUIREMENTS.into_iter().flat_map(move |at| {
                PRIVILEGES.into_iter().flat_map(move |pr| INTERACTIONS.into_iter().map(move |ui| (av, ac, at, pr, ui)))
            })
        })
    });
    exploitability.flat_map(|(av, ac, at, pr, ui)| {
        all_cia().flat_map(move |vulnerable| {
            all_cia().flat_map(move |subsequent| {
                [(false, false), (true, false), (false, true), (true, true)].into_iter().map(move |(si, sa)| Metrics {
                    attack_vector: av,
                    attack_complexity: ac,
                    attack_requirements: at,
                    privileges_required: pr,
                    user_interaction: ui,
                    vulnerable,
                    subsequent,
                    safety_integrity: si,
                    safety_availability: sa,
                })
            })
        })
    })
}

/// The v3.1 base score straight from the specification (section 7.1 and Appendix A), with
/// FIRST's weights: the oracle the `cvss` crate is held to.
fn specification_v31(vector: &str) -> f64 {
    let metric = |name: &str| {
        vector.split('/').find_map(|part| part.strip_prefix(name).and_then(|rest| rest.strip_prefix(':'))).unwrap()
    };
    let changed = metric("S") == "C";
    let impact_weight = |letter| match letter {
        "H" => 0.56,
        "L" => 0.22,
        _ => 0.0,
    };
    let av = match metric("AV") {
        "N" => 0.85,
        "A" => 0.62,
        "L" => 0.55,
        _ => 0.2,
    };
    let ac = if metric("AC") == "L" { 0.77 } else { 0.44 };
    let pr = match (metric("PR"), changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        ("H", false) => 0.27,
        _ => 0.5,
    };
    let ui = if metric("UI") == "N" { 0.85 } else { 0.62 };
    let iss: f64 = 1.0
        - (1.0 - impact_weight(metric("C"))) * (1.0 - impact_weight(metric("I"))) * (1.0 - impact_weight(metric("A")));
    let impact = if changed { 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powf(15.0) } else { 6.42 * iss };
    let exploitability = 8.22 * av * ac * pr * ui;
    let roundup = |input: f64| {
        let int_input = (input * 100_000.0).round() as i64;
        if int_input % 10_000 == 0 { int_input as f64 / 100_000.0 } else { ((int_input / 10_000) as f64 + 1.0) / 10.0 }
    };
    if impact <= 0.0 {
        0.0
    } else if changed {
        roundup((1.08 * (impact + exploitability)).min(10.0))
    } else {
        roundup((impact + exploitability).min(10.0))
    }
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// The whole space: every vector parses, v3.1 equals the specification's formula, v4.0 never
/// needs the fallback score (the vector parses, so the score is the crate's), severities follow
/// the scores. The v3.1 vector ignores the safety flags, so it is checked once per flag pair.
#[test]
fn every_metrics_value_scores_like_the_specifications() {
    let mut count = 0;
    for metrics in all_metrics() {
        count += 1;
        if !metrics.safety_integrity && !metrics.safety_availability {
            let v31 = metrics.v31();
            let parsed = cvss::v3::Vector::from_str(&v31.vector).expect("v3.1 vector parses");
            assert!(same(parsed.base_score().value(), v31.score), "{}", v31.vector);
            assert!(same(specification_v31(&v31.vector), v31.score), "{}: Appendix A disagrees", v31.vector);
            assert_eq!(v31.severity, Severity::of(v31.score));
        }
        let v40 = metrics.v40();
        assert!(cvss::v4::Vector::from_str(&v40.vector).is_ok(), "{} does not parse", v40.vector);
        assert!((0.0..=10.0).contains(&v40.score));
        assert!(same((v40.score * 10.0).round() / 10.0, v40.score), "one decimal");
        assert_eq!(v40.severity, Severity::of(v40.score));
    }
    assert_eq!(count, 4 * 2 * 2 * 3 * 3 * 27 * 27 * 4);
}

/// v3.1 is monotone in every impact, over the whole space: raising one letter of either system
/// never lowers the score (scope changing included).
#[test]
fn raising_any_impact_never_lowers_the_v31_score_anywhere() {
    for metrics in all_metrics().filter(|m| !m.safety_integrity && !m.safety_availability) {
        let score = metrics.v31().score;
        for raised in raisings(metrics) {
            assert!(raised.v31().score >= score, "{} > {}", metrics.v31().vector, raised.v31().vector);
        }
    }
}

/// Each `Metrics` with one impact letter (of six) one level higher.
fn raisings(metrics: Metrics) -> Vec<Metrics> {
    let up = |impact: Impact| match impact {
        Impact::None => Some(Impact::Low),
        Impact::Low => Some(Impact::High),
        Impact::High => None,
    };
    let mut raised = Vec::new();
    for slot in 0..6 {
        let mut copy = metrics;
        let cia = if slot < 3 { &mut copy.vulnerable } else { &mut copy.subsequent };
        let impact = match slot % 3 {
            0 => &mut cia.confidentiality,
            1 => &mut cia.integrity,
            _ => &mut cia.availability,
        };
        if let Some(higher) = up(*impact) {
            *impact = higher;
            raised.push(copy);
        }
    }
    raised
}

fn impact() -> impl Strategy<Value = Impact> {
    prop::sample::select(Impact::ALL.to_vec())
}

fn cia() -> impl Strategy<Value = Cia> {
    (impact(), impact(), impact()).prop_map(|(confidentiality, integrity, availability)| Cia {
        confidentiality,
        integrity,
        availability,
    })
}

prop_compose! {
    fn metrics()(
        av in prop::sample::select(ATTACK_VECTORS.to_vec()),
        ac in prop::sample::select(COMPLEXITIES.to_vec()),
        at in prop::sample::select(REQUIREMENTS.to_vec()),
        pr in prop::sample::select(PRIVILEGES.to_vec()),
        ui in prop::sample::select(INTERACTIONS.to_vec()),
        vulnerable in cia(),
        subsequent in cia(),
        safety in any::<(bool, bool)>(),
    ) -> Metrics {
        Metrics {
            attack_vector: av,
            attack_complexity: ac,
            attack_requirements: at,
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
    fn vectors_parse_back_to_their_scores(metrics in metrics()) {
        let v31 = metrics.v31();
        let parsed = cvss::v3::Vector::from_str(&v31.vector).expect("v3.1 vector parses");
        prop_assert!(same(parsed.base_score().value(), v31.score), "{}", v31.vector);
        prop_assert_eq!(parsed.to_string(), v31.vector.clone(), "canonical order");
        prop_assert!((0.0..=10.0).contains(&v31.score));
        let v40 = metrics.v40();
        let parsed = cvss::v4::Vector::from_str(&v40.vector).expect("v4.0 vector parses");
        prop_assert!(same(parsed.score().value(), v40.score), "{}", v40.vector);
        prop_assert!((0.0..=10.0).contains(&v40.score));
    }

    #[test]
    fn raising_any_impact_never_lowers_the_v31_score(metrics in metrics()) {
        let score = metrics.v31().score;
        for raised in raisings(metrics) {
            prop_assert!(raised.v31().score >= score, "{} > {}", metrics.v31().vector, raised.v31().vector);
        }
    }

    #[test]
    fn raising_any_impact_never_lowers_the_v40_score(metrics in metrics()) {
        // Not required by CVSS v4.0's design, but it holds over all its base vectors; a control
        // that lowers an impact can then never raise a residual score.
        let score = metrics.v40().score;
        for raised in raisings(metrics) {
            prop_assert!(raised.v40().score >= score, "{} > {}", metrics.v40().vector, raised.v40().vector);
        }
    }

    #[test]
    fn any_effect_entry_is_applied_or_refused_without_change(
        metrics in metrics(),
        name in "[A-Za-z]{0,4}|\\PC{0,6}",
        value in "[A-Za-z]{0,2}|\\PC{0,6}",
    ) {
        let mut applied = metrics;
        match applied.apply(&name, &value) {
            Ok(()) => prop_assert!(medtm_cvss::validate(&name, &value).is_ok()),
            Err(error) => {
                prop_assert_eq!(applied, metrics);
                prop_assert!(!error.to_string().is_empty() && !error.help().is_empty());
            }
        }
    }

    #[test]
    fn the_band_follows_the_sub_score(metrics in metrics()) {
        let exploitability = metrics.exploitability();
        prop_assert!((0.12..=3.888).contains(&exploitability));
        let sub_score = cvss::v3::Vector::from_str(&metrics.v31().vector).unwrap().exploitability().value();
        prop_assert!(same(exploitability, sub_score));
    }
}
