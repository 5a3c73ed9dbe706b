//! `medtm fmt [--check] FILE...`: the canonical layout.

use std::path::PathBuf;

use crate::{Io, Outcome};

pub fn run(files: &[PathBuf], check: bool, io: &mut Io<'_>) -> Outcome {
    let _ = (files, check);
    super::error(io, "`medtm fmt` is not built yet");
    Outcome::UsageOrIo
}
