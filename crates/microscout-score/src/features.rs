//! Per-account feature extraction: columnar aggregates over the posts and follower tables,
//! expressed as polars lazy plans, giving one row per account.
//!
//! This is the heavy step (it touches every post and follower row); everything after it
//! works on one small row per account. Keeping it a pure lazy plan over canonical columns
//! is what lets it move to a distributed engine later.
//!
//! The window (data contract, "Core metric definitions"): for each account, its `N` most
//! recent posts by `posted_at` among posts dated at or before `as_of - min_post_age_hours`,
//! ties on `posted_at` broken by `post_id` ascending (bytewise).

use polars::prelude::*;

use crate::ScoreError;
use microscout_model::Campaign;
use microscout_model::sample::{FollowerRow, FollowerRows};

/// The per-account aggregates that the models use. Counts are exact; means and medians are
/// over the window's posts (likes: over the posts whose like count is visible).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountFeatures {
    pub platform: String,
    pub account_id: String,
    pub handle: String,
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub public_email: Option<String>,
    pub external_url: Option<String>,
    /// Followers. Unit: accounts.
    pub followers: u64,
    pub following: Option<u64>,
    /// Posts on the profile, as the export reports it. Unit: posts.
    pub posts_count: Option<u64>,
    /// Posts in the window. Unit: posts.
    pub posts_in_window: u32,
    /// Window posts with a visible like count. Unit: posts.
    pub likes_visible_posts: u32,
    /// Mean and median likes over visible like counts in the window. Unit: likes per post.
    pub avg_likes: Option<f64>,
    pub median_likes: Option<f64>,
    /// Window posts with a visible comment count (not hidden or turned off). Unit: posts.
    pub comments_visible_posts: u32,
    /// Mean and median comments over visible comment counts in the window. Unit: comments
    /// per post.
    pub avg_comments: Option<f64>,
    pub median_comments: Option<f64>,
    /// Oldest and newest `posted_at` in the window. Unit: Unix seconds.
    pub window_start: Option<i64>,
    pub window_end: Option<i64>,
    /// Window posts with likes >= the account's likes floor or comments >= its comments
    /// floor (floors from `campaign.engagement`). Unit: posts.
    pub posts_at_floor: u32,
    /// Sample standard deviation (n - 1) of the window's visible like counts. Unit: likes.
    pub likes_std: Option<f64>,
    /// Rows of the account in the follower sample. Unit: followers.
    pub follower_sample_size: u64,
    /// Sampled followers the classifier labels fake. Unit: followers.
    pub sample_fake: u64,
    /// Sampled followers whose following count is known, and those of them following more
    /// than `MASS_FOLLOWING` accounts. Unit: followers.
    pub sample_following_known: u64,
    pub sample_mass: u64,
    /// The same two counts among the followers labelled real. Unit: followers.
    pub sample_real_following_known: u64,
    pub sample_real_mass: u64,
}

/// Each account's `n` most recent posts dated at or before `cutoff`, most recent first, ties
/// on `posted_at` broken by `post_id` ascending (bytewise): the contract's window, also used
/// (with another `n`) for niche relevance.
pub fn recent_posts(posts: &DataFrame, cutoff: i64, n: usize) -> LazyFrame {
    posts
        .clone()
        .lazy()
        .filter(col("posted_at").lt_eq(lit(cutoff)))
        .sort_by_exprs(
            [
                col("platform"),
                col("account_id"),
                col("posted_at"),
                col("post_id"),
            ],
            SortMultipleOptions::default()
                .with_order_descending_multi([false, false, true, false])
                .with_maintain_order(true),
        )
        .group_by_stable([col("platform"), col("account_id")])
        .head(Some(n))
}

/// The rows of [`recent_posts`] in its order (accounts by platform and id, bytewise; each
/// account's posts most recent first, ties by `post_id`), gathered from `posts` once: the
/// other columns (captions) are copied once, at the size of the result.
///
/// The order is found without sorting the table: rows are grouped by account (an account's
/// posts usually follow each other, so a group is looked up once per run of rows), each
/// group sorted on its own and cut at `n`, and the groups put in key order. Equal, row for
/// row, to the [`recent_posts`] plan (unit test on chunked, interleaved input with ties).
pub(crate) fn recent_rows(
    posts: &DataFrame,
    cutoff: i64,
    n: usize,
) -> Result<DataFrame, ScoreError> {
    // Nothing is copied per row but the time (8 bytes) and the row's place in its group (4):
    // the running set of kept posts is re-reduced at millions of rows.
    let (platform, account_id, post_id) = (
        TextColumn::of(posts, "platform")?,
        TextColumn::of(posts, "account_id")?,
        TextColumn::of(posts, "post_id")?,
    );
    // Marks a post dated after the cutoff or without a date (ingestion accepts no date
    // before 1970, so no post is dated at the sentinel itself).
    const OUTSIDE: i64 = i64::MIN;
    let posted_at: Vec<i64> = posts
        .column("posted_at")?
        .i64()?
        .downcast_iter()
        .flat_map(|a| a.iter().map(|v| v.copied().filter(|t| *t <= cutoff)))
        .map(|t| t.unwrap_or(OUTSIDE))
        .collect();
    type Key<'a> = (Option<&'a str>, Option<&'a str>);
    let mut index: rustc_hash::FxHashMap<Key<'_>, usize> = Default::default();
    let mut keys: Vec<Key<'_>> = Vec::new();
    let mut groups: Vec<Vec<IdxSize>> = Vec::new();
    let mut last: Option<(Key<'_>, usize)> = None;
    for (r, at) in posted_at.iter().enumerate() {
        if *at == OUTSIDE {
            continue;
        }
        let key = (platform.get(r), account_id.get(r));
        let g = match last {
            Some((k, g)) if k == key => g,
            _ => *index.entry(key).or_insert_with(|| {
                keys.push(key);
                groups.push(Vec::new());
                groups.len() - 1
            }),
        };
        last = Some((key, g));
        groups[g].push(r as IdxSize);
    }
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_unstable_by(|a, b| keys[*a].cmp(&keys[*b]));
    let mut rows: Vec<IdxSize> = Vec::new();
    for g in order {
        let group = &mut groups[g];
        // Stable: rows equal on both keep their order, as in the plan.
        group.sort_by(|a, b| {
            let (a, b) = (*a as usize, *b as usize);
            posted_at[b]
                .cmp(&posted_at[a])
                .then_with(|| post_id.get(a).cmp(&post_id.get(b)))
        });
        rows.extend(group.iter().take(n));
    }
    let rows = IdxCa::from_vec("__row".into(), rows);
    Ok(posts.take(&rows)?)
}

/// Random access to a text column's values across its chunks, without copying them.
struct TextColumn<'a> {
    chunks: Vec<&'a <StringType as PolarsDataType>::Array>,
    /// The row each chunk starts at.
    starts: Vec<usize>,
}

