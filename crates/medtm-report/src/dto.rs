//! The report as data: one serialisable value built from a checked model and its analysis, that
//! every renderer (text, Markdown, JSON) reads. Its JSON form is versioned (`schema_version`) and
//! described by `schema/report.schema.json`, generated from these types.
//!
//! The findings are the one part that grows with the model (a hospital-scale model has hundreds
//! of thousands): [`Findings`] builds their reports as they are read, a batch at a time, so that a
//! report never holds them all at once.

use medtm_engine::analysis::{Coverage, Finding};
use medtm_engine::paths;
use medtm_engine::rule::{Stride, stride_letters};
use medtm_engine::{Analysis, Risk, Status};
use medtm_model::Model;
use medtm_model::model::{DecisionKind, ElementKind};
use medtm_model::vocab::{ControlStatus, Vocabulary as _};
use medtm_syntax::LineIndex;
use rayon::prelude::*;
use schemars::JsonSchema;
use serde::{Serialize, Serializer};
use std::sync::Arc;

/// The version of the report's JSON shape. Raise it when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 2;

/// A complete report.
// It borrows the model and analysis it reports on: its findings are built when read.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Report<'a> {
    pub schema_version: u32,
    pub tool: Tool,
    /// The model file, as given on the command line.
    pub source: String,
    /// The date the analysis was made as of (support dates and review dates are judged on it).
    pub analysed_on: Option<String>,
    pub system: SystemSummary,
    pub summary: Summary,
    pub risk_matrix: RiskMatrix,
    /// The ranked risks: one per root cause and subject, each with the findings that are its
    /// facets (the root cause first).
    pub risks: Risks<'a>,
    /// Findings in rank order: each risk's facets together, root cause first.
    pub findings: Findings<'a>,
    /// Controls that lower no risk and decisions that decide nothing, with the reasons.
    pub bindings: BindingsReport<'a>,
    /// The rules that fired, in code order.
    pub rules: Vec<RuleReport>,
    /// Accepted and transferred risks.
    pub decisions: Vec<DecisionReport<'a>>,
    pub software: Vec<SoftwareReport>,
    pub coverage: CoverageReport,
    pub traceability: Traceability<'a>,
    /// The model's stated assumptions, then every default the analysis applied to an attribute
    /// left out, grouped by attribute and value.
    pub assumptions: Vec<Assumption<'a>>,
    /// Values written as `unknown`: questions the model leaves open.
    pub open_questions: Vec<OpenQuestion>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SystemSummary {
    pub id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub version: Option<String>,
    pub function: Option<String>,
    pub environment: Option<String>,
    pub device_class: Option<String>,
    pub assets: usize,
    pub actors: usize,
    pub components: usize,
    pub stores: usize,
    pub flows: usize,
    pub boundaries: usize,
    pub controls: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Summary {
    /// Ranked risks (findings grouped by root cause and subject).
    pub risks: usize,
    /// Risks that need action: a facet is open or partially mitigated, or has a residual at
    /// review or above without a decision.
    pub needs_action: usize,
    pub findings: usize,
    /// Residual levels: how many findings end at each.
    pub unacceptable: usize,
    pub review: usize,
    pub acceptable: usize,
    pub open: usize,
    pub partially_mitigated: usize,
    pub mitigated: usize,
    pub accepted: usize,
    pub transferred: usize,
    pub multi_patient: usize,
}

/// The acceptance matrix: exploitability rows, harm columns.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RiskMatrix {
    /// Whether the model defines its own (`risk_matrix`).
    pub custom: bool,
    pub harms: Vec<&'static str>,
    pub high: Vec<&'static str>,
    pub medium: Vec<&'static str>,
    pub low: Vec<&'static str>,
}

/// A position in the model file.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RuleRef {
    pub code: &'static str,
    pub name: &'static str,
    pub title: &'static str,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SubjectRef<'a> {
    pub id: &'a str,
    /// flow, actor, component, store, software, boundary or asset.
    pub kind: &'static str,
    pub label: &'a str,
    pub location: Location,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AssetRef<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub harm: &'static str,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Vector<'a> {
    pub vector: &'a str,
    pub score: f64,
    pub severity: &'static str,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Scoring<'a> {
    pub cvss_v31: Vector<'a>,
    pub cvss_v40: Vector<'a>,
    pub exploitability: &'static str,
    /// What the exploitability counts that the vectors leave out: a flaw the model does not
    /// show (CVSS scores a flaw as if it were there).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exploitability_counts: Option<&'static str>,
    pub level: &'static str,
}

/// The exploitability, with what it counts beyond the vector: "low" or "low, counting a flaw
/// not yet known", as the text, Markdown and HTML reports print it.
impl std::fmt::Display for Exploitability<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.exploitability)?;
        match self.0.exploitability_counts {
            Some(counts) => write!(f, ", counting {counts}"),
            None => Ok(()),
        }
    }
}

