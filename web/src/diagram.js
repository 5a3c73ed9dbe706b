// The diagrams: the engine writes DOT, Graphviz (compiled to WebAssembly, loaded on first use)
// lays it out as SVG. Elements, flows and boundaries keep the ids the engine gives them, which
// is how a finding's marks find them.

/**
 * The SVG id of a drawn thing, as the engine's DOT names it (`global_e_pump`,
 * `multipatient_f_bolus`): `kind` is `e` (element), `f` (flow) or `b` (boundary).
 */
export const svgId = (view, kind, id) => `${view.replaceAll("-", "")}_${kind}_${id}`;

let graphvizLoading = null;

function graphviz() {
  graphvizLoading ??= import("@hpcc-js/wasm-graphviz").then(({ Graphviz }) => Graphviz.load());
  return graphvizLoading;
}

/** DOT drawn as SVG text (loads Graphviz first if need be). */
export async function drawSvg(dot) {
  return (await graphviz()).dot(dot);
}

export class Diagram {
  constructor(container, status) {
    this.container = container;
    this.status = status;
    this.dot = null;
    this.view = "global";
    this.pending = null;
    this.marks = null;
    /** The scale the user chose, or null for the automatic one (see `applyZoom`). */
    this.zoom = null;
    this.onSelectElement = null;
    this.container.addEventListener("click", (event) => {
      const node = event.target.closest?.("g.node, g.edge");
      const prefix = [svgId(this.view, "e", ""), svgId(this.view, "f", "")].find((p) => node?.id?.startsWith(p));
      if (prefix && this.onSelectElement) this.onSelectElement(node.id.slice(prefix.length));
    });
  }

  /** Draws `dot`, the diagram of `view`, unless it is drawn already; the latest call wins. */
  async show(dot, view = "global") {
    if (dot === this.dot || dot === this.pending) return;
    this.pending = dot;
    this.pendingView = view;
    this.status.textContent = this.dot === null ? "Loading Graphviz…" : "";
    let svg;
    try {
      const engine = await graphviz();
      if (this.pending !== dot) return;
      const started = performance.now();
      svg = engine.dot(dot);
      this.layoutMs = performance.now() - started;
    } catch (error) {
      this.status.textContent = `Graphviz could not draw the diagram: ${error.message ?? error}`;
      this.pending = null;
      return;
    }
    if (this.pending !== dot) return;
    this.pending = null;
    // A redrawing of the same view (the model was edited) keeps where the panel was scrolled.
    const panel = this.container.parentElement;
    const kept = this.dot !== null && this.view === view ? [panel.scrollLeft, panel.scrollTop] : null;
    this.dot = dot;
    this.view = view;
    this.container.innerHTML = svg;
    this.status.textContent = "";
    const element = this.container.querySelector("svg");
    if (element) {
      element.removeAttribute("width");
      element.removeAttribute("height");
      this.applyZoom(!kept);
    }
    this.highlight(this.marks, !kept);
    if (kept) panel.scrollTo(...kept);
    this.container.dispatchEvent(new CustomEvent("drawn"));
  }

  /** Clears the drawing (the model has no analysis). */
  clear(message) {
    this.dot = null;
    this.pending = null;
    this.container.innerHTML = "";
    this.status.textContent = message;
  }

  /** The drawing's width at 100%: Graphviz measures in points. */
  naturalWidth() {
    const svg = this.container.querySelector("svg");
    return svg ? svg.viewBox.baseVal.width * (4 / 3) : 0;
  }

  /** The scale at which the drawing fills the panel's width. */
  fitScale() {
    const natural = this.naturalWidth();
    return natural ? (this.container.parentElement.clientWidth - 20) / natural : 1;
  }

  /** Zooms in (`+1`), out (`-1`) or to the panel's width (`0`); returns the scale. */
  zoomBy(step) {
    const current = this.scale();
    this.zoom = step === 0 ? this.fitScale() : Math.min(3, Math.max(0.2, current * 1.25 ** step));
    this.applyZoom();
    return this.zoom;
  }

  /**
   * The scale shown: the user's, or by default the panel's width, but no smaller than 70% (a
   * large model's diagram then scrolls rather than shrinking out of reading) and no larger than
   * 125%.
   */
  scale() {
    return this.zoom ?? Math.min(1.25, Math.max(0.7, this.fitScale()));
  }

  applyZoom(centre = true) {
    const svg = this.container.querySelector("svg");
    if (!svg) return;
    const scale = this.scale();
    svg.style.width = `${this.naturalWidth() * scale}px`;
    if (centre) this.centreOn(this.marks ? [...svg.querySelectorAll(".marked")] : []);
    this.container.dispatchEvent(new CustomEvent("zoomed", { detail: scale }));
  }

  /** Scrolls the panel so that the given parts of the drawing (or the whole) sit in its middle. */
  centreOn(parts) {
    const panel = this.container.parentElement;
    if (!parts.length) {
      // The whole drawing: from its top left, where its title is.
      panel.scrollTo({ left: 0, top: 0 });
      return;
    }
    const boxes = parts.map((part) => part.getBoundingClientRect());
    const middle = (low, high) => (Math.min(...boxes.map(low)) + Math.max(...boxes.map(high))) / 2;
    const view = panel.getBoundingClientRect();
    panel.scrollTo({
      left: panel.scrollLeft + middle((box) => box.left, (box) => box.right) - (view.left + view.right) / 2,
      top: panel.scrollTop + middle((box) => box.top, (box) => box.bottom) - (view.top + view.bottom) / 2,
    });
  }


  /**
   * Highlights what a finding touches (or nothing, with `null`), and brings it into the middle
   * of the panel when it is another finding than before (or `centre` says so).
   */
  highlight(marks, centre = marks?.finding !== this.marks?.finding) {
    this.marks = marks;
    const svg = this.container.querySelector("svg");
    if (!svg) return;
    for (const marked of svg.querySelectorAll(".marked")) marked.classList.remove("marked");
    svg.classList.toggle("has-selection", Boolean(marks));
    if (!marks) return;
    const ids = [
      ...marks.elements.map((id) => svgId(this.view, "e", id)),
      ...marks.flows.map((id) => svgId(this.view, "f", id)),
      ...marks.boundaries.map((id) => svgId(this.view, "b", id)),
    ];
    const marked = [];
    for (const id of ids) {
      const group = svg.getElementById(id);
      if (group) {
        group.classList.add("marked");
        marked.push(group);
      }
    }
    if (centre) this.centreOn(marked);
  }
}
