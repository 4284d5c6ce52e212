//! Niche relevance: how much an account's recent posts and bio talk about the book's
//! niche, with the evidence.
//!
//! Per account, over its `[relevance] posts` most recent posts (the window's ordering and
//! reference time) and its bio, using [`crate::niche::Matcher`]:
//! - `on_niche_posts`: posts matching at least one keyword; `on_niche_share` = that over the
//!   posts considered;
//! - `tf(k)`: posts matching keyword `k`, plus one when the bio does;
//! - `bm25 = sum_k idf(k) * tf(k) * (k1 + 1) / (tf(k) + k1 * (1 - b + b * n / avg_n))` with
//!   `k1 = 1.2`, `b = 0.75`, `n` the posts considered and `avg_n` the drop's mean, and
//!   `idf(k) = ln(1 + (N - df(k) + 0.5) / (df(k) + 0.5))` over the drop's `N` accounts, `df`
//!   the accounts matching `k` anywhere (the drop-wide reduce step, [`DropText`]);
//! - `breadth = bm25 / (bm25 + m)`, `m` the drop's median positive bm25 (0.5 at the median);
//! - `relevance = clamp(0.6 * on_niche_share + 0.2 * bio_matches + 0.2 * breadth -
//!   0.5 * excluded_share - 0.2 * bio_excluded, 0, 1)`, where `excluded_share` is the share
//!   of posts mentioning an excluded keyword.
//!
//! Most of the weight is on the share of posts, so a consistent niche beats one lucky post:
//! one on-niche post in 24 gives at most `0.6 / 24 + 0.2 + 0.2 = 0.425` even with a matching
//! bio, a steady niche account 0.8 or more. Unit: a score from 0 to 1.

use std::collections::HashMap;

use microscout_model::{BestPost, Campaign, Provenance, Relevance};
use polars::prelude::*;
use rayon::prelude::*;

use crate::ScoreError;
use crate::niche::Matcher;

const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Best-matching posts kept as evidence.
const BEST_POSTS: usize = 3;
/// Characters of caption kept in a snippet.
const SNIPPET: usize = 140;

/// The text features of one account.
#[derive(Debug, Clone, Default)]
pub struct AccountText {
    pub posts_considered: u32,
    pub on_niche_posts: u32,
    pub excluded_posts: u32,
    /// Posts matching each keyword.
    pub tf: Vec<u32>,
    pub bio_keywords: u64,
    pub bio_excluded: u64,
    pub any_keywords: u64,
    pub any_excluded: u64,
    pub best: Vec<BestPost>,
    /// The distinct hashtags and phrases of the recent captions and the bio, as hashes
    /// ([`crate::suggest::hashtags`], [`crate::suggest::phrases`]), sorted; their names come
    /// from [`TextSource::names`] for the few that are suggested.
    pub tags: Vec<u64>,
    /// Rows of the recent posts in the [`TextSource`].
    caption_rows: Vec<u32>,
    /// Row of the bio in the [`TextSource`].
    bio_row: Option<u32>,
}

/// `(platform, account_id)`.
pub type OwnedKey = (String, String);

/// Keyed by `(platform, account_id)`.
pub type TextFeatures = HashMap<OwnedKey, AccountText>;

/// Each term hash of [`AccountText::tags`] -> the term in lower case: `#tag` or `two words`.
pub type TagNames = rustc_hash::FxHashMap<u64, String>;

/// Adds a text's hashtags and phrases ([`crate::suggest`]) to an account's terms (unsorted
/// until the end).
fn push_terms(terms: &mut Vec<u64>, text: &str) {
    terms.extend(crate::suggest::hashtags(text).into_iter().map(|(h, _)| h));
    terms.extend(crate::suggest::phrases(text).into_iter().map(|(h, _)| h));
}

/// The texts the accounts' features were read from: the recent captions and the bios. What
/// only some accounts need is read from them again when needed: the names of the suggested
/// terms, the text the language detector reads.
pub struct TextSource {
    captions: StringChunked,
    bios: StringChunked,
}

impl TextSource {
    /// An account's recent captions as the language detector reads them, and how many it
    /// holds words of ([`crate::language::caption_text`]).
    pub fn caption_text(&self, t: &AccountText) -> (String, u32) {
        crate::language::caption_text(
            t.caption_rows
                .iter()
                .filter_map(|&r| self.captions.get(r as usize)),
        )
    }

