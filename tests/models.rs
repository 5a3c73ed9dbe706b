//! Every example model checks without errors.
//!
//! `models/` holds the design examples, extended and migrated: they started as copies of the
//! shared design's `examples/*.mtm` and now use newer syntax (e.g. `returns` on `<->` flows), so
//! they are no longer compared with those examples and the tests read nothing outside the
//! repository.

use medtm_tests::{medtm, models_in, root};

#[test]
fn every_model_passes_check() {
    let models = models_in(&root().join("models"));
    assert!(models.len() >= 5, "expected the example models, found {models:?}");
    for model in models {
        let path = model.to_string_lossy().into_owned();
        let run = medtm(&["check", "--today", medtm_tests::TODAY, &path], b"");
        assert_eq!(run.code, 0, "{path} does not pass `medtm check`:\n{}{}", run.stdout, run.stderr);
        assert!(!run.stdout.contains("× "), "{path} has errors:\n{}", run.stdout);
    }
}

#[test]
fn readme_reference_sections_match_the_code() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    assert!(
        medtm_report::docs::fill(&readme) == readme,
        "the README's generated sections are stale: run `cargo xtask docs`"
    );
}

/// Generated hospital models (for benchmarks and `cargo xtask gen-model`) are valid and clean at
/// every size, so the numbers measure real analyses rather than error paths.
#[test]
fn generated_models_check_without_a_diagnostic() {
    for elements in [10, 100, 1_000] {
        let text = medtm_gen::hospital(elements, 7);
        let checked =
            medtm_engine::check_text(&text, medtm_model::CheckOptions { today: Some(jiff::civil::date(2026, 11, 1)) });
        let codes: Vec<_> = checked.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert!(codes.is_empty(), "{elements} elements: {codes:?}");
        assert!(
            checked.model.elements.len() >= elements / 2,
            "{elements} elements asked, {} made",
            checked.model.elements.len()
        );
    }
}
