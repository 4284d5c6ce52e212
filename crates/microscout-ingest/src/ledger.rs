//! The outreach ledger file (`ledger.csv`): the author's own record, read and validated on
//! every run, and appended to by `microscout outreach`.
//!
//! Columns ([`LEDGER_COLUMNS`]): `date` (YYYY-MM-DD), `book` (empty: the campaign's title),
//! `platform` (empty: any), `account` (a handle with or without @, or an account id),
//! `event` (`contacted`, `replied`, `declined`, `agreed`, `copy_sent`, `posted`, `paid`,
//! `note`, `detection_rejected`), `channel`, `cost` and `fee` (amounts, not negative),
//! `code` (a discount code, tracking link, or for `posted`/`detection_rejected` the post's
//! link or id), `note`. `date`, `account` and `event` are required; other columns may be
//! missing or in any order, and extra columns are ignored.
//!
//! A row that cannot be used (bad date, unknown event, unknown account, negative or
//! non-numeric amount, unknown platform, wrong number of fields) is a [`LedgerProblem`] with
//! its line and reason; every other row is kept. The file is bounded ([`MAX_LEDGER_BYTES`]);
//! problems kept in memory are bounded ([`MAX_PROBLEMS`], the rest counted).

use std::io::Write;
use std::path::{Path, PathBuf};

use microscout_model::Platform;
use microscout_model::history::parse_date;
use microscout_model::ledger::{EventKind, LEDGER_COLUMNS, LedgerEvent, LedgerProblem};

/// Largest ledger read. Unit: bytes.
pub const MAX_LEDGER_BYTES: u64 = 64 << 20;
/// Problems kept with their text; more are counted.
pub const MAX_PROBLEMS: usize = 1_000;

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("cannot {what} {file} {path}: {source}")]
    Io {
        what: &'static str,
        file: OwnFile,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {why}")]
    Unusable { path: PathBuf, why: String },
    #[error("{0}")]
    BadRow(String),
}

/// The valid events and the problems of a ledger.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub events: Vec<LedgerEvent>,
    pub problems: Vec<LedgerProblem>,
    /// Problems beyond [`MAX_PROBLEMS`], counted only.
    pub more_problems: u64,
    /// SHA-256 (hex) of the bytes read; `None` when there was no file.
    pub sha256: Option<String>,
}

/// Account names a ledger row may use: handles (lower case, no @) and account ids, from
/// tonight's accounts and the history.
#[derive(Debug, Default)]
pub struct KnownAccounts(std::collections::HashSet<String>);

impl KnownAccounts {
    pub fn add(&mut self, handle: &str, account_id: &str) {
        self.0.insert(microscout_model::ledger::handle_key(handle));
        self.0.insert(account_id.trim().to_string());
    }

    /// The accounts of a canonical accounts table (its `handle` and `account_id`).
    pub fn add_table(&mut self, accounts: &polars::prelude::DataFrame) {
        let column = |name: &str| accounts.column(name).and_then(|c| c.str().cloned());
        if let (Ok(h), Ok(i)) = (column("handle"), column("account_id")) {
            for (h, i) in h.iter().zip(i.iter()) {
                self.add(h.unwrap_or_default(), i.unwrap_or_default());
            }
        }
    }

    /// The accounts of earlier nights, under every handle they had.
    pub fn add_history(&mut self, h: &microscout_model::history::Histories) {
        for ((_, id), handles) in &h.handles {
            self.0.insert(id.clone());
            for handle in handles {
                self.0.insert(microscout_model::ledger::handle_key(handle));
            }
        }
    }

    /// `Err(reason)` when `account` (a handle with or without @, or an id) is not known.
    pub fn check(&self, account: &str) -> Result<(), String> {
        if self
            .0
            .contains(&microscout_model::ledger::handle_key(account))
            || self.0.contains(account.trim())
        {
            Ok(())
        } else {
            Err(format!(
                "unknown account \"{account}\": not in tonight's drop nor in the history"
            ))
        }
    }
}

/// Checks that a row names a known account: `Err(reason)` when it does not.
pub type KnownAccount<'a> = &'a dyn Fn(Option<Platform>, &str) -> Result<(), String>;

/// Where each column is in the file's header.
#[derive(Debug, Clone, Copy)]
struct Columns([Option<usize>; 10]);

