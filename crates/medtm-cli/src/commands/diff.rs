//! `medtm diff OLD NEW`: risks added, resolved and changed between two versions of a model.

use std::path::Path;

use medtm_model::CheckOptions;
use medtm_model::vocab::{RiskLevel, Vocabulary as _};
use medtm_report::diagnostics::{self, SourceFile, Style};
use medtm_report::diff::Diff;
use medtm_report::dto::Report;

use crate::args::{DiffFormat, FailOn};
use crate::{Io, Outcome, input};

pub struct Request<'a> {
    pub old: &'a Path,
    pub new: &'a Path,
    pub format: DiffFormat,
    pub fail_on_new: Option<FailOn>,
    pub output: Option<&'a Path>,
    pub today: Option<jiff::civil::Date>,
}

pub fn run(request: &Request<'_>, color: bool, io: &mut Io<'_>) -> Outcome {
    if request.old.as_os_str() == "-" && request.new.as_os_str() == "-" {
        super::error(io, "only one of OLD and NEW can be `-` (standard input)");
        return Outcome::UsageOrIo;
    }
    let today = input::today(request.today);
    // Both models are checked before either outcome counts, so one run shows every error.
    let old = analysed(request.old, today, io);
    let new = analysed(request.new, today, io);
    let (old, new) = match (old, new) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(Outcome::UsageOrIo), _) | (_, Err(Outcome::UsageOrIo)) => return Outcome::UsageOrIo,
        _ => return Outcome::ModelErrors,
    };
    let diff = medtm_report::diff::diff(&old.report(), &new.report());
    let render = |color: bool| match request.format {
        DiffFormat::Text => medtm_report::diff::text(&diff, color),
        DiffFormat::Markdown => medtm_report::diff::markdown(&diff),
        DiffFormat::Json => medtm_report::diff::json(&diff),
    };
    if let Some(path) = request.output {
        if let Err(error) = std::fs::write(path, render(false)) {
            super::error(io, &format!("cannot write {}: {error}", path.display()));
            return Outcome::UsageOrIo;
        }
    } else {
        let _ = io.stdout.write_all(render(color).as_bytes());
    }
    gate(&diff, request.fail_on_new, io)
}

/// A model read, checked and analysed.
struct Analysed {
    name: String,
    text: String,
    checked: medtm_engine::Checked,
}

impl Analysed {
    fn report(&self) -> Report<'_> {
        // `analysed` only returns models with an analysis.
        let analysis = self.checked.analysis.as_ref().expect("an analysed model");
        medtm_report::dto::build(&self.name, &self.text, &self.checked.model, analysis)
    }
}

/// Reads, checks and analyses one model. Errors in the model are shown on standard error (each
/// names its file) and give `ModelErrors`; warnings are left to `medtm check`, so that the
/// diff's own output stays short.
fn analysed(path: &Path, today: jiff::civil::Date, io: &mut Io<'_>) -> Result<Analysed, Outcome> {
    let input = input::read(path, io.stdin).map_err(|message| {
        super::error(io, &message);
        Outcome::UsageOrIo
    })?;
    let (text, checked) = medtm_engine::check_bytes(input.bytes, CheckOptions { today: Some(today) }, true);
    if checked.analysis.is_none() {
        let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
        let source = SourceFile::new(input.name.clone(), text);
        let style = Style { color: false, width: 100 };
        let _ = write!(io.stderr, "{}", diagnostics::render_text(&source, &errors, style));
        let _ = writeln!(io.stderr, "error: {} has errors; fix them to compare its risks", input.name);
        return Err(Outcome::ModelErrors);
    }
    Ok(Analysed { name: input.name, text, checked })
}

/// The exit outcome of `--fail-on-new`: `ThresholdReached` when a new risk, or a changed one
/// that got worse, is open (or only partially mitigated) at or above the threshold.
fn gate(diff: &Diff, fail_on_new: Option<FailOn>, io: &mut Io<'_>) -> Outcome {
    let threshold = match fail_on_new {
        Some(FailOn::Unacceptable) => RiskLevel::Unacceptable,
        Some(FailOn::Review) => RiskLevel::Review,
        None => return Outcome::Success,
    };
    let failing = diff.failing(threshold);
    if failing.is_empty() {
        return Outcome::Success;
    }
    let _ = writeln!(
        io.stderr,
        "medtm: {} new or worse open risk{} at or above {}: {}",
        failing.len(),
        if failing.len() == 1 { "" } else { "s" },
        threshold.as_str(),
        failing.join(", ")
    );
    Outcome::ThresholdReached
}
