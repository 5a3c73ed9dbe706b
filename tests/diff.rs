//! `medtm diff` end to end: the committed history pair (2.2.0 → 2.3.0 of the insulin pump) in
//! every format as snapshotted, a model against itself, a removed control, a renamed element,
//! the `--fail-on-new` gate, models with errors, and the JSON's shape.

use medtm_tests::{TODAY, medtm, models_in, root};
use serde_json::Value;

const OLD: &str = "models/history/insulin-pump-v1.mtm";
const NEW: &str = "models/insulin-pump.mtm";

/// `medtm diff --today TODAY ARGS`, with `stdin` as standard input (for `-`).
fn diff(args: &[&str], stdin: &str) -> medtm_tests::Run {
    let mut full = vec!["diff", "--today", TODAY];
    full.extend_from_slice(args);
    medtm(&full, stdin.as_bytes())
}

fn json(run: &medtm_tests::Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|error| panic!("not JSON ({error}): {}", run.stdout))
}

/// The ids listed in one of the diff's sections (`added`, `resolved`, `changed`).
fn ids(json: &Value, section: &str) -> Vec<String> {
    json[section]
        .as_array()
        .expect("a list")
        .iter()
        .map(|risk| risk["id"].as_str().expect("an id").to_owned())
        .collect()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).expect("model is readable")
}

/// `text` without the declaration that starts with `header` (up to its closing brace in column 0).
fn without_declaration(text: &str, header: &str) -> String {
    let start = text.find(header).unwrap_or_else(|| panic!("no `{header}`"));
    let end = start + text[start..].find("\n}\n").expect("a closing brace") + 3;
    format!("{}{}", &text[..start], &text[end..])
}

#[test]
fn history_pair_diffs_as_snapshotted() {
    for (format, name) in [("text", "history.txt"), ("markdown", "history.md"), ("json", "history.json")] {
        let run = diff(&["--format", format, OLD, NEW], "");
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        assert!(run.stderr.is_empty(), "warnings stay out of the diff: {}", run.stderr);
        insta::assert_snapshot!(name, run.stdout);
    }
}

#[test]
fn history_pair_shows_what_the_release_changed() {
    let json = json(&diff(&["--format", "json", OLD, NEW], ""));
    // Caregivers following glucose and remote basal changes are new in 2.3.0.
    assert_eq!(ids(&json, "added"), ["password-brute-force@follower_to_api", "replayable-command@remote_bolus"]);
    // The pump's debug port was locked.
    assert_eq!(ids(&json, "resolved"), ["open-debug-port@pump"]);
    let changed = json["changed"].as_array().expect("a list");
    let change = |id: &str| changed.iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("{id} did not change"));
    // Remote basal changes make a guessed clinic password reach therapy.
    let portal = change("password-brute-force@clinician_to_portal");
    assert_eq!(portal["trend"], "worse");
    assert_eq!(
        (&portal["old"]["residual_level"], &portal["new"]["residual_level"]),
        (&"review".into(), &"unacceptable".into())
    );
    // The button press on the pump and the replay decision close two bolus risks.
    assert_eq!(change("unauthenticated-command@bolus")["new"]["status"], "mitigated");
    assert_eq!(change("unauthenticated-command@bolus")["trend"], "better");
    assert_eq!(change("replayable-command@bolus")["fields"], serde_json::json!(["status"]));
    assert_eq!(change("replayable-command@bolus")["new"]["status"], "accepted");
    assert_eq!(json["summary"]["unchanged"], 18);
    let markdown = diff(&["--format", "markdown", OLD, NEW], "").stdout;
    assert!(
        markdown.starts_with("### medtm risk diff: 2 new risks (2 unacceptable), 1 resolved, 3 changed (1 worse)\n"),
        "{markdown}"
    );
}

#[test]
fn every_model_against_itself_is_an_empty_diff() {
    for model in models_in(&root().join("models")) {
        let model = model.strip_prefix(root()).expect("under the root").to_str().expect("UTF-8").to_owned();
        let run = diff(&["--fail-on-new", "review", &model, &model], "");
        assert_eq!(run.code, 0, "{model}: {}", run.stderr);
        assert!(run.stdout.contains("\nNo risk changed\n"), "{model}: {}", run.stdout);
        let json = json(&diff(&["--format", "json", &model, &model], ""));
        for section in ["added", "resolved", "changed"] {
            assert!(ids(&json, section).is_empty(), "{model}: {section} is not empty");
        }
        assert_eq!(json["summary"]["unchanged"], json["new"]["findings"]);
        let markdown = diff(&["--format", "markdown", &model, &model], "").stdout;
        assert!(markdown.contains("No risk was added, resolved or changed."), "{markdown}");
    }
}

#[test]
fn removing_a_control_makes_its_findings_worse_and_fails_the_gate() {
    let without = without_declaration(&read(NEW), "control signal_of_intent");
    let run = diff(&["--format", "json", "--fail-on-new", "unacceptable", NEW, "-"], &without);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let json = json(&run);
    assert!(ids(&json, "added").is_empty() && ids(&json, "resolved").is_empty());
    assert_eq!(ids(&json, "changed"), ["unauthenticated-command@bolus"]);
    let change = &json["changed"][0];
    assert_eq!(change["trend"], "worse");
    assert_eq!((&change["old"]["status"], &change["new"]["status"]), (&"mitigated".into(), &"open".into()));
    assert!(change["new"]["residual_cvss_v31"].as_f64() > change["old"]["residual_cvss_v31"].as_f64());
    assert!(
        run.stderr.contains("1 new or worse open risk at or above unacceptable: unauthenticated-command@bolus"),
        "{}",
        run.stderr
    );
    // Adding the control back is an improvement, which never fails the gate.
    let back = diff(&["--fail-on-new", "review", "-", NEW], &without);
    assert_eq!(back.code, 0, "{}", back.stderr);
    assert!(back.stdout.contains("unauthenticated-command@bolus (better)"), "{}", back.stdout);
}

