//! Ingestion: the files of a drop in, validated canonical tables and an exact account of
//! every input row out.
//!
//! This crate owns the schema checks and the quarantine. Its contract with the rest of
//! microscout is [`DropTables`] (or [`StreamedDrop`], whose posts and follower sample went
//! to a [`TableSink`] as they were read): polars tables with the canonical columns of
//! [`microscout_model::schema`] (every optional column present, all-null when the input lacks
//! it), the rejected rows with file, line, table, reason and raw text, and per-file
//! accounting in which `rows_read = accepted + rejected` always holds.
//!
//! What ends up where:
//! - a row with a bad value (negative or non-numeric count, unparseable timestamp, unknown
//!   platform, empty required field, wrong number of fields, invalid UTF-8) is rejected with
//!   the column named;
//! - a duplicate account (same platform and account_id) or post (same platform and post_id)
//!   keeps the first row and rejects the rest; a post or follower row whose account is not
//!   in `accounts` is rejected;
//! - a file that cannot be used at all (unknown format, missing required column, not a
//!   regular file, a symbolic link out of the drop, unreadable) is an [`IngestError`], and
//!   the run stops before any output is written;
//! - a file that is damaged or breaks a limit part-way ([`Limits`]: record and document
//!   size, decompression ratio, rejected rows per file) keeps the rows before the damage;
//!   the rest is one rejected record and the file's report says why it was not read whole.
//!
//! Rejected rows go to a [`RejectWriter`] (the run's `rejected.csv`) as they are found;
//! memory holds only the first [`Rejections::KEEP`] and counts by kind.
//!
//! Tables are read in the order accounts, posts, followers, and files of one table in name
//! order, so "the first" of two duplicates is well defined.
//!
//! A nightly run does not keep the posts, the follower sample and the comments:
//! [`read_drop_streaming`] hands them on in chunks while the files are read, the follower
//! sample and the comments measured ([`FollowerRows`]: the counts, flags and text lengths
//! that scoring reads; [`CommentRows`]: each comment's account, fingerprints, text, time and
//! likes; both built straight from the validated cells without a table). The validation, the accounting and
//! the quarantine are the same either way.

mod csv_file;
mod discover;
mod header;
pub mod ledger;
mod native_file;
mod ndjson;
mod open;
mod parquet;
mod quarantine;
pub mod sales;
mod table;

pub use csv_file::record_line;
pub use microscout_formats::{native, value};
pub use open::{Limits, RATIO_GRACE, open_nonblocking};
pub use quarantine::MAX_RAW_BYTES;

pub use microscout_model::comments::CommentRows;
pub use microscout_model::sample::FollowerRows;
use microscout_model::schema::Table;
use polars::prelude::DataFrame;
use std::path::{Path, PathBuf};

pub use microscout_model::intake::{
    Compression, FileReport, Format, Location, RejectWriter, Rejection, Rejections, TableAccounting,
};

use discover::DropFile;
use quarantine::{KeyContext, Quarantine, Sink};

/// An empty table with `table`'s canonical columns.
pub fn empty_table(table: Table) -> DataFrame {
    table::empty(table)
}

/// What reading a drop found besides its rows: the rejected rows, the files read, the files
/// left alone.
#[derive(Debug)]
pub struct Intake {
    /// The rejected rows: counts, and the first ones (every one went to the writer).
    pub rejected: Rejections,
    pub files: Vec<FileReport>,
    /// Files in the drop folder that are not data (dotfiles, `.md`, `.txt`), left alone.
    pub ignored_files: Vec<PathBuf>,
}

impl Intake {
    /// Row accounting summed per table, in the order accounts, posts, followers.
    pub fn accounting(&self) -> Vec<TableAccounting> {
        microscout_model::intake::accounting(&self.files)
    }
}

/// A validated drop read whole ([`read_drop`]): every table in memory.
#[derive(Debug)]
pub struct DropTables {
    pub accounts: DataFrame,
    pub posts: DataFrame,
    /// The follower sample; empty (with the canonical columns) when the drop has none.
    pub followers: DataFrame,
    /// The comments, each with its post's owner as `account_id`; empty (with the canonical
    /// columns) when the drop has none.
    pub comments: DataFrame,
    pub intake: Intake,
}

