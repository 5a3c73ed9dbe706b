//! Attack paths: the cheapest way from where an attacker can start to each element. The attack
//! graph (`attack_graph.rs`) is the data-flow graph, one edge per leg of a flow, with one more
//! node, outside, joined to every place an attacker can start by an edge that costs what
//! starting there costs. petgraph's Dijkstra from outside gives each element its cheapest cost;
//! then each element, once, looks back over its incoming edges for those that arrive at exactly
//! that cost (cost before plus the edge's), and keeps the one `tie_break` puts first. Those
//! choices form a tree of cheapest paths, which `to_element` walks back. O((V + E) log V) for the
//! whole model.
//!
//! Where an attacker starts, and what it costs to start there:
//! - an actor with role `attacker`: 0;
//! - inside a hostile boundary (every element in it is within reach): 1;
//! - on the internet, for a flow over `internet` or `cellular`: 1 before the hop;
//! - in radio range, for a flow over a wireless medium: 2 before the hop;
//! - holding the device: 4, at a component with an open debug port, or before the hop of a flow
//!   over `usb`, `serial`, `removable_media` or `ui`.
//!
//! Moving along a leg of a flow from a compromised sender to its receiver costs what that leg's
//! effective authentication asks (`leg_authn`; a `<->` flow's response leg is held to the
//! response's authentication, not the request's): 1 with none or implicit trust, 3 with shared,
//! guessable or replayable secrets (password, shared_secret, fleet_key, token), 6 with
//! per-device keys, mutual TLS, MFA or smartcards.

use std::cmp::Ordering;
use std::fmt::Write as _;

use medtm_model::Model;
use medtm_model::model::{ElementId, FlowId, Subject};
use medtm_model::vocab::{Authn, Medium, Vocabulary as _};
use petgraph::Direction;
use petgraph::algo::dijkstra;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef as _;
use serde::Serialize;

use crate::attack_graph::{AttackGraph, Step};
use crate::context::{DirectedFlow, RuleContext};

/// Where an attack path starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    /// An actor with role attacker.
    Attacker { actor: ElementId },
    /// Inside a hostile boundary, at this element.
    HostileNetwork { element: ElementId },
    /// On the internet, injecting into a flow.
    Internet,
    /// In radio range of a wireless flow.
    RadioRange,
    /// Holding the device.
    Physical,
}

impl Entry {
    /// The kinds in a fixed order, for settling ties.
    const fn kind_order(self) -> u8 {
        match self {
            Entry::Attacker { .. } => 0,
            Entry::HostileNetwork { .. } => 1,
            Entry::Internet => 2,
            Entry::RadioRange => 3,
            Entry::Physical => 4,
        }
    }

    /// What starting here costs, before any flow crossed to get in.
    pub(crate) const fn cost(self) -> u32 {
        match self {
            Entry::Attacker { .. } => 0,
            Entry::HostileNetwork { .. } | Entry::Internet => 1,
            Entry::RadioRange => 2,
            Entry::Physical => 4,
        }
    }
}

/// One step along a path: into `to` over `flow` (in the flow's direction, or back along a `<->`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Hop {
    pub flow: FlowId,
    pub to: ElementId,
    pub cost: u32,
}

/// The cheapest attack path to a finding's subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttackPath {
    pub entry: Entry,
    pub hops: Vec<Hop>,
    /// The total cost: the entry's plus every hop's.
    pub cost: u32,
}

/// What it costs to pass a flow's authentication.
pub fn hop_cost(authn: Authn) -> u32 {
    match crate::context::authn_strength(authn) {
        0 => 1,
        1 => 3,
        _ => 6,
    }
}

/// The authentication an attacker must defeat to move along a leg: the leg's effective
/// authentication (its own `authn`, the response's for a response leg; a password or token known
/// outside counts as a shared secret, which costs the same). Every hop's cost is computed from
/// it, so this is the one place that decides it.
pub(crate) fn leg_authn(cx: &RuleContext<'_>, leg: &DirectedFlow<'_>) -> Authn {
    cx.effective_authn(leg)
}

/// How an attacker can reach a flow's receiver without first owning its sender.
pub(crate) fn flow_entry(flow: &medtm_model::model::Flow) -> Option<Entry> {
    flow.media
        .value
        .iter()
        .filter_map(|medium| match medium {
            Medium::Internet | Medium::Cellular => Some(Entry::Internet),
            Medium::Ble
            | Medium::BleLesc
            | Medium::BtClassic
            | Medium::ProprietaryRf
            | Medium::Nfc
            | Medium::Inductive
            | Medium::Wifi => Some(Entry::RadioRange),
            Medium::Usb | Medium::Serial | Medium::RemovableMedia | Medium::Ui | Medium::Contact => {
                Some(Entry::Physical)
            }
            Medium::Ethernet | Medium::Network | Medium::Ipc => None,
        })
        .min_by_key(|entry| entry.cost())
}

