//! Ingestion of compressed and damaged files.

use std::io::Write;
use std::path::Path;

use crate::util::*;

const DROP: &str = "tests/fixtures/handmade/drop";
const CAMPAIGN: &str = "tests/fixtures/handmade/campaign.toml";
const AS_OF: &str = "2026-11-25T00:00:00Z";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn scores_of(run: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut v = read_csv(&run.join("scores.csv"));
    v.sort_by(|a, b| a["account_id"].cmp(&b["account_id"]));
    v
}

#[test]
fn gzip_and_zstd_files_read_like_plain_ones() {
    let dir = Scratch::new("compressed");
    let drop = dir.join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    let accounts = std::fs::read(root().join(DROP).join("accounts.csv")).unwrap();
    let posts = std::fs::read(root().join(DROP).join("posts.csv")).unwrap();
    std::fs::write(drop.join("accounts.csv.gz"), gzip(&accounts)).unwrap();
    std::fs::write(
        drop.join("posts.csv.zst"),
        zstd::encode_all(&posts[..], 3).unwrap(),
    )
    .unwrap();
    let plain = run_ok(CAMPAIGN, DROP, &dir.join("plain"), AS_OF);
    let packed = run_ok(CAMPAIGN, drop.to_str().unwrap(), &dir.join("packed"), AS_OF);
    assert_eq!(scores_of(&plain), scores_of(&packed));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(packed.join("manifest.json")).unwrap()).unwrap();
    let inputs = manifest["inputs"].as_array().unwrap();
    assert_eq!(inputs[0]["compression"], "gzip");
    assert_eq!(inputs[1]["compression"], "zstd");
    // The hash is of the file as stored.
    assert_eq!(
        inputs[0]["bytes"],
        std::fs::metadata(drop.join("accounts.csv.gz"))
            .unwrap()
            .len()
    );
}

#[test]
fn a_truncated_gzip_keeps_the_rows_before_the_damage() {
    let dir = Scratch::new("truncated");
    let drop = dir.join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    std::fs::copy(
        root().join(DROP).join("accounts.csv"),
        drop.join("accounts.csv"),
    )
    .unwrap();
    // A large posts file so that the cut lands well inside the compressed stream.
    let mut posts = String::from("platform,account_id,post_id,posted_at,likes,comments\n");
    for i in 0..20_000 {
        posts.push_str(&format!(
            "instagram,a1,t{i},2026-10-01T00:00:00Z,{},{}\n",
            i % 97,
            i % 13
        ));
    }
    let gz = gzip(posts.as_bytes());
    std::fs::write(drop.join("posts.csv.gz"), &gz[..gz.len() / 2]).unwrap();
    let run = run_ok(CAMPAIGN, drop.to_str().unwrap(), &dir.join("out"), AS_OF);
    let rejected = read_csv(&run.join("rejected.csv"));
    let last = rejected.last().expect("the truncation is recorded");
    assert_eq!(last["file"], "posts.csv.gz");
    assert!(
        last["reason"].contains("gzip data ends early or is corrupt"),
        "{}",
        last["reason"]
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("manifest.json")).unwrap()).unwrap();
    let posts_file = &manifest["inputs"][1];
    let (read, acc, rej) = (
        posts_file["rows_read"].as_u64().unwrap(),
        posts_file["accepted"].as_u64().unwrap(),
        posts_file["rejected"].as_u64().unwrap(),
    );
    assert_eq!(read, acc + rej);
    assert!(
        acc > 1_000 && acc < 20_000,
        "some rows before the cut were read: {acc}"
    );
}

