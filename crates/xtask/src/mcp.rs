//! `cargo xtask mcp-test`: `medtm mcp` driven by the official Python MCP SDK's client, as an AI
//! assistant's host drives it. Creates a virtual environment under the target folder (once),
//! installs the pinned `mcp` package into it, builds medtm, and runs `tests/mcp/client.py`,
//! which lists the tools, calls each on a shipped model and on a broken one, and checks the
//! answers against the command line's.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{cargo, install_debian_packages, step};

/// The Python SDK the test is run with.
const MCP_VERSION: &str = "2.3.0";

pub fn test() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    step("build medtm", cargo(&["build", "-p", "medtm-cli", "--locked"]))?;
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let medtm = target.join("debug/medtm");
    let venv = target.join("mcp-test/venv");
    let python = venv.join("bin/python");
    if !python.is_file() {
        // Debian's python3 has `venv` only with python3-venv (which brings `ensurepip`).
        let has_venv = Command::new("python3").args(["-c", "import ensurepip, venv"]).status();
        if !has_venv.is_ok_and(|status| status.success()) {
            install_debian_packages(&["python3-venv"])?;
        }
        let mut create = Command::new("python3");
        create.args(["-m", "venv"]).arg(&venv);
        step("create the MCP test's Python environment", create)?;
    }
    let installed = Command::new(&python)
        .args(["-c", "import importlib.metadata as m; print(m.version('mcp'))"])
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == MCP_VERSION);
    if !installed {
        let mut install = Command::new(&python);
        install
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("mcp=={MCP_VERSION}"));
        step(&format!("install mcp {MCP_VERSION}"), install)?;
    }
    let mut client = Command::new(&python);
    client.arg("tests/mcp/client.py").arg(&medtm).current_dir(&root);
    step("the Python MCP client against medtm mcp", client)
}
