//! The history store: one snapshot per account per night, kept as Parquet partitioned by
//! date so that DuckDB, polars and pandas read it without microscout (schema:
//! `docs/history.md`).
//!
//! Layout, under `<out>/history/`:
//!
//! ```text
//! history/date=2026-11-24/part-0.parquet
//! history/date=2026-11-25/part-0.parquet
//! ```
//!
//! **Writes are atomic and idempotent.** A night's partition is written whole into a
//! hidden temporary file beside it (`.part-0.parquet.<pid>.tmp`: readers globbing
//! `*.parquet` or skipping hidden files never see it), synced, and renamed over
//! `history/date=<night>/part-0.parquet`: a reader sees the old
//! file or the new one, never a mix, and re-running a night replaces its partition. The
//! bytes depend only on the snapshots (rows sorted by platform and account id), so the same
//! run writes the same file. A killed writer's temporary file is removed by the next write
//! of that night.
//!
//! **Reads are bounded**: scoring reads at most [`MAX_NIGHTS`] nights before tonight, and
//! only the columns growth and the overnight changes need; a partition that cannot be read
//! is an error naming its file (a broken history must be seen, not silently ignored).

use std::fs::File;
use std::path::{Path, PathBuf};

use microscout_model::history::{Histories, Snapshot, date_of, parse_date};
use polars::prelude::*;

/// Nights of history scoring reads (the growth signals look back this far). Unit: nights.
pub const MAX_NIGHTS: usize = 90;
/// The partition file inside each `date=` folder.
pub const PART: &str = "part-0.parquet";
/// Largest partition read (a night of about ten million accounts). Unit: bytes.
pub const MAX_PARTITION_BYTES: u64 = 2 << 30;
/// Largest store of posts about the book read. Unit: bytes.
pub const MAX_DELIVERIES_BYTES: u64 = 64 << 20;

/// Refuses a file larger than `max`, naming it.
fn check_size(path: &Path, max: u64) -> Result<(), HistoryError> {
    let len = std::fs::metadata(path).map_err(io("read", path))?.len();
    if len > max {
        return Err(io("read", path)(std::io::Error::other(format!(
            "{len} bytes is more than the {max} it may hold"
        ))));
    }
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("cannot {what} {path}: {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a readable history partition: {source}")]
    Parquet {
        path: PathBuf,
        #[source]
        source: PolarsError,
    },
    #[error("{path}: column {column}: {why}")]
    Column {
        path: PathBuf,
        column: &'static str,
        why: String,
    },
}

fn io<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> HistoryError + 'a {
    move |source| HistoryError::Io {
        what,
        path: path.to_owned(),
        source,
    }
}

/// The history folder of an output folder.
pub fn root(out: &Path) -> PathBuf {
    out.join("history")
}

/// The partition file of a night.
pub fn partition(out: &Path, day: i32) -> PathBuf {
    root(out).join(format!("date={}", date_of(day))).join(PART)
}

/// The nights that have a partition, oldest first.
pub fn nights(out: &Path) -> Result<Vec<i32>, HistoryError> {
    let root = root(out);
    let rd = match std::fs::read_dir(&root) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io("read", &root)(e)),
    };
    let mut days = Vec::new();
    for e in rd {
        let e = e.map_err(io("read", &root))?;
        let name = e.file_name();
        let Some(day) = name
            .to_str()
            .and_then(|n| n.strip_prefix("date="))
            .and_then(parse_date)
        else {
            continue;
        };
        if e.path().join(PART).is_file() {
            days.push(day);
        }
    }
    days.sort_unstable();
    Ok(days)
}

