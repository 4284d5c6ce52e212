//! Native exports as they come (Apify, Instagram web and Instaloader, YouTube Data API,
//! TikTok, Instagram's followers export): recognised by content, every item accounted for.

use crate::ingest::{AS_OF, CAMPAIGN, DROP, counts, manifest};
use crate::util::*;

const NATIVE: &str = "tests/fixtures/native";

/// A drop folder holding these files of `tests/fixtures/native/<folder>/`.
fn fixture_drop(dir: &Scratch, folder: &str, files: &[&str]) -> std::path::PathBuf {
    let drop = dir.join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    for f in files {
        std::fs::copy(root().join(NATIVE).join(folder).join(f), drop.join(f)).unwrap();
    }
    drop
}

/// The fixtures `files` of `folder` as a drop, run: the scratch folder, the run folder and
/// its manifest.
fn run_fixtures(
    name: &str,
    folder: &str,
    files: &[&str],
) -> (Scratch, std::path::PathBuf, serde_json::Value) {
    let dir = Scratch::new(name);
    let drop = fixture_drop(&dir, folder, files);
    let run = run_ok(CAMPAIGN, drop.to_str().unwrap(), &dir.join("out"), AS_OF);
    let m = manifest(&run);
    (dir, run, m)
}

#[test]
fn apify_instagram_profile_and_post_items() {
    let (_dir, run, m) = run_fixtures(
        "apify",
        "apify-instagram",
        &[
            "apify-alexey_README_profile_apifytech_2022.json",
            "apify-alexey_README_post_2022.json",
            "apify-alexey_README_post_v1_2022.json",
            "zzbazza_README_post_legacy_2020.json",
            "zzbazza_README_comment_legacy_2020.json",
        ],
    );
    let profile = "apify-alexey_README_profile_apifytech_2022.json";
    assert_eq!(counts(&m, profile, "accounts"), (1, 1, 0));
    // The README truncated latestPosts to one post.
    assert_eq!(counts(&m, profile, "posts"), (1, 1, 0));
    let scores = read_csv(&run.join("scores.csv"));
    assert_eq!(scores.len(), 1);
    let a = &scores[0];
    assert_eq!(a["handle"], "apifytech");
    assert_eq!(a["account_id"], "29230178602");
    assert_eq!(a["followers"], "190");
    assert_eq!(a["posts_in_window"], "1");
    assert_eq!(a["median_likes"], "13");
    assert_eq!(a["median_comments"], "3");
    // Post items of other owners are posts of unknown accounts: quarantined, not lost; and
    // so their comments (the 2022 item's eleven `topComments`, the legacy comment item's one)
    // are comments on unknown posts.
    let rejected = read_csv(&run.join("rejected.csv"));
    assert_eq!(rejected.len(), 15, "{} rejected", rejected.len());
    let with = |start: &str| {
        rejected
            .iter()
            .filter(|r| r["reason"].starts_with(start))
            .count()
    };
    assert_eq!(with("post of unknown account"), 3);
    assert_eq!(with("comment on unknown post"), 12);
    assert_eq!(
        counts(&m, "apify-alexey_README_post_2022.json", "comments"),
        (11, 0, 11)
    );
    // The comment item names its post by short code: BwrsO1Bho2N is media
    // 2029910590113615245.
    assert!(
        rejected
            .iter()
            .any(|r| r["file"] == "zzbazza_README_comment_legacy_2020.json"
                && r["table"] == "comments"
                && r["reason"].contains("`2029910590113615245`"))
    );
    assert!(rejected.iter().all(|r| r["record"] == "0"));
}

#[test]
fn apify_legacy_posts_map_every_item() {
    let dir = Scratch::new("apify-legacy");
    let drop = dir.join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    let f = "alanHurtado_TT2ANBU_loadedJSON_posts_legacy_2020.json";
    std::fs::copy(
        root().join(NATIVE).join("apify-instagram").join(f),
        drop.join(f),
    )
    .unwrap();
    // The owners, as a canonical accounts table (the export has no profiles).
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(drop.join(f)).unwrap()).unwrap();
    let mut owners: Vec<(String, String)> = doc
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["ownerId"].to_string().trim_matches('"').to_string(),
                p["ownerUsername"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    owners.sort();
    owners.dedup_by(|a, b| a.0 == b.0);
    let mut csv = String::from("platform,account_id,handle,followers\n");
    for (id, name) in &owners {
        csv.push_str(&format!("instagram,{id},{name},5000\n"));
    }
    std::fs::write(drop.join("accounts.csv"), csv).unwrap();
    let run = run_ok(CAMPAIGN, drop.to_str().unwrap(), &dir.join("out"), AS_OF);
    let m = manifest(&run);
    let (read, accepted, rejected) = counts(&m, f, "posts");
    assert_eq!(read, 136, "the README's 136 items");
    assert_eq!(read, accepted + rejected);
    // The fixture's README: the first items carry placeholder data copied by the repo's
    // author, including the same post id on 6 items. The first is kept, 5 are duplicates.
    assert_eq!((accepted, rejected), (131, 5));
    let rej = read_csv(&run.join("rejected.csv"));
    let posts: Vec<_> = rej.iter().filter(|r| r["table"] == "posts").collect();
    assert!(posts.iter().all(|r| {
        r["reason"].starts_with("duplicate post: instagram post_id `2287303869403379748`")
    }));
    assert_eq!(
        posts
            .iter()
            .map(|r| r["record"].as_str())
            .collect::<Vec<_>>(),
        ["1", "2", "3", "4", "5"]
    );
    // The legacy items' `latestComments` (handle and text, no id) are comments of their
    // posts, each named by its place in the list.
    assert_eq!(counts(&m, f, "comments"), (62, 62, 0));
    // Measured per account on its recent posts; an account with none says so.
    let scores = read_csv(&run.join("scores.csv"));
    let by = |h: &str| scores.iter().find(|s| s["handle"] == h).unwrap();
    let a = by("juanperezvintage");
    assert_eq!((&*a["comments_read"], &*a["comments_recent"]), ("10", "10"));
    assert_eq!(
        (&*a["commenters"], &*a["generic_comment_share"]),
        ("10", "0.2")
    );
    assert_eq!(a["comment_evidence_status"], "measured");
    // Three handles wrote all six comments on this account's posts.
    let b = by("juanantonio.perez");
    assert_eq!((&*b["commenters"], &*b["top_commenters_share"]), ("3", "1"));
    assert_eq!(
        by("juvnpe")["comment_evidence_status"],
        "unavailable: no comments on the account's posts in the drop"
    );
    assert_eq!(
        scores
            .iter()
            .map(|s| s["comments_read"].parse::<u64>().unwrap())
            .sum::<u64>(),
        62
    );
}

