// End-to-end test of the playground in headless Chromium (Debian's, driven by playwright-core).
//
// `cargo xtask web-test` builds the page, serves it on loopback and runs this with
// MEDTM_PLAYGROUND_URL set; by hand: `cargo xtask serve --port 8000` and
// `MEDTM_PLAYGROUND_URL=http://127.0.0.1:8000/ node tests/e2e.mjs`.
//
// It checks what a user does: an example loads; an error shows a lint marker with its message;
// fixing it updates the risks; clicking a risk selects its subject in the editor; the diagram
// has a node per element and highlights the risk's; a shared link restores the model; the page
// works offline once loaded; a burst of keystrokes on a large model is not analysed key by key.
// It also measures, for each example model and a generated 1,000-element one
// (MEDTM_GENERATED_MODEL), the time from a keystroke to the updated risk table, and takes a
// screenshot of each example at 1440x900 (in test-results/, with metrics.json).

import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const base = process.env.MEDTM_PLAYGROUND_URL ?? process.argv[2];
if (!base) {
  console.error("e2e.mjs: set MEDTM_PLAYGROUND_URL (or pass the page's URL); `cargo xtask web-test` does");
  process.exit(2);
}
const results = join(dirname(fileURLToPath(import.meta.url)), "..", "test-results");
const chromiumPath = process.env.MEDTM_CHROMIUM ?? "/usr/bin/chromium";

const tests = [];
const test = (name, body) => tests.push({ name, body });

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * How long a wait for the page to say it is ready may take. Every wait is for a state the page
 * shows, never for a fixed time; this bound is generous because a fresh machine's first run
 * compiles the engine cold on two cores.
 */
const READY_MS = 30000;

/** Waits for the analysis that follows the current one (the page counts them in data-updates). */
async function nextUpdate(page, action) {
  const before = Number(await page.getAttribute("body", "data-updates"));
  await action();
  await page.waitForFunction((n) => Number(document.body.dataset.updates) > n, before, { timeout: READY_MS });
}

/** Puts the cursor at the end of the first occurrence of `needle` in the editor. */
async function cursorAfter(page, needle) {
  const found = await page.evaluate((needle) => {
    const { view } = window.medtm;
    const at = view.state.doc.toString().indexOf(needle);
    if (at < 0) return false;
    view.dispatch({ selection: { anchor: at + needle.length } });
    view.focus();
    return true;
  }, needle);
  assert(found, `the model has no \`${needle}\``);
}

const editorText = (page) => page.evaluate(() => window.medtm.view.state.doc.toString());
const riskIds = (page) => page.$$eval("#risks tbody tr[data-id]", (rows) => rows.map((row) => row.dataset.id));

