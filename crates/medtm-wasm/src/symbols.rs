//! The model's declarations by id, for completion and hover: what each id is called, and which
//! ids a reference may name.

use std::fmt::Write as _;

use medtm_model::Model;
use medtm_model::model::{Meta, Symbol, SymbolKind};

/// The id, label and documentation of a declared symbol.
pub fn meta(model: &Model, symbol: Symbol) -> Option<&Meta> {
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

/// The declarations of the given kinds, in id order, with their labels.
pub fn of_kinds<'m>(model: &'m Model, kinds: &[SymbolKind]) -> Vec<(&'m str, SymbolKind, &'m str)> {
    model
        .symbols
        .iter()
        .filter(|(_, symbol)| kinds.contains(&symbol.kind))
        .map(|(id, symbol)| (id.as_str(), symbol.kind, meta(model, *symbol).map_or("", |meta| meta.label.as_str())))
        .collect()
}

/// What hovering over a declared id shows: its kind, id and label, and its documentation.
pub fn describe(model: &Model, id: &str) -> Option<String> {
    let symbol = *model.symbols.get(id)?;
    let meta = meta(model, symbol)?;
    let mut text = format!("{} {id}", symbol.kind.as_str());
    if meta.label != meta.id {
        let _ = write!(text, " \"{}\"", meta.label);
    }
    if let Some(doc) = &meta.doc {
        text.push_str("\n\n");
        text.push_str(doc);
    }
    Some(text)
}