/// How each element was reached most cheaply.
#[derive(Debug, Clone, Copy)]
enum Reached {
    Unreached,
    /// Directly from an entry point, possibly over a first flow (radio, internet, cable).
    Entry {
        entry: Entry,
        first_hop: Option<Hop>,
        total: u32,
    },
    /// Over a flow from another element.
    Hop {
        from: ElementId,
        hop: Hop,
        total: u32,
    },
}

/// Which of two ways to reach an element at the same cost comes first: an entry before a hop;
/// entries by kind, then by the id of the flow they cross first; hops by the id of the element
/// they leave, then by the flow's id. Ids, not positions, so that the paths do not depend on the
/// order of declarations (the element left was itself settled the same way, at a lower cost).
fn tie_break(model: &Model, a: &Reached, b: &Reached) -> Ordering {
    let flow_id = |hop: Option<Hop>| hop.map(|hop| model.flow(hop.flow).meta.id.as_str());
    match (a, b) {
        (Reached::Entry { entry: a, first_hop: a_hop, .. }, Reached::Entry { entry: b, first_hop: b_hop, .. }) => {
            a.kind_order().cmp(&b.kind_order()).then_with(|| flow_id(*a_hop).cmp(&flow_id(*b_hop)))
        }
        (Reached::Entry { .. }, _) => Ordering::Less,
        (_, Reached::Entry { .. }) => Ordering::Greater,
        (Reached::Hop { from: a_from, hop: a_hop, .. }, Reached::Hop { from: b_from, hop: b_hop, .. }) => model
            .element(*a_from)
            .meta
            .id
            .cmp(&model.element(*b_from).meta.id)
            .then_with(|| flow_id(Some(*a_hop)).cmp(&flow_id(Some(*b_hop)))),
        _ => Ordering::Equal,
    }
}

impl Reached {
    fn total(self) -> Option<u32> {
        match self {
            Reached::Unreached => None,
            Reached::Entry { total, .. } | Reached::Hop { total, .. } => Some(total),
        }
    }
}

/// The cheapest paths to every element of a model.
#[derive(Debug)]
pub struct AttackPaths {
    reached: Vec<Reached>,
}

impl AttackPaths {
    pub fn compute(cx: &RuleContext<'_>) -> Self {
        let model = cx.model;
        let attack = cx.attack_graph();
        let graph = attack.graph();
        // petgraph's Dijkstra keeps its costs in a hash map, not in an array by node index as a
        // hand-written search would; building the attack graph and the map is a few
        // milliseconds on a report of 10,000 elements. The algorithms of petgraph 0.8 that index
        // by node instead (SPFA, and Bellman-Ford, which wants float costs) lose the
        // O((V + E) log V) bound, so Dijkstra it is.
        let scores = dijkstra(graph, attack.outside(), None, |edge| edge.weight().cost());
        // The costs by node, so that the look back reads an array rather than the hash map.
        let mut cost = vec![None; graph.node_count()];
        for (node, total) in scores {
            cost[node.index()] = Some(total);
        }
        // Each element's way in, chosen once: among the edges that arrive at its cheapest cost
        // (entries and hops both cost what their edge says), the first by `tie_break`. petgraph
        // gives costs, not the ways that achieve them, and its Dijkstra keeps no predecessors
        // to choose between; this look back is that choice. Every such edge leaves outside or a
        // node settled at a lower cost (hops cost at least 1), so the choices form a tree rooted
        // outside.
        let reached = (0..model.elements.len())
            .map(|index| {
                let Some(total) = cost[index] else { return Reached::Unreached };
                graph
                    .edges_directed(NodeIndex::new(index), Direction::Incoming)
                    .filter(|edge| {
                        cost[edge.source().index()].is_some_and(|before| before + edge.weight().cost() == total)
                    })
                    .map(|edge| match *edge.weight() {
                        Step::Entry { entry, first_hop } => Reached::Entry { entry, first_hop, total },
                        Step::Hop(hop) => Reached::Hop { from: AttackGraph::element(edge.source()), hop, total },
                    })
                    .min_by(|a, b| tie_break(model, a, b))
                    .unwrap_or(Reached::Unreached)
            })
            .collect();
        Self { reached }
    }

