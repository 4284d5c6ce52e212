//! The column registry: every column of `scores.*` and `shortlist.*` defined once, with
//! its type, unit, how it is obtained, what it means and the getter that computes it from a
//! scored account. The tables are lists of names ([`SCORES_COLUMNS`], [`SHORTLIST_COLUMNS`])
//! looked up here; `explain` formats each column as its entry says; `docs/columns.md` is
//! generated from it ([`markdown`], checked by a test).

use microscout_model::{AccountScore, Campaign};

use crate::table::Values;

/// How a column's value is computed from a scored account (the campaign for the texts
/// written for people).
#[derive(Clone, Copy)]
pub enum Get {
    Text(fn(&AccountScore, &Campaign) -> Option<String>),
    Int(fn(&AccountScore) -> Option<i64>),
    Float(fn(&AccountScore) -> Option<f64>),
    /// Unix seconds.
    Timestamp(fn(&AccountScore) -> Option<i64>),
    Bool(fn(&AccountScore) -> Option<bool>),
    List(fn(&AccountScore, &Campaign) -> Option<Vec<String>>),
}

/// How a person reads a value of the column (`explain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// Text, an integer, a time: as it is.
    Plain,
    /// A fraction as a percentage.
    Percent,
    /// People, rounded to a whole count.
    People,
    /// Two decimals (scores, ratios, costs).
    Fixed2,
    /// An amount: as many decimals as it needs.
    Amount,
}

/// One output column.
#[derive(Clone, Copy)]
pub struct ColumnDef {
    pub name: &'static str,
    /// Unit of a number ("-" for text and identifiers).
    pub unit: &'static str,
    /// Where the value comes from: the input, measured, estimated by which model, a rule of
    /// the campaign; a `*_status` column named here says, per account, how it was obtained
    /// or why it is missing.
    pub obtained: &'static str,
    pub doc: &'static str,
    pub show: Show,
    pub get: Get,
}

impl std::fmt::Debug for ColumnDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl ColumnDef {
    /// The column's type as the files hold it.
    pub fn type_name(&self) -> &'static str {
        match self.get {
            Get::Text(_) => "text",
            Get::Int(_) => "integer",
            Get::Float(_) => "number",
            Get::Timestamp(_) => "UTC time",
            Get::Bool(_) => "boolean",
            Get::List(_) => "list of text",
        }
    }

    /// The column's values over `accounts`.
    pub fn values<'a, I: Iterator<Item = &'a AccountScore>>(
        &self,
        accounts: I,
        campaign: &Campaign,
    ) -> Values {
        match self.get {
            Get::Text(f) => Values::Text(accounts.map(|s| f(s, campaign)).collect()),
            Get::Int(f) => Values::Int(accounts.map(f).collect()),
            Get::Float(f) => Values::Float(accounts.map(f).collect()),
            Get::Timestamp(f) => Values::Timestamp(accounts.map(f).collect()),
            Get::Bool(f) => Values::Bool(accounts.map(f).collect()),
            Get::List(f) => Values::List(accounts.map(|s| f(s, campaign)).collect()),
        }
    }
}

mod defs;
pub use defs::COLUMNS;

/// The column named `name`; a name without a definition is a bug of the caller.
pub fn def(name: &str) -> &'static ColumnDef {
    COLUMNS
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no definition for output column {name}"))
}