fn frame(rows: &[Snapshot]) -> PolarsResult<DataFrame> {
    let s = |f: &dyn Fn(&Snapshot) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let i = |f: &dyn Fn(&Snapshot) -> Option<i64>| rows.iter().map(f).collect::<Vec<_>>();
    let x = |f: &dyn Fn(&Snapshot) -> Option<f64>| rows.iter().map(f).collect::<Vec<_>>();
    DataFrame::new_infer_height(vec![
        Column::new("snapshot_date".into(), s(&|r| date_of(r.day))),
        Column::new("platform".into(), s(&|r| r.platform.clone())),
        Column::new("account_id".into(), s(&|r| r.account_id.clone())),
        Column::new("handle".into(), s(&|r| r.handle.clone())),
        Column::new("followers".into(), i(&|r| r.followers.map(|n| n as i64))),
        Column::new("following".into(), i(&|r| r.following.map(|v| v as i64))),
        Column::new(
            "posts_count".into(),
            i(&|r| r.posts_count.map(|v| v as i64)),
        ),
        Column::new(
            "posts_in_window".into(),
            i(&|r| Some(i64::from(r.posts_in_window))),
        ),
        Column::new("avg_likes".into(), x(&|r| r.avg_likes)),
        Column::new("avg_comments".into(), x(&|r| r.avg_comments)),
        Column::new("engagement_rate".into(), x(&|r| r.engagement_rate)),
        Column::new("fake_share".into(), x(&|r| r.fake_share)),
        Column::new("fake_share_low".into(), x(&|r| r.fake_share_low)),
        Column::new("fake_share_high".into(), x(&|r| r.fake_share_high)),
        Column::new("relevance".into(), x(&|r| r.relevance)),
        Column::new("score".into(), x(&|r| r.score)),
        Column::new("verdict".into(), s(&|r| r.verdict.clone())),
        Column::new("flags".into(), s(&|r| r.flags.clone())),
        Column::new(
            "shortlist_rank".into(),
            i(&|r| r.shortlist_rank.map(i64::from)),
        ),
        Column::new("growth_signals".into(), s(&|r| r.growth_signals.clone())),
        Column::new(
            "comments_recent".into(),
            i(&|r| r.comments_recent.map(|v| v as i64)),
        ),
        Column::new(
            "generic_comment_share".into(),
            x(&|r| r.generic_comment_share),
        ),
        Column::new("farm_comment_share".into(), x(&|r| r.farm_comment_share)),
        Column::new("pod_comment_share".into(), x(&|r| r.pod_comment_share)),
        Column::new(
            "shared_follower_share".into(),
            x(&|r| r.shared_follower_share),
        ),
        Column::new("farm_follower_share".into(), x(&|r| r.farm_follower_share)),
    ])
}

/// Writes (or replaces) the partition of night `day` atomically. Returns its path.
pub fn write_night(out: &Path, day: i32, snapshots: &[Snapshot]) -> Result<PathBuf, HistoryError> {
    let mut rows: Vec<&Snapshot> = snapshots.iter().filter(|s| s.day == day).collect();
    rows.sort_by(|a, b| (&a.platform, &a.account_id).cmp(&(&b.platform, &b.account_id)));
    let rows: Vec<Snapshot> = rows.into_iter().cloned().collect();
    let final_path = partition(out, day);
    let dir = final_path.parent().expect("a partition has a folder");
    std::fs::create_dir_all(dir).map_err(io("create", dir))?;
    remove_stale_temporaries(dir);
    let tmp = dir.join(format!(".{PART}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut df = frame(&rows).map_err(|source| HistoryError::Parquet {
            path: tmp.clone(),
            source,
        })?;
        let f = File::create(&tmp).map_err(io("create", &tmp))?;
        let mut w = std::io::BufWriter::new(f);
        ParquetWriter::new(&mut w)
            .finish(&mut df)
            .map_err(|source| HistoryError::Parquet {
                path: tmp.clone(),
                source,
            })?;
        let f = w
            .into_inner()
            .map_err(|e| io("write", &tmp)(e.into_error()))?;
        f.sync_all().map_err(io("sync", &tmp))?;
        std::fs::rename(&tmp, &final_path).map_err(io("move into place", &final_path))?;
        for d in [dir, &root(out)] {
            File::open(d)
                .and_then(|f| f.sync_all())
                .map_err(io("sync", d))?;
        }
        Ok(final_path.clone())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Deletes the temporary files that killed writers left in a partition folder (those
/// whose process is gone; on systems without `/proc`, none).
fn remove_stale_temporaries(dir: &Path) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(&format!(".{PART}.")))
            .and_then(|n| n.strip_suffix(".tmp"))
        else {
            continue;
        };
        let proc = Path::new("/proc");
        if proc.is_dir() && !proc.join(pid).exists() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn read_partition(path: &Path, columns: Option<&[&str]>) -> Result<DataFrame, HistoryError> {
    check_size(path, MAX_PARTITION_BYTES)?;
    let f = File::open(path).map_err(io("open", path))?;
    let mut r = ParquetReader::new(f);
    if let Some(c) = columns {
        r = r.with_columns(Some(c.iter().map(|s| s.to_string()).collect()));
    }
    r.finish().map_err(|source| HistoryError::Parquet {
        path: path.to_owned(),
        source,
    })
}

/// Typed access to a partition's columns, naming the file when one is missing or mistyped.
struct Cols<'a> {
    df: &'a DataFrame,
    path: &'a Path,
}

