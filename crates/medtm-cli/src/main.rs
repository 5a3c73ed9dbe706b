//! The `medtm` binary: parses the command line and maps outcomes to exit codes. Everything else
//! lives in the library so that tests can drive it.

use std::process::ExitCode;

fn main() -> ExitCode {
    medtm_cli::run(std::env::args_os())
}
