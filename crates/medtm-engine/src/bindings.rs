//! Controls that lower no risk and decisions that decide nothing, with the reason, so that the
//! report shows them where they are declared instead of letting them pass in silence. The
//! editor and `medtm check` get the same as warnings (W0405, W0406), with a quick fix where one
//! rule or one leg is the evident intent.

use medtm_model::Model;
use medtm_model::model::{ControlId, DecisionKind, Subject};
use medtm_syntax::{Code, Diagnostic};
use serde::Serialize;

use crate::controls::{AppliedControl, UnappliedControl};
use crate::rule::Rule;

/// A control that applies to no finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadControl {
    pub control: ControlId,
    /// Why it applies nowhere, in words.
    pub reason: String,
}

/// An `accept` or `transfer` that decides no finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnboundDecision {
    /// Index into `Model::decisions`.
    pub decision: usize,
    /// Why it decides nothing, in words.
    pub reason: String,
    /// The rules that do fire on the decision's subject, the decision's own family first.
    pub fires_instead: Vec<&'static str>,
    /// The other leg of the same flow, where the decision's rule does fire.
    pub leg_instead: Option<Subject>,
}

/// What binds to nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Bindings {
    pub dead_controls: Vec<DeadControl>,
    pub unbound_decisions: Vec<UnboundDecision>,
}

/// What binding saw of one finding.
#[derive(Debug, Clone, Copy)]
pub struct Bound<'f> {
    pub rule: &'static Rule,
    pub subject: Subject,
    /// The finding's id, for reasons.
    pub id: &'f str,
    pub applied: &'f [AppliedControl],
    /// Every control that covers the finding without applying (before the report's bound).
    pub unapplied: &'f [UnappliedControl],
    pub decision: Option<usize>,
}

/// The dead controls and unbound decisions of a model, from every finding's bindings (in rank
/// order, so that a reason quotes the most important finding a control missed).
pub fn bindings<'f>(model: &Model, findings: impl Iterator<Item = Bound<'f>>) -> Bindings {
    let mut applied = vec![false; model.controls.len()];
    let mut first_miss: Vec<Option<(String, usize)>> = vec![None; model.controls.len()];
    let mut decided = vec![false; model.decisions.len()];
    let mut on_subject: Vec<(Subject, &'static Rule)> = Vec::new();
    for finding in findings {
        for control in finding.applied {
            applied[control.control.index()] = true;
        }
        for control in finding.unapplied {
            let miss = &mut first_miss[control.control.index()];
            match miss {
                Some((_, count)) => *count += 1,
                None => {
                    *miss = Some((
                        format!("on `{}`, it {}", finding.id, control.reason(model, finding.rule, finding.subject)),
                        1,
                    ));
                }
            }
        }
        if let Some(decision) = finding.decision {
            decided[decision] = true;
        }
        on_subject.push((finding.subject, finding.rule));
    }
    on_subject.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(b.1.name)));
    let dead_controls = model
        .controls
        .iter()
        .enumerate()
        .filter(|(index, _)| !applied[*index])
        .map(|(index, control)| {
            let reason = match &first_miss[index] {
                _ if control.covers.is_empty() => "it covers nothing".to_owned(),
                Some((miss, 1)) => format!("it covers one finding but does not answer it: {miss}"),
                Some((miss, count)) => format!("it covers {count} findings but answers none: {miss}"),
                None if control.mitigates.is_empty() => {
                    "no finding is on what it covers: it may be stale after a model change".to_owned()
                }
                None => {
                    let rules: Vec<String> = control.mitigates.iter().map(|rule| format!("`{}`", rule.name)).collect();
                    format!("{} fires on nothing it covers: it may be stale after a model change", rules.join(", "))
                }
            };
            DeadControl { control: ControlId(index as u32), reason }
        })
        .collect();
    let unbound_decisions = model
        .decisions
        .iter()
        .enumerate()
        .filter(|(index, _)| !decided[*index])
        .map(|(index, decision)| {
            let target = model.subject_id(decision.target);
            let fires = |subject: Subject| {
                let start = on_subject.partition_point(|(s, _)| *s < subject);
                on_subject[start..].iter().take_while(move |(s, _)| *s == subject).map(|(_, rule)| *rule)
            };
            let other_leg = match decision.target {
                Subject::Flow(flow) if model.flow(flow).response.is_some() => Some(Subject::Response(flow)),
                Subject::Response(flow) => Some(Subject::Flow(flow)),
                _ => None,
            };
            let leg_instead = other_leg.filter(|leg| fires(*leg).any(|rule| rule.name == decision.rule.name));
            let family = crate::rule(&decision.rule.name).map(|rule| rule.family);
            let mut instead: Vec<&'static Rule> = fires(decision.target).collect();
            instead.dedup_by_key(|rule| rule.name);
            // The decision's own family first (most likely what was meant), then by name.
            instead.sort_by_key(|rule| (Some(rule.family) != family, rule.name));
            let fires_instead: Vec<&'static str> = instead.iter().map(|rule| rule.name).collect();
            let rule = &decision.rule.name;
            let reason = match (leg_instead, fires_instead.as_slice()) {
                (Some(leg), _) => {
                    format!(
                        "`{rule}` fires on `{}`, the other leg of the flow, not on `{target}`",
                        model.subject_id(leg)
                    )
                }
                (None, []) => format!("`{rule}` does not fire on `{target}`, and no other rule does"),
                (None, [one]) => format!("`{rule}` does not fire on `{target}`; `{one}` does"),
                (None, many) => format!(
                    "`{rule}` does not fire on `{target}`; {} do",
                    crate::context::join_and(&many.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>())
                ),
            };
            UnboundDecision { decision: index, reason, fires_instead, leg_instead }
        })
        .collect();
    Bindings { dead_controls, unbound_decisions }
}