#[test]
fn a_truncated_ndjson_line_is_quarantined() {
    let dir = Scratch::new("truncated-json");
    let drop = dir.join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    std::fs::copy(
        root().join(DROP).join("accounts.csv"),
        drop.join("accounts.csv"),
    )
    .unwrap();
    std::fs::write(
        drop.join("posts.ndjson"),
        "{\"platform\":\"instagram\",\"account_id\":\"a1\",\"post_id\":\"j1\",\"posted_at\":1793527200,\"likes\":5,\"comments\":1}\n\
         {\"platform\":\"instagram\",\"account_id\":\"a1\",\"post_id\":\"j2\",\"posted_at\":17935",
    )
    .unwrap();
    let run = run_ok(CAMPAIGN, drop.to_str().unwrap(), &dir.join("out"), AS_OF);
    let rejected = read_csv(&run.join("rejected.csv"));
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["line"], "2");
    assert!(
        rejected[0]["reason"].starts_with("truncated JSON"),
        "{}",
        rejected[0]["reason"]
    );
}

/// Writes a CSV file's rows as a Parquet file of string columns.
fn csv_to_parquet(csv_path: &Path, out: &Path) {
    use polars::prelude::*;
    let mut r = csv::Reader::from_path(csv_path).unwrap();
    let headers: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let cols: Vec<Column> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let v: Vec<Option<String>> = rows
                .iter()
                .map(|rec| Some(rec[i].to_string()).filter(|s| !s.is_empty()))
                .collect();
            Column::new(h.as_str().into(), v)
        })
        .collect();
    let mut df = DataFrame::new_infer_height(cols).unwrap();
    ParquetWriter::new(std::fs::File::create(out).unwrap())
        .finish(&mut df)
        .unwrap();
}

#[test]
fn parquet_tables_read_like_csv() {
    let dir = Scratch::new("parquet");
    let drop = dir.join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    csv_to_parquet(
        &root().join(DROP).join("accounts.csv"),
        &drop.join("accounts.parquet"),
    );
    // Posts with typed columns: datetimes, integers with nulls.
    {
        use polars::prelude::*;
        let mut r = csv::Reader::from_path(root().join(DROP).join("posts.csv")).unwrap();
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        let text = |i: usize| rows.iter().map(|x| x[i].to_string()).collect::<Vec<_>>();
        let when: Vec<i64> = rows
            .iter()
            .map(|x| microscout_ingest::value::parse_timestamp(&x[3]).unwrap() * 1000)
            .collect();
        let likes: Vec<Option<i64>> = rows.iter().map(|x| x[4].parse().ok()).collect();
        let comments: Vec<i64> = rows.iter().map(|x| x[5].parse().unwrap()).collect();
        let mut df = DataFrame::new_infer_height(vec![
            Column::new("platform".into(), text(0)),
            Column::new("Account ID".into(), text(1)),
            Column::new("post_id".into(), text(2)),
            Column::new("posted_at".into(), when)
                .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
                .unwrap(),
            Column::new("likes".into(), likes),
            Column::new("comments".into(), comments),
        ])
        .unwrap();
        ParquetWriter::new(std::fs::File::create(drop.join("posts.parquet")).unwrap())
            .finish(&mut df)
            .unwrap();
    }
    let plain = run_ok(CAMPAIGN, DROP, &dir.join("plain"), AS_OF);
    let parquet = run_ok(
        CAMPAIGN,
        drop.to_str().unwrap(),
        &dir.join("parquet"),
        AS_OF,
    );
    assert_eq!(scores_of(&plain), scores_of(&parquet));
}

#[test]
fn parquet_dictionary_strings_read_like_plain_strings() {
    // pandas `category` columns and pyarrow dictionaries (tests/fixtures/parquet,
    // make_dictionary.py): every text column of the accounts table dictionary-encoded.
    let dir = Scratch::new("parquet-dictionary");
    let drop = dir.join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/parquet/accounts-dictionary.parquet"),
        drop.join("accounts.parquet"),
    )
    .unwrap();
    std::fs::copy(root().join(DROP).join("posts.csv"), drop.join("posts.csv")).unwrap();
    let plain = run_ok(CAMPAIGN, DROP, &dir.join("plain"), AS_OF);
    let dict = run_ok(CAMPAIGN, drop.to_str().unwrap(), &dir.join("dict"), AS_OF);
    let m = manifest(&dict);
    assert_eq!(
        counts(&m, "accounts.parquet", "accounts").2,
        0,
        "no account rejected"
    );
    assert!(!scores_of(&dict).is_empty());
    assert_eq!(scores_of(&plain), scores_of(&dict));
}

