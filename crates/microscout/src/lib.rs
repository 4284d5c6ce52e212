//! The batch runner: wires ingest -> score -> report and owns nothing else.
//!
//! One module per subcommand (`commands`), the run folder that appears whole (`run_dir`),
//! the record of a run (`manifest`), and how failures become exit codes ([`Failure`]):
//! `0` success, `1` the run failed (unusable input, I/O), `2` bad usage or configuration.

pub mod cli;
pub mod commands;
pub mod manifest;
pub mod run_dir;
pub mod ui;

use std::path::PathBuf;

pub use commands::classify::{ClassifyOutcome, classify};
pub use commands::explain::explain;
pub use commands::generate::{generate, init};
pub use commands::history::history;
pub use commands::nightly::nightly;
pub use commands::outreach::outreach;
pub use commands::run::run;
pub use commands::validate::validate;
pub use manifest::Manifest;

/// A failure, sorted by who can fix it.
#[derive(Debug)]
pub enum Failure {
    /// Bad usage or configuration (exit code 2).
    Usage(anyhow::Error),
    /// The run failed: unusable input, I/O (exit code 1).
    Run(anyhow::Error),
}

impl Failure {
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Run(_) => 1,
        }
    }
    pub fn error(&self) -> &anyhow::Error {
        match self {
            Failure::Usage(e) | Failure::Run(e) => e,
        }
    }
}

/// What a finished run reports back.
#[derive(Debug)]
pub struct RunOutcome {
    pub run_dir: PathBuf,
    pub manifest: Manifest,
}
