//! Hover: what a keyword, attribute, word or rule means for the analysis (the text of
//! `medtm explain`), and for an id, its declaration and the findings on it.

use std::fmt::Write as _;

use medtm_engine::Finding;
use medtm_model::Model;
use medtm_model::model::{AssetId, Meta, Symbol, SymbolKind};
use medtm_report::explain;

use crate::document::Analysed;
use crate::locate::{Located, Target};

/// Findings listed in a hover before the rest are counted.
const MAX_FINDINGS: usize = 10;

/// The hover text, in Markdown, for what is at `offset`.
pub fn hover(analysed: &Analysed, offset: usize) -> Option<(String, Located)> {
    let checked = &analysed.checked;
    let located = crate::locate::at(&checked.file, &checked.model, offset)?;
    let text = match &located.target {
        Target::Keyword(keyword) => fenced(&explain::explain(keyword.as_str()).ok()?),
        Target::Attribute { keyword, spec } => fenced(&explain::explain(&format!("{keyword}.{}", spec.name)).ok()?),
        Target::Word { word, .. } => fenced(&explain::explain(word).ok()?),
        Target::Unknown => fenced(&explain::explain(medtm_model::vocab::UNKNOWN).ok()?),
        Target::Rule(name) => fenced(&explain::explain_rule(medtm_engine::rule(name)?)),
        Target::Flag(flag) => format!("**{}**: {} Default: `{}`.", flag.name, flag.meaning, flag.default),
        Target::Id(id) => declaration(analysed, id)?,
    };
    Some((text, located))
}

fn fenced(text: &str) -> String {
    format!("```text\n{}\n```", text.trim_end())
}

/// An id's declaration (kind, label, where it sits) and its findings.
fn declaration(analysed: &Analysed, id: &str) -> Option<String> {
    let model = &analysed.checked.model;
    let symbol = model.lookup(id)?;
    let meta = meta(model, symbol)?;
    let mut out = format!("{} `{id}`", symbol.kind.as_str());
    if meta.label != meta.id {
        let _ = write!(out, ": {}", meta.label);
    }
    out.push('\n');
    if let Some(place) = place(model, symbol) {
        let _ = write!(out, "\n{place}\n");
    }
    if let Some(doc) = &meta.doc {
        let _ = write!(out, "\n{}\n", doc.trim());
    }
    let Some(analysis) = &analysed.checked.analysis else {
        out.push_str("\n*Findings appear once the model has no errors.*");
        return Some(out);
    };
    let findings: Vec<&Finding> = match symbol.kind {
        SymbolKind::Asset => {
            analysis.findings.iter().filter(|finding| finding.assets.contains(&AssetId(symbol.index))).collect()
        }
        _ => analysis.findings.iter().filter(|finding| model.subject_id(finding.subject) == id).collect(),
    };
    let about = if symbol.kind == SymbolKind::Asset { "involving it" } else { "on it" };
    if findings.is_empty() {
        let _ = write!(out, "\nNo findings {about}.");
        return Some(out);
    }
    let _ = writeln!(out, "\n**{} finding{} {about}**\n", findings.len(), if findings.len() == 1 { "" } else { "s" });
    for finding in findings.iter().take(MAX_FINDINGS) {
        let subject_id = model.subject_id(finding.subject);
        let subject = if subject_id == id { String::new() } else { format!(" on `{subject_id}`") };
        let _ = writeln!(
            out,
            "- #{} **{}** residual, {}: `{}` {}{subject}: {}.",
            finding.rank,
            finding.residual.level,
            finding.status.as_str(),
            finding.rule.code,
            finding.rule.name,
            finding.explanation
        );
    }
    if findings.len() > MAX_FINDINGS {
        let _ = writeln!(out, "- and {} more", findings.len() - MAX_FINDINGS);
    }
    Some(out.trim_end().to_owned())
}

/// What every declaration of a symbol has, looked up without trusting the index.
pub(crate) fn meta(model: &Model, symbol: Symbol) -> Option<&Meta> {
    let index = symbol.index as usize;
    match symbol.kind {
        SymbolKind::System => model.system.as_ref().map(|system| &system.meta),
        SymbolKind::Asset => model.assets.get(index).map(|asset| &asset.meta),
        SymbolKind::Actor | SymbolKind::Component | SymbolKind::Store => {
            model.elements.get(index).map(|element| &element.meta)
        }
        SymbolKind::Boundary => model.boundaries.get(index).map(|boundary| &boundary.meta),
        SymbolKind::Software => model.software.get(index).map(|software| &software.meta),
        SymbolKind::Flow => model.flows.get(index).map(|flow| &flow.meta),
        SymbolKind::Control => model.controls.get(index).map(|control| &control.meta),
        SymbolKind::Assumption => model.assumptions.get(index).map(|assumption| &assumption.meta),
        SymbolKind::RiskMatrix => model.risk_matrix.as_ref().map(|matrix| &matrix.meta),
    }
}

/// Where a symbol sits: the boundary around an element or a boundary, the ends of a flow.
fn place(model: &Model, symbol: Symbol) -> Option<String> {
    let index = symbol.index as usize;
    let boundary = match symbol.kind {
        SymbolKind::Actor | SymbolKind::Component | SymbolKind::Store => model.elements.get(index)?.boundary,
        SymbolKind::Boundary => model.boundaries.get(index)?.parent,
        SymbolKind::Flow => {
            let flow = model.flows.get(index)?;
            let (from, to) = (model.elements.get(flow.from.index())?, model.elements.get(flow.to.index())?);
            return Some(format!(
                "from {} `{}` {} {} `{}`",
                from.kind_name(),
                from.meta.id,
                flow.direction.arrow(),
                to.kind_name(),
                to.meta.id
            ));
        }
        _ => return None,
    };
    Some(match boundary.and_then(|id| model.boundaries.get(id.index())) {
        Some(boundary) if boundary.meta.label != boundary.meta.id => {
            format!("in boundary `{}` ({})", boundary.meta.id, boundary.meta.label)
        }
        Some(boundary) => format!("in boundary `{}`", boundary.meta.id),
        None => "outside any boundary".to_owned(),
    })
}
