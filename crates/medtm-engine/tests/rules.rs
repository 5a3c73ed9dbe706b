//! The rule catalogue's contract: every rule has complete metadata and documentation, a unique
//! code and name, fires on `fixtures/<name>/fires.mtm`, and stays silent on `clean.mtm`.
//! The hits on each `fires.mtm` are snapshotted so their explanations are reviewed like code.

use std::fmt::Write as _;
use std::path::PathBuf;

use medtm_engine::rules::RULES;
use medtm_engine::{Rule, run_rules};
use medtm_model::CheckOptions;

fn fixture(rule: &Rule, which: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rule.name).join(format!("{which}.mtm"))
}

fn options() -> CheckOptions {
    CheckOptions { today: Some(jiff::civil::date(2026, 11, 28)) }
}

/// Checks a fixture (which must have no errors) and returns the hits of `rule`, rendered.
fn hits_of(rule: &Rule, which: &str) -> Result<Vec<String>, String> {
    let path = fixture(rule, which);
    let text = std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
    let checked = medtm_engine::check_text(&text, options());
    let errors: Vec<String> =
        checked.diagnostics.iter().filter(|d| d.is_error()).map(|d| format!("{} {}", d.code, d.message)).collect();
    if !errors.is_empty() {
        return Err(format!("{} has errors: {errors:?}", path.display()));
    }
    Ok(run_rules(&checked.model, options().today)
        .into_iter()
        .filter(|(hit_rule, _)| hit_rule.code == rule.code)
        .map(|(_, hit)| format!("{}@{}: {}", rule.name, checked.model.subject_id(hit.subject), hit.explanation))
        .collect())
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = std::collections::BTreeSet::new();
    let mut names = std::collections::BTreeSet::new();
    for (index, rule) in RULES.iter().enumerate() {
        assert!(codes.insert(rule.code), "code {} repeats", rule.code);
        assert!(names.insert(rule.name), "name {} repeats", rule.name);
        assert_eq!(rule.code, format!("MTM{:03}", index + 1), "rules are registered in code order without gaps");
        assert!(
            rule.name
                .split('-')
                .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
            "{} is not kebab-case",
            rule.name
        );
        assert!(
            !rule.stride.is_empty() && !rule.answered_by().is_empty(),
            "{} needs STRIDE and a control category",
            rule.name
        );
        assert!(
            !rule.title.is_empty() && !rule.title.ends_with('.'),
            "{} needs a title without a full stop",
            rule.name
        );
    }
}

#[test]
fn every_rule_is_documented() {
    for rule in RULES {
        let docs = rule.docs;
        for (section, text) in [("detects", docs.detects), ("why", docs.why), ("mitigate", docs.mitigate)] {
            assert!(
                text.len() > 60 && text.ends_with('.'),
                "{}: the `{section}` section needs real sentences",
                rule.name
            );
        }
        let parsed = medtm_syntax::parse(docs.example);
        assert!(parsed.diagnostics.is_empty(), "{}: the example does not parse: {:?}", rule.name, parsed.diagnostics);
    }
}

/// What a rule's advice tells users to record binds: every `category: X` it names answers the
/// rule by the binding table, or answers it when named (`when_named`) and the advice has users
/// name the rule in `mitigates`.
#[test]
fn advice_names_only_categories_that_answer_the_rule() {
    for rule in RULES {
        let answered_by = rule.answered_by();
        let advice = rule.docs.mitigate;
        let names_the_rule = advice.contains(&format!("mitigates: [{}]", rule.name));
        // `category: integrity`, and the alternatives after it: "`category: a` or `b`".
        let mut words: Vec<String> = Vec::new();
        for (at, _) in advice.match_indices("category: ") {
            let after = &advice[at + "category: ".len()..];
            words.push(after.chars().take_while(char::is_ascii_lowercase).collect());
            if let Some(alternative) = after.split_once('`').and_then(|(_, rest)| rest.strip_prefix(" or `")) {
                words.push(alternative.chars().take_while(char::is_ascii_lowercase).collect());
            }
        }
        for word in words {
            let category = medtm_model::vocab::ControlCategory::ALL
                .iter()
                .copied()
                .find(|category| medtm_model::vocab::Vocabulary::as_str(*category) == word)
                .unwrap_or_else(|| panic!("{}: `category: {word}` is not a category", rule.name));
            assert!(
                answered_by.contains(&category) || (names_the_rule && rule.only_when_named(category).is_some()),
                "{}: the advice suggests `category: {word}`, which does not answer it ({answered_by:?})",
                rule.name
            );
        }
    }
}

#[test]
fn every_rule_fires_on_its_fixture_and_not_on_its_clean_fixture() {
    let mut failures = Vec::new();
    for rule in RULES {
        match hits_of(rule, "fires") {
            Ok(hits) if hits.is_empty() => failures.push(format!("{} does not fire on fires.mtm", rule.name)),
            Ok(_) => {}
            Err(error) => failures.push(error),
        }
        match hits_of(rule, "clean") {
            Ok(hits) if !hits.is_empty() => failures.push(format!("{} fires on clean.mtm: {hits:?}", rule.name)),
            Ok(_) => {}
            Err(error) => failures.push(error),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hits_on_fixtures_read_well() {
    for rule in RULES {
        let Ok(hits) = hits_of(rule, "fires") else { continue };
        let mut text = String::new();
        for hit in hits {
            let _ = writeln!(text, "{hit}");
        }
        insta::with_settings!({ snapshot_suffix => rule.name, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("hits", text);
        });
    }
}
