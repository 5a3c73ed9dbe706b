//! Determinism (the analysis does not depend on the order of declarations): every model in
//! `models/` is rewritten with its top-level declarations, and the declarations inside each
//! boundary, in shuffled orders (fixed seeds), and must give the same analysis.
//!
//! Declarations are cut out of the text by the parser's spans, each with the comments and blank
//! lines above it (so doc comments stay with their declaration). Positions in the file change
//! with the order, so they are left out of the comparison; lists that follow declaration order
//! by design (software, coverage rows, assumptions, a finding's assets and controls) are
//! compared as sets.
//!
//! Three scopes, each a test: findings, statuses and attack paths; ranks and scores; and the
//! whole report, explanations and assets at stake included. All three are independent of the
//! order. Where a rule chooses among equal candidates (the entry
//! `malformed-input-to-safety-function` names, the path `internet-path-to-therapy` shows, the
//! direction of a `<->` link `safety-link-flooding` and `unsigned-firmware` tell of, the fleets
//! and assets `multi-patient-push` names), it chooses by what matters (worst harm, most exposed
//! flow, sole link, largest fleet), then by id or the direction written; explanations list assets
//! worst harm first, then by id, and elements by id.

use std::collections::BTreeSet;

use medtm_model::CheckOptions;
use medtm_syntax::ast::{Declaration, Entry, Keyword};
use medtm_tests::{TODAY, models_in, root};
use serde_json::Value;

/// Shuffles per model, each from its own seed.
const SHUFFLES: u64 = 8;

/// What a comparison covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Which findings there are, and for each (by id) its subject, status, harm, controls,
    /// decision and attack path; the STRIDE coverage; the warnings.
    Findings,
    /// The ranked risks besides: ranks, scores, vectors, levels, fleet reach, the summary; the
    /// whole report but for explanations and assets at stake.
    Ranking,
    /// The whole report.
    Everything,
}

#[test]
fn shuffled_models_keep_their_findings_statuses_and_attack_paths() {
    assert_order_independent(Scope::Findings);
}

#[test]
fn shuffled_models_keep_their_ranking_and_scores() {
    assert_order_independent(Scope::Ranking);
}

#[test]
fn shuffled_models_give_the_same_report() {
    assert_order_independent(Scope::Everything);
}

fn assert_order_independent(scope: Scope) {
    for path in models_in(&root().join("models")) {
        let name = path.file_name().and_then(|n| n.to_str()).expect("UTF-8 name").to_owned();
        let text = std::fs::read_to_string(&path).expect("model is readable");
        let expected = analysis(&name, &text, scope);
        let mut orders = BTreeSet::new();
        for seed in 0..SHUFFLES {
            let shuffled = shuffle(&text, &mut fastrand::Rng::with_seed(seed));
            orders.insert(declaration_order(&shuffled));
            if let Some(difference) = first_difference(&expected, &analysis(&name, &shuffled, scope), "") {
                panic!("{name}, shuffled with seed {seed}: the analysis differs at {difference}\n\n{shuffled}");
            }
        }
        assert!(orders.len() > SHUFFLES as usize / 2, "{name}: the shuffles hardly changed the order");
    }
}

/// The comparison is not blind: a shuffled model with one control fewer compares different.
#[test]
fn a_changed_model_compares_different() {
    let text = std::fs::read_to_string(root().join("models/insulin-pump.mtm")).expect("model is readable");
    let start = text.find("control signal_of_intent").expect("the control");
    let end = start + text[start..].find("\n}\n").expect("its end") + 3;
    let without = format!("{}{}", &text[..start], &text[end..]);
    let shuffled = shuffle(&without, &mut fastrand::Rng::with_seed(1));
    let finding = |json: &Value| {
        json["report"]["findings"]
            .as_array()
            .and_then(|findings| findings.iter().find(|f| f["id"] == "unauthenticated-command@bolus"))
            .cloned()
            .expect("the finding")
    };
    let before = finding(&analysis("insulin-pump", &text, Scope::Findings));
    let after = finding(&analysis("insulin-pump", &shuffled, Scope::Findings));
    let difference = first_difference(&before, &after, "");
    assert!(difference.is_some_and(|at| at.starts_with("/controls")), "the missing control went unnoticed");
}

