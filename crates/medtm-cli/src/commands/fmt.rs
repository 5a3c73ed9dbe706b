//! `medtm fmt [--check] FILE...`: rewrites model files in the canonical layout
//! (`medtm_syntax::format`).
//!
//! A file that changes is replaced atomically: the new text is written to a temporary file in the
//! same folder, flushed to disk, and renamed over the original, so an interrupted run leaves the
//! old file or the new one, never half of either. A file already formatted is not touched (its
//! modification time stays). `--check` changes nothing; it lists the files that would change and
//! exits 1 if there are any. `-` formats standard input to standard output. A file with syntax
//! errors is left alone and its errors are shown (exit 1); a file that cannot be read or written
//! exits 2.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use medtm_report::diagnostics::{self, SourceFile, Style};

use crate::input::Input;
use crate::{Io, Outcome, input};

pub fn run(files: &[PathBuf], check: bool, io: &mut Io<'_>) -> Outcome {
    let mut unusable = false;
    let mut syntax_errors = false;
    let mut unformatted = false;
    for path in files {
        match format_file(path, check, io) {
            Ok(Change::None) => {}
            Ok(Change::Made) => unformatted |= check,
            Err(Failure::Syntax) => syntax_errors = true,
            Err(Failure::Io(message)) => {
                super::error(io, &message);
                unusable = true;
            }
        }
    }
    if unusable {
        Outcome::UsageOrIo
    } else if syntax_errors || unformatted {
        Outcome::ModelErrors
    } else {
        Outcome::Success
    }
}

/// Whether formatting changed (or, with `--check`, would change) a file.
enum Change {
    None,
    Made,
}

enum Failure {
    /// The file has syntax errors, already shown.
    Syntax,
    /// A message for the user.
    Io(String),
}

fn format_file(path: &Path, check: bool, io: &mut Io<'_>) -> Result<Change, Failure> {
    let input = input::read(path, io.stdin).map_err(Failure::Io)?;
    let name = input.name.clone();
    let (source, formatted) = match format_input(input) {
        Ok(formatted) => formatted,
        Err(errors) => {
            let _ = write!(io.stderr, "{errors}");
            return Err(Failure::Syntax);
        }
    };
    let to_stdout = path.as_os_str() == "-";
    let change = if formatted == source { Change::None } else { Change::Made };
    if check {
        if matches!(change, Change::Made) {
            writeln!(io.stdout, "{name}").map_err(|error| Failure::Io(format!("cannot write: {error}")))?;
        }
    } else if to_stdout {
        io.stdout
            .write_all(formatted.as_bytes())
            .map_err(|error| Failure::Io(format!("cannot write standard output: {error}")))?;
    } else if matches!(change, Change::Made) {
        replace(path, formatted.as_bytes()).map_err(|error| Failure::Io(format!("cannot write {name}: {error}")))?;
    }
    Ok(change)
}

/// A model's text and its formatted text; or, when it has syntax errors (or is not UTF-8), those
/// errors rendered for people. Shared with `medtm mcp`'s `format` tool.
pub fn format_input(input: Input) -> Result<(String, String), String> {
    let source = medtm_syntax::source::decode(input.bytes);
    let formatted = match source.error {
        Some(error) => Err(vec![error]),
        None => medtm_syntax::format::format(&source.text),
    };
    match formatted {
        Ok(formatted) => Ok((source.text, formatted)),
        Err(errors) => {
            let shown = SourceFile::new(input.name, source.text);
            let style = Style { color: false, width: 100 };
            Err(diagnostics::render_text(&shown, &errors, style))
        }
    }
}

/// Replaces the file at `path` (the file a symbolic link points to, if it is one) with
/// `contents`, atomically, keeping its permissions.
fn replace(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let folder = target.parent().unwrap_or_else(|| Path::new("."));
    let permissions = std::fs::metadata(&target)?.permissions();
    let mut temporary = tempfile::Builder::new().prefix(".medtm-fmt-").suffix(".tmp").tempfile_in(folder)?;
    temporary.write_all(contents)?;
    temporary.as_file().set_permissions(permissions)?;
    temporary.as_file().sync_all()?;
    // On failure the temporary file is removed when it is dropped; the original is untouched.
    temporary.persist(&target).map_err(|error| error.error)?;
    Ok(())
}
