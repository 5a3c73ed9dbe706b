//! Source text to [`ast::File`]: runs the lexical scan, parses one top-level declaration at a time
//! with the pest grammar, and recovers from a syntax error at the next top-level declaration.
//! Brackets and quotes the scan finds missing are put in first ([`scan::Repair`]), so that the
//! declaration they belong to survives; spans are taken back to the source.

use pest::Parser as _;
use pest::iterators::Pair;

use crate::ast::{
    Attribute, Block, Declaration, Direction, Entry, File, Header, Ident, Keyword, MapEntry, StringLiteral, Value,
    ValueKind,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::limits::{MAX_DECLARATIONS, MAX_SYNTAX_ERRORS};
use crate::scan::{self, CommentKind, Scan};
use crate::span::Span;

#[derive(pest_derive::Parser)]
#[grammar = "../../grammar/medtm.pest"]
struct Grammar;

/// The result of parsing: the tree of everything that parsed, and every problem found.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub file: File,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses a model. Never panics; every problem becomes a diagnostic and parsing continues with
/// the next top-level declaration.
pub fn parse(text: &str) -> Parsed {
    parse_with(text, PIECEWISE_BYTES)
}

/// Parses as [`parse`] does, but boundaries and systems of at least `piecewise` bytes an entry
/// at a time: with 0, every one that can be; with `usize::MAX`, none. For the `parse` fuzz
/// target, which checks that both give the same result.
#[doc(hidden)]
pub fn parse_with(text: &str, piecewise: usize) -> Parsed {
    let scanned = scan::scan(text);
    // With closing brackets missing where the scan sees they belong, the text is read with them
    // in (and scanned again), and every span is taken back to the source.
    let repaired = Repaired::new(text, &scanned);
    let (source, lexed) = repaired.as_ref().map_or((text, &scanned), |repaired| (&repaired.text, &repaired.scanned));
    let offsets = repaired.as_ref().map_or(&UNREPAIRED, |repaired| &repaired.offsets);
    let blanked;
    let parse_text = if lexed.too_deep.is_empty() {
        source
    } else {
        blanked = scan::blank_regions(source, &lexed.too_deep);
        blanked.as_str()
    };
    let (mut declarations, mut diagnostics) = parse_chunks(parse_text, lexed, piecewise, offsets);
    cap_declarations(&mut declarations, &mut diagnostics);
    diagnostics.extend(scanned.diagnostics.iter().cloned());
    let recovered = diagnostics.iter().any(Diagnostic::is_error);
    cap_diagnostics(&mut diagnostics);
    crate::diagnostic::sort_diagnostics(&mut diagnostics);
    let mut file = File { declarations, comments: scanned.comments, recovered };
    attach_doc_comments(text, &mut file);
    Parsed { file, diagnostics }
}

/// The text with the scan's repairs in (see [`Scan::repairs`]), and its own scan.
struct Repaired {
    text: String,
    scanned: Scan,
    offsets: Offsets,
}

impl Repaired {
    /// `None` when nothing is to be repaired, or so much that the text is not a model gone
    /// slightly wrong (garbage gets its diagnostics without being read twice).
    fn new(text: &str, scanned: &Scan) -> Option<Self> {
        if scanned.repairs.is_empty() || scanned.repairs.len() > MAX_SYNTAX_ERRORS {
            return None;
        }
        let mut repaired = String::with_capacity(text.len() + scanned.repairs.len());
        let mut inserted = Vec::with_capacity(scanned.repairs.len());
        let mut copied = 0;
        for repair in &scanned.repairs {
            repaired.push_str(&text[copied..repair.at]);
            // A replacement is as long as what it replaces; only insertions move offsets.
            if repair.replaced == 0 {
                inserted.push((repaired.len(), repair.insert.len()));
            }
            repaired.push_str(&repair.insert);
            copied = repair.at + repair.replaced;
        }
        repaired.push_str(&text[copied..]);
        let scanned = scan::scan(&repaired);
        Some(Repaired { text: repaired, scanned, offsets: Offsets { inserted } })
    }
}

/// Offsets in the text as parsed back to offsets in the source: the parsed text may have
/// closing brackets inserted (see [`Repaired`]), which take no room in the source.
#[derive(Debug, Default)]
struct Offsets {
    /// Where each insertion starts in the parsed text, and its length, in order.
    inserted: Vec<(usize, usize)>,
}

/// The offsets of a text parsed as it is.
static UNREPAIRED: Offsets = Offsets { inserted: Vec::new() };

impl Offsets {
    fn source(&self, offset: usize) -> usize {
        let before = self.inserted.partition_point(|&(start, _)| start < offset);
        let mut shift: usize = self.inserted[..before].iter().map(|&(_, length)| length).sum();
        // An offset inside an insertion is the insertion's place in the source: of that
        // insertion, only the part before the offset is taken off.
        if let Some(&(start, length)) = before.checked_sub(1).map(|last| &self.inserted[last])
            && offset < start + length
        {
            shift -= start + length - offset;
        }
        offset - shift
    }

    fn span(&self, span: Span) -> Span {
        if self.inserted.is_empty() { span } else { Span::new(self.source(span.start), self.source(span.end)) }
    }

    /// A diagnostic found in the parsed text, placed in the source.
    fn diagnostic(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        diagnostic.span = self.span(diagnostic.span);
        for related in &mut diagnostic.related {
            related.span = self.span(related.span);
        }
        if let Some(fix) = &mut diagnostic.fix {
            fix.span = self.span(fix.span);
        }
        diagnostic
    }
}

/// Files at least this large are parsed in parallel chunks (where threads exist).
const PARALLEL_BYTES: usize = 512 * 1024;

/// Boundaries and systems at least this large (up to the next top-level line) are parsed an
/// entry at a time. pest holds the tokens of everything one call parses, so a hospital network
/// boundary of tens of thousands of devices, parsed whole, grew a queue of hundreds of
/// megabytes, and its regrowth alone took a sixth of `medtm report`.
const PIECEWISE_BYTES: usize = 64 * 1024;

/// Parses the whole text, in parallel chunks split at top-level declarations when the file is
/// large and lexically sound (a split inside a broken bracket would change how errors recover).
fn parse_chunks(
    text: &str,
    scanned: &Scan,
    piecewise: usize,
    offsets: &Offsets,
) -> (Vec<Declaration>, Vec<Diagnostic>) {
    let threads = if cfg!(target_arch = "wasm32") {
        1
    } else {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(4)
    };
    if threads < 2 || text.len() < PARALLEL_BYTES || !scanned.diagnostics.is_empty() {
        return parse_range(text, scanned, 0, text.len(), piecewise, offsets);
    }
    // Split near equal byte offsets, each at the first top-level declaration after it.
    let mut bounds = vec![0];
    for part in 1..threads {
        let target = text.len() * part / threads;
        let index = scanned.top_level_lines.partition_point(|&line| line < target);
        if let Some(&split) = scanned.top_level_lines[index..].iter().find(|&&line| starts_with_keyword(&text[line..]))
            && split > *bounds.last().unwrap_or(&0)
        {
            bounds.push(split);
        }
    }
    bounds.push(text.len());
    let results: Vec<(Vec<Declaration>, Vec<Diagnostic>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = bounds
            .windows(2)
            .map(|range| {
                let (start, end) = (range[0], range[1]);
                scope.spawn(move || parse_range(text, scanned, start, end, piecewise, offsets))
            })
            .collect();
        // A panic in a parsing thread is a bug; it surfaces as a syntax diagnostic rather than
        // taking the caller down with it.
        handles
            .into_iter()
            .map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    let diagnostic = Diagnostic::new(Code::SyntaxError, Span::at(0), "internal error while parsing");
                    (Vec::new(), vec![diagnostic])
                })
            })
            .collect()
    });
    // The first chunk has room for all (see `parse_range`): the others are appended to it.
    let mut results = results.into_iter();
    let (mut declarations, mut diagnostics) = results.next().unwrap_or_default();
    for (chunk_declarations, chunk_diagnostics) in results {
        declarations.extend(chunk_declarations);
        diagnostics.extend(chunk_diagnostics);
    }
    (declarations, diagnostics)
}

