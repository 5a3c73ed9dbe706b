//! What the editor underlines, as LSP diagnostics: every diagnostic of the checker and the
//! analysis (source `medtm check`, code `E0303` and the like), then every finding on its
//! subject (source `medtm`, code the rule's name), as `medtm-ide` describes them.

use lsp_types::{
    Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
};
use medtm_ide::{Diagnostic, Level, Mark, Related};

use rayon::prelude::*;

use crate::document::Analysed;

/// The source of the checker's and the analysis's diagnostics.
pub const CHECK_SOURCE: &str = "medtm check";
/// The source of findings.
pub const FINDING_SOURCE: &str = "medtm";

/// Everything to publish for one version of a document, as the JSON array of a
/// `publishDiagnostics`: diagnostics in source order, then findings in rank order. A large
/// model has thousands of findings: each is converted on its own, spread over the cores.
pub fn all(analysed: &Analysed) -> serde_json::Value {
    let analysis = &analysed.analysis;
    let json = |diagnostic: LspDiagnostic| serde_json::to_value(diagnostic).unwrap_or_default();
    let mut out: Vec<serde_json::Value> =
        analysis.diagnostics().par_iter().map(|d| json(diagnostic(analysed, d))).collect();
    out.par_extend(analysis.marks().par_iter().map(|mark| json(finding(analysed, mark))));
    serde_json::Value::Array(out)
}

pub fn diagnostic(analysed: &Analysed, diagnostic: &Diagnostic) -> LspDiagnostic {
    LspDiagnostic {
        range: analysed.range(diagnostic.span),
        severity: Some(severity(diagnostic.level)),
        code: Some(NumberOrString::String(diagnostic.code.to_owned())),
        source: Some(CHECK_SOURCE.to_owned()),
        message: diagnostic.message.clone(),
        related_information: related(analysed, &diagnostic.related),
        ..LspDiagnostic::default()
    }
}

fn finding(analysed: &Analysed, mark: &Mark) -> LspDiagnostic {
    LspDiagnostic {
        range: analysed.range(mark.span),
        severity: Some(severity(mark.level)),
        code: Some(NumberOrString::String(mark.rule_name.to_owned())),
        source: Some(FINDING_SOURCE.to_owned()),
        message: mark.message.clone(),
        related_information: related(analysed, &mark.related),
        data: Some(serde_json::json!({ "finding": mark.finding, "rule": mark.rule_code, "rank": mark.rank })),
        ..LspDiagnostic::default()
    }
}

fn severity(level: Level) -> DiagnosticSeverity {
    match level {
        Level::Error => DiagnosticSeverity::ERROR,
        Level::Warning => DiagnosticSeverity::WARNING,
        Level::Information => DiagnosticSeverity::INFORMATION,
    }
}

fn related(analysed: &Analysed, related: &[Related]) -> Option<Vec<DiagnosticRelatedInformation>> {
    let related: Vec<_> = related
        .iter()
        .map(|related| DiagnosticRelatedInformation {
            location: Location::new(analysed.uri.clone(), analysed.range(related.span)),
            message: related.message.clone(),
        })
        .collect();
    (!related.is_empty()).then_some(related)
}
