//! Niche matching: which of the campaign's keywords and phrases a text (a bio, a caption)
//! talks about, and which excluded keywords it mentions.
//!
//! A text becomes a stream of stemmed tokens:
//! - words are lower-cased and cut at anything that is not a letter or digit;
//! - a hashtag is split into words: first at case changes (`#SELforKids` -> `SE`, `Lfor`,
//!   ... is avoided by splitting lower-to-upper only: `#BigFeelings` -> `big feelings`), then
//!   each part by dictionary word-break over the campaign's own words, a list of common
//!   English words and an English dictionary ([`english_words`]: `#positiveparenting` ->
//!   `positive parenting`, `#selforkids` -> `sel for kids`, `#babybump` -> `baby bump`),
//!   fewest words first, so a hashtag that is one word stays one; a part that cannot be
//!   covered by known words stays one token;
//! - every token is stemmed (Snowball English), so "toddlers" matches "toddler" and
//!   "feelings" matches "feeling".
//!
//! A keyword matches when its stemmed tokens appear contiguously (phrases match as phrases:
//! "big emotions" does not match "big dogs ... emotions"). Synonyms (`[book] synonyms`) are
//! phrases that count as their keyword. Up to 64 keywords and 64 excluded keywords.

use rustc_hash::{FxHashMap, FxHashSet};

use microscout_model::Campaign;

use rust_stemmers::{Algorithm, Stemmer};

pub use microscout_model::campaign::MAX_KEYWORDS;

const COMMON_WORDS: &str = "a about all an and are as at be been best big book books boy boys by \
    can child children club corner dad daily day days do for from fun girl girls good happy \
    have help her his home how i in is it its just kid kids learn learning life little love \
    made make mama me mind mom moms mum mums my new no not of on one our out parent parents \
    play read reading school small so story stories teach teacher the their them this time \
    tip tips to today together toddler toddlers up us we what when with you your";

/// The English dictionary of the word-break: SCOWL's size-35 American English list as
/// Debian's `wamerican-small` 2020.12.07 ships it, its lower-case words of 3 or more letters
/// (40,080; copyright and permission notice in `niche/english-words.LICENSE`).
fn english_words() -> &'static FxHashSet<&'static str> {
    static WORDS: std::sync::OnceLock<FxHashSet<&'static str>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| include_str!("niche/english-words.txt").lines().collect())
}

/// Letters in the longest word of [`english_words`].
const LONGEST_ENGLISH_WORD: usize = 18;

struct Phrase {
    /// Index of the keyword this phrase counts for.
    keyword: usize,
    stems: Vec<String>,
    /// The stems as ids ([`Matcher::stem_ids`]).
    ids: Vec<u32>,
}

/// Matches texts against a campaign's keywords.
pub struct Matcher {
    /// Keyword labels as written in the campaign.
    pub keywords: Vec<String>,
    pub excluded: Vec<String>,
    phrases: Vec<Phrase>,
    excluded_phrases: Vec<Phrase>,
    vocab: FxHashSet<String>,
    /// Characters in the longest vocabulary word (bounds the word-break search).
    longest_word: usize,
    stemmer: Stemmer,
    /// Every stem that some phrase uses, numbered from 1; any other stem, and a gap, is 0,
    /// so a text becomes a list of small numbers and matching compares numbers.
    stem_ids: FxHashMap<String, u32>,
    /// Per stem id, the phrases (indexes into `phrases`, then `excluded_phrases` offset by
    /// `phrases.len()`) that start with it: each token is checked only against the phrases
    /// that can start there.
    starts: Vec<Vec<usize>>,
    /// Tells this matcher's entries in the per-thread caches from another matcher's (ids
    /// and word breaks depend on the keywords).
    id: u64,
}

/// Numbers matchers for the per-thread caches.
static NEXT_MATCHER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("keywords", &self.keywords)
            .field("excluded", &self.excluded)
            .finish()
    }
}

/// What a text matched: bit `i` is keyword `i` (or excluded keyword `i`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Matches {
    pub keywords: u64,
    pub excluded: u64,
}

/// Longest run of letters read as a word, in bytes; longer runs cannot be a keyword's word
/// and are skipped (a 50 MB "hashtag" costs a scan, not a copy).
const MAX_TOKEN_BYTES: usize = 4 * microscout_model::campaign::MAX_KEYWORD_CHARS;

/// Words whose stems a thread keeps before starting over.
const STEM_CACHE: usize = 100_000;

/// A per-thread cache that belongs to one matcher at a time: (matcher id, entries).
type MatcherCache<V> = std::cell::RefCell<(u64, FxHashMap<String, V>)>;

