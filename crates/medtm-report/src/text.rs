//! The terminal report: the ranked table first, then each finding, decisions, software, STRIDE
//! coverage, traceability, assumptions and open questions. Colour only when asked for.

use std::borrow::Cow;
use std::fmt::Write as _;

use owo_colors::OwoColorize as _;
use rayon::prelude::*;

use crate::dto::{Assumption, FindingReport, Report, RiskReport};
use crate::format::{Spill, element_counts, push_wrapped, push_wrapped_at, summary_counts};

/// Renders the report as plain text, with ANSI colours when `color` is set.
pub fn render(report: &Report, color: bool) -> String {
    crate::format::to_string(|out| write(report, color, out))
}

/// Writes the report as plain text, with ANSI colours when `color` is set, in pieces.
pub fn write(report: &Report, color: bool, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let paint = Paint { color };
    let mut out = Spill::new(out);
    header(&mut out, report, paint);
    ranked(&mut out, report, paint);
    details(&mut out, report, paint);
    decisions(&mut out, report, paint);
    software(&mut out, report, paint);
    coverage(&mut out, report, paint);
    traceability(&mut out, report, paint);
    bindings(&mut out, report, paint);
    assumptions(&mut out, report, paint);
    if !report.open_questions.is_empty() {
        section(&mut out, "OPEN QUESTIONS (values written as `unknown`, assumed the worst)", paint);
        for question in &report.open_questions {
            let _ = writeln!(out, "  {}.{} (line {})", question.subject, question.attribute, question.location.line);
            out.spill();
        }
    }
    out.finish()
}

#[derive(Clone, Copy)]
struct Paint {
    color: bool,
}

impl Paint {
    fn level(self, level: &str) -> Cow<'_, str> {
        if !self.color {
            return level.into();
        }
        match level {
            "unacceptable" => level.red().bold().to_string().into(),
            "review" => level.yellow().to_string().into(),
            _ => level.green().to_string().into(),
        }
    }

    /// A level in a 12-column table cell. Padding is applied before colour, so that escape codes
    /// do not upset the columns.
    fn level_cell(self, level: &str) -> Cow<'_, str> {
        if self.color { self.level(&format!("{level:<12}")).into_owned().into() } else { level.into() }
    }

    fn heading(self, text: &str) -> Cow<'_, str> {
        if self.color { text.bold().to_string().into() } else { text.into() }
    }

    fn dim(self, text: &str) -> Cow<'_, str> {
        if self.color { text.dimmed().to_string().into() } else { text.into() }
    }
}

fn section(out: &mut Spill<'_>, title: &str, paint: Paint) {
    let _ = writeln!(out, "\n{}", paint.heading(title));
}

fn header(out: &mut Spill<'_>, report: &Report, paint: Paint) {
    let system = &report.system;
    let name = system.name.as_deref().unwrap_or("(no system declared)");
    let id = system.id.as_deref().map_or_else(String::new, |id| format!(" ({id})"));
    let version = system.version.as_deref().map_or_else(String::new, |v| format!(" {v}"));
    let _ = writeln!(out, "{} {name}{id}{version}", paint.heading("medtm report:"));
    let mut facts: Vec<String> = Vec::new();
    facts.extend(system.function.clone());
    facts.extend(system.environment.clone());
    facts.extend(system.device_class.as_ref().map(|class| format!("class {class}")));
    facts.extend(report.analysed_on.as_ref().map(|date| format!("as of {date}")));
    facts.push(report.source.clone());
    let _ = writeln!(out, "  {}", facts.join(" · "));
    let _ = writeln!(out, "  {}", element_counts(system));
    if let Some(description) = &system.description {
        push_wrapped(out, description, "  ", "  ");
    }
    let summary = &report.summary;
    let _ = writeln!(
        out,
        "\n{} {} ({} {} action) from {} {}: {}",
        summary.risks,
        if summary.risks == 1 { "risk" } else { "risks" },
        summary.needs_action,
        if summary.needs_action == 1 { "needs" } else { "need" },
        summary.findings,
        if summary.findings == 1 { "finding" } else { "findings" },
        summary_counts(summary)
    );
}

