//! `microscout classify-followers`: the shipped follower classifier on one followers table.

use anyhow::{Context, anyhow};

use crate::cli;

#[derive(Debug)]
pub struct ClassifyOutcome {
    pub classified: usize,
    pub labelled_fake: usize,
    pub rejected: microscout_model::intake::Rejections,
    /// (labels matched, metrics) when `--labels` was given.
    pub evaluation: Option<(usize, microscout_authenticity::eval::Metrics)>,
}

impl ClassifyOutcome {
    /// The lines a person reads: the counts, the first rejected rows, the evaluation
    /// against the user's labels.
    pub fn summary(&self) -> Vec<String> {
        use microscout_model::numfmt::count;
        let mut out = classified_lines(
            "followers",
            self.classified,
            ("labelled fake", self.labelled_fake),
            "real",
            &self.rejected,
        );
        if let Some((n, m)) = &self.evaluation {
            out.push(against(
                &format!("your labels ({} followers matched)", count(*n as u64)),
                m,
            ));
        }
        out
    }
}

/// "Against <what>: accuracy ..., precision ..., recall ..., F1 ..., AUC ...".
fn against(what: &str, m: &microscout_authenticity::eval::Metrics) -> String {
    format!(
        "Against {what}: accuracy {:.1}%, precision {:.1}%, recall {:.1}%, F1 {:.1}%, AUC {:.3}.",
        100.0 * m.accuracy,
        100.0 * m.precision,
        100.0 * m.recall,
        100.0 * m.f1,
        m.auc
    )
}

/// "Classified N <things>: ..." and the first rejected rows.
fn classified_lines(
    what: &str,
    n: usize,
    positive: (&str, usize),
    negative: &str,
    rejected: &microscout_model::intake::Rejections,
) -> Vec<String> {
    use microscout_model::numfmt::count;
    let mut out = vec![format!(
        "Classified {} {what}: {} {}, {} {negative}; {} rows rejected.",
        count(n as u64),
        count(positive.1 as u64),
        positive.0,
        count((n - positive.1) as u64),
        count(rejected.total)
    )];
    for r in rejected.first.iter().take(5) {
        out.push(format!("  {} {}: {}", r.file, r.location, r.reason));
    }
    out
}

/// `microscout classify-followers`.
pub fn classify(args: &cli::ClassifyArgs) -> anyhow::Result<ClassifyOutcome> {
    use microscout_model::schema::Table;
    let (df, rejected, _) = microscout_ingest::read_table(
        &args.input,
        Table::Followers,
        &microscout_ingest::Limits::default(),
        None,
    )
    .map_err(anyhow::Error::from)?;
    let probs =
        microscout_score::followers::follower_probabilities(&df).map_err(anyhow::Error::from)?;
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
    })()?;
    let (platform, account, handle) = columns;
    let evaluation = match &args.labels {
        None => None,
        Some(path) => {
            let classified: Vec<microscout_authenticity::labels::Classified<'_>> = probs
                .iter()
                .enumerate()
                .map(|(i, p)| microscout_authenticity::labels::Classified {
                    platform: platform[i].as_deref().unwrap_or_default(),
                    account_id: account[i].as_deref().unwrap_or_default(),
                    handle: handle[i].as_deref().unwrap_or_default(),
                    probability: *p,
                })
                .collect();
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot read the labels file {}", path.display()))?;
            let result = microscout_authenticity::labels::evaluate(
                std::io::BufReader::new(file),
                &classified,
                model.threshold,
            )
            .map_err(|e| anyhow!("{}: {e}", path.display()))?;
            Some(result)
        }
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
    written?;
    Ok(ClassifyOutcome {
        classified: probs.len(),
        labelled_fake: probs.iter().filter(|p| model.is_fake(**p)).count(),
        rejected,
        evaluation,
    })
}

/// What `microscout classify-comments` did.
#[derive(Debug)]
pub struct ClassifyCommentsOutcome {
    pub classified: usize,
    pub spam: usize,
    pub rejected: microscout_model::intake::Rejections,
    /// The metrics against the labels, with `--labels`.
    pub evaluation: Option<microscout_authenticity::eval::Metrics>,
}

