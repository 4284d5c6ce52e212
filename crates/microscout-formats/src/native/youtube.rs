//! The YouTube Data API v3: channels.list, videos.list, commentThreads.list and comments.list
//! responses.

use microscout_model::schema::Table;
use serde_json::Value;

use super::{NativeRow, row, scalar};

/// ISO 8601 duration (`PT1M5S`) in seconds.
pub(super) fn iso_duration(s: &str) -> Option<u64> {
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

pub(super) fn youtube(item: &Value, record: u64, rows: &mut Vec<NativeRow>) {
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
    } else if kind == "youtube#commentThread" {
        // The thread's video and channel, its top-level comment, and the replies the
        // response carries (`replies.comments`: up to 5, the rest only in comments.list).
        let video = s(snippet, "videoId");
        let channel = s(snippet, "channelId");
        if let Some(top) = snippet.and_then(|x| x.get("topLevelComment")) {
            comment(top, video.clone(), channel.clone(), record, rows);
        }
        for r in item
            .pointer("/replies/comments")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            comment(r, video.clone(), channel.clone(), record, rows);
        }
    } else if kind == "youtube#comment" {
        comment(item, None, None, record, rows);
    }
}

/// A `youtube#comment` as a comments row; `video` and `channel` from its thread when it is
/// in one. A comment of comments.list names its video only when the API still gives the
/// deprecated `snippet.videoId`; without it the row is rejected for its empty post.
fn comment(
    c: &Value,
    video: Option<String>,
    channel: Option<String>,
    record: u64,
    rows: &mut Vec<NativeRow>,
) {
    let snippet = c.get("snippet");
    let s = |k: &str| scalar(snippet.and_then(|x| x.get(k)));
    let handle = s("authorDisplayName").map(|h| h.trim_start_matches('@').to_string());
    rows.push(row(
        Table::Comments,
        record,
        c,
        &[
            ("platform", Some("youtube".into())),
            ("account_id", channel.or_else(|| s("channelId"))),
            ("post_id", video.or_else(|| s("videoId"))),
            ("comment_id", scalar(c.get("id"))),
            ("commenter_handle", handle),
            // The text as written (`textDisplay` may be HTML, and empty without the
            // owner's permission to show it).
            (
                "text",
                s("textOriginal")
                    .or_else(|| s("textDisplay").map(|t| super::blog::comment_text(&t))),
            ),
            ("commented_at", s("publishedAt")),
            ("likes", s("likeCount")),
            ("reply_to", s("parentId")),
        ],
    ));
}
