//! The WordPress REST API: the site index (`/wp-json`), posts (`/wp-json/wp/v2/posts`, with
//! `_embed` or without), comments (`/wp-json/wp/v2/comments`) and users (`/wp/v2/users`).
//!
//! A blog's account id is its address ([`super::blog::site_id`]), so the REST API, the RSS
//! feed and the WXR export of one blog name one account; a post's id is its `guid` (the
//! `?p=` address WordPress also writes in its feeds and exports).

use microscout_model::schema::Table;
use serde_json::Value;

use super::blog::{account_row, caption, comment_text, site_id};
use super::{NativeReject, NativeRow, row, scalar};

/// Comments on the first page that `_embed` gives of a post's replies (the REST API's default
/// `per_page`).
const REPLIES_PAGE: usize = 10;

fn rendered(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(|x| x.get("rendered").or(Some(x)))
        .and_then(Value::as_str)
        .map(String::from)
}

fn is_post(v: &Value) -> bool {
    v.get("date_gmt").is_some() && v.get("title").is_some() && v.get("type").is_some()
}

fn is_comment(v: &Value) -> bool {
    v.get("post").is_some() && v.get("author_name").is_some() && v.get("content").is_some()
}

fn is_user(v: &Value) -> bool {
    v.get("slug").is_some() && v.get("avatar_urls").is_some() && v.get("name").is_some()
}

fn is_index(v: &Value) -> bool {
    v.get("namespaces").is_some() && v.get("home").is_some() && v.get("name").is_some()
}

/// Is this document a WordPress REST API response?
pub(super) fn detects(doc: &Value) -> bool {
    is_index(doc)
        || doc
            .as_array()
            .and_then(|a| a.first())
            .is_some_and(|f| is_post(f) || is_comment(f) || is_user(f))
}

/// The blog a REST object belongs to: the part of its API link before `/wp-json`, else of its
/// `guid` before `?p=`, else the host of its address (a post's link has the post's path).
fn site_of(v: &Value) -> Option<String> {
    v.pointer("/_links/self/0/href")
        .and_then(Value::as_str)
        .filter(|h| h.contains("/wp-json"))
        .and_then(site_id)
        .or_else(|| {
            rendered(v, "guid")
                .filter(|g| g.contains("?p="))
                .as_deref()
                .and_then(site_id)
        })
        .or_else(|| {
            let link = v.get("link").and_then(Value::as_str)?;
            let (scheme, rest) = link.split_once("://")?;
            let host = rest.split('/').next()?;
            site_id(&format!("{scheme}://{host}"))
        })
}

/// A `wp/v2/comments` item as a comments row. Its post is named as the posts are, by the
/// `guid` WordPress gives a post: the site's address (from the comment's `_links.up`, else
/// its `link`) with `?p=` and the comment's `post`. Only readers' approved comments are
/// comments (pingbacks and trackbacks are not; the REST API lists only approved ones to the
/// public).
fn comment(c: &Value, record: u64) -> Result<NativeRow, String> {
    let kind = c.get("type").and_then(Value::as_str).unwrap_or("comment");
    if kind != "comment" {
        return Err(format!(
            "a WordPress `{kind}`, not a reader's comment: pingbacks and trackbacks are links from other sites"
        ));
    }
    let status = c
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or("approved");
    if status != "approved" {
        return Err(format!(
            "a WordPress comment with status `{status}`, not approved"
        ));
    }
    let absolute = |u: &str| u.starts_with("http://") || u.starts_with("https://");
    let base = c
        .pointer("/_links/up/0/href")
        .and_then(Value::as_str)
        .filter(|h| absolute(h))
        .and_then(|h| h.split("/wp-json").next())
        .map(String::from)
        .or_else(|| {
            let link = c
                .get("link")
                .and_then(Value::as_str)
                .filter(|l| absolute(l))?;
            let (scheme, rest) = link.split_once("://")?;
            Some(format!("{scheme}://{}", rest.split('/').next()?))
        });
    let (Some(base), Some(post)) = (base, scalar(c.get("post"))) else {
        return Err(
            "a WordPress comment whose post cannot be named: its links are relative (`link`, `_links.up`), so the blog's address is unknown"
                .into(),
        );
    };
    Ok(row(
        Table::Comments,
        record,
        c,
        &[
            ("platform", Some("blog".into())),
            ("post_id", Some(format!("{base}/?p={post}"))),
            ("comment_id", scalar(c.get("id"))),
            ("commenter_handle", scalar(c.get("author_name"))),
            ("text", rendered(c, "content").map(|t| comment_text(&t))),
            // UTC without a zone, read as UTC.
            ("commented_at", scalar(c.get("date_gmt"))),
            ("reply_to", scalar(c.get("parent")).filter(|p| p != "0")),
        ],
    ))
}

