//! Each finding in detail, in rank order: what was found in the model's own names, how it is
//! scored, the cheapest attack path, references, controls, the decision, and what to do. The
//! same facts, in the same words, as the text and Markdown reports.

use maud::{Markup, html};

use super::parts::{level, level_word, names, prose, vector};
use crate::dto::{ControlReport, DecisionReport, FindingReport, Report, Scoring, UnappliedReport, Vector};

/// One finding's detail.
pub fn finding(report: &Report, f: &FindingReport) -> Markup {
    let rule = report.rule(f.rule.code);
    let references = rule.map(crate::format::references).unwrap_or_default();
    let number = if f.facets > 1 { format!("{}.{}", f.risk_rank, f.facet) } else { f.risk_rank.to_string() };
    html! {
        @if f.facets > 1 && f.facet == 1 {
            h3.risk { span.rank { (f.risk_rank) "." } " " code { (f.risk) } ": " (f.facets) " findings of one root cause" }
        }
        article.finding.(level_word(f.residual.level)) #{ "finding-" (f.id) } {
            h3 {
                span.rank { (number) "." } " " code { (f.id) } ": " (f.rule.title)
            }
            p.tags {
                "residual " (level(f.residual.level)) " · " (f.status) " · STRIDE " (f.stride)
                " · rule " code { (f.rule.code) } " " code { (f.rule.name) }
            }
            p.explanation { (prose(f.explanation)) }
            dl.fields {
                dt { "Subject" }
                dd {
                    (f.subject.kind) " " code { (f.subject.id) } " “" (f.subject.label) "” ("
                    (report.source) ":" (f.subject.location.line) ":" (f.subject.location.column) ")"
                }
                @if !f.assets.is_empty() {
                    dt { "Assets" }
                    dd {
                        @for (index, asset) in f.assets.iter().enumerate() {
                            @if index > 0 { ", " }
                            code { (asset.id) } " (harm " (asset.harm) ")"
                        }
                    }
                }
                dt { "Risk" }
                dd { (risk(f)) }
                dt { "CVSS 3.1" }
                dd { (scored(&f.inherent.cvss_v31)) }
                dt { "CVSS 4.0" }
                dd { (scored(&f.inherent.cvss_v40)) }
                @if f.residual.cvss_v40.vector != f.inherent.cvss_v40.vector {
                    dt { "Residual" }
                    dd { (scored(&f.residual.cvss_v31)) br; (scored(&f.residual.cvss_v40)) }
                }
                @if let Some(path) = &f.attack_path {
                    dt { "Attack path" }
                    dd { (prose(&path.text)) " (cost " (path.cost) ")" }
                }
                @if let Some(reach) = f.multi_patient_reach {
                    dt { "Multi-patient" }
                    dd { "one compromise reaches " (reach) " devices" }
                }
                @if !references.is_empty() {
                    dt { "References" }
                    dd { (references.join(", ")) }
                }
                @if let Some(rule) = rule {
                    dt { "Answered by" }
                    dd { (rule.control_categories.join(", ")) " controls" }
                }
                dt { "Controls" }
                dd { (controls(&f.controls)) }
                @if !f.unapplied_controls.is_empty() {
                    dt { "Not applied" }
                    dd { (unapplied(&f.unapplied_controls, f.unapplied_more)) }
                }
                @if !f.assumed.is_empty() {
                    dt { "Assumes" }
                    dd { (prose(&crate::text::assumed_line(f))) }
                }
                @if let Some(decision) = &f.decision {
                    dt { "Decision" }
                    dd { (self::decision(decision)) }
                }
                dt { "Status" }
                dd { (f.status) }
                @if let Some(missing) = &f.still_missing {
                    dt { "Still missing" }
                    dd { (prose(missing)) }
                }
                @if let Some(rule) = rule {
                    dt { "What to do" }
                    dd { (prose(rule.mitigation)) }
                }
            }
        }
    }
}

/// "unacceptable (exploitability high, harm catastrophic); residual unacceptable (exploitability high)"
fn risk(f: &FindingReport) -> Markup {
    let exploitability = |scoring: &Scoring| format!(" (exploitability {}", scoring.exploitability());
    html! {
        (level(f.inherent.level)) (exploitability(&f.inherent)) ", "
        @if let Some(harm) = f.harm { "harm " (harm) } @else { "no patient harm (privacy only)" }
        "); residual " (level(f.residual.level)) (exploitability(&f.residual)) ")"
    }
}

/// "CVSS:3.1/AV:N/… 9.9 (critical)"
fn scored(scored: &Vector) -> Markup {
    html! { (vector(scored.vector)) " " strong { (format_args!("{:.1}", scored.score)) } " (" (scored.severity) ")" }
}

fn controls(controls: &[ControlReport]) -> Markup {
    html! {
        @if controls.is_empty() {
            "none in the model"
        } @else {
            ul.controls {
                @for control in controls {
                    li {
                        code { (control.id) } " “" (control.label) "” (" (control.status)
                        @if let Some(category) = control.category { ", " (category) }
                        "): "
                        (control.effect_text)
                        "; "
                        @if control.verified_by.is_empty() {
                            span.warn { "not verified" }
                        } @else {
                            "verified by " (names(control.verified_by))
                        }
                        ". It " (prose(&control.basis))
                    }
                }
            }
        }
    }
}

fn unapplied(controls: &[UnappliedReport], more: usize) -> Markup {
    html! {
        ul.controls {
            @for control in controls {
                li { code { (control.id) } " “" (control.label) "”: it " (prose(&control.reason)) }
            }
            @if more > 0 { li { "and " (more) " more controls that cover it without applying" } }
        }
    }
}

/// A decision: who decided what, why, and until when.
fn decision(decision: &DecisionReport) -> Markup {
    html! {
        @if let Some(to) = decision.to { "transferred to " (to) } @else { "accepted" }
        @if let Some(owner) = &decision.owner { " by " (owner) }
        @if let Some(reason) = &decision.reason { "; because: " (reason) }
        @if let Some(labeling) = &decision.labeling { "; labeling: " (labeling) }
        @if let Some(date) = &decision.review_by {
            "; review by " (date)
            @if decision.overdue { " " strong.warn { "(overdue)" } }
        }
    }
}
