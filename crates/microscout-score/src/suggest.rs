//! Keyword suggestions: the hashtags and phrases to try next.
//!
//! The author's search starts before the drop: they type keywords, see which accounts turn
//! up, and try other phrases. The drop shows which phrases those would be. Each account's
//! terms are the distinct hashtags (lower case, 3 to 60 letters, digits or `_` after the
//! `#`) and two-word phrases ([`phrases`]) in its recent captions (the `[relevance] posts`
//! that relevance reads) and its bio.
//! The accounts fall in three groups: **fit** (a keyword matched and relevance is at least
//! `[audience] min_relevance`), **off** (a keyword matched but relevance is below it: the
//! accounts a keyword search turns up that are not the book's audience), and **rest** (no
//! keyword matched, or an excluded keyword already matched: the campaign has dealt with those).
//! A term the campaign's keywords or excluded keywords already match is never suggested, nor
//! all-digit hashtags.
//!
//! - **Add** a term used by at least [`MIN_ACCOUNTS`] fitting accounts and at least
//!   [`MIN_SHARE`] of them, when `lift = (fit / fit_total) / ((off + rest + 1) / (off_total +
//!   rest_total + 1))` is at least [`MIN_LIFT`]: the fitting accounts use it that many times
//!   more often than the others (`+ 1` keeps a term nobody else uses finite).
//! - **Exclude** a term used by at least [`MIN_ACCOUNTS`] accounts of the off group and at
//!   least [`MIN_SHARE`] of them, when `lift = (off / off_total) / ((fit + 1) / (fit_total +
//!   1))` is at least [`MIN_LIFT`]: the wrong crowd's mark. A term that qualifies to add is
//!   never also suggested to exclude.
//!
//! A term to add is **strong** when its lift is at least [`STRONG_LIFT`]: a term that sets the
//! fitting accounts apart that clearly is specific to them; below, it is worth a look but may
//! be a tag everybody uses a little more there (`#love`, `#photooftheday`). Terms to exclude
//! are never strong (their lift is another ratio, and untested). At most
//! [`MAX_TERMS`] of each kind, strong ones first, then the most used (ties by name). Unit of
//! every count: accounts.

use rustc_hash::{FxHashMap, FxHashSet};

use microscout_model::suggest::{Suggestion, SuggestionKind, Suggestions};

use crate::niche::Matcher;

/// Accounts of the group a term is suggested for that must use it.
pub const MIN_ACCOUNTS: u64 = 3;
/// Share of the group that must use it. Unit: fraction.
pub const MIN_SHARE: f64 = 0.05;
/// How many times more often the group must use it than the others. Unit: ratio.
pub const MIN_LIFT: f64 = 3.0;
/// Lift from which a term to add is strong. Unit: ratio. Chosen on half A of the real niche
/// evaluation set (docs/relevance-evaluation.md, accounts split by a hash of their id) among
/// 3, 5, 7, 10, 15, 20, 30 and 50 as the smallest at which adding the strong suggestions to
/// each campaign lowered the mean nDCG@50 neither over all accounts nor over those with 3+
/// posts (`data/relevance-eval/second-pass.py --strong-lift`); on half B: +0.019 and +0.006,
/// where adding all of lift 3 and more gave +0.026 and -0.021. Weakly determined: neighbouring
/// thresholds differ by about 0.01.
pub const STRONG_LIFT: f64 = 20.0;
/// Suggestions kept of each kind.
pub const MAX_TERMS: usize = 10;
/// Hashtags, and phrases, read per caption or bio (a caption of a thousand tags is spam, not
/// evidence).
pub const MAX_TAGS_PER_TEXT: usize = 64;

/// Words of three letters that never start or end a phrase (longer ones: the comment
/// module's stop words).
const SHORT_STOP_WORDS: &str = "the and for you our but not are was all can its his her him     she one how why who get got out any too now new see off own has had did let may way use     two day top yes via per";

