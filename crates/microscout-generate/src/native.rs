//! `--native`: some accounts of the drop come as the native exports people have instead of
//! canonical rows, written as those exports write them: a blog as its RSS 2.0 or Atom feed,
//! its WordPress REST API responses or its WordPress WXR export, a Facebook page as the Graph
//! API's page object and feed or Apify's pages- and posts-scraper items, a Pinterest account
//! as a profile item and web pins. The values are the canonical rows' (so a run reads the same accounts and
//! posts either way); the form is messy as real exports are: dates in other zones and
//! formats, HTML and entities in the text, counts as strings, fields left out.
//!
//! Which accounts go native is drawn from a random stream of its own, so every other account
//! and every canonical row stays as it is without `--native`.

use crate::rng::Rng;

/// The canonical fields of an account and of its posts (the orders of `ACCOUNTS_HEADER` and
/// `POSTS_HEADER`), and how messy its export is.
#[derive(Debug, Clone)]
pub(crate) struct NativeAccount {
    pub account: Vec<String>,
    pub posts: Vec<Vec<String>>,
    /// A draw in [0, 1) that picks the export's variant.
    pub style: f64,
}

/// Whether account `i` of `platform` is written natively (three in five of the platforms'
/// accounts that native exports can carry; a blog only without a follower count, since no
/// feed has one).
pub(crate) fn goes_native(seed: u64, i: usize, platform: &str, followers: &str) -> Option<f64> {
    let mut r = Rng::new(seed, 12, i as u64);
    let eligible = match platform {
        "blog" => followers.is_empty(),
        "facebook" | "pinterest" => true,
        _ => false,
    };
    (eligible && r.chance(0.6)).then(|| r.f64())
}

/// The fields of one CSV row as the generator writes them (RFC 4180).
pub(crate) fn fields(row: &str) -> Vec<String> {
    let row = row.strip_suffix('\n').unwrap_or(row);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = row.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    out.push(cur);
    out
}

// Canonical columns used below.
const A_ID: usize = 1;
const A_HANDLE: usize = 2;
const A_DISPLAY: usize = 3;
const A_BIO: usize = 4;
const A_FOLLOWERS: usize = 5;
const A_FOLLOWING: usize = 6;
const A_POSTS: usize = 7;
const A_URL: usize = 12;
const A_EMAIL: usize = 13;
const P_ID: usize = 2;
const P_AT: usize = 3;
const P_LIKES: usize = 4;
const P_COMMENTS: usize = 5;
const P_VIEWS: usize = 6;
const P_CAPTION: usize = 7;
const P_MEDIA: usize = 8;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn unix(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|d| d.timestamp())
        .unwrap_or_default()
}

/// RFC 822, as RSS writes dates, in one of the zones feeds use.
fn rss_date(t: i64, style: f64) -> String {
    let (offset, zone) = match (style * 3.0) as u32 {
        0 => (0, "+0000"),
        1 => (0, "GMT"),
        _ => (-5 * 3600, "-0500"),
    };
    let d = chrono::DateTime::from_timestamp(t + offset, 0).unwrap_or_default();
    format!("{} {zone}", d.format("%a, %d %b %Y %H:%M:%S"))
}

/// A caption as a feed's HTML: in CDATA, or escaped with a paragraph and an entity.
fn feed_html(caption: &str, cdata: bool) -> String {
    if cdata {
        format!("<![CDATA[<p>{}</p>]]>", caption.replace("]]>", "] ]>"))
    } else {
        esc(&format!("<p>{}</p>", caption.replace('&', "&amp;")))
    }
}

