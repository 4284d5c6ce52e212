//! Blogs' XML exports: RSS 2.0 (and RSS 1.0) feeds, Atom feeds and WordPress's WXR export,
//! each a blog account (record 0 of the accounts table) and its posts (record i = the i-th
//! item or entry of the document); a WordPress comments feed (RSS 2.0) gives comments only
//! (record i = the i-th item), with no account.

use microscout_model::schema::Table;

use super::blog::{account_row, caption, comment_text, rss_date, site_id};
use super::{Adapter, NativeReject, NativeRow, row_raw};
use crate::xml::Element;

/// Most bytes of a quarantined record's text kept as its `raw`.
const MAX_RAW: usize = 64 << 10;

/// Which feed adapter reads this XML document, if any.
pub fn detect(root: &Element) -> Option<Adapter> {
    match root.name.as_str() {
        "atom:feed" => Some(Adapter::Atom),
        "rss" | "rdf:RDF" => {
            let channel = root.child("channel");
            let wxr = channel.is_some_and(|c| {
                c.child("wp:wxr_version").is_some()
                    || c.all("item").any(|i| i.child("wp:post_type").is_some())
            });
            Some(if wxr {
                Adapter::WordpressWxr
            } else {
                Adapter::Rss
            })
        }
        _ => None,
    }
}

/// Maps an XML document with `adapter`.
pub fn map(adapter: Adapter, root: &Element) -> (Vec<NativeRow>, Vec<NativeReject>) {
    let mut rows = Vec::new();
    let mut rejects = Vec::new();
    let expected = match adapter {
        Adapter::Rss | Adapter::WordpressWxr => root.name == "rss" || root.name == "rdf:RDF",
        Adapter::Atom => root.name == "atom:feed",
        _ => false,
    };
    if !expected {
        rejects.push(NativeReject::new(
            Table::Accounts,
            0,
            format!(
                "an XML document with root <{}>, not a document the {} adapter reads",
                root.name,
                adapter.as_str()
            ),
            root.raw(MAX_RAW),
        ));
        return (rows, rejects);
    }
    match adapter {
        Adapter::Atom => atom(root, &mut rows, &mut rejects),
        Adapter::WordpressWxr => wxr(root, &mut rows, &mut rejects),
        _ => rss(root, &mut rows, &mut rejects),
    }
    (rows, rejects)
}

fn account(
    rows: &mut Vec<NativeRow>,
    rejects: &mut Vec<NativeReject>,
    raw: &Element,
    id: Option<String>,
    fields: &[(&str, Option<String>)],
) -> Option<String> {
    let Some(id) = id else {
        rejects.push(NativeReject::new(
            Table::Accounts,
            0,
            "the feed gives no address of its blog (channel <link>, Atom <link \
                     rel=\"alternate\">, wp:base_blog_url): the blog's account id is its address",
            raw.raw(4096),
        ));
        return None;
    };
    rows.push(account_row(0, raw.raw(4096), id.clone(), fields));
    Some(id)
}

/// The blog of an RSS or WXR channel: its address, title and description.
fn channel_account(
    rows: &mut Vec<NativeRow>,
    rejects: &mut Vec<NativeReject>,
    channel: &Element,
    link: Option<String>,
    email: Option<String>,
) -> Option<String> {
    account(
        rows,
        rejects,
        channel,
        link.as_deref().and_then(site_id),
        &[
            ("display_name", channel.text_of("title")),
            ("bio", channel.text_of("description")),
            ("external_url", link.clone()),
            ("public_email", email),
        ],
    )
}

/// An address in an RSS `managingEditor`/`webMaster` field (`mail@example.com (Name)`).
fn email_in(text: Option<String>) -> Option<String> {
    text?
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '<' || c == '>')
        .find(|w| w.contains('@') && w.contains('.'))
        // A no-reply address (Blogger writes noreply@blogger.com) is no contact.
        .filter(|w| {
            let local = w.split('@').next().unwrap_or_default().to_ascii_lowercase();
            !matches!(
                local.as_str(),
                "noreply" | "no-reply" | "donotreply" | "do-not-reply"
            )
        })
        .map(String::from)
}

