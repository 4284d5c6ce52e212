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
}

impl Ui {
    pub fn new(quiet: bool, verbose: u8) -> Self {
        let tty = std::io::stderr().is_terminal();
        let color = tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let level = match (quiet, verbose) {
            (true, _) => "error",
            (false, 0) => "warn",
            (false, 1) => "info",
            (false, _) => "debug",
        };
        let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(color)
            .with_target(false)
            .without_time()
            .try_init();
        Self {
            quiet,
            bars: tty && !quiet && std::env::var("TERM").map_or(true, |t| t != "dumb"),
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
        if !self.quiet {
            eprintln!("{}", line.as_ref());
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
