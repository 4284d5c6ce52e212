//! The campaign file: the book, what counts as a fit, and how strict to be.
//!
//! This module is the one place where every campaign setting, its default and its meaning
//! live together. `microscout init` prints [`EXAMPLE_CAMPAIGN`], which is checked by a test to
//! parse into exactly [`Campaign::default`] plus the example book, so the two cannot drift.
//!
//! Unknown keys are errors (`deny_unknown_fields`): a typo such as `folowers-min` fails the
//! run with the key, line and column instead of silently using a default.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use crate::Platform;

mod validate;

/// A parsed, validated campaign file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Campaign {
    /// `[campaign]`: name of the campaign, shown in reports.
    pub campaign: CampaignInfo,
    /// `[book]`: the book and its niche keywords.
    pub book: Book,
    /// `[audience]`: which accounts are candidates at all.
    pub audience: Audience,
    /// `[window]`: which posts count as "recent".
    pub window: Window,
    /// `[relevance]`: how niche relevance reads an account.
    pub relevance: RelevanceSettings,
    /// `[engagement]`: the engagement floor (the seed rule of thumb) and its flags.
    pub engagement: Engagement,
    /// `[ingest]`: per-file instructions for native exports.
    pub ingest: IngestSettings,
    /// `[economics]`: what a gifted copy costs.
    pub economics: EconomicsSettings,
    /// `[tiers]`: follower-count bounds of the size tiers.
    pub tiers: Tiers,
    /// `[weights]`: weights of the ranking score.
    pub weights: Weights,
    /// `[outreach]`: the ledger of who was contacted, follow-ups, sales.
    pub outreach: OutreachSettings,
}

/// The outreach ledger and what is read from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct OutreachSettings {
    /// The ledger file, relative to the campaign file. Default: `ledger.csv` in the output
    /// folder.
    pub ledger: Option<String>,
    /// Days without an answer after `contacted` before a follow-up is due. Default: 7.
    pub follow_up_days: u32,
    /// Multiplies the ranking score of accounts that posted about an earlier book (1 = no
    /// preference). Default: 1.1.
    pub worked_before_weight: f64,
    /// Sales by discount code or tracking link: a CSV with columns date, code, units,
    /// revenue (or a Shopify, WooCommerce or Etsy orders export), relative to the campaign file. Default: none.
    pub sales: Option<String>,
}

impl Default for OutreachSettings {
    fn default() -> Self {
        Self {
            ledger: None,
            follow_up_days: 7,
            worked_before_weight: 1.1,
            sales: None,
        }
    }
}

/// Most keywords (each keyword once; synonyms map onto them) and, separately, most excluded
/// keywords a campaign may list.
pub const MAX_KEYWORDS: usize = 64;

/// Longest follow-up wait a campaign may set. Unit: days.
pub const MAX_FOLLOW_UP_DAYS: u32 = 3_650;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct CampaignInfo {
    /// Name of the campaign. Default: `"Untitled campaign"`.
    pub name: String,
}

