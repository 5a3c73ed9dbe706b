//! The exchange formats end to end: SARIF for code scanning, OTM for other threat-modelling
//! tools, CSV for spreadsheets and the CycloneDX SBOM. Every model is snapshotted in each; the
//! SARIF, OTM and CycloneDX documents are validated against the official schemas, copied byte for
//! byte into `tests/schemas/` with their licences (`tests/schemas/SOURCES.md`) so that the
//! repository stands alone; and what users rely on is checked: decided risks arrive as
//! suppressions with their reasons, alerts keep their fingerprints when lines move, spreadsheets
//! never run a label as a formula, and the same model always gives the same bytes.

use std::collections::BTreeMap;

use medtm_tests::{TODAY, medtm, models_in, root};
use serde_json::Value;

fn models() -> Vec<String> {
    models_in(&root().join("models"))
        .into_iter()
        .map(|path| format!("models/{}", path.file_name().and_then(|n| n.to_str()).expect("UTF-8 name")))
        .collect()
}

fn name_of(model: &str) -> &str {
    model.trim_start_matches("models/").trim_end_matches(".mtm")
}

/// `medtm report --format FORMAT` of a model file, or of `stdin` with `-`.
fn report(model: &str, format: &str, stdin: &[u8]) -> String {
    let run = medtm(&["report", "--today", TODAY, "--format", format, model], stdin);
    assert!(run.code == 0, "{model} ({format}) exited {}: {}", run.code, run.stderr);
    run.stdout
}

fn sbom(model: &str) -> String {
    let run = medtm(&["sbom", model], b"");
    assert!(run.code == 0, "sbom {model} exited {}: {}", run.code, run.stderr);
    run.stdout
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}

/// Every exchange format of a model: (format, snapshot extension, output).
fn formats(model: &str) -> Vec<(&'static str, &'static str, String)> {
    vec![
        ("sarif", "sarif", report(model, "sarif", b"")),
        ("otm", "otm.json", report(model, "otm", b"")),
        ("csv", "csv", report(model, "csv", b"")),
        ("sbom", "cdx.json", sbom(model)),
    ]
}

#[test]
fn every_model_in_every_exchange_format_is_snapshotted() {
    for model in models() {
        for (_, extension, output) in formats(&model) {
            insta::assert_snapshot!(format!("{}.{extension}", name_of(&model)), output);
        }
    }
}

#[test]
fn exchange_formats_are_byte_identical_run_to_run() {
    for model in models() {
        assert_eq!(formats(&model), formats(&model), "{model} differs between runs");
    }
}

/// A validator for an official schema; CycloneDX's `$ref`s to its SPDX and JSF schemas resolve
/// to the files beside it, registered under the addresses the schema names them by.
fn validator(schema: &str) -> jsonschema::Validator {
    let dir = root().join("tests/schemas");
    let read = |file: &str| {
        let path = dir.join(file);
        json(&std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display())))
    };
    let registry = jsonschema::Registry::new()
        .add("http://cyclonedx.org/schema/spdx.schema.json", read("spdx.schema.json"))
        .and_then(|registry| {
            registry.add("http://cyclonedx.org/schema/jsf-0.82.schema.json", read("jsf-0.82.schema.json"))
        })
        .and_then(jsonschema::RegistryBuilder::prepare)
        .expect("sibling schemas register");
    jsonschema::options().with_registry(&registry).build(&read(schema)).expect("a valid JSON Schema")
}

