// Downloads: the model as a .mtm file, and the report in each format the engine writes. The
// HTML report gets every view drawn by Graphviz here, as `medtm report` draws them with `dot`.

import { drawSvg } from "./diagram.js";

function save(content, type, fileName) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Saves the model text as NAME.mtm. */
export function downloadModel(text, name) {
  save(text, "text/plain", `${name}.mtm`);
  return null;
}

/**
 * Saves the report in `format` as NAME.EXTENSION; returns the engine's error, if any. `views`
 * names the architecture views to draw for the HTML report.
 */
export async function download(engine, text, format, today, name, views) {
  let drawings;
  if (format === "html") {
    drawings = {};
    for (const view of views) {
      const diagram = engine.diagram(text, view, today);
      if (!diagram.ok) return diagram.error;
      try {
        drawings[view] = await drawSvg(diagram.dot);
      } catch {
        // Without Graphviz the report shows the view's DOT source instead.
      }
    }
  }
  const answer = engine.render(text, format, today, drawings && JSON.stringify(drawings));
  if (!answer.ok) return answer.error;
  save(answer.content, answer.media_type, `${name}.${answer.extension}`);
  return null;
}
