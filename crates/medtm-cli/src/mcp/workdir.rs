//! Confining the files `medtm mcp` reads to its working directory.
//!
//! An assistant names a model by a path; the server reads it only when the path, with `..`
//! resolved and symbolic links followed, stays under the directory the server was started in.
//! The check is made twice: on the path as written (so that `../x` is refused as outside even
//! when it does not exist) and on the file it leads to (so that a link inside pointing outside is
//! refused too).

use std::path::{Component, Path, PathBuf};

/// The folder the server may read under, canonical (absolute, links resolved).
#[derive(Debug, Clone)]
pub struct Workdir {
    root: PathBuf,
}

impl Workdir {
    /// The process's working directory.
    pub fn current() -> Result<Self, String> {
        let here = std::env::current_dir().map_err(|error| format!("cannot find the working directory: {error}"))?;
        Self::at(&here)
    }

    pub fn at(folder: &Path) -> Result<Self, String> {
        let root = std::fs::canonicalize(folder)
            .map_err(|error| format!("cannot resolve the working directory {}: {error}", folder.display()))?;
        Ok(Self { root })
    }

    /// The file `given` names (relative to the root, or absolute), if it is under the root.
    /// The error is a message for the assistant.
    pub fn resolve(&self, given: &str) -> Result<PathBuf, String> {
        if given.trim().is_empty() {
            return Err("the path is empty; give a model file relative to the working directory".to_owned());
        }
        let outside = || {
            format!(
                "{given} is outside the server's working directory ({}); only files under it can be read, \
                 so give a path relative to it, or pass the model's text instead",
                self.root.display()
            )
        };
        let written = normalise(&self.root.join(given)).ok_or_else(outside)?;
        if !written.starts_with(&self.root) {
            return Err(outside());
        }
        // Missing or unreadable: reading it says which, under the name given.
        let Ok(real) = std::fs::canonicalize(&written) else {
            return Ok(written);
        };
        if !real.starts_with(&self.root) {
            return Err(outside());
        }
        Ok(real)
    }
}

/// `path` with `.` and `..` resolved without touching the file system; `None` when `..` climbs
/// above the file system's root.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            other => out.push(other),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::Workdir;

    #[test]
    fn paths_stay_under_the_root() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::create_dir(folder.path().join("models")).unwrap();
        std::fs::write(folder.path().join("models/a.mtm"), "").unwrap();
        let workdir = Workdir::at(folder.path()).unwrap();
        let root = workdir.root.clone();
        assert_eq!(workdir.resolve("models/a.mtm").unwrap(), root.join("models/a.mtm"));
        assert_eq!(workdir.resolve("./models/../models/a.mtm").unwrap(), root.join("models/a.mtm"));
        assert_eq!(workdir.resolve(root.join("models/a.mtm").to_str().unwrap()).unwrap(), root.join("models/a.mtm"));
        // Missing files resolve, so that reading them says they are missing.
        assert_eq!(workdir.resolve("missing.mtm").unwrap(), root.join("missing.mtm"));
        for outside in ["../a.mtm", "models/../../a.mtm", "/etc/passwd", "/", "../../../../../../../.."] {
            let error = workdir.resolve(outside).unwrap_err();
            assert!(error.contains("outside the server's working directory"), "{outside}: {error}");
        }
        assert!(workdir.resolve("").unwrap_err().contains("empty"));
    }

    #[cfg(unix)]
    #[test]
    fn links_leading_out_are_refused() {
        let outer = tempfile::tempdir().unwrap();
        std::fs::write(outer.path().join("secret.mtm"), "").unwrap();
        let inner = outer.path().join("inner");
        std::fs::create_dir(&inner).unwrap();
        std::os::unix::fs::symlink(outer.path().join("secret.mtm"), inner.join("link.mtm")).unwrap();
        let workdir = Workdir::at(&inner).unwrap();
        assert!(workdir.resolve("link.mtm").unwrap_err().contains("outside"));
    }
}
