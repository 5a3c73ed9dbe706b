// The playground page: the editor on the left; the ranked risks, the diagram, a finding's
// details and the architecture views on the right. The engine (medtm compiled to WebAssembly)
// analyses the model in a worker (analyser.js) as soon as it is free after a keystroke, which
// gives the diagnostics and the ranked risks; a second worker then builds the report (details,
// views, diagram) of a model without errors. The page's own copy answers completion, hover,
// formatting, other views and downloads.

import { openLintPanel } from "@codemirror/lint";
import examples from "medtm:examples";
import initEngine, * as engine from "medtm-engine";

import { Diagram } from "./diagram.js";
import { download, downloadModel } from "./downloads.js";
import { createAnalyser } from "./analyser.js";
import { createEditor, replaceText, selectRange, showDiagnostics } from "./editor.js";
import { detailsHtml, partialDetailsHtml, riskRowsHtml, summaryHtml, viewsHtml, escape } from "./risks.js";
import { decodeModel, loadFromStorage, saveToStorage, saveToUrl } from "./share.js";

const DEFAULT_EXAMPLE = "insulin-pump";
/** How many risks the table lists until the user asks for all: a large model's thousands of
 * rows would take the page longer to lay out than the engine takes to analyse it. */
const LISTED_RISKS = 500;

const $ = (selector) => document.querySelector(selector);

/** Today in the user's time zone, as the engine takes it. */
function localDate() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const state = {
  today: localDate(),
  example: null,
  /** The architecture view the diagram shows. */
  view: "global",
  /** The analysis whose views' tables are written (they are written when their tab shows). */
  viewsShown: null,
  /** The latest report, with its views and diagram, and the text it is of (its diagram and
   * views stay, dimmed, while the model has errors). */
  analysed: null,
  /** The analysis of the text shown, whose marks the risk table lists: the findings in rank
   * order, or while the model has errors, those its errors leave untouched, ranked so far. */
  current: null,
  stale: false,
  selectedId: null,
  /** Whether the user asked for every risk, not only the first `LISTED_RISKS`. */
  allRisks: false,
  /** When the first keystroke since the last analysis shown happened. */
  keystrokeAt: null,
  urlTimer: null,
  /** One entry per analysis shown: the engine's time (in the worker), the round trip to the
   * worker, the time to show it, and from the keystroke to the updated table. */
  timings: [],
};

async function initialModel() {
  const fromLink = await decodeModel(location.hash);
  if (fromLink !== null) return { text: fromLink, example: null };
  const saved = loadFromStorage();
  if (saved) return saved;
  const example = examples.find((e) => e.name === DEFAULT_EXAMPLE) ?? examples[0];
  return { text: example.text, example: example.name };
}

