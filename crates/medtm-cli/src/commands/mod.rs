//! One module per subcommand.

mod check;
mod explain;

use std::io::IsTerminal as _;

use crate::Outcome;
use crate::args::{Cli, ColorChoice, Command};

pub fn run(cli: &Cli) -> Outcome {
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    match &cli.command {
        Command::Check { files, format, today } => check::run(files, *format, *today, color),
        Command::Explain { word } => explain::run(word),
    }
}

/// Prints an error for the user on standard error.
pub fn error(message: &str) {
    anstream::eprintln!("error: {message}");
}
