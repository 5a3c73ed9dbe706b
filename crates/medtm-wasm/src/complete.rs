//! Completion: what may be written at a position, from the schema (keywords, attributes, map
//! keys), the vocabularies, the rule catalogue and the model's own ids. Each option carries the
//! documentation `medtm explain` gives, shortened to its first sentence.

use medtm_model::Model;
use medtm_model::model::SymbolKind;
use medtm_model::schema::{self, ELEMENT_KINDS, SUBJECT_KINDS, ValueType};
use medtm_model::vocab::{DebugPort, Harm, Party, PortState, RiskLevel, UNKNOWN, Vocabulary, VocabularyInfo};
use medtm_syntax::ast::Keyword;
use serde::Serialize;

use crate::context::{Place, Token, place};
use crate::symbols;

/// One option, in the shape a browser editor's completion takes (`type` is the icon).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completion {
    pub label: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub detail: String,
    pub info: String,
    /// The text inserted, when it is more than the label (`medium: `).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apply: Option<String>,
}

impl Completion {
    fn new(label: &str, kind: &'static str, detail: impl Into<String>, info: &str) -> Self {
        Completion { label: label.to_owned(), kind, detail: detail.into(), info: info.to_owned(), apply: None }
    }
}

/// The options at byte offset `at`, for the word that starts at `word_start` (the part already
/// typed is not filtered here: the editor filters as the user types on).
pub fn complete(text: &str, model: &Model, word_start: usize) -> Vec<Completion> {
    match place(text, word_start) {
        Place::Statement(None) => Keyword::ALL.iter().map(|keyword| keyword_option(*keyword)).collect(),
        Place::Statement(Some(keyword)) => {
            let mut options: Vec<Completion> = schema::attributes(keyword)
                .iter()
                .map(|spec| Completion {
                    apply: Some(format!("{}: ", spec.name)),
                    ..Completion::new(spec.name, "property", spec.ty.describe(), spec.meaning)
                })
                .collect();
            options.extend(
                Keyword::ALL
                    .iter()
                    .filter(|child| schema::may_contain(keyword, **child))
                    .map(|child| keyword_option(*child)),
            );
            options
        }
        Place::Header { keyword, after } => header(model, keyword, &after),
        Place::Value { keyword, attribute } => {
            attribute_type(keyword, &attribute).map_or_else(Vec::new, |ty| values(model, ty))
        }
        Place::MapKey { keyword, attribute } => match attribute_type(keyword, &attribute) {
            Some(ValueType::Flags(flags)) => flags
                .iter()
                .map(|flag| Completion {
                    apply: Some(format!("{}: ", flag.name)),
                    ..Completion::new(flag.name, "property", format!("default {}", flag.default), flag.meaning)
                })
                .collect(),
            Some(ValueType::DebugPorts) => words(DebugPort::INFO, false),
            Some(ValueType::MatrixRow) => words(Harm::INFO, false),
            Some(ValueType::Effect) => medtm_cvss::METRICS
                .iter()
                .map(|metric| Completion {
                    apply: Some(format!("{}: ", metric.abbreviation)),
                    ..Completion::new(metric.abbreviation, "property", metric.title(), metric.description)
                })
                .collect(),
            Some(ValueType::Response) => schema::RESPONSE
                .iter()
                .map(|spec| Completion {
                    apply: Some(format!("{}: ", spec.name)),
                    ..Completion::new(spec.name, "property", spec.ty.describe(), spec.meaning)
                })
                .collect(),
            _ => Vec::new(),
        },
        Place::MapValue { keyword, attribute, key } => match attribute_type(keyword, &attribute) {
            Some(ValueType::Flags(_)) => booleans(),
            Some(ValueType::DebugPorts) => words(PortState::INFO, true),
            Some(ValueType::MatrixRow) => words(RiskLevel::INFO, false),
            Some(ValueType::Effect) => medtm_cvss::metric(&key).map_or_else(Vec::new, |metric| {
                metric.values.iter().map(|(letter, meaning)| Completion::new(letter, "enum", *meaning, "")).collect()
            }),
            // A flow's `returns` is a map of the response's own attributes.
            Some(ValueType::Response) => schema::RESPONSE
                .iter()
                .find(|spec| spec.name == key)
                .map_or_else(Vec::new, |spec| values(model, spec.ty)),
            _ => Vec::new(),
        },
        Place::Elsewhere => Vec::new(),
    }
}

fn attribute_type(keyword: Keyword, attribute: &str) -> Option<ValueType> {
    schema::attribute(keyword, attribute).map(|spec| spec.ty)
}

fn keyword_option(keyword: Keyword) -> Completion {
    let (meaning, form) = schema::keyword_meaning(keyword);
    Completion { apply: Some(format!("{keyword} ")), ..Completion::new(keyword.as_str(), "keyword", form, meaning) }
}

