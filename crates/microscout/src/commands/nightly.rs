//! `microscout nightly`: every dated drop not yet processed, oldest first, each as `run`
//! does, under a lock, with a record of what is done.
//!
//! **State** (`<out>/nightly.json`): per drop date, `done` (with its run id) or `failed`
//! (with the error and the number of attempts). A drop is recorded done only after its run
//! folder is visible and its history night is written; the record is replaced atomically
//! (temporary file, sync, rename), so a killed invocation leaves the previous record whole
//! and the next one redoes exactly the drops that were not recorded. Re-running a drop
//! replaces its history night (same bytes for the same drop and history) and adds a run
//! folder; earlier run folders are never touched.
//!
//! **Lock** (`<out>/nightly.lock`): an advisory `flock`, which the kernel releases when
//! its holder dies, so a lock left by a killed process is free to take; the file names the
//! holder (pid, host, start time) for the message a second invocation prints.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use chrono::Utc;
use microscout_model::history::{date_of, parse_date};
use serde::{Deserialize, Serialize};

use crate::RunOutcome;
use crate::cli::{NightlyArgs, RunArgs};
use crate::ui::Ui;

/// File names in the output folder.
pub const STATE: &str = "nightly.json";
pub const LOCK: &str = "nightly.lock";
/// A file in a drop folder that sets its reference time (any `run --as-of` format).
pub const AS_OF_FILE: &str = "as-of.txt";
/// Longest error kept per failed drop in the state file. Unit: characters.
const MAX_ERROR: usize = 2_000;
/// Largest state file read (it holds one entry per drop). Unit: bytes.
const MAX_STATE_BYTES: u64 = 16 << 20;
/// Largest `as-of.txt` and lock file read. Unit: bytes.
const MAX_SMALL_FILE: u64 = 1024;

/// A file's bytes, refusing one larger than `max` (named in the error).
fn read_bounded(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    File::open(path)?.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(std::io::Error::other(format!(
            "{} is larger than the {max} bytes it may hold",
            path.display()
        )));
    }
    Ok(bytes)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum DropState {
    Done {
        run_id: String,
        finished_at: String,
        attempts: u32,
    },
    Failed {
        error: String,
        failed_at: String,
        attempts: u32,
    },
}

impl DropState {
    fn attempts(&self) -> u32 {
        match self {
            DropState::Done { attempts, .. } | DropState::Failed { attempts, .. } => *attempts,
        }
    }
}

/// `<out>/nightly.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// By drop date (YYYY-MM-DD).
    pub drops: BTreeMap<String, DropState>,
}

impl State {
    pub fn read(out: &Path) -> anyhow::Result<State> {
        let path = out.join(STATE);
        match read_bounded(&path, MAX_STATE_BYTES) {
            Ok(b) => serde_json::from_slice(&b).with_context(|| {
                format!(
                    "{} is not a nightly state file; move it away to process every drop again",
                    path.display()
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
            Err(e) => Err(anyhow!(e).context(format!("cannot read {}", path.display()))),
        }
    }

    /// Replaces the state file atomically.
    fn write(&self, out: &Path) -> anyhow::Result<()> {
        let path = out.join(STATE);
        let tmp = out.join(format!(".{STATE}.{}.tmp", std::process::id()));
        let write = || -> std::io::Result<()> {
            let mut f = File::create(&tmp)?;
            f.write_all(serde_json::to_string_pretty(self)?.as_bytes())?;
            f.write_all(b"\n")?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)?;
            File::open(out)?.sync_all()
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            anyhow!(e).context(format!("cannot write {}", path.display()))
        })
    }

    fn done(&self, date: &str) -> bool {
        matches!(self.drops.get(date), Some(DropState::Done { .. }))
    }
}

/// The exclusive lock of a nightly on an output folder, released when dropped (or when
/// the process dies).
struct NightlyLock(File);

fn holder_of(path: &Path) -> String {
    read_bounded(path, MAX_SMALL_FILE)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "an unknown process".into())
}

fn pid_alive(holder: &str) -> Option<bool> {
    let pid = holder
        .split_whitespace()
        .find_map(|w| w.strip_prefix("pid="))?;
    let proc = Path::new("/proc");
    proc.is_dir().then(|| proc.join(pid).exists())
}

