//! The medtm model language's syntax: source text to an AST with byte spans, and the diagnostics
//! of everything that is not well-formed. Pure: no file system, terminal or environment.
//!
//! Parsing never fails and never panics: [`parse`] always returns a tree of what could be parsed
//! plus diagnostics for the rest. A bracket or quote left out where the layout shows it is read as
//! if it were there (the declaration survives, one error); any other mistake skips to the next
//! top-level declaration.

// pest is built without `std` (which would add a native stack probe to every rule call, a fifth
// of parse time); its generated parser then names the `alloc` crate.
extern crate alloc;

pub mod ast;
pub mod diagnostic;
pub mod format;
pub mod limits;
mod parser;
pub mod scan;
pub mod source;
pub mod span;

pub use diagnostic::{Code, Diagnostic, Severity};
pub use parser::{Parsed, parse, parse_with};
pub use span::{LineColumn, LineIndex, Span};
