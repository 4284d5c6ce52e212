//! An account's history across nights: the snapshot each run keeps of every account (the
//! history store of `microscout-history` writes them as Parquet, `docs/history.md`), the
//! timelines scoring reads back, and the growth signals found in them (computed in
//! microscout-score's `growth` module, where each formula is documented).

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::numfmt::{count, percent};
use crate::{AccountScore, Platform};

/// Days since 1970-01-01 (UTC) of a Unix time in seconds: the night a run belongs to.
pub fn day_of(unix_seconds: i64) -> i32 {
    unix_seconds.div_euclid(86_400) as i32
}

/// `YYYY-MM-DD` of a day number.
pub fn date_of(day: i32) -> String {
    chrono::DateTime::from_timestamp(i64::from(day) * 86_400, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| day.to_string())
}

/// The day number of a `YYYY-MM-DD` date, if it is one.
pub fn parse_date(s: &str) -> Option<i32> {
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    if d.format("%Y-%m-%d").to_string() != s {
        return None;
    }
    Some(day_of(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp()))
}

/// Interactions per window post, `avg_likes + avg_comments` (comments missing count as
/// none), when like counts are visible; None when every like is hidden (comments alone
/// are a different, much smaller measure, and an account that hides likes on some nights
/// would seem to jump). Unit: per post.
pub fn interactions(avg_likes: Option<f64>, avg_comments: Option<f64>) -> Option<f64> {
    Some(avg_likes? + avg_comments.unwrap_or(0.0))
}

/// One account on one night, as the history store keeps it. Every field is what that
/// night's run measured or estimated (see `AccountScore` for the definitions and units).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    /// The night (days since 1970-01-01, UTC, of the run's reference time).
    pub day: i32,
    pub platform: String,
    pub account_id: String,
    pub handle: String,
    /// None without a follower count (a blog). Unit: accounts.
    pub followers: Option<u64>,
    pub following: Option<u64>,
    /// Posts on the profile, as the export reports it. Unit: posts.
    pub posts_count: Option<u64>,
    /// Posts in the window. Unit: posts.
    pub posts_in_window: u32,
    /// Mean likes and comments per window post. Unit: per post.
    pub avg_likes: Option<f64>,
    pub avg_comments: Option<f64>,
    /// Unit: fraction.
    pub engagement_rate: Option<f64>,
    /// Estimated fake-follower share and its 95% interval. Unit: fraction.
    pub fake_share: Option<f64>,
    pub fake_share_low: Option<f64>,
    pub fake_share_high: Option<f64>,
    /// Niche relevance, 0 to 1.
    pub relevance: Option<f64>,
    /// Ranking score, 0-100.
    pub score: Option<f64>,
    /// The authenticity verdict (`Verdict::as_str`).
    pub verdict: String,
    /// Flag codes, `;`-separated.
    pub flags: String,
    /// Rank on the shortlist; None when not shortlisted.
    pub shortlist_rank: Option<u32>,
    /// Growth signal codes found that night, `;`-separated (see [`SignalKind`]).
    pub growth_signals: String,
    /// Comments on the recent posts that night (`CommentEvidence::recent`); None without
    /// comments (and on nights stored before comments were kept). Unit: comments.
    pub comments_recent: Option<u64>,
    /// `CommentEvidence::generic_share`, `farm_share` and `pod_share`. Unit: fraction.
    pub generic_comment_share: Option<f64>,
    pub farm_comment_share: Option<f64>,
    pub pod_comment_share: Option<f64>,
    /// `FollowerOverlap::shared_share` and `farm_share`. Unit: fraction.
    pub shared_follower_share: Option<f64>,
    pub farm_follower_share: Option<f64>,
}

