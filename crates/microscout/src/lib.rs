//! The batch runner: wires ingest -> score -> report and owns nothing else.
//!
//! It decides the run folder, makes it appear atomically (everything is written into a
//! hidden staging folder beside it and renamed into place only when complete), records the
//! manifest, and sorts failures into exit codes ([`Failure`]).

pub mod cli;
pub mod ui;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use microscout_model::Campaign;
use microscout_model::numfmt::rfc3339;
use serde::Serialize;
use sha2::{Digest, Sha256};

use cli::{GenerateArgs, InitArgs, RunArgs};
use ui::{IngestProgress, Ui};

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

trait RunContext<T> {
    fn run_failure(self) -> Result<T, Failure>;
}
impl<T> RunContext<T> for anyhow::Result<T> {
    fn run_failure(self) -> Result<T, Failure> {
        self.map_err(Failure::Run)
    }
}

/// What a finished run reports back.
#[derive(Debug)]
pub struct RunOutcome {
    pub run_dir: PathBuf,
    pub manifest: Manifest,
}

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub tool: Tool,
    pub run_id: String,
    /// Reference time of the post window (RFC 3339).
    pub as_of: String,
    pub started_at: String,
    pub finished_at: String,
    pub drop: String,
    pub campaign_file: String,
    pub campaign_sha256: String,
    /// The campaign as used, every default filled in.
    pub config: Campaign,
    pub inputs: Vec<microscout_model::intake::FileReport>,
    pub ignored_files: Vec<String>,
    /// Per table: rows read = accepted + rejected.
    pub accounting: Vec<microscout_model::intake::TableAccounting>,
    pub results: Results,
    /// The drop-wide statistics accounts were compared with (the engagement curve, norms).
    pub drop_statistics: microscout_score::authenticity::DropStats,
    /// Keyword document frequencies and IDF over the drop (niche relevance).
    pub keyword_statistics: microscout_score::relevance::DropText,
    pub outputs: Vec<microscout_report::Written>,
    pub timings_ms: Timings,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Results {
    pub accounts_scored: usize,
    pub shortlisted: usize,
    pub flagged: usize,
    pub rows_rejected: usize,
}

#[derive(Debug, Serialize, Default)]
pub struct Timings {
    pub ingest: u128,
    pub score: u128,
    pub report: u128,
    pub total: u128,
}

/// Reserves a run id under `out` and creates its staging folder `.<id>.partial`.
///
/// The staging folder is the reservation: it is created exclusively, so two runs started
/// at once with the same reference time get different ids (`<base>`, `<base>-2`, ...). An id
/// whose complete folder or staging folder exists is skipped. A killed run leaves its hidden
/// staging folder behind; it never shadows a complete run and can be deleted.
fn reserve_run(out: &Path, base: &str) -> anyhow::Result<(String, PathBuf)> {
    for n in 1..10_000 {
        let id = if n == 1 {
            base.to_string()
        } else {
            format!("{base}-{n}")
        };
        if out.join(&id).exists() {
            continue;
        }
        let staging = out.join(format!(".{id}.partial"));
        match std::fs::create_dir(&staging) {
            Ok(()) => return Ok((id, staging)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(anyhow!(e).context(format!(
                    "cannot create the staging folder {}",
                    staging.display()
                )));
            }
        }
    }
    Err(anyhow!(
        "no free run id starting with {base} in {}",
        out.display()
    ))
}

/// The campaign's `[ingest]` section as ingestion options.
fn ingest_options(c: &Campaign) -> anyhow::Result<microscout_ingest::IngestOptions> {
    let mut o = microscout_ingest::IngestOptions::default();
    for (file, name) in &c.ingest.adapters {
        let adapter = microscout_ingest::native::Adapter::parse(name).ok_or_else(|| {
            anyhow!(
                "[ingest] adapters: \"{name}\" for {file} is not an adapter (use one of: {})",
                microscout_ingest::native::Adapter::ALL
                    .map(|a| a.as_str())
                    .join(", ")
            )
        })?;
        o.adapters.insert(file.clone(), adapter);
    }
    for (file, spec) in &c.ingest.followers_exports {
        let (p, a) = spec.split_once(':').expect("validated with the campaign");
        let platform = microscout_model::Platform::parse(p).expect("validated");
        o.followers_of
            .insert(file.clone(), (platform.to_string(), a.trim().to_string()));
    }
    Ok(o)
}

