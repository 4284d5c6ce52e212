//! Validating one row of raw cell values against a canonical table's columns.

use microscout_model::reason::RejectReason;
use microscout_model::schema::{Column, Kind, Table};

use crate::value::{parse_bool, parse_count, parse_platform, parse_timestamp};

/// A parsed cell, borrowed from the raw row where it is text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Null,
    Text(&'a str),
    Int(i64),
    Bool(bool),
}

impl<'a> Cell<'a> {
    pub fn text(self) -> Option<&'a str> {
        match self {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// Parses the raw values of one row (one per column of `table`, `None` where the column is
/// absent) into `out` (at least as long as `raw`). Empty strings are nulls; the first bad value rejects the row, with
/// the column named.
pub fn validate<'a>(
    table: Table,
    raw: &[Option<&'a str>],
    out: &mut [Cell<'a>],
) -> Result<(), RejectReason> {
    // A blog's follower count may be empty: the one requirement that depends on the row.
    let blog = table == Table::Accounts && is_blog(raw);
    for ((col, value), out) in table.columns().iter().zip(raw).zip(out) {
        let required = col.required && !(blog && col.name == "followers");
        *out = parse_cell(col, required, *value)?;
    }
    Ok(())
}

/// Whether an accounts row is a blog's: the one account whose follower count may be empty
/// (no blog export carries one; unavailable, never 0).
fn is_blog(raw: &[Option<&str>]) -> bool {
    raw.first()
        .copied()
        .flatten()
        .is_some_and(|p| parse_platform(p) == Ok(microscout_model::Platform::Blog))
}

/// Most columns a canonical table has, so that a row's values fit a fixed array
/// (`[Cell::Null; MAX_COLUMNS]`) instead of a new vector per row.
pub const MAX_COLUMNS: usize = 32;

const _: () = {
    assert!(microscout_model::schema::ACCOUNTS.len() <= MAX_COLUMNS);
    assert!(microscout_model::schema::POSTS.len() <= MAX_COLUMNS);
    assert!(microscout_model::schema::FOLLOWERS.len() <= MAX_COLUMNS);
    assert!(microscout_model::schema::COMMENTS.len() <= MAX_COLUMNS);
};

fn parse_cell<'a>(
    col: &Column,
    required: bool,
    value: Option<&'a str>,
) -> Result<Cell<'a>, RejectReason> {
    let value = value.map(crate::value::trim).filter(|v| !v.is_empty());
    let Some(v) = value else {
        if required {
            return Err(RejectReason::EmptyRequired { column: col.name });
        }
        return Ok(Cell::Null);
    };
    let wrap = |error| RejectReason::BadValue {
        column: col.name,
        error,
    };
    Ok(match col.kind {
        Kind::Text => Cell::Text(v),
        Kind::Platform => Cell::Text(parse_platform(v).map_err(wrap)?.as_str()),
        Kind::Count => Cell::Int(parse_count(v).map_err(wrap)?),
        Kind::Timestamp => Cell::Int(parse_timestamp(v).map_err(wrap)?),
        Kind::Bool => Cell::Bool(parse_bool(v).map_err(wrap)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_blog_may_leave_its_follower_count_empty() {
        let mut out = [Cell::Null; MAX_COLUMNS];
        let row = |platform: &'static str, followers: Option<&'static str>| {
            let mut raw: Vec<Option<&str>> = vec![None; Table::Accounts.columns().len()];
            let at = |name: &str| {
                Table::Accounts
                    .columns()
                    .iter()
                    .position(|c| c.name == name)
                    .unwrap()
            };
            raw[at("platform")] = Some(platform);
            raw[at("account_id")] = Some("a1");
            raw[at("handle")] = Some("h");
            raw[at("followers")] = followers;
            raw
        };
        assert_eq!(
            validate(Table::Accounts, &row("Blog", None), &mut out),
            Ok(())
        );
        assert_eq!(
            validate(Table::Accounts, &row("blog", Some("1200")), &mut out),
            Ok(())
        );
        assert_eq!(
            validate(Table::Accounts, &row("instagram", Some(" ")), &mut out),
            Err(RejectReason::EmptyRequired {
                column: "followers"
            })
        );
        // A bad count is bad on a blog too.
        assert!(validate(Table::Accounts, &row("blog", Some("-3")), &mut out).is_err());
    }
}
