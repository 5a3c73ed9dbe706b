//! Byte offsets to LSP positions and back. medtm spans are byte offsets into UTF-8 text; LSP
//! positions are a line and a column counted in the negotiated encoding: UTF-8 bytes when the
//! client offers it, else UTF-16 code units (the protocol's default).

use lsp_types::{Position, PositionEncodingKind, Range};
use medtm_syntax::{LineIndex, Span};

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client lists it among the encodings it supports, else UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        if offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8)) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// A text's lines, for converting in both directions.
#[derive(Debug, Clone)]
pub struct LineMap {
    index: LineIndex,
    encoding: Encoding,
}

impl LineMap {
    pub fn new(text: &str, encoding: Encoding) -> Self {
        Self { index: LineIndex::new(text), encoding }
    }

    /// The position of a byte offset (clamped to the text, and back to a character boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.index.line_of(offset);
        let start = self.index.line_start(line);
        let prefix = text.get(start..offset).unwrap_or("");
        let column = match self.encoding {
            Encoding::Utf8 => prefix.len(),
            Encoding::Utf16 => prefix.encode_utf16().count(),
        };
        Position::new(to_u32(line), to_u32(column))
    }

    pub fn range(&self, text: &str, span: Span) -> Range {
        Range::new(self.position(text, span.start), self.position(text, span.end))
    }

    /// The byte offset of a position. As the protocol asks, a column past the end of its line
    /// means the line's end, and a line past the end of the text means the text's end.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.index.line_count() {
            return text.len();
        }
        let start = self.index.line_start(line);
        let end = if line + 1 < self.index.line_count() { self.index.line_start(line + 1) } else { text.len() };
        let content = text.get(start..end).unwrap_or("").trim_end_matches(['\n', '\r']);
        let wanted = position.character as usize;
        let mut counted = 0;
        for (byte, character) in content.char_indices() {
            if counted >= wanted {
                return start + byte;
            }
            counted += match self.encoding {
                Encoding::Utf8 => character.len_utf8(),
                Encoding::Utf16 => character.len_utf16(),
            };
        }
        start + content.len()
    }

    /// The byte span of a range.
    pub fn span(&self, text: &str, range: Range) -> Span {
        let start = self.offset(text, range.start);
        let end = self.offset(text, range.end).max(start);
        Span::new(start, end)
    }
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "asset a \"Ça 🐍\" {\r\n  kind: phi\n}";

    #[test]
    fn counts_utf16_code_units_by_default() {
        let map = LineMap::new(TEXT, Encoding::Utf16);
        // `"` after the snake: `Ç` is one code unit, the snake two.
        let quote = TEXT.rfind('"').unwrap_or_default();
        assert_eq!(map.position(TEXT, quote), Position::new(0, 14));
        assert_eq!(map.offset(TEXT, Position::new(0, 14)), quote);
        // The middle of the snake's surrogate pair: the next character.
        assert_eq!(map.offset(TEXT, Position::new(0, 13)), quote);
        let brace = TEXT.find('{').unwrap_or_default();
        assert_eq!(map.position(TEXT, brace), Position::new(0, 16));
    }

    #[test]
    fn counts_bytes_in_utf8() {
        let map = LineMap::new(TEXT, Encoding::Utf8);
        let quote = TEXT.rfind('"').unwrap_or_default();
        assert_eq!(map.position(TEXT, quote), Position::new(0, 17));
        assert_eq!(map.offset(TEXT, Position::new(0, 17)), quote);
    }

    #[test]
    fn clamps_positions_past_the_end() {
        let map = LineMap::new(TEXT, Encoding::Utf16);
        let line_end = TEXT.find('\r').unwrap_or_default();
        assert_eq!(map.offset(TEXT, Position::new(0, 400)), line_end);
        assert_eq!(map.offset(TEXT, Position::new(9, 0)), TEXT.len());
        assert_eq!(map.position(TEXT, 10_000), Position::new(2, 1));
        // Inside the snake's four bytes: back to its first byte.
        let snake = TEXT.find('🐍').unwrap_or_default();
        assert_eq!(map.position(TEXT, snake + 2), map.position(TEXT, snake));
    }

    #[test]
    fn negotiates_utf8_only_when_offered() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(Some(&[PositionEncodingKind::UTF16])), Encoding::Utf16);
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&both)), Encoding::Utf8);
    }
}
