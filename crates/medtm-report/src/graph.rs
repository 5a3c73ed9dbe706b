//! Diagrams of the data-flow graph: DOT and Mermaid, boundaries as nested clusters, findings
//! marked on the elements they affect.
