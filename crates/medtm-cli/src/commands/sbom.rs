//! `medtm sbom FILE`: the model's software as CycloneDX 1.5 JSON.

use std::path::Path;

use crate::{Io, Outcome};

pub fn run(file: &Path, output: Option<&Path>, io: &mut Io<'_>) -> Outcome {
    let _ = (file, output);
    super::error(io, "`medtm sbom` is not built yet");
    Outcome::UsageOrIo
}
