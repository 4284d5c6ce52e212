//! The comments of a drop as scoring reads them: reduced chunk by chunk, as ingestion hands
//! them on, to what each account's recent comments show ([`CommentSample`]), so the
//! comments are never held whole.
//!
//! Bought engagement and engagement pods show in comments before anywhere else: generic
//! or emoji-only praise, the same few commenters on every post, the same texts again and
//! again, the same texts on many accounts of the drop, comments within minutes of posting.
//! Each account's measures, over the comments on its recent posts (the posts scoring keeps
//! for the window and relevance, [`crate::RecentPosts`]), are:
//!
//! - `generic_share` = generic comments / recent comments with text, where a comment is
//!   generic when, after removing @mentions and #hashtags, it has no letter or digit (emoji and
//!   punctuation only), or at most [`GENERIC_MAX_WORDS`] words all of which are stock
//!   praise words ([`STOCK_WORDS`], in the languages of the campaigns: "nice pic 🔥",
//!   "love it", "que lindo", "trop beau"). Unit: fraction.
//! - `spam_share` = recent comments the shipped comment-spam classifier labels spam
//!   (`microscout_authenticity::comments`, evaluated in `docs/comment-spam-evaluation.md`) /
//!   recent comments classified: every recent comment with text, up to
//!   [`MAX_CLASSIFIED`] per account in the order read (a bound on a flood: beyond it the
//!   share is of the first ones, which a file sorted by post or time may bias). Unit:
//!   fraction.
//! - `top_commenters_share` = comments by the three commenters with most comments / recent
//!   comments with a known commenter. Unit: fraction. An account whose every comment comes
//!   from a handful of handles is commented on by a circle, not an audience.
//! - `repeated_share` = recent comments whose normalised text (lower case; letters, digits
//!   and other symbols such as emoji, without white space, ASCII punctuation or mentions) the
//!   account had already received on a recent post / recent comments
//!   with text. Unit: fraction.
//! - `shared_share` = recent non-generic comments whose normalised text also appears on at
//!   least [`SHARED_TEXT_ACCOUNTS`] other accounts of the drop / recent non-generic
//!   comments with text. Unit: fraction. Generic praise is shared by nature and is left
//!   out; a sentence copied onto many accounts is a bot's or a pod's.
//! - `farm_share` = recent comments by handles that comment on at least
//!   [`FARM_ACCOUNTS`] accounts of the drop / recent comments with a known commenter. Unit:
//!   fraction. Readers follow a few accounts; a farm's and a spammer's handles comment
//!   across the drop.
//! - `fast_share` = recent comments written less than [`FAST_SECONDS`] after their post /
//!   recent comments whose time is known. Unit: fraction.
//! - `on_topic_share` = recent comments with text that share a subject word with their
//!   post's caption / recent comments with text on posts whose caption has a subject word,
//!   where a text's subject words are the English stems of its words of 4 or more letters
//!   (hashtags split at `#`) that are not stop words or stock praise ([`subject_words`]).
//!   Unit: fraction. A reader answers the post ("the calm-down corner worked for us"); a
//!   bot's or a pod's praise fits any post. Words of another language than the caption's
//!   do not match: the share is a floor.
//! - `commenters`: distinct commenter handles. Unit: accounts.
//!
//! Texts are held as 64-bit XXH3 fingerprints, handles likewise: memory grows with the
//! distinct texts and commenters per account (a hash-table entry of 12 to 20 bytes each, in
//! up to three tables, and the drop-wide tables of texts and commenters), plus three quoted
//! comments per account, not with the comments' text.

use microscout_model::sample::handle_fingerprint;
use polars::prelude::*;
use rustc_hash::FxHashMap;

use crate::ScoreError;
use microscout_model::Provenance;
use microscout_model::comments::{
    CommentEvidence, CommentRows, FARM_ACCOUNTS, SHARED_TEXT_ACCOUNTS, post_fingerprint,
};
use microscout_model::evidence::Unavailable;

/// Recent comments with text classified per account (see `spam_share`).
pub const MAX_CLASSIFIED: u64 = 20_000;

/// Words a generic comment may have at most.
pub const GENERIC_MAX_WORDS: usize = 4;

/// A comment written less than this after its post is "fast". Unit: seconds.
pub const FAST_SECONDS: i64 = 600;

/// Characters of a quoted comment.
const QUOTE_CHARS: usize = 200;

