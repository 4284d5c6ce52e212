//! TikTok: profiles, feeds of videos with their authors, and tiktok-scraper videos.

use microscout_model::schema::Table;
use serde_json::Value;

use super::{NativeReject, NativeRow, count_at, row, scalar};

pub(super) fn tiktok(doc: &Value, rows: &mut Vec<NativeRow>, rejects: &mut Vec<NativeReject>) {
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
