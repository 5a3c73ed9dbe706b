//! `medtm explain WORD`: what a keyword, attribute, vocabulary word, rule or diagnostic code means
//! for the analysis, generated from the single definitions in the model, engine and syntax crates.
//! The language server's hover uses the same text.

use std::fmt::Write as _;

use medtm_engine::rule::{Rule, stride_letters};
use medtm_model::check::closest;
use medtm_model::schema::{self, AttributeSpec, ValueType};
use medtm_model::vocab::{ALL_VOCABULARIES, UNKNOWN, VocabularyInfo};
use medtm_syntax::Code;
use medtm_syntax::ast::Keyword;

use crate::format::wrap;

/// The explanation of `word`, or an error message (with a suggestion) when nothing is called so.
pub fn explain(word: &str) -> Result<String, String> {
    if let Some(code) = Code::from_code(word) {
        return Ok(explain_code(code));
    }
    if let Some(rule) = medtm_engine::rule(word) {
        return Ok(explain_rule(rule));
    }
    if let Some(keyword) = Keyword::from_word(word) {
        return Ok(explain_keyword(keyword));
    }
    if let Some((keyword, attribute)) = word.split_once('.')
        && let Some(keyword) = Keyword::from_word(keyword)
        && let Some(spec) = schema::attribute(keyword, attribute)
    {
        return Ok(explain_attribute(&[(keyword, spec)]));
    }
    let mut sections = Vec::new();
    let attributes: Vec<(Keyword, &AttributeSpec)> = Keyword::ALL
        .iter()
        .filter_map(|keyword| schema::attribute(*keyword, word).map(|spec| (*keyword, spec)))
        .collect();
    if !attributes.is_empty() {
        sections.push(explain_attribute(&attributes));
    }
    let vocabularies: Vec<&VocabularyInfo> =
        ALL_VOCABULARIES.iter().copied().filter(|vocabulary| vocabulary.meaning(word).is_some()).collect();
    if !vocabularies.is_empty() {
        sections.push(explain_word(word, &vocabularies));
    }
    if word == UNKNOWN {
        sections.push(
            "unknown (a word every vocabulary accepts)\n\n  The answer is not known yet. The analysis assumes the worst case for it, and the\n  report lists it as an open question.\n"
                .to_owned(),
        );
    }
    if sections.is_empty() {
        return Err(not_found(word));
    }
    Ok(sections.join("\n"))
}

/// Every word `explain` knows, for suggestions and completion.
pub fn known_words() -> Vec<String> {
    let mut words: Vec<String> = Keyword::ALL.iter().map(|keyword| keyword.as_str().to_owned()).collect();
    for keyword in Keyword::ALL {
        words.extend(schema::attributes(*keyword).iter().map(|spec| spec.name.to_owned()));
    }
    for vocabulary in ALL_VOCABULARIES {
        words.extend(vocabulary.words.iter().map(|info| info.word.to_owned()));
    }
    words.extend(medtm_engine::rules::RULES.iter().map(|rule| rule.name.to_owned()));
    words.extend(Code::ALL.iter().map(|code| code.as_str().to_owned()));
    words.sort();
    words.dedup();
    words
}

fn not_found(word: &str) -> String {
    let words = known_words();
    match closest(word, words.iter().map(String::as_str)) {
        Some(suggestion) => format!("medtm knows nothing called `{word}`; did you mean `{suggestion}`?"),
        None => format!(
            "medtm knows nothing called `{word}`; try a keyword (such as `flow`), an attribute (`medium`), a word (`ble`), a rule (`medtm rules`) or a diagnostic code (`E0303`)"
        ),
    }
}

fn explain_code(code: Code) -> String {
    let mut out = format!("{} ({}): {}\n\n", code.as_str(), code.severity().as_str(), code.title());
    for line in code.explanation().lines() {
        let _ = writeln!(out, "  {line}");
    }
    out
}

/// The documentation of a rule, in its fixed sections.
pub fn explain_rule(rule: &Rule) -> String {
    let mut out = format!("{} {}: {}\n\n", rule.code, rule.name, rule.title);
    let list = |ids: &[u32], prefix: &str| ids.iter().map(|id| format!("{prefix}-{id}")).collect::<Vec<_>>().join(", ");
    let _ = writeln!(out, "  STRIDE:   {}", stride_letters(rule.stride));
    if !rule.cwe.is_empty() {
        let _ = writeln!(out, "  CWE:      {}", list(rule.cwe, "CWE"));
    }
    if !rule.capec.is_empty() {
        let _ = writeln!(out, "  CAPEC:    {}", list(rule.capec, "CAPEC"));
    }
    if !rule.attack_techniques.is_empty() {
        let _ = writeln!(out, "  ATT&CK:   {}", rule.attack_techniques.join(", "));
    }
    let categories: Vec<&str> = rule.answered_by().iter().map(|c| medtm_model::vocab::Vocabulary::as_str(*c)).collect();
    let _ = writeln!(out, "  Controls: {}", categories.join(", "));
    for (category, why) in rule.when_named {
        let text = format!(
            "{} only when it names `{}` in `mitigates`: {why}",
            medtm_model::vocab::Vocabulary::as_str(*category),
            rule.name
        );
        let _ = writeln!(out, "{}", indent(&wrap(&text, 84), "            "));
    }
    for (title, text) in [
        ("What it detects", rule.docs.detects),
        ("Why it matters for patients", rule.docs.why),
        ("How to mitigate", rule.docs.mitigate),
    ] {
        let _ = write!(out, "\n{title}\n\n{}\n", indent(&wrap(text, 94), "  "));
    }
    let _ = write!(out, "\nExample\n\n{}\n", indent(rule.docs.example, "    "));
    out
}

