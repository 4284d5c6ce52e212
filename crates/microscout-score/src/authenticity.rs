//! Authenticity: bought followers and fake engagement, from two kinds of evidence.
//!
//! **The follower sample** (when the drop has one): every sampled follower is labelled by
//! the shipped classifier (`microscout_authenticity`, evaluated in
//! `docs/authenticity-evaluation.md`). The account's fake share is estimated from the
//! labelled share by the model's estimator (`microscout_authenticity::estimate_sample`:
//! classify and count, the best on datasets left out), with the Wilson 95% interval of the
//! labelled share corrected at every corner of the classifier's rate band (its error rates
//! on datasets left out of training): a small sample or an unstable classifier gives a
//! wide interval. Also: the mass-follower share
//! (following more than 1,500 accounts) and the reachable share
//! `(1 - fake share) * (1 - mass share among followers labelled real)`.
//!
//! **Engagement, compared within the drop** (no sample needed). A drop-wide reduce step
//! ([`DropStats::compute`]) fits the expected engagement rate against size over the drop's
//! accounts, `ln(ER) = a + b * ln(followers)`, by least squares with Huber weights (robust to
//! the bought accounts it is meant to find), and takes the drop's medians of the
//! like-to-comment ratio and of the likes' coefficient of variation. Per account:
//! - `engagement_vs_drop = ER / exp(a + b * ln(followers))` (1 = typical for its size);
//! - `like_comment_ratio = avg_likes / max(avg_comments, 1)`, against the drop median;
//! - `likes_cv = sd(likes) / mean(likes)` over the window: likes held flat at one level
//!   (organic likes vary post to post) suggest bought likes.
//!
//! **The verdict** ([`Verdict`]):
//! - *bought followers* when the sample (at least [`MIN_SAMPLE`] followers) puts the fake
//!   share's lower bound at or above [`FAKE_SHARE_BOUGHT`], or its estimate there while
//!   engagement is below [`LOW_VS_DROP`] of the drop's norm for the size;
//! - *bought engagement* when likes are held flat, or when likes come without conversation
//!   (like-to-comment ratio at least [`LIKES_PER_COMMENT_VS_DROP`] times the drop median)
//!   *and* engagement is at least [`HIGH_VS_DROP`] times the drop's norm. Likes are *flat*
//!   when their coefficient of variation is below [`FLAT_LIKES_CV`], below a quarter of the
//!   drop median, and below `max(0.05, 0.5 / sqrt(mean likes))`, half the variation that
//!   independent likes (a Poisson count) show by chance alone, with a mean of at least 20. Judged
//!   only with a full window and at least [`MIN_VISIBLE_LIKES`] visible like counts;
//! - *both* when both hold;
//! - *uncertain* when neither holds but the fake share's 95% interval reaches both below
//!   and above [`FAKE_SHARE_BOUGHT`]: the sample cannot tell (the interval carries the
//!   classifier's error rates on populations unlike its training data, so this is common,
//!   and it is said in the reasons);
//! - *likely authentic* when both questions were judged and neither holds;
//! - *insufficient data* otherwise: no (or too small a) follower sample and nothing found in
//!   the engagement, hidden likes, or fewer posts than the window. Never a confident verdict
//!   from missing evidence;
//! - the comments, the follower overlap and the account's history then add their word
//!   ([`apply_comments`], [`apply_overlap`], `growth`): bought engagement from farm
//!   comments, bought followers from farm followers, and *real engagement* for an account
//!   of insufficient data whose comments show real readers.

use microscout_authenticity::{
    FollowerModel, Interval, MASS_FOLLOWING, SampleCounts, estimate_sample,
};
use microscout_model::evidence::{AuthenticityReason, FlagReason, ShareJudgement, Unavailable};
use microscout_model::numfmt::count;
use microscout_model::{Authenticity, Campaign, Estimate, Provenance, Verdict};

use crate::features::AccountFeatures;
use crate::stats::median;

/// Smallest follower sample that is judged at all. Unit: followers.
pub const MIN_SAMPLE: u64 = 10;
/// Fake share at which followers count as bought. Unit: fraction.
pub const FAKE_SHARE_BOUGHT: f64 = 0.35;
/// Engagement below this fraction of the drop's norm for the size corroborates bought
/// followers. Unit: ratio.
pub const LOW_VS_DROP: f64 = 0.35;
/// Engagement at or above this multiple of the drop's norm is suspiciously high. Unit: ratio.
pub const HIGH_VS_DROP: f64 = 3.0;
/// Likes whose coefficient of variation is below this are held flat. Unit: ratio.
pub const FLAT_LIKES_CV: f64 = 0.1;
/// Like-to-comment ratio at least this multiple of the drop median. Unit: ratio.
pub const LIKES_PER_COMMENT_VS_DROP: f64 = 5.0;
/// Visible like counts needed to judge the likes. Unit: posts.
pub const MIN_VISIBLE_LIKES: u32 = 6;

