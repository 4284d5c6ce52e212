use super::*;

fn matcher_of(keywords: &[&str]) -> Matcher {
    let mut c = Campaign::default();
    c.book.keywords = keywords.iter().map(|k| k.to_string()).collect();
    Matcher::new(&c)
}

#[test]
fn matchers_on_one_thread_do_not_share_cached_words() {
    // Each matcher numbers its own stems from 1: "sleep" is 1 for the first, "toddler"
    // for the second. Cached for the first, "sleep" must not become the second's 1.
    let sleep = matcher_of(&["sleep"]);
    let toddler = matcher_of(&["toddler"]);
    for _ in 0..2 {
        assert_eq!(sleep.matches("#SleepTips for a good sleep").keywords, 1);
        assert_eq!(toddler.matches("#SleepTips for a good sleep").keywords, 0);
        assert_eq!(toddler.matches("#ToddlerLife").keywords, 1);
        assert_eq!(sleep.matches("#ToddlerLife").keywords, 0);
    }
}

fn matcher() -> Matcher {
    let mut c = Campaign::default();
    c.book.keywords = [
        "big emotions",
        "positive parenting",
        "social emotional learning",
        "toddler",
        "mom life",
    ]
    .map(String::from)
    .to_vec();
    c.book.excluded_keywords = vec!["crypto".into(), "giveaway".into()];
    c.book
        .synonyms
        .insert("SEL".into(), "social emotional learning".into());
    c.book
        .synonyms
        .insert("big feelings".into(), "big emotions".into());
    Matcher::new(&c)
}

fn hits(m: &Matcher, text: &str) -> Vec<String> {
    m.keyword_labels(m.matches(text).keywords)
        .into_iter()
        .map(String::from)
        .collect()
}

#[test]
fn phrase_matching_needs_the_words_together() {
    let m = matcher();
    assert_eq!(
        hits(&m, "Helping kids with BIG emotions today"),
        ["big emotions"]
    );
    assert!(hits(&m, "a big dog and many emotions").is_empty());
    assert_eq!(
        hits(&m, "Social-emotional learning at home"),
        ["social emotional learning"]
    );
}

#[test]
fn hashtags_are_split_into_words() {
    let m = matcher();
    assert_eq!(hits(&m, "#positiveparenting"), ["positive parenting"]);
    assert_eq!(hits(&m, "#PositiveParenting"), ["positive parenting"]);
    assert_eq!(hits(&m, "#SELforkids"), ["social emotional learning"]);
    assert_eq!(hits(&m, "#momlife"), ["mom life"]);
    assert!(hits(&m, "#positivepar").is_empty());
}

/// Words the campaign does not know split too (the English dictionary), fewest words first:
/// a hashtag that is itself a word is not cut into smaller ones.
#[test]
fn hashtags_with_other_english_words_are_split_and_words_stay_whole() {
    let m = matcher_of(&["baby", "cat", "family"]);
    assert_eq!(hits(&m, "#babybump"), ["baby"]);
    assert_eq!(hits(&m, "#familyvacation"), ["family"]);
    assert_eq!(hits(&m, "#expectingababy"), ["baby"]);
    assert!(
        hits(&m, "#catering").is_empty(),
        "one word: not cat + ering"
    );
    assert!(hits(&m, "#scatter").is_empty());
    assert!(
        hits(&m, "#babyxqzt").is_empty(),
        "not covered by known words"
    );
}

