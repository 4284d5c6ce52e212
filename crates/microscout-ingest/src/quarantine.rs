//! Where the rows of a file go: the table, the cross-row checks (duplicates, unknown
//! accounts), the quarantine and the counts.

use rustc_hash::{FxHashMap, FxHashSet};

use microscout_model::intake::{RejectWriter, Rejections};
use microscout_model::reason::{RejectReason, RowKind, StopReason};
use microscout_model::schema::Table;

use crate::discover::DropFile;
use crate::table::{Cell, TableBuilder};
use crate::{Location, Rejection};

/// Raw text kept for one rejected row, in bytes; a longer row is cut (at a character
/// boundary) and says how long it was, so that `rejected.csv` stays readable and bounded.
pub const MAX_RAW_BYTES: usize = 8 << 10;

/// A 128-bit fingerprint of a key made of text parts (XXH3-128 over the parts, each
/// preceded by its length so that `("ab", "c")` and `("a", "bc")` differ).
fn fingerprint(buf: &mut Vec<u8>, parts: &[&str]) -> (u64, u64) {
    buf.clear();
    for p in parts {
        buf.extend_from_slice(&(p.len() as u64).to_le_bytes());
        buf.extend_from_slice(p.as_bytes());
    }
    let h = xxhash_rust::xxh3::xxh3_128(buf);
    ((h >> 64) as u64, h as u64)
}

/// The keys seen so far across the drop, for the duplicate and orphan checks.
///
/// Keys are held as fingerprints, never as text: an account or a post as a 128-bit XXH3
/// fingerprint (the chance of a false duplicate among 10^8 keys is below 10^-20), a
/// follower as a 64-bit fingerprint of its handle in its account's own set, since follower
/// duplicates only exist within one account (among 10^5 sampled followers of one account
/// the chance of a false duplicate is below 10^-9). An account's set stays small and hot
/// in the cache while its rows are read. Memory: about 25 bytes per post and 10-20 per
/// follower row at the hash tables' load; nothing else grows with the rows.
pub(crate) struct KeyContext {
    /// Account fingerprint -> index (the account's row in the accounts table).
    accounts: FxHashMap<(u64, u64), u32>,
    /// Posts seen, when no comments are to be read.
    posts: FxHashSet<(u64, u64)>,
    /// Posts seen and their owner's index, when comments are to be read (their owner is
    /// found through the post): 8 bytes more per post than `posts`, so only then.
    post_owners: FxHashMap<(u64, u64), u32>,
    /// Comments seen, each as a 64-bit fingerprint of platform, post_id and comment_id
    /// (among 10^7 comments of the drop the chance of one false duplicate is below
    /// 3 * 10^-6; a false duplicate costs one comment, not an account or a post), kept as
    /// [`CommentKeys`] says.
    comments: CommentKeys,
    /// Per account index, its followers' handle fingerprints.
    followers: Vec<FxHashSet<u64>>,
    /// The account ids by index, once the accounts are read: what a comment's empty
    /// `account_id` becomes.
    account_ids: Vec<String>,
    /// False when a table is read on its own, without an accounts table to join to.
    check_accounts: bool,
    /// The account the last post or follower row named: fingerprint and index.
    last_account: Option<((u64, u64), u32)>,
    /// The post the last comment named and its owner's index (a post's comments usually
    /// follow each other: its owner is then not looked up again).
    last_post: Option<((u64, u64), u32)>,
    buf: Vec<u8>,
}

impl Default for KeyContext {
    fn default() -> Self {
        Self {
            accounts: FxHashMap::default(),
            posts: FxHashSet::default(),
            post_owners: FxHashMap::default(),
            comments: CommentKeys::default(),
            followers: Vec::new(),
            account_ids: Vec::new(),
            check_accounts: true,
            last_account: None,
            last_post: None,
            buf: Vec::new(),
        }
    }
}

impl KeyContext {
    /// For a table read on its own: rows are not checked against an accounts table (nor
    /// comments against a posts table).
    pub(crate) fn standalone() -> Self {
        Self {
            check_accounts: false,
            ..Self::default()
        }
    }

