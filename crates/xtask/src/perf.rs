//! `cargo xtask perf`: end-to-end time and peak memory of the release binary on generated
//! hospital models, as the Markdown table in the README's performance section.
//!
//! Criterion (`cargo bench -p medtm-tests`) measures the stages in-process; this measures what a
//! user waits for and the memory the process needs, with `/usr/bin/time` (Debian's `time`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The commands measured on each model, as `medtm` arguments after the file.
const RUNS: &[(&str, &[&str])] = &[
    ("check", &["check"]),
    ("report text", &["report", "--format", "text"]),
    ("report json", &["report", "--format", "json"]),
    ("report markdown", &["report", "--format", "markdown"]),
    ("report sarif", &["report", "--format", "sarif"]),
    ("report html", &["report", "--format", "html"]),
];

/// How many times each command runs; the fastest run is reported (the others measure the
/// machine's noise), with the largest peak memory.
const REPEATS: usize = 3;

pub fn perf(args: &[String]) -> Result<(), String> {
    let mut sizes = vec![100, 1_000, 10_000, 100_000];
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--sizes" => {
                let value = args.next().ok_or("--sizes needs a comma-separated list")?;
                sizes = value
                    .split(',')
                    .map(|size| size.trim().parse::<usize>().map_err(|_| format!("--sizes: `{size}` is not a number")))
                    .collect::<Result<_, _>>()?;
            }
            _ => return Err(format!("unknown option {arg}; usage: cargo xtask perf [--sizes 100,1000,...]")),
        }
    }
    if !Path::new("/usr/bin/time").is_file() {
        return Err("/usr/bin/time is missing: install Debian's `time` package".to_owned());
    }
    crate::step("build", crate::cargo(&["build", "--release", "--locked", "-p", "medtm-cli"]))?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let binary = root.join("target/release/medtm");
    let dir = root.join("target/perf");
    std::fs::create_dir_all(&dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    let mut table = String::from("| elements | model | ");
    table.push_str(&RUNS.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(" | "));
    table.push_str(" |\n|---:|---:|");
    table.push_str(&"---:|".repeat(RUNS.len()));
    table.push('\n');
    for size in sizes {
        let model = dir.join(format!("hospital-{size}.mtm"));
        let text = medtm_gen::hospital(size, 1);
        std::fs::write(&model, &text).map_err(|error| format!("{}: {error}", model.display()))?;
        let mut row = format!("| {} | {} |", thousands(size), megabytes(text.len() as u64));
        for (name, run) in RUNS {
            let (time, peak_kb) = measure(&binary, &model, run)?;
            eprintln!("{size} elements, {name}: {:.2} s, {} MB", time.as_secs_f64(), peak_kb / 1024);
            let _ = write!(row, " {} · {} MB |", seconds(time), peak_kb / 1024);
        }
        table.push_str(&row);
        table.push('\n');
    }
    println!("{table}");
    Ok(())
}

/// The fastest wall time and the largest peak resident memory (KB) of [`REPEATS`] runs.
fn measure(binary: &Path, model: &Path, run: &[&str]) -> Result<(Duration, u64), String> {
    let mut best = Duration::MAX;
    let mut peak = 0;
    for _ in 0..REPEATS {
        let report = std::env::temp_dir().join("medtm-perf-time.txt");
        let mut command = Command::new("/usr/bin/time");
        command.args(["-f", "%e %M", "-o"]).arg(&report).arg(binary).arg(run[0]).arg(model).args(&run[1..]);
        command.args(["--today", "2026-11-01"]);
        let output_path: PathBuf = std::env::temp_dir().join("medtm-perf-out");
        if run[0] == "report" {
            command.arg("-o").arg(&output_path);
        }
        let status = command
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .map_err(|error| format!("cannot run /usr/bin/time: {error}"))?;
        // `check` exits 1 on errors and `report` 3 never here (no --fail-on); a generated model
        // must be clean.
        if !status.success() {
            return Err(format!("medtm {} {} failed ({status})", run.join(" "), model.display()));
        }
        let text = std::fs::read_to_string(&report).map_err(|error| error.to_string())?;
        let mut fields = text.split_whitespace();
        let seconds: f64 = fields.next().and_then(|s| s.parse().ok()).ok_or("unreadable /usr/bin/time output")?;
        let kb: u64 = fields.next().and_then(|s| s.parse().ok()).ok_or("unreadable /usr/bin/time output")?;
        best = best.min(Duration::from_secs_f64(seconds));
        peak = peak.max(kb);
    }
    Ok((best, peak))
}

fn seconds(time: Duration) -> String {
    let seconds = time.as_secs_f64();
    if seconds < 0.1 { format!("{:.0} ms", seconds * 1000.0) } else { format!("{seconds:.2} s") }
}

fn megabytes(bytes: u64) -> String {
    if bytes < 1_000_000 { format!("{} KB", bytes / 1000) } else { format!("{:.1} MB", bytes as f64 / 1e6) }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
