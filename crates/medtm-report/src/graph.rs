//! Diagrams of the data-flow graph: DOT and Mermaid, boundaries as nested clusters, findings
//! marked on the elements they affect.
//!
//! The notation is the usual one for data-flow diagrams: actors (external entities) as boxes,
//! components (processes) as rounded boxes, stores as open rectangles (lines above and below;
//! Mermaid has no such shape, so it draws a cylinder), flows as labelled arrows (both heads for
//! `<->`), trust boundaries as dashed clusters nested as in the model, hostile ones in red. An
//! element or flow with findings gets the colour of its worst residual level and a line that
//! counts its findings by level. Every string from the model is escaped for the target
//! language, and every id is made from the model's id by one injective rule, so the output is
//! valid whatever the labels say and identical from run to run.

use std::fmt::Write as _;

use medtm_engine::Finding;
use medtm_model::Model;
use medtm_model::model::{BoundaryId, ElementId, ElementKind, FlowId, Subject};
use medtm_model::vocab::{RiskLevel, Vocabulary as _};

use crate::Inputs;
use crate::views::{self, Selection, View};

mod dot;
mod mermaid;

/// The view as a Graphviz DOT digraph.
pub fn dot(inputs: &Inputs<'_>, view: View) -> String {
    dot::render(&Layout::new(inputs, view))
}

/// The view as a Mermaid flowchart.
pub fn mermaid(inputs: &Inputs<'_>, view: View) -> String {
    mermaid::render(&Layout::new(inputs, view))
}

/// Findings counted by residual level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Indexed like [`RiskLevel::ALL`]: acceptable, review, unacceptable.
    counts: [usize; 3],
}

impl Tally {
    fn add(&mut self, level: RiskLevel) {
        self.counts[level_index(level)] += 1;
    }

    /// The worst residual level among the findings, if any.
    fn worst(self) -> Option<RiskLevel> {
        RiskLevel::ALL.iter().rev().copied().find(|level| self.counts[level_index(*level)] > 0)
    }

