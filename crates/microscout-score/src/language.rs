//! The language of an account's recent captions ([`detect`]), and the campaign's language
//! rule.
//!
//! The captions read for relevance (the account's most recent posts, `[relevance] posts`)
//! are stripped of #hashtags, @mentions and links (names, not language), joined, cut to
//! [`MAX_CHARS`] characters, and given to the `whatlang` detector (trigram profiles of 70
//! languages) once per account, when the campaign sets `[audience] languages`, for the
//! accounts the shortlist could take (its platforms, band and niche; [`not_read`] for the
//! others): one caption is often too short to tell, a dozen are not.
//! The language is its answer when the detector's confidence is at least
//! [`MIN_CONFIDENCE`], otherwise unavailable ("could not be told with confidence"), never a
//! guess. Accuracy on real labelled tweets, and agreement with a second detector on real
//! captions, are measured in `docs/language-evaluation.md` (`microscout eval-language`, with
//! [`evaluate`]).

use microscout_model::evidence::Unavailable;
use microscout_model::language::Language;
use microscout_model::{AccountScore, Campaign, Provenance};

/// Bytes of joined captions read per account (about 400 characters of a Latin script,
/// 130 of Chinese).
pub const MAX_CHARS: usize = 400;

/// Detector confidence below which the language is not told. Unit: 0 to 1.
pub const MIN_CONFIDENCE: f64 = 0.5;

/// Letters the joined captions need before their language is told.
pub const MIN_LETTERS: usize = 20;

/// The text the detector reads of an account's recent captions (in any order): without
/// #hashtags, @mentions and links, joined, at most [`MAX_CHARS`] bytes; and the captions
/// it holds words of.
pub fn caption_text<'a>(captions: impl IntoIterator<Item = &'a str>) -> (String, u32) {
    let mut text = String::new();
    let mut n = 0u32;
    for c in captions {
        let (any, full) = push_text(&mut text, c, MAX_CHARS);
        n += u32::from(any);
        if full {
            break;
        }
    }
    (text, n)
}

/// Bytes of joined comments read per account: more than of captions, so that the few
/// commenters writing in another language do not decide the audience's language (the
/// detector's trigram scores over the whole text favour the language most of it is in).
pub const MAX_COMMENT_CHARS: usize = 2000;

/// Appends what the detector reads of one text (a caption, a comment) to `text`: its words
/// without #hashtags, @mentions and links, then ". ", while `text` stays within `max` bytes
/// ([`MAX_CHARS`] for captions, [`MAX_COMMENT_CHARS`] for comments). Returns (whether it
/// added a word, whether `text` is now full: then nothing more is to be appended).
pub fn push_text(text: &mut String, t: &str, max: usize) -> (bool, bool) {
    let mut any = false;
    for word in t.split_whitespace() {
        if word.starts_with('#')
            || word.starts_with('@')
            || word.contains("://")
            || word.starts_with("www.")
        {
            continue;
        }
        if text.len() + word.len() + 1 > max {
            // What fits of the word (a script without spaces, such as Chinese or Thai,
            // writes a whole caption as one word).
            let mut room = max.saturating_sub(text.len() + 1).min(word.len());
            while !word.is_char_boundary(room) {
                room -= 1;
            }
            if room > 0 {
                text.push_str(&word[..room]);
                any = true;
            }
            // Full: the caller reads nothing more, even a word that would fit.
            return (any, true);
        }
        text.push_str(word);
        text.push(' ');
        any = true;
    }
    if any {
        text.push_str(". ");
    }
    (any, false)
}

/// What a detected text is made of: an account's recent captions or its recent comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Texts {
    Captions,
    Comments,
}

impl Texts {
    fn noun(self, n: u32) -> String {
        let word = match self {
            Texts::Captions => "caption",
            Texts::Comments => "comment",
        };
        format!("{n} recent {word}{}", if n == 1 { "" } else { "s" })
    }
}

/// The dominant language of an account's [`caption_text`] (`captions`: the captions it
/// holds words of).
pub fn detect(text: &str, captions: u32) -> Language {
    detect_in(text, captions, Texts::Captions)
}

/// The dominant language of a text joined by [`push_text`] from `n` texts of the kind
/// `what`: told at [`MIN_CONFIDENCE`] or more, over [`MIN_LETTERS`] letters or more.
pub fn detect_in(text: &str, n: u32, what: Texts) -> Language {
    if n == 0 {
        return Language::default();
    }
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let unclear = || Language {
        code: None,
        confidence: None,
        captions: n,
        provenance: Provenance::unavailable(match what {
            Texts::Captions => Unavailable::LanguageUnclear { captions: n },
            Texts::Comments => Unavailable::CommentLanguageUnclear { comments: n },
        }),
    };
    if letters < MIN_LETTERS {
        return unclear();
    }
    match whatlang::detect(text) {
        Some(info) if info.confidence() >= MIN_CONFIDENCE => Language {
            code: Some(info.lang().code().to_string()),
            confidence: Some(info.confidence()),
            captions: n,
            provenance: Provenance::Estimated {
                model: format!(
                    "the whatlang detector over {} without hashtags, mentions or links",
                    what.noun(n)
                ),
            },
        },
        _ => unclear(),
    }
}

/// An account whose language is not read, and why: the campaign sets no languages, or the
/// shortlist cannot take it whatever its language (outside the platforms, the band or the
/// niche). Detection costs about 65 microseconds an account, as much as the rest of the
/// text step: a night reads only the languages it needs.
pub fn not_read(why: Unavailable) -> Language {
    Language {
        code: None,
        confidence: None,
        captions: 0,
        provenance: Provenance::unavailable(why),
    }
}

