//! Reporting: scored accounts in, the run's output files out.
//!
//! Writes, into a folder the runner gives it (the runner makes that folder appear
//! atomically as `<out>/<run-id>/`):
//! - `scores.csv` / `scores.parquet`: one row per account, every metric with how it was
//!   obtained ([`scores_table`] lists the columns);
//! - `shortlist.csv` / `shortlist.parquet`: the ranked accounts that pass the campaign's
//!   filters, with the why paragraph and the outreach brief;
//! - `flags.csv`: one row per flag raised, with its reason;
//! - `rejected.csv`: the quarantined input rows;
//! - `report.md` and `report.html`: the summary a person reads.
//!
//! CSV text cells are neutralised against formula injection; Parquet keeps raw values.
//! Markdown and HTML escape every string that came from the input.

pub mod brief;
mod campaign;
pub mod changes;
pub mod columns;
pub mod explain;
mod html;
mod markdown;
mod svg;
pub mod table;
mod view;

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use microscout_model::intake::{FileReport, RejectWriter, Rejection, Rejections};
use microscout_model::{AccountScore, Campaign};
use polars::prelude::{ParquetWriter, PolarsError};
use serde::Serialize;
use std::sync::Arc;

pub use columns::{SCORES_COLUMNS, SHORTLIST_COLUMNS};
use table::{OutTable, Values};

/// What the run knows about itself, for the reports' headers.
#[derive(Debug, Clone, Serialize)]
pub struct RunInfo {
    pub run_id: String,
    pub tool_version: String,
    /// Reference time of the window. Unit: Unix seconds.
    pub as_of: i64,
    /// The drop folder as given on the command line.
    pub drop: String,
    /// What the follower classifier's evaluation measured, for the reading guide; None
    /// when the runner has no classifier to describe.
    pub classifier: Option<ClassifierRates>,
}

/// The follower classifier's error rates on real datasets left out of its training (their
/// range, fractions) and the fake share at which followers count as bought (fraction), so
/// the report can say why the fake share's range is wide.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ClassifierRates {
    pub sensitivity_low: f64,
    pub sensitivity_high: f64,
    pub specificity_low: f64,
    pub specificity_high: f64,
    pub bought_threshold: f64,
}

/// Everything the reports are made of.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    pub run: &'a RunInfo,
    pub campaign: &'a Campaign,
    /// Scored accounts, ordered as microscout-score returns them (ranked first).
    pub scores: &'a [AccountScore],
    /// Counts and the first rejected rows (all of them are in `rejected.csv`, which the
    /// runner writes as ingestion finds them, with [`RejectedCsv`]).
    pub rejected: &'a Rejections,
    pub files: &'a [FileReport],
    /// Earlier nights from the history store (empty on the first night), for what changed
    /// overnight and the trends.
    pub history: &'a microscout_model::history::Histories,
    /// The outreach results for this book (empty without a ledger).
    pub results: &'a microscout_model::ledger::CampaignResults,
    /// The follower overlap across the drop and its suspected farms.
    pub overlap: &'a microscout_model::overlap::DropOverlap,
    /// Hashtags and phrases to try as keywords or excluded keywords.
    pub suggestions: &'a microscout_model::suggest::Suggestions,
}

impl ReportInput<'_> {
    /// Tonight: the night of the run's reference time.
    pub fn tonight(&self) -> i32 {
        microscout_model::history::day_of(self.run.as_of)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Parquet {
        path: PathBuf,
        #[source]
        source: PolarsError,
    },
}

/// One file written.
#[derive(Debug, Clone, Serialize)]
pub struct Written {
    pub file: String,
    pub bytes: u64,
}

/// Writes every output file into `dir`, which must exist, except `rejected.csv`: that one
/// is written while the drop is read ([`RejectedCsv`]), and must be in `dir` already.
///
/// Below [`SEQUENTIAL_REPORT_ACCOUNTS`] accounts the files are written on two threads; from
/// there on the scores table's two files first, then the others, so that the scores table
/// and the other files' text are not in memory at once. At 100,000 accounts both ways peak
/// at the same resident size (1.20-1.22 GB, reached while the drop is read, not here) and
/// two threads take 1.9 s instead of 2.0-2.3 s.
pub fn write_all(dir: &Path, input: &ReportInput<'_>) -> Result<Vec<Written>, ReportError> {
    write_files(dir, input, input.scores.len() >= SEQUENTIAL_REPORT_ACCOUNTS)?;
    let names = [
        "scores.csv",
        "scores.parquet",
        "shortlist.csv",
        "shortlist.parquet",
        "flags.csv",
        "growth.csv",
        "results.csv",
        "suggestions.csv",
        "rejected.csv",
        "report.md",
        "report.html",
    ];
    names
        .iter()
        .map(|n| {
            let path = dir.join(n);
            let bytes = std::fs::metadata(&path)
                .map_err(|source| ReportError::Io { path, source })?
                .len();
            Ok(Written {
                file: (*n).to_string(),
                bytes,
            })
        })
        .collect()
}