/// Usable accounts a platform needs in the drop for its own curve and like-to-comment median;
/// a platform with fewer is compared with the whole drop's, and says so. Unit: accounts.
pub const MIN_PLATFORM_ACCOUNTS: usize = 30;

/// Drop-wide statistics: the small reduce step between feature extraction and the
/// per-account models. Audiences respond differently on each platform, so each platform with
/// enough accounts has its own curve and like-to-comment median ([`DropStats::norm`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DropStats {
    /// `ln(ER) = intercept + slope * ln(followers)` over every platform's accounts; None with
    /// fewer than 10 usable accounts.
    pub curve: Option<Curve>,
    /// Each platform's own curve, for platforms with at least [`MIN_PLATFORM_ACCOUNTS`]
    /// usable accounts.
    pub platform_curves: std::collections::BTreeMap<String, Curve>,
    /// Median like-to-comment ratio over accounts with visible likes. Unit: likes per comment.
    pub median_like_comment_ratio: Option<f64>,
    /// The same per platform, for platforms with at least [`MIN_PLATFORM_ACCOUNTS`] such
    /// accounts. Unit: likes per comment.
    pub platform_like_comment_ratios: std::collections::BTreeMap<String, f64>,
    /// Median likes CV over accounts with at least `MIN_VISIBLE_LIKES` visible likes.
    pub median_likes_cv: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Curve {
    pub intercept: f64,
    pub slope: f64,
    /// Accounts the fit used. Unit: accounts.
    pub accounts: usize,
}

impl Curve {
    /// Expected engagement rate at `followers`. Unit: fraction.
    pub fn expected(&self, followers: u64) -> f64 {
        (self.intercept + self.slope * (followers as f64).ln()).exp()
    }
}

/// `avg_likes / max(avg_comments, 1)`; None when either is unavailable (hidden comments are
/// not zero comments).
fn like_comment_ratio(f: &AccountFeatures) -> Option<f64> {
    Some(f.avg_likes? / f.avg_comments?.max(1.0))
}

fn likes_cv(f: &AccountFeatures) -> Option<f64> {
    if f.likes_visible_posts < MIN_VISIBLE_LIKES {
        return None;
    }
    let mean = f.avg_likes?;
    (mean > 0.0).then(|| f.likes_std.unwrap_or(0.0) / mean)
}

/// The drop's norms for one account's platform: its curve and like-to-comment median, and
/// whose they are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlatformStats<'a> {
    pub curve: Option<Curve>,
    pub median_like_comment_ratio: Option<f64>,
    /// The platform whose own statistics these are; None for the whole drop's.
    pub own: Option<&'a str>,
}

impl PlatformStats<'_> {
    /// Whose curve: "the drop's instagram accounts' engagement curve over 812 accounts", or
    /// "the drop's engagement curve over 95 accounts (too few blog accounts for their own)".
    pub fn describe(&self, platform: &str) -> String {
        let n = self.curve.map_or(0, |c| c.accounts);
        match self.own {
            Some(p) => format!("the drop's {p} accounts' engagement curve over {n} accounts"),
            None => format!(
                "the drop's engagement curve over {n} accounts (too few {platform} accounts for their own: {MIN_PLATFORM_ACCOUNTS} needed)"
            ),
        }
    }
}

