//! `microscout outreach`: append a validated row to the author's ledger, or list states.

use std::collections::BTreeMap;
use std::fmt::Write;

use anyhow::{Context, anyhow};
use microscout_model::history::date_of;
use microscout_model::ledger::{EventKind, LedgerEvent, handle_key, same_book};

use crate::cli::OutreachArgs;

/// Appends the row (returns what was written, in words) or lists the states.
pub fn outreach(args: &OutreachArgs) -> anyhow::Result<String> {
    let (campaign, _) = super::read_campaign(&args.campaign)?;
    let path = campaign.ledger_path(&args.campaign, &args.out);
    let history = microscout_history::read_before(&args.out, i32::MAX)
        .context("cannot read the history that names the accounts")?;
    if history.is_empty() {
        return Err(anyhow!(
            "no run in {} yet: run `microscout run` or `nightly` with --out {} first, so that the \
             ledger can check account names",
            args.out.display(),
            args.out.display()
        ));
    }
    let mut known = microscout_ingest::ledger::KnownAccounts::default();
    known.add_history(&history);
    let check = |_: Option<microscout_model::Platform>, a: &str| known.check(a);
    let book = args
        .book
        .clone()
        .unwrap_or_else(|| campaign.book.title.clone());
    if args.list {
        let ledger = microscout_ingest::ledger::read(&path, &campaign.book.title, &check)
            .map_err(anyhow::Error::from)?;
        return Ok(list(&ledger, &book, &campaign, &path));
    }
    let (Some(handle), Some(event)) = (&args.handle, &args.event) else {
        return Err(crate::usage!("give an account and an event, or --list"));
    };
    let date = args.date.clone().unwrap_or_else(|| {
        date_of(microscout_model::history::day_of(
            chrono::Utc::now().timestamp(),
        ))
    });
    let row = microscout_ingest::ledger::NewRow {
        date,
        book: book.clone(),
        platform: args.platform.clone().unwrap_or_default(),
        account: handle.clone(),
        event: event.clone(),
        channel: args.channel.clone(),
        cost: args.cost.clone(),
        fee: args.fee.clone(),
        code: args.code.clone(),
        note: args.note.clone(),
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    // A row that cannot be written is bad usage (exit 2) by its type, `LedgerError::BadRow`.
    let ev = microscout_ingest::ledger::append(&path, &row, &campaign.book.title, &check)
        .with_context(|| format!("not written to {}", path.display()))?;
    Ok(format!(
        "{} {} {} ({}) -> {}\n",
        date_of(ev.day),
        ev.account,
        ev.event,
        ev.book,
        path.display()
    ))
}

fn list(
    ledger: &microscout_ingest::ledger::Ledger,
    book: &str,
    campaign: &microscout_model::Campaign,
    path: &std::path::Path,
) -> String {
    let today = microscout_model::history::day_of(chrono::Utc::now().timestamp());
    let mut by: BTreeMap<String, Vec<&LedgerEvent>> = BTreeMap::new();
    for e in &ledger.events {
        by.entry(handle_key(&e.account)).or_default().push(e);
    }
    let mut out = format!(
        "{} for \"{book}\": {} accounts, {} events\n\n",
        path.display(),
        by.len(),
        ledger.events.len()
    );
    let _ = writeln!(
        out,
        "{:<28} {:<34} {:>6} {:>8}  other books",
        "account", "state", "copies", "cost"
    );
    for (handle, mut events) in by {
        events.sort_by_key(|e| (e.day, e.line));
        let this: Vec<&LedgerEvent> = events
            .iter()
            .copied()
            .filter(|e| same_book(&e.book, book))
            .collect();
        let o = microscout_score::outreach::state(&this, today, campaign.outreach.follow_up_days);
        let microscout_score::outreach::Spent { copies, cost } =
            microscout_score::outreach::spent(&this, today, &campaign.economics);
        let others: Vec<String> = events
            .iter()
            .filter(|e| !same_book(&e.book, book) && e.event == EventKind::Posted)
            .map(|e| format!("posted for {}", e.book))
            .collect();
        let _ = writeln!(
            out,
            "{:<28} {:<34} {:>6} {:>8.2}  {}",
            format!("@{}", microscout_model::text::printable(&handle, 26)),
            o.describe(),
            copies,
            cost,
            if others.is_empty() {
                "-".into()
            } else {
                others.join("; ")
            }
        );
    }
    if !ledger.problems.is_empty() {
        let _ = writeln!(
            out,
            "\n{} rows cannot be used:",
            ledger.problems.len() as u64 + ledger.more_problems
        );
        for p in &ledger.problems {
            let _ = writeln!(out, "  line {}: {}", p.line, p.reason);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(line: u64, event: EventKind, cost: Option<f64>, fee: Option<f64>) -> LedgerEvent {
        LedgerEvent {
            line,
            day: 20_000,
            book: "B".into(),
            platform: None,
            account: "@anna".into(),
            event,
            channel: String::new(),
            cost,
            fee,
            code: String::new(),
            note: String::new(),
        }
    }

    /// `outreach --list` adds up an account's cost by the rule of `results.csv`: a copy sent
    /// without a cost counts the campaign's cost per copy.
    #[test]
    fn the_list_counts_costs_as_the_results_do() {
        let mut campaign = microscout_model::Campaign::default();
        campaign.book.title = "B".into();
        campaign.economics.cost_per_copy = Some(4.5);
        let events = vec![
            event(2, EventKind::Contacted, None, None),
            event(3, EventKind::CopySent, None, None),
            event(4, EventKind::CopySent, Some(2.0), Some(1.25)),
            event(5, EventKind::Paid, None, Some(10.0)),
        ];
        let refs: Vec<&LedgerEvent> = events.iter().collect();
        let spent = microscout_score::outreach::spent(&refs, 20_000, &campaign.economics);
        assert_eq!(spent.copies, 2);
        assert_eq!(spent.cost, 4.5 + 2.0 + 1.25 + 10.0);
        let ledger = microscout_ingest::ledger::Ledger {
            events,
            ..Default::default()
        };
        let out = list(&ledger, "B", &campaign, std::path::Path::new("ledger.csv"));
        let line = out.lines().find(|l| l.starts_with("@anna")).expect(&out);
        let cells: Vec<&str> = line.split_whitespace().collect();
        assert!(
            cells.windows(2).any(|w| w == ["2", "17.75"]),
            "copies and cost in {line:?}"
        );
    }
}
