//! Diagrams as Mermaid flowcharts: subgraphs for boundaries, every label quoted with what could
//! end it or start markup written as Mermaid's numeric entities.

use std::fmt::Write as _;

use medtm_model::model::{BoundaryId, ElementId, ElementKind};
use medtm_model::vocab::RiskLevel;
use medtm_syntax::ast::Direction;

use super::{Child, LEGEND, Layout, level_colour, lines, node_name, palette, safe_id};

/// The view as a Mermaid flowchart.
pub(super) fn render(layout: &Layout<'_>) -> String {
    let model = layout.model;
    let mut out = String::new();
    let _ = writeln!(out, "%% {}", mermaid_text(&layout.title()));
    for line in LEGEND {
        let _ = writeln!(out, "%% {}", line.replace("Lines above and below", "Cylinders"));
    }
    out.push_str("flowchart TB\n");
    let mut styles = Vec::new();
    mermaid_children(layout, None, 1, &mut out, &mut styles);
    let mut link_colours: Vec<(usize, &str)> = Vec::new();
    // Mermaid numbers links in the order they are written; flows come first.
    for (link, (id, flow)) in layout.flows().enumerate() {
        let tally = layout.marks.flow(id);
        let colour = level_colour(tally.worst());
        let [name, data, channel] = layout.flow_lines(id);
        let mut label = mermaid_lines(&lines(&name));
        if !data.is_empty() {
            label.push_str("<br/>");
            label.push_str(&mermaid_lines(&lines(&data)));
        }
        label.push_str("<br/>");
        label.push_str(&mermaid_text(&channel));
        for note in layout.flow_notes(id) {
            let _ = write!(label, "<br/>{}", mermaid_text(note));
        }
        if let Some(badge) = tally.badge() {
            let _ = write!(label, "<br/>{}", mermaid_text(&badge));
        }
        let arrow = if flow.direction == Direction::BothWays { "<-->" } else { "-->" };
        let _ = writeln!(out, "  {} {arrow}|\"{label}\"| {}", node_name(model, flow.from), node_name(model, flow.to));
        if let Some(colour) = colour {
            link_colours.push((link, colour));
        }
    }
    for (host, store) in layout.hostings() {
        let _ = writeln!(out, "  {} -.-|hosts| {}", node_name(model, host), node_name(model, store));
    }
    let _ = writeln!(out, "  classDef actor fill:{},stroke:{}", palette::ACTOR_FILL, palette::LINE);
    let _ = writeln!(out, "  classDef component fill:{},stroke:{}", palette::COMPONENT_FILL, palette::LINE);
    let _ = writeln!(out, "  classDef store fill:{},stroke:{}", palette::STORE_FILL, palette::LINE);
    let _ = writeln!(out, "  classDef unacceptable stroke:{},stroke-width:3px", palette::UNACCEPTABLE);
    let _ = writeln!(out, "  classDef review stroke:{},stroke-width:3px", palette::REVIEW);
    for (class, members) in element_classes(layout) {
        if !members.is_empty() {
            let _ = writeln!(out, "  class {} {class}", members.join(","));
        }
    }
    for style in styles {
        let _ = writeln!(out, "  {style}");
    }
    for (index, colour) in link_colours {
        let _ = writeln!(out, "  linkStyle {index} stroke:{colour},stroke-width:2px");
    }
    out
}

