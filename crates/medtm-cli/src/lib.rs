//! The medtm command line. The only crate (with the language server and xtask) that touches files,
//! the terminal, the clock or the environment; all the work is done by the pure crates.
//!
//! Exit codes: 0 success (warnings allowed), 1 the model has errors, 2 usage or I/O error,
//! 3 a `--fail-on` threshold was reached.

mod args;
mod commands;
mod input;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser as _;

pub use args::Cli;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    ModelErrors,
    UsageOrIo,
    ThresholdReached,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        ExitCode::from(match outcome {
            Outcome::Success => 0,
            Outcome::ModelErrors => 1,
            Outcome::UsageOrIo => 2,
            Outcome::ThresholdReached => 3,
        })
    }
}

/// Runs the command line; never panics on bad input.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version to stdout with success, usage errors to stderr.
            let _ = error.print();
            return if error.use_stderr() { Outcome::UsageOrIo.into() } else { Outcome::Success.into() };
        }
    };
    commands::run(&cli).into()
}
