use super::*;

/// The message a person reads names the commands in one sentence (it once held a run
/// of 22 spaces from a broken line continuation).
#[test]
fn a_native_export_alone_is_refused_in_one_readable_sentence() {
    let e = read_table(
        Path::new("/nowhere/posts.json"),
        Table::Posts,
        &Limits::default(),
        None,
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        e,
        "/nowhere/posts.json: a native export (.json, .xml, .rss, .atom) is read as part of a drop \
         (`microscout run` or `validate`), not on its own"
    );
}

/// A drop whose posts and followers files span several chunks, with a duplicate post
/// and a duplicate follower in later chunks than their first rows, and bad rows.
fn drop_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("microscout-chunks-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut accounts = String::from("platform,account_id,handle,followers\n");
    for a in 0..30 {
        accounts.push_str(&format!("instagram,{a},h{a},{}\n", 1000 + a));
    }
    std::fs::write(dir.join("accounts.csv"), accounts).unwrap();
    let mut posts = String::from("platform,account_id,post_id,posted_at,likes,comments\n");
    for i in 0..2500 {
        let likes = if i % 97 == 0 {
            "-3".to_string()
        } else {
            i.to_string()
        };
        posts.push_str(&format!(
            "instagram,{},p{i},2026-11-01T00:00:00Z,{likes},1\n",
            i % 30
        ));
    }
    posts.push_str("instagram,4,p7,2026-11-02T00:00:00Z,5,1\n");
    std::fs::write(dir.join("posts-0001.csv"), posts).unwrap();
    let mut followers = String::from("platform,account_id,follower_handle,follower_followers\n");
    for i in 0..2300 {
        followers.push_str(&format!("instagram,{},f{i},{i}\n", i % 30));
    }
    followers.push_str("instagram,1,f1,3\ninstagram,99,f1,3\n");
    std::fs::write(dir.join("followers-0001.csv"), &followers).unwrap();
    std::fs::write(
        dir.join("followers-0002.csv"),
        followers
            .replace(",f", ",g")
            .replace("gollower", "follower"),
    )
    .unwrap();
    dir
}

/// A sink that keeps what it is handed, or fails every posts chunk.
#[derive(Default)]
struct Collect {
    posts: Vec<DataFrame>,
    followers: Vec<FollowerRows>,
    comments: Vec<CommentRows>,
    fail: bool,
}

impl TableSink for Collect {
    fn posts(&mut self, chunk: DataFrame) -> Result<(), String> {
        self.posts.push(chunk);
        if self.fail {
            return Err("disk full".into());
        }
        Ok(())
    }
    fn followers(&mut self, rows: FollowerRows) -> Result<(), String> {
        self.followers.push(rows);
        Ok(())
    }
    fn comments(&mut self, rows: CommentRows) -> Result<(), String> {
        self.comments.push(rows);
        Ok(())
    }
}

/// Streamed chunks stacked back into one table.
fn joined(chunks: &[DataFrame]) -> DataFrame {
    let mut all = chunks[0].clone();
    for c in &chunks[1..] {
        all.vstack_mut(c).unwrap();
    }
    all
}

/// The drop read streamed into a [`Collect`] (the folder removed after).
fn read_both_ways(dir: &Path, options: &IngestOptions) -> (StreamedDrop, Collect) {
    let mut sink = Collect::default();
    let streamed = read_drop_streaming(dir, options, &NoProgress, &mut sink, None).unwrap();
    std::fs::remove_dir_all(dir).ok();
    (streamed, sink)
}