impl Columns {
    fn of(header: &csv::StringRecord, path: &Path) -> Result<Columns, LedgerError> {
        let mut at = [None; 10];
        for (i, h) in header.iter().enumerate() {
            let h = h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
            if let Some(k) = LEDGER_COLUMNS.iter().position(|c| *c == h) {
                if at[k].is_some() {
                    return Err(LedgerError::Unusable {
                        path: path.to_owned(),
                        why: format!("column `{h}` appears twice in the header"),
                    });
                }
                at[k] = Some(i);
            }
        }
        for required in ["date", "account", "event"] {
            let k = LEDGER_COLUMNS.iter().position(|c| *c == required).unwrap();
            if at[k].is_none() {
                return Err(LedgerError::Unusable {
                    path: path.to_owned(),
                    why: format!(
                        "missing required column `{required}` (the header must name date, \
                         account and event; all columns: {})",
                        LEDGER_COLUMNS.join(",")
                    ),
                });
            }
        }
        Ok(Columns(at))
    }

    fn get<'r>(&self, r: &'r csv::StringRecord, name: &str) -> &'r str {
        let k = LEDGER_COLUMNS.iter().position(|c| *c == name).unwrap();
        self.0[k].and_then(|i| r.get(i)).unwrap_or("").trim()
    }
}

pub(crate) fn amount(s: &str, what: &str) -> Result<Option<f64>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    let v: f64 = s
        .replace(',', "")
        .parse()
        .map_err(|_| format!("{what} \"{s}\" is not a number"))?;
    if !v.is_finite() {
        return Err(format!("{what} \"{s}\" is not a number"));
    }
    if v < 0.0 {
        return Err(format!("negative {what} {s}"));
    }
    Ok(Some(v))
}

/// One row, validated.
fn parse_row(
    c: &Columns,
    r: &csv::StringRecord,
    line: u64,
    default_book: &str,
    known: KnownAccount<'_>,
) -> Result<LedgerEvent, String> {
    let date = c.get(r, "date");
    let day = parse_date(date).ok_or_else(|| format!("bad date \"{date}\" (use YYYY-MM-DD)"))?;
    let event_s = c.get(r, "event");
    let event = EventKind::parse(event_s).ok_or_else(|| {
        format!(
            "unknown event \"{event_s}\" (use one of: {})",
            EventKind::ALL.map(|e| e.as_str()).join(", ")
        )
    })?;
    let platform_s = c.get(r, "platform");
    let platform = if platform_s.is_empty() {
        None
    } else {
        Some(
            Platform::parse(platform_s)
                .ok_or_else(|| format!("unknown platform \"{platform_s}\""))?,
        )
    };
    let account = c.get(r, "account");
    if account.trim_start_matches('@').is_empty() {
        return Err("empty account".into());
    }
    known(platform, account)?;
    let book = c.get(r, "book");
    Ok(LedgerEvent {
        line,
        day,
        book: if book.is_empty() {
            default_book.to_string()
        } else {
            book.to_string()
        },
        platform,
        account: account.to_string(),
        event,
        channel: c.get(r, "channel").to_string(),
        cost: amount(c.get(r, "cost"), "cost")?,
        fee: amount(c.get(r, "fee"), "fee")?,
        code: c.get(r, "code").to_string(),
        note: c.get(r, "note").to_string(),
    })
}

pub(crate) fn raw(r: &csv::StringRecord) -> String {
    let s = r.iter().collect::<Vec<_>>().join(",");
    microscout_model::text::printable(&s, 300)
}

/// Which of the author's files a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnFile {
    Ledger,
    Sales,
}

impl std::fmt::Display for OwnFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            OwnFile::Ledger => "the ledger",
            OwnFile::Sales => "the sales file",
        })
    }
}

