//! The contract's core metrics per account, how each was obtained, and the engagement flags.
//!
//! Definitions (data contract, "Core metric definitions"); the window is defined in
//! [`crate::features`]:
//!
//! | metric | formula | unit |
//! |---|---|---|
//! | `posts_in_window` | posts in the window | posts |
//! | `avg_likes`, `median_likes` | mean / median of the window's *visible* like counts; hidden counts are left out, never read as 0 | likes per post |
//! | `avg_comments`, `median_comments` | mean / median of the window's *visible* comment counts; hidden or turned-off counts are left out, never read as 0 | comments per post |
//! | `engagement_rate` | `(avg_likes + avg_comments) / followers`; `avg_likes / followers` when every comment count is hidden (said so); null when followers = 0 or unknown (a blog without a follower count), the window is empty, or every like count in it is hidden | fraction |
//! | `comments_rate` | `avg_comments / followers`: the comment-based evidence used when likes are hidden | fraction |
//! | `likes_floor`, `comments_floor` | the seed rule of thumb scaled with size, times the account's platform norm (`campaign::Engagement::floors`, defaults and sources in `campaign::PLATFORM_NORMS`); an account without a follower count is held to the floor at `reference-followers` | per post |
//! | `posts_at_floor` | window posts with likes >= `likes_floor` or comments >= `comments_floor` | posts |
//! | `share_at_floor` | `posts_at_floor / posts_in_window` | fraction |
//! | `tier` | by followers, bounds from `[tiers]`; none without a follower count | - |
//! | `email` | `public_email`, else the first address in the bio ([`crate::email`]) | - |
//!
//! Flags (`FlagCode`), judged only with at least `engagement.min-posts` posts in the window
//! and more than 0 followers, or no follower count at all (a blog, held to the floor at the
//! reference size; otherwise `insufficient_data` says which is missing):
//! - `engagement_far_below_size`: the typical post (median likes, or median comments when
//!   fewer than `min-posts` window posts show likes) is below `far-below-fraction` of the
//!   floor, e.g. 10,000 followers and 3-5 likes per post; with fewer than `min-posts` posts
//!   showing likes and fewer showing comments, `insufficient_data` says so;
//! - `low_engagement`: fewer than `min-share-at-floor` of the window posts reach the floor.

use microscout_model::evidence::{Evidence, FlagReason, Unavailable};
use microscout_model::{
    AccountScore, Campaign, Contact, ContactRoute, EmailSource, Flag, Platform, Provenance,
};

use crate::email::find_email;
use crate::features::AccountFeatures;

/// `avg_comments / followers`, when both exist. Unit: fraction.
pub fn comments_rate(f: &AccountFeatures) -> Option<f64> {
    match (f.avg_comments, f.followers) {
        (Some(c), Some(n)) if n > 0 && f.posts_in_window > 0 => Some(c / n as f64),
        _ => None,
    }
}

/// `engagement_rate` (the module's table) and how it was obtained. Unit: fraction.
pub fn engagement_rate(f: &AccountFeatures) -> (Option<f64>, Provenance) {
    let (n, v, cv) = (
        f.posts_in_window,
        f.likes_visible_posts,
        f.comments_visible_posts,
    );
    match rate(f) {
        Rate::Unavailable(why) => (None, Provenance::unavailable(why)),
        Rate::LikesOnly(er) => (
            Some(er),
            Provenance::measured_with(format!(
                "avg_likes / followers: comments hidden or turned off on all {n} posts in the window, so the rate counts likes only"
            )),
        ),
        Rate::Both(er) if v < n || cv < n => (
            Some(er),
            Provenance::measured_with(format!("likes from {v} of {n} posts, comments from {cv}")),
        ),
        Rate::Both(er) => (Some(er), Provenance::measured()),
    }
}

/// The value of [`engagement_rate`] alone (no provenance written), for the drop-wide curve.
/// Unit: fraction.
pub fn engagement_rate_value(f: &AccountFeatures) -> Option<f64> {
    match rate(f) {
        Rate::Unavailable(_) => None,
        Rate::LikesOnly(er) | Rate::Both(er) => Some(er),
    }
}

/// Which case of the engagement rate's definition an account is in, with its value.
enum Rate {
    Unavailable(Unavailable),
    /// Every comment count hidden: likes only.
    LikesOnly(f64),
    Both(f64),
}