impl DropStats {
    pub fn compute(features: &[AccountFeatures], campaign: &Campaign) -> DropStats {
        use std::collections::BTreeMap;
        let min_posts = campaign.engagement.min_posts.max(1);
        let mut points: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
        for f in features
            .iter()
            .filter(|f| f.posts_in_window >= min_posts && f.likes_visible_posts >= min_posts)
        {
            let Some(er) = crate::metrics::engagement_rate_value(f) else {
                continue;
            };
            // A rate exists only with a follower count.
            if let Some(followers) = f.followers
                && er > 0.0
            {
                points
                    .entry(f.platform.as_str())
                    .or_default()
                    .push(((followers as f64).ln(), er.ln()));
            }
        }
        let all: Vec<(f64, f64)> = points.values().flatten().copied().collect();
        let mut ratios: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        for f in features
            .iter()
            .filter(|f| f.likes_visible_posts >= min_posts)
        {
            if let Some(r) = like_comment_ratio(f) {
                ratios.entry(f.platform.as_str()).or_default().push(r);
            }
        }
        DropStats {
            curve: huber_fit(&all),
            platform_curves: points
                .iter()
                .filter(|(_, p)| p.len() >= MIN_PLATFORM_ACCOUNTS)
                .filter_map(|(k, p)| Some((k.to_string(), huber_fit(p)?)))
                .collect(),
            median_like_comment_ratio: median(ratios.values().flatten().copied().collect()),
            platform_like_comment_ratios: ratios
                .into_iter()
                .filter(|(_, r)| r.len() >= MIN_PLATFORM_ACCOUNTS)
                .filter_map(|(k, r)| Some((k.to_string(), median(r)?)))
                .collect(),
            median_likes_cv: median(features.iter().filter_map(likes_cv).collect()),
        }
    }

    /// The norms an account of `platform` is compared with: its platform's own when the drop
    /// has enough of its accounts, else the whole drop's.
    pub fn norm<'a>(&'a self, platform: &'a str) -> PlatformStats<'a> {
        match self.platform_curves.get(platform) {
            Some(c) => PlatformStats {
                curve: Some(*c),
                median_like_comment_ratio: self
                    .platform_like_comment_ratios
                    .get(platform)
                    .copied()
                    .or(self.median_like_comment_ratio),
                own: Some(platform),
            },
            None => PlatformStats {
                curve: self.curve,
                median_like_comment_ratio: self.median_like_comment_ratio,
                own: None,
            },
        }
    }
}

/// Least squares with Huber weights (k = 1.345 robust standard deviations), 20 iterations.
fn huber_fit(points: &[(f64, f64)]) -> Option<Curve> {
    if points.len() < 10 {
        return None;
    }
    let mut w = vec![1.0; points.len()];
    let (mut a, mut b) = (0.0, 0.0);
    for _ in 0..20 {
        let sw: f64 = w.iter().sum();
        let mx = points.iter().zip(&w).map(|(p, w)| w * p.0).sum::<f64>() / sw;
        let my = points.iter().zip(&w).map(|(p, w)| w * p.1).sum::<f64>() / sw;
        let sxx: f64 = points
            .iter()
            .zip(&w)
            .map(|(p, w)| w * (p.0 - mx).powi(2))
            .sum();
        let sxy: f64 = points
            .iter()
            .zip(&w)
            .map(|(p, w)| w * (p.0 - mx) * (p.1 - my))
            .sum();
        b = if sxx > 0.0 { sxy / sxx } else { 0.0 };
        a = my - b * mx;
        let res: Vec<f64> = points.iter().map(|p| p.1 - (a + b * p.0)).collect();
        let k = 1.345 * crate::stats::robust_sd(res.iter().copied()).max(1e-9);
        for (wi, r) in w.iter_mut().zip(&res) {
            *wi = if r.abs() <= k { 1.0 } else { k / r.abs() };
        }
    }
    Some(Curve {
        intercept: a,
        slope: b,
        accounts: points.len(),
    })
}

fn estimate(i: Interval) -> Estimate {
    Estimate {
        value: i.estimate,
        low: i.low,
        high: i.high,
    }
}

/// The authenticity evidence and verdict for one account.
/// Recent comments an account needs before its comments can say "bought".
pub const MIN_COMMENTS_JUDGED: u64 = 15;
/// `farm_share` at or above which comments are bought (with [`FARM_GENERIC`]).
pub const FARM_BOUGHT: f64 = 0.4;
/// `generic_share` at or above which farm comments are bought.
pub const FARM_GENERIC: f64 = 0.5;

/// `farm_share` below which comments can speak for real readers.
pub const REAL_FARM_MAX: f64 = 0.2;
/// `spam_share` below which comments can speak for real readers.
pub const REAL_SPAM_MAX: f64 = 0.3;
/// Distinct commenters comments need to speak for real readers. Unit: accounts.
pub const MIN_COMMENTERS: u64 = 10;

