//! The pipeline every front end shares: bytes or text to a parsed file, a typed model, all
//! diagnostics sorted by position, and (when the model has no errors) the analysis. For the
//! editors, a model with errors is analysed too, as far as it lowered: its findings on
//! declarations untouched by the errors keep showing while the user types.

use medtm_model::model::{FlowId, Subject};
use medtm_model::{CheckOptions, Model};
use medtm_syntax::ast::File;
use medtm_syntax::{Diagnostic, Span, diagnostic::sort_diagnostics};

use crate::Catalog;
use crate::analysis::{Analysis, AnalysisOptions, Finding, analyse, lint};

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
    /// When [`analyse_text_despite_errors`] meets a model with errors: the findings of analysing what lowered,
    /// on subjects whose declarations (and, for a flow, its ends') no error touches, in rank
    /// order. Ranks are among all the findings of that model, which is incomplete: they come
    /// from a model with errors. Empty otherwise; the analysis's model-wide warnings (controls
    /// that bind to nothing, decisions that match nothing) wait until the errors are gone.
    pub findings_despite_errors: Vec<Finding>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses and checks model text, with the analysis's warnings about dead controls and stale
/// decisions (which need the rules, but no scoring).
pub fn check_text(text: &str, options: CheckOptions) -> Checked {
    run(text, options, Depth::Lint, true)
}

/// Parses, checks and fully analyses model text.
pub fn analyse_text(text: &str, options: CheckOptions) -> Checked {
    run(text, options, Depth::Analyse, true)
}

/// [`analyse_text`], and a model with errors analysed as far as it lowered (see
/// [`Checked::findings_despite_errors`]): for editors, whose findings should not vanish while
/// the user types.
pub fn analyse_text_despite_errors(text: &str, options: CheckOptions) -> Checked {
    run(text, options, Depth::AnalyseDespiteErrors, true)
}

/// How far the pipeline goes after checking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Depth {
    /// The rules' warnings about dead controls and stale decisions only.
    Lint,
    /// The analysis, of a model without errors.
    Analyse,
    /// The analysis, also of a model with errors.
    AnalyseDespiteErrors,
}

fn run(text: &str, options: CheckOptions, depth: Depth, keep_syntax: bool) -> Checked {
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
    let mut findings_despite_errors = Vec::new();
    let mut errors: Vec<Span> = diagnostics.iter().filter(|d| d.is_error()).map(|d| d.span).collect();
    errors.sort_unstable_by_key(|span| span.start);
    if errors.is_empty() {
        if depth == Depth::Lint {
            diagnostics.extend(lint(&model, &analysis_options));
        } else {
            let done = analyse(&model, &analysis_options);
            diagnostics.extend(done.diagnostics.iter().cloned());
            analysis = Some(done);
        }
    } else if depth == Depth::AnalyseDespiteErrors {
        let done = analyse(&model, &analysis_options);
        findings_despite_errors =
            done.findings.into_iter().filter(|finding| untouched(&model, finding, &errors)).collect();
    }
    sort_diagnostics(&mut diagnostics);
    Checked { file, model, diagnostics, analysis, findings_despite_errors }
}

/// Whether no error (sorted by start) lies in the declarations a finding rests on: its subject
/// (and a flow's ends), the assets at stake, and the flows and elements of its attack path.
fn untouched(model: &Model, finding: &Finding, errors: &[Span]) -> bool {
    // `errors` are sorted by start: the first at or after the span's start decides.
    let clean = |span: Span| {
        let first = errors.partition_point(|error| error.start < span.start);
        errors.get(first).is_none_or(|error| error.start > span.end)
    };
    let flow_clean = |flow: FlowId| {
        let flow = model.flow(flow);
        clean(flow.meta.span) && clean(model.element(flow.from).meta.span) && clean(model.element(flow.to).meta.span)
    };
    let subject_clean = match finding.subject {
        Subject::Flow(flow) | Subject::Response(flow) => flow_clean(flow),
        subject => clean(model.subject_meta(subject).span),
    };
    subject_clean
        && finding.assets.iter().all(|asset| clean(model.asset(*asset).meta.span))
        && finding.attack_path.iter().flat_map(|path| &path.hops).all(|hop| flow_clean(hop.flow))
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
            findings_despite_errors: Vec::new(),
        };
        return (source.text, checked);
    }
    let checked = run(&source.text, options, if full { Depth::Analyse } else { Depth::Lint }, false);
    (source.text, checked)
}
