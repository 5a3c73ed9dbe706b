// The analysis off the page's main thread: a worker with its own engine analyses the latest
// text, so typing never waits on it, and an edit made while it works is analysed next, alone:
// texts typed in between are never analysed (nothing queues behind a stale analysis).
//
// The page runs two: one for the risks (`analyse`: diagnostics and the ranked rows, all a
// keystroke needs) and one for the report (`report`: the full report, the views and the
// diagram), so that building a large model's report never delays the next keystroke's risks.

/** Starts a worker for `kind` (`analyse` or `report`); `onDone({ answer, text, engineMs,
 * roundTripMs })` is called for each text it analysed. */
export function createAnalyser(kind, onDone) {
  const worker = new Worker(new URL(ANALYSIS_WORKER, import.meta.url), { type: "module" });
  /** The job the worker is on, and the latest one not yet sent (`{ text, today }`). */
  let working = null;
  let pending = null;
  let sentAt = 0;
  let sent = 0;

  const send = (job) => {
    sent++;
    working = job;
    sentAt = performance.now();
    worker.postMessage({ kind, ...job });
  };
  worker.onmessage = ({ data }) => {
    working = null;
    if (data.failed) {
      onDone({ answer: { ok: false, error: data.failed }, text: data.text, engineMs: 0, roundTripMs: 0 });
    } else {
      onDone({ answer: data.answer, text: data.text, engineMs: data.engineMs, roundTripMs: performance.now() - sentAt });
    }
    if (pending) {
      const next = pending;
      pending = null;
      send(next);
    }
  };
  return {
    /** How many texts were sent to the worker so far. */
    get sent() {
      return sent;
    },
    /** Analyses `text` as soon as the worker is free (a text sent before it is replaced). */
    analyse(text, today) {
      if (!working) send({ text, today });
      else if (working.text === text && working.today === today) pending = null;
      else pending = { text, today };
    },
  };
}