/// A blog's export, a quarter of the blogs each: its Atom feed (with `thr:total`), its RSS
/// 2.0 feed (with `slash:comments`), its WordPress REST API responses ([`wordpress_rest`]) or
/// WordPress's WXR export ([`wxr`]). The account id is the blog's address.
pub(crate) fn feed(a: &NativeAccount) -> Vec<(String, String)> {
    if a.style >= 0.75 {
        return vec![wxr(a)];
    }
    if a.style >= 0.5 {
        return wordpress_rest(a).into();
    }
    let f = &a.account;
    let site = &f[A_ID];
    let atom = a.style < 0.25;
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if atom {
        x.push_str(&format!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:thr=\"http://purl.org/syndication/thread/1.0\">\n\
             <title>{}</title><subtitle>{}</subtitle>\n<link rel=\"alternate\" href=\"https://{site}/\"/>\n\
             <link rel=\"self\" href=\"https://{site}/feed/atom/\"/><id>https://{site}/</id>\n",
            esc(&f[A_DISPLAY]),
            esc(&f[A_BIO])
        ));
        for p in &a.posts {
            x.push_str(&format!(
                "<entry><id>{}</id><published>{}</published><updated>{}</updated>\
                 <summary type=\"html\">{}</summary>{}</entry>\n",
                esc(&p[P_ID]),
                p[P_AT],
                p[P_AT],
                esc(&format!("<p>{}</p>", p[P_CAPTION].replace('&', "&amp;"))),
                if p[P_COMMENTS].is_empty() {
                    String::new()
                } else {
                    format!("<thr:total>{}</thr:total>", p[P_COMMENTS])
                }
            ));
        }
        x.push_str("</feed>\n");
        return vec![(format!("{site}.atom"), x)];
    }
    x.push_str(&format!(
        "<rss version=\"2.0\" xmlns:slash=\"http://purl.org/rss/1.0/modules/slash/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n<title>{}</title>\n\
         <link>https://www.{site}/</link>\n<description>{}</description>\n",
        esc(&f[A_DISPLAY]),
        esc(&f[A_BIO])
    ));
    if !f[A_EMAIL].is_empty() {
        x.push_str(&format!(
            "<managingEditor>{} ({})</managingEditor>\n",
            esc(&f[A_EMAIL]),
            esc(&f[A_DISPLAY])
        ));
    }
    for (k, p) in a.posts.iter().enumerate() {
        x.push_str(&format!(
            "<item><guid isPermaLink=\"false\">{}</guid><pubDate>{}</pubDate>\
             <dc:creator>{}</dc:creator><description>{}</description>{}</item>\n",
            esc(&p[P_ID]),
            rss_date(unix(&p[P_AT]), a.style),
            esc(&f[A_DISPLAY]),
            feed_html(&p[P_CAPTION], k % 2 == 0),
            if p[P_COMMENTS].is_empty() {
                String::new()
            } else {
                format!("<slash:comments>{}</slash:comments>", p[P_COMMENTS])
            }
        ));
    }
    x.push_str("</channel>\n</rss>\n");
    vec![(format!("{site}.xml"), x)]
}

/// A blog as its WordPress REST API gives it: the site index (`/wp-json`: name, description,
/// address) and its posts (`/wp-json/wp/v2/posts?_embed`: `date_gmt` without a zone, HTML in
/// `rendered`, the replies embedded). As the API does, `_embed` holds only the first page of
/// a post's approved comments ([`REST_REPLIES_PAGE`]), so a post with a full page or more has
/// no comment count in this form; the index has no email and no subscriber count.
pub(crate) fn wordpress_rest(a: &NativeAccount) -> [(String, String); 2] {
    let f = &a.account;
    let site = &f[A_ID];
    let index = serde_json::json!({
        "name": f[A_DISPLAY],
        "description": f[A_BIO],
        "url": format!("https://{site}"),
        "home": format!("https://{site}"),
        "gmt_offset": "-5",
        "timezone_string": "America/New_York",
        "namespaces": ["oembed/1.0", "wp/v2", "wp-site-health/v1"],
        "authentication": [],
        "routes": {},
    });
    let fmt = |d: chrono::DateTime<chrono::Utc>| d.format("%Y-%m-%dT%H:%M:%S").to_string();
    let posts: Vec<serde_json::Value> = a
        .posts
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let t = unix(&p[P_AT]);
            let gmt = chrono::DateTime::from_timestamp(t, 0).unwrap_or_default();
            let local = chrono::DateTime::from_timestamp(t - 5 * 3600, 0).unwrap_or_default();
            let id = 10 + k;
            let comments: usize = p[P_COMMENTS].parse().unwrap_or(0);
            let replies: Vec<serde_json::Value> = (0..comments.min(REST_REPLIES_PAGE))
                .map(|c| {
                    serde_json::json!({
                        "id": 1000 * k + c,
                        "post": id,
                        "parent": 0,
                        "author_name": format!("reader{c}"),
                        "date": fmt(local + chrono::Duration::hours(1 + c as i64)),
                        "content": {"rendered": "<p>Thank you!</p>\n"},
                        "link": format!("https://{site}/?p={id}#comment-{}", 1000 * k + c),
                        "type": "comment",
                    })
                })
                .collect();
            let mut post = serde_json::json!({
                "id": id,
                "date": fmt(local),
                "date_gmt": fmt(gmt),
                "guid": {"rendered": p[P_ID]},
                "modified_gmt": fmt(gmt),
                "slug": format!("post-{id}"),
                "status": "publish",
                "type": "post",
                "link": format!("https://{site}/post-{id}/"),
                "title": {"rendered": esc(&p[P_CAPTION].chars().take(40).collect::<String>())},
                "content": {"rendered": format!("<p>{}</p>\n", esc(&p[P_CAPTION])), "protected": false},
                "excerpt": {"rendered": "", "protected": false},
                "comment_status": "open",
                "_links": {"self": [{"href": format!("https://{site}/wp-json/wp/v2/posts/{id}")}]},
            });
            // A post without comments has no `replies` in `_embedded`, as WordPress writes it.
            if !replies.is_empty() {
                post["_embedded"] = serde_json::json!({"replies": [replies]});
            }
            post
        })
        .collect();
    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
    [
        (format!("{site}.wp-json.json"), pretty(&index)),
        (
            format!("{site}.wp-posts.json"),
            pretty(&serde_json::Value::from(posts)),
        ),
    ]
}

