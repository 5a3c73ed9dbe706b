//! No default is silent: every attribute the analysis reads, left out, is listed in the report's
//! assumptions with its place, and the findings that rest on it say so.
//!
//! Derived from the schema: a base model states every attribute of every kind of declaration in
//! a setting where the analysis reads it, one per line, each line marked `// keyword.attribute`.
//! For every attribute the schema says the analysis reads (and for the keys of a flow's
//! `returns`), the test drops that line and checks the report. A new attribute without a line in
//! the base model fails the test until one is added.

use medtm_model::schema::{self, AttributeSpec};
use medtm_syntax::ast::Keyword;
use medtm_tests::{TODAY, medtm};

/// Every declaration kind, every attribute stated, in a setting where the analysis reads it: a
/// Windows workstation (anti-malware), a device (update, debug ports), a component holding a
/// secret (custody), a credential (opens, provisioning), PHI (patients), a `<->` flow (returns).
const BASE: &str = r#"system plant "Plant" {
  version: "1.0" // system.version
  function: therapeutic // system.function
  environment: hospital // system.environment
  device_class: "II" // system.device_class
}

asset dose "Dose" {
  kind: therapy // asset.kind
  harm: catastrophic // asset.harm
}
asset records "Records" {
  kind: phi // asset.kind.phi
  patients: 2000 // asset.patients
}
asset service_key "Service key" {
  kind: credential // asset.kind.key
  opens: [orders] // asset.opens
  provisioning: shared // asset.provisioning
}

actor nurse "Nurse" {
  role: nurse // actor.role
  auth: smartcard // actor.auth
}

boundary ward "Ward" {
  kind: clinical_vlan // boundary.kind
  hostile: true // boundary.hostile

  component pump "Pump" {
    kind: bedside // component.kind
    os: rtos // component.os
    functions: [therapy_delivery] // component.functions
    update: { supported: true, signed: true, anti_rollback: true, secure_boot: true } // component.update
    debug_ports: { swd: locked } // component.debug_ports
    logging: off_device // component.logging
    count: 40 // component.count
    custody: leaves // component.custody
    stores: [pump_flash] // component.stores
    software: [rtos_kernel] // component.software
  }
  store pump_flash "Pump flash" {
    holds: [service_key] // store.holds
    encrypted: true // store.encrypted
  }
  component station "Station" {
    kind: workstation // component.kind.workstation
    os: windows // component.os.windows
    functions: [workflow] // component.functions.station
    antimalware: true // component.antimalware
    logging: off_device // component.logging.station
    count: 2 // component.count.station
  }
}

software rtos_kernel "Kernel" {
  version: "1" // software.version
  purl: "pkg:generic/kernel@1" // software.purl
  cpe: "cpe:2.3:o:x:kernel:1" // software.cpe
  supplier: "X" // software.supplier
  license: "MIT" // software.license
  support: maintained // software.support
  end_of_support: 2030-01-01 // software.end_of_support
}

flow orders: station <-> pump "Orders" {
  medium: ethernet // flow.medium
  protocol: https // flow.protocol
  carries: [dose] // flow.carries
  authn: mtls // flow.authn
  encryption: tls1_3 // flow.encryption
  integrity: mac // flow.integrity
  replay: counter // flow.replay
  returns: {
    carries: [records] // flow.returns.carries
    authn: certificate // flow.returns.authn
    encryption: tls1_3 // flow.returns.encryption
    integrity: mac // flow.returns.integrity
    replay: counter // flow.returns.replay
  } // flow.returns
}
flow nurse -> station "Enter orders" {
  medium: ui, protocol: proprietary, carries: [dose], authn: smartcard
  encryption: none, integrity: signature, replay: nonce
}

control segmentation "Segmentation" {
  category: authorization // control.category
  covers: [ward] // control.covers
  mitigates: [unauthenticated-command] // control.mitigates
  status: implemented // control.status
  effect: { AV: A } // control.effect
  verified_by: ["T-1"] // control.verified_by
}

risk_matrix matrix {
  high: { negligible: review, minor: review, serious: unacceptable, critical: unacceptable, catastrophic: unacceptable } // risk_matrix.high
  medium: { negligible: acceptable, minor: review, serious: review, critical: unacceptable, catastrophic: unacceptable } // risk_matrix.medium
  low: { negligible: acceptable, minor: acceptable, serious: review, critical: review, catastrophic: review } // risk_matrix.low
}

assumption trusted_staff "Staff are trusted." // assumption.text
"#;

