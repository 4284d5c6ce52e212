//! Measuring the classifier against a user's own labels (`microscout classify-followers
//! --labels FILE`): a CSV with `follower_handle` and `is_fake` (`true/false`, `1/0`,
//! `yes/no`, `fake/real`), optionally `platform` and `account_id` (handles are unique only
//! within one account's sample, so with both columns the match is on all three).

use std::collections::HashMap;
use std::io::Read;

use microscout_model::Platform;
use microscout_model::schema::normalise_header;

use crate::eval::{Metrics, metrics};

/// Why a labels file cannot be used. Lines are 1-based, the header being line 1.
#[derive(Debug, thiserror::Error)]
pub enum LabelError {
    #[error("missing column `{0}` (the labels need follower_handle and is_fake)")]
    MissingColumn(&'static str),
    #[error("line {line}: is_fake {value:?} is not true/false, 1/0, yes/no or fake/real")]
    BadLabel { line: u64, value: String },
    #[error("line {line}: {source}")]
    Csv {
        line: u64,
        #[source]
        source: csv::Error,
    },
    #[error("no follower_handle of the labels matches the input's followers")]
    NoMatch,
}

/// One classified follower: whose sample it is in, its handle, its fake probability.
#[derive(Debug, Clone, Copy)]
pub struct Classified<'a> {
    pub platform: &'a str,
    pub account_id: &'a str,
    pub handle: &'a str,
    pub probability: f64,
}

fn parse_label(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "fake" => Some(true),
        "0" | "false" | "no" | "real" => Some(false),
        _ => None,
    }
}

/// The labels of `labels` matched to `followers`; the metrics at `threshold` over the
/// matched ones, and how many matched.
pub fn evaluate<R: Read>(
    labels: R,
    followers: &[Classified<'_>],
    threshold: f64,
) -> Result<(usize, Metrics), LabelError> {
    let mut r = csv::Reader::from_reader(labels);
    let headers: Vec<String> = r
        .headers()
        .map_err(|source| LabelError::Csv { line: 1, source })?
        .iter()
        .map(normalise_header)
        .collect();
    let col = |name: &'static str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or(LabelError::MissingColumn(name))
    };
    let (h, l) = (col("follower_handle")?, col("is_fake")?);
    let account_cols = col("platform").ok().zip(col("account_id").ok());
    let key = |platform: &str, account: &str, handle: &str| match account_cols {
        Some(_) => {
            let platform =
                Platform::parse(platform).map_or(platform.to_string(), |p| p.to_string());
            format!("{platform}\u{1f}{account}\u{1f}{handle}")
        }
        None => handle.to_string(),
    };
    let mut by_key = HashMap::new();
    for rec in r.records() {
        let rec = rec.map_err(|source| LabelError::Csv {
            line: source.position().map_or(0, |p| p.line()),
            source,
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let value = rec.get(l).unwrap_or_default();
        let fake = parse_label(value).ok_or_else(|| LabelError::BadLabel {
            line,
            value: value.to_string(),
        })?;
        let (pl, ac) = account_cols.map_or(("", ""), |(p, a)| {
            (
                rec.get(p).unwrap_or_default(),
                rec.get(a).unwrap_or_default(),
            )
        });
        by_key.insert(key(pl, ac, rec.get(h).unwrap_or_default()), fake);
    }
    let (mut p, mut y) = (Vec::new(), Vec::new());
    for f in followers {
        if let Some(fake) = by_key.get(&key(f.platform, f.account_id, f.handle)) {
            p.push(f.probability);
            y.push(if *fake { 1.0 } else { 0.0 });
        }
    }
    if p.is_empty() {
        return Err(LabelError::NoMatch);
    }
    Ok((p.len(), metrics(&p, &y, threshold)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f<'a>(account: &'a str, handle: &'a str, p: f64) -> Classified<'a> {
        Classified {
            platform: "instagram",
            account_id: account,
            handle,
            probability: p,
        }
    }

    #[test]
    fn labels_match_on_account_and_handle() {
        let followers = [f("a", "x", 0.9), f("b", "x", 0.1), f("a", "y", 0.2)];
        let labels = "Platform,Account ID,follower_handle,is_fake\nInstagram,a,x,fake\ninstagram,b,x,0\ninstagram,a,y,yes\n";
        let (n, m) = evaluate(labels.as_bytes(), &followers, 0.5).unwrap();
        assert_eq!(n, 3);
        // a/x fake & flagged, b/x real & not, a/y fake & missed.
        assert!((m.recall - 0.5).abs() < 1e-12);
        assert!((m.precision - 1.0).abs() < 1e-12);
    }

    #[test]
    fn bad_labels_name_their_line() {
        let e = evaluate(
            "follower_handle,is_fake\nx,1\ny,maybe\n".as_bytes(),
            &[],
            0.5,
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "line 3: is_fake \"maybe\" is not true/false, 1/0, yes/no or fake/real"
        );
        let e = evaluate("handle,is_fake\n".as_bytes(), &[], 0.5).unwrap_err();
        assert!(matches!(e, LabelError::MissingColumn("follower_handle")));
        let e = evaluate(
            "follower_handle,is_fake\nz,1\n".as_bytes(),
            &[f("a", "x", 0.5)],
            0.5,
        );
        assert!(matches!(e, Err(LabelError::NoMatch)));
    }
}