impl Cols<'_> {
    fn err(&self, column: &'static str, e: impl ToString) -> HistoryError {
        HistoryError::Column {
            path: self.path.to_owned(),
            column,
            why: e.to_string(),
        }
    }
    fn str(&self, c: &'static str) -> Result<StringChunked, HistoryError> {
        let col = self.df.column(c).map_err(|e| self.err(c, e))?;
        Ok(col.str().map_err(|e| self.err(c, e))?.clone())
    }
    /// An integer column as `i64`: a column of another type (a float, text), or an
    /// unsigned value past `i64::MAX`, is an error, not a truncated or null value.
    fn int(&self, c: &'static str) -> Result<Int64Chunked, HistoryError> {
        let col = self.df.column(c).map_err(|e| self.err(c, e))?;
        if !col.dtype().is_integer() {
            return Err(self.err(c, format!("{} where whole numbers belong", col.dtype())));
        }
        let col = col
            .strict_cast(&DataType::Int64)
            .map_err(|e| self.err(c, format!("a value does not fit an i64: {e}")))?;
        Ok(col.i64().map_err(|e| self.err(c, e))?.clone())
    }
    /// An integer column as `T` (a count or rank): a value that does not fit, negative or
    /// too large, is an error naming it, never a silently clamped or truncated number.
    fn whole<T: TryFrom<i64>>(&self, c: &'static str) -> Result<Vec<Option<T>>, HistoryError> {
        let col = self.int(c)?;
        col.iter()
            .enumerate()
            .map(|(row, v)| {
                v.map(|x| {
                    T::try_from(x).map_err(|_| {
                        let range = std::any::type_name::<T>();
                        self.err(c, format!("row {}: {x} does not fit a {range}", row + 1))
                    })
                })
                .transpose()
            })
            .collect()
    }
    fn float(&self, c: &'static str) -> Result<Float64Chunked, HistoryError> {
        let col = self.df.column(c).map_err(|e| self.err(c, e))?;
        let col = col.cast(&DataType::Float64).map_err(|e| self.err(c, e))?;
        Ok(col.f64().map_err(|e| self.err(c, e))?.clone())
    }
    /// A column that nights stored by an earlier version lack: all null when absent.
    fn has(&self, c: &'static str) -> bool {
        self.df.column(c).is_ok()
    }
    fn float_or_null(&self, c: &'static str) -> Result<Vec<Option<f64>>, HistoryError> {
        if !self.has(c) {
            return Ok(vec![None; self.df.height()]);
        }
        Ok(self.float(c)?.iter().collect())
    }
    fn whole_or_null<T: TryFrom<i64>>(
        &self,
        c: &'static str,
    ) -> Result<Vec<Option<T>>, HistoryError> {
        if !self.has(c) {
            return Ok((0..self.df.height()).map(|_| None).collect());
        }
        self.whole(c)
    }
}

