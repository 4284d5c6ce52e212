//! `microscout nightly` end to end: 30 generated nights with planted growth events, the
//! state that makes a second invocation do nothing, reruns that give the same bytes,
//! failed drops, the lock, and SIGKILL at many points.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use microscout_model::history::parse_date;

use crate::util::*;

const CAMPAIGN: &str = "data/campaign.toml";

/// `microscout nightly` over `drops` into `out`, with `extra` arguments.
fn nightly_args<'a>(drops: &'a Path, out: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "nightly",
        "--drops",
        drops.to_str().unwrap(),
        "--campaign",
        CAMPAIGN,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    args
}

fn nightly(drops: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    microscout(&nightly_args(drops, out, extra))
}

/// Nothing in `out` differs from `before` (a snapshot), but the lock file's holder line.
fn assert_untouched(before: &BTreeMap<String, Vec<u8>>, out: &Path) {
    let after = snapshot(out);
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let changed: Vec<&&String> = keys
        .iter()
        .filter(|k| before.get(**k) != after.get(**k) && **k != "nightly.lock")
        .collect();
    assert!(changed.is_empty(), "{changed:?}");
}

/// Planted events against the signals of the last night's growth.csv.
struct Detection {
    planted: usize,
    found: usize,
    signals: usize,
    correct: usize,
}

impl Detection {
    fn recall(&self) -> f64 {
        self.found as f64 / self.planted.max(1) as f64
    }
    fn precision(&self) -> f64 {
        self.correct as f64 / self.signals.max(1) as f64
    }
}

type Row = std::collections::HashMap<String, String>;

/// Same account and nights that overlap, with a night of slack either side.
fn near(s: &Row, t: &Row) -> bool {
    let d = |r: &Row, k: &str| parse_date(&r[k]).unwrap();
    s["account_id"] == t["account_id"]
        && d(s, "from_date") <= d(t, "to_date") + 1
        && d(t, "from_date") <= d(s, "to_date") + 1
}

fn detection(
    truth: &[Row],
    signals: &[Row],
    event: &str,
    pick: &dyn Fn(&Row) -> bool,
) -> Detection {
    let planted: Vec<&Row> = truth.iter().filter(|t| t["event"] == event).collect();
    let picked: Vec<&Row> = signals.iter().filter(|s| pick(s)).collect();
    Detection {
        planted: planted.len(),
        found: planted
            .iter()
            .filter(|t| picked.iter().any(|s| near(s, t)))
            .count(),
        signals: picked.len(),
        correct: picked
            .iter()
            .filter(|s| planted.iter().any(|t| near(s, t)))
            .count(),
    }
}

