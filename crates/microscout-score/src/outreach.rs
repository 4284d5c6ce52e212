//! Outreach: where each account stands in the author's ledger, the posts about the book
//! after a copy was sent, and what the campaign returned.
//!
//! **State** (per account, this book = the campaign's `[book] title`): the latest of its
//! `contacted`, `replied`, `declined`, `agreed`, `copy_sent`, `posted`, `paid` events dated
//! on or before tonight (`note` and `detection_rejected` change nothing). Any state but
//! *not contacted* takes the account off the ranking (it is listed apart); *contacted* with
//! no later event for `[outreach] follow-up-days` makes a follow-up due. An account that
//! posted about an earlier book (a `posted` event or a detected post for another book) is
//! "worked with us before" and its score is multiplied by `worked-before-weight`.
//!
//! **Delivery detection**: for an account with a `copy_sent` for this book, each of its
//! recent posts dated from that day on whose caption names the book is a delivery: the
//! title or subtitle (compared as lower-case words, punctuation ignored), one of the
//! author's handles (`@name`), one of the book's hashtags, or its ISBN (digits). Each is
//! measured against the account's typical post: `vs_typical = (likes + comments) /
//! (median likes + median comments of the window)`. A `detection_rejected` event naming the
//! post removes it from the results; a `posted` event naming a post confirms it (or adds a
//! post microscout did not see, without counts).
//!
//! **Results** per account (those with any event for this book):
//! - `cost` = the ledger's costs and fees for this book; a `copy_sent` without a cost counts
//!   the campaign's `cost-per-copy` when set. Unit: currency.
//! - `engaged_readers` = interactions on the posts about the book x (1 - fake share), the
//!   fake share's 95% interval carried through (`low` uses its high end); unavailable
//!   without a follower sample. Unit: people.
//! - `cost_per_reader` = cost / engaged readers. Unit: currency per person.
//! - sales by the account's codes (the `code` of its other events; case ignored):
//!   `units`, `revenue`, and `return_on_cost = revenue / cost`.

use std::collections::{BTreeMap, HashMap};

use microscout_model::ledger::{
    AccountResult, CampaignResults, Delivery, EarlierWork, EventKind, LedgerEvent, Outreach, Sale,
    State, handle_key, same_book,
};
use microscout_model::{AccountScore, Campaign, Estimate};
use polars::prelude::*;

use crate::ScoreError;

/// What scoring reads of the outreach: the ledger's valid events, the deliveries stored
/// on earlier nights, and sales.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutreachInput<'a> {
    pub events: &'a [LedgerEvent],
    pub deliveries: &'a [Delivery],
    /// None when the campaign names no sales file (then sales are "no sales file", not 0).
    pub sales: Option<&'a [Sale]>,
}

/// The account an event names, by handle (case and @ ignored) or account id, and platform
/// when given.
fn names(e: &LedgerEvent, s: &AccountScore) -> bool {
    e.platform.is_none_or(|p| p == s.platform)
        && (handle_key(&e.account) == s.handle.to_lowercase() || e.account.trim() == s.account_id)
}

/// The state of one account from its events for this book (sorted by day, then line).
pub fn state(events: &[&LedgerEvent], tonight: i32, follow_up_days: u32) -> Outreach {
    let mut o = Outreach::default();
    for e in events.iter().filter(|e| e.day <= tonight) {
        let st = match e.event {
            EventKind::Contacted => State::Contacted,
            EventKind::Replied => State::Replied,
            EventKind::Declined => State::Declined,
            EventKind::Agreed => State::Agreed,
            EventKind::CopySent => State::CopySent,
            EventKind::Posted => State::Posted,
            EventKind::Paid => State::Paid,
            EventKind::Note | EventKind::DetectionRejected => continue,
        };
        o.state = st;
        o.since_day = Some(e.day);
    }
    o.follow_up_due = o.state == State::Contacted
        && o.since_day
            .is_some_and(|d| i64::from(tonight) - i64::from(d) >= i64::from(follow_up_days));
    o
}

/// What an account's events for this book spent (those dated on or before `tonight`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spent {
    /// `copy_sent` events. Unit: copies.
    pub copies: u32,
    /// The module's `cost`: every event's cost and fee; a `copy_sent` without a cost counts
    /// `cost-per-copy` when the campaign sets it. Unit: currency.
    pub cost: f64,
}

