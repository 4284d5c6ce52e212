//! **(microscout)** Keyword suggestions: hashtags and two-word phrases the accounts that fit
//! the campaign use far more than the rest of the drop (terms to add to `keywords`), and terms
//! that mark the
//! accounts a keyword search turns up but that do not fit (terms to add to
//! `excluded-keywords`), as found by microscout-score's `suggest` module (where the rule
//! and its thresholds are documented).

use serde::{Deserialize, Serialize};

/// What a suggestion proposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    /// Add to the campaign's `keywords`: the fitting accounts use it.
    Add,
    /// Add to `excluded-keywords`: the accounts that match a keyword but do not fit use it.
    Exclude,
}

impl SuggestionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionKind::Add => "add",
            SuggestionKind::Exclude => "exclude",
        }
    }
}

/// One suggested term, with the counts it was chosen on. Every count is of accounts that use
/// the term in a recent caption or their bio. Unit: accounts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub kind: SuggestionKind,
    /// The hashtag with its `#`, or the two words of a phrase, lower case.
    pub term: String,
    /// Fitting accounts (a keyword matched, relevance at least `min_relevance`) using it,
    /// of `fit_total`.
    pub fit: u64,
    /// Accounts a keyword matched that do not fit, using it, of `off_total`.
    pub off: u64,
    /// Accounts no keyword matched (or an excluded keyword matched), using it, of
    /// `rest_total`.
    pub rest: u64,
    /// How many times more often the group it is suggested for uses it than the others do
    /// (see microscout-score's `suggest` for the formula). Unit: ratio.
    pub lift: f64,
    /// A term to add whose lift is at least `Suggestions::strong_lift`: specific to the
    /// fitting accounts, not a tag everybody uses a little more there (never a term to
    /// exclude).
    pub strong: bool,
}

/// The drop's suggestions and the group sizes they were counted over.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Suggestions {
    /// Accounts that fit / that a keyword matched but do not fit / the rest (no keyword
    /// matched, or an excluded keyword did). Unit: accounts.
    pub fit_total: u64,
    pub off_total: u64,
    pub rest_total: u64,
    /// Terms to add first (strong ones first, then by `fit`), then terms to exclude (strong
    /// ones first, then by `off`).
    pub terms: Vec<Suggestion>,
    /// Why there are none, when there are none.
    pub none_because: Option<String>,
    /// The campaign lists no keywords (there is nothing to suggest against).
    pub no_keywords: bool,
    /// The rule's thresholds: accounts of the group that must use a term (unit: accounts),
    /// the share of the group (unit: fraction) and the lift (unit: ratio).
    pub min_accounts: u64,
    pub min_share: f64,
    pub min_lift: f64,
    /// The lift from which a term to add is strong. Unit: ratio.
    pub strong_lift: f64,
}
