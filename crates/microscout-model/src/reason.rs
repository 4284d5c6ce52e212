//! Why an input row was rejected, as data: each reason carries its numbers and names, and
//! is rendered into words in one place ([`std::fmt::Display`]), so that summaries group by
//! [`RejectReason::kind`] instead of matching sentences.

use std::fmt;

use serde::Serialize;

/// What is wrong with one cell value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueProblem {
    /// A count below zero.
    Negative,
    /// A count with a fractional part.
    NotWhole,
    NotANumber,
    /// A count beyond 64 bits.
    TooLarge,
    NotBoolean,
    NotTimestamp,
    /// A Unix time too large to read.
    UnixOutOfRange,
    /// A timestamp before 1970 or after 9999.
    OutsideCalendar,
    UnknownPlatform,
}

/// A cell value that cannot be used: the value as written and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueError {
    pub value: String,
    pub problem: ValueProblem,
}

impl ValueError {
    pub fn new(value: &str, problem: ValueProblem) -> Self {
        ValueError {
            value: value.to_string(),
            problem,
        }
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = &self.value;
        match self.problem {
            ValueProblem::Negative => write!(f, "{v:?} is negative; counts must be 0 or more"),
            ValueProblem::NotWhole => write!(f, "{v:?} is not a whole number"),
            ValueProblem::NotANumber => write!(f, "{v:?} is not a number"),
            ValueProblem::TooLarge => write!(f, "{v:?} is too large"),
            ValueProblem::NotBoolean => {
                write!(f, "{v:?} is not a boolean (true/false, yes/no, 1/0)")
            }
            ValueProblem::NotTimestamp => write!(
                f,
                "{v:?} is not a timestamp (expected RFC 3339, YYYY-MM-DD HH:MM:SS or Unix seconds)"
            ),
            ValueProblem::UnixOutOfRange => write!(f, "{v:?} is out of range as a Unix time"),
            ValueProblem::OutsideCalendar => write!(f, "{v:?} is outside the years 1970 to 9999"),
            ValueProblem::UnknownPlatform => write!(
                f,
                "{v:?} is not a known platform (expected one of: {})",
                crate::Platform::ALL.map(|p| p.as_str()).join(", ")
            ),
        }
    }
}

impl std::error::Error for ValueError {}

/// A limit that stopped reading a file or a record (the `[ingest]` limits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitHit {
    /// A CSV record or NDJSON line longer than `max-record-bytes`.
    Record { limit: u64 },
    /// A native JSON document larger than `max-document-bytes`.
    Document { limit: u64 },
    /// Compressed data expanding past `max-compression-ratio`.
    Ratio {
        compression: &'static str,
        limit: String,
        decompressed_mib: u64,
        compressed_kib: u64,
    },
}

impl fmt::Display for LimitHit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LimitHit::Record { limit } => write!(
                f,
                "a record longer than {limit} bytes ([ingest] max-record-bytes)"
            ),
            LimitHit::Document { limit } => write!(
                f,
                "the document is larger than {limit} bytes ([ingest] max-document-bytes)"
            ),
            LimitHit::Ratio {
                compression,
                limit,
                decompressed_mib,
                compressed_kib,
            } => write!(
                f,
                "the {compression} data expands more than {limit}x ({decompressed_mib} MiB from \
                 {compressed_kib} KiB; [ingest] max-compression-ratio): taken for a \
                 decompression bomb"
            ),
        }
    }
}

impl std::error::Error for LimitHit {}

/// Why a file was not read to its end: the rest of it is one rejected record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// Compressed data (or a file) that ends early or is corrupt.
    Damaged { what: &'static str, detail: String },
    /// A limit was reached part-way.
    Limit(LimitHit),
    /// `max-rejected-per-file` rows of the file were rejected.
    TooManyRejected { rejected: u64 },
    /// A whole native document could not be used: damaged compressed data.
    DocumentDamaged { detail: String },
    /// A whole native document could not be used: it ends before the JSON does.
    DocumentTruncated { detail: String },
    /// A whole native document over a limit.
    DocumentLimit(LimitHit),
    /// A whole XML document that cannot be used: not well-formed, not text microscout reads,
    /// declaring entities, or nested too deep.
    XmlRefused { detail: String },
    /// A whole XML document that ends inside an element.
    XmlTruncated { detail: String },
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopReason::Damaged { what, detail } => write!(
                f,
                "the {what} data ends early or is corrupt ({detail}); the rows before this point were read, the rest of the file is lost"
            ),
            StopReason::Limit(l) => write!(
                f,
                "{l}; the rows before this point were read, the rest of the file was not"
            ),
            StopReason::TooManyRejected { rejected } => write!(
                f,
                "too many rejected rows: {rejected} rows of this file were rejected ([ingest] \
                 max-rejected-per-file), so the rest of the file from here was not read; \
                 check that it is the export you meant and that its delimiter is a comma"
            ),
            StopReason::DocumentDamaged { detail } => write!(
                f,
                "the compressed data ends early or is corrupt ({detail}); nothing in the file could be read"
            ),
            StopReason::DocumentTruncated { detail } => write!(
                f,
                "truncated JSON ({detail}): the file ends before the document does; nothing in it could be used"
            ),
            StopReason::DocumentLimit(l) => write!(f, "{l}; nothing in the file was used"),
            StopReason::XmlRefused { detail } => {
                write!(f, "{detail}; nothing in the file was used")
            }
            StopReason::XmlTruncated { detail } => write!(
                f,
                "truncated XML ({detail}): the file ends before the document does; nothing in it could be used"
            ),
        }
    }
}