#[test]
fn streamed_chunks_are_the_whole_tables_in_order() {
    let dir = drop_dir("whole");
    let options = IngestOptions::default();
    let whole = read_drop(&dir, &options, &NoProgress).unwrap();
    let (streamed, sink) = read_both_ways(&dir, &options);
    assert_eq!(streamed.intake.files, whole.intake.files);
    assert_eq!(streamed.intake.rejected.first, whole.intake.rejected.first);
    assert!(streamed.accounts.equals_missing(&whole.accounts));
    // 2,500 posts: 26 with negative likes and one duplicate rejected.
    assert_eq!(whole.posts.height(), 2474);
    assert_eq!(whole.followers.height(), 4600);
    // CSV rows arrive in validated batches: a chunk ends after the batch that reaches
    // the size.
    let most = quarantine::CHUNK_ROWS + csv_file::BATCH_ROWS;
    let sizes: Vec<usize> = sink.posts.iter().map(|p| p.height()).collect();
    assert_eq!(sizes.len(), 3, "{sizes:?}");
    assert!(sizes.iter().all(|n| *n < most));
    assert!(joined(&sink.posts).equals_missing(&whole.posts));
    // The follower sample arrives measured, in the table's order.
    let sizes: Vec<usize> = sink.followers.iter().map(|r| r.len()).collect();
    assert_eq!(sizes.len(), 6, "{sizes:?}");
    assert!(sizes.iter().all(|n| *n < most));
    let mut all = FollowerRows::default();
    for r in sink.followers {
        all.append(r);
    }
    let want: Vec<Option<u64>> = whole
        .followers
        .column("follower_followers")
        .unwrap()
        .i64()
        .unwrap()
        .iter()
        .map(|v| v.map(|x| x as u64))
        .collect();
    assert_eq!(all.followers, want);
    let ids: Vec<&str> = all.row_accounts().map(|r| r.account_id.as_str()).collect();
    let want: Vec<&str> = whole
        .followers
        .column("account_id")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(Option::unwrap)
        .collect();
    assert_eq!(ids, want);
}

/// Each follower file's last chunk, and only it, ends its file, however many chunks the
/// file is cut into (two files of 2,300 rows, chunks of 1,000 in tests).
#[test]
fn measured_chunks_mark_the_end_of_each_file_and_nowhere_else() {
    let dir = drop_dir("ends");
    let mut sink = Collect::default();
    let streamed = read_drop_streaming(
        &dir,
        &IngestOptions::default(),
        &NoProgress,
        &mut sink,
        None,
    )
    .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let chunks: Vec<(usize, bool)> = sink
        .followers
        .iter()
        .map(|r| (r.len(), r.ends_file))
        .collect();
    let files: Vec<u64> = streamed
        .intake
        .files
        .iter()
        .filter(|f| f.table == "followers")
        .map(|f| f.accepted)
        .collect();
    assert_eq!(files.len(), 2);
    assert!(chunks.len() > 2 * 2, "several chunks a file: {chunks:?}");
    // Rows up to each marked chunk are the accepted rows of the files so far.
    let (mut rows, mut ends) = (0u64, Vec::new());
    for (n, end) in &chunks {
        rows += *n as u64;
        if *end {
            ends.push(rows);
        }
    }
    let mut so_far = 0;
    let want: Vec<u64> = files
        .iter()
        .map(|a| {
            so_far += a;
            so_far
        })
        .collect();
    assert_eq!(ends, want, "{chunks:?}");
    assert!(chunks.last().is_some_and(|c| c.1));
}

#[test]
fn a_failing_stream_stops_the_file_with_its_error() {
    let dir = drop_dir("failing");
    let mut sink = Collect {
        fail: true,
        ..Default::default()
    };
    let err = read_drop_streaming(
        &dir,
        &IngestOptions::default(),
        &NoProgress,
        &mut sink,
        None,
    )
    .unwrap_err();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(
        sink.posts.len(),
        1,
        "the reader stops at the first failed chunk"
    );
    assert!(
        matches!(&err, IngestError::Consumer { reason, .. } if reason == "disk full"),
        "{err}"
    );
}

