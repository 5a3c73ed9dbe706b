//! The checker: AST to typed [`Model`] plus every semantic diagnostic, in one run.
//!
//! It works in three passes so that declaration order never matters:
//! 1. `declare` registers every id (reporting duplicates, invalid ids and misplaced declarations)
//!    and resolves flow endpoints, which fixes flow ids;
//! 2. `lower` reads each declaration's attributes against the schema into typed values;
//! 3. `finish` runs the checks that need the whole model (unused declarations, store hosts,
//!    conflicting decisions) and builds the data-flow graph.
//!
//! A declaration that cannot be made sense of is "poisoned": references to it are dropped without
//! further errors, so one mistake is reported once.

mod declare;
mod lower;
mod suggest;
mod values;

use std::collections::BTreeSet;

use jiff::civil::Date;
use medtm_syntax::ast::{Declaration, File, Keyword};
use medtm_syntax::limits::MAX_DIAGNOSTICS;
use medtm_syntax::{Code, Diagnostic, Span};

use crate::model::{BoundaryId, ElementId, Model};
pub use declare::derived_flow_id;
pub use suggest::closest;

/// The rules the engine knows, so the checker can resolve rule names in `accept`, `transfer` and
/// `mitigates` without depending on the engine.
pub trait RuleCatalog {
    /// The canonical name of the rule called `name_or_code`, if there is one.
    fn resolve(&self, name_or_code: &str) -> Option<&'static str>;
    /// Every rule name, for suggestions.
    fn names(&self) -> Vec<&'static str>;
}

/// What checking needs besides the file.
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckOptions {
    /// Today's date, to warn about acceptances past their review date; `None` skips that check
    /// (the checker itself never reads the clock).
    pub today: Option<Date>,
}

/// Checks a parsed file and builds its model. Never panics.
pub fn check(file: &File, rules: &dyn RuleCatalog, options: CheckOptions) -> (Model, Vec<Diagnostic>) {
    let mut builder = Builder {
        rules,
        options,
        model: Model::default(),
        diagnostics: Vec::new(),
        poisoned: BTreeSet::new(),
        suggested: BTreeSet::new(),
        pending: Vec::new(),
        counts: Counts::default(),
        flow_directions: Vec::new(),
        recovered: file.recovered,
    };
    builder.declare_all(&file.declarations);
    builder.lower_all();
    builder.finish();
    let mut diagnostics = builder.diagnostics;
    if diagnostics.len() > MAX_DIAGNOSTICS {
        medtm_syntax::diagnostic::sort_diagnostics(&mut diagnostics);
        let first_dropped = diagnostics[MAX_DIAGNOSTICS].span;
        diagnostics.truncate(MAX_DIAGNOSTICS);
        diagnostics.push(
            Diagnostic::new(
                Code::TooManyErrors,
                Span::at(first_dropped.start),
                format!("more than {MAX_DIAGNOSTICS} problems; the rest are not reported"),
            )
            .with_label("reporting stopped here")
            .with_help("fix the first problems and check again"),
        );
    }
    (builder.model, diagnostics)
}

/// A declaration waiting for pass 2. Pass 1 gave it its index by counting; pass 2 pushes every
/// pending declaration to its arena in the same order, so the indices agree.
#[derive(Debug, Clone)]
enum Pending<'a> {
    System(&'a Declaration),
    Asset(&'a Declaration),
    Boundary(&'a Declaration, Option<BoundaryId>),
    Element(&'a Declaration, Keyword, Option<BoundaryId>),
    Flow(&'a Declaration, FlowEnds),
    /// A flow whose endpoints did not resolve: its attributes are checked, it joins no model.
    BrokenFlow(&'a Declaration),
    Software(&'a Declaration),
    Control(&'a Declaration),
    Decision(&'a Declaration),
    Assumption(&'a Declaration),
    RiskMatrix(&'a Declaration),
}

/// A flow's resolved id and endpoints.
#[derive(Debug, Clone)]
struct FlowEnds {
    id: String,
    id_span: Span,
    from: ElementId,
    to: ElementId,
}

/// How many entries pass 1 allotted to each arena.
#[derive(Debug, Default)]
struct Counts {
    assets: u32,
    boundaries: u32,
    elements: u32,
    flows: u32,
    software: u32,
    controls: u32,
    assumptions: u32,
}

struct Builder<'a> {
    rules: &'a dyn RuleCatalog,
    options: CheckOptions,
    model: Model,
    diagnostics: Vec<Diagnostic>,
    /// Ids whose declarations are broken; references to them are dropped silently.
    poisoned: BTreeSet<String>,
    /// Ids offered as "did you mean" for a misspelt reference: they are not reported as unused,
    /// since the fix of the misspelling uses them.
    suggested: BTreeSet<String>,
    pending: Vec<Pending<'a>>,
    counts: Counts,
    /// The direction of each flow that joins the model, by index, known from pass 1 so that a
    /// decision about a response leg can be checked wherever the flow is declared.
    flow_directions: Vec<medtm_syntax::ast::Direction>,
    /// Whether the parser skipped declarations: whole-model warnings would be guesses then.
    recovered: bool,
}

impl Builder<'_> {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Whether a flow is `<->`; `None` for an index pass 1 did not register.
    fn flow_is_both_ways(&self, flow: crate::model::FlowId) -> Option<bool> {
        self.flow_directions.get(flow.index()).map(|direction| *direction == medtm_syntax::ast::Direction::BothWays)
    }
}

#[cfg(test)]
mod tests;
