//! With `--comments`: the comments an export carries for each account's recent posts
//! (`comments-NNNN.csv`), and what was planted (`truth-comments.csv`).
//!
//! Messy as real comment sections are, so that no single feature gives a kind away:
//! - organic readers: a per-account audience with a few regulars and many one-off
//!   commenters (and a tenth from a drop-wide pool of the niche's readers, who comment on
//!   many accounts), writing in five languages about the post's subject or about themselves,
//!   with a share of plain praise and emoji (real readers write "so cute 😍" too), some
//!   within minutes of the post (followers with notifications on);
//! - bots every account gets: spam from a drop-wide pool of spam accounts ("check my page"),
//!   a few per post, on organic accounts too;
//! - circles of two or three niche accounts that comment on each other's posts (friends,
//!   not a pod: fewer, slower, in their own words);
//! - `bought_engagement` accounts: most of their comments from a drop-wide farm of bot
//!   handles (one pool of 400 shared across the accounts that bought), generic praise, fast;
//! - engagement pods: rings of 4-9 accounts of one platform (in half the spans of 64
//!   accounts)
//!   whose members comment on most of each other's posts, within the first hour, with short
//!   supportive texts; members also have their organic readers, and a pod may be organic
//!   otherwise or have bought followers.
//!
//! Every number is drawn from its own random streams (13, 14 and 15), so a drop with comments has
//! the same accounts and posts as one without.

use crate::rng::Rng;
use crate::{Config, Kind};

pub const COMMENTS_HEADER: &str =
    "platform,account_id,post_id,comment_id,commenter_handle,text,commented_at,likes,reply_to\n";
/// `pod`: the pod's name, empty outside one; `bought_comments`: comments on the account's
/// posts written by the farm; `comments_written`: all comments written on its posts.
pub const COMMENT_TRUTH_HEADER: &str =
    "platform,account_id,handle,pod,bought_comments,comments_written\n";

/// Accounts a pod is drawn from: one span of account indices.
pub const POD_SPAN: usize = 64;

/// Posts (most recent first) whose comments the export carries.
const POSTS_WITH_COMMENTS: usize = 12;
/// Comments an export carries per post at most (as scrapers' latest comments).
const MAX_PER_POST: u64 = 20;

/// What `posts` tells the comments about one post.
#[derive(Debug, Clone)]
pub struct PostMeta {
    pub post_id: String,
    pub posted_at: i64,
    pub comments: u64,
    pub on_niche: bool,
    /// A word of the caption (5 letters or more, lower case) that readers' comments may
    /// pick up; empty when the caption has none.
    pub subject: String,
}

/// A word of `caption` that readers may answer about: one of its words of 5 or more
/// letters (hashtags included, without `#`), picked by `r`; empty when there is none.
pub fn subject_of(r: &mut Rng, caption: &str) -> String {
    let words: Vec<&str> = caption
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 5)
        .collect();
    if words.is_empty() {
        return String::new();
    }
    words[r.below(words.len() as u64) as usize].to_lowercase()
}

/// How a reader picks up a post's subject in a comment ("{}" is the word).
const ABOUT: &[&str] = &[
    " The {} part is so us.",
    " Saving this for the {} bit!",
    " {} is exactly our struggle right now.",
    " We need more posts about {}.",
    " Never thought about {} that way.",
];

/// `text` with, at chance `p`, a sentence picking up `subject` (when there is one).
fn about(r: &mut Rng, text: String, subject: &str, p: f64) -> String {
    if subject.is_empty() || !r.chance(p) {
        return text;
    }
    let mut t = text;
    t.push_str(&r.pick(ABOUT).replace("{}", subject));
    t
}

