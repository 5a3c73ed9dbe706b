// The analysis as HTML: the summary line and the ranked risk table (from the engine's summary and
// marks, which come with every keystroke), a finding's details and the architecture views' tables
// (from the engine's report, the same value as `medtm report --format json`, which follows).
// Every string from the model is escaped.

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escape = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);

const LEVEL_LABEL = { unacceptable: "Unacceptable", review: "Review", acceptable: "Acceptable" };
const STATUS_LABEL = {
  open: "open",
  "partially mitigated": "partly mitigated",
  mitigated: "mitigated",
  accepted: "accepted",
  transferred: "transferred",
};

/** Escaped text with `backticked` words set as code, as the engine writes ids and words. */
const prose = (text) => escape(text).replace(/`([^`]+)`/g, "<code>$1</code>");

const level = (name) => `<span class="level level-${escape(name)}">${escape(LEVEL_LABEL[name] ?? name)}</span>`;
const words = (text) => escape(String(text ?? "").replaceAll("_", " "));

/** "Acme Insulin Delivery System · 12 findings: 2 unacceptable, 5 review, 5 acceptable", from the
 * engine's summary of the analysis and the system's name. */
export function summaryHtml(summary, system) {
  const s = summary;
  const parts = [
    s.unacceptable && `<b class="text-unacceptable">${s.unacceptable} unacceptable</b>`,
    s.review && `<b class="text-review">${s.review} review</b>`,
    s.acceptable && `<span>${s.acceptable} acceptable</span>`,
  ].filter(Boolean);
  const counts = s.findings === 1 ? "1 finding" : `${s.findings} findings`;
  return `<span class="system-name">${escape(system || "Model")}</span><span class="sep">·</span>${counts}${
    parts.length ? `: ${parts.join(", ")}` : ""
  }`;
}

/** The rows of the ranked risk table, one per finding's marks (the engine gives each its row).
 * While the model has errors, the marks are those of the findings on the declarations its errors
 * leave untouched (there is no report until the errors are fixed; ranks are those so far). With
 * more than `limit` findings, the first `limit` and a row that says so, with a button for all. */
export function riskRowsHtml(marks, selectedId, hasErrors, limit = Infinity) {
  if (marks.length === 0) {
    return hasErrors
      ? `<tr class="empty"><td colspan="6">No findings yet on the declarations the errors leave untouched.</td></tr>`
      : `<tr class="empty"><td colspan="6">No findings: every rule is clear for this model.</td></tr>`;
  }
  const more =
    marks.length > limit
      ? `<tr class="more"><td colspan="6">The first ${limit} of ${marks.length} risks, in rank order. <button type="button" class="show-all">Show all ${marks.length}</button></td></tr>`
      : "";
  return `${marks
    .slice(0, limit)
    .map((m, index) => {
      const classes = [m.despite_errors && "despite-errors", m.finding === selectedId && "selected"].filter(Boolean).join(" ");
      const rankTitle = m.despite_errors ? ' title="rank so far: the model has errors"' : "";
      const inherent = m.inherent !== m.residual ? `<span class="was">was ${escape(m.inherent)}</span>` : "";
      return `<tr data-index="${index}" data-id="${escape(m.finding)}"${classes ? ` class="${classes}"` : ""} tabindex="0">
  <td class="rank"${rankTitle}>${m.rank}</td>
  <td>${level(m.residual)}${inherent}</td>
  <td class="title"><span class="rule-title">${escape(m.title)}</span><span class="rule-code">${escape(m.code)} · ${escape(m.stride)}</span></td>
  <td class="subject"><code>${escape(m.subject)}</code><span class="kind">${escape(m.subject_kind)}</span></td>
  <td class="score" title="${escape(m.vector)}">${m.score.toFixed(1)}</td>
  <td class="status">${escape(STATUS_LABEL[m.status] ?? m.status)}${m.harm ? `<span class="harm">${words(m.harm)} harm</span>` : ""}</td>
</tr>`;
    })
    .join("")}${more}`;
}

/** What the marks say about a finding whose report is not there: while the model has errors, or
 * for the moment the report takes to follow the risks. */
export function partialDetailsHtml(marks, hasErrors) {
  const note = hasErrors
    ? "The model has errors: the full explanation, attack path and controls show once they are fixed."
    : "The full explanation, attack path and controls follow with the report.";
  return `<h3>${escape(marks.title)} <span class="muted">${escape(marks.code)}</span></h3>
