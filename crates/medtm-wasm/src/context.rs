//! Where a position is in a model, read from the text before it: in which declaration, after
//! which attribute, in which map. Completion and hover need this while the text is being typed
//! and so is often not valid yet, where the parser's error recovery skips to the next
//! declaration; a lexical reading of the brackets and statements before the position still
//! knows where it is.

use medtm_syntax::ast::Keyword;

/// A place in the model text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Where a statement starts: a declaration, or an attribute of the enclosing declaration
    /// (`None` at the top level).
    Statement(Option<Keyword>),
    /// In a declaration's header, after the keyword; `after` is what was written since.
    Header { keyword: Keyword, after: Vec<Token> },
    /// The value of `attribute` in a declaration of `keyword`, or an item of its list.
    Value { keyword: Keyword, attribute: String },
    /// Where a key of the map value of `attribute` goes (`update: { | }`).
    MapKey { keyword: Keyword, attribute: String },
    /// The value of `key` in the map value of `attribute` (`update: { signed: | }`).
    MapValue { keyword: Keyword, attribute: String, key: String },
    /// Inside a string or comment, or somewhere nothing is expected.
    Elsewhere,
}

/// A token of the lexical reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A word, id, number or date.
    Word(String),
    /// A string or text block.
    Text,
    Colon,
    /// `->` or `<->`.
    Arrow,
    Comma,
    Newline,
    Open(char),
    Close(char),
    Other,
}

/// A bracket level: a declaration's block, a map or a list.
#[derive(Debug)]
struct Frame {
    kind: FrameKind,
    /// The tokens of the statement being read at this level.
    statement: Vec<Token>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum FrameKind {
    /// A declaration's block; `None` is the top level, or the block of a word that is not a keyword.
    Block(Option<Keyword>),
    Map {
        keyword: Keyword,
        attribute: String,
    },
    List {
        keyword: Keyword,
        attribute: String,
    },
    /// A bracket whose meaning is unclear (a map in a list, a block of an unknown word).
    Unknown,
}

/// The place at byte offset `at` (which must be a character boundary; others are rounded down).
pub fn place(text: &str, at: usize) -> Place {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let tokens = tokens(&text[..at]);
    let Some(tokens) = tokens else { return Place::Elsewhere };
    let mut stack = vec![Frame { kind: FrameKind::Block(None), statement: Vec::new() }];
    for token in tokens {
        let top = stack.last_mut().expect("the top level is never popped");
        match token {
            Token::Open(bracket) => {
                let kind = opened(&top.kind, &top.statement, bracket);
                top.statement.clear();
                stack.push(Frame { kind, statement: Vec::new() });
            }
            Token::Close(_) => {
                if stack.len() > 1 {
                    stack.pop();
                }
                if let Some(parent) = stack.last_mut() {
                    parent.statement.clear();
                }
            }
            Token::Newline | Token::Comma if !matches!(top.kind, FrameKind::List { .. }) => top.statement.clear(),
            Token::Newline => {}
            token => top.statement.push(token),
        }
    }
    let top = stack.last().expect("the top level is never popped");
    match (&top.kind, top.statement.as_slice()) {
        (FrameKind::Block(block), []) => Place::Statement(*block),
        (FrameKind::Block(Some(keyword)), [Token::Word(attribute), Token::Colon]) => {
            Place::Value { keyword: *keyword, attribute: attribute.clone() }
        }
        (FrameKind::Block(_), [Token::Word(word), after @ ..]) => match Keyword::from_word(word) {
            Some(keyword) => Place::Header { keyword, after: after.to_vec() },
            None => Place::Elsewhere,
        },
        (FrameKind::List { keyword, attribute }, _) => Place::Value { keyword: *keyword, attribute: attribute.clone() },
        (FrameKind::Map { keyword, attribute }, []) => {
            Place::MapKey { keyword: *keyword, attribute: attribute.clone() }
        }
        (FrameKind::Map { keyword, attribute }, [Token::Word(key), Token::Colon]) => {
            Place::MapValue { keyword: *keyword, attribute: attribute.clone(), key: key.clone() }
        }
        _ => Place::Elsewhere,
    }
}

/// What a bracket opened after `statement` in a frame of `kind` is.
fn opened(kind: &FrameKind, statement: &[Token], bracket: char) -> FrameKind {
    let attribute = match statement {
        [.., Token::Word(name), Token::Colon] => Some(name.clone()),
        _ => None,
    };
    match (kind, attribute, bracket) {
        (FrameKind::Block(Some(keyword)), Some(attribute), '{') => FrameKind::Map { keyword: *keyword, attribute },
        (FrameKind::Block(Some(keyword)), Some(attribute), '[') => FrameKind::List { keyword: *keyword, attribute },
        // `high: { negligible: [..] }` does not occur; a nested map keeps its key as the attribute.
        (FrameKind::Map { keyword, .. }, Some(key), '{') => FrameKind::Map { keyword: *keyword, attribute: key },
        (FrameKind::Block(_), None, '{') => match statement.first() {
            Some(Token::Word(word)) => FrameKind::Block(Keyword::from_word(word)),
            _ => FrameKind::Unknown,
        },
        _ => FrameKind::Unknown,
    }
}

/// The tokens of `text`; `None` when it ends inside a string, text block or comment.
pub fn tokens(text: &str) -> Option<Vec<Token>> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        match bytes[i] {
            b'\n' => {
                tokens.push(Token::Newline);
                i += 1;
            }
            b if b.is_ascii_whitespace() => i += 1,
            _ if rest.starts_with(b"//") => match find(bytes, i, b"\n") {
                Some(end) => i = end,
                // A line comment runs to the end: the position is inside it.
                None => return None,
            },
            _ if rest.starts_with(b"/*") => i = find(bytes, i + 2, b"*/")? + 2,
            _ if rest.starts_with(b"\"\"\"") => {
                i = find(bytes, i + 3, b"\"\"\"")? + 3;
                tokens.push(Token::Text);
            }
            b'"' => {
                i = string_end(bytes, i + 1)?;
                tokens.push(Token::Text);
            }
            _ if rest.starts_with(b"<->") => {
                tokens.push(Token::Arrow);
                i += 3;
            }
            _ if rest.starts_with(b"->") => {
                tokens.push(Token::Arrow);
                i += 2;
            }
            b':' => {
                tokens.push(Token::Colon);
                i += 1;
            }
            b',' => {
                tokens.push(Token::Comma);
                i += 1;
            }
            b @ (b'{' | b'[') => {
                tokens.push(Token::Open(char::from(b)));
                i += 1;
            }
            b @ (b'}' | b']') => {
                tokens.push(Token::Close(char::from(b)));
                i += 1;
            }
            b if is_word_byte(b) => {
                let end = word_end(bytes, i);
                tokens.push(Token::Word(text[i..end].to_owned()));
                i = end;
            }
            _ => {
                tokens.push(Token::Other);
                // Skip a whole character, so that slicing stays on boundaries.
                i += text[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    Some(tokens)
}

/// Bytes a word may hold: letters, digits, `_`, `-` (rule names, dates) and `.` (decimals).
pub fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.')
}

/// Where the word starting at `start` ends: at a byte no word holds, or before a `-` that
/// starts an arrow (`a->b` reads as `a -> b`).
pub fn word_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while end < bytes.len() && is_word_byte(bytes[end]) && !bytes[end..].starts_with(b"->") {
        end += 1;
    }
    end
}

/// Where the word around (or just before) byte `at` starts and ends.
pub fn word_around(text: &str, at: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let mut start = at;
    while start > 0 && is_word_byte(bytes[start - 1]) && !bytes[start - 1..].starts_with(b"->") {
        start -= 1;
    }
    (start, word_end(bytes, start).max(at))
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|window| window == needle).map(|index| from + index)
}

