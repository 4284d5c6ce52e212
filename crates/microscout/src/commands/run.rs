//! `microscout run`: ingest -> score -> report into a run folder that appears whole.
//!
//! [`run`] is the list of stages; each stage is a function below that takes what the earlier
//! ones produced, logs its one line and hands on what the later ones need.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use microscout_ingest::ledger::Ledger;
use microscout_ingest::sales::SalesFile;
use microscout_model::Campaign;
use microscout_model::history::Histories;
use microscout_model::ledger::Delivery;
use microscout_model::numfmt::{count, rfc3339};

use crate::RunOutcome;
use crate::cli::RunArgs;
use crate::manifest::{Manifest, OutreachRead, Results, Timings, Tool};
use crate::run_dir::RunDir;
use crate::ui::{IngestProgress, Ui};

/// `microscout run`.
pub fn run(args: &RunArgs, ui: &Ui) -> anyhow::Result<RunOutcome> {
    let t0 = Instant::now();
    let started_at = Utc::now();
    let setup = prepare(args, started_at.timestamp())?;
    let (mut ingested, reducers) = ingest(args, &setup, ui)?;
    let mut outreach = read_outreach(args, &setup, &ingested.drop)?;
    let accounts = std::mem::take(&mut ingested.drop.accounts);
    let scored = score(&setup, reducers, accounts, &mut outreach, ui)?;
    let spin = ui.spinner("report");
    let reported = report(args, &setup, &ingested, &outreach, &scored).inspect_err(|_| {
        spin.abandon();
    })?;
    let manifest = record(
        args, &setup, &ingested, &outreach, &scored, reported, started_at, t0,
    );
    let run_dir = publish(args, setup, &manifest, &scored, &outreach, spin)?;
    Ok(RunOutcome { run_dir, manifest })
}

/// The record of the run (`manifest.json`): what was read, how, what was written, timings.
#[allow(clippy::too_many_arguments)]
fn record(
    args: &RunArgs,
    setup: &Setup,
    ingested: &Ingested,
    outreach: &Outreach,
    scored: &ScoreStage,
    reported: Reported,
    started_at: DateTime<Utc>,
    t0: Instant,
) -> Manifest {
    Manifest {
        tool: Tool {
            name: "microscout",
            version: env!("CARGO_PKG_VERSION"),
        },
        run_id: setup.dir.id().to_string(),
        as_of: rfc3339(setup.as_of),
        started_at: rfc3339(started_at.timestamp()),
        finished_at: rfc3339(Utc::now().timestamp()),
        drop: args.drop.display().to_string(),
        campaign_file: args.campaign.display().to_string(),
        campaign_sha256: microscout_ingest::sha256_hex(&setup.campaign_bytes),
        config: setup.campaign.clone(),
        inputs: ingested.drop.intake.files.clone(),
        ignored_files: ingested
            .drop
            .intake
            .ignored_files
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        accounting: ingested.drop.intake.accounting(),
        results: reported.results,
        drop_statistics: scored.scored.stats.clone(),
        keyword_statistics: scored.scored.text_stats.clone(),
        outputs: reported.outputs,
        outreach: OutreachRead {
            ledger: outreach.ledger_path.display().to_string(),
            ledger_sha256: outreach.ledger.sha256.clone(),
            events: outreach.ledger.events.len(),
            rows_not_used: scored.rows_not_used,
            sales: outreach
                .sales_path
                .as_ref()
                .map(|p| p.display().to_string()),
            sales_sha256: outreach.sales.as_ref().map(|f| f.sha256.clone()),
            deliveries_known: scored.scored.deliveries.len(),
        },
        history_nights_read: outreach.history.nights_read,
        timings_ms: Timings {
            ingest: ingested.ms,
            score: scored.ms,
            report: reported.ms,
            total: t0.elapsed().as_millis(),
        },
    }
}

