//! Growth signals from an account's own history (the snapshots earlier runs kept), as
//! evidence for the authenticity verdict and the flags.
//!
//! Platforms give no follower history, so the history is microscout's own: one snapshot
//! per account per night. From an account's snapshots (oldest first) and tonight's numbers:
//!
//! - **daily change** `c_i = (F_i - F_{i-1}) / (day_i - day_{i-1})` between consecutive
//!   snapshots (a gap of several nights spreads the change evenly). Unit: followers per day.
//! - **the account's own norm**: the median `m` of its daily changes and their spread
//!   `s = max(1.4826 * MAD, SPREAD_FLOOR * F_{i-1}, 2)` (MAD: median absolute deviation from
//!   `m`; the floor keeps an account whose counts barely move from calling every change a
//!   spike). A change's robust z-score is `z_i = (c_i - m) / s`.
//! - **spike**: `z_i >= SPIKE_Z` and the excess `(c_i - m) * gap` is at least
//!   [`MIN_JUMP`] of the followers before it; adjacent spike nights are one spike.
//! - **purge**: `z_i <= -SPIKE_Z` and a loss of at least [`MIN_JUMP`] of the followers.
//! - **drip**: at least [`DRIP_NIGHTS`] consecutive daily gains (at most [`DRIP_MAX_GAP`]
//!   nights apart), each
//!   positive, averaging at least [`DRIP_RATE`] of the followers per day, whose coefficient
//!   of variation is at most [`DRIP_MAX_CV`]: organic audiences grow in bursts around posts
//!   and weekdays, bought drip services deliver a steady number each day.
//! - **does engagement follow?** For a spike or drip, interactions per post
//!   (`avg_likes + avg_comments` of the window) around the change: the highest over its
//!   last night and the 2 after, against the median over the 4 nights before it,
//!   `e = after / before - 1`. Followed when `e >= r / 2` ([`FOLLOW_SHARE`]; `r` =
//!   relative follower change)
//!   and `ln(1 + e)` exceeds the 90th percentile of the same jump measured at every other
//!   night of the account's history (its own noise: new posts entering the window, a post
//!   that did well by chance). A burst of real followers comes with a post that took off;
//!   bought followers come with nothing. Unknown until a night after the change has a count.
//! - **engagement not following**: followers up at least [`NOT_FOLLOWING_GROWTH`] from the
//!   first three nights to the last three, interactions up less than a third as much
//!   (reported only when no spike or drip explains it).
//!
//! Fewer than [`MIN_NIGHTS`] snapshots (tonight included): "no history yet", no signals.
//! Spikes and drips that engagement did not follow, and engagement not following, are
//! evidence of bought followers: they set the verdict to *bought followers* (or *both*).
//! A purge is evidence and a flag, not a verdict: the platform removed followers that were
//! bought, and what is left may be real.

use microscout_model::evidence::{AuthenticityReason, FlagReason};
use microscout_model::history::{Growth, GrowthSignal, Night, SignalKind};
use microscout_model::{AccountScore, Flag};

use crate::stats::median;