fn starts_with_keyword(line: &str) -> bool {
    let end = line.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(line.len());
    Keyword::from_word(&line[..end]).is_some()
}

/// Parses the declarations in `text[start..end]`, one at a time, recovering from syntax errors
/// at the next top-level declaration; those spanning at least `piecewise` bytes an entry at a
/// time where they can be. Spans are offsets into the whole text.
fn parse_range(
    text: &str,
    scanned: &Scan,
    start: usize,
    end: usize,
    piecewise: usize,
    offsets: &Offsets,
) -> (Vec<Declaration>, Vec<Diagnostic>) {
    let range = &text[..end];
    let mut diagnostics = Vec::new();
    // Room for a declaration per top-level line, right for all but odd layouts: growing the list
    // instead copies it several times over, and a large model's is megabytes. The range at the
    // start has room for the whole file's, so that the parallel chunks after it are appended
    // without moving it. A hostile file of short lines gets no more than the declaration limit.
    let lines = &scanned.top_level_lines;
    let capacity = if start == 0 {
        lines.len()
    } else {
        lines.partition_point(|&line| line < end) - lines.partition_point(|&line| line < start)
    };
    let mut declarations = Vec::with_capacity(capacity.min(MAX_DECLARATIONS));
    let mut syntax_errors = 0;
    let mut offset = scan::skip_trivia(range, start);
    while offset < range.len() {
        let next_top_level = scanned.top_level_lines.partition_point(|&line| line <= offset);
        let extent = scanned.top_level_lines.get(next_top_level).map_or(range.len(), |&line| line.min(range.len()));
        if extent - offset >= piecewise
            && let Some((declaration, lowered, end)) = parse_piecewise(range, offset, offsets)
        {
            diagnostics.extend(lowered);
            offset = scan::skip_trivia(range, end);
            declarations.push(declaration);
            continue;
        }
        if let Ok(mut pairs) = Grammar::parse(Rule::declaration, &range[offset..]) {
            let Some(pair) = pairs.next() else { break };
            let end = offset + pair.as_span().end();
            let mut lower = Lower { base: offset, offsets, diagnostics: &mut diagnostics };
            let declaration = lower.declaration(pair);
            offset = scan::skip_trivia(range, end);
            declarations.push(declaration);
        } else {
            // Re-parse with pest's detailed error tracking, which names the literal tokens
            // (`:`, `}`) that could come next. It is only switched on once an error is seen,
            // because it slows every parse down; it stays on so messages never depend on
            // what ran before.
            pest::set_error_detail(true);
            let Err(error) = Grammar::parse(Rule::declaration, &range[offset..]) else { continue };
            let resume = next_sync_point(range, scanned, offset);
            let region = Span::new(offset, resume);
            // The scan already explains unbalanced brackets and unterminated strings precisely;
            // pest's "expected ..." at the same place would only add noise.
            let explained = scanned.diagnostics.iter().any(|d| region.contains(d.span.start))
                || scanned.in_multiline_region(offset);
            if !explained {
                syntax_errors += 1;
                if syntax_errors > MAX_SYNTAX_ERRORS {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::TooManyErrors,
                            Span::at(offsets.source(offset)),
                            format!("more than {MAX_SYNTAX_ERRORS} syntax errors; the rest are not reported"),
                        )
                        .with_label("reporting stopped here")
                        .with_help("fix the first errors and check again"),
                    );
                    break;
                }
                diagnostics.push(offsets.diagnostic(syntax_error(range, offset, &error)));
            }
            offset = scan::skip_trivia(range, resume);
        }
    }
    (declarations, diagnostics)
}