/// [`Spent`] of `events` (one account's, for this book), the one rule for `results.csv`,
/// the report and `outreach --list`.
pub fn spent(
    events: &[&LedgerEvent],
    tonight: i32,
    economics: &microscout_model::campaign::EconomicsSettings,
) -> Spent {
    let dated = || events.iter().filter(|e| e.day <= tonight);
    Spent {
        copies: dated().filter(|e| e.event == EventKind::CopySent).count() as u32,
        cost: dated()
            .map(|e| {
                let c = match (e.event, e.cost) {
                    (_, Some(c)) => c,
                    (EventKind::CopySent, None) => economics.cost_per_copy.unwrap_or(0.0),
                    _ => 0.0,
                };
                c + e.fee.unwrap_or(0.0)
            })
            .sum(),
    }
}

/// Sets each account's outreach state (before ranking).
pub fn apply_states(
    scored: &mut [AccountScore],
    input: &OutreachInput<'_>,
    campaign: &Campaign,
    tonight: i32,
) {
    if input.events.is_empty() && input.deliveries.is_empty() {
        return;
    }
    let book = &campaign.book.title;
    let mut by_handle: HashMap<String, Vec<&LedgerEvent>> = HashMap::new();
    for e in input.events {
        by_handle.entry(handle_key(&e.account)).or_default().push(e);
    }
    for s in scored.iter_mut() {
        let mut mine: Vec<&LedgerEvent> = by_handle
            .get(&s.handle.to_lowercase())
            .into_iter()
            .chain(by_handle.get(&s.account_id.to_lowercase()))
            .flatten()
            .copied()
            .filter(|e| names(e, s))
            .collect();
        mine.sort_by_key(|e| (e.day, e.line));
        mine.dedup_by_key(|e| e.line);
        let this: Vec<&LedgerEvent> = mine
            .iter()
            .copied()
            .filter(|e| same_book(&e.book, book))
            .collect();
        let mut o = state(&this, tonight, campaign.outreach.follow_up_days);
        // Earlier books: the detected posts (with their numbers), and `posted` events for
        // posts microscout did not see.
        let mut earlier: BTreeMap<String, (u32, u32, u64, Vec<f64>)> = BTreeMap::new();
        for d in input.deliveries.iter().filter(|d| {
            !same_book(&d.book, book)
                && d.platform == s.platform.as_str()
                && d.account_id == s.account_id
                && d.first_seen_day < tonight
        }) {
            let w = earlier.entry(d.book.clone()).or_default();
            w.0 += 1;
            if let Some(l) = d.likes {
                w.2 += l + d.comments.unwrap_or(0);
            }
            w.3.extend(d.vs_typical);
        }
        for e in mine.iter().filter(|e| {
            !same_book(&e.book, book) && e.day <= tonight && e.event == EventKind::Posted
        }) {
            earlier.entry(e.book.clone()).or_default().1 += 1;
        }
        o.worked_before = earlier
            .into_iter()
            .map(|(book, (seen, confirmed, inter, ratios))| EarlierWork {
                book,
                posts: seen.max(confirmed),
                interactions: (seen > 0).then_some(inter),
                vs_typical: (!ratios.is_empty())
                    .then(|| ratios.iter().sum::<f64>() / ratios.len() as f64),
            })
            .collect();
        s.outreach = o;
    }
}

