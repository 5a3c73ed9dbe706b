//! The risk diff between two versions of a model: risks added, resolved and changed, matched by
//! their stable id (`rule-name@subject`), for the terminal, a pull-request comment (Markdown) and
//! tools (JSON, with its own `schema_version`). Pure: built from the two versions' [`Report`]s.
//!
//! A risk has changed when its residual level, either residual CVSS score, its status or its
//! inherent level differs; a new rank alone is no change (every added risk moves the others).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use medtm_model::vocab::{RiskLevel, Vocabulary as _};
use owo_colors::OwoColorize as _;
use schemars::JsonSchema;
use serde::Serialize;

use crate::dto::{FindingReport, Report};

/// The version of the diff's JSON shape. Raise it when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

/// What changed in the risks between two versions of a model.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Diff {
    pub schema_version: u32,
    pub old: Version,
    pub new: Version,
    pub summary: DiffSummary,
    /// Risks only the new version has, in its rank order.
    pub added: Vec<Risk>,
    /// Risks only the old version had, in its rank order.
    pub resolved: Vec<Risk>,
    /// Risks in both versions whose residual level, residual score, status or inherent level
    /// differs, in the new version's rank order.
    pub changed: Vec<Change>,
}

/// One side of the diff.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Version {
    /// The model file, as given on the command line.
    pub source: String,
    pub system: Option<String>,
    /// The system's `version`.
    pub version: Option<String>,
    pub analysed_on: Option<String>,
    pub findings: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DiffSummary {
    pub added: usize,
    /// Added risks whose residual level is unacceptable.
    pub added_unacceptable: usize,
    /// Added risks whose residual level is review.
    pub added_review: usize,
    pub resolved: usize,
    pub changed: usize,
    /// Changed risks whose trend is `worse`.
    pub worse: usize,
    /// Changed risks whose trend is `better`.
    pub better: usize,
    /// Risks in both versions with nothing changed.
    pub unchanged: usize,
}

/// A finding as the diff shows it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Risk {
    /// Stable id, `rule-name@subject`.
    pub id: String,
    /// The rule's code, such as `MTM001`.
    pub rule: &'static str,
    pub title: &'static str,
    pub subject: String,
    /// flow, actor, component, store, software, boundary or asset.
    pub subject_kind: &'static str,
    /// STRIDE letters, such as `S/T`.
    pub stride: String,
    /// Patient harm; absent for privacy-only findings.
    pub harm: Option<&'static str>,
    #[serde(flatten)]
    pub state: State,
}

/// What may change about a risk between versions.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct State {
    /// The 1-based position in its version's ranking.
    pub rank: usize,
    pub inherent_level: &'static str,
    pub residual_level: &'static str,
    pub residual_cvss_v31: f64,
    pub residual_cvss_v40: f64,
    /// open, partially mitigated, mitigated, accepted or transferred.
    pub status: &'static str,
}

/// A risk in both versions, with what differs.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Change {
    pub id: String,
    pub rule: &'static str,
    pub title: &'static str,
    pub trend: Trend,
    /// What differs: `residual_level`, `residual_cvss_v31`, `residual_cvss_v40`, `status`,
    /// `inherent_level`, in that order.
    pub fields: Vec<&'static str>,
    pub old: State,
    pub new: State,
}

/// Which way a changed risk went: by residual level, then residual CVSS v3.1 and v4.0 score,
/// then status (open, then partially mitigated, then closed by a control or a decision).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Worse,
    Better,
    /// Neither: only the inherent level moved, or a status changed between mitigated,
    /// accepted and transferred.
    Changed,
}

impl Trend {
    pub const fn as_str(self) -> &'static str {
        match self {
            Trend::Worse => "worse",
            Trend::Better => "better",
            Trend::Changed => "changed",
        }
    }
}

