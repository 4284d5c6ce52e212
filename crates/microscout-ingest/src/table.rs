//! Building one validated canonical table from rows of raw cell values.
//!
//! A row is validated whole before anything is appended: it is either accepted into every
//! column or rejected with one reason, so the columns always stay aligned.

use microscout_model::schema::{Column, Kind, Table};
use polars::prelude::*;

use crate::value::{parse_bool, parse_count, parse_platform, parse_timestamp};

/// A parsed cell, borrowed from the raw row where it is text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell<'a> {
    Null,
    Text(&'a str),
    Int(i64),
    Bool(bool),
}

impl<'a> Cell<'a> {
    pub(crate) fn text(self) -> Option<&'a str> {
        match self {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }
}

enum ColumnBuilder {
    Text(StringChunkedBuilder),
    Int(Vec<Option<i64>>),
    Bool(Vec<Option<bool>>),
}

/// Accumulates accepted rows of one table.
pub(crate) struct TableBuilder {
    table: Table,
    columns: Vec<ColumnBuilder>,
    rows: usize,
}

impl TableBuilder {
    pub(crate) fn new(table: Table) -> Self {
        let columns = table
            .columns()
            .iter()
            .map(|c| match c.kind {
                Kind::Text | Kind::Platform => {
                    ColumnBuilder::Text(StringChunkedBuilder::new(c.name.into(), 1024))
                }
                Kind::Count | Kind::Timestamp => ColumnBuilder::Int(Vec::new()),
                Kind::Bool => ColumnBuilder::Bool(Vec::new()),
            })
            .collect();
        Self {
            table,
            columns,
            rows: 0,
        }
    }

    /// Parses the raw values of one row (one entry per schema column, `None` when the
    /// column is absent from the file) into cells. Empty strings are nulls.
    pub(crate) fn parse_row<'a>(
        &self,
        raw: &[Option<&'a str>],
        out: &mut Vec<Cell<'a>>,
    ) -> Result<(), String> {
        out.clear();
        for (col, value) in self.table.columns().iter().zip(raw) {
            out.push(parse_cell(col, *value)?);
        }
        Ok(())
    }

    /// Appends a row that [`Self::parse_row`] accepted.
    pub(crate) fn push(&mut self, cells: &[Cell<'_>]) {
        for (b, cell) in self.columns.iter_mut().zip(cells) {
            match (b, cell) {
                (ColumnBuilder::Text(b), Cell::Text(s)) => b.append_value(*s),
                (ColumnBuilder::Text(b), _) => b.append_null(),
                (ColumnBuilder::Int(v), Cell::Int(i)) => v.push(Some(*i)),
                (ColumnBuilder::Int(v), _) => v.push(None),
                (ColumnBuilder::Bool(v), Cell::Bool(x)) => v.push(Some(*x)),
                (ColumnBuilder::Bool(v), _) => v.push(None),
            }
        }
        self.rows += 1;
    }

    pub(crate) fn finish(self) -> DataFrame {
        let cols: Vec<polars::prelude::Column> = self
            .columns
            .into_iter()
            .zip(self.table.columns())
            .map(|(b, c)| {
                let name: PlSmallStr = c.name.into();
                let s = match b {
                    ColumnBuilder::Text(b) => b.finish().into_series(),
                    ColumnBuilder::Int(v) => Series::new(name, v),
                    ColumnBuilder::Bool(v) => Series::new(name, v),
                };
                s.into_column()
            })
            .collect();
        DataFrame::new_infer_height(cols).expect("columns built row by row have equal length")
    }
}

fn parse_cell<'a>(col: &Column, value: Option<&'a str>) -> Result<Cell<'a>, String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty());
    let Some(v) = value else {
        if col.required {
            return Err(format!("required field `{}` is empty", col.name));
        }
        return Ok(Cell::Null);
    };
    let wrap = |e: String| format!("column `{}`: {e}", col.name);
    Ok(match col.kind {
        Kind::Text => Cell::Text(v),
        Kind::Platform => Cell::Text(parse_platform(v).map_err(wrap)?.as_str()),
        Kind::Count => Cell::Int(parse_count(v).map_err(wrap)?),
        Kind::Timestamp => Cell::Int(parse_timestamp(v).map_err(wrap)?),
        Kind::Bool => Cell::Bool(parse_bool(v).map_err(wrap)?),
    })
}

/// An empty table with the canonical schema (used when an optional table is absent).
pub(crate) fn empty(table: Table) -> DataFrame {
    TableBuilder::new(table).finish()
}
