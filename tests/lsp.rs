//! The language server as an editor drives it: the real `medtm lsp` binary over pipes, with
//! JSON-RPC messages (`initialize`, `initialized`, `didOpen`, `didChange`, each request,
//! `shutdown`, `exit`), and the answers snapshotted in a readable form that shows the text each
//! range covers. Also: the TextMate grammar's word lists match the language.

#[path = "../crates/medtm-ide/tests/cases/mod.rs"]
mod cases;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::BufReader;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use lsp_server::{Message, Notification, Request, RequestId};
use medtm_tests::{TODAY, medtm_binary, root};
use serde_json::{Value, json};

const URI: &str = "file:///work/model.mtm";

/// How long any answer may take before the test fails instead of hanging.
const TIMEOUT: Duration = Duration::from_secs(60);

/// An editor talking to `medtm lsp` over its standard input and output.
struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Message>,
    /// Notifications received while waiting for something else.
    notifications: Vec<Notification>,
    next_id: i32,
    /// Whether the server counts columns in UTF-8 bytes (else UTF-16 code units).
    utf8: bool,
    /// The document's text as the client has it.
    text: String,
    version: i32,
}

impl Client {
    /// Starts the server and initialises it; `encodings` are the position encodings offered.
    fn start(encodings: &[&str]) -> (Client, Value) {
        let mut child = Command::new(medtm_binary())
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("medtm lsp starts");
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, incoming) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Ok(Some(message)) = Message::read(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            incoming,
            notifications: Vec::new(),
            next_id: 0,
            utf8: false,
            text: String::new(),
            version: 0,
        };
        let capabilities = json!({ "general": { "positionEncodings": encodings } });
        let result = client
            .request("initialize", json!({ "capabilities": capabilities, "initializationOptions": { "today": TODAY } }))
            .expect("initialize succeeds");
        client.utf8 = result["capabilities"]["positionEncoding"] == "utf-8";
        client.notify("initialized", json!({}));
        (client, result)
    }

    /// Starts a server and opens `text`, waiting for its first diagnostics.
    fn open(text: &str) -> (Client, Vec<Value>) {
        let (mut client, _) = Client::start(&["utf-16"]);
        let diagnostics = client.did_open(text);
        (client, diagnostics)
    }

    fn send(&mut self, message: impl Into<Message>) {
        message.into().write(&mut self.stdin).expect("the server reads its input");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(Notification::new(method.to_owned(), params));
    }

    fn receive(&mut self) -> Message {
        match self.incoming.recv_timeout(TIMEOUT) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("the server did not answer within {TIMEOUT:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// Sends a request and waits for its response: the result, or the error object.
    fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.send(Request::new(id.clone(), method.to_owned(), params));
        loop {
            match self.receive() {
                Message::Response(response) if response.id == id => {
                    return response
                        .response_result
                        .map_err(|error| json!({ "code": error.code, "message": error.message }));
                }
                Message::Notification(notification) => self.notifications.push(notification),
                other => panic!("unexpected message {other:?}"),
            }
        }
    }

    /// The diagnostics published for `version` of the document.
    fn published(&mut self, version: i32) -> Vec<Value> {
        let is_wanted = |notification: &Notification| {
            notification.method == "textDocument/publishDiagnostics" && notification.params["version"] == version
        };
        loop {
            if let Some(index) = self.notifications.iter().position(is_wanted) {
                let notification = self.notifications.remove(index);
                return notification.params["diagnostics"].as_array().cloned().unwrap_or_default();
            }
            match self.receive() {
                Message::Notification(notification) => self.notifications.push(notification),
                other => panic!("unexpected message {other:?}"),
            }
        }
    }

    fn did_open(&mut self, text: &str) -> Vec<Value> {
        text.clone_into(&mut self.text);
        self.version = 1;
        let document = json!({ "uri": URI, "languageId": "medtm", "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": document }));
        self.published(1)
    }

    /// Replaces the first occurrence of `old` with `new` by a ranged change.
    fn change(&mut self, old: &str, new: &str) -> Vec<Value> {
        let start = self.text.find(old).unwrap_or_else(|| panic!("`{old}` is in the document"));
        let range = json!({ "start": self.position(start), "end": self.position(start + old.len()) });
        self.text.replace_range(start..start + old.len(), new);
        self.version += 1;
        let params = json!({
            "textDocument": { "uri": URI, "version": self.version },
            "contentChanges": [{ "range": range, "text": new }],
        });
        self.notify("textDocument/didChange", params);
        self.published(self.version)
    }

    /// Replaces the whole text.
    fn replace(&mut self, text: &str) -> Vec<Value> {
        text.clone_into(&mut self.text);
        self.version += 1;
        let params =
            json!({ "textDocument": { "uri": URI, "version": self.version }, "contentChanges": [{ "text": text }] });
        self.notify("textDocument/didChange", params);
        self.published(self.version)
    }

    /// The LSP position of a byte offset, counted independently of the server.
    fn position(&self, offset: usize) -> Value {
        let before = &self.text[..offset];
        let line = before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |index| index + 1);
        let prefix = &before[line_start..];
        let character = if self.utf8 { prefix.len() } else { prefix.encode_utf16().count() };
        json!({ "line": line, "character": character })
    }

    /// The byte offset of an LSP position.
    fn offset(&self, position: &Value) -> usize {
        let line = usize::try_from(position["line"].as_u64().expect("a line")).expect("a small line");
        let character = usize::try_from(position["character"].as_u64().expect("a column")).expect("a small column");
        let line_start = self.text.split_inclusive('\n').take(line).map(str::len).sum::<usize>();
        let mut counted = 0;
        for (index, c) in self.text[line_start..].char_indices() {
            if counted >= character || c == '\n' {
                return line_start + index;
            }
            counted += if self.utf8 { c.len_utf8() } else { c.len_utf16() };
        }
        self.text.len()
    }

    /// The offset of `marker`'s `n`th occurrence (0-based), plus `shift` bytes.
    fn find(&self, marker: &str, n: usize, shift: usize) -> usize {
        self.text.match_indices(marker).nth(n).unwrap_or_else(|| panic!("`{marker}` does not occur {} times", n + 1)).0
            + shift
    }

    /// `textDocument/...` parameters at the `n`th occurrence of `marker`.
    fn at(&self, marker: &str, n: usize) -> Value {
        json!({ "textDocument": { "uri": URI }, "position": self.position(self.find(marker, n, 0)) })
    }

    /// `line:column` (1-based) and the text a range covers.
    fn show(&self, range: &Value) -> String {
        let (start, end) = (self.offset(&range["start"]), self.offset(&range["end"]));
        let at = |position: &Value| {
            format!(
                "{}:{}",
                position["line"].as_u64().unwrap_or(0) + 1,
                position["character"].as_u64().unwrap_or(0) + 1
            )
        };
        let excerpt = self.text[start..end].lines().next().unwrap_or("");
        let more = if self.text[start..end].contains('\n') { " …" } else { "" };
        format!("{}-{} `{excerpt}`{more}", at(&range["start"]), at(&range["end"]))
    }

    /// Applies text edits to the document's text and returns the result.
    fn apply(&self, edits: &[Value]) -> String {
        let mut spans: Vec<(usize, usize, &str)> = edits
            .iter()
            .map(|edit| {
                (
                    self.offset(&edit["range"]["start"]),
                    self.offset(&edit["range"]["end"]),
                    edit["newText"].as_str().unwrap_or(""),
                )
            })
            .collect();
        spans.sort_by_key(|(start, end, _)| (*start, *end));
        let mut text = self.text.clone();
        for (start, end, new) in spans.into_iter().rev() {
            text.replace_range(start..end, new);
        }
        text
    }

    /// Shuts down and exits; returns the exit code.
    fn stop(mut self) -> Option<i32> {
        assert_eq!(self.request("shutdown", Value::Null), Ok(Value::Null));
        self.notify("exit", Value::Null);
        self.child.wait().expect("the server exits").code()
    }

    // Readable renderings of each kind of answer.

    fn show_diagnostics(&self, diagnostics: &[Value]) -> String {
        let mut out = String::new();
        for diagnostic in diagnostics {
            let severity = match diagnostic["severity"].as_u64() {
                Some(1) => "error",
                Some(2) => "warning",
                Some(3) => "information",
                _ => "hint",
            };
            let _ = writeln!(
                out,
                "{} {severity} [{} {}]",
                self.show(&diagnostic["range"]),
                diagnostic["source"].as_str().unwrap_or(""),
                diagnostic["code"].as_str().unwrap_or("")
            );
            for line in diagnostic["message"].as_str().unwrap_or("").lines() {
                let _ = writeln!(out, "    {line}");
            }
            for related in diagnostic["relatedInformation"].as_array().into_iter().flatten() {
                let _ = writeln!(
                    out,
                    "    related {}: {}",
                    self.show(&related["location"]["range"]),
                    related["message"].as_str().unwrap_or("")
                );
            }
        }
        out
    }

    fn show_hover(&self, hover: &Value) -> String {
        if hover.is_null() {
            return "no hover\n".to_owned();
        }
        format!("{}\n{}\n", self.show(&hover["range"]), hover["contents"]["value"].as_str().unwrap_or(""))
    }

    fn show_completion(&self, items: &Value) -> String {
        let items = items.as_array().cloned().unwrap_or_default();
        let Some(first) = items.first() else { return "nothing to complete\n".to_owned() };
        let mut out = format!(
            "replaces {} with e.g. {:?}\n",
            self.show(&first["textEdit"]["range"]),
            first["textEdit"]["newText"].as_str().unwrap_or("")
        );
        for item in &items {
            let detail = item["detail"].as_str().unwrap_or("");
            let documentation = item["documentation"].as_str().map_or_else(String::new, |doc| format!(": {doc}"));
            let _ =
                writeln!(out, "  {} ({}) {detail}{documentation}", item["label"].as_str().unwrap_or(""), item["kind"]);
        }
        out
    }

    fn show_locations(&self, locations: &Value) -> String {
        let locations = match locations {
            Value::Array(items) => items.clone(),
            Value::Null => return "nothing\n".to_owned(),
            single => vec![single.clone()],
        };
        locations.iter().map(|location| self.show(&location["range"]) + "\n").collect()
    }

    fn show_symbols(&self, symbols: &Value, depth: usize, out: &mut String) {
        for symbol in symbols.as_array().into_iter().flatten() {
            let _ = writeln!(
                out,
                "{}{} (kind {}) {} selects {}",
                "  ".repeat(depth),
                symbol["name"].as_str().unwrap_or(""),
                symbol["kind"],
                symbol["detail"].as_str().map_or(String::new(), |detail| format!("{detail:?}")),
                self.show(&symbol["selectionRange"]),
            );
            self.show_symbols(&symbol["children"], depth + 1, out);
        }
    }

    fn show_actions(&self, actions: &Value) -> String {
        let mut out = String::new();
        for action in actions.as_array().into_iter().flatten() {
            let _ =
                writeln!(out, "{} ({})", action["title"].as_str().unwrap_or(""), action["kind"].as_str().unwrap_or(""));
            for edit in action["edit"]["changes"][URI].as_array().into_iter().flatten() {
                let _ =
                    writeln!(out, "    {} -> {:?}", self.show(&edit["range"]), edit["newText"].as_str().unwrap_or(""));
            }
        }
        out
    }
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// `text` with the columns of its `line:column-line:column` ranges left out.
fn without_columns(text: &str) -> String {
    text.lines().map(|line| without_columns_in_line(line) + "\n").collect()
}

