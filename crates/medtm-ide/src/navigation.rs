//! Ids across the file: where each is declared and referred to, for go to definition, find
//! references, highlights and rename. Declarations come from the syntax tree (so a duplicate
//! declaration is found too), references from the checker, which resolved every one.

use medtm_model::Model;
use medtm_model::check::derived_flow_id;
use medtm_syntax::Span;
use medtm_syntax::ast::{Declaration, File, Header};

/// One place an id appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Occurrence {
    /// Where it is declared: `component pump`, `flow bolus: ...`.
    Declaration(Span),
    /// An unnamed flow, whose id is derived from its ends: `span` covers `from -> to`.
    UnnamedFlow(Span),
    /// Where it is referred to.
    Reference(Span),
}

impl Occurrence {
    pub fn span(self) -> Span {
        match self {
            Occurrence::Declaration(span) | Occurrence::UnnamedFlow(span) | Occurrence::Reference(span) => span,
        }
    }

    pub fn is_declaration(self) -> bool {
        !matches!(self, Occurrence::Reference(_))
    }
}

/// Every occurrence of `id`, in source order.
pub fn occurrences(file: &File, model: &Model, id: &str) -> Vec<Occurrence> {
    let mut found = Vec::new();
    let mut stack: Vec<&Declaration> = file.declarations.iter().collect();
    while let Some(declaration) = stack.pop() {
        match &declaration.header {
            Header::Element { id: declared, .. } if declared.name == id => {
                found.push(Occurrence::Declaration(declared.span));
            }
            Header::Flow { name: Some(name), .. } if name.name == id => found.push(Occurrence::Declaration(name.span)),
            _ => {}
        }
        stack.extend(declaration.children());
    }
    found.extend(
        model
            .flows
            .iter()
            .filter(|flow| !flow.named && flow.meta.id == id)
            .map(|flow| Occurrence::UnnamedFlow(flow.meta.id_span)),
    );
    found.extend(
        model
            .references
            .iter()
            .filter(|reference| reference.target == id)
            .map(|reference| Occurrence::Reference(reference.span)),
    );
    found.sort_by_key(|occurrence| (occurrence.span(), *occurrence));
    found.dedup();
    found
}

/// Where `id` is declared: the declaration the checker registered, else the first one written.
pub fn definition(file: &File, model: &Model, id: &str) -> Option<Span> {
    model
        .lookup(id)
        .map(|symbol| symbol.span)
        .or_else(|| occurrences(file, model, id).into_iter().find(|o| o.is_declaration()).map(Occurrence::span))
}

/// Whether `name` can be an id: `snake_case`, starting with a letter, and not a word that reads
/// as another value.
pub fn is_valid_id(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !matches!(name, "true" | "false")
}

/// The edits that rename `old` to `new` everywhere: its declarations and references; an unnamed
/// flow gets the new name written in (`flow new: a -> b`); and references to unnamed flows whose
/// derived id contains `old` follow the new derived id. Edits are sorted and never overlap.
pub fn rename(file: &File, model: &Model, old: &str, new: &str) -> Result<Vec<(Span, String)>, String> {
    if !is_valid_id(new) {
        return Err(format!(
            "`{new}` is not a valid id: ids are snake_case (lower-case letters, digits and `_`, starting with a letter)"
        ));
    }
    let occurrences = occurrences(file, model, old);
    if !occurrences.iter().any(|occurrence| occurrence.is_declaration()) {
        return Err(format!("`{old}` is not declared in this file, so there is nothing to rename"));
    }
    if new == old {
        return Ok(Vec::new());
    }
    if let Some(symbol) = model.lookup(new) {
        return Err(format!("`{new}` is already declared (as {}); ids are unique", symbol.kind.with_article()));
    }
    let mut edits: Vec<(Span, String)> = occurrences
        .into_iter()
        .map(|occurrence| match occurrence {
            Occurrence::Declaration(span) | Occurrence::Reference(span) => (span, new.to_owned()),
            Occurrence::UnnamedFlow(span) => (Span::at(span.start), format!("{new}: ")),
        })
        .collect();
    for flow in model.flows.iter().filter(|flow| !flow.named) {
        let (Some(from), Some(to)) = (model.elements.get(flow.from.index()), model.elements.get(flow.to.index()))
        else {
            continue;
        };
        let end = |id: &str| if id == old { new.to_owned() } else { id.to_owned() };
        if from.meta.id != old && to.meta.id != old {
            continue;
        }
        let derived = derived_flow_id(&end(&from.meta.id), &end(&to.meta.id));
        edits.extend(
            model
                .references
                .iter()
                .filter(|reference| reference.target == flow.meta.id)
                .map(|reference| (reference.span, derived.clone())),
        );
    }
    edits.sort_by_key(|(span, _)| (span.start, span.end));
    edits.dedup_by_key(|(span, _)| *span);
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = "component app { kind: mobile_app }\ncomponent pump { kind: wearable }\n\
        asset cmd { kind: therapy }\nflow app -> pump { carries: [cmd] }\n\
        control c { category: authentication, covers: [app_to_pump, app] }\n";

    fn renamed(old: &str, new: &str) -> Result<String, String> {
        let checked = medtm_engine::check_text(MODEL, medtm_model::CheckOptions::default());
        let edits = rename(&checked.file, &checked.model, old, new)?;
        let mut text = MODEL.to_owned();
        for (span, replacement) in edits.iter().rev() {
            text.replace_range(span.start..span.end, replacement);
        }
        Ok(text)
    }

    #[test]
    fn renames_declarations_references_and_derived_flow_ids() {
        let text = renamed("app", "phone_app").unwrap_or_default();
        assert!(text.starts_with("component phone_app {"), "{text}");
        assert!(text.contains("flow phone_app -> pump"), "{text}");
        assert!(text.contains("covers: [phone_app_to_pump, phone_app]"), "{text}");
        let checked = medtm_engine::check_text(&text, medtm_model::CheckOptions::default());
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    }

    #[test]
    fn names_an_unnamed_flow() {
        let text = renamed("app_to_pump", "bolus").unwrap_or_default();
        assert!(text.contains("flow bolus: app -> pump"), "{text}");
        assert!(text.contains("covers: [bolus, app]"), "{text}");
    }

    #[test]
    fn rejects_bad_names() {
        assert!(renamed("app", "Phone").unwrap_err().contains("not a valid id"));
        assert!(renamed("app", "true").is_err());
        assert!(renamed("app", "pump").unwrap_err().contains("already declared (as a component)"));
        assert!(renamed("nothing", "x").unwrap_err().contains("not declared"));
    }
}
