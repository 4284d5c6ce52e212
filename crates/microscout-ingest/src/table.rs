//! Building one validated canonical table from rows of raw cell values.
//!
//! A row is validated whole before anything is appended: it is either accepted into every
//! column or rejected with one reason, so the columns always stay aligned.

use microscout_model::schema::{Kind, Table};
use polars::prelude::*;

pub(crate) use microscout_formats::row::Cell;

enum ColumnBuilder {
    Text(StringChunkedBuilder),
    Int(Vec<Option<i64>>),
    Bool(Vec<Option<bool>>),
}

/// Accumulates accepted rows of one table: row by row, or as whole tables built elsewhere
/// (the batches of the parallel CSV reader), in the order they come.
pub(crate) struct TableBuilder {
    table: Table,
    columns: Vec<ColumnBuilder>,
    /// Rows in `columns`.
    rows: usize,
    /// Earlier rows, as tables, in order (before those in `columns`).
    frames: Vec<DataFrame>,
    frame_rows: usize,
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
            frames: Vec::new(),
            frame_rows: 0,
        }
    }

    /// Parses the raw values of one row (one entry per schema column, `None` when the
    /// column is absent from the file) into cells. Empty strings are nulls.
    pub(crate) fn parse_row<'a>(
        &self,
        raw: &[Option<&'a str>],
        out: &mut [Cell<'a>],
    ) -> Result<(), microscout_model::reason::RejectReason> {
        microscout_formats::row::validate(self.table, raw, out)
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

    /// Rows appended so far.
    pub(crate) fn rows(&self) -> usize {
        self.rows + self.frame_rows
    }

    /// Appends a table of accepted rows with the canonical columns (after the rows so far).
    pub(crate) fn append(&mut self, frame: DataFrame) {
        if frame.height() == 0 {
            return;
        }
        if self.rows > 0 {
            let pending = std::mem::replace(&mut self.columns, Self::new(self.table).columns);
            self.rows = 0;
            self.frames.push(Self::build(self.table, pending));
        }
        self.frame_rows += frame.height();
        self.frames.push(frame);
    }

    pub(crate) fn finish(self) -> DataFrame {
        let tail = Self::build(self.table, self.columns);
        if self.frames.is_empty() {
            return tail;
        }
        let mut frames = self.frames.into_iter();
        let mut all = frames.next().expect("not empty");
        for f in frames.chain((self.rows > 0).then_some(tail)) {
            all.vstack_mut(&f)
                .expect("tables with the canonical columns stack");
        }
        all.rechunk_mut();
        all
    }

    fn build(table: Table, columns: Vec<ColumnBuilder>) -> DataFrame {
        let cols: Vec<polars::prelude::Column> = columns
            .into_iter()
            .zip(table.columns())
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

/// An empty table with the canonical schema (used when an optional table is absent).
pub(crate) fn empty(table: Table) -> DataFrame {
    TableBuilder::new(table).finish()
}
