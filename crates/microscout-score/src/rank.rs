//! The shortlist: which accounts pass the campaign's filters, their score, and their rank.
//!
//! An account is on the shortlist when all of these hold:
//! - its platform is in `[audience] platforms`;
//! - `followers-min <= followers < followers-max` (default: the micro tier, 1,000 to <100,000);
//!   an account without a follower count (a blog) is not held to the band;
//! - its niche relevance is at least `min-relevance` (default 0.5; skipped when the campaign
//!   lists no keywords);
//! - it carries no flag: its recent posts consistently reach the size-scaled floor
//!   (`low_engagement`, `engagement_far_below_size`, `insufficient_data`), and its
//!   authenticity verdict is neither `bought followers` nor `bought engagement` nor `both`;
//! - it is not in outreach for this book (any ledger state but *not contacted*: contacted,
//!   replied, agreed, declined, copy sent, posted, paid; such accounts are listed apart).
//!
//! Its **score** (0-100) is the weighted geometric mean of five components, each in
//! [0, 1] (floored at 0.01), so a weak component cannot be bought back by strong ones: an
//! off-niche account with great engagement stays below an on-niche one with good engagement.
//! - relevance: the niche relevance score (`crate::relevance`); left out, with its weight,
//!   when the campaign lists no keywords.
//! - engagement: `r / (1 + r)` where `r` is the typical post's engagement over the floor
//!   (median likes / likes floor; median comments / comments floor when likes are hidden).
//!   At the floor (`r = 1`) it is 0.5, at 4x the floor 0.8, and it never saturates, so
//!   strong accounts stay ordered.
//! - consistency: `share_at_floor`.
//! - authenticity: `1 - high end of the fake share's 95% interval`, so an uncertain estimate
//!   costs points. Without a follower sample the fake share could be anything from 0 to
//!   100%, so the component is `1 - 1 = 0` (floored like every component) when other
//!   accounts of the drop have a sample: evidence is never outranked by its absence. When no
//!   account of the drop has a sample it tells no account from another and is left out,
//!   with its weight (as relevance is without keywords).
//! - contactability: 1 with an email address, 0.75 with a link in the profile, 0.5 when only
//!   a direct message is possible.
//!
//! `score = 100 * exp(sum_i w_i * ln(c_i) / sum_i w_i)` with the weights of `[weights]`,
//! times `[outreach] worked-before-weight` (capped at 100) for an account that posted about
//! an earlier book.
//! Ties are broken by followers (more first), then handle. Worked example with the default
//! weights (relevance 0.4, engagement 0.25, consistency 0.1, authenticity 0.2,
//! contactability 0.05): relevance 0.8, median 200 likes at a floor of 100 (r = 2,
//! engagement 2/3), 10 of 12 posts at the floor (0.833), fake share 6% (2-14%)
//! (authenticity 0.86), an email (1):
//! `ln: 0.4*ln 0.8 + 0.25*ln 0.667 + 0.1*ln 0.833 + 0.2*ln 0.86 + 0.05*ln 1 = -0.2390`,
//! `score = 100 * exp(-0.2390) = 78.7`.

use microscout_model::{AccountScore, Campaign, ContactRoute, FlagCode};

/// The engagement component in [0, 1] (see the module docs), or None when there is no
/// evidence.
pub fn engagement_component(s: &AccountScore, min_posts: u32) -> Option<f64> {
    let r = match s.median_likes {
        Some(m) if s.likes_visible_posts >= min_posts => m / s.likes_floor,
        _ => s.median_comments? / s.comments_floor,
    };
    if !r.is_finite() {
        return None;
    }
    Some(r.max(0.0) / (1.0 + r.max(0.0)))
}

/// The score in [0, 100] (see the module docs), or None when not computable.
/// `drop_has_samples`: whether any account of the drop has a follower sample.
pub fn score(s: &AccountScore, campaign: &Campaign, drop_has_samples: bool) -> Option<f64> {
    let w = &campaign.weights;
    let mut parts = vec![
        (
            w.engagement,
            engagement_component(s, campaign.engagement.min_posts)?,
        ),
        (w.consistency, s.share_at_floor?),
        (w.contactability, contactability_component(s)),
    ];
    if let Some(a) = authenticity_component(s, drop_has_samples) {
        parts.push((w.authenticity, a));
    }
    if let Some(r) = s.relevance.score {
        parts.push((w.relevance, r));
    }
    let total: f64 = parts.iter().map(|(w, _)| w).sum();
    if total <= 0.0 {
        return None;
    }
    let log_mean = parts
        .iter()
        .map(|(w, c)| w * c.clamp(FLOOR, 1.0).ln())
        .sum::<f64>()
        / total;
    // Accounts that posted about an earlier book can be favoured (capped at 100).
    let favour = if s.outreach.worked_before.is_empty() {
        1.0
    } else {
        campaign.outreach.worked_before_weight
    };
    Some((100.0 * log_mean.exp() * favour).min(100.0))
}

/// Components are floored here before the geometric mean, so one zero does not erase an
/// account (it still costs a lot: 0.01 ^ 0.25 = 0.32).
const FLOOR: f64 = 0.01;

