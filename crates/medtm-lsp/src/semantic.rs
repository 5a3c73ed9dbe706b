//! `medtm-ide`'s semantic tokens as LSP's: the legend the server announces, and the tokens in
//! the protocol's relative encoding (each token's line and start relative to the previous one),
//! a string or comment over several lines split into one token per line, since clients need not
//! support tokens that span lines.

use lsp_types::{SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokensLegend};
use medtm_ide::{Span, TokenKind};
use medtm_model::model::SymbolKind;

use crate::document::Analysed;

/// The token types of the legend; each is its index there (see [`TYPES`]).
#[derive(Debug, Clone, Copy)]
enum Legend {
    Keyword,
    Namespace,
    Class,
    Variable,
    Type,
    Event,
    Interface,
    Property,
    EnumMember,
    Function,
    String,
    Number,
    Comment,
    Operator,
}

/// The legend's token types, in [`Legend`]'s order.
const TYPES: [SemanticTokenType; 14] = [
    SemanticTokenType::KEYWORD,
    SemanticTokenType::NAMESPACE,
    SemanticTokenType::CLASS,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::TYPE,
    SemanticTokenType::EVENT,
    SemanticTokenType::INTERFACE,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::COMMENT,
    SemanticTokenType::OPERATOR,
];

const DECLARATION: u32 = 1;
const DOCUMENTATION: u32 = 1 << 1;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: vec![SemanticTokenModifier::DECLARATION, SemanticTokenModifier::DOCUMENTATION],
    }
}

/// The standard type a token is shown as: declarations by what they declare (systems and
/// boundaries as namespaces, elements as classes, assets as variables, software as types, flows
/// as events, controls as interfaces).
fn legend_type(kind: TokenKind) -> Legend {
    match kind {
        TokenKind::Keyword => Legend::Keyword,
        TokenKind::Id(Some(SymbolKind::System | SymbolKind::Boundary)) => Legend::Namespace,
        TokenKind::Id(Some(SymbolKind::Actor | SymbolKind::Component | SymbolKind::Store)) => Legend::Class,
        TokenKind::Id(Some(SymbolKind::Software)) => Legend::Type,
        TokenKind::Id(Some(SymbolKind::Flow)) => Legend::Event,
        TokenKind::Id(Some(SymbolKind::Control)) => Legend::Interface,
        TokenKind::Id(Some(SymbolKind::Asset | SymbolKind::Assumption | SymbolKind::RiskMatrix) | None) => {
            Legend::Variable
        }
        TokenKind::Attribute | TokenKind::Metric => Legend::Property,
        TokenKind::Word => Legend::EnumMember,
        TokenKind::Rule => Legend::Function,
        TokenKind::String => Legend::String,
        TokenKind::Number => Legend::Number,
        TokenKind::Comment => Legend::Comment,
        TokenKind::Operator => Legend::Operator,
    }
}

/// The document's tokens, relatively encoded, in the negotiated position encoding.
pub fn tokens(analysed: &Analysed) -> Vec<SemanticToken> {
    let text = analysed.analysis.text();
    let mut encoded = Vec::new();
    let (mut previous_line, mut previous_start) = (0, 0);
    for token in analysed.analysis.semantic_tokens() {
        let token_type = legend_type(token.kind) as u32;
        let modifiers =
            if token.declaration { DECLARATION } else { 0 } | if token.documentation { DOCUMENTATION } else { 0 };
        for line in lines_of(text, token.span) {
            let range = analysed.range(line);
            let length = range.end.character - range.start.character;
            let (line, start) = (range.start.line, range.start.character);
            let delta_start = if line == previous_line { start - previous_start } else { start };
            encoded.push(SemanticToken {
                delta_line: line - previous_line,
                delta_start,
                length,
                token_type,
                token_modifiers_bitset: modifiers,
            });
            (previous_line, previous_start) = (line, start);
        }
    }
    encoded
}

/// The parts of `span` on each line it covers, without the line breaks (and empty parts).
fn lines_of(text: &str, span: Span) -> impl Iterator<Item = Span> + '_ {
    let mut start = span.start;
    span.slice(text).split('\n').filter_map(move |part| {
        let line = Span::new(start, start + part.trim_end_matches('\r').len());
        start += part.len() + 1;
        (line.start < line.end).then_some(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_over_lines_is_cut_at_each_line_break() {
        let text = "a \"\"\"one\r\ntwo\n\"\"\" b";
        let parts: Vec<&str> = lines_of(text, Span::new(2, 17)).map(|span| span.slice(text)).collect();
        assert_eq!(parts, ["\"\"\"one", "two", "\"\"\""]);
    }
}
