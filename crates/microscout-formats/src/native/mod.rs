//! Adapters for the native exports people have, detected from the file's content: each
//! maps a JSON document onto rows of the canonical tables, which then go through the same
//! validation and quarantine as canonical files.
//!
//! The field-by-field mapping of every adapter is one table in `docs/adapters.md`; keep it in
//! step with the code below.

use microscout_model::schema::Table;
use serde_json::Value;

pub mod blog;
mod facebook;
pub mod feed;
pub mod instagram;
mod pinterest;
mod tiktok;
mod wordpress;
mod youtube;

use facebook::facebook;
use instagram::{apify, instagram_export, instagram_web};
use pinterest::pinterest;
use tiktok::tiktok;
use wordpress::wordpress;
use youtube::youtube;
#[cfg(test)]
use {instagram::apify_likes, youtube::iso_duration};

/// The adapters, by the name the manifest records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adapter {
    ApifyInstagram,
    YoutubeApi,
    InstagramWeb,
    Tiktok,
    InstagramExport,
    Facebook,
    Pinterest,
    WordpressRest,
    Rss,
    Atom,
    WordpressWxr,
}

/// What a native export is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Xml,
}

impl Adapter {
    pub fn as_str(self) -> &'static str {
        match self {
            Adapter::ApifyInstagram => "apify-instagram",
            Adapter::YoutubeApi => "youtube-api",
            Adapter::InstagramWeb => "instagram-web",
            Adapter::Tiktok => "tiktok",
            Adapter::InstagramExport => "instagram-export",
            Adapter::Facebook => "facebook",
            Adapter::Pinterest => "pinterest",
            Adapter::WordpressRest => "wordpress-rest",
            Adapter::Rss => "rss",
            Adapter::Atom => "atom",
            Adapter::WordpressWxr => "wordpress-wxr",
        }
    }

    /// The syntax of the documents this adapter reads.
    pub fn syntax(self) -> Syntax {
        match self {
            Adapter::Rss | Adapter::Atom | Adapter::WordpressWxr => Syntax::Xml,
            _ => Syntax::Json,
        }
    }

    pub const ALL: [Adapter; 11] = [
        Adapter::ApifyInstagram,
        Adapter::YoutubeApi,
        Adapter::InstagramWeb,
        Adapter::Tiktok,
        Adapter::InstagramExport,
        Adapter::Facebook,
        Adapter::Pinterest,
        Adapter::WordpressRest,
        Adapter::Rss,
        Adapter::Atom,
        Adapter::WordpressWxr,
    ];

    pub fn parse(name: &str) -> Option<Adapter> {
        Self::ALL.into_iter().find(|a| a.as_str() == name.trim())
    }
}

/// The exports the adapters read, in words, for messages about files they do not.
pub const KNOWN_EXPORTS: &str = "Apify Instagram scraper, Instagram web JSON or Instaloader, \
    YouTube Data API v3, TikTok, Instagram's followers export, Facebook Graph API or Apify \
    Facebook scrapers, Pinterest API v5 or web pins, WordPress REST API";

/// One canonical row from a native record.
#[derive(Debug, Clone)]
pub struct NativeRow {
    pub table: Table,
    /// Index of the record in the file: of the item in the document's list of records (a
    /// top-level array, or the `items`, `data`, `results` list or feed items an export
    /// wraps them in), else 0. Posts nested in a profile item carry the profile's index.
    pub record: u64,
    /// One value per canonical column of `table`.
    pub values: Vec<Option<String>>,
    pub raw: String,
    /// An account row the export only implies: a post's record names its account and says a
    /// little of it (a blog's address, a pinner's name and follower count), where another
    /// export of the drop may hold the account itself. Ingestion reads it only when no row
    /// of the drop gives the account ([`NativeRow::implied`]).
    pub implied: bool,
}

