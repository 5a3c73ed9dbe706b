//! The tools `medtm mcp` offers: their arguments (whose JSON Schemas the assistant sees), their
//! descriptions, and what each does, by the same code paths as the command line's subcommands.
//!
//! Each tool is a plain function from its arguments to an [`Answer`] or a message; the server
//! (`super`) turns a message into a tool error result. Nothing here panics on bad input, and
//! nothing writes to standard output (the protocol's channel).

use medtm_report::diagnostics;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use super::workdir::Workdir;
use crate::commands::{check, fmt, report};
use crate::input::{self, Input};

/// What a tool gives back: the text the assistant reads, and the same as JSON when it is JSON.
#[derive(Debug)]
pub struct Answer {
    pub text: String,
    pub structured: Option<Value>,
}

/// A tool's failure: a message for the assistant, with JSON when there is more to act on (the
/// diagnostics of a model with errors).
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub structured: Option<Value>,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Self { message, structured: None }
    }
}

/// Where a tool's model comes from.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ModelSource {
    /// The model itself, as `.mtm` text. Give either `text` or `path`, not both.
    pub text: Option<String>,
    /// A `.mtm` file, relative to the server's working directory (absolute paths are accepted
    /// when they lead under it). Give either `text` or `path`, not both.
    pub path: Option<String>,
}

/// Arguments of `check`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CheckArgs {
    #[serde(flatten)]
    pub model: ModelSource,
    /// The date to judge review and expiry dates against, as YYYY-MM-DD; defaults to the
    /// server's date (its `--today`, or today).
    pub today: Option<String>,
}

/// Arguments of `report`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ReportArgs {
    #[serde(flatten)]
    pub model: ModelSource,
    /// How many of the ranked risks to return, most urgent first; 10 when not given.
    #[schemars(range(min = 1))]
    pub top: Option<u32>,
    /// The date to analyse as of (support and review dates are judged on it), as YYYY-MM-DD;
    /// defaults to the server's date (its `--today`, or today).
    pub today: Option<String>,
}

/// Arguments of `explain`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ExplainArgs {
    /// What to explain: a keyword (`flow`), an attribute (`flow.authn`, `medium`), a vocabulary
    /// word (`ble`), a rule (`unauthenticated-command` or its code) or a diagnostic code
    /// (`E0303`).
    pub word: String,
}

/// Arguments of `format`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct FormatArgs {
    #[serde(flatten)]
    pub model: ModelSource,
}

pub const CHECK: &str = "Check a medtm threat model (.mtm) for errors and warnings, without analysing it. \
    Returns the diagnostics as `medtm check --format json` prints them: for each file, each problem's \
    code, severity, message, line and column (1-based) of its start and end, help, and a suggested fix \
    (replacement text for a span) where there is one. `errors` and `warnings` count them. Run it after \
    every edit; a model with errors cannot be reported on.";

pub const REPORT: &str = "Analyse a medtm threat model (.mtm) and return its ranked risks, most urgent first, \
    as the JSON report (`medtm report --format json`) gives them: each risk's id, family, subject, status, \
    inherent and residual scoring (CVSS 3.1 and 4.0 vectors and scores, patient-harm level), and its \
    facets; with the findings behind those risks (rule, explanation of why it fires, controls that apply \
    and those that do not, with why, assumed values, attack path) and the report's summary counts. \
    Fails with the diagnostics when the model has errors (fix them with `check` first).";

pub const EXPLAIN: &str = "Explain a medtm word: a keyword (`flow`, `component`), an attribute (`flow.authn`, \
    `medium`), a vocabulary word (`ble`), a rule (by name or code) or a diagnostic code (`E0303`). \
    Returns the text `medtm explain` prints: what it means, its values and defaults, and an example. \
    Use it to learn the language before writing or fixing a model.";

pub const FORMAT: &str = "Format a medtm threat model (.mtm) in the canonical layout, as `medtm fmt` does, \
    and return the formatted text (a file given by `path` is read, never written). Fails with the \
    syntax errors when the model cannot be parsed.";

/// Where a tool's date defaults from: the server's `--today`, or the clock.
#[derive(Debug, Clone, Copy)]
pub struct Today(pub Option<jiff::civil::Date>);

impl Today {
    fn resolve(self, given: Option<&str>) -> Result<Option<jiff::civil::Date>, String> {
        match given {
            None => Ok(self.0),
            Some(text) => text
                .trim()
                .parse::<jiff::civil::Date>()
                .map(Some)
                .map_err(|error| format!("`today` must be a date as YYYY-MM-DD, not {text:?} ({error})")),
        }
    }
}

