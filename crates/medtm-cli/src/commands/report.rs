//! `medtm report FILE`

use std::path::Path;

use medtm_engine::{Checked, Status};
use medtm_model::CheckOptions;
use medtm_model::vocab::RiskLevel;
use medtm_report::diagnostics::{self, SourceFile, Style};

use crate::args::{FailOn, ReportFormat};
use crate::input::Input;
use crate::{Io, Outcome, input};

pub struct Request<'a> {
    pub file: &'a Path,
    pub format: ReportFormat,
    pub output: Option<&'a Path>,
    pub fail_on: Option<FailOn>,
    pub today: Option<jiff::civil::Date>,
    /// Draw the HTML report's diagrams with Graphviz (when installed and the model is small).
    pub draw_diagrams: bool,
}

/// The model's path from the root of the repository it sits in (the nearest folder above it
/// with a `.git`), with `/` separators, so that SARIF locations resolve on a code host however
/// the file was named on the command line. `None` for standard input or a file outside any
/// repository.
fn repository_path(file: &Path) -> Option<String> {
    if file == Path::new("-") {
        return None;
    }
    let absolute = std::fs::canonicalize(file).ok()?;
    let root = absolute.ancestors().skip(1).find(|folder| folder.join(".git").exists())?;
    let relative = absolute.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = relative.components().map(|part| part.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

/// The most elements and flows whose diagrams the HTML report draws with Graphviz; a larger
/// diagram takes Graphviz minutes and reads as a blur, so its DOT source is shown instead.
const MAX_DRAWN_ELEMENTS: usize = 2_000;

pub fn run(request: &Request<'_>, color: bool, io: &mut Io<'_>) -> Outcome {
    let input = match input::read(request.file, io.stdin) {
        Ok(input) => input,
        Err(message) => {
            super::error(io, &message);
            return Outcome::UsageOrIo;
        }
    };
    let (source, checked) = analyse(input, request.today);
    let text = source.text.as_str();
    // Problems go to standard error so that the report itself stays clean for files and pipes.
    if !checked.diagnostics.is_empty() {
        let style = Style { color: false, width: 100 };
        let _ = write!(io.stderr, "{}", diagnostics::render_text(&source, &checked.diagnostics, style));
    }
    let Some(analysis) = &checked.analysis else {
        let _ = writeln!(io.stderr, "error: {} has errors; fix them to get a report", source.name);
        return Outcome::ModelErrors;
    };
    let report = medtm_report::dto::build(&source.name, text, &checked.model, analysis);
    let inputs = medtm_report::Inputs { text, model: &checked.model, analysis, report: &report };
    let render = |out: &mut dyn std::io::Write, color: bool| -> std::io::Result<()> {
        match request.format {
            ReportFormat::Text => medtm_report::text::write(&report, color, out),
            ReportFormat::Markdown => medtm_report::markdown::write(&report, out),
            ReportFormat::Json => medtm_report::write_json(&report, out),
            ReportFormat::Html => medtm_report::html::write(&inputs, &diagrams(request, &inputs), out),
            ReportFormat::Sarif => {
                let repository_path = repository_path(request.file);
                medtm_report::sarif::write_at(&inputs, repository_path.as_deref(), out)
            }
            ReportFormat::Otm => medtm_report::otm::write(&inputs, out),
            ReportFormat::Csv => medtm_report::csv::write(&report, out),
        }
    };
    if let Some(path) = request.output {
        let written = std::fs::File::create(path).and_then(|file| {
            let mut out = std::io::BufWriter::new(file);
            render(&mut out, false)?;
            std::io::Write::flush(&mut out)
        });
        if let Err(error) = written {
            super::error(io, &format!("cannot write {}: {error}", path.display()));
            return Outcome::UsageOrIo;
        }
    } else {
        let mut out = std::io::BufWriter::new(&mut *io.stdout);
        let _ = render(&mut out, color).and_then(|()| std::io::Write::flush(&mut out));
    }
    let outcome = gate(analysis, request.fail_on, io);
    // Freeing a large model's findings takes a noticeable share of the run; the process is
    // about to exit, so a thread does it (and, in-process, still frees everything).
    drop(report);
    std::thread::spawn(move || drop((checked, source)));
    outcome
}

/// Checks and analyses a model as of `today` (the given date, or today's); the analysis is
/// `None` when the model has errors. Shared with `medtm mcp`'s `report` tool.
pub fn analyse(input: Input, today: Option<jiff::civil::Date>) -> (SourceFile, Checked) {
    let options = CheckOptions { today: Some(input::today(today)) };
    let (text, checked) = medtm_engine::check_bytes(input.bytes, options, true);
    (SourceFile::new(input.name, text), checked)
}

/// The HTML report's drawings: Graphviz's SVG for each view when asked for, installed, and the
/// model is small enough; otherwise none (each view then shows its DOT source).
fn diagrams(request: &Request<'_>, inputs: &medtm_report::Inputs<'_>) -> medtm_report::html::Diagrams {
    let size = inputs.model.elements.len() + inputs.model.flows.len();
    if !request.draw_diagrams || size > MAX_DRAWN_ELEMENTS {
        return medtm_report::html::Diagrams::none();
    }
    medtm_report::html::Diagrams::draw(inputs, |dot| super::graph::render_svg(dot).ok())
}

/// The exit outcome of `--fail-on`: `ThresholdReached` when an open (or only partially
/// mitigated) finding's residual level is at or above the threshold.
fn gate(analysis: &medtm_engine::Analysis, fail_on: Option<FailOn>, io: &mut Io<'_>) -> Outcome {
    let threshold = match fail_on {
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
