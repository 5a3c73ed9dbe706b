//! What each finding touches, for the page to highlight: the span of its subject's id in the
//! editor (in UTF-16 offsets), and the elements, flows and boundaries of the diagram that take
//! part in it (the subject, a flow's endpoints, and its attack path).

use medtm_engine::Finding;
use medtm_engine::paths::Entry;
use medtm_model::Model;
use medtm_model::model::Subject;
use serde::Serialize;

use crate::offsets::Offsets;

/// One finding's marks, in the order of the report's findings (rank order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingMarks {
    /// The finding's id, `rule-name@subject`.
    pub finding: String,
    /// The subject's id in the model text, in UTF-16 offsets.
    pub from: usize,
    pub to: usize,
    /// Ids of the elements, flows and boundaries to highlight, each sorted and without repeats.
    pub elements: Vec<String>,
    pub flows: Vec<String>,
    pub boundaries: Vec<String>,
}

/// The marks of every finding of an analysis.
pub fn marks(model: &Model, findings: &[Finding], offsets: &Offsets) -> Vec<FindingMarks> {
    findings.iter().map(|finding| finding_marks(model, finding, offsets)).collect()
}

fn finding_marks(model: &Model, finding: &Finding, offsets: &Offsets) -> FindingMarks {
    let mut elements = Vec::new();
    let mut flows = Vec::new();
    let mut boundaries = Vec::new();
    match finding.subject {
        Subject::Element(element) => elements.push(element),
        Subject::Flow(flow) | Subject::Response(flow) => {
            let data = model.flow(flow);
            flows.push(flow);
            elements.extend([data.from, data.to]);
        }
        Subject::Boundary(boundary) => boundaries.push(model.boundary(boundary).meta.id.clone()),
        Subject::Software(software) => elements.extend(model.elements.iter().enumerate().filter_map(|(index, e)| {
            let runs = e.as_component().is_some_and(|component| component.software.contains(&software));
            runs.then_some(medtm_model::model::ElementId(index as u32))
        })),
        Subject::Asset(asset) => {
            for (index, flow) in model.flows.iter().enumerate() {
                if flow.carries.contains(&asset) || flow.response.as_ref().is_some_and(|r| r.carries.contains(&asset)) {
                    flows.push(medtm_model::model::FlowId(index as u32));
                }
            }
            elements.extend(model.elements.iter().enumerate().filter_map(|(index, e)| {
                let holds = e.as_store().is_some_and(|store| store.holds.contains(&asset));
                holds.then_some(medtm_model::model::ElementId(index as u32))
            }));
        }
    }
    if let Some(path) = &finding.attack_path {
        if let Entry::Attacker { actor: element } | Entry::HostileNetwork { element } = path.entry {
            elements.push(element);
        }
        for hop in &path.hops {
            flows.push(hop.flow);
            elements.push(hop.to);
        }
    }
    let mut elements: Vec<String> = elements.into_iter().map(|id| model.element(id).meta.id.clone()).collect();
    let mut flows: Vec<String> = flows.into_iter().map(|id| model.flow(id).meta.id.clone()).collect();
    for ids in [&mut elements, &mut flows, &mut boundaries] {
        ids.sort();
        ids.dedup();
    }
    FindingMarks {
        finding: finding.id.clone(),
        from: offsets.to_utf16(finding.subject_span.start),
        to: offsets.to_utf16(finding.subject_span.end),
        elements,
        flows,
        boundaries,
    }
}