/// Drawn elements by class: their kind, then their worst level (applied last, so it wins).
fn element_classes(layout: &Layout<'_>) -> [(&'static str, Vec<String>); 5] {
    let mut classes: [(&'static str, Vec<String>); 5] = [
        ("actor", Vec::new()),
        ("component", Vec::new()),
        ("store", Vec::new()),
        ("review", Vec::new()),
        ("unacceptable", Vec::new()),
    ];
    for (index, element) in layout.model.elements.iter().enumerate() {
        if !layout.selection.elements[index] {
            continue;
        }
        let id = ElementId(index as u32);
        let name = node_name(layout.model, id);
        let kind = match element.kind {
            ElementKind::Actor(_) => 0,
            ElementKind::Component(_) => 1,
            ElementKind::Store(_) => 2,
        };
        classes[kind].1.push(name.clone());
        match layout.marks.element(id).worst() {
            Some(RiskLevel::Review) => classes[3].1.push(name),
            Some(RiskLevel::Unacceptable) => classes[4].1.push(name),
            Some(RiskLevel::Acceptable) | None => {}
        }
    }
    classes
}

fn mermaid_children(
    layout: &Layout<'_>,
    parent: Option<BoundaryId>,
    depth: usize,
    out: &mut String,
    styles: &mut Vec<String>,
) {
    let indent = "  ".repeat(depth);
    let model = layout.model;
    for &child in layout.children(parent) {
        match child {
            Child::Boundary(id) => {
                let boundary = model.boundary(id);
                let name = format!("b_{}", safe_id(&boundary.meta.id));
                // One line: Mermaid leaves room for a single line of title above a subgraph.
                let mut title = format!("{} · {}", boundary.meta.label, layout.boundary_detail(id));
                if let Some(badge) = layout.marks.boundary(id).badge() {
                    let _ = write!(title, " · {badge}");
                }
                let title = mermaid_text(&title);
                let _ = writeln!(out, "{indent}subgraph {name}[\"{title}\"]");
                mermaid_children(layout, Some(id), depth + 1, out, styles);
                let _ = writeln!(out, "{indent}end");
                let (line, fill) = if boundary.hostile.value {
                    (palette::HOSTILE_LINE, palette::HOSTILE_FILL)
                } else {
                    (palette::TRUSTED_LINE, palette::TRUSTED_FILL)
                };
                styles.push(format!("style {name} fill:{fill},stroke:{line},stroke-dasharray:6 4"));
            }
            Child::Element(id) => {
                let element = model.element(id);
                let mut text = mermaid_lines(&lines(&element.meta.label));
                let _ = write!(text, "<br/>{}", mermaid_text(&layout.element_detail(id)));
                for note in layout.element_notes(id) {
                    let _ = write!(text, "<br/>{}", mermaid_text(note));
                }
                if let Some(badge) = layout.marks.element(id).badge() {
                    let _ = write!(text, "<br/>{}", mermaid_text(&badge));
                }
                let (open, close) = match element.kind {
                    ElementKind::Actor(_) => ("[", "]"),
                    ElementKind::Component(_) => ("(", ")"),
                    ElementKind::Store(_) => ("[(", ")]"),
                };
                let _ = writeln!(out, "{indent}{}{open}\"{text}\"{close}", node_name(model, id));
            }
        }
    }
}

/// Text for the inside of a Mermaid double-quoted label: letters, digits, spaces and plain
/// punctuation as they are; everything else (quotes, `<`, `>`, `#`, `&`, brackets, braces,
/// backticks, `%`, `;`, `|`) as Mermaid's numeric entity `#NN;`, so that nothing in a label
/// can end it, start markup or run as HTML; line breaks and control characters as spaces.
pub(crate) fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() || c == ' ' || "-_.,:/'!?+=@()·▲".contains(c) {
            out.push(c);
        } else if c.is_control() || c.is_whitespace() {
            out.push(' ');
        } else {
            let _ = write!(out, "#{};", u32::from(c));
        }
    }
    out
}

fn mermaid_lines(lines: &[String]) -> String {
    lines.iter().map(|line| mermaid_text(line)).collect::<Vec<_>>().join("<br/>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mermaid_labels_cannot_close_or_inject() {
        assert_eq!(
            mermaid_text("<b>\"x\"</b> #1; {a} [b] |c| `d`"),
            "#60;b#62;#34;x#34;#60;/b#62; #35;1#59; #123;a#125; #91;b#93; #124;c#124; #96;d#96;"
        );
        assert_eq!(mermaid_text("two\nlines"), "two lines");
    }
}
