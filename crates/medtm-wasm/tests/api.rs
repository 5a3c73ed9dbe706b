//! The browser API's answers, natively: what the page relies on in each function's result.

#[path = "../../medtm-ide/tests/cases/mod.rs"]
mod cases;

use std::collections::BTreeMap;

use cases::{CASES, Expect};

use medtm_wasm::api;
use serde_json::Value;

const TODAY: &str = "2026-06-01";

fn examples() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let mut found: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("the models folder")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "mtm"))
        .map(|path| (path.display().to_string(), std::fs::read_to_string(&path).expect("a model")))
        .collect();
    found.sort();
    assert!(found.len() >= 5, "the example models");
    found
}

fn json<T: serde::Serialize>(answer: &T) -> Value {
    serde_json::to_value(answer).expect("answers serialise")
}

/// The text between two UTF-16 offsets, as JavaScript's `slice` gives it.
fn slice_utf16(text: &str, from: usize, to: usize) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[from..to]).expect("offsets on character boundaries")
}

#[test]
fn analysing_each_example_gives_rows_and_marks_and_then_the_report_of_the_same_analysis() {
    for (name, text) in examples() {
        let answer = json(&api::analyse(&text, TODAY));
        assert_eq!(answer["ok"], true, "{name}");
        assert_eq!(answer["errors"], 0, "{name}: {}", answer["diagnostics"]);
        assert_eq!(answer.get("report"), None, "{name}: the keystroke's answer carries no report");
        let reported = json(&api::report(&text, TODAY));
        assert_eq!(reported["ok"], true, "{name}");
        let report = &reported["report"];
        let findings = report["findings"].as_array().expect("findings");
        let marks = answer["marks"].as_array().expect("marks");
        assert!(!findings.is_empty(), "{name} has findings");
        assert_eq!(findings.len(), marks.len(), "{name}: one set of marks per finding");
        assert_eq!(answer["summary"], report["summary"], "{name}: the summary is the report's");
        assert_eq!(answer["system"], report["system"]["name"], "{name}: the system's name");
        for (finding, mark) in findings.iter().zip(marks) {
            assert_eq!(finding["id"], mark["finding"], "{name}: marks in the report's order");
            // The risk table's row, drawn from the marks, says what the report says.
            let id = &finding["id"];
            assert_eq!(mark["rank"], finding["rank"], "{name}: {id}");
            assert_eq!(mark["code"], finding["rule"]["code"], "{name}: {id}");
            assert_eq!(mark["title"], finding["rule"]["title"], "{name}: {id}");
            assert_eq!(mark["stride"], finding["stride"], "{name}: {id}");
            assert_eq!(mark["subject"], finding["subject"]["id"], "{name}: {id}");
            assert_eq!(mark["subject_kind"], finding["subject"]["kind"], "{name}: {id}");
            assert_eq!(mark["inherent"], finding["inherent"]["level"], "{name}: {id}");
            assert_eq!(mark["residual"], finding["residual"]["level"], "{name}: {id}");
            assert_eq!(mark["score"], finding["residual"]["cvss_v31"]["score"], "{name}: {id}");
            assert_eq!(mark["vector"], finding["residual"]["cvss_v31"]["vector"], "{name}: {id}");
            assert_eq!(mark["status"], finding["status"], "{name}: {id}");
            assert_eq!(mark["harm"], finding.get("harm").cloned().unwrap_or(Value::Null), "{name}: {id}");
            let selected = slice_utf16(&text, as_usize(&mark["from"]), as_usize(&mark["to"]));
            let subject = finding["subject"]["id"].as_str().unwrap_or_default();
            assert!(names(&selected, subject), "{name}: {} selects `{selected}`", finding["id"]);
            let dot = reported["dot"].as_str().unwrap_or_default();
            for (kind, key) in [("e", "elements"), ("f", "flows"), ("b", "boundaries")] {
                for id in mark[key].as_array().into_iter().flatten().filter_map(Value::as_str) {
                    let svg_id = format!("\"global_{kind}_{id}\"");
                    assert!(dot.contains(&svg_id), "{name}: the page finds {id} in the diagram as {svg_id}");
                }
            }
            let touched = mark["elements"].as_array().map_or(0, Vec::len)
                + mark["flows"].as_array().map_or(0, Vec::len)
                + mark["boundaries"].as_array().map_or(0, Vec::len);
            assert!(touched > 0 || finding["subject"]["kind"] == "asset", "{name}: {} marks nothing", finding["id"]);
        }
        let views: Vec<&str> =
            reported["views"].as_array().expect("views").iter().filter_map(|v| v["name"].as_str()).collect();
        assert_eq!(views, ["global", "multi-patient", "updatability", "use-cases"]);
        assert!(reported["dot"].as_str().is_some_and(|dot| dot.starts_with("digraph")), "{name}: the diagram");
        let declared = &answer["declarations"][report["system"]["id"].as_str().expect("a system id")];
        assert!(declared["to"].as_u64() > declared["from"].as_u64(), "{name}: the system's id is located");
    }
}

