//! Ingestion: the files of a drop in, validated canonical tables and an exact account of
//! every input row out.
//!
//! This crate owns the schema checks and the quarantine. Its contract with the rest of
//! microscout is [`Drop`]: three polars tables with the canonical columns of
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
//! - a file that cannot be used at all (unknown format, missing required column, unreadable)
//!   is an [`IngestError`], and the run stops before any output is written.
//!
//! Tables are read in the order accounts, posts, followers, and files of one table in name
//! order, so "the first" of two duplicates is well defined.

mod sources;
mod table;

pub use microscout_formats::{native, value};

use microscout_model::schema::Table;
use polars::prelude::DataFrame;
use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

pub use microscout_model::intake::{
    Compression, FileReport, Format, Location, Rejection, TableAccounting,
};

/// A validated drop.
#[derive(Debug)]
pub struct Drop {
    pub accounts: DataFrame,
    pub posts: DataFrame,
    /// The follower sample; empty (with the canonical columns) when the drop has none.
    pub followers: DataFrame,
    pub rejected: Vec<Rejection>,
    pub files: Vec<FileReport>,
    /// Files in the drop folder that are not data (dotfiles, `.md`, `.txt`), left alone.
    pub ignored_files: Vec<PathBuf>,
}

impl Drop {
    /// Row accounting summed per table, in the order accounts, posts, followers.
    pub fn accounting(&self) -> Vec<TableAccounting> {
        microscout_model::intake::accounting(&self.files)
    }
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
    #[error("{path}: the rows were read but could not be processed: {reason}")]
    Consumer { path: PathBuf, reason: String },
    #[error("{path}: the file is empty (no header row)")]
    Empty { path: PathBuf },
    #[error(
        "drop folder {path} has no {table} file: expected a file named {table}.csv, {table}-0001.csv, {table}.ndjson, ..."
    )]
    MissingTable { path: PathBuf, table: &'static str },
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

/// Keys seen so far, for duplicate and orphan checks. Keys are stored as two independent
/// 64-bit hashes (a 128-bit fingerprint), so that tens of millions of keys fit in memory;
/// the chance of a false duplicate among 10^8 keys is below 10^-20.
#[derive(Default)]
pub(crate) struct KeySet(HashSet<(u64, u64)>);

impl KeySet {
    pub(crate) fn fingerprint(parts: &[&str]) -> (u64, u64) {
        let mut a = DefaultHasher::new();
        let mut b = DefaultHasher::new();
        0xA5u8.hash(&mut b);
        for p in parts {
            p.hash(&mut a);
            p.hash(&mut b);
        }
        (a.finish(), b.finish())
    }
    /// Inserts; false when the key was already there.
    pub(crate) fn insert(&mut self, parts: &[&str]) -> bool {
        self.0.insert(Self::fingerprint(parts))
    }
    pub(crate) fn contains(&self, parts: &[&str]) -> bool {
        self.0.contains(&Self::fingerprint(parts))
    }
}

/// Reads and validates one file of one canonical table on its own (no accounts table to
/// join to, so rows are not checked for unknown accounts; duplicates still are).
pub fn read_table(
    path: &Path,
    table: Table,
) -> Result<(DataFrame, Vec<Rejection>, FileReport), IngestError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some((_, format, compression)) = sources::file_kind(&name) else {
        return Err(IngestError::UnknownFormat {
            path: path.to_owned(),
            reason: sources::KNOWN_TYPES.into(),
        });
    };
    let file = sources::DropFile {
        path: path.to_owned(),
        name,
        table,
        format,
        compression,
    };
    sources::check_header(&file)?;
    let mut builder = table::TableBuilder::new(table);
    let mut ctx = sources::KeyContext::default();
    ctx.check_accounts = false;
    let mut rejected = Vec::new();
    let report = sources::read_file(&file, &mut builder, &mut ctx, &mut rejected, &NoProgress)?;
    Ok((builder.finish(), rejected, report))
}