/// Comments find their account through their post, in the batched CSV reader and row by
/// row (NDJSON) alike: an empty `account_id` becomes the post's owner, a wrong one, an
/// unknown post and a repeated comment are rejected with their reasons, and streamed
/// chunks are the whole table.
#[test]
fn comments_take_their_posts_owner_and_orphans_are_rejected() {
    let dir = drop_dir("comments");
    let mut csv = String::from("platform,account_id,post_id,comment_id,commenter_handle,text\n");
    for i in 0..1500 {
        // Post p{i} belongs to account i % 30; every third row names it.
        let account = if i % 3 == 0 {
            (i % 30).to_string()
        } else {
            String::new()
        };
        csv.push_str(&format!(
            "instagram,{account},p{i},c{i},fan{},nice {i}\n",
            i % 7
        ));
    }
    csv.push_str("instagram,,p5,c5,fan,again\n"); // duplicate of line 7
    csv.push_str("instagram,,nope,c1,fan,orphan\n"); // unknown post
    csv.push_str("instagram,3,p4,c9999,fan,wrong owner\n"); // p4 is account 4's
    csv.push_str("instagram,,p97,c97,fan,post rejected for its likes\n"); // p97 was rejected
    std::fs::write(dir.join("comments-0001.csv"), &csv).unwrap();
    std::fs::write(
        dir.join("comments-0002.ndjson"),
        "{\"platform\":\"instagram\",\"post_id\":\"p10\",\"comment_id\":\"r1\",\"reply_to\":\"c10\"}\n\
         {\"platform\":\"instagram\",\"account_id\":\"10\",\"post_id\":\"p10\",\"comment_id\":\"r2\"}\n\
         {\"platform\":\"instagram\",\"account_id\":\"11\",\"post_id\":\"p10\",\"comment_id\":\"r3\"}\n\
         {\"platform\":\"instagram\",\"post_id\":\"p10\",\"comment_id\":\"c10\"}\n",
    )
    .unwrap();
    let options = IngestOptions::default();
    let whole = read_drop(&dir, &options, &NoProgress).unwrap();
    let (streamed, sink) = read_both_ways(&dir, &options);
    assert_eq!(streamed.intake.files, whole.intake.files);
    let c = &whole.comments;
    // 1,500 rows less the 16 on posts rejected for negative likes (i % 97 == 0), and 2 of
    // the NDJSON rows.
    assert_eq!(c.height(), 1500 - 16 + 2);
    let ids = table::text_column(c, "account_id");
    let posts = table::text_column(c, "post_id");
    for (id, post) in ids.iter().zip(&posts) {
        let n: usize = post[1..].parse().unwrap();
        assert_eq!(id, &(n % 30).to_string(), "comment on {post}");
    }
    let acc = whole.intake.accounting();
    let comments = acc.iter().find(|a| a.table == "comments").unwrap();
    assert_eq!(
        (comments.files, comments.rows_read, comments.rejected),
        (2, 1508, 1508 - 1486)
    );
    let reasons: Vec<String> = whole
        .intake
        .rejected
        .first
        .iter()
        .filter(|r| r.table == "comments")
        .map(|r| format!("{} {}", r.location, r.reason.kind()))
        .collect();
    assert!(
        reasons.contains(&"line 1502 duplicate comment".to_string()),
        "{reasons:?}"
    );
    assert!(reasons.contains(&"line 1503 comment on unknown post".to_string()));
    assert!(reasons.contains(&"line 1504 comment of another account's post".to_string()));
    assert!(reasons.contains(&"line 1505 comment on unknown post".to_string()));
    assert!(reasons.contains(&"line 3 comment of another account's post".to_string()));
    assert!(reasons.contains(&"line 4 duplicate comment".to_string()));
    // Streamed: the same rows in chunks (CSV batches of 100 in tests; chunks of 1,000),
    // measured: each row's account its post's owner, its post, its text.
    assert!(sink.comments.len() >= 2);
    let mut streamed = CommentRows::default();
    for chunk in sink.comments {
        streamed.append(chunk);
    }
    assert_eq!(streamed.len(), c.height());
    let streamed_ids: Vec<&str> = streamed.row_accounts().map(|(_, id)| id).collect();
    assert_eq!(streamed_ids, ids);
    let fps: Vec<u64> = posts
        .iter()
        .map(|p| microscout_model::comments::post_fingerprint("instagram", p))
        .collect();
    assert_eq!(streamed.post, fps);
    let texts = table::text_column(c, "text");
    for (i, t) in texts.iter().enumerate() {
        assert_eq!(streamed.text(i), (!t.is_empty()).then_some(t.as_str()));
    }
}

