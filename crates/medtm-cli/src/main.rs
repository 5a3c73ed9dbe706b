//! The `medtm` binary: runs the command line on the process's streams and exits with its code.

use std::process::ExitCode;

// A large model's analysis allocates hundreds of thousands of small strings; mimalloc keeps
// freed pages for reuse where the system allocator returns them and faults them back in, which
// cost a third of `medtm report` on a 10,000-element model.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().collect();
    // A command that analyses once and exits keeps the pages it frees: by default mimalloc
    // returns them to the system after 10 ms and faults them back in, zeroed, moments later,
    // which cost a quarter of `medtm report` on a 10,000-element model. They go back at exit.
    // The servers (language, MCP) run for hours and keep the default, so memory follows the model.
    if args.get(1).is_none_or(|command| command != "lsp" && command != "mcp") {
        // SAFETY: setting an option is a plain store mimalloc reads when it next purges; no
        // allocation depends on its value.
        #[allow(unsafe_code)]
        unsafe {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
        };
    }
    medtm_cli::run(args)
}

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (the `-sys` crate names no constant for
/// it): milliseconds before freed memory goes back to the system, -1 for never.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
