// The medtm extension: the TextMate grammar (see package.json) and a client that starts
// `medtm lsp` for .mtm files. The server does the rest: diagnostics and findings, hover,
// completion, go to definition, references, outline, formatting, rename and quick fixes.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate() {
  const command = vscode.workspace.getConfiguration("medtm").get("server.path", "medtm");
  client = new LanguageClient(
    "medtm",
    "medtm",
    { command, args: ["lsp"] },
    { documentSelector: [{ scheme: "file", language: "medtm" }, { scheme: "untitled", language: "medtm" }] },
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
