//! The output files: every one written, consistent with each other, safe to open.

use crate::util::*;

const DROP: &str = "tests/fixtures/handmade/drop";
const CAMPAIGN: &str = "tests/fixtures/handmade/campaign.toml";
const AS_OF: &str = "2026-11-25T00:00:00Z";

#[test]
fn every_output_file_is_written_and_consistent() {
    let out = Scratch::new("outputs");
    let run = run_ok(CAMPAIGN, DROP, out.path(), AS_OF);
    for f in [
        "scores.parquet",
        "scores.csv",
        "shortlist.csv",
        "shortlist.parquet",
        "flags.csv",
        "growth.csv",
        "results.csv",
        "suggestions.csv",
        "rejected.csv",
        "report.md",
        "report.html",
        "manifest.json",
    ] {
        // Written and not empty; each kind opens as what it says it is (below and in the
        // other tests).
        let bytes = std::fs::read(run.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(!bytes.is_empty(), "{f} is empty");
        if f.ends_with(".csv") {
            let header = bytes.split(|b| *b == b'\n').next().unwrap();
            assert!(
                header.len() > 3 && !header.starts_with(b"'"),
                "{f}: {header:?}"
            );
        }
    }
    // No history and no ledger in this drop: growth.csv and results.csv hold their header
    // only (the nightly test below checks them full).
    for f in ["growth.csv", "results.csv"] {
        assert!(read_csv(&run.join(f)).is_empty(), "{f} has rows");
    }
    let md = std::fs::read_to_string(run.join("report.md")).unwrap();
    assert!(md.starts_with("# "), "report.md starts with a title");
    // No follower sample in this drop: no paragraph about reading fake shares.
    assert!(!md.contains("Fake followers: each sampled follower"));
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    assert!(html.starts_with("<!doctype html>") && html.trim_end().ends_with("</html>"));
    let scores = read_csv(&run.join("scores.csv"));
    let shortlist = read_csv(&run.join("shortlist.csv"));
    assert_eq!(
        shortlist.len(),
        scores.iter().filter(|r| r["shortlisted"] == "true").count()
    );
    let ranks: Vec<String> = shortlist.iter().map(|r| r["rank"].clone()).collect();
    let want: Vec<String> = (1..=shortlist.len()).map(|i| i.to_string()).collect();
    assert_eq!(ranks, want, "ranks are 1..n in order");

    // Parquet holds the same rows and raw (not neutralised) text.
    let df = polars::prelude::ParquetReader::new(
        std::fs::File::open(run.join("scores.parquet")).unwrap(),
    );
    use polars::prelude::SerReader;
    let df = df.finish().unwrap();
    assert_eq!(df.height(), scores.len());
    let names = df.column("display_name").unwrap().str().unwrap().clone();
    assert!(names.iter().flatten().any(|n| n.starts_with("=HYPERLINK")));

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("manifest.json")).unwrap()).unwrap();
    for t in manifest["accounting"].as_array().unwrap() {
        assert_eq!(
            t["rows_read"].as_u64().unwrap(),
            t["accepted"].as_u64().unwrap() + t["rejected"].as_u64().unwrap()
        );
    }
    assert_eq!(manifest["as_of"], "2026-11-25T00:00:00Z");
    assert_eq!(manifest["inputs"][0]["sha256"].as_str().unwrap().len(), 64);
    assert!(manifest["timings_ms"]["total"].is_u64());
    assert_eq!(manifest["config"]["window"]["posts"], 12);
}

#[test]
fn spreadsheet_and_html_output_is_safe() {
    let out = Scratch::new("safety");
    let run = run_ok(CAMPAIGN, DROP, out.path(), AS_OF);
    let scores = read_csv(&run.join("scores.csv"));
    let a8 = scores.iter().find(|r| r["account_id"] == "a8").unwrap();
    assert!(
        a8["display_name"].starts_with("'=HYPERLINK"),
        "{}",
        a8["display_name"]
    );
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    assert!(!html.contains("<img src=x"), "input HTML must be escaped");
    assert!(!html.contains("<script"), "no script in the report");
    // The hand-made drop's a7 (future_only) has this display name: it must appear, escaped.
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the hostile display name is shown escaped"
    );
    // Nothing is fetched or linked but mail: every src/href attribute is a mailto: address
    // or an anchor in the page, and no CSS loads a url().
    for attr in ["src=\"", "href=\"", "src='", "href='"] {
        for (i, _) in html.match_indices(attr) {
            let value = &html[i + attr.len()..];
            assert!(
                value.starts_with("mailto:") || value.starts_with('#'),
                "{attr}{}",
                &value[..value.len().min(60)]
            );
        }
    }
    assert!(!html.contains("url("), "no url() in the CSS");
    assert!(!html.contains("@import"));
}

