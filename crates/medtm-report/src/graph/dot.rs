//! Diagrams as Graphviz DOT: clusters for boundaries, HTML-like labels for everything the model
//! names (escaped as XML text), ids that Graphviz writes into its SVG as they are.

use std::fmt::Write as _;

use medtm_model::model::{BoundaryId, ElementId, ElementKind};
use medtm_syntax::ast::Direction;

use super::{Child, LEGEND, Layout, Tally, level_colour, lines, node_name, palette, safe_id};
use crate::views::View;

/// The view as a Graphviz DOT digraph.
pub(super) fn render(layout: &Layout<'_>) -> String {
    let view = layout.view;
    let mut out = String::new();
    let graph_id = svg_id(view, 'g', "medtm");
    let _ = writeln!(out, "digraph \"{graph_id}\" {{");
    let _ = writeln!(
        out,
        "  graph [id=\"{}\", rankdir=TB, nodesep=0.4, ranksep=0.7, pad=0.3, fontname=\"Helvetica\", fontsize=12, labelloc=t, labeljust=l, label=<<B>{}</B><BR ALIGN=\"LEFT\"/><FONT POINT-SIZE=\"9\" COLOR=\"{}\">{}<BR ALIGN=\"LEFT\"/></FONT>>];",
        graph_id,
        html_escape(&layout.title()),
        palette::MUTED,
        LEGEND.map(html_escape).join("<BR ALIGN=\"LEFT\"/>")
    );
    let _ = writeln!(
        out,
        "  node [fontname=\"Helvetica\", fontsize=11, margin=\"0.15,0.08\", color=\"{}\", penwidth=1.2];",
        palette::LINE
    );
    let _ = writeln!(
        out,
        "  edge [fontname=\"Helvetica\", fontsize=9, color=\"{}\", fontcolor=\"#37474f\", arrowsize=0.7];",
        palette::LINE
    );
    dot_children(layout, None, 1, &mut out);
    for (id, flow) in layout.flows() {
        let tally = layout.marks.flow(id);
        let colour = level_colour(tally.worst());
        let mut label = String::new();
        let [name, data, channel] = layout.flow_lines(id);
        let _ = write!(label, "{}", html_lines(&lines(&name)));
        if !data.is_empty() {
            let _ = write!(label, "<BR/><I>{}</I>", html_lines(&lines(&data)));
        }
        let _ = write!(label, "<BR/><FONT COLOR=\"{}\">{}</FONT>", palette::MUTED, html_escape(&channel));
        label.push_str(&dot_notes(layout.flow_notes(id)));
        if let Some(badge) = badge(tally, colour) {
            label.push_str("<BR/>");
            label.push_str(&badge);
        }
        let _ = write!(
            out,
            "  \"{}\" -> \"{}\" [id=\"{}\", label=<{label}>, tooltip=\"{}\"",
            node_name(layout.model, flow.from),
            node_name(layout.model, flow.to),
            svg_id(view, 'f', &flow.meta.id),
            dot_string(&flow.meta.id)
        );
        if flow.direction == Direction::BothWays {
            out.push_str(", dir=both");
        }
        if let Some(colour) = colour {
            let _ = write!(out, ", color=\"{colour}\", penwidth=2");
        }
        out.push_str("];\n");
    }
    for (host, store) in layout.hostings() {
        let _ = writeln!(
            out,
            "  \"{}\" -> \"{}\" [id=\"{}\", style=dotted, arrowhead=none, label=<<FONT COLOR=\"{}\">hosts</FONT>>];",
            node_name(layout.model, host),
            node_name(layout.model, store),
            svg_id(view, 'h', &layout.model.element(store).meta.id),
            palette::MUTED
        );
    }
    out.push_str("}\n");
    out
}

fn dot_children(layout: &Layout<'_>, parent: Option<BoundaryId>, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    let children = layout.children(parent);
    if children.is_empty() && parent.is_some() {
        // Graphviz leaves out an empty cluster; a point keeps the boundary on the diagram.
        let _ = writeln!(out, "{indent}\"empty_{}\" [shape=point, style=invis];", parent.map_or(0, BoundaryId::index));
    }
    for &child in children {
        match child {
            Child::Boundary(id) => dot_boundary(layout, id, depth, out),
            Child::Element(id) => dot_element(layout, id, &indent, out),
        }
    }
}

fn dot_boundary(layout: &Layout<'_>, id: BoundaryId, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    let boundary = layout.model.boundary(id);
    let (line, fill) = if boundary.hostile.value {
        (palette::HOSTILE_LINE, palette::HOSTILE_FILL)
    } else {
        (palette::TRUSTED_LINE, palette::TRUSTED_FILL)
    };
    let tally = layout.marks.boundary(id);
    let mut label = format!(
        "<B>{}</B><BR/><FONT POINT-SIZE=\"9\" COLOR=\"{line}\">{}</FONT>",
        html_lines(&lines(&boundary.meta.label)),
        html_escape(&layout.boundary_detail(id))
    );
    if let Some(badge) = badge(tally, level_colour(tally.worst())) {
        label.push_str("<BR/>");
        label.push_str(&badge);
    }
    let _ = writeln!(out, "{indent}subgraph \"{}\" {{", cluster_name(&boundary.meta.id));
    let _ = writeln!(
        out,
        "{indent}  graph [id=\"{}\", label=<{label}>, tooltip=\"{}\", style=\"rounded,dashed,filled\", color=\"{line}\", fillcolor=\"{fill}\", penwidth={}, fontsize=11, labeljust=l, margin=12];",
        svg_id(layout.view, 'b', &boundary.meta.id),
        dot_string(&tooltip(&boundary.meta)),
        if boundary.hostile.value { "1.6" } else { "1.2" }
    );
    dot_children(layout, Some(id), depth + 1, out);
    let _ = writeln!(out, "{indent}}}");
}

