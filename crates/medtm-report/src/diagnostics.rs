//! Diagnostics for people (miette's graphical rendering with source context) and for tools (JSON).

use std::fmt::{self, Write as _};

use medtm_syntax::{Diagnostic, LineIndex, Severity, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};
use serde::Serialize;

use self::excerpt::Excerpt;

mod excerpt;

/// A model file's name and text, with its line index.
#[derive(Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    lines: LineIndex,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let lines = LineIndex::new(&text);
        Self { name: name.into(), text, lines }
    }

    pub fn line_column(&self, offset: usize) -> medtm_syntax::LineColumn {
        self.lines.line_column(&self.text, offset)
    }
}

/// How to draw diagnostics for people.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// ANSI colours (only on a terminal).
    pub color: bool,
    /// Terminal width to wrap at.
    pub width: usize,
}

impl Style {
    /// Plain text: no colour, 100 columns (for files, pipes and snapshot tests).
    pub const PLAIN: Style = Style { color: false, width: 100 };
}

/// Renders diagnostics with source context, in the order given.
pub fn render_text(source: &SourceFile, diagnostics: &[Diagnostic], style: Style) -> String {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false);
    let indexed = IndexedSource(source);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let spans: Vec<Span> =
            std::iter::once(diagnostic.span).chain(diagnostic.related.iter().map(|related| related.span)).collect();
        let excerpt = Excerpt::of(source, &spans);
        let shown = Shown { diagnostic, source_file: source, indexed: &indexed, excerpt: excerpt.as_ref() };
        // Rendering into a String cannot fail; a failure would only lose this one diagnostic.
        if handler.render_report(&mut out, &shown).is_err() {
            let _ = writeln!(out, "{}: {}", diagnostic.code, diagnostic.message);
        }
    }
    out
}

/// A one-line summary: "2 errors, 1 warning".
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") };
    format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"))
}

/// A diagnostic as miette draws it: from the whole text, or from the excerpt when a line it
/// shows is long.
struct Shown<'a> {
    diagnostic: &'a Diagnostic,
    source_file: &'a SourceFile,
    indexed: &'a IndexedSource<'a>,
    excerpt: Option<&'a Excerpt<'a>>,
}

/// The model's text as miette reads it, found through the line index. miette's own readers scan
/// the text from its start for every span, which made drawing many diagnostics of a large file
/// quadratic (a 60 MB model with 100,000 warnings took hours); this one hands miette's reader
/// only the text from a few lines before the span, so each diagnostic costs the lines it shows.
struct IndexedSource<'a>(&'a SourceFile);

impl SourceCode for IndexedSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let SourceFile { name, text, lines } = self.0;
        // Starting at a line start, at least as many lines before the span as miette shows,
        // gives miette's reader exactly the window it would find from the start of the file.
        let first_line = lines.line_of(span.offset().min(text.len())).saturating_sub(context_lines_before);
        let base = lines.line_start(first_line).min(span.offset());
        let local = SourceSpan::new((span.offset() - base).into(), span.len());
        let window = text.as_bytes()[base..].read_span(&local, context_lines_before, context_lines_after)?;
        Ok(placed(name, window.as_ref(), base, first_line, window.column()))
    }
}

/// A window miette read from part of the text, placed in the file: `offset` bytes and `lines`
/// lines come before the part, and `column` is the column to report.
fn placed<'a>(
    name: &str,
    window: &(dyn SpanContents<'a> + 'a),
    offset: usize,
    lines: usize,
    column: usize,
) -> Box<dyn SpanContents<'a> + 'a> {
    let contents = MietteSpanContents::new_named(
        name.to_owned(),
        window.data(),
        SourceSpan::new((window.span().offset() + offset).into(), window.span().len()),
        window.line() + lines,
        column,
        window.line_count() + lines,
    );
    Box::new(contents.with_language("mtm"))
}

impl Shown<'_> {
    /// miette needs spans inside the text; a span at the very end is drawn on the last character.
    fn clamp(&self, span: Span) -> SourceSpan {
        let span = match self.excerpt {
            Some(excerpt) => Span { start: excerpt.map(span.start), end: excerpt.map(span.end.max(span.start)) },
            None => span,
        };
        let len = self.excerpt.map_or(self.source_file.text.len(), |excerpt| excerpt.text().len());
        let start = span.start.min(len);
        let end = span.end.clamp(start, len);
        (start, end - start).into()
    }
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl miette::Diagnostic for Shown<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.diagnostic.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diagnostic.help.as_ref().map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(match self.excerpt {
            Some(excerpt) => excerpt as &dyn SourceCode,
            None => self.indexed,
        })
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = LabeledSpan::new_primary_with_span(
            (!self.diagnostic.label.is_empty()).then(|| self.diagnostic.label.clone()),
            self.clamp(self.diagnostic.span),
        );
        let related = self.diagnostic.related.iter().map(|related| {
            // A label whose place a shortened line leaves out says where it is.
            let message = match self.excerpt {
                Some(excerpt) if !excerpt.shows(related.span.start) => {
                    let at = self.source_file.line_column(related.span.start);
                    format!("{} (line {}, column {})", related.message, at.line, at.column)
                }
                _ => related.message.clone(),
            };
            LabeledSpan::new_with_span(Some(message), self.clamp(related.span))
        });
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

