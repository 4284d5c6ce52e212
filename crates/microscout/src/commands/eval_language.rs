//! `microscout eval-language`: the caption-language detector on labelled texts.
//!
//! Reads a CSV of labelled texts, judges them one at a time or in groups of `--group` (as an
//! account's recent captions are read) with microscout-score's `language::evaluate` (the
//! night's own cleaning, detector and threshold), and prints a Markdown table per language.

use anyhow::{Context, anyhow};

use crate::cli;

/// `microscout eval-language`: the Markdown table.
pub fn eval_language(args: &cli::EvalLanguageArgs) -> anyhow::Result<String> {
    let path = &args.labels;
    let mut r = csv::Reader::from_path(path)
        .with_context(|| format!("cannot read the labelled texts {}", path.display()))?;
    let headers = r.headers()?.clone();
    let col = |name: &str| {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            anyhow!(
                "{}: no `{name}` column (expected text, language)",
                path.display()
            )
        })
    };
    let (t, l) = (col("text")?, col("language")?);
    let mut rows = Vec::new();
    for (i, row) in r.records().enumerate() {
        let row = row.with_context(|| format!("{} line {}", path.display(), i + 2))?;
        rows.push((row[t].to_string(), row[l].to_string()));
    }
    let group = args.group as usize;
    let mut measures = microscout_score::language::evaluate(&rows, group);
    // The most judged first.
    measures.sort_by(|a, b| b.units.cmp(&a.units).then_with(|| a.label.cmp(&b.label)));
    let pct = |n: usize, of: usize| {
        if of == 0 {
            "n/a".to_string()
        } else {
            format!("{:.1}%", 100.0 * n as f64 / of as f64)
        }
    };
    let unit = if group == 1 {
        "texts".to_string()
    } else {
        format!("groups of {group}")
    };
    let mut out = format!(
        "{} labelled texts in {} languages, judged as {unit} (microscout's caption cleaning, the whatlang detector, confidence {} or more).\n\n",
        rows.len(),
        measures.len(),
        microscout_score::language::MIN_CONFIDENCE
    );
    out.push_str(&format!(
        "| language | {unit} | told | right when told |\n|---|---:|---:|---:|\n"
    ));
    let mut known = (0, 0, 0);
    for m in &measures {
        let name = match m.code {
            Some(c) => format!("{} ({c})", m.label),
            None => format!("{} (unknown to the detector)", m.label),
        };
        out.push_str(&format!(
            "| {name} | {} | {} | {} ({} of {}) |\n",
            m.units,
            pct(m.told, m.units),
            pct(m.right, m.told),
            m.right,
            m.told
        ));
        if m.code.is_some() {
            known = (known.0 + m.units, known.1 + m.told, known.2 + m.right);
        }
    }
    out.push_str(&format!(
        "| every language the detector knows | {} | {} | {} ({} of {}) |\n",
        known.0,
        pct(known.1, known.0),
        pct(known.2, known.1),
        known.2,
        known.1
    ));
    Ok(out)
}