fn without_columns_in_line(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            let is_range = word.split(['-', ':']).count() == 4
                && word.split(['-', ':']).all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()));
            if is_range {
                word.split('-').map(|end| end.split(':').next().unwrap_or("")).collect::<Vec<_>>().join("-")
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The lines of `after` that differ from `before` (same number of lines or not).
fn changed_lines(before: &str, after: &str) -> String {
    let old: BTreeSet<&str> = before.lines().collect();
    after.lines().filter(|line| !old.contains(line)).map(|line| line.to_owned() + "\n").collect()
}

#[test]
fn a_whole_session_with_the_real_binary() {
    let (mut client, initialized) = Client::start(&["utf-16"]);
    assert_eq!(initialized["serverInfo"]["name"], "medtm");
    insta::assert_json_snapshot!("lsp_capabilities", initialized["capabilities"]);

    let diagnostics = client.did_open(&read("models/insulin-pump.mtm"));
    insta::assert_snapshot!("lsp_open_insulin_pump", client.show_diagnostics(&diagnostics));
    let findings = diagnostics.iter().filter(|d| d["source"] == "medtm").count();
    assert!(findings > 5, "findings are published with the diagnostics");

    // A typo: the checker's error is reported, and the findings on the declarations it leaves
    // untouched keep showing, marked as coming from a model with errors; none is on the flow
    // with the typo.
    let broken = client.change("carries: [bolus_command, basal_profile]", "carries: [bolus_comand, basal_profile]");
    insta::assert_snapshot!("lsp_change_with_typo", client.show_diagnostics(&broken));
    let typo = broken.iter().find(|d| d["code"] == "E0303").expect("the typo is reported");
    let kept: Vec<&Value> = broken.iter().filter(|d| d["source"] == "medtm").collect();
    assert!(kept.len() > 5 && kept.len() < findings, "{} of {findings} findings kept", kept.len());
    assert!(kept.iter().all(|d| d["message"].as_str().is_some_and(|m| m.contains("the model has errors"))));
    let typo_line = typo["range"]["start"]["line"].as_u64();
    assert!(kept.iter().all(|d| d["range"]["start"]["line"].as_u64() != typo_line));
    let fixes = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI }, "range": typo["range"], "context": { "diagnostics": [typo] } }),
    );
    let fixes = fixes.expect("code actions");
    assert_eq!(fixes[0]["title"], "Change to `bolus_command`");
    let fixed = client.apply(fixes[0]["edit"]["changes"][URI].as_array().expect("edits"));
    assert_eq!(client.replace(&fixed).len(), diagnostics.len(), "the quick fix brings the findings back");

    let requests: [(&str, Value); 9] = [
        ("textDocument/hover", client.at("pump \"Patch pump\"", 0)),
        ("textDocument/completion", client.at("ble\n  carries: [bolus_command", 0)),
        ("textDocument/definition", client.at("pump \"Bolus request\"", 0)),
        (
            "textDocument/references",
            json!({ "textDocument": { "uri": URI }, "position": client.at("app -> pump", 0)["position"], "context": { "includeDeclaration": true } }),
        ),
        ("textDocument/documentHighlight", client.at("cgm -> pump", 0)),
        ("textDocument/documentSymbol", json!({ "textDocument": { "uri": URI } })),
        (
            "textDocument/formatting",
            json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 2, "insertSpaces": true } }),
        ),
        ("textDocument/prepareRename", client.at("records \"Patient database\"", 0)),
        (
            "textDocument/rename",
            json!({ "textDocument": { "uri": URI }, "position": client.at("records \"Patient database\"", 0)["position"], "newName": "patient_db" }),
        ),
    ];
    for (method, params) in requests {
        let answer = client.request(method, params);
        let answer = answer.unwrap_or_else(|error| panic!("{method} failed: {error}"));
        // The model is formatted already: formatting answers with no edits.
        let expected_empty = method == "textDocument/formatting";
        assert_eq!(answer == json!([]), expected_empty, "{method} answers {answer}");
        assert!(!answer.is_null(), "{method} answers something");
    }
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn negotiates_utf8_positions_when_offered() {
    let (utf8, result) = Client::start(&["utf-8", "utf-16"]);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(utf8.stop(), Some(0));
    let (utf16, result) = Client::start(&[]);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(utf16.stop(), Some(0));
}

