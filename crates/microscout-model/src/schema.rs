//! The canonical tables of the data contract (`../shared/spec/data-contract.md`, restated in
//! `docs/data-contract.md`).
//!
//! Column names are matched case- and space-insensitively by ingestion. In the validated
//! tables that ingestion produces, each column has the type given by its [`Kind`]:
//! strings are UTF-8, counts are `u64` stored as `Int64`, booleans are `Boolean`, and
//! timestamps are `Int64` Unix seconds (UTC). An optional column missing from the input is
//! present and all-null in the validated table, so scoring never has to check for it.

/// What a column holds and how a raw value is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text, kept as is.
    Text,
    /// One of the contract's platforms (`instagram`, ...), lower-cased.
    Platform,
    /// An integer >= 0. Thousands separators and a trailing `.0` are accepted; anything
    /// else (negative, fractional, words) rejects the row.
    Count,
    /// `true/false/1/0/yes/no/y/n/t/f` in any case.
    Bool,
    /// RFC 3339, `YYYY-MM-DD HH:MM:SS` (UTC), `YYYY-MM-DD`, or Unix seconds.
    Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

const fn req(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        required: true,
    }
}
const fn opt(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        required: false,
    }
}

/// The tables of a drop, in the order they are read: a post names its account, a comment
/// its post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    Accounts,
    Posts,
    Followers,
    /// **(microscout)** Comments on posts of the drop; optional.
    Comments,
}

impl Table {
    pub const ALL: [Table; 4] = [
        Table::Accounts,
        Table::Posts,
        Table::Followers,
        Table::Comments,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Accounts => "accounts",
            Table::Posts => "posts",
            Table::Followers => "followers",
            Table::Comments => "comments",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Table::Accounts => ACCOUNTS,
            Table::Posts => POSTS,
            Table::Followers => FOLLOWERS,
            Table::Comments => COMMENTS,
        }
    }

    pub fn column(self, name: &str) -> Option<&'static Column> {
        self.columns().iter().find(|c| c.name == name)
    }

    /// Whether a (lower-cased) file name belongs to this table: `accounts.csv`,
    /// `posts-0001.csv.gz`, `followers_2.parquet`, ...
    pub fn from_file_stem(stem: &str) -> Option<Table> {
        let stem = stem.to_ascii_lowercase();
        Table::ALL.into_iter().find(|t| {
            stem == t.name()
                || stem
                    .strip_prefix(t.name())
                    .is_some_and(|rest| rest.starts_with(['-', '_', '.']))
        })
    }
}

impl std::fmt::Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

pub const ACCOUNTS: &[Column] = &[
    req("platform", Kind::Platform),
    req("account_id", Kind::Text),
    req("handle", Kind::Text),
    opt("display_name", Kind::Text),
    opt("bio", Kind::Text),
    req("followers", Kind::Count),
    opt("following", Kind::Count),
    opt("posts_count", Kind::Count),
    opt("is_verified", Kind::Bool),
    opt("is_private", Kind::Bool),
    opt("is_business", Kind::Bool),
    opt("category", Kind::Text),
    opt("external_url", Kind::Text),
    opt("public_email", Kind::Text),
    opt("snapshot_at", Kind::Timestamp),
];

pub const POSTS: &[Column] = &[
    req("platform", Kind::Platform),
    req("account_id", Kind::Text),
    req("post_id", Kind::Text),
    req("posted_at", Kind::Timestamp),
    opt("likes", Kind::Count),
    opt("comments", Kind::Count),
    opt("views", Kind::Count),
    opt("caption", Kind::Text),
    opt("media_type", Kind::Text),
    opt("shares", Kind::Count),
    opt("saves", Kind::Count),
];

pub const FOLLOWERS: &[Column] = &[
    req("platform", Kind::Platform),
    req("account_id", Kind::Text),
    req("follower_handle", Kind::Text),
    opt("follower_full_name", Kind::Text),
    opt("follower_is_private", Kind::Bool),
    opt("follower_is_verified", Kind::Bool),
    opt("follower_has_profile_pic", Kind::Bool),
    opt("follower_followers", Kind::Count),
    opt("follower_following", Kind::Count),
    opt("follower_posts", Kind::Count),
    opt("follower_bio", Kind::Text),
    opt("follower_external_url", Kind::Text),
];

/// **(microscout)** One row per comment on a post of the drop. The post's owner is found
/// through `post_id`: `account_id` may be left empty (native comment exports rarely name
/// it), and a value that is not the post's owner rejects the row. In the validated table
/// `account_id` is always the post's owner.
pub const COMMENTS: &[Column] = &[
    req("platform", Kind::Platform),
    opt("account_id", Kind::Text),
    req("post_id", Kind::Text),
    req("comment_id", Kind::Text),
    opt("commenter_handle", Kind::Text),
    opt("text", Kind::Text),
    opt("commented_at", Kind::Timestamp),
    opt("likes", Kind::Count),
    opt("reply_to", Kind::Text),
];

/// Normalises a header cell for matching: trimmed, lower-cased, inner spaces and dashes as
/// `_` ("Account ID" -> "account_id").
pub fn normalise_header(h: &str) -> String {
    let h = h.trim().trim_start_matches('\u{feff}').trim();
    let mut out = String::with_capacity(h.len());
    for ch in h.chars() {
        if ch.is_whitespace() || ch == '-' {
            if !out.ends_with('_') {
                out.push('_');
            }
        } else {
            out.extend(ch.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_map_to_tables() {
        assert_eq!(Table::from_file_stem("accounts"), Some(Table::Accounts));
        assert_eq!(Table::from_file_stem("Posts-0001"), Some(Table::Posts));
        assert_eq!(Table::from_file_stem("followers_2"), Some(Table::Followers));
        assert_eq!(Table::from_file_stem("comments-01"), Some(Table::Comments));
        assert_eq!(Table::from_file_stem("postscript"), None);
        assert_eq!(Table::from_file_stem("truth"), None);
    }

    #[test]
    fn headers_normalise() {
        assert_eq!(normalise_header(" Account ID "), "account_id");
        assert_eq!(normalise_header("\u{feff}platform"), "platform");
        assert_eq!(normalise_header("POSTED-AT"), "posted_at");
    }
}
