//! `microscout eval-niche`: how well the niche relevance ranks a labelled set of accounts.
//!
//! Reads the drop as `run` does, computes every account's relevance for each campaign
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
    /// Accounts of the drop, with a label, evaluated (at least `--min-posts` posts).
    pub accounts: usize,
    pub unlabelled: usize,
    pub min_posts: u32,
    pub as_of: i64,
}

impl EvalNicheOutcome {
    /// The Markdown table, one row per campaign.
    pub fn markdown(&self) -> String {
        let p = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.2}"));
        let mut out = format!(
            "Accounts evaluated: {} (labelled, at least {} post{} before {}); unlabelled accounts left out: {}.\n\n",
            self.accounts,
            self.min_posts,
            if self.min_posts == 1 { "" } else { "s" },
            microscout_model::history::date_of(microscout_model::history::day_of(self.as_of)),
            self.unlabelled
        );
        out.push_str("| campaign | niche | on-niche accounts | base rate | found by a keyword | P@10 | P@50 | nDCG@50 | nDCG |\n");
        out.push_str("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for m in &self.measures {
            out.push_str(&format!(
                "| {} | {} | {} | {:.3} | {:.2} | {} | {} | {:.2} | {:.2} |\n",
                m.campaign,
                m.niche,
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
    let (niche, file) = s.split_once('=').ok_or_else(|| {
        crate::usage!("--campaign {s}: expected NICHE=FILE (e.g. family=data/campaign.toml)")
    })?;
    Ok((niche.trim().to_string(), PathBuf::from(file)))
}

/// The labels: `(platform, account_id) -> niche` from a CSV with those three columns.
fn read_labels(path: &Path) -> anyhow::Result<HashMap<(String, String), String>> {
    let mut r = csv::Reader::from_path(path)
        .with_context(|| format!("cannot read the labels {}", path.display()))?;
    let headers = r.headers()?.clone();
    let col = |name: &str| {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            anyhow!(
                "{}: no `{name}` column (expected platform, account_id, niche)",
                path.display()
            )
        })
    };
    let (p, a, n) = (col("platform")?, col("account_id")?, col("niche")?);
    let mut out = HashMap::new();
    for (i, row) in r.records().enumerate() {
        let row = row.with_context(|| format!("{} line {}", path.display(), i + 2))?;
        out.insert(
            (row[p].to_string(), row[a].to_string()),
            row[n].trim().to_string(),
        );
    }
    Ok(out)
}

/// `microscout eval-niche`.
pub fn eval_niche(args: &cli::EvalNicheArgs) -> anyhow::Result<EvalNicheOutcome> {
    let campaigns: Vec<(String, PathBuf)> = args
        .campaign
        .iter()
        .map(|c| campaign_arg(c))
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
    let mut evaluated = (0, 0);
    for (niche, path) in &campaigns {
        let (campaign, _) = super::read_campaign(path)?;
        let scores = microscout_score::relevance::relevance_of_accounts(
            &drop.accounts,
            &drop.posts,
            &campaign,
            as_of,
        )?;
        let mut unlabelled = 0;
        // (tie key, relevance, on-niche, index in `scores`).
        let mut ranked: Vec<(u64, Option<f64>, bool, usize)> = Vec::new();
        for (i, (key, r)) in scores.iter().enumerate() {
            let Some(label) = labels.get(key) else {
                unlabelled += 1;
                continue;
            };
            if r.posts_considered < args.min_posts {
                continue;
            }
            let tie = tie_key(&key.0, &key.1);
            ranked.push((tie, r.score, label == niche, i));
        }
        evaluated = (ranked.len(), unlabelled);
        let found = ranked
            .iter()
            .filter(|(_, s, on, _)| *on && s.is_some_and(|s| s > 0.0))
            .count();
        microscout_score::ranking::rank(&mut ranked, |r| r.1, |r| r.0);
        let on: Vec<bool> = ranked.iter().map(|r| r.2).collect();
        if let Some(w) = ranking.as_mut() {
            for (rank, &(_, score, _, i)) in ranked.iter().enumerate() {
                let ((platform, account), r) = &scores[i];
                let keywords: Vec<String> = r
                    .matched_keywords
                    .iter()
                    .map(|(k, n)| format!("{k} ({n})"))
                    .collect();
                w.write_record([
                    niche.as_str(),
                    &(rank + 1).to_string(),
                    platform,
                    account,
                    labels[&(platform.clone(), account.clone())].as_str(),
                    &score.map_or(String::new(), |s| format!("{s:.4}")),
                    &r.posts_considered.to_string(),
                    &keywords.join("; "),
                ])?;
            }
        }
        let on_niche = on.iter().filter(|o| **o).count();
        if on_niche == 0 {
            return Err(crate::usage!(
                "--campaign {niche}={}: no account evaluated is labelled `{niche}` in {}",
                path.display(),
                args.labels.display()
            ));
        }
        use microscout_score::ranking::{ndcg_at, precision_at};
        measures.push(NicheMeasures {
            campaign: if campaign.campaign.name.is_empty() {
                path.display().to_string()
            } else {
                campaign.campaign.name.clone()
            },
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
        accounts: evaluated.0,
        unlabelled: evaluated.1,
        min_posts: args.min_posts,
        as_of,
    })
}

/// The tie-break key of an account: a hash of its key, which knows nothing of its label.
fn tie_key(platform: &str, account: &str) -> u64 {
    microscout_model::comments::post_fingerprint(platform, account)
}
