//! `medtm report --format html` end to end: every model's page is snapshotted, a model whose
//! every free string is hostile markup shows it as text (with and without Graphviz drawings),
//! the page asks nothing of the network, says what the other formats say, and is the same from
//! run to run.

use medtm_report::html::Diagrams;
use medtm_tests::{TODAY, medtm, models_in, root};

fn html(model: &str) -> String {
    let run = medtm(&["report", "--today", TODAY, "--format", "html", "--no-diagrams", model], b"");
    assert!(run.code == 0, "{model} exited {}: {}", run.code, run.stderr);
    run.stdout
}

fn models() -> Vec<String> {
    models_in(&root().join("models"))
        .into_iter()
        .map(|path| format!("models/{}", path.file_name().and_then(|n| n.to_str()).expect("UTF-8 name")))
        .collect()
}

/// Markup, a way out of the script element, both quotes, an attribute that runs script, a
/// comment opener and ampersands (one already an entity).
const PAYLOAD: &str =
    r#"<img src=x onerror=alert(1)></script><script>alert(2)</script>" onmouseover="alert(3)" ' & &amp; <!--"#;

/// A model with the payload in every free string the grammar allows: labels, doc comments,
/// the system's version and class, software fields, control labels and tests, decision reasons,
/// owners and labeling, assumptions. (Ids and vocabulary words are checked by the grammar.)
fn hostile_model() -> String {
    let quoted = PAYLOAD.replace('\\', "\\\\").replace('"', "\\\"");
    r#"/// {RAW}
system evil "{P}" {
  version: "{P}"
  function: therapeutic
  environment: home
  device_class: "{P}"
}

/// {RAW}
asset bolus_command "{P}" { kind: therapy, harm: catastrophic }
asset firmware "{P}" { kind: firmware, harm: catastrophic }
asset record "{P}" { kind: phi, patients: 5000 }

actor patient "{P}" { role: patient, auth: biometric }

/// {RAW}
boundary body "{P}" {
  kind: enclosure
  /// {RAW}
  component pump "{P}" {
    kind: wearable
    functions: [therapy_delivery, alarm]
    update: { signed: false }
    software: [lib]
    count: 1000
  }
}

component app "{P}" { kind: mobile_app, os: ios, functions: [therapy_delivery] }
component updates "{P}" { kind: update_server }
store records "{P}" { holds: [record], encrypted: false }

software lib "{P}" {
  version: "{P}"
  purl: "{P}"
  supplier: "{P}"
  support: unmaintained
  end_of_support: 2020-01-01
}

flow bolus: app -> pump "{P}" { medium: ble, carries: [bolus_command], authn: none, replay: none }
flow fw: updates -> app "{P}" { medium: internet, protocol: https, carries: [firmware], authn: token }
flow install: app -> pump "{P}" { medium: ble, carries: [firmware], authn: none }
flow app -> records "{P}" { medium: network, carries: [record], authn: none }
flow patient -> app "{P}" { medium: ui, carries: [bolus_command], authn: implicit }

/// {RAW}
control confirm "{P}" {
  category: authentication
  covers: [bolus]
  mitigates: [unauthenticated-command]
  verified_by: ["{P}"]
}

accept replayable-command on bolus {
  reason: "{P}"
  owner: "{P}"
  review_by: 2020-01-01
}

transfer safety-link-flooding on bolus to patient {
  labeling: "{P}"
  owner: "{P}"
}

assumption doubt "{P}"
"#
    .replace("{RAW}", PAYLOAD)
    .replace("{P}", &quoted)
}

/// The page of the hostile model, with the given drawings.
fn hostile_page(draw: impl FnMut(&str) -> Option<String>) -> String {
    let text = hostile_model();
    let today: jiff::civil::Date = TODAY.parse().expect("a date");
    let options = medtm_model::CheckOptions { today: Some(today) };
    let (text, checked) = medtm_engine::check_bytes(text.as_bytes(), options, true);
    let analysis = checked.analysis.as_ref().unwrap_or_else(|| panic!("the model checks: {:#?}", checked.diagnostics));
    let report = medtm_report::dto::build("hostile.mtm", &text, &checked.model, analysis);
    let inputs = medtm_report::Inputs { text: &text, model: &checked.model, analysis, report: &report };
    assert!(report.findings.len() > 5 && !report.decisions.is_empty() && !report.traceability.is_empty());
    let diagrams = Diagrams::draw(&inputs, draw);
    medtm_report::html::render(&inputs, &diagrams)
}

/// A tag of the page: its name and its attributes (name, raw value).
#[derive(Debug)]
struct Tag {
    name: String,
    attributes: Vec<(String, String)>,
}