/// Parses the boundary or system declaration at `start` a piece at a time: the header up to its
/// `{`, then each entry of the block, then the `}`. Gives the tree (and the diagnostics of
/// lowering it) that parsing it whole gives, or `None` when the text is not such a declaration
/// or has a syntax error, which the caller then parses whole to report it as usual. The offset
/// where it ends in `text` comes with it.
fn parse_piecewise(text: &str, start: usize, offsets: &Offsets) -> Option<(Declaration, Vec<Diagnostic>, usize)> {
    let mut diagnostics = Vec::new();
    let open = Grammar::parse(Rule::block_open, &text[start..]).ok()?.next()?;
    let open_end = start + open.as_span().end();
    let mut lower = Lower { base: start, offsets, diagnostics: &mut diagnostics };
    let mut parts = open.into_inner();
    let keyword_pair = parts.next()?;
    let keyword = Keyword::from_word(keyword_pair.as_str())?;
    let keyword_span = lower.span(&keyword_pair);
    let id = lower.ident(&parts.next()?);
    let label = parts.next().map(|pair| lower.label(&pair));
    let mut entries = Vec::new();
    let mut at = open_end;
    let close = loop {
        let next = scan::skip_trivia(text, at);
        // pest's whitespace is not the scanner's in one respect: a byte-order mark.
        if next >= text.len() || text[at..next].contains('\u{feff}') {
            return None;
        }
        if text.as_bytes()[next] == b'}' {
            break next + 1;
        }
        let item = Grammar::parse(Rule::lone_entry, &text[next..]).ok()?.next()?;
        at = next + item.as_span().end();
        let entry = item.into_inner().next()?;
        let mut lower = Lower { base: next, offsets, diagnostics: &mut diagnostics };
        entries.push(match entry.as_rule() {
            Rule::attribute => Entry::Attribute(lower.attribute(entry)),
            _ => Entry::Declaration(Box::new(lower.declaration(entry))),
        });
    };
    let block = Block { entries, span: offsets.span(Span::new(open_end - 1, close)) };
    let header = Header::Element { keyword, keyword_span, id };
    let span = offsets.span(Span::new(start, close));
    Some((Declaration { header, label, block: Some(block), doc: None, span }, diagnostics, close))
}