/// A scoring's exploitability for display (see its `Display`).
#[derive(Debug)]
pub struct Exploitability<'s>(pub &'s Scoring<'s>);

impl Scoring<'_> {
    pub fn exploitability(&self) -> Exploitability<'_> {
        Exploitability(self)
    }
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ControlReport<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub category: Option<&'static str>,
    pub status: &'static str,
    /// The CVSS metrics the control sets, such as `PR:H`.
    pub effect: Vec<String>,
    /// Whether the effect is its category's documented default.
    pub default_effect: bool,
    /// The effect in words: the metrics, or why the control lowers nothing.
    pub effect_text: String,
    pub verified_by: &'a [String],
    /// Why it applies: what it covers and how it answers the rule.
    pub basis: String,
}

/// A control that covers a finding's subject and does not answer it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UnappliedReport<'a> {
    pub id: &'a str,
    pub label: &'a str,
    /// Why it does not apply.
    pub reason: String,
}

/// A value a finding rests on that the model did not state.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AssumedReport<'a> {
    /// The declaration it belongs to.
    pub subject: &'a str,
    /// The attribute, as written in the model (`replay`, `returns.authn`, `update.signed`).
    pub attribute: &'static str,
    /// The value the analysis took.
    pub value: &'a str,
    /// Written as `unknown` (the worst case) rather than left out (the documented default).
    pub unknown: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AttackPathReport<'a> {
    pub cost: u32,
    /// Where the path starts: attacker, hostile_network, internet, radio_range or physical.
    pub entry: &'static str,
    /// Element ids along the path, after the entry.
    pub elements: Vec<&'a str>,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FindingReport<'a> {
    /// Its position in the ranking: findings are ranked as facets of their risks.
    pub rank: usize,
    /// Stable id, `rule-name@subject` (`rule-name@flow.response` on a `<->` flow's response).
    pub id: &'a str,
    /// The id of the risk it is a facet of.
    pub risk: &'a str,
    /// The rank of that risk.
    pub risk_rank: usize,
    /// Its place among the risk's facets (1: the root cause), and how many the risk has.
    pub facet: usize,
    pub facets: usize,
    pub rule: RuleRef,
    pub subject: SubjectRef<'a>,
    /// STRIDE letters, such as `S/T`.
    pub stride: StrideLetters,
    pub assets: Vec<AssetRef<'a>>,
    /// Patient harm (ISO 14971 severity); absent for privacy-only findings.
    pub harm: Option<&'static str>,
    pub explanation: &'a str,
    pub inherent: Scoring<'a>,
    pub residual: Scoring<'a>,
    pub status: &'static str,
    /// What is still missing when the status says mitigated but the residual is at review or
    /// above.
    pub still_missing: Option<String>,
    /// The controls that apply, with why.
    pub controls: Vec<ControlReport<'a>>,
    /// Controls that cover the finding's subject and do not apply, with why (at most
    /// five; `unapplied_more` counts the rest).
    pub unapplied_controls: Vec<UnappliedReport<'a>>,
    pub unapplied_more: usize,
    /// The values the finding rests on that the model did not state.
    pub assumed: Vec<AssumedReport<'a>>,
    pub decision: Option<DecisionReport<'a>>,
    pub attack_path: Option<AttackPathReport<'a>>,
    /// Devices one compromise reaches, when more than one.
    pub multi_patient_reach: Option<u64>,
}

/// A ranked risk: findings that share a root cause and a subject.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RiskReport<'a> {
    pub rank: usize,
    /// Stable id, `family@subject` (`link@bolus`).
    pub id: &'a str,
    /// The root cause: link, flooding, parsing, code, maintenance, exposure, fleet, logging,
    /// storage, privacy or credential.
    pub family: &'static str,
    pub title: &'static str,
    pub subject: SubjectRef<'a>,
    /// Whether it needs action (a facet open, partially mitigated, or at review or above
    /// without a decision).
    pub needs_action: bool,
    /// The most urgent status of its facets.
    pub status: &'static str,
    /// The STRIDE letters of all its facets.
    pub stride: StrideLetters,
    /// Patient harm of its worst facet.
    pub harm: Option<&'static str>,
    /// Its worst facet's scoring (the one that ranks it).
    pub inherent: Scoring<'a>,
    pub residual: Scoring<'a>,
    /// Its findings, the root cause first.
    pub facets: Vec<FacetReport<'a>>,
}