pub fn check(args: &CheckArgs, workdir: &Workdir, today: Today) -> Result<Answer, Failure> {
    let input = read(&args.model, workdir)?;
    let today = today.resolve(args.today.as_deref())?;
    let options = medtm_model::CheckOptions { today: Some(input::today(today)) };
    let (source, found) = check::check_input(input, options);
    json_answer(&check::json_report(&source, &found))
}

pub fn report(args: &ReportArgs, workdir: &Workdir, today: Today) -> Result<Answer, Failure> {
    let top = match args.top {
        Some(0) => return Err(Failure::from("`top` must be at least 1".to_owned())),
        Some(top) => top as usize,
        None => 10,
    };
    let input = read(&args.model, workdir)?;
    let today = today.resolve(args.today.as_deref())?;
    let (source, checked) = report::analyse(input, today);
    let Some(analysis) = &checked.analysis else {
        let errors = check::json_report(&source, &checked.diagnostics);
        let structured = serde_json::to_value(&errors).ok();
        let listed = serde_json::to_string_pretty(&errors).unwrap_or_default();
        return Err(Failure {
            message: format!(
                "{} has errors; fix them to get a report (the `check` tool lists them):\n{listed}\n",
                source.name
            ),
            structured,
        });
    };
    let full = medtm_report::dto::build(&source.name, &source.text, &checked.model, analysis);
    let risks: Vec<_> = full.risks.iter().take(top).collect();
    let shown: std::collections::HashSet<&str> = risks.iter().map(|risk| risk.id).collect();
    let findings: Vec<_> = full.findings.iter().filter(|finding| shown.contains(finding.risk)).collect();
    let ranked = RankedRisks {
        schema_version: full.schema_version,
        source: &full.source,
        analysed_on: full.analysed_on.as_deref(),
        summary: &full.summary,
        risks_shown: risks.len(),
        risks_total: full.risks.len(),
        risks,
        findings,
        warnings: diagnostics::file_json(&source, &checked.diagnostics),
    };
    json_answer(&ranked)
}

/// The `report` tool's answer: the JSON report's own parts, cut to the top risks.
#[derive(Debug, serde::Serialize)]
struct RankedRisks<'a> {
    /// The JSON report's `schema_version`, which its parts here follow.
    schema_version: u32,
    source: &'a str,
    analysed_on: Option<&'a str>,
    summary: &'a medtm_report::dto::Summary,
    risks_shown: usize,
    risks_total: usize,
    risks: Vec<medtm_report::dto::RiskReport<'a>>,
    /// The findings that are facets of the risks shown, in rank order.
    findings: Vec<medtm_report::dto::FindingReport<'a>>,
    /// The model's warnings (it has no errors, or there would be no report).
    warnings: diagnostics::FileDiagnostics,
}

pub fn explain(args: &ExplainArgs) -> Result<Answer, Failure> {
    let word = args.word.trim();
    let text = medtm_report::explain::explain(word).map_err(Failure::from)?;
    Ok(Answer { text, structured: None })
}

pub fn format(args: &FormatArgs, workdir: &Workdir) -> Result<Answer, Failure> {
    let input = read(&args.model, workdir)?;
    match fmt::format_input(input) {
        Ok((_, formatted)) => Ok(Answer { text: formatted, structured: None }),
        Err(errors) => Err(Failure::from(format!("the model has syntax errors, so it was not formatted:\n{errors}"))),
    }
}

/// The model a tool was given, by text or by a path under the working directory.
fn read(source: &ModelSource, workdir: &Workdir) -> Result<Input, String> {
    match (&source.text, &source.path) {
        (Some(text), None) => Ok(Input { name: "<text>".to_owned(), bytes: text.clone().into_bytes() }),
        (None, Some(path)) => {
            // Named as the assistant named it, not by the resolved absolute path.
            input::read_file(&workdir.resolve(path)?, path.clone())
        }
        (Some(_), Some(_)) => Err("give either `text` or `path`, not both".to_owned()),
        (None, None) => {
            Err("give the model as `text` (its .mtm source) or as `path` (a file under the working directory)"
                .to_owned())
        }
    }
}

/// `value` as the command line prints it (pretty, with a final newline), and as JSON.
fn json_answer(value: &impl serde::Serialize) -> Result<Answer, Failure> {
    let structured = serde_json::to_value(value).map_err(|error| format!("cannot serialise the answer: {error}"))?;
    let mut text =
        serde_json::to_string_pretty(value).map_err(|error| format!("cannot serialise the answer: {error}"))?;
    text.push('\n');
    Ok(Answer { text, structured: Some(structured) })
}
