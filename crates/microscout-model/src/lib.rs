//! Types shared across microscout's stages, with no heavy dependencies.
//!
//! - [`schema`]: the canonical tables (`accounts`, `posts`, `followers`) of the data contract:
//!   column names, types and which are required. Ingestion validates against it; scoring
//!   reads columns by these names.
//! - [`campaign`]: the campaign file, every setting with its default.
//! - [`AccountScore`]: one scored account, the unit that scoring hands to reporting.
//!
//! Keeping these here lets `microscout-report` consume results without depending on the
//! scoring engine (and lets both be tested without files).

pub mod campaign;
pub mod comments;
pub mod evidence;
pub mod history;
pub mod intake;
pub mod language;
pub mod ledger;
pub mod numfmt;
pub mod overlap;
pub mod reason;
pub mod rng;
pub mod sample;
pub mod schema;
pub mod suggest;
pub mod text;

pub use campaign::Campaign;

use serde::{Deserialize, Serialize};
use std::fmt;

/// A social platform of the data contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Instagram,
    Youtube,
    Tiktok,
    Facebook,
    Pinterest,
    Blog,
}

impl Platform {
    pub const ALL: [Platform; 6] = [
        Platform::Instagram,
        Platform::Youtube,
        Platform::Tiktok,
        Platform::Facebook,
        Platform::Pinterest,
        Platform::Blog,
    ];

    pub fn all() -> Vec<Platform> {
        Self::ALL.to_vec()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Instagram => "instagram",
            Platform::Youtube => "youtube",
            Platform::Tiktok => "tiktok",
            Platform::Facebook => "facebook",
            Platform::Pinterest => "pinterest",
            Platform::Blog => "blog",
        }
    }

    /// Parses a platform name, ignoring case and surrounding space.
    pub fn parse(s: &str) -> Option<Platform> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Size tier by follower count; bounds come from the campaign's `[tiers]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Nano,
    Micro,
    Mid,
    Macro,
    Mega,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Nano => "nano",
            Tier::Micro => "micro",
            Tier::Mid => "mid",
            Tier::Macro => "macro",
            Tier::Mega => "mega",
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a number in an output was obtained. Every metric carries one, so that a reader can
/// tell a measured value from an estimate, and an unavailable value from a zero.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Provenance {
    /// Computed from the input data; `note` qualifies it ("9 of 12 posts; 3 hidden").
    Measured { note: Option<String> },
    /// Computed by a model from other data; `model` names it.
    Estimated { model: String },
    /// No value: `reason` says why ("likes hidden on all 12 window posts").
    Unavailable {
        reason: crate::evidence::Unavailable,
    },
}

impl Provenance {
    pub fn measured() -> Self {
        Provenance::Measured { note: None }
    }
    pub fn measured_with(note: impl Into<String>) -> Self {
        Provenance::Measured {
            note: Some(note.into()),
        }
    }
    pub fn unavailable(reason: crate::evidence::Unavailable) -> Self {
        Provenance::Unavailable { reason }
    }
    pub fn is_available(&self) -> bool {
        !matches!(self, Provenance::Unavailable { .. })
    }
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Provenance::Measured { note: None } => f.write_str("measured"),
            Provenance::Measured { note: Some(n) } => write!(f, "measured ({n})"),
            Provenance::Estimated { model } => write!(f, "estimated by {model}"),
            Provenance::Unavailable { reason } => write!(f, "unavailable: {reason}"),
        }
    }
}

/// Where an account's email address came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailSource {
    /// The export's business/contact email field (`public_email`).
    PublicEmail,
    /// The first address found in the bio.
    Bio,
    /// Neither holds an address.
    None,
}

impl EmailSource {
    pub fn as_str(self) -> &'static str {
        match self {
            EmailSource::PublicEmail => "public_email",
            EmailSource::Bio => "bio",
            EmailSource::None => "none",
        }
    }
}

