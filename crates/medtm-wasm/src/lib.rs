//! The medtm engine in the browser: the same parser, checker, rules and renderers as the
//! command line, compiled to WebAssembly and called from JavaScript through wasm-bindgen.
//!
//! Every function takes model text and returns a plain JavaScript object, `{ ok: true, ... }`
//! or `{ ok: false, error }` (see [`api`] for each one's fields). None throws: problems are
//! values, and the pure crates do not panic on any input. Should a bug panic all the same, the
//! panic hook installed at start-up prints it to the browser's console.
//!
//! Hover, completion and the findings' marks come from `medtm-ide`, the editor brain the
//! language server uses too; this crate shapes its answers as JSON with UTF-16 offsets.

pub mod api;
pub mod offsets;

use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Installs the panic hook when the module starts.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The engine's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// `{ ok, diagnostics, errors, warnings }`; `today` (`YYYY-MM-DD`) judges review dates.
#[wasm_bindgen]
#[expect(clippy::needless_pass_by_value, reason = "wasm-bindgen passes an optional string by value")]
pub fn check(text: &str, today: Option<String>) -> JsValue {
    to_js(&api::check(text, today.as_deref()))
}

/// `{ ok, diagnostics, errors, warnings, marks, declarations, system, summary }`: what a
/// keystroke needs (the risk table's rows are the marks); `summary` is `null` while the model
/// has errors. The analysis is kept for `report`, `render` and `diagram` on the same text.
#[wasm_bindgen]
pub fn analyse(text: &str, today: &str) -> JsValue {
    to_js(&api::analyse(text, today))
}

/// `{ ok, report, views, dot }`: the report (as `medtm report --format json`), the views'
/// tables and the global diagram, from the analysis `analyse` kept when the text is the same.
#[wasm_bindgen]
pub fn report(text: &str, today: &str) -> JsValue {
    to_js(&api::report(text, today))
}

/// `{ ok, content, media_type, extension }` for `format` one of text, markdown, json, html,
/// sarif, otm, csv, dot and mermaid. `drawings` (optional, for HTML) is a JSON object of view
/// name to the SVG Graphviz drew of it.
#[wasm_bindgen]
pub fn render(text: &str, format: &str, today: &str, drawings: Option<String>) -> JsValue {
    let drawings = match drawings.map(|json| serde_json::from_str(&json)).transpose() {
        Ok(drawings) => drawings.unwrap_or_default(),
        Err(error) => return to_js(&api::Answer::<()>::failed(format!("drawings: {error}"))),
    };
    to_js(&api::render(text, format, today, &drawings))
}

/// `{ ok, dot }`: one architecture view's diagram (`global`, `multi-patient`, `updatability`
/// or `use-cases`).
#[wasm_bindgen]
pub fn diagram(text: &str, view: &str, today: &str) -> JsValue {
    to_js(&api::diagram(text, view, today))
}

/// `{ ok, text }`: the model in the canonical layout.
#[wasm_bindgen]
pub fn format(text: &str) -> JsValue {
    to_js(&api::format(text))
}

/// `{ ok, text }`: what a keyword, attribute, word, rule or diagnostic code means.
#[wasm_bindgen]
pub fn explain(word: &str) -> JsValue {
    to_js(&api::explain(word))
}

/// `{ ok, from, to, options: [{ label, type, detail, info, apply? }] }` at a UTF-16 offset.
#[wasm_bindgen]
pub fn complete(text: &str, offset: usize) -> JsValue {
    to_js(&api::complete(text, offset))
}

/// `{ ok, hover: { from, to, text } | null }` at a UTF-16 offset; an id's findings are those of
/// `today` (`YYYY-MM-DD`) when given, from the analysis `analyse` kept when the text is the same.
#[wasm_bindgen]
#[expect(clippy::needless_pass_by_value, reason = "wasm-bindgen passes an optional string by value")]
pub fn hover(text: &str, offset: usize, today: Option<String>) -> JsValue {
    to_js(&api::hover(text, offset, today.as_deref()))
}

/// The answer as a plain JavaScript object. JSON is the fastest way across: one string copied
/// and parsed by the browser, rather than one call into JavaScript per field.
fn to_js<T: Serialize>(answer: &T) -> JsValue {
    let json = serde_json::to_string(answer).unwrap_or_else(|error| {
        serde_json::json!({ "ok": false, "error": format!("cannot serialise the answer: {error}") }).to_string()
    });
    js_sys::JSON::parse(&json).unwrap_or_else(|_| JsValue::from_str(&json))
}