    /// True when the accounts table already has the account of an accounts row's `cells`
    /// (its platform and account_id, the first two).
    pub(crate) fn knows_account(&mut self, cells: &[Cell<'_>]) -> bool {
        let keys = RowKeys::of(Table::Accounts, cells, &mut self.buf);
        self.accounts.contains_key(&keys.account)
    }

    /// Comments will be read after the posts: keep each post's owner. `account_ids` are the
    /// accounts' ids in the accounts table's row order.
    pub(crate) fn expect_comments(&mut self, account_ids: Vec<String>) {
        debug_assert!(self.posts.is_empty() && self.post_owners.is_empty());
        self.account_ids = account_ids;
    }

    fn keeps_owners(&self) -> bool {
        !self.account_ids.is_empty()
    }

    /// The id of the account at `index`, when comments are read.
    pub(crate) fn account_id(&self, index: u32) -> Option<&str> {
        self.account_ids.get(index as usize).map(String::as_str)
    }

    /// Releases the fingerprints of `table`'s own rows once all its files are read (files
    /// are read table by table, so no later row can be their duplicate); the accounts stay,
    /// as every other table's rows are checked against them, and the posts stay until the
    /// comments are read.
    pub(crate) fn done_with(&mut self, table: Table) {
        match table {
            Table::Posts => self.posts = FxHashSet::default(),
            Table::Followers => self.followers = Vec::new(),
            Table::Comments => {
                self.last_post = None;
                self.post_owners = FxHashMap::default();
                self.comments = CommentKeys::default();
            }
            Table::Accounts => {}
        }
    }

    /// Bytes held by the key sets (buckets and control bytes, at their capacity).
    pub(crate) fn heap_bytes(&self) -> usize {
        let table = |cap: usize, entry: usize| cap * (entry + 1);
        table(self.accounts.capacity(), 20)
            + table(self.posts.capacity(), 16)
            + table(self.post_owners.capacity(), 24)
            + self.comments.heap_bytes()
            + self
                .followers
                .iter()
                .map(|s| table(s.capacity(), 8) + 48)
                .sum::<usize>()
    }

    /// Cross-row checks: duplicates and rows whose account (or a comment's post) is
    /// unknown. `cells` follow the table's canonical column order, in which platform and
    /// account_id come first. Ok holds the index of the row's account when it is known.
    fn check(&mut self, table: Table, cells: &[Cell<'_>]) -> Result<Option<u32>, RejectReason> {
        let keys = RowKeys::of(table, cells, &mut self.buf);
        self.check_keys(table, &keys)
            .map_err(|p| p.reason(table, cells))
    }

    /// The cross-row checks on keys fingerprinted beforehand ([`RowKeys::of`], on any
    /// thread); rows must come in file order, so that the first of two duplicates is kept.
    /// Ok holds the index of the row's account (for a comment, its post's owner) when it is
    /// known: always, except for a comment read on its own.
    pub(crate) fn check_keys(
        &mut self,
        table: Table,
        keys: &RowKeys,
    ) -> Result<Option<u32>, KeyProblem> {
        let next = self.accounts.len() as u32;
        if table == Table::Accounts {
            return match self.accounts.entry(keys.account) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(next);
                    Ok(Some(next))
                }
                std::collections::hash_map::Entry::Occupied(_) => Err(KeyProblem::Duplicate),
            };
        }
        if let Third::Comment {
            post,
            comment,
            names_account,
        } = keys.third
        {
            return self.check_comment(keys.account, post, comment, names_account);
        }
        // A table read on its own adds the accounts its rows name. An account's index never
        // changes once given, so the last one found is reused for the rows that follow it.
        let account = match self.last_account {
            Some((fp, index)) if fp == keys.account => Some(index),
            _ => {
                let found = if self.check_accounts {
                    self.accounts.get(&keys.account).copied()
                } else {
                    Some(*self.accounts.entry(keys.account).or_insert(next))
                };
                if let Some(index) = found {
                    self.last_account = Some((keys.account, index));
                }
                found
            }
        };
        let Some(account) = account else {
            return Err(KeyProblem::UnknownAccount);
        };
        let fresh = match keys.third {
            Third::Post(fp) if self.keeps_owners() => match self.post_owners.entry(fp) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    debug_assert!(
                        account < COMMENTED,
                        "an owner index leaves room for the flag"
                    );
                    v.insert(account);
                    true
                }
                std::collections::hash_map::Entry::Occupied(_) => false,
            },
            Third::Post(fp) => self.posts.insert(fp),
            Third::Handle(handle) => {
                let account = account as usize;
                if self.followers.len() <= account {
                    self.followers.resize_with(account + 1, FxHashSet::default);
                }
                self.followers[account].insert(handle)
            }
            Third::None | Third::Comment { .. } => true,
        };
        if fresh {
            Ok(Some(account))
        } else {
            Err(KeyProblem::Duplicate)
        }
    }

    /// A comment: its post must be known (read on its own, it is not checked), an
    /// `account_id` it names must be the post's owner, and it must not have come before.
    fn check_comment(
        &mut self,
        account: (u64, u64),
        post: (u64, u64),
        comment: u64,
        names_account: bool,
    ) -> Result<Option<u32>, KeyProblem> {
        let owner = if self.check_accounts {
            let owner = match self.last_post {
                Some((fp, owner)) if fp == post => owner,
                _ => {
                    let Some(entry) = self.post_owners.get_mut(&post) else {
                        return Err(KeyProblem::UnknownPost);
                    };
                    // A post's comments usually come together: a run of them starts here,
                    // and only when the post had one before must earlier runs be searched.
                    self.comments.start_run(*entry & COMMENTED != 0);
                    *entry |= COMMENTED;
                    let owner = *entry & !COMMENTED;
                    self.last_post = Some((post, owner));
                    owner
                }
            };
            if names_account && self.accounts.get(&account) != Some(&owner) {
                return Err(KeyProblem::OtherAccount);
            }
            Some(owner)
        } else {
            // Read on its own, the comments' posts are not followed: every comment is
            // checked against all the others.
            self.comments.start_run(true);
            None
        };
        if self.comments.insert(comment) {
            Ok(owner)
        } else {
            Err(KeyProblem::Duplicate)
        }
    }
}

