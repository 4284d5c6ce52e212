//! Ingestion of compressed and damaged files.

use std::io::Write;
use std::path::Path;

use crate::native::export_drop;
use crate::util::*;

pub(crate) const DROP: &str = "tests/fixtures/handmade/drop";
pub(crate) const CAMPAIGN: &str = "tests/fixtures/handmade/campaign.toml";
pub(crate) const AS_OF: &str = "2026-11-25T00:00:00Z";

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
    let comments = std::fs::read(root().join(DROP).join("comments.csv")).unwrap();
    std::fs::write(drop.join("comments.csv.gz"), gzip(&comments)).unwrap();
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
    let drop = drop_with_handmade_accounts(&dir);
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
    let drop = drop_with_handmade_accounts(&dir);
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
    csv_to_parquet(
        &root().join(DROP).join("comments.csv"),
        &drop.join("comments.parquet"),
    );
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
    for f in ["posts.csv", "comments.csv"] {
        std::fs::copy(root().join(DROP).join(f), drop.join(f)).unwrap();
    }
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

pub(crate) fn manifest(run: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(run.join("manifest.json")).unwrap()).unwrap()
}

/// (rows_read, accepted, rejected) of a file's report for a table.
pub(crate) fn counts(m: &serde_json::Value, file: &str, table: &str) -> (u64, u64, u64) {
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
        text.contains("posts: 7,507 rows read = 7,500 accepted + 7 rejected"),
        "{text}"
    );
    assert!(text.contains("posts table, duplicate post"), "{text}");
    assert_eq!(read_csv(&rejected).len(), 11);
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
            fn comments(&mut self, _: microscout_ingest::CommentRows) -> Result<(), String> {
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
