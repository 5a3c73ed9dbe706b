//! The engine's browser API as plain Rust: every function takes model text (and the date, where
//! the analysis depends on it) and returns an [`Answer`], a serialisable value that becomes a
//! plain JavaScript object. Problems with the arguments are answers too (`ok: false` with an
//! `error`), never panics or exceptions. Positions meant for the editor (`from`, `to`, a
//! completion's or a hover's offsets) count UTF-16 code units, as JavaScript strings do; byte
//! spans (`span`, `location`) are kept as the command line reports them.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use medtm_engine::pipeline::Checked;
use medtm_ide::{Analysis, CompletionKind, Level, Mark};
use medtm_model::CheckOptions;
use medtm_model::vocab::Vocabulary;
use medtm_report::diagnostics::{self, DiagnosticJson, SourceFile};
use medtm_report::html::Diagrams;
use medtm_report::views::{self, Table, View};
use medtm_report::{Inputs, dto};
use medtm_syntax::{Diagnostic, Severity};
use serde::Serialize;
use serde_json::value::RawValue;

use crate::offsets::Offsets;

/// The name the model goes by in reports (the page has no file name).
pub const SOURCE_NAME: &str = "model.mtm";

/// The result of every call: `{ ok: true, ...value }` or `{ ok: false, error, ...value }`.
#[derive(Debug, Clone, Serialize)]
pub struct Answer<T> {
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(flatten)]
    pub value: Option<T>,
}

impl<T> Answer<T> {
    fn done(value: T) -> Self {
        Answer { ok: true, error: None, value: Some(value) }
    }

    pub fn failed(error: impl Into<String>) -> Self {
        Answer { ok: false, error: Some(error.into()), value: None }
    }
}

/// A diagnostic for the editor: the command line's JSON form with the span in UTF-16 offsets.
#[derive(Debug, Serialize)]
pub struct EditorDiagnostic {
    #[serde(flatten)]
    pub diagnostic: DiagnosticJson,
    pub from: usize,
    pub to: usize,
    /// Where the suggested fix's replacement goes, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix_from: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix_to: Option<usize>,
}

/// What [`check`] finds.
#[derive(Debug, Serialize)]
pub struct CheckResult {
    pub diagnostics: Vec<EditorDiagnostic>,
    pub errors: usize,
    pub warnings: usize,
}

/// What [`analyse`] finds, all a keystroke needs: the diagnostics, the marks of the findings in
/// rank order (each with its row of the risk table: title, subject, levels, score, status),
/// where each id is declared, and while the model has no errors, the report's summary. A model
/// with errors has no summary; its marks are those of the findings its errors leave untouched
/// (each `despite_errors`, ranked so far), which the page lists until the fixes. The report
/// itself, the views and the diagram come from [`report`], which reuses this analysis.
#[derive(Debug, Serialize)]
pub struct Analysed {
    #[serde(flatten)]
    pub check: CheckResult,
    pub marks: Vec<FindingMarks>,
    pub declarations: BTreeMap<String, Range>,
    /// The system's name (its label, or its id), when the model declares one.
    pub system: Option<String>,
    /// `null` while the model has errors.
    pub summary: Option<dto::Summary>,
}

/// What [`report`] adds to [`analyse`]'s answer: the report (the same value as `medtm report
/// --format json`), the architecture views as tables and the global data-flow diagram as DOT.
#[derive(Debug, Serialize)]
pub struct Reported {
    /// Serialised where it is built: the report borrows the analysis.
    pub report: Box<RawValue>,
    pub views: Vec<ViewTable>,
    pub dot: String,
}

/// A view's table, with the name [`diagram`] takes.
#[derive(Debug, Serialize)]
pub struct ViewTable {
    pub name: &'static str,
    #[serde(flatten)]
    pub table: Table,
}

/// A range of the text in UTF-16 offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    pub from: usize,
    pub to: usize,
}

