//! Follower authenticity: is a sampled follower real or fake, and what share of an
//! account's audience is fake, with an interval that reflects the sample size.
//!
//! - [`features`]: the follower features the data contract allows, one definition for all
//!   platforms.
//! - [`gbdt`]: the classifier (gradient-boosted trees, missing values handled).
//! - [`FollowerModel`]: the trained model shipped as data (`model/follower-model.json`),
//!   made by `cargo run -p microscout-authenticity --bin train-authenticity` (`just train`)
//!   from the labelled data in `data/labelled/`; never trained at run time.
//! - [`estimate_sample`]: account-level estimates from a follower sample.
//! - [`comments`]: the comment-spam classifier (hashed words and shapes, logistic
//!   regression), shipped as `model/comment-model.json` and made by `train-comment-spam`.
//!
//! This crate knows nothing of files or tables (the training binary reads the datasets).

pub mod comments;
pub mod eval;
pub mod features;
pub mod gbdt;
pub mod labels;
pub mod quantify;

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

pub use features::Follower;

/// A follower who follows more than this many accounts is a *mass follower*: their feed is
/// too full to see any one account's posts (HypeAuditor's definition).
pub const MASS_FOLLOWING: u64 = 1_500;

/// The trained follower classifier with what its evaluation measured.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FollowerModel {
    /// Feature names in order (see [`features`]).
    pub features: Vec<String>,
    /// Probability at or above which a follower is labelled fake.
    pub threshold: f64,
    /// Recall on fake followers (sensitivity) and on real ones (specificity) at `threshold`,
    /// measured on datasets left out of training and averaged; the rates of the Rogan-Gladen
    /// correction when `estimator` is [`ShareEstimator::RoganGladen`].
    pub sensitivity: f64,
    pub specificity: f64,
    /// How the fake share is estimated from the labelled share: chosen by the evaluation on
    /// datasets left out (`docs/authenticity-evaluation.md`).
    #[serde(default)]
    pub estimator: ShareEstimator,
    /// How far the error rates moved between the datasets (see [`RateBand`]); the fake
    /// share's interval is widened to cover it. None in models trained before it existed.
    #[serde(default)]
    pub rate_band: Option<RateBand>,
    /// What the model was trained on, for the record.
    pub trained_on: String,
    pub params: gbdt::Params,
    pub model: gbdt::Gbdt,
}

impl FollowerModel {
    /// The model shipped with microscout.
    pub fn shipped() -> &'static FollowerModel {
        static MODEL: OnceLock<FollowerModel> = OnceLock::new();
        MODEL.get_or_init(|| {
            serde_json::from_str(include_str!("../model/follower-model.json"))
                .expect("the shipped follower model parses (checked by a unit test)")
        })
    }

    /// Probability that the follower is fake.
    pub fn probability(&self, f: &Follower) -> f64 {
        self.model.predict(&f.features())
    }

    /// The classifier compiled for batch prediction ([`gbdt::FlatGbdt`]); compile once,
    /// then [`gbdt::FlatGbdt::predict_rows`] on [`Follower::features`] rows gives, bit for
    /// bit, what [`Self::probability`] gives row by row, many times faster.
    pub fn compiled(&self) -> gbdt::FlatGbdt {
        gbdt::FlatGbdt::new(&self.model, features::N_FEATURES)
    }

    /// True when the model treats a follower whose bio is unknown as one with an empty bio (a
    /// missing `log_bio_length` takes the branch of 0 at every split): whether an export
    /// carries bios then changes no probability, so rows need not be labelled both ways.
    pub fn unknown_bio_is_empty(&self) -> bool {
        let bio = self
            .features
            .iter()
            .position(|f| f == "log_bio_length")
            .expect("the model has a bio length feature");
        self.model.missing_is(bio, 0.0)
    }

    pub fn is_fake(&self, probability: f64) -> bool {
        probability >= self.threshold
    }
}

/// How an account's fake share is estimated from the share of its sampled followers the
/// classifier labels fake.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ShareEstimator {
    /// The labelled share itself (classify and count).
    ClassifyAndCount,
    /// The labelled share corrected by Rogan-Gladen at the model's sensitivity and
    /// specificity (adjusted classify and count).
    #[default]
    RoganGladen,
}

impl FollowerModel {
    /// The rates the point estimate corrects with: the model's own for Rogan-Gladen, and
    /// (1, 1), which leaves the share as it is, for classify and count.
    pub fn estimator_rates(&self) -> (f64, f64) {
        match self.estimator {
            ShareEstimator::ClassifyAndCount => (1.0, 1.0),
            ShareEstimator::RoganGladen => (self.sensitivity, self.specificity),
        }
    }
}