/// The words of a declaration's header: flow endpoints, and the rule, subject and party of
/// `accept RULE on SUBJECT` and `transfer RULE on SUBJECT to PARTY`.
fn header(model: &Model, keyword: Keyword, after: &[Token]) -> Vec<Completion> {
    let word = |token: Option<&Token>, expected: &str| matches!(token, Some(Token::Word(w)) if w == expected);
    match keyword {
        Keyword::Flow if matches!(after.last(), Some(Token::Colon | Token::Arrow)) => references(model, ELEMENT_KINDS),
        Keyword::Accept | Keyword::Transfer => match after {
            [] => rules(),
            [Token::Word(_)] => vec![Completion::new("on", "keyword", "the subject follows", "")],
            [Token::Word(_), on] if word(Some(on), "on") => references(model, SUBJECT_KINDS),
            [Token::Word(_), _, Token::Word(_)] if keyword == Keyword::Transfer => {
                vec![Completion::new("to", "keyword", "the party follows", "")]
            }
            [Token::Word(_), _, Token::Word(_), to] if keyword == Keyword::Transfer && word(Some(to), "to") => {
                words(Party::INFO, false)
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// What an attribute's value may be.
fn values(model: &Model, ty: ValueType) -> Vec<Completion> {
    match ty {
        ValueType::Word(vocabulary) | ValueType::Words(vocabulary) => words(vocabulary, true),
        ValueType::Boolean => booleans(),
        ValueType::References(kinds) => references(model, kinds),
        ValueType::Rules => rules(),
        _ => Vec::new(),
    }
}

fn words(vocabulary: &'static VocabularyInfo, with_unknown: bool) -> Vec<Completion> {
    let mut options: Vec<Completion> =
        vocabulary.words.iter().map(|info| Completion::new(info.word, "enum", vocabulary.name, info.meaning)).collect();
    if with_unknown {
        options.push(Completion::new(
            UNKNOWN,
            "enum",
            vocabulary.name,
            &format!(
                "Not known yet: taken as `{}` (the worst case) and listed as an open question.",
                vocabulary.unknown_means
            ),
        ));
    }
    options
}

fn booleans() -> Vec<Completion> {
    vec![Completion::new("true", "constant", "boolean", ""), Completion::new("false", "constant", "boolean", "")]
}

fn rules() -> Vec<Completion> {
    medtm_engine::rules::RULES
        .iter()
        .map(|rule| Completion::new(rule.name, "function", rule.code, rule.title))
        .collect()
}

fn references(model: &Model, kinds: &[SymbolKind]) -> Vec<Completion> {
    symbols::of_kinds(model, kinds)
        .into_iter()
        .map(|(id, kind, label)| Completion::new(id, "variable", kind.as_str(), label))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels_at_end(text: &str) -> Vec<String> {
        let parsed = medtm_syntax::parse(text);
        let (model, _) = medtm_model::check(&parsed.file, &medtm_engine::Catalog, medtm_model::CheckOptions::default());
        complete(text, &model, text.len()).into_iter().map(|option| option.label).collect()
    }

    #[test]
    fn offers_keywords_at_the_top_level_and_attributes_in_blocks() {
        assert!(labels_at_end("").contains(&"component".to_owned()));
        let in_flow = labels_at_end("flow a -> b {\n  ");
        assert!(in_flow.contains(&"medium".to_owned()) && in_flow.contains(&"authn".to_owned()));
        assert!(!in_flow.contains(&"component".to_owned()), "flows hold no declarations");
        let in_boundary = labels_at_end("boundary b {\n  ");
        assert!(in_boundary.contains(&"hostile".to_owned()) && in_boundary.contains(&"component".to_owned()));
    }

    #[test]
    fn offers_vocabulary_words_with_unknown() {
        let media = labels_at_end("flow a -> b {\n  medium: ");
        assert!(media.contains(&"ble".to_owned()) && media.contains(&"unknown".to_owned()));
        assert!(labels_at_end("component c {\n  update: { ").contains(&"signed".to_owned()));
        assert_eq!(labels_at_end("component c {\n  update: { signed: "), ["true", "false"]);
        assert!(labels_at_end("control c {\n  effect: { AV: ").contains(&"P".to_owned()));
    }

    #[test]
    fn offers_the_models_ids_of_the_right_kind() {
        let model = "asset cmd { kind: therapy }\ncomponent app { kind: mobile_app }\ncomponent pump { kind: pump }\n";
        assert_eq!(labels_at_end(&format!("{model}flow a -> b {{ carries: [")), ["cmd"]);
        assert_eq!(labels_at_end(&format!("{model}flow x: app -> ")), ["app", "pump"]);
        assert!(labels_at_end(&format!("{model}accept ")).contains(&"unauthenticated-command".to_owned()));
        assert_eq!(labels_at_end(&format!("{model}transfer weak-ble-pairing on app ")), ["to"]);
    }

    #[test]
    fn offers_nothing_inside_strings_and_comments() {
        assert!(labels_at_end("component c \"Patch ").is_empty());
        assert!(labels_at_end("// a comment ").is_empty());
    }
}
