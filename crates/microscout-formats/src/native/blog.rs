//! What every blog export shares: the blog's account id from its address, post text from
//! HTML, and dates in the forms feeds write them.

use microscout_model::schema::Table;

use super::{NativeRow, row_raw};

/// A blog's accounts row: platform `blog`, the blog's address as id and handle, and `fields`
/// (no follower count: no blog export has one).
pub(super) fn account_row(
    record: u64,
    raw: String,
    id: String,
    fields: &[(&str, Option<String>)],
) -> NativeRow {
    let mut all = vec![
        ("platform", Some("blog".to_string())),
        ("account_id", Some(id.clone())),
        ("handle", Some(id)),
    ];
    all.extend(fields.iter().cloned());
    row_raw(Table::Accounts, record, raw, &all)
}

/// Most characters of a blog post's text kept as its caption (the post's summary when the
/// export has one, else its body, without HTML). Instagram's caption limit is 2,200: a
/// blog's first 4,000 characters say at least as much about its subject, and the niche
/// matcher's cost stays that of a long caption, not of a whole article.
pub const MAX_CAPTION_CHARS: usize = 4000;

/// Characters of a comment's text kept from an HTML body (a comment longer than this is
/// not the generic praise the comment evidence looks for, and its start says what it is).
pub const MAX_COMMENT_CHARS: usize = 2000;

/// Plain text of an HTML comment body, at most [`MAX_COMMENT_CHARS`] characters.
pub fn comment_text(html: &str) -> String {
    let text = strip_html_bounded(html, MAX_COMMENT_CHARS);
    match text.char_indices().nth(MAX_COMMENT_CHARS) {
        Some((i, _)) => text[..i].to_string(),
        None => text,
    }
}

/// A blog's account id: its address without the scheme, `www.`, query, fragment or a
/// trailing slash, host in lower case (`https://www.Example.com/blog/` -> `example.com/blog`),
/// so that the RSS feed, the WordPress REST API and the WXR export of one blog name the
/// same account. None for text that is not an http(s) address.
pub fn site_id(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        url.strip_prefix("//")?
    };
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    // Credentials and default ports are not part of the blog's name.
    let host = host.rsplit('@').next().unwrap_or_default();
    let host = host
        .strip_suffix(":80")
        .or_else(|| host.strip_suffix(":443"))
        .unwrap_or(host)
        .to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    if host.is_empty() || !host.contains('.') && host != "localhost" {
        return None;
    }
    // A feed's or the REST API's address names the blog it belongs to: the path up to a
    // whole segment `wp-json`, `feed`, `rss`, `atom` (or a feed file such as `index.xml`),
    // keeping a Medium-style `@author` after it (`medium.com/feed/@calmkids`).
    let mut kept: Vec<&str> = Vec::new();
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    while let Some(seg) = segments.next() {
        let lower = seg.to_ascii_lowercase();
        if lower == "wp-json" {
            break;
        }
        let feed = matches!(lower.as_str(), "feed" | "rss" | "rss2" | "atom")
            || (lower.starts_with("index.") || lower.starts_with("feed."))
                && [".xml", ".rss", ".atom"].iter().any(|e| lower.ends_with(e));
        if feed {
            kept.extend(segments.filter(|s| s.starts_with('@')).take(1));
            break;
        }
        kept.push(seg);
    }
    let mut id = host.to_string();
    for seg in kept {
        id.push('/');
        id.push_str(seg);
    }
    Some(id)
}

/// The named HTML entities that blog text uses most; others stay as written.
const ENTITIES: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", " "),
    ("hellip", "…"),
    ("mdash", "—"),
    ("ndash", "–"),
    ("rsquo", "’"),
    ("lsquo", "‘"),
    ("rdquo", "”"),
    ("ldquo", "“"),
    ("laquo", "«"),
    ("raquo", "»"),
    ("eacute", "é"),
    ("egrave", "è"),
    ("agrave", "à"),
    ("ccedil", "ç"),
    ("uuml", "ü"),
    ("ouml", "ö"),
    ("auml", "ä"),
    ("szlig", "ß"),
    ("copy", "©"),
    ("reg", "®"),
    ("trade", "™"),
];