impl NightlyLock {
    fn acquire(out: &Path, wait: bool, ui: &Ui) -> anyhow::Result<NightlyLock> {
        let path = out.join(LOCK);
        let f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .with_context(|| format!("cannot open the lock file {}", path.display()))?;
        match f.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = holder_of(&path);
                if !wait {
                    return Err(anyhow!(
                        "another nightly is running on {} ({holder}); nothing was done. Wait for \
                         it, or pass --wait to start when it finishes",
                        out.display()
                    ));
                }
                ui.say(format!(
                    "Waiting for the nightly that holds {} ({holder}).",
                    path.display()
                ));
                f.lock()
                    .with_context(|| format!("cannot lock {}", path.display()))?;
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(anyhow!(e).context(format!("cannot lock {}", path.display())));
            }
        }
        let previous = holder_of(&path);
        if previous != "an unknown process" && pid_alive(&previous) == Some(false) {
            tracing::warn!(
                "taking over {}: it was left by a process that is gone ({previous})",
                path.display()
            );
        }
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_else(|_| "unknown".into());
        let me = format!(
            "pid={} host={host} started={}\n",
            std::process::id(),
            microscout_model::numfmt::rfc3339(Utc::now().timestamp())
        );
        let mut w = &f;
        w.set_len(0)
            .and_then(|()| w.write_all(me.as_bytes()))
            .and_then(|()| w.flush())
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(NightlyLock(f))
    }
}

impl Drop for NightlyLock {
    fn drop(&mut self) {
        let _ = self.0.set_len(0);
        let _ = self.0.unlock();
    }
}

/// The dated drop folders, oldest first.
pub fn dated_drops(drops: &Path) -> anyhow::Result<Vec<(i32, PathBuf)>> {
    let rd = std::fs::read_dir(drops)
        .with_context(|| format!("cannot read the drops folder {}", drops.display()))?;
    let mut v = Vec::new();
    for e in rd {
        let e = e.with_context(|| format!("cannot read the drops folder {}", drops.display()))?;
        let name = e.file_name();
        let Some(day) = name.to_str().and_then(parse_date) else {
            tracing::debug!("{}: not a dated drop folder, skipped", e.path().display());
            continue;
        };
        if e.path().is_dir() {
            v.push((day, e.path()));
        }
    }
    v.sort();
    Ok(v)
}

