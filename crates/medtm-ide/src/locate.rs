//! What the cursor is on, read from the syntax tree and the schema: a keyword, an attribute, a
//! vocabulary word, an id (declared or referred to), a rule name or a CVSS metric. Hover, go to definition,
//! find references and rename all start here.

use medtm_cvss::MetricInfo;
use medtm_model::Model;
use medtm_model::schema::{self, AttributeSpec, FlagSpec, ValueType};
use medtm_model::vocab::{DebugPort, Harm, Party, PortState, RiskLevel, UNKNOWN, Vocabulary, VocabularyInfo};
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

/// What is at `offset` (a cursor right after a word is on that word).
pub fn at(file: &File, model: &Model, offset: usize) -> Option<Located> {
    let found = |span: Span| span.start <= offset && offset <= span.end;
    let mut declarations: &[Declaration] = &file.declarations;
    loop {
        let declaration = declarations.iter().find(|declaration| found(declaration.span))?;
        if let Some(located) = header(declaration, model, &found) {
            return Some(located);
        }
        let keyword = declaration.keyword()?;
        let entries = declaration.block.as_ref().map_or(&[][..], |block| &block.entries[..]);
        match entries.iter().find(|entry| found(entry.span()))? {
            Entry::Attribute(attribute) => return self::attribute(keyword, attribute, &found),
            Entry::Declaration(child) => declarations = std::slice::from_ref(child),
        }
    }
}

fn header(declaration: &Declaration, model: &Model, found: &dyn Fn(Span) -> bool) -> Option<Located> {
    let located = |target, span| Some(Located { target, span });
    match &declaration.header {
        Header::Element { keyword, keyword_span, id } => {
            if found(*keyword_span) {
                return located(Target::Keyword(*keyword), *keyword_span);
            }
            if found(id.span) {
                return located(Target::Id(id.name.clone()), id.span);
            }
        }
        Header::Flow { keyword_span, name, from, arrow_span, to, .. } => {
            if found(*keyword_span) {
                return located(Target::Keyword(Keyword::Flow), *keyword_span);
            }
            for ident in name.iter().chain([from, to]) {
                if found(ident.span) {
                    return located(Target::Id(ident.name.clone()), ident.span);
                }
            }
            if name.is_none() && found(*arrow_span) {
                // The derived id is the model's; a flow that did not resolve has none.
                let flow = model
                    .flows
                    .iter()
                    .find(|flow| !flow.named && flow.meta.id_span.cover(*arrow_span) == flow.meta.id_span)?;
                return located(Target::Id(flow.meta.id.clone()), *arrow_span);
            }
        }
        Header::Decision { keyword, keyword_span, rule, target, party } => {
            if found(*keyword_span) {
                return located(Target::Keyword(*keyword), *keyword_span);
            }
            if found(rule.span) {
                return located(Target::Rule(medtm_engine::rule(&rule.name)?.name), rule.span);
            }
            if found(target.span) {
                return located(Target::Id(target.name.clone()), target.span);
            }
            if let Some(party) = party.as_ref().filter(|party| found(party.span)) {
                return located(word_target(&party.name, Party::INFO)?, party.span);
            }
        }
        Header::Unknown { .. } => {}
    }
    None
}

fn attribute(keyword: Keyword, attribute: &Attribute, found: &dyn Fn(Span) -> bool) -> Option<Located> {
    let spec = schema::attribute(keyword, &attribute.name.name)?;
    if found(attribute.name.span) {
        return Some(Located { target: Target::Attribute { keyword, spec }, span: attribute.name.span });
    }
    if spec.ty == ValueType::Response {
        return response(keyword, &attribute.value, found);
    }
    value(spec.ty, &attribute.value, found)
}

/// Inside a flow's `returns`: its keys are attributes of their own, with values of their type.
fn response(keyword: Keyword, value: &Value, found: &dyn Fn(Span) -> bool) -> Option<Located> {
    let ValueKind::Map(entries) = &value.kind else { return None };
    let entry = entries.iter().find(|entry| found(entry.span))?;
    let spec = schema::RESPONSE.iter().find(|spec| spec.name == entry.key.name)?;
    if found(entry.key.span) {
        return Some(Located { target: Target::Attribute { keyword, spec }, span: entry.key.span });
    }
    self::value(spec.ty, &entry.value, found)
}

fn value(ty: ValueType, value: &Value, found: &dyn Fn(Span) -> bool) -> Option<Located> {
    match &value.kind {
        ValueKind::List(items) => {
            items.iter().find(|item| found(item.span)).and_then(|item| self::value(ty, item, found))
        }
        ValueKind::Map(entries) => {
            let entry = entries.iter().find(|entry| found(entry.span))?;
            let (key, value) = (&entry.key, &entry.value);
            if found(key.span) {
                let target = match ty {
                    ValueType::Flags(flags) => Target::Flag(flags.iter().find(|flag| flag.name == key.name)?),
                    ValueType::DebugPorts => word_target(&key.name, DebugPort::INFO)?,
                    ValueType::MatrixRow => word_target(&key.name, Harm::INFO)?,
                    ValueType::Effect => Target::Metric(medtm_cvss::metric(&key.name)?),
                    _ => return None,
                };
                return Some(Located { target, span: key.span });
            }
            let vocabulary = match ty {
                ValueType::DebugPorts => PortState::INFO,
                ValueType::MatrixRow => RiskLevel::INFO,
                _ => return None,
            };
            word_in(value, vocabulary)
        }
        ValueKind::Word(word) => {
            let target = match ty {
                ValueType::Word(vocabulary) | ValueType::Words(vocabulary) => word_target(word, vocabulary)?,
                ValueType::References(_) => Target::Id(word.clone()),
                ValueType::Rules => Target::Rule(medtm_engine::rule(word)?.name),
                _ => return None,
            };
            Some(Located { target, span: value.span })
        }
        _ => None,
    }
}

fn word_in(value: &Value, vocabulary: &'static VocabularyInfo) -> Option<Located> {
    match &value.kind {
        ValueKind::Word(word) => Some(Located { target: word_target(word, vocabulary)?, span: value.span }),
        _ => None,
    }
}

/// A word of `vocabulary`, `unknown`, or nothing for a word the vocabulary does not have.
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
}