fn categories(item: &Element) -> Vec<String> {
    item.all("category")
        .chain(item.all("dc:subject"))
        .map(|c| c.text.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn post(
    rows: &mut Vec<NativeRow>,
    record: u64,
    item: &Element,
    account: &str,
    post_id: Option<String>,
    posted_at: Option<String>,
    comments: Option<String>,
    caption: Option<String>,
) {
    rows.push(row_raw(
        Table::Posts,
        record,
        item.raw(MAX_RAW),
        &[
            ("platform", Some("blog".into())),
            ("account_id", Some(account.to_string())),
            ("post_id", post_id),
            ("posted_at", posted_at),
            // A blog post has no like count: unavailable, never zero.
            ("likes", None),
            ("comments", comments),
            ("caption", caption),
            ("media_type", Some("article".into())),
        ],
    ));
}

/// The posts of a feed whose blog could not be named: each quarantined, saying why.
fn orphans<'a>(rejects: &mut Vec<NativeReject>, items: impl Iterator<Item = &'a Element>) {
    for (i, item) in items.enumerate() {
        reject(
            rejects,
            i as u64,
            item,
            "a post of a feed that gives no address of its blog (see the rejected account \
             record 0): the post has no account"
                .into(),
        );
    }
}

fn reject(rejects: &mut Vec<NativeReject>, record: u64, item: &Element, reason: String) {
    rejects.push(NativeReject::new(
        Table::Posts,
        record,
        reason,
        item.raw(MAX_RAW),
    ));
}

/// Is this feed item a comment (an item of a WordPress comments feed, `wfw:commentRss`: its
/// address and guid end in `#comment-<id>`)?
fn is_comment_item(item: &Element) -> bool {
    ["link", "guid"]
        .iter()
        .any(|k| item.text_of(k).is_some_and(|v| v.contains("#comment-")))
}

/// A comments feed item as a comments row: its post is the part of its guid before
/// `#comment-` (WordPress writes a comment's guid as its post's guid, which is the post's id
/// here, and `#comment-<id>`; without a guid, of its address), its id what follows, its author `dc:creator`, its text
/// `content:encoded` (else `description`) as plain text. A reply's text starts with "In
/// reply to <a href=\"...#comment-<id>\">name</a>." in feeds: that names the comment it
/// replies to and is not part of its text. The account is its post's owner.
fn feed_comment(record: u64, item: &Element) -> Result<NativeRow, String> {
    // The guid, else the address (`<post address>#comment-<id>`), as a feed's posts are
    // named by their guid, else their address.
    let named = ["guid", "link"]
        .iter()
        .filter_map(|k| Some((*k, item.text_of(k)?)))
        .find_map(|(k, v)| {
            let (post, id) = v.trim().split_once("#comment-")?;
            // A comment's address may be on a page of its post's comments:
            // `<post address>comment-page-2/#comment-<id>`.
            let post = match k {
                "link" => without_comment_page(post),
                _ => post,
            };
            Some((post.to_string(), id.to_string()))
        });
    let Some((post, id)) = named else {
        return Err(
            "a comment of a comments feed whose guid and address do not name its post \
             (`<post guid>#comment-<id>`, as WordPress writes it)"
                .into(),
        );
    };
    let body = item
        .text_of("content:encoded")
        .or_else(|| item.text_of("description"))
        .unwrap_or_default();
    let (reply_to, body) = reply_prefix(&body);
    Ok(row_raw(
        Table::Comments,
        record,
        item.raw(MAX_RAW),
        &[
            ("platform", Some("blog".into())),
            ("post_id", Some(post)),
            ("comment_id", Some(id)),
            (
                "commenter_handle",
                item.text_of("dc:creator")
                    .or_else(|| item.text_of("author"))
                    .map(|a| a.trim().to_string()),
            ),
            ("text", Some(comment_text(body))),
            (
                "commented_at",
                item.text_of("pubDate")
                    .map(|d| rss_date(&d))
                    .or_else(|| item.text_of("dc:date")),
            ),
            ("reply_to", reply_to),
        ],
    ))
}

/// A post's address without a trailing `comment-page-<n>/` (WordPress's address of a page
/// of a post's comments).
fn without_comment_page(address: &str) -> &str {
    let trimmed = address.strip_suffix('/').unwrap_or(address);
    match trimmed.rsplit_once('/') {
        Some((base, last))
            if last
                .strip_prefix("comment-page-")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) =>
        {
            &address[..base.len() + 1]
        }
        _ => address,
    }
}