/// What the run knows before it reads the drop.
struct Setup {
    campaign: Campaign,
    /// The campaign file as read (its SHA-256 goes into the manifest).
    campaign_bytes: Vec<u8>,
    /// The reference time. Unit: Unix seconds.
    as_of: i64,
    /// Tonight, the night of `as_of`. Unit: days since 1970-01-01.
    tonight: i32,
    options: microscout_ingest::IngestOptions,
    /// The reserved run folder; dropped on a failure, which deletes it.
    dir: RunDir,
}

/// The campaign, the checks of the command line, and the run folder reserved (rejected rows
/// stream into its rejected.csv while the drop is read).
fn prepare(args: &RunArgs, now: i64) -> anyhow::Result<Setup> {
    let (campaign, campaign_bytes) = super::read_campaign(&args.campaign)?;
    let as_of = args.as_of.unwrap_or(now);
    if !args.drop.is_dir() {
        return Err(crate::usage!(
            "the drop folder {} does not exist or is not a folder",
            args.drop.display()
        ));
    }
    crate::run_dir::check_out_vs_drop(&args.out, &args.drop)?;
    let options = microscout_ingest::IngestOptions::from_campaign(&campaign)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create the output folder {}", args.out.display()))?;
    let base_id = args.run_id.clone().unwrap_or_else(|| {
        DateTime::<Utc>::from_timestamp(as_of, 0)
            .map(|d| d.format("%Y%m%dT%H%M%SZ").to_string())
            .unwrap_or_else(|| as_of.to_string())
    });
    let dir = RunDir::reserve(&args.out, &base_id)?;
    Ok(Setup {
        tonight: microscout_model::history::day_of(as_of),
        campaign,
        campaign_bytes,
        as_of,
        options,
        dir,
    })
}

/// The drop read and validated.
struct Ingested {
    drop: microscout_ingest::StreamedDrop,
    ms: u128,
}

/// The first scoring step, done while the drop was read: the posts and the follower sample
/// reduced.
struct Reducers {
    recent: microscout_score::RecentPosts,
    sample: microscout_score::FollowerSample,
    comments: microscout_score::comments::CommentEvidenceByAccount,
}

/// Reads the drop ([`ingest_and_reduce`]), logs its accounting, and stops a drop without a
/// usable account.
fn ingest(args: &RunArgs, setup: &Setup, ui: &Ui) -> anyhow::Result<(Ingested, Reducers)> {
    let total_bytes = std::fs::read_dir(&args.drop)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    let bar = ui.bytes_bar("ingest", total_bytes);
    let t = Instant::now();
    let mut rejected_csv =
        microscout_report::RejectedCsv::create(&setup.dir.path().join("rejected.csv"))?;
    let ingested = ingest_and_reduce(
        &args.drop,
        &setup.options,
        &IngestProgress(bar.clone()),
        &mut rejected_csv,
        microscout_score::RecentPosts::new(&setup.campaign, setup.as_of),
        !setup.campaign.audience.languages.is_empty(),
    );
    let (drop, reducers) = match ingested {
        Ok(d) => {
            bar.finish_and_clear();
            d
        }
        Err(e) => {
            bar.abandon();
            return Err(e);
        }
    };
    rejected_csv.finish()?;
    let ms = t.elapsed().as_millis();
    log_accounting(&drop, ms);
    if drop.accounts.height() == 0 {
        return Err(no_usable_account(&drop, &args.drop));
    }
    Ok((Ingested { drop, ms }, reducers))
}

