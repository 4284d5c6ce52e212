//! A seeded, deterministic generator of realistic drops in the canonical format, with the
//! ground truth that tests measure the scoring against.
//!
//! Same [`Config`] (seed included) -> byte-identical files, on any machine: the random
//! numbers come from [`rng::Rng`], fully specified here, and accounts are generated in
//! fixed-size chunks whose outputs are written in order.
//!
//! What the scoring must face (each a property of the generated data, recorded in
//! `truth.csv`):
//! - heavy-tailed follower counts, log-normal around 9,000 (most accounts 1k-100k, some
//!   nano, mid, macro and mega);
//! - engagement that falls with size: an organic account's like rate is about
//!   `2.2% * (followers / 10,000) ^ -0.25`, times an account-level quality factor
//!   (log-normal), with noisy posts and an occasional viral one;
//! - `bought_followers`: bought shares spread continuously from 10% to 80% of the followers,
//!   on top of the 2-15% of bots every audience has; engagement from the real audience only;
//! - follower samples in which no single feature gives a bot away: 45% of bots have digits
//!   in their handle, the rest word-only handles; 40% of bots are made to pass (a picture, a
//!   name, a few posts, a bio now and then); a quarter of real handles hold a year; 5-30% of
//!   each audience are real lurkers (few posts, often no picture or bio);
//! - followers shared across samples as in a real drop (`text/sample.rs`): farms of 60 to
//!   3,000 bots whose bots follow their customers and, for cover, anyone; keen readers of
//!   the niche who follow many of its accounts; so overlap between samples finds some bought
//!   followers (small farms'), misses others (large farms'), and is not zero for organic
//!   accounts; each follower's origin is in `truth-followers.csv`;
//! - `bought_engagement`: likes held at an inflated level that varies by 4-15% from post to
//!   post, with few comments;
//! - organic accounts (6%) whose audience no longer sees their posts: dead, not bought;
//! - hidden likes (all posts, or some), accounts with few or no posts, a few with 0 followers;
//! - all six platforms; a blog's posts have no like count, and three blogs in four have no
//!   follower count (as their feeds and exports have none);
//! - captions and bios mixing the children's-emotions niche with off-niche topics,
//!   hashtags, and emails in some bios or in the business email field.

pub mod comments;
mod native;
pub mod outreach;
pub mod rng;
mod text;
pub mod timeline;

pub use timeline::Days;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rng::Rng;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Config {
    pub seed: u64,
    pub accounts: usize,
    /// Total posts over all accounts (exact).
    pub posts: usize,
    /// Total follower-sample rows over all accounts (exact).
    pub followers: usize,
    /// Posts are dated before this time. Unit: Unix seconds.
    pub as_of: i64,
    /// Rows per posts/followers file before a new file is started.
    pub rows_per_file: usize,
    /// Append a handful of faulty rows (bad counts, timestamps, duplicates, orphans) that
    /// ingestion must quarantine.
    pub faults: bool,
    /// Which night of a history this drop is (`generate_days`); None for a single drop.
    /// With it, `as_of` is the last night's reference time.
    pub days: Option<Days>,
    /// Write some blogs, Facebook pages and Pinterest accounts as the native exports people
    /// have (feeds, scrapers' JSON) instead of canonical rows ([`native`]); single drops only.
    pub native: bool,
    /// Write the comments of each account's recent posts and the planted pods and bought
    /// comments ([`comments`]).
    pub comments: bool,
}

impl Config {
    /// Sizes for a small drop: `accounts` accounts, 25 posts and 40 sampled followers each.
    pub fn small(seed: u64, accounts: usize) -> Self {
        Self {
            seed,
            accounts,
            posts: accounts * 25,
            followers: accounts * 40,
            as_of: DEFAULT_AS_OF,
            rows_per_file: 1_000_000,
            faults: false,
            days: None,
            native: false,
            comments: false,
        }
    }
}

/// 2026-11-25T00:00:00Z: the default end of the generated timeline, fixed so that a seed
/// alone determines the files.
pub const DEFAULT_AS_OF: i64 = 1_795_564_800;

/// The kind of account, as recorded in `truth.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Organic,
    BoughtFollowers,
    BoughtEngagement,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Organic => "organic",
            Kind::BoughtFollowers => "bought_followers",
            Kind::BoughtEngagement => "bought_engagement",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

/// What was written.
#[derive(Debug, Clone)]
pub struct Summary {
    pub files: Vec<PathBuf>,
    pub accounts: usize,
    pub posts: usize,
    pub follower_rows: usize,
    pub fault_rows: usize,
}