/// A finding as a facet of its risk.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FacetReport<'a> {
    /// The finding's id.
    pub finding: &'a str,
    pub rule: &'static str,
    pub stride: StrideLetters,
    pub status: &'static str,
    pub residual_level: &'static str,
    pub residual_cvss_v31: f64,
    pub residual_cvss_v40: f64,
}

/// What binds to nothing.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BindingsReport<'a> {
    pub dead_controls: Vec<DeadControlReport<'a>>,
    pub unbound_decisions: Vec<UnboundDecisionReport<'a>>,
}

/// A control that lowers no risk.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DeadControlReport<'a> {
    pub control: &'a str,
    pub label: &'a str,
    pub category: Option<&'static str>,
    pub status: &'static str,
    pub location: Location,
    pub reason: &'a str,
}

/// An `accept` or `transfer` that decides nothing.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UnboundDecisionReport<'a> {
    /// accept or transfer.
    pub kind: &'static str,
    pub rule: &'a str,
    pub subject: &'a str,
    pub location: Location,
    pub reason: &'a str,
    /// The rules that fire on its subject.
    pub fires_instead: Vec<&'static str>,
    /// The other leg of the flow, where its rule fires.
    pub leg_instead: Option<&'a str>,
}

/// A rule that fired, with what every finding of it shares: references, the control
/// categories that answer it, and what to do. Findings refer to it by `rule.code`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RuleReport {
    pub code: &'static str,
    pub name: &'static str,
    pub title: &'static str,
    pub stride: String,
    pub cwe: Vec<String>,
    pub capec: Vec<String>,
    pub attack_techniques: Vec<&'static str>,
    /// The FDA control categories that answer it.
    pub control_categories: Vec<&'static str>,
    /// What to do, from the rule's documentation.
    pub mitigation: &'static str,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DecisionReport<'a> {
    /// accept or transfer.
    pub kind: &'static str,
    pub finding: &'a str,
    pub rule: &'a str,
    pub subject: &'a str,
    /// For a transfer: hdo, patient, supplier or third_party.
    pub to: Option<&'static str>,
    pub reason: Option<&'a str>,
    pub labeling: Option<&'a str>,
    pub owner: Option<&'a str>,
    pub review_by: Option<String>,
    /// Whether `review_by` is past on the analysis date.
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SoftwareReport {
    pub id: String,
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
    pub cpe: Option<String>,
    pub supplier: Option<String>,
    pub license: Option<String>,
    pub support: &'static str,
    pub end_of_support: Option<String>,
    /// Whether it still receives security fixes on the analysis date.
    pub supported: bool,
    pub used_by: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CoverageReport {
    pub letters: Vec<&'static str>,
    pub rows: Vec<CoverageRowReport>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CoverageRowReport {
    pub subject: String,
    pub kind: &'static str,
    /// One per letter: not_applicable, clear, finding, mitigated or decided.
    pub cells: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Trace<'a> {
    pub finding: &'a str,
    pub status: &'static str,
    pub controls: Vec<TraceControl<'a>>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TraceControl<'a> {
    pub control: &'a str,
    pub status: &'static str,
    pub verified_by: &'a [String],
}

/// An assumption: stated in the model, or a default the analysis applied.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Assumption<'a> {
    /// An `assumption` declaration.
    Stated { id: &'a str, text: &'a str, location: Location },
    /// A default applied to an attribute left out, on every declaration listed.
    Default {
        /// The keyword of the declarations (`flow`, `component`).
        keyword: &'static str,
        /// The attribute (`replay`, `returns.authn`, `update.signed`).
        attribute: &'a str,
        /// The value assumed.
        value: &'a str,
        /// The declarations it was applied to, in source order.
        subjects: Vec<DefaultSubject<'a>>,
    },
}

/// A declaration a default was applied to.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DefaultSubject<'a> {
    pub id: &'a str,
    /// Where the declaration's id is (the attribute is the one left out, so it has no span).
    pub location: Location,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OpenQuestion {
    pub subject: String,
    pub attribute: String,
    pub location: Location,
}

/// Builds the report of a checked model. The findings' reports are built when they are read.
pub fn build<'a>(source: &str, text: &'a str, model: &'a Model, analysis: &'a Analysis) -> Report<'a> {
    let locator = Locator { text, lines: Arc::new(LineIndex::new(text)) };
    let today = analysis.today;
    let mut fired: Vec<&'static medtm_engine::Rule> = analysis.findings.iter().map(|f| f.rule).collect();
    fired.sort_by_key(|rule| rule.code);
    fired.dedup_by_key(|rule| rule.code);
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool { name: "medtm", version: env!("CARGO_PKG_VERSION") },
        source: source.to_owned(),
        analysed_on: today.map(|date| date.to_string()),
        system: system(model),
        summary: summary(analysis),
        risk_matrix: risk_matrix(model, analysis),
        traceability: Traceability { model, analysis },
        rules: fired.into_iter().map(rule_report).collect(),
        decisions: analysis.findings.iter().filter_map(|finding| decision(model, finding, today)).collect(),
        software: software(model, today),
        coverage: coverage(analysis),
        assumptions: assumptions(model, &locator),
        bindings: bindings(model, analysis, &locator),
        risks: Risks { model, analysis, locator: locator.clone() },
        open_questions: model
            .open_questions
            .iter()
            .map(|q| OpenQuestion {
                subject: q.subject.clone(),
                attribute: q.attribute.clone(),
                location: locator.locate(q.span),
            })
            .collect(),
        findings: Findings { model, analysis, locator },
    }
}

