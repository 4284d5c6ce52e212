//! Native JSON exports: read whole (bounded by the document limit), mapped by their
//! adapter, then fed table by table through the same validation as canonical rows.

use microscout_model::schema::Table;

use crate::discover::DropFile;
use crate::open::{Limits, limit_hit, open_metered, read_bounded};
use crate::quarantine::{KeyContext, Quarantine, Sink};
use crate::table::TableBuilder;
use crate::{Format, IngestError, IngestOptions, Location, Progress};
use microscout_model::intake::FileReport;
use microscout_model::reason::{RejectReason, StopReason};

/// A native export, parsed and mapped by its adapter, waiting to be fed table by table.
pub(crate) struct NativeDoc {
    pub(crate) file: DropFile,
    pub(crate) adapter: Option<crate::native::Adapter>,
    pub(crate) rows: Vec<crate::native::NativeRow>,
    /// Records the adapter could not map, or the whole file when it is not valid JSON.
    pub(crate) rejects: Vec<crate::native::NativeReject>,
    pub(crate) bytes: u64,
    pub(crate) sha256: String,
    /// Why the file could not be read (damaged, or over a limit).
    pub(crate) stopped: Option<StopReason>,
}

/// Reads a native export and maps it. A file that is not JSON at all, or JSON of no known
/// export, stops the run; a JSON file cut short, damaged compressed data, or a document
/// over the size limit is one rejected record.
pub(crate) fn read_native(
    f: DropFile,
    options: &IngestOptions,
    progress: &dyn Progress,
) -> Result<NativeDoc, IngestError> {
    let limits = &options.limits;
    let (mut reader, meter) = open_metered(&f, limits, progress)?;
    let read = read_bounded(&mut reader, limits.max_document_bytes);
    drop(reader);
    let (bytes, sha256) = meter.done(&f, progress)?;
    let text = match read {
        Ok(text) => text,
        Err(e) => {
            let reason = match limit_hit(&e) {
                Some(limit) => StopReason::DocumentLimit(limit.clone()),
                None => StopReason::DocumentDamaged {
                    detail: e.to_string(),
                },
            };
            return Ok(rejected_whole(f, bytes, sha256, reason));
        }
    };
    let body = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&text);
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty { path: f.path });
    }
    let doc = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(v) => v,
        Err(e) if e.is_eof() => {
            let reason = StopReason::DocumentTruncated {
                detail: e.to_string(),
            };
            return Ok(rejected_whole(f, bytes, sha256, reason));
        }
        Err(e) => {
            return Err(IngestError::UnknownFormat {
                path: f.path.clone(),
                reason: format!("not valid JSON: {e}"),
            });
        }
    };
    drop(text);
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
        stopped: None,
    })
}

fn rejected_whole(f: DropFile, bytes: u64, sha256: String, reason: StopReason) -> NativeDoc {
    NativeDoc {
        adapter: None,
        rows: Vec::new(),
        rejects: vec![crate::native::NativeReject {
            table: Table::Accounts,
            record: 0,
            reason: reason.to_string(),
            raw: String::new(),
        }],
        file: f,
        bytes,
        sha256,
        stopped: Some(reason),
    }
}

/// Feeds a native export's rows of `table` through validation, and reports the records the
/// adapter could not map under the table they would have fed.
pub(crate) fn feed_native(
    doc: &NativeDoc,
    table: Table,
    builder: &mut TableBuilder,
    ctx: &mut KeyContext,
    quarantine: &mut Quarantine<'_>,
    limits: &Limits,
) -> Option<FileReport> {
    let rows = doc.rows.iter().filter(|r| r.table == table);
    let rejects: Vec<&crate::native::NativeReject> =
        doc.rejects.iter().filter(|r| r.table == table).collect();
    if rejects.is_empty() && !doc.rows.iter().any(|r| r.table == table) {
        return None;
    }
    let file = DropFile {
        path: doc.file.path.clone(),
        name: doc.file.name.clone(),
        table,
        format: Format::Json,
        compression: doc.file.compression,
    };
    let mut sink = Sink::new(
        &file,
        builder,
        ctx,
        quarantine,
        limits.max_rejected_per_file,
    );
    match &doc.stopped {
        // The whole document stands as one rejected record, with its typed reason.
        Some(stop) => sink.reject(
            Location::Record(0),
            RejectReason::Stopped(stop.clone()),
            String::new(),
        ),
        None => {
            for r in rejects {
                let reason = RejectReason::Adapter {
                    reason: r.reason.clone(),
                };
                sink.reject(Location::Record(r.record), reason, r.raw.clone());
            }
        }
    }
    for r in rows {
        if sink.full() {
            sink.stop_for_rejections(Location::Record(r.record));
            break;
        }
        let raw: Vec<Option<&str>> = r.values.iter().map(|v| v.as_deref()).collect();
        sink.row(&raw, Location::Record(r.record), || r.raw.clone());
    }
    let stopped = sink
        .stopped
        .take()
        .or_else(|| doc.stopped.clone())
        .map(|s| s.to_string());
    let counts = sink.counts;
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
        stopped,
    })
}