fn ranked(out: &mut Spill<'_>, report: &Report, paint: Paint) {
    section(out, "RANKED RISKS (one per root cause and subject; what needs action first)", paint);
    if report.risks.is_empty() {
        let _ = writeln!(out, "  No rule found a threat in this model.");
        return;
    }
    let _ = writeln!(
        out,
        "  {:>3}  {:<12}  {:<12}  {:>4}  {:>4}  {:<12}  {:<19}  {:<6}  risk",
        "#", "residual", "inherent", "v4.0", "v3.1", "harm", "status", "STRIDE"
    );
    // As the findings: batches of rows rendered over the cores, then written in rank order.
    for batch in report.risks.batches() {
        let parts: Vec<String> = batch
            .par_chunks(256)
            .map(|risks| {
                let mut rows = String::with_capacity(160 * risks.len());
                for risk in risks {
                    risk_row(&mut rows, risk, paint);
                }
                rows
            })
            .collect();
        for part in parts {
            out.write_through(&part);
        }
    }
}

/// A risk's row in the ranked table, with its other facets under it.
fn risk_row(out: &mut String, risk: &RiskReport, paint: Paint) {
    let residual = paint.level_cell(risk.residual.level);
    let inherent = paint.level_cell(risk.inherent.level);
    let lead = risk.facets.first().map_or("", |facet| facet.finding);
    let _ = writeln!(
        out,
        "  {:>3}  {residual:<12}  {inherent:<12}  {:>4.1}  {:>4.1}  {:<12}  {:<19}  {:<6}  {lead}",
        risk.rank,
        risk.residual.cvss_v40.score,
        risk.residual.cvss_v31.score,
        risk.harm.unwrap_or("none"),
        risk.status,
        risk.stride,
    );
    if risk.facets.len() > 1 {
        let others: Vec<String> =
            risk.facets[1..].iter().map(|facet| format!("{} ({})", facet.finding, facet.status)).collect();
        push_wrapped(out, &format!("also: {}", others.join(", ")), "       ", "             ");
    }
}

fn details(out: &mut Spill<'_>, report: &Report, paint: Paint) {
    if report.findings.is_empty() {
        return;
    }
    section(out, "FINDINGS", paint);
    let rules = rule_lines(report);
    // Each finding's text is independent: batches are rendered over the cores, then written in
    // rank order.
    for batch in report.findings.batches() {
        let parts: Vec<String> = batch
            .par_chunks(128)
            .map(|findings| {
                // About 1.5 KB a finding: sized once, not grown by copying.
                let mut fields = Fields { out: String::with_capacity(2048 * findings.len()), scratch: String::new() };
                for finding in findings {
                    detail(&mut fields, report, &rules, finding, paint);
                }
                fields.out
            })
            .collect();
        for part in parts {
            out.write_through(&part);
        }
    }
}

/// The lines of a finding's text that depend only on its rule, wrapped once per report instead
/// of once per finding (a hospital-scale model has a hundred thousand findings of a few rules).
struct RuleLines {
    code: &'static str,
    /// References and the control categories that answer the rule.
    answered: String,
    /// What to do.
    what_to_do: String,
}

/// Each fired rule's lines, in the order of `Report::rules` (by code).
fn rule_lines(report: &Report) -> Vec<RuleLines> {
    report
        .rules
        .iter()
        .map(|rule| {
            let mut answered = String::new();
            let refs = crate::format::references(rule);
            if !refs.is_empty() {
                field(&mut answered, "Refs", &refs.join(", "));
            }
            field(&mut answered, "Answered by", &format!("{} controls", rule.control_categories.join(", ")));
            let mut what_to_do = String::new();
            field(&mut what_to_do, "Do", rule.mitigation);
            RuleLines { code: rule.code, answered, what_to_do }
        })
        .collect()
}