/// A view's diagram as Graphviz DOT.
#[derive(Debug, Serialize)]
pub struct Diagram {
    pub dot: String,
}

/// A rendered report or diagram, with what a download needs.
#[derive(Debug, Serialize)]
pub struct Rendered {
    pub content: String,
    pub media_type: &'static str,
    pub extension: &'static str,
}

/// Formatted model text.
#[derive(Debug, Serialize)]
pub struct Formatted {
    pub text: String,
}

/// `medtm explain`'s text.
#[derive(Debug, Serialize)]
pub struct Explained {
    pub text: String,
}

/// A finding's row of the risk table and what it touches, for the page to highlight, in the
/// order of the report's findings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingMarks {
    /// The finding's id, `rule-name@subject`.
    pub finding: String,
    /// The subject's id in the model text.
    pub from: usize,
    pub to: usize,
    pub rank: usize,
    /// `warning` while its residual risk is unacceptable and undecided, else `information`.
    pub level: &'static str,
    /// Whether it comes from a model with errors (no report then: the row is drawn from here).
    pub despite_errors: bool,
    pub title: &'static str,
    pub code: &'static str,
    /// The STRIDE letters, `/` between them.
    pub stride: String,
    pub subject: String,
    /// What the subject is: `component`, `flow`, `response` and the like.
    pub subject_kind: &'static str,
    /// The risk's level before the controls; the residual risk's level, CVSS v3.1 base score
    /// and vector; and where the finding stands.
    pub inherent: &'static str,
    pub residual: &'static str,
    pub score: f64,
    pub vector: String,
    /// In the report's words (`partially mitigated`).
    pub status: &'static str,
    /// The patient harm at stake; `null` for privacy-only findings.
    pub harm: Option<&'static str>,
    /// What an editor shows on the subject: the rule, why, and the residual risk.
    pub message: String,
    /// Ids of the elements, flows and boundaries to highlight, each sorted and without repeats.
    pub elements: Vec<String>,
    pub flows: Vec<String>,
    pub boundaries: Vec<String>,
}

/// One completion option, in the shape a browser editor's completion takes (`type` is the icon).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completion {
    pub label: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub detail: String,
    pub info: String,
    /// The text inserted, when it is more than the label (`medium: `).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apply: Option<String>,
}

/// Completion options for the word from `from` to `to`.
#[derive(Debug, Serialize)]
pub struct Completions {
    pub from: usize,
    pub to: usize,
    pub options: Vec<Completion>,
}

/// What the word from `from` to `to` means; `hover` is absent when nothing is known about it.
#[derive(Debug, Serialize)]
pub struct Hovered {
    pub hover: Option<Hover>,
}

#[derive(Debug, Serialize)]
pub struct Hover {
    pub from: usize,
    pub to: usize,
    pub text: String,
}

/// The report formats [`render`] writes.
pub const FORMATS: &[&str] = &["text", "markdown", "json", "html", "sarif", "otm", "csv", "dot", "mermaid"];

/// Parses, checks and lints the model, with review dates judged as of `today` when given.
pub fn check(text: &str, today: Option<&str>) -> Answer<CheckResult> {
    let today = match today.map(parse_date).transpose() {
        Ok(today) => today,
        Err(error) => return Answer::failed(error),
    };
    let checked = medtm_engine::check_text(text, CheckOptions { today });
    Answer::done(check_result(text, &checked.diagnostics))
}