/// A flag raised on an account; `code` is stable for machines, the reason is for people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub code: FlagCode,
    /// Why, with the numbers behind it (rendered into words by its `Display`).
    pub reason: crate::evidence::FlagReason,
}

impl Flag {
    /// The flag a reason raises.
    pub fn new(reason: crate::evidence::FlagReason) -> Flag {
        Flag {
            code: reason.code(),
            reason,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagCode {
    /// Recent posts do not consistently reach the size-scaled engagement floor.
    LowEngagement,
    /// Typical engagement is far below what the account's size predicts (bought followers or
    /// an audience that no longer sees the posts).
    EngagementFarBelowSize,
    /// The account cannot be judged on engagement: too few recent posts, zero followers, or
    /// every like count hidden with too few comments to judge.
    InsufficientData,
    /// The authenticity verdict is `bought followers` (or `both`).
    BoughtFollowers,
    /// The authenticity verdict is `bought engagement` (or `both`).
    BoughtEngagement,
    /// A follower spike against the account's own history, interactions not following.
    FollowerSpike,
    /// A steady climb of followers too regular for an organic audience.
    DripGrowth,
    /// A sudden loss of followers (often a purge of bought ones).
    FollowerPurge,
    /// Followers grew over the history, interactions per post did not.
    EngagementNotFollowing,
    /// A member of an engagement pod: accounts of the drop that comment on each other's
    /// posts by arrangement.
    EngagementPod,
}

impl FlagCode {
    pub fn as_str(self) -> &'static str {
        match self {
            FlagCode::LowEngagement => "low_engagement",
            FlagCode::EngagementFarBelowSize => "engagement_far_below_size",
            FlagCode::InsufficientData => "insufficient_data",
            FlagCode::BoughtFollowers => "bought_followers",
            FlagCode::BoughtEngagement => "bought_engagement",
            FlagCode::FollowerSpike => "follower_spike",
            FlagCode::DripGrowth => "drip_growth",
            FlagCode::FollowerPurge => "follower_purge",
            FlagCode::EngagementNotFollowing => "engagement_not_following",
            FlagCode::EngagementPod => "engagement_pod",
        }
    }
}

/// An estimate with its 95% interval. Unit: as the field it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// The authenticity verdict on an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    LikelyAuthentic,
    BoughtFollowers,
    BoughtEngagement,
    Both,
    /// The fake share's interval reaches both below and above the bought-followers
    /// threshold, and nothing else says bought: the sample cannot tell.
    Uncertain,
    InsufficientData,
    /// No follower sample to judge the followers, but the comments show real readers and
    /// nothing says the engagement is bought: what there is of it is real.
    RealEngagement,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::LikelyAuthentic => "likely authentic",
            Verdict::BoughtFollowers => "bought followers",
            Verdict::BoughtEngagement => "bought engagement",
            Verdict::Both => "both",
            Verdict::Uncertain => "uncertain",
            Verdict::InsufficientData => "insufficient data",
            Verdict::RealEngagement => "real engagement",
        }
    }
    pub fn bought_followers(self) -> bool {
        matches!(self, Verdict::BoughtFollowers | Verdict::Both)
    }
    pub fn bought_engagement(self) -> bool {
        matches!(self, Verdict::BoughtEngagement | Verdict::Both)
    }
}