/// Ranges after non-ASCII labels are right in both encodings: each rendering shows the text the
/// server's range covers, counted by the test independently.
#[test]
fn positions_after_non_ascii_labels_in_both_encodings() {
    let text = read("tests/fixtures/lsp/unicode.mtm");
    let mut outputs = Vec::new();
    for encodings in [&["utf-16"][..], &["utf-8"][..]] {
        let (mut client, _) = Client::start(encodings);
        let diagnostics = client.did_open(&text);
        let mut out = client.show_diagnostics(&diagnostics);
        let hover = client.request("textDocument/hover", client.at("rtos], update", 0)).expect("hover");
        out += &client.show_hover(&hover);
        let references = client.request(
            "textDocument/references",
            json!({ "textDocument": { "uri": URI }, "position": client.at("rtos", 0)["position"], "context": { "includeDeclaration": true } }),
        );
        out += &client.show_locations(&references.expect("references"));
        let renamed = client.request(
            "textDocument/rename",
            json!({ "textDocument": { "uri": URI }, "position": client.at("dose]", 0)["position"], "newName": "bolus_dose" }),
        );
        let edits = renamed.expect("rename")["changes"][URI].as_array().cloned().unwrap_or_default();
        out += &changed_lines(&text, &client.apply(&edits));
        assert_eq!(client.stop(), Some(0));
        outputs.push(out);
    }
    assert_eq!(
        without_columns(&outputs[0]),
        without_columns(&outputs[1]),
        "the same text is found whichever encoding counts the columns"
    );
    insta::assert_snapshot!("lsp_unicode_positions_utf16", outputs[0]);
    insta::assert_snapshot!("lsp_unicode_positions_utf8", outputs[1]);
}

