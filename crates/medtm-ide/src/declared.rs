//! What the model says about a declared id: its common fields (id, label, documentation),
//! where it sits, and which ids a reference of some kinds may name.

use medtm_model::Model;
use medtm_model::model::{Meta, Symbol, SymbolKind};

/// What every declaration of a symbol has, looked up without trusting the index.
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

/// The declarations of the given kinds, in id order: id, kind and label.
pub fn of_kinds<'m>(model: &'m Model, kinds: &[SymbolKind]) -> Vec<(&'m str, SymbolKind, &'m str)> {
    model
        .symbols
        .iter()
        .filter(|(_, symbol)| kinds.contains(&symbol.kind))
        .map(|(id, symbol)| (id.as_str(), symbol.kind, meta(model, *symbol).map_or("", |meta| meta.label.as_str())))
        .collect()
}

/// Where a symbol sits: the boundary around an element or a boundary, the ends of a flow.
pub fn place(model: &Model, symbol: Symbol) -> Option<String> {
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