    /// The names of the `wanted` term hashes (lower case: `#tag`, `two words`) that the
    /// texts of `accounts` use, reading the accounts in order until every one is named: the
    /// terms are extracted again, but only for as many accounts as it takes.
    pub fn names<'t>(
        &self,
        accounts: impl IntoIterator<Item = &'t AccountText>,
        wanted: &rustc_hash::FxHashSet<u64>,
    ) -> TagNames {
        let mut names = TagNames::default();
        let lower = |s: &str| -> String { s.chars().flat_map(char::to_lowercase).collect() };
        for t in accounts {
            if names.len() == wanted.len() {
                break;
            }
            let texts = t
                .caption_rows
                .iter()
                .filter_map(|&r| self.captions.get(r as usize))
                .chain(t.bio_row.and_then(|r| self.bios.get(r as usize)));
            for text in texts {
                for (h, tag) in crate::suggest::hashtags(text) {
                    if wanted.contains(&h) {
                        names.entry(h).or_insert_with(|| format!("#{}", lower(tag)));
                    }
                }
                for (h, phrase) in crate::suggest::phrases(text) {
                    if wanted.contains(&h) {
                        // Lower-cased as `phrases` hashed it (char by char, word by word).
                        names.entry(h).or_insert_with(|| {
                            let words: Vec<String> = phrase.split_whitespace().map(lower).collect();
                            words.join(" ")
                        });
                    }
                }
            }
        }
        names
    }
}

/// Extracts the text features of every account (see the module docs), and where their
/// terms came from. `accounts` has one row per account (as ingestion gives it): of an account
/// given twice, the last bio is read.
pub fn extract(
    accounts: &DataFrame,
    posts: &DataFrame,
    campaign: &Campaign,
    as_of: i64,
    matcher: &Matcher,
) -> Result<(TextFeatures, TextSource), ScoreError> {
    let n = campaign.relevance.posts as usize;
    let cutoff = as_of - i64::from(campaign.window.min_post_age_hours) * 3600;
    let recent = crate::features::recent_rows(
        &posts.select(["platform", "account_id", "post_id", "posted_at", "caption"])?,
        cutoff,
        n,
    )?;
    let s = |df: &DataFrame, c: &str| -> Result<StringChunked, ScoreError> {
        Ok(df.column(c)?.str()?.rechunk().into_owned())
    };
    let (platform, account, post_id, caption) = (
        s(&recent, "platform")?,
        s(&recent, "account_id")?,
        s(&recent, "post_id")?,
        s(&recent, "caption")?,
    );
    let posted_at = recent.column("posted_at")?.i64()?.rechunk().into_owned();
    let (ap, aa, bio) = (
        s(accounts, "platform")?,
        s(accounts, "account_id")?,
        s(accounts, "bio")?,
    );

    // Each account's rows (posts in order, then the bio), then each account read on its own.
    let mut texts = PerAccount::new(matcher.keywords.len());
    for r in 0..recent.height() {
        let key = (
            platform.get(r).unwrap_or_default(),
            account.get(r).unwrap_or_default(),
        );
        texts.slot(key).caption_rows.push(r as u32);
    }
    for r in 0..accounts.height() {
        let key = (ap.get(r).unwrap_or_default(), aa.get(r).unwrap_or_default());
        let t = texts.slot(key);
        if bio.get(r).is_some() {
            t.bio_row = Some(r as u32);
        }
    }
    let mut texts = texts.texts;
    texts.par_iter_mut().with_min_len(16).for_each(|(_, t)| {
        // The on-niche posts as (row, posted_at, keywords), for choosing the best ones.
        let mut candidates: Vec<(usize, i64, u64)> = Vec::new();
        for &r in &t.caption_rows {
            let r = r as usize;
            let c = caption.get(r).unwrap_or_default();
            let m = matcher.matches(c);
            push_terms(&mut t.tags, c);
            t.posts_considered += 1;
            t.any_keywords |= m.keywords;
            t.any_excluded |= m.excluded;
            if m.keywords != 0 {
                t.on_niche_posts += 1;
                for (i, tf) in t.tf.iter_mut().enumerate() {
                    if m.keywords & (1 << i) != 0 {
                        *tf += 1;
                    }
                }
                candidates.push((r, posted_at.get(r).unwrap_or_default(), m.keywords));
            }
            if m.excluded != 0 {
                t.excluded_posts += 1;
            }
        }
        if let Some(b) = t.bio_row.and_then(|r| bio.get(r as usize)) {
            push_terms(&mut t.tags, b);
            let m = matcher.matches(b);
            t.bio_keywords = m.keywords;
            t.bio_excluded = m.excluded;
            t.any_keywords |= m.keywords;
            t.any_excluded |= m.excluded;
        }
        t.tags.sort_unstable();
        t.tags.dedup();
        // The best posts: most keywords first, then most recent (a stable sort, so ties
        // keep the posts' order); only those kept get their snippet.
        candidates.sort_by(|x, y| y.2.count_ones().cmp(&x.2.count_ones()).then(y.1.cmp(&x.1)));
        candidates.truncate(BEST_POSTS);
        t.best = candidates
            .into_iter()
            .map(|(r, posted_at, keywords)| BestPost {
                post_id: post_id.get(r).unwrap_or_default().to_string(),
                posted_at,
                keywords: matcher
                    .keyword_labels(keywords)
                    .into_iter()
                    .map(String::from)
                    .collect(),
                snippet: snippet(caption.get(r).unwrap_or_default()),
            })
            .collect();
    });
    let out: TextFeatures = texts
        .into_iter()
        .map(|((p, a), t)| ((p.to_string(), a.to_string()), t))
        .collect();
    Ok((
        out,
        TextSource {
            captions: caption,
            bios: bio,
        },
    ))
}