/// The contactability component: 1 with an email address, 0.75 with only a link in the
/// profile, 0.5 when a direct message is the only route.
pub fn contactability_component(s: &AccountScore) -> f64 {
    match s.contact.route {
        ContactRoute::Email => 1.0,
        ContactRoute::Link => 0.75,
        ContactRoute::DirectMessage => 0.5,
    }
}

/// The authenticity component in [0, 1] (see the module docs); None when it is left out
/// (no account of the drop has a follower sample).
pub fn authenticity_component(s: &AccountScore, drop_has_samples: bool) -> Option<f64> {
    match s.authenticity.fake_share {
        Some(f) => Some((1.0 - f.high).clamp(0.0, 1.0)),
        None => drop_has_samples.then_some(0.0),
    }
}

/// Why the account is not on the shortlist, or None when it passes every filter.
pub fn exclusion(s: &AccountScore, campaign: &Campaign) -> Option<String> {
    let a = &campaign.audience;
    if let Some(why) = audience_exclusion(s, campaign) {
        return Some(why);
    }
    if let Some((language, what)) = crate::language::ruled_out(s, campaign) {
        return Some(format!(
            "its {what} are in {language}, not in the book's languages ({})",
            a.languages.join(", ")
        ));
    }
    if s.outreach.in_progress() {
        return Some(format!(
            "in outreach for this book: {}",
            s.outreach.describe()
        ));
    }
    if let Some(flag) = s.flags.iter().find(|f| {
        matches!(
            f.code,
            FlagCode::LowEngagement
                | FlagCode::EngagementFarBelowSize
                | FlagCode::InsufficientData
                | FlagCode::BoughtFollowers
                | FlagCode::BoughtEngagement
        )
    }) {
        return Some(format!("flagged {}", flag.code.as_str()));
    }
    // A pod that writes a quarter of an account's comments inflates its engagement: its
    // numbers are not its readers'.
    if let Some(share) = s.comments.pod_share.filter(|x| *x >= POD_EXCLUDES) {
        return Some(format!(
            "flagged engagement_pod: {} of its recent comments come from its pod",
            microscout_model::numfmt::percent(share)
        ));
    }
    None
}

/// Why the campaign's audience excludes the account (its platforms, follower band, niche),
/// or None: the filters that need nothing but the account's own numbers.
pub fn audience_exclusion(s: &AccountScore, campaign: &Campaign) -> Option<String> {
    let a = &campaign.audience;
    if !a.platforms.contains(&s.platform) {
        return Some(format!(
            "{} is not among the campaign's platforms",
            s.platform
        ));
    }
    // An account without a follower count (a blog) cannot be placed in the band and is not
    // held to it: its posts' engagement is the evidence.
    if let Some(followers) = s.followers
        && (followers < a.followers_min || followers >= a.followers_max)
    {
        return Some(format!(
            "{} followers is outside the band {} to under {}",
            microscout_model::numfmt::count(followers),
            microscout_model::numfmt::count(a.followers_min),
            microscout_model::numfmt::count(a.followers_max),
        ));
    }
    if let Some(r) = s.relevance.score.filter(|r| *r < a.min_relevance) {
        return Some(format!(
            "niche relevance {r:.2} is below the campaign's minimum of {}",
            a.min_relevance
        ));
    }
    None
}

/// Share of an account's recent comments written by its pod above which it is not
/// shortlisted (see `comments::find_pods`).
pub const POD_EXCLUDES: f64 = 0.25;

