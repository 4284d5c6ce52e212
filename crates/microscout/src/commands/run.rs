//! `microscout run`: ingest -> score -> report into a run folder that appears whole.

use std::time::Instant;

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
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
    let (campaign, campaign_bytes) = super::read_campaign(&args.campaign)?;
    let as_of = args.as_of.unwrap_or_else(|| started_at.timestamp());
    if !args.drop.is_dir() {
        return Err(crate::usage!(
            "the drop folder {} does not exist or is not a folder",
            args.drop.display()
        ));
    }
    crate::run_dir::check_out_vs_drop(&args.out, &args.drop)?;
    let options = super::ingest_options(&campaign)?;

    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create the output folder {}", args.out.display()))?;
    let base_id = args.run_id.clone().unwrap_or_else(|| {
        DateTime::<Utc>::from_timestamp(as_of, 0)
            .map(|d| d.format("%Y%m%dT%H%M%SZ").to_string())
            .unwrap_or_else(|| as_of.to_string())
    });
    // The run folder is reserved first: rejected rows stream into its rejected.csv. If
    // anything below fails, dropping `dir` deletes the staging folder.
    let dir = RunDir::reserve(&args.out, &base_id)?;

    // Ingest.
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
    let mut rejected_csv = microscout_report::RejectedCsv::create(&dir.path().join("rejected.csv"))
        .map_err(anyhow::Error::from)?;
    let ingested = ingest_and_reduce(
        &args.drop,
        &options,
        &IngestProgress(bar.clone()),
        &mut rejected_csv,
        microscout_score::RecentPosts::new(&campaign, as_of),
    );
    let (mut drop, recent, sample) = match ingested {
        Ok(d) => {
            bar.finish_and_clear();
            d
        }
        Err(e) => {
            bar.abandon();
            return Err(e);
        }
    };
    rejected_csv.finish().map_err(anyhow::Error::from)?;
    let ingest_ms = t.elapsed().as_millis();
    // One line per table and one per stage, with fields (`--log-format json` makes them
    // machine-readable; `-v` shows them as text).
    let accounting = drop.accounting();
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
        files = drop.files.len() as u64,
        rows_read = total(|a| a.rows_read),
        accepted = total(|a| a.accepted),
        rejected = total(|a| a.rejected),
        "ingest finished in {ingest_ms} ms"
    );
    for f in drop.files.iter().filter(|f| f.stopped.is_some()) {
        tracing::warn!(
            "{} was not read to its end: {}",
            f.file,
            f.stopped.as_deref().unwrap_or_default()
        );
    }
    if drop.accounts.height() == 0 {
        let accounts = drop
            .accounting()
            .into_iter()
            .next()
            .map_or(0, |a| a.rows_read);
        let why = drop
            .rejected
            .kinds()
            .iter()
            .filter(|(k, _)| k.starts_with("accounts"))
            .take(3)
            .map(|(k, n)| format!("{} x {k}", count(*n)))
            .collect::<Vec<_>>()
            .join("; ");
        return Err(anyhow!(
            "the drop {} has no usable account: {} account rows were read and every one was \
             rejected{}; nothing was written (`microscout validate --drop {} --rejected \
             rejected.csv` lists each row and its reason)",
            args.drop.display(),
            count(accounts),
            if why.is_empty() {
                String::new()
            } else {
                format!(" ({why})")
            },
            args.drop.display()
        ));
    }

    // The outreach ledger (the author's file), the posts about the book stored on earlier
    // nights, and sales. Ledger rows that name no account of tonight's drop or the history
    // are reported, not used.
    let tonight = microscout_model::history::day_of(as_of);
    let t_history = Instant::now();
    let history = microscout_history::read_before(&args.out, tonight).with_context(|| {
        format!(
            "cannot read the history in {}; nothing was written (move the named \
                 partition away to run without it)",
            microscout_history::root(&args.out).display()
        )
    })?;
    let ledger_path = super::ledger_path(&args.campaign, &campaign, &args.out);
    // The names a ledger row may use, built only when there is a ledger to check.
    let mut known = super::KnownAccounts::default();
    if ledger_path.exists() {
        let handles = drop
            .accounts
            .column("handle")
            .and_then(|c| c.str().cloned());
        let ids = drop
            .accounts
            .column("account_id")
            .and_then(|c| c.str().cloned());
        if let (Ok(h), Ok(i)) = (handles, ids) {
            for (h, i) in h.iter().zip(i.iter()) {
                known.add(h.unwrap_or_default(), i.unwrap_or_default());
            }
        }
        known.add_history(&history);
    }
    let mut ledger =
        microscout_ingest::ledger::read(&ledger_path, &campaign.book.title, &|_, a| known.check(a))
            .with_context(|| {
                "the outreach ledger cannot be used; nothing was written".to_string()
            })?;
    let stored_deliveries = microscout_history::read_deliveries(&args.out)
        .context("the store of posts about the book cannot be read; nothing was written")?;
    let sales_file = match &campaign.outreach.sales {
        Some(p) => {
            let path = super::beside_campaign(&args.campaign, p);
            let mut file = microscout_ingest::ledger::read_sales(&path).context(
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
    let sales = sales_file.as_ref().map_or(&[][..], |f| f.sales.as_slice());
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
        sales = sales.len() as u64,
        "ledger {}: {} events",
        ledger_path.display(),
        ledger.events.len()
    );

    let follower_sample = sample.finish().map_err(anyhow::Error::from)?;
    let posts = recent
        .finish(std::mem::take(&mut drop.posts))
        .map_err(anyhow::Error::from)?;
    // Scoring consumes the tables; the report needs only the scores.
    let accounts = std::mem::take(&mut drop.accounts);

    let history_nights = history.nights_read;
    tracing::info!(
        stage = "history",
        duration_ms = t_history.elapsed().as_millis() as u64,
        nights = history_nights as u64,
        accounts = history.timelines.len() as u64,
        "history: {} accounts over earlier nights{}",
        history.timelines.len(),
        history
            .previous_day
            .map(|d| format!(", latest {}", microscout_model::history::date_of(d)))
            .unwrap_or_default()
    );

    // Score.
    let spin = ui.spinner("score");
    spin.set_message(format!("{} accounts", accounts.height()));
    let t = Instant::now();
    let scores = microscout_score::score(
        microscout_score::Tables {
            accounts: &accounts,
            posts: &posts,
            follower_sample: &follower_sample,
            history: &history,
            outreach: microscout_score::outreach::OutreachInput {
                events: &ledger.events,
                deliveries: &stored_deliveries,
                sales: sales_file.as_ref().map(|_| sales),
            },
        },
        &campaign,
        as_of,
    );
    std::mem::drop((accounts, posts, follower_sample));
    let microscout_score::Scored {
        accounts: scores,
        stats,
        text_stats,
        deliveries,
        mut results,
    } = match scores {
        Ok(s) => {
            spin.finish_and_clear();
            s
        }
        Err(e) => {
            spin.abandon();
            return Err(anyhow!(e));
        }
    };
    let rows_not_used = ledger.problems.len() as u64 + ledger.more_problems;
    results.problems = std::mem::take(&mut ledger.problems);
    let score_ms = t.elapsed().as_millis();
    tracing::info!(
        stage = "score",
        duration_ms = score_ms as u64,
        accounts = scores.len() as u64,
        "score finished in {score_ms} ms"
    );

    // Report, into the staging folder.
    let spin = ui.spinner("report");
    let t = Instant::now();
    let run = microscout_report::RunInfo {
        run_id: dir.id().to_string(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        as_of,
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
        dir.path(),
        &microscout_report::ReportInput {
            run: &run,
            campaign: &campaign,
            scores: &scores,
            rejected: &drop.rejected,
            files: &drop.files,
            history: &history,
            results: &results,
        },
    );
    let outputs = match outputs {
        Ok(o) => o,
        Err(e) => {
            spin.abandon();
            return Err(anyhow!(e));
        }
    };
    let results = Results {
        accounts_scored: scores.len(),
        shortlisted: scores.iter().filter(|s| s.shortlisted()).count(),
        flagged: scores.iter().filter(|s| !s.flags.is_empty()).count(),
        rows_rejected: drop.rejected.total as usize,
    };
    let report_ms = t.elapsed().as_millis();
    tracing::info!(
        stage = "report",
        duration_ms = report_ms as u64,
        accounts = results.accounts_scored as u64,
        shortlisted = results.shortlisted as u64,
        flagged = results.flagged as u64,
        "report finished in {report_ms} ms"
    );
    let manifest = Manifest {
        tool: Tool {
            name: "microscout",
            version: env!("CARGO_PKG_VERSION"),
        },
        run_id: dir.id().to_string(),
        as_of: rfc3339(as_of),
        started_at: microscout_model::numfmt::rfc3339(started_at.timestamp()),
        finished_at: microscout_model::numfmt::rfc3339(Utc::now().timestamp()),
        drop: args.drop.display().to_string(),
        campaign_file: args.campaign.display().to_string(),
        campaign_sha256: microscout_ingest::sha256_hex(&campaign_bytes),
        config: campaign.clone(),
        inputs: drop.files.clone(),
        ignored_files: drop
            .ignored_files
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        accounting: drop.accounting(),
        results,
        drop_statistics: stats,
        keyword_statistics: text_stats,
        outputs,
        outreach: OutreachRead {
            ledger: ledger_path.display().to_string(),
            ledger_sha256: ledger.sha256.clone(),
            events: ledger.events.len(),
            rows_not_used,
            sales: campaign.outreach.sales.as_ref().map(|p| {
                super::beside_campaign(&args.campaign, p)
                    .display()
                    .to_string()
            }),
            sales_sha256: sales_file.as_ref().map(|f| f.sha256.clone()),
            deliveries_known: deliveries.len(),
        },
        history_nights_read: history_nights,
        timings_ms: Timings {
            ingest: ingest_ms,
            score: score_ms,
            report: report_ms,
            total: t0.elapsed().as_millis(),
        },
    };
    let manifest_path = dir.path().join("manifest.json");
    let json = serde_json::to_string_pretty(&manifest).map_err(anyhow::Error::from)?;
    std::fs::write(&manifest_path, json + "\n")
        .with_context(|| format!("cannot write {}", manifest_path.display()))?;
    let snapshots: Vec<microscout_model::history::Snapshot> = scores
        .iter()
        .map(|s| microscout_model::history::Snapshot::of(s, tonight))
        .collect();
    let run_dir = match dir.commit(as_of) {
        Ok(run_dir) => run_dir,
        Err(e) => {
            spin.abandon();
            return Err(e);
        }
    };
    // The night's snapshots join the history once the run is visible; a failure here
    // leaves the run complete and the history as it was (a rerun of the night adds it).
    let t = Instant::now();
    let written = microscout_history::write_night(&args.out, tonight, &snapshots);
    spin.finish_and_clear();
    let written = written.and_then(|p| {
        if deliveries.is_empty() && stored_deliveries.is_empty() {
            Ok(p)
        } else {
            microscout_history::write_deliveries(&args.out, &deliveries).map(|()| p)
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
    Ok(RunOutcome { run_dir, manifest })
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
) -> anyhow::Result<(
    microscout_ingest::Drop,
    microscout_score::RecentPosts,
    microscout_score::FollowerSample,
)> {
    use microscout_model::schema::Table;
    use polars::prelude::DataFrame;
    let nothing = "nothing was written";
    /// A chunk of a streamed table, as the reducer takes it.
    enum Chunk {
        Posts(DataFrame),
        Followers(microscout_ingest::FollowerRows),
    }
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(0);
        let reducer = s.spawn(move || {
            let mut recent = recent;
            let mut sample = microscout_score::FollowerSample::new();
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
                }
            }
            anyhow::Ok((recent, sample))
        });
        let stopped = || "the scoring stage stopped".to_string();
        let posts_tx = tx.clone();
        let mut add_posts =
            move |chunk: DataFrame| posts_tx.send(Chunk::Posts(chunk)).map_err(|_| stopped());
        let mut add_followers = move |rows: microscout_ingest::FollowerRows| {
            tx.send(Chunk::Followers(rows)).map_err(|_| stopped())
        };
        let ingested = microscout_ingest::read_drop_streaming(
            drop_dir,
            options,
            progress,
            microscout_ingest::Sinks {
                posts: Some(&mut add_posts),
                follower_rows: Some(&mut add_followers),
                rejected: Some(rejected),
                ..Default::default()
            },
        );
        // The senders go with the closures, which ends the reducer's loop.
        std::mem::drop((add_posts, add_followers));
        let reduced = reducer
            .join()
            .unwrap_or_else(|_| Err(anyhow!("the scoring stage panicked")));
        // A reducer error comes first: an ingest error may only be its echo.
        let (recent, sample) = reduced.with_context(|| nothing)?;
        let drop = ingested.map_err(|e| {
            anyhow!(e).context(format!(
                "the drop {} cannot be used; {nothing}",
                drop_dir.display()
            ))
        })?;
        Ok((drop, recent, sample))
    })
}
