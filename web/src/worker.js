// An analysis worker (see analyser.js): loads its own copy of the engine and answers each
// message `{ kind, text, today }` with the engine's `analyse` (the risks a keystroke needs) or
// `report` (the report, views and diagram) of it.

import initEngine, * as engine from "medtm-engine";

const ready = initEngine({ module_or_path: new URL(ENGINE_WASM, import.meta.url) });

self.onmessage = async ({ data }) => {
  try {
    await ready;
    const begun = performance.now();
    const answer = data.kind === "report" ? engine.report(data.text, data.today) : engine.analyse(data.text, data.today);
    self.postMessage({ text: data.text, answer, engineMs: performance.now() - begun });
  } catch (error) {
    self.postMessage({ text: data.text, failed: `the engine failed: ${error}` });
  }
};
