//! Comment evidence on generated drops with comments (`generate --comments`): the planted
//! engagement pods and bought comments are found, named and measured against the truth the
//! generator wrote.

use crate::util::*;

/// Pod members found against the planted ones, on generated drops of three seeds. Levels
/// measured on the shipped code (3,000 accounts: precision 1.000, recall 0.903-0.952);
/// asserted a little below them, and above the bar (precision 0.9, recall 0.8).
/// The generator's pods keep 30-95% of their members' posts and friends' circles 15-65%:
/// the cut between them is real, not made by the generator.
#[test]
fn planted_pods_and_bought_comments_are_found_on_three_seeds() {
    for seed in ["1", "2", "3"] {
        let dir = Scratch::new(&format!("pods-{seed}"));
        let g = dir.join("gen");
        let o = microscout(&[
            "generate",
            "--out",
            g.to_str().unwrap(),
            "--accounts",
            "3000",
            "--seed",
            seed,
            "--comments",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let run = run_ok(
            "data/campaign.toml",
            g.join("drop").to_str().unwrap(),
            &dir.join("out"),
            "2026-11-25T00:00:00Z",
        );
        let truth = read_csv(&g.join("truth-comments.csv"));
        let planted: std::collections::HashSet<(String, String)> = truth
            .iter()
            // A member without posts in the drop has no comments to be found by.
            .filter(|t| !t["pod"].is_empty() && t["comments_written"] != "0")
            .map(|t| (t["platform"].clone(), t["account_id"].clone()))
            .collect();
        assert!(planted.len() > 50, "{} planted", planted.len());
        let scores = read_csv(&run.join("scores.csv"));
        let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
        for s in &scores {
            let key = (s["platform"].clone(), s["account_id"].clone());
            let found = !s["pod_partners"].is_empty();
            match (found, planted.contains(&key)) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                _ => {}
            }
            if found {
                // A member is flagged; one whose pod writes a quarter of its comments is not
                // shortlisted.
                let share: f64 = s["pod_comment_share"].parse().unwrap();
                assert!(s["flags"].contains("engagement_pod"), "{}", s["handle"]);
                if share >= 0.25 {
                    assert!(s["rank"].is_empty(), "{} is shortlisted", s["handle"]);
                }
            }
        }
        // Bought engagement (likes, and now comments from drop-wide farm handles that are
        // mostly generic) against the planted buyers: measured precision 1.000 on the three
        // seeds, recall 0.606-0.667 (half the buyers' posts draw fewer than 15 comments, too
        // few for the comments to judge, and their likes are not flat enough to tell).
        let kinds: std::collections::HashMap<(String, String), String> =
            read_csv(&g.join("truth.csv"))
                .into_iter()
                .map(|t| {
                    (
                        (t["platform"].clone(), t["account_id"].clone()),
                        t["kind"].clone(),
                    )
                })
                .collect();
        let (mut btp, mut bfp, mut bfn) = (0usize, 0usize, 0usize);
        for s in &scores {
            let key = (s["platform"].clone(), s["account_id"].clone());
            let bought = kinds[&key] == "bought_engagement";
            let flagged = s["flags"].contains("bought_engagement");
            match (flagged, bought) {
                (true, true) => btp += 1,
                (true, false) => bfp += 1,
                (false, true) => bfn += 1,
                _ => {}
            }
        }
        let bp = btp as f64 / (btp + bfp).max(1) as f64;
        let br = btp as f64 / (btp + bfn).max(1) as f64;
        eprintln!("seed {seed}: bought engagement precision {bp:.3} recall {br:.3}");
        assert!(
            bp >= 0.95,
            "seed {seed}: bought engagement precision {bp:.3}"
        );
        assert!(br >= 0.55, "seed {seed}: bought engagement recall {br:.3}");
        // Organic accounts with lively comments (30 or more written, no pod, none bought) are
        // never flagged for their engagement, and the top 50 of the shortlist hold no buyer
        // of engagement. (A pod member whose pod writes under a quarter of its comments may
        // stay shortlisted, flagged; one in 10-20 pod members is missed.)
        let lively: std::collections::HashSet<(String, String)> = truth
            .iter()
            .filter(|t| {
                t["pod"].is_empty()
                    && t["bought_comments"] == "0"
                    && t["comments_written"].parse::<u64>().unwrap() >= 30
            })
            .map(|t| (t["platform"].clone(), t["account_id"].clone()))
            .filter(|k| kinds[k] == "organic")
            .collect();
        assert!(
            lively.len() > 500,
            "{} lively organic accounts",
            lively.len()
        );
        let mut real_engagement = (0usize, 0usize);
        for s in &scores {
            let key = (s["platform"].clone(), s["account_id"].clone());
            if lively.contains(&key) {
                for flag in ["engagement_pod", "bought_engagement"] {
                    assert!(!s["flags"].contains(flag), "{} {flag}", s["handle"]);
                }
            }
            if let Ok(rank) = s["rank"].parse::<u32>()
                && rank <= 50
            {
                assert!(
                    !s["flags"].contains("bought_"),
                    "rank {rank}: {}",
                    s["flags"]
                );
                assert_ne!(kinds[&key], "bought_engagement", "rank {rank}");
            }
            if s["authenticity_verdict"] == "real engagement" {
                real_engagement.0 += 1;
                real_engagement.1 += usize::from(kinds[&key] == "bought_engagement");
            }
        }
        // Comments about the post: readers answer it, bought comments fit any post. Measured
        // medians on seed 1: 0.329 for organic accounts, 0.267 for pod members, 0.075 for
        // accounts with bought comments.
        let bought_comments: std::collections::HashSet<(String, String)> = truth
            .iter()
            .filter(|t| t["bought_comments"] != "0")
            .map(|t| (t["platform"].clone(), t["account_id"].clone()))
            .collect();
        let median = |want: &dyn Fn(&(String, String)) -> bool| {
            let mut v: Vec<f64> = scores
                .iter()
                .filter(|s| want(&(s["platform"].clone(), s["account_id"].clone())))
                .filter_map(|s| s["on_topic_comment_share"].parse().ok())
                .collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let organic = median(&|k| lively.contains(k));
        let bought = median(&|k| bought_comments.contains(k));
        eprintln!("seed {seed}: on-topic medians organic {organic:.3}, bought {bought:.3}");
        assert!(organic >= 0.25 && bought <= 0.15, "{organic} {bought}");
        // "Real engagement" (no sample to judge the followers, comments from real readers):
        // measured 660, 689 and 703 accounts, none of them a buyer of engagement.
        eprintln!("seed {seed}: real engagement {real_engagement:?}");
        assert!(
            real_engagement.0 >= 500 && real_engagement.1 == 0,
            "{real_engagement:?}"
        );
        let precision = tp as f64 / (tp + fp).max(1) as f64;
        let recall = tp as f64 / (tp + fn_).max(1) as f64;
        eprintln!("seed {seed}: precision {precision:.3} recall {recall:.3} ({tp} {fp} {fn_})");
        assert!(precision >= 0.95, "seed {seed}: precision {precision:.3}");
        assert!(recall >= 0.88, "seed {seed}: recall {recall:.3}");
    }
}

/// With `[audience] languages`, the bundled sample's comments are read for their language
/// (the generator's readers write in five languages, mostly English): told English for most
/// accounts the shortlist could take, and an account whose commenters write in another
/// language is kept off the shortlist with that reason. Without the setting nothing is read.
#[test]
fn the_comments_language_is_read_when_the_campaign_sets_languages() {
    let dir = Scratch::new("comment-language");
    let campaign = dir.join("campaign.toml");
    let text = std::fs::read_to_string(root().join("data/campaign.toml")).unwrap();
    assert!(text.contains("languages = []"));
    std::fs::write(
        &campaign,
        text.replace("languages = []", "languages = [\"en\"]"),
    )
    .unwrap();
    let run = run_ok(
        campaign.to_str().unwrap(),
        "data/sample/drop",
        &dir.join("out"),
        "2026-11-25T02:00:00Z",
    );
    let scores = read_csv(&run.join("scores.csv"));
    let told: Vec<&str> = scores
        .iter()
        .map(|r| r["comment_language"].as_str())
        .filter(|c| !c.is_empty())
        .collect();
    let english = told.iter().filter(|c| **c == "eng").count();
    // Measured: 93 of 94 told are English, one German.
    assert!(
        told.len() >= 80 && english * 100 >= told.len() * 95,
        "{told:?}"
    );
    let off: Vec<&String> = scores
        .iter()
        .map(|r| &r["not_shortlisted_because"])
        .filter(|w| w.contains("recent comments are in"))
        .collect();
    assert!(!off.is_empty() && off.len() <= 3, "{off:?}");
    assert!(
        off.iter()
            .all(|w| w.contains("not in the book's languages (en)"))
    );
    let plain = run_ok(
        "data/campaign.toml",
        "data/sample/drop",
        &dir.join("out-plain"),
        "2026-11-25T02:00:00Z",
    );
    let scores = read_csv(&plain.join("scores.csv"));
    assert!(scores.iter().all(|r| r["comment_language"].is_empty()
        && r["comment_language_status"].contains("sets no [audience] languages")));
}
