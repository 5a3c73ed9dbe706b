//! Completion: keywords where a declaration can start, the attributes of the enclosing
//! declaration, the words of the attribute being written, ids of the kinds a reference takes, and
//! rule names, all from the schema, the vocabularies, the rule catalogue and the checked model.

use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, TextEdit};
use medtm_model::model::SymbolKind;
use medtm_model::schema::{self, ELEMENT_KINDS, SUBJECT_KINDS, ValueType};
use medtm_model::vocab::{DebugPort, Harm, Party, PortState, RiskLevel, UNKNOWN, Vocabulary, VocabularyInfo};
use medtm_syntax::Span;
use medtm_syntax::ast::Keyword;

use crate::context::{self, Context};
use crate::document::Analysed;

/// One thing that can be written.
struct Candidate {
    label: String,
    kind: CompletionItemKind,
    detail: String,
    /// What is inserted, when it is more than the label (`kind: `).
    insert: Option<String>,
}

/// The completions at `offset`.
pub fn complete(analysed: &Analysed, offset: usize) -> Vec<CompletionItem> {
    let text = &*analysed.text;
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    // The word being typed, which the completion replaces (rule names contain `-`).
    let start = text[..offset]
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
        .map_or(0, |(index, c)| index + c.len_utf8());
    let Some(context) = context::at(&text[..start]) else { return Vec::new() };
    let candidates = candidates(analysed, &context);
    // A value right after `:` or `->` gets a space before it.
    let glued = text[..start].chars().next_back().is_some_and(|c| matches!(c, ':' | '>' | ','));
    let spaced = glued && !matches!(context, Context::TopLevel | Context::Block { .. } | Context::MapKey { .. });
    let range = analysed.range(Span::new(start, offset));
    candidates
        .into_iter()
        .enumerate()
        .map(|(index, candidate)| {
            let insert = candidate.insert.unwrap_or_else(|| candidate.label.clone());
            let new_text = if spaced { format!(" {insert}") } else { insert };
            CompletionItem {
                kind: Some(candidate.kind),
                detail: (!candidate.detail.is_empty()).then_some(candidate.detail),
                sort_text: Some(format!("{index:04}")),
                filter_text: Some(candidate.label.clone()),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text })),
                label: candidate.label,
                ..CompletionItem::default()
            }
        })
        .collect()
}

fn candidates(analysed: &Analysed, context: &Context) -> Vec<Candidate> {
    match context {
        Context::TopLevel => keywords(Keyword::ALL.iter().copied()),
        Context::Block { keyword, written } => {
            let mut out: Vec<Candidate> = schema::attributes(*keyword)
                .iter()
                .filter(|spec| !written.iter().any(|name| name == spec.name))
                .map(|spec| Candidate {
                    label: spec.name.to_owned(),
                    kind: CompletionItemKind::PROPERTY,
                    detail: format!("{} Takes {}.", spec.meaning, spec.ty.describe()),
                    insert: Some(format!("{}: ", spec.name)),
                })
                .collect();
            out.extend(keywords(Keyword::ALL.iter().copied().filter(|child| schema::may_contain(*keyword, *child))));
            out
        }
        Context::Value { keyword, attribute, written } => {
            let mut out = match schema::attribute(*keyword, attribute).map(|spec| spec.ty) {
                Some(ValueType::Word(vocabulary) | ValueType::Words(vocabulary)) => words(vocabulary),
                Some(ValueType::Boolean) => booleans(),
                Some(ValueType::References(kinds)) => ids(analysed, kinds),
                Some(ValueType::Rules) => rules(),
                _ => Vec::new(),
            };
            out.retain(|candidate| !written.contains(&candidate.label));
            out
        }
        Context::MapKey { keyword, attribute, written } => {
            let mut out = map_keys(*keyword, attribute);
            out.retain(|candidate| !written.contains(&candidate.label));
            out
        }
        Context::MapValue { keyword, attribute, key } => {
            match schema::attribute(*keyword, attribute).map(|spec| spec.ty) {
                Some(ValueType::Flags(_)) => booleans(),
                Some(ValueType::DebugPorts) => words(PortState::INFO),
                Some(ValueType::MatrixRow) => words(RiskLevel::INFO),
                // A flow's `returns` is a map of the response's own attributes.
                Some(ValueType::Response) => {
                    match schema::RESPONSE.iter().find(|spec| spec.name == key).map(|spec| spec.ty) {
                        Some(ValueType::Word(vocabulary) | ValueType::Words(vocabulary)) => words(vocabulary),
                        Some(ValueType::References(kinds)) => ids(analysed, kinds),
                        _ => Vec::new(),
                    }
                }
                _ => Vec::new(),
            }
        }
        Context::FlowEnd => ids(analysed, ELEMENT_KINDS),
        Context::DecisionRule => rules(),
        Context::DecisionTarget => ids(analysed, SUBJECT_KINDS),
        Context::Party => words(Party::INFO),
    }
}

