//! The stages a user waits for, each on its own, on a generated drop of 2,000 accounts with
//! 50 posts and 100 sampled followers each (100,000 posts, 200,000 follower rows; about
//! 25 MB of CSV). Run with `cargo bench --bench stages` (`just bench-stages`).
//!
//! - `parse_posts`, `parse_followers`: one CSV file read, validated and quarantined into a
//!   table (ingestion without the rest of the drop);
//! - `label_followers`: the follower classifier on every sampled follower;
//! - `niche_text`: keyword matching over every caption;
//! - `score`: feature extraction and every per-account model;
//! - `reports`: every output file (Parquet, CSV, HTML, Markdown) of the scored accounts.

use std::path::{Path, PathBuf};

use divan::Bencher;
use divan::counter::ItemsCount;
use microscout_model::schema::Table;

fn main() {
    divan::main();
}

const ACCOUNTS: usize = 2_000;

fn dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("microscout-stages-{ACCOUNTS}"));
    if !dir.join("truth.csv").exists() {
        let cfg = microscout_generate::Config {
            seed: 3,
            accounts: ACCOUNTS,
            posts: ACCOUNTS * 50,
            followers: ACCOUNTS * 100,
            as_of: microscout_generate::DEFAULT_AS_OF,
            rows_per_file: 1_000_000,
            faults: false,
            days: None,
            native: false,
            comments: false,
        };
        microscout_generate::generate(&cfg, &dir).expect("generate the bench drop");
    }
    dir
}

fn campaign() -> microscout_model::Campaign {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/campaign.toml");
    microscout_model::Campaign::from_path(&path).expect("the example campaign")
}

fn table(name: &str, t: Table) -> polars::prelude::DataFrame {
    let path = dir().join("drop").join(name);
    let limits = microscout_ingest::Limits::default();
    microscout_ingest::read_table(&path, t, &limits, None)
        .expect("the file reads")
        .0
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn parse_posts(b: Bencher) {
    let n = table("posts-0001.csv", Table::Posts).height();
    b.counter(ItemsCount::new(n))
        .bench(|| table("posts-0001.csv", Table::Posts));
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn parse_followers(b: Bencher) {
    let n = table("followers-0001.csv", Table::Followers).height();
    b.counter(ItemsCount::new(n))
        .bench(|| table("followers-0001.csv", Table::Followers));
}

/// The classifier on the follower rows as a run hands them on (measured, not a table).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn label_followers(b: Bencher) {
    let followers = table("followers-0001.csv", Table::Followers);
    let rows = microscout_score::followers::follower_rows(&followers).expect("measured");
    b.counter(ItemsCount::new(rows.len()))
        .bench(|| microscout_score::followers::probabilities(&rows, rows.any_bio()));
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn niche_text(b: Bencher) {
    let posts = table("posts-0001.csv", Table::Posts);
    let caption = posts.column("caption").unwrap().str().unwrap().clone();
    let captions: Vec<String> = (0..caption.len())
        .map(|i| caption.get(i).unwrap_or_default().to_string())
        .collect();
    let matcher = microscout_score::niche::Matcher::new(&campaign());
    b.counter(ItemsCount::new(captions.len())).bench(|| {
        captions
            .iter()
            .map(|c| matcher.matches(c).keywords.count_ones())
            .sum::<u32>()
    });
}

/// The drop read whole and its follower sample counted: what scoring takes.
fn score_inputs() -> (
    microscout_ingest::DropTables,
    (
        polars::prelude::DataFrame,
        microscout_score::overlap::Overlap,
    ),
) {
    let drop = microscout_ingest::read_drop(
        &dir().join("drop"),
        &microscout_ingest::IngestOptions::default(),
        &microscout_ingest::NoProgress,
    )
    .expect("the drop reads");
    let mut sample = microscout_score::FollowerSample::new();
    // The bench drop's sample is one file.
    sample.add(&drop.followers, true).expect("labelled");
    (drop, sample.finish().expect("counted"))
}

fn score_once(
    drop: &microscout_ingest::DropTables,
    (sample, overlap): &(
        polars::prelude::DataFrame,
        microscout_score::overlap::Overlap,
    ),
    campaign: &microscout_model::Campaign,
) -> microscout_score::Scored {
    microscout_score::score(
        microscout_score::Tables {
            accounts: &drop.accounts,
            posts: &drop.posts,
            follower_sample: sample,
            overlap,
            comments: &Default::default(),
            history: &Default::default(),
            outreach: Default::default(),
        },
        campaign,
        microscout_generate::DEFAULT_AS_OF,
    )
    .expect("scored")
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn score(b: Bencher) {
    let (drop, sample) = score_inputs();
    let campaign = campaign();
    b.counter(ItemsCount::new(drop.accounts.height()))
        .bench(|| score_once(&drop, &sample, &campaign));
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn reports(b: Bencher) {
    let (drop, sample) = score_inputs();
    let campaign = campaign();
    let scored = score_once(&drop, &sample, &campaign);
    let run = microscout_report::RunInfo {
        run_id: "bench".into(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        as_of: microscout_generate::DEFAULT_AS_OF,
        drop: "drop".into(),
        classifier: None,
    };
    let out = dir().join("reports");
    b.counter(ItemsCount::new(scored.accounts.len())).bench(|| {
        std::fs::create_dir_all(&out).unwrap();
        // The runner writes rejected.csv while ingesting; the report reads it.
        let rejected = microscout_report::RejectedCsv::create(&out.join("rejected.csv"));
        rejected.expect("created").finish().expect("written");
        microscout_report::write_all(
            &out,
            &microscout_report::ReportInput {
                run: &run,
                campaign: &campaign,
                scores: &scored.accounts,
                rejected: &drop.intake.rejected,
                files: &drop.intake.files,
                history: &Default::default(),
                results: &Default::default(),
                overlap: &scored.overlap,
                suggestions: &scored.suggestions,
            },
        )
        .expect("written");
        std::fs::remove_dir_all(&out).ok();
    });
}
