//! NDJSON (one JSON object per line), line by line, with the record-size limit: a line
//! longer than the limit is skipped to its end without being held in memory.

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read};

use microscout_model::schema::normalise_header;
use microscout_model::text::printable_list;

use crate::discover::DropFile;
use crate::open::{Limits, Meter, limit_hit};
use crate::quarantine::Sink;
use crate::{Compression, IngestError, Location, Progress};
use microscout_model::reason::RejectReason;

/// One line of the stream: its bytes (up to the limit) and whether it was longer.
struct Line {
    bytes: Vec<u8>,
    /// Length of the whole line, when it was longer than the limit (its bytes are cut).
    too_long: Option<u64>,
}

/// Reads the next line (without its newline) into `line`, keeping at most `max` bytes;
/// false at the end of the stream.
fn next_line<R: BufRead>(r: &mut R, line: &mut Line, max: u64) -> std::io::Result<bool> {
    line.bytes.clear();
    line.too_long = None;
    let mut total: u64 = 0;
    let mut any = false;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        any = true;
        let (chunk, found) = match memchr(buf) {
            Some(i) => (&buf[..i], true),
            None => (buf, false),
        };
        total += chunk.len() as u64;
        if total <= max {
            line.bytes.extend_from_slice(chunk);
        } else {
            let room = max.saturating_sub(line.bytes.len() as u64) as usize;
            line.bytes
                .extend_from_slice(&chunk[..room.min(chunk.len())]);
        }
        let used = chunk.len() + usize::from(found);
        r.consume(used);
        if found {
            break;
        }
    }
    if total > max {
        line.too_long = Some(total);
    }
    if line.bytes.ends_with(b"\r") {
        line.bytes.pop();
    }
    Ok(any)
}

fn memchr(buf: &[u8]) -> Option<usize> {
    buf.iter().position(|b| *b == b'\n')
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(|b| b.is_ascii_whitespace())
}

/// Checks an NDJSON file the way a CSV header is checked: it must hold a record, and its
/// first record must name every required column (a file whose records all lack one is an
/// export of something else, not hundreds of bad rows). A first line that is not a JSON
/// object is left to the row checks.
pub(crate) fn check_first_record<R: Read>(
    f: &DropFile,
    reader: R,
    limits: &Limits,
) -> Result<(), IngestError> {
    let mut buf = BufReader::with_capacity(1 << 16, reader);
    let mut line = Line {
        bytes: Vec::new(),
        too_long: None,
    };
    let mut first = true;
    loop {
        let more = match next_line(&mut buf, &mut line, limits.max_record_bytes) {
            Ok(more) => more,
            // Damage and limits are reported row by row when the file is read.
            Err(_) => return Ok(()),
        };
        if !more {
            return Err(IngestError::Empty {
                path: f.path.clone(),
            });
        }
        let bytes = if first {
            strip_bom(&line.bytes)
        } else {
            &line.bytes
        };
        first = false;
        if is_blank(bytes) {
            continue;
        }
        if line.too_long.is_some() {
            return Ok(());
        }
        let Ok(serde_json::Value::Object(obj)) = serde_json::from_slice::<serde_json::Value>(bytes)
        else {
            return Ok(());
        };
        let keys: Vec<String> = obj.keys().map(|k| normalise_header(k)).collect();
        for col in f.table.columns().iter().filter(|c| c.required) {
            if !keys.iter().any(|k| k == col.name) {
                return Err(IngestError::MissingColumn {
                    path: f.path.clone(),
                    table: f.table.name(),
                    column: col.name,
                    found: format!("first record's keys: {}", printable_list(&keys, 20)),
                });
            }
        }
        return Ok(());
    }
}

pub(crate) fn read_ndjson(
    sink: &mut Sink<'_, '_>,
    reader: Box<dyn Read>,
    meter: &Meter,
    limits: &Limits,
    progress: &dyn Progress,
) -> Result<Vec<String>, IngestError> {
    let f = sink.f;
    let mut buf = BufReader::with_capacity(1 << 16, reader);
    let mut line = Line {
        bytes: Vec::new(),
        too_long: None,
    };
    let mut line_no = 0u64;
    let mut ignored: BTreeSet<String> = BTreeSet::new();
    let columns = f.table.columns();
    let index: HashMap<&str, usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name, i))
        .collect();
    loop {
        match next_line(&mut buf, &mut line, limits.max_record_bytes) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) if limit_hit(&e).is_some() || f.compression != Compression::None => {
                sink.stop_at_error(Location::Line(line_no + 1), &e);
                break;
            }
            Err(source) => {
                return Err(IngestError::Io {
                    path: f.path.clone(),
                    source,
                });
            }
        }
        line_no += 1;
        let bytes = if line_no == 1 {
            strip_bom(&line.bytes)
        } else {
            &line.bytes[..]
        };
        if is_blank(bytes) {
            continue;
        }
        let location = Location::Line(line_no);
        if sink.full() {
            sink.stop_for_rejections(location);
            break;
        }
        let lossy = || String::from_utf8_lossy(bytes).trim_end().to_string();
        if let Some(bytes) = line.too_long {
            let reason = RejectReason::RecordTooLong {
                bytes,
                limit: limits.max_record_bytes,
            };
            sink.reject(location, reason, lossy());
            continue;
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            sink.reject(location, RejectReason::InvalidUtf8, lossy());
            continue;
        };
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                let detail = e.to_string();
                let reason = if e.is_eof() {
                    RejectReason::TruncatedJson { detail }
                } else {
                    RejectReason::NotJson { detail }
                };
                sink.reject(location, reason, lossy());
                continue;
            }
        };
        let serde_json::Value::Object(obj) = value else {
            sink.reject(location, RejectReason::NotAnObject, lossy());
            continue;
        };
        // Owned strings for this record's values, in canonical column order, and which key
        // filled each column (two keys that normalise to one column are an error, not a
        // silent overwrite).
        let mut owned: Vec<Option<String>> = vec![None; columns.len()];
        let mut from: Vec<Option<&str>> = vec![None; columns.len()];
        let mut bad = None;
        for (k, v) in &obj {
            let key = normalise_header(k);
            let Some(&ci) = index.get(key.as_str()) else {
                if ignored.len() < crate::header::MAX_IGNORED_LISTED {
                    ignored.insert(key);
                }
                continue;
            };
            if let Some(other) = from[ci] {
                bad = Some(RejectReason::CollidingKeys {
                    first: microscout_model::text::printable(other, 60),
                    second: microscout_model::text::printable(k, 60),
                    column: columns[ci].name,
                });
                break;
            }
            from[ci] = Some(k);
            owned[ci] = match v {
                serde_json::Value::Null => None,
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Bool(b) => Some(b.to_string()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => {
                    bad = Some(RejectReason::NestedValue {
                        column: columns[ci].name,
                    });
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
    Ok(ignored.into_iter().collect())
}