/// `microscout run`.
pub fn run(args: &RunArgs, ui: &Ui) -> Result<RunOutcome, Failure> {
    let t0 = Instant::now();
    let started_at = Utc::now();
    let campaign_text = std::fs::read(&args.campaign)
        .with_context(|| {
            format!(
                "cannot read the campaign file {} (create one with `microscout init {}`)",
                args.campaign.display(),
                args.campaign.display()
            )
        })
        .map_err(Failure::Usage)?;
    let campaign = Campaign::from_toml(&String::from_utf8_lossy(&campaign_text), &args.campaign)
        .map_err(|e| Failure::Usage(anyhow!(e)))?;
    let as_of = args.as_of.unwrap_or_else(|| started_at.timestamp());
    if !args.drop.is_dir() {
        return Err(Failure::Usage(anyhow!(
            "the drop folder {} does not exist or is not a folder",
            args.drop.display()
        )));
    }

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
    let options = ingest_options(&campaign).map_err(Failure::Usage)?;
    // Posts and the follower sample are reduced file by file as they are read: posts to each
    // account's most recent ones, followers to counts per account.
    let mut recent = microscout_score::RecentPosts::new(&campaign, as_of);
    let mut sample = microscout_score::FollowerSample::new();
    let mut add_posts =
        |chunk: polars::prelude::DataFrame| recent.add(&chunk).map_err(|e| e.to_string());
    let mut add_followers =
        |chunk: polars::prelude::DataFrame| sample.add(&chunk).map_err(|e| e.to_string());
    let drop = microscout_ingest::read_drop_streaming(
        &args.drop,
        &options,
        &IngestProgress(bar.clone()),
        microscout_ingest::Sinks {
            posts: Some(&mut add_posts),
            followers: Some(&mut add_followers),
        },
    );
    let drop = match drop {
        Ok(d) => {
            bar.finish_and_clear();
            d
        }
        Err(e) => {
            bar.abandon();
            return Err(Failure::Run(anyhow!(e).context(format!(
                "the drop {} cannot be used; nothing was written",
                args.drop.display()
            ))));
        }
    };
    let ingest_ms = t.elapsed().as_millis();
    for a in drop.accounting() {
        tracing::info!(
            "{}: {} rows read = {} accepted + {} rejected ({} files)",
            a.table,
            a.rows_read,
            a.accepted,
            a.rejected,
            a.files
        );
    }

    let follower_sample = sample.finish().map_err(|e| Failure::Run(anyhow!(e)))?;
    let posts = recent.finish(drop.posts.clone());

    // Score.
    let spin = ui.spinner("score");
    spin.set_message(format!("{} accounts", drop.accounts.height()));
    let t = Instant::now();
    let scores = microscout_score::score(
        microscout_score::Tables {
            accounts: &drop.accounts,
            posts: &posts,
            follower_sample: &follower_sample,
        },
        &campaign,
        as_of,
    );
    let microscout_score::Scored {
        accounts: scores,
        stats,
        text_stats,
    } = match scores {
        Ok(s) => {
            spin.finish_and_clear();
            s
        }
        Err(e) => {
            spin.abandon();
            return Err(Failure::Run(anyhow!(e)));
        }
    };
    let score_ms = t.elapsed().as_millis();

    // Report, into a staging folder that is renamed into place when complete.
    let spin = ui.spinner("report");
    let t = Instant::now();
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create the output folder {}", args.out.display()))
        .run_failure()?;
    let base_id = args.run_id.clone().unwrap_or_else(|| {
        DateTime::<Utc>::from_timestamp(as_of, 0)
            .map(|d| d.format("%Y%m%dT%H%M%SZ").to_string())
            .unwrap_or_else(|| as_of.to_string())
    });
    let (run_id, staging) = reserve_run(&args.out, &base_id).run_failure()?;
    let result = write_run(&staging, args, &campaign, as_of, &run_id, &drop, &scores);
    let (outputs, results) = match result {
        Ok(v) => v,
        Err(e) => {
            spin.abandon();
            let _ = std::fs::remove_dir_all(&staging);
            return Err(Failure::Run(e));
        }
    };
    let report_ms = t.elapsed().as_millis();
    let manifest = Manifest {
        tool: Tool {
            name: "microscout",
            version: env!("CARGO_PKG_VERSION"),
        },
        run_id: run_id.clone(),
        as_of: rfc3339(as_of),
        started_at: started_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        finished_at: Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        drop: args.drop.display().to_string(),
        campaign_file: args.campaign.display().to_string(),
        campaign_sha256: hex(&Sha256::digest(&campaign_text)),
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
        timings_ms: Timings {
            ingest: ingest_ms,
            score: score_ms,
            report: report_ms,
            total: t0.elapsed().as_millis(),
        },
    };
    let finish = || -> anyhow::Result<PathBuf> {
        let json = serde_json::to_string_pretty(&manifest)?;
        std::fs::write(staging.join("manifest.json"), json + "\n")
            .with_context(|| format!("cannot write {}", staging.join("manifest.json").display()))?;
        let final_dir = args.out.join(&run_id);
        std::fs::rename(&staging, &final_dir).with_context(|| {
            format!(
                "cannot move the finished run into place at {}",
                final_dir.display()
            )
        })?;
        // LATEST names the newest complete run; replaced atomically too.
        let tmp = args.out.join(format!(".LATEST.{run_id}"));
        std::fs::write(&tmp, format!("{run_id}\n"))?;
        std::fs::rename(&tmp, args.out.join("LATEST"))?;
        Ok(final_dir)
    };
    match finish() {
        Ok(run_dir) => {
            spin.finish_and_clear();
            Ok(RunOutcome { run_dir, manifest })
        }
        Err(e) => {
            spin.abandon();
            let _ = std::fs::remove_dir_all(&staging);
            Err(Failure::Run(e))
        }
    }
}

