//! Formatter tests: each rule of the layout on a small input, comments in every kind of place,
//! literals kept as written, refusal of broken input, and a fuzz test for panics and idempotence.

use proptest::prelude::*;

use super::*;

/// Formats `text`, checks that formatting the result changes nothing, and returns it.
fn fmt(text: &str) -> String {
    let formatted = format(text).unwrap_or_else(|errors| panic!("{text:?} did not format: {errors:#?}"));
    let again = format(&formatted).unwrap_or_else(|errors| panic!("{formatted:?} did not format: {errors:#?}"));
    assert_eq!(again, formatted, "formatting is not idempotent for {text:?}");
    formatted
}

/// Each item on a line of its own, indented and followed by `suffix`.
fn lines(indent: &str, items: &[String], suffix: &str) -> String {
    items.iter().map(|item| [indent, item, suffix, "\n"].concat()).collect()
}

#[test]
fn normalises_spacing_and_indentation() {
    assert_eq!(fmt("asset a{kind:phi,harm:serious}"), "asset a { kind: phi, harm: serious }\n");
    assert_eq!(
        fmt("boundary   b\t\"B\" {\n      kind :enclosure\n\tcomponent c {\n os: rtos\n      }\n}"),
        "boundary b \"B\" {\n  kind: enclosure\n  component c {\n    os: rtos\n  }\n}\n"
    );
    assert_eq!(fmt("flow a->b\nflow  n : a <-> b"), "flow a -> b\nflow n: a <-> b\n");
    assert_eq!(fmt("transfer r  on f\nto hdo { labeling: \"x\" }"), "transfer r on f to hdo { labeling: \"x\" }\n");
}

#[test]
fn a_block_stays_on_one_line_only_when_begun_there_and_it_fits() {
    assert_eq!(fmt("asset a {\n  kind: phi }"), "asset a {\n  kind: phi\n}\n");
    assert_eq!(fmt("asset a { kind: phi\n harm: minor }"), "asset a { kind: phi, harm: minor }\n");
    assert_eq!(fmt("asset a {\n}\nasset b { }"), "asset a {}\nasset b {}\n");
    // Nested declarations always take their own lines.
    assert_eq!(fmt("boundary b { kind: enclosure, actor p }"), "boundary b {\n  kind: enclosure\n  actor p\n}\n");
    let long = format!("asset a \"{}\" {{ kind: phi, harm: minor }}", "x".repeat(70));
    assert_eq!(fmt(&long), format!("asset a \"{}\" {{\n  kind: phi, harm: minor\n}}\n", "x".repeat(70)));
}

#[test]
fn attributes_of_one_line_stay_together_while_they_fit() {
    let text = "flow a -> b {\n  medium: ble, carries: [x]\n  authn: none\n}\n";
    assert_eq!(fmt(text), text);
    let words: Vec<String> = (0..12).map(|i| format!("attribute_{i}: value_{i}")).collect();
    let text = format!("component c {{\n  {}\n}}", words.join(", "));
    let expected = format!("component c {{\n{}}}\n", lines("  ", &words, ""));
    assert_eq!(fmt(&text), expected);
}

#[test]
fn lists_and_maps_wrap_past_the_width_with_a_trailing_comma() {
    let items: Vec<String> = (0..10).map(|i| format!("asset_number_{i}")).collect();
    let text = format!("flow a -> b {{ carries: [{}] }}", items.join(", "));
    let expected = format!("flow a -> b {{\n  carries: [\n{}  ]\n}}\n", lines("    ", &items, ","));
    assert_eq!(fmt(&text), expected);
    // A list broken by hand that fits is joined.
    assert_eq!(fmt("asset a {\n  kind: [\n    phi,\n    pii,\n  ]\n}"), "asset a {\n  kind: [phi, pii]\n}\n");
    let keys: Vec<String> = (0..9).map(|i| format!("flag_number_{i}: true")).collect();
    let text = format!("component c {{\n  update: {{ {} }}\n}}", keys.join(", "));
    let expected = format!("component c {{\n  update: {{\n{}  }}\n}}\n", lines("    ", &keys, ","));
    assert_eq!(fmt(&text), expected);
}

