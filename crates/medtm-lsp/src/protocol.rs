//! `medtm-ide`'s answers as LSP types: completion items, hovers, the outline's symbols and
//! locations, with byte spans turned into the negotiated positions.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, DocumentSymbol, Documentation, Hover, HoverContents,
    Location, MarkupContent, MarkupKind, SymbolKind, TextEdit,
};
use medtm_ide::{CompletionKind, Completions, OutlineItem, Span};
use medtm_syntax::ast::Keyword;

use crate::document::Analysed;

pub fn completion_items(analysed: &Analysed, completions: Completions) -> Vec<CompletionItem> {
    let range = analysed.range(completions.span);
    completions
        .items
        .into_iter()
        .enumerate()
        .map(|(index, item)| CompletionItem {
            kind: Some(completion_kind(item.kind)),
            detail: (!item.detail.is_empty()).then_some(item.detail),
            documentation: (!item.documentation.is_empty()).then_some(Documentation::String(item.documentation)),
            sort_text: Some(format!("{index:04}")),
            filter_text: Some(item.label.clone()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text: item.insert })),
            label: item.label,
            ..CompletionItem::default()
        })
        .collect()
}

fn completion_kind(kind: CompletionKind) -> CompletionItemKind {
    match kind {
        CompletionKind::Keyword => CompletionItemKind::KEYWORD,
        CompletionKind::Property => CompletionItemKind::PROPERTY,
        CompletionKind::Word => CompletionItemKind::ENUM_MEMBER,
        CompletionKind::Boolean => CompletionItemKind::VALUE,
        CompletionKind::Rule => CompletionItemKind::FUNCTION,
        CompletionKind::Reference => CompletionItemKind::REFERENCE,
    }
}

pub fn hover(analysed: &Analysed, hover: &medtm_ide::Hover) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: hover.markdown() }),
        range: Some(analysed.range(hover.span)),
    }
}

pub fn location(analysed: &Analysed, span: Span) -> Location {
    Location::new(analysed.uri.clone(), analysed.range(span))
}

pub fn symbols(analysed: &Analysed, items: Vec<OutlineItem>) -> Vec<DocumentSymbol> {
    items
        .into_iter()
        .map(|item| {
            let children = symbols(analysed, item.children);
            #[allow(deprecated, reason = "the field is required to build the struct; tags replace it")]
            DocumentSymbol {
                name: item.name,
                detail: item.detail,
                kind: symbol_kind(item.keyword),
                tags: None,
                deprecated: None,
                range: analysed.range(item.span),
                selection_range: analysed.range(item.selection),
                children: (!children.is_empty()).then_some(children),
            }
        })
        .collect()
}

/// The closest symbol kind editors have an icon for.
fn symbol_kind(keyword: Keyword) -> SymbolKind {
    match keyword {
        Keyword::System => SymbolKind::MODULE,
        Keyword::Asset => SymbolKind::VARIABLE,
        Keyword::Actor => SymbolKind::OBJECT,
        Keyword::Boundary => SymbolKind::NAMESPACE,
        Keyword::Component => SymbolKind::CLASS,
        Keyword::Store => SymbolKind::STRUCT,
        Keyword::Software => SymbolKind::PACKAGE,
        Keyword::Flow => SymbolKind::EVENT,
        Keyword::Control => SymbolKind::INTERFACE,
        Keyword::Accept | Keyword::Transfer => SymbolKind::KEY,
        Keyword::Assumption => SymbolKind::STRING,
        Keyword::RiskMatrix => SymbolKind::ARRAY,
    }
}
