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
