//! The browser playground's commands: `web` builds it into `web/dist/` (installing what is
//! missing first), `serve` serves that folder on loopback, `web-test` builds, serves and runs
//! the end-to-end test in headless Chromium.

use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::{cargo, ensure_debian_packages, step};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

fn workspace() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().and_then(Path::parent).unwrap_or(xtask).to_owned()
}

fn web_dir() -> PathBuf {
    workspace().join("web")
}

/// `web`: compiles the engine to WebAssembly, generates its JavaScript glue, optimises it, and
/// bundles the page into `web/dist/`.
pub fn build() -> Result<(), String> {
    ensure_debian_packages(&[("node", "nodejs"), ("npm", "npm")])?;
    ensure_wasm_target()?;
    let bindgen = ensure_wasm_bindgen()?;
    ensure_node_modules()?;
    let mut compile = cargo(&["build", "-p", "medtm-wasm", "--release", "--locked", "--target", WASM_TARGET]);
    // Settings for the browser build only (the workspace's release profile serves the command
    // line): optimised for size (a tenth smaller than for speed, and a tenth slower, well within
    // a keystroke's budget), one unit without debug information, aborting on panic.
    compile
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "s")
        .env("CARGO_PROFILE_RELEASE_LTO", "fat")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1")
        .env("CARGO_PROFILE_RELEASE_PANIC", "abort")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false");
    step("compile the engine to WebAssembly", compile)?;
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace().join("target"), PathBuf::from);
    let module = target.join(WASM_TARGET).join("release/medtm_wasm.wasm");
    let pkg = web_dir().join("build/pkg");
    let mut glue = Command::new(bindgen);
    glue.args(["--target", "web", "--no-typescript", "--out-dir"]).arg(&pkg).arg(&module);
    step("generate the JavaScript glue", glue)?;
    optimise(&pkg.join("medtm_wasm_bg.wasm"))?;
    let mut bundle = Command::new("node");
    bundle.arg("build.mjs").current_dir(web_dir());
    step("bundle the page", bundle)
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|error| format!("cannot run rustup (needed for the {WASM_TARGET} target): {error}"))?;
    if String::from_utf8_lossy(&installed.stdout).lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    let mut add = Command::new("rustup");
    add.args(["target", "add", WASM_TARGET]);
    step("add the WebAssembly target", add)
}

/// The `wasm-bindgen` version the engine's manifest pins (`wasm-bindgen = "=X.Y.Z"`): the
/// command that generates the glue must be exactly that version.
fn pinned_wasm_bindgen() -> Result<String, String> {
    let path = workspace().join("crates/medtm-wasm/Cargo.toml");
    let manifest = std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("wasm-bindgen = \"=")?.strip_suffix('"').map(str::to_owned))
        .ok_or_else(|| format!("{}: no `wasm-bindgen = \"=X.Y.Z\"` line", path.display()))
}

/// The `wasm-bindgen` command at the pinned version, installed with cargo when it is missing
/// or another version.
fn ensure_wasm_bindgen() -> Result<PathBuf, String> {
    let version = pinned_wasm_bindgen()?;
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .map(|home| home.join("bin/wasm-bindgen"));
    let candidates = [Some(PathBuf::from("wasm-bindgen")), cargo_bin];
    let has_version = |command: &Path| {
        Command::new(command).arg("--version").output().is_ok_and(|output| {
            String::from_utf8_lossy(&output.stdout).split_whitespace().nth(1) == Some(version.as_str())
        })
    };
    if let Some(found) = candidates.iter().flatten().find(|command| has_version(command)) {
        return Ok(found.clone());
    }
    // Not `--locked`: the CLI's own lock file pins versions that newer compilers reject.
    let install = cargo(&["install", "wasm-bindgen-cli", "--version", &format!("={version}")]);
    step(&format!("install wasm-bindgen-cli {version}"), install)?;
    candidates
        .iter()
        .flatten()
        .find(|command| has_version(command))
        .cloned()
        .ok_or_else(|| format!("wasm-bindgen {version} was installed but is not on PATH or in cargo's bin folder"))
}

/// Installs the page's npm packages from the committed lock file when they are missing or
/// older than it.
fn ensure_node_modules() -> Result<(), String> {
    let web = web_dir();
    let modified = |path: PathBuf| std::fs::metadata(path).and_then(|meta| meta.modified()).ok();
    let installed = modified(web.join("node_modules/.package-lock.json"));
    let locked = modified(web.join("package-lock.json"));
    if installed.is_some() && installed >= locked {
        return Ok(());
    }
    let mut install = Command::new("npm");
    install.args(["ci", "--no-audit", "--no-fund"]).current_dir(&web);
    step("install the page's npm packages", install)
}

/// Runs wasm-opt (from the npm package `binaryen`; Debian's breaks these modules) on the engine,
/// in place. It takes a minute, so the result is kept and reused while its input is unchanged.
fn optimise(module: &Path) -> Result<(), String> {
    let cache = web_dir().join("build/cache");
    let (last_input, last_output) = (cache.join("engine.in.wasm"), cache.join("engine.out.wasm"));
    let input = std::fs::read(module).map_err(|error| format!("{}: {error}", module.display()))?;
    if std::fs::read(&last_input).is_ok_and(|last| last == input) && last_output.is_file() {
        eprintln!("\n==> wasm-opt: the engine is unchanged; reusing the optimised module");
        return std::fs::copy(&last_output, module).map(drop).map_err(|error| error.to_string());
    }
    let mut opt = Command::new(web_dir().join("node_modules/.bin/wasm-opt"));
    opt.arg("-Oz")
        .args([
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
        ])
        .arg(module)
        .arg("-o")
        .arg(module);
    step("optimise the engine (wasm-opt)", opt)?;
    std::fs::create_dir_all(&cache).map_err(|error| format!("{}: {error}", cache.display()))?;
    std::fs::write(&last_input, &input).map_err(|error| format!("{}: {error}", last_input.display()))?;
    std::fs::copy(module, &last_output).map(drop).map_err(|error| format!("{}: {error}", last_output.display()))
}