#[test]
fn the_report_follows_the_text_it_is_asked_for_not_the_last_analysis() {
    let (name, text) = &examples()[0];
    assert_eq!(json(&api::analyse(text, TODAY))["ok"], true);
    // Asked for another text (or date) than the one analysed last, the report is of that text.
    let renamed = text.replacen("system ", "system renamed_", 1);
    let report = json(&api::report(&renamed, TODAY));
    assert!(report["report"]["system"]["id"].as_str().is_some_and(|id| id.starts_with("renamed_")), "{name}");
    let later = json(&api::report(&renamed, "2030-01-01"));
    assert_eq!(later["report"]["analysed_on"], "2030-01-01", "{name}");
    let broken = json(&api::report("component {", TODAY));
    assert_eq!(broken["ok"], false);
}

/// Whether the selected text names the subject: its id, or for an unnamed flow (whose id is
/// `from_to_to`) its arrow.
fn names(selected: &str, subject: &str) -> bool {
    // A finding on a response leg (`sync.response`) marks its flow (`sync`).
    let subject = subject.strip_suffix(".response").unwrap_or(subject);
    let arrow: Vec<&str> = selected.split_whitespace().collect();
    selected == subject || matches!(arrow.as_slice(), [from, "->" | "<->", to] if format!("{from}_to_{to}") == subject)
}

fn as_usize(value: &Value) -> usize {
    usize::try_from(value.as_u64().expect("an offset")).expect("an offset that fits")
}

#[test]
fn a_model_with_errors_has_diagnostics_no_report_and_the_findings_its_errors_leave_untouched() {
    let text = "component pump \"Pompe à insuline · 🫀\" { kind: wearable }\nflow app -> pump { medium: bluetooth }\n";
    let answer = json(&api::analyse(text, TODAY));
    assert_eq!(answer["ok"], true);
    assert_eq!(answer["summary"], Value::Null);
    assert_eq!(json(&api::report(text, TODAY))["ok"], false, "no report while errors remain");
    // The pump's own finding stays, listed as coming from a model with errors; the broken flow
    // has none.
    let marks = answer["marks"].as_array().expect("marks");
    assert!(!marks.is_empty(), "the findings on the untouched pump");
    for mark in marks {
        assert_eq!(mark["despite_errors"], true, "{mark}");
        assert_eq!(mark["subject"], "pump", "{mark}");
        assert_eq!(slice_utf16(text, as_usize(&mark["from"]), as_usize(&mark["to"])), "pump");
        assert!(mark["message"].as_str().is_some_and(|m| m.contains("so far")), "{mark}");
    }
    let diagnostics = answer["diagnostics"].as_array().expect("diagnostics");
    let unknown_value = diagnostics.iter().find(|d| d["code"] == "E0301").expect("the unknown medium");
    assert_eq!(slice_utf16(text, as_usize(&unknown_value["from"]), as_usize(&unknown_value["to"])), "bluetooth");
    assert_eq!(unknown_value["line"], 2);
    assert!(unknown_value["span"]["start"].as_u64() > unknown_value["from"].as_u64(), "byte spans are kept too");
    assert!(diagnostics.iter().any(|d| d["code"] == "E0303"), "the undeclared `app`: {diagnostics:?}");
}

#[test]
fn bad_arguments_are_answers_not_panics() {
    let text = &examples()[0].1;
    let bad_date = json(&api::analyse(text, "next tuesday"));
    assert_eq!(bad_date["ok"], false);
    assert_eq!(bad_date["error"], "`next tuesday` is not a date; write it as YYYY-MM-DD");
    let bad_format = json(&api::render(text, "pdf", TODAY, &BTreeMap::new()));
    assert_eq!(bad_format["ok"], false);
    assert!(bad_format["error"].as_str().is_some_and(|error| error.contains("sarif")));
    let bad_view = json(&api::diagram(text, "side", TODAY));
    assert_eq!(bad_view["ok"], false);
    let broken = json(&api::render("component {", "json", TODAY, &BTreeMap::new()));
    assert_eq!(broken["ok"], false);
    assert!(broken["error"].as_str().is_some_and(|error| error.starts_with("the model has")), "{broken}");
    assert_eq!(
        json(&api::explain("compnent"))["error"],
        "medtm knows nothing called `compnent`; did you mean `component`?"
    );
}

