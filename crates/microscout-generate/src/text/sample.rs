//! Follower samples: real followers, lurkers and bots (bought followers), with the truth
//! of each.
//!
//! Followers are people (or bots) of the drop, not of one account, so the same follower can
//! turn up in several samples, as in real exports:
//! - **farms**: one per [`ACCOUNTS_PER_FARM`] accounts (at least 2), of 60 to 3,000 bots
//!   each as far as the drop sees them (log-uniform). An account that bought followers
//!   bought them from one farm (one in five from a second as well) and 20-100% of its
//!   bought bots are that farm's, the rest one-off bots; 25% of the bots every audience has
//!   are farm bots following for cover. So a small farm's bots are in many samples and a
//!   large farm's in few: overlap finds some bought followers, not all;
//! - **readers**: 20% of an on-niche account's real followers come from a pool of the
//!   niche's readers (6 per account of the drop), 10% of an off-niche account's from a pool
//!   of general readers (10 per account), drawn with a steep popularity (index `pool * u^2`),
//!   so the keenest readers follow many accounts and turn up in several samples;
//! - everyone else is in one sample only.
//!
//! A follower's profile comes from its own random stream, so a farm bot or a reader looks
//! the same in every sample. Handles end in an injective letter code of who they are
//! (one-off, reader or farm bot), so two different followers never share a handle.

use super::*;

/// Accounts of the drop per farm.
pub const ACCOUNTS_PER_FARM: usize = 300;

/// Share of the bots every audience has that are farm bots following for cover.
const COVER_SHARE: f64 = 0.25;

/// Who a sampled follower is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Origin {
    /// In this sample only: its index in the sample.
    OneOff(usize),
    /// A farm's bot: (farm, bot).
    Farm(usize, u64),
    /// A reader of a pool: (on-niche pool, reader).
    Reader(bool, u64),
}

/// The farms of a drop.
fn farm_count(cfg: &Config) -> usize {
    (cfg.accounts / ACCOUNTS_PER_FARM).max(2)
}

/// Bots of farm `f` as the drop sees them.
fn farm_size(cfg: &Config, f: usize) -> u64 {
    let mut r = Rng::new(cfg.seed, 16, f as u64);
    r.range(60f64.ln(), 3_000f64.ln()).exp() as u64
}

/// Readers in a pool.
fn pool_size(cfg: &Config, on_niche: bool) -> u64 {
    (cfg.accounts * if on_niche { 6 } else { 10 }) as u64
}

/// The farms an account bought from, and the share of its bought bots that are theirs.
fn purchase(cfg: &Config, i: usize) -> ([usize; 2], f64) {
    let mut r = Rng::new(cfg.seed, 17, i as u64);
    let f = farm_count(cfg);
    let first = r.below(f as u64) as usize;
    let second = if r.chance(0.2) {
        r.below(f as u64) as usize
    } else {
        first
    };
    ([first, second], r.range(0.2, 1.0))
}

struct Profile {
    handle: String,
    name: String,
    private: bool,
    verified: bool,
    pic: bool,
    followers: u64,
    following: u64,
    posts: u64,
    bio: String,
    url: String,
}

/// A follower's profile from its own stream `r`; `lurker` is the chance that a real one
/// only watches; `code` ends the handle.
fn profile(r: &mut Rng, bot: bool, lurker: f64, code: &str) -> Profile {
    let first = r.pick(FIRST);
    let last = r.pick(LAST);
    // Handles: no single giveaway. Some bots have word-only handles, some real people
    // put a year or a number in theirs.
    let handle = match (bot, r.f64()) {
        (true, x) if x < 0.45 => format!("{first}{}{code}", r.below(100_000)),
        (true, x) if x < 0.8 => format!("{first}.{last}{code}"),
        (true, _) => format!("{}_{}{code}", last, r.pick(FIRST)),
        (false, x) if x < 0.25 => format!("{first}{last}{}{code}", 1960 + r.below(50)),
        (false, _) => format!("{first}{}{last}.{code}", r.pick(&["_", ".", ""])),
    };
    let lurker = !bot && r.chance(lurker);
    let (name, private, pic, followers, following, posts, bio, url) = if bot && r.chance(0.4) {
        // A bot made to pass: a picture, a name, a few posts, a bio now and then.
        (
            format!("{} {}", capitalise(first), capitalise(last)),
            r.chance(0.4),
            r.chance(0.9),
            r.lognormal(150.0, 0.9) as u64,
            r.lognormal(900.0, 0.6) as u64,
            r.lognormal(12.0, 1.0) as u64,
            short_bio(
                r,
                0.35,
                &["travel", "fitness", "mum", "music"],
                &["coffee", "life", "love"],
            ),
            String::new(),
        )
    } else if bot {
        (
            if r.chance(0.6) {
                String::new()
            } else {
                capitalise(first)
            },
            r.chance(0.3),
            r.chance(0.55),
            r.lognormal(25.0, 1.0) as u64,
            r.lognormal(1_700.0, 0.6) as u64,
            if r.chance(0.6) {
                0
            } else {
                r.lognormal(3.0, 1.0) as u64
            },
            if r.chance(0.85) {
                String::new()
            } else {
                "follow back".into()
            },
            String::new(),
        )
    } else if lurker {
        // A real person who only watches: few posts, often no picture or bio.
        (
            if r.chance(0.5) {
                capitalise(first)
            } else {
                String::new()
            },
            r.chance(0.6),
            r.chance(0.6),
            r.lognormal(40.0, 1.0) as u64,
            r.lognormal(700.0, 0.8) as u64,
            if r.chance(0.5) {
                0
            } else {
                r.lognormal(2.0, 0.8) as u64
            },
            String::new(),
            String::new(),
        )
    } else {
        (
            format!("{} {}", capitalise(first), capitalise(last)),
            r.chance(0.55),
            r.chance(0.97),
            r.lognormal(350.0, 1.0) as u64,
            r.lognormal(420.0, 0.7) as u64,
            r.lognormal(35.0, 1.1) as u64,
            short_bio(
                r,
                0.5,
                &["mum", "teacher", "reader", "nurse", "dad"],
                &["coffee", "books", "outdoors", "music"],
            ),
            if r.chance(0.1) {
                format!("https://example.org/{first}")
            } else {
                String::new()
            },
        )
    };
    Profile {
        handle,
        name,
        private,
        verified: r.chance(0.002),
        pic,
        followers,
        following,
        posts,
        bio,
        url,
    }
}

