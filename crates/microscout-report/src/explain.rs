//! `microscout explain`: everything known about one account from a finished run, as text
//! for a terminal. It reads the run's typed tables (`scores.parquet`, `shortlist.parquet`),
//! never its own CSV, so text holding `" | "`, a leading `=` or quotes comes back as it was;
//! every string from the input is made printable (escape sequences are shown, not obeyed).

use std::path::{Path, PathBuf};

use microscout_model::numfmt::{amount, count, percent, rfc3339};
use microscout_model::text::printable;
use polars::prelude::{AnyValue, DataFrame, ParquetReader, PolarsError, SerReader};

use crate::columns::Show;

/// Why an account cannot be explained.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: PolarsError,
    },
    #[error("cannot open {path}: {source} (is it a complete microscout run?)")]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path} has no column `{column}`: it was written by another version of microscout \
         or changed since (run the night again to rewrite it)"
    )]
    MissingColumn { path: PathBuf, column: &'static str },
    #[error("no account with handle or id {wanted:?} in run {run_id} ({accounts} accounts)")]
    NotFound {
        wanted: String,
        run_id: String,
        accounts: usize,
    },
}

/// Refuses a table that lacks one of `columns` (instead of showing it empty).
fn check_columns(
    df: &DataFrame,
    path: &Path,
    columns: &[&'static str],
) -> Result<(), ExplainError> {
    match columns.iter().find(|c| df.column(c).is_err()) {
        Some(column) => Err(ExplainError::MissingColumn {
            path: path.to_owned(),
            column,
        }),
        None => Ok(()),
    }
}

fn read(path: &Path) -> Result<DataFrame, ExplainError> {
    let f = std::fs::File::open(path).map_err(|source| ExplainError::Open {
        path: path.to_owned(),
        source,
    })?;
    ParquetReader::new(f)
        .finish()
        .map_err(|source| ExplainError::Read {
            path: path.to_owned(),
            source,
        })
}

/// One row of a typed output table.
struct Row<'a> {
    df: &'a DataFrame,
    i: usize,
}

impl Row<'_> {
    /// The cell of column `k`, which the registry defines and the table was checked to
    /// hold ([`check_columns`]).
    fn value(&self, k: &str) -> Option<AnyValue<'_>> {
        let c = crate::columns::def(k);
        self.df.column(c.name).ok()?.get(self.i).ok()
    }

    /// The cell as a person reads it: numbers formatted by what they measure, text made
    /// printable, missing as empty.
    fn g(&self, k: &str) -> String {
        let Some(v) = self.value(k) else {
            return String::new();
        };
        let x = match v {
            AnyValue::Null => return String::new(),
            AnyValue::String(s) => return printable(s, 4000),
            AnyValue::StringOwned(s) => return printable(&s, 4000),
            AnyValue::Boolean(b) => return b.to_string(),
            AnyValue::Datetime(ms, _, _) | AnyValue::DatetimeOwned(ms, _, _) => {
                return rfc3339(ms.div_euclid(1000));
            }
            AnyValue::Int64(i) => return i.to_string(),
            AnyValue::Int32(i) => return i.to_string(),
            AnyValue::Float64(x) => x,
            other => return printable(&other.to_string(), 4000),
        };
        match crate::columns::def(k).show {
            Show::Percent => percent(x),
            Show::People => count(x.round().max(0.0) as u64),
            Show::Fixed2 => format!("{x:.2}"),
            Show::Amount | Show::Plain => amount(x),
        }
    }

    /// A list cell's items, each made printable.
    fn list(&self, k: &str) -> Vec<String> {
        let Ok(c) = self.df.column(crate::columns::def(k).name) else {
            return Vec::new();
        };
        let Ok(l) = c.list() else {
            return Vec::new();
        };
        let Some(items) = l.get_as_series(self.i) else {
            return Vec::new();
        };
        let Ok(items) = items.str().cloned() else {
            return Vec::new();
        };
        items.iter().flatten().map(|s| printable(s, 4000)).collect()
    }

    fn raw_text(&self, k: &str) -> String {
        match self.value(k) {
            Some(AnyValue::String(s)) => s.to_string(),
            Some(AnyValue::StringOwned(s)) => s.to_string(),
            _ => String::new(),
        }
    }
}

/// "6% (2% to 14%) [status]"; only the status when there is no value.
fn with_range(value: &str, low: &str, high: &str, status: &str) -> String {
    let status = if status.is_empty() {
        String::new()
    } else {
        format!(" [{status}]")
    };
    if value.is_empty() {
        return status.trim_start().to_string();
    }
    format!("{value} ({low} to {high}){status}")
}