impl Default for CampaignInfo {
    fn default() -> Self {
        Self {
            name: "Untitled campaign".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Book {
    /// Title of the book. Default: empty.
    pub title: String,
    /// Niche keywords and phrases ("big emotions", "positive parenting"). Default: none.
    pub keywords: Vec<String>,
    /// Keywords that make an account a worse fit ("giveaway", "crypto"). Default: none.
    pub excluded_keywords: Vec<String>,
    /// Phrases that count as one of the keywords: `{ "SEL" = "social emotional learning" }`.
    /// Each value must be one of `keywords`. Default: none.
    pub synonyms: std::collections::BTreeMap<String, String>,
    /// Subtitle, found in captions like the title. Default: none.
    pub subtitle: String,
    /// The author's or publisher's handles (`@name`) that a post about the book tags.
    /// Default: none.
    pub author_handles: Vec<String>,
    /// The book's own hashtags (`#bigfeelingslittlehearts`). Default: none.
    pub hashtags: Vec<String>,
    /// ISBN (digits, with or without hyphens). Default: none.
    pub isbn: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Audience {
    /// Platforms to consider. Default: all six (`instagram`, `youtube`, `tiktok`, `facebook`,
    /// `pinterest`, `blog`).
    pub platforms: Vec<Platform>,
    /// Smallest follower count on the shortlist (inclusive). Default: 1,000.
    pub followers_min: u64,
    /// Follower count the shortlist stays below (exclusive). Default: 100,000.
    pub followers_max: u64,
    /// Smallest niche relevance (0-1) on the shortlist; off-niche accounts stay off it.
    /// Default: 0.5. Ignored when the campaign lists no keywords.
    pub min_relevance: f64,
    /// The book's languages (ISO 639-1 or 639-3 codes, or English names: `["en", "fr"]`):
    /// an account whose recent captions are detected in another language stays off the
    /// shortlist; one whose language cannot be told stays on it, and says so. Default: none
    /// (any language).
    pub languages: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RelevanceSettings {
    /// Most recent posts per account read for niche relevance. Default: 24.
    pub posts: u32,
}

impl Default for RelevanceSettings {
    fn default() -> Self {
        Self { posts: 24 }
    }
}

impl Default for Audience {
    fn default() -> Self {
        Self {
            platforms: Platform::all(),
            followers_min: 1_000,
            followers_max: 100_000,
            min_relevance: 0.5,
            languages: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Window {
    /// Number of most recent posts per account that the metrics use (`N`). Default: 12.
    pub posts: u32,
    /// Posts younger than this many hours at the reference time are left out, because their
    /// likes are still growing. Default: 0.
    pub min_post_age_hours: u32,
}

impl Default for Window {
    fn default() -> Self {
        Self {
            posts: 12,
            min_post_age_hours: 0,
        }
    }
}

/// The seed rule of thumb: a healthy micro account gets about 100 likes or 20-30 comments
/// per recent post at 10,000 followers, scaled with size.
///
/// For an account with `f` followers the *floor* is
/// `likes_floor(f) = likes-per-post * (f / reference-followers) ^ size-exponent` likes and
/// `comments_floor(f) = comments-per-post * (f / reference-followers) ^ size-exponent`
/// comments per post. The exponent is below 1 because engagement rates fall as accounts grow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Engagement {
    /// Likes per post expected at the reference size. Default: 100.
    pub likes_per_post: f64,
    /// Comments per post expected at the reference size. Default: 20.
    pub comments_per_post: f64,
    /// Follower count at which the two numbers above apply. Default: 10,000.
    pub reference_followers: f64,
    /// How the floor scales with size (0 = flat, 1 = proportional). Default: 0.7.
    pub size_exponent: f64,
    /// Share of window posts that must reach the floor (likes or comments) for an account to
    /// count as consistently engaged. Default: 0.5.
    pub min_share_at_floor: f64,
    /// An account whose median likes (or, with hidden likes, median comments) is below this
    /// fraction of its floor is flagged as far below what its size predicts. Default: 0.1
    /// (10,000 followers and under 10 likes per post).
    pub far_below_fraction: f64,
    /// Accounts with fewer posts than this in the window are not judged on engagement
    /// (flag `too_few_posts`). Default: 3.
    pub min_posts: u32,
    /// Per-platform norms that replace [`PLATFORM_NORMS`]' defaults:
    /// `[engagement.platforms.tiktok] likes-factor = 3.0, comments-factor = 3.0`. Default:
    /// none.
    pub platforms: std::collections::BTreeMap<crate::Platform, PlatformNorm>,
}

/// How one platform's floor compares with the rule of thumb: the likes and comments floors
/// of an account on this platform are `likes-factor` and `comments-factor` times the rule of
/// thumb's for its size. A platform's audience responds in its own way: a Facebook page's
/// fans react less per post than an Instagram account's followers like, a TikTok account's
/// more.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PlatformNorm {
    pub likes_factor: f64,
    pub comments_factor: f64,
}

/// The default norms, with where each comes from; the rule of thumb is an Instagram micro
/// account's, so each factor is a platform's engagement per post by followers against
/// Instagram's, from the closest published comparison found. TikTok: micro-influencers'
/// 8.7% against Instagram micro-influencers' 3.86% (archive.com's micro-influencer
/// statistics, 2025). Facebook: no micro-influencer figure was found; Socialinsider's 2026
/// benchmarks (70 million posts of brand accounts, 2024-2025) put Facebook at 0.15% and
/// Instagram at 0.48%. No per-follower benchmark was found for YouTube or Pinterest: they keep the rule of thumb, and the
/// drop's own curve per platform is the comparison that holds. A blog post has no likes;
/// WordPress.com's published activity (about 77 million comments on 70 million new posts a
/// month) makes the typical post's comments about 1.1, so a blog is held to 3 comments per
/// post at the reference size (factor 0.15 of 20): a lively blog, well above the typical one.
pub const PLATFORM_NORMS: &[(crate::Platform, PlatformNorm, &str)] = &[
    (
        crate::Platform::Instagram,
        PlatformNorm {
            likes_factor: 1.0,
            comments_factor: 1.0,
        },
        "the rule of thumb itself",
    ),
    (
        crate::Platform::Facebook,
        PlatformNorm {
            likes_factor: 0.15 / 0.48,
            comments_factor: 0.15 / 0.48,
        },
        "Facebook brand pages' engagement per post is 0.15% against Instagram's 0.48% (Socialinsider 2026; no micro-influencer figure found)",
    ),
    (
        crate::Platform::Tiktok,
        PlatformNorm {
            likes_factor: 8.7 / 3.86,
            comments_factor: 8.7 / 3.86,
        },
        "TikTok micro-influencers' engagement is 8.7% against Instagram micro-influencers' 3.86% (archive.com micro-influencer statistics, 2025)",
    ),
    (
        crate::Platform::Youtube,
        PlatformNorm {
            likes_factor: 1.0,
            comments_factor: 1.0,
        },
        "the rule of thumb (no published per-subscriber benchmark found for YouTube)",
    ),
    (
        crate::Platform::Pinterest,
        PlatformNorm {
            likes_factor: 1.0,
            comments_factor: 1.0,
        },
        "the rule of thumb (no published per-follower benchmark found for Pinterest; reactions count as likes, saves are not likes)",
    ),
    (
        crate::Platform::Blog,
        PlatformNorm {
            likes_factor: 0.15,
            comments_factor: 0.15,
        },
        "3 comments per post for a blog, about three times the typical WordPress post's 1.1 (WordPress.com: 77 million comments on 70 million posts a month)",
    ),
];

/// The norm an account of one platform is held to, and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Norm {
    pub platform: crate::Platform,
    pub factors: PlatformNorm,
    /// Why these factors: the default's source, or the campaign file.
    pub source: &'static str,
}

impl Default for Engagement {
    fn default() -> Self {
        Self {
            likes_per_post: 100.0,
            comments_per_post: 20.0,
            reference_followers: 10_000.0,
            size_exponent: 0.7,
            min_share_at_floor: 0.5,
            far_below_fraction: 0.1,
            min_posts: 3,
            platforms: Default::default(),
        }
    }
}

impl Engagement {
    /// The norm of `platform`: the campaign's `[engagement.platforms.<name>]`, else the
    /// default of [`PLATFORM_NORMS`].
    pub fn norm(&self, platform: crate::Platform) -> Norm {
        if let Some(n) = self.platforms.get(&platform) {
            return Norm {
                platform,
                factors: *n,
                source: "set in the campaign file ([engagement.platforms])",
            };
        }
        let (_, factors, source) = PLATFORM_NORMS
            .iter()
            .find(|(p, _, _)| *p == platform)
            .copied()
            .unwrap_or((
                platform,
                PlatformNorm {
                    likes_factor: 1.0,
                    comments_factor: 1.0,
                },
                "the rule of thumb",
            ));
        Norm {
            platform,
            factors,
            source,
        }
    }

    /// The floor of an account of `platform` with `followers` (see the type docs): the likes
    /// and the comments per post expected at its size, times its platform's factors. Unit:
    /// likes, comments per post.
    pub fn floors(&self, platform: crate::Platform, followers: Option<u64>) -> (f64, f64) {
        let n = self.norm(platform).factors;
        let size = self.size_factor(followers);
        (
            self.likes_per_post * n.likes_factor * size,
            self.comments_per_post * n.comments_factor * size,
        )
    }

    /// The norm in words: "instagram: 100 likes or 20 comments per post at 10,000 followers
    /// (the rule of thumb ...)".
    pub fn describe_norm(&self, platform: crate::Platform) -> String {
        let norm = self.norm(platform);
        let (likes, comments) = self.floors(platform, Some(self.reference_followers as u64));
        let count = |x: f64| crate::numfmt::amount(x);
        if platform == crate::Platform::Blog {
            return format!(
                "{platform}: {} comments per post at {} followers, and without a follower count \
                 (a blog's usual case, the floor is not scaled); {}",
                count(comments),
                crate::numfmt::count(self.reference_followers as u64),
                norm.source
            );
        }
        format!(
            "{platform}: {} likes or {} comments per post at {} followers; {}",
            count(likes),
            count(comments),
            crate::numfmt::count(self.reference_followers as u64),
            norm.source
        )
    }

    /// The size scaling factor `(followers / reference-followers) ^ size-exponent`; 1 for an
    /// account without a follower count (a blog), which is held to the floor of an account
    /// of `reference-followers`.
    pub fn size_factor(&self, followers: Option<u64>) -> f64 {
        match followers {
            Some(n) => (n as f64 / self.reference_followers).powf(self.size_exponent),
            None => 1.0,
        }
    }
}

/// How the drop is read: per-file instructions for native exports (keyed by file name in the
/// drop), and the limits that keep one hostile or broken file from exhausting the machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct IngestSettings {
    /// Adapter to use for a file instead of detecting it from the content:
    /// `{ "export.json" = "apify-instagram" }`. Names: apify-instagram, instagram-web,
    /// youtube-api, tiktok, instagram-export. Default: none (detect).
    pub adapters: std::collections::BTreeMap<String, String>,
    /// Whose followers an Instagram followers export lists: `{ "followers_1.json" =
    /// "instagram:1780000000" }` (platform, colon, account_id). Default: none.
    pub followers_exports: std::collections::BTreeMap<String, String>,
    /// Largest CSV record or NDJSON line, in bytes. A longer record is rejected (an NDJSON
    /// line is skipped to its end; a CSV file, whose record boundaries cannot be trusted
    /// after it, stops there). Default: 16 MiB.
    pub max_record_bytes: u64,
    /// Largest native JSON export after decompression, in bytes; a larger one is one
    /// rejected record. Default: 512 MiB.
    pub max_document_bytes: u64,
    /// Largest ratio of decompressed to compressed bytes of a `.gz`, `.zst` or `.xz` file,
    /// checked once 64 MiB have been decompressed (and of a Parquet file's decoded size,
    /// estimated from its metadata, to its size on disk). Past it the file is taken for a
    /// decompression bomb: the rows before are kept and the rest is one rejected record.
    /// Real exports compress 3-20x. Default: 200.
    pub max_compression_ratio: f64,
    /// Rejected rows of one file after which the rest of that file is not read (a file this
    /// broken is probably mis-delimited or not an export at all); the accounting says so.
    /// Default: 100,000.
    pub max_rejected_per_file: u64,
}

impl Default for IngestSettings {
    fn default() -> Self {
        Self {
            adapters: Default::default(),
            followers_exports: Default::default(),
            max_record_bytes: 16 << 20,
            max_document_bytes: 512 << 20,
            max_compression_ratio: 200.0,
            max_rejected_per_file: 100_000,
        }
    }
}

/// What sending a copy costs, for the cost per engaged reader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct EconomicsSettings {
    /// Cost of one gifted copy with postage, in your currency. Default: not set (no cost
    /// per reader is computed).
    pub cost_per_copy: Option<f64>,
    /// A fee per account, if influencers are paid. Default: not set (0).
    pub fee: Option<f64>,
    /// Currency label shown with costs. Default: "" (none).
    pub currency: String,
}

/// Tier bounds: `nano` below `micro`, `micro` from `micro` to below `mid`, and so on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Tiers {
    /// Smallest follower count of the micro tier. Default: 1,000.
    pub micro: u64,
    /// Smallest follower count of the mid tier. Default: 100,000.
    pub mid: u64,
    /// Smallest follower count of the macro tier. Default: 500,000.
    pub r#macro: u64,
    /// Smallest follower count of the mega tier. Default: 1,000,000.
    pub mega: u64,
}

impl Default for Tiers {
    fn default() -> Self {
        Self {
            micro: 1_000,
            mid: 100_000,
            r#macro: 500_000,
            mega: 1_000_000,
        }
    }
}

impl Tiers {
    /// The tier of an account of `followers`.
    pub fn tier(&self, followers: u64) -> crate::Tier {
        use crate::Tier;
        if followers >= self.mega {
            Tier::Mega
        } else if followers >= self.r#macro {
            Tier::Macro
        } else if followers >= self.mid {
            Tier::Mid
        } else if followers >= self.micro {
            Tier::Micro
        } else {
            Tier::Nano
        }
    }
}

/// Weights of the ranking score (a weighted geometric mean, see microscout-score's `rank`).
/// Each is a non-negative number; only their ratios matter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Weights {
    /// Niche relevance (0-1). Default: 0.4.
    pub relevance: f64,
    /// Engagement relative to the size-scaled floor. Default: 0.25.
    pub engagement: f64,
    /// Consistency: share of window posts at or above the floor. Default: 0.1.
    pub consistency: f64,
    /// Authenticity: one minus the high end of the fake-follower share's interval. Default: 0.2.
    pub authenticity: f64,
    /// Contactability: email 1, link 0.75, direct message only 0.5. Default: 0.05.
    pub contactability: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            relevance: 0.4,
            engagement: 0.25,
            consistency: 0.1,
            authenticity: 0.2,
            contactability: 0.05,
        }
    }
}

