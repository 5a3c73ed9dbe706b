//! SARIF 2.1.0 for code-scanning views: one run with the metadata of every rule, and one result
//! per finding that is still open or only partially mitigated, located at its subject in the
//! `.mtm` file. Accepted and transferred findings are reported too, with an external suppression
//! that carries the decision's justification, so a code host shows them as dismissed rather than
//! forgetting them. Mitigated findings are left out.
//!
//! A code host tracks an alert across commits by `partialFingerprints`: medtm's is the finding's
//! stable id (`rule-name@subject`), which does not depend on where the subject sits in the file.
//!
//! Nothing is silent here either: controls that lower no risk and decisions that decide nothing
//! are results of their own (rules `W0405` and `W0406`, as `medtm check` names them), located at
//! the control or decision, and every result carries the controls that apply to its finding,
//! those that cover it without applying (with why), and the defaults it rests on.
//!
//! Locations are relative to the repository root (`uriBaseId` `%SRCROOT%`) when the command line
//! knows where the model sits in its repository, however the model was named.
//!
//! The log is built with `serde-sarif`, whose types are generated from the OASIS schema and whose
//! property bags are ordered maps, so the same model always gives the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use medtm_engine::rule::stride_letters;
use medtm_engine::rules::RULES;
use medtm_engine::{Rule, Status};
use medtm_model::vocab::{RiskLevel, Vocabulary as _};
use medtm_syntax::LineIndex;
use rayon::prelude::*;
use serde_json::{Value, json};
use serde_sarif::sarif;

use crate::Inputs;
use crate::dto::{FindingReport, Location, Report};

