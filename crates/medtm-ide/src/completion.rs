//! Completion: keywords where a declaration can start, the attributes of the enclosing
//! declaration, the words of the attribute being written, ids of the kinds a reference takes,
//! rule names, the keys and values of maps (update flags, debug ports, CVSS metrics), all from
//! the schema, the vocabularies, the rule catalogue and the checked model. What is already
//! written in a block, list or map is not offered again.

use medtm_model::Model;
use medtm_model::model::SymbolKind;
use medtm_model::schema::{self, ELEMENT_KINDS, SUBJECT_KINDS, ValueType};
use medtm_model::vocab::{Harm, Party, RiskLevel, UNKNOWN, Vocabulary, VocabularyInfo};
use medtm_syntax::Span;
use medtm_syntax::ast::Keyword;

use crate::context::{self, Context};
use crate::declared;
use crate::lex;

/// The options at a position, for the word typed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completions {
    /// From the start of the word being typed to the cursor: what an option replaces.
    pub span: Span,
    /// In the order to show them; the part already typed is not filtered here (editors filter
    /// as the user types on).
    pub items: Vec<CompletionItem>,
}

/// One thing that can be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    /// A short description: the value an attribute takes, a word's vocabulary, an id's kind.
    pub detail: String,
    /// What it means (may be empty).
    pub documentation: String,
    /// What is inserted in place of the word typed: the label, with `: ` after an attribute or
    /// key, and a space before a value written right after `:`, `->` or `,`.
    pub insert: String,
}

/// What sort of thing an option is, for the editor's icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    /// An attribute, or a key of a map.
    Property,
    /// A word of a vocabulary, or a CVSS metric's value.
    Word,
    Boolean,
    Rule,
    /// A declared id.
    Reference,
}

/// The completions at byte `offset`.
pub fn complete(text: &str, model: &Model, offset: usize) -> Completions {
    let (start, _) = lex::word_around(text, offset);
    let cursor = offset.min(text.len()).max(start);
    let span = Span::new(start, cursor);
    let Some(context) = context::at(&text[..start]) else { return Completions { span, items: Vec::new() } };
    let options = options(model, &context);
    // A value right after `:` or `->` gets a space before it.
    let glued = text[..start].chars().next_back().is_some_and(|c| matches!(c, ':' | '>' | ','));
    let spaced = glued && !matches!(context, Context::TopLevel | Context::Block { .. } | Context::MapKey { .. });
    let items = options
        .into_iter()
        .map(|option| {
            let insert = option.insert.unwrap_or_else(|| option.label.clone());
            CompletionItem {
                insert: if spaced { format!(" {insert}") } else { insert },
                label: option.label,
                kind: option.kind,
                detail: option.detail,
                documentation: option.documentation,
            }
        })
        .collect();
    Completions { span, items }
}

/// An option before the text around the cursor decides how it is inserted.
struct Opt {
    label: String,
    kind: CompletionKind,
    detail: String,
    documentation: String,
    /// What is inserted, when it is more than the label (`kind: `).
    insert: Option<String>,
}

impl Opt {
    fn new(label: &str, kind: CompletionKind, detail: impl Into<String>, documentation: impl Into<String>) -> Self {
        Opt { label: label.to_owned(), kind, detail: detail.into(), documentation: documentation.into(), insert: None }
    }

    /// `unknown`, which a vocabulary or a flag takes as `taken_as`, its worst case.
    fn unknown(detail: &str, taken_as: impl std::fmt::Display) -> Self {
        let meaning = format!("Not known yet: taken as `{taken_as}` (the worst case) and listed as an open question.");
        Opt::new(UNKNOWN, CompletionKind::Word, detail, meaning)
    }

    /// A key written with its colon: an attribute, a map key.
    fn key(label: &str, detail: impl Into<String>, documentation: impl Into<String>) -> Self {
        Opt { insert: Some(format!("{label}: ")), ..Opt::new(label, CompletionKind::Property, detail, documentation) }
    }
}

fn options(model: &Model, context: &Context) -> Vec<Opt> {
    match context {
        Context::TopLevel => keywords(Keyword::ALL.iter().copied()),
        Context::Block { keyword, written } => {
            let mut out: Vec<Opt> = schema::attributes(*keyword)
                .iter()
                .filter(|spec| !written.iter().any(|name| name == spec.name))
                .map(|spec| Opt::key(spec.name, spec.ty.describe(), spec.meaning))
                .collect();
            out.extend(keywords(Keyword::ALL.iter().copied().filter(|child| schema::may_contain(*keyword, *child))));
            out
        }
        Context::Value { keyword, attribute, written } => {
            let mut out = attribute_type(*keyword, attribute).map_or_else(Vec::new, |ty| values(model, ty));
            out.retain(|option| !written.contains(&option.label));
            out
        }
        Context::MapKey { keyword, attribute, written } => {
            let mut out = map_keys(*keyword, attribute);
            out.retain(|option| !written.contains(&option.label));
            out
        }
        Context::MapValue { keyword, attribute, key } => match attribute_type(*keyword, attribute) {
            Some(ValueType::Flags(flags)) => {
                let mut out = booleans();
                if let Some(flag) = flags.iter().find(|flag| flag.name == key.as_str()) {
                    out.push(Opt::unknown("flag", flag.unknown_means));
                }
                out
            }
            Some(ValueType::WordMap { values, .. }) => words(values),
            Some(ValueType::MatrixRow) => words(RiskLevel::INFO),
            Some(ValueType::Effect) => medtm_cvss::metric(key).map_or_else(Vec::new, |metric| {
                metric
                    .values
                    .iter()
                    .map(|(letter, meaning)| Opt::new(letter, CompletionKind::Word, *meaning, ""))
                    .collect()
            }),
            // A flow's `returns` is a map of the response's own attributes.
            Some(ValueType::Response) => schema::RESPONSE
                .iter()
                .find(|spec| spec.name == key)
                .map_or_else(Vec::new, |spec| values(model, spec.ty)),
            _ => Vec::new(),
        },
        Context::FlowEnd => references(model, ELEMENT_KINDS),
        Context::DecisionRule => rules(),
        Context::DecisionOn => vec![Opt::new("on", CompletionKind::Keyword, "the subject follows", "")],
        Context::DecisionTarget => references(model, SUBJECT_KINDS),
        Context::DecisionTo => vec![Opt::new("to", CompletionKind::Keyword, "the party follows", "")],
        Context::Party => words(Party::INFO),
    }
}

