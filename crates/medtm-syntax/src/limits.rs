//! The documented limits of the language, each enforced with its own diagnostic.
//!
//! They keep every stage linear and the stack shallow on hostile input; real models stay far below.

/// The largest model file medtm reads, in bytes (64 MiB: the generated hospital model with
/// 100,000 elements, written out long-hand, is 63 MiB).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// The deepest nesting of `{` and `[` (boundaries within boundaries, lists within maps).
pub const MAX_NESTING: usize = 64;

/// The most syntax errors reported for one file; the rest are usually consequences of the first.
pub const MAX_SYNTAX_ERRORS: usize = 100;

/// The most semantic diagnostics reported for one file (a garbage file could otherwise produce
/// millions).
pub const MAX_DIAGNOSTICS: usize = 10_000;

/// The most declarations (elements, flows, boundaries and the rest, counting those inside
/// boundaries) in one model: six times a hospital-wide model of 100,000 elements and their
/// flows, and low enough that a hostile file of tiny declarations cannot take the analysis into
/// minutes.
pub const MAX_DECLARATIONS: usize = 2_000_000;