fn write_run(
    staging: &Path,
    args: &RunArgs,
    campaign: &Campaign,
    as_of: i64,
    run_id: &str,
    drop: &microscout_ingest::Drop,
    scores: &[microscout_model::AccountScore],
) -> anyhow::Result<(Vec<microscout_report::Written>, Results)> {
    let run = microscout_report::RunInfo {
        run_id: run_id.to_string(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        as_of,
        drop: args.drop.display().to_string(),
    };
    let written = microscout_report::write_all(
        staging,
        &microscout_report::ReportInput {
            run: &run,
            campaign,
            scores,
            rejected: &drop.rejected,
            files: &drop.files,
        },
    )?;
    let results = Results {
        accounts_scored: scores.len(),
        shortlisted: scores.iter().filter(|s| s.shortlisted()).count(),
        flagged: scores.iter().filter(|s| !s.flags.is_empty()).count(),
        rows_rejected: drop.rejected.len(),
    };
    Ok((written, results))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `microscout init`.
pub fn init(args: &InitArgs) -> Result<(), Failure> {
    let text = microscout_model::campaign::EXAMPLE_CAMPAIGN;
    match &args.file {
        None => {
            print!("{text}");
            Ok(())
        }
        Some(path) => {
            if path.exists() && !args.force {
                return Err(Failure::Usage(anyhow!(
                    "{} already exists; pass --force to overwrite it",
                    path.display()
                )));
            }
            std::fs::write(path, text)
                .with_context(|| format!("cannot write {}", path.display()))
                .run_failure()
        }
    }
}

/// `microscout generate`.
pub fn generate(args: &GenerateArgs, ui: &Ui) -> Result<microscout_generate::Summary, Failure> {
    let cfg = microscout_generate::Config {
        seed: args.seed,
        accounts: args.accounts,
        posts: args.posts.unwrap_or(args.accounts * 25),
        followers: args.followers.unwrap_or(args.accounts * 40),
        as_of: args.as_of,
        rows_per_file: args.rows_per_file,
        faults: args.faults,
    };
    let spin = ui.spinner("generate");
    let out = microscout_generate::generate(&cfg, &args.out);
    spin.finish_and_clear();
    out.map_err(|e| match e {
        microscout_generate::GenerateError::Invalid(_) => Failure::Usage(anyhow!(e)),
        other => Failure::Run(anyhow!(other)),
    })
}

/// What `classify-followers` measured against the user's labels.
#[derive(Debug)]
pub struct ClassifyOutcome {
    pub classified: usize,
    pub labelled_fake: usize,
    pub rejected: Vec<microscout_model::intake::Rejection>,
    /// (labels matched, metrics) when `--labels` was given.
    pub evaluation: Option<(usize, microscout_authenticity::eval::Metrics)>,
}

/// `microscout classify-followers`.
pub fn classify(args: &cli::ClassifyArgs) -> Result<ClassifyOutcome, Failure> {
    use microscout_model::schema::Table;
    let (df, rejected, _) = microscout_ingest::read_table(&args.input, Table::Followers)
        .map_err(|e| Failure::Run(anyhow!(e)))?;
    let probs = microscout_score::features::follower_probabilities(&df)
        .map_err(|e| Failure::Run(anyhow!(e)))?;
    let model = microscout_authenticity::FollowerModel::shipped();
    let text = |name: &str| -> anyhow::Result<Vec<Option<String>>> {
        Ok(df
            .column(name)?
            .str()?
            .iter()
            .map(|v| v.map(str::to_string))
            .collect())
    };
    let columns = (|| -> anyhow::Result<_> {
        Ok((
            text("platform")?,
            text("account_id")?,
            text("follower_handle")?,
        ))
    })()
    .map_err(Failure::Run)?;
    let (platform, account, handle) = columns;
    let evaluation = match &args.labels {
        None => None,
        Some(path) => Some(
            evaluate_labels(path, &platform, &account, &handle, &probs, model)
                .map_err(Failure::Run)?,
        ),
    };
    let table = microscout_report::table::OutTable {
        columns: vec![
            ("platform", microscout_report::table::Values::Text(platform)),
            (
                "account_id",
                microscout_report::table::Values::Text(account),
            ),
            (
                "follower_handle",
                microscout_report::table::Values::Text(handle),
            ),
            (
                "fake_probability",
                microscout_report::table::Values::Float(probs.iter().map(|p| Some(*p)).collect()),
            ),
            (
                "label",
                microscout_report::table::Values::Text(
                    probs
                        .iter()
                        .map(|p| Some(if model.is_fake(*p) { "fake" } else { "real" }.to_string()))
                        .collect(),
                ),
            ),
        ],
    };
    let written = match &args.out {
        Some(path) => std::fs::File::create(path)
            .and_then(|f| table.write_csv(std::io::BufWriter::new(f)))
            .with_context(|| format!("cannot write {}", path.display())),
        None => table
            .write_csv(std::io::stdout().lock())
            .context("cannot write to standard output"),
    };
    written.map_err(Failure::Run)?;
    Ok(ClassifyOutcome {
        classified: probs.len(),
        labelled_fake: probs.iter().filter(|p| model.is_fake(**p)).count(),
        rejected,
        evaluation,
    })
}

fn evaluate_labels(
    path: &Path,
    platforms: &[Option<String>],
    accounts: &[Option<String>],
    handles: &[Option<String>],
    probs: &[f64],
    model: &microscout_authenticity::FollowerModel,
) -> anyhow::Result<(usize, microscout_authenticity::eval::Metrics)> {
    let mut r =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let headers: Vec<String> = r
        .headers()?
        .iter()
        .map(microscout_model::schema::normalise_header)
        .collect();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| anyhow!("{}: missing column `{name}`", path.display()))
    };
    let (h, l) = (col("follower_handle")?, col("is_fake")?);
    // Handles are unique only within one account's sample: key on the account too when the
    // labels name it.
    let account_cols = col("platform").ok().zip(col("account_id").ok());
    let key = |platform: &str, account: &str, handle: &str| match account_cols {
        Some(_) => format!("{platform}\u{1f}{account}\u{1f}{handle}"),
        None => handle.to_string(),
    };
    let mut labels = std::collections::HashMap::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.with_context(|| format!("{}: record {i}", path.display()))?;
        let value = rec.get(l).unwrap_or_default();
        let fake = match value.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "fake" => true,
            "0" | "false" | "no" | "real" => false,
            other => anyhow::bail!(
                "{}: line {}: is_fake {other:?} is not true/false, 1/0 or fake/real",
                path.display(),
                i + 2
            ),
        };
        let (pl, ac) = account_cols.map_or(("", ""), |(p, a)| {
            (
                rec.get(p).unwrap_or_default(),
                rec.get(a).unwrap_or_default(),
            )
        });
        let platform =
            microscout_model::Platform::parse(pl).map_or(pl.to_string(), |p| p.to_string());
        labels.insert(key(&platform, ac, rec.get(h).unwrap_or_default()), fake);
    }
    let (mut p, mut y) = (Vec::new(), Vec::new());
    for (((handle, prob), platform), account) in
        handles.iter().zip(probs).zip(platforms).zip(accounts)
    {
        let k = key(
            platform.as_deref().unwrap_or_default(),
            account.as_deref().unwrap_or_default(),
            handle.as_deref().unwrap_or_default(),
        );
        if let Some(fake) = labels.get(&k) {
            p.push(*prob);
            y.push(if *fake { 1.0 } else { 0.0 });
        }
    }
    if p.is_empty() {
        anyhow::bail!(
            "{}: no follower_handle matches the input's followers",
            path.display()
        );
    }
    Ok((
        p.len(),
        microscout_authenticity::eval::metrics(&p, &y, model.threshold),
    ))
}