#[test]
fn youtube_api_channels_and_videos() {
    let (_dir, run, m) = run_fixtures(
        "youtube",
        "youtube-data-api-v3",
        &[
            "sumister_channels.list_googledevelopers.json",
            "sumister_videos.list_50.json",
            "yfetch_samples_channel.json",
            "yfetch_samples_video.json",
            "sumister_commentThreads.list.json",
            "yfetch_samples_top10VideosList.json",
        ],
    );
    assert_eq!(
        counts(
            &m,
            "sumister_channels.list_googledevelopers.json",
            "accounts"
        ),
        (1, 1, 0)
    );
    assert_eq!(
        counts(&m, "yfetch_samples_channel.json", "accounts"),
        (1, 1, 0)
    );
    let (read, acc, rej) = counts(&m, "sumister_videos.list_50.json", "posts");
    assert_eq!((read, acc + rej), (50, 50));
    // The 50 most-popular videos belong to channels not in the drop.
    assert_eq!(acc, 0);
    // The trimmed yfetch video has no channelId: rejected (its missing commentCount alone
    // would not be: comments turned off are left out, not zeroed).
    assert_eq!(counts(&m, "yfetch_samples_video.json", "posts"), (1, 0, 1));
    // Comment threads become comments: 20 top-level comments and the 18 replies the
    // response carries, on a video that is not in the drop (orphans, quarantined as such).
    assert_eq!(
        counts(&m, "sumister_commentThreads.list.json", "comments"),
        (38, 0, 38)
    );
    // Search results are recognised, and quarantined saying why.
    // The "top 10" file holds 9 items.
    assert_eq!(
        counts(&m, "yfetch_samples_top10VideosList.json", "accounts"),
        (9, 0, 9)
    );
    let rejected = read_csv(&run.join("rejected.csv"));
    assert!(rejected.iter().any(|r| r["reason"]
        == "comment on unknown post: youtube post_id `_VB39Jo8mAQ` is not in the posts table"));
    assert!(
        rejected
            .iter()
            .any(|r| r["reason"].starts_with("a YouTube search result"))
    );
    let scores = read_csv(&run.join("scores.csv"));
    let g = scores
        .iter()
        .find(|r| r["account_id"] == "UC_x5XG1OV2P6uZZ5FSM9Ttw")
        .unwrap();
    assert_eq!(g["followers"], "2400000");
    assert_eq!(g["platform"], "youtube");
    assert_eq!(g["posts_in_window"], "0");
}

#[test]
fn json_of_no_known_export_stops_the_run() {
    let dir = Scratch::new("unknown-json");
    let drop = dir.join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    for f in ["accounts.csv", "posts.csv"] {
        std::fs::copy(root().join(DROP).join(f), drop.join(f)).unwrap();
    }
    std::fs::write(drop.join("export.json"), "{\"hello\": [1, 2, 3]}").unwrap();
    let o = run_job(CAMPAIGN, drop.to_str().unwrap(), &dir.join("out"), AS_OF);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("export.json") && stderr(&o).contains("no known export"),
        "{}",
        stderr(&o)
    );
    // Cut short, the same file is quarantined instead.
    std::fs::write(
        drop.join("export.json"),
        "{\"username\": \"x\", \"followersCount\": 1",
    )
    .unwrap();
    let run = run_ok(CAMPAIGN, drop.to_str().unwrap(), &dir.join("out"), AS_OF);
    let rejected = read_csv(&run.join("rejected.csv"));
    assert!(
        rejected
            .iter()
            .any(|r| r["file"] == "export.json" && r["reason"].starts_with("truncated JSON"))
    );
}

