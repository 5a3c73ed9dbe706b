//! The medtm engine: threat rules over the typed model, CVSS scoring, risk levels, controls,
//! attack paths and ranking. Pure: no file system, terminal or environment; the same code runs in
//! the CLI, the language server and the browser.

pub mod analysis;
pub mod attack_graph;
pub mod bindings;
pub mod context;
pub mod controls;
pub mod paths;
pub mod pipeline;
pub mod risks;
pub mod rule;
pub mod rules;
pub mod scoring;

use medtm_model::{Model, RuleCatalog};

pub use analysis::{Analysis, AnalysisOptions, Finding, Status, analyse};
pub use pipeline::{Checked, analyse_text, analyse_text_despite_errors, check_bytes, check_text};
pub use risks::Risk;
pub use rule::{Family, Hit, Rule, Stride};

/// A hash map for the analysis's lookups (by subject, control, metrics): a hundred thousand
/// findings look up several each, and foldhash takes a fraction of the default hasher's time.
/// The analysis never iterates one for output, and the fixed seed keeps even that deterministic.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// The rules, as the checker sees them: names and codes that `accept`, `transfer` and
/// `mitigates` may use.
#[derive(Debug, Clone, Copy, Default)]
pub struct Catalog;

impl RuleCatalog for Catalog {
    fn resolve(&self, name_or_code: &str) -> Option<&'static str> {
        rules::RULES
            .iter()
            .find(|rule| rule.name == name_or_code || rule.code.eq_ignore_ascii_case(name_or_code))
            .map(|rule| rule.name)
    }

    fn names(&self) -> Vec<&'static str> {
        rules::RULES.iter().map(|rule| rule.name).collect()
    }
}

/// Looks a rule up by name or code.
pub fn rule(name_or_code: &str) -> Option<&'static Rule> {
    rules::RULES.iter().copied().find(|rule| rule.name == name_or_code || rule.code.eq_ignore_ascii_case(name_or_code))
}

/// Runs every rule over the model: each hit with its rule, in rule order then hit order.
/// `today` is the date of the analysis (for support dates).
pub fn run_rules(model: &Model, today: Option<jiff::civil::Date>) -> Vec<(&'static Rule, Hit)> {
    let context = context::RuleContext::new(model, today);
    let mut found = Vec::new();
    for rule in rules::RULES {
        let mut hits = rule::Hits::default();
        (rule.check)(&context, &mut hits);
        found.extend(hits.into_vec().into_iter().map(|hit| (*rule, hit)));
    }
    found
}