/// Authenticity evidence for one account (see microscout-score's `authenticity` module for
/// every formula).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Authenticity {
    /// Sampled followers the classifier labels fake. Unit: followers.
    pub sample_labelled_fake: Option<u64>,
    /// Estimated share of fake followers with its 95% interval. Unit: fraction.
    pub fake_share: Option<Estimate>,
    pub fake_share_provenance: Provenance,
    /// Share of sampled followers following more than 1,500 accounts. Unit: fraction.
    pub mass_follower_share: Option<Estimate>,
    /// Share of followers who are real and not mass followers. Unit: fraction.
    pub reachable_share: Option<Estimate>,
    /// `followers * reachable_share`. Unit: accounts.
    pub reachable_audience: Option<Estimate>,
    /// Engagement rate this drop's accounts of the same size get (the drop's fitted curve).
    /// Unit: fraction.
    pub expected_engagement_rate: Option<f64>,
    /// `engagement_rate / expected_engagement_rate`. Unit: ratio (1 = typical for the size).
    pub engagement_vs_drop: Option<f64>,
    pub engagement_vs_drop_provenance: Provenance,
    /// Where the engagement rate stands by published Instagram tier benchmarks, which
    /// disagree with each other (for orientation only; see microscout-score's `benchmarks`).
    pub published_benchmarks: Option<String>,
    /// `avg_likes / max(avg_comments, 1)` over the window. Unit: likes per comment.
    pub like_comment_ratio: Option<f64>,
    /// `like_comment_ratio` over the drop's median. Unit: ratio.
    pub like_comment_vs_drop: Option<f64>,
    /// Coefficient of variation of the window's visible like counts (`sd / mean`).
    /// Unit: ratio; low means likes held flat at one level.
    pub likes_cv: Option<f64>,
    pub verdict: Verdict,
    /// The evidence, with the numbers behind it (each renders into a sentence).
    pub reasons: Vec<crate::evidence::AuthenticityReason>,
}

impl Authenticity {
    /// The evidence as sentences, in order.
    pub fn reasons_text(&self) -> String {
        self.reasons
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A recent post that matched the campaign's keywords, kept as evidence.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BestPost {
    pub post_id: String,
    /// Unit: Unix seconds, UTC.
    pub posted_at: i64,
    pub keywords: Vec<String>,
    /// The caption's start, on one line.
    pub snippet: String,
}

/// Niche relevance of an account with its evidence (see microscout-score's `relevance`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Relevance {
    /// Unit: 0 to 1. None when the campaign has no keywords.
    pub score: Option<f64>,
    pub provenance: Provenance,
    /// Recent posts read for relevance, and those matching a keyword. Unit: posts.
    pub posts_considered: u32,
    pub on_niche_posts: u32,
    /// Keywords matched anywhere, with the number of recent posts matching each.
    pub matched_keywords: Vec<(String, u32)>,
    pub bio_keywords: Vec<String>,
    pub excluded_matched: Vec<String>,
    /// Recent posts mentioning an excluded keyword. Unit: posts.
    pub excluded_posts: u32,
    pub best_posts: Vec<BestPost>,
}

impl Default for Provenance {
    fn default() -> Self {
        Provenance::measured()
    }
}

/// The best way to reach an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ContactRoute {
    Email,
    Link,
    #[default]
    DirectMessage,
}

impl ContactRoute {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactRoute::Email => "email",
            ContactRoute::Link => "link",
            ContactRoute::DirectMessage => "direct message",
        }
    }
}

/// A contact route with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Contact {
    pub route: ContactRoute,
    /// The address, the URL, or `@handle on <platform>`.
    pub value: String,
    /// Where it came from ("the export's business email field", "the bio", ...).
    pub source: String,
}

/// Gifted-copy economics (see microscout-score's `economics`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Economics {
    /// Estimated real, reachable people engaging with a post about the book. Unit: people.
    pub engaged_readers: Option<Estimate>,
    pub engaged_readers_provenance: Provenance,
    /// `(cost per copy + fee) / engaged_readers`. Unit: the campaign's currency per reader.
    pub cost_per_engaged_reader: Option<Estimate>,
    pub cost_provenance: Provenance,
}