/// A comments feed item as a comments row, or quarantined saying why ([`feed_comment`]).
fn push_comment(
    rows: &mut Vec<NativeRow>,
    rejects: &mut Vec<NativeReject>,
    record: u64,
    item: &Element,
) {
    match feed_comment(record, item) {
        Ok(row) => rows.push(row),
        Err(reason) => rejects.push(NativeReject::new(
            Table::Comments,
            record,
            reason,
            item.raw(MAX_RAW),
        )),
    }
}

/// The comment a feed comment replies to, from the "In reply to <a href="...#comment-<id>">
/// name</a>." that starts a reply's HTML, and the HTML after it; the HTML as it is when it
/// does not start so (or the link names no comment).
fn reply_prefix(html: &str) -> (Option<String>, &str) {
    let start = html.trim_start();
    let after_p = start.strip_prefix("<p>").unwrap_or(start);
    let Some(rest) = after_p.strip_prefix("In reply to <a ") else {
        return (None, html);
    };
    let Some(close) = rest.find("</a>") else {
        return (None, html);
    };
    let anchor = &rest[..close];
    let id = anchor
        .split_once("#comment-")
        .map(|(_, r)| {
            r.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .filter(|id| !id.is_empty());
    let Some(id) = id else {
        return (None, html);
    };
    let tail = &rest[close + "</a>".len()..];
    let tail = tail.strip_prefix('.').unwrap_or(tail);
    let tail = tail.trim_start().strip_prefix("</p>").unwrap_or(tail);
    (Some(id), tail)
}

fn rss(root: &Element, rows: &mut Vec<NativeRow>, rejects: &mut Vec<NativeReject>) {
    let empty = Element::default();
    let channel = root.child("channel").unwrap_or(&empty);
    // A comments feed (every item a comment, or an empty feed titled as WordPress titles
    // one in English) is its comments only: its channel ("Comments on: <post>") is not the
    // blog's own record, and the comments name their posts.
    let mut items = channel.all("item").chain(root.all("item")).peekable();
    let titled = channel.text_of("title").is_some_and(|t| {
        let t = t.trim_start();
        t.starts_with("Comments on:") || t.starts_with("Comments for ")
    });
    let all_comments = channel
        .all("item")
        .chain(root.all("item"))
        .all(is_comment_item);
    if all_comments && (items.peek().is_some() || titled) {
        for (i, item) in items.enumerate() {
            push_comment(rows, rejects, i as u64, item);
        }
        return;
    }
    let link = channel.text_of("link").or_else(|| {
        channel
            .all("atom:link")
            .find(|l| l.attr("rel") == Some("self"))
            .and_then(|l| l.attr("href"))
            .map(String::from)
    });
    let email = email_in(channel.text_of("managingEditor"))
        .or_else(|| email_in(channel.text_of("webMaster")));
    let Some(id) = channel_account(rows, rejects, channel, link, email) else {
        orphans(rejects, channel.all("item").chain(root.all("item")));
        return;
    };
    // RSS 2.0 items are in the channel; RSS 1.0 items are beside it.
    let items = channel.all("item").chain(root.all("item"));
    for (i, item) in items.enumerate() {
        let record = i as u64;
        let link = item.text_of("link");
        if is_comment_item(item) {
            // A comment among posts: a comment all the same.
            push_comment(rows, rejects, record, item);
            continue;
        }
        let comments = item
            .text_of("slash:comments")
            .or_else(|| item.text_of("thr:total"));
        let body = item
            .text_of("description")
            .or_else(|| item.text_of("content:encoded"));
        post(
            rows,
            record,
            item,
            &id,
            item.text_of("guid").or(link),
            item.text_of("pubDate")
                .map(|d| rss_date(&d))
                .or_else(|| item.text_of("dc:date")),
            comments,
            caption(
                item.text_of("title").as_deref(),
                body.as_deref(),
                &categories(item),
            ),
        );
    }
}

fn atom_link<'a>(e: &'a Element, rel: &str) -> Option<&'a Element> {
    e.all("atom:link")
        .find(|l| l.attr("rel").unwrap_or("alternate") == rel)
}

