//! `medtm fmt` and the formatter behind it, end to end. Every example model and every fixture that
//! parses, and randomly generated models, are checked for the formatter's three promises:
//! - idempotent: formatting formatted text changes nothing;
//! - lossless: every comment is still there (the same texts, as many times each);
//! - meaning-preserving: the checked model (spans aside, see `Model::canonical_json`) and its
//!   diagnostics are the same before and after.
//!
//! The formatted example models and a deliberately messy model are snapshotted: read them as a
//! user would.

use std::path::{Path, PathBuf};

use medtm_model::CheckOptions;
use medtm_model::schema::{self, ValueType};
use medtm_syntax::ast::Keyword;
use medtm_syntax::format::format;
use medtm_tests::{medtm, models_in, root};
use proptest::prelude::*;

/// Each comment's text (without trailing spaces, which the formatter drops), sorted.
fn comments(text: &str) -> Vec<String> {
    let parsed = medtm_syntax::parse(text);
    let mut texts: Vec<String> =
        parsed.file.comments.iter().map(|comment| comment.span.slice(text).trim_end().to_owned()).collect();
    texts.sort();
    texts
}

/// What a model means: the checked model without spans, and every diagnostic without its place.
fn meaning(text: &str) -> (serde_json::Value, Vec<String>) {
    let checked = medtm_engine::check_text(text, CheckOptions { today: Some(jiff::civil::date(2026, 11, 28)) });
    let diagnostics = checked.diagnostics.iter().map(|d| format!("{} {}: {}", d.code, d.message, d.label)).collect();
    (checked.model.canonical_json(), diagnostics)
}

/// Formats `text`, asserts the three promises, and returns the formatted text.
fn format_well(name: &str, text: &str) -> Result<String, String> {
    let formatted = format(text).map_err(|errors| format!("{name} did not format: {errors:#?}"))?;
    let again = format(&formatted).map_err(|errors| format!("{name} formatted does not format: {errors:#?}"))?;
    if again != formatted {
        return Err(format!("{name}: formatting is not idempotent\n--- once:\n{formatted}\n--- twice:\n{again}"));
    }
    if comments(text) != comments(&formatted) {
        return Err(format!("{name}: comments changed\n--- before:\n{text}\n--- after:\n{formatted}"));
    }
    if meaning(text) != meaning(&formatted) {
        return Err(format!("{name}: the checked model changed\n--- before:\n{text}\n--- after:\n{formatted}"));
    }
    Ok(formatted)
}

fn mtm_files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            mtm_files_under(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "mtm") {
            found.push(path);
        }
    }
}

#[test]
fn every_model_and_fixture_that_parses_formats_well() {
    let mut files = models_in(&root().join("models"));
    mtm_files_under(&root().join("tests/fixtures"), &mut files);
    mtm_files_under(&root().join("crates/medtm-engine/tests/fixtures"), &mut files);
    let mut formatted = 0;
    for path in &files {
        let bytes = std::fs::read(path).expect("readable model");
        let Ok(text) = String::from_utf8(bytes) else { continue };
        if medtm_syntax::parse(&text).diagnostics.iter().any(medtm_syntax::Diagnostic::is_error) {
            continue;
        }
        if let Err(problem) = format_well(&path.display().to_string(), &text) {
            panic!("{problem}");
        }
        formatted += 1;
    }
    assert!(formatted >= 80, "only {formatted} of {} files were formatted", files.len());
}

/// The layout was chosen so that the design's examples are already in it. `models/` holds them
/// (extended and migrated to newer syntax) beside models of its own, and keeps every one of them
/// in it: a shipped model is what users copy.
#[test]
fn every_shipped_model_is_already_formatted() {
    let models = models_in(&root().join("models"));
    assert!(models.len() >= 5, "{} models", models.len());
    for path in models {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        assert!(format(&text).as_deref() == Ok(text.as_str()), "{} is not in the canonical layout", path.display());
    }
}

#[test]
fn every_example_model_formats_as_snapshotted() {
    for path in models_in(&root().join("models")) {
        let name = path.file_stem().and_then(|n| n.to_str()).expect("a UTF-8 name").to_owned();
        let text = std::fs::read_to_string(&path).expect("readable model");
        let formatted = format_well(&name, &text).unwrap_or_else(|problem| panic!("{problem}"));
        insta::assert_snapshot!(name, formatted);
    }
}

