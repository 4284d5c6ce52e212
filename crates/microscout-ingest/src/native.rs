//! Adapters for the native exports people have, detected from the file's content: each
//! maps a JSON document onto rows of the canonical tables, which then go through the same
//! validation and quarantine as canonical files.
//!
//! | adapter | detected by | accounts | posts |
//! |---|---|---|---|
//! | `apify-instagram` | items with `username` + `followersCount` (profile items) or `shortCode` + `ownerId` (post items, 2020 and 2022+ shapes) | `id`, `username`, `fullName`, `biography`, `followersCount`, `followsCount`, `postsCount`, `verified`, `private`, `isBusinessAccount`, `businessCategoryName`, `externalUrl`, `businessEmail` | profile `latestPosts[]` and post items: `id`, `timestamp`, `likesCount` (null or -1 = hidden), `commentsCount`, `videoViewCount`, `caption`, `type` (Image/Video/Sidecar -> image/video/carousel; `productType: clips` -> reel), owner from `ownerId` (else the profile) |
//! | `youtube-api` | `kind` `youtube#channelListResponse` / `youtube#videoListResponse`, or items of kind `youtube#channel` / `youtube#video` | `id`, `snippet.customUrl` (else the id) as handle, `snippet.title`, `snippet.description`, `statistics.subscriberCount` (hidden -> the row is rejected: followers are required), `statistics.videoCount` | `id`, `snippet.channelId`, `snippet.publishedAt`, `statistics.likeCount` (absent = hidden), `statistics.commentCount` (absent = comments off, the row is rejected), `statistics.viewCount`, title + description + tags as caption, `contentDetails.duration` (60 s or less -> short, else video) |
//!
//! Carousel children (`childPosts`) are parts of one post, not posts. Counts sent as strings
//! (YouTube) are parsed like any other count.

use microscout_model::schema::Table;
use serde_json::Value;

/// The adapters, by the name the manifest records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adapter {
    ApifyInstagram,
    YoutubeApi,
}

impl Adapter {
    pub fn as_str(self) -> &'static str {
        match self {
            Adapter::ApifyInstagram => "apify-instagram",
            Adapter::YoutubeApi => "youtube-api",
        }
    }
}

/// One canonical row from a native record.
#[derive(Debug, Clone)]
pub(crate) struct NativeRow {
    pub(crate) table: Table,
    /// Index of the record in the file (items of a top-level array, else 0).
    pub(crate) record: u64,
    /// One value per canonical column of `table`.
    pub(crate) values: Vec<Option<String>>,
    pub(crate) raw: String,
}

/// A record the adapter could not map, with the reason.
#[derive(Debug, Clone)]
pub(crate) struct NativeReject {
    pub(crate) record: u64,
    pub(crate) reason: String,
    pub(crate) raw: String,
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
    let first = items(doc).into_iter().find(|v| v.is_object())?;
    let has = |k: &str| first.get(k).is_some();
    let item_kind = first
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if item_kind == "youtube#channel" || item_kind == "youtube#video" {
        return Some(Adapter::YoutubeApi);
    }
    if (has("username") && has("followersCount")) || (has("shortCode") && has("ownerId")) {
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
pub(crate) fn map(adapter: Adapter, doc: &Value) -> (Vec<NativeRow>, Vec<NativeReject>) {
    let mut rows = Vec::new();
    let mut rejects = Vec::new();
    for (i, item) in items(doc).into_iter().enumerate() {
        let record = i as u64;
        if !item.is_object() {
            rejects.push(NativeReject {
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
        }
        if rows.len() == before {
            rejects.push(NativeReject {
                record,
                reason: format!(
                    "record {record} is neither a profile nor a post of the {} export",
                    adapter.as_str()
                ),
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
