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
        "flags.csv",
        "rejected.csv",
        "report.md",
        "report.html",
        "manifest.json",
    ] {
        assert!(run.join(f).is_file(), "{f} missing");
    }
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
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;") || !html.contains("future_only"));
    assert!(
        !html.contains("http://") || !html.contains("src=\"http"),
        "nothing fetched"
    );
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
        err.contains("posts: 7,506 rows read = 7,500 accepted + 6 rejected"),
        "{err}"
    );
    assert!(
        !err.contains('\u{1b}') && !err.contains('\r'),
        "no progress bars or colour without a terminal"
    );
    let run = std::path::PathBuf::from(stdout(&o).trim());
    let rejected = read_csv(&run.join("rejected.csv"));
    assert_eq!(rejected.len(), 10);
    let reasons: Vec<&str> = rejected.iter().map(|r| r["reason"].as_str()).collect();
    for want in [
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