/// Bad indentation, odd spacing, long lines and lists, and comments in every kind of place.
const MESSY: &str = r#"// A model written in a hurry.


/// The system under review.
system   pump_system "Pump system"{function:therapeutic,environment:home   // where it lives
       version : "1.0" }
asset bolus "Bolus" { kind: therapy, harm: catastrophic } // the one that matters
asset record "Patient record"
{
        kind: phi
    patients : 120000,  // every patient in the cloud


    /* Not yet classified. */
    harm: serious
}
actor patient { role: patient, auth: biometric }
actor clinician { role: clinician, auth: mfa }
boundary body "On the body" { kind: enclosure
  component pump "Patch pump" { kind: wearable, functions: [therapy_delivery, alarm, monitoring], count: 40000, logging: local }
      component cgm "CGM" { kind: wearable }
  // Nothing else is worn.
}
component app "App" {kind:mobile_app,os:[ios,android]}
flow bolus_request: app -> pump /* over BLE */ "Bolus request" { medium: ble, carries: [bolus, // the command
   record] , authn: shared_secret }
flow cgm->pump{medium:ble carries:[record,]}
control button "A button press confirms every bolus" { category: authentication, covers: [bolus_request], mitigates: [unauthenticated-command, replayable-command, cleartext-sensitive-data], effect: {
  AV: P
  } , verified_by: ["TC-114" ,"TC-115"] }
accept replayable-command on bolus_request { reason: """
    Requests expire after 30 s;
      the pump checks its own clock.
    """ owner: "Security board" }
// End of the model.
"#;

#[test]
fn a_messy_model_formats_as_snapshotted() {
    let formatted = format_well("messy", MESSY).unwrap_or_else(|problem| panic!("{problem}"));
    insta::assert_snapshot!("messy", formatted);
}

// ---- Text blocks where a label goes --------------------------------------------------------

/// Every kind of declaration that takes a label, each with its label written as a `"""` text
/// block: on several lines and on one, before a block, a comment or nothing, nested in a
/// boundary, holding quotes, braces and `//`. With each, the text its label reads as.
const TEXT_BLOCK_LABELS: &str = r#"system pump_system """Insulin pump system""" { function: therapeutic, environment: home }

assumption gw_os """
  The gateway runs Windows CE, as the vendor's
  manual shows.
  """

asset record """
    Patient record, with "quotes",
      a { brace } and a // slash
    """ { kind: phi, harm: serious }

boundary ward """Ward network""" {
  kind: hospital_network
  component gateway """
    Infusion gateway
    """ /* the hub */ { kind: gateway }
  store logs """Logs"""   // kept on the gateway
}

actor nurse """Nurse""" { role: clinician }
software fw """Firmware 2.3""" { version: "2.3.0" }

flow orders: nurse -> gateway """
  Infusion orders
  """ { medium: wifi, carries: [record] }

control tls """
  TLS 1.2 on every link
  """ { category: encryption, covers: [orders] }

risk_matrix house """House matrix""" { high: { catastrophic: unacceptable } }

compnent typo """
  A misspelt keyword keeps its label too
  """
"#;

/// The text each label of [`TEXT_BLOCK_LABELS`] reads as (common indentation removed).
const TEXT_BLOCK_LABEL_TEXTS: &[&str] = &[
    "Insulin pump system",
    "The gateway runs Windows CE, as the vendor's\nmanual shows.",
    "Patient record, with \"quotes\",\n  a { brace } and a // slash",
    "Ward network",
    "Infusion gateway",
    "Logs",
    "Nurse",
    "Firmware 2.3",
    "Infusion orders",
    "TLS 1.2 on every link",
    "House matrix",
];

/// Each `"""` text block of `text`, as written.
fn text_blocks(text: &str) -> Vec<&str> {
    let quotes: Vec<usize> = text.match_indices("\"\"\"").map(|(at, _)| at).collect();
    quotes.chunks_exact(2).map(|pair| &text[pair[0]..pair[1] + 3]).collect()
}