/// The byte after the `"` that closes a string whose contents start at `from`; a string ends
/// at the end of its line (the grammar's rule), so one left open there is closed by it.
fn string_end(bytes: &[u8], mut from: usize) -> Option<usize> {
    while from < bytes.len() {
        match bytes[from] {
            b'\\' => from += 2,
            b'"' => return Some(from + 1),
            b'\n' => return Some(from),
            _ => from += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_end(text: &str) -> Place {
        place(text, text.len())
    }

    #[test]
    fn knows_statements_at_each_level() {
        assert_eq!(at_end(""), Place::Statement(None));
        assert_eq!(at_end("system s {\n  "), Place::Statement(Some(Keyword::System)));
        assert_eq!(at_end("boundary b {\n  component c { kind: pump }\n  "), Place::Statement(Some(Keyword::Boundary)));
        assert_eq!(at_end("boundary b {\n  component c { kind: pump }\n}\n"), Place::Statement(None));
    }

    #[test]
    fn knows_attribute_values_and_list_items() {
        let value = |keyword, attribute: &str| Place::Value { keyword, attribute: attribute.to_owned() };
        assert_eq!(at_end("flow a -> b {\n  medium: "), value(Keyword::Flow, "medium"));
        assert_eq!(at_end("flow a -> b { authn: none, medium: "), value(Keyword::Flow, "medium"));
        assert_eq!(at_end("flow a -> b {\n  carries: [x, "), value(Keyword::Flow, "carries"));
        assert_eq!(at_end("flow a -> b {\n  carries: [x,\n   "), value(Keyword::Flow, "carries"));
    }

    #[test]
    fn knows_map_keys_and_values() {
        let text = "component c {\n  update: { signed: true, ";
        assert_eq!(at_end(text), Place::MapKey { keyword: Keyword::Component, attribute: "update".to_owned() });
        assert_eq!(
            at_end("risk_matrix m {\n  high: { serious: "),
            Place::MapValue { keyword: Keyword::RiskMatrix, attribute: "high".to_owned(), key: "serious".to_owned() }
        );
    }

    #[test]
    fn knows_headers_and_skips_strings_and_comments() {
        assert_eq!(
            at_end("flow bolus: app -> "),
            Place::Header {
                keyword: Keyword::Flow,
                after: vec![Token::Word("bolus".into()), Token::Colon, Token::Word("app".into()), Token::Arrow]
            }
        );
        assert_eq!(at_end("component c \"a { b\" { // {\n  /* } */ "), Place::Statement(Some(Keyword::Component)));
        assert_eq!(at_end("component c \"open"), Place::Elsewhere);
        assert_eq!(at_end("// comment "), Place::Elsewhere);
    }

    #[test]
    fn words_stop_before_arrows() {
        assert_eq!(word_around("flow a->b", 6), (5, 6));
        assert_eq!(word_around("accept weak-ble-pairing on", 12), (7, 23));
        assert_eq!(word_around("  ", 1), (1, 1));
    }
}
