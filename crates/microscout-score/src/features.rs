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
    /// Followers; None when the export has no follower count (a blog: the contract lets
    /// blogs leave it empty). Unit: accounts.
    pub followers: Option<u64>,
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
    /// floor (floors from `campaign.engagement`, its platform's norm). Unit: posts.
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

impl AccountFeatures {
    /// The account's platform (validated by ingestion, so always one of the six).
    pub fn platform(&self) -> microscout_model::Platform {
        microscout_model::Platform::parse(&self.platform)
            .unwrap_or(microscout_model::Platform::Blog)
    }
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

    // The floors depend on each account's platform and follower count; they are computed
    // once per account (a small column) and joined onto its window posts.
    let followers_col = accounts.column("followers")?.i64()?;
    let platform_col = accounts.column("platform")?.str()?;
    let (likes_floor, comments_floor): (Vec<Option<f64>>, Vec<Option<f64>>) = followers_col
        .iter()
        .zip(platform_col.iter())
        .map(|(f, p)| {
            let f = f.map(|f| f.max(0) as u64);
            // Validated platforms only reach here.
            let p = p.and_then(microscout_model::Platform::parse)?;
            let (likes, comments) = campaign.engagement.floors(p, f);
            Some((Some(likes), Some(comments)))
        })
        .map(|x| x.unwrap_or((None, None)))
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

/// The post columns that scoring reads; [`crate::RecentPosts`] keeps only these. The window's
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
            followers: followers.get(r).map(|v| v.max(0) as u64),
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
        let mut recent = crate::RecentPosts::new(&campaign, as_of);
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
            // Each account on another platform, so each is held to another norm.
            let platform = |i: usize| microscout_model::Platform::ALL[i % 6];
            let accounts = DataFrame::new_infer_height(vec![
                Column::new("platform".into(), (0..n_acc).map(|i| platform(i).as_str()).collect::<Vec<_>>()),
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
                Column::new("platform".into(), posts.iter().map(|p| platform(p.account).as_str()).collect::<Vec<_>>()),
                Column::new("account_id".into(), posts.iter().map(|p| ids[p.account].clone()).collect::<Vec<_>>()),
                Column::new("post_id".into(), posts.iter().map(|p| p.id.clone()).collect::<Vec<_>>()),
                Column::new("posted_at".into(), posts.iter().map(|p| p.at).collect::<Vec<_>>()),
                Column::new("likes".into(), posts.iter().map(|p| p.likes).collect::<Vec<_>>()),
                Column::new("comments".into(), posts.iter().map(|p| p.comments).collect::<Vec<_>>()),
            ]).unwrap();
            let followers_df = crate::FollowerSample::new().finish().unwrap().0;
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
                let (likes_floor, comments_floor) = campaign.engagement.floors(platform(i), Some(fl));
                let at_floor = mine.iter().filter(|p| {
                    p.likes.is_some_and(|l| l as f64 >= likes_floor)
                        || p.comments as f64 >= comments_floor
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
