//! Finding a drop's files and reading each format row by row into a [`TableBuilder`].

use std::cell::RefCell;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use microscout_model::schema::{Table, normalise_header};
use sha2::{Digest, Sha256};

use crate::table::{Cell, TableBuilder};
use crate::{Compression, FileReport, Format, IngestError, KeySet, Location, Progress, Rejection};

pub(crate) struct DropFile {
    pub(crate) path: PathBuf,
    /// Path relative to the drop folder, as shown to people.
    pub(crate) name: String,
    pub(crate) table: Table,
    pub(crate) format: Format,
    pub(crate) compression: Compression,
}

pub(crate) const KNOWN_TYPES: &str = "unknown file type: a drop holds .csv, .ndjson, .jsonl \
    or .parquet files, native .json exports, the text ones optionally compressed (.csv.gz, \
    .csv.zst, .json.gz, .json.xz, ...), and .md/.txt notes, which are ignored";

/// The stem, format and compression of a file name, or None for an unknown type.
pub(crate) fn file_kind(name: &str) -> Option<(String, Format, Compression)> {
    let lower = name.to_ascii_lowercase();
    let (rest, compression) = if let Some(r) = lower.strip_suffix(".gz") {
        (r, Compression::Gzip)
    } else if let Some(r) = lower.strip_suffix(".zst") {
        (r, Compression::Zstd)
    } else if let Some(r) = lower.strip_suffix(".xz") {
        (r, Compression::Xz)
    } else {
        (lower.as_str(), Compression::None)
    };
    if let Some(s) = rest
        .strip_suffix(".parquet")
        .filter(|_| compression == Compression::None)
    {
        return Some((s.to_string(), Format::Parquet, compression));
    }
    if let Some(s) = rest.strip_suffix(".json") {
        return Some((s.to_string(), Format::Json, compression));
    }
    let (stem, format) = if let Some(s) = rest.strip_suffix(".csv") {
        (s, Format::Csv)
    } else if let Some(s) = rest
        .strip_suffix(".ndjson")
        .or_else(|| rest.strip_suffix(".jsonl"))
    {
        (s, Format::Ndjson)
    } else {
        return None;
    };
    Some((stem.to_string(), format, compression))
}

pub(crate) struct Listing {
    pub(crate) files: Vec<DropFile>,
    /// Native exports (`.json`), read by content.
    pub(crate) natives: Vec<DropFile>,
    pub(crate) ignored: Vec<PathBuf>,
}

/// Lists the data files of a drop folder (not recursive), sorted by name.
pub(crate) fn list_drop(dir: &Path) -> Result<Listing, IngestError> {
    let entries = std::fs::read_dir(dir).map_err(|source| IngestError::DropDir {
        path: dir.to_owned(),
        source,
    })?;
    let mut files = Vec::new();
    let mut natives = Vec::new();
    let mut ignored = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| IngestError::DropDir {
            path: dir.to_owned(),
            source,
        })?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let lower = name.to_ascii_lowercase();
        if lower.starts_with('.')
            || lower.ends_with(".md")
            || lower.ends_with(".txt")
            || path.is_dir()
        {
            ignored.push(path);
            continue;
        }
        let Some((stem, format, compression)) = file_kind(&name) else {
            return Err(IngestError::UnknownFormat {
                path,
                reason: KNOWN_TYPES.into(),
            });
        };
        if format == Format::Json {
            natives.push(DropFile {
                path,
                name,
                // Set per table when the export's rows are read.
                table: Table::Accounts,
                format,
                compression,
            });
            continue;
        }
        let Some(table) = Table::from_file_stem(&stem) else {
            return Err(IngestError::UnknownFormat {
                path,
                reason: "the file name does not say which table it holds: name it \
                         accounts*, posts* or followers* (e.g. posts-0001.csv)"
                    .into(),
            });
        };
        files.push(DropFile {
            path,
            name,
            table,
            format,
            compression,
        });
    }
    files.sort_by(|a, b| (a.table, &a.name).cmp(&(b.table, &b.name)));
    natives.sort_by(|a, b| a.name.cmp(&b.name));
    ignored.sort();
    Ok(Listing {
        files,
        natives,
        ignored,
    })
}

