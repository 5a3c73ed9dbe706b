//! MTM019 `internet-path-to-therapy`: a chain of flows leads from the internet to a component
//! that delivers therapy. Found breadth first from outside over the attack graph
//! (`attack_graph.rs`, one edge per leg of a flow, in the leg's direction), with each element's
//! way in chosen once by looking back over its incoming edges.

use petgraph::Direction;
use petgraph::visit::{Bfs, EdgeFiltered, EdgeRef as _, IntoEdgesDirected as _};

use crate::attack_graph::{AttackGraph, Step};
use crate::context::{RuleContext, most_exposed_first};
use crate::paths::Entry;
use crate::rule::{Docs, Family, Hits, Rule, Stride, Template};
use medtm_model::graph::FlowEdge;
use medtm_model::model::{ElementId, FlowId};
use medtm_model::vocab::{BoundaryKind, Function};

pub static RULE: Rule = Rule {
    code: "MTM019",
    name: "internet-path-to-therapy",
    title: "Internet-facing component can reach a therapy component",
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &[923],
    capec: &[],
    attack_techniques: &[],
    family: Family::Takeover,
    when_named: &[],
    template: Template::FROM_MODEL,
    docs: Docs {
        detects: "A component with the therapy_delivery function that data flows lead to from \
                  outside (following each flow's direction, both ways for `<->`) through at least \
                  one other element on the way. Outside means an element in a hostile boundary of \
                  kind internet, vendor_network or third_party, an actor with role attacker, or the \
                  internet itself, which reaches whatever receives a flow over `internet` or \
                  `cellular`. A therapy component that the outside reaches directly is left to the \
                  rules about that interface.",
        why: "Every flow on the way is a place where one flaw lets the attack continue. A path from \
              the internet to therapy means that a remote attacker, with no access to the patient or \
              the hospital, is a chain of compromises away from delivering therapy, and those \
              chains get found.",
        mitigate: "Break the path or make each hop a real barrier: the therapy component accepts \
                   only commands it can authenticate and bound itself (dose limits, confirmation on \
                   the device), and internet-facing services cannot command therapy directly. \
                   Record it as a control with `category: authorization` covering the therapy \
                   component.",
        example: "component api { kind: cloud_service }\ncomponent app { kind: mobile_app }\ncomponent pump { kind: wearable, functions: [therapy_delivery] }\nflow sync: app <-> api { medium: internet }\nflow app -> pump { medium: ble }",
    },
    check,
};

/// How the path an explanation shows enters an element.
#[derive(Debug, Clone, Copy)]
enum Via {
    /// Where an attack starts: a hostile element outside or an attacker, which is not an
    /// intermediate.
    Source,
    /// The receiver of a flow over the internet or a cellular network; the internet is the source.
    Internet(FlowId),
    /// From another element, over a flow.
    Hop(ElementId, FlowId),
}

impl Via {
    fn flow(self) -> Option<FlowId> {
        match self {
            Via::Source => None,
            Via::Internet(flow) | Via::Hop(_, flow) => Some(flow),
        }
    }
}

/// The ways into an element, best first: where an attack starts; from the internet; over a flow
/// from where an attack starts; over a flow from an element one level nearer the outside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Source,
    Internet,
    FromSource,
    FromLevelBefore,
}

