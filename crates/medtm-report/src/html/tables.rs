//! The sections after the findings: accepted and transferred risks, software with its support
//! status, STRIDE coverage, traceability, assumptions, open questions and the acceptance matrix.

use maud::{Markup, html};

use super::parts::{self, level, names, paragraphs};
use crate::dto::{Assumption, CoverageRowReport, Report};

pub fn decisions(report: &Report) -> Markup {
    html! {
        section #decisions {
            h2 { "Accepted and transferred risks" }
            div.scroll {
                table {
                    caption { "Decisions on findings: " (parts::count(report.decisions.len(), "decision", "decisions")) }
                    thead {
                        tr {
                            th scope="col" { "Finding" } th scope="col" { "Decision" } th scope="col" { "To" }
                            th scope="col" { "Owner" } th scope="col" { "Reason or labeling" } th scope="col" { "Review by" }
                        }
                    }
                    tbody {
                        @for d in &report.decisions {
                            tr {
                                td { code { (d.finding) } }
                                td { (d.kind) }
                                td { (d.to.unwrap_or("-")) }
                                td { (d.owner.unwrap_or("-")) }
                                td.text { (paragraphs(d.reason.or(d.labeling).unwrap_or("(none given)"))) }
                                td {
                                    (d.review_by.as_deref().unwrap_or("-"))
                                    @if d.overdue { " " strong.warn { "(overdue)" } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn software(report: &Report) -> Markup {
    html! {
        section #software {
            h2 { "Software" }
            div.scroll {
                table.sortable {
                    caption { "Software in the system: " (parts::count(report.software.len(), "entry", "entries")) }
                    thead {
                        tr {
                            th scope="col" { "Software" } th scope="col" { "Version" } th scope="col" { "Identifier" }
                            th scope="col" { "Supplier" } th scope="col" { "Support" } th scope="col" { "End of support" }
                            th scope="col" { "Used by" }
                        }
                    }
                    tbody {
                        @for s in &report.software {
                            tr {
                                td data-sort=(s.name) { (s.name) " (" code { (s.id) } ")" }
                                td { (s.version.as_deref().unwrap_or("-")) }
                                td.identifier {
                                    @if let Some(id) = s.purl.as_deref().or(s.cpe.as_deref()) { code { (id) } } @else { "-" }
                                }
                                td { (s.supplier.as_deref().unwrap_or("-")) }
                                td data-sort=(u8::from(s.supported)) {
                                    @if s.supported { (s.support) } @else { strong.warn { (s.support) } " (no fixes)" }
                                }
                                td { (s.end_of_support.as_deref().unwrap_or("-")) }
                                td { (names(&s.used_by)) }
                            }
                        }
                    }
                }
            }
            p.note { "“no fixes”: no longer receives security fixes on the analysis date." }
        }
    }
}

/// A coverage cell: a symbol that reads in greyscale, its meaning for screen readers and on hover.
fn coverage_cell(cell: &str) -> Markup {
    let (class, symbol, meaning) = match cell {
        "finding" => ("finding", "!", "open finding"),
        "mitigated" => ("mitigated", "✓", "mitigated"),
        "decided" => ("decided", "~", "accepted or transferred"),
        "clear" => ("clear", "·", "nothing found"),
        _ => ("na", "", "not applicable"),
    };
    html! {
        td class=(class) title=(meaning) {
            @if !symbol.is_empty() { span aria-hidden="true" { (symbol) } }
            span.sr { (meaning) }
        }
    }
}

pub fn coverage(report: &Report) -> Markup {
    let letters = [
        ("S", "Spoofing"),
        ("T", "Tampering"),
        ("R", "Repudiation"),
        ("I", "Information disclosure"),
        ("D", "Denial of service"),
        ("E", "Elevation of privilege"),
    ];
    let row = |row: &CoverageRowReport| {
        html! {
            tr {
                th scope="row" { code { (row.subject) } }
                td { (row.kind) }
                @for cell in &row.cells { (coverage_cell(cell)) }
            }
        }
    };
    html! {
        section #coverage {
            h2 { "STRIDE coverage" }
            div.scroll {
                table.coverage {
                    caption { "Each element and flow by STRIDE threat" }
                    thead {
                        tr {
                            th scope="col" { "Element" } th scope="col" { "Kind" }
                            @for (letter, name) in letters {
                                th.letter scope="col" { abbr title=(name) { (letter) } }
                            }
                        }
                    }
                    tbody { @for r in &report.coverage.rows { (row(r)) } }
                }
            }
            p.legend {
                span.key.finding { "!" } " open finding · " span.key.mitigated { "✓" } " mitigated · "
                span.key.decided { "~" } " accepted or transferred · " span.key.clear { "·" } " nothing found · "
                "blank: not applicable"
            }
        }
    }
}

pub fn traceability(report: &Report) -> Markup {
    html! {
        section #traceability {
            h2 { "Traceability" }
            p.lead { "From each threat to the controls that answer it and the tests that verify them." }
            div.scroll {
                table.trace {
                    caption { "Threat → control → verification" }
                    thead {
                        tr {
                            th scope="col" { "Threat" } th scope="col" { "Status" } th scope="col" { "Control" }
                            th scope="col" { "Control status" } th scope="col" { "Verified by" }
                        }
                    }
                    @for trace in report.traceability.iter() {
                        tbody {
                            @for (index, control) in trace.controls.iter().enumerate() {
                                tr {
                                    @if index == 0 {
                                        th scope="rowgroup" rowspan=(trace.controls.len()) { code { (trace.finding) } }
                                        td rowspan=(trace.controls.len()) { (trace.status) }
                                    }
                                    td { code { (control.control) } }
                                    td { (control.status) }
                                    td {
                                        @if control.verified_by.is_empty() { span.warn { "no test" } }
                                        @else { (names(control.verified_by)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn bindings(report: &Report) -> Markup {
    let bindings = &report.bindings;
    html! {
        section #bindings {
            h2 { "Controls and decisions that bind to nothing" }
            ul {
                @for dead in &bindings.dead_controls {
                    li {
                        "Control " code { (dead.control) } " (line " (dead.location.line) ") lowers no risk: "
                        (parts::prose(dead.reason))
                    }
                }
                @for unbound in &bindings.unbound_decisions {
                    li {
                        code { (unbound.kind) " " (unbound.rule) " on " (unbound.subject) }
                        " (line " (unbound.location.line) ") decides nothing: " (parts::prose(unbound.reason))
                    }
                }
            }
        }
    }
}

pub fn assumptions(report: &Report) -> Markup {
    let stated = report.assumptions.iter().filter_map(|assumption| match assumption {
        Assumption::Stated { id, text, .. } => Some((id, text)),
        Assumption::Default { .. } => None,
    });
    let defaults: Vec<_> = report
        .assumptions
        .iter()
        .filter_map(|assumption| match assumption {
            Assumption::Default { keyword, attribute, value, subjects } => Some((keyword, attribute, value, subjects)),
            Assumption::Stated { .. } => None,
        })
        .collect();
    html! {
        section #assumptions {
            h2 { "Assumptions" }
            dl.assumptions {
                @for (id, text) in stated {
                    dt { code { (id) } }
                    dd.text { (paragraphs(text)) }
                }
            }
            @if !defaults.is_empty() {
                p { "Defaults the analysis applied to attributes left out (with the line of each declaration):" }
                ul.defaults {
                    @for (keyword, attribute, value, subjects) in defaults {
                        li {
                            (keyword) " " code { (attribute) } ": " (value) " for "
                            @for (index, subject) in subjects.iter().enumerate() {
                                @if index > 0 { ", " }
                                code { (subject.id) } " (" (subject.location.line) ")"
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn open_questions(report: &Report) -> Markup {
    html! {
        section #open-questions {
            h2 { "Open questions" }
            p { "Values written as " code { "unknown" } ", for which the analysis assumed the worst case:" }
            ul {
                @for question in &report.open_questions {
                    li { code { (question.subject) "." (question.attribute) } " (line " (question.location.line) ")" }
                }
            }
        }
    }
}

pub fn risk_matrix(report: &Report) -> Markup {
    let matrix = &report.risk_matrix;
    html! {
        section #risk-matrix {
            h2 { "Risk acceptance matrix" @if matrix.custom { " (the model's own)" } @else { " (default)" } }
            div.scroll {
                table.matrix {
                    caption { "Risk level by exploitability (rows) and patient harm (columns)" }
                    thead {
                        tr {
                            th scope="col" { "Exploitability \\ harm" }
                            @for harm in &matrix.harms { th scope="col" { (harm) } }
                        }
                    }
                    tbody {
                        @for (band, row) in [("high", &matrix.high), ("medium", &matrix.medium), ("low", &matrix.low)] {
                            tr {
                                th scope="row" { (band) }
                                @for cell in row { td { (level(cell)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}
