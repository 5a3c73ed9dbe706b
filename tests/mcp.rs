//! `medtm mcp` as an AI assistant's client drives it, without any MCP library: the real binary
//! over pipes, speaking newline-delimited JSON-RPC (`initialize`, `notifications/initialized`,
//! `tools/list`, `tools/call`). The Python SDK's client is driven against it by
//! `cargo xtask mcp-test` (`tests/mcp/client.py`); this test keeps the protocol covered by
//! `cargo test` alone.

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use medtm_tests::{TODAY, medtm_binary, root};
use serde_json::{Value, json};

/// How long any answer may take before the test fails instead of hanging.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A model with two misspelt references: `ap` (for `app`) and `bolus_comand`.
const BROKEN: &str = include_str!("fixtures/diagnostics/E0303-unresolved-reference.mtm");

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<String>,
    next_id: u64,
}

impl Client {
    /// Starts `medtm mcp` in the repository root and completes the handshake.
    fn start() -> (Self, Value) {
        let mut child = Command::new(medtm_binary())
            .args(["mcp", "--today", TODAY])
            .current_dir(root())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("medtm starts");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, incoming) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut client = Client { child, stdin, incoming, next_id: 1 };
        let initialized = client
            .request(
                "initialize",
                json!({
                    "protocolVersion": "2025-06-18",
                    "capabilities": {},
                    "clientInfo": { "name": "medtm-tests", "version": "0" }
                }),
            )
            .expect("initialize succeeds");
        client.notify("notifications/initialized", json!({}));
        (client, initialized)
    }

    fn send(&mut self, message: &Value) {
        let stdin = self.stdin.as_mut().expect("the client's side is open");
        writeln!(stdin, "{message}").expect("the server reads");
        stdin.flush().expect("the server reads");
    }

    fn notify(&mut self, method: &str, params: Value) {
        let mut message = json!({ "jsonrpc": "2.0", "method": method });
        message["params"] = params;
        self.send(&message);
    }

    /// Sends a request and waits for its answer: the result, or the JSON-RPC error.
    fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        message["params"] = params;
        self.send(&message);
        loop {
            let line = match self.incoming.recv_timeout(TIMEOUT) {
                Ok(line) => line,
                Err(RecvTimeoutError::Timeout) => panic!("no answer to {method} in {TIMEOUT:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output during {method}"),
            };
            let message: Value =
                serde_json::from_str(&line).unwrap_or_else(|error| panic!("not JSON on stdout ({error}): {line}"));
            // Notifications and requests from the server are not what is awaited.
            if message["id"] != json!(id) || message.get("method").is_some() {
                continue;
            }
            assert_eq!(message["jsonrpc"], "2.0", "{message}");
            return match message.get("error") {
                Some(error) => Err(error.clone()),
                None => Ok(message["result"].clone()),
            };
        }
    }

    fn call(&mut self, tool: &str, arguments: Value) -> Value {
        let mut params = json!({ "name": tool });
        params["arguments"] = arguments;
        self.request("tools/call", params).unwrap_or_else(|error| panic!("{tool} answered a protocol error: {error}"))
    }

    /// Closes the server's input; it exits on its own, successfully.
    fn stop(mut self) -> Option<i32> {
        drop(self.stdin.take());
        let deadline = std::time::Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("the server can be waited for") {
                return status.code();
            }
            assert!(std::time::Instant::now() < deadline, "the server did not exit when its input closed");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The text of a tool result's only content block.
fn text_of(result: &Value) -> &str {
    let content = result["content"].as_array().expect("content is a list");
    assert_eq!(content.len(), 1, "{result}");
    assert_eq!(content[0]["type"], "text");
    content[0]["text"].as_str().expect("text content")
}

#[test]
fn handshake_list_and_check_a_broken_model() {
    let (mut client, initialized) = Client::start();
    assert_eq!(initialized["serverInfo"]["name"], "medtm", "{initialized}");
    assert!(initialized["capabilities"]["tools"].is_object(), "{initialized}");
    assert!(initialized["instructions"].as_str().is_some_and(|text| text.contains("check")));

    let listed = client.request("tools/list", json!({})).expect("tools/list succeeds");
    let tools = listed["tools"].as_array().expect("a list of tools");
    let names: Vec<&str> = tools.iter().filter_map(|tool| tool["name"].as_str()).collect();
    assert_eq!(names, ["check", "report", "explain", "format"]);
    for tool in tools {
        assert!(tool["description"].as_str().is_some_and(|text| text.len() > 80), "{tool}");
        assert_eq!(tool["inputSchema"]["type"], "object", "{tool}");
        assert_eq!(tool["annotations"]["readOnlyHint"], true, "{tool}");
        // Doc comments wrap; the descriptions an assistant reads do not.
        assert!(!tool["inputSchema"].to_string().contains("\\n"), "{tool}");
    }
    let check = &tools[0]["inputSchema"]["properties"];
    for argument in ["text", "path", "today"] {
        assert!(check[argument].is_object(), "check takes {argument}: {check}");
    }

    // The diagnostics are exactly those of `medtm check --format json` on the same text.
    let result = client.call("check", json!({ "text": BROKEN }));
    assert_eq!(result["isError"], false, "{result}");
    let cli = medtm_tests::medtm(&["check", "--format", "json", "--today", TODAY, "-"], BROKEN.as_bytes());
    assert_eq!(cli.code, 1);
    let expected = cli.stdout.replace("<stdin>", "<text>");
    assert_eq!(text_of(&result), expected);
    let structured = &result["structuredContent"];
    assert_eq!(structured, &serde_json::from_str::<Value>(&expected).unwrap());
    assert_eq!(structured["errors"], 2, "{structured}");
    let first = &structured["files"][0]["diagnostics"][0];
    assert_eq!(first["code"], "E0303", "{first}");
    assert_eq!((&first["line"], &first["column"]), (&json!(7), &json!(13)), "{first}");
    assert_eq!(first["help"], "did you mean `app`?", "{first}");
    assert_eq!(first["fix"]["replacement"], "app", "{first}");

    assert_eq!(client.stop(), Some(0));
}

#[test]
fn bad_arguments_are_tool_errors() {
    let (mut client, _) = Client::start();
    let cases = [
        ("check", json!({}), "give the model as `text`"),
        ("check", json!({ "text": "x", "path": "models/insulin-pump.mtm" }), "not both"),
        ("check", json!({ "text": 5 }), "invalid arguments"),
        ("check", json!({ "path": "../outside.mtm" }), "outside the server's working directory"),
        ("check", json!({ "path": "/etc/passwd" }), "outside the server's working directory"),
        ("check", json!({ "path": "models/missing.mtm" }), "cannot read models/missing.mtm: no such file"),
        ("check", json!({ "path": "models" }), "cannot read models"),
        ("check", json!({ "text": "", "today": "28/11/2026" }), "YYYY-MM-DD"),
        ("report", json!({ "text": BROKEN }), "has errors; fix them"),
        ("report", json!({ "path": "models/insulin-pump.mtm", "top": 0 }), "at least 1"),
        ("report", json!({ "path": "models/insulin-pump.mtm", "top": -1 }), "invalid arguments"),
        ("explain", json!({ "word": "no-such-word" }), "no-such-word"),
        ("explain", json!({}), "missing field `word`"),
        ("format", json!({ "text": "flow a -> {" }), "syntax errors"),
    ];
    for (tool, arguments, expected) in cases {
        let shown = arguments.to_string();
        let result = client.call(tool, arguments);
        assert_eq!(result["isError"], true, "{tool} {shown}: {result}");
        let message = text_of(&result);
        assert!(message.contains(expected), "{tool} {shown}: expected {expected:?} in {message}");
    }
    // Only an unknown tool is a protocol error, as the protocol asks.
    let error = client.request("tools/call", json!({ "name": "nope", "arguments": {} })).unwrap_err();
    assert!(error["message"].as_str().is_some_and(|text| text.contains("no tool named")), "{error}");
    // The server is still answering after all of that.
    let result = client.call("explain", json!({ "word": "flow" }));
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn report_explain_and_format_match_the_command_line() {
    let (mut client, _) = Client::start();
    let model = "models/insulin-pump.mtm";

    let result = client.call("report", json!({ "path": model, "top": 3 }));
    assert_eq!(result["isError"], false, "{result}");
    let ranked = &result["structuredContent"];
    let cli = medtm_tests::medtm(&["report", "--format", "json", "--today", TODAY, model], b"");
    assert_eq!(cli.code, 0, "{}", cli.stderr);
    let full: Value = serde_json::from_str(&cli.stdout).unwrap();
    assert_eq!(ranked["source"], model);
    assert_eq!(ranked["analysed_on"], TODAY);
    assert_eq!(ranked["summary"], full["summary"]);
    assert_eq!(ranked["risks_shown"], 3);
    assert_eq!(ranked["risks"].as_array().unwrap()[..], full["risks"].as_array().unwrap()[..3]);
    let findings: Vec<&Value> =
        full["findings"].as_array().unwrap().iter().filter(|f| f["risk_rank"].as_u64().unwrap() <= 3).collect();
    assert_eq!(ranked["findings"].as_array().unwrap().iter().collect::<Vec<_>>(), findings);

    let result = client.call("explain", json!({ "word": "flow.authn" }));
    assert_eq!(text_of(&result), medtm_tests::medtm(&["explain", "flow.authn"], b"").stdout);

    let text = std::fs::read_to_string(root().join(model)).unwrap();
    let squashed = text.replace("\n\n", "\n");
    let result = client.call("format", json!({ "text": squashed }));
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(text_of(&result), medtm_tests::medtm(&["fmt", "-"], squashed.as_bytes()).stdout);
    assert_eq!(client.stop(), Some(0));
}
