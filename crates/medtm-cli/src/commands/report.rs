//! `medtm report FILE`

use std::path::Path;

use medtm_engine::Status;
use medtm_model::CheckOptions;
use medtm_model::vocab::RiskLevel;
use medtm_report::diagnostics::{self, SourceFile, Style};

use crate::args::{FailOn, ReportFormat};
use crate::{Io, Outcome, input};

pub struct Request<'a> {
    pub file: &'a Path,
    pub format: ReportFormat,
    pub output: Option<&'a Path>,
    pub fail_on: Option<FailOn>,
    pub today: Option<jiff::civil::Date>,
}

pub fn run(request: &Request<'_>, color: bool, io: &mut Io<'_>) -> Outcome {
    let input = match input::read(request.file, io.stdin) {
        Ok(input) => input,
        Err(message) => {
            super::error(io, &message);
            return Outcome::UsageOrIo;
        }
    };
    let today = input::today(request.today);
    let (text, checked) = medtm_engine::check_bytes(&input.bytes, CheckOptions { today: Some(today) }, true);
    let source = SourceFile::new(input.name.clone(), text.clone());
    // Problems go to standard error so that the report itself stays clean for files and pipes.
    if !checked.diagnostics.is_empty() {
        let style = Style { color: false, width: 100 };
        let _ = write!(io.stderr, "{}", diagnostics::render_text(&source, &checked.diagnostics, style));
    }
    let Some(analysis) = &checked.analysis else {
        let _ = writeln!(io.stderr, "error: {} has errors; fix them to get a report", input.name);
        return Outcome::ModelErrors;
    };
    let report = medtm_report::dto::build(&input.name, &text, &checked.model, analysis);
    let rendered = match request.format {
        ReportFormat::Text => medtm_report::text::render(&report, color && request.output.is_none()),
        ReportFormat::Markdown => medtm_report::markdown::render(&report),
        ReportFormat::Json => medtm_report::json(&report),
    };
    match request.output {
        Some(path) => {
            if let Err(error) = std::fs::write(path, rendered) {
                super::error(io, &format!("cannot write {}: {error}", path.display()));
                return Outcome::UsageOrIo;
            }
        }
        None => {
            let _ = write!(io.stdout, "{rendered}");
        }
    }
    let threshold = match request.fail_on {
        Some(FailOn::Unacceptable) => RiskLevel::Unacceptable,
        Some(FailOn::Review) => RiskLevel::Review,
        None => return Outcome::Success,
    };
    let failing: Vec<&str> = analysis
        .findings
        .iter()
        .filter(|f| matches!(f.status, Status::Open | Status::PartiallyMitigated) && f.residual.level >= threshold)
        .map(|f| f.id.as_str())
        .collect();
    if failing.is_empty() {
        return Outcome::Success;
    }
    let _ = writeln!(
        io.stderr,
        "medtm: {} open finding{} at or above {}: {}",
        failing.len(),
        if failing.len() == 1 { "" } else { "s" },
        threshold_name(threshold),
        failing.join(", ")
    );
    Outcome::ThresholdReached
}

fn threshold_name(level: RiskLevel) -> &'static str {
    medtm_model::vocab::Vocabulary::as_str(level)
}