/// Formatting never deletes text: `text` either formats well (idempotent, same comments, same
/// checked model) with every one of `pieces` still in it as written, or is refused, and then
/// `medtm fmt` leaves the file as it is.
fn never_loses(name: &str, text: &str, pieces: &[&str]) {
    if format(text).is_ok() {
        let formatted = format_well(name, text).unwrap_or_else(|problem| panic!("{problem}"));
        for piece in pieces {
            assert!(formatted.contains(piece), "{name}: {piece:?} was lost\n--- formatted:\n{formatted}");
        }
    } else {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let file = dir.path().join("model.mtm");
        std::fs::write(&file, text).expect("writable");
        let run = medtm(&["fmt", path_arg(&file)], b"");
        assert_eq!(run.code, 1, "{name}: {run:?}");
        assert!(!run.stderr.is_empty(), "{name}: refused without saying why");
        assert_eq!(std::fs::read_to_string(&file).expect("readable"), text, "{name}: the file was changed");
    }
}

/// `medtm fmt` turned `assumption gw_os """..."""` into `assumption gw_os ""`: the parser read
/// the `""` of `"""` as an empty label and passed over the rest without an error, and the
/// formatter wrote only what the tree held. The formatter now checks that it skips nothing but
/// whitespace, commas and comments, and refuses to format rather than delete text.
#[test]
fn a_text_block_label_is_never_deleted() {
    let single = "assumption gw_os \"\"\"\n  The gateway runs Windows CE, as the vendor's\n  manual shows.\n  \"\"\"\n";
    never_loses("an assumption", single, &["The gateway runs Windows CE, as the vendor's\n  manual shows."]);
    let pieces = text_blocks(TEXT_BLOCK_LABELS);
    assert_eq!(pieces.len(), 12);
    never_loses("every declaration", TEXT_BLOCK_LABELS, &pieces);
    // What followed such a label was passed over too, block and all.
    let blocks = "asset a \"\"\"\n  A\n  \"\"\" { kind: phi, harm: serious }\nasset b\n";
    never_loses("a block after the label", blocks, &["\"\"\"\n  A\n  \"\"\"", "harm: serious"]);
}

/// A text block that stands where nothing holds it is refused, with an error at it, never
/// deleted (the parser passes over it without an error of its own).
#[test]
fn a_stray_text_block_is_refused_not_deleted() {
    for text in [
        "asset a { kind: phi }\n\"\"\"\n  stray\n  \"\"\"\nasset b\n",
        "asset a { kind: phi } \"\"\"stray\"\"\"\n",
        "asset a \"A\" \"\"\"stray\"\"\"\n",
        "  \"\"\"\n stray\n\"\"\"",
    ] {
        let errors = format(text).expect_err(text);
        assert_eq!(errors.first().map(|error| error.span.start), text.find("\"\"\""), "{text:?}: {errors:#?}");
        never_loses("a stray text block", text, &[]);
    }
}

/// A label written as a text block stays a text block with its text, for every kind of
/// declaration, also in a boundary large enough to be parsed an entry at a time.
#[test]
fn a_text_block_label_keeps_its_text() {
    use std::fmt::Write as _;
    let formatted = format_well("text-block labels", TEXT_BLOCK_LABELS).unwrap_or_else(|problem| panic!("{problem}"));
    for block in text_blocks(TEXT_BLOCK_LABELS) {
        assert!(formatted.contains(block), "{block:?} was lost\n--- formatted:\n{formatted}");
    }
    let model = meaning(&formatted).0.to_string();
    for text in TEXT_BLOCK_LABEL_TEXTS {
        let json = serde_json::Value::from(*text).to_string();
        assert!(model.contains(&json), "the checked model has no label {text:?}: {model}");
    }
    let stores = (0..4000).fold(String::new(), |mut stores, i| {
        let _ = writeln!(stores, "  store log_{i:04}");
        stores
    });
    let large = format!("boundary big \"\"\"\n  A large ward\n  \"\"\" {{\n  kind: hospital_network\n{stores}}}\n");
    let formatted = format_well("a large boundary", &large).unwrap_or_else(|problem| panic!("{problem}"));
    assert_eq!(formatted, large);
    assert!(meaning(&formatted).0.to_string().contains("\"A large ward\""));
}

// ---- Random models --------------------------------------------------------------------------

/// Choices read from proptest's bytes, so that shrinking the bytes shrinks the model.
struct Tape {
    bytes: Vec<u8>,
    at: usize,
}

impl Tape {
    fn pick(&mut self, n: usize) -> usize {
        let byte = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        usize::from(byte) % n.max(1)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.pick(100) < percent
    }

    fn one<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.pick(items.len())]
    }
}

/// Writes a random model that parses: declarations from the schema, with random layout and
/// comments of every kind wherever whitespace may go.
struct Generator {
    tape: Tape,
    out: String,
    comments: usize,
    /// Declared ids and what they are, for references.
    ids: Vec<(String, Keyword)>,
}

