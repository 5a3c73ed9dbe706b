//! The analysis: rules run over the model, each hit becomes a scored finding with its controls,
//! residual risk, decision, attack path and fleet reach, and the findings are ranked.

use std::collections::BTreeMap;

use jiff::civil::Date;
use medtm_model::Model;
use medtm_model::model::{AssetId, DecisionKind, ElementId, ElementKind, RiskMatrix, Subject};
use medtm_model::vocab::{AssetKind, Authn, ControlStatus, Exploitability, Harm, RiskLevel, Vocabulary as _};
use medtm_syntax::{Diagnostic, Span};
use rayon::prelude::*;
use serde::Serialize;

use crate::bindings::{Bindings, Bound, bindings};
use crate::context::{FleetPush, RuleContext};
use crate::controls::{self, AppliedControl, ControlIndex, UnappliedControl};
use crate::paths::{AttackPath, AttackPaths};
use crate::risks::{self, Risk};
use crate::rule::{Fact, Hit, Rule, Stride};
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
    /// Stable id: `rule-name@subject` (`rule-name@flow.response` on a response leg).
    pub id: String,
    /// 1-based position in the ranking: findings are ranked as facets of their risks.
    pub rank: usize,
    /// Index of its risk in `Analysis::risks`.
    pub risk: usize,
    pub rule: &'static Rule,
    /// Its id is `Model::subject_id(subject)`.
    pub subject: Subject,
    /// Where the subject is declared.
    pub subject_span: Span,
    pub assets: Vec<AssetId>,
    /// The patient harm at stake; `None` for privacy-only findings.
    pub harm: Option<Harm>,
    /// The patient harm left once the controls apply: lower when they take the impact through
    /// which the harm comes (integrity, availability) down to Low or None.
    pub residual_harm: Option<Harm>,
    pub explanation: String,
    pub inherent: Assessment,
    pub residual: Assessment,
    /// The controls that answer it, with why.
    pub controls: Vec<AppliedControl>,
    /// The controls that cover its subject and do not answer it, with why not.
    pub unapplied: Vec<UnappliedControl>,
    pub status: Status,
    /// Index of the `accept` or `transfer` in `Model::decisions`.
    pub decision: Option<usize>,
    pub attack_path: Option<AttackPath>,
    /// How many devices one compromise reaches, when more than one (multi-patient harm).
    pub fleet_reach: Option<u64>,
    /// The values it rests on that the model did not state (defaults and `unknown`s): it ranks
    /// after findings of its level that rest on stated facts only.
    pub assumed: Vec<Fact>,
}

impl Finding {
    /// For a finding that controls answer (mitigated or partially) while a threat is still
    /// unanswered or its residual is still at review or above: what is still missing, in words.
    /// Worded when a report asks, not held by every finding.
    pub fn still_missing(&self, matrix: &[[RiskLevel; 5]; 3]) -> Option<String> {
        match self.status {
            Status::Mitigated | Status::PartiallyMitigated => {
                still_missing(&self.residual, self.harm, matrix, &controls::unanswered(self.rule, &self.controls))
            }
            _ => None,
        }
    }
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
    /// Findings in rank order: each risk's facets together, root cause first.
    pub findings: Vec<Finding>,
    /// The ranked risks: one per root cause and subject, each a range of `findings`.
    pub risks: Vec<Risk>,
    /// Controls that lower no risk and decisions that decide nothing, with the reasons.
    pub bindings: Bindings,
    /// The same as warnings, located at the control or decision.
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
    let index = ControlIndex::new(&cx);
    // Scoring each hit is independent of the others, so it is spread over the cores (rayon runs
    // it in sequence where there are no threads, as in the browser); the ranking below fixes the
    // order whatever the threads did.
    let mut findings: Vec<Finding> = merged_hits(&cx)
        .into_par_iter()
        .map_init(scoring::ScoreCache::default, |cache, (rule, hit)| {
            finding(&cx, &paths, &index, &matrix, cache, rule, hit)
        })
        .collect();
    let risks = risks::rank(&cx, &mut findings);
    let bindings = bindings(
        model,
        findings.iter().map(|finding| Bound {
            rule: finding.rule,
            subject: finding.subject,
            id: &finding.id,
            applied: &finding.controls,
            unapplied: &finding.unapplied,
            decision: finding.decision,
        }),
    );
    let diagnostics = bindings.diagnostics(model);
    let coverage = coverage(model, &findings);
    Analysis { findings, risks, bindings, diagnostics, matrix, coverage, today: options.today }
}