/// A finding's text as it is written, with a reused buffer for the values that are formatted.
struct Fields {
    out: String,
    scratch: String,
}

impl Fields {
    fn text(&mut self, name: &str, value: &str) {
        field(&mut self.out, name, value);
    }

    fn args(&mut self, name: &str, value: std::fmt::Arguments<'_>) {
        self.scratch.clear();
        let _ = self.scratch.write_fmt(value);
        field(&mut self.out, name, &self.scratch);
    }
}

/// Appends a field: `name:` in a 12-column label after the finding's indent, then the value,
/// wrapped at 100 columns under the value column.
fn field(out: &mut String, name: &str, value: &str) {
    out.push_str(FIELD_INDENT);
    let mut label = 0;
    if !name.is_empty() {
        out.push_str(name);
        out.push(':');
        label = name.chars().count() + 1;
    }
    out.extend(std::iter::repeat_n(' ', LABEL_WIDTH.saturating_sub(label) + 1));
    push_wrapped_at(out, value, "", CONTINUATION, 100 - CONTINUATION.len());
}

fn detail(fields: &mut Fields, report: &Report, rules: &[RuleLines], finding: &FindingReport, paint: Paint) {
    if finding.facets > 1 && finding.facet == 1 {
        let _ = writeln!(
            fields.out,
            "\n  {}. {} — {} findings of one root cause",
            finding.risk_rank,
            paint.heading(finding.risk),
            finding.facets
        );
    }
    let number = if finding.facets > 1 {
        format!("{}.{}", finding.risk_rank, finding.facet)
    } else {
        finding.risk_rank.to_string()
    };
    let _ = writeln!(
        fields.out,
        "\n  {number}. {} — {} ({})",
        paint.heading(finding.id),
        finding.rule.title,
        finding.rule.code
    );
    push_wrapped(&mut fields.out, finding.explanation, FIELD_INDENT, FIELD_INDENT);
    let subject = &finding.subject;
    fields.args(
        "Subject",
        format_args!(
            "{} `{}` ({}:{}:{})",
            subject.kind, subject.id, report.source, subject.location.line, subject.location.column
        ),
    );
    let (inherent, residual) = (&finding.inherent, &finding.residual);
    let harm =
        finding.harm.map_or(Cow::Borrowed("no patient harm (privacy only)"), |harm| format!("harm {harm}").into());
    fields.args(
        "Risk",
        format_args!(
            "{} (exploitability {}) × {harm} → residual {} (exploitability {})",
            paint.level(inherent.level),
            inherent.exploitability(),
            paint.level(residual.level),
            residual.exploitability()
        ),
    );
    fields.args("CVSS 3.1", format_args!("{} {:.1}", inherent.cvss_v31.vector, inherent.cvss_v31.score));
    fields.args("CVSS 4.0", format_args!("{} {:.1}", inherent.cvss_v40.vector, inherent.cvss_v40.score));
    if residual.cvss_v40.vector != inherent.cvss_v40.vector {
        fields.args("Residual", format_args!("{} {:.1}", residual.cvss_v31.vector, residual.cvss_v31.score));
        fields.args("", format_args!("{} {:.1}", residual.cvss_v40.vector, residual.cvss_v40.score));
    }
    if let Some(path) = &finding.attack_path {
        fields.args("Path", format_args!("{} (cost {})", path.text, path.cost));
    }
    if let Some(reach) = finding.multi_patient_reach {
        fields.args("Fleet", format_args!("multi-patient: one compromise reaches {reach} devices"));
    }
    let rule = rules.binary_search_by(|rule| rule.code.cmp(finding.rule.code)).ok().map(|index| &rules[index]);
    if let Some(rule) = rule {
        fields.out.push_str(&rule.answered);
    }
    for control in &finding.controls {
        let effect = &control.effect_text;
        let verified = if control.verified_by.is_empty() {
            "not verified".to_owned()
        } else {
            format!("verified by {}", control.verified_by.join(", "))
        };
        fields.args(
            "Control",
            format_args!("`{}` {}: {effect}; {verified}. It {}", control.id, control.status, control.basis),
        );
    }
    for unapplied in &finding.unapplied_controls {
        fields.args("Not applied", format_args!("`{}`: it {}", unapplied.id, unapplied.reason));
    }
    if finding.unapplied_more > 0 {
        fields.args("", format_args!("and {} more controls that cover it without applying", finding.unapplied_more));
    }
    if !finding.assumed.is_empty() {
        fields.text("Assumes", &assumed_line(finding));
    }
    if let Some(decision) = &finding.decision {
        fields.text("Decision", &decision_line(decision));
    }
    fields.text("Status", finding.status);
    if let Some(missing) = &finding.still_missing {
        fields.text("Missing", missing);
    }
    if let Some(rule) = rule {
        fields.out.push_str(&rule.what_to_do);
    }
}

