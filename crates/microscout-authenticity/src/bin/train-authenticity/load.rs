//! The labelled datasets read into training rows: InstaFake, Cresci 2015 (MIB), Purba 2020;
//! every rule of reading has a unit test.

use std::path::Path;

use crate::*;

pub(crate) fn load_instafake(dir: &Path) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    for file in ["realAccountData.json", "fakeAccountData.json"] {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        rows.extend(instafake_rows(&text).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    Ok(rows)
}

/// InstaFake's records (a JSON array). A record without a 0/1 `isFake` is an error: a
/// missing label must not silently become "real".
pub(crate) fn instafake_rows(text: &str) -> Result<Vec<Row>, String> {
    let items: Vec<serde_json::Value> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let u = |k: &str| it[k].as_u64();
            let b = |k: &str| it[k].as_u64().map(|v| v == 1);
            let f = Follower {
                posts: u("userMediaCount"),
                followers: u("userFollowerCount"),
                following: u("userFollowingCount"),
                has_profile_pic: b("userHasProfilPic"),
                is_private: b("userIsPrivate"),
                bio_length: u("userBiographyLength"),
                username_length: u("usernameLength"),
                username_digits: u("usernameDigitCount"),
            };
            let y = match it["isFake"].as_f64() {
                Some(v) if v == 0.0 || v == 1.0 => v,
                other => {
                    return Err(format!(
                        "record {i}: isFake is {other:?}, not 0 or 1 (a missing label is not \"real\")"
                    ));
                }
            };
            Ok(Row {
                x: f.features().to_vec(),
                y,
                set: 0,
                kind: "",
            })
        })
        .collect()
}

/// InstaFake's non-automated accounts (real people, 2018): real only, so they measure the
/// classifier's specificity on real accounts collected apart from its training data. They
/// carry no picture or private flag (missing).
pub(crate) fn load_instafake_real_only(path: &Path) -> Result<Vec<Row>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let items: Vec<serde_json::Value> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            if it["automatedBehaviour"].as_u64() != Some(0) {
                return Err(format!(
                    "{}: record {i}: automatedBehaviour is not 0",
                    path.display()
                ));
            }
            let u = |k: &str| it[k].as_u64();
            let f = Follower {
                posts: u("userMediaCount"),
                followers: u("userFollowerCount"),
                following: u("userFollowingCount"),
                bio_length: u("userBiographyLength"),
                username_length: u("usernameLength"),
                username_digits: u("usernameDigitCount"),
                ..Default::default()
            };
            Ok(Row {
                x: f.features().to_vec(),
                y: 0.0,
                set: 2,
                kind: "",
            })
        })
        .collect()
}

/// A MIB (Cresci) boolean cell: `1`, `1.0`, `true` are true, `0`, `0.0`, `false` false;
/// blank and `NULL` are unknown (missing), never false.
pub(crate) fn mib_flag(v: &str) -> Option<bool> {
    let v = v.trim();
    match v.to_ascii_lowercase().as_str() {
        "" | "null" => None,
        "true" => Some(true),
        "false" => Some(false),
        _ => v.parse::<f64>().ok().map(|x| x != 0.0),
    }
}