impl Snapshot {
    /// The snapshot of a scored account on `day`.
    pub fn of(s: &AccountScore, day: i32) -> Snapshot {
        Snapshot {
            day,
            platform: s.platform.to_string(),
            account_id: s.account_id.clone(),
            handle: s.handle.clone(),
            followers: s.followers,
            following: s.following,
            posts_count: s.posts_count,
            posts_in_window: s.posts_in_window,
            avg_likes: s.avg_likes,
            avg_comments: s.avg_comments,
            engagement_rate: s.engagement_rate,
            fake_share: s.authenticity.fake_share.map(|e| e.value),
            fake_share_low: s.authenticity.fake_share.map(|e| e.low),
            fake_share_high: s.authenticity.fake_share.map(|e| e.high),
            relevance: s.relevance.score,
            score: s.score,
            verdict: s.authenticity.verdict.as_str().to_string(),
            flags: s.flag_codes(),
            shortlist_rank: s.rank,
            growth_signals: s
                .growth
                .signals
                .iter()
                .map(|g| g.kind.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            comments_recent: s
                .comments
                .provenance
                .is_available()
                .then_some(s.comments.recent),
            generic_comment_share: s.comments.generic_share,
            farm_comment_share: s.comments.farm_share,
            pod_comment_share: s.comments.pod_share,
            shared_follower_share: s.overlap.shared_share,
            farm_follower_share: s.overlap.farm_share,
        }
    }

    /// Interactions per window post ([`interactions`]). Unit: per post.
    pub fn interactions(&self) -> Option<f64> {
        interactions(self.avg_likes, self.avg_comments)
    }
}

/// One account on one earlier night, as much as the growth signals and trends need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Night {
    pub day: i32,
    /// None without a follower count (a blog). Unit: accounts.
    pub followers: Option<u64>,
    /// [`Snapshot::interactions`]. Unit: per post.
    pub interactions: Option<f64>,
}

impl From<&Snapshot> for Night {
    fn from(s: &Snapshot) -> Night {
        Night {
            day: s.day,
            followers: s.followers,
            interactions: s.interactions(),
        }
    }
}

/// Earlier nights of every account, keyed by (platform, account_id): each account's
/// timeline (oldest first) and the full snapshots of the latest earlier night.
#[derive(Debug, Clone, Default)]
pub struct Histories {
    pub timelines: HashMap<(String, String), Vec<Night>>,
    /// The latest earlier night with a snapshot, and its snapshots.
    pub previous_day: Option<i32>,
    pub previous: HashMap<(String, String), Snapshot>,
    /// Every handle an account had in the nights read (several when it was renamed).
    pub handles: HashMap<(String, String), Vec<String>>,
    /// Nights read from the store.
    pub nights_read: usize,
}

impl Histories {
    /// Adds one night of one account to its timeline (call [`Histories::finish`] after).
    pub fn add_night(&mut self, s: &Snapshot) {
        self.add_handle(&s.platform, &s.account_id, &s.handle);
        self.timelines
            .entry((s.platform.clone(), s.account_id.clone()))
            .or_default()
            .push(Night::from(s));
    }

    /// Records a handle of an account.
    pub fn add_handle(&mut self, platform: &str, account_id: &str, handle: &str) {
        let v = self
            .handles
            .entry((platform.to_string(), account_id.to_string()))
            .or_default();
        if !v.iter().any(|h| h == handle) {
            v.push(handle.to_string());
        }
    }

    /// Sorts each timeline by night and keeps one snapshot per night.
    pub fn finish(&mut self) {
        for v in self.timelines.values_mut() {
            v.sort_by_key(|n| n.day);
            v.dedup_by_key(|n| n.day);
        }
    }

    pub fn get(&self, platform: &Platform, account_id: &str) -> &[Night] {
        self.timelines
            .get(&(platform.to_string(), account_id.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    pub fn previous_of(&self, platform: &Platform, account_id: &str) -> Option<&Snapshot> {
        self.previous
            .get(&(platform.to_string(), account_id.to_string()))
    }

    pub fn is_empty(&self) -> bool {
        self.timelines.is_empty()
    }
}

/// What kind of growth signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    /// Far more followers in a day than the account's own daily changes explain.
    Spike,
    /// A steady climb: many days in a row of gains too regular for an organic audience.
    Drip,
    /// Far fewer followers in a day than the account's own daily changes explain (a purge of
    /// bought followers, or mass unfollowing).
    Purge,
    /// Followers grew over the history while interactions per post did not.
    EngagementNotFollowing,
}

impl SignalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SignalKind::Spike => "follower_spike",
            SignalKind::Drip => "drip_growth",
            SignalKind::Purge => "follower_purge",
            SignalKind::EngagementNotFollowing => "engagement_not_following",
        }
    }
}

/// A growth signal with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GrowthSignal {
    pub kind: SignalKind,
    /// First and last night of the change (equal for a one-day spike or purge).
    pub from_day: i32,
    pub to_day: i32,
    /// Change in followers over those nights. Unit: accounts.
    pub followers_change: i64,
    /// Followers before the change. Unit: accounts.
    pub followers_before: u64,
    /// Spike and purge: the change's robust z-score against the account's own daily changes,
    /// `(change per day - median) / (1.4826 * MAD)`. Drip: the coefficient of variation of
    /// its daily gains. Unit: ratio.
    pub strength: f64,
    /// Change in interactions per post across the change, when known. Unit: fraction (0.2 =
    /// +20%).
    pub interactions_change: Option<f64>,
    /// The account's own largest usual swing of interactions from night to night (the
    /// quantile of its history that a change must exceed to count as following). Unit:
    /// fraction.
    pub interactions_noise: Option<f64>,
    /// Whether interactions rose with the followers (at least half as much, relatively, and
    /// beyond the account's usual swings);
    /// None when there is no interaction count yet after the change.
    pub engagement_followed: Option<bool>,
}

