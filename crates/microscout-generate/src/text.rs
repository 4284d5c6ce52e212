//! Rendering accounts, posts and follower samples as canonical CSV rows.

use std::fmt::Write;
use std::ops::Range;

use crate::rng::Rng;
use crate::{Config, Kind};
use microscout_model::numfmt::rfc3339;

mod csv_row;
mod faults;
mod sample;
mod words;

use csv_row::{opt_u64, row};
pub use faults::faults;
use sample::followers;
use words::*;

pub const ACCOUNTS_HEADER: &str = "platform,account_id,handle,display_name,bio,followers,following,posts_count,is_verified,is_private,is_business,category,external_url,public_email,snapshot_at\n";
pub const POSTS_HEADER: &str =
    "platform,account_id,post_id,posted_at,likes,comments,views,caption,media_type\n";
pub const FOLLOWERS_HEADER: &str = "platform,account_id,follower_handle,follower_full_name,follower_is_private,follower_is_verified,follower_has_profile_pic,follower_followers,follower_following,follower_posts,follower_bio,follower_external_url\n";
pub const FOLLOWER_TRUTH_HEADER: &str = "platform,account_id,follower_handle,is_fake,origin\n";
pub const TRUTH_HEADER: &str = "platform,account_id,handle,kind,bought_followers,bought_engagement,on_niche,niche_share,hidden_likes,real_followers,followers,sample_fake_share\n";

/// Rendered CSV rows (each ending in a newline) for one chunk of accounts.
pub struct Chunk {
    pub accounts: Vec<String>,
    pub posts: Vec<String>,
    pub followers: Vec<String>,
    pub truth: Vec<String>,
    pub follower_truth: Vec<String>,
    /// With `--days`: the planted growth events (`GROWTH_TRUTH_HEADER`).
    pub growth_truth: Vec<String>,
    /// With `--days`: the author's ledger rows, sales rows, and every post naming the book.
    pub ledger: Vec<String>,
    pub sales: Vec<String>,
    pub delivery_truth: Vec<String>,
    /// With `--native`: the accounts written as native exports instead of canonical rows.
    pub(crate) natives: Vec<crate::native::NativeAccount>,
    /// With `--comments`: the comments rows and the comments' truth.
    pub comments: Vec<String>,
    pub comment_truth: Vec<String>,
}

pub const SALES_HEADER: &str = "date,code,units,revenue\n";
pub const DELIVERY_TRUTH_HEADER: &str =
    "platform,account_id,handle,post_id,night_date,kind,delivery\n";
/// Price of a copy in the generated sales. Unit: currency.
const PRICE: f64 = 14.99;

pub const GROWTH_TRUTH_HEADER: &str =
    "platform,account_id,handle,event,from_date,to_date,followers_change\n";

/// Letters-only encoding of an index ("a", "b", ..., "ba"), for handles without digits.
fn alpha(mut n: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'a' + (n % 26) as u8);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    s.reverse();
    String::from_utf8(s).expect("ascii")
}

const PLATFORMS: &[(&str, f64)] = &[
    ("instagram", 0.60),
    ("tiktok", 0.15),
    ("youtube", 0.12),
    ("facebook", 0.05),
    ("pinterest", 0.04),
    ("blog", 0.04),
];

fn platform(r: &mut Rng) -> &'static str {
    let mut x = r.f64();
    for (p, w) in PLATFORMS {
        if x < *w {
            return p;
        }
        x -= w;
    }
    "instagram"
}

pub fn account_id(platform: &str, i: usize) -> String {
    match platform {
        "youtube" => format!("UC{:022x}", (i as u128 + 1) * 0x9E37_79B9_7F4A_7C15),
        "tiktok" => format!("{}", 6_800_000_000_000_000_000u64 + i as u64 * 7_919),
        _ => format!("{}", 1_780_000_000u64 + i as u64 * 7_919),
    }
}

fn post_id(account_id: &str, k: usize) -> String {
    format!("{account_id}_{k}")
}

fn media_type(platform: &str, r: &mut Rng) -> &'static str {
    match platform {
        "instagram" => r.pick(&["image", "carousel", "reel", "image"]),
        "tiktok" => "video",
        "youtube" => r.pick(&["video", "short"]),
        "facebook" => r.pick(&["image", "video"]),
        "pinterest" => "pin",
        _ => "article",
    }
}