/// Each account's text features while its rows are gathered, in order of first appearance.
/// Rows of one account usually come together, so the last account is checked before the
/// index.
struct PerAccount<'a> {
    keywords: usize,
    index: rustc_hash::FxHashMap<AccountKey<'a>, usize>,
    texts: Vec<(AccountKey<'a>, AccountText)>,
    last: Option<(AccountKey<'a>, usize)>,
}

/// (platform, account_id).
type AccountKey<'a> = (&'a str, &'a str);

impl<'a> PerAccount<'a> {
    fn new(keywords: usize) -> Self {
        PerAccount {
            keywords,
            index: Default::default(),
            texts: Vec::new(),
            last: None,
        }
    }

    /// The account's features, created on first sight.
    fn slot(&mut self, key: AccountKey<'a>) -> &mut AccountText {
        let i = match self.last {
            Some((k, i)) if k == key => i,
            _ => {
                let (texts, k) = (&mut self.texts, self.keywords);
                let i = *self.index.entry(key).or_insert_with(|| {
                    texts.push((
                        key,
                        AccountText {
                            tf: vec![0; k],
                            ..Default::default()
                        },
                    ));
                    texts.len() - 1
                });
                self.last = Some((key, i));
                i
            }
        };
        &mut self.texts[i].1
    }
}

/// The first `SNIPPET` characters of a caption on one line, with an ellipsis when cut.
fn snippet(caption: &str) -> String {
    let one_line: String = caption.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= SNIPPET {
        return one_line;
    }
    let cut: String = one_line.chars().take(SNIPPET).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}...")
}

/// Drop-wide text statistics: document frequencies (IDF) and the bm25 scale.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DropText {
    pub accounts: usize,
    /// Accounts matching each keyword anywhere (posts or bio).
    pub document_frequency: Vec<u64>,
    pub idf: Vec<f64>,
    pub mean_posts_considered: f64,
    /// Median positive bm25 over the drop (the breadth scale).
    pub median_bm25: Option<f64>,
}

