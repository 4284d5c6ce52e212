//! Blogs' XML exports: RSS 2.0 (and RSS 1.0) feeds, Atom feeds and WordPress's WXR export,
//! each a blog account (record 0 of the accounts table) and its posts (record i = the i-th
//! item or entry of the document).

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

fn rss(root: &Element, rows: &mut Vec<NativeRow>, rejects: &mut Vec<NativeReject>) {
    let empty = Element::default();
    let channel = root.child("channel").unwrap_or(&empty);
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
        if link.as_deref().is_some_and(|l| l.contains("#comment-")) {
            reject(
                rejects,
                record,
                item,
                "a comment of a WordPress comments feed (wfw:commentRss), not a post: a blog's \
                 comments are counted from its posts' slash:comments"
                    .into(),
            );
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
}
