//! The batch runner: wires ingest -> score -> report and owns nothing else.
//!
//! One module per subcommand (`commands`), the run folder that appears whole (`run_dir`),
//! the record of a run (`manifest`), and how failures become exit codes ([`exit_code`], a
//! property of the error): `0` success, `1` the run failed (unusable input, I/O), `2` bad
//! usage or configuration.

pub mod cli;
pub mod commands;
pub mod manifest;
pub mod run_dir;
pub mod ui;

use std::path::PathBuf;

pub use commands::classify::{
    ClassifyCommentsOutcome, ClassifyOutcome, classify, classify_comments,
};
pub use commands::eval_language::eval_language;
pub use commands::eval_niche::eval_niche;
pub use commands::explain::explain;
pub use commands::generate::{generate, init};
pub use commands::history::history;
pub use commands::nightly::nightly;
pub use commands::outreach::outreach;
pub use commands::run::run;
pub use commands::validate::validate;
pub use manifest::Manifest;

/// Exit code of a run that failed: unusable input, I/O, a bug.
pub const FAILED: i32 = 1;
/// Exit code of bad usage or configuration: what the person running the command fixes.
pub const USAGE: i32 = 2;

/// Bad usage or configuration (exit code [`USAGE`]) found by the runner itself: a flag, a
/// path given on the command line, a setting the campaign's own checks cannot see. Make
/// one with [`usage!`].
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// A [`UsageError`] as an `anyhow::Error`, from format arguments.
#[macro_export]
macro_rules! usage {
    ($($arg:tt)*) => {
        anyhow::Error::new($crate::UsageError(format!($($arg)*)))
    };
}

/// The exit code of a failure, from what the error is, wherever it was caught and whatever
/// context was added on the way: [`USAGE`] when any error in its chain is bad usage or
/// configuration (a [`UsageError`], a campaign file or `[ingest]` setting that cannot be used, generator settings
/// out of range, a ledger row given on the command line that cannot be written), else
/// [`FAILED`].
pub fn exit_code(e: &anyhow::Error) -> i32 {
    use microscout_generate::GenerateError;
    use microscout_ingest::ledger::LedgerError;
    let usage = e.chain().any(|c| {
        c.is::<UsageError>()
            || c.is::<microscout_model::campaign::CampaignError>()
            || c.is::<microscout_ingest::SettingsError>()
            || matches!(c.downcast_ref(), Some(GenerateError::Invalid(_)))
            || matches!(c.downcast_ref(), Some(LedgerError::BadRow(_)))
    });
    if usage { USAGE } else { FAILED }
}

/// What a finished run reports back.
#[derive(Debug)]
pub struct RunOutcome {
    pub run_dir: PathBuf,
    pub manifest: Manifest,
}

impl RunOutcome {
    /// The lines a person reads on stderr: the accounting per table, the results, where to
    /// look.
    pub fn summary(&self) -> Vec<String> {
        use microscout_model::numfmt::count;
        let m = &self.manifest;
        let mut out: Vec<String> = m
            .accounting
            .iter()
            .filter(|a| a.files > 0)
            .map(|a| {
                format!(
                    "{:>9}: {} rows read = {} accepted + {} rejected",
                    a.table,
                    count(a.rows_read),
                    count(a.accepted),
                    count(a.rejected)
                )
            })
            .collect();
        out.push(format!(
            "Scored {} accounts: {} shortlisted, {} flagged, {} rows rejected ({:.1} s).",
            count(m.results.accounts_scored as u64),
            count(m.results.shortlisted as u64),
            count(m.results.flagged as u64),
            count(m.results.rows_rejected as u64),
            m.timings_ms.total as f64 / 1000.0
        ));
        out.push(format!(
            "Read {} first.",
            self.run_dir.join("report.html").display()
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    /// The exit code is what the error is, whatever context was added where it was caught
    /// (it used to be decided at each call site, and a nightly re-wrapped errors as text).
    #[test]
    fn the_exit_code_is_a_property_of_the_error() {
        let campaign = microscout_model::Campaign::from_toml("[nope]\n", "c.toml".as_ref())
            .map_err(anyhow::Error::from)
            .unwrap_err();
        assert_eq!(exit_code(&campaign), USAGE);
        let nested = Err::<(), _>(campaign)
            .context("reading the campaign")
            .context("drop 2026-11-25")
            .unwrap_err();
        assert_eq!(exit_code(&nested), USAGE, "{nested:#}");
        assert_eq!(exit_code(&usage!("bad --as-of").context("run")), USAGE);
        let bad_row = anyhow::Error::from(microscout_ingest::ledger::LedgerError::BadRow(
            "unknown event".into(),
        ));
        assert_eq!(exit_code(&bad_row), USAGE);

        let io = Err::<(), _>(std::io::Error::other("disk full"))
            .context("cannot write scores.csv")
            .unwrap_err();
        assert_eq!(exit_code(&io), FAILED);
        let unusable = microscout_ingest::read_table(
            "/nowhere/posts.json".as_ref(),
            microscout_model::schema::Table::Posts,
            &Default::default(),
            None,
        )
        .map_err(anyhow::Error::from)
        .unwrap_err();
        assert_eq!(
            exit_code(&unusable.context("the drop cannot be used")),
            FAILED
        );
        // A ledger that cannot be read is the run's failure, not bad usage.
        let ledger = anyhow::Error::from(microscout_ingest::ledger::LedgerError::Unusable {
            path: "ledger.csv".into(),
            why: "no header".into(),
        });
        assert_eq!(exit_code(&ledger), FAILED);
    }

    /// `--out` inside the drop is bad usage; a drop folder that cannot be resolved is not.
    #[test]
    fn out_inside_the_drop_is_usage_and_a_drop_that_cannot_be_resolved_is_not() {
        let dir = std::env::temp_dir().join(format!("microscout-exit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let inside = run_dir::check_out_vs_drop(&dir.join("out"), &dir).unwrap_err();
        assert_eq!(exit_code(&inside), USAGE, "{inside:#}");
        let missing = run_dir::check_out_vs_drop(&dir, &dir.join("gone")).unwrap_err();
        assert_eq!(exit_code(&missing), FAILED, "{missing:#}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
