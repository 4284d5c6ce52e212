//! The follower sample as scoring reads it: validated rows of the `followers` table with
//! each column reduced to what is measured of it.
//!
//! A sampled follower is only labelled by the follower classifier and counted for its
//! account, so the rows that ingestion hands on while a drop is read ([`FollowerRows`]) carry
//! the counts and flags as numbers and the text columns as their measures: the handle's
//! characters and digits ([`handle_shape`]) and the bio's characters. Nothing else of a
//! follower is read by scoring. Rows of one account that follow each other are one
//! [`AccountRun`], so the account's key is held once per run, not once per row.

/// Consecutive rows naming the same account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRun {
    pub platform: String,
    pub account_id: String,
    /// Rows in the run. Unit: rows (followers, or comments for [`crate::comments::CommentRows`]).
    pub rows: usize,
}

/// The last of `runs` when it is the account's: rows of it that come next join it.
fn run_of<'r>(
    runs: &'r mut [AccountRun],
    platform: &str,
    account_id: &str,
) -> Option<&'r mut AccountRun> {
    runs.last_mut().filter(|run| {
        crate::text::same_key(&run.account_id, account_id)
            && crate::text::same_key(&run.platform, platform)
    })
}

/// Adds `rows` rows of an account after the rows of `runs`.
pub(crate) fn add_to_runs(
    runs: &mut Vec<AccountRun>,
    platform: &str,
    account_id: &str,
    rows: usize,
) {
    match run_of(runs, platform, account_id) {
        Some(run) => run.rows += rows,
        None => runs.push(AccountRun {
            platform: platform.to_string(),
            account_id: account_id.to_string(),
            rows,
        }),
    }
}

/// Adds a run after `runs` (joining the last one when it is the same account's).
pub(crate) fn add_run(runs: &mut Vec<AccountRun>, run: AccountRun) {
    match run_of(runs, &run.platform, &run.account_id) {
        Some(last) => last.rows += run.rows,
        None => runs.push(run),
    }
}

/// Keeps the rows whose entry in `keep` is true, in the runs (one entry of `keep` per row
/// of the runs).
pub(crate) fn retain_runs(runs: &mut Vec<AccountRun>, keep: &[bool]) {
    let mut start = 0;
    let mut kept_runs = Vec::with_capacity(runs.len());
    for mut run in std::mem::take(runs) {
        let kept = keep[start..start + run.rows].iter().filter(|k| **k).count();
        start += run.rows;
        if kept > 0 {
            run.rows = kept;
            add_run(&mut kept_runs, run);
        }
    }
    *runs = kept_runs;
}

/// Keeps the entries of a column whose entry in `keep` (one per row) is true.
pub(crate) fn column<T>(v: &mut Vec<T>, keep: &[bool]) {
    let mut k = keep.iter();
    v.retain(|_| *k.next().expect("one entry per row"));
}

/// Characters and ASCII digits of a follower handle, after trimming white space and any
/// leading `@`; `None` for a handle that is then empty.
pub fn handle_shape(handle: &str) -> Option<(u64, u64)> {
    shape(trim_handle(handle))
}

/// A handle without white space around it and without leading `@`.
fn trim_handle(handle: &str) -> &str {
    handle.trim().trim_start_matches('@')
}

/// [`handle_shape`] of a trimmed handle.
fn shape(h: &str) -> Option<(u64, u64)> {
    if h.is_empty() {
        return None;
    }
    let (mut chars, mut digits) = (0u64, 0u64);
    for c in h.chars() {
        chars += 1;
        digits += u64::from(c.is_ascii_digit());
    }
    Some((chars, digits))
}

/// The fingerprint of a handle as followers, commenters and accounts are matched across the
/// drop: XXH3-64 of the handle without white space around it or leading `@`, in lower case
/// (Unicode; handles are case-insensitive on every platform); None for a handle that is then empty.
/// Two different handles share a fingerprint with a chance of about one in 2^64 per pair.
pub fn handle_fingerprint(handle: &str) -> Option<u64> {
    fingerprint(trim_handle(handle))
}