/// One line per table and one for the stage, with fields (`--log-format json` makes them
/// machine-readable; `-v` shows them as text), and a warning per file not read whole.
fn log_accounting(drop: &microscout_ingest::StreamedDrop, ingest_ms: u128) {
    let accounting = drop.intake.accounting();
    for a in &accounting {
        tracing::info!(
            stage = "ingest",
            table = a.table,
            files = a.files,
            rows_read = a.rows_read,
            accepted = a.accepted,
            rejected = a.rejected,
            "{}: {} rows read = {} accepted + {} rejected ({} files)",
            a.table,
            a.rows_read,
            a.accepted,
            a.rejected,
            a.files
        );
    }
    let total = |f: fn(&microscout_ingest::TableAccounting) -> u64| -> u64 {
        accounting.iter().map(f).sum()
    };
    tracing::info!(
        stage = "ingest",
        duration_ms = ingest_ms as u64,
        files = drop.intake.files.len() as u64,
        rows_read = total(|a| a.rows_read),
        accepted = total(|a| a.accepted),
        rejected = total(|a| a.rejected),
        "ingest finished in {ingest_ms} ms"
    );
    for f in drop.intake.files.iter().filter(|f| f.stopped.is_some()) {
        tracing::warn!(
            "{} was not read to its end: {}",
            f.file,
            f.stopped.as_deref().unwrap_or_default()
        );
    }
}

/// The error of a drop none of whose account rows could be used, with the commonest reasons.
fn no_usable_account(
    drop: &microscout_ingest::StreamedDrop,
    dir: &std::path::Path,
) -> anyhow::Error {
    let accounts = drop
        .intake
        .accounting()
        .into_iter()
        .next()
        .map_or(0, |a| a.rows_read);
    let why = drop
        .intake
        .rejected
        .kinds()
        .iter()
        .filter(|(k, _)| k.starts_with("accounts"))
        .take(3)
        .map(|(k, n)| format!("{} x {k}", count(*n)))
        .collect::<Vec<_>>()
        .join("; ");
    anyhow!(
        "the drop {} has no usable account: {} account rows were read and every one was \
         rejected{}; nothing was written (`microscout validate --drop {} --rejected \
         rejected.csv` lists each row and its reason)",
        dir.display(),
        count(accounts),
        if why.is_empty() {
            String::new()
        } else {
            format!(" ({why})")
        },
        dir.display()
    )
}

/// What the run reads besides the drop: the history of earlier nights, the outreach ledger
/// (the author's file), the posts about the book stored on earlier nights, and sales.
struct Outreach {
    history: Histories,
    ledger_path: PathBuf,
    ledger: Ledger,
    stored_deliveries: Vec<Delivery>,
    sales_path: Option<PathBuf>,
    sales: Option<SalesFile>,
}

/// Reads the history and the outreach files. Ledger rows that name no account of tonight's
/// drop or the history are reported, not used; so are sales rows that cannot be read.
fn read_outreach(
    args: &RunArgs,
    setup: &Setup,
    drop: &microscout_ingest::StreamedDrop,
) -> anyhow::Result<Outreach> {
    let campaign = &setup.campaign;
    let t_history = Instant::now();
    let history = microscout_history::read_before(&args.out, setup.tonight).with_context(|| {
        format!(
            "cannot read the history in {}; nothing was written (move the named \
                 partition away to run without it)",
            microscout_history::root(&args.out).display()
        )
    })?;
    let ledger_path = campaign.ledger_path(&args.campaign, &args.out);
    // The names a ledger row may use, built only when there is a ledger to check.
    let mut known = microscout_ingest::ledger::KnownAccounts::default();
    if ledger_path.exists() {
        known.add_table(&drop.accounts);
        known.add_history(&history);
    }
    let mut ledger =
        microscout_ingest::ledger::read(&ledger_path, &campaign.book.title, &|_, a| known.check(a))
            .context("the outreach ledger cannot be used; nothing was written")?;
    let stored_deliveries = microscout_history::read_deliveries(&args.out)
        .context("the store of posts about the book cannot be read; nothing was written")?;
    let sales_path = campaign.sales_path(&args.campaign);
    let sales = match &sales_path {
        Some(path) => {
            let mut file = microscout_ingest::sales::read_sales(path).context(
                "the sales file named in [outreach] sales cannot be used; nothing was written",
            )?;
            ledger
                .problems
                .extend(std::mem::take(&mut file.problems).into_iter().map(|mut p| {
                    p.reason = format!("{} line {}: {}", path.display(), p.line, p.reason);
                    p
                }));
            Some(file)
        }
        None => None,
    };
    if !ledger.problems.is_empty() {
        tracing::warn!(
            "{}: {} rows cannot be used (listed in the report); the other {} are",
            ledger_path.display(),
            ledger.problems.len() as u64 + ledger.more_problems,
            ledger.events.len()
        );
    }
    tracing::info!(
        stage = "outreach",
        events = ledger.events.len() as u64,
        problems = ledger.problems.len() as u64 + ledger.more_problems,
        deliveries = stored_deliveries.len() as u64,
        sales = sales.as_ref().map_or(0, |f| f.sales.len()) as u64,
        "ledger {}: {} events",
        ledger_path.display(),
        ledger.events.len()
    );
    tracing::info!(
        stage = "history",
        duration_ms = t_history.elapsed().as_millis() as u64,
        nights = history.nights_read as u64,
        accounts = history.timelines.len() as u64,
        "history: {} accounts over earlier nights{}",
        history.timelines.len(),
        history
            .previous_day
            .map(|d| format!(", latest {}", microscout_model::history::date_of(d)))
            .unwrap_or_default()
    );
    Ok(Outreach {
        history,
        ledger_path,
        ledger,
        stored_deliveries,
        sales_path,
        sales,
    })
}

