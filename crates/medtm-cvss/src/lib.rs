//! CVSS for medtm: one version-neutral description of an attack ([`Metrics`]) turned into CVSS v3.1
//! and v4.0 base vectors and scores, overridden metric by metric by controls (`effect` maps), and
//! banded into exploitability. Pure: no I/O, no global state, builds for wasm32.
//!
//! The arithmetic is the RustSec `cvss` crate's. It was checked against FIRST's reference
//! calculators over every vector this crate can build (2,592 distinct v3.1 vectors, 419,904 v4.0
//! vectors); the tests keep the published examples and the properties that matter here. Two
//! notes on it:
//! - v3.1: the crate's Roundup truncates `x * 100000` where Appendix A rounds it. The two differ
//!   only when a raw score lies within 0.00001 above a tenth, which no base vector reaches; a test
//!   recomputes every base score with the specification's Roundup to keep it that way.
//! - v4.0: the crate rounds ties half up with a 1e-6 lift, as FIRST's reference calculator has
//!   done since the 2024-11 rounding fix. Older deployments of the calculator, which round raw
//!   scores that float error puts just below `x.x5` down, read a tenth lower on 522 base vectors.

mod effect;
mod v31;
mod v40;

pub use effect::{EffectError, METRICS, MetricInfo, metric, metric_names, validate};

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

/// Whether the attack must defeat protections it does not control (encryption, randomisation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttackComplexity {
    Low,
    High,
}

/// v4.0: deployment conditions the attack depends on. v3.1 has no such metric and counts
/// `Present` as high attack complexity.
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

/// Whether a person other than the attacker must take part. v3.1 knows only None and Required,
/// which both `Passive` and `Active` become.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UserInteraction {
    None,
    Passive,
    Active,
}

/// An impact level, ordered `None < Low < High` (so `Ord::max` and `Ord::min` combine levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    #[default]
    None,
    Low,
    High,
}

impl Impact {
    /// Every level, lowest first.
    pub const ALL: [Impact; 3] = [Impact::None, Impact::Low, Impact::High];

    /// The letter CVSS vectors use: `N`, `L` or `H`.
    pub const fn letter(self) -> &'static str {
        match self {
            Impact::None => "N",
            Impact::Low => "L",
            Impact::High => "H",
        }
    }
}

/// Confidentiality, integrity and availability impacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Cia {
    pub confidentiality: Impact,
    pub integrity: Impact,
    pub availability: Impact,
}

impl Cia {
    /// No impact at all.
    pub const NONE: Cia = Cia { confidentiality: Impact::None, integrity: Impact::None, availability: Impact::None };

    /// Whether all three impacts are None.
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
    /// Impact beyond it: the patient, other components, other devices of a fleet.
    pub subsequent: Cia,
    /// Patient harm of serious or worse through integrity (v4.0 `MSI:S`).
    pub safety_integrity: bool,
    /// Patient harm of serious or worse through availability (v4.0 `MSA:S`).
    pub safety_availability: bool,
}

impl Default for Metrics {
    /// The easiest attack (network, low complexity, nothing required) with no impact yet: rules
    /// start here and add hurdles and impacts.
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

/// CVSS qualitative severity (the same bands in both versions).
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
    /// FIRST's rating scale: 0.0 None, 0.1-3.9 Low, 4.0-6.9 Medium, 7.0-8.9 High, 9.0-10.0
    /// Critical.
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
    /// The vector string in FIRST's canonical metric order.
    pub vector: String,
    /// The base score, rounded to one decimal as the version specifies.
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

impl Band {
    pub const fn as_str(self) -> &'static str {
        match self {
            Band::High => "high",
            Band::Medium => "medium",
            Band::Low => "low",
        }
    }
}

/// Exploitability sub-scores from which an attack is in the high band.
///
/// 3.887 is the maximum (`AV:N/AC:L/PR:N/UI:N`). Taking one modest hurdle from it (an adjacent
/// rather than remote attacker, low privileges, or a user's help) gives 2.835; a second hurdle,
/// local access or high complexity each fall below 2.6. So the high band holds attacks that are
/// remote or nearby and need at most one modest condition.
pub const HIGH_BAND_FROM: f64 = 2.8;