/// The analysis's warnings (dead controls, stale decisions) without scoring anything: what
/// `medtm check` needs, at the cost of running the rules.
pub fn lint(model: &Model, options: &AnalysisOptions) -> Vec<Diagnostic> {
    let cx = RuleContext::new(model, options.today);
    let index = ControlIndex::new(&cx);
    /// A hit bound to its controls and decision, owning what `Bound` borrows.
    struct Owned {
        rule: &'static Rule,
        subject: Subject,
        id: String,
        applied: Vec<AppliedControl>,
        unapplied: Vec<UnappliedControl>,
        decision: Option<usize>,
    }
    let owned: Vec<Owned> = merged_hits(&cx)
        .into_iter()
        .map(|(rule, hit)| {
            let (applied, unapplied) = index.bind(&cx, rule, hit.subject, &hit.assets, &hit.exposure);
            let id = format!("{}@{}", rule.name, model.subject_id(hit.subject));
            Owned {
                rule,
                subject: hit.subject,
                id,
                applied,
                unapplied,
                decision: decision_for(model, rule, hit.subject),
            }
        })
        .collect();
    bindings(
        model,
        owned.iter().map(|hit| Bound {
            rule: hit.rule,
            subject: hit.subject,
            id: &hit.id,
            applied: &hit.applied,
            unapplied: &hit.unapplied,
            decision: hit.decision,
        }),
    )
    .diagnostics(model)
}

