//! CSV (RFC 4180 quoting), row by row, with line numbers and the record-size limit.

use std::io::Read;

use crate::discover::DropFile;
use crate::header::{HeaderMap, map_header};
use crate::open::{Boundary, Limits, Meter, limit_hit, record_guard};
use crate::quarantine::{KeyProblem, RowKeys, Sink};
use crate::table::{Cell, Rows, TableBuilder};
use crate::{Compression, IngestError, Location, Progress};
use microscout_formats::row::MAX_COLUMNS;
use microscout_model::reason::RejectReason;

fn csv_reader<R: Read>(r: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(r)
}

fn csv_io(f: &DropFile, e: csv::Error) -> IngestError {
    IngestError::Io {
        path: f.path.clone(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// Opens the parser over a guarded stream and reads the header.
fn start<R: Read>(
    f: &DropFile,
    reader: R,
    limits: &Limits,
) -> Result<
    (
        csv::Reader<crate::open::RecordGuard<R>>,
        Boundary,
        HeaderMap,
    ),
    IngestError,
> {
    let (guarded, boundary) = record_guard(reader, limits.max_record_bytes);
    let mut rdr = csv_reader(guarded);
    let mut rec = csv::ByteRecord::new();
    let got = rdr.read_byte_record(&mut rec).map_err(|e| csv_io(f, e))?;
    if !got {
        return Err(IngestError::Empty {
            path: f.path.clone(),
        });
    }
    boundary.set(rdr.position().byte());
    let header: Vec<String> = rec
        .iter()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    let map = map_header(f, &header)?;
    Ok((rdr, boundary, map))
}

/// Checks that a file's header has every required column, without reading its rows.
pub(crate) fn check_header<R: Read>(
    f: &DropFile,
    reader: R,
    limits: &Limits,
) -> Result<(), IngestError> {
    start(f, reader, limits).map(|_| ())
}

/// Records handed to the validating thread at once.
pub(crate) const BATCH_ROWS: usize = if cfg!(test) { 100 } else { 4096 };

/// Tokenized records with their line numbers, and the buffers they reuse.
struct Batch {
    records: Vec<csv::ByteRecord>,
    lines: Vec<u64>,
}

/// A batch validated: per record, its keys or why it is rejected; and the table of the
/// records that passed (in order), before the duplicate checks.
struct Parsed {
    batch: Batch,
    outcomes: Vec<Result<RowKeys, RejectReason>>,
    rows: Rows,
}

/// Reads a CSV file on two threads: this one reads, hashes and tokenizes (the CSV state
/// machine must see every byte to find where records end) and hands batches of records to
/// a second thread, which checks field counts and UTF-8, parses and validates the values,
/// fingerprints the keys and builds the batch's table; back on this thread, in file order,
/// the duplicate and unknown-account checks, the quarantine and the limits run exactly as
/// they do row by row, so line numbers, "the first of two duplicates" and the accounting
/// are unchanged. At most two batches are in flight.
pub(crate) fn read_csv(
    sink: &mut Sink<'_, '_>,
    reader: Box<dyn Read>,
    meter: &Meter,
    limits: &Limits,
    progress: &dyn Progress,
) -> Result<Vec<String>, IngestError> {
    let f = sink.f;
    let (mut rdr, boundary, header) = start(f, reader, limits)?;
    let header = &header;
    let measured = sink.builder.measured();
    std::thread::scope(|s| {
        let (to_worker, jobs) = std::sync::mpsc::channel::<Batch>();
        let (done_tx, done) = std::sync::mpsc::channel::<Parsed>();
        s.spawn(move || {
            for batch in jobs {
                if done_tx
                    .send(parse_batch(f, header, measured, batch))
                    .is_err()
                {
                    break;
                }
            }
        });
        let mut spare: Vec<Batch> = Vec::new();
        let fresh = |spare: &mut Vec<Batch>| {
            spare.pop().unwrap_or_else(|| Batch {
                records: Vec::new(),
                lines: Vec::new(),
            })
        };
        let mut batch = fresh(&mut spare);
        let mut in_flight = 0usize;
        let mut stopped = false;
        let mut last_line = 1;
        let mut rec = csv::ByteRecord::new();
        let result = loop {
            let read = rdr.read_byte_record(&mut rec);
            if !matches!(read, Ok(true)) || batch.lines.len() == BATCH_ROWS {
                // Hand on the batch; at the end, or before acting on an error, merge
                // everything in flight first: the rows before come first.
                if !batch.lines.is_empty() {
                    let full = std::mem::replace(&mut batch, fresh(&mut spare));
                    to_worker.send(full).expect("the validating thread runs");
                    in_flight += 1;
                }
                let keep = if matches!(read, Ok(true)) { 1 } else { 0 };
                while in_flight > keep && !stopped {
                    let parsed = done.recv().expect("the validating thread answers");
                    in_flight -= 1;
                    stopped = merge(sink, header, parsed, &mut spare);
                }
            }
            if stopped {
                break Ok(());
            }
            match read {
                Ok(true) => {}
                Ok(false) => break Ok(()),
                Err(e) => {
                    let location = Location::Line(last_line + 1);
                    if let csv::ErrorKind::Io(io) = e.kind()
                        && (limit_hit(io).is_some() || f.compression != Compression::None)
                    {
                        sink.stop_at_error(location, io);
                        break Ok(());
                    }
                    break Err(csv_io(f, e));
                }
            }
            boundary.set(rdr.position().byte());
            let line = record_line(&rec, rdr.position().line());
            last_line = line;
            let slot = batch.lines.len();
            if batch.records.len() == slot {
                batch.records.push(csv::ByteRecord::new());
            }
            std::mem::swap(&mut batch.records[slot], &mut rec);
            batch.lines.push(line);
            meter.tick(progress);
        };
        drop(to_worker);
        result
    })?;
    Ok(header.ignored.clone())
}

/// The line a record starts on, given the reader's line after it. The csv crate gives the
/// first record after blank lines the first blank's line (rust-csv issue 208); the line after
/// the record's end, less its own newlines (quoted ones included), is right; a last record
/// without a final newline ends on its own line, where the first is right. The larger of the
/// two is taken. Known gap: a last record without a final newline right after blank lines is
/// still given the line before its own.
pub fn record_line(rec: &csv::ByteRecord, line_after: u64) -> u64 {
    let start = rec.position().map_or(0, |p| p.line());
    // Ending on the line after its start or earlier, the count below cannot exceed `start`.
    if line_after <= start + 1 {
        return start;
    }
    let embedded = rec.as_slice().iter().filter(|b| **b == b'\n').count() as u64;
    let from_end = line_after.saturating_sub(1 + embedded);
    start.max(from_end)
}

/// Fills `raw` (one entry per canonical column, `header.index.len()`) with the values of a
/// record, or says why the record is rejected before its values are looked at.
fn record_values<'r>(
    f: &DropFile,
    header: &HeaderMap,
    rec: &'r csv::ByteRecord,
    raw: &mut [Option<&'r str>],
) -> Result<(), RejectReason> {
    if rec.len() != header.width {
        return Err(RejectReason::FieldCount {
            found: rec.len(),
            expected: header.width,
        });
    }
    // One UTF-8 check for the whole record, then each read field is a slice of it (a
    // field that does not start and end on a character boundary is not valid on its own).
    // Only a bad record is looked at column by column, to name the column.
    if let Ok(whole) = std::str::from_utf8(rec.as_slice()) {
        let mut valid = true;
        for (slot, idx) in raw.iter_mut().zip(&header.index) {
            *slot = match idx {
                Some(i) => match rec.range(*i).and_then(|r| whole.get(r)) {
                    Some(v) => Some(v),
                    None => {
                        valid = false;
                        break;
                    }
                },
                None => None,
            };
        }
        if valid {
            return Ok(());
        }
    }
    let column = header
        .index
        .iter()
        .enumerate()
        .find(|(_, idx)| idx.is_some_and(|i| std::str::from_utf8(&rec[i]).is_err()))
        .map(|(ci, _)| f.table.columns()[ci].name);
    Err(RejectReason::InvalidUtf8InColumn { column })
}

/// Validates a batch (on the validating thread), into measured follower rows when
/// `measured`.
fn parse_batch(f: &DropFile, header: &HeaderMap, measured: bool, batch: Batch) -> Parsed {
    let table = f.table;
    let width = header.index.len();
    let mut builder = TableBuilder::of(table, measured, BATCH_ROWS);
    let mut buf = Vec::new();
    // Every entry up to `width` is written for each record before it is read.
    let mut raw = [None; MAX_COLUMNS];
    let mut cells = [Cell::Null; MAX_COLUMNS];
    let mut last_account = None;
    let outcomes = batch.records[..batch.lines.len()]
        .iter()
        .map(|rec| {
            let raw = &mut raw[..width];
            record_values(f, header, rec, raw)?;
            let cells = &mut cells[..width];
            builder.parse_row(raw, cells)?;
            let keys = RowKeys::of_cached(table, cells, &mut buf, &mut last_account);
            builder.push(cells);
            Ok(keys)
        })
        .collect();
    Parsed {
        batch,
        outcomes,
        rows: builder.finish(),
    }
}

/// Takes a validated batch's rows in order through the key checks, the quarantine and the
/// rejection limit, and appends the rows that passed. True when the file must stop.
fn merge(
    sink: &mut Sink<'_, '_>,
    header: &HeaderMap,
    parsed: Parsed,
    spare: &mut Vec<Batch>,
) -> bool {
    let Parsed {
        mut batch,
        outcomes,
        rows,
    } = parsed;
    let f = sink.f;
    let mut keep = Vec::with_capacity(rows.height());
    let mut stopped = false;
    for ((outcome, rec), line) in outcomes.into_iter().zip(&batch.records).zip(&batch.lines) {
        let location = Location::Line(*line);
        if sink.full() {
            sink.stop_for_rejections(location);
            stopped = true;
            break;
        }
        match outcome {
            Err(reason) => sink.reject(location, reason, record_text(rec)),
            Ok(keys) => {
                // The row's values again, only to name a rejection.
                let reason = |p: KeyProblem| {
                    let width = header.index.len();
                    let mut raw = [None; MAX_COLUMNS];
                    record_values(f, header, rec, &mut raw[..width]).expect("validated before");
                    let mut cells = [Cell::Null; MAX_COLUMNS];
                    microscout_formats::row::validate(f.table, &raw[..width], &mut cells[..width])
                        .expect("validated before");
                    p.reason(f.table, &cells[..width])
                };
                keep.push(sink.keyed_row(&keys, location, reason, || record_text(rec)));
            }
        }
    }
    keep.resize(rows.height(), false);
    sink.append(rows.filter(&keep));
    batch.lines.clear();
    spare.push(batch);
    stopped
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

#[cfg(test)]
mod tests {
    use microscout_model::reason::RejectReason;
    use microscout_model::schema::Table;

    #[test]
    fn the_rejection_limit_stops_in_the_middle_of_a_batch_at_the_same_row() {
        // Rows 0, 97, 194, 291 and 388 are bad; with a limit of 5 the file stops at the row
        // after the fifth, inside the fourth batch of 100 (the test batch size).
        let mut csv = b"platform,account_id,post_id,posted_at,likes\n".to_vec();
        for i in 0..1000 {
            let likes = if i % 97 == 0 { -1 } else { i };
            csv.extend(format!("instagram,1,p{i},2026-11-01T00:00:00Z,{likes}\n").bytes());
        }
        csv.extend(b"instagram,1,p3,2026-11-01T00:00:00Z,4\n");
        let dir = std::env::temp_dir().join(format!("microscout-csv-{}-limit", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("posts.csv");
        std::fs::write(&path, &csv).unwrap();
        let limits = crate::Limits {
            max_rejected_per_file: 5,
            ..crate::Limits::default()
        };
        let (df, rejected, report) = crate::read_table(&path, Table::Posts, &limits, None).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(df.height(), 384);
        assert_eq!(
            (report.rows_read, report.accepted, report.rejected),
            (390, 384, 6)
        );
        assert!(report.stopped.is_some());
        let last = rejected.first.last().unwrap();
        // Row 389 is on line 391 (the header is line 1).
        assert_eq!(last.location, crate::Location::Line(391));
        const { assert!(super::BATCH_ROWS < 389) };
    }

    fn read(name: &str, bytes: &[u8]) -> (usize, Vec<RejectReason>) {
        let dir =
            std::env::temp_dir().join(format!("microscout-csv-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("posts.csv");
        std::fs::write(&path, bytes).unwrap();
        let (df, rejected, _) =
            crate::read_table(&path, Table::Posts, &crate::Limits::default(), None).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        let reasons = rejected.first.iter().map(|r| r.reason.clone()).collect();
        (df.height(), reasons)
    }

    #[test]
    fn rows_after_blank_lines_keep_their_own_line_numbers() {
        let dir = std::env::temp_dir().join(format!("microscout-csv-{}-blank", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("posts.csv");
        // Line 1 header, 2 good, 3-4 blank, 5 bad, 6 a quoted caption over two lines (good),
        // 8 bad, 9 blank (CRLF), 10 bad, 11 bad without a final newline.
        std::fs::write(
            &path,
            "platform,account_id,post_id,posted_at,likes,caption\n\
             instagram,1,p1,2026-11-01T00:00:00Z,5,a\n\
             \n\
             \n\
             instagram,1,p2,2026-11-01T00:00:00Z,-1,b\n\
             instagram,1,p3,2026-11-01T00:00:00Z,5,\"two\nlines\"\n\
             instagram,1,p4,2026-11-01T00:00:00Z,-2,c\n\
             \r\n\
             instagram,1,p5,2026-11-01T00:00:00Z,-3,d\n\
             instagram,1,p6,2026-11-01T00:00:00Z,-4,e",
        )
        .unwrap();
        let (_, rejected, _) =
            crate::read_table(&path, Table::Posts, &crate::Limits::default(), None).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        let lines: Vec<_> = rejected.first.iter().map(|r| r.location).collect();
        assert_eq!(
            lines,
            vec![
                crate::Location::Line(5),
                crate::Location::Line(8),
                crate::Location::Line(10),
                crate::Location::Line(11)
            ]
        );
    }

    #[test]
    fn a_character_split_by_a_delimiter_is_invalid_utf8_in_its_column() {
        // "é" is C3 A9: split over two fields, each field is invalid although the record's
        // bytes, read without the delimiter, are valid UTF-8.
        let mut csv = b"platform,account_id,post_id,posted_at,likes,comments,caption\n".to_vec();
        csv.extend_from_slice(b"instagram,1,p1,2026-11-01T00:00:00Z,5,1,fine\n");
        csv.extend_from_slice(b"instagram,1,p2\xC3,\xA92026-11-01T00:00:00Z,5,1,x\n");
        csv.extend_from_slice(b"instagram,1,p3,2026-11-01T00:00:00Z,5,1,caf\xC3\xA9\n");
        let (accepted, reasons) = read("split", &csv);
        assert_eq!(accepted, 2);
        assert_eq!(
            reasons,
            vec![RejectReason::InvalidUtf8InColumn {
                column: Some("post_id")
            }]
        );
    }
}