impl Bindings {
    /// The warnings `medtm check` and the editor show, located at the control or decision.
    pub fn diagnostics(&self, model: &Model) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        for dead in &self.dead_controls {
            let control = &model.controls[dead.control.index()];
            let help = if control.covers.is_empty() {
                "list what it protects in `covers: [...]`".to_owned()
            } else {
                "cover the subject it protects, give it the category that answers the threat, or name the rules it answers in `mitigates` (see the binding table in the README)".to_owned()
            };
            diagnostics.push(
                Diagnostic::new(
                    Code::DeadControl,
                    control.meta.id_span,
                    format!("control `{}` lowers no risk: {}", control.meta.id, dead.reason),
                )
                .with_label("lowers no risk")
                .with_help(help),
            );
        }
        for unbound in &self.unbound_decisions {
            let decision = &model.decisions[unbound.decision];
            let keyword = match decision.kind {
                DecisionKind::Accept => "accept",
                DecisionKind::Transfer { .. } => "transfer",
            };
            let mut diagnostic = Diagnostic::new(
                Code::StaleDecision,
                decision.rule.span,
                format!("this `{keyword}` decides nothing: {}", unbound.reason),
            )
            .with_label("no such finding");
            diagnostic = match (unbound.leg_instead, unbound.fires_instead.first()) {
                (Some(leg), _) => {
                    let leg = model.subject_id(leg).to_owned();
                    diagnostic
                        .with_help(format!("point it at `{leg}`"))
                        .with_fix(format!("Change to `{leg}`"), decision.target_span, leg)
                }
                (None, Some(rule)) => diagnostic
                    .with_help(format!("decide about `{rule}`, which is what fires on `{}`", model.subject_id(decision.target)))
                    .with_fix(format!("Change to `{rule}`"), decision.rule.span, *rule),
                (None, None) => diagnostic.with_help(
                    "remove the decision if the risk is gone, or point it at the subject the rule fires on (see `medtm report`)",
                ),
            };
            diagnostics.push(diagnostic);
        }
        diagnostics
    }
}
