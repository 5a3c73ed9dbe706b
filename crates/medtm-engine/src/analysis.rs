//! The analysis: rules run over the model, each hit becomes a scored finding with its controls,
//! residual risk, decision, attack path and fleet reach, and the findings are ranked.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use jiff::civil::Date;
use medtm_model::Model;
use medtm_model::model::{AssetId, DecisionKind, ElementId, ElementKind, RiskMatrix, Subject};
use medtm_model::vocab::{Authn, ControlStatus, Harm, RiskLevel, Vocabulary as _};
use medtm_syntax::{Code, Diagnostic, Span};
use rayon::prelude::*;
use serde::Serialize;

use crate::context::RuleContext;
use crate::controls::{self, AppliedControl};
use crate::paths::{AttackPath, AttackPaths};
use crate::rule::{Hit, Rule, Stride};
use crate::scoring::{self, Assessment};

/// What the analysis needs besides the model.
#[derive(Debug, Clone, Copy, Default)]
pub struct AnalysisOptions {
    /// The date of the analysis (support dates are judged against it); `None` skips date checks.
    pub today: Option<Date>,
}

/// Where a finding stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// No implemented control answers it and nothing was decided.
    Open,
    /// Only partial controls answer it.
    PartiallyMitigated,
    /// An implemented control answers it.
    Mitigated,
    /// Accepted by an `accept` (with reason and owner).
    Accepted,
    /// Transferred by a `transfer` (to whom, with labeling).
    Transferred,
}

impl Status {
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::PartiallyMitigated => "partially mitigated",
            Status::Mitigated => "mitigated",
            Status::Accepted => "accepted",
            Status::Transferred => "transferred",
        }
    }
}

/// A threat found in the model, scored and decided.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Stable id: `rule-name@subject`.
    pub id: String,
    /// 1-based position in the ranking.
    pub rank: usize,
    pub rule: &'static Rule,
    pub subject: Subject,
    pub subject_id: String,
    /// Where the subject is declared.
    pub subject_span: Span,
    pub assets: Vec<AssetId>,
    /// The patient harm at stake; `None` for privacy-only findings.
    pub harm: Option<Harm>,
    pub explanation: String,
    pub inherent: Assessment,
    pub residual: Assessment,
    pub controls: Vec<AppliedControl>,
    pub status: Status,
    /// Index of the `accept` or `transfer` in `Model::decisions`.
    pub decision: Option<usize>,
    pub attack_path: Option<AttackPath>,
    /// How many devices one compromise reaches, when more than one (multi-patient harm).
    pub fleet_reach: Option<u64>,
}

/// A cell of the STRIDE coverage matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// The threat category does not apply to this kind of element.
    NotApplicable,
    /// Applicable, and no rule found anything.
    Clear,
    /// A finding is open (or only partially mitigated).
    Finding,
    /// Every finding is mitigated by an implemented control.
    Mitigated,
    /// Every finding is mitigated, accepted or transferred, and at least one was decided.
    Decided,
}

/// A row of the STRIDE coverage matrix: an element or a flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageRow {
    pub subject: Subject,
    pub subject_id: String,
    /// "actor", "component", "store" or "flow".
    pub kind: &'static str,
    /// One cell per STRIDE letter, in S, T, R, I, D, E order.
    pub cells: [Coverage; 6],
}

/// Everything the analysis found.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Findings in rank order.
    pub findings: Vec<Finding>,
    /// Controls that answer nothing and decisions that match nothing.
    pub diagnostics: Vec<Diagnostic>,
    /// The acceptance matrix used (the model's or the default).
    pub matrix: [[RiskLevel; 5]; 3],
    pub coverage: Vec<CoverageRow>,
    pub today: Option<Date>,
}