/// Per-file instructions from the campaign file's `[ingest]` section.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// File name -> adapter, overriding detection by content.
    pub adapters: std::collections::BTreeMap<String, native::Adapter>,
    /// File name -> (platform, account_id) whose followers an export lists.
    pub followers_of: std::collections::BTreeMap<String, (String, String)>,
}

/// Reads and validates every table of the drop folder `dir`.
pub fn read_drop(
    dir: &Path,
    options: &IngestOptions,
    progress: &dyn Progress,
) -> Result<Drop, IngestError> {
    read_drop_streaming(dir, options, progress, Sinks::default())
}

/// A consumer of validated rows of one table, one file at a time.
pub type ChunkSink<'a> = &'a mut dyn FnMut(DataFrame) -> Result<(), String>;

/// Where streamed tables go (see [`read_drop_streaming`]).
#[derive(Default)]
pub struct Sinks<'a> {
    pub posts: Option<ChunkSink<'a>>,
    pub followers: Option<ChunkSink<'a>>,
}

/// Like [`read_drop`], but hands the posts and/or the follower sample to a sink one
/// validated file at a time instead of keeping them (the table in [`Drop`] is then empty).
/// Memory then grows with the accounts and the largest file, not with the posts or the
/// sample, plus a 16-byte fingerprint per post and follower row for the duplicate checks.
pub fn read_drop_streaming(
    dir: &Path,
    options: &IngestOptions,
    progress: &dyn Progress,
    mut sinks: Sinks<'_>,
) -> Result<Drop, IngestError> {
    let listing = sources::list_drop(dir)?;
    // Check every header before reading any data, so that a missing column fails fast.
    for f in &listing.files {
        sources::check_header(f)?;
    }
    let natives = listing
        .natives
        .into_iter()
        .map(|f| sources::read_native(f, options, progress))
        .collect::<Result<Vec<_>, _>>()?;
    for t in [Table::Accounts, Table::Posts] {
        let native = natives.iter().any(|d| d.rows.iter().any(|r| r.table == t));
        if !native && !listing.files.iter().any(|f| f.table == t) {
            return Err(IngestError::MissingTable {
                path: dir.to_owned(),
                table: t.name(),
            });
        }
    }
    let mut rejected = Vec::new();
    let mut files = Vec::new();
    let mut ctx = sources::KeyContext::default();
    let mut tables = Vec::new();
    for t in Table::ALL {
        let mut builder = table::TableBuilder::new(t);
        // Streamed followers go to the sink after each file.
        let mut flush =
            |builder: &mut table::TableBuilder, path: &Path| -> Result<(), IngestError> {
                let sink = match t {
                    Table::Posts => sinks.posts.as_mut(),
                    Table::Followers => sinks.followers.as_mut(),
                    Table::Accounts => None,
                };
                if let Some(sink) = sink {
                    let chunk = std::mem::replace(builder, table::TableBuilder::new(t)).finish();
                    sink(chunk).map_err(|reason| IngestError::Consumer {
                        path: path.to_owned(),
                        reason,
                    })?;
                }
                Ok(())
            };
        for f in listing.files.iter().filter(|f| f.table == t) {
            let report = sources::read_file(f, &mut builder, &mut ctx, &mut rejected, progress)?;
            files.push(report);
            flush(&mut builder, &f.path)?;
        }
        for doc in &natives {
            if let Some(report) =
                sources::feed_native(doc, t, &mut builder, &mut ctx, &mut rejected)
            {
                files.push(report);
                flush(&mut builder, &doc.file.path)?;
            }
        }
        tables.push(builder.finish());
    }
    let followers = tables
        .pop()
        .unwrap_or_else(|| table::empty(Table::Followers));
    let posts = tables.pop().expect("posts table built");
    let accounts = tables.pop().expect("accounts table built");
    Ok(Drop {
        accounts,
        posts,
        followers,
        rejected,
        files,
        ignored_files: listing.ignored,
    })
}