/// Checks and analyses the model as of `today` (`YYYY-MM-DD`). The analysis is kept for the
/// calls that follow on the same text ([`report`], [`render`], [`diagram`]).
pub fn analyse(text: &str, today: &str) -> Answer<Analysed> {
    let today = match parse_date(today) {
        Ok(today) => today,
        Err(error) => return Answer::failed(error),
    };
    // A model with errors is analysed as the language server analyses it: no summary, and the
    // marks of the findings its errors leave untouched, so the risks do not vanish while typing.
    let analysed = last_analysis(text, today);
    let checked = analysed.checked();
    let offsets = Offsets::new(text);
    let declarations = analysed
        .declarations()
        .map(|(id, span)| (id.to_owned(), Range { from: offsets.to_utf16(span.start), to: offsets.to_utf16(span.end) }))
        .collect();
    Answer::done(Analysed {
        check: check_result(text, &checked.diagnostics),
        marks: analysed.marks().iter().map(|mark| finding_marks(mark, &offsets)).collect(),
        declarations,
        system: checked.model.system.as_ref().map(|system| system.meta.label.clone()),
        summary: checked.analysis.as_ref().map(dto::summary),
    })
}

/// The report of the model as of `today`, its views' tables and its global diagram; an answer
/// with the error when the model has errors.
pub fn report(text: &str, today: &str) -> Answer<Reported> {
    with_report(text, today, |inputs| {
        let views =
            View::ALL.iter().map(|view| ViewTable { name: view.name(), table: views::table(inputs, *view) }).collect();
        let dot = medtm_report::graph::dot(inputs, View::Global);
        let report = serde_json::value::to_raw_value(inputs.report)
            .map_err(|error| format!("cannot serialise the report: {error}"))?;
        Ok(Reported { report, views, dot })
    })
}

thread_local! {
    /// The latest analysis and the date it was made for: the page analyses a text, then asks for
    /// its report, views and downloads, which reuse it instead of analysing the text again.
    static LAST: RefCell<Option<(jiff::civil::Date, Rc<Analysis>)>> = const { RefCell::new(None) };
}

/// The analysis of `text` as of `today`: the kept one when it is of the same text and date,
/// otherwise a new one, which is kept instead.
fn last_analysis(text: &str, today: jiff::civil::Date) -> Rc<Analysis> {
    LAST.with_borrow_mut(|last| {
        if let Some((date, analysis)) = last
            && *date == today
            && analysis.text() == text
        {
            return Rc::clone(analysis);
        }
        // The previous analysis goes first, so that two large ones are never held at once.
        *last = None;
        let analysis = Rc::new(Analysis::analyse(text, CheckOptions { today: Some(today) }));
        *last = Some((today, Rc::clone(&analysis)));
        analysis
    })
}

/// The diagram of one architecture view (`global`, `multi-patient`, `updatability` or
/// `use-cases`) as DOT, as `medtm graph --view VIEW` writes it.
pub fn diagram(text: &str, view: &str, today: &str) -> Answer<Diagram> {
    let Some(view) = View::from_name(view) else {
        return Answer::failed(format!("there is no view `{view}`; the views are {}", view_names()));
    };
    with_report(text, today, |inputs| Ok(Diagram { dot: medtm_report::graph::dot(inputs, view) }))
}

fn view_names() -> String {
    View::ALL.iter().map(|view| view.name()).collect::<Vec<_>>().join(", ")
}

