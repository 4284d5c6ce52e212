//! Follower overlap across the drop: which sampled followers also turn up in the samples of
//! other accounts, and the suspected farms whose bots do.
//!
//! The step is split the way the rest of scoring is. While the sample is read, each row
//! leaves one fingerprint pair, (handle fingerprint salted with the platform, account)
//! ([`Fingerprints`]); the pairs of several shards merge by concatenation. The reduce sorts
//! them once and counts, per account, the followers seen in other samples ([`Overlap`]);
//! the per-account step ([`Overlap::apply`]) needs each account's niche side, known once
//! relevance is, and names the farms.
//!
//! Memory is bounded: at most [`MAX_PAIRS`] pairs are held (16 bytes each). When a drop's
//! samples hold more, only followers whose fingerprint falls in the lowest half of the hash
//! range are kept, then the lowest quarter, and so on: the same followers in every sample,
//! so a follower kept in one sample is kept in all, and every share is estimated on the
//! same random part of each sample (the kept part is the largest power-of-two fraction
//! whose pairs fit, whatever order the rows came in).

use microscout_model::evidence::Unavailable;
use microscout_model::overlap::{DropOverlap, FARM_SAMPLES, Farm, FollowerOverlap};
use microscout_model::{AccountScore, Campaign, Provenance};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Fingerprint pairs held at most (16 bytes each: 64 MiB, and the vectors' spare room).
pub const MAX_PAIRS: usize = 4 << 20;

/// Fingerprinted followers an account needs before its farm share can say "bought".
pub const MIN_OVERLAP_SAMPLE: u64 = 20;

/// `farm_share` at or above which a sample says the account bought followers from a farm,
/// and joins the farm networks ([`DropOverlap::farms`]).
pub const FARM_BOUGHT: f64 = 0.2;

pub use microscout_model::overlap::FARM_MIN_ACCOUNTS;

/// The salt of a platform's fingerprints ([`Fingerprints::push`]): the same handle on two
/// platforms is two people.
pub fn salt(platform: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(platform.as_bytes())
}

/// Buckets the pairs are spread over by the low bits of their fingerprint, so that the
/// reduce sorts small buckets in parallel (each fits a core's cache) instead of one long
/// vector. A follower's pairs are all in one bucket.
const BUCKETS: usize = 256;

/// The fingerprint pairs of the follower sample, added as the rows are read.
#[derive(Debug, Clone)]
pub struct Fingerprints {
    /// (salted fingerprint, account index), in [`BUCKETS`] buckets by `fp % BUCKETS`.
    buckets: Vec<Vec<(u64, u32)>>,
    /// Pairs held.
    len: usize,
    /// Pairs are kept when the top `shift` bits of their fingerprint are 0.
    shift: u32,
    cap: usize,
}

impl Default for Fingerprints {
    fn default() -> Self {
        Self::with_cap(MAX_PAIRS)
    }
}

impl Fingerprints {
    /// Holding at most `cap` pairs.
    pub fn with_cap(cap: usize) -> Self {
        Self {
            buckets: vec![Vec::new(); BUCKETS],
            len: 0,
            shift: 0,
            cap: cap.max(1),
        }
    }

    fn keeps(shift: u32, fp: u64) -> bool {
        shift == 0 || fp >> (64 - shift) == 0
    }

    /// Adds follower `fp` (`microscout_model::sample::handle_fingerprint`) of account
    /// `account` (an index of the caller's) on the platform whose [`salt`] is `salt`.
    pub fn push(&mut self, salt: u64, fp: u64, account: u32) {
        let fp = fp ^ salt;
        if Self::keeps(self.shift, fp) {
            self.buckets[fp as usize % BUCKETS].push((fp, account));
            self.len += 1;
            if self.len > self.cap {
                self.thin();
            }
        }
    }

    /// Adds every pair of `other` (a shard of the same drop, with the same account indices).
    pub fn merge(&mut self, other: Fingerprints) {
        self.shift = self.shift.max(other.shift);
        for (mine, theirs) in self.buckets.iter_mut().zip(other.buckets) {
            mine.extend(theirs);
        }
        self.retain();
        self.thin();
    }

    /// Drops the pairs outside the kept part of the hash range.
    fn retain(&mut self) {
        let shift = self.shift;
        self.len = 0;
        for b in &mut self.buckets {
            b.retain(|(fp, _)| Self::keeps(shift, *fp));
            self.len += b.len();
        }
    }

    /// Halves the kept part of the hash range until the pairs fit.
    fn thin(&mut self) {
        while self.len > self.cap && self.shift < 63 {
            self.shift += 1;
            self.retain();
        }
    }

    /// The part of each sample kept. Unit: fraction.
    pub fn kept_fraction(&self) -> f64 {
        0.5f64.powi(self.shift as i32)
    }

    /// The reduce: `accounts` are the (platform, account_id) of the indices pushed.
    ///
    /// Per account: `measured` = its fingerprinted followers (a follower listed twice in one
    /// sample counts once); `shared` = those also in another account's sample; `farm` =
    /// those in the samples of at least [`FARM_SAMPLES`] accounts. Unit: followers.
    pub fn finish(mut self, accounts: Vec<(String, String)>) -> Overlap {
        let kept_fraction = self.kept_fraction();
        // By fingerprint only (cheaper than by pair); a follower listed twice in one sample
        // (handles differing in case) is counted once below.
        self.buckets
            .par_iter_mut()
            .for_each(|b| b.sort_unstable_by_key(|p| p.0));
        let n = accounts.len();
        let (mut measured, mut shared, mut farm) = (vec![0u32; n], vec![0u32; n], vec![0u32; n]);
        let mut members = Vec::new();
        let mut starts = vec![0u32];
        let mut drop = DropOverlap {
            kept_fraction,
            ..Default::default()
        };
        let mut group_accounts = Vec::new();
        for group in self
            .buckets
            .iter()
            .flat_map(|b| b.chunk_by(|x, y| x.0 == y.0))
        {
            drop.distinct += 1;
            group_accounts.clear();
            group_accounts.extend(group.iter().map(|p| p.1));
            if group_accounts.len() > 1 {
                group_accounts.sort_unstable();
                group_accounts.dedup();
            }
            drop.measured += group_accounts.len() as u64;
            for &a in &group_accounts {
                measured[a as usize] += 1;
            }
            if group_accounts.len() >= 2 {
                drop.shared += 1;
                let is_farm = group_accounts.len() >= FARM_SAMPLES as usize;
                drop.farm += u64::from(is_farm);
                for &a in &group_accounts {
                    shared[a as usize] += 1;
                    farm[a as usize] += u32::from(is_farm);
                    members.push(a);
                }
                starts.push(members.len() as u32);
            }
        }
        let mut sampled_per_platform: FxHashMap<&str, u32> = FxHashMap::default();
        for (i, (platform, _)) in accounts.iter().enumerate() {
            if measured[i] > 0 {
                *sampled_per_platform.entry(platform).or_default() += 1;
            }
        }
        let alone = accounts
            .iter()
            .map(|(p, _)| sampled_per_platform.get(p.as_str()).copied().unwrap_or(0) < 2)
            .collect();
        let index = accounts
            .into_iter()
            .enumerate()
            .map(|(i, k)| (k, i as u32))
            .collect();
        Overlap {
            index,
            measured,
            shared,
            farm,
            alone,
            members,
            starts,
            drop,
        }
    }
}

/// The follower overlap of a drop, reduced: per account its counts, and every follower seen
/// in two or more samples with the accounts it was seen at.
#[derive(Debug, Clone, Default)]
pub struct Overlap {
    /// (platform, account_id) -> the account's index in the vectors below.
    index: FxHashMap<(String, String), u32>,
    measured: Vec<u32>,
    shared: Vec<u32>,
    farm: Vec<u32>,
    /// No other account of the platform has a fingerprinted sample.
    alone: Vec<bool>,
    /// The accounts of each shared follower: group `g` is `members[starts[g]..starts[g + 1]]`.
    members: Vec<u32>,
    starts: Vec<u32>,
    drop: DropOverlap,
}

impl Overlap {
    /// A drop without a follower sample.
    pub fn none() -> Self {
        Self {
            starts: vec![0],
            drop: DropOverlap {
                kept_fraction: 1.0,
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn groups(&self) -> impl Iterator<Item = &[u32]> + '_ {
        self.starts
            .windows(2)
            .map(|w| &self.members[w[0] as usize..w[1] as usize])
    }

    /// Sets every scored account's [`FollowerOverlap`] and returns the drop's, with the farm
    /// networks. An account's niche side is `relevance >= [audience] min-relevance`
    /// (unknown without keywords, or without a relevance score).
    ///
    /// Formulas, per account over its `measured` fingerprinted followers: `shared_share =
    /// shared / measured`; `farm_share = farm / measured`; `outside_niche_share =
    /// outside_niche / measured`, where `outside_niche` counts followers also in the sample
    /// of an account whose niche side is the other one. Unit: fraction.
    ///
    /// Farm networks: the accounts with at least [`MIN_OVERLAP_SAMPLE`] measured followers
    /// and `farm_share >= FARM_BOUGHT`, joined when a farm follower is in both samples;
    /// networks of at least [`FARM_MIN_ACCOUNTS`] accounts are listed, numbered in order of
    /// (platform, first handle).
    pub fn apply(&self, scored: &mut [AccountScore], campaign: &Campaign) -> DropOverlap {
        let n = self.measured.len();
        let mut position = vec![None; n];
        for (p, s) in scored.iter().enumerate() {
            if let Some(&i) = self
                .index
                .get(&(s.platform.to_string(), s.account_id.clone()))
            {
                position[i as usize] = Some(p);
            }
        }
        let side: Vec<Option<bool>> = position
            .iter()
            .map(|p| {
                let s = &scored[(*p)?];
                // (No score without keywords.)
                Some(s.relevance.score? >= campaign.audience.min_relevance)
            })
            .collect();
        let mut outside = vec![0u32; n];
        for group in self.groups() {
            let on = group.iter().any(|&a| side[a as usize] == Some(true));
            let off = group.iter().any(|&a| side[a as usize] == Some(false));
            if on && off {
                for &a in group {
                    outside[a as usize] += u32::from(side[a as usize].is_some());
                }
            }
        }
        let provenance = if self.drop.kept_fraction < 1.0 {
            Provenance::Estimated {
                model: format!(
                    "the same {} of every follower sample (a consistent hash sample: the drop's samples exceed {} fingerprints)",
                    microscout_model::numfmt::percent(self.drop.kept_fraction),
                    microscout_model::numfmt::count(MAX_PAIRS as u64)
                ),
            }
        } else {
            Provenance::measured()
        };
        for (i, p) in position.iter().enumerate() {
            let Some(p) = *p else { continue };
            let s = &mut scored[p];
            let m = u64::from(self.measured[i]);
            s.overlap = if m == 0 && self.drop.kept_fraction >= 1.0 {
                FollowerOverlap::unavailable(Unavailable::NoFollowerHandles)
            } else if m == 0 {
                FollowerOverlap::unavailable(Unavailable::OverlapNotKept {
                    kept_fraction: self.drop.kept_fraction,
                })
            } else if self.alone[i] {
                FollowerOverlap::unavailable(Unavailable::NoOtherSamples)
            } else {
                let share = |x: u64| Some(x as f64 / m as f64);
                let on_side = side[i].is_some();
                let outside_niche = on_side.then_some(u64::from(outside[i]));
                FollowerOverlap {
                    measured: m,
                    shared: u64::from(self.shared[i]),
                    farm: u64::from(self.farm[i]),
                    outside_niche,
                    shared_share: share(u64::from(self.shared[i])),
                    farm_share: share(u64::from(self.farm[i])),
                    outside_niche_share: outside_niche.and_then(share),
                    farm_network: None,
                    provenance: provenance.clone(),
                }
            };
        }
        let mut drop = self.drop.clone();
        drop.farms = self.farms(scored, &position);
        drop
    }

    /// The farm networks (see [`Overlap::apply`]); sets each member's `farm_network`.
    fn farms(&self, scored: &mut [AccountScore], position: &[Option<usize>]) -> Vec<Farm> {
        let judged: Vec<bool> = position
            .iter()
            .map(|p| {
                p.is_some_and(|p| {
                    let o = &scored[p].overlap;
                    o.measured >= MIN_OVERLAP_SAMPLE
                        && o.farm_share.is_some_and(|f| f >= FARM_BOUGHT)
                })
            })
            .collect();
        let mut groups = crate::stats::Groups::new(self.measured.len());
        let farm_groups = || self.groups().filter(|g| g.len() >= FARM_SAMPLES as usize);
        for g in farm_groups() {
            let mut judged_members = g.iter().filter(|&&a| judged[a as usize]);
            if let Some(&first) = judged_members.next() {
                for &a in judged_members {
                    groups.join(first as usize, a as usize);
                }
            }
        }
        let mut networks: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        for (a, _) in judged.iter().enumerate().filter(|(_, j)| **j) {
            networks.entry(groups.root(a)).or_default().push(a);
        }
        networks.retain(|_, m| m.len() >= FARM_MIN_ACCOUNTS);
        // Followers and other accounts of each network.
        let mut followers: FxHashMap<usize, u64> = FxHashMap::default();
        let mut others: FxHashMap<usize, rustc_hash::FxHashSet<u32>> = FxHashMap::default();
        for g in farm_groups() {
            let Some(&root) = g
                .iter()
                .find(|&&a| judged[a as usize])
                .map(|&a| groups.root(a as usize))
                .as_ref()
                .filter(|r| networks.contains_key(r))
            else {
                continue;
            };
            *followers.entry(root).or_default() += 1;
            let o = others.entry(root).or_default();
            o.extend(g.iter().filter(|&&a| !judged[a as usize]));
        }
        let mut farms: Vec<(usize, Farm)> = networks
            .into_iter()
            .map(|(root, members)| {
                let mut handles: Vec<String> = members
                    .iter()
                    .filter_map(|&a| position[a].map(|p| scored[p].handle.clone()))
                    .collect();
                handles.sort();
                let platform =
                    scored[position[members[0]].expect("judged accounts are scored")].platform;
                (
                    root,
                    Farm {
                        number: 0,
                        platform,
                        accounts: handles,
                        followers: followers.get(&root).copied().unwrap_or(0),
                        also_followed: others.get(&root).map_or(0, |o| o.len() as u64),
                    },
                )
            })
            .collect();
        farms.sort_by(|(_, x), (_, y)| {
            (x.platform.to_string(), &x.accounts).cmp(&(y.platform.to_string(), &y.accounts))
        });
        let mut number_of_root = FxHashMap::default();
        for (k, (root, farm)) in farms.iter_mut().enumerate() {
            farm.number = k as u32 + 1;
            number_of_root.insert(*root, farm.number);
        }
        for (a, p) in position.iter().enumerate() {
            if let (Some(p), true) = (p, judged[a]) {
                scored[*p].overlap.farm_network = number_of_root.get(&groups.root(a)).copied();
            }
        }
        farms.into_iter().map(|(_, f)| f).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use microscout_model::sample::handle_fingerprint;

    fn fp(h: &str) -> u64 {
        handle_fingerprint(h).expect("a handle")
    }

    fn keys(n: usize) -> Vec<(String, String)> {
        (0..n)
            .map(|i| ("instagram".to_string(), i.to_string()))
            .collect()
    }

    /// Account `i` follows the handles of `samples[i]`.
    fn fingerprints(samples: &[&[&str]], cap: usize) -> Fingerprints {
        let mut f = Fingerprints::with_cap(cap);
        for (i, s) in samples.iter().enumerate() {
            for h in *s {
                f.push(salt("instagram"), fp(h), i as u32);
            }
        }
        f
    }

    fn scored(n: usize, relevance: &[Option<f64>]) -> Vec<AccountScore> {
        let c = Campaign::default();
        (0..n)
            .map(|i| {
                let f = crate::features::AccountFeatures {
                    platform: "instagram".into(),
                    account_id: i.to_string(),
                    handle: format!("acct{i}"),
                    ..Default::default()
                };
                let mut s = crate::metrics::account_score(
                    &f,
                    &crate::authenticity::DropStats::compute(&[], &c),
                    &c,
                );
                s.relevance.score = relevance.get(i).copied().flatten();
                s
            })
            .collect()
    }

    #[test]
    fn counts_followers_seen_in_other_samples_and_in_many() {
        // "bot" follows all four accounts, "fan" two, the rest one.
        let samples: &[&[&str]] = &[
            &["bot", "fan", "a1", "A1"],
            &["bot", "fan", "b1"],
            &["@BOT", "c1"],
            &["bot"],
        ];
        let o = fingerprints(samples, 100).finish(keys(4));
        // "a1" and "A1" are one follower (handles are case-insensitive).
        assert_eq!(o.measured, [3, 3, 2, 1]);
        assert_eq!(o.shared, [2, 2, 1, 1]);
        assert_eq!(o.farm, [1, 1, 1, 1]);
        assert_eq!((o.drop.distinct, o.drop.shared, o.drop.farm), (5, 2, 1));
        let mut s = scored(4, &[Some(0.9), Some(0.9), Some(0.1), None]);
        let drop = o.apply(&mut s, &Campaign::default());
        assert_eq!(s[0].overlap.shared_share, Some(2.0 / 3.0));
        assert_eq!(s[0].overlap.farm_share, Some(1.0 / 3.0));
        // Only "bot" is also followed across the niche line (by account 2); account 3 has no
        // relevance score, so no side.
        assert_eq!(s[0].overlap.outside_niche, Some(1));
        assert_eq!(s[2].overlap.outside_niche, Some(1));
        assert_eq!(s[3].overlap.outside_niche, None);
        assert!(drop.farms.is_empty(), "samples too small to judge");
    }

    #[test]
    fn the_same_handle_on_two_platforms_is_two_followers() {
        let mut f = Fingerprints::default();
        f.push(salt("instagram"), fp("anna"), 0);
        f.push(salt("tiktok"), fp("anna"), 1);
        let keys = vec![
            ("instagram".to_string(), "0".to_string()),
            ("tiktok".to_string(), "1".to_string()),
        ];
        let o = f.finish(keys);
        assert_eq!(o.shared, [0, 0]);
        assert_eq!(o.alone, [true, true], "each is alone on its platform");
    }

    /// Followers of 40 accounts: 30 farm bots each in the samples of accounts 0-9, and
    /// one-offs.
    fn drop_samples() -> Vec<Vec<String>> {
        (0..40)
            .map(|i| {
                let mut s: Vec<String> = (0..30).map(|k| format!("u{i}_{k}")).collect();
                if i < 10 {
                    s.extend((0..30).map(|k| format!("bot{k}")));
                }
                s
            })
            .collect()
    }

    fn of(samples: &[Vec<String>], order: &[usize], cap: usize) -> Fingerprints {
        let mut f = Fingerprints::with_cap(cap);
        for &i in order {
            for h in &samples[i] {
                f.push(salt("instagram"), fp(h), i as u32);
            }
        }
        f
    }

    #[test]
    fn a_full_buffer_keeps_the_same_followers_in_every_sample_whatever_the_order() {
        let samples = drop_samples();
        let forward: Vec<usize> = (0..40).collect();
        let backward: Vec<usize> = (0..40).rev().collect();
        let (a, b) = (of(&samples, &forward, 300), of(&samples, &backward, 300));
        assert!(a.kept_fraction() < 1.0 && a.kept_fraction() >= 0.125);
        assert_eq!(a.kept_fraction(), b.kept_fraction());
        let (a, b) = (a.finish(keys(40)), b.finish(keys(40)));
        assert_eq!(
            (&a.measured, &a.shared, &a.farm),
            (&b.measured, &b.shared, &b.farm)
        );
        // A kept bot is kept in all ten samples: farm counts are equal across them.
        assert!(a.farm[..10].iter().all(|&f| f == a.farm[0]) && a.farm[0] > 0);
        assert!(a.farm[10..].iter().all(|&f| f == 0));
        // Two shards merged are the same as one pass.
        let (mut x, y) = (
            of(&samples, &forward[..25], 300),
            of(&samples, &forward[25..], 300),
        );
        x.merge(y);
        let m = x.finish(keys(40));
        assert_eq!((&m.measured, &m.farm), (&a.measured, &a.farm));
    }

    #[test]
    fn farm_customers_form_one_network_and_the_verdict_names_it() {
        let samples = drop_samples();
        let order: Vec<usize> = (0..40).collect();
        let o = of(&samples, &order, MAX_PAIRS).finish(keys(40));
        let mut s = scored(40, &[]);
        let drop = o.apply(&mut s, &Campaign::default());
        assert_eq!(drop.farms.len(), 1);
        let farm = &drop.farms[0];
        assert_eq!(
            (farm.number, farm.followers, farm.accounts.len()),
            (1, 30, 10)
        );
        assert_eq!(s[0].overlap.farm_share, Some(0.5));
        assert_eq!(s[0].overlap.farm_network, Some(1));
        assert_eq!(s[10].overlap.farm_network, None);
        assert_eq!(s[10].overlap.shared_share, Some(0.0));
        for a in &mut s {
            crate::authenticity::apply_overlap(a);
        }
        assert!(s[0].authenticity.verdict.bought_followers());
        assert!(!s[10].authenticity.verdict.bought_followers());
        let flagged = s[0].flags.iter().any(|f| {
            matches!(&f.reason, microscout_model::evidence::FlagReason::BoughtFollowers { evidence }
                if evidence.iter().any(|r| matches!(r, microscout_model::evidence::AuthenticityReason::FarmFollowers { network: Some(1), .. })))
        });
        assert!(flagged, "{:?}", s[0].flags);
    }
}
