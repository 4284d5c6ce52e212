//! **(microscout)** What the comments on an account's recent posts show, as measured by
//! microscout-score's `comments` module (where each number's formula is documented).

use serde::{Deserialize, Serialize};

use crate::Provenance;

/// The comment evidence of one account. The shares are over the comments on the account's
/// recent posts (`recent`), and None when it has none (the provenance says why).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentEvidence {
    /// Comments of the account in the drop's comments table, on any of its posts. Unit:
    /// comments.
    pub read: u64,
    /// Of those, the comments on the account's recent posts. Unit: comments.
    pub recent: u64,
    /// Distinct commenter handles among the recent comments. Unit: accounts.
    pub commenters: u64,
    /// Generic comments (emoji only, very short, stock praise) among the recent comments
    /// with text. Unit: fraction.
    pub generic_share: Option<f64>,
    /// Recent comments with text that the comment-spam classifier labels spam. Unit:
    /// fraction.
    pub spam_share: Option<f64>,
    /// Recent comments written by the account's three most frequent commenters. Unit:
    /// fraction.
    pub top_commenters_share: Option<f64>,
    /// Recent comments whose text (normalised) the account had already received. Unit:
    /// fraction.
    pub repeated_share: Option<f64>,
    /// Recent comments whose text (normalised, not generic) also appears on at least
    /// [`SHARED_TEXT_ACCOUNTS`] other accounts of the drop. Unit: fraction.
    pub shared_share: Option<f64>,
    /// Recent comments by handles that comment on at least [`FARM_ACCOUNTS`] accounts of the
    /// drop (bots, farms, pods) / recent comments with a known commenter. Unit: fraction.
    #[serde(default)]
    pub farm_share: Option<f64>,
    /// Recent comments written within ten minutes of their post, among those whose time is
    /// known. Unit: fraction.
    pub fast_share: Option<f64>,
    /// Recent comments with text that share a subject word with their post's caption,
    /// among those on posts whose caption has one. Unit: fraction.
    #[serde(default)]
    pub on_topic_share: Option<f64>,
    /// The other members of the engagement pod the account is in (handles), empty when it is
    /// in none (microscout-score's `comments::CommentEvidenceByAccount::find_pods`).
    #[serde(default)]
    pub pod_partners: Vec<String>,
    /// Recent comments written by its pod partners / recent comments; None outside a pod.
    /// Unit: fraction.
    #[serde(default)]
    pub pod_share: Option<f64>,
    /// Up to three recent comments with text, as written (cut to 200 characters): the
    /// most liked ones that are neither generic nor spam first.
    pub quotes: Vec<String>,
    pub provenance: Provenance,
}

/// Accounts of the drop a commenter must comment on to count towards `farm_share`.
pub const FARM_ACCOUNTS: u32 = 5;

/// Other accounts of the drop on which a comment's text must also appear to count as shared
/// across the drop.
pub const SHARED_TEXT_ACCOUNTS: u32 = 2;

impl CommentEvidence {
    /// An account without comments in the drop (or none on its recent posts).
    pub fn unavailable(read: u64, reason: crate::evidence::Unavailable) -> Self {
        Self {
            read,
            recent: 0,
            commenters: 0,
            generic_share: None,
            spam_share: None,
            top_commenters_share: None,
            repeated_share: None,
            shared_share: None,
            farm_share: None,
            fast_share: None,
            on_topic_share: None,
            pod_partners: Vec::new(),
            pod_share: None,
            quotes: Vec::new(),
            provenance: Provenance::unavailable(reason),
        }
    }
}

/// The fingerprint a comment finds its post by: XXH3 of the platform and the post id (each
/// preceded by its length), unique as the pair is in a drop's posts table.
pub fn post_fingerprint(platform: &str, post_id: &str) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [platform, post_id] {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.digest()
}

/// Validated comments as scoring reads them, column by column (every vector one entry per
/// row), never built into a table: each row's account (its post's owner, as ingestion gives
/// it) in runs, its post's [`post_fingerprint`], its commenter's
/// [`crate::sample::handle_fingerprint`], its text (None when empty or only white space),
/// time and likes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommentRows {
    pub accounts: Vec<crate::sample::AccountRun>,
    pub post: Vec<u64>,
    pub handle_fp: Vec<Option<u64>>,
    /// `commented_at`. Unit: Unix seconds.
    pub commented_at: Vec<Option<i64>>,
    /// `likes`. Unit: likes.
    pub likes: Vec<Option<i64>>,
    /// The texts one after the other; row `i`'s is `text[text_ends[i-1]..text_ends[i]]`.
    text: String,
    text_ends: Vec<usize>,
    /// Whether row `i` has a text (an empty one is absent).
    has_text: Vec<bool>,
}

/// One comment row's values, as [`CommentRows::push`] takes them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CommentRow<'a> {
    pub platform: &'a str,
    pub account_id: &'a str,
    pub post_id: &'a str,
    pub handle: Option<&'a str>,
    pub text: Option<&'a str>,
    pub commented_at: Option<i64>,
    pub likes: Option<i64>,
}

impl CommentRows {
    /// Empty, with room for `rows` rows.
    pub fn with_capacity(rows: usize) -> Self {
        Self {
            accounts: Vec::new(),
            post: Vec::with_capacity(rows),
            handle_fp: Vec::with_capacity(rows),
            commented_at: Vec::with_capacity(rows),
            likes: Vec::with_capacity(rows),
            text: String::new(),
            text_ends: Vec::with_capacity(rows),
            has_text: Vec::with_capacity(rows),
        }
    }

