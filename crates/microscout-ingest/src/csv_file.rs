//! CSV (RFC 4180 quoting), row by row, with line numbers and the record-size limit.

use std::io::Read;

use crate::discover::DropFile;
use crate::header::{HeaderMap, map_header};
use crate::open::{Boundary, Limits, Meter, limit_hit, record_guard};
use crate::quarantine::Sink;
use crate::{Compression, IngestError, Location, Progress};
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

pub(crate) fn read_csv(
    sink: &mut Sink<'_, '_>,
    reader: Box<dyn Read>,
    meter: &Meter,
    limits: &Limits,
    progress: &dyn Progress,
) -> Result<Vec<String>, IngestError> {
    let f = sink.f;
    let (mut rdr, boundary, header) = start(f, reader, limits)?;
    let mut rec = csv::ByteRecord::new();
    let mut last_line = 1;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let location = Location::Line(last_line + 1);
                if let csv::ErrorKind::Io(io) = e.kind()
                    && (limit_hit(io).is_some() || f.compression != Compression::None)
                {
                    sink.stop_at_error(location, io);
                    break;
                }
                return Err(csv_io(f, e));
            }
        }
        boundary.set(rdr.position().byte());
        let line = rec.position().map_or(0, |p| p.line());
        last_line = line;
        let location = Location::Line(line);
        if sink.full() {
            sink.stop_for_rejections(location);
            break;
        }
        let raw_text = || record_text(&rec);
        if rec.len() != header.width {
            let reason = RejectReason::FieldCount {
                found: rec.len(),
                expected: header.width,
            };
            sink.reject(location, reason, raw_text());
            continue;
        }
        let width = header.index.len();
        // One UTF-8 check for the whole record, then each read field is a slice of it (a
        // field that does not start and end on a character boundary is not valid on its
        // own). Only a bad record is looked at column by column, to name the column.
        let valid = std::str::from_utf8(rec.as_slice()).ok().and_then(|whole| {
            let mut raw = [None; microscout_formats::row::MAX_COLUMNS];
            for (slot, idx) in raw.iter_mut().zip(&header.index) {
                if let Some(i) = idx {
                    *slot = Some(whole.get(rec.range(*i)?)?);
                }
            }
            Some(raw)
        });
        let raw = if let Some(raw) = &valid {
            &raw[..width]
        } else {
            let column = header
                .index
                .iter()
                .enumerate()
                .find(|(_, idx)| idx.is_some_and(|i| std::str::from_utf8(&rec[i]).is_err()))
                .map(|(ci, _)| f.table.columns()[ci].name);
            sink.reject(
                location,
                RejectReason::InvalidUtf8InColumn { column },
                raw_text(),
            );
            continue;
        };
        sink.row(raw, location, raw_text);
        meter.tick(progress);
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

#[cfg(test)]
mod tests {
    use microscout_model::reason::RejectReason;
    use microscout_model::schema::Table;

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