/// The comments' word ([`crate::comments`]), once the drop's comments are known, with at
/// least [`MIN_COMMENTS_JUDGED`] recent comments:
/// - **bought engagement** when `farm_share >= FARM_BOUGHT` and `generic_share >=
///   FARM_GENERIC`, whatever the likes say (a farm that comments also likes);
/// - **real readers** when the comments come from at least [`MIN_COMMENTERS`] handles,
///   `farm_share < REAL_FARM_MAX`, `generic_share < FARM_GENERIC`, `spam_share <
///   REAL_SPAM_MAX` and no pod writes them, on an account not judged bought: the reason
///   joins the verdict's, and an account that was *insufficient data* becomes *real
///   engagement* when no sample judged its followers (what engagement it has is real; its
///   followers are not judged), *likely authentic* when its sample was judged clean and
///   only its likes could not be. Not *likely authentic* without a sample: on generated
///   drops (three seeds, 3,000 accounts) 7-10% of the accounts this rule covers had bought
///   followers, the drop's own rate, because the real part of a bought audience comments
///   like any other; nor does it lift *uncertain*.
///
/// The reason joins the verdict's, and the verdict and flags are updated.
pub fn apply_comments(s: &mut microscout_model::AccountScore) {
    let c = &s.comments;
    let (Some(farm), Some(generic)) = (c.farm_share, c.generic_share) else {
        return;
    };
    if c.recent < MIN_COMMENTS_JUDGED {
        return;
    }
    if farm >= FARM_BOUGHT && generic >= FARM_GENERIC {
        let reason = AuthenticityReason::FarmComments {
            farm_share: farm,
            generic_share: generic,
            comments: c.recent,
        };
        say_bought(s, Some(reason), false);
        return;
    }
    let real = c.pod_share.is_none()
        && c.commenters >= MIN_COMMENTERS
        && farm < REAL_FARM_MAX
        && generic < FARM_GENERIC
        && c.spam_share.is_none_or(|x| x < REAL_SPAM_MAX);
    // (Real comments do not speak against a bought verdict: a bought audience's real part
    // comments too.)
    if real
        && !s.authenticity.verdict.bought_followers()
        && !s.authenticity.verdict.bought_engagement()
    {
        let reason = AuthenticityReason::RealComments {
            comments: c.recent,
            commenters: c.commenters,
            generic_share: generic,
            farm_share: farm,
        };
        let a = &mut s.authenticity;
        let sample_clean = a.reasons.iter().any(|r| {
            matches!(
                r,
                AuthenticityReason::FakeShare {
                    judgement: ShareJudgement::Clean,
                    ..
                }
            )
        });
        a.reasons.push(reason);
        if a.verdict == Verdict::InsufficientData {
            // Insufficient data with a clean sample: the likes could not be judged, the
            // comments now judge the engagement.
            a.verdict = if sample_clean {
                Verdict::LikelyAuthentic
            } else {
                Verdict::RealEngagement
            };
        }
    }
}

/// The follower overlap's word on bought followers ([`crate::overlap`]): with at least
/// [`crate::overlap::MIN_OVERLAP_SAMPLE`] fingerprinted followers and `farm_share >=
/// crate::overlap::FARM_BOUGHT`, the account bought followers from a farm, whatever the
/// classifier's share says (a farm's bots can be made to pass one by one, not to follow
/// fewer accounts); the reason joins the verdict's, and the verdict and flags are updated.
/// Called once the drop's overlap is known.
pub fn apply_overlap(s: &mut microscout_model::AccountScore) {
    use crate::overlap::{FARM_BOUGHT, MIN_OVERLAP_SAMPLE};
    let o = &s.overlap;
    let Some(farm) = o.farm_share else { return };
    if o.measured < MIN_OVERLAP_SAMPLE || farm < FARM_BOUGHT {
        return;
    }
    let reason = AuthenticityReason::FarmFollowers {
        farm_share: farm,
        measured: o.measured,
        farm_samples: microscout_model::overlap::FARM_SAMPLES,
        network: o.farm_network,
    };
    say_bought(s, Some(reason), true);
}

