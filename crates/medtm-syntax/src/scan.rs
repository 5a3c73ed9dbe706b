//! The lexical pre-pass: one linear scan that finds comments, brackets, strings and text blocks
//! before the grammar runs.
//!
//! pest treats comments as silent trivia and recurses once per nesting level, so three things are
//! done here instead, by hand, in a loop that cannot overflow the stack:
//! - comments are collected with their spans (doc comments attach to declarations; the formatter
//!   keeps every comment);
//! - brackets are matched, so an unclosed `{` is reported where it opens rather than at the end of
//!   the file, and nesting deeper than [`MAX_NESTING`] is cut out before pest could recurse into it;
//! - unterminated strings, text blocks and block comments get their own diagnostics.
//!
//! The lexical rules mirror `grammar/medtm.pest` exactly: `//` to the end of the line, `/* */`
//! without nesting, `"` strings that end at the line's end, `"""` text blocks.

use crate::diagnostic::{Code, Diagnostic};
use crate::limits::MAX_NESTING;
use crate::span::Span;

/// The kind of a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CommentKind {
    /// `// ...`
    Line,
    /// `/// ...`, documentation for the next declaration.
    Doc,
    /// `/* ... */`
    Block,
}

/// A comment and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Comment {
    pub kind: CommentKind,
    pub span: Span,
}

/// What the lexical pre-pass found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Every comment, in source order.
    pub comments: Vec<Comment>,
    /// Block comments and text blocks: regions that may span lines and hide keywords.
    pub multiline_regions: Vec<Span>,
    /// Bracketed regions nested deeper than [`MAX_NESTING`], to be blanked before parsing.
    pub too_deep: Vec<Span>,
    /// Lexical problems: unterminated strings and comments, unbalanced and too-deep brackets.
    pub diagnostics: Vec<Diagnostic>,
    /// Starts of lines that begin, outside any bracket, comment or text block, with a letter:
    /// where top-level declarations can start, for splitting large files.
    pub top_level_lines: Vec<usize>,
}

impl Scan {
    /// Whether `offset` lies inside a block comment or a text block.
    pub fn in_multiline_region(&self, offset: usize) -> bool {
        let index = self.multiline_regions.partition_point(|region| region.end <= offset);
        self.multiline_regions.get(index).is_some_and(|region| region.contains(offset))
    }
}

const fn closer_of(opener: u8) -> u8 {
    if opener == b'{' { b'}' } else { b']' }
}

/// The bytes that the scan acts on: those that can start a comment, string, text block or
/// bracket, and the line break before a possible top-level declaration.
const STARTS_TOKEN: [bool; 256] = {
    let mut table = [false; 256];
    let mut index = 0;
    let bytes = b"/\"{}[]\n";
    while index < bytes.len() {
        table[bytes[index] as usize] = true;
        index += 1;
    }
    table
};