/// Praise and filler that says nothing about a post, in English, Spanish, Portuguese,
/// French, German and Italian (lower case). A comment made only of these (and emoji) is
/// generic.
pub const STOCK_WORDS: &[&str] = &[
    // English
    "nice",
    "pic",
    "pics",
    "photo",
    "post",
    "love",
    "it",
    "this",
    "so",
    "very",
    "cute",
    "great",
    "amazing",
    "awesome",
    "beautiful",
    "cool",
    "wow",
    "omg",
    "lovely",
    "gorgeous",
    "perfect",
    "super",
    "good",
    "best",
    "yes",
    "lol",
    "haha",
    "hahaha",
    "xd",
    "the",
    "a",
    "is",
    "such",
    "what",
    "fire",
    "lit",
    "stunning",
    "pretty",
    "wonderful",
    "fab",
    "fabulous",
    "adorable",
    "goals",
    "wonderful",
    "brilliant",
    "fantastic",
    "excellent",
    "epic",
    "dope",
    "sweet",
    "i",
    "you",
    "u",
    "ur",
    "your",
    "look",
    "looks",
    "looking",
    "like",
    "keep",
    "up",
    "work",
    "job",
    "content",
    "feed",
    "account",
    "page",
    "follow",
    "me",
    "back",
    "check",
    "out",
    "my",
    "dm",
    "thanks",
    "thank",
    "thx",
    "ty",
    "and",
    "too",
    "much",
    "really",
    "just",
    "all",
    "of",
    "true",
    "same",
    "mood",
    "vibes",
    "oh",
    // Spanish / Portuguese
    "que",
    "qué",
    "lindo",
    "linda",
    "lindos",
    "hermoso",
    "hermosa",
    "bonito",
    "bonita",
    "precioso",
    "preciosa",
    "genial",
    "increíble",
    "guapa",
    "guapo",
    "muy",
    "me",
    "encanta",
    "amo",
    "amei",
    "top",
    "bello",
    "bella",
    "hermosura",
    "belleza",
    "maravilloso",
    "maravillosa",
    "lindeza",
    "muito",
    "bom",
    "boa",
    "show",
    "demais",
    "perfeito",
    "perfeita",
    "gracias",
    "obrigado",
    "obrigada",
    // French
    "trop",
    "beau",
    "belle",
    "magnifique",
    "génial",
    "super",
    "j'adore",
    "adore",
    "très",
    "joli",
    "jolie",
    "merci",
    "bravo",
    "waouh",
    "c'est",
    // German
    "schön",
    "toll",
    "sehr",
    "geil",
    "mega",
    "klasse",
    "danke",
    "wunderschön",
    "hübsch",
    // Italian
    "bellissimo",
    "bellissima",
    "bellissime",
    "bellissimi",
    "stupendo",
    "stupenda",
    "grazie",
    "molto",
    "wow",
    "troppo",
    "bello",
];

/// Whether a comment's text is generic (see the module documentation).
pub fn is_generic(text: &str) -> bool {
    let mut words = 0usize;
    let mut has_word = false;
    let mut word = String::new();
    for raw in text.split_whitespace() {
        if raw.starts_with('@') || raw.starts_with('#') {
            continue;
        }
        word.clear();
        word.extend(
            raw.chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'')
                .flat_map(char::to_lowercase),
        );
        if word.is_empty() {
            continue;
        }
        has_word = true;
        words += 1;
        if words > GENERIC_MAX_WORDS || !is_stock(&word) {
            return false;
        }
    }
    // No word at all: emoji and punctuation only (or only mentions).
    !has_word || words <= GENERIC_MAX_WORDS
}

/// A stock word, also when a letter is drawn out ("niiiice", "loooove", "wowww").
fn is_stock(word: &str) -> bool {
    static SETS: std::sync::OnceLock<(
        rustc_hash::FxHashSet<&'static str>,
        rustc_hash::FxHashSet<String>,
    )> = std::sync::OnceLock::new();
    let (plain, squeezed) = SETS.get_or_init(|| {
        (
            STOCK_WORDS.iter().copied().collect(),
            STOCK_WORDS.iter().map(|w| squeeze(w)).collect(),
        )
    });
    if plain.contains(word) {
        return true;
    }
    let s = squeeze(word);
    s != word && squeezed.contains(&s)
}

fn squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// The fingerprint of a comment's normalised text: lower-case letters, digits and other
/// symbols (emoji) without white space, punctuation or mentions; None for an empty text.
fn text_fingerprint(text: &str, buf: &mut String) -> Option<u64> {
    buf.clear();
    for word in text.split_whitespace().filter(|w| !w.starts_with('@')) {
        for c in word.chars() {
            if c.is_alphanumeric() {
                buf.extend(c.to_lowercase());
            } else if !c.is_ascii_punctuation() && !c.is_whitespace() && !is_joiner(c) {
                buf.push(c);
            }
        }
    }
    (!buf.is_empty()).then(|| xxhash_rust::xxh3::xxh3_64(buf.as_bytes()))
}

/// Words that say nothing of a post's subject: function words and stock praise of 4 or
/// more letters (shorter words are never subject words).
const STOP_WORDS: &str = "this that with have from your what when they them their there here \
    were will would could should been being about into just like love loved loving much very \
    really thank thanks thanku great good nice amazing awesome beautiful cute lovely perfect \
    wow wonderful gorgeous best also some more most only over such than then these those \
    which while where whom yours mine ours always never ever even still today tonight post \
    posts photo picture video reel pics follow followed back page account check link bio \
    please dont doesnt cant wont didnt isnt youre thats";

/// The words of [`STOP_WORDS`].
pub(crate) fn stop_words() -> impl Iterator<Item = &'static str> {
    STOP_WORDS.split_whitespace()
}

/// Whether a lower-case word of 4 or more letters is one of [`STOP_WORDS`].
pub(crate) fn is_stop_word(lower: &str) -> bool {
    static STOP: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    STOP.get_or_init(|| STOP_WORDS.split_whitespace().collect())
        .contains(lower)
}

thread_local! {
    /// Lower-case word -> its stem's 32-bit hash, per thread (words repeat from text to text;
    /// stemming is the costly part of [`subject_words`]).
    static STEMS: std::cell::RefCell<FxHashMap<Box<str>, u32>> =
        std::cell::RefCell::new(FxHashMap::default());
}

/// Most words [`STEMS`] keeps (it is emptied when full).
const STEMS_KEPT: usize = 1 << 17;