/// The members of the pod of span `span` (indices into `platforms`, the platforms of the
/// span's accounts in order), if it has one: half the spans have a pod of 4 to 9 accounts of
/// the span's most common platform (drawn on its own stream), about 5% of all accounts.
pub fn pod_members(seed: u64, span: usize, platforms: &[&str]) -> Vec<usize> {
    let mut r = Rng::new(seed, 14, span as u64);
    if !r.chance(0.5) {
        return Vec::new();
    }
    let size = 4 + r.below(6) as usize;
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for p in platforms {
        match counts.iter_mut().find(|(q, _)| q == p) {
            Some(c) => c.1 += 1,
            None => counts.push((p, 1)),
        }
    }
    let Some(&(platform, n)) = counts.iter().max_by_key(|(_, n)| *n) else {
        return Vec::new();
    };
    if n < 4 {
        return Vec::new();
    }
    let mut candidates: Vec<usize> = (0..platforms.len())
        .filter(|&k| platforms[k] == platform)
        .collect();
    // A random subset of `size` of them (partial Fisher-Yates), in index order.
    let take = size.min(candidates.len());
    for k in 0..take {
        let j = k + r.below((candidates.len() - k) as u64) as usize;
        candidates.swap(k, j);
    }
    let mut members = candidates[..take].to_vec();
    members.sort_unstable();
    members
}

/// The circle of friends account `i` is in, if any: half the niche accounts outside pods,
/// in circles of eight consecutive account indices (members of one platform count: often
/// two to four friends).
pub fn circle(seed: u64, i: usize, niche: bool, in_pod: bool) -> Option<usize> {
    (niche && !in_pod && Rng::new(seed, 15, i as u64).chance(0.5)).then_some(i / 8)
}

const ORGANIC_NICHE: &[&str] = &[
    "My son had the exact same meltdown at the shop yesterday, naming the feeling helped",
    "We tried the breathing game tonight and it actually worked",
    "Saving this for the next tantrum, thank you",
    "Which book is this? My daughter would love it",
    "The calm down corner idea is brilliant, we need one",
    "This is so us right now with our three year old",
    "Nos pasó lo mismo con mi hija, gracias por compartir",
    "Merci pour ces conseils, on essaie ce soir avec notre fils",
    "Danke, genau das brauchen wir gerade mit unserem Kleinen",
    "Obrigada por isso, meu filho tem crises assim todos os dias",
    "Do you have tips for when they hit? That's our hardest part",
    "Reading this with tears, it's been a long week of big feelings",
];
const KIDS: &[&str] = &[
    "my son",
    "my daughter",
    "our toddler",
    "my little one",
    "our 4yo",
    "my twins",
    "our eldest",
    "my 6 year old",
    "the baby",
    "my niece",
];
const MOMENTS: &[&str] = &[
    "at bedtime",
    "at the park",
    "after daycare",
    "in the car",
    "at dinner",
    "this morning",
    "at grandma's",
    "during bath time",
    "at the supermarket",
    "on the way to school",
];
const OPENERS: &[&str] = &["", "Omg ", "Honestly ", "Yes! ", "Ha, ", "Oh ", "", ""];
const CLOSERS: &[&str] = &["", "", " 💕", " 🙏", " 😅", " ❤️", "!", " thank you", " x"];

/// A reader's comment: a sentence with its own child, moment and words, so that readers'
/// comments repeat as rarely as real ones do.
fn reader_text(r: &mut Rng, on_niche: bool) -> String {
    let base = if on_niche {
        r.pick(ORGANIC_NICHE)
    } else {
        r.pick(ORGANIC_OFF)
    };
    let mut t = format!("{}{}", r.pick(OPENERS), base);
    if on_niche && r.chance(0.6) {
        t.push_str(&format!(", {} {}", r.pick(KIDS), r.pick(MOMENTS)));
    }
    t.push_str(r.pick(CLOSERS));
    t
}

