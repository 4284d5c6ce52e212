//! Why a number is missing, why a flag was raised, and the authenticity evidence, as data:
//! each carries its numbers and is rendered into words in one place ([`std::fmt::Display`]),
//! so reports and tools match on variants, never on the wording.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Estimate;
use crate::numfmt::{amount, count, percent, percent_range, ratio};

/// Why a metric has no value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "why")]
pub enum Unavailable {
    NoPostsInWindow,
    /// Every like count in the window is hidden.
    LikesHidden {
        posts: u32,
    },
    /// Every like count is hidden, so the engagement rate is; comments are the evidence.
    LikesHiddenRate {
        posts: u32,
    },
    /// Every comment count in the window is hidden or turned off.
    CommentsHidden {
        posts: u32,
    },
    ZeroFollowers,
    /// The account has no follower count (a blog).
    NoFollowerCount,
    /// The platform's posts have no like count (a blog's).
    NoLikesOnPlatform {
        platform: crate::Platform,
    },
    /// No engagement rate to base an estimate on.
    NoEngagementRate,
    /// The campaign file sets no cost per copy.
    NoCost,
    NoEngagedReaders,
    ZeroEngagedReaders,
    NoKeywords,
    NoFollowerSample,
    /// Too few accounts in the drop to fit the engagement curve.
    NoCurve,
    /// Every window post hides its likes (the drop comparison needs them).
    LikesHiddenEverywhere,
    /// No engagement rate, or too few posts with visible likes, to compare with the drop.
    TooFewVisibleLikes,
    /// The drop has no comments table.
    NoCommentsTable,
    /// The drop's comments table has no comment on the account's posts.
    NoComments,
    /// The account's comments are all on posts older than its recent ones.
    NoRecentComments,
    /// No other account of the platform in the drop has a follower sample to overlap with.
    NoOtherSamples,
    /// No recent post has a caption with words to read.
    NoCaptions,
    /// The account is outside the campaign's platforms, band or niche: its language is not
    /// read.
    LanguageNotRead,
    /// The campaign sets no `[audience] languages`: no language is read.
    NoLanguagesSet,
    /// The captions' language could not be told with confidence (too short, mixed, or
    /// mostly names and tags).
    LanguageUnclear {
        captions: u32,
    },
    /// The recent comments' language could not be told with confidence.
    CommentLanguageUnclear {
        comments: u32,
    },
    /// The account's sampled followers have no handles to compare.
    NoFollowerHandles,
    /// None of the account's sampled followers fell in the part of every sample kept for the
    /// overlap (the drop's samples were too large to hold whole).
    OverlapNotKept {
        kept_fraction: f64,
    },
}

