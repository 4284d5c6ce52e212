//! Finding an email address in free text (a bio).

/// The first email address in `text`, lower-cased, or `None`.
///
/// An address is `local@domain` where `local` is letters, digits and `._%+-`, and `domain`
/// is dot-separated labels of letters, digits and `-` ending in a top-level domain of at
/// least two letters. Trailing punctuation ("mail me: a@b.com.") is not part of it.
pub fn find_email(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices('@') {
        let is_local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
        let mut start = at;
        while start > 0 && is_local(bytes[start - 1]) {
            start -= 1;
        }
        let local = text[start..at].trim_start_matches('.');
        if local.is_empty() {
            continue;
        }
        let is_domain = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-';
        let mut end = at + 1;
        while end < bytes.len() && is_domain(bytes[end]) {
            end += 1;
        }
        let domain = text[at + 1..end].trim_end_matches(['.', '-']);
        let labels: Vec<&str> = domain.split('.').collect();
        let tld_ok = labels
            .last()
            .is_some_and(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_alphabetic()));
        if labels.len() < 2 || !tld_ok || labels.iter().any(|l| l.is_empty()) {
            continue;
        }
        return Some(format!("{local}@{domain}").to_ascii_lowercase());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_plain_address() {
        assert_eq!(
            find_email("Mum of 3 | collabs: Hello.Jo+books@Example.co.uk."),
            Some("hello.jo+books@example.co.uk".into())
        );
    }

    #[test]
    fn skips_handles_and_broken_addresses() {
        assert_eq!(find_email("follow @kidsbooks and @mum.life"), None);
        assert_eq!(find_email("a@b"), None);
        assert_eq!(find_email("x@y.c"), None);
        assert_eq!(
            find_email("@ me or me@site.org"),
            Some("me@site.org".into())
        );
    }

    #[test]
    fn first_address_wins() {
        assert_eq!(find_email("one@a.com two@b.com"), Some("one@a.com".into()));
    }
}
