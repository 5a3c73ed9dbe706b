//! The `medtm` binary: runs the command line on the process's streams and exits with its code.

use std::process::ExitCode;

fn main() -> ExitCode {
    medtm_cli::run(std::env::args_os())
}