/// The two-word phrases of a text: two words next to each other (only white space between
/// them, no punctuation after the first or before the second), each of 3 to 30 letters (an
/// apostrophe inside allowed) and not a stop word (looked up without its apostrophes, so
/// "can't" is "cant"); as ([`phrase_hash`] of the two lower-case words, the phrase as
/// written: the two words and the white space between them). At most [`MAX_TAGS_PER_TEXT`].
pub fn phrases(text: &str) -> Vec<(u64, &str)> {
    let mut out = Vec::new();
    // The previous word's hash and where it starts, when a phrase may follow it.
    let mut prev: Option<(u64, usize)> = None;
    let mut words = WordBuffers::default();
    let each = |chunk: Chunk| {
        let word = &text[chunk.start..chunk.end];
        let Some(hash) = words.phrase_word(word) else {
            prev = None;
            return true;
        };
        if let Some((first_hash, first)) = prev.filter(|_| !chunk.opens_clause) {
            out.push((phrase_hash(first_hash, hash), &text[first..chunk.end]));
            if out.len() >= MAX_TAGS_PER_TEXT {
                return false;
            }
        }
        prev = (!chunk.ends_clause).then_some((hash, chunk.start));
        true
    };
    if text.is_ascii() {
        ascii_chunks(text.as_bytes(), each);
    } else {
        chunks(text, each);
    }
    out
}

/// A chunk of text between white space, as [`phrases`] reads it: the word (from `start` to
/// `end`, byte offsets in the text) after any opening punctuation (`(`, quotes) and before
/// any closing (anything but a letter or digit), and whether there was such.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Chunk {
    start: usize,
    end: usize,
    opens_clause: bool,
    ends_clause: bool,
}

/// Calls `f` with each chunk of `text` until it returns false.
fn chunks(text: &str, mut f: impl FnMut(Chunk) -> bool) {
    let base = text.as_ptr() as usize;
    for chunk in text.split_whitespace() {
        let core = chunk.trim_start_matches(['(', '"', '\'', '\u{201c}', '\u{2018}']);
        let word = core.trim_end_matches(|c: char| !c.is_alphanumeric());
        let start = word.as_ptr() as usize - base;
        let c = Chunk {
            start,
            end: start + word.len(),
            opens_clause: core.len() < chunk.len(),
            ends_clause: word.len() < core.len(),
        };
        if !f(c) {
            return;
        }
    }
}

/// [`chunks`] of an ASCII text, byte by byte (the same chunks: tested against it).
fn ascii_chunks(text: &[u8], mut f: impl FnMut(Chunk) -> bool) {
    // `char::is_whitespace` of the ASCII characters.
    let space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    let mut i = 0;
    while i < text.len() {
        if space(text[i]) {
            i += 1;
            continue;
        }
        let begin = i;
        while i < text.len() && !space(text[i]) {
            i += 1;
        }
        let mut start = begin;
        while start < i && matches!(text[start], b'(' | b'"' | b'\'') {
            start += 1;
        }
        let mut end = i;
        while end > start && !text[end - 1].is_ascii_alphanumeric() {
            end -= 1;
        }
        let c = Chunk {
            start,
            end,
            opens_clause: start > begin,
            ends_clause: end < i,
        };
        if !f(c) {
            return;
        }
    }
}

/// The hash of a phrase from its two words' hashes (XXH3 of each lower-case word): an
/// order-sensitive mix, so a phrase is hashed without building its string.
pub fn phrase_hash(first: u64, second: u64) -> u64 {
    (first.rotate_left(29) ^ second).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ first
}

/// The XXH3 of a lower-case word, as [`phrases`] hashes each word.
pub fn word_hash(lower: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(lower.as_bytes())
}

/// Scratch space of [`phrases`] for lower-casing words.
#[derive(Default)]
struct WordBuffers {
    lower: String,
    bare: String,
}

impl WordBuffers {
    /// The [`word_hash`] of a word that may be part of a phrase (3 to 30 letters, an
    /// apostrophe inside allowed, not a stop word), `None` for any other.
    fn phrase_word(&mut self, word: &str) -> Option<u64> {
        // One set: the three-letter stop words, and the comment module's of four or more (a
        // three-letter word of that list, "wow", is no stop word here); as word hashes.
        static STOP: std::sync::OnceLock<rustc_hash::FxHashSet<u64>> = std::sync::OnceLock::new();
        let stop_words = STOP.get_or_init(|| {
            SHORT_STOP_WORDS
                .split_whitespace()
                .chain(crate::comments::stop_words().filter(|w| w.len() >= 4))
                .map(word_hash)
                .collect()
        });
        let ascii = word.is_ascii();
        let is_word = if ascii {
            (3..=30).contains(&word.len())
                && word.as_bytes()[0].is_ascii_alphabetic()
                && word.bytes().all(|b| b.is_ascii_alphabetic() || b == b'\'')
        } else {
            (3..=30).contains(&word.chars().count())
                && word.starts_with(char::is_alphabetic)
                && word
                    .chars()
                    .all(|c| c.is_alphabetic() || c == '\'' || c == '\u{2019}')
        };
        if !is_word {
            return None;
        }
        let lower = &mut self.lower;
        lower.clear();
        if ascii {
            lower.push_str(word);
            lower.make_ascii_lowercase();
        } else {
            lower.extend(word.chars().flat_map(char::to_lowercase));
        }
        let hash = word_hash(lower);
        let apostrophe = if ascii {
            lower.as_bytes().contains(&b'\'')
        } else {
            lower.contains(['\'', '\u{2019}'])
        };
        let looked_up = if apostrophe {
            self.bare.clear();
            self.bare
                .extend(lower.chars().filter(|c| !matches!(c, '\'' | '\u{2019}')));
            if self.bare.len() <= 2 {
                return None;
            }
            word_hash(&self.bare)
        } else {
            hash
        };
        (!stop_words.contains(&looked_up)).then_some(hash)
    }
}

