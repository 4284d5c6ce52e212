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

use std::ops::Range;

use microscout_model::sample::FollowerRows;
use serde::{Deserialize, Serialize};

use crate::gbdt::FlatGbdt;

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
        std::array::from_fn(|j| self.feature(j))
    }

    /// Feature `j` of [`NAMES`] (the formulas of the module docs).
    pub fn feature(&self, j: usize) -> f64 {
        let ln1p = |v: Option<u64>| v.map_or(f64::NAN, |x| (x as f64).ln_1p());
        let b = |v: Option<bool>| v.map_or(f64::NAN, |x| if x { 1.0 } else { 0.0 });
        match j {
            0 => ln1p(self.posts),
            1 => ln1p(self.followers),
            2 => ln1p(self.following),
            3 => match (self.following, self.followers) {
                (Some(fi), Some(fo)) => ((1.0 + fi as f64) / (1.0 + fo as f64)).ln(),
                _ => f64::NAN,
            },
            4 => b(self.has_profile_pic),
            5 => b(self.is_private),
            6 => ln1p(self.bio_length),
            7 => self.username_length.map_or(f64::NAN, |l| l as f64),
            8 => match (self.username_digits, self.username_length) {
                (Some(d), Some(l)) if l > 0 => d as f64 / l as f64,
                _ => f64::NAN,
            },
            _ => panic!("no feature {j}: there are {N_FEATURES}"),
        }
    }
}

/// Counts below this are coded from a table (posts, followers, following, bio length).
const COUNT_TABLE: u64 = 4096;
/// Handles shorter than this are coded from a table (length, and digit share).
const HANDLE_TABLE: u64 = 64;
/// The count features: (feature index, the follower with that count).
const COUNTS: [usize; 4] = [0, 1, 2, 6];

fn with_count(j: usize, n: u64) -> Follower {
    let mut f = Follower::default();
    match j {
        0 => f.posts = Some(n),
        1 => f.followers = Some(n),
        2 => f.following = Some(n),
        6 => f.bio_length = Some(n),
        _ => unreachable!("feature {j} is not a count"),
    }
    f
}

/// The bin codes ([`FlatGbdt::code`]) of the features of followers given as
/// [`FollowerRows`], for prediction in blocks ([`FlatGbdt::predict_coded`]). The codes of
/// small counts and short handles come from tables whose every entry is the code of the
/// feature as [`Follower::feature`] computes it, so the codes (and the probabilities) are
/// those of [`FlatGbdt::predict_rows`] on [`Follower::features`], bit for bit, with one
/// logarithm per row (the follow ratio) instead of five.
pub struct FollowerCoder<'m> {
    model: &'m FlatGbdt,
    /// Per feature of [`COUNTS`], the codes of `0..COUNT_TABLE`.
    counts: [Vec<u8>; 4],
    /// Per feature, the code of a missing value.
    missing: [u8; N_FEATURES],
    /// Profile picture and private: the codes of false and true.
    flags: [[u8; 2]; 2],
    /// Handle length `l`, and digit share at `l * HANDLE_TABLE + digits`.
    username: Vec<u8>,
    digits: Vec<u8>,
}

impl<'m> FollowerCoder<'m> {
    pub fn new(model: &'m FlatGbdt) -> Self {
        let code = |f: &Follower, j: usize| model.code(j, f.feature(j));
        let counts = COUNTS.map(|j| {
            (0..COUNT_TABLE)
                .map(|n| code(&with_count(j, n), j))
                .collect()
        });
        let missing = std::array::from_fn(|j| code(&Follower::default(), j));
        let flag = |j: usize, set: fn(bool) -> Follower| [false, true].map(|b| code(&set(b), j));
        let flags = [
            flag(4, |b| Follower {
                has_profile_pic: Some(b),
                ..Default::default()
            }),
            flag(5, |b| Follower {
                is_private: Some(b),
                ..Default::default()
            }),
        ];
        let handle = |l: u64, d: u64| Follower::default().with_handle_shape(Some((l, d)));
        let username = (0..HANDLE_TABLE).map(|l| code(&handle(l, 0), 7)).collect();
        let digits = (0..HANDLE_TABLE)
            .flat_map(|l| (0..HANDLE_TABLE).map(move |d| (l, d)))
            .map(|(l, d)| code(&handle(l, d), 8))
            .collect();
        Self {
            model,
            counts,
            missing,
            flags,
            username,
            digits,
        }
    }

    fn count(&self, k: usize, v: Option<u64>) -> u8 {
        let j = COUNTS[k];
        match v {
            None => self.missing[j],
            Some(n) if n < COUNT_TABLE => self.counts[k][n as usize],
            Some(n) => self.model.code(j, with_count(j, n).feature(j)),
        }
    }