/// Exploitability sub-scores from which an attack is in the medium band (below it: low).
///
/// Medium keeps local access with at most one modest hurdle (2.515, 1.835), two modest hurdles
/// (2.068), and high complexity with at most one (2.221, 1.620). Below 1.6 fall physical access
/// (at most 0.915), high privileges (at most 1.235), three modest hurdles (1.508) and local access
/// with high complexity (1.437). When scope changes PR weighs more, so high privileges over a
/// network (2.287) or nearby (1.668) stay medium there.
pub const MEDIUM_BAND_FROM: f64 = 1.6;

impl Metrics {
    /// The CVSS v3.1 base vector and score.
    ///
    /// Scope is Changed when any subsequent impact is not None, and C/I/A are then the higher of
    /// the vulnerable and subsequent impacts; otherwise Scope is Unchanged with the vulnerable
    /// impacts. Attack requirements count as `AC:H`; passive and active interaction as `UI:R`.
    pub fn v31(&self) -> Scored {
        v31::score(self)
    }

    /// The CVSS v4.0 vector and score: the base metrics, then `MSI:S`/`MSA:S` and `S:P` when the
    /// patient's safety is at stake (see [`Metrics::safety_applies`]).
    pub fn v40(&self) -> Scored {
        v40::score(self)
    }

    /// Whether scope changes in v3.1: the impact reaches beyond the attacked component.
    pub fn scope_changed(&self) -> bool {
        !self.subsequent.is_none()
    }

    /// The impacts v3.1 reports: across the scope when it changes.
    pub fn v31_impacts(&self) -> Cia {
        if self.scope_changed() { self.vulnerable.max(self.subsequent) } else { self.vulnerable }
    }

    /// Whether v4.0's Safety values apply, as `(integrity, availability)`.
    ///
    /// CVSS v4.0 has Safety only as a value of the modified subsequent-system metrics (`MSI:S`,
    /// `MSA:S`): the patient is the subsequent system. A flag counts only while some integrity
    /// (or availability) impact remains, on either system, for the harm to travel through: a
    /// control that takes integrity to None also removes the patient harm that tampering caused.
    pub fn safety_applies(&self) -> (bool, bool) {
        let integrity = self.vulnerable.integrity.max(self.subsequent.integrity) > Impact::None;
        let availability = self.vulnerable.availability.max(self.subsequent.availability) > Impact::None;
        (self.safety_integrity && integrity, self.safety_availability && availability)
    }

    /// The v3.1 exploitability sub-score `8.22 × AV × AC × PR × UI`, from 0.121 to 3.887. It
    /// depends on scope as v3.1's does (PR weighs more when scope changes) and counts attack
    /// requirements as high complexity.
    pub fn exploitability(&self) -> f64 {
        v31::exploitability(self)
    }

    /// The exploitability band: high from [`HIGH_BAND_FROM`], medium from [`MEDIUM_BAND_FROM`],
    /// low below. The constants' documentation gives the reasoning.
    pub fn exploitability_band(&self) -> Band {
        let exploitability = self.exploitability();
        if exploitability >= HIGH_BAND_FROM {
            Band::High
        } else if exploitability >= MEDIUM_BAND_FROM {
            Band::Medium
        } else {
            Band::Low
        }
    }

    /// Same as [`Metrics::exploitability_band`], under the name the engine first used.
    pub fn band(&self) -> Band {
        self.exploitability_band()
    }

    /// Sets one metric by its CVSS abbreviation, as a control's `effect` does. [`METRICS`]
    /// lists the abbreviations, their values and what each does; they are case-sensitive, as in
    /// vectors.
    pub fn apply(&mut self, metric: &str, value: &str) -> Result<(), EffectError> {
        effect::apply(self, metric, value)
    }
}
