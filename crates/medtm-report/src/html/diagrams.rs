//! The data-flow diagram and the architecture views: each view a drawing (or its DOT source
//! when no drawing was made) and a table.
//!
//! The report crate never runs programs, so drawings come in from outside: [`Diagrams`] holds
//! the SVG that Graphviz made of each view, when it was available.

use std::collections::BTreeMap;

use maud::{Markup, PreEscaped, html};

use super::svg;
use crate::Inputs;
use crate::graph;
use crate::views::{self, View};

/// The drawings of the views, made by Graphviz from [`graph::dot`]. A view without one shows its
/// DOT source instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagrams {
    svg: BTreeMap<View, String>,
}

impl Diagrams {
    /// No drawings: every view shows its DOT source.
    pub fn none() -> Self {
        Diagrams::default()
    }

    /// Draws every view with `draw`, which turns DOT into SVG (`None` when it cannot).
    pub fn draw(inputs: &Inputs<'_>, mut draw: impl FnMut(&str) -> Option<String>) -> Self {
        let mut diagrams = Diagrams::none();
        for view in View::ALL {
            if let Some(svg) = draw(&graph::dot(inputs, view)) {
                diagrams.insert(view, svg);
            }
        }
        diagrams
    }

    /// Sets the drawing of a view.
    pub fn insert(&mut self, view: View, svg: String) {
        self.svg.insert(view, svg);
    }

    /// The drawing of a view, if there is one.
    pub fn svg(&self, view: View) -> Option<&str> {
        self.svg.get(&view).map(String::as_str)
    }
}

/// The drawing of a view: the SVG when there is a well-formed one, else the DOT source in a
/// block that opens on demand (and always on paper), with how to draw it.
pub fn figure(inputs: &Inputs<'_>, diagrams: &Diagrams, view: View) -> Markup {
    let drawing = diagrams.svg(view).and_then(svg::sanitize);
    html! {
        figure.diagram {
            @if let Some(drawing) = drawing {
                div.drawing { (PreEscaped(drawing)) }
            } @else {
                details.dot {
                    summary { "Diagram as Graphviz DOT source" }
                    p.note {
                        "This report was made without Graphviz, so the diagram is given as its source. Install "
                        "Graphviz (package " code { "graphviz" } ") and make the report again to see it drawn here; "
                        "or draw it yourself with " code { "medtm graph MODEL --view " (view.name()) " --format svg" }
                        ", or save the text below as " code { (view.name()) ".dot" } " and run "
                        code { "dot -Tsvg " (view.name()) ".dot -o " (view.name()) ".svg" } "."
                    }
                    pre { code { (graph::dot(inputs, view)) } }
                }
            }
            figcaption { (view.title()) }
        }
    }
}

/// The data-flow diagram: the global view's drawing.
pub fn data_flow(inputs: &Inputs<'_>, diagrams: &Diagrams) -> Markup {
    html! {
        section #data-flow {
            h2 { "Data-flow diagram" }
            p.lead {
                "Actors as boxes, components as rounded boxes, stores as open rectangles, flows as labelled "
                "arrows; trust boundaries enclose what they hold (hostile ones in red). An element or flow with "
                "findings takes the colour of its worst residual level."
            }
            (figure(inputs, diagrams, View::Global))
        }
    }
}

/// The architecture views, each a table and (but for the global view, drawn above) a drawing.
pub fn architecture(inputs: &Inputs<'_>, diagrams: &Diagrams) -> Markup {
    html! {
        section #views {
            h2 { "Architecture views" }
            @for view in View::ALL {
                (architecture_view(inputs, diagrams, view))
            }
        }
    }
}

fn architecture_view(inputs: &Inputs<'_>, diagrams: &Diagrams, view: View) -> Markup {
    let table = views::table(inputs, view);
    html! {
        section.view #{ "view-" (view.name()) } {
            h3 { (table.title) }
            p { (table.description) }
            @if table.rows.is_empty() {
                p.empty { "Nothing in this model belongs to this view." }
            } @else {
                @if view == View::Global {
                    p.note { "Its drawing is the " a href="#data-flow" { "data-flow diagram" } " above." }
                } @else {
                    (figure(inputs, diagrams, view))
                }
                div.scroll {
                    table.view {
                        caption { (table.title) ": " (super::parts::count(table.rows.len(), "row", "rows")) }
                        thead { tr { @for column in &table.columns { th scope="col" { (column) } } } }
                        tbody {
                            @for row in &table.rows {
                                tr { @for cell in row { td { (cell) } } }
                            }
                        }
                    }
                }
            }
        }
    }
}
