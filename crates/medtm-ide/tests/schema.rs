//! Derived from the schema: every attribute of every kind of declaration, and every word of every
//! vocabulary it takes, reaches each place a modeller meets it. `medtm explain` documents it,
//! completion offers it where it can be written, and the formatter keeps it through a round trip.
//! (The TextMate grammar's word lists are checked against the same tables in `tests/lsp.rs`.)
//! A construct added to the schema without one of these fails here, naming what is missing.

use medtm_ide::Analysis;
use medtm_model::CheckOptions;
use medtm_model::model::SymbolKind;
use medtm_model::schema::{self, AttributeSpec, ValueType};
use medtm_syntax::ast::Keyword;

/// Declarations every reference in the probes can point at, one per kind.
const BASE: &str = r#"system s "S" { function: therapeutic, environment: hospital }
asset a "A" { kind: therapy, harm: serious }
actor u "U" { role: nurse }
boundary b "B" {
  kind: clinical_vlan
  component c "C" { kind: bedside, update: { signed: true } }
  store st "St" { holds: [a] }
}
component d "D" { kind: onprem_server, os: linux }
software sw "Sw" { version: "1" }
flow f: d -> c { medium: ethernet, carries: [a] }
control ctl "Ctl" { category: authentication, covers: [f] }
"#;

/// The header and an empty block of a declaration of `keyword` that `BASE` can hold, and the id
/// it declares (none for decisions, whose header names a rule and a subject).
fn probe_header(keyword: Keyword) -> &'static str {
    match keyword {
        Keyword::System => "system probe \"P\"",
        Keyword::Asset => "asset probe \"P\"",
        Keyword::Actor => "actor probe \"P\"",
        Keyword::Boundary => "boundary probe \"P\"",
        Keyword::Component => "component probe \"P\"",
        Keyword::Store => "store probe \"P\"",
        Keyword::Software => "software probe \"P\"",
        Keyword::Flow => "flow probe: c -> d",
        Keyword::Control => "control probe \"P\"",
        Keyword::Accept => "accept unauthenticated-command on f",
        Keyword::Transfer => "transfer unauthenticated-command on f to hdo",
        Keyword::Assumption => "assumption probe \"P\"",
        Keyword::RiskMatrix => "risk_matrix probe",
    }
}

/// The model with a probe of `keyword` whose block holds `body`. A second `system` or
/// `risk_matrix` is an error of its own, so those probes replace the base's.
fn with_probe(keyword: Keyword, body: &str) -> String {
    let base =
        if keyword == Keyword::System { BASE.lines().skip(1).collect::<Vec<_>>().join("\n") } else { BASE.to_owned() };
    format!("{base}\n{} {{\n  {body}\n}}\n", probe_header(keyword))
}

/// A value of the attribute's type that the checker accepts.
fn sample_value(spec: &AttributeSpec) -> String {
    match spec.ty {
        ValueType::Word(vocabulary) => vocabulary.words[0].word.to_owned(),
        ValueType::Words(vocabulary) => format!("[{}]", vocabulary.words[0].word),
        ValueType::Boolean => "true".to_owned(),
        ValueType::Count => "1".to_owned(),
        ValueType::Text => "\"text\"".to_owned(),
        ValueType::Date => "2030-01-01".to_owned(),
        ValueType::References(kinds) => {
            let id = match kinds[0] {
                SymbolKind::Asset => "a",
                SymbolKind::Actor => "u",
                SymbolKind::Boundary => "b",
                SymbolKind::Component => "c",
                SymbolKind::Store => "st",
                SymbolKind::Software => "sw",
                SymbolKind::Flow => "f",
                SymbolKind::Control => "ctl",
                other => panic!("no sample of a reference to {other:?}"),
            };
            format!("[{id}]")
        }
        ValueType::Rules => "[unauthenticated-command]".to_owned(),
        ValueType::Texts => "[\"T-1\"]".to_owned(),
        ValueType::Flags(flags) => format!("{{ {}: true }}", flags[0].name),
        ValueType::WordMap { keys, values } => format!("{{ {}: {} }}", keys.words[0].word, values.words[0].word),
        ValueType::Effect => "{ UI: R }".to_owned(),
        ValueType::MatrixRow => "{ minor: review }".to_owned(),
        ValueType::Response => "{ carries: [a] }".to_owned(),
    }
}

