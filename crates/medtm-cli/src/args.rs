//! The command-line interface, declared with clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// medtm: threat models of medical devices as code. Checks a model, finds STRIDE threats, scores
/// them with CVSS 3.1 and 4.0 against patient harm, and reports the ranked risks.
#[derive(Debug, Parser)]
#[command(name = "medtm", version, about, max_term_width = 100)]
pub struct Cli {
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check models for errors and warnings, with source context.
    ///
    /// Exits 0 when no file has errors (warnings are allowed), 1 when any has, 2 on usage or I/O
    /// errors.
    Check {
        /// Model files to check; `-` reads standard input.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// The date to check review dates against (YYYY-MM-DD); defaults to today.
        #[arg(long, value_name = "DATE")]
        today: Option<jiff::civil::Date>,
    },
    /// Analyse a model and report its ranked risks.
    ///
    /// Exits 0 on success, 1 when the model has errors, 2 on usage or I/O errors, and 3 when
    /// `--fail-on` is given and an open finding reaches that level.
    Report {
        /// The model file; `-` reads standard input.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Write the report to this file instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Exit with code 3 when an open finding's residual level is at or above this.
        #[arg(long, value_enum, value_name = "LEVEL")]
        fail_on: Option<FailOn>,
        /// The date to analyse as of (YYYY-MM-DD): support and review dates are judged on it.
        /// Defaults to today.
        #[arg(long, value_name = "DATE")]
        today: Option<jiff::civil::Date>,
        /// In the HTML report, show the diagrams' DOT source instead of drawing them with
        /// Graphviz (they are drawn when `dot` is installed and the model has at most 2,000
        /// elements and flows).
        #[arg(long)]
        no_diagrams: bool,
    },
    /// Draw the data-flow diagram, or one of the architecture views, as DOT, Mermaid or SVG.
    ///
    /// `svg` runs Graphviz's `dot`, which must be installed.
    Graph {
        /// The model file; `-` reads standard input.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
        /// Which view to draw; the whole data-flow diagram by default.
        #[arg(long, value_enum, value_name = "NAME")]
        view: Option<ViewName>,
        /// Write the diagram to this file instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// The date to analyse as of (YYYY-MM-DD). Defaults to today.
        #[arg(long, value_name = "DATE")]
        today: Option<jiff::civil::Date>,
    },
    /// Compare the risks of two versions of a model: added, resolved and changed.
    ///
    /// Exits 0 on success, 1 when either model has errors, 2 on usage or I/O errors, and 3 when
    /// `--fail-on-new` is given and a new risk reaches that level.
    Diff {
        /// The model before the change.
        #[arg(value_name = "OLD")]
        old: PathBuf,
        /// The model after the change.
        #[arg(value_name = "NEW")]
        new: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Exit with code 3 when a new (or newly worse) open risk is at or above this level.
        #[arg(long, value_enum, value_name = "LEVEL")]
        fail_on_new: Option<FailOn>,
        /// Write the diff to this file instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// The date to analyse as of (YYYY-MM-DD). Defaults to today.
        #[arg(long, value_name = "DATE")]
        today: Option<jiff::civil::Date>,
    },
    /// The model's software as a CycloneDX 1.5 SBOM (JSON).
    Sbom {
        /// The model file; `-` reads standard input.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Write the SBOM to this file instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Format models in the canonical layout.
    ///
    /// Rewrites the files in place; with `--check`, changes nothing, lists the files that would
    /// change and exits 1 if any would. `-` formats standard input to standard output.
    Fmt {
        /// Model files to format; `-` reads standard input.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Only check that the files are formatted.
        #[arg(long)]
        check: bool,
    },
    /// Run the language server over standard input and output (for editors).
    Lsp,
    /// Run a Model Context Protocol server over standard input and output (for AI assistants).
    ///
    /// Its tools are `check` (diagnostics with line, column, help and fix, as `check --format
    /// json`), `report` (the ranked risks, from the JSON report), `explain` and `format`. Models
    /// are given as text, or as paths, which must lead under the working directory the server
    /// was started in.
    Mcp {
        /// The date analyses are made as of (YYYY-MM-DD), unless a call gives its own.
        /// Defaults to the day of each call.
        #[arg(long, value_name = "DATE")]
        today: Option<jiff::civil::Date>,
    },
    /// List the rule catalogue.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
    /// Explain a keyword, attribute, vocabulary word, rule or diagnostic code.
    Explain {
        /// What to explain, such as `flow`, `medium`, `ble`, `flow.authn` or `E0303`.
        word: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Diagnostics with source context, for people.
    Text,
    /// Diagnostics as JSON, for tools.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A readable terminal report, ranked table first.
    Text,
    /// Markdown, for a pull request or a submission appendix.
    Markdown,
    /// Everything, as JSON with a `schema_version`.
    Json,
    /// One self-contained HTML page, for reviewers and for print.
    Html,
    /// SARIF 2.1.0, for code scanning views.
    Sarif,
    /// Open Threat Model JSON, for other threat-modelling tools.
    Otm,
    /// The ranked risks as CSV, for spreadsheets.
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT.
    Dot,
    /// Mermaid flowchart.
    Mermaid,
    /// SVG, drawn by Graphviz's `dot`.
    Svg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ViewName {
    /// Every element and connection (the data-flow diagram).
    Global,
    /// What one compromise reaches across the fleet.
    MultiPatient,
    /// Every path by which code reaches a device, signed or not.
    Updatability,
    /// The flows involved in therapy delivery, alarms, updates and service.
    UseCases,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// For the terminal.
    Text,
    /// For a pull-request comment.
    Markdown,
    /// For tools.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Fail when an open finding is unacceptable.
    Unacceptable,
    /// Fail when an open finding needs review or is unacceptable.
    Review,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A table.
    Text,
    /// JSON, one object per rule.
    Json,
}
