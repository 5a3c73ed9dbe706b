//! The engine as JavaScript sees it: each exported function, compiled to WebAssembly and run by
//! wasm-bindgen's test runner, answers with a plain object and never throws.
//!
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test -p medtm-wasm --target wasm32-unknown-unknown`

#![cfg(target_arch = "wasm32")]

use js_sys::{Array, JSON, Object, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const TODAY: &str = "2026-06-01";
const PUMP: &str = include_str!("../../../models/insulin-pump.mtm");

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |value, key| match key.parse::<u32>() {
        Ok(index) => Reflect::get_u32(&value, index).unwrap_or(JsValue::UNDEFINED),
        Err(_) => Reflect::get(&value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED),
    })
}

fn string(value: &JsValue, path: &str) -> String {
    get(value, path).as_string().unwrap_or_else(|| panic!("{path} is not a string in {}", show(value)))
}

fn number(value: &JsValue, path: &str) -> f64 {
    get(value, path).as_f64().unwrap_or_else(|| panic!("{path} is not a number in {}", show(value)))
}

fn length(value: &JsValue, path: &str) -> u32 {
    Array::from(&get(value, path)).length()
}

fn show(value: &JsValue) -> String {
    JSON::stringify(value).ok().and_then(|text| text.as_string()).unwrap_or_default().chars().take(400).collect()
}

/// A plain object (not a class instance or a string of JSON) with `ok` as given.
fn assert_answer(value: &JsValue, ok: bool) {
    assert!(value.is_object(), "not an object: {value:?}");
    let prototype = Object::get_prototype_of(value);
    assert!(Object::get_prototype_of(&prototype).is_null(), "not a plain object: {}", show(value));
    assert_eq!(get(value, "ok").as_bool(), Some(ok), "{}", show(value));
}

#[wasm_bindgen_test]
fn analyse_answers_with_ranked_marks_and_report_with_findings_and_views() {
    let answer = medtm_wasm::analyse(PUMP, TODAY);
    assert_answer(&answer, true);
    assert_eq!(number(&answer, "errors") as u32, 0);
    assert_eq!(string(&answer, "system"), "Acme Insulin Delivery System");
    let reported = medtm_wasm::report(PUMP, TODAY);
    assert_answer(&reported, true);
    let findings = length(&reported, "report.findings");
    assert!(findings > 5, "{findings} findings");
    assert_eq!(length(&answer, "marks"), findings);
    assert_eq!(number(&answer, "summary.findings") as u32, findings);
    assert_eq!(number(&reported, "report.findings.0.rank") as u32, 1);
    assert_eq!(string(&reported, "report.system.name"), "Acme Insulin Delivery System");
    assert_eq!(string(&reported, "report.analysed_on"), TODAY);
    assert_eq!(length(&reported, "views"), 4);
    assert!(string(&reported, "dot").starts_with("digraph"));
    // The first finding's marks select its subject where the report says it is declared; in ASCII
    // text UTF-16 offsets and byte offsets agree.
    let (from, to) = (number(&answer, "marks.0.from") as usize, number(&answer, "marks.0.to") as usize);
    let start = number(&reported, "report.findings.0.subject.location.start") as usize;
    let end = number(&reported, "report.findings.0.subject.location.end") as usize;
    assert_eq!((from, to), (start, end), "marks and the report's location agree");
    let selected = &PUMP[from..to];
    let id = string(&reported, "report.findings.0.subject.id");
    match string(&reported, "report.findings.0.subject.kind").as_str() {
        // An unnamed flow is selected by its arrow, `a -> b`.
        "flow" => assert!(selected.contains("->") || selected == id, "{selected}"),
        _ => assert_eq!(selected, id),
    }
}

#[wasm_bindgen_test]
fn diagnostics_count_utf16_units() {
    let text = "component pump \"🫀 pompe\" { kind: wearable }\nflow pump -> app {}\n";
    let answer = medtm_wasm::check(text, None);
    assert_answer(&answer, true);
    assert!(number(&answer, "errors") >= 1.0);
    let index = (0..length(&answer, "diagnostics"))
        .find(|index| string(&answer, &format!("diagnostics.{index}.code")) == "E0303")
        .unwrap_or_else(|| panic!("no unresolved reference in {}", show(&answer)));
    let js_text = JsValue::from_str(text);
    let from = number(&answer, &format!("diagnostics.{index}.from"));
    let to = number(&answer, &format!("diagnostics.{index}.to"));
    let slice = js_sys::JsString::from(js_text).slice(from as u32, to as u32);
    assert_eq!(String::from(slice), "app");
    assert_eq!(get(&medtm_wasm::analyse(text, TODAY), "summary"), JsValue::NULL, "no summary while errors remain");
    assert_answer(&medtm_wasm::report(text, TODAY), false);
}

#[wasm_bindgen_test]
fn problems_are_answers_not_exceptions() {
    for answer in [
        medtm_wasm::analyse(PUMP, "not a date"),
        medtm_wasm::check(PUMP, Some("2026-13-45".to_owned())),
        medtm_wasm::render(PUMP, "pdf", TODAY, None),
        medtm_wasm::render(PUMP, "html", TODAY, Some("{not json".to_owned())),
        medtm_wasm::render("component {", "json", TODAY, None),
        medtm_wasm::diagram(PUMP, "side", TODAY),
        medtm_wasm::format("component pump {"),
        medtm_wasm::explain("nothing-of-the-kind"),
    ] {
        assert_answer(&answer, false);
        assert!(!string(&answer, "error").is_empty());
    }
}

#[wasm_bindgen_test]
fn renders_each_report_format() {
    for format in ["text", "markdown", "json", "html", "sarif", "otm", "csv", "dot", "mermaid"] {
        let answer = medtm_wasm::render(PUMP, format, TODAY, None);
        assert_answer(&answer, true);
        assert!(string(&answer, "content").len() > 100, "{format}");
        assert!(!string(&answer, "media_type").is_empty(), "{format}");
    }
    let sarif = medtm_wasm::render(PUMP, "sarif", TODAY, None);
    let log = JSON::parse(&string(&sarif, "content")).expect("SARIF is JSON");
    assert_eq!(string(&log, "version"), "2.1.0");
}

#[wasm_bindgen_test]
fn formats_explains_completes_and_hovers() {
    let formatted = medtm_wasm::format("asset   a {kind: phi}\n");
    assert_answer(&formatted, true);
    assert_eq!(string(&formatted, "text"), "asset a { kind: phi }\n");
    let explained = medtm_wasm::explain("flow.authn");
    assert!(string(&explained, "text").starts_with("flow.authn (attribute)"));
    let text = "flow a -> b {\n  medium: ";
    let completed = medtm_wasm::complete(text, text.len());
    assert_answer(&completed, true);
    assert!(length(&completed, "options") > 5);
    assert_eq!(string(&completed, "options.0.type"), "enum");
    let hovered = medtm_wasm::hover("flow a -> b { medium: ble }", 2, None);
    assert!(string(&hovered, "hover.text").starts_with("flow (keyword)"));
    assert_eq!(medtm_wasm::version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn every_prefix_of_a_model_gets_an_answer() {
    // A model being typed: no prefix may panic the module (a panic would abort it for good).
    for end in (0..PUMP.len()).step_by(97).filter(|end| PUMP.is_char_boundary(*end)) {
        let prefix = &PUMP[..end];
        assert_answer(&medtm_wasm::analyse(prefix, TODAY), true);
        assert_answer(&medtm_wasm::complete(prefix, end), true);
    }
}