/// The `accept` or `transfer` of a rule on a subject, by index.
fn decision_for(model: &Model, rule: &Rule, subject: Subject) -> Option<usize> {
    model.decisions.iter().position(|decision| decision.rule.name == rule.name && decision.target == subject)
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

fn finding(
    cx: &RuleContext<'_>,
    paths: &AttackPaths,
    index: &ControlIndex,
    matrix: &[[RiskLevel; 5]; 3],
    cache: &mut scoring::ScoreCache,
    rule: &'static Rule,
    mut hit: Hit,
) -> Finding {
    let model = cx.model;
    let meta = model.subject_meta(hit.subject);
    let fleet_reach = fleet_reach(cx, &hit);
    // How far one compromise reaches is the multi-patient flag and the harm axis; scope changes
    // only where the impact lands on other components.
    let crosses = commands_others(cx, rule, hit.subject);
    let harm = scoring::patient_harm(cx, rule, &hit.assets);
    let inherent_metrics = scoring::metrics(cx, rule, &hit, crosses);
    let inherent = scoring::assess(inherent_metrics, rule.template.unproven_flaw, harm, matrix, cache);
    let (controls, unapplied) = index.bind(cx, rule, hit.subject, &hit.assets, &hit.exposure);
    let residual_metrics = controls::residual(model, inherent_metrics, &controls);
    let residual_harm = scoring::residual_harm(harm, &residual_metrics);
    let residual = scoring::assess(residual_metrics, rule.template.unproven_flaw, residual_harm, matrix, cache);
    let decision = decision_for(model, rule, hit.subject);
    // Mitigated when the implemented controls answer every threat of the rule together;
    // partially when a control applies but leaves a threat unanswered or is only partial.
    let unanswered = controls::unanswered(rule, &controls);
    let applies = controls.iter().any(|c| c.status != ControlStatus::Planned);
    let status = match decision.map(|index| &model.decisions[index].kind) {
        Some(DecisionKind::Accept) => Status::Accepted,
        Some(DecisionKind::Transfer { .. }) => Status::Transferred,
        None if applies && unanswered.is_empty() => Status::Mitigated,
        None if applies => Status::PartiallyMitigated,
        None => Status::Open,
    };
    let assumed = assumed_facts(cx, &mut hit);
    let mut assets = hit.assets;
    assets.sort_unstable();
    Finding {
        id: format!("{}@{}", rule.name, meta.id),
        rank: 0,
        risk: 0,
        rule,
        subject: hit.subject,
        subject_span: meta.id_span,
        assets,
        harm,
        residual_harm,
        explanation: hit.explanation,
        inherent,
        residual,
        controls,
        unapplied,
        status,
        decision,
        attack_path: paths.to_subject(cx, hit.subject),
        fleet_reach,
        assumed,
    }
}

/// What a finding rests on that the model did not state: its rule's facts, the medium and
/// authentication of the leg that sets its vector, an unstated response, and the kind, harm
/// and patients of its assets. In a stable order (owner, then attribute).
fn assumed_facts(cx: &RuleContext<'_>, hit: &mut Hit) -> Vec<Fact> {
    let mut facts = std::mem::take(&mut hit.facts);
    let mut add = |fact: Option<Fact>| {
        if let Some(fact) = fact
            && !facts.contains(&fact)
        {
            facts.push(fact);
        }
    };
    if let Some(leg) = hit.exposure.most_exposed.map(|edge| cx.leg(edge)) {
        add(leg.fact("medium", &leg.flow.media));
        if hit.exposure.authn.is_some() {
            add(leg.authn_fact());
        }
    }
    if let Subject::Response(flow) = hit.subject
        && cx.model.flow(flow).response.as_ref().is_some_and(|response| !response.stated)
    {
        add(Some(Fact {
            owner: Subject::Flow(flow),
            attribute: "returns",
            value: "the request's assets and protections".into(),
            unknown: false,
        }));
    }
    for asset_id in &hit.assets {
        let asset = cx.asset(*asset_id);
        let owner = Subject::Asset(*asset_id);
        add(Fact::of(owner, "kind", &asset.kinds));
        let safety = crate::context::SAFETY_KINDS.iter().any(|kind| asset.has_kind(*kind));
        if safety {
            add(Fact::of(owner, "harm", &asset.harm));
        }
        let personal = asset.has_kind(AssetKind::Phi) || asset.has_kind(AssetKind::Pii);
        if personal {
            add(Fact::of(owner, "patients", &asset.patients));
        }
    }
    facts.sort_by(|a, b| {
        cx.model.subject_id(a.owner).cmp(cx.model.subject_id(b.owner)).then(a.attribute.cmp(b.attribute))
    });
    facts
}

/// What a finding that controls answer still lacks: the threats no implemented control
/// answers, and, while its residual level is review or above, the exploitability band that
/// would make it acceptable, or that none would.
fn still_missing(
    residual: &Assessment,
    harm: Option<Harm>,
    matrix: &[[RiskLevel; 5]; 3],
    unanswered: &[Stride],
) -> Option<String> {
    let threats = (!unanswered.is_empty()).then(|| {
        let names: Vec<String> = unanswered.iter().map(|letter| controls::letter_name(*letter).to_owned()).collect();
        format!("no implemented control answers its {}", crate::context::join_and(&names))
    });
    if residual.level < RiskLevel::Review {
        return threats;
    }
    let level = level_gap(residual, harm, matrix);
    Some(match threats {
        Some(threats) => format!("{threats}; {level}"),
        None => level,
    })
}

/// Why a residual at review or above is not acceptable, and what would make it so.
fn level_gap(residual: &Assessment, harm: Option<Harm>, matrix: &[[RiskLevel; 5]; 3]) -> String {
    let Some(harm) = harm else {
        return format!(
            "its residual CVSS v4.0 score is {:.1}, and a risk without patient harm is acceptable below 7.0: lower the impact or the exploitability further, or accept it",
            residual.v40.score
        );
    };
    let bands = [Exploitability::High, Exploitability::Medium, Exploitability::Low];
    let acceptable = bands.iter().copied().find(|band| RiskMatrix::level(matrix, *band, harm) == RiskLevel::Acceptable);
    let now = residual.exploitability.as_str();
    match acceptable {
        None => format!(
            "at {} harm the risk matrix accepts no exploitability, so it stays at {}: reduce the harm by design or accept the risk with its benefit",
            harm.as_str(),
            residual.level.as_str()
        ),
        Some(band) => format!(
            "the residual exploitability is {now}; {} harm is acceptable from {} exploitability down, which needs {}",
            harm.as_str(),
            band.as_str(),
            match band {
                Exploitability::Low => "physical access, strong credentials or several conditions at once",
                Exploitability::Medium => "nearness, some privileges or a user's action",
                Exploitability::High => "nothing more",
            }
        ),
    }
}

/// Devices a component pushes commands, configuration or code to, when they are a fleet.
fn fleet_pushed_by(cx: &RuleContext<'_>, sender: ElementId) -> u64 {
    crate::context::units_per_fleet(cx.fleet_pushes(sender).iter().map(FleetPush::reach))
        .iter()
        .map(|(_, units)| units)
        .sum()
}

/// How many devices one compromise reaches, when more than one: the fleet a compromised
/// component pushes to; the fleet behind a flow that a single sender pushes, or that shares one
/// secret; a fleet-wide secret on a component.
fn fleet_reach(cx: &RuleContext<'_>, hit: &Hit) -> Option<u64> {
    let shared_secret = matches!(hit.exposure.authn, Some(Authn::SharedSecret | Authn::FleetKey));
    let reach = match hit.subject {
        Subject::Element(element) => {
            let pushed = fleet_pushed_by(cx, element);
            let own = cx.model.units(element);
            if pushed > 1 {
                pushed
            } else if shared_secret && own > 1 {
                own
            } else {
                0
            }
        }
        Subject::Flow(_) | Subject::Response(_) => {
            let leg = cx.subject_leg(hit.subject).expect("a flow subject has a leg");
            let receivers = leg.fan_out(cx.model);
            let single_sender = cx.component(leg.from).is_some_and(|component| component.count.value == 1)
                && !cx.serves_one_patient(leg.from);
            if receivers > 1 && (shared_secret || single_sender) { receivers } else { 0 }
        }
        Subject::Software(software) => cx
            .software_users(software)
            .iter()
            .map(|user| fleet_pushed_by(cx, *user).max(cx.model.units(*user)))
            .max()
            .unwrap_or(0),
        Subject::Boundary(_) | Subject::Asset(_) => 0,
    };
    (reach > 1).then_some(reach)
}

/// Whether the harm of a finding lands beyond its subject (scope changes): the subject is a
/// component that sends commands, configuration or code on to other components (a gateway that
/// programs pumps, a reader that talks to the implant), or a leg whose commands its receiver
/// passes on to another component, for a threat that alters what crosses it (a forged data set
/// that a station hands to the docked pump). Otherwise a threat to one flow stays with its
/// receiver: the forged message is the receiver's to check.
fn commands_others(cx: &RuleContext<'_>, rule: &Rule, subject: Subject) -> bool {
    match subject {
        Subject::Element(sender) => cx.commands_components(sender),
        Subject::Flow(_) | Subject::Response(_) if rule.touches().integrity => {
            let Some(leg) = cx.subject_leg(subject) else { return false };
            leg.carries().iter().any(|asset| cx.passes_on(leg.to, *asset, leg.from))
        }
        _ => false,
    }
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
            // A response leg shows on its flow's row.
            Subject::Response(flow) => vec![Subject::Flow(flow)],
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