/// Reads a partition back into snapshots (all columns).
pub fn read_night(path: &Path, day: i32) -> Result<Vec<Snapshot>, HistoryError> {
    let df = read_partition(path, None)?;
    let c = Cols { df: &df, path };
    let (platform, id, handle, verdict, flags, signals) = (
        c.str("platform")?,
        c.str("account_id")?,
        c.str("handle")?,
        c.str("verdict")?,
        c.str("flags")?,
        c.str("growth_signals")?,
    );
    let (followers, following, posts_count) = (
        c.whole::<u64>("followers")?,
        c.whole::<u64>("following")?,
        c.whole::<u64>("posts_count")?,
    );
    let (piw, rank) = (
        c.whole::<u32>("posts_in_window")?,
        c.whole::<u32>("shortlist_rank")?,
    );
    let (al, ac, er, fs, fl, fh, rel, score) = (
        c.float("avg_likes")?,
        c.float("avg_comments")?,
        c.float("engagement_rate")?,
        c.float("fake_share")?,
        c.float("fake_share_low")?,
        c.float("fake_share_high")?,
        c.float("relevance")?,
        c.float("score")?,
    );
    // Kept since comments and the follower overlap (null on older nights).
    let comments_recent = c.whole_or_null::<u64>("comments_recent")?;
    let (generic, farm_c, pod) = (
        c.float_or_null("generic_comment_share")?,
        c.float_or_null("farm_comment_share")?,
        c.float_or_null("pod_comment_share")?,
    );
    let (shared_f, farm_f) = (
        c.float_or_null("shared_follower_share")?,
        c.float_or_null("farm_follower_share")?,
    );
    let text = |v: Option<&str>| v.unwrap_or_default().to_string();
    Ok((0..df.height())
        .map(|r| Snapshot {
            day,
            platform: text(platform.get(r)),
            account_id: text(id.get(r)),
            handle: text(handle.get(r)),
            followers: followers[r],
            following: following[r],
            posts_count: posts_count[r],
            posts_in_window: piw[r].unwrap_or(0),
            avg_likes: al.get(r),
            avg_comments: ac.get(r),
            engagement_rate: er.get(r),
            fake_share: fs.get(r),
            fake_share_low: fl.get(r),
            fake_share_high: fh.get(r),
            relevance: rel.get(r),
            score: score.get(r),
            verdict: text(verdict.get(r)),
            flags: text(flags.get(r)),
            shortlist_rank: rank[r],
            growth_signals: text(signals.get(r)),
            comments_recent: comments_recent[r],
            generic_comment_share: generic[r],
            farm_comment_share: farm_c[r],
            pod_comment_share: pod[r],
            shared_follower_share: shared_f[r],
            farm_follower_share: farm_f[r],
        })
        .collect())
}