impl<'a> TextColumn<'a> {
    fn of(df: &'a DataFrame, name: &str) -> Result<Self, ScoreError> {
        let chunks: Vec<_> = df.column(name)?.str()?.downcast_iter().collect();
        let starts = chunks
            .iter()
            .scan(0, |start, c| {
                let at = *start;
                *start += c.len();
                Some(at)
            })
            .collect();
        Ok(Self { chunks, starts })
    }

    fn get(&self, row: usize) -> Option<&'a str> {
        let c = self.starts.partition_point(|s| *s <= row) - 1;
        let (chunk, i) = (self.chunks[c], row - self.starts[c]);
        chunk.get(i)
    }
}

/// Builds and runs the feature plans.
pub fn extract(
    accounts: &DataFrame,
    posts: &DataFrame,
    follower_sample: &DataFrame,
    campaign: &Campaign,
    as_of: i64,
) -> Result<Vec<AccountFeatures>, ScoreError> {
    let n = campaign.window.posts as usize;
    let cutoff = as_of - i64::from(campaign.window.min_post_age_hours) * 3600;
    let keys = [col("platform"), col("account_id")];

    // The floors depend on each account's follower count; they are computed once per account
    // (a small column) and joined onto its window posts.
    let followers_col = accounts.column("followers")?.i64()?;
    let (likes_floor, comments_floor): (Vec<Option<f64>>, Vec<Option<f64>>) = followers_col
        .iter()
        .map(|f| {
            let f = f.unwrap_or(0).max(0) as u64;
            (
                Some(campaign.engagement.likes_floor(f)),
                Some(campaign.engagement.comments_floor(f)),
            )
        })
        .unzip();
    let floors = DataFrame::new_infer_height(vec![
        accounts.column("platform")?.clone(),
        accounts.column("account_id")?.clone(),
        Column::new("likes_floor".into(), likes_floor),
        Column::new("comments_floor".into(), comments_floor),
    ])?;

    // Only the columns the aggregates read are gathered (not the captions).
    let window = recent_rows(&posts.select(WINDOW_POST_COLUMNS)?, cutoff, n)?.lazy();

    let at_floor = col("likes")
        .cast(DataType::Float64)
        .gt_eq(col("likes_floor"))
        .fill_null(lit(false))
        .or(col("comments")
            .cast(DataType::Float64)
            .gt_eq(col("comments_floor"))
            .fill_null(lit(false)));

    let post_features = window
        .join(
            floors.lazy(),
            keys.clone(),
            keys.clone(),
            JoinArgs::new(JoinType::Left),
        )
        .group_by(keys.clone())
        .agg([
            col("post_id").len().alias("posts_in_window"),
            col("likes").count().alias("likes_visible_posts"),
            col("comments").count().alias("comments_visible_posts"),
            col("likes")
                .cast(DataType::Float64)
                .mean()
                .alias("avg_likes"),
            col("likes")
                .cast(DataType::Float64)
                .median()
                .alias("median_likes"),
            col("comments")
                .cast(DataType::Float64)
                .mean()
                .alias("avg_comments"),
            col("comments")
                .cast(DataType::Float64)
                .median()
                .alias("median_comments"),
            col("likes")
                .cast(DataType::Float64)
                .std(1)
                .alias("likes_std"),
            col("posted_at").min().alias("window_start"),
            col("posted_at").max().alias("window_end"),
            at_floor
                .cast(DataType::UInt32)
                .sum()
                .alias("posts_at_floor"),
        ]);

    let sample = follower_sample.clone().lazy();

    let df = accounts
        .clone()
        .lazy()
        .select([
            col("platform"),
            col("account_id"),
            col("handle"),
            col("display_name"),
            col("bio"),
            col("public_email"),
            col("external_url"),
            col("followers"),
            col("following"),
            col("posts_count"),
        ])
        .join(
            post_features,
            keys.clone(),
            keys.clone(),
            JoinArgs::new(JoinType::Left),
        )
        .join(sample, keys.clone(), keys, JoinArgs::new(JoinType::Left))
        .collect()?;

    rows(&df)
}

/// The post columns that scoring reads; [`RecentPosts`] keeps only these. The window's
/// aggregates read all but the last, the caption ([`WINDOW_POST_COLUMNS`]).
pub const SCORED_POST_COLUMNS: [&str; 7] = [
    "platform",
    "account_id",
    "post_id",
    "posted_at",
    "likes",
    "comments",
    "caption",
];

