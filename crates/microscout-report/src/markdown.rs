//! `report.md`: the summary for people, in Markdown. Every string from the input goes
//! through [`esc`].

use std::fmt::Write;

use microscout_model::AccountScore;
use microscout_model::numfmt::{amount, count, percent};

use crate::ReportInput;
use crate::view::{self, Summary};

/// Escapes text for Markdown: inline-significant characters get a backslash, a leading
/// block marker (`#`, `-`, `+`, `=`, `1.`) is escaped, and line breaks become spaces, so user
/// text can neither format nor break a table or list.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let first_digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if s.starts_with(['#', '-', '+', '=', '>'])
        || (first_digits > 0
            && (s[first_digits..].starts_with(". ")
                || s[first_digits..].starts_with(") ")
                || matches!(&s[first_digits..], "." | ")")))
    {
        out.push('\\');
    }
    for ch in s.chars() {
        match ch {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn account(s: &AccountScore) -> String {
    match &s.display_name {
        Some(n) if !n.trim().is_empty() => format!("@{} ({})", esc(&s.handle), esc(n.trim())),
        _ => format!("@{}", esc(&s.handle)),
    }
}

pub fn render(input: &ReportInput<'_>) -> String {
    let sum = Summary::of(input);
    let c = input.campaign;
    let mut o = String::new();
    let _ = writeln!(o, "# microscout report: {}\n", esc(&c.campaign.name));
    if !c.book.title.is_empty() {
        let _ = writeln!(o, "Book: *{}*  ", esc(&c.book.title));
    }
    let _ = writeln!(
        o,
        "Run `{}` · reference time {} · drop `{}` · microscout {}\n",
        input.run.run_id,
        view::date_time(input.run.as_of),
        esc(&input.run.drop).replace('`', "'"),
        input.run.tool_version
    );

    let overnight = crate::changes::Overnight::of(input.scores, input.history, input.tonight());
    let (head, lists) = overnight.sections();
    let _ = writeln!(o, "## What changed overnight\n\n{head}\n");
    for (title, items) in lists {
        let _ = writeln!(o, "**{title}**\n");
        for i in items.iter().take(crate::changes::MAX_ITEMS) {
            let _ = writeln!(o, "- @{}: {}", esc(&i.handle), esc(&i.what));
        }
        if items.len() > crate::changes::MAX_ITEMS {
            let _ = writeln!(
                o,
                "- … and {} more (scores.csv has every account)",
                items.len() - crate::changes::MAX_ITEMS
            );
        }
        o.push('\n');
    }

    let _ = writeln!(o, "## At a glance\n");
    for line in sum.glance_lines() {
        let _ = writeln!(o, "- {line}");
    }
    o.push('\n');

    let _ = writeln!(o, "## How to read the numbers\n");
    for p in view::reading_guide(input) {
        let _ = writeln!(o, "{p}\n");
    }

    let _ = writeln!(o, "## Shortlist\n");
    if sum.shortlisted.is_empty() {
        let _ = writeln!(
            o,
            "No account passed the filters. The flagged accounts below say why; the band and \
             floor are in the campaign file.\n"
        );
    } else {
        let _ = writeln!(
            o,
            "| # | account | platform | followers | trend | niche fit | median likes | median comments | engagement rate | posts at floor | fake followers | contact | score |"
        );
        let _ = writeln!(
            o,
            "|---:|---|---|---:|---|---|---:|---:|---:|---:|---:|---|---:|"
        );
        for s in sum.shortlisted.iter().take(view::MAX_ROWS) {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} of {} | {} | {} | {} |",
                s.rank.unwrap_or_default(),
                account(s),
                s.platform,
                s.followers.map_or("n/a".into(), count),
                if s.followers.is_none() {
                    // A blog has no follower count to follow.
                    "no follower count".to_string()
                } else {
                    crate::changes::sparkline(&crate::changes::trend(
                        s,
                        input.history,
                        input.tonight(),
                    ))
                },
                esc(&view::niche_cell(s)),
                view::likes_cell(s),
                s.median_comments.map_or("n/a".into(), amount),
                view::rate_cell(s),
                s.posts_at_floor,
                s.posts_in_window,
                view::fake_cell(s),
                esc(&view::contact_cell(s)),
                s.score.map_or("n/a".into(), |x| format!("{x:.1}")),
            );
        }
        if sum.shortlisted.len() > view::MAX_ROWS {
            let _ = writeln!(
                o,
                "\nThe top {} of {} are shown; `shortlist.csv` has them all.",
                view::MAX_ROWS,
                sum.shortlisted.len()
            );
        }
        o.push('\n');
    }

    if let Some((intro, add, exclude)) = view::suggestions(input.suggestions) {
        let _ = writeln!(o, "## Keywords to try\n");
        let _ = writeln!(o, "{}\n", esc(&intro));
        for (title, lines) in [("To add", &add), ("To exclude", &exclude)] {
            if !lines.is_empty() {
                let _ = writeln!(o, "{title}:\n");
                for line in lines {
                    let _ = writeln!(o, "- {}", esc(line));
                }
                o.push('\n');
            }
        }
    }

    outreach_sections(&mut o, input);

    if !sum.shortlisted.is_empty() {
        let _ = writeln!(o, "## Outreach briefs\n");
        let _ = writeln!(
            o,
            "For the top {} of the shortlist; every shortlisted account has one in `shortlist.csv`.\n",
            sum.shortlisted.len().min(view::BRIEFS)
        );
        for s in sum.shortlisted.iter().take(view::BRIEFS) {
            let _ = writeln!(o, "### {}. {}\n", s.rank.unwrap_or_default(), account(s));
            let _ = writeln!(o, "{}\n", esc(&crate::brief::why(s, c)));
            for part in crate::brief::outreach_brief(s, c) {
                let _ = writeln!(o, "- {}", esc(&part));
            }
            o.push('\n');
        }
    }

    let _ = writeln!(o, "## Flagged accounts\n");
    if sum.flagged.is_empty() {
        let _ = writeln!(o, "No account was flagged.\n");
    } else {
        // The comments column only when the drop has comments to show.
        let with_comments = view::flagged_have_comments(&sum.flagged);
        let (head, rule) = if with_comments {
            (" comments |", "---|")
        } else {
            ("", "")
        };
        let _ = writeln!(
            o,
            "| account | platform | followers | flag | reason |{head}"
        );
        let _ = writeln!(o, "|---|---|---:|---|---|{rule}");
        for (s, f) in sum.flagged.iter().take(view::MAX_ROWS) {
            let comments = if with_comments {
                format!(" {} |", esc(&crate::brief::comments_cell(s)))
            } else {
                String::new()
            };
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |{comments}",
                account(s),
                s.platform,
                s.followers.map_or("n/a".into(), count),
                f.code.as_str().replace('_', " "),
                esc(&f.reason.to_string()),
            );
        }
        if sum.flagged.len() > view::MAX_ROWS {
            let _ = writeln!(
                o,
                "\n{} of {} flags are shown, the largest accounts first; `flags.csv` has them all.",
                view::MAX_ROWS,
                sum.flagged.len()
            );
        }
        o.push('\n');
    }

    let pods = view::pods(input.scores);
    if !pods.is_empty() {
        let _ = writeln!(o, "## Engagement pods\n");
        let _ = writeln!(
            o,
            "Accounts of this drop that comment on each other's recent posts at least every other post, both ways, four or more linked: their comments are arranged, not readers'.\n"
        );
        for (platform, members) in &pods {
            let _ = writeln!(o, "- {}", esc(&view::pod_line(platform, members)));
        }
        o.push('\n');
    }

    if let Some((intro, farms)) = view::farms(input.overlap) {
        let _ = writeln!(o, "## Follower farms\n");
        let _ = writeln!(o, "{}\n", esc(&intro));
        for line in &farms {
            let _ = writeln!(o, "- {}", esc(line));
        }
        if !farms.is_empty() {
            o.push('\n');
        }
    }

    let _ = writeln!(o, "## Input\n");
    let _ = writeln!(o, "| file | table | rows read | accepted | rejected |");
    let _ = writeln!(o, "|---|---|---:|---:|---:|");
    for f in input.files {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            esc(&f.file),
            f.table,
            count(f.rows_read),
            count(f.accepted),
            count(f.rejected)
        );
    }
    o.push('\n');
    let stopped = view::stopped_files(input.files);
    if !stopped.is_empty() {
        let _ = writeln!(o, "Files not read to their end:\n");
        for (file, why) in stopped {
            let _ = writeln!(o, "- `{}`: {}", esc(file), esc(why));
        }
        o.push('\n');
    }
    if !input.rejected.is_empty() {
        let _ = writeln!(
            o,
            "Rejected rows by reason (all of them are in `rejected.csv`):\n"
        );
        for (reason, n) in input.rejected.kinds() {
            let _ = writeln!(o, "- {}: {}", esc(&reason), count(n));
        }
        o.push('\n');
    }

    let _ = writeln!(o, "## Definitions\n");
    let _ = writeln!(o, "| metric | formula | unit |");
    let _ = writeln!(o, "|---|---|---|");
    for (m, f, u) in view::DEFINITIONS {
        let _ = writeln!(o, "| {m} | {f} | {u} |");
    }
    let _ = writeln!(
        o,
        "\nThe share of window posts at the floor is `posts_at_floor / posts_in_window`; accounts reaching it on fewer than {} of their window posts are flagged.",
        percent(c.engagement.min_share_at_floor)
    );
    o
}

