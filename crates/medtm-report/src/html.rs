//! One self-contained HTML report: no network, no external assets, every model string escaped.
//!
//! The page says what the text and Markdown reports say, read from the same [`crate::dto::Report`]:
//! the system summary, the ranked risk table, each finding in detail, the data-flow diagram, the
//! architecture views, accepted and transferred risks, software, STRIDE coverage, traceability,
//! assumptions, open questions and the acceptance matrix.
//!
//! How it stays safe whatever the model says:
//! - All markup is written with maud, which escapes every string it is given (`&`, `<`, `>`,
//!   `"`; attribute values are always double-quoted). Nothing from the model is written raw.
//! - The only raw content is the stylesheet and the script, constants of this crate, and the
//!   diagrams' SVG, which [`svg::sanitize`] re-reads as XML and strips of anything active.
//! - The script carries no data: it sorts and filters by reading the table's cells, so no model
//!   string ever reaches a script context.
//! - A Content-Security-Policy allows that one script and that one stylesheet (by hash) and
//!   nothing else: no other script, no event handler, no request to any address.
//!
//! It reads well without the script (the table is static, in rank order) and prints well: the
//! stylesheet's print rules drop the sticky header and the filters, keep table rows whole, open
//! collapsed blocks, and keep levels readable in greyscale.

mod diagrams;
mod findings;
mod parts;
mod risks;
mod svg;
mod tables;

use std::sync::LazyLock;

use maud::{DOCTYPE, Markup, PreEscaped, html};
use sha2::{Digest as _, Sha256};

pub use self::diagrams::Diagrams;
use crate::Inputs;
use crate::dto::Report;
use crate::format::{Spill, element_counts};

const STYLE: &str = include_str!("html/report.css");
const SCRIPT: &str = include_str!("html/report.js");

/// The page's Content-Security-Policy: its own stylesheet and script, nothing else.
static POLICY: LazyLock<String> = LazyLock::new(|| {
    let hash = |text: &str| data_encoding::BASE64.encode(&Sha256::digest(text.as_bytes()));
    format!(
        "default-src 'none'; style-src '{}'; script-src '{}'; base-uri 'none'; form-action 'none'",
        format_args!("sha256-{}", hash(STYLE)),
        format_args!("sha256-{}", hash(SCRIPT))
    )
});

/// The report as one HTML page.
pub fn render(inputs: &Inputs<'_>, diagrams: &Diagrams) -> String {
    crate::format::to_string(|out| write(inputs, diagrams, out))
}

