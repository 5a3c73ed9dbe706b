//! What a rule is: its metadata (code, name, STRIDE, CWE, CAPEC, FDA control category, CVSS
//! template, documentation) declared once, and the detection function that reports hits.
//!
//! Rules never score: they say what they found, on which subject, involving which assets, and how
//! an attacker reaches it. The scoring module turns that into vectors and levels.

use medtm_cvss::{AttackComplexity, AttackRequirements, AttackVector, Impact, PrivilegesRequired, UserInteraction};
use medtm_model::graph::FlowEdge;
use medtm_model::model::{AssetId, Subject};
use medtm_model::vocab::{Authn, ControlCategory, Medium};
use serde::Serialize;

use crate::context::RuleContext;

/// A STRIDE threat category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stride {
    Spoofing,
    Tampering,
    Repudiation,
    InformationDisclosure,
    DenialOfService,
    ElevationOfPrivilege,
}

impl Stride {
    pub const ALL: [Stride; 6] = [
        Stride::Spoofing,
        Stride::Tampering,
        Stride::Repudiation,
        Stride::InformationDisclosure,
        Stride::DenialOfService,
        Stride::ElevationOfPrivilege,
    ];

    pub const fn letter(self) -> char {
        match self {
            Stride::Spoofing => 'S',
            Stride::Tampering => 'T',
            Stride::Repudiation => 'R',
            Stride::InformationDisclosure => 'I',
            Stride::DenialOfService => 'D',
            Stride::ElevationOfPrivilege => 'E',
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            Stride::Spoofing => "Spoofing",
            Stride::Tampering => "Tampering",
            Stride::Repudiation => "Repudiation",
            Stride::InformationDisclosure => "Information disclosure",
            Stride::DenialOfService => "Denial of service",
            Stride::ElevationOfPrivilege => "Elevation of privilege",
        }
    }

    /// Which of confidentiality, integrity and availability a threat of this kind touches.
    pub const fn touches(self) -> Touches {
        match self {
            Stride::Spoofing | Stride::Tampering | Stride::Repudiation => Touches::INTEGRITY,
            Stride::InformationDisclosure => Touches::CONFIDENTIALITY,
            Stride::DenialOfService => Touches::AVAILABILITY,
            Stride::ElevationOfPrivilege => Touches::ALL,
        }
    }
}

/// STRIDE letters as written in reports: `S/T`.
pub fn stride_letters(stride: &[Stride]) -> String {
    let mut letters = String::with_capacity(stride.len() * 2);
    for (index, letter) in stride.iter().enumerate() {
        if index > 0 {
            letters.push('/');
        }
        letters.push(letter.letter());
    }
    letters
}

/// Which security properties a finding affects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Touches {
    pub confidentiality: bool,
    pub integrity: bool,
    pub availability: bool,
}

impl Touches {
    pub const CONFIDENTIALITY: Touches = Touches { confidentiality: true, integrity: false, availability: false };
    pub const INTEGRITY: Touches = Touches { confidentiality: false, integrity: true, availability: false };
    pub const AVAILABILITY: Touches = Touches { confidentiality: false, integrity: false, availability: true };
    pub const INTEGRITY_AVAILABILITY: Touches = Touches { confidentiality: false, integrity: true, availability: true };
    pub const ALL: Touches = Touches { confidentiality: true, integrity: true, availability: true };

    #[must_use]
    pub const fn union(self, other: Touches) -> Touches {
        Touches {
            confidentiality: self.confidentiality || other.confidentiality,
            integrity: self.integrity || other.integrity,
            availability: self.availability || other.availability,
        }
    }

    /// The union of what the STRIDE letters touch.
    pub fn of(stride: &[Stride]) -> Touches {
        stride.iter().fold(Touches::default(), |touches, s| touches.union(s.touches()))
    }
}