/// Keeps the top-level declarations that fit in [`MAX_DECLARATIONS`] (counting nested ones), and
/// reports where the rest begin.
fn cap_declarations(declarations: &mut Vec<Declaration>, diagnostics: &mut Vec<Diagnostic>) {
    fn count(declaration: &Declaration) -> usize {
        1 + declaration.children().map(count).sum::<usize>()
    }
    let mut total = 0;
    let Some(first_over) = declarations.iter().position(|declaration| {
        total += count(declaration);
        total > MAX_DECLARATIONS
    }) else {
        return;
    };
    diagnostics.push(
        Diagnostic::new(
            Code::TooManyDeclarations,
            Span::at(declarations[first_over].span.start),
            format!("the model has more than {MAX_DECLARATIONS} declarations; the rest of the file is not read"),
        )
        .with_label("reading stopped here")
        .with_help("split the model into one model per site or per device family"),
    );
    declarations.truncate(first_over);
}

/// Keeps the first [`MAX_SYNTAX_ERRORS`] syntax diagnostics (by position) and notes the rest.
fn cap_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    if diagnostics.len() <= MAX_SYNTAX_ERRORS + 1 {
        return;
    }
    crate::diagnostic::sort_diagnostics(diagnostics);
    diagnostics.retain(|d| d.code != Code::TooManyErrors);
    let first_dropped = diagnostics[MAX_SYNTAX_ERRORS].span.start;
    diagnostics.truncate(MAX_SYNTAX_ERRORS);
    diagnostics.push(
        Diagnostic::new(
            Code::TooManyErrors,
            Span::at(first_dropped),
            format!("more than {MAX_SYNTAX_ERRORS} syntax errors; the rest are not reported"),
        )
        .with_label("reporting stopped here")
        .with_help("fix the first errors and check again"),
    );
}

