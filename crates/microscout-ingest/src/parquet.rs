//! Parquet, typed or string columns, through the same row validation and quarantine.

use polars::prelude::{AnyValue, DataType, SerReader, TimeUnit};

use crate::discover::DropFile;
use crate::header::map_header;
use crate::open::{LimitHit, Limits, RATIO_GRACE, open};
use crate::quarantine::Sink;
use crate::{IngestError, Location};
use microscout_model::reason::StopReason;

fn parquet_error(f: &DropFile, e: polars::prelude::PolarsError) -> IngestError {
    IngestError::UnknownFormat {
        path: f.path.clone(),
        reason: format!("cannot be read as Parquet: {e}"),
    }
}

/// Checks that a file's schema has every required column, without reading its rows.
pub(crate) fn check_header(f: &DropFile) -> Result<(), IngestError> {
    let mut reader = polars::prelude::ParquetReader::new(open(f)?);
    let schema = reader.schema().map_err(|e| parquet_error(f, e))?;
    let names: Vec<String> = schema.iter_names().map(|n| n.to_string()).collect();
    map_header(f, &names).map(|_| ())
}

/// A Parquet value as the text the row parser takes: text as it is, numbers and booleans
/// as written, datetimes as Unix seconds, null as missing.
fn parquet_value(v: AnyValue<'_>) -> Option<String> {
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

/// Whether a column's values are read as they are (numbers, booleans, datetimes, text) or
/// must be cast to text first: dictionary-encoded strings (pandas `category`, pyarrow
/// dictionaries) and any other type would otherwise print as a quoted or decorated value.
fn needs_text_cast(dt: &DataType) -> bool {
    !(dt.is_primitive_numeric()
        || matches!(
            dt,
            DataType::String | DataType::Boolean | DataType::Datetime(_, _) | DataType::Null
        ))
}

/// Bytes a Parquet file would take once decoded, estimated from its metadata: 16 bytes per
/// value (a string view or a 64-bit number), or the file's own uncompressed size when
/// larger. Dictionary and run-length encoding let a small file declare millions of rows.
fn decoded_estimate(f: &DropFile) -> Result<u64, IngestError> {
    let mut reader = polars::prelude::ParquetReader::new(open(f)?);
    let meta = reader.get_metadata().map_err(|e| parquet_error(f, e))?;
    let columns = meta.schema().fields().len().max(1) as u64;
    let rows = meta.num_rows as u64;
    let uncompressed: u64 = meta
        .row_groups
        .iter()
        .map(|g| g.total_byte_size() as u64)
        .sum();
    Ok(rows
        .saturating_mul(columns)
        .saturating_mul(16)
        .max(uncompressed))
}

pub(crate) fn read_parquet(
    sink: &mut Sink<'_, '_>,
    limits: &Limits,
) -> Result<Vec<String>, IngestError> {
    let f = sink.f;
    // A Parquet file is decoded whole: refuse one that would expand like a bomb.
    let stored = std::fs::metadata(&f.path)
        .map(|m| m.len())
        .unwrap_or(0)
        .max(1);
    let decoded = decoded_estimate(f)?;
    if decoded > RATIO_GRACE && decoded as f64 > limits.max_compression_ratio * stored as f64 {
        let hit = LimitHit::Ratio {
            compression: "Parquet",
            limit: limits.max_compression_ratio.to_string(),
            decompressed_mib: decoded >> 20,
            compressed_kib: stored >> 10,
        };
        sink.stop(Location::Record(0), StopReason::DocumentLimit(hit));
        return Ok(Vec::new());
    }
    let mut df = polars::prelude::ParquetReader::new(open(f)?)
        .finish()
        .map_err(|e| parquet_error(f, e))?;
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let header = map_header(f, &names)?;
    for i in header.index.iter().flatten() {
        let c = &df.columns()[*i];
        if needs_text_cast(c.dtype()) {
            let cast = c.cast(&DataType::String).map_err(|e| parquet_error(f, e))?;
            df.replace_column(*i, cast)
                .map_err(|e| parquet_error(f, e))?;
        }
    }
    let columns = df.columns();
    for row in 0..df.height() {
        let location = Location::Record(row as u64);
        if sink.full() {
            sink.stop_for_rejections(location);
            break;
        }
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
        let raw_text = || {
            columns
                .iter()
                .map(|c| c.get(row).ok().and_then(parquet_value).unwrap_or_default())
                .collect::<Vec<_>>()
                .join(",")
        };
        if let Some(e) = bad {
            let reason = microscout_model::reason::RejectReason::Unreadable { detail: e };
            sink.reject(location, reason, raw_text());
            continue;
        }
        let raw: Vec<Option<&str>> = owned.iter().map(|o| o.as_deref()).collect();
        sink.row(&raw, location, raw_text);
    }
    Ok(header.ignored)
}