const userData = await mkdtemp(join(tmpdir(), "medtm-e2e-"));
await mkdir(results, { recursive: true });
const context = await chromium.launchPersistentContext(userData, {
  executablePath: chromiumPath,
  headless: true,
  viewport: { width: 1440, height: 900 },
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
const pageErrors = [];
const metrics = { examples: {} };
let page = context.pages()[0] ?? (await context.newPage());
page.on("pageerror", (error) => pageErrors.push(error.message));
page.on("console", (message) => message.type() === "error" && pageErrors.push(message.text()));

test("the page loads an example", async () => {
  await page.goto(base);
  await page.waitForFunction(() => Number(document.body.dataset.updates) >= 1);
  const { text, example } = await page.evaluate(() => ({
    text: window.medtm.view.state.doc.toString(),
    example: window.medtm.examples.find((e) => e.name === "insulin-pump").text,
  }));
  assert(text === example, "the editor does not hold the insulin pump example");
  assert((await page.textContent("#summary")).includes("Acme Insulin Delivery System"), "the summary names no system");
  assert((await riskIds(page)).length > 0, "the risk table is empty");
  // What came over the network before anyone opened the diagram's code.
  metrics.transfer = await page.evaluate(() => {
    const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
    const initial = entries.filter((entry) => !/\/chunks\/dist-/.test(entry.name));
    const sum = (list) => list.reduce((total, entry) => total + entry.transferSize, 0);
    return {
      beforeDiagramBytes: sum(initial),
      beforeDiagramDecodedBytes: initial.reduce((total, entry) => total + (entry.decodedBodySize ?? 0), 0),
      allBytes: sum(entries),
      files: entries.map((entry) => ({ name: new URL(entry.name).pathname, transfer: entry.transferSize })),
    };
  });
  metrics.engineLoadMs = await page.evaluate(() => window.medtm.engineLoadMs);
});

test("introducing an error shows a lint marker with its message", async () => {
  await cursorAfter(page, "encrypted: true");
  await nextUpdate(page, () => page.keyboard.type("x"));
  const expected = await page.evaluate(() => {
    const answer = window.medtm.engine.check(window.medtm.view.state.doc.toString());
    return answer.diagnostics.find((d) => d.severity === "error")?.message;
  });
  assert(expected, "the engine found no error in `encrypted: truex`");
  await page.waitForSelector(".cm-lintRange-error");
  await page.waitForSelector(".cm-lint-marker-error");
  assert(await page.isVisible("#stale-note"), "the page does not say the analysis is stale");
  await page.click("#problems");
  await page.waitForSelector(".cm-panel-lint");
  const panel = await page.textContent(".cm-panel-lint");
  assert(panel.includes(expected), `the lint panel does not show "${expected}": ${panel}`);
  await page.keyboard.press("Escape");
});

test("fixing it updates the risk table", async () => {
  const before = await riskIds(page);
  await cursorAfter(page, "encrypted: truex");
  await page.keyboard.press("Backspace");
  for (let i = 0; i < 4; i++) await page.keyboard.press("Backspace");
  await nextUpdate(page, () => page.keyboard.type("false"));
  await page.waitForFunction(() => !document.body.classList.contains("stale"));
  const after = await riskIds(page);
  const expected = await page.evaluate(() => {
    const { engine, view, state } = window.medtm;
    return engine.report(view.state.doc.toString(), state.today).report.findings.map((f) => f.id);
  });
  assert(JSON.stringify(after) === JSON.stringify(expected), "the table does not list the engine's findings in rank order");
  assert(after.some((id) => !before.includes(id)), "no new finding after storing the records unencrypted");
  assert(after.some((id) => id.startsWith("unencrypted-data-at-rest@records")), "no finding about the unencrypted store");
  assert((await page.$$(".cm-lintRange-error")).length === 0, "the error marker stayed");
});

/** Waits for the report of the text in the editor, which follows its risks. */
const reportShown = (page) =>
  page.waitForFunction(() => window.medtm.state.analysed?.text === window.medtm.view.state.doc.toString(), null, { timeout: READY_MS });

test("clicking a risk selects the right text", async () => {
  await reportShown(page);
  const rows = await page.$$("#risks tbody tr[data-id]");
  for (const index of [0, 1, Math.min(3, rows.length - 1)]) {
    const id = await rows[index].getAttribute("data-id");
    await rows[index].click();
    const { selected, subject } = await page.evaluate((index) => {
      const { view, state } = window.medtm;
      const range = view.state.selection.main;
      return { selected: view.state.sliceDoc(range.from, range.to), subject: state.analysed.report.findings[index].subject.id };
    }, index);
    // An unnamed flow's id is `from_to_to`; its declaration names it by its arrow.
    const [from, arrow, to] = selected.split(/\s+/);
    const arrowNames = (arrow === "->" || arrow === "<->") && `${from}_to_${to}` === subject;
    assert(selected === subject || arrowNames, `clicking ${id} selected "${selected}", not its subject "${subject}"`);
    assert(id.endsWith(`@${subject}`), `row ${index} is ${id}, whose subject is not ${subject}`);
    const details = await page.textContent("#details");
    assert(details.includes(id), `the details of ${id} do not name it: ${details.slice(0, 120)}`);
  }
});

test("the diagram has a node per element and highlights the selected risk", async () => {
  await page.waitForSelector("#diagram svg g.node", { timeout: 20000 });
  const { nodes, elements, marked, expectedMarked } = await page.evaluate(() => {
    const { report } = window.medtm.state.analysed;
    const { marks } = window.medtm.state.current;
    const index = report.findings.findIndex((f) => f.id === window.medtm.state.selectedId);
    return {
      nodes: [...document.querySelectorAll("#diagram g.node")].map((g) => g.id).filter((id) => id.startsWith("global_e_")).sort(),
      elements: report.system.actors + report.system.components + report.system.stores,
      marked: [...document.querySelectorAll("#diagram g.marked")].map((g) => g.id).sort(),
      expectedMarked: [
        ...marks[index].elements.map((id) => `global_e_${id}`),
        ...marks[index].flows.map((id) => `global_f_${id}`),
        ...marks[index].boundaries.map((id) => `global_b_${id}`),
      ].sort(),
    };
  });
  assert(nodes.length === elements, `${nodes.length} element nodes for ${elements} elements`);
  assert(new Set(nodes).size === nodes.length, "two nodes have the same id");
  assert(marked.length > 0 && JSON.stringify(marked) === JSON.stringify(expectedMarked), `highlighted ${marked} instead of ${expectedMarked}`);
  assert((await page.$$("#diagram g.cluster")).length > 0, "no boundary is drawn as a cluster");
});

test("a shared link restores the model", async () => {
  await page.evaluate(() => {
    const { view } = window.medtm;
    view.dispatch({ changes: { from: 0, insert: "// Shared from the end-to-end test: naïve → ✓ 🫀\n" } });
  });
  // The hash already holds the model as it was at the last analysis; the button says when it
  // holds the text as it is now.
  await page.evaluate(() => (document.querySelector("#flash").hidden = true));
  await page.click("#share");
  await page.waitForSelector("#flash:not([hidden])");
  assert(/link/i.test(await page.textContent("#flash")), "the share button said nothing of a link");
  const link = page.url();
  assert(new URL(link).hash.startsWith("#model="), `the link ${link} holds no model`);
  const text = await editorText(page);
  // Another tab already open on the playground: pasting the link changes only the hash.
  const other = await context.newPage();
  await other.goto(base);
  await other.waitForFunction(() => Number(document.body.dataset.updates) >= 1);
  await other.goto(link);
  await other.waitForFunction((text) => window.medtm.view.state.doc.toString() === text, text, { timeout: READY_MS });
  await other.close();
  // A fresh tab, with nothing in local storage: the link alone must carry the model.
  await page.evaluate(() => localStorage.clear());
  const fresh = await context.newPage();
  await fresh.goto(link);
  await fresh.waitForFunction(() => Number(document.body.dataset.updates) >= 1);
  // The restored text is checked by waiting for it (as for the open tab above); on failure the
  // message says what the tab shows instead.
  const restored = await fresh
    .waitForFunction((text) => window.medtm.view.state.doc.toString() === text, text, { timeout: READY_MS })
    .then(() => true, () => false);
  const shown = (await editorText(fresh)).split("\n")[0];
  assert(restored, `the link did not restore the model: the tab shows "${shown}" (hash kept: ${fresh.url() === link})`);
  await fresh.close();
});

test("a reload keeps the model (local storage)", async () => {
  // Its own starting point: an analysis of the text as it is saves it (the test before cleared
  // the storage this tab shares with the others).
  await nextUpdate(page, () =>
    page.evaluate(() => {
      const { view } = window.medtm;
      view.dispatch({ changes: { from: 0, insert: " " } });
      view.dispatch({ changes: { from: 0, to: 1 } });
    }),
  );
  const text = await editorText(page);
  await page.goto(base);
  await page.waitForFunction(() => Number(document.body.dataset.updates) >= 1);
  assert((await editorText(page)) === text, "the reload lost the model");
});

test("the page works offline after the first load", async () => {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  try {
    await page.reload();
    await page.waitForFunction(() => Number(document.body.dataset.updates) >= 1);
    assert((await riskIds(page)).length > 0, "no risks offline");
    await page.waitForSelector("#diagram svg g.node", { timeout: 20000 });
  } finally {
    await context.setOffline(false);
  }
});

test("completion and hover answer from the engine", async () => {
  await cursorAfter(page, "kind: mobile_sandbox");
  await page.keyboard.press("Enter");
  await page.keyboard.type("hos");
  await page.waitForSelector(".cm-tooltip-autocomplete");
  const options = await page.$$eval(".cm-tooltip-autocomplete li", (items) => items.map((item) => item.textContent));
  assert(options.some((option) => option.startsWith("hostile")), `completion offers ${options}`);
  await page.keyboard.press("Escape");
  for (let i = 0; i < 3; i++) await page.keyboard.press("Backspace");
  await page.evaluate(() => {
    const { view } = window.medtm;
    const at = view.state.doc.toString().indexOf("authn:") + 2;
    window.medtm.selectRange(at, at);
  });
  await page.waitForTimeout(100);
  const box = await page.evaluate(() => {
    const { view } = window.medtm;
    const rect = view.coordsAtPos(view.state.doc.toString().indexOf("authn:") + 2);
    return { x: rect.left + 2, y: (rect.top + rect.bottom) / 2 };
  });
  await page.mouse.move(box.x, box.y);
  await page.waitForSelector(".cm-tooltip-hover pre.doc", { timeout: READY_MS });
  const hover = await page.textContent(".cm-tooltip-hover pre.doc");
  assert(hover.startsWith("flow.authn (attribute)"), `the hover says ${hover.slice(0, 80)}`);
});

test("downloads the model and the report in each format", async () => {
  const saved = async (format) => {
    const [file] = await Promise.all([page.waitForEvent("download"), page.selectOption("#download", format)]);
    const chunks = [];
    for await (const chunk of await file.createReadStream()) chunks.push(chunk);
    return { name: file.suggestedFilename(), text: Buffer.concat(chunks).toString("utf8") };
  };
  const model = await saved("mtm");
  assert(model.text === (await editorText(page)), "the .mtm download is not the editor's text");
  assert(model.name.endsWith(".mtm"), `the model is saved as ${model.name}`);
  const sarif = await saved("sarif");
  assert(JSON.parse(sarif.text).version === "2.1.0" && sarif.name.endsWith(".sarif"), `SARIF saved as ${sarif.name}`);
  const html = await saved("html");
  assert(html.text.startsWith("<!DOCTYPE html>") || html.text.startsWith("<!doctype html>"), "the HTML report is no page");
  assert(/<svg[\s>]/.test(html.text), "the HTML report has no drawn diagram");
  for (const format of ["markdown", "json", "csv", "otm", "text", "dot", "mermaid"]) {
    const file = await saved(format);
    assert(file.text.length > 100, `the ${format} download is nearly empty`);
  }
});

/** Ten pairs of keystrokes that keep the model valid (a letter after `system `, then its
 * removal), each waited for; the page's timings of the twenty analyses they cause. */
async function keystrokeSamples(page) {
  const samples = [];
  for (let i = 0; i < 10; i++) {
    await cursorAfter(page, "system ");
    await nextUpdate(page, () => page.keyboard.type(i % 2 ? "x" : "y"));
    await nextUpdate(page, () => page.keyboard.press("Backspace"));
    samples.push(...(await page.evaluate(() => window.medtm.state.timings.slice(-2))));
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {
    bytes: samples[0].bytes,
    findings: await page.evaluate(() => window.medtm.state.current.marks.length),
    engineMedianMs: median(samples.map((s) => s.engineMs)),
    updateMedianMs: median(samples.map((s) => s.updateMs)),
    updateMaxMs: Math.max(...samples.map((s) => s.updateMs)),
    keystrokeToRisksMedianMs: median(samples.map((s) => s.fromKeystrokeMs)),
  };
}

test("each example: keystroke to updated risks, and a screenshot", async () => {
  const examples = await page.evaluate(() => window.medtm.examples.map((e) => e.name));
  for (const name of examples) {
    await nextUpdate(page, () => page.selectOption("#example", name));
    await page.waitForFunction(() => !window.medtm.diagram.pending && document.querySelector("#diagram svg"), null, { timeout: 20000 });
    metrics.examples[name] = { ...(await keystrokeSamples(page)), layoutMs: await page.evaluate(() => window.medtm.diagram.layoutMs) };
    assert((await riskIds(page)).length === metrics.examples[name].findings, "the risks changed");
    await page.evaluate(() => document.activeElement.blur());
    // Highlighting and the diagram's scrolling finish after the update.
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(results, `${name}.png`) });
    await page.click("#risks tbody tr[data-id]");
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(results, `${name}-selected.png`) });
  }
});

