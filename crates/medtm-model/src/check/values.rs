//! Reading attribute values against the schema: one typed getter per value type, each reporting
//! wrong types, words outside the vocabulary, unresolved references and unknown rules with a
//! "did you mean" and a fix.

use std::borrow::Cow;
use std::collections::BTreeMap;

use medtm_syntax::ast::{Attribute, Declaration, Ident, Keyword, MapEntry, Value, ValueKind};
use medtm_syntax::{Code, Diagnostic, Span};

use super::Builder;
use super::suggest::closest;
use crate::model::{Attr, OpenQuestion, Origin, Reference, RuleRef, Symbol, SymbolKind};
use crate::schema::{self, AttributeSpec, FlagSpec, ValueType};
use crate::vocab::{UNKNOWN, Vocabulary, VocabularyInfo};

/// The attributes of one declaration (or of a map nested in one, such as a flow's `returns`),
/// validated against its schema: unknown and duplicate names are already reported, so every
/// entry here has a spec.
pub(super) struct Attributes<'a> {
    pub keyword: Keyword,
    /// The schema the entries were read against: the keyword's, or the nested map's.
    pub specs: &'static [AttributeSpec],
    /// For a nested map, its name and a dot (`returns.`), in front of attribute names in
    /// messages, open questions and assumptions.
    pub prefix: &'static str,
    /// The id of the declaration, for open questions, warnings and the defaults applied (shared
    /// by each of a declaration's defaults rather than copied into each).
    pub owner: std::sync::Arc<str>,
    /// Where warnings about missing attributes point.
    pub owner_span: Span,
    entries: BTreeMap<&'static str, Field<'a>>,
    /// Set when an attribute name was not recognised or lacks its colon, or the declaration is
    /// broken: a misspelt attribute must not also be reported as missing.
    pub quiet: bool,
    /// Whether the declaration joins the model, so that the defaults applied to it are listed
    /// (not for a flow whose ends did not resolve).
    pub record: bool,
}

/// An attribute's name and value, from a block or from a map.
#[derive(Debug, Clone, Copy)]
pub(super) struct Field<'a> {
    pub name: &'a Ident,
    pub value: &'a Value,
}

impl<'a> Attributes<'a> {
    /// Whether the attribute was written (even with an invalid value).
    pub fn has(&self, name: &str) -> bool {
        self.entries.contains_key(name)
    }

    pub fn get(&self, name: &str) -> Option<Field<'a>> {
        debug_assert!(self.spec(name).is_some(), "{name} is not in the schema of {}", self.keyword);
        self.entries.get(name).copied()
    }

    /// The schema entry of an attribute.
    pub fn spec(&self, name: &str) -> Option<&'static AttributeSpec> {
        self.specs.iter().find(|spec| spec.name == name)
    }

    /// `name` with the prefix of the nested map it is in (`returns.authn`); borrowed at the
    /// top level, where most defaults are applied.
    pub fn qualified(&self, name: &str) -> Cow<'static, str> {
        match (self.prefix, self.spec(name)) {
            ("", Some(spec)) => Cow::Borrowed(spec.name),
            _ => format!("{}{name}", self.prefix).into(),
        }
    }
}