/// Byte offsets to lines and columns in the model's text.
#[derive(Debug, Clone)]
struct Locator<'a> {
    text: &'a str,
    lines: Arc<LineIndex>,
}

impl Locator<'_> {
    fn locate(&self, span: medtm_syntax::Span) -> Location {
        let at = self.lines.line_column(self.text, span.start);
        Location { line: at.line, column: at.column, start: span.start, end: span.end }
    }
}

/// Serialisation for a list built when read (`Findings`, `Risks`, `Traceability`): written as
/// the list its `iter` yields, with that list's schema.
macro_rules! lazy_list {
    ($list:ident, $item:ident) => {
        impl Serialize for $list<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.iter())
            }
        }

        impl JsonSchema for $list<'_> {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> std::borrow::Cow<'static, str> {
                <Vec<$item>>::schema_name()
            }

            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                <Vec<$item>>::json_schema(generator)
            }
        }
    };
}

/// STRIDE letters as written (`S/T/I`), held inline: a report has one for every finding, risk
/// and facet, and a hospital-scale model has hundreds of thousands of them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct StrideLetters {
    text: [u8; 11],
    len: u8,
}

impl StrideLetters {
    /// The letters in the order given, `/` between them (six letters at most, as STRIDE has).
    pub fn new(stride: &[Stride]) -> Self {
        let mut letters = StrideLetters { text: [0; 11], len: 0 };
        for letter in stride.iter().take(6) {
            if letters.len > 0 {
                letters.text[usize::from(letters.len)] = b'/';
                letters.len += 1;
            }
            // STRIDE letters are ASCII.
            letters.text[usize::from(letters.len)] = letter.letter() as u8;
            letters.len += 1;
        }
        letters
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.text[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl std::fmt::Display for StrideLetters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl std::fmt::Debug for StrideLetters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for StrideLetters {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl JsonSchema for StrideLetters {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        String::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

/// The findings of a report, in rank order, as [`FindingReport`]s built when read: in batches,
/// each built over the cores (in sequence where there are no threads, as in the browser), so a
/// renderer holds one batch at a time however many findings there are. Serialises as the list.
#[derive(Clone)]
pub struct Findings<'a> {
    model: &'a Model,
    analysis: &'a Analysis,
    locator: Locator<'a>,
}

impl<'a> Findings<'a> {
    /// Findings per batch: enough to keep the cores busy, few enough to stay small in memory.
    const BATCH: usize = 1024;

    pub fn len(&self) -> usize {
        self.analysis.findings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.analysis.findings.is_empty()
    }

    /// The findings' reports a batch at a time, in rank order.
    pub fn batches(&self) -> impl Iterator<Item = Vec<FindingReport<'a>>> + '_ {
        self.analysis.findings.chunks(Self::BATCH).map(|batch| self.batch(batch))
    }

    /// The findings' reports one at a time, in rank order (built a batch at a time).
    pub fn iter(&self) -> FindingsIter<'_, 'a> {
        FindingsIter {
            findings: self,
            batches: self.analysis.findings.chunks(Self::BATCH),
            batch: Vec::new().into_iter(),
        }
    }

    /// Every finding's report, for readers that need them all at once (the risk diff).
    pub fn to_vec(&self) -> Vec<FindingReport<'a>> {
        self.iter().collect()
    }

    fn report(&self, finding: &'a Finding) -> FindingReport<'a> {
        self::finding(self.model, self.analysis, finding, &self.locator)
    }

    fn batch(&self, batch: &'a [Finding]) -> Vec<FindingReport<'a>> {
        batch.par_iter().map(|f| self.report(f)).collect()
    }
}

/// [`Findings::iter`]: the reports of one batch, then the next.
#[derive(Debug)]
pub struct FindingsIter<'r, 'a> {
    findings: &'r Findings<'a>,
    batches: std::slice::Chunks<'a, Finding>,
    batch: std::vec::IntoIter<FindingReport<'a>>,
}

impl<'a> Iterator for FindingsIter<'_, 'a> {
    type Item = FindingReport<'a>;

    fn next(&mut self) -> Option<FindingReport<'a>> {
        loop {
            if let Some(report) = self.batch.next() {
                return Some(report);
            }
            self.batch = self.findings.batch(self.batches.next()?).into_iter();
        }
    }
}

impl<'r, 'a> IntoIterator for &'r Findings<'a> {
    type Item = FindingReport<'a>;
    type IntoIter = FindingsIter<'r, 'a>;

    fn into_iter(self) -> FindingsIter<'r, 'a> {
        self.iter()
    }
}

impl std::fmt::Debug for Findings<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Findings({})", self.len())
    }
}

lazy_list!(Findings, FindingReport);

fn system(model: &Model) -> SystemSummary {
    let count = |kind: fn(&ElementKind) -> bool| model.elements.iter().filter(|e| kind(&e.kind)).count();
    let system = model.system.as_ref();
    SystemSummary {
        id: system.map(|s| s.meta.id.clone()),
        name: system.map(|s| s.meta.label.clone()),
        description: system.and_then(|s| s.meta.doc.clone()),
        version: system.and_then(|s| s.version.clone()),
        function: system.map(|s| s.function.value.as_str().to_owned()),
        environment: system.map(|s| s.environment.value.as_str().to_owned()),
        device_class: system.and_then(|s| s.device_class.clone()),
        assets: model.assets.len(),
        actors: count(|k| matches!(k, ElementKind::Actor(_))),
        components: count(|k| matches!(k, ElementKind::Component(_))),
        stores: count(|k| matches!(k, ElementKind::Store(_))),
        flows: model.flows.len(),
        boundaries: model.boundaries.len(),
        controls: model.controls.len(),
    }
}

/// How many findings and risks the analysis has, by level and status.
pub fn summary(analysis: &Analysis) -> Summary {
    use medtm_model::vocab::RiskLevel;
    let findings = &analysis.findings;
    let level = |level: RiskLevel| findings.iter().filter(|f| f.residual.level == level).count();
    let status = |status: Status| findings.iter().filter(|f| f.status == status).count();
    Summary {
        risks: analysis.risks.len(),
        needs_action: analysis.risks.iter().filter(|risk| risk.needs_action).count(),
        findings: findings.len(),
        unacceptable: level(RiskLevel::Unacceptable),
        review: level(RiskLevel::Review),
        acceptable: level(RiskLevel::Acceptable),
        open: status(Status::Open),
        partially_mitigated: status(Status::PartiallyMitigated),
        mitigated: status(Status::Mitigated),
        accepted: status(Status::Accepted),
        transferred: status(Status::Transferred),
        multi_patient: findings.iter().filter(|f| f.fleet_reach.is_some()).count(),
    }
}

fn risk_matrix(model: &Model, analysis: &Analysis) -> RiskMatrix {
    use medtm_model::vocab::Harm;
    let row = |index: usize| analysis.matrix[index].iter().map(|level| level.as_str()).collect();
    RiskMatrix {
        custom: model.risk_matrix.is_some(),
        harms: Harm::ALL.iter().map(|harm| harm.as_str()).collect(),
        high: row(0),
        medium: row(1),
        low: row(2),
    }
}

fn scoring<'a>(assessment: &'a medtm_engine::scoring::Assessment) -> Scoring<'a> {
    let vector = |scored: &'a medtm_cvss::Scored| Vector {
        vector: &scored.vector,
        score: scored.score,
        severity: scored.severity.as_str(),
    };
    Scoring {
        cvss_v31: vector(&assessment.v31),
        cvss_v40: vector(&assessment.v40),
        exploitability: assessment.exploitability.as_str(),
        exploitability_counts: assessment.unproven_flaw.then_some("a flaw not yet known"),
        level: assessment.level.as_str(),
    }
}

