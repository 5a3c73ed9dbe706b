//! The server loop: the handshake, the open documents, and the dispatch of every message.
//!
//! Documents are analysed on the analysis thread (see `analyser`); requests about a document
//! are answered from the analysis of its latest version, and wait for it when it is still being
//! computed. Every answer is computed under `catch_unwind`: a bug gives the client an error
//! response, never a dead server.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::civil::Date;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    Cancel, DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Exit, LogMessage, Notification as _,
    PublishDiagnostics,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions, DidChangeTextDocumentParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, HoverProviderCapability, InitializeParams, LogMessageParams,
    MessageType, NumberOrString, OneOf, RenameOptions, SemanticTokensFullOptions, SemanticTokensOptions,
    SemanticTokensServerCapabilities, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, Uri,
};
use medtm_model::CheckOptions;

use crate::analyser::{Analyser, Done, Job};
use crate::document::{Analysed, Text};
use crate::position::Encoding;
use crate::requests;

/// What the server needs from its host.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Today's date, for support and review dates. A client can fix it with the initialization
    /// option `{"today": "YYYY-MM-DD"}` (tests do, so that answers never depend on the day).
    pub today: fn() -> Date,
}

/// How the session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// `shutdown`, then `exit`.
    Cleanly,
    /// `exit` without `shutdown`, or the client went away: the protocol asks for exit code 1.
    WithoutShutdown,
}

/// Serves one client over `connection` until it exits.
pub fn serve(connection: &Connection, options: Options) -> Result<Ended, String> {
    let (id, params) = match connection.initialize_start() {
        Ok(started) => started,
        // The editor went away (or sent what is not LSP) before `initialize`: the transport says why.
        Err(error) if error.channel_is_disconnected() => return Ok(Ended::WithoutShutdown),
        Err(error) => return Err(error.to_string()),
    };
    let params: InitializeParams = match serde_json::from_value(params) {
        Ok(params) => params,
        Err(error) => {
            let message = format!("invalid initialize parameters: {error}");
            let _ =
                connection.sender.send(Response::new_err(id, ErrorCode::InvalidParams as i32, message.clone()).into());
            return Err(message);
        }
    };
    let encoding = Encoding::negotiate(
        params.capabilities.general.as_ref().and_then(|general| general.position_encodings.as_deref()),
    );
    let fixed_today = params
        .initialization_options
        .as_ref()
        .and_then(|init| init.get("today"))
        .and_then(serde_json::Value::as_str)
        .and_then(|today| today.parse::<Date>().ok());
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": { "name": "medtm", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result).map_err(|error| error.to_string())?;
    let mut server = Server {
        connection,
        encoding,
        today: fixed_today.map_or(Today::Clock(options.today), Today::Fixed),
        documents: BTreeMap::new(),
        waiting: Vec::new(),
        analyser: Analyser::start(encoding)?,
        shut_down: false,
    };
    server.run()
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            ..TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some([":", "[", ">"].map(str::to_owned).to_vec()),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: lsp_types::WorkDoneProgressOptions::default(),
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: crate::semantic::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                ..SemanticTokensOptions::default()
            },
        )),
        ..ServerCapabilities::default()
    }
}

#[derive(Debug, Clone, Copy)]
enum Today {
    Fixed(Date),
    Clock(fn() -> Date),
}

/// An open document: the editor's latest text, and the latest analysis (of that text, or of an
/// older version while the new one is analysed).
#[derive(Debug)]
struct Document {
    text: Text,
    analysed: Option<Arc<Analysed>>,
}

impl Document {
    /// The analysis of the latest text, if it is done.
    fn current(&self) -> Option<&Arc<Analysed>> {
        self.analysed.as_ref().filter(|analysed| analysed.version == self.text.version)
    }
}

struct Server<'c> {
    connection: &'c Connection,
    encoding: Encoding,
    today: Today,
    documents: BTreeMap<Uri, Document>,
    /// Requests about documents whose latest version is being analysed, in arrival order.
    waiting: Vec<(Uri, Request)>,
    analyser: Analyser,
    shut_down: bool,
}

