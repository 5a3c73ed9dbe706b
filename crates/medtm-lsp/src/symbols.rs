//! The outline: every declaration, with boundaries holding what is declared inside them.

use lsp_types::{DocumentSymbol, SymbolKind};
use medtm_syntax::ast::{Declaration, Header, Keyword};

use crate::document::Analysed;

pub fn outline(analysed: &Analysed) -> Vec<DocumentSymbol> {
    analysed.checked.file.declarations.iter().filter_map(|declaration| symbol(analysed, declaration)).collect()
}

fn symbol(analysed: &Analysed, declaration: &Declaration) -> Option<DocumentSymbol> {
    let (name, selection, keyword) = match &declaration.header {
        Header::Element { keyword, id, .. } => (id.name.clone(), id.span, *keyword),
        Header::Flow { name: Some(name), .. } => (name.name.clone(), name.span, Keyword::Flow),
        Header::Flow { name: None, from, direction, to, .. } => {
            (format!("{} {} {}", from.name, direction.arrow(), to.name), from.span.cover(to.span), Keyword::Flow)
        }
        Header::Decision { keyword, rule, target, .. } => {
            (format!("{keyword} {} on {}", rule.name, target.name), rule.span.cover(target.span), *keyword)
        }
        Header::Unknown { .. } => return None,
    };
    let detail = match (&declaration.header, &declaration.label) {
        (Header::Flow { name: Some(_), from, direction, to, .. }, label) => {
            let ends = format!("{} {} {}", from.name, direction.arrow(), to.name);
            Some(label.as_ref().map_or(ends.clone(), |label| format!("{ends}: {}", label.value)))
        }
        (_, label) => label.as_ref().map(|label| label.value.clone()),
    };
    let children: Vec<DocumentSymbol> = declaration.children().filter_map(|child| symbol(analysed, child)).collect();
    #[allow(deprecated, reason = "the field is required to build the struct; tags replace it")]
    Some(DocumentSymbol {
        name,
        detail,
        kind: kind(keyword),
        tags: None,
        deprecated: None,
        range: analysed.range(declaration.span),
        selection_range: analysed.range(selection),
        children: (!children.is_empty()).then_some(children),
    })
}

/// The closest symbol kind editors have an icon for.
fn kind(keyword: Keyword) -> SymbolKind {
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