/// Where to resume after a syntax error in the declaration starting at `start`: the next line
/// that starts, in column 0, with a top-level keyword or a `///` doc comment.
fn next_sync_point(text: &str, scanned: &Scan, start: usize) -> usize {
    let mut line_start = start;
    while let Some(newline) = text[line_start..].find('\n') {
        line_start += newline + 1;
        if scanned.in_multiline_region(line_start) {
            continue;
        }
        let line = &text[line_start..];
        if line.starts_with("///") {
            return line_start;
        }
        let word_end = line.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(line.len());
        if Keyword::from_word(&line[..word_end]).is_some() {
            return line_start;
        }
    }
    text.len()
}

/// Turns pest's error into a diagnostic that names what could come next in the user's words.
fn syntax_error(text: &str, base: usize, error: &pest::error::Error<Rule>) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let position = base
        + match error.location {
            InputLocation::Pos(position) | InputLocation::Span((position, _)) => position,
        };
    let position = position.min(text.len());
    let (found, found_len) = describe_found(&text[position..]);
    let mut expected: Vec<String> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().filter_map(|rule| describe_rule(*rule)).collect()
        }
        ErrorVariant::CustomError { message } => vec![message.clone()],
    };
    expected.sort();
    if let Some(attempts) = error.parse_attempts() {
        // Only punctuation is worth naming: words and ranges are covered by the rule names.
        // `[` and `{` start some values, which "a value" already says.
        let wants_value = expected.iter().any(|e| e == "a value");
        let tokens: Vec<String> = attempts.expected_tokens().iter().map(ToString::to_string).collect();
        for token in [":", "->", "<->", "{", "}", "[", "]", ","] {
            let starts_value = token == "[" || token == "{";
            if tokens.iter().any(|t| t == token) && !(wants_value && starts_value) {
                expected.push(format!("`{token}`"));
            }
        }
    }
    expected.dedup();
    let expected_text = join_alternatives(&expected);
    let end = (position + found_len).min(text.len());
    let mut diagnostic =
        Diagnostic::new(Code::SyntaxError, Span::new(position, end), format!("unexpected {found}")).with_label(
            if expected_text.is_empty() { "not expected here".to_owned() } else { format!("expected {expected_text}") },
        );
    diagnostic = diagnostic.with_help(help_for(&found, &expected));
    diagnostic
}

/// A short description of what the parser stopped at, and the length in bytes of that token.
fn describe_found(rest: &str) -> (String, usize) {
    let Some(first) = rest.chars().next() else { return ("end of file".to_owned(), 0) };
    if first.is_ascii_alphanumeric() || first == '_' {
        let len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(rest.len());
        return (format!("`{}`", &rest[..len]), len);
    }
    if first == '"' {
        let len = rest[1..].find(['"', '\n']).map_or(rest.len(), |end| end + 2).min(rest.len());
        return ("string".to_owned(), len);
    }
    if first.is_control() || first == '\u{fffd}' {
        return (format!("character U+{:04X}", u32::from(first)), first.len_utf8());
    }
    (format!("`{first}`"), first.len_utf8())
}

fn help_for(found: &str, expected: &[String]) -> String {
    let wants = |token: &str| expected.iter().any(|e| e == token);
    if found == "end of file" && wants("`}`") {
        return "a block is not closed: add the missing `}`".to_owned();
    }
    if wants("`->`") || wants("`<->`") {
        return "flows are written `flow from -> to` or `flow name: from -> to`".to_owned();
    }
    if wants("`:`") {
        return "attributes are written `name: value`".to_owned();
    }
    if expected.iter().any(|e| e == "a value") {
        return "every attribute needs a value after its `:`, such as `harm: serious` or `carries: [bolus]`".to_owned();
    }
    if expected.iter().any(|e| e == "an id") {
        return "every declaration needs an id after its keyword, such as `component pump`".to_owned();
    }
    "see the language section of the README for the form of each declaration".to_owned()
}