thread_local! {
    static STEMS: std::cell::RefCell<FxHashMap<String, String>> =
        std::cell::RefCell::new(FxHashMap::default());
    /// Word -> stem id ([`Matcher::stem_ids`], 0 for a stem no phrase uses).
    static IDS: MatcherCache<u32> = std::cell::RefCell::new((0, FxHashMap::default()));
    /// Hashtag piece -> its words ([`Matcher::word_break`]); hashtags repeat across posts.
    static BREAKS: MatcherCache<Option<Vec<String>>> =
        std::cell::RefCell::new((0, FxHashMap::default()));
    /// A text's stem ids, reused from text to text.
    static TOKENS: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Most token ids [`TOKENS`] keeps between texts.
const TOKENS_KEPT: usize = 1 << 16;

/// The maximal runs of a text's letters, digits and `#`, in order (the pieces of
/// `text.split(|c: char| !(c.is_alphanumeric() || c == '#'))` that are not empty), found
/// byte by byte where the text is ASCII.
fn runs(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        // Past the characters that are not kept, then to the end of those that are.
        i = scan(text, i, false);
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        i = scan(text, i, true);
        Some(&text[start..i])
    })
}

/// The first byte offset from `i` where a character is kept (`kept` false) or is not
/// (`kept` true); the text's length when there is none.
#[inline]
fn scan(text: &str, mut i: usize, kept: bool) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(i) {
        let (keep, len) = if b < 0x80 {
            (b.is_ascii_alphanumeric() || b == b'#', 1)
        } else {
            let c = text[i..].chars().next().expect("a character starts here");
            (c.is_alphanumeric(), c.len_utf8())
        };
        if keep != kept {
            break;
        }
        i += len;
    }
    i
}

/// `s` lower-cased into `buf` (in place where it is ASCII, no new string).
fn lower_into(s: &str, buf: &mut String) {
    buf.clear();
    if s.is_ascii() {
        buf.push_str(s);
        buf.make_ascii_lowercase();
    } else {
        buf.push_str(&s.to_lowercase());
    }
}

/// The non-empty parts of `s` between `#` signs, in order.
fn between_hashes(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        loop {
            let r = rest?;
            let part = match r.bytes().position(|b| b == b'#') {
                Some(k) => {
                    rest = Some(&r[k + 1..]);
                    &r[..k]
                }
                None => {
                    rest = None;
                    r
                }
            };
            if !part.is_empty() {
                return Some(part);
            }
        }
    })
}

/// The cache's entries for matcher `id`: emptied when it held another matcher's, or when it
/// reached [`STEM_CACHE`] entries (memory stays bounded).
fn entries_for<V>(cache: &mut (u64, FxHashMap<String, V>), id: u64) -> &mut FxHashMap<String, V> {
    if cache.0 != id || cache.1.len() >= STEM_CACHE {
        cache.0 = id;
        cache.1.clear();
    }
    &mut cache.1
}

/// Longest hashtag piece split into dictionary words, in characters.
const MAX_BREAK_CHARS: usize = 64;

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

impl Matcher {
    pub fn new(campaign: &Campaign) -> Matcher {
        let stemmer = Stemmer::create(Algorithm::English);
        let book = &campaign.book;
        let keywords: Vec<String> = book
            .keywords
            .iter()
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .take(MAX_KEYWORDS)
            .collect();
        let excluded: Vec<String> = book
            .excluded_keywords
            .iter()
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .take(MAX_KEYWORDS)
            .collect();
        let mut vocab: FxHashSet<String> =
            COMMON_WORDS.split_whitespace().map(String::from).collect();
        let all_text = keywords
            .iter()
            .chain(&excluded)
            .chain(book.synonyms.keys())
            .chain(book.synonyms.values());
        for t in all_text {
            vocab.extend(words(t));
        }
        let longest_word = vocab
            .iter()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(1)
            .max(LONGEST_ENGLISH_WORD);
        let mut m = Matcher {
            keywords,
            excluded,
            phrases: Vec::new(),
            excluded_phrases: Vec::new(),
            vocab,
            longest_word,
            stemmer,
            stem_ids: FxHashMap::default(),
            starts: Vec::new(),
            id: NEXT_MATCHER.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        };
        let phrase = |m: &Matcher, keyword: usize, text: &str| Phrase {
            keyword,
            stems: m.tokens(text),
            ids: Vec::new(),
        };
        for (i, k) in m.keywords.iter().enumerate() {
            let p = phrase(&m, i, k);
            m.phrases.push(p);
        }
        for (syn, target) in &book.synonyms {
            if let Some(i) = m
                .keywords
                .iter()
                .position(|k| k.eq_ignore_ascii_case(target.trim()))
            {
                let p = phrase(&m, i, syn);
                m.phrases.push(p);
            }
        }
        for (i, k) in m.excluded.iter().enumerate() {
            let p = phrase(&m, i, k);
            m.excluded_phrases.push(p);
        }
        m.phrases.retain(|p| !p.stems.is_empty());
        m.excluded_phrases.retain(|p| !p.stems.is_empty());
        // Number the phrases' stems, and index the phrases by their first stem.
        let mut stem_ids = FxHashMap::default();
        for p in m.phrases.iter_mut().chain(m.excluded_phrases.iter_mut()) {
            p.ids = p
                .stems
                .iter()
                .map(|st| {
                    let next = stem_ids.len() as u32 + 1;
                    *stem_ids.entry(st.clone()).or_insert(next)
                })
                .collect();
        }
        let mut starts = vec![Vec::new(); stem_ids.len() + 1];
        for (i, p) in m.phrases.iter().chain(&m.excluded_phrases).enumerate() {
            starts[p.ids[0] as usize].push(i);
        }
        m.stem_ids = stem_ids;
        m.starts = starts;
        m
    }