fn atom(root: &Element, rows: &mut Vec<NativeRow>, rejects: &mut Vec<NativeReject>) {
    // A relative address is resolved against the feed's own (`rel="self"`, else its id).
    let own = atom_link(root, "self")
        .and_then(|l| l.attr("href"))
        .map(String::from)
        .or_else(|| root.text_of("atom:id"));
    let link = atom_link(root, "alternate")
        .and_then(|l| l.attr("href"))
        .map(|href| match (href.starts_with('/'), own.as_deref()) {
            (true, Some(own)) => match own.split_once("://") {
                Some((scheme, rest)) => {
                    format!("{scheme}://{}{href}", rest.split('/').next().unwrap_or(""))
                }
                None => href.to_string(),
            },
            _ => href.to_string(),
        });
    let id = link
        .as_deref()
        .and_then(site_id)
        .or_else(|| root.text_of("atom:id").as_deref().and_then(site_id));
    let Some(id) = account(
        rows,
        rejects,
        root,
        id,
        &[
            ("display_name", root.text_of("atom:title")),
            ("bio", root.text_of("atom:subtitle")),
            ("external_url", link),
            (
                "public_email",
                email_in(
                    root.child("atom:author")
                        .and_then(|a| a.text_of("atom:email")),
                ),
            ),
        ],
    ) else {
        orphans(rejects, root.all("atom:entry"));
        return;
    };
    for (i, entry) in root.all("atom:entry").enumerate() {
        // `thr:count` on the replies link, whatever prefix the feed gives the namespace
        // (attributes keep their names as written).
        let comments = entry.text_of("thr:total").or_else(|| {
            atom_link(entry, "replies").and_then(|l| {
                l.attrs
                    .iter()
                    .find(|(k, _)| k.contains(':') && k.rsplit(':').next() == Some("count"))
                    .map(|(_, v)| v.clone())
            })
        });
        let tags: Vec<String> = entry
            .all("atom:category")
            .filter_map(|c| c.attr("term").map(String::from))
            // Blogger's kind marker is not a tag.
            .filter(|t| !t.starts_with("http://schemas.google.com/"))
            .collect();
        let body = entry
            .text_of("atom:summary")
            .or_else(|| entry.text_of("atom:content"));
        let post_id = entry.text_of("atom:id").or_else(|| {
            atom_link(entry, "alternate")
                .and_then(|l| l.attr("href"))
                .map(String::from)
        });
        post(
            rows,
            i as u64,
            entry,
            &id,
            post_id,
            // Atom 1.0's dates, else Atom 0.3's.
            entry
                .text_of("atom:published")
                .or_else(|| entry.text_of("atom:updated"))
                .or_else(|| entry.text_of("atom:issued"))
                .or_else(|| entry.text_of("atom:modified")),
            comments,
            caption(
                entry.text_of("atom:title").as_deref(),
                body.as_deref(),
                &tags,
            ),
        );
    }
}

