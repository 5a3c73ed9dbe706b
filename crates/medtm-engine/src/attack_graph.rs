//! The attack graph: the model's data-flow graph (node `i` is element `i`, one edge per leg of a
//! flow, in the leg's direction) with one node more, "outside", whose edges are the ways an
//! attacker gets in. Every edge carries what crossing it costs: a leg costs what its own
//! effective authentication asks (`leg_authn`), so a `<->` flow's request and response legs
//! each cost what their receiver checks. Attack paths (`paths.rs`) and the reach of the outside
//! (`internet-path-to-therapy`) run petgraph's algorithms on this one graph instead of walking
//! the flows by hand; a `RuleContext` builds it once, when it is first asked for.

use petgraph::graph::{DiGraph, NodeIndex};

use medtm_model::model::ElementId;
use medtm_model::vocab::{ActorRole, PortState};

use crate::context::RuleContext;
use crate::paths::{Entry, Hop, flow_entry, hop_cost, leg_authn};

/// One edge of the attack graph.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// From outside to where an attack starts: at the element itself (an attacker, a hostile
    /// network, an open debug port), or at a leg's receiver by crossing the leg (`first_hop`:
    /// radio, internet, a cable).
    Entry { entry: Entry, first_hop: Option<Hop> },
    /// Along one leg of a flow, from a compromised sender to its receiver.
    Hop(Hop),
}

impl Step {
    /// What taking this edge costs an attacker: an entry's cost plus its first hop's, or a hop's.
    pub fn cost(&self) -> u32 {
        match self {
            Step::Entry { entry, first_hop } => entry.cost() + first_hop.map_or(0, |hop| hop.cost),
            Step::Hop(hop) => hop.cost,
        }
    }
}

/// The data-flow graph plus the outside node and its entry edges.
#[derive(Debug)]
pub struct AttackGraph {
    graph: DiGraph<(), Step>,
    outside: NodeIndex,
}

impl AttackGraph {
    /// Derives the attack graph from the model's data-flow graph, whose edges are the legs
    /// (flows in declaration order, a `<->` flow's request then its response). Nothing that
    /// reads the graph depends on the order of its edges, since every choice between equal ways
    /// is made by ids.
    pub fn new(cx: &RuleContext<'_>) -> Self {
        let model = cx.model;
        let flows = model.graph.inner();
        let elements = flows.node_count();
        // Each leg is a hop and at most one entry, and each element has at most two entries (an
        // attacker or a hostile network, and a debug port): reserving that bound once spares
        // copying the edge list as it grows, megabytes on a hospital-sized model.
        let mut graph = DiGraph::with_capacity(elements + 1, 2 * flows.edge_count() + 2 * elements);
        for _ in 0..elements {
            graph.add_node(());
        }
        let outside = graph.add_node(());
        // One pass over the legs, each flow read once: the hop along the leg, then the entry
        // over it, if any (the media are the flow's, shared by both legs; an entry reaches the
        // leg's receiver).
        for edge in flows.raw_edges() {
            let leg = cx.leg(edge.weight);
            debug_assert_eq!((Self::node(leg.from), Self::node(leg.to)), (edge.source(), edge.target()));
            let hop = Hop { flow: leg.id, to: leg.to, cost: hop_cost(leg_authn(cx, &leg)) };
            graph.add_edge(edge.source(), edge.target(), Step::Hop(hop));
            if let Some(entry) = flow_entry(leg.flow) {
                graph.add_edge(outside, edge.target(), Step::Entry { entry, first_hop: Some(hop) });
            }
        }
        for (index, element) in model.elements.iter().enumerate() {
            let id = ElementId(index as u32);
            let node = Self::node(id);
            if element.as_actor().is_some_and(|actor| actor.role.value == ActorRole::Attacker) {
                graph.add_edge(outside, node, Step::Entry { entry: Entry::Attacker { actor: id }, first_hop: None });
            } else if model.in_hostile_boundary(id) {
                let entry = Entry::HostileNetwork { element: id };
                graph.add_edge(outside, node, Step::Entry { entry, first_hop: None });
            }
            let open_port = element
                .as_component()
                .is_some_and(|component| component.debug_ports.iter().any(|(_, state)| state.value == PortState::Open));
            if open_port {
                graph.add_edge(outside, node, Step::Entry { entry: Entry::Physical, first_hop: None });
            }
        }
        Self { graph, outside }
    }

    /// The graph, for petgraph's algorithms.
    pub fn graph(&self) -> &DiGraph<(), Step> {
        &self.graph
    }

    /// The node every entry edge leaves: where an attacker is before the attack.
    pub fn outside(&self) -> NodeIndex {
        self.outside
    }

    /// The node of an element.
    pub fn node(element: ElementId) -> NodeIndex {
        NodeIndex::new(element.index())
    }

    /// The element a node other than outside stands for. Only entries leave outside, so the
    /// sender of a hop is always an element.
    pub fn element(node: NodeIndex) -> ElementId {
        ElementId(node.index() as u32)
    }
}