/// The follower sample of account `i` (`n` rows) and its truth; returns the sample's true
/// fake share (NaN when empty).
pub(super) fn followers(
    cfg: &Config,
    i: usize,
    a: &Account,
    n: usize,
    out: &mut Vec<String>,
    truth: &mut Vec<String>,
) -> f64 {
    let mut r = Rng::new(cfg.seed, 3, i as u64);
    let (bought_from, farm_use) = purchase(cfg, i);
    let on_niche = a.niche_share >= 0.5;
    let farms = farm_count(cfg);
    let mut fakes = 0;
    // A farm bot or reader follows an account once: drawn again, it is a one-off instead.
    let mut seen = std::collections::HashSet::new();
    for j in 0..n {
        let bot = r.chance(a.fake_share);
        fakes += usize::from(bot);
        let origin = if bot {
            let bought = r.chance(a.bought_share / a.fake_share.max(f64::MIN_POSITIVE));
            if bought && r.chance(farm_use) {
                let f = bought_from[usize::from(r.chance(0.5))];
                Origin::Farm(f, r.below(farm_size(cfg, f)))
            } else if !bought && r.chance(COVER_SHARE) {
                let f = r.below(farms as u64) as usize;
                Origin::Farm(f, r.below(farm_size(cfg, f)))
            } else {
                Origin::OneOff(j)
            }
        } else if r.chance(if on_niche { 0.2 } else { 0.1 }) {
            let u = r.f64();
            let k = (pool_size(cfg, on_niche) as f64 * u * u) as u64;
            Origin::Reader(on_niche, k)
        } else {
            Origin::OneOff(j)
        };
        let origin = if matches!(origin, Origin::OneOff(_)) || seen.insert(origin) {
            origin
        } else {
            Origin::OneOff(j)
        };
        // Injective codes: one-offs 3m, readers 3m + 1, farm bots 3m + 2.
        let p = match origin {
            Origin::OneOff(j) => profile(
                &mut r,
                bot,
                a.low_quality,
                &alpha(3 * (j * cfg.accounts + i)),
            ),
            Origin::Farm(f, k) => {
                let id = (f as u64) << 32 | k;
                let code = alpha(3 * (f * (1 << 20) + k as usize) + 2);
                profile(&mut Rng::new(cfg.seed, 18, id), true, 0.0, &code)
            }
            Origin::Reader(on, k) => {
                let id = u64::from(on) << 32 | k;
                let code = alpha(3 * (2 * k as usize + usize::from(on)) + 1);
                profile(&mut Rng::new(cfg.seed, 19, id), false, 0.15, &code)
            }
        };
        let b = |x: bool| if x { "true" } else { "false" };
        let origin = match origin {
            Origin::OneOff(_) => "one-off".to_string(),
            Origin::Farm(f, _) => format!("farm-{}", f + 1),
            Origin::Reader(true, _) => "niche-reader".to_string(),
            Origin::Reader(false, _) => "reader".to_string(),
        };
        truth.push(row(&[a.platform, &a.id, &p.handle, b(bot), &origin]));
        out.push(row(&[
            a.platform,
            &a.id,
            &p.handle,
            &p.name,
            b(p.private),
            b(p.verified),
            b(p.pic),
            &p.followers.to_string(),
            &p.following.to_string(),
            &p.posts.to_string(),
            &p.bio,
            &p.url,
        ]));
    }
    if n == 0 {
        f64::NAN
    } else {
        fakes as f64 / n as f64
    }
}

/// "mum | coffee" with probability `p`, else no bio.
fn short_bio(r: &mut Rng, p: f64, who: &[&'static str], likes: &[&'static str]) -> String {
    if r.chance(p) {
        format!("{} | {}", r.pick(who), r.pick(likes))
    } else {
        String::new()
    }
}
