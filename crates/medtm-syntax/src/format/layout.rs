//! The canonical layout: walks the tree and decides, for each declaration, attribute and value,
//! whether it goes on one line or is broken over several. The writer places the comments.

use crate::ast::{Attribute, Block, Declaration, Entry, File, MapEntry, Value, ValueKind};
use crate::span::Span;

use super::writer::{Writer, width};
use super::{MAX_WIDTH, flat};

/// Lays out a whole file; or, when the tree leaves out some of the source's text (which would
/// then be lost), gives where the first such text is.
pub(super) fn file(source: &str, file: &File) -> Result<String, Span> {
    let mut layout = Layout { w: Writer::new(source, &file.comments) };
    let items: Vec<Item<'_>> = file.declarations.iter().map(Item::Declaration).collect();
    layout.items(&items);
    layout.w.finish()
}

/// What a block holds, line by line: a declaration, or attributes written on one source line.
enum Item<'a> {
    Declaration(&'a Declaration),
    Attributes(Vec<&'a Attribute>),
}

struct Layout<'s> {
    w: Writer<'s>,
}

impl<'s> Layout<'s> {
    fn source(&self) -> &'s str {
        self.w.source()
    }

    /// Items one after the other, each starting a line. Declarations that take several lines are
    /// set apart from their neighbouring declarations by a blank line.
    fn items(&mut self, items: &[Item<'_>]) {
        // Whether the item before was a declaration, and whether it took several lines.
        let mut previous_declaration: Option<bool> = None;
        for (index, item) in items.iter().enumerate() {
            if index > 0 {
                self.w.newline();
            }
            match item {
                Item::Declaration(declaration) => {
                    let one_line = self.one_line_declaration(declaration);
                    if previous_declaration.is_some_and(|multiline| multiline || one_line.is_none()) {
                        self.w.blank_line();
                    }
                    previous_declaration = Some(one_line.is_none());
                    self.declaration(declaration, one_line);
                }
                Item::Attributes(attributes) => {
                    previous_declaration = None;
                    self.attributes(attributes);
                }
            }
        }
    }

    /// The declaration on one line, when it fits and may be written so: it holds no comment, and
    /// its block (if any) holds only attributes and was begun on the header's line.
    fn one_line_declaration(&self, declaration: &Declaration) -> Option<String> {
        let source = self.source();
        if self.w.has_comment_in(flat::code_span(source, declaration)) {
            return None;
        }
        let mut line = flat::header_line(&flat::header(source, declaration));
        if let Some(block) = &declaration.block {
            if block.entries.is_empty() {
                line.push_str(" {}");
            } else {
                let opened_inline = block.entries.first().is_some_and(|first| {
                    !source.get(block.span.start..first.span().start).unwrap_or("\n").contains('\n')
                });
                let attributes: Option<Vec<&Attribute>> = block
                    .entries
                    .iter()
                    .map(|entry| match entry {
                        Entry::Attribute(attribute) => Some(attribute),
                        Entry::Declaration(_) => None,
                    })
                    .collect();
                let attributes = attributes.filter(|_| opened_inline)?;
                line.push_str(" { ");
                line.push_str(&flat::attributes(source, &attributes));
                line.push_str(" }");
            }
        }
        self.fits(false, &line, 0).then_some(line)
    }

    /// Whether `text` fits on the current line (after a space, when `space`), with `suffix` more
    /// columns after it; text that spans lines never does.
    fn fits(&self, space: bool, text: &str, suffix: usize) -> bool {
        !text.contains('\n') && self.w.column_for(space) + width(text) + suffix <= MAX_WIDTH
    }

    fn declaration(&mut self, declaration: &Declaration, one_line: Option<String>) {
        if let Some(line) = one_line {
            self.w.token(flat::code_span(self.source(), declaration), &line, false);
            return;
        }
        let source = self.w.source();
        for part in flat::header(source, declaration) {
            self.w.token(part.span, part.text, part.space);
        }
        if let Some(block) = &declaration.block {
            self.block(block);
        }
    }

    fn block(&mut self, block: &Block) {
        let open = Span::new(block.span.start, block.span.start + 1);
        let close = Span::new(block.span.end.saturating_sub(1), block.span.end);
        if block.entries.is_empty() && !self.w.has_comment_in(block.span) {
            self.w.token(block.span, "{}", true);
            return;
        }
        self.w.open(open, "{", true);
        self.w.indent();
        self.w.newline();
        let items = self.group(&block.entries);
        self.items(&items);
        self.w.close(close, "}");
    }

    /// Groups a block's entries into items: attributes written on one source line with nothing
    /// but commas between them stay together.
    fn group<'a>(&self, entries: &'a [Entry]) -> Vec<Item<'a>> {
        let source = self.source();
        let mut items: Vec<Item<'a>> = Vec::new();
        let mut previous_end: Option<usize> = None;
        for entry in entries {
            match entry {
                Entry::Declaration(declaration) => {
                    items.push(Item::Declaration(declaration));
                    previous_end = None;
                }
                Entry::Attribute(attribute) => {
                    let joins = previous_end.is_some_and(|end| {
                        let between = Span::new(end, attribute.span.start);
                        !between.slice(source).contains('\n') && !self.w.has_comment_in(between)
                    });
                    match items.last_mut() {
                        Some(Item::Attributes(line)) if joins => line.push(attribute),
                        _ => items.push(Item::Attributes(vec![attribute])),
                    }
                    previous_end = Some(attribute.span.end);
                }
            }
        }
        items
    }

    /// Attributes of one source line: kept on one line when they fit, else one per line.
    fn attributes(&mut self, attributes: &[&Attribute]) {
        if let [first, .., last] = attributes {
            let span = first.span.cover(last.span);
            let line = flat::attributes(self.source(), attributes);
            if !self.w.has_comment_in(span) && self.fits(false, &line, 0) {
                self.w.token(span, &line, false);
                return;
            }
        }
        for (index, attribute) in attributes.iter().enumerate() {
            if index > 0 {
                self.w.newline();
            }
            self.attribute(attribute);
        }
    }

    fn attribute(&mut self, attribute: &Attribute) {
        let line = flat::attribute(self.source(), attribute);
        if !self.w.has_comment_in(attribute.span) && self.fits(false, &line, 0) {
            self.w.token(attribute.span, &line, false);
            return;
        }
        self.w.token(attribute.name.span, &attribute.name.name, false);
        let colon = flat::punctuation(self.source(), attribute.name.span.end, ":");
        self.w.token(colon, ":", false);
        self.value(&attribute.value, 0, true);
    }

    /// A value: on the current line when it fits (with `suffix` columns after it), else a list or
    /// map with one item per line and a trailing comma. Literals are written as they are.
    fn value(&mut self, value: &Value, suffix: usize, space: bool) {
        let source = self.w.source();
        match &value.kind {
            ValueKind::List(_) | ValueKind::Map(_) => {
                let line = flat::value(source, value);
                if !self.w.has_comment_in(value.span) && self.fits(space, &line, suffix) {
                    self.w.token(value.span, &line, space);
                    return;
                }
            }
            _ => {
                self.w.token(value.span, value.span.slice(source), space);
                return;
            }
        }
        let (open, close) = (value.span.start, value.span.end.saturating_sub(1));
        match &value.kind {
            ValueKind::List(items) => {
                self.w.open(Span::new(open, open + 1), "[", space);
                self.w.indent();
                for item in items {
                    self.w.newline();
                    self.value(item, 1, false);
                    self.w.punct(",");
                }
                self.w.close(Span::new(close, close + 1), "]");
            }
            ValueKind::Map(entries) => {
                self.w.open(Span::new(open, open + 1), "{", space);
                self.w.indent();
                for entry in entries {
                    self.w.newline();
                    self.map_entry(entry);
                }
                self.w.close(Span::new(close, close + 1), "}");
            }
            _ => {}
        }
    }

    fn map_entry(&mut self, entry: &MapEntry) {
        self.w.token(entry.key.span, &entry.key.name, false);
        let colon = flat::punctuation(self.source(), entry.key.span.end, ":");
        self.w.token(colon, ":", false);
        self.value(&entry.value, 1, true);
        self.w.punct(",");
    }
}