/// The hashtags of a text: (XXH3 of the lower-case tag with its `#`, the tag as written
/// without `#`).
pub fn hashtags(text: &str) -> Vec<(u64, &str)> {
    let mut out = Vec::new();
    let mut lower = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('#') {
        let after = &rest[at + 1..];
        let len = after
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(after.len(), |(i, _)| i);
        let tag = &after[..len];
        rest = &after[len..];
        let hash = if tag.is_ascii() {
            if !(3..=60).contains(&tag.len()) || tag.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let mut buf = [b'#'; 61];
            let buf = &mut buf[..=tag.len()];
            buf[1..].copy_from_slice(tag.as_bytes());
            buf.make_ascii_lowercase();
            xxhash_rust::xxh3::xxh3_64(buf)
        } else {
            if !(3..=60).contains(&tag.chars().count()) {
                continue;
            }
            lower.clear();
            lower.push('#');
            lower.extend(tag.chars().flat_map(char::to_lowercase));
            xxhash_rust::xxh3::xxh3_64(lower.as_bytes())
        };
        out.push((hash, tag));
        if out.len() >= MAX_TAGS_PER_TEXT {
            break;
        }
    }
    out
}

/// Which group an account is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Fit,
    Off,
    Rest,
}

/// Counts per hashtag over the accounts, then the suggestions.
#[derive(Debug, Default)]
pub struct TagCounts {
    /// Tag hash -> (fit, off, rest) accounts using it.
    counts: FxHashMap<u64, [u64; 3]>,
    totals: [u64; 3],
}

impl TagCounts {
    /// Adds an account's distinct hashtags (each hash once).
    pub fn add(&mut self, group: Group, tags: &[u64]) {
        let g = group as usize;
        self.totals[g] += 1;
        for t in tags {
            self.counts.entry(*t).or_default()[g] += 1;
        }
    }