    /// The fake probability of rows `range` of `rows`; `bio_known` false when the export
    /// carries no bios (every bio length is then missing, not 0).
    pub fn predict(&self, rows: &FollowerRows, range: Range<usize>, bio_known: bool) -> Vec<f64> {
        const B: usize = FlatGbdt::BLOCK;
        self.model.predict_coded(range.len(), |start, codes| {
            let first = range.start + start;
            let last = range.end.min(first + B);
            for (r, i) in (first..last).enumerate() {
                let (posts, followers, following) =
                    (rows.posts[i], rows.followers[i], rows.following[i]);
                codes[r] = self.count(0, posts);
                codes[B + r] = self.count(1, followers);
                codes[2 * B + r] = self.count(2, following);
                codes[3 * B + r] = match (following, followers) {
                    (Some(_), Some(_)) => {
                        let f = Follower {
                            following,
                            followers,
                            ..Default::default()
                        };
                        self.model.code(3, f.feature(3))
                    }
                    _ => self.missing[3],
                };
                let flag = |k: usize, v: Option<bool>| {
                    v.map_or(self.missing[4 + k], |b| self.flags[k][usize::from(b)])
                };
                codes[4 * B + r] = flag(0, rows.has_profile_pic[i]);
                codes[5 * B + r] = flag(1, rows.is_private[i]);
                let bio = bio_known.then(|| rows.bio_chars[i].unwrap_or(0));
                codes[6 * B + r] = self.count(3, bio);
                let (length, share) = match rows.handle[i] {
                    None => (self.missing[7], self.missing[8]),
                    Some((l, d)) if l < HANDLE_TABLE && d < HANDLE_TABLE => (
                        self.username[l as usize],
                        self.digits[(l * HANDLE_TABLE + d) as usize],
                    ),
                    Some(shape) => {
                        let f = Follower::default().with_handle_shape(Some(shape));
                        (
                            self.model.code(7, f.feature(7)),
                            self.model.code(8, f.feature(8)),
                        )
                    }
                };
                codes[7 * B + r] = length;
                codes[8 * B + r] = share;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use microscout_model::sample::FollowerRow;

    /// The coder's codes are the features' codes: probabilities equal bit for bit, on rows
    /// with every kind of value (missing, 0, small, at and past the tables' ends, long
    /// handles), with and without bios, over ranges that do not start at a block.
    #[test]
    fn coded_rows_predict_what_their_features_predict() {
        let model = crate::FollowerModel::shipped().compiled();
        let coder = FollowerCoder::new(&model);
        let mut rng = microscout_generate::rng::Rng::new(11, 0, 0);
        let mut next = |m: u64| rng.below(m);
        let count = |next: &mut dyn FnMut(u64) -> u64| match next(6) {
            0 => None,
            1 => Some(0),
            2 => Some(COUNT_TABLE - 1 + next(3)),
            3 => Some(next(10_000_000)),
            _ => Some(next(3000)),
        };
        let mut rows = FollowerRows::default();
        let mut handles = Vec::new();
        let mut bios = Vec::new();
        for _ in 0..5000 {
            let len = 1 + next(80) as usize;
            let handle: String = (0..len)
                .map(|_| char::from(b"ab9_z0."[next(7) as usize]))
                .collect();
            let bio = "é".repeat(next(200) as usize);
            let flag = |v: u64| [None, Some(false), Some(true)][v as usize];
            let (posts, followers, following) =
                (count(&mut next), count(&mut next), count(&mut next));
            let (pic, private) = (flag(next(3)), flag(next(3)));
            let bio = (next(4) != 0).then_some(bio);
            rows.push(FollowerRow {
                platform: "instagram",
                account_id: "1",
                handle: &handle,
                posts,
                followers,
                following,
                has_profile_pic: pic,
                is_private: private,
                bio: bio.as_deref(),
            });
            handles.push(handle);
            bios.push(bio);
        }
        for bio_known in [true, false] {
            for range in [0..5000, 1..5000, 300..301, 257..4999] {
                let want: Vec<[f64; N_FEATURES]> = range
                    .clone()
                    .map(|i| {
                        Follower {
                            posts: rows.posts[i],
                            followers: rows.followers[i],
                            following: rows.following[i],
                            has_profile_pic: rows.has_profile_pic[i],
                            is_private: rows.is_private[i],
                            bio_length: bio_known
                                .then(|| bios[i].as_ref().map_or(0, |b| b.chars().count() as u64)),
                            ..Default::default()
                        }
                        .with_username(&handles[i])
                        .features()
                    })
                    .collect();
                let want: Vec<u64> = model
                    .predict_rows(&want)
                    .iter()
                    .map(|p| p.to_bits())
                    .collect();
                let got: Vec<u64> = coder
                    .predict(&rows, range.clone(), bio_known)
                    .iter()
                    .map(|p| p.to_bits())
                    .collect();
                assert_eq!(got, want, "{range:?}, bios known: {bio_known}");
            }
        }
    }
}
