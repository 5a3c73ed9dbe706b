//! Where the scores come from, on small models whose variants differ in one fact: a flaw the
//! model does not show counts in the exploitability band and the ranking, not in the vector;
//! scope changes when the receiver passes what it is sent on to another component; a response
//! sent to whoever asks is read without a position in the middle, and discloses what it carries
//! to whoever sends an unauthenticated command.

use medtm_tests::{TODAY, medtm};
use serde_json::Value;

/// A server pushes pump configuration to a gateway that passes it to a docked pump; a laptop in
/// another zone looks up the infusion history (patient data) from the server.
const BASE: &str = r#"system plant "Plant" { function: therapeutic, environment: hospital }

asset pump_config "Pump configuration" { kind: config, harm: catastrophic }
asset history "Infusion history" { kind: phi, patients: 1 }

boundary ward "Ward" {
  kind: hospital_network
  component server "Server" { kind: onprem_server, os: linux }
  component gateway "Gateway" { kind: gateway, os: embedded_linux, functions: [alarm] }
}
boundary clinic "Clinic network" {
  kind: clinical_vlan
  component laptop "Laptop" { kind: workstation, os: linux }
}
boundary bedside "Bedside" {
  kind: enclosure
  component pump "Pump" { kind: bedside, os: rtos, functions: [therapy_delivery] }
}

flow push: server <-> gateway "Configuration push" {
  medium: network
  protocol: proprietary
  carries: [pump_config]
  authn: none
  encryption: none
  integrity: none
  replay: unknown
  returns: { carries: [history], authn: none }
}

flow dock: gateway -> pump "Dock" {
  medium: serial
  protocol: proprietary
  carries: [pump_config]
  authn: none
  integrity: none
}

flow lookup: laptop <-> server "History lookup" {
  medium: network
  protocol: https
  carries: [pump_config]
  authn: none
  encryption: none
  returns: { carries: [history], authn: none }
}
"#;

fn report(model: &str) -> Value {
    let run = medtm(&["report", "--format", "json", "--today", TODAY, "-"], model.as_bytes());
    assert!(run.code == 0 || run.code == 3, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("a JSON report")
}

fn finding<'r>(report: &'r Value, id: &str) -> &'r Value {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|finding| finding["id"] == id)
        .unwrap_or_else(|| panic!("no finding {id}"))
}

fn vector(finding: &Value) -> &str {
    finding["residual"]["cvss_v31"]["vector"].as_str().expect("a v3.1 vector")
}

fn replaced(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "the base model has `{from}`");
    BASE.replacen(from, to, 1)
}

#[test]
fn a_flaw_not_yet_known_is_scored_as_if_there_and_counted_in_the_band_and_the_rank() {
    let report = report(BASE);
    let parser = finding(&report, "malformed-input-to-safety-function@gateway");
    let command = finding(&report, "unauthenticated-command@push");
    // CVSS scores the parser flaw as if it were there: nothing beyond the attacker's control.
    assert!(vector(parser).contains("/AC:L/"), "{}", vector(parser));
    assert!(parser["residual"]["cvss_v40"]["vector"].as_str().unwrap().contains("/AT:N/"));
    // The band counts that no flaw is known yet, and says so.
    assert_eq!(parser["residual"]["exploitability_counts"], "a flaw not yet known");
    assert_eq!(command["residual"]["exploitability_counts"], Value::Null);
    assert_eq!(command["residual"]["exploitability"], "high");
    assert_eq!(parser["residual"]["exploitability"], "medium", "same AV, AC and PR as the command, one band lower");
    // At the same level, the flaw the model shows ranks first, though the parser's CVSS is as high.
    assert_eq!(parser["residual"]["level"], command["residual"]["level"]);
    assert!(parser["residual"]["cvss_v31"]["score"].as_f64() >= command["residual"]["cvss_v31"]["score"].as_f64());
    assert!(
        command["rank"].as_u64() < parser["rank"].as_u64(),
        "command #{} parser #{}",
        command["rank"],
        parser["rank"]
    );
    let text = medtm(&["report", "--today", TODAY, "-"], BASE.as_bytes()).stdout;
    assert!(text.contains("(exploitability medium, counting a flaw not yet known)"), "{text}");
}

#[test]
fn scope_changes_when_the_receiver_passes_what_it_is_sent_on() {
    let relayed = report(BASE);
    assert!(vector(finding(&relayed, "unauthenticated-command@push")).contains("/S:C/"));
    // Without the dock, the gateway keeps the configuration to itself.
    let kept = BASE.split("flow dock:").next().unwrap().to_owned()
        + "flow lookup:"
        + BASE.split("flow lookup:").nth(1).unwrap();
    let kept = report(&kept);
    assert!(vector(finding(&kept, "unauthenticated-command@push")).contains("/S:U/"));
}

