//! `cargo xtask ...`: the project's own commands. `ci` is the one test command the README and
//! `.ci/run` use: it installs what is missing and runs every check.

mod editors;
mod mcp;
mod perf;
mod web;

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("gen-model") => gen_model(&args[1..]),
        Some("docs") => docs(),
        Some("editors") => editors::editors(),
        Some("mcp-test") => mcp::test(),
        Some("perf") => perf::perf(&args[1..]),
        Some("web") => web::build(),
        Some("serve") => web::serve(&args[1..]),
        Some("web-test") => web::test(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: cargo xtask <command>

  ci                                     fmt check, clippy (-D warnings), every test, the judgement suite
  gen-model --elements N [--seed S]      print a generated hospital model of about N elements
  docs                                   regenerate the README's reference sections from the code
  editors                                try the README's Neovim setup in Neovim 0.7 and 0.11 (installs them)
  mcp-test                               drive `medtm mcp` with the Python MCP SDK's client (installs it)
  perf [--sizes 100,1000,...]            time and peak memory of the release binary on generated models
  web                                    build the browser playground into web/dist (installs what is missing)
  serve [--port 8000]                    serve web/dist on 127.0.0.1
  web-test                               build and serve the playground, run its end-to-end test in Chromium";

/// `docs`: fills the generated sections of the README (vocabularies, rules, diagnostic codes).
fn docs() -> Result<(), String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    let text = std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
    let filled = medtm_report::docs::fill(&text);
    if filled != text {
        std::fs::write(&path, filled).map_err(|error| format!("{}: {error}", path.display()))?;
        eprintln!("README.md updated");
    }
    Ok(())
}

/// `gen-model --elements N [--seed S]`: prints a generated model to standard output.
fn gen_model(args: &[String]) -> Result<(), String> {
    let mut elements = None;
    let mut seed = 1;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = args.next().ok_or_else(|| format!("{arg} needs a value\n\n{USAGE}"))?;
        let number = value.parse::<u64>().map_err(|_| format!("{arg}: `{value}` is not a whole number"))?;
        match arg.as_str() {
            "--elements" => elements = Some(number),
            "--seed" => seed = number,
            _ => return Err(format!("unknown option {arg}\n\n{USAGE}")),
        }
    }
    let elements = elements.ok_or_else(|| format!("--elements is required\n\n{USAGE}"))?;
    let model = medtm_gen::hospital(usize::try_from(elements).map_err(|_| "--elements is too large")?, seed);
    std::io::Write::write_all(&mut std::io::stdout().lock(), model.as_bytes()).map_err(|error| error.to_string())
}

/// Runs every check CI runs, in the order that fails fastest.
fn ci() -> Result<(), String> {
    // Graphviz renders the diagrams that the graph tests check and the HTML report embeds.
    ensure_debian_packages(&[("dot", "graphviz")])?;
    step("format", cargo(&["fmt", "--all", "--", "--check"]))?;
    step("clippy", cargo(&["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"]))?;
    step("tests", cargo(&["test", "--workspace", "--locked"]))?;
    // The judgement suite ran with the tests; this prints its figures (tests/judgement/README.md).
    step("judgement", cargo(&["test", "-p", "medtm-tests", "--test", "judgement", "--locked", "--", "--nocapture"]))?;
    // The README's editor setup, as written, in the Neovims it names.
    editors::editors()?;
    // The MCP server, driven by the official Python SDK's client (installed into a venv).
    mcp::test()?;
    // The playground: the engine's API under wasm-bindgen-test and the end-to-end test in
    // headless Chromium (installs the wasm target, wasm-bindgen-cli, npm packages, Chromium).
    web::test()
}

/// Installs the Debian packages whose command is missing (`(command, package)` pairs). Needs
/// root and apt-get; elsewhere it says what to install and goes on (the tests that need a tool
/// say they were skipped).
fn ensure_debian_packages(needed: &[(&str, &str)]) -> Result<(), String> {
    let missing: Vec<&str> =
        needed.iter().filter(|(command, _)| !on_path(command)).map(|(_, package)| *package).collect();
    install_debian_packages(&missing)
}

/// Installs Debian packages (none when `packages` is empty); without root or apt-get, says what
/// to install and goes on.
fn install_debian_packages(missing: &[&str]) -> Result<(), String> {
    if missing.is_empty() {
        return Ok(());
    }
    if !on_path("apt-get") || !is_root() {
        eprintln!("xtask: not installing {} (needs root and apt-get); install it by hand", missing.join(", "));
        return Ok(());
    }
    let mut update = Command::new("apt-get");
    update.args(["update", "-qq"]);
    step("apt-get update", update)?;
    let mut install = Command::new("apt-get");
    install
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(missing)
        .env("DEBIAN_FRONTEND", "noninteractive");
    step(&format!("install {}", missing.join(", ")), install)
}

fn on_path(command: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(command).is_file()))
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|output| output.stdout.starts_with(b"0"))
}

/// A cargo command. Incremental compilation is off: these builds run once (CI, the playground
/// build), and its caches would double what they leave on disk.
fn cargo(args: &[&str]) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command.args(args).env("CARGO_INCREMENTAL", "0");
    command
}

fn step(name: &str, mut command: Command) -> Result<(), String> {
    eprintln!("\n==> {name}: {command:?}");
    let status = command.status().map_err(|error| format!("{name}: cannot start: {error}"))?;
    if status.success() { Ok(()) } else { Err(format!("{name} failed ({status})")) }
}