fn rate(f: &AccountFeatures) -> Rate {
    let n = f.posts_in_window;
    let Some(followers) = f.followers else {
        return Rate::Unavailable(Unavailable::NoFollowerCount);
    };
    if followers == 0 {
        Rate::Unavailable(Unavailable::ZeroFollowers)
    } else if n == 0 {
        Rate::Unavailable(Unavailable::NoPostsInWindow)
    } else if f.likes_visible_posts == 0 {
        Rate::Unavailable(Unavailable::LikesHiddenRate { posts: n })
    } else if let (Some(likes), None) = (f.avg_likes, f.avg_comments) {
        Rate::LikesOnly(likes / followers as f64)
    } else {
        Rate::Both(
            (f.avg_likes.unwrap_or_default() + f.avg_comments.unwrap_or_default())
                / followers as f64,
        )
    }
}

/// Builds the scored account from its features (rank and score are filled in by
/// [`crate::rank`]).
pub fn account_score(
    f: &AccountFeatures,
    stats: &crate::authenticity::DropStats,
    campaign: &Campaign,
) -> AccountScore {
    let n = f.posts_in_window;
    let v = f.likes_visible_posts;
    let window = campaign.window.posts;

    let platform = f.platform();
    let likes_provenance = if n == 0 {
        Provenance::unavailable(Unavailable::NoPostsInWindow)
    } else if v == 0 && platform == Platform::Blog {
        Provenance::unavailable(Unavailable::NoLikesOnPlatform { platform })
    } else if v == 0 {
        Provenance::unavailable(Unavailable::LikesHidden { posts: n })
    } else if v < n {
        Provenance::measured_with(format!(
            "{v} of {n} posts; {} with hidden likes left out",
            n - v
        ))
    } else {
        Provenance::measured_with(format!("{n} posts"))
    };
    let cv = f.comments_visible_posts;
    let comments_provenance = if n == 0 {
        Provenance::unavailable(Unavailable::NoPostsInWindow)
    } else if cv == 0 {
        Provenance::unavailable(Unavailable::CommentsHidden { posts: n })
    } else if cv < n {
        Provenance::measured_with(format!(
            "{cv} of {n} posts; {} with hidden or turned-off comments left out",
            n - cv
        ))
    } else if n < window {
        Provenance::measured_with(format!("{n} posts, fewer than the window of {window}"))
    } else {
        Provenance::measured_with(format!("{n} posts"))
    };
    let (engagement_rate, engagement_rate_provenance) = engagement_rate(f);

    let (email, email_source) = match (&f.public_email, f.bio.as_deref().and_then(find_email)) {
        (Some(e), _) if !e.trim().is_empty() => {
            (Some(e.trim().to_string()), EmailSource::PublicEmail)
        }
        (_, Some(e)) => (Some(e), EmailSource::Bio),
        _ => (None, EmailSource::None),
    };

    let contact = contact(f, &email, email_source);
    let e = &campaign.engagement;
    let (likes_floor, comments_floor) = e.floors(platform, f.followers);
    let share_at_floor = (n > 0).then(|| f64::from(f.posts_at_floor) / f64::from(n));
    let authenticity = crate::authenticity::assess(f, stats, campaign);
    let mut flags = engagement_flags(f, campaign);
    let verdict = authenticity.verdict;
    if verdict.bought_followers() {
        flags.push(Flag::new(FlagReason::BoughtFollowers {
            evidence: authenticity.reasons.clone(),
        }));
    }
    if verdict.bought_engagement() {
        flags.push(Flag::new(FlagReason::BoughtEngagement {
            evidence: authenticity.reasons.clone(),
        }));
    }

    AccountScore {
        platform,
        account_id: f.account_id.clone(),
        handle: f.handle.clone(),
        display_name: f.display_name.clone(),
        followers: f.followers,
        following: f.following,
        posts_count: f.posts_count,
        tier: f.followers.map(|n| campaign.tiers.tier(n)),
        posts_in_window: n,
        likes_visible_posts: v,
        window_start: f.window_start,
        window_end: f.window_end,
        avg_likes: f.avg_likes,
        median_likes: f.median_likes,
        likes_provenance,
        avg_comments: f.avg_comments,
        median_comments: f.median_comments,
        comments_provenance,
        engagement_rate,
        engagement_rate_provenance,
        comments_rate: comments_rate(f),
        likes_floor,
        comments_floor,
        posts_at_floor: f.posts_at_floor,
        share_at_floor,
        follower_sample_size: f.follower_sample_size,
        // Set by `score` from the drop's comments.
        comments: microscout_model::comments::CommentEvidence::unavailable(
            0,
            microscout_model::evidence::Unavailable::NoCommentsTable,
        ),
        overlap: Default::default(),
        language: Default::default(),
        comment_language: Default::default(),
        email,
        email_source,
        contact,
        economics: crate::economics::economics(f, engagement_rate, &authenticity, campaign),
        flags,
        authenticity,
        relevance: Default::default(),
        growth: Default::default(),
        outreach: Default::default(),
        score: None,
        rank: None,
        not_shortlisted_because: None,
    }
}