#[test]
fn instagram_web_profile_timeline_and_instaloader() {
    let dir = Scratch::new("instagram-web");
    let drop = dir.join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    let src = root().join(NATIVE).join("instagram-graphql");
    let profile = "ymrabti_ig-tool_src_data.js__profile_a1_hidori_rose_2021.json";
    let timeline = "ifebld_instagram-dashboard_src_api_api.json__timeline_edges_adele_2022.json";
    std::fs::copy(src.join(profile), drop.join(profile)).unwrap();
    std::fs::copy(src.join(timeline), drop.join(timeline)).unwrap();
    // adele's profile, as Instaloader writes it: the node wrapped, pretty-printed .json; and
    // one of her posts wrapped and xz-compressed, as .json.xz.
    let profile_doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(src.join(profile)).unwrap()).unwrap();
    let mut adele = profile_doc["graphql"]["user"].clone();
    adele["id"] = "2242640123".into();
    adele["username"] = "adele".into();
    adele["edge_followed_by"]["count"] = 52_000_000.into();
    adele
        .as_object_mut()
        .unwrap()
        .remove("edge_owner_to_timeline_media");
    let wrapped = serde_json::json!({"node": adele, "instaloader": {"version": "4.9", "node_type": "Profile"}});
    std::fs::write(
        drop.join("adele_2242640123.json"),
        serde_json::to_string_pretty(&wrapped).unwrap(),
    )
    .unwrap();
    let timeline_doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(src.join(timeline)).unwrap()).unwrap();
    let mut post = timeline_doc[0]["node"].clone();
    post["id"] = "instaloader-only-post".into();
    post["edge_media_preview_like"] = serde_json::json!({"count": -1});
    let wrapped =
        serde_json::json!({"node": post, "instaloader": {"version": "4.9", "node_type": "Post"}});
    let mut xz = Vec::new();
    lzma_rs::xz_compress(
        &mut serde_json::to_vec(&wrapped).unwrap().as_slice(),
        &mut xz,
    )
    .unwrap();
    std::fs::write(drop.join("2022-08-15_UTC.json.xz"), xz).unwrap();

    let run = run_ok(CAMPAIGN, drop.to_str().unwrap(), &dir.join("out"), AS_OF);
    let m = manifest(&run);
    assert_eq!(counts(&m, profile, "accounts"), (1, 1, 0));
    assert_eq!(counts(&m, profile, "posts"), (12, 12, 0));
    assert_eq!(counts(&m, timeline, "posts"), (12, 12, 0));
    assert_eq!(counts(&m, "adele_2242640123.json", "accounts"), (1, 1, 0));
    assert_eq!(counts(&m, "2022-08-15_UTC.json.xz", "posts"), (1, 1, 0));
    let scores = read_csv(&run.join("scores.csv"));
    let hidori = scores
        .iter()
        .find(|r| r["handle"] == "hidori_rose")
        .unwrap();
    assert_eq!(hidori["followers"], "761659");
    assert_eq!(hidori["posts_in_window"], "12");
    let adele = scores.iter().find(|r| r["handle"] == "adele").unwrap();
    // 12 timeline posts + the Instaloader one (dated like the newest), whose like count is
    // hidden (-1): the window holds it and 11 others, and its likes stay unknown.
    assert_eq!(adele["posts_in_window"], "12");
    assert_eq!(adele["likes_visible_posts"], "11");
    assert!(
        adele["likes_status"].contains("1 with hidden likes left out"),
        "{}",
        adele["likes_status"]
    );
}

#[test]
fn tiktok_profile_feeds_video_and_follower_list() {
    let dir = Scratch::new("tiktok");
    let drop = dir.join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    let src = root().join(NATIVE).join("tiktok");
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), drop.join(e.file_name())).unwrap();
    }
    let run = run_ok(CAMPAIGN, drop.to_str().unwrap(), &dir.join("out"), AS_OF);
    let m = manifest(&run);
    assert_eq!(
        counts(&m, "RatiAvaliani_UserInfoMetaData.json", "accounts"),
        (1, 1, 0)
    );
    // The feed repeats its one author on all 41 videos: one account row.
    assert_eq!(
        counts(&m, "RatiAvaliani_UserSearchAndVideoPosts.json", "accounts"),
        (1, 1, 0)
    );
    assert_eq!(
        counts(&m, "RatiAvaliani_UserSearchAndVideoPosts.json", "posts"),
        (41, 41, 0)
    );
    let (read, acc, rej) = counts(&m, "RatiAvaliani_VideoTrending.json", "posts");
    assert_eq!((read, acc, rej), (28, 28, 0));
    assert_eq!(
        counts(&m, "RatiAvaliani_VideoTrending.json", "accounts").0,
        20
    );
    // The scraper video is TikTok's own account's, which the feed defined.
    assert_eq!(
        counts(&m, "RatiAvaliani_VideoInfoMetaData.json", "posts").0,
        1
    );
    // 200 followers of nobody in particular: quarantined, with the reason.
    assert_eq!(
        counts(&m, "RatiAvaliani_UserInfoFollowerList.json", "followers"),
        (200, 0, 200)
    );
    let scores = read_csv(&run.join("scores.csv"));
    let brent = scores
        .iter()
        .find(|r| r["handle"] == "brentrivera")
        .unwrap();
    assert_eq!(brent["followers"], "34178763");
    assert_eq!(brent["tier"], "mega");
    let tiktok = scores.iter().find(|r| r["handle"] == "tiktok").unwrap();
    assert_eq!(tiktok["followers"], "47900000");
    assert_eq!(tiktok["posts_in_window"], "12");
}

