//! The posts as scoring keeps them while a drop is read: each account's most recent ones,
//! reduced chunk by chunk ([`RecentPosts`]), so the posts are never held whole.

use polars::prelude::*;

use crate::ScoreError;
use crate::features::{SCORED_POST_COLUMNS, recent_rows};
use microscout_model::Campaign;

/// The posts reduced, chunk by chunk, to each account's `k` most recent ones (by the
/// window's ordering and reference time): the top `k` of a union is the top `k` of the
/// parts' top `k`s, so with `k` at least the window and the relevance posts, scoring the
/// reduced table gives exactly what scoring every post would.
#[derive(Debug)]
pub struct RecentPosts {
    cutoff: i64,
    k: usize,
    kept: Option<DataFrame>,
    /// Rows left by the last reduction of `kept`.
    reduced: usize,
    rows: u64,
}

impl RecentPosts {
    /// For a campaign and reference time.
    pub fn new(campaign: &Campaign, as_of: i64) -> Self {
        Self {
            cutoff: as_of - i64::from(campaign.window.min_post_age_hours) * 3600,
            k: campaign.window.posts.max(campaign.relevance.posts) as usize,
            kept: None,
            reduced: 0,
            rows: 0,
        }
    }

    /// Adds a chunk of a canonical posts table.
    pub fn add(&mut self, posts: &DataFrame) -> Result<(), ScoreError> {
        self.rows += posts.height() as u64;
        // Only the columns scoring reads are kept (not `views`, `media_type`).
        let posts = posts.select(SCORED_POST_COLUMNS)?;
        let top = recent_rows(&posts, self.cutoff, self.k)?;
        self.kept = Some(match self.kept.take() {
            None => top,
            Some(mut kept) => {
                kept.vstack_mut(&top)?;
                // Keep the running set near its floor (k posts per account seen): reduce
                // again once it has grown by half of what the last reduction left, so it
                // never holds more than 1.5 times that (or 256k rows), and the reductions
                // cost a constant times the rows added.
                if kept.height() > self.reduced + (self.reduced / 2).max(1 << 18) {
                    let reduced = recent_rows(&kept, self.cutoff, self.k)?;
                    self.reduced = reduced.height();
                    reduced
                } else {
                    kept
                }
            }
        });
        Ok(())
    }

    /// Post rows added so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Reduces the running set to exactly the most recent `k` posts per account (it may
    /// hold up to half as many again between reductions): call once no more posts are
    /// coming for a while, so the rest of the run does not carry the slack.
    pub fn compact(&mut self) -> Result<(), ScoreError> {
        if let Some(kept) = self.kept.take() {
            let kept = if kept.height() > self.reduced {
                recent_rows(&kept, self.cutoff, self.k)?
            } else {
                kept
            };
            self.reduced = kept.height();
            self.kept = Some(kept);
        }
        Ok(())
    }

    /// The kept posts once no more are coming, reduced ([`Self::compact`]); None when none
    /// were added. (The comments' reducer reads them: comments come after posts.)
    pub fn final_posts(&mut self) -> Result<Option<&DataFrame>, ScoreError> {
        self.compact()?;
        Ok(self.kept.as_ref())
    }

    /// The kept posts, reduced ([`Self::compact`]), with [`SCORED_POST_COLUMNS`] (those of
    /// `empty`, an empty posts table, when nothing was added).
    pub fn finish(mut self, empty: DataFrame) -> Result<DataFrame, ScoreError> {
        self.compact()?;
        match self.kept {
            Some(kept) => Ok(kept),
            None => Ok(empty.select(SCORED_POST_COLUMNS)?),
        }
    }
}