fn assert_valid(validator: &jsonschema::Validator, document: &Value, what: &str) {
    let errors: Vec<String> =
        validator.iter_errors(document).map(|error| format!("{error} at {}", error.instance_path())).collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

#[test]
fn sarif_otm_and_sbom_match_the_official_schemas() {
    let sarif = validator("sarif-schema-2.1.0.json");
    let otm = validator("otm_schema.json");
    let cyclonedx = validator("bom-1.5.schema.json");
    // The validators reject what the schemas reject.
    assert!(!sarif.is_valid(&serde_json::json!({ "version": "2.1.0" })), "SARIF needs runs");
    assert!(!otm.is_valid(&serde_json::json!({ "otmVersion": "0.2.0" })), "OTM needs a project");
    assert!(!cyclonedx.is_valid(&serde_json::json!({ "bomFormat": "CycloneDX" })), "CycloneDX needs a specVersion");
    for model in models() {
        assert_valid(&sarif, &json(&report(&model, "sarif", b"")), &format!("{model} SARIF"));
        assert_valid(&otm, &json(&report(&model, "otm", b"")), &format!("{model} OTM"));
        assert_valid(&cyclonedx, &json(&sbom(&model)), &format!("{model} CycloneDX"));
    }
    // A bare model from standard input: no system, no boundaries, software without a licence.
    let bare = b"asset dose { kind: therapy }\ncomponent pump { kind: wearable, software: [rtos] }\nsoftware rtos { support: unknown, license: \"Acme EULA\" }\nflow pump -> pump_log { carries: [dose] }\nstore pump_log { holds: [dose] }\n";
    assert_valid(&sarif, &json(&report("-", "sarif", bare)), "bare SARIF");
    assert_valid(&otm, &json(&report("-", "otm", bare)), "bare OTM");
    let run = medtm(&["sbom", "-"], bare);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_valid(&cyclonedx, &json(&run.stdout), "bare CycloneDX");
}

#[test]
fn the_cyclonedx_validator_follows_refs_to_the_spdx_schema() {
    // A licence id outside the SPDX list fails only through `spdx.schema.json`: proof that the
    // sibling schema is loaded rather than the reference silently ignored.
    let mut document = json(&sbom("models/cardiac-implant.mtm"));
    let openssl = document["components"]
        .as_array_mut()
        .and_then(|components| components.iter_mut().find(|c| c["bom-ref"] == "openssl"))
        .expect("openssl component");
    assert_eq!(openssl["licenses"][0]["license"]["id"], "Apache-2.0");
    openssl["licenses"][0]["license"]["id"] = Value::from("Not-A-License");
    assert!(!validator("bom-1.5.schema.json").is_valid(&document));
}

fn results(sarif: &Value) -> &Vec<Value> {
    sarif["runs"][0]["results"].as_array().expect("results")
}

fn result<'a>(sarif: &'a Value, finding: &str) -> Option<&'a Value> {
    results(sarif).iter().find(|r| r["partialFingerprints"]["medtmFindingId/v1"] == finding)
}