/// The CVSS metrics a rule fixes; the rest come from the model (see `scoring`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// A fixed attack vector (a debug port is Physical whatever the model says); `None` takes
    /// it from the medium the attacker uses.
    pub attack_vector: Option<AttackVector>,
    pub attack_complexity: AttackComplexity,
    pub attack_requirements: AttackRequirements,
    /// Whether the threat needs a flaw the model does not show (a parser bug, a vulnerability
    /// left unfixed). CVSS scores a vulnerability as if it exists, so the vector leaves this
    /// out; the exploitability band counts it as an attack requirement (`AT:P`), since a flaw
    /// that may not be there makes the attack less likely (see `scoring::assess`).
    pub unproven_flaw: bool,
    /// Fixed privileges required; `None` takes them from the authentication the attacker faces.
    pub privileges_required: Option<PrivilegesRequired>,
    pub user_interaction: UserInteraction,
    /// Which of C, I and A the threat touches; `None` derives it from the STRIDE letters.
    pub touches: Option<Touches>,
    /// The highest impact the threat itself causes. Threats that only hide or postpone harm
    /// (missing logs, an approaching end of support) are capped at Low.
    pub max_impact: Impact,
    /// Whether the threat harms the patient directly. When it does not, the finding's level
    /// comes from its CVSS score rather than from the harm of the assets it involves.
    pub direct_harm: bool,
    /// Whether the threat reads traffic: that takes a position in the middle (High complexity)
    /// on a wired or routed network, not on a radio anyone in range hears.
    pub reads_traffic: bool,
}

impl Template {
    /// Everything from the model: low complexity, no requirements, no user interaction.
    pub const FROM_MODEL: Template = Template {
        attack_vector: None,
        attack_complexity: AttackComplexity::Low,
        attack_requirements: AttackRequirements::None,
        unproven_flaw: false,
        privileges_required: None,
        user_interaction: UserInteraction::None,
        touches: None,
        max_impact: Impact::High,
        direct_harm: true,
        reads_traffic: false,
    };

    /// For threats that hide or postpone harm rather than cause it: impacts capped at Low, level
    /// from the CVSS score.
    pub const INDIRECT: Template = Template { max_impact: Impact::Low, direct_harm: false, ..Template::FROM_MODEL };

    /// For threats that alter or replay traffic: a position in the middle (High complexity).
    pub const IN_THE_MIDDLE: Template = Template { attack_complexity: AttackComplexity::High, ..Template::FROM_MODEL };

    /// For threats that read traffic: High complexity off the radio (see `reads_traffic`).
    pub const READS_TRAFFIC: Template = Template { reads_traffic: true, ..Template::FROM_MODEL };

    /// For a weakness whose exploitation needs a flaw the model does not show (a bug in a parser,
    /// a vulnerability left unfixed, malware that must find its way in): the vector is the
    /// flaw's, scored as if it were there, and the exploitability band counts that it may not
    /// be (see `unproven_flaw`).
    pub const POTENTIAL_FLAW: Template = Template { unproven_flaw: true, ..Template::FROM_MODEL };

    /// For a secret anyone can know (hard-coded, a factory default): no privileges needed.
    pub const KNOWN_SECRET: Template =
        Template { privileges_required: Some(PrivilegesRequired::None), ..Template::FROM_MODEL };

    /// For what a unit in hand gives away: physical access, no privileges.
    pub const HELD_UNIT: Template = Template {
        attack_vector: Some(AttackVector::Physical),
        privileges_required: Some(PrivilegesRequired::None),
        ..Template::FROM_MODEL
    };
}