/// How the columns of a file map onto the canonical columns.
struct HeaderMap {
    /// For each canonical column, the index of the file's column holding it.
    index: Vec<Option<usize>>,
    /// Number of fields in the header.
    width: usize,
    ignored: Vec<String>,
}

fn map_header(f: &DropFile, header: &[String]) -> Result<HeaderMap, IngestError> {
    let names: Vec<String> = header.iter().map(|h| normalise_header(h)).collect();
    for (i, n) in names.iter().enumerate() {
        if let Some(j) = names[..i].iter().position(|m| m == n) {
            return Err(IngestError::DuplicateColumn {
                path: f.path.clone(),
                column: n.clone(),
                first: j + 1,
                second: i + 1,
            });
        }
    }
    let mut index = Vec::new();
    for col in f.table.columns() {
        let pos = names.iter().position(|n| n == col.name);
        if pos.is_none() && col.required {
            return Err(IngestError::MissingColumn {
                path: f.path.clone(),
                table: f.table.name(),
                column: col.name,
                found: names.join(", "),
            });
        }
        index.push(pos);
    }
    let ignored = names
        .iter()
        .filter(|n| f.table.column(n).is_none())
        .cloned()
        .collect();
    Ok(HeaderMap {
        index,
        width: names.len(),
        ignored,
    })
}

fn open(f: &DropFile) -> Result<File, IngestError> {
    File::open(&f.path).map_err(|source| IngestError::Io {
        path: f.path.clone(),
        source,
    })
}

/// The file's bytes, decompressed as its name says.
fn decompress<R: Read + 'static>(f: &DropFile, raw: R) -> Result<Box<dyn Read>, IngestError> {
    Ok(match f.compression {
        Compression::None => Box::new(raw),
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(raw))),
        Compression::Zstd => {
            Box::new(
                zstd::stream::read::Decoder::new(raw).map_err(|source| IngestError::Io {
                    path: f.path.clone(),
                    source,
                })?,
            )
        }
        Compression::Xz => Box::new(XzReader::new(raw)),
    })
}

/// Decompresses an xz stream on first read (lzma-rs decodes whole streams), then serves
/// the bytes; a damaged stream is an I/O error like the other decoders'.
struct XzReader<R> {
    inner: Option<R>,
    out: std::io::Cursor<Vec<u8>>,
}

impl<R: Read> XzReader<R> {
    fn new(inner: R) -> Self {
        Self {
            inner: Some(inner),
            out: std::io::Cursor::new(Vec::new()),
        }
    }
}

impl<R: Read> Read for XzReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(inner) = self.inner.take() {
            let mut input = BufReader::new(inner);
            let mut out = Vec::new();
            lzma_rs::xz_decompress(&mut input, &mut out).map_err(|e| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{e:?}"))
            })?;
            self.out = std::io::Cursor::new(out);
        }
        self.out.read(buf)
    }
}

fn csv_reader<R: Read>(r: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(r)
}

fn read_csv_header<R: Read>(
    f: &DropFile,
    rdr: &mut csv::Reader<R>,
) -> Result<HeaderMap, IngestError> {
    let mut rec = csv::ByteRecord::new();
    let got = rdr.read_byte_record(&mut rec).map_err(|e| csv_io(f, e))?;
    if !got {
        return Err(IngestError::Empty {
            path: f.path.clone(),
        });
    }
    let header: Vec<String> = rec
        .iter()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    map_header(f, &header)
}

