//! Authenticity on generated drops, measured against the generator's ground truth.

use std::collections::HashMap;

use crate::util::*;

const AS_OF: &str = "2026-11-25T00:00:00Z";

struct Case {
    row: HashMap<String, String>,
    truth: HashMap<String, String>,
}

/// The scored accounts of a generated drop with their truth, and the run folder.
fn scored_drop(dir: &Scratch, seed: &str, accounts: &str) -> (Vec<Case>, std::path::PathBuf) {
    let generated = dir.join("gen");
    generate_into(&generated, seed, &["--accounts", accounts]);
    let run = run_ok(
        "data/campaign.toml",
        generated.join("drop").to_str().unwrap(),
        &dir.join("out"),
        AS_OF,
    );
    let truth: HashMap<String, HashMap<String, String>> = read_csv(&generated.join("truth.csv"))
        .into_iter()
        .map(|r| (r["account_id"].clone(), r))
        .collect();
    let cases = read_csv(&run.join("scores.csv"))
        .into_iter()
        .map(|row| Case {
            truth: truth[&row["account_id"]].clone(),
            row,
        })
        .collect();
    (cases, run)
}

fn precision_recall(
    cases: &[&Case],
    said: impl Fn(&Case) -> bool,
    is: impl Fn(&Case) -> bool,
) -> (f64, f64, usize) {
    let tp = cases.iter().filter(|c| said(c) && is(c)).count() as f64;
    let fp = cases.iter().filter(|c| said(c) && !is(c)).count() as f64;
    let fneg = cases.iter().filter(|c| !said(c) && is(c)).count() as f64;
    (
        tp / (tp + fp).max(1.0),
        tp / (tp + fneg).max(1.0),
        (tp + fneg) as usize,
    )
}

fn verdict(c: &Case) -> &str {
    c.row["authenticity_verdict"].as_str()
}

#[test]
fn bought_followers_are_found() {
    let dir = Scratch::new("authenticity");
    let (cases, run) = scored_drop(&dir, "11", "2000");
    let sampled: Vec<&Case> = cases
        .iter()
        .filter(|c| c.row["follower_sample_size"].parse::<u64>().unwrap() >= 10)
        .collect();
    let said = |c: &Case| matches!(verdict(c), "bought followers" | "both");
    let is = |c: &Case| c.truth["bought_followers"] == "true";
    let (p, r, n) = precision_recall(&sampled, said, is);
    eprintln!(
        "bought followers, accounts with a sample: precision {p:.3}, recall {r:.3} over {n} bought accounts"
    );
    assert!(
        n >= 50,
        "the drop has enough bought accounts to measure ({n})"
    );
    // The levels measured on the hard generator (bought shares from 10% to 80%, bots
    // without a single giveaway, real lurkers, followers shared across samples through farms
    // and keen readers) with the model trained on three datasets (seed 11, 2,000 accounts):
    // 0.765 and 0.364 (seeds 7 and 3: 0.820/0.360 and 0.900/0.353). The intervals carry the
    // error rates measured on datasets left out (sensitivity down to 49%, specificity down
    // to 82%), so most bought shares under about half stay "uncertain"; the follower overlap
    // adds 2, 10 and 0 of the bought accounts, with no false one. (Before followers were
    // shared, 0.774/0.449: every handle then ended in a one- or two-letter code, which made
    // handles of different people in different samples the same; the injective codes that
    // keep them apart make handles three letters longer, which the classifier reads as
    // slightly more human.) A drop below these levels is a regression.
    assert!(p >= 0.74, "precision {p:.3}");
    assert!(r >= 0.34, "recall {r:.3}");
    let all: Vec<&Case> = cases.iter().collect();
    let (p_all, _, _) = precision_recall(&all, said, is);
    assert!(p_all >= 0.74, "precision over all accounts {p_all:.3}");

    // The estimated fake share (the labelled share: classify and count won the evaluation
    // on datasets left out) against the share in each account's sample: measured mean
    // absolute error 0.172 (bias +0.168: real lurkers labelled fake) and 95% interval
    // coverage 89.9% with a median width of 0.79 (seeds 7 and 3: 0.177/89.0%, 0.174/89.3%).
    // The first release's intervals covered 23%, the two-dataset band 65%.
    let (mut abs, mut covered, mut n_share) = (0.0, 0usize, 0usize);
    for c in &sampled {
        let (Ok(truth), Ok(est)) = (
            c.truth["sample_fake_share"].parse::<f64>(),
            c.row["fake_share"].parse::<f64>(),
        ) else {
            continue;
        };
        let (lo, hi): (f64, f64) = (
            c.row["fake_share_low"].parse().unwrap(),
            c.row["fake_share_high"].parse().unwrap(),
        );
        abs += (est - truth).abs();
        covered += usize::from(lo <= truth && truth <= hi);
        n_share += 1;
    }
    let (mae, coverage) = (abs / n_share as f64, covered as f64 / n_share as f64);
    eprintln!("fake share over {n_share} sampled accounts: MAE {mae:.3}, coverage {coverage:.3}");
    assert!(mae <= 0.19, "MAE {mae:.3}");
    assert!(coverage >= 0.86, "coverage {coverage:.3}");
    // The report says why the ranges are wide, with the shipped model's measured rates.
    let band = microscout_authenticity::FollowerModel::shipped()
        .rate_band
        .unwrap();
    let md = std::fs::read_to_string(run.join("report.md")).unwrap();
    let found = microscout_model::numfmt::percent(band.sensitivity_low);
    assert!(
        md.contains("Fake followers: each sampled follower")
            && md.contains(&format!("found between {found} and")),
        "the reading guide explains the fake share's range"
    );

    // Bought engagement, judged on accounts with a full window of visible likes.
    let full: Vec<&Case> = cases
        .iter()
        .filter(|c| {
            c.row["posts_in_window"] == "12"
                && c.row["likes_visible_posts"].parse::<u32>().unwrap() >= 6
        })
        .collect();
    let (p, r, n) = precision_recall(
        &full,
        |c| matches!(verdict(c), "bought engagement" | "both"),
        |c| c.truth["bought_engagement"] == "true",
    );
    eprintln!("bought engagement, full windows: precision {p:.3}, recall {r:.3} over {n}");
    // Measured 1.000 and 0.362: bought likes that vary by 4-15% are found when they vary
    // less than the flat-likes cut-off (10%) and the drop's norm allows.
    assert!(p >= 0.9 && r >= 0.3, "precision {p:.3}, recall {r:.3}");
}

