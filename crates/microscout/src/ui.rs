//! The one place that decides what reaches the terminal: progress bars only when stderr is
//! a terminal and not `--quiet`; colour only on a terminal without `NO_COLOR`; logs via
//! `tracing` to stderr (`RUST_LOG` overrides the level).

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tracing_subscriber::EnvFilter;

#[derive(Debug, Clone, Copy)]
pub struct Ui {
    pub quiet: bool,
    bars: bool,
    /// `--log-format json`: everything on stderr is one JSON object per line.
    pub json: bool,
}

impl Ui {
    pub fn new(quiet: bool, verbose: u8) -> Self {
        Self::with_format(quiet, verbose, crate::cli::LogFormat::Text)
    }

    pub fn with_format(quiet: bool, verbose: u8, format: crate::cli::LogFormat) -> Self {
        let json = format == crate::cli::LogFormat::Json;
        let tty = std::io::stderr().is_terminal();
        let color = tty && !json && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        // JSON logs are for machines: the stage lines (info) are on by default.
        let level = match (quiet, verbose, json) {
            (true, _, _) => "error",
            (false, 0, false) => "warn",
            (false, 0, true) | (false, 1, _) => "info",
            (false, _, _) => "debug",
        };
        let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
        let builder = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(color)
            .with_target(false);
        let _ = if json {
            builder
                .json()
                .flatten_event(true)
                .with_current_span(false)
                .try_init()
        } else {
            builder.without_time().try_init()
        };
        Self {
            quiet,
            bars: tty && !quiet && !json && std::env::var("TERM").map_or(true, |t| t != "dumb"),
            json,
        }
    }

    /// A bar over `total` bytes, hidden where bars are off.
    pub fn bytes_bar(&self, stage: &str, total: u64) -> ProgressBar {
        let bar = if self.bars {
            ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(
            ProgressStyle::with_template(
                "{prefix:>8} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {wide_msg}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.set_prefix(stage.to_string());
        bar
    }

    /// A spinner for a stage without a known size.
    pub fn spinner(&self, stage: &str) -> ProgressBar {
        let bar = if self.bars {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(
            ProgressStyle::with_template("{prefix:>8} {spinner} {elapsed} {wide_msg}")
                .expect("valid template"),
        );
        bar.set_prefix(stage.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    }

    /// A line for people on stderr, unless quiet.
    pub fn say(&self, line: impl AsRef<str>) {
        if self.quiet {
            return;
        }
        if self.json {
            tracing::info!(kind = "summary", "{}", line.as_ref().trim());
        } else {
            eprintln!("{}", line.as_ref());
        }
    }

    /// The error that ends the program, with its exit code.
    pub fn fail(&self, message: &str, exit_code: i32) {
        if self.json {
            tracing::error!(kind = "error", exit_code, "{message}");
        } else {
            eprintln!("error: {message}");
        }
    }
}

/// Feeds ingestion's byte progress into a bar.
pub struct IngestProgress(pub ProgressBar);

impl microscout_ingest::Progress for IngestProgress {
    fn start_file(&self, file: &str, _bytes: u64) {
        self.0.set_message(file.to_string());
    }
    fn advance(&self, bytes: u64) {
        self.0.inc(bytes);
    }
}