fn finding<'a>(
    model: &'a Model,
    analysis: &'a Analysis,
    finding: &'a Finding,
    locator: &Locator<'_>,
) -> FindingReport<'a> {
    let (risks, today) = (&analysis.risks, analysis.today);
    let rule = finding.rule;
    let meta = model.subject_meta(finding.subject);
    let controls = finding
        .controls
        .iter()
        .map(|applied| {
            let control = &model.controls[applied.control.index()];
            ControlReport {
                id: &control.meta.id,
                label: &control.meta.label,
                category: control.category.value.map(medtm_model::vocab::Vocabulary::as_str),
                status: applied.status.as_str(),
                effect: applied.effect(model).iter().map(|(metric, value)| format!("{metric}:{value}")).collect(),
                default_effect: applied.default_effect(),
                effect_text: applied.effect_text(model),
                verified_by: &control.verified_by,
                basis: applied.basis_text(model, rule, finding.subject),
            }
        })
        .collect();
    let unapplied_controls = finding
        .unapplied
        .iter()
        .take(medtm_engine::controls::UNAPPLIED_LISTED)
        .map(|unapplied| {
            let control = &model.controls[unapplied.control.index()];
            UnappliedReport {
                id: &control.meta.id,
                label: &control.meta.label,
                reason: unapplied.reason(model, rule, finding.subject),
            }
        })
        .collect();
    let assumed = finding
        .assumed
        .iter()
        .map(|fact| AssumedReport {
            subject: model.subject_id(fact.owner),
            attribute: fact.attribute,
            value: &fact.value,
            unknown: fact.unknown,
        })
        .collect();
    let decision = decision(model, finding, today);
    let attack_path = finding.attack_path.as_ref().map(|path| {
        let mut elements: Vec<&str> = Vec::with_capacity(path.hops.len() + 1);
        if let paths::Entry::HostileNetwork { element } | paths::Entry::Attacker { actor: element } = path.entry {
            elements.push(&model.element(element).meta.id);
        }
        elements.extend(path.hops.iter().map(|hop| model.element(hop.to).meta.id.as_str()));
        AttackPathReport {
            cost: path.cost,
            entry: match path.entry {
                paths::Entry::Attacker { .. } => "attacker",
                paths::Entry::HostileNetwork { .. } => "hostile_network",
                paths::Entry::Internet => "internet",
                paths::Entry::RadioRange => "radio_range",
                paths::Entry::Physical => "physical",
            },
            elements,
            text: paths::describe(model, path),
        }
    });
    FindingReport {
        rank: finding.rank,
        id: &finding.id,
        risk: &risks[finding.risk].id,
        risk_rank: risks[finding.risk].rank,
        facet: finding.rank - risks[finding.risk].facets.start,
        facets: risks[finding.risk].facets.len(),
        rule: RuleRef { code: rule.code, name: rule.name, title: rule.title },
        subject: SubjectRef {
            id: &meta.id,
            kind: model.subject_kind(finding.subject),
            label: &meta.label,
            location: locator.locate(meta.id_span),
        },
        stride: StrideLetters::new(rule.stride),
        assets: finding
            .assets
            .iter()
            .map(|id| {
                let asset = model.asset(*id);
                AssetRef { id: &asset.meta.id, label: &asset.meta.label, harm: asset.harm.value.as_str() }
            })
            .collect(),
        harm: finding.harm.map(medtm_model::vocab::Vocabulary::as_str),
        explanation: &finding.explanation,
        inherent: scoring(&finding.inherent),
        residual: scoring(&finding.residual),
        status: finding.status.as_str(),
        still_missing: finding.still_missing(&analysis.matrix),
        controls,
        unapplied_controls,
        unapplied_more: finding.unapplied.len().saturating_sub(medtm_engine::controls::UNAPPLIED_LISTED),
        assumed,
        decision,
        attack_path,
        multi_patient_reach: finding.fleet_reach,
    }
}

