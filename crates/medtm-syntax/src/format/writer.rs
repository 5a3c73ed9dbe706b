//! The formatter's output: lines, indentation and blank lines, and the source's comments, which
//! the writer places itself as the code around them is written.
//!
//! The layout hands over the source's tokens in source order, each with its span (or a one-line
//! rendering of a stretch that holds no comment). Every comment lies between two tokens, so it is
//! written when the code reaches it:
//! - a comment on the same source line as the code before it (with only spaces and commas between)
//!   stays at the end of that code's line, after as many spaces as it had (so comments aligned in
//!   a column stay aligned while the code before them is unchanged);
//! - any other comment goes on a line of its own before the next token, indented with it.
//!
//! Blank lines of the source are kept (at most one in a row), except right after an opening
//! bracket and right before a closing one; the layout can ask for more between declarations.
//!
//! Between two tokens (or comments) the writer skips the source's whitespace and commas, which it
//! lays out anew. Anything else it would skip is text that no node of the tree holds (a parser
//! that passed over it without an error): the writer records where it is, and the formatter
//! refuses to format rather than drop it.

use crate::scan::{Comment, CommentKind};
use crate::span::Span;

use super::INDENT;

pub(super) struct Writer<'s> {
    source: &'s str,
    comments: &'s [Comment],
    /// The first comment not written yet.
    next_comment: usize,
    out: String,
    /// Where the current output line starts in `out`.
    line_start: usize,
    /// Indentation levels of the current block.
    indent: usize,
    /// Extra levels for a line that continues code broken by a comment.
    continuation: usize,
    /// The source offset after the last token or comment written.
    last_end: usize,
    /// A blank line is owed before the next line with content.
    blank_pending: bool,
    /// No blank line may come next (start of the file, or just after an opening bracket).
    blank_forbidden: bool,
    /// A line comment ended the line's code: the next token must start a new line.
    break_pending: bool,
    /// A byte-order mark stood between top-level declarations, where it separates them as a line
    /// break does not (`foo` and `bar` would join into one declaration): it is written again.
    stray_mark: bool,
    /// The first source text skipped that was not whitespace or commas, which would be lost.
    dropped: Option<Span>,
}

impl<'s> Writer<'s> {
    pub(super) fn new(source: &'s str, comments: &'s [Comment]) -> Self {
        let mut writer = Self {
            source,
            comments,
            next_comment: 0,
            out: String::with_capacity(source.len() + source.len() / 8),
            line_start: 0,
            indent: 0,
            continuation: 0,
            last_end: 0,
            blank_pending: false,
            blank_forbidden: true,
            break_pending: false,
            stray_mark: false,
            dropped: None,
        };
        // A byte-order mark is kept, and is invisible to line and column arithmetic.
        if let Some(rest) = source.strip_prefix('\u{feff}') {
            writer.out.push('\u{feff}');
            writer.line_start = writer.out.len();
            writer.last_end = source.len() - rest.len();
        }
        writer
    }

    /// Writes the comments left at the end of the file and returns the text, which ends with
    /// exactly one line break (or is empty); or, when source text other than whitespace, commas
    /// and comments was skipped, where the first such text is.
    pub(super) fn finish(mut self) -> Result<String, Span> {
        self.newline();
        self.indent = 0;
        self.leading_comments(self.source.len());
        self.skip_to(self.source.len());
        match self.dropped {
            Some(span) => Err(span),
            None => Ok(self.out),
        }
    }