fn csv_io(f: &DropFile, e: csv::Error) -> IngestError {
    IngestError::Io {
        path: f.path.clone(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// Checks that a file's header has every required column, without reading its rows.
pub(crate) fn check_header(f: &DropFile) -> Result<(), IngestError> {
    match f.format {
        Format::Csv => {
            let mut rdr = csv_reader(decompress(f, open(f)?)?);
            read_csv_header(f, &mut rdr).map(|_| ())
        }
        // NDJSON has no header: each record says which fields it has; native exports are
        // checked by their adapter.
        Format::Ndjson | Format::Json => Ok(()),
        Format::Parquet => {
            use polars::prelude::SerReader;
            let mut reader = polars::prelude::ParquetReader::new(open(f)?);
            let schema = reader.schema().map_err(|e| parquet_error(f, e))?;
            let names: Vec<String> = schema.iter_names().map(|n| n.to_string()).collect();
            map_header(f, &names).map(|_| ())
        }
    }
}

/// The keys seen so far across the drop.
pub(crate) struct KeyContext {
    accounts: KeySet,
    posts: KeySet,
    followers: KeySet,
    /// False when a table is read on its own, without an accounts table to join to.
    pub(crate) check_accounts: bool,
}

impl Default for KeyContext {
    fn default() -> Self {
        Self {
            accounts: KeySet::default(),
            posts: KeySet::default(),
            followers: KeySet::default(),
            check_accounts: true,
        }
    }
}

impl KeyContext {
    /// Cross-row checks: duplicates and rows whose account is unknown. `cells` follow the
    /// table's canonical column order, in which platform and account_id come first.
    fn check(&mut self, table: Table, cells: &[Cell<'_>]) -> Result<(), String> {
        let platform = cells[0].text().unwrap_or_default();
        let account_id = cells[1].text().unwrap_or_default();
        // Posts and followers name their account and a third key (post_id, follower_handle).
        let (what, third) = match table {
            Table::Accounts => {
                return if self.accounts.insert(&[platform, account_id]) {
                    Ok(())
                } else {
                    Err(format!(
                        "duplicate account: {platform} account_id `{account_id}` appeared earlier; the first row is kept"
                    ))
                };
            }
            Table::Posts => ("post", cells[2].text().unwrap_or_default()),
            Table::Followers => ("follower", cells[2].text().unwrap_or_default()),
        };
        if self.check_accounts && !self.accounts.contains(&[platform, account_id]) {
            return Err(format!(
                "{what} of unknown account: {platform} account_id `{account_id}` is not in the accounts table"
            ));
        }
        let fresh = match table {
            Table::Posts => self.posts.insert(&[platform, third]),
            _ => self.followers.insert(&[platform, account_id, third]),
        };
        if fresh {
            Ok(())
        } else if table == Table::Posts {
            Err(format!(
                "duplicate post: {platform} post_id `{third}` appeared earlier; the first row is kept"
            ))
        } else {
            Err(format!(
                "duplicate follower: `{third}` is already in the sample of {platform} account `{account_id}`; the first row is kept"
            ))
        }
    }
}

/// Counts and hashes the bytes of a file as they are read (before any decompression), and
/// reports progress. Shared between the reader that feeds the parser and the caller.
#[derive(Clone)]
struct Meter(Rc<RefCell<MeterState>>);

struct MeterState {
    hasher: Sha256,
    bytes: u64,
    reported: u64,
}

/// Opens a file for reading, decompressed as its name says, with a [`Meter`] on its bytes.
fn open_metered(
    f: &DropFile,
    progress: &dyn Progress,
) -> Result<(Box<dyn Read>, Meter), IngestError> {
    let file = open(f)?;
    progress.start_file(&f.name, file.metadata().map(|m| m.len()).unwrap_or(0));
    let meter = Meter::new();
    let raw = Hashing {
        inner: file,
        meter: meter.clone(),
    };
    Ok((decompress(f, raw)?, meter))
}

/// Wraps a reader, feeding every byte that passes through to a [`Meter`].
struct Hashing<R> {
    inner: R,
    meter: Meter,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut m = self.meter.0.borrow_mut();
        m.hasher.update(&buf[..n]);
        m.bytes += n as u64;
        Ok(n)
    }
}

impl Meter {
    fn new() -> Self {
        Meter(Rc::new(RefCell::new(MeterState {
            hasher: Sha256::new(),
            bytes: 0,
            reported: 0,
        })))
    }
    /// Reports progress every 4 MiB.
    fn tick(&self, progress: &dyn Progress) {
        let mut m = self.0.borrow_mut();
        if m.bytes - m.reported >= 4 << 20 {
            progress.advance(m.bytes - m.reported);
            m.reported = m.bytes;
        }
    }
    /// [`Self::finish`] with the file named in the error.
    fn done(&self, f: &DropFile, progress: &dyn Progress) -> Result<(u64, String), IngestError> {
        self.finish(&f.path, progress)
            .map_err(|source| IngestError::Io {
                path: f.path.clone(),
                source,
            })
    }

    /// Hashes whatever the parser did not read (a decoder may stop before trailing bytes),
    /// so the hash is always that of the whole file; returns (bytes, hex SHA-256).
    fn finish(
        &self,
        path: &Path,
        progress: &dyn Progress,
    ) -> Result<(u64, String), std::io::Error> {
        let mut m = self.0.borrow_mut();
        let mut file = File::open(path)?;
        std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(m.bytes))?;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            m.hasher.update(&buf[..n]);
            m.bytes += n as u64;
        }
        progress.advance(m.bytes - m.reported);
        let digest = std::mem::take(&mut m.hasher).finalize();
        let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
        Ok((m.bytes, hex))
    }
}

struct Counts {
    read: u64,
    accepted: u64,
    rejected: u64,
}

/// Where the rows of one file go: the table, the key checks, the quarantine, the counts.
struct Sink<'s> {
    f: &'s DropFile,
    builder: &'s mut TableBuilder,
    ctx: &'s mut KeyContext,
    rejected: &'s mut Vec<Rejection>,
    counts: &'s mut Counts,
}