/// `` `bolus`.replay none (not stated); `pump`.logging unknown `` for a finding's assumptions.
pub(crate) fn assumed_line(finding: &FindingReport) -> String {
    let parts: Vec<String> = finding
        .assumed
        .iter()
        .map(|fact| {
            let how = if fact.unknown { "written as unknown" } else { "not stated" };
            format!("`{}`.{} {} ({how})", fact.subject, fact.attribute, fact.value)
        })
        .collect();
    parts.join("; ")
}

fn decision_line(decision: &crate::dto::DecisionReport) -> String {
    let mut parts = vec![match decision.to {
        Some(to) => format!("transferred to {to}"),
        None => "accepted".to_owned(),
    }];
    parts.extend(decision.owner.as_ref().map(|owner| format!("by {owner}")));
    parts.extend(decision.reason.as_ref().map(|reason| format!("because: {reason}")));
    parts.extend(decision.labeling.as_ref().map(|labeling| format!("labeling: {labeling}")));
    parts.extend(
        decision
            .review_by
            .as_ref()
            .map(|date| format!("review by {date}{}", if decision.overdue { " (OVERDUE)" } else { "" })),
    );
    parts.join("; ")
}

fn decisions(out: &mut Spill<'_>, report: &Report, paint: Paint) {
    if report.decisions.is_empty() {
        return;
    }
    section(out, "ACCEPTED AND TRANSFERRED RISKS", paint);
    for decision in &report.decisions {
        push_wrapped(out, &format!("{}: {}", decision.finding, decision_line(decision)), "  ", "    ");
        out.spill();
    }
}

fn software(out: &mut Spill<'_>, report: &Report, paint: Paint) {
    if report.software.is_empty() {
        return;
    }
    section(out, "SOFTWARE", paint);
    let _ =
        writeln!(out, "  {:<28}  {:<12}  {:<12}  {:<14}  used by", "software", "version", "support", "end of support");
    for software in &report.software {
        let support = if software.supported { software.support.to_owned() } else { format!("{} !", software.support) };
        let _ = writeln!(
            out,
            "  {:<28}  {:<12}  {:<12}  {:<14}  {}",
            format!("{} ({})", software.name, software.id),
            software.version.as_deref().unwrap_or("-"),
            support,
            software.end_of_support.as_deref().unwrap_or("-"),
            if software.used_by.is_empty() { "-".to_owned() } else { software.used_by.join(", ") }
        );
    }
    let _ = writeln!(out, "  {}", paint.dim("! no longer receives security fixes on the analysis date"));
}