/// The bit of a post's entry in `post_owners` set once a comment on it has been read (an
/// owner's index is below 2^31: an accounts table holds fewer rows than that).
const COMMENTED: u32 = 1 << 31;

/// Comments of one run (consecutive comments on one post) a duplicate is looked for among
/// by scanning; a longer run gets a hash set.
const RUN_SCAN: usize = 32;

/// The comment fingerprints seen, for the duplicate check, kept where they are cheap to
/// search: a comment's duplicate is on the same post, and a post's comments usually come
/// together in a run. While every post's comments have come in one run, a new comment is
/// looked for only in its own run (by scan, or in a small set past [`RUN_SCAN`], hot in the
/// cache) and appended to a log; the first time a post's comments come back after another
/// post's, the log becomes one hash set of every comment and each later comment is looked
/// for there. Exact either way; the log holds 8 bytes per comment, the set about 18.
#[derive(Debug, Default)]
struct CommentKeys {
    /// Every comment so far, in order, while `all` is not used.
    log: Vec<u64>,
    /// Where the current run starts in `log`.
    run_start: usize,
    /// The current run's comments once it is longer than [`RUN_SCAN`].
    run: FxHashSet<u64>,
    /// Every comment so far, once a post came back (`global`).
    all: FxHashSet<u64>,
    global: bool,
}

impl CommentKeys {
    /// A run of comments on one post starts; `seen_before` when the post had comments
    /// earlier (then every comment from now on is checked against all).
    fn start_run(&mut self, seen_before: bool) {
        if seen_before && !self.global {
            self.global = true;
            self.all = std::mem::take(&mut self.log).into_iter().collect();
            self.run = FxHashSet::default();
        }
        if self.global {
            return;
        }
        self.run_start = self.log.len();
        if !self.run.is_empty() {
            if self.run.capacity() > 4 * RUN_SCAN {
                self.run = FxHashSet::default();
            } else {
                self.run.clear();
            }
        }
    }

    /// True (and the comment is kept) when it was not seen before.
    fn insert(&mut self, comment: u64) -> bool {
        if self.global {
            return self.all.insert(comment);
        }
        let run = &self.log[self.run_start..];
        let fresh = if run.len() < RUN_SCAN {
            !run.contains(&comment)
        } else {
            if self.run.len() < run.len() {
                self.run.extend(run.iter().copied());
            }
            self.run.insert(comment)
        };
        if fresh {
            self.log.push(comment);
        }
        fresh
    }