/// Analyses a checked model. Deterministic: the same model gives the same findings, scores,
/// ranking and explanations whatever the order of its declarations (tests/determinism.rs).
/// Rules choose among equal candidates by what matters (worst harm, most exposed flow) and then
/// by id, and list assets and elements in explanations by harm and id (see `RuleContext`).
pub fn analyse(model: &Model, options: &AnalysisOptions) -> Analysis {
    let cx = RuleContext::new(model, options.today);
    let matrix = model.risk_matrix.as_ref().map_or(RiskMatrix::DEFAULT_CELLS, |matrix| matrix.cells);
    let paths = AttackPaths::compute(&cx);
    // Scoring each hit is independent of the others, so it is spread over the cores (rayon runs
    // it in sequence where there are no threads, as in the browser); the ranking below fixes the
    // order whatever the threads did.
    let mut findings: Vec<Finding> = merged_hits(&cx)
        .into_par_iter()
        .map_init(scoring::ScoreCache::default, |cache, (rule, hit)| finding(&cx, &paths, &matrix, cache, rule, hit))
        .collect();
    rank(&mut findings);
    for (index, finding) in findings.iter_mut().enumerate() {
        finding.rank = index + 1;
    }
    let diagnostics = decision_diagnostics(model, findings.iter().map(|f| (f.controls.as_slice(), f.decision)));
    let coverage = coverage(model, &findings);
    Analysis { findings, diagnostics, matrix, coverage, today: options.today }
}

/// The analysis's warnings (dead controls, stale decisions) without scoring anything: what
/// `medtm check` needs, at the cost of running the rules.
pub fn lint(model: &Model, options: &AnalysisOptions) -> Vec<Diagnostic> {
    let cx = RuleContext::new(model, options.today);
    let matched: Vec<(Vec<AppliedControl>, Option<usize>)> = merged_hits(&cx)
        .into_iter()
        .map(|(rule, hit)| {
            (controls::applicable(model, rule, hit.subject, &hit.assets), decision_for(model, rule, hit.subject))
        })
        .collect();
    decision_diagnostics(model, matched.iter().map(|(controls, decision)| (controls.as_slice(), *decision)))
}

/// The `accept` or `transfer` of a rule on a subject, by index.
fn decision_for(model: &Model, rule: &Rule, subject: Subject) -> Option<usize> {
    model.decisions.iter().position(|decision| decision.rule.name == rule.name && decision.target == subject)
}

/// Dead controls and stale decisions, from what each finding's controls and decision are.
fn decision_diagnostics<'f>(
    model: &Model,
    findings: impl Iterator<Item = (&'f [AppliedControl], Option<usize>)>,
) -> Vec<Diagnostic> {
    let mut used_controls = vec![false; model.controls.len()];
    let mut used_decisions = vec![false; model.decisions.len()];
    for (controls, decision) in findings {
        for control in controls {
            used_controls[control.control.index()] = true;
        }
        if let Some(decision) = decision {
            used_decisions[decision] = true;
        }
    }
    let mut diagnostics = dead_controls(model, &used_controls);
    diagnostics.extend(stale_decisions(model, &used_decisions));
    diagnostics
}

