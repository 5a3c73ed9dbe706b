//! Small text helpers shared by the renderers.

use crate::dto::{Summary, SystemSummary};

/// Wraps prose at `width` columns, keeping words whole (rule documentation and explanations are
/// written as long lines).
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out
}

/// "2 unacceptable, 5 review, 3 acceptable"
pub fn level_counts(summary: &Summary) -> String {
    format!("{} unacceptable, {} review, {} acceptable", summary.unacceptable, summary.review, summary.acceptable)
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

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(wrap("one two three four", 9), "one two\nthree\nfour");
        assert_eq!(wrap("", 9), "");
    }
}
