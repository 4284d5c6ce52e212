//! Gifted-copy economics: most micro-influencers in books work for a free copy, so the
//! question is where the copies reach the most real readers.
//!
//! `engaged_readers = followers x (1 - fake share) x (1 - mass share among real followers)
//! x engagement_rate`: the real, reachable followers, times the share of followers who
//! engage with a typical post. Unit: people per post about the book. The interval comes
//! from the fake share's and the mass share's 95% intervals. Without a follower sample no
//! follower can be discounted, so the figure is an upper bound and says so; with every like
//! hidden there is no engagement rate and no estimate. Without a follower count (a blog) the
//! figure is the typical post's interactions, `avg_likes + avg_comments` (which is what
//! `followers x engagement_rate` equals), an upper bound.
//!
//! `cost_per_engaged_reader = (cost-per-copy + fee) / engaged_readers`, when the campaign
//! file sets a cost. Unit: the campaign's currency per reader.
//!
//! Worked example: 10,000 followers, a reachable real share of 80% (70-88%), an engagement
//! rate of 3%: `10,000 x 0.80 x 0.03 = 240` engaged readers (210-264). A copy at 9.50 plus a
//! fee of 0.50: `10 / 240 = 0.042` per reader (0.038 to 0.048).

use microscout_model::evidence::Unavailable;
use microscout_model::{Campaign, Economics, Estimate, Provenance};

use crate::features::AccountFeatures;
use microscout_model::Authenticity;

pub fn economics(
    f: &AccountFeatures,
    er: Option<f64>,
    a: &Authenticity,
    c: &Campaign,
) -> Economics {
    // The typical post's interactions; comments alone where posts have no likes (a blog's).
    let interactions =
        microscout_model::history::interactions(f.avg_likes, f.avg_comments).or(f.avg_comments);
    let followers = f.followers.map(|n| n as f64);
    let (engaged_readers, engaged_readers_provenance) = match (er.zip(followers), a.reachable_share)
    {
        // Without a follower count there is no rate, but `followers x rate` is the typical
        // post's interactions, which are measured.
        (None, _) if f.followers.is_none() && interactions.is_some() => {
            let v = interactions.unwrap_or_default();
            (
                    Some(Estimate {
                        value: v,
                        low: 0.0,
                        high: v,
                    }),
                    Provenance::Estimated {
                        model: "mean likes + comments per window post, an upper bound: without a follower count no rate or follower sample can discount anyone".into(),
                    },
                )
        }
        (None, _) => (None, Provenance::unavailable(Unavailable::NoEngagementRate)),
        (Some((er, followers)), Some(r)) => (
            Some(Estimate {
                value: followers * r.value * er,
                low: followers * r.low * er,
                high: followers * r.high * er,
            }),
            Provenance::Estimated {
                model: format!(
                    "followers x reachable real share ({}) x engagement rate, from the follower sample",
                    microscout_model::numfmt::percent_range(r.value, r.low, r.high)
                ),
            },
        ),
        (Some((er, followers)), None) => {
            let v = followers * er;
            (
                    Some(Estimate {
                        value: v,
                        low: 0.0,
                        high: v,
                    }),
                    Provenance::Estimated {
                        model: "followers x engagement rate, an upper bound: without a follower sample no follower is discounted as fake".into(),
                    },
                )
        }
    };
    let cost = c
        .economics
        .cost_per_copy
        .map(|copy| copy + c.economics.fee.unwrap_or(0.0));
    let (cost_per_engaged_reader, cost_provenance) = match (cost, engaged_readers) {
        (None, _) => (None, Provenance::unavailable(Unavailable::NoCost)),
        (Some(_), None) => (None, Provenance::unavailable(Unavailable::NoEngagedReaders)),
        (Some(cost), Some(e)) if e.value > 0.0 => (
            Some(Estimate {
                value: cost / e.value,
                // Fewer readers, higher cost.
                low: if e.high > 0.0 {
                    cost / e.high
                } else {
                    f64::INFINITY
                },
                high: if e.low > 0.0 {
                    cost / e.low
                } else {
                    f64::INFINITY
                },
            }),
            Provenance::Estimated {
                model: format!(
                    "(cost per copy + fee) / engaged readers = {} / engaged readers",
                    microscout_model::numfmt::amount(cost)
                ),
            },
        ),
        (Some(_), Some(_)) => (
            None,
            Provenance::unavailable(Unavailable::ZeroEngagedReaders),
        ),
    };
    Economics {
        engaged_readers,
        engaged_readers_provenance,
        cost_per_engaged_reader,
        cost_provenance,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(reachable: Option<Estimate>, er: Option<f64>) -> Economics {
        let mut c = Campaign::default();
        c.economics.cost_per_copy = Some(9.5);
        c.economics.fee = Some(0.5);
        let f = AccountFeatures {
            followers: Some(10_000),
            ..Default::default()
        };
        let mut a = crate::metrics::account_score(
            &f,
            &crate::authenticity::DropStats::compute(&[], &c),
            &c,
        )
        .authenticity;
        a.reachable_share = reachable;
        economics(&f, er, &a, &c)
    }

    #[test]
    fn worked_example() {
        let e = example(
            Some(Estimate {
                value: 0.80,
                low: 0.70,
                high: 0.88,
            }),
            Some(0.03),
        );
        let r = e.engaged_readers.unwrap();
        assert!((r.value - 240.0).abs() < 1e-9);
        assert!((r.low - 210.0).abs() < 1e-9);
        assert!((r.high - 264.0).abs() < 1e-9);
        let c = e.cost_per_engaged_reader.unwrap();
        assert!((c.value - 10.0 / 240.0).abs() < 1e-12);
        assert!((c.low - 10.0 / 264.0).abs() < 1e-12);
        assert!((c.high - 10.0 / 210.0).abs() < 1e-12);
    }

    #[test]
    fn without_a_sample_it_is_an_upper_bound_and_says_so() {
        let e = example(None, Some(0.03));
        let r = e.engaged_readers.unwrap();
        assert_eq!((r.low, r.value, r.high), (0.0, 300.0, 300.0));
        assert!(
            e.engaged_readers_provenance
                .to_string()
                .contains("upper bound")
        );
        let none = example(None, None);
        assert_eq!(none.engaged_readers, None);
        assert_eq!(none.cost_per_engaged_reader, None);
        assert!(!none.cost_provenance.is_available());
    }
}
