//! Published engagement-rate benchmarks by follower tier, to show where an account would
//! stand by each. They disagree with each other by up to 4-5x (different years, samples and
//! formulas, some counting saves and shares), which is why microscout judges accounts against
//! its own drop (`authenticity::DropStats`) and shows these only for orientation.
//!
//! All are for Instagram, with engagement rate by followers. Each entry: source, the page,
//! when it was published, the formula it states, and its tier bands as
//! `(min followers, max followers (exclusive), low, high)` fractions; a single "about X"
//! figure is stored as `low == high`.

use microscout_model::numfmt::percent;

pub struct Benchmark {
    pub source: &'static str,
    pub url: &'static str,
    pub published: &'static str,
    pub formula: &'static str,
    pub bands: &'static [(u64, u64, f64, f64)],
}

pub const INSTAGRAM: &[Benchmark] = &[
    Benchmark {
        source: "growhtos.com",
        url: "https://growhtos.com/en/blog/what-is-a-good-engagement-rate-2026",
        published: "2026-06",
        formula: "(likes + comments + saves + shares) / followers",
        bands: &[
            (0, 1_000, 0.04, 0.09),
            (1_000, 10_000, 0.03, 0.07),
            (10_000, 100_000, 0.015, 0.05),
            (100_000, 1_000_000, 0.008, 0.025),
            (1_000_000, u64::MAX, 0.003, 0.012),
        ],
    },
    Benchmark {
        source: "startmotionmedia.com",
        url: "https://www.startmotionmedia.com/instagrambenchmarks-keyinsights",
        published: "2024 (mid-2024 ranges)",
        formula: "(likes + comments + saves) / followers",
        bands: &[
            (0, 10_000, 0.02, 0.05),
            (10_000, 100_000, 0.01, 0.03),
            (100_000, 1_000_000, 0.007, 0.015),
            (1_000_000, u64::MAX, 0.003, 0.01),
        ],
    },
    Benchmark {
        source: "soinfluential.pages.dev",
        url: "https://soinfluential.pages.dev/blog/good-engagement-rate-by-follower-count",
        published: "2026-06",
        formula: "(likes + comments) / followers",
        bands: &[
            (0, 10_000, 0.04, 0.05),
            (10_000, 100_000, 0.02, 0.03),
            (100_000, 500_000, 0.015, 0.015),
            (500_000, 1_000_000, 0.01, 0.015),
            (1_000_000, u64::MAX, 0.008, 0.01),
        ],
    },
];

/// Where `engagement_rate` stands by each published benchmark for an account with
/// `followers`, in words: "below 2.0-3.0% (soinfluential.pages.dev 2026-06), ...".
pub fn placement(followers: u64, engagement_rate: f64) -> String {
    let parts: Vec<String> = INSTAGRAM
        .iter()
        .filter_map(|b| {
            let &(_, _, low, high) = b
                .bands
                .iter()
                .find(|(min, max, _, _)| followers >= *min && followers < *max)?;
            // "About X" figures are read as +-15% around X.
            let (lo, hi) = if low == high {
                (low * 0.85, high * 1.15)
            } else {
                (low, high)
            };
            let place = if engagement_rate < lo {
                "below"
            } else if engagement_rate > hi {
                "above"
            } else {
                "within"
            };
            let band = if low == high {
                format!("about {}", percent(low))
            } else {
                format!("{}-{}", percent(low).trim_end_matches('%'), percent(high))
            };
            Some(format!("{place} {band} ({} {})", b.source, b.published))
        })
        .collect();
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_cover_every_size_and_are_ordered() {
        for b in INSTAGRAM {
            assert_eq!(b.bands[0].0, 0, "{}", b.source);
            assert_eq!(b.bands.last().unwrap().1, u64::MAX);
            for w in b.bands.windows(2) {
                assert_eq!(w[0].1, w[1].0, "{}: contiguous", b.source);
            }
            assert!(b.bands.iter().all(|(_, _, lo, hi)| lo <= hi));
        }
    }

    #[test]
    fn placement_reads_each_source() {
        let p = placement(10_400, 0.0004);
        assert_eq!(p.matches("below").count(), 3, "{p}");
        let p = placement(10_400, 0.025);
        assert!(p.contains("within 1.5-5% (growhtos.com 2026-06)"), "{p}");
        assert!(p.contains("within 1-3%"), "{p}");
    }
}
