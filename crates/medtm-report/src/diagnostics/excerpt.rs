//! The lines a diagnostic shows, shortened when they are very long. miette draws each line of a
//! label whole and lines its underline up with `{:width$}` padding, which panics past 65,535
//! columns; generated and minified models have longer lines, and a line thousands of columns wide
//! is unreadable in a terminal anyway. Such a line is cut to a window around the labels on it,
//! `…` marking what was left out; the header keeps the real line and column.

use medtm_syntax::Span;
use miette::{MietteError, SourceCode, SourceSpan, SpanContents};

use super::SourceFile;

/// The longest line (in bytes) drawn whole.
pub const LONGEST_SHOWN: usize = 240;
/// How much of a longer line is drawn (in bytes).
const WINDOW: usize = 160;
/// How much of a long line is shown before the first label on it.
const LEAD_IN: usize = 60;
const ELLIPSIS: &str = "…";

/// The lines around a diagnostic's labels, long ones cut to a window.
#[derive(Debug)]
pub struct Excerpt<'s> {
    source: &'s SourceFile,
    text: String,
    /// The source line of the excerpt's first line (0-based).
    first_line: usize,
    lines: Vec<ExcerptLine>,
}

/// Where one source line's shown window sits in the excerpt.
#[derive(Debug)]
struct ExcerptLine {
    /// Offset of the source line's start.
    source_start: usize,
    /// Length of the source line without its line break.
    length: usize,
    /// The window shown, relative to the line's start.
    window: (usize, usize),
    /// Offset in the excerpt of the line's start (its `…` when the window starts later).
    excerpt_start: usize,
    /// Bytes before the window's text in the excerpt: the `…`, or nothing.
    lead: usize,
}

impl<'s> Excerpt<'s> {
    /// The lines `spans` cover, one line of context either side (as miette shows them), when
    /// one of them is longer than [`LONGEST_SHOWN`]; `None` when they can be drawn as they are.
    pub fn of(source: &'s SourceFile, spans: &[Span]) -> Option<Self> {
        let text = &source.text;
        let clamp = |offset: usize| offset.min(text.len());
        let first = spans.iter().map(|span| source.lines.line_of(clamp(span.start))).min()?;
        let last = spans.iter().map(|span| source.lines.line_of(clamp(span.end.max(span.start)))).max()?;
        let first_line = first.saturating_sub(1);
        let last_line = (last + 1).min(source.lines.line_count() - 1);
        let line_bounds = |line: usize| {
            let start = source.lines.line_start(line);
            let next =
                if line + 1 < source.lines.line_count() { source.lines.line_start(line + 1) } else { text.len() };
            let content = text[start..next].trim_end_matches(['\n', '\r']);
            (start, content.len())
        };
        if (first_line..=last_line).all(|line| line_bounds(line).1 <= LONGEST_SHOWN) {
            return None;
        }
        let mut excerpt = Excerpt { source, text: String::new(), first_line, lines: Vec::new() };
        for line in first_line..=last_line {
            let (start, length) = line_bounds(line);
            let content = &text[start..start + length];
            let window = if length <= LONGEST_SHOWN {
                (0, length)
            } else {
                // The first label that starts or ends on this line anchors the window.
                let anchor = spans
                    .iter()
                    .flat_map(|span| [span.start, span.end])
                    .filter(|offset| (start..=start + length).contains(offset))
                    .map(|offset| offset - start)
                    .min()
                    .unwrap_or(0);
                let from = floor_char_boundary(content, anchor.saturating_sub(LEAD_IN));
                (from, floor_char_boundary(content, (from + WINDOW).min(length)))
            };
            let lead = if window.0 > 0 { ELLIPSIS.len() } else { 0 };
            excerpt.lines.push(ExcerptLine {
                source_start: start,
                length,
                window,
                excerpt_start: excerpt.text.len(),
                lead,
            });
            if lead > 0 {
                excerpt.text.push_str(ELLIPSIS);
            }
            excerpt.text.push_str(&content[window.0..window.1]);
            if window.1 < length {
                excerpt.text.push_str(ELLIPSIS);
            }
            if line < last_line {
                excerpt.text.push('\n');
            }
        }
        Some(excerpt)
    }

