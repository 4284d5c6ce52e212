//! Follower-level features: what the data contract's follower sample allows, computed the
//! same way for every platform. A missing input is `NaN` (the trees learn where it goes).
//!
//! | # | feature | formula |
//! |---|---|---|
//! | 0 | `log_posts` | `ln(1 + posts)` |
//! | 1 | `log_followers` | `ln(1 + followers)` |
//! | 2 | `log_following` | `ln(1 + following)` |
//! | 3 | `follow_ratio` | `ln((1 + following) / (1 + followers))` |
//! | 4 | `has_profile_pic` | 0 or 1 |
//! | 5 | `is_private` | 0 or 1 |
//! | 6 | `log_bio_length` | `ln(1 + characters in the bio)` |
//! | 7 | `username_length` | characters in the handle |
//! | 8 | `username_digit_share` | digits / characters in the handle |

use serde::{Deserialize, Serialize};

pub const NAMES: [&str; 9] = [
    "log_posts",
    "log_followers",
    "log_following",
    "follow_ratio",
    "has_profile_pic",
    "is_private",
    "log_bio_length",
    "username_length",
    "username_digit_share",
];

pub const N_FEATURES: usize = NAMES.len();

/// One follower as the classifier sees it. Every field is optional: exports differ in what
/// they carry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Follower {
    pub posts: Option<u64>,
    pub followers: Option<u64>,
    pub following: Option<u64>,
    pub has_profile_pic: Option<bool>,
    pub is_private: Option<bool>,
    /// Characters in the bio (0 for an empty bio; None when the export has no bio field).
    pub bio_length: Option<u64>,
    /// Characters and digits in the handle (None when there is no handle).
    pub username_length: Option<u64>,
    pub username_digits: Option<u64>,
}

impl Follower {
    /// Handle-derived fields from a handle.
    pub fn with_username(self, handle: &str) -> Self {
        self.with_handle_shape(microscout_model::sample::handle_shape(handle))
    }

    /// Handle-derived fields from a handle's characters and digits
    /// ([`microscout_model::sample::handle_shape`]).
    pub fn with_handle_shape(mut self, shape: Option<(u64, u64)>) -> Self {
        if let Some((chars, digits)) = shape {
            self.username_length = Some(chars);
            self.username_digits = Some(digits);
        }
        self
    }

    pub fn features(&self) -> [f64; N_FEATURES] {
        let ln1p = |v: Option<u64>| v.map_or(f64::NAN, |x| (x as f64).ln_1p());
        let b = |v: Option<bool>| v.map_or(f64::NAN, |x| if x { 1.0 } else { 0.0 });
        let ratio = match (self.following, self.followers) {
            (Some(fi), Some(fo)) => ((1.0 + fi as f64) / (1.0 + fo as f64)).ln(),
            _ => f64::NAN,
        };
        let digit_share = match (self.username_digits, self.username_length) {
            (Some(d), Some(l)) if l > 0 => d as f64 / l as f64,
            _ => f64::NAN,
        };
        [
            ln1p(self.posts),
            ln1p(self.followers),
            ln1p(self.following),
            ratio,
            b(self.has_profile_pic),
            b(self.is_private),
            ln1p(self.bio_length),
            self.username_length.map_or(f64::NAN, |l| l as f64),
            digit_share,
        ]
    }
}