/// The schema the log declares (the OASIS 2.1.0 schema with errata 01).
const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Where users learn about the tool (the workspace's `repository`).
const INFORMATION_URI: &str = "https://github.com/medtm/medtm";

/// The key of the partial fingerprint: the finding's stable id, versioned so that a change of
/// scheme never matches old alerts by accident.
pub const FINGERPRINT: &str = "medtmFindingId/v1";

/// The key of the partial fingerprint of a dead control or unbound decision: what it is and
/// where it points (`dead-control@id`, `unbound-accept@rule@subject`).
pub const BINDING_FINGERPRINT: &str = "medtmBindingId/v1";

/// Writes the SARIF log as pretty JSON (with a trailing newline).
///
/// The results are nearly all of a large model's log: the rest of the log is serialised around an
/// empty result list, and the results are built, serialised and written into it a batch at a
/// time (over the cores), so the log is never held whole. The bytes are those of serialising the
/// whole log at once.
pub fn write(inputs: &Inputs<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_at(inputs, None, out)
}

/// The base URI id of a path relative to the repository root, which code hosts resolve.
pub const SOURCE_ROOT: &str = "%SRCROOT%";

/// [`write`], with locations relative to the repository root when `repository_path` (the model's
/// path from the root of its repository, with `/` separators) is given.
pub fn write_at(
    inputs: &Inputs<'_>,
    repository_path: Option<&str>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let report = inputs.report;
    let lines = LineIndex::new(inputs.text);
    let artifact = match repository_path {
        Some(path) => Artifact { uri: percent_encode(path, false), base: Some(SOURCE_ROOT) },
        None => Artifact { uri: file_uri(&report.source), base: None },
    };
    let uri = &artifact;
    let framed = serde_json::to_string_pretty(&frame(inputs))?;
    let Some((before, after)) = framed.split_once(EMPTY_RESULTS) else {
        return Err(std::io::Error::other("the SARIF log has no result list"));
    };
    out.write_all(before.as_bytes())?;
    // serde_json indents each level by two spaces: the list's items sit one level deeper than
    // its key.
    let indent = &before[before.rfind('\n').map_or(0, |at| at + 1)..];
    let item_indent = format!("{indent}  ");
    let mut any = false;
    out.write_all(b"\"results\": [")?;
    let nest = |result: &sarif::Result| {
        // JSON text has no line breaks inside strings, so indenting each line of the result's
        // own pretty form nests it exactly as the whole log's would.
        let json = serde_json::to_string_pretty(result).unwrap_or_default();
        let mut item = String::with_capacity(json.len() + 64 * item_indent.len());
        for line in json.lines() {
            item.push('\n');
            item.push_str(&item_indent);
            item.push_str(line);
        }
        item
    };
    let unbound: Vec<String> =
        unbound_results(report, uri, &|at| region(&lines, inputs.text, at)).iter().map(nest).collect();
    let batches = report.findings.batches().map(|batch| {
        batch
            .par_iter()
            .filter(|finding| is_reported(finding))
            .map(|finding| nest(&result(finding, uri, &|at| region(&lines, inputs.text, at))))
            .collect::<Vec<String>>()
    });
    for items in std::iter::once(unbound).chain(batches) {
        for item in items {
            if any {
                out.write_all(b",")?;
            }
            out.write_all(item.as_bytes())?;
            any = true;
        }
    }
    if any {
        write!(out, "\n{indent}]")?;
    } else {
        out.write_all(b"]")?;
    }
    out.write_all(after.as_bytes())?;
    out.write_all(b"\n")
}

/// How an empty result list is serialised, where [`write`] puts the results.
const EMPTY_RESULTS: &str = "\"results\": []";

/// The SARIF log of a report with an empty result list, for [`write`] to fill.
fn frame(inputs: &Inputs<'_>) -> sarif::Sarif {
    let report = inputs.report;
    let mut rules =
        RULES.iter().map(|rule| descriptor(rule, security_severity(rule, inputs.analysis))).collect::<Vec<_>>();
    rules.extend(binding_descriptors());
    let driver = sarif::ToolComponent::builder()
        .name(report.tool.name)
        .version(report.tool.version)
        .semantic_version(report.tool.version)
        .information_uri(INFORMATION_URI)
        .rules(rules)
        .build();
    let mut run_properties = BTreeMap::new();
    if let Some(date) = &report.analysed_on {
        run_properties.insert("analysed_on".to_owned(), json!(date));
    }
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .automation_details(sarif::RunAutomationDetails::builder().id(automation_id(report)).build())
        // Columns count Unicode scalar values, as everywhere in medtm.
        .column_kind(json!("unicodeCodePoints"))
        .results(Vec::new())
        .properties(sarif::PropertyBag::builder().additional_properties(run_properties).build())
        .build();
    sarif::Sarif::builder().schema(SCHEMA).version(json!("2.1.0")).runs(vec![run]).build()
}

/// Whether a finding becomes a result: open, partially mitigated, mitigated with a residual
/// still at review or above, or decided (accepted or transferred, reported as suppressed).
/// Findings that controls made acceptable need no alert.
fn is_reported(finding: &FindingReport) -> bool {
    finding.status != Status::Mitigated.as_str() || finding.residual.level != RiskLevel::Acceptable.as_str()
}

/// Where results point: the model file, relative to a base when known.
struct Artifact {
    uri: String,
    base: Option<&'static str>,
}

impl Artifact {
    fn location(&self) -> sarif::ArtifactLocation {
        match self.base {
            Some(base) => sarif::ArtifactLocation::builder().uri(self.uri.as_str()).uri_base_id(base).build(),
            None => sarif::ArtifactLocation::builder().uri(self.uri.as_str()).build(),
        }
    }
}

/// The rule ids of results about bindings: `medtm check`'s codes for the same warnings.
const DEAD_CONTROL: &str = "W0405";
const UNBOUND_DECISION: &str = "W0406";

/// The descriptors of the binding results, after the threat rules.
fn binding_descriptors() -> [sarif::ReportingDescriptor; 2] {
    let descriptor = |id: &str, name: &str, title: &str, detail: &str| {
        sarif::ReportingDescriptor::builder()
            .id(id)
            .name(name)
            .short_description(sarif::MultiformatMessageString::builder().text(title).build())
            .full_description(sarif::MultiformatMessageString::builder().text(detail).build())
            .default_configuration(sarif::ReportingConfiguration::builder().level(json!("warning")).build())
            .properties(sarif::PropertyBag::builder().tags(vec!["maintainability".to_owned()]).build())
            .build()
    };
    [
        descriptor(
            DEAD_CONTROL,
            "dead-control",
            "Control lowers no risk",
            "A control that applies to no finding: it covers nothing, covers only findings it does not answer (its category does not protect against their threat, or its `mitigates` names other rules), or what it answered is gone.",
        ),
        descriptor(
            UNBOUND_DECISION,
            "unbound-decision",
            "Decision decides nothing",
            "An `accept` or `transfer` whose rule does not fire on its subject, so the risk it meant to decide stays open under another rule or leg, or is gone.",
        ),
    ]
}

/// The results for controls that lower no risk and decisions that decide nothing.
fn unbound_results(report: &Report, uri: &Artifact, region: &dyn Fn(&Location) -> sarif::Region) -> Vec<sarif::Result> {
    let rule_index = |id: &str| int(RULES.len() + usize::from(id == UNBOUND_DECISION));
    let located = |at: &Location| {
        vec![
            sarif::Location::builder()
                .physical_location(
                    sarif::PhysicalLocation::builder().artifact_location(uri.location()).region(region(at)).build(),
                )
                .build(),
        ]
    };
    let bindings = &report.bindings;
    let dead = bindings.dead_controls.iter().map(|dead| {
        let properties = BTreeMap::from([
            ("control".to_owned(), json!(dead.control)),
            ("reason".to_owned(), json!(dead.reason)),
            ("status".to_owned(), json!(dead.status)),
        ]);
        sarif::Result::builder()
            .rule_id(DEAD_CONTROL)
            .rule_index(rule_index(DEAD_CONTROL))
            .level(sarif::ResultLevel::Warning)
            .message(
                sarif::Message::builder()
                    .text(format!("Control `{}` lowers no risk: {}", dead.control, dead.reason))
                    .build(),
            )
            .locations(located(&dead.location))
            .partial_fingerprints(BTreeMap::from([(
                BINDING_FINGERPRINT.to_owned(),
                format!("dead-control@{}", dead.control),
            )]))
            .properties(sarif::PropertyBag::builder().additional_properties(properties).build())
            .build()
    });
    let unbound = bindings.unbound_decisions.iter().map(|unbound| {
        let properties = BTreeMap::from([
            ("decision".to_owned(), json!(unbound.kind)),
            ("rule".to_owned(), json!(unbound.rule)),
            ("subject".to_owned(), json!(unbound.subject)),
            ("reason".to_owned(), json!(unbound.reason)),
            ("fires_instead".to_owned(), json!(unbound.fires_instead)),
            ("leg_instead".to_owned(), json!(unbound.leg_instead)),
        ]);
        sarif::Result::builder()
            .rule_id(UNBOUND_DECISION)
            .rule_index(rule_index(UNBOUND_DECISION))
            .level(sarif::ResultLevel::Warning)
            .message(
                sarif::Message::builder()
                    .text(format!(
                        "`{} {} on {}` decides nothing: {}",
                        unbound.kind, unbound.rule, unbound.subject, unbound.reason
                    ))
                    .build(),
            )
            .locations(located(&unbound.location))
            .partial_fingerprints(BTreeMap::from([(
                BINDING_FINGERPRINT.to_owned(),
                format!("unbound-{}@{}@{}", unbound.kind, unbound.rule, unbound.subject),
            )]))
            .properties(sarif::PropertyBag::builder().additional_properties(properties).build())
            .build()
    });
    dead.chain(unbound).collect()
}

fn is_decided(finding: &FindingReport) -> bool {
    finding.status == Status::Accepted.as_str() || finding.status == Status::Transferred.as_str()
}

/// The category a code host files the alerts under (the part before the last `/`): one per
/// system, so that several models in one repository do not replace each other's alerts.
fn automation_id(report: &Report) -> String {
    format!("medtm/{}/", report.system.id.as_deref().unwrap_or(&report.source))
}

/// A rule's metadata. Results carry their own level (from their residual risk), so every rule's
/// default level is `warning`, the level of a finding that needs review.
fn descriptor(rule: &Rule, security_severity: Option<f64>) -> sarif::ReportingDescriptor {
    let mut tags = vec!["security".to_owned()];
    tags.extend(rule.stride.iter().map(|stride| format!("stride/{}", stride.name().to_lowercase().replace(' ', "-"))));
    tags.extend(rule.cwe.iter().map(|id| format!("external/cwe/cwe-{id}")));
    let mut properties = BTreeMap::new();
    properties.insert("stride".to_owned(), json!(stride_letters(rule.stride)));
    properties.insert(
        "control_categories".to_owned(),
        json!(rule.answered_by().iter().map(|c| c.as_str()).collect::<Vec<_>>()),
    );
    // Code hosts read `security-severity` (a CVSS-like score as a string) to rank alerts: the
    // highest residual CVSS 4.0 score among the rule's unsuppressed results in this run.
    if let Some(score) = security_severity {
        properties.insert("security-severity".to_owned(), json!(format!("{score:.1}")));
    }
    sarif::ReportingDescriptor::builder()
        .id(rule.code)
        .name(rule.name)
        .short_description(sarif::MultiformatMessageString::builder().text(rule.title).build())
        .full_description(sarif::MultiformatMessageString::builder().text(rule.docs.detects).build())
        .help(sarif::MultiformatMessageString::builder().text(help_text(rule)).markdown(help_markdown(rule)).build())
        .default_configuration(sarif::ReportingConfiguration::builder().level(json!("warning")).build())
        .properties(sarif::PropertyBag::builder().tags(tags).additional_properties(properties).build())
        .build()
}

/// The highest residual CVSS 4.0 score among the rule's open (or partially mitigated) findings.
fn security_severity(rule: &Rule, analysis: &medtm_engine::Analysis) -> Option<f64> {
    analysis
        .findings
        .iter()
        .filter(|finding| {
            finding.rule.code == rule.code && matches!(finding.status, Status::Open | Status::PartiallyMitigated)
        })
        .map(|finding| finding.residual.v40.score)
        .reduce(f64::max)
}

/// A rule's references as (label, address) pairs.
fn references(rule: &Rule) -> Vec<(String, String)> {
    let cwe =
        rule.cwe.iter().map(|id| (format!("CWE-{id}"), format!("https://cwe.mitre.org/data/definitions/{id}.html")));
    let capec = rule
        .capec
        .iter()
        .map(|id| (format!("CAPEC-{id}"), format!("https://capec.mitre.org/data/definitions/{id}.html")));
    let attack = rule.attack_techniques.iter().map(|technique| {
        (format!("ATT&CK {technique}"), format!("https://attack.mitre.org/techniques/{}/", technique.replace('.', "/")))
    });
    cwe.chain(capec).chain(attack).collect()
}

fn help_text(rule: &Rule) -> String {
    let docs = &rule.docs;
    let references: Vec<String> = references(rule).into_iter().map(|(label, _)| label).collect();
    format!(
        "{}\n\nWhy it matters: {}\n\nWhat to do: {}\n\nExample:\n{}\n\nReferences: {}",
        docs.detects,
        docs.why,
        docs.mitigate,
        docs.example,
        references.join(", ")
    )
}

fn help_markdown(rule: &Rule) -> String {
    let docs = &rule.docs;
    let references: Vec<String> =
        references(rule).into_iter().map(|(label, address)| format!("[{label}]({address})")).collect();
    format!(
        "{}\n\n**Why it matters.** {}\n\n**What to do.** {}\n\n**Example**\n\n```\n{}\n```\n\n**References:** {}",
        docs.detects,
        docs.why,
        docs.mitigate,
        docs.example,
        references.join(", ")
    )
}

fn result(finding: &FindingReport, uri: &Artifact, region: &dyn Fn(&Location) -> sarif::Region) -> sarif::Result {
    let rule_index = RULES.iter().position(|rule| rule.code == finding.rule.code).unwrap_or_default();
    let location = sarif::Location::builder()
        .physical_location(
            sarif::PhysicalLocation::builder()
                .artifact_location(uri.location())
                .region(region(&finding.subject.location))
                .build(),
        )
        .build();
    let fingerprints = BTreeMap::from([(FINGERPRINT.to_owned(), finding.id.to_owned())]);
    let properties = sarif::PropertyBag::builder().additional_properties(result_properties(finding)).build();
    let builder = sarif::Result::builder()
        .rule_id(finding.rule.code)
        .rule_index(int(rule_index))
        .level(level(finding.residual.level))
        .message(sarif::Message::builder().text(finding.explanation).build())
        .locations(vec![location])
        .partial_fingerprints(fingerprints)
        .properties(properties);
    match suppression(finding) {
        Some(suppression) => builder.suppressions(vec![suppression]).build(),
        None => builder.build(),
    }
}

/// The result's level from its residual risk.
fn level(residual: &str) -> sarif::ResultLevel {
    if residual == RiskLevel::Unacceptable.as_str() {
        sarif::ResultLevel::Error
    } else if residual == RiskLevel::Review.as_str() {
        sarif::ResultLevel::Warning
    } else {
        sarif::ResultLevel::Note
    }
}

/// What a code host shows beside the alert: the scores and standing of the finding, in the
/// JSON report's names and shapes.
fn result_properties(finding: &FindingReport) -> BTreeMap<String, Value> {
    let mut properties = BTreeMap::from([
        ("rank".to_owned(), json!(finding.rank)),
        ("finding".to_owned(), json!(finding.id)),
        ("status".to_owned(), json!(finding.status)),
        ("stride".to_owned(), json!(finding.stride)),
        (
            "subject".to_owned(),
            json!({ "id": finding.subject.id, "kind": finding.subject.kind, "label": finding.subject.label }),
        ),
        ("inherent".to_owned(), json!(finding.inherent)),
        ("residual".to_owned(), json!(finding.residual)),
        ("risk".to_owned(), json!(finding.risk)),
        ("risk_rank".to_owned(), json!(finding.risk_rank)),
        (
            "controls".to_owned(),
            json!(
                finding
                    .controls
                    .iter()
                    .map(|c| json!({ "id": c.id, "status": c.status, "basis": c.basis }))
                    .collect::<Vec<_>>()
            ),
        ),
        (
            "unapplied_controls".to_owned(),
            json!(
                finding
                    .unapplied_controls
                    .iter()
                    .map(|c| json!({ "id": c.id, "reason": c.reason }))
                    .collect::<Vec<_>>()
            ),
        ),
        ("assumed".to_owned(), json!(finding.assumed)),
    ]);
    if finding.unapplied_more > 0 {
        properties.insert("unapplied_more".to_owned(), json!(finding.unapplied_more));
    }
    if let Some(missing) = &finding.still_missing {
        properties.insert("still_missing".to_owned(), json!(missing));
    }
    if let Some(harm) = finding.harm {
        properties.insert("harm".to_owned(), json!(harm));
    }
    if let Some(reach) = finding.multi_patient_reach {
        properties.insert("multi_patient_reach".to_owned(), json!(reach));
    }
    properties
}

/// An accepted or transferred finding's suppression: kept outside the log (in the model), and
/// accepted, with the decision's reason (or labeling) and owner as the justification.
fn suppression(finding: &FindingReport) -> Option<sarif::Suppression> {
    let decision = finding.decision.as_ref().filter(|_| is_decided(finding))?;
    let rationale = decision.reason.or(decision.labeling).unwrap_or("no reason given");
    let mut justification = match decision.to {
        Some(party) => format!("Transferred to {party}: {rationale}"),
        None => format!("Accepted: {rationale}"),
    };
    if let Some(owner) = &decision.owner {
        let _ = write!(justification, " (owner: {owner})");
    }
    let mut properties = BTreeMap::from([("decision".to_owned(), json!(decision.kind))]);
    let optional = [
        ("owner", decision.owner),
        ("reason", decision.reason),
        ("labeling", decision.labeling),
        ("review_by", decision.review_by.as_deref()),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            properties.insert(key.to_owned(), json!(value));
        }
    }
    if let Some(party) = decision.to {
        properties.insert("to".to_owned(), json!(party));
    }
    if decision.review_by.is_some() {
        properties.insert("overdue".to_owned(), json!(decision.overdue));
    }
    Some(
        sarif::Suppression::builder()
            .kind(json!("external"))
            .status(json!("accepted"))
            .justification(justification)
            .properties(sarif::PropertyBag::builder().additional_properties(properties).build())
            .build(),
    )
}