    /// The suggestions; `names` gives the hashes that qualify their terms (`#tag` or `two
    /// words`, lower case; only the few that qualify are named), `matcher` says which the
    /// campaign already covers.
    pub fn suggest(
        &self,
        names: impl FnOnce(&FxHashSet<u64>) -> FxHashMap<u64, String>,
        matcher: &Matcher,
    ) -> Suggestions {
        let [fit_total, off_total, rest_total] = self.totals;
        let mut out = Suggestions {
            fit_total,
            off_total,
            rest_total,
            min_accounts: MIN_ACCOUNTS,
            min_share: MIN_SHARE,
            min_lift: MIN_LIFT,
            strong_lift: STRONG_LIFT,
            ..Default::default()
        };
        if matcher.keywords.is_empty() {
            out.none_because = Some("the campaign lists no keywords".into());
            out.no_keywords = true;
            return out;
        }
        let known = |term: &str| {
            let m = matcher.matches(term);
            m.keywords != 0 || m.excluded != 0
        };
        let share = |n: u64, of: u64| n as f64 / of.max(1) as f64;
        // The terms that qualify, as (kind, hash, lift), before they are named.
        let qualified: Vec<(SuggestionKind, u64, f64)> =
            [SuggestionKind::Add, SuggestionKind::Exclude]
                .into_iter()
                .flat_map(|kind| {
                    self.counts
                        .iter()
                        .filter_map(move |(hash, &[fit, off, rest])| {
                            let (mine, of, lift) = match kind {
                                SuggestionKind::Add => (
                                    fit,
                                    fit_total,
                                    share(fit, fit_total)
                                        / ((off + rest + 1) as f64
                                            / (off_total + rest_total + 1) as f64),
                                ),
                                SuggestionKind::Exclude => (
                                    off,
                                    off_total,
                                    share(off, off_total)
                                        / ((fit + 1) as f64 / (fit_total + 1) as f64),
                                ),
                            };
                            (mine >= MIN_ACCOUNTS
                                && share(mine, of) >= MIN_SHARE
                                && lift >= MIN_LIFT)
                                .then_some((kind, *hash, lift))
                        })
                })
                .collect();
        let names = names(&qualified.iter().map(|q| q.1).collect());
        let pick = |kind: SuggestionKind| {
            let mut found: Vec<Suggestion> = qualified
                .iter()
                .filter(|q| q.0 == kind)
                .filter_map(|&(kind, hash, lift)| {
                    let [fit, off, rest] = self.counts[&hash];
                    Some(Suggestion {
                        kind,
                        term: names.get(&hash)?.clone(),
                        fit,
                        off,
                        rest,
                        lift,
                        strong: kind == SuggestionKind::Add && lift >= STRONG_LIFT,
                    })
                })
                .collect();
            let used = |s: &Suggestion| match kind {
                SuggestionKind::Add => s.fit,
                SuggestionKind::Exclude => s.off,
            };
            found.sort_by(|a, b| {
                (b.strong, used(b))
                    .cmp(&(a.strong, used(a)))
                    .then_with(|| a.term.cmp(&b.term))
            });
            // The campaign's own terms are checked only for the candidates (a match per tag).
            found.retain(|s| !known(&s.term));
            found
        };
        let mut add = pick(SuggestionKind::Add);
        let mut exclude = pick(SuggestionKind::Exclude);
        // Both is possible only with tiny groups; a term the fitting accounts mark is not the
        // wrong crowd's.
        exclude.retain(|e| !add.iter().any(|a| a.term == e.term));
        add.truncate(MAX_TERMS);
        exclude.truncate(MAX_TERMS);
        out.terms = add.into_iter().chain(exclude).collect();
        if out.terms.is_empty() {
            out.none_because = Some(if fit_total < MIN_ACCOUNTS {
                format!(
                    "only {fit_total} account(s) fit the campaign: too few to tell which hashtags and phrases mark them"
                )
            } else {
                "no hashtag or phrase sets the fitting accounts (or the wrong crowd) apart".into()
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_are_lower_cased_and_bounded() {
        let tags = hashtags("Bedtime #BigFeelings and #toddlerlife, #ok #2026 #calm_down!#Été");
        let names: Vec<&str> = tags.iter().map(|(_, t)| *t).collect();
        assert_eq!(names, ["BigFeelings", "toddlerlife", "calm_down", "Été"]);
        assert_eq!(tags[0].0, xxhash_rust::xxh3::xxh3_64(b"#bigfeelings"));
        assert_eq!(tags[3].0, xxhash_rust::xxh3::xxh3_64("#été".as_bytes()));
        let many = "#tag".repeat(100);
        assert_eq!(
            hashtags(&many).len(),
            MAX_TAGS_PER_TEXT,
            "#tag#tag... is many tags"
        );
        let long = format!("#{} #fine", "a".repeat(61));
        let tags = hashtags(&long);
        assert_eq!(tags.len(), 1, "a tag longer than 60 is no tag");
        assert_eq!(tags[0].1, "fine");
    }

    #[test]
    fn phrases_are_neighbouring_words_within_a_clause() {
        let p = |t: &str| -> Vec<String> {
            phrases(t)
                .into_iter()
                .map(|(_, p)| p.to_lowercase())
                .collect()
        };
        assert_eq!(
            p("Big Feelings at bedtime: our calm-down corner, then Story Time!"),
            ["big feelings", "story time"]
        );
        assert_eq!(
            p("the toddler tantrums #toddlerlife @mama"),
            ["toddler tantrums"]
        );
        assert!(
            p("Love this so much").is_empty(),
            "stop words make no phrase"
        );
        assert_eq!(
            p("Can't wait! Don\u{2019}t stop. Quiet time"),
            ["quiet time"],
            "stop words are looked up without their apostrophes"
        );
        assert_eq!(
            p("sensory play (messy play) and \"calm corner\""),
            ["sensory play", "messy play", "calm corner"],
            "opening punctuation starts a clause"
        );
        assert_eq!(
            phrases("Big  feelings")[0],
            (
                phrase_hash(word_hash("big"), word_hash("feelings")),
                "Big  feelings"
            )
        );
        let many = "alpha beta ".repeat(100);
        assert_eq!(phrases(&many).len(), MAX_TAGS_PER_TEXT);
    }

    proptest::proptest! {
        #[test]
        fn ascii_chunks_are_the_chunks(text in "[ -~\t\n\x0b\x0c\r]{0,80}") {
            let mut fast = Vec::new();
            ascii_chunks(text.as_bytes(), |c| { fast.push(c); true });
            let mut slow = Vec::new();
            chunks(&text, |c| { slow.push(c); true });
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn chunks_stop_when_asked() {
        let mut n = 0;
        ascii_chunks(b"a b c", |_| {
            n += 1;
            n < 2
        });
        assert_eq!(n, 2);
    }

    fn matcher() -> Matcher {
        let mut c = microscout_model::Campaign::default();
        c.book.keywords = vec!["big emotions".into()];
        c.book.excluded_keywords = vec!["crypto".into()];
        Matcher::new(&c)
    }

    /// 20 fitting accounts (12 use #toddlerlife, 2 #rare, all #love), 10 off (6 use
    /// #recipes), 70 others (10 #love, 1 #toddlerlife, 5 #recipes, 8 #bigemotions).
    #[test]
    fn the_fitting_accounts_tags_are_suggested_and_the_wrong_crowds_excluded() {
        let h = |s: &str| xxhash_rust::xxh3::xxh3_64(format!("#{s}").as_bytes());
        let names: FxHashMap<u64, String> = [
            "toddlerlife",
            "rare",
            "love",
            "recipes",
            "bigemotions",
            "cryptonews",
        ]
        .iter()
        .map(|n| (h(n), format!("#{n}")))
        .collect();
        let mut c = TagCounts::default();
        for i in 0..20 {
            let mut tags = vec![h("love"), h("bigemotions")];
            if i < 12 {
                tags.push(h("toddlerlife"));
            }
            if i < 2 {
                tags.push(h("rare"));
            }
            c.add(Group::Fit, &tags);
        }
        for i in 0..10 {
            let tags = if i < 6 { vec![h("recipes")] } else { vec![] };
            c.add(Group::Off, &tags);
        }
        for i in 0..70 {
            let mut tags = vec![];
            if i < 10 {
                tags.push(h("love"));
            }
            if i < 1 {
                tags.push(h("toddlerlife"));
            }
            if i < 5 {
                tags.push(h("recipes"));
            }
            if i < 8 {
                tags.push(h("bigemotions"));
            }
            c.add(Group::Rest, &tags);
        }
        let mut asked = Vec::new();
        let s = c.suggest(
            |wanted| {
                asked = wanted.iter().map(|h| names[h].clone()).collect();
                asked.sort();
                names.clone()
            },
            &matcher(),
        );
        // Only the terms that qualify are named (#bigemotions qualifies; the campaign's own
        // terms are dropped after naming).
        assert_eq!(asked, ["#bigemotions", "#love", "#recipes", "#toddlerlife"]);
        let terms: Vec<(SuggestionKind, &str)> =
            s.terms.iter().map(|t| (t.kind, t.term.as_str())).collect();
        // #toddlerlife: 60% of fit vs 2/81 others -> lift 24.3: strong, so first; #love: 100%
        // of fit vs 11/81 others -> lift 7.4: added, not strong; #bigemotions is the keyword
        // itself; #rare is used by 2 only; #recipes: 60% of off vs 1/21 of fit, lift 12.6.
        assert_eq!(
            terms,
            [
                (SuggestionKind::Add, "#toddlerlife"),
                (SuggestionKind::Add, "#love"),
                (SuggestionKind::Exclude, "#recipes"),
            ]
        );
        let t = &s.terms[0];
        assert_eq!((t.fit, t.off, t.rest), (12, 0, 1));
        assert!((t.lift - (12.0 / 20.0) / (2.0 / 81.0)).abs() < 1e-9);
        let strong: Vec<bool> = s.terms.iter().map(|t| t.strong).collect();
        assert_eq!(strong, [true, false, false]);
        assert_eq!((s.fit_total, s.off_total, s.rest_total), (20, 10, 70));
        assert_eq!(s.none_because, None);
    }
}