    /// Splits a lower-case run of letters into known words, fewest pieces first; None when
    /// it cannot be covered. Linear in the length times the longest known word.
    fn word_break(&self, s: &str) -> Option<Vec<String>> {
        let bounds: Vec<usize> = s
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(s.len()))
            .collect();
        let n = bounds.len() - 1;
        if n == 0 {
            return Some(Vec::new());
        }
        // best[i] = fewest pieces covering the first i chars, with the start of the last piece.
        let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
        best[0] = Some((0, 0));
        for end in 1..=n {
            for start in (end.saturating_sub(self.longest_word)..end).rev() {
                let Some((pieces, _)) = best[start] else {
                    continue;
                };
                let piece = &s[bounds[start]..bounds[end]];
                if best[end].is_none_or(|(p, _)| pieces + 1 < p)
                    && (self.vocab.contains(piece) || english_words().contains(piece))
                {
                    best[end] = Some((pieces + 1, start));
                }
            }
        }
        best[n]?;
        let mut out = Vec::new();
        let mut end = n;
        while end > 0 {
            let (_, start) = best[end].expect("covered");
            out.push(s[bounds[start]..bounds[end]].to_string());
            end = start;
        }
        out.reverse();
        Some(out)
    }

    /// Calls `f` with the English stem of a lower-case word. Captions repeat their words,
    /// so stems are cached per thread (the cache depends only on the word: one stemming
    /// algorithm); the cache is emptied when it reaches [`STEM_CACHE`] words, so memory
    /// stays bounded.
    fn with_stem<R>(&self, word: &str, f: impl FnOnce(&str) -> R) -> R {
        STEMS.with(|cache| {
            let mut cache = cache.borrow_mut();
            if let Some(s) = cache.get(word) {
                return f(s);
            }
            let s = self.stemmer.stem(word).into_owned();
            if cache.len() >= STEM_CACHE {
                cache.clear();
            }
            let r = f(&s);
            cache.insert(word.to_string(), s);
            r
        })
    }

    /// The stemmed token stream of a text (see the module docs); a gap is an empty token.
    pub fn tokens(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.each_word(text, |w| {
            out.push(w.map_or_else(String::new, |w| self.with_stem(w, str::to_string)))
        });
        out
    }

    /// Appends the token stream of `text` to `out` as stem ids: a phrase's stem by its
    /// number, anything else 0. The per-thread cache of ids is borrowed once per text.
    fn token_ids(&self, text: &str, out: &mut Vec<u32>) {
        IDS.with(|cache| {
            let mut cache = cache.borrow_mut();
            let ids = entries_for(&mut cache, self.id);
            self.each_word(text, |w| out.push(w.map_or(0, |w| self.stem_id(ids, w))));
        })
    }

    /// The stem id of a lower-case word, from this matcher's cache `ids` (emptied when it
    /// reaches [`STEM_CACHE`] words).
    fn stem_id(&self, ids: &mut FxHashMap<String, u32>, word: &str) -> u32 {
        if let Some(id) = ids.get(word) {
            return *id;
        }
        let id = self.with_stem(word, |st| self.stem_ids.get(st).copied().unwrap_or(0));
        if ids.len() >= STEM_CACHE {
            ids.clear();
        }
        ids.insert(word.to_string(), id);
        id
    }

    /// Calls `f` with the words a lower-case hashtag piece breaks into (None when it does
    /// not break), cached per thread for this matcher.
    fn with_break<R>(&self, piece: &str, f: impl FnOnce(Option<&[String]>) -> R) -> R {
        BREAKS.with(|cache| {
            let mut cache = cache.borrow_mut();
            let breaks = entries_for(&mut cache, self.id);
            if let Some(words) = breaks.get(piece) {
                return f(words.as_deref());
            }
            let words = breaks
                .entry(piece.to_string())
                .or_insert_with(|| self.word_break(piece));
            f(words.as_deref())
        })
    }

    /// Calls `f` with each lower-case word of a text in order, before stemming, or `None`
    /// for a gap (see the module docs).
    fn each_word(&self, text: &str, mut f: impl FnMut(Option<&str>)) {
        let mut lower = String::new();
        for raw in runs(text) {
            let is_tag = raw.starts_with('#');
            let body = raw.trim_start_matches('#');
            for part in between_hashes(body) {
                // No keyword word is this long (campaign keywords are at most 100
                // characters), so such a run cannot match: it becomes a gap that phrases
                // cannot span, at no cost however long it is.
                if part.len() > MAX_TOKEN_BYTES {
                    f(None);
                    continue;
                }
                if is_tag {
                    self.tag_words(part, &mut lower, &mut f);
                } else {
                    lower_into(part, &mut lower);
                    f(Some(&lower));
                }
            }
        }
    }

    /// The words of a hashtag's part: split at lower-to-upper case changes, then each piece
    /// lower-cased (into `lower`) and broken by dictionary.
    fn tag_words(&self, part: &str, lower: &mut String, f: &mut impl FnMut(Option<&str>)) {
        let mut start = 0;
        let mut prev_lower = false;
        for (i, ch) in part.char_indices() {
            if ch.is_uppercase() && prev_lower && i > start {
                self.piece_words(&part[start..i], lower, f);
                start = i;
            }
            prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
        }
        self.piece_words(&part[start..], lower, f);
    }

    /// The words of one hashtag piece, lower-cased into `lower`.
    fn piece_words(&self, piece: &str, lower: &mut String, f: &mut impl FnMut(Option<&str>)) {
        lower_into(piece, lower);
        self.broken(lower, f);
    }

    /// Calls `f` with the dictionary words of a lower-case hashtag piece, or with the piece
    /// itself when it does not break.
    fn broken(&self, lower: &str, f: &mut impl FnMut(Option<&str>)) {
        // Word-breaking is linear in the length times the longest known word; a hashtag
        // piece longer than this is taken as one word.
        if lower.chars().count() > MAX_BREAK_CHARS {
            f(Some(lower));
            return;
        }
        self.with_break(lower, |broken| match broken {
            Some(ws) if !ws.is_empty() => ws.iter().for_each(|w| f(Some(w))),
            _ => f(Some(lower)),
        });
    }

    /// Which keywords and excluded keywords `text` matches: a phrase matches where its
    /// stem ids appear contiguously in the text's.
    pub fn matches(&self, text: &str) -> Matches {
        TOKENS.with(|tokens| {
            let mut tokens = tokens.borrow_mut();
            tokens.clear();
            self.token_ids(text, &mut tokens);
            let m = self.match_ids(&tokens);
            // A huge text's tokens are not kept for the next one.
            if tokens.capacity() > TOKENS_KEPT {
                *tokens = Vec::new();
            }
            m
        })
    }

    /// The phrases found in a text's stem ids.
    fn match_ids(&self, tokens: &[u32]) -> Matches {
        let mut m = Matches::default();
        let n = self.phrases.len();
        for (i, t) in tokens.iter().enumerate() {
            for &p in &self.starts[*t as usize] {
                let (phrase, mask) = if p < n {
                    (&self.phrases[p], &mut m.keywords)
                } else {
                    (&self.excluded_phrases[p - n], &mut m.excluded)
                };
                if *mask & (1 << phrase.keyword) == 0 && tokens[i..].starts_with(&phrase.ids) {
                    *mask |= 1 << phrase.keyword;
                }
            }
        }
        m
    }

    /// Labels of the keywords whose bits are set in `mask`.
    pub fn keyword_labels(&self, mask: u64) -> Vec<&str> {
        labels(&self.keywords, mask)
    }

    pub fn excluded_labels(&self, mask: u64) -> Vec<&str> {
        labels(&self.excluded, mask)
    }
}

fn labels(list: &[String], mask: u64) -> Vec<&str> {
    list.iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, k)| k.as_str())
        .collect()
}

#[cfg(test)]
mod tests;