/// The decision (`accept` or `transfer`) on a finding, if any.
fn decision<'a>(
    model: &'a Model,
    finding: &'a Finding,
    today: Option<jiff::civil::Date>,
) -> Option<DecisionReport<'a>> {
    finding.decision.map(|index| {
        let decision = &model.decisions[index];
        let review_by = decision.review_by;
        DecisionReport {
            kind: match decision.kind {
                DecisionKind::Accept => "accept",
                DecisionKind::Transfer { .. } => "transfer",
            },
            finding: &finding.id,
            rule: &decision.rule.name,
            subject: model.subject_id(finding.subject),
            to: match decision.kind {
                DecisionKind::Transfer { to } => Some(to.as_str()),
                DecisionKind::Accept => None,
            },
            reason: decision.reason.as_deref(),
            labeling: decision.labeling.as_deref(),
            owner: decision.owner.as_deref(),
            review_by: review_by.map(|date| date.to_string()),
            overdue: review_by.zip(today).is_some_and(|(review_by, today)| review_by < today),
        }
    })
}

/// The ranked risks of a report, as [`RiskReport`]s built when read (a hospital-scale model has
/// hundreds of thousands). Serialises as the list.
#[derive(Clone)]
pub struct Risks<'a> {
    model: &'a Model,
    analysis: &'a Analysis,
    locator: Locator<'a>,
}

