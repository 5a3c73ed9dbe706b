//! `medtm mcp`: the Model Context Protocol server (`crate::mcp`) over the process's standard
//! input and output, for AI assistants. Model files are read only under the working directory.

use crate::mcp::{Server, Today, Workdir};
use crate::{Io, Outcome};

pub fn run(today: Option<jiff::civil::Date>, io: &mut Io<'_>) -> Outcome {
    let served = Workdir::current().and_then(|workdir| crate::mcp::serve_stdio(Server::new(workdir, Today(today))));
    match served {
        Ok(()) => Outcome::Success,
        Err(message) => {
            super::error(io, &message);
            Outcome::UsageOrIo
        }
    }
}
