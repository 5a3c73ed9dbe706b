//! `medtm graph` and the architecture views end to end: every model's diagrams (DOT and Mermaid)
//! and view tables are snapshotted; boundaries are clusters nested as in the model; every element
//! is drawn once; hostile labels come out as text in both languages; output is deterministic; and,
//! where Graphviz is installed, every diagram renders.

use std::fmt::Write as _;

use medtm_model::CheckOptions;
use medtm_model::model::Model;
use medtm_report::views::{self, Table, View};
use medtm_tests::{TODAY, medtm, models_in, root};

/// `(name, path)` of every example model.
fn models() -> Vec<(String, String)> {
    models_in(&root().join("models"))
        .into_iter()
        .map(|path| {
            let file = path.file_name().and_then(|n| n.to_str()).expect("UTF-8 name").to_owned();
            (file.trim_end_matches(".mtm").to_owned(), format!("models/{file}"))
        })
        .collect()
}

/// `medtm graph` on a model file, which must succeed.
fn graph(model: &str, format: &str, view: View) -> String {
    let run = medtm(&["graph", "--today", TODAY, "--format", format, "--view", view.name(), model], b"");
    assert_eq!(run.code, 0, "{model} {format} {view:?}: {}", run.stderr);
    run.stdout
}

/// `medtm graph` on model text given on standard input, which must succeed.
fn graph_text(text: &str, format: &str) -> String {
    let run = medtm(&["graph", "--today", TODAY, "--format", format, "-"], text.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

/// Runs `f` on the checked model and its analysis, as the report builds them.
fn with_inputs<T>(text: &str, f: impl FnOnce(&Model, &medtm_report::Inputs<'_>) -> T) -> T {
    let today = TODAY.parse().expect("a date");
    let checked = medtm_engine::analyse_text(text, CheckOptions { today: Some(today) });
    let analysis = checked.analysis.as_ref().expect("the model has no errors");
    let report = medtm_report::dto::build("model.mtm", text, &checked.model, analysis);
    let inputs = medtm_report::Inputs { text, model: &checked.model, analysis, report: &report };
    f(&checked.model, &inputs)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).expect("model readable")
}

/// A table as Markdown, for snapshots a reviewer can read.
fn markdown(table: &Table) -> String {
    let cell = |text: &str| text.replace('|', "\\|");
    let mut out = format!("## {}\n\n{}\n\n", table.title, table.description);
    let _ = writeln!(out, "| {} |", table.columns.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(table.columns.len()));
    for row in &table.rows {
        assert_eq!(row.len(), table.columns.len(), "{}: a row with the wrong number of cells", table.title);
        let _ = writeln!(out, "| {} |", row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
    }
    out
}

#[test]
fn every_model_and_view_is_drawn_as_snapshotted() {
    for (name, path) in models() {
        for (format, extension) in [("dot", "dot"), ("mermaid", "mmd")] {
            let all: Vec<String> = View::ALL.iter().map(|view| graph(&path, format, *view)).collect();
            insta::assert_snapshot!(format!("{name}.{extension}"), all.join("\n"));
        }
        let tables = with_inputs(&read(&path), |_, inputs| {
            View::ALL.iter().map(|view| markdown(&views::table(inputs, *view))).collect::<Vec<_>>()
        });
        insta::assert_snapshot!(format!("{name}.views.md"), tables.join("\n"));
    }
}

#[test]
fn diagrams_are_byte_identical_run_to_run() {
    for (_, path) in models() {
        for view in View::ALL {
            for format in ["dot", "mermaid"] {
                assert_eq!(graph(&path, format, view), graph(&path, format, view), "{path} {format} {view:?}");
            }
        }
    }
}

/// Ids with the id of the cluster they are drawn in, if any.
type Placed = Vec<(String, Option<String>)>;

/// The clusters of a DOT text: for each `cluster_ID`, the cluster it sits in, and for each
/// element node `e_ID`, the innermost cluster it is drawn in; once for each time it is drawn.
fn dot_tree(dot: &str) -> (Placed, Placed) {
    let mut stack: Vec<String> = Vec::new();
    let mut clusters = Vec::new();
    let mut nodes = Vec::new();
    for line in dot.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("subgraph \"cluster_") {
            let id = rest.split('"').next().expect("a cluster name").to_owned();
            clusters.push((id.clone(), stack.last().cloned()));
            stack.push(id);
        } else if line == "}" {
            stack.pop();
        } else if let Some(rest) = line.strip_prefix("\"e_") {
            let (id, after) = rest.split_once('"').expect("a node name");
            if after.starts_with(" [") {
                nodes.push((id.to_owned(), stack.last().cloned()));
            }
        }
    }
    (clusters, nodes)
}

#[test]
fn every_boundary_is_a_cluster_nested_as_in_the_model_and_every_element_is_drawn_once() {
    for (name, path) in models() {
        let dot = graph(&path, "dot", View::Global);
        let (clusters, nodes) = dot_tree(&dot);
        with_inputs(&read(&path), |model, _| {
            let boundary_id =
                |id: Option<medtm_model::model::BoundaryId>| id.map(|b| model.boundary(b).meta.id.clone());
            let mut expected: Vec<(String, Option<String>)> =
                model.boundaries.iter().map(|b| (b.meta.id.clone(), boundary_id(b.parent))).collect();
            let mut drawn = clusters.clone();
            expected.sort();
            drawn.sort();
            assert_eq!(drawn, expected, "{name}: clusters and their parents");
            let mut expected: Vec<(String, Option<String>)> =
                model.elements.iter().map(|e| (e.meta.id.clone(), boundary_id(e.boundary))).collect();
            let mut drawn = nodes.clone();
            expected.sort();
            drawn.sort();
            assert_eq!(drawn, expected, "{name}: every element once, in its innermost boundary");
            assert!(model.boundaries.iter().any(|b| b.parent.is_some()) || name != "pacs-imaging");
        });
        let mermaid = graph(&path, "mermaid", View::Global);
        with_inputs(&read(&path), |model, _| {
            for element in &model.elements {
                let defined = mermaid
                    .lines()
                    .map(str::trim)
                    .filter(|line| {
                        line.strip_prefix(&format!("e_{}", element.meta.id))
                            .is_some_and(|rest| rest.starts_with(['(', '[']))
                    })
                    .count();
                assert_eq!(defined, 1, "{name}: `{}` defined once in Mermaid", element.meta.id);
            }
            for boundary in &model.boundaries {
                assert!(mermaid.contains(&format!("subgraph b_{}[", boundary.meta.id)), "{name}: {}", boundary.meta.id);
            }
        });
    }
}

#[test]
fn views_draw_what_they_show() {
    let path = "models/infusion-fleet.mtm";
    let updatability = graph(path, "dot", View::Updatability);
    // Code reaches the pump from the server (Wi-Fi) and from the technician (serial); the EHR
    // sends none.
    for present in ["\"e_pump_server\" -> \"e_pump\"", "\"e_biomed\" -> \"e_pump\"", "update: unsigned"] {
        assert!(updatability.contains(present), "updatability view lacks {present}");
    }
    assert!(!updatability.contains("\"e_ehr\""), "the EHR sends no code");
    let fleet = graph(path, "dot", View::MultiPatient);
    assert!(fleet.contains("one compromise reaches 400 devices"), "{fleet}");
    assert!(!fleet.contains("\"e_nurse\""), "a nurse at one bedside is no fleet-wide compromise");
    with_inputs(&read(path), |_, inputs| {
        let table = views::table(inputs, View::MultiPatient);
        let server = table.rows.iter().find(|row| row[0] == "pump_server").expect("the server's row");
        assert_eq!(server[2], "pump (400 units)");
        assert_eq!(server[3], "400");
        assert!(server[4].contains("multi-patient-push: unacceptable, open"), "{server:?}");
        let global = views::table(inputs, View::Global);
        assert_eq!(global.rows.len(), inputs.model.elements.len() + inputs.model.flows.len());
        let use_cases = views::table(inputs, View::UseCases);
        let firmware_paths: Vec<&str> =
            use_cases.rows.iter().filter(|row| row[0] == "updates").map(|row| row[1].as_str()).collect();
        assert_eq!(firmware_paths, ["library_push", "biomed_to_pump"]);
        let updates = views::table(inputs, View::Updatability);
        let pump_rows: Vec<&str> =
            updates.rows.iter().filter(|row| row[0] == "pump").map(|row| row[1].as_str()).collect();
        assert_eq!(pump_rows, ["flow library_push", "flow biomed_to_pump", "debug port uart"]);
    });
}

/// A model whose labels try to break out of every quoting there is, and whose ids are keywords
/// of DOT and Mermaid.
const HOSTILE: &str = r#"
system hostile "<img src=x onerror=alert(1)> \"quoted\" {braces} #hash; |pipe| `tick`" {
  function: therapeutic
  environment: home
}
asset cmd "Command </B><script>alert(1)</script>" { kind: therapy, harm: catastrophic }
boundary subgraph "Net \"zone\"\nsecond line & more" {
  kind: hospital_network
  boundary end "Inner ]; } {{ %% not a comment" {
    kind: clinical_vlan
    component node "<img src=x onerror=alert(1)>" { kind: bedside, functions: [therapy_delivery], count: 10 }
  }
}
actor graph "Nurse \"A\"\n-->|\"x\"| y" { role: nurse, auth: password }
component edge "Edge\\ \\\"esc\\\" <br/>" { kind: controller }
flow strict: edge -> node "Push <img src=x onerror=alert(1)>\n\"quoted\"" {
  medium: wifi
  carries: [cmd]
  authn: none
}
flow graph -> edge "A\tB \u{0007}bell" { medium: ui, carries: [cmd], authn: password }
"#;

/// The tags a Graphviz HTML-like label of medtm may contain.
const HTML_TAGS: &[&str] = &["B", "I", "BR", "FONT", "TABLE", "TR", "TD"];

/// Checks DOT text lexically: strings closed, HTML labels balanced and made only of medtm's own
/// tags and entities, brackets balanced. Returns the HTML labels' text.
fn check_dot(dot: &str) -> Vec<String> {
    let mut labels = Vec::new();
    let mut depth = (0i32, 0i32);
    let mut chars = dot.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => {
                let mut closed = false;
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\n' => panic!("raw line break in a DOT string at byte {at}"),
                        _ => {}
                    }
                }
                assert!(closed, "unterminated DOT string at byte {at}");
            }
            '<' => {
                let mut nesting = 1;
                let mut html = String::new();
                for (_, c) in chars.by_ref() {
                    match c {
                        '<' => nesting += 1,
                        '>' => nesting -= 1,
                        _ => {}
                    }
                    if nesting == 0 {
                        break;
                    }
                    html.push(c);
                }
                assert_eq!(nesting, 0, "unterminated HTML label at byte {at}");
                labels.push(check_html(&html));
            }
            '{' => depth.0 += 1,
            '}' => depth.0 -= 1,
            '[' => depth.1 += 1,
            ']' => depth.1 -= 1,
            _ => {}
        }
        assert!(depth.0 >= 0 && depth.1 >= 0, "closing bracket without an opening one at byte {at}");
    }
    assert_eq!(depth, (0, 0), "unbalanced braces or brackets");
    labels
}

