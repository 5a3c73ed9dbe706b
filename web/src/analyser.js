// The analysis off the page's main thread: a worker with its own engine analyses the latest
// text, so typing never waits on it, and an edit made while it works is analysed next, alone:
// texts typed in between are never analysed (nothing queues behind a stale analysis).

/** Starts the worker; `onAnalysed({ answer, text, engineMs })` is called for each analysis. */
export function createAnalyser(onAnalysed) {
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
    worker.postMessage(job);
  };
  worker.onmessage = ({ data }) => {
    working = null;
    if (data.failed) {
      onAnalysed({ answer: { ok: false, error: data.failed }, text: data.text, engineMs: 0, roundTripMs: 0 });
    } else {
      onAnalysed({ answer: data.answer, text: data.text, engineMs: data.engineMs, roundTripMs: performance.now() - sentAt });
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
