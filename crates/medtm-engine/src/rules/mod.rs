//! The rule catalogue: one file per rule, registered here in code order.

mod cleartext_clinical_protocol;
mod replayable_command;
mod unauthenticated_command;

use crate::rule::Rule;

/// Every rule, in code order.
pub static RULES: &[&Rule] =
    &[&unauthenticated_command::RULE, &replayable_command::RULE, &cleartext_clinical_protocol::RULE];
