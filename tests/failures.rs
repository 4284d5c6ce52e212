//! Runs that must fail: the right exit code, a message naming what to fix, no partial run
//! folder, and earlier runs untouched.

use std::path::Path;

use crate::util::*;

const DROP: &str = "tests/fixtures/handmade/drop";
const AS_OF: &str = "2026-11-25T00:00:00Z";

fn run(campaign: &str, drop: &str, out: &Path) -> std::process::Output {
    run_job(campaign, drop, out, AS_OF)
}

#[test]
fn unknown_campaign_key_exits_2_naming_the_key() {
    let dir = Scratch::new("unknown-key");
    let campaign = dir.join("c.toml");
    std::fs::write(
        &campaign,
        "[audience]\nfollowers-min = 1000\nfolowers-max = 5\n",
    )
    .unwrap();
    let out = dir.join("out");
    let o = run(campaign.to_str().unwrap(), DROP, &out);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("folowers-max"), "{err}");
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("c.toml"), "{err}");
    assert!(entries(&out).is_empty(), "no output on failure");
}

#[test]
fn missing_required_column_exits_1_naming_file_and_column() {
    let dir = Scratch::new("missing-column");
    let drop = drop_with_handmade_accounts(&dir);
    std::fs::write(
        drop.join("posts.csv"),
        "platform,account_id,post_id,likes,comments\ninstagram,a1,x,1,2\n",
    )
    .unwrap();
    let out = dir.join("out");
    let o = run("data/campaign.toml", drop.to_str().unwrap(), &out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("posts.csv"), "{err}");
    assert!(err.contains("`posted_at`"), "{err}");
    assert!(
        entries(&out).is_empty(),
        "no partial run folder: {:?}",
        entries(&out)
    );
}

#[test]
fn a_failed_run_leaves_earlier_runs_untouched() {
    let dir = Scratch::new("earlier-untouched");
    let out = dir.join("out");
    let first = run_ok("data/campaign.toml", DROP, &out, AS_OF);
    let before: Vec<(String, Vec<u8>)> = entries(&first)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(first.join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    let latest = std::fs::read_to_string(out.join("LATEST")).unwrap();

    // A drop whose posts file lacks the posted_at column.
    let bad = dir.join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::copy(
        root().join(DROP).join("accounts.csv"),
        bad.join("accounts.csv"),
    )
    .unwrap();
    std::fs::write(
        bad.join("posts.csv"),
        "platform,account_id,post_id,comments\ninstagram,a1,x,3\n",
    )
    .unwrap();
    let o = run("data/campaign.toml", bad.to_str().unwrap(), &out);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("`posted_at`"), "{}", stderr(&o));

    assert_eq!(
        entries(&out),
        vec![
            "20261125T000000Z".to_string(),
            "LATEST".to_string(),
            "history".to_string()
        ]
    );
    assert_eq!(std::fs::read_to_string(out.join("LATEST")).unwrap(), latest);
    for (f, bytes) in before {
        assert_eq!(std::fs::read(first.join(&f)).unwrap(), bytes, "{f} changed");
    }
}

#[test]
fn a_rerun_gets_its_own_folder() {
    let dir = Scratch::new("rerun");
    let out = dir.join("out");
    let a = run_ok("data/campaign.toml", DROP, &out, AS_OF);
    let b = run_ok("data/campaign.toml", DROP, &out, AS_OF);
    assert_ne!(a, b);
    assert!(b.ends_with("20261125T000000Z-2"), "{}", b.display());
    assert_eq!(
        std::fs::read_to_string(out.join("LATEST")).unwrap().trim(),
        "20261125T000000Z-2"
    );
}