impl Sink<'_> {
    /// Validates one row's raw values (one per canonical column) and either appends it or
    /// records the rejection.
    fn row(&mut self, raw: &[Option<&str>], location: Location, raw_text: impl FnOnce() -> String) {
        self.counts.read += 1;
        let mut cells = Vec::with_capacity(raw.len());
        let outcome = self
            .builder
            .parse_row(raw, &mut cells)
            .and_then(|()| self.ctx.check(self.f.table, &cells));
        match outcome {
            Ok(()) => {
                self.builder.push(&cells);
                self.counts.accepted += 1;
            }
            Err(reason) => self.quarantine(location, reason, raw_text()),
        }
    }

    /// Counts a row as read and rejects it.
    fn reject(&mut self, location: Location, reason: String, raw: String) {
        self.counts.read += 1;
        self.quarantine(location, reason, raw);
    }

    fn quarantine(&mut self, location: Location, reason: String, raw: String) {
        self.counts.rejected += 1;
        self.rejected.push(Rejection {
            file: self.f.name.clone(),
            location,
            table: self.f.table.name(),
            reason,
            raw,
        });
    }

    /// A compressed file that ends early or is corrupt: the rows before the damage are kept,
    /// and the rest is one rejected record, so the accounting still adds up.
    fn truncated(&mut self, location: Location, e: &dyn std::fmt::Display) {
        let what = match self.f.compression {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Xz => "xz",
            Compression::None => "file",
        };
        self.reject(
            location,
            format!(
                "the {what} data ends early or is corrupt ({e}); the rows before this point were read, the rest of the file is lost"
            ),
            String::new(),
        );
    }
}

/// Reads one file into the table builder.
pub(crate) fn read_file(
    f: &DropFile,
    builder: &mut TableBuilder,
    ctx: &mut KeyContext,
    rejected: &mut Vec<Rejection>,
    progress: &dyn Progress,
) -> Result<FileReport, IngestError> {
    let (reader, meter) = open_metered(f, progress)?;
    let mut counts = Counts {
        read: 0,
        accepted: 0,
        rejected: 0,
    };
    let mut sink = Sink {
        f,
        builder,
        ctx,
        rejected,
        counts: &mut counts,
    };
    let ignored_columns = match f.format {
        Format::Csv => read_csv(&mut sink, reader, &meter, progress)?,
        Format::Ndjson => read_ndjson(&mut sink, reader, &meter, progress)?,
        Format::Parquet => {
            drop(reader);
            read_parquet(&mut sink)?
        }
        Format::Json => unreachable!("native exports are read by read_native"),
    };
    let (bytes, sha256) = meter.done(f, progress)?;
    debug_assert_eq!(counts.read, counts.accepted + counts.rejected);
    Ok(FileReport {
        file: f.name.clone(),
        table: f.table.name(),
        format: f.format,
        compression: f.compression,
        bytes,
        sha256,
        rows_read: counts.read,
        accepted: counts.accepted,
        rejected: counts.rejected,
        ignored_columns,
        adapter: None,
    })
}