/// Comment duplicates are found whatever the order: in a run of one post's comments longer
/// than the scan, across a rejected row inside a run, when a post's comments come back after
/// another post's, and across files; the same comment id on another post is no duplicate.
#[test]
fn comment_duplicates_are_found_across_runs_rejections_and_files() {
    let dir = drop_dir("comment-runs");
    let mut csv = String::from("platform,account_id,post_id,comment_id\n");
    let mut row = |post: &str, comment: &str, account: &str| {
        csv.push_str(&format!("instagram,{account},{post},{comment}\n"));
    };
    for c in 0..40 {
        row("p1", &format!("c{c}"), ""); // lines 2-41: a run longer than the scan
    }
    row("nope", "c0", ""); // 42: unknown post, inside p1's run
    row("p1", "c40", ""); // 43
    row("p1", "c5", ""); // 44: duplicate within the run, past the scan
    row("p2", "c0", ""); // 45: same id on another post
    row("p3", "x", "4"); // 46: p3 is account 3's: rejected
    row("p2", "c0", ""); // 47: duplicate, after a rejected row of another post
    row("p1", "c41", ""); // 48: p1 comes back
    row("p1", "c3", ""); // 49: duplicate from the first run
    row("p2", "c1", ""); // 50
    std::fs::write(dir.join("comments-0001.csv"), &csv).unwrap();
    std::fs::write(
        dir.join("comments-0002.csv"),
        "platform,account_id,post_id,comment_id\ninstagram,,p2,c1\ninstagram,,p4,c0\n",
    )
    .unwrap();
    let whole = read_drop(&dir, &IngestOptions::default(), &NoProgress).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let mut reasons: Vec<String> = whole
        .intake
        .rejected
        .first
        .iter()
        .filter(|r| r.table == "comments")
        .map(|r| format!("{} {} {}", r.file, r.location, r.reason.kind()))
        .collect();
    reasons.sort();
    assert_eq!(
        reasons,
        [
            "comments-0001.csv line 42 comment on unknown post",
            "comments-0001.csv line 44 duplicate comment",
            "comments-0001.csv line 46 comment of another account's post",
            "comments-0001.csv line 47 duplicate comment",
            "comments-0001.csv line 49 duplicate comment",
            "comments-0002.csv line 2 duplicate comment",
        ]
    );
    // 40 + c40 + c0 on p2 + c41 + c1 on p2 + c0 on p4.
    assert_eq!(whole.comments.height(), 45);
}

/// A blog's posts from the WordPress REST API name the blog (an implied account row); its
/// site index is the blog's own row. Whichever file comes first, the index's row stands and
/// nothing is rejected; a blog with only its posts keeps the implied row.
#[test]
fn an_account_a_posts_export_implies_yields_to_the_accounts_own_row() {
    let dir = std::env::temp_dir().join(format!("microscout-implied-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let post = |site: &str, id: u32| {
        serde_json::json!({
            "id": id, "date_gmt": "2026-11-20T10:00:00", "type": "post", "status": "publish",
            "guid": {"rendered": format!("https://{site}/?p={id}")},
            "title": {"rendered": "Big feelings at bedtime"},
            "content": {"rendered": "<p>Our calm-down corner.</p>"},
            "link": format!("https://{site}/bedtime/"),
            "_links": {"self": [{"href": format!("https://{site}/wp-json/wp/v2/posts/{id}")}]},
        })
    };
    // The posts file sorts before the index.
    let posts = serde_json::json!([
        post("calm.example", 5),
        post("calm.example", 6),
        post("other.example", 7)
    ]);
    std::fs::write(dir.join("a.wp-posts.json"), posts.to_string()).unwrap();
    let index = serde_json::json!({
        "name": "Calm Kids", "description": "Big feelings, small people",
        "url": "https://calm.example", "home": "https://calm.example", "namespaces": ["wp/v2"],
    });
    std::fs::write(dir.join("b.wp-json.json"), index.to_string()).unwrap();
    let whole = read_clean(&dir);
    let accounts = &whole.accounts;
    let ids = table::text_column(accounts, "account_id");
    let names = table::text_column(accounts, "display_name");
    let mut got: Vec<(String, String)> = ids.into_iter().zip(names).collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("calm.example".to_string(), "Calm Kids".to_string()),
            ("other.example".to_string(), String::new()),
        ]
    );
    let reports: Vec<(String, &str, u64, u64, u64)> = whole
        .intake
        .files
        .iter()
        .map(|f| (f.file.clone(), f.table, f.rows_read, f.accepted, f.rejected))
        .collect();
    assert_eq!(
        reports,
        [
            // Only other.example's implied row is read: calm.example has its own.
            ("a.wp-posts.json".to_string(), "accounts", 1, 1, 0),
            ("b.wp-json.json".to_string(), "accounts", 1, 1, 0),
            ("a.wp-posts.json".to_string(), "posts", 3, 3, 0),
        ]
    );
}

