//! The outline: every declaration, with boundaries holding what is declared inside them.

use medtm_syntax::Span;
use medtm_syntax::ast::{Declaration, File, Header, Keyword};

/// One declaration in the outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineItem {
    /// Its id; for an unnamed flow its ends (`app -> pump`), for a decision `accept RULE on ID`.
    pub name: String,
    /// Its label; for a named flow, its ends first.
    pub detail: Option<String>,
    pub keyword: Keyword,
    /// The whole declaration.
    pub span: Span,
    /// What names it: its id, or the words `name` is made of.
    pub selection: Span,
    pub children: Vec<OutlineItem>,
}

pub fn outline(file: &File) -> Vec<OutlineItem> {
    file.declarations.iter().filter_map(item).collect()
}

fn item(declaration: &Declaration) -> Option<OutlineItem> {
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
    let children = declaration.children().filter_map(item).collect();
    Some(OutlineItem { name, detail, keyword, span: declaration.span, selection, children })
}