/// A native export, parsed and mapped by its adapter, waiting to be fed table by table.
pub(crate) struct NativeDoc {
    pub(crate) file: DropFile,
    pub(crate) adapter: Option<crate::native::Adapter>,
    pub(crate) rows: Vec<crate::native::NativeRow>,
    /// Records the adapter could not map, or the whole file when it is not valid JSON.
    pub(crate) rejects: Vec<crate::native::NativeReject>,
    pub(crate) bytes: u64,
    pub(crate) sha256: String,
}

/// Reads a native export and maps it. A file that is not JSON at all, or JSON of no known
/// export, stops the run; a JSON file cut short is one rejected record.
pub(crate) fn read_native(
    f: DropFile,
    options: &crate::IngestOptions,
    progress: &dyn Progress,
) -> Result<NativeDoc, IngestError> {
    let (mut reader, meter) = open_metered(&f, progress)?;
    let mut text = Vec::new();
    let read = reader.read_to_end(&mut text);
    drop(reader);
    let (bytes, sha256) = meter.done(&f, progress)?;
    // A damaged file is one rejected record; text that is not JSON at all stops the run.
    let damage = match (read, serde_json::from_slice::<serde_json::Value>(&text)) {
        (Err(e), _) => Err(format!(
            "the compressed data ends early or is corrupt ({e}); nothing in the file could be read"
        )),
        (Ok(_), Ok(v)) => Ok(v),
        (Ok(_), Err(e)) if e.is_eof() => Err(format!(
            "truncated JSON ({e}): the file ends before the document does; nothing in it could be used"
        )),
        (Ok(_), Err(e)) => {
            return Err(IngestError::UnknownFormat {
                path: f.path.clone(),
                reason: format!("not valid JSON: {e}"),
            });
        }
    };
    let doc = match damage {
        Ok(doc) => doc,
        Err(reason) => {
            return Ok(NativeDoc {
                adapter: None,
                rows: Vec::new(),
                rejects: vec![crate::native::NativeReject {
                    table: Table::Accounts,
                    record: 0,
                    reason,
                    raw: String::new(),
                }],
                file: f,
                bytes,
                sha256,
            });
        }
    };
    let Some(adapter) = options
        .adapters
        .get(&f.name)
        .copied()
        .or_else(|| crate::native::detect(&doc))
    else {
        return Err(IngestError::UnknownFormat {
            path: f.path.clone(),
            reason: "JSON of no known export (Apify Instagram scraper, Instagram web JSON or \
                     Instaloader, YouTube Data API v3, TikTok); convert it to the canonical \
                     accounts/posts/followers columns"
                .into(),
        });
    };
    let (rows, rejects) = crate::native::map(adapter, &doc, options.followers_of.get(&f.name));
    Ok(NativeDoc {
        file: f,
        adapter: Some(adapter),
        rows,
        rejects,
        bytes,
        sha256,
    })
}

/// Feeds a native export's rows of `table` through validation, and reports the records the
/// adapter could not map under the table they would have fed.
pub(crate) fn feed_native(
    doc: &NativeDoc,
    table: Table,
    builder: &mut TableBuilder,
    ctx: &mut KeyContext,
    rejected: &mut Vec<Rejection>,
) -> Option<FileReport> {
    let rows: Vec<&crate::native::NativeRow> =
        doc.rows.iter().filter(|r| r.table == table).collect();
    let rejects: Vec<&crate::native::NativeReject> =
        doc.rejects.iter().filter(|r| r.table == table).collect();
    let own_rejects = !rejects.is_empty();
    if rows.is_empty() && !own_rejects {
        return None;
    }
    let file = DropFile {
        path: doc.file.path.clone(),
        name: doc.file.name.clone(),
        table,
        format: Format::Json,
        compression: doc.file.compression,
    };
    let mut counts = Counts {
        read: 0,
        accepted: 0,
        rejected: 0,
    };
    let mut sink = Sink {
        f: &file,
        builder,
        ctx,
        rejected,
        counts: &mut counts,
    };
    for r in rejects {
        sink.reject(Location::Record(r.record), r.reason.clone(), r.raw.clone());
    }
    for r in rows {
        let raw: Vec<Option<&str>> = r.values.iter().map(|v| v.as_deref()).collect();
        sink.row(&raw, Location::Record(r.record), || r.raw.clone());
    }
    Some(FileReport {
        file: file.name.clone(),
        table: table.name(),
        format: Format::Json,
        compression: file.compression,
        bytes: doc.bytes,
        sha256: doc.sha256.clone(),
        rows_read: counts.read,
        accepted: counts.accepted,
        rejected: counts.rejected,
        ignored_columns: Vec::new(),
        adapter: doc.adapter.map(|a| a.as_str()),
    })
}

