//! `medtm sbom FILE`: the model's software as CycloneDX 1.5 JSON. The model is checked first, as
//! for a report: problems go to standard error, and a model with errors gets no SBOM (exit 1).

use std::path::Path;

use medtm_model::CheckOptions;
use medtm_report::diagnostics::{self, SourceFile, Style};

use crate::{Io, Outcome, input};

pub fn run(file: &Path, output: Option<&Path>, io: &mut Io<'_>) -> Outcome {
    let input = match input::read(file, io.stdin) {
        Ok(input) => input,
        Err(message) => {
            super::error(io, &message);
            return Outcome::UsageOrIo;
        }
    };
    // The SBOM does not depend on the date, so neither do its warnings: no review-date checks.
    let (text, checked) = medtm_engine::check_bytes(input.bytes, CheckOptions { today: None }, false);
    if !checked.diagnostics.is_empty() {
        let source = SourceFile::new(input.name.clone(), text);
        let style = Style { color: false, width: 100 };
        let _ = write!(io.stderr, "{}", diagnostics::render_text(&source, &checked.diagnostics, style));
    }
    if checked.has_errors() {
        let _ = writeln!(io.stderr, "error: {} has errors; fix them to get an SBOM", input.name);
        return Outcome::ModelErrors;
    }
    let write = |out: &mut dyn std::io::Write| -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(out);
        medtm_report::sbom::write(&checked.model, &mut out)?;
        std::io::Write::flush(&mut out)
    };
    match output {
        Some(path) => {
            if let Err(error) = std::fs::File::create(path).and_then(|mut file| write(&mut file)) {
                super::error(io, &format!("cannot write {}: {error}", path.display()));
                return Outcome::UsageOrIo;
            }
        }
        // A closed standard output (`| head`) is not worth an error.
        None => drop(write(io.stdout)),
    }
    Outcome::Success
}
