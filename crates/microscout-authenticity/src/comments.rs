//! The comment-spam classifier: is one comment spam (self-promotion, scams, "check out my
//! channel", bought or bot praise with a link) or a real reader's?
//!
//! A comment's text becomes a set of hashed features ([`features`]): its words (lower case,
//! digits as `0`, look-alike letters and accents folded to ASCII where they have a plain
//! form), word pairs, and a few shapes (a link, a handle to visit, a long number, how long it
//! is, shouting, emoji). A logistic regression over them ([`CommentModel`]) gives the
//! probability of spam. It is trained by `train-comment-spam` (`just train-comments`) on
//! the labelled comment sets of `data/labelled/` and shipped as data
//! (`model/comment-model.json`); never trained at run time. Everything is deterministic:
//! the same data gives the same model, byte for byte.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Feature space: hashed features fall into 2^BITS buckets.
pub const BITS: u32 = 18;

/// 64-bit FNV-1a: a fixed, dependency-free hash, so feature ids never change between
/// machines or versions.
fn fnv(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in *p {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        // A separator, so ("ab", "c") and ("a", "bc") differ.
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn bucket(parts: &[&[u8]]) -> u32 {
    (fnv(parts) >> (64 - BITS)) as u32
}

/// A comment's text as the classifier reads it: HTML line breaks and the entities YouTube
/// writes decoded, tags dropped, zero-width characters and byte-order marks removed, and
/// letters folded to lower-case ASCII where a plain form exists (accents, full-width and
/// "fancy" Unicode letters, common Cyrillic and Greek look-alikes), so that disguised
/// spam reads as what it says.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            // A tag: dropped (as a space), when it closes within a short distance.
            if let Some(end) = head(rest, 200).find('>') {
                out.push(' ');
                rest = &rest[end + 1..];
                continue;
            }
        }
        if c == '&'
            && let Some(end) = head(rest, 12).find(';')
        {
            let entity = &rest[1..end];
            let decoded = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                e if e.starts_with('#') => e[1..]
                    .parse::<u32>()
                    .ok()
                    .or_else(|| {
                        e.strip_prefix("#x")
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                    })
                    .and_then(char::from_u32),
                _ => None,
            };
            if let Some(d) = decoded {
                fold(d, &mut out);
                rest = &rest[end + 1..];
                continue;
            }
        }
        fold(c, &mut out);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// At most the first `bytes` bytes of `s`, cut at a character boundary.
fn head(s: &str, bytes: usize) -> &str {
    let mut cut = s.len().min(bytes);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    &s[..cut]
}

/// One character folded: lower case, to ASCII where it has a plain form.
fn fold(c: char, out: &mut String) {
    if matches!(
        c,
        '\u{feff}' | '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{00ad}'
    ) {
        return;
    }
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if let Some(a) = plain(c) {
        out.push(a);
        return;
    }
    out.extend(c.to_lowercase());
}

/// The plain ASCII letter a character stands for, if any.
fn plain(c: char) -> Option<char> {
    let u = c as u32;
    // Full-width forms.
    if (0xff01..=0xff5e).contains(&u) {
        return char::from_u32(u - 0xfee0).map(|a| a.to_ascii_lowercase());
    }
    // Mathematical alphanumeric symbols (bold, italic, script, ... A-Z a-z): 26 + 26 per
    // style from U+1D400.
    if (0x1d400..=0x1d6a3).contains(&u) {
        let i = (u - 0x1d400) % 52;
        return char::from_u32(u32::from(b'a') + i % 26);
    }
    // Circled and parenthesised letters.
    if (0x24b6..=0x24cf).contains(&u) {
        return char::from_u32(u32::from(b'a') + (u - 0x24b6));
    }
    if (0x24d0..=0x24e9).contains(&u) {
        return char::from_u32(u32::from(b'a') + (u - 0x24d0));
    }
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å'
        | 'а' | 'А' | 'α' => 'a',
        'ç' | 'ć' | 'č' | 'Ç' | 'с' | 'С' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'е' | 'Е' | 'ε' | 'ẹ' => {
            'e'
        }
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'і' | 'І' | 'ι' => 'i',
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'ṅ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'о' | 'О' | 'ο' => {
            'o'
        }
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'υ' => 'u',
        'ý' | 'ÿ' | 'Ý' | 'у' | 'У' => 'y',
        'ś' | 'š' | 'ş' | 'Š' | 'ѕ' => 's',
        'ź' | 'ż' | 'ž' | 'Ž' => 'z',
        'ł' | 'Ł' => 'l',
        'р' | 'Р' | 'ρ' => 'p',
        'х' | 'Х' | 'χ' => 'x',
        'к' | 'К' | 'κ' => 'k',
        'н' | 'Н' => 'h',
        'т' | 'Т' | 'τ' => 't',
        'м' | 'М' => 'm',
        'в' | 'В' => 'b',
        'ǝ' => 'e',
        'ß' => 's',
        _ => return None,
    })
}