    /// "2 unacceptable, 1 review", worst first; empty without findings.
    pub(crate) fn describe(self) -> String {
        RiskLevel::ALL
            .iter()
            .rev()
            .filter(|level| self.counts[level_index(**level)] > 0)
            .map(|level| format!("{} {}", self.counts[level_index(*level)], level.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The line that marks what has findings: `▲ findings: 2 unacceptable, 1 review`.
    fn badge(self) -> Option<String> {
        let text = self.describe();
        let word = if self.counts.iter().sum::<usize>() == 1 { "finding" } else { "findings" };
        (!text.is_empty()).then(|| format!("{BADGE} {word}: {text}"))
    }
}

fn level_index(level: RiskLevel) -> usize {
    RiskLevel::ALL.iter().position(|l| *l == level).unwrap_or(RiskLevel::ALL.len() - 1)
}

/// The findings on each element, flow and boundary, by residual level. A finding on software
/// counts on every component that runs it.
#[derive(Debug, Clone)]
pub(crate) struct Marks {
    elements: Vec<Tally>,
    flows: Vec<Tally>,
    boundaries: Vec<Tally>,
}

impl Marks {
    pub(crate) fn new(model: &Model, findings: &[Finding]) -> Self {
        let mut marks = Marks {
            elements: vec![Tally::default(); model.elements.len()],
            flows: vec![Tally::default(); model.flows.len()],
            boundaries: vec![Tally::default(); model.boundaries.len()],
        };
        let mut software_users: Vec<Vec<usize>> = vec![Vec::new(); model.software.len()];
        for (index, element) in model.elements.iter().enumerate() {
            for software in element.as_component().map_or(&[][..], |component| &component.software) {
                software_users[software.index()].push(index);
            }
        }
        for finding in findings {
            let level = finding.residual.level;
            match finding.subject {
                Subject::Element(element) => marks.elements[element.index()].add(level),
                Subject::Flow(flow) | Subject::Response(flow) => marks.flows[flow.index()].add(level),
                Subject::Boundary(boundary) => marks.boundaries[boundary.index()].add(level),
                Subject::Software(software) => {
                    for user in &software_users[software.index()] {
                        marks.elements[*user].add(level);
                    }
                }
                Subject::Asset(_) => {}
            }
        }
        marks
    }

    pub(crate) fn element(&self, id: ElementId) -> Tally {
        self.elements[id.index()]
    }

    pub(crate) fn flow(&self, id: FlowId) -> Tally {
        self.flows[id.index()]
    }

    fn boundary(&self, id: BoundaryId) -> Tally {
        self.boundaries[id.index()]
    }
}

/// Colours of the notation.
mod palette {
    pub const UNACCEPTABLE: &str = "#c62828";
    pub const REVIEW: &str = "#e65100";
    pub const LINE: &str = "#546e7a";
    pub const MUTED: &str = "#607d8b";
    pub const NOTE: &str = "#283593";
    pub const HOSTILE_LINE: &str = "#c62828";
    pub const HOSTILE_FILL: &str = "#fdf1f1";
    pub const TRUSTED_LINE: &str = "#1565c0";
    pub const TRUSTED_FILL: &str = "#f2f6fb";
    pub const ACTOR_FILL: &str = "#eceff1";
    pub const COMPONENT_FILL: &str = "#ffffff";
    pub const STORE_FILL: &str = "#fffde7";
}

fn level_colour(level: Option<RiskLevel>) -> Option<&'static str> {
    match level {
        Some(RiskLevel::Unacceptable) => Some(palette::UNACCEPTABLE),
        Some(RiskLevel::Review) => Some(palette::REVIEW),
        Some(RiskLevel::Acceptable) | None => None,
    }
}

/// The selected part of the model, arranged as the tree of boundaries that the diagram draws.
struct Layout<'m> {
    model: &'m Model,
    view: View,
    selection: Selection,
    marks: Marks,
    /// The drawn children of each boundary, and (last) of the diagram itself, in source order.
    children: Vec<Vec<Child>>,
}

/// A child of a boundary (or of the diagram itself): a boundary or an element.
#[derive(Debug, Clone, Copy)]
enum Child {
    Boundary(BoundaryId),
    Element(ElementId),
}

impl<'m> Layout<'m> {
    fn new(inputs: &Inputs<'m>, view: View) -> Self {
        let model = inputs.model;
        let selection = views::selection(inputs, view);
        let mut drawn = vec![view == View::Global; model.boundaries.len()];
        for (index, element) in model.elements.iter().enumerate() {
            if selection.elements[index] {
                for boundary in model.boundary_chain(element.boundary) {
                    drawn[boundary.index()] = true;
                }
            }
        }
        let top = model.boundaries.len();
        let slot = |parent: Option<BoundaryId>| parent.map_or(top, BoundaryId::index);
        let mut children: Vec<Vec<(usize, Child)>> = vec![Vec::new(); top + 1];
        for (index, boundary) in model.boundaries.iter().enumerate() {
            if drawn[index] {
                let child = Child::Boundary(BoundaryId(index as u32));
                children[slot(boundary.parent)].push((boundary.meta.span.start, child));
            }
        }
        for (index, element) in model.elements.iter().enumerate() {
            if selection.elements[index] {
                let child = Child::Element(ElementId(index as u32));
                children[slot(element.boundary)].push((element.meta.span.start, child));
            }
        }
        let children = children
            .into_iter()
            .map(|mut list| {
                list.sort_by_key(|(start, _)| *start);
                list.into_iter().map(|(_, child)| child).collect()
            })
            .collect();
        let marks = Marks::new(model, &inputs.analysis.findings);
        Layout { model, view, selection, marks, children }
    }

    /// The drawn children of a boundary (or of the diagram itself), in the order of the source.
    fn children(&self, parent: Option<BoundaryId>) -> &[Child] {
        &self.children[parent.map_or(self.model.boundaries.len(), BoundaryId::index)]
    }

