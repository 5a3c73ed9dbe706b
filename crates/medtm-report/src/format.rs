//! Small text helpers shared by the renderers.

use std::ops::{Deref, DerefMut};

use crate::dto::{RuleReport, Summary, SystemSummary};

/// A text buffer that renderers append to as to a `String`, and that hands its contents to a
/// writer every time a loop calls [`Spill::spill`] past 64 KiB. A report on a hospital-scale
/// model runs to a hundred megabytes: built as one string, it spent a third of its time
/// growing that string.
pub struct Spill<'a> {
    buffer: String,
    out: &'a mut dyn std::io::Write,
    error: Option<std::io::Error>,
}

impl<'a> Spill<'a> {
    const THRESHOLD: usize = 1 << 16;

    pub fn new(out: &'a mut dyn std::io::Write) -> Self {
        Spill { buffer: String::with_capacity(Self::THRESHOLD * 2), out, error: None }
    }

    /// Writes the buffer out if it has grown past the threshold. The first write error is kept
    /// for [`Spill::finish`], and nothing more is written after it.
    pub fn spill(&mut self) {
        if self.buffer.len() >= Self::THRESHOLD {
            self.write_buffer();
        }
    }

    /// Writes `text` after what is buffered, without copying it into the buffer: for pieces
    /// rendered elsewhere (in parallel), each as large as the buffer or larger.
    pub fn write_through(&mut self, text: &str) {
        self.write_buffer();
        if self.error.is_none()
            && let Err(error) = self.out.write_all(text.as_bytes())
        {
            self.error = Some(error);
        }
    }

    /// Writes what is left and returns the first error met.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.write_buffer();
        self.error.map_or(Ok(()), Err)
    }

    fn write_buffer(&mut self) {
        if self.error.is_none()
            && let Err(error) = self.out.write_all(self.buffer.as_bytes())
        {
            self.error = Some(error);
        }
        self.buffer.clear();
    }
}

impl Deref for Spill<'_> {
    type Target = String;

    fn deref(&self) -> &String {
        &self.buffer
    }
}

impl DerefMut for Spill<'_> {
    fn deref_mut(&mut self) -> &mut String {
        &mut self.buffer
    }
}

impl std::fmt::Write for Spill<'_> {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.buffer.push_str(text);
        Ok(())
    }
}

/// Renders into memory with a writer-based renderer.
pub fn to_string(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and the renderers write only UTF-8.
    let _ = write(&mut out);
    String::from_utf8(out).unwrap_or_default()
}

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

/// [`push_wrapped`] with the width of the text (without prefixes) given.
pub fn push_wrapped_at(out: &mut String, text: &str, first: &str, rest: &str, width: usize) {
    out.push_str(first);
    if is_plain(text) {
        push_plain_lines(out, text, rest, width);
    } else {
        push_word_lines(out, text, rest, width);
    }
    out.push('\n');
}

/// Whether `text` is ASCII with its words already one space apart: most report text is, and it
/// can be cut into lines at spaces without being taken apart into words.
fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.is_ascii()
        && bytes.first().is_none_or(|byte| *byte != b' ')
        && bytes.last().is_none_or(|byte| *byte != b' ')
        && bytes.iter().all(|byte| *byte >= b' ' || !(byte.is_ascii_whitespace() || *byte == 0x0b))
        && !text.contains("  ")
}

/// The lines of plain text (see [`is_plain`]): each line is the longest run of whole words that
/// fits, cut at the last space within the width; a word longer than the width has a line of its
/// own. The same lines as [`push_word_lines`], found a line at a time instead of a word at a time.
fn push_plain_lines(out: &mut String, text: &str, rest: &str, width: usize) {
    let mut remaining = text;
    while remaining.len() > width {
        let bytes = remaining.as_bytes();
        let cut = bytes[..=width]
            .iter()
            .rposition(|byte| *byte == b' ')
            .or_else(|| bytes.iter().position(|byte| *byte == b' '));
        let Some(cut) = cut else { break };
        out.push_str(&remaining[..cut]);
        out.push('\n');
        out.push_str(rest);
        remaining = &remaining[cut + 1..];
    }
    out.push_str(remaining);
}

/// The lines of any text: words as `split_whitespace` finds them, greedily filled up to the width.
fn push_word_lines(out: &mut String, text: &str, rest: &str, width: usize) {
    let mut line_len = 0;
    for (word, len) in words(text) {
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
}

/// The words `split_whitespace` finds, each with its width in characters. Written by hand to
/// take ASCII a byte at a time and decode only other characters, and to count widths on the
/// way: a report on a hospital-scale model wraps a hundred megabytes of mostly ASCII text, and
/// this takes about a fifth less work than splitting and then counting.
fn words(text: &str) -> impl Iterator<Item = (&str, usize)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let mut start = at;
        let mut len = 0;
        while at < text.len() {
            let (space, bytes) = character_at(text, at);
            at += bytes;
            if !space {
                len += 1;
            } else if len > 0 {
                return Some((&text[start..at - bytes], len));
            } else {
                start = at;
            }
        }
        (len > 0).then(|| &text[start..]).map(|word| (word, len))
    })
}

/// Whether the character at byte `at` (a character boundary) is whitespace, and its length.
fn character_at(text: &str, at: usize) -> (bool, usize) {
    let byte = text.as_bytes()[at];
    if byte.is_ascii() {
        // In ASCII, Unicode's whitespace is ASCII whitespace and the vertical tab.
        (byte.is_ascii_whitespace() || byte == 0x0b, 1)
    } else {
        let character = text[at..].chars().next().unwrap_or_default();
        (character.is_whitespace(), character.len_utf8())
    }
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

    proptest::proptest! {
        #[test]
        fn words_are_the_words_split_whitespace_finds(
            text in "[ -~\t\n\x0b\x0c\r\x1c-\x1f\u{85}\u{a0}\u{2003}\u{3000}é→×🩺]{0,40}"
        ) {
            let expected: Vec<(&str, usize)> = text.split_whitespace().map(|word| (word, word.chars().count())).collect();
            proptest::prop_assert_eq!(super::words(&text).collect::<Vec<_>>(), expected);
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_text_is_cut_into_the_lines_words_would_make(
            text in "[a-z]{1,12}( [a-z`.,:()-]{1,14}){0,30}",
            width in 1usize..60,
        ) {
            proptest::prop_assume!(super::is_plain(&text));
            let (mut plain, mut by_word) = (String::new(), String::new());
            super::push_plain_lines(&mut plain, &text, "  ", width);
            super::push_word_lines(&mut by_word, &text, "  ", width);
            proptest::prop_assert_eq!(plain, by_word);
        }
    }

    #[test]
    fn plain_text_is_single_spaced_ascii() {
        assert!(super::is_plain("one two three"));
        for text in ["one  two", " one", "one ", "one\ttwo", "one\ntwo", "one\x0btwo", "é one"] {
            assert!(!super::is_plain(text), "{text:?}");
        }
    }

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(wrap("one two three four", 9), "one two\nthree\nfour");
        assert_eq!(wrap("", 9), "");
    }
}