/// The JSON form of `medtm check --format json`.
#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub schema_version: u32,
    pub files: Vec<FileDiagnostics>,
    pub errors: usize,
    pub warnings: usize,
}

/// One file's diagnostics.
#[derive(Debug, Serialize)]
pub struct FileDiagnostics {
    pub file: String,
    pub diagnostics: Vec<DiagnosticJson>,
}

/// One diagnostic as tools see it: positions are 1-based lines and columns (columns count
/// Unicode scalar values) plus the byte span.
#[derive(Debug, Serialize)]
pub struct DiagnosticJson {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub span: Span,
    pub label: String,
    pub help: Option<String>,
    pub related: Vec<RelatedJson>,
    pub fix: Option<FixJson>,
}

/// Another place that matters to a diagnostic.
#[derive(Debug, Serialize)]
pub struct RelatedJson {
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub span: Span,
}

/// A suggested edit.
#[derive(Debug, Serialize)]
pub struct FixJson {
    pub title: String,
    pub span: Span,
    pub replacement: String,
}

/// The JSON form of one file's diagnostics.
pub fn file_json(source: &SourceFile, diagnostics: &[Diagnostic]) -> FileDiagnostics {
    let diagnostics = diagnostics
        .iter()
        .map(|d| {
            let start = source.line_column(d.span.start);
            let end = source.line_column(d.span.end);
            DiagnosticJson {
                code: d.code.as_str(),
                severity: d.severity,
                message: d.message.clone(),
                file: source.name.clone(),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                span: d.span,
                label: d.label.clone(),
                help: d.help.clone(),
                related: d
                    .related
                    .iter()
                    .map(|r| {
                        let at = source.line_column(r.span.start);
                        RelatedJson { message: r.message.clone(), line: at.line, column: at.column, span: r.span }
                    })
                    .collect(),
                fix: d.fix.as_ref().map(|fix| FixJson {
                    title: fix.title.clone(),
                    span: fix.span,
                    replacement: fix.replacement.clone(),
                }),
            }
        })
        .collect();
    FileDiagnostics { file: source.name.clone(), diagnostics }
}

/// The version of the `medtm check --format json` shape.
pub const CHECK_SCHEMA_VERSION: u32 = 1;

#[cfg(test)]
mod tests {
    use miette::{SourceCode as _, SourceSpan};
    use proptest::prelude::*;

    use super::{IndexedSource, SourceFile};

    /// Lines of a model, some blank, some with CRLF endings or non-ASCII text.
    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(vec!["", "a", "flow x -> y", "  kind: pump\r", "é ü", "}"]), 0..40)
            .prop_map(|lines| lines.join("\n"))
    }

    proptest! {
        /// Reading from the line index shows exactly what miette's reader shows when it scans
        /// the whole text: the same window, span, line and column.
        #[test]
        fn indexed_source_reads_what_miette_reads(
            text in text(),
            start in 0usize..600,
            len in 0usize..40,
            before in 0usize..4,
            after in 0usize..4,
        ) {
            let start = start.min(text.len());
            let len = len.min(text.len() - start);
            let span = SourceSpan::new(start.into(), len);
            let file = SourceFile::new("m.mtm", text.clone());
            let expected = text.as_bytes().read_span(&span, before, after);
            let indexed = IndexedSource(&file);
            let actual = indexed.read_span(&span, before, after);
            match (expected, actual) {
                (Ok(expected), Ok(actual)) => {
                    prop_assert_eq!(expected.data(), actual.data());
                    prop_assert_eq!(expected.span(), actual.span());
                    prop_assert_eq!(expected.line(), actual.line());
                    prop_assert_eq!(expected.column(), actual.column());
                    prop_assert_eq!(actual.name(), Some("m.mtm"));
                }
                (Err(_), Err(_)) => {}
                (expected, actual) => prop_assert!(false, "{:?} vs {:?}", expected.is_ok(), actual.is_ok()),
            }
        }
    }
}
