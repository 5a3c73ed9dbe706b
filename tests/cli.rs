//! The command line as a user meets it: exit codes, formats, standard input, explain.

use medtm_tests::{TODAY, medtm};

#[test]
fn check_exits_zero_with_warnings_only() {
    let run = medtm(&["check", "--today", TODAY, "models/insulin-pump.mtm"], b"");
    assert_eq!(run.code, 0, "{run:?}");
    // The CGM's update map is left out, and firmware signing on the pump answers none of the
    // pump's findings (its `signed: true` already says so): both are warnings, not errors.
    assert!(run.stdout.ends_with("checked 1 file: 0 errors, 2 warnings\n"), "{}", run.stdout);
    assert!(run.stdout.contains("control `fw_signing` lowers no risk"), "{}", run.stdout);
}

#[test]
fn check_exits_one_on_errors_and_reports_every_file() {
    let run = medtm(
        &[
            "check",
            "--today",
            TODAY,
            "tests/fixtures/diagnostics/E0303-unresolved-reference.mtm",
            "models/patient-monitoring.mtm",
        ],
        b"",
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("E0303"), "{}", run.stdout);
    assert!(run.stdout.ends_with("checked 2 files: 2 errors, 0 warnings\n"), "{}", run.stdout);
}

#[test]
fn check_exits_two_on_unreadable_files_and_bad_usage() {
    let missing = medtm(&["check", "no-such-model.mtm"], b"");
    assert_eq!(missing.code, 2);
    assert_eq!(missing.stderr, "error: cannot read no-such-model.mtm: no such file\n");
    let usage = medtm(&["check", "--format", "yaml", "models/insulin-pump.mtm"], b"");
    assert_eq!(usage.code, 2);
    assert!(usage.stderr.contains("invalid value 'yaml'"), "{}", usage.stderr);
    let no_files = medtm(&["check"], b"");
    assert_eq!(no_files.code, 2);
}

#[test]
fn check_reads_standard_input() {
    let run = medtm(
        &["check", "--today", TODAY, "-"],
        b"system s { function: monitoring, environment: hospital }\nasset a { kind: phi, patients: 3 }\n",
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("[<stdin>:2:7]"), "{}", run.stdout);
    assert!(run.stdout.contains("asset `a` is never used"), "{}", run.stdout);
}

#[test]
fn check_prints_json_for_tools() {
    let run = medtm(
        &["check", "--today", TODAY, "--format", "json", "tests/fixtures/diagnostics/E0206-duplicate-id.mtm"],
        b"",
    );
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["errors"], 1);
    let diagnostic = &json["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "E0206");
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["message"], "`pump` is declared twice");
    assert_eq!(diagnostic["file"], "tests/fixtures/diagnostics/E0206-duplicate-id.mtm");
    assert_eq!((diagnostic["line"].as_u64(), diagnostic["column"].as_u64()), (Some(6), Some(11)));
    assert_eq!(diagnostic["span"]["end"].as_u64().unwrap() - diagnostic["span"]["start"].as_u64().unwrap(), 4);
    assert_eq!(diagnostic["related"][0]["line"], 3);
    assert!(diagnostic["help"].as_str().unwrap().contains("rename"));
}

#[test]
fn explain_answers_words_and_suggests_on_typos() {
    let run = medtm(&["explain", "ble"], b"");
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("ble (medium)\n"), "{}", run.stdout);
    let typo = medtm(&["explain", "boundry"], b"");
    assert_eq!(typo.code, 2);
    assert_eq!(typo.stderr, "error: medtm knows nothing called `boundry`; did you mean `boundary`?\n");
}

#[test]
fn help_and_version_succeed() {
    let help = medtm(&["--help"], b"");
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("check"), "{}", help.stdout);
    assert_eq!(medtm(&["--version"], b"").code, 0);
}