/// Reads a ledger or sales file whole, at most [`MAX_LEDGER_BYTES`], with the SHA-256 of
/// exactly the bytes read. It is opened without waiting and refused unless it is a regular
/// file, so a pipe or a device can neither block nor never end; a file that grows past the
/// limit while it is read is stopped there. A missing file is [`LedgerError::Io`] with
/// the system's `NotFound`.
pub(crate) fn read_bounded(path: &Path, kind: OwnFile) -> Result<(Vec<u8>, String), LedgerError> {
    let io = |source| LedgerError::Io {
        what: "read",
        file: kind,
        path: path.to_owned(),
        source,
    };
    let unusable = |why: String| LedgerError::Unusable {
        path: path.to_owned(),
        why,
    };
    let mut file = crate::open::open_nonblocking(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(unusable("not a regular file".into()));
    }
    if meta.len() > MAX_LEDGER_BYTES {
        let advice = match kind {
            OwnFile::Ledger => "; split it by book",
            OwnFile::Sales => "",
        };
        return Err(unusable(format!(
            "{} bytes is more than {kind} may hold ({MAX_LEDGER_BYTES}){advice}",
            meta.len()
        )));
    }
    let bytes = crate::open::read_bounded(&mut file, MAX_LEDGER_BYTES).map_err(|e| {
        match crate::open::limit_hit(&e) {
            Some(_) => unusable(format!(
                "it grew past the {MAX_LEDGER_BYTES} bytes {kind} may hold while it was read"
            )),
            None => io(e),
        }
    })?;
    let sha256 = crate::sha256_hex(&bytes);
    Ok((bytes, sha256))
}

/// Reads and validates the ledger. A missing file is an empty ledger; a file that cannot be
/// used at all (not UTF-8 CSV, no header, a required column missing, too large) is an error.
/// The ledger's `sha256` is of the bytes parsed.
pub fn read(
    path: &Path,
    default_book: &str,
    known: KnownAccount<'_>,
) -> Result<Ledger, LedgerError> {
    let (bytes, sha256) = match read_bounded(path, OwnFile::Ledger) {
        Err(LedgerError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Ledger::default());
        }
        read => read?,
    };
    Ok(Ledger {
        sha256: Some(sha256),
        ..parse(&bytes, path, default_book, known)?
    })
}

/// Parses ledger bytes (see [`read`]).
pub fn parse(
    bytes: &[u8],
    path: &Path,
    default_book: &str,
    known: KnownAccount<'_>,
) -> Result<Ledger, LedgerError> {
    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(bytes);
    let header = rd.headers().map_err(|e| LedgerError::Unusable {
        path: path.to_owned(),
        why: format!("cannot read the header: {e}"),
    })?;
    if header.is_empty() || header.iter().all(|h| h.trim().is_empty()) {
        return Ok(Ledger::default());
    }
    let cols = Columns::of(header, path)?;
    let width = header.len();
    let mut out = Ledger::default();
    let problem = |out: &mut Ledger, line: u64, reason: String, raw: String| {
        if out.problems.len() < MAX_PROBLEMS {
            out.problems.push(LedgerProblem { line, reason, raw });
        } else {
            out.more_problems += 1;
        }
    };
    let mut bytes_rec = csv::ByteRecord::new();
    loop {
        let before = rd.position().line();
        match rd.read_byte_record(&mut bytes_rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                problem(
                    &mut out,
                    before,
                    format!("not a readable CSV row: {e}"),
                    String::new(),
                );
                break;
            }
        }
        let line = crate::csv_file::record_line(&bytes_rec, rd.position().line());
        // A row that is not UTF-8 is reported and skipped; the rows after it are read.
        let rec = match csv::StringRecord::from_byte_record(bytes_rec.clone()) {
            Ok(r) => r,
            Err(_) => {
                let raw = String::from_utf8_lossy(
                    &bytes_rec.as_slice()[..bytes_rec.as_slice().len().min(300)],
                )
                .into_owned();
                problem(&mut out, line, "not UTF-8 text".into(), raw);
                continue;
            }
        };
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rec.len() != width {
            let reason = format!("{} fields where the header has {width}", rec.len());
            problem(&mut out, line, reason, raw(&rec));
            continue;
        }
        match parse_row(&cols, &rec, line, default_book, known) {
            Ok(ev) => out.events.push(ev),
            Err(reason) => problem(&mut out, line, reason, raw(&rec)),
        }
    }
    Ok(out)
}

/// A row to append, as the author gave it on the command line.
#[derive(Debug, Clone, Default)]
pub struct NewRow {
    pub date: String,
    pub book: String,
    pub platform: String,
    pub account: String,
    pub event: String,
    pub channel: String,
    pub cost: String,
    pub fee: String,
    pub code: String,
    pub note: String,
}

