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

/// Reads a native export and maps it. A file that is not JSON (or XML) at all, or a document
/// of no known export, stops the run; a document cut short or damaged, damaged compressed
/// data, a document over the size limit, or an XML document that declares entities or nests
/// too deep is one rejected record (the night goes on without it).
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
    let forced = options.adapters.get(&f.name).copied();
    let mapped = match f.format {
        Format::Xml => map_xml(&f, body, forced)?,
        _ => map_json(&f, body, forced, options)?,
    };
    drop(text);
    let (adapter, rows, rejects) = match mapped {
        Ok(mapped) => mapped,
        Err(reason) => return Ok(rejected_whole(f, bytes, sha256, reason)),
    };
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

/// An adapter's rows and rejects, or why the whole document is one rejected record.
type Mapped = Result<
    (
        crate::native::Adapter,
        Vec<crate::native::NativeRow>,
        Vec<crate::native::NativeReject>,
    ),
    StopReason,
>;

fn map_json(
    f: &DropFile,
    body: &[u8],
    forced: Option<crate::native::Adapter>,
    options: &IngestOptions,
) -> Result<Mapped, IngestError> {
    let doc = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(v) => v,
        Err(e) if e.is_eof() => {
            return Ok(Err(StopReason::DocumentTruncated {
                detail: e.to_string(),
            }));
        }
        Err(e) => {
            return Err(IngestError::UnknownFormat {
                path: f.path.clone(),
                reason: format!("not valid JSON: {e}"),
            });
        }
    };
    let Some(adapter) = forced.or_else(|| crate::native::detect(&doc)) else {
        return Err(IngestError::UnknownFormat {
            path: f.path.clone(),
            reason: format!(
                "JSON of no known export ({}); convert it to the canonical \
                     accounts/posts/followers columns",
                crate::native::KNOWN_EXPORTS
            ),
        });
    };
    let (rows, rejects) = crate::native::map(adapter, &doc, options.followers_of.get(&f.name));
    Ok(Ok((adapter, rows, rejects)))
}

fn map_xml(
    f: &DropFile,
    body: &[u8],
    forced: Option<crate::native::Adapter>,
) -> Result<Mapped, IngestError> {
    use microscout_formats::xml::{self, XmlError};
    let not_xml = |reason: String| IngestError::UnknownFormat {
        path: f.path.clone(),
        reason,
    };
    // Not XML at all (a binary file named .xml) stops the run; XML that cannot be decoded is
    // one rejected record. A UTF-16 byte-order mark is XML, refused by decode saying why.
    let utf16 = body.starts_with(b"\xFF\xFE") || body.starts_with(b"\xFE\xFF");
    if !utf16 && body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'<') {
        return Err(not_xml("not XML: the file does not start with `<`".into()));
    }
    let text = match xml::decode(body) {
        Ok(t) => t,
        Err(e) => {
            return Ok(Err(StopReason::XmlRefused {
                detail: e.to_string(),
            }));
        }
    };
    let root = match xml::parse(&text) {
        Ok(root) => root,
        Err(XmlError::Truncated { open }) => {
            return Ok(Err(StopReason::XmlTruncated {
                detail: format!("it ends inside <{open}>"),
            }));
        }
        Err(e) => {
            return Ok(Err(StopReason::XmlRefused {
                detail: e.to_string(),
            }));
        }
    };
    drop(text);
    let Some(adapter) = forced.or_else(|| crate::native::feed::detect(&root)) else {
        return Err(not_xml(format!(
            "XML with root element <{}>, of no known export (RSS 2.0 or 1.0, Atom, WordPress \
             WXR); convert it to the canonical accounts/posts/followers columns",
            root.name
        )));
    };
    let (rows, rejects) = crate::native::feed::map(adapter, &root);
    Ok(Ok((adapter, rows, rejects)))
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

/// Which of a native export's rows [`feed_native`] feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// The rows the export gives as records of their own, and the records it could not map.
    Own,
    /// The account rows it only implies ([`crate::native::NativeRow::implied`]), fed after
    /// every export's own rows so that an account's own row stands whichever file comes
    /// first; one whose account is known by then is not read. `rejected_before`: the file's
    /// rows of the table rejected in its own part (they count against the same limit).
    Implied { rejected_before: u64 },
}