    fn heap_bytes(&self) -> usize {
        self.log.capacity() * 8 + (self.run.capacity() + self.all.capacity()) * 9
    }
}

/// A row's keys as fingerprints: computed from its cells alone, so on any thread, and
/// checked in order by [`KeyContext::check_keys`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowKeys {
    account: (u64, u64),
    third: Third,
}

#[derive(Debug, Clone, Copy)]
enum Third {
    None,
    /// Platform and post_id.
    Post((u64, u64)),
    /// The follower's handle (within its account).
    Handle(u64),
    /// A comment: its post (platform and post_id), itself (platform, post_id and
    /// comment_id), and whether the row names an account.
    Comment {
        post: (u64, u64),
        comment: u64,
        names_account: bool,
    },
}

impl RowKeys {
    /// `cells` in the table's canonical column order: platform, account_id, then post_id
    /// or follower_handle.
    pub(crate) fn of(table: Table, cells: &[Cell<'_>], buf: &mut Vec<u8>) -> RowKeys {
        Self::of_cached(table, cells, buf, &mut None)
    }

    /// [`Self::of`], with the last row's account and its fingerprint in `last`: rows of one
    /// account usually follow each other, and then the account is not hashed again.
    pub(crate) fn of_cached<'a>(
        table: Table,
        cells: &[Cell<'a>],
        buf: &mut Vec<u8>,
        last: &mut Option<(&'a str, &'a str, (u64, u64))>,
    ) -> RowKeys {
        let text = |i: usize| cells[i].text().unwrap_or_default();
        let (platform, account_id) = (text(0), text(1));
        let account = match *last {
            Some((p, a, fp))
                if microscout_model::text::same_key(a, account_id)
                    && microscout_model::text::same_key(p, platform) =>
            {
                fp
            }
            _ => {
                let fp = fingerprint(buf, &[platform, account_id]);
                *last = Some((platform, account_id, fp));
                fp
            }
        };
        let third = match table {
            Table::Accounts => Third::None,
            Table::Posts => Third::Post(fingerprint(buf, &[text(0), text(2)])),
            Table::Followers => Third::Handle(xxhash_rust::xxh3::xxh3_64(text(2).as_bytes())),
            Table::Comments => Third::Comment {
                post: fingerprint(buf, &[text(0), text(2)]),
                comment: fingerprint(buf, &[text(0), text(2), text(3)]).0,
                names_account: cells[1].text().is_some(),
            },
        };
        RowKeys { account, third }
    }
}

/// What the cross-row checks found wrong with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyProblem {
    /// The same account, post, or follower of the same account came earlier.
    Duplicate,
    /// The account the row names is not in the accounts table.
    UnknownAccount,
    /// The post a comment names is not in the posts table.
    UnknownPost,
    /// A comment names an account that does not own its post.
    OtherAccount,
}

impl KeyProblem {
    /// The rejection, named with the row's own values.
    pub(crate) fn reason(self, table: Table, cells: &[Cell<'_>]) -> RejectReason {
        let text = |i: usize| cells[i].text().unwrap_or_default().to_string();
        let (platform, account_id) = (text(0), text(1));
        match (self, table) {
            (KeyProblem::UnknownPost, _) => RejectReason::UnknownPost {
                platform,
                post_id: text(2),
            },
            (KeyProblem::OtherAccount, _) => RejectReason::CommentAccount {
                platform,
                post_id: text(2),
                account_id,
            },
            (KeyProblem::Duplicate, Table::Comments) => RejectReason::DuplicateComment {
                platform,
                post_id: text(2),
                comment_id: text(3),
            },
            (KeyProblem::UnknownAccount, t) => RejectReason::UnknownAccount {
                row: if t == Table::Posts {
                    RowKind::Post
                } else {
                    RowKind::Follower
                },
                platform,
                account_id,
            },
            (KeyProblem::Duplicate, Table::Accounts) => RejectReason::DuplicateAccount {
                platform,
                account_id,
            },
            (KeyProblem::Duplicate, Table::Posts) => RejectReason::DuplicatePost {
                platform,
                post_id: text(2),
            },
            (KeyProblem::Duplicate, Table::Followers) => RejectReason::DuplicateFollower {
                platform,
                account_id,
                handle: text(2),
            },
        }
    }
}

/// Where rejected rows go: counted and kept in part in memory, every one to the writer.
pub(crate) struct Quarantine<'q> {
    pub(crate) rejections: Rejections,
    pub(crate) writer: Option<&'q mut dyn RejectWriter>,
    /// The first error writing rejections; the run stops with it after the current file.
    pub(crate) write_error: Option<std::io::Error>,
}