/// The feature ids of a comment (sorted, without repeats), from its raw text.
pub fn features(text: &str) -> Vec<u32> {
    let norm = normalise(text);
    let mut out = Vec::with_capacity(32);
    let mut letters_buf = String::with_capacity(norm.len());
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut emoji = 0usize;
    let mut upper = 0usize;
    let mut letters = 0usize;
    for c in text.chars() {
        if c.is_alphabetic() {
            letters += 1;
            if c.is_uppercase() {
                upper += 1;
            }
        } else if (c as u32) >= 0x2600 && !c.is_alphanumeric() {
            emoji += 1;
        }
    }
    let mut link = false;
    let mut handle = false;
    let mut long_number = false;
    for raw in norm.split_whitespace() {
        if raw.contains("http") || raw.contains("www.") || has_domain(raw) {
            link = true;
        }
        if raw.starts_with('@') && raw.len() > 1 {
            handle = true;
        }
        let digits = raw.chars().filter(char::is_ascii_digit).count();
        if digits >= 6 {
            long_number = true;
        }
        // Words: runs of letters and digits (digits as 0), inner apostrophes kept; all in
        // one buffer, each a span of it.
        let mut start = letters_buf.len();
        for ch in raw.chars() {
            if ch.is_alphanumeric() || (ch == '\'' && letters_buf.len() > start) {
                letters_buf.push(if ch.is_ascii_digit() { '0' } else { ch });
            } else {
                end_word(&mut letters_buf, &mut start, &mut spans);
            }
        }
        end_word(&mut letters_buf, &mut start, &mut spans);
    }
    let words: Vec<&str> = spans.iter().map(|&(a, b)| &letters_buf[a..b]).collect();
    for w in &words {
        out.push(bucket(&[b"w", w.as_bytes()]));
    }
    for pair in words.windows(2) {
        out.push(bucket(&[b"b", pair[0].as_bytes(), pair[1].as_bytes()]));
    }
    let flag = |name: &str, out: &mut Vec<u32>| out.push(bucket(&[b"f", name.as_bytes()]));
    if link {
        flag("link", &mut out);
    }
    if handle {
        flag("handle", &mut out);
    }
    if long_number {
        flag("long-number", &mut out);
    }
    let length = match words.len() {
        0 => "words:0",
        1 => "words:1",
        2..=3 => "words:2-3",
        4..=7 => "words:4-7",
        8..=15 => "words:8-15",
        16..=40 => "words:16-40",
        _ => "words:41+",
    };
    flag(length, &mut out);
    if letters >= 8 && upper * 2 > letters {
        flag("shouting", &mut out);
    }
    match emoji {
        0 => {}
        1..=2 => flag("emoji:1-2", &mut out),
        _ => flag("emoji:3+", &mut out),
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Ends the word begun at `start` of `buf` (its trailing apostrophes dropped), if any.
fn end_word(buf: &mut String, start: &mut usize, spans: &mut Vec<(usize, usize)>) {
    while buf.len() > *start && buf.ends_with('\'') {
        buf.pop();
    }
    if buf.len() > *start {
        spans.push((*start, buf.len()));
    }
    *start = buf.len();
}

/// `name.tld` with a common top-level domain, as spam writes addresses without `http`.
fn has_domain(word: &str) -> bool {
    const TLDS: [&str; 10] = [
        ".com", ".net", ".org", ".ly", ".me", ".io", ".co", ".info", ".tk", ".xyz",
    ];
    let w = word.trim_end_matches(|c: char| !c.is_alphanumeric());
    TLDS.iter().any(|t| {
        w.len() > t.len() + 1
            && w.ends_with(t)
            && w[..w.len() - t.len()]
                .chars()
                .last()
                .is_some_and(char::is_alphanumeric)
    })
}

/// The trained comment-spam classifier, with what its evaluation measured.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CommentModel {
    /// Probability at or above which a comment is spam.
    pub threshold: f64,
    pub bias: f64,
    /// (feature id, weight), sorted by id; features not listed weigh 0.
    pub weights: Vec<(u32, f64)>,
    /// The L2 penalty it was trained with (chosen on the training sets only).
    pub l2: f64,
    /// What it was trained on, for the record.
    pub trained_on: String,
}

impl CommentModel {
    /// The model shipped with microscout.
    pub fn shipped() -> &'static CommentModel {
        static MODEL: OnceLock<CommentModel> = OnceLock::new();
        MODEL.get_or_init(|| {
            serde_json::from_str(include_str!("../model/comment-model.json"))
                .expect("the shipped comment model is valid JSON")
        })
    }

    fn weight(&self, id: u32) -> f64 {
        match self.weights.binary_search_by_key(&id, |(i, _)| *i) {
            Ok(i) => self.weights[i].1,
            Err(_) => 0.0,
        }
    }

    /// The shipped model's weights as a table indexed by feature id (2^BITS entries, 2 MiB,
    /// built once): a lookup per feature instead of a search, for the comments of a run.
    fn shipped_dense() -> &'static [f64] {
        static DENSE: OnceLock<Vec<f64>> = OnceLock::new();
        DENSE.get_or_init(|| {
            let mut w = vec![0.0; 1 << BITS];
            for (id, v) in &Self::shipped().weights {
                w[*id as usize] = *v;
            }
            w
        })
    }

    /// The probability that a comment with these features ([`features`]) is spam.
    pub fn probability_of(&self, features: &[u32]) -> f64 {
        let scale = feature_scale(features.len());
        let z = if std::ptr::eq(self, Self::shipped()) {
            let dense = Self::shipped_dense();
            features
                .iter()
                .map(|f| dense[*f as usize] * scale)
                .sum::<f64>()
        } else {
            features
                .iter()
                .map(|f| self.weight(*f) * scale)
                .sum::<f64>()
        };
        sigmoid(self.bias + z)
    }

    /// The probability that a comment's text is spam.
    pub fn probability(&self, text: &str) -> f64 {
        self.probability_of(&features(text))
    }

    pub fn is_spam(&self, probability: f64) -> bool {
        probability >= self.threshold
    }
}

