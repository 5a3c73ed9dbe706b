//! Renderers: everything a person or a tool reads from medtm, built from the pure stages' values.
//! This crate owns the serialisable DTOs (JSON shapes with a `schema_version`), so the model and
//! engine types can change without breaking tools.

pub mod diagnostics;
pub mod explain;
