// Builds the playground into dist/ from the engine that `cargo xtask web` compiled (build/pkg,
// or MEDTM_WASM_PKG): bundles the page with esbuild, copies the engine's .wasm next to the
// bundle (esbuild does not), embeds the example models from models/, writes the service worker
// with the list of files to keep offline, and a gzipped copy of each file for servers that
// send them. Prints each file's size, raw and gzipped; dist/sizes.json keeps the same.

import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = process.env.MEDTM_WASM_PKG ?? join(here, "build", "pkg");
const models = join(here, "..", "models");
const dist = join(here, "dist");

const glue = join(pkg, "medtm_wasm.js");
const wasm = join(pkg, "medtm_wasm_bg.wasm");
if (!existsSync(glue) || !existsSync(wasm)) {
  console.error(`build.mjs: no engine in ${pkg}; run \`cargo xtask web\`, which compiles it first`);
  process.exit(1);
}

const hash = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 10);

/** `import examples from "medtm:examples"`: every models/*.mtm as { name, title, text }. */
const examplesPlugin = {
  name: "medtm-examples",
  setup(build) {
    build.onResolve({ filter: /^medtm:examples$/ }, () => ({ path: "examples", namespace: "medtm-examples" }));
    build.onLoad({ filter: /.*/, namespace: "medtm-examples" }, async () => {
      const files = (await readdir(models)).filter((file) => file.endsWith(".mtm")).sort();
      const examples = await Promise.all(
        files.map(async (file) => {
          const text = await readFile(join(models, file), "utf8");
          const name = basename(file, ".mtm");
          const title = /^system\s+\w+\s+"([^"]+)"/m.exec(text)?.[1] ?? name;
          return { name, title, text };
        }),
      );
      return { contents: `export default ${JSON.stringify(examples)};`, loader: "js", watchFiles: files.map((f) => join(models, f)) };
    });
  },
};

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const engineBytes = await readFile(wasm);
const engineName = `medtm-engine-${hash(engineBytes)}.wasm`;
await writeFile(join(dist, engineName), engineBytes);

// What the worker's and the page's bundles share.
const bundling = {
  bundle: true,
  format: "esm",
  outdir: dist,
  entryNames: "[name]-[hash]",
  minify: true,
  target: ["es2022"],
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
  alias: { "medtm-engine": glue },
};

// The analysis worker first: the page names its bundle.
const workerBuild = await esbuild.build({
  ...bundling,
  entryPoints: { "analysis-worker": join(here, "src", "worker.js") },
  define: { ENGINE_WASM: JSON.stringify(`./${engineName}`) },
});
const workerScript = relative(dist, Object.keys(workerBuild.metafile.outputs)[0]);

const result = await esbuild.build({
  ...bundling,
  entryPoints: { app: join(here, "src", "main.js"), style: join(here, "src", "style.css") },
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  define: { ENGINE_WASM: JSON.stringify(`./${engineName}`), ANALYSIS_WORKER: JSON.stringify(`./${workerScript}`) },
  plugins: [examplesPlugin],
});

const outputs = Object.entries(result.metafile.outputs);
const entry = (source) => relative(dist, outputs.find(([, output]) => output.entryPoint?.endsWith(source))[0]);
const script = entry("src/main.js");
const style = entry("src/style.css");

const page = (await readFile(join(here, "src", "index.html"), "utf8")).replace("%SCRIPT%", `./${script}`).replace("%STYLE%", `./${style}`);
await writeFile(join(dist, "index.html"), page);

async function files(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await files(path)));
    else found.push(relative(dist, path));
  }
  return found.sort();
}

const assets = await files(dist);
const worker = (await readFile(join(here, "src", "sw.js"), "utf8"))
  .replace("__VERSION__", hash(assets.join("\n") + engineBytes.length))
  .replace("__ASSETS__", JSON.stringify(["./", ...assets.map((asset) => `./${asset}`)]));
await writeFile(join(dist, "sw.js"), worker);

// The files the page loads before anyone opens the diagram: the page, its script with the
// chunks it imports statically, its style sheet, the engine and the analysis worker.
const staticImports = new Set([script]);
for (const [path, output] of outputs) {
  if (relative(dist, path) === script) for (const imported of output.imports) if (imported.kind === "import-statement") staticImports.add(relative(dist, imported.path));
}
const initial = new Set(["index.html", style, engineName, workerScript, ...staticImports]);

const sizes = [];
for (const file of await files(dist)) {
  const bytes = await readFile(join(dist, file));
  const gzipped = gzipSync(bytes, { level: 9 });
  if (!file.endsWith(".map")) await writeFile(join(dist, `${file}.gz`), gzipped);
  sizes.push({ file, bytes: (await stat(join(dist, file))).size, gzip: gzipped.length, initial: initial.has(file) });
}
await writeFile(join(dist, "sizes.json"), `${JSON.stringify({ engine: engineName, files: sizes }, null, 2)}\n`);

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(11);
console.log(`\n  ${"file".padEnd(44)}${"raw".padStart(11)}${"gzip".padStart(11)}`);
for (const { file, bytes, gzip, initial: first } of sizes) console.log(`  ${(file + (first ? " *" : "")).padEnd(44)}${kib(bytes)}${kib(gzip)}`);
const sum = (key) => sizes.filter((s) => s.initial).reduce((total, s) => total + s[key], 0);
console.log(`  ${"* before the diagram loads".padEnd(44)}${kib(sum("bytes"))}${kib(sum("gzip"))}\n`);
