//! Instagram: the Apify scraper's items, Instagram's web JSON (and Instaloader's wrapper of
//! it) and the "Download your information" follower lists.

use microscout_model::schema::Table;
use serde_json::Value;

use super::{NativeReject, NativeRow, array_or_one, count_at, media_of, row, scalar};

fn apify_media(post: &Value) -> Option<String> {
    if post.get("productType").and_then(Value::as_str) == Some("clips") {
        return Some("reel".into());
    }
    post.get("type")
        .and_then(Value::as_str)
        .map(|t| match t.to_ascii_lowercase().as_str() {
            "sidecar" => "carousel".to_string(),
            other => other.to_string(),
        })
}

/// Apify reports a hidden like count as null or -1.
pub(super) fn apify_likes(post: &Value) -> Option<String> {
    match post.get("likesCount") {
        Some(Value::Number(n)) if n.as_i64() == Some(-1) => None,
        other => scalar(other),
    }
}

fn apify_post(post: &Value, owner: Option<String>, record: u64, rows: &mut Vec<NativeRow>) {
    let owner = scalar(post.get("ownerId")).or(owner);
    let post_id = scalar(post.get("id")).or_else(|| scalar(post.get("shortCode")));
    if let Some(id) = &post_id {
        // The 2022+ items carry `latestComments` and `topComments` (often the same ones:
        // duplicates are quarantined as such); the legacy items `latestComments` without ids.
        for key in ["latestComments", "topComments"] {
            for (n, c) in post
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                ig_comment(c, id, n, None, record, rows, 0);
            }
        }
    }
    rows.push(row(
        Table::Posts,
        record,
        post,
        &[
            ("platform", Some("instagram".into())),
            ("account_id", owner),
            ("post_id", post_id),
            ("posted_at", scalar(post.get("timestamp"))),
            ("likes", apify_likes(post)),
            ("comments", scalar(post.get("commentsCount"))),
            ("views", scalar(post.get("videoViewCount"))),
            ("caption", scalar(post.get("caption"))),
            ("media_type", apify_media(post)),
        ],
    ));
}

pub(super) fn apify(item: &Value, record: u64, rows: &mut Vec<NativeRow>) {
    if item.get("username").is_some() && item.get("followersCount").is_some() {
        let id = scalar(item.get("id")).or_else(|| scalar(item.get("username")));
        rows.push(row(
            Table::Accounts,
            record,
            item,
            &[
                ("platform", Some("instagram".into())),
                ("account_id", id.clone()),
                ("handle", scalar(item.get("username"))),
                ("display_name", scalar(item.get("fullName"))),
                ("bio", scalar(item.get("biography"))),
                ("followers", scalar(item.get("followersCount"))),
                ("following", scalar(item.get("followsCount"))),
                ("posts_count", scalar(item.get("postsCount"))),
                ("is_verified", scalar(item.get("verified"))),
                ("is_private", scalar(item.get("private"))),
                ("is_business", scalar(item.get("isBusinessAccount"))),
                ("category", scalar(item.get("businessCategoryName"))),
                ("external_url", scalar(item.get("externalUrl"))),
                ("public_email", scalar(item.get("businessEmail"))),
            ],
        ));
        if let Some(Value::Array(posts)) = item.get("latestPosts") {
            for p in posts.iter().filter(|p| p.is_object()) {
                apify_post(p, id.clone(), record, rows);
            }
        }
    } else if item.get("shortCode").is_some() && item.get("ownerId").is_some() {
        apify_post(item, None, record, rows);
    } else if let Some(post) = apify_comment_post(item) {
        // The comment scraper's items: one comment each, naming its post by short code (the
        // legacy `postId`) or address (`postUrl`).
        ig_comment(item, &post, 0, None, record, rows, 0);
    }
}

/// The post an Apify comment item belongs to, as the posts' id: the numeric media id that
/// its short code encodes (`postId` of the legacy items, the `/p/<code>/` of `postUrl`).
fn apify_comment_post(item: &Value) -> Option<String> {
    item.get("text")?;
    let code = match item.get("postId").and_then(Value::as_str) {
        Some(code) => code.to_string(),
        None => {
            let url = item.get("postUrl").and_then(Value::as_str)?;
            let rest = url
                .split_once("/p/")
                .or_else(|| url.split_once("/reel/"))?
                .1;
            rest.split(['/', '?']).next()?.to_string()
        }
    };
    Some(media_id(&code).map_or(code, |id| id.to_string()))
}

/// The numeric media id an Instagram short code encodes (base 64 over `A-Za-z0-9-_`, most
/// significant digit first): `B27C4aRBfet` is media 2142318720331413421, as the posts'
/// `id` next to `shortCode` in every Apify fixture shows. None for a code that is not one
/// (a longer one, as private posts have, does not fit).
pub(super) fn media_id(code: &str) -> Option<u64> {
    if code.is_empty() || code.len() > 11 {
        return None;
    }
    code.bytes().try_fold(0u64, |n, b| {
        let digit = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        n.checked_mul(64)?.checked_add(u64::from(digit))
    })
}