    fn flows(&self) -> impl Iterator<Item = (FlowId, &'m medtm_model::model::Flow)> + '_ {
        self.model
            .flows
            .iter()
            .enumerate()
            .filter(|(index, _)| self.selection.flows[*index])
            .map(|(index, flow)| (FlowId(index as u32), flow))
    }

    /// Stores drawn with the component that hosts them, as (host, store).
    fn hostings(&self) -> Vec<(ElementId, ElementId)> {
        self.model
            .elements
            .iter()
            .enumerate()
            .filter_map(|(index, element)| {
                let host = element.as_store()?.host?;
                let drawn = self.selection.elements[index] && self.selection.elements[host.index()];
                drawn.then_some((host, ElementId(index as u32)))
            })
            .collect()
    }

    fn title(&self) -> String {
        match &self.model.system {
            Some(system) => format!("{}: {}", system.meta.label, self.view.title()),
            None => self.view.title().to_owned(),
        }
    }

    /// The line under an element's label: `pump · wearable · 40000 units`.
    fn element_detail(&self, id: ElementId) -> String {
        let element = self.model.element(id);
        let kind = match &element.kind {
            ElementKind::Actor(actor) => actor.role.value.as_str().to_owned(),
            ElementKind::Component(component) if component.count.value > 1 => {
                format!("{} · {} units", component.kind.value.as_str(), component.count.value)
            }
            ElementKind::Component(component) => component.kind.value.as_str().to_owned(),
            ElementKind::Store(store) => (if store.encrypted.value { "encrypted" } else { "unencrypted" }).to_owned(),
        };
        format!("{} · {kind}", element.meta.id)
    }

    /// What the view notes about an element, a line each.
    fn element_notes(&self, id: ElementId) -> &[String] {
        &self.selection.element_notes[id.index()]
    }

    /// What the view notes about a flow, a line each.
    fn flow_notes(&self, id: FlowId) -> &[String] {
        &self.selection.flow_notes[id.index()]
    }

    /// The second line of a boundary: `icu · clinical_vlan · hostile`.
    fn boundary_detail(&self, id: BoundaryId) -> String {
        let boundary = self.model.boundary(id);
        let trust = if boundary.hostile.value { "hostile" } else { "trusted" };
        format!("{} · {} · {trust}", boundary.meta.id, boundary.kind.value.as_str())
    }

    /// The lines of a flow's label: name, data, and medium and authentication.
    fn flow_lines(&self, id: FlowId) -> [String; 3] {
        let model = self.model;
        let flow = model.flow(id);
        let name = if flow.named { format!("{}: {}", flow.meta.id, flow.meta.label) } else { flow.meta.label.clone() };
        let data: Vec<&str> = flow.carries.iter().map(|asset| model.asset(*asset).meta.id.as_str()).collect();
        let media: Vec<&str> = flow.media.value.iter().map(|medium| medium.as_str()).collect();
        let mut channel = media.join("/");
        if flow.protocols.is_stated() {
            let protocols: Vec<&str> = flow.protocols.value.iter().map(|protocol| protocol.as_str()).collect();
            let _ = write!(channel, " · {}", protocols.join("/"));
        }
        let _ = write!(channel, " · authn {}", flow.authn.value.as_str());
        [name, data.join(", "), channel]
    }
}

/// How to read a diagram, under its title.
const LEGEND: [&str; 2] = [
    "Boxes: actors. Rounded boxes: components. Lines above and below: stores.",
    "Dashed zones: trust boundaries, red when hostile. Red or orange: residual risk unacceptable or to review.",
];

/// The sign in front of a count of findings.
const BADGE: char = '▲';

/// Width at which labels wrap, in characters.
const WRAP: usize = 30;

/// A label's lines: the model's own line breaks kept, long lines wrapped at word boundaries.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .flat_map(|line| crate::format::wrap(line, WRAP).lines().map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

fn node_name(model: &Model, id: ElementId) -> String {
    format!("e_{}", safe_id(&model.element(id).meta.id))
}

/// An id made of `[a-z0-9_]` and escapes, from any text, by one injective rule: model ids are
/// lower-case `snake_case` and stay as they are; anything else becomes `X` + its code point in
/// upper-case hex + `X`, which no model id can contain.
pub(crate) fn safe_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
            out.push(c);
        } else {
            let _ = write!(out, "X{:X}X", u32::from(c));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_kept_or_escaped_injectively() {
        assert_eq!(safe_id("pump_server"), "pump_server");
        assert_eq!(safe_id("a-b"), "aX2DXb");
        assert_ne!(safe_id("a-b"), safe_id("a_b"));
        assert_eq!(safe_id("\"x\" -> y"), "X22XxX22XX20XX2DXX3EXX20Xy");
    }

    #[test]
    fn labels_keep_their_line_breaks_and_wrap_long_lines() {
        assert_eq!(lines("first\n\n  second  "), vec!["first", "second"]);
        assert_eq!(
            lines("a label that is much longer than thirty characters"),
            vec!["a label that is much longer", "than thirty characters"]
        );
    }
}
