//! The shipped model and the evaluation table are what the training command produces from
//! the labelled data in the repository: a fresh run must give identical files.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn training_reproduces_the_shipped_model_and_report() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let tmp =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("train-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let model = tmp.join("model.json");
    let report = tmp.join("report.md");
    let out = Command::new(env!("CARGO_BIN_EXE_train-authenticity"))
        .current_dir(&root)
        .args([
            "--model",
            model.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shipped = root.join("crates/microscout-authenticity/model/follower-model.json");
    assert!(
        std::fs::read(&model).unwrap() == std::fs::read(&shipped).unwrap(),
        "model/follower-model.json is not what training produces: run `just train`"
    );
    assert_eq!(
        std::fs::read_to_string(&report).unwrap(),
        std::fs::read_to_string(root.join("docs/authenticity-evaluation.md")).unwrap(),
        "docs/authenticity-evaluation.md is not what training produces: run `just train`"
    );
    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn shipped_model_loads_and_separates_obvious_cases() {
    use microscout_authenticity::{Follower, FollowerModel};
    let m = FollowerModel::shipped();
    let bot = Follower {
        posts: Some(0),
        followers: Some(12),
        following: Some(2_400),
        has_profile_pic: Some(false),
        is_private: Some(false),
        bio_length: Some(0),
        ..Default::default()
    }
    .with_username("jessica84729301");
    let person = Follower {
        posts: Some(140),
        followers: Some(380),
        following: Some(310),
        has_profile_pic: Some(true),
        is_private: Some(true),
        bio_length: Some(42),
        ..Default::default()
    }
    .with_username("anna.reads");
    assert!(m.probability(&bot) > 0.8, "{}", m.probability(&bot));
    assert!(m.probability(&person) < 0.2, "{}", m.probability(&person));
    // Nothing known at all still gives a probability, not a panic.
    let p = m.probability(&Follower::default());
    assert!((0.0..=1.0).contains(&p));
}
