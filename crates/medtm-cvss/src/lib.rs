//! CVSS for medtm: one version-neutral description of an attack ([`Metrics`]) turned into CVSS v3.1
//! and v4.0 base vectors and scores, overridden metric by metric by controls (`effect` maps), and
//! banded into exploitability. Pure and `no_std`-friendly in spirit: no I/O.
//!
//! v4.0 scores come from the RustSec `cvss` crate (its macrovector tables follow FIRST's
//! calculator). v3.1 is computed here from the specification's formula: the crate's Roundup
//! truncates `x * 100000` where the specification (Appendix A) rounds it, which differs on rare
//! inputs; the formula is short and the published examples pin it down.

mod metrics;
mod v31;
mod v40;

pub use metrics::{EffectError, METRICS, MetricInfo, validate};

use serde::Serialize;

/// How the attacker reaches the vulnerable component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttackVector {
    Network,
    Adjacent,
    Local,
    Physical,
}

/// Conditions beyond the attacker's control that must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttackComplexity {
    Low,
    High,
}

/// v4.0: deployment conditions the attack depends on (v3.1 folds them into complexity).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttackRequirements {
    None,
    Present,
}

/// What the attacker must already be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrivilegesRequired {
    None,
    Low,
    High,
}

/// Whether a person other than the attacker must take part (v3.1 has only None and Required).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UserInteraction {
    None,
    Passive,
    Active,
}

/// An impact level, ordered `None < Low < High`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    #[default]
    None,
    Low,
    High,
}

/// Confidentiality, integrity and availability impacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Cia {
    pub confidentiality: Impact,
    pub integrity: Impact,
    pub availability: Impact,
}

impl Cia {
    pub const NONE: Cia = Cia { confidentiality: Impact::None, integrity: Impact::None, availability: Impact::None };

    pub fn is_none(self) -> bool {
        self == Cia::NONE
    }

    /// The higher of the two, letter by letter.
    #[must_use]
    pub fn max(self, other: Cia) -> Cia {
        Cia {
            confidentiality: self.confidentiality.max(other.confidentiality),
            integrity: self.integrity.max(other.integrity),
            availability: self.availability.max(other.availability),
        }
    }
}

/// An attack, described once for both CVSS versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Metrics {
    pub attack_vector: AttackVector,
    pub attack_complexity: AttackComplexity,
    pub attack_requirements: AttackRequirements,
    pub privileges_required: PrivilegesRequired,
    pub user_interaction: UserInteraction,
    /// Impact on the attacked component.
    pub vulnerable: Cia,
    /// Impact beyond it: other components, other devices of a fleet.
    pub subsequent: Cia,
    /// Patient harm of serious or worse through integrity (v4.0 `MSI:S`).
    pub safety_integrity: bool,
    /// Patient harm of serious or worse through availability (v4.0 `MSA:S`).
    pub safety_availability: bool,
}

impl Default for Metrics {
    /// The worst case: network, low complexity, nothing required, no impact yet.
    fn default() -> Self {
        Metrics {
            attack_vector: AttackVector::Network,
            attack_complexity: AttackComplexity::Low,
            attack_requirements: AttackRequirements::None,
            privileges_required: PrivilegesRequired::None,
            user_interaction: UserInteraction::None,
            vulnerable: Cia::NONE,
            subsequent: Cia::NONE,
            safety_integrity: false,
            safety_availability: false,
        }
    }
}

/// CVSS qualitative severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// FIRST's bands, the same for both versions.
    pub fn of(score: f64) -> Severity {
        if score < 0.1 {
            Severity::None
        } else if score < 4.0 {
            Severity::Low
        } else if score < 7.0 {
            Severity::Medium
        } else if score < 9.0 {
            Severity::High
        } else {
            Severity::Critical
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::None => "none",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// A vector and its score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub vector: String,
    /// Rounded to one decimal as each version specifies.
    pub score: f64,
    pub severity: Severity,
}

/// How easy an attack is, banded from the v3.1 exploitability sub-score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    High,
    Medium,
    Low,
}

impl Metrics {
    /// The CVSS v3.1 base vector and score.
    pub fn v31(&self) -> Scored {
        v31::score(self)
    }

    /// The CVSS v4.0 vector (base metrics, plus `MSI:S`/`MSA:S` and `S:P` when the patient's
    /// safety is at stake) and its score.
    pub fn v40(&self) -> Scored {
        v40::score(self)
    }

    /// Whether scope changes in v3.1: the impact reaches beyond the attacked component.
    pub fn scope_changed(&self) -> bool {
        !self.subsequent.is_none()
    }

    /// The v3.1 exploitability sub-score `8.22 × AV × AC × PR × UI` (at most 3.887), with v4.0's
    /// attack requirements counted as high complexity.
    pub fn exploitability(&self) -> f64 {
        v31::exploitability(self)
    }

    /// The exploitability band. Thresholds: High from 2.8 (nearby or remote with no more than
    /// low privileges and no user: `AV:A/AC:L/PR:N/UI:N` scores 2.84), Medium from 1.6 (remote with
    /// low privileges and a condition, local without privileges, adjacent with low privileges),
    /// Low below (physical access, or high privileges, or several hurdles at once).
    pub fn band(&self) -> Band {
        let exploitability = self.exploitability();
        if exploitability >= 2.8 {
            Band::High
        } else if exploitability >= 1.6 {
            Band::Medium
        } else {
            Band::Low
        }
    }

    /// Sets one metric by its CVSS abbreviation, as a control's `effect` does: `AV`, `AC`, `AT`,
    /// `PR`, `UI` (`R` means Passive), `C`/`I`/`A` and `VC`/`VI`/`VA` (vulnerable system),
    /// `SC`/`SI`/`SA` (subsequent systems), and `S` (scope: `U` clears subsequent impacts).
    pub fn apply(&mut self, metric: &str, value: &str) -> Result<(), EffectError> {
        metrics::apply(self, metric, value)
    }
}

#[cfg(test)]
mod tests;
