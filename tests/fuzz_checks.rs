//! The properties the fuzz targets in `tests/fuzz/` check, shared with the normal test suite so
//! that every input the fuzzers ever crashed on (kept in `tests/fuzz/regressions/TARGET/`) is
//! re-run by `cargo test`.

use medtm_model::CheckOptions;

fn options() -> CheckOptions {
    CheckOptions { today: Some(jiff::civil::date(2026, 11, 28)) }
}

/// Parsing any bytes (decoded as the CLI decodes them) gives a tree and diagnostics, no panic;
/// parsing large declarations an entry at a time (here: every one) changes neither.
pub fn parse(bytes: &[u8]) {
    let source = medtm_syntax::source::decode(bytes);
    let parsed = medtm_syntax::parse_with(&source.text, 0);
    // Every diagnostic's span lies inside the text, so it can be shown in context.
    for diagnostic in &parsed.diagnostics {
        assert!(diagnostic.span.end <= source.text.len(), "span past the end: {diagnostic:?}");
        assert!(diagnostic.span.start <= diagnostic.span.end, "reversed span: {diagnostic:?}");
    }
    let whole = medtm_syntax::parse_with(&source.text, usize::MAX);
    assert!(whole.file == parsed.file, "piecewise parsing changed the tree");
    assert_eq!(whole.diagnostics, parsed.diagnostics, "piecewise parsing changed the diagnostics");
}

/// The whole pipeline on any bytes: check, diagnostics drawn for people, analyse, and every
/// report format, no panic; a model without errors gets a report.
pub fn pipeline(bytes: &[u8]) {
    let (text, checked) = medtm_engine::check_bytes(bytes, options(), true);
    let source = medtm_report::diagnostics::SourceFile::new("fuzz.mtm", text.as_str());
    let drawn =
        medtm_report::diagnostics::render_text(&source, &checked.diagnostics, medtm_report::diagnostics::Style::PLAIN);
    assert!(checked.diagnostics.is_empty() || !drawn.is_empty(), "diagnostics drawn as nothing");
    let Some(analysis) = &checked.analysis else {
        assert!(checked.has_errors(), "no analysis, yet no error");
        // The editors analyse a model with errors as far as it lowered.
        let _ = medtm_engine::analyse_text_despite_errors(&text, options());
        return;
    };
    let report = medtm_report::dto::build("fuzz.mtm", &text, &checked.model, analysis);
    let inputs = medtm_report::Inputs { text: &text, model: &checked.model, analysis, report: &report };
    let mut out = Vec::new();
    medtm_report::text::write(&report, false, &mut out).expect("memory");
    medtm_report::markdown::write(&report, &mut out).expect("memory");
    medtm_report::write_json(&report, &mut out).expect("memory");
    medtm_report::sarif::write(&inputs, &mut out).expect("memory");
    medtm_report::otm::write(&inputs, &mut out).expect("memory");
    medtm_report::csv::write(&report, &mut out).expect("memory");
    medtm_report::html::write(&inputs, &medtm_report::html::Diagrams::none(), &mut out).expect("memory");
    let _ = medtm_report::sbom::render(&checked.model);
    for view in medtm_report::views::View::ALL {
        let _ = medtm_report::graph::dot(&inputs, view);
        let _ = medtm_report::graph::mermaid(&inputs, view);
    }
}

/// Formatting round trip: whatever the formatter accepts, its output parses without errors,
/// formats to itself, and checks to the same model.
pub fn format_roundtrip(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let Ok(formatted) = medtm_syntax::format::format(text) else { return };
    let reparsed = medtm_syntax::parse(&formatted);
    assert!(!reparsed.diagnostics.iter().any(medtm_syntax::Diagnostic::is_error), "formatted text has errors");
    assert_eq!(medtm_syntax::format::format(&formatted).ok().as_deref(), Some(formatted.as_str()), "not idempotent");
    let before = medtm_engine::check_text(text, options());
    let after = medtm_engine::check_text(&formatted, options());
    assert_eq!(before.model.canonical_json(), after.model.canonical_json(), "formatting changed the model");
}

#[cfg(test)]
mod regressions {
    /// Every kept input of a target, with the seed corpus's models.
    fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
        let root = crate::root();
        let mut dirs = vec![root.join("tests/fuzz/regressions").join(target), root.join("models")];
        dirs.push(root.join("tests/fixtures/diagnostics"));
        let mut inputs = Vec::new();
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            let mut paths: Vec<_> = entries.filter_map(|entry| entry.ok().map(|entry| entry.path())).collect();
            paths.sort();
            for path in paths.into_iter().filter(|path| path.is_file()) {
                let bytes = std::fs::read(&path).expect("readable input");
                inputs.push((path.display().to_string(), bytes));
            }
        }
        inputs
    }

    #[test]
    fn parse_regressions() {
        for (_, bytes) in inputs("parse") {
            super::parse(&bytes);
        }
    }

    #[test]
    fn pipeline_regressions() {
        for (_, bytes) in inputs("pipeline") {
            super::pipeline(&bytes);
        }
    }

    #[test]
    fn format_roundtrip_regressions() {
        for (_, bytes) in inputs("format_roundtrip") {
            super::format_roundtrip(&bytes);
        }
    }
}