/// A post's like count as written: none at all for a blog post (blogs have no likes).
fn likes_cell(platform: &str, likes: u64) -> String {
    if platform == "blog" {
        String::new()
    } else {
        likes.to_string()
    }
}

/// The media type of the posts about the book and of the viral ones (`--days`).
fn extra_media(platform: &str) -> &'static str {
    if platform == "blog" {
        "article"
    } else {
        "image"
    }
}

#[cfg(test)]
pub(crate) fn csv_row_for_tests(fields: &[&str]) -> String {
    row(fields)
}

fn is_video(media: &str) -> bool {
    matches!(media, "video" | "reel" | "short")
}

struct Account {
    platform: &'static str,
    id: String,
    handle: String,
    kind: Kind,
    niche_share: f64,
    off_topic: usize,
    followers: u64,
    real: u64,
    like_rate: f64,
    comment_ratio: f64,
    hidden: &'static str,
    flat_likes: f64,
    /// Post-to-post variation of bought likes (coefficient of variation).
    flat_cv: f64,
    fake_share: f64,
    /// Share of the followers that were bought (0 unless `kind` is bought followers).
    bought_share: f64,
    /// Share of the real followers who are low-quality (inactive lurkers, no picture, few
    /// posts): real, but looking much like bots.
    low_quality: f64,
    /// With `--days`: the account's nights.
    pub timeline: Option<crate::timeline::Timeline>,
    /// With `--days`: the account's part in the author's campaign.
    pub plan: Option<crate::outreach::Plan>,
}

/// The reference time of the night being written (the drop's `as_of`). Unit: Unix seconds.
pub fn night_as_of(cfg: &Config) -> i64 {
    match cfg.days {
        Some(d) => cfg.as_of - (d.count - 1 - d.index) as i64 * 86_400,
        None => cfg.as_of,
    }
}

/// With `--days`: the night (0-based) whose drop first shows a post made at `t`; None
/// before the first night.
fn night_of(cfg: &Config, t: i64) -> Option<usize> {
    let d = cfg.days?;
    let first = cfg.as_of - (d.count - 1) as i64 * 86_400;
    (t > first).then(|| ((t - first + 86_399) / 86_400) as usize)
}

