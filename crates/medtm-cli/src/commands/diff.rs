//! `medtm diff OLD NEW`: risks added, resolved and changed.

use std::path::Path;

use crate::args::{DiffFormat, FailOn};
use crate::{Io, Outcome};

pub struct Request<'a> {
    pub old: &'a Path,
    pub new: &'a Path,
    pub format: DiffFormat,
    pub fail_on_new: Option<FailOn>,
    pub output: Option<&'a Path>,
    pub today: Option<jiff::civil::Date>,
}

pub fn run(request: &Request<'_>, color: bool, io: &mut Io<'_>) -> Outcome {
    let _ = (request, color);
    super::error(io, "`medtm diff` is not built yet");
    Outcome::UsageOrIo
}