/// A drop with one account, the given export files, and a campaign naming whose followers
/// `followers_1.json` lists (or not).
pub(crate) fn export_drop(dir: &Scratch, folder: &str, name_account: bool) -> std::path::PathBuf {
    let drop = dir.join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    for e in std::fs::read_dir(
        root()
            .join(NATIVE)
            .join("instagram-followers-export")
            .join(folder),
    )
    .unwrap()
    {
        let e = e.unwrap();
        std::fs::copy(e.path(), drop.join(e.file_name())).unwrap();
    }
    std::fs::write(
        drop.join("accounts.csv"),
        "platform,account_id,handle,followers\ninstagram,holder,the_holder,900\n",
    )
    .unwrap();
    std::fs::write(drop.join("posts.csv"), "platform,account_id,post_id,posted_at,likes,comments\ninstagram,holder,p1,2026-11-01,40,3\n").unwrap();
    let campaign = dir.join("campaign.toml");
    let ingest = if name_account {
        "[ingest]\nfollowers-exports = { \"followers_1.json\" = \"instagram:holder\" }\n"
    } else {
        ""
    };
    std::fs::write(&campaign, ingest).unwrap();
    drop
}

#[test]
fn instagram_followers_exports_of_every_variant() {
    for (folder, followers, other_lists) in [
        ("aviv-rs_2024-12", 929, vec![("following.json", 555)]),
        ("wicful-io_2025-08", 229, vec![("following.json", 230)]),
        (
            "shaypat112_2026-07_new-following-format",
            519,
            vec![
                ("following.json", 923),
                ("pending_follow_requests.json", 8),
                ("recently_unfollowed_profiles.json", 60),
            ],
        ),
        ("zackmarks_2023-04_single-object", 1, vec![]),
    ] {
        let dir = Scratch::new("ig-export");
        let drop = export_drop(&dir, folder, true);
        let run = run_ok(
            dir.join("campaign.toml").to_str().unwrap(),
            drop.to_str().unwrap(),
            &dir.join("out"),
            AS_OF,
        );
        let m = manifest(&run);
        assert_eq!(
            counts(&m, "followers_1.json", "followers"),
            (followers, followers, 0),
            "{folder}"
        );
        for (file, n) in other_lists {
            let (read, acc, rej) = counts(&m, file, "followers");
            assert_eq!((read, acc, rej), (n, 0, n), "{folder}/{file}");
        }
        let scores = read_csv(&run.join("scores.csv"));
        assert_eq!(
            scores[0]["follower_sample_size"],
            followers.to_string(),
            "{folder}"
        );
    }
}

#[test]
fn a_followers_export_without_its_account_is_quarantined_saying_what_to_add() {
    let dir = Scratch::new("ig-export-anon");
    let drop = export_drop(&dir, "aviv-rs_2024-12", false);
    let run = run_ok(
        dir.join("campaign.toml").to_str().unwrap(),
        drop.to_str().unwrap(),
        &dir.join("out"),
        AS_OF,
    );
    let m = manifest(&run);
    assert_eq!(counts(&m, "followers_1.json", "followers"), (929, 0, 929));
    let rejected = read_csv(&run.join("rejected.csv"));
    assert!(
        rejected.iter().any(|r| r["file"] == "followers_1.json"
            && r["reason"].contains("[ingest] followers-exports"))
    );
}

/// The adapter a file's report names.
fn adapter_of<'a>(m: &'a serde_json::Value, file: &str) -> &'a str {
    m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["file"] == file)
        .and_then(|r| r["adapter"].as_str())
        .unwrap_or_else(|| panic!("no adapter for {file}"))
}

fn by_handle(
    scores: &[std::collections::HashMap<String, String>],
    handle: &str,
) -> std::collections::HashMap<String, String> {
    scores
        .iter()
        .find(|s| s["handle"] == handle)
        .unwrap_or_else(|| panic!("no account {handle}"))
        .clone()
}

#[test]
fn facebook_graph_api_and_apify_exports() {
    let dir = Scratch::new("facebook");
    let files = [
        "sns-sdks_graph-page-facebookapp.json",
        "sns-sdks_graph-page-feed-fbdevelopers.json",
        "spring-attic_graph-page-denton-donuts.json",
        "shoaibwaqar665_apify-posts-scraper-saeenkapage.json",
        "grube386_apify-pages-scraper-biasana.json",
        "pocesar_apify-old-facebook-scraper-page-with-posts.json",
    ];
    let drop = fixture_drop(&dir, "facebook", &files);
    // The post lists' pages, which no page fixture holds, given as a canonical table.
    std::fs::write(
        drop.join("accounts.csv"),
        "platform,account_id,handle,followers\n\
         facebook,19292868552,fbdevelopers,5200000\n\
         facebook,100063662322080,SaeenKaPage,2400000\n",
    )
    .unwrap();
    let run = run_ok(CAMPAIGN, drop.to_str().unwrap(), &dir.join("out"), AS_OF);
    let m = manifest(&run);
    for f in files {
        assert_eq!(adapter_of(&m, f), "facebook", "{f}");
    }
    for page in &files[..1] {
        assert_eq!(counts(&m, page, "accounts"), (1, 1, 0));
    }
    assert_eq!(counts(&m, files[2], "accounts"), (1, 1, 0));
    assert_eq!(counts(&m, files[4], "accounts"), (1, 1, 0));
    // Every post of the Graph feed and the posts scraper joins its page.
    assert_eq!(counts(&m, files[1], "posts"), (5, 5, 0));
    assert_eq!(counts(&m, files[3], "posts"), (20, 20, 0));
    assert_eq!(counts(&m, files[5], "posts"), (1, 1, 0));
    let scores = read_csv(&run.join("scores.csv"));
    let app = by_handle(&scores, "facebookapp");
    assert_eq!(app["account_id"], "20531316728");
    // fan_count stands in for followers when the page has no followers_count.
    assert_eq!(app["followers"], "214507731");
    let donuts = by_handle(&scores, "DentonSquareDonuts");
    assert_eq!(donuts["followers"], "3078");
    // The Apify pages item without a page id is named by its address.
    assert_eq!(by_handle(&scores, "BiasanaCenter")["followers"], "2167");
    let dev = by_handle(&scores, "fbdevelopers");
    assert_eq!(dev["posts_in_window"], "5");
    // Reactions are Facebook's likes: 125, 131, 143, ... in the feed.
    assert!(
        dev["median_likes"].parse::<f64>().unwrap() > 100.0,
        "{dev:?}"
    );
    assert!(
        dev["engagement_norm"].starts_with("facebook:"),
        "{}",
        dev["engagement_norm"]
    );
    let saeen = by_handle(&scores, "SaeenKaPage");
    assert_eq!(saeen["posts_in_window"], "12");
    assert!(
        saeen["comments_status"].starts_with("measured"),
        "{}",
        saeen["comments_status"]
    );
    assert!(saeen["engagement_rate"].parse::<f64>().unwrap() > 0.0);
}

