//! Formatting: the same formatter as `medtm fmt`, refusing text with syntax errors.

/// The text in the canonical layout, or why it cannot be formatted (its first syntax error).
pub fn format(text: &str) -> Result<String, String> {
    medtm_syntax::format::format(text).map_err(|errors| {
        let first = errors.first().map_or_else(String::new, |error| {
            let at = medtm_syntax::LineIndex::new(text).line_column(text, error.span.start);
            format!(": line {}: {}", at.line, error.message)
        });
        format!("the model cannot be formatted until its syntax errors are fixed{first}")
    })
}