/// Lower-case words of a text, punctuation dropped: "Big Feelings, Little Hearts!" ->
/// "big feelings little hearts".
fn words(s: &str) -> String {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What in a caption names the book, if anything.
pub fn mentions_book(caption: &str, campaign: &Campaign) -> Option<String> {
    let b = &campaign.book;
    let text = format!(" {} ", words(caption));
    let lower = caption.to_lowercase();
    // Tokens keep the dots inside a handle (`@mira.hollis.books`) but not a sentence's.
    let tokens: Vec<&str> = lower
        .split(|c: char| {
            c.is_whitespace() || matches!(c, ',' | '!' | '?' | ';' | ':' | '(' | ')' | '"')
        })
        .map(|t| t.trim_end_matches('.'))
        .filter(|t| !t.is_empty())
        .collect();
    for (what, phrase) in [("title", &b.title), ("subtitle", &b.subtitle)] {
        let w = words(phrase);
        if !w.is_empty() && text.contains(&format!(" {w} ")) {
            return Some(what.to_string());
        }
    }
    for h in &b.author_handles {
        let h = format!("@{}", h.trim().trim_start_matches('@').to_lowercase());
        if h.len() > 1 && tokens.iter().any(|t| *t == h) {
            return Some(format!("author {h}"));
        }
    }
    for t in &b.hashtags {
        let t = format!("#{}", t.trim().trim_start_matches('#').to_lowercase());
        if t.len() > 1 && tokens.iter().any(|x| *x == t) {
            return Some(format!("hashtag {t}"));
        }
    }
    let isbn: String = b.isbn.chars().filter(char::is_ascii_digit).collect();
    if isbn.len() >= 10 && caption.replace(['-', ' '], "").contains(&isbn) {
        return Some("isbn".into());
    }
    None
}

/// A link to a post, when its id has a platform's usual shape.
pub fn post_link(platform: &str, handle: &str, post_id: &str) -> String {
    let id = post_id.trim();
    if id.starts_with("https://") {
        return id.to_string();
    }
    let alnum = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    match platform {
        "instagram" if alnum(id) && !id.chars().all(|c| c.is_ascii_digit()) && id.len() <= 14 => {
            format!("https://www.instagram.com/p/{id}/")
        }
        "youtube" if alnum(id) && id.len() == 11 => format!("https://www.youtube.com/watch?v={id}"),
        "tiktok" if id.chars().all(|c| c.is_ascii_digit()) && id.len() >= 15 => {
            format!("https://www.tiktok.com/@{handle}/video/{id}")
        }
        _ => String::new(),
    }
}

/// Posts about the book by accounts that were sent a copy, found in tonight's posts.
pub fn detect(
    scored: &[AccountScore],
    posts: &DataFrame,
    input: &OutreachInput<'_>,
    campaign: &Campaign,
    tonight: i32,
) -> Result<Vec<Delivery>, ScoreError> {
    let book = &campaign.book.title;
    // Gifted accounts: their first copy_sent day for this book.
    let mut gifted: HashMap<(&str, &str), (i32, &AccountScore)> = HashMap::new();
    for s in scored {
        let first = input
            .events
            .iter()
            .filter(|e| {
                e.event == EventKind::CopySent
                    && e.day <= tonight
                    && same_book(&e.book, book)
                    && names(e, s)
            })
            .map(|e| e.day)
            .min();
        if let Some(day) = first {
            gifted.insert((s.platform.as_str(), s.account_id.as_str()), (day, s));
        }
    }
    if gifted.is_empty() || posts.height() == 0 {
        return Ok(Vec::new());
    }
    let s = |c: &str| -> Result<StringChunked, ScoreError> { Ok(posts.column(c)?.str()?.clone()) };
    let i = |c: &str| -> Result<Int64Chunked, ScoreError> {
        Ok(posts.column(c)?.cast(&DataType::Int64)?.i64()?.clone())
    };
    let (platform, account, post_id, caption) = (
        s("platform")?,
        s("account_id")?,
        s("post_id")?,
        s("caption")?,
    );
    let (at, likes, comments) = (i("posted_at")?, i("likes")?, i("comments")?);
    let as_of_end = (i64::from(tonight) + 1) * 86_400;
    let mut out = Vec::new();
    for r in 0..posts.height() {
        let key = (platform.get(r).unwrap_or(""), account.get(r).unwrap_or(""));
        let Some(&(day, acc)) = gifted.get(&key) else {
            continue;
        };
        let t = at.get(r).unwrap_or(i64::MIN);
        if t < i64::from(day) * 86_400 || t >= as_of_end {
            continue;
        }
        let Some(matched) = caption.get(r).and_then(|c| mentions_book(c, campaign)) else {
            continue;
        };
        let l = likes.get(r).map(|v| v.max(0) as u64);
        let c = comments.get(r).map(|v| v.max(0) as u64);
        let typical = acc
            .median_likes
            .map(|m| m + acc.median_comments.unwrap_or(0.0));
        let pid = post_id.get(r).unwrap_or("").to_string();
        out.push(Delivery {
            platform: key.0.to_string(),
            account_id: key.1.to_string(),
            handle: acc.handle.clone(),
            book: book.clone(),
            link: post_link(key.0, &acc.handle, &pid),
            post_id: pid,
            posted_at: t,
            matched,
            likes: l,
            comments: c,
            vs_typical: match (l, typical) {
                (Some(l), Some(t)) if t > 0.0 => Some((l + c.unwrap_or(0)) as f64 / t),
                _ => None,
            },
            source: "detected".into(),
            first_seen_day: tonight,
        });
    }
    Ok(out)
}

/// The deliveries known after tonight: those stored on earlier nights (only nights before
/// tonight, so a re-run gives the same), and tonight's new ones, ordered.
pub fn merge(stored: &[Delivery], detected: Vec<Delivery>, tonight: i32) -> Vec<Delivery> {
    let mut all: Vec<Delivery> = stored
        .iter()
        .filter(|d| d.first_seen_day < tonight)
        .cloned()
        .collect();
    for d in detected {
        if let Some(old) = all
            .iter_mut()
            .find(|o| o.platform == d.platform && o.post_id == d.post_id && o.book == d.book)
        {
            // Fresher counts; the first night it was seen stays.
            old.likes = d.likes.or(old.likes);
            old.comments = d.comments.or(old.comments);
            old.vs_typical = d.vs_typical.or(old.vs_typical);
        } else {
            all.push(d);
        }
    }
    all.sort_by(|a, b| {
        (&a.platform, &a.account_id, a.posted_at, &a.post_id).cmp(&(
            &b.platform,
            &b.account_id,
            b.posted_at,
            &b.post_id,
        ))
    });
    all
}

fn names_post(e: &LedgerEvent, d: &Delivery) -> bool {
    let c = e.code.trim();
    !c.is_empty()
        && (c == d.post_id
            || (!d.link.is_empty() && c.trim_end_matches('/') == d.link.trim_end_matches('/')))
}

/// Per-account and campaign results for this book.
pub fn results(
    scored: &[AccountScore],
    input: &OutreachInput<'_>,
    deliveries: &[Delivery],
    campaign: &Campaign,
    tonight: i32,
) -> CampaignResults {
    let book = &campaign.book.title;
    let mut accounts = Vec::new();
    let mut kept = Vec::new();
    for s in scored {
        let events: Vec<&LedgerEvent> = input
            .events
            .iter()
            .filter(|e| e.day <= tonight && same_book(&e.book, book) && names(e, s))
            .collect();
        if events.is_empty() {
            continue;
        }
        let rejected = |d: &Delivery| {
            events
                .iter()
                .any(|e| e.event == EventKind::DetectionRejected && names_post(e, d))
        };
        let mut mine: Vec<Delivery> = deliveries
            .iter()
            .filter(|d| {
                same_book(&d.book, book)
                    && d.platform == s.platform.as_str()
                    && d.account_id == s.account_id
                    && !rejected(d)
            })
            .cloned()
            .collect();
        for e in events.iter().filter(|e| e.event == EventKind::Posted) {
            match mine.iter_mut().find(|d| names_post(e, d)) {
                Some(d) => d.source = "confirmed".into(),
                None => mine.push(Delivery {
                    platform: s.platform.to_string(),
                    account_id: s.account_id.clone(),
                    handle: s.handle.clone(),
                    book: book.clone(),
                    post_id: e.code.clone(),
                    posted_at: i64::from(e.day) * 86_400,
                    link: if e.code.starts_with("https://") {
                        e.code.clone()
                    } else {
                        String::new()
                    },
                    matched: "the author's `posted` event".into(),
                    likes: None,
                    comments: None,
                    vs_typical: None,
                    source: "confirmed".into(),
                    first_seen_day: e.day,
                }),
            }
        }
        let Spent { copies, cost } = spent(&events, tonight, &campaign.economics);
        let likes: u64 = mine.iter().filter_map(|d| d.likes).sum();
        let comments: u64 = mine.iter().filter_map(|d| d.comments).sum();
        let interactions = (likes + comments) as f64;
        let (engaged_readers, engaged_status) = match s.authenticity.fake_share {
            _ if mine.is_empty() => (None, "no post about the book yet".to_string()),
            Some(f) => (
                Some(Estimate {
                    value: interactions * (1.0 - f.value),
                    low: interactions * (1.0 - f.high),
                    high: interactions * (1.0 - f.low),
                }),
                "estimated: interactions on the posts about the book x the real share (follower classifier, 95% interval)".to_string(),
            ),
            None => (
                None,
                format!(
                    "unavailable: no follower sample, so the real share of the {} interactions is unknown",
                    interactions as u64
                ),
            ),
        };
        let cost_per_reader = engaged_readers
            .filter(|r| r.value > 0.0 && cost > 0.0)
            .map(|r| Estimate {
                value: cost / r.value,
                low: cost / r.high.max(f64::MIN_POSITIVE),
                high: if r.low > 0.0 {
                    cost / r.low
                } else {
                    f64::INFINITY
                },
            });
        let codes: Vec<String> = events
            .iter()
            .filter(|e| !matches!(e.event, EventKind::Posted | EventKind::DetectionRejected))
            .map(|e| e.code.trim().to_lowercase())
            .filter(|c| !c.is_empty())
            .collect();
        let (units, revenue) = match input.sales {
            Some(all) if !codes.is_empty() => {
                let sales: Vec<&Sale> = all
                    .iter()
                    .filter(|x| x.day <= tonight && codes.contains(&x.code.trim().to_lowercase()))
                    .collect();
                (
                    Some(sales.iter().map(|x| x.units).sum()),
                    Some(sales.iter().fold(0.0, |a, x| a + x.revenue)),
                )
            }
            _ => (None, None),
        };
        accounts.push(AccountResult {
            platform: s.platform.to_string(),
            account_id: s.account_id.clone(),
            handle: s.handle.clone(),
            state: s.outreach.state,
            copies,
            cost,
            posts: mine.len() as u32,
            likes,
            comments,
            engaged_readers,
            engaged_status,
            cost_per_reader,
            units,
            revenue,
            return_on_cost: revenue.filter(|_| cost > 0.0).map(|r| r / cost),
        });
        kept.extend(mine);
    }
    CampaignResults {
        book: book.clone(),
        accounts,
        deliveries: kept,
        problems: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn campaign() -> Campaign {
        let mut c = Campaign::default();
        c.book.title = "Big Feelings, Little Hearts".into();
        c.book.subtitle = "A Picture Book About Naming Emotions".into();
        c.book.author_handles = vec!["@mira.hollis.books".into()];
        c.book.hashtags = vec!["#BigFeelingsLittleHearts".into()];
        c.book.isbn = "978-1-7391234-5-6".into();
        c
    }

    #[test]
    fn captions_that_name_the_book() {
        let c = campaign();
        let m = |s: &str| mentions_book(s, &c);
        assert_eq!(
            m("We read Big Feelings, little hearts tonight!").as_deref(),
            Some("title")
        );
        assert_eq!(m("big feelings little hearts").as_deref(), Some("title"));
        assert_eq!(
            m("Loving this one #bigfeelingslittlehearts").as_deref(),
            Some("hashtag #bigfeelingslittlehearts")
        );
        assert_eq!(
            m("thank you @Mira.Hollis.Books!").as_deref(),
            Some("author @mira.hollis.books")
        );
        assert_eq!(
            m("Thank you @mira.hollis.books for this gem.").as_deref(),
            Some("author @mira.hollis.books")
        );
        assert_eq!(
            m("a gift from @mira.hollis.books.").as_deref(),
            Some("author @mira.hollis.books")
        );
        assert_eq!(m("ISBN 978-1-7391234-5-6").as_deref(), Some("isbn"));
        assert_eq!(
            m("a picture book about naming emotions").as_deref(),
            Some("subtitle")
        );
        // Near misses.
        assert_eq!(m("big feelings and little hearts everywhere"), None);
        assert_eq!(m("#bigfeelings #littlehearts"), None);
        assert_eq!(m("@mira.hollis.bookshop"), None);
        assert_eq!(m("Our kids have big feelings today"), None);
    }

    fn ev(day: i32, event: EventKind) -> LedgerEvent {
        LedgerEvent {
            line: day as u64,
            day,
            book: "B".into(),
            platform: None,
            account: "@a".into(),
            event,
            channel: String::new(),
            cost: None,
            fee: None,
            code: String::new(),
            note: String::new(),
        }
    }

    #[test]
    fn states_follow_the_latest_event_and_follow_ups_fall_due() {
        let e = [ev(10, EventKind::Contacted), ev(12, EventKind::Note)];
        let refs: Vec<&LedgerEvent> = e.iter().collect();
        let o = state(&refs, 16, 7);
        assert_eq!((o.state, o.follow_up_due), (State::Contacted, false));
        let o = state(&refs, 17, 7);
        assert!(o.follow_up_due);
        assert_eq!(o.describe(), "contacted on 1970-01-11, follow-up due");
        let e = [ev(10, EventKind::Contacted), ev(11, EventKind::Declined)];
        let refs: Vec<&LedgerEvent> = e.iter().collect();
        assert_eq!(state(&refs, 30, 7).state, State::Declined);
        // Events after tonight do not count yet.
        assert_eq!(state(&refs, 10, 7).state, State::Contacted);
    }

    /// A follow-up wait longer than any date range is never due (it once turned negative
    /// through `as i32`, making every follow-up due at once).
    #[test]
    fn a_follow_up_wait_of_any_length_is_counted_in_days() {
        let e = [ev(10, EventKind::Contacted)];
        let refs: Vec<&LedgerEvent> = e.iter().collect();
        for days in [u32::MAX, 1 << 31, i32::MAX as u32 + 7] {
            assert!(!state(&refs, 20_000, days).follow_up_due, "{days}");
        }
        assert!(state(&refs, 20_000, 19_990).follow_up_due);
        assert!(!state(&refs, 20_000, 19_991).follow_up_due);
    }
}
