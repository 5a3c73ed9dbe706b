//! `medtm check FILE...`

use std::path::PathBuf;

use medtm_model::CheckOptions;
use medtm_report::diagnostics::{self, CheckReport, SourceFile, Style};
use medtm_syntax::Diagnostic;

use crate::args::CheckFormat;
use crate::input::Input;
use crate::{Io, Outcome, input};

pub fn run(
    files: &[PathBuf],
    format: CheckFormat,
    today: Option<jiff::civil::Date>,
    color: bool,
    io: &mut Io<'_>,
) -> Outcome {
    let options = CheckOptions { today: Some(input::today(today)) };
    let style = Style { color, width: terminal_width() };
    let mut report = empty_report();
    let mut unreadable = 0;
    for path in files {
        let input = match input::read(path, io.stdin) {
            Ok(input) => input,
            Err(message) => {
                super::error(io, &message);
                unreadable += 1;
                continue;
            }
        };
        let (source, found) = check_input(input, options);
        count(&mut report, &found);
        match format {
            CheckFormat::Text => {
                let _ = write!(io.stdout, "{}", diagnostics::render_text(&source, &found, style));
            }
            CheckFormat::Json => report.files.push(diagnostics::file_json(&source, &found)),
        }
    }
    match format {
        CheckFormat::Text => {
            let checked = files.len() - unreadable;
            let files_word = if checked == 1 { "file" } else { "files" };
            let counts = if report.errors + report.warnings == 0 {
                "no problems".to_owned()
            } else {
                summary_counts(report.errors, report.warnings)
            };
            let unread = if unreadable > 0 { format!(" ({unreadable} could not be read)") } else { String::new() };
            let _ = writeln!(io.stdout, "checked {checked} {files_word}{unread}: {counts}");
        }
        CheckFormat::Json => {
            let _ = serde_json::to_writer_pretty(&mut *io.stdout, &report);
            let _ = writeln!(io.stdout);
        }
    }
    if unreadable > 0 {
        Outcome::UsageOrIo
    } else if report.errors > 0 {
        Outcome::ModelErrors
    } else {
        Outcome::Success
    }
}

/// A report of no files yet, for [`count`] to count into.
fn empty_report() -> CheckReport {
    CheckReport { schema_version: diagnostics::CHECK_SCHEMA_VERSION, files: Vec::new(), errors: 0, warnings: 0 }
}

/// Checks one model without analysing it; gives back its source and diagnostics. Shared with
/// `medtm mcp`'s `check` tool.
pub fn check_input(input: Input, options: CheckOptions) -> (SourceFile, Vec<Diagnostic>) {
    let (text, checked) = medtm_engine::check_bytes(input.bytes, options, false);
    (SourceFile::new(input.name, text), checked.diagnostics)
}

/// Counts a file's errors and warnings into the report's totals.
pub fn count(report: &mut CheckReport, found: &[Diagnostic]) {
    let errors = found.iter().filter(|d| d.is_error()).count();
    report.errors += errors;
    report.warnings += found.len() - errors;
}

/// The JSON report of one file, as `medtm check --format json` prints it for that file alone.
pub fn json_report(source: &SourceFile, found: &[Diagnostic]) -> CheckReport {
    let mut report = empty_report();
    count(&mut report, found);
    report.files.push(diagnostics::file_json(source, found));
    report
}

fn summary_counts(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") };
    format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"))
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|columns| columns.parse().ok()).unwrap_or(100)
}
