//! An open document: its text as the editor has it, and the analysis of one version of it.

use std::sync::Arc;

use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Uri};
use medtm_ide::Analysis;
use medtm_model::CheckOptions;
use medtm_syntax::Span;

use crate::position::{Encoding, LineMap};

/// The text of one version of a document, shared with the analysis thread without copying.
#[derive(Debug, Clone)]
pub struct Text {
    pub version: i32,
    pub text: Arc<str>,
}

impl Text {
    /// Applies the changes of a `didChange`, in order: a change with a range replaces that range,
    /// one without replaces the whole text.
    pub fn apply(&self, version: i32, changes: Vec<TextDocumentContentChangeEvent>, encoding: Encoding) -> Text {
        let mut text = self.text.to_string();
        for change in changes {
            match change.range {
                Some(range) => {
                    let span = LineMap::new(&text, encoding).span(&text, range);
                    text.replace_range(span.start..span.end, &change.text);
                }
                None => text = change.text,
            }
        }
        Text { version, text: text.into() }
    }
}

/// One version of a document and its analysis (`medtm-ide`'s, which answers every request),
/// with the lines that convert its byte offsets to the editor's positions.
#[derive(Debug)]
pub struct Analysed {
    pub uri: Uri,
    pub version: i32,
    pub lines: LineMap,
    pub analysis: Analysis,
}

impl Analysed {
    /// Runs the same pipeline as `medtm report` on the text, and keeps the findings a model with
    /// errors still has.
    pub fn new(uri: Uri, text: &Text, encoding: Encoding, options: CheckOptions) -> Self {
        Self {
            uri,
            version: text.version,
            lines: LineMap::new(&text.text, encoding),
            analysis: Analysis::analyse(Arc::clone(&text.text), options),
        }
    }

    pub fn range(&self, span: Span) -> Range {
        self.lines.range(self.analysis.text(), span)
    }

    pub fn offset(&self, position: Position) -> usize {
        self.lines.offset(self.analysis.text(), position)
    }

    pub fn span(&self, range: Range) -> Span {
        self.lines.span(self.analysis.text(), range)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_ranged_and_full_changes_in_order() {
        let text = Text { version: 1, text: "asset é \"Ç\"\nactor b\n".into() };
        let rename = TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(1, 6), Position::new(1, 7))),
            range_length: None,
            text: "nurse".to_owned(),
        };
        // After `"Ç"`: UTF-16 column 11 on the first line.
        let label = TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(0, 11), Position::new(0, 11))),
            range_length: None,
            text: " { kind: phi }".to_owned(),
        };
        let changed = text.apply(2, vec![rename, label], Encoding::Utf16);
        assert_eq!(&*changed.text, "asset é \"Ç\" { kind: phi }\nactor nurse\n");
        assert_eq!(changed.version, 2);
        let whole = TextDocumentContentChangeEvent { range: None, range_length: None, text: "x".to_owned() };
        assert_eq!(&*changed.apply(3, vec![whole], Encoding::Utf16).text, "x");
    }
}
