//! The answer to each request about a document, from one analysed version of it. Parameters
//! that do not parse get an `InvalidParams` error and unknown methods `MethodNotFound`; a
//! request that cannot be carried out (renaming a keyword, formatting broken text) gets a
//! `RequestFailed` error whose message says why.

use lsp_server::{ErrorCode, Request, ResponseError};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentHighlightRequest, DocumentSymbolRequest, Formatting, GotoDefinition,
    HoverRequest, PrepareRenameRequest, References, Rename, Request as LspRequest,
};
use lsp_types::{
    CompletionResponse, DocumentHighlight, DocumentHighlightKind, DocumentSymbolResponse, GotoDefinitionResponse,
    Hover, HoverContents, Location, MarkupContent, MarkupKind, PrepareRenameResponse, TextEdit,
};
use serde_json::Value;

use crate::document::Analysed;
use crate::locate::Target;
use crate::navigation;

/// Whether the server answers `method` (the rest get `MethodNotFound` without waiting for an
/// analysis).
pub fn is_known(method: &str) -> bool {
    METHODS.contains(&method)
}

/// The requests the server answers.
const METHODS: [&str; 10] = [
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
];

/// The result of `request` on `analysed`.
pub fn answer(request: &Request, analysed: &Analysed) -> Result<Value, ResponseError> {
    match request.method.as_str() {
        HoverRequest::METHOD => with::<HoverRequest>(request, |params| {
            let offset = analysed.offset(params.text_document_position_params.position);
            Ok(crate::hover::hover(analysed, offset).map(|(text, located)| Hover {
                contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: text }),
                range: Some(analysed.range(located.span)),
            }))
        }),
        Completion::METHOD => with::<Completion>(request, |params| {
            let offset = analysed.offset(params.text_document_position.position);
            Ok(Some(CompletionResponse::Array(crate::completion::complete(analysed, offset))))
        }),
        GotoDefinition::METHOD => with::<GotoDefinition>(request, |params| {
            let offset = analysed.offset(params.text_document_position_params.position);
            let checked = &analysed.checked;
            Ok(id_at(analysed, offset)
                .and_then(|id| navigation::definition(&checked.file, &checked.model, &id))
                .map(|span| GotoDefinitionResponse::Scalar(location(analysed, span))))
        }),
        References::METHOD => with::<References>(request, |params| {
            let offset = analysed.offset(params.text_document_position.position);
            let declarations = params.context.include_declaration;
            let checked = &analysed.checked;
            Ok(id_at(analysed, offset).map(|id| {
                navigation::occurrences(&checked.file, &checked.model, &id)
                    .into_iter()
                    .filter(|occurrence| declarations || !occurrence.is_declaration())
                    .map(|occurrence| location(analysed, occurrence.span()))
                    .collect::<Vec<_>>()
            }))
        }),
        DocumentHighlightRequest::METHOD => with::<DocumentHighlightRequest>(request, |params| {
            let offset = analysed.offset(params.text_document_position_params.position);
            let checked = &analysed.checked;
            Ok(id_at(analysed, offset).map(|id| {
                navigation::occurrences(&checked.file, &checked.model, &id)
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
            Ok(Some(DocumentSymbolResponse::Nested(crate::symbols::outline(analysed))))
        }),
        Formatting::METHOD => with::<Formatting>(request, |_| crate::edits::format(analysed).map(Some).map_err(failed)),
        PrepareRenameRequest::METHOD => with::<PrepareRenameRequest>(request, |params| {
            let offset = analysed.offset(params.position);
            let (id, span) = renameable(analysed, offset)?;
            Ok(Some(PrepareRenameResponse::RangeWithPlaceholder { range: analysed.range(span), placeholder: id }))
        }),
        Rename::METHOD => with::<Rename>(request, |params| {
            let offset = analysed.offset(params.text_document_position.position);
            let (id, _) = renameable(analysed, offset)?;
            let checked = &analysed.checked;
            let edits = navigation::rename(&checked.file, &checked.model, &id, &params.new_name).map_err(failed)?;
            let edits =
                edits.into_iter().map(|(span, new_text)| TextEdit { range: analysed.range(span), new_text }).collect();
            Ok(Some(crate::edits::workspace_edit(analysed, edits)))
        }),
        CodeActionRequest::METHOD => with::<CodeActionRequest>(request, |params| {
            Ok(Some(crate::edits::quick_fixes(analysed, analysed.span(params.range))))
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

fn location(analysed: &Analysed, span: medtm_syntax::Span) -> Location {
    Location::new(analysed.uri.clone(), analysed.range(span))
}

/// The id at `offset`, declared or referred to.
fn id_at(analysed: &Analysed, offset: usize) -> Option<String> {
    match crate::locate::at(&analysed.checked.file, &analysed.checked.model, offset)?.target {
        Target::Id(id) => Some(id),
        _ => None,
    }
}

/// The id at `offset` and the span to rename, or why there is nothing to rename there.
fn renameable(analysed: &Analysed, offset: usize) -> Result<(String, medtm_syntax::Span), ResponseError> {
    let located = crate::locate::at(&analysed.checked.file, &analysed.checked.model, offset);
    match located {
        Some(located) => match located.target {
            Target::Id(id)
                if navigation::definition(&analysed.checked.file, &analysed.checked.model, &id).is_some() =>
            {
                Ok((id, located.span))
            }
            Target::Id(id) => {
                Err(failed(format!("`{id}` is not declared in this file, so there is nothing to rename")))
            }
            _ => Err(failed(format!(
                "`{}` is part of the language; only ids of declarations can be renamed",
                analysed.slice(located.span)
            ))),
        },
        None => Err(failed("there is no id here to rename".to_owned())),
    }
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
        assert!(!is_known("textDocument/semanticTokens/full"));
        assert_eq!(code("textDocument/semanticTokens/full"), Some(ErrorCode::MethodNotFound as i32));
    }
}