/// Each feature of a comment counts 1/sqrt(n): a long comment does not outvote a short one
/// by its length alone.
pub fn feature_scale(n: usize) -> f64 {
    if n == 0 { 0.0 } else { 1.0 / (n as f64).sqrt() }
}

pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct TrainParams {
    pub l2: f64,
    pub epochs: usize,
    pub learning_rate: f64,
}

impl Default for TrainParams {
    fn default() -> Self {
        Self {
            l2: 1e-3,
            epochs: 300,
            learning_rate: 0.5,
        }
    }
}

/// Trains a logistic regression on (features, spam, weight) examples: full-batch gradient
/// descent with AdaGrad steps and an L2 penalty, from zero weights, so the result depends on
/// the examples and their order only (sums are taken in order). The weights are relative
/// (each labelled set can weigh the same whatever its size).
pub fn train(
    examples: &[(Vec<u32>, bool, f64)],
    params: TrainParams,
    threshold: f64,
    trained_on: &str,
) -> CommentModel {
    let dims = 1usize << BITS;
    let mut w = vec![0.0f64; dims];
    let mut g2 = vec![1e-8f64; dims];
    let mut bias = 0.0f64;
    let mut b2 = 1e-8f64;
    // The features that occur at all: the only weights that move from zero (the penalty
    // keeps the rest at zero).
    let mut used: Vec<u32> = examples
        .iter()
        .flat_map(|(f, _, _)| f.iter().copied())
        .collect();
    used.sort_unstable();
    used.dedup();
    let n = examples.iter().map(|(_, _, w)| w).sum::<f64>().max(1e-12);
    let mut grad = vec![0.0f64; dims];
    for _ in 0..params.epochs {
        let mut gb = 0.0;
        for (f, y, weight) in examples {
            let scale = feature_scale(f.len());
            let z = bias + f.iter().map(|i| w[*i as usize] * scale).sum::<f64>();
            let err = (sigmoid(z) - if *y { 1.0 } else { 0.0 }) * weight;
            gb += err;
            for i in f {
                grad[*i as usize] += err * scale;
            }
        }
        for &i in &used {
            let i = i as usize;
            let g = grad[i] / n + params.l2 * w[i];
            g2[i] += g * g;
            w[i] -= params.learning_rate * g / g2[i].sqrt();
            grad[i] = 0.0;
        }
        let g = gb / n;
        b2 += g * g;
        bias -= params.learning_rate * g / b2.sqrt();
    }
    let weights = used
        .iter()
        .map(|&i| (i, round(w[i as usize])))
        .filter(|(_, v)| *v != 0.0)
        .collect();
    CommentModel {
        threshold,
        bias: round(bias),
        weights,
        l2: params.l2,
        trained_on: trained_on.to_string(),
    }
}

