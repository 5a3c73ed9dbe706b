//! The CVSS metrics a control's `effect` may set: one table for the checker, `medtm explain` and
//! editor completion, and [`Metrics::apply`], which sets them.

use std::fmt;

use serde::Serialize;

use crate::{
    AttackComplexity, AttackRequirements, AttackVector, Cia, Impact, Metrics, PrivilegesRequired, UserInteraction,
};

/// A metric an `effect` can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MetricInfo {
    /// As written in vectors and effects: `PR`.
    pub abbreviation: &'static str,
    /// FIRST's name: `Privileges Required`.
    pub name: &'static str,
    /// The CVSS versions whose vectors have it: `v3.1`, `v4.0`, or `v3.1 and v4.0`. Effects may
    /// use either version's metrics; each changes both vectors.
    pub versions: &'static str,
    /// Each value's letter and meaning.
    pub values: &'static [(&'static str, &'static str)],
    /// What setting it does to a finding, in one sentence.
    pub description: &'static str,
}

impl MetricInfo {
    /// The name, with the version when only one version has the metric: `Scope, v3.1`.
    pub fn title(&self) -> String {
        if self.versions.contains(" and ") { self.name.to_owned() } else { format!("{}, {}", self.name, self.versions) }
    }

    /// The values as a diagnostic shows them: `N (none), L (low), H (high)`.
    pub fn values_text(&self) -> String {
        let values: Vec<String> = self.values.iter().map(|(letter, meaning)| format!("{letter} ({meaning})")).collect();
        values.join(", ")
    }
}

const IMPACT: &[(&str, &str)] = &[("N", "none"), ("L", "low"), ("H", "high")];

/// Every metric an `effect` can set, v3.1 and v4.0 abbreviations together, in vector order.
pub const METRICS: &[MetricInfo] = &[
    MetricInfo {
        abbreviation: "AV",
        name: "Attack Vector",
        versions: "v3.1 and v4.0",
        values: &[("N", "network"), ("A", "adjacent"), ("L", "local"), ("P", "physical")],
        description: "How close the attacker must get; `P` when the control leaves only physical access.",
    },
    MetricInfo {
        abbreviation: "AC",
        name: "Attack Complexity",
        versions: "v3.1 and v4.0",
        values: &[("L", "low"), ("H", "high")],
        description: "`H` when the attack must defeat a protection it cannot control, such as encryption.",
    },
    MetricInfo {
        abbreviation: "AT",
        name: "Attack Requirements",
        versions: "v4.0",
        values: &[("N", "none"), ("P", "present")],
        description: "`P` when the attack depends on conditions of the deployment, such as an unpatched window (v3.1: `AC:H`).",
    },
    MetricInfo {
        abbreviation: "PR",
        name: "Privileges Required",
        versions: "v3.1 and v4.0",
        values: &[("N", "none"), ("L", "low"), ("H", "high")],
        description: "What the attacker must already hold; `H` when the control demands strong authentication.",
    },
    MetricInfo {
        abbreviation: "UI",
        name: "User Interaction",
        versions: "v3.1 and v4.0",
        values: &[("N", "none"), ("R", "required, the v3.1 name for passive"), ("P", "passive"), ("A", "active")],
        description: "Whether someone other than the attacker must take part, such as confirming on the device.",
    },
    MetricInfo {
        abbreviation: "S",
        name: "Scope",
        versions: "v3.1",
        values: &[("U", "unchanged"), ("C", "changed")],
        description: "`U` confines the impact to the attacked component, clearing the subsequent systems' impacts; `C` extends the component's impacts to them.",
    },
    MetricInfo {
        abbreviation: "C",
        name: "Confidentiality",
        versions: "v3.1",
        values: IMPACT,
        description: "Sets the attacked component's confidentiality impact and caps the subsequent systems' at it.",
    },
    MetricInfo {
        abbreviation: "I",
        name: "Integrity",
        versions: "v3.1",
        values: IMPACT,
        description: "Sets the attacked component's integrity impact and caps the subsequent systems' at it.",
    },
    MetricInfo {
        abbreviation: "A",
        name: "Availability",
        versions: "v3.1",
        values: IMPACT,
        description: "Sets the attacked component's availability impact and caps the subsequent systems' at it.",
    },
    MetricInfo {
        abbreviation: "VC",
        name: "Vulnerable System Confidentiality",
        versions: "v4.0",
        values: IMPACT,
        description: "Sets the confidentiality impact on the attacked component only.",
    },
    MetricInfo {
        abbreviation: "VI",
        name: "Vulnerable System Integrity",
        versions: "v4.0",
        values: IMPACT,
        description: "Sets the integrity impact on the attacked component only.",
    },
    MetricInfo {
        abbreviation: "VA",
        name: "Vulnerable System Availability",
        versions: "v4.0",
        values: IMPACT,
        description: "Sets the availability impact on the attacked component only.",
    },
    MetricInfo {
        abbreviation: "SC",
        name: "Subsequent System Confidentiality",
        versions: "v4.0",
        values: IMPACT,
        description: "Sets the confidentiality impact beyond the attacked component, such as on the rest of a fleet.",
    },
    MetricInfo {
        abbreviation: "SI",
        name: "Subsequent System Integrity",
        versions: "v4.0",
        values: IMPACT,
        description: "Sets the integrity impact beyond the attacked component, such as on the patient's therapy.",
    },
    MetricInfo {
        abbreviation: "SA",
        name: "Subsequent System Availability",
        versions: "v4.0",
        values: IMPACT,
        description: "Sets the availability impact beyond the attacked component, such as on the patient's therapy.",
    },
];

