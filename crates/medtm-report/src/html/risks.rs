//! The ranked risk table, with the filters the page's script turns on. Without the script the
//! table is plain HTML in rank order; with it, clicking a column header sorts by that column
//! (each cell says how it sorts in `data-sort`), and the filters hide rows by residual level
//! and status (each row carries both as data attributes).

use maud::{Markup, html};
use medtm_model::vocab::{RiskLevel, Vocabulary as _};

use super::parts::{self, STATUSES, breakable, harm_rank, level, level_rank, status_rank};
use crate::dto::{FindingReport, Report, Vector};

/// The id of the ranked table, which the filters name.
const TABLE_ID: &str = "risk-table";

pub fn section(report: &Report) -> Markup {
    html! {
        section #risks {
            h2 { "Ranked risks" }
            @if report.findings.is_empty() {
                p.empty { "No rule found a threat in this model." }
            } @else {
                p.lead {
                    "Worst first: by residual level, patient harm, then CVSS. Click a column header to sort by it; "
                    "click a finding for its detail."
                }
                (filters(report))
                div.scroll {
                    table.risks.sortable #(TABLE_ID) {
                        caption { "Ranked risks: " (parts::count(report.findings.len(), "finding", "findings")) }
                        thead {
                            tr {
                                th.num scope="col" aria-sort="ascending" { "#" }
                                th scope="col" { "Finding" }
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
                            @for finding in &report.findings { (row(&finding)) }
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

fn row(finding: &FindingReport) -> Markup {
    html! {
        tr data-residual=(finding.residual.level) data-status=(finding.status) {
            td.num { (finding.rank) }
            td data-sort=(finding.id) {
                a href={ "#finding-" (finding.rank) } { (breakable(finding.id)) }
                br;
                span.title { (finding.rule.title) }
            }
            td data-sort=(finding.subject.id) { (breakable(finding.subject.id)) br; span.muted { (finding.subject.kind) } }
            td { (finding.stride) }
            (score(&finding.inherent.cvss_v31))
            (score(&finding.inherent.cvss_v40))
            td data-sort=(harm_rank(finding.harm)) { (finding.harm.unwrap_or("none")) }
            td data-sort=(level_rank(finding.residual.level)) {
                (level(finding.residual.level))
                @if finding.inherent.level != finding.residual.level {
                    br; span.muted { "inherent " (finding.inherent.level) }
                }
            }
            td data-sort=(status_rank(finding.status)) { (finding.status) }
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
