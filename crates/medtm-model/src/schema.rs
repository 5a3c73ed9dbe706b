//! The schema of every declaration: which attributes it takes, of what type, what each means for
//! the analysis, and what applies when it is left out. The checker validates against it;
//! `medtm explain`, completion and hover read the same table.

use medtm_syntax::ast::Keyword;

use crate::model::SymbolKind;
use crate::vocab::{
    ActorAuth, ActorRole, AssetKind, Authn, BoundaryKind, ComponentKind, ControlCategory, ControlStatus, Custody,
    DebugPort, Encryption, Environment, Function, Harm, Integrity, Logging, Medium, Os, PortState, Protocol,
    Provisioning, Replay, RiskLevel, Support, SystemFunction, Vocabulary, VocabularyInfo,
};

/// The type of an attribute's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// One word of a vocabulary.
    Word(&'static VocabularyInfo),
    /// One word or a list of words; the analysis considers all of them.
    Words(&'static VocabularyInfo),
    Boolean,
    /// A non-negative integer.
    Count,
    /// A string.
    Text,
    /// `YYYY-MM-DD`.
    Date,
    /// One reference or a list of references to declarations of these kinds.
    References(&'static [SymbolKind]),
    /// A list of rule names or codes.
    Rules,
    /// A list of strings (test case ids).
    Texts,
    /// A map of named flags to booleans.
    Flags(&'static [FlagSpec]),
    /// A map from the words of one vocabulary to those of another: a debug port to its state, a
    /// listening service to how it authenticates callers.
    WordMap {
        keys: &'static VocabularyInfo,
        values: &'static VocabularyInfo,
    },
    /// A map of CVSS metric abbreviation to value.
    Effect,
    /// A map of harm level to risk level (a row of the risk matrix).
    MatrixRow,
    /// A map of the attributes of a `<->` flow's response ([`RESPONSE`]).
    Response,
}

impl ValueType {
    /// How the type is described in messages and documentation.
    pub fn describe(self) -> String {
        match self {
            ValueType::Word(vocabulary) => format!("{} word", vocabulary.with_article()),
            ValueType::Words(vocabulary) => format!("{} word or a list of them", vocabulary.with_article()),
            ValueType::Boolean => "`true` or `false`".to_owned(),
            ValueType::Count => "a whole number".to_owned(),
            ValueType::Text => "a string".to_owned(),
            ValueType::Date => "a date (YYYY-MM-DD)".to_owned(),
            ValueType::References(kinds) => {
                let names: Vec<_> = kinds.iter().map(|kind| kind.as_str()).collect();
                format!("a list of references to {}", join_or(&names))
            }
            ValueType::Rules => "a list of rule names".to_owned(),
            ValueType::Texts => "a list of strings".to_owned(),
            ValueType::Flags(flags) => {
                let names: Vec<_> = flags.iter().map(|flag| flag.name).collect();
                format!("a map of {} to `true`/`false` (or `unknown`)", join_or(&names))
            }
            ValueType::WordMap { keys, values } => format!("a map of {} to {}", keys.name, values.name),
            ValueType::Effect => "a map of CVSS metric to value, such as `{ PR: H, UI: R }`".to_owned(),
            ValueType::MatrixRow => "a map of harm to risk level".to_owned(),
            ValueType::Response => {
                let names: Vec<_> = RESPONSE.iter().map(|spec| format!("`{}`", spec.name)).collect();
                format!("a map of the response's {}", join_or(&names.iter().map(String::as_str).collect::<Vec<_>>()))
            }
        }
    }
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// A key of a flags map, such as `signed` in `update`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagSpec {
    pub name: &'static str,
    pub meaning: &'static str,
    pub default: bool,
    /// What `unknown` is taken as: the value that leaves the most threats open.
    pub unknown_means: bool,
}

/// One attribute of a kind of declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributeSpec {
    pub name: &'static str,
    pub ty: ValueType,
    /// What it means for the analysis.
    pub meaning: &'static str,
    /// What applies when it is left out.
    pub default: &'static str,
    /// Whether the analysis reads it; the others (versions, owners, test ids) only document.
    pub analysed: bool,
    /// Whether leaving it out is an assumption: the analysis then takes a value the model did
    /// not state, which the report lists. Lists that declare structure (what a component stores
    /// and runs, what a control covers) are read but assume nothing when left out: there is
    /// none, as there is no flow where none is declared.
    pub assumed: bool,
}

/// An attribute the analysis reads, whose default is an assumption.
const fn attr(name: &'static str, ty: ValueType, meaning: &'static str, default: &'static str) -> AttributeSpec {
    AttributeSpec { name, ty, meaning, default, analysed: true, assumed: true }
}

/// A list the analysis reads that declares structure: left out, there is none.
const fn structure(name: &'static str, ty: ValueType, meaning: &'static str, default: &'static str) -> AttributeSpec {
    AttributeSpec { name, ty, meaning, default, analysed: true, assumed: false }
}

/// An attribute that documents and that the analysis does not read.
const fn note(name: &'static str, ty: ValueType, meaning: &'static str, default: &'static str) -> AttributeSpec {
    AttributeSpec { name, ty, meaning, default, analysed: false, assumed: false }
}

const fn word<T: Vocabulary>() -> ValueType {
    ValueType::Word(T::INFO)
}

const fn words<T: Vocabulary>() -> ValueType {
    ValueType::Words(T::INFO)
}

/// The keys of a component's `update` map.
pub const UPDATE_FLAGS: &[FlagSpec] = &[
    // An update path is an attack path (who can deliver an image, and is it checked?), which
    // threatens more than a device that cannot be patched: `unknown` takes it as there.
    FlagSpec {
        name: "supported",
        meaning: "The device can be updated in the field.",
        default: true,
        unknown_means: true,
    },
    FlagSpec {
        name: "signed",
        meaning: "Updates are cryptographically signed and verified before install.",
        default: false,
        unknown_means: false,
    },
    FlagSpec {
        name: "anti_rollback",
        meaning: "The device refuses older versions than the one installed.",
        default: false,
        unknown_means: false,
    },
    FlagSpec {
        name: "secure_boot",
        meaning: "The boot chain verifies the code it starts.",
        default: false,
        unknown_means: false,
    },
];

/// Element kinds that can be a flow's endpoint.
pub const ELEMENT_KINDS: &[SymbolKind] = &[SymbolKind::Actor, SymbolKind::Component, SymbolKind::Store];
/// Kinds a control can cover or a decision can target.
pub const SUBJECT_KINDS: &[SymbolKind] = &[
    SymbolKind::Flow,
    SymbolKind::Component,
    SymbolKind::Store,
    SymbolKind::Actor,
    SymbolKind::Boundary,
    SymbolKind::Asset,
    SymbolKind::Software,
];

const SYSTEM: &[AttributeSpec] = &[
    note("version", ValueType::Text, "The version of the system the model describes.", "none"),
    attr(
        "function",
        word::<SystemFunction>(),
        "What the system does for patients.",
        "life_sustaining (the worst case), with a warning",
    ),
    attr("environment", word::<Environment>(), "Where it is used.", "home (the worst case), with a warning"),
    note("device_class", ValueType::Text, "The regulatory class, such as \"II\" or \"III\".", "none"),
];

const ASSET: &[AttributeSpec] = &[
    attr(
        "kind",
        words::<AssetKind>(),
        "What kind of data or command it is: decides which of C, I and A matter.",
        "therapy (the worst case), with a warning",
    ),
    attr(
        "harm",
        word::<Harm>(),
        "ISO 14971 severity of patient harm if the asset is forged, lost or withheld.",
        "negligible for kinds without safety relevance; catastrophic, with a warning, for therapy, monitoring, diagnostic, alarm, firmware and config",
    ),
    attr(
        "patients",
        ValueType::Count,
        "How many patients' data one compromise exposes; 500 or more makes the confidentiality impact High.",
        "many (High), with a warning, for phi and pii",
    ),
    attr(
        "opens",
        ValueType::References(&[SymbolKind::Flow, SymbolKind::Component, SymbolKind::Store]),
        "For a credential or key, what it opens: the flows it authenticates and the elements it unlocks. A stolen secret carries their harm.",
        "the flows that carry it with password, token or shared-secret authentication",
    ),
    attr(
        "provisioning",
        word::<Provisioning>(),
        "For a credential or key, how it is set: unique per unit, shared, a factory default or hard-coded.",
        "unique",
    ),
];

const ACTOR: &[AttributeSpec] = &[
    attr(
        "role",
        word::<ActorRole>(),
        "The part the actor plays; `attacker` makes it an entry point for attack paths.",
        "attacker (the worst case), with a warning",
    ),
    attr("auth", word::<ActorAuth>(), "How the actor proves who they are.", "none"),
];

const BOUNDARY: &[AttributeSpec] = &[
    attr(
        "kind",
        word::<BoundaryKind>(),
        "What the trust zone is; network kinds are hostile by default.",
        "internet (the worst case), with a warning",
    ),
    attr(
        "hostile",
        ValueType::Boolean,
        "Whether an attacker is assumed inside; overrides the kind's default.",
        "from the kind",
    ),
];

const COMPONENT: &[AttributeSpec] = &[
    attr("kind", word::<ComponentKind>(), "What the component is.", "controller, with a warning"),
    attr(
        "os",
        words::<Os>(),
        "The operating system it runs.",
        "none; windows (the worst case), with a warning, for workstations and servers",
    ),
    attr(
        "functions",
        words::<Function>(),
        "What it does for patients; safety functions raise the stakes of attacks on it.",
        "none",
    ),
    attr(
        "update",
        ValueType::Flags(UPDATE_FLAGS),
        "How its code is updated: `{ supported, signed, anti_rollback, secure_boot }`.",
        "for medical devices, a warning and supported but unsigned, without anti-rollback or secure boot",
    ),
    attr(
        "debug_ports",
        ValueType::WordMap { keys: DebugPort::INFO, values: PortState::INFO },
        "Debug and service ports and their state on production units.",
        "none",
    ),
    structure(
        "services",
        ValueType::WordMap { keys: Protocol::INFO, values: Authn::INFO },
        "Network services it listens on and how each authenticates callers, such as `{ telnet: none, ssh: password }`: remote administration or file sharing behind weak authentication on a host a hostile network reaches is an exposed interface, drawn as a flow or not.",
        "none",
    ),
    attr("logging", word::<Logging>(), "Where its security events go.", "none"),
    attr("antimalware", ValueType::Boolean, "Whether it runs anti-malware (relevant for Windows).", "false"),
    structure("stores", ValueType::References(&[SymbolKind::Store]), "Data stores inside it.", "none"),
    structure("software", ValueType::References(&[SymbolKind::Software]), "Software it contains (its SBOM).", "none"),
    attr(
        "count",
        ValueType::Count,
        "How many units are deployed; one compromise of a shared secret or a fleet push reaches all.",
        "1",
    ),
    attr(
        "custody",
        word::<Custody>(),
        "Who holds it over its life; a unit that leaves custody or sits in a patient's home gives away what it stores.",
        "patient for implants, wearables and phone apps; operator otherwise",
    ),
];

const STORE: &[AttributeSpec] = &[
    attr("holds", ValueType::References(&[SymbolKind::Asset]), "The assets stored.", "none"),
    attr("encrypted", ValueType::Boolean, "Whether the data is encrypted at rest.", "false"),
];

const SOFTWARE: &[AttributeSpec] = &[
    note("version", ValueType::Text, "The version in use.", "none"),
    note("purl", ValueType::Text, "Package URL, such as \"pkg:generic/freertos@10.4.3\".", "none"),
    note("cpe", ValueType::Text, "CPE 2.3 name, for vulnerability matching.", "none"),
    note("supplier", ValueType::Text, "Who supplies it.", "none"),
    note("license", ValueType::Text, "Its license, as an SPDX expression.", "none"),
    attr(
        "support",
        word::<Support>(),
        "Whether it still receives security fixes.",
        "abandoned (the worst case), with a warning",
    ),
    note(
        "end_of_support",
        ValueType::Date,
        "The date security fixes end; within a year of the analysis, a finding.",
        "none: no date to judge",
    ),
];

const FLOW: &[AttributeSpec] = &[
    attr("medium", words::<Medium>(), "How the data travels; sets the CVSS attack vector.", "network, with a warning"),
    attr("protocol", words::<Protocol>(), "The application protocol.", "none"),
    attr(
        "carries",
        ValueType::References(&[SymbolKind::Asset]),
        "The assets the flow carries (for `<->`, the request's).",
        "none",
    ),
    attr(
        "authn",
        word::<Authn>(),
        "How the receiver authenticates the sender (for `<->`, how the server authenticates the client); sets CVSS privileges required.",
        "none",
    ),
    attr("encryption", word::<Encryption>(), "How the flow is encrypted.", "none"),
    attr("integrity", word::<Integrity>(), "How tampering is detected.", "none"),
    attr("replay", word::<Replay>(), "How replayed messages are rejected.", "none"),
    // Read by the analysis, but leaving it out assumes nothing: a flow to a component stands for
    // a flow to every unit of it, as the model draws it; `fan_out` narrows that.
    AttributeSpec {
        name: "fan_out",
        ty: ValueType::Count,
        meaning: "How many units of the receiver one sender reaches over this flow: 1 for a module paired with one device or a board driving one apparatus; the whole fleet for a server pushing to every bed. A push that reaches more than one unit is a fleet push.",
        default: "every unit of the receiver (its `count`), as the flow is drawn",
        analysed: true,
        assumed: false,
    },
    attr(
        "returns",
        ValueType::Response,
        "For a `<->` flow, its response: what the server sends back (`carries`) and how the client authenticates the server (`authn`), with its own `encryption`, `integrity` and `replay` where they differ from the request's.",
        "the request's assets and protections, mirrored, with a warning",
    ),
];

/// The attributes of a `<->` flow's `returns` map: the response leg, analysed with its own
/// assets and its own authentication.
pub const RESPONSE: &[AttributeSpec] = &[
    attr("carries", ValueType::References(&[SymbolKind::Asset]), "The assets the response carries.", "none"),
    attr(
        "authn",
        word::<Authn>(),
        "How the client authenticates the server's response (`certificate` for a TLS server certificate it validates).",
        "none",
    ),
    attr("encryption", word::<Encryption>(), "How the response is encrypted.", "the request's"),
    attr("integrity", word::<Integrity>(), "How tampering with the response is detected.", "the request's"),
    attr("replay", word::<Replay>(), "How replayed responses are rejected.", "the request's"),
];

const CONTROL: &[AttributeSpec] = &[
    attr(
        "category",
        word::<ControlCategory>(),
        "Which of FDA's eight categories the control belongs to.",
        "none: it answers only the rules in `mitigates`",
    ),
    structure(
        "covers",
        ValueType::References(SUBJECT_KINDS),
        "What the control protects: flows, elements, boundaries, assets or software.",
        "nothing (a warning: dead control)",
    ),
    attr(
        "mitigates",
        ValueType::Rules,
        "The rules it answers; without it, every rule of its category on what it covers.",
        "the rules of its category",
    ),
    attr(
        "status",
        word::<ControlStatus>(),
        "Whether it is in place; only implemented and partial controls lower residual risk.",
        "implemented",
    ),
    attr(
        "effect",
        ValueType::Effect,
        "The CVSS metrics it achieves, such as `{ PR: H, UI: R }`.",
        "the documented default of its category",
    ),
    note("verified_by", ValueType::Texts, "Test cases that verify it, for traceability.", "none"),
];

const ACCEPT: &[AttributeSpec] = &[
    note("reason", ValueType::Text, "Why the residual risk is acceptable.", "none, with a warning"),
    note("owner", ValueType::Text, "Who accepted it.", "none, with a warning"),
    note("review_by", ValueType::Date, "When the acceptance must be reviewed; past it, a warning.", "none"),
];

const TRANSFER: &[AttributeSpec] = &[
    note("labeling", ValueType::Text, "The labeling or IFU text that hands the risk over.", "none, with a warning"),
    note("owner", ValueType::Text, "Who decided the transfer.", "none"),
    note("review_by", ValueType::Date, "When the transfer must be reviewed.", "none"),
];

const ASSUMPTION: &[AttributeSpec] =
    &[note("text", ValueType::Text, "The assumption, if not given as the label.", "the label")];

const RISK_MATRIX: &[AttributeSpec] = &[
    attr("high", ValueType::MatrixRow, "Risk levels by harm when exploitability is high.", "the default matrix row"),
    attr(
        "medium",
        ValueType::MatrixRow,
        "Risk levels by harm when exploitability is medium.",
        "the default matrix row",
    ),
    attr("low", ValueType::MatrixRow, "Risk levels by harm when exploitability is low.", "the default matrix row"),
];

/// The attributes a kind of declaration takes.
pub fn attributes(keyword: Keyword) -> &'static [AttributeSpec] {
    match keyword {
        Keyword::System => SYSTEM,
        Keyword::Asset => ASSET,
        Keyword::Actor => ACTOR,
        Keyword::Boundary => BOUNDARY,
        Keyword::Component => COMPONENT,
        Keyword::Store => STORE,
        Keyword::Software => SOFTWARE,
        Keyword::Flow => FLOW,
        Keyword::Control => CONTROL,
        Keyword::Accept => ACCEPT,
        Keyword::Transfer => TRANSFER,
        Keyword::Assumption => ASSUMPTION,
        Keyword::RiskMatrix => RISK_MATRIX,
    }
}

pub fn attribute(keyword: Keyword, name: &str) -> Option<&'static AttributeSpec> {
    attributes(keyword).iter().find(|spec| spec.name == name)
}