/// Why the account is off the shortlist for its language, or None: its recent captions, or
/// else the comments on them (its audience), are told in a language that is not among the
/// campaign's `[audience] languages`. (language name, what was told in it: "recent captions"
/// or "recent comments"). An account whose language cannot be told stays on.
pub fn ruled_out(s: &AccountScore, campaign: &Campaign) -> Option<(&'static str, &'static str)> {
    let wanted = campaign.languages();
    if wanted.is_empty() {
        return None;
    }
    let off = |l: &Language| {
        let code = l.code.as_deref()?;
        (!wanted.contains(&code))
            .then(|| microscout_model::language::name_of(code).unwrap_or("another language"))
    };
    if let Some(name) = off(&s.language) {
        return Some((name, "recent captions"));
    }
    off(&s.comment_language).map(|name| (name, "recent comments"))
}

/// How the detector did on texts of one labelled language ([`evaluate`]).
#[derive(Debug, Clone, PartialEq)]
pub struct LanguageMeasure {
    /// The label as written, and its ISO 639-3 code (None: a language the detector does
    /// not know, which it can only get wrong).
    pub label: String,
    pub code: Option<&'static str>,
    /// Units judged (texts, or groups of texts), told (confidence reached), told right.
    /// Unit: units.
    pub units: usize,
    pub told: usize,
    pub right: usize,
}

/// The detector as a night uses it ([`caption_text`], [`detect`]) on labelled texts: the
/// texts of each label are taken in order `group` at a time (the last, shorter group is
/// dropped when `group` > 1), as an account's recent captions are; each group is one unit.
/// One measure per label, in the order labels first appear.
pub fn evaluate(labelled: &[(String, String)], group: usize) -> Vec<LanguageMeasure> {
    let group = group.max(1);
    let mut texts: Vec<(String, Vec<&str>)> = Vec::new();
    for (text, label) in labelled {
        let label = label.trim();
        match texts.iter_mut().find(|(l, _)| l == label) {
            Some((_, t)) => t.push(text),
            None => texts.push((label.to_string(), vec![text])),
        }
    }
    texts
        .into_iter()
        .map(|(label, t)| {
            let code = microscout_model::language::code_of(&label);
            let mut m = LanguageMeasure {
                code,
                label,
                units: 0,
                told: 0,
                right: 0,
            };
            for unit in t.chunks(group).filter(|u| u.len() == group) {
                let (text, n) = caption_text(unit.iter().copied());
                let found = detect(&text, n).code;
                m.units += 1;
                m.told += usize::from(found.is_some());
                m.right += usize::from(found.is_some() && found.as_deref() == code);
            }
            m
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_detector_knows_exactly_the_languages_of_the_table() {
        let mut ours: Vec<&str> = microscout_model::language::LANGUAGES
            .iter()
            .map(|l| l.0)
            .collect();
        let mut theirs: Vec<&str> = whatlang::Lang::all().iter().map(|l| l.code()).collect();
        ours.sort_unstable();
        theirs.sort_unstable();
        assert_eq!(ours, theirs);
    }

    /// Texts are grouped per label in order, a short last group dropped; a label the
    /// detector does not know is never right; a wrong label counts as told, not right.
    #[test]
    fn evaluate_groups_texts_per_label_and_counts_told_and_right() {
        let en = "We tried the calm-down corner tonight and it actually worked for both kids";
        let fr = "Merci pour vos messages, on essaie ce soir avec notre fils et sa soeur";
        let rows: Vec<(String, String)> = [
            (en, "en"),
            (fr, "French"),
            (en, "en"),
            (en, "en"),
            (fr, "eng"),
            ("ok", "en"),
            (en, "Basque"),
        ]
        .iter()
        .map(|(t, l)| (t.to_string(), l.to_string()))
        .collect();
        let one = evaluate(&rows, 1);
        let got: Vec<(&str, Option<&str>, usize, usize, usize)> = one
            .iter()
            .map(|m| (m.label.as_str(), m.code, m.units, m.told, m.right))
            .collect();
        assert_eq!(
            got,
            [
                ("en", Some("eng"), 4, 3, 3),
                ("French", Some("fra"), 1, 1, 1),
                ("eng", Some("eng"), 1, 1, 0),
                ("Basque", None, 1, 1, 0),
            ]
        );
        let pairs = evaluate(&rows, 2);
        assert_eq!((pairs[0].units, pairs[0].told, pairs[0].right), (2, 2, 2));
        assert_eq!(pairs[1].units, 0, "one French text makes no pair");
    }

    #[test]
    fn captions_are_read_together_without_tags_and_short_ones_are_unclear() {
        let of = |c: &[&str]| {
            let (t, n) = caption_text(c.iter().copied());
            detect(&t, n)
        };
        let en = of(&[
            "Big feelings after daycare again today #toddlerlife @mum.blog",
            "We tried the calm-down corner and it actually worked https://example.com",
            "What helps your little one when the tears come?",
        ]);
        assert_eq!(en.code.as_deref(), Some("eng"), "{en:?}");
        assert_eq!(en.captions, 3);
        let fr = of(&[
            "Merci pour vos messages, on essaie ce soir avec notre fils",
            "Les grandes émotions des tout-petits",
        ]);
        assert_eq!(fr.code.as_deref(), Some("fra"), "{fr:?}");
        let short = of(&["So cute 😍", "#bigfeelings #toddlerlife"]);
        assert_eq!(short.code, None);
        assert!(matches!(
            short.provenance,
            Provenance::Unavailable {
                reason: Unavailable::LanguageUnclear { captions: 1 }
            }
        ));
        assert_eq!(
            of(&["#only #tags", ""]).provenance,
            Language::default().provenance
        );
    }
}