/// Compares two reports of a model: `old` before the change, `new` after it.
pub fn diff(old: &Report, new: &Report) -> Diff {
    let (old_findings, new_findings) = (old.findings.to_vec(), new.findings.to_vec());
    let old_by_id: BTreeMap<&str, &FindingReport> = old_findings.iter().map(|f| (f.id, f)).collect();
    let new_ids: BTreeSet<&str> = new_findings.iter().map(|f| f.id).collect();
    let mut added = Vec::new();
    let mut changed = Vec::new();
    let mut unchanged = 0;
    // Reports list findings in rank order, so each list comes out ranked.
    for finding in &new_findings {
        match old_by_id.get(finding.id) {
            None => added.push(risk(finding)),
            Some(before) => match change(before, finding) {
                Some(change) => changed.push(change),
                None => unchanged += 1,
            },
        }
    }
    let resolved: Vec<Risk> = old_findings.iter().filter(|f| !new_ids.contains(f.id)).map(risk).collect();
    let added_at = |level: RiskLevel| added.iter().filter(|r: &&Risk| r.state.residual() == level).count();
    let trend = |trend: Trend| changed.iter().filter(|c: &&Change| c.trend == trend).count();
    let summary = DiffSummary {
        added: added.len(),
        added_unacceptable: added_at(RiskLevel::Unacceptable),
        added_review: added_at(RiskLevel::Review),
        resolved: resolved.len(),
        changed: changed.len(),
        worse: trend(Trend::Worse),
        better: trend(Trend::Better),
        unchanged,
    };
    Diff { schema_version: SCHEMA_VERSION, old: version(old), new: version(new), summary, added, resolved, changed }
}

fn version(report: &Report) -> Version {
    Version {
        source: report.source.clone(),
        system: report.system.id.clone(),
        version: report.system.version.clone(),
        analysed_on: report.analysed_on.clone(),
        findings: report.findings.len(),
    }
}

fn state(finding: &FindingReport) -> State {
    State {
        rank: finding.rank,
        inherent_level: finding.inherent.level,
        residual_level: finding.residual.level,
        residual_cvss_v31: finding.residual.cvss_v31.score,
        residual_cvss_v40: finding.residual.cvss_v40.score,
        status: finding.status,
    }
}

fn risk(finding: &FindingReport) -> Risk {
    Risk {
        id: finding.id.to_owned(),
        rule: finding.rule.code,
        title: finding.rule.title,
        subject: finding.subject.id.to_owned(),
        subject_kind: finding.subject.kind,
        stride: finding.stride.to_string(),
        harm: finding.harm,
        state: state(finding),
    }
}

fn change(old: &FindingReport, new: &FindingReport) -> Option<Change> {
    let (old, new_state) = (state(old), state(new));
    let fields: Vec<&'static str> = [
        ("residual_level", old.residual_level != new_state.residual_level),
        ("residual_cvss_v31", tenths(old.residual_cvss_v31) != tenths(new_state.residual_cvss_v31)),
        ("residual_cvss_v40", tenths(old.residual_cvss_v40) != tenths(new_state.residual_cvss_v40)),
        ("status", old.status != new_state.status),
        ("inherent_level", old.inherent_level != new_state.inherent_level),
    ]
    .into_iter()
    .filter_map(|(field, differs)| differs.then_some(field))
    .collect();
    if fields.is_empty() {
        return None;
    }
    let trend = match new_state.exposure().cmp(&old.exposure()) {
        Ordering::Greater => Trend::Worse,
        Ordering::Less => Trend::Better,
        Ordering::Equal => Trend::Changed,
    };
    Some(Change {
        id: new.id.to_owned(),
        rule: new.rule.code,
        title: new.rule.title,
        trend,
        fields,
        old,
        new: new_state,
    })
}

/// A CVSS score in tenths: scores have one decimal, and comparing them so needs no tolerance.
fn tenths(score: f64) -> i64 {
    (score * 10.0).round() as i64
}