/// A text's subject words: the English stems of its words of 4 or more letters (hashtags
/// split at `#`, lower case), without [`STOP_WORDS`], as 32-bit hashes, sorted, without
/// repeats, at most 64.
pub fn subject_words(text: &str, stemmer: &rust_stemmers::Stemmer) -> Vec<u32> {
    let mut out = Vec::new();
    let mut lower = String::new();
    'runs: for run in text.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
        for word in run.split('#').map(|w| w.trim_matches('\'')) {
            if word.chars().filter(|c| c.is_alphabetic()).count() < 4 {
                continue;
            }
            lower.clear();
            if word.is_ascii() {
                lower.extend(
                    word.bytes()
                        .filter(|b| *b != b'\'')
                        .map(|b| b.to_ascii_lowercase() as char),
                );
            } else {
                lower.extend(
                    word.chars()
                        .flat_map(char::to_lowercase)
                        .filter(|c| *c != '\''),
                );
            }
            if is_stop_word(&lower) {
                continue;
            }
            out.push(STEMS.with_borrow_mut(|cache| {
                if let Some(h) = cache.get(lower.as_str()) {
                    return *h;
                }
                if cache.len() >= STEMS_KEPT {
                    cache.clear();
                }
                let h = xxhash_rust::xxh3::xxh3_64(stemmer.stem(&lower).as_bytes()) as u32;
                cache.insert(lower.as_str().into(), h);
                h
            }));
            if out.len() >= 64 {
                break 'runs;
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether two sorted lists share a value.
fn shares_a_word(a: &[u32], b: &[u32]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    false
}

/// Variation selectors and the zero-width joiner: the same emoji with or without them.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200d}' | '\u{fe0e}' | '\u{fe0f}')
}

/// One account's running counts.
#[derive(Debug, Default)]
struct Account {
    read: u64,
    recent: u64,
    with_text: u64,
    generic: u64,
    classified: u64,
    spam: u64,
    non_generic: u64,
    repeated: u64,
    timed: u64,
    fast: u64,
    with_handle: u64,
    /// Recent comments with text on posts whose caption has a subject word, and those
    /// among them sharing one.
    with_subject: u64,
    on_topic: u64,
    /// Handle fingerprint -> (comments, the recent posts commented on as a bit set over
    /// `posts`' indices).
    commenters: FxHashMap<u64, (u32, u64)>,
    /// Normalised text fingerprint -> (recent comments with it, the non-generic ones among
    /// them: the drop-wide count is of those).
    texts: FxHashMap<u64, (u32, u32)>,
    /// What the language detector reads of the recent comments ([`crate::language::push_text`],
    /// at most [`crate::language::MAX_COMMENT_CHARS`] bytes), the comments it holds words of,
    /// and whether it is full; only when the campaign sets `[audience] languages`.
    lang_text: String,
    lang_texts: u32,
    lang_full: bool,
    /// (likes, generic, text) of the best candidates to quote.
    quotes: Vec<(i64, bool, String)>,
    /// The recent posts that have comments: post fingerprint -> its index (in the order
    /// first seen; the 64th and later share index 63, so a commenter's posts are counted
    /// exactly for the first 63).
    posts: FxHashMap<u64, u8>,
}

/// The comments of a drop reduced to each account's counts, chunk by chunk.
#[derive(Debug, Default)]
pub struct CommentSample {
    index: FxHashMap<(String, String), usize>,
    accounts: Vec<Account>,
    /// [`post_fingerprint`] (platform, post_id) -> posted_at and the caption's
    /// [`subject_words`] of the recent posts.
    recent_posts: FxHashMap<u64, (i64, Box<[u32]>)>,
    rows: u64,
    /// Whether the drop has a comments table at all (a chunk came, even an empty one).
    seen: bool,
    /// Judgements of texts already seen (XXH3 of the raw text -> [`Judged`]): the same
    /// text ("❤️", "Love this!") is judged once, not once per comment. At most
    /// [`MAX_JUDGED_TEXTS`] texts are kept; later new texts are judged each time.
    judged: FxHashMap<u64, Judged>,
    /// Whether the comments' language is read ([`CommentSample::reading_languages`]).
    languages: bool,
}

/// What the text of a comment is, as pure functions of it: generic, its normalised
/// fingerprint, whether the comment-spam classifier labels it spam, and its
/// [`subject_words`].
type Judged = (bool, Option<u64>, bool, Box<[u32]>);

/// Distinct comment texts whose judgements are kept (about 48 bytes each in the table, and
/// 4 bytes per subject word, at most 64: under 80 MB at the cap, typically about 20).
pub const MAX_JUDGED_TEXTS: usize = 1 << 18;

impl CommentSample {
    /// For the recent posts scoring keeps (a table with `platform`, `account_id`, `post_id`,
    /// `posted_at` and, when known, `caption`: [`crate::RecentPosts::final_posts`] once every
    /// post is read; None when the drop kept none).
    pub fn new(recent_posts: Option<&DataFrame>) -> Result<Self, ScoreError> {
        let Some(recent_posts) = recent_posts else {
            return Ok(Self::default());
        };
        let platform = recent_posts.column("platform")?.str()?;
        let post = recent_posts.column("post_id")?.str()?;
        let at = recent_posts.column("posted_at")?.i64()?;
        // (A table without captions gives no comment a subject to be about.)
        let caption = match recent_posts.column("caption") {
            Ok(c) => Some(c.str()?),
            Err(_) => None,
        };
        let rows: Vec<(u64, i64, &str)> = platform
            .iter()
            .zip(post.iter())
            .zip(at.iter())
            .enumerate()
            .filter_map(|(row, ((p, id), t))| {
                let c = caption.and_then(|c| c.get(row)).unwrap_or_default();
                Some((post_fingerprint(p?, id?), t?, c))
            })
            .collect();
        // The captions' subject words, on every core.
        let subjects: Vec<Box<[u32]>> = {
            use rayon::prelude::*;
            rows.par_iter()
                .map_init(
                    || rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English),
                    |stemmer, (_, _, c)| subject_words(c, stemmer).into_boxed_slice(),
                )
                .collect()
        };
        let mut recent = FxHashMap::default();
        for ((key, t, _), subject) in rows.into_iter().zip(subjects) {
            recent.insert(key, (t, subject));
        }
        Ok(Self {
            recent_posts: recent,
            ..Self::default()
        })
    }

    /// Reads the language of each account's recent comments too (when the campaign sets
    /// `[audience] languages`; nothing reads it otherwise): the first
    /// [`crate::language::MAX_COMMENT_CHARS`] bytes of their words, as captions are read
    /// ([`crate::language::push_text`]).
    pub fn reading_languages(mut self, on: bool) -> Self {
        self.languages = on;
        self
    }

    /// Comment rows added so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Adds a chunk of comments (each row's account its post's owner, as ingestion gives
    /// it).
    pub fn add(&mut self, chunk: &CommentRows) {
        self.seen = true;
        self.rows += chunk.len() as u64;
        let model = microscout_authenticity::comments::CommentModel::shipped();
        // First, in order: each row's account, whether it is on a recent post, and whether
        // its text is among the account's first MAX_CLASSIFIED (cheap: hashing).
        struct Seen<'p> {
            idx: usize,
            posted: Option<i64>,
            /// The post's caption's subject words.
            subject: &'p [u32],
            post_index: u8,
            classify: bool,
        }
        let mut seen = Vec::with_capacity(chunk.len());
        let mut i = 0;
        for run in &chunk.accounts {
            let next = self.accounts.len();
            let idx = *self
                .index
                .entry((run.platform.clone(), run.account_id.clone()))
                .or_insert(next);
            if idx == next {
                self.accounts.push(Account::default());
            }
            let acc = &mut self.accounts[idx];
            for i in i..i + run.rows {
                acc.read += 1;
                let key = chunk.post[i];
                let post_subject = self.recent_posts.get(&key);
                let posted = post_subject.map(|(t, _)| *t);
                let has_text = chunk.text(i).is_some();
                let classify = posted.is_some() && has_text && acc.classified < MAX_CLASSIFIED;
                let post_index = if posted.is_some() {
                    let n = acc.posts.len().min(63) as u8;
                    *acc.posts.entry(key).or_insert(n)
                } else {
                    0
                };
                acc.classified += u64::from(classify);
                seen.push(Seen {
                    idx,
                    posted,
                    subject: post_subject.map_or(&[][..], |(_, s)| &s[..]),
                    post_index,
                    classify,
                });
            }
            i += run.rows;
        }
        // The text of each recent comment judged (pure functions of the text: generic, its
        // fingerprint, spam): each new text once, on every core, the others from the memo.
        let raw: Vec<Option<u64>> = (0..chunk.len())
            .map(|i| {
                seen[i].posted?;
                let t = chunk.text(i)?;
                Some(xxhash_rust::xxh3::xxh3_64(t.as_bytes()))
            })
            .collect();
        let mut new: Vec<(u64, usize)> = Vec::new();
        {
            let mut queued = rustc_hash::FxHashSet::default();
            for (i, h) in raw.iter().enumerate() {
                if let Some(h) = h
                    && !self.judged.contains_key(h)
                    && queued.insert(*h)
                {
                    new.push((*h, i));
                }
            }
        }
        let fresh: Vec<(u64, Judged)> = {
            use rayon::prelude::*;
            new.into_par_iter()
                .map_init(
                    || {
                        let english = rust_stemmers::Algorithm::English;
                        (String::new(), rust_stemmers::Stemmer::create(english))
                    },
                    |(buf, stemmer), (h, i)| {
                        let t = chunk.text(i).unwrap_or_default();
                        let spam = model.is_spam(model.probability(t));
                        let subject = subject_words(t, stemmer).into_boxed_slice();
                        (h, (is_generic(t), text_fingerprint(t, buf), spam, subject))
                    },
                )
                .collect()
        };
        let overflow: FxHashMap<u64, Judged> =
            if self.judged.len() + fresh.len() <= MAX_JUDGED_TEXTS {
                self.judged.extend(fresh);
                FxHashMap::default()
            } else {
                fresh.into_iter().collect()
            };
        // (generic, fingerprint, spam, on topic) of each recent comment with text; on topic
        // None when its post's caption has no subject word.
        type Verdicts = (bool, Option<u64>, bool, Option<bool>);
        let judged: Vec<Option<Verdicts>> = raw
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = (*h)?;
                let (generic, fp, spam, words) =
                    self.judged.get(&h).or_else(|| overflow.get(&h))?;
                let s = &seen[i];
                let on_topic = (!s.subject.is_empty()).then(|| shares_a_word(words, s.subject));
                Some((*generic, *fp, *spam && s.classify, on_topic))
            })
            .collect();
        // Then, in order, the counts.
        let languages = self.languages;
        for (i, s) in seen.iter().enumerate() {
            let Seen {
                idx,
                posted: Some(posted),
                post_index,
                ..
            } = s
            else {
                continue;
            };
            let acc = &mut self.accounts[*idx];
            acc.recent += 1;
            if let Some(fp) = chunk.handle_fp[i] {
                acc.with_handle += 1;
                let e = acc.commenters.entry(fp).or_default();
                e.0 += 1;
                e.1 |= 1u64 << post_index;
            }
            if let Some(t) = chunk.commented_at[i] {
                acc.timed += 1;
                if (0..FAST_SECONDS).contains(&(t - posted)) {
                    acc.fast += 1;
                }
            }
            let (Some((generic, fp, spam, on_topic)), Some(t)) = (judged[i], chunk.text(i)) else {
                continue;
            };
            acc.with_text += 1;
            if languages && !acc.lang_full {
                let (any, full) = crate::language::push_text(
                    &mut acc.lang_text,
                    t,
                    crate::language::MAX_COMMENT_CHARS,
                );
                acc.lang_texts += u32::from(any);
                acc.lang_full = full;
            }
            if let Some(on) = on_topic {
                acc.with_subject += 1;
                acc.on_topic += u64::from(on);
            }
            acc.generic += u64::from(generic);
            acc.spam += u64::from(spam);
            if let Some(fp) = fp {
                let seen = acc.texts.entry(fp).or_default();
                if seen.0 > 0 {
                    acc.repeated += 1;
                }
                seen.0 += 1;
                if !generic {
                    acc.non_generic += 1;
                    seen.1 += 1;
                }
            }
            offer_quote(
                &mut acc.quotes,
                chunk.likes[i].unwrap_or(0),
                generic || spam,
                t,
            );
        }
    }

    /// Each account's evidence, by (platform, account_id). Accounts without a comment are
    /// not in it ([`CommentSample::unavailable`] says why for them).
    pub fn finish(mut self) -> CommentEvidenceByAccount {
        // Drop-wide: on how many accounts each specific text appears, and each commenter
        // comments.
        let mut spread: FxHashMap<u64, u32> = FxHashMap::default();
        let mut reach: FxHashMap<u64, u32> = FxHashMap::default();
        for acc in &self.accounts {
            for (fp, _) in acc.texts.iter().filter(|(_, (_, specific))| *specific > 0) {
                *spread.entry(*fp).or_default() += 1;
            }
            for fp in acc.commenters.keys() {
                *reach.entry(*fp).or_default() += 1;
            }
        }
        let share = |n: u64, of: u64| (of > 0).then(|| n as f64 / of as f64);
        let mut by_account = FxHashMap::default();
        let mut circles = FxHashMap::default();
        let mut language_texts = FxHashMap::default();
        for ((platform, account_id), idx) in self.index {
            let acc = &mut self.accounts[idx];
            let evidence = if acc.recent == 0 {
                CommentEvidence::unavailable(acc.read, Unavailable::NoRecentComments)
            } else {
                let mut counts: Vec<u32> = acc.commenters.values().map(|(n, _)| *n).collect();
                counts.sort_unstable_by(|a, b| b.cmp(a));
                let top: u64 = counts.iter().take(3).map(|c| u64::from(*c)).sum();
                let shared: u64 = acc
                    .texts
                    .iter()
                    .filter(|(fp, (_, specific))| {
                        *specific > 0 && spread[fp] > SHARED_TEXT_ACCOUNTS
                    })
                    .map(|(_, (_, n))| u64::from(*n))
                    .sum();
                let farm: u64 = acc
                    .commenters
                    .iter()
                    .filter(|(fp, _)| reach[fp] >= FARM_ACCOUNTS)
                    .map(|(_, (n, _))| u64::from(*n))
                    .sum();
                CommentEvidence {
                    read: acc.read,
                    recent: acc.recent,
                    commenters: acc.commenters.len() as u64,
                    generic_share: share(acc.generic, acc.with_text),
                    spam_share: share(acc.spam, acc.classified),
                    top_commenters_share: share(top, acc.with_handle),
                    repeated_share: share(acc.repeated, acc.with_text),
                    shared_share: share(shared, acc.non_generic),
                    farm_share: share(farm, acc.with_handle),
                    fast_share: share(acc.fast, acc.timed),
                    on_topic_share: share(acc.on_topic, acc.with_subject),
                    pod_partners: Vec::new(),
                    pod_share: None,
                    quotes: acc.quotes.iter().map(|(_, _, t)| t.clone()).collect(),
                    provenance: Provenance::measured(),
                }
            };
            if acc.recent > 0 {
                // The commenters go on to the pods (moved, not copied).
                let commenters = std::mem::take(&mut acc.commenters);
                circles.insert(
                    (platform.clone(), account_id.clone()),
                    (commenters, acc.posts.len() as u64, acc.recent),
                );
            }
            if acc.lang_texts > 0 {
                language_texts.insert(
                    (platform.clone(), account_id.clone()),
                    (std::mem::take(&mut acc.lang_text), acc.lang_texts),
                );
            }
            by_account.insert((platform, account_id), evidence);
        }
        CommentEvidenceByAccount {
            by_account,
            has_table: self.seen,
            circles,
            language_texts,
            languages: self.languages,
        }
    }
}