impl Summary {
    /// The line a person reads: what was generated, into `out`.
    pub fn describe(&self, out: &Path) -> String {
        use microscout_model::numfmt::count;
        format!(
            "Generated {} accounts, {} posts, {} follower rows{} into {}.",
            count(self.accounts as u64),
            count(self.posts as u64),
            count(self.follower_rows as u64),
            if self.fault_rows > 0 {
                format!(" and {} faulty rows", self.fault_rows)
            } else {
                String::new()
            },
            out.display()
        )
    }
}

const CHUNK: usize = 512;

/// Writes `out/drop/` (accounts.csv, posts-NNNN.csv, followers-NNNN.csv), `out/truth.csv`
/// (per account) and `out/truth-followers.csv` (whether each sampled follower is a bot).
pub fn generate(cfg: &Config, out: &Path) -> Result<Summary, GenerateError> {
    write_drop(cfg, &out.join("drop"), out)
}

/// Writes `days` dated drops of the same accounts, `out/drops/YYYY-MM-DD/` (the last one
/// dated by `cfg.as_of`), with the truth of the last night (`truth.csv`,
/// `truth-followers.csv`) and every planted growth event (`truth-growth.csv`: spike, drip,
/// purge, and organic viral bursts) in `out/`. See [`timeline`] for what is planted.
pub fn generate_days(cfg: &Config, days: usize, out: &Path) -> Result<Summary, GenerateError> {
    if days == 0 {
        return Err(GenerateError::Invalid("--days must be at least 1".into()));
    }
    let mut total = Summary {
        files: Vec::new(),
        accounts: cfg.accounts,
        posts: 0,
        follower_rows: 0,
        fault_rows: 0,
    };
    let scratch = out.join(".truth-of-earlier-nights");
    for index in 0..days {
        let night = Config {
            days: Some(Days { index, count: days }),
            faults: cfg.faults && index + 1 == days,
            ..cfg.clone()
        };
        let date = rfc3339_date(text::night_as_of(&night));
        let last = index + 1 == days;
        let truth_dir = if last {
            out.to_path_buf()
        } else {
            scratch.clone()
        };
        let s = write_drop(&night, &out.join("drops").join(&date), &truth_dir)?;
        total
            .files
            .extend(s.files.into_iter().filter(|f| !f.starts_with(&scratch)));
        total.posts += s.posts;
        total.follower_rows += s.follower_rows;
        total.fault_rows += s.fault_rows;
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(total)
}

fn rfc3339_date(t: i64) -> String {
    microscout_model::numfmt::rfc3339(t)[..10].to_string()
}

fn write_drop(cfg: &Config, drop: &Path, out: &Path) -> Result<Summary, GenerateError> {
    if cfg.accounts == 0 {
        return Err(GenerateError::Invalid(
            "--accounts must be at least 1".into(),
        ));
    }
    if cfg.rows_per_file == 0 {
        return Err(GenerateError::Invalid(
            "--rows-per-file must be at least 1".into(),
        ));
    }
    for dir in [drop, out] {
        std::fs::create_dir_all(dir).map_err(|source| GenerateError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let drop = drop.to_path_buf();
    let post_counts = allocate(cfg.seed, 1, cfg.posts, cfg.accounts, 0.6, 0.04);
    let follower_counts = allocate(cfg.seed, 2, cfg.followers, cfg.accounts, 0.5, 0.3);

    let mut accounts = Sink::new(&drop, "accounts", usize::MAX, text::ACCOUNTS_HEADER)?;
    let mut posts = Sink::new(&drop, "posts", cfg.rows_per_file, text::POSTS_HEADER)?;
    let mut followers = Sink::new(
        &drop,
        "followers",
        cfg.rows_per_file,
        text::FOLLOWERS_HEADER,
    )?;
    let mut truth = Sink::new(out, "truth", usize::MAX, text::TRUTH_HEADER)?;
    let mut comments = match cfg.comments {
        true => Some((
            Sink::new(
                &drop,
                "comments",
                cfg.rows_per_file,
                comments::COMMENTS_HEADER,
            )?,
            Sink::new(
                out,
                "truth-comments",
                usize::MAX,
                comments::COMMENT_TRUTH_HEADER,
            )?,
        )),
        false => None,
    };
    let mut follower_truth = Sink::new(
        out,
        "truth-followers",
        usize::MAX,
        text::FOLLOWER_TRUTH_HEADER,
    )?;
    let mut campaign_files = Vec::new();
    let mut extra_files = Vec::new();
    let mut natives = Vec::new();
    let mut growth_truth = match cfg.days {
        Some(_) => Some(Sink::new(
            out,
            "truth-growth",
            usize::MAX,
            text::GROWTH_TRUTH_HEADER,
        )?),
        None => None,
    };

    let starts: Vec<usize> = (0..cfg.accounts).step_by(CHUNK).collect();
    // Generate a window of chunks in parallel, then write them in order.
    for window in starts.chunks(rayon::current_num_threads().max(1) * 4) {
        let rendered: Vec<text::Chunk> = window
            .par_iter()
            .map(|&start| {
                let end = (start + CHUNK).min(cfg.accounts);
                text::render_chunk(cfg, start..end, &post_counts, &follower_counts)
            })
            .collect();
        for c in rendered {
            natives.extend(c.natives);
            accounts.write_rows(&c.accounts)?;
            posts.write_rows(&c.posts)?;
            followers.write_rows(&c.followers)?;
            truth.write_rows(&c.truth)?;
            follower_truth.write_rows(&c.follower_truth)?;
            if let Some((rows, truth)) = comments.as_mut() {
                rows.write_rows(&c.comments)?;
                truth.write_rows(&c.comment_truth)?;
            }
            if let Some(g) = growth_truth.as_mut() {
                g.write_rows(&c.growth_truth)?;
            }
            campaign_files.push((c.ledger, c.sales, c.delivery_truth));
        }
    }
    let mut fault_rows = 0;
    let mut fault_split = (0, 0);
    if cfg.faults {
        let (a, p, f) = text::faults(cfg, &post_counts);
        fault_rows = a.len() + p.len() + f.len();
        fault_split = (p.len(), f.len());
        accounts.write_rows(&a)?;
        posts.write_rows(&p)?;
        followers.write_rows(&f)?;
    }
    if cfg.days.is_some() {
        let (mut ledger, mut sales, mut truth_d) = (Vec::new(), Vec::new(), Vec::new());
        for (l, s, t) in campaign_files {
            ledger.extend(l);
            sales.extend(s);
            truth_d.extend(t);
        }
        // The author keeps the ledger in date order.
        ledger.sort();
        sales.sort();
        let ledger_header = format!("{}\n", microscout_model::ledger::LEDGER_COLUMNS.join(","));
        for (name, header, rows) in [
            ("ledger", ledger_header.as_str(), ledger),
            ("sales", text::SALES_HEADER, sales),
            ("truth-deliveries", text::DELIVERY_TRUTH_HEADER, truth_d),
        ] {
            let path = out.join(format!("{name}.csv"));
            let mut body = header.to_string();
            body.extend(rows);
            std::fs::write(&path, body).map_err(|source| GenerateError::Io {
                path: path.clone(),
                source,
            })?;
            extra_files.push(path);
        }
    }
    let native_posts: usize = natives.iter().map(|n| n.posts.len()).sum();
    extra_files.extend(write_natives(&drop, &natives)?);
    let written = (posts.total + native_posts, followers.total);
    let mut files = Vec::new();
    for s in [accounts, posts, followers, truth, follower_truth]
        .into_iter()
        .chain(growth_truth)
        .chain(comments.into_iter().flat_map(|(a, b)| [a, b]))
    {
        files.extend(s.finish()?);
    }
    files.extend(extra_files);
    Ok(Summary {
        files,
        accounts: cfg.accounts,
        posts: written.0 - fault_split.0,
        follower_rows: written.1 - fault_split.1,
        fault_rows,
    })
}

/// Writes the native exports of `--native`: a feed, REST API responses or an export per blog,
/// and one file of items per kind
/// of Facebook and Pinterest export (none when no account of the kind went native).
fn write_natives(
    drop: &Path,
    natives: &[native::NativeAccount],
) -> Result<Vec<PathBuf>, GenerateError> {
    let mut files: Vec<(String, String)> = Vec::new();
    let (mut pages, mut fb_posts, mut profiles, mut pins) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for n in natives {
        match n.account[0].as_str() {
            "blog" => files.extend(native::feed(n)),
            // Half the pages as the Graph API gives them, half as Apify's scrapers do.
            "facebook" if n.style < 0.5 => files.extend(native::facebook_graph(n)),
            "facebook" => {
                let (page, posts) = native::facebook(n);
                pages.push(page);
                fb_posts.extend(posts);
            }
            _ => {
                let (profile, p) = native::pinterest(n);
                profiles.push(profile);
                pins.extend(p);
            }
        }
    }
    let json = |v: serde_json::Value| serde_json::to_string_pretty(&v).unwrap_or_default();
    for (name, items) in [
        ("facebook-pages.json", pages),
        ("facebook-posts.json", fb_posts),
        ("pinterest-profiles.json", profiles),
    ] {
        if !items.is_empty() {
            files.push((name.into(), json(items.into())));
        }
    }
    if !pins.is_empty() {
        // As the web's search resource wraps them.
        let doc = serde_json::json!({"resource_response": {"status": "success", "data": {"results": pins}}});
        files.push(("pinterest-pins.json".into(), json(doc)));
    }
    let mut written = Vec::new();
    for (name, body) in files {
        let path = drop.join(name);
        std::fs::write(&path, body).map_err(|source| GenerateError::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// Splits `total` over `n` accounts in proportion to log-normal weights (sigma), with a
/// share `zero` of accounts getting none. The result sums to `total` exactly.
fn allocate(seed: u64, stream: u64, total: usize, n: usize, sigma: f64, zero: f64) -> Vec<usize> {
    let mut r = Rng::new(seed, 100 + stream, 0);
    let w: Vec<f64> = (0..n)
        .map(|_| {
            if r.chance(zero) {
                0.0
            } else {
                r.lognormal(1.0, sigma)
            }
        })
        .collect();
    let sum: f64 = w.iter().sum();
    if sum <= 0.0 {
        let mut v = vec![0; n];
        v[0] = total;
        return v;
    }
    let mut v: Vec<usize> = w
        .iter()
        .map(|x| (x / sum * total as f64) as usize)
        .collect();
    let mut rest = total - v.iter().sum::<usize>();
    let mut i = 0;
    while rest > 0 {
        if w[i % n] > 0.0 {
            v[i % n] += 1;
            rest -= 1;
        }
        i += 1;
    }
    v
}

/// A CSV output that rotates to a new numbered file every `limit` rows.
struct Sink {
    dir: PathBuf,
    name: &'static str,
    limit: usize,
    header: &'static str,
    part: usize,
    rows: usize,
    /// Rows written over all files.
    total: usize,
    current: Option<(PathBuf, BufWriter<File>)>,
    done: Vec<PathBuf>,
}

impl Sink {
    fn new(
        dir: &Path,
        name: &'static str,
        limit: usize,
        header: &'static str,
    ) -> Result<Self, GenerateError> {
        let mut s = Self {
            dir: dir.to_owned(),
            name,
            limit,
            header,
            part: 0,
            rows: 0,
            total: 0,
            current: None,
            done: Vec::new(),
        };
        s.rotate()?;
        Ok(s)
    }

    fn rotate(&mut self) -> Result<(), GenerateError> {
        self.close()?;
        self.part += 1;
        let file = if self.limit == usize::MAX {
            format!("{}.csv", self.name)
        } else {
            format!("{}-{:04}.csv", self.name, self.part)
        };
        let path = self.dir.join(file);
        let f = File::create(&path).map_err(|source| GenerateError::Io {
            path: path.clone(),
            source,
        })?;
        let mut w = BufWriter::with_capacity(1 << 20, f);
        w.write_all(self.header.as_bytes())
            .map_err(|source| GenerateError::Io {
                path: path.clone(),
                source,
            })?;
        self.current = Some((path, w));
        self.rows = 0;
        Ok(())
    }

    fn write_rows(&mut self, rows: &[String]) -> Result<(), GenerateError> {
        for row in rows {
            if self.rows >= self.limit {
                self.rotate()?;
            }
            let (path, w) = self.current.as_mut().expect("a file is open");
            w.write_all(row.as_bytes())
                .map_err(|source| GenerateError::Io {
                    path: path.clone(),
                    source,
                })?;
            self.rows += 1;
            self.total += 1;
        }
        Ok(())
    }

    fn close(&mut self) -> Result<(), GenerateError> {
        if let Some((path, mut w)) = self.current.take() {
            w.flush().map_err(|source| GenerateError::Io {
                path: path.clone(),
                source,
            })?;
            self.done.push(path);
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<PathBuf>, GenerateError> {
        self.close()?;
        Ok(self.done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_is_exact() {
        for (total, n) in [(0, 3), (10, 3), (12_345, 100), (5, 50)] {
            let v = allocate(9, 1, total, n, 0.6, 0.1);
            assert_eq!(v.len(), n);
            assert_eq!(v.iter().sum::<usize>(), total);
        }
    }
}
