//! The formatter: one canonical layout for a model, for `medtm fmt` and editors.
//!
//! The layout:
//! - two spaces of indentation per level (as the example models are written); attributes are
//!   `name: value` with one space after the colon and no column alignment;
//! - a declaration whose block was begun on its header's line and holds only attributes stays on
//!   one line when it fits in [`MAX_WIDTH`] columns (`actor nurse "Nurse" { role: nurse }`);
//!   any other block has one line per entry;
//! - attributes written on one line stay together, separated by `, `, while they fit; otherwise
//!   each gets its own line;
//! - a list or map that does not fit on its line, or holds a comment, gets one item per line with
//!   a trailing comma; one that fits is joined onto one line;
//! - a blank line separates declarations when either takes several lines; other blank lines are
//!   kept, at most one in a row, but never right after `{` or before `}`;
//! - strings, numbers and dates are copied exactly as written, and `"""` text blocks verbatim.
//!
//! Lossless: every comment stays next to the code it was next to (see the writer), and the
//! result is checked to parse to the same tree with the same comments, and to hold the source's
//! code but for whitespace and commas, before it is returned. Text that the tree does not hold
//! (which a parser passed over without an error) is never dropped: the model is refused instead.
//! Idempotent: formatting formatted text changes nothing.

mod flat;
mod layout;
mod verify;
mod writer;

#[cfg(test)]
mod tests;

use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;

/// The widest a line may get before a list or a line of attributes is broken up.
pub const MAX_WIDTH: usize = 100;

/// One level of indentation.
pub const INDENT: &str = "  ";

/// Formats a model in the canonical layout. Text with syntax errors is not formatted: its errors
/// are returned instead. Never panics.
pub fn format(text: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = crate::parse(text);
    let errors: Vec<Diagnostic> = parsed.diagnostics.into_iter().filter(Diagnostic::is_error).collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let formatted = match layout::file(text, &parsed.file) {
        Ok(formatted) => formatted,
        Err(dropped) => return Err(vec![unread_text(dropped)]),
    };
    let reparsed = crate::parse(&formatted);
    let clean = !reparsed.diagnostics.iter().any(Diagnostic::is_error);
    if clean && verify::same_meaning(&parsed.file, text, &reparsed.file, &formatted) {
        Ok(formatted)
    } else {
        Err(vec![
            Diagnostic::new(Code::SyntaxError, Span::at(0), "the formatter could not keep this model's meaning")
                .with_label("the file was left as it is")
                .with_help("this is a bug in medtm's formatter; please report it with the file"),
        ])
    }
}

/// Text that no node of the tree holds, although the parse reported no error: formatting would
/// delete it, so the formatter refuses. (A parser that reads `asset a """..."""` as the label
/// `""` and passes over the rest of the text block without an error gives such a tree.)
fn unread_text(span: Span) -> Diagnostic {
    Diagnostic::new(Code::SyntaxError, span, "the formatter would delete this text, which the parser did not read")
        .with_label("not part of any declaration as parsed")
        .with_help(
            "the file was left as it is; `medtm check` ignores this text too. This is a bug in medtm's \
             parser; please report it with the file",
        )
}