/// Adds a `reason` (None: the reasons already hold it) that says bought (followers when
/// `followers`, else engagement): the verdict becomes that, or *both* with the other, and
/// the flag of that kind carries every reason (made when the account has none yet).
pub(crate) fn say_bought(
    s: &mut microscout_model::AccountScore,
    reason: Option<AuthenticityReason>,
    followers: bool,
) {
    let a = &mut s.authenticity;
    a.verdict = match (a.verdict, followers) {
        (Verdict::Both, _)
        | (Verdict::BoughtEngagement, true)
        | (Verdict::BoughtFollowers, false) => Verdict::Both,
        (_, true) => Verdict::BoughtFollowers,
        (_, false) => Verdict::BoughtEngagement,
    };
    a.reasons.extend(reason);
    // The evidence of a bought flag: every reason but real comments (which do not speak
    // against it), on this flag and on the other bought flag when the verdict is both.
    let evidence: Vec<AuthenticityReason> = a
        .reasons
        .iter()
        .filter(|r| !matches!(r, AuthenticityReason::RealComments { .. }))
        .cloned()
        .collect();
    let both = a.verdict == Verdict::Both;
    for f in &mut s.flags {
        match &mut f.reason {
            FlagReason::BoughtFollowers { evidence: e } if followers || both => {
                *e = evidence.clone()
            }
            FlagReason::BoughtEngagement { evidence: e } if !followers || both => {
                *e = evidence.clone()
            }
            _ => {}
        }
    }
    let has = s.flags.iter().any(|f| match f.reason {
        FlagReason::BoughtFollowers { .. } => followers,
        FlagReason::BoughtEngagement { .. } => !followers,
        _ => false,
    });
    if !has {
        s.flags.push(microscout_model::Flag::new(if followers {
            FlagReason::BoughtFollowers { evidence }
        } else {
            FlagReason::BoughtEngagement { evidence }
        }));
    }
}

