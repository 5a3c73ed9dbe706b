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
    /// Closing brackets (and quotes) missing where the text shows they belong, in source order:
    /// the parser reads the text with them in, so that the declaration survives its mistake.
    /// Each is reported; a bracket's diagnostic has the fix that puts it in.
    pub repairs: Vec<Repair>,
}

/// Closing brackets to put at `at` (see [`Scan::repairs`]), in place of the `replaced` bytes
/// there: none (an insertion), or a closer of the other kind, as long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub at: usize,
    pub replaced: usize,
    pub insert: String,
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
    scan_with(text, true)
}

/// A closer whose indentation says it closes an outer bracket, the inner ones left open (see
/// [`scan_with`]).
struct Misplaced {
    /// Where the inner closers belong: after the last thing before the closer.
    at: usize,
    /// Their closers, innermost first.
    insert: String,
    /// The innermost bracket left open.
    opener: (u8, usize),
}

/// At most this many misplaced closers are remembered, and tried in order.
const MISPLACED_TRIED: usize = 4;

/// [`scan`]; with `repair_by_indentation`, brackets left open at the end of the file are looked
/// for where the layout shows them: a `}` first on its line, indented as the line of an outer `{`
/// and not as the line of the one it closes, closes the outer one (the way a formatted model is
/// laid out), so the inner ones miss their closers before it; a declaration keyword in the first
/// column starts a top-level declaration, so the brackets still open miss their closers before
/// it; failing both, they close at the end of the file. The first such place that balances the
/// whole file is taken as a repair.
fn scan_with(text: &str, repair_by_indentation: bool) -> Scan {
    let bytes = text.as_bytes();
    let mut out = Scan::default();
    let mut misplaced: Vec<Misplaced> = Vec::new();
    // Open brackets: (byte, offset).
    let mut stack: Vec<(u8, usize)> = Vec::new();
    // The start of the region being cut for depth, and the depth to return to.
    let mut deep: Option<(usize, usize)> = None;
    // The end of the last byte that is not whitespace or a comment: where a missing closing
    // bracket belongs.
    let mut content_end = 0;
    let mut i = 0;
    while i < bytes.len() {
        if i == 0 || bytes[i - 1] == b'\n' {
            if stack.is_empty() && bytes[i].is_ascii_alphabetic() {
                out.top_level_lines.push(i);
            } else if repair_by_indentation
                && misplaced.len() < MISPLACED_TRIED
                && let Some(&(innermost, innermost_offset)) = stack.last()
                && starts_declaration(bytes, i)
            {
                // A declaration in the first column, inside a bracket: maybe the bracket was
                // never closed (tried only if the file ends with brackets open).
                let insert = stack.iter().rev().map(|&(open, _)| char::from(closer_of(open))).collect();
                misplaced.push(Misplaced { at: content_end, insert, opener: (innermost, innermost_offset) });
            } else if stack.last().is_some_and(|&(opener, _)| opener == b'[')
                && let Some(key) = attribute_key_at(bytes, i)
            {
                // `name:` starts an attribute, which no list holds: the list ended without its `]`.
                let (_, opener_offset) = stack.pop().unwrap_or_default();
                out.diagnostics.push(missing_closer("]", content_end, opener_offset, b'[', Some(key)));
                out.repairs.push(Repair { at: content_end, replaced: 0, insert: "]".to_owned() });
            }
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
                content_end = end;
            }
            b'"' => {
                i = scan_string(bytes, i, &mut out);
                content_end = i;
            }
            opener @ (b'{' | b'[') => {
                content_end = i + 1;
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
                if repair_by_indentation
                    && misplaced.len() < MISPLACED_TRIED
                    && let Some(found) = closes_outer(bytes, closer, i, content_end, &stack)
                {
                    misplaced.push(found);
                }
                close_bracket(bytes, closer, i, content_end, &mut stack, &mut out);
                content_end = i + 1;
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
                let run_start = i;
                i += 1;
                while i < bytes.len() && !STARTS_TOKEN[usize::from(bytes[i])] {
                    i += 1;
                }
                let run_end = bytes[run_start..i]
                    .iter()
                    .rposition(|byte| !byte.is_ascii_whitespace())
                    .map(|last| run_start + last + 1);
                if let Some(run_end) = run_end {
                    content_end = run_end;
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
    if let Some(&(innermost, innermost_offset)) = stack.last() {
        // Last resort: the brackets close at the end of what the file says.
        let insert = stack.iter().rev().map(|&(open, _)| char::from(closer_of(open))).collect();
        misplaced.push(Misplaced { at: content_end, insert, opener: (innermost, innermost_offset) });
    }
    if !stack.is_empty()
        && !swallowed
        && repair_by_indentation
        && out.diagnostics.len() < crate::limits::MAX_SYNTAX_ERRORS
        && stack.len() <= MAX_NESTING
        && let Some(found) = {
            let known = bracket_problems(&out.diagnostics);
            misplaced.into_iter().find(|found| balances(text, found, known))
        }
    {
        let (opener, opener_offset) = found.opener;
        out.diagnostics.push(missing_closer(&found.insert, found.at, opener_offset, opener, None));
        let index = out.repairs.partition_point(|repair| repair.at <= found.at);
        out.repairs.insert(index, Repair { at: found.at, replaced: 0, insert: found.insert });
    } else if let Some(&(opener, offset)) = stack.first().filter(|_| !swallowed) {
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

/// How far the layout heuristics below look for a line's start or the next line: bounded, so
/// that a model of very long lines is still scanned in linear time (a closer on such a line is
/// not first on it anyway).
const LAYOUT_REACH: usize = 512;

/// The indentation of the line holding `offset` (spaces and tabs at its start), if its start is
/// within reach.
fn indentation_at(bytes: &[u8], offset: usize) -> Option<usize> {
    let from = offset.saturating_sub(LAYOUT_REACH);
    let start = match bytes[from..offset].iter().rposition(|byte| *byte == b'\n') {
        Some(newline) => from + newline + 1,
        None if from == 0 => 0,
        None => return None,
    };
    Some(bytes[start..].iter().take_while(|byte| matches!(byte, b' ' | b'\t')).count())
}

/// Whether the closer at `offset` is the first thing on its line.
fn first_on_line(bytes: &[u8], offset: usize) -> bool {
    let from = offset.saturating_sub(LAYOUT_REACH);
    let before = &bytes[from..offset];
    let start = before.iter().rposition(|byte| *byte == b'\n').map(|newline| newline + 1);
    (start.is_some() || from == 0) && before[start.unwrap_or(0)..].iter().all(|byte| matches!(byte, b' ' | b'\t'))
}

/// Whether a closer that does not match the innermost bracket was typed for that bracket's
/// closer: it follows other text on its line, and the next line that is not blank is indented
/// deeper than the line of the bracket it would close, so the enclosing block goes on
/// (`functions: [a, b}` with the next attribute below it).
fn typed_for(bytes: &[u8], offset: usize, enclosing: usize) -> bool {
    if first_on_line(bytes, offset) {
        return false;
    }
    let Some(enclosing_indent) = indentation_at(bytes, enclosing) else { return false };
    let reach = bytes.len().min(offset + 1 + LAYOUT_REACH);
    let mut next = offset + 1;
    while let Some(newline) = bytes[next..reach].iter().position(|byte| *byte == b'\n') {
        next += newline + 1;
        let width = bytes[next..].iter().take_while(|byte| matches!(byte, b' ' | b'\t')).count();
        match bytes.get(next + width) {
            Some(b'\n' | b'\r') => {}
            Some(_) => return width > enclosing_indent,
            None => return false,
        }
    }
    false
}

/// A closer first on its line whose indentation matches the line of an outer opener of its kind
/// (among the [`MAX_NESTING`] innermost) and not the line of the opener it closes.
fn closes_outer(
    bytes: &[u8],
    closer: u8,
    offset: usize,
    content_end: usize,
    stack: &[(u8, usize)],
) -> Option<Misplaced> {
    if !first_on_line(bytes, offset) {
        return None;
    }
    let indent = indentation_at(bytes, offset)?;
    let &(top, top_offset) = stack.last()?;
    if closer_of(top) != closer || indentation_at(bytes, top_offset) == Some(indent) {
        return None;
    }
    let window = stack.len().saturating_sub(MAX_NESTING)..stack.len() - 1;
    let outer = window.start
        + stack[window].iter().rposition(|&(open, open_offset)| {
            closer_of(open) == closer && indentation_at(bytes, open_offset) == Some(indent)
        })?;
    let insert = stack[outer + 1..].iter().rev().map(|&(open, _)| char::from(closer_of(open))).collect();
    Some(Misplaced { at: content_end, insert, opener: (top, top_offset) })
}

/// Whether the line at `line_start` starts, in its first column, with a declaration keyword
/// followed by a space.
fn starts_declaration(bytes: &[u8], line_start: usize) -> bool {
    let length = bytes[line_start..].iter().take_while(|byte| byte.is_ascii_alphabetic() || **byte == b'_').count();
    length > 0
        && bytes.get(line_start + length) == Some(&b' ')
        && std::str::from_utf8(&bytes[line_start..line_start + length])
            .is_ok_and(|word| crate::ast::Keyword::from_word(word).is_some())
}

/// How many of `diagnostics` are about brackets.
fn bracket_problems(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| matches!(d.code, Code::UnclosedDelimiter | Code::UnexpectedDelimiter)).count()
}

/// Whether the text with `found`'s closers in leaves no bracket open: it has no bracket problem
/// beyond the `known` ones the scan met before the end of the file (and repaired or reported).
fn balances(text: &str, found: &Misplaced, known: usize) -> bool {
    let repaired = format!("{}{}{}", &text[..found.at], found.insert, &text[found.at..]);
    bracket_problems(&scan_with(&repaired, false).diagnostics) == known
}

/// Scans a `"` string starting at `start`; returns the offset after it.
fn scan_string(bytes: &[u8], start: usize, out: &mut Scan) -> usize {
    let mut j = start + 1;
    loop {
        match bytes.get(j) {
            Some(b'"') => return j + 1,
            Some(b'\\') if bytes.get(j + 1).is_some_and(|&next| next != b'\n') => j += 2,
            Some(b'\n' | b'\\') | None => {
                let end = if bytes.get(j) == Some(&b'\\') { j + 1 } else { j };
                let end = end.min(bytes.len());
                // Read as closed before a block that opens on its line (a label: `"Pump {`), else
                // at the end of the line, so that the line's declaration survives.
                if bytes.get(j) == Some(&b'\n') {
                    let line_end = if bytes[j - 1] == b'\r' { j - 1 } else { j };
                    let at = bytes[start + 1..line_end]
                        .windows(2)
                        .position(|pair| pair == b" {")
                        .map_or(line_end, |block| start + 1 + block);
                    out.repairs.push(Repair { at, replaced: 0, insert: "\"".to_owned() });
                }
                out.diagnostics.push(
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

fn close_bracket(
    bytes: &[u8],
    closer: u8,
    offset: usize,
    content_end: usize,
    stack: &mut Vec<(u8, usize)>,
    out: &mut Scan,
) {
    let closer_char = char::from(closer);
    match stack.last() {
        Some(&(opener, _)) if closer_of(opener) == closer => {
            stack.pop();
        }
        Some(&(top, top_offset)) if stack.iter().any(|&(open, _)| closer_of(open) == closer) => {
            let matching = stack.iter().rposition(|&(open, _)| closer_of(open) == closer).unwrap_or_default();
            if typed_for(bytes, offset, stack[matching].1) {
                // The block goes on after it: the closer was typed for the innermost one's.
                let expected = char::from(closer_of(top));
                stack.pop();
                out.diagnostics.push(
                    Diagnostic::new(
                        Code::UnexpectedDelimiter,
                        Span::new(offset, offset + 1),
                        format!("mismatched `{closer_char}`"),
                    )
                    .with_label(format!("expected `{expected}`"))
                    .with_related(Span::new(top_offset, top_offset + 1), format!("to close this `{}`", char::from(top)))
                    .with_help(format!("write `{expected}`: what follows still belongs to the block"))
                    .with_fix(
                        format!("replace with `{expected}`"),
                        Span::new(offset, offset + 1),
                        expected.to_string(),
                    ),
                );
                out.repairs.push(Repair { at: offset, replaced: 1, insert: expected.to_string() });
                return;
            }
            // Brackets of the other kind are still open inside: their closers belong after the
            // last thing before this one. Reported once, at the innermost, and closed up to the
            // matching opener.
            let missing: String =
                stack.drain(matching + 1..).rev().map(|(open, _)| char::from(closer_of(open))).collect();
            stack.truncate(matching);
            let mut diagnostic = missing_closer(&missing, content_end, top_offset, top, None);
            diagnostic = diagnostic.with_related(Span::new(offset, offset + 1), format!("before this `{closer_char}`"));
            out.diagnostics.push(diagnostic);
            out.repairs.push(Repair { at: content_end, replaced: 0, insert: missing });
        }
        _ => out.diagnostics.push(
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

/// A closing bracket (or several, `missing`) left out: reported where it belongs, `at`, with a
/// fix that inserts it. `next` is the attribute name that shows the list has ended.
fn missing_closer(missing: &str, at: usize, opener_offset: usize, opener: u8, next: Option<&str>) -> Diagnostic {
    let opener = char::from(opener);
    let what = match missing.len() {
        1 if opener == '[' => "list".to_owned(),
        1 => "block".to_owned(),
        several => format!("{several} brackets left open"),
    };
    let help = match next {
        Some(key) => format!("close the {what} with `{missing}`: `{key}:` starts the next attribute"),
        None => format!("close the {what} with `{missing}`"),
    };
    Diagnostic::new(Code::UnclosedDelimiter, Span::at(at), format!("missing `{missing}`"))
        .with_label(format!("expected `{missing}` here"))
        .with_related(Span::new(opener_offset, opener_offset + 1), format!("to close this `{opener}`"))
        .with_help(help)
        .with_fix(format!("insert `{missing}`"), Span::at(at), missing)
}

/// The name of the attribute that starts at `line_start` (after indentation): a word followed by
/// `:`, as in `update: {`.
fn attribute_key_at(bytes: &[u8], line_start: usize) -> Option<&str> {
    let start = line_start + bytes[line_start..].iter().take_while(|byte| matches!(byte, b' ' | b'\t')).count();
    let length = bytes[start..].iter().take_while(|byte| byte.is_ascii_alphanumeric() || **byte == b'_').count();
    if length == 0 || !bytes[start].is_ascii_alphabetic() {
        return None;
    }
    let after = start + length;
    let colon = after + bytes[after..].iter().take_while(|byte| matches!(byte, b' ' | b'\t')).count();
    (bytes.get(colon) == Some(&b':')).then(|| std::str::from_utf8(&bytes[start..after]).ok()).flatten()
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
        assert_eq!(codes("a { b: [1, 2 }"), vec!["E0105"]);
        assert_eq!(codes("a { b: 1 "), vec!["E0105"]);
        assert_eq!(codes("a } "), vec!["E0106"]);
    }

    fn repairs(text: &str) -> Vec<(usize, usize, String)> {
        scan(text).repairs.into_iter().map(|repair| (repair.at, repair.replaced, repair.insert)).collect()
    }

    #[test]
    fn missing_closers_are_put_where_the_layout_shows() {
        // A list followed by an attribute: its `]` after the last item, before the comment.
        assert_eq!(repairs("c {\n  f: [a, b // x\n  u: 1\n}"), vec![(14, 0, "]".to_owned())]);
        // A `}` typed for `]`, the block going on below it: replaced.
        assert_eq!(repairs("c {\n  f: [a, b}\n  u: 1\n}"), vec![(14, 1, "]".to_owned())]);
        // A block left open before a declaration in the first column.
        let text = "c {\n  k: x\nasset a { k: y }\n";
        assert_eq!(repairs(text), vec![(10, 0, "}".to_owned())]);
        // A map left open, the block's `}` indented as the block's line.
        let text = "c {\n  m: { a: b\n}\n";
        assert_eq!(repairs(text), vec![(15, 0, "}".to_owned())]);
        // Two mistakes in one file: a list left open, and the last block never closed.
        let text = "c {\n  f: [a\n  u: 1\n}\nd {\n  k: x\n";
        assert_eq!(repairs(text), vec![(11, 0, "]".to_owned()), (text.len() - 1, 0, "}".to_owned())]);
        // Well-formed multi-line lists and maps need nothing.
        assert!(repairs("c {\n  f: [\n    a,\n    b\n  ]\n  m: {\n    a: b\n  }\n}\n").is_empty());
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
