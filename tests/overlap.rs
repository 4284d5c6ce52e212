//! Follower overlap on generated drops: followers shared across samples (farms' bots, keen
//! readers) are counted, and the farm customers found are bought accounts, measured against
//! the truth the generator wrote (`truth.csv`, and each follower's origin in
//! `truth-followers.csv`).

use std::collections::{HashMap, HashSet};

use crate::util::*;

/// Accounts judged by the overlap alone (farm follower share at least 20% over 20 or more
/// followers) against the bought ones, on three seeds of 3,000 accounts with 40 sampled
/// followers each. Levels measured on the shipped code: 12, 4 and 0 bought accounts found,
/// none wrongly (recall 6.5%, 2.7%, 0%): with samples of 40, only the bots of the smallest
/// farms turn up in four samples, and the generator's farms run from 60 to 3,000 bots. The
/// overlap is a rule that is rarely wrong, not one that finds most purchases; the follower
/// classifier and the engagement do that. Asserted: no organic account judged, at least 12
/// found over the three seeds, every listed farm network made of bought accounts, most of them
/// holding one farm's bots.
#[test]
fn farm_followers_name_bought_accounts_and_their_farms_on_three_seeds() {
    let mut found = 0;
    for seed in ["1", "2", "3"] {
        let dir = Scratch::new(&format!("overlap-{seed}"));
        let g = dir.join("gen");
        generate_into(&g, seed, &["--accounts", "3000"]);
        let run = run_ok(
            "data/campaign.toml",
            g.join("drop").to_str().unwrap(),
            &dir.join("out"),
            "2026-11-25T00:00:00Z",
        );
        let key = |r: &HashMap<String, String>| (r["platform"].clone(), r["account_id"].clone());
        let bought: HashSet<(String, String)> = read_csv(&g.join("truth.csv"))
            .iter()
            .filter(|t| t["bought_followers"] == "true")
            .map(key)
            .collect();
        // Each account's farm bots by farm, from the truth.
        let mut farm_bots: HashMap<(String, String), HashMap<String, usize>> = HashMap::new();
        let mut farm_rows = 0;
        for f in read_csv(&g.join("truth-followers.csv")) {
            if f["origin"].starts_with("farm-") {
                farm_rows += 1;
                *farm_bots
                    .entry(key(&f))
                    .or_default()
                    .entry(f["origin"].clone())
                    .or_default() += 1;
            }
        }
        assert!(farm_rows > 1000, "the drop has farm bots ({farm_rows})");
        let scores = read_csv(&run.join("scores.csv"));
        let mut networks: HashMap<String, Vec<(String, String)>> = HashMap::new();
        let mut shared = 0;
        for s in &scores {
            let k = key(s);
            shared += usize::from(
                s["shared_follower_share"]
                    .parse::<f64>()
                    .is_ok_and(|x| x > 0.0),
            );
            let judged = s["authenticity_reasons"].contains("bought from a farm");
            let measured: u64 = s["follower_overlap_measured"].parse().unwrap_or(0);
            let farm: f64 = s["farm_follower_share"].parse().unwrap_or(0.0);
            assert_eq!(judged, measured >= 20 && farm >= 0.2, "{}", s["handle"]);
            if judged {
                assert!(bought.contains(&k), "{} judged but organic", s["handle"]);
                assert!(
                    matches!(
                        s["authenticity_verdict"].as_str(),
                        "bought followers" | "both"
                    ),
                    "{}",
                    s["handle"]
                );
                found += 1;
            }
            if !s["farm_network"].is_empty() {
                assert!(judged, "a network member is judged: {}", s["handle"]);
                networks
                    .entry(s["farm_network"].clone())
                    .or_default()
                    .push(k);
            }
        }
        assert!(
            shared > 500,
            "followers are shared across samples ({shared} accounts)"
        );
        for (n, members) in &networks {
            assert!(members.len() >= 3, "network {n}: {members:?}");
            // One farm's bots are in the samples of most members (a customer that bought
            // from two farms joins their networks).
            let mut members_of_farm: HashMap<&str, usize> = HashMap::new();
            for m in members {
                for farm in farm_bots[m].keys() {
                    *members_of_farm.entry(farm).or_default() += 1;
                }
            }
            let top = members_of_farm.values().max().copied().unwrap_or(0);
            assert!(
                2 * top >= members.len(),
                "network {n}: no farm common to half its members: {members_of_farm:?}"
            );
        }
        eprintln!("seed {seed}: {} farm networks", networks.len());
    }
    eprintln!("found by the overlap: {found}");
    assert!(found >= 12, "found {found}");
}
