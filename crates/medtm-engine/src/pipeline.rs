//! The pipeline every front end shares: bytes or text to a parsed file, a typed model, all
//! diagnostics sorted by position, and (when the model has no errors) the analysis.

use medtm_model::{CheckOptions, Model};
use medtm_syntax::ast::File;
use medtm_syntax::{Diagnostic, diagnostic::sort_diagnostics};

use crate::Catalog;
use crate::analysis::{Analysis, AnalysisOptions, analyse};

/// A checked model, everything found on the way, and its analysis.
#[derive(Debug, Clone)]
pub struct Checked {
    pub file: File,
    pub model: Model,
    /// Syntax, semantic and analysis diagnostics, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// The analysis, when the model has no errors (an erroneous model would give findings about
    /// what the user did not mean).
    pub analysis: Option<Analysis>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses, checks and analyses model text.
pub fn check_text(text: &str, options: CheckOptions) -> Checked {
    let parsed = medtm_syntax::parse(text);
    let (model, semantic) = medtm_model::check(&parsed.file, &Catalog, options);
    let mut diagnostics = parsed.diagnostics;
    diagnostics.extend(semantic);
    let analysis = if diagnostics.iter().any(Diagnostic::is_error) {
        None
    } else {
        let analysis = analyse(&model, &AnalysisOptions { today: options.today });
        diagnostics.extend(analysis.diagnostics.iter().cloned());
        Some(analysis)
    };
    sort_diagnostics(&mut diagnostics);
    Checked { file: parsed.file, model, diagnostics, analysis }
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
            analysis: None,
        };
        return (source.text, checked);
    }
    let checked = check_text(&source.text, options);
    (source.text, checked)
}