impl ClassifyCommentsOutcome {
    pub fn summary(&self) -> Vec<String> {
        use microscout_model::numfmt::count;
        let mut out = classified_lines(
            "comments",
            self.classified,
            ("spam", self.spam),
            "real",
            &self.rejected,
        );
        if let Some(m) = &self.evaluation {
            out.push(against(
                &format!("the labels ({} comments)", count(m.n as u64)),
                m,
            ));
        }
        out
    }
}

/// `microscout classify-comments`.
pub fn classify_comments(
    args: &cli::ClassifyCommentsArgs,
) -> anyhow::Result<ClassifyCommentsOutcome> {
    use microscout_report::table::{OutTable, Values};
    let model = microscout_authenticity::comments::CommentModel::shipped();
    let label = |p: f64| Some(if model.is_spam(p) { "spam" } else { "real" }.to_string());
    let (table, outcome) = match (&args.input, &args.labels) {
        (_, Some(path)) => {
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot read the labels file {}", path.display()))?;
            let labelled =
                microscout_authenticity::comments::read_labelled(std::io::BufReader::new(file))
                    .map_err(|e| anyhow!("{}: {e}", path.display()))?;
            let probs: Vec<f64> = labelled.iter().map(|(t, _)| model.probability(t)).collect();
            let metrics = microscout_authenticity::comments::evaluate(model, &labelled);
            let table = OutTable {
                columns: vec![
                    // The header is line 1; rows with line breaks in a quoted text make this
                    // the row's number, not its line.
                    (
                        "row",
                        Values::Int((1..=labelled.len() as i64).map(Some).collect()),
                    ),
                    (
                        "spam_probability",
                        Values::Float(probs.iter().map(|p| Some(*p)).collect()),
                    ),
                    (
                        "label",
                        Values::Text(probs.iter().map(|p| label(*p)).collect()),
                    ),
                    (
                        "truth",
                        Values::Text(
                            labelled
                                .iter()
                                .map(|(_, s)| Some(if *s { "spam" } else { "real" }.to_string()))
                                .collect(),
                        ),
                    ),
                ],
            };
            let outcome = ClassifyCommentsOutcome {
                classified: probs.len(),
                spam: probs.iter().filter(|p| model.is_spam(**p)).count(),
                rejected: Default::default(),
                evaluation: Some(metrics),
            };
            (table, outcome)
        }
        (Some(path), None) => {
            let (df, rejected, _) = microscout_ingest::read_table(
                path,
                microscout_model::schema::Table::Comments,
                &microscout_ingest::Limits::default(),
                None,
            )
            .map_err(anyhow::Error::from)?;
            let text = |name: &str| -> anyhow::Result<Vec<Option<String>>> {
                Ok(df
                    .column(name)?
                    .str()?
                    .iter()
                    .map(|v| v.map(str::to_string))
                    .collect())
            };
            let texts = text("text")?;
            let probs: Vec<Option<f64>> = texts
                .iter()
                .map(|t| t.as_deref().map(|t| model.probability(t)))
                .collect();
            let table = OutTable {
                columns: vec![
                    ("platform", Values::Text(text("platform")?)),
                    ("post_id", Values::Text(text("post_id")?)),
                    ("comment_id", Values::Text(text("comment_id")?)),
                    ("spam_probability", Values::Float(probs.clone())),
                    (
                        "label",
                        Values::Text(probs.iter().map(|p| p.and_then(label)).collect()),
                    ),
                ],
            };
            let outcome = ClassifyCommentsOutcome {
                classified: probs.iter().flatten().count(),
                spam: probs
                    .iter()
                    .flatten()
                    .filter(|p| model.is_spam(**p))
                    .count(),
                rejected,
                evaluation: None,
            };
            (table, outcome)
        }
        (None, None) => unreachable!("clap requires --input or --labels"),
    };
    match &args.out {
        Some(path) => std::fs::File::create(path)
            .and_then(|f| table.write_csv(std::io::BufWriter::new(f)))
            .with_context(|| format!("cannot write {}", path.display())),
        None => match table.write_csv(std::io::stdout().lock()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other.context("cannot write to standard output"),
        },
    }?;
    Ok(outcome)
}