/// Scores every account, sets `rank` on those that pass the filters, and orders the list:
/// ranked accounts first by rank, then the rest by platform and handle.
pub fn rank(scored: &mut [AccountScore], campaign: &Campaign) {
    let drop_has_samples = scored.iter().any(|s| s.authenticity.fake_share.is_some());
    for s in scored.iter_mut() {
        s.score = score(s, campaign, drop_has_samples);
        s.not_shortlisted_because = exclusion(s, campaign);
        if s.not_shortlisted_because.is_none() && s.score.is_none() {
            s.not_shortlisted_because = Some("no engagement evidence to score".into());
        }
    }
    scored.sort_by(|a, b| {
        let key = |s: &AccountScore| s.not_shortlisted_because.is_some();
        key(a)
            .cmp(&key(b))
            .then_with(|| {
                if key(a) {
                    std::cmp::Ordering::Equal
                } else {
                    b.score
                        .unwrap_or(0.0)
                        .total_cmp(&a.score.unwrap_or(0.0))
                        .then(b.followers.cmp(&a.followers))
                }
            })
            .then_with(|| {
                (a.platform, &a.handle, &a.account_id).cmp(&(b.platform, &b.handle, &b.account_id))
            })
    });
    let mut next = 1;
    for s in scored.iter_mut() {
        if s.not_shortlisted_because.is_none() {
            s.rank = Some(next);
            next += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use microscout_model::Estimate;

    /// The module docs' worked example.
    fn example() -> AccountScore {
        let c = Campaign::default();
        let f = crate::features::AccountFeatures {
            platform: "instagram".into(),
            account_id: "1".into(),
            handle: "example".into(),
            followers: Some(10_000),
            posts_in_window: 12,
            likes_visible_posts: 12,
            avg_likes: Some(200.0),
            median_likes: Some(200.0),
            posts_at_floor: 10,
            ..Default::default()
        };
        let mut s = crate::metrics::account_score(
            &f,
            &crate::authenticity::DropStats::compute(&[], &c),
            &c,
        );
        s.relevance.score = Some(0.8);
        s.authenticity.fake_share = Some(Estimate {
            value: 0.06,
            low: 0.02,
            high: 0.14,
        });
        s.contact.route = ContactRoute::Email;
        s
    }

    #[test]
    fn an_account_in_another_language_stays_off_the_shortlist() {
        let mut c = Campaign::default();
        let mut s = example();
        s.flags.clear();
        s.language.code = Some("fra".into());
        assert_eq!(exclusion(&s, &c), None, "no languages set: any language");
        c.audience.languages = vec!["en".into(), "German".into()];
        let why = exclusion(&s, &c).unwrap();
        assert!(
            why.contains("French") && why.contains("en, German"),
            "{why}"
        );
        s.language.code = Some("deu".into());
        assert_eq!(exclusion(&s, &c), None);
        s.language.code = None;
        assert_eq!(exclusion(&s, &c), None, "a language not told keeps it on");
        // The audience: commenters writing in another language rule it out too, whether the
        // captions' language is told in a wanted one or not told at all.
        s.comment_language.code = Some("por".into());
        let why = exclusion(&s, &c).unwrap();
        assert!(why.contains("recent comments are in Portuguese"), "{why}");
        s.language.code = Some("eng".into());
        assert!(exclusion(&s, &c).unwrap().contains("recent comments"));
        s.language.code = Some("fra".into());
        assert!(
            exclusion(&s, &c)
                .unwrap()
                .contains("recent captions are in French"),
            "the captions come first"
        );
        s.language.code = Some("eng".into());
        s.comment_language.code = Some("deu".into());
        assert_eq!(exclusion(&s, &c), None);
    }

    #[test]
    fn worked_example_scores_78_7() {
        let s = example();
        assert_eq!(s.likes_floor, 100.0);
        assert_eq!(s.share_at_floor, Some(10.0 / 12.0));
        assert!((engagement_component(&s, 3).unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert!((authenticity_component(&s, true).unwrap() - 0.86).abs() < 1e-12);
        let score = score(&s, &Campaign::default(), true).unwrap();
        assert!((score - 78.74).abs() < 0.01, "{score}");
    }

    #[test]
    fn a_weak_component_is_not_bought_back() {
        // Off-niche (relevance 0.1) with 8x the floor loses to on-niche with 1.5x.
        let c = Campaign::default();
        let mut off = example();
        off.relevance.score = Some(0.1);
        off.median_likes = Some(800.0);
        let mut on = example();
        on.median_likes = Some(150.0);
        assert!(score(&off, &c, true).unwrap() < score(&on, &c, true).unwrap());
        // A zero is floored at 0.01, not fatal: the score stays positive.
        let mut zero = example();
        zero.relevance.score = Some(0.0);
        let z = score(&zero, &c, true).unwrap();
        assert!(z > 0.0 && z < score(&off, &c, true).unwrap(), "{z}");
    }

    #[test]
    fn weights_change_the_score_by_ratio_only() {
        let s = example();
        let mut c = Campaign::default();
        let base = score(&s, &c, true).unwrap();
        let w = &mut c.weights;
        for v in [
            &mut w.relevance,
            &mut w.engagement,
            &mut w.consistency,
            &mut w.authenticity,
            &mut w.contactability,
        ] {
            *v *= 7.0;
        }
        assert!((score(&s, &c, true).unwrap() - base).abs() < 1e-9);
        c.weights.relevance = 0.0;
        assert!((score(&s, &c, true).unwrap() - base).abs() > 0.1);
    }

    #[test]
    fn no_sample_never_outranks_a_sample() {
        let c = Campaign::default();
        let sampled = example();
        let mut unknown = example();
        unknown.authenticity.fake_share = None;
        // Unknown is the interval 0-100%: component 0 (floored), below any sample's.
        assert_eq!(authenticity_component(&unknown, true), Some(0.0));
        let mut poor = example();
        poor.authenticity.fake_share = Some(Estimate {
            value: 0.3,
            low: 0.05,
            high: 0.9,
        });
        assert!(score(&unknown, &c, true).unwrap() < score(&poor, &c, true).unwrap());
        assert!(score(&poor, &c, true).unwrap() < score(&sampled, &c, true).unwrap());
        // A drop without any sample leaves the component out: the other four decide.
        assert_eq!(authenticity_component(&unknown, false), None);
        let mut without = c.clone();
        without.weights.authenticity = 0.0;
        assert!(
            (score(&unknown, &c, false).unwrap() - score(&sampled, &without, true).unwrap()).abs()
                < 1e-9
        );
    }
}