impl NativeRow {
    /// The row, marked as an account row a post implies (see [`NativeRow::implied`]).
    pub fn implied(self) -> Self {
        Self {
            implied: true,
            ..self
        }
    }
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

impl NativeReject {
    pub fn new(table: Table, record: u64, reason: impl Into<String>, raw: String) -> Self {
        Self {
            table,
            record,
            reason: reason.into(),
            raw,
        }
    }
}

/// The items of a top-level array, or the document itself as the one item.
pub(super) fn array_or_one(doc: &Value) -> Vec<&Value> {
    match doc {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    }
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
    if doc.pointer("/graphql/user").is_some()
        || doc.get("instaloader").is_some()
        || doc.pointer("/data/shortcode_media").is_some()
        || doc.pointer("/graphql/shortcode_media").is_some()
        || doc
            .as_array()
            .and_then(|a| a.first())
            .is_some_and(instagram::is_instaloader_comment)
    {
        return Some(Adapter::InstagramWeb);
    }
    let first_item = doc
        .as_array()
        .and_then(|a| a.first())
        .or_else(|| doc.pointer("/comments/0"));
    if first_item.is_some_and(tiktok::is_comment) {
        return Some(Adapter::Tiktok);
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
    if wordpress::detects(doc) {
        return Some(Adapter::WordpressRest);
    }
    if pinterest::detects(doc) {
        return Some(Adapter::Pinterest);
    }
    let first = items(doc).into_iter().find(|v| v.is_object());
    if facebook::detects(doc, first) {
        return Some(Adapter::Facebook);
    }
    let first = first?;
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
        || (has("postUrl") && has("ownerUsername") && has("text"))
        || has("#debug")
    {
        return Some(Adapter::ApifyInstagram);
    }
    None
}

/// Text for a JSON scalar: strings as they are, numbers and booleans as written.
pub(super) fn scalar(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) fn row(
    table: Table,
    record: u64,
    raw: &Value,
    fields: &[(&str, Option<String>)],
) -> NativeRow {
    row_raw(table, record, raw.to_string(), fields)
}

/// A canonical row of `table` from named fields (columns not named are empty).
pub(super) fn row_raw(
    table: Table,
    record: u64,
    raw: String,
    fields: &[(&str, Option<String>)],
) -> NativeRow {
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
        raw,
        implied: false,
    }
}

/// The canonical media type for the string at `key` by `kinds` (export name -> media type),
/// `other` for a name not listed; None without the key.
pub(super) fn media_of(
    v: &Value,
    key: &str,
    kinds: &[(&str, &'static str)],
    other: &'static str,
) -> Option<String> {
    let name = v.get(key).and_then(Value::as_str)?;
    let kind = kinds
        .iter()
        .find(|(k, _)| *k == name)
        .map_or(other, |(_, m)| m);
    Some(kind.to_string())
}

pub(super) fn count_at(v: &Value, pointer: &str) -> Option<String> {
    scalar(v.pointer(pointer))
}

/// An adapter that maps a whole document at once.
type MapWhole = fn(&Value, &mut Vec<NativeRow>, &mut Vec<NativeReject>);

/// Maps a document with `adapter` into canonical rows and rejected records.
pub fn map(
    adapter: Adapter,
    doc: &Value,
    followers_of: Option<&(String, String)>,
) -> (Vec<NativeRow>, Vec<NativeReject>) {
    let mut rows = Vec::new();
    let mut rejects = Vec::new();
    if adapter.syntax() == Syntax::Xml {
        // Only when the campaign names an XML adapter for a JSON file.
        rejects.push(NativeReject {
            table: Table::Accounts,
            record: 0,
            reason: format!(
                "a JSON document, but the {} adapter reads XML feeds",
                adapter.as_str()
            ),
            raw: String::new(),
        });
        return (rows, rejects);
    }
    if adapter == Adapter::Tiktok {
        tiktok(doc, &mut rows, &mut rejects);
        return (rows, rejects);
    }
    if adapter == Adapter::InstagramExport {
        instagram_export(doc, followers_of, &mut rows, &mut rejects);
        return (rows, rejects);
    }
    let whole: Option<MapWhole> = match adapter {
        Adapter::Facebook => Some(facebook),
        Adapter::Pinterest => Some(pinterest),
        Adapter::WordpressRest => Some(wordpress),
        _ => None,
    };
    if let Some(map_whole) = whole {
        map_whole(doc, &mut rows, &mut rejects);
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
            Adapter::Tiktok
            | Adapter::InstagramExport
            | Adapter::Facebook
            | Adapter::Pinterest
            | Adapter::WordpressRest => {
                unreachable!("mapped whole above")
            }
            Adapter::Rss | Adapter::Atom | Adapter::WordpressWxr => {
                unreachable!("returned above")
            }
        }
        if rows.len() == before {
            let kind = item.get("kind").and_then(Value::as_str).unwrap_or_default();
            let reason = if adapter == Adapter::ApifyInstagram && item.get("postId").is_some() {
                "an Apify comment item without its text or post (`text`, `postId` or `postUrl`)"
                    .to_string()
            } else if item
                .pointer("/data/shortcode_media/edge_media_to_comment")
                .is_some()
            {
                "a page of an Instagram post's comments (GraphQL pagination): it does not name \
                 its post; export the post with its comments (Instaloader, the post's page)"
                    .to_string()
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

    /// Comments without ids (legacy Apify items, some `topComments`): the same comment in
    /// both lists gets the same id (one is then a duplicate), two different comments at the
    /// same place in the two lists do not share one.
    #[test]
    fn comments_without_ids_are_named_by_what_they_are() {
        let doc = serde_json::json!([{
            "id": "3101", "shortCode": "Cx1", "ownerId": "77", "timestamp": "2026-11-20T10:00:00Z",
            "latestComments": [
                {"ownerUsername": "anna", "text": "So true!", "timestamp": "2026-11-20T11:00:00Z"},
                {"ownerUsername": "ben", "text": "We tried it", "timestamp": "2026-11-20T12:00:00Z"}
            ],
            "topComments": [
                {"ownerUsername": "ben", "text": "We tried it", "timestamp": "2026-11-20T12:00:00Z"},
                {"ownerUsername": "cleo", "text": "Love the corner idea", "timestamp": "2026-11-20T13:00:00Z"}
            ]
        }]);
        let (rows, rejects) = map(Adapter::ApifyInstagram, &doc, None);
        assert!(
            rejects.is_empty(),
            "{:?}",
            rejects.iter().map(|r| &r.reason).collect::<Vec<_>>()
        );
        let ids: Vec<&str> = rows
            .iter()
            .filter(|r| r.table == Table::Comments)
            .map(|r| {
                let at = Table::Comments
                    .columns()
                    .iter()
                    .position(|c| c.name == "comment_id")
                    .unwrap();
                r.values[at].as_deref().unwrap()
            })
            .collect();
        assert_eq!(ids.len(), 4);
        assert_eq!(ids[1], ids[2], "ben's comment in both lists: one id");
        let distinct: std::collections::HashSet<&&str> = ids.iter().collect();
        assert_eq!(distinct.len(), 3, "{ids:?}");
        assert!(ids.iter().all(|i| i.starts_with("3101:h")), "{ids:?}");
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