pub(crate) fn load_cresci(dir: &Path) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    for (file, fake) in [
        ("TFP_users.csv", false),
        ("E13_users.csv", false),
        ("INT_users.csv", true),
        ("FSF_partial_users.csv", true),
        ("TWT_partial_users.csv", true),
    ] {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        rows.extend(cresci_rows(&text, fake).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    Ok(rows)
}

/// One Cresci 2015 users CSV, all of one class.
pub(crate) fn cresci_rows(text: &str, fake: bool) -> Result<Vec<Row>, String> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| h.iter().position(|x| x == name);
    let (posts, fol, fri, dpi, url, prot, desc, name) = (
        col("statuses_count"),
        col("followers_count"),
        col("friends_count"),
        col("default_profile_image"),
        col("profile_image_url"),
        col("protected"),
        col("description"),
        col("screen_name"),
    );
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("");
        let num = |i| get(i).parse::<u64>().ok();
        let desc = get(desc);
        let desc = if desc == "NULL" { "" } else { desc };
        // A picture: the default-image flag when set, else the image URL (Twitter's default
        // avatars live under default_profile_images/), else unknown.
        let image_url = get(url);
        let has_profile_pic = match mib_flag(get(dpi)) {
            Some(default) => Some(!default),
            None if !image_url.is_empty() && image_url != "NULL" => {
                Some(!image_url.contains("default_profile_images"))
            }
            None => None,
        };
        let f = Follower {
            posts: num(posts),
            followers: num(fol),
            following: num(fri),
            has_profile_pic,
            is_private: mib_flag(get(prot)),
            bio_length: Some(desc.chars().count() as u64),
            ..Default::default()
        }
        .with_username(get(name));
        rows.push(Row {
            x: f.features().to_vec(),
            y: if fake { 1.0 } else { 0.0 },
            set: 0,
            kind: "",
        });
    }
    Ok(rows)
}

pub(crate) fn load_purba(path: &Path) -> Result<Vec<Row>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "cannot read {}: {e} (see data/labelled/purba-2020/README.md)",
            path.display()
        )
    })?;
    purba_rows(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Purba et al. 2020's 4-class file: `r` authentic is real; `a` (active fake), `i`
/// (inactive fake) and `s` (spammer) are fake. Of its columns, the five a follower export
/// carries: posts, followers, following, bio length, picture. No handle, no private flag
/// (missing). A count that is not a whole number, or an unknown class, is an error naming
/// the line and column.
pub(crate) fn purba_rows(text: &str) -> Result<Vec<Row>, String> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| {
        h.iter()
            .position(|x| x == name)
            .ok_or_else(|| format!("no column `{name}`"))
    };
    let (pos, flw, flg, bl, pic, class) = (
        col("pos")?,
        col("flw")?,
        col("flg")?,
        col("bl")?,
        col("pic")?,
        col("class")?,
    );
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        let line = rec.position().map_or(0, |p| p.line());
        let count = |i: usize| -> Result<u64, String> {
            let v = rec.get(i).unwrap_or("").trim();
            v.parse::<u64>().map_err(|_| {
                format!(
                    "line {line}, column {} (`{}`): {v:?} is not a count",
                    i + 1,
                    &h[i]
                )
            })
        };
        let (y, kind) = match rec.get(class).unwrap_or("").trim() {
            "r" => (0.0, ""),
            "a" => (1.0, "active fake"),
            "i" => (1.0, "inactive fake"),
            "s" => (1.0, "spammer"),
            other => {
                return Err(format!(
                    "line {line}, column {} (`class`): {other:?} is not r, a, i or s (a missing label is not \"real\")",
                    class + 1
                ));
            }
        };
        let has_pic = match count(pic)? {
            0 => false,
            1 => true,
            v => {
                return Err(format!(
                    "line {line}, column {} (`pic`): {v} is not 0 or 1",
                    pic + 1
                ));
            }
        };
        let f = Follower {
            posts: Some(count(pos)?),
            followers: Some(count(flw)?),
            following: Some(count(flg)?),
            has_profile_pic: Some(has_pic),
            bio_length: Some(count(bl)?),
            ..Default::default()
        };
        rows.push(Row {
            x: f.features().to_vec(),
            y,
            set: 0,
            kind,
        });
    }
    Ok(rows)
}

