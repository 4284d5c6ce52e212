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
    rows.push(row(
        Table::Posts,
        record,
        post,
        &[
            ("platform", Some("instagram".into())),
            ("account_id", owner),
            (
                "post_id",
                scalar(post.get("id")).or_else(|| scalar(post.get("shortCode"))),
            ),
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
    }
}

/// A like or comment count where -1 means hidden (Instaloader's convention).
fn hidden_if_negative(v: Option<String>) -> Option<String> {
    v.filter(|x| x != "-1")
}

fn ig_post(node: &Value, owner: Option<String>, record: u64, rows: &mut Vec<NativeRow>) {
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

pub(super) fn instagram_web(item: &Value, record: u64, rows: &mut Vec<NativeRow>) {
    // Unwrap the Instaloader wrapper and the web profile response.
    let node = item
        .get("node")
        .or_else(|| item.pointer("/graphql/user"))
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