#[test]
fn pinterest_api_and_web_pins() {
    let dir = Scratch::new("pinterest");
    let files = [
        "pinterest_v5-pins-list-sdk-http-log.json",
        "cosminagheorghe47_v5-user-account-logged.json",
        "sahebraojadhav_v3-search-pins-resource.json",
        "UsoltsevI_web-graphql-v3GetPinQuery-pin.json",
        "epctex_pinterest-scraper-readme-pin-detail.json",
        "apify-alexey_pinterest-crawler-readme-pin-item.json",
        "apify-alexey_pinterest-crawler-readme-profile-kv.json",
    ];
    let drop = fixture_drop(&dir, "pinterest", &files);
    std::fs::write(
        drop.join("accounts.csv"),
        "platform,account_id,handle,followers\npinterest,rvaria_pin,rvaria_pin,5400\n",
    )
    .unwrap();
    let run = run_ok(CAMPAIGN, drop.to_str().unwrap(), &dir.join("out"), AS_OF);
    let m = manifest(&run);
    for f in files {
        assert_eq!(adapter_of(&m, f), "pinterest", "{f}");
    }
    // The v5 page's 19 pins join their owner, named only by username.
    assert_eq!(counts(&m, files[0], "posts"), (19, 19, 0));
    assert_eq!(counts(&m, files[1], "accounts"), (1, 1, 0));
    // 25 search results, each with its pinner as an account.
    assert_eq!(counts(&m, files[2], "accounts"), (25, 25, 0));
    assert_eq!(counts(&m, files[2], "posts"), (25, 25, 0));
    assert_eq!(counts(&m, files[3], "posts"), (1, 1, 0));
    assert_eq!(counts(&m, files[4], "accounts"), (1, 1, 0));
    // The crawler's pin and its profile: one account, its pin joined.
    assert_eq!(counts(&m, files[5], "posts"), (1, 1, 0));
    assert_eq!(counts(&m, files[6], "accounts"), (1, 1, 0));
    let scores = read_csv(&run.join("scores.csv"));
    let ohjoy = by_handle(&scores, "ohjoy");
    assert_eq!(ohjoy["followers"], "15217874");
    assert_eq!(ohjoy["posts_in_window"], "1");
    assert_eq!(by_handle(&scores, "dudadelsanto")["followers"], "11680");
    let cindy = by_handle(&scores, "cindybcindyb");
    // Reactions 626 + 16 + 14 + 2 + 6.
    assert_eq!(cindy["median_likes"], "664");
    // API v5 pins without metrics: likes and comments unavailable, said so.
    let rvaria = by_handle(&scores, "rvaria_pin");
    assert_eq!(rvaria["posts_in_window"], "12");
    assert_eq!(rvaria["median_likes"], "");
    assert!(
        rvaria["likes_status"].starts_with("unavailable"),
        "{}",
        rvaria["likes_status"]
    );
    assert!(rvaria["engagement_norm"].starts_with("pinterest:"));
}