/// What a keyword declares, and its form.
pub fn keyword_meaning(keyword: Keyword) -> (&'static str, &'static str) {
    match keyword {
        Keyword::System => ("The system the model describes; one per model.", "system id \"Label\" { ... }"),
        Keyword::Asset => (
            "Something to protect: data, a command, code or a key, with the patient harm if it is forged or lost.",
            "asset id \"Label\" { kind: ..., harm: ... }",
        ),
        Keyword::Actor => (
            "A person or organisation that takes part (a DFD external entity).",
            "actor id \"Label\" { role: ..., auth: ... }",
        ),
        Keyword::Boundary => (
            "A trust zone; holds boundaries, components, stores and actors.",
            "boundary id \"Label\" { kind: ... nested declarations ... }",
        ),
        Keyword::Component => (
            "Something that runs code (a DFD process).",
            "component id \"Label\" { kind: ..., os: ..., functions: [...] }",
        ),
        Keyword::Store => {
            ("Where data rests (a DFD data store).", "store id \"Label\" { holds: [...], encrypted: ... }")
        }
        Keyword::Software => (
            "A software component: an SBOM entry with its support status.",
            "software id \"Label\" { version: \"...\", support: ... }",
        ),
        Keyword::Flow => (
            "Data moving between two elements (a DFD data flow); `<->` is a request and its response.",
            "flow name: from -> to \"Label\" { medium: ..., carries: [...] }  or  flow from <-> to { ... }",
        ),
        Keyword::Control => (
            "A security control: what it covers, which risks it mitigates, and the tests that verify it.",
            "control id \"Label\" { category: ..., covers: [...], mitigates: [...] }",
        ),
        Keyword::Accept => (
            "Accepts a residual risk of one rule on one subject, with a reason and an owner.",
            "accept rule-name on subject { reason: \"...\", owner: \"...\", review_by: YYYY-MM-DD }",
        ),
        Keyword::Transfer => (
            "Transfers a risk to another party (hdo, patient, supplier, third_party) with the labeling that does it.",
            "transfer rule-name on subject to hdo { labeling: \"...\" }",
        ),
        Keyword::Assumption => {
            ("An assumption of the threat model; reports list them.", "assumption id \"The assumption.\"")
        }
        Keyword::RiskMatrix => (
            "The manufacturer's risk acceptance matrix: exploitability band by harm; overrides the default.",
            "risk_matrix id { high: { negligible: review, ... }, medium: { ... }, low: { ... } }",
        ),
    }
}

