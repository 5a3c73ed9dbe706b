//! `medtm mcp`: a Model Context Protocol server over standard input and output, so that an AI
//! assistant writing a `.mtm` model beside a person can check, report on, explain and format it.
//!
//! Built on the official Rust SDK (`rmcp`), with the tools listed and dispatched by hand rather
//! than by its macros, so that every bad argument (wrong type, missing model, a path outside the
//! working directory, a bad date) comes back as a tool error result with a message the assistant
//! can act on, never as a protocol error or a panic. The tools themselves are in [`tools`]; the
//! confinement of paths in [`workdir`].

mod tools;
mod workdir;

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use rmcp::handler::server::common::schema_for_type;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool, ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt as _};
use serde::de::DeserializeOwned;

pub use tools::Today;
pub use workdir::Workdir;

/// What the server tells the assistant when it connects.
const INSTRUCTIONS: &str = "medtm checks and analyses threat models of medical devices written in its \
    `.mtm` language: elements (assets, actors, components, stores), flows between them, boundaries and \
    controls. Use `explain` to learn a keyword, attribute or rule; `check` after every edit to find \
    errors and warnings with their line, column and suggested fix; `report` for the ranked risks with \
    CVSS scores and why each fires; `format` for the canonical layout. Models are passed as `text`, or \
    as a `path` under the server's working directory.";

/// The server: the folder paths are confined to, and the date analyses default to.
#[derive(Debug, Clone)]
pub struct Server {
    workdir: Arc<Workdir>,
    today: Today,
}

impl Server {
    pub fn new(workdir: Workdir, today: Today) -> Self {
        Self { workdir: Arc::new(workdir), today }
    }

    /// The tools, with their descriptions and argument schemas.
    pub fn tools() -> Vec<Tool> {
        let read_only =
            |title: &str| ToolAnnotations::with_title(title).read_only(true).idempotent(true).open_world(false);
        vec![
            Tool::new("check", tools::CHECK, schema::<tools::CheckArgs>()).annotate(read_only("Check a model")),
            Tool::new("report", tools::REPORT, schema::<tools::ReportArgs>())
                .annotate(read_only("Ranked risks of a model")),
            Tool::new("explain", tools::EXPLAIN, schema::<tools::ExplainArgs>())
                .annotate(read_only("Explain a word of the language")),
            Tool::new("format", tools::FORMAT, schema::<tools::FormatArgs>()).annotate(read_only("Format a model")),
        ]
    }

    /// Runs a tool by name on its JSON arguments; `None` for a tool that does not exist.
    pub fn call(&self, name: &str, arguments: serde_json::Map<String, serde_json::Value>) -> Option<CallToolResult> {
        let (workdir, today) = (&*self.workdir, self.today);
        let outcome = match name {
            "check" => run(arguments, |args| tools::check(&args, workdir, today)),
            "report" => run(arguments, |args| tools::report(&args, workdir, today)),
            "explain" => run(arguments, |args| tools::explain(&args)),
            "format" => run(arguments, |args| tools::format(&args, workdir)),
            _ => return None,
        };
        Some(match outcome {
            Ok(answer) => {
                let mut result = CallToolResult::success(vec![ContentBlock::text(answer.text)]);
                result.structured_content = answer.structured;
                result
            }
            Err(failure) => {
                let mut result = CallToolResult::error(vec![ContentBlock::text(failure.message)]);
                result.structured_content = failure.structured;
                result
            }
        })
    }
}

/// The JSON Schema of a tool's arguments, with each description (from doc comments, which wrap)
/// on one line.
fn schema<T: schemars::JsonSchema + 'static>() -> Arc<serde_json::Map<String, serde_json::Value>> {
    use serde_json::Value;
    fn one_line(key: &str, value: &mut Value) {
        match value {
            Value::String(text) if key == "description" => *text = text.replace('\n', " "),
            Value::Object(map) => map.iter_mut().for_each(|(key, value)| one_line(key, value)),
            Value::Array(items) => items.iter_mut().for_each(|value| one_line("", value)),
            _ => {}
        }
    }
    let mut map = (*schema_for_type::<T>()).clone();
    map.iter_mut().for_each(|(key, value)| one_line(key, value));
    Arc::new(map)
}

/// Parses a tool's arguments and runs it; a panic (a bug, never bad input) is caught and
/// reported as a failure, so that one call cannot take the server down.
fn run<A: DeserializeOwned>(
    arguments: serde_json::Map<String, serde_json::Value>,
    tool: impl FnOnce(A) -> Result<tools::Answer, tools::Failure>,
) -> Result<tools::Answer, tools::Failure> {
    let args: A = serde_json::from_value(serde_json::Value::Object(arguments))
        .map_err(|error| format!("invalid arguments: {error}"))?;
    std::panic::catch_unwind(AssertUnwindSafe(|| tool(args))).unwrap_or_else(|_| {
        Err(tools::Failure::from("medtm failed on this input (a bug: please report it with the model)".to_owned()))
    })
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("medtm", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(Self::tools()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        Self::tools().into_iter().find(|tool| tool.name == name)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let arguments = request.arguments.unwrap_or_default();
        match self.call(&request.name, arguments) {
            Some(result) => Ok(result.into()),
            // The protocol's answer to an unknown tool is an invalid-parameters error.
            None => Err(ErrorData::invalid_params(
                format!("no tool named {:?}; the tools are check, report, explain and format", request.name),
                None,
            )),
        }
    }
}

/// The longest message read: the SDK drops longer ones without an answer (16 MiB by default),
/// which would leave a client waiting on a large model given as text. Room for the largest model
/// the parser takes, JSON-escaped (a typical model grows by a few percent); a larger one is
/// answered with the model's own "file too large" diagnostic.
const MAX_MESSAGE_BYTES: usize = 2 * medtm_syntax::limits::MAX_FILE_BYTES;

/// Serves on the process's standard input and output until the client closes them.
pub fn serve_stdio(server: Server) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the MCP server: {error}"))?;
    runtime.block_on(async {
        let (stdin, stdout) = rmcp::transport::stdio();
        let transport = rmcp::transport::async_rw::AsyncRwTransport::new_server(stdin, stdout)
            .with_max_line_length(MAX_MESSAGE_BYTES);
        let running =
            server.serve(transport).await.map_err(|error| format!("cannot start the MCP session: {error}"))?;
        running.waiting().await.map_err(|error| format!("the MCP server stopped: {error}"))?;
        Ok(())
    })
}
