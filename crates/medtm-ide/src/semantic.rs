//! Semantic tokens: what each piece of the text is, read in one pass over the syntax tree with
//! the schema and the model's symbols, for editors that colour by meaning (VS Code, Neovim 0.9
//! and later). Unlike a TextMate grammar, this knows that an id equal to a vocabulary word is an
//! id inside `carries: [...]`, that `H` in `effect: { PR: H }` is a CVSS value, and what kind of
//! declaration a reference names. It classifies as `locate` does for one position; a text that
//! does not parse keeps the tokens of the declarations that did.

use medtm_model::Model;
use medtm_model::model::SymbolKind;
use medtm_model::schema::{self, ValueType};
use medtm_model::vocab::{DebugPort, Harm, Party, PortState, RiskLevel, UNKNOWN, Vocabulary, VocabularyInfo};
use medtm_syntax::Span;
use medtm_syntax::ast::{Attribute, Declaration, Entry, File, Header, Keyword, Value, ValueKind};
use medtm_syntax::scan::CommentKind;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Keyword,
    /// An id, with the kind of declaration it names (`None`: nothing by that id is declared).
    Id(Option<SymbolKind>),
    /// An attribute's name, a flag of a flags map or a key of a flow's `returns`.
    Attribute,
    /// A word of a vocabulary (`unknown` included), a CVSS metric's value, or a boolean.
    Word,
    /// A rule's name or code.
    Rule,
    /// A CVSS metric in a control's `effect`.
    Metric,
    String,
    /// An integer, a decimal or a date.
    Number,
    Comment,
    /// The arrow of a flow.
    Operator,
}

/// One token: its span (a string or a block comment may run over several lines), what it is,
/// whether it is where an id is declared, and whether it is a documentation comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SemanticToken {
    pub span: Span,
    pub kind: TokenKind,
    pub declaration: bool,
    pub documentation: bool,
}

/// Every token of `file`, in source order and never overlapping.
pub fn tokens(file: &File, model: &Model) -> Vec<SemanticToken> {
    let mut walker = Walker { model, out: Vec::new() };
    for declaration in &file.declarations {
        walker.declaration(declaration);
    }
    for comment in &file.comments {
        let documentation = comment.kind == CommentKind::Doc;
        walker.token(SemanticToken { span: comment.span, kind: TokenKind::Comment, declaration: false, documentation });
    }
    walker.out.sort_by_key(|token| token.span.start);
    walker.out
}

struct Walker<'a> {
    model: &'a Model,
    out: Vec<SemanticToken>,
}