/// The kind of declaration a keyword introduces, for symbol tables.
pub fn symbol_kind(keyword: Keyword) -> Option<SymbolKind> {
    Some(match keyword {
        Keyword::System => SymbolKind::System,
        Keyword::Asset => SymbolKind::Asset,
        Keyword::Actor => SymbolKind::Actor,
        Keyword::Boundary => SymbolKind::Boundary,
        Keyword::Component => SymbolKind::Component,
        Keyword::Store => SymbolKind::Store,
        Keyword::Software => SymbolKind::Software,
        Keyword::Flow => SymbolKind::Flow,
        Keyword::Control => SymbolKind::Control,
        Keyword::Assumption => SymbolKind::Assumption,
        Keyword::RiskMatrix => SymbolKind::RiskMatrix,
        Keyword::Accept | Keyword::Transfer => return None,
    })
}

/// Which declarations may appear inside a block of `parent`.
pub fn may_contain(parent: Keyword, child: Keyword) -> bool {
    parent == Keyword::Boundary
        && matches!(child, Keyword::Boundary | Keyword::Component | Keyword::Store | Keyword::Actor)
}

/// Referenced for `RiskLevel` so that matrix rows and the vocabulary stay one definition.
pub const MATRIX_LEVELS: &VocabularyInfo = RiskLevel::INFO;
/// The harm levels that key a matrix row.
pub const MATRIX_HARMS: &VocabularyInfo = Harm::INFO;