impl Generator {
    fn comment(&mut self) -> String {
        self.comments += 1;
        let n = self.comments;
        match self.tape.pick(4) {
            0 => format!(" // note {n}\n"),
            1 => format!(" /* note {n} */ "),
            2 => format!("\n/// doc {n}\n"),
            _ => format!("\n\n    // note {n} on a line of its own\n"),
        }
    }

    /// Whitespace where it may be left out.
    fn gap(&mut self) {
        let gap = match self.tape.pick(12) {
            0..=4 => String::new(),
            5 | 6 => " ".to_owned(),
            7 => "\n".to_owned(),
            8 => "\n        ".to_owned(),
            _ => self.comment(),
        };
        self.out.push_str(&gap);
    }

    /// Whitespace where some is needed.
    fn space(&mut self) {
        let space = match self.tape.pick(12) {
            0..=5 => " ".to_owned(),
            6 => "   ".to_owned(),
            7 => "\n".to_owned(),
            8 => "\n\n\n\t".to_owned(),
            _ => self.comment(),
        };
        self.out.push_str(&space);
    }

    /// What separates two entries of a block.
    fn separator(&mut self) {
        let separator = match self.tape.pick(10) {
            0 | 1 => ", ".to_owned(),
            2 => ",".to_owned(),
            3 => " ".to_owned(),
            4..=6 => format!("\n{}", " ".repeat(self.tape.pick(9))),
            7 => "\n\n  ".to_owned(),
            _ => self.comment(),
        };
        self.out.push_str(&separator);
    }

    fn id(&mut self, keyword: Keyword) -> String {
        let stems = ["pump", "cloud_gateway", "patient_record_store", "bedside_monitor", "infusion_order"];
        let id = format!("{}_{}_{}", keyword.as_str(), self.tape.one(&stems), self.ids.len());
        self.ids.push((id.clone(), keyword));
        id
    }

    fn ids_of(&self, keywords: &[Keyword]) -> Vec<String> {
        self.ids.iter().filter(|(_, keyword)| keywords.contains(keyword)).map(|(id, _)| id.clone()).collect()
    }

    /// `[a, b, c]` with random spacing, comments and a trailing comma.
    fn list(&mut self, items: &[String]) {
        self.out.push('[');
        for (index, item) in items.iter().enumerate() {
            self.gap();
            if index > 0 {
                self.out.push(',');
                self.gap();
            }
            self.out.push_str(item);
        }
        if !items.is_empty() && self.tape.chance(30) {
            self.out.push(',');
        }
        self.gap();
        self.out.push(']');
    }

    /// `{ key: value, ... }` with random spacing and comments.
    fn map(&mut self, entries: &[(String, String)]) {
        self.out.push('{');
        for (index, (key, value)) in entries.iter().enumerate() {
            if index > 0 {
                self.separator();
            } else {
                self.gap();
            }
            self.out.push_str(key);
            self.gap();
            self.out.push(':');
            self.gap();
            self.out.push_str(value);
        }
        self.gap();
        self.out.push('}');
    }

    fn some_of(&mut self, pool: &[&str], at_most: usize) -> Vec<String> {
        let count = 1 + self.tape.pick(at_most);
        (0..count).map(|_| self.tape.one(pool).to_owned()).collect()
    }