/// The post columns the window's aggregates read: [`SCORED_POST_COLUMNS`] but the caption.
const WINDOW_POST_COLUMNS: &[&str] = SCORED_POST_COLUMNS
    .split_last()
    .expect("scored post columns")
    .1;

/// The posts reduced, chunk by chunk, to each account's `k` most recent ones (by the
/// window's ordering and reference time): the top `k` of a union is the top `k` of the
/// parts' top `k`s, so with `k` at least the window and the relevance posts, scoring the
/// reduced table gives exactly what scoring every post would.
#[derive(Debug)]
pub struct RecentPosts {
    cutoff: i64,
    k: usize,
    kept: Option<DataFrame>,
    /// Rows left by the last reduction of `kept`.
    reduced: usize,
    rows: u64,
}

impl RecentPosts {
    /// For a campaign and reference time.
    pub fn new(campaign: &Campaign, as_of: i64) -> Self {
        Self {
            cutoff: as_of - i64::from(campaign.window.min_post_age_hours) * 3600,
            k: campaign.window.posts.max(campaign.relevance.posts) as usize,
            kept: None,
            reduced: 0,
            rows: 0,
        }
    }

    /// Adds a chunk of a canonical posts table.
    pub fn add(&mut self, posts: &DataFrame) -> Result<(), ScoreError> {
        self.rows += posts.height() as u64;
        // Only the columns scoring reads are kept (not `views`, `media_type`).
        let posts = posts.select(SCORED_POST_COLUMNS)?;
        let top = recent_rows(&posts, self.cutoff, self.k)?;
        self.kept = Some(match self.kept.take() {
            None => top,
            Some(mut kept) => {
                kept.vstack_mut(&top)?;
                // Keep the running set near its floor (k posts per account seen): reduce
                // again once it has grown by half of what the last reduction left, so it
                // never holds more than 1.5 times that (or 256k rows), and the reductions
                // cost a constant times the rows added.
                if kept.height() > self.reduced + (self.reduced / 2).max(1 << 18) {
                    let reduced = recent_rows(&kept, self.cutoff, self.k)?;
                    self.reduced = reduced.height();
                    reduced
                } else {
                    kept
                }
            }
        });
        Ok(())
    }

    /// Post rows added so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Reduces the running set to exactly the most recent `k` posts per account (it may
    /// hold up to half as many again between reductions): call once no more posts are
    /// coming for a while, so the rest of the run does not carry the slack.
    pub fn compact(&mut self) -> Result<(), ScoreError> {
        if let Some(kept) = self.kept.take() {
            let kept = if kept.height() > self.reduced {
                recent_rows(&kept, self.cutoff, self.k)?
            } else {
                kept
            };
            self.reduced = kept.height();
            self.kept = Some(kept);
        }
        Ok(())
    }

    /// The kept posts, reduced ([`Self::compact`]), with [`SCORED_POST_COLUMNS`] (those of
    /// `empty`, an empty posts table, when nothing was added).
    pub fn finish(mut self, empty: DataFrame) -> Result<DataFrame, ScoreError> {
        self.compact()?;
        match self.kept {
            Some(kept) => Ok(kept),
            None => Ok(empty.select(SCORED_POST_COLUMNS)?),
        }
    }
}

/// The follower sample reduced to counts per account, one chunk (a part of the sample, as
/// ingestion hands it on) at a time, so the sample never has to be held whole. Each chunk's
/// rows are labelled by the classifier and counted into their account's totals.
///
/// Whether bios are known is a fact of a whole file, not of a chunk: a file none of whose
/// rows has a bio is an export without bios, which the classifier must see as unknown, not
/// as empty; in a file with bios an empty one is empty. Until a file shows its first bio,
/// its rows are labelled both ways and counted per hypothesis (`pending`); the first bio,
/// or the file's end ([`FollowerRows::ends_file`]), settles which counts are kept. The
/// labels therefore do not depend on where ingestion cuts a file into chunks. A classifier
/// that labels an unknown bio as an empty one (the shipped model does:
/// `FollowerModel::unknown_bio_is_empty`) needs no second labelling.
///
/// Columns of the result, per `(platform, account_id)`: `follower_sample_size`,
/// `sample_fake`, `sample_following_known`, `sample_mass` (following more than
/// `MASS_FOLLOWING`), `sample_real_following_known`, `sample_real_mass`. Unit: followers.
#[derive(Debug)]
pub struct FollowerSample {
    /// Account -> its entry in `accounts` and `counts` (first seen first).
    index: rustc_hash::FxHashMap<(String, String), usize>,
    accounts: Vec<(String, String)>,
    /// Per account, the six counts in the order of `SAMPLE_COUNTS`.
    counts: Vec<[u64; 6]>,
    rows: u64,
    /// The file being read has shown a bio.
    file_has_bios: bool,
    /// Counts of the file's rows so far while it has shown no bio: per account, as if the
    /// file has no bios (`[0]`) and as if its bios are empty (`[1]`).
    pending: rustc_hash::FxHashMap<usize, [[u64; 6]; 2]>,
    /// Labels rows (true: fake), told whether the file carries bios.
    labeller: Labeller,
    /// The labeller labels a row with an unknown bio as one with an empty bio: no row
    /// needs labelling both ways.
    unknown_bio_is_empty: bool,
}

/// A follower classifier's labels for rows (true: fake), told whether their file carries
/// bios: [`shipped_labels`] in a run.
type Labeller = fn(&FollowerRows, bool) -> Vec<bool>;

