//! `medtm lsp`: the language server over the process's standard input and output (not `Io`'s:
//! the server reads and writes them from its own threads, as editors expect of a server).

use medtm_lsp::{Ended, Options};

use crate::{Io, Outcome, input};

pub fn run(io: &mut Io<'_>) -> Outcome {
    match medtm_lsp::serve_stdio(Options { today: || input::today(None) }) {
        Ok(Ended::Cleanly) => Outcome::Success,
        // The protocol asks for exit code 1 when the client exits without `shutdown`.
        Ok(Ended::WithoutShutdown) => Outcome::ModelErrors,
        Err(message) => {
            super::error(io, &message);
            Outcome::UsageOrIo
        }
    }
}