/// Share of an account's recent posts (with comments) another account of the drop must
/// comment on, and the other way round, for the two to be partners of a pod: every other
/// post, both ways.
pub const POD_PARTNER_RATE: f64 = 0.5;

/// Recent posts with comments an account needs before it can be judged a pod partner (one
/// comment on one post is no pattern).
pub const POD_MIN_POSTS: u64 = 4;

/// Accounts of one pod at least: a circle of two or three friends is not a pod.
pub const POD_MIN_MEMBERS: usize = 4;

/// The pods of a drop ([`CommentEvidenceByAccount::find_pods`]).
#[derive(Debug, Clone, Default)]
pub struct Pods {
    pub pods: Vec<Pod>,
    /// Per member (platform, account_id): its partners' handles and `pod_share`.
    membership: FxHashMap<(String, String), (Vec<String>, f64)>,
}

impl Pods {
    /// Adds an account's pod partners and `pod_share` to its evidence.
    pub fn apply(&self, platform: &str, account_id: &str, e: &mut CommentEvidence) {
        if let Some((partners, share)) = self
            .membership
            .get(&(platform.to_string(), account_id.to_string()))
        {
            e.pod_partners = partners.clone();
            e.pod_share = Some(*share);
        }
    }
}

/// An engagement pod found in the drop: accounts of one platform that comment on each
/// other's recent posts far more than readers do (each pair of partners at least
/// [`POD_PARTNER_RATE`] comments per recent post both ways), [`POD_MIN_MEMBERS`] or more
/// linked by such pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct Pod {
    pub platform: String,
    /// (account_id, handle) of the members, by handle.
    pub members: Vec<(String, String)>,
}

