//! The data-flow graph: elements (actors, components, stores) as nodes and flows as directed
//! edges; a `<->` flow is two edges, one each way. Boundary membership and nesting stay on the
//! model (`Element::boundary`, `Boundary::parent`), so the graph is plain and cheap to walk.

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef as _;

use crate::model::{ElementId, FlowId, Subject};

/// One direction of a flow: a one-way flow, or the request or response leg of a `<->` flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct FlowEdge {
    pub flow: FlowId,
    /// Whether this edge is the response direction (`to -> from`) of a `<->` flow.
    pub reverse: bool,
}

impl FlowEdge {
    /// What a finding on this leg is about: the flow, or its response (`flow.response`).
    pub fn subject(self) -> Subject {
        if self.reverse { Subject::Response(self.flow) } else { Subject::Flow(self.flow) }
    }
}

/// Elements and flows as a directed graph. Node `i` is element `i`.
#[derive(Debug, Clone, Default)]
pub struct DataFlowGraph {
    graph: DiGraph<ElementId, FlowEdge>,
}

impl PartialEq for DataFlowGraph {
    fn eq(&self, other: &Self) -> bool {
        let edges = |graph: &DiGraph<ElementId, FlowEdge>| {
            graph.edge_references().map(|e| (e.source(), e.target(), *e.weight())).collect::<Vec<_>>()
        };
        self.graph.node_count() == other.graph.node_count() && edges(&self.graph) == edges(&other.graph)
    }
}

impl DataFlowGraph {
    /// Builds the graph for `element_count` elements and the given flows `(id, from, to, both_ways)`,
    /// `both_ways` when the flow has a response leg.
    pub fn new(element_count: usize, flows: impl IntoIterator<Item = (FlowId, ElementId, ElementId, bool)>) -> Self {
        let mut graph = DiGraph::with_capacity(element_count, element_count);
        for index in 0..element_count {
            graph.add_node(ElementId(index as u32));
        }
        let node = |id: ElementId| NodeIndex::new(id.index());
        for (flow, from, to, both_ways) in flows {
            graph.add_edge(node(from), node(to), FlowEdge { flow, reverse: false });
            if both_ways {
                graph.add_edge(node(to), node(from), FlowEdge { flow, reverse: true });
            }
        }
        Self { graph }
    }

    /// The underlying petgraph graph, for algorithms (shortest paths, reachability).
    pub fn inner(&self) -> &DiGraph<ElementId, FlowEdge> {
        &self.graph
    }

    pub fn node(id: ElementId) -> NodeIndex {
        NodeIndex::new(id.index())
    }

    /// Flows leaving `element`, as (edge, target).
    pub fn outgoing(&self, element: ElementId) -> impl Iterator<Item = (FlowEdge, ElementId)> + '_ {
        self.graph.edges(Self::node(element)).map(|edge| (*edge.weight(), self.graph[edge.target()]))
    }

    /// Flows arriving at `element`, as (edge, source).
    pub fn incoming(&self, element: ElementId) -> impl Iterator<Item = (FlowEdge, ElementId)> + '_ {
        self.graph
            .edges_directed(Self::node(element), petgraph::Direction::Incoming)
            .map(|edge| (*edge.weight(), self.graph[edge.source()]))
    }

    pub fn edge(&self, index: EdgeIndex) -> Option<FlowEdge> {
        self.graph.edge_weight(index).copied()
    }

    pub fn element_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ways_flows_are_two_edges() {
        let graph = DataFlowGraph::new(
            3,
            [(FlowId(0), ElementId(0), ElementId(1), true), (FlowId(1), ElementId(1), ElementId(2), false)],
        );
        assert_eq!(graph.edge_count(), 3);
        let from_b: Vec<_> = graph.outgoing(ElementId(1)).map(|(edge, to)| (edge.flow, edge.reverse, to)).collect();
        assert!(from_b.contains(&(FlowId(0), true, ElementId(0))));
        assert!(from_b.contains(&(FlowId(1), false, ElementId(2))));
        assert_eq!(graph.incoming(ElementId(2)).count(), 1);
    }
}
