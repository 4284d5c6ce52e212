//! The campaign's outreach in the reports: accounts in outreach (off the ranking), what the
//! campaign returned, the posts about the book, and ledger rows that could not be used.
//! Cells hold input text (handles, codes, reasons); the renderers escape them.

use microscout_model::AccountScore;
use microscout_model::ledger::{AccountResult, CampaignResults, Delivery};
use microscout_model::numfmt::{amount, count, ratio};

use crate::ReportInput;

/// "1 copy", "3 copies".
fn n_of(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

fn money(x: f64, currency: &str) -> String {
    if currency.is_empty() {
        format!("{x:.2}")
    } else {
        format!("{x:.2} {currency}")
    }
}

/// What the outreach sections show: the accounts in outreach, the results and the currency;
/// None when the ledger has nothing for this book (the sections are left out).
pub fn view<'a>(
    input: &ReportInput<'a>,
) -> Option<(Vec<&'a AccountScore>, &'a CampaignResults, &'a str)> {
    let r = input.results;
    let busy = in_outreach(input);
    if busy.is_empty() && r.accounts.is_empty() && r.problems.is_empty() {
        return None;
    }
    Some((busy, r, input.campaign.economics.currency.as_str()))
}

/// Accounts in outreach for this book, follow-ups due first: (handle, state).
pub fn in_outreach<'a>(input: &ReportInput<'a>) -> Vec<&'a AccountScore> {
    let mut v: Vec<&AccountScore> = input
        .scores
        .iter()
        .filter(|s| s.outreach.in_progress())
        .collect();
    v.sort_by_key(|s| {
        (
            !s.outreach.follow_up_due,
            s.outreach.state,
            s.handle.to_lowercase(),
        )
    });
    v
}

/// The account's outreach state, with the posts about the book microscout found since:
/// "copy sent on 2026-11-23 · posted about the book on 2026-11-24 (detected)".
pub fn state_line(s: &AccountScore, r: &CampaignResults) -> String {
    let mut line = s.outreach.describe();
    let posts: Vec<&Delivery> = r
        .deliveries
        .iter()
        .filter(|d| d.platform == s.platform.as_str() && d.account_id == s.account_id)
        .collect();
    if let Some(first) = posts.iter().min_by_key(|d| d.posted_at) {
        line.push_str(&format!(
            " · posted about the book on {} ({}){}",
            crate::table::rfc3339(first.posted_at)
                .get(..10)
                .unwrap_or_default(),
            first.source,
            if posts.len() > 1 {
                format!(", {} posts", posts.len())
            } else {
                String::new()
            }
        ));
    }
    line
}

/// "worked with us before: Book A (2 posts)".
pub fn worked_before(s: &AccountScore) -> Option<String> {
    (!s.outreach.worked_before.is_empty()).then(|| {
        format!(
            "worked with us before: {}",
            s.outreach
                .worked_before
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// The summed results in one sentence.
pub fn totals(r: &CampaignResults, currency: &str) -> String {
    let a = &r.accounts;
    let copies: u32 = a.iter().map(|x| x.copies).sum();
    let cost: f64 = a.iter().fold(0.0, |s, x| s + x.cost);
    let posts: u32 = a.iter().map(|x| x.posts).sum();
    let posted = a.iter().filter(|x| x.posts > 0).count();
    let gifted = a.iter().filter(|x| x.copies > 0).count();
    let readers: Vec<_> = a.iter().filter_map(|x| x.engaged_readers).collect();
    let (rv, rl, rh) = readers.iter().fold((0.0, 0.0, 0.0), |(v, l, h), e| {
        (v + e.value, l + e.low, h + e.high)
    });
    let mut s = format!(
        "{} in the ledger for this book; {} sent to {}; {} of them posted about the book ({}); cost {}.",
        n_of(a.len() as u64, "account", "accounts"),
        n_of(u64::from(copies), "copy", "copies"),
        n_of(gifted as u64, "account", "accounts"),
        count(posted as u64),
        n_of(u64::from(posts), "post", "posts"),
        money(cost, currency)
    );
    if !readers.is_empty() {
        s.push_str(&format!(
            " Engaged real readers reached: about {} ({} to {}, from the accounts with a follower sample)",
            count(rv.round() as u64),
            count(rl.round() as u64),
            count(rh.round() as u64)
        ));
        if rv > 0.0 && cost > 0.0 {
            s.push_str(&format!(", {} per reader", money(cost / rv, currency)));
        }
        s.push('.');
    }
    let revenue: Vec<f64> = a.iter().filter_map(|x| x.revenue).collect();
    if !revenue.is_empty() {
        let rev: f64 = revenue.iter().fold(0.0, |a, x| a + x);
        let units: u64 = a.iter().filter_map(|x| x.units).sum();
        s.push_str(&format!(
            " Sales by the accounts' codes: {}, {}{}.",
            n_of(units, "copy", "copies"),
            money(rev, currency),
            if cost > 0.0 {
                format!(", {} the cost", ratio(rev / cost) + "x")
            } else {
                String::new()
            }
        ));
    }
    s
}

/// One row of the results table (cells as text).
pub fn result_cells(r: &AccountResult, currency: &str) -> [String; 9] {
    let est = |e: Option<microscout_model::Estimate>, f: &dyn Fn(f64) -> String| match e {
        Some(e) => format!("{} ({} to {})", f(e.value), f(e.low), f(e.high)),
        None => "n/a".into(),
    };
    [
        format!("@{}", r.handle),
        r.state.as_str().to_string(),
        count(u64::from(r.copies)),
        money(r.cost, currency),
        count(u64::from(r.posts)),
        if r.posts == 0 {
            "-".into()
        } else {
            format!("{} likes, {} comments", count(r.likes), count(r.comments))
        },
        match r.engaged_readers {
            Some(_) => est(r.engaged_readers, &|x| count(x.round() as u64)),
            None => r.engaged_status.clone(),
        },
        est(r.cost_per_reader, &|x| {
            if x.is_finite() {
                money(x, currency)
            } else {
                "no upper bound".into()
            }
        }),
        match (r.units, r.revenue) {
            (Some(u), Some(rev)) => format!(
                "{}, {}{}",
                n_of(u, "copy", "copies"),
                money(rev, currency),
                r.return_on_cost
                    .map(|x| format!(" ({}x the cost)", ratio(x)))
                    .unwrap_or_default()
            ),
            _ if r.units.is_none() => "n/a (no sales file, or no code)".into(),
            _ => "n/a".into(),
        },
    ]
}

pub const RESULT_HEADERS: [&str; 9] = [
    "account",
    "state",
    "copies",
    "cost",
    "posts about the book",
    "their engagement",
    "engaged real readers",
    "cost per reader",
    "sales",
];

/// One line per post about the book.
pub fn delivery_line(d: &Delivery) -> String {
    format!(
        "{} @{}: {} ({}){}{}{}",
        crate::table::rfc3339(d.posted_at)
            .get(..10)
            .unwrap_or_default(),
        d.handle,
        if d.link.is_empty() {
            format!("post {}", d.post_id)
        } else {
            d.link.clone()
        },
        d.matched,
        match (d.likes, d.comments) {
            (Some(l), c) => format!(
                ", {} likes and {} comments",
                count(l),
                c.map_or("n/a".into(), count)
            ),
            _ => String::new(),
        },
        d.vs_typical
            .map(|v| format!(", {}x its typical post", amount(v)))
            .unwrap_or_default(),
        if d.source == "confirmed" {
            ", confirmed by the ledger"
        } else {
            ", detected"
        }
    )
}
