//! The formatter's own safety net: formatted text must parse, without errors, to the same tree
//! (spans aside) with the same comments in the same order, and its code (the text outside
//! comments) must be the source's but for whitespace and commas. If it ever did not, the formatter
//! reports an error and the file is left as it was, so formatting can never lose anything: not
//! even text the tree does not hold, which comparing trees alone would not see.

use crate::ast::{Declaration, Entry, File, Header, Value, ValueKind};
use crate::scan::{Comment, CommentKind};

/// Whether `after` (parsed from `after_text`) says exactly what `before` (from `before_text`) says.
pub(super) fn same_meaning(before: &File, before_text: &str, after: &File, after_text: &str) -> bool {
    same_comments(&before.comments, before_text, &after.comments, after_text)
        && same_list(&before.declarations, &after.declarations, same_declaration)
        && code(before_text, &before.comments).eq(code(after_text, &after.comments))
}

/// The characters of the code, in order: the text outside comments without the whitespace,
/// commas and byte-order marks, which are all that the layout changes.
fn code<'a>(text: &'a str, comments: &'a [Comment]) -> impl Iterator<Item = char> + 'a {
    let mut comments = comments.iter().map(|comment| comment.span).peekable();
    text.char_indices()
        .filter(move |&(at, _)| {
            while comments.next_if(|span| span.end <= at).is_some() {}
            comments.peek().is_none_or(|span| span.start > at)
        })
        .map(|(_, c)| c)
        .filter(|c| !matches!(c, ' ' | '\t' | '\r' | '\n' | ',' | '\u{feff}'))
}

/// The text a comment keeps through formatting (trailing spaces of line comments are dropped).
pub fn comment_text(comment: Comment, text: &str) -> &str {
    let raw = comment.span.slice(text);
    match comment.kind {
        CommentKind::Line | CommentKind::Doc => raw.trim_end(),
        CommentKind::Block => raw,
    }
}

fn same_comments(before: &[Comment], before_text: &str, after: &[Comment], after_text: &str) -> bool {
    same_list(before, after, |a, b| a.kind == b.kind && comment_text(*a, before_text) == comment_text(*b, after_text))
}

fn same_list<T>(a: &[T], b: &[T], same: impl Fn(&T, &T) -> bool) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
}

fn same_declaration(a: &Declaration, b: &Declaration) -> bool {
    let same_label = match (&a.label, &b.label) {
        (Some(x), Some(y)) => x.value == y.value,
        (None, None) => true,
        _ => false,
    };
    let same_block = match (&a.block, &b.block) {
        (Some(x), Some(y)) => same_list(&x.entries, &y.entries, same_entry),
        (None, None) => true,
        _ => false,
    };
    same_header(&a.header, &b.header) && same_label && same_block && a.doc == b.doc
}

fn same_header(a: &Header, b: &Header) -> bool {
    let names = |x: &crate::ast::Ident, y: &crate::ast::Ident| x.name == y.name;
    match (a, b) {
        (Header::Element { keyword: k1, id: i1, .. }, Header::Element { keyword: k2, id: i2, .. }) => {
            k1 == k2 && names(i1, i2)
        }
        (
            Header::Flow { name: n1, from: f1, direction: d1, to: t1, .. },
            Header::Flow { name: n2, from: f2, direction: d2, to: t2, .. },
        ) => {
            let same_name = match (n1, n2) {
                (Some(x), Some(y)) => names(x, y),
                (None, None) => true,
                _ => false,
            };
            same_name && names(f1, f2) && d1 == d2 && names(t1, t2)
        }
        (
            Header::Decision { keyword: k1, rule: r1, target: t1, party: p1, .. },
            Header::Decision { keyword: k2, rule: r2, target: t2, party: p2, .. },
        ) => {
            let same_party = match (p1, p2) {
                (Some(x), Some(y)) => names(x, y),
                (None, None) => true,
                _ => false,
            };
            k1 == k2 && names(r1, r2) && names(t1, t2) && same_party
        }
        (Header::Unknown { keyword: k1, words: w1 }, Header::Unknown { keyword: k2, words: w2 }) => {
            names(k1, k2) && same_list(w1, w2, |x, y| names(x, y))
        }
        _ => false,
    }
}

fn same_entry(a: &Entry, b: &Entry) -> bool {
    match (a, b) {
        (Entry::Attribute(x), Entry::Attribute(y)) => x.name.name == y.name.name && same_value(&x.value, &y.value),
        (Entry::Declaration(x), Entry::Declaration(y)) => same_declaration(x, y),
        _ => false,
    }
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (&a.kind, &b.kind) {
        (ValueKind::List(x), ValueKind::List(y)) => same_list(x, y, same_value),
        (ValueKind::Map(x), ValueKind::Map(y)) => {
            same_list(x, y, |p, q| p.key.name == q.key.name && same_value(&p.value, &q.value))
        }
        (x, y) => x == y,
    }
}