#[test]
fn huge_hashtags_cost_a_scan() {
    let m = matcher();
    // 5 MB in one hashtag: no word-breaking, no copy, no match, and the words around
    // it still match (a gap, not a bridge, between them).
    let text = format!("big emotions #{} big emotions", "a".repeat(5 << 20));
    let t = std::time::Instant::now();
    let tokens = m.tokens(&text);
    assert!(
        t.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(tokens.len(), 5, "{:?}", &tokens);
    assert_eq!(tokens[2], "");
    // A long hashtag that is not huge is not word-broken past 64 characters.
    let long = format!("#{}", "kidsemotions".repeat(10));
    assert_eq!(m.tokens(&long).len(), 1);
    assert!(m.tokens("#kidsemotions").len() > 1);
}

#[test]
fn stemming_matches_word_forms() {
    let m = matcher();
    assert_eq!(hits(&m, "Two toddlers at the park"), ["toddler"]);
    assert_eq!(hits(&m, "#toddlerlife"), ["toddler"]);
    assert_eq!(hits(&m, "her big emotion"), ["big emotions"]);
}

#[test]
fn synonyms_count_as_their_keyword() {
    let m = matcher();
    assert_eq!(hits(&m, "Naming big feelings"), ["big emotions"]);
    assert_eq!(
        hits(&m, "SEL ideas for preschool"),
        ["social emotional learning"]
    );
    assert_eq!(hits(&m, "#BigFeelings"), ["big emotions"]);
}

/// The word stream as the first implementation gave it (char by char, a `String` per
/// piece, `word_break` uncached): the byte-level one must give the same words and gaps
/// on any text.
fn reference_words(m: &Matcher, text: &str) -> Vec<Option<String>> {
    let mut out = Vec::new();
    for raw in text.split(|c: char| !(c.is_alphanumeric() || c == '#')) {
        let is_tag = raw.starts_with('#');
        let body = raw.trim_start_matches('#');
        if body.is_empty() {
            continue;
        }
        for part in body.split('#').filter(|p| !p.is_empty()) {
            if part.len() > MAX_TOKEN_BYTES {
                out.push(None);
                continue;
            }
            if !is_tag {
                out.push(Some(part.to_lowercase()));
                continue;
            }
            let mut pieces: Vec<String> = Vec::new();
            let mut cur = String::new();
            let mut prev_lower = false;
            for ch in part.chars() {
                if ch.is_uppercase() && prev_lower && !cur.is_empty() {
                    pieces.push(std::mem::take(&mut cur));
                }
                prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
                cur.push(ch);
            }
            pieces.push(cur);
            for p in pieces {
                let lower = p.to_lowercase();
                if lower.chars().count() > MAX_BREAK_CHARS {
                    out.push(Some(lower));
                    continue;
                }
                match m.word_break(&lower) {
                    Some(ws) if !ws.is_empty() => out.extend(ws.into_iter().map(Some)),
                    _ => out.push(Some(lower)),
                }
            }
        }
    }
    out
}

#[test]
fn words_are_the_reference_words_on_messy_text() {
    let m = matcher();
    let mut rng = microscout_generate::rng::Rng::new(5, 0, 0);
    let alphabet = [
        "a",
        "B",
        "z",
        "Q",
        "7",
        "#",
        "#",
        " ",
        ",",
        ".",
        "-",
        "_",
        "'",
        "\n",
        "é",
        "É",
        "ß",
        "İ",
        "日",
        "٣",
        "😀",
        "\u{301}",
        "big",
        "Big",
        "emotions",
        "Emotions",
        "parenting",
        "Positive",
        "SEL",
        "mom",
        "Life",
        "toddler",
        "for",
        "kids",
    ];
    for _ in 0..20_000 {
        let len = rng.below(40) as usize;
        let text: String = (0..len).map(|_| rng.pick(&alphabet)).collect();
        let mut got = Vec::new();
        m.each_word(&text, |w| got.push(w.map(str::to_string)));
        assert_eq!(got, reference_words(&m, &text), "{text:?}");
        // Matching through the cached ids and the reused buffer finds what the
        // reference words' stems, looked up afresh, find.
        let ids: Vec<u32> = reference_words(&m, &text)
            .iter()
            .map(|w| {
                w.as_ref().map_or(0, |w| {
                    let stem = m.stemmer.stem(w);
                    m.stem_ids.get(stem.as_ref()).copied().unwrap_or(0)
                })
            })
            .collect();
        assert_eq!(m.matches(&text), m.match_ids(&ids), "{text:?}");
    }
    // A part longer than the longest keyword word is a gap either way.
    let long = format!("#Big{} x", "Feelings".repeat(60));
    let mut got = Vec::new();
    m.each_word(&long, |w| got.push(w.map(str::to_string)));
    assert_eq!(got, reference_words(&m, &long));
}

#[test]
fn excluded_keywords_are_found() {
    let m = matcher();
    let x = m.matches("Huge #giveaway! Crypto tips inside");
    assert_eq!(m.excluded_labels(x.excluded), ["crypto", "giveaway"]);
    assert_eq!(x.keywords, 0);
}

/// Near misses: texts that share words (or letters) with the keywords without being about
/// them are no match; the near hits beside them are.
#[test]
fn near_misses_that_share_words_with_the_keywords_do_not_match() {
    let m = matcher();
    for text in [
        "Emotional support animal of the week",
        "Big sale: our new emotions colouring set",
        "Positive vibes only! Parenting is hard",
        "Life with a mom who loves hiking",
        "Learning to be social at the office",
        "Sell everything you do not need",
        "Todd and his big truck",
        "#biglife #emotionalwellbeing",
    ] {
        assert!(hits(&m, text).is_empty(), "{text:?}: {:?}", hits(&m, text));
    }
    for (text, want) in [
        (
            "Our toddlers had big emotions today",
            vec!["big emotions", "toddler"],
        ),
        ("#momlife with a toddler", vec!["mom life", "toddler"]),
        (
            "SEL at home: social emotional learning",
            vec!["social emotional learning"],
        ),
    ] {
        let mut got = hits(&m, text);
        got.sort();
        assert_eq!(got, want, "{text:?}");
    }
}