/// The root cause a rule's findings share with the other rules of its family. Findings of one
/// family on one subject are facets of one ranked risk (see `risks`): one weak link is one risk,
/// however many of its consequences the rules name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// A link that does not protect what crosses it: who may send, whether it can be replayed,
    /// altered or read. Both legs of a `<->` flow are one link.
    Link,
    /// A safety function that stops when its links are flooded or jammed: one risk per
    /// receiving component, whatever the number of links.
    Flooding,
    /// A component an attacker can take over: input its parsers face, code it does not verify
    /// (unsigned or downgradable firmware, boot without verification, debug ports, media), a
    /// host without fixes or protection, a way in from outside, and what the takeover reaches
    /// (a fleet it pushes to).
    Takeover,
    /// Software that does not get security fixes.
    Software,
    /// Actions and access that leave no usable record.
    Logging,
    /// Data at rest: readable or writable by whoever reaches the store.
    Storage,
    /// Patient data leaving for a third party.
    Privacy,
    /// A credential or key that can be taken or is known.
    Credential,
}

impl Family {
    pub const ALL: [Family; 8] = [
        Family::Link,
        Family::Flooding,
        Family::Takeover,
        Family::Software,
        Family::Logging,
        Family::Storage,
        Family::Privacy,
        Family::Credential,
    ];

    /// The family's name in risk ids (`link@bolus`).
    pub const fn name(self) -> &'static str {
        match self {
            Family::Link => "link",
            Family::Flooding => "flooding",
            Family::Takeover => "takeover",
            Family::Software => "software",
            Family::Logging => "logging",
            Family::Storage => "storage",
            Family::Privacy => "privacy",
            Family::Credential => "credential",
        }
    }

    /// What the risk is, in a few words, for its heading.
    pub const fn title(self) -> &'static str {
        match self {
            Family::Link => "Link does not protect what crosses it",
            Family::Flooding => "Safety function stops when its links are flooded or jammed",
            Family::Takeover => "Component can be taken over",
            Family::Software => "Software without security fixes",
            Family::Logging => "Actions leave no usable record",
            Family::Storage => "Stored data open to whoever reaches the store",
            Family::Privacy => "Patient data leaves for a third party",
            Family::Credential => "Secret that can be taken opens what it protects",
        }
    }
}

/// A rule's documentation, in fixed sections; `medtm explain RULE` prints them and a test checks
/// that none is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Docs {
    /// What the rule detects in the model.
    pub detects: &'static str,
    /// Why it matters for patients.
    pub why: &'static str,
    /// How to mitigate it (and how to record the mitigation as a control).
    pub mitigate: &'static str,
    /// A model fragment that triggers the rule.
    pub example: &'static str,
}

/// A threat rule.
#[derive(Debug)]
pub struct Rule {
    /// Stable code, `MTM` and three digits.
    pub code: &'static str,
    /// Kebab-case name that names the threat (`unauthenticated-command`).
    pub name: &'static str,
    /// One line, naming the threat.
    pub title: &'static str,
    pub stride: &'static [Stride],
    pub cwe: &'static [u32],
    pub capec: &'static [u32],
    /// MITRE ATT&CK techniques, where CAPEC has no entry (such as `T1486`).
    pub attack_techniques: &'static [&'static str],
    /// The root cause it shares with other rules; the rules of a family are listed in
    /// `rules::RULES` root cause first, which is the order of a risk's facets.
    pub family: Family,
    /// Categories whose controls answer the rule only when their `mitigates` names it, each with
    /// why its category alone is not enough: a downgrade presumes signed firmware, so a signing
    /// control does not answer it; input validation is an integrity measure, but an integrity
    /// control that names no rule is taken for signed code. Naming the rule makes it answer all
    /// of the rule's threats, whether or not the category protects against them.
    pub when_named: &'static [(ControlCategory, &'static str)],
    pub template: Template,
    pub docs: Docs,
    /// Finds the threat in the model.
    pub check: fn(&RuleContext<'_>, &mut Hits),
}

impl Rule {
    /// The FDA control categories that answer the threat by their category alone: those that
    /// protect against one of its STRIDE threats (see `controls::protects`), apart from those
    /// that must name it (`when_named`), in the vocabulary's order.
    pub fn answered_by(&self) -> Vec<ControlCategory> {
        ControlCategory::ALL
            .iter()
            .copied()
            .filter(|category| crate::controls::protects(*category).iter().any(|letter| self.stride.contains(letter)))
            .filter(|category| self.only_when_named(*category).is_none())
            .collect()
    }