/// Scoring's result, with the ledger rows it could not use counted.
struct ScoreStage {
    scored: microscout_score::Scored,
    rows_not_used: u64,
    ms: u128,
}

/// Finishes the reductions begun while the drop was read and scores every account; the
/// tables are let go once scored (the report needs only the scores).
fn score(
    setup: &Setup,
    Reducers {
        recent,
        sample,
        comments,
    }: Reducers,
    accounts: polars::prelude::DataFrame,
    outreach: &mut Outreach,
    ui: &Ui,
) -> anyhow::Result<ScoreStage> {
    let (follower_sample, overlap) = sample.finish()?;
    let posts = recent.finish(microscout_ingest::empty_table(
        microscout_model::schema::Table::Posts,
    ))?;
    let spin = ui.spinner("score");
    spin.set_message(format!("{} accounts", accounts.height()));
    let t = Instant::now();
    let sales = outreach.sales.as_ref().map(|f| f.sales.as_slice());
    let scored = microscout_score::score(
        microscout_score::Tables {
            accounts: &accounts,
            posts: &posts,
            follower_sample: &follower_sample,
            overlap: &overlap,
            comments: &comments,
            history: &outreach.history,
            outreach: microscout_score::outreach::OutreachInput {
                events: &outreach.ledger.events,
                deliveries: &outreach.stored_deliveries,
                sales,
            },
        },
        &setup.campaign,
        setup.as_of,
    );
    std::mem::drop((accounts, posts, follower_sample, overlap, comments));
    let mut scored = match scored {
        Ok(s) => {
            spin.finish_and_clear();
            s
        }
        Err(e) => {
            spin.abandon();
            return Err(anyhow!(e));
        }
    };
    let ledger = &mut outreach.ledger;
    let rows_not_used = ledger.problems.len() as u64 + ledger.more_problems;
    scored.results.problems = std::mem::take(&mut ledger.problems);
    let ms = t.elapsed().as_millis();
    tracing::info!(
        stage = "score",
        duration_ms = ms as u64,
        accounts = scored.accounts.len() as u64,
        "score finished in {ms} ms"
    );
    Ok(ScoreStage {
        scored,
        rows_not_used,
        ms,
    })
}

/// What the report stage wrote.
struct Reported {
    outputs: Vec<microscout_report::Written>,
    results: Results,
    ms: u128,
}