test("a generated 1,000-element model: keystroke to updated risks, typing never waits", async () => {
  const path = process.env.MEDTM_GENERATED_MODEL;
  if (!path) return;
  const text = await readFile(path, "utf8");
  await nextUpdate(page, () => page.evaluate((text) => window.medtm.view.dispatch({ changes: { from: 0, to: window.medtm.view.state.doc.length, insert: text } }), text));
  await page.waitForFunction(() => !document.body.classList.contains("stale"), null, { timeout: READY_MS });
  metrics.examples["generated 1,000 elements"] = await keystrokeSamples(page);
  // A burst of keystrokes faster than the analysis (ten edits in one turn of the page's event
  // loop): the editor takes each at once, since the engine works in a worker, and only the
  // first and the last text are analysed, never the ones in between.
  await cursorAfter(page, "system ");
  const typed = "abcdefghij";
  const burst = await page.evaluate((typed) => {
    const { view, analyser } = window.medtm;
    const before = analyser.sent;
    const started = performance.now();
    for (const letter of typed) view.dispatch(view.state.replaceSelection(letter));
    return { typingMs: performance.now() - started, before, sent: analyser.sent - before };
  }, typed);
  await page.waitForFunction((typed) => window.medtm.view.state.doc.toString().includes(`system ${typed}`) && window.medtm.state.keystrokeAt === null, typed, { timeout: READY_MS });
  const analysed = (await page.evaluate(() => window.medtm.analyser.sent)) - burst.before;
  metrics.burst = { keys: typed.length, typingMs: burst.typingMs, analysed };
  assert(burst.sent === 1, `the burst sent ${burst.sent} texts to the worker while it was busy; expected the first alone`);
  assert(analysed === 2, `${analysed} texts of the burst were analysed; expected the first and the last`);
  const findings = metrics.examples["generated 1,000 elements"].findings;
  assert(await page.evaluate((n) => window.medtm.state.current.marks.length === n, findings), "the risks after the burst");
  // Thousands of risks: the table lists the first 500 in rank order and says so, and lists all
  // when asked.
  const listed = await riskIds(page);
  const ranked = await page.evaluate(() => window.medtm.state.current.marks.map((m) => m.finding));
  assert(listed.length === 500 && JSON.stringify(listed) === JSON.stringify(ranked.slice(0, 500)), `the table lists ${listed.length} risks`);
  assert((await page.textContent("#risks tr.more")).includes(`of ${findings} risks`), "the table does not say it lists a part");
  await page.click("#risks button.show-all");
  assert((await riskIds(page)).length === findings, "Show all does not list every risk");
  for (let i = 0; i < typed.length; i++) await page.keyboard.press("Backspace");
});