/// Maps a REST response: the index is the blog's account; posts are its posts (and name its
/// account, once per file); comments are comments of their posts; users are quarantined
/// saying why (a user is an author, not the blog).
pub(super) fn wordpress(doc: &Value, rows: &mut Vec<NativeRow>, rejects: &mut Vec<NativeReject>) {
    if is_index(doc) {
        let url = scalar(doc.get("home")).or_else(|| scalar(doc.get("url")));
        let fields = [
            ("display_name", scalar(doc.get("name"))),
            ("bio", scalar(doc.get("description"))),
            ("external_url", url.clone()),
        ];
        match url.as_deref().and_then(site_id) {
            Some(id) => rows.push(account_row(0, doc.to_string(), id, &fields)),
            None => rejects.push(NativeReject::new(
                Table::Accounts,
                0,
                "the WordPress site index gives no address of the blog (`home`, `url`): the blog's account id is its address",
                doc.to_string(),
            )),
        }
        return;
    }
    let Some(items) = doc.as_array() else {
        return;
    };
    let mut sites = std::collections::HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let record = i as u64;
        if is_comment(item) {
            match comment(item, record) {
                Ok(c) => rows.push(c),
                Err(reason) => rejects.push(NativeReject::new(
                    Table::Comments,
                    record,
                    reason,
                    item.to_string(),
                )),
            }
            continue;
        }
        if is_user(item) {
            rejects.push(NativeReject::new(
                Table::Accounts,
                record,
                "a WordPress user (wp/v2/users): one of the blog's authors, not the blog; \
                         the blog's account comes from its site index (/wp-json), feed or posts",
                item.to_string(),
            ));
            continue;
        }
        if !is_post(item) {
            rejects.push(NativeReject::new(
                Table::Posts,
                record,
                format!("record {record} is not a post of the WordPress REST API"),
                item.to_string(),
            ));
            continue;
        }
        let status = item
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or("publish");
        let kind = item.get("type").and_then(Value::as_str).unwrap_or("post");
        if status != "publish" || kind != "post" {
            rejects.push(NativeReject::new(
                Table::Posts,
                record,
                format!("a WordPress `{kind}` with status `{status}`, not a published blog post"),
                item.to_string(),
            ));
            continue;
        }
        // With `_embed`, `replies[0]` holds the post's approved comments, but only their first
        // page (WordPress's default page of 10): fewer than a page is the count, a full page
        // is "10 or more", unavailable. Without `_embed` the REST API gives no count.
        let comments = item
            .pointer("/_embedded/replies/0")
            .and_then(Value::as_array)
            .filter(|c| c.len() < REPLIES_PAGE)
            .map(|c| {
                c.iter()
                    .filter(|x| {
                        x.get("type").and_then(Value::as_str).unwrap_or("comment") == "comment"
                    })
                    .count()
                    .to_string()
            });
        let terms: Vec<String> = item
            .pointer("/_embedded/wp:term")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .filter_map(|t| t.get("name").and_then(Value::as_str).map(String::from))
            .collect();
        let body = rendered(item, "excerpt")
            .filter(|e| !e.trim().is_empty())
            .or_else(|| rendered(item, "content"));
        // `date_gmt` is UTC without a zone, which validation reads as UTC as it is.
        let date = scalar(item.get("date_gmt"));
        let site = site_of(item);
        // The posts name their blog: its account, once per file, implied (a blog has no
        // follower count; its name comes with the site index or the feed, when the drop has
        // them, and then this row is not read).
        if let Some(s) = site.as_ref().filter(|s| sites.insert(s.to_string())) {
            rows.push(
                account_row(
                    record,
                    item.to_string(),
                    s.clone(),
                    &[("external_url", Some(format!("https://{s}")))],
                )
                .implied(),
            );
        }
        rows.push(row(
            Table::Posts,
            record,
            item,
            &[
                ("platform", Some("blog".into())),
                ("account_id", site),
                (
                    "post_id",
                    rendered(item, "guid").or_else(|| scalar(item.get("link"))),
                ),
                ("posted_at", date),
                ("comments", comments),
                (
                    "caption",
                    caption(rendered(item, "title").as_deref(), body.as_deref(), &terms),
                ),
                ("media_type", Some("article".into())),
            ],
        ));
    }
}
