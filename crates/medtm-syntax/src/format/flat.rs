//! One-line renderings of values, attributes and declaration headers, in the canonical spacing.
//! Literals are copied from the source exactly as written: strings keep their escapes, numbers
//! their digits, text blocks their lines.

use crate::ast::{Attribute, Declaration, Header, MapEntry, Value, ValueKind};
use crate::scan;
use crate::span::Span;

/// `[a, b]`, `{ key: value }`, or the literal as written.
pub(super) fn value(source: &str, value: &Value) -> String {
    let mut out = String::new();
    push_value(source, value, &mut out);
    out
}

fn push_value(source: &str, value: &Value, out: &mut String) {
    match &value.kind {
        ValueKind::List(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                push_value(source, item, out);
            }
            out.push(']');
        }
        ValueKind::Map(entries) if entries.is_empty() => out.push_str("{}"),
        ValueKind::Map(entries) => {
            out.push_str("{ ");
            for (index, entry) in entries.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                push_map_entry(source, entry, out);
            }
            out.push_str(" }");
        }
        _ => out.push_str(value.span.slice(source)),
    }
}

fn push_map_entry(source: &str, entry: &MapEntry, out: &mut String) {
    out.push_str(&entry.key.name);
    out.push_str(": ");
    push_value(source, &entry.value, out);
}

/// `name: value`
pub(super) fn attribute(source: &str, attribute: &Attribute) -> String {
    let mut out = String::new();
    out.push_str(&attribute.name.name);
    out.push_str(": ");
    push_value(source, &attribute.value, &mut out);
    out
}

/// Attributes side by side: `a: 1, b: 2`.
pub(super) fn attributes(source: &str, attributes: &[&Attribute]) -> String {
    let parts: Vec<String> = attributes.iter().map(|a| attribute(source, a)).collect();
    parts.join(", ")
}

/// A piece of a declaration's header: a word with its span.
pub(super) struct Part<'a> {
    pub text: &'a str,
    pub span: Span,
    /// Whether a space separates it from the part before.
    pub space: bool,
}

/// The parts of a declaration's header in order, up to and including its label. The spans of
/// `:`, `on` and `to`, which the tree does not keep, are found in the source after the part before.
pub(super) fn header<'a>(source: &'a str, declaration: &'a Declaration) -> Vec<Part<'a>> {
    let word = |text: &'a str, span: Span| Part { text, span, space: true };
    let mut parts = Vec::new();
    match &declaration.header {
        Header::Element { keyword, keyword_span, id } => {
            parts.push(word(keyword.as_str(), *keyword_span));
            parts.push(word(&id.name, id.span));
        }
        Header::Flow { keyword_span, name, from, direction, arrow_span, to } => {
            parts.push(word("flow", *keyword_span));
            if let Some(name) = name {
                parts.push(word(&name.name, name.span));
                parts.push(Part { text: ":", span: punctuation(source, name.span.end, ":"), space: false });
            }
            parts.push(word(&from.name, from.span));
            parts.push(word(direction.arrow(), *arrow_span));
            parts.push(word(&to.name, to.span));
        }
        Header::Decision { keyword, keyword_span, rule, target, party } => {
            parts.push(word(keyword.as_str(), *keyword_span));
            parts.push(word(&rule.name, rule.span));
            parts.push(word("on", punctuation(source, rule.span.end, "on")));
            parts.push(word(&target.name, target.span));
            if let Some(party) = party {
                parts.push(word("to", punctuation(source, target.span.end, "to")));
                parts.push(word(&party.name, party.span));
            }
        }
        Header::Unknown { keyword, words } => {
            parts.push(word(&keyword.name, keyword.span));
            parts.extend(words.iter().map(|w| word(&w.name, w.span)));
        }
    }
    if let Some(label) = &declaration.label {
        parts.push(word(label.span.slice(source), label.span));
    }
    if let Some(first) = parts.first_mut() {
        first.space = false;
    }
    parts
}

/// The span of a declaration's code: a declaration without a block ends with its last word, but
/// the parser's span also covers the blank lines and comments after it.
pub(super) fn code_span(source: &str, declaration: &Declaration) -> Span {
    let end = match &declaration.block {
        Some(block) => block.span.end,
        None => header(source, declaration).last().map_or(declaration.span.end, |part| part.span.end),
    };
    Span::new(declaration.span.start, end.min(declaration.span.end))
}

/// The header on one line: `flow bolus: app -> pump "Bolus request"`.
pub(super) fn header_line(parts: &[Part<'_>]) -> String {
    let mut out = String::new();
    for part in parts {
        if part.space && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part.text);
    }
    out
}

/// The span of the token `expected` at the first code after `after`; an empty span there when
/// the source has something else (comments are then still written, in order).
pub(super) fn punctuation(source: &str, after: usize, expected: &str) -> Span {
    let at = scan::skip_trivia(source, after.min(source.len()));
    if source.get(at..).is_some_and(|rest| rest.starts_with(expected)) {
        Span::new(at, at + expected.len())
    } else {
        Span::at(after)
    }
}
