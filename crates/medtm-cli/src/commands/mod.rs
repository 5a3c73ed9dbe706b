//! One module per subcommand, and what they share.

mod check;
mod explain;

use crate::args::{Cli, ColorChoice, Command};
use crate::{Io, Outcome};

pub fn run(cli: &Cli, io: &mut Io<'_>) -> Outcome {
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io.stdout_is_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    match &cli.command {
        Command::Check { files, format, today } => check::run(files, *format, *today, color, io),
        Command::Explain { word } => explain::run(word, io),
    }
}

/// Prints an error for the user on standard error.
pub fn error(io: &mut Io<'_>, message: &str) {
    let _ = writeln!(io.stderr, "error: {message}");
}