fn coverage(out: &mut Spill<'_>, report: &Report, paint: Paint) {
    section(out, "STRIDE COVERAGE", paint);
    let width = report.coverage.rows.iter().map(|row| row.subject.len()).max().unwrap_or(7).max(7);
    let _ = writeln!(out, "  {:<width$}  {:<9}  S T R I D E", "element", "kind");
    for row in &report.coverage.rows {
        let cells: Vec<&str> = row
            .cells
            .iter()
            .map(|cell| match *cell {
                "finding" => "!",
                "mitigated" => "+",
                "decided" => "~",
                "clear" => ".",
                _ => " ",
            })
            .collect();
        let _ = writeln!(out, "  {:<width$}  {:<9}  {}", row.subject, row.kind, cells.join(" "));
        out.spill();
    }
    let _ = writeln!(
        out,
        "  {}",
        paint.dim("! open finding  + mitigated  ~ accepted or transferred  . nothing found  (blank) not applicable")
    );
}

fn traceability(out: &mut Spill<'_>, report: &Report, paint: Paint) {
    if report.traceability.is_empty() {
        return;
    }
    section(out, "TRACEABILITY (threat → control → verification)", paint);
    for trace in report.traceability.iter() {
        for control in &trace.controls {
            let verified =
                if control.verified_by.is_empty() { "(no test)".to_owned() } else { control.verified_by.join(", ") };
            let _ = writeln!(out, "  {} → {} ({}) → {verified}", trace.finding, control.control, control.status);
        }
        out.spill();
    }
}

fn bindings(out: &mut Spill<'_>, report: &Report, paint: Paint) {
    let bindings = &report.bindings;
    if bindings.dead_controls.is_empty() && bindings.unbound_decisions.is_empty() {
        return;
    }
    section(out, "CONTROLS AND DECISIONS THAT BIND TO NOTHING", paint);
    for dead in &bindings.dead_controls {
        let line = format!(
            "control `{}` ({}:{}:{}) lowers no risk: {}",
            dead.control, report.source, dead.location.line, dead.location.column, dead.reason
        );
        push_wrapped(out, &line, "  ", "    ");
    }
    for unbound in &bindings.unbound_decisions {
        let line = format!(
            "{} {} on {} ({}:{}:{}) decides nothing: {}",
            unbound.kind,
            unbound.rule,
            unbound.subject,
            report.source,
            unbound.location.line,
            unbound.location.column,
            unbound.reason
        );
        push_wrapped(out, &line, "  ", "    ");
    }
}

fn assumptions(out: &mut Spill<'_>, report: &Report, paint: Paint) {
    if report.assumptions.is_empty() {
        return;
    }
    section(out, "ASSUMPTIONS", paint);
    let mut defaults = false;
    for assumption in &report.assumptions {
        match assumption {
            Assumption::Stated { id, text, .. } => push_wrapped(out, &format!("{id}: {text}"), "  ", "    "),
            Assumption::Default { keyword, attribute, value, subjects } => {
                if !defaults {
                    defaults = true;
                    let _ = writeln!(
                        out,
                        "  {}",
                        paint.dim("Defaults the analysis applied to attributes left out (line of each declaration):")
                    );
                }
                let listed: Vec<String> = subjects.iter().map(|s| format!("{} ({})", s.id, s.location.line)).collect();
                let count = subjects.len();
                let declarations = match (count, *keyword) {
                    (1, _) | (_, "software") => Cow::Borrowed(*keyword),
                    (_, "boundary") => Cow::Borrowed("boundaries"),
                    _ => Cow::Owned(format!("{keyword}s")),
                };
                push_wrapped(
                    out,
                    &format!("{keyword} {attribute}: {value}, for {count} {declarations}: {}", listed.join(", ")),
                    "  ",
                    "    ",
                );
            }
        }
        out.spill();
    }
}

/// The indentation of a finding's explanation and fields.
const FIELD_INDENT: &str = "     ";
/// The width of a field's label (`Answered by:`).
const LABEL_WIDTH: usize = 12;
/// The indentation of a field's continuation lines: under the value, after the label.
const CONTINUATION: &str = "                  ";