/// Unicode's bidirectional overrides and isolates, which can make quoted text read
/// backwards in a report.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// Keeps the three best comments to quote: plain (neither generic nor spam) before the
/// rest, then most liked, then first seen.
fn offer_quote(quotes: &mut Vec<(i64, bool, String)>, likes: i64, generic: bool, text: &str) {
    let better = |a: (bool, i64), b: (bool, i64)| (!a.0, a.1) > (!b.0, b.1);
    if quotes.len() == 3
        && !quotes
            .iter()
            .any(|(l, g, _)| better((generic, likes), (*g, *l)))
    {
        return;
    }
    // Control characters (line breaks, terminal escapes) as spaces: a quote is one line
    // of plain text wherever it is shown.
    let cut: String = text
        .trim()
        .chars()
        .take(QUOTE_CHARS)
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    if quotes.iter().any(|(_, _, t)| *t == cut) {
        return;
    }
    quotes.push((likes, generic, cut));
    // Plain first, then most liked; the sort is stable, so the first seen wins a tie.
    quotes.sort_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
    quotes.truncate(3);
}

/// The comment evidence of a drop's accounts.
#[derive(Debug, Default)]
pub struct CommentEvidenceByAccount {
    by_account: FxHashMap<(String, String), CommentEvidence>,
    has_table: bool,
    /// Per account with recent comments: its commenters (handle fingerprint -> comments),
    /// its recent posts with comments, its recent comments; for the pods.
    circles: FxHashMap<(String, String), Circle>,
    /// Per account with recent comments read for their language: the text the detector
    /// reads and the comments it holds words of.
    language_texts: FxHashMap<(String, String), (String, u32)>,
    /// Whether the comments' language was read at all.
    languages: bool,
}