/// Snapshots needed before signals are looked for (tonight included). Unit: nights.
pub const MIN_NIGHTS: u32 = 7;
/// Robust z-score of a spike or purge. Unit: ratio.
pub const SPIKE_Z: f64 = 6.0;
/// Smallest spike or purge, as a share of the followers before it. Unit: fraction.
pub const MIN_JUMP: f64 = 0.01;
/// Floor of the spread of daily changes, as a share of the followers. Unit: fraction.
pub const SPREAD_FLOOR: f64 = 0.0015;
/// Consecutive steady gains that make a drip. Unit: nights.
pub const DRIP_NIGHTS: usize = 10;
/// Smallest mean daily gain of a drip, as a share of the followers. Unit: fraction per day.
pub const DRIP_RATE: f64 = 0.003;
/// Longest gap between snapshots inside a drip (a missed scrape spreads the change over
/// the gap). Unit: nights.
pub const DRIP_MAX_GAP: i32 = 3;
/// Largest coefficient of variation of a drip's daily gains. Unit: ratio.
pub const DRIP_MAX_CV: f64 = 0.35;
/// Follower growth over the history at which engagement is expected to follow. Unit:
/// fraction.
pub const NOT_FOLLOWING_GROWTH: f64 = 0.2;
/// Nights before a change whose median interactions are the baseline, and nights from its
/// end whose highest interactions are compared with it.
const BEFORE_NIGHTS: usize = 4;
const AFTER_NIGHTS: usize = 3;
/// Share of the relative follower change that interactions must rise by to count as
/// following it (new followers at least half as engaged as the old). Unit: ratio.
pub const FOLLOW_SHARE: f64 = 0.5;
/// Quantile of the account's own interaction jumps that a change's jump must exceed.
const NULL_QUANTILE: f64 = 0.95;
/// Jump required when the history is too short to measure the noise. Unit: fraction.
const MIN_JUMP_WITHOUT_NOISE: f64 = 0.25;

/// Tonight's numbers of one account.
#[derive(Debug, Clone, Copy)]
pub struct Tonight {
    pub day: i32,
    /// None without a follower count (a blog): growth is then unavailable.
    pub followers: Option<u64>,
    /// Interactions per window post (`Snapshot::interactions`).
    pub interactions: Option<f64>,
}

#[derive(Debug, Clone, Copy)]
struct Point {
    day: i32,
    followers: f64,
    interactions: Option<f64>,
}

/// The growth of one account: `prior` are its earlier snapshots (any order; only those
/// before tonight are used).
pub fn growth(prior: &[Night], tonight: Tonight) -> Growth {
    let Some(followers) = tonight.followers else {
        return Growth {
            nights: prior.iter().filter(|s| s.day < tonight.day).count() as u32 + 1,
            unavailable: Some(
                "no follower count (a blog's exports carry none): growth is followed in \
                 followers"
                    .into(),
            ),
            ..Default::default()
        };
    };
    // Nights without a follower count tell nothing about growth.
    let mut points: Vec<Point> = prior
        .iter()
        .filter(|s| s.day < tonight.day)
        .filter_map(|s| {
            Some(Point {
                day: s.day,
                followers: s.followers? as f64,
                interactions: s.interactions,
            })
        })
        .collect();
    points.sort_by_key(|p| p.day);
    points.dedup_by_key(|p| p.day);
    points.push(Point {
        day: tonight.day,
        followers: followers as f64,
        interactions: tonight.interactions,
    });
    let n = points.len();
    let mut g = Growth {
        nights: n as u32,
        since_day: (n > 1).then(|| points[0].day),
        daily_change: (n > 1).then(|| {
            let (a, b) = (points[n - 2], points[n - 1]);
            (b.followers - a.followers) / f64::from(b.day - a.day)
        }),
        unavailable: None,
        signals: Vec::new(),
    };
    if (n as u32) < MIN_NIGHTS {
        g.unavailable = Some(format!(
            "no history yet: {n} night{} of {MIN_NIGHTS} needed",
            if n == 1 { "" } else { "s" }
        ));
        return g;
    }
    g.signals = signals(&points);
    g
}

/// The log jump of interactions around nights `from..=to` (indices into `points`): the
/// highest count over the change's last night and the [`AFTER_NIGHTS`] - 1 after it, against
/// the median over the [`BEFORE_NIGHTS`] before it.
fn jump_at(points: &[Point], from: usize, to: usize, typical: bool) -> Option<f64> {
    let before: Vec<f64> = points[from.saturating_sub(BEFORE_NIGHTS)..from]
        .iter()
        .filter_map(|p| p.interactions)
        .filter(|x| *x > 0.0)
        .collect();
    let after: Vec<f64> = points[to..(to + AFTER_NIGHTS).min(points.len())]
        .iter()
        .filter_map(|p| p.interactions)
        .collect();
    let after = if typical {
        median(after)?
    } else {
        after.into_iter().reduce(f64::max)?
    };
    let b = median(before)?;
    Some((after.max(0.0) / b).ln())
}

