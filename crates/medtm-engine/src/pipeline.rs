//! The check pipeline every front end shares: bytes or text to a parsed file, a typed model and
//! all diagnostics, sorted by position.

use medtm_model::{CheckOptions, Model};
use medtm_syntax::ast::File;
use medtm_syntax::{Diagnostic, diagnostic::sort_diagnostics};

use crate::Catalog;

/// A checked model and everything found on the way.
#[derive(Debug, Clone)]
pub struct Checked {
    pub file: File,
    pub model: Model,
    /// Syntax and semantic diagnostics, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses and checks model text.
pub fn check_text(text: &str, options: CheckOptions) -> Checked {
    let parsed = medtm_syntax::parse(text);
    let (model, semantic) = medtm_model::check(&parsed.file, &Catalog, options);
    let mut diagnostics = parsed.diagnostics;
    diagnostics.extend(semantic);
    sort_diagnostics(&mut diagnostics);
    Checked { file: parsed.file, model, diagnostics }
}

/// Decodes and checks a model file's bytes; returns the text (lossy when not UTF-8, so the problem
/// can be shown in context) with the result.
pub fn check_bytes(bytes: &[u8], options: CheckOptions) -> (String, Checked) {
    let source = medtm_syntax::source::decode(bytes);
    if let Some(error) = source.error {
        let checked = Checked {
            file: File { declarations: Vec::new(), comments: Vec::new(), recovered: true },
            model: Model::default(),
            diagnostics: vec![error],
        };
        return (source.text, checked);
    }
    let checked = check_text(&source.text, options);
    (source.text, checked)
}
