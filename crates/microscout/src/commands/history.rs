//! `microscout history`: an account's timeline from the history store.

use std::fmt::Write;

use anyhow::anyhow;
use microscout_model::history::{Snapshot, date_of};
use microscout_model::numfmt::{amount, count, percent};

use crate::cli::HistoryArgs;

/// The account's nights as a table (or CSV with `--csv`).
pub fn history(args: &HistoryArgs) -> anyhow::Result<String> {
    let root = microscout_history::root(&args.out);
    let nights = microscout_history::nights(&args.out).map_err(anyhow::Error::from)?;
    if nights.is_empty() {
        return Err(anyhow!(
            "no history in {}: `microscout run` or `microscout nightly` with --out {} writes one night per run",
            root.display(),
            args.out.display()
        ));
    }
    let want = args.handle.trim().trim_start_matches('@').to_lowercase();
    let platform = args.platform.as_deref().map(str::to_lowercase);
    // The accounts that had this handle (or id) on any night, then every night of them: an
    // account renamed since keeps its whole timeline.
    let named = microscout_history::timeline(&args.out, &|s: &Snapshot| {
        (s.handle.to_lowercase() == want || s.account_id == args.handle.trim())
            && platform.as_deref().is_none_or(|p| s.platform == p)
    })
    .map_err(anyhow::Error::from)?;
    let keys: std::collections::BTreeSet<(String, String)> = named
        .iter()
        .map(|s| (s.platform.clone(), s.account_id.clone()))
        .collect();
    let rows = if keys.is_empty() {
        named
    } else {
        microscout_history::timeline(&args.out, &|s: &Snapshot| {
            keys.iter()
                .any(|(p, id)| *p == s.platform && *id == s.account_id)
        })
        .map_err(anyhow::Error::from)?
    };
    if rows.is_empty() {
        return Err(anyhow!(
            "no account {} in the history of {} ({} nights, {} to {})",
            args.handle,
            args.out.display(),
            nights.len(),
            date_of(nights[0]),
            date_of(nights[nights.len() - 1])
        ));
    }
    let mut accounts: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r.platform.clone(), r.account_id.clone()))
        .collect();
    accounts.sort();
    accounts.dedup();
    if accounts.len() > 1 {
        return Err(crate::usage!(
            "{} names {} accounts ({}); pick one with --platform or give the account_id",
            args.handle,
            accounts.len(),
            accounts
                .iter()
                .map(|(p, id)| format!("{p} {id}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(if args.csv { csv(&rows) } else { table(&rows) })
}

fn change(rows: &[Snapshot], i: usize) -> Option<f64> {
    let prev = rows.get(i.checked_sub(1)?)?;
    let r = &rows[i];
    Some((r.followers? as f64 - prev.followers? as f64) / f64::from(r.day - prev.day))
}

fn csv(rows: &[Snapshot]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "date",
        "platform",
        "account_id",
        "handle",
        "followers",
        "followers_change_per_day",
        "following",
        "posts_count",
        "avg_likes",
        "avg_comments",
        "engagement_rate",
        "fake_share",
        "fake_share_low",
        "fake_share_high",
        "verdict",
        "shortlist_rank",
        "flags",
        "growth_signals",
    ]);
    let o = |v: Option<String>| v.unwrap_or_default();
    for (i, r) in rows.iter().enumerate() {
        let _ = w.write_record([
            date_of(r.day),
            r.platform.clone(),
            microscout_report::table::neutralise(&r.account_id).into_owned(),
            microscout_report::table::neutralise(&r.handle).into_owned(),
            o(r.followers.map(|v| v.to_string())),
            o(change(rows, i).map(|c| format!("{c}"))),
            o(r.following.map(|v| v.to_string())),
            o(r.posts_count.map(|v| v.to_string())),
            o(r.avg_likes.map(|v| v.to_string())),
            o(r.avg_comments.map(|v| v.to_string())),
            o(r.engagement_rate.map(|v| v.to_string())),
            o(r.fake_share.map(|v| v.to_string())),
            o(r.fake_share_low.map(|v| v.to_string())),
            o(r.fake_share_high.map(|v| v.to_string())),
            r.verdict.clone(),
            o(r.shortlist_rank.map(|v| v.to_string())),
            r.flags.clone(),
            r.growth_signals.clone(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn table(rows: &[Snapshot]) -> String {
    let first = &rows[0];
    let mut out = format!(
        "@{} ({} {}): {} nights, {} to {}\n\n",
        microscout_model::text::printable(&first.handle, 200),
        first.platform,
        microscout_model::text::printable(&first.account_id, 200),
        rows.len(),
        date_of(first.day),
        date_of(rows[rows.len() - 1].day)
    );
    let _ = writeln!(
        out,
        "{:<10} {:>10} {:>8} {:>9} {:>7} {:>9} {:>8} {:>14} {:<18} {:>4}  signals",
        "date",
        "followers",
        "per day",
        "following",
        "posts",
        "likes",
        "comments",
        "fake share",
        "verdict",
        "rank"
    );
    for (i, r) in rows.iter().enumerate() {
        let na = || "n/a".to_string();
        let _ = writeln!(
            out,
            "{:<10} {:>10} {:>8} {:>9} {:>7} {:>9} {:>8} {:>14} {:<18} {:>4}  {}",
            date_of(r.day),
            r.followers.map_or_else(na, count),
            change(rows, i).map_or("".into(), |c| format!("{c:+.0}")),
            r.following.map_or_else(na, count),
            r.posts_count.map_or_else(na, count),
            r.avg_likes.map_or_else(na, amount),
            r.avg_comments.map_or_else(na, amount),
            r.fake_share.map_or_else(|| "no sample".into(), percent),
            r.verdict,
            r.shortlist_rank.map_or("-".into(), |x| x.to_string()),
            if r.growth_signals.is_empty() {
                "-"
            } else {
                &r.growth_signals
            }
        );
    }
    out
}
