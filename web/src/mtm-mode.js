// Syntax highlighting for .mtm models: a stream mode (no grammar to build) that follows the
// lexical rules of grammar/medtm.pest: `//`, `///` and `/* */` comments, `"` strings, `"""` text
// blocks, keywords at the start of a declaration, `name:` attributes, numbers and dates, arrows.

import { StreamLanguage } from "@codemirror/language";

const KEYWORDS = new Set([
  "system", "asset", "actor", "boundary", "component", "store", "software", "flow",
  "control", "accept", "transfer", "assumption", "risk_matrix",
]);
const HEADER_WORDS = new Set(["on", "to"]);
const CONSTANTS = new Set(["true", "false", "unknown"]);

export const mtm = StreamLanguage.define({
  name: "mtm",
  startState: () => ({ inBlockComment: false, inTextBlock: false, expectKeyword: true, afterKeyword: false }),
  copyState: (state) => ({ ...state }),
  token(stream, state) {
    if (state.inBlockComment) {
      if (stream.skipTo("*/")) {
        stream.pos += 2;
        state.inBlockComment = false;
      } else {
        stream.skipToEnd();
      }
      return "blockComment";
    }
    if (state.inTextBlock) {
      if (stream.skipTo('"""')) {
        stream.pos += 3;
        state.inTextBlock = false;
      } else {
        stream.skipToEnd();
      }
      return "string";
    }
    if (stream.sol()) state.expectKeyword = true;
    if (stream.eatSpace()) return null;
    if (stream.match("///")) {
      stream.skipToEnd();
      return "docComment";
    }
    if (stream.match("//")) {
      stream.skipToEnd();
      return "lineComment";
    }
    if (stream.match("/*")) {
      state.inBlockComment = true;
      return "blockComment";
    }
    if (stream.match('"""')) {
      state.inTextBlock = true;
      return "string";
    }
    if (stream.peek() === '"') {
      stream.next();
      let escaped = false;
      for (let ch = stream.next(); ch != null; ch = stream.next()) {
        if (ch === '"' && !escaped) break;
        escaped = !escaped && ch === "\\";
      }
      state.expectKeyword = false;
      return "string";
    }
    if (stream.match("<->") || stream.match("->")) return "operator";
    if (stream.match(/^\d{4}-\d{2}-\d{2}\b/) || stream.match(/^-?\d+(\.\d+)?\b/)) {
      state.expectKeyword = false;
      return "number";
    }
    const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*(?:-(?!>)[A-Za-z0-9_]+)*/);
    if (word) {
      const text = word[0];
      const wasFirst = state.expectKeyword;
      state.expectKeyword = false;
      // `software: [...]` is an attribute, though `software` is a keyword too.
      const attribute = /^\s*:/.test(stream.string.slice(stream.pos));
      if (wasFirst && KEYWORDS.has(text) && !attribute) {
        state.afterKeyword = true;
        return "keyword";
      }
      if (attribute && !state.afterKeyword) return "propertyName";
      if (CONSTANTS.has(text)) return "atom";
      if (state.afterKeyword && HEADER_WORDS.has(text)) return "keyword";
      return state.afterKeyword ? "variableName.definition" : "variableName";
    }
    const ch = stream.next();
    if (ch === "{" || ch === "}" || ch === ",") {
      state.expectKeyword = true;
      state.afterKeyword = false;
      return "brace";
    }
    if (ch === ":") return "punctuation";
    return "punctuation";
  },
  languageData: { commentTokens: { line: "//", block: { open: "/*", close: "*/" } } },
});