/// Scans `text` once. Never panics and runs in linear time.
pub fn scan(text: &str) -> Scan {
    let bytes = text.as_bytes();
    let mut out = Scan::default();
    // Open brackets: (byte, offset).
    let mut stack: Vec<(u8, usize)> = Vec::new();
    // The start of the region being cut for depth, and the depth to return to.
    let mut deep: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < bytes.len() {
        if (i == 0 || bytes[i - 1] == b'\n') && stack.is_empty() && bytes[i].is_ascii_alphabetic() {
            out.top_level_lines.push(i);
        }
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = find_byte(bytes, i, b'\n');
                let is_doc = bytes.get(i + 2) == Some(&b'/') && bytes.get(i + 3) != Some(&b'/');
                let kind = if is_doc { CommentKind::Doc } else { CommentKind::Line };
                out.comments.push(Comment { kind, span: Span::new(i, end) });
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = if let Some(close) = find_str(bytes, i + 2, b"*/") {
                    close + 2
                } else {
                    out.diagnostics.push(
                        Diagnostic::new(Code::UnterminatedComment, Span::new(i, i + 2), "unterminated block comment")
                            .with_label("this comment is never closed")
                            .with_help("close it with `*/`"),
                    );
                    bytes.len()
                };
                let span = Span::new(i, end);
                out.comments.push(Comment { kind: CommentKind::Block, span });
                out.multiline_regions.push(span);
                i = end;
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                let end = if let Some(close) = find_str(bytes, i + 3, b"\"\"\"") {
                    close + 3
                } else {
                    out.diagnostics.push(
                        Diagnostic::new(Code::UnterminatedComment, Span::new(i, i + 3), "unterminated text block")
                            .with_label("this text block is never closed")
                            .with_help("close it with `\"\"\"`"),
                    );
                    bytes.len()
                };
                out.multiline_regions.push(Span::new(i, end));
                i = end;
            }
            b'"' => i = scan_string(bytes, i, &mut out.diagnostics),
            opener @ (b'{' | b'[') => {
                stack.push((opener, i));
                if deep.is_none() && stack.len() > MAX_NESTING {
                    deep = Some((i, stack.len() - 1));
                    out.diagnostics.push(
                        Diagnostic::new(
                            Code::NestingTooDeep,
                            Span::new(i, i + 1),
                            format!("nesting deeper than {MAX_NESTING} levels"),
                        )
                        .with_label(format!("level {} starts here", MAX_NESTING + 1))
                        .with_help("flatten the model: no real system needs this depth; the nested part is skipped"),
                    );
                }
                i += 1;
            }
            closer @ (b'}' | b']') => {
                close_bracket(closer, i, &mut stack, &mut out.diagnostics);
                if let Some((start, depth)) = deep
                    && stack.len() <= depth
                {
                    out.too_deep.push(Span::new(start, i + 1));
                    deep = None;
                }
                i += 1;
            }
            b'\n' => i += 1,
            // Most bytes are none of the above: pass over them in a tight loop. It stops at a
            // line break, so that the next line's start is checked above.
            _ => {
                i += 1;
                while i < bytes.len() && !STARTS_TOKEN[usize::from(bytes[i])] {
                    i += 1;
                }
            }
        }
    }
    if let Some((start, _)) = deep {
        out.too_deep.push(Span::new(start, bytes.len()));
    }
    // Brackets left open because an unterminated comment, text block or string ran to the end of
    // the file are a consequence of that, which is already reported.
    let swallowed = out.diagnostics.iter().any(|d| {
        d.code == Code::UnterminatedComment || (d.code == Code::UnterminatedString && d.span.end == bytes.len())
    });
    if let Some(&(opener, offset)) = stack.first().filter(|_| !swallowed) {
        let closer = char::from(closer_of(opener));
        let mut diagnostic = Diagnostic::new(
            Code::UnclosedDelimiter,
            Span::new(offset, offset + 1),
            format!("unclosed `{}`", char::from(opener)),
        )
        .with_label(format!("this `{}` is never closed", char::from(opener)))
        .with_help(format!("add the missing `{closer}`; the declarations after this one may be inside it by mistake"));
        if stack.len() > 1
            && let Some(&(inner, inner_offset)) = stack.last()
        {
            diagnostic = diagnostic.with_related(
                Span::new(inner_offset, inner_offset + 1),
                format!("the innermost unclosed `{}` is here", char::from(inner)),
            );
        }
        out.diagnostics.push(diagnostic);
    }
    out
}

/// Scans a `"` string starting at `start`; returns the offset after it.
fn scan_string(bytes: &[u8], start: usize, diagnostics: &mut Vec<Diagnostic>) -> usize {
    let mut j = start + 1;
    loop {
        match bytes.get(j) {
            Some(b'"') => return j + 1,
            Some(b'\\') if bytes.get(j + 1).is_some_and(|&next| next != b'\n') => j += 2,
            Some(b'\n' | b'\\') | None => {
                let end = if bytes.get(j) == Some(&b'\\') { j + 1 } else { j };
                let end = end.min(bytes.len());
                diagnostics.push(
                    Diagnostic::new(Code::UnterminatedString, Span::new(start, end), "unterminated string")
                        .with_label("this string is not closed on its line")
                        .with_help("close it with `\"`, or use `\"\"\"` for text that spans lines"),
                );
                return end;
            }
            Some(_) => j += 1,
        }
    }
}

fn close_bracket(closer: u8, offset: usize, stack: &mut Vec<(u8, usize)>, diagnostics: &mut Vec<Diagnostic>) {
    let closer_char = char::from(closer);
    match stack.last() {
        Some(&(opener, _)) if closer_of(opener) == closer => {
            stack.pop();
        }
        Some(&(opener, opener_offset)) if stack.iter().any(|&(open, _)| closer_of(open) == closer) => {
            // A bracket of the other kind is still open inside: report it, and close up to the
            // matching opener so that one mistake is reported once.
            diagnostics.push(
                Diagnostic::new(
                    Code::UnexpectedDelimiter,
                    Span::new(offset, offset + 1),
                    format!("mismatched `{closer_char}`"),
                )
                .with_label(format!("expected `{}` first", char::from(closer_of(opener))))
                .with_related(
                    Span::new(opener_offset, opener_offset + 1),
                    format!("to close this `{}`", char::from(opener)),
                )
                .with_help(format!("add `{}` before this `{closer_char}`", char::from(closer_of(opener)))),
            );
            while let Some((open, _)) = stack.pop() {
                if closer_of(open) == closer {
                    break;
                }
            }
        }
        _ => diagnostics.push(
            Diagnostic::new(
                Code::UnexpectedDelimiter,
                Span::new(offset, offset + 1),
                format!("unexpected `{closer_char}`"),
            )
            .with_label("this closes nothing")
            .with_help("remove it, or add the opening bracket it was meant to close"),
        ),
    }
}