const ORGANIC_OFF: &[&str] = &[
    "That looks amazing, where is this?",
    "Need the recipe please!",
    "How long did that take you?",
    "Que bonito lugar, quiero ir",
    "Trop bien, j'adore cette idée",
    "Great shot, what camera do you use?",
    "I tried this last week and it was great",
];
const PRAISE: &[&str] = &[
    "So cute 😍",
    "Love this!",
    "❤️❤️❤️",
    "🔥🔥",
    "Amazing",
    "Beautiful 😍",
    "Wow",
    "So true!",
    "Que lindo ❤️",
    "Trop beau",
    "😂😂",
    "👏👏👏",
];
const POD_TEXTS: &[&str] = &[
    "This is so true!! 🙌",
    "Needed this today 💕",
    "Great tips, saving this ✨",
    "Love this so much!",
    "Yes yes yes 🙌",
    "So important, thank you for sharing 💛",
    "Obsessed with this post",
    "Such a good reminder 💕",
];
const SPAM_TEXTS: &[&str] = &[
    "Check my page for free followers",
    "DM us to collaborate, link in bio 🚀",
    "Promote it on @growthpage_official",
    "I made $3000 this week trading, ask me how",
    "Send a DM to @brandambassador_hq for a collab",
    "Nice pic! Check out my profile 🔥",
];
const FARM_TEXTS: &[&str] = &[
    "Nice pic 🔥",
    "Amazing 😍",
    "Great post!",
    "Love it ❤️",
    "Wow 🔥🔥",
    "Beautiful",
    "Awesome content",
    "😍😍😍",
    "Nice",
    "Super 👍",
];

fn farm_handle(k: u64) -> String {
    format!("farm_{:05}x", k)
}

fn spam_handle(k: u64) -> String {
    format!(
        "promo.{}_{}",
        ["deals", "grow", "collab", "boost"][(k % 4) as usize],
        k
    )
}

/// One account's comment rows and its truth row.
pub struct AccountComments {
    pub rows: Vec<String>,
    pub truth: String,
}

