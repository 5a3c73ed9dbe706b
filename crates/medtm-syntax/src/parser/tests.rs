//! Parser tests: shapes of the tree, recovery, and the pathological inputs of the bad-input list.

use std::fmt::Write as _;

use super::*;

fn parse_ok(text: &str) -> File {
    let parsed = parse(text);
    assert!(parsed.diagnostics.is_empty(), "unexpected diagnostics: {:#?}", parsed.diagnostics);
    parsed.file
}

fn codes(text: &str) -> Vec<&'static str> {
    parse(text).diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn parses_every_value_form() {
    let file = parse_ok(
        r#"component c "Label \"q\" \\ \u{e9}" {
  s: "x", i: -12, d: 0.5, b: true, date: 2027-06-30, w: ble, r: unauthenticated-command
  l: [a, b,], m: { signed: true, anti_rollback: false }
  t: """
    line one
      indented
    """
}"#,
    );
    let declaration = &file.declarations[0];
    assert_eq!(declaration.label.as_ref().unwrap().value, "Label \"q\" \\ é");
    let values: Vec<_> = declaration.attributes().map(|a| (a.name.name.as_str(), a.value.kind.clone())).collect();
    assert_eq!(values[0], ("s", ValueKind::String("x".into())));
    assert_eq!(values[1], ("i", ValueKind::Integer(-12)));
    assert_eq!(values[2], ("d", ValueKind::Decimal(0.5)));
    assert_eq!(values[3], ("b", ValueKind::Boolean(true)));
    assert_eq!(values[4], ("date", ValueKind::Date(jiff::civil::date(2027, 6, 30))));
    assert_eq!(values[5], ("w", ValueKind::Word("ble".into())));
    assert_eq!(values[6], ("r", ValueKind::Word("unauthenticated-command".into())));
    assert!(matches!(&values[7].1, ValueKind::List(items) if items.len() == 2));
    assert!(matches!(&values[8].1, ValueKind::Map(entries) if entries[1].key.name == "anti_rollback"));
    assert_eq!(values[9], ("t", ValueKind::String("line one\n  indented".into())));
}

#[test]
fn parses_flow_headers() {
    let file = parse_ok("flow a->b\nflow sync: app <-> api \"Sync\" { medium: internet }");
    match &file.declarations[0].header {
        Header::Flow { name: None, from, to, direction: Direction::OneWay, .. } => {
            assert_eq!((from.name.as_str(), to.name.as_str()), ("a", "b"));
        }
        other => panic!("unexpected header {other:?}"),
    }
    match &file.declarations[1].header {
        Header::Flow { name: Some(name), direction: Direction::BothWays, .. } => assert_eq!(name.name, "sync"),
        other => panic!("unexpected header {other:?}"),
    }
}

#[test]
fn parses_decision_headers() {
    let file = parse_ok("accept replayable-command on bolus { owner: \"x\" }\ntransfer r on f to hdo");
    assert!(matches!(
        &file.declarations[0].header,
        Header::Decision { keyword: Keyword::Accept, rule, party: None, .. } if rule.name == "replayable-command"
    ));
    assert!(matches!(
        &file.declarations[1].header,
        Header::Decision { keyword: Keyword::Transfer, party: Some(party), .. } if party.name == "hdo"
    ));
}

#[test]
fn keeps_unknown_keywords_and_missing_colons_for_the_checker() {
    let file = parse_ok("compnent pump \"Pump\" { kind wearable\n os: rtos }");
    let declaration = &file.declarations[0];
    assert!(matches!(&declaration.header, Header::Unknown { keyword, .. } if keyword.name == "compnent"));
    let child = declaration.children().next().unwrap();
    assert!(
        matches!(&child.header, Header::Unknown { keyword, words } if keyword.name == "kind" && words[0].name == "wearable")
    );
    assert_eq!(declaration.attributes().count(), 1);
}

#[test]
fn attaches_doc_comments_to_the_next_declaration_only() {
    let file = parse_ok(
        "/// Line one\n/// line two\nsystem s\n\n/// Not attached: a blank comment follows\n// plain\nasset a\n\nboundary b {\n  /// Inner\n  component c\n}",
    );
    assert_eq!(file.declarations[0].doc.as_deref(), Some("Line one\nline two"));
    assert_eq!(file.declarations[1].doc, None);
    assert_eq!(file.declarations[2].children().next().unwrap().doc.as_deref(), Some("Inner"));
    assert_eq!(file.comments.len(), 5);
}