/// Every rule's hits, one per (rule, subject): a `<->` flow or several conditions on the same
/// subject merge, keeping the first explanation and the union of the assets. The first is the
/// first the rule reports, so a rule that may report a subject twice does it in an order that
/// does not depend on the declarations (a `<->` flow forward before backward). The rules are
/// independent of one another, so they run over the cores (in sequence where there are no
/// threads, as in the browser).
fn merged_hits(cx: &RuleContext<'_>) -> Vec<(&'static Rule, Hit)> {
    let per_rule: Vec<Vec<(&'static Rule, Hit)>> =
        crate::rules::RULES.par_iter().map(|rule| rule_hits(cx, rule)).collect();
    per_rule.into_iter().flatten().collect()
}

/// One rule's hits, merged by subject.
fn rule_hits(cx: &RuleContext<'_>, rule: &'static Rule) -> Vec<(&'static Rule, Hit)> {
    let mut hits = crate::rule::Hits::default();
    (rule.check)(cx, &mut hits);
    let mut hits = hits.into_vec();
    // A stable sort keeps each subject's hits in the order the rule reported them.
    hits.sort_by_key(|hit| hit.subject);
    let mut merged: Vec<(&'static Rule, Hit)> = Vec::with_capacity(hits.len());
    for hit in hits {
        match merged.last_mut() {
            Some((_, existing)) if existing.subject == hit.subject => {
                for asset in hit.assets {
                    if !existing.assets.contains(&asset) {
                        existing.assets.push(asset);
                    }
                }
            }
            _ => merged.push((rule, hit)),
        }
    }
    merged
}

/// Sorts the findings into rank order ([`RankKey`]). A finding is a few hundred bytes, with its
/// scores behind pointers: the order is found by sorting compact keys, and each finding then
/// moves once, to its place.
fn rank(findings: &mut [Finding]) {
    let mut keys: Vec<(RankKey<'_>, usize)> = findings.iter().map(RankKey::of).zip(0..).collect();
    keys.par_sort_by(|(a, _), (b, _)| a.cmp(b));
    let order = keys.into_iter().map(|(_, index)| index).collect();
    apply_order(findings, order);
}

/// Rearranges `items` so that position `k` holds what was at `order[k]`, in place, by walking
/// each cycle of the permutation with swaps. (No crate in the workspace does this, and a sort of
/// the items themselves would move each one log n times.)
fn apply_order<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut current = start;
        loop {
            let source = order[current];
            // Marks the position as placed, so a later start on this cycle stops at once.
            order[current] = current;
            if source == start {
                break;
            }
            items.swap(current, source);
            current = source;
        }
    }
}

fn finding(
    cx: &RuleContext<'_>,
    paths: &AttackPaths,
    matrix: &[[RiskLevel; 5]; 3],
    cache: &mut scoring::ScoreCache,
    rule: &'static Rule,
    hit: Hit,
) -> Finding {
    let model = cx.model;
    let meta = model.subject_meta(hit.subject);
    let fleet_reach = fleet_reach(cx, rule, &hit);
    let propagates = fleet_reach.is_some() || commands_others(cx, hit.subject);
    let harm = scoring::patient_harm(model, rule, &hit.assets);
    let inherent_metrics = scoring::metrics(model, rule, &hit, propagates);
    let inherent = scoring::assess(inherent_metrics, harm, matrix, cache);
    let controls = controls::applicable(model, rule, hit.subject, &hit.assets);
    let residual = scoring::assess(controls::residual(inherent_metrics, &controls), harm, matrix, cache);
    let decision = decision_for(model, rule, hit.subject);
    let status = match decision.map(|index| &model.decisions[index].kind) {
        Some(DecisionKind::Accept) => Status::Accepted,
        Some(DecisionKind::Transfer { .. }) => Status::Transferred,
        None if controls.iter().any(|c| c.status == ControlStatus::Implemented) => Status::Mitigated,
        None if controls.iter().any(|c| c.status == ControlStatus::Partial) => Status::PartiallyMitigated,
        None => Status::Open,
    };
    let mut assets = hit.assets;
    assets.sort_unstable();
    Finding {
        id: format!("{}@{}", rule.name, meta.id),
        rank: 0,
        rule,
        subject: hit.subject,
        subject_id: meta.id.clone(),
        subject_span: meta.id_span,
        assets,
        harm,
        explanation: hit.explanation,
        inherent,
        residual,
        controls,
        status,
        decision,
        attack_path: paths.to_subject(cx, hit.subject),
        fleet_reach,
    }
}

/// What ranks a finding: residual level, then residual score, then harm, worst first; then the
/// id. The score is CVSS v3.1's first: v4.0 folds patient safety in, which the level already
/// carries, so v3.1 tells findings of one level apart by exploitability and technical impact;
/// v4.0 breaks its ties.
struct RankKey<'f> {
    level: RiskLevel,
    v31: f64,
    v40: f64,
    harm: Option<Harm>,
    id: &'f str,
}

impl<'f> RankKey<'f> {
    fn of(finding: &'f Finding) -> Self {
        let residual = &finding.residual;
        RankKey {
            level: residual.level,
            v31: residual.v31.score,
            v40: residual.v40.score,
            harm: finding.harm,
            id: &finding.id,
        }
    }

    fn cmp(&self, other: &Self) -> Ordering {
        other
            .level
            .cmp(&self.level)
            .then_with(|| other.v31.total_cmp(&self.v31))
            .then_with(|| other.v40.total_cmp(&self.v40))
            .then_with(|| other.harm.cmp(&self.harm))
            .then_with(|| self.id.cmp(other.id))
    }
}

