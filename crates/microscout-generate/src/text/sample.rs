//! Follower samples: real followers, lurkers and bots (bought followers), with the truth
//! of each.

use super::*;

pub(super) fn followers(
    cfg: &Config,
    i: usize,
    a: &Account,
    n: usize,
    out: &mut Vec<String>,
    truth: &mut Vec<String>,
) -> f64 {
    let mut r = Rng::new(cfg.seed, 3, i as u64);
    let mut fakes = 0;
    for j in 0..n {
        let bot = r.chance(a.fake_share);
        fakes += usize::from(bot);
        let first = r.pick(FIRST);
        let last = r.pick(LAST);
        // Handles: no single giveaway. Some bots have word-only handles, some real people
        // put a year or a number in theirs.
        let handle = match (bot, r.f64()) {
            (true, x) if x < 0.45 => format!("{first}{}{}", r.below(100_000), alpha(j)),
            (true, x) if x < 0.8 => format!("{first}.{last}{}", alpha(j)),
            (true, _) => format!("{}_{}{}", last, r.pick(FIRST), alpha(j)),
            (false, x) if x < 0.25 => {
                format!("{first}{last}{}{}", 1960 + r.below(50), alpha(j))
            }
            (false, _) => format!("{first}{}{last}.{}", r.pick(&["_", ".", ""]), alpha(j)),
        };
        let lurker = !bot && r.chance(a.low_quality);
        let (name, private, pic, fol, fing, posts, bio, url) = if bot && r.chance(0.4) {
            // A bot made to pass: a picture, a name, a few posts, a bio now and then.
            (
                format!("{} {}", capitalise(first), capitalise(last)),
                r.chance(0.4),
                r.chance(0.9),
                r.lognormal(150.0, 0.9) as u64,
                r.lognormal(900.0, 0.6) as u64,
                r.lognormal(12.0, 1.0) as u64,
                short_bio(
                    &mut r,
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
                    &mut r,
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
        let b = |x: bool| if x { "true" } else { "false" };
        truth.push(row(&[a.platform, &a.id, &handle, b(bot)]));
        out.push(row(&[
            a.platform,
            &a.id,
            &handle,
            &name,
            b(private),
            b(r.chance(0.002)),
            b(pic),
            &fol.to_string(),
            &fing.to_string(),
            &posts.to_string(),
            &bio,
            &url,
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