/// Pinterest: a pin names its pinner (an implied row, with its follower count); the profile
/// is the account's own row. A pin before the profile in one file, or a pinner whose count
/// would not validate, leaves the profile standing and nothing rejected.
#[test]
fn a_pinners_implied_row_never_displaces_or_rejects_beside_the_profile() {
    let dir = std::env::temp_dir().join(format!("microscout-pinner-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pin = |id: &str, user: &str, count: serde_json::Value| {
        serde_json::json!({
            "id": id, "repin_count": 2, "created_at": "Mon, 02 Nov 2026 10:00:00 +0000",
            "description": "Calm-down corner ideas",
            "pinner": {"username": user, "full_name": "Calm Kids", "follower_count": count},
        })
    };
    let profile = |user: &str| {
        serde_json::json!({
            "username": user, "full_name": "Calm Kids", "about": "Big feelings, small people",
            "follower_count": 5200, "following_count": 80, "board_count": 12, "pin_count": 400,
        })
    };
    // One file: a pin, then its pinner's profile.
    let one = serde_json::json!([pin("11", "calmkids", 5100.into()), profile("calmkids")]);
    std::fs::write(dir.join("a-pins-and-profile.json"), one.to_string()).unwrap();
    // Another: a pin whose pinner has no count (would be rejected), the profile elsewhere.
    let pins = serde_json::json!([pin("12", "tinysteps", serde_json::Value::Null)]);
    std::fs::write(dir.join("b-pins.json"), pins.to_string()).unwrap();
    let profiles = serde_json::json!([profile("tinysteps")]);
    std::fs::write(dir.join("c-profiles.json"), profiles.to_string()).unwrap();
    let whole = read_clean(&dir);
    let ids = table::text_column(&whole.accounts, "account_id");
    let bios = table::text_column(&whole.accounts, "bio");
    let mut got: Vec<(String, String)> = ids.into_iter().zip(bios).collect();
    got.sort();
    assert_eq!(
        got,
        [
            (
                "calmkids".to_string(),
                "Big feelings, small people".to_string()
            ),
            (
                "tinysteps".to_string(),
                "Big feelings, small people".to_string()
            ),
        ]
    );
    let accounts: Vec<(String, u64, u64, u64)> = whole
        .intake
        .files
        .iter()
        .filter(|f| f.table == "accounts")
        .map(|f| (f.file.clone(), f.rows_read, f.accepted, f.rejected))
        .collect();
    assert_eq!(
        accounts,
        [
            ("a-pins-and-profile.json".to_string(), 1, 1, 0),
            ("c-profiles.json".to_string(), 1, 1, 0),
        ]
    );
}

/// A file stopped at its limit of rejected rows in its own rows is not read further: the
/// account rows it implies are not read either.
#[test]
fn a_stopped_file_gives_no_implied_rows() {
    let dir = std::env::temp_dir().join(format!("microscout-stopped-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = |user: &str| {
        serde_json::json!({
            "username": user, "follower_count": -5, "board_count": 1, "pin_count": 1,
        })
    };
    let doc = serde_json::json!([
        bad("one"),
        bad("two"),
        {"id": "13", "repin_count": 1, "created_at": "Mon, 02 Nov 2026 10:00:00 +0000",
         "pinner": {"username": "three", "follower_count": 900}},
    ]);
    std::fs::write(dir.join("pins.json"), doc.to_string()).unwrap();
    std::fs::write(
        dir.join("accounts.csv"),
        "platform,account_id,handle,followers\ninstagram,a,a,100\n",
    )
    .unwrap();
    let options = IngestOptions {
        limits: Limits {
            max_rejected_per_file: 1,
            ..Limits::default()
        },
        ..IngestOptions::default()
    };
    let whole = read_drop(&dir, &options, &NoProgress).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let ids = table::text_column(&whole.accounts, "account_id");
    assert_eq!(ids, ["a"], "the pinner of the stopped file is not read");
    let report = whole
        .intake
        .files
        .iter()
        .find(|f| f.file == "pins.json" && f.table == "accounts")
        .unwrap();
    assert_eq!(
        (report.rows_read, report.accepted, report.rejected),
        (2, 0, 2)
    );
    assert!(report.stopped.is_some());
}

/// Reads a drop that must quarantine nothing, then removes it.
fn read_clean(dir: &Path) -> DropTables {
    let whole = read_drop(dir, &IngestOptions::default(), &NoProgress).unwrap();
    std::fs::remove_dir_all(dir).ok();
    assert_eq!(
        whole.intake.rejected.first.len(),
        0,
        "{:?}",
        whole.intake.rejected.first
    );
    whole
}