/// The keys of the map an attribute takes.
fn map_keys(keyword: Keyword, attribute: &str) -> Vec<Candidate> {
    match schema::attribute(keyword, attribute).map(|spec| spec.ty) {
        Some(ValueType::Flags(flags)) => flags
            .iter()
            .map(|flag| Candidate {
                label: flag.name.to_owned(),
                kind: CompletionItemKind::PROPERTY,
                detail: format!("{} Default: {}.", flag.meaning, flag.default),
                insert: Some(format!("{}: ", flag.name)),
            })
            .collect(),
        Some(ValueType::DebugPorts) => keys(DebugPort::INFO),
        Some(ValueType::MatrixRow) => keys(Harm::INFO),
        Some(ValueType::Response) => schema::RESPONSE
            .iter()
            .map(|spec| Candidate {
                label: spec.name.to_owned(),
                kind: CompletionItemKind::PROPERTY,
                detail: format!("{} Takes {}. Default: {}.", spec.meaning, spec.ty.describe(), spec.default),
                insert: Some(format!("{}: ", spec.name)),
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn keywords(keywords: impl Iterator<Item = Keyword>) -> Vec<Candidate> {
    keywords
        .map(|keyword| Candidate {
            label: keyword.as_str().to_owned(),
            kind: CompletionItemKind::KEYWORD,
            detail: schema::keyword_meaning(keyword).0.to_owned(),
            insert: None,
        })
        .collect()
}

/// A vocabulary's words, then `unknown`.
fn words(vocabulary: &VocabularyInfo) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = vocabulary
        .words
        .iter()
        .map(|info| Candidate {
            label: info.word.to_owned(),
            kind: CompletionItemKind::ENUM_MEMBER,
            detail: info.meaning.to_owned(),
            insert: None,
        })
        .collect();
    out.push(Candidate {
        label: UNKNOWN.to_owned(),
        kind: CompletionItemKind::ENUM_MEMBER,
        detail: format!(
            "Not known yet: taken as `{}` (the worst case) and listed as an open question.",
            vocabulary.unknown_means
        ),
        insert: None,
    });
    out
}

/// A vocabulary's words as map keys (`swd: `).
fn keys(vocabulary: &VocabularyInfo) -> Vec<Candidate> {
    vocabulary
        .words
        .iter()
        .map(|info| Candidate {
            label: info.word.to_owned(),
            kind: CompletionItemKind::PROPERTY,
            detail: info.meaning.to_owned(),
            insert: Some(format!("{}: ", info.word)),
        })
        .collect()
}

fn booleans() -> Vec<Candidate> {
    ["true", "false"]
        .into_iter()
        .map(|word| Candidate {
            label: word.to_owned(),
            kind: CompletionItemKind::VALUE,
            detail: String::new(),
            insert: None,
        })
        .collect()
}

fn rules() -> Vec<Candidate> {
    medtm_engine::rules::RULES
        .iter()
        .map(|rule| Candidate {
            label: rule.name.to_owned(),
            kind: CompletionItemKind::FUNCTION,
            detail: format!("{}: {}", rule.code, rule.title),
            insert: None,
        })
        .collect()
}

/// The declared ids of the given kinds, in order.
fn ids(analysed: &Analysed, kinds: &[SymbolKind]) -> Vec<Candidate> {
    analysed
        .checked
        .model
        .symbols
        .iter()
        .filter(|(_, symbol)| kinds.contains(&symbol.kind))
        .map(|(id, symbol)| {
            let label = crate::hover::meta(&analysed.checked.model, *symbol).map(|meta| meta.label.as_str());
            Candidate {
                label: id.clone(),
                kind: CompletionItemKind::REFERENCE,
                detail: match label {
                    Some(label) if label != id => format!("{}: {label}", symbol.kind.as_str()),
                    _ => symbol.kind.as_str().to_owned(),
                },
                insert: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Text;
    use crate::position::Encoding;

    fn labels(text: &str) -> Vec<String> {
        let uri = "file:///t.mtm".parse().expect("a URI");
        let text = Text { version: 1, text: text.into() };
        let analysed = Analysed::new(uri, &text, Encoding::Utf16, medtm_model::CheckOptions::default());
        complete(&analysed, text.text.len()).into_iter().map(|item| item.label).collect()
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
}