impl Unavailable {
    /// True when the value is missing because likes are hidden (not low).
    pub fn likes_hidden(&self) -> bool {
        matches!(
            self,
            Unavailable::LikesHidden { .. }
                | Unavailable::LikesHiddenRate { .. }
                | Unavailable::LikesHiddenEverywhere
        )
    }
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unavailable::NoCommentsTable => f.write_str("the drop has no comments table"),
            Unavailable::NoComments => {
                f.write_str("no comments on the account's posts in the drop")
            }
            Unavailable::NoRecentComments => {
                f.write_str("no comments on the account's recent posts (only on older ones)")
            }
            Unavailable::NoCaptions => f.write_str("no recent caption with words to read"),
            Unavailable::NoLanguagesSet => {
                f.write_str("not read: the campaign sets no [audience] languages")
            }
            Unavailable::LanguageNotRead => f.write_str(
                "not read: the account is outside the campaign's platforms, follower band or niche",
            ),
            Unavailable::LanguageUnclear { captions } => write!(
                f,
                "the language of {} recent caption{} could not be told with confidence",
                count(u64::from(*captions)),
                if *captions == 1 { "" } else { "s" }
            ),
            Unavailable::CommentLanguageUnclear { comments } => write!(
                f,
                "the language of {} recent comment{} could not be told with confidence",
                count(u64::from(*comments)),
                if *comments == 1 { "" } else { "s" }
            ),
            Unavailable::NoOtherSamples => f.write_str(
                "no other account of the platform in the drop has a follower sample to compare with",
            ),
            Unavailable::NoFollowerHandles => {
                f.write_str("its sampled followers have no handles to compare")
            }
            Unavailable::OverlapNotKept { kept_fraction } => write!(
                f,
                "none of its sampled followers fell in the {} of every sample kept for the overlap",
                percent(*kept_fraction)
            ),
            Unavailable::NoPostsInWindow => f.write_str("no posts in the window"),
            Unavailable::LikesHidden { posts } => {
                write!(f, "likes hidden on all {posts} posts in the window")
            }
            Unavailable::LikesHiddenRate { posts } => write!(
                f,
                "likes hidden on all {posts} posts in the window (comments_rate is the evidence instead)"
            ),
            Unavailable::CommentsHidden { posts } => write!(
                f,
                "comments hidden or turned off on all {posts} posts in the window"
            ),
            Unavailable::ZeroFollowers => {
                f.write_str("0 followers, so the rate has no denominator")
            }
            Unavailable::NoLikesOnPlatform { platform } => {
                write!(
                    f,
                    "a {platform} post has no like count (comments are the evidence)"
                )
            }
            Unavailable::NoFollowerCount => f.write_str(
                "no follower count (a blog's exports carry none), so the rate has no denominator",
            ),
            Unavailable::NoEngagementRate => {
                f.write_str("no engagement rate (likes hidden, no posts, or no followers)")
            }
            Unavailable::NoCost => f.write_str("the campaign file sets no cost-per-copy"),
            Unavailable::NoEngagedReaders => f.write_str("no estimate of engaged readers"),
            Unavailable::ZeroEngagedReaders => f.write_str("no engaged readers estimated"),
            Unavailable::NoKeywords => f.write_str("the campaign lists no keywords"),
            Unavailable::NoFollowerSample => f.write_str("no follower sample in the drop"),
            Unavailable::NoCurve => {
                f.write_str("too few accounts with engagement in the drop to fit a curve")
            }
            Unavailable::LikesHiddenEverywhere => f.write_str("likes hidden on every window post"),
            Unavailable::TooFewVisibleLikes => {
                f.write_str("engagement rate unavailable or too few posts with visible likes")
            }
        }
    }
}

/// Which counts an engagement judgement rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    Likes,
    /// Comments, because likes are hidden on this many window posts.
    Comments {
        hidden_likes: u32,
    },
    /// Comments, because the platform's posts have no likes (a blog).
    CommentsOnly,
}

impl Evidence {
    fn noun(self) -> &'static str {
        match self {
            Evidence::Likes => "likes",
            Evidence::Comments { .. } | Evidence::CommentsOnly => "comments",
        }
    }
    fn note(self, posts: u32) -> String {
        match self {
            Evidence::Likes | Evidence::CommentsOnly => String::new(),
            Evidence::Comments { hidden_likes } => format!(
                "Likes are hidden on {hidden_likes} of {posts} recent posts, so comments are the evidence. "
            ),
        }
    }
}

/// What a fake share with its interval says against the bought-followers threshold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareJudgement {
    /// Bought (the low end clears the threshold, or the estimate does with dead engagement).
    Bought,
    /// Within what real audiences show (the high end is below the threshold).
    Clean,
    /// The interval reaches both sides of the threshold.
    Straddles { threshold: f64 },
}

