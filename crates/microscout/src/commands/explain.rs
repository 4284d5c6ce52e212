//! `microscout explain`: everything known about one account from a finished run.

use anyhow::{Context, anyhow};

use crate::{Failure, cli};

/// `microscout explain`: the account's rows from the run's scores.csv and shortlist.csv,
/// as text.
pub fn explain(args: &cli::ExplainArgs) -> Result<String, Failure> {
    let run_id = match &args.run {
        Some(r) => r.clone(),
        None => std::fs::read_to_string(args.out.join("LATEST"))
            .map(|s| s.trim().to_string())
            .with_context(|| {
                format!(
                    "no complete run in {} (no LATEST file): run `microscout run` first",
                    args.out.display()
                )
            })
            .map_err(Failure::Run)?,
    };
    let dir = args.out.join(&run_id);
    let read = |name: &str| -> anyhow::Result<Vec<Vec<(String, String)>>> {
        let path = dir.join(name);
        let mut r = csv::Reader::from_path(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let headers = r.headers()?.clone();
        r.records()
            .map(|rec| {
                let rec = rec?;
                Ok(headers
                    .iter()
                    .zip(rec.iter())
                    .map(|(h, v)| (h.to_string(), v.to_string()))
                    .collect())
            })
            .collect()
    };
    let scores = read("scores.csv").map_err(Failure::Run)?;
    let shortlist = read("shortlist.csv").map_err(Failure::Run)?;
    let want = args.handle.trim().trim_start_matches('@').to_lowercase();
    let get = |row: &[(String, String)], k: &str| -> String {
        row.iter()
            .find(|(h, _)| h == k)
            // Text from the input never reaches the terminal raw (escape sequences in a
            // display name or bio are shown, not obeyed).
            .map(|(_, v)| microscout_model::text::printable(v.trim_start_matches('\''), 4000))
            .unwrap_or_default()
    };
    let matches: Vec<&Vec<(String, String)>> = scores
        .iter()
        .filter(|r| get(r, "handle").to_lowercase() == want || get(r, "account_id") == args.handle)
        .filter(|r| {
            args.platform
                .as_deref()
                .is_none_or(|p| get(r, "platform").eq_ignore_ascii_case(p))
        })
        .collect();
    if matches.is_empty() {
        return Err(Failure::Run(anyhow!(
            "no account with handle or id {:?} in run {run_id} ({} accounts)",
            args.handle,
            scores.len()
        )));
    }
    let mut out = String::new();
    for row in matches {
        // Numbers as people read them; text as it is.
        let g = |k: &str| {
            let v = get(row, k);
            let Ok(x) = v.parse::<f64>() else {
                return v;
            };
            use microscout_model::numfmt::{amount, count, percent};
            match k {
                "engagement_rate"
                | "comments_rate"
                | "fake_share"
                | "fake_share_low"
                | "fake_share_high"
                | "mass_follower_share"
                | "reachable_share"
                | "share_at_floor"
                | "likes_cv" => percent(x),
                "followers"
                | "reachable_audience"
                | "reachable_audience_low"
                | "reachable_audience_high"
                | "engaged_readers"
                | "engaged_readers_low"
                | "engaged_readers_high" => count(x.round().max(0.0) as u64),
                "score"
                | "relevance"
                | "engagement_vs_drop"
                | "like_comment_vs_drop"
                | "cost_per_engaged_reader" => format!("{x:.2}"),
                _ if v.contains('.') => amount(x),
                _ => v,
            }
        };
        let line = |out: &mut String, label: &str, v: String| {
            if !v.is_empty() {
                out.push_str(&format!("  {label:<22} {v}\n"));
            }
        };
        out.push_str(&format!(
            "@{} ({}, account_id {}){}\n",
            g("handle"),
            g("platform"),
            g("account_id"),
            if g("display_name").is_empty() {
                String::new()
            } else {
                format!(", \"{}\"", g("display_name"))
            }
        ));
        out.push_str(&format!("Run {run_id}\n\n"));
        out.push_str("Standing\n");
        if g("rank").is_empty() {
            line(
                &mut out,
                "shortlist",
                format!("no: {}", g("not_shortlisted_because")),
            );
        } else {
            line(&mut out, "shortlist", format!("rank {}", g("rank")));
        }
        line(&mut out, "score (0-100)", g("score"));
        if let Some(s) = shortlist.iter().find(|s| {
            get(s, "account_id") == g("account_id") && get(s, "platform") == g("platform")
        }) {
            out.push_str(&format!("\nWhy\n  {}\n\nOutreach brief\n", get(s, "why")));
            for part in get(s, "outreach_brief").split(" | ") {
                out.push_str(&format!("  - {part}\n"));
            }
        }
        out.push_str("\nSize and engagement\n");
        line(
            &mut out,
            "followers",
            format!("{} ({})", g("followers"), g("tier")),
        );
        line(&mut out, "posts in window", g("posts_in_window"));
        line(
            &mut out,
            "window",
            format!("{} to {}", g("window_start"), g("window_end")),
        );
        line(
            &mut out,
            "median likes",
            format!("{} [{}]", g("median_likes"), g("likes_status")),
        );
        line(&mut out, "avg likes", g("avg_likes"));
        line(
            &mut out,
            "median comments",
            format!("{} [{}]", g("median_comments"), g("comments_status")),
        );
        line(&mut out, "avg comments", g("avg_comments"));
        line(
            &mut out,
            "engagement rate",
            format!("{} [{}]", g("engagement_rate"), g("engagement_rate_status")),
        );
        line(&mut out, "comments rate", g("comments_rate"));
        line(
            &mut out,
            "floor (likes/comments)",
            format!("{} / {}", g("likes_floor"), g("comments_floor")),
        );
        line(&mut out, "posts at floor", g("posts_at_floor"));
        line(
            &mut out,
            "vs this drop",
            format!(
                "{} [{}]",
                g("engagement_vs_drop"),
                g("engagement_vs_drop_status")
            ),
        );
        line(&mut out, "published benchmarks", g("published_benchmarks"));
        out.push_str("\nFlags\n");
        line(
            &mut out,
            "flags",
            if g("flags").is_empty() {
                "none".into()
            } else {
                g("flags")
            },
        );
        line(&mut out, "reasons", g("reasons"));
        out.push_str("\nAuthenticity\n");
        line(&mut out, "verdict", g("authenticity_verdict"));
        line(&mut out, "reasons", g("authenticity_reasons"));
        line(
            &mut out,
            "fake followers",
            format!(
                "{} ({} to {}) [{}]",
                g("fake_share"),
                g("fake_share_low"),
                g("fake_share_high"),
                g("fake_share_status")
            ),
        );
        line(&mut out, "mass followers", g("mass_follower_share"));
        line(
            &mut out,
            "reachable audience",
            format!(
                "{} ({} to {})",
                g("reachable_audience"),
                g("reachable_audience_low"),
                g("reachable_audience_high")
            ),
        );
        line(
            &mut out,
            "likes per comment",
            format!(
                "{} ({}x the drop's median)",
                g("like_comment_ratio"),
                g("like_comment_vs_drop")
            ),
        );
        line(&mut out, "likes variation (CV)", g("likes_cv"));
        out.push_str("\nNiche\n");
        line(
            &mut out,
            "relevance (0-1)",
            format!("{} [{}]", g("relevance"), g("relevance_status")),
        );
        line(
            &mut out,
            "on-niche posts",
            format!(
                "{} of {}",
                g("on_niche_posts"),
                g("posts_read_for_relevance")
            ),
        );
        line(&mut out, "keywords", g("matched_keywords"));
        line(
            &mut out,
            "excluded keywords",
            g("excluded_keywords_matched"),
        );
        for p in g("best_posts").split(" | ").filter(|p| !p.is_empty()) {
            line(&mut out, "best post", p.to_string());
        }
        out.push_str("\nContact and economics\n");
        line(
            &mut out,
            "contact",
            format!(
                "{} {} (from {})",
                g("contact_route"),
                g("contact"),
                g("contact_source")
            ),
        );
        line(
            &mut out,
            "email",
            format!("{} [{}]", g("email"), g("email_source")),
        );
        line(
            &mut out,
            "engaged readers",
            format!(
                "{} ({} to {}) [{}]",
                g("engaged_readers"),
                g("engaged_readers_low"),
                g("engaged_readers_high"),
                g("engaged_readers_status")
            ),
        );
        line(
            &mut out,
            "cost per reader",
            format!("{} [{}]", g("cost_per_engaged_reader"), g("cost_status")),
        );
        out.push('\n');
    }
    Ok(out)
}