/// Feeds a native export's rows of `table` (the `part` of them) through validation, and
/// reports the records the adapter could not map under the table they would have fed. None
/// when nothing of the file was read for `table`.
pub(crate) fn feed_native(
    doc: &NativeDoc,
    table: Table,
    part: Part,
    builder: &mut TableBuilder,
    ctx: &mut KeyContext,
    quarantine: &mut Quarantine<'_>,
    limits: &Limits,
) -> Option<FileReport> {
    let (implied, rejected_before) = match part {
        Part::Own => (false, 0),
        Part::Implied { rejected_before } => (true, rejected_before),
    };
    let rows = doc
        .rows
        .iter()
        .filter(|r| r.table == table && r.implied == implied);
    let rejects: Vec<&crate::native::NativeReject> = doc
        .rejects
        .iter()
        .filter(|r| r.table == table && !implied)
        .collect();
    if rejects.is_empty() && rows.clone().next().is_none() {
        return None;
    }
    let file = DropFile {
        path: doc.file.path.clone(),
        name: doc.file.name.clone(),
        table,
        format: doc.file.format,
        compression: doc.file.compression,
    };
    // The file's rejection budget is one, whichever part of it its rows came in.
    let mut sink = Sink::new(
        &file,
        builder,
        ctx,
        quarantine,
        limits.max_rejected_per_file.saturating_sub(rejected_before),
    );
    match &doc.stopped {
        _ if implied => {}
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
        if implied {
            sink.implied_row(&raw, Location::Record(r.record), || r.raw.clone());
        } else {
            sink.row(&raw, Location::Record(r.record), || r.raw.clone());
        }
    }
    let stopped = sink
        .stopped
        .take()
        .or_else(|| doc.stopped.clone().filter(|_| !implied))
        .map(|s| s.to_string());
    let counts = sink.counts;
    if implied && counts.read == 0 {
        return None;
    }
    Some(FileReport {
        file: file.name.clone(),
        table: table.name(),
        format: doc.file.format,
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

/// A file name without its compression and `.json`: `2022-02-05_20-30-28_UTC` for
/// `2022-02-05_20-30-28_UTC.json.xz`.
fn json_stem(name: &str) -> &str {
    let name = [".gz", ".zst", ".xz"]
        .iter()
        .find_map(|c| name.strip_suffix(c))
        .unwrap_or(name);
    name.strip_suffix(".json").unwrap_or(name)
}

/// Instaloader writes a post's comments beside it, `<post>_comments.json` next to
/// `<post>.json` (or `.json.xz`), and the comments do not name their post: each such
/// comment (the adapter leaves its post empty,
/// [`crate::native::instagram::INSTALOADER_POST_UNKNOWN`]) is given the post of the file
/// beside it, when that file is in the drop and holds one post; otherwise it is quarantined
/// saying which file is missing.
pub(crate) fn name_instaloader_posts(natives: &mut [NativeDoc]) {
    use crate::native::instagram::INSTALOADER_POST_UNKNOWN;
    let post_col = Table::Posts
        .columns()
        .iter()
        .position(|c| c.name == "post_id")
        .expect("posts have a post_id");
    let comment_post_col = Table::Comments
        .columns()
        .iter()
        .position(|c| c.name == "post_id")
        .expect("comments have a post_id");
    let single_post = |d: &NativeDoc| {
        let mut posts = d.rows.iter().filter(|r| r.table == Table::Posts);
        match (posts.next(), posts.next()) {
            (Some(p), None) => p.values[post_col].clone(),
            _ => None,
        }
    };
    let posts_by_stem: std::collections::HashMap<String, Option<String>> = natives
        .iter()
        .map(|d| (json_stem(&d.file.name).to_string(), single_post(d)))
        .collect();
    for d in natives.iter_mut() {
        let unnamed = |r: &crate::native::NativeRow| {
            r.table == Table::Comments
                && r.values[comment_post_col].as_deref() == Some(INSTALOADER_POST_UNKNOWN)
        };
        if !d.rows.iter().any(unnamed) {
            continue;
        }
        let stem = json_stem(&d.file.name);
        let post_stem = stem.strip_suffix("_comments").unwrap_or(stem);
        let post = posts_by_stem.get(post_stem).cloned().flatten();
        let rows = std::mem::take(&mut d.rows);
        for mut r in rows {
            if !unnamed(&r) {
                d.rows.push(r);
                continue;
            }
            match &post {
                Some(id) => {
                    r.values[comment_post_col] = Some(id.clone());
                    d.rows.push(r);
                }
                None => d.rejects.push(crate::native::NativeReject::new(
                    Table::Comments,
                    r.record,
                    format!(
                        "an Instaloader comment, which does not name its post: the post is \
                         the one of {post_stem}.json (or .json.xz) beside the comments file, \
                         and the drop has no such file with one post"
                    ),
                    r.raw,
                )),
            }
        }
    }
}