/// Longest keyword, excluded keyword or synonym, in characters. A phrase longer than this is
/// not a keyword, and hashtag word-breaking costs grow with the longest known word.
pub const MAX_KEYWORD_CHARS: usize = 100;

/// Largest weight of the ranking score. Only ratios matter; the bound keeps sums finite.
pub const MAX_WEIGHT: f64 = 1000.0;

/// Why a campaign file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    #[error("cannot read campaign file {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("campaign file {path}{location}: {message}")]
    Parse {
        path: PathBuf,
        /// ` line L, column C` when known.
        location: String,
        message: String,
    },
    #[error("campaign file {path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

impl Campaign {
    /// Reads, parses and validates a campaign file.
    pub fn from_path(path: &Path) -> Result<Self, CampaignError> {
        let bytes = std::fs::read(path).map_err(|source| CampaignError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_bytes(&bytes, path)
    }

    /// Parses and validates the bytes of a campaign file, which must be UTF-8 (a file in
    /// another encoding is an error naming the line and column of the first bad byte, never
    /// read lossily: a keyword must not silently become something else).
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Self, CampaignError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            CampaignError::Parse {
                path: path.to_owned(),
                location: format!(", line {line}, column {col}"),
                message: format!(
                    "byte 0x{:02X} is not UTF-8: save the file as UTF-8 (it looks like Latin-1 or Windows-1252)",
                    bytes[e.valid_up_to()]
                ),
            }
        })?;
        Self::from_toml(text, path)
    }

    /// Parses and validates campaign TOML; `path` is only used in messages.
    pub fn from_toml(text: &str, path: &Path) -> Result<Self, CampaignError> {
        let campaign: Campaign = toml::from_str(text).map_err(|e| {
            let location = match e.span() {
                Some(span) => {
                    let (line, col) = line_col(text, span.start);
                    format!(", line {line}, column {col}")
                }
                None => String::new(),
            };
            CampaignError::Parse {
                path: path.to_owned(),
                location,
                message: e.message().trim().to_string(),
            }
        })?;
        campaign
            .validate()
            .map_err(|message| CampaignError::Invalid {
                path: path.to_owned(),
                message,
            })?;
        Ok(campaign)
    }

    /// A file the campaign names, relative to the campaign file `campaign_file`.
    pub fn beside(campaign_file: &Path, p: &str) -> PathBuf {
        campaign_file.parent().unwrap_or(Path::new(".")).join(p)
    }

    /// The outreach ledger's path: `[outreach] ledger` relative to the campaign file, else
    /// `<out>/ledger.csv`.
    pub fn ledger_path(&self, campaign_file: &Path, out: &Path) -> PathBuf {
        match &self.outreach.ledger {
            Some(p) => Self::beside(campaign_file, p),
            None => out.join("ledger.csv"),
        }
    }

    /// The book's languages as ISO 639-3 codes (`[audience] languages`; validated).
    pub fn languages(&self) -> Vec<&'static str> {
        self.audience
            .languages
            .iter()
            .filter_map(|l| crate::language::code_of(l))
            .collect()
    }

    /// The sales file's path, when `[outreach] sales` names one.
    pub fn sales_path(&self, campaign_file: &Path) -> Option<PathBuf> {
        let p = self.outreach.sales.as_deref()?;
        Some(Self::beside(campaign_file, p))
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before.len(), |i| before.len() - i - 1)
        + 1;
    (line, col)
}