impl NewRow {
    fn fields(&self) -> [&str; 10] {
        [
            &self.date,
            &self.book,
            &self.platform,
            &self.account,
            &self.event,
            &self.channel,
            &self.cost,
            &self.fee,
            &self.code,
            &self.note,
        ]
    }
}

/// Validates `row` as a run would and appends it to the ledger (creating the file with its
/// header), under an exclusive lock, in one write, synced; a file without a final newline
/// gets one first. Returns the event as read back. A row that a run would reject is an
/// error that names the reason, and nothing is written.
pub fn append(
    path: &Path,
    row: &NewRow,
    default_book: &str,
    known: KnownAccount<'_>,
) -> Result<LedgerEvent, LedgerError> {
    let mut buf = csv::WriterBuilder::new().from_writer(Vec::new());
    let io = |what: &'static str| {
        move |source: std::io::Error| LedgerError::Io {
            file: OwnFile::Ledger,
            what,
            path: path.to_owned(),
            source,
        }
    };
    buf.write_record(row.fields())
        .map_err(|e| io("write")(e.into()))?;
    let line_bytes = buf.into_inner().map_err(|e| io("write")(e.into_error()))?;
    // Validate exactly what will be written.
    let mut probe = LEDGER_COLUMNS.join(",").into_bytes();
    probe.push(b'\n');
    probe.extend_from_slice(&line_bytes);
    let parsed = parse(&probe, path, default_book, known)?;
    let ev = match (
        parsed.events.into_iter().next(),
        parsed.problems.into_iter().next(),
    ) {
        (Some(ev), _) => ev,
        (None, Some(p)) => return Err(LedgerError::BadRow(p.reason)),
        (None, None) => return Err(LedgerError::BadRow("empty row".into())),
    };
    let f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .read(true)
        .open(path)
        .map_err(io("open"))?;
    f.lock().map_err(io("lock"))?;
    let len = f.metadata().map_err(io("read"))?.len();
    let mut out = Vec::new();
    if len == 0 {
        out.extend_from_slice(LEDGER_COLUMNS.join(",").as_bytes());
        out.push(b'\n');
    } else {
        use std::io::{Read, Seek, SeekFrom};
        let mut last = [0u8; 1];
        let mut r = &f;
        r.seek(SeekFrom::End(-1)).map_err(io("read"))?;
        r.read_exact(&mut last).map_err(io("read"))?;
        if last[0] != b'\n' {
            out.push(b'\n');
        }
    }
    out.extend_from_slice(&line_bytes);
    (&f).write_all(&out).map_err(io("append to"))?;
    f.sync_all().map_err(io("sync"))?;
    let _ = f.unlock();
    Ok(ev)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sales::read_sales;

    fn known(_: Option<Platform>, a: &str) -> Result<(), String> {
        if a.trim_start_matches('@').eq_ignore_ascii_case("ghost") {
            Err(format!("unknown account \"{a}\""))
        } else {
            Ok(())
        }
    }

    #[test]
    fn bad_rows_are_reported_with_their_line_and_nothing_else_is_lost() {
        let text = "date,account,event,cost,book\n\
            2026-11-20,@anna,contacted,,\n\
            2026-11-21,ghost,contacted,,\n\
            2026-11-32,@anna,replied,,\n\
            2026-11-22,@anna,waved,,\n\
            2026-11-23,@anna,copy_sent,-4,\n\
            2026-11-23,@anna,copy_sent,12.50,Other Book\n\
            2026-11-24,@anna\n\
            \n\
            2026-11-25,\"@anna\",posted,,\n";
        let l = parse(text.as_bytes(), Path::new("ledger.csv"), "My Book", &known).unwrap();
        let lines: Vec<u64> = l.events.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 7, 10]);
        assert_eq!(l.events[0].book, "My Book");
        assert_eq!(l.events[1].book, "Other Book");
        assert_eq!(l.events[1].cost, Some(12.5));
        let problems: Vec<(u64, &str)> = l
            .problems
            .iter()
            .map(|p| (p.line, p.reason.as_str()))
            .collect();
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert!(
            problems[0].0 == 3 && problems[0].1.contains("unknown account"),
            "{problems:?}"
        );
        assert!(
            problems[1].0 == 4 && problems[1].1.contains("bad date"),
            "{problems:?}"
        );
        assert!(problems[2].0 == 5 && problems[2].1.contains("unknown event \"waved\""));
        assert!(problems[3].0 == 6 && problems[3].1.contains("negative cost"));
        assert!(problems[4].0 == 8 && problems[4].1.contains("2 fields"));
    }

    #[test]
    fn a_row_that_is_not_utf8_does_not_stop_the_rest() {
        let mut text = b"date,account,event\n2026-11-20,@anna,contacted\n".to_vec();
        text.extend_from_slice(b"2026-11-21,@b\xff\xfe,contacted\n2026-11-22,@anna,replied\n");
        let l = parse(&text, Path::new("l.csv"), "B", &known).unwrap();
        assert_eq!(
            l.events.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![2, 4]
        );
        assert_eq!(l.problems.len(), 1);
        assert_eq!(
            (l.problems[0].line, l.problems[0].reason.as_str()),
            (3, "not UTF-8 text")
        );
    }

    #[test]
    fn a_ledger_without_the_required_columns_is_unusable() {
        let e = parse(b"when,who\n1,2\n", Path::new("l.csv"), "", &known).unwrap_err();
        assert!(
            e.to_string().contains("missing required column `date`"),
            "{e}"
        );
    }

    #[test]
    fn appends_validate_and_keep_the_file_whole() {
        let dir = std::env::temp_dir().join(format!("microscout-ledger-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ledger.csv");
        let row = |account: &str, event: &str, cost: &str| NewRow {
            date: "2026-11-20".into(),
            account: account.into(),
            event: event.into(),
            cost: cost.into(),
            note: "said \"yes\", maybe".into(),
            ..Default::default()
        };
        append(&path, &row("@anna", "contacted", ""), "B", &known).unwrap();
        // A hand edit without a final newline.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(b"2026-11-21,,,@ben,contacted,,,,,").unwrap();
        drop(f);
        append(&path, &row("@anna", "copy_sent", "9"), "B", &known).unwrap();
        assert!(append(&path, &row("ghost", "contacted", ""), "B", &known).is_err());
        assert!(
            append(&path, &row("@anna", "waved", ""), "B", &known)
                .unwrap_err()
                .to_string()
                .contains("unknown event")
        );
        assert!(append(&path, &row("@anna", "paid", "-1"), "B", &known).is_err());
        let l = read(&path, "B", &known).unwrap();
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert_eq!(l.events.len(), 3);
        assert_eq!(l.events[2].note, "said \"yes\", maybe");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The manifest's hashes are of the bytes parsed, read once, and a file is read no
    /// further than the limit: not a special file that never ends, nor a huge one.
    #[test]
    fn ledger_and_sales_are_read_once_bounded_and_hashed_as_read() {
        let dir = std::env::temp_dir().join(format!("microscout-bounded-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ledger = dir.join("ledger.csv");
        let text = "date,account,event\n2026-11-20,@anna,contacted\n";
        std::fs::write(&ledger, text).unwrap();
        let read_ledger = |p: &Path| read(p, "B", &known);
        let l = read_ledger(&ledger).unwrap();
        assert_eq!(l.events.len(), 1);
        assert_eq!(
            l.sha256.as_deref(),
            Some(crate::sha256_hex(text.as_bytes()).as_str())
        );
        assert_eq!(read_ledger(&dir.join("none.csv")).unwrap().sha256, None);

        let sales = dir.join("sales.csv");
        let text = "date,code,units,revenue\n2026-11-21,ANNA10,2,25.00\n";
        std::fs::write(&sales, text).unwrap();
        let s = read_sales(&sales).unwrap();
        assert_eq!(
            (s.sales.len(), s.sha256),
            (1, crate::sha256_hex(text.as_bytes()))
        );

        // A file that never ends (the old sales reader read it into memory until it ran out).
        let endless = Path::new("/dev/zero");
        for e in [
            read_sales(endless).unwrap_err(),
            read_ledger(endless).unwrap_err(),
        ] {
            assert!(e.to_string().contains("not a regular file"), "{e}");
        }
        // One byte over the limit (sparse: nothing is written).
        let huge = dir.join("huge.csv");
        std::fs::File::create(&huge)
            .unwrap()
            .set_len(MAX_LEDGER_BYTES + 1)
            .unwrap();
        for e in [
            read_sales(&huge).unwrap_err(),
            read_ledger(&huge).unwrap_err(),
        ] {
            assert!(e.to_string().contains("67108865 bytes is more than"), "{e}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