impl<'a> Builder<'a> {
    /// Validates the attribute names of `declaration` against the schema of `keyword`.
    pub(super) fn attributes(
        &mut self,
        declaration: &'a Declaration,
        keyword: Keyword,
        owner: &str,
        owner_span: Span,
    ) -> Attributes<'a> {
        let mut entries: BTreeMap<&'static str, Field<'a>> = BTreeMap::new();
        let mut had_unknown = false;
        for attribute in declaration.attributes() {
            let name = attribute.name.name.as_str();
            let Some(spec) = schema::attribute(keyword, name) else {
                self.unknown_attribute(keyword, attribute);
                had_unknown = true;
                continue;
            };
            if let Some(first) = entries.get(spec.name) {
                self.push(
                    Diagnostic::new(Code::DuplicateAttribute, attribute.name.span, format!("`{name}` is given twice"))
                        .with_label("second value")
                        .with_related(first.name.span, "first given here")
                        .with_help("keep one of them; for several values, write a list: `[a, b]`"),
                );
                continue;
            }
            entries.insert(spec.name, Field { name: &attribute.name, value: &attribute.value });
        }
        // `kind wearable` (no colon) parses as a nested declaration; the checker reports it there.
        let missing_colon = declaration.children().any(|child| match &child.header {
            medtm_syntax::ast::Header::Unknown { keyword: word, .. } => {
                schema::attribute(keyword, &word.name).is_some()
            }
            _ => false,
        });
        Attributes {
            keyword,
            specs: schema::attributes(keyword),
            prefix: "",
            owner: owner.into(),
            owner_span,
            entries,
            quiet: had_unknown || missing_colon,
            record: true,
        }
    }

    /// Reads a map attribute whose keys are attributes of their own (`returns: { carries: [...],
    /// authn: ... }`), against `specs`; unknown keys are reported with a "did you mean". `None`
    /// when the value is not a map (reported).
    pub(super) fn nested_attributes(
        &mut self,
        parent: &Attributes<'a>,
        field: Field<'a>,
        specs: &'static [AttributeSpec],
        prefix: &'static str,
    ) -> Option<Attributes<'a>> {
        let name = field.name.name.as_str();
        let map = self.map_entries(field.value, name)?;
        let mut entries = BTreeMap::new();
        let mut had_unknown = false;
        for entry in map {
            let Some(spec) = specs.iter().find(|spec| spec.name == entry.key.name) else {
                let names: Vec<_> = specs.iter().map(|spec| spec.name).collect();
                self.unknown_key(name, &entry.key.name, entry.key.span, &names);
                had_unknown = true;
                continue;
            };
            entries.insert(spec.name, Field { name: &entry.key, value: &entry.value });
        }
        Some(Attributes {
            keyword: parent.keyword,
            specs,
            prefix,
            owner: parent.owner.clone(),
            owner_span: field.name.span,
            entries,
            quiet: parent.quiet || had_unknown,
            record: parent.record,
        })
    }

    fn unknown_attribute(&mut self, keyword: Keyword, attribute: &Attribute) {
        let name = attribute.name.name.as_str();
        let names = schema::attributes(keyword).iter().map(|spec| spec.name);
        let all: Vec<_> = names.clone().collect();
        let mut diagnostic = Diagnostic::new(
            Code::UnknownAttribute,
            attribute.name.span,
            format!("`{keyword}` has no attribute `{name}`"),
        )
        .with_label("unknown attribute");
        diagnostic = match closest(name, names) {
            Some(suggestion) => diagnostic.with_help(format!("did you mean `{suggestion}`?")).with_fix(
                format!("Change to `{suggestion}`"),
                attribute.name.span,
                suggestion,
            ),
            None => diagnostic.with_help(format!("`{keyword}` takes: {}", all.join(", "))),
        };
        self.push(diagnostic);
    }

    /// Reports a value of the wrong form.
    fn wrong_type(&mut self, value: &Value, expected: &str) {
        if value.kind == ValueKind::Invalid {
            return;
        }
        self.push(
            Diagnostic::new(
                Code::WrongType,
                value.span,
                format!("expected {expected}, found {}", value.kind.describe()),
            )
            .with_label(format!("expected {expected}"))
            .with_help(wrong_type_help(value, expected)),
        );
    }

    /// Checks one vocabulary word; `unknown` gives the worst case and an open question.
    fn vocabulary_word<T: Vocabulary>(
        &mut self,
        attrs: &Attributes<'_>,
        attribute: &str,
        value: &Value,
    ) -> Option<(T, Origin)> {
        let ValueKind::Word(word) = &value.kind else {
            self.wrong_type(value, &format!("{} word", T::INFO.with_article()));
            return None;
        };
        if word == UNKNOWN {
            self.open_question(attrs, &attrs.qualified(attribute), value.span);
            return Some((T::WORST, Origin::Unknown));
        }
        if let Some(parsed) = T::from_word(word) {
            return Some((parsed, Origin::Stated));
        }
        self.unknown_word(T::INFO, word, value.span);
        None
    }

    pub(super) fn unknown_word(&mut self, vocabulary: &VocabularyInfo, word: &str, span: Span) {
        let mut diagnostic =
            Diagnostic::new(Code::UnknownValue, span, format!("`{word}` is not {}", vocabulary.with_article()))
                .with_label(format!("not {}", vocabulary.with_article()));
        diagnostic = match closest(word, vocabulary.words.iter().map(|info| info.word)) {
            Some(suggestion) => diagnostic
                .with_help(format!(
                    "did you mean `{suggestion}`? ({}: {}, or `unknown`)",
                    vocabulary.name,
                    vocabulary.list()
                ))
                .with_fix(format!("Change to `{suggestion}`"), span, suggestion),
            None => diagnostic.with_help(format!(
                "expected one of: {}, or `unknown` to assume the worst case ({})",
                vocabulary.list(),
                vocabulary.unknown_means
            )),
        };
        self.push(diagnostic);
    }

    fn open_question(&mut self, attrs: &Attributes<'_>, attribute: &str, span: Span) {
        self.model.open_questions.push(OpenQuestion {
            subject: attrs.owner.to_string(),
            attribute: attribute.to_owned(),
            span,
        });
    }

    /// Warns that an attribute the analysis needs is missing, naming the default used.
    pub(super) fn missing(&mut self, attrs: &Attributes<'_>, name: &str, assumed: &str) {
        if attrs.quiet {
            return;
        }
        let spec = attrs.spec(name);
        let name = &attrs.qualified(name);
        let hint = match spec.map(|spec| spec.ty) {
            Some(ValueType::Word(vocabulary) | ValueType::Words(vocabulary)) => {
                format!(
                    "add `{name}: ...` (one of {}), or `{name}: unknown` to list it as an open question",
                    vocabulary.list()
                )
            }
            Some(ValueType::Flags(flags)) => {
                let keys: Vec<String> = flags.iter().map(|flag| format!("{}: {}", flag.name, flag.default)).collect();
                format!("add `{name}: {{ {} }}` with the device's real values", keys.join(", "))
            }
            _ => format!("add `{name}: ...`"),
        };
        self.push(
            Diagnostic::new(
                Code::MissingAttribute,
                attrs.owner_span,
                format!("{} `{}` has no `{name}`; assuming {assumed}", attrs.keyword, attrs.owner),
            )
            .with_label(format!("`{name}` missing"))
            .with_help(hint),
        );
    }

    /// One vocabulary word.
    pub(super) fn word<T: Vocabulary>(&mut self, attrs: &Attributes<'_>, name: &str) -> Option<Attr<T>> {
        let attribute = attrs.get(name)?;
        let (value, origin) = self.vocabulary_word::<T>(attrs, name, attribute.value)?;
        Some(Attr { value, origin, span: Some(attribute.value.span) })
    }

    /// One word or a list of words, deduplicated in order.
    pub(super) fn words<T: Vocabulary>(&mut self, attrs: &Attributes<'_>, name: &str) -> Option<Attr<Vec<T>>> {
        let attribute = attrs.get(name)?;
        let items = list_items(attribute.value);
        let mut values = Vec::new();
        let mut origin = Origin::Stated;
        for item in items {
            if let Some((value, item_origin)) = self.vocabulary_word::<T>(attrs, name, item) {
                if item_origin == Origin::Unknown {
                    origin = Origin::Unknown;
                }
                if !values.contains(&value) {
                    values.push(value);
                }
            }
        }
        Some(Attr { value: values, origin, span: Some(attribute.value.span) })
    }

    pub(super) fn boolean(&mut self, attrs: &Attributes<'_>, name: &str) -> Option<Attr<bool>> {
        let attribute = attrs.get(name)?;
        self.boolean_value(attribute.value, "`true` or `false`").map(|value| Attr {
            value,
            origin: Origin::Stated,
            span: Some(attribute.value.span),
        })
    }

    /// `true` or `false`; anything else is reported as not what was `expected`.
    fn boolean_value(&mut self, value: &Value, expected: &str) -> Option<bool> {
        if let ValueKind::Boolean(flag) = &value.kind {
            Some(*flag)
        } else {
            self.wrong_type(value, expected);
            None
        }
    }

    /// A non-negative integer of at least `min`.
    pub(super) fn count(&mut self, attrs: &Attributes<'_>, name: &str, min: u64) -> Option<Attr<u64>> {
        let attribute = attrs.get(name)?;
        let value = attribute.value;
        match value.kind {
            ValueKind::Integer(number) if u64::try_from(number).is_ok_and(|n| n >= min) => {
                Some(Attr { value: number as u64, origin: Origin::Stated, span: Some(value.span) })
            }
            ValueKind::Integer(_) => {
                self.push(
                    Diagnostic::new(Code::WrongType, value.span, format!("`{name}` must be at least {min}"))
                        .with_label(format!("expected a whole number of at least {min}")),
                );
                None
            }
            _ => {
                self.wrong_type(value, "a whole number");
                None
            }
        }
    }

    pub(super) fn text(&mut self, attrs: &Attributes<'_>, name: &str) -> Option<String> {
        let attribute = attrs.get(name)?;
        if let ValueKind::String(text) = &attribute.value.kind {
            Some(text.clone())
        } else {
            self.wrong_type(attribute.value, "a string");
            None
        }
    }

    pub(super) fn date(&mut self, attrs: &Attributes<'_>, name: &str) -> Option<jiff::civil::Date> {
        let attribute = attrs.get(name)?;
        if let ValueKind::Date(date) = &attribute.value.kind {
            Some(*date)
        } else {
            self.wrong_type(attribute.value, "a date (YYYY-MM-DD)");
            None
        }
    }

    /// A list of strings.
    pub(super) fn texts(&mut self, attrs: &Attributes<'_>, name: &str) -> Vec<String> {
        let Some(attribute) = attrs.get(name) else { return Vec::new() };
        let items = list_items(attribute.value);
        let mut texts = Vec::new();
        for item in items {
            match &item.kind {
                ValueKind::String(text) => texts.push(text.clone()),
                _ => self.wrong_type(item, "a string"),
            }
        }
        texts
    }

    /// A reference or a list of references to declarations of the given kinds.
    pub(super) fn references(&mut self, attrs: &Attributes<'_>, name: &str) -> Vec<Symbol> {
        let Some(attribute) = attrs.get(name) else { return Vec::new() };
        let Some(ValueType::References(kinds)) = attrs.spec(name).map(|spec| spec.ty) else {
            return Vec::new();
        };
        let context = format!("`{name}`");
        let mut symbols = Vec::new();
        for item in list_items(attribute.value) {
            let ValueKind::Word(word) = &item.kind else {
                self.wrong_type(item, "a reference (an id)");
                continue;
            };
            if let Some(symbol) = self.resolve(word, item.span, kinds, &context)
                && !symbols.contains(&symbol)
            {
                symbols.push(symbol);
            }
        }
        symbols
    }

    /// Resolves an id to a declaration of one of `kinds`, reporting failures with a suggestion.
    /// `context` says what asked ("`carries`", "the flow's source").
    pub(super) fn resolve(&mut self, id: &str, span: Span, kinds: &[SymbolKind], context: &str) -> Option<Symbol> {
        if self.poisoned.contains(id) {
            return None;
        }
        // Only a failure needs the words; most references resolve.
        let expected = || join_or(&kinds.iter().map(|kind| kind.with_article()).collect::<Vec<_>>());
        match self.model.symbols.get(id).copied() {
            Some(symbol) if kinds.contains(&symbol.kind) => {
                self.model.references.push(Reference { span, target: id.to_owned() });
                Some(symbol)
            }
            Some(symbol) => {
                self.model.references.push(Reference { span, target: id.to_owned() });
                let expected = expected();
                self.push(
                    Diagnostic::new(
                        Code::WrongReferenceKind,
                        span,
                        format!("`{id}` is {}, but {context} takes {expected}", symbol.kind.with_article()),
                    )
                    .with_label(format!("expected {expected}"))
                    .with_related(symbol.span, format!("`{id}` is declared here"))
                    .with_help(format!("refer to {expected} here")),
                );
                None
            }
            None => {
                let expected = expected();
                let candidates =
                    self.model.symbols.iter().filter(|(_, s)| kinds.contains(&s.kind)).map(|(name, _)| name.as_str());
                let mut diagnostic =
                    Diagnostic::new(Code::UnresolvedReference, span, format!("`{id}` is not declared"))
                        .with_label(format!("expected {expected}"));
                let suggestion = closest(id, candidates).map(str::to_owned);
                if let Some(suggestion) = &suggestion {
                    self.suggested.insert(suggestion.clone());
                }
                diagnostic = match suggestion {
                    Some(suggestion) => diagnostic.with_help(format!("did you mean `{suggestion}`?")).with_fix(
                        format!("Change to `{suggestion}`"),
                        span,
                        suggestion,
                    ),
                    None => diagnostic.with_help(format!("declare it, or refer to an existing {}", kinds[0].as_str())),
                };
                self.push(diagnostic);
                None
            }
        }
    }

    /// A list of rule names or codes, resolved to canonical names.
    pub(super) fn rules(&mut self, attrs: &Attributes<'_>, name: &str) -> Vec<RuleRef> {
        let Some(attribute) = attrs.get(name) else { return Vec::new() };
        let mut rules = Vec::new();
        for item in list_items(attribute.value) {
            let ValueKind::Word(word) = &item.kind else {
                self.wrong_type(item, "a rule name");
                continue;
            };
            if let Some(rule) = self.rule(word, item.span) {
                rules.push(rule);
            }
        }
        rules
    }

    /// Resolves one rule name or code.
    pub(super) fn rule(&mut self, word: &str, span: Span) -> Option<RuleRef> {
        if let Some(name) = self.rules.resolve(word) {
            return Some(RuleRef { name: name.to_owned(), span });
        }
        let names = self.rules.names();
        let mut diagnostic =
            Diagnostic::new(Code::UnknownRule, span, format!("no rule is called `{word}`")).with_label("unknown rule");
        diagnostic = match closest(word, names.iter().copied()) {
            Some(suggestion) => diagnostic.with_help(format!("did you mean `{suggestion}`?")).with_fix(
                format!("Change to `{suggestion}`"),
                span,
                suggestion,
            ),
            None => diagnostic.with_help("`medtm rules` lists every rule by name and code"),
        };
        self.push(diagnostic);
        None
    }

    /// A map of known flags to booleans; absent keys take their default, and `unknown` the flag's
    /// worst case with an open question.
    pub(super) fn flags(
        &mut self,
        attrs: &Attributes<'_>,
        name: &str,
        specs: &[FlagSpec],
    ) -> Option<BTreeMap<&'static str, Attr<bool>>> {
        let attribute = attrs.get(name)?;
        let entries = self.map_entries(attribute.value, name)?;
        let mut flags = BTreeMap::new();
        for entry in entries {
            let key = entry.key.name.as_str();
            let Some(spec) = specs.iter().find(|spec| spec.name == key) else {
                let names: Vec<_> = specs.iter().map(|spec| spec.name).collect();
                self.unknown_key(name, &entry.key.name, entry.key.span, &names);
                continue;
            };
            let span = Some(entry.value.span);
            if matches!(&entry.value.kind, ValueKind::Word(word) if word == UNKNOWN) {
                // Not known yet: the worst case, listed as an open question.
                self.open_question(attrs, &format!("{}.{key}", attrs.qualified(name)), entry.value.span);
                flags.insert(spec.name, Attr { value: spec.unknown_means, origin: Origin::Unknown, span });
            } else if let Some(value) = self.boolean_value(&entry.value, "`true`, `false` or `unknown`") {
                flags.insert(spec.name, Attr { value, origin: Origin::Stated, span });
            }
        }
        for spec in specs {
            flags.entry(spec.name).or_insert_with(|| Attr::default_value(spec.default));
        }
        Some(flags)
    }

    /// A map whose keys are words of `keys` and whose values are words of `T`.
    pub(super) fn word_map<K: Vocabulary, T: Vocabulary>(
        &mut self,
        attrs: &Attributes<'_>,
        name: &str,
    ) -> Vec<(K, Attr<T>)> {
        let Some(attribute) = attrs.get(name) else { return Vec::new() };
        let Some(entries) = self.map_entries(attribute.value, name) else { return Vec::new() };
        let mut pairs: Vec<(K, Attr<T>)> = Vec::new();
        for entry in entries {
            let Some(key) = K::from_word(&entry.key.name) else {
                self.unknown_word(K::INFO, &entry.key.name, entry.key.span);
                continue;
            };
            let question = format!("{name}.{}", entry.key.name);
            if let Some((value, origin)) = self.vocabulary_word::<T>(attrs, &question, &entry.value) {
                pairs.push((key, Attr { value, origin, span: Some(entry.value.span) }));
            }
        }
        pairs
    }

    /// The entries of a map value, reporting a non-map and duplicate keys.
    pub(super) fn map_entries<'v>(&mut self, value: &'v Value, name: &str) -> Option<Vec<&'v MapEntry>> {
        let ValueKind::Map(entries) = &value.kind else {
            let expected = format!("a map `{{ key: value }}` for `{name}`");
            self.wrong_type(value, &expected);
            return None;
        };
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        let mut unique = Vec::new();
        for entry in entries {
            if let Some(first) = seen.get(entry.key.name.as_str()) {
                self.push(
                    Diagnostic::new(
                        Code::DuplicateAttribute,
                        entry.key.span,
                        format!("`{}` is given twice", entry.key.name),
                    )
                    .with_label("second value")
                    .with_related(*first, "first given here")
                    .with_help("keep one of them"),
                );
                continue;
            }
            seen.insert(&entry.key.name, entry.key.span);
            unique.push(entry);
        }
        Some(unique)
    }

    pub(super) fn unknown_key(&mut self, map: &str, key: &str, span: Span, valid: &[&str]) {
        let mut diagnostic = Diagnostic::new(Code::UnknownAttribute, span, format!("`{map}` has no key `{key}`"))
            .with_label("unknown key");
        diagnostic = match closest(key, valid.iter().copied()) {
            Some(suggestion) => diagnostic.with_help(format!("did you mean `{suggestion}`?")).with_fix(
                format!("Change to `{suggestion}`"),
                span,
                suggestion,
            ),
            None => diagnostic.with_help(format!("`{map}` takes: {}", valid.join(", "))),
        };
        self.push(diagnostic);
    }
}

/// The items of a list, or the value itself when a single value stands for a one-item list.
fn list_items(value: &Value) -> Vec<&Value> {
    match &value.kind {
        ValueKind::List(items) => items.iter().collect(),
        _ => vec![value],
    }
}

fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn wrong_type_help(value: &Value, expected: &str) -> String {
    match (&value.kind, expected) {
        (ValueKind::String(text), _)
            if !text.contains(char::is_whitespace) && !text.is_empty() && !expected.contains("string") =>
        {
            format!("write it without quotes: `{text}`")
        }
        (ValueKind::Word(word), _) if expected.contains("string") => format!("put text in quotes: `\"{word}\"`"),
        (ValueKind::Word(word), _) if expected.contains("true") => format!("write {expected}, not `{word}`"),
        _ => format!("this attribute takes {expected}"),
    }
}
