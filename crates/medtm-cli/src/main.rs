//! The `medtm` binary: runs the command line on the process's streams and exits with its code.

use std::process::ExitCode;

// A large model's analysis allocates hundreds of thousands of small strings; mimalloc keeps
// freed pages for reuse where the system allocator returns them and faults them back in, which
// cost a third of `medtm report` on a 10,000-element model.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    medtm_cli::run(std::env::args_os())
}