/// One piece of authenticity evidence (see microscout-score's `authenticity` for the rules).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "evidence")]
pub enum AuthenticityReason {
    /// The estimated share of fake followers in the sample.
    FakeShare {
        share: Estimate,
        sample: u64,
        /// What the share says about bought followers.
        judgement: ShareJudgement,
        /// Share following more than `mass_following` accounts, when above 0.
        mass_share: Option<f64>,
        mass_following: u64,
    },
    SampleTooSmall {
        sample: u64,
    },
    NoSample,
    /// Engagement against accounts of the same size in the drop.
    EngagementVsDrop {
        followers: u64,
        /// Median likes and the posts showing likes, when known.
        median_likes: Option<(f64, u32)>,
        rate: f64,
        ratio: f64,
        expected: f64,
    },
    LikesHidden {
        posts: u32,
    },
    /// Likes that barely vary from post to post.
    FlatLikes {
        cv: f64,
        drop_cv: Option<f64>,
    },
    /// Many likes per comment against the drop.
    Chatless {
        likes_per_comment: f64,
        ratio: f64,
        drop_median: Option<f64>,
    },
    HighWithFewComments {
        ratio: f64,
    },
    /// **(microscout)** Most recent comments come from handles that comment across the
    /// drop (a farm's or bots'), and most are generic.
    FarmComments {
        farm_share: f64,
        generic_share: f64,
        comments: u64,
    },
    /// **(microscout)** The recent comments come from many handles, few of them farm or
    /// generic ones: real readers talk here.
    RealComments {
        comments: u64,
        commenters: u64,
        generic_share: f64,
        farm_share: f64,
    },
    /// **(microscout)** Many sampled followers are also in the samples of several other
    /// accounts of the drop: a farm's bots.
    FarmFollowers {
        farm_share: f64,
        measured: u64,
        farm_samples: u32,
        /// The farm network it was found in (`DropOverlap::farms`), if listed.
        network: Option<u32>,
    },
    /// Too few posts in the window to judge the likes.
    WindowTooShort {
        posts: u32,
        window: u32,
    },
    /// A growth signal from the account's own history.
    Growth(crate::history::GrowthSignal),
}

impl fmt::Display for AuthenticityReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthenticityReason::FakeShare {
                share,
                sample,
                judgement,
                mass_share,
                mass_following,
            } => {
                write!(
                    f,
                    "{} of {} sampled followers look fake{}.",
                    percent_range(share.value, share.low, share.high),
                    count(*sample),
                    match judgement {
                        ShareJudgement::Bought => String::new(),
                        ShareJudgement::Clean => ", within what real audiences show".into(),
                        ShareJudgement::Straddles { threshold } => format!(
                            ": the range reaches both below and above the {} that marks bought \
                             followers, so the sample cannot tell",
                            percent(*threshold)
                        ),
                    }
                )?;
                if let Some(m) = mass_share {
                    write!(
                        f,
                        " {} follow more than {} accounts and rarely see any one post.",
                        percent(*m),
                        count(*mass_following)
                    )?;
                }
                Ok(())
            }
            AuthenticityReason::SampleTooSmall { sample } => write!(
                f,
                "Only {} sampled followers: too few to estimate the fake share.",
                count(*sample)
            ),
            AuthenticityReason::NoSample => {
                f.write_str("No follower sample, so the fake share is unknown.")
            }
            AuthenticityReason::EngagementVsDrop {
                followers,
                median_likes,
                rate,
                ratio: r,
                expected,
            } => write!(
                f,
                "{} followers, {}engagement {} is {}x what accounts of this size get in this drop ({}).",
                count(*followers),
                median_likes.map_or(String::new(), |(m, posts)| format!(
                    "a median of {} likes on {posts} recent posts; ",
                    amount(m)
                )),
                percent(*rate),
                ratio(*r),
                percent(*expected)
            ),
            AuthenticityReason::LikesHidden { posts } => write!(
                f,
                "Likes are hidden on all {posts} recent posts: likes unavailable, not low."
            ),
            AuthenticityReason::FlatLikes { cv, drop_cv } => write!(
                f,
                "Likes are held flat: they vary by {} from post to post, where this drop's accounts typically vary by {}.",
                percent(*cv),
                drop_cv.map_or("n/a".into(), percent)
            ),
            AuthenticityReason::Chatless {
                likes_per_comment,
                ratio: r,
                drop_median,
            } => write!(
                f,
                "{} likes per comment, {}x this drop's typical {}: likes without conversation.",
                amount(*likes_per_comment),
                ratio(*r),
                drop_median.map_or("n/a".into(), amount)
            ),
            AuthenticityReason::HighWithFewComments { ratio: r } => write!(
                f,
                "Engagement is {}x this drop's norm for the size, with few comments.",
                ratio(*r)
            ),
            AuthenticityReason::FarmComments {
                farm_share,
                generic_share,
                comments,
            } => write!(
                f,
                "{} of its {} recent comments come from handles that comment on 5 or more \
                 accounts of this drop, and {} are generic praise: bought comments.",
                percent(*farm_share),
                count(*comments),
                percent(*generic_share)
            ),
            AuthenticityReason::RealComments {
                comments,
                commenters,
                generic_share,
                farm_share,
            } => write!(
                f,
                "Its {} recent comments come from {} different handles; {} are generic praise and \
                 {} come from handles that comment across the drop: real readers talk here.",
                count(*comments),
                count(*commenters),
                percent(*generic_share),
                percent(*farm_share)
            ),
            AuthenticityReason::FarmFollowers {
                farm_share,
                measured,
                farm_samples,
                network,
            } => {
                write!(
                    f,
                    "{} of {} sampled followers are also in the follower samples of {} or more \
                     other accounts of this drop, which real readers almost never are: bought \
                     from a farm",
                    percent(*farm_share),
                    count(*measured),
                    farm_samples.saturating_sub(1)
                )?;
                match network {
                    Some(n) => write!(f, " (farm network {n})."),
                    None => f.write_str("."),
                }
            }
            AuthenticityReason::WindowTooShort { posts, window } => write!(
                f,
                "Only {posts} posts in the window of {window}: the likes cannot be judged for bought engagement."
            ),
            AuthenticityReason::Growth(g) => g.fmt(f),
        }
    }
}