/// Analyses the model and hands its renderers' inputs to `make`; an answer with the error when
/// the date is not one or the model has errors.
fn with_report<T>(text: &str, today: &str, make: impl FnOnce(&Inputs<'_>) -> Result<T, String>) -> Answer<T> {
    let today = match parse_date(today) {
        Ok(today) => today,
        Err(error) => return Answer::failed(error),
    };
    let analysed = last_analysis(text, today);
    let checked = analysed.checked();
    let Some(analysis) = &checked.analysis else {
        return Answer::failed(errors_message(checked, "get a report"));
    };
    let report = dto::build(SOURCE_NAME, text, &checked.model, analysis);
    let inputs = Inputs { text, model: &checked.model, analysis, report: &report };
    match make(&inputs) {
        Ok(value) => Answer::done(value),
        Err(error) => Answer::failed(error),
    }
}

/// The report in one of [`FORMATS`], as `medtm report --format FORMAT` (or `medtm graph` for
/// `dot` and `mermaid`) writes it. `drawings` maps view names to the SVG that Graphviz drew of
/// their DOT ([`diagram`]), for the HTML report; views without one show their DOT source.
pub fn render(text: &str, format: &str, today: &str, drawings: &BTreeMap<String, String>) -> Answer<Rendered> {
    let Some((media_type, extension)) = media_type(format) else {
        return Answer::failed(format!("medtm does not write `{format}`; it writes {}", FORMATS.join(", ")));
    };
    let mut diagrams = Diagrams::none();
    for (name, svg) in drawings {
        let Some(view) = View::from_name(name) else {
            return Answer::failed(format!("there is no view `{name}`; the views are {}", view_names()));
        };
        diagrams.insert(view, svg.clone());
    }
    with_report(text, today, |inputs| {
        let mut out: Vec<u8> = Vec::new();
        let report = inputs.report;
        let written = match format {
            "text" => medtm_report::text::write(report, false, &mut out),
            "markdown" => medtm_report::markdown::write(report, &mut out),
            "json" => medtm_report::write_json(report, &mut out),
            "html" => medtm_report::html::write(inputs, &diagrams, &mut out),
            "sarif" => medtm_report::sarif::write(inputs, &mut out),
            "otm" => medtm_report::otm::write(inputs, &mut out),
            "csv" => medtm_report::csv::write(report, &mut out),
            "dot" => {
                out = medtm_report::graph::dot(inputs, View::Global).into_bytes();
                Ok(())
            }
            _ => {
                out = medtm_report::graph::mermaid(inputs, View::Global).into_bytes();
                Ok(())
            }
        };
        // Writing to memory fails only if a renderer reports an error of its own.
        written.map_err(|error| format!("cannot write the {format} report: {error}"))?;
        let content = String::from_utf8(out).map_err(|_| format!("the {format} report is not UTF-8 text"))?;
        Ok(Rendered { content, media_type, extension })
    })
}

/// The model in the canonical layout, as `medtm fmt` writes it.
pub fn format(text: &str) -> Answer<Formatted> {
    match medtm_syntax::format::format(text) {
        Ok(text) => Answer::done(Formatted { text }),
        Err(diagnostics) => {
            let first = diagnostics.first().map_or_else(String::new, |first| {
                let at = medtm_syntax::LineIndex::new(text).line_column(text, first.span.start);
                format!(": line {}: {}", at.line, first.message)
            });
            Answer::failed(format!("the model has syntax errors, so it was not formatted{first}"))
        }
    }
}

/// What `medtm explain WORD` says.
pub fn explain(word: &str) -> Answer<Explained> {
    match medtm_report::explain::explain(word.trim()) {
        Ok(text) => Answer::done(Explained { text }),
        Err(error) => Answer::failed(error),
    }
}

/// Completion options at a UTF-16 offset.
pub fn complete(text: &str, offset: usize) -> Answer<Completions> {
    let offsets = Offsets::new(text);
    let completions = Analysis::check(text, CheckOptions::default()).completions(offsets.to_byte(offset));
    let options = completions
        .items
        .into_iter()
        .map(|item| Completion {
            kind: completion_type(item.kind),
            apply: (item.insert != item.label).then_some(item.insert),
            label: item.label,
            detail: item.detail,
            info: item.documentation,
        })
        .collect();
    let (from, to) = (offsets.to_utf16(completions.span.start), offsets.to_utf16(completions.span.end));
    Answer::done(Completions { from, to, options })
}

/// The icon CodeMirror shows for a kind of option.
fn completion_type(kind: CompletionKind) -> &'static str {
    match kind {
        CompletionKind::Keyword => "keyword",
        CompletionKind::Property => "property",
        CompletionKind::Word => "enum",
        CompletionKind::Boolean => "constant",
        CompletionKind::Rule => "function",
        CompletionKind::Reference => "variable",
    }
}

