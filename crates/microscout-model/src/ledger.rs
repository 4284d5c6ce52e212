//! The outreach ledger: what the author did with each account (contacted, sent a copy, ...),
//! the state of each account it leads to, the posts microscout found about the book, and
//! what the campaign returned. The file is the author's (`ledger.csv`, read and appended by
//! microscout-ingest's `ledger`); the state and results are computed in microscout-score's
//! `outreach` module.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Estimate;

/// The ledger's columns, in order.
pub const LEDGER_COLUMNS: [&str; 10] = [
    "date", "book", "platform", "account", "event", "channel", "cost", "fee", "code", "note",
];

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Contacted,
    Replied,
    Declined,
    Agreed,
    CopySent,
    /// The account posted about the book (the author's confirmation, with the post's link
    /// in `code` or `note`).
    Posted,
    Paid,
    Note,
    /// The author says a post microscout detected is not about the book (its post id or
    /// link in `code`).
    DetectionRejected,
}

impl EventKind {
    pub const ALL: [EventKind; 9] = [
        EventKind::Contacted,
        EventKind::Replied,
        EventKind::Declined,
        EventKind::Agreed,
        EventKind::CopySent,
        EventKind::Posted,
        EventKind::Paid,
        EventKind::Note,
        EventKind::DetectionRejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Contacted => "contacted",
            EventKind::Replied => "replied",
            EventKind::Declined => "declined",
            EventKind::Agreed => "agreed",
            EventKind::CopySent => "copy_sent",
            EventKind::Posted => "posted",
            EventKind::Paid => "paid",
            EventKind::Note => "note",
            EventKind::DetectionRejected => "detection_rejected",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One valid row of the ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerEvent {
    /// Line in the ledger file (1 = header).
    pub line: u64,
    /// Days since 1970-01-01 (UTC).
    pub day: i32,
    /// The book the event is about (the campaign's title when the row leaves it empty).
    pub book: String,
    /// Platform, when the row names one.
    pub platform: Option<crate::Platform>,
    /// The account as written: a handle (with or without @) or an account id.
    pub account: String,
    pub event: EventKind,
    pub channel: String,
    /// What it cost (a copy, postage). Unit: the campaign's currency.
    pub cost: Option<f64>,
    /// A fee paid to the account. Unit: the campaign's currency.
    pub fee: Option<f64>,
    /// A discount code or tracking link (for `posted`/`detection_rejected`: the post).
    pub code: String,
    pub note: String,
}

/// A handle as a key: without the leading @, trimmed, lower case.
pub fn handle_key(s: &str) -> String {
    s.trim().trim_start_matches('@').to_lowercase()
}

/// Whether two book names are the same book (case and surrounding space ignored).
pub fn same_book(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// A ledger row that could not be used, with its line and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerProblem {
    pub line: u64,
    pub reason: String,
    /// The row as written (shortened).
    pub raw: String,
}

/// Where an account stands for this book, from its latest ledger event.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum State {
    #[default]
    NotContacted,
    Contacted,
    Replied,
    Agreed,
    Declined,
    CopySent,
    Posted,
    Paid,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::NotContacted => "not contacted",
            State::Contacted => "contacted",
            State::Replied => "replied",
            State::Agreed => "agreed",
            State::Declined => "declined",
            State::CopySent => "copy sent",
            State::Posted => "posted",
            State::Paid => "paid",
        }
    }
}

/// An account's outreach for this book and what it did for earlier ones.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Outreach {
    pub state: State,
    /// Night of the latest event that set the state.
    pub since_day: Option<i32>,
    /// Contacted (or replied) and nothing since for the campaign's follow-up days.
    pub follow_up_due: bool,
    /// Earlier books this account posted about, and how that went.
    pub worked_before: Vec<EarlierWork>,
}