    pub(super) fn source(&self) -> &'s str {
        self.source
    }

    /// Whether a comment starts inside `span`.
    pub(super) fn has_comment_in(&self, span: Span) -> bool {
        let index = self.comments.partition_point(|comment| comment.span.start < span.start);
        self.comments.get(index).is_some_and(|comment| comment.span.start < span.end)
    }

    pub(super) fn indent(&mut self) {
        self.indent += 1;
    }

    /// The column a token written now would start at (after a space, when `space`).
    pub(super) fn column_for(&self, space: bool) -> usize {
        if self.at_line_start() {
            (self.indent + self.continuation) * INDENT.len()
        } else {
            self.column() + usize::from(space)
        }
    }

    /// Writes source text at `span`: one token, or a one-line rendering of a comment-free stretch.
    pub(super) fn token(&mut self, span: Span, text: &str, space: bool) {
        self.trailing_comments();
        self.leading_comments(span.start);
        self.skip_to(span.start);
        if self.break_pending && !self.at_line_start() {
            self.end_line();
            self.continuation = self.continuation.max(1);
        }
        self.break_pending = false;
        if self.at_line_start() && newlines(self.gap(span.start)) >= 2 {
            self.blank_pending = true;
        }
        if space && !self.at_line_start() {
            self.out.push(' ');
        }
        self.stray_mark = self.gap(span.start).contains('\u{feff}');
        self.write(text);
        self.last_end = self.last_end.max(span.end);
    }

    /// Writes an opening bracket: no blank line may follow it.
    pub(super) fn open(&mut self, span: Span, text: &str, space: bool) {
        self.token(span, text, space);
        self.blank_forbidden = true;
    }

    /// Ends the current block: writes the comments before its closing bracket at the block's
    /// indentation, then the bracket on a line of its own one level out.
    pub(super) fn close(&mut self, span: Span, text: &str) {
        self.newline();
        self.leading_comments(span.start);
        self.skip_to(span.start);
        self.indent = self.indent.saturating_sub(1);
        self.newline();
        self.break_pending = false;
        self.blank_pending = false;
        self.write(text);
        self.last_end = self.last_end.max(span.end);
    }

    /// Writes punctuation the formatter adds (a separating or trailing comma).
    pub(super) fn punct(&mut self, text: &str) {
        if self.break_pending && !self.at_line_start() {
            self.end_line();
            self.continuation = self.continuation.max(1);
            self.break_pending = false;
        }
        self.write(text);
    }

    /// Ends the current line (after the comments that trail it), so the next code starts a line
    /// of its own at the block's indentation.
    pub(super) fn newline(&mut self) {
        self.trailing_comments();
        if !self.at_line_start() {
            self.end_line();
        }
        self.break_pending = false;
        self.continuation = 0;
    }

    /// Asks for a blank line before the next line with content.
    pub(super) fn blank_line(&mut self) {
        self.blank_pending = true;
    }

    fn at_line_start(&self) -> bool {
        self.out.len() == self.line_start
    }

    fn column(&self) -> usize {
        width(&self.out[self.line_start..])
    }

    /// The source text between the last thing written and `offset`.
    fn gap(&self, offset: usize) -> &'s str {
        self.source.get(self.last_end..offset).unwrap_or("")
    }

    /// Checks the source text that is skipped up to `offset` (the start of the next token or
    /// comment): it may hold only what the layout writes anew, whitespace and commas (and
    /// byte-order marks, written again where needed). Anything else is recorded as dropped.
    fn skip_to(&mut self, offset: usize) {
        if self.dropped.is_some() {
            return;
        }
        let gap = self.gap(offset);
        let skippable = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n' | ',' | '\u{feff}');
        if let Some(first) = gap.find(|c: char| !skippable(c)) {
            let last = gap.rfind(|c: char| !skippable(c)).unwrap_or(first);
            let end = last + gap[last..].chars().next().map_or(1, char::len_utf8);
            self.dropped = Some(Span::new(self.last_end + first, self.last_end + end));
        }
    }

    fn write(&mut self, text: &str) {
        if self.at_line_start() {
            if self.blank_pending && !self.blank_forbidden {
                self.out.push('\n');
                self.line_start = self.out.len();
            }
            for _ in 0..self.indent + self.continuation {
                self.out.push_str(INDENT);
            }
        }
        self.blank_pending = false;
        self.blank_forbidden = false;
        if std::mem::take(&mut self.stray_mark) {
            self.out.push('\u{feff}');
        }
        self.out.push_str(text);
        if let Some(newline) = text.rfind('\n') {
            self.line_start = self.out.len() - (text.len() - newline - 1);
        }
    }

    fn end_line(&mut self) {
        let trimmed = self.out.trim_end_matches([' ', '\t']).len().max(self.line_start);
        self.out.truncate(trimmed);
        self.out.push('\n');
        self.line_start = self.out.len();
    }

    fn comment_text(&self, comment: Comment) -> &'s str {
        let text = comment.span.slice(self.source);
        match comment.kind {
            CommentKind::Line | CommentKind::Doc => text.trim_end(),
            CommentKind::Block => text,
        }
    }

    /// Writes the comments that trail the code just written on its source line.
    fn trailing_comments(&mut self) {
        while let Some(&comment) = self.comments.get(self.next_comment) {
            let same_line = self.gap(comment.span.start).chars().all(|c| matches!(c, ' ' | '\t' | '\r' | ','));
            if self.at_line_start() || !same_line || comment.span.start < self.last_end {
                return;
            }
            let padding = space_before(self.source, comment.span.start).max(1);
            self.out.extend(std::iter::repeat_n(' ', padding));
            let text = self.comment_text(comment);
            self.write(text);
            self.last_end = comment.span.end;
            self.next_comment += 1;
            if comment.kind != CommentKind::Block {
                self.break_pending = true;
                return;
            }
        }
    }

    /// Writes the comments before `offset` that were not written yet, each on a line of its own.
    fn leading_comments(&mut self, offset: usize) {
        while let Some(&comment) = self.comments.get(self.next_comment) {
            if comment.span.start >= offset {
                return;
            }
            if !self.at_line_start() {
                // Inside a line of code: the rest of the code continues below the comment.
                self.end_line();
                self.continuation = self.continuation.max(1);
            }
            if newlines(self.gap(comment.span.start)) >= 2 {
                self.blank_pending = true;
            }
            self.skip_to(comment.span.start);
            let text = self.comment_text(comment);
            self.stray_mark = self.gap(comment.span.start).contains('\u{feff}');
            self.write(text);
            self.end_line();
            self.last_end = self.last_end.max(comment.span.end);
            self.next_comment += 1;
            self.break_pending = false;
        }
    }
}

fn newlines(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count()
}

/// The width of a line's text in columns: characters, not bytes; a byte-order mark takes none.
pub(super) fn width(text: &str) -> usize {
    text.chars().filter(|&c| c != '\u{feff}').count()
}

/// How many columns of spaces and tabs come right before `offset` in the source.
fn space_before(source: &str, offset: usize) -> usize {
    let before = source.get(..offset).unwrap_or("");
    before.len() - before.trim_end_matches([' ', '\t']).len()
}
