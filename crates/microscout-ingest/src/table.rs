//! Building one validated canonical table from rows of raw cell values.
//!
//! A row is validated whole before anything is appended: it is either accepted into every
//! column or rejected with one reason, so the columns always stay aligned.

use microscout_model::comments::{CommentRow, CommentRows};
use microscout_model::sample::{FollowerRow, FollowerRows};
use microscout_model::schema::{Kind, Table};
use polars::prelude::*;

pub(crate) use microscout_formats::row::Cell;

enum ColumnBuilder {
    Text(StringChunkedBuilder),
    Int(Vec<Option<i64>>),
    Bool(Vec<Option<bool>>),
}

/// The values of a text column (null as empty), in row order.
pub(crate) fn text_column(frame: &DataFrame, name: &str) -> Vec<String> {
    let col = frame
        .column(name)
        .and_then(|c| c.str().cloned())
        .expect("a canonical text column");
    col.iter()
        .map(|v| v.unwrap_or_default().to_string())
        .collect()
}

/// Rows a streamed chunk can hold: it is handed on after the batch that reaches
/// [`crate::quarantine::CHUNK_ROWS`].
pub(crate) const CHUNK_CAPACITY: usize =
    crate::quarantine::CHUNK_ROWS + crate::csv_file::BATCH_ROWS;

/// Accepted rows as a stage hands them on: a polars table with the canonical columns, or
/// (for a follower sample or comments streamed to scoring) the measured rows.
#[derive(Debug)]
pub(crate) enum Rows {
    Frame(DataFrame),
    Followers(FollowerRows),
    Comments(CommentRows),
}

impl Rows {
    pub(crate) fn height(&self) -> usize {
        match self {
            Rows::Frame(f) => f.height(),
            Rows::Followers(f) => f.len(),
            Rows::Comments(c) => c.len(),
        }
    }

    /// Keeps the rows whose entry in `keep` (one per row) is true.
    pub(crate) fn filter(self, keep: &[bool]) -> Rows {
        if keep.iter().all(|k| *k) {
            return self;
        }
        match self {
            Rows::Frame(frame) => {
                let mask: BooleanChunked = keep.iter().copied().collect();
                Rows::Frame(frame.filter(&mask).expect("a mask as long as the table"))
            }
            Rows::Followers(mut f) => {
                f.retain(keep);
                Rows::Followers(f)
            }
            Rows::Comments(mut c) => {
                c.retain(keep);
                Rows::Comments(c)
            }
        }
    }

    /// Comments with their posts' owners as `account_id` (one entry per row; `None` keeps
    /// the row's own value).
    pub(crate) fn with_owners<'a>(self, owners: impl Iterator<Item = Option<&'a str>>) -> Rows {
        let mut frame = match self {
            Rows::Comments(c) => return Rows::Comments(c.with_owners(owners)),
            Rows::Frame(frame) => frame,
            Rows::Followers(_) => unreachable!("comments are a table or measured comment rows"),
        };
        let given = frame
            .column("account_id")
            .and_then(|c| c.str().cloned())
            .expect("the comments table has a text account_id");
        let ids: StringChunked = given
            .iter()
            .zip(owners)
            .map(|(given, owner)| owner.or(given))
            .collect();
        frame
            .with_column(ids.with_name("account_id".into()).into_series().into())
            .expect("a column as long as the table");
        Rows::Frame(frame)
    }

    /// The same rows, marked as the last of their file (for the measured follower rows,
    /// whose consumer settles facts of a whole file then: [`FollowerRows::ends_file`]).
    pub(crate) fn ending_file(self) -> Rows {
        match self {
            Rows::Followers(mut f) => {
                f.ends_file = true;
                Rows::Followers(f)
            }
            other => other,
        }
    }

    /// The polars table; measured rows cannot be one.
    pub(crate) fn into_frame(self, table: Table) -> DataFrame {
        if let Rows::Frame(f) = self {
            return f;
        }
        assert_eq!(self.height(), 0, "measured rows are handed on, not kept");
        empty(table)
    }
}

enum Store {
    Frame {
        columns: Vec<ColumnBuilder>,
        /// Rows in `columns`.
        rows: usize,
        /// Earlier rows, as tables, in order (before those in `columns`).
        frames: Vec<DataFrame>,
        frame_rows: usize,
    },
    Followers(FollowerRows),
    Comments(CommentRows),
}

/// Accumulates accepted rows of one table: row by row, or as whole tables built elsewhere
/// (the batches of the parallel CSV reader), in the order they come.
pub(crate) struct TableBuilder {
    table: Table,
    store: Store,
}

