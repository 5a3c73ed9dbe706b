// The model editor: CodeMirror 6 with .mtm highlighting, the engine's diagnostics as lint
// markers, hover documentation and completion, all answered by the engine in the page.

import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  HighlightStyle,
  bracketMatching,
  forceParsing,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from "@codemirror/language";
import { lintGutter, lintKeymap, setDiagnostics } from "@codemirror/lint";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { EditorSelection, EditorState } from "@codemirror/state";
import {
  Decoration,
  EditorView,
  ViewPlugin,
  crosshairCursor,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  hoverTooltip,
  keymap,
  lineNumbers,
  rectangularSelection,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";

import { mtm } from "./mtm-mode.js";

const highlightStyle = HighlightStyle.define([
  { tag: tags.keyword, color: "#7b1fa2", fontWeight: "600" },
  { tag: tags.propertyName, color: "#1565c0" },
  { tag: tags.string, color: "#2e7d32" },
  { tag: [tags.lineComment, tags.blockComment], color: "#78909c", fontStyle: "italic" },
  { tag: tags.docComment, color: "#5d7b6f", fontStyle: "italic" },
  { tag: [tags.number, tags.atom], color: "#c2185b" },
  { tag: tags.definition(tags.variableName), color: "#00695c", fontWeight: "600" },
  { tag: tags.operator, color: "#e65100", fontWeight: "600" },
  { tag: tags.brace, color: "#546e7a" },
]);

const theme = EditorView.theme({
  "&": { height: "100%", fontSize: "13px", backgroundColor: "#fff" },
  ".cm-scroller": { fontFamily: "ui-monospace, 'JetBrains Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace", lineHeight: "1.5" },
  ".cm-gutters": { backgroundColor: "#f7f9fa", borderRight: "1px solid #e3e8eb", color: "#90a4ae" },
  ".cm-activeLine": { backgroundColor: "rgba(21, 101, 192, 0.045)" },
  ".cm-activeLineGutter": { backgroundColor: "#eaf2fc" },
  ".cm-tooltip.cm-tooltip-hover": { maxWidth: "640px" },
  ".cm-tooltip-hover pre.doc": {
    margin: "0",
    padding: "8px 10px",
    maxHeight: "340px",
    overflow: "auto",
    whiteSpace: "pre-wrap",
    fontSize: "12px",
    fontFamily: "ui-monospace, 'DejaVu Sans Mono', Menlo, monospace",
  },
  ".cm-selectionBackground, &.cm-focused .cm-selectionBackground": { backgroundColor: "#bbdefb !important" },
});

/**
 * Wrapped lines continue under their own indentation plus two columns, so that a long comment
 * or label does not run back to the left margin.
 */
const hangingIndent = ViewPlugin.fromClass(
  class {
    constructor(view) {
      this.decorations = this.build(view);
    }
    update(update) {
      if (update.docChanged || update.viewportChanged) this.decorations = this.build(update.view);
    }
    build(view) {
      const decorations = [];
      for (const { from, to } of view.visibleRanges) {
        for (let pos = from; pos <= to; ) {
          const line = view.state.doc.lineAt(pos);
          const columns = /^ */.exec(line.text)[0].length + 2;
          decorations.push(
            Decoration.line({ attributes: { style: `padding-left: calc(6px + ${columns}ch); text-indent: -${columns}ch` } }).range(line.from),
          );
          pos = line.to + 1;
        }
      }
      return Decoration.set(decorations);
    }
  },
  { decorations: (plugin) => plugin.decorations },
);

/**
 * Creates the editor in `parent`. `engine` answers completion and hover (an id's findings as of
 * `today`, as the risk table has them); `onChange(view)` is called after every change of the text.
 */
export function createEditor(parent, text, engine, today, onChange) {
  const completion = (context) => {
    const answer = engine.complete(context.state.doc.toString(), context.pos);
    if (!answer.ok || answer.options.length === 0) return null;
    // Only offer while a word is typed, or where something is expected (after `:`, `[`, ...).
    if (answer.from === context.pos && !context.explicit && !/[:\[,>{\s]$/.test(context.state.sliceDoc(context.pos - 1, context.pos))) {
      return null;
    }
    return {
      from: answer.from,
      options: answer.options.map((option) => ({
        label: option.label,
        type: option.type,
        detail: option.detail,
        info: option.info || undefined,
        apply: option.apply,
      })),
      validFor: /^[\w\-.]*$/,
    };
  };
  const hover = hoverTooltip((view, pos) => {
    const answer = engine.hover(view.state.doc.toString(), pos, today);
    if (!answer.ok || !answer.hover) return null;
    const { from, to, text: doc } = answer.hover;
    return {
      pos: from,
      end: to,
      above: true,
      create() {
        const dom = document.createElement("pre");
        dom.className = "doc";
        dom.textContent = doc.trimEnd();
        return { dom };
      },
    };
  });
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        EditorState.allowMultipleSelections.of(true),
        indentOnInput(),
        indentUnit.of("  "),
        bracketMatching(),
        closeBrackets(),
        rectangularSelection(),
        crosshairCursor(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        EditorView.lineWrapping,
        hangingIndent,
        mtm,
        syntaxHighlighting(highlightStyle),
        lintGutter(),
        autocompletion({ override: [completion], activateOnTyping: true }),
        hover,
        theme,
        keymap.of([
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...searchKeymap,
          ...historyKeymap,
          ...completionKeymap,
          ...lintKeymap,
          indentWithTab,
        ]),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.view);
        }),
      ],
    }),
  });
}

/** Shows the engine's diagnostics as lint markers; a suggested fix becomes an action. */
export function showDiagnostics(view, diagnostics) {
  const length = view.state.doc.length;
  const clamp = (offset) => Math.max(0, Math.min(offset, length));
  const lint = diagnostics.map((d) => {
    const from = clamp(d.from);
    const to = clamp(Math.max(d.to, d.from));
    const actions = d.fix
      ? [
          {
            name: d.fix.title,
            apply(view) {
              view.dispatch({ changes: { from: clamp(d.fix_from), to: clamp(d.fix_to), insert: d.fix.replacement } });
            },
          },
        ]
      : [];
    const label = d.label && !d.message.includes(d.label) ? ` (${d.label})` : "";
    const message = `${d.message}${label}`;
    return {
      from,
      to,
      severity: d.severity,
      source: d.code,
      message: d.help ? `${message}\nhelp: ${d.help}` : message,
      actions,
    };
  });
  view.dispatch(setDiagnostics(view.state, lint));
}

/** Replaces the whole text (an example was picked, or the model was formatted). */
export function replaceText(view, text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: EditorSelection.cursor(0) });
}

/** Selects a range and scrolls it into the middle of the editor. */
export function selectRange(view, from, to) {
  const length = view.state.doc.length;
  const anchor = Math.min(from, length);
  const head = Math.min(to, length);
  view.dispatch({
    selection: EditorSelection.range(anchor, head),
    effects: EditorView.scrollIntoView(anchor, { y: "center" }),
  });
  // Highlight the text scrolled to now, rather than when the browser is next idle.
  forceParsing(view, Math.min(length, head + 4000), 50);
  view.focus();
}