let passed = 0;
let failed = 0;
for (const { name, body } of tests) {
  try {
    await body();
    passed++;
    console.log(`ok - ${name}`);
  } catch (error) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(error.stack ?? error).replaceAll("\n", "\n  ")}`);
    await page.screenshot({ path: join(results, `failed-${failed}.png`) }).catch(() => {});
  }
}
if (pageErrors.length) {
  failed++;
  console.log(`not ok - the page reported no errors\n  ${pageErrors.join("\n  ")}`);
} else {
  passed++;
  console.log("ok - the page reported no errors");
}
await context.close();
await rm(userData, { recursive: true, force: true });
await writeFile(join(results, "metrics.json"), `${JSON.stringify(metrics, null, 2)}\n`);

const ms = (value) => `${value.toFixed(1)} ms`.padStart(9);
console.log("\nkeystroke to updated risks (median of 20; the engine runs in a worker, the page renders):");
console.log(`  ${"model".padEnd(26)}${"bytes".padStart(8)}${"engine".padStart(9)}${"render".padStart(9)}${"worst".padStart(9)}${"keystroke".padStart(11)}${"layout".padStart(9)}`);
for (const [name, m] of Object.entries(metrics.examples)) {
  console.log(`  ${name.padEnd(26)}${String(m.bytes).padStart(8)}${ms(m.engineMedianMs)}${ms(m.updateMedianMs)}${ms(m.updateMaxMs)}${ms(m.keystrokeToRisksMedianMs).padStart(11)}${ms(m.layoutMs ?? 0)}`);
}
if (metrics.burst) {
  console.log(`a burst of ${metrics.burst.keys} keystrokes typed in ${metrics.burst.typingMs.toFixed(1)} ms on the large model: ${metrics.burst.analysed} texts analysed`);
}
if (metrics.transfer) {
  console.log(`transfer before the diagram loads: ${(metrics.transfer.beforeDiagramBytes / 1024).toFixed(1)} KiB (${(metrics.transfer.beforeDiagramDecodedBytes / 1024).toFixed(1)} KiB decoded)`);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
