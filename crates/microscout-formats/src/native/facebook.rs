//! Facebook: Graph API page objects and paged post lists (`/{page-id}`,
//! `/{page-id}/posts` or `/feed`), and the Apify Facebook scrapers' items (posts scraper,
//! pages scraper, and the older page items with their `posts[]`).
//!
//! A page's account id is its numeric id when the export has it (the Graph API always; Apify's
//! `pageId`, `facebookId`), else the page's name in its address (`facebook.com/<name>`).

use microscout_model::schema::Table;
use serde_json::Value;

use super::{NativeReject, NativeRow, array_or_one, count_at, media_of, row, scalar};

/// Is this document (or its first item) a Facebook export?
pub(super) fn detects(doc: &Value, first: Option<&Value>) -> bool {
    // A page has fans, or followers and a facebook.com link; an Instagram Graph API user
    // (followers_count too, but media_count, ig_id, biography) is not a page.
    let graph_page = |v: &Value| {
        let instagram = ["media_count", "ig_id", "biography"]
            .iter()
            .any(|k| v.get(k).is_some());
        let facebook_link = v
            .get("link")
            .and_then(Value::as_str)
            .is_some_and(|l| l.contains("facebook.com"));
        v.get("id").is_some()
            && v.get("name").is_some()
            && !instagram
            && (v.get("fan_count").is_some()
                || (v.get("followers_count").is_some() && facebook_link))
    };
    let graph_post = |v: &Value| {
        v.get("created_time").is_some()
            && v.get("id")
                .and_then(Value::as_str)
                .is_some_and(|id| id.contains('_'))
    };
    let apify = |v: &Value| {
        (v.get("postId").is_some() && v.get("facebookUrl").is_some())
            || v.get("pageUrl").is_some()
            || (v.get("facebookUrl").is_some() && v.get("likes").is_some())
            || (v.get("posts").is_some_and(Value::is_array)
                && v.get("url")
                    .and_then(Value::as_str)
                    .is_some_and(|u| u.contains("facebook.com/")))
    };
    graph_page(doc)
        || doc
            .get("data")
            .and_then(Value::as_array)
            .and_then(|d| d.first())
            .is_some_and(|v| graph_post(v) || is_comment(v))
        || doc
            .as_object()
            .and_then(|o| o.values().next())
            .is_some_and(is_comment)
        || apify(doc)
        || first.is_some_and(|f| apify(f) || graph_page(f))
}

/// A Facebook page's name from its address (`https://www.facebook.com/SaeenKaPage/` ->
/// `SaeenKaPage`), not for numeric `profile.php?id=` addresses.
fn page_name(url: Option<&str>) -> Option<String> {
    let url = url?;
    let after = url.split("facebook.com/").nth(1)?;
    let name = after.split(['/', '?', '#']).next()?;
    let skip = ["pg", "profile.php", "people", "groups", "pages", ""];
    (!skip.contains(&name)).then(|| name.to_string())
}

/// Graph API times end `+0000`; RFC 3339 wants `+00:00`.
fn graph_time(v: Option<&Value>) -> Option<String> {
    let t = scalar(v)?;
    let b = t.as_bytes();
    if b.len() > 5
        && (b[b.len() - 5] == b'+' || b[b.len() - 5] == b'-')
        && t[t.len() - 4..].bytes().all(|c| c.is_ascii_digit())
    {
        return Some(format!("{}:{}", &t[..t.len() - 2], &t[t.len() - 2..]));
    }
    Some(t)
}

/// Maps a Facebook document: a page, a page of posts, or Apify items.
/// A Graph API comment: a `message` with a `permalink_url` that names the comment
/// (`?comment_id=`).
fn is_comment(v: &Value) -> bool {
    v.get("message").is_some()
        && v.get("permalink_url")
            .and_then(Value::as_str)
            .is_some_and(|u| u.contains("comment_id="))
}

