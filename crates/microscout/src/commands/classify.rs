//! `microscout classify-followers`: the shipped follower classifier on one followers table.

use std::path::Path;

use anyhow::{Context, anyhow};

use crate::{Failure, cli};

#[derive(Debug)]
pub struct ClassifyOutcome {
    pub classified: usize,
    pub labelled_fake: usize,
    pub rejected: microscout_model::intake::Rejections,
    /// (labels matched, metrics) when `--labels` was given.
    pub evaluation: Option<(usize, microscout_authenticity::eval::Metrics)>,
}

/// `microscout classify-followers`.
pub fn classify(args: &cli::ClassifyArgs) -> Result<ClassifyOutcome, Failure> {
    use microscout_model::schema::Table;
    let (df, rejected, _) = microscout_ingest::read_table(
        &args.input,
        Table::Followers,
        &microscout_ingest::Limits::default(),
        None,
    )
    .map_err(|e| Failure::Run(anyhow!(e)))?;
    let probs = microscout_score::features::follower_probabilities(&df)
        .map_err(|e| Failure::Run(anyhow!(e)))?;
    let model = microscout_authenticity::FollowerModel::shipped();
    let text = |name: &str| -> anyhow::Result<Vec<Option<String>>> {
        Ok(df
            .column(name)?
            .str()?
            .iter()
            .map(|v| v.map(str::to_string))
            .collect())
    };
    let columns = (|| -> anyhow::Result<_> {
        Ok((
            text("platform")?,
            text("account_id")?,
            text("follower_handle")?,
        ))
    })()
    .map_err(Failure::Run)?;
    let (platform, account, handle) = columns;
    let evaluation = match &args.labels {
        None => None,
        Some(path) => Some(
            evaluate_labels(path, &platform, &account, &handle, &probs, model)
                .map_err(Failure::Run)?,
        ),
    };
    let table = microscout_report::table::OutTable {
        columns: vec![
            ("platform", microscout_report::table::Values::Text(platform)),
            (
                "account_id",
                microscout_report::table::Values::Text(account),
            ),
            (
                "follower_handle",
                microscout_report::table::Values::Text(handle),
            ),
            (
                "fake_probability",
                microscout_report::table::Values::Float(probs.iter().map(|p| Some(*p)).collect()),
            ),
            (
                "label",
                microscout_report::table::Values::Text(
                    probs
                        .iter()
                        .map(|p| Some(if model.is_fake(*p) { "fake" } else { "real" }.to_string()))
                        .collect(),
                ),
            ),
        ],
    };
    let written = match &args.out {
        Some(path) => std::fs::File::create(path)
            .and_then(|f| table.write_csv(std::io::BufWriter::new(f)))
            .with_context(|| format!("cannot write {}", path.display())),
        // A reader that stops early (`| head`) is not an error.
        None => match table.write_csv(std::io::stdout().lock()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other.context("cannot write to standard output"),
        },
    };
    written.map_err(Failure::Run)?;
    Ok(ClassifyOutcome {
        classified: probs.len(),
        labelled_fake: probs.iter().filter(|p| model.is_fake(**p)).count(),
        rejected,
        evaluation,
    })
}

fn evaluate_labels(
    path: &Path,
    platforms: &[Option<String>],
    accounts: &[Option<String>],
    handles: &[Option<String>],
    probs: &[f64],
    model: &microscout_authenticity::FollowerModel,
) -> anyhow::Result<(usize, microscout_authenticity::eval::Metrics)> {
    let mut r =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let headers: Vec<String> = r
        .headers()?
        .iter()
        .map(microscout_model::schema::normalise_header)
        .collect();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| anyhow!("{}: missing column `{name}`", path.display()))
    };
    let (h, l) = (col("follower_handle")?, col("is_fake")?);
    // Handles are unique only within one account's sample: key on the account too when the
    // labels name it.
    let account_cols = col("platform").ok().zip(col("account_id").ok());
    let key = |platform: &str, account: &str, handle: &str| match account_cols {
        Some(_) => format!("{platform}\u{1f}{account}\u{1f}{handle}"),
        None => handle.to_string(),
    };
    let mut labels = std::collections::HashMap::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.with_context(|| format!("{}: record {i}", path.display()))?;
        let value = rec.get(l).unwrap_or_default();
        let fake = match value.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "fake" => true,
            "0" | "false" | "no" | "real" => false,
            other => anyhow::bail!(
                "{}: line {}: is_fake {other:?} is not true/false, 1/0 or fake/real",
                path.display(),
                i + 2
            ),
        };
        let (pl, ac) = account_cols.map_or(("", ""), |(p, a)| {
            (
                rec.get(p).unwrap_or_default(),
                rec.get(a).unwrap_or_default(),
            )
        });
        let platform =
            microscout_model::Platform::parse(pl).map_or(pl.to_string(), |p| p.to_string());
        labels.insert(key(&platform, ac, rec.get(h).unwrap_or_default()), fake);
    }
    let (mut p, mut y) = (Vec::new(), Vec::new());
    for (((handle, prob), platform), account) in
        handles.iter().zip(probs).zip(platforms).zip(accounts)
    {
        let k = key(
            platform.as_deref().unwrap_or_default(),
            account.as_deref().unwrap_or_default(),
            handle.as_deref().unwrap_or_default(),
        );
        if let Some(fake) = labels.get(&k) {
            p.push(*prob);
            y.push(if *fake { 1.0 } else { 0.0 });
        }
    }
    if p.is_empty() {
        anyhow::bail!(
            "{}: no follower_handle matches the input's followers",
            path.display()
        );
    }
    Ok((
        p.len(),
        microscout_authenticity::eval::metrics(&p, &y, model.threshold),
    ))
}
