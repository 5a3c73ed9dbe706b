//! The pipeline every front end shares: bytes or text to a parsed file, a typed model, all
//! diagnostics sorted by position, and (when the model has no errors) the analysis.

use medtm_model::{CheckOptions, Model};
use medtm_syntax::ast::File;
use medtm_syntax::{Diagnostic, diagnostic::sort_diagnostics};

use crate::Catalog;
use crate::analysis::{Analysis, AnalysisOptions, analyse, lint};

/// A checked model, everything found on the way, and its analysis.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The syntax tree (empty after `check_bytes`, which frees it once the model is built).
    pub file: File,
    pub model: Model,
    /// Syntax, semantic and analysis diagnostics, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// The analysis, when it was asked for ([`analyse_text`]) and the model has no errors (an
    /// erroneous model would give findings about what the user did not mean).
    pub analysis: Option<Analysis>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses and checks model text, with the analysis's warnings about dead controls and stale
/// decisions (which need the rules, but no scoring).
pub fn check_text(text: &str, options: CheckOptions) -> Checked {
    run(text, options, false, true)
}

/// Parses, checks and fully analyses model text.
pub fn analyse_text(text: &str, options: CheckOptions) -> Checked {
    run(text, options, true, true)
}

fn run(text: &str, options: CheckOptions, full: bool, keep_syntax: bool) -> Checked {
    let parsed = medtm_syntax::parse(text);
    let (model, semantic) = medtm_model::check(&parsed.file, &Catalog, options);
    let mut file = parsed.file;
    if !keep_syntax {
        // The model owns everything the analysis needs; freeing the syntax tree before scoring
        // lets the findings reuse its memory (a fifth of the peak on a large model).
        file = File { declarations: Vec::new(), comments: Vec::new(), recovered: file.recovered };
    }
    let mut diagnostics = parsed.diagnostics;
    diagnostics.extend(semantic);
    let analysis_options = AnalysisOptions { today: options.today };
    let mut analysis = None;
    if !diagnostics.iter().any(Diagnostic::is_error) {
        if full {
            let done = analyse(&model, &analysis_options);
            diagnostics.extend(done.diagnostics.iter().cloned());
            analysis = Some(done);
        } else {
            diagnostics.extend(lint(&model, &analysis_options));
        }
    }
    sort_diagnostics(&mut diagnostics);
    Checked { file, model, diagnostics, analysis }
}

/// Decodes and checks a model file's bytes; returns the text (lossy when not UTF-8, so the problem
/// can be shown in context) with the result. With `full`, the model is also analysed. The syntax
/// tree is dropped once the model is built (`Checked::file` comes back empty): the command line
/// works from the model alone, and on a large model the tree is most of the memory.
pub fn check_bytes(bytes: impl Into<Vec<u8>>, options: CheckOptions, full: bool) -> (String, Checked) {
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
    let checked = run(&source.text, options, full, false);
    (source.text, checked)
}
