//! `cargo xtask ...`: the project's own commands. `ci` is the one test command the README and
//! `.ci/run` use: it installs what is missing and runs every check.

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = if let Some("ci") = args.first().map(String::as_str) {
        ci()
    } else {
        eprintln!("usage: cargo xtask ci\n\n  ci    fmt check, clippy (-D warnings), every test");
        return ExitCode::from(2);
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
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
