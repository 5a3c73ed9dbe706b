//! `medtm graph FILE`: the data-flow diagram and the architecture views, as DOT, Mermaid or SVG
//! (drawn by Graphviz's `dot`, the one program medtm runs).

use std::io::{Read as _, Write as _};
use std::path::Path;
use std::process::{Command, Stdio};

use medtm_model::CheckOptions;
use medtm_report::diagnostics::{self, SourceFile, Style};
use medtm_report::views::View;

use crate::args::{GraphFormat, ViewName};
use crate::{Io, Outcome, input};

pub struct Request<'a> {
    pub file: &'a Path,
    pub format: GraphFormat,
    pub view: Option<ViewName>,
    pub output: Option<&'a Path>,
    pub today: Option<jiff::civil::Date>,
}

pub fn run(request: &Request<'_>, io: &mut Io<'_>) -> Outcome {
    let input = match input::read(request.file, io.stdin) {
        Ok(input) => input,
        Err(message) => {
            super::error(io, &message);
            return Outcome::UsageOrIo;
        }
    };
    let today = input::today(request.today);
    let (text, checked) = medtm_engine::check_bytes(input.bytes, CheckOptions { today: Some(today) }, true);
    if !checked.diagnostics.is_empty() {
        let source = SourceFile::new(input.name.clone(), text.clone());
        let style = Style { color: false, width: 100 };
        let _ = write!(io.stderr, "{}", diagnostics::render_text(&source, &checked.diagnostics, style));
    }
    let Some(analysis) = &checked.analysis else {
        let _ = writeln!(io.stderr, "error: {} has errors; fix them to draw it", input.name);
        return Outcome::ModelErrors;
    };
    let report = medtm_report::dto::build(&input.name, &text, &checked.model, analysis);
    let inputs = medtm_report::Inputs { text: &text, model: &checked.model, analysis, report: &report };
    let view = view(request.view);
    let diagram = match request.format {
        GraphFormat::Dot => medtm_report::graph::dot(&inputs, view),
        GraphFormat::Mermaid => medtm_report::graph::mermaid(&inputs, view),
        GraphFormat::Svg => match render_svg(&medtm_report::graph::dot(&inputs, view)) {
            Ok(svg) => svg,
            Err(message) => {
                super::error(io, &message);
                return Outcome::UsageOrIo;
            }
        },
    };
    if let Some(path) = request.output {
        if let Err(error) = std::fs::write(path, diagram) {
            super::error(io, &format!("cannot write {}: {error}", path.display()));
            return Outcome::UsageOrIo;
        }
    } else {
        let _ = io.stdout.write_all(diagram.as_bytes());
    }
    Outcome::Success
}

fn view(name: Option<ViewName>) -> View {
    match name {
        None | Some(ViewName::Global) => View::Global,
        Some(ViewName::MultiPatient) => View::MultiPatient,
        Some(ViewName::Updatability) => View::Updatability,
        Some(ViewName::UseCases) => View::UseCases,
    }
}

/// Draws DOT as SVG with Graphviz's `dot` (DOT on its standard input). The error says how to
/// get Graphviz when it is not installed, or what `dot` reported when it failed.
pub fn render_svg(dot: &str) -> Result<String, String> {
    run_graphviz("dot", dot)
}

fn run_graphviz(program: &str, dot: &str) -> Result<String, String> {
    let spawned =
        Command::new(program).arg("-Tsvg").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err("SVG needs Graphviz's `dot`, which is not installed: install Graphviz \
                        (`apt-get install graphviz` or `brew install graphviz`), \
                        or use `--format dot` or `--format mermaid`"
                .to_owned());
        }
        Err(error) => return Err(format!("cannot run Graphviz's `dot`: {error}")),
    };
    let mut stdin = child.stdin.take();
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    // Feed `dot` from a thread while this one reads: a large diagram fills both pipes.
    let (written, svg, messages) = std::thread::scope(|scope| {
        let writer = scope.spawn(move || stdin.take().map_or(Ok(()), |mut pipe| pipe.write_all(dot.as_bytes())));
        let errors = scope.spawn(move || {
            let mut text = String::new();
            if let Some(pipe) = stderr.as_mut() {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        });
        let mut svg = String::new();
        let read = stdout.as_mut().map_or(Ok(0), |pipe| pipe.read_to_string(&mut svg));
        let written = writer.join().unwrap_or(Ok(()));
        (written.and(read.map(|_| ())), svg, errors.join().unwrap_or_default())
    });
    let status = child.wait().map_err(|error| format!("Graphviz's `dot` did not finish: {error}"))?;
    if !status.success() {
        return Err(format!("Graphviz's `dot` failed ({status}): {}", messages.trim()));
    }
    written.map_err(|error| format!("cannot talk to Graphviz's `dot`: {error}"))?;
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::run_graphviz;

    #[test]
    fn says_how_to_get_graphviz_when_it_is_missing() {
        let error = run_graphviz("medtm-test-no-such-graphviz", "digraph {}").expect_err("no such program");
        for hint in ["not installed", "apt-get install graphviz", "brew install graphviz", "--format mermaid"] {
            assert!(error.contains(hint), "{hint} missing from: {error}");
        }
    }

    #[test]
    fn reports_what_graphviz_says_about_bad_input() {
        if super::render_svg("digraph { a -> b }").is_err() {
            eprintln!("note: Graphviz's `dot` is not installed; skipping");
            return;
        }
        let error = super::render_svg("digraph { a -> }").expect_err("a syntax error");
        assert!(error.starts_with("Graphviz's `dot` failed"), "{error}");
        assert!(error.contains("syntax error"), "{error}");
    }
}