/// A Graph API comment as a comments row. The `permalink_url`
/// (`facebook.com/<page>/posts/<post>/?comment_id=<id>[&reply_comment_id=<id>]`) names the
/// post as the posts' ids do (`<page>_<post>`), the comment (the reply's own id for a reply,
/// whose `reply_to` is then the comment it answers) and its thread; the recorded responses
/// carry no `id` on the edge and no `from` (it needs the page's permission), so the
/// commenter is unknown. `like_count` is the comment's likes. A permalink may name the
/// page by its vanity name (`facebook.com/<name>/posts/<post>`) where the posts' ids use the
/// page's number: the edge's own post (`edge_post`, `<page>_<post>` from its paging
/// address) is then the post when its `<post>` is the permalink's.
fn graph_comment(c: &Value, record: u64, edge_post: Option<&str>) -> Result<NativeRow, String> {
    let url = c
        .get("permalink_url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let param = |name: &str| {
        url.split(['?', '&'])
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
            .map(String::from)
    };
    let path = url.split('?').next().unwrap_or_default();
    let mut parts = path.trim_end_matches('/').rsplit('/');
    let (post, kind, page) = (parts.next(), parts.next(), parts.next());
    let post_id = match (page, kind, post) {
        (Some(page), Some("posts" | "videos" | "photos"), Some(post)) => {
            let vanity = !page.bytes().all(|b| b.is_ascii_digit());
            match edge_post.filter(|e| vanity && e.rsplit('_').next() == Some(post)) {
                Some(e) => e.to_string(),
                None => format!("{page}_{post}"),
            }
        }
        _ => {
            return Err(format!(
                "a Facebook comment whose post cannot be told from its permalink_url {url:?}"
            ));
        }
    };
    let (comment_id, reply_to) = match (param("reply_comment_id"), param("comment_id")) {
        (Some(reply), parent) => (Some(reply), parent),
        (None, id) => (id, None),
    };
    Ok(row(
        Table::Comments,
        record,
        c,
        &[
            ("platform", Some("facebook".into())),
            ("post_id", Some(post_id)),
            ("comment_id", comment_id),
            ("commenter_handle", scalar(c.pointer("/from/name"))),
            ("text", scalar(c.get("message"))),
            ("commented_at", graph_time(c.get("created_time"))),
            ("likes", scalar(c.get("like_count"))),
            ("reply_to", reply_to),
        ],
    ))
}

/// The post of a comments edge (`/{page}_{post}/comments`) from its paging addresses.
fn edge_post(doc: &Value) -> Option<String> {
    ["/paging/next", "/paging/previous"].iter().find_map(|p| {
        let url = doc.pointer(p)?.as_str()?;
        let path = url.split('?').next()?;
        let mut parts = path.trim_end_matches('/').rsplit('/');
        (parts.next()? == "comments").then_some(())?;
        let id = parts.next()?;
        let (page, post) = id.split_once('_')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        (digits(page) && digits(post)).then(|| id.to_string())
    })
}

fn comments(
    items: Vec<&Value>,
    edge: Option<&str>,
    rows: &mut Vec<NativeRow>,
    rejects: &mut Vec<NativeReject>,
) {
    for (i, c) in items.into_iter().enumerate() {
        let record = i as u64;
        let mapped = if is_comment(c) {
            graph_comment(c, record, edge)
        } else {
            Err(format!("record {record} is not a Facebook comment"))
        };
        match mapped {
            Ok(r) => rows.push(r),
            Err(reason) => rejects.push(NativeReject::new(
                Table::Comments,
                record,
                reason,
                c.to_string(),
            )),
        }
    }
}

pub(super) fn facebook(doc: &Value, rows: &mut Vec<NativeRow>, rejects: &mut Vec<NativeReject>) {
    if let Some(Value::Array(items)) = doc.get("data") {
        // A post list, or a post's comments edge (`/{post-id}/comments`).
        if items.first().is_some_and(is_comment) {
            let edge = edge_post(doc);
            comments(items.iter().collect(), edge.as_deref(), rows, rejects);
            return;
        }
        for (i, p) in items.iter().enumerate() {
            graph_post(p, i as u64, rows, rejects);
        }
        return;
    }
    // A batch of comments by id (`/?ids=...`): an object keyed by comment id.
    if let Some(o) = doc.as_object()
        && o.values().next().is_some_and(is_comment)
    {
        comments(o.values().collect(), None, rows, rejects);
        return;
    }
    let items = array_or_one(doc);
    for (i, item) in items.into_iter().enumerate() {
        let record = i as u64;
        if item.get("fan_count").is_some() || item.get("followers_count").is_some() {
            graph_page(item, record, rows);
        } else if item.get("postId").is_some() {
            apify_post(item, record, rows);
        } else if item.get("likes").is_some() || item.get("followers").is_some() {
            apify_page(item, record, rows);
        } else {
            rejects.push(NativeReject::new(
                Table::Accounts,
                record,
                format!("record {record} is neither a page nor a post of a Facebook export"),
                item.to_string(),
            ));
        }
    }
}