impl State {
    /// The residual level; a report only holds the vocabulary's words, so anything else would
    /// be taken as the worst.
    pub fn residual(&self) -> RiskLevel {
        RiskLevel::from_word(self.residual_level).unwrap_or(RiskLevel::WORST)
    }

    /// Whether nothing closes the risk: no implemented control and no decision.
    pub fn is_open(&self) -> bool {
        matches!(self.status, "open" | "partially mitigated")
    }

    /// How exposed the patient is, worst greatest: the order of [`Trend`].
    fn exposure(&self) -> (RiskLevel, i64, i64, u8) {
        let status = match self.status {
            "open" => 2,
            "partially mitigated" => 1,
            _ => 0,
        };
        (self.residual(), tenths(self.residual_cvss_v31), tenths(self.residual_cvss_v40), status)
    }
}

impl Change {
    /// Whether the change made the risk more pressing: its residual level rose, or it is open
    /// (or only partially mitigated) again after a control or a decision had closed it.
    pub fn escalated(&self) -> bool {
        self.new.residual() > self.old.residual() || (self.new.is_open() && !self.old.is_open())
    }
}

impl Diff {
    /// The risks that fail `--fail-on-new` at `threshold`: new risks, and changed risks that
    /// [escalated](Change::escalated), that are open (or only partially mitigated) with a
    /// residual level at or above the threshold. In the order the diff lists them.
    pub fn failing(&self, threshold: RiskLevel) -> Vec<&str> {
        let at_or_above = |state: &State| state.is_open() && state.residual() >= threshold;
        let added = self.added.iter().filter(|risk| at_or_above(&risk.state)).map(|risk| risk.id.as_str());
        let changed = self
            .changed
            .iter()
            .filter(|change| change.escalated() && at_or_above(&change.new))
            .map(|change| change.id.as_str());
        added.chain(changed).collect()
    }

