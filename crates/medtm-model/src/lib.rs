//! The medtm model: the checker that turns a parsed `.mtm` file into a typed [`Model`] with every
//! semantic diagnostic, the vocabularies and schema that define the language's words, and the
//! data-flow graph. Pure: no file system, terminal or environment.

pub mod check;
pub mod graph;
pub mod model;
pub mod schema;
pub mod vocab;

pub use check::{CheckOptions, RuleCatalog, check};
pub use model::Model;