#[test]
fn blank_lines_set_apart_declarations_of_several_lines() {
    assert_eq!(fmt("asset a {\n  kind: phi\n}\nasset b"), "asset a {\n  kind: phi\n}\n\nasset b\n");
    // One-line declarations keep the grouping they were written with, at most one blank line.
    assert_eq!(fmt("actor a\nactor b\n\n\n\nactor c"), "actor a\nactor b\n\nactor c\n");
    // No blank line right after `{` or before `}`.
    assert_eq!(fmt("asset a {\n\n  kind: phi\n\n}\n\n"), "asset a {\n  kind: phi\n}\n");
    assert_eq!(
        fmt("boundary b {\n  kind: enclosure\n  component c {\n    os: rtos\n  }\n  component d { os: rtos }\n}"),
        "boundary b {\n  kind: enclosure\n  component c {\n    os: rtos\n  }\n\n  component d { os: rtos }\n}\n"
    );
}

#[test]
fn keeps_comments_where_they_were() {
    let text = "\
// Header comment.

/// Documentation of `a`.
asset a {   // after the brace
  kind: phi    // aligned
  harm: minor  // aligned
  /* before patients */ patients: 3
  // before the closing brace
}
// At the end of the file.
";
    assert_eq!(
        fmt(text),
        "\
// Header comment.

/// Documentation of `a`.
asset a {   // after the brace
  kind: phi    // aligned
  harm: minor  // aligned
  /* before patients */
  patients: 3
  // before the closing brace
}
// At the end of the file.
"
    );
}

#[test]
fn a_comment_in_a_list_breaks_it_and_stays_with_its_item() {
    assert_eq!(
        fmt("flow a -> b { carries: [x, // the x\n y /* why */, z] }"),
        "flow a -> b {\n  carries: [\n    x, // the x\n    y, /* why */\n    z,\n  ]\n}\n"
    );
    assert_eq!(fmt("asset a { kind: [ // nothing yet\n] }"), "asset a {\n  kind: [ // nothing yet\n  ]\n}\n");
}

#[test]
fn comments_inside_a_header_are_kept() {
    assert_eq!(fmt("flow a /* from */ -> b"), "flow a /* from */ -> b\n");
    assert_eq!(fmt("flow a // from\n-> b { medium: ble }"), "flow a // from\n  -> b {\n  medium: ble\n}\n");
    assert_eq!(fmt("flow n\n// odd\n: a -> b"), "flow n\n  // odd\n  : a -> b\n");
}

#[test]
fn literals_are_kept_exactly_as_written() {
    let text = "asset a \"\\u{e9}t\\u{e9} \\\"q\\\"\" { patients: -12, ratio: 0.50, when: 2027-06-30, flag: true }\n";
    assert_eq!(fmt(text), text);
    let block = "accept r on f {\n  reason: \"\"\"\n        kept\n      as written   \n    \"\"\"\n}\n";
    assert_eq!(fmt(block), block);
    let shifted = "accept r on f {\n      reason: \"\"\"\n  text\n  \"\"\" owner: \"o\"\n}";
    assert_eq!(fmt(shifted), "accept r on f {\n  reason: \"\"\"\n  text\n  \"\"\"\n  owner: \"o\"\n}\n");
}

#[test]
fn unknown_keywords_and_missing_colons_are_formatted_as_written() {
    assert_eq!(fmt("compnent  c { kind   wearable\n os: rtos }"), "compnent c {\n  kind wearable\n  os: rtos\n}\n");
}

#[test]
fn empty_files_comments_only_byte_order_marks_and_crlf() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\n\n  \n"), "");
    assert_eq!(fmt("  // only a comment  \n\n\n/* and another */"), "// only a comment\n\n/* and another */\n");
    assert_eq!(fmt("\u{feff}asset a   // c\n"), "\u{feff}asset a   // c\n");
    // A stray mark between declarations separates them, so it stays.
    assert_eq!(fmt("foo \u{feff} bar"), "foo\n\u{feff}bar\n");
    assert_eq!(fmt("asset a {\r\n  kind: phi // c\r\n}\r\n"), "asset a {\n  kind: phi // c\n}\n");
}

#[test]
fn refuses_text_with_syntax_errors() {
    let errors = format("asset a { kind: }\nasset b \"unterminated").expect_err("syntax errors");
    let codes: Vec<_> = errors.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, vec!["E0101", "E0102"]);
    assert!(format("asset a { x: 99999999999999999999 }").is_err());
}