/// The base model without the lines marked `marker` (a whole `returns` block for
/// `flow.returns`). `None` when no line carries the marker.
fn without(marker: &str) -> Option<String> {
    let tag = format!("// {marker}");
    let lines: Vec<&str> = BASE.lines().collect();
    let ends = |line: &str| line.trim_end().ends_with(&tag);
    let hit = lines.iter().position(|line| ends(line))?;
    let mut kept: Vec<&str> = Vec::new();
    if marker == "flow.returns" {
        // The block from `returns: {` to its closing line.
        let start = lines.iter().position(|line| line.trim_start().starts_with("returns:"))?;
        kept.extend(&lines[..start]);
        kept.extend(&lines[hit + 1..]);
    } else {
        kept.extend(lines.iter().enumerate().filter(|(index, _)| *index != hit).map(|(_, line)| *line));
    }
    Some(kept.join("\n") + "\n")
}

/// The declaration of each marker's attribute, and the attribute as the report names it.
fn subject_and_attribute(marker: &str) -> (&'static str, String) {
    let (keyword, attribute) = marker.split_once('.').expect("keyword.attribute");
    let attribute = attribute.split('.').next().expect("an attribute").to_owned();
    let nested = marker.strip_prefix("flow.returns.").map(|key| format!("returns.{key}"));
    let subject = match marker {
        "asset.kind" | "asset.harm" => "dose",
        "asset.patients" => "records",
        "asset.opens" | "asset.provisioning" => "service_key",
        "component.antimalware" => "station",
        _ => match keyword {
            "system" => "plant",
            "actor" => "nurse",
            "boundary" => "ward",
            "component" => "pump",
            "store" => "pump_flash",
            "software" => "rtos_kernel",
            "flow" => "orders",
            "control" => "segmentation",
            "risk_matrix" => "matrix",
            _ => "trusted_staff",
        },
    };
    (subject, nested.unwrap_or(attribute))
}

fn report(text: &str) -> serde_json::Value {
    let run = medtm(&["report", "--format", "json", "--today", TODAY, "-"], text.as_bytes());
    assert!(run.code == 0 || run.code == 3, "the model does not analyse:\n{}\n{text}", run.stderr);
    serde_json::from_str(&run.stdout).expect("a JSON report")
}

/// Whether the report's assumptions list `attribute` of `subject` as a default.
fn listed(report: &serde_json::Value, subject: &str, attribute: &str) -> bool {
    report["assumptions"].as_array().into_iter().flatten().any(|assumption| {
        assumption["kind"] == "default"
            && assumption["attribute"] == attribute
            && assumption["subjects"].as_array().into_iter().flatten().any(|listed| listed["id"] == subject)
    })
}

#[test]
fn the_base_model_states_everything() {
    let base = report(BASE);
    let defaults: Vec<&serde_json::Value> =
        base["assumptions"].as_array().into_iter().flatten().filter(|a| a["kind"] == "default").collect();
    assert!(defaults.is_empty(), "the base model leaves something out: {defaults:#?}");
}

#[test]
fn every_default_the_analysis_applies_is_listed() {
    let mut specs: Vec<(String, &AttributeSpec)> = Keyword::ALL
        .iter()
        .flat_map(|keyword| {
            schema::attributes(*keyword).iter().map(move |spec| (format!("{keyword}.{}", spec.name), spec))
        })
        .collect();
    specs.extend(schema::RESPONSE.iter().map(|spec| (format!("flow.returns.{}", spec.name), spec)));
    let mut checked = 0;
    let mut problems = Vec::new();
    for (marker, spec) in specs {
        if !spec.assumed {
            continue;
        }
        let Some(text) = without(&marker) else {
            problems.push(format!("`{marker}` is read by the analysis but the base model does not state it"));
            continue;
        };
        let (subject, attribute) = subject_and_attribute(&marker);
        checked += 1;
        if !listed(&report(&text), subject, &attribute) {
            problems.push(format!("`{attribute}` left out of `{subject}` is not listed as an assumption"));
        }
    }
    assert!(checked >= 35, "only {checked} attributes checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_finding_that_rests_on_a_default_says_so_and_ranks_after_stated_ones() {
    // `replay` left out of a command flow: the replay finding rests on the default.
    let text = without("flow.replay").expect("marked");
    let report = report(&text);
    let finding = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|finding| finding["id"] == "replayable-command@orders")
        .expect("the replay finding");
    let assumed = finding["assumed"].as_array().expect("assumed");
    assert!(
        assumed.iter().any(|fact| fact["subject"] == "orders" && fact["attribute"] == "replay"),
        "the finding does not say it rests on `orders.replay`: {assumed:?}"
    );
}