#[test]
fn renders_every_format_the_command_line_writes() {
    let text = &examples()[0].1;
    for format in api::FORMATS {
        let answer = json(&api::render(text, format, TODAY, &BTreeMap::new()));
        assert_eq!(answer["ok"], true, "{format}: {}", answer["error"]);
        let content = answer["content"].as_str().expect("content");
        assert!(content.len() > 100, "{format} is nearly empty");
        assert!(answer["extension"].as_str().is_some_and(|e| !e.is_empty()), "{format}");
    }
    let json_report = json(&api::render(text, "json", TODAY, &BTreeMap::new()));
    let report: Value = serde_json::from_str(json_report["content"].as_str().expect("json")).expect("valid JSON");
    assert_eq!(report["analysed_on"], TODAY);
}

#[test]
fn the_html_report_embeds_the_drawings_it_is_given() {
    let text = &examples()[0].1;
    let plain = json(&api::render(text, "html", TODAY, &BTreeMap::new()));
    assert!(plain["content"].as_str().is_some_and(|html| html.contains("digraph")), "DOT shown without drawings");
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><g id="drawn-by-the-page"/></svg>"#;
    let drawings = BTreeMap::from([("global".to_owned(), svg.to_owned())]);
    let drawn = json(&api::render(text, "html", TODAY, &drawings));
    assert!(drawn["content"].as_str().is_some_and(|html| html.contains("drawn-by-the-page")), "the drawing is used");
    let unknown = json(&api::render(text, "html", TODAY, &BTreeMap::from([("side".to_owned(), svg.to_owned())])));
    assert_eq!(unknown["ok"], false);
}

#[test]
fn diagrams_of_each_view() {
    let text = &examples()[0].1;
    for view in ["global", "multi-patient", "updatability", "use-cases"] {
        let answer = json(&api::diagram(text, view, TODAY));
        let graph = format!("digraph \"{}_g_medtm\"", view.replace('-', ""));
        assert!(answer["dot"].as_str().is_some_and(|dot| dot.starts_with(&graph)), "{view}: {answer}");
    }
}

#[test]
fn formats_and_refuses_broken_text() {
    let answer = json(&api::format("component   pump  { kind:wearable }\n"));
    assert_eq!(answer["ok"], true, "{answer}");
    assert_eq!(answer["text"], "component pump { kind: wearable }\n");
    let broken = json(&api::format("component pump {\n"));
    assert_eq!(broken["ok"], false);
    assert!(broken["error"].as_str().is_some_and(|error| error.contains("line 1")), "{broken}");
}

#[test]
fn completes_and_hovers_at_utf16_offsets() {
    // Two characters outside the basic plane before the cursor: UTF-16 and bytes disagree.
    let text = "component pump \"🫀🫀\" {\n  kind: wea";
    let offset = text.encode_utf16().count();
    let answer = json(&api::complete(text, offset));
    assert_eq!(answer["ok"], true);
    assert_eq!(slice_utf16(text, as_usize(&answer["from"]), as_usize(&answer["to"])), "wea");
    let labels: Vec<&str> =
        answer["options"].as_array().expect("options").iter().filter_map(|o| o["label"].as_str()).collect();
    assert!(labels.contains(&"wearable"), "{labels:?}");

    let text = "component pump \"🫀\" {\n  kind: wearable\n}\n";
    let at = slice_offset(text, "wearable") + 2;
    let hover = json(&api::hover(text, at, Some(TODAY)));
    assert_eq!(slice_utf16(text, as_usize(&hover["hover"]["from"]), as_usize(&hover["hover"]["to"])), "wearable");
    assert!(hover["hover"]["text"].as_str().is_some_and(|doc| doc.starts_with("wearable (component kind)")), "{hover}");
    assert_eq!(
        json(&api::hover(text, 0, Some(TODAY)))["hover"]["text"].as_str().map(|doc| doc.starts_with("component")),
        Some(true)
    );
    assert_eq!(
        json(&api::hover(text, slice_offset(text, "🫀"), Some(TODAY)))["hover"],
        Value::Null,
        "nothing inside a label"
    );
}

