//! Helpers: run the binary, make scratch folders, read CSV outputs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (tests run with it as the working directory).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch folder under cargo's target tmp dir, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Self {
        // Unique per process and per call: `cargo test` runs tests as threads of one process.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let p = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Scratch(p)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
    pub fn join(&self, p: &str) -> PathBuf {
        self.0.join(p)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The binary under test: the one cargo built for the tests, or `MICROSCOUT_BIN` (e.g. a
/// release build: `just hostile-release`).
pub fn binary() -> PathBuf {
    std::env::var_os("MICROSCOUT_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_microscout")))
}

/// Runs `microscout` with `args` (no stdin, no terminal).
pub fn microscout(args: &[&str]) -> Output {
    Command::new(binary())
        .args(args)
        .current_dir(root())
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the binary runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Runs `microscout generate --out <out> --seed <seed> <extra...>`, which must succeed.
pub fn generate_into(out: &Path, seed: &str, extra: &[&str]) {
    let mut args = vec!["generate", "--out", out.to_str().unwrap(), "--seed", seed];
    args.extend_from_slice(extra);
    let o = microscout(&args);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Runs a nightly job.
pub fn run_job(campaign: &str, drop: &str, out: &Path, as_of: &str) -> Output {
    run_job_with(campaign, drop, out, as_of, &[])
}

/// Runs a nightly job with extra arguments (`--log-format json`, ...).
pub fn run_job_with(campaign: &str, drop: &str, out: &Path, as_of: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "run",
        "--campaign",
        campaign,
        "--drop",
        drop,
        "--out",
        out.to_str().unwrap(),
        "--as-of",
        as_of,
    ];
    args.extend_from_slice(extra);
    microscout(&args)
}

/// Runs a nightly job that must succeed; returns the run folder.
pub fn run_ok(campaign: &str, drop: &str, out: &Path, as_of: &str) -> PathBuf {
    let o = run_job(campaign, drop, out, as_of);
    assert!(o.status.success(), "run failed: {}", stderr(&o));
    PathBuf::from(stdout(&o).trim())
}

/// Reads a CSV file into header-keyed rows.
pub fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Compares `actual` with the golden file `tests/golden/<name>`; with `UPDATE_GOLDEN=1`
/// rewrites the golden file instead.
pub fn golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}: run with UPDATE_GOLDEN=1",
            path.display()
        )
    });
    if expected != actual {
        let diff_line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output at line {} (rerun with UPDATE_GOLDEN=1 after checking the change):\nexpected: {:?}\nactual:   {:?}",
            path.display(),
            diff_line + 1,
            expected.lines().nth(diff_line),
            actual.lines().nth(diff_line)
        );
    }
}

/// Every file below `dir` (relative path -> bytes), to check that a folder did not change.
/// A missing folder is empty; a file that vanishes while being read is left out.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut m = std::collections::BTreeMap::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            for (k, v) in snapshot(&p) {
                m.insert(format!("{}/{k}", e.file_name().to_string_lossy()), v);
            }
        } else if let Ok(bytes) = std::fs::read(&p) {
            m.insert(e.file_name().to_string_lossy().into_owned(), bytes);
        }
    }
    m
}

/// The names in a folder, sorted (empty when it does not exist).
pub fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// A `drop/` folder in `dir` holding the hand-made drop's accounts only (a test adds the
/// posts or followers it is about).
pub fn drop_with_handmade_accounts(dir: &Scratch) -> PathBuf {
    let drop = dir.join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/handmade/drop/accounts.csv"),
        drop.join("accounts.csv"),
    )
    .unwrap();
    drop
}