async function main() {
  const started = performance.now();
  await initEngine({ module_or_path: new URL(ENGINE_WASM, import.meta.url) });
  const loadedMs = performance.now() - started;
  const { text, example } = await initialModel();
  state.example = example;

  const picker = $("#example");
  picker.innerHTML =
    `<option value="" disabled>Examples…</option>` +
    examples.map((e) => `<option value="${escape(e.name)}">${escape(e.title)}</option>`).join("");
  picker.value = example ?? "";

  const diagram = new Diagram($("#diagram"), $("#diagram-status"));
  const view = createEditor($("#editor"), text, engine, state.today, () => update(view));
  const analyser = createAnalyser("analyse", (analysed) => show(view, analysed));
  const reporter = createAnalyser("report", (reported) => showReport(view, reported));
  diagram.onSelectElement = (id) => {
    const declaration = state.current?.declarations?.[id];
    if (declaration) selectRange(view, declaration.from, declaration.to);
  };

  // A link pasted into the address bar of an open playground changes only the hash.
  window.addEventListener("hashchange", async () => {
    const linked = await decodeModel(location.hash);
    if (linked === null || linked === view.state.doc.toString()) return;
    state.example = null;
    state.selectedId = null;
    picker.value = "";
    replaceText(view, linked);
    update(view);
  });
  picker.addEventListener("change", () => {
    const chosen = examples.find((e) => e.name === picker.value);
    if (!chosen) return;
    state.example = chosen.name;
    state.selectedId = null;
    replaceText(view, chosen.text);
    update(view);
  });
  $("#format").addEventListener("click", () => {
    const answer = engine.format(view.state.doc.toString());
    if (answer.ok) {
      if (answer.text !== view.state.doc.toString()) replaceText(view, answer.text);
      flash("Formatted");
    } else {
      flash(answer.error, true);
    }
  });
  $("#share").addEventListener("click", async () => {
    await saveToUrl(view.state.doc.toString());
    try {
      await navigator.clipboard.writeText(location.href);
      flash("Link copied: it holds the whole model");
    } catch {
      flash("The address bar holds the link to this model");
    }
  });
  $("#download").addEventListener("change", async (event) => {
    const format = event.target.value;
    event.target.value = "";
    const name = state.example ?? state.analysed?.report?.system?.id ?? "model";
    const text = view.state.doc.toString();
    const problem = format === "mtm" ? downloadModel(text, name) : await download(engine, text, format, state.today, name, (state.analysed?.views ?? []).map((v) => v.name));
    if (problem) flash(problem, true);
  });
  $("#view").addEventListener("change", () => {
    state.view = $("#view").value;
    drawDiagram(view, diagram, state.analysed);
  });
  $("#problems").addEventListener("click", () => openLintPanel(view));
  for (const [button, step] of [["#zoom-out", -1], ["#zoom-fit", 0], ["#zoom-in", 1]]) {
    $(button).addEventListener("click", () => diagram.zoomBy(step));
  }
  $("#diagram").addEventListener("zoomed", (event) => {
    $("#zoom-fit").textContent = `${Math.round(event.detail * 100)}%`;
  });
  for (const tab of document.querySelectorAll("[role=tab]")) {
    tab.addEventListener("click", () => showTab(tab.dataset.tab));
  }
  const table = $("#risks tbody");
  const choose = (row) => {
    if (row) selectFinding(view, diagram, Number(row.dataset.index), true);
  };
  table.addEventListener("click", (event) => {
    if (event.target.closest("button.show-all")) {
      state.allRisks = true;
      showRisks();
    } else {
      choose(event.target.closest("tr[data-index]"));
    }
  });
  table.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      choose(event.target.closest("tr[data-index]"));
    }
  });

  // For the end-to-end test and the curious: the editor, the engine and the page's state.
  window.medtm = {
    view,
    engine,
    analyser,
    reporter,
    state,
    diagram,
    examples,
    engineLoadMs: loadedMs,
    selectRange: (from, to) => selectRange(view, from, to),
  };
  update(view);

  if ("serviceWorker" in navigator && location.protocol.startsWith("http")) {
    navigator.serviceWorker.register("./sw.js").catch(() => {});
  }

  /** Asks for the analysis of the text as it is now (the worker takes the latest text only). */
  function update(view) {
    state.keystrokeAt ??= performance.now();
    analyser.analyse(view.state.doc.toString(), state.today);
  }

  function show(view, { answer, text, engineMs, roundTripMs }) {
    // A text edited since: its own analysis is on its way.
    if (text !== view.state.doc.toString()) return;
    const begun = performance.now();
    if (!answer.ok) {
      flash(answer.error, true);
      return;
    }
    showDiagnostics(view, answer.diagnostics);
    showProblems(answer);
    state.current = { ...answer, text };
    state.stale = !answer.summary;
    if (answer.summary) {
      $("#summary").innerHTML = summaryHtml(answer.summary, answer.system);
      reporter.analyse(text, state.today);
    }
    showRisks();
    const index = shownMarks().findIndex((m) => m.finding === state.selectedId);
    if (index >= 0) selectFinding(view, diagram, index, false);
    else clearSelection(diagram);
    document.body.classList.toggle("stale", state.stale);
    $("#stale-note").hidden = !state.stale;
    $("#stale-note").textContent = staleNote(answer.marks.length);
    const done = performance.now();
    state.timings.push({
      engineMs,
      roundTripMs,
      updateMs: done - begun,
      fromKeystrokeMs: state.keystrokeAt === null ? null : done - state.keystrokeAt,
      bytes: text.length,
    });
    state.keystrokeAt = null;
    $("#timing").textContent = `analysed in ${engineMs.toFixed(1)} ms`;
    document.body.dataset.updates = String(state.timings.length);
    saveToStorage(text, state.example);
    clearTimeout(state.urlTimer);
    state.urlTimer = setTimeout(() => saveToUrl(text), 400);
    if (state.stale && !state.analysed) diagram.clear("Fix the model's errors to draw its diagram.");
  }

  /** Shows the report of a text without errors: the views, the diagram, the selected finding. */
  function showReport(view, { answer, text }) {
    // A report of a text edited since is still the latest of a model without errors: the diagram
    // and the views show it until the next one. A text with errors has no report.
    if (!answer.ok) return;
    state.analysed = { ...answer, text };
    const picker = $("#view");
    if (picker.options.length === 0) {
      picker.innerHTML = answer.views.map((v) => `<option value="${escape(v.name)}">${escape(v.title)}</option>`).join("");
      picker.value = state.view;
    }
    // The views' tables are long: they are written when their tab is shown.
    state.viewsShown = null;
    if (!$("#panel-views").hidden) renderViews();
    const index = shownMarks().findIndex((m) => m.finding === state.selectedId);
    if (index >= 0) selectFinding(view, diagram, index, false);
    // Layout waits for the page to show the report.
    requestAnimationFrame(() => setTimeout(() => drawDiagram(view, diagram, state.analysed), 0));
  }
}