fn graph_page(p: &Value, record: u64, rows: &mut Vec<NativeRow>) {
    let verified = p
        .get("verification_status")
        .and_then(Value::as_str)
        .map(|s| (s != "not_verified").to_string())
        .or_else(|| scalar(p.get("is_verified")));
    rows.push(row(
        Table::Accounts,
        record,
        p,
        &[
            ("platform", Some("facebook".into())),
            ("account_id", scalar(p.get("id"))),
            (
                "handle",
                scalar(p.get("username"))
                    .or_else(|| page_name(p.get("link").and_then(Value::as_str)))
                    .or_else(|| scalar(p.get("id"))),
            ),
            ("display_name", scalar(p.get("name"))),
            (
                "bio",
                scalar(p.get("about")).or_else(|| scalar(p.get("description"))),
            ),
            // Followers where the API gives them, else the page's likes (fans), which
            // older pages and API versions report instead.
            (
                "followers",
                scalar(p.get("followers_count")).or_else(|| scalar(p.get("fan_count"))),
            ),
            ("is_verified", verified),
            ("category", scalar(p.get("category"))),
            ("external_url", scalar(p.get("website"))),
            ("public_email", scalar(p.pointer("/emails/0"))),
        ],
    ));
}

fn graph_post(p: &Value, record: u64, rows: &mut Vec<NativeRow>, rejects: &mut Vec<NativeReject>) {
    if !p.is_object() {
        rejects.push(NativeReject::new(
            Table::Posts,
            record,
            "not a JSON object",
            p.to_string(),
        ));
        return;
    }
    let id = scalar(p.get("id"));
    // A page post's id is `<page id>_<post id>`; `from` names the page when asked for.
    let page = count_at(p, "/from/id").or_else(|| {
        id.as_deref()
            .and_then(|i| i.split_once('_'))
            .map(|(page, _)| page.to_string())
    });
    let media = media_of(
        p,
        "status_type",
        &[
            ("added_photos", "image"),
            ("added_video", "video"),
            ("shared_story", "link"),
        ],
        "post",
    );
    rows.push(row(
        Table::Posts,
        record,
        p,
        &[
            ("platform", Some("facebook".into())),
            ("account_id", page),
            ("post_id", id),
            ("posted_at", graph_time(p.get("created_time"))),
            // Every reaction (like, love, wow, ...) is Facebook's like; older responses
            // have only likes.
            (
                "likes",
                count_at(p, "/reactions/summary/total_count")
                    .or_else(|| count_at(p, "/likes/summary/total_count")),
            ),
            ("comments", count_at(p, "/comments/summary/total_count")),
            // Absent both when nobody shared the post and when the field was not asked
            // for: unavailable, not zero.
            ("shares", count_at(p, "/shares/count")),
            (
                "caption",
                scalar(p.get("message")).or_else(|| scalar(p.get("story"))),
            ),
            ("media_type", media),
        ],
    ));
}

fn apify_page(p: &Value, record: u64, rows: &mut Vec<NativeRow>) {
    let url = p
        .get("pageUrl")
        .or_else(|| p.get("facebookUrl"))
        .or_else(|| p.get("url"))
        .and_then(Value::as_str);
    let name = page_name(url);
    let id = scalar(p.get("pageId"))
        .or_else(|| scalar(p.get("facebookId")))
        .or_else(|| name.clone());
    let categories = p.get("categories").and_then(Value::as_array).map(|c| {
        c.iter()
            .filter_map(Value::as_str)
            .filter(|c| *c != "Page")
            .collect::<Vec<_>>()
            .join(", ")
    });
    rows.push(row(
        Table::Accounts,
        record,
        p,
        &[
            ("platform", Some("facebook".into())),
            ("account_id", id.clone()),
            ("handle", name.or_else(|| id.clone())),
            ("display_name", scalar(p.get("title"))),
            // `info` holds the page's summary lines ("2,167 likes", "Impresum"), not a bio.
            (
                "bio",
                scalar(p.get("intro")).or_else(|| scalar(p.get("about"))),
            ),
            (
                "followers",
                scalar(p.get("followers")).or_else(|| scalar(p.get("likes"))),
            ),
            ("is_verified", scalar(p.get("verified"))),
            ("category", categories.filter(|c| !c.is_empty())),
            ("external_url", scalar(p.get("website"))),
            ("public_email", scalar(p.get("email"))),
        ],
    ));
    // The older page items carry their posts.
    if let Some(Value::Array(posts)) = p.get("posts") {
        for post in posts.iter().filter(|x| x.is_object()) {
            let url = scalar(post.get("url"));
            let post_id = scalar(post.get("postId")).or_else(|| {
                url.as_deref()
                    .and_then(|u| u.trim_end_matches('/').rsplit('/').next())
                    .map(String::from)
            });
            rows.push(row(
                Table::Posts,
                record,
                post,
                &[
                    ("platform", Some("facebook".into())),
                    ("account_id", id.clone()),
                    ("post_id", post_id),
                    (
                        "posted_at",
                        scalar(post.get("date")).or_else(|| scalar(post.get("postDate"))),
                    ),
                    ("likes", count_at(post, "/stats/reactions")),
                    ("comments", count_at(post, "/stats/comments")),
                    ("shares", count_at(post, "/stats/shares")),
                    ("caption", scalar(post.get("text"))),
                    ("media_type", Some("post".into())),
                ],
            ));
        }
    }
}