/// [`handle_fingerprint`] of a trimmed handle.
fn fingerprint(h: &str) -> Option<u64> {
    if h.is_empty() {
        None
    } else if !h.is_ascii() {
        Some(xxhash_rust::xxh3::xxh3_64(h.to_lowercase().as_bytes()))
    } else if h.bytes().any(|b| b.is_ascii_uppercase()) {
        Some(xxhash_rust::xxh3::xxh3_64(
            h.to_ascii_lowercase().as_bytes(),
        ))
    } else {
        Some(xxhash_rust::xxh3::xxh3_64(h.as_bytes()))
    }
}

/// Validated follower rows, column by column (every vector is one entry per row). A
/// missing value is `None`: a count or flag the export does not carry, an empty bio.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FollowerRows {
    pub accounts: Vec<AccountRun>,
    /// `follower_posts`. Unit: posts.
    pub posts: Vec<Option<u64>>,
    /// `follower_followers`. Unit: accounts.
    pub followers: Vec<Option<u64>>,
    /// `follower_following`. Unit: accounts.
    pub following: Vec<Option<u64>>,
    pub has_profile_pic: Vec<Option<bool>>,
    pub is_private: Vec<Option<bool>>,
    /// Characters in `follower_bio`; `None` when it is absent (ingestion reads an empty
    /// bio as absent). Unit: characters.
    pub bio_chars: Vec<Option<u64>>,
    /// [`handle_shape`] of `follower_handle`.
    pub handle: Vec<Option<(u64, u64)>>,
    /// [`handle_fingerprint`] of `follower_handle`, for the overlap of samples across the
    /// drop; None for an empty handle.
    pub handle_fp: Vec<Option<u64>>,
    /// True when these are the last rows of their file (ingestion sets it on the rows it
    /// hands on after reading a file to its end; rows of two files are never in one value).
    /// Facts of a whole file are settled then: whether the export carries bios at all.
    pub ends_file: bool,
}

/// One follower row's values, as [`FollowerRows::push`] takes them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FollowerRow<'a> {
    pub platform: &'a str,
    pub account_id: &'a str,
    pub handle: &'a str,
    pub posts: Option<u64>,
    pub followers: Option<u64>,
    pub following: Option<u64>,
    pub has_profile_pic: Option<bool>,
    pub is_private: Option<bool>,
    pub bio: Option<&'a str>,
}

impl FollowerRows {
    /// Empty, with room for `rows` rows.
    pub fn with_capacity(rows: usize) -> Self {
        Self {
            accounts: Vec::new(),
            posts: Vec::with_capacity(rows),
            followers: Vec::with_capacity(rows),
            following: Vec::with_capacity(rows),
            has_profile_pic: Vec::with_capacity(rows),
            is_private: Vec::with_capacity(rows),
            bio_chars: Vec::with_capacity(rows),
            handle: Vec::with_capacity(rows),
            handle_fp: Vec::with_capacity(rows),
            ends_file: false,
        }
    }

    /// Rows held. Unit: followers.
    pub fn len(&self) -> usize {
        self.posts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.posts.is_empty()
    }

    /// Appends one row.
    pub fn push(&mut self, row: FollowerRow<'_>) {
        self.add_to_run(row.platform, row.account_id, 1);
        self.posts.push(row.posts);
        self.followers.push(row.followers);
        self.following.push(row.following);
        self.has_profile_pic.push(row.has_profile_pic);
        self.is_private.push(row.is_private);
        self.bio_chars
            .push(row.bio.map(|b| b.chars().count() as u64));
        let handle = trim_handle(row.handle);
        self.handle.push(shape(handle));
        self.handle_fp.push(fingerprint(handle));
    }

    fn add_to_run(&mut self, platform: &str, account_id: &str, rows: usize) {
        add_to_runs(&mut self.accounts, platform, account_id, rows);
    }

    /// Appends `other`'s rows after these (a run continued across the seam stays one run);
    /// the result ends its file when `other` does.
    pub fn append(&mut self, other: FollowerRows) {
        let FollowerRows {
            accounts,
            posts,
            followers,
            following,
            has_profile_pic,
            is_private,
            bio_chars,
            handle,
            handle_fp,
            ends_file,
        } = other;
        self.ends_file = ends_file;
        for run in accounts {
            add_run(&mut self.accounts, run);
        }
        self.posts.extend(posts);
        self.followers.extend(followers);
        self.following.extend(following);
        self.has_profile_pic.extend(has_profile_pic);
        self.is_private.extend(is_private);
        self.bio_chars.extend(bio_chars);
        self.handle.extend(handle);
        self.handle_fp.extend(handle_fp);
    }

