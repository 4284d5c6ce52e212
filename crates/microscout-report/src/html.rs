//! `report.html`: one self-contained page (inline CSS and SVG, no script, nothing fetched).
//! Every string from the input goes through [`esc`]; links are only ever `mailto:` built
//! from an address that [`safe_email`] accepts.

use std::fmt::Write;

use microscout_model::AccountScore;
use microscout_model::numfmt::{amount, count};

use crate::view::{self, Summary};
use crate::{ReportInput, svg};

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// An address safe to put in a `mailto:` link: one `@`, only address characters.
fn safe_email(e: &str) -> bool {
    e.matches('@').count() == 1
        && e.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@._%+-".contains(&b))
}

const CSS: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#1d2330;line-height:1.5}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #e4e7ee;padding-bottom:.3rem}
.meta{color:#5b6475;font-size:.92rem}
.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{flex:1 1 180px;background:#f5f7fb;border-radius:10px;padding:.8rem 1rem}
.card b{display:block;font-size:1.6rem}
.wide{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.6rem 0}
th,td{padding:.35rem .5rem;border-bottom:1px solid #e9ecf2;text-align:left;vertical-align:top}
th{background:#f5f7fb}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.flag{color:#a23b2a;font-weight:600}.muted{color:#6b7385}.nw{white-space:nowrap}
svg{width:100%;height:auto;background:#fff}
.ax{font-size:11px;fill:#5b6475}.bar{fill:#4a7bd0}
.pt-short{fill:#1f9d55;fill-opacity:.85}.pt-flag{fill:#d64545;fill-opacity:.75}.pt-other{fill:#8a93a6;fill-opacity:.35}
.legend span{margin-right:1rem}.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:.3rem}
"#;

fn account(s: &AccountScore) -> String {
    let before = crate::campaign::worked_before(s)
        .map(|w| format!("<br><span class=\"muted\">{}</span>", esc(&w)))
        .unwrap_or_default();
    account_name(s) + &before
}

fn account_name(s: &AccountScore) -> String {
    match &s.display_name {
        Some(n) if !n.trim().is_empty() => format!(
            "@{} <span class=\"muted\">{}</span>",
            esc(&s.handle),
            esc(n.trim())
        ),
        _ => format!("@{}", esc(&s.handle)),
    }
}

pub fn render(input: &ReportInput<'_>) -> String {
    let sum = Summary::of(input);
    let c = input.campaign;
    let mut o = String::new();
    let _ = write!(
        o,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>microscout report: {}</title><style>{CSS}</style></head><body>\n",
        esc(&c.campaign.name)
    );
    let _ = writeln!(o, "<h1>{}</h1>", esc(&c.campaign.name));
    let book = if c.book.title.is_empty() {
        String::new()
    } else {
        format!("Book: <i>{}</i> · ", esc(&c.book.title))
    };
    let _ = writeln!(
        o,
        "<p class=\"meta\">{book}run <code>{}</code> · reference time {} · drop <code>{}</code> · microscout {}</p>",
        esc(&input.run.run_id),
        esc(&view::date_time(input.run.as_of)),
        esc(&input.run.drop),
        esc(&input.run.tool_version)
    );

    let overnight = crate::changes::Overnight::of(input.scores, input.history, input.tonight());
    let (head, lists) = overnight.sections();
    let _ = writeln!(o, "<h2>What changed overnight</h2><p>{}</p>", esc(&head));
    for (title, items) in lists {
        let _ = writeln!(o, "<h3>{title}</h3><ul>");
        for i in items.iter().take(crate::changes::MAX_ITEMS) {
            let _ = writeln!(o, "<li>@{}: {}</li>", esc(&i.handle), esc(&i.what));
        }
        if items.len() > crate::changes::MAX_ITEMS {
            let _ = writeln!(
                o,
                "<li class=\"muted\">… and {} more (scores.csv has every account)</li>",
                items.len() - crate::changes::MAX_ITEMS
            );
        }
        let _ = writeln!(o, "</ul>");
    }

    let _ = writeln!(o, "<div class=\"cards\">");
    for (n, label) in [
        (sum.accounts, "accounts scored"),
        (sum.shortlisted.len(), "on the shortlist"),
        (sum.flagged_accounts, "flagged"),
        (sum.rejected, "input rows rejected"),
    ] {
        let _ = writeln!(
            o,
            "<div class=\"card\"><b>{}</b>{label}</div>",
            count(n as u64)
        );
    }
    let _ = writeln!(o, "</div><ul>");
    for line in sum.glance_lines() {
        let _ = writeln!(o, "<li>{}</li>", esc(&line));
    }
    let _ = writeln!(o, "</ul>");

    let _ = writeln!(o, "<h2>How to read the numbers</h2>");
    for p in view::reading_guide(input) {
        let _ = writeln!(o, "<p>{}</p>", esc(&p));
    }

    let _ = writeln!(o, "<h2>Shortlist</h2>");
    if !input.history.is_empty() {
        let _ = writeln!(
            o,
            "<p class=\"muted\">Trend: followers (solid) and interactions per post (dashed) over \
             the nights in the history, each on its own scale; the figure under it is the \
             followers' change.</p>"
        );
    }
    if sum.shortlisted.is_empty() {
        let _ = writeln!(
            o,
            "<p>No account passed the filters. The flagged accounts below say why.</p>"
        );
    } else {
        let _ = writeln!(
            o,
            "<div class=\"wide\"><table><thead><tr><th class=\"n\">#</th><th>account</th>\
             <th class=\"n\">followers</th><th>trend</th><th>niche fit</th><th class=\"n\">typical post</th>\
             <th class=\"n\">engagement rate</th><th class=\"n\">posts at floor</th>\
             <th class=\"n\">fake followers</th><th>contact</th><th class=\"n\">score</th></tr></thead><tbody>"
        );
        for s in sum.shortlisted.iter().take(view::MAX_ROWS) {
            let contact = match s.email.as_deref() {
                Some(e) if safe_email(e) => {
                    format!("<a href=\"mailto:{}\">{}</a>", esc(e), esc(e))
                }
                _ => esc(&view::contact_cell(s)),
            };
            let _ = writeln!(
                o,
                "<tr><td class=\"n\">{}</td><td>{}<br><span class=\"muted\">{}</span></td><td class=\"n\">{}</td><td>{}</td><td>{}</td>\
                 <td class=\"n\">{} likes<br>{} comments</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{} of {}</td><td class=\"n\">{}</td><td>{contact}</td><td class=\"n\"><b>{}</b></td></tr>",
                s.rank.unwrap_or_default(),
                account(s),
                s.platform,
                s.followers.map_or("n/a".into(), count),
                if s.followers.is_none() {
                    "<span class=\"muted\">no follower count</span>".to_string()
                } else {
                    let nights = crate::changes::trend(s, input.history, input.tonight());
                    match crate::changes::trend_change(&nights) {
                        Some(c) => format!(
                            "{}<br><span class=\"muted nw\">{}</span>",
                            crate::svg::trend(&nights),
                            esc(&c)
                        ),
                        None => crate::svg::trend(&nights),
                    }
                },
                esc(&view::niche_cell(s)),
                esc(&view::likes_cell(s)),
                s.median_comments.map_or("n/a".into(), amount),
                esc(&view::rate_cell(s)),
                s.posts_at_floor,
                s.posts_in_window,
                esc(&view::fake_cell(s)),
                s.score.map_or("n/a".into(), |x| format!("{x:.1}")),
            );
        }
        let _ = writeln!(o, "</tbody></table></div>");
        if sum.shortlisted.len() > view::MAX_ROWS {
            let _ = writeln!(
                o,
                "<p class=\"muted\">The top {} of {} are shown; shortlist.csv has them all.</p>",
                view::MAX_ROWS,
                count(sum.shortlisted.len() as u64)
            );
        }
    }

    if let Some((intro, add, exclude)) = view::suggestions(input.suggestions) {
        let _ = writeln!(o, "<h2>Keywords to try</h2>");
        let _ = writeln!(o, "<p>{}</p>", esc(&intro));
        for (title, lines) in [("To add", &add), ("To exclude", &exclude)] {
            if !lines.is_empty() {
                let _ = writeln!(o, "<p>{title}:</p><ul>");
                for line in lines {
                    let _ = writeln!(o, "<li>{}</li>", esc(line));
                }
                let _ = writeln!(o, "</ul>");
            }
        }
    }

    outreach_sections(&mut o, input);

    if !sum.shortlisted.is_empty() {
        let _ = writeln!(o, "<h2>Outreach briefs</h2>");
        let _ = writeln!(
            o,
            "<p class=\"muted\">For the top {} of the shortlist; every shortlisted account has one in shortlist.csv.</p>",
            sum.shortlisted.len().min(view::BRIEFS)
        );
        for s in sum.shortlisted.iter().take(view::BRIEFS) {
            let _ = writeln!(
                o,
                "<h3>{}. {}</h3><p>{}</p><ul>",
                s.rank.unwrap_or_default(),
                account(s),
                esc(&crate::brief::why(s, c))
            );
            for part in crate::brief::outreach_brief(s, c) {
                let _ = writeln!(o, "<li>{}</li>", esc(&part));
            }
            let _ = writeln!(o, "</ul>");
        }
    }

    let _ = writeln!(o, "<h2>Engagement against size</h2>");
    let (chart, caption) = svg::engagement_scatter(input.scores);
    let _ = writeln!(
        o,
        "<p class=\"legend\"><span><i class=\"dot pt-short\" style=\"background:#1f9d55\"></i>shortlisted</span>\
         <span><i class=\"dot\" style=\"background:#d64545\"></i>flagged</span>\
         <span><i class=\"dot\" style=\"background:#8a93a6\"></i>other</span></p>{chart}\
         <p class=\"muted\">{}</p>",
        esc(&caption)
    );
    let _ = writeln!(
        o,
        "<h2>Accounts per tier</h2>{}",
        svg::tier_bars(input.scores)
    );

    let _ = writeln!(o, "<h2>Flagged accounts</h2>");
    if sum.flagged.is_empty() {
        let _ = writeln!(o, "<p>No account was flagged.</p>");
    } else {
        let with_comments = view::flagged_have_comments(&sum.flagged);
        let _ = writeln!(
            o,
            "<table><thead><tr><th>account</th><th>platform</th><th class=\"n\">followers</th>\
             <th>flag</th><th>reason</th>{}</tr></thead><tbody>",
            if with_comments {
                "<th>comments</th>"
            } else {
                ""
            }
        );
        for (s, f) in sum.flagged.iter().take(view::MAX_ROWS) {
            let comments = if with_comments {
                format!("<td>{}</td>", esc(&crate::brief::comments_cell(s)))
            } else {
                String::new()
            };
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"flag\">{}</td><td>{}</td>{comments}</tr>",
                account(s),
                s.platform,
                s.followers.map_or("n/a".into(), count),
                f.code.as_str().replace('_', " "),
                esc(&f.reason.to_string()),
            );
        }
        let _ = writeln!(o, "</tbody></table>");
        if sum.flagged.len() > view::MAX_ROWS {
            let _ = writeln!(
                o,
                "<p class=\"muted\">{} of {} flags are shown, the largest accounts first; flags.csv has them all.</p>",
                view::MAX_ROWS,
                count(sum.flagged.len() as u64)
            );
        }
    }

    let pods = view::pods(input.scores);
    if !pods.is_empty() {
        let _ = writeln!(o, "<h2>Engagement pods</h2>");
        let _ = writeln!(
            o,
            "<p>Accounts of this drop that comment on each other's recent posts at least every other post, both ways, four or more linked: their comments are arranged, not readers'.</p><ul>"
        );
        for (platform, members) in &pods {
            let _ = writeln!(o, "<li>{}</li>", esc(&view::pod_line(platform, members)));
        }
        let _ = writeln!(o, "</ul>");
    }
    if let Some((intro, farms)) = view::farms(input.overlap) {
        let _ = writeln!(o, "<h2>Follower farms</h2>");
        let _ = writeln!(o, "<p>{}</p>", esc(&intro));
        if !farms.is_empty() {
            let _ = writeln!(o, "<ul>");
            for line in &farms {
                let _ = writeln!(o, "<li>{}</li>", esc(line));
            }
            let _ = writeln!(o, "</ul>");
        }
    }
    let _ = writeln!(o, "<h2>Input</h2>");
    let _ = writeln!(
        o,
        "<table><thead><tr><th>file</th><th>table</th><th class=\"n\">rows read</th>\
         <th class=\"n\">accepted</th><th class=\"n\">rejected</th></tr></thead><tbody>"
    );
    for f in input.files {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&f.file),
            f.table,
            count(f.rows_read),
            count(f.accepted),
            count(f.rejected)
        );
    }
    let _ = writeln!(o, "</tbody></table>");
    let stopped = view::stopped_files(input.files);
    if !stopped.is_empty() {
        let _ = writeln!(o, "<p>Files not read to their end:</p><ul>");
        for (file, why) in stopped {
            let _ = writeln!(o, "<li><code>{}</code>: {}</li>", esc(file), esc(why));
        }
        let _ = writeln!(o, "</ul>");
    }
    if !input.rejected.is_empty() {
        let _ = writeln!(
            o,
            "<p>Rejected rows by reason (all are in rejected.csv):</p><ul>"
        );
        for (reason, n) in input.rejected.kinds() {
            let _ = writeln!(o, "<li>{}: {}</li>", esc(&reason), count(n));
        }
        let _ = writeln!(o, "</ul>");
    }

    let _ = writeln!(
        o,
        "<h2>Definitions</h2><table><thead><tr><th>metric</th><th>formula</th><th>unit</th></tr></thead><tbody>"
    );
    for (m, f, u) in view::DEFINITIONS {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(m),
            esc(f),
            esc(u)
        );
    }
    let _ = writeln!(o, "</tbody></table>\n</body></html>");
    o
}

/// "In outreach" and "Campaign results", when the ledger has anything for this book.
fn outreach_sections(o: &mut String, input: &ReportInput<'_>) {
    use crate::campaign;
    let Some((busy, r, cur)) = campaign::view(input) else {
        return;
    };
    if !busy.is_empty() {
        let _ = writeln!(o, "<h2>In outreach (off the ranking)</h2><ul>");
        for s in busy.iter().take(view::MAX_ROWS) {
            let due = if s.outreach.follow_up_due {
                " class=\"flag\""
            } else {
                ""
            };
            let _ = writeln!(
                o,
                "<li>{}: <span{due}>{}</span></li>",
                account(s),
                esc(&campaign::state_line(s, r))
            );
        }
        let _ = writeln!(o, "</ul>");
    }
    let _ = writeln!(
        o,
        "<h2>Campaign results</h2><p>{}</p>",
        esc(&campaign::totals(r, cur))
    );
    if !r.accounts.is_empty() {
        let _ = write!(o, "<div class=\"wide\"><table><thead><tr>");
        for h in campaign::RESULT_HEADERS {
            let _ = write!(o, "<th>{h}</th>");
        }
        let _ = writeln!(o, "</tr></thead><tbody>");
        for a in r.accounts.iter().take(view::MAX_ROWS) {
            let _ = write!(o, "<tr>");
            for c in campaign::result_cells(a, cur) {
                let _ = write!(o, "<td>{}</td>", esc(&c));
            }
            let _ = writeln!(o, "</tr>");
        }
        let _ = writeln!(o, "</tbody></table></div>");
    }
    if !r.deliveries.is_empty() {
        let _ = writeln!(o, "<h3>Posts about the book</h3><ul>");
        for d in r.deliveries.iter().take(view::MAX_ROWS) {
            let _ = writeln!(o, "<li>{}</li>", esc(&campaign::delivery_line(d)));
        }
        let _ = writeln!(o, "</ul>");
    }
    if !r.problems.is_empty() {
        let _ = writeln!(
            o,
            "<h3>Ledger rows that were not used</h3><p class=\"muted\">Fix them in the ledger; nothing else was lost.</p><ul>"
        );
        for p in r.problems.iter().take(view::MAX_ROWS) {
            let _ = writeln!(
                o,
                "<li>line {}: {} <code>{}</code></li>",
                p.line,
                esc(&p.reason),
                esc(&p.raw)
            );
        }
        let _ = writeln!(o, "</ul>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn mailto_only_for_plain_addresses() {
        assert!(safe_email("jo@example.com"));
        assert!(!safe_email("jo@example.com\" onmouseover=\"x"));
        assert!(!safe_email("javascript:alert(1)"));
    }
}