/// The reference time of a drop: its `as-of.txt` when it has one, else its date at 00:00
/// UTC.
fn reference_time(day: i32, drop: &Path) -> anyhow::Result<i64> {
    let f = drop.join(AS_OF_FILE);
    match read_bounded(&f, MAX_SMALL_FILE) {
        Ok(b) => microscout_ingest::value::parse_timestamp(String::from_utf8_lossy(&b).trim())
            .map_err(|e| anyhow!("{}: {e}", f.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(i64::from(day) * 86_400),
        Err(e) => Err(anyhow!(e).context(format!("cannot read {}", f.display()))),
    }
}

/// What one drop came to.
#[derive(Debug)]
pub struct DropResult {
    pub date: String,
    pub outcome: Result<RunOutcome, String>,
}

/// What a nightly invocation did.
#[derive(Debug, Default)]
pub struct NightlyOutcome {
    pub drops_found: usize,
    pub results: Vec<DropResult>,
}

impl NightlyOutcome {
    pub fn failed(&self) -> usize {
        self.results.iter().filter(|r| r.outcome.is_err()).count()
    }

    /// One line per drop (date, status, run folder or error), for people and schedulers
    /// alike: stdout.
    pub fn lines(&self) -> String {
        use microscout_model::numfmt::count;
        let mut lines = String::new();
        for r in &self.results {
            match &r.outcome {
                Ok(run) => {
                    let m = &run.manifest.results;
                    lines.push_str(&format!(
                        "{} done {} ({} accounts, {} shortlisted, {} flagged)\n",
                        r.date,
                        run.run_dir.display(),
                        count(m.accounts_scored as u64),
                        count(m.shortlisted as u64),
                        count(m.flagged as u64)
                    ));
                }
                Err(e) => {
                    let first = e.lines().next().unwrap_or_default();
                    lines.push_str(&format!("{} failed {first}\n", r.date));
                }
            }
        }
        lines
    }

    /// The line a person reads on stderr.
    pub fn summary(&self) -> String {
        use microscout_model::numfmt::count;
        let failed = self.failed();
        format!(
            "{} dated drops found; {} processed now, {} failed{}.",
            count(self.drops_found as u64),
            count((self.results.len() - failed) as u64),
            count(failed as u64),
            if self.results.is_empty() {
                " (nothing new to do)"
            } else if failed > 0 {
                "; failed drops are retried next time"
            } else {
                ""
            }
        )
    }

    /// A failure (exit 1) when a drop failed.
    pub fn result(&self) -> anyhow::Result<()> {
        match self.failed() {
            0 => Ok(()),
            failed => Err(anyhow::anyhow!(
                "{failed} of {} drops failed (see the lines above; nightly.json keeps the errors)",
                self.results.len()
            )),
        }
    }
}

/// `microscout nightly`.
pub fn nightly(args: &NightlyArgs, ui: &Ui) -> anyhow::Result<NightlyOutcome> {
    // Configuration first: a bad campaign is the same for every drop.
    let (campaign, _) = super::read_campaign(&args.campaign)?;
    microscout_ingest::IngestOptions::from_campaign(&campaign)?;
    let drops = dated_drops(&args.drops)?;
    for &d in &args.rerun {
        if !drops.iter().any(|(day, _)| *day == d) {
            return Err(crate::usage!(
                "--rerun {}: there is no drop folder {}",
                date_of(d),
                args.drops.join(date_of(d)).display()
            ));
        }
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create the output folder {}", args.out.display()))?;
    let _lock = NightlyLock::acquire(&args.out, args.wait, ui)?;
    // Leftovers of a killed invocation's state write.
    if let Ok(rd) = std::fs::read_dir(&args.out) {
        for e in rd.flatten() {
            let n = e.file_name();
            let n = n.to_string_lossy();
            if n.starts_with(&format!(".{STATE}.")) && n.ends_with(".tmp") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    let mut state = State::read(&args.out)?;
    let mut outcome = NightlyOutcome {
        drops_found: drops.len(),
        results: Vec::new(),
    };
    for (day, drop) in drops {
        let date = date_of(day);
        if state.done(&date) && !args.rerun.contains(&day) {
            continue;
        }
        let attempts = state.drops.get(&date).map_or(0, DropState::attempts) + 1;
        tracing::info!(
            stage = "nightly",
            drop = date.as_str(),
            attempt = attempts,
            "drop {date}: starting"
        );
        let result = reference_time(day, &drop).and_then(|as_of| {
            crate::commands::run::run(
                &RunArgs {
                    campaign: args.campaign.clone(),
                    drop: drop.clone(),
                    out: args.out.clone(),
                    as_of: Some(as_of),
                    run_id: None,
                },
                ui,
            )
        });
        let now = microscout_model::numfmt::rfc3339(Utc::now().timestamp());
        let (entry, result) = match result {
            Ok(o) => (
                DropState::Done {
                    run_id: o.manifest.run_id.clone(),
                    finished_at: now,
                    attempts,
                },
                Ok(o),
            ),
            Err(e) if crate::exit_code(&e) == crate::USAGE => {
                // The same for every drop: stop here, nothing recorded for this one.
                return Err(e.context(format!("drop {date}")));
            }
            Err(e) => {
                let full = format!("{e:#}");
                let text: String = full.chars().take(MAX_ERROR).collect();
                tracing::error!(
                    stage = "nightly",
                    drop = date.as_str(),
                    "drop {date} failed (it is retried next time): {text}"
                );
                (
                    DropState::Failed {
                        error: text,
                        failed_at: now,
                        attempts,
                    },
                    Err(full),
                )
            }
        };
        state.drops.insert(date.clone(), entry);
        state.write(&args.out)?;
        outcome.results.push(DropResult {
            date,
            outcome: result,
        });
    }
    Ok(outcome)
}
