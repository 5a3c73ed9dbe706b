//! How long after a change the server publishes diagnostics and findings (README's latency
//! budgets: under 16 ms on the example models, under 50 ms on a generated 1,000-element model):
//! `cargo bench -p medtm-lsp`. The server runs in-process over in-memory channels; each
//! iteration sends one `didChange` (a one-character edit in the file's doc comment, as an editor
//! sends while typing) and waits for the `publishDiagnostics` of that version, which carries
//! every diagnostic and every finding.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

// As in the `medtm` binary, which is what editors run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const URI: &str = "file:///bench/hospital.mtm";

/// A generated hospital model of about 1,000 elements (about 10,000 lines).
fn generated() -> String {
    let text = medtm_gen::hospital(1_000, 1);
    let lines = text.lines().count();
    assert!((9_000..11_500).contains(&lines), "the benchmark model has {lines} lines");
    text
}

/// The example models, by file stem.
fn examples() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let mut found: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("the models folder")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "mtm"))
        .map(|path| {
            let name = path.file_stem().expect("a file name").to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).expect("a model"))
        })
        .collect();
    found.sort();
    found
}

struct Client {
    connection: Connection,
    version: i32,
}

impl Client {
    fn start(text: &str) -> (Client, std::thread::JoinHandle<()>) {
        let (server, connection) = Connection::memory();
        let options = medtm_lsp::Options { today: || jiff::civil::date(2026, 11, 28) };
        let thread = std::thread::spawn(move || {
            medtm_lsp::serve(&server, options).expect("the server runs");
        });
        let client = Client { connection, version: 1 };
        client.send(Request::new(RequestId::from(1), "initialize".to_owned(), json!({ "capabilities": {} })));
        client.receive(|message| matches!(message, Message::Response(_)));
        client.notify("initialized", json!({}));
        client.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": URI, "languageId": "medtm", "version": 1, "text": text } }),
        );
        client.published(1);
        (client, thread)
    }

    fn send(&self, message: impl Into<Message>) {
        self.connection.sender.send(message.into()).expect("the server is running");
    }

    fn notify(&self, method: &str, params: Value) {
        self.send(Notification::new(method.to_owned(), params));
    }

    fn receive(&self, wanted: impl Fn(&Message) -> bool) -> Message {
        loop {
            let message = self.connection.receiver.recv_timeout(Duration::from_secs(60)).expect("the server answers");
            if wanted(&message) {
                return message;
            }
        }
    }

    /// Waits for the diagnostics of `version`.
    fn published(&self, version: i32) -> Message {
        self.receive(|message| {
            matches!(message, Message::Notification(n)
                if n.method == "textDocument/publishDiagnostics" && n.params["version"] == version)
        })
    }

    /// Changes the first letter of the file's doc comment and waits for the new diagnostics.
    fn change(&mut self) -> Message {
        self.version += 1;
        let letter = if self.version % 2 == 0 { "B" } else { "A" };
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": URI, "version": self.version },
                "contentChanges": [{
                    "range": { "start": { "line": 0, "character": 4 }, "end": { "line": 0, "character": 5 } },
                    "text": letter,
                }],
            }),
        );
        self.published(self.version)
    }

    fn stop(self, thread: std::thread::JoinHandle<()>) {
        self.send(Request::new(RequestId::from(2), "shutdown".to_owned(), Value::Null));
        self.receive(|message| matches!(message, Message::Response(_)));
        self.notify("exit", Value::Null);
        thread.join().expect("the server stops");
    }
}

fn publish_after_change(c: &mut Criterion) {
    let mut group = c.benchmark_group("lsp_edit_to_diagnostics");
    group.sample_size(20).measurement_time(Duration::from_secs(5));
    let mut models = examples();
    models.push(("generated_1000_elements".to_owned(), generated()));
    for (name, text) in models {
        assert!(text.starts_with("/// "), "{name}: the edit goes in the doc comment on the first line");
        let (mut client, thread) = Client::start(&text);
        let Message::Notification(first) = client.change() else { unreachable!() };
        let published = first.params["diagnostics"].as_array().map_or(0, Vec::len);
        assert!(published > 0, "{name}: its findings are published");
        // The client's freeing of the received message (thousands of diagnostics) is not the
        // server's time: it happens outside the measurement.
        group.bench_function(&name, |b| b.iter_with_large_drop(|| client.change()));
        client.stop(thread);
    }
    group.finish();
}

/// The analysis alone (what `medtm report` does before rendering), for comparison: the rest of
/// the time above is the server's own (conversion to LSP diagnostics, messaging).
fn analysis_alone(c: &mut Criterion) {
    let text = generated();
    let options = medtm_model::CheckOptions { today: Some(jiff::civil::date(2026, 11, 28)) };
    let mut group = c.benchmark_group("lsp");
    group.sample_size(20).measurement_time(Duration::from_secs(10));
    group.bench_function("analyse_text_1000_elements", |b| {
        b.iter(|| medtm_engine::analyse_text(black_box(&text), options));
    });
    group.finish();
}

criterion_group!(benches, publish_after_change, analysis_alone);
criterion_main!(benches);
