//! `microscout eval-niche`: how well the niche relevance ranks a labelled set of accounts.
//!
//! Reads the drop's canonical tables (no `[ingest]` settings), computes every account's
//! relevance for each campaign
//! (microscout-score's `relevance_of_accounts`: the night's own extraction and formula),
//! orders the accounts by it and measures the order against the labels (microscout-score's
//! `ranking`: precision@k, nDCG). The tables go to standard output as Markdown.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};

use crate::cli;

/// One campaign's measures over the accounts evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct NicheMeasures {
    pub campaign: String,
    pub niche: String,
    /// Accounts ranked, and those labelled with the niche. Unit: accounts.
    pub accounts: usize,
    pub on_niche: usize,
    /// On-niche accounts a keyword found at all (relevance above 0), over the on-niche
    /// accounts. Unit: fraction.
    pub found: f64,
    pub precision_10: Option<f64>,
    pub precision_50: Option<f64>,
    pub ndcg_50: f64,
    /// nDCG over the whole ranking.
    pub ndcg: f64,
}

/// What `microscout eval-niche` measured.
#[derive(Debug)]
pub struct EvalNicheOutcome {
    pub measures: Vec<NicheMeasures>,
    /// Accounts of the drop, those without a label (left out), and label rows that name no
    /// account of the drop. Unit: accounts.
    pub drop_accounts: usize,
    pub unlabelled: usize,
    pub labels_unmatched: usize,
    pub min_posts: u32,
    pub as_of: i64,
}

impl EvalNicheOutcome {
    /// The Markdown table, one row per campaign.
    pub fn markdown(&self) -> String {
        let p = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.2}"));
        let mut out = format!(
            "The drop's accounts: {}, of which {} without a label are left out ({} label rows name no account of the drop). Evaluated per campaign (`accounts`): the labelled accounts with at least {} post{} the campaign reads before {}.\n\n",
            self.drop_accounts,
            self.unlabelled,
            self.labels_unmatched,
            self.min_posts,
            if self.min_posts == 1 { "" } else { "s" },
            microscout_model::history::date_of(microscout_model::history::day_of(self.as_of)),
        );
        out.push_str("| campaign | niche | accounts | on-niche accounts | base rate | found by a keyword | P@10 | P@50 | nDCG@50 | nDCG |\n");
        out.push_str("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for m in &self.measures {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {:.3} | {:.2} | {} | {} | {:.2} | {:.2} |\n",
                m.campaign,
                m.niche,
                m.accounts,
                m.on_niche,
                m.on_niche as f64 / m.accounts.max(1) as f64,
                m.found,
                p(m.precision_10),
                p(m.precision_50),
                m.ndcg_50,
                m.ndcg,
            ));
        }
        out
    }
}

/// `NICHE=FILE` of `--campaign`.
fn campaign_arg(s: &str) -> anyhow::Result<(String, PathBuf)> {
    match s.split_once('=') {
        Some((niche, file)) if !niche.trim().is_empty() && !file.trim().is_empty() => {
            Ok((niche.trim().to_string(), PathBuf::from(file)))
        }
        _ => Err(crate::usage!(
            "--campaign {s}: expected NICHE=FILE (e.g. family=data/campaign.toml)"
        )),
    }
}

/// The labels: `(platform, account_id) -> niche` from a CSV with those three columns. An
/// account labelled twice with different niches is an error naming both lines.
fn read_labels(path: &Path) -> anyhow::Result<HashMap<(String, String), String>> {
    let rows = super::read_label_rows(path, &["platform", "account_id", "niche"])?;
    let mut out: HashMap<(String, String), (u64, String)> = HashMap::new();
    for (line, cells) in rows {
        let [platform, account, niche] = <[String; 3]>::try_from(cells).expect("three columns");
        let niche = niche.trim().to_string();
        let key = (platform.trim().to_lowercase(), account);
        if let Some((first, other)) = out.get(&key)
            && *other != niche
        {
            return Err(anyhow!(
                "{} line {line}: {} {} is labelled `{niche}`, and `{other}` on line {first}",
                path.display(),
                key.0,
                key.1
            ));
        }
        out.entry(key).or_insert((line, niche));
    }
    Ok(out.into_iter().map(|(k, (_, n))| (k, n)).collect())
}