fn describe_rule(rule: Rule) -> Option<String> {
    let text = match rule {
        Rule::declaration | Rule::unknown_decl => "a declaration",
        Rule::id | Rule::flow_name | Rule::target => "an id",
        Rule::label => "a label string",
        Rule::block => "a block `{ ... }`",
        Rule::attribute | Rule::attribute_name => "an attribute",
        Rule::value => "a value",
        Rule::kw_on => "`on`",
        Rule::kw_to => "`to`",
        Rule::rule_name => "a rule name",
        Rule::map_entry | Rule::map_key => "a map entry (`key: value`)",
        Rule::EOI => "end of file",
        Rule::word => "a word",
        Rule::string => "a string",
        _ => return None,
    };
    Some(text.to_owned())
}

fn join_alternatives(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Lowers pest pairs of one top-level declaration into the AST, offsetting spans by `base` (and
/// taking them back to the source through `offsets`).
struct Lower<'d> {
    base: usize,
    /// Takes offsets in the parsed text back to the source.
    offsets: &'d Offsets,
    diagnostics: &'d mut Vec<Diagnostic>,
}

impl Lower<'_> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        self.offsets.span(Span::new(self.base + span.start(), self.base + span.end()))
    }

    fn ident(&self, pair: &Pair<'_, Rule>) -> Ident {
        Ident { name: pair.as_str().to_owned(), span: self.span(pair) }
    }

    fn declaration(&mut self, pair: Pair<'_, Rule>) -> Declaration {
        let span = self.span(&pair);
        let inner = pair.into_inner().next().expect("grammar: declaration has one alternative");
        let rule = inner.as_rule();
        let mut parts = inner.into_inner().peekable();
        let mut label = None;
        let mut block = None;
        let header = match rule {
            Rule::flow_decl => {
                let keyword_span = self.span(&parts.next().expect("grammar: flow keyword"));
                let name = parts.next_if(|p| p.as_rule() == Rule::flow_name).map(|p| self.ident(&p));
                let from = self.ident(&parts.next().expect("grammar: flow source"));
                let arrow = parts.next().expect("grammar: flow arrow");
                let direction = if arrow.as_str() == "<->" { Direction::BothWays } else { Direction::OneWay };
                let arrow_span = self.span(&arrow);
                let to = self.ident(&parts.next().expect("grammar: flow target"));
                Header::Flow { keyword_span, name, from, direction, arrow_span, to }
            }
            Rule::accept_decl | Rule::transfer_decl => {
                let keyword = if rule == Rule::accept_decl { Keyword::Accept } else { Keyword::Transfer };
                let keyword_span = self.span(&parts.next().expect("grammar: decision keyword"));
                let rule_name = self.ident(&parts.next().expect("grammar: rule name"));
                parts.next(); // `on`
                let target = self.ident(&parts.next().expect("grammar: decision target"));
                let party = if parts.next_if(|p| p.as_rule() == Rule::kw_to).is_some() {
                    parts.next().map(|p| self.ident(&p))
                } else {
                    None
                };
                Header::Decision { keyword, keyword_span, rule: rule_name, target, party }
            }
            Rule::unknown_decl => {
                let keyword = self.ident(&parts.next().expect("grammar: unknown declaration word"));
                let mut words = Vec::new();
                while let Some(word) = parts.next_if(|p| matches!(p.as_rule(), Rule::word | Rule::arrow)) {
                    words.push(self.ident(&word));
                }
                Header::Unknown { keyword, words }
            }
            _ => {
                let keyword_pair = parts.next().expect("grammar: element keyword");
                let keyword = Keyword::from_word(keyword_pair.as_str()).expect("grammar: keyword rules spell keywords");
                let keyword_span = self.span(&keyword_pair);
                let id = self.ident(&parts.next().expect("grammar: element id"));
                Header::Element { keyword, keyword_span, id }
            }
        };
        for part in parts {
            match part.as_rule() {
                Rule::label => label = Some(self.label(&part)),
                Rule::block => block = Some(self.block(part)),
                _ => {}
            }
        }
        Declaration { header, label, block, doc: None, span }
    }

    fn block(&mut self, pair: Pair<'_, Rule>) -> Block {
        let span = self.span(&pair);
        let entries = pair
            .into_inner()
            .map(|entry| match entry.as_rule() {
                Rule::attribute => Entry::Attribute(self.attribute(entry)),
                _ => Entry::Declaration(Box::new(self.declaration(entry))),
            })
            .collect();
        Block { entries, span }
    }

    fn attribute(&mut self, pair: Pair<'_, Rule>) -> Attribute {
        let span = self.span(&pair);
        let mut parts = pair.into_inner();
        let name = self.ident(&parts.next().expect("grammar: attribute name"));
        let value = self.value(parts.next().expect("grammar: attribute value"));
        Attribute { name, value, span }
    }

    fn value(&mut self, pair: Pair<'_, Rule>) -> Value {
        let span = self.span(&pair);
        let inner = pair.into_inner().next().expect("grammar: value has one alternative");
        let text = inner.as_str();
        let kind = match inner.as_rule() {
            Rule::string => ValueKind::String(self.string_literal(&inner).value),
            Rule::text_block => ValueKind::String(text_block_value(text)),
            Rule::integer => {
                if let Ok(number) = text.parse::<i64>() {
                    ValueKind::Integer(number)
                } else {
                    self.diagnostics.push(
                        Diagnostic::new(Code::NumberOutOfRange, span, "integer out of range")
                            .with_label("does not fit in 64 bits")
                            .with_help("integers range from -9223372036854775808 to 9223372036854775807"),
                    );
                    ValueKind::Invalid
                }
            }
            Rule::decimal => match text.parse::<f64>() {
                Ok(number) if number.is_finite() => ValueKind::Decimal(number),
                _ => {
                    self.diagnostics.push(
                        Diagnostic::new(Code::NumberOutOfRange, span, "decimal out of range")
                            .with_label("not a finite number"),
                    );
                    ValueKind::Invalid
                }
            },
            Rule::boolean => ValueKind::Boolean(text == "true"),
            Rule::date => self.date(text, span),
            Rule::list => ValueKind::List(inner.into_inner().map(|value| self.value(value)).collect()),
            Rule::map => ValueKind::Map(
                inner
                    .into_inner()
                    .map(|entry| {
                        let span = self.span(&entry);
                        let mut parts = entry.into_inner();
                        let key = self.ident(&parts.next().expect("grammar: map key"));
                        let value = self.value(parts.next().expect("grammar: map value"));
                        MapEntry { key, value, span }
                    })
                    .collect(),
            ),
            _ => ValueKind::Word(text.to_owned()),
        };
        Value { kind, span }
    }

    fn date(&mut self, text: &str, span: Span) -> ValueKind {
        let number = |range: std::ops::Range<usize>| text.get(range).and_then(|digits| digits.parse::<i16>().ok());
        let parts = (number(0..4), number(5..7), number(8..10));
        if let (Some(year), Some(month), Some(day)) = parts
            && let Ok(date) = jiff::civil::Date::new(year, month as i8, day as i8)
        {
            return ValueKind::Date(date);
        }
        self.diagnostics.push(
            Diagnostic::new(Code::InvalidDate, span, format!("`{text}` is not a calendar date"))
                .with_label("no such day")
                .with_help("dates are written YYYY-MM-DD, such as 2027-06-30"),
        );
        ValueKind::Invalid
    }

    /// A label: a string, or a `"""` text block.
    fn label(&mut self, pair: &Pair<'_, Rule>) -> StringLiteral {
        if pair.as_str().starts_with("\"\"\"") {
            StringLiteral { value: text_block_value(pair.as_str()), span: self.span(pair) }
        } else {
            self.string_literal(pair)
        }
    }

    fn string_literal(&mut self, pair: &Pair<'_, Rule>) -> StringLiteral {
        let span = self.span(pair);
        let raw = pair.as_str();
        let content = &raw[1..raw.len() - 1];
        let value = self.unescape(content, span.start + 1);
        StringLiteral { value, span }
    }

    /// Decodes `\"`, `\\`, `\n`, `\t` and `\u{...}`; reports any other escape.
    fn unescape(&mut self, content: &str, content_start: usize) -> String {
        // Most strings have no escape: one copy instead of a push per character.
        if !content.contains('\\') {
            return content.to_owned();
        }
        let mut value = String::with_capacity(content.len());
        let mut chars = content.char_indices().peekable();
        while let Some((index, c)) = chars.next() {
            if c != '\\' {
                value.push(c);
                continue;
            }
            let escape_start = content_start + index;
            let decoded = match chars.next() {
                Some((_, '"')) => Some('"'),
                Some((_, '\\')) => Some('\\'),
                Some((_, 'n')) => Some('\n'),
                Some((_, 't')) => Some('\t'),
                Some((_, 'u')) => {
                    let rest = &content[index + 2..];
                    let code = rest.strip_prefix('{').and_then(|r| r.split_once('}')).and_then(|(hex, _)| {
                        u32::from_str_radix(hex, 16).ok().and_then(char::from_u32).map(|c| (c, hex.len()))
                    });
                    if let Some((decoded, hex_len)) = code {
                        for _ in 0..hex_len + 2 {
                            chars.next();
                        }
                        Some(decoded)
                    } else {
                        None
                    }
                }
                _ => None,
            };
            if let Some(decoded) = decoded {
                value.push(decoded);
            } else {
                let end = chars.peek().map_or(content_start + content.len(), |&(i, _)| content_start + i);
                self.diagnostics.push(
                    Diagnostic::new(Code::InvalidEscape, Span::new(escape_start, end), "invalid escape in string")
                        .with_label("unknown escape")
                        .with_help("use `\\\"`, `\\\\`, `\\n`, `\\t` or `\\u{...}`; write `\\\\` for a backslash"),
                );
            }
        }
        value
    }
}