/// Deepest replies followed under an Instagram comment (replies of replies are rare; a
/// bound keeps a hostile document from recursing).
const MAX_REPLY_DEPTH: usize = 4;

/// One Instagram comment (and its replies) as comments rows, from any export's shape: the
/// Apify scrapers' (`ownerUsername`, `timestamp`, `likesCount`, `replies`) and the web
/// JSON's that Apify's 2022 `topComments` and Instaloader carry (`owner.username`,
/// `created_at`, `edge_liked_by.count`, `edge_threaded_comments.edges[].node`, or
/// Instaloader's `likes_count` and `answers`). A comment without an id (legacy
/// `latestComments`) is `<post_id>:<n>`, its place in the list; `depth` is 0 for a
/// comment, one more for each level of replies.
pub(super) fn ig_comment(
    c: &Value,
    post_id: &str,
    n: usize,
    parent: Option<&str>,
    record: u64,
    rows: &mut Vec<NativeRow>,
    depth: usize,
) {
    let c = c.get("node").unwrap_or(c);
    if !c.is_object() {
        return;
    }
    let handle = scalar(c.get("ownerUsername"))
        .or_else(|| scalar(c.pointer("/owner/username")))
        .or_else(|| scalar(c.pointer("/user/username")));
    let at = scalar(c.get("timestamp")).or_else(|| scalar(c.get("created_at")));
    let text = scalar(c.get("text"));
    // A comment without an id (legacy Apify items, some `topComments`) is named by what it
    // is: its post (or parent), author, time and text. The same comment listed twice (in
    // `latestComments` and `topComments`) gets the same name and is quarantined as a
    // duplicate; two different comments at the same place in two lists do not collide.
    // Without author, time and text, its place in the list is all there is.
    let id = scalar(c.get("id")).unwrap_or_else(|| {
        let under = parent.unwrap_or(post_id);
        if handle.is_none() && at.is_none() && text.is_none() {
            return format!("{under}:{n}");
        }
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for part in [&handle, &at, &text] {
            let part = part.as_deref().unwrap_or_default();
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        format!("{under}:h{:016x}", h.digest())
    });
    let likes = scalar(c.get("likesCount"))
        .or_else(|| count_at(c, "/edge_liked_by/count"))
        .or_else(|| scalar(c.get("likes_count")));
    rows.push(row(
        Table::Comments,
        record,
        c,
        &[
            ("platform", Some("instagram".into())),
            ("post_id", Some(post_id.to_string())),
            ("comment_id", Some(id.clone())),
            ("commenter_handle", handle),
            ("text", text),
            ("commented_at", at),
            ("likes", hidden_if_negative(likes)),
            ("reply_to", parent.map(String::from)),
        ],
    ));
    if depth >= MAX_REPLY_DEPTH {
        return;
    }
    let replies = c
        .get("replies")
        .or_else(|| c.get("answers"))
        .or_else(|| c.pointer("/edge_threaded_comments/edges"))
        .and_then(Value::as_array);
    for (k, r) in replies.into_iter().flatten().enumerate() {
        ig_comment(r, post_id, k, Some(&id), record, rows, depth + 1);
    }
}

/// A like or comment count where -1 means hidden (Instaloader's convention).
fn hidden_if_negative(v: Option<String>) -> Option<String> {
    v.filter(|x| x != "-1")
}

fn ig_post(node: &Value, owner: Option<String>, record: u64, rows: &mut Vec<NativeRow>) {
    if let Some(id) = scalar(node.get("id")) {
        for key in [
            "/edge_media_to_parent_comment/edges",
            "/edge_media_to_comment/edges",
        ] {
            if let Some(edges) = node.pointer(key).and_then(Value::as_array) {
                for (n, e) in edges.iter().enumerate() {
                    ig_comment(e, &id, n, None, record, rows, 0);
                }
                break;
            }
        }
    }
    let likes = count_at(node, "/edge_media_preview_like/count")
        .or_else(|| count_at(node, "/edge_liked_by/count"));
    let comments = count_at(node, "/edge_media_to_comment/count")
        .or_else(|| count_at(node, "/edge_media_to_parent_comment/count"));
    let media = media_of(
        node,
        "__typename",
        &[
            ("GraphImage", "image"),
            ("GraphVideo", "video"),
            ("GraphSidecar", "carousel"),
        ],
        "post",
    );
    rows.push(row(
        Table::Posts,
        record,
        node,
        &[
            ("platform", Some("instagram".into())),
            ("account_id", count_at(node, "/owner/id").or(owner)),
            ("post_id", scalar(node.get("id"))),
            ("posted_at", scalar(node.get("taken_at_timestamp"))),
            ("likes", hidden_if_negative(likes)),
            ("comments", hidden_if_negative(comments)),
            ("views", scalar(node.get("video_view_count"))),
            (
                "caption",
                scalar(node.pointer("/edge_media_to_caption/edges/0/node/text")),
            ),
            ("media_type", media),
        ],
    ));
}

/// Whether a record is an Instaloader comment (`*_comments.json`: `id`, `created_at`,
/// `text`, `owner`, and `likes_count` or `answers`), which names no post: its post is the
/// one of the file beside it ([`INSTALOADER_POST_UNKNOWN`]).
pub fn is_instaloader_comment(v: &Value) -> bool {
    v.get("created_at").is_some()
        && v.get("text").is_some()
        && v.get("owner").is_some()
        && (v.get("likes_count").is_some() || v.get("answers").is_some())
        && v.get("taken_at_timestamp").is_none()
}

/// The post_id an Instaloader comment is given by the adapter: empty, for ingestion to name
/// from the post file beside the comments file (`<post>_comments.json` next to
/// `<post>.json`).
pub const INSTALOADER_POST_UNKNOWN: &str = "";

pub(super) fn instagram_web(item: &Value, record: u64, rows: &mut Vec<NativeRow>) {
    if is_instaloader_comment(item) {
        ig_comment(item, INSTALOADER_POST_UNKNOWN, 0, None, record, rows, 0);
        return;
    }
    // Unwrap the Instaloader wrapper, the web profile response and a post's page.
    let node = item
        .get("node")
        .or_else(|| item.pointer("/graphql/user"))
        .or_else(|| item.pointer("/graphql/shortcode_media"))
        .or_else(|| item.pointer("/data/shortcode_media"))
        .unwrap_or(item);
    if node.get("username").is_some() && node.get("edge_followed_by").is_some() {
        let id = scalar(node.get("id")).or_else(|| scalar(node.get("username")));
        rows.push(row(
            Table::Accounts,
            record,
            node,
            &[
                ("platform", Some("instagram".into())),
                ("account_id", id.clone()),
                ("handle", scalar(node.get("username"))),
                ("display_name", scalar(node.get("full_name"))),
                ("bio", scalar(node.get("biography"))),
                ("followers", count_at(node, "/edge_followed_by/count")),
                ("following", count_at(node, "/edge_follow/count")),
                (
                    "posts_count",
                    count_at(node, "/edge_owner_to_timeline_media/count"),
                ),
                ("is_verified", scalar(node.get("is_verified"))),
                ("is_private", scalar(node.get("is_private"))),
                ("is_business", scalar(node.get("is_business_account"))),
                (
                    "category",
                    scalar(node.get("business_category_name"))
                        .or_else(|| scalar(node.get("category_name"))),
                ),
                ("external_url", scalar(node.get("external_url"))),
                ("public_email", scalar(node.get("business_email"))),
            ],
        ));
        if let Some(Value::Array(edges)) = node.pointer("/edge_owner_to_timeline_media/edges") {
            for e in edges {
                if let Some(p) = e.get("node") {
                    ig_post(p, id.clone(), record, rows);
                }
            }
        }
    } else if node.get("taken_at_timestamp").is_some() {
        ig_post(node, None, record, rows);
    }
}

pub(super) fn instagram_export(
    doc: &Value,
    followers_of: Option<&(String, String)>,
    rows: &mut Vec<NativeRow>,
    rejects: &mut Vec<NativeReject>,
) {
    // Lists other than followers: {"relationships_following": [...]} and the like.
    if let Some((key, list)) = doc
        .as_object()
        .filter(|o| o.len() == 1)
        .and_then(|o| o.iter().next())
        .filter(|(k, _)| k.starts_with("relationships_"))
    {
        for (i, item) in list.as_array().into_iter().flatten().enumerate() {
            rejects.push(NativeReject {
                table: Table::Followers,
                record: i as u64,
                reason: format!(
                    "an Instagram export's `{key}` list, not the account's followers; only followers_N.json is a follower sample"
                ),
                raw: item.to_string(),
            });
        }
        return;
    }
    let items = array_or_one(doc);
    for (i, item) in items.into_iter().enumerate() {
        let record = i as u64;
        if item.get("label_values").is_some() {
            rejects.push(NativeReject {
                table: Table::Followers,
                record,
                reason: "an Instagram export's follow-request list, not the account's followers"
                    .into(),
                raw: item.to_string(),
            });
            continue;
        }
        let entry = item.pointer("/string_list_data/0");
        let handle = entry
            .and_then(|e| scalar(e.get("value")))
            .or_else(|| scalar(item.get("title")).filter(|t| !t.is_empty()))
            .or_else(|| {
                entry
                    .and_then(|e| e.get("href"))
                    .and_then(Value::as_str)
                    .and_then(|h| h.trim_end_matches('/').rsplit('/').next())
                    .map(String::from)
            });
        let Some((platform, account)) = followers_of else {
            rejects.push(NativeReject {
                table: Table::Followers,
                record,
                reason: "an Instagram followers export does not name the account it belongs to: \
                         add `[ingest] followers-exports = { \"<file name>\" = \"instagram:<account_id>\" }` \
                         to the campaign file"
                    .into(),
                raw: item.to_string(),
            });
            continue;
        };
        rows.push(row(
            Table::Followers,
            record,
            item,
            &[
                ("platform", Some(platform.clone())),
                ("account_id", Some(account.clone())),
                ("follower_handle", handle),
            ],
        ));
    }
}