impl Quarantine<'_> {
    fn add(&mut self, r: Rejection) {
        if let Some(w) = self.writer.as_mut()
            && self.write_error.is_none()
            && let Err(e) = w.write(&r)
        {
            self.write_error = Some(e);
        }
        self.rejections.add(r);
    }
}

#[derive(Default)]
pub(crate) struct Counts {
    pub(crate) read: u64,
    pub(crate) accepted: u64,
    pub(crate) rejected: u64,
}

/// Where the rows of one file go: the table, the key checks, the quarantine, the counts.
pub(crate) struct Sink<'s, 'q> {
    pub(crate) f: &'s DropFile,
    pub(crate) builder: &'s mut TableBuilder,
    pub(crate) ctx: &'s mut KeyContext,
    pub(crate) quarantine: &'s mut Quarantine<'q>,
    pub(crate) counts: Counts,
    /// Rejected rows after which the rest of the file is not read.
    pub(crate) max_rejected: u64,
    /// Why the file was not read to its end.
    pub(crate) stopped: Option<StopReason>,
    /// Where validated rows go every [`CHUNK_ROWS`] rows, when the table is streamed.
    stream: Option<crate::Stream<'s>>,
    /// The stream's first error: the reader stops, and the file fails with it.
    pub(crate) stream_error: Option<String>,
    /// For comments checked by [`Self::keyed_row`]: each accepted row's account, until the
    /// batch is appended.
    owners: Vec<Option<u32>>,
}

/// Accepted rows of a streamed table handed on at once (a CSV batch may carry a chunk up to
/// [`crate::csv_file::BATCH_ROWS`] past it): memory holds this many rows of a file (plus the
/// chunk being reduced), however large the file.
pub(crate) const CHUNK_ROWS: usize = if cfg!(test) { 1000 } else { 1 << 17 };

/// The raw text of a row as kept in the quarantine: at most [`MAX_RAW_BYTES`].
pub(crate) fn bounded_raw(mut raw: String) -> String {
    if raw.len() <= MAX_RAW_BYTES {
        return raw;
    }
    let total = raw.len();
    let mut cut = MAX_RAW_BYTES;
    while !raw.is_char_boundary(cut) {
        cut -= 1;
    }
    raw.truncate(cut);
    raw.push_str(&format!(" [... cut: {total} bytes in all]"));
    raw
}

impl<'s, 'q> Sink<'s, 'q> {
    pub(crate) fn new(
        f: &'s DropFile,
        builder: &'s mut TableBuilder,
        ctx: &'s mut KeyContext,
        quarantine: &'s mut Quarantine<'q>,
        max_rejected: u64,
    ) -> Self {
        Sink {
            f,
            builder,
            ctx,
            quarantine,
            counts: Counts::default(),
            max_rejected,
            stopped: None,
            stream: None,
            stream_error: None,
            owners: Vec::new(),
        }
    }

    /// Hands the accepted rows to `stream` every [`CHUNK_ROWS`] rows; the rows left at the
    /// end of the file stay in the builder for the caller.
    pub(crate) fn streaming(mut self, stream: Option<crate::Stream<'s>>) -> Self {
        self.stream = stream;
        self
    }

    fn hand_on(&mut self) {
        if self.builder.rows() < CHUNK_ROWS {
            return;
        }
        if let Some(stream) = self.stream.as_mut()
            && let Err(e) = stream.send(self.builder.take())
        {
            self.stream_error = Some(e);
        }
    }

