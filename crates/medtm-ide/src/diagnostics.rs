//! What an editor underlines for a checker or analysis diagnostic: its message with the label
//! and help the command line shows, its severity, code and related places.

use medtm_syntax::{Severity, Span};

/// How loud an underline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Information,
}

/// Another place a diagnostic or finding points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

/// A diagnostic as an editor shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub span: Span,
    pub level: Level,
    /// `E0303` and the like.
    pub code: &'static str,
    /// The message, then the label when it adds to it, then `help: ...`.
    pub message: String,
    pub related: Vec<Related>,
}

pub(crate) fn convert(diagnostic: &medtm_syntax::Diagnostic) -> Diagnostic {
    let mut message = diagnostic.message.clone();
    // The label restates the message at the span as often as not; it is kept when it adds to it.
    if !diagnostic.label.is_empty() && !message.contains(&diagnostic.label) {
        message = format!("{message}\n{}", diagnostic.label);
    }
    if let Some(help) = &diagnostic.help {
        message = format!("{message}\nhelp: {help}");
    }
    Diagnostic {
        span: diagnostic.span,
        level: match diagnostic.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        },
        code: diagnostic.code.as_str(),
        message,
        related: diagnostic
            .related
            .iter()
            .map(|related| Related { span: related.span, message: related.message.clone() })
            .collect(),
    }
}