#[test]
fn a_response_sent_to_whoever_asks_is_read_by_asking() {
    let open = report(BASE);
    let response = finding(&open, "cleartext-sensitive-data@lookup.response");
    assert!(vector(response).contains("/AC:L/"), "{}", vector(response));
    let explanation = response["explanation"].as_str().expect("an explanation");
    assert!(explanation.ends_with("and `server` sends it to whoever asks, since the request needs no authentication"));
    // With the request authenticated, reading the response needs a position in the middle.
    let guarded = report(&replaced(
        "  carries: [pump_config]\n  authn: none\n  encryption: none\n  returns",
        "  carries: [pump_config]\n  authn: certificate\n  encryption: none\n  returns",
    ));
    let response = finding(&guarded, "cleartext-sensitive-data@lookup.response");
    assert!(vector(response).contains("/AC:H/"), "{}", vector(response));
    assert!(!response["explanation"].as_str().unwrap().contains("whoever asks"));
}

#[test]
fn an_unauthenticated_command_discloses_what_its_answer_carries() {
    // `push` answers whoever sends a configuration with the infusion history (one patient's).
    let answered = report(BASE);
    let command = finding(&answered, "unauthenticated-command@push");
    assert!(vector(command).contains("/C:L/"), "{}", vector(command));
    assert!(command["explanation"].as_str().unwrap().ends_with("and answers whoever sends it with `history`"));
    // Without the answer, the forged command touches integrity and availability only.
    let silent = report(&replaced(
        "  returns: { carries: [history], authn: none }
}

flow dock",
        "}

flow dock",
    ));
    let command = finding(&silent, "unauthenticated-command@push");
    assert!(vector(command).contains("/C:N/"), "{}", vector(command));
}

#[test]
fn a_resiliency_default_does_not_hold_against_code_running_on_the_subject() {
    let control = "\ncontrol degraded_mode \"Gateway keeps relaying alarms degraded\" {\n  category: resiliency\n  \
                   covers: [gateway]\n  status: implemented\n}\n";
    let vitals = "\nasset vitals \"Vitals\" { kind: monitoring, harm: serious }\n\
                  flow vitals_feed: laptop -> gateway \"Vitals\" { medium: network, protocol: https, carries: [vitals], authn: certificate }\n";
    let report = report(&(BASE.to_owned() + control + vitals));
    // The parser finding is a takeover (elevation of privilege): availability stays High.
    let parser = finding(&report, "malformed-input-to-safety-function@gateway");
    assert!(vector(parser).ends_with("/A:H"), "{}", vector(parser));
    let applied = &parser["controls"][0];
    assert_eq!(applied["id"], "degraded_mode");
    assert_eq!(applied["effect"], serde_json::json!([]));
    assert!(applied["effect_text"].as_str().unwrap().contains("does not hold against code running on the subject"));
    // A flood of the same gateway is what degraded operation answers: A:L, the category default.
    let flood = finding(&report, "safety-link-flooding@vitals_feed");
    assert!(vector(flood).ends_with("/A:L"), "{}", vector(flood));
    assert_eq!(flood["controls"][0]["effect_text"], "A:L (category default)");
    // A stated effect applies whatever the threat.
    let stated = report_with_effect(control);
    assert!(vector(finding(&stated, "malformed-input-to-safety-function@gateway")).ends_with("/A:L"));
}

fn report_with_effect(control: &str) -> Value {
    report(&(BASE.to_owned() + &control.replace("status: implemented", "status: implemented\n  effect: { A: L }")))
}

#[test]
fn a_link_addressed_by_each_unit_s_own_identifier_takes_collecting_it_first() {
    let implicit = replaced(
        "flow dock: gateway -> pump \"Dock\" {\n  medium: serial\n  protocol: proprietary\n  carries: [pump_config]\n  authn: none",
        "flow dock: gateway -> pump \"Dock\" {\n  medium: serial\n  protocol: proprietary\n  carries: [pump_config]\n  authn: implicit",
    );
    let open = report(&implicit);
    assert!(vector(finding(&open, "unauthenticated-command@dock")).contains("/AC:L/"));
    let serial =
        "\nasset pump_serial \"Pump serial number\" { kind: credential, opens: [dock], provisioning: PROVISIONING }\n";
    // Each pump's own serial must be learned before a command reaches it: AC:H.
    let unit = report(&(implicit.clone() + &serial.replace("PROVISIONING", "unique")));
    assert!(vector(finding(&unit, "unauthenticated-command@dock")).contains("/AC:H/"));
    // The same address on every unit is known to everyone: nothing to collect.
    let fleet = report(&(implicit + &serial.replace("PROVISIONING", "hardcoded")));
    assert!(vector(finding(&fleet, "unauthenticated-command@dock")).contains("/AC:L/"));
}

#[test]
fn a_reader_of_what_is_plugged_in_needs_the_attacker_at_the_device() {
    let nfc = report(&replaced("  medium: serial\n", "  medium: nfc\n"));
    assert!(vector(finding(&nfc, "unauthenticated-command@dock")).contains("AV:L/"));
    let contact = report(&replaced("  medium: serial\n", "  medium: contact\n"));
    assert!(vector(finding(&contact, "unauthenticated-command@dock")).contains("AV:P/"));
}