/// `microscout explain`: the account's rows from the run's scores.csv and shortlist.csv,
/// as text.
pub fn explain(args: &cli::ExplainArgs) -> Result<String, Failure> {
    let run_id = match &args.run {
        Some(r) => r.clone(),
        None => std::fs::read_to_string(args.out.join("LATEST"))
            .map(|s| s.trim().to_string())
            .with_context(|| {
                format!(
                    "no complete run in {} (no LATEST file): run `microscout run` first",
                    args.out.display()
                )
            })
            .map_err(Failure::Run)?,
    };
    let dir = args.out.join(&run_id);
    let read = |name: &str| -> anyhow::Result<Vec<Vec<(String, String)>>> {
        let path = dir.join(name);
        let mut r = csv::Reader::from_path(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let headers = r.headers()?.clone();
        r.records()
            .map(|rec| {
                let rec = rec?;
                Ok(headers
                    .iter()
                    .zip(rec.iter())
                    .map(|(h, v)| (h.to_string(), v.to_string()))
                    .collect())
            })
            .collect()
    };
    let scores = read("scores.csv").map_err(Failure::Run)?;
    let shortlist = read("shortlist.csv").map_err(Failure::Run)?;
    let want = args.handle.trim().trim_start_matches('@').to_lowercase();
    let get = |row: &[(String, String)], k: &str| -> String {
        row.iter()
            .find(|(h, _)| h == k)
            .map(|(_, v)| v.trim_start_matches('\'').to_string())
            .unwrap_or_default()
    };
    let matches: Vec<&Vec<(String, String)>> = scores
        .iter()
        .filter(|r| get(r, "handle").to_lowercase() == want || get(r, "account_id") == args.handle)
        .filter(|r| {
            args.platform
                .as_deref()
                .is_none_or(|p| get(r, "platform").eq_ignore_ascii_case(p))
        })
        .collect();
    if matches.is_empty() {
        return Err(Failure::Run(anyhow!(
            "no account with handle or id {:?} in run {run_id} ({} accounts)",
            args.handle,
            scores.len()
        )));
    }
    let mut out = String::new();
    for row in matches {
        // Numbers as people read them; text as it is.
        let g = |k: &str| {
            let v = get(row, k);
            let Ok(x) = v.parse::<f64>() else {
                return v;
            };
            use microscout_model::numfmt::{amount, count, percent};
            match k {
                "engagement_rate"
                | "comments_rate"
                | "fake_share"
                | "fake_share_low"
                | "fake_share_high"
                | "mass_follower_share"
                | "reachable_share"
                | "share_at_floor"
                | "likes_cv" => percent(x),
                "followers"
                | "reachable_audience"
                | "reachable_audience_low"
                | "reachable_audience_high"
                | "engaged_readers"
                | "engaged_readers_low"
                | "engaged_readers_high" => count(x.round().max(0.0) as u64),
                "score"
                | "relevance"
                | "engagement_vs_drop"
                | "like_comment_vs_drop"
                | "cost_per_engaged_reader" => format!("{x:.2}"),
                _ if v.contains('.') => amount(x),
                _ => v,
            }
        };
        let line = |out: &mut String, label: &str, v: String| {
            if !v.is_empty() {
                out.push_str(&format!("  {label:<22} {v}\n"));
            }
        };
        out.push_str(&format!(
            "@{} ({}, account_id {}){}\n",
            g("handle"),
            g("platform"),
            g("account_id"),
            if g("display_name").is_empty() {
                String::new()
            } else {
                format!(", \"{}\"", g("display_name"))
            }
        ));
        out.push_str(&format!("Run {run_id}\n\n"));
        out.push_str("Standing\n");
        if g("rank").is_empty() {
            line(
                &mut out,
                "shortlist",
                format!("no: {}", g("not_shortlisted_because")),
            );
        } else {
            line(&mut out, "shortlist", format!("rank {}", g("rank")));
        }
        line(&mut out, "score (0-100)", g("score"));
        if let Some(s) = shortlist.iter().find(|s| {
            get(s, "account_id") == g("account_id") && get(s, "platform") == g("platform")
        }) {
            out.push_str(&format!("\nWhy\n  {}\n\nOutreach brief\n", get(s, "why")));
            for part in get(s, "outreach_brief").split(" | ") {
                out.push_str(&format!("  - {part}\n"));
            }
        }
        out.push_str("\nSize and engagement\n");
        line(
            &mut out,
            "followers",
            format!("{} ({})", g("followers"), g("tier")),
        );
        line(&mut out, "posts in window", g("posts_in_window"));
        line(
            &mut out,
            "window",
            format!("{} to {}", g("window_start"), g("window_end")),
        );
        line(
            &mut out,
            "median likes",
            format!("{} [{}]", g("median_likes"), g("likes_status")),
        );
        line(&mut out, "avg likes", g("avg_likes"));
        line(
            &mut out,
            "median comments",
            format!("{} [{}]", g("median_comments"), g("comments_status")),
        );
        line(&mut out, "avg comments", g("avg_comments"));
        line(
            &mut out,
            "engagement rate",
            format!("{} [{}]", g("engagement_rate"), g("engagement_rate_status")),
        );
        line(&mut out, "comments rate", g("comments_rate"));
        line(
            &mut out,
            "floor (likes/comments)",
            format!("{} / {}", g("likes_floor"), g("comments_floor")),
        );
        line(&mut out, "posts at floor", g("posts_at_floor"));
        line(
            &mut out,
            "vs this drop",
            format!(
                "{} [{}]",
                g("engagement_vs_drop"),
                g("engagement_vs_drop_status")
            ),
        );
        line(&mut out, "published benchmarks", g("published_benchmarks"));
        out.push_str("\nFlags\n");
        line(
            &mut out,
            "flags",
            if g("flags").is_empty() {
                "none".into()
            } else {
                g("flags")
            },
        );
        line(&mut out, "reasons", g("reasons"));
        out.push_str("\nAuthenticity\n");
        line(&mut out, "verdict", g("authenticity_verdict"));
        line(&mut out, "reasons", g("authenticity_reasons"));
        line(
            &mut out,
            "fake followers",
            format!(
                "{} ({} to {}) [{}]",
                g("fake_share"),
                g("fake_share_low"),
                g("fake_share_high"),
                g("fake_share_status")
            ),
        );
        line(&mut out, "mass followers", g("mass_follower_share"));
        line(
            &mut out,
            "reachable audience",
            format!(
                "{} ({} to {})",
                g("reachable_audience"),
                g("reachable_audience_low"),
                g("reachable_audience_high")
            ),
        );
        line(
            &mut out,
            "likes per comment",
            format!(
                "{} ({}x the drop's median)",
                g("like_comment_ratio"),
                g("like_comment_vs_drop")
            ),
        );
        line(&mut out, "likes variation (CV)", g("likes_cv"));
        out.push_str("\nNiche\n");
        line(
            &mut out,
            "relevance (0-1)",
            format!("{} [{}]", g("relevance"), g("relevance_status")),
        );
        line(
            &mut out,
            "on-niche posts",
            format!(
                "{} of {}",
                g("on_niche_posts"),
                g("posts_read_for_relevance")
            ),
        );
        line(&mut out, "keywords", g("matched_keywords"));
        line(
            &mut out,
            "excluded keywords",
            g("excluded_keywords_matched"),
        );
        for p in g("best_posts").split(" | ").filter(|p| !p.is_empty()) {
            line(&mut out, "best post", p.to_string());
        }
        out.push_str("\nContact and economics\n");
        line(
            &mut out,
            "contact",
            format!(
                "{} {} (from {})",
                g("contact_route"),
                g("contact"),
                g("contact_source")
            ),
        );
        line(
            &mut out,
            "email",
            format!("{} [{}]", g("email"), g("email_source")),
        );
        line(
            &mut out,
            "engaged readers",
            format!(
                "{} ({} to {}) [{}]",
                g("engaged_readers"),
                g("engaged_readers_low"),
                g("engaged_readers_high"),
                g("engaged_readers_status")
            ),
        );
        line(
            &mut out,
            "cost per reader",
            format!("{} [{}]", g("cost_per_engaged_reader"), g("cost_status")),
        );
        out.push('\n');
    }
    Ok(out)
}

/// `microscout validate`: ingestion alone; returns the report to print.
pub fn validate(args: &cli::ValidateArgs, ui: &Ui) -> Result<String, Failure> {
    use microscout_model::numfmt::count;
    let campaign = match &args.campaign {
        Some(path) => Campaign::from_path(path).map_err(|e| Failure::Usage(anyhow!(e)))?,
        None => Campaign::default(),
    };
    let options = ingest_options(&campaign).map_err(Failure::Usage)?;
    let bar = ui.spinner("validate");
    let drop = microscout_ingest::read_drop(&args.drop, &options, &IngestProgress(bar.clone()));
    bar.finish_and_clear();
    let drop = drop.map_err(|e| {
        Failure::Run(anyhow!(e).context(format!("the drop {} cannot be used", args.drop.display())))
    })?;
    let mut out = String::new();
    out.push_str(&format!("Drop {}\n\n", args.drop.display()));
    for f in &drop.files {
        out.push_str(&format!(
            "  {:<40} {:<9} {:>10} read = {:>10} accepted + {:>8} rejected{}\n",
            f.file,
            f.table,
            count(f.rows_read),
            count(f.accepted),
            count(f.rejected),
            f.adapter.map_or(String::new(), |a| format!("  ({a})"))
        ));
    }
    out.push('\n');
    for a in drop.accounting() {
        if a.files > 0 {
            out.push_str(&format!(
                "{:>9}: {} rows read = {} accepted + {} rejected\n",
                a.table,
                count(a.rows_read),
                count(a.accepted),
                count(a.rejected)
            ));
        }
    }
    if !drop.ignored_files.is_empty() {
        out.push_str(&format!(
            "\nIgnored (not data): {}\n",
            drop.ignored_files.len()
        ));
    }
    if drop.rejected.is_empty() {
        out.push_str("\nEvery row can be used.\n");
    } else {
        out.push_str("\nRejected rows by reason:\n");
        for (k, n) in microscout_report::rejection_kinds(&drop.rejected) {
            out.push_str(&format!("  {:>8}  {k}\n", count(n as u64)));
        }
        out.push_str("\nFirst rejections:\n");
        for r in drop.rejected.iter().take(10) {
            out.push_str(&format!("  {} {}: {}\n", r.file, r.location, r.reason));
        }
    }
    if let Some(path) = &args.rejected {
        let table = microscout_report::rejected_table(&drop.rejected);
        std::fs::File::create(path)
            .and_then(|f| table.write_csv(std::io::BufWriter::new(f)))
            .with_context(|| format!("cannot write {}", path.display()))
            .map_err(Failure::Run)?;
    }
    Ok(out)
}