/// An estimate with a 95% interval. Unit: as the estimate (here: fractions).
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Interval {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

/// Wilson score interval for `k` successes in `n` trials at 95%.
pub fn wilson(k: usize, n: usize) -> Interval {
    if n == 0 {
        return Interval {
            estimate: f64::NAN,
            low: 0.0,
            high: 1.0,
        };
    }
    let z = 1.959_963_984_540_054_f64;
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    Interval {
        estimate: p,
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    }
}

/// Corrects an apparent share for classifier error: `(q + Sp - 1) / (Se + Sp - 1)`,
/// clamped to [0, 1] (Rogan & Gladen 1978).
pub fn rogan_gladen(q: f64, sensitivity: f64, specificity: f64) -> f64 {
    if sensitivity == 1.0 && specificity == 1.0 {
        // A perfect classifier: nothing to correct (and no rounding from `q + 1 - 1`).
        return q.clamp(0.0, 1.0);
    }
    let j = sensitivity + specificity - 1.0;
    if j <= 0.0 {
        return q;
    }
    ((q + specificity - 1.0) / j).clamp(0.0, 1.0)
}

/// The range of sensitivity and specificity the classifier showed across evaluations on
/// different data (cross-validated, and trained on one dataset and tested on another): its
/// error rates on a new account's followers are not known better than this.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct RateBand {
    pub sensitivity_low: f64,
    pub sensitivity_high: f64,
    pub specificity_low: f64,
    pub specificity_high: f64,
}

/// A range of apparent (labelled) shares corrected for the classifier's error rates: each
/// end corrected by Rogan-Gladen at the rates `(sensitivity, specificity)` and at every
/// corner of `band`, the widest result kept.
pub fn corrected_range(
    low: f64,
    high: f64,
    rates: (f64, f64),
    band: Option<&RateBand>,
) -> (f64, f64) {
    let mut corners = vec![rates];
    if let Some(b) = band {
        corners.extend([
            (b.sensitivity_low, b.specificity_low),
            (b.sensitivity_low, b.specificity_high),
            (b.sensitivity_high, b.specificity_low),
            (b.sensitivity_high, b.specificity_high),
        ]);
    }
    let lo = corners
        .iter()
        .map(|(se, sp)| rogan_gladen(low, *se, *sp))
        .fold(f64::INFINITY, f64::min);
    let hi = corners
        .iter()
        .map(|(se, sp)| rogan_gladen(high, *se, *sp))
        .fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

/// What a follower sample says about an account's audience.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SampleEstimate {
    /// Followers in the sample. Unit: followers.
    pub sample_size: usize,
    /// Sampled followers the classifier labels fake. Unit: followers.
    pub labelled_fake: usize,
    /// Estimated share of fake followers: the labelled share corrected for the classifier's
    /// measured sensitivity and specificity, with the Wilson 95% interval of the labelled
    /// share carried through the same correction. Unit: fraction.
    pub fake_share: Interval,
    /// Share of sampled followers with a known following count who follow more than
    /// [`MASS_FOLLOWING`] accounts (Wilson 95%). None when no following count is known.
    pub mass_follower_share: Option<Interval>,
    /// Share of followers who are real and not mass followers:
    /// `(1 - fake_share) * (1 - mass share among followers labelled real)`, interval from the
    /// ends of both intervals. Unit: fraction.
    pub reachable_share: Interval,
}

/// Counts over one account's follower sample, as scoring aggregates them. Unit: followers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SampleCounts {
    /// Followers in the sample.
    pub size: u64,
    /// Labelled fake by the classifier.
    pub fake: u64,
    /// With a known following count, and of those following more than [`MASS_FOLLOWING`].
    pub following_known: u64,
    pub mass: u64,
    /// The same two counts among the followers labelled real.
    pub real_following_known: u64,
    pub real_mass: u64,
}

