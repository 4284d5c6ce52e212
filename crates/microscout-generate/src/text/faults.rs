//! The faulty rows a drop with `--faults` carries: one per kind of fault ingestion must
//! quarantine.

use super::*;

/// Faulty rows that ingestion must quarantine, one per kind of fault.
pub fn faults(cfg: &Config, post_counts: &[usize]) -> (Vec<String>, Vec<String>, Vec<String>) {
    // The first account with posts, so that the duplicate post id really is a duplicate.
    let first = post_counts.iter().position(|&n| n > 0).unwrap_or(0);
    let (a0, _) = make_account(cfg, first);
    let accounts = vec![
        // Duplicate of the first account.
        row(&[
            a0.platform,
            &a0.id,
            &a0.handle,
            "",
            "",
            "10",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]),
        row(&[
            "instagram",
            "9999999901",
            "negative_followers",
            "",
            "",
            "-40",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]),
        row(&[
            "myspace",
            "9999999902",
            "old_school",
            "",
            "",
            "1200",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]),
    ];
    let t = rfc3339(cfg.as_of - 86_400);
    let posts = vec![
        row(&[
            a0.platform,
            &a0.id,
            "fault_neg_likes",
            &t,
            "-5",
            "3",
            "",
            "negative likes",
            "image",
        ]),
        row(&[
            a0.platform,
            &a0.id,
            "fault_words",
            &t,
            "12",
            "many",
            "",
            "comments in words",
            "image",
        ]),
        row(&[
            a0.platform,
            &a0.id,
            "fault_time",
            "last tuesday",
            "12",
            "3",
            "",
            "bad timestamp",
            "image",
        ]),
        row(&[
            "instagram",
            "no_such_account",
            "fault_orphan",
            &t,
            "12",
            "3",
            "",
            "orphan post",
            "image",
        ]),
        row(&[
            a0.platform,
            &a0.id,
            &post_id(&a0.id, 0),
            &t,
            "12",
            "3",
            "",
            "duplicate post id",
            "image",
        ]),
        "instagram,too,few,fields\n".to_string(),
    ];
    let followers = vec![row(&[
        "instagram",
        "no_such_account",
        "someone",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ])];
    (accounts, posts, followers)
}