/// Checks an HTML-like label: only medtm's tags, properly nested; only the entities medtm writes.
/// Returns its text with entities decoded.
fn check_html(html: &str) -> String {
    let mut open: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut rest = html;
    while let Some(start) = rest.find(['<', '&']) {
        text.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.starts_with('<') {
            let end = rest.find('>').expect("a tag ends");
            let tag = &rest[1..end];
            let name: String = tag.trim_start_matches('/').chars().take_while(char::is_ascii_alphabetic).collect();
            assert!(HTML_TAGS.contains(&name.as_str()), "tag <{tag}> is not medtm's in {html}");
            if let Some(closing) = tag.strip_prefix('/') {
                assert_eq!(open.pop().as_deref(), Some(closing), "misnested </{closing}> in {html}");
            } else if !tag.ends_with('/') {
                open.push(name);
            } else {
                text.push('\n');
            }
            rest = &rest[end + 1..];
        } else {
            let end = rest.find(';').expect("an entity ends");
            let decoded = match &rest[..=end] {
                "&amp;" => "&".to_owned(),
                "&lt;" => "<".to_owned(),
                "&gt;" => ">".to_owned(),
                "&quot;" => "\"".to_owned(),
                "&#39;" => "'".to_owned(),
                other => panic!("unexpected entity {other} in {html}"),
            };
            text.push_str(&decoded);
            rest = &rest[end + 1..];
        }
    }
    text.push_str(rest);
    assert!(open.is_empty(), "unclosed tags {open:?} in {html}");
    text
}

