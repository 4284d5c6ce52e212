//! Pinterest: API v5 (`/v5/user_account`, paged `/v5/pins` and board pins, with
//! `pin_metrics` when asked for) and the pin and profile objects of Pinterest's web resources
//! as scrapers save them (Apify's Pinterest actors, `resource_response` dumps, the GraphQL
//! pin page), in snake_case or camelCase.
//!
//! A Pinterest account's id is its username: API v5 pins name their owner only by username.
//! Interactions: reactions are the contract's `likes` (Pinterest's like), comments are
//! `comments`, saves (repins) are `saves`, impressions are `views`.

use microscout_model::schema::Table;
use serde_json::Value;

use super::blog::rss_date;
use super::{NativeReject, NativeRow, array_or_one, row, scalar};

/// The first of `keys` (snake_case and camelCase spellings) that `v` has, as a pointer.
fn get<'a>(v: &'a Value, pointers: &[&str]) -> Option<&'a Value> {
    pointers
        .iter()
        .find_map(|p| v.pointer(p).filter(|x| !x.is_null()))
}

fn text(v: &Value, pointers: &[&str]) -> Option<String> {
    scalar(get(v, pointers))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn is_pin(v: &Value) -> bool {
    (v.get("board_id").is_some() && v.get("created_at").is_some())
        || v.get("aggregated_pin_data").is_some()
        || v.get("aggregatedPinData").is_some()
        || v.get("pin_metrics").is_some()
        || (v.get("pinner").is_some() && v.get("repin_count").is_some())
}

fn is_profile(v: &Value) -> bool {
    v.get("username").is_some()
        && (v.get("account_type").is_some()
            || v.get("board_count").is_some()
            || v.get("boardCount").is_some())
        && (v.get("follower_count").is_some() || v.get("followerCount").is_some())
}

/// The pins and profiles of a document, wherever its wrapper keeps them.
fn records(doc: &Value) -> Vec<&Value> {
    let inner = get(
        doc,
        &[
            "/resource_response/data/results",
            "/resource_response/data",
            "/response/data/v3GetPinQuery/data",
            "/items",
        ],
    )
    .unwrap_or(doc);
    array_or_one(inner)
}

/// Is this document a Pinterest export?
pub(super) fn detects(doc: &Value) -> bool {
    let first = records(doc).into_iter().find(|v| v.is_object());
    doc.get("resource_response").is_some()
        || doc.pointer("/response/data/v3GetPinQuery").is_some()
        || first.is_some_and(|f| is_pin(f) || is_profile(f))
}

/// Sum of a reaction-counts object (`{"1": 626, "5": 16}`: reaction kind -> count).
fn reactions(v: &Value) -> Option<String> {
    if let Some(Value::Object(kinds)) = get(v, &["/reaction_counts"]) {
        let mut total = 0u64;
        for n in kinds.values() {
            // A count that is not a whole number: give it on, so validation says so.
            let Some(n) = n.as_u64() else {
                return Some(n.to_string());
            };
            total = total.saturating_add(n);
        }
        return Some(total.to_string());
    }
    text(
        v,
        &[
            "/totalReactionCount",
            "/total_reaction_count",
            "/pin_metrics/lifetime_metrics/reaction",
            "/pin_metrics/all_time/reaction",
        ],
    )
}

/// The web's times are RFC 2822 (read as RFC 3339); API v5's are UTC without a zone
/// (`2022-12-05T01:19:00`), which validation reads as UTC as they are.
fn pin_time(v: &Value) -> Option<String> {
    Some(rss_date(&text(v, &["/created_at", "/createdAt"])?))
}

fn profile_row(p: &Value, record: u64) -> NativeRow {
    row(
        Table::Accounts,
        record,
        p,
        &[
            ("platform", Some("pinterest".into())),
            ("account_id", text(p, &["/username"])),
            ("handle", text(p, &["/username"])),
            (
                "display_name",
                text(p, &["/business_name", "/full_name", "/fullName"]),
            ),
            ("bio", text(p, &["/about"])),
            ("followers", text(p, &["/follower_count", "/followerCount"])),
            (
                "following",
                text(p, &["/following_count", "/followingCount"]),
            ),
            ("posts_count", text(p, &["/pin_count", "/pinCount"])),
            (
                "is_verified",
                text(p, &["/verified_identity/verified", "/is_verified_merchant"]),
            ),
            (
                "is_business",
                p.get("account_type")
                    .and_then(Value::as_str)
                    .map(|t| (t == "BUSINESS").to_string()),
            ),
            (
                "external_url",
                text(p, &["/website_url", "/websiteUrl", "/domain_url"]),
            ),
        ],
    )
}

fn pin_row(p: &Value, owner: Option<String>, record: u64) -> NativeRow {
    let mut caption = text(p, &["/title", "/grid_title", "/gridTitle"]).unwrap_or_default();
    if let Some(d) = text(
        p,
        &[
            "/description",
            "/closeup_unified_description",
            "/closeupUnifiedDescription",
        ],
    ) {
        if !caption.is_empty() {
            caption.push('\n');
        }
        caption.push_str(&d);
    }
    if let Some(Value::Array(tags)) = p.get("hashtags") {
        for t in tags.iter().filter_map(Value::as_str) {
            if !caption.contains(t) {
                caption.push(' ');
                caption.push_str(t);
            }
        }
    }
    let video = p.get("is_video").and_then(Value::as_bool) == Some(true)
        || p.pointer("/media/media_type").and_then(Value::as_str) == Some("video");
    row(
        Table::Posts,
        record,
        p,
        &[
            ("platform", Some("pinterest".into())),
            ("account_id", owner),
            ("post_id", text(p, &["/entityId", "/id"])),
            ("posted_at", pin_time(p)),
            ("likes", reactions(p)),
            (
                "comments",
                text(
                    p,
                    &[
                        "/comment_count",
                        "/aggregated_pin_data/comment_count",
                        "/aggregatedPinData/commentCount",
                        "/pin_metrics/lifetime_metrics/comment",
                        "/pin_metrics/all_time/comment",
                    ],
                ),
            ),
            (
                "saves",
                text(
                    p,
                    &[
                        "/aggregated_pin_data/aggregated_stats/saves",
                        "/aggregated_pin_data/saves",
                        "/aggregatedPinData/aggregatedStats/saves",
                        "/pin_metrics/lifetime_metrics/save",
                        "/pin_metrics/all_time/save",
                        "/repin_count",
                        "/repinCount",
                    ],
                ),
            ),
            (
                "views",
                text(
                    p,
                    &[
                        "/pin_metrics/lifetime_metrics/impression",
                        "/pin_metrics/all_time/impression",
                    ],
                ),
            ),
            ("caption", Some(caption).filter(|c| !c.is_empty())),
            (
                "media_type",
                Some(if video { "video" } else { "pin" }.into()),
            ),
        ],
    )
}

/// Maps a Pinterest document. The pinner of a web pin is an account of the drop (once per
/// file, as the web pages repeat it), with its follower count.
pub(super) fn pinterest(doc: &Value, rows: &mut Vec<NativeRow>, rejects: &mut Vec<NativeReject>) {
    // Profiles and pinners are each given once per file (the web pages repeat them); a
    // pinner whose profile is in the drop too is an implied row, not read then.
    let (mut profiles, mut pinners) = (
        std::collections::HashSet::new(),
        std::collections::HashSet::new(),
    );
    for (i, item) in records(doc).into_iter().enumerate() {
        let record = i as u64;
        if is_profile(item) {
            if profiles.insert(text(item, &["/username"])) {
                rows.push(profile_row(item, record));
            }
        } else if item.is_object()
            && (is_pin(item) || item.get("created_at").is_some() || item.get("createdAt").is_some())
        {
            let owner = text(
                item,
                &[
                    "/pinner/username",
                    "/board_owner/username",
                    "/boardOwner/username",
                    "/profile",
                ],
            );
            if let Some(pinner) = item
                .get("pinner")
                .filter(|p| p.get("follower_count").is_some() || p.get("followerCount").is_some())
                && pinners.insert(owner.clone())
            {
                // Implied: the profile, when the drop has it, says more (bio, address).
                rows.push(
                    row(
                        Table::Accounts,
                        record,
                        pinner,
                        &[
                            ("platform", Some("pinterest".into())),
                            ("account_id", owner.clone()),
                            ("handle", owner.clone()),
                            ("display_name", text(pinner, &["/full_name", "/fullName"])),
                            (
                                "followers",
                                text(pinner, &["/follower_count", "/followerCount"]),
                            ),
                        ],
                    )
                    .implied(),
                );
            }
            rows.push(pin_row(item, owner, record));
        } else {
            rejects.push(NativeReject::new(
                Table::Posts,
                record,
                format!("record {record} is neither a pin nor a profile of a Pinterest export"),
                item.to_string(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reactions_are_summed_and_times_normalised() {
        let v = serde_json::json!({"reaction_counts": {"1": 626, "5": 16}, "created_at": "2022-12-05T01:19:00"});
        assert_eq!(reactions(&v).as_deref(), Some("642"));
        assert_eq!(pin_time(&v).as_deref(), Some("2022-12-05T01:19:00"));
        let v = serde_json::json!({"reaction_counts": {}, "created_at": "Wed, 09 Feb 2022 06:09:17 +0000"});
        assert_eq!(reactions(&v).as_deref(), Some("0"));
        assert_eq!(pin_time(&v).as_deref(), Some("2022-02-09T06:09:17+00:00"));
        assert_eq!(reactions(&serde_json::json!({})), None);
    }

    #[test]
    fn pin_metrics_as_the_v5_spec_gives_them() {
        // The `pin_metrics` example of Pinterest's OpenAPI description (pinterest/api-description,
        // MIT), on a pin of a v5 page; no real response with metrics is public.
        let pin = serde_json::json!({"id": "813744226420795884", "created_at": "2020-01-01T20:10:40",
            "board_id": "549755885175", "board_owner": {"username": "calmkids"},
            "pin_metrics": {"90d": {"pin_click": 7, "impression": 2, "clickthrough": 3},
              "lifetime_metrics": {"pin_click": 7, "impression": 2, "clickthrough": 3, "reaction": 10, "comment": 2}}});
        let doc = serde_json::json!({"items": [pin], "bookmark": null});
        assert!(detects(&doc));
        let mut rows = Vec::new();
        pinterest(&doc, &mut rows, &mut Vec::new());
        assert_eq!(rows.len(), 1);
        let get = |name: &str| {
            let i = Table::Posts
                .columns()
                .iter()
                .position(|c| c.name == name)
                .unwrap();
            rows[0].values[i].clone()
        };
        assert_eq!(get("account_id").as_deref(), Some("calmkids"));
        assert_eq!(get("likes").as_deref(), Some("10"));
        assert_eq!(get("comments").as_deref(), Some("2"));
        assert_eq!(get("views").as_deref(), Some("2"));
        // The example has no saves: unavailable, not zero.
        assert_eq!(get("saves"), None);
    }
}
