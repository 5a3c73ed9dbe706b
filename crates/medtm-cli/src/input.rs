//! Reading model files (or standard input), and the date to check against.

use std::io::Read;
use std::path::Path;

/// A file's display name and bytes.
pub struct Input {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Reads a model file; `-` reads standard input. The error is a message for the user.
pub fn read(path: &Path, stdin: &mut dyn Read) -> Result<Input, String> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        stdin.read_to_end(&mut bytes).map_err(|error| format!("cannot read standard input: {error}"))?;
        return Ok(Input { name: "<stdin>".to_owned(), bytes });
    }
    read_file(path, path.display().to_string())
}

/// Reads the model file at `path`, naming it `name` in messages and diagnostics.
pub fn read_file(path: &Path, name: String) -> Result<Input, String> {
    let limit = medtm_syntax::limits::MAX_FILE_BYTES as u64;
    let file = std::fs::File::open(path).map_err(|error| format!("cannot read {name}: {}", describe(&error)))?;
    // Sized from the file's length when known, so that a large model is not copied as it is read.
    let expected = file.metadata().map_or(0, |metadata| metadata.len().min(limit + 1));
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    // Read one byte past the limit so that an oversized file is reported, not read whole.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot read {name}: {}", describe(&error)))?;
    Ok(Input { name, bytes })
}

fn describe(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "it is a directory".to_owned(),
        _ => error.to_string(),
    }
}

/// The given date, or today's date in the local time zone.
pub fn today(given: Option<jiff::civil::Date>) -> jiff::civil::Date {
    given.unwrap_or_else(|| jiff::ZonedDateTime::now().date())
}
