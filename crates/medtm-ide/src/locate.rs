//! What each piece of the text is, read from the syntax tree and the schema: a keyword, an
//! attribute, a vocabulary word, an id (declared or referred to), a rule name or a CVSS metric,
//! and the literals between them. One walk serves the cursor ([`at`]: hover, go to definition,
//! find references and rename start there) and the semantic tokens, which colour every piece.
//! A word the schema or a vocabulary does not have is no target: its diagnostic says what it is.

use medtm_cvss::MetricInfo;
use medtm_model::Model;
use medtm_model::schema::{self, AttributeSpec, FlagSpec, ValueType};
use medtm_model::vocab::{Harm, Party, RiskLevel, UNKNOWN, Vocabulary, VocabularyInfo};
use medtm_syntax::Span;
use medtm_syntax::ast::{Attribute, Declaration, Entry, File, Header, Keyword, Value, ValueKind};

/// Something the cursor can be on.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Keyword(Keyword),
    Attribute {
        keyword: Keyword,
        spec: &'static AttributeSpec,
    },
    /// A word of a vocabulary.
    Word {
        word: String,
        vocabulary: &'static VocabularyInfo,
    },
    /// `unknown`, which every vocabulary accepts.
    Unknown,
    /// An id where it is declared or referred to (for an unnamed flow, its arrow stands for its derived id).
    Id(String),
    /// A rule's canonical name (written as its name or its code).
    Rule(&'static str),
    /// A key of a flags map, such as `signed` in `update`.
    Flag(&'static FlagSpec),
    /// A CVSS metric in a control's `effect`, such as `PR` in `effect: { PR: H }`.
    Metric(&'static MetricInfo),
}

/// A target and the span of the text it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub target: Target,
    pub span: Span,
}

/// Text that is no target, known by its form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Literal {
    String,
    /// An integer, a decimal or a date.
    Number,
    Boolean,
    /// A flow's arrow.
    Arrow,
    /// A CVSS metric's value in a control's `effect`, such as `H` in `effect: { PR: H }`.
    MetricValue,
}

/// One piece of the text, as [`walk`] meets it.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// A target, and whether it is where its id is declared.
    Target {
        located: Located,
        declaration: bool,
    },
    Literal {
        span: Span,
        literal: Literal,
    },
}

/// What is at `offset` (a cursor right after a word is on that word).
pub fn at(file: &File, model: &Model, offset: usize) -> Option<Located> {
    let mut found = None;
    Walker {
        model,
        within: Some(offset),
        visit: &mut |piece| {
            if let Piece::Target { located, .. } = piece
                && found.is_none()
                && located.span.start <= offset
                && offset <= located.span.end
            {
                found = Some(located);
            }
        },
    }
    .file(file);
    found
}

/// Every piece of `file`'s declarations, in the order of the text (an unnamed flow's arrow is
/// an [`Literal::Arrow`] and then the flow's derived id).
pub fn walk(file: &File, model: &Model, visit: &mut dyn FnMut(Piece)) {
    Walker { model, within: None, visit }.file(file);
}

/// The walk; with `within`, only the declarations and entries around that offset.
struct Walker<'a, 'v> {
    model: &'a Model,
    within: Option<usize>,
    visit: &'v mut dyn FnMut(Piece),
}

impl Walker<'_, '_> {
    fn file(&mut self, file: &File) {
        for declaration in &file.declarations {
            if self.around(declaration.span) {
                self.declaration(declaration);
            }
        }
    }

    fn around(&self, span: Span) -> bool {
        self.within.is_none_or(|offset| span.start <= offset && offset <= span.end)
    }

    fn target(&mut self, target: Target, span: Span) {
        (self.visit)(Piece::Target { located: Located { target, span }, declaration: false });
    }

    fn declared(&mut self, id: &str, span: Span) {
        (self.visit)(Piece::Target { located: Located { target: Target::Id(id.to_owned()), span }, declaration: true });
    }

    fn literal(&mut self, span: Span, literal: Literal) {
        (self.visit)(Piece::Literal { span, literal });
    }