impl<'a> Risks<'a> {
    pub fn len(&self) -> usize {
        self.analysis.risks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.analysis.risks.is_empty()
    }

    /// The risks' reports in rank order.
    pub fn iter(&self) -> impl Iterator<Item = RiskReport<'a>> + '_ {
        self.analysis.risks.iter().map(|risk| self.report(risk))
    }

    /// The risks' reports a batch at a time, in rank order, each batch built over the cores (as
    /// [`Findings::batches`]).
    pub fn batches(&self) -> impl Iterator<Item = Vec<RiskReport<'a>>> + '_ {
        self.analysis
            .risks
            .chunks(Findings::BATCH)
            .map(|batch| batch.par_iter().map(|risk| self.report(risk)).collect())
    }

    fn report(&self, risk: &'a Risk) -> RiskReport<'a> {
        let model = self.model;
        let facets = &self.analysis.findings[risk.facets.clone()];
        let worst = &self.analysis.findings[risk.worst];
        let meta = model.subject_meta(risk.subject);
        let letters: Vec<Stride> = Stride::ALL
            .into_iter()
            .filter(|letter| facets.iter().any(|facet| facet.rule.stride.contains(letter)))
            .collect();
        let status = facets.iter().map(|facet| facet.status).min().unwrap_or(Status::Open);
        RiskReport {
            rank: risk.rank,
            id: &risk.id,
            family: risk.family.name(),
            title: risk.family.title(),
            subject: SubjectRef {
                id: &meta.id,
                kind: model.subject_kind(risk.subject),
                label: &meta.label,
                location: self.locator.locate(meta.id_span),
            },
            needs_action: risk.needs_action,
            status: status.as_str(),
            stride: StrideLetters::new(&letters),
            harm: worst.harm.map(medtm_model::vocab::Vocabulary::as_str),
            inherent: scoring(&worst.inherent),
            residual: scoring(&worst.residual),
            facets: facets
                .iter()
                .map(|facet| FacetReport {
                    finding: &facet.id,
                    rule: facet.rule.name,
                    stride: StrideLetters::new(facet.rule.stride),
                    status: facet.status.as_str(),
                    residual_level: facet.residual.level.as_str(),
                    residual_cvss_v31: facet.residual.v31.score,
                    residual_cvss_v40: facet.residual.v40.score,
                })
                .collect(),
        }
    }
}

impl std::fmt::Debug for Risks<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Risks({})", self.len())
    }
}

lazy_list!(Risks, RiskReport);

fn bindings<'a>(model: &'a Model, analysis: &'a Analysis, locator: &Locator<'_>) -> BindingsReport<'a> {
    BindingsReport {
        dead_controls: analysis
            .bindings
            .dead_controls
            .iter()
            .map(|dead| {
                let control = &model.controls[dead.control.index()];
                DeadControlReport {
                    control: &control.meta.id,
                    label: &control.meta.label,
                    category: control.category.value.map(medtm_model::vocab::Vocabulary::as_str),
                    status: control.status.value.as_str(),
                    location: locator.locate(control.meta.id_span),
                    reason: &dead.reason,
                }
            })
            .collect(),
        unbound_decisions: analysis
            .bindings
            .unbound_decisions
            .iter()
            .map(|unbound| {
                let decision = &model.decisions[unbound.decision];
                UnboundDecisionReport {
                    kind: match decision.kind {
                        DecisionKind::Accept => "accept",
                        DecisionKind::Transfer { .. } => "transfer",
                    },
                    rule: &decision.rule.name,
                    subject: model.subject_id(decision.target),
                    location: locator.locate(decision.rule.span),
                    reason: &unbound.reason,
                    fires_instead: unbound.fires_instead.clone(),
                    leg_instead: unbound.leg_instead.map(|leg| model.subject_id(leg)),
                }
            })
            .collect(),
    }
}