#[test]
fn recovers_at_the_next_top_level_declaration() {
    let parsed = parse("asset a { kind phi: }\nasset b { kind: phi }\ncomponent c { x: [1, }\nactor d");
    let ids: Vec<_> = parsed
        .file
        .declarations
        .iter()
        .map(|d| match &d.header {
            Header::Element { id, .. } => id.name.clone(),
            _ => String::new(),
        })
        .collect();
    // `c` misses a `]`, which is reported and read as if there: it survives its mistake.
    assert_eq!(ids, vec!["b", "c", "d"]);
    let codes: Vec<_> = parsed.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, vec!["E0101", "E0105"]);
}

/// A declaration read with a missing bracket put in keeps every span where it is in the source.
#[test]
fn repaired_declarations_keep_source_spans() {
    let text =
        "component pump {\n  functions: [a, b\n  update: { signed: true }\n  os: rtos\n}\nasset x { kind: phi }\n";
    let parsed = parse(text);
    assert_eq!(codes(text), vec!["E0105"]);
    let pump = &parsed.file.declarations[0];
    assert_eq!(pump.span, Span::new(0, text.find("}\nasset").unwrap() + 1));
    let names: Vec<(&str, usize)> = pump
        .block
        .iter()
        .flat_map(|block| &block.entries)
        .filter_map(|entry| match entry {
            Entry::Attribute(attribute) => Some((attribute.name.name.as_str(), attribute.name.span.start)),
            Entry::Declaration(_) => None,
        })
        .collect();
    assert_eq!(
        names,
        vec![("functions", 19), ("update", text.find("update").unwrap()), ("os", text.find("os:").unwrap())]
    );
    // The list ends where the `]` was put in: after `b`.
    let Some(Entry::Attribute(functions)) = pump.block.as_ref().map(|block| &block.entries[0]) else { panic!() };
    assert_eq!(functions.value.span.end, text.find("b\n").unwrap() + 1);
    assert_eq!(parsed.file.declarations[1].span.start, text.find("asset").unwrap());
}

#[test]
fn syntax_errors_say_what_was_expected() {
    let parsed = parse("asset a {\n  kind: \n}");
    let error = &parsed.diagnostics[0];
    assert_eq!(error.code, Code::SyntaxError);
    assert_eq!(error.message, "unexpected `}`");
    assert_eq!(error.label, "expected a value");
    let parsed = parse("flow a => b");
    assert_eq!(parsed.diagnostics[0].label, "expected `:`, `->` or `<->`");
}

#[test]
fn reports_bad_escapes_numbers_and_dates() {
    assert_eq!(codes("asset a { x: \"a\\qb\" }"), vec!["E0104"]);
    assert_eq!(codes("asset a { x: 99999999999999999999 }"), vec!["E0109"]);
    assert_eq!(codes("asset a { x: 2027-02-30 }"), vec!["E0110"]);
}

#[test]
fn unterminated_string_at_end_of_file() {
    assert_eq!(codes("asset a \"Patient rec"), vec!["E0102"]);
    assert_eq!(codes("asset a { reason: \"\"\"never closed"), vec!["E0103"]);
    assert_eq!(codes("asset a /* never closed"), vec!["E0103"]);
}

/// Runs `f` on a thread with a small stack, as test harnesses and editors do.
fn with_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new().stack_size(512 * 1024).spawn(f).unwrap().join().unwrap();
}

#[test]
fn deep_brackets_do_not_overflow_the_stack() {
    with_small_stack(|| {
        let depth = 100_000;
        let text = format!("asset a {{ x: {}{} }}", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(codes(&text), vec!["E0107"]);
        let unclosed = format!("asset a {{ x: {}", "[".repeat(depth));
        assert_eq!(codes(&unclosed), vec!["E0105", "E0107"]);
    });
}

#[test]
fn deep_boundaries_do_not_overflow_the_stack() {
    with_small_stack(|| {
        let depth = 100_000;
        let text = format!("{}{}", "boundary b {\n".repeat(depth), "}\n".repeat(depth));
        let parsed = parse(&text);
        let codes: Vec<_> = parsed.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, vec!["E0107"]);
        assert_eq!(parsed.file.declarations.len(), 1);
    });
}