/// Devices a component pushes commands, configuration or code to, when they are a fleet.
fn fleet_pushed_by(cx: &RuleContext<'_>, sender: ElementId) -> u64 {
    let mut fleets: Vec<ElementId> = cx.fleet_pushes(sender).into_iter().map(|(_, receiver)| receiver).collect();
    // A fleet reached by several flows counts once (sorted, not searched: a hub may push to
    // thousands of fleets).
    fleets.sort_unstable();
    fleets.dedup();
    fleets.iter().filter_map(|fleet| cx.component(*fleet)).map(|component| component.count.value).sum()
}

/// How many devices one compromise reaches, when more than one: the fleet a compromised
/// component pushes to; the fleet behind a flow that a single sender pushes, or that shares one
/// secret; a fleet-wide secret on a component.
fn fleet_reach(cx: &RuleContext<'_>, rule: &Rule, hit: &Hit) -> Option<u64> {
    let shared_secret = matches!(hit.exposure.authn, Some(Authn::SharedSecret | Authn::FleetKey));
    let reach = match hit.subject {
        Subject::Element(element) => {
            let pushed = fleet_pushed_by(cx, element);
            let own = cx.component(element).map_or(1, |component| component.count.value);
            if pushed > 1 {
                pushed
            } else if shared_secret && own > 1 {
                own
            } else {
                0
            }
        }
        Subject::Flow(flow) => {
            let flow = cx.model.flow(flow);
            let receivers = cx.component(flow.to).map_or(1, |component| component.count.value);
            let single_sender = cx.component(flow.from).is_some_and(|component| component.count.value == 1)
                && !cx.serves_one_patient(flow.from);
            if receivers > 1 && (shared_secret || single_sender) { receivers } else { 0 }
        }
        Subject::Software(software) => cx
            .software_users(software)
            .iter()
            .map(|user| fleet_pushed_by(cx, *user).max(cx.component(*user).map_or(1, |c| c.count.value)))
            .max()
            .unwrap_or(0),
        Subject::Boundary(_) | Subject::Asset(_) => 0,
    };
    let _ = rule;
    (reach > 1).then_some(reach)
}

/// Whether the subject sends commands, configuration or code on to other components, so that
/// the harm lands beyond the component attacked (cloud to pump, programmer to implant).
fn commands_others(cx: &RuleContext<'_>, subject: Subject) -> bool {
    let sender = match subject {
        Subject::Element(element) => element,
        Subject::Flow(flow) => cx.model.flow(flow).to,
        _ => return false,
    };
    cx.outgoing(sender).iter().any(|flow| {
        let flow_data = cx.model.flow(*flow);
        let receiver = if flow_data.from == sender { flow_data.to } else { flow_data.from };
        cx.component(receiver).is_some() && cx.carries_commands(flow_data)
    })
}

fn dead_controls(model: &Model, used: &[bool]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (control, used) in model.controls.iter().zip(used) {
        if *used {
            continue;
        }
        let (message, help) = if control.covers.is_empty() {
            (
                format!("control `{}` covers nothing", control.meta.id),
                "list what it protects in `covers: [...]`".to_owned(),
            )
        } else if control.mitigates.is_empty() {
            let category = control.category.value.map_or("no category".to_owned(), |c| format!("`{}`", c.as_str()));
            (
                format!("control `{}` answers no finding on what it covers", control.meta.id),
                format!(
                    "no rule of category {category} fires on its `covers`; name the rules it answers in `mitigates`, or cover the right subjects"
                ),
            )
        } else {
            let rules: Vec<String> = control.mitigates.iter().map(|rule| format!("`{}`", rule.name)).collect();
            (
                format!("control `{}` mitigates nothing on what it covers", control.meta.id),
                format!("{} does not fire on its `covers`; it may be stale after a model change", rules.join(", ")),
            )
        };
        diagnostics.push(
            Diagnostic::new(Code::DeadControl, control.meta.id_span, message)
                .with_label("lowers no risk")
                .with_help(help),
        );
    }
    diagnostics
}

fn stale_decisions(model: &Model, used: &[bool]) -> Vec<Diagnostic> {
    model
        .decisions
        .iter()
        .zip(used)
        .filter(|(_, used)| !**used)
        .map(|(decision, _)| {
            let target = model.subject_id(decision.target);
            Diagnostic::new(
                Code::StaleDecision,
                decision.rule.span,
                format!("`{}` does not fire on `{target}`, so this decision decides nothing", decision.rule.name),
            )
            .with_label("no such finding")
            .with_help("remove the decision if the risk is gone, or point it at the subject the rule fires on (see `medtm report`)")
        })
        .collect()
}

