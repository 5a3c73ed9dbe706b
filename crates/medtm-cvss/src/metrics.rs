//! The CVSS metrics a control's `effect` may set, described once for the checker, `medtm
//! explain`, completion, and [`Metrics::apply`].

use std::fmt;

use serde::Serialize;

use crate::{
    AttackComplexity, AttackRequirements, AttackVector, Cia, Impact, Metrics, PrivilegesRequired, UserInteraction,
};

/// A metric an `effect` can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MetricInfo {
    pub abbreviation: &'static str,
    pub name: &'static str,
    /// Each value's letter and meaning.
    pub values: &'static [(&'static str, &'static str)],
    /// What setting it means for a finding's residual risk.
    pub description: &'static str,
}

const IMPACT: &[(&str, &str)] = &[("N", "none"), ("L", "low"), ("H", "high")];

/// Every metric an `effect` can set, in vector order.
pub const METRICS: &[MetricInfo] = &[
    MetricInfo {
        abbreviation: "AV",
        name: "Attack Vector",
        values: &[("N", "network"), ("A", "adjacent"), ("L", "local"), ("P", "physical")],
        description: "How close the attacker must be; `P` when the control forces physical access.",
    },
    MetricInfo {
        abbreviation: "AC",
        name: "Attack Complexity",
        values: &[("L", "low"), ("H", "high")],
        description: "Whether the attack must defeat a protection it cannot control, such as encryption or ASLR.",
    },
    MetricInfo {
        abbreviation: "AT",
        name: "Attack Requirements",
        values: &[("N", "none"), ("P", "present")],
        description: "Whether the attack depends on deployment conditions, such as a race or a device state.",
    },
    MetricInfo {
        abbreviation: "PR",
        name: "Privileges Required",
        values: &[("N", "none"), ("L", "low"), ("H", "high")],
        description: "What the attacker must already hold; `H` when the control demands strong authentication.",
    },
    MetricInfo {
        abbreviation: "UI",
        name: "User Interaction",
        values: &[("N", "none"), ("R", "required (passive)"), ("P", "passive"), ("A", "active")],
        description: "Whether someone other than the attacker must act, such as confirming on the device.",
    },
    MetricInfo {
        abbreviation: "S",
        name: "Scope (v3.1)",
        values: &[("U", "unchanged"), ("C", "changed")],
        description: "`U` when the control contains the impact to the attacked component.",
    },
    MetricInfo {
        abbreviation: "C",
        name: "Confidentiality",
        values: IMPACT,
        description: "Confidentiality impact on the attacked component (v4.0 `VC`).",
    },
    MetricInfo {
        abbreviation: "I",
        name: "Integrity",
        values: IMPACT,
        description: "Integrity impact on the attacked component (v4.0 `VI`).",
    },
    MetricInfo {
        abbreviation: "A",
        name: "Availability",
        values: IMPACT,
        description: "Availability impact on the attacked component (v4.0 `VA`).",
    },
    MetricInfo {
        abbreviation: "VC",
        name: "Vulnerable System Confidentiality",
        values: IMPACT,
        description: "As `C`.",
    },
    MetricInfo { abbreviation: "VI", name: "Vulnerable System Integrity", values: IMPACT, description: "As `I`." },
    MetricInfo { abbreviation: "VA", name: "Vulnerable System Availability", values: IMPACT, description: "As `A`." },
    MetricInfo {
        abbreviation: "SC",
        name: "Subsequent System Confidentiality",
        values: IMPACT,
        description: "Confidentiality impact beyond the attacked component.",
    },
    MetricInfo {
        abbreviation: "SI",
        name: "Subsequent System Integrity",
        values: IMPACT,
        description: "Integrity impact beyond the attacked component.",
    },
    MetricInfo {
        abbreviation: "SA",
        name: "Subsequent System Availability",
        values: IMPACT,
        description: "Availability impact beyond the attacked component.",
    },
];

/// Why an `effect` entry cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EffectError {
    /// The metric does not exist (or cannot be set by a control).
    UnknownMetric { metric: String },
    /// The value is not one of the metric's.
    BadValue { metric: &'static MetricInfo, value: String },
}

impl EffectError {
    /// What to write instead, for a diagnostic's help line.
    pub fn help(&self) -> String {
        match self {
            EffectError::UnknownMetric { .. } => {
                let names: Vec<&str> = METRICS.iter().map(|m| m.abbreviation).collect();
                format!("a control's effect sets CVSS metrics by abbreviation: {}", names.join(", "))
            }
            EffectError::BadValue { metric, .. } => {
                let values: Vec<String> =
                    metric.values.iter().map(|(letter, meaning)| format!("{letter} ({meaning})")).collect();
                format!("{} takes {}", metric.abbreviation, values.join(", "))
            }
        }
    }
}

impl fmt::Display for EffectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EffectError::UnknownMetric { metric } => write!(f, "`{metric}` is not a CVSS metric a control can set"),
            EffectError::BadValue { metric, value } => {
                write!(f, "`{value}` is not a value of {} ({})", metric.abbreviation, metric.name)
            }
        }
    }
}

impl std::error::Error for EffectError {}

/// Checks an `effect` entry without applying it.
pub fn validate(metric: &str, value: &str) -> Result<(), EffectError> {
    apply(&mut Metrics::default(), metric, value)
}

fn impact(value: &str) -> Impact {
    match value {
        "H" => Impact::High,
        "L" => Impact::Low,
        _ => Impact::None,
    }
}

pub(crate) fn apply(metrics: &mut Metrics, metric: &str, value: &str) -> Result<(), EffectError> {
    let Some(info) = METRICS.iter().find(|info| info.abbreviation == metric) else {
        return Err(EffectError::UnknownMetric { metric: metric.to_owned() });
    };
    if !info.values.iter().any(|(letter, _)| *letter == value) {
        return Err(EffectError::BadValue { metric: info, value: value.to_owned() });
    }
    match metric {
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
        "S" if value == "U" => metrics.subsequent = Cia::NONE,
        "S" => {
            if metrics.subsequent.is_none() {
                metrics.subsequent = metrics.vulnerable;
            }
        }
        "C" | "VC" => metrics.vulnerable.confidentiality = impact(value),
        "I" | "VI" => metrics.vulnerable.integrity = impact(value),
        "A" | "VA" => metrics.vulnerable.availability = impact(value),
        "SC" => metrics.subsequent.confidentiality = impact(value),
        "SI" => metrics.subsequent.integrity = impact(value),
        _ => metrics.subsequent.availability = impact(value),
    }
    Ok(())
}