/// The histories scoring needs for night `tonight`: the timelines of the last
/// [`MAX_NIGHTS`] nights before it (only the columns growth reads), and the full snapshots
/// of the latest of them. Nights on or after `tonight` are never read, so re-running a
/// night gives the same result whatever was run after it.
pub fn read_before(out: &Path, tonight: i32) -> Result<Histories, HistoryError> {
    use microscout_model::history::{Night, interactions};
    let days: Vec<i32> = nights(out)?.into_iter().filter(|d| *d < tonight).collect();
    let days = &days[days.len().saturating_sub(MAX_NIGHTS)..];
    let mut h = Histories::default();
    let Some(&last) = days.last() else {
        return Ok(h);
    };
    // Accounts are interned once (a reused key buffer, no allocation per row): each night
    // adds a `Night` and, when the handle is new for the account, the handle.
    struct Account {
        platform: String,
        account_id: String,
        nights: Vec<Night>,
        handles: Vec<String>,
    }
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut accounts: Vec<Account> = Vec::new();
    let mut key = String::new();
    // Every night but the latest, only the columns growth needs; the latest is read whole
    // below (once).
    for &day in &days[..days.len() - 1] {
        let path = partition(out, day);
        let cols = [
            "platform",
            "account_id",
            "handle",
            "followers",
            "avg_likes",
            "avg_comments",
        ];
        let df = read_partition(&path, Some(&cols))?;
        let c = Cols {
            df: &df,
            path: &path,
        };
        let (platform, id, handle, followers, al, ac) = (
            c.str("platform")?,
            c.str("account_id")?,
            c.str("handle")?,
            c.whole::<u64>("followers")?,
            c.float("avg_likes")?,
            c.float("avg_comments")?,
        );
        for (r, followers) in followers.iter().enumerate() {
            let (p, a) = (
                platform.get(r).unwrap_or_default(),
                id.get(r).unwrap_or_default(),
            );
            key.clear();
            key.push_str(p);
            key.push('\u{1f}');
            key.push_str(a);
            let k = match index.get(key.as_str()) {
                Some(&k) => k,
                None => {
                    index.insert(key.clone(), accounts.len());
                    accounts.push(Account {
                        platform: p.to_string(),
                        account_id: a.to_string(),
                        nights: Vec::new(),
                        handles: Vec::new(),
                    });
                    accounts.len() - 1
                }
            };
            let acc = &mut accounts[k];
            let hd = handle.get(r).unwrap_or_default();
            if !acc.handles.iter().any(|x| x == hd) {
                acc.handles.push(hd.to_string());
            }
            acc.nights.push(Night {
                day,
                followers: *followers,
                interactions: interactions(al.get(r), ac.get(r)),
            });
        }
    }
    for a in accounts {
        let key = (a.platform, a.account_id);
        h.handles.insert(key.clone(), a.handles);
        h.timelines.insert(key, a.nights);
    }
    // The latest night whole: its nights join the timelines, its snapshots are what changed
    // overnight is measured against.
    let latest = read_night(&partition(out, last), last)?;
    for r in &latest {
        h.add_night(r);
    }
    h.previous = latest
        .into_iter()
        .map(|s| ((s.platform.clone(), s.account_id.clone()), s))
        .collect();
    h.previous_day = Some(last);
    h.nights_read = days.len();
    h.finish();
    Ok(h)
}

/// Every night of the accounts that `select` picks (e.g. by handle), oldest first.
pub fn timeline(
    out: &Path,
    select: &dyn Fn(&Snapshot) -> bool,
) -> Result<Vec<Snapshot>, HistoryError> {
    let mut rows = Vec::new();
    for day in nights(out)? {
        rows.extend(
            read_night(&partition(out, day), day)?
                .into_iter()
                .filter(|s| select(s)),
        );
    }
    Ok(rows)
}

/// The store of posts about the book that microscout found (`<out>/deliveries.csv`, beside
/// the author's ledger, never in it): one row per post, columns as
/// [`microscout_model::ledger::Delivery`]. Replaced atomically after each run.
pub const DELIVERIES: &str = "deliveries.csv";

/// The stored deliveries; none when the file does not exist.
pub fn read_deliveries(
    out: &Path,
) -> Result<Vec<microscout_model::ledger::Delivery>, HistoryError> {
    let path = out.join(DELIVERIES);
    let f = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io("open", &path)(e)),
    };
    check_size(&path, MAX_DELIVERIES_BYTES)?;
    let mut rd = csv::Reader::from_reader(std::io::BufReader::new(f));
    rd.deserialize()
        .map(|r| {
            r.map_err(|e| HistoryError::Column {
                path: path.clone(),
                column: "deliveries",
                why: e.to_string(),
            })
        })
        .collect()
}

