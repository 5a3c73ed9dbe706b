//! Small text helpers shared by the renderers.

use crate::dto::{RuleReport, Summary, SystemSummary};

/// Wraps prose at `width` columns, keeping words whole (rule documentation and explanations are
/// written as long lines).
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    push_wrapped_at(&mut out, text, "", "", width);
    out.pop();
    out
}

/// Appends `text` wrapped at 100 columns (counting the prefixes), with a first-line prefix, a
/// continuation prefix and a final newline. Writes straight into `out`: large reports have
/// hundreds of thousands of fields.
pub fn push_wrapped(out: &mut String, text: &str, first: &str, rest: &str) {
    let width = 100usize.saturating_sub(first.chars().count()).max(40);
    push_wrapped_at(out, text, first, rest, width);
}

fn push_wrapped_at(out: &mut String, text: &str, first: &str, rest: &str, width: usize) {
    out.push_str(first);
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            out.push_str(rest);
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out.push('\n');
}

/// "2 unacceptable, 5 review, 3 acceptable (residual); 4 open, 1 mitigated, ...; 2 multi-patient"
pub fn summary_counts(summary: &Summary) -> String {
    format!(
        "{} unacceptable, {} review, {} acceptable (residual); {} open, {} mitigated, {} partially mitigated, {} accepted, {} transferred; {} multi-patient",
        summary.unacceptable,
        summary.review,
        summary.acceptable,
        summary.open,
        summary.mitigated,
        summary.partially_mitigated,
        summary.accepted,
        summary.transferred,
        summary.multi_patient
    )
}

/// "6 assets, 3 actors, 1 store, ..." with singulars where they belong.
pub fn element_counts(system: &SystemSummary) -> String {
    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    [
        count(system.assets, "asset", "assets"),
        count(system.actors, "actor", "actors"),
        count(system.components, "component", "components"),
        count(system.stores, "store", "stores"),
        count(system.flows, "flow", "flows"),
        count(system.boundaries, "boundary", "boundaries"),
        count(system.controls, "control", "controls"),
    ]
    .join(", ")
}

/// A rule's CWE, CAPEC and ATT&CK references, as written in reports.
pub fn references(rule: &RuleReport) -> Vec<String> {
    let mut refs = rule.cwe.clone();
    refs.extend(rule.capec.iter().cloned());
    refs.extend(rule.attack_techniques.iter().map(|technique| format!("ATT&CK {technique}")));
    refs
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(wrap("one two three four", 9), "one two\nthree\nfour");
        assert_eq!(wrap("", 9), "");
    }
}
