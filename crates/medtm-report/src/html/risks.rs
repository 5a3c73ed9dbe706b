//! The ranked risk table, with the filters the page's script turns on. Without the script the
//! table is plain HTML in rank order; with it, clicking a column header sorts by that column
//! (each cell says how it sorts in `data-sort`), and the filters hide rows by residual level
//! and status (each row carries both as data attributes).

use maud::{Markup, html};
use medtm_model::vocab::{RiskLevel, Vocabulary as _};

use super::parts::{self, STATUSES, breakable, harm_rank, level, level_rank, status_rank};
use crate::dto::{Report, RiskReport, Vector};

/// The id of the ranked table, which the filters name.
const TABLE_ID: &str = "risk-table";

pub fn section(report: &Report) -> Markup {
    html! {
        section #risks {
            h2 { "Ranked risks" }
            @if report.risks.is_empty() {
                p.empty { "No rule found a threat in this model." }
            } @else {
                p.lead {
                    "One risk per root cause and subject, what needs action first, then by residual level, stated "
                    "before assumed facts, CVSS and patient harm. Each risk lists its findings, the root cause first. "
                    "Click a column header to sort by it; click a finding for its detail."
                }
                (filters(report))
                div.scroll {
                    table.risks.sortable #(TABLE_ID) {
                        caption {
                            "Ranked risks: " (parts::count(report.risks.len(), "risk", "risks")) " from "
                            (parts::count(report.findings.len(), "finding", "findings"))
                        }
                        thead {
                            tr {
                                th.num scope="col" aria-sort="ascending" { "#" }
                                th scope="col" { "Risk" }
                                th scope="col" { "Subject" }
                                th scope="col" { "STRIDE" }
                                th scope="col" { "CVSS 3.1" }
                                th scope="col" { "CVSS 4.0" }
                                th scope="col" { "Harm" }
                                th scope="col" { "Residual" }
                                th scope="col" { "Status" }
                            }
                        }
                        tbody {
                            @for risk in report.risks.iter() { (row(&risk)) }
                        }
                    }
                }
            }
        }
    }
}

/// The filter form, hidden until the script shows it (it does nothing without the script).
/// Each choice says how many findings it keeps.
fn filters(report: &Report) -> Markup {
    let summary = &report.summary;
    let by_level = [summary.unacceptable, summary.review, summary.acceptable];
    let levels = RiskLevel::ALL.iter().rev().zip(by_level).map(|(level, n)| (level.as_str(), n));
    let by_status =
        [summary.open, summary.partially_mitigated, summary.mitigated, summary.accepted, summary.transferred];
    let statuses = STATUSES.iter().zip(by_status).map(|(status, n)| (status.as_str(), n));
    html! {
        form.filters data-table=(TABLE_ID) hidden {
            (choice("residual", "Residual level", levels))
            (choice("status", "Status", statuses))
            output aria-live="polite" {}
        }
    }
}

fn choice<'a>(name: &str, label: &str, options: impl Iterator<Item = (&'a str, usize)>) -> Markup {
    html! {
        label {
            (label) " "
            select name=(name) {
                option value="" { "all" }
                @for (value, n) in options {
                    option value=(value) disabled[n == 0] { (value) " (" (n) ")" }
                }
            }
        }
    }
}

fn row(risk: &RiskReport) -> Markup {
    html! {
        tr data-residual=(risk.residual.level) data-status=(risk.status) {
            td.num { (risk.rank) }
            td data-sort=(risk.id) {
                span.title { (risk.title) }
                ul.facets {
                    @for facet in &risk.facets {
                        li {
                            a href={ "#finding-" (facet.finding) } { (breakable(facet.finding)) }
                            @if risk.facets.len() > 1 { " " span.muted { "(" (facet.status) ")" } }
                        }
                    }
                }
            }
            td data-sort=(risk.subject.id) { (breakable(risk.subject.id)) br; span.muted { (risk.subject.kind) } }
            td { (risk.stride) }
            (score(&risk.inherent.cvss_v31))
            (score(&risk.inherent.cvss_v40))
            td data-sort=(harm_rank(risk.harm)) { (risk.harm.unwrap_or("none")) }
            td data-sort=(level_rank(risk.residual.level)) {
                (level(risk.residual.level))
                @if risk.inherent.level != risk.residual.level {
                    br; span.muted { "inherent " (risk.inherent.level) }
                }
            }
            td data-sort=(status_rank(risk.status)) { (risk.status) }
        }
    }
}

fn score(vector: &Vector) -> Markup {
    html! {
        td.score data-sort=(format_args!("{:.1}", vector.score)) {
            strong { (format_args!("{:.1}", vector.score)) } " " span.muted { (vector.severity) }
            br;
            (parts::vector(vector.vector))
        }
    }
}