/// The shipped classifier's labels ([`probabilities`] at its threshold).
pub fn shipped_labels(rows: &FollowerRows, bio_known: bool) -> Vec<bool> {
    let model = microscout_authenticity::FollowerModel::shipped();
    probabilities(rows, bio_known)
        .into_iter()
        .map(|p| model.is_fake(p))
        .collect()
}

impl Default for FollowerSample {
    fn default() -> Self {
        let blind = microscout_authenticity::FollowerModel::shipped().unknown_bio_is_empty();
        Self::with_labeller(shipped_labels, blind)
    }
}

const SAMPLE_COUNTS: [&str; 6] = [
    "follower_sample_size",
    "sample_fake",
    "sample_following_known",
    "sample_mass",
    "sample_real_following_known",
    "sample_real_mass",
];

impl FollowerSample {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts labelled by `labeller`, which labels an unknown bio as an empty one when
    /// `unknown_bio_is_empty`.
    fn with_labeller(labeller: Labeller, unknown_bio_is_empty: bool) -> Self {
        Self {
            index: Default::default(),
            accounts: Vec::new(),
            counts: Vec::new(),
            rows: 0,
            file_has_bios: false,
            pending: Default::default(),
            labeller,
            unknown_bio_is_empty,
        }
    }

    /// Adds a chunk of a canonical followers table; `ends_file` when it is the last (or
    /// only) chunk of its file (a table of several files should be added file by file: the
    /// table has no file boundaries).
    pub fn add(&mut self, followers: &DataFrame, ends_file: bool) -> Result<(), ScoreError> {
        let mut rows = follower_rows(followers)?;
        rows.ends_file = ends_file;
        self.add_rows(&rows);
        Ok(())
    }

    /// Adds a chunk of the follower sample as ingestion hands it on (the chunks of a file
    /// in order, its last one marked [`FollowerRows::ends_file`]).
    pub fn add_rows(&mut self, rows: &FollowerRows) {
        if !rows.is_empty() {
            if !self.file_has_bios && rows.any_bio() {
                self.file_has_bios = true;
                self.settle(true);
            }
            let t = std::time::Instant::now();
            if self.file_has_bios || self.unknown_bio_is_empty {
                let fake = self.labels(rows, self.file_has_bios);
                self.count(rows, &fake, None);
            } else {
                for (h, bio_known) in [false, true].into_iter().enumerate() {
                    let fake = self.labels(rows, bio_known);
                    self.count(rows, &fake, Some(h));
                }
            }
            tracing::debug!(
                "labelled {} sampled followers in {:.1?}",
                rows.len(),
                t.elapsed()
            );
            self.rows += rows.len() as u64;
        }
        if rows.ends_file {
            self.settle(false);
            self.file_has_bios = false;
        }
    }

    /// Adds the pending counts of the file being read to the totals, as the hypothesis
    /// `bio_known` says.
    fn settle(&mut self, bio_known: bool) {
        for (i, both) in self.pending.drain() {
            for (total, add) in self.counts[i].iter_mut().zip(both[usize::from(bio_known)]) {
                *total += add;
            }
        }
    }

    /// The classifier's verdict (fake) for every row.
    fn labels(&self, rows: &FollowerRows, bio_known: bool) -> Vec<bool> {
        (self.labeller)(rows, bio_known)
    }

    /// Counts the rows with their labels `fake` into the totals, or with `pending` into the
    /// file's pending counts of that hypothesis.
    fn count(&mut self, rows: &FollowerRows, fake: &[bool], pending: Option<usize>) {
        let mut start = 0;
        for run in &rows.accounts {
            let key = (run.platform.clone(), run.account_id.clone());
            let i = *self.index.entry(key).or_insert_with_key(|key| {
                self.accounts.push(key.clone());
                self.counts.push([0; 6]);
                self.accounts.len() - 1
            });
            let c = match pending {
                None => &mut self.counts[i],
                Some(h) => &mut self.pending.entry(i).or_default()[h],
            };
            let end = start + run.rows;
            for (fake, following) in fake[start..end].iter().zip(&rows.following[start..end]) {
                let known = following.is_some();
                let mass = following.is_some_and(|f| f > microscout_authenticity::MASS_FOLLOWING);
                c[0] += 1;
                c[1] += u64::from(*fake);
                c[2] += u64::from(known);
                c[3] += u64::from(mass);
                c[4] += u64::from(!fake && known);
                c[5] += u64::from(!fake && mass);
            }
            start = end;
        }
    }

    /// Follower rows added so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The summed counts per account, in the order the accounts were first seen (rows of a
    /// file whose end was never marked count as a file without bios when none had one).
    pub fn finish(mut self) -> Result<DataFrame, ScoreError> {
        self.settle(false);
        let (platform, account_id): (Vec<String>, Vec<String>) = self.accounts.into_iter().unzip();
        let mut cols = vec![
            Column::new("platform".into(), platform),
            Column::new("account_id".into(), account_id),
        ];
        cols.extend(SAMPLE_COUNTS.iter().enumerate().map(|(k, n)| {
            let v: Vec<u64> = self.counts.iter().map(|c| c[k]).collect();
            Column::new((*n).into(), v)
        }));
        Ok(DataFrame::new_infer_height(cols)?)
    }
}

