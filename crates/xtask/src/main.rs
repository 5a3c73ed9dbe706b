//! `cargo xtask ...`: the project's own commands. `ci` is the one test command the README and
//! `.ci/run` use: it installs what is missing and runs every check.

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("gen-model") => gen_model(&args[1..]),
        Some("docs") => docs(),
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

  ci                                     fmt check, clippy (-D warnings), every test
  gen-model --elements N [--seed S]      print a generated hospital model of about N elements
  docs                                   regenerate the README's reference sections from the code";

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
    step("format", cargo(&["fmt", "--all", "--", "--check"]))?;
    step("clippy", cargo(&["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"]))?;
    step("tests", cargo(&["test", "--workspace", "--locked"]))?;
    Ok(())
}

fn cargo(args: &[&str]) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command.args(args);
    command
}

fn step(name: &str, mut command: Command) -> Result<(), String> {
    eprintln!("\n==> {name}: {command:?}");
    let status = command.status().map_err(|error| format!("{name}: cannot start: {error}"))?;
    if status.success() { Ok(()) } else { Err(format!("{name} failed ({status})")) }
}
