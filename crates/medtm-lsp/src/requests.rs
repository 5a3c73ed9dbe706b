//! The answer to each request about a document, from one analysed version of it. Parameters
//! that do not parse get an `InvalidParams` error and unknown methods `MethodNotFound`; a
//! request that cannot be carried out (renaming a keyword, formatting broken text) gets a
//! `RequestFailed` error whose message says why.

use lsp_server::{ErrorCode, Request, ResponseError};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentHighlightRequest, DocumentSymbolRequest, Formatting, GotoDefinition,
    HoverRequest, PrepareRenameRequest, References, Rename, Request as LspRequest, SemanticTokensFullRequest,
};
use lsp_types::{
    CompletionResponse, DocumentHighlight, DocumentHighlightKind, DocumentSymbolResponse, GotoDefinitionResponse,
    PrepareRenameResponse, SemanticTokens, SemanticTokensResult,
};
use serde_json::Value;

use crate::document::Analysed;
use crate::protocol;

/// Whether the server answers `method` (the rest get `MethodNotFound` without waiting for an
/// analysis).
pub fn is_known(method: &str) -> bool {
    METHODS.contains(&method)
}

/// The requests the server answers.
const METHODS: [&str; 11] = [
    HoverRequest::METHOD,
    Completion::METHOD,
    GotoDefinition::METHOD,
    References::METHOD,
    DocumentHighlightRequest::METHOD,
    DocumentSymbolRequest::METHOD,
    Formatting::METHOD,
    PrepareRenameRequest::METHOD,
    Rename::METHOD,
    CodeActionRequest::METHOD,
    SemanticTokensFullRequest::METHOD,
];

/// The result of `request` on `analysed`.
pub fn answer(request: &Request, analysed: &Analysed) -> Result<Value, ResponseError> {
    let analysis = &analysed.analysis;
    match request.method.as_str() {
        HoverRequest::METHOD => with::<HoverRequest>(request, |params| {
            let offset = analysed.offset(params.text_document_position_params.position);
            Ok(analysis.hover(offset).map(|hover| protocol::hover(analysed, &hover)))
        }),
        Completion::METHOD => with::<Completion>(request, |params| {
            let offset = analysed.offset(params.text_document_position.position);
            let items = protocol::completion_items(analysed, analysis.completions(offset));
            Ok(Some(CompletionResponse::Array(items)))
        }),
        GotoDefinition::METHOD => with::<GotoDefinition>(request, |params| {
            let offset = analysed.offset(params.text_document_position_params.position);
            Ok(analysis
                .definition(offset)
                .map(|span| GotoDefinitionResponse::Scalar(protocol::location(analysed, span))))
        }),
        References::METHOD => with::<References>(request, |params| {
            let offset = analysed.offset(params.text_document_position.position);
            let declarations = params.context.include_declaration;
            Ok(analysis.references(offset).map(|occurrences| {
                occurrences
                    .into_iter()
                    .filter(|occurrence| declarations || !occurrence.is_declaration())
                    .map(|occurrence| protocol::location(analysed, occurrence.span()))
                    .collect::<Vec<_>>()
            }))
        }),
        DocumentHighlightRequest::METHOD => with::<DocumentHighlightRequest>(request, |params| {
            let offset = analysed.offset(params.text_document_position_params.position);
            Ok(analysis.references(offset).map(|occurrences| {
                occurrences
                    .into_iter()
                    .map(|occurrence| DocumentHighlight {
                        range: analysed.range(occurrence.span()),
                        kind: Some(if occurrence.is_declaration() {
                            DocumentHighlightKind::WRITE
                        } else {
                            DocumentHighlightKind::READ
                        }),
                    })
                    .collect::<Vec<_>>()
            }))
        }),
        DocumentSymbolRequest::METHOD => with::<DocumentSymbolRequest>(request, |_| {
            Ok(Some(DocumentSymbolResponse::Nested(protocol::symbols(analysed, analysis.outline()))))
        }),
        Formatting::METHOD => with::<Formatting>(request, |_| crate::edits::format(analysed).map(Some).map_err(failed)),
        PrepareRenameRequest::METHOD => with::<PrepareRenameRequest>(request, |params| {
            let offset = analysed.offset(params.position);
            let (id, span) = analysis.prepare_rename(offset).map_err(failed)?;
            Ok(Some(PrepareRenameResponse::RangeWithPlaceholder { range: analysed.range(span), placeholder: id }))
        }),
        Rename::METHOD => with::<Rename>(request, |params| {
            let offset = analysed.offset(params.text_document_position.position);
            let edits = analysis.rename(offset, &params.new_name).map_err(failed)?;
            Ok(Some(crate::edits::workspace_edit(analysed, &edits)))
        }),
        CodeActionRequest::METHOD => with::<CodeActionRequest>(request, |params| {
            Ok(Some(crate::edits::quick_fixes(analysed, analysed.span(params.range))))
        }),
        SemanticTokensFullRequest::METHOD => with::<SemanticTokensFullRequest>(request, |_| {
            let data = crate::semantic::tokens(analysed);
            Ok(Some(SemanticTokensResult::Tokens(SemanticTokens { result_id: None, data })))
        }),
        method => Err(error(ErrorCode::MethodNotFound, format!("medtm does not answer `{method}`"))),
    }
}

/// Parses the parameters of `R`, runs `f`, and serialises its result.
fn with<R: LspRequest>(
    request: &Request,
    f: impl FnOnce(R::Params) -> Result<R::Result, ResponseError>,
) -> Result<Value, ResponseError> {
    let params: R::Params = serde_json::from_value(request.params.clone())
        .map_err(|e| error(ErrorCode::InvalidParams, format!("invalid parameters for `{}`: {e}", R::METHOD)))?;
    let result = f(params)?;
    serde_json::to_value(result).map_err(|e| error(ErrorCode::InternalError, e.to_string()))
}

pub fn error(code: ErrorCode, message: String) -> ResponseError {
    ResponseError { code: code as i32, message, data: None }
}

fn failed(message: String) -> ResponseError {
    error(ErrorCode::RequestFailed, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Text;
    use crate::position::Encoding;

    /// Every method `is_known` lists is answered (here with invalid parameters), and no other.
    #[test]
    fn known_methods_are_the_answered_ones() {
        let uri = "file:///t.mtm".parse().expect("a URI");
        let text = Text { version: 1, text: "asset a { kind: phi }".into() };
        let analysed = Analysed::new(uri, &text, Encoding::Utf16, medtm_model::CheckOptions::default());
        let code = |method: &str| {
            let request = Request::new(1.into(), method.to_owned(), serde_json::json!({ "bad": true }));
            answer(&request, &analysed).err().map(|error| error.code)
        };
        for method in METHODS {
            assert!(is_known(method));
            assert_eq!(code(method), Some(ErrorCode::InvalidParams as i32), "{method}");
        }
        assert!(!is_known("textDocument/semanticTokens/range"));
        assert_eq!(code("textDocument/semanticTokens/range"), Some(ErrorCode::MethodNotFound as i32));
    }
}