fn read_csv(
    sink: &mut Sink<'_>,
    reader: Box<dyn Read>,
    meter: &Meter,
    progress: &dyn Progress,
) -> Result<Vec<String>, IngestError> {
    let f = sink.f;
    let mut rdr = csv_reader(reader);
    let header = read_csv_header(f, &mut rdr)?;
    let mut rec = csv::ByteRecord::new();
    let mut last_line = 1;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) if f.compression != Compression::None => {
                sink.truncated(Location::Line(last_line + 1), &e);
                break;
            }
            Err(e) => return Err(csv_io(f, e)),
        }
        let line = rec.position().map_or(0, |p| p.line());
        last_line = line;
        let location = Location::Line(line);
        let raw_text = || record_text(&rec);
        if rec.len() != header.width {
            let reason = format!(
                "wrong number of fields: {} where the header has {}",
                rec.len(),
                header.width
            );
            sink.reject(location, reason, raw_text());
            continue;
        }
        let mut bad_utf8 = None;
        let mut raw: Vec<Option<&str>> = Vec::with_capacity(header.index.len());
        for (ci, idx) in header.index.iter().enumerate() {
            match idx.map(|i| std::str::from_utf8(&rec[i])) {
                None => raw.push(None),
                Some(Ok(s)) => raw.push(Some(s)),
                Some(Err(_)) => {
                    bad_utf8 = Some(f.table.columns()[ci].name);
                    break;
                }
            }
        }
        if bad_utf8.is_none() && std::str::from_utf8(rec.as_slice()).is_err() {
            bad_utf8 = Some("(an ignored column)");
        }
        if let Some(col) = bad_utf8 {
            sink.reject(
                location,
                format!("invalid UTF-8 in column `{col}`"),
                raw_text(),
            );
            continue;
        }
        sink.row(&raw, location, raw_text);
        meter.tick(progress);
    }
    Ok(header.ignored)
}

fn parquet_error(f: &DropFile, e: polars::prelude::PolarsError) -> IngestError {
    IngestError::UnknownFormat {
        path: f.path.clone(),
        reason: format!("cannot be read as Parquet: {e}"),
    }
}

/// A Parquet value as the text the row parser takes: numbers and booleans as written,
/// datetimes as Unix seconds, null as missing.
fn parquet_value(v: polars::prelude::AnyValue<'_>) -> Option<String> {
    use polars::prelude::{AnyValue, TimeUnit};
    let secs = |v: i64, tu: TimeUnit| match tu {
        TimeUnit::Nanoseconds => v.div_euclid(1_000_000_000),
        TimeUnit::Microseconds => v.div_euclid(1_000_000),
        TimeUnit::Milliseconds => v.div_euclid(1_000),
    };
    match v {
        AnyValue::Null => None,
        AnyValue::String(s) => Some(s.to_string()),
        AnyValue::StringOwned(s) => Some(s.to_string()),
        AnyValue::Boolean(b) => Some(b.to_string()),
        AnyValue::Datetime(v, tu, _) => Some(secs(v, tu).to_string()),
        AnyValue::DatetimeOwned(v, tu, _) => Some(secs(v, tu).to_string()),
        other => Some(other.to_string()),
    }
}