fn attribute_type(keyword: Keyword, attribute: &str) -> Option<ValueType> {
    schema::attribute(keyword, attribute).map(|spec| spec.ty)
}

/// The keys of the map an attribute takes.
fn map_keys(keyword: Keyword, attribute: &str) -> Vec<Opt> {
    match attribute_type(keyword, attribute) {
        Some(ValueType::Flags(flags)) => {
            flags.iter().map(|flag| Opt::key(flag.name, format!("default {}", flag.default), flag.meaning)).collect()
        }
        Some(ValueType::WordMap { keys: vocabulary, .. }) => keys(vocabulary),
        Some(ValueType::MatrixRow) => keys(Harm::INFO),
        Some(ValueType::Effect) => medtm_cvss::METRICS
            .iter()
            .map(|metric| Opt::key(metric.abbreviation, metric.title(), metric.description))
            .collect(),
        Some(ValueType::Response) => schema::RESPONSE
            .iter()
            .map(|spec| Opt::key(spec.name, spec.ty.describe(), format!("{} Default: {}.", spec.meaning, spec.default)))
            .collect(),
        _ => Vec::new(),
    }
}

/// What an attribute's value may be.
fn values(model: &Model, ty: ValueType) -> Vec<Opt> {
    match ty {
        ValueType::Word(vocabulary) | ValueType::Words(vocabulary) => words(vocabulary),
        ValueType::Boolean => booleans(),
        ValueType::References(kinds) => references(model, kinds),
        ValueType::Rules => rules(),
        _ => Vec::new(),
    }
}

fn keywords(keywords: impl Iterator<Item = Keyword>) -> Vec<Opt> {
    keywords
        .map(|keyword| {
            let (meaning, form) = schema::keyword_meaning(keyword);
            Opt {
                insert: Some(format!("{keyword} ")),
                ..Opt::new(keyword.as_str(), CompletionKind::Keyword, form, meaning)
            }
        })
        .collect()
}

/// A vocabulary's words, then `unknown`, which every vocabulary accepts as a value.
fn words(vocabulary: &'static VocabularyInfo) -> Vec<Opt> {
    let mut out: Vec<Opt> = vocabulary
        .words
        .iter()
        .map(|info| Opt::new(info.word, CompletionKind::Word, vocabulary.name, info.meaning))
        .collect();
    out.push(Opt::unknown(vocabulary.name, vocabulary.unknown_means));
    out
}

/// A vocabulary's words as map keys (`swd: `).
fn keys(vocabulary: &'static VocabularyInfo) -> Vec<Opt> {
    vocabulary.words.iter().map(|info| Opt::key(info.word, vocabulary.name, info.meaning)).collect()
}

fn booleans() -> Vec<Opt> {
    ["true", "false"].into_iter().map(|word| Opt::new(word, CompletionKind::Boolean, "boolean", "")).collect()
}

fn rules() -> Vec<Opt> {
    medtm_engine::rules::RULES
        .iter()
        .map(|rule| Opt::new(rule.name, CompletionKind::Rule, rule.code, rule.title))
        .collect()
}

/// The declared ids of the given kinds, in id order, with their labels.
fn references(model: &Model, kinds: &[SymbolKind]) -> Vec<Opt> {
    declared::of_kinds(model, kinds)
        .into_iter()
        .map(|(id, kind, label)| {
            let label = if label == id { "" } else { label };
            Opt::new(id, CompletionKind::Reference, kind.as_str(), label)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<String> {
        let checked = medtm_engine::check_text(text, medtm_model::CheckOptions::default());
        complete(text, &checked.model, text.len()).items.into_iter().map(|item| item.label).collect()
    }

    #[test]
    fn completes_after_non_ascii_text() {
        assert!(labels("asset a \"Ça\" { kind: ").contains(&"phi".to_owned()));
        assert!(labels("asset a \"é\" {\n  kind: é").contains(&"phi".to_owned()));
        assert!(labels("// é").is_empty());
    }

    #[test]
    fn leaves_out_what_is_already_written() {
        let update = labels("component c { update: { signed: true, ");
        assert_eq!(update, ["supported", "anti_rollback", "secure_boot"]);
        let carries = labels("asset a {}\nasset b {}\nflow x -> y { carries: [a, ");
        assert_eq!(carries, ["b"]);
    }

    #[test]
    fn a_value_glued_to_its_colon_gets_a_space() {
        let text = "flow a -> b {\n  medium:";
        let checked = medtm_engine::check_text(text, medtm_model::CheckOptions::default());
        let completions = complete(text, &checked.model, text.len());
        assert_eq!(completions.items.first().map(|item| item.insert.as_str()), Some(" ble"));
        assert_eq!(completions.span, Span::at(text.len()));
    }
}