/// Writes every output but `rejected.csv`: one after another, or on two threads.
fn write_files(
    dir: &Path,
    input: &ReportInput<'_>,
    one_after_another: bool,
) -> Result<(), ReportError> {
    // Everything but the scores table.
    let rest = || -> Result<(), ReportError> {
        let shortlist = shortlist_table(
            input.scores.iter().filter(|s| s.shortlisted()),
            input.campaign,
        );
        write_csv(dir, "shortlist.csv", &shortlist)?;
        write_parquet(dir, "shortlist.parquet", &shortlist)?;
        write_csv(dir, "flags.csv", &flags_table(input.scores))?;
        write_csv(dir, "growth.csv", &growth_table(input.scores))?;
        write_csv(dir, "results.csv", &results_table(input.results))?;
        write_csv(
            dir,
            "suggestions.csv",
            &suggestions_table(input.suggestions),
        )?;
        write_text(dir, "report.md", &markdown::render(input))?;
        write_text(dir, "report.html", &html::render(input))
    };
    if one_after_another {
        // The scores table's two files are written side by side from the one table (the
        // CSV streams out; the Parquet file's frame exists either way), then the rest.
        let scores = scores_table(input.scores.iter(), input.campaign);
        let (csv, parquet) = side_by_side(
            || write_csv(dir, "scores.csv", &scores),
            || write_parquet(dir, "scores.parquet", &scores),
        );
        csv?;
        parquet?;
        std::mem::drop(scores);
        rest()?;
    } else {
        // On two threads: this one builds the full scores table (the largest) and writes
        // scores.csv; the other writes everything else, then scores.parquet from the same
        // table. Each file is written whole by one thread; the first error is returned.
        let (table_tx, table_rx) = std::sync::mpsc::sync_channel::<Arc<OutTable>>(1);
        let (mine, other) = side_by_side(
            || {
                let scores = Arc::new(scores_table(input.scores.iter(), input.campaign));
                // The other thread may have stopped at an error before it wants the table.
                let _ = table_tx.send(Arc::clone(&scores));
                write_csv(dir, "scores.csv", &scores)
            },
            move || -> Result<(), ReportError> {
                rest()?;
                let scores = table_rx.recv().expect("the scores table is built");
                write_parquet(dir, "scores.parquet", &scores)
            },
        );
        mine?;
        other?;
    }
    Ok(())
}

/// Runs `other` on a second thread while `mine` runs on this one, and returns both results
/// (a panic on the other thread is resumed here).
fn side_by_side<M, O: Send>(mine: impl FnOnce() -> M, other: impl FnOnce() -> O + Send) -> (M, O) {
    std::thread::scope(|s| {
        let other = s.spawn(other);
        let mine = mine();
        let other = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (mine, other)
    })
}

/// Accounts from which the reports are written one after another (see [`write_all`]).
pub const SEQUENTIAL_REPORT_ACCOUNTS: usize = 200_000;

fn create(dir: &Path, name: &str) -> Result<(PathBuf, BufWriter<File>), ReportError> {
    let path = dir.join(name);
    let f = File::create(&path).map_err(|source| ReportError::Io {
        path: path.clone(),
        source,
    })?;
    Ok((path, BufWriter::new(f)))
}

fn write_csv(dir: &Path, name: &str, t: &OutTable) -> Result<(), ReportError> {
    let (path, w) = create(dir, name)?;
    t.write_csv(w)
        .map_err(|source| ReportError::Io { path, source })
}

fn write_parquet(dir: &Path, name: &str, t: &OutTable) -> Result<(), ReportError> {
    let (path, w) = create(dir, name)?;
    let mut df = t.to_frame().map_err(|source| ReportError::Parquet {
        path: path.clone(),
        source,
    })?;
    ParquetWriter::new(w)
        .finish(&mut df)
        .map(|_| ())
        .map_err(|source| ReportError::Parquet { path, source })
}