impl GrowthSignal {
    /// Whether this signal counts as evidence of bought followers.
    pub fn suggests_bought(&self) -> bool {
        match self.kind {
            SignalKind::Spike | SignalKind::Drip => self.engagement_followed == Some(false),
            SignalKind::EngagementNotFollowing => true,
            SignalKind::Purge => false,
        }
    }
}

fn signed(n: i64) -> String {
    if n >= 0 {
        format!("+{}", count(n as u64))
    } else {
        format!("-{}", count(n.unsigned_abs()))
    }
}

impl fmt::Display for GrowthSignal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rel = self.followers_change as f64 / self.followers_before.max(1) as f64;
        let when = if self.from_day == self.to_day {
            format!("on {}", date_of(self.to_day))
        } else {
            format!(
                "from {} to {}",
                date_of(self.from_day),
                date_of(self.to_day)
            )
        };
        let eng = match (self.interactions_change, self.engagement_followed) {
            (Some(c), Some(true)) => format!(
                "; interactions per post rose with them ({}{})",
                if c >= 0.0 { "+" } else { "" },
                percent(c)
            ),
            (Some(c), Some(false)) => match self.interactions_noise {
                Some(n) if c >= rel / 2.0 => format!(
                    "; interactions per post did not follow: {}{}, within this account's usual swings of up to +{}",
                    if c >= 0.0 { "+" } else { "" },
                    percent(c),
                    percent(n)
                ),
                _ => format!(
                    "; interactions per post did not follow ({}{})",
                    if c >= 0.0 { "+" } else { "" },
                    percent(c)
                ),
            },
            _ => "; no interaction counts after it yet".to_string(),
        };
        match self.kind {
            SignalKind::Spike => write!(
                f,
                "Follower spike {when}: {} followers ({}{}), {:.0} times the spread of its own daily changes{eng}.",
                signed(self.followers_change),
                if rel >= 0.0 { "+" } else { "" },
                percent(rel),
                self.strength
            ),
            SignalKind::Purge => write!(
                f,
                "Sudden loss of followers {when}: {} ({}), {:.0} times the spread of its own daily changes; often a platform purge of bought followers.",
                signed(self.followers_change),
                percent(rel),
                self.strength.abs()
            ),
            SignalKind::Drip => write!(
                f,
                "Steady climb {when}: {} followers ({}{}) in gains that vary only {} from day to day, more regular than an organic audience grows{eng}.",
                signed(self.followers_change),
                if rel >= 0.0 { "+" } else { "" },
                percent(rel),
                percent(self.strength)
            ),
            SignalKind::EngagementNotFollowing => write!(
                f,
                "Followers grew {} ({}{}) {when} while interactions per post changed {}{}.",
                signed(self.followers_change),
                if rel >= 0.0 { "+" } else { "" },
                percent(rel),
                if self.interactions_change.unwrap_or(0.0) >= 0.0 {
                    "+"
                } else {
                    ""
                },
                percent(self.interactions_change.unwrap_or(0.0))
            ),
        }
    }
}

/// Whether a signal is raised as a flag: everything except spikes and drips that
/// engagement followed (organic growth, reported as evidence only).
pub fn flagged(s: &GrowthSignal) -> bool {
    !(matches!(s.kind, SignalKind::Spike | SignalKind::Drip) && s.engagement_followed == Some(true))
}

/// An account's growth over the history, with its signals.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Growth {
    /// Nights with a snapshot of this account, tonight included. Unit: nights.
    pub nights: u32,
    /// First night of the history, when there is one before tonight.
    pub since_day: Option<i32>,
    /// Followers change per day since the previous snapshot. Unit: accounts per day.
    pub daily_change: Option<f64>,
    /// None when the history is long enough to look for signals; else why not (e.g. "no
    /// history yet: 3 nights, 7 needed").
    pub unavailable: Option<String>,
    pub signals: Vec<GrowthSignal>,
}

impl Growth {
    /// Signals that end tonight (new since the previous night).
    pub fn new_signals(&self, today: i32) -> impl Iterator<Item = &GrowthSignal> {
        self.signals.iter().filter(move |s| s.to_day == today)
    }
}