#[test]
fn missing_evidence_never_gives_a_confident_verdict() {
    let dir = Scratch::new("authenticity-missing");
    let (cases, _) = scored_drop(&dir, "12", "1500");
    let mut checked = [0; 3];
    for c in &cases {
        let v = verdict(c);
        let no_sample = c.row["follower_sample_size"] == "0";
        if no_sample {
            checked[0] += 1;
            assert_ne!(v, "likely authentic", "{}", c.row["handle"]);
            assert!(
                !matches!(v, "bought followers" | "both"),
                "{}",
                c.row["handle"]
            );
            assert_eq!(c.row["fake_share"], "");
            assert_eq!(
                c.row["fake_share_status"],
                "unavailable: no follower sample in the drop"
            );
        }
        if no_sample && c.row["likes_visible_posts"] == "0" && c.row["posts_in_window"] != "0" {
            checked[1] += 1;
            assert_eq!(v, "insufficient data", "{}", c.row["handle"]);
            if c.row["platform"] == "blog" {
                // A blog post has no likes to hide.
                assert!(c.row["likes_status"].contains("a blog post has no like count"));
            } else {
                assert!(c.row["authenticity_reasons"].contains("unavailable, not low"));
            }
        }
        if no_sample && c.row["posts_in_window"].parse::<u32>().unwrap() < 12 {
            checked[2] += 1;
            assert_eq!(
                v, "insufficient data",
                "{}: {}",
                c.row["handle"], c.row["authenticity_reasons"]
            );
        }
    }
    assert!(
        checked.iter().all(|n| *n > 0),
        "each case occurs in the drop: {checked:?}"
    );

    // The interval narrows with the sample: the widest intervals belong to small samples.
    let mut by_size: Vec<(u64, f64)> = cases
        .iter()
        .filter(|c| !c.row["fake_share"].is_empty())
        .map(|c| {
            let w = c.row["fake_share_high"].parse::<f64>().unwrap()
                - c.row["fake_share_low"].parse::<f64>().unwrap();
            (c.row["follower_sample_size"].parse().unwrap(), w)
        })
        .collect();
    by_size.sort_by_key(|x| x.0);
    let k = by_size.len() / 4;
    let mean = |v: &[(u64, f64)]| v.iter().map(|x| x.1).sum::<f64>() / v.len() as f64;
    assert!(mean(&by_size[..k]) > mean(&by_size[by_size.len() - k..]));
}