pub fn assess(f: &AccountFeatures, stats: &DropStats, campaign: &Campaign) -> Authenticity {
    let model = FollowerModel::shipped();
    let n = f.follower_sample_size;
    let mut reasons = Vec::new();

    // Follower sample.
    let counts = SampleCounts {
        size: n,
        fake: f.sample_fake,
        following_known: f.sample_following_known,
        mass: f.sample_mass,
        real_following_known: f.sample_real_following_known,
        real_mass: f.sample_real_mass,
    };
    let (fake_share, mass_follower_share, reachable_share, fake_share_provenance) =
        match estimate_sample(model, &counts) {
            None => (
                None,
                None,
                None,
                Provenance::unavailable(Unavailable::NoFollowerSample),
            ),
            Some(e) => (
                Some(estimate(e.fake_share)),
                e.mass_follower_share.map(estimate),
                Some(estimate(e.reachable_share)),
                Provenance::Estimated {
                    model: format!(
                        "the follower classifier over {} sampled followers ({} labelled fake), corrected for its error rates; 95% interval",
                        count(n),
                        count(f.sample_fake)
                    ),
                },
            ),
        };
    let reachable_audience = reachable_share.zip(f.followers).map(|(r, n)| Estimate {
        value: r.value * n as f64,
        low: r.low * n as f64,
        high: r.high * n as f64,
    });

    // Engagement against the drop.
    let er = crate::metrics::engagement_rate_value(f);
    let norm = stats.norm(&f.platform);
    let expected = norm
        .curve
        .zip(f.followers)
        .map(|(c, n)| c.expected(n.max(1)));
    let (engagement_vs_drop, engagement_vs_drop_provenance) = match (er, expected) {
        (Some(er), Some(exp)) if f.likes_visible_posts >= campaign.engagement.min_posts => (
            Some(er / exp),
            Provenance::Estimated {
                model: norm.describe(&f.platform),
            },
        ),
        (_, None) if f.followers.is_none() => {
            (None, Provenance::unavailable(Unavailable::NoFollowerCount))
        }
        (_, None) => (None, Provenance::unavailable(Unavailable::NoCurve)),
        (None, _) if f.posts_in_window > 0 && f.likes_visible_posts == 0 => (
            None,
            Provenance::unavailable(Unavailable::LikesHiddenEverywhere),
        ),
        _ => (
            None,
            Provenance::unavailable(Unavailable::TooFewVisibleLikes),
        ),
    };
    let lcr =
        like_comment_ratio(f).filter(|_| f.likes_visible_posts >= campaign.engagement.min_posts);
    let like_comment_vs_drop = lcr.zip(norm.median_like_comment_ratio).map(|(r, m)| r / m);
    let cv = likes_cv(f);

    // Bought followers?
    let mut uncertain_share = false;
    let bought_followers: Option<bool> = match fake_share {
        Some(fs) if n >= MIN_SAMPLE => {
            let low_eng = engagement_vs_drop.is_some_and(|r| r < LOW_VS_DROP);
            let yes = fs.low >= FAKE_SHARE_BOUGHT || (fs.value >= FAKE_SHARE_BOUGHT && low_eng);
            let judgement = if yes {
                ShareJudgement::Bought
            } else if fs.high >= FAKE_SHARE_BOUGHT {
                uncertain_share = true;
                ShareJudgement::Straddles {
                    threshold: FAKE_SHARE_BOUGHT,
                }
            } else {
                ShareJudgement::Clean
            };
            reasons.push(AuthenticityReason::FakeShare {
                share: fs,
                sample: n,
                judgement,
                mass_share: mass_follower_share.map(|m| m.value).filter(|m| *m > 0.0),
                mass_following: MASS_FOLLOWING,
            });
            Some(yes)
        }
        Some(_) => {
            reasons.push(AuthenticityReason::SampleTooSmall { sample: n });
            None
        }
        None => {
            reasons.push(AuthenticityReason::NoSample);
            None
        }
    };

    // Engagement evidence.
    if let (Some(r), Some(exp), Some(followers)) = (engagement_vs_drop, expected, f.followers) {
        reasons.push(AuthenticityReason::EngagementVsDrop {
            followers,
            median_likes: f.median_likes.map(|m| (m, f.likes_visible_posts)),
            rate: er.unwrap_or_default(),
            ratio: r,
            expected: exp,
        });
    } else if f.posts_in_window > 0
        && f.likes_visible_posts == 0
        && f.platform() != microscout_model::Platform::Blog
    {
        // (A blog post has no likes to hide.)
        reasons.push(AuthenticityReason::LikesHidden {
            posts: f.posts_in_window,
        });
    }

    // Bought engagement?
    let window_full = f.posts_in_window >= campaign.window.posts;
    let judge_likes = window_full && f.likes_visible_posts >= MIN_VISIBLE_LIKES;
    let bought_engagement: Option<bool> = if judge_likes {
        let mean = f.avg_likes.unwrap_or(0.0);
        let flat = cv.is_some_and(|c| {
            mean >= 20.0
                && c < FLAT_LIKES_CV
                && c < (0.5 / mean.sqrt()).max(0.05)
                && stats.median_likes_cv.is_none_or(|m| c < m / 4.0)
        });
        let chatless = like_comment_vs_drop.is_some_and(|r| r >= LIKES_PER_COMMENT_VS_DROP);
        let high = engagement_vs_drop.is_some_and(|r| r >= HIGH_VS_DROP);
        if flat {
            reasons.push(AuthenticityReason::FlatLikes {
                cv: cv.unwrap_or_default(),
                drop_cv: stats.median_likes_cv,
            });
        }
        if chatless {
            reasons.push(AuthenticityReason::Chatless {
                likes_per_comment: lcr.unwrap_or_default(),
                ratio: like_comment_vs_drop.unwrap_or_default(),
                drop_median: norm.median_like_comment_ratio,
            });
        }
        if high && chatless {
            reasons.push(AuthenticityReason::HighWithFewComments {
                ratio: engagement_vs_drop.unwrap_or_default(),
            });
        }
        Some(flat || (chatless && high))
    } else {
        if !window_full && f.posts_in_window > 0 {
            reasons.push(AuthenticityReason::WindowTooShort {
                posts: f.posts_in_window,
                window: campaign.window.posts,
            });
        }
        None
    };

    let verdict = match (bought_followers, bought_engagement) {
        (Some(true), Some(true)) => Verdict::Both,
        (Some(true), _) => Verdict::BoughtFollowers,
        (_, Some(true)) => Verdict::BoughtEngagement,
        _ if uncertain_share => Verdict::Uncertain,
        (Some(false), Some(false)) => Verdict::LikelyAuthentic,
        _ => Verdict::InsufficientData,
    };

    Authenticity {
        sample_labelled_fake: (n > 0).then_some(f.sample_fake),
        fake_share,
        fake_share_provenance,
        mass_follower_share,
        reachable_share,
        reachable_audience,
        expected_engagement_rate: expected,
        engagement_vs_drop,
        engagement_vs_drop_provenance,
        published_benchmarks: er
            .zip(f.followers)
            .map(|(er, n)| crate::benchmarks::placement(n, er)),
        like_comment_ratio: lcr,
        like_comment_vs_drop,
        likes_cv: cv,
        verdict,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(followers: u64, likes: f64, comments: f64, posts: u32) -> AccountFeatures {
        AccountFeatures {
            platform: "instagram".into(),
            account_id: "x".into(),
            handle: "x".into(),
            followers: Some(followers),
            posts_in_window: posts,
            likes_visible_posts: posts,
            avg_likes: Some(likes),
            median_likes: Some(likes),
            avg_comments: Some(comments),
            median_comments: Some(comments),
            likes_std: Some(likes * 0.4),
            ..Default::default()
        }
    }

    #[test]
    fn each_platform_with_enough_accounts_has_its_own_curve() {
        let c = Campaign::default();
        // Sixty Instagram accounts at 3% (the drop above, without outliers) and forty TikTok
        // accounts at ten times that, and five blogs-like Facebook pages.
        let mut v: Vec<AccountFeatures> = drop().into_iter().take(60).collect();
        for i in 0..40u64 {
            let f = 2_000 + i * 2_000;
            let er = 0.3 * (f as f64 / 10_000.0).powf(-0.3);
            let mut a = features(f, er * f as f64 * 0.96, er * f as f64 * 0.04, 12);
            a.platform = "tiktok".into();
            v.push(a);
        }
        for i in 0..5u64 {
            let mut a = features(5_000 + i, 100.0, 10.0, 12);
            a.platform = "facebook".into();
            v.push(a);
        }
        let stats = DropStats::compute(&v, &c);
        let ig = stats.norm("instagram");
        let tt = stats.norm("tiktok");
        assert_eq!(ig.own, Some("instagram"));
        assert_eq!(tt.own, Some("tiktok"));
        let at = |n: PlatformStats<'_>| n.curve.unwrap().expected(10_000);
        assert!((at(ig) - 0.03).abs() < 0.002, "{}", at(ig));
        assert!((at(tt) - 0.3).abs() < 0.02, "{}", at(tt));
        // Too few Facebook pages: the whole drop's curve, and the provenance says so.
        let fb = stats.norm("facebook");
        assert_eq!(fb.own, None);
        assert_eq!(fb.curve, stats.curve);
        assert!(
            fb.describe("facebook")
                .contains("too few facebook accounts")
        );
        // A TikTok account at TikTok's norm is not "far above" the drop: judged by its own.
        let a = &v[70];
        let got = assess(a, &stats, &c);
        let r = got.engagement_vs_drop.unwrap();
        assert!((0.8..1.25).contains(&r), "{r}");
    }

    /// A drop where ER = 3% * (f / 10,000) ^ -0.3 exactly, plus outliers.
    fn drop() -> Vec<AccountFeatures> {
        let mut v: Vec<AccountFeatures> = (0..60)
            .map(|i| {
                let f = 1_000 + i * 1_500;
                let er = 0.03 * (f as f64 / 10_000.0).powf(-0.3);
                features(f, er * f as f64 * 0.96, er * f as f64 * 0.04, 12)
            })
            .collect();
        // Outliers the robust fit must ignore.
        for i in 0..5 {
            v.push(features(20_000 + i, 5.0, 0.0, 12));
        }
        v
    }

    #[test]
    fn robust_curve_recovers_the_size_law_despite_outliers() {
        let stats = DropStats::compute(&drop(), &Campaign::default());
        let c = stats.curve.unwrap();
        assert!((c.slope + 0.3).abs() < 0.02, "{c:?}");
        assert!((c.expected(10_000) - 0.03).abs() < 0.002, "{c:?}");
    }

    #[test]
    fn no_sample_and_normal_engagement_is_insufficient_data() {
        let d = drop();
        let stats = DropStats::compute(&d, &Campaign::default());
        let a = assess(&d[10], &stats, &Campaign::default());
        assert_eq!(a.verdict, Verdict::InsufficientData);
        assert!(a.fake_share.is_none());
        assert!(
            a.reasons
                .iter()
                .any(|r| r.to_string().contains("No follower sample"))
        );
    }

    #[test]
    fn an_interval_across_the_threshold_is_uncertain_and_says_so() {
        let d = drop();
        let stats = DropStats::compute(&d, &Campaign::default());
        let mut a = d[10].clone();
        a.follower_sample_size = 100;
        a.sample_fake = 25;
        let v = assess(&a, &stats, &Campaign::default());
        let fs = v.fake_share.unwrap();
        assert!(
            fs.low < FAKE_SHARE_BOUGHT && fs.high >= FAKE_SHARE_BOUGHT,
            "{fs:?}"
        );
        assert_eq!(v.verdict, Verdict::Uncertain, "{:?}", v.reasons);
        assert!(
            v.reasons_text().contains("so the sample cannot tell"),
            "{}",
            v.reasons_text()
        );
    }

    #[test]
    fn sample_decides_and_interval_shrinks_with_size_down_to_the_model_error() {
        let d = drop();
        let stats = DropStats::compute(&d, &Campaign::default());
        let mut small = d[10].clone();
        small.follower_sample_size = 50;
        small.sample_fake = 31;
        let mut big = small.clone();
        big.follower_sample_size = 5_000;
        big.sample_fake = 3_100;
        let (a, b) = (
            assess(&small, &stats, &Campaign::default()),
            assess(&big, &stats, &Campaign::default()),
        );
        let (fa, fb) = (a.fake_share.unwrap(), b.fake_share.unwrap());
        // A bigger sample narrows the interval, but not below what the classifier's own
        // error-rate uncertainty (the model's rate band) leaves.
        let (wa, wb) = (fa.high - fa.low, fb.high - fb.low);
        assert!(wb < wa * 0.8, "{wa} {wb}");
        assert!(wb > 0.05, "{wb}");
        assert_eq!(a.verdict, Verdict::BoughtFollowers, "{:?}", a.reasons);
        let mut clean = big.clone();
        clean.sample_fake = 150;
        let c = assess(&clean, &stats, &Campaign::default());
        assert_eq!(c.verdict, Verdict::LikelyAuthentic, "{:?}", c.reasons);
    }

    #[test]
    fn real_comments_speak_for_the_engagement_not_the_followers() {
        let c = Campaign::default();
        let stats = DropStats::compute(&drop(), &c);
        let f = AccountFeatures {
            handle: "nosample".into(),
            ..features(10_000, 300.0, 12.0, 12)
        };
        let mut s = crate::metrics::account_score(&f, &stats, &c);
        assert_eq!(s.authenticity.verdict, Verdict::InsufficientData);
        s.comments = microscout_model::comments::CommentEvidence {
            recent: 40,
            commenters: 31,
            generic_share: Some(0.3),
            farm_share: Some(0.05),
            spam_share: Some(0.02),
            ..microscout_model::comments::CommentEvidence::unavailable(40, Unavailable::NoComments)
        };
        let lively = s.clone();
        let mut pod = s.clone();
        apply_comments(&mut s);
        assert_eq!(s.authenticity.verdict, Verdict::RealEngagement);
        assert!(matches!(
            s.authenticity.reasons.last(),
            Some(AuthenticityReason::RealComments { commenters: 31, .. })
        ));
        // A pod's comments, or too few commenters, say nothing of real readers.
        pod.comments.pod_share = Some(0.3);
        apply_comments(&mut pod);
        assert_eq!(pod.authenticity.verdict, Verdict::InsufficientData);
        let mut few = lively.clone();
        few.comments.commenters = 5;
        apply_comments(&mut few);
        assert_eq!(few.authenticity.verdict, Verdict::InsufficientData);
        // Farm comments that are mostly generic are bought engagement.
        let mut farm = lively;
        farm.comments.farm_share = Some(0.6);
        farm.comments.generic_share = Some(0.7);
        apply_comments(&mut farm);
        assert_eq!(farm.authenticity.verdict, Verdict::BoughtEngagement);
        assert!(
            farm.flags
                .iter()
                .any(|f| matches!(f.reason, FlagReason::BoughtEngagement { .. }))
        );
    }

    #[test]
    fn flat_chatless_likes_are_bought_engagement() {
        let d = drop();
        let stats = DropStats::compute(&d, &Campaign::default());
        let mut f = features(10_000, 600.0, 1.0, 12);
        f.likes_std = Some(6.0);
        let a = assess(&f, &stats, &Campaign::default());
        assert_eq!(a.verdict, Verdict::BoughtEngagement, "{:?}", a.reasons);
    }

    #[test]
    fn hidden_likes_and_short_windows_are_not_judged_on_likes() {
        let d = drop();
        let stats = DropStats::compute(&d, &Campaign::default());
        let mut hidden = features(10_000, 0.0, 20.0, 12);
        hidden.likes_visible_posts = 0;
        hidden.avg_likes = None;
        hidden.median_likes = None;
        let a = assess(&hidden, &stats, &Campaign::default());
        assert_eq!(a.verdict, Verdict::InsufficientData);
        assert!(a.engagement_vs_drop.is_none());
        assert!(
            a.reasons
                .iter()
                .any(|r| r.to_string().contains("unavailable, not low"))
        );

        let mut short = features(10_000, 600.0, 1.0, 5);
        short.likes_std = Some(6.0);
        let a = assess(&short, &stats, &Campaign::default());
        assert_eq!(a.verdict, Verdict::InsufficientData, "{:?}", a.reasons);
    }
}