    fn value(&mut self, ty: ValueType) {
        let texts = [
            r#""2.3.0""#,
            r#""Quoted \"name\" and a back\\slash""#,
            r#""caf\u{e9} au lait""#,
            r#""pkg:generic/freertos@10.4.3""#,
            "\"\"\"\n    First line\n      indented second line\n    \"\"\"",
        ];
        match ty {
            ValueType::Word(vocabulary) => {
                let word = vocabulary.words[self.tape.pick(vocabulary.words.len())].word;
                self.out.push_str(word);
            }
            ValueType::Words(vocabulary) => {
                let words: Vec<&str> = vocabulary.words.iter().map(|info| info.word).collect();
                if self.tape.chance(50) {
                    let chosen = self.some_of(&words, 5);
                    self.list(&chosen);
                } else {
                    let word = self.tape.one(&words);
                    self.out.push_str(word);
                }
            }
            ValueType::Boolean => {
                let word = self.tape.one(&["true", "false"]);
                self.out.push_str(word);
            }
            ValueType::Count => {
                let number = self.tape.one(&["0", "1", "499", "500", "120000"]);
                self.out.push_str(number);
            }
            ValueType::Text => {
                let text = self.tape.one(&texts);
                self.out.push_str(text);
            }
            ValueType::Date => {
                let date = self.tape.one(&["2027-06-30", "2020-01-31"]);
                self.out.push_str(date);
            }
            ValueType::References(kinds) => {
                let keywords: Vec<Keyword> = Keyword::ALL
                    .iter()
                    .copied()
                    .filter(|keyword| schema::symbol_kind(*keyword).is_some_and(|kind| kinds.contains(&kind)))
                    .collect();
                let pool = self.ids_of(&keywords);
                let pool: Vec<&str> = pool.iter().map(String::as_str).collect();
                let chosen = if pool.is_empty() { Vec::new() } else { self.some_of(&pool, 8) };
                self.list(&chosen);
            }
            ValueType::Rules => {
                let rules = ["unauthenticated-command", "replayable-command", "cleartext-sensitive-data", "MTM001"];
                let chosen = self.some_of(&rules, 4);
                self.list(&chosen);
            }
            ValueType::Texts => {
                let chosen = self.some_of(&[r#""TC-114""#, r#""PEN-2026-04""#, r#""VER-UPD-007""#], 3);
                self.list(&chosen);
            }
            ValueType::Flags(flags) => {
                let names: Vec<&str> = flags.iter().map(|flag| flag.name).collect();
                let keys = self.some_of(&names, names.len());
                let entries = self.entries(keys, &["true", "false"]);
                self.map(&entries);
            }
            ValueType::WordMap { keys, values } => {
                let key_words: Vec<&str> = keys.words.iter().map(|info| info.word).collect();
                let value_words: Vec<&str> = values.words.iter().map(|info| info.word).collect();
                let chosen = self.some_of(&key_words, 4);
                let entries = self.entries(chosen, &value_words);
                self.map(&entries);
            }
            ValueType::Effect => {
                let keys = self.some_of(&["AV", "AC", "PR", "UI"], 4);
                let entries = self.entries(keys, &["P", "H", "R"]);
                self.map(&entries);
            }
            ValueType::MatrixRow => {
                let keys = self.some_of(&["negligible", "minor", "serious", "critical", "catastrophic"], 5);
                let entries = self.entries(keys, &["acceptable", "review", "unacceptable"]);
                self.map(&entries);
            }
            ValueType::Response => {
                // The response's own attributes, each at most once, written as a map.
                self.out.push('{');
                let mut first = true;
                for spec in schema::RESPONSE {
                    if self.tape.chance(50) {
                        if !first {
                            self.out.push(',');
                        }
                        first = false;
                        self.gap();
                        self.out.push_str(spec.name);
                        self.out.push(':');
                        self.gap();
                        self.value(spec.ty);
                    }
                }
                self.gap();
                self.out.push('}');
            }
        }
    }

    /// Map entries with distinct keys.
    fn entries(&mut self, mut keys: Vec<String>, values: &[&str]) -> Vec<(String, String)> {
        keys.sort();
        keys.dedup();
        keys.into_iter().map(|key| (key, self.tape.one(values).to_owned())).collect()
    }

    /// Some of the keyword's attributes, each at most once, in schema order, right after a `{`.
    fn attributes(&mut self, keyword: Keyword) {
        let mut first = true;
        for spec in schema::attributes(keyword) {
            if self.tape.chance(45) {
                if first {
                    self.gap();
                } else {
                    self.separator();
                }
                first = false;
                self.out.push_str(spec.name);
                self.gap();
                self.out.push(':');
                self.gap();
                self.value(spec.ty);
            }
        }
    }

    fn before_declaration(&mut self) {
        let before = match self.tape.pick(6) {
            0 | 1 => "\n".to_owned(),
            2 => "\n\n".to_owned(),
            3 => "\n\n\n    ".to_owned(),
            _ => self.comment() + "\n",
        };
        self.out.push_str(&before);
    }

    fn label(&mut self) {
        if self.tape.chance(60) {
            self.space();
            let label = self.tape.one(&[r#""Patch pump""#, r#""The \"main\" one""#, r#""Données patient""#]);
            self.out.push_str(label);
        }
    }

    /// `keyword id "label" { attributes nested }`
    fn element(&mut self, keyword: Keyword, depth: usize) {
        self.before_declaration();
        let id = self.id(keyword);
        self.out.push_str(keyword.as_str());
        self.space();
        self.out.push_str(&id);
        self.label();
        if !self.tape.chance(85) {
            return;
        }
        self.gap();
        self.out.push('{');
        self.attributes(keyword);
        if keyword == Keyword::Boundary && depth < 2 {
            for _ in 0..self.tape.pick(4) {
                let child = self.tape.pick(4);
                let child = [Keyword::Component, Keyword::Store, Keyword::Actor, Keyword::Boundary][child];
                self.element(child, depth + 1);
            }
        }
        self.gap();
        self.out.push('}');
    }

    fn flow(&mut self) {
        let ends = self.ids_of(&[Keyword::Component, Keyword::Store, Keyword::Actor]);
        if ends.len() < 2 {
            return;
        }
        let from = self.tape.pick(ends.len());
        let to = (from + 1 + self.tape.pick(ends.len() - 1)) % ends.len();
        let (from, to) = (&ends[from], &ends[to]);
        self.before_declaration();
        self.out.push_str("flow");
        self.space();
        if self.tape.chance(70) {
            let name = self.id(Keyword::Flow);
            self.out.push_str(&name);
            self.gap();
            self.out.push(':');
            self.gap();
        }
        let (from, to) = (from.clone(), to.clone());
        self.out.push_str(&from);
        self.gap();
        let arrow = self.tape.one(&["->", "<->"]);
        self.out.push_str(arrow);
        self.gap();
        self.out.push_str(&to);
        self.label();
        self.gap();
        self.out.push('{');
        self.attributes(Keyword::Flow);
        self.gap();
        self.out.push('}');
    }

    fn decision(&mut self) {
        let subjects = self.ids_of(&[Keyword::Flow, Keyword::Component]);
        let Some(subject) = subjects.first().cloned() else { return };
        self.before_declaration();
        let keyword = if self.tape.chance(50) { Keyword::Accept } else { Keyword::Transfer };
        self.out.push_str(keyword.as_str());
        self.space();
        let rule = self.tape.one(&["replayable-command", "unauthenticated-command"]);
        self.out.push_str(rule);
        self.space();
        self.out.push_str("on");
        self.space();
        self.out.push_str(&subject);
        if keyword == Keyword::Transfer {
            self.space();
            self.out.push_str("to");
            self.space();
            let party = self.tape.one(&["hdo", "patient"]);
            self.out.push_str(party);
        }
        self.gap();
        self.out.push('{');
        self.attributes(keyword);
        self.gap();
        self.out.push('}');
    }

    fn model(bytes: Vec<u8>) -> String {
        let mut generator = Generator { tape: Tape { bytes, at: 0 }, out: String::new(), comments: 0, ids: Vec::new() };
        let g = &mut generator;
        g.element(Keyword::System, 0);
        for _ in 0..=g.tape.pick(3) {
            g.element(Keyword::Asset, 0);
        }
        for _ in 0..g.tape.pick(3) {
            g.element(Keyword::Software, 0);
        }
        for _ in 0..g.tape.pick(3) {
            g.element(Keyword::Boundary, 0);
        }
        for _ in 0..2 + g.tape.pick(2) {
            let keyword = if g.tape.chance(70) { Keyword::Component } else { Keyword::Actor };
            g.element(keyword, 0);
        }
        for _ in 0..=g.tape.pick(4) {
            g.flow();
        }
        for _ in 0..g.tape.pick(3) {
            g.element(Keyword::Control, 0);
        }
        if g.tape.chance(50) {
            g.decision();
        }
        if g.tape.chance(30) {
            g.element(Keyword::Assumption, 0);
        }
        if g.tape.chance(50) {
            let comment = g.comment();
            g.out.push_str(&comment);
        }
        generator.out
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_models_format_well(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let text = Generator::model(bytes);
        let errors: Vec<_> =
            medtm_syntax::parse(&text).diagnostics.into_iter().filter(medtm_syntax::Diagnostic::is_error).collect();
        prop_assert!(errors.is_empty(), "the generator wrote a model that does not parse: {:?}\n{}", errors, text);
        if let Err(problem) = format_well("a random model", &text) {
            prop_assert!(false, "{}", problem);
        }
    }
}

// ---- The command line ---------------------------------------------------------------------

/// A folder with a messy model and a formatted one.
fn folder() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let messy = dir.path().join("messy.mtm");
    let tidy = dir.path().join("tidy.mtm");
    std::fs::write(&messy, MESSY).expect("writable");
    std::fs::write(&tidy, format(MESSY).expect("formats")).expect("writable");
    (dir, messy, tidy)
}

fn path_arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temporary path")
}

/// Sets a file's modification time far in the past, so that any write would show.
fn age(path: &Path) -> std::time::SystemTime {
    let past = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    std::fs::File::options().write(true).open(path).and_then(|file| file.set_modified(past)).expect("settable mtime");
    past
}

fn modified(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path).and_then(|meta| meta.modified()).expect("a modification time")
}

#[test]
fn fmt_rewrites_files_that_change_and_leaves_the_others_untouched() {
    let (dir, messy, tidy) = folder();
    let past = age(&tidy);
    let run = medtm(&["fmt", path_arg(&messy), path_arg(&tidy)], b"");
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", ""));
    assert_eq!(std::fs::read_to_string(&messy).expect("readable"), format(MESSY).expect("formats"));
    assert_eq!(modified(&tidy), past, "an unchanged file was written");
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("listable").filter_map(Result::ok).collect();
    assert_eq!(left.len(), 2, "temporary files were left behind: {left:?}");
}

#[test]
fn fmt_check_lists_what_would_change_and_changes_nothing() {
    let (_dir, messy, tidy) = folder();
    let past = age(&messy);
    let run = medtm(&["fmt", "--check", path_arg(&messy), path_arg(&tidy)], b"");
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout, format!("{}\n", messy.display()));
    assert_eq!(std::fs::read_to_string(&messy).expect("readable"), MESSY);
    assert_eq!(modified(&messy), past);
    let clean = medtm(&["fmt", "--check", path_arg(&tidy), "models/insulin-pump.mtm"], b"");
    assert_eq!((clean.code, clean.stdout.as_str()), (0, ""));
}

#[test]
fn fmt_formats_standard_input_to_standard_output() {
    let run = medtm(&["fmt", "-"], MESSY.as_bytes());
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, format(MESSY).expect("formats"));
    let check = medtm(&["fmt", "--check", "-"], MESSY.as_bytes());
    assert_eq!((check.code, check.stdout.as_str()), (1, "<stdin>\n"));
    let tidy = format(MESSY).expect("formats");
    let check = medtm(&["fmt", "--check", "-"], tidy.as_bytes());
    assert_eq!((check.code, check.stdout.as_str()), (0, ""));
}

