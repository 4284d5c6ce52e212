//! The generator: deterministic, and the bundled sample is what it says it is.

use std::path::Path;

use crate::util::*;

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    for sub in ["", "drop"] {
        let d = dir.join(sub);
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_file() {
                v.push((
                    format!("{sub}/{}", e.file_name().to_string_lossy()),
                    std::fs::read(e.path()).unwrap(),
                ));
            }
        }
    }
    v.sort();
    v
}

#[test]
fn same_seed_gives_identical_files() {
    let dir = Scratch::new("determinism");
    let extra = ["--accounts", "1500", "--rows-per-file", "9000"];
    generate_into(&dir.join("a"), "7", &extra);
    generate_into(&dir.join("b"), "7", &extra);
    generate_into(&dir.join("c"), "8", &extra);
    let (a, b, c) = (
        files(&dir.join("a")),
        files(&dir.join("b")),
        files(&dir.join("c")),
    );
    assert!(
        a.len() >= 6,
        "posts and followers split over files: {:?}",
        a.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert_eq!(a, b, "same seed, same bytes");
    assert_ne!(a, c, "another seed, other data");
}

#[test]
fn bundled_sample_is_reproducible() {
    let dir = Scratch::new("sample");
    generate_into(dir.path(), "42", &["--accounts", "300", "--faults"]);
    let committed = files(&root().join("data/sample"));
    assert_eq!(
        files(dir.path()),
        committed,
        "data/sample differs from `microscout generate --seed 42 --accounts 300 --faults`; regenerate it with `just sample`"
    );
}

#[test]
fn sizes_are_exact() {
    let dir = Scratch::new("sizes");
    generate_into(
        dir.path(),
        "3",
        &["--accounts", "50", "--posts", "777", "--followers", "1234"],
    );
    let count = |f: &str| read_csv(&dir.join(f)).len();
    assert_eq!(count("drop/accounts.csv"), 50);
    assert_eq!(count("drop/posts-0001.csv"), 777);
    assert_eq!(count("drop/followers-0001.csv"), 1234);
    assert_eq!(count("truth.csv"), 50);
}