/// `serve [--port N]`: serves `web/dist/` on 127.0.0.1 until stopped.
pub fn serve(args: &[String]) -> Result<(), String> {
    let mut port = 8000;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                let value = args.next().ok_or("--port needs a value")?;
                port = value.parse().map_err(|_| format!("--port: `{value}` is not a port number"))?;
            }
            _ => return Err(format!("unknown option {arg}")),
        }
    }
    let root = web_dir().join("dist");
    if !root.join("index.html").is_file() {
        return Err(format!("{} has no page; run `cargo xtask web` first", root.display()));
    }
    let listener =
        TcpListener::bind(("127.0.0.1", port)).map_err(|error| format!("cannot listen on port {port}: {error}"))?;
    let address = listener.local_addr().map_err(|error| error.to_string())?;
    eprintln!("serving {} at http://{address}/ (Ctrl-C stops)", root.display());
    accept(&listener, &root);
    Ok(())
}

/// `web-test`: builds the page, runs the engine's API tests compiled to WebAssembly (in Node,
/// under wasm-bindgen's test runner), then serves the page on a free loopback port and runs
/// `web/tests/e2e.mjs` in headless Chromium (installed from Debian's packages when missing),
/// with a generated 1,000-element model for its latency measurement.
pub fn test() -> Result<(), String> {
    build()?;
    let runner = ensure_wasm_bindgen()?.with_file_name("wasm-bindgen-test-runner");
    let mut api = cargo(&["test", "-p", "medtm-wasm", "--locked", "--target", WASM_TARGET]);
    // Without debug information the test modules build and load in a fraction of the time.
    api.env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", runner).env("CARGO_PROFILE_DEV_DEBUG", "0");
    step("the engine's API in WebAssembly (wasm-bindgen-test)", api)?;
    ensure_debian_packages(&[("chromium", "chromium")])?;
    let root = web_dir().join("dist");
    let listener =
        TcpListener::bind(("127.0.0.1", 0)).map_err(|error| format!("cannot listen on loopback: {error}"))?;
    let address = listener.local_addr().map_err(|error| error.to_string())?;
    std::thread::spawn(move || accept(&listener, &root));
    // The latency budget's large model: a generated hospital of 1,000 elements.
    let generated = web_dir().join("test-results/generated-1000.mtm");
    std::fs::create_dir_all(web_dir().join("test-results")).map_err(|error| error.to_string())?;
    std::fs::write(&generated, medtm_gen::hospital(1_000, 1))
        .map_err(|error| format!("{}: {error}", generated.display()))?;
    let mut e2e = Command::new("node");
    e2e.arg("tests/e2e.mjs")
        .current_dir(web_dir())
        .env("MEDTM_PLAYGROUND_URL", format!("http://{address}/"))
        .env("MEDTM_GENERATED_MODEL", &generated);
    step("end-to-end test in Chromium", e2e)
}

fn accept(listener: &TcpListener, root: &Path) {
    for stream in listener.incoming().flatten() {
        let root = root.to_owned();
        std::thread::spawn(move || {
            let _ = respond(stream, &root);
        });
    }
}

/// Answers one request (GET or HEAD of a file under `root`) and closes the connection.
fn respond(stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut accepts_gzip = false;
    let mut header = String::new();
    let mut lines = 0;
    while reader.read_line(&mut header)? > 2 && header.len() < 16 * 1024 && lines < 100 {
        lines += 1;
        let lower = header.to_ascii_lowercase();
        if lower.starts_with("accept-encoding:") && lower.contains("gzip") {
            accepts_gzip = true;
        }
        header.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut out = stream;
    if method != "GET" && method != "HEAD" {
        return write_response(&mut out, "405 Method Not Allowed", "text/plain", None, b"method not allowed\n", true);
    }
    let Some(path) = resolve(root, target) else {
        return write_response(&mut out, "404 Not Found", "text/plain", None, b"not found\n", method == "GET");
    };
    let gzipped = path.with_file_name(format!("{}.gz", path.file_name().unwrap_or_default().to_string_lossy()));
    let (body, encoding) = match (accepts_gzip, std::fs::read(&gzipped)) {
        (true, Ok(body)) => (body, Some("gzip")),
        _ => (std::fs::read(&path)?, None),
    };
    write_response(&mut out, "200 OK", content_type(&path), encoding, &body, method == "GET")
}

/// The file a request's path names under `root` (`/` is `index.html`); `None` for anything
/// that is not a file there or that tries to leave it.
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?.strip_prefix('/')?;
    let path = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_owned() };
    let safe = path.split('/').all(|part| !part.is_empty() && part != ".." && part != "." && !part.contains('\\'));
    let file = root.join(path);
    (safe && file.is_file()).then_some(file)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|extension| extension.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

fn write_response(
    out: &mut TcpStream,
    status: &str,
    content_type: &str,
    encoding: Option<&str>,
    body: &[u8],
    with_body: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nVary: Accept-Encoding\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(encoding) = encoding {
        let _ = write!(head, "Content-Encoding: {encoding}\r\n");
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    if with_body {
        out.write_all(body)?;
    }
    out.flush()
}