#[test]
fn sarif_reports_open_and_decided_findings_and_leaves_out_mitigated_ones() {
    let sarif = json(&report("models/insulin-pump.mtm", "sarif", b""));
    let json_report = json(&report("models/insulin-pump.mtm", "json", b""));
    let findings = json_report["findings"].as_array().expect("findings");
    // Controls that make a finding acceptable close its alert; a mitigated finding whose
    // residual is still at review or above stays one (with what is still missing).
    let closed = |f: &&Value| f["status"] == "mitigated" && f["residual"]["level"] == "acceptable";
    let finding_results = results(&sarif).iter().filter(|r| r["partialFingerprints"]["medtmFindingId/v1"].is_string());
    assert_eq!(finding_results.count(), findings.len() - findings.iter().filter(closed).count());
    let bolus = result(&sarif, "unauthenticated-command@bolus").expect("mitigated at review is still an alert");
    assert_eq!(bolus["level"], "warning");
    assert_eq!(bolus["properties"]["status"], "mitigated");
    assert!(bolus["properties"]["still_missing"].as_str().is_some_and(|text| text.contains("review")), "{bolus:#}");

    let open = result(&sarif, "unsupported-software@mbedtls").expect("an open finding is an alert");
    assert_eq!(open["ruleId"], "MTM010");
    assert_eq!(open["level"], "error", "an unacceptable residual risk is an error");
    assert!(open.get("suppressions").is_none());
    assert!(open["message"]["text"].as_str().expect("message").contains("unmaintained"));
    let location = &open["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "models/insulin-pump.mtm");
    // The region is the subject's id where it is declared: `software mbedtls "Mbed TLS"`.
    let text = std::fs::read_to_string(root().join("models/insulin-pump.mtm")).expect("model");
    let line = text.lines().position(|line| line.starts_with("software mbedtls ")).expect("declaration") + 1;
    let region = &location["region"];
    assert_eq!((region["startLine"].as_u64(), region["endLine"].as_u64()), (Some(line as u64), Some(line as u64)));
    assert_eq!((region["startColumn"].as_u64(), region["endColumn"].as_u64()), (Some(10), Some(17)), "just the id");
    assert!(open["properties"]["inherent"]["cvss_v31"]["vector"].as_str().expect("vector").starts_with("CVSS:3.1/"));
    assert!(open["properties"]["residual"]["cvss_v40"]["score"].is_number());

    for result in results(&sarif).iter().filter(|r| r["partialFingerprints"]["medtmFindingId/v1"].is_string()) {
        let expected = match result["properties"]["residual"]["level"].as_str() {
            Some("unacceptable") => "error",
            Some("review") => "warning",
            _ => "note",
        };
        assert_eq!(result["level"], expected, "{result:#}");
    }
}

#[test]
fn sarif_rules_carry_metadata_for_code_scanning() {
    let sarif = json(&report("models/insulin-pump.mtm", "sarif", b""));
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
    // Every rule of the catalogue, then the two binding warnings (dead control, unbound decision).
    assert_eq!(rules.len(), medtm_engine::rules::RULES.len() + 2, "every rule of the catalogue");
    let ids: Vec<&str> = rules[rules.len() - 2..].iter().map(|rule| rule["id"].as_str().expect("id")).collect();
    assert_eq!(ids, ["W0405", "W0406"]);
    let first = &rules[0];
    assert_eq!(first["id"], "MTM001");
    assert_eq!(first["name"], "unauthenticated-command");
    assert!(first["help"]["markdown"].as_str().expect("markdown help").contains("**What to do.**"));
    let tags = first["properties"]["tags"].as_array().expect("tags");
    for tag in ["security", "external/cwe/cwe-306", "stride/spoofing"] {
        assert!(tags.iter().any(|t| t == tag), "{tag} missing from {tags:?}");
    }
    // The highest residual CVSS 4.0 score among the rule's open alerts.
    let mbedtls = result(&sarif, "unsupported-software@mbedtls").expect("alert");
    let rule = &rules[mbedtls["ruleIndex"].as_u64().expect("index") as usize];
    assert_eq!(rule["id"], "MTM010");
    let score = mbedtls["properties"]["residual"]["cvss_v40"]["score"].as_f64().expect("score");
    assert_eq!(rule["properties"]["security-severity"], format!("{score:.1}"));
}

#[test]
fn accepted_and_transferred_findings_are_suppressed_with_their_justification() {
    let sarif = json(&report("models/insulin-pump.mtm", "sarif", b""));
    let accepted = result(&sarif, "replayable-command@bolus").expect("an accepted finding stays visible");
    let suppression = &accepted["suppressions"][0];
    assert_eq!(suppression["kind"], "external");
    assert_eq!(suppression["status"], "accepted");
    let justification = suppression["justification"].as_str().expect("justification");
    assert!(justification.contains("30 s expiry"), "{justification}");
    assert!(justification.contains("Product security board"), "{justification}");
    assert_eq!(suppression["properties"]["review_by"], "2027-03-31");

    let sarif = json(&report("models/infusion-fleet.mtm", "sarif", b""));
    let transferred = result(&sarif, "cleartext-clinical-protocol@auto_program").expect("a transferred finding");
    let justification = transferred["suppressions"][0]["justification"].as_str().expect("justification");
    assert!(justification.starts_with("Transferred to hdo: Run the HL7 interface"), "{justification}");
}

/// Finding id → (rule, start line) of every SARIF result.
fn alerts(sarif: &Value) -> BTreeMap<String, (String, u64)> {
    results(sarif)
        .iter()
        .filter(|r| r["partialFingerprints"]["medtmFindingId/v1"].is_string())
        .map(|r| {
            let fingerprint = r["partialFingerprints"]["medtmFindingId/v1"].as_str().expect("fingerprint").to_owned();
            let rule = r["ruleId"].as_str().expect("rule").to_owned();
            let line = r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().expect("line");
            (fingerprint, (rule, line))
        })
        .collect()
}

#[test]
fn sarif_fingerprints_do_not_move_with_lines() {
    for model in models() {
        let text = std::fs::read_to_string(root().join(&model)).expect("model");
        let before = alerts(&json(&report("-", "sarif", text.as_bytes())));
        let moved = format!("// A comment and a blank line push every declaration down.\n\n{text}");
        let after = alerts(&json(&report("-", "sarif", moved.as_bytes())));
        assert!(!before.is_empty(), "{model} has alerts");
        assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>(), "{model}");
        for (id, (rule, line)) in &before {
            assert_eq!(after[id], (rule.clone(), line + 2), "{model}: {id} should keep its fingerprint");
        }
    }
}