/// Comments on the first page of a post's replies that the REST API embeds (its default
/// `per_page`).
pub(crate) const REST_REPLIES_PAGE: usize = 10;

/// A blog's WordPress export (WXR 1.2): its posts with their comments (readers' approved
/// comments, plus a pingback and a spam comment now and then, which do not count) and an
/// attachment item (not a post: quarantined).
fn wxr(a: &NativeAccount) -> (String, String) {
    let f = &a.account;
    let site = &f[A_ID];
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<!-- This is a WordPress eXtended RSS file. -->\n\
         <rss version=\"2.0\" xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:wfw=\"http://wellformedweb.org/CommentAPI/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel>\n<title>{}</title>\n<link>https://{site}</link>\n\
         <description>{}</description>\n<wp:wxr_version>1.2</wp:wxr_version>\n\
         <wp:base_site_url>https://{site}</wp:base_site_url>\n<wp:base_blog_url>https://{site}</wp:base_blog_url>\n",
        esc(&f[A_DISPLAY]),
        esc(&f[A_BIO])
    );
    x.push_str(&format!(
        "<item><title>header</title><guid isPermaLink=\"false\">https://{site}/wp-content/uploads/header.jpg</guid>\
         <wp:post_id>1</wp:post_id><wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type></item>\n"
    ));
    for (k, p) in a.posts.iter().enumerate() {
        let t = unix(&p[P_AT]);
        let gmt = chrono::DateTime::from_timestamp(t, 0).unwrap_or_default();
        let local = chrono::DateTime::from_timestamp(t - 5 * 3600, 0).unwrap_or_default();
        let fmt = |d: chrono::DateTime<chrono::Utc>| d.format("%Y-%m-%d %H:%M:%S").to_string();
        x.push_str(&format!(
            "<item><title>{}</title><guid isPermaLink=\"false\">{}</guid><pubDate>{}</pubDate>\
             <dc:creator><![CDATA[{}]]></dc:creator><content:encoded><![CDATA[<p>{}</p>]]></content:encoded>\
             <excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{}</wp:post_id>\
             <wp:post_date>{}</wp:post_date><wp:post_date_gmt>{}</wp:post_date_gmt>\
             <wp:comment_status>open</wp:comment_status><wp:status>publish</wp:status>\
             <wp:post_type>post</wp:post_type>\n",
            esc(&p[P_CAPTION].chars().take(40).collect::<String>()),
            esc(&p[P_ID]),
            rss_date(t, 0.0),
            f[A_DISPLAY].replace("]]>", ""),
            p[P_CAPTION].replace("]]>", "] ]>"),
            10 + k,
            fmt(local),
            fmt(gmt),
        ));
        let comments: usize = p[P_COMMENTS].parse().unwrap_or(0);
        let extra = [
            (k % 4 == 1).then_some(("pingback", "1")),
            (k % 5 == 2).then_some(("comment", "spam")),
        ];
        let all = (0..comments)
            .map(|_| ("comment", "1"))
            .chain(extra.into_iter().flatten());
        for (c, (kind, approved)) in all.enumerate() {
            x.push_str(&format!(
                "<wp:comment><wp:comment_id>{}</wp:comment_id><wp:comment_author><![CDATA[reader{c}]]></wp:comment_author>\
                 <wp:comment_date_gmt>{}</wp:comment_date_gmt><wp:comment_content><![CDATA[Thank you!]]></wp:comment_content>\
                 <wp:comment_approved>{approved}</wp:comment_approved><wp:comment_type>{}</wp:comment_type>\
                 <wp:comment_parent>0</wp:comment_parent></wp:comment>\n",
                1000 * k + c,
                fmt(gmt + chrono::Duration::hours(1 + c as i64 % 48)),
                if kind == "comment" && c % 3 == 0 { "" } else { kind },
            ));
        }
        x.push_str("</item>\n");
    }
    x.push_str("</channel>\n</rss>\n");
    (format!("{site}.wordpress.xml"), x)
}

