//! `medtm rules`: the catalogue.

use medtm_engine::rule::stride_letters;
use medtm_engine::rules::RULES;
use medtm_model::vocab::Vocabulary as _;

use crate::args::RulesFormat;
use crate::{Io, Outcome};

pub fn run(format: RulesFormat, io: &mut Io<'_>) -> Outcome {
    match format {
        RulesFormat::Text => {
            let answered: Vec<String> = RULES
                .iter()
                .map(|rule| rule.answered_by().iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "))
                .collect();
            let width = answered.iter().map(String::len).max().unwrap_or(0).max("controls".len());
            let _ = writeln!(
                io.stdout,
                "{:<6}  {:<36}  {:<6}  {:<11}  {:<width$}  title",
                "code", "name", "STRIDE", "family", "controls"
            );
            for (rule, answered) in RULES.iter().zip(&answered) {
                let _ = writeln!(
                    io.stdout,
                    "{:<6}  {:<36}  {:<6}  {:<11}  {answered:<width$}  {}",
                    rule.code,
                    rule.name,
                    stride_letters(rule.stride),
                    rule.family.name(),
                    rule.title
                );
            }
            let _ = writeln!(io.stdout, "\n{} rules; `medtm explain NAME` prints a rule's documentation.", RULES.len());
        }
        RulesFormat::Json => {
            let rules: Vec<serde_json::Value> = RULES
                .iter()
                .map(|rule| {
                    serde_json::json!({
                        "code": rule.code,
                        "name": rule.name,
                        "title": rule.title,
                        "stride": stride_letters(rule.stride),
                        "cwe": rule.cwe,
                        "capec": rule.capec,
                        "attack_techniques": rule.attack_techniques,
                        "control_categories": rule.answered_by().iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                        "family": rule.family.name(),
                        "detects": rule.docs.detects,
                        "why": rule.docs.why,
                        "mitigate": rule.docs.mitigate,
                        "example": rule.docs.example,
                    })
                })
                .collect();
            let _ = writeln!(io.stdout, "{}", serde_json::to_string_pretty(&rules).unwrap_or_default());
        }
    }
    Outcome::Success
}