fn apify_post(p: &Value, record: u64, rows: &mut Vec<NativeRow>) {
    let page = scalar(p.get("facebookId"))
        .or_else(|| count_at(p, "/user/id"))
        .or_else(|| page_name(p.get("facebookUrl").and_then(Value::as_str)));
    let media = if p.get("isVideo").and_then(Value::as_bool) == Some(true) {
        "video"
    } else if p
        .get("media")
        .is_some_and(|m| m.as_array().is_some_and(|a| !a.is_empty()))
    {
        "image"
    } else {
        "post"
    };
    rows.push(row(
        Table::Posts,
        record,
        p,
        &[
            ("platform", Some("facebook".into())),
            ("account_id", page),
            ("post_id", scalar(p.get("postId"))),
            (
                "posted_at",
                scalar(p.get("time")).or_else(|| scalar(p.get("timestamp"))),
            ),
            // The scraper's `likes` counts every reaction; `topReactionsCount` is the
            // number of reaction kinds shown, not a count of people.
            ("likes", scalar(p.get("likes"))),
            ("comments", scalar(p.get("comments"))),
            ("shares", scalar(p.get("shares"))),
            ("views", scalar(p.get("viewsCount"))),
            ("caption", scalar(p.get("text"))),
            ("media_type", Some(media.into())),
        ],
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A permalink that names the page by its vanity name gets the post of the edge it came
    /// in (its paging address names the page by number, as the posts' ids do).
    #[test]
    fn vanity_permalinks_take_the_edges_post() {
        let doc = serde_json::json!({
            "data": [{
                "message": "Thank you, we needed this",
                "created_time": "2021-08-10T18:45:03+0000",
                "permalink_url": "https://www.facebook.com/calmkids.page/posts/10158407654328553/?comment_id=7"
            }],
            "paging": {"next": "https://graph.facebook.com/v11.0/19292868552_10158407654328553/comments?after=x"}
        });
        let post = |doc: &Value| {
            let (mut rows, mut rejects) = (Vec::new(), Vec::new());
            facebook(doc, &mut rows, &mut rejects);
            assert!(rejects.is_empty());
            let at = Table::Comments
                .columns()
                .iter()
                .position(|c| c.name == "post_id")
                .unwrap();
            rows[0].values[at].clone().unwrap()
        };
        assert_eq!(post(&doc), "19292868552_10158407654328553");
        // Without paging, the vanity name is all there is (the comment is then an orphan).
        let mut alone = doc.clone();
        alone.as_object_mut().unwrap().remove("paging");
        assert_eq!(post(&alone), "calmkids.page_10158407654328553");
    }

    #[test]
    fn graph_times_become_rfc3339() {
        let v = Value::String("2021-07-09T19:09:52+0000".into());
        assert_eq!(
            graph_time(Some(&v)).as_deref(),
            Some("2021-07-09T19:09:52+00:00")
        );
        let v = Value::String("2021-07-09T19:09:52Z".into());
        assert_eq!(
            graph_time(Some(&v)).as_deref(),
            Some("2021-07-09T19:09:52Z")
        );
    }

    #[test]
    fn an_instagram_graph_user_is_not_a_page() {
        let ig = serde_json::json!({"id": "1784", "name": "Calm Kids", "followers_count": 1200,
            "media_count": 40, "biography": "feelings"});
        assert!(!detects(&ig, None));
        let page = serde_json::json!({"id": "1", "name": "Calm Kids", "followers_count": 1200,
            "link": "https://www.facebook.com/calmkids"});
        assert!(detects(&page, None));
    }

    #[test]
    fn page_names() {
        assert_eq!(
            page_name(Some("https://www.facebook.com/SaeenKaPage/")).as_deref(),
            Some("SaeenKaPage")
        );
        assert_eq!(
            page_name(Some("https://www.facebook.com/profile.php?id=1")),
            None
        );
        assert_eq!(page_name(Some("https://example.com/x")), None);
    }
}
