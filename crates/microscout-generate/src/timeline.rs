//! Follower histories for `generate --days N`: the same accounts night after night, with
//! organic growth and planted events, and the truth of what was planted.
//!
//! Every account gets, from its own random stream (so a seed gives the same histories):
//! - **organic growth**: a daily rate around +0.08% (some accounts shrink), gains that vary
//!   with the weekday and by chance (`sd = 0.15 * sqrt(F) + 0.5 * |mean gain|`), real
//!   followers that like and comment;
//! - **viral bursts** (organic, 10% of accounts): +3-20% over 1-3 nights, the posts of those
//!   days liked 4-10 times more, and the new followers are real (later posts get more likes):
//!   a spike that is *not* bought, and must not be called bought;
//! - **bought spikes** (8%): +5-60% in one night (or two), no change in likes;
//! - **drips** (6%): 10-20 nights of +0.4-1.5% a day delivered steadily (±10%) on top of
//!   the organic noise, no change in likes;
//! - **purges** (6%, 30% of accounts with bought followers): -3-25% in one night;
//! - **mess**: 10% of accounts report counts rounded to three significant digits (as
//!   "12.3K" displays), and each account misses 3% of the nights (a failed scrape).

use crate::rng::Rng;

/// Which night of how many a drop is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Days {
    /// 0 = the first night.
    pub index: usize,
    pub count: usize,
}

/// A planted event, as written to `truth-growth.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub kind: &'static str,
    /// First and last night (0-based) the change shows in the counts.
    pub from: usize,
    pub to: usize,
    /// Followers added (or removed). Unit: accounts.
    pub change: i64,
}

impl Event {
    /// An event of `len` nights from night `day` (cut at the end of a `days`-night history).
    fn planted(kind: &'static str, day: usize, len: usize, days: usize, change: f64) -> Event {
        Event {
            kind,
            from: day,
            to: (day + len - 1).min(days - 1),
            change: change as i64,
        }
    }
}

/// One account's nights.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// Followers as the export shows them, per night.
    pub shown: Vec<u64>,
    /// Real followers per night (what engagement follows).
    pub real: Vec<f64>,
    /// Posts made on these nights are liked this many times more (viral bursts).
    pub boost: Vec<f64>,
    /// Nights the account is missing from the drop.
    pub missing: Vec<bool>,
    pub events: Vec<Event>,
}

impl Timeline {
    /// Real followers on the night of a post time, relative to the first night (posts
    /// before the first night: 1).
    pub fn real_factor(&self, night: Option<usize>) -> f64 {
        match night {
            Some(n) => self.real[n.min(self.real.len() - 1)] / self.real[0].max(1.0),
            None => 1.0,
        }
    }
}

fn round3(x: u64) -> u64 {
    if x < 1_000 {
        return x;
    }
    let digits = (x as f64).log10().floor() as u32;
    let unit = 10u64.pow(digits - 2);
    (x / unit) * unit
}

