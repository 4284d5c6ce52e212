//! Text from the input made safe to print: in a terminal, a log line or an error message,
//! a string from a stranger's export must not move the cursor, recolour the screen or fill
//! the screen.

/// `s` with every control character (ESC, BEL, CR, newline, ...) and every bidirectional
/// override written as a `\u{..}` escape, cut after `max_chars` characters with an
/// ellipsis and the full length.
pub fn printable(s: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max_chars * 2));
    for (n, ch) in s.chars().enumerate() {
        if n == max_chars {
            out.push_str(&format!("... ({} characters)", s.chars().count()));
            break;
        }
        if ch.is_control() || matches!(ch, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            out.push_str(&format!("\\u{{{:x}}}", ch as u32));
        } else {
            out.push(ch);
        }
    }
    out
}

/// A list of names for a message: the first `max_items`, each [`printable`], then how many
/// more there are.
pub fn printable_list(items: &[String], max_items: usize) -> String {
    let mut out: Vec<String> = items
        .iter()
        .take(max_items)
        .map(|s| printable(s, 60))
        .collect();
    if items.len() > max_items {
        out.push(format!("... and {} more", items.len() - max_items));
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(printable("a\u{1b}[2Jb\n", 100), "a\\u{1b}[2Jb\\u{a}");
        assert_eq!(printable("x\u{202e}y", 100), "x\\u{202e}y");
        assert_eq!(printable("émotions", 100), "émotions");
    }

    #[test]
    fn cuts_long_text() {
        assert_eq!(printable("abcdef", 3), "abc... (6 characters)");
        let names: Vec<String> = (0..5).map(|i| format!("c{i}")).collect();
        assert_eq!(printable_list(&names, 2), "c0, c1, ... and 3 more");
    }
}

/// `a == b` for the short keys compared once per input row (a row's platform and account
/// against the last row's): the lengths, then the bytes eight at a time, inline. `==` calls
/// the C library's `memcmp`, which cost more than the compare itself here: on the 20k
/// bench drop with 2.15 million comments (`generate --accounts 20000 --posts 987000
/// --followers 4000000 --comments`), 7% of the night's CPU samples were in `memcmp` from
/// these two compares; with this, the night's CPU time fell from 11.4 s to 10.7 s (medians
/// of 4 alternating runs).
#[inline]
pub fn same_key(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let (mut wa, mut wb) = (a.chunks_exact(8), b.chunks_exact(8));
    for (x, y) in (&mut wa).zip(&mut wb) {
        let word = |w: &[u8]| u64::from_ne_bytes(w.try_into().expect("eight bytes"));
        if word(x) != word(y) {
            return false;
        }
    }
    let (ra, rb) = (wa.remainder(), wb.remainder());
    let tail = |r: &[u8]| {
        let mut t = [0u8; 8];
        t[..r.len()].copy_from_slice(r);
        u64::from_ne_bytes(t)
    };
    tail(ra) == tail(rb)
}

#[cfg(test)]
mod same_key_tests {
    proptest::proptest! {
        #[test]
        fn same_key_is_equality(a in "[a-c]{0,20}", b in "[a-c]{0,20}") {
            proptest::prop_assert_eq!(super::same_key(&a, &b), a == b);
            proptest::prop_assert!(super::same_key(&a, &a));
        }
    }
}