/// What the word at a UTF-16 offset means; for an id, also the findings on it, as of `today`
/// (`YYYY-MM-DD`) when given.
pub fn hover(text: &str, offset: usize, today: Option<&str>) -> Answer<Hovered> {
    let today = match today.map(parse_date).transpose() {
        Ok(today) => today,
        Err(error) => return Answer::failed(error),
    };
    let offsets = Offsets::new(text);
    // As in the language server: a model with errors shows the findings its errors leave
    // untouched. With the page's date, the findings are those of its risk table, and the
    // analysis of that text is reused while the pointer moves.
    let analysis = match today {
        Some(today) => last_analysis(text, today),
        None => Rc::new(Analysis::analyse(text, CheckOptions::default())),
    };
    let hover = analysis.hover(offsets.to_byte(offset)).map(|hover| Hover {
        from: offsets.to_utf16(hover.span.start),
        to: offsets.to_utf16(hover.span.end),
        text: hover.plain_text(),
    });
    Answer::done(Hovered { hover })
}

fn finding_marks(mark: &Mark, offsets: &Offsets) -> FindingMarks {
    FindingMarks {
        finding: mark.finding.clone(),
        from: offsets.to_utf16(mark.span.start),
        to: offsets.to_utf16(mark.span.end),
        rank: mark.rank,
        level: match mark.level {
            Level::Warning | Level::Error => "warning",
            Level::Information => "information",
        },
        despite_errors: mark.despite_errors,
        title: mark.rule_title,
        code: mark.rule_code,
        stride: mark.stride.clone(),
        subject: mark.subject.clone(),
        subject_kind: mark.subject_kind,
        inherent: mark.inherent.as_str(),
        residual: mark.residual.as_str(),
        score: mark.residual_cvss_v31,
        vector: mark.residual_vector_v31.clone(),
        status: mark.status.as_str(),
        harm: mark.harm.map(Vocabulary::as_str),
        message: mark.message.clone(),
        elements: mark.elements.clone(),
        flows: mark.flows.clone(),
        boundaries: mark.boundaries.clone(),
    }
}

fn check_result(text: &str, found: &[Diagnostic]) -> CheckResult {
    let errors = found.iter().filter(|d| d.severity == Severity::Error).count();
    CheckResult { diagnostics: editor_diagnostics(text, found), errors, warnings: found.len() - errors }
}

fn editor_diagnostics(text: &str, found: &[Diagnostic]) -> Vec<EditorDiagnostic> {
    let offsets = Offsets::new(text);
    let source = SourceFile::new(SOURCE_NAME, text);
    diagnostics::file_json(&source, found)
        .diagnostics
        .into_iter()
        .map(|diagnostic| EditorDiagnostic {
            from: offsets.to_utf16(diagnostic.span.start),
            to: offsets.to_utf16(diagnostic.span.end),
            fix_from: diagnostic.fix.as_ref().map(|fix| offsets.to_utf16(fix.span.start)),
            fix_to: diagnostic.fix.as_ref().map(|fix| offsets.to_utf16(fix.span.end)),
            diagnostic,
        })
        .collect()
}

fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    text.trim().parse().map_err(|_| format!("`{text}` is not a date; write it as YYYY-MM-DD"))
}

fn errors_message(checked: &Checked, purpose: &str) -> String {
    let errors = checked.diagnostics.iter().filter(|d| d.is_error()).count();
    let plural = if errors == 1 { "" } else { "s" };
    format!("the model has {errors} error{plural}; fix them to {purpose}")
}

/// The media type and file extension of a format.
fn media_type(format: &str) -> Option<(&'static str, &'static str)> {
    Some(match format {
        "text" => ("text/plain", "txt"),
        "markdown" => ("text/markdown", "md"),
        "json" => ("application/json", "json"),
        "html" => ("text/html", "html"),
        "sarif" => ("application/sarif+json", "sarif"),
        "otm" => ("application/json", "otm.json"),
        "csv" => ("text/csv", "csv"),
        "dot" => ("text/vnd.graphviz", "dot"),
        "mermaid" => ("text/plain", "mmd"),
        _ => return None,
    })
}