/// Every metric an `effect` can set (the same table as [`METRICS`]).
pub fn metric_names() -> &'static [MetricInfo] {
    METRICS
}

/// The metric with this abbreviation (case-sensitive).
pub fn metric(abbreviation: &str) -> Option<&'static MetricInfo> {
    METRICS.iter().find(|info| info.abbreviation == abbreviation)
}

/// CVSS metrics that exist but that an effect cannot set, and why: said in the diagnostic, since
/// a user who writes them knows CVSS and needs the reason more than the list.
const NOT_SETTABLE: &[(&str, &str)] = &[
    ("E", "exploit maturity is threat intelligence, not something a control changes"),
    ("RL", "v3.1 temporal metrics are not scored"),
    ("RC", "v3.1 temporal metrics are not scored"),
    ("MSI", "Safety follows the harm of the assets at stake; lowering `I` removes it"),
    ("MSA", "Safety follows the harm of the assets at stake; lowering `A` removes it"),
    ("CR", "security requirements come from the assets at stake"),
    ("IR", "security requirements come from the assets at stake"),
    ("AR", "security requirements come from the assets at stake"),
];

/// Why an `effect` entry cannot be applied. Both variants carry the table a diagnostic offers
/// instead; [`EffectError::help`] renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EffectError {
    /// The metric does not exist, or a control cannot set it.
    UnknownMetric {
        metric: String,
        /// The metrics an effect can set.
        known: &'static [MetricInfo],
        /// Why this one is refused, when it is a CVSS metric after all (or differs from one only
        /// in case).
        reason: Option<String>,
    },
    /// The value is not one of the metric's.
    BadValue {
        /// The metric, with its valid values and their meanings.
        metric: &'static MetricInfo,
        value: String,
    },
}

impl EffectError {
    /// What to write instead, for a diagnostic's help line.
    pub fn help(&self) -> String {
        match self {
            EffectError::UnknownMetric { known, .. } => {
                let names: Vec<&str> = known.iter().map(|m| m.abbreviation).collect();
                format!("a control's effect sets CVSS metrics by abbreviation: {}", names.join(", "))
            }
            EffectError::BadValue { metric, .. } => format!("{} takes {}", metric.abbreviation, metric.values_text()),
        }
    }
}