fn entity(name: &str) -> Option<String> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code)
            .filter(|c| *c != '\0')
            .map(String::from);
    }
    ENTITIES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| s.to_string())
}

/// Byte offset of `needle` (ASCII) in `hay`, ignoring ASCII case, without a lower-cased copy.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Plain text of an HTML fragment: tags dropped (with what `<script>` and `<style>` hold),
/// block ends and `<br>` as spaces, entities decoded, runs of white space as one space.
pub fn strip_html(html: &str) -> String {
    strip_html_bounded(html, usize::MAX)
}

/// [`strip_html`] of about the first `max_chars` characters of text: the scan stops once the
/// text is that long (a caption needs no more of a long article, and a huge body costs no
/// more than a short one).
pub fn strip_html_bounded(html: &str, max_chars: usize) -> String {
    // Bytes of output after which the scan stops: a character is at most 4 bytes, and runs
    // of white space still to be collapsed are allowed for twice over.
    let max_bytes = max_chars.saturating_mul(8);
    let mut out = String::with_capacity(html.len().min(MAX_CAPTION_CHARS * 2));
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        if out.len() >= max_bytes {
            rest = "";
            break;
        }
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            let Some(end) = rest.find('>') else {
                // An unclosed tag: the rest is not text.
                rest = "";
                break;
            };
            let inner = &rest[1..end];
            let opens = !inner.starts_with('/') && !inner.ends_with('/');
            let name: String = inner
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            rest = &rest[end + 1..];
            if opens && (name == "script" || name == "style") {
                let close = format!("</{name}");
                match find_ascii_ci(rest, &close) {
                    Some(j) => rest = &rest[j..],
                    None => rest = "",
                }
                continue;
            }
            out.push(' ');
        } else {
            let end = rest[1..]
                .find(|c: char| c == ';' || c.is_whitespace() || c == '&' || c == '<')
                .map(|j| j + 1);
            match end.filter(|&j| rest[j..].starts_with(';')) {
                Some(j) => match entity(&rest[1..j]) {
                    Some(s) => {
                        out.push_str(&s);
                        rest = &rest[j + 1..];
                    }
                    None => {
                        out.push_str(&rest[..=j]);
                        rest = &rest[j + 1..];
                    }
                },
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A blog post's caption: its title, its text (the summary when the export has one, else the
/// body, as plain text) and its categories and tags as hashtags (spaces removed, as YouTube
/// tags are), at most [`MAX_CAPTION_CHARS`] characters of text. None when all are empty.
pub fn caption(title: Option<&str>, html: Option<&str>, tags: &[String]) -> Option<String> {
    let mut out = String::new();
    if let Some(t) = title.map(strip_html).filter(|t| !t.is_empty()) {
        out.push_str(&t);
    }
    if let Some(body) = html
        .map(|h| strip_html_bounded(h, MAX_CAPTION_CHARS))
        .filter(|b| !b.is_empty())
    {
        if !out.is_empty() {
            out.push('\n');
        }
        match body.char_indices().nth(MAX_CAPTION_CHARS) {
            Some((cut, _)) => out.push_str(&body[..cut]),
            None => out.push_str(&body),
        }
    }
    let mut seen = std::collections::HashSet::new();
    for tag in tags {
        let tag: String = strip_html_bounded(tag, 200).split_whitespace().collect();
        let tag = tag.trim_start_matches('#');
        if tag.is_empty()
            || tag.eq_ignore_ascii_case("uncategorized")
            || !seen.insert(tag.to_lowercase())
        {
            continue;
        }
        out.push_str(" #");
        out.push_str(tag);
    }
    let out = out.trim().to_string();
    (!out.is_empty()).then_some(out)
}

/// An RSS date (RFC 822/2822: `Mon, 06 Sep 2021 16:45:00 +0000`, also with `GMT` or a US
/// zone name) as RFC 3339; text that is not one is passed on as written, so that validation
/// rejects it with the usual reason and the raw value.
pub fn rss_date(raw: &str) -> String {
    let t = raw.trim();
    match chrono::DateTime::parse_from_rfc2822(t) {
        Ok(d) => d.to_rfc3339(),
        Err(_) => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_blog_one_id() {
        for url in [
            "https://www.Example.com/",
            "http://example.com",
            "https://example.com/feed/",
            "https://example.com/wp-json/wp/v2/posts/12",
            "https://example.com/?p=12",
        ] {
            assert_eq!(site_id(url).as_deref(), Some("example.com"), "{url}");
        }
        assert_eq!(
            site_id("https://blog.example.org/fr/feed/atom").as_deref(),
            Some("blog.example.org/fr")
        );
        assert_eq!(
            site_id("https://example.com/atomic/feed/").as_deref(),
            Some("example.com/atomic")
        );
        assert_eq!(
            site_id("https://medium.com/feed/@calmkids").as_deref(),
            Some("medium.com/@calmkids")
        );
        assert_eq!(
            site_id("http://intertwingly.net/blog/index.atom").as_deref(),
            Some("intertwingly.net/blog")
        );
        assert_eq!(site_id("tag:blogger.com,1999:blog-1"), None);
        assert_eq!(site_id("https:///nothing"), None);
    }

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            strip_html(
                "<p>Big&nbsp;feelings &amp; <b>calm</b>&#8230;</p><script>x()</script>after"
            ),
            "Big feelings & calm … after"
        );
        assert_eq!(strip_html("a &unknown; b & c"), "a &unknown; b & c");
        assert_eq!(strip_html("cut <a href"), "cut");
    }

    #[test]
    fn captions_join_title_text_and_tags() {
        let tags = vec![
            "Big Feelings".to_string(),
            "Uncategorized".into(),
            "big feelings".into(),
        ];
        assert_eq!(
            caption(Some("Calm down corner"), Some("<p>Our toddler</p>"), &tags).as_deref(),
            Some("Calm down corner\nOur toddler #BigFeelings")
        );
        assert_eq!(caption(None, Some("  "), &[]), None);
        let long = "é".repeat(MAX_CAPTION_CHARS + 10);
        assert_eq!(
            caption(None, Some(&long), &[]).unwrap().chars().count(),
            MAX_CAPTION_CHARS
        );
    }

    #[test]
    fn long_bodies_cost_what_a_caption_needs() {
        // Ten megabytes of scripts and text: linear, and cut at the caption's length.
        let body = "<SCRIPT>x()</script><p>word &amp; more</p>".repeat(250_000);
        let t = std::time::Instant::now();
        let c = caption(Some("t"), Some(&body), &[]).unwrap();
        assert!(
            t.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            t.elapsed()
        );
        assert_eq!(c.chars().count(), 2 + MAX_CAPTION_CHARS);
        assert!(!c.contains("x()"));
        let tags: Vec<String> = (0..20_000).map(|i| format!("tag{}", i % 50)).collect();
        let c = caption(None, None, &tags).unwrap();
        assert_eq!(c.matches('#').count(), 50);
    }

    #[test]
    fn rss_dates() {
        assert_eq!(
            rss_date("Mon, 06 Sep 2021 16:45:00 +0000"),
            "2021-09-06T16:45:00+00:00"
        );
        assert_eq!(
            rss_date("Tue, 10 Jun 2003 04:00:00 GMT"),
            "2003-06-10T04:00:00+00:00"
        );
        assert_eq!(rss_date("yesterday"), "yesterday");
    }
}