/// The contact route, best first: an email address (from the export's business email field,
/// else the bio), else a link (the profile's link field, else a link in the bio), else a
/// direct message.
pub fn contact(f: &AccountFeatures, email: &Option<String>, source: EmailSource) -> Contact {
    if let Some(e) = email {
        return Contact {
            route: ContactRoute::Email,
            value: e.clone(),
            source: match source {
                EmailSource::PublicEmail => "the export's business email field".into(),
                _ => "the bio".into(),
            },
        };
    }
    if let Some(u) = f.external_url.as_deref().filter(|u| !u.trim().is_empty()) {
        return Contact {
            route: ContactRoute::Link,
            value: u.trim().to_string(),
            source: "the profile's link".into(),
        };
    }
    if let Some(u) = f.bio.as_deref().and_then(find_link) {
        return Contact {
            route: ContactRoute::Link,
            value: u,
            source: "a link in the bio".into(),
        };
    }
    Contact {
        route: ContactRoute::DirectMessage,
        value: format!("@{} on {}", f.handle, f.platform),
        source: "the handle: the export has no email address or link".into(),
    }
}

/// The first web link in a text: `http(s)://...`, `www....`, or a bare `linktr.ee/...`.
pub fn find_link(text: &str) -> Option<String> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, '(' | ')' | ',' | '.' | '!' | '"' | '\'')))
        .find(|w| {
            // Compared in place, ignoring ASCII case (no lower-cased copy per word).
            ["http://", "https://", "www.", "linktr.ee/"]
                .iter()
                .any(|p| w.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)))
        })
        .map(str::to_string)
}