/// A canonical followers table as the rows that the classifier and the counts read
/// ([`FollowerRows`]). A negative count (not possible after ingestion) counts as 0.
pub fn follower_rows(followers: &DataFrame) -> Result<FollowerRows, ScoreError> {
    let int = |name: &str| -> Result<Vec<Option<u64>>, ScoreError> {
        Ok(followers
            .column(name)?
            .cast(&DataType::Int64)?
            .i64()?
            .downcast_iter()
            .flat_map(|a| a.iter())
            .map(|v| v.map(|x| (*x).max(0) as u64))
            .collect())
    };
    let boolean = |name: &str| -> Result<Vec<Option<bool>>, ScoreError> {
        Ok(followers
            .column(name)?
            .bool()?
            .downcast_iter()
            .flat_map(|a| a.iter())
            .collect())
    };
    let text = |name: &str| -> Result<Vec<Option<&str>>, ScoreError> {
        Ok(followers
            .column(name)?
            .str()?
            .downcast_iter()
            .flat_map(|a| a.iter())
            .collect())
    };
    let (posts, fol, fing) = (
        int("follower_posts")?,
        int("follower_followers")?,
        int("follower_following")?,
    );
    let (pic, private) = (
        boolean("follower_has_profile_pic")?,
        boolean("follower_is_private")?,
    );
    let (platform, account_id, handle, bio) = (
        text("platform")?,
        text("account_id")?,
        text("follower_handle")?,
        text("follower_bio")?,
    );
    let mut rows = FollowerRows::default();
    let columns = platform
        .into_iter()
        .zip(account_id)
        .zip(handle)
        .zip(bio)
        .enumerate();
    for (r, (((platform, account_id), handle), bio)) in columns {
        rows.push(FollowerRow {
            platform: platform.unwrap_or_default(),
            account_id: account_id.unwrap_or_default(),
            handle: handle.unwrap_or_default(),
            posts: posts[r],
            followers: fol[r],
            following: fing[r],
            has_profile_pic: pic[r],
            is_private: private[r],
            bio,
        });
    }
    Ok(rows)
}

/// The shipped classifier's fake probability for every row of a canonical followers table
/// (`microscout_authenticity`), in row order.
/// The table is one export: its bios are known when any row has one.
pub fn follower_probabilities(followers: &DataFrame) -> Result<Vec<f64>, ScoreError> {
    let rows = follower_rows(followers)?;
    Ok(probabilities(&rows, rows.any_bio()))
}

/// The shipped classifier's fake probability for every row. This is a per-row model, not
/// an aggregate: the rows are fanned out with rayon in blocks. `bio_known` false when the
/// export carries no bios (a row's missing bio is then unknown, not empty): a fact of the
/// whole file, which the caller settles ([`FollowerSample`]).
pub fn probabilities(rows: &FollowerRows, bio_known: bool) -> Vec<f64> {
    use microscout_authenticity::FollowerModel;
    use microscout_authenticity::features::FollowerCoder;
    use rayon::prelude::*;
    let n = rows.len();
    if n == 0 {
        return Vec::new();
    }
    let model = FollowerModel::shipped().compiled();
    let coder = FollowerCoder::new(&model);
    const BLOCK: usize = 4096;
    let blocks: Vec<Vec<f64>> = (0..n.div_ceil(BLOCK))
        .into_par_iter()
        .map(|b| coder.predict(rows, b * BLOCK..n.min((b + 1) * BLOCK), bio_known))
        .collect();
    blocks.concat()
}

/// Turns the one-row-per-account frame into structs.
fn rows(df: &DataFrame) -> Result<Vec<AccountFeatures>, ScoreError> {
    let s =
        |name: &str| -> Result<StringChunked, ScoreError> { Ok(df.column(name)?.str()?.clone()) };
    let i = |name: &str| -> Result<Int64Chunked, ScoreError> {
        Ok(df.column(name)?.cast(&DataType::Int64)?.i64()?.clone())
    };
    let f = |name: &str| -> Result<Float64Chunked, ScoreError> {
        Ok(df.column(name)?.cast(&DataType::Float64)?.f64()?.clone())
    };
    let external_url = s("external_url")?;
    let (platform, account_id, handle, display_name, bio, email) = (
        s("platform")?,
        s("account_id")?,
        s("handle")?,
        s("display_name")?,
        s("bio")?,
        s("public_email")?,
    );
    let cvp = i("comments_visible_posts")?;
    let posts_count = i("posts_count")?;
    let (followers, following, piw, lvp, ws, we, paf, fss) = (
        i("followers")?,
        i("following")?,
        i("posts_in_window")?,
        i("likes_visible_posts")?,
        i("window_start")?,
        i("window_end")?,
        i("posts_at_floor")?,
        i("follower_sample_size")?,
    );
    let (sf, sfk, sm, srfk, srm) = (
        i("sample_fake")?,
        i("sample_following_known")?,
        i("sample_mass")?,
        i("sample_real_following_known")?,
        i("sample_real_mass")?,
    );
    let (al, ml, ac, mc, lsd) = (
        f("avg_likes")?,
        f("median_likes")?,
        f("avg_comments")?,
        f("median_comments")?,
        f("likes_std")?,
    );
    let count = |v: Option<i64>| v.unwrap_or(0).max(0);
    Ok((0..df.height())
        .map(|r| AccountFeatures {
            platform: platform.get(r).unwrap_or_default().to_string(),
            account_id: account_id.get(r).unwrap_or_default().to_string(),
            handle: handle.get(r).unwrap_or_default().to_string(),
            display_name: display_name.get(r).map(str::to_string),
            bio: bio.get(r).map(str::to_string),
            public_email: email.get(r).map(str::to_string),
            external_url: external_url.get(r).map(str::to_string),
            followers: count(followers.get(r)) as u64,
            following: following.get(r).map(|v| v.max(0) as u64),
            posts_count: posts_count.get(r).map(|v| v.max(0) as u64),
            posts_in_window: count(piw.get(r)) as u32,
            likes_visible_posts: count(lvp.get(r)) as u32,
            comments_visible_posts: count(cvp.get(r)) as u32,
            avg_likes: al.get(r),
            median_likes: ml.get(r),
            avg_comments: ac.get(r),
            median_comments: mc.get(r),
            window_start: ws.get(r),
            window_end: we.get(r),
            posts_at_floor: count(paf.get(r)) as u32,
            likes_std: lsd.get(r),
            follower_sample_size: count(fss.get(r)) as u64,
            sample_fake: count(sf.get(r)) as u64,
            sample_following_known: count(sfk.get(r)) as u64,
            sample_mass: count(sm.get(r)) as u64,
            sample_real_following_known: count(srfk.get(r)) as u64,
            sample_real_mass: count(srm.get(r)) as u64,
        })
        .collect())
}

