//! The lexical reading of model text that completion and hover need while it is being typed
//! and does not parse: tokens by the grammar's lexical rules (comments, strings, text blocks,
//! words with `-`, arrows), the word around a position, and whether a position is inside a
//! comment or a string.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    Word(&'a str),
    /// A string, a number or a date.
    Literal,
    Colon,
    Comma,
    Arrow,
    Open(u8),
    Close(u8),
    Newline,
}

/// Whether `before` ends inside a comment, a string or a text block.
pub fn in_comment_or_string(before: &str) -> bool {
    tokens(before).is_none()
}

/// Bytes a word may hold: letters, digits, `_`, `-` (rule names, dates) and `.` (decimals).
fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.')
}

/// Where the word around (or just before) byte `at` starts and ends; a word stops before a `-`
/// that starts an arrow (`a->b` reads as `a -> b`). `at` is clamped to the text.
pub fn word_around(text: &str, at: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut at = at.min(bytes.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let mut start = at;
    while start > 0 && is_word_byte(bytes[start - 1]) && !bytes[start - 1..].starts_with(b"->") {
        start -= 1;
    }
    let mut end = start;
    while end < bytes.len() && is_word_byte(bytes[end]) && !bytes[end..].starts_with(b"->") {
        end += 1;
    }
    (start, end.max(at))
}

/// The tokens of `text`, or `None` when it ends inside a comment, a string or a text block.
pub fn tokens(text: &str) -> Option<Vec<Token<'_>>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    while i < bytes.len() {
        let rest = &bytes[i..];
        match bytes[i] {
            b'\n' => {
                out.push(Token::Newline);
                i += 1;
            }
            b'/' if rest.starts_with(b"//") => match text[i..].find('\n') {
                Some(end) => i += end,
                None => return None,
            },
            b'/' if rest.starts_with(b"/*") => match text[i + 2..].find("*/") {
                Some(end) => i += end + 4,
                None => return None,
            },
            b'"' if rest.starts_with(b"\"\"\"") => match text[i + 3..].find("\"\"\"") {
                Some(end) => {
                    i += end + 6;
                    out.push(Token::Literal);
                }
                None => return None,
            },
            b'"' => {
                let mut j = i + 1;
                loop {
                    match bytes.get(j) {
                        None => return None,
                        Some(b'"' | b'\n') => break,
                        Some(b'\\') => j += 2,
                        Some(_) => j += 1,
                    }
                }
                // An unterminated string ends at its line's end.
                i = if bytes.get(j) == Some(&b'"') { j + 1 } else { j };
                out.push(Token::Literal);
            }
            b'-' if rest.starts_with(b"->") => {
                out.push(Token::Arrow);
                i += 2;
            }
            b'<' if rest.starts_with(b"<->") => {
                out.push(Token::Arrow);
                i += 3;
            }
            b'{' | b'[' => {
                out.push(Token::Open(bytes[i]));
                i += 1;
            }
            b'}' | b']' => {
                out.push(Token::Close(bytes[i]));
                i += 1;
            }
            b':' => {
                out.push(Token::Colon);
                i += 1;
            }
            b',' => {
                out.push(Token::Comma);
                i += 1;
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                let start = i;
                while i < bytes.len() && (is_word(bytes[i]) || (bytes[i] == b'-' && bytes.get(i + 1) != Some(&b'>'))) {
                    i += 1;
                }
                out.push(Token::Word(&text[start..i]));
            }
            b if b.is_ascii_digit() || (b == b'-' && rest.get(1).is_some_and(u8::is_ascii_digit)) => {
                i += 1;
                while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.' || bytes[i] == b'-') {
                    i += 1;
                }
                out.push(Token::Literal);
            }
            _ => i += 1,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_stop_before_arrows() {
        assert_eq!(word_around("flow a->b", 6), (5, 6));
        assert_eq!(word_around("accept weak-ble-pairing on", 12), (7, 23));
        assert_eq!(word_around("  ", 1), (1, 1));
        assert_eq!(word_around("a é", 3), (2, 2));
    }
}
