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