impl fmt::Display for EffectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EffectError::UnknownMetric { metric, .. } if metric.is_empty() => {
                write!(f, "an effect entry needs a metric's abbreviation")
            }
            EffectError::UnknownMetric { metric, reason: None, .. } => {
                write!(f, "`{metric}` is not a CVSS metric a control can set")
            }
            EffectError::UnknownMetric { metric, reason: Some(reason), .. } => {
                write!(f, "`{metric}` is not a CVSS metric a control can set: {reason}")
            }
            EffectError::BadValue { metric, value } if value.is_empty() => {
                write!(f, "{} ({}) needs a value", metric.abbreviation, metric.title())
            }
            EffectError::BadValue { metric, value } => {
                write!(f, "`{value}` is not a value of {} ({})", metric.abbreviation, metric.title())?;
                match metric.values.iter().find(|(letter, _)| letter.eq_ignore_ascii_case(value)) {
                    Some((letter, _)) => write!(f, ": values are case-sensitive; write `{letter}`"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for EffectError {}

/// Checks an `effect` entry without applying it.
pub fn validate(metric: &str, value: &str) -> Result<(), EffectError> {
    apply(&mut Metrics::default(), metric, value)
}

fn unknown(metric: &str) -> EffectError {
    let not_settable = NOT_SETTABLE.iter().find(|(name, _)| *name == metric).map(|(_, why)| (*why).to_owned());
    let other_case = || {
        METRICS
            .iter()
            .find(|info| info.abbreviation.eq_ignore_ascii_case(metric))
            .map(|info| format!("abbreviations are case-sensitive, as in vectors; write `{}`", info.abbreviation))
    };
    EffectError::UnknownMetric { metric: metric.to_owned(), known: METRICS, reason: not_settable.or_else(other_case) }
}

fn impact(value: &str) -> Impact {
    match value {
        "H" => Impact::High,
        "L" => Impact::Low,
        _ => Impact::None,
    }
}

/// Sets a v3.1 impact letter: the attacked component's impact becomes `level`, and the
/// subsequent systems' is capped at it, so that the v3.1 vector (which reports the higher of the
/// two when scope changes) shows exactly `level`.
fn set_v31(vulnerable: &mut Impact, subsequent: &mut Impact, level: Impact) {
    *vulnerable = level;
    *subsequent = (*subsequent).min(level);
}

pub(crate) fn apply(metrics: &mut Metrics, name: &str, value: &str) -> Result<(), EffectError> {
    let info = metric(name).ok_or_else(|| unknown(name))?;
    if !info.values.iter().any(|(letter, _)| *letter == value) {
        return Err(EffectError::BadValue { metric: info, value: value.to_owned() });
    }
    // From here on `value` is one of the metric's letters, so each match's last arm is the one
    // remaining letter.
    let (vulnerable, subsequent) = (&mut metrics.vulnerable, &mut metrics.subsequent);
    match name {
        "AV" => {
            metrics.attack_vector = match value {
                "N" => AttackVector::Network,
                "A" => AttackVector::Adjacent,
                "L" => AttackVector::Local,
                _ => AttackVector::Physical,
            };
        }
        "AC" => metrics.attack_complexity = if value == "H" { AttackComplexity::High } else { AttackComplexity::Low },
        "AT" => {
            metrics.attack_requirements =
                if value == "P" { AttackRequirements::Present } else { AttackRequirements::None };
        }
        "PR" => {
            metrics.privileges_required = match value {
                "N" => PrivilegesRequired::None,
                "L" => PrivilegesRequired::Low,
                _ => PrivilegesRequired::High,
            };
        }
        "UI" => {
            metrics.user_interaction = match value {
                "N" => UserInteraction::None,
                "A" => UserInteraction::Active,
                // v3.1's Required is the lesser of v4.0's two kinds of interaction.
                _ => UserInteraction::Passive,
            };
        }
        "S" if value == "U" => *subsequent = Cia::NONE,
        "S" => {
            // Scope changes only if something can propagate; impacts already set beyond the
            // component are kept as they are.
            if subsequent.is_none() {
                *subsequent = *vulnerable;
            }
        }
        "C" => set_v31(&mut vulnerable.confidentiality, &mut subsequent.confidentiality, impact(value)),
        "I" => set_v31(&mut vulnerable.integrity, &mut subsequent.integrity, impact(value)),
        "A" => set_v31(&mut vulnerable.availability, &mut subsequent.availability, impact(value)),
        "VC" => vulnerable.confidentiality = impact(value),
        "VI" => vulnerable.integrity = impact(value),
        "VA" => vulnerable.availability = impact(value),
        "SC" => subsequent.confidentiality = impact(value),
        "SI" => subsequent.integrity = impact(value),
        "SA" => subsequent.availability = impact(value),
        // A metric added to the table without an arm here is refused rather than misapplied.
        _ => return Err(unknown(name)),
    }
    Ok(())
}