/// The tags of a page, read as a browser's tokenizer would for the markup medtm writes (every
/// attribute value double-quoted; text between `<style>`/`<script>` and their end tag is raw).
fn tags(page: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut rest = page;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = &comment[comment.find("-->").expect("a closed comment") + 3..];
            continue;
        }
        let mut name = String::new();
        let mut attributes = Vec::new();
        let mut chars = rest.char_indices().peekable();
        // An end tag's name starts with `/`; a `/` after the name closes an empty element.
        if let Some((_, slash)) = chars.next_if(|(_, c)| *c == '/') {
            name.push(slash);
        }
        while let Some((_, c)) = chars.next_if(|(_, c)| !c.is_whitespace() && *c != '>' && *c != '/') {
            name.push(c);
        }
        let mut end = rest.len();
        while let Some((index, c)) = chars.next() {
            if c == '>' {
                end = index + 1;
                break;
            }
            if c.is_whitespace() || c == '/' {
                continue;
            }
            let mut key = String::from(c);
            while let Some((_, c)) = chars.next_if(|(_, c)| !c.is_whitespace() && !matches!(c, '=' | '>' | '/')) {
                key.push(c);
            }
            let mut value = String::new();
            if chars.next_if(|(_, c)| *c == '=').is_some() {
                assert_eq!(chars.next().map(|(_, c)| c), Some('"'), "unquoted value of {key} in <{name}>");
                for (_, c) in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                    value.push(c);
                }
            }
            attributes.push((key.to_ascii_lowercase(), value));
        }
        rest = &rest[end..];
        let lower = name.to_ascii_lowercase();
        if lower == "script" || lower == "style" {
            let close = format!("</{lower}");
            rest = &rest[rest.to_ascii_lowercase().find(&close).expect("a closed raw-text element")..];
        }
        tags.push(Tag { name: lower, attributes });
    }
    tags
}

/// What an injected payload would show as: no tag, attribute or raw text the page did not mean.
fn assert_inert(page: &str) {
    for fragment in ["<img", "<script>alert", "</script><script>", "onmouseover=\"", "<!--"] {
        assert!(!page.contains(fragment), "raw {fragment:?} in the page");
    }
    let escaped = "&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;&quot; onmouseover=&quot;alert(3)&quot; ' &amp; &amp;amp; &lt;!--";
    assert!(page.contains(escaped), "the payload does not show as text");
    let tags = tags(page);
    let names = |name: &str| tags.iter().filter(|tag| tag.name == name).count();
    assert_eq!((names("script"), names("/script"), names("img")), (1, 1, 0), "one script, no image");
    for tag in &tags {
        for (key, value) in &tag.attributes {
            assert!(!key.starts_with("on"), "event handler {key}={value:?} on <{}>", tag.name);
            assert!(!value.contains('<'), "raw markup in {key}={value:?}");
        }
    }
    let script = &page[page.find("<script>").expect("a script")..];
    let script = &script[..script.find("</script>").expect("a closed script")];
    assert!(!script.contains("alert"), "the payload reached the script");
}

#[test]
fn every_model_reports_as_html_as_snapshotted() {
    for model in models() {
        let name = model.trim_start_matches("models/").trim_end_matches(".mtm").to_owned();
        insta::assert_snapshot!(format!("{name}.html"), html(&model));
    }
}

#[test]
fn html_reports_are_byte_identical_run_to_run() {
    for model in models() {
        assert_eq!(html(&model), html(&model), "{model} differs between runs");
    }
}

#[test]
fn hostile_strings_show_as_text_and_never_as_markup() {
    let page = hostile_page(|_| None);
    assert_inert(&page);
    // Every place it was written shows it: title, labels, doc comments, software, decisions,
    // tests, assumptions, the diagram source.
    let shown = page.matches("&lt;img src=x onerror=alert(1)&gt;").count();
    assert!(shown > 60, "the payload shows only {shown} times");
    assert!(page.contains("<title>Threat model: &lt;img src=x"), "the title");
    // In DOT source the payload is escaped for Graphviz first, then for HTML.
    assert!(page.contains("<pre><code>digraph"), "the DOT source is shown");
}

