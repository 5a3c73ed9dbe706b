//! `medtm report` end to end: every model in every format is snapshotted (these are what users
//! and reviewers read), output is deterministic, JSON matches its schema, and the ranking puts
//! first what a security engineer would.

use medtm_tests::{TODAY, medtm, models_in, root};

fn report(model: &str, format: &str) -> String {
    let run = medtm(&["report", "--today", TODAY, "--format", format, model], b"");
    assert!(run.code == 0, "{model} ({format}) exited {}: {}", run.code, run.stderr);
    run.stdout
}

fn models() -> Vec<String> {
    models_in(&root().join("models"))
        .into_iter()
        .map(|path| format!("models/{}", path.file_name().and_then(|n| n.to_str()).expect("UTF-8 name")))
        .collect()
}

#[test]
fn every_model_reports_in_every_format_as_snapshotted() {
    for model in models() {
        let name = model.trim_start_matches("models/").trim_end_matches(".mtm").to_owned();
        for (format, extension) in [("text", "txt"), ("markdown", "md"), ("json", "json")] {
            let output = report(&model, format);
            insta::assert_snapshot!(format!("{name}.{extension}"), output);
        }
    }
}

/// Each risk's findings follow one another in the ranking, numbered 1 to n as its facets in the
/// order the risk lists them (root cause first), and every finding belongs to exactly one risk.
#[test]
fn findings_are_numbered_as_facets_of_their_risks() {
    for model in models() {
        let json: serde_json::Value = serde_json::from_str(&report(&model, "json")).expect("report is JSON");
        let findings = json["findings"].as_array().expect("findings");
        let mut at = 0;
        for risk in json["risks"].as_array().expect("risks") {
            let facets = risk["facets"].as_array().expect("facets");
            for (index, facet) in facets.iter().enumerate() {
                let finding = &findings[at];
                assert_eq!(finding["id"], facet["finding"], "{model}: risk {} facet {}", risk["rank"], index + 1);
                assert_eq!(finding["risk"], risk["id"], "{model}");
                assert_eq!(finding["risk_rank"], risk["rank"], "{model}");
                assert_eq!(finding["facet"], index + 1, "{model}: {}", finding["id"]);
                assert_eq!(finding["facets"], facets.len(), "{model}: {}", finding["id"]);
                at += 1;
            }
        }
        assert_eq!(at, findings.len(), "{model}: every finding is a facet of one risk");
    }
}

#[test]
fn reports_are_byte_identical_run_to_run() {
    for model in models() {
        for format in ["text", "markdown", "json"] {
            assert_eq!(report(&model, format), report(&model, format), "{model} {format} differs between runs");
        }
    }
}

#[test]
fn json_reports_match_the_committed_schema() {
    let schema_text =
        std::fs::read_to_string(root().join("crates/medtm-report/schema/report.schema.json")).expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    for model in models() {
        let json: serde_json::Value = serde_json::from_str(&report(&model, "json")).expect("report is JSON");
        let errors: Vec<String> =
            validator.iter_errors(&json).map(|error| format!("{error} at {}", error.instance_path())).collect();
        assert!(errors.is_empty(), "{model}: {errors:#?}");
        assert_eq!(json["schema_version"], 2);
    }
}

fn finding<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json["findings"]
        .as_array()
        .and_then(|findings| findings.iter().find(|f| f["id"] == id))
        .unwrap_or_else(|| panic!("no finding {id}"))
}

#[test]
fn insulin_pump_decisions_and_controls_show_as_the_model_says() {
    let json: serde_json::Value = serde_json::from_str(&report("models/insulin-pump.mtm", "json")).expect("JSON");
    let spoofed = finding(&json, "unauthenticated-command@bolus");
    assert_eq!(spoofed["status"], "mitigated");
    assert_eq!(spoofed["controls"][0]["id"], "signal_of_intent");
    assert_eq!(spoofed["controls"][0]["verified_by"], serde_json::json!(["TC-114", "TC-115"]));
    let replayed = finding(&json, "replayable-command@bolus");
    assert_eq!(replayed["status"], "accepted");
    assert_eq!(replayed["decision"]["owner"], "Product security board");
    assert!(replayed["decision"]["reason"].as_str().unwrap().contains("30 s expiry"));
    let mbedtls = finding(&json, "unsupported-software@mbedtls");
    assert_eq!(mbedtls["status"], "open");
    assert!(mbedtls["explanation"].as_str().unwrap().contains("unmaintained"));
    let software = json["software"].as_array().unwrap().iter().find(|s| s["id"] == "mbedtls").unwrap();
    assert_eq!(software["supported"], false);
}

#[test]
fn an_unauthenticated_therapy_command_without_controls_tops_the_ranking() {
    let json: serde_json::Value =
        serde_json::from_str(&report("tests/fixtures/reports/unauthenticated-pump.mtm", "json")).expect("JSON");
    let top = &json["findings"][0];
    assert_eq!(top["id"], "unauthenticated-command@bolus");
    assert_eq!(top["residual"]["level"], "unacceptable");
    assert_eq!(top["status"], "open");
    assert_eq!(top["harm"], "catastrophic");
}

#[test]
fn fail_on_gates_ci_on_open_findings() {
    let failing = medtm(&["report", "--today", TODAY, "--fail-on", "unacceptable", "models/insulin-pump.mtm"], b"");
    assert_eq!(failing.code, 3);
    assert!(failing.stderr.contains("open findings at or above unacceptable"), "{}", failing.stderr);
    let clean = b"system s { function: monitoring, environment: hospital }\nasset log { kind: audit_log }\ncomponent ehr { kind: ehr, logging: off_device, stores: [logs] }\nstore logs { holds: [log], encrypted: true }\n";
    let passing = medtm(&["report", "--today", TODAY, "--fail-on", "review", "-"], clean);
    assert_eq!(passing.code, 0, "{passing:?}");
}

#[test]
fn a_model_with_errors_gets_diagnostics_not_a_report() {
    let run = medtm(&["report", "--today", TODAY, "tests/fixtures/diagnostics/E0303-unresolved-reference.mtm"], b"");
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("E0303") && run.stderr.contains("fix them to get a report"), "{}", run.stderr);
}

#[test]
fn report_writes_to_a_file_when_asked() {
    let out = std::env::temp_dir().join(format!("medtm-report-{}.md", std::process::id()));
    let out_text = out.to_string_lossy().into_owned();
    let run =
        medtm(&["report", "--today", TODAY, "--format", "markdown", "-o", &out_text, "models/insulin-pump.mtm"], b"");
    assert_eq!(run.code, 0);
    assert!(run.stdout.is_empty());
    let written = std::fs::read_to_string(&out).expect("report written");
    assert!(written.starts_with("# Threat model: Acme Insulin Delivery System"));
    let _ = std::fs::remove_file(out);
}

#[test]
fn rules_lists_the_catalogue() {
    let run = medtm(&["rules"], b"");
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("MTM001  unauthenticated-command"), "{}", run.stdout);
    assert!(run.stdout.contains(&format!("{} rules", medtm_engine::rules::RULES.len())), "{}", run.stdout);
}
