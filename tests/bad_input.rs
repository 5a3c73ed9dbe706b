//! Bad input never panics, hangs or overflows the stack: every byte sequence gets diagnostics.
//! Pathological cases from the issue, plus random and mutated inputs through the whole check.

use std::fmt::Write as _;

use medtm_model::CheckOptions;
use medtm_syntax::Code;
use proptest::prelude::*;

fn codes(bytes: &[u8]) -> Vec<Code> {
    let (_, checked) = medtm_engine::check_bytes(bytes, CheckOptions::default(), false);
    checked.diagnostics.iter().map(|d| d.code).collect()
}

/// Runs `f` on a thread with a 1 MiB stack, smaller than any editor or test harness thread.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new().stack_size(1024 * 1024).spawn(f).expect("spawn").join().expect("no panic");
}

#[test]
fn invalid_utf8_is_reported_at_its_byte() {
    let (text, checked) = medtm_engine::check_bytes(b"system s {}\n\xc3\x28 asset", CheckOptions::default(), false);
    assert_eq!(checked.diagnostics[0].code, Code::InvalidUtf8);
    assert_eq!(checked.diagnostics[0].span.start, 12);
    assert!(text.contains('\u{fffd}'));
}

#[test]
fn fifty_megabytes_of_model_check_in_one_pass() {
    on_small_stack(|| {
        let mut text = String::from("system big { function: monitoring, environment: hospital }\n");
        let mut index = 0;
        while text.len() < 50 * 1024 * 1024 {
            let _ = writeln!(
                text,
                "asset a{index} \"Event log {index}\" {{ kind: audit_log }}\nstore s{index} {{ holds: [a{index}] }}"
            );
            index += 1;
        }
        let (_, checked) = medtm_engine::check_bytes(text.as_bytes(), CheckOptions::default(), false);
        assert!(checked.diagnostics.is_empty(), "{:?}", &checked.diagnostics[..1]);
        assert_eq!(checked.model.assets.len(), index);
    });
}

#[test]
fn fifty_megabytes_of_garbage_get_a_bounded_list_of_errors() {
    on_small_stack(|| {
        let mut state = 0x2545_f491_u32;
        let bytes: Vec<u8> = (0..50 * 1024 * 1024)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                b"ab{}[]\"\n :/*-<>,"[(state % 16) as usize]
            })
            .collect();
        let found = codes(&bytes);
        let limit = medtm_syntax::limits::MAX_SYNTAX_ERRORS + medtm_syntax::limits::MAX_DIAGNOSTICS + 2;
        assert!(!found.is_empty() && found.len() <= limit, "{} diagnostics", found.len());
    });
}

#[test]
fn a_hundred_thousand_nested_brackets_or_boundaries() {
    on_small_stack(|| {
        let depth = 100_000;
        let brackets = format!("asset a {{ kind: [{}{}] }}", "[".repeat(depth), "]".repeat(depth));
        assert!(codes(brackets.as_bytes()).contains(&Code::NestingTooDeep));
        let unclosed = format!("asset a {{ kind: {}", "[".repeat(depth));
        assert!(codes(unclosed.as_bytes()).contains(&Code::NestingTooDeep));
        let boundaries = format!("{}{}", "boundary b { kind: enclosure\n".repeat(depth), "}\n".repeat(depth));
        assert!(codes(boundaries.as_bytes()).contains(&Code::NestingTooDeep));
    });
}

#[test]
fn unterminated_string_at_end_of_file() {
    assert_eq!(codes(b"system s \"Pump"), vec![Code::UnterminatedString]);
    assert_eq!(codes(b"system s { version: \"1.0"), vec![Code::UnterminatedString]);
    assert_eq!(codes(b"assumption a \"\"\"never closed"), vec![Code::UnterminatedComment]);
}