    /// The cheapest path to an element, if any entry point reaches it.
    pub fn to_element(&self, element: ElementId) -> Option<AttackPath> {
        let cost = self.reached[element.index()].total()?;
        let mut hops = Vec::new();
        let mut current = element;
        // The predecessor chain is a shortest-path tree, so it ends at an entry within V steps.
        for _ in 0..=self.reached.len() {
            match self.reached[current.index()] {
                Reached::Unreached => return None,
                Reached::Entry { entry, first_hop, .. } => {
                    hops.extend(first_hop);
                    hops.reverse();
                    return Some(AttackPath { entry, hops, cost });
                }
                Reached::Hop { from, hop, .. } => {
                    hops.push(hop);
                    current = from;
                }
            }
        }
        None
    }

    /// The cheapest path to a finding's subject. For a flow, the path ends with the flow itself:
    /// reaching its sender and crossing it, or reaching it directly (radio, internet, cable).
    pub fn to_subject(&self, cx: &RuleContext<'_>, subject: Subject) -> Option<AttackPath> {
        let model = cx.model;
        match subject {
            Subject::Element(element) => self.to_element(element),
            Subject::Flow(_) | Subject::Response(_) => {
                let leg = cx.subject_leg(subject)?;
                let flow_id = leg.id;
                let cost = hop_cost(leg_authn(cx, &leg));
                let through_sender = self.to_element(leg.from).map(|mut path| {
                    path.hops.push(Hop { flow: flow_id, to: leg.to, cost });
                    path.cost += cost;
                    path
                });
                let direct = flow_entry(leg.flow).map(|entry| AttackPath {
                    entry,
                    hops: vec![Hop { flow: flow_id, to: leg.to, cost }],
                    cost: entry.cost() + cost,
                });
                match (through_sender, direct) {
                    (Some(a), Some(b)) => Some(if b.cost <= a.cost { b } else { a }),
                    (a, b) => a.or(b),
                }
            }
            // The cheapest over the components that run it; between equals, the first by id.
            Subject::Software(software) => cx
                .software_users(software)
                .iter()
                .filter_map(|user| self.to_element(*user).map(|path| (path, &model.element(*user).meta.id)))
                .min_by(|(a, a_user), (b, b_user)| a.cost.cmp(&b.cost).then_with(|| a_user.cmp(b_user)))
                .map(|(path, _)| path),
            Subject::Boundary(_) | Subject::Asset(_) => None,
        }
    }
}

/// A path in words: "radio range → `pump` via `bolus` (shared_secret)".
pub fn describe(model: &Model, path: &AttackPath) -> String {
    // Written into one string: reports describe every finding's path.
    let mut text = String::with_capacity(64 * (path.hops.len() + 1));
    let _ = match path.entry {
        Entry::Attacker { actor } => write!(text, "attacker `{}`", model.element(actor).meta.id),
        Entry::HostileNetwork { element } => match model.element(element).boundary.map(|b| model.boundary(b)) {
            Some(boundary) => write!(text, "hostile `{}`", boundary.meta.id),
            None => write!(text, "a hostile network"),
        }
        .and_then(|()| write!(text, " at `{}`", model.element(element).meta.id)),
        Entry::Internet => write!(text, "the internet"),
        Entry::RadioRange => write!(text, "radio range"),
        Entry::Physical => write!(text, "physical access"),
    };
    for hop in &path.hops {
        let flow = model.flow(hop.flow);
        // A hop back to the flow's sender travels its response leg (`flow.response`), which the
        // response's authentication protects.
        let (leg, authn) = match &flow.response {
            Some(response) if hop.to == flow.from && hop.to != flow.to => (&response.meta.id, response.authn.value),
            _ => (&flow.meta.id, flow.authn.value),
        };
        let _ = write!(text, " → `{}` via `{leg}` ({})", model.element(hop.to).meta.id, authn.as_str());
    }
    text
}

#[cfg(test)]
mod tests {
    use medtm_model::CheckOptions;

    /// A path that ends on a response leg names that leg and the response's authentication,
    /// which is what its cost was computed from (the internet, 1, then a certificate, 6).
    #[test]
    fn a_path_over_a_response_names_the_leg_and_its_authentication() {
        let text = include_str!("../../../models/insulin-pump.mtm");
        let checked = crate::analyse_text(text, CheckOptions { today: Some(jiff::civil::date(2026, 12, 7)) });
        let analysis = checked.analysis.expect("the example model has no errors");
        let finding = analysis
            .findings
            .iter()
            .find(|finding| finding.id == "safety-link-flooding@sync.response")
            .expect("the cloud sync's response can be flooded");
        let path = finding.attack_path.as_ref().expect("reachable from the internet");
        assert_eq!(path.cost, 7);
        assert_eq!(super::describe(&checked.model, path), "the internet → `app` via `sync.response` (certificate)");
    }
}
