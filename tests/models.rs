//! Every example model, ours and the shared design's, checks without errors.

use medtm_tests::{medtm, models_in, root, shared};

#[test]
fn every_model_passes_check() {
    let mut models = models_in(&root().join("models"));
    models.extend(models_in(&shared().join("design/examples")));
    assert!(models.len() >= 5, "expected the example models, found {models:?}");
    for model in models {
        let path = model.to_string_lossy().into_owned();
        let run = medtm(&["check", "--today", medtm_tests::TODAY, &path], b"");
        assert_eq!(run.code, 0, "{path} does not pass `medtm check`:\n{}{}", run.stdout, run.stderr);
        assert!(!run.stdout.contains("× "), "{path} has errors:\n{}", run.stdout);
    }
}

#[test]
fn shared_examples_are_in_models_unchanged() {
    for example in models_in(&shared().join("design/examples")) {
        let ours = root().join("models").join(example.file_name().expect("a file name"));
        let theirs = std::fs::read(&example).expect("readable example");
        let copied = std::fs::read(&ours).unwrap_or_else(|_| panic!("{} is missing from models/", ours.display()));
        assert_eq!(copied, theirs, "{} differs from the shared example", ours.display());
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