/// Writes the report as one HTML page, section by section (the findings in pieces, so a large
/// report is never held whole in memory).
pub fn write(inputs: &Inputs<'_>, diagrams: &Diagrams, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let report = inputs.report;
    let mut out = Spill::new(out);
    push_lines(&mut out, &head(report));
    push_lines(&mut out, &summary(report));
    push_lines(&mut out, &risks::section(report));
    out.spill();
    if !report.findings.is_empty() {
        push_lines(&mut out, &html! { (PreEscaped(r#"<section id="findings">"#)) h2 { "Findings" } });
        for finding in &report.findings {
            push_lines(&mut out, &findings::finding(report, &finding));
            out.spill();
        }
        push_lines(&mut out, &PreEscaped("</section>"));
    }
    push_lines(&mut out, &diagrams::data_flow(inputs, diagrams));
    out.spill();
    push_lines(&mut out, &diagrams::architecture(inputs, diagrams));
    out.spill();
    for (present, section) in [
        (!report.decisions.is_empty(), tables::decisions as fn(&Report) -> Markup),
        (!report.software.is_empty(), tables::software),
        (true, tables::coverage),
        (!report.traceability.is_empty(), tables::traceability),
        (!report.bindings.dead_controls.is_empty() || !report.bindings.unbound_decisions.is_empty(), tables::bindings),
        (!report.assumptions.is_empty(), tables::assumptions),
        (!report.open_questions.is_empty(), tables::open_questions),
        (true, tables::risk_matrix),
    ] {
        if present {
            push_lines(&mut out, &section(report));
            out.spill();
        }
    }
    push_lines(&mut out, &foot(report));
    out.finish()
}

/// The end tags of block elements, after which the page starts a new line, so that its source
/// reads (and its snapshots diff) row by row. A line break between blocks changes nothing on
/// screen, and the page's other raw text cannot hold these tags: model strings are escaped, the
/// stylesheet and script have no `</`, and an SVG has no HTML elements.
const LINE_ENDS: [&str; 25] = [
    "</head>",
    "</title>",
    "</style>",
    "</header>",
    "</h1>",
    "</h2>",
    "</h3>",
    "</p>",
    "</ul>",
    "</li>",
    "</dl>",
    "</dt>",
    "</dd>",
    "</div>",
    "</form>",
    "</caption>",
    "</thead>",
    "</tr>",
    "</tbody>",
    "</table>",
    "</article>",
    "</section>",
    "</figure>",
    "</details>",
    "</footer>",
];

/// Appends markup, starting a new line after each end tag of [`LINE_ENDS`].
fn push_lines(out: &mut String, markup: &PreEscaped<impl AsRef<str>>) {
    let mut rest = markup.0.as_ref();
    while let Some(start) = rest.find("</") {
        let tag = LINE_ENDS.iter().find(|tag| rest[start..].starts_with(**tag));
        let end = start + tag.map_or(2, |tag| tag.len());
        out.push_str(&rest[..end]);
        if tag.is_some() {
            out.push('\n');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
}

fn system_name<'a>(report: &'a Report<'_>) -> &'a str {
    report.system.name.as_deref().unwrap_or("(no system declared)")
}

/// The sections in the navigation bar: (anchor, name, present).
fn contents(report: &Report) -> [(&'static str, &'static str, bool); 13] {
    let findings = !report.findings.is_empty();
    [
        ("summary", "Summary", true),
        ("risks", "Ranked risks", true),
        ("findings", "Findings", findings),
        ("data-flow", "Data flow", true),
        ("views", "Views", true),
        ("decisions", "Decisions", !report.decisions.is_empty()),
        ("software", "Software", !report.software.is_empty()),
        ("coverage", "STRIDE", true),
        ("traceability", "Traceability", !report.traceability.is_empty()),
        (
            "bindings",
            "Unbound",
            !report.bindings.dead_controls.is_empty() || !report.bindings.unbound_decisions.is_empty(),
        ),
        ("assumptions", "Assumptions", !report.assumptions.is_empty()),
        ("open-questions", "Open questions", !report.open_questions.is_empty()),
        ("risk-matrix", "Matrix", true),
    ]
}

/// Everything up to the first section: the head, the sticky bar with the contents, and the
/// opening tags of the elements that hold the sections (the page is written in pieces, so
/// these are opened here and closed in [`foot`]).
fn head(report: &Report) -> Markup {
    html! {
        (DOCTYPE)
        (PreEscaped("<html lang=\"en\">\n"))
        head {
            meta charset="utf-8";
            meta http-equiv="Content-Security-Policy" content=(*POLICY);
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="generator" content={ (report.tool.name) " " (report.tool.version) };
            title { "Threat model: " (system_name(report)) }
            style { (PreEscaped(STYLE)) }
        }
        (PreEscaped("<body>\n"))
        a.skip href="#main" { "Skip to the report" }
        header.bar {
            span.brand { "Threat model: " strong { (system_name(report)) } }
            nav aria-label="Sections" {
                ul {
                    @for (anchor, name, present) in contents(report) {
                        @if present { li { a href={ "#" (anchor) } { (name) } } }
                    }
                }
            }
        }
        (PreEscaped("<main id=\"main\">\n"))
    }
}

/// The rest of the page: `</main>`, the footer and the script.
fn foot(report: &Report) -> Markup {
    html! {
        (PreEscaped("</main>\n"))
        footer {
            p {
                "Made by " (report.tool.name) " " (report.tool.version) " from " code { (report.source) }
                @if let Some(date) = &report.analysed_on { ", as of " (date) }
                ". This page is self-contained: it loads nothing from the network."
            }
        }
        script { (PreEscaped(SCRIPT)) }
        (PreEscaped("\n</body>\n</html>\n"))
    }
}

fn summary(report: &Report) -> Markup {
    let system = &report.system;
    let summary = &report.summary;
    let facts = [
        ("System", system.id.as_deref()),
        ("Version", system.version.as_deref()),
        ("Function", system.function.as_deref()),
        ("Environment", system.environment.as_deref()),
        ("Device class", system.device_class.as_deref()),
        ("Model", Some(report.source.as_str())),
        ("Analysed as of", report.analysed_on.as_deref()),
    ];
    let statuses = [
        ("open", summary.open),
        ("partially mitigated", summary.partially_mitigated),
        ("mitigated", summary.mitigated),
        ("accepted", summary.accepted),
        ("transferred", summary.transferred),
    ];
    html! {
        section #summary {
            h1 { "Threat model: " (system_name(report)) }
            @if let Some(description) = &system.description { div.text.lead { (parts::paragraphs(description)) } }
            div.overview {
                dl.facts {
                    @for (key, value) in facts {
                        @if let Some(value) = value { dt { (key) } dd { (value) } }
                    }
                    dt { "Elements" } dd { (element_counts(system)) }
                }
                div.figures {
                    p.total {
                        strong { (summary.risks) } " " (if summary.risks == 1 { "risk" } else { "risks" })
                        " (" (summary.needs_action) (if summary.needs_action == 1 { " needs" } else { " need" }) " action) from "
                        strong { (summary.findings) } " " (if summary.findings == 1 { "finding" } else { "findings" })
                    }
                    ul.levels aria-label="Findings by residual level" {
                        li.unacceptable.none[summary.unacceptable == 0] { strong { (summary.unacceptable) } " unacceptable" }
                        li.review.none[summary.review == 0] { strong { (summary.review) } " review" }
                        li.acceptable.none[summary.acceptable == 0] { strong { (summary.acceptable) } " acceptable" }
                    }
                    p.muted { "by residual level, after controls" }
                    ul.statuses aria-label="Findings by status" {
                        @for (status, n) in statuses { li { strong { (n) } " " (status) } }
                    }
                    p { strong { (summary.multi_patient) } " multi-patient (one compromise reaches more than one device)" }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{POLICY, SCRIPT, STYLE};

    #[test]
    fn the_stylesheet_and_script_cannot_close_their_element() {
        assert!(!STYLE.contains("</"), "the stylesheet has `</`");
        assert!(!SCRIPT.contains("</"), "the script has `</`");
    }

    #[test]
    fn blocks_end_their_line_and_inline_elements_do_not() {
        let mut out = String::new();
        super::push_lines(&mut out, &maud::PreEscaped("<tr><td><code>a</code></td></tr><p>b</p>c"));
        assert_eq!(out, "<tr><td><code>a</code></td></tr>\n<p>b</p>\nc");
    }

    #[test]
    fn the_policy_allows_only_the_page_own_style_and_script() {
        assert!(POLICY.starts_with("default-src 'none'; style-src 'sha256-"), "{}", *POLICY);
        assert!(!POLICY.contains("unsafe"), "{}", *POLICY);
    }
}