fn explain_keyword(keyword: Keyword) -> String {
    let (meaning, form) = schema::keyword_meaning(keyword);
    let mut out = format!("{keyword} (keyword)\n\n{}\n\n  Form: {form}\n", indent(&wrap(meaning, 94), "  "));
    let attributes = schema::attributes(keyword);
    if !attributes.is_empty() {
        out.push_str("\n  Attributes:\n");
        let width = attributes.iter().map(|spec| spec.name.len()).max().unwrap_or(0);
        for spec in attributes {
            let _ = writeln!(out, "    {:width$}  {}", spec.name, spec.meaning);
            let _ = writeln!(out, "    {:width$}  takes {}; default: {}", "", spec.ty.describe(), spec.default);
        }
    }
    out
}

fn explain_attribute(attributes: &[(Keyword, &AttributeSpec)]) -> String {
    let mut out = String::new();
    for (keyword, spec) in attributes {
        let _ = write!(out, "{keyword}.{} (attribute)\n\n{}\n\n", spec.name, indent(&wrap(spec.meaning, 94), "  "));
        let _ = writeln!(out, "  Takes:   {}", spec.ty.describe());
        let _ = writeln!(out, "  Default: {}", spec.default);
        if let ValueType::Word(vocabulary) | ValueType::Words(vocabulary) = spec.ty {
            out.push('\n');
            out.push_str(&vocabulary_table(vocabulary));
        }
        if let ValueType::Flags(flags) = spec.ty {
            out.push_str("\n  Keys:\n");
            for flag in flags {
                let _ = writeln!(
                    out,
                    "    {:14} {} (default {}; `unknown` is taken as {})",
                    flag.name, flag.meaning, flag.default, flag.unknown_means
                );
            }
        }
        if spec.ty == ValueType::Response {
            out.push_str("\n  Keys:\n");
            for key in schema::RESPONSE {
                let _ = writeln!(out, "    {:11} {}", key.name, key.meaning);
                let _ = writeln!(out, "    {:11} takes {}; default: {}", "", key.ty.describe(), key.default);
            }
        }
        out.push('\n');
    }
    out.trim_end().to_owned() + "\n"
}

fn explain_word(word: &str, vocabularies: &[&VocabularyInfo]) -> String {
    let mut out = String::new();
    for vocabulary in vocabularies {
        let meaning = vocabulary.meaning(word).unwrap_or_default();
        let _ = write!(out, "{word} ({})\n\n{}\n", vocabulary.name, indent(&wrap(meaning, 94), "  "));
        let used_by: Vec<String> = Keyword::ALL
            .iter()
            .flat_map(|keyword| {
                let response = if *keyword == Keyword::Flow { schema::RESPONSE } else { &[] };
                let nested = response.iter().map(move |spec| (format!("{keyword}.returns.{}", spec.name), spec));
                schema::attributes(*keyword)
                    .iter()
                    .map(move |spec| (format!("{keyword}.{}", spec.name), spec))
                    .chain(nested)
                    .filter_map(move |(name, spec)| match spec.ty {
                        // By name: a vocabulary's `INFO` is a constant, so its address is not unique.
                        ValueType::Word(v) | ValueType::Words(v) if v.name == vocabulary.name => Some(name),
                        _ => None,
                    })
            })
            .collect();
        if !used_by.is_empty() {
            let _ = writeln!(out, "\n  Used by: {}", used_by.join(", "));
        }
        let _ = writeln!(out, "  Other {} words: {}", vocabulary.name, vocabulary.list());
        out.push('\n');
    }
    out.trim_end().to_owned() + "\n"
}

fn vocabulary_table(vocabulary: &VocabularyInfo) -> String {
    let width = vocabulary.words.iter().map(|info| info.word.len()).max().unwrap_or(0).max(UNKNOWN.len());
    let mut out = format!("  Words ({}):\n", vocabulary.name);
    for info in vocabulary.words {
        let _ = writeln!(out, "    {:width$}  {}", info.word, info.meaning);
    }
    let _ = writeln!(
        out,
        "    {UNKNOWN:width$}  Not known yet: taken as `{}` (the worst case) and listed as an open question.",
        vocabulary.unknown_means
    );
    out
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|line| if line.is_empty() { String::new() } else { format!("{prefix}{line}") })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_every_kind_of_word() {
        assert!(explain("component").unwrap().starts_with("component (keyword)"));
        assert!(explain("medium").unwrap().contains("ble "));
        assert!(explain("flow.authn").unwrap().starts_with("flow.authn (attribute)"));
        assert!(explain("ble").unwrap().contains("Adjacent"));
        assert!(explain("E0303").unwrap().starts_with("E0303 (error): unresolved reference"));
        assert!(explain("unknown").unwrap().contains("worst case"));
        assert!(explain("unauthenticated-command").unwrap().contains("What it detects"));
        assert!(explain("mtm001").unwrap().starts_with("MTM001"));
    }

    #[test]
    fn suggests_close_words() {
        assert_eq!(
            explain("compnent").unwrap_err(),
            "medtm knows nothing called `compnent`; did you mean `component`?"
        );
    }
}