#[test]
fn bad_usage_exits_2() {
    let o = microscout(&["run", "--campaign", "data/campaign.toml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = microscout(&[
        "run",
        "--campaign",
        "data/campaign.toml",
        "--drop",
        DROP,
        "--out",
        "/tmp/x",
        "--as-of",
        "yesterday",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a timestamp"), "{}", stderr(&o));
    let o = microscout(&[
        "run",
        "--campaign",
        "no/such/file.toml",
        "--drop",
        DROP,
        "--out",
        "/tmp/x",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("microscout init"), "{}", stderr(&o));
}

#[test]
fn unknown_file_in_drop_fails_naming_it() {
    let dir = Scratch::new("unknown-file");
    let drop = dir.join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    for f in ["accounts.csv", "posts.csv"] {
        std::fs::copy(root().join(DROP).join(f), drop.join(f)).unwrap();
    }
    std::fs::write(drop.join("export.xlsx"), b"PK\x03\x04").unwrap();
    std::fs::write(drop.join("NOTES.md"), "ignored").unwrap();
    let out = dir.join("out");
    let o = run("data/campaign.toml", drop.to_str().unwrap(), &out);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("export.xlsx"), "{}", stderr(&o));
    std::fs::remove_file(drop.join("export.xlsx")).unwrap();
    let o = run("data/campaign.toml", drop.to_str().unwrap(), &out);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn concurrent_runs_get_distinct_folders() {
    let dir = Scratch::new("concurrent");
    let out = dir.join("out");
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let out = out.clone();
            std::thread::spawn(move || run_ok("data/campaign.toml", DROP, &out, AS_OF))
        })
        .collect();
    let mut dirs: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    dirs.sort();
    dirs.dedup();
    assert_eq!(dirs.len(), 3, "{dirs:?}");
    for d in &dirs {
        // Each folder is a whole run that knows its own id.
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(d.join("manifest.json")).unwrap()).unwrap();
        assert_eq!(m["run_id"], d.file_name().unwrap().to_str().unwrap());
    }
    let hidden: Vec<String> = entries(&out)
        .into_iter()
        .filter(|e| e.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "no staging leftovers: {hidden:?}");
}

/// `--log-format json`: stderr is one JSON object per line (stages with durations and row
/// counts, the summary), stdout still only the run folder; a failure is a JSON error line
/// with its exit code.
#[test]
fn json_logs_are_one_object_per_line_with_stages_and_the_error() {
    let dir = Scratch::new("json-logs");
    let out = dir.join("out");
    let json = ["--log-format", "json"];
    let o = run_job_with("data/campaign.toml", "data/sample/drop", &out, AS_OF, &json);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).trim().ends_with("20261125T000000Z"),
        "{}",
        stdout(&o)
    );
    let lines: Vec<serde_json::Value> = stderr(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    for stage in ["ingest", "score", "report"] {
        let done = lines
            .iter()
            .find(|l| l["stage"] == stage && l.get("duration_ms").is_some())
            .unwrap_or_else(|| panic!("no {stage} line in {lines:?}"));
        assert!(done["duration_ms"].is_u64(), "{done}");
    }
    let ingest = lines
        .iter()
        .find(|l| l["stage"] == "ingest" && l.get("duration_ms").is_some())
        .unwrap();
    // The bundled sample: 51,967 rows (32,156 of them comments: 31,999 in comments-0001.csv,
    // 157 readers' comments in WXR exports), 11 of them rejected (its 10 planted faults and a
    // WXR export's attachment, which is not a post).
    assert_eq!(ingest["rows_read"], 51_967);
    assert_eq!(ingest["rejected"], 11);
    let posts = lines
        .iter()
        .find(|l| l["stage"] == "ingest" && l["table"] == "posts")
        .unwrap();
    assert_eq!(posts["accepted"], 7_500);
    assert!(lines.iter().any(|l| l["kind"] == "summary"));

    let missing = dir.join("no-such-drop");
    let missing = missing.to_str().unwrap();
    let o = run_job_with("data/campaign.toml", missing, &out, AS_OF, &json);
    assert_eq!(o.status.code(), Some(2));
    let last: serde_json::Value = serde_json::from_str(stderr(&o).lines().last().unwrap()).unwrap();
    assert_eq!(last["level"], "ERROR");
    assert_eq!(last["exit_code"], 2);
    assert!(last["message"].as_str().unwrap().contains("no-such-drop"));
}