fn wxr(root: &Element, rows: &mut Vec<NativeRow>, rejects: &mut Vec<NativeReject>) {
    let empty = Element::default();
    let channel = root.child("channel").unwrap_or(&empty);
    let link = channel
        .text_of("wp:base_blog_url")
        .or_else(|| channel.text_of("link"))
        .or_else(|| channel.text_of("wp:base_site_url"));
    // (Authors' e-mail addresses are not read: the blog does not publish them.)
    let Some(id) = channel_account(rows, rejects, channel, link, None) else {
        orphans(rejects, channel.all("item"));
        return;
    };
    for (i, item) in channel.all("item").enumerate() {
        let record = i as u64;
        let kind = item
            .text_of("wp:post_type")
            .unwrap_or_else(|| "post".into());
        if kind != "post" {
            reject(
                rejects,
                record,
                item,
                format!(
                    "a WordPress `{kind}` item, not a blog post (only published posts are posts)"
                ),
            );
            continue;
        }
        let status = item
            .text_of("wp:status")
            .unwrap_or_else(|| "publish".into());
        if status != "publish" {
            reject(
                rejects,
                record,
                item,
                format!("a WordPress post with status `{status}`, not published"),
            );
            continue;
        }
        // Approved comments by readers (not pingbacks or trackbacks).
        let readers: Vec<&Element> = item
            .all("wp:comment")
            .filter(|c| c.text_of("wp:comment_approved").as_deref() == Some("1"))
            .filter(|c| {
                !matches!(
                    c.text_of("wp:comment_type").as_deref(),
                    Some("pingback" | "trackback")
                )
            })
            .collect();
        let comments = readers.len();
        let closed = item.text_of("wp:comment_status").as_deref() == Some("closed");
        // Comments turned off and none left: unavailable, as the contract says (not 0).
        let comments = (!(closed && comments == 0)).then(|| comments.to_string());
        let posted_at = item
            .text_of("wp:post_date_gmt")
            .filter(|d| !d.starts_with("0000"))
            // WordPress writes the Unix epoch as the date of a post it has none for.
            .or_else(|| {
                item.text_of("pubDate")
                    .filter(|d| !d.starts_with("Thu, 01 Jan 1970 00:00:00"))
                    .map(|d| rss_date(&d))
            })
            // Last, the blog's local time (read as UTC: off by at most its time zone).
            .or_else(|| {
                item.text_of("wp:post_date")
                    .filter(|d| !d.starts_with("0000"))
            });
        let body = item
            .text_of("excerpt:encoded")
            .or_else(|| item.text_of("content:encoded"));
        let post_id = item
            .text_of("guid")
            .or_else(|| item.text_of("wp:post_id").map(|n| format!("{id}/?p={n}")));
        if let Some(post_id) = &post_id {
            for c in &readers {
                rows.push(wxr_comment(record, c, &id, post_id));
            }
        }
        post(
            rows,
            record,
            item,
            &id,
            post_id,
            posted_at,
            comments,
            caption(
                item.text_of("title").as_deref(),
                body.as_deref(),
                &categories(item),
            ),
        );
    }
}