/// The UTF-16 offset of `needle` in `text`.
fn slice_offset(text: &str, needle: &str) -> usize {
    text[..text.find(needle).expect("the needle")].encode_utf16().count()
}

#[test]
fn never_panics_on_cut_or_scrambled_models() {
    // Every prefix of an example is a model being typed: each must get an answer at every step.
    let text = &examples()[0].1;
    let boundaries: Vec<usize> = text.char_indices().map(|(at, _)| at).step_by(7).collect();
    for &end in &boundaries {
        let prefix = &text[..end];
        let utf16 = prefix.encode_utf16().count();
        assert_eq!(json(&api::analyse(prefix, TODAY))["ok"], true);
        assert_eq!(json(&api::complete(prefix, utf16))["ok"], true);
        assert_eq!(json(&api::hover(text, utf16, Some(TODAY)))["ok"], true);
    }
    for offset in [0, 1, 10_000, usize::MAX] {
        assert_eq!(json(&api::complete(text, offset))["ok"], true);
        assert_eq!(json(&api::hover(text, offset, Some(TODAY)))["ok"], true);
    }
    let scrambled: String = text.chars().rev().collect();
    assert_eq!(json(&api::analyse(&scrambled, TODAY))["ok"], true);
}

/// The editor features' shared table (`medtm-ide`'s, which the language server's tests run too)
/// through the page's API, in UTF-16 offsets.
#[test]
fn every_case_of_the_shared_table() {
    for case in CASES {
        let marked = case.marked();
        let text = marked.text.as_str();
        let utf16 = |byte: usize| text[..byte].encode_utf16().count();
        let cursor = utf16(marked.cursor);
        let name = case.name;
        match case.expect {
            Expect::Completes { offers, not } => {
                let answer = json(&api::complete(text, cursor));
                let labels: Vec<&str> =
                    answer["options"].as_array().expect("options").iter().filter_map(|o| o["label"].as_str()).collect();
                for label in offers {
                    assert!(labels.contains(label), "{name}: `{label}` is not offered in {labels:?}");
                }
                for label in not {
                    assert!(!labels.contains(label), "{name}: `{label}` is offered");
                }
            }
            Expect::CompletesNothing => {
                assert_eq!(json(&api::complete(text, cursor))["options"], Value::Array(Vec::new()), "{name}");
            }
            Expect::Hovers(fragments) => {
                let answer = json(&api::hover(text, cursor, Some(TODAY)));
                let shown = answer["hover"]["text"].as_str().unwrap_or_else(|| panic!("{name}: no hover in {answer}"));
                for fragment in fragments {
                    assert!(shown.contains(fragment), "{name}: `{fragment}` is not in {shown}");
                }
                let (from, to) = (as_usize(&answer["hover"]["from"]), as_usize(&answer["hover"]["to"]));
                assert!(from <= cursor && cursor <= to, "{name}: {answer}");
            }
            Expect::HoversNothing => {
                assert_eq!(json(&api::hover(text, cursor, Some(TODAY)))["hover"], Value::Null, "{name}");
            }
            Expect::Defines { id } => {
                // The page goes to a declaration through `declarations` (a click on the diagram).
                let (start, end) = marked.target.expect("a marked definition");
                let declared = &json(&api::analyse(text, TODAY))["declarations"][id];
                assert_eq!(
                    (as_usize(&declared["from"]), as_usize(&declared["to"])),
                    (utf16(start), utf16(end)),
                    "{name}"
                );
            }
        }
    }
}

#[test]
fn hover_shows_the_findings_of_the_pages_date() {
    // Support that ends within a year of the page's date is a finding on that date only.
    let text = "software rtos \"RTOS\" { version: \"1\", support: maintained, end_of_support: 2026-09-01 }\n\
        component pump { kind: wearable, software: [rtos] }\n";
    let at = slice_offset(text, "rtos \"");
    let hovered = |today| json(&api::hover(text, at, today))["hover"]["text"].as_str().unwrap_or_default().to_owned();
    let dated = hovered(Some(TODAY));
    assert!(dated.contains("software-near-end-of-support"), "{dated}");
    assert!(!hovered(None).contains("software-near-end-of-support"), "no date, no finding about it");
    // The same text analysed for the page's risks and then hovered gives the same findings.
    assert_eq!(json(&api::analyse(text, TODAY))["ok"], true);
    assert_eq!(hovered(Some(TODAY)), dated);
    assert_eq!(json(&api::hover(text, at, Some("June")))["ok"], false);
}
