//! Renderers: everything a person or a tool reads from medtm, built from the pure stages' values.
//! This crate owns the serialisable DTOs (JSON shapes with a `schema_version`), so the model and
//! engine types can change without breaking tools.

pub mod csv;
pub mod diagnostics;
pub mod diff;
pub mod docs;
pub mod dto;
pub mod explain;
mod format;
pub mod graph;
pub mod html;
pub mod markdown;
pub mod otm;
pub mod sarif;
pub mod sbom;
pub mod text;
pub mod views;

/// Everything a renderer may read: the model's text, the checked model, its analysis, and the
/// report built from them (which renderers should prefer, so every format says the same thing).
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    pub text: &'a str,
    pub model: &'a medtm_model::Model,
    pub analysis: &'a medtm_engine::Analysis,
    pub report: &'a dto::Report<'a>,
}

/// The report as pretty JSON (with a trailing newline).
pub fn json(report: &dto::Report) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and the DTOs serialise infallibly.
    let _ = write_json(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the report as pretty JSON (with a trailing newline), streaming: large reports are
/// never held twice in memory.
pub fn write_json(report: &dto::Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // The serialiser writes a few bytes at a time: through a buffer it can see (not a `dyn`
    // writer), each write is a copy instead of a call.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, report)?;
    std::io::Write::write_all(&mut out, b"\n")?;
    std::io::Write::flush(&mut out)
}

/// The JSON Schema of [`dto::Report`], as committed in `schema/report.schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(dto::Report);
    let mut json = serde_json::to_string_pretty(&schema).unwrap_or_default();
    json.push('\n');
    json
}

#[cfg(test)]
mod tests {
    /// The committed schema is the one the types generate: regenerate it with
    /// `MEDTM_WRITE_SCHEMA=1 cargo test -p medtm-report` after changing the report's shape (and
    /// raise `SCHEMA_VERSION` when a field changes meaning or goes away).
    #[test]
    fn committed_schema_matches_the_types() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json");
        let generated = super::json_schema();
        if std::env::var_os("MEDTM_WRITE_SCHEMA").is_some() {
            std::fs::write(&path, &generated).expect("schema written");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(committed, generated, "schema/report.schema.json is stale; see this test's comment");
    }
}