#[cfg(test)]
mod props {
    //! Property tests: the polars plan against a plain reference implementation of the
    //! contract's window and aggregates, on random accounts and posts with many ties on
    //! `posted_at`, hidden likes, empty windows and zero followers.

    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    struct Post {
        account: usize,
        id: String,
        at: i64,
        likes: Option<i64>,
        comments: i64,
    }

    fn posts_strategy(accounts: usize) -> impl Strategy<Value = Vec<Post>> {
        prop::collection::vec(
            (
                0..accounts,
                "[a-cA-C0-9_]{1,4}",
                0i64..20,
                prop::option::weighted(0.8, 0i64..5_000),
                0i64..300,
            ),
            0..120,
        )
        .prop_map(|v| {
            let mut seen = std::collections::HashSet::new();
            v.into_iter()
                // post ids are unique per platform, as ingestion guarantees
                .filter(|(_, id, ..)| seen.insert(id.clone()))
                .map(|(account, id, at, likes, comments)| Post {
                    account,
                    id,
                    // few distinct times, so ties are common
                    at: 1_700_000_000 + at * 3600,
                    likes,
                    comments,
                })
                .collect()
        })
    }

    // The plan's medians are polars'; the reference takes the crate's own definition.
    use crate::stats::median;

    fn mean(v: &[f64]) -> Option<f64> {
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    }

