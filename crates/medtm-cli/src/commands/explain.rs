//! `medtm explain WORD`

use crate::{Io, Outcome};

pub fn run(word: &str, io: &mut Io<'_>) -> Outcome {
    match medtm_report::explain::explain(word) {
        Ok(text) => {
            let _ = write!(io.stdout, "{text}");
            Outcome::Success
        }
        Err(message) => {
            super::error(io, &message);
            Outcome::UsageOrIo
        }
    }
}
