//! Small pieces of markup shared by the sections: level badges, prose with `code` spans, CVSS
//! vectors that wrap, and the sort keys the page's script reads.
//!
//! Every string goes through maud, which escapes `&`, `<`, `>` and `"` (attribute values are
//! always double-quoted), so text from the model can only ever show as text.

use maud::{Markup, html};
use medtm_engine::Status;
use medtm_model::vocab::{Harm, RiskLevel, Vocabulary as _};

/// A risk level as a CSS class name: a fixed word, whatever the input.
pub fn level_word(level: &str) -> &'static str {
    match level {
        "unacceptable" => "unacceptable",
        "review" => "review",
        "acceptable" => "acceptable",
        _ => "unknown",
    }
}

/// A risk level as a badge: coloured, and filled or outlined so that it reads in greyscale too.
pub fn level(level: &str) -> Markup {
    html! { span.level.(level_word(level)) { (level) } }
}

/// Where a level sorts: acceptable first, unknown words last.
pub fn level_rank(level: &str) -> usize {
    RiskLevel::ALL.iter().position(|known| known.as_str() == level).unwrap_or(RiskLevel::ALL.len())
}

/// Where a harm sorts: no patient harm first, then negligible to catastrophic.
pub fn harm_rank(harm: Option<&str>) -> usize {
    harm.and_then(|harm| Harm::ALL.iter().position(|known| known.as_str() == harm)).map_or(0, |index| index + 1)
}

/// Every finding status, in the order of the workflow.
pub const STATUSES: [Status; 5] =
    [Status::Open, Status::PartiallyMitigated, Status::Mitigated, Status::Accepted, Status::Transferred];

/// Where a status sorts: open first.
pub fn status_rank(status: &str) -> usize {
    STATUSES.iter().position(|known| known.as_str() == status).unwrap_or(STATUSES.len())
}

/// Prose in which `backquoted` words are names from the model, shown as code.
pub fn prose(text: &str) -> Markup {
    html! {
        @for (index, part) in text.split('`').enumerate() {
            @if index % 2 == 1 { code { (part) } } @else { (part) }
        }
    }
}

/// Text written over several lines in the model (doc comments, `"""` strings) as paragraphs:
/// a blank line starts a new one, single line breaks are only where the source wrapped.
pub fn paragraphs(text: &str) -> Markup {
    html! {
        @for paragraph in text.split("\n\n").map(str::trim).filter(|paragraph| !paragraph.is_empty()) {
            p { (paragraph) }
        }
    }
}

/// A CVSS vector that may wrap after each `/` on a narrow screen or page.
pub fn vector(vector: &str) -> Markup {
    html! {
        code.vector {
            @for (index, part) in vector.split('/').enumerate() {
                @if index > 0 { "/" wbr; }
                (part)
            }
        }
    }
}

/// A name from the model as code that may wrap after `_`, `@` and `.` (as after `-`) in a narrow column.
pub fn breakable(name: &str) -> Markup {
    html! {
        code {
            @for (index, part) in name.split_inclusive(['_', '@', '.']).enumerate() {
                @if index > 0 { wbr; }
                (part)
            }
        }
    }
}

/// A list of names as code, separated by commas; a dash when empty.
pub fn names(names: &[String]) -> Markup {
    html! {
        @if names.is_empty() {
            "-"
        } @else {
            @for (index, name) in names.iter().enumerate() {
                @if index > 0 { ", " }
                code { (name) }
            }
        }
    }
}

/// "1 finding", "2 findings".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_shows_backquoted_names_as_code_and_escapes_everything() {
        let markup = prose("`<b>` reaches `pump` & <i>").into_string();
        assert_eq!(markup, "<code>&lt;b&gt;</code> reaches <code>pump</code> &amp; &lt;i&gt;");
    }

    #[test]
    fn blank_lines_separate_paragraphs() {
        assert_eq!(paragraphs("one\ntwo\n\n three <\n\n").into_string(), "<p>one\ntwo</p><p>three &lt;</p>");
    }

    #[test]
    fn vectors_break_after_slashes() {
        assert_eq!(vector("CVSS:3.1/AV:N").into_string(), "<code class=\"vector\">CVSS:3.1/<wbr>AV:N</code>");
    }

    #[test]
    fn names_may_break_after_separators() {
        assert_eq!(breakable("a_b@c<").into_string(), "<code>a_<wbr>b@<wbr>c&lt;</code>");
    }

    #[test]
    fn sort_ranks_follow_the_vocabularies() {
        assert!(level_rank("unacceptable") > level_rank("review"));
        assert!(level_rank("review") > level_rank("acceptable"));
        assert!(harm_rank(Some("catastrophic")) > harm_rank(Some("negligible")));
        assert!(harm_rank(Some("negligible")) > harm_rank(None));
        assert!(status_rank("open") < status_rank("transferred"));
        assert_eq!(level_word("<x>"), "unknown");
    }
}