/// The stated assumptions, then the defaults applied, grouped by keyword, attribute and value in
/// the order each group first appears in the file.
fn assumptions<'a>(model: &'a Model, locator: &Locator<'_>) -> Vec<Assumption<'a>> {
    let mut out: Vec<Assumption<'a>> = model
        .assumptions
        .iter()
        .map(|a| Assumption::Stated { id: &a.meta.id, text: &a.text, location: locator.locate(a.meta.id_span) })
        .collect();
    let mut groups: std::collections::HashMap<(&str, &str, &str), usize> = std::collections::HashMap::new();
    for default in &model.defaults {
        let subject = DefaultSubject { id: &default.subject, location: locator.locate(default.span) };
        let key = (default.keyword, &*default.attribute, &*default.value);
        let index = *groups.entry(key).or_insert_with(|| {
            out.push(Assumption::Default {
                keyword: default.keyword,
                attribute: &default.attribute,
                value: &default.value,
                subjects: Vec::new(),
            });
            out.len() - 1
        });
        if let Assumption::Default { subjects, .. } = &mut out[index] {
            subjects.push(subject);
        }
    }
    out
}

fn rule_report(rule: &'static medtm_engine::Rule) -> RuleReport {
    RuleReport {
        code: rule.code,
        name: rule.name,
        title: rule.title,
        stride: stride_letters(rule.stride),
        cwe: rule.cwe.iter().map(|id| format!("CWE-{id}")).collect(),
        capec: rule.capec.iter().map(|id| format!("CAPEC-{id}")).collect(),
        attack_techniques: rule.attack_techniques.to_vec(),
        control_categories: rule.answered_by().iter().map(|c| c.as_str()).collect(),
        mitigation: rule.docs.mitigate,
    }
}

impl Report<'_> {
    /// The shared data of a finding's rule.
    pub fn rule(&self, code: &str) -> Option<&RuleReport> {
        self.rules.binary_search_by(|rule| rule.code.cmp(code)).ok().map(|index| &self.rules[index])
    }
}

fn software(model: &Model, today: Option<jiff::civil::Date>) -> Vec<SoftwareReport> {
    model
        .software
        .iter()
        .enumerate()
        .map(|(index, software)| {
            let id = medtm_model::model::SoftwareId(index as u32);
            let used_by = model
                .elements
                .iter()
                .filter(|element| element.as_component().is_some_and(|c| c.software.contains(&id)))
                .map(|element| element.meta.id.clone())
                .collect();
            let ended = software.end_of_support.zip(today).is_some_and(|(end, today)| end < today);
            SoftwareReport {
                id: software.meta.id.clone(),
                name: software.meta.label.clone(),
                version: software.version.clone(),
                purl: software.purl.clone(),
                cpe: software.cpe.clone(),
                supplier: software.supplier.clone(),
                license: software.license.clone(),
                support: software.support.value.as_str(),
                end_of_support: software.end_of_support.map(|date| date.to_string()),
                supported: software.support.value == medtm_model::vocab::Support::Maintained && !ended,
                used_by,
            }
        })
        .collect()
}

fn coverage(analysis: &Analysis) -> CoverageReport {
    let cell = |cell: Coverage| match cell {
        Coverage::NotApplicable => "not_applicable",
        Coverage::Clear => "clear",
        Coverage::Finding => "finding",
        Coverage::Mitigated => "mitigated",
        Coverage::Decided => "decided",
    };
    CoverageReport {
        letters: vec!["S", "T", "R", "I", "D", "E"],
        rows: analysis
            .coverage
            .iter()
            .map(|row| CoverageRowReport {
                subject: row.subject_id.clone(),
                kind: row.kind,
                cells: row.cells.iter().map(|c| cell(*c)).collect(),
            })
            .collect(),
    }
}

/// Each finding that controls answer, with the controls and their evidence: built when read, as
/// a projection of the findings (on a hospital-scale model most findings have a control).
/// Serialises as the list.
#[derive(Clone, Copy)]
pub struct Traceability<'a> {
    model: &'a Model,
    analysis: &'a Analysis,
}

impl<'a> Traceability<'a> {
    pub fn is_empty(&self) -> bool {
        !self.analysis.findings.iter().any(|finding| !finding.controls.is_empty())
    }

    /// The traces, in rank order.
    pub fn iter(&self) -> impl Iterator<Item = Trace<'a>> + 'a {
        let model = self.model;
        self.analysis.findings.iter().filter(|finding| !finding.controls.is_empty()).map(move |finding| Trace {
            finding: &finding.id,
            status: finding.status.as_str(),
            controls: finding
                .controls
                .iter()
                .map(|applied| {
                    let control = &model.controls[applied.control.index()];
                    TraceControl {
                        control: &control.meta.id,
                        status: match applied.status {
                            ControlStatus::Implemented => "implemented",
                            ControlStatus::Partial => "partial",
                            ControlStatus::Planned => "planned",
                        },
                        verified_by: &control.verified_by,
                    }
                })
                .collect(),
        })
    }
}

impl std::fmt::Debug for Traceability<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Traceability")
    }
}

lazy_list!(Traceability, Trace);