/// A Facebook page as the Graph API gives it: the page object and its posts feed (ids
/// `<page>_<post>`, `+0000` times, reaction, comment and share summaries).
pub(crate) fn facebook_graph(a: &NativeAccount) -> [(String, String); 2] {
    let f = &a.account;
    let id = &f[A_ID];
    let page = serde_json::json!({
        "id": id,
        "name": f[A_DISPLAY],
        "username": f[A_HANDLE],
        "fan_count": num(&f[A_FOLLOWERS]),
        "followers_count": num(&f[A_FOLLOWERS]),
        "about": f[A_BIO],
        "category": "Blogger",
        "link": format!("https://www.facebook.com/{}", f[A_HANDLE]),
        "verification_status": "not_verified",
    });
    let data: Vec<serde_json::Value> = a
        .posts
        .iter()
        .map(|p| {
            let t = unix(&p[P_AT]);
            let mut post = serde_json::json!({
                "id": p[P_ID],
                "created_time": chrono::DateTime::from_timestamp(t, 0)
                    .unwrap_or_default()
                    .format("%Y-%m-%dT%H:%M:%S+0000")
                    .to_string(),
                "message": p[P_CAPTION],
                "status_type": if p[P_MEDIA] == "video" { "added_video" } else { "added_photos" },
                "comments": {"data": [], "summary": {"order": "chronological", "total_count": num(&p[P_COMMENTS]), "can_comment": true}},
            });
            if !p[P_LIKES].is_empty() {
                post["reactions"] = serde_json::json!({"data": [], "summary": {"total_count": num(&p[P_LIKES]), "viewer_reaction": "NONE"}});
            }
            if t % 3 != 0 {
                post["shares"] = serde_json::json!({"count": t % 11});
            }
            post
        })
        .collect();
    let feed = serde_json::json!({
        "data": data,
        "paging": {"cursors": {"before": "QVFIU", "after": "QVFIU2"}},
    });
    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
    [
        (format!("facebook-page-{id}.json"), pretty(&page)),
        (format!("facebook-feed-{id}.json"), pretty(&feed)),
    ]
}

fn num(s: &str) -> serde_json::Value {
    s.parse::<u64>()
        .map(serde_json::Value::from)
        .unwrap_or(serde_json::Value::Null)
}