#[test]
fn blog_feeds_and_wordpress_exports() {
    let files = [
        "Ranchero-Software_natashatherobot-wordpress-rss2.xml",
        "rbren_google-testing-blog-blogger-atom.rss",
        "danmactough_intertwingly-sam-ruby-atom.atom",
        "frontity_wp-v2-posts-embedded.json",
        "frontity_wp-v2-comments.json",
        "frontity_wp-v2-users.json",
        "getpelican_wxr-1.1-wordpress-3.3-export.xml",
        "WordPress_wxr-1.1-wordpress-3.1-small-export.xml",
    ];
    let (_dir, run, m) = run_fixtures("blog", "blog", &files);
    let adapters = [
        "rss",
        "atom",
        "atom",
        "wordpress-rest",
        "wordpress-rest",
        "wordpress-rest",
        "wordpress-wxr",
        "wordpress-wxr",
    ];
    for (f, a) in files.iter().zip(adapters) {
        assert_eq!(adapter_of(&m, f), a, "{f}");
    }
    assert_eq!(counts(&m, files[0], "accounts"), (1, 1, 0));
    assert_eq!(counts(&m, files[0], "posts"), (10, 10, 0));
    assert_eq!(counts(&m, files[1], "posts"), (25, 25, 0));
    assert_eq!(counts(&m, files[2], "posts"), (20, 20, 0));
    assert_eq!(counts(&m, files[3], "accounts"), (1, 1, 0));
    assert_eq!(counts(&m, files[3], "posts"), (5, 5, 0));
    // The REST comments are on a post of another demo site (test.frontity.org's post 60,
    // not in the drop): orphans, each named. Users are quarantined saying why.
    assert_eq!(counts(&m, files[4], "comments"), (3, 0, 3));
    assert_eq!(counts(&m, files[5], "accounts"), (5, 0, 5));
    // Pelican's export: 20 items, 7 of them published posts; the other 13 (attachments,
    // pages, drafts, custom types) quarantined, and one of the 7 too (a duplicate guid).
    // Three published posts have no GMT date (WordPress writes 0000 and a 1970 pubDate):
    // their local post_date dates them.
    assert_eq!(counts(&m, files[6], "posts"), (20, 6, 14));
    // WordPress's own small export: 6 posts (one private) and 5 pages.
    assert_eq!(counts(&m, files[7], "posts"), (11, 5, 6));
    // Their readers' comments: Pelican's 4 `wp:comment`s less a trashed pingback (not a
    // reader's comment), WordPress's one.
    assert_eq!(counts(&m, files[6], "comments"), (3, 3, 0));
    assert_eq!(counts(&m, files[7], "comments"), (1, 1, 0));
    let rejected = read_csv(&run.join("rejected.csv"));
    for says in [
        "a WordPress `page` item, not a blog post",
        "a WordPress post with status `draft`",
        "comment on unknown post: blog post_id `https://test.frontity.org/?p=60`",
        "a WordPress user (wp/v2/users)",
    ] {
        assert!(
            rejected.iter().any(|r| r["reason"].starts_with(says)),
            "{says}"
        );
    }
    let scores = read_csv(&run.join("scores.csv"));
    let natasha = by_handle(&scores, "natashatherobot.com");
    // No blog export has a follower count: empty, not 0, and no tier or rate.
    assert_eq!(
        (natasha["followers"].as_str(), natasha["tier"].as_str()),
        ("", "")
    );
    assert_eq!(natasha["engagement_rate"], "");
    assert!(natasha["engagement_rate_status"].contains("no follower count"));
    assert!(natasha["likes_status"].contains("a blog post has no like count"));
    // slash:comments 6, 3, 4, 13, 0, 1, 11, 6, 1, 5.
    assert_eq!(natasha["median_comments"], "4.5");
    assert_eq!(natasha["comments_floor"], "3");
    assert!(natasha["engagement_norm"].starts_with("blog: 3 comments per post"));
    // A relative Atom link resolved against the feed's own address; thr:count read.
    let sam = by_handle(&scores, "intertwingly.net/blog");
    assert_eq!(sam["posts_in_window"], "12");
    assert_eq!(by_handle(&scores, "testing.googleblog.com")["email"], "");
    assert_eq!(
        by_handle(&scores, "demo.worona.org")["posts_in_window"],
        "5"
    );
}

#[test]
fn a_drop_of_all_six_platforms_ranks_them_together_each_by_its_norm() {
    // The bundled sample: Instagram, YouTube, TikTok, Facebook, Pinterest and blogs.
    let dir = Scratch::new("six-platforms");
    let run = run_ok(
        "data/campaign.toml",
        "data/sample/drop",
        &dir.join("out"),
        AS_OF,
    );
    let shortlist = read_csv(&run.join("shortlist.csv"));
    let scores = read_csv(&run.join("scores.csv"));
    let platforms: std::collections::BTreeSet<&str> =
        shortlist.iter().map(|s| s["platform"].as_str()).collect();
    assert_eq!(platforms.len(), 6, "{platforms:?}");
    for s in &scores {
        assert!(
            s["engagement_norm"].starts_with(&format!("{}:", s["platform"])),
            "{} {}",
            s["platform"],
            s["engagement_norm"]
        );
    }
    // Ranked together: one sequence of ranks over every platform.
    let ranks: Vec<u32> = shortlist
        .iter()
        .map(|s| s["rank"].parse().unwrap())
        .collect();
    assert_eq!(ranks, (1..=ranks.len() as u32).collect::<Vec<_>>());
    let report = std::fs::read_to_string(run.join("report.md")).unwrap();
    for p in [
        "Instagram:",
        "Youtube:",
        "Tiktok:",
        "Facebook:",
        "Pinterest:",
        "Blog:",
    ] {
        assert!(report.contains(p), "{p} not in the report's norms");
    }
}

/// A drop of real comment exports beside the accounts and posts they comment on (written
/// here as canonical rows, since the exports carry only the comments): the counts of
/// comments read, accepted and rejected per file, and the rejections' reasons.
fn comments_run(
    name: &str,
    files: &[(&str, &str)],
    accounts: &[&str],
    posts: &[&str],
    extra: &[(&str, &str)],
) -> (Scratch, std::path::PathBuf, serde_json::Value) {
    let dir = Scratch::new(name);
    let drop = dir.join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    for (folder, f) in files {
        let src = root().join(NATIVE).join("comments").join(folder).join(f);
        std::fs::copy(&src, drop.join(f)).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    }
    let mut a = String::from("platform,account_id,handle,followers\n");
    for row in accounts {
        a.push_str(row);
        a.push('\n');
    }
    std::fs::write(drop.join("accounts.csv"), a).unwrap();
    let mut p = String::from("platform,account_id,post_id,posted_at,likes,comments\n");
    for row in posts {
        p.push_str(row);
        p.push('\n');
    }
    std::fs::write(drop.join("posts.csv"), p).unwrap();
    for (f, text) in extra {
        std::fs::write(drop.join(f), text).unwrap();
    }
    let run = run_ok(CAMPAIGN, drop.to_str().unwrap(), &dir.join("out"), AS_OF);
    let m = manifest(&run);
    (dir, run, m)
}