/// The shuffle keeps every declaration, with its comments, and changes only their order.
#[test]
fn shuffling_keeps_every_declaration_and_its_comments() {
    for path in models_in(&root().join("models")) {
        let text = std::fs::read_to_string(&path).expect("model is readable");
        let shuffled = shuffle(&text, &mut fastrand::Rng::with_seed(7));
        assert_ne!(declaration_order(&text), declaration_order(&shuffled), "{}", path.display());
        let mut before = declaration_texts(&text);
        let mut after = declaration_texts(&shuffled);
        before.sort();
        after.sort();
        assert_eq!(before, after, "{}", path.display());
        let comments = |text: &str| {
            let mut comments: Vec<String> = medtm_syntax::parse(text)
                .file
                .comments
                .iter()
                .map(|c| text[c.span.start..c.span.end].to_owned())
                .collect();
            comments.sort();
            comments
        };
        assert_eq!(comments(&text), comments(&shuffled), "{}", path.display());
    }
}

/// The model's text with its top-level declarations, and those inside each boundary, in an
/// order drawn from `rng`.
fn shuffle(text: &str, rng: &mut fastrand::Rng) -> String {
    let parsed = medtm_syntax::parse(text);
    assert!(!parsed.diagnostics.iter().any(medtm_syntax::Diagnostic::is_error), "the model parses");
    let cut = Cut { text, comments: &parsed.file.comments };
    let mut pieces = Vec::new();
    let mut previous_end = 0;
    for declaration in &parsed.file.declarations {
        pieces.push(cut.piece(previous_end, declaration, rng));
        previous_end = cut.end(declaration.span);
    }
    rng.shuffle(&mut pieces);
    let mut out = pieces.join("\n");
    out.push_str(&text[previous_end..]);
    out
}

/// A model's text, cut into declarations by the parser's spans.
struct Cut<'a> {
    text: &'a str,
    comments: &'a [medtm_syntax::scan::Comment],
}

impl Cut<'_> {
    /// Where a declaration really ends. The span of a declaration without a block runs on over
    /// the blank lines and comments after it (up to the next declaration); those belong to
    /// what follows.
    fn end(&self, span: medtm_syntax::Span) -> usize {
        let mut end = span.end;
        loop {
            end = span.start + self.text[span.start..end].trim_end().len();
            match self.comments.iter().find(|c| {
                c.span.start > span.start && self.text[c.span.start..c.span.end].trim_end().len() + c.span.start == end
            }) {
                Some(comment) => end = comment.span.start,
                None => return end,
            }
        }
    }

    /// A declaration with the text between it and what precedes it (blank lines and comments,
    /// including its doc comment), its nested declarations shuffled when it is a boundary.
    fn piece(&self, previous_end: usize, declaration: &Declaration, rng: &mut fastrand::Rng) -> String {
        let text = self.text;
        let leading = &text[previous_end..declaration.span.start];
        let (start, end) = (declaration.span.start, self.end(declaration.span));
        let Some(block) = declaration.block.as_ref().filter(|_| declaration.keyword() == Some(Keyword::Boundary))
        else {
            return format!("{leading}{}", &text[start..end]);
        };
        assert!(text[block.span.start..].starts_with('{'), "a block starts with its brace");
        let entry_end = |entry: &Entry| match entry {
            Entry::Attribute(attribute) => attribute.span.end,
            Entry::Declaration(child) => self.end(child.span),
        };
        // Attributes keep their places; the nested declarations are dealt out over theirs.
        let mut cursor = block.span.start + 1;
        let mut nested = Vec::new();
        for entry in &block.entries {
            if let Entry::Declaration(child) = entry {
                nested.push(self.piece(cursor, child, rng));
            }
            cursor = entry_end(entry);
        }
        rng.shuffle(&mut nested);
        let mut nested = nested.into_iter();
        let mut out = format!("{leading}{}", &text[start..=block.span.start]);
        let mut cursor = block.span.start + 1;
        for entry in &block.entries {
            match entry {
                Entry::Attribute(attribute) => out.push_str(&text[cursor..attribute.span.end]),
                Entry::Declaration(_) => {
                    out.push('\n');
                    out.push_str(&nested.next().expect("one piece per nested declaration"));
                }
            }
            cursor = entry_end(entry);
        }
        out.push_str(&text[cursor..end]);
        out
    }
}

/// Every declaration's own text (nested ones apart) without comments and with whitespace
/// normalised, with its doc comment: what a shuffle must keep.
fn declaration_texts(text: &str) -> Vec<String> {
    fn walk(cut: &Cut<'_>, declaration: &Declaration, out: &mut Vec<String>) {
        let (start, end) = (declaration.span.start, cut.end(declaration.span));
        let mut left_out: Vec<(usize, usize)> =
            declaration.children().map(|child| (child.span.start, cut.end(child.span))).collect();
        left_out.extend(
            cut.comments
                .iter()
                .filter(|c| c.span.start >= start && c.span.end <= end)
                .map(|c| (c.span.start, c.span.end)),
        );
        left_out.sort_unstable();
        let mut own = String::new();
        let mut cursor = start;
        for (from, to) in left_out {
            if from >= cursor {
                own.push_str(&cut.text[cursor..from]);
                own.push(' ');
                cursor = to;
            }
        }
        own.push_str(&cut.text[cursor.min(end)..end]);
        out.push(own.split_whitespace().collect::<Vec<_>>().join(" "));
        out.extend(declaration.doc.clone());
        for child in declaration.children() {
            walk(cut, child, out);
        }
    }
    let parsed = medtm_syntax::parse(text);
    let cut = Cut { text, comments: &parsed.file.comments };
    let mut out = Vec::new();
    for declaration in &parsed.file.declarations {
        walk(&cut, declaration, &mut out);
    }
    out
}