/// A validated drop whose posts, follower sample and comments went to a [`TableSink`] as they were
/// read ([`read_drop_streaming`]): only the accounts are kept.
#[derive(Debug)]
pub struct StreamedDrop {
    pub accounts: DataFrame,
    pub intake: Intake,
}

/// A file or drop that cannot be used at all.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("drop folder {path} cannot be read: {source}")]
    DropDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path}: missing required column `{column}` of the {table} table (columns found: {found})"
    )]
    MissingColumn {
        path: PathBuf,
        table: &'static str,
        column: &'static str,
        found: String,
    },
    #[error("{path}: column `{column}` appears twice in the header (columns {first} and {second})")]
    DuplicateColumn {
        path: PathBuf,
        column: String,
        first: usize,
        second: usize,
    },
    #[error("{path}: {reason}")]
    UnknownFormat { path: PathBuf, reason: String },
    #[error("{path}: refused: {reason}")]
    NotAFile { path: PathBuf, reason: String },
    #[error("{path}: the rows were read but could not be processed: {reason}")]
    Consumer { path: PathBuf, reason: String },
    #[error("{path}: the file is empty (no header row or record)")]
    Empty { path: PathBuf },
    #[error(
        "drop folder {path} has no {table} file: expected a file named {table}.csv, {table}-0001.csv, {table}.ndjson, ..."
    )]
    MissingTable { path: PathBuf, table: &'static str },
    #[error("cannot write the rejected rows of {path}: {source}")]
    Quarantine {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Progress callbacks, so the runner can draw bars without this crate knowing about
/// terminals.
pub trait Progress: Sync {
    /// A file of `bytes` bytes is about to be read.
    fn start_file(&self, _file: &str, _bytes: u64) {}
    /// `bytes` more bytes of the current file were read.
    fn advance(&self, _bytes: u64) {}
}

/// A [`Progress`] that ignores everything.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Checks that a file's header (or first record) has every required column, without
/// reading its rows.
fn check_header(f: &DropFile, limits: &Limits) -> Result<(), IngestError> {
    match f.format {
        Format::Csv => {
            let (reader, _) = open::open_metered(f, limits, &NoProgress)?;
            csv_file::check_header(f, reader, limits)
        }
        Format::Ndjson => {
            let (reader, _) = open::open_metered(f, limits, &NoProgress)?;
            ndjson::check_first_record(f, reader, limits)
        }
        // Native exports are checked by their adapter.
        Format::Json | Format::Xml => Ok(()),
        Format::Parquet => parquet::check_header(f),
    }
}

/// Reads one file into the table builder.
fn read_file(
    f: &DropFile,
    builder: &mut table::TableBuilder,
    ctx: &mut KeyContext,
    quarantine: &mut Quarantine<'_>,
    limits: &Limits,
    progress: &dyn Progress,
    mut stream: Option<Stream<'_>>,
) -> Result<FileReport, IngestError> {
    let (reader, meter) = open::open_metered(f, limits, progress)?;
    let mut sink = Sink::new(f, builder, ctx, quarantine, limits.max_rejected_per_file)
        .streaming(stream.as_mut().map(Stream::reborrow));
    let ignored_columns = match f.format {
        Format::Csv => csv_file::read_csv(&mut sink, reader, &meter, limits, progress)?,
        Format::Ndjson => ndjson::read_ndjson(&mut sink, reader, &meter, limits, progress)?,
        Format::Parquet => {
            drop(reader);
            parquet::read_parquet(&mut sink, limits)?
        }
        Format::Json | Format::Xml => unreachable!("native exports are read by read_native"),
    };
    if let Some(reason) = sink.stream_error.take() {
        return Err(IngestError::Consumer {
            path: f.path.clone(),
            reason,
        });
    }
    let stopped = sink.stopped.take().map(|s| s.to_string());
    let counts = std::mem::take(&mut sink.counts);
    drop(sink);
    let (bytes, sha256) = meter.done(f, progress)?;
    debug_assert_eq!(counts.read, counts.accepted + counts.rejected);
    if let Some(source) = quarantine.write_error.take() {
        return Err(IngestError::Quarantine {
            path: f.path.clone(),
            source,
        });
    }
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
        stopped,
    })
}