/// The commented example written by `microscout init`: every key with its default, plus an
/// example book (a picture book about big emotions).
pub const EXAMPLE_CAMPAIGN: &str = include_str!("example-campaign.toml");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_parses_and_uses_every_default() {
        let c = Campaign::from_toml(EXAMPLE_CAMPAIGN, Path::new("example.toml")).unwrap();
        // The example's own name, book and costs; every other setting is its default.
        let expected = Campaign {
            campaign: c.campaign.clone(),
            book: c.book.clone(),
            economics: c.economics.clone(),
            ..Campaign::default()
        };
        assert_eq!(c, expected);
        assert!(!c.book.keywords.is_empty());
        assert_ne!(c.campaign, CampaignInfo::default());

        // Every setting is written in the example, in its section (the ones without a
        // default value commented out): none can be added without telling the user.
        let defaults = toml::Value::try_from(Campaign::default()).unwrap();
        let mut sections: Vec<(String, String)> = Vec::new();
        for line in EXAMPLE_CAMPAIGN.lines() {
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                sections.push((name.to_string(), String::new()));
            } else if let Some((_, body)) = sections.last_mut() {
                body.push_str(line.trim_start_matches(['#', ' ']));
                body.push('\n');
            }
        }
        let optional = [
            ("ingest", "adapters"),
            ("ingest", "followers-exports"),
            ("outreach", "ledger"),
            ("outreach", "sales"),
            ("economics", "cost-per-copy"),
            ("economics", "fee"),
        ];
        let mut keys: Vec<(String, String)> = optional
            .iter()
            .map(|(s, k)| (s.to_string(), k.to_string()))
            .collect();
        for (section, table) in defaults.as_table().unwrap() {
            for key in table.as_table().unwrap().keys() {
                keys.push((section.clone(), key.clone()));
            }
        }
        for (section, key) in keys {
            let body = sections
                .iter()
                .find(|(s, _)| *s == section)
                .map(|(_, b)| b.as_str())
                .unwrap_or_else(|| panic!("[{section}] is not in the example"));
            assert!(
                body.lines().any(|l| l.starts_with(&format!("{key} ="))),
                "[{section}] {key} is not in the example"
            );
        }
    }

    #[test]
    fn latin1_is_refused_with_its_position() {
        let bytes = b"[book]\nkeywords = [\"\xe9motions\"]\n";
        let e = Campaign::from_bytes(bytes, Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2, column 14"), "{e}");
        assert!(e.contains("0xE9 is not UTF-8"), "{e}");
        let ok = Campaign::from_bytes(
            "[book]\nkeywords = [\"émotions\"]\n".as_bytes(),
            Path::new("c.toml"),
        )
        .unwrap();
        assert_eq!(ok.book.keywords, ["émotions"]);
    }

    #[test]
    fn empty_file_is_all_defaults() {
        let c = Campaign::from_toml("", Path::new("x.toml")).unwrap();
        assert_eq!(c, Campaign::default());
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let err = Campaign::from_toml("[audience]\nfolowers-min = 5\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("folowers-min"), "{err}");
        assert!(err.contains("line 2"), "{err}");
        assert!(err.contains("c.toml"), "{err}");
    }

    #[test]
    fn languages_are_checked_and_read_as_codes() {
        let c = Campaign::from_toml(
            "[audience]\nlanguages = [\"en\", \"French\", \"deu\"]\n",
            Path::new("c.toml"),
        )
        .unwrap();
        assert_eq!(c.languages(), ["eng", "fra", "deu"]);
        let err = Campaign::from_toml(
            "[audience]\nlanguages = [\"elvish\"]\n",
            Path::new("c.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("elvish") && err.contains("[audience] languages"),
            "{err}"
        );
    }

    #[test]
    fn unknown_section_is_named() {
        let err = Campaign::from_toml("[bookk]\ntitle = 'x'\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("bookk"), "{err}");
    }

    #[test]
    fn floor_scales_with_size() {
        let e = Engagement::default();
        let ig = crate::Platform::Instagram;
        let (likes, comments) = e.floors(ig, Some(10_000));
        assert!((likes - 100.0).abs() < 1e-9);
        assert!((comments - 20.0).abs() < 1e-9);
        // 0.1^0.7 = 0.19953
        assert!((e.floors(ig, Some(1_000)).0 - 19.952_623_149_688_797).abs() < 1e-9);
        // Without a follower count: the floor at the reference size, times the platform's.
        assert!((e.floors(crate::Platform::Blog, None).1 - 3.0).abs() < 1e-9);
        let fb = e.floors(crate::Platform::Facebook, Some(10_000));
        assert!((fb.0 - 31.25).abs() < 1e-9 && (fb.1 - 6.25).abs() < 1e-9);
    }

    #[test]
    fn a_campaign_sets_a_platforms_norm() {
        let c = Campaign::from_toml(
            "[engagement.platforms.pinterest]\nlikes-factor = 0.2\ncomments-factor = 0.5\n",
            Path::new("c.toml"),
        )
        .unwrap();
        let e = &c.engagement;
        let (likes, comments) = e.floors(crate::Platform::Pinterest, Some(10_000));
        assert!((likes - 20.0).abs() < 1e-9 && (comments - 10.0).abs() < 1e-9);
        assert!(
            e.norm(crate::Platform::Pinterest)
                .source
                .contains("campaign file")
        );
        // The others keep their defaults.
        assert!((e.floors(crate::Platform::Instagram, Some(10_000)).0 - 100.0).abs() < 1e-9);
        assert!(
            Campaign::from_toml(
                "[engagement.platforms.myspace]\nlikes-factor = 1\ncomments-factor = 1\n",
                Path::new("c.toml")
            )
            .is_err()
        );
    }

    #[test]
    fn tiers_follow_the_contract() {
        let t = Tiers::default();
        use crate::Tier::*;
        assert_eq!(t.tier(0), Nano);
        assert_eq!(t.tier(999), Nano);
        assert_eq!(t.tier(1_000), Micro);
        assert_eq!(t.tier(99_999), Micro);
        assert_eq!(t.tier(100_000), Mid);
        assert_eq!(t.tier(499_999), Mid);
        assert_eq!(t.tier(500_000), Macro);
        assert_eq!(t.tier(1_000_000), Mega);
    }
}
