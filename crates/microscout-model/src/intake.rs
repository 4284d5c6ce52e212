//! What ingestion tells the rest of the run about the input: per-file accounting and the
//! quarantined rows. (The tables themselves are polars frames owned by microscout-ingest.)

use serde::Serialize;

/// The file formats ingestion reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Comma-separated values with a header row (RFC 4180 quoting).
    Csv,
    /// One JSON object per line (`.ndjson`, `.jsonl`).
    Ndjson,
    /// Apache Parquet (`.parquet`); rows are located by record index.
    Parquet,
    /// A native JSON export (`.json`), read by an adapter; records located by index.
    Json,
    /// A native XML export (`.xml`, `.rss`, `.atom`: RSS and Atom feeds, WordPress WXR),
    /// read by an adapter; records located by index.
    Xml,
}

impl Format {
    /// A native export, read whole by an adapter (not a canonical table).
    pub fn is_native(self) -> bool {
        matches!(self, Format::Json | Format::Xml)
    }
}

/// How a file is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    /// `.gz`
    Gzip,
    /// `.zst`
    Zstd,
    /// `.xz` (as Instaloader writes its JSON)
    Xz,
}

/// Where in its file a row was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// 1-based line of a text file where the row starts (line 1 is a CSV header).
    Line(u64),
    /// 0-based index of a record in a file without lines (Parquet, a JSON array).
    Record(u64),
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Line(l) => write!(f, "line {l}"),
            Location::Record(r) => write!(f, "record {r}"),
        }
    }
}

/// A quarantined input row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// Path relative to the drop folder.
    pub file: String,
    pub location: Location,
    pub table: &'static str,
    pub reason: crate::reason::RejectReason,
    /// The row as it was in the file (lossily decoded where it was not UTF-8).
    pub raw: String,
}

/// Where every rejected row goes as soon as it is found (the run's `rejected.csv`), so that
/// a file of millions of bad rows never sits in memory.
pub trait RejectWriter {
    fn write(&mut self, r: &Rejection) -> std::io::Result<()>;
}

/// Rejections kept in memory: the first [`Rejections::KEEP`] in order, for summaries, and
/// counts by kind. Every rejection goes to the [`RejectWriter`] as well.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rejections {
    /// The first rejections, in the order they were found.
    pub first: Vec<Rejection>,
    /// How many rows were rejected in all.
    pub total: u64,
    kinds: std::collections::BTreeMap<String, u64>,
}

impl Rejections {
    /// Rejections kept in memory with their raw text.
    pub const KEEP: usize = 1000;

    pub fn add(&mut self, r: Rejection) {
        self.total += 1;
        *self.kinds.entry(kind(&r)).or_insert(0) += 1;
        if self.first.len() < Self::KEEP {
            self.first.push(r);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Rejections grouped by kind (table and the reason up to its first colon), most
    /// frequent first.
    pub fn kinds(&self) -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> = self.kinds.iter().map(|(k, n)| (k.clone(), *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }
}

fn kind(r: &Rejection) -> String {
    format!("{} table, {}", r.table, r.reason.kind())
}

/// What happened to one input file. `rows_read = accepted + rejected` always.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FileReport {
    /// Path relative to the drop folder.
    pub file: String,
    pub table: &'static str,
    pub format: Format,
    pub compression: Compression,
    pub bytes: u64,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    pub rows_read: u64,
    pub accepted: u64,
    pub rejected: u64,
    /// Columns in the file that the canonical table does not have (kept out of scoring).
    pub ignored_columns: Vec<String>,
    /// The adapter that read a native export (`apify-instagram`, ...); one report per table
    /// the export fed.
    pub adapter: Option<&'static str>,
    /// Why the file was not read to its end (a limit was reached, or the data is damaged);
    /// the part not read is one of the rejected rows. None when it was read whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

/// Row accounting summed over the files of one table.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TableAccounting {
    pub table: &'static str,
    pub files: u64,
    pub rows_read: u64,
    pub accepted: u64,
    pub rejected: u64,
}

/// Sums per-file reports into per-table accounting, in the order accounts, posts, followers.
pub fn accounting(files: &[FileReport]) -> Vec<TableAccounting> {
    crate::schema::Table::ALL
        .into_iter()
        .map(|t| {
            let mut acc = TableAccounting {
                table: t.name(),
                files: 0,
                rows_read: 0,
                accepted: 0,
                rejected: 0,
            };
            for f in files.iter().filter(|f| f.table == t.name()) {
                acc.files += 1;
                acc.rows_read += f.rows_read;
                acc.accepted += f.accepted;
                acc.rejected += f.rejected;
            }
            acc
        })
        .collect()
}