fn reasons(run: &std::path::Path, file: &str) -> Vec<String> {
    read_csv(&run.join("rejected.csv"))
        .into_iter()
        .filter(|r| r["file"] == file && r["table"] == "comments")
        .map(|r| r["reason"].clone())
        .collect()
}

#[test]
fn youtube_comment_threads_and_replies_join_their_videos() {
    let files = [
        (
            "youtube",
            "sns-sdks_python-youtube_comment_threads_by_video_paged_1.json",
        ),
        (
            "youtube",
            "sns-sdks_python-youtube_comments_by_parent_paged_1.json",
        ),
        ("youtube", "annomusa_Fluxcup-Player_commentThreads.json"),
        (
            "youtube",
            "pistachiogod_YoutubeCommentData_youtube_comments.json",
        ),
    ];
    let (_d, run, m) = comments_run(
        "yt-comments",
        &files,
        &[
            "youtube,UCa,a,5000",
            "youtube,UCANLZYMidaCbLQFWXBC95Jg,b,5000",
        ],
        &[
            "youtube,UCa,F1UP7wRCPH8,2019-11-01,10,5",
            "youtube,UCa,wtLJPvx7-ys,2016-01-01,10,5",
            "youtube,UCANLZYMidaCbLQFWXBC95Jg,gir8BEqAutk,2023-01-01,10,5",
        ],
        &[],
    );
    // Threads without a channel take the video's owner; the 2023 file's channel is it.
    assert_eq!(counts(&m, files[0].1, "comments"), (5, 5, 0));
    assert_eq!(counts(&m, files[2].1, "comments"), (20, 20, 0));
    // The 2023 scrape repeated its pages: 45 comments, 25 distinct; the repeats are
    // duplicates.
    assert_eq!(counts(&m, files[3].1, "comments"), (45, 25, 20));
    assert!(
        reasons(&run, files[3].1)
            .iter()
            .all(|r| r.starts_with("duplicate comment: youtube comment_id"))
    );
    // comments.list replies name only their parent, not the video.
    assert_eq!(counts(&m, files[1].1, "comments"), (2, 0, 2));
    assert!(
        reasons(&run, files[1].1)
            .iter()
            .all(|r| r == "required field `post_id` is empty")
    );
    let scores = read_csv(&run.join("scores.csv"));
    let a = scores.iter().find(|s| s["handle"] == "a").unwrap();
    assert_eq!(a["comments_read"], "25");
    let b = scores.iter().find(|s| s["handle"] == "b").unwrap();
    assert_eq!(b["comments_read"], "25");
}

#[test]
fn apify_comment_items_join_the_reel_their_short_code_names() {
    let files = [
        (
            "apify-instagram",
            "Sebitian_social_graph_dataset_instagram-reel-scraper_2026-09-05_06-09-02-703.json",
        ),
        (
            "apify-instagram",
            "Sebitian_social_graph_dataset_instagram-comment-scraper_2026-09-05_05-37-28-342.json",
        ),
    ];
    let (_d, run, m) = comments_run(
        "apify-comments",
        &files,
        &["instagram,78766265130,reelowner,20000"],
        &[],
        &[],
    );
    assert_eq!(counts(&m, files[0].1, "posts"), (1, 1, 0));
    assert_eq!(counts(&m, files[0].1, "comments"), (15, 15, 0));
    // The comment scraper's three items are on the same reel (its postUrl's short code
    // DcuVssYgD6J is media 3976210951304134281), and none of them is among the reel's
    // latestComments: all three join it.
    assert_eq!(counts(&m, files[1].1, "comments"), (3, 3, 0));
    let accepted = 3;
    let scores = read_csv(&run.join("scores.csv"));
    assert_eq!(scores[0]["comments_read"], (15 + accepted).to_string());
}

#[test]
fn instagram_web_post_comments_and_instaloader_comment_files() {
    let post_page = "Raregem07_pb-dashboard_GetDetailsOfAPost.js__shortcode_media_B9moTSsoN6r.json";
    let pagination =
        "Raregem07_pb-dashboard_GetCommentedUsersForAPost.js__edge_media_to_comment.json";
    let loader = "HotDro4illa_e-ivettta-filehost_arch__history_of_loveee__2022-02-05_20-30-28_UTC_comments.json";
    let files = [
        ("instaloader", post_page),
        ("instaloader", pagination),
        ("instaloader", loader),
    ];
    // The Instaloader post file beside the comments file (made here: only the comments
    // file is in the fixture's repository copy), as Instaloader writes it.
    let post_file =
        "HotDro4illa_e-ivettta-filehost_arch__history_of_loveee__2022-02-05_20-30-28_UTC.json";
    let post = r#"{"node": {"__typename": "GraphImage", "id": "2766000000000000001", "taken_at_timestamp": 1644093028, "owner": {"id": "4242"}, "edge_media_preview_like": {"count": 40}, "edge_media_to_comment": {"count": 4}}, "instaloader": {"node_type": "Post", "version": "4.8"}}"#;
    let (_d, run, m) = comments_run(
        "ig-comments",
        &files,
        &[
            "instagram,1415507160,spectures,3000",
            "instagram,4242,loveee,2000",
        ],
        &[],
        &[(post_file, post)],
    );
    // The post page: the post, its 16 parent comments and their replies.
    assert_eq!(counts(&m, post_page, "posts"), (1, 1, 0));
    let (read, accepted, _) = counts(&m, post_page, "comments");
    assert_eq!((read, accepted), (19, 19));
    // Two comments and their two answers, given the post of the file beside them.
    assert_eq!(counts(&m, loader, "comments"), (4, 4, 0));
    // A page of comments that does not name its post is quarantined saying so.
    let rej = read_csv(&run.join("rejected.csv"));
    assert!(rej.iter().any(|r| r["file"] == pagination
        && r["reason"].starts_with("a page of an Instagram post's comments")));
    // Without the post file, the comments say which file is missing.
    let (_d2, run2, m2) = comments_run(
        "ig-comments-alone",
        &[("instaloader", loader)],
        &["instagram,4242,loveee,2000"],
        &["instagram,4242,p1,2022-02-01,5,1"],
        &[],
    );
    assert_eq!(counts(&m2, loader, "comments"), (4, 0, 4));
    assert!(reasons(&run2, loader).iter().all(|r| r.starts_with(
        "an Instaloader comment, which does not name its post: the post is the one of \
         HotDro4illa_e-ivettta-filehost_arch__history_of_loveee__2022-02-05_20-30-28_UTC.json"
    )));
}

