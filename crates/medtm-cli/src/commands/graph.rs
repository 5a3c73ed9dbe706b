//! `medtm graph FILE`: the data-flow diagram and the architecture views.

use std::path::Path;

use crate::args::{GraphFormat, ViewName};
use crate::{Io, Outcome};

pub struct Request<'a> {
    pub file: &'a Path,
    pub format: GraphFormat,
    pub view: Option<ViewName>,
    pub output: Option<&'a Path>,
    pub today: Option<jiff::civil::Date>,
}

pub fn run(request: &Request<'_>, io: &mut Io<'_>) -> Outcome {
    let _ = request;
    super::error(io, "`medtm graph` is not built yet");
    Outcome::UsageOrIo
}