    /// Where a source offset is drawn: inside its line's window, or at the nearer end of it.
    pub fn map(&self, offset: usize) -> usize {
        let offset = offset.min(self.source.text.len());
        let line = self.source.lines.line_of(offset).clamp(self.first_line, self.first_line + self.lines.len() - 1);
        let shown = &self.lines[line - self.first_line];
        let relative = offset.saturating_sub(shown.source_start).min(shown.length);
        let (from, to) = shown.window;
        shown.excerpt_start + shown.lead + relative.clamp(from, to) - from
    }

    /// Whether a source offset is drawn where it is (not moved to the edge of its line's window).
    pub fn shows(&self, offset: usize) -> bool {
        let offset = offset.min(self.source.text.len());
        let line = self.source.lines.line_of(offset);
        let Some(shown) = line.checked_sub(self.first_line).and_then(|index| self.lines.get(index)) else {
            return false;
        };
        let relative = offset.saturating_sub(shown.source_start);
        relative > shown.length || (shown.window.0..=shown.window.1).contains(&relative)
    }

    /// The text drawn.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl SourceCode for Excerpt<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let window = self.text.as_bytes().read_span(span, context_lines_before, context_lines_after)?;
        // Read without context, the column is the span's own, which miette prints in the header:
        // the source's column is the excerpt's, moved by what the window leaves out.
        let column = if context_lines_before == 0 {
            let line = &self.lines[self.excerpt_line_of(span.offset())];
            span.offset().saturating_sub(line.excerpt_start + line.lead) + line.window.0
        } else {
            window.column()
        };
        Ok(super::placed(&self.source.name, window.as_ref(), 0, self.first_line, column))
    }
}

impl Excerpt<'_> {
    /// The excerpt line holding an excerpt offset.
    fn excerpt_line_of(&self, offset: usize) -> usize {
        self.lines.partition_point(|line| line.excerpt_start <= offset).saturating_sub(1)
    }
}

/// The largest character boundary at or before `index` (`str::floor_char_boundary` is unstable).
fn floor_char_boundary(text: &str, index: usize) -> usize {
    (0..=index.min(text.len())).rev().find(|index| text.is_char_boundary(*index)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_of_wide_characters_is_cut_at_character_boundaries_around_the_label() {
        let line = "é".repeat(1000);
        let text = format!("first\n{line}\nlast\n");
        let source = SourceFile::new("wide.mtm", text.as_str());
        let label = 6 + 2 * 500;
        let excerpt = Excerpt::of(&source, &[Span { start: label, end: label + 2 }]).expect("a long line");
        let shown: Vec<&str> = excerpt.text().lines().collect();
        assert_eq!(shown[0], "first");
        assert!(shown[1].starts_with('…') && shown[1].ends_with('…'), "{}", shown[1]);
        assert!(shown[1].len() <= WINDOW + 2 * ELLIPSIS.len());
        assert_eq!(shown[2], "last");
        // The label is drawn on the character it marks, LEAD_IN bytes into the window.
        let at = excerpt.map(label);
        assert_eq!(&excerpt.text()[at..at + 2], "é");
        assert_eq!(at - excerpt.map(6 + 2 * 470), LEAD_IN);
        assert!(excerpt.shows(label) && !excerpt.shows(6));
    }

    #[test]
    fn short_lines_are_drawn_as_they_are() {
        let source = SourceFile::new("short.mtm", "system s {\n  bad\n}\n");
        assert!(Excerpt::of(&source, &[Span { start: 13, end: 16 }]).is_none());
    }
}
