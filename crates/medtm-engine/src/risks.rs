//! One risk per root cause, and the ranking. Findings of one rule family on one subject are the
//! facets of one risk (an unauthenticated link is one risk, however many of its consequences the
//! rules name); a risk ranks by its worst facet, and its facets list the root cause first.
//!
//! The order: what needs action first (open or partially mitigated, or any residual at review
//! or above), then what controls made acceptable, then what was accepted or transferred; within
//! that, residual level, stated facts before assumed ones, flaws the model shows before a flaw
//! not yet known (whose CVSS is scored as if it were there), residual CVSS v3.1 (v4.0 breaks its
//! ties), patient harm, exposure (the cheapest attack path), multi-patient reach, and the
//! stable id last. Finding ids, decisions, diffs and SARIF results stay per finding.

use std::cmp::Ordering;
use std::ops::Range;

use medtm_model::model::Subject;
use medtm_model::vocab::{Harm, RiskLevel};
use rayon::prelude::*;
use serde::Serialize;

use crate::FastMap;
use crate::analysis::{Finding, Status};
use crate::context::RuleContext;
use crate::rule::{Family, Rule};

/// Findings that share a root cause on one subject, ranked together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Risk {
    /// Stable id: `family@subject` (`link@bolus`, `flooding@pump`).
    pub id: String,
    /// 1-based position in the ranking.
    pub rank: usize,
    pub family: Family,
    /// What the risk is about: the flow for a link (both legs), the receiving element for
    /// flooding, the element that installs the code for a takeover through a firmware leg, else
    /// the findings' subject.
    pub subject: Subject,
    /// Its facets: the findings it groups, as positions in `Analysis::findings`. The root cause
    /// (the first of the family's rules present) comes first, then the rest by rank.
    pub facets: Range<usize>,
    /// The facet that ranks the risk (its worst), as a position in `Analysis::findings`.
    pub worst: usize,
    /// Whether it needs action: a facet is open or partially mitigated, or has its residual at
    /// review or above without a decision.
    pub needs_action: bool,
}

/// The rules of each family in root-cause order: the first present names the risk. The link
/// family leads with what lets an attacker in at all (a reachable remote service, no
/// authentication), then what weakens authentication, then what an authenticated link still
/// lets through. A takeover leads with how attacker code gets in (unverified firmware, a
/// parser, a debug port, no secure boot, media, a downgrade, a host without fixes), then the
/// way from outside, then what the takeover reaches.
const ROOT_CAUSE_ORDER: &[&str] = &[
    "exposed-remote-access",
    "unauthenticated-command",
    "service-interface-takeover",
    "fleet-shared-secret",
    "password-brute-force",
    "single-factor-therapy-access",
    "weak-ble-pairing",
    "cleartext-clinical-protocol",
    "tamperable-safety-data",
    "replayable-command",
    "cleartext-sensitive-data",
    "unsigned-firmware",
    "malformed-input-to-safety-function",
    "open-debug-port",
    "missing-secure-boot",
    "removable-media-malware",
    "firmware-downgrade",
    "unprotected-windows",
    "unpatchable-device",
    "internet-path-to-therapy",
    "multi-patient-push",
    "unsupported-software",
    "software-near-end-of-support",
    "hardcoded-credential",
    "credential-leaves-custody",
    "untraceable-safety-actions",
    "untraceable-phi-access",
    "unencrypted-data-at-rest",
    "writable-safety-store",
];

/// A rule's place among its family's rules (unlisted rules after the listed ones, by name).
fn root_cause_order(rule: &Rule) -> (usize, &'static str) {
    (ROOT_CAUSE_ORDER.iter().position(|name| *name == rule.name).unwrap_or(ROOT_CAUSE_ORDER.len()), rule.name)
}

/// What a risk of this family is about, for a finding on `subject`.
pub fn group_subject(cx: &RuleContext<'_>, family: Family, subject: Subject) -> Subject {
    match (family, subject) {
        (Family::Link, Subject::Response(flow)) => Subject::Flow(flow),
        (Family::Flooding | Family::Takeover, Subject::Flow(_) | Subject::Response(_)) => {
            cx.subject_leg(subject).map_or(subject, |leg| Subject::Element(leg.to))
        }
        _ => subject,
    }
}

/// Whether a finding needs action.
pub fn needs_action(finding: &Finding) -> bool {
    match finding.status {
        Status::Open | Status::PartiallyMitigated => true,
        Status::Mitigated => finding.residual.level >= RiskLevel::Review,
        Status::Accepted | Status::Transferred => false,
    }
}

