//! Adapters for the native exports people have, detected from the file's content: each
//! maps a JSON document onto rows of the canonical tables, which then go through the same
//! validation and quarantine as canonical files.
//!
//! The field-by-field mapping of every adapter is one table in `docs/adapters.md`; keep it in
//! step with the code below.

use microscout_model::schema::Table;
use serde_json::Value;

/// The adapters, by the name the manifest records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adapter {
    ApifyInstagram,
    YoutubeApi,
    InstagramWeb,
    Tiktok,
    InstagramExport,
}

impl Adapter {
    pub fn as_str(self) -> &'static str {
        match self {
            Adapter::ApifyInstagram => "apify-instagram",
            Adapter::YoutubeApi => "youtube-api",
            Adapter::InstagramWeb => "instagram-web",
            Adapter::Tiktok => "tiktok",
            Adapter::InstagramExport => "instagram-export",
        }
    }

    pub const ALL: [Adapter; 5] = [
        Adapter::ApifyInstagram,
        Adapter::YoutubeApi,
        Adapter::InstagramWeb,
        Adapter::Tiktok,
        Adapter::InstagramExport,
    ];

    pub fn parse(name: &str) -> Option<Adapter> {
        Self::ALL.into_iter().find(|a| a.as_str() == name.trim())
    }
}

/// One canonical row from a native record.
#[derive(Debug, Clone)]
pub struct NativeRow {
    pub table: Table,
    /// Index of the record in the file (items of a top-level array, else 0).
    pub record: u64,
    /// One value per canonical column of `table`.
    pub values: Vec<Option<String>>,
    pub raw: String,
}

/// A record the adapter could not map, with the reason.
#[derive(Debug, Clone)]
pub struct NativeReject {
    /// The table the record would have fed.
    pub table: Table,
    pub record: u64,
    pub reason: String,
    pub raw: String,
}

fn items(doc: &Value) -> Vec<&Value> {
    match doc {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => match o.get("items") {
            Some(Value::Array(a)) => a.iter().collect(),
            _ => vec![doc],
        },
        _ => Vec::new(),
    }
}

/// Which adapter reads this document, if any.
pub fn detect(doc: &Value) -> Option<Adapter> {
    let kind = doc.get("kind").and_then(Value::as_str).unwrap_or_default();
    if kind.starts_with("youtube#") {
        return Some(Adapter::YoutubeApi);
    }
    if doc.pointer("/graphql/user").is_some() || doc.get("instaloader").is_some() {
        return Some(Adapter::InstagramWeb);
    }
    if (doc.get("unique_id").is_some() && doc.get("follower_count").is_some())
        || (doc.get("authorMeta").is_some() && doc.get("diggCount").is_some())
        || doc.get("total_followers").is_some()
        || doc
            .get("media")
            .and_then(Value::as_array)
            .and_then(|m| m.first())
            .is_some_and(|m| m.get("video_id").is_some() && m.get("author").is_some())
    {
        return Some(Adapter::Tiktok);
    }
    if doc
        .as_array()
        .and_then(|a| a.first())
        .is_some_and(|first| first.pointer("/node/taken_at_timestamp").is_some())
    {
        return Some(Adapter::InstagramWeb);
    }
    let is_export_item =
        |v: &Value| v.get("string_list_data").is_some() || v.get("label_values").is_some();
    if is_export_item(doc)
        || doc
            .as_array()
            .and_then(|a| a.first())
            .is_some_and(is_export_item)
        || doc
            .as_object()
            .is_some_and(|o| o.len() == 1 && o.keys().all(|k| k.starts_with("relationships_")))
    {
        return Some(Adapter::InstagramExport);
    }
    let first = items(doc).into_iter().find(|v| v.is_object())?;
    let has = |k: &str| first.get(k).is_some();
    let item_kind = first
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if item_kind.starts_with("youtube#") || first.pointer("/id/videoId").is_some() {
        return Some(Adapter::YoutubeApi);
    }
    if (has("username") && has("followersCount"))
        || (has("shortCode") && has("ownerId"))
        || (has("postId") && has("ownerUsername"))
        || has("#debug")
    {
        return Some(Adapter::ApifyInstagram);
    }
    None
}