fn format(text: &str) -> Result<String, String> {
    Analysis::check(text, CheckOptions::default()).format()
}

/// What the schema lists for each kind of declaration.
fn every_attribute() -> Vec<(Keyword, &'static AttributeSpec)> {
    Keyword::ALL
        .iter()
        .flat_map(|keyword| schema::attributes(*keyword).iter().map(move |spec| (*keyword, spec)))
        .collect()
}

#[test]
fn explain_documents_every_attribute_and_word() {
    for keyword in Keyword::ALL {
        let explained = medtm_report::explain::explain(keyword.as_str()).expect("every keyword is explained");
        for spec in schema::attributes(*keyword) {
            assert!(
                explained.contains(spec.name),
                "`medtm explain {}` does not list `{}`",
                keyword.as_str(),
                spec.name
            );
            assert!(
                medtm_report::explain::explain(spec.name).is_ok(),
                "`medtm explain {}` knows nothing about it",
                spec.name
            );
        }
    }
    for vocabulary in medtm_model::vocab::ALL_VOCABULARIES {
        for word in vocabulary.words {
            let explained = medtm_report::explain::explain(word.word)
                .unwrap_or_else(|error| panic!("`medtm explain {}`: {error}", word.word));
            assert!(explained.contains(word.word), "`medtm explain {}` does not name it", word.word);
        }
    }
}

/// The labels completion offers at `cursor`.
fn offered(text: &str, cursor: usize) -> Vec<String> {
    Analysis::analyse(text, CheckOptions::default())
        .completions(cursor)
        .items
        .into_iter()
        .map(|item| item.label)
        .collect()
}

#[test]
fn completion_offers_every_attribute_and_every_word_it_takes() {
    for (keyword, spec) in every_attribute() {
        // At the start of a line in the block: the attribute's name.
        let text = with_probe(keyword, "");
        let cursor = text.rfind("{\n  \n}").expect("the probe's block") + 4;
        let labels = offered(&text, cursor);
        assert!(
            labels.iter().any(|label| label == spec.name),
            "in a `{}` block, completion does not offer `{}`: {labels:?}",
            keyword.as_str(),
            spec.name
        );
        // After `name: `: each word of its vocabulary, and `unknown`.
        let (ValueType::Word(vocabulary) | ValueType::Words(vocabulary)) = spec.ty else { continue };
        let text = with_probe(keyword, &format!("{}: ", spec.name));
        let cursor = text.rfind(": \n}").expect("the probe's value") + 2;
        let labels = offered(&text, cursor);
        for word in vocabulary.words.iter().map(|info| info.word).chain(["unknown"]) {
            assert!(
                labels.iter().any(|label| label == word),
                "after `{}: ` in a `{}` block, completion does not offer `{word}`: {labels:?}",
                spec.name,
                keyword.as_str()
            );
        }
    }
}

/// Each value a probe writes for the attribute: a sample of its type, and every word of its
/// vocabulary.
fn values(spec: &AttributeSpec) -> Vec<String> {
    let mut values = vec![sample_value(spec)];
    if let ValueType::Word(vocabulary) | ValueType::Words(vocabulary) = spec.ty {
        values.extend(vocabulary.words.iter().map(|info| info.word.to_owned()));
    }
    values
}

#[test]
fn every_attribute_and_word_survives_a_formatter_round_trip() {
    for (keyword, spec, value) in every_attribute()
        .into_iter()
        .flat_map(|(keyword, spec)| values(spec).into_iter().map(move |value| (keyword, spec, value)))
    {
        let text = with_probe(keyword, &format!("{}:   {value}", spec.name));
        let parsed = medtm_syntax::parse(&text);
        assert!(
            parsed.diagnostics.is_empty(),
            "`{}` in a `{}` does not parse: {:#?}",
            spec.name,
            keyword.as_str(),
            parsed.diagnostics
        );
        let formatted = format(&text)
            .unwrap_or_else(|error| panic!("`{}` in a `{}` does not format: {error}", spec.name, keyword.as_str()));
        let line = format!("{}: {value}", spec.name);
        assert!(formatted.contains(&line), "formatting lost `{line}` in a `{}`:\n{formatted}", keyword.as_str());
        assert_eq!(
            format(&formatted).as_deref(),
            Ok(formatted.as_str()),
            "formatting `{}` in a `{}` is not stable",
            spec.name,
            keyword.as_str()
        );
    }
}