/// Checks Mermaid text line by line against the statements medtm writes, with every label
/// quoted and free of quotes, markup other than `<br/>`, and line breaks. Returns the labels'
/// text with `<br/>` as line breaks and entities decoded.
fn check_mermaid(mermaid: &str) -> Vec<String> {
    fn label(quoted: &str, line: &str) -> String {
        let inner = quoted.strip_prefix('"').and_then(|q| q.strip_suffix('"')).unwrap_or_else(|| panic!("{line}"));
        assert!(!inner.contains('"'), "quote inside a label: {line}");
        assert!(!inner.replace("<br/>", "").contains(['<', '>']), "markup in a label: {line}");
        let mut text = String::new();
        let mut rest = inner.replace("<br/>", "\n");
        while let Some(start) = rest.find('#') {
            text.push_str(&rest[..start]);
            let end = rest[start..].find(';').map_or_else(|| panic!("bare # in {line}"), |e| start + e);
            let code: u32 = rest[start + 1..end].parse().unwrap_or_else(|_| panic!("bad entity in {line}"));
            text.push(char::from_u32(code).expect("a character"));
            rest = rest[end + 1..].to_owned();
        }
        text.push_str(&rest);
        text
    }
    let is_id = |id: &str| {
        id.starts_with(['e', 'b']) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && id.len() > 2
    };
    let mut labels = Vec::new();
    let mut lines = mermaid.lines().skip_while(|line| line.starts_with("%% "));
    assert_eq!(lines.next(), Some("flowchart TB"), "comments, then the flowchart");
    let mut depth = 0;
    for line in lines.map(str::trim) {
        if line == "end" {
            depth -= 1;
        } else if let Some(rest) = line.strip_prefix("subgraph ") {
            let (id, quoted) = rest.split_once('[').expect("a subgraph title");
            assert!(is_id(id), "{line}");
            labels.push(label(quoted.strip_suffix(']').expect("title closed"), line));
            depth += 1;
        } else if line.starts_with("classDef ")
            || line.starts_with("class ")
            || line.starts_with("style ")
            || line.starts_with("linkStyle ")
        {
            assert!(!line.contains(['"', '<', '>']), "{line}");
        } else if line.find(' ').unwrap_or(usize::MAX) < line.find(['(', '[']).unwrap_or(usize::MAX) {
            let (from, rest) = line.split_once(' ').expect("a space");
            let (arrow, rest) = rest.split_once('|').expect("an arrow with a label");
            assert!(["-->", "<-->", "-.-"].contains(&arrow), "{line}");
            let (quoted, to) = rest.rsplit_once("| ").expect("a label closed before the target");
            assert!(is_id(from) && is_id(to), "{line}");
            if quoted != "hosts" {
                labels.push(label(quoted, line));
            }
        } else {
            let open = line.find(['(', '[']).expect("a node shape");
            let (id, shape) = line.split_at(open);
            assert!(is_id(id), "{line}");
            let quoted = match shape.chars().next() {
                Some('(') => shape.strip_prefix('(').and_then(|s| s.strip_suffix(')')),
                _ => shape
                    .strip_prefix("[(")
                    .and_then(|s| s.strip_suffix(")]"))
                    .or_else(|| shape.strip_prefix('[').and_then(|s| s.strip_suffix(']'))),
            };
            labels.push(label(quoted.unwrap_or_else(|| panic!("{line}")), line));
        }
        assert!(depth >= 0, "`end` without a subgraph");
    }
    assert_eq!(depth, 0, "every subgraph ends");
    labels
}

