//! Pass 1: register every id, check where declarations stand, and resolve flow endpoints (which
//! fixes the ids of unnamed flows).

use medtm_syntax::ast::{Declaration, Header, Ident, Keyword};
use medtm_syntax::{Code, Diagnostic, Span};

use super::suggest::closest;
use super::{Builder, FlowEnds, Pending};
use crate::model::{BoundaryId, ElementId, Symbol, SymbolKind};
use crate::schema;

impl<'a> Builder<'a> {
    pub(super) fn declare_all(&mut self, declarations: &'a [Declaration]) {
        let mut flows = Vec::new();
        // An explicit stack rather than recursion: nesting is bounded by the parser's limit, but
        // a loop keeps this pass obviously safe.
        let mut stack: Vec<(&'a Declaration, Option<Keyword>, Option<BoundaryId>)> =
            declarations.iter().rev().map(|declaration| (declaration, None, None)).collect();
        while let Some((declaration, parent, boundary)) = stack.pop() {
            let inner_boundary = self.declare(declaration, parent, boundary, &mut flows);
            let keyword = declaration.keyword();
            for child in declaration.children().collect::<Vec<_>>().into_iter().rev() {
                stack.push((child, keyword.or(Some(Keyword::Boundary)), inner_boundary.or(boundary)));
            }
        }
        for declaration in flows {
            self.declare_flow(declaration);
        }
    }

    /// Declares one declaration; returns the boundary it opens, if it is a boundary.
    fn declare(
        &mut self,
        declaration: &'a Declaration,
        parent: Option<Keyword>,
        boundary: Option<BoundaryId>,
        flows: &mut Vec<&'a Declaration>,
    ) -> Option<BoundaryId> {
        let keyword = match &declaration.header {
            Header::Unknown { keyword, words } => {
                self.unknown_keyword(keyword, words, parent);
                if let Some(id) = words.first() {
                    self.poisoned.insert(id.name.clone());
                }
                return None;
            }
            Header::Element { keyword, .. } | Header::Decision { keyword, .. } => *keyword,
            Header::Flow { .. } => Keyword::Flow,
        };
        if let Some(parent) = parent
            && !schema::may_contain(parent, keyword)
        {
            let help = if parent == Keyword::Boundary {
                format!("declare the {keyword} at the top level")
            } else {
                format!("only boundaries hold declarations; declare the {keyword} at the top level")
            };
            self.push(
                Diagnostic::new(
                    Code::MisplacedDeclaration,
                    declaration.keyword_span(),
                    format!("a {keyword} cannot be declared inside a {parent}"),
                )
                .with_label("not allowed here")
                .with_help(help),
            );
        }
        match &declaration.header {
            Header::Flow { .. } => {
                flows.push(declaration);
                None
            }
            Header::Decision { .. } => {
                self.pending.push(Pending::Decision(declaration));
                None
            }
            Header::Element { id, .. } => self.declare_element(declaration, keyword, id, boundary),
            Header::Unknown { .. } => None,
        }
    }

    fn declare_element(
        &mut self,
        declaration: &'a Declaration,
        keyword: Keyword,
        id: &Ident,
        boundary: Option<BoundaryId>,
    ) -> Option<BoundaryId> {
        let kind = schema::symbol_kind(keyword)?;
        self.check_id(id);
        if matches!(kind, SymbolKind::System | SymbolKind::RiskMatrix)
            && let Some(first) = self.model.symbols.values().find(|symbol| symbol.kind == kind)
        {
            let first = first.span;
            self.push(
                Diagnostic::new(Code::DuplicateSingleton, id.span, format!("a model has one {}", kind.as_str()))
                    .with_label(format!("second {}", kind.as_str()))
                    .with_related(first, "the first is declared here")
                    .with_help(format!("merge the two, or split the model into one file per {}", kind.as_str())),
            );
            self.poisoned.insert(id.name.clone());
            return None;
        }
        let index = match kind {
            SymbolKind::Asset => self.counts.assets,
            SymbolKind::Boundary => self.counts.boundaries,
            SymbolKind::Actor | SymbolKind::Component | SymbolKind::Store => self.counts.elements,
            SymbolKind::Software => self.counts.software,
            SymbolKind::Control => self.counts.controls,
            SymbolKind::Assumption => self.counts.assumptions,
            SymbolKind::System | SymbolKind::RiskMatrix | SymbolKind::Flow => 0,
        };
        if !self.register(&id.name, Symbol { kind, index, span: id.span }) {
            return None;
        }
        match kind {
            SymbolKind::Asset => self.counts.assets += 1,
            SymbolKind::Boundary => self.counts.boundaries += 1,
            SymbolKind::Actor | SymbolKind::Component | SymbolKind::Store => self.counts.elements += 1,
            SymbolKind::Software => self.counts.software += 1,
            SymbolKind::Control => self.counts.controls += 1,
            SymbolKind::Assumption => self.counts.assumptions += 1,
            SymbolKind::System | SymbolKind::RiskMatrix | SymbolKind::Flow => {}
        }
        let pending = match kind {
            SymbolKind::System => Pending::System(declaration),
            SymbolKind::Asset => Pending::Asset(declaration),
            SymbolKind::Boundary => Pending::Boundary(declaration, boundary),
            SymbolKind::Actor | SymbolKind::Component | SymbolKind::Store => {
                Pending::Element(declaration, keyword, boundary)
            }
            SymbolKind::Software => Pending::Software(declaration),
            SymbolKind::Control => Pending::Control(declaration),
            SymbolKind::Assumption => Pending::Assumption(declaration),
            SymbolKind::RiskMatrix => Pending::RiskMatrix(declaration),
            SymbolKind::Flow => return None,
        };
        self.pending.push(pending);
        (kind == SymbolKind::Boundary).then_some(BoundaryId(index))
    }

    fn declare_flow(&mut self, declaration: &'a Declaration) {
        let Header::Flow { name, from, to, direction, .. } = &declaration.header else { return };
        if let Some(name) = name {
            self.check_id(name);
        }
        let from_symbol = self.resolve(&from.name, from.span, schema::ELEMENT_KINDS, "a flow's source");
        let to_symbol = self.resolve(&to.name, to.span, schema::ELEMENT_KINDS, "a flow's target");
        let (Some(from_symbol), Some(to_symbol)) = (from_symbol, to_symbol) else {
            if let Some(name) = name {
                self.poisoned.insert(name.name.clone());
            }
            self.pending.push(Pending::BrokenFlow(declaration));
            return;
        };
        if from_symbol == to_symbol {
            self.push(
                Diagnostic::new(
                    Code::FlowToItself,
                    from.span.cover(to.span),
                    format!("flow from `{}` to itself", from.name),
                )
                .with_label("source and target are the same")
                .with_help(
                    "a flow connects two elements; model an internal interface as an `ipc` flow between two components",
                ),
            );
            if let Some(name) = name {
                self.poisoned.insert(name.name.clone());
            }
            self.pending.push(Pending::BrokenFlow(declaration));
            return;
        }
        let index = self.counts.flows;
        let (id, id_span) = match name {
            Some(name) => (name.name.clone(), name.span),
            None => (derived_flow_id(&from.name, &to.name), from.span.cover(to.span)),
        };
        let registered = match name {
            Some(_) => self.register(&id, Symbol { kind: SymbolKind::Flow, index, span: id_span }),
            None => self.register_derived_flow(&from.name, &to.name, id_span, index),
        };
        if registered {
            self.counts.flows += 1;
            self.flow_directions.push(*direction);
            let ends = FlowEnds { id, id_span, from: ElementId(from_symbol.index), to: ElementId(to_symbol.index) };
            self.pending.push(Pending::Flow(declaration, ends));
        } else {
            self.pending.push(Pending::BrokenFlow(declaration));
        }
    }

    fn register_derived_flow(&mut self, from: &str, to: &str, span: Span, index: u32) -> bool {
        let id = derived_flow_id(from, to);
        if let Some(existing) = self.model.symbols.get(&id) {
            let existing = *existing;
            let what = if existing.kind == SymbolKind::Flow {
                "another unnamed flow".to_owned()
            } else {
                existing.kind.with_article()
            };
            self.push(
                Diagnostic::new(
                    Code::ClashingFlowIds,
                    span,
                    format!("this flow's id `{id}` is already taken by {what}"),
                )
                .with_label(format!("would be called `{id}`"))
                .with_related(existing.span, format!("`{id}` is taken here"))
                .with_help(format!("name the flows so each has its own id: `flow {from}_{to}_data: {from} -> {to}`")),
            );
            return false;
        }
        self.model.symbols.insert(id, Symbol { kind: SymbolKind::Flow, index, span });
        true
    }

    /// Adds a symbol; reports a duplicate (pointing at both places) and returns false if taken.
    fn register(&mut self, id: &str, symbol: Symbol) -> bool {
        if let Some(first) = self.model.symbols.get(id) {
            let first = *first;
            self.push(
                Diagnostic::new(Code::DuplicateId, symbol.span, format!("`{id}` is declared twice"))
                    .with_label(format!("declared again here as {}", symbol.kind.with_article()))
                    .with_related(first.span, format!("first declared here as {}", first.kind.with_article()))
                    .with_help("ids are unique across the whole model; rename one of them"),
            );
            return false;
        }
        self.model.symbols.insert(id.to_owned(), symbol);
        true
    }

    /// Ids are `snake_case`; anything else is reported with the snake_case spelling as a fix.
    fn check_id(&mut self, id: &Ident) {
        let name = id.name.as_str();
        let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if valid {
            return;
        }
        let fixed = snake_case(name);
        self.push(
            Diagnostic::new(Code::InvalidId, id.span, format!("`{name}` is not a snake_case id"))
                .with_label("ids are lower-case letters, digits and `_`, starting with a letter")
                .with_help(format!("write `{fixed}`"))
                .with_fix(format!("Rename to `{fixed}`"), id.span, fixed),
        );
    }

    fn unknown_keyword(&mut self, keyword: &Ident, words: &[Ident], parent: Option<Keyword>) {
        let word = keyword.name.as_str();
        // Inside a block, a known attribute name followed by a value is an attribute missing its
        // colon, not a declaration.
        if let Some(parent) = parent
            && schema::attribute(parent, word).is_some()
        {
            self.push(
                Diagnostic::new(Code::MissingColon, keyword.span, format!("missing `:` after `{word}`"))
                    .with_label("attribute name without `:`")
                    .with_help(format!("write `{word}: {}`", words.first().map_or("value", |w| w.name.as_str())))
                    .with_fix("Insert `:`", Span::at(keyword.span.end), ":"),
            );
            return;
        }
        let keywords = Keyword::ALL.iter().map(|k| k.as_str());
        let mut diagnostic = Diagnostic::new(Code::UnknownKeyword, keyword.span, format!("unknown keyword `{word}`"))
            .with_label("not a keyword");
        diagnostic = if let Some(suggestion) = closest(word, keywords) {
            diagnostic.with_help(format!("did you mean `{suggestion}`?")).with_fix(
                format!("Change to `{suggestion}`"),
                keyword.span,
                suggestion,
            )
        } else {
            let inside = parent.map(|p| schema::attributes(p).iter().map(|s| s.name).collect::<Vec<_>>());
            match inside.as_deref().and_then(|names| closest(word, names.iter().copied())) {
                Some(attribute) => diagnostic
                    .with_help(format!("did you mean the attribute `{attribute}:`?"))
                    .with_fix(format!("Change to `{attribute}:`"), keyword.span, format!("{attribute}:")),
                None => diagnostic.with_help(format!(
                    "declarations start with one of: {}",
                    Keyword::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
                )),
            }
        };
        self.push(diagnostic);
    }
}

/// The id of an unnamed flow: `from_to_to`.
pub fn derived_flow_id(from: &str, to: &str) -> String {
    format!("{from}_to_{to}")
}

fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (index, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if index > 0 && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let trimmed = out.trim_matches('_');
    if trimmed.starts_with(|c: char| c.is_ascii_lowercase()) { trimmed.to_owned() } else { format!("id_{trimmed}") }
}

#[cfg(test)]
mod tests {
    use super::snake_case;

    #[test]
    fn suggests_snake_case() {
        assert_eq!(snake_case("PumpServer"), "pump_server");
        assert_eq!(snake_case("pump-server"), "pump_server");
        assert_eq!(snake_case("_x"), "x");
        assert_eq!(snake_case("Win2012"), "win2012");
    }
}