    /// Whether no risk was added, resolved or changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.resolved.is_empty() && self.changed.is_empty()
    }

    /// One line for a pull request's reader: "2 new risks (1 unacceptable), 1 resolved, 3
    /// changed (1 worse)", or "No risk changed".
    pub fn summary_line(&self) -> String {
        if self.is_empty() {
            return "No risk changed".to_owned();
        }
        let s = &self.summary;
        let mut parts = Vec::new();
        if s.added > 0 {
            let grave: Vec<String> = [(s.added_unacceptable, "unacceptable"), (s.added_review, "review")]
                .into_iter()
                .filter(|(count, _)| *count > 0)
                .map(|(count, level)| format!("{count} {level}"))
                .collect();
            let grave = if grave.is_empty() { String::new() } else { format!(" ({})", grave.join(", ")) };
            parts.push(format!("{} new risk{}{grave}", s.added, plural(s.added)));
        }
        if s.resolved > 0 {
            parts.push(format!("{} resolved", s.resolved));
        }
        if s.changed > 0 {
            let worse = if s.worse > 0 { format!(" ({} worse)", s.worse) } else { String::new() };
            parts.push(format!("{} changed{worse}", s.changed));
        }
        parts.join(", ")
    }

    /// "models/a.mtm (2.2.0) → models/b.mtm (2.3.0), as of 2026-11-28; 21 → 22 findings, 17 unchanged"
    fn versions_line(&self, quote: fn(&str) -> String) -> String {
        let side = |version: &Version| {
            let number = version.version.as_deref().map_or_else(String::new, |v| format!(" ({})", quote(v)));
            format!("{}{number}", quote(&version.source))
        };
        let date = self.new.analysed_on.as_deref().map_or_else(String::new, |date| format!(", as of {date}"));
        format!(
            "{} → {}{date}; {} → {} findings, {} unchanged",
            side(&self.old),
            side(&self.new),
            self.old.findings,
            self.new.findings,
            self.summary.unchanged
        )
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// "old → new" when they differ, else the value.
fn transition(old: &str, new: &str) -> String {
    if old == new { new.to_owned() } else { format!("{old} → {new}") }
}

/// The diff as pretty JSON, with a trailing newline.
pub fn json(diff: &Diff) -> String {
    // The diff serialises infallibly (no maps with non-string keys, no failing serialisers).
    let mut json = serde_json::to_string_pretty(diff).unwrap_or_default();
    json.push('\n');
    json
}

/// The JSON Schema of [`Diff`].
pub fn json_schema() -> String {
    let mut json = serde_json::to_string_pretty(&schemars::schema_for!(Diff)).unwrap_or_default();
    json.push('\n');
    json
}

/// The diff for the terminal, with ANSI colours when `color` is set.
pub fn text(diff: &Diff, color: bool) -> String {
    let paint = Paint { color };
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", paint.bold("medtm diff:"), diff.versions_line(str::to_owned));
    let _ = writeln!(out, "\n{}", diff.summary_line());
    let columns = |out: &mut String, rank: &str| {
        let _ = writeln!(
            out,
            "  {rank:>4}  {:<12}  {:>4}  {:>4}  {:<12}  {:<19}  finding",
            "residual", "v4.0", "v3.1", "harm", "status"
        );
    };
    let row = |out: &mut String, risk: &Risk| {
        let state = &risk.state;
        let _ = writeln!(
            out,
            "  {:>4}  {}  {:>4.1}  {:>4.1}  {:<12}  {:<19}  {}",
            state.rank,
            // Padded before painting so that escape codes do not upset the columns.
            paint.level(&format!("{:<12}", state.residual_level), state.residual_level),
            state.residual_cvss_v40,
            state.residual_cvss_v31,
            risk.harm.unwrap_or("none"),
            state.status,
            risk.id
        );
    };
    if !diff.added.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("NEW RISKS"));
        columns(&mut out, "#");
        diff.added.iter().for_each(|risk| row(&mut out, risk));
    }
    if !diff.resolved.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("RESOLVED (rank and values as they were)"));
        columns(&mut out, "was");
        diff.resolved.iter().for_each(|risk| row(&mut out, risk));
    }
    if !diff.changed.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("CHANGED (old → new)"));
        let _ = writeln!(out, "  {:>4}  {:<12}  finding", "#", "residual");
        let level = |old: &'static str, new: &'static str| {
            if old == new {
                paint.level(new, new)
            } else {
                format!("{} → {}", paint.level(old, old), paint.level(new, new))
            }
        };
        for change in &diff.changed {
            let (old, new) = (&change.old, &change.new);
            let _ = writeln!(
                out,
                "  {:>4}  {}  {} {}",
                new.rank,
                paint.level(&format!("{:<12}", new.residual_level), new.residual_level),
                change.id,
                paint.trend(change.trend)
            );
            for field in &change.fields {
                let (name, value) = match *field {
                    "residual_level" => ("residual", level(old.residual_level, new.residual_level)),
                    "residual_cvss_v31" => {
                        ("v3.1", format!("{:.1} → {:.1} (residual)", old.residual_cvss_v31, new.residual_cvss_v31))
                    }
                    "residual_cvss_v40" => {
                        ("v4.0", format!("{:.1} → {:.1} (residual)", old.residual_cvss_v40, new.residual_cvss_v40))
                    }
                    "status" => ("status", transition(old.status, new.status)),
                    _ => ("inherent", level(old.inherent_level, new.inherent_level)),
                };
                let _ = writeln!(out, "  {:20}{name:<9} {value}", "");
            }
        }
    }
    out
}