/// Replaces the stored deliveries atomically (temporary file, sync, rename).
pub fn write_deliveries(
    out: &Path,
    rows: &[microscout_model::ledger::Delivery],
) -> Result<(), HistoryError> {
    let path = out.join(DELIVERIES);
    let tmp = out.join(format!(".{DELIVERIES}.{}.tmp", std::process::id()));
    let written = (|| {
        let f = File::create(&tmp).map_err(io("create", &tmp))?;
        let mut w = csv::Writer::from_writer(std::io::BufWriter::new(f));
        for r in rows {
            w.serialize(r).map_err(|e| io("write", &tmp)(e.into()))?;
        }
        let f = w
            .into_inner()
            .map_err(|e| io("write", &tmp)(e.into_error()))?
            .into_inner()
            .map_err(|e| io("write", &tmp)(e.into_error()))?;
        f.sync_all().map_err(io("sync", &tmp))?;
        std::fs::rename(&tmp, &path).map_err(io("move into place", &path))?;
        File::open(out)
            .and_then(|f| f.sync_all())
            .map_err(io("sync", out))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(day: i32, id: &str, followers: u64) -> Snapshot {
        Snapshot {
            day,
            platform: "instagram".into(),
            account_id: id.into(),
            handle: format!("h{id}"),
            followers: Some(followers),
            avg_likes: Some(10.0),
            avg_comments: Some(2.0),
            verdict: "likely authentic".into(),
            shortlist_rank: (id == "a").then_some(1),
            ..Default::default()
        }
    }

    fn temp(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("microscout-history-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn nights_round_trip_and_rewrites_are_identical() {
        let out = temp("roundtrip");
        let d0 = parse_date("2026-11-20").unwrap();
        for k in 0..3 {
            let rows = vec![snap(d0 + k, "b", 200 + k as u64), snap(d0 + k, "a", 100)];
            write_night(&out, d0 + k, &rows).unwrap();
        }
        assert_eq!(nights(&out).unwrap(), vec![d0, d0 + 1, d0 + 2]);
        let p = partition(&out, d0 + 1);
        assert!(
            p.ends_with("history/date=2026-11-21/part-0.parquet"),
            "{p:?}"
        );
        let before = std::fs::read(&p).unwrap();
        write_night(
            &out,
            d0 + 1,
            &[snap(d0 + 1, "a", 100), snap(d0 + 1, "b", 201)],
        )
        .unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), before, "same rows, same bytes");
        // No temporary file is left behind, and a killed writer's is cleaned up.
        let dir = p.parent().unwrap();
        assert_eq!(std::fs::read_dir(dir).unwrap().count(), 1);
        let stale = dir.join(".part-0.parquet.4000000000.tmp");
        std::fs::write(&stale, b"half").unwrap();
        write_night(
            &out,
            d0 + 1,
            &[snap(d0 + 1, "a", 100), snap(d0 + 1, "b", 201)],
        )
        .unwrap();
        assert!(!stale.exists());

        let back = read_night(&p, d0 + 1).unwrap();
        assert_eq!(back, vec![snap(d0 + 1, "a", 100), snap(d0 + 1, "b", 201)]);

        let h = read_before(&out, d0 + 2).unwrap();
        assert_eq!(h.previous_day, Some(d0 + 1));
        let h3 = read_before(&out, d0 + 3).unwrap();
        assert_eq!(
            h3.handles[&("instagram".to_string(), "b".to_string())],
            vec!["hb".to_string()]
        );
        let t = &h.timelines[&("instagram".to_string(), "b".to_string())];
        assert_eq!(
            t.iter().map(|n| n.followers).collect::<Vec<_>>(),
            vec![Some(200), Some(201)]
        );
        assert_eq!(t[0].interactions, Some(12.0));
        assert_eq!(h.previous.len(), 2);

        let only_b = timeline(&out, &|s| s.handle == "hb").unwrap();
        assert_eq!(only_b.len(), 3);
        let _ = std::fs::remove_dir_all(&out);
    }

    /// Nights stored before the comment and overlap columns existed read back with them
    /// null; nights with them keep them.
    #[test]
    fn nights_without_the_newer_columns_read_as_null() {
        let out = temp("older");
        let d0 = parse_date("2026-11-20").unwrap();
        let with = Snapshot {
            comments_recent: Some(40),
            generic_comment_share: Some(0.25),
            farm_follower_share: Some(0.1),
            ..snap(d0, "a", 100)
        };
        let p = write_night(&out, d0, std::slice::from_ref(&with)).unwrap();
        assert_eq!(read_night(&p, d0).unwrap(), vec![with.clone()]);
        let mut df = read_partition(&p, None).unwrap();
        for c in [
            "comments_recent",
            "generic_comment_share",
            "farm_comment_share",
            "pod_comment_share",
            "shared_follower_share",
            "farm_follower_share",
        ] {
            df = df.drop(c).unwrap();
        }
        let mut f = File::create(&p).unwrap();
        ParquetWriter::new(&mut f).finish(&mut df).unwrap();
        assert_eq!(read_night(&p, d0).unwrap(), vec![snap(d0, "a", 100)]);
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn a_broken_partition_is_an_error_naming_it() {
        let out = temp("broken");
        let d = parse_date("2026-11-20").unwrap();
        let p = partition(&out, d);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, b"not parquet").unwrap();
        let e = read_before(&out, d + 1).unwrap_err().to_string();
        assert!(e.contains("date=2026-11-20"), "{e}");
        let _ = std::fs::remove_dir_all(&out);
    }

    /// A partition written by another tool (or damaged) with a rank or count that does not
    /// fit: an error naming the file, the column, the row and the value, not a truncated
    /// or clamped number.
    #[test]
    fn counts_that_do_not_fit_are_errors_naming_the_value() {
        let out = temp("range");
        let d0 = parse_date("2026-11-20").unwrap();
        let p = write_night(&out, d0, &[snap(d0, "a", 100), snap(d0, "b", 7)]).unwrap();
        // The partition with one column replaced (of any type).
        let replace = |column: Column| {
            let mut df = read_partition(&p, None).unwrap();
            df.with_column(column).unwrap();
            let mut f = File::create(&p).unwrap();
            ParquetWriter::new(&mut f).finish(&mut df).unwrap();
        };
        let rewrite = |column: &str, values: Vec<Option<i64>>| {
            replace(Column::new(column.into(), values));
        };
        rewrite("shortlist_rank", vec![Some(1), Some(4_294_967_297)]);
        let e = read_night(&p, d0).unwrap_err().to_string();
        assert!(
            e.contains("column shortlist_rank: row 2: 4294967297 does not fit a u32"),
            "{e}"
        );
        rewrite("shortlist_rank", vec![Some(1), None]);
        rewrite("followers", vec![Some(100), Some(-3)]);
        let e = read_night(&p, d0).unwrap_err().to_string();
        assert!(
            e.contains("column followers: row 2: -3 does not fit a u64"),
            "{e}"
        );
        assert!(e.contains("part-0.parquet"), "{e}");
        // The timelines of earlier nights are read through the same check.
        write_night(&out, d0 + 1, &[snap(d0 + 1, "a", 100)]).unwrap();
        let e = read_before(&out, d0 + 2).unwrap_err().to_string();
        assert!(e.contains("-3 does not fit"), "{e}");
        // Other types are refused, not cast: a float, or an unsigned count past i64::MAX.
        replace(Column::new("followers".into(), vec![100.0f64, 12.7]));
        let e = read_night(&p, d0).unwrap_err().to_string();
        assert!(
            e.contains("column followers: f64 where whole numbers belong"),
            "{e}"
        );
        replace(Column::new("followers".into(), vec![100u64, u64::MAX]));
        let e = read_night(&p, d0).unwrap_err().to_string();
        assert!(
            e.contains("column followers: a value does not fit an i64"),
            "{e}"
        );
        rewrite("followers", vec![Some(100), Some(7)]);
        assert_eq!(read_night(&p, d0).unwrap()[1].shortlist_rank, None);
        std::fs::remove_dir_all(&out).unwrap();
    }
}
