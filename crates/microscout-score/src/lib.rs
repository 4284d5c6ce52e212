//! The parallel scoring engine: validated tables in, one [`AccountScore`] per account out.
//!
//! It knows nothing of files. Scoring runs in two steps:
//!
//! 1. [`features`]: per-account feature extraction, columnar aggregates over posts and
//!    followers expressed as polars lazy plans (the heavy step, on polars' thread pool);
//! 2. [`authenticity::DropStats`]: drop-wide statistics (the engagement curve against size,
//!    the drop's norms), a small reduce over the per-account rows;
//! 3. [`metrics`], [`authenticity`], [`growth`] (signals from the account's own history)
//!    and [`rank`]: per-account models over one row per
//!    account, fanned out with rayon after the features are materialised (never a polars
//!    `collect` inside a rayon closure: the two pools must not nest).
//!
//! Once every account has its relevance, [`suggest`] reduces the accounts' hashtags and phrases to the
//! keyword suggestions (a count per term and group, like the keyword IDF).
//!
//! Every metric is documented once, where it is computed, with its formula and unit.

pub mod authenticity;
pub mod benchmarks;
pub mod comments;
pub mod economics;
pub mod email;
pub mod features;
pub mod followers;
pub mod growth;
pub mod language;
pub mod metrics;
pub mod niche;
pub mod outreach;
pub mod overlap;
pub mod rank;
pub mod ranking;
pub mod recent;
pub mod relevance;
pub mod stats;
pub mod suggest;

use microscout_model::evidence::Unavailable;
use microscout_model::{AccountScore, Campaign};
use polars::prelude::{DataFrame, PolarsError};
use rayon::prelude::*;

pub use features::AccountFeatures;
pub use followers::FollowerSample;
pub use recent::RecentPosts;

#[derive(Debug, thiserror::Error)]
pub enum ScoreError {
    /// A polars plan failed. The tables come from ingestion with the canonical schema, so
    /// this is a bug, not bad input.
    #[error("feature extraction failed (a bug in microscout, please report it): {0}")]
    Polars(#[from] PolarsError),
}

/// The validated tables of a drop (the canonical columns of `microscout_model::schema`),
/// with the follower sample already reduced to counts per account
/// ([`followers::FollowerSample`]), so it never has to be held whole.
#[derive(Debug, Clone, Copy)]
pub struct Tables<'a> {
    pub accounts: &'a DataFrame,
    pub posts: &'a DataFrame,
    /// [`followers::FollowerSample::finish`].
    pub follower_sample: &'a DataFrame,
    /// The follower overlap across the drop (the same `finish`; [`overlap::Overlap::none`]
    /// without a sample).
    pub overlap: &'a overlap::Overlap,
    /// [`comments::CommentSample::finish`] ([`comments::CommentEvidenceByAccount::none`]
    /// for a drop without comments).
    pub comments: &'a comments::CommentEvidenceByAccount,
    /// Earlier nights of the accounts (the history store), for the growth signals; empty
    /// when there is no history.
    pub history: &'a microscout_model::history::Histories,
    /// The outreach ledger's events, the deliveries stored on earlier nights, and sales.
    pub outreach: outreach::OutreachInput<'a>,
}

/// The scored accounts and the drop-wide statistics they were judged against.
#[derive(Debug, Clone)]
pub struct Scored {
    /// Ordered: shortlisted accounts by rank first, then the rest by platform and handle.
    pub accounts: Vec<AccountScore>,
    pub stats: authenticity::DropStats,
    pub text_stats: relevance::DropText,
    /// The follower overlap of the drop and its suspected farms.
    pub overlap: microscout_model::overlap::DropOverlap,
    /// Hashtags and phrases to try as keywords or excluded keywords.
    pub suggestions: microscout_model::suggest::Suggestions,
    /// Every post about a book known after tonight (stored and new), for the store.
    pub deliveries: Vec<microscout_model::ledger::Delivery>,
    /// What this book's outreach returned.
    pub results: microscout_model::ledger::CampaignResults,
}

/// (platform, account_id, handle) of every account of an accounts table, in its row order.
pub fn account_handles(accounts: &DataFrame) -> Result<Vec<(String, String, String)>, ScoreError> {
    let col = |name: &str| -> Result<Vec<String>, ScoreError> {
        Ok(accounts
            .column(name)?
            .str()?
            .iter()
            .map(|v| v.unwrap_or_default().to_string())
            .collect())
    };
    let (p, a, h) = (col("platform")?, col("account_id")?, col("handle")?);
    Ok(p.into_iter()
        .zip(a)
        .zip(h)
        .map(|((p, a), h)| (p, a, h))
        .collect())
}

