//! `medtm lsp`: the language server over standard input and output.

use crate::{Io, Outcome};

pub fn run(io: &mut Io<'_>) -> Outcome {
    super::error(io, "`medtm lsp` is not built yet");
    Outcome::UsageOrIo
}