/// Columns of `scores.csv` / `scores.parquet`: one row per account. Names of the core
/// metrics are the data contract's; `*_status` columns say how each metric was obtained
/// ("measured (...)", "estimated by ...", "unavailable: ...").
pub const SCORES_COLUMNS: &[&str] = &[
    "rank",
    "platform",
    "account_id",
    "handle",
    "display_name",
    "tier",
    "followers",
    "following",
    "posts_in_window",
    "likes_visible_posts",
    "window_start",
    "window_end",
    "avg_likes",
    "median_likes",
    "likes_status",
    "avg_comments",
    "median_comments",
    "comments_status",
    "engagement_rate",
    "engagement_rate_status",
    "comments_rate",
    "likes_floor",
    "comments_floor",
    "engagement_norm",
    "posts_at_floor",
    "share_at_floor",
    "follower_sample_size",
    "comments_read",
    "comments_recent",
    "commenters",
    "generic_comment_share",
    "spam_comment_share",
    "top_commenters_share",
    "repeated_comment_share",
    "shared_comment_share",
    "farm_comment_share",
    "fast_comment_share",
    "on_topic_comment_share",
    "pod_partners",
    "pod_comment_share",
    "comment_quotes",
    "comment_evidence_status",
    "email",
    "email_source",
    "relevance",
    "relevance_status",
    "language",
    "language_confidence",
    "language_status",
    "comment_language",
    "comment_language_confidence",
    "comment_language_status",
    "on_niche_posts",
    "posts_read_for_relevance",
    "matched_keywords",
    "excluded_keywords_matched",
    "best_posts",
    "authenticity_verdict",
    "authenticity_reasons",
    "sample_labelled_fake",
    "fake_share",
    "fake_share_low",
    "fake_share_high",
    "fake_share_status",
    "follower_overlap_measured",
    "shared_follower_share",
    "farm_follower_share",
    "outside_niche_follower_share",
    "farm_network",
    "follower_overlap_status",
    "mass_follower_share",
    "reachable_share",
    "reachable_audience",
    "reachable_audience_low",
    "reachable_audience_high",
    "expected_engagement_rate",
    "engagement_vs_drop",
    "engagement_vs_drop_status",
    "published_benchmarks",
    "like_comment_ratio",
    "like_comment_vs_drop",
    "likes_cv",
    "history_nights",
    "followers_change_per_day",
    "growth_signals",
    "growth_status",
    "contact_route",
    "contact",
    "contact_source",
    "engaged_readers",
    "engaged_readers_low",
    "engaged_readers_high",
    "engaged_readers_status",
    "cost_per_engaged_reader",
    "cost_status",
    "score",
    "outreach_state",
    "worked_before",
    "shortlisted",
    "flags",
    "reasons",
    "not_shortlisted_because",
];

/// Columns of `shortlist.csv`: the ranked accounts, with what an author needs to act.
pub const SHORTLIST_COLUMNS: &[&str] = &[
    "rank",
    "platform",
    "handle",
    "display_name",
    "why",
    "outreach_brief",
    "followers",
    "posts_in_window",
    "median_likes",
    "median_comments",
    "engagement_rate",
    "engagement_rate_status",
    "posts_at_floor",
    "relevance",
    "matched_keywords",
    "on_niche_posts",
    "best_posts",
    "language",
    "comment_language",
    "authenticity_verdict",
    "fake_share",
    "fake_share_low",
    "fake_share_high",
    "contact_route",
    "contact",
    "contact_source",
    "engaged_readers",
    "engaged_readers_low",
    "engaged_readers_high",
    "engaged_readers_status",
    "cost_per_engaged_reader",
    "cost_status",
    "score",
    "worked_before",
    "email",
    "email_source",
    "account_id",
];

/// A Markdown table of `names`: column, type, unit, how obtained, meaning.
pub fn markdown(names: &[&str]) -> String {
    let mut out =
        String::from("| column | type | unit | obtained | meaning |\n|---|---|---|---|---|\n");
    for n in names {
        let c = def(n);
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            c.name,
            c.type_name(),
            c.unit,
            c.obtained,
            c.doc
        ));
    }
    out
}

/// `docs/columns.md`: the registry's tables for people.
pub fn docs_page() -> String {
    format!(
        "# Output columns\n\n\
         Generated from the column registry (`crates/microscout-report/src/columns.rs`), \
         which defines each column of `scores.*` and `shortlist.*` once: its type, unit, how \
         it is obtained and its getter. A missing number is an empty cell, never 0; the \
         `*_status` column named under \"obtained\" says per account how it was obtained or \
         why it is missing. `scores.parquet` and `shortlist.parquet` hold the same columns \
         typed (raw text, times as UTC datetimes, lists as lists of strings). Regenerate \
         with `UPDATE_GOLDEN=1 cargo test -p microscout-report`.\n\n\
         ## scores.csv, scores.parquet\n\n{}\n## shortlist.csv, shortlist.parquet\n\n{}",
        markdown(SCORES_COLUMNS),
        markdown(SHORTLIST_COLUMNS)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_column_is_defined_once_and_used() {
        let mut names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n, "a column defined twice");
        for t in [SCORES_COLUMNS, SHORTLIST_COLUMNS] {
            for c in t {
                def(c);
            }
        }
        for c in COLUMNS {
            assert!(
                SCORES_COLUMNS.contains(&c.name) || SHORTLIST_COLUMNS.contains(&c.name),
                "{} is defined but in no table",
                c.name
            );
        }
    }

    /// `docs/columns.md` is made from the registry (`UPDATE_GOLDEN=1` rewrites it).
    #[test]
    fn the_docs_column_tables_are_the_registry() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/columns.md");
        let want = docs_page();
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &want).unwrap();
            return;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            text == want,
            "{} is not the registry's tables: run with UPDATE_GOLDEN=1 after checking",
            path.display()
        );
    }
}
