//! One module per subcommand, and what they share.

pub mod check;
mod diff;
mod explain;
pub mod fmt;
mod graph;
mod lsp;
mod mcp;
pub mod report;
mod rules;
mod sbom;

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
        Command::Report { file, format, output, fail_on, today, no_diagrams } => report::run(
            &report::Request {
                file,
                format: *format,
                output: output.as_deref(),
                fail_on: *fail_on,
                today: *today,
                draw_diagrams: !*no_diagrams,
            },
            color,
            io,
        ),
        Command::Graph { file, format, view, output, today } => graph::run(
            &graph::Request { file, format: *format, view: *view, output: output.as_deref(), today: *today },
            io,
        ),
        Command::Diff { old, new, format, fail_on_new, output, today } => diff::run(
            &diff::Request {
                old,
                new,
                format: *format,
                fail_on_new: *fail_on_new,
                output: output.as_deref(),
                today: *today,
            },
            color,
            io,
        ),
        Command::Sbom { file, output } => sbom::run(file, output.as_deref(), io),
        Command::Fmt { files, check } => fmt::run(files, *check, io),
        Command::Lsp => lsp::run(io),
        Command::Mcp { today } => mcp::run(*today, io),
        Command::Rules { format } => rules::run(*format, io),
        Command::Explain { word } => explain::run(word, io),
    }
}

/// Prints an error for the user on standard error.
pub fn error(io: &mut Io<'_>, message: &str) {
    let _ = writeln!(io.stderr, "error: {message}");
}