/// An account's commenters (handle fingerprint -> comments and the posts commented on), its
/// recent posts with comments and its recent comments.
type Circle = (FxHashMap<u64, (u32, u64)>, u64, u64);

impl CommentEvidenceByAccount {
    /// A drop without comments.
    pub fn none() -> Self {
        Self::default()
    }

    /// The engagement pods among `accounts` ((platform, account_id, handle) of the drop's
    /// accounts), each with its members; and each member's evidence gains its pod partners
    /// and the share of its recent comments that they wrote (`pod_share`).
    ///
    /// Formula: for accounts A and B of one platform, `rate(A -> B)` = B's recent posts that A's
    /// handle commented on / B's recent posts with comments (B needs at least
    /// [`POD_MIN_POSTS`] of them). A and B are partners when `rate(A -> B)` and `rate(B -> A)`
    /// are both at least [`POD_PARTNER_RATE`]; a pod is a connected group of partners (two
    /// rings that share a member are one group) with at least [`POD_MIN_MEMBERS`] accounts,
    /// and each member's partners are the group's other members. Unit of
    /// `pod_share`: fraction of the member's recent comments.
    pub fn find_pods(&self, accounts: &[(String, String, String)]) -> Pods {
        let mut by_handle: FxHashMap<(&str, u64), usize> = FxHashMap::default();
        for (i, (platform, _, handle)) in accounts.iter().enumerate() {
            if let Some(fp) = handle_fingerprint(handle) {
                by_handle.insert((platform.as_str(), fp), i);
            }
        }
        // rate(A -> B) for every A of the drop that commented on B.
        let mut rates: FxHashMap<(usize, usize), f64> = FxHashMap::default();
        for (b, (platform, account_id, _)) in accounts.iter().enumerate() {
            let Some((commenters, posts, _)) =
                self.circles.get(&(platform.clone(), account_id.clone()))
            else {
                continue;
            };
            if *posts < POD_MIN_POSTS {
                continue;
            }
            for (fp, (_, mask)) in commenters {
                if let Some(&a) = by_handle.get(&(platform.as_str(), *fp))
                    && a != b
                {
                    rates.insert((a, b), f64::from(mask.count_ones()) / *posts as f64);
                }
            }
        }
        // Partners, joined into groups.
        let mut groups = crate::stats::Groups::new(accounts.len());
        let mut partners: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        let mut pairs: Vec<(usize, usize)> = rates
            .iter()
            .filter(|((a, b), r)| {
                a < b
                    && **r >= POD_PARTNER_RATE
                    && rates
                        .get(&(*b, *a))
                        .is_some_and(|back| *back >= POD_PARTNER_RATE)
            })
            .map(|((a, b), _)| (*a, *b))
            .collect();
        pairs.sort_unstable();
        for (a, b) in pairs {
            partners.entry(a).or_default().push(b);
            partners.entry(b).or_default().push(a);
            groups.join(a, b);
        }
        let mut members_of: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for &x in partners.keys() {
            members_of.entry(groups.root(x)).or_default().push(x);
        }
        let mut pods = Vec::new();
        let mut membership = FxHashMap::default();
        for members in members_of
            .into_values()
            .filter(|m| m.len() >= POD_MIN_MEMBERS)
        {
            let mut named: Vec<(String, String)> = members
                .iter()
                .map(|&m| (accounts[m].1.clone(), accounts[m].2.clone()))
                .collect();
            named.sort_by(|x, y| x.1.cmp(&y.1));
            for &m in &members {
                let (platform, account_id, _) = &accounts[m];
                let key = (platform.clone(), account_id.clone());
                let Some((commenters, _, recent)) = self.circles.get(&key) else {
                    continue;
                };
                let from_pod: u64 = members
                    .iter()
                    .filter(|&&o| o != m)
                    .filter_map(|&o| commenters.get(&handle_fingerprint(&accounts[o].2)?))
                    .map(|(n, _)| u64::from(*n))
                    .sum();
                let share = from_pod as f64 / (*recent).max(1) as f64;
                let others = named
                    .iter()
                    .filter(|(id, _)| id != account_id)
                    .map(|(_, h)| h.clone())
                    .collect();
                membership.insert(key, (others, share));
            }
            pods.push(Pod {
                platform: accounts[members[0]].0.clone(),
                members: named,
            });
        }
        pods.sort_by(|x, y| (&x.platform, &x.members).cmp(&(&y.platform, &y.members)));
        Pods { pods, membership }
    }