#[test]
fn thirty_nights_find_the_planted_spikes_drips_and_purges() {
    let dir = Scratch::new("nightly-30");
    generate_into(dir.path(), "42", &["--accounts", "400", "--days", "30"]);
    let drops = dir.join("drops");
    let out = dir.join("out");
    assert_eq!(entries(&drops).len(), 30);

    let o = nightly(&drops, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 30, "one line per drop: {lines:?}");
    assert!(lines.iter().all(|l| l.contains(" done ")), "{lines:?}");
    assert!(lines[0].starts_with("2026-10-27 done"), "{}", lines[0]);
    // Exactly one history partition per night.
    let parts = entries(&out.join("history"));
    assert_eq!(parts.len(), 30, "{parts:?}");
    assert!(parts.iter().all(|p| p.starts_with("date=")));

    let latest = std::fs::read_to_string(out.join("LATEST")).unwrap();
    let run = out.join(latest.trim());
    let signals = read_csv(&run.join("growth.csv"));
    let truth = read_csv(&dir.join("truth-growth.csv"));
    let kind = |k: &'static str| move |s: &Row| s["signal"] == k;
    // Measured with seed 42 (400 accounts, 30 nights): spikes 26 of 28 flagged, and 25 of
    // the 28 called bought were planted (the rest organic bursts); purges 30 of 30, none
    // false; drips 11 of 16 found, 11 of 12 right; 3 of 33 viral bursts called bought.
    // Seeds 7 and 3 gave 39/40 and 27/29 spikes, 0.89 and 0.93 bought precision. The
    // asserted levels sit a little below.
    let spikes = detection(&truth, &signals, "spike", &|s| {
        s["signal"] == "follower_spike" && s["flagged"] == "true"
    });
    let bought = detection(&truth, &signals, "spike", &|s| {
        s["signal"] == "follower_spike" && s["suggests_bought"] == "true"
    });
    let purges = detection(&truth, &signals, "purge", &kind("follower_purge"));
    let drips = detection(&truth, &signals, "drip", &kind("drip_growth"));
    let report = format!(
        "spikes {}/{} flagged, bought precision {}/{}; purges {}/{} ({}/{}); drips {}/{} ({}/{})",
        spikes.found,
        spikes.planted,
        bought.correct,
        bought.signals,
        purges.found,
        purges.planted,
        purges.correct,
        purges.signals,
        drips.found,
        drips.planted,
        drips.correct,
        drips.signals
    );
    assert!(
        spikes.planted >= 20 && purges.planted >= 20 && drips.planted >= 10,
        "{report}"
    );
    assert!(spikes.recall() >= 0.85, "{report}");
    assert!(bought.precision() >= 0.80, "{report}");
    assert!(
        purges.recall() >= 0.95 && purges.precision() >= 0.95,
        "{report}"
    );
    assert!(
        drips.recall() >= 0.60 && drips.precision() >= 0.85,
        "{report}"
    );
    // Organic viral bursts are seen as spikes, but few are called bought.
    let viral: Vec<&Row> = truth.iter().filter(|t| t["event"] == "viral").collect();
    let viral_called_bought = viral
        .iter()
        .filter(|t| {
            signals.iter().any(|s| {
                s["signal"] == "follower_spike"
                    && s["suggests_bought"] == "true"
                    && near(s, t)
                    && !truth.iter().any(|u| u["event"] == "spike" && near(s, u))
            })
        })
        .count();
    assert!(
        viral_called_bought * 5 <= viral.len(),
        "{viral_called_bought} of {} viral bursts called bought",
        viral.len()
    );

    // The report leads with what changed and draws trends.
    let md = std::fs::read_to_string(run.join("report.md")).unwrap();
    assert!(
        md.contains("## What changed overnight\n\nSince 2026-11-24:"),
        "{}",
        &md[..600]
    );
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    assert!(html.contains("<svg class=\"trend\""));
    // An account's timeline.
    let spiked = &truth.iter().find(|t| t["event"] == "spike").unwrap()["handle"];
    let h = microscout(&["history", spiked, "--out", out.to_str().unwrap()]);
    assert!(h.status.success(), "{}", stderr(&h));
    assert!(stdout(&h).lines().count() >= 25, "{}", stdout(&h));

    // A second invocation has nothing to do and touches nothing.
    let before = snapshot(&out);
    let o = nightly(&drops, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    assert!(stderr(&o).contains("nothing new to do"), "{}", stderr(&o));
    assert_untouched(&before, &out);
}

#[test]
fn a_rerun_gives_the_same_bytes_and_replaces_its_night() {
    let dir = Scratch::new("nightly-rerun");
    generate_into(dir.path(), "5", &["--accounts", "80", "--days", "9"]);
    let (drops, out) = (dir.join("drops"), dir.join("out"));
    assert!(nightly(&drops, &out, &[]).status.success());
    let last = entries(&drops).pop().unwrap();
    let partition = out
        .join("history")
        .join(format!("date={last}"))
        .join("part-0.parquet");
    let part_before = std::fs::read(&partition).unwrap();
    let first = out.join(std::fs::read_to_string(out.join("LATEST")).unwrap().trim());

    let o = nightly(&drops, &out, &["--rerun", &last]);
    assert!(o.status.success(), "{}", stderr(&o));
    let line = stdout(&o);
    assert!(line.starts_with(&format!("{last} done")), "{line}");
    let second = PathBuf::from(line.split_whitespace().nth(2).unwrap());
    assert_ne!(first, second);
    for f in [
        "scores.parquet",
        "scores.csv",
        "shortlist.csv",
        "growth.csv",
        "flags.csv",
        "suggestions.csv",
    ] {
        assert_eq!(
            std::fs::read(first.join(f)).unwrap(),
            std::fs::read(second.join(f)).unwrap(),
            "{f} differs between two runs of the same drop"
        );
    }
    assert_eq!(std::fs::read(&partition).unwrap(), part_before);
    assert_eq!(entries(&out.join("history")).len(), 9);

    // --rerun of a date without a drop is a usage error.
    let o = nightly(&drops, &out, &["--rerun", "2001-01-01"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn a_failed_drop_does_not_block_the_others_and_is_retried() {
    let dir = Scratch::new("nightly-failed");
    generate_into(dir.path(), "6", &["--accounts", "50", "--days", "4"]);
    let (drops, out) = (dir.join("drops"), dir.join("out"));
    let bad = drops.join(&entries(&drops)[1]);
    let posts = bad.join("posts-0001.csv");
    let good_posts = std::fs::read(&posts).unwrap();
    std::fs::write(
        &posts,
        "platform,account_id,post_id,comments\ninstagram,a,x,1\n",
    )
    .unwrap();

    let o = nightly(&drops, &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let lines: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(
        lines[1].contains(" failed ") && lines[1].contains("posted_at"),
        "{}",
        lines[1]
    );
    assert_eq!(lines.iter().filter(|l| l.contains(" done ")).count(), 3);
    let state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("nightly.json")).unwrap()).unwrap();
    assert_eq!(state["drops"][&entries(&drops)[1]]["status"], "failed");
    assert_eq!(entries(&out.join("history")).len(), 3);

    // Fixed: the next invocation processes that drop only.
    std::fs::write(&posts, good_posts).unwrap();
    let o = nightly(&drops, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let line = stdout(&o);
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(
        line.starts_with(&format!("{} done", entries(&drops)[1])),
        "{line}"
    );
    let state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("nightly.json")).unwrap()).unwrap();
    assert_eq!(state["drops"][&entries(&drops)[1]]["attempts"], 2);
    assert_eq!(entries(&out.join("history")).len(), 4);
}

#[test]
fn the_lock_keeps_a_second_nightly_out_and_a_dead_holder_is_taken_over() {
    let dir = Scratch::new("nightly-lock");
    generate_into(dir.path(), "8", &["--accounts", "30", "--days", "2"]);
    let (drops, out) = (dir.join("drops"), dir.join("out"));
    std::fs::create_dir_all(&out).unwrap();
    let lock = out.join("nightly.lock");
    let held = std::fs::File::create(&lock).unwrap();
    held.lock().unwrap();
    std::fs::write(
        &lock,
        "pid=4242 host=elsewhere started=2026-12-01T02:00:00Z\n",
    )
    .unwrap();
    let o = nightly(&drops, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("another nightly is running"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("pid=4242 host=elsewhere"),
        "{}",
        stderr(&o)
    );
    assert!(!out.join("history").exists());

    // --wait starts once the holder lets go.
    let waiter = {
        let (drops, out) = (drops.clone(), out.clone());
        std::thread::spawn(move || nightly(&drops, &out, &["--wait"]))
    };
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(!out.join("history").exists(), "it waited");
    held.unlock().unwrap();
    let o = waiter.join().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Waiting for the nightly"),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o).lines().count(), 2);

    // A lock file left by a process that is gone (no lock held) is taken over.
    std::fs::write(
        &lock,
        "pid=3999999999 host=here started=2026-11-30T02:00:00Z\n",
    )
    .unwrap();
    let o = nightly(&drops, &out, &["--rerun", &entries(&drops)[0]]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("taking over"), "{}", stderr(&o));
}

/// SIGKILL at 24 points spread over the stages of a nightly: after each kill, every run
/// folder and history partition that existed before is byte-identical, the state file is
/// whole, and in the end one more invocation completes with exactly one partition per night,
/// each identical to an uninterrupted nightly's.
#[test]
fn sigkill_at_any_point_leaves_earlier_runs_and_the_history_intact() {
    let dir = Scratch::new("nightly-kill");
    generate_into(dir.path(), "9", &["--accounts", "60", "--days", "6"]);
    let drops = dir.join("drops");
    let reference = dir.join("reference");
    assert!(nightly(&drops, &reference, &[]).status.success());
    let reference_history = snapshot(&reference.join("history"));
    assert_eq!(reference_history.len(), 6);

    let out = dir.join("out");
    let mut stages_hit = BTreeSet::new();
    let mut kills = 0;
    let mut took_over = false;
    for i in 0..24usize {
        // Runs and partitions that exist before this invocation.
        let before: BTreeMap<String, Vec<u8>> = snapshot(&out)
            .into_iter()
            .filter(|(k, _)| {
                !k.starts_with('.')
                    && !k.contains("/.")
                    && !matches!(k.as_str(), "nightly.json" | "nightly.lock" | "LATEST")
            })
            .collect();
        let mut child = Command::new(binary())
            .args(nightly_args(&drops, &out, &["--log-format", "json"]))
            .current_dir(root())
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let target = 1 + (i * 7) % 23;
        let mut reader = BufReader::new(child.stderr.take().unwrap());
        let mut seen = 0;
        let mut last_stage = String::from("start");
        let mut line = String::new();
        while seen < target {
            line.clear();
            if reader.read_line(&mut line).unwrap() == 0 {
                break;
            }
            seen += 1;
            took_over |= line.contains("taking over");
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line)
                && let Some(s) = v.get("stage").and_then(|s| s.as_str())
            {
                last_stage = s.to_string();
            }
        }
        if i % 3 == 1 {
            std::thread::sleep(std::time::Duration::from_millis(2 + i as u64));
        }
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        if status.code().is_none() {
            kills += 1;
            stages_hit.insert(last_stage.clone());
        }
        // Nothing that existed before changed.
        let after = snapshot(&out);
        for (k, v) in &before {
            assert!(
                after.get(k) == Some(v),
                "kill {i} after stage {last_stage}: {k} changed"
            );
        }
        // The state file, when there is one, is whole.
        if let Ok(b) = std::fs::read(out.join("nightly.json")) {
            serde_json::from_slice::<serde_json::Value>(&b)
                .unwrap_or_else(|e| panic!("kill {i}: nightly.json is not whole: {e}"));
        }
        // Every partition is a whole file from an uninterrupted run.
        for (k, v) in after
            .iter()
            .filter(|(k, _)| k.starts_with("history/") && k.ends_with(".parquet"))
        {
            assert!(
                reference_history.get(k.strip_prefix("history/").unwrap()) == Some(v),
                "kill {i}: {k} is not the partition an uninterrupted run writes"
            );
        }
        // Once every night is done, start over so the kills keep landing inside runs.
        let done = std::fs::read(out.join("nightly.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|v| {
                v["drops"]
                    .as_object()
                    .map(|d| d.values().filter(|x| x["status"] == "done").count())
            })
            .unwrap_or(0);
        if done == 6 {
            std::fs::remove_dir_all(&out).unwrap();
        }
    }
    eprintln!("{kills} kills; last stage line before each: {stages_hit:?}");
    assert!(kills >= 20, "only {kills} invocations were killed mid-way");
    for stage in ["nightly", "ingest", "history", "score", "report"] {
        assert!(
            stages_hit.contains(stage),
            "no kill after a {stage} line: {stages_hit:?}"
        );
    }
    assert!(
        took_over,
        "a killed holder's lock was never reported as taken over"
    );

    // The next invocation completes: one partition per night, each the reference's bytes.
    let o = nightly(&drops, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let history = snapshot(&out.join("history"));
    assert_eq!(
        history.keys().collect::<Vec<_>>(),
        reference_history.keys().collect::<Vec<_>>(),
        "one partition per night, nothing else"
    );
    for (k, v) in &history {
        assert!(
            reference_history[k] == *v,
            "{k} differs from an uninterrupted nightly's"
        );
    }
    let o = nightly(&drops, &out, &[]);
    assert_eq!(stdout(&o), "", "nothing left to do");
}

/// `microscout history` follows an account through a change of handle.
#[test]
fn history_follows_a_renamed_account() {
    let dir = Scratch::new("history-rename");
    let out = dir.join("out");
    let drop2 = dir.join("drop2");
    std::fs::create_dir_all(&drop2).unwrap();
    for f in entries(&root().join("data/sample/drop")) {
        let from = root().join("data/sample/drop").join(&f);
        let text = std::fs::read_to_string(&from).unwrap();
        // The first account's handle changes on the second night.
        let text = if f == "accounts.csv" {
            let first = read_csv(&from)[0]["handle"].clone();
            text.replacen(&format!(",{first},"), ",renamed_handle,", 1)
        } else {
            text
        };
        std::fs::write(drop2.join(&f), text).unwrap();
    }
    let first = read_csv(&root().join("data/sample/drop/accounts.csv"))[0]["handle"].clone();
    run_ok(CAMPAIGN, "data/sample/drop", &out, "2026-11-24");
    run_ok(CAMPAIGN, drop2.to_str().unwrap(), &out, "2026-11-25");
    for name in [first.as_str(), "@renamed_handle"] {
        let o = microscout(&["history", name, "--out", out.to_str().unwrap(), "--csv"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let rows: Vec<String> = stdout(&o).lines().skip(1).map(str::to_string).collect();
        assert_eq!(rows.len(), 2, "{name}: {rows:?}");
        assert!(
            rows[0].contains(&first) && rows[1].contains("renamed_handle"),
            "{rows:?}"
        );
    }
}

/// Bad small inputs of the nightly job: an oversized `as-of.txt` fails only its drop; a
/// broken state file stops the invocation before anything is written.
#[test]
fn bad_nightly_inputs_leave_the_night_and_the_output_folder_intact() {
    let dir = Scratch::new("nightly-bad");
    generate_into(dir.path(), "11", &["--accounts", "40", "--days", "3"]);
    let (drops, out) = (dir.join("drops"), dir.join("out"));
    let days = entries(&drops);
    std::fs::write(drops.join(&days[1]).join("as-of.txt"), "x".repeat(5_000)).unwrap();
    let o = nightly(&drops, &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let lines = stdout(&o);
    assert!(lines.contains(&format!("{} failed", days[1])), "{lines}");
    assert!(lines.contains("larger than the 1024 bytes"), "{lines}");
    assert_eq!(entries(&out.join("history")).len(), 2);

    // A valid time in as-of.txt is used as the drop's reference time.
    std::fs::write(
        drops.join(&days[1]).join("as-of.txt"),
        format!("{}T22:00:00Z\n", days[1]),
    )
    .unwrap();
    let o = nightly(&drops, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let run = format!("{}T220000Z", days[1].replace('-', ""));
    assert!(stdout(&o).contains(&run), "{}", stdout(&o));

    // A state file that is not one: exit 1 naming it, nothing else touched.
    std::fs::write(out.join("nightly.json"), "{ not json").unwrap();
    let before = snapshot(&out);
    let o = nightly(&drops, &out, &["--rerun", &days[0]]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("nightly.json"), "{}", stderr(&o));
    assert_untouched(&before, &out);
}