/// Graphviz escapes labels itself; what it draws is embedded, and the payload stays text.
#[test]
fn hostile_strings_stay_text_in_graphviz_drawings() {
    let Ok(probe) = std::process::Command::new("dot").arg("-V").output() else {
        eprintln!("Graphviz is not installed: the embedded drawings are not checked");
        return;
    };
    assert!(probe.status.success());
    let page = hostile_page(|dot| {
        let mut child = std::process::Command::new("dot")
            .arg("-Tsvg")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("dot runs");
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), dot.as_bytes()).expect("DOT written");
        let output = child.wait_with_output().expect("dot finishes");
        assert!(output.status.success(), "dot failed");
        String::from_utf8(output.stdout).ok()
    });
    assert_eq!(page.matches("<svg ").count(), 4, "a drawing for each view");
    assert!(!page.contains("<pre><code>digraph"), "no DOT source when drawn");
    assert!(!page.contains("<?xml") && !page.contains("<!DOCTYPE svg"), "the SVG prolog is dropped");
    assert_inert(&page);
}

#[test]
fn drawings_that_are_not_well_formed_fall_back_to_the_dot_source() {
    let page = hostile_page(|_| Some("<svg><g onload=\"alert(1)\"></svg>".to_owned()));
    assert!(!page.contains("<svg"), "a broken drawing is not embedded");
    assert_eq!(page.matches("<pre><code>digraph").count(), 4, "each view falls back to its source");
    assert_inert(&page);
}

#[test]
fn html_reports_load_nothing_from_elsewhere() {
    let mut pages: Vec<(String, String)> = models().into_iter().map(|model| (html(&model), model)).collect();
    pages.push((hostile_page(|_| None), "hostile".to_owned()));
    for (page, model) in &pages {
        for tag in tags(page) {
            for (key, value) in &tag.attributes {
                if matches!(key.as_str(), "src" | "href" | "xlink:href" | "action" | "srcset" | "poster" | "data") {
                    assert!(value.starts_with('#'), "{model}: <{} {key}={value:?}> leaves the page", tag.name);
                }
            }
            assert!(
                !matches!(tag.name.as_str(), "link" | "img" | "iframe" | "object" | "embed"),
                "{model}: <{}>",
                tag.name
            );
        }
        let style =
            &page[page.find("<style>").expect("a stylesheet")..page.find("</style>").expect("a closed stylesheet")];
        assert!(!style.contains("url(") && !style.contains("@import"), "{model}: the stylesheet fetches");
        let policy = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';";
        assert!(page.contains(policy), "{model}: no policy forbidding requests");
    }
}

#[test]
fn html_says_what_the_json_report_says() {
    for model in models() {
        let page = html(&model);
        let run = medtm(&["report", "--today", TODAY, "--format", "json", &model], b"");
        let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        let escape =
            |text: &str| text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
        for finding in json["findings"].as_array().expect("findings") {
            let id = finding["id"].as_str().expect("an id");
            let title = finding["rule"]["title"].as_str().expect("a title");
            // Anchors are the stable finding ids (a link survives a change of rank).
            let anchor = escape(id);
            assert!(
                page.contains(&format!("<a href=\"#finding-{anchor}\">")),
                "{model}: {id} not linked from the table"
            );
            // Numbered by its risk, and within a risk of several findings by its facet (2.1, 2.2).
            let number = match finding["facets"].as_u64() {
                Some(1) => finding["risk_rank"].to_string(),
                _ => format!("{}.{}", finding["risk_rank"], finding["facet"]),
            };
            let heading = format!(
                "id=\"finding-{anchor}\"><h3><span class=\"rank\">{number}.</span> <code>{}</code>: {}</h3>",
                escape(id),
                escape(title)
            );
            assert!(page.contains(&heading), "{model}: no detail for {id}");
            let score =
                format!("<strong>{:.1}</strong>", finding["inherent"]["cvss_v40"]["score"].as_f64().expect("a score"));
            assert!(page.contains(&score), "{model}: {id}'s score");
            let explanation = finding["explanation"].as_str().expect("an explanation");
            let shown: String = escape(explanation)
                .split('`')
                .enumerate()
                .map(|(i, part)| if i % 2 == 1 { format!("<code>{part}</code>") } else { part.to_owned() })
                .collect();
            assert!(page.contains(&shown), "{model}: {id}'s explanation");
        }
        for decision in json["decisions"].as_array().expect("decisions") {
            let why = decision["reason"].as_str().or(decision["labeling"].as_str()).expect("a reason or labeling");
            assert!(page.contains(&escape(why)), "{model}: decision on {}", decision["finding"]);
        }
        for software in json["software"].as_array().expect("software") {
            let name = software["name"].as_str().expect("a name");
            assert!(page.contains(&escape(name)), "{model}: software {name}");
        }
        let summary = &json["summary"];
        assert!(
            page.contains(&format!("<strong>{}</strong> unacceptable", summary["unacceptable"])),
            "{model}: summary"
        );
    }
}