#[test]
fn tiktok_wordpress_and_facebook_comments_join_their_posts() {
    let files = [
        (
            "tiktok",
            "ZinRicky_nesc-code-dump_comments_7407891169352469790.json",
        ),
        (
            "tiktok",
            "FarrelAD_Simple-TikTok-Post-Text-Mining_dataset_tiktok-comments-scraper_2025-05-25_06-21-26-775.json",
        ),
        (
            "wordpress",
            "RobJacobson_website-unc_wp-json_wp_v2_comments_index.json",
        ),
        ("wordpress", "PTOM76_blog_wp-json_wp_v2_comments_index.json"),
        (
            "wordpress",
            "EduardoA3677_realfirmware-net-6_wp-json_wp_v2_comments.json",
        ),
        ("facebook", "sns-sdks_python-facebook_comments_p1.json"),
        ("facebook", "sns-sdks_python-facebook_comments_info.json"),
    ];
    let (_d, run, m) = comments_run(
        "other-comments",
        &files,
        &[
            "tiktok,hawleys,wearethehawleys,30000",
            "tiktok,kumparan,kumparan,90000",
            "blog,unitingnc.org,unitingnc.org,",
            "blog,realfirmware.net,realfirmware.net,",
            "facebook,19292868552,fbdev,90000",
        ],
        &[
            "tiktok,hawleys,7407891169352469790,2024-08-27,100,10",
            "tiktok,kumparan,7507890376124992786,2025-05-24,100,10",
            "blog,unitingnc.org,https://www.unitingnc.org/?p=1404,2012-02-01,,10",
            "blog,realfirmware.net,https://realfirmware.net/?p=1,2023-01-01,,1",
            "facebook,19292868552,19292868552_10158407654328553,2021-08-10,100,18",
            "facebook,19292868552,19292868552_10158371815748553,2021-07-21,100,2",
        ],
        &[],
    );
    assert_eq!(counts(&m, files[0].1, "comments"), (10, 10, 0));
    assert_eq!(counts(&m, files[1].1, "comments"), (20, 20, 0));
    // One of the ten comments is on the post in the drop; the others are on posts that are
    // not (orphans, each named).
    assert_eq!(counts(&m, files[2].1, "comments"), (10, 1, 9));
    assert!(reasons(&run, files[2].1).iter().all(|r| {
        r.starts_with("comment on unknown post: blog post_id `https://www.unitingnc.org/?p=")
    }));
    // Relative links: the blog's address, and so the post, cannot be told.
    assert_eq!(counts(&m, files[3].1, "comments"), (4, 0, 4));
    assert!(
        reasons(&run, files[3].1)
            .iter()
            .all(|r| r.starts_with("a WordPress comment whose post cannot be named"))
    );
    assert_eq!(counts(&m, files[4].1, "comments"), (1, 1, 0));
    // The comments edge (6 comments, 4 replies named by reply_comment_id) and the batch.
    assert_eq!(counts(&m, files[5].1, "comments"), (10, 10, 0));
    assert_eq!(counts(&m, files[6].1, "comments"), (2, 2, 0));
}

#[test]
fn a_wordpress_comments_feed_gives_its_comments() {
    let feed = "kagisearch_fastfeedparser_battlefieldanomalies-home-comments-feed.xml";
    let (_d, run, m) = comments_run(
        "wp-comments-feed",
        &[("wordpress", feed)],
        &["blog,battlefieldanomalies.com,battlefieldanomalies.com,"],
        &[
            "blog,battlefieldanomalies.com,https://battlefieldanomalies.com/?page_id=1073,2023-01-01,,10",
        ],
        &[],
    );
    // Ten comments, each on the page its guid names; the feed's channel ("Comments on:
    // ...") is not the blog's account record, so the feed gives no account row.
    assert_eq!(counts(&m, feed, "comments"), (10, 10, 0));
    let inputs = m["inputs"].as_array().unwrap();
    let of_feed: Vec<(&str, &str)> = inputs
        .iter()
        .filter(|i| i["file"] == feed)
        .map(|i| (i["table"].as_str().unwrap(), i["adapter"].as_str().unwrap()))
        .collect();
    assert_eq!(of_feed, [("comments", "rss")]);
    assert!(reasons(&run, feed).is_empty());
}