/// What kind of row a key check was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    Post,
    Follower,
}

impl RowKind {
    fn as_str(self) -> &'static str {
        match self {
            RowKind::Post => "post",
            RowKind::Follower => "follower",
        }
    }
}

/// Why one input row was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// A value that cannot be used, in a named column.
    BadValue {
        column: &'static str,
        error: ValueError,
    },
    /// A required field that is empty (or absent from an NDJSON record).
    EmptyRequired {
        column: &'static str,
    },
    /// A CSV record with another number of fields than the header.
    FieldCount {
        found: usize,
        expected: usize,
    },
    /// Bytes that are not UTF-8 in a named column (`None`: an ignored column).
    InvalidUtf8InColumn {
        column: Option<&'static str>,
    },
    /// An NDJSON line that is not UTF-8.
    InvalidUtf8,
    /// An NDJSON line cut off mid-record.
    TruncatedJson {
        detail: String,
    },
    /// An NDJSON line that is not JSON.
    NotJson {
        detail: String,
    },
    /// An NDJSON line that is JSON but not an object.
    NotAnObject,
    /// A field holding an array or object instead of a value.
    NestedValue {
        column: &'static str,
    },
    /// Two keys of one record that name the same column.
    CollidingKeys {
        first: String,
        second: String,
        column: &'static str,
    },
    /// An NDJSON line over `max-record-bytes`, skipped.
    RecordTooLong {
        bytes: u64,
        limit: u64,
    },
    DuplicateAccount {
        platform: String,
        account_id: String,
    },
    DuplicatePost {
        platform: String,
        post_id: String,
    },
    DuplicateFollower {
        platform: String,
        account_id: String,
        handle: String,
    },
    /// A post or follower row whose account is not in the accounts table.
    UnknownAccount {
        row: RowKind,
        platform: String,
        account_id: String,
    },
    /// **(microscout)** The same comment of the same post came earlier.
    DuplicateComment {
        platform: String,
        post_id: String,
        comment_id: String,
    },
    /// **(microscout)** A comment on a post that is not in the posts table (an orphan).
    UnknownPost {
        platform: String,
        post_id: String,
    },
    /// **(microscout)** A comment whose `account_id` is not the owner of the post it names.
    CommentAccount {
        platform: String,
        post_id: String,
        account_id: String,
    },
    /// A Parquet value that cannot be read.
    Unreadable {
        detail: String,
    },
    /// The rest of a file that was not read (one record standing for it).
    Stopped(StopReason),
    /// A record a native export's adapter could not map, in the adapter's words.
    Adapter {
        reason: String,
    },
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectReason::BadValue { column, error } => write!(f, "column `{column}`: {error}"),
            RejectReason::EmptyRequired { column } => {
                write!(f, "required field `{column}` is empty")
            }
            RejectReason::FieldCount { found, expected } => write!(
                f,
                "wrong number of fields: {found} where the header has {expected}"
            ),
            RejectReason::InvalidUtf8InColumn { column } => write!(
                f,
                "invalid UTF-8 in column `{}`",
                column.unwrap_or("(an ignored column)")
            ),
            RejectReason::InvalidUtf8 => f.write_str("invalid UTF-8"),
            RejectReason::TruncatedJson { detail } => write!(f, "truncated JSON: {detail}"),
            RejectReason::NotJson { detail } => write!(f, "not valid JSON: {detail}"),
            RejectReason::NotAnObject => {
                f.write_str("not a JSON object: each line must be one {...} record")
            }
            RejectReason::NestedValue { column } => write!(
                f,
                "column `{column}` holds a JSON array or object, not a value"
            ),
            RejectReason::CollidingKeys {
                first,
                second,
                column,
            } => write!(
                f,
                "keys `{first}` and `{second}` both name column `{column}`; rename one"
            ),
            RejectReason::RecordTooLong { bytes, limit } => write!(
                f,
                "record too long: {bytes} bytes, over the limit of {limit} ([ingest] max-record-bytes); the line was skipped"
            ),
            RejectReason::DuplicateAccount {
                platform,
                account_id,
            } => write!(
                f,
                "duplicate account: {platform} account_id `{account_id}` appeared earlier; the first row is kept"
            ),
            RejectReason::DuplicatePost { platform, post_id } => write!(
                f,
                "duplicate post: {platform} post_id `{post_id}` appeared earlier; the first row is kept"
            ),
            RejectReason::DuplicateFollower {
                platform,
                account_id,
                handle,
            } => write!(
                f,
                "duplicate follower: `{handle}` is already in the sample of {platform} account `{account_id}`; the first row is kept"
            ),
            RejectReason::UnknownAccount {
                row,
                platform,
                account_id,
            } => write!(
                f,
                "{} of unknown account: {platform} account_id `{account_id}` is not in the accounts table",
                row.as_str()
            ),
            RejectReason::DuplicateComment {
                platform,
                post_id,
                comment_id,
            } => write!(
                f,
                "duplicate comment: {platform} comment_id `{comment_id}` on post `{post_id}` appeared earlier; the first row is kept"
            ),
            RejectReason::UnknownPost { platform, post_id } => write!(
                f,
                "comment on unknown post: {platform} post_id `{post_id}` is not in the posts table"
            ),
            RejectReason::CommentAccount {
                platform,
                post_id,
                account_id,
            } => write!(
                f,
                "comment of another account's post: {platform} post `{post_id}` does not belong to account_id `{account_id}` (leave account_id empty to take the post's owner)"
            ),
            RejectReason::Unreadable { detail } => write!(f, "unreadable value: {detail}"),
            RejectReason::Stopped(s) => s.fmt(f),
            RejectReason::Adapter { reason } => f.write_str(reason),
        }
    }
}