/// Every example model, as seeds for mutation.
/// A `<->` flow whose `returns` is not a map has no response; a decision about that response
/// is left unresolved, and the editors' analysis of the broken model does not panic on it.
/// (Found by `mutated_models_never_panic`.)
#[test]
fn a_decision_about_a_response_that_did_not_lower() {
    let text = "system s \"S\" { function: therapeutic, environment: home }\n\
        asset cmd \"C\" { kind: therapy, harm: catastrophic }\n\
        component a \"A\" { kind: mobile_app, os: ios }\n\
        component p \"P\" { kind: wearable, os: rtos, functions: [therapy_delivery] }\n\
        flow f: a <-> p \"F\" { medium: ble, carries: [cmd], authn: none, returns: [cmd] }\n\
        accept unauthenticated-command on f.response { reason: \"r\", owner: \"o\", review_by: 2027-01-01 }\n";
    let checked = medtm_engine::analyse_text_despite_errors(text, CheckOptions::default());
    assert!(
        checked.diagnostics.iter().any(|d| d.is_error() && d.message.contains("returns")),
        "{:?}",
        checked.diagnostics
    );
    assert!(checked.findings_despite_errors.iter().all(|finding| !finding.id.ends_with(".response")));
}

fn seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = medtm_tests::models_in(&medtm_tests::root().join("models"))
        .into_iter()
        .map(|path| std::fs::read(path).expect("readable model"))
        .collect();
    seeds.push(b"flow a -> b { medium: [ble, { x: \"\\u{110000}\" }] }".to_vec());
    seeds
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = codes(&bytes);
    }

    #[test]
    fn random_tokens_never_panic(tokens in proptest::collection::vec(
        prop::sample::select(vec![
            "system", "asset", "boundary", "component", "flow", "accept", "transfer", "on", "to", "x", "y",
            "{", "}", "[", "]", ":", ",", "->", "<->", "\"s\"", "\"\"\"t\"\"\"", "1", "-2.5", "2027-01-31",
            "true", "unknown", "//c\n", "/*c*/", "///d\n", "\n", "kind", "medium", "carries", "risk_matrix",
        ]),
        0..200,
    )) {
        let _ = codes(tokens.join(" ").as_bytes());
    }

    #[test]
    fn mutated_models_never_panic(
        seed in 0usize..6,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<u8>()), 1..16),
    ) {
        let seeds = seeds();
        let mut bytes = seeds[seed % seeds.len()].clone();
        for (index, kind, byte) in edits {
            if bytes.is_empty() {
                break;
            }
            let at = index.index(bytes.len());
            match kind {
                0 => bytes[at] = byte,
                1 => { bytes.remove(at); }
                2 => bytes.insert(at, byte),
                _ => {
                    // Duplicate a slice: repeats declarations and brackets.
                    let end = (at + usize::from(byte)).min(bytes.len());
                    let slice = bytes[at..end].to_vec();
                    bytes.splice(at..at, slice);
                }
            }
        }
        let _ = codes(&bytes);
        // The editors' path: a model with errors is analysed as far as it lowered.
        let _ = medtm_engine::analyse_text_despite_errors(&String::from_utf8_lossy(&bytes), CheckOptions::default());
    }
}

/// A diagnostic on a line of any length is drawn, with the line cut to a window around the label
/// and the header at the real line and column (miette alone panics past 65,535 columns).
#[test]
fn diagnostics_on_very_long_lines_are_drawn_shortened() {
    let root = medtm_tests::root().join("tests/fuzz/regressions/pipeline");
    for (name, header, label) in [
        ("wide-line-description", ":2:70019]", "not a keyword"),
        ("wide-line-brackets", ":1:74]", "level 65 starts here"),
    ] {
        let path = format!("tests/fuzz/regressions/pipeline/{name}");
        assert!(root.join(name).exists());
        let run = medtm_tests::medtm(&["check", &path], b"");
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        let drawn = format!("{}{}", run.stdout, run.stderr);
        assert!(drawn.contains(header), "{name}: no header {header} in\n{drawn}");
        assert!(drawn.contains(label), "{name}: no label `{label}`");
        assert!(drawn.contains('…'), "{name}: nothing marked as left out");
        let widest = drawn.lines().map(|line| line.trim_end().chars().count()).max().unwrap_or(0);
        assert!(widest <= 240, "{name}: a drawn line is {widest} characters wide");
    }
}
