//! The Markdown report, for a pull request or a submission appendix: summary, ranked table,
//! findings, decisions, software, STRIDE coverage, traceability, assumptions, open questions.

use std::fmt::Write as _;

use crate::dto::{Assumption, Report};
use crate::format::{Spill, element_counts, summary_counts};

/// Escapes text for a Markdown table cell or paragraph: pipes everywhere, and `<`, `>` outside
/// code spans (inside them Markdown shows entities literally, and they cannot start HTML).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '|' => out.push_str("\\|"),
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// The report as Markdown.
pub fn render(report: &Report) -> String {
    crate::format::to_string(|out| write(report, out))
}

/// Writes the report as Markdown, in pieces.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = Spill::new(out);
    let system = &report.system;
    let name = system.name.as_deref().unwrap_or("(no system declared)");
    let _ = writeln!(out, "# Threat model: {}\n", escape(name));
    if let Some(description) = &system.description {
        let _ = writeln!(out, "{}\n", escape(description));
    }
    let _ = writeln!(out, "| | |\n|---|---|");
    for (key, value) in [
        ("System", system.id.as_deref()),
        ("Version", system.version.as_deref()),
        ("Function", system.function.as_deref()),
        ("Environment", system.environment.as_deref()),
        ("Device class", system.device_class.as_deref()),
        ("Model", Some(report.source.as_str())),
        ("Analysed as of", report.analysed_on.as_deref()),
    ] {
        if let Some(value) = value {
            let _ = writeln!(out, "| {key} | {} |", escape(value));
        }
    }
    let _ = writeln!(out, "| Elements | {} |", element_counts(system));
    let summary = &report.summary;
    let _ = writeln!(
        out,
        "\n**{} {}** ({} {} action) **from {} {}**: {}.\n",
        summary.risks,
        if summary.risks == 1 { "risk" } else { "risks" },
        summary.needs_action,
        if summary.needs_action == 1 { "needs" } else { "need" },
        summary.findings,
        if summary.findings == 1 { "finding" } else { "findings" },
        summary_counts(summary)
    );

    let _ = writeln!(out, "## Ranked risks\n");
    if report.risks.is_empty() {
        let _ = writeln!(out, "No rule found a threat in this model.\n");
    } else {
        let _ = writeln!(
            out,
            "One risk per root cause and subject, what needs action first; its findings follow the root cause.\n"
        );
        let _ = writeln!(
            out,
            "| # | Risk | Findings | Subject | STRIDE | CVSS 3.1 | CVSS 4.0 | Harm | Level | Residual | Status |\n|---:|---|---|---|---|---|---|---|---|---|---|"
        );
        for r in report.risks.iter() {
            let facets: Vec<String> = r.facets.iter().map(|facet| format!("`{}`", escape(facet.finding))).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | `{}` | {} | {:.1} `{}` | {:.1} `{}` | {} | {} | **{}** | {} |",
                r.rank,
                escape(r.title),
                facets.join("<br>"),
                escape(r.subject.id),
                r.stride,
                r.inherent.cvss_v31.score,
                r.inherent.cvss_v31.vector,
                r.inherent.cvss_v40.score,
                r.inherent.cvss_v40.vector,
                r.harm.unwrap_or("none"),
                r.inherent.level,
                r.residual.level,
                r.status
            );
            out.spill();
        }
        let _ = writeln!(out, "\n## Findings\n");
        for f in &report.findings {
            out.spill();
            if f.facets > 1 && f.facet == 1 {
                let _ = writeln!(
                    out,
                    "### {}. `{}`: {} findings of one root cause\n",
                    f.risk_rank,
                    escape(f.risk),
                    f.facets
                );
            }
            let number = if f.facets > 1 { format!("{}.{}", f.risk_rank, f.facet) } else { f.risk_rank.to_string() };
            let heading = if f.facets > 1 { "####" } else { "###" };
            let _ = writeln!(out, "{heading} {number}. `{}`: {}\n", escape(f.id), escape(f.rule.title));
            let _ = writeln!(out, "{}\n", escape(f.explanation));
            let _ = writeln!(
                out,
                "- **Subject**: {} `{}` ({}:{}:{})",
                f.subject.kind,
                escape(f.subject.id),
                escape(&report.source),
                f.subject.location.line,
                f.subject.location.column
            );
            let harm =
                f.harm.map_or_else(|| "no patient harm (privacy only)".to_owned(), |harm| format!("harm {harm}"));
            let _ = writeln!(
                out,
                "- **Risk**: {} (exploitability {}, {harm}); residual **{}** (exploitability {})",
                f.inherent.level,
                f.inherent.exploitability(),
                f.residual.level,
                f.residual.exploitability()
            );
            let _ = writeln!(out, "- **CVSS 3.1**: `{}` {:.1}", f.inherent.cvss_v31.vector, f.inherent.cvss_v31.score);
            let _ = writeln!(out, "- **CVSS 4.0**: `{}` {:.1}", f.inherent.cvss_v40.vector, f.inherent.cvss_v40.score);
            if f.residual.cvss_v40.vector != f.inherent.cvss_v40.vector {
                let _ = writeln!(
                    out,
                    "- **Residual**: `{}` {:.1}; `{}` {:.1}",
                    f.residual.cvss_v31.vector,
                    f.residual.cvss_v31.score,
                    f.residual.cvss_v40.vector,
                    f.residual.cvss_v40.score
                );
            }
            if let Some(path) = &f.attack_path {
                let _ = writeln!(out, "- **Attack path** (cost {}): {}", path.cost, escape(&path.text));
            }
            if let Some(reach) = f.multi_patient_reach {
                let _ = writeln!(out, "- **Multi-patient**: one compromise reaches {reach} devices");
            }
            let rule = report.rule(f.rule.code);
            let refs = rule.map(crate::format::references).unwrap_or_default();
            if !refs.is_empty() {
                let _ = writeln!(out, "- **References**: {}", refs.join(", "));
            }
            if let Some(rule) = rule {
                let _ = writeln!(out, "- **Answered by**: {} controls", rule.control_categories.join(", "));
            }
            for control in &f.controls {
                let effect = &control.effect_text;
                let verified = if control.verified_by.is_empty() {
                    "not verified".to_owned()
                } else {
                    format!("verified by {}", control.verified_by.join(", "))
                };
                let _ = writeln!(
                    out,
                    "- **Control** `{}` ({}): {effect}; {verified}. It {}",
                    escape(control.id),
                    control.status,
                    escape(&control.basis)
                );
            }
            for unapplied in &f.unapplied_controls {
                let _ = writeln!(out, "- **Not applied** `{}`: it {}", escape(unapplied.id), escape(&unapplied.reason));
            }
            if f.unapplied_more > 0 {
                let _ = writeln!(
                    out,
                    "- **Not applied**: {} more controls that cover it without applying",
                    f.unapplied_more
                );
            }
            if !f.assumed.is_empty() {
                let _ = writeln!(out, "- **Assumes**: {}", escape(&crate::text::assumed_line(&f)));
            }
            if let Some(decision) = &f.decision {
                let what = decision.to.map_or_else(|| "Accepted".to_owned(), |to| format!("Transferred to {to}"));
                let owner = decision.owner.map_or_else(String::new, |owner| format!(" by {}", escape(owner)));
                let _ = writeln!(out, "- **Decision**: {what}{owner}");
            }
            let _ = writeln!(out, "- **Status**: {}", f.status);
            if let Some(missing) = &f.still_missing {
                let _ = writeln!(out, "- **Still missing**: {}", escape(missing));
            }
            if let Some(rule) = rule {
                let _ = writeln!(out, "- **What to do**: {}", escape(rule.mitigation));
            }
            out.push('\n');
        }
    }

    if !report.decisions.is_empty() {
        let _ = writeln!(out, "## Accepted and transferred risks\n");
        let _ = writeln!(
            out,
            "| Finding | Decision | To | Owner | Reason or labeling | Review by |\n|---|---|---|---|---|---|"
        );
        for d in &report.decisions {
            let text = d.reason.or(d.labeling).unwrap_or("(none given)");
            let review = d
                .review_by
                .as_deref()
                .map_or_else(|| "-".to_owned(), |date| format!("{date}{}", if d.overdue { " (overdue)" } else { "" }));
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {review} |",
                escape(d.finding),
                d.kind,
                d.to.unwrap_or("-"),
                escape(d.owner.unwrap_or("-")),
                escape(text)
            );
        }
        out.push('\n');
    }

    if !report.software.is_empty() {
        let _ = writeln!(out, "## Software\n");
        let _ = writeln!(
            out,
            "| Software | Version | Identifier | Support | End of support | Used by |\n|---|---|---|---|---|---|"
        );
        for s in &report.software {
            let identifier =
                s.purl.as_deref().or(s.cpe.as_deref()).map_or_else(|| "-".to_owned(), |id| format!("`{id}`"));
            let support = if s.supported { s.support.to_owned() } else { format!("**{}** (no fixes)", s.support) };
            let _ = writeln!(
                out,
                "| {} (`{}`) | {} | {identifier} | {support} | {} | {} |",
                escape(&s.name),
                escape(&s.id),
                escape(s.version.as_deref().unwrap_or("-")),
                s.end_of_support.as_deref().unwrap_or("-"),
                if s.used_by.is_empty() {
                    "-".to_owned()
                } else {
                    s.used_by.iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", ")
                }
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## STRIDE coverage\n");
    let _ = writeln!(out, "| Element | Kind | S | T | R | I | D | E |\n|---|---|:-:|:-:|:-:|:-:|:-:|:-:|");
    for row in &report.coverage.rows {
        out.spill();
        let cells: Vec<&str> = row
            .cells
            .iter()
            .map(|cell| match *cell {
                "finding" => "❗",
                "mitigated" => "✅",
                "decided" => "☑️",
                "clear" => "·",
                _ => "",
            })
            .collect();
        let _ = writeln!(out, "| `{}` | {} | {} |", escape(&row.subject), row.kind, cells.join(" | "));
    }
    let _ = writeln!(
        out,
        "\n❗ open finding · ✅ mitigated · ☑️ accepted or transferred · · nothing found · (blank) not applicable\n"
    );

    if !report.traceability.is_empty() {
        let _ = writeln!(out, "## Traceability\n");
        let _ = writeln!(out, "| Threat | Control | Control status | Verified by |\n|---|---|---|---|");
        for trace in report.traceability.iter() {
            out.spill();
            for control in &trace.controls {
                let verified =
                    if control.verified_by.is_empty() { "-".to_owned() } else { control.verified_by.join(", ") };
                let _ = writeln!(
                    out,
                    "| `{}` | `{}` | {} | {} |",
                    escape(trace.finding),
                    escape(control.control),
                    control.status,
                    escape(&verified)
                );
            }
        }
        out.push('\n');
    }

    let bindings = &report.bindings;
    if !bindings.dead_controls.is_empty() || !bindings.unbound_decisions.is_empty() {
        let _ = writeln!(out, "## Controls and decisions that bind to nothing\n");
        for dead in &bindings.dead_controls {
            let _ = writeln!(
                out,
                "- Control `{}` (line {}) lowers no risk: {}",
                escape(dead.control),
                dead.location.line,
                escape(dead.reason)
            );
        }
        for unbound in &bindings.unbound_decisions {
            let _ = writeln!(
                out,
                "- `{} {} on {}` (line {}) decides nothing: {}",
                unbound.kind,
                escape(unbound.rule),
                escape(unbound.subject),
                unbound.location.line,
                escape(unbound.reason)
            );
        }
        out.push('\n');
    }

    if !report.assumptions.is_empty() {
        let _ = writeln!(out, "## Assumptions\n");
        let mut defaults = false;
        for assumption in &report.assumptions {
            out.spill();
            match assumption {
                Assumption::Stated { id, text, .. } => {
                    let _ = writeln!(out, "- **{}**: {}", escape(id), escape(text));
                }
                Assumption::Default { keyword, attribute, value, subjects } => {
                    if !defaults {
                        defaults = true;
                        let _ = writeln!(
                            out,
                            "\nDefaults the analysis applied to attributes left out (with the line of each declaration):\n"
                        );
                    }
                    let listed: Vec<String> =
                        subjects.iter().map(|s| format!("`{}` ({})", escape(s.id), s.location.line)).collect();
                    let _ = writeln!(
                        out,
                        "- {keyword} `{}`: {} for {}",
                        escape(attribute),
                        escape(value),
                        listed.join(", ")
                    );
                }
            }
        }
        out.push('\n');
    }

    if !report.open_questions.is_empty() {
        let _ = writeln!(
            out,
            "## Open questions\n\nValues written as `unknown`, for which the analysis assumed the worst case:\n"
        );
        for question in &report.open_questions {
            let _ = writeln!(
                out,
                "- `{}.{}` (line {})",
                escape(&question.subject),
                escape(&question.attribute),
                question.location.line
            );
        }
        out.push('\n');
    }

    let matrix = &report.risk_matrix;
    let _ =
        writeln!(out, "## Risk acceptance matrix{}\n", if matrix.custom { " (the model's own)" } else { " (default)" });
    let _ = writeln!(
        out,
        "| Exploitability \\ harm | {} |\n|---|{}",
        matrix.harms.join(" | "),
        "---|".repeat(matrix.harms.len())
    );
    for (band, row) in [("high", &matrix.high), ("medium", &matrix.medium), ("low", &matrix.low)] {
        let _ = writeln!(out, "| {band} | {} |", row.join(" | "));
    }
    out.finish()
}
