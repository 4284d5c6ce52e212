//! **(microscout)** Follower overlap: how many of an account's sampled followers also appear
//! in the follower samples of other accounts of the drop, as measured by microscout-score's
//! `overlap` module (where each number's formula is documented).
//!
//! A real reader is rarely sampled twice: a sample holds a few dozen of an account's
//! thousands of followers, so even a reader who follows many accounts of the drop turns up in
//! one or two samples. A farm's bots follow every customer of the farm (and, for cover,
//! accounts at random), so the same bots turn up in the samples of many unrelated accounts:
//! a signature no per-follower classifier can see.

use serde::{Deserialize, Serialize};

use crate::Provenance;

/// Samples of the drop (this account's included) a follower must be seen in to count as a
/// farm follower.
pub const FARM_SAMPLES: u32 = 4;

/// Accounts a farm network needs to be listed.
pub const FARM_MIN_ACCOUNTS: usize = 3;

/// The follower overlap of one account. The counts are over the account's sampled followers
/// that were fingerprinted (`measured`); the shares are None when none were (the provenance
/// says why).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowerOverlap {
    /// Sampled followers whose handle fingerprint entered the overlap: the whole sample, or
    /// the same consistent part of every sample when the drop's samples are too large to
    /// hold (`DropOverlap::kept_fraction`). Unit: followers.
    pub measured: u64,
    /// Of those, followers seen in the sample of at least one other account of the drop.
    /// Unit: followers.
    pub shared: u64,
    /// Of those, followers seen in the samples of at least [`FARM_SAMPLES`] accounts. Unit:
    /// followers.
    pub farm: u64,
    /// Of those, followers also seen in the sample of an account on the other side of the
    /// campaign's niche line (an on-niche account's followers in off-niche accounts' samples,
    /// and the other way round); None when the campaign has no keywords or the account no
    /// relevance score. Unit: followers.
    pub outside_niche: Option<u64>,
    /// `shared / measured`. Unit: fraction.
    pub shared_share: Option<f64>,
    /// `farm / measured`. Unit: fraction.
    pub farm_share: Option<f64>,
    /// `outside_niche / measured`. Unit: fraction.
    pub outside_niche_share: Option<f64>,
    /// The suspected farm whose customers this account's sample places it among
    /// (`DropOverlap::farms`), by its number; None when it is in none.
    pub farm_network: Option<u32>,
    pub provenance: Provenance,
}

impl FollowerOverlap {
    /// An account whose overlap could not be measured.
    pub fn unavailable(reason: crate::evidence::Unavailable) -> Self {
        Self {
            measured: 0,
            shared: 0,
            farm: 0,
            outside_niche: None,
            shared_share: None,
            farm_share: None,
            outside_niche_share: None,
            farm_network: None,
            provenance: Provenance::unavailable(reason),
        }
    }
}

impl Default for FollowerOverlap {
    fn default() -> Self {
        Self::unavailable(crate::evidence::Unavailable::NoFollowerSample)
    }
}

/// A suspected follower farm: accounts of the drop judged to have bought followers whose
/// samples share farm followers, linked into one network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Farm {
    /// 1, 2, ... in order of the networks' first account (platform, handle).
    pub number: u32,
    pub platform: crate::Platform,
    /// The network's accounts (handles), sorted.
    pub accounts: Vec<String>,
    /// Distinct farm followers seen in the samples of its accounts. Unit: followers.
    pub followers: u64,
    /// Other accounts of the drop whose samples hold some of those followers (cover follows,
    /// or customers with too small a sample to judge). Unit: accounts.
    pub also_followed: u64,
}

/// The overlap of the drop as a whole.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DropOverlap {
    /// Sampled followers fingerprinted, over every account. Unit: followers.
    pub measured: u64,
    /// Distinct followers among them (per platform). Unit: followers.
    pub distinct: u64,
    /// Distinct followers seen in two or more samples. Unit: followers.
    pub shared: u64,
    /// Distinct followers seen in [`FARM_SAMPLES`] or more samples. Unit: followers.
    pub farm: u64,
    /// The part of each sample's fingerprints kept (1 keeps all). Unit: fraction.
    pub kept_fraction: f64,
    pub farms: Vec<Farm>,
}
