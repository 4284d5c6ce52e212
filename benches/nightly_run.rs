//! Throughput of a whole nightly run (ingest -> score -> report) on a generated drop, as a
//! user feels it. Size: BENCH_ACCOUNTS accounts (default 20,000) with 50 posts and 100
//! sampled followers each. Run with `cargo bench --bench nightly_run` (or `just bench`).
//!
//! For the full-size drop (100k accounts, 5M posts, 20M follower rows) use `just big`,
//! which times the release binary end to end.

use std::path::PathBuf;

use divan::Bencher;
use divan::counter::ItemsCount;

fn main() {
    divan::main();
}

struct Fixture {
    dir: PathBuf,
    rows: usize,
}

fn fixture() -> Fixture {
    let accounts: usize = std::env::var("BENCH_ACCOUNTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let dir = std::env::temp_dir().join(format!("microscout-bench-{accounts}"));
    let cfg = microscout_generate::Config {
        seed: 1,
        accounts,
        posts: accounts * 50,
        followers: accounts * 100,
        as_of: microscout_generate::DEFAULT_AS_OF,
        rows_per_file: 1_000_000,
        faults: false,
        days: None,
        native: false,
        comments: false,
    };
    if !dir.join("truth.csv").exists() {
        microscout_generate::generate(&cfg, &dir).expect("generate the bench drop");
    }
    Fixture {
        dir,
        rows: cfg.accounts + cfg.posts + cfg.followers,
    }
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn whole_run(b: Bencher) {
    let fx = fixture();
    let out = fx.dir.join("out");
    let ui = microscout::ui::Ui::new(true, 0);
    let args = microscout::cli::RunArgs {
        campaign: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/campaign.toml"),
        drop: fx.dir.join("drop"),
        out: out.clone(),
        as_of: Some(microscout_generate::DEFAULT_AS_OF),
        run_id: None,
    };
    b.counter(ItemsCount::new(fx.rows)).bench(|| {
        let outcome = microscout::run(&args, &ui).expect("the run succeeds");
        std::fs::remove_dir_all(outcome.run_dir).ok();
    });
}