impl DropText {
    pub fn compute(text: &TextFeatures, keywords: usize) -> DropText {
        let n = text.len();
        let mut dfreq = vec![0u64; keywords];
        for t in text.values() {
            for (i, d) in dfreq.iter_mut().enumerate() {
                if t.any_keywords & (1 << i) != 0 {
                    *d += 1;
                }
            }
        }
        let idf: Vec<f64> = dfreq
            .iter()
            .map(|&d| (1.0 + (n as f64 - d as f64 + 0.5) / (d as f64 + 0.5)).ln())
            .collect();
        let mean_posts_considered = if n == 0 {
            0.0
        } else {
            text.values()
                .map(|t| f64::from(t.posts_considered))
                .sum::<f64>()
                / n as f64
        };
        let mut stats = DropText {
            accounts: n,
            document_frequency: dfreq,
            idf,
            mean_posts_considered,
            median_bm25: None,
        };
        let mut positive: Vec<f64> = text
            .values()
            .map(|t| stats.bm25(t))
            .filter(|b| *b > 0.0)
            .collect();
        positive.sort_by(f64::total_cmp);
        stats.median_bm25 = (!positive.is_empty()).then(|| positive[positive.len() / 2]);
        stats
    }

    pub fn bm25(&self, t: &AccountText) -> f64 {
        let len_norm = if self.mean_posts_considered > 0.0 {
            1.0 - B + B * f64::from(t.posts_considered) / self.mean_posts_considered
        } else {
            1.0
        };
        t.tf.iter()
            .enumerate()
            .map(|(i, &tf)| {
                let tf = f64::from(tf)
                    + if t.bio_keywords & (1 << i) != 0 {
                        1.0
                    } else {
                        0.0
                    };
                if tf == 0.0 {
                    0.0
                } else {
                    self.idf[i] * tf * (K1 + 1.0) / (tf + K1 * len_norm)
                }
            })
            .sum()
    }
}

/// The relevance score and evidence of one account.
pub fn relevance(t: Option<&AccountText>, stats: &DropText, matcher: &Matcher) -> Relevance {
    if matcher.keywords.is_empty() {
        return Relevance {
            score: None,
            provenance: Provenance::unavailable(
                microscout_model::evidence::Unavailable::NoKeywords,
            ),
            ..Relevance::default()
        };
    }
    let empty = AccountText::default();
    let t = t.unwrap_or(&empty);
    let considered = t.posts_considered;
    let share = if considered > 0 {
        f64::from(t.on_niche_posts) / f64::from(considered)
    } else {
        0.0
    };
    let excluded_share = if considered > 0 {
        f64::from(t.excluded_posts) / f64::from(considered)
    } else {
        0.0
    };
    let bm25 = stats.bm25(t);
    let breadth = stats.median_bm25.map_or(0.0, |m| bm25 / (bm25 + m));
    let bio = if t.bio_keywords != 0 { 1.0 } else { 0.0 };
    let bio_ex = if t.bio_excluded != 0 { 1.0 } else { 0.0 };
    let score = (0.6 * share + 0.2 * bio + 0.2 * breadth - 0.5 * excluded_share - 0.2 * bio_ex)
        .clamp(0.0, 1.0);
    let provenance = if considered == 0 {
        Provenance::measured_with("bio only: no recent posts")
    } else {
        Provenance::measured_with(format!("{considered} recent posts and the bio"))
    };
    let mut counts: Vec<(String, u32)> = matcher
        .keywords
        .iter()
        .enumerate()
        .filter(|(i, _)| t.any_keywords & (1 << i) != 0)
        .map(|(i, k)| (k.clone(), t.tf.get(i).copied().unwrap_or(0)))
        .collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Relevance {
        score: Some(score),
        provenance,
        posts_considered: considered,
        on_niche_posts: t.on_niche_posts,
        matched_keywords: counts,
        bio_keywords: matcher
            .keyword_labels(t.bio_keywords)
            .into_iter()
            .map(String::from)
            .collect(),
        excluded_matched: matcher
            .excluded_labels(t.any_excluded)
            .into_iter()
            .map(String::from)
            .collect(),
        excluded_posts: t.excluded_posts,
        best_posts: t.best.clone(),
    }
}

/// The text features of every account, where their terms came from, and the drop-wide
/// reduce over them ([`DropText`]): the first two steps of relevance, shared by [`crate::score`] and
/// [`relevance_of_accounts`].
pub fn gather(
    accounts: &DataFrame,
    posts: &DataFrame,
    campaign: &Campaign,
    as_of: i64,
    matcher: &Matcher,
) -> Result<(TextFeatures, TextSource, DropText), ScoreError> {
    let (text, source) = extract(accounts, posts, campaign, as_of, matcher)?;
    let stats = DropText::compute(&text, matcher.keywords.len());
    Ok((text, source, stats))
}