/// What ranks a finding (see the module's documentation).
struct RankKey<'f> {
    /// 0: needs action; 1: mitigated to acceptable; 2: accepted or transferred.
    tier: u8,
    level: RiskLevel,
    assumed: bool,
    /// It counts a flaw the model does not show (`Template::unproven_flaw`).
    unproven_flaw: bool,
    v31: f64,
    v40: f64,
    harm: Option<Harm>,
    /// The cheapest attack path's cost; unreachable last.
    exposure: u32,
    reach: u64,
    id: &'f str,
}

impl<'f> RankKey<'f> {
    fn of(finding: &'f Finding) -> Self {
        let residual = &finding.residual;
        let tier = match finding.status {
            Status::Accepted | Status::Transferred => 2,
            _ if needs_action(finding) => 0,
            _ => 1,
        };
        RankKey {
            tier,
            level: residual.level,
            assumed: !finding.assumed.is_empty(),
            unproven_flaw: residual.unproven_flaw,
            v31: residual.v31.score,
            v40: residual.v40.score,
            harm: finding.harm,
            exposure: finding.attack_path.as_ref().map_or(u32::MAX, |path| path.cost),
            reach: finding.fleet_reach.unwrap_or(0),
            id: &finding.id,
        }
    }

    fn cmp(&self, other: &Self) -> Ordering {
        self.tier
            .cmp(&other.tier)
            .then_with(|| other.level.cmp(&self.level))
            .then_with(|| self.assumed.cmp(&other.assumed))
            .then_with(|| self.unproven_flaw.cmp(&other.unproven_flaw))
            .then_with(|| other.v31.total_cmp(&self.v31))
            .then_with(|| other.v40.total_cmp(&self.v40))
            .then_with(|| other.harm.cmp(&self.harm))
            .then_with(|| self.exposure.cmp(&other.exposure))
            .then_with(|| other.reach.cmp(&self.reach))
            .then_with(|| self.id.cmp(other.id))
    }
}

/// Ranks the findings and groups them into risks: reorders `findings` into risk order (each
/// risk's facets together, root cause first), sets each finding's rank and risk, and returns
/// the risks in rank order.
pub fn rank(cx: &RuleContext<'_>, findings: &mut [Finding]) -> Vec<Risk> {
    // A finding is a few hundred bytes, with its scores behind pointers: the order is found by
    // sorting compact keys, and each finding then moves once, to its place.
    let mut keys: Vec<(RankKey<'_>, usize)> = findings.iter().map(RankKey::of).zip(0..).collect();
    keys.par_sort_by(|(a, _), (b, _)| a.cmp(b));
    // A fresh list, so that the keys' larger one is freed now (collecting in place would keep it).
    let ranked: Vec<usize> = keys.iter().map(|(_, index)| *index).collect();
    drop(keys);
    // Risks in the order of their worst facet; each risk's findings in rank order: each finding
    // is numbered with its group (in order of first appearance), then a stable sort by group
    // keeps rank order within each.
    let mut group_of: FastMap<(Family, Subject), usize> =
        FastMap::with_capacity_and_hasher(findings.len(), foldhash::fast::FixedState::default());
    let mut grouped: Vec<(usize, usize)> = ranked
        .into_iter()
        .map(|index| {
            let finding = &findings[index];
            let family = finding.rule.family;
            let key = (family, group_subject(cx, family, finding.subject));
            let next = group_of.len();
            (*group_of.entry(key).or_insert(next), index)
        })
        .collect();
    let risk_count = group_of.len();
    drop(group_of);
    grouped.sort_by_key(|(group, _)| *group);
    let groups = grouped.chunk_by(|a, b| a.0 == b.0).map(|chunk| chunk.iter().map(|(_, index)| *index));
    let mut order = Vec::with_capacity(findings.len());
    let mut risks = Vec::with_capacity(risk_count);
    let mut group: Vec<usize> = Vec::new();
    for (position, members) in groups.enumerate() {
        group.clear();
        group.extend(members);
        let worst_index = group[0];
        // The root cause first; the rest stay in rank order.
        let root =
            group.iter().copied().min_by_key(|index| root_cause_order(findings[*index].rule)).unwrap_or(worst_index);
        group.retain(|index| *index != root);
        group.insert(0, root);
        let start = order.len();
        let worst = start + group.iter().position(|index| *index == worst_index).unwrap_or(0);
        let lead = &findings[root];
        let family = lead.rule.family;
        let subject = group_subject(cx, family, lead.subject);
        risks.push(Risk {
            id: format!("{}@{}", family.name(), cx.model.subject_id(subject)),
            rank: position + 1,
            family,
            subject,
            facets: start..start + group.len(),
            worst,
            needs_action: group.iter().any(|index| needs_action(&findings[*index])),
        });
        order.extend_from_slice(&group);
    }
    apply_order(findings, order);
    for risk in &risks {
        for position in risk.facets.clone() {
            findings[position].rank = position + 1;
            findings[position].risk = risk.rank - 1;
        }
    }
    risks
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