/// Account-level estimates from a follower sample's counts; None for an empty sample. The
/// fake share is the labelled share, as the model's [`ShareEstimator`] says (as it is, or
/// corrected by Rogan-Gladen); its 95% interval is the Wilson interval of the labelled
/// share, corrected at the estimator's rates and at every corner of the model's
/// [`RateBand`], the widest kept, so it widens with the uncertainty of the error rates on
/// followers unlike the training data as well as with a small sample.
pub fn estimate_sample(model: &FollowerModel, c: &SampleCounts) -> Option<SampleEstimate> {
    if c.size == 0 {
        return None;
    }
    let q = wilson(c.fake as usize, c.size as usize);
    let rates = model.estimator_rates();
    // The interval carries both the sample's error (Wilson) and the classifier's.
    let (low, high) = corrected_range(q.low, q.high, rates, model.rate_band.as_ref());
    let fake_share = Interval {
        estimate: rogan_gladen(q.estimate, rates.0, rates.1),
        low,
        high,
    };
    let mass_follower_share =
        (c.following_known > 0).then(|| wilson(c.mass as usize, c.following_known as usize));
    // Mass followers among the followers labelled real (none known: no discount).
    let mass_real = if c.real_following_known > 0 {
        wilson(c.real_mass as usize, c.real_following_known as usize)
    } else {
        Interval {
            estimate: 0.0,
            low: 0.0,
            high: 0.0,
        }
    };
    let reachable_share = Interval {
        estimate: (1.0 - fake_share.estimate) * (1.0 - mass_real.estimate),
        low: (1.0 - fake_share.high) * (1.0 - mass_real.high),
        high: (1.0 - fake_share.low) * (1.0 - mass_real.low),
    };
    Some(SampleEstimate {
        sample_size: c.size as usize,
        labelled_fake: c.fake as usize,
        fake_share,
        mass_follower_share,
        reachable_share,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_a_worked_value() {
        // 31 of 50: p = 0.62, Wilson 95% = [0.4815, 0.7416].
        let w = wilson(31, 50);
        assert!((w.low - 0.4815).abs() < 1e-3, "{w:?}");
        assert!((w.high - 0.7416).abs() < 1e-3, "{w:?}");
    }

    #[test]
    fn larger_samples_give_narrower_intervals() {
        let small = wilson(31, 50);
        let big = wilson(3100, 5000);
        assert!(big.high - big.low < (small.high - small.low) / 5.0);
    }

    #[test]
    fn the_rate_band_widens_the_interval() {
        let mut m = FollowerModel::shipped().clone();
        let c = SampleCounts {
            size: 300,
            fake: 90,
            ..Default::default()
        };
        m.rate_band = None;
        m.estimator = ShareEstimator::RoganGladen;
        let narrow = estimate_sample(&m, &c).unwrap().fake_share;
        m.rate_band = Some(RateBand {
            sensitivity_low: m.sensitivity - 0.2,
            sensitivity_high: m.sensitivity,
            specificity_low: m.specificity - 0.1,
            specificity_high: m.specificity,
        });
        let wide = estimate_sample(&m, &c).unwrap().fake_share;
        assert_eq!(wide.estimate, narrow.estimate);
        assert!(wide.low <= narrow.low && wide.high >= narrow.high);
        assert!(
            wide.high - wide.low > (narrow.high - narrow.low) * 1.5,
            "{narrow:?} {wide:?}"
        );
    }

    #[test]
    fn classify_and_count_keeps_the_labelled_share_inside_its_interval() {
        let mut m = FollowerModel::shipped().clone();
        m.estimator = ShareEstimator::ClassifyAndCount;
        m.rate_band = Some(RateBand {
            sensitivity_low: 0.5,
            sensitivity_high: 0.9,
            specificity_low: 0.8,
            specificity_high: 0.95,
        });
        let c = SampleCounts {
            size: 200,
            fake: 30,
            ..Default::default()
        };
        let s = estimate_sample(&m, &c).unwrap().fake_share;
        assert_eq!(s.estimate, 0.15);
        let w = wilson(30, 200);
        // Uncorrected Wilson ends, widened by the band's corrections: at Se 0.5, Sp 0.95 the
        // upper end (q + Sp - 1) / (Se + Sp - 1) is well above Wilson's.
        assert!(s.low <= w.low && s.high >= w.high, "{s:?} {w:?}");
        let top = (w.high + 0.95 - 1.0) / (0.5 + 0.95 - 1.0);
        assert!((s.high - top).abs() < 1e-12, "{s:?}");
        assert_eq!(s.low, 0.0);
    }

    #[test]
    fn rogan_gladen_undoes_known_error_rates() {
        // True share 0.3, Se 0.9, Sp 0.95: apparent = 0.3*0.9 + 0.7*0.05 = 0.305.
        assert!((rogan_gladen(0.305, 0.9, 0.95) - 0.3).abs() < 1e-12);
        assert_eq!(rogan_gladen(0.01, 0.9, 0.95), 0.0);
    }
}