fn read_parquet(sink: &mut Sink<'_>) -> Result<Vec<String>, IngestError> {
    use polars::prelude::SerReader;
    let f = sink.f;
    let df = polars::prelude::ParquetReader::new(open(f)?)
        .finish()
        .map_err(|e| parquet_error(f, e))?;
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let header = map_header(f, &names)?;
    let columns = df.columns();
    for row in 0..df.height() {
        let mut owned: Vec<Option<String>> = Vec::with_capacity(header.index.len());
        let mut bad = None;
        for idx in &header.index {
            match idx.map(|i| columns[i].get(row)) {
                None => owned.push(None),
                Some(Ok(v)) => owned.push(parquet_value(v)),
                Some(Err(e)) => {
                    bad = Some(e.to_string());
                    owned.push(None);
                }
            }
        }
        let location = Location::Record(row as u64);
        let raw_text = || {
            columns
                .iter()
                .map(|c| c.get(row).ok().and_then(parquet_value).unwrap_or_default())
                .collect::<Vec<_>>()
                .join(",")
        };
        if let Some(e) = bad {
            sink.reject(location, format!("unreadable value: {e}"), raw_text());
            continue;
        }
        let raw: Vec<Option<&str>> = owned.iter().map(|o| o.as_deref()).collect();
        sink.row(&raw, location, raw_text);
    }
    Ok(header.ignored)
}

/// The record as CSV text (quoted where needed), lossily decoded.
fn record_text(rec: &csv::ByteRecord) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = w.write_byte_record(rec);
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes)
        .trim_end_matches('\n')
        .to_string()
}

fn read_ndjson(
    sink: &mut Sink<'_>,
    reader: Box<dyn Read>,
    meter: &Meter,
    progress: &dyn Progress,
) -> Result<Vec<String>, IngestError> {
    let f = sink.f;
    let mut buf = BufReader::with_capacity(1 << 16, reader);
    let mut line = Vec::new();
    let mut line_no = 0u64;
    let mut ignored: Vec<String> = Vec::new();
    let columns = f.table.columns();
    loop {
        line.clear();
        let n = match buf.read_until(b'\n', &mut line) {
            Ok(n) => n,
            Err(e) if f.compression != Compression::None => {
                sink.truncated(Location::Line(line_no + 1), &e);
                break;
            }
            Err(source) => {
                return Err(IngestError::Io {
                    path: f.path.clone(),
                    source,
                });
            }
        };
        if n == 0 {
            break;
        }
        line_no += 1;
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        let location = Location::Line(line_no);
        let lossy = || String::from_utf8_lossy(&line).trim_end().to_string();
        let Ok(text) = std::str::from_utf8(&line) else {
            sink.reject(location, "invalid UTF-8".into(), lossy());
            continue;
        };
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                let reason = if e.is_eof() {
                    format!("truncated JSON: {e}")
                } else {
                    format!("not valid JSON: {e}")
                };
                sink.reject(location, reason, lossy());
                continue;
            }
        };
        let serde_json::Value::Object(obj) = value else {
            let reason = "not a JSON object: each line must be one {...} record".into();
            sink.reject(location, reason, lossy());
            continue;
        };
        // Owned strings for this record's values, in canonical column order.
        let mut owned: Vec<Option<String>> = vec![None; columns.len()];
        let mut bad = None;
        for (k, v) in &obj {
            let key = normalise_header(k);
            let Some(ci) = columns.iter().position(|c| c.name == key) else {
                if !ignored.contains(&key) {
                    ignored.push(key);
                }
                continue;
            };
            owned[ci] = match v {
                serde_json::Value::Null => None,
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Bool(b) => Some(b.to_string()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => {
                    bad = Some(format!(
                        "column `{}` holds a JSON array or object, not a value",
                        columns[ci].name
                    ));
                    break;
                }
            };
        }
        if let Some(reason) = bad {
            sink.reject(location, reason, lossy());
            continue;
        }
        let raw: Vec<Option<&str>> = owned.iter().map(|o| o.as_deref()).collect();
        sink.row(&raw, location, lossy);
        meter.tick(progress);
    }
    ignored.sort();
    Ok(ignored)
}