/// Reads and validates one file of one canonical table on its own (no accounts table to
/// join to, so rows are not checked for unknown accounts; duplicates still are).
pub fn read_table(
    path: &Path,
    table: Table,
    limits: &Limits,
    rejected: Option<&mut dyn RejectWriter>,
) -> Result<(DataFrame, Rejections, FileReport), IngestError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some((_, format, compression)) = discover::file_kind(&name) else {
        return Err(IngestError::UnknownFormat {
            path: path.to_owned(),
            reason: discover::KNOWN_TYPES.into(),
        });
    };
    let file = DropFile {
        path: path.to_owned(),
        name,
        table,
        format,
        compression,
    };
    if format.is_native() {
        return Err(IngestError::UnknownFormat {
            path: path.to_owned(),
            reason: "a native export (.json, .xml, .rss, .atom) is read as part of a drop (`microscout run` or \
                     `validate`), not on its own"
                .into(),
        });
    }
    check_header(&file, limits)?;
    let mut builder = table::TableBuilder::new(table);
    let mut ctx = KeyContext::standalone();
    let mut quarantine = Quarantine {
        rejections: Rejections::default(),
        writer: rejected,
        write_error: None,
    };
    let report = read_file(
        &file,
        &mut builder,
        &mut ctx,
        &mut quarantine,
        limits,
        &NoProgress,
        None,
    )?;
    Ok((builder.finish_frame(), quarantine.rejections, report))
}

/// Per-file instructions from the campaign file's `[ingest]` section, and its limits.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// File name -> adapter, overriding detection by content.
    pub adapters: std::collections::BTreeMap<String, native::Adapter>,
    /// File name -> (platform, account_id) whose followers an export lists.
    pub followers_of: std::collections::BTreeMap<String, (String, String)>,
    pub limits: Limits,
}

/// A campaign's `[ingest]` setting that ingestion cannot use (a bad usage or configuration:
/// the campaign file names it).
#[derive(Debug, thiserror::Error)]
#[error("[ingest] adapters: \"{name}\" for {file} is not an adapter (use one of: {known})")]
pub struct SettingsError {
    pub file: String,
    pub name: String,
    pub known: String,
}

impl IngestOptions {
    /// The campaign's `[ingest]` section as ingestion options (the platforms and accounts of
    /// `followers-exports` are checked with the campaign).
    pub fn from_campaign(c: &microscout_model::Campaign) -> Result<Self, SettingsError> {
        let mut o = IngestOptions {
            limits: Limits::from(&c.ingest),
            ..Default::default()
        };
        for (file, name) in &c.ingest.adapters {
            let adapter = native::Adapter::parse(name).ok_or_else(|| SettingsError {
                file: file.clone(),
                name: name.clone(),
                known: native::Adapter::ALL.map(|a| a.as_str()).join(", "),
            })?;
            o.adapters.insert(file.clone(), adapter);
        }
        for (file, spec) in &c.ingest.followers_exports {
            let (p, a) = spec.split_once(':').expect("validated with the campaign");
            let platform = microscout_model::Platform::parse(p).expect("validated");
            o.followers_of
                .insert(file.clone(), (platform.to_string(), a.trim().to_string()));
        }
        Ok(o)
    }
}

/// Bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(2 * bytes.len()), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// SHA-256 of `bytes`, as lower-case hex (the manifest's hashes of what was read).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// Reads and validates every table of the drop folder `dir`.
pub fn read_drop(
    dir: &Path,
    options: &IngestOptions,
    progress: &dyn Progress,
) -> Result<DropTables, IngestError> {
    let ([accounts, posts, followers, comments], intake) =
        read(dir, options, progress, None, None)?;
    Ok(DropTables {
        accounts,
        posts,
        followers,
        comments,
        intake,
    })
}

