//! Semantic tokens: what each piece of the text is, for editors that colour by meaning (VS Code,
//! Neovim 0.9 and later), from the same walk over the syntax tree, the schema and the model's
//! symbols that tells hover what the cursor is on ([`locate::walk`]). Unlike a TextMate grammar,
//! this knows that an id equal to a vocabulary word is an id inside `carries: [...]`, that `H` in
//! `effect: { PR: H }` is a CVSS value, and what kind of declaration a reference names. A text
//! that does not parse keeps the tokens of the declarations that did.

use medtm_model::Model;
use medtm_model::model::SymbolKind;
use medtm_syntax::Span;
use medtm_syntax::ast::File;
use medtm_syntax::scan::CommentKind;

use crate::locate::{self, Literal, Located, Piece, Target};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Keyword,
    /// An id, with the kind of declaration it names (`None`: nothing by that id is declared).
    Id(Option<SymbolKind>),
    /// An attribute's name, a flag of a flags map or a key of a flow's `returns`.
    Attribute,
    /// A word of a vocabulary (`unknown` included), a CVSS metric's value, or a boolean.
    Word,
    /// A rule's name or code.
    Rule,
    /// A CVSS metric in a control's `effect`.
    Metric,
    String,
    /// An integer, a decimal or a date.
    Number,
    Comment,
    /// The arrow of a flow.
    Operator,
}

/// One token: its span (a string or a block comment may run over several lines), what it is,
/// whether it is where an id is declared, and whether it is a documentation comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SemanticToken {
    pub span: Span,
    pub kind: TokenKind,
    pub declaration: bool,
    pub documentation: bool,
}

/// Every token of `file`, in source order and never overlapping.
pub fn tokens(file: &File, model: &Model) -> Vec<SemanticToken> {
    let mut out: Vec<SemanticToken> = Vec::new();
    locate::walk(file, model, &mut |piece| {
        let (span, kind, declaration) = match piece {
            Piece::Target { located: Located { target, span }, declaration } => {
                (span, target_kind(model, &target), declaration)
            }
            Piece::Literal { span, literal } => (span, literal_kind(literal), false),
        };
        // An unnamed flow's arrow is also its derived id: it keeps the arrow's colour.
        let repeated = out.last().is_some_and(|last| last.span == span);
        if span.start < span.end && !repeated {
            out.push(SemanticToken { span, kind, declaration, documentation: false });
        }
    });
    for comment in &file.comments {
        let documentation = comment.kind == CommentKind::Doc;
        out.push(SemanticToken { span: comment.span, kind: TokenKind::Comment, declaration: false, documentation });
    }
    out.sort_by_key(|token| token.span.start);
    out
}

fn target_kind(model: &Model, target: &Target) -> TokenKind {
    match target {
        Target::Keyword(_) => TokenKind::Keyword,
        Target::Attribute { .. } | Target::Flag(_) => TokenKind::Attribute,
        Target::Word { .. } | Target::Unknown => TokenKind::Word,
        Target::Id(id) => TokenKind::Id(model.symbols.get(id.as_str()).map(|symbol| symbol.kind)),
        Target::Rule(_) => TokenKind::Rule,
        Target::Metric(_) => TokenKind::Metric,
    }
}

fn literal_kind(literal: Literal) -> TokenKind {
    match literal {
        Literal::String => TokenKind::String,
        Literal::Number => TokenKind::Number,
        Literal::Boolean | Literal::MetricValue => TokenKind::Word,
        Literal::Arrow => TokenKind::Operator,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, TokenKind, bool)> {
        let checked = medtm_engine::check_text(text, medtm_model::CheckOptions::default());
        tokens(&checked.file, &checked.model)
            .into_iter()
            .map(|token| (token.span.slice(text).to_owned(), token.kind, token.declaration))
            .collect()
    }

    #[test]
    fn an_id_equal_to_a_vocabulary_word_is_an_id_where_ids_go() {
        // `firmware` is an asset kind and here also an asset's id.
        let text = "asset firmware \"Image\" { kind: firmware }\ncomponent p { kind: wearable }\n\
            component a { kind: mobile_app }\nflow a -> p { medium: ble, carries: [firmware] }\n";
        let found = kinds(text);
        let firmware: Vec<_> = found.iter().filter(|(text, ..)| text == "firmware").collect();
        assert_eq!(
            firmware,
            [
                &("firmware".to_owned(), TokenKind::Id(Some(SymbolKind::Asset)), true),
                &("firmware".to_owned(), TokenKind::Word, false),
                &("firmware".to_owned(), TokenKind::Id(Some(SymbolKind::Asset)), false),
            ]
        );
        assert!(found.contains(&("->".to_owned(), TokenKind::Operator, false)));
        assert!(found.contains(&("\"Image\"".to_owned(), TokenKind::String, false)));
        assert!(found.contains(&("p".to_owned(), TokenKind::Id(Some(SymbolKind::Component)), false)));
    }

    #[test]
    fn cvss_values_in_an_effect_are_words_and_their_keys_metrics() {
        let text = "control c { category: authentication, effect: { UI: R, PR: H } }\n";
        let found = kinds(text);
        for (metric, value) in [("UI", "R"), ("PR", "H")] {
            assert!(found.contains(&(metric.to_owned(), TokenKind::Metric, false)), "{found:?}");
            assert!(found.contains(&(value.to_owned(), TokenKind::Word, false)), "{found:?}");
        }
    }

    #[test]
    fn tokens_are_sorted_apart_and_survive_a_broken_declaration() {
        let text = "/// The pump.\ncomponent p { kind: wearable }\ncomponent q { kind: [ }\n\
            accept MTM001 on p { reason: \"low\", owner: \"QA\", review_by: 2027-01-01 }\n// end\n";
        let checked = medtm_engine::check_text(text, medtm_model::CheckOptions::default());
        let found = tokens(&checked.file, &checked.model);
        for pair in found.windows(2) {
            assert!(pair[0].span.end <= pair[1].span.start, "{pair:?}");
        }
        let doc = found.first().expect("tokens");
        assert!(doc.kind == TokenKind::Comment && doc.documentation);
        let kinds = kinds(text);
        assert!(kinds.contains(&("MTM001".to_owned(), TokenKind::Rule, false)), "{kinds:?}");
        assert!(kinds.contains(&("2027-01-01".to_owned(), TokenKind::Number, false)), "{kinds:?}");
        assert!(kinds.contains(&("wearable".to_owned(), TokenKind::Word, false)), "{kinds:?}");
    }
}