/// Writes every output file into the staging folder.
fn report(
    args: &RunArgs,
    setup: &Setup,
    ingested: &Ingested,
    outreach: &Outreach,
    scored: &ScoreStage,
) -> anyhow::Result<Reported> {
    let t = Instant::now();
    let scores = &scored.scored.accounts;
    let drop = &ingested.drop;
    let run = microscout_report::RunInfo {
        run_id: setup.dir.id().to_string(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        as_of: setup.as_of,
        drop: args.drop.display().to_string(),
        classifier: microscout_authenticity::FollowerModel::shipped()
            .rate_band
            .map(|b| microscout_report::ClassifierRates {
                sensitivity_low: b.sensitivity_low,
                sensitivity_high: b.sensitivity_high,
                specificity_low: b.specificity_low,
                specificity_high: b.specificity_high,
                bought_threshold: microscout_score::authenticity::FAKE_SHARE_BOUGHT,
            }),
    };
    let outputs = microscout_report::write_all(
        setup.dir.path(),
        &microscout_report::ReportInput {
            run: &run,
            campaign: &setup.campaign,
            scores,
            rejected: &drop.intake.rejected,
            files: &drop.intake.files,
            history: &outreach.history,
            results: &scored.scored.results,
            overlap: &scored.scored.overlap,
            suggestions: &scored.scored.suggestions,
        },
    )?;
    let results = Results {
        accounts_scored: scores.len(),
        shortlisted: scores.iter().filter(|s| s.shortlisted()).count(),
        flagged: scores.iter().filter(|s| !s.flags.is_empty()).count(),
        rows_rejected: drop.intake.rejected.total as usize,
    };
    let ms = t.elapsed().as_millis();
    tracing::info!(
        stage = "report",
        duration_ms = ms as u64,
        accounts = results.accounts_scored as u64,
        shortlisted = results.shortlisted as u64,
        flagged = results.flagged as u64,
        "report finished in {ms} ms"
    );
    Ok(Reported {
        outputs,
        results,
        ms,
    })
}

/// Writes the manifest, makes the run folder visible, then adds the night to the history
/// (a failure there leaves the run complete and the history as it was: a rerun of the
/// night adds it).
fn publish(
    args: &RunArgs,
    setup: Setup,
    manifest: &Manifest,
    scored: &ScoreStage,
    outreach: &Outreach,
    spin: indicatif::ProgressBar,
) -> anyhow::Result<PathBuf> {
    let manifest_path = setup.dir.path().join("manifest.json");
    let json = serde_json::to_string_pretty(manifest)?;
    std::fs::write(&manifest_path, json + "\n")
        .with_context(|| format!("cannot write {}", manifest_path.display()))?;
    let snapshots: Vec<microscout_model::history::Snapshot> = scored
        .scored
        .accounts
        .iter()
        .map(|s| microscout_model::history::Snapshot::of(s, setup.tonight))
        .collect();
    let run_dir = setup.dir.commit(setup.as_of).inspect_err(|_| {
        spin.abandon();
    })?;
    let t = Instant::now();
    let written = microscout_history::write_night(&args.out, setup.tonight, &snapshots);
    spin.finish_and_clear();
    let deliveries = &scored.scored.deliveries;
    let written = written.and_then(|p| {
        if deliveries.is_empty() && outreach.stored_deliveries.is_empty() {
            Ok(p)
        } else {
            microscout_history::write_deliveries(&args.out, deliveries).map(|()| p)
        }
    });
    let partition = written.with_context(|| {
        format!(
            "the run {} was written, but its night was not added to the history; \
             run the night again to add it",
            run_dir.display()
        )
    })?;
    tracing::info!(
        stage = "history",
        duration_ms = t.elapsed().as_millis() as u64,
        accounts = snapshots.len() as u64,
        "history: {} snapshots in {}",
        snapshots.len(),
        partition.display()
    );
    Ok(run_dir)
}

/// Ingestion and the first scoring step as a pipeline: the reader validates file after file
/// on this thread and hands each validated file of posts or followers through a rendezvous
/// channel to a second thread, which reduces it (posts to each account's most recent ones,
/// followers labelled and counted per account) while the next file is read. At most two
/// files' tables are in memory at once: the one being read and the one being reduced.
fn ingest_and_reduce(
    drop_dir: &std::path::Path,
    options: &microscout_ingest::IngestOptions,
    progress: &dyn microscout_ingest::Progress,
    rejected: &mut microscout_report::RejectedCsv,
    recent: microscout_score::RecentPosts,
    comment_languages: bool,
) -> anyhow::Result<(microscout_ingest::StreamedDrop, Reducers)> {
    use microscout_model::schema::Table;
    use polars::prelude::DataFrame;
    let nothing = "nothing was written";
    /// A chunk of a streamed table, as the reducer takes it.
    enum Chunk {
        Posts(DataFrame),
        Followers(microscout_ingest::FollowerRows),
        Comments(microscout_ingest::CommentRows),
    }
    /// Ingestion's sink: each chunk through the rendezvous channel to the reducer.
    struct ToReducer(std::sync::mpsc::SyncSender<Chunk>);
    impl ToReducer {
        fn send(&self, chunk: Chunk) -> Result<(), String> {
            self.0
                .send(chunk)
                .map_err(|_| "the scoring stage stopped".to_string())
        }
    }
    impl microscout_ingest::TableSink for ToReducer {
        fn posts(&mut self, chunk: DataFrame) -> Result<(), String> {
            self.send(Chunk::Posts(chunk))
        }
        fn followers(&mut self, rows: microscout_ingest::FollowerRows) -> Result<(), String> {
            self.send(Chunk::Followers(rows))
        }
        fn comments(&mut self, rows: microscout_ingest::CommentRows) -> Result<(), String> {
            self.send(Chunk::Comments(rows))
        }
    }
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(0);
        let reducer = s.spawn(move || {
            let mut recent = recent;
            let mut sample = microscout_score::FollowerSample::new();
            let mut comments: Option<microscout_score::comments::CommentSample> = None;
            // Posts are read before followers: when followers start, the posts kept so far
            // are reduced to their final size for the rest of the run.
            let mut posts_pending = false;
            for chunk in rx {
                match chunk {
                    Chunk::Posts(chunk) => {
                        posts_pending = true;
                        recent.add(&chunk).with_context(|| {
                            format!("reducing the {} as they were read", Table::Posts.name())
                        })?;
                    }
                    Chunk::Followers(rows) => {
                        if posts_pending {
                            posts_pending = false;
                            recent.compact().with_context(|| {
                                format!("reducing the {} as they were read", Table::Posts.name())
                            })?;
                        }
                        sample.add_rows(&rows);
                    }
                    Chunk::Comments(chunk) => {
                        // Comments come after every post: the recent posts are final.
                        let comments = match comments.as_mut() {
                            Some(c) => c,
                            None => comments.insert(
                                recent
                                    .final_posts()
                                    .and_then(microscout_score::comments::CommentSample::new)
                                    .map(|c| c.reading_languages(comment_languages))
                                    .with_context(|| {
                                        format!("reducing the {}", Table::Posts.name())
                                    })?,
                            ),
                        };
                        comments.add(&chunk);
                    }
                }
            }
            let comments = comments.map_or_else(
                microscout_score::comments::CommentEvidenceByAccount::none,
                microscout_score::comments::CommentSample::finish,
            );
            anyhow::Ok(Reducers {
                recent,
                sample,
                comments,
            })
        });
        let mut sink = ToReducer(tx);
        let ingested = microscout_ingest::read_drop_streaming(
            drop_dir,
            options,
            progress,
            &mut sink,
            Some(rejected),
        );
        // The sender goes with the sink, which ends the reducer's loop.
        std::mem::drop(sink);
        let reduced = reducer
            .join()
            .unwrap_or_else(|_| Err(anyhow!("the scoring stage panicked")));
        // A reducer error comes first: an ingest error may only be its echo.
        let reducers = reduced.with_context(|| nothing)?;
        let drop = ingested.map_err(|e| {
            anyhow!(e).context(format!(
                "the drop {} cannot be used; {nothing}",
                drop_dir.display()
            ))
        })?;
        Ok((drop, reducers))
    })
}