/// A reader's comment of a WXR post as a comments row (the item's record).
fn wxr_comment(record: u64, c: &Element, account: &str, post_id: &str) -> NativeRow {
    let reply_to = c.text_of("wp:comment_parent").filter(|p| p != "0");
    let at = c
        .text_of("wp:comment_date_gmt")
        .filter(|d| !d.starts_with("0000"))
        .or_else(|| c.text_of("wp:comment_date"));
    row_raw(
        Table::Comments,
        record,
        c.raw(MAX_RAW),
        &[
            ("platform", Some("blog".into())),
            ("account_id", Some(account.to_string())),
            ("post_id", Some(post_id.to_string())),
            ("comment_id", c.text_of("wp:comment_id")),
            ("commenter_handle", c.text_of("wp:comment_author")),
            (
                "text",
                c.text_of("wp:comment_content").map(|t| comment_text(&t)),
            ),
            ("commented_at", at),
            ("reply_to", reply_to),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::parse;

    fn cell<'a>(r: &'a NativeRow, name: &str) -> Option<&'a str> {
        let i = r
            .table
            .columns()
            .iter()
            .position(|c| c.name == name)
            .unwrap();
        r.values[i].as_deref()
    }

    #[test]
    fn rss_items_are_posts_of_the_channels_blog() {
        let doc = parse(r#"<rss version="2.0" xmlns:slash="http://purl.org/rss/1.0/modules/slash/"><channel><title>Calm Kids</title><link>https://www.calmkids.example/</link><description>Parenting &amp; feelings</description><item><title>Big feelings</title><link>https://calmkids.example/big</link><guid isPermaLink="false">https://calmkids.example/?p=7</guid><pubDate>Mon, 06 Sep 2021 16:45:00 +0000</pubDate><category>Toddlers</category><description><![CDATA[<p>When the <b>storm</b> comes</p>]]></description><slash:comments>12</slash:comments></item><item><title>No count</title><link>https://calmkids.example/x</link><pubDate>bad date</pubDate></item></channel></rss>"#).unwrap();
        assert_eq!(detect(&doc), Some(Adapter::Rss));
        let (rows, rejects) = map(Adapter::Rss, &doc);
        assert!(rejects.is_empty());
        assert_eq!(rows.len(), 3);
        assert_eq!(cell(&rows[0], "account_id"), Some("calmkids.example"));
        assert_eq!(cell(&rows[0], "bio"), Some("Parenting & feelings"));
        assert_eq!(cell(&rows[0], "followers"), None);
        assert_eq!(
            cell(&rows[1], "post_id"),
            Some("https://calmkids.example/?p=7")
        );
        assert_eq!(
            cell(&rows[1], "posted_at"),
            Some("2021-09-06T16:45:00+00:00")
        );
        assert_eq!(cell(&rows[1], "comments"), Some("12"));
        assert_eq!(cell(&rows[1], "likes"), None);
        assert_eq!(
            cell(&rows[1], "caption"),
            Some("Big feelings\nWhen the storm comes #Toddlers")
        );
        // No slash:comments: unavailable, not zero; a bad date passes on to validation.
        assert_eq!(cell(&rows[2], "comments"), None);
        assert_eq!(
            cell(&rows[2], "post_id"),
            Some("https://calmkids.example/x")
        );
        assert_eq!(cell(&rows[2], "posted_at"), Some("bad date"));
    }

    #[test]
    fn a_feed_without_its_blogs_address_is_one_rejected_account() {
        let doc =
            parse("<rss><channel><title>x</title><item><title>a</title></item></channel></rss>")
                .unwrap();
        let (rows, rejects) = map(Adapter::Rss, &doc);
        assert!(rows.is_empty());
        assert_eq!(rejects.len(), 2);
        assert!(
            rejects[0].reason.contains("address"),
            "{}",
            rejects[0].reason
        );
        assert_eq!((rejects[1].table, rejects[1].record), (Table::Posts, 0));
        let (_, rejects) = map(Adapter::Atom, &doc);
        assert!(
            rejects[0].reason.contains("root <rss>"),
            "{}",
            rejects[0].reason
        );
    }

    /// Two items of a real WordPress comments feed (tests/fixtures/native/comments/wordpress,
    /// shortened): a reply and the comment it answers.
    #[test]
    fn a_comments_feed_gives_comments_with_their_replies() {
        let doc = parse(r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
	<title>
	Comments on: Battlefield Anomalies &#8211; Home	</title>
	<link>https://battlefieldanomalies.com</link>
	<item>
		<title>
		By: Graham Morris		</title>
		<link>https://battlefieldanomalies.com/comment-page-1/#comment-210335</link>
		<dc:creator><![CDATA[Graham Morris]]></dc:creator>
		<pubDate>Tue, 11 Nov 2025 07:46:27 +0000</pubDate>
		<guid isPermaLink="false">https://battlefieldanomalies.com/?page_id=1073#comment-210335</guid>
		<description><![CDATA[In reply to &lt;a href=&quot;https://battlefieldanomalies.com/comment-page-1/#comment-210324&quot;&gt;Brett Bentley-Leek&lt;/a&gt;.

Thanks for contacting me Brett.]]></description>
		<content:encoded><![CDATA[<p>In reply to <a href="https://battlefieldanomalies.com/comment-page-1/#comment-210324">Brett Bentley-Leek</a>.</p>
<p>Thanks for contacting me Brett.</p>
]]></content:encoded>
	</item>
	<item>
		<title>
		By: Brett Bentley-Leek		</title>
		<link>https://battlefieldanomalies.com/comment-page-1/#comment-210324</link>
		<dc:creator><![CDATA[Brett Bentley-Leek]]></dc:creator>
		<pubDate>Mon, 10 Nov 2025 20:03:33 +0000</pubDate>
		<guid isPermaLink="false">https://battlefieldanomalies.com/?page_id=1073#comment-210324</guid>
		<description><![CDATA[Dear Graham . Good to meet you briefly !]]></description>
		<content:encoded><![CDATA[<p>Dear Graham . Good to meet you briefly !</p>
]]></content:encoded>
	</item>
</channel>
</rss>"#).unwrap();
        let (rows, rejects) = map(Adapter::Rss, &doc);
        assert!(rejects.is_empty(), "{rejects:?}");
        assert!(
            rows.iter().all(|r| r.table == Table::Comments),
            "no account row"
        );
        let got: Vec<Vec<Option<&str>>> = rows
            .iter()
            .map(|r| {
                [
                    "post_id",
                    "comment_id",
                    "commenter_handle",
                    "text",
                    "commented_at",
                    "reply_to",
                ]
                .iter()
                .map(|c| cell(r, c))
                .collect()
            })
            .collect();
        assert_eq!(
            got,
            [
                vec![
                    Some("https://battlefieldanomalies.com/?page_id=1073"),
                    Some("210335"),
                    Some("Graham Morris"),
                    Some("Thanks for contacting me Brett."),
                    Some("2025-11-11T07:46:27+00:00"),
                    Some("210324"),
                ],
                vec![
                    Some("https://battlefieldanomalies.com/?page_id=1073"),
                    Some("210324"),
                    Some("Brett Bentley-Leek"),
                    Some("Dear Graham . Good to meet you briefly !"),
                    Some("2025-11-10T20:03:33+00:00"),
                    None,
                ],
            ]
        );
    }

    #[test]
    fn comment_feed_edges() {
        // A link to an article is not a reply: the text stays whole.
        let html = "In reply to <a href=\"https://news.example/x\">this article</a>, I agree.";
        assert_eq!(reply_prefix(html), (None, html));
        assert_eq!(
            reply_prefix(
                "<p>In reply to <a href=\"https://b.example/p/#comment-9\">Ann</a>.</p>\n<p>Yes!</p>"
            ),
            (Some("9".to_string()), "\n<p>Yes!</p>")
        );
        // Without a guid, the post is the comment's address without its comments page.
        assert_eq!(
            without_comment_page("https://b.example/bedtime/comment-page-2/"),
            "https://b.example/bedtime/"
        );
        assert_eq!(
            without_comment_page("https://b.example/bedtime/"),
            "https://b.example/bedtime/"
        );
        assert_eq!(
            without_comment_page("https://b.example/comment-page-x/"),
            "https://b.example/comment-page-x/"
        );
        let doc = parse(r#"<rss version="2.0"><channel><title>Comments on: Bedtime</title><link>https://b.example</link><item><link>https://b.example/bedtime/comment-page-2/#comment-7</link><pubDate>Mon, 02 Nov 2026 10:00:00 +0000</pubDate><description>Lovely</description></item></channel></rss>"#).unwrap();
        let (rows, rejects) = map(Adapter::Rss, &doc);
        assert!(rejects.is_empty());
        assert_eq!(
            cell(&rows[0], "post_id"),
            Some("https://b.example/bedtime/")
        );
        assert_eq!(cell(&rows[0], "comment_id"), Some("7"));
        // An empty comments feed is no account.
        let doc = parse(r#"<rss version="2.0"><channel><title>Comments for Calm Kids</title><link>https://b.example</link></channel></rss>"#).unwrap();
        let (rows, rejects) = map(Adapter::Rss, &doc);
        assert!(rows.is_empty() && rejects.is_empty(), "{rows:?}");
    }
}