#[test]
fn hostile_labels_come_out_as_text_in_dot_and_mermaid() {
    let dot = graph_text(HOSTILE, "dot");
    let texts = check_dot(&dot).join("\n");
    assert!(texts.contains("<img src=x onerror=alert(1)>"), "the label is shown as written: {texts}");
    assert!(texts.contains("Net \"zone\"\nsecond line & more"), "quotes and line breaks kept: {texts}");
    for cluster in ["cluster_subgraph", "cluster_end"] {
        assert!(dot.contains(&format!("subgraph \"{cluster}\" {{")), "{cluster} in {dot}");
    }

    let mermaid = graph_text(HOSTILE, "mermaid");
    assert!(!mermaid.contains("<img") && !mermaid.contains("<script"), "{mermaid}");
    let texts = check_mermaid(&mermaid).join("\n");
    assert!(texts.contains("<img src=x onerror=alert(1)>"), "the label is shown as written: {texts}");
    assert!(texts.contains("Nurse \"A\"\n-->|\"x\"| y"), "{texts}");
    assert!(texts.contains("Inner ]; } {{ %% not a comment"), "{texts}");

    if let Some(svg) = svg("-", View::Global, HOSTILE) {
        assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt;"), "{svg}");
        assert!(!svg.contains("<img"), "{svg}");
    }
}