/// The timeline of account `i`, whose first-night followers are `followers` of which
/// `real` are real.
pub fn timeline(
    seed: u64,
    i: usize,
    days: usize,
    followers: u64,
    real: u64,
    bought: bool,
) -> Timeline {
    let mut r = Rng::new(seed, 7, i as u64);
    let rate = (0.0008 + 0.001 * r.normal()).clamp(-0.002, 0.004);
    let weekday: Vec<f64> = (0..7).map(|_| r.range(0.8, 1.2)).collect();
    let rounded = r.chance(0.10);
    // A night for an event: from `from` (earlier in short histories) to 3 nights before
    // the end, so that a night or two after it show whether engagement followed.
    let late = |r: &mut Rng, from: usize| {
        let lo = from.min(days / 3).max(1);
        let hi = days.saturating_sub(3).max(lo + 1);
        lo + r.below((hi - lo) as u64) as usize
    };
    // Planted events (at most one of each kind; they may overlap), on accounts with an
    // audience to speak of.
    let eligible = followers >= 200;
    let viral = r
        .chance(0.10)
        .then(|| {
            (
                late(&mut r, 8),
                r.range(0.03, 0.20),
                1 + r.below(3) as usize,
            )
        })
        .filter(|_| eligible);
    let spike = r
        .chance(0.08)
        .then(|| {
            (
                late(&mut r, 8),
                r.range(0.05, 0.60),
                1 + usize::from(r.chance(0.3)),
            )
        })
        .filter(|_| eligible);
    // A drip runs its whole course inside the history (when the history is long enough).
    let drip = r
        .chance(0.06)
        .then(|| {
            let len = 10 + r.below(11) as usize;
            let start = 5 + r.below(days.saturating_sub(5 + len).max(1) as u64) as usize;
            (start, r.range(0.004, 0.015), len)
        })
        .filter(|_| eligible);
    let purge = r
        .chance(if bought { 0.30 } else { 0.06 })
        .then(|| (late(&mut r, 8), r.range(0.03, 0.25)))
        .filter(|_| eligible);

    let mut f = followers as f64;
    let mut re = real as f64;
    let mut shown = Vec::with_capacity(days);
    let mut reals = Vec::with_capacity(days);
    let mut boost = vec![1.0; days];
    let mut events = Vec::new();
    let mut drip_total = 0.0;
    let mut drip_per_day = 0.0;
    for d in 0..days {
        if d > 0 {
            let mean = f * rate * weekday[d % 7];
            let sd = 0.15 * f.sqrt() + 0.5 * mean.abs();
            let g = mean + sd * r.normal();
            f += g;
            re += g;
            if let Some((day, size, len)) = viral
                && d >= day
                && d < day + len
            {
                let share = [0.6, 0.3, 0.1][(d - day).min(2)] / [0.6, 0.9, 1.0][len - 1];
                let add = followers as f64 * size * share;
                f += add;
                re += add;
                boost[d] = r.range(4.0, 10.0);
                if d == day {
                    events.push(Event::planted(
                        "viral",
                        day,
                        len,
                        days,
                        followers as f64 * size,
                    ));
                }
            }
            if let Some((day, size, len)) = spike
                && d >= day
                && d < day + len
            {
                f += followers as f64 * size / len as f64;
                if d == day {
                    events.push(Event::planted(
                        "spike",
                        day,
                        len,
                        days,
                        followers as f64 * size,
                    ));
                }
            }
            if let Some((day, size, len)) = drip
                && d >= day
                && d < day + len
            {
                if d == day {
                    drip_per_day = f * size;
                }
                let add = drip_per_day * (1.0 + 0.1 * r.normal());
                f += add;
                drip_total += add;
                if d == (day + len - 1).min(days - 1) {
                    events.push(Event {
                        kind: "drip",
                        from: day,
                        to: d,
                        change: drip_total as i64,
                    });
                }
            }
            if let Some((day, size)) = purge
                && d == day
            {
                let lost = f * size;
                f -= lost;
                events.push(Event {
                    kind: "purge",
                    from: day,
                    to: day,
                    change: -(lost as i64),
                });
            }
        }
        f = f.max(0.0);
        re = re.clamp(0.0, f.max(1.0));
        let v = f.round() as u64;
        shown.push(if rounded { round3(v) } else { v });
        reals.push(re);
    }
    // Missing nights never hide the first or last night.
    let missing = (0..days)
        .map(|d| d > 0 && d + 1 < days && r.chance(0.03))
        .collect();
    events.sort_by_key(|e| (e.from, e.kind));
    Timeline {
        shown,
        real: reals,
        boost,
        missing,
        events,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_keeps_three_digits() {
        assert_eq!(round3(999), 999);
        assert_eq!(round3(12_345), 12_300);
        assert_eq!(round3(1_234_567), 1_230_000);
    }

    #[test]
    fn timelines_are_deterministic_and_plant_events() {
        let a = timeline(1, 5, 30, 10_000, 9_000, false);
        let b = timeline(1, 5, 30, 10_000, 9_000, false);
        assert_eq!(a.shown, b.shown);
        let mut kinds = std::collections::BTreeMap::new();
        for i in 0..2_000 {
            for e in timeline(7, i, 30, 10_000, 9_000, i % 10 == 0).events {
                assert!(e.from <= e.to && e.to < 30, "{e:?}");
                *kinds.entry(e.kind).or_insert(0) += 1;
            }
        }
        for k in ["viral", "spike", "drip", "purge"] {
            assert!(kinds[k] > 60, "{kinds:?}");
        }
    }
}
