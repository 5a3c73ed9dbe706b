//! `medtm explain WORD`

use crate::Outcome;

pub fn run(word: &str) -> Outcome {
    match medtm_report::explain::explain(word) {
        Ok(text) => {
            anstream::print!("{text}");
            Outcome::Success
        }
        Err(message) => {
            super::error(&message);
            Outcome::UsageOrIo
        }
    }
}
