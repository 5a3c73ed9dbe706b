//! Every diagnostic code has a fixture in `fixtures/diagnostics/CODE-*.mtm`, and the rendered
//! output of each fixture is snapshotted: these snapshots are what users read, so review them.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use medtm_model::CheckOptions;
use medtm_report::diagnostics::{SourceFile, Style, render_text};
use medtm_syntax::Code;
use medtm_tests::{models_in, root};

fn options() -> CheckOptions {
    CheckOptions { today: Some(jiff::civil::date(2026, 11, 28)) }
}

/// Checks a fixture (including the engine's whole-model warnings) and renders the diagnostics.
fn render(name: &str, bytes: &[u8]) -> (String, Vec<Code>) {
    let (text, checked) = medtm_engine::check_bytes(bytes, options(), false);
    let source = SourceFile::new(name, text);
    let codes = checked.diagnostics.iter().map(|d| d.code).collect();
    // A long list of the same mistake is shown by its first three and last two, so the snapshot
    // stays readable; the count of what was left out is part of the snapshot.
    let shown = &checked.diagnostics;
    if shown.len() <= 10 {
        return (render_text(&source, shown, Style::PLAIN), codes);
    }
    let head = render_text(&source, &shown[..3], Style::PLAIN);
    let tail = render_text(&source, &shown[shown.len() - 2..], Style::PLAIN);
    (format!("{head}[... {} more diagnostics ...]\n{tail}", shown.len() - 5), codes)
}

fn fixtures() -> Vec<std::path::PathBuf> {
    models_in(&root().join("tests/fixtures/diagnostics"))
}

#[test]
fn every_fixture_renders_as_snapshotted() {
    for path in fixtures() {
        let name = path.file_name().and_then(|n| n.to_str()).expect("a UTF-8 file name");
        let bytes = std::fs::read(&path).expect("readable fixture");
        let (rendered, _) = render(name, &bytes);
        let snapshot = name.trim_end_matches(".mtm");
        insta::assert_snapshot!(snapshot, rendered);
    }
}

#[test]
fn every_fixture_reports_its_own_code() {
    for path in fixtures() {
        let name = path.file_name().and_then(|n| n.to_str()).expect("a UTF-8 file name");
        let code = Code::from_code(&name[..5]).unwrap_or_else(|| panic!("{name} does not start with a code"));
        let (_, codes) = render(name, &std::fs::read(&path).expect("readable fixture"));
        assert!(codes.contains(&code), "{name} does not report {code}: {codes:?}");
    }
}

#[test]
fn every_code_has_a_fixture() {
    let covered: BTreeSet<String> = fixtures()
        .iter()
        .filter_map(|path| path.file_name()?.to_str().map(|name| name[..5].to_owned()))
        .chain([Code::FileTooLarge, Code::TooManyDeclarations].map(|code| code.as_str().to_owned()))
        .collect();
    let missing: Vec<&str> =
        Code::ALL.iter().map(|code| code.as_str()).filter(|code| !covered.contains(*code)).collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
}

#[test]
fn a_file_over_the_size_limit_is_reported_not_read() {
    let mut bytes = b"system big \"Big\" { function: monitoring, environment: hospital }\n".to_vec();
    bytes.resize(medtm_syntax::limits::MAX_FILE_BYTES + 1, b' ');
    let (rendered, codes) = render("E0002-file-too-large.mtm", &bytes);
    assert_eq!(codes, vec![Code::FileTooLarge]);
    insta::assert_snapshot!("E0002-file-too-large", rendered);
}

/// Too large to commit as a fixture: a million and one tiny declarations.
#[test]
fn a_model_over_the_declaration_limit_is_cut_with_a_diagnostic() {
    let mut text = String::from("system big \"Big\" { function: monitoring, environment: hospital }\n");
    for index in 0..medtm_syntax::limits::MAX_DECLARATIONS {
        let _ = writeln!(text, "actor a{index}");
    }
    let parsed = medtm_syntax::parse(&text);
    assert_eq!(parsed.file.declarations.len(), medtm_syntax::limits::MAX_DECLARATIONS);
    let codes: Vec<Code> = parsed.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::TooManyDeclarations]);
    let rendered =
        render_text(&SourceFile::new("E0111-too-many-declarations.mtm", text), &parsed.diagnostics, Style::PLAIN);
    insta::assert_snapshot!("E0111-too-many-declarations", rendered);
}

#[test]
fn fixture_names_are_codes() {
    for path in fixtures() {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        assert!(Path::new(name).extension().is_some() && name.as_bytes()[5] == b'-', "{name} is not CODE-slug.mtm");
    }
}

/// Each way the parser recovers has a fixture in `fixtures/recovery/`, stating the errors it
/// must give (`// expect: CODE LINE:COLUMN MESSAGE`): each mistake once, where it is, and no
/// error caused by another (a declaration that survives its mistake is still declared).
#[test]
fn every_recovery_gives_one_error_where_the_mistake_is() {
    let fixtures = models_in(&root().join("tests/fixtures/recovery"));
    assert!(fixtures.len() >= 8, "{} recovery fixtures", fixtures.len());
    let mut problems = Vec::new();
    for path in fixtures {
        let name = path.file_name().and_then(|n| n.to_str()).expect("a UTF-8 file name").to_owned();
        let bytes = std::fs::read(&path).expect("readable fixture");
        let (text, checked) = medtm_engine::check_bytes(bytes, options(), false);
        let expected: Vec<String> =
            text.lines().filter_map(|line| line.strip_prefix("// expect: ")).map(str::to_owned).collect();
        assert!(!expected.is_empty(), "{name} states no expectation");
        let source = SourceFile::new(name.as_str(), text.as_str());
        let found: Vec<String> = checked
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.is_error())
            .map(|diagnostic| {
                let at = source.line_column(diagnostic.span.start);
                format!("{} {}:{} {}", diagnostic.code.as_str(), at.line, at.column, diagnostic.message)
            })
            .collect();
        if found != expected {
            problems.push(format!("{name}:\n  expected {expected:?}\n  found    {found:?}"));
        }
        // A repaired bracket comes with the fix that inserts it.
        for diagnostic in checked.diagnostics.iter().filter(|d| d.message.starts_with("missing `")) {
            let fix = diagnostic.fix.as_ref().expect("a fix");
            assert_eq!(fix.span.start, diagnostic.span.start, "{name}: the fix inserts where the error points");
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