/// The seed rule of thumb as flags, each with its reason in words.
pub fn engagement_flags(f: &AccountFeatures, campaign: &Campaign) -> Vec<Flag> {
    let e = &campaign.engagement;
    let n = f.posts_in_window;
    let flag = |reason: FlagReason| vec![Flag::new(reason)];
    if f.followers == Some(0) {
        return flag(FlagReason::ZeroFollowers);
    }
    if n == 0 {
        return flag(FlagReason::NoPosts);
    }
    if n < e.min_posts {
        return flag(FlagReason::TooFewPosts {
            posts: n,
            needed: e.min_posts,
        });
    }
    let platform = f.platform();
    let (likes_floor, comments_floor) = e.floors(platform, f.followers);
    // Likes are the evidence when enough window posts show them; otherwise comments.
    let (median, floor, evidence) = match (f.median_likes, f.median_comments) {
        (Some(m), _) if f.likes_visible_posts >= e.min_posts => (m, likes_floor, Evidence::Likes),
        (_, Some(c)) if f.comments_visible_posts >= e.min_posts => (
            c,
            comments_floor,
            if platform == Platform::Blog {
                Evidence::CommentsOnly
            } else {
                Evidence::Comments {
                    hidden_likes: n - f.likes_visible_posts,
                }
            },
        ),
        _ => {
            return flag(FlagReason::TooLittleEvidence {
                likes_visible: f.likes_visible_posts,
                comments_visible: f.comments_visible_posts,
                posts: n,
                needed: e.min_posts,
            });
        }
    };
    if median < e.far_below_fraction * floor {
        return flag(FlagReason::FarBelowSize {
            evidence,
            followers: f.followers,
            median,
            posts: n,
            floor,
        });
    }
    let share = f64::from(f.posts_at_floor) / f64::from(n);
    if share < e.min_share_at_floor {
        return flag(FlagReason::LowEngagement {
            evidence,
            at_floor: f.posts_at_floor,
            posts: n,
            followers: f.followers,
            likes_floor,
            comments_floor,
            min_share: e.min_share_at_floor,
        });
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    use microscout_model::FlagCode;

    fn features(followers: u64, likes: &[Option<u64>], comments: &[u64]) -> AccountFeatures {
        let vis: Vec<f64> = likes.iter().flatten().map(|&l| l as f64).collect();
        let med = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            if v.is_empty() {
                None
            } else if v.len() % 2 == 1 {
                Some(v[v.len() / 2])
            } else {
                Some((v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0)
            }
        };
        let mean = |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
        let c: Vec<f64> = comments.iter().map(|&c| c as f64).collect();
        let e = Campaign::default().engagement;
        let (likes_floor, comments_floor) = e.floors(Platform::Instagram, Some(followers));
        let at_floor = likes
            .iter()
            .zip(comments)
            .filter(|(l, c)| {
                l.is_some_and(|l| l as f64 >= likes_floor) || **c as f64 >= comments_floor
            })
            .count();
        AccountFeatures {
            platform: "instagram".into(),
            account_id: "1".into(),
            handle: "h".into(),
            followers: Some(followers),
            posts_in_window: likes.len() as u32,
            likes_visible_posts: vis.len() as u32,
            comments_visible_posts: c.len() as u32,
            avg_likes: mean(&vis),
            median_likes: med(vis),
            avg_comments: mean(&c),
            median_comments: med(c),
            posts_at_floor: at_floor as u32,
            ..Default::default()
        }
    }

    #[test]
    fn hidden_comments_are_left_out_not_zero() {
        // Comments turned off on every post (a YouTube video, say): the rate is likes only
        // and says so; the comment metrics are unavailable, never 0.
        let mut f = features(10_000, &[Some(200), Some(180), Some(220)], &[]);
        f.posts_in_window = 3;
        // All three reach the likes floor of 100 (the helper zips likes with comments).
        f.posts_at_floor = 3;
        let s = account_score(
            &f,
            &crate::authenticity::DropStats::compute(&[], &Campaign::default()),
            &Campaign::default(),
        );
        assert_eq!(s.avg_comments, None);
        assert!(
            s.comments_provenance
                .to_string()
                .contains("turned off on all 3"),
            "{}",
            s.comments_provenance
        );
        let rate = s.engagement_rate.expect("likes give a rate");
        assert!((rate - 0.02).abs() < 1e-12, "{rate}");
        assert!(
            s.engagement_rate_provenance
                .to_string()
                .contains("counts likes only")
        );
        // Likes judge engagement; no flag for the missing comments.
        assert!(engagement_flags(&f, &Campaign::default()).is_empty());
        // Both hidden: not enough evidence, said so (not "far below its size").
        let mut both = features(10_000, &[None, None, None], &[]);
        both.posts_in_window = 3;
        let flags = engagement_flags(&both, &Campaign::default());
        assert_eq!(flags[0].code, FlagCode::InsufficientData);
        assert!(
            flags[0]
                .reason
                .to_string()
                .contains("visible on 0 and comments on 0"),
            "{}",
            flags[0].reason
        );
    }

    #[test]
    fn seed_example_is_far_below_size() {
        let f = features(10_000, &[Some(3), Some(5), Some(4), Some(4)], &[0, 1, 0, 0]);
        let flags = engagement_flags(&f, &Campaign::default());
        assert_eq!(flags[0].code, FlagCode::EngagementFarBelowSize);
        assert!(
            flags[0]
                .reason
                .to_string()
                .contains("10,000 followers but a median of 4 likes")
        );
    }

    #[test]
    fn healthy_account_is_not_flagged() {
        let f = features(10_000, &[Some(150); 12], &[25; 12]);
        assert!(engagement_flags(&f, &Campaign::default()).is_empty());
    }

    #[test]
    fn inconsistent_account_is_low_engagement() {
        let mut likes = vec![Some(40); 10];
        likes.extend([Some(900), Some(800)]);
        let f = features(10_000, &likes, &[5; 12]);
        let flags = engagement_flags(&f, &Campaign::default());
        assert_eq!(flags[0].code, FlagCode::LowEngagement, "{flags:?}");
        assert!(flags[0].reason.to_string().contains("Only 2 of 12"));
    }

    #[test]
    fn each_platform_is_held_to_its_norm() {
        let c = Campaign::default();
        // Ten posts of 120 likes and 5 comments at 10,000 followers pass Instagram's floor of
        // 100 likes, not TikTok's of 225.
        let mut f = features(10_000, &[Some(120); 10], &[5; 10]);
        assert!(engagement_flags(&f, &c).is_empty());
        f.platform = "tiktok".into();
        f.posts_at_floor = 0;
        let flags = engagement_flags(&f, &c);
        assert_eq!(flags[0].code, FlagCode::LowEngagement, "{flags:?}");
        assert!(
            flags[0].reason.to_string().contains("225 likes"),
            "{}",
            flags[0].reason
        );
        // A blog with no follower count and 4 comments a post is held to 3, not scaled.
        let mut b = features(10_000, &[None; 10], &[4; 10]);
        b.platform = "blog".into();
        b.followers = None;
        b.posts_at_floor = 10;
        assert!(engagement_flags(&b, &c).is_empty());
        let s = account_score(&b, &crate::authenticity::DropStats::compute(&[], &c), &c);
        assert_eq!(
            (s.comments_floor, s.tier, s.engagement_rate),
            (3.0, None, None)
        );
        assert!(
            s.likes_provenance.to_string().contains("no like count"),
            "{}",
            s.likes_provenance
        );
        b.median_comments = Some(0.2);
        b.posts_at_floor = 0;
        let flags = engagement_flags(&b, &c);
        assert_eq!(flags[0].code, FlagCode::EngagementFarBelowSize);
        assert!(
            flags[0].reason.to_string().contains("unknown size"),
            "{}",
            flags[0].reason
        );
    }

    #[test]
    fn hidden_likes_use_comments() {
        let f = features(10_000, &[None; 12], &[30; 12]);
        let s = account_score(
            &f,
            &crate::authenticity::DropStats::compute(&[], &Campaign::default()),
            &Campaign::default(),
        );
        assert!(s.flags.is_empty(), "{:?}", s.flags);
        assert_eq!(s.engagement_rate, None);
        assert!(
            s.engagement_rate_provenance
                .to_string()
                .contains("hidden on all 12")
        );
        assert_eq!(s.comments_rate, Some(0.003));
    }

    #[test]
    fn zero_followers_and_empty_window_are_insufficient() {
        let f = features(0, &[Some(10); 5], &[1; 5]);
        let s = account_score(
            &f,
            &crate::authenticity::DropStats::compute(&[], &Campaign::default()),
            &Campaign::default(),
        );
        assert_eq!(s.engagement_rate, None);
        assert_eq!(s.flags[0].code, FlagCode::InsufficientData);
        let f = features(5_000, &[], &[]);
        let s = account_score(
            &f,
            &crate::authenticity::DropStats::compute(&[], &Campaign::default()),
            &Campaign::default(),
        );
        assert_eq!(s.avg_likes, None);
        assert_eq!(s.flags[0].code, FlagCode::InsufficientData);
        assert!(!s.likes_provenance.is_available());
    }

    #[test]
    fn email_prefers_public_email() {
        let mut f = features(5_000, &[Some(100); 3], &[3; 3]);
        f.bio = Some("write to bio@x.com".into());
        f.public_email = Some("biz@x.com".into());
        let s = account_score(
            &f,
            &crate::authenticity::DropStats::compute(&[], &Campaign::default()),
            &Campaign::default(),
        );
        assert_eq!(s.email.as_deref(), Some("biz@x.com"));
        assert_eq!(s.email_source, EmailSource::PublicEmail);
        f.public_email = None;
        let s = account_score(
            &f,
            &crate::authenticity::DropStats::compute(&[], &Campaign::default()),
            &Campaign::default(),
        );
        assert_eq!(s.email.as_deref(), Some("bio@x.com"));
        assert_eq!(s.email_source, EmailSource::Bio);
    }

    #[test]
    fn links_are_found_in_any_case_and_without_their_punctuation() {
        let cases = [
            (
                "Shop: (HTTPS://Example.com/Kids). Thanks",
                Some("HTTPS://Example.com/Kids"),
            ),
            ("books at Www.tiny-tales.org!", Some("Www.tiny-tales.org")),
            (
                "all my links LINKTR.EE/mamareads",
                Some("LINKTR.EE/mamareads"),
            ),
            ("http:// alone counts", Some("http://")),
            ("linktr.ee without a path, wwwx.com, httpsfoo", None),
            ("é www ééé https:/ wwé.x", None),
            ("first http://a.b then https://c.d", Some("http://a.b")),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(find_link(text).as_deref(), want, "{text:?}");
        }
    }
}
