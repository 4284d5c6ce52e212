//! A campaign played through the CLI on generated nights: accounts contacted with
//! `microscout outreach`, some decline, copies sent, later drops in which some post about
//! the book; detection and results checked against the generator's truth and against sums
//! worked out here from the drop files, and bad ledger rows reported with their lines.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use crate::util::*;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// The campaign file with the generated sales file.
fn campaign_with_sales(dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(root().join("data/campaign.toml")).unwrap();
    let text = text.replace("# sales = \"sales.csv\"", "sales = \"sales.csv\"");
    let path = dir.join("campaign.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_campaign_played_through_the_cli_finds_the_posts_and_adds_up() {
    let dir = Scratch::new("campaign");
    generate_into(dir.path(), "42", &["--accounts", "800", "--days", "20"]);
    let campaign = campaign_with_sales(dir.path());
    let campaign = campaign.to_str().unwrap();
    let live = dir.join("live");
    let out = dir.join("out");
    let out_s = out.to_str().unwrap();
    let ledger = read_csv(&dir.join("ledger.csv"));
    assert!(ledger.len() >= 40, "{} ledger rows", ledger.len());

    // `microscout nightly` over the drops that have arrived, which must succeed.
    let nightly = |extra: &[&str]| {
        let mut args = vec![
            "nightly",
            "--drops",
            live.to_str().unwrap(),
            "--campaign",
            campaign,
            "--out",
            out_s,
        ];
        args.extend_from_slice(extra);
        let o = microscout(&args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    };
    // Night by night: the night's drop arrives, the author records the day's events with
    // `microscout outreach`, the nightly job runs.
    for date in entries(&dir.join("drops")) {
        copy_dir(&dir.join("drops").join(&date), &live.join(&date));
        for row in ledger.iter().filter(|r| r["date"] == date) {
            let mut args = vec![
                "outreach",
                row["account"].as_str(),
                row["event"].as_str(),
                "--campaign",
                campaign,
                "--out",
                out_s,
                "--date",
                date.as_str(),
                "--channel",
                row["channel"].as_str(),
                "--note",
                row["note"].as_str(),
            ];
            if !row["cost"].is_empty() {
                args.extend(["--cost", row["cost"].as_str()]);
            }
            if !row["code"].is_empty() {
                args.extend(["--code", row["code"].as_str()]);
            }
            let o = microscout(&args);
            assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        }
        nightly(&[]);
    }
    let states = microscout(&["outreach", "--list", "--campaign", campaign, "--out", out_s]);
    assert!(states.status.success(), "{}", stderr(&states));
    let listed = stdout(&states);
    assert!(listed.contains("copy sent on"), "{listed}");
    let declined = ledger.iter().filter(|r| r["event"] == "declined").count();
    assert!(declined > 0, "the generator planted no decline");
    assert_eq!(listed.matches("declined on").count(), declined, "{listed}");

    // Detection against the truth: every post that names the book, delivery or not.
    let truth = read_csv(&dir.join("truth-deliveries.csv"));
    let planted: BTreeSet<&str> = truth
        .iter()
        .filter(|t| t["delivery"] == "true")
        .map(|t| t["post_id"].as_str())
        .collect();
    let found_rows = read_csv(&out.join("deliveries.csv"));
    let found: BTreeSet<&str> = found_rows.iter().map(|d| d["post_id"].as_str()).collect();
    let hits = found.intersection(&planted).count();
    let kinds: BTreeMap<&str, usize> = truth.iter().fold(BTreeMap::new(), |mut m, t| {
        *m.entry(t["kind"].as_str()).or_default() += 1;
        m
    });
    let report = format!(
        "planted {} deliveries, found {}, {} right; kinds {kinds:?}",
        planted.len(),
        found.len(),
        hits
    );
    // Measured (seed 42, 800 accounts, 20 nights): 7 of 11 deliveries found (the misspelt
    // titles and the paraphrase are not: no caption rule names them), none false (near
    // misses, mentions before the copy and by accounts never contacted all left out). At
    // 2,500 accounts, seeds 42, 7 and 3: recall 29/36, 23/35, 28/39, precision 1.0 each.
    assert!(planted.len() >= 10, "{report}");
    assert!(kinds.get("near_miss").copied().unwrap_or(0) > 0, "{report}");
    assert!(kinds.get("typo").copied().unwrap_or(0) > 0, "{report}");
    assert!(hits * 10 >= planted.len() * 6, "recall: {report}");
    assert_eq!(found.len(), hits, "precision: {report}");

    // Results against sums worked out from the files.
    let last = out.join(std::fs::read_to_string(out.join("LATEST")).unwrap().trim());
    let results = read_csv(&last.join("results.csv"));
    let last_drop = live.join(entries(&live).pop().unwrap());
    let mut likes_of: HashMap<String, (u64, u64)> = HashMap::new();
    for f in entries(&last_drop)
        .iter()
        .filter(|f| f.starts_with("posts"))
    {
        for p in read_csv(&last_drop.join(f)) {
            likes_of.insert(
                p["post_id"].clone(),
                (
                    p["likes"].parse().unwrap_or(0),
                    p["comments"].parse().unwrap_or(0),
                ),
            );
        }
    }
    let sales = read_csv(&dir.join("sales.csv"));
    let mut checked = 0;
    for r in &results {
        let handle = &r["handle"];
        let mine: Vec<&HashMap<String, String>> = ledger
            .iter()
            .filter(|l| l["account"].trim_start_matches('@') == handle)
            .collect();
        let copies = mine.iter().filter(|l| l["event"] == "copy_sent").count();
        assert_eq!(r["copies"], copies.to_string(), "{handle}");
        let cost: f64 = mine
            .iter()
            .filter_map(|l| l["cost"].parse::<f64>().ok())
            .sum();
        assert!(
            (r["cost"].parse::<f64>().unwrap() - cost).abs() < 1e-9,
            "{handle}"
        );
        // The account's posts about the book that were found (all of them true ones, above).
        let posts: Vec<&str> = truth
            .iter()
            .filter(|t| {
                t["handle"] == *handle
                    && t["delivery"] == "true"
                    && found.contains(t["post_id"].as_str())
            })
            .map(|t| t["post_id"].as_str())
            .collect();
        assert_eq!(r["posts_about_book"], posts.len().to_string(), "{handle}");
        let (l, c) = posts.iter().fold((0, 0), |(l, c), p| {
            let (pl, pc) = likes_of[*p];
            (l + pl, c + pc)
        });
        assert_eq!(r["likes"], l.to_string(), "{handle}");
        assert_eq!(r["comments"], c.to_string(), "{handle}");
        let code = mine
            .iter()
            .map(|l| l["code"].as_str())
            .find(|c| !c.is_empty());
        if let Some(code) = code {
            let units: u64 = sales
                .iter()
                .filter(|s| s["code"] == code)
                .map(|s| s["units"].parse::<u64>().unwrap())
                .sum();
            assert_eq!(r["units"], units.to_string(), "{handle}");
        }
        if !r["engaged_readers"].is_empty() {
            let (v, lo, hi): (f64, f64, f64) = (
                r["engaged_readers"].parse().unwrap(),
                r["engaged_readers_low"].parse().unwrap(),
                r["engaged_readers_high"].parse().unwrap(),
            );
            assert!(
                lo <= v && v <= hi && hi <= (l + c) as f64 + 1e-9,
                "{handle}: {lo} {v} {hi}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 20, "{checked} accounts in the results");
    let md = std::fs::read_to_string(last.join("report.md")).unwrap();
    assert!(md.contains("## Campaign results"), "no results section");
    assert!(md.contains("## In outreach (off the ranking)"));
    let html = std::fs::read_to_string(last.join("report.html")).unwrap();
    assert!(html.contains("<h2>Campaign results</h2>"));

    // Rejecting a detection through the CLI takes it out of the results.
    let one = &found_rows[0];
    let before: u32 = results
        .iter()
        .find(|r| r["handle"] == one["handle"])
        .unwrap()["posts_about_book"]
        .parse()
        .unwrap();
    let last_date = entries(&live).pop().unwrap();
    // Runs the last night again and returns its run folder.
    let rerun = |date: &str| {
        nightly(&["--rerun", date]);
        out.join(std::fs::read_to_string(out.join("LATEST")).unwrap().trim())
    };
    let o = microscout(&[
        "outreach",
        &one["handle"],
        "detection_rejected",
        "--campaign",
        campaign,
        "--out",
        out_s,
        "--date",
        &last_date,
        "--code",
        &one["post_id"],
    ]);
    assert!(o.status.success(), "{}", stderr(&o));

    // Hand edits with mistakes: each bad row is reported with its line, nothing else lost.
    let ledger_path = out.join("ledger.csv");
    let mut text = std::fs::read_to_string(&ledger_path).unwrap();
    let good_rows = text.lines().count() - 1;
    text.push_str(&format!(
        "{last_date},,,@nobody_at_all,contacted,email,,,,\n\
         {last_date},,,@{h},waved,email,,,,\n\
         2026-13-01,,,@{h},note,,,,,\n\
         {last_date},,,@{h},paid,,-5,,,\n",
        h = one["handle"]
    ));
    std::fs::write(&ledger_path, text).unwrap();
    let last = rerun(&last_date);
    let md = std::fs::read_to_string(last.join("report.md")).unwrap();
    let first_bad = good_rows + 2;
    for (k, why) in [
        "unknown account",
        "unknown event",
        "bad date",
        "negative cost",
    ]
    .iter()
    .enumerate()
    {
        let line = format!("- line {}: {why}", first_bad + k);
        assert!(
            md.contains(&line),
            "{line} missing from:\n{}",
            &md[md.find("Ledger rows").unwrap_or(0)..]
        );
    }
    let results_after = read_csv(&last.join("results.csv"));
    assert_eq!(results_after.len(), results.len(), "no account lost");
    let after: u32 = results_after
        .iter()
        .find(|r| r["handle"] == one["handle"])
        .unwrap()["posts_about_book"]
        .parse()
        .unwrap();
    assert_eq!(after + 1, before, "the rejected detection is out");

    // An account that posted about an earlier book is marked and favoured by the weight.
    let shortlist = read_csv(&last.join("shortlist.csv"));
    let top = &shortlist[1];
    let score_before: f64 = top["score"].parse().unwrap();
    let o = microscout(&[
        "outreach",
        &top["handle"],
        "posted",
        "--campaign",
        campaign,
        "--out",
        out_s,
        "--date",
        "2026-06-01",
        "--book",
        "Little Owl Stories",
        "--code",
        "https://example.com/p/owl",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let last = rerun(&last_date);
    let shortlist = read_csv(&last.join("shortlist.csv"));
    let marked = shortlist
        .iter()
        .find(|r| r["handle"] == top["handle"])
        .unwrap();
    assert_eq!(marked["worked_before"], "Little Owl Stories (1 post)");
    let score_after: f64 = marked["score"].parse().unwrap();
    assert!(
        (score_after - (score_before * 1.1).min(100.0)).abs() < 0.051,
        "{score_before} -> {score_after}"
    );

    // The CLI refuses what a run would reject.
    let o = microscout(&[
        "outreach",
        "@nobody_at_all",
        "contacted",
        "--campaign",
        campaign,
        "--out",
        out_s,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown account"), "{}", stderr(&o));
}