    fn declaration(&mut self, declaration: &Declaration) {
        match &declaration.header {
            Header::Element { keyword, keyword_span, id } => {
                self.target(Target::Keyword(*keyword), *keyword_span);
                self.declared(&id.name, id.span);
            }
            Header::Flow { keyword_span, name, from, arrow_span, to, .. } => {
                self.target(Target::Keyword(Keyword::Flow), *keyword_span);
                if let Some(name) = name {
                    self.declared(&name.name, name.span);
                }
                self.target(Target::Id(from.name.clone()), from.span);
                self.literal(*arrow_span, Literal::Arrow);
                if name.is_none() {
                    // The derived id is the model's; a flow that did not resolve has none.
                    let derived = self
                        .model
                        .flows
                        .iter()
                        .find(|flow| !flow.named && flow.meta.id_span.cover(*arrow_span) == flow.meta.id_span);
                    if let Some(flow) = derived {
                        self.target(Target::Id(flow.meta.id.clone()), *arrow_span);
                    }
                }
                self.target(Target::Id(to.name.clone()), to.span);
            }
            Header::Decision { keyword, keyword_span, rule, target, party } => {
                self.target(Target::Keyword(*keyword), *keyword_span);
                if let Some(rule_spec) = medtm_engine::rule(&rule.name) {
                    self.target(Target::Rule(rule_spec.name), rule.span);
                }
                self.target(Target::Id(target.name.clone()), target.span);
                if let Some(party) = party {
                    self.word(&party.name, party.span, Party::INFO);
                }
            }
            // Not a declaration the language has: its words are left to the diagnostic.
            Header::Unknown { .. } => {}
        }
        if let Some(label) = &declaration.label {
            self.literal(label.span, Literal::String);
        }
        let Some(keyword) = declaration.keyword() else { return };
        for entry in declaration.block.iter().flat_map(|block| &block.entries) {
            if !self.around(entry.span()) {
                continue;
            }
            match entry {
                Entry::Attribute(attribute) => self.attribute(keyword, attribute),
                Entry::Declaration(child) => self.declaration(child),
            }
        }
    }

    fn attribute(&mut self, keyword: Keyword, attribute: &Attribute) {
        // An attribute the declaration does not have is the checker's to report; its value is
        // still read by its form.
        let Some(spec) = schema::attribute(keyword, &attribute.name.name) else {
            self.literals(&attribute.value);
            return;
        };
        self.target(Target::Attribute { keyword, spec }, attribute.name.span);
        self.value(keyword, spec.ty, &attribute.value);
    }

    fn value(&mut self, keyword: Keyword, ty: ValueType, value: &Value) {
        match &value.kind {
            ValueKind::List(items) => {
                for item in items {
                    self.value(keyword, ty, item);
                }
            }
            ValueKind::Map(entries) => {
                for entry in entries {
                    let (key, value) = (&entry.key, &entry.value);
                    if let Some(target) = key_target(keyword, ty, &key.name) {
                        self.target(target, key.span);
                    }
                    match ty {
                        ValueType::WordMap { values, .. } => self.value(keyword, ValueType::Word(values), value),
                        ValueType::MatrixRow => self.value(keyword, ValueType::Word(RiskLevel::INFO), value),
                        ValueType::Effect if matches!(value.kind, ValueKind::Word(_)) => {
                            self.literal(value.span, Literal::MetricValue);
                        }
                        // A flow's `returns`: its keys are attributes of their own, with values
                        // of their type.
                        ValueType::Response => match schema::RESPONSE.iter().find(|spec| spec.name == key.name) {
                            Some(spec) => self.value(keyword, spec.ty, value),
                            None => self.literals(value),
                        },
                        _ => self.literals(value),
                    }
                }
            }
            ValueKind::Word(word) => {
                let target = match ty {
                    ValueType::Word(vocabulary) | ValueType::Words(vocabulary) => word_target(word, vocabulary),
                    ValueType::References(_) => Some(Target::Id(word.clone())),
                    ValueType::Rules => medtm_engine::rule(word).map(|rule| Target::Rule(rule.name)),
                    _ => None,
                };
                if let Some(target) = target {
                    self.target(target, value.span);
                }
            }
            _ => self.literals(value),
        }
    }

    /// A value read by its form alone.
    fn literals(&mut self, value: &Value) {
        match &value.kind {
            ValueKind::String(_) => self.literal(value.span, Literal::String),
            ValueKind::Integer(_) | ValueKind::Decimal(_) | ValueKind::Date(_) => {
                self.literal(value.span, Literal::Number);
            }
            ValueKind::Boolean(_) => self.literal(value.span, Literal::Boolean),
            ValueKind::List(items) => {
                for item in items {
                    self.literals(item);
                }
            }
            ValueKind::Map(entries) => {
                for entry in entries {
                    self.literals(&entry.value);
                }
            }
            ValueKind::Word(_) | ValueKind::Invalid => {}
        }
    }