#[test]
fn csv_has_one_quoted_rfc_4180_row_per_finding() {
    let csv = report("models/insulin-pump.mtm", "csv", b"");
    let json = json(&report("models/insulin-pump.mtm", "json", b""));
    let rows: Vec<&str> = csv.split_terminator("\r\n").collect();
    assert!(!csv.replace("\r\n", "").contains('\n'), "every line ends with CRLF");
    assert_eq!(rows.len(), 1 + json["findings"].as_array().expect("findings").len());
    assert!(rows[0].starts_with("rank,risk rank,risk,id,rule,rule name,title,subject,subject label,STRIDE,CVSS 3.1"));
    assert!(rows[0].ends_with(",controls applied,controls not applied,assumes,still missing,attack path"));
    let top = &json["findings"][0];
    let expected_start = format!(
        "1,{},{},{},{},{},",
        top["risk_rank"],
        top["risk"].as_str().unwrap(),
        top["id"].as_str().unwrap(),
        top["rule"]["code"].as_str().unwrap(),
        top["rule"]["name"].as_str().unwrap()
    );
    assert!(rows[1].starts_with(&expected_start), "{}", rows[1]);
}

#[test]
fn csv_cells_never_run_as_spreadsheet_formulas() {
    let model = br#"system s "=cmd|' /C calc'!A0" { function: therapeutic, environment: home }
asset dose { kind: therapy, harm: catastrophic }
component app "+1 app" { kind: mobile_app, os: ios }
component pump "-2+3, \"quoted\"" { kind: wearable, os: rtos, functions: [therapy_delivery] }
flow dose_request: app -> pump "=HYPERLINK(1)" { medium: ble, carries: [dose], authn: none }
flow echo: pump -> app "@SUM(1+1)" { medium: ble, carries: [dose], authn: none }
"#;
    let csv = report("-", "csv", model);
    assert!(csv.contains(",'=HYPERLINK(1),"), "{csv}");
    assert!(csv.contains(",'@SUM(1+1),"), "{csv}");
    // Quoted as RFC 4180 asks (a comma and quotes inside), and still guarded inside the quotes.
    assert!(csv.contains(r#","'-2+3, ""quoted""","#), "{csv}");
    for line in csv.lines() {
        for cell in line.split(',') {
            assert!(!cell.starts_with(['=', '+', '@']), "unguarded cell {cell:?} in {line}");
        }
    }
}

#[test]
fn otm_links_resolve_within_the_document() {
    for model in models() {
        let otm = json(&report(&model, "otm", b""));
        let ids = |key: &str| -> Vec<String> {
            otm[key].as_array().expect(key).iter().map(|item| item["id"].as_str().expect("id").to_owned()).collect()
        };
        let (zones, components, threats, mitigations) =
            (ids("trustZones"), ids("components"), ids("threats"), ids("mitigations"));
        let json_report = json(&report(&model, "json", b""));
        assert_eq!(
            threats.len(),
            json_report["findings"].as_array().expect("findings").len(),
            "{model}: a threat per finding"
        );
        let mut instances = 0;
        for item in otm["components"].as_array().into_iter().chain(otm["dataflows"].as_array()).flatten() {
            for instance in item["threats"].as_array().expect("threat instances") {
                instances += 1;
                assert!(threats.iter().any(|t| *t == instance["threat"]), "{model}: {instance}");
                for mitigation in instance["mitigations"].as_array().expect("mitigations") {
                    assert!(mitigations.iter().any(|m| *m == mitigation["mitigation"]), "{model}: {mitigation}");
                }
            }
        }
        assert!(instances >= threats.len(), "{model}: every threat is placed on an element or flow");
        for component in otm["components"].as_array().expect("components") {
            let parent = &component["parent"];
            let resolves = parent["trustZone"].as_str().is_some_and(|zone| zones.iter().any(|z| z == zone))
                || parent["component"].as_str().is_some_and(|c| components.iter().any(|id| id == c));
            assert!(resolves, "{model}: {component}");
        }
        for flow in otm["dataflows"].as_array().expect("dataflows") {
            for end in ["source", "destination"] {
                assert!(components.iter().any(|c| *c == flow[end]), "{model}: {flow}");
            }
        }
    }
}

#[test]
fn otm_rates_zones_and_scores_threats_from_the_model() {
    let otm = json(&report("models/insulin-pump.mtm", "otm", b""));
    let zone = |id: &str| otm["trustZones"].as_array().unwrap().iter().find(|z| z["id"] == id).cloned().expect(id);
    assert!(zone("body")["risk"]["trustRating"].as_u64() > zone("phone")["risk"]["trustRating"].as_u64());
    let pump = otm["components"].as_array().unwrap().iter().find(|c| c["id"] == "pump").expect("pump");
    assert_eq!(pump["parent"]["trustZone"], "body");
    let threat =
        otm["threats"].as_array().unwrap().iter().find(|t| t["id"] == "replayable-command@bolus").expect("threat");
    assert_eq!(threat["categories"], serde_json::json!(["Spoofing", "Tampering"]));
    assert_eq!(threat["risk"]["impact"], 100, "catastrophic harm");
    assert_eq!(threat["attributes"]["owner"], "Product security board");
}

#[test]
fn sbom_lists_the_software_with_support_status() {
    let bom = json(&sbom("models/insulin-pump.mtm"));
    assert_eq!(bom["specVersion"], "1.5");
    assert!(bom.get("serialNumber").is_none() && bom["metadata"].get("timestamp").is_none(), "deterministic");
    assert_eq!(bom["metadata"]["component"]["bom-ref"], "acme_ids");
    let mbedtls = bom["components"].as_array().unwrap().iter().find(|c| c["bom-ref"] == "mbedtls").expect("mbedtls");
    assert_eq!(mbedtls["purl"], "pkg:generic/mbedtls@2.16.12");
    let property = |name: &str| {
        mbedtls["properties"].as_array().unwrap().iter().find(|p| p["name"] == name).map(|p| p["value"].clone())
    };
    assert_eq!(property("medtm:support"), Some(Value::from("unmaintained")));
    assert_eq!(property("medtm:end_of_support"), Some(Value::from("2021-12-31")));
    assert_eq!(property("medtm:used_by"), Some(Value::from("pump")));
    let depends_on = &bom["dependencies"][0];
    assert_eq!(depends_on["ref"], "acme_ids");
    assert_eq!(depends_on["dependsOn"], serde_json::json!(["freertos", "mbedtls"]));
}

#[test]
fn sbom_refuses_a_model_with_errors() {
    let run = medtm(&["sbom", "tests/fixtures/diagnostics/E0303-unresolved-reference.mtm"], b"");
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("E0303") && run.stderr.contains("fix them to get an SBOM"), "{}", run.stderr);
}

#[test]
fn sbom_writes_to_a_file_when_asked() {
    let out = std::env::temp_dir().join(format!("medtm-sbom-{}.cdx.json", std::process::id()));
    let run = medtm(&["sbom", "-o", &out.to_string_lossy(), "models/pacs-imaging.mtm"], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let written = std::fs::read_to_string(&out).expect("SBOM written");
    assert_eq!(written, sbom("models/pacs-imaging.mtm"));
    let _ = std::fs::remove_file(out);
}

/// A large model's SARIF is written a batch of results at a time into the rest of the log: it
/// must still be one valid log, with every open or decided finding once, in rank order, across
/// the batches' seams.
#[test]
fn large_sarif_logs_hold_every_result_in_rank_order() {
    let model = medtm_gen::hospital(400, 1);
    let sarif = json(&report("-", "sarif", model.as_bytes()));
    let report = json(&report("-", "json", model.as_bytes()));
    let expected: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|finding| finding["status"] != "mitigated" || finding["residual"]["level"] != "acceptable")
        .map(|finding| finding["id"].as_str().expect("id"))
        .collect();
    let found: Vec<&str> =
        results(&sarif).iter().filter_map(|r| r["partialFingerprints"]["medtmFindingId/v1"].as_str()).collect();
    assert!(expected.len() > 2_048, "the model gives {} results: too few to span batches", expected.len());
    assert_eq!(found, expected);
}

/// Dead controls and unbound decisions are part of the report in every format, located at the
/// control or decision; SARIF locations stay relative to the repository root (with
/// `%SRCROOT%`) when the model is named by an absolute path.
#[test]
fn dead_controls_and_unbound_decisions_are_reported_at_their_declaration_in_every_format() {
    let dead = root().join("tests/fixtures/diagnostics/W0405-dead-control.mtm");
    let unbound = root().join("tests/fixtures/diagnostics/W0406-stale-decision.mtm");
    let run = |path: &std::path::Path, format: &str| {
        let run = medtm(&["report", "--today", TODAY, "--format", format, &path.to_string_lossy()], b"");
        assert_eq!(run.code, 0, "{}: {}", path.display(), run.stderr);
        run.stdout
    };
    let line_of = |path: &std::path::Path, start: &str| {
        let text = std::fs::read_to_string(path).expect("fixture");
        text.lines().position(|line| line.starts_with(start)).expect("declaration") as u64 + 1
    };

    let sarif = json(&run(&dead, "sarif"));
    let dead_results: Vec<&Value> = results(&sarif).iter().filter(|r| r["ruleId"] == "W0405").collect();
    assert_eq!(dead_results.len(), 2, "both dead controls: {sarif:#}");
    let lockout = dead_results
        .iter()
        .find(|r| r["partialFingerprints"]["medtmBindingId/v1"] == "dead-control@lockout")
        .expect("lockout");
    let location = &lockout["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "tests/fixtures/diagnostics/W0405-dead-control.mtm");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(location["region"]["startLine"], line_of(&dead, "control lockout"));
    assert!(lockout["message"]["text"].as_str().is_some_and(|text| text.contains("covers nothing")), "{lockout:#}");

    let sarif = json(&run(&unbound, "sarif"));
    let decision = results(&sarif).iter().find(|r| r["ruleId"] == "W0406").expect("the unbound decision");
    assert_eq!(decision["locations"][0]["physicalLocation"]["region"]["startLine"], line_of(&unbound, "accept"));
    assert_eq!(decision["properties"]["rule"], "replayable-command");

    let report = json(&run(&dead, "json"));
    let controls: Vec<&str> = report["bindings"]["dead_controls"]
        .as_array()
        .expect("dead controls")
        .iter()
        .filter_map(|d| d["control"].as_str())
        .collect();
    assert_eq!(controls, ["lockout", "confirm_on_pump"]);
    let report = json(&run(&unbound, "json"));
    assert_eq!(report["bindings"]["unbound_decisions"][0]["rule"], "replayable-command");
    assert_eq!(report["bindings"]["unbound_decisions"][0]["location"]["line"], line_of(&unbound, "accept"));

    for format in ["text", "markdown", "html"] {
        let output = run(&dead, format);
        assert!(output.contains("lockout") && output.contains("confirm_on_pump"), "{format}: {output}");
        assert!(output.contains("covers nothing"), "{format}: {output}");
        let output = run(&unbound, format);
        assert!(output.contains("does not fire on"), "{format}: {output}");
    }
}