fn find_byte(bytes: &[u8], from: usize, needle: u8) -> usize {
    bytes[from..].iter().position(|&b| b == needle).map_or(bytes.len(), |p| from + p)
}

fn find_str(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|window| window == needle).map(|p| from + p)
}

/// The offset of the first character after `offset` that is not whitespace or a comment.
pub fn skip_trivia(text: &str, mut offset: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        while offset < bytes.len() && matches!(bytes[offset], b' ' | b'\t' | b'\r' | b'\n') {
            offset += 1;
        }
        if text[offset..].starts_with('\u{feff}') {
            offset += '\u{feff}'.len_utf8();
        } else if bytes[offset..].starts_with(b"//") {
            offset = find_byte(bytes, offset, b'\n');
        } else if bytes[offset..].starts_with(b"/*") {
            offset = find_str(bytes, offset + 2, b"*/").map_or(bytes.len(), |close| close + 2);
        } else {
            return offset;
        }
    }
}

/// Replaces the too-deep regions with spaces (keeping newlines and byte offsets), so the parser
/// sees balanced, shallow text and every span still points into the original.
pub fn blank_regions(text: &str, regions: &[Span]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for region in regions {
        for byte in &mut bytes[region.start..region.end] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
    }
    // Each blanked region starts and ends on ASCII brackets (or the end of the text) and every
    // byte inside became ASCII, so the result is still UTF-8; fall back to lossy just in case.
    String::from_utf8(bytes).unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<&'static str> {
        scan(text).diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn collects_comments_by_kind() {
        let text = "// a\n/// doc\n//// rule\n/* b\n c */ x";
        let kinds: Vec<_> = scan(text).comments.iter().map(|c| (c.kind, c.span.slice(text))).collect();
        assert_eq!(
            kinds,
            vec![
                (CommentKind::Line, "// a"),
                (CommentKind::Doc, "/// doc"),
                (CommentKind::Line, "//// rule"),
                (CommentKind::Block, "/* b\n c */"),
            ]
        );
    }

    #[test]
    fn brackets_inside_strings_and_comments_do_not_count() {
        assert!(codes("a { b: \"}\" // }\n /* { */ c: \"\"\" [ \"\"\" }").is_empty());
    }

    #[test]
    fn reports_unclosed_and_unexpected_brackets() {
        assert_eq!(codes("a { b: [1, 2 }"), vec!["E0106"]);
        assert_eq!(codes("a { b: 1 "), vec!["E0105"]);
        assert_eq!(codes("a } "), vec!["E0106"]);
    }

    #[test]
    fn reports_unterminated_strings_comments_and_text_blocks() {
        assert_eq!(codes("a \"abc\nb"), vec!["E0102"]);
        assert_eq!(codes("a \"abc\\"), vec!["E0102"]);
        assert_eq!(codes("/* abc"), vec!["E0103"]);
        assert_eq!(codes("x: \"\"\"abc"), vec!["E0103"]);
    }

    #[test]
    fn cuts_out_nesting_deeper_than_the_limit() {
        let depth = MAX_NESTING + 10;
        let text = format!("x: {}{}", "[".repeat(depth), "]".repeat(depth));
        let scanned = scan(&text);
        assert_eq!(scanned.diagnostics.len(), 1);
        assert_eq!(scanned.diagnostics[0].code, Code::NestingTooDeep);
        let region = scanned.too_deep[0];
        assert_eq!(region.start, 3 + MAX_NESTING);
        assert_eq!(region.end, text.len() - MAX_NESTING);
        let blanked = blank_regions(&text, &scanned.too_deep);
        assert_eq!(blanked.len(), text.len());
        assert!(scan(&blanked).diagnostics.is_empty());
    }

    #[test]
    fn skips_trivia() {
        let text = "  // c\n /* d */\n\u{feff} x";
        assert_eq!(&text[skip_trivia(text, 0)..], "x");
        assert_eq!(skip_trivia("// only", 0), 7);
    }
}
