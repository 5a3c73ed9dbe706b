//! How controls and decisions bind to findings, on the cases users expect to work
//! (`tests/fixtures/binding/`). Each fixture states what it expects in `// expect:` lines, read
//! against the JSON report as a reviewer's tool would read it:
//!
//! - `// expect: RULE@SUBJECT STATUS by CONTROL`: the finding has that status and the control
//!   applies to it;
//! - `// expect: RULE@SUBJECT STATUS, CONTROL not applied`: the control covers the finding's
//!   subject but does not apply, and the report says why (a must-not-bind neighbour);
//! - `// expect: RULE@SUBJECT STATUS`: the finding has that status;
//! - `// expect-unbound: accept|transfer RULE on SUBJECT, instead OTHER-RULE`: the decision
//!   decides nothing, and the report names the rule that does fire on that subject.

use medtm_tests::{TODAY, medtm, root};
use serde_json::Value;

fn report(path: &str) -> Value {
    let run = medtm(&["report", "--format", "json", "--today", TODAY, path], b"");
    assert!(run.code == 0 || run.code == 3, "{path}: medtm report failed:\n{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("a JSON report")
}

fn finding<'a>(report: &'a Value, id: &str) -> Option<&'a Value> {
    report["findings"].as_array()?.iter().find(|finding| finding["id"] == id)
}

/// Checks one `// expect:` line; returns what is wrong.
fn check_finding(report: &Value, expectation: &str) -> Option<String> {
    let (head, tail) = expectation.split_once([',', ' ']).unwrap_or((expectation, ""));
    let id = head.trim();
    let Some(finding) = finding(report, id) else { return Some(format!("no finding {id}")) };
    let tail = tail.trim();
    let (status, rest) = tail.split_once(|c: char| c == ',' || c.is_whitespace()).unwrap_or((tail, ""));
    let status = status.trim_end_matches(',');
    let actual = finding["status"].as_str().unwrap_or_default().replace(' ', "_");
    if actual != status {
        return Some(format!("{id} is {actual}, expected {status}"));
    }
    let rest = rest.trim().trim_start_matches(',').trim();
    let listed = |key: &str, control: &str| {
        finding[key].as_array().into_iter().flatten().find(|entry| entry["id"] == control).cloned()
    };
    if let Some(control) = rest.strip_prefix("by ") {
        if listed("controls", control).is_none() {
            return Some(format!("{id}: `{control}` does not apply: {}", finding["controls"]));
        }
    } else if let Some(control) = rest.strip_suffix(" not applied") {
        if listed("controls", control).is_some() {
            return Some(format!("{id}: `{control}` applies, and it must not"));
        }
        match listed("unapplied_controls", control) {
            Some(entry) if entry["reason"].as_str().is_some_and(|reason| !reason.is_empty()) => {}
            _ => return Some(format!("{id}: the report does not say why `{control}` does not apply")),
        }
    } else if !rest.is_empty() {
        return Some(format!("cannot read `{expectation}`"));
    }
    None
}

/// Checks one `// expect-unbound:` line.
fn check_unbound(report: &Value, expectation: &str) -> Option<String> {
    let (decision, instead) = expectation.split_once(", instead ").unwrap_or((expectation, ""));
    let words: Vec<&str> = decision.split_whitespace().collect();
    let [kind, rule, "on", subject] = words[..] else { return Some(format!("cannot read `{expectation}`")) };
    let unbound = report["bindings"]["unbound_decisions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|entry| entry["kind"] == kind && entry["rule"] == rule && entry["subject"] == subject);
    let Some(unbound) = unbound else { return Some(format!("`{decision}` is not reported as deciding nothing")) };
    let named = unbound["fires_instead"].as_array().into_iter().flatten().any(|other| other == instead.trim());
    (!named).then(|| format!("`{decision}`: the report does not say that `{instead}` fires there: {unbound}"))
}

#[test]
fn controls_and_decisions_bind_where_users_expect() {
    let dir = root().join("tests/fixtures/binding");
    let mut fixtures: Vec<_> =
        std::fs::read_dir(&dir).expect("fixtures").filter_map(|e| e.ok().map(|e| e.path())).collect();
    fixtures.sort();
    let mut problems = Vec::new();
    let mut checked = 0;
    for path in fixtures.iter().filter(|path| path.extension().is_some_and(|ext| ext == "mtm")) {
        let relative = format!("tests/fixtures/binding/{}", path.file_name().and_then(|n| n.to_str()).expect("name"));
        let text = std::fs::read_to_string(path).expect("fixture");
        let report = report(&relative);
        for line in text.lines() {
            let problem = if let Some(expectation) = line.strip_prefix("// expect: ") {
                check_finding(&report, expectation.trim())
            } else if let Some(expectation) = line.strip_prefix("// expect-unbound: ") {
                check_unbound(&report, expectation.trim())
            } else {
                continue;
            };
            checked += 1;
            if let Some(problem) = problem {
                problems.push(format!("{relative}: {problem}"));
            }
        }
    }
    assert!(checked >= 12, "only {checked} expectations found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