#[test]
fn report_md_matches_golden() {
    let out = Scratch::new("golden");
    let run = run_ok(CAMPAIGN, DROP, out.path(), AS_OF);
    golden(
        "handmade/report.md",
        &std::fs::read_to_string(run.join("report.md")).unwrap(),
    );
    golden(
        "handmade/flags.csv",
        &std::fs::read_to_string(run.join("flags.csv")).unwrap(),
    );
    golden(
        "handmade/shortlist.csv",
        &std::fs::read_to_string(run.join("shortlist.csv")).unwrap(),
    );
}

#[test]
fn quarantine_accounting_on_the_sample() {
    let out = Scratch::new("sample-run");
    let o = microscout(&[
        "run",
        "--campaign",
        "data/campaign.toml",
        "--drop",
        "data/sample/drop",
        "--out",
        out.path().to_str().unwrap(),
        "--as-of",
        AS_OF,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("posts: 7,507 rows read = 7,500 accepted + 7 rejected"),
        "{err}"
    );
    assert!(
        !err.contains('\u{1b}') && !err.contains('\r'),
        "no progress bars or colour without a terminal"
    );
    let run = std::path::PathBuf::from(stdout(&o).trim());
    let rejected = read_csv(&run.join("rejected.csv"));
    // The ten planted faults, and a WordPress export's attachment (not a post).
    assert_eq!(rejected.len(), 11);
    let reasons: Vec<&str> = rejected.iter().map(|r| r["reason"].as_str()).collect();
    for want in [
        "a WordPress `attachment` item",
        "duplicate account",
        "is negative",
        "is not a known platform",
        "is not a number",
        "is not a timestamp",
        "post of unknown account",
        "duplicate post",
        "wrong number of fields",
        "follower of unknown account",
    ] {
        assert!(
            reasons.iter().any(|r| r.contains(want)),
            "no rejection for {want:?}: {reasons:?}"
        );
    }
    let md = std::fs::read_to_string(run.join("report.md")).unwrap();
    assert!(md.contains("## Shortlist") && md.contains("## Flagged accounts"));

    // Keywords to try: the sample's niche accounts share hashtags and phrases the
    // campaign's keywords do not catch (#bookstagram, compounds the word-break cannot split
    // such as #positiveparenting, "mom life"); terms the keywords match (#bigfeelings:
    // "feelings") are not suggested; the bios of the food, fashion and travel accounts that a
    // keyword also finds mark the wrong crowd ("food lover"). Levels as measured on the
    // sample: 10 to add, 6 to exclude.
    let suggestions = read_csv(&run.join("suggestions.csv"));
    let terms = |kind: &str| -> Vec<&str> {
        suggestions
            .iter()
            .filter(|r| r["suggestion"] == kind)
            .map(|r| r["term"].as_str())
            .collect()
    };
    let (add, exclude) = (terms("add"), terms("exclude"));
    assert!(add.len() >= 5 && add.contains(&"#bookstagram"), "{add:?}");
    assert!(
        exclude.len() >= 3 && exclude.contains(&"food lover"),
        "{exclude:?}"
    );
    for r in &suggestions {
        let n = |c: &str| -> f64 { r[c].parse().unwrap() };
        let share = if r["suggestion"] == "add" {
            n("fit_accounts") / n("fit_total")
        } else {
            n("off_accounts") / n("off_total")
        };
        assert!(share >= 0.05 && n("lift") >= 3.0, "{r:?}");
    }
    for known in [
        "#bigfeelings",
        "#kidsemotions",
        "#picturebooks",
        "#parentingtips",
        "big feelings",
    ] {
        assert!(!add.contains(&known), "{known} is already a keyword");
    }
    assert!(md.contains("## Keywords to try") && md.contains("\\#bookstagram: used by"));
}

#[test]
fn explain_prints_one_account_from_the_latest_run() {
    let out = Scratch::new("explain");
    let run = run_ok("data/campaign.toml", "data/sample/drop", out.path(), AS_OF);
    let shortlist = read_csv(&run.join("shortlist.csv"));
    let first = &shortlist[0];
    let o = microscout(&[
        "explain",
        &format!("@{}", first["handle"].to_uppercase()),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for want in [
        "rank 1",
        "Why",
        "Outreach brief",
        "Authenticity",
        "verdict",
        "Comments (on recent posts)",
        "Niche",
        "contact",
    ] {
        assert!(text.contains(want), "{want:?} missing from:\n{text}");
    }
    assert!(text.contains(first["why"].trim_start_matches('\'')));
    let o = microscout(&[
        "explain",
        "no_such_handle",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no account with handle"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn explain_shows_hostile_text_as_it_was_and_harmless() {
    // Captions holding the CSV list separator " | " and a leading "=", a display name with
    // terminal escape sequences: explain reads the typed tables, so each best post comes
    // back whole, and the escapes are shown, not sent to the terminal.
    let dir = Scratch::new("explain-hostile");
    let drop = dir.join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    std::fs::write(
        drop.join("accounts.csv"),
        "platform,account_id,handle,display_name,bio,followers,public_email\n\
         instagram,e1,escape_artist,\"\u{1b}[2J\u{1b}[31mRed\u{1b}[0m\",Big emotions at home,5000,hi@example.org\n",
    )
    .unwrap();
    let mut posts = String::from("platform,account_id,post_id,posted_at,likes,comments,caption\n");
    for i in 0..12 {
        posts.push_str(&format!(
            "instagram,e1,p{i},2026-11-{:02}T10:00:00Z,300,40,\"=SUM(A1) big emotions | tantrum {i} | naps\"\n",
            i + 1
        ));
    }
    std::fs::write(drop.join("posts.csv"), posts).unwrap();
    let out = dir.join("out");
    run_ok("data/campaign.toml", drop.to_str().unwrap(), &out, AS_OF);
    let o = microscout(&["explain", "escape_artist", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        !text.contains('\u{1b}'),
        "an escape reached the terminal: {text:?}"
    );
    assert!(text.contains("\\u{1b}[31mRed"), "{text}");
    let best: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("best post"))
        .collect();
    assert!(!best.is_empty(), "{text}");
    for line in &best {
        assert!(line.contains("=SUM(A1) big emotions | tantrum"), "{line}");
        assert!(line.ends_with("| naps"), "{line}");
    }
}

/// What growth.csv, flags.csv and results.csv hold agrees with scores.csv and with the
/// ledger, row by row, on the bundled sample's ten nights (history, growth signals, flags,
/// an outreach ledger with costs): not only written, but saying the same thing.
#[test]
fn growth_flags_and_results_say_what_the_scores_and_the_ledger_say() {
    use std::collections::{BTreeSet, HashMap};
    let out = Scratch::new("agree");
    let o = microscout(&[
        "nightly",
        "--drops",
        "data/sample/nights/drops",
        "--campaign",
        "data/sample/nights/campaign.toml",
        "--out",
        out.path().to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let latest = std::fs::read_to_string(out.path().join("LATEST")).unwrap();
    let run = out.path().join(latest.trim());
    let header = |f: &str| {
        let text = std::fs::read_to_string(run.join(f)).unwrap();
        text.lines().next().unwrap().to_string()
    };
    let scores = read_csv(&run.join("scores.csv"));
    let by_key: HashMap<(String, String), &std::collections::HashMap<String, String>> = scores
        .iter()
        .map(|r| ((r["platform"].clone(), r["account_id"].clone()), r))
        .collect();
    let key = |r: &std::collections::HashMap<String, String>| {
        (r["platform"].clone(), r["account_id"].clone())
    };

    // flags.csv: exactly the flags of scores.csv, each with its account's reason and size.
    assert_eq!(
        header("flags.csv"),
        "platform,account_id,handle,followers,flag,reason"
    );
    let flags = read_csv(&run.join("flags.csv"));
    let listed: BTreeSet<(String, String, String)> = flags
        .iter()
        .map(|f| {
            (
                f["platform"].clone(),
                f["account_id"].clone(),
                f["flag"].clone(),
            )
        })
        .collect();
    let scored: BTreeSet<(String, String, String)> = scores
        .iter()
        .flat_map(|r| {
            r["flags"]
                .split(';')
                .filter(|f| !f.is_empty())
                .map(|f| {
                    (
                        r["platform"].clone(),
                        r["account_id"].clone(),
                        f.to_string(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(listed, scored);
    assert!(listed.len() > 20, "{} flags", listed.len());
    for f in &flags {
        let s = by_key[&key(f)];
        assert_eq!(f["followers"], s["followers"]);
        assert_eq!(f["handle"], s["handle"]);
        assert!(
            !f["reason"].is_empty() && s["reasons"].contains(&f["reason"]),
            "{f:?}"
        );
    }

    // growth.csv: each signal is the account's, in its words; a flagged one is in flags.csv.
    assert_eq!(
        header("growth.csv"),
        "platform,account_id,handle,signal,from_date,to_date,followers_before,\
         followers_change,strength,interactions_change,engagement_followed,suggests_bought,\
         flagged,evidence"
    );
    let growth = read_csv(&run.join("growth.csv"));
    assert!(
        !growth.is_empty(),
        "ten nights of planted growth give signals"
    );
    for g in &growth {
        let s = by_key[&key(g)];
        assert!(s["growth_signals"].contains(&g["evidence"]), "{g:?}");
        let flag = (
            g["platform"].clone(),
            g["account_id"].clone(),
            g["signal"].clone(),
        );
        assert_eq!(g["flagged"] == "true", listed.contains(&flag), "{g:?}");
        let before: f64 = g["followers_before"].parse().unwrap();
        let change: f64 = g["followers_change"].parse().unwrap();
        assert!(before > 0.0 && change != 0.0, "{g:?}");
    }
    let with_signals = scores
        .iter()
        .filter(|r| !r["growth_signals"].is_empty())
        .count();
    let accounts: BTreeSet<_> = growth.iter().map(key).collect();
    assert_eq!(accounts.len(), with_signals);

    // results.csv: one row per account in the ledger for this book, its copies and cost as
    // the ledger's rows add up (a copy sent without a cost counts cost-per-copy, 9.5).
    let ledger = read_csv(std::path::Path::new("data/sample/nights/ledger.csv"));
    let results = read_csv(&run.join("results.csv"));
    assert!(
        header("results.csv").starts_with("platform,account_id,handle,book,state,copies,cost,")
    );
    let handles: BTreeSet<String> = ledger
        .iter()
        .map(|e| e["account"].trim_start_matches('@').to_lowercase())
        .collect();
    let got: BTreeSet<String> = results.iter().map(|r| r["handle"].to_lowercase()).collect();
    assert_eq!(got, handles);
    for r in &results {
        let events: Vec<_> = ledger
            .iter()
            .filter(|e| {
                e["account"]
                    .trim_start_matches('@')
                    .eq_ignore_ascii_case(&r["handle"])
            })
            .collect();
        let copies = events.iter().filter(|e| e["event"] == "copy_sent").count();
        let cost: f64 = events
            .iter()
            .map(|e| {
                let amount = |k: &str| e[k].parse::<f64>().ok();
                let c = match (e["event"].as_str(), amount("cost")) {
                    (_, Some(c)) => c,
                    ("copy_sent", None) => 9.5,
                    _ => 0.0,
                };
                c + amount("fee").unwrap_or(0.0)
            })
            .sum();
        assert_eq!(r["copies"], copies.to_string(), "{r:?}");
        assert!(
            (r["cost"].parse::<f64>().unwrap() - cost).abs() < 1e-9,
            "{r:?}"
        );
        let s = scores
            .iter()
            .find(|s| s["handle"].eq_ignore_ascii_case(&r["handle"]))
            .unwrap();
        assert_ne!(s["outreach_state"], "not contacted", "{r:?}");
    }
}