fn manifest(run: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(run.join("manifest.json")).unwrap()).unwrap()
}

/// (rows_read, accepted, rejected) of a file's report for a table.
fn counts(m: &serde_json::Value, file: &str, table: &str) -> (u64, u64, u64) {
    let r = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["file"] == file && r["table"] == table)
        .unwrap_or_else(|| panic!("no report for {file} / {table}"));
    (
        r["rows_read"].as_u64().unwrap(),
        r["accepted"].as_u64().unwrap(),
        r["rejected"].as_u64().unwrap(),
    )
}

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

#[test]
fn apify_instagram_profile_and_post_items() {
    let dir = Scratch::new("apify");
    let drop = fixture_drop(
        &dir,
        "apify-instagram",
        &[
            "apify-alexey_README_profile_apifytech_2022.json",
            "apify-alexey_README_post_2022.json",
            "apify-alexey_README_post_v1_2022.json",
            "zzbazza_README_post_legacy_2020.json",
            "zzbazza_README_comment_legacy_2020.json",
        ],
    );
    let run = run_ok(CAMPAIGN, drop.to_str().unwrap(), &dir.join("out"), AS_OF);
    let m = manifest(&run);
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
    // Post items of other owners are posts of unknown accounts: quarantined, not lost.
    let rejected = read_csv(&run.join("rejected.csv"));
    assert_eq!(rejected.len(), 4, "{rejected:?}");
    assert_eq!(
        rejected
            .iter()
            .filter(|r| r["reason"].starts_with("post of unknown account"))
            .count(),
        3
    );
    assert!(
        rejected
            .iter()
            .any(|r| r["reason"].starts_with("an Apify comment item"))
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
    assert!(rej.iter().all(|r| {
        r["reason"].starts_with("duplicate post: instagram post_id `2287303869403379748`")
    }));
    assert_eq!(
        rej.iter().map(|r| r["record"].as_str()).collect::<Vec<_>>(),
        ["1", "2", "3", "4", "5"]
    );
}

#[test]
fn youtube_api_channels_and_videos() {
    let dir = Scratch::new("youtube");
    let drop = fixture_drop(
        &dir,
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
    let run = run_ok(CAMPAIGN, drop.to_str().unwrap(), &dir.join("out"), AS_OF);
    let m = manifest(&run);
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
    // Comment threads and search results are recognised, and quarantined saying why.
    assert_eq!(
        counts(&m, "sumister_commentThreads.list.json", "accounts"),
        (20, 0, 20)
    );
    // The "top 10" file holds 9 items.
    assert_eq!(
        counts(&m, "yfetch_samples_top10VideosList.json", "accounts"),
        (9, 0, 9)
    );
    let rejected = read_csv(&run.join("rejected.csv"));
    assert!(
        rejected
            .iter()
            .any(|r| r["reason"].starts_with("a YouTube comment thread"))
    );
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
fn export_drop(dir: &Scratch, folder: &str, name_account: bool) -> std::path::PathBuf {
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

#[test]
fn validate_reports_without_scoring() {
    let dir = Scratch::new("validate");
    let rejected = dir.join("rejected.csv");
    let o = microscout(&[
        "validate",
        "--drop",
        "data/sample/drop",
        "--rejected",
        rejected.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("posts: 7,506 rows read = 7,500 accepted + 6 rejected"),
        "{text}"
    );
    assert!(text.contains("posts table, duplicate post"), "{text}");
    assert_eq!(read_csv(&rejected).len(), 10);
    let case = std::fs::read_dir(root().join("tests/bad_inputs/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("-fatal-missing-column"))
        .expect("the corpus has a missing-column case");
    let o = microscout(&["validate", "--drop", case.join("drop").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("missing required column `posted_at`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn streaming_reduction_does_not_change_results() {
    // The same drop in one file per table and split into many: posts and followers are
    // reduced file by file, which must give exactly the same scores.
    let dir = Scratch::new("streaming");
    for (name, rows) in [("one", "1000000"), ("many", "1500")] {
        generate_into(
            &dir.join(name),
            "5",
            &["--accounts", "400", "--rows-per-file", rows],
        );
    }
    let one = run_ok(
        "data/campaign.toml",
        dir.join("one/drop").to_str().unwrap(),
        &dir.join("o1"),
        AS_OF,
    );
    let many = run_ok(
        "data/campaign.toml",
        dir.join("many/drop").to_str().unwrap(),
        &dir.join("o2"),
        AS_OF,
    );
    assert!(std::fs::read_dir(dir.join("many/drop")).unwrap().count() > 10);
    assert_eq!(
        std::fs::read_to_string(one.join("scores.csv")).unwrap(),
        std::fs::read_to_string(many.join("scores.csv")).unwrap()
    );
}

#[test]
fn measured_follower_rows_are_the_follower_tables_rows() {
    // Scoring reads the follower sample as measured rows, built straight from the parsed
    // cells; they must be, row for row, what the full tables of the same files give.
    let dir = Scratch::new("measured");
    generate_into(
        &dir.join("gen"),
        "9",
        &["--accounts", "300", "--rows-per-file", "2500"],
    );
    let export = export_drop(&dir, "wicful-io_2025-08", true);
    let mut export_options = microscout_ingest::IngestOptions::default();
    export_options.followers_of.insert(
        "followers_1.json".into(),
        ("instagram".into(), "holder".into()),
    );
    let progress = microscout_ingest::NoProgress;
    for (drop, options) in [
        (
            dir.join("gen/drop"),
            microscout_ingest::IngestOptions::default(),
        ),
        (export, export_options),
    ] {
        let whole = microscout_ingest::read_drop(&drop, &options, &progress).unwrap();
        struct Keep(Vec<microscout_ingest::FollowerRows>);
        impl microscout_ingest::TableSink for Keep {
            fn posts(&mut self, _: polars::prelude::DataFrame) -> Result<(), String> {
                Ok(())
            }
            fn followers(&mut self, rows: microscout_ingest::FollowerRows) -> Result<(), String> {
                self.0.push(rows);
                Ok(())
            }
        }
        let mut measured = Keep(Vec::new());
        let by_rows =
            microscout_ingest::read_drop_streaming(&drop, &options, &progress, &mut measured, None)
                .unwrap();
        let measured = measured.0;
        assert_eq!(whole.intake.files, by_rows.intake.files);
        assert_eq!(whole.intake.rejected.first, by_rows.intake.rejected.first);
        assert!(!measured.is_empty());
        // Each file's last chunk (and only it) says that it ends its file (chunks within a
        // file are checked in the ingest crate's own tests, with small chunks).
        let ends = measured.iter().filter(|r| r.ends_file).count();
        let follower_files = by_rows
            .intake
            .files
            .iter()
            .filter(|f| f.table == "followers")
            .count();
        assert_eq!(ends, follower_files, "{}", drop.display());
        let bios: usize = measured
            .iter()
            .map(|r| r.bio_chars.iter().flatten().count())
            .sum();
        let total: usize = measured.iter().map(|r| r.len()).sum();
        let mut joined = microscout_ingest::FollowerRows::default();
        for rows in measured {
            joined.append(rows);
        }
        let mut want = microscout_score::followers::follower_rows(&whole.followers).unwrap();
        want.ends_file = true;
        assert_eq!(want, joined, "{}", drop.display());
        assert!(total > 100, "{total} followers in {}", drop.display());
        eprintln!("{}: {total} followers, {bios} bios", drop.display());
    }
}
