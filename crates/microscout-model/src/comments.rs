//! **(microscout)** What the comments on an account's recent posts show, as measured by
//! microscout-score's `comments` module (where each number's formula is documented).

use serde::{Deserialize, Serialize};

use crate::Provenance;

/// The comment evidence of one account. The shares are over the comments on the account's
/// recent posts (`recent`), and None when it has none (the provenance says why).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentEvidence {
    /// Comments of the account in the drop's comments table, on any of its posts. Unit:
    /// comments.
    pub read: u64,
    /// Of those, the comments on the account's recent posts. Unit: comments.
    pub recent: u64,
    /// Distinct commenter handles among the recent comments. Unit: accounts.
    pub commenters: u64,
    /// Generic comments (emoji only, very short, stock praise) among the recent comments
    /// with text. Unit: fraction.
    pub generic_share: Option<f64>,
    /// Recent comments with text that the comment-spam classifier labels spam. Unit:
    /// fraction.
    pub spam_share: Option<f64>,
    /// Recent comments written by the account's three most frequent commenters. Unit:
    /// fraction.
    pub top_commenters_share: Option<f64>,
    /// Recent comments whose text (normalised) the account had already received. Unit:
    /// fraction.
    pub repeated_share: Option<f64>,
    /// Recent comments whose text (normalised, not generic) also appears on at least
    /// [`SHARED_TEXT_ACCOUNTS`] other accounts of the drop. Unit: fraction.
    pub shared_share: Option<f64>,
    /// Recent comments by handles that comment on at least [`FARM_ACCOUNTS`] accounts of the
    /// drop (bots, farms, pods) / recent comments with a known commenter. Unit: fraction.
    #[serde(default)]
    pub farm_share: Option<f64>,
    /// Recent comments written within ten minutes of their post, among those whose time is
    /// known. Unit: fraction.
    pub fast_share: Option<f64>,
    /// Recent comments with text that share a subject word with their post's caption,
    /// among those on posts whose caption has one. Unit: fraction.
    #[serde(default)]
    pub on_topic_share: Option<f64>,
    /// The other members of the engagement pod the account is in (handles), empty when it is
    /// in none (microscout-score's `comments::CommentEvidenceByAccount::find_pods`).
    #[serde(default)]
    pub pod_partners: Vec<String>,
    /// Recent comments written by its pod partners / recent comments; None outside a pod.
    /// Unit: fraction.
    #[serde(default)]
    pub pod_share: Option<f64>,
    /// Up to three recent comments with text, as written (cut to 200 characters): the
    /// most liked ones that are neither generic nor spam first.
    pub quotes: Vec<String>,
    pub provenance: Provenance,
}

/// Accounts of the drop a commenter must comment on to count towards `farm_share`.
pub const FARM_ACCOUNTS: u32 = 5;

/// Other accounts of the drop on which a comment's text must also appear to count as shared
/// across the drop.
pub const SHARED_TEXT_ACCOUNTS: u32 = 2;

impl CommentEvidence {
    /// An account without comments in the drop (or none on its recent posts).
    pub fn unavailable(read: u64, reason: crate::evidence::Unavailable) -> Self {
        Self {
            read,
            recent: 0,
            commenters: 0,
            generic_share: None,
            spam_share: None,
            top_commenters_share: None,
            repeated_share: None,
            shared_share: None,
            farm_share: None,
            fast_share: None,
            on_topic_share: None,
            pod_partners: Vec::new(),
            pod_share: None,
            quotes: Vec::new(),
            provenance: Provenance::unavailable(reason),
        }
    }
}