    /// The language of the account's recent comments ([`crate::language::detect`] on what
    /// [`CommentSample::add`] kept of them), or why it is not known.
    pub fn language(
        &self,
        platform: &str,
        account_id: &str,
    ) -> microscout_model::language::Language {
        if !self.languages {
            return crate::language::not_read(Unavailable::NoLanguagesSet);
        }
        match self
            .language_texts
            .get(&(platform.to_string(), account_id.to_string()))
        {
            Some((text, n)) => {
                crate::language::detect_in(text, *n, crate::language::Texts::Comments)
            }
            None => microscout_model::language::Language {
                provenance: Provenance::unavailable(Unavailable::NoRecentComments),
                ..Default::default()
            },
        }
    }

    /// The evidence of one account: measured, or unavailable and why.
    pub fn get(&self, platform: &str, account_id: &str) -> CommentEvidence {
        match self
            .by_account
            .get(&(platform.to_string(), account_id.to_string()))
        {
            Some(e) => e.clone(),
            None if self.has_table => CommentEvidence::unavailable(0, Unavailable::NoComments),
            None => CommentEvidence::unavailable(0, Unavailable::NoCommentsTable),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_about_the_post_share_a_subject_word_with_its_caption() {
        let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
        let w = |t: &str| subject_words(t, &stemmer);
        let caption = w("Our calm-down corner for big feelings #toddlertantrums #CalmDown");
        assert!(shares_a_word(
            &w("The calm down CORNER worked for us!"),
            &caption
        ));
        assert!(
            shares_a_word(&w("so many feelings today"), &caption),
            "stems match"
        );
        assert!(
            shares_a_word(&w("we call it the calmdown spot"), &caption),
            "a hashtag"
        );
        for praise in [
            "Love this so much!",
            "Amazing 😍",
            "Nice pic, check my page",
            "",
        ] {
            assert!(!shares_a_word(&w(praise), &caption), "{praise:?}");
        }
        assert!(w("a bit of fun").is_empty(), "short words are no subject");
    }

    #[test]
    fn generic_comments() {
        for t in [
            "Nice pic 🔥",
            "🔥🔥🔥",
            "love it!!",
            "@anna 😍😍",
            "niiiice",
            "Que lindo ❤️",
            "trop beau",
            "wow",
            "",
        ] {
            assert!(is_generic(t), "{t:?}");
        }
        for t in [
            "My daughter had the same meltdown at the shop yesterday",
            "Where did you get this book?",
            "nice pic of the beach",
            "love the calm-down corner idea",
        ] {
            assert!(!is_generic(t), "{t:?}");
        }
    }

    #[test]
    fn texts_normalise() {
        let mut b = String::new();
        assert_eq!(
            text_fingerprint("Love it!! ❤️", &mut b),
            text_fingerprint("@x love   it ❤", &mut b)
        );
        assert_ne!(
            text_fingerprint("love it", &mut b),
            text_fingerprint("loved it", &mut b)
        );
        assert_eq!(text_fingerprint("@only !!", &mut b), None);
    }

    fn posts() -> DataFrame {
        df!(
            "platform" => ["instagram", "instagram", "instagram"],
            "account_id" => ["a", "a", "b"],
            "post_id" => ["p1", "p2", "q1"],
            "posted_at" => [1_000i64, 2_000, 1_000],
        )
        .unwrap()
    }

    fn comments(rows: &[(&str, &str, &str, &str, i64)]) -> CommentRows {
        let mut out = CommentRows::with_capacity(rows.len());
        for (account, post, handle, text, at) in rows {
            out.push(microscout_model::comments::CommentRow {
                platform: "instagram",
                account_id: account,
                post_id: post,
                handle: Some(handle),
                text: Some(text),
                commented_at: Some(*at),
                likes: Some(0),
            });
        }
        out
    }

    #[test]
    fn shares_are_counted_over_recent_comments() {
        let mut s = CommentSample::new(Some(&posts())).unwrap();
        s.add(&comments(&[
            ("a", "p1", "x", "Nice pic 🔥", 1_100),
            (
                "a",
                "p1",
                "y",
                "we tried the breathing game, it worked",
                5_000,
            ),
            ("a", "p2", "x", "Nice pic 🔥", 2_050),
            ("a", "old", "z", "an old post", 10),
            (
                "b",
                "q1",
                "z",
                "we tried the breathing game, it worked",
                1_200,
            ),
        ]));
        let e = s.finish();
        let a = e.get("instagram", "a");
        assert_eq!((a.read, a.recent, a.commenters), (4, 3, 2));
        assert_eq!(a.generic_share, Some(2.0 / 3.0));
        assert_eq!(a.repeated_share, Some(1.0 / 3.0));
        assert_eq!(a.fast_share, Some(2.0 / 3.0));
        assert_eq!(a.top_commenters_share, Some(1.0));
        // The sentence is on two accounts only: not shared across the drop.
        assert_eq!(a.shared_share, Some(0.0));
        assert_eq!(a.quotes[0], "we tried the breathing game, it worked");
        let mut quotes = Vec::new();
        offer_quote(&mut quotes, 0, false, "line one\nline two \u{1b}[31mred");
        assert_eq!(quotes[0].2, "line one line two  [31mred");
        assert_eq!(
            e.get("instagram", "c").provenance.to_string(),
            "unavailable: no comments on the account's posts in the drop"
        );
        assert_eq!(
            CommentEvidenceByAccount::none()
                .get("instagram", "a")
                .provenance
                .to_string(),
            "unavailable: the drop has no comments table"
        );
    }

    /// Four accounts that each comment on the others' posts: a pod when they do on most of
    /// the posts, not when the comments are many on one post or the posts are too few.
    /// The audience's language: read only when asked, over the recent comments (a comment
    /// on an older post is not read), told for the language most of them are in.
    #[test]
    fn the_comments_language_is_read_when_asked_over_recent_comments() {
        let rows = comments(&[
            (
                "a",
                "p1",
                "x",
                "Merci pour ces conseils, on essaie ce soir avec notre fils",
                1_100,
            ),
            (
                "a",
                "p2",
                "y",
                "Merci beaucoup, nous avons le même problème à la maison",
                2_100,
            ),
            ("a", "p2", "z", "So cute 😍", 2_200),
            (
                "a",
                "old",
                "w",
                "We tried this tonight and it worked so well for our son",
                500,
            ),
            (
                "b",
                "q1",
                "v",
                "We tried the breathing game tonight and it actually worked",
                1_100,
            ),
        ]);
        let mut off = CommentSample::new(Some(&posts())).unwrap();
        off.add(&rows);
        let off = off.finish();
        assert!(matches!(
            off.language("instagram", "a").provenance,
            Provenance::Unavailable {
                reason: Unavailable::NoLanguagesSet
            }
        ));
        let mut on = CommentSample::new(Some(&posts()))
            .unwrap()
            .reading_languages(true);
        on.add(&rows);
        let on = on.finish();
        let a = on.language("instagram", "a");
        assert_eq!(a.code.as_deref(), Some("fra"), "{a:?}");
        assert_eq!(a.captions, 3, "three recent comments with words");
        assert!(
            a.provenance.to_string().contains("3 recent comments"),
            "{}",
            a.provenance
        );
        assert_eq!(on.language("instagram", "b").code.as_deref(), Some("eng"));
        assert!(matches!(
            on.language("instagram", "c").provenance,
            Provenance::Unavailable {
                reason: Unavailable::NoRecentComments
            }
        ));
    }

    #[test]
    fn pods_need_posts_not_just_comments() {
        let names = ["a", "b", "c", "d"];
        let accounts: Vec<(String, String, String)> = names
            .iter()
            .map(|h| ("instagram".into(), h.to_string(), format!("h{h}")))
            .collect();
        let found = |n: usize, on: usize, repeat: usize| {
            let (mut pa, mut pp) = (Vec::new(), Vec::new());
            let (mut ca, mut cp, mut ch) = (Vec::new(), Vec::new(), Vec::new());
            for a in names {
                for k in 0..n {
                    pa.push(a.to_string());
                    pp.push(format!("{a}{k}"));
                    for o in names.iter().filter(|o| **o != a) {
                        for _ in 0..if k < on { repeat } else { 0 } {
                            ca.push(a.to_string());
                            cp.push(format!("{a}{k}"));
                            ch.push(format!("h{o}"));
                        }
                    }
                    ca.push(a.to_string());
                    cp.push(format!("{a}{k}"));
                    ch.push(format!("reader{k}"));
                }
            }
            let posts = df!(
                "platform" => vec!["instagram"; pa.len()],
                "account_id" => pa,
                "post_id" => pp,
                "posted_at" => vec![0i64; n * 4],
            )
            .unwrap();
            let rows: Vec<(&str, &str, &str, &str, i64)> = ca
                .iter()
                .zip(&cp)
                .zip(&ch)
                .map(|((a, p), h)| (a.as_str(), p.as_str(), h.as_str(), "hello there", 10))
                .collect();
            let chunk = comments(&rows);
            let mut s = CommentSample::new(Some(&posts)).unwrap();
            s.add(&chunk);
            s.finish().find_pods(&accounts).pods.len()
        };
        assert_eq!(found(8, 6, 1), 1, "on 6 of 8 posts: a pod");
        assert_eq!(found(8, 1, 6), 0, "six comments on one post of 8: no pod");
        assert_eq!(found(2, 2, 1), 0, "two posts are too few to tell");
        assert_eq!(found(8, 3, 1), 0, "3 of 8 posts: below every other post");
    }

    #[test]
    fn a_text_on_three_accounts_is_shared() {
        let posts = df!(
            "platform" => ["instagram"; 3],
            "account_id" => ["a", "b", "c"],
            "post_id" => ["p", "q", "r"],
            "posted_at" => [0i64; 3],
        )
        .unwrap();
        let mut s = CommentSample::new(Some(&posts)).unwrap();
        s.add(&comments(&[
            ("a", "p", "bot", "Check out my page for free followers", 0),
            ("b", "q", "bot", "check out my page for FREE followers!", 0),
            ("c", "r", "bot", "Check out my page for free followers", 0),
            ("c", "r", "m", "my son loves this", 0),
        ]));
        let e = s.finish();
        assert_eq!(e.get("instagram", "a").shared_share, Some(1.0));
        assert_eq!(e.get("instagram", "c").shared_share, Some(0.5));
    }
}
