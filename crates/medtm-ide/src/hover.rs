//! Hover: what a keyword, attribute, word, rule, flag or CVSS metric means (the text of
//! `medtm explain`), and for an id, its declaration and the findings on it. The syntax tree
//! says what the pointer is on; where the text being typed does not parse there, the lexical
//! cursor context still explains the word.

use std::fmt::Write as _;

use medtm_engine::{Checked, Finding};
use medtm_model::model::{AssetId, SymbolKind};
use medtm_model::schema;
use medtm_report::explain;
use medtm_syntax::Span;
use medtm_syntax::ast::Keyword;

use crate::context::{self, Context};
use crate::declared;
use crate::lex;
use crate::locate::{self, Target};

/// Findings listed in a hover before the rest are counted.
const MAX_FINDINGS: usize = 10;

/// What the pointer is on, and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub span: Span,
    pub parts: Vec<HoverPart>,
}

/// A piece of a hover's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoverPart {
    /// Preformatted text, laid out in columns (`medtm explain`'s).
    Explanation(String),
    /// Prose with Markdown emphasis and code spans.
    Markdown(String),
}

impl Hover {
    /// The text as Markdown, explanations fenced as plain text.
    pub fn markdown(&self) -> String {
        self.render(|part| match part {
            HoverPart::Explanation(text) => format!("```text\n{}\n```", text.trim_end()),
            HoverPart::Markdown(text) => text.clone(),
        })
    }

    /// The text without markup, for a plain tooltip.
    pub fn plain_text(&self) -> String {
        self.render(|part| match part {
            HoverPart::Explanation(text) => text.trim_end().to_owned(),
            HoverPart::Markdown(text) => text.replace("**", "").replace('`', ""),
        })
    }

    fn render(&self, part: impl Fn(&HoverPart) -> String) -> String {
        self.parts.iter().map(part).collect::<Vec<_>>().join("\n\n")
    }
}

/// The hover for what is at byte `offset`.
pub fn hover(text: &str, checked: &Checked, offset: usize) -> Option<Hover> {
    let Some(located) = locate::at(&checked.file, &checked.model, offset) else {
        return lexical(text, checked, offset);
    };
    Some(Hover { span: located.span, parts: vec![part(checked, &located.target)?] })
}

fn part(checked: &Checked, target: &Target) -> Option<HoverPart> {
    Some(match target {
        Target::Keyword(keyword) => explained(keyword.as_str())?,
        Target::Attribute { keyword, spec } => explained(&format!("{keyword}.{}", spec.name))?,
        Target::Word { word, .. } => explained(word)?,
        Target::Unknown => explained(medtm_model::vocab::UNKNOWN)?,
        Target::Rule(name) => HoverPart::Explanation(explain::explain_rule(medtm_engine::rule(name)?)),
        Target::Flag(flag) => HoverPart::Markdown(format!(
            "**{}**: {} Default: `{}`; `unknown` is taken as `{}` and listed as an open question.",
            flag.name, flag.meaning, flag.default, flag.unknown_means
        )),
        Target::Metric(metric) => HoverPart::Explanation(format!(
            "{} ({})\n\n  {}\n  Values: {}\n",
            metric.abbreviation,
            metric.title(),
            metric.description,
            metric.values_text()
        )),
        Target::Id(id) => HoverPart::Markdown(declaration(checked, id)?),
    })
}

fn explained(word: &str) -> Option<HoverPart> {
    explain::explain(word).ok().map(HoverPart::Explanation)
}

/// The hover for the word at `offset`, read from the text before it, for text that does not
/// parse there: nothing inside a comment or a string.
fn lexical(text: &str, checked: &Checked, offset: usize) -> Option<Hover> {
    let (start, end) = lex::word_around(text, offset);
    let word = text.get(start..end).filter(|word| !word.is_empty())?;
    let before = &text[..start];
    if lex::in_comment_or_string(before) {
        return None;
    }
    let target = match context::at(before) {
        Some(Context::Block { keyword, .. }) => {
            schema::attribute(keyword, word).map(|spec| Target::Attribute { keyword, spec })
        }
        Some(Context::MapKey { keyword, attribute, .. }) => map_key(keyword, &attribute, word),
        _ => None,
    };
    let target = target.or_else(|| checked.model.lookup(word).map(|_| Target::Id(word.to_owned())));
    let part = match target {
        Some(target) => part(checked, &target)?,
        None => explained(word)?,
    };
    Some(Hover { span: Span::new(start, end), parts: vec![part] })
}

/// A key of the map an attribute takes: an update flag, a response attribute or a CVSS metric.
fn map_key(keyword: Keyword, attribute: &str, key: &str) -> Option<Target> {
    locate::key_target(keyword, schema::attribute(keyword, attribute)?.ty, key)
}

/// An id's declaration (kind, label, where it sits) and its findings.
fn declaration(checked: &Checked, id: &str) -> Option<String> {
    let model = &checked.model;
    let symbol = model.lookup(id)?;
    let meta = declared::meta(model, symbol)?;
    let mut out = format!("{} `{id}`", symbol.kind.as_str());
    if meta.label != meta.id {
        let _ = write!(out, ": {}", meta.label);
    }
    out.push('\n');
    if let Some(place) = declared::place(model, symbol) {
        let _ = write!(out, "\n{place}\n");
    }
    if let Some(doc) = &meta.doc {
        let _ = write!(out, "\n{}\n", doc.trim());
    }
    let (all, so_far) = match &checked.analysis {
        Some(analysis) => (&analysis.findings, ""),
        None if checked.findings_despite_errors.is_empty() => {
            out.push_str("\n*Findings appear once the model has no errors.*");
            return Some(out);
        }
        None => (&checked.findings_despite_errors, " so far (the model has errors)"),
    };
    let findings: Vec<&Finding> = match symbol.kind {
        SymbolKind::Asset => all.iter().filter(|finding| finding.assets.contains(&AssetId(symbol.index))).collect(),
        _ => all.iter().filter(|finding| model.subject_id(finding.subject) == id).collect(),
    };
    let about = if symbol.kind == SymbolKind::Asset { "involving it" } else { "on it" };
    if findings.is_empty() {
        let _ = write!(out, "\nNo findings {about}{so_far}.");
        return Some(out);
    }
    let plural = if findings.len() == 1 { "" } else { "s" };
    let _ = writeln!(out, "\n**{} finding{plural} {about}{so_far}**\n", findings.len());
    for finding in findings.iter().take(MAX_FINDINGS) {
        let subject_id = model.subject_id(finding.subject);
        let subject = if subject_id == id { String::new() } else { format!(" on `{subject_id}`") };
        let _ = writeln!(
            out,
            "- #{} **{}** residual, {}: `{}` {}{subject}: {}.",
            finding.rank,
            finding.residual.level,
            finding.status.as_str(),
            finding.rule.code,
            finding.rule.name,
            finding.explanation
        );
    }
    if findings.len() > MAX_FINDINGS {
        let _ = writeln!(out, "- and {} more", findings.len() - MAX_FINDINGS);
    }
    Some(out.trim_end().to_owned())
}