#[test]
fn garbage_stops_after_too_many_errors() {
    let text = "@\n".repeat(10) + &"asset @\n".repeat(500);
    let parsed = parse(&text);
    assert_eq!(parsed.diagnostics.len(), MAX_SYNTAX_ERRORS + 1);
    assert_eq!(parsed.diagnostics.last().unwrap().code, Code::TooManyErrors);
}

#[test]
fn parallel_chunks_parse_exactly_like_one_pass() {
    let mut text = String::from("/// A large model.\nsystem s { function: monitoring, environment: hospital }\n");
    let mut index = 0;
    while text.len() < 2 * PARALLEL_BYTES {
        let _ = write!(
            text,
            "boundary b{index} {{ kind: clinical_vlan\n  component c{index} {{ kind: bedside, functions: [monitoring] }}\n}}\n/// Flow {index}.\nflow c{index} -> c{} {{ medium: ethernet, carries: [a] }}\n",
            index + 1
        );
        index += 1;
    }
    let scanned = scan::scan(&text);
    let sequential = parse_range(&text, &scanned, 0, text.len(), PIECEWISE_BYTES, &UNREPAIRED);
    let parallel = parse_chunks(&text, &scanned, PIECEWISE_BYTES, &UNREPAIRED);
    assert_eq!(parallel.0.len(), sequential.0.len());
    assert!(parallel.0 == sequential.0, "parallel parsing changed the tree");
    assert!(parallel.1.is_empty() && sequential.1.is_empty());
}

/// Every declaration parsed piecewise (threshold 0) gives the tree and diagnostics of parsing
/// it whole, for the example models, every diagnostic fixture, and edge cases of the pieces:
/// comments and commas between entries, labels with braces, an error deep inside, a byte-order
/// mark inside a block, a block left open.
#[test]
fn piecewise_parsing_matches_whole_parsing() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut texts: Vec<(String, String)> = Vec::new();
    for dir in ["models", "tests/fixtures/diagnostics"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "mtm")) {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            texts.push((path.display().to_string(), text));
        }
    }
    assert!(texts.len() > 30, "models and fixtures are found");
    for (name, text) in [
        ("entries", "boundary b \"B {x}\" { kind: clinical_vlan, /* c */ component c { kind: pump }, // d\n x: 1 ,}\n"),
        ("error inside", "system s {\n  boundary b { component c { kind: [ } }\n}\nasset a { harm: serious }\n"),
        ("bom inside", "boundary b {\n  \u{feff}kind: clinical_vlan\n}\n"),
        ("left open", "boundary b {\n  kind: clinical_vlan\n"),
        ("no block", "boundary b \"B\"\nasset a {}\n"),
        ("nested", "system s { boundary b { boundary c { component d {} } } }"),
    ] {
        texts.push((name.to_owned(), text.to_owned()));
    }
    for (name, text) in &texts {
        let scanned = scan::scan(text);
        let whole = parse_range(text, &scanned, 0, text.len(), usize::MAX, &UNREPAIRED);
        let pieces = parse_range(text, &scanned, 0, text.len(), 0, &UNREPAIRED);
        assert!(whole.0 == pieces.0, "{name}: piecewise parsing changed the tree");
        assert_eq!(whole.1, pieces.1, "{name}: piecewise parsing changed the diagnostics");
    }
}

#[test]
fn recovery_spans_are_never_reversed() {
    // Found by the `parse` fuzz target: a stray `{`, then a list left open at the end of file.
    for text in ["{\nactor a{s:[", "{\nactor a{s:[\n", "actor a{s:["] {
        for diagnostic in parse(text).diagnostics {
            assert!(diagnostic.span.start <= diagnostic.span.end, "{text:?}: {diagnostic:?}");
            assert!(diagnostic.span.end <= text.len(), "{text:?}: {diagnostic:?}");
        }
    }
}