/** Draws the chosen view of an analysis (the global one comes with it; others are asked for). */
function drawDiagram(view, diagram, answer) {
  if (!answer?.report) return;
  if (state.view === "global") {
    diagram.show(answer.dot, "global");
    return;
  }
  const drawn = engine.diagram(view.state.doc.toString(), state.view, state.today);
  if (drawn.ok) diagram.show(drawn.dot, state.view);
}

function renderViews() {
  if (state.analysed && state.viewsShown !== state.analysed) {
    $("#views").innerHTML = viewsHtml(state.analysed.views);
    state.viewsShown = state.analysed;
  }
}

/** Lists the risks of the text shown (the first `LISTED_RISKS` unless the user asked for all). */
function showRisks() {
  const limit = state.allRisks ? Infinity : LISTED_RISKS;
  $("#risks tbody").innerHTML = riskRowsHtml(shownMarks(), state.selectedId, state.stale, limit);
}

/** The marks of the findings the table lists: all of them, or while the model has errors, the
 * findings so far. */
function shownMarks() {
  return state.current?.marks ?? [];
}

function staleNote(findings) {
  const diagram = state.analysed ? "; the diagram and views are of its last good version" : "";
  if (findings === 0) return `The model has errors: no finding yet on the declarations they leave untouched${diagram}.`;
  const listed = findings === 1 ? "the finding" : `the ${findings} findings`;
  return `The model has errors: listing ${listed} on declarations they leave untouched, ranked so far${diagram}.`;
}

function selectFinding(view, diagram, index, fromUser) {
  const marks = shownMarks()[index];
  if (!marks) return;
  state.selectedId = marks.finding;
  for (const row of document.querySelectorAll("#risks tr.selected")) row.classList.remove("selected");
  const row = document.querySelector(`#risks tr[data-index="${index}"]`);
  row?.classList.add("selected");
  diagram.highlight(marks);
  // The report's details when the report is of the text shown (it follows the risks).
  const reported = !state.stale && state.analysed?.text === state.current.text ? state.analysed.report : null;
  const finding = reported?.findings[index];
  $("#details").innerHTML = finding ? detailsHtml(reported, finding) : partialDetailsHtml(marks, state.stale);
  $("#details-tab").textContent = `Finding #${marks.rank}`;
  if (fromUser) {
    selectRange(view, marks.from, marks.to);
    row?.scrollIntoView({ block: "nearest" });
  }
}

function clearSelection(diagram) {
  state.selectedId = null;
  diagram.highlight(null);
  $("#details").innerHTML = `<p class="muted">Click a risk to see its explanation, attack path, controls and what to do.</p>`;
  $("#details-tab").textContent = "Finding";
}

function showTab(name) {
  for (const tab of document.querySelectorAll("[role=tab]")) {
    const active = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(active));
    document.getElementById(`panel-${tab.dataset.tab}`).hidden = !active;
  }
  if (name === "views") renderViews();
}

function showProblems(answer) {
  const problems = $("#problems");
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (answer.errors + answer.warnings === 0) {
    problems.textContent = "No problems";
    problems.className = "problems ok";
  } else {
    problems.textContent = [answer.errors && plural(answer.errors, "error"), answer.warnings && plural(answer.warnings, "warning")]
      .filter(Boolean)
      .join(", ");
    problems.className = `problems ${answer.errors ? "has-errors" : "has-warnings"}`;
  }
}

let flashTimer = null;
function flash(message, isError = false) {
  const note = $("#flash");
  note.textContent = message;
  note.className = isError ? "flash error" : "flash";
  note.hidden = false;
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => (note.hidden = true), isError ? 6000 : 2500);
}

main().catch((error) => {
  document.body.innerHTML = `<p class="fatal">The playground could not start: ${escape(error?.message ?? error)}</p>`;
  throw error;
});