    /// Rows held. Unit: comments.
    pub fn len(&self) -> usize {
        self.post.len()
    }

    pub fn is_empty(&self) -> bool {
        self.post.is_empty()
    }

    /// Appends one row.
    pub fn push(&mut self, row: CommentRow<'_>) {
        crate::sample::add_to_runs(&mut self.accounts, row.platform, row.account_id, 1);
        self.post.push(post_fingerprint(row.platform, row.post_id));
        self.handle_fp
            .push(row.handle.and_then(crate::sample::handle_fingerprint));
        self.commented_at.push(row.commented_at);
        self.likes.push(row.likes);
        let text = row.text.filter(|t| !t.trim().is_empty());
        self.text.push_str(text.unwrap_or_default());
        self.text_ends.push(self.text.len());
        self.has_text.push(text.is_some());
    }

    /// Row `i`'s text; None when it has none.
    pub fn text(&self, i: usize) -> Option<&str> {
        if !self.has_text[i] {
            return None;
        }
        let start = if i == 0 { 0 } else { self.text_ends[i - 1] };
        Some(&self.text[start..self.text_ends[i]])
    }

    /// The account of each row, in order.
    pub fn row_accounts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.accounts
            .iter()
            .flat_map(|r| std::iter::repeat_n((r.platform.as_str(), r.account_id.as_str()), r.rows))
    }

    /// Appends `other`'s rows after these (a run continued across the seam stays one run).
    pub fn append(&mut self, other: CommentRows) {
        let offset = self.text.len();
        for run in other.accounts {
            crate::sample::add_run(&mut self.accounts, run);
        }
        self.post.extend(other.post);
        self.handle_fp.extend(other.handle_fp);
        self.commented_at.extend(other.commented_at);
        self.likes.extend(other.likes);
        self.text.push_str(&other.text);
        self.text_ends
            .extend(other.text_ends.into_iter().map(|e| e + offset));
        self.has_text.extend(other.has_text);
    }

    /// Keeps the rows whose entry in `keep` (one per row) is true.
    pub fn retain(&mut self, keep: &[bool]) {
        assert_eq!(keep.len(), self.len(), "one entry per row");
        crate::sample::retain_runs(&mut self.accounts, keep);
        use crate::sample::column;
        column(&mut self.post, keep);
        column(&mut self.handle_fp, keep);
        column(&mut self.commented_at, keep);
        column(&mut self.likes, keep);
        let mut text = String::with_capacity(self.text.len());
        let mut ends = Vec::with_capacity(self.text_ends.len());
        let mut start = 0;
        for (end, k) in self.text_ends.iter().zip(keep) {
            if *k {
                text.push_str(&self.text[start..*end]);
                ends.push(text.len());
            }
            start = *end;
        }
        self.text = text;
        self.text_ends = ends;
        column(&mut self.has_text, keep);
    }

    /// The same rows with each one's account replaced by `owners` (one entry per row; None
    /// keeps the row's own).
    pub fn with_owners<'a>(mut self, owners: impl Iterator<Item = Option<&'a str>>) -> Self {
        let given: Vec<crate::sample::AccountRun> = std::mem::take(&mut self.accounts);
        let mut runs = Vec::with_capacity(given.len());
        let mut owners = owners;
        for run in &given {
            for _ in 0..run.rows {
                let id = owners
                    .next()
                    .expect("one owner per row")
                    .unwrap_or(&run.account_id);
                crate::sample::add_to_runs(&mut runs, &run.platform, id, 1);
            }
        }
        self.accounts = runs;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(account: &'a str, post: &'a str, text: Option<&'a str>) -> CommentRow<'a> {
        CommentRow {
            platform: "instagram",
            account_id: account,
            post_id: post,
            handle: Some("@Fan"),
            text,
            commented_at: Some(5),
            likes: None,
        }
    }

    #[test]
    fn rows_keep_texts_runs_and_owners_through_append_and_retain() {
        let mut a = CommentRows::with_capacity(4);
        a.push(row("", "p1", Some("first")));
        a.push(row("", "p1", Some("  ")));
        let mut b = CommentRows::with_capacity(4);
        b.push(row("", "p2", None));
        b.push(row("", "p3", Some("last ❤️")));
        a.append(b);
        assert_eq!(a.len(), 4);
        let texts: Vec<_> = (0..4).map(|i| a.text(i)).collect();
        assert_eq!(texts, [Some("first"), None, None, Some("last ❤️")]);
        assert_eq!(a.handle_fp[0], crate::sample::handle_fingerprint("fan"));
        assert_eq!(a.post[3], post_fingerprint("instagram", "p3"));
        let a = a.with_owners([Some("1"), Some("1"), None, Some("2")].into_iter());
        let accounts: Vec<_> = a.row_accounts().map(|(_, id)| id).collect();
        assert_eq!(accounts, ["1", "1", "", "2"]);
        assert_eq!(a.accounts.len(), 3);
        let mut a = a;
        a.retain(&[false, true, false, true]);
        assert_eq!(a.len(), 2);
        assert_eq!((a.text(0), a.text(1)), (None, Some("last ❤️")));
        let accounts: Vec<_> = a.row_accounts().map(|(_, id)| id).collect();
        assert_eq!(accounts, ["1", "2"]);
        assert_eq!(a.post, [post_fingerprint("instagram", "p1"), a.post[1]]);
    }
}
