//! Raw bytes to model text: the file-size limit and UTF-8 validation, with diagnostics.

use crate::diagnostic::{Code, Diagnostic};
use crate::limits::MAX_FILE_BYTES;
use crate::span::Span;

/// Model text ready to parse, or the diagnostic saying why the bytes cannot be a model. The text
/// is returned either way so that a renderer can show the problem in context.
#[derive(Debug)]
pub struct Source {
    pub text: String,
    /// Set when the bytes cannot be parsed at all (too large, not UTF-8).
    pub error: Option<Diagnostic>,
}

/// Validates the bytes of a model file (valid UTF-8 becomes the text without a copy).
pub fn decode(bytes: impl Into<Vec<u8>>) -> Source {
    let bytes: Vec<u8> = bytes.into();
    if bytes.len() > MAX_FILE_BYTES {
        // Only the first line is shown with the diagnostic: the rest is not read.
        let first_line = bytes.iter().take(4096).position(|&b| b == b'\n').unwrap_or(bytes.len().min(4096));
        let shown = String::from_utf8_lossy(&bytes[..first_line]).into_owned();
        let error = Diagnostic::new(
            Code::FileTooLarge,
            Span::at(0),
            format!(
                "the file is {:.1} MiB; medtm reads models up to {} MiB",
                bytes.len() as f64 / (1024.0 * 1024.0),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .with_label("file starts here")
        .with_help("split the model, for example one model per site or per device family");
        return Source { text: shown, error: Some(error) };
    }
    match String::from_utf8(bytes) {
        Ok(text) => Source { text, error: None },
        Err(not_utf8) => {
            let (utf8_error, bytes) = (not_utf8.utf8_error(), not_utf8.into_bytes());
            let at = utf8_error.valid_up_to();
            let bad_len = utf8_error.error_len().unwrap_or(bytes.len() - at).max(1);
            let bad: Vec<String> =
                bytes[at..(at + bad_len).min(bytes.len())].iter().map(|b| format!("{b:#04x}")).collect();
            // The lossy text is identical up to the first invalid byte, so the span is exact.
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let replacement = '\u{fffd}'.len_utf8();
            let error = Diagnostic::new(
                Code::InvalidUtf8,
                Span::new(at, (at + replacement).min(text.len())),
                format!("invalid UTF-8 at byte {at}"),
            )
            .with_label(format!("byte {} is not UTF-8", bad.join(" ")))
            .with_help("models are UTF-8 text; re-save the file as UTF-8");
            Source { text, error: Some(error) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_at_the_first_invalid_byte() {
        let source = decode(b"system a\n\xff\xfe rest");
        let error = source.error.expect("invalid UTF-8 is reported");
        assert_eq!(error.code, Code::InvalidUtf8);
        assert_eq!(error.span.start, 9);
        assert_eq!(error.label, "byte 0xff is not UTF-8");
    }

    #[test]
    fn accepts_utf8() {
        assert!(decode("asset a \"Ç\"".as_bytes()).error.is_none());
    }
}