/// "In outreach" and "Campaign results", when the ledger has anything for this book.
fn outreach_sections(o: &mut String, input: &ReportInput<'_>) {
    use crate::campaign;
    let Some((busy, r, cur)) = campaign::view(input) else {
        return;
    };
    if !busy.is_empty() {
        let _ = writeln!(o, "## In outreach (off the ranking)\n");
        for s in busy.iter().take(view::MAX_ROWS) {
            let _ = writeln!(
                o,
                "- {}: {}{}",
                account(s),
                esc(&campaign::state_line(s, r)),
                campaign::worked_before(s)
                    .map(|w| format!(" · {}", esc(&w)))
                    .unwrap_or_default()
            );
        }
        if busy.len() > view::MAX_ROWS {
            let _ = writeln!(
                o,
                "- … and {} more (results.csv)",
                busy.len() - view::MAX_ROWS
            );
        }
        o.push('\n');
    }
    let _ = writeln!(o, "## Campaign results\n");
    let _ = writeln!(o, "{}\n", esc(&campaign::totals(r, cur)));
    if !r.accounts.is_empty() {
        let _ = writeln!(o, "| {} |", campaign::RESULT_HEADERS.join(" | "));
        let _ = writeln!(o, "|{}", "---|".repeat(campaign::RESULT_HEADERS.len()));
        for a in r.accounts.iter().take(view::MAX_ROWS) {
            let cells: Vec<String> = campaign::result_cells(a, cur)
                .iter()
                .map(|c| esc(c))
                .collect();
            let _ = writeln!(o, "| {} |", cells.join(" | "));
        }
        o.push('\n');
    }
    if !r.deliveries.is_empty() {
        let _ = writeln!(o, "**Posts about the book**\n");
        for d in r.deliveries.iter().take(view::MAX_ROWS) {
            let _ = writeln!(o, "- {}", esc(&campaign::delivery_line(d)));
        }
        o.push('\n');
    }
    if !r.problems.is_empty() {
        let _ = writeln!(
            o,
            "**Ledger rows that were not used** (fix them in the ledger; nothing else was lost)\n"
        );
        for p in r.problems.iter().take(view::MAX_ROWS) {
            let _ = writeln!(
                o,
                "- line {}: {} `{}`",
                p.line,
                esc(&p.reason),
                esc(&p.raw).replace('`', "'")
            );
        }
        o.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn escapes_markdown() {
        assert_eq!(esc("a|b"), "a\\|b");
        assert_eq!(esc("# big"), "\\# big");
        assert_eq!(esc("- item"), "\\- item");
        assert_eq!(esc("1. one"), "\\1. one");
        // A number is not a list marker unless a space follows (no stray backslash in
        // "0.82 · big emotions").
        assert_eq!(esc("0.82 · big emotions (7)"), "0.82 · big emotions (7)");
        assert_eq!(esc("3)"), "\\3)");
        assert_eq!(esc("[x](javascript:y)"), "\\[x\\](javascript:y)");
        assert_eq!(esc("<b>\nhi"), "\\<b\\> hi");
        assert_eq!(esc("posts-0001.csv"), "posts-0001.csv");
    }
}