/// The ids of the top-level declarations, in order.
fn declaration_order(text: &str) -> Vec<String> {
    medtm_syntax::parse(text)
        .file
        .declarations
        .iter()
        .map(|d| text[d.span.start..d.span.end].lines().next().unwrap_or_default().to_owned())
        .collect()
}

/// The model's analysis as JSON (its report and its warnings) in a scope, without positions in
/// the file, and with the lists that follow declaration order sorted.
fn analysis(name: &str, text: &str, scope: Scope) -> Value {
    let today = TODAY.parse().expect("a date");
    let checked = medtm_engine::analyse_text(text, CheckOptions { today: Some(today) });
    let analysis = checked.analysis.as_ref().unwrap_or_else(|| panic!("{name} has errors:\n{text}"));
    let report = medtm_report::dto::build(name, text, &checked.model, analysis);
    let mut json = serde_json::to_value(&report).expect("the report serialises");
    remove_locations(&mut json);
    sort_by(&mut json["software"], "id");
    sort_by(&mut json["coverage"]["rows"], "subject");
    for group in json["assumptions"].as_array_mut().expect("assumptions") {
        sort_by(&mut group["subjects"], "id");
    }
    sort_by(&mut json["assumptions"], "id");
    sort_by(&mut json["open_questions"], "subject");
    for finding in json["findings"].as_array_mut().expect("findings") {
        sort_by(&mut finding["assets"], "id");
        sort_by(&mut finding["controls"], "id");
    }
    for trace in json["traceability"].as_array_mut().expect("traceability") {
        sort_by(&mut trace["controls"], "control");
    }
    let findings = json["findings"].as_array_mut().expect("findings");
    match scope {
        Scope::Everything => {}
        Scope::Ranking => {
            for finding in findings.iter_mut().filter_map(Value::as_object_mut) {
                finding.remove("explanation");
                finding.remove("assets");
            }
        }
        Scope::Findings => {
            const KEPT: &[&str] = &["id", "rule", "subject", "status", "harm", "controls", "decision", "attack_path"];
            for finding in findings.iter_mut().filter_map(Value::as_object_mut) {
                finding.retain(|key, _| KEPT.contains(&key.as_str()));
            }
            sort_by(&mut json["findings"], "id");
            json = serde_json::json!({ "findings": json["findings"], "coverage": json["coverage"] });
        }
    }
    let mut warnings: Vec<String> =
        checked.diagnostics.iter().map(|d| format!("{} {}", d.code.as_str(), d.message)).collect();
    warnings.sort();
    serde_json::json!({ "report": json, "warnings": warnings })
}

fn remove_locations(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("location");
            map.values_mut().for_each(remove_locations);
        }
        Value::Array(items) => items.iter_mut().for_each(remove_locations),
        _ => {}
    }
}

/// Sorts a list of objects by a field and then by their whole text (for ties).
fn sort_by(list: &mut Value, field: &str) {
    if let Some(items) = list.as_array_mut() {
        items.sort_by_cached_key(|item| (item[field].to_string(), item.to_string()));
    }
}

/// The JSON pointer of the first place where two values differ, with both values (for lists of
/// findings, the first place where another finding stands).
fn first_difference(expected: &Value, actual: &Value, at: &str) -> Option<String> {
    match (expected, actual) {
        (Value::Object(a), Value::Object(b)) if a.len() == b.len() && a.keys().eq(b.keys()) => {
            a.iter().find_map(|(key, value)| first_difference(value, &b[key], &format!("{at}/{key}")))
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            a.iter().zip(b).enumerate().find_map(|(index, (a, b))| match (&a["id"], &b["id"]) {
                (Value::String(a_id), Value::String(b_id)) if a_id != b_id => {
                    Some(format!("{at}/{index}: expected `{a_id}` here, got `{b_id}`"))
                }
                (Value::String(id), _) => first_difference(a, b, &format!("{at}/{index} ({id})")),
                _ => first_difference(a, b, &format!("{at}/{index}")),
            })
        }
        (a, b) if a == b => None,
        (a, b) => Some(format!("{at}: expected {a}, got {b}")),
    }
}
