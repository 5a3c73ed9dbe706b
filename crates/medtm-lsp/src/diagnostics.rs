//! What the editor underlines: every diagnostic of the checker and the analysis (source
//! `medtm check`, code `E0303` and the like), then every finding on its subject (source `medtm`,
//! code the rule's name), so the ranked risks are visible while the model is written.

use lsp_types::{
    Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
};
use medtm_engine::{Finding, Status};
use medtm_model::model::DecisionKind;
use medtm_model::vocab::RiskLevel;
use medtm_syntax::{Diagnostic, Severity};

use crate::document::Analysed;

/// The source of the checker's and the analysis's diagnostics.
pub const CHECK_SOURCE: &str = "medtm check";
/// The source of findings.
pub const FINDING_SOURCE: &str = "medtm";

/// Everything to publish for one version of a document: diagnostics in source order, then
/// findings in rank order.
pub fn all(analysed: &Analysed) -> Vec<LspDiagnostic> {
    let mut out: Vec<LspDiagnostic> = analysed.checked.diagnostics.iter().map(|d| diagnostic(analysed, d)).collect();
    if let Some(analysis) = &analysed.checked.analysis {
        out.extend(analysis.findings.iter().map(|f| finding(analysed, f, Some(analysis.findings.len()))));
    } else {
        // The model has errors: the findings on what they leave untouched keep showing.
        let findings = &analysed.checked.findings_despite_errors;
        out.extend(findings.iter().map(|f| finding(analysed, f, None)));
    }
    out
}

/// One checker or analysis diagnostic: its message, label and help as the command line shows
/// them, and its related places.
pub fn diagnostic(analysed: &Analysed, diagnostic: &Diagnostic) -> LspDiagnostic {
    let mut message = diagnostic.message.clone();
    // The label restates the message at the span as often as not; it is kept when it adds to it.
    if !diagnostic.label.is_empty() && !message.contains(&diagnostic.label) {
        message = format!("{message}\n{}", diagnostic.label);
    }
    if let Some(help) = &diagnostic.help {
        message = format!("{message}\nhelp: {help}");
    }
    let related = diagnostic
        .related
        .iter()
        .map(|related| DiagnosticRelatedInformation {
            location: Location::new(analysed.uri.clone(), analysed.range(related.span)),
            message: related.message.clone(),
        })
        .collect::<Vec<_>>();
    LspDiagnostic {
        range: analysed.range(diagnostic.span),
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diagnostic.code.as_str().to_owned())),
        source: Some(CHECK_SOURCE.to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..LspDiagnostic::default()
    }
}

/// A finding on its subject's id: a warning while its residual risk is unacceptable and nobody
/// decided about it, information otherwise. Related places: the controls that apply and the
/// decision. `total`: how many findings it ranks among; `None` for a model with errors, whose
/// ranks are not final (it says so).
fn finding(analysed: &Analysed, finding: &Finding, total: Option<usize>) -> LspDiagnostic {
    let model = &analysed.checked.model;
    let undecided = matches!(finding.status, Status::Open | Status::PartiallyMitigated | Status::Mitigated);
    let severity = if undecided && finding.residual.level == RiskLevel::Unacceptable {
        DiagnosticSeverity::WARNING
    } else {
        DiagnosticSeverity::INFORMATION
    };
    // A model with errors is analysed as far as it lowered: its ranks are not final.
    let rank = match total {
        Some(total) => format!("rank {} of {total}", finding.rank),
        None => format!("rank {} so far: the model has errors", finding.rank),
    };
    let message = format!(
        "{}: {}.\nResidual risk: {}, {} ({rank}, CVSS 4.0 {:.1}).",
        finding.rule.title,
        finding.explanation,
        finding.residual.level,
        finding.status.as_str(),
        finding.residual.v40.score,
    );
    let mut related = Vec::new();
    for applied in &finding.controls {
        if let Some(control) = model.controls.get(applied.control.index()) {
            related.push(DiagnosticRelatedInformation {
                location: Location::new(analysed.uri.clone(), analysed.range(control.meta.id_span)),
                message: format!("control `{}` ({}) applies", control.meta.id, applied.status),
            });
        }
    }
    if let Some(decision) = finding.decision.and_then(|index| model.decisions.get(index)) {
        let what = match decision.kind {
            DecisionKind::Accept => "accepted here".to_owned(),
            DecisionKind::Transfer { to } => format!("transferred to {to} here"),
        };
        related.push(DiagnosticRelatedInformation {
            location: Location::new(analysed.uri.clone(), analysed.range(decision.span)),
            message: what,
        });
    }
    LspDiagnostic {
        range: analysed.range(finding.subject_span),
        severity: Some(severity),
        code: Some(NumberOrString::String(finding.rule.name.to_owned())),
        source: Some(FINDING_SOURCE.to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        data: Some(serde_json::json!({ "finding": finding.id, "rule": finding.rule.code, "rank": finding.rank })),
        ..LspDiagnostic::default()
    }
}