impl Walker<'_> {
    fn push(&mut self, span: Span, kind: TokenKind) {
        self.token(SemanticToken { span, kind, declaration: false, documentation: false });
    }

    fn token(&mut self, token: SemanticToken) {
        if token.span.start < token.span.end {
            self.out.push(token);
        }
    }

    fn id(&mut self, name: &str, span: Span, declaration: bool) {
        let kind = TokenKind::Id(self.model.symbols.get(name).map(|symbol| symbol.kind));
        self.token(SemanticToken { span, kind, declaration, documentation: false });
    }

    fn declaration(&mut self, declaration: &Declaration) {
        match &declaration.header {
            Header::Element { keyword_span, id, .. } => {
                self.push(*keyword_span, TokenKind::Keyword);
                self.id(&id.name, id.span, true);
            }
            Header::Flow { keyword_span, name, from, arrow_span, to, .. } => {
                self.push(*keyword_span, TokenKind::Keyword);
                if let Some(name) = name {
                    self.id(&name.name, name.span, true);
                }
                self.id(&from.name, from.span, false);
                self.push(*arrow_span, TokenKind::Operator);
                self.id(&to.name, to.span, false);
            }
            Header::Decision { keyword_span, rule, target, party, .. } => {
                self.push(*keyword_span, TokenKind::Keyword);
                if medtm_engine::rule(&rule.name).is_some() {
                    self.push(rule.span, TokenKind::Rule);
                }
                self.id(&target.name, target.span, false);
                if let Some(party) = party {
                    self.word(&party.name, party.span, Party::INFO);
                }
            }
            // Not a declaration the language has: its words are left to the diagnostic.
            Header::Unknown { .. } => {}
        }
        if let Some(label) = &declaration.label {
            self.push(label.span, TokenKind::String);
        }
        let Some(keyword) = declaration.keyword() else { return };
        for entry in declaration.block.iter().flat_map(|block| &block.entries) {
            match entry {
                Entry::Attribute(attribute) => self.attribute(keyword, attribute),
                Entry::Declaration(child) => self.declaration(child),
            }
        }
    }

    fn attribute(&mut self, keyword: Keyword, attribute: &Attribute) {
        // An attribute the declaration does not have is the checker's to report; its value is
        // still coloured by its form.
        let Some(spec) = schema::attribute(keyword, &attribute.name.name) else {
            self.literal(&attribute.value);
            return;
        };
        self.push(attribute.name.span, TokenKind::Attribute);
        self.value(spec.ty, &attribute.value);
    }

    fn value(&mut self, ty: ValueType, value: &Value) {
        match &value.kind {
            ValueKind::List(items) => {
                for item in items {
                    self.value(ty, item);
                }
            }
            ValueKind::Map(entries) => {
                for entry in entries {
                    match ty {
                        ValueType::Flags(_) => {
                            self.push(entry.key.span, TokenKind::Attribute);
                            self.literal(&entry.value);
                        }
                        ValueType::DebugPorts => {
                            self.word(&entry.key.name, entry.key.span, DebugPort::INFO);
                            self.value(ValueType::Word(PortState::INFO), &entry.value);
                        }
                        ValueType::MatrixRow => {
                            self.word(&entry.key.name, entry.key.span, Harm::INFO);
                            self.value(ValueType::Word(RiskLevel::INFO), &entry.value);
                        }
                        ValueType::Effect => {
                            if medtm_cvss::metric(&entry.key.name).is_some() {
                                self.push(entry.key.span, TokenKind::Metric);
                            }
                            if matches!(entry.value.kind, ValueKind::Word(_)) {
                                self.push(entry.value.span, TokenKind::Word);
                            }
                        }
                        ValueType::Response => match schema::RESPONSE.iter().find(|spec| spec.name == entry.key.name) {
                            Some(spec) => {
                                self.push(entry.key.span, TokenKind::Attribute);
                                self.value(spec.ty, &entry.value);
                            }
                            None => self.literal(&entry.value),
                        },
                        _ => self.literal(&entry.value),
                    }
                }
            }
            ValueKind::Word(word) => match ty {
                ValueType::Word(vocabulary) | ValueType::Words(vocabulary) => {
                    self.word(word, value.span, vocabulary);
                }
                ValueType::References(_) => self.id(word, value.span, false),
                ValueType::Rules if medtm_engine::rule(word).is_some() => self.push(value.span, TokenKind::Rule),
                _ => {}
            },
            _ => self.literal(value),
        }
    }

    /// A value coloured by its form alone.
    fn literal(&mut self, value: &Value) {
        match &value.kind {
            ValueKind::String(_) => self.push(value.span, TokenKind::String),
            ValueKind::Integer(_) | ValueKind::Decimal(_) | ValueKind::Date(_) => {
                self.push(value.span, TokenKind::Number);
            }
            ValueKind::Boolean(_) => self.push(value.span, TokenKind::Word),
            ValueKind::List(items) => {
                for item in items {
                    self.literal(item);
                }
            }
            ValueKind::Map(entries) => {
                for entry in entries {
                    self.literal(&entry.value);
                }
            }
            ValueKind::Word(_) | ValueKind::Invalid => {}
        }
    }

    /// A word of `vocabulary` (or `unknown`); a word it does not have is left to the diagnostic.
    fn word(&mut self, word: &str, span: Span, vocabulary: &'static VocabularyInfo) {
        if word == UNKNOWN || vocabulary.meaning(word).is_some() {
            self.push(span, TokenKind::Word);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, TokenKind, bool)> {
        let checked = medtm_engine::check_text(text, medtm_model::CheckOptions::default());
        tokens(&checked.file, &checked.model)
            .into_iter()
            .map(|token| (token.span.slice(text).to_owned(), token.kind, token.declaration))
            .collect()
    }

    #[test]
    fn an_id_equal_to_a_vocabulary_word_is_an_id_where_ids_go() {
        // `firmware` is an asset kind and here also an asset's id.
        let text = "asset firmware \"Image\" { kind: firmware }\ncomponent p { kind: wearable }\n\
            component a { kind: mobile_app }\nflow a -> p { medium: ble, carries: [firmware] }\n";
        let found = kinds(text);
        let firmware: Vec<_> = found.iter().filter(|(text, ..)| text == "firmware").collect();
        assert_eq!(
            firmware,
            [
                &("firmware".to_owned(), TokenKind::Id(Some(SymbolKind::Asset)), true),
                &("firmware".to_owned(), TokenKind::Word, false),
                &("firmware".to_owned(), TokenKind::Id(Some(SymbolKind::Asset)), false),
            ]
        );
        assert!(found.contains(&("->".to_owned(), TokenKind::Operator, false)));
        assert!(found.contains(&("\"Image\"".to_owned(), TokenKind::String, false)));
        assert!(found.contains(&("p".to_owned(), TokenKind::Id(Some(SymbolKind::Component)), false)));
    }

    #[test]
    fn cvss_values_in_an_effect_are_words_and_their_keys_metrics() {
        let text = "control c { category: authentication, effect: { UI: R, PR: H } }\n";
        let found = kinds(text);
        for (metric, value) in [("UI", "R"), ("PR", "H")] {
            assert!(found.contains(&(metric.to_owned(), TokenKind::Metric, false)), "{found:?}");
            assert!(found.contains(&(value.to_owned(), TokenKind::Word, false)), "{found:?}");
        }
    }

    #[test]
    fn tokens_are_sorted_apart_and_survive_a_broken_declaration() {
        let text = "/// The pump.\ncomponent p { kind: wearable }\ncomponent q { kind: [ }\n\
            accept MTM001 on p { reason: \"low\", owner: \"QA\", review_by: 2027-01-01 }\n// end\n";
        let checked = medtm_engine::check_text(text, medtm_model::CheckOptions::default());
        let found = tokens(&checked.file, &checked.model);
        for pair in found.windows(2) {
            assert!(pair[0].span.end <= pair[1].span.start, "{pair:?}");
        }
        let doc = found.first().expect("tokens");
        assert!(doc.kind == TokenKind::Comment && doc.documentation);
        let kinds = kinds(text);
        assert!(kinds.contains(&("MTM001".to_owned(), TokenKind::Rule, false)), "{kinds:?}");
        assert!(kinds.contains(&("2027-01-01".to_owned(), TokenKind::Number, false)), "{kinds:?}");
        assert!(kinds.contains(&("wearable".to_owned(), TokenKind::Word, false)), "{kinds:?}");
    }
}