    /// Validates one row's raw values (one per canonical column) and either appends it or
    /// records the rejection.
    pub(crate) fn row(
        &mut self,
        raw: &[Option<&str>],
        location: Location,
        raw_text: impl FnOnce() -> String,
    ) {
        self.counts.read += 1;
        let mut cells = [Cell::Null; microscout_formats::row::MAX_COLUMNS];
        let cells = &mut cells[..raw.len()];
        let outcome = self
            .builder
            .parse_row(raw, cells)
            .and_then(|()| self.ctx.check(self.f.table, cells));
        match outcome {
            Ok(account) => {
                // A comment takes its post's owner as its account.
                if self.f.table == Table::Comments
                    && let Some(id) = account.and_then(|a| self.ctx.account_id(a))
                {
                    cells[1] = Cell::Text(id);
                }
                self.builder.push(cells);
                self.counts.accepted += 1;
                self.hand_on();
            }
            Err(reason) => self.quarantine(location, reason, raw_text()),
        }
    }

    /// A row validated elsewhere (its cells are in a batch table): counts it and checks its
    /// keys, in file order. True when it is accepted (its row in the batch table is kept);
    /// otherwise it is quarantined with `reason(problem)`.
    pub(crate) fn keyed_row(
        &mut self,
        keys: &RowKeys,
        location: Location,
        reason: impl FnOnce(KeyProblem) -> RejectReason,
        raw_text: impl FnOnce() -> String,
    ) -> bool {
        self.counts.read += 1;
        match self.ctx.check_keys(self.f.table, keys) {
            Ok(account) => {
                if self.f.table == Table::Comments {
                    self.owners.push(account);
                }
                self.counts.accepted += 1;
                true
            }
            Err(p) => {
                self.quarantine(location, reason(p), raw_text());
                false
            }
        }
    }

    /// Appends a batch of accepted rows, and hands the table on when streamed. Comments take
    /// their posts' owners (found by [`Self::keyed_row`], one per accepted row) as their
    /// accounts.
    pub(crate) fn append(&mut self, part: crate::table::Rows) {
        let owners = std::mem::take(&mut self.owners);
        let part = if self.f.table == Table::Comments {
            let ids = owners
                .iter()
                .map(|o| o.and_then(|o| self.ctx.account_id(o)));
            part.with_owners(ids)
        } else {
            part
        };
        self.builder.append(part);
        self.hand_on();
    }

    /// Like [`Self::row`], for an account row an export only implies
    /// ([`crate::native::NativeRow::implied`]): when its account is already known the row is
    /// not read at all (not counted; the account's own row stands); otherwise it is read as
    /// any row.
    pub(crate) fn implied_row(
        &mut self,
        raw: &[Option<&str>],
        location: Location,
        raw_text: impl FnOnce() -> String,
    ) {
        // The key alone (platform, account_id: the first two columns) decides, so that a row
        // whose other values would not validate is not rejected for an account that has its
        // own row.
        let mut key = [Cell::Null; 2];
        if raw.len() >= 2
            && microscout_formats::row::validate(Table::Accounts, &raw[..2], &mut key).is_ok()
            && self.ctx.knows_account(&key)
        {
            return;
        }
        self.row(raw, location, raw_text);
    }

    /// Counts a row as read and rejects it.
    pub(crate) fn reject(&mut self, location: Location, reason: RejectReason, raw: String) {
        self.counts.read += 1;
        self.quarantine(location, reason, raw);
    }

    fn quarantine(&mut self, location: Location, reason: RejectReason, raw: String) {
        self.counts.rejected += 1;
        self.quarantine.add(Rejection {
            file: self.f.name.clone(),
            location,
            table: self.f.table.name(),
            reason,
            raw: bounded_raw(raw),
        });
    }

    /// True once the file has had as many rejected rows as the limit allows, or was
    /// stopped: the reader must stop and call [`Self::stop_for_rejections`].
    pub(crate) fn full(&self) -> bool {
        self.stopped.is_some()
            || self.stream_error.is_some()
            || self.counts.rejected >= self.max_rejected
    }

    /// Stops reading after too many rejected rows: the rest of the file, from `location`,
    /// is one more rejected record, so the accounting still adds up.
    pub(crate) fn stop_for_rejections(&mut self, location: Location) {
        if self.stopped.is_some() || self.stream_error.is_some() {
            return;
        }
        let rejected = self.counts.rejected;
        self.stop(location, StopReason::TooManyRejected { rejected });
    }