/// The region of a subject: from its start to the character after its end.
fn region(lines: &LineIndex, text: &str, at: &Location) -> sarif::Region {
    let end = lines.line_column(text, at.end);
    sarif::Region::builder()
        .start_line(int(at.line))
        .start_column(int(at.column))
        .end_line(int(end.line))
        .end_column(int(end.column))
        .build()
}

fn int(value: usize) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// The model file as a URI reference: a relative path stays relative (code hosts resolve it from
/// the repository root), an absolute path becomes a `file:` URI; characters outside the unreserved
/// set are percent-encoded.
fn file_uri(source: &str) -> String {
    let path = source.replace('\\', "/");
    let drive = path.len() >= 2 && path.as_bytes()[1] == b':' && path.as_bytes()[0].is_ascii_alphabetic();
    let encoded = percent_encode(&path, drive);
    if path.starts_with('/') {
        format!("file://{encoded}")
    } else if drive {
        format!("file:///{encoded}")
    } else {
        encoded
    }
}

fn percent_encode(path: &str, keep_drive_colon: bool) -> String {
    let mut encoded = String::with_capacity(path.len());
    for (index, byte) in path.bytes().enumerate() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/')
            || (keep_drive_colon && index == 1);
        if keep {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::file_uri;

    #[test]
    fn file_names_become_uri_references() {
        assert_eq!(file_uri("models/insulin-pump.mtm"), "models/insulin-pump.mtm");
        assert_eq!(file_uri("my models/pump #2.mtm"), "my%20models/pump%20%232.mtm");
        assert_eq!(file_uri("/srv/models/pump.mtm"), "file:///srv/models/pump.mtm");
        assert_eq!(file_uri("C:\\models\\pump.mtm"), "file:///C:/models/pump.mtm");
        assert_eq!(file_uri("<stdin>"), "%3Cstdin%3E");
    }
}
