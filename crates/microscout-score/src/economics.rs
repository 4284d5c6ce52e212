//! Gifted-copy economics: most micro-influencers in books work for a free copy, so the
//! question is where the copies reach the most real readers.
//!
//! `engaged_readers = followers x (1 - fake share) x (1 - mass share among real followers)
//! x engagement_rate`: the real, reachable followers, times the share of followers who
//! engage with a typical post. Unit: people per post about the book. The interval comes
//! from the fake share's and the mass share's 95% intervals. Without a follower sample no
//! follower can be discounted, so the figure is an upper bound and says so; with every like
//! hidden there is no engagement rate and no estimate.
//!
//! `cost_per_engaged_reader = (cost-per-copy + fee) / engaged_readers`, when the campaign
//! file sets a cost. Unit: the campaign's currency per reader.

use microscout_model::{Campaign, Economics, Estimate, Provenance};

use crate::features::AccountFeatures;
use microscout_model::Authenticity;

pub fn economics(
    f: &AccountFeatures,
    er: Option<f64>,
    a: &Authenticity,
    c: &Campaign,
) -> Economics {
    let followers = f.followers as f64;
    let (engaged_readers, engaged_readers_provenance) = match (er, a.reachable_share) {
        (None, _) => (
            None,
            Provenance::unavailable("no engagement rate (likes hidden, no posts or 0 followers)"),
        ),
        (Some(er), Some(r)) => (
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
        (Some(er), None) => {
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
        (None, _) => (
            None,
            Provenance::unavailable("the campaign file sets no cost-per-copy"),
        ),
        (Some(_), None) => (
            None,
            Provenance::unavailable("no estimate of engaged readers"),
        ),
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
            Provenance::unavailable("no engaged readers estimated"),
        ),
    };
    Economics {
        engaged_readers,
        engaged_readers_provenance,
        cost_per_engaged_reader,
        cost_provenance,
    }
}