/// Semantic tokens, decoded from the protocol's relative encoding: each token's type (from the
/// legend the server announced) and the text it covers, the same in both encodings.
#[test]
fn semantic_tokens_colour_by_meaning_in_both_encodings() {
    let text = read("tests/fixtures/lsp/unicode.mtm");
    let mut outputs = Vec::new();
    for encodings in [&["utf-16"][..], &["utf-8"][..]] {
        let (mut client, initialized) = Client::start(encodings);
        let legend = &initialized["capabilities"]["semanticTokensProvider"]["legend"];
        let types: Vec<&str> =
            legend["tokenTypes"].as_array().expect("types").iter().filter_map(Value::as_str).collect();
        client.did_open(&text);
        let tokens = client
            .request("textDocument/semanticTokens/full", json!({ "textDocument": { "uri": URI } }))
            .expect("semantic tokens");
        let data: Vec<u64> = tokens["data"].as_array().expect("data").iter().filter_map(Value::as_u64).collect();
        assert_eq!(data.len() % 5, 0);
        let (mut line, mut start) = (0, 0);
        let mut out = String::new();
        for token in data.chunks(5) {
            if token[0] > 0 {
                start = 0;
            }
            line += token[0];
            start += token[1];
            let range = json!({ "start": { "line": line, "character": start }, "end": { "line": line, "character": start + token[2] } });
            let modifiers = if token[4] & 1 == 1 { " declaration" } else { "" };
            let kind = types[usize::try_from(token[3]).expect("a type index")];
            let _ = writeln!(out, "{} {kind}{modifiers}", client.show(&range));
        }
        assert_eq!(client.stop(), Some(0));
        outputs.push(out);
    }
    assert_eq!(without_columns(&outputs[0]), without_columns(&outputs[1]), "the same tokens in either encoding");
    let out = &outputs[0];
    for expected in [
        "`pump` class declaration",
        "`dose` variable\n",
        "`rtos` type\n",
        "`ble_lesc` enumMember",
        "`->` operator",
        "`\"ポンプ 🩸\"` string",
        "`anti_rollback` property",
    ] {
        assert!(out.contains(expected), "{expected} in\n{out}");
    }
    let excerpts = || out.lines().filter_map(|line| line.split_once(' ').map(|(_, rest)| rest));
    assert!(
        !excerpts().any(|rest| rest.starts_with("`macc`")),
        "a word no vocabulary has is left to its diagnostic:\n{out}"
    );
    insta::assert_snapshot!("lsp_semantic_tokens", out);
}