fn dot_element(layout: &Layout<'_>, id: ElementId, indent: &str, out: &mut String) {
    let element = layout.model.element(id);
    let tally = layout.marks.element(id);
    let colour = level_colour(tally.worst());
    let mut text = format!(
        "<B>{}</B><BR/><FONT POINT-SIZE=\"9\" COLOR=\"{}\">{}</FONT>",
        html_lines(&lines(&element.meta.label)),
        palette::MUTED,
        html_escape(&layout.element_detail(id))
    );
    text.push_str(&dot_notes(layout.element_notes(id)));
    if let Some(badge) = badge(tally, colour) {
        text.push_str("<BR/>");
        text.push_str(&badge);
    }
    let border = colour.unwrap_or(palette::LINE);
    let width = if colour.is_some() { "2.5" } else { "1.2" };
    let shape = match element.kind {
        ElementKind::Actor(_) => {
            format!("shape=box, style=filled, fillcolor=\"{}\", label=<{text}>", palette::ACTOR_FILL)
        }
        ElementKind::Component(_) => {
            format!("shape=box, style=\"rounded,filled\", fillcolor=\"{}\", label=<{text}>", palette::COMPONENT_FILL)
        }
        // An open rectangle: one cell with lines above and below only.
        ElementKind::Store(_) => format!(
            "shape=none, margin=0, label=<<TABLE BORDER=\"0\" CELLBORDER=\"{}\" CELLSPACING=\"0\" CELLPADDING=\"7\" COLOR=\"{border}\"><TR><TD SIDES=\"TB\" BGCOLOR=\"{}\">{text}</TD></TR></TABLE>>",
            if colour.is_some() { 3 } else { 2 },
            palette::STORE_FILL
        ),
    };
    let _ = writeln!(
        out,
        "{indent}\"{}\" [id=\"{}\", {shape}, color=\"{border}\", penwidth={width}, tooltip=\"{}\"];",
        node_name(layout.model, id),
        svg_id(layout.view, 'e', &element.meta.id),
        dot_string(&tooltip(&element.meta))
    );
}

/// A view's notes, a line each, in the colour of notes.
fn dot_notes(notes: &[String]) -> String {
    let mut out = String::new();
    for note in notes {
        let _ = write!(out, "<BR/><FONT POINT-SIZE=\"9\" COLOR=\"{}\">{}</FONT>", palette::NOTE, html_escape(note));
    }
    out
}

/// The line that counts an element's findings, in the colour of the worst level.
fn badge(tally: Tally, colour: Option<&str>) -> Option<String> {
    let text = tally.badge()?;
    Some(format!(
        "<FONT POINT-SIZE=\"9\" COLOR=\"{}\"><B>{}</B></FONT>",
        colour.unwrap_or(palette::MUTED),
        html_escape(&text)
    ))
}

fn tooltip(meta: &medtm_model::model::Meta) -> String {
    match &meta.doc {
        Some(doc) => format!("{}: {}\n{doc}", meta.id, meta.label),
        None => format!("{}: {}", meta.id, meta.label),
    }
}

fn cluster_name(id: &str) -> String {
    format!("cluster_{}", safe_id(id))
}

/// Text for the inside of a DOT double-quoted string.
fn dot_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The id of a drawn thing in the SVG Graphviz makes: `global_e_pump`, `multipatient_f_bolus`.
/// The view is part of it, so that the views' diagrams can share one HTML page; `kind` is `e`
/// (element), `f` (flow), `b` (boundary), `h` (hosting) or `g` (the graph). Letters, digits and
/// `_` only, which Graphviz writes as they are.
fn svg_id(view: View, kind: char, id: &str) -> String {
    format!("{}_{kind}_{}", view.name().replace('-', ""), safe_id(id))
}

/// Text for a Graphviz HTML-like label: markup characters as entities, control characters as
/// spaces (they are not allowed in XML).
fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn html_lines(lines: &[String]) -> String {
    lines.iter().map(|line| html_escape(line)).collect::<Vec<_>>().join("<BR/>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_strings_and_html_labels_are_escaped() {
        assert_eq!(dot_string("say \"hi\"\\\nnext"), "say \\\"hi\\\"\\\\\\nnext");
        assert_eq!(
            html_escape("<img src=x onerror=\"alert(1)\"> & 'q'"),
            "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;q&#39;"
        );
    }
}