/// Everything known about the accounts whose handle (any case, with or without `@`) or
/// account id is `wanted`, optionally on one platform, in the run folder `run_dir`.
pub fn explain(
    run_dir: &Path,
    run_id: &str,
    wanted: &str,
    platform: Option<&str>,
) -> Result<String, ExplainError> {
    let (scores_path, shortlist_path) = (
        run_dir.join("scores.parquet"),
        run_dir.join("shortlist.parquet"),
    );
    let scores = read(&scores_path)?;
    check_columns(&scores, &scores_path, crate::SCORES_COLUMNS)?;
    let shortlist = read(&shortlist_path)?;
    check_columns(&shortlist, &shortlist_path, crate::SHORTLIST_COLUMNS)?;
    let handle = wanted.trim().trim_start_matches('@').to_lowercase();
    let rows: Vec<Row<'_>> = (0..scores.height())
        .map(|i| Row { df: &scores, i })
        .filter(|r| {
            r.raw_text("handle").to_lowercase() == handle || r.raw_text("account_id") == wanted
        })
        .filter(|r| platform.is_none_or(|p| r.raw_text("platform").eq_ignore_ascii_case(p)))
        .collect();
    if rows.is_empty() {
        return Err(ExplainError::NotFound {
            wanted: wanted.to_string(),
            run_id: run_id.to_string(),
            accounts: scores.height(),
        });
    }
    let mut out = String::new();
    for row in rows {
        let g = |k: &str| row.g(k);
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
        out.push_str(&format!("Run {}\n\n", printable(run_id, 200)));
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
        if let Some(s) = (0..shortlist.height())
            .map(|i| Row { df: &shortlist, i })
            .find(|s| s.g("account_id") == g("account_id") && s.g("platform") == g("platform"))
        {
            out.push_str(&format!("\nWhy\n  {}\n\nOutreach brief\n", s.g("why")));
            for part in s.list("outreach_brief") {
                out.push_str(&format!("  - {part}\n"));
            }
        }
        out.push_str("\nSize and engagement\n");
        line(
            &mut out,
            "followers",
            format!(
                "{} ({})",
                row.value("followers")
                    .and_then(|v| v.extract::<i64>())
                    .map_or(String::new(), |f| count(f.max(0) as u64)),
                g("tier")
            ),
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
        out.push_str("\nGrowth (the history store)\n");
        line(
            &mut out,
            "nights",
            format!("{} [{}]", g("history_nights"), g("growth_status")),
        );
        line(&mut out, "followers per day", g("followers_change_per_day"));
        line(
            &mut out,
            "signals",
            if g("growth_signals").is_empty() {
                "none".into()
            } else {
                g("growth_signals")
            },
        );
        out.push_str("\nAuthenticity\n");
        line(&mut out, "verdict", g("authenticity_verdict"));
        line(&mut out, "reasons", g("authenticity_reasons"));
        line(
            &mut out,
            "fake followers",
            with_range(
                &g("fake_share"),
                &g("fake_share_low"),
                &g("fake_share_high"),
                &g("fake_share_status"),
            ),
        );
        line(&mut out, "mass followers", g("mass_follower_share"));
        line(
            &mut out,
            "follower overlap",
            format!(
                "of {} sampled followers, {} also in another sample, {} in {} or more, {} across the niche line [{}]",
                g("follower_overlap_measured"),
                g("shared_follower_share"),
                g("farm_follower_share"),
                microscout_model::overlap::FARM_SAMPLES,
                g("outside_niche_follower_share"),
                g("follower_overlap_status")
            ),
        );
        if !g("farm_network").is_empty() {
            line(&mut out, "farm network", g("farm_network"));
        }
        line(
            &mut out,
            "reachable audience",
            with_range(
                &g("reachable_audience"),
                &g("reachable_audience_low"),
                &g("reachable_audience_high"),
                "",
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
        out.push_str("\nComments (on recent posts)\n");
        line(
            &mut out,
            "comments",
            format!(
                "{} of {} read, from {} commenters [{}]",
                g("comments_recent"),
                g("comments_read"),
                g("commenters"),
                g("comment_evidence_status")
            ),
        );
        for (label, col) in [
            ("generic", "generic_comment_share"),
            ("spam", "spam_comment_share"),
            ("top 3 commenters", "top_commenters_share"),
            ("repeated texts", "repeated_comment_share"),
            ("copied on others", "shared_comment_share"),
            ("within 10 minutes", "fast_comment_share"),
            ("about the post", "on_topic_comment_share"),
        ] {
            line(&mut out, label, g(col));
        }
        for q in row.list("comment_quotes") {
            line(&mut out, "comment", format!("\"{q}\""));
        }
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
            "caption language",
            format!("{} [{}]", g("language"), g("language_status")),
        );
        line(
            &mut out,
            "comment language",
            format!(
                "{} [{}]",
                g("comment_language"),
                g("comment_language_status")
            ),
        );
        line(
            &mut out,
            "excluded keywords",
            g("excluded_keywords_matched"),
        );
        for p in row.list("best_posts") {
            line(&mut out, "best post", p);
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
            with_range(
                &g("engaged_readers"),
                &g("engaged_readers_low"),
                &g("engaged_readers_high"),
                &g("engaged_readers_status"),
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

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::ParquetWriter;

    /// A table without one of its columns is refused, naming it, instead of the account
    /// being shown with that line left empty.
    #[test]
    fn a_missing_column_is_an_error_naming_it() {
        let dir = std::env::temp_dir().join(format!("microscout-explain-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let campaign = microscout_model::Campaign::default();
        let write = |name: &str, mut df: DataFrame| {
            let f = std::fs::File::create(dir.join(name)).unwrap();
            ParquetWriter::new(f).finish(&mut df).unwrap();
        };
        let scores = crate::scores_table(std::iter::empty(), &campaign)
            .to_frame()
            .unwrap();
        let shortlist = crate::shortlist_table(std::iter::empty(), &campaign)
            .to_frame()
            .unwrap();
        write("shortlist.parquet", shortlist);
        write("scores.parquet", scores.clone());
        let e = explain(&dir, "r", "anna", None).unwrap_err();
        assert!(matches!(e, ExplainError::NotFound { .. }), "{e}");
        write("scores.parquet", scores.drop("fake_share_high").unwrap());
        let e = explain(&dir, "r", "anna", None).unwrap_err().to_string();
        assert!(e.contains("has no column `fake_share_high`"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