#[test]
fn classify_followers_reads_a_table_and_checks_labels() {
    let dir = Scratch::new("classify");
    let generated = dir.join("gen");
    generate_into(&generated, "4", &["--accounts", "200"]);
    let out = dir.join("labelled.csv");
    let o = microscout(&[
        "classify-followers",
        "--input",
        generated.join("drop/followers-0001.csv").to_str().unwrap(),
        "--labels",
        generated.join("truth-followers.csv").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = read_csv(&out);
    assert_eq!(rows.len(), 200 * 40);
    // Each label follows the probability and the shipped model's threshold.
    let threshold = microscout_authenticity::FollowerModel::shipped().threshold;
    for r in &rows {
        let p: f64 = r["fake_probability"].parse().unwrap();
        let want = if p >= threshold { "fake" } else { "real" };
        assert_eq!(r["label"], want, "p = {p}, threshold {threshold}");
    }
    let fakes = rows.iter().filter(|r| r["label"] == "fake").count();
    assert!(
        fakes > 0 && fakes < rows.len(),
        "{fakes} of {} fake",
        rows.len()
    );
    let err = stderr(&o);
    let auc: f64 = err
        .split("AUC ")
        .nth(1)
        .and_then(|s| s.trim().trim_end_matches('.').parse().ok())
        .unwrap_or_else(|| panic!("no AUC in {err}"));
    // Measured on the hard generator: AUC 0.882, accuracy 79.6%, precision 40.8%, recall
    // 82.6% (bots made to pass and real lurkers overlap, as on real accounts).
    assert!(auc >= 0.85, "{err}");
}

#[test]
fn on_niche_accounts_lead_the_shortlist() {
    let dir = Scratch::new("niche");
    let (cases, _) = scored_drop(&dir, "21", "2000");
    let mut shortlisted: Vec<&Case> = cases.iter().filter(|c| !c.row["rank"].is_empty()).collect();
    shortlisted.sort_by_key(|c| c.row["rank"].parse::<u32>().unwrap());
    assert!(shortlisted.len() >= 50, "{}", shortlisted.len());
    let top = &shortlisted[..50];
    let on = top.iter().filter(|c| c.truth["on_niche"] == "true").count();
    eprintln!("top 50 of the shortlist: {on} on-niche");
    assert!(on as f64 / 50.0 >= 0.9, "precision of the top 50: {on}/50");
    for c in top {
        assert_ne!(
            c.truth["bought_followers"], "true",
            "{} bought followers",
            c.row["handle"]
        );
        assert!(
            !c.row["matched_keywords"].is_empty(),
            "evidence for {}",
            c.row["handle"]
        );
        assert!(
            !c.row["best_posts"].is_empty(),
            "best posts for {}",
            c.row["handle"]
        );
    }
}

/// `classify-comments`: a comments table in, one labelled row per comment out; labelled
/// comments (the UCI files as they are) in, the metrics against the labels on stderr.
#[test]
fn classify_comments_labels_a_comments_table_and_scores_labelled_files() {
    let o = microscout(&[
        "classify-comments",
        "--input",
        root()
            .join("tests/fixtures/handmade/drop/comments.csv")
            .to_str()
            .unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("platform,post_id,comment_id,spam_probability,label")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 5);
    // The free-followers pitch is spam; the reader's story is not.
    assert!(
        rows.iter()
            .any(|r| r.starts_with("instagram,a8_p01,k4,") && r.ends_with(",spam"))
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("instagram,a1_p02,k1,") && r.ends_with(",real"))
    );
    assert!(stderr(&o).contains("Classified 5 comments:"));

    let labels = root().join("data/labelled/youtube-spam/Youtube03-LMFAO.csv");
    let o = microscout(&["classify-comments", "--labels", labels.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 1 + 438);
    assert!(
        stderr(&o).contains("Against the labels (438 comments): accuracy"),
        "{}",
        stderr(&o)
    );
    // Neither source: a usage error.
    let o = microscout(&["classify-comments"]);
    assert_eq!(o.status.code(), Some(2));
}