/// Why a flag was raised, with the numbers behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "why")]
pub enum FlagReason {
    ZeroFollowers,
    NoPosts,
    TooFewPosts {
        posts: u32,
        needed: u32,
    },
    /// Too few posts show likes, and too few show comments.
    TooLittleEvidence {
        likes_visible: u32,
        comments_visible: u32,
        posts: u32,
        needed: u32,
    },
    /// The typical post is far below what the size predicts.
    FarBelowSize {
        evidence: Evidence,
        /// None: no follower count (held to the floor at the reference size).
        followers: Option<u64>,
        median: f64,
        posts: u32,
        floor: f64,
    },
    /// Too few window posts reach the floor.
    LowEngagement {
        evidence: Evidence,
        at_floor: u32,
        posts: u32,
        followers: Option<u64>,
        likes_floor: f64,
        comments_floor: f64,
        min_share: f64,
    },
    BoughtFollowers {
        evidence: Vec<AuthenticityReason>,
    },
    BoughtEngagement {
        evidence: Vec<AuthenticityReason>,
    },
    /// A growth signal from the account's own history.
    Growth(crate::history::GrowthSignal),
    /// A member of an engagement pod of the drop: its partners and the share of its recent
    /// comments they wrote.
    EngagementPod {
        partners: Vec<String>,
        share: f64,
    },
}