impl RejectReason {
    /// The kind of rejection, for summaries ("bad value in column `likes`", "duplicate
    /// post", ...): the same for every row rejected for the same kind of fault.
    pub fn kind(&self) -> String {
        match self {
            RejectReason::BadValue { column, .. } => format!("bad value in column `{column}`"),
            RejectReason::EmptyRequired { column } => {
                format!("required field `{column}` is empty")
            }
            RejectReason::FieldCount { .. } => "wrong number of fields".into(),
            RejectReason::InvalidUtf8InColumn { .. } | RejectReason::InvalidUtf8 => {
                "invalid UTF-8".into()
            }
            RejectReason::TruncatedJson { .. } => "truncated JSON".into(),
            RejectReason::NotJson { .. } => "not valid JSON".into(),
            RejectReason::NotAnObject => "not a JSON object".into(),
            RejectReason::NestedValue { column } => {
                format!("array or object in column `{column}`")
            }
            RejectReason::CollidingKeys { column, .. } => {
                format!("two keys for column `{column}`")
            }
            RejectReason::RecordTooLong { .. } => "record too long".into(),
            RejectReason::DuplicateAccount { .. } => "duplicate account".into(),
            RejectReason::DuplicatePost { .. } => "duplicate post".into(),
            RejectReason::DuplicateFollower { .. } => "duplicate follower".into(),
            RejectReason::UnknownAccount { row, .. } => {
                format!("{} of unknown account", row.as_str())
            }
            RejectReason::DuplicateComment { .. } => "duplicate comment".into(),
            RejectReason::UnknownPost { .. } => "comment on unknown post".into(),
            RejectReason::CommentAccount { .. } => "comment of another account's post".into(),
            RejectReason::Unreadable { .. } => "unreadable value".into(),
            RejectReason::Stopped(_) => "rest of a file not read".into(),
            // Adapters say what a record is before the first colon ("a YouTube comment
            // thread: ...").
            RejectReason::Adapter { reason } => reason
                .split(':')
                .next()
                .unwrap_or(reason)
                .trim()
                .to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_render_with_their_numbers_and_group_by_kind() {
        let r = RejectReason::BadValue {
            column: "likes",
            error: ValueError::new("-5", ValueProblem::Negative),
        };
        assert_eq!(
            r.to_string(),
            "column `likes`: \"-5\" is negative; counts must be 0 or more"
        );
        assert_eq!(r.kind(), "bad value in column `likes`");
        let other = RejectReason::BadValue {
            column: "likes",
            error: ValueError::new("many", ValueProblem::NotANumber),
        };
        assert_eq!(other.kind(), r.kind());
        let stop = RejectReason::Stopped(StopReason::TooManyRejected { rejected: 100_000 });
        assert!(
            stop.to_string()
                .contains("100000 rows of this file were rejected")
        );
        let adapter = RejectReason::Adapter {
            reason: "a YouTube comment thread: comments count per video".into(),
        };
        assert_eq!(adapter.kind(), "a YouTube comment thread");
    }
}