/// One scored account: the contract's core metrics, how each was obtained, the flags, and
/// the ranking. Units are given per field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountScore {
    pub platform: Platform,
    pub account_id: String,
    pub handle: String,
    pub display_name: Option<String>,
    /// Followers (or subscribers) at snapshot time; None for a blog whose export has no
    /// follower count (unavailable, never 0). Unit: accounts.
    pub followers: Option<u64>,
    pub following: Option<u64>,
    /// Posts on the profile, as the export reports it. Unit: posts.
    pub posts_count: Option<u64>,
    /// The size tier; None without a follower count.
    pub tier: Option<Tier>,
    /// Posts in the window (at most the campaign's `window.posts`). Unit: posts.
    pub posts_in_window: u32,
    /// Posts in the window whose like count is visible (not hidden). Unit: posts.
    pub likes_visible_posts: u32,
    /// `posted_at` of the oldest and newest post in the window. Unit: Unix seconds, UTC.
    pub window_start: Option<i64>,
    pub window_end: Option<i64>,
    /// Mean / median likes over the window's visible like counts. Unit: likes per post.
    pub avg_likes: Option<f64>,
    pub median_likes: Option<f64>,
    pub likes_provenance: Provenance,
    /// Mean / median comments over the window. Unit: comments per post.
    pub avg_comments: Option<f64>,
    pub median_comments: Option<f64>,
    pub comments_provenance: Provenance,
    /// `(avg_likes + avg_comments) / followers`. Unit: fraction (0.034 = 3.4%).
    pub engagement_rate: Option<f64>,
    pub engagement_rate_provenance: Provenance,
    /// `avg_comments / followers`: comment-based evidence, available even when every like
    /// count is hidden. Unit: fraction.
    pub comments_rate: Option<f64>,
    /// The size-scaled floor for this account (see `campaign::Engagement`). Unit: per post.
    pub likes_floor: f64,
    pub comments_floor: f64,
    /// Window posts reaching the floor (likes >= likes_floor or comments >= comments_floor).
    pub posts_at_floor: u32,
    /// `posts_at_floor / posts_in_window`. Unit: fraction.
    pub share_at_floor: Option<f64>,
    /// Rows of this account in the follower sample. Unit: followers.
    pub follower_sample_size: u64,
    /// What the comments on the account's recent posts show (the drop's comments table).
    pub comments: comments::CommentEvidence,
    /// How much of the follower sample also follows other accounts of the drop.
    #[serde(default)]
    pub overlap: overlap::FollowerOverlap,
    /// The language of the recent captions.
    #[serde(default)]
    pub language: language::Language,
    /// The language of the comments on the recent posts (the audience's).
    #[serde(default)]
    pub comment_language: language::Language,
    pub email: Option<String>,
    pub email_source: EmailSource,
    /// How to reach the account, and where that came from.
    pub contact: Contact,
    /// Readers a gifted copy may reach, and what each costs.
    pub economics: Economics,
    pub authenticity: Authenticity,
    pub relevance: Relevance,
    /// Growth over the nights microscout has seen this account (history store), with its
    /// signals (see microscout-score's `growth` module).
    pub growth: history::Growth,
    /// Where the account stands in the outreach ledger for this book.
    pub outreach: ledger::Outreach,
    pub flags: Vec<Flag>,
    /// Ranking score, 0-100 (see microscout-score's `rank` module). None when not rankable.
    pub score: Option<f64>,
    /// Rank on the shortlist (1 = best), when shortlisted.
    pub rank: Option<u32>,
    /// Why the account is not on the shortlist, when it is not.
    pub not_shortlisted_because: Option<String>,
}

impl AccountScore {
    pub fn shortlisted(&self) -> bool {
        self.rank.is_some()
    }
    pub fn flag_codes(&self) -> String {
        self.flags
            .iter()
            .map(|f| f.code.as_str())
            .collect::<Vec<_>>()
            .join(";")
    }
    pub fn reasons(&self) -> String {
        self.flags
            .iter()
            .map(|f| f.reason.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_parse_ignores_case() {
        assert_eq!(Platform::parse(" Instagram "), Some(Platform::Instagram));
        assert_eq!(Platform::parse("YOUTUBE"), Some(Platform::Youtube));
        assert_eq!(Platform::parse("myspace"), None);
    }

    #[test]
    fn provenance_reads_as_words() {
        assert_eq!(Provenance::measured().to_string(), "measured");
        assert_eq!(
            Provenance::unavailable(crate::evidence::Unavailable::NoPostsInWindow).to_string(),
            "unavailable: no posts in the window"
        );
    }
}