/// Text made of the language's own tokens and trivia in any order; a little of it parses.
fn model_like_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "asset",
        "flow",
        "boundary",
        "component",
        "accept",
        " on ",
        " to ",
        "a",
        "b_1",
        "->",
        "<->",
        ":",
        ",",
        "{",
        "}",
        "[",
        "]",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\t",
        "\"s\"",
        "\"\\\"\"",
        "\"\"\"\n x\n\"\"\"",
        "12",
        "-3.5",
        "2027-01-31",
        "true",
        "// c\n",
        "/// d\n",
        "/* e */",
        "/*\n*/",
        "kind: phi",
        "\u{feff}",
        "é",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|pieces| pieces.concat())
}

/// Declarations written with a space between every two tokens (and none inside a token), for
/// [`trivia_between_tokens`].
const SNIPPETS: &[&str] = &[
    "system s \"S\" { function : therapeutic , environment : home }",
    "asset a { kind : [ phi , pii , ] harm : serious patients : 120 }",
    "boundary b { kind : enclosure component c \"C\" { kind : wearable , update : { signed : true } } store d }",
    "flow n : c -> d \"Label\" { medium : ble , carries : [ a ] , authn : none }",
    "flow c <-> d",
    "control k { category : integrity , covers : [ n ] , effect : { AV : P , PR : H } , verified_by : [ \"T-1\" ] }",
    "accept replayable-command on n { reason : \"\"\"\n\tTwo\n\t\tlines\n\"\"\" review_by : 2027-03-31 }",
    "transfer r on n to hdo { labeling : \"a\\\"b\\\"\\u{e9}\" ratio : -0.5 }",
    "assumption h \"Hostile\"",
    "compnent x { kind wearable os : rtos }",
];

/// What may stand between two tokens: spaces, line breaks, and comments of every kind.
const TRIVIA: &[&str] = &[
    " ",
    " ",
    " ",
    "  ",
    "\n",
    "\n\n\n",
    "\t",
    " // line\n",
    "  /// doc\n",
    " /* block */ ",
    "\n/* two\n lines */\n",
    "\n  // own line\n  ",
];

/// Snippets joined with random trivia between every two tokens.
fn trivia_between_tokens() -> impl Strategy<Value = String> {
    let snippets = prop::collection::vec(prop::sample::select(SNIPPETS), 1..6);
    let trivia = prop::collection::vec(prop::sample::select(TRIVIA), 400);
    (snippets, trivia).prop_map(|(snippets, trivia)| {
        let mut trivia = trivia.into_iter().cycle();
        let mut text = String::new();
        for snippet in snippets {
            for token in snippet.split(' ') {
                text.push_str(token);
                text.push_str(trivia.next().unwrap_or(" "));
            }
            text.push('\n');
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Comments and line breaks anywhere between tokens: the text formats (the formatter's own
    /// check confirms the same tree and the same comments), and formats to itself again.
    #[test]
    fn keeps_every_comment_wherever_it_is(text in trivia_between_tokens()) {
        let formatted = format(&text);
        prop_assert!(formatted.is_ok(), "refused: {:?}", formatted);
        let formatted = formatted.unwrap_or_default();
        prop_assert_eq!(format(&formatted).ok(), Some(formatted));
    }

    /// Any text: never a panic; text without syntax errors always formats (the safety net never
    /// has to step in), and formats to itself again; unless the parser passed over some of it
    /// without an error (a stray `"""` text block), which is then refused, never deleted.
    #[test]
    fn never_panics_and_is_idempotent(text in model_like_text()) {
        let parsed = crate::parse(&text);
        let well_formed = !parsed.diagnostics.iter().any(Diagnostic::is_error);
        let unread = layout::file(&text, &parsed.file).err();
        match format(&text) {
            Ok(formatted) => {
                prop_assert!(unread.is_none(), "text the parser did not read was formatted: {:?}", formatted);
                prop_assert_eq!(format(&formatted).ok(), Some(formatted));
            }
            Err(errors) => prop_assert!(
                !well_formed || unread.is_some_and(|span| errors[0].span == span),
                "well-formed text was refused: {:?}",
                errors
            ),
        }
    }
}
