//! Findings as marks on the text: for each finding, the span of its subject's id, its rank and
//! how loudly to show it, the message an editor underlines it with, the controls and decision
//! it points at, and the elements, flows and boundaries a diagram highlights for it (the
//! subject, a flow's endpoints, and its attack path). A model with errors keeps the marks of
//! the findings its errors leave untouched.

use medtm_engine::paths::Entry;
use medtm_engine::rule::stride_letters;
use medtm_engine::{Checked, Finding, Status};
use medtm_model::Model;
use medtm_model::model::{DecisionKind, ElementId, FlowId, Subject};
use medtm_model::vocab::{Harm, RiskLevel};
use medtm_syntax::Span;
use rayon::prelude::*;

use crate::diagnostics::{Level, Related};

/// One finding on the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// The finding's id, `rule-name@subject`.
    pub finding: String,
    pub rule_name: &'static str,
    pub rule_code: &'static str,
    pub rule_title: &'static str,
    /// The STRIDE letters it threatens, `/` between them (`T/D`).
    pub stride: String,
    /// The risk's level before the controls, and the residual risk's level, CVSS v3.1 base
    /// score and vector, and where the finding stands.
    pub inherent: RiskLevel,
    pub residual: RiskLevel,
    pub residual_cvss_v31: f64,
    pub residual_vector_v31: String,
    pub status: Status,
    /// The patient harm at stake; `None` for privacy-only findings.
    pub harm: Option<Harm>,
    /// The subject's id (`flow.response` for a response leg) and what it is (`component`,
    /// `flow`, `response` and the like).
    pub subject: String,
    pub subject_kind: &'static str,
    /// The subject's id where it is declared.
    pub span: Span,
    /// 1-based position in the ranking.
    pub rank: usize,
    /// How many findings it ranks among; `None` while the model has errors (ranks are not final).
    pub total: Option<usize>,
    /// A warning while its residual risk is unacceptable and nobody decided about it,
    /// information otherwise.
    pub level: Level,
    /// Whether it comes from a model with errors, whose other findings wait for the fixes.
    pub despite_errors: bool,
    pub message: String,
    /// The controls that apply, and the decision about it.
    pub related: Vec<Related>,
    /// Ids of the elements, flows and boundaries it touches, each sorted and without repeats.
    pub elements: Vec<String>,
    pub flows: Vec<String>,
    pub boundaries: Vec<String>,
}

/// The marks of every finding, in rank order. Each is worded on its own, so a large model's
/// thousands are spread over the cores (in sequence where there are no threads, as in the browser).
pub fn all(checked: &Checked) -> Vec<Mark> {
    let model = &checked.model;
    match &checked.analysis {
        Some(analysis) => {
            let total = Some(analysis.findings.len());
            analysis.findings.par_iter().map(|finding| mark(model, finding, total)).collect()
        }
        None => checked.findings_despite_errors.par_iter().map(|finding| mark(model, finding, None)).collect(),
    }
}

fn mark(model: &Model, finding: &Finding, total: Option<usize>) -> Mark {
    let undecided = matches!(finding.status, Status::Open | Status::PartiallyMitigated | Status::Mitigated);
    let level = if undecided && finding.residual.level == RiskLevel::Unacceptable {
        Level::Warning
    } else {
        Level::Information
    };
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
    let (elements, flows, boundaries) = touched(model, finding);
    Mark {
        finding: finding.id.clone(),
        rule_name: finding.rule.name,
        rule_code: finding.rule.code,
        rule_title: finding.rule.title,
        stride: stride_letters(finding.rule.stride),
        inherent: finding.inherent.level,
        residual: finding.residual.level,
        residual_cvss_v31: finding.residual.v31.score,
        residual_vector_v31: finding.residual.v31.vector.clone(),
        status: finding.status,
        harm: finding.harm,
        subject: model.subject_id(finding.subject).to_owned(),
        subject_kind: model.subject_kind(finding.subject),
        span: finding.subject_span,
        rank: finding.rank,
        total,
        level,
        despite_errors: total.is_none(),
        message,
        related: related(model, finding),
        elements,
        flows,
        boundaries,
    }
}

/// The controls that apply to a finding, and the decision about it.
fn related(model: &Model, finding: &Finding) -> Vec<Related> {
    let mut related = Vec::new();
    for applied in &finding.controls {
        if let Some(control) = model.controls.get(applied.control.index()) {
            related.push(Related {
                span: control.meta.id_span,
                message: format!("control `{}` ({}) applies", control.meta.id, applied.status),
            });
        }
    }
    if let Some(decision) = finding.decision.and_then(|index| model.decisions.get(index)) {
        let message = match decision.kind {
            DecisionKind::Accept => "accepted here".to_owned(),
            DecisionKind::Transfer { to } => format!("transferred to {to} here"),
        };
        related.push(Related { span: decision.span, message });
    }
    related
}

/// The ids of the elements, flows and boundaries a finding touches.
fn touched(model: &Model, finding: &Finding) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut elements = Vec::new();
    let mut flows = Vec::new();
    let mut boundaries = Vec::new();
    match finding.subject {
        Subject::Element(element) => elements.push(element),
        Subject::Flow(flow) | Subject::Response(flow) => {
            let data = model.flow(flow);
            flows.push(flow);
            elements.extend([data.from, data.to]);
        }
        Subject::Boundary(boundary) => boundaries.push(model.boundary(boundary).meta.id.clone()),
        Subject::Software(software) => elements.extend(model.elements.iter().enumerate().filter_map(|(index, e)| {
            let runs = e.as_component().is_some_and(|component| component.software.contains(&software));
            runs.then_some(ElementId(index as u32))
        })),
        Subject::Asset(asset) => {
            for (index, flow) in model.flows.iter().enumerate() {
                if flow.carries.contains(&asset) || flow.response.as_ref().is_some_and(|r| r.carries.contains(&asset)) {
                    flows.push(FlowId(index as u32));
                }
            }
            elements.extend(model.elements.iter().enumerate().filter_map(|(index, e)| {
                let holds = e.as_store().is_some_and(|store| store.holds.contains(&asset));
                holds.then_some(ElementId(index as u32))
            }));
        }
    }
    if let Some(path) = &finding.attack_path {
        if let Entry::Attacker { actor: element } | Entry::HostileNetwork { element } = path.entry {
            elements.push(element);
        }
        for hop in &path.hops {
            flows.push(hop.flow);
            elements.push(hop.to);
        }
    }
    let mut elements: Vec<String> = elements.into_iter().map(|id| model.element(id).meta.id.clone()).collect();
    let mut flows: Vec<String> = flows.into_iter().map(|id| model.flow(id).meta.id.clone()).collect();
    for ids in [&mut elements, &mut flows, &mut boundaries] {
        ids.sort();
        ids.dedup();
    }
    (elements, flows, boundaries)
}