/// Positions of the follower columns that [`FollowerRows`] measures, in the canonical order.
mod follower_col {
    pub(super) const PLATFORM: usize = 0;
    pub(super) const ACCOUNT_ID: usize = 1;
    pub(super) const HANDLE: usize = 2;
    pub(super) const IS_PRIVATE: usize = 4;
    pub(super) const HAS_PROFILE_PIC: usize = 6;
    pub(super) const FOLLOWERS: usize = 7;
    pub(super) const FOLLOWING: usize = 8;
    pub(super) const POSTS: usize = 9;
    pub(super) const BIO: usize = 10;
}

/// Positions of the comment columns that [`CommentRows`] measures, in the canonical order.
mod comment_col {
    pub(super) const PLATFORM: usize = 0;
    pub(super) const ACCOUNT_ID: usize = 1;
    pub(super) const POST_ID: usize = 2;
    pub(super) const HANDLE: usize = 4;
    pub(super) const TEXT: usize = 5;
    pub(super) const COMMENTED_AT: usize = 6;
    pub(super) const LIKES: usize = 7;
}

const _: () = {
    use microscout_model::schema::{
        COMMENTS as COMMENT_SCHEMA, Column, FOLLOWERS as FOLLOWER_SCHEMA,
    };
    const fn is(schema: &[Column], i: usize, name: &str) -> bool {
        let (a, b) = (schema[i].name.as_bytes(), name.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut k = 0;
        while k < a.len() {
            if a[k] != b[k] {
                return false;
            }
            k += 1;
        }
        true
    }
    {
        let s = FOLLOWER_SCHEMA;
        use follower_col::*;
        assert!(is(s, PLATFORM, "platform"));
        assert!(is(s, ACCOUNT_ID, "account_id"));
        assert!(is(s, HANDLE, "follower_handle"));
        assert!(is(s, IS_PRIVATE, "follower_is_private"));
        assert!(is(s, HAS_PROFILE_PIC, "follower_has_profile_pic"));
        assert!(is(s, FOLLOWERS, "follower_followers"));
        assert!(is(s, FOLLOWING, "follower_following"));
        assert!(is(s, POSTS, "follower_posts"));
        assert!(is(s, BIO, "follower_bio"));
    }
    {
        let s = COMMENT_SCHEMA;
        use comment_col::*;
        assert!(is(s, PLATFORM, "platform"));
        assert!(is(s, ACCOUNT_ID, "account_id"));
        assert!(is(s, POST_ID, "post_id"));
        assert!(is(s, HANDLE, "commenter_handle"));
        assert!(is(s, TEXT, "text"));
        assert!(is(s, COMMENTED_AT, "commented_at"));
        assert!(is(s, LIKES, "likes"));
    }
};

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
            store: Store::Frame {
                columns,
                rows: 0,
                frames: Vec::new(),
                frame_rows: 0,
            },
        }
    }

    /// True for a builder of measured rows (follower sample or comments).
    pub(crate) fn measured(&self) -> bool {
        matches!(self.store, Store::Followers(_) | Store::Comments(_))
    }

    /// An empty builder of `table`: of the follower sample's or the comments' measured rows
    /// ([`FollowerRows`], [`CommentRows`]) instead of a polars table when `measured`, with room for `rows`
    /// of them (a chunk's vectors are then allocated once, at the same size every time, so
    /// the allocator hands the last chunk's memory back instead of growing new vectors step
    /// by step and faulting in fresh pages).
    pub(crate) fn of(table: Table, measured: bool, rows: usize) -> Self {
        if !measured {
            return Self::new(table);
        }
        let store = match table {
            Table::Followers => Store::Followers(FollowerRows::with_capacity(rows)),
            Table::Comments => Store::Comments(CommentRows::with_capacity(rows)),
            _ => unreachable!("only followers and comments are measured"),
        };
        Self { table, store }
    }

    /// An empty builder of the same table and kind, with room for a streamed chunk.
    pub(crate) fn empty_like(&self) -> Self {
        Self::of(self.table, self.measured(), CHUNK_CAPACITY)
    }

    /// Hands out the rows so far, leaving the builder empty.
    pub(crate) fn take(&mut self) -> Rows {
        let fresh = self.empty_like();
        std::mem::replace(self, fresh).finish()
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
        match &mut self.store {
            Store::Frame { columns, rows, .. } => {
                for (b, cell) in columns.iter_mut().zip(cells) {
                    match (b, cell) {
                        (ColumnBuilder::Text(b), Cell::Text(s)) => b.append_value(*s),
                        (ColumnBuilder::Text(b), _) => b.append_null(),
                        (ColumnBuilder::Int(v), Cell::Int(i)) => v.push(Some(*i)),
                        (ColumnBuilder::Int(v), _) => v.push(None),
                        (ColumnBuilder::Bool(v), Cell::Bool(x)) => v.push(Some(*x)),
                        (ColumnBuilder::Bool(v), _) => v.push(None),
                    }
                }
                *rows += 1;
            }
            Store::Followers(f) => {
                use follower_col::*;
                let count = |i: usize| match cells[i] {
                    Cell::Int(v) => Some(v.max(0) as u64),
                    _ => None,
                };
                let flag = |i: usize| match cells[i] {
                    Cell::Bool(b) => Some(b),
                    _ => None,
                };
                let text = |i: usize| cells[i].text();
                f.push(FollowerRow {
                    platform: text(PLATFORM).unwrap_or_default(),
                    account_id: text(ACCOUNT_ID).unwrap_or_default(),
                    handle: text(HANDLE).unwrap_or_default(),
                    posts: count(POSTS),
                    followers: count(FOLLOWERS),
                    following: count(FOLLOWING),
                    has_profile_pic: flag(HAS_PROFILE_PIC),
                    is_private: flag(IS_PRIVATE),
                    bio: text(BIO),
                });
            }
            Store::Comments(c) => {
                use comment_col::*;
                let text = |i: usize| cells[i].text();
                let int = |i: usize| match cells[i] {
                    Cell::Int(v) => Some(v),
                    _ => None,
                };
                c.push(CommentRow {
                    platform: text(PLATFORM).unwrap_or_default(),
                    account_id: text(ACCOUNT_ID).unwrap_or_default(),
                    post_id: text(POST_ID).unwrap_or_default(),
                    handle: text(HANDLE),
                    text: text(TEXT),
                    commented_at: int(COMMENTED_AT),
                    likes: int(LIKES),
                });
            }
        }
    }

    /// Rows appended so far.
    pub(crate) fn rows(&self) -> usize {
        match &self.store {
            Store::Frame {
                rows, frame_rows, ..
            } => rows + frame_rows,
            Store::Followers(f) => f.len(),
            Store::Comments(c) => c.len(),
        }
    }

    /// Appends rows built elsewhere by a builder of the same kind (after the rows so far).
    pub(crate) fn append(&mut self, part: Rows) {
        if part.height() == 0 {
            return;
        }
        match (&mut self.store, part) {
            (
                Store::Frame {
                    columns,
                    rows,
                    frames,
                    frame_rows,
                },
                Rows::Frame(frame),
            ) => {
                if *rows > 0 {
                    let pending = std::mem::replace(columns, Self::new(self.table).columns());
                    *rows = 0;
                    frames.push(Self::build(self.table, pending));
                }
                *frame_rows += frame.height();
                frames.push(frame);
            }
            (Store::Followers(f), Rows::Followers(part)) => f.append(part),
            (Store::Comments(c), Rows::Comments(part)) => c.append(part),
            _ => unreachable!("parts come from a builder of the same kind"),
        }
    }

    fn columns(self) -> Vec<ColumnBuilder> {
        match self.store {
            Store::Frame { columns, .. } => columns,
            Store::Followers(_) | Store::Comments(_) => unreachable!("a table builder"),
        }
    }

    pub(crate) fn finish(self) -> Rows {
        let table = self.table;
        match self.store {
            Store::Followers(f) => Rows::Followers(f),
            Store::Comments(c) => Rows::Comments(c),
            Store::Frame {
                columns,
                rows,
                frames,
                ..
            } => {
                let tail = Self::build(table, columns);
                if frames.is_empty() {
                    return Rows::Frame(tail);
                }
                let mut frames = frames.into_iter();
                let mut all = frames.next().expect("not empty");
                for f in frames.chain((rows > 0).then_some(tail)) {
                    all.vstack_mut(&f)
                        .expect("tables with the canonical columns stack");
                }
                all.rechunk_mut();
                Rows::Frame(all)
            }
        }
    }

    /// The polars table of the rows (a builder of measured rows must be empty).
    pub(crate) fn finish_frame(self) -> DataFrame {
        let table = self.table;
        self.finish().into_frame(table)
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
    TableBuilder::new(table).finish_frame()
}
