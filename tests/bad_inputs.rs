//! The bad-input corpus (`tests/bad_inputs/cases/`, written by `make_corpus.py`): every kind
//! of fault ingestion must handle, alone and mixed. For each case the exact outcome is
//! checked: which rows are quarantined, where, with which reason; the accounting printed and
//! recorded; and, for files that cannot be used at all, exit code 1, a message naming the
//! file, and an earlier run left untouched.

use std::path::{Path, PathBuf};

use crate::util::*;

const CAMPAIGN: &str = "tests/fixtures/handmade/campaign.toml";
const GOOD_DROP: &str = "tests/fixtures/handmade/drop";
const AS_OF: &str = "2026-11-25T00:00:00Z";

fn cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("tests/bad_inputs/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

fn check_case(case: &Path) -> Result<(), String> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let expect: serde_json::Value =
        serde_json::from_slice(&std::fs::read(case.join("expect.json")).unwrap()).unwrap();
    let out = Scratch::new(&format!("bad-{name}"));
    let drop = case.join("drop");
    if expect["exit"] == 1 {
        let first = run_ok(CAMPAIGN, GOOD_DROP, out.path(), AS_OF);
        let before = snapshot(out.path());
        let o = run_job(CAMPAIGN, drop.to_str().unwrap(), out.path(), AS_OF);
        let err = stderr(&o);
        if o.status.code() != Some(1) {
            return Err(format!(
                "{name}: exit {:?}, expected 1: {err}",
                o.status.code()
            ));
        }
        for part in expect["error"].as_array().unwrap() {
            if !err.contains(part.as_str().unwrap()) {
                return Err(format!("{name}: message lacks {part}: {err}"));
            }
        }
        if snapshot(out.path()) != before {
            return Err(format!("{name}: the failed run changed the output folder"));
        }
        let latest = std::fs::read_to_string(out.path().join("LATEST")).unwrap();
        if out.path().join(latest.trim()) != first {
            return Err(format!("{name}: LATEST no longer names the earlier run"));
        }
        return Ok(());
    }
    let o = run_job(CAMPAIGN, drop.to_str().unwrap(), out.path(), AS_OF);
    let err = stderr(&o);
    if !o.status.success() {
        return Err(format!("{name}: run failed: {err}"));
    }
    let run = PathBuf::from(stdout(&o).trim());
    let rejected = read_csv(&run.join("rejected.csv"));
    let want = expect["rejected"].as_array().unwrap();
    if rejected.len() != want.len() {
        return Err(format!(
            "{name}: {} rejections, expected {}: {rejected:?}",
            rejected.len(),
            want.len()
        ));
    }
    for (got, w) in rejected.iter().zip(want) {
        for key in ["file", "table"] {
            if got[key] != w[key].as_str().unwrap() {
                return Err(format!("{name}: {key} {} != {}", got[key], w[key]));
            }
        }
        for key in ["line", "record"] {
            if let Some(n) = w[key].as_u64().filter(|n| got[key] != n.to_string()) {
                return Err(format!(
                    "{name}: {key} {} != {n} ({})",
                    got[key], got["reason"]
                ));
            }
        }
        let reason = w["reason"].as_str().unwrap();
        if !got["reason"].contains(reason) {
            return Err(format!(
                "{name}: reason {:?} lacks {reason:?}",
                got["reason"]
            ));
        }
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("manifest.json")).unwrap()).unwrap();
    for t in manifest["accounting"].as_array().unwrap() {
        let (read, acc, rej) = (
            t["rows_read"].as_u64().unwrap(),
            t["accepted"].as_u64().unwrap(),
            t["rejected"].as_u64().unwrap(),
        );
        if read != acc + rej {
            return Err(format!(
                "{name}: {} read {read} != {acc} + {rej}",
                t["table"]
            ));
        }
        let table = t["table"].as_str().unwrap();
        if let Some(w) = expect["accounting"].get(table) {
            let w: Vec<u64> = w
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap())
                .collect();
            if w != [read, acc, rej] {
                return Err(format!(
                    "{name}: {table} accounting {:?} != {w:?}",
                    [read, acc, rej]
                ));
            }
            // What the run prints.
            let line = format!("{table}: {read} rows read = {acc} accepted + {rej} rejected");
            if !err.replace(',', "").contains(&line) {
                return Err(format!("{name}: stderr lacks {line:?}: {err}"));
            }
        }
    }
    Ok(())
}

#[test]
fn every_case_of_the_bad_input_corpus() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let failures: Vec<String> = cases.iter().filter_map(|c| check_case(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
