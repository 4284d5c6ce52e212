//! TikTok: profiles, feeds of videos with their authors, tiktok-scraper videos, and
//! comments (the Apify comments scraper's items, the web API's `comments` lists).

use microscout_model::schema::Table;
use serde_json::Value;

use super::{NativeReject, NativeRow, count_at, row, scalar};

/// Whether a record is a TikTok comment: the Apify comments scraper's (`cid` with
/// `videoWebUrl`) or the web API's (`cid` with `aweme_id`).
pub(super) fn is_comment(v: &Value) -> bool {
    v.get("cid").is_some() && (v.get("videoWebUrl").is_some() || v.get("aweme_id").is_some())
}

/// The comments of a document: an array of comment items, or the web API's
/// `{"comments": [...]}`.
fn comment_items(doc: &Value) -> Option<&Vec<Value>> {
    let list = doc
        .as_array()
        .or_else(|| doc.get("comments").and_then(Value::as_array))?;
    list.iter().any(is_comment).then_some(list)
}

/// A TikTok comment as a comments row: the video from `videoWebUrl`'s `/video/<id>` (else
/// `aweme_id`), `cid`, `uniqueId` (else `user.unique_id`), `text`, `createTime` (else
/// `create_time`), `diggCount` (else `digg_count`) as likes, `repliesToId` (else the web
/// API's `reply_id`, "0" meaning none) as `reply_to`.
fn comment(c: &Value, record: u64) -> NativeRow {
    let s = |k: &str| scalar(c.get(k));
    let video = c
        .get("videoWebUrl")
        .and_then(Value::as_str)
        .and_then(|u| u.split("/video/").nth(1))
        .and_then(|rest| rest.split(['/', '?']).next())
        .map(String::from)
        .or_else(|| s("aweme_id"));
    let reply_to = s("repliesToId")
        .or_else(|| s("reply_id"))
        .filter(|r| r != "0");
    row(
        Table::Comments,
        record,
        c,
        &[
            ("platform", Some("tiktok".into())),
            ("post_id", video),
            ("comment_id", s("cid")),
            (
                "commenter_handle",
                s("uniqueId").or_else(|| scalar(c.pointer("/user/unique_id"))),
            ),
            ("text", s("text")),
            ("commented_at", s("createTime").or_else(|| s("create_time"))),
            ("likes", s("diggCount").or_else(|| s("digg_count"))),
            ("reply_to", reply_to),
        ],
    )
}

pub(super) fn tiktok(doc: &Value, rows: &mut Vec<NativeRow>, rejects: &mut Vec<NativeReject>) {
    let s = |v: &Value, k: &str| scalar(v.get(k));
    if let Some(items) = comment_items(doc) {
        for (i, c) in items.iter().enumerate() {
            if is_comment(c) {
                rows.push(comment(c, i as u64));
            } else {
                rejects.push(NativeReject::new(
                    Table::Comments,
                    i as u64,
                    format!("record {i} is not a TikTok comment (no `cid` and video)"),
                    c.to_string(),
                ));
            }
        }
        return;
    }
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