fn write_text(dir: &Path, name: &str, text: &str) -> Result<(), ReportError> {
    let path = dir.join(name);
    std::fs::write(&path, text).map_err(|source| ReportError::Io { path, source })
}

/// "big emotions (7); toddler (3)": keywords with the recent posts matching each.
pub fn matched_keywords(s: &AccountScore) -> String {
    s.relevance
        .matched_keywords
        .iter()
        .map(|(k, n)| format!("{k} ({n})"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The best-matching recent posts: "2026-11-20 <post id>: <snippet>", one item each.
pub fn best_posts(s: &AccountScore) -> Vec<String> {
    s.relevance
        .best_posts
        .iter()
        .map(|p| {
            format!(
                "{} {}: {}",
                table::rfc3339(p.posted_at).get(..10).unwrap_or_default(),
                p.post_id,
                p.snippet
            )
        })
        .collect()
}

/// The table of `names`, its columns built in parallel (each column is one pass over the
/// accounts; the table is the same whatever the order the columns are built in).
fn out_table<'a, I: Iterator<Item = &'a AccountScore> + Clone + Send + Sync>(
    names: &[&'static str],
    it: I,
    campaign: &Campaign,
) -> OutTable {
    use rayon::prelude::*;
    OutTable {
        columns: names
            .par_iter()
            .map(|n| (*n, columns::def(n).values(it.clone(), campaign)))
            .collect(),
    }
}

/// `scores.csv` / `scores.parquet` ([`SCORES_COLUMNS`]).
pub fn scores_table<'a, I: Iterator<Item = &'a AccountScore> + Clone + Send + Sync>(
    it: I,
    campaign: &Campaign,
) -> OutTable {
    out_table(SCORES_COLUMNS, it, campaign)
}

/// `shortlist.csv` ([`SHORTLIST_COLUMNS`]).
pub fn shortlist_table<'a, I: Iterator<Item = &'a AccountScore> + Clone + Send + Sync>(
    it: I,
    campaign: &Campaign,
) -> OutTable {
    out_table(SHORTLIST_COLUMNS, it, campaign)
}

/// `flags.csv`: one row per flag.
pub fn flags_table(scores: &[AccountScore]) -> OutTable {
    let rows: Vec<(&AccountScore, &microscout_model::Flag)> = scores
        .iter()
        .flat_map(|s| s.flags.iter().map(move |f| (s, f)))
        .collect();
    let t = |f: &dyn Fn(&AccountScore, &microscout_model::Flag) -> Option<String>| {
        Values::Text(rows.iter().map(|(s, fl)| f(s, fl)).collect())
    };
    OutTable {
        columns: vec![
            ("platform", t(&|s, _| Some(s.platform.to_string()))),
            ("account_id", t(&|s, _| Some(s.account_id.clone()))),
            ("handle", t(&|s, _| Some(s.handle.clone()))),
            (
                "followers",
                Values::Int(
                    rows.iter()
                        .map(|(s, _)| s.followers.map(|n| n as i64))
                        .collect(),
                ),
            ),
            ("flag", t(&|_, f| Some(f.code.as_str().to_string()))),
            ("reason", t(&|_, f| Some(f.reason.to_string()))),
        ],
    }
}

/// `growth.csv`: one row per growth signal found in an account's history (see
/// microscout-score's `growth` module), with its nights, size and evidence.
pub fn growth_table(scores: &[AccountScore]) -> OutTable {
    use microscout_model::history::date_of;
    let rows: Vec<(&AccountScore, &microscout_model::history::GrowthSignal)> = scores
        .iter()
        .flat_map(|s| s.growth.signals.iter().map(move |g| (s, g)))
        .collect();
    type G = microscout_model::history::GrowthSignal;
    let t = |f: &dyn Fn(&AccountScore, &G) -> Option<String>| {
        Values::Text(rows.iter().map(|(s, g)| f(s, g)).collect())
    };
    let i = |f: &dyn Fn(&G) -> Option<i64>| Values::Int(rows.iter().map(|(_, g)| f(g)).collect());
    let x = |f: &dyn Fn(&G) -> Option<f64>| Values::Float(rows.iter().map(|(_, g)| f(g)).collect());
    let b = |v: bool| Some(if v { "true" } else { "false" }.to_string());
    OutTable {
        columns: vec![
            ("platform", t(&|s, _| Some(s.platform.to_string()))),
            ("account_id", t(&|s, _| Some(s.account_id.clone()))),
            ("handle", t(&|s, _| Some(s.handle.clone()))),
            ("signal", t(&|_, g| Some(g.kind.as_str().to_string()))),
            ("from_date", t(&|_, g| Some(date_of(g.from_day)))),
            ("to_date", t(&|_, g| Some(date_of(g.to_day)))),
            ("followers_before", i(&|g| Some(g.followers_before as i64))),
            ("followers_change", i(&|g| Some(g.followers_change))),
            ("strength", x(&|g| Some(g.strength))),
            ("interactions_change", x(&|g| g.interactions_change)),
            (
                "engagement_followed",
                t(&|_, g| g.engagement_followed.and_then(b)),
            ),
            ("suggests_bought", t(&|_, g| b(g.suggests_bought()))),
            (
                "flagged",
                t(&|_, g| b(microscout_model::history::flagged(g))),
            ),
            ("evidence", t(&|_, g| Some(g.to_string()))),
        ],
    }
}

/// `suggestions.csv`: one row per suggested hashtag or phrase (microscout-score's `suggest`:
/// the rule, the thresholds), with the counts it was chosen on and the sizes of the groups
/// counted.
pub fn suggestions_table(s: &microscout_model::suggest::Suggestions) -> OutTable {
    let rows = &s.terms;
    type S = microscout_model::suggest::Suggestion;
    let t = |f: &dyn Fn(&S) -> String| Values::Text(rows.iter().map(|r| Some(f(r))).collect());
    let i = |f: &dyn Fn(&S) -> u64| Values::Int(rows.iter().map(|r| Some(f(r) as i64)).collect());
    let x = |f: &dyn Fn(&S) -> f64| Values::Float(rows.iter().map(|r| Some(f(r))).collect());
    OutTable {
        columns: vec![
            ("suggestion", t(&|r| r.kind.as_str().to_string())),
            ("term", t(&|r| r.term.clone())),
            ("fit_accounts", i(&|r| r.fit)),
            ("fit_total", i(&|_| s.fit_total)),
            ("off_accounts", i(&|r| r.off)),
            ("off_total", i(&|_| s.off_total)),
            ("rest_accounts", i(&|r| r.rest)),
            ("rest_total", i(&|_| s.rest_total)),
            ("lift", x(&|r| r.lift)),
            ("strong", t(&|r| r.strong.to_string())),
        ],
    }
}

/// `results.csv`: one row per account in the ledger for this book (see microscout-score's
/// `outreach` module for every formula).
pub fn results_table(r: &microscout_model::ledger::CampaignResults) -> OutTable {
    let a = &r.accounts;
    type R = microscout_model::ledger::AccountResult;
    let t = |f: &dyn Fn(&R) -> Option<String>| Values::Text(a.iter().map(f).collect());
    let i = |f: &dyn Fn(&R) -> Option<i64>| Values::Int(a.iter().map(f).collect());
    let x = |f: &dyn Fn(&R) -> Option<f64>| Values::Float(a.iter().map(f).collect());
    OutTable {
        columns: vec![
            ("platform", t(&|r| Some(r.platform.clone()))),
            ("account_id", t(&|r| Some(r.account_id.clone()))),
            ("handle", t(&|r| Some(r.handle.clone()))),
            ("book", t(&|_| Some(r.book.clone()))),
            ("state", t(&|r| Some(r.state.as_str().to_string()))),
            ("copies", i(&|r| Some(i64::from(r.copies)))),
            ("cost", x(&|r| Some(r.cost))),
            ("posts_about_book", i(&|r| Some(i64::from(r.posts)))),
            ("likes", i(&|r| Some(r.likes as i64))),
            ("comments", i(&|r| Some(r.comments as i64))),
            (
                "engaged_readers",
                x(&|r| r.engaged_readers.map(|e| e.value)),
            ),
            (
                "engaged_readers_low",
                x(&|r| r.engaged_readers.map(|e| e.low)),
            ),
            (
                "engaged_readers_high",
                x(&|r| r.engaged_readers.map(|e| e.high)),
            ),
            (
                "engaged_readers_status",
                t(&|r| Some(r.engaged_status.clone())),
            ),
            (
                "cost_per_reader",
                x(&|r| r.cost_per_reader.map(|e| e.value)),
            ),
            (
                "cost_per_reader_low",
                x(&|r| r.cost_per_reader.map(|e| e.low)),
            ),
            (
                "cost_per_reader_high",
                x(&|r| r.cost_per_reader.map(|e| e.high).filter(|v| v.is_finite())),
            ),
            ("units", i(&|r| r.units.map(|u| u as i64))),
            ("revenue", x(&|r| r.revenue)),
            ("return_on_cost", x(&|r| r.return_on_cost)),
        ],
    }
}

/// `rejected.csv` written one row at a time, as ingestion rejects them, so that a file of
/// millions of bad rows never sits in memory.
pub struct RejectedCsv {
    path: PathBuf,
    out: csv::Writer<BufWriter<File>>,
}

impl RejectedCsv {
    /// Creates the file (`<dir>/rejected.csv` for a run) and writes its header.
    pub fn create(path: &Path) -> Result<Self, ReportError> {
        let io = |source| ReportError::Io {
            path: path.to_owned(),
            source,
        };
        let f = File::create(path).map_err(io)?;
        let mut out = csv::Writer::from_writer(BufWriter::new(f));
        rejected_table(&[]).write_header(&mut out).map_err(io)?;
        Ok(RejectedCsv {
            path: path.to_owned(),
            out,
        })
    }

    /// Flushes and syncs the file to disk.
    pub fn finish(mut self) -> Result<(), ReportError> {
        let io = |source| ReportError::Io {
            path: self.path.clone(),
            source,
        };
        self.out.flush().map_err(io)?;
        let inner = self.out.into_inner().map_err(|e| ReportError::Io {
            path: self.path.clone(),
            source: e.into_error(),
        })?;
        let file = inner.into_inner().map_err(|e| ReportError::Io {
            path: self.path.clone(),
            source: e.into_error(),
        })?;
        file.sync_all().map_err(|source| ReportError::Io {
            path: self.path.clone(),
            source,
        })
    }
}

impl RejectWriter for RejectedCsv {
    fn write(&mut self, r: &Rejection) -> std::io::Result<()> {
        rejected_table(std::slice::from_ref(r)).write_rows(&mut self.out)
    }
}

/// `rejected.csv`: the data contract's `file, line (or record index), table, reason, raw`.
pub fn rejected_table(rejected: &[Rejection]) -> OutTable {
    use microscout_model::intake::Location;
    let t = |f: &dyn Fn(&Rejection) -> String| {
        Values::Text(rejected.iter().map(|r| Some(f(r))).collect())
    };
    OutTable {
        columns: vec![
            ("file", t(&|r| r.file.clone())),
            (
                "line",
                Values::Int(
                    rejected
                        .iter()
                        .map(|r| match r.location {
                            Location::Line(l) => Some(l as i64),
                            Location::Record(_) => None,
                        })
                        .collect(),
                ),
            ),
            (
                "record",
                Values::Int(
                    rejected
                        .iter()
                        .map(|r| match r.location {
                            Location::Record(i) => Some(i as i64),
                            Location::Line(_) => None,
                        })
                        .collect(),
                ),
            ),
            ("table", t(&|r| r.table.to_string())),
            ("reason", t(&|r| r.reason.to_string())),
            ("raw", t(&|r| r.raw.clone())),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A write that fails on either thread (here: a folder where the file must go) comes back
    /// as an error naming the file, never as a panic or a hang.
    #[test]
    fn a_write_error_on_either_thread_is_returned() {
        let run = RunInfo {
            run_id: "t".into(),
            tool_version: "0".into(),
            as_of: 0,
            drop: "drop".into(),
            classifier: None,
        };
        let campaign = Campaign::default();
        let rejected = Rejections::default();
        let history = Default::default();
        let results = Default::default();
        let input = ReportInput {
            run: &run,
            campaign: &campaign,
            scores: &[],
            rejected: &rejected,
            files: &[],
            history: &history,
            results: &results,
            overlap: &Default::default(),
            suggestions: &Default::default(),
        };
        let blocked_files = [
            "scores.csv",
            "scores.parquet",
            "shortlist.csv",
            "report.html",
        ];
        for (i, blocked) in blocked_files.into_iter().enumerate() {
            let dir =
                std::env::temp_dir().join(format!("microscout-report-{}-{i}", std::process::id()));
            std::fs::create_dir_all(dir.join(blocked)).unwrap();
            for one_after_another in [false, true] {
                let e = write_files(&dir, &input, one_after_another)
                    .unwrap_err()
                    .to_string();
                assert!(e.contains(&format!("/{blocked}:")), "{blocked}: {e}");
            }
            std::fs::remove_dir_all(&dir).unwrap();
        }
    }
}