impl Server<'_> {
    fn run(&mut self) -> Result<Ended, String> {
        loop {
            crossbeam_channel::select! {
                recv(self.connection.receiver) -> message => match message {
                    Ok(Message::Request(request)) => self.on_request(request),
                    Ok(Message::Notification(notification)) if notification.method == Exit::METHOD => {
                        return Ok(if self.shut_down { Ended::Cleanly } else { Ended::WithoutShutdown });
                    }
                    Ok(Message::Notification(notification)) => {
                        let method = notification.method.clone();
                        let handled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            self.on_notification(notification);
                        }));
                        if let Err(panic) = handled {
                            self.log(format!("medtm failed to handle `{method}`: {}", panic_message(&*panic)));
                        }
                    }
                    Ok(Message::Response(_)) => {}
                    Err(_) => return Ok(Ended::WithoutShutdown),
                },
                recv(self.analyser.results) -> done => {
                    if let Ok(done) = done {
                        self.on_analysed(done);
                    }
                }
            }
        }
    }

    fn send(&self, message: impl Into<Message>) {
        // A send fails only when the client is gone; the loop ends at its next receive.
        let _ = self.connection.sender.send(message.into());
    }

    fn on_request(&mut self, request: Request) {
        if self.shut_down {
            let message = "the server is shutting down".to_owned();
            return self.send(Response::new_err(request.id, ErrorCode::InvalidRequest as i32, message));
        }
        if request.method == "shutdown" {
            self.shut_down = true;
            return self.send(Response::new_ok(request.id, ()));
        }
        if !requests::is_known(&request.method) {
            let message = format!("medtm does not answer `{}`", request.method);
            return self.send(Response::new_err(request.id, ErrorCode::MethodNotFound as i32, message));
        }
        let uri = request
            .params
            .pointer("/textDocument/uri")
            .cloned()
            .and_then(|uri| serde_json::from_value::<Uri>(uri).ok());
        let Some((uri, document)) = uri.and_then(|uri| self.documents.get(&uri).map(|document| (uri, document))) else {
            let message = "the request names no document that is open".to_owned();
            return self.send(Response::new_err(request.id, ErrorCode::InvalidParams as i32, message));
        };
        match document.current() {
            Some(analysed) => self.send(answer(&request, analysed)),
            None => self.waiting.push((uri, request)),
        }
    }

    fn on_notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<DidOpenTextDocumentParams>(notification.params) {
                    let document = params.text_document;
                    let text = Text { version: document.version, text: document.text.into() };
                    self.analyse(&document.uri, &text);
                    self.documents.insert(document.uri, Document { text, analysed: None });
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<DidChangeTextDocumentParams>(notification.params) {
                    let uri = params.text_document.uri;
                    let Some(document) = self.documents.get(&uri) else { return };
                    let text = document.text.apply(params.text_document.version, params.content_changes, self.encoding);
                    self.analyse(&uri, &text);
                    if let Some(document) = self.documents.get_mut(&uri) {
                        document.text = text;
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<DidCloseTextDocumentParams>(notification.params) {
                    let uri = params.text_document.uri;
                    self.analyser.forget(&uri);
                    self.documents.remove(&uri);
                    let (closed, waiting): (Vec<_>, Vec<_>) =
                        std::mem::take(&mut self.waiting).into_iter().partition(|(waiting, _)| *waiting == uri);
                    self.waiting = waiting;
                    for (_, request) in closed {
                        let message = "the document was closed".to_owned();
                        self.send(Response::new_err(request.id, ErrorCode::RequestCanceled as i32, message));
                    }
                    self.publish(&uri, serde_json::Value::Array(Vec::new()), None);
                }
            }
            Cancel::METHOD => {
                let Ok(params) = serde_json::from_value::<lsp_types::CancelParams>(notification.params) else { return };
                let id: RequestId = match params.id {
                    NumberOrString::Number(number) => number.into(),
                    NumberOrString::String(text) => text.into(),
                };
                if let Some(index) = self.waiting.iter().position(|(_, request)| request.id == id) {
                    let (_, request) = self.waiting.remove(index);
                    let message = "cancelled".to_owned();
                    self.send(Response::new_err(request.id, ErrorCode::RequestCanceled as i32, message));
                }
            }
            _ => {}
        }
    }

    fn analyse(&self, uri: &Uri, text: &Text) {
        let today = match self.today {
            Today::Fixed(date) => date,
            Today::Clock(clock) => clock(),
        };
        let job = Job { uri: uri.clone(), text: text.clone(), options: CheckOptions { today: Some(today) } };
        self.analyser.submit(job);
    }

    fn on_analysed(&mut self, done: Done) {
        let Some(document) = self.documents.get_mut(&done.uri) else { return };
        if document.text.version != done.version {
            return;
        }
        let (uri, version) = (done.uri, done.version);
        match done.outcome {
            Ok((analysed, diagnostics)) => {
                let previous = document.analysed.replace(analysed);
                self.publish(&uri, diagnostics, Some(version));
                // Freeing the previous analysis of a large model takes milliseconds: after publishing.
                drop(previous);
            }
            Err(panic) => {
                let message = format!("medtm could not analyse {}: {panic}", uri.as_str());
                self.log(message.clone());
                let (failed, waiting): (Vec<_>, Vec<_>) =
                    std::mem::take(&mut self.waiting).into_iter().partition(|(waiting, _)| *waiting == uri);
                self.waiting = waiting;
                for (_, request) in failed {
                    self.send(Response::new_err(request.id, ErrorCode::InternalError as i32, message.clone()));
                }
                return;
            }
        }
        let (ready, waiting): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.waiting).into_iter().partition(|(waiting, _)| *waiting == uri);
        self.waiting = waiting;
        if let Some(analysed) = self.documents.get(&uri).and_then(Document::current) {
            for (_, request) in ready {
                self.send(answer(&request, analysed));
            }
        }
    }

    /// Shows an error in the editor's log of the server.
    fn log(&self, message: String) {
        self.send(Notification::new(
            LogMessage::METHOD.to_owned(),
            LogMessageParams { typ: MessageType::ERROR, message },
        ));
    }

    /// Publishes a document's diagnostics, a JSON array (see `diagnostics::all`).
    fn publish(&self, uri: &Uri, diagnostics: serde_json::Value, version: Option<i32>) {
        // Moved into the message, not through `json!`, which would serialise the array again.
        let mut params = serde_json::Map::new();
        params.insert("uri".to_owned(), uri.as_str().into());
        params.insert("diagnostics".to_owned(), diagnostics);
        if let Some(version) = version {
            params.insert("version".to_owned(), version.into());
        }
        let params = serde_json::Value::Object(params);
        self.send(Notification { method: PublishDiagnostics::METHOD.to_owned(), params });
    }
}

/// The response to a request, with a panic turned into an error response.
fn answer(request: &Request, analysed: &Analysed) -> Response {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| requests::answer(request, analysed)));
    let result = match outcome {
        Ok(result) => result,
        Err(panic) => Err(requests::error(
            ErrorCode::InternalError,
            format!("medtm failed to answer `{}`: {}", request.method, panic_message(&*panic)),
        )),
    };
    Response { id: request.id.clone(), response_result: result }
}

/// The message of a caught panic.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an internal error".to_owned())
}