/// Text for a JSON scalar: strings as they are, numbers and booleans as written.
fn scalar(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn row(table: Table, record: u64, raw: &Value, fields: &[(&str, Option<String>)]) -> NativeRow {
    let values = table
        .columns()
        .iter()
        .map(|c| {
            fields
                .iter()
                .find(|(name, _)| *name == c.name)
                .and_then(|(_, v)| v.clone())
        })
        .collect();
    NativeRow {
        table,
        record,
        values,
        raw: raw.to_string(),
    }
}

/// Maps a document with `adapter` into canonical rows and rejected records.
pub fn map(
    adapter: Adapter,
    doc: &Value,
    followers_of: Option<&(String, String)>,
) -> (Vec<NativeRow>, Vec<NativeReject>) {
    let mut rows = Vec::new();
    let mut rejects = Vec::new();
    if adapter == Adapter::Tiktok {
        tiktok(doc, &mut rows, &mut rejects);
        return (rows, rejects);
    }
    if adapter == Adapter::InstagramExport {
        instagram_export(doc, followers_of, &mut rows, &mut rejects);
        return (rows, rejects);
    }
    for (i, item) in items(doc).into_iter().enumerate() {
        let record = i as u64;
        if !item.is_object() {
            rejects.push(NativeReject {
                table: Table::Accounts,
                record,
                reason: "not a JSON object".into(),
                raw: item.to_string(),
            });
            continue;
        }
        let before = rows.len();
        match adapter {
            Adapter::ApifyInstagram => apify(item, record, &mut rows),
            Adapter::YoutubeApi => youtube(item, record, &mut rows),
            Adapter::InstagramWeb => instagram_web(item, record, &mut rows),
            Adapter::Tiktok | Adapter::InstagramExport => {
                unreachable!("mapped whole above")
            }
        }
        if rows.len() == before {
            let kind = item.get("kind").and_then(Value::as_str).unwrap_or_default();
            let reason = if adapter == Adapter::ApifyInstagram && item.get("postId").is_some() {
                "an Apify comment item: comments count per post (commentsCount); comment items are not read".to_string()
            } else if kind == "youtube#commentThread" {
                "a YouTube comment thread: comments count per video (videos.list statistics); threads are not read".to_string()
            } else if item.pointer("/id/videoId").is_some() || kind == "youtube#searchResult" {
                "a YouTube search result holds only a video id: fetch the videos with videos.list"
                    .to_string()
            } else {
                format!(
                    "record {record} is neither a profile nor a post of the {} export",
                    adapter.as_str()
                )
            };
            rejects.push(NativeReject {
                table: Table::Accounts,
                record,
                reason,
                raw: item.to_string(),
            });
        }
    }
    (rows, rejects)
}

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
fn apify_likes(post: &Value) -> Option<String> {
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

fn apify(item: &Value, record: u64, rows: &mut Vec<NativeRow>) {
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

fn count_at(v: &Value, pointer: &str) -> Option<String> {
    scalar(v.pointer(pointer))
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
    let media = node
        .get("__typename")
        .and_then(Value::as_str)
        .map(|t| match t {
            "GraphImage" => "image",
            "GraphVideo" => "video",
            "GraphSidecar" => "carousel",
            _ => "post",
        })
        .map(String::from);
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

fn instagram_web(item: &Value, record: u64, rows: &mut Vec<NativeRow>) {
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

fn tiktok(doc: &Value, rows: &mut Vec<NativeRow>, rejects: &mut Vec<NativeReject>) {
    let s = |v: &Value, k: &str| scalar(v.get(k));
    if doc.get("unique_id").is_some() {
        rows.push(row(
            Table::Accounts,
            0,
            doc,
            &[
                ("platform", Some("tiktok".into())),
                ("account_id", s(doc, "uid").or_else(|| s(doc, "unique_id"))),
                ("handle", s(doc, "unique_id")),
                ("display_name", s(doc, "nickname")),
                ("bio", s(doc, "signature")),
                ("followers", s(doc, "follower_count")),
                ("following", s(doc, "following_count")),
                ("posts_count", s(doc, "video_count")),
                ("is_verified", s(doc, "is_verified")),
                ("is_private", s(doc, "is_private")),
            ],
        ));
    } else if doc.get("authorMeta").is_some() {
        rows.push(row(
            Table::Posts,
            0,
            doc,
            &[
                ("platform", Some("tiktok".into())),
                ("account_id", count_at(doc, "/authorMeta/id")),
                ("post_id", s(doc, "id")),
                ("posted_at", s(doc, "createTime")),
                ("likes", s(doc, "diggCount")),
                ("comments", s(doc, "commentCount")),
                ("views", s(doc, "playCount")),
                ("caption", s(doc, "text")),
                ("media_type", Some("video".into())),
            ],
        ));
    } else if let Some(Value::Array(followers)) = doc.get("followers") {
        for (i, f) in followers.iter().enumerate() {
            rejects.push(NativeReject {
                table: Table::Followers,
                record: i as u64,
                reason: "a TikTok follower list does not say whose followers it lists; export \
                         it as a canonical followers table with platform and account_id"
                    .into(),
                raw: f.to_string(),
            });
        }
    } else if let Some(Value::Array(media)) = doc.get("media") {
        let mut seen = std::collections::HashSet::new();
        for (i, m) in media.iter().enumerate() {
            let record = i as u64;
            let Some(author) = m.get("author").filter(|a| a.is_object()) else {
                rejects.push(NativeReject {
                    table: Table::Accounts,
                    record,
                    reason: "feed item without an author".into(),
                    raw: m.to_string(),
                });
                continue;
            };
            let id = s(author, "id").or_else(|| s(author, "uniqueId"));
            // Each author once per file: the feed repeats them on every video.
            if seen.insert(id.clone()) {
                rows.push(row(
                    Table::Accounts,
                    record,
                    author,
                    &[
                        ("platform", Some("tiktok".into())),
                        ("account_id", id.clone()),
                        ("handle", s(author, "uniqueId")),
                        ("display_name", s(author, "nickname")),
                        ("bio", s(author, "signature")),
                        ("followers", s(author, "followers")),
                        ("following", s(author, "following")),
                        ("posts_count", s(author, "videoCount")),
                        ("is_verified", s(author, "verified")),
                        ("is_private", s(author, "private")),
                    ],
                ));
            }
            rows.push(row(
                Table::Posts,
                record,
                m,
                &[
                    ("platform", Some("tiktok".into())),
                    ("account_id", id),
                    ("post_id", s(m, "video_id")),
                    ("posted_at", s(m, "create_time")),
                    ("likes", count_at(m, "/statistics/diggCount")),
                    ("comments", count_at(m, "/statistics/commentCount")),
                    ("views", count_at(m, "/statistics/playCount")),
                    ("caption", s(m, "description")),
                    ("media_type", Some("video".into())),
                ],
            ));
        }
    }
}

fn instagram_export(
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
    let items: Vec<&Value> = match doc {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
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

/// ISO 8601 duration (`PT1M5S`) in seconds.
fn iso_duration(s: &str) -> Option<u64> {
    let t = s
        .strip_prefix("PT")
        .or_else(|| s.split_once('T').map(|(_, t)| t))?;
    let mut total = 0u64;
    let mut num = String::new();
    for ch in t.chars() {
        if ch.is_ascii_digit() {
            num.push(ch);
        } else {
            let n: u64 = num.parse().ok()?;
            num.clear();
            total += n * match ch {
                'H' => 3600,
                'M' => 60,
                'S' => 1,
                _ => return None,
            };
        }
    }
    Some(total)
}

fn youtube(item: &Value, record: u64, rows: &mut Vec<NativeRow>) {
    let kind = item.get("kind").and_then(Value::as_str).unwrap_or_default();
    let snippet = item.get("snippet");
    let stats = item.get("statistics");
    let s = |v: Option<&Value>, k: &str| scalar(v.and_then(|x| x.get(k)));
    if kind == "youtube#channel" {
        let handle = s(snippet, "customUrl")
            .map(|h| h.trim_start_matches('@').to_string())
            .or_else(|| scalar(item.get("id")));
        let hidden = stats
            .and_then(|x| x.get("hiddenSubscriberCount"))
            .and_then(Value::as_bool)
            == Some(true);
        rows.push(row(
            Table::Accounts,
            record,
            item,
            &[
                ("platform", Some("youtube".into())),
                ("account_id", scalar(item.get("id"))),
                ("handle", handle),
                ("display_name", s(snippet, "title")),
                ("bio", s(snippet, "description")),
                (
                    "followers",
                    if hidden {
                        None
                    } else {
                        s(stats, "subscriberCount")
                    },
                ),
                ("posts_count", s(stats, "videoCount")),
            ],
        ));
    } else if kind == "youtube#video" || (snippet.is_some() && stats.is_some()) {
        let mut caption = s(snippet, "title").unwrap_or_default();
        if let Some(d) = s(snippet, "description").filter(|d| !d.is_empty()) {
            caption.push('\n');
            caption.push_str(&d);
        }
        if let Some(Value::Array(tags)) = snippet.and_then(|x| x.get("tags")) {
            for t in tags.iter().filter_map(Value::as_str) {
                caption.push_str(" #");
                caption.push_str(&t.replace(' ', ""));
            }
        }
        let media = item
            .get("contentDetails")
            .and_then(|c| c.get("duration"))
            .and_then(Value::as_str)
            .and_then(iso_duration)
            .map(|secs| if secs <= 60 { "short" } else { "video" })
            .unwrap_or("video");
        rows.push(row(
            Table::Posts,
            record,
            item,
            &[
                ("platform", Some("youtube".into())),
                ("account_id", s(snippet, "channelId")),
                ("post_id", scalar(item.get("id"))),
                ("posted_at", s(snippet, "publishedAt")),
                ("likes", s(stats, "likeCount")),
                ("comments", s(stats, "commentCount")),
                ("views", s(stats, "viewCount")),
                ("caption", Some(caption).filter(|c| !c.is_empty())),
                ("media_type", Some(media.into())),
            ],
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(iso_duration("PT53S"), Some(53));
        assert_eq!(iso_duration("PT2M48S"), Some(168));
        assert_eq!(iso_duration("PT1H0M1S"), Some(3601));
        assert_eq!(iso_duration("P1D"), None);
    }

    #[test]
    fn hidden_apify_likes_stay_unknown() {
        let v: Value = serde_json::json!({"likesCount": -1});
        assert_eq!(apify_likes(&v), None);
        let v: Value = serde_json::json!({"likesCount": null});
        assert_eq!(apify_likes(&v), None);
        let v: Value = serde_json::json!({"likesCount": 0});
        assert_eq!(apify_likes(&v), Some("0".into()));
    }
}