#[test]
fn fmt_leaves_a_file_with_syntax_errors_alone_and_shows_them() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let broken = dir.path().join("broken.mtm");
    let text = "asset a {\n  kind:\n}\nasset   b\n";
    std::fs::write(&broken, text).expect("writable");
    let run = medtm(&["fmt", path_arg(&broken)], b"");
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("E0101") && run.stderr.contains("expected a value"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&broken).expect("readable"), text);
    let not_utf8 = medtm(&["fmt", "-"], b"asset a \xff\n");
    assert_eq!((not_utf8.code, not_utf8.stdout.as_str()), (1, ""));
    assert!(not_utf8.stderr.contains("E0001"), "{}", not_utf8.stderr);
}

#[test]
fn fmt_exits_two_when_a_file_cannot_be_read_and_still_formats_the_rest() {
    let (_dir, messy, _tidy) = folder();
    let run = medtm(&["fmt", "no-such-model.mtm", path_arg(&messy)], b"");
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.stderr, "error: cannot read no-such-model.mtm: no such file\n");
    assert_eq!(std::fs::read_to_string(&messy).expect("readable"), format(MESSY).expect("formats"));
}

#[cfg(unix)]
#[test]
fn fmt_keeps_permissions_and_writes_through_symbolic_links() {
    use std::os::unix::fs::PermissionsExt as _;
    let (dir, messy, _tidy) = folder();
    std::fs::set_permissions(&messy, std::fs::Permissions::from_mode(0o640)).expect("settable permissions");
    let link = dir.path().join("link.mtm");
    std::os::unix::fs::symlink(&messy, &link).expect("a symbolic link");
    let run = medtm(&["fmt", path_arg(&link)], b"");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(std::fs::symlink_metadata(&link).expect("the link").file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&messy).expect("readable"), format(MESSY).expect("formats"));
    let mode = std::fs::metadata(&messy).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}
