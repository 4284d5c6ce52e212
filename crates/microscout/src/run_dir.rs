//! The run folder: reserved atomically, written while hidden, made visible whole.
//!
//! A run is written into `<out>/.<id>.partial` and renamed to `<out>/<id>` when complete.
//! Reserving an id and committing a run both happen under an exclusive lock on the `<out>`
//! folder itself, so a check of the id and the creation of its staging folder
//! cannot interleave with another run's commit, whatever the number of concurrent runs.
//! `<out>/LATEST` names the newest complete run: it moves only to a run whose reference time
//! is at least that of the run it names (a run for an earlier night, finished later, leaves
//! it alone). Every file, the run folder and `<out>` are synced to disk before and after
//! the rename, and `LATEST` is written beside its final name before the run is made
//! visible, so that a full disk fails the run before anything appears.
//!
//! A [`RunDir`] that is dropped without [`RunDir::commit`] (an error, a panic) deletes its
//! staging folder. A killed run leaves its hidden staging folder; it never shadows a
//! complete run and its id is skipped.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};

/// File name of the pointer to the newest complete run.
pub const LATEST: &str = "LATEST";

/// An exclusive lock on an output folder (an advisory `flock` on the folder itself, so no
/// lock file is left behind), released when dropped.
struct OutLock(File);

impl OutLock {
    fn acquire(out: &Path) -> anyhow::Result<OutLock> {
        let f = File::open(out)
            .with_context(|| format!("cannot open the output folder {}", out.display()))?;
        f.lock()
            .with_context(|| format!("cannot lock the output folder {}", out.display()))?;
        Ok(OutLock(f))
    }
}

impl Drop for OutLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// A reserved run folder being written.
#[derive(Debug)]
pub struct RunDir {
    out: PathBuf,
    id: String,
    staging: PathBuf,
    committed: bool,
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

impl RunDir {
    /// Reserves the first free id among `base`, `base-2`, `base-3`, ... and creates its
    /// staging folder. `out` must exist.
    pub fn reserve(out: &Path, base: &str) -> anyhow::Result<RunDir> {
        let _lock = OutLock::acquire(out)?;
        for n in 1..100_000 {
            let id = if n == 1 {
                base.to_string()
            } else {
                format!("{base}-{n}")
            };
            let staging = out.join(format!(".{id}.partial"));
            if out.join(&id).symlink_metadata().is_ok() || staging.symlink_metadata().is_ok() {
                continue;
            }
            match std::fs::create_dir(&staging) {
                Ok(()) => {
                    return Ok(RunDir {
                        out: out.to_owned(),
                        id,
                        staging,
                        committed: false,
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(anyhow!(e).context(format!(
                        "cannot create the staging folder {}",
                        staging.display()
                    )));
                }
            }
        }
        Err(anyhow!(
            "no free run id starting with {base} in {}",
            out.display()
        ))
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// The staging folder that the run's files are written into.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Makes the run visible as `<out>/<id>` and moves `LATEST` to it unless it names a
    /// run with a later reference time (`as_of`, Unix seconds). Returns the final folder.
    pub fn commit(mut self, as_of: i64) -> anyhow::Result<PathBuf> {
        // Everything on disk before the folder becomes visible.
        for entry in std::fs::read_dir(&self.staging)? {
            let path = entry?.path();
            File::open(&path)
                .and_then(|f| f.sync_all())
                .with_context(|| format!("cannot sync {}", path.display()))?;
        }
        sync_dir(&self.staging)?;
        // The pointer is written first: a full disk fails here, with nothing visible yet.
        let tmp = self.out.join(format!(".{LATEST}.{}", self.id));
        let write_tmp = || -> std::io::Result<()> {
            use std::io::Write;
            let mut f = File::create(&tmp)?;
            f.write_all(format!("{}\n", self.id).as_bytes())?;
            f.sync_all()
        };
        if let Err(e) = write_tmp() {
            let _ = std::fs::remove_file(&tmp);
            return Err(anyhow!(e).context(format!("cannot write {}", tmp.display())));
        }
        let final_dir = self.out.join(&self.id);
        let lock = OutLock::acquire(&self.out);
        let renamed = lock.and_then(|_lock| {
            std::fs::rename(&self.staging, &final_dir).with_context(|| {
                format!(
                    "cannot move the finished run into place at {}",
                    final_dir.display()
                )
            })?;
            self.committed = true;
            let latest = self.out.join(LATEST);
            if newest_as_of(&self.out).is_none_or(|current| current <= as_of) {
                std::fs::rename(&tmp, &latest)
                    .with_context(|| format!("cannot update {}", latest.display()))?;
            } else {
                let _ = std::fs::remove_file(&tmp);
            }
            sync_dir(&self.out).with_context(|| format!("cannot sync {}", self.out.display()))
        });
        if renamed.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        renamed.map(|()| final_dir)
    }
}

/// The reference time of the run `LATEST` names, from its manifest; None when there is
/// no such run or it cannot be read (then `LATEST` may move).
fn newest_as_of(out: &Path) -> Option<i64> {
    let id = std::fs::read_to_string(out.join(LATEST)).ok()?;
    let manifest = std::fs::read(out.join(id.trim()).join("manifest.json")).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&manifest).ok()?;
    microscout_ingest::value::parse_timestamp(v.get("as_of")?.as_str()?).ok()
}

impl Drop for RunDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Refuses an output folder inside the drop (the next night would read the run's files as
/// data) or a drop inside the output folder's runs.
pub fn check_out_vs_drop(out: &Path, drop: &Path) -> anyhow::Result<()> {
    let drop = std::fs::canonicalize(drop)
        .with_context(|| format!("cannot resolve the drop folder {}", drop.display()))?;
    let out_abs = resolve(out)?;
    if out_abs.starts_with(&drop) {
        return Err(crate::usage!(
            "--out {} is inside the drop folder {}: the runs would be read as input the next \
             night; write them somewhere else",
            out.display(),
            drop.display()
        ));
    }
    Ok(())
}

/// An absolute path with symbolic links resolved, for a path that may not exist yet (the
/// nearest existing ancestor is resolved, the rest appended).
fn resolve(p: &Path) -> anyhow::Result<PathBuf> {
    let abs = std::path::absolute(p).with_context(|| format!("cannot resolve {}", p.display()))?;
    let mut tail = Vec::new();
    let mut cur = abs.as_path();
    loop {
        if let Ok(c) = std::fs::canonicalize(cur) {
            let mut out = c;
            for part in tail.iter().rev() {
                out.push(part);
            }
            return Ok(out);
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                tail.push(name.to_owned());
                cur = parent;
            }
            _ => return Ok(abs),
        }
    }
}