fn check(cx: &RuleContext<'_>, hits: &mut Hits) {
    const OUTSIDE: &[BoundaryKind] = &[BoundaryKind::Internet, BoundaryKind::VendorNetwork, BoundaryKind::ThirdParty];
    let model = cx.model;
    let attack = cx.attack_graph();
    let outside = attack.outside();
    // The outside of this rule is narrower than that of attack paths: a hostile network counts
    // only when it is the internet, a vendor's or a third party's, and radio range and holding
    // the device do not count; the flows are the same. Where an attack starts (an attacker, or
    // such a hostile network) is decided once per entry, and the filter reads it.
    let node_count = attack.graph().node_count();
    let mut source = vec![false; node_count];
    for edge in attack.graph().edges_directed(outside, Direction::Outgoing) {
        let starts = match *edge.weight() {
            Step::Entry { entry: Entry::Attacker { .. }, .. } => true,
            Step::Entry { entry: Entry::HostileNetwork { element }, .. } => cx.in_boundary_of(element, OUTSIDE),
            _ => false,
        };
        if starts {
            source[edge.target().index()] = true;
        }
    }
    let graph = EdgeFiltered::from_fn(attack.graph(), |edge| match *edge.weight() {
        Step::Hop(_) | Step::Entry { entry: Entry::Attacker { .. } | Entry::Internet, .. } => true,
        Step::Entry { entry: Entry::HostileNetwork { element }, .. } => source[element.index()],
        Step::Entry { entry: Entry::RadioRange | Entry::Physical, .. } => false,
    });
    // The level of each node: 0 outside, 1 where an attack starts or an internet flow arrives,
    // and one more per flow on the shortest way from there; `u32::MAX` where the outside does not
    // reach. petgraph's `Bfs` gives the order but keeps no depths, so each node's is read off its
    // in-neighbours as it comes up: breadth first from outside takes every node of a level before
    // any of the next, so by then its in-neighbours of the level before already have theirs.
    let mut level = vec![u32::MAX; node_count];
    level[outside.index()] = 0;
    let mut bfs = Bfs::new(&graph, outside);
    while let Some(node) = bfs.next(&graph) {
        if node != outside {
            let before = (&graph).edges_directed(node, Direction::Incoming).map(|edge| level[edge.source().index()]);
            level[node.index()] = before.min().map_or(u32::MAX, |before| before.saturating_add(1));
        }
    }
    // Each reached element's way in, chosen once by looking back over its incoming edges (a
    // traversal of petgraph's records no predecessors, let alone the one an explanation should
    // name): the first of the [`Class`]es it has, and within that class the most exposed flow
    // (see [`most_exposed_first`]), so that the path an explanation shows never depends on the
    // order of the declarations.
    //
    // Elements and their levels are enough, without following whether a path has passed an
    // intermediate yet: an element is reached without an intermediate only in the first three
    // classes (where an attack starts, from the internet, one flow from where an attack starts),
    // and such an element is not reported. Every path to any other element passes an
    // intermediate, so the shortest of them is a shortest path from outside, with every element
    // on it at its own level. On it, an element of the first three classes is entered that way,
    // which leaves the fewest elements to compromise, and any other from the level before.
    //
    // Flows are compared by their request legs, as this rule has always compared them, whichever
    // leg the way in takes: only one leg of a flow arrives at a given element, so the flow names
    // the leg, and the order of the explanations stays what it was.
    let request = |flow: FlowId| cx.leg(FlowEdge { flow, reverse: false });
    let order = |(class, way): (Class, Via), (other_class, other): (Class, Via)| {
        class.cmp(&other_class).then_with(|| match (way.flow(), other.flow()) {
            (Some(a), Some(b)) => most_exposed_first(&request(a), &request(b)),
            _ => std::cmp::Ordering::Equal,
        })
    };
    let mut via: Vec<Option<Via>> = vec![None; model.elements.len()];
    for (index, way_in) in via.iter_mut().enumerate() {
        let node = AttackGraph::node(ElementId(index as u32));
        if level[node.index()] == u32::MAX {
            continue;
        }
        let mut best: Option<(Class, Via)> = None;
        for edge in (&graph).edges_directed(node, Direction::Incoming) {
            let from = edge.source();
            let candidate = match *edge.weight() {
                Step::Entry { entry: Entry::Attacker { .. } | Entry::HostileNetwork { .. }, .. } => {
                    (Class::Source, Via::Source)
                }
                Step::Entry { entry: Entry::Internet, first_hop: Some(hop) } => {
                    (Class::Internet, Via::Internet(hop.flow))
                }
                Step::Entry { .. } => continue,
                Step::Hop(hop) if source[from.index()] => {
                    (Class::FromSource, Via::Hop(AttackGraph::element(from), hop.flow))
                }
                Step::Hop(hop) if level[from.index()].saturating_add(1) == level[node.index()] => {
                    (Class::FromLevelBefore, Via::Hop(AttackGraph::element(from), hop.flow))
                }
                Step::Hop(_) => continue,
            };
            if best.is_none_or(|current| order(candidate, current).is_lt()) {
                best = Some(candidate);
            }
        }
        *way_in = best.map(|(_, way)| way);
    }
    for (id, _, component) in cx.components() {
        // Reached only through an intermediate: a component the outside reaches directly is
        // judged by the rules about that interface.
        let through = matches!(via[id.index()], Some(Via::Hop(from, _)) if !source[AttackGraph::node(from).index()]);
        if !component.has_function(Function::TherapyDelivery) || !through {
            continue;
        }
        let mut steps = Vec::new();
        let mut element = id;
        // Every hop leads to a lower level, so the walk ends; the bound only guards against a
        // broken invariant.
        for _ in 0..via.len() {
            match via[element.index()] {
                Some(Via::Hop(from, flow)) => {
                    steps.push(format!("{} (via `{}`)", cx.describe_element(element), model.flow(flow).meta.id));
                    element = from;
                }
                Some(Via::Internet(flow)) => {
                    steps.push(format!("{} (via `{}`)", cx.describe_element(element), model.flow(flow).meta.id));
                    steps.push("the internet".to_owned());
                    break;
                }
                Some(Via::Source) => {
                    if cx.element(element).as_actor().is_some() {
                        steps.push(format!("attacker {}", cx.describe_element(element)));
                    } else {
                        steps.push(format!(
                            "{} in hostile {}",
                            cx.describe_element(element),
                            cx.describe_boundary_of(element)
                        ));
                    }
                    break;
                }
                None => break,
            }
        }
        steps.reverse();
        let explanation = format!("{} can be reached from outside: {}", cx.describe_element(id), steps.join(" → "));
        hits.push(cx.element_hit(id, cx.component_assets(id), explanation));
    }
}