/// Weights kept to 6 significant decimals, so the model file is small and byte-stable.
fn round(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// Why a labelled comments file cannot be used. Lines are 1-based, the header being line 1.
#[derive(Debug, thiserror::Error)]
pub enum CommentLabelError {
    #[error(
        "no {0} column (the text is `text`, `content`, `msg` or `comment`; the label `spam`, `class`, `scam` or `is_spam`)"
    )]
    MissingColumn(&'static str),
    #[error("line {line}: label {value:?} is not 1/0, true/false, yes/no or spam/ham")]
    BadLabel { line: u64, value: String },
    #[error("line {line}: {source}")]
    Csv {
        line: u64,
        #[source]
        source: csv::Error,
    },
    #[error("the file has no labelled comment")]
    Empty,
}

/// The labelled comments of a CSV file: the UCI YouTube Spam Collection's (`CONTENT`,
/// `CLASS`), ScamSpot's (`msg`, `scam`) or microscout's (`text`, `spam`), as (text, spam).
pub fn read_labelled<R: std::io::Read>(r: R) -> Result<Vec<(String, bool)>, CommentLabelError> {
    let mut r = csv::Reader::from_reader(r);
    let headers: Vec<String> = r
        .headers()
        .map_err(|source| CommentLabelError::Csv { line: 1, source })?
        .iter()
        .map(microscout_model::schema::normalise_header)
        .collect();
    let find = |names: &[&str], what: &'static str| {
        headers
            .iter()
            .position(|h| names.contains(&h.as_str()))
            .ok_or(CommentLabelError::MissingColumn(what))
    };
    let t = find(&["text", "content", "msg", "comment"], "text")?;
    let l = find(&["spam", "class", "scam", "is_spam"], "label")?;
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|source| CommentLabelError::Csv {
            line: source.position().map_or(0, |p| p.line()),
            source,
        })?;
        let value = rec.get(l).unwrap_or_default();
        let spam = match value.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "spam" => true,
            "0" | "false" | "no" | "ham" => false,
            _ => {
                return Err(CommentLabelError::BadLabel {
                    line: rec.position().map_or(0, |p| p.line()),
                    value: value.to_string(),
                });
            }
        };
        out.push((rec.get(t).unwrap_or_default().to_string(), spam));
    }
    if out.is_empty() {
        return Err(CommentLabelError::Empty);
    }
    Ok(out)
}

/// The model's metrics on labelled comments (spam is the positive class).
pub fn evaluate(model: &CommentModel, labelled: &[(String, bool)]) -> crate::eval::Metrics {
    let p: Vec<f64> = labelled.iter().map(|(t, _)| model.probability(t)).collect();
    let y: Vec<f64> = labelled
        .iter()
        .map(|(_, s)| if *s { 1.0 } else { 0.0 })
        .collect();
    crate::eval::metrics(&p, &y, model.threshold)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disguised_text_reads_plain() {
        assert_eq!(
            normalise("Ｃｈｅｃｋ my сhannel&#39;s ﻿"),
            "check my channel's "
        );
        assert_eq!(normalise("line<br />break &amp; more"), "line break & more");
        assert_eq!(normalise("𝐅𝐑𝐄𝐄"), "free");
    }

    #[test]
    fn any_text_normalises() {
        // Entities and tags next to multi-byte characters (a byte-order mark ends most of
        // the UCI comments).
        assert_eq!(normalise("&lt;3 &lt;3\u{feff}"), "<3 <3");
        assert_eq!(normalise("&\u{feff}\u{feff}\u{feff}\u{feff};<é"), "&;<e");
        for t in ["<", "&", "&#;", "&#x110000;", "<<>>", "é<ü>&é;"] {
            normalise(t);
            features(t);
        }
    }

    #[test]
    fn features_see_links_words_and_pairs() {
        let a = features("Check out my channel example.com");
        let b = features("check out MY channel: example.com!");
        // The same words, pair and link; shouting differs only when most letters are caps.
        assert_eq!(a, b);
        assert!(a.contains(&bucket(&[b"f", b"link"])));
        assert!(!features("I love this song").contains(&bucket(&[b"f", b"link"])));
        assert_eq!(features("subscribe 123456"), features("subscribe 654321"));
    }

    /// Training finds the words that separate the classes and is deterministic.
    #[test]
    fn training_learns_and_repeats() {
        let texts = [
            ("check out my channel", true),
            ("subscribe to my channel please", true),
            ("free followers at example.com", true),
            ("visit my page for free", true),
            ("this song brings back memories", false),
            ("I love this song so much", false),
            ("the video is amazing", false),
            ("my kids dance to this every day", false),
        ];
        let ex: Vec<(Vec<u32>, bool, f64)> =
            texts.iter().map(|(t, y)| (features(t), *y, 1.0)).collect();
        let m = train(&ex, TrainParams::default(), 0.5, "test");
        assert_eq!(m, train(&ex, TrainParams::default(), 0.5, "test"));
        assert!(m.probability("please subscribe to my channel") > 0.5);
        assert!(m.probability("I love this video") < 0.5);
    }
}
