//! One column-oriented description of each output table, written both as CSV (for
//! spreadsheets, with formula injection neutralised) and as Parquet (typed, raw values), so
//! the two files can never disagree about columns.

use std::borrow::Cow;
use std::io::Write;

use polars::prelude::*;

/// The values of one output column.
pub enum Values {
    Text(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    /// Unix seconds, written as RFC 3339 in CSV and as a UTC datetime in Parquet.
    Timestamp(Vec<Option<i64>>),
    /// Several texts per row: joined by `" | "` in CSV (for people), a list of strings in
    /// Parquet (for programs: an item holding `" | "` stays one item).
    List(Vec<Option<Vec<String>>>),
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Values::Text(v) => v.len(),
            Values::Int(v) | Values::Timestamp(v) => v.len(),
            Values::Float(v) => v.len(),
            Values::Bool(v) => v.len(),
            Values::List(v) => v.len(),
        }
    }
}

/// The CSV separator of a list cell's items.
pub const LIST_SEPARATOR: &str = " | ";

/// A named table of columns of equal length.
pub struct OutTable {
    pub columns: Vec<(&'static str, Values)>,
}

impl OutTable {
    pub fn height(&self) -> usize {
        self.columns.first().map_or(0, |(_, v)| v.len())
    }

    /// Writes RFC 4180 CSV with a header. Empty cells are missing values (never 0). Text
    /// cells are neutralised against spreadsheet formula injection ([`neutralise`]).
    pub fn write_csv<W: Write>(&self, w: W) -> std::io::Result<()> {
        let mut out = csv::Writer::from_writer(w);
        self.write_header(&mut out)?;
        self.write_rows(&mut out)?;
        out.flush()
    }

    /// Writes the header row only.
    pub fn write_header<W: Write>(&self, out: &mut csv::Writer<W>) -> std::io::Result<()> {
        out.write_record(self.columns.iter().map(|(n, _)| *n))?;
        Ok(())
    }

    /// Writes the rows only, as [`Self::write_csv`] does (to append to a file being written).
    pub fn write_rows<W: Write>(&self, out: &mut csv::Writer<W>) -> std::io::Result<()> {
        let mut buf = String::new();
        for row in 0..self.height() {
            for (_, v) in &self.columns {
                out.write_field(cell(v, row, &mut buf).as_bytes())?;
            }
            out.write_record(None::<&[u8]>)?;
        }
        Ok(())
    }

    /// The same table as a typed polars frame (raw text, no neutralisation).
    pub fn to_frame(&self) -> PolarsResult<DataFrame> {
        let cols = self
            .columns
            .iter()
            .map(|(name, v)| {
                let name: PlSmallStr = (*name).into();
                let s = match v {
                    Values::Text(v) => Series::new(name, v),
                    Values::Int(v) => Series::new(name, v),
                    Values::Float(v) => Series::new(name, v),
                    Values::Bool(v) => Series::new(name, v),
                    Values::List(v) => {
                        let items: Vec<Option<Series>> = v
                            .iter()
                            .map(|x| x.as_ref().map(|items| Series::new("".into(), items)))
                            .collect();
                        Series::new(name, items)
                            .cast(&DataType::List(Box::new(DataType::String)))?
                    }
                    Values::Timestamp(v) => {
                        let ms: Vec<Option<i64>> = v.iter().map(|x| x.map(|s| s * 1000)).collect();
                        Series::new(name, ms).cast(&DataType::Datetime(
                            TimeUnit::Milliseconds,
                            Some(TimeZone::UTC),
                        ))?
                    }
                };
                Ok(s.into_column())
            })
            .collect::<PolarsResult<Vec<_>>>()?;
        DataFrame::new_infer_height(cols)
    }
}

/// A cell's CSV text: borrowed from the table, or written into `buf` (reused from cell to
/// cell, so numbers and times are written without an allocation each).
fn cell<'a>(v: &'a Values, row: usize, buf: &'a mut String) -> Cow<'a, str> {
    use std::fmt::Write as _;
    buf.clear();
    match v {
        Values::Text(v) => v[row].as_deref().map_or(Cow::Borrowed(""), neutralise),
        Values::Int(v) => {
            if let Some(x) = v[row] {
                let _ = write!(buf, "{x}");
            }
            Cow::Borrowed(buf)
        }
        Values::Float(v) => {
            if let Some(x) = v[row] {
                write_float(x, buf);
            }
            Cow::Borrowed(buf)
        }
        Values::Bool(v) => v[row].map_or(Cow::Borrowed(""), |x| {
            Cow::Borrowed(if x { "true" } else { "false" })
        }),
        Values::Timestamp(v) => v[row].map_or(Cow::Borrowed(""), |x| Cow::Owned(rfc3339(x))),
        Values::List(v) => v[row].as_ref().map_or(Cow::Borrowed(""), |items| {
            Cow::Owned(neutralise(&items.join(LIST_SEPARATOR)).into_owned())
        }),
    }
}

/// A float for CSV: the shortest text that reads back as the same number (as in Parquet),
/// never in exponent notation.
pub fn float(x: f64) -> String {
    let mut s = String::new();
    write_float(x, &mut s);
    s
}

/// [`float`], appended to `out`.
fn write_float(x: f64, out: &mut String) {
    use std::fmt::Write as _;
    if !x.is_finite() {
        return;
    }
    if x == 0.0 {
        out.push('0');
    } else {
        let _ = write!(out, "{x}");
    }
}

pub use microscout_model::numfmt::rfc3339;

/// Neutralises a text cell against spreadsheet formula injection (OWASP, CWE-1236): a cell
/// starting with `=`, `+`, `-`, `@`, tab, carriage return or NUL gets a leading `'`, so a
/// spreadsheet shows it as text instead of evaluating it.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\0') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        for bad in ["=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx", "\0x"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralise("hello"), "hello");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn floats_are_plain() {
        assert_eq!(float(0.034), "0.034");
        assert_eq!(float(12.0), "12");
        assert_eq!(float(1.0 / 3.0), "0.3333333333333333");
        assert_eq!(float(-0.0), "0");
        assert_eq!(float(1e-7), "0.0000001");
    }

    #[test]
    fn csv_and_frame_agree() {
        let t = OutTable {
            columns: vec![
                ("name", Values::Text(vec![Some("=cmd".into()), None])),
                ("n", Values::Int(vec![Some(3), None])),
                ("at", Values::Timestamp(vec![Some(1_795_199_400), None])),
            ],
        };
        let mut buf = Vec::new();
        t.write_csv(&mut buf).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "name,n,at\n'=cmd,3,2026-11-20T18:30:00Z\n,,\n"
        );
        let df = t.to_frame().unwrap();
        assert_eq!(df.height(), 2);
        let lists = OutTable {
            columns: vec![(
                "l",
                Values::List(vec![
                    Some(vec!["a | b".into(), "=c".into()]),
                    None,
                    Some(vec![]),
                ]),
            )],
        };
        let mut buf = Vec::new();
        lists.write_csv(&mut buf).unwrap();
        // (A record of one empty field is written `""` so that it is not a blank line.)
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "l\na | b | =c\n\"\"\n\"\"\n"
        );
        let ldf = lists.to_frame().unwrap();
        let l = ldf.column("l").unwrap().list().unwrap().clone();
        let first = l.get_as_series(0).unwrap();
        assert_eq!(first.str().unwrap().get(0), Some("a | b"));
        assert_eq!(first.len(), 2);
        assert!(l.get_as_series(1).is_none());
        assert_eq!(
            df.column("name").unwrap().str().unwrap().get(0),
            Some("=cmd")
        );
    }
}