#[test]
fn example_diagrams_pass_the_same_checks() {
    for (name, path) in models() {
        for view in View::ALL {
            assert!(!check_dot(&graph(&path, "dot", view)).is_empty() || view != View::Global, "{name}");
            check_mermaid(&graph(&path, "mermaid", view));
        }
    }
}

/// Whether Graphviz's `dot` is installed.
fn graphviz() -> bool {
    std::process::Command::new("dot").arg("-V").output().is_ok_and(|output| output.status.success())
}

/// `medtm graph --format svg` on a model file or, with `-`, on `stdin`; `None` (with a note)
/// when Graphviz is not installed.
fn svg(path: &str, view: View, stdin: &str) -> Option<String> {
    if !graphviz() {
        eprintln!("note: Graphviz's `dot` is not installed; skipping the rendering check");
        return None;
    }
    let run = medtm(&["graph", "--today", TODAY, "--format", "svg", "--view", view.name(), path], stdin.as_bytes());
    assert_eq!(run.code, 0, "{path} {view:?}: {}", run.stderr);
    Some(run.stdout)
}

#[test]
fn graphviz_renders_every_model_and_view_with_every_boundary_as_a_cluster() {
    if !graphviz() {
        eprintln!("note: Graphviz's `dot` is not installed; skipping the rendering check");
        return;
    }
    for (name, path) in models() {
        let model_text = read(&path);
        for view in View::ALL {
            let svg = svg(&path, view, "").expect("Graphviz is installed");
            assert!(svg.contains("<svg"), "{name} {view:?}");
            if view == View::Global {
                with_inputs(&model_text, |model, _| {
                    for boundary in &model.boundaries {
                        let cluster = format!("<g id=\"global_b_{}\" class=\"cluster\">", boundary.meta.id);
                        assert!(svg.contains(&cluster), "{name}: `{}` is not drawn as a cluster", boundary.meta.id);
                    }
                });
            }
        }
    }
}

#[test]
fn graph_reports_model_errors_and_writes_files() {
    let broken = medtm(&["graph", "-"], b"flow a -> b { medium: wifi }\n");
    assert_eq!(broken.code, 1, "{broken:?}");
    assert!(broken.stdout.is_empty(), "{}", broken.stdout);
    assert!(broken.stderr.contains("E0303"), "{}", broken.stderr);

    let out = std::env::temp_dir().join(format!("medtm-graph-test-{}.mmd", std::process::id()));
    let out_name = out.to_str().expect("UTF-8 temp path");
    let written =
        medtm(&["graph", "--today", TODAY, "--format", "mermaid", "-o", out_name, "models/insulin-pump.mtm"], b"");
    assert_eq!(written.code, 0, "{}", written.stderr);
    assert!(written.stdout.is_empty());
    let file = std::fs::read_to_string(&out).expect("the diagram was written");
    let _ = std::fs::remove_file(&out);
    assert_eq!(file, graph("models/insulin-pump.mtm", "mermaid", View::Global));

    let default_view = medtm(&["graph", "--today", TODAY, "models/insulin-pump.mtm"], b"");
    assert_eq!(default_view.stdout, graph("models/insulin-pump.mtm", "dot", View::Global), "DOT and global by default");
}