/// The consumer of a streamed drop's posts and follower sample: scoring's first step, or a
/// check that lets the rows go. Chunks never span two files; an `Err` stops the read with
/// [`IngestError::Consumer`].
pub trait TableSink {
    /// A chunk of validated posts, with every canonical column.
    fn posts(&mut self, chunk: DataFrame) -> Result<(), String>;
    /// A chunk of the follower sample as scoring reads it, measured ([`FollowerRows`]: never
    /// built into a table); a file's last chunk is marked [`FollowerRows::ends_file`].
    fn followers(&mut self, rows: FollowerRows) -> Result<(), String>;
    /// A chunk of validated comments as scoring reads them, measured ([`CommentRows`]:
    /// never built into a table), each comment's account its post's owner. Comments come
    /// after every post and follower row.
    fn comments(&mut self, rows: CommentRows) -> Result<(), String>;
}

/// A sink that lets every chunk go (validation only).
#[derive(Debug, Default)]
pub struct Discard;

impl TableSink for Discard {
    fn posts(&mut self, _: DataFrame) -> Result<(), String> {
        Ok(())
    }
    fn followers(&mut self, _: FollowerRows) -> Result<(), String> {
        Ok(())
    }
    fn comments(&mut self, _: CommentRows) -> Result<(), String> {
        Ok(())
    }
}

/// Where one streamed table's chunks go.
pub(crate) struct Stream<'a> {
    sink: &'a mut dyn TableSink,
    table: Table,
}

impl Stream<'_> {
    /// The same stream, borrowed for a shorter time.
    pub(crate) fn reborrow(&mut self) -> Stream<'_> {
        Stream {
            sink: &mut *self.sink,
            table: self.table,
        }
    }

    /// Hands a chunk on: posts as tables, the follower sample and comments measured.
    pub(crate) fn send(&mut self, rows: table::Rows) -> Result<(), String> {
        match rows {
            table::Rows::Frame(f) => self.sink.posts(f),
            table::Rows::Followers(f) => self.sink.followers(f),
            table::Rows::Comments(c) => self.sink.comments(c),
        }
    }

    /// A builder of the rows this stream takes for `table` (followers and comments
    /// measured).
    fn builder(&self, table: Table) -> table::TableBuilder {
        let measured = matches!(table, Table::Followers | Table::Comments);
        table::TableBuilder::of(table, measured, table::CHUNK_CAPACITY)
    }
}

/// Like [`read_drop`], but hands the posts and the follower sample to `sink` in validated
/// chunks (131,072 rows, or up to one CSV batch of 4,096 more; never spanning two files)
/// instead of keeping them, and every rejected row to `rejected`.
/// Memory then grows with the accounts and a chunk, not with the posts, the sample or the
/// size of a file, plus the duplicate checks' fingerprints (about 28 bytes per post and
/// 12 per follower row).
pub fn read_drop_streaming(
    dir: &Path,
    options: &IngestOptions,
    progress: &dyn Progress,
    sink: &mut dyn TableSink,
    rejected: Option<&mut dyn RejectWriter>,
) -> Result<StreamedDrop, IngestError> {
    let ([accounts, ..], intake) = read(dir, options, progress, Some(sink), rejected)?;
    Ok(StreamedDrop { accounts, intake })
}

