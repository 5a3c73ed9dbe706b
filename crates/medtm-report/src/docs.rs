//! Reference documentation generated from the single definitions (vocabularies, rules,
//! diagnostic codes), for the README. `cargo xtask docs` writes it between markers, and a test
//! fails when the README falls behind the code.

use std::fmt::Write as _;

use medtm_engine::rule::stride_letters;
use medtm_engine::rules::RULES;
use medtm_model::vocab::{ALL_VOCABULARIES, Vocabulary as _};
use medtm_syntax::Code;

/// The generated sections, by marker name.
pub fn sections() -> Vec<(&'static str, String)> {
    vec![("vocabularies", vocabularies()), ("rules", rules()), ("diagnostics", diagnostics())]
}

/// Replaces each `<!-- NAME:start -->` … `<!-- NAME:end -->` region of `text` with its generated
/// content. Regions whose markers are missing are left alone.
pub fn fill(text: &str) -> String {
    let mut out = text.to_owned();
    for (name, content) in sections() {
        let start = format!("<!-- {name}:start -->");
        let end = format!("<!-- {name}:end -->");
        if let (Some(from), Some(to)) = (out.find(&start), out.find(&end))
            && from < to
        {
            out.replace_range(from + start.len()..to, &format!("\n{content}"));
        }
    }
    out
}

fn vocabularies() -> String {
    let mut out = String::new();
    for vocabulary in ALL_VOCABULARIES {
        let _ = writeln!(
            out,
            "**{}**: {} `unknown` is taken as `{}`.\n",
            vocabulary.name,
            vocabulary.summary.trim(),
            vocabulary.unknown_means
        );
        let _ = writeln!(out, "| word | meaning for the analysis |\n|---|---|");
        for word in vocabulary.words {
            let _ = writeln!(out, "| `{}` | {} |", word.word, word.meaning);
        }
        out.push('\n');
    }
    out
}

fn rules() -> String {
    let mut out = String::from(
        "| code | name | STRIDE | family | CWE | CAPEC | controls | threat |\n|---|---|---|---|---|---|---|---|\n",
    );
    for rule in RULES {
        let ids = |ids: &[u32]| ids.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
        let categories: Vec<&str> = rule.answered_by().iter().map(|c| c.as_str()).collect();
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} | {} | {} | {} |",
            rule.code,
            rule.name,
            stride_letters(rule.stride),
            rule.family.name(),
            ids(rule.cwe),
            ids(rule.capec),
            categories.join(", "),
            rule.title
        );
    }
    out
}

fn diagnostics() -> String {
    let mut out = String::from("| code | severity | meaning |\n|---|---|---|\n");
    for code in Code::ALL {
        let _ = writeln!(out, "| {} | {} | {} |", code.as_str(), code.severity().as_str(), code.title());
    }
    out
}