fn sentences(evidence: &[AuthenticityReason]) -> String {
    evidence
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

impl fmt::Display for FlagReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlagReason::ZeroFollowers => {
                f.write_str("0 followers: engagement cannot be judged against size.")
            }
            FlagReason::NoPosts => {
                f.write_str("No posts in the window: nothing to judge engagement on.")
            }
            FlagReason::TooFewPosts { posts, needed } => write!(
                f,
                "Only {posts} post{} in the window; at least {needed} are needed to judge engagement.",
                if *posts == 1 { "" } else { "s" }
            ),
            FlagReason::TooLittleEvidence {
                likes_visible,
                comments_visible,
                posts,
                needed,
            } => write!(
                f,
                "Likes are visible on {likes_visible} and comments on {comments_visible} of {posts} \
                 recent posts; at least {needed} of one or the other are needed to judge engagement."
            ),
            FlagReason::FarBelowSize {
                evidence,
                followers,
                median,
                posts,
                floor,
            } => {
                let what = evidence.noun();
                match followers {
                    Some(n) => write!(
                        f,
                        "{}{} followers but a median of {} {what} on {posts} recent posts, \
                         {} of the {} {what} per post expected at this size. Bought followers, or \
                         an audience that no longer sees the posts.",
                        evidence.note(*posts),
                        count(*n),
                        amount(*median),
                        percent(median / floor),
                        amount(*floor),
                    ),
                    None => write!(
                        f,
                        "{}A median of {} {what} on {posts} recent posts, {} of the {} {what} per \
                         post of the floor for an account of unknown size (no follower count): \
                         hardly anyone responds to the posts.",
                        evidence.note(*posts),
                        amount(*median),
                        percent(median / floor),
                        amount(*floor),
                    ),
                }
            }
            FlagReason::LowEngagement {
                evidence,
                at_floor,
                posts,
                followers,
                likes_floor,
                comments_floor,
                min_share,
            } => write!(
                f,
                "{}{} of {posts} recent posts reached the floor for {} ({}); at least {} should.",
                evidence.note(*posts),
                if *at_floor == 0 {
                    "None".to_string()
                } else {
                    format!("Only {at_floor}")
                },
                match followers {
                    Some(n) => format!("{} followers", count(*n)),
                    None => "an account of unknown size (no follower count)".to_string(),
                },
                // Where posts have no likes (a blog's), the floor is in comments only.
                if *evidence == Evidence::CommentsOnly {
                    format!("{} comments", amount(*comments_floor))
                } else {
                    format!(
                        "{} likes or {} comments",
                        amount(*likes_floor),
                        amount(*comments_floor)
                    )
                },
                percent(*min_share),
            ),
            FlagReason::BoughtFollowers { evidence } => {
                write!(f, "Bought followers: {}", sentences(evidence))
            }
            FlagReason::BoughtEngagement { evidence } => {
                write!(f, "Bought engagement: {}", sentences(evidence))
            }
            FlagReason::Growth(g) => g.fmt(f),
            FlagReason::EngagementPod { partners, share } => {
                let shown: Vec<String> = partners.iter().take(5).map(|h| format!("@{h}")).collect();
                let more = partners.len().saturating_sub(shown.len());
                write!(
                    f,
                    "Part of an engagement pod with {}{} ({} accounts of this drop that comment on \
                     each other's recent posts at least every other post): {} of its recent \
                     comments come from the pod, arranged rather than written by readers.",
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    },
                    partners.len() + 1,
                    percent(*share)
                )
            }
        }
    }
}

impl FlagReason {
    /// The flag this reason raises.
    pub fn code(&self) -> crate::FlagCode {
        use crate::FlagCode;
        match self {
            FlagReason::ZeroFollowers
            | FlagReason::NoPosts
            | FlagReason::TooFewPosts { .. }
            | FlagReason::TooLittleEvidence { .. } => FlagCode::InsufficientData,
            FlagReason::FarBelowSize { .. } => FlagCode::EngagementFarBelowSize,
            FlagReason::LowEngagement { .. } => FlagCode::LowEngagement,
            FlagReason::BoughtFollowers { .. } => FlagCode::BoughtFollowers,
            FlagReason::BoughtEngagement { .. } => FlagCode::BoughtEngagement,
            FlagReason::EngagementPod { .. } => FlagCode::EngagementPod,
            FlagReason::Growth(g) => match g.kind {
                crate::history::SignalKind::Spike => FlagCode::FollowerSpike,
                crate::history::SignalKind::Drip => FlagCode::DripGrowth,
                crate::history::SignalKind::Purge => FlagCode::FollowerPurge,
                crate::history::SignalKind::EngagementNotFollowing => {
                    FlagCode::EngagementNotFollowing
                }
            },
        }
    }
}