/// Relative change of interactions across the change at nights `from..=to`, and whether
/// it followed a relative follower change `r`: the jump must reach `r * FOLLOW_SHARE` and exceed the
/// [`NULL_QUANTILE`] of the same jump measured at every other night of the account's
/// history (its own night-to-night noise: new posts entering the window, a post that did
/// well by chance).
fn engagement_response(
    points: &[Point],
    from: usize,
    to: usize,
    r: f64,
    typical: bool,
) -> Response {
    let Some(jump) = jump_at(points, from, to, typical) else {
        return Response::default();
    };
    let mut null: Vec<f64> = (1..points.len())
        .filter(|&k| k + 1 < from || k > to + AFTER_NIGHTS)
        .filter_map(|k| jump_at(points, k, k, typical))
        .collect();
    null.sort_by(f64::total_cmp);
    let noise = if null.len() >= 5 {
        null[((null.len() - 1) as f64 * NULL_QUANTILE).round() as usize]
    } else {
        MIN_JUMP_WITHOUT_NOISE.ln_1p()
    };
    let followed = jump >= (r * FOLLOW_SHARE).max(0.0).ln_1p() && jump > noise;
    Response {
        change: Some(jump.exp_m1()),
        noise: Some(noise.exp_m1()),
        followed: Some(followed),
    }
}

/// How interactions moved around a change (see [`engagement_response`]).
#[derive(Debug, Default, Clone, Copy)]
struct Response {
    change: Option<f64>,
    noise: Option<f64>,
    followed: Option<bool>,
}