/// A BAS-like sample as in Cresci et al.: every human and as many fakes, drawn with a fixed
/// seed (the paper's own fake sample is not published).
pub(crate) fn bas_like(rows: &[Row]) -> Vec<Row> {
    let humans: Vec<Row> = rows.iter().filter(|r| r.y < 0.5).cloned().collect();
    let fakes: Vec<Row> = rows.iter().filter(|r| r.y > 0.5).cloned().collect();
    let strata = vec![0u32; fakes.len()];
    // Reuse the fold shuffle: fold index < humans/fakes share picks a seeded subset.
    let folds = stratified_folds(&strata, fakes.len(), SEED + 1);
    let mut picked: Vec<(usize, Row)> = fakes
        .into_iter()
        .zip(folds)
        .filter(|(_, f)| *f < humans.len())
        .map(|(r, f)| (f, r))
        .collect();
    picked.sort_by_key(|(f, _)| *f);
    let mut out = humans;
    out.extend(picked.into_iter().map(|(_, r)| r));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cresci_blank_flags_are_missing_and_1_0_is_true() {
        let csv = "screen_name,statuses_count,followers_count,friends_count,default_profile_image,profile_image_url,protected,description\n\
                   a,1,2,3,1.0,,,NULL\n\
                   b,1,2,3,,http://x/default_profile_images/d.png,,hi\n\
                   c,1,2,3,,http://x/profile_images/me.jpg,1,hi\n\
                   d,1,2,3,,,,hi\n";
        let rows = cresci_rows(csv, false).unwrap();
        let pic = |r: &Row| r.x[NAMES.iter().position(|n| *n == "has_profile_pic").unwrap()];
        let private = |r: &Row| r.x[NAMES.iter().position(|n| *n == "is_private").unwrap()];
        // "1.0" means the default image: no picture.
        assert_eq!(pic(&rows[0]), 0.0);
        assert_eq!(pic(&rows[1]), 0.0);
        assert_eq!(pic(&rows[2]), 1.0);
        // Nothing known: missing (NaN), not a value.
        assert!(pic(&rows[3]).is_nan());
        assert!(private(&rows[0]).is_nan());
        assert_eq!(private(&rows[2]), 1.0);
    }

    #[test]
    fn a_missing_instafake_label_is_an_error() {
        let ok = r#"[{"userMediaCount": 1, "isFake": 1}, {"userMediaCount": 2, "isFake": 0}]"#;
        assert_eq!(instafake_rows(ok).unwrap().len(), 2);
        let missing = r#"[{"userMediaCount": 1, "isFake": 1}, {"userMediaCount": 2}]"#;
        let e = instafake_rows(missing).unwrap_err();
        assert!(e.contains("record 1"), "{e}");
    }

    #[test]
    fn purba_classes_and_columns() {
        let csv = "pos,flw,flg,bl,pic,lin,class\n\
                   10,200,300,40,1,0,r\n\
                   61,437,2000,25,1,0,a\n\
                   1,88,3900,0,0,0,i\n\
                   51,357,1800,34,1,1,s\n";
        let rows = purba_rows(csv).unwrap();
        assert_eq!(
            rows.iter().map(|r| r.y).collect::<Vec<_>>(),
            [0.0, 1.0, 1.0, 1.0]
        );
        let at = |name: &str| NAMES.iter().position(|n| *n == name).unwrap();
        assert_eq!(rows[0].x[at("log_followers")], 200f64.ln_1p());
        assert_eq!(rows[2].x[at("has_profile_pic")], 0.0);
        // No handle and no private flag in this dataset: missing, not zero.
        assert!(rows[0].x[at("username_length")].is_nan());
        assert!(rows[0].x[at("is_private")].is_nan());
        // A blank or unknown class is an error naming its line, never "real".
        let e = purba_rows("pos,flw,flg,bl,pic,class\n1,2,3,4,1,r\n1,2,3,4,1,\n").unwrap_err();
        assert!(e.starts_with("line 3, column 6 (`class`)"), "{e}");
        let e = purba_rows("pos,flw,flg,bl,pic,class\n1,2.5,3,4,1,r\n").unwrap_err();
        assert!(e.starts_with("line 2, column 2 (`flw`)"), "{e}");
        let e = purba_rows("pos,flw,flg,bl,pic,class\n1,2,3,4,2,r\n").unwrap_err();
        assert!(e.contains("`pic`"), "{e}");
        assert!(
            purba_rows("pos,flw,bl,pic,class\n")
                .unwrap_err()
                .contains("`flg`")
        );
    }
}