/// The STRIDE letters that apply to each kind of data-flow element (STRIDE per element).
fn applicable(kind: &str) -> [bool; 6] {
    match kind {
        "actor" => [true, false, true, false, false, false],
        "store" => [false, true, true, true, true, false],
        "flow" => [false, true, false, true, true, false],
        _ => [true; 6],
    }
}

fn coverage(model: &Model, findings: &[Finding]) -> Vec<CoverageRow> {
    let mut rows: Vec<CoverageRow> = model
        .elements
        .iter()
        .enumerate()
        .map(|(index, element)| {
            let kind = match element.kind {
                ElementKind::Actor(_) => "actor",
                ElementKind::Component(_) => "component",
                ElementKind::Store(_) => "store",
            };
            (Subject::Element(ElementId(index as u32)), element.meta.id.clone(), kind)
        })
        .chain(model.flows.iter().enumerate().map(|(index, flow)| {
            (Subject::Flow(medtm_model::model::FlowId(index as u32)), flow.meta.id.clone(), "flow")
        }))
        .map(|(subject, subject_id, kind)| {
            let applies = applicable(kind);
            let cells =
                std::array::from_fn(|letter| if applies[letter] { Coverage::Clear } else { Coverage::NotApplicable });
            CoverageRow { subject, subject_id, kind, cells }
        })
        .collect();
    let row_of: BTreeMap<Subject, usize> = rows.iter().enumerate().map(|(index, row)| (row.subject, index)).collect();
    for finding in findings {
        // A finding on software shows on every component that runs it.
        let subjects: Vec<Subject> = match finding.subject {
            Subject::Software(software) => model
                .elements
                .iter()
                .enumerate()
                .filter(|(_, element)| element.as_component().is_some_and(|c| c.software.contains(&software)))
                .map(|(index, _)| Subject::Element(ElementId(index as u32)))
                .collect(),
            subject => vec![subject],
        };
        let state = match finding.status {
            Status::Open | Status::PartiallyMitigated => Coverage::Finding,
            Status::Mitigated => Coverage::Mitigated,
            Status::Accepted | Status::Transferred => Coverage::Decided,
        };
        for subject in subjects {
            let Some(&row) = row_of.get(&subject) else { continue };
            for letter in finding.rule.stride {
                let cell = &mut rows[row].cells[Stride::ALL.iter().position(|s| s == letter).unwrap_or(0)];
                *cell = worse(*cell, state);
            }
        }
    }
    rows
}

/// Combines two states of a cell: an open finding outweighs a decision, which outweighs a
/// mitigation.
fn worse(current: Coverage, new: Coverage) -> Coverage {
    let weight = |cell: Coverage| match cell {
        Coverage::NotApplicable | Coverage::Clear => 0,
        Coverage::Mitigated => 1,
        Coverage::Decided => 2,
        Coverage::Finding => 3,
    };
    if weight(new) > weight(current) { new } else { current }
}

#[cfg(test)]
mod tests {
    use super::apply_order;

    #[test]
    fn apply_order_places_each_item_where_the_order_says() {
        // Every permutation of five items: cycles of every length, fixed points and the identity.
        let items = ['a', 'b', 'c', 'd', 'e'];
        let mut order: Vec<usize> = (0..items.len()).collect();
        let mut seen = 0;
        permutations(&mut order, 0, &mut |order| {
            let mut moved = items;
            apply_order(&mut moved, order.to_vec());
            let expected: Vec<char> = order.iter().map(|&index| items[index]).collect();
            assert_eq!(moved.to_vec(), expected, "order {order:?}");
            seen += 1;
        });
        assert_eq!(seen, 120);
    }

    fn permutations(order: &mut [usize], from: usize, visit: &mut dyn FnMut(&[usize])) {
        if from == order.len() {
            visit(order);
            return;
        }
        for index in from..order.len() {
            order.swap(from, index);
            permutations(order, from + 1, visit);
            order.swap(from, index);
        }
    }
}