    /// Keeps the rows whose entry in `keep` is true (`keep` has one entry per row).
    pub fn retain(&mut self, keep: &[bool]) {
        assert_eq!(keep.len(), self.len(), "one entry per row");
        retain_runs(&mut self.accounts, keep);
        column(&mut self.posts, keep);
        column(&mut self.followers, keep);
        column(&mut self.following, keep);
        column(&mut self.has_profile_pic, keep);
        column(&mut self.is_private, keep);
        column(&mut self.bio_chars, keep);
        column(&mut self.handle, keep);
        column(&mut self.handle_fp, keep);
    }

    /// True when some row has a bio (`Some` length; ingestion reads an empty cell as no bio,
    /// so from a drop this means a non-empty one).
    pub fn any_bio(&self) -> bool {
        self.bio_chars.iter().any(Option::is_some)
    }

    /// The rows' accounts, one entry per row, in order.
    pub fn row_accounts(&self) -> impl Iterator<Item = &AccountRun> + '_ {
        self.accounts
            .iter()
            .flat_map(|run| std::iter::repeat_n(run, run.rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(account_id: &'a str, handle: &'a str, posts: u64) -> FollowerRow<'a> {
        FollowerRow {
            platform: "instagram",
            account_id,
            handle,
            posts: Some(posts),
            ..Default::default()
        }
    }

    fn runs(rows: &FollowerRows) -> Vec<(&str, usize)> {
        rows.accounts
            .iter()
            .map(|r| (r.account_id.as_str(), r.rows))
            .collect()
    }

    #[test]
    fn handles_are_measured_after_trimming_and_at_signs() {
        assert_eq!(handle_shape("  @@anna_2024 "), Some((9, 4)));
        assert_eq!(handle_shape("jürgen"), Some((6, 0)));
        assert_eq!(handle_shape(" @ "), None);
        assert_eq!(handle_shape(""), None);
        assert_eq!(
            handle_fingerprint(" @Anna_2024"),
            handle_fingerprint("anna_2024")
        );
        assert_eq!(handle_fingerprint("Åsa.K"), handle_fingerprint("åsa.k"));
        assert_ne!(
            handle_fingerprint("anna_2024"),
            handle_fingerprint("anna_2025")
        );
        assert_eq!(handle_fingerprint(" @ "), None);
    }

    #[test]
    fn rows_of_one_account_in_a_row_are_one_run_across_appends_and_filters() {
        let mut a = FollowerRows::default();
        for (acc, h, p) in [("1", "x", 1), ("1", "y", 2), ("2", "z", 3)] {
            a.push(row(acc, h, p));
        }
        let mut b = FollowerRows::default();
        for (acc, h, p) in [("2", "w", 4), ("1", "v", 5), ("2", "u", 6)] {
            b.push(row(acc, h, p));
        }
        a.append(b);
        assert_eq!(runs(&a), vec![("1", 2), ("2", 2), ("1", 1), ("2", 1)]);
        assert_eq!(a.len(), 6);
        // Dropping the lone row of account 1 joins the two runs of account 2 around it.
        a.retain(&[true, false, true, true, false, true]);
        assert_eq!(runs(&a), vec![("1", 1), ("2", 3)]);
        assert_eq!(
            a.posts,
            vec![Some(1), Some(3), Some(4), Some(6)],
            "the kept rows, in order"
        );
        let ids: Vec<_> = a.row_accounts().map(|r| r.account_id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "2", "2"]);
        a.retain(&[false; 4]);
        assert!(a.is_empty() && a.accounts.is_empty());
    }

    #[test]
    fn bios_are_measured_in_characters_not_bytes() {
        let mut a = FollowerRows::default();
        for bio in [None, Some(""), Some("née")] {
            a.push(FollowerRow {
                bio,
                ..row("1", "h", 0)
            });
        }
        assert_eq!(a.bio_chars, vec![None, Some(0), Some(3)]);
    }
}