<p>${prose(marks.message).replaceAll("\n", "<br>")}</p>
<p class="muted">${note}</p>`;
}

/** Everything the report says about one finding. */
export function detailsHtml(report, finding) {
  const rule = report.rules.find((r) => r.code === finding.rule.code);
  const scoring = (name, s) => `<tr><th>${name}</th><td>${level(s.level)}</td>
    <td><b>${s.cvss_v31.score.toFixed(1)}</b> ${escape(s.cvss_v31.severity)}<br><code>${escape(s.cvss_v31.vector)}</code></td>
    <td><b>${s.cvss_v40.score.toFixed(1)}</b> ${escape(s.cvss_v40.severity)}<br><code>${escape(s.cvss_v40.vector)}</code></td></tr>`;
  const controls = finding.controls.length
    ? `<ul>${finding.controls
        .map(
          (c) => `<li><code>${escape(c.id)}</code> ${escape(c.label)} <span class="muted">(${escape(c.status)}${
            `; ${escape(c.effect_text)}`
          }${c.verified_by.length ? `; verified by ${escape(c.verified_by.join(", "))}` : ""})</span></li>`,
        )
        .join("")}</ul>`
    : `<p class="muted">No control answers it.</p>`;
  const decision = finding.decision
    ? `<h4>Decision</h4><p>${escape(finding.decision.kind)}${finding.decision.to ? ` to ${escape(finding.decision.to)}` : ""}${
        finding.decision.owner ? ` by ${escape(finding.decision.owner)}` : ""
      }: ${escape(finding.decision.reason ?? finding.decision.labeling ?? "")}${
        finding.decision.overdue ? ` <b class="text-unacceptable">review overdue</b>` : ""
      }</p>`
    : "";
  const references = rule
    ? [...rule.cwe, ...rule.capec, ...rule.attack_techniques].map((r) => `<span class="tag">${escape(r)}</span>`).join(" ")
    : "";
  return `<h3><span class="rank-badge">#${finding.rank}</span> ${escape(finding.rule.title)}</h3>
<p class="muted"><code>${escape(finding.id)}</code> · ${escape(finding.rule.code)} · STRIDE ${escape(finding.stride)}${
    finding.multi_patient_reach ? ` · reaches ${finding.multi_patient_reach} devices` : ""
  }</p>
<p>${prose(finding.explanation)}</p>
<table class="scores"><tr><th></th><th>Level</th><th>CVSS 3.1</th><th>CVSS 4.0</th></tr>
${scoring("Inherent", finding.inherent)}${scoring("Residual", finding.residual)}</table>
${finding.attack_path ? `<h4>Cheapest attack path</h4><p>${prose(finding.attack_path.text)}</p>` : ""}
<h4>Controls</h4>${controls}${decision}
${rule ? `<h4>What to do</h4><p>${prose(rule.mitigation)}</p><p>${references}</p>` : ""}`;
}

/** The architecture views as tables. */
export function viewsHtml(views) {
  return views
    .map(
      (view) => `<section class="view"><h3>${escape(view.title)}</h3><p class="muted">${escape(view.description)}</p>${
        view.rows.length
          ? `<table class="grid"><thead><tr>${view.columns.map((c) => `<th>${escape(c)}</th>`).join("")}</tr></thead><tbody>${view.rows
              .map((row) => `<tr>${row.map((cell) => `<td>${escape(cell)}</td>`).join("")}</tr>`)
              .join("")}</tbody></table>`
          : `<p class="muted">Nothing in this model for this view.</p>`
      }</section>`,
    )
    .join("");
}
