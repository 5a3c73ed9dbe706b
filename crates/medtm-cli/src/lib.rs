//! The medtm command line. The only crate (with the language server and xtask) that touches files,
//! the terminal, the clock or the environment; all the work is done by the pure crates.
//!
//! Exit codes: 0 success (warnings allowed), 1 the model has errors, 2 usage or I/O error,
//! 3 a `--fail-on` threshold was reached.

mod args;
mod commands;
mod input;
mod mcp;

use std::ffi::OsString;
use std::io::{Read, Write};
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

impl Outcome {
    pub const fn code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::ModelErrors => 1,
            Outcome::UsageOrIo => 2,
            Outcome::ThresholdReached => 3,
        }
    }
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        ExitCode::from(outcome.code())
    }
}

/// The streams a command reads and writes, so tests can drive the command line in-process.
pub struct Io<'a> {
    pub stdin: &'a mut dyn Read,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    /// Whether standard output is a terminal (colour is only used there, unless asked for).
    pub stdout_is_terminal: bool,
}

impl std::fmt::Debug for Io<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Io").field("stdout_is_terminal", &self.stdout_is_terminal).finish_non_exhaustive()
    }
}

/// Runs the command line against the process's own streams.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> ExitCode {
    use std::io::IsTerminal as _;
    let stdout_is_terminal = std::io::stdout().is_terminal();
    // Not locked for the whole run: `medtm lsp` reads and writes them from its own threads.
    let mut stdin = std::io::stdin();
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr().lock();
    let mut io = Io { stdin: &mut stdin, stdout: &mut stdout, stderr: &mut stderr, stdout_is_terminal };
    let outcome = run_with(args, &mut io);
    let _ = io.stdout.flush();
    outcome.into()
}

/// Runs the command line against the given streams; never panics on bad input.
pub fn run_with(args: impl IntoIterator<Item = impl Into<OsString> + Clone>, io: &mut Io<'_>) -> Outcome {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            // clap renders help and version as successes on stdout, usage errors on stderr.
            let text = error.render().to_string();
            if error.use_stderr() {
                let _ = write!(io.stderr, "{text}");
                return Outcome::UsageOrIo;
            }
            let _ = write!(io.stdout, "{text}");
            return Outcome::Success;
        }
    };
    commands::run(&cli, io)
}