    /// Why a control of `category` answers the threat only when it names the rule, if it does.
    pub fn only_when_named(&self, category: ControlCategory) -> Option<&'static str> {
        self.when_named.iter().find(|(listed, _)| *listed == category).map(|(_, why)| *why)
    }

    /// The C/I/A this rule touches.
    pub fn touches(&self) -> Touches {
        self.template.touches.unwrap_or_else(|| Touches::of(self.stride))
    }
}

/// How an attacker reaches a finding's subject, for the CVSS vector.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Exposure {
    /// The media the attacker can use; the most exposed sets the attack vector. Empty when the
    /// template fixes it.
    pub media: Vec<Medium>,
    /// The authentication the attacker must defeat; `None` when the template fixes privileges.
    pub authn: Option<Authn>,
    /// The legs by which the attacker reaches the subject: the leg itself for a finding on a
    /// flow, the legs into an element that bring what the threat needs. A control that covers
    /// every one of them stands between the attacker and the subject.
    pub via: Vec<FlowEdge>,
    /// The leg whose medium and authentication set the vector, when one does.
    pub most_exposed: Option<FlowEdge>,
}

/// A value the analysis relied on that the model did not state: left out (the documented
/// default) or written as `unknown` (the worst case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// The declaration it belongs to.
    pub owner: Subject,
    /// The attribute, as written in the model (`replay`, `returns.authn`, `update.signed`).
    pub attribute: &'static str,
    /// The value assumed, as a reader would write it.
    pub value: std::borrow::Cow<'static, str>,
    /// Written as `unknown` (an open question) rather than left out (a default).
    pub unknown: bool,
}

/// One place where a rule found its threat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub subject: Subject,
    /// The assets at stake.
    pub assets: Vec<AssetId>,
    /// One sentence in the model's own names.
    pub explanation: String,
    pub exposure: Exposure,
    /// The values the rule's condition relied on that the model did not state.
    pub facts: Vec<Fact>,
    /// What the attacker is handed back on the way (the reply to a request anyone may send):
    /// its confidentiality is at stake too, though the threat is not about it.
    pub disclosed: Vec<AssetId>,
}

impl Hit {
    pub fn new(subject: Subject, assets: Vec<AssetId>, explanation: String, exposure: Exposure) -> Self {
        Hit { subject, assets, explanation, exposure, facts: Vec::new(), disclosed: Vec::new() }
    }

    /// Records what the attacker is handed back (see [`Hit::disclosed`]).
    #[must_use]
    pub fn disclosing(mut self, assets: &[AssetId]) -> Self {
        self.disclosed.extend_from_slice(assets);
        self
    }

    /// Records that the rule's condition rests on these values (each `None` when stated).
    #[must_use]
    pub fn resting_on(mut self, facts: impl IntoIterator<Item = Option<Fact>>) -> Self {
        for fact in facts.into_iter().flatten() {
            if !self.facts.contains(&fact) {
                self.facts.push(fact);
            }
        }
        self
    }
}

/// Where a rule reports its hits.
#[derive(Debug, Default)]
pub struct Hits {
    hits: Vec<Hit>,
    subjects: std::collections::BTreeSet<Subject>,
}

impl Hits {
    pub fn push(&mut self, hit: Hit) {
        self.subjects.insert(hit.subject);
        self.hits.push(hit);
    }

    /// Whether a hit was already reported on this subject (for `<->` flows seen both ways).
    pub fn has_subject(&self, subject: Subject) -> bool {
        self.subjects.contains(&subject)
    }

    pub fn into_vec(self) -> Vec<Hit> {
        self.hits
    }

    pub fn iter(&self) -> impl Iterator<Item = &Hit> {
        self.hits.iter()
    }
}