    /// The file cannot be read further (damaged data, or a limit): the rows before are kept
    /// and the rest is one rejected record, so the accounting still adds up.
    pub(crate) fn stop(&mut self, location: Location, reason: StopReason) {
        self.reject(
            location,
            RejectReason::Stopped(reason.clone()),
            String::new(),
        );
        self.stopped = Some(reason);
    }

    /// Stops at a read error of a compressed or guarded stream: a limit, or damaged data.
    pub(crate) fn stop_at_error(&mut self, location: Location, e: &std::io::Error) {
        let reason = match crate::open::limit_hit(e) {
            Some(limit) => StopReason::Limit(limit.clone()),
            None => StopReason::Damaged {
                what: match self.f.compression {
                    crate::Compression::Gzip => "gzip",
                    crate::Compression::Zstd => "zstd",
                    crate::Compression::Xz => "xz",
                    crate::Compression::None => "file",
                },
                detail: e.to_string(),
            },
        };
        self.stop(location, reason);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Duplicates are found within a run, short or long, and across runs once a post's
    /// comments come back; equal ids on other posts are other comments (their fingerprints
    /// differ, being of the post too).
    #[test]
    fn comment_keys_find_every_duplicate_in_runs_and_after_a_post_comes_back() {
        let mut k = CommentKeys::default();
        k.start_run(false);
        assert!(k.insert(1) && k.insert(2) && !k.insert(1));
        k.start_run(false);
        for c in 100..200 {
            assert!(k.insert(c), "a run past the scan length");
        }
        assert!(!k.insert(100) && !k.insert(150) && !k.insert(199) && k.insert(200));
        assert!(!k.global);
        // The first post comes back: comment 2 was seen in its first run.
        k.start_run(true);
        assert!(k.global);
        assert!(!k.insert(2) && k.insert(3) && !k.insert(3) && !k.insert(150));
        k.start_run(false);
        assert!(
            !k.insert(1),
            "after the switch every comment is checked against all"
        );
    }

    fn keys<'a>(
        table: Table,
        row: [&'a str; 3],
        buf: &mut Vec<u8>,
        last: &mut Option<(&'a str, &'a str, (u64, u64))>,
    ) -> RowKeys {
        let cells = row.map(Cell::Text);
        RowKeys::of_cached(table, &cells, buf, last)
    }

    /// The last account's fingerprint and index are reused only for rows that name it:
    /// accounts interleaved, an unknown account between rows of a known one, a follower
    /// handle seen under another account.
    #[test]
    fn cached_accounts_give_the_checks_of_uncached_ones() {
        let mut ctx = KeyContext::default();
        let mut buf = Vec::new();
        let mut last = None;
        for a in [["instagram", "a", ""], ["instagram", "b", ""]] {
            let k = keys(Table::Accounts, a, &mut buf, &mut last);
            assert!(ctx.check_keys(Table::Accounts, &k).is_ok());
        }
        let rows = [
            (["instagram", "a", "x"], Ok(())),
            (["instagram", "a", "y"], Ok(())),
            (["instagram", "b", "x"], Ok(())),
            (["instagram", "a", "x"], Err(KeyProblem::Duplicate)),
            (["instagram", "c", "z"], Err(KeyProblem::UnknownAccount)),
            (["youtube", "a", "z"], Err(KeyProblem::UnknownAccount)),
            (["instagram", "a", "z"], Ok(())),
            (["instagram", "b", "x"], Err(KeyProblem::Duplicate)),
            (["instagram", "b", "z"], Ok(())),
        ];
        let mut last = None;
        for (i, (row, want)) in rows.into_iter().enumerate() {
            let cached = keys(Table::Followers, row, &mut buf, &mut last);
            let plain = RowKeys::of(Table::Followers, &row.map(Cell::Text), &mut buf);
            assert_eq!(cached.account, plain.account, "row {i}");
            assert_eq!(
                ctx.check_keys(Table::Followers, &cached).map(|_| ()),
                want,
                "row {i}"
            );
        }
    }
}