/// `microscout eval-niche`.
pub fn eval_niche(args: &cli::EvalNicheArgs) -> anyhow::Result<EvalNicheOutcome> {
    // Every campaign file is read before anything is measured or written.
    let campaigns: Vec<(String, PathBuf, microscout_model::Campaign)> = args
        .campaign
        .iter()
        .map(|c| {
            let (niche, path) = campaign_arg(c)?;
            let (campaign, _) = super::read_campaign(&path)?;
            Ok((niche, path, campaign))
        })
        .collect::<anyhow::Result<_>>()?;
    let labels = read_labels(&args.labels)?;
    let options = microscout_ingest::IngestOptions::default();
    let drop = microscout_ingest::read_drop(&args.drop, &options, &microscout_ingest::NoProgress)
        .with_context(|| format!("cannot read the drop {}", args.drop.display()))?;
    let as_of = match args.as_of {
        Some(t) => t,
        // A day after the last post: every post of the set is read.
        None => {
            drop.posts
                .column("posted_at")?
                .i64()?
                .iter()
                .flatten()
                .max()
                .unwrap_or(0)
                + 86_400
        }
    };
    let mut ranking = match &args.ranking {
        Some(path) => {
            let mut w = csv::Writer::from_path(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            w.write_record([
                "campaign",
                "campaign_niche",
                "rank",
                "platform",
                "account_id",
                "label",
                "relevance",
                "posts",
                "matched_keywords",
            ])?;
            Some(w)
        }
        None => None,
    };
    let mut measures = Vec::new();
    let drop_keys: std::collections::HashSet<(String, String)> =
        microscout_score::account_handles(&drop.accounts)?
            .into_iter()
            .map(|(platform, account, _)| (platform, account))
            .collect();
    let labels_unmatched = labels.keys().filter(|k| !drop_keys.contains(*k)).count();
    let unlabelled = drop_keys
        .iter()
        .filter(|k| !labels.contains_key(*k))
        .count();
    for (niche, path, campaign) in &campaigns {
        let name = if campaign.campaign.name.is_empty() {
            path.display().to_string()
        } else {
            campaign.campaign.name.clone()
        };
        let scores = microscout_score::relevance::relevance_of_accounts(
            &drop.accounts,
            &drop.posts,
            campaign,
            as_of,
        )?;
        // (tie key, relevance, label, index in `scores`).
        let mut ranked: Vec<(u64, Option<f64>, &str, usize)> = Vec::new();
        for (i, (key, r)) in scores.iter().enumerate() {
            let Some(label) = labels.get(key) else {
                continue;
            };
            if r.posts_considered < args.min_posts {
                continue;
            }
            ranked.push((tie_key(&key.0, &key.1), r.score, label, i));
        }
        let found = ranked
            .iter()
            .filter(|(_, s, label, _)| label == niche && s.is_some_and(|s| s > 0.0))
            .count();
        microscout_score::ranking::rank(&mut ranked, |r| r.1, |r| r.0);
        let on: Vec<bool> = ranked.iter().map(|r| r.2 == niche).collect();
        if let Some(w) = ranking.as_mut() {
            for (rank, &(_, score, label, i)) in ranked.iter().enumerate() {
                let ((platform, account), r) = &scores[i];
                let keywords: Vec<String> = r
                    .matched_keywords
                    .iter()
                    .map(|(k, n)| format!("{k} ({n})"))
                    .collect();
                w.write_record([
                    name.as_str(),
                    niche.as_str(),
                    &(rank + 1).to_string(),
                    platform,
                    account,
                    label,
                    &score.map_or(String::new(), |s| format!("{s:.4}")),
                    &r.posts_considered.to_string(),
                    &keywords.join("; "),
                ])?;
            }
        }
        let on_niche = on.iter().filter(|o| **o).count();
        if on_niche == 0 {
            let mut present: Vec<&str> = labels.values().map(String::as_str).collect();
            present.sort_unstable();
            present.dedup();
            return Err(crate::usage!(
                "--campaign {niche}={}: no account evaluated is labelled `{niche}` ({} of the drop's accounts evaluated, with at least {} post(s); the labels of {} are: {})",
                path.display(),
                ranked.len(),
                args.min_posts,
                args.labels.display(),
                present.join(", ")
            ));
        }
        use microscout_score::ranking::{ndcg_at, precision_at};
        measures.push(NicheMeasures {
            campaign: name,
            niche: niche.clone(),
            accounts: on.len(),
            on_niche,
            found: found as f64 / on_niche as f64,
            precision_10: precision_at(&on, 10),
            precision_50: precision_at(&on, 50),
            ndcg_50: ndcg_at(&on, 50),
            ndcg: ndcg_at(&on, on.len()),
        });
    }
    if let Some(mut w) = ranking {
        w.flush()?;
    }
    Ok(EvalNicheOutcome {
        measures,
        drop_accounts: drop_keys.len(),
        unlabelled,
        labels_unmatched,
        min_posts: args.min_posts,
        as_of,
    })
}

/// The tie-break key of an account: a hash of its key, which knows nothing of its label.
fn tie_key(platform: &str, account: &str) -> u64 {
    microscout_model::comments::post_fingerprint(platform, account)
}
