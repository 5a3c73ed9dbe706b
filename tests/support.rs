//! Helpers for the end-to-end tests: where things are, and running `medtm` in-process.

pub mod fuzz_checks;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The `medtm` binary, built (or found up to date) by cargo once per test run: a test crate
/// cannot name another package's binary, so it asks cargo where it is. For the tests that drive
/// the real process over pipes (`medtm lsp`, `medtm mcp`).
pub fn medtm_binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .current_dir(root())
            .args(["build", "--quiet", "-p", "medtm-cli", "--bin", "medtm", "--message-format=json"])
            .stderr(Stdio::inherit())
            .output()
            .expect("cargo runs");
        assert!(output.status.success(), "building medtm failed");
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|message| message["reason"] == "compiler-artifact" && message["target"]["name"] == "medtm")
            .find_map(|message| message["executable"].as_str().map(PathBuf::from))
            .expect("cargo names the medtm executable")
    })
}

/// The date every test analyses as of, so outputs never depend on the day they run.
pub const TODAY: &str = "2026-11-28";

/// `*.mtm` files in a folder, sorted.
pub fn models_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "mtm"))
        .collect();
    files.sort();
    files
}

/// What a run of `medtm` printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `medtm ARGS` in-process from the repository root, with `stdin` as standard input.
pub fn medtm(args: &[&str], stdin: &[u8]) -> Run {
    let mut input = stdin;
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let mut io =
        medtm_cli::Io { stdin: &mut input, stdout: &mut stdout, stderr: &mut stderr, stdout_is_terminal: false };
    let outcome =
        with_root_as_cwd(|| medtm_cli::run_with(std::iter::once("medtm").chain(args.iter().copied()), &mut io));
    Run {
        code: outcome.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Runs `f` with the repository root as the working directory, so that file names in outputs
/// are the short relative ones a user sees. Serialised: the working directory is process-wide.
fn with_root_as_cwd<T>(f: impl FnOnce() -> T) -> T {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let previous = std::env::current_dir().expect("a working directory");
    std::env::set_current_dir(root()).expect("the repository root exists");
    let result = f();
    let _ = std::env::set_current_dir(previous);
    result
}