#[test]
fn the_gate_counts_new_and_escalated_open_risks_at_the_threshold() {
    let unacceptable = diff(&["--fail-on-new", "unacceptable", OLD, NEW], "");
    assert_eq!(unacceptable.code, 3);
    assert_eq!(
        unacceptable.stderr.trim_end(),
        "medtm: 3 new or worse open risks at or above unacceptable: password-brute-force@follower_to_api, \
         replayable-command@remote_bolus, password-brute-force@clinician_to_portal"
    );
    // Going back to 2.2.0 reopens the bolus risks and adds the debug-port risk, which firmware
    // signing answers only in part (tampering, not disclosure or privilege): partly mitigated at
    // review still needs action, so it counts. The risks whose level fell are improvements.
    let back = diff(&["--fail-on-new", "review", NEW, OLD], "");
    assert_eq!(back.code, 3, "reopening the bolus risks is worse: {}", back.stderr);
    assert!(back.stderr.contains("unauthenticated-command@bolus") && back.stderr.contains("replayable-command@bolus"));
    assert!(back.stderr.contains("open-debug-port@pump"), "a partly mitigated new risk needs action: {}", back.stderr);
    assert!(!back.stderr.contains("clinician_to_portal"), "a lower level passes: {}", back.stderr);
    let ungated = diff(&[OLD, NEW], "");
    assert_eq!(ungated.code, 0, "without --fail-on-new the diff only reports");
}

#[test]
fn a_renamed_element_is_resolved_under_its_old_name_and_added_under_the_new() {
    let original = read(NEW);
    assert!(!original.contains("glucose_tx"), "the new name must be unused");
    let renamed = original.replace("cgm", "glucose_tx");
    let json = json(&diff(&["--format", "json", NEW, "-"], &renamed));
    let resolved = ids(&json, "resolved");
    let added = ids(&json, "added");
    assert!(!resolved.is_empty(), "findings on `cgm` exist");
    assert!(resolved.iter().all(|id| id.contains("cgm")), "{resolved:?}");
    let expected: Vec<String> = resolved.iter().map(|id| id.replace("cgm", "glucose_tx")).collect();
    let mut added_sorted = added.clone();
    added_sorted.sort();
    let mut expected_sorted = expected;
    expected_sorted.sort();
    assert_eq!(added_sorted, expected_sorted);
    assert!(ids(&json, "changed").is_empty(), "a name changes no score");
}

#[test]
fn models_with_errors_are_named_and_exit_1() {
    let broken = "system s { function: therapeutic }\ncomponent a { kind: nonsense }\n";
    let run = diff(&[NEW, "-"], broken);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty(), "no diff of a broken model: {}", run.stdout);
    assert!(run.stderr.contains("<stdin>"), "{}", run.stderr);
    assert!(run.stderr.contains("error: <stdin> has errors"), "{}", run.stderr);
    // Both sides are checked, so one run shows every error.
    let both = diff(&["-", "tests/fixtures/does-not-exist.mtm"], broken);
    assert_eq!(both.code, 2, "an unreadable file is an I/O error: {}", both.stderr);
    assert!(both.stderr.contains("<stdin> has errors") && both.stderr.contains("does-not-exist.mtm"));
    let stdin_twice = diff(&["-", "-"], "");
    assert_eq!(stdin_twice.code, 2);
    assert!(stdin_twice.stderr.contains("only one of OLD and NEW"), "{}", stdin_twice.stderr);
}

#[test]
fn colour_only_when_asked_and_never_in_files() {
    assert!(!diff(&[OLD, NEW], "").stdout.contains('\u{1b}'));
    let coloured = medtm(&["--color", "always", "diff", "--today", TODAY, OLD, NEW], b"");
    assert!(coloured.stdout.contains("\u{1b}["), "{}", coloured.stdout);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("diff.md");
    let out_text = out.to_str().expect("UTF-8 path");
    let written =
        medtm(&["--color", "always", "diff", "--today", TODAY, "--format", "markdown", "-o", out_text, OLD, NEW], b"");
    assert_eq!(written.code, 0, "{}", written.stderr);
    assert!(written.stdout.is_empty());
    let file = std::fs::read_to_string(&out).expect("the diff was written");
    assert_eq!(file, diff(&["--format", "markdown", OLD, NEW], "").stdout);
}

#[test]
fn json_shape_is_stable_and_matches_its_schema() {
    let schema_text = medtm_report::diff::json_schema();
    insta::assert_snapshot!("diff.schema.json", schema_text);
    let schema: Value = serde_json::from_str(&schema_text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let json = json(&diff(&["--format", "json", OLD, NEW], ""));
    let errors: Vec<String> =
        validator.iter_errors(&json).map(|error| format!("{error} at {}", error.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(json["schema_version"], medtm_report::diff::SCHEMA_VERSION);
    let mut keys: Vec<&str> = json.as_object().expect("an object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["added", "changed", "new", "old", "resolved", "schema_version", "summary"]);
}