/// Every account's relevance alone, computed as [`crate::score`] computes it (the same
/// extraction, drop-wide reduce and formula), for evaluating the matcher on a labelled set
/// without the rest of the night. Keyed by `(platform, account_id)`; accounts of the accounts
/// table only.
pub fn relevance_of_accounts(
    accounts: &DataFrame,
    posts: &DataFrame,
    campaign: &Campaign,
    as_of: i64,
) -> Result<Vec<(OwnedKey, Relevance)>, ScoreError> {
    let matcher = Matcher::new(campaign);
    let (text, _, stats) = gather(accounts, posts, campaign, as_of, &matcher)?;
    let out = crate::account_handles(accounts)?
        .into_iter()
        .map(|(platform, account, _)| {
            let key = (platform, account);
            let r = relevance(text.get(&key), &stats, &matcher);
            (key, r)
        })
        .collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher() -> Matcher {
        let mut c = Campaign::default();
        c.book.keywords = vec!["big emotions".into(), "toddler".into()];
        Matcher::new(&c)
    }

    fn text(considered: u32, on_niche: u32, bio: bool) -> AccountText {
        AccountText {
            posts_considered: considered,
            on_niche_posts: on_niche,
            tf: vec![on_niche, 0],
            bio_keywords: u64::from(bio),
            any_keywords: u64::from(bio || on_niche > 0),
            ..Default::default()
        }
    }

    /// Counts per account (rows of two accounts interleaved), the best posts (most keywords
    /// first, then the most recent, ties in row order, three kept), and the bios, including an
    /// account without posts.
    #[test]
    fn extract_counts_and_picks_the_best_posts() {
        let mut c = Campaign::default();
        c.book.keywords = vec!["big emotions".into(), "toddler".into()];
        let m = Matcher::new(&c);
        let h = 3600;
        let rows = [
            ("a", "p1", 1, "Big emotions with a toddler"),
            ("b", "q1", 2, "nothing here"),
            ("a", "p2", 5, "toddler days"),
            ("a", "p3", 4, "big emotions"),
            ("b", "q2", 3, "#BigEmotions"),
            ("a", "p4", 5, "a toddler again"),
            ("a", "p5", 2, "toddler"),
        ];
        let col =
            |f: fn(&(&str, &str, i64, &str)) -> String| rows.iter().map(f).collect::<Vec<_>>();
        let posts = DataFrame::new_infer_height(vec![
            Column::new("platform".into(), vec!["instagram"; rows.len()]),
            Column::new("account_id".into(), col(|r| r.0.into())),
            Column::new("post_id".into(), col(|r| r.1.into())),
            Column::new(
                "posted_at".into(),
                rows.iter()
                    .map(|r| 1_700_000_000 + r.2 * h)
                    .collect::<Vec<_>>(),
            ),
            Column::new("caption".into(), col(|r| r.3.into())),
        ])
        .unwrap();
        let accounts = DataFrame::new_infer_height(vec![
            Column::new("platform".into(), vec!["instagram"; 3]),
            Column::new("account_id".into(), vec!["a", "b", "c"]),
            Column::new(
                "bio".into(),
                vec![None, Some("toddler mum"), Some("big emotions")],
            ),
        ])
        .unwrap();
        let (out, source) = extract(&accounts, &posts, &c, 1_700_000_000 + 10 * h, &m).unwrap();
        let get = |a: &str| &out[&("instagram".to_string(), a.to_string())];
        // The terms are hashes; the wanted ones are named from the texts they came from (a
        // caption's hashtag and phrase, a bio's phrase), the others not at all.
        use crate::suggest::{phrase_hash, word_hash};
        let tag = xxhash_rust::xxh3::xxh3_64(b"#bigemotions");
        let days = phrase_hash(word_hash("toddler"), word_hash("days"));
        let mum = phrase_hash(word_hash("toddler"), word_hash("mum"));
        assert!(get("b").tags.contains(&tag) && get("b").tags.contains(&mum));
        assert!(get("a").tags.contains(&days));
        let wanted: rustc_hash::FxHashSet<u64> = [tag, days, mum].into_iter().collect();
        let names = source.names(out.values(), &wanted);
        let mut named: Vec<&str> = names.values().map(String::as_str).collect();
        named.sort();
        assert_eq!(named, ["#bigemotions", "toddler days", "toddler mum"]);
        assert!(
            source.names([get("c")], &wanted).is_empty(),
            "named only from the given accounts' texts"
        );
        let a = get("a");
        assert_eq!(
            (a.posts_considered, a.on_niche_posts, a.excluded_posts),
            (5, 5, 0)
        );
        assert_eq!(a.tf, vec![2, 4]);
        let best: Vec<&str> = a.best.iter().map(|b| b.post_id.as_str()).collect();
        // p1 has both keywords; p2 and p4 tie at hour 5 (row order), p3 is older.
        assert_eq!(best, ["p1", "p2", "p4"]);
        assert_eq!(a.best[0].keywords, ["big emotions", "toddler"]);
        assert_eq!(a.best[0].snippet, "Big emotions with a toddler");
        let b = get("b");
        assert_eq!((b.posts_considered, b.on_niche_posts), (2, 1));
        assert_eq!(b.bio_keywords, 0b10);
        assert_eq!(b.any_keywords, 0b11);
        let c_ = get("c");
        assert_eq!((c_.posts_considered, c_.bio_keywords), (0, 0b01));
        assert!(c_.best.is_empty());
    }

    /// The module docs' example: one on-niche post in 24 gives at most 0.425 even with a
    /// matching bio and the widest breadth; a steady niche account 0.8 or more.
    #[test]
    fn one_lucky_post_stays_below_a_steady_niche() {
        let m = matcher();
        let lucky = text(24, 1, true);
        let steady = text(24, 22, true);
        let mut drop: TextFeatures = HashMap::new();
        drop.insert(("instagram".into(), "lucky".into()), lucky.clone());
        drop.insert(("instagram".into(), "steady".into()), steady.clone());
        for i in 0..20 {
            drop.insert(("instagram".into(), format!("off{i}")), text(24, 0, false));
        }
        let stats = DropText::compute(&drop, 2);
        let r_lucky = relevance(Some(&lucky), &stats, &m).score.unwrap();
        let r_steady = relevance(Some(&steady), &stats, &m).score.unwrap();
        assert!(r_lucky <= 0.6 / 24.0 + 0.2 + 0.2 + 1e-12, "{r_lucky}");
        assert!(r_lucky > 0.2, "the bio and the post count: {r_lucky}");
        assert!(r_steady >= 0.8, "{r_steady}");
        // The formula, term by term: 0.6 * 22/24 + 0.2 (bio) + 0.2 * breadth.
        let bm25 = stats.bm25(&steady);
        let breadth = bm25 / (bm25 + stats.median_bm25.unwrap());
        let want = 0.6 * 22.0 / 24.0 + 0.2 + 0.2 * breadth;
        assert!((r_steady - want).abs() < 1e-12, "{r_steady} vs {want}");
    }

    #[test]
    fn idf_follows_the_formula() {
        // 22 accounts, keyword 0 matched by 2 of them: idf = ln(1 + (22 - 2 + 0.5) / 2.5).
        let mut drop: TextFeatures = HashMap::new();
        drop.insert(("instagram".into(), "a".into()), text(24, 1, false));
        drop.insert(("instagram".into(), "b".into()), text(24, 3, false));
        for i in 0..20 {
            drop.insert(("instagram".into(), format!("off{i}")), text(24, 0, false));
        }
        let stats = DropText::compute(&drop, 2);
        assert_eq!(stats.document_frequency, vec![2, 0]);
        assert!((stats.idf[0] - (1.0f64 + 20.5 / 2.5).ln()).abs() < 1e-12);
    }

    #[test]
    fn excluded_keywords_cost_relevance() {
        let m = matcher();
        let stats = DropText::compute(&HashMap::new(), 2);
        let mut t = text(10, 10, false);
        let clean = relevance(Some(&t), &stats, &m).score.unwrap();
        t.excluded_posts = 4;
        let spammy = relevance(Some(&t), &stats, &m).score.unwrap();
        assert!(
            (clean - spammy - 0.5 * 0.4).abs() < 1e-12,
            "{clean} {spammy}"
        );
    }
}