/// A Facebook page as an Apify pages-scraper item, and its posts as posts-scraper items.
pub(crate) fn facebook(a: &NativeAccount) -> (serde_json::Value, Vec<serde_json::Value>) {
    let f = &a.account;
    let url = format!("https://www.facebook.com/{}/", f[A_HANDLE]);
    let mut page = serde_json::json!({
        "facebookUrl": url,
        "pageUrl": url,
        "pageId": f[A_ID],
        "title": f[A_DISPLAY],
        "categories": ["Page", "Blogger"],
        "followers": num(&f[A_FOLLOWERS]),
        "likes": num(&f[A_FOLLOWERS]),
        "info": [format!("{}. {} likes", f[A_DISPLAY], f[A_FOLLOWERS])],
    });
    if !f[A_BIO].is_empty() {
        page["intro"] = f[A_BIO].clone().into();
    }
    if !f[A_EMAIL].is_empty() {
        page["email"] = f[A_EMAIL].clone().into();
    }
    if !f[A_URL].is_empty() {
        page["website"] = f[A_URL].clone().into();
    }
    let posts = a
        .posts
        .iter()
        .map(|p| {
            let t = unix(&p[P_AT]);
            let mut item = serde_json::json!({
                "facebookUrl": url,
                "postId": p[P_ID],
                "pageName": f[A_HANDLE],
                "url": format!("{url}posts/{}", p[P_ID]),
                "time": chrono::DateTime::from_timestamp(t, 0)
                    .unwrap_or_default()
                    .format("%Y-%m-%dT%H:%M:%S.000Z")
                    .to_string(),
                "timestamp": t,
                "text": p[P_CAPTION],
                "likes": num(&p[P_LIKES]),
                "shares": (t % 7) as u64,
                "topReactionsCount": 1 + (t % 3) as u64,
                "facebookId": f[A_ID],
                "user": {"id": f[A_ID], "name": f[A_DISPLAY]},
            });
            // Hidden counts are left out, as the scraper leaves out what it cannot see.
            if p[P_LIKES].is_empty() {
                item.as_object_mut().map(|o| o.remove("likes"));
            }
            if !p[P_COMMENTS].is_empty() {
                item["comments"] = num(&p[P_COMMENTS]);
            }
            if p[P_MEDIA] == "video" {
                item["isVideo"] = true.into();
                item["viewsCount"] = num(&p[P_VIEWS]);
            } else {
                item["media"] =
                    serde_json::json!([{"thumbnail": "https://scontent.example/t.jpg"}]);
            }
            item
        })
        .collect();
    (page, posts)
}

/// A Pinterest account as a profile item, and its pins as web pins (snake_case, RFC 822
/// dates, reactions by kind, saves). The account id is the username.
pub(crate) fn pinterest(a: &NativeAccount) -> (serde_json::Value, Vec<serde_json::Value>) {
    let f = &a.account;
    let mut profile = serde_json::json!({
        "username": f[A_ID],
        "full_name": f[A_DISPLAY],
        "follower_count": num(&f[A_FOLLOWERS]),
        "following_count": num(&f[A_FOLLOWING]),
        "pin_count": num(&f[A_POSTS]),
        "board_count": 3 + f[A_ID].len() % 20,
        "about": f[A_BIO],
    });
    if !f[A_URL].is_empty() {
        profile["website_url"] = f[A_URL].clone().into();
    }
    let pins = a
        .posts
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let t = unix(&p[P_AT]);
            let (title, description) = match p[P_CAPTION].split_once(". ") {
                Some((t, d)) => (t.to_string(), d.to_string()),
                None => (p[P_CAPTION].clone(), " ".to_string()),
            };
            let mut pin = serde_json::json!({
                "id": p[P_ID],
                "created_at": rss_date(t, 0.0),
                "title": title,
                "description": description,
                "pinner": {"username": f[A_ID], "full_name": f[A_DISPLAY]},
                "repin_count": 0,
                "aggregated_pin_data": {"aggregated_stats": {"saves": (t % 97) as u64, "done": 0}},
                "is_video": false,
            });
            // Reactions by kind (1 is the heart), split as the web gives them; none when
            // the canonical likes are hidden.
            if let Ok(likes) = p[P_LIKES].parse::<u64>() {
                let second = if k % 3 == 0 { likes / 10 } else { 0 };
                let mut kinds = serde_json::Map::new();
                kinds.insert("1".into(), (likes - second).into());
                if second > 0 {
                    kinds.insert("5".into(), second.into());
                }
                pin["reaction_counts"] = kinds.into();
            }
            if !p[P_COMMENTS].is_empty() {
                pin["comment_count"] = num(&p[P_COMMENTS]);
            }
            pin
        })
        .collect();
    (profile, pins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_split_back_into_their_fields() {
        let row = crate::text::csv_row_for_tests(&["a", "b,c", "say \"hi\"", "", "x\ny"]);
        assert_eq!(fields(&row), vec!["a", "b,c", "say \"hi\"", "", "x\ny"]);
    }

    #[test]
    fn rss_dates_in_three_zones_are_the_same_instant() {
        let t = 1_795_000_000;
        for style in [0.1, 0.5, 0.9] {
            let d = rss_date(t, style);
            assert_eq!(
                chrono::DateTime::parse_from_rfc2822(&d)
                    .unwrap()
                    .timestamp(),
                t,
                "{d}"
            );
        }
    }
}