    fn close(a: Option<f64>, b: Option<f64>) -> bool {
        match (a, b) {
            (None, None) => true,
            (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
            _ => false,
        }
    }

    /// Posts fed in chunks, compacted in between, keep exactly what the whole table's top
    /// `k` per account is.
    #[test]
    fn recent_posts_in_chunks_with_compaction_are_the_whole_tables() {
        let n = 300usize;
        let account: Vec<String> = (0..n).map(|i| format!("a{}", i % 7)).collect();
        let id: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
        // Few distinct times, so ties (broken by post id) are common.
        let at: Vec<i64> = (0..n)
            .map(|i| 1_700_000_000 + ((i * 37) % 11) as i64 * 3600)
            .collect();
        let posts = DataFrame::new_infer_height(vec![
            Column::new("platform".into(), vec!["instagram"; n]),
            Column::new("account_id".into(), account),
            Column::new("post_id".into(), id),
            Column::new("posted_at".into(), at),
            Column::new("likes".into(), vec![Some(1i64); n]),
            Column::new("comments".into(), vec![0i64; n]),
            Column::new("caption".into(), vec![Some("x"); n]),
        ])
        .unwrap();
        let mut campaign = Campaign::default();
        campaign.window.posts = 5;
        campaign.relevance.posts = 8;
        let as_of = 1_700_000_000 + 9 * 3600;
        let sorted = |df: DataFrame| {
            df.sort(["account_id", "post_id"], Default::default())
                .unwrap()
        };
        let mut recent = RecentPosts::new(&campaign, as_of);
        for (i, start) in [0usize, 90, 200].into_iter().enumerate() {
            let end = [90, 200, n][i];
            recent.add(&posts.slice(start as i64, end - start)).unwrap();
            if i == 1 {
                recent.compact().unwrap();
            }
        }
        let got = sorted(recent.finish(posts.clear()).unwrap());
        let want = sorted(recent_rows(&posts, as_of, 8).unwrap());
        assert_eq!(got.height(), 7 * 8);
        assert!(got.equals(&want), "{got}\n{want}");
    }

    /// The hand-rolled order of `recent_rows` is the polars plan's, row for row: accounts
    /// interleaved and split over chunks, two platforms, ties on time and on time and id,
    /// missing times, ids that sort differently as bytes and as numbers.
    #[test]
    fn recent_rows_are_the_plans_rows_in_its_order() {
        let n = 600usize;
        let mut rng = microscout_generate::rng::Rng::new(7, 0, 0);
        let mut next = |m: u64| rng.below(m);
        let mut platform = Vec::new();
        let mut account = Vec::new();
        let mut id = Vec::new();
        let mut at = Vec::new();
        for i in 0..n {
            // Runs of a few rows of one account, accounts coming back later.
            let a = if i % 4 == 0 {
                next(13)
            } else {
                (i / 4 % 13) as u64
            };
            platform.push(if a % 5 == 0 { "youtube" } else { "instagram" });
            account.push(format!("{}", a * 7 % 13 + if a > 9 { 100 } else { 0 }));
            id.push(format!("p{}", next(40)));
            at.push((next(10) != 0).then(|| 1_700_000_000 + next(6) as i64 * 3600));
        }
        let frame = DataFrame::new_infer_height(vec![
            Column::new("platform".into(), platform),
            Column::new("account_id".into(), account),
            Column::new("post_id".into(), id),
            Column::new("posted_at".into(), at),
            Column::new("likes".into(), (0..n as i64).collect::<Vec<_>>()),
        ])
        .unwrap();
        // Several chunks, as the running set of kept posts has.
        let mut chunked = frame.slice(0, 200);
        chunked.vstack_mut(&frame.slice(200, 250)).unwrap();
        chunked.vstack_mut(&frame.slice(450, 150)).unwrap();
        for cutoff in [1_700_000_000 + 2 * 3600, 1_700_000_000 + 9 * 3600] {
            for k in [1usize, 3, 50] {
                let plan = recent_posts(&frame, cutoff, k).collect().unwrap();
                let got = recent_rows(&chunked, cutoff, k).unwrap();
                assert!(got.height() > 0);
                assert!(
                    got.equals_missing(&plan),
                    "k {k}, cutoff {cutoff}\n{got}\n{plan}"
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn plan_matches_reference(
            followers in prop::collection::vec(0i64..50_000, 1..6),
            posts in posts_strategy(6),
            window in 1u32..6,
            as_of_hours in 0i64..22,
        ) {
            let n_acc = followers.len();
            let posts: Vec<Post> = posts.into_iter().filter(|p| p.account < n_acc).collect();
            let as_of = 1_700_000_000 + as_of_hours * 3600;
            let mut campaign = Campaign::default();
            campaign.window.posts = window;

            let ids: Vec<String> = (0..n_acc).map(|i| format!("acc{i}")).collect();
            let accounts = DataFrame::new_infer_height(vec![
                Column::new("platform".into(), vec!["instagram"; n_acc]),
                Column::new("account_id".into(), ids.clone()),
                Column::new("handle".into(), ids.clone()),
                Column::new("display_name".into(), vec![None::<String>; n_acc]),
                Column::new("bio".into(), vec![None::<String>; n_acc]),
                Column::new("public_email".into(), vec![None::<String>; n_acc]),
                Column::new("external_url".into(), vec![None::<String>; n_acc]),
                Column::new("followers".into(), followers.clone()),
                Column::new("following".into(), vec![None::<i64>; n_acc]),
                Column::new("posts_count".into(), vec![None::<i64>; n_acc]),
            ]).unwrap();
            let posts_df = DataFrame::new_infer_height(vec![
                Column::new("platform".into(), vec!["instagram"; posts.len()]),
                Column::new("account_id".into(), posts.iter().map(|p| ids[p.account].clone()).collect::<Vec<_>>()),
                Column::new("post_id".into(), posts.iter().map(|p| p.id.clone()).collect::<Vec<_>>()),
                Column::new("posted_at".into(), posts.iter().map(|p| p.at).collect::<Vec<_>>()),
                Column::new("likes".into(), posts.iter().map(|p| p.likes).collect::<Vec<_>>()),
                Column::new("comments".into(), posts.iter().map(|p| p.comments).collect::<Vec<_>>()),
            ]).unwrap();
            let followers_df = FollowerSample::new().finish().unwrap();
            let got = extract(&accounts, &posts_df, &followers_df, &campaign, as_of).unwrap();
            prop_assert_eq!(got.len(), n_acc);
            for f in got {
                let i: usize = f.account_id[3..].parse().unwrap();
                let mut mine: Vec<&Post> = posts.iter().filter(|p| p.account == i && p.at <= as_of).collect();
                mine.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.id.as_bytes().cmp(b.id.as_bytes())));
                mine.truncate(window as usize);
                let likes: Vec<f64> = mine.iter().filter_map(|p| p.likes).map(|l| l as f64).collect();
                let comments: Vec<f64> = mine.iter().map(|p| p.comments as f64).collect();
                let fl = followers[i].max(0) as u64;
                let at_floor = mine.iter().filter(|p| {
                    p.likes.is_some_and(|l| l as f64 >= campaign.engagement.likes_floor(fl))
                        || p.comments as f64 >= campaign.engagement.comments_floor(fl)
                }).count();

                prop_assert_eq!(f.posts_in_window as usize, mine.len());
                prop_assert_eq!(f.likes_visible_posts as usize, likes.len());
                prop_assert!(close(f.avg_likes, mean(&likes)), "avg_likes {:?} vs {:?}", f.avg_likes, mean(&likes));
                prop_assert!(close(f.median_likes, median(likes.clone())));
                prop_assert!(close(f.avg_comments, mean(&comments)));
                prop_assert!(close(f.median_comments, median(comments.clone())));
                prop_assert_eq!(f.window_start, mine.iter().map(|p| p.at).min());
                prop_assert_eq!(f.window_end, mine.iter().map(|p| p.at).max());
                prop_assert_eq!(f.posts_at_floor as usize, at_floor);

                // The engagement rate is defined exactly when the contract says it is.
                let s = crate::metrics::account_score(&f, &crate::authenticity::DropStats::compute(&[], &campaign), &campaign);
                let defined = fl > 0 && !mine.is_empty() && !likes.is_empty();
                prop_assert_eq!(s.engagement_rate.is_some(), defined);
                if let Some(er) = s.engagement_rate {
                    let want = (mean(&likes).unwrap() + mean(&comments).unwrap()) / fl as f64;
                    prop_assert!((er - want).abs() <= 1e-12 * want.max(1.0));
                }
            }
        }
    }
}

#[cfg(test)]
mod sample_tests {
    use super::*;
    use microscout_model::sample::FollowerRow;

    /// Rows in the test files.
    const N: usize = 600;

    /// `N` followers of three accounts, without bios.
    fn followers(seed: u64) -> FollowerRows {
        let mut rng = microscout_generate::rng::Rng::new(seed, 7, 0);
        let mut rows = FollowerRows::default();
        for i in 0..N {
            rows.push(FollowerRow {
                platform: "instagram",
                account_id: ["a", "b", "c"][i * 3 / N],
                handle: "someone",
                following: Some(rng.next_u64() % 3000),
                ..Default::default()
            });
        }
        rows
    }

    /// A classifier for which a missing bio is a sign of a fake when the export has no bios
    /// and of a real account when it does. (The shipped model sends a missing bio the same
    /// way as an empty one at every split, so its labels cannot show the rule.)
    fn labeller(rows: &FollowerRows, bio_known: bool) -> Vec<bool> {
        rows.bio_chars
            .iter()
            .map(|b| b.is_none() && !bio_known)
            .collect()
    }

    /// The rows `range` of `rows` (the accounts' runs cut to fit), not ending a file.
    fn part(rows: &FollowerRows, range: std::ops::Range<usize>) -> FollowerRows {
        let mut keep = vec![false; rows.len()];
        keep[range].iter_mut().for_each(|k| *k = true);
        let mut p = rows.clone();
        p.retain(&keep);
        p.ends_file = false;
        p
    }

    /// The counts of files given as their chunks, in order.
    fn counts(files: &[Vec<FollowerRows>]) -> DataFrame {
        let mut sample = FollowerSample::with_labeller(labeller, false);
        for chunks in files {
            for (k, chunk) in chunks.iter().enumerate() {
                let mut chunk = chunk.clone();
                chunk.ends_file = k + 1 == chunks.len();
                sample.add_rows(&chunk);
            }
        }
        sample.finish().unwrap()
    }

    /// Counts of each file labelled whole, told whether it carries bios.
    fn labelled_whole(files: &[(&FollowerRows, bool)]) -> DataFrame {
        let mut sample = FollowerSample::with_labeller(labeller, false);
        for (rows, bio_known) in files {
            let fake = labeller(rows, *bio_known);
            sample.count(rows, &fake, None);
        }
        sample.finish().unwrap()
    }

    fn fakes(df: &DataFrame) -> u64 {
        df.column("sample_fake")
            .unwrap()
            .u64()
            .unwrap()
            .sum()
            .unwrap()
    }

    #[test]
    fn whether_bios_are_known_is_a_fact_of_the_file_not_of_a_chunk() {
        // Bios only from row 500 on: a chunk boundary at 400 leaves a first chunk without any.
        let mut late = followers(1);
        for b in &mut late.bio_chars[500..] {
            *b = Some(11);
        }
        let want = labelled_whole(&[(&late, true)]);
        assert_eq!(
            fakes(&want),
            0,
            "in a file with bios a missing one is empty"
        );
        assert_eq!(counts(&[vec![late.clone()]]), want, "one chunk");
        let cut = counts(&[vec![part(&late, 0..400), part(&late, 400..N)]]);
        assert_eq!(cut, want, "one file in two chunks");
        let many = counts(&[vec![
            part(&late, 0..150),
            part(&late, 150..300),
            part(&late, 300..520),
            part(&late, 520..N),
            FollowerRows::default(),
        ]]);
        assert_eq!(many, want, "one file in five chunks, the last empty");

        // A file without any bio is an export without bios, in any number of chunks.
        let none = followers(2);
        let want = labelled_whole(&[(&none, false)]);
        assert_eq!(fakes(&want), N as u64);
        assert_eq!(counts(&[vec![none.clone()]]), want);
        let split = counts(&[vec![part(&none, 0..250), part(&none, 250..N)]]);
        assert_eq!(split, want);

        // Each file is settled on its own, in either order.
        let want = labelled_whole(&[(&late, true), (&none, false)]);
        let two = counts(&[
            vec![part(&late, 0..400), part(&late, 400..N)],
            vec![part(&none, 0..100), part(&none, 100..N)],
        ]);
        assert_eq!(two, want);
        let want = labelled_whole(&[(&none, false), (&late, true)]);
        let two = counts(&[
            vec![none.clone()],
            vec![part(&late, 0..400), part(&late, 400..N)],
        ]);
        assert_eq!(two, want);

        // A stream whose last chunk was not marked settles at the end as no bios.
        let mut sample = FollowerSample::with_labeller(labeller, false);
        sample.add_rows(&part(&none, 0..N));
        assert_eq!(sample.finish().unwrap(), labelled_whole(&[(&none, false)]));
    }

    /// The shortcut taken for the shipped model is exact: when it says an unknown bio is an
    /// empty one, its probabilities are equal bit for bit either way.
    #[test]
    fn the_shipped_models_unknown_bio_shortcut_is_exact() {
        let model = microscout_authenticity::FollowerModel::shipped();
        let mut rng = microscout_generate::rng::Rng::new(3, 7, 0);
        let mut rows = FollowerRows::default();
        for i in 0..20_000u64 {
            let mut n = |m: u64| (!rng.next_u64().is_multiple_of(3)).then(|| rng.next_u64() % m);
            rows.push(FollowerRow {
                platform: "instagram",
                account_id: "a",
                handle: if i % 2 == 0 { "anna_2024" } else { "x" },
                posts: n(400),
                followers: n(5_000),
                following: n(7_000),
                has_profile_pic: Some(i % 3 == 0),
                is_private: (i % 7 != 0).then_some(i % 2 == 0),
                bio: None,
            });
        }
        // (A retrained model may not take the shortcut; this checks the one shipped.)
        if model.unknown_bio_is_empty() {
            assert_eq!(probabilities(&rows, true), probabilities(&rows, false));
        }
    }
}