fn signals(points: &[Point]) -> Vec<GrowthSignal> {
    // Daily changes: change i ends at points[i + 1].
    let changes: Vec<(f64, i32)> = points
        .windows(2)
        .map(|w| {
            let gap = w[1].day - w[0].day;
            ((w[1].followers - w[0].followers) / f64::from(gap), gap)
        })
        .collect();
    let c: Vec<f64> = changes.iter().map(|x| x.0).collect();
    let m = median(c).unwrap_or(0.0);
    let mad = crate::stats::robust_sd(changes.iter().map(|x| x.0 - m));
    let z: Vec<f64> = changes
        .iter()
        .enumerate()
        .map(|(i, (ci, _))| {
            let s = mad.max(SPREAD_FLOOR * points[i].followers).max(2.0);
            (ci - m) / s
        })
        .collect();
    let jump = |i: usize, sign: f64| {
        let (ci, gap) = changes[i];
        let excess = (ci - m) * f64::from(gap) * sign;
        z[i] * sign >= SPIKE_Z && excess >= MIN_JUMP * points[i].followers.max(1.0)
    };

    let mut out = Vec::new();
    // Spikes and purges, adjacent nights merged.
    for (kind, sign) in [(SignalKind::Spike, 1.0), (SignalKind::Purge, -1.0)] {
        let mut i = 0;
        while i < changes.len() {
            if !jump(i, sign) {
                i += 1;
                continue;
            }
            let start = i;
            while i + 1 < changes.len() && jump(i + 1, sign) {
                i += 1;
            }
            // Change `start` runs from points[start] to points[i + 1].
            let before = points[start].followers;
            let change = points[i + 1].followers - before;
            let strength = z[start..=i]
                .iter()
                .copied()
                .fold(0.0_f64, |a, b| if b.abs() > a.abs() { b } else { a });
            let resp = if kind == SignalKind::Spike {
                engagement_response(points, start + 1, i + 1, change / before.max(1.0), false)
            } else {
                Response::default()
            };
            out.push(GrowthSignal {
                kind,
                from_day: points[start + 1].day,
                to_day: points[i + 1].day,
                followers_change: change.round() as i64,
                followers_before: before.max(0.0) as u64,
                strength,
                interactions_change: resp.change,
                interactions_noise: resp.noise,
                engagement_followed: resp.followed,
            });
            i += 1;
        }
    }

    // Drips: steady one-night gains.
    let steady = |w: &[(f64, i32)], base: f64| {
        if w.iter().any(|(ci, gap)| *gap > DRIP_MAX_GAP || *ci <= 0.0) {
            return None;
        }
        let k = w.len() as f64;
        let mean = w.iter().map(|x| x.0).sum::<f64>() / k;
        let sd = (w.iter().map(|x| (x.0 - mean).powi(2)).sum::<f64>() / (k - 1.0)).sqrt();
        (mean >= DRIP_RATE * base.max(1.0) && sd / mean <= DRIP_MAX_CV).then_some(sd / mean)
    };
    let mut covered = vec![false; changes.len()];
    if changes.len() >= DRIP_NIGHTS {
        for s in 0..=changes.len() - DRIP_NIGHTS {
            if steady(&changes[s..s + DRIP_NIGHTS], points[s].followers).is_some() {
                covered[s..s + DRIP_NIGHTS]
                    .iter_mut()
                    .for_each(|x| *x = true);
            }
        }
    }
    let mut i = 0;
    while i < changes.len() {
        if !covered[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i + 1 < changes.len() && covered[i + 1] {
            i += 1;
        }
        let before = points[start].followers;
        let change = points[i + 1].followers - before;
        let cv = steady(&changes[start..=i], before).unwrap_or(DRIP_MAX_CV);
        let resp = engagement_response(points, start + 1, i + 1, change / before, true);
        {
            out.push(GrowthSignal {
                kind: SignalKind::Drip,
                from_day: points[start + 1].day,
                to_day: points[i + 1].day,
                followers_change: change.round() as i64,
                followers_before: before as u64,
                strength: cv,
                interactions_change: resp.change,
                interactions_noise: resp.noise,
                engagement_followed: resp.followed,
            });
        }
        i += 1;
    }

    // Engagement not following, when nothing above explains it.
    if !out.iter().any(GrowthSignal::suggests_bought) {
        let head = &points[..3];
        let tail = &points[points.len() - 3..];
        let f0 = median(head.iter().map(|p| p.followers).collect::<Vec<_>>()).unwrap_or(0.0);
        let f1 = median(tail.iter().map(|p| p.followers).collect::<Vec<_>>()).unwrap_or(0.0);
        let i0 = median(
            head.iter()
                .filter_map(|p| p.interactions)
                .collect::<Vec<_>>(),
        );
        let i1 = median(
            tail.iter()
                .filter_map(|p| p.interactions)
                .collect::<Vec<_>>(),
        );
        if let (Some(i0), Some(i1)) = (i0, i1)
            && f0 > 0.0
            && i0 > 0.0
        {
            let r = f1 / f0 - 1.0;
            let e = i1 / i0 - 1.0;
            if r >= NOT_FOLLOWING_GROWTH && e < r / 3.0 {
                out.push(GrowthSignal {
                    kind: SignalKind::EngagementNotFollowing,
                    from_day: points[0].day,
                    to_day: points[points.len() - 1].day,
                    followers_change: (f1 - f0).round() as i64,
                    followers_before: f0 as u64,
                    strength: r,
                    interactions_change: Some(e),
                    interactions_noise: None,
                    engagement_followed: Some(false),
                });
            }
        }
    }
    out.sort_by_key(|s| (s.from_day, s.kind));
    out
}

pub use microscout_model::history::flagged;

/// Puts an account's growth into its score: the signals as authenticity evidence and
/// flags, and the verdict moved to bought followers when the history shows it.
pub fn apply(s: &mut AccountScore, growth: Growth) {
    let a = &mut s.authenticity;
    for g in &growth.signals {
        a.reasons.push(AuthenticityReason::Growth(g.clone()));
        if flagged(g) {
            s.flags.push(Flag::new(FlagReason::Growth(g.clone())));
        }
    }
    if growth.signals.iter().any(GrowthSignal::suggests_bought) && !a.verdict.bought_followers() {
        crate::authenticity::say_bought(s, None, true);
    }
    s.growth = growth;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(followers: &[f64], interactions: &[f64]) -> (Vec<Night>, Tonight) {
        let n = followers.len();
        let snaps = (0..n - 1)
            .map(|i| Night {
                day: 100 + i as i32,
                followers: Some(followers[i] as u64),
                interactions: Some(interactions[i]),
            })
            .collect();
        let t = Tonight {
            day: 100 + n as i32 - 1,
            followers: Some(followers[n - 1] as u64),
            interactions: Some(interactions[n - 1]),
        };
        (snaps, t)
    }

    /// Organic-looking growth: irregular gains around +12 a day on 10,000 followers.
    fn organic(days: usize) -> Vec<f64> {
        let noise = [
            5.0, 31.0, -4.0, 18.0, 9.0, 0.0, 25.0, 14.0, -8.0, 40.0, 3.0, 11.0,
        ];
        let mut f = vec![10_000.0];
        for d in 1..days {
            f.push(f[d - 1] + noise[d % noise.len()]);
        }
        f
    }

    /// Followers from 10,000 by the given daily `changes`, and the signals of that history
    /// (flat interactions).
    fn signals_of(changes: &[f64]) -> Vec<GrowthSignal> {
        let mut f = vec![10_000.0];
        for c in changes {
            f.push(f.last().unwrap() + c);
        }
        let (s, t) = history(&f, &vec![300.0; f.len()]);
        growth(&s, t).signals
    }

    /// A jump just below either threshold is not a signal and just above is: the smallest
    /// jump (`MIN_JUMP`, 1% of the followers) where the history is flat, the robust z-score
    /// (`SPIKE_Z`, 6) where it is noisy; and a steady gain just below or above `DRIP_RATE`.
    #[test]
    fn events_on_either_side_of_the_thresholds() {
        // Flat: the spread is its floor (0.15% of 10,000 = 15), so 99 is a z of 6.6 but under
        // 1% of the followers; 101 is over both.
        for (c, want) in [
            (99.0, None),
            (101.0, Some(SignalKind::Spike)),
            (-99.0, None),
            (-101.0, Some(SignalKind::Purge)),
        ] {
            let mut changes = vec![0.0; 28];
            changes[14] = c;
            let got: Vec<SignalKind> = signals_of(&changes).iter().map(|g| g.kind).collect();
            assert_eq!(got, want.into_iter().collect::<Vec<_>>(), "a change of {c}");
        }
        // Noisy: changes of +-100 have a robust spread of 1.4826 x 100 = 148, so a z of 6 is a
        // jump of 890 (far above 1% of the followers; under the 20% growth that engagement is
        // expected to follow).
        for (j, want) in [(870.0, None), (910.0, Some(SignalKind::Spike))] {
            let mut changes: Vec<f64> = (0..28)
                .map(|i| if i % 2 == 0 { 100.0 } else { -100.0 })
                .collect();
            changes[14] = j;
            let got: Vec<SignalKind> = signals_of(&changes).iter().map(|g| g.kind).collect();
            assert_eq!(got, want.into_iter().collect::<Vec<_>>(), "a jump of {j}");
        }
        // Steady gains: 0.3% a day of 10,000 is 30.
        assert!(signals_of(&[29.0; 20]).is_empty());
        let drip = signals_of(&[31.0; 20]);
        assert_eq!(drip.len(), 1, "{drip:?}");
        assert_eq!(drip[0].kind, SignalKind::Drip);
    }

    #[test]
    fn too_short_a_history_says_so() {
        let (s, t) = history(&[100.0, 110.0, 120.0], &[5.0, 5.0, 5.0]);
        let g = growth(&s, t);
        assert_eq!(g.nights, 3);
        assert_eq!(g.daily_change, Some(10.0));
        assert!(g.unavailable.as_deref().unwrap().contains("no history yet"));
        assert!(g.signals.is_empty());
    }

    #[test]
    fn organic_noise_raises_nothing() {
        let f = organic(30);
        let (s, t) = history(&f, &[300.0; 30]);
        let g = growth(&s, t);
        assert!(g.unavailable.is_none());
        assert!(g.signals.is_empty(), "{:?}", g.signals);
    }

    #[test]
    fn a_bought_spike_with_flat_engagement_is_found() {
        let mut f = organic(30);
        for x in f.iter_mut().skip(15) {
            *x += 2_500.0;
        }
        let (s, t) = history(&f, &[300.0; 30]);
        let g = growth(&s, t);
        assert_eq!(g.signals.len(), 1, "{:?}", g.signals);
        let sig = &g.signals[0];
        assert_eq!(sig.kind, SignalKind::Spike);
        assert_eq!((sig.from_day, sig.to_day), (115, 115));
        assert_eq!(sig.engagement_followed, Some(false));
        assert!(sig.suggests_bought());
        assert!(sig.to_string().contains("did not follow"), "{sig}");
    }

    #[test]
    fn a_viral_spike_with_engagement_is_organic() {
        let mut f = organic(30);
        let mut e = vec![300.0; 30];
        for d in 15..30 {
            f[d] += 2_500.0;
            e[d] = 420.0;
        }
        let (s, t) = history(&f, &e);
        let g = growth(&s, t);
        assert_eq!(g.signals.len(), 1, "{:?}", g.signals);
        assert_eq!(g.signals[0].engagement_followed, Some(true));
        assert!(!g.signals[0].suggests_bought());
        assert!(!flagged(&g.signals[0]));
    }

    #[test]
    fn a_purge_and_a_drip_are_found() {
        let mut f = organic(30);
        for x in f.iter_mut().skip(20) {
            *x -= 900.0;
        }
        let (s, t) = history(&f, &[300.0; 30]);
        let g = growth(&s, t);
        assert_eq!(g.signals.len(), 1, "{:?}", g.signals);
        assert_eq!(g.signals[0].kind, SignalKind::Purge);

        // 12 days of +60 +-5 a day on a 10,000 account, engagement flat.
        let mut f = organic(30);
        let steady = [
            60.0, 55.0, 64.0, 58.0, 62.0, 57.0, 61.0, 59.0, 63.0, 56.0, 60.0, 62.0,
        ];
        let mut add = 0.0;
        for d in 10..30 {
            if d - 10 < steady.len() {
                add += steady[d - 10];
            }
            f[d] += add;
        }
        let (s, t) = history(&f, &[300.0; 30]);
        let g = growth(&s, t);
        let drip = g.signals.iter().find(|s| s.kind == SignalKind::Drip);
        assert!(drip.is_some(), "{:?}", g.signals);
        assert!(drip.unwrap().suggests_bought());
    }

    #[test]
    fn applying_a_bought_signal_moves_the_verdict_and_flags() {
        let mut f = organic(30);
        for x in f.iter_mut().skip(15) {
            *x += 2_500.0;
        }
        let (s, t) = history(&f, &[300.0; 30]);
        let g = growth(&s, t);
        let c = microscout_model::Campaign::default();
        let mut score = crate::metrics::account_score(
            &crate::features::AccountFeatures::default(),
            &crate::authenticity::DropStats::compute(&[], &c),
            &c,
        );
        score.flags.clear();
        score.authenticity.verdict = microscout_model::Verdict::LikelyAuthentic;
        apply(&mut score, g);
        assert_eq!(
            score.authenticity.verdict,
            microscout_model::Verdict::BoughtFollowers
        );
        let codes = score.flag_codes();
        assert!(codes.contains("follower_spike"), "{codes}");
        assert!(codes.contains("bought_followers"), "{codes}");
    }
}