    fn word(&mut self, word: &str, span: Span, vocabulary: &'static VocabularyInfo) {
        if let Some(target) = word_target(word, vocabulary) {
            self.target(target, span);
        }
    }
}

/// A key of the map an attribute of `keyword` takes (of type `ty`): an update flag, a key of a
/// word map (a debug port, a listening service), a harm of a matrix row, a CVSS metric of an
/// effect or an attribute of a response.
pub fn key_target(keyword: Keyword, ty: ValueType, key: &str) -> Option<Target> {
    match ty {
        ValueType::Flags(flags) => flags.iter().find(|flag| flag.name == key).map(Target::Flag),
        ValueType::WordMap { keys, .. } => word_target(key, keys),
        ValueType::MatrixRow => word_target(key, Harm::INFO),
        ValueType::Effect => medtm_cvss::metric(key).map(Target::Metric),
        ValueType::Response => {
            schema::RESPONSE.iter().find(|spec| spec.name == key).map(|spec| Target::Attribute { keyword, spec })
        }
        _ => None,
    }
}

/// A word of `vocabulary`, or `unknown`; a word the vocabulary does not have is no target.
fn word_target(word: &str, vocabulary: &'static VocabularyInfo) -> Option<Target> {
    if word == UNKNOWN {
        return Some(Target::Unknown);
    }
    vocabulary.meaning(word)?;
    Some(Target::Word { word: word.to_owned(), vocabulary })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target_at(text: &str, marker: &str) -> Option<Target> {
        let checked = medtm_engine::check_text(text, medtm_model::CheckOptions::default());
        let offset = text.find(marker).unwrap_or_default();
        at(&checked.file, &checked.model, offset).map(|located| located.target)
    }

    const MODEL: &str = "boundary b { kind: enclosure\n  component pump { kind: wearable, update: { signed: true } }\n}\n\
        component app { kind: mobile_app, os: unknown }\nasset cmd { kind: therapy }\n\
        flow app -> pump { medium: ble, carries: [cmd] }\naccept MTM001 on app_to_pump { reason: \"r\" }\n";

    #[test]
    fn finds_each_kind_of_target() {
        assert_eq!(target_at(MODEL, "component pump"), Some(Target::Keyword(Keyword::Component)));
        assert_eq!(target_at(MODEL, "pump {"), Some(Target::Id("pump".to_owned())));
        assert!(matches!(
            target_at(MODEL, "kind: wearable"),
            Some(Target::Attribute { keyword: Keyword::Component, .. })
        ));
        assert!(matches!(target_at(MODEL, "wearable"), Some(Target::Word { word, .. }) if word == "wearable"));
        assert!(matches!(target_at(MODEL, "signed"), Some(Target::Flag(flag)) if flag.name == "signed"));
        assert_eq!(target_at(MODEL, "unknown"), Some(Target::Unknown));
        assert_eq!(target_at(MODEL, "cmd]"), Some(Target::Id("cmd".to_owned())));
        assert_eq!(target_at(MODEL, "-> pump"), Some(Target::Id("app_to_pump".to_owned())));
        assert_eq!(target_at(MODEL, "MTM001"), Some(Target::Rule("unauthenticated-command")));
        assert_eq!(target_at(MODEL, "{ reason"), None);
        let control = "control c { category: authentication, effect: { PR: H } }\n";
        let metric = target_at(control, "PR");
        assert!(matches!(metric, Some(Target::Metric(metric)) if metric.abbreviation == "PR"));
    }

    #[test]
    fn the_cursor_finds_what_the_walk_meets() {
        // Hover and the semantic tokens read the text with one walk: wherever the walk meets a
        // target, the cursor at its middle is on that target.
        let text = format!("{MODEL}control c {{ category: authentication, effect: {{ PR: H }} }}\n");
        let checked = medtm_engine::check_text(&text, medtm_model::CheckOptions::default());
        let mut met = Vec::new();
        walk(&checked.file, &checked.model, &mut |piece| {
            if let Piece::Target { located, .. } = piece {
                met.push(located);
            }
        });
        assert!(met.len() > 20, "{met:?}");
        for located in met {
            let middle = usize::midpoint(located.span.start, located.span.end);
            assert_eq!(at(&checked.file, &checked.model, middle), Some(located));
        }
    }
}