fn make_account(cfg: &Config, i: usize) -> (Account, String) {
    let mut r = Rng::new(cfg.seed, 1, i as u64);
    let platform = platform(&mut r);
    let id = account_id(platform, i);
    let kind = match r.f64() {
        x if x < 0.08 => Kind::BoughtFollowers,
        x if x < 0.12 => Kind::BoughtEngagement,
        _ => Kind::Organic,
    };
    let niche_share = match r.f64() {
        x if x < 0.40 => r.range(0.6, 0.95),
        x if x < 0.60 => r.range(0.15, 0.45),
        _ => r.range(0.0, 0.06),
    };
    let off_topic = r.below(OFF_TOPICS.len() as u64) as usize;
    let on = niche_share >= 0.5;
    let stem = if on || r.chance(niche_share) {
        r.pick(HANDLE_NICHE)
    } else {
        r.pick(HANDLE_OFF)
    };
    let handle = format!("{}{}{}", stem, r.pick(&["_", ".", ""]), alpha(i));
    // A blog is named by its address and a Pinterest account by its username, as their
    // exports name them.
    let id = match platform {
        "blog" => format!("{}.example", handle.replace(['_', '.'], "-")),
        "pinterest" => handle.clone(),
        _ => id,
    };

    let zero = r.chance(0.003);
    let (real, followers) = if zero {
        (0, 0)
    } else {
        match kind {
            Kind::BoughtFollowers => {
                // Bought shares spread continuously from 10% to 80% of the followers.
                let real = r.lognormal(4_000.0, 0.9).clamp(100.0, 60_000.0);
                let bought_share = r.range(0.10, 0.80);
                (real as u64, (real / (1.0 - bought_share)) as u64)
            }
            _ => {
                let f = r.lognormal(9_000.0, 1.6).clamp(40.0, 50_000_000.0) as u64;
                (f, f)
            }
        }
    };
    // Quality of the audience; a few organic accounts have an audience that no longer sees
    // their posts.
    let mut quality = r.lognormal(1.0, 0.45);
    // Some organic accounts have an audience that no longer sees their posts: dead, not
    // bought.
    if kind == Kind::Organic && r.chance(0.06) {
        quality *= r.range(0.04, 0.2);
    }
    let size = (real.max(1) as f64 / 10_000.0).powf(-0.25);
    let like_rate = 0.022 * size * quality;
    let comment_ratio = r.lognormal(0.04, 0.45);
    let hidden = match r.f64() {
        x if x < 0.06 => "all",
        x if x < 0.11 => "some",
        _ => "none",
    };
    let flat_likes = followers as f64 * r.range(0.03, 0.09);
    // Bought likes vary like real ones do, a little less: 4-15% from post to post.
    let flat_cv = r.range(0.04, 0.15);
    // Every audience has some bots (5-30% of its followers look fake or are); bought
    // followers come on top.
    let organic_fake = r.range(0.02, 0.15);
    let bought_share = match kind {
        Kind::BoughtFollowers => (followers - real) as f64 / followers.max(1) as f64,
        _ => 0.0,
    };
    let fake_share = (bought_share + (1.0 - bought_share) * organic_fake).min(0.95);
    let low_quality = r.range(0.05, 0.30);
    let plan = cfg
        .days
        .map(|d| crate::outreach::plan(cfg.seed, i, d.count, niche_share >= 0.5, followers));
    let timeline = cfg.days.map(|d| {
        crate::timeline::timeline(
            cfg.seed,
            i,
            d.count,
            followers,
            real,
            kind == Kind::BoughtFollowers,
        )
    });

    let first = r.pick(FIRST);
    let display = if on {
        format!(
            "{} | {}",
            capitalise(first),
            r.pick(&[
                "gentle parenting",
                "kids books",
                "mom of 2",
                "SEL for little ones"
            ])
        )
    } else {
        format!("{} {}", capitalise(first), capitalise(r.pick(LAST)))
    };
    let mut bio = if on || r.chance(niche_share) {
        format!(
            "{} Sharing {} and {}.",
            r.pick(&[
                "Mama of two.",
                "Former preschool teacher.",
                "Dad, reader, tired.",
                "Child psychologist."
            ]),
            r.pick(NICHE_PHRASES),
            r.pick(NICHE_PHRASES)
        )
    } else {
        let t = &OFF_TOPICS[off_topic];
        format!(
            "{} lover. {}",
            capitalise(t.0),
            t.1[r.below(t.1.len() as u64) as usize]
        )
    };
    let email_domain = r.pick(&["gmail.com", "outlook.com", "hey.com", "proton.me"]);
    let email = format!("{first}.{}@{email_domain}", alpha(i));
    let mut public_email = String::new();
    match r.f64() {
        x if x < 0.35 => {
            let _ = write!(bio, " Collabs: {email}");
        }
        x if x < 0.50 => public_email = email.clone(),
        _ => {}
    }
    let following = r.lognormal(600.0, 0.8) as u64;
    let verified = r.chance(0.01);
    let private = r.chance(0.02);
    let business = r.chance(0.3);
    let category = if business {
        if on {
            "Education"
        } else {
            OFF_TOPICS[off_topic].0
        }
    } else {
        ""
    };
    let url = if r.chance(0.3) {
        format!("https://linktr.ee/{}", handle.replace('.', "_"))
    } else {
        String::new()
    };
    let bool_s = |b: bool| if b { "true" } else { "false" };
    // Blog exports carry no follower count; a quarter of the blogs give their subscribers
    // (drawn from a stream of their own, so that other accounts are unchanged).
    let count_known = platform != "blog" || Rng::new(cfg.seed, 11, i as u64).chance(0.25);
    let followers_s = match (&timeline, cfg.days) {
        _ if !count_known => String::new(),
        (Some(t), Some(d)) => t.shown[d.index].to_string(),
        _ => followers.to_string(),
    };
    let following_s = following.to_string();
    let posts_count = (r.lognormal(150.0, 0.9) as u64).to_string();
    let snapshot = rfc3339(night_as_of(cfg) - 3_600);
    let row = row(&[
        platform,
        &id,
        &handle,
        &display,
        &bio,
        &followers_s,
        &following_s,
        &posts_count,
        bool_s(verified),
        bool_s(private),
        bool_s(business),
        category,
        &url,
        &public_email,
        &snapshot,
    ]);
    (
        Account {
            platform,
            id,
            handle,
            kind,
            niche_share,
            off_topic,
            followers,
            real,
            like_rate,
            comment_ratio,
            hidden,
            flat_likes,
            flat_cv,
            fake_share,
            bought_share,
            low_quality,
            timeline,
            plan,
        },
        row,
    )
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn caption(r: &mut Rng, a: &Account, on_niche: bool) -> String {
    if on_niche {
        let mut s = r.pick(NICHE_SENTENCES).to_string();
        if r.chance(0.5) {
            let _ = write!(s, " Talking about {} today.", r.pick(NICHE_PHRASES));
        }
        for _ in 0..(1 + r.below(4)) {
            let _ = write!(s, " {}", r.pick(NICHE_TAGS));
        }
        s
    } else {
        let t = &OFF_TOPICS[a.off_topic];
        let mut s = t.1[r.below(t.1.len() as u64) as usize].to_string();
        for _ in 0..(1 + r.below(3)) {
            let _ = write!(s, " {}", t.2[r.below(t.2.len() as u64) as usize]);
        }
        s
    }
}

/// An account of a pod span, as the comments see it.
struct SpanAccount {
    index: usize,
    platform: &'static str,
    handle: String,
    in_pod: bool,
    /// A circle of friends (niche accounts outside pods; half of them, in groups of eight
    /// consecutive accounts): its number.
    circle: Option<usize>,
}

fn span_accounts(cfg: &Config, span: usize) -> Vec<SpanAccount> {
    let n = crate::comments::POD_SPAN;
    let accounts: Vec<Account> = (span * n..((span + 1) * n).min(cfg.accounts))
        .map(|j| make_account(cfg, j).0)
        .collect();
    let platforms: Vec<&str> = accounts.iter().map(|a| a.platform).collect();
    let pod = crate::comments::pod_members(cfg.seed, span, &platforms);
    accounts
        .into_iter()
        .enumerate()
        .map(|(k, a)| {
            let j = span * n + k;
            let in_pod = pod.contains(&k);
            SpanAccount {
                index: j,
                platform: a.platform,
                handle: a.handle,
                in_pod,
                circle: crate::comments::circle(cfg.seed, j, a.niche_share >= 0.5, in_pod),
            }
        })
        .collect()
}

fn posts(
    cfg: &Config,
    i: usize,
    a: &Account,
    n: usize,
    out: &mut Vec<String>,
    mut meta: Option<&mut Vec<crate::comments::PostMeta>>,
) {
    let mut r = Rng::new(cfg.seed, 2, i as u64);
    let gap_days = r.range(1.0, 6.0);
    let mut t = cfg.as_of - (r.range(0.1, 2.0) * 86_400.0) as i64;
    for k in 0..n {
        if k > 0 && !r.chance(0.01) {
            // 1% of posts share the previous post's timestamp (a tie on posted_at).
            t -= (r.lognormal(gap_days, 0.6) * 86_400.0) as i64 + 1;
        }
        let media = media_type(a.platform, &mut r);
        let on = r.chance(a.niche_share);
        let noise = r.lognormal(1.0, 0.35);
        let viral = if r.chance(0.02) {
            r.range(3.0, 12.0)
        } else {
            1.0
        };
        // With --days: likes follow the real followers of the post's night, and a viral
        // burst's posts are liked many times more.
        let (grown, boost) = match &a.timeline {
            Some(tl) => {
                let n = night_of(cfg, t);
                (
                    tl.real_factor(n),
                    n.map_or(1.0, |n| tl.boost[n.min(tl.boost.len() - 1)]),
                )
            }
            None => (1.0, 1.0),
        };
        let (likes, comments) = match a.kind {
            Kind::BoughtEngagement => {
                let l = (a.flat_likes * (1.0 + a.flat_cv * r.normal()))
                    .max(0.0)
                    .round() as u64;
                let c = r.count(a.real as f64 * a.like_rate * a.comment_ratio * 0.3);
                (l, c)
            }
            _ => {
                let mean = a.real as f64 * grown * a.like_rate * noise * viral * boost;
                let l = r.count(mean);
                let jitter = r.lognormal(1.0, 0.3);
                let c = r.count(mean * a.comment_ratio * jitter);
                (l, c)
            }
        };
        let hidden = match a.hidden {
            "all" => true,
            "some" => r.chance(0.3),
            _ => false,
        };
        let likes_s = if hidden {
            String::new()
        } else {
            likes_cell(a.platform, likes)
        };
        let views = is_video(media).then(|| (likes as f64 * r.range(8.0, 30.0)) as u64);
        let cap = caption(&mut r, a, on);
        if t > night_as_of(cfg) {
            // Not yet posted on the night being written.
            continue;
        }
        if let Some(m) = meta.as_mut() {
            let mut rs = Rng::new(cfg.seed, 20, (i as u64) << 20 | k as u64);
            m.push(crate::comments::PostMeta {
                post_id: post_id(&a.id, k),
                posted_at: t,
                comments,
                on_niche: on,
                subject: crate::comments::subject_of(&mut rs, &cap),
            });
        }
        out.push(row(&[
            a.platform,
            &a.id,
            &post_id(&a.id, k),
            &rfc3339(t),
            &likes_s,
            &comments.to_string(),
            &opt_u64(views),
            &cap,
            media,
        ]));
    }
    // With --days: posts that name the book (after a gift, or the planted hard cases).
    if let (Some(p), Some(tl)) = (&a.plan, &a.timeline) {
        let first = cfg.as_of - (tl.shown.len() - 1) as i64 * 86_400;
        for (k, bp) in p.posts.iter().enumerate() {
            let mut r = Rng::new(cfg.seed, 10, (i * 8 + k) as u64);
            let t = first + (bp.night as i64 - 1) * 86_400 + (r.range(0.1, 0.9) * 86_400.0) as i64;
            if t > night_as_of(cfg) {
                continue;
            }
            let mean = a.real as f64 * tl.real_factor(Some(bp.night)) * a.like_rate * bp.lift;
            let likes = r.count(mean);
            let comments = r.count(mean * a.comment_ratio);
            out.push(row(&[
                a.platform,
                &a.id,
                &post_id(&a.id, 2_000_000 + k),
                &rfc3339(t),
                &likes_cell(a.platform, likes),
                &comments.to_string(),
                "",
                &bp.caption,
                extra_media(a.platform),
            ]));
        }
    }
    // With --days: the post that set off a viral burst, on its first night.
    if let Some(tl) = &a.timeline {
        for e in tl.events.iter().filter(|e| e.kind == "viral") {
            let mut r = Rng::new(cfg.seed, 8, i as u64);
            let first = cfg.as_of - (tl.shown.len() - 1) as i64 * 86_400;
            let t = first + (e.from as i64 - 1) * 86_400 + (r.range(0.2, 0.9) * 86_400.0) as i64;
            if t > night_as_of(cfg) {
                continue;
            }
            let mean =
                a.real as f64 * tl.real_factor(Some(e.from)) * a.like_rate * tl.boost[e.from];
            let likes = r.count(mean);
            let comments = r.count(mean * a.comment_ratio);
            let on = r.chance(a.niche_share);
            let cap = caption(&mut r, a, on);
            out.push(row(&[
                a.platform,
                &a.id,
                &post_id(&a.id, 1_000_000 + e.from),
                &rfc3339(t),
                &likes_cell(a.platform, likes),
                &comments.to_string(),
                "",
                &cap,
                extra_media(a.platform),
            ]));
        }
    }
}

pub fn render_chunk(
    cfg: &Config,
    range: Range<usize>,
    post_counts: &[usize],
    follower_counts: &[usize],
) -> Chunk {
    let mut c = Chunk {
        accounts: Vec::with_capacity(range.len()),
        posts: Vec::new(),
        followers: Vec::new(),
        truth: Vec::with_capacity(range.len()),
        follower_truth: Vec::new(),
        growth_truth: Vec::new(),
        ledger: Vec::new(),
        sales: Vec::new(),
        delivery_truth: Vec::new(),
        natives: Vec::new(),
        comments: Vec::new(),
        comment_truth: Vec::new(),
    };
    // With --comments: who is in each span's pods, and its niche accounts (the pods' and
    // friends' handles).
    let mut spans: std::collections::HashMap<usize, Vec<SpanAccount>> = Default::default();
    for i in range {
        let (a, account_row) = make_account(cfg, i);
        let missing = match (&a.timeline, cfg.days) {
            (Some(t), Some(d)) => t.missing[d.index],
            _ => false,
        };
        // A night the scrape missed the account: none of its rows (the truth still counts
        // it).
        let mut scratch = Vec::new();
        let (accounts_out, posts_out, followers_out) = if missing {
            (&mut scratch, &mut Vec::new(), &mut Vec::new())
        } else {
            (&mut c.accounts, &mut c.posts, &mut c.followers)
        };
        let account_fields = crate::native::fields(&account_row);
        let native = if cfg.native && cfg.days.is_none() {
            crate::native::goes_native(cfg.seed, i, a.platform, &account_fields[5])
        } else {
            None
        };
        let mut meta = Vec::new();
        let meta_out = cfg.comments.then_some(&mut meta);
        if let Some(style) = native {
            let mut rows = Vec::new();
            posts(cfg, i, &a, post_counts[i], &mut rows, meta_out);
            c.natives.push(crate::native::NativeAccount {
                account: account_fields,
                posts: rows.iter().map(|r| crate::native::fields(r)).collect(),
                style,
            });
        } else {
            accounts_out.push(account_row);
            // Accounts with 0 followers keep their posts; an empty sample stays empty.
            posts(cfg, i, &a, post_counts[i], posts_out, meta_out);
        }
        if cfg.comments && !missing {
            let span = spans
                .entry(i / crate::comments::POD_SPAN)
                .or_insert_with(|| span_accounts(cfg, i / crate::comments::POD_SPAN));
            let others = |pred: &dyn Fn(&SpanAccount) -> bool| -> Vec<String> {
                span.iter()
                    .filter(|s| s.index != i && s.platform == a.platform && pred(s))
                    .map(|s| s.handle.clone())
                    .collect()
            };
            let me = span.iter().find(|s| s.index == i).expect("in its span");
            let (in_pod, circle) = (me.in_pod, me.circle);
            let pod_members = if in_pod {
                others(&|s| s.in_pod)
            } else {
                Vec::new()
            };
            let neighbours = match circle {
                Some(c) => others(&|s| s.circle == Some(c)),
                None => Vec::new(),
            };
            let ac = crate::comments::render(
                cfg,
                i,
                a.platform,
                &a.id,
                &a.handle,
                a.kind,
                a.niche_share,
                &meta,
                &pod_members,
                &neighbours,
                row,
            );
            c.comments.extend(ac.rows);
            c.comment_truth.push(ac.truth);
        }
        let sample_share = followers(
            cfg,
            i,
            &a,
            follower_counts[i],
            followers_out,
            &mut c.follower_truth,
        );
        if let (Some(p), Some(d)) = (&a.plan, cfg.days) {
            let first = cfg.as_of - (d.count - 1) as i64 * 86_400;
            let date = |n: usize| rfc3339(first + n as i64 * 86_400)[..10].to_string();
            for l in crate::outreach::ledger_rows(p, &a.handle, &date) {
                let fields: Vec<&str> = l.iter().map(String::as_str).collect();
                c.ledger.push(row(&fields));
            }
            for (k, bp) in p.posts.iter().enumerate() {
                c.delivery_truth.push(row(&[
                    a.platform,
                    &a.id,
                    &a.handle,
                    &post_id(&a.id, 2_000_000 + k),
                    &date(bp.night),
                    bp.kind,
                    if bp.delivery { "true" } else { "false" },
                ]));
                if bp.delivery && p.units > 0 {
                    c.sales.push(row(&[
                        &date((bp.night + 1).min(d.count - 1)),
                        &p.code,
                        &p.units.to_string(),
                        &format!("{:.2}", p.units as f64 * PRICE),
                    ]));
                }
            }
        }
        if let (Some(t), Some(d)) = (&a.timeline, cfg.days) {
            let first = cfg.as_of - (d.count - 1) as i64 * 86_400;
            let date = |n: usize| rfc3339(first + n as i64 * 86_400)[..10].to_string();
            for e in &t.events {
                c.growth_truth.push(row(&[
                    a.platform,
                    &a.id,
                    &a.handle,
                    e.kind,
                    &date(e.from),
                    &date(e.to),
                    &e.change.to_string(),
                ]));
            }
        }
        let b = |x: bool| if x { "true" } else { "false" };
        c.truth.push(row(&[
            a.platform,
            &a.id,
            &a.handle,
            a.kind.as_str(),
            b(a.kind == Kind::BoughtFollowers),
            b(a.kind == Kind::BoughtEngagement),
            b(a.niche_share >= 0.5),
            &format!("{:.3}", a.niche_share),
            a.hidden,
            &match (&a.timeline, cfg.days) {
                (Some(t), Some(d)) => (t.real[d.index].round() as u64).to_string(),
                _ => a.real.to_string(),
            },
            &match (&a.timeline, cfg.days) {
                (Some(t), Some(d)) => t.shown[d.index].to_string(),
                _ => a.followers.to_string(),
            },
            &if sample_share.is_nan() {
                String::new()
            } else {
                format!("{sample_share:.3}")
            },
        ]));
    }
    c
}