/// What an account did for an earlier book.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EarlierWork {
    pub book: String,
    /// Posts about it (detected or confirmed). Unit: posts.
    pub posts: u32,
    /// Likes and comments on the detected ones. Unit: interactions.
    pub interactions: Option<u64>,
    /// Their mean interactions over the account's typical post then. Unit: ratio.
    pub vs_typical: Option<f64>,
}

impl fmt::Display for EarlierWork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({} post{}",
            self.book,
            self.posts,
            if self.posts == 1 { "" } else { "s" }
        )?;
        if let Some(i) = self.interactions {
            write!(f, ", {} likes and comments", crate::numfmt::count(i))?;
        }
        if let Some(v) = self.vs_typical {
            write!(f, ", {}x its typical post", crate::numfmt::amount(v))?;
        }
        f.write_str(")")
    }
}

impl Outreach {
    /// Contacted for this book in any way: it leaves the ranking (listed apart).
    pub fn in_progress(&self) -> bool {
        self.state != State::NotContacted
    }

    /// "contacted on 2026-11-20, follow-up due", "copy sent on 2026-11-22", ...
    pub fn describe(&self) -> String {
        let mut s = self.state.as_str().to_string();
        if let Some(d) = self.since_day {
            s.push_str(&format!(" on {}", crate::history::date_of(d)));
        }
        if self.follow_up_due {
            s.push_str(", follow-up due");
        }
        s
    }
}

/// A post about the book, found by microscout in a gifted account's posts (or confirmed by
/// the author with a `posted` event).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    pub platform: String,
    pub account_id: String,
    pub handle: String,
    pub book: String,
    pub post_id: String,
    /// Unit: Unix seconds, UTC.
    pub posted_at: i64,
    /// The post's link, when it can be made from the platform and post id.
    pub link: String,
    /// What in the caption matched: "title", "hashtag #...", "author @...", "isbn".
    pub matched: String,
    pub likes: Option<u64>,
    pub comments: Option<u64>,
    /// Interactions of this post over the account's median per window post. Unit: ratio.
    pub vs_typical: Option<f64>,
    /// `detected` (by microscout) or `confirmed` (a `posted` event in the ledger).
    pub source: String,
    /// The night microscout first saw it.
    pub first_seen_day: i32,
}

/// A sale attributed to a discount code or tracking link (the sales file).
#[derive(Debug, Clone, PartialEq)]
pub struct Sale {
    pub day: i32,
    pub code: String,
    /// Unit: copies.
    pub units: u64,
    /// Unit: currency.
    pub revenue: f64,
}

/// What one account returned for this book.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AccountResult {
    pub platform: String,
    pub account_id: String,
    pub handle: String,
    pub state: State,
    /// Copies sent. Unit: copies.
    pub copies: u32,
    /// Sum of the ledger's costs and fees for this book. Unit: currency.
    pub cost: f64,
    /// Posts about the book (detected and not rejected, or confirmed). Unit: posts.
    pub posts: u32,
    /// Likes and comments on those posts (visible counts only). Unit: interactions.
    pub likes: u64,
    pub comments: u64,
    /// Engaged real readers reached: interactions on the posts about the book times the
    /// account's real share (1 - fake share), with the fake share's interval carried
    /// through; None without a follower sample (then `engaged_status` says so). Unit: people.
    pub engaged_readers: Option<Estimate>,
    pub engaged_status: String,
    /// `cost / engaged_readers` (interval from the readers' interval). Unit: currency per
    /// reader.
    pub cost_per_reader: Option<Estimate>,
    /// Sales attributed by the account's discount codes or links. Unit: units, currency.
    pub units: Option<u64>,
    pub revenue: Option<f64>,
    /// `revenue / cost`. Unit: ratio.
    pub return_on_cost: Option<f64>,
}

/// The campaign's results: per account, and summed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CampaignResults {
    pub book: String,
    pub accounts: Vec<AccountResult>,
    pub deliveries: Vec<Delivery>,
    pub problems: Vec<LedgerProblem>,
}