#[test]
fn hover_explains_the_language_and_the_model() {
    let (mut client, _) = Client::open(&read("models/insulin-pump.mtm"));
    let mut out = String::new();
    for (what, marker, n) in [
        ("keyword", "component pump", 0),
        ("attribute", "medium: ble", 0),
        ("vocabulary word", "shared_secret", 0),
        ("flag", "anti_rollback", 0),
        ("reference with findings", "pump \"Bolus request\"", 0),
        ("unnamed flow", "-> pump \"Glucose telemetry\"", 0),
        ("asset", "glucose \"CGM glucose value\"", 0),
        ("rule in accept", "replayable-command on bolus", 0),
        ("rule in mitigates", "unauthenticated-command]", 0),
        ("a label", "Patch pump", 0),
    ] {
        let hover = client.request("textDocument/hover", client.at(marker, n)).expect("hover");
        let _ = writeln!(out, "## {what}\n{}", client.show_hover(&hover));
    }
    insta::assert_snapshot!("lsp_hover", out);
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn completion_offers_what_fits_where_the_cursor_is() {
    let model = read("models/insulin-pump.mtm");
    let (mut client, _) = Client::open(&model);
    let mut out = String::new();
    for (what, before, after) in [
        ("a top-level declaration", "  authn: implicit\n}\n", "c"),
        ("an attribute of a component", "    count: 40000\n", "    "),
        ("a medium", "  carries: [bolus_command, basal_profile]", "\n  medium: "),
        ("assets in carries", "carries: [patient_record, ", ""),
        ("a flow's ends", "  authn: implicit\n}\n", "flow "),
        ("a rule in accept", "review_by: 2027-03-31\n}\n", "accept "),
        ("a subject after on", "review_by: 2027-03-31\n}\n", "accept open-debug-port on "),
        ("a party after to", "review_by: 2027-03-31\n}\n", "transfer open-debug-port on pump to "),
        ("a key of update", "update: { signed: true, ", ""),
        ("a rule being typed in mitigates", "mitigates: [unauthenticated-command]", ""),
        ("nothing inside a comment", "// ---- What we protect", ""),
    ] {
        // Insert `after` right after `before` (or at its end) and complete at the end of it.
        let insert_at = model.find(before).unwrap_or_else(|| panic!("`{before}` is in the model")) + before.len();
        let mut text = model.clone();
        text.insert_str(insert_at, after);
        let cursor = match what {
            "a key of update" => text.find("update: { signed: true, ").map(|i| i + "update: { signed: true, ".len()),
            "a rule being typed in mitigates" => text.find("unauthenticated-").map(|i| i + "unauthenticated-".len()),
            "nothing inside a comment" => text.find("What we").map(|i| i + "What we".len()),
            _ => Some(insert_at + after.len()),
        };
        let cursor = cursor.expect("a cursor");
        client.replace(&text);
        let params = json!({ "textDocument": { "uri": URI }, "position": client.position(cursor) });
        let items = client.request("textDocument/completion", params).expect("completion");
        let _ = writeln!(out, "## {what}\n{}", client.show_completion(&items));
    }
    insta::assert_snapshot!("lsp_completion", out);
    assert_eq!(client.stop(), Some(0));
}

/// The editor features' shared table (`medtm-ide`'s, which the playground's API tests run too)
/// through the real server, in UTF-16 line and column positions.
#[test]
fn every_case_of_the_shared_table() {
    let (mut client, _) = Client::open("");
    for case in cases::CASES {
        let marked = case.marked();
        client.replace(&marked.text);
        let params = json!({ "textDocument": { "uri": URI }, "position": client.position(marked.cursor) });
        let name = case.name;
        match case.expect {
            cases::Expect::Completes { offers, not } => {
                let items = client.request("textDocument/completion", params).expect("completion");
                let labels: Vec<&str> =
                    items.as_array().expect("items").iter().filter_map(|item| item["label"].as_str()).collect();
                for label in offers {
                    assert!(labels.contains(label), "{name}: `{label}` is not offered in {labels:?}");
                }
                for label in not {
                    assert!(!labels.contains(label), "{name}: `{label}` is offered");
                }
            }
            cases::Expect::CompletesNothing => {
                let items = client.request("textDocument/completion", params).expect("completion");
                assert_eq!(items, json!([]), "{name}");
            }
            cases::Expect::Hovers(fragments) => {
                let hover = client.request("textDocument/hover", params).expect("hover");
                let shown = hover["contents"]["value"].as_str().unwrap_or_else(|| panic!("{name}: no hover"));
                let unmarked = shown.replace("**", "").replace('`', "");
                for fragment in fragments {
                    assert!(unmarked.contains(fragment), "{name}: `{fragment}` is not in {shown}");
                }
            }
            cases::Expect::HoversNothing => {
                assert_eq!(client.request("textDocument/hover", params).expect("hover"), Value::Null, "{name}");
            }
            cases::Expect::Defines { id } => {
                let (start, end) = marked.target.expect("a marked definition");
                let definition = client.request("textDocument/definition", params).expect("definition");
                let expected = json!({ "start": client.position(start), "end": client.position(end) });
                assert_eq!(definition["range"], expected, "{name}: where `{id}` is declared");
            }
        }
    }
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn definitions_references_and_highlights_of_every_kind_of_id() {
    let (mut client, _) = Client::open(&read("models/insulin-pump.mtm"));
    let mut out = String::new();
    for (what, marker) in [
        ("an element in a flow", "pump \"Bolus request\""),
        ("an asset in carries", "glucose]\n  authn: per_device_key\n  integrity: mac\n  replay"),
        ("software in a component", "mbedtls]"),
        ("a flow in covers", "bolus]"),
        ("a flow in an accept", "bolus {"),
        ("a store in a flow", "records \"Store readings\""),
        ("a declaration itself", "app \"Pump app\""),
    ] {
        let definition = client.request("textDocument/definition", client.at(marker, 0)).expect("definition");
        let params = json!({
            "textDocument": { "uri": URI },
            "position": client.at(marker, 0)["position"],
            "context": { "includeDeclaration": true },
        });
        let references = client.request("textDocument/references", params).expect("references");
        let _ = write!(
            out,
            "## {what}: `{marker}`\ndefinition {}references:\n{}",
            client.show_locations(&definition),
            client.show_locations(&references)
        );
        let highlights = client.request("textDocument/documentHighlight", client.at(marker, 0)).expect("highlights");
        let references = references.as_array().map_or(0, Vec::len);
        assert_eq!(highlights.as_array().map_or(0, Vec::len), references, "a highlight for each reference");
        out.push('\n');
    }
    let nothing = client.request("textDocument/definition", client.at("kind: wearable", 0)).expect("definition");
    assert_eq!(nothing, Value::Null, "a keyword has no definition");
    insta::assert_snapshot!("lsp_navigation", out);
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn document_symbols_outline_boundaries_and_their_elements() {
    let (mut client, _) = Client::open(&read("models/insulin-pump.mtm"));
    let symbols =
        client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": URI } })).expect("symbols");
    let mut out = String::new();
    client.show_symbols(&symbols, 0, &mut out);
    insta::assert_snapshot!("lsp_symbols", out);
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn formatting_uses_the_formatter_and_refuses_broken_text() {
    let (mut client, _) = Client::open(&read("tests/fixtures/lsp/unformatted.mtm"));
    let params = json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 2, "insertSpaces": true } });
    let edits = client.request("textDocument/formatting", params.clone()).expect("formatting");
    let formatted = client.apply(edits.as_array().expect("edits"));
    assert_eq!(
        Ok(formatted.clone()),
        medtm_syntax::format::format(&client.text).map_err(|_| ()),
        "the same as `medtm fmt`"
    );
    insta::assert_snapshot!("lsp_formatting", formatted);
    client.replace(&formatted);
    assert_eq!(
        client.request("textDocument/formatting", params.clone()),
        Ok(json!([])),
        "formatted text needs no edits"
    );
    client.replace("asset a { kind: phi ");
    let refused = client.request("textDocument/formatting", params).expect_err("broken text is not formatted");
    insta::assert_json_snapshot!("lsp_formatting_refused", refused);
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn rename_changes_every_occurrence_and_rejects_bad_names() {
    let model = read("models/insulin-pump.mtm");
    let (mut client, _) = Client::open(&model);
    let mut out = String::new();
    for (what, marker, new_name) in [
        ("an element, with the unnamed flows derived from it", "cgm \"CGM transmitter\"", "sensor"),
        ("a flow from a reference to it", "bolus]", "bolus_request"),
        ("an unnamed flow gets its name written", "-> records", "store_readings"),
    ] {
        let prepared = client.request("textDocument/prepareRename", client.at(marker, 0)).expect("prepare");
        let params = json!({ "textDocument": { "uri": URI }, "position": client.at(marker, 0)["position"], "newName": new_name });
        let edit = client.request("textDocument/rename", params).expect("rename");
        let renamed = client.apply(edit["changes"][URI].as_array().expect("edits"));
        let checked = medtm_engine::check_text(&renamed, medtm_model::CheckOptions::default());
        assert!(!checked.has_errors(), "{what}: {:?}", checked.diagnostics);
        let _ =
            writeln!(out, "## {what}: placeholder {}\n{}", prepared["placeholder"], changed_lines(&model, &renamed));
    }
    for (what, marker, new_name) in [
        ("not snake_case", "pump \"Patch pump\"", "Pump2"),
        ("already declared", "pump \"Patch pump\"", "app"),
        ("a keyword is not an id", "component pump", "x"),
    ] {
        let params = json!({ "textDocument": { "uri": URI }, "position": client.at(marker, 0)["position"], "newName": new_name });
        let refused = client.request("textDocument/rename", params).expect_err("refused");
        let _ =
            write!(out, "## refused, {what}\n{}: {}\n\n", refused["code"], refused["message"].as_str().unwrap_or(""));
    }
    insta::assert_snapshot!("lsp_rename", out);
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn quick_fixes_apply_the_did_you_mean_suggestions() {
    let (mut client, diagnostics) = Client::open(&read("tests/fixtures/lsp/typos.mtm"));
    let mut out = client.show_diagnostics(&diagnostics);
    let whole = json!({ "start": { "line": 0, "character": 0 }, "end": client.position(client.text.len()) });
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": URI }, "range": whole, "context": { "diagnostics": [] } }),
        )
        .expect("code actions");
    out += "\n";
    out += &client.show_actions(&actions);
    insta::assert_snapshot!("lsp_quick_fixes", out);
    // The fixes do not overlap: applied together, they leave a model without errors.
    let edits: Vec<Value> = actions
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|action| action["edit"]["changes"][URI].as_array().cloned().unwrap_or_default())
        .collect();
    let fixed = client.apply(&edits);
    let after = client.replace(&fixed);
    assert!(after.iter().all(|d| d["severity"] != 1), "every error is fixed: {after:?}");
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn a_quick_fix_points_a_decision_at_the_rule_that_fires_there() {
    // `accept unauthenticated-command on nurse_entry`, where `single-factor-therapy-access` is
    // what fires: the warning names it, and the quick fix makes the decision bind.
    let (mut client, diagnostics) = Client::open(&read("tests/fixtures/binding/e-rule-moved.mtm"));
    let stale: Vec<&Value> = diagnostics.iter().filter(|d| d["code"] == "W0406").collect();
    assert_eq!(stale.len(), 1, "{diagnostics:?}");
    let message = stale[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("`single-factor-therapy-access` does"), "{message}");
    let whole = json!({ "start": { "line": 0, "character": 0 }, "end": client.position(client.text.len()) });
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": URI }, "range": whole, "context": { "diagnostics": [] } }),
        )
        .expect("code actions");
    let edits: Vec<Value> = actions
        .as_array()
        .into_iter()
        .flatten()
        .filter(|action| action["title"] == "Change to `single-factor-therapy-access`")
        .flat_map(|action| action["edit"]["changes"][URI].as_array().cloned().unwrap_or_default())
        .collect();
    assert_eq!(edits.len(), 1, "{actions:?}");
    let fixed = client.apply(&edits);
    assert!(fixed.contains("accept single-factor-therapy-access on nurse_entry"), "{fixed}");
    let after = client.replace(&fixed);
    assert!(after.iter().all(|d| d["code"] != "W0406"), "the decision binds after the fix: {after:?}");
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn bad_requests_get_errors_and_the_server_keeps_going() {
    let (mut client, _) = Client::open(&read("models/insulin-pump.mtm"));
    let mut out = String::new();
    for (what, method, params) in [
        ("unknown method", "textDocument/semanticTokens/full", json!({ "textDocument": { "uri": URI } })),
        ("invalid parameters", "textDocument/hover", json!({ "textDocument": { "uri": URI }, "position": "here" })),
        (
            "a document that is not open",
            "textDocument/hover",
            json!({ "textDocument": { "uri": "file:///nope.mtm" }, "position": { "line": 0, "character": 0 } }),
        ),
        (
            "a position past the end",
            "textDocument/hover",
            json!({ "textDocument": { "uri": URI }, "position": { "line": 9999, "character": 9999 } }),
        ),
        (
            "completion past the end",
            "textDocument/completion",
            json!({ "textDocument": { "uri": URI }, "position": { "line": 9999, "character": 0 } }),
        ),
        (
            "rename on a comment",
            "textDocument/rename",
            json!({ "textDocument": { "uri": URI }, "position": { "line": 0, "character": 5 }, "newName": "x" }),
        ),
    ] {
        let answer = match client.request(method, params) {
            Ok(Value::Array(items)) => format!("{} items", items.len()),
            Ok(value) => format!("answer {value}"),
            Err(error) => format!("error {error}"),
        };
        let _ = writeln!(out, "{what}: {answer}");
    }
    // Garbage notifications and an edit past the end of the text are survived.
    client.notify("textDocument/didChange", json!({ "textDocument": { "uri": URI }, "contentChanges": "garbage" }));
    client.notify("$/unknownNotification", json!(null));
    let version = client.version + 1;
    client.version = version;
    let params = json!({
        "textDocument": { "uri": URI, "version": version },
        "contentChanges": [{ "range": { "start": { "line": 9999, "character": 0 }, "end": { "line": 9999, "character": 4 } }, "text": "\n" }],
    });
    client.notify("textDocument/didChange", params);
    client.text.push('\n');
    assert!(!client.published(version).is_empty());
    let hover = client.request("textDocument/hover", client.at("component pump", 0)).expect("still answering");
    assert!(hover["contents"]["value"].as_str().unwrap_or("").contains("component (keyword)"));
    insta::assert_snapshot!("lsp_bad_requests", out);
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn a_burst_of_changes_is_analysed_once_for_the_latest_version() {
    let model = medtm_gen::hospital(200, 1);
    let (mut client, first) = Client::open(&model);
    let marker = "\"Generated hospital\"";
    let start = client.find(marker, 0, 0);
    let range = json!({ "start": client.position(start), "end": client.position(start + marker.len()) });
    // Fifty edits written at once, as a fast typist with no debounce would send them (each
    // keeps the label's length, so the same range fits every version).
    let mut burst = Vec::new();
    for version in 2..=51 {
        let params = json!({
            "textDocument": { "uri": URI, "version": version },
            "contentChanges": [{ "range": range, "text": format!("\"Generated hosp. {version:02}\"") }],
        });
        Message::from(Notification::new("textDocument/didChange".to_owned(), params))
            .write(&mut burst)
            .expect("in memory");
    }
    std::io::Write::write_all(&mut client.stdin, &burst).expect("the server reads");
    std::io::Write::flush(&mut client.stdin).expect("the server reads");
    let last = client.published(51);
    assert_eq!(last.len(), first.len(), "the latest version is published");
    let published: Vec<&Value> = client
        .notifications
        .iter()
        .filter(|n| n.method == "textDocument/publishDiagnostics")
        .map(|n| &n.params["version"])
        .collect();
    assert!(published.len() < 25, "stale versions are skipped, not queued: {} publications", published.len() + 1);
    let system =
        json!({ "textDocument": { "uri": URI }, "position": client.position(client.find("system hospital", 0, 7)) });
    let hover = client.request("textDocument/hover", system).expect("hover");
    assert!(hover["contents"]["value"].as_str().unwrap_or("").contains("Generated hosp. 51"), "{hover}");
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn exit_without_shutdown_ends_with_code_one() {
    let (mut client, _) = Client::start(&[]);
    client.notify("exit", Value::Null);
    assert_eq!(client.child.wait().expect("the server exits").code(), Some(1));
}

/// The grammar's word lists are the language's: a word added to the schema, a vocabulary or
/// the rule catalogue without the grammar fails here, with the list to paste.
#[test]
fn textmate_grammar_word_lists_match_the_language() {
    use medtm_model::schema;
    use medtm_syntax::ast::Keyword;

    let grammar: Value = serde_json::from_str(&read("grammar/medtm.tmLanguage.json")).expect("the grammar is JSON");
    assert_eq!(grammar["scopeName"], "source.mtm");
    let repository = &grammar["repository"];
    let words_of = |rule: &str| -> BTreeSet<String> {
        let pattern = repository[rule]["match"].as_str().unwrap_or_else(|| panic!("repository.{rule}.match"));
        word_groups(pattern).into_iter().max_by_key(BTreeSet::len).unwrap_or_default()
    };
    let expect = |rule: &str, expected: BTreeSet<String>| {
        let found = words_of(rule);
        let list: Vec<&str> = expected.iter().map(String::as_str).collect();
        assert_eq!(found, expected, "repository.{rule} should list ({})", list.join("|"));
    };
    let set = |words: Vec<&str>| words.into_iter().map(str::to_owned).collect::<BTreeSet<_>>();

    expect("keywords", set(Keyword::ALL.iter().map(|keyword| keyword.as_str()).collect()));
    let mut headers = words_of("declaration-header");
    headers.insert("flow".to_owned());
    headers.extend(words_of("decision-header"));
    assert_eq!(headers, words_of("keywords"), "every keyword starts one of the header patterns");
    expect(
        "attribute",
        set(Keyword::ALL
            .iter()
            .flat_map(|keyword| schema::attributes(*keyword).iter().map(|spec| spec.name))
            // The keys of a `<->` flow's `returns` map read as attributes too.
            .chain(schema::RESPONSE.iter().map(|spec| spec.name))
            .collect()),
    );
    expect(
        "vocabulary",
        set(medtm_model::vocab::ALL_VOCABULARIES
            .iter()
            .flat_map(|vocabulary| vocabulary.words.iter().map(|info| info.word))
            .collect()),
    );
    let rules = &repository["rule"]["patterns"][0]["match"];
    let rules =
        word_groups(rules.as_str().expect("rule names")).into_iter().max_by_key(BTreeSet::len).unwrap_or_default();
    assert_eq!(
        rules,
        set(medtm_engine::rules::RULES.iter().map(|rule| rule.name).collect()),
        "repository.rule lists every rule"
    );
    // Every pattern the top level includes exists.
    for include in grammar["patterns"].as_array().expect("patterns") {
        let name = include["include"].as_str().expect("an include").trim_start_matches('#');
        assert!(repository.get(name).is_some(), "#{name} is defined");
    }
}

/// The groups of a regular expression that are plain alternations of words: `(a|b_c|d-e)`.
fn word_groups(pattern: &str) -> Vec<BTreeSet<String>> {
    let mut groups = Vec::new();
    for (open, _) in pattern.match_indices('(') {
        let rest = &pattern[open + 1..];
        let Some(close) = rest.find(')') else { continue };
        let body = &rest[..close];
        if body.contains('|') && body.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '|')) {
            groups.push(body.split('|').map(str::to_owned).collect());
        }
    }
    groups
}