/// The comments of account `i`'s recent posts (`posts`, most recent first).
#[allow(clippy::too_many_arguments)]
pub fn render(
    cfg: &Config,
    i: usize,
    platform: &str,
    account_id: &str,
    handle: &str,
    kind: Kind,
    niche_share: f64,
    posts: &[PostMeta],
    pod_members: &[String],
    neighbours: &[String],
    row: impl Fn(&[&str]) -> String,
) -> AccountComments {
    let mut r = Rng::new(cfg.seed, 13, i as u64);
    // Whether a comment picks up its post's subject: a stream of its own, so the rest of
    // the comments are drawn as they were before comments named their posts.
    let mut ra = Rng::new(cfg.seed, 21, i as u64);
    // Comments are written before the night's export: none after its reference time.
    let night = crate::text::night_as_of(cfg);
    let audience = 30 + r.below(400);
    let mut rows = Vec::new();
    let (mut bought, mut written) = (0u64, 0u64);
    let mut n_comment = 0u64;
    // How faithfully each pod partner and each friend shows up on this account's posts:
    // pods are not perfectly kept (members skip, leave, join late), friends vary.
    let pod_rate: Vec<f64> = pod_members.iter().map(|_| r.range(0.3, 0.95)).collect();
    let friend_rate: Vec<f64> = neighbours.iter().map(|_| r.range(0.15, 0.65)).collect();
    for p in posts.iter().take(POSTS_WITH_COMMENTS) {
        let mut emit = |r: &mut Rng, who: String, text: &str, delay: i64, bought_one: bool| {
            let at = microscout_model::numfmt::rfc3339((p.posted_at + delay.max(1)).min(night));
            let likes = r.below(4).to_string();
            rows.push(row(&[
                platform,
                "",
                &p.post_id,
                &format!("{}_c{n_comment}", p.post_id),
                &who,
                text,
                &at,
                &likes,
                "",
            ]));
            n_comment += 1;
            written += 1;
            bought += u64::from(bought_one);
        };
        let shown = p.comments.min(MAX_PER_POST);
        // Pod members first: most of them, within the first hour.
        for (m, rate) in pod_members.iter().zip(&pod_rate) {
            if r.chance(*rate) {
                // Most within the first hour (the pod's rule), some later in the day.
                let delay = if r.chance(0.75) {
                    (r.range(1.0, 60.0) * 60.0) as i64
                } else {
                    (r.lognormal(5.0, 0.8) * 3600.0) as i64
                };
                // Pods praise in stock phrases, each member in its own way (an opener, a
                // closer, an emoji of its own), now and then naming the post. (The variation
                // is drawn on its own stream: the rest of the drop is as before.)
                let text = if r.chance(0.7) {
                    let stock = r.pick(POD_TEXTS);
                    format!("{}{}{}", ra.pick(OPENERS), stock, ra.pick(CLOSERS))
                } else {
                    reader_text(&mut r, p.on_niche)
                };
                let text = about(&mut ra, text, &p.subject, 0.15);
                emit(&mut r, m.clone(), &text, delay, false);
            }
        }
        // Friends of the niche: accounts that know each other comment on a good part of
        // each other's posts (a circle of two or three, as real micro-influencers have), at
        // their own pace and in their own words.
        for (who, rate) in neighbours.iter().zip(&friend_rate) {
            if r.chance(*rate) {
                let text = if r.chance(0.4) {
                    r.pick(PRAISE).to_string()
                } else {
                    reader_text(&mut r, p.on_niche)
                };
                let delay = (r.lognormal(2.0, 1.2) * 3600.0) as i64;
                emit(&mut r, who.clone(), &text, delay, false);
            }
        }
        for _ in 0..shown {
            let farm_share = if kind == Kind::BoughtEngagement {
                r.range(0.55, 0.9)
            } else {
                0.0
            };
            if r.chance(farm_share) {
                // One farm of 400 bots sells to the drop's buyers.
                let who = farm_handle(r.below(400));
                let delay = (r.range(0.5, 20.0) * 60.0) as i64;
                let text = r.pick(FARM_TEXTS);
                emit(&mut r, who, text, delay, true);
                continue;
            }
            if r.chance(0.04) {
                let who = spam_handle(r.below(200));
                let delay = (r.lognormal(2.0, 1.2) * 3600.0) as i64;
                let text = r.pick(SPAM_TEXTS);
                emit(&mut r, who, text, delay, false);
                continue;
            }
            // A reader: regulars (the first tenth of the audience) write a third of the
            // comments; one in ten is a reader of the niche who comments on many of its
            // accounts (a drop-wide pool), as real readers follow several accounts.
            let who = if r.chance(0.1) {
                format!("niche.reader_{}", r.below(5000))
            } else {
                let reader = if r.chance(0.33) {
                    r.below(audience / 10 + 1)
                } else {
                    r.below(audience)
                };
                format!("{handle}_r{reader}")
            };
            // Readers answer the post about a third of the time (real readers often do; many
            // only praise or talk of their own child).
            let text = if r.chance(0.3) {
                r.pick(PRAISE).to_string()
            } else {
                let on = p.on_niche || r.chance(niche_share * 0.3);
                let t = reader_text(&mut r, on);
                about(&mut ra, t, &p.subject, 0.45)
            };
            // Followers with notifications on comment within minutes; most later.
            let delay = if r.chance(0.15) {
                (r.range(1.0, 10.0) * 60.0) as i64
            } else {
                (r.lognormal(4.0, 1.2) * 3600.0) as i64
            };
            emit(&mut r, who, &text, delay, false);
        }
    }
    let pod = if pod_members.is_empty() {
        String::new()
    } else {
        format!("pod{}", i / POD_SPAN)
    };
    let truth = row(&[
        platform,
        account_id,
        handle,
        &pod,
        &bought.to_string(),
        &written.to_string(),
    ]);
    AccountComments { rows, truth }
}