/// The value of a `"""` text block: the text between the delimiters, without the first line
/// break and the indentation common to all non-blank lines, so that indented text reads as written.
fn text_block_value(raw: &str) -> String {
    let content = &raw[3..raw.len() - 3];
    let content = content.strip_prefix("\r\n").or_else(|| content.strip_prefix('\n')).unwrap_or(content);
    let indent = content
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    let lines: Vec<&str> =
        content.lines().map(|line| if line.trim().is_empty() { "" } else { &line[indent.min(line.len())..] }).collect();
    lines.join("\n").trim_end().to_owned()
}

/// Attaches each run of `///` comments to the declaration that directly follows it.
fn attach_doc_comments(text: &str, file: &mut File) {
    let docs: Vec<_> = file.comments.iter().filter(|c| c.kind == CommentKind::Doc).copied().collect();
    if docs.is_empty() {
        return;
    }
    let mut stack: Vec<&mut Declaration> = file.declarations.iter_mut().collect();
    while let Some(declaration) = stack.pop() {
        let mut lines = Vec::new();
        let mut cursor = declaration.span.start;
        let mut index = docs.partition_point(|doc| doc.span.end <= cursor);
        while index > 0 {
            let doc = docs[index - 1];
            if !text[doc.span.end..cursor].chars().all(char::is_whitespace) {
                break;
            }
            let line = &text[doc.span.start + 3..doc.span.end];
            lines.push(line.strip_prefix(' ').unwrap_or(line).trim_end());
            cursor = doc.span.start;
            index -= 1;
        }
        if !lines.is_empty() {
            lines.reverse();
            declaration.doc = Some(lines.join("\n"));
        }
        if let Some(block) = &mut declaration.block {
            stack.extend(block.entries.iter_mut().filter_map(|entry| match entry {
                Entry::Declaration(child) => Some(&mut **child),
                Entry::Attribute(_) => None,
            }));
        }
    }
}

#[cfg(test)]
mod tests;