/// The diff as Markdown for a pull-request comment: the summary as its heading, then a table per
/// kind of change. Every value from the model is in a code span, so it cannot start HTML or
/// break a table.
pub fn markdown(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### medtm risk diff: {}\n", diff.summary_line());
    let _ = writeln!(out, "{}\n", diff.versions_line(code));
    if diff.is_empty() {
        let _ = writeln!(out, "No risk was added, resolved or changed.");
        return out;
    }
    if !diff.added.is_empty() {
        let _ = writeln!(out, "#### New risks\n");
        let _ = writeln!(
            out,
            "| # | Finding | Title | Harm | Residual | CVSS 3.1 | CVSS 4.0 | Status |\n|---:|---|---|---|---|---:|---:|---|"
        );
        for risk in &diff.added {
            let state = &risk.state;
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | **{}** | {:.1} | {:.1} | {} |",
                state.rank,
                code(&risk.id),
                risk.title,
                risk.harm.unwrap_or("none"),
                state.residual_level,
                state.residual_cvss_v31,
                state.residual_cvss_v40,
                state.status
            );
        }
        out.push('\n');
    }
    if !diff.resolved.is_empty() {
        let _ = writeln!(out, "#### Resolved\n");
        let _ = writeln!(out, "| Was # | Finding | Title | Harm | Residual | Status |\n|---:|---|---|---|---|---|");
        for risk in &diff.resolved {
            let state = &risk.state;
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                state.rank,
                code(&risk.id),
                risk.title,
                risk.harm.unwrap_or("none"),
                state.residual_level,
                state.status
            );
        }
        out.push('\n');
    }
    if !diff.changed.is_empty() {
        let _ = writeln!(out, "#### Changed (old → new)\n");
        let _ = writeln!(
            out,
            "| # | Finding | Trend | Residual | CVSS 3.1 | CVSS 4.0 | Status | Inherent |\n|---:|---|---|---|---|---|---|---|"
        );
        for change in &diff.changed {
            let (old, new) = (&change.old, &change.new);
            let score = |old: f64, new: f64| {
                if tenths(old) == tenths(new) { format!("{new:.1}") } else { format!("{old:.1} → {new:.1}") }
            };
            let trend = match change.trend {
                Trend::Worse => "**worse**",
                trend => trend.as_str(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {trend} | {} | {} | {} | {} | {} |",
                new.rank,
                code(&change.id),
                transition(old.residual_level, new.residual_level),
                score(old.residual_cvss_v31, new.residual_cvss_v31),
                score(old.residual_cvss_v40, new.residual_cvss_v40),
                transition(old.status, new.status),
                transition(old.inherent_level, new.inherent_level)
            );
        }
        out.push('\n');
    }
    out
}

/// A Markdown code span holding `text` safely in a table cell: fenced by more backticks than any
/// run inside it (padded when it starts or ends with one), with pipes escaped and line breaks
/// as spaces.
fn code(text: &str) -> String {
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    let body = text.replace('|', "\\|").replace(['\n', '\r'], " ");
    format!("{fence}{pad}{body}{pad}{fence}")
}

#[derive(Clone, Copy)]
struct Paint {
    color: bool,
}

impl Paint {
    /// `text` coloured by the risk level `level`.
    fn level(self, text: &str, level: &str) -> String {
        if !self.color {
            return text.to_owned();
        }
        match level {
            "unacceptable" => text.red().bold().to_string(),
            "review" => text.yellow().to_string(),
            _ => text.green().to_string(),
        }
    }

    fn trend(self, trend: Trend) -> String {
        let word = format!("({})", trend.as_str());
        match (self.color, trend) {
            (false, _) | (true, Trend::Changed) => word,
            (true, Trend::Worse) => word.red().bold().to_string(),
            (true, Trend::Better) => word.green().to_string(),
        }
    }

    fn bold(self, text: &str) -> String {
        if self.color { text.bold().to_string() } else { text.to_owned() }
    }
}

#[cfg(test)]
mod tests {
    use super::code;

    #[test]
    fn code_spans_hold_backticks_pipes_and_html() {
        assert_eq!(code("models/a.mtm"), "`models/a.mtm`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("a|b<img>"), "`a\\|b<img>`");
    }
}