/// Reads every table, in the order of [`Table::ALL`]; the posts, followers and comments go
/// to `sink` when there is one (their tables are then empty).
fn read(
    dir: &Path,
    options: &IngestOptions,
    progress: &dyn Progress,
    mut sink: Option<&mut dyn TableSink>,
    rejected: Option<&mut dyn RejectWriter>,
) -> Result<([DataFrame; 4], Intake), IngestError> {
    let limits = &options.limits;
    let listing = discover::list_drop(dir)?;
    // Check every header before reading any data, so that a missing column fails fast.
    for f in &listing.files {
        check_header(f, limits)?;
    }
    let mut natives = listing
        .natives
        .into_iter()
        .map(|f| native_file::read_native(f, options, progress))
        .collect::<Result<Vec<_>, _>>()?;
    native_file::name_instaloader_posts(&mut natives);
    for t in [Table::Accounts, Table::Posts] {
        let native = natives.iter().any(|d| d.rows.iter().any(|r| r.table == t));
        if !native && !listing.files.iter().any(|f| f.table == t) {
            return Err(IngestError::MissingTable {
                path: dir.to_owned(),
                table: t.name(),
            });
        }
    }
    let mut quarantine = Quarantine {
        rejections: Rejections::default(),
        writer: rejected,
        write_error: None,
    };
    let mut files = Vec::new();
    let mut ctx = KeyContext::default();
    let mut tables = Vec::new();
    let has_comments = listing.files.iter().any(|f| f.table == Table::Comments)
        || natives
            .iter()
            .any(|d| d.rows.iter().any(|r| r.table == Table::Comments));
    for t in Table::ALL {
        if t == Table::Posts && has_comments {
            // A comment finds its account through its post: keep each post's owner.
            ctx.expect_comments(table::text_column(&tables[0], "account_id"));
        }
        let mut stream: Option<Stream<'_>> = match t {
            Table::Posts | Table::Followers | Table::Comments => sink.as_mut().map(|s| Stream {
                sink: &mut **s,
                table: t,
            }),
            Table::Accounts => None,
        };
        let mut builder = match &stream {
            Some(s) => s.builder(t),
            None => table::TableBuilder::new(t),
        };
        // Streamed tables go to their sink in chunks while a file is read, and with the rest
        // of its rows (marked as ending the file) after each file.
        let flush = |builder: &mut table::TableBuilder,
                     stream: &mut Option<Stream<'_>>,
                     path: &Path|
         -> Result<(), IngestError> {
            if let Some(sink) = stream {
                sink.send(builder.take().ending_file()).map_err(|reason| {
                    IngestError::Consumer {
                        path: path.to_owned(),
                        reason,
                    }
                })?;
            }
            Ok(())
        };
        for f in listing.files.iter().filter(|f| f.table == t) {
            let report = read_file(
                f,
                &mut builder,
                &mut ctx,
                &mut quarantine,
                limits,
                progress,
                stream.as_mut().map(Stream::reborrow),
            )?;
            files.push(report);
            flush(&mut builder, &mut stream, &f.path)?;
        }
        // Every export's own rows, then the account rows exports only imply (for accounts:
        // those come after every file's own rows in the table), each file's counts in one
        // report.
        let mut reports: Vec<Option<FileReport>> = vec![None; natives.len()];
        for implied in [false, true] {
            for (doc, report) in natives.iter().zip(&mut reports) {
                // A file stopped in its own rows is not read further.
                if report.as_ref().is_some_and(|r| r.stopped.is_some()) {
                    continue;
                }
                let part = if implied {
                    native_file::Part::Implied {
                        rejected_before: report.as_ref().map_or(0, |r| r.rejected),
                    }
                } else {
                    native_file::Part::Own
                };
                let Some(more) = native_file::feed_native(
                    doc,
                    t,
                    part,
                    &mut builder,
                    &mut ctx,
                    &mut quarantine,
                    limits,
                ) else {
                    continue;
                };
                if let Some(source) = quarantine.write_error.take() {
                    return Err(IngestError::Quarantine {
                        path: doc.file.path.clone(),
                        source,
                    });
                }
                match report {
                    Some(r) => {
                        r.rows_read += more.rows_read;
                        r.accepted += more.accepted;
                        r.rejected += more.rejected;
                        r.stopped = r.stopped.take().or(more.stopped);
                    }
                    None => *report = Some(more),
                }
                flush(&mut builder, &mut stream, &doc.file.path)?;
            }
        }
        files.extend(reports.into_iter().flatten());
        tracing::debug!(
            "duplicate checks held {:.0} MiB of fingerprints after the {}",
            ctx.heap_bytes() as f64 / (1 << 20) as f64,
            t.name()
        );
        ctx.done_with(t);
        tables.push(builder.finish_frame());
    }
    let tables: [DataFrame; 4] = tables.try_into().expect("one table per Table::ALL");
    Ok((
        tables,
        Intake {
            rejected: quarantine.rejections,
            files,
            ignored_files: listing.ignored,
        },
    ))
}

#[cfg(test)]
mod tests;