/// Scores every account. `as_of` is the reference time in Unix seconds.
pub fn score(tables: Tables<'_>, campaign: &Campaign, as_of: i64) -> Result<Scored, ScoreError> {
    let t = std::time::Instant::now();
    let features = features::extract(
        tables.accounts,
        tables.posts,
        tables.follower_sample,
        campaign,
        as_of,
    )?;
    tracing::info!(
        "features of {} accounts in {:.1?}",
        features.len(),
        t.elapsed()
    );
    let t = std::time::Instant::now();
    let matcher = niche::Matcher::new(campaign);
    // With the keyword IDF, the text's part of the drop-wide reduce step.
    let (text, text_source, text_stats) =
        relevance::gather(tables.accounts, tables.posts, campaign, as_of, &matcher)?;
    tracing::info!("niche text features in {:.1?}", t.elapsed());
    let t = std::time::Instant::now();
    // The drop-wide reduce step: the engagement curve, the drop's norms.
    let stats = authenticity::DropStats::compute(&features, campaign);
    let pods = tables
        .comments
        .find_pods(&account_handles(tables.accounts)?);
    let mut scored: Vec<AccountScore> = features
        .par_iter()
        .map(|f| {
            let mut s = metrics::account_score(f, &stats, campaign);
            s.comments = tables.comments.get(&f.platform, &f.account_id);
            pods.apply(&f.platform, &f.account_id, &mut s.comments);
            authenticity::apply_comments(&mut s);
            if let Some(share) = s.comments.pod_share {
                s.flags.push(microscout_model::Flag::new(
                    microscout_model::evidence::FlagReason::EngagementPod {
                        partners: s.comments.pod_partners.clone(),
                        share,
                    },
                ));
            }
            let key = (f.platform.clone(), f.account_id.clone());
            s.relevance = relevance::relevance(text.get(&key), &text_stats, &matcher);
            // Captions and comments are read for their language only when the campaign sets
            // languages, and only for the accounts the shortlist could take.
            let not_read = if campaign.audience.languages.is_empty() {
                Some(Unavailable::NoLanguagesSet)
            } else if rank::audience_exclusion(&s, campaign).is_some() {
                Some(Unavailable::LanguageNotRead)
            } else {
                None
            };
            s.language = match (text.get(&key), &not_read) {
                (None, _) => Default::default(),
                (Some(_), Some(why)) => language::not_read(why.clone()),
                (Some(t), None) => {
                    let (caption_text, n) = text_source.caption_text(t);
                    language::detect(&caption_text, n)
                }
            };
            s.comment_language = match not_read {
                Some(why) => language::not_read(why),
                None => tables.comments.language(&f.platform, &f.account_id),
            };
            let tonight = growth::Tonight {
                day: microscout_model::history::day_of(as_of),
                followers: s.followers,
                interactions: microscout_model::history::interactions(s.avg_likes, s.avg_comments),
            };
            let g = growth::growth(tables.history.get(&s.platform, &s.account_id), tonight);
            growth::apply(&mut s, g);
            s
        })
        .collect();
    let suggestions = suggest_terms(&scored, &text, &text_source, &matcher, campaign);
    // The overlap needs every account's niche side, known now.
    let overlap = tables.overlap.apply(&mut scored, campaign);
    scored.par_iter_mut().for_each(authenticity::apply_overlap);
    let tonight = microscout_model::history::day_of(as_of);
    outreach::apply_states(&mut scored, &tables.outreach, campaign, tonight);
    rank::rank(&mut scored, campaign);
    let detected = outreach::detect(&scored, tables.posts, &tables.outreach, campaign, tonight)?;
    let deliveries = outreach::merge(tables.outreach.deliveries, detected, tonight);
    let results = outreach::results(&scored, &tables.outreach, &deliveries, campaign, tonight);
    tracing::info!(
        "drop statistics and per-account models in {:.1?}",
        t.elapsed()
    );
    Ok(Scored {
        accounts: scored,
        stats,
        text_stats,
        overlap,
        suggestions,
        deliveries,
        results,
    })
}

/// The keyword suggestions ([`suggest`]) over every scored account's hashtags and phrases.
fn suggest_terms(
    scored: &[AccountScore],
    text: &relevance::TextFeatures,
    source: &relevance::TextSource,
    matcher: &niche::Matcher,
    campaign: &Campaign,
) -> microscout_model::suggest::Suggestions {
    let mut counts = suggest::TagCounts::default();
    // The accounts a term can qualify by (fit and off), for naming the ones that do.
    let mut found = Vec::new();
    for s in scored {
        let key = (s.platform.as_str().to_string(), s.account_id.clone());
        let Some(t) = text.get(&key) else {
            continue;
        };
        let group = match s.relevance.score {
            // An excluded keyword already pushed it down: the campaign has dealt with it.
            _ if t.any_keywords == 0 || t.any_excluded != 0 => suggest::Group::Rest,
            Some(r) if r >= campaign.audience.min_relevance => suggest::Group::Fit,
            _ => suggest::Group::Off,
        };
        counts.add(group, &t.tags);
        if group != suggest::Group::Rest {
            found.push(t);
        }
    }
    counts.suggest(|wanted| source.names(found, wanted), matcher)
}
