//! `microscout eval-language`: the caption-language detector on labelled texts.
//!
//! Reads a CSV of labelled texts, judges them one at a time or in groups of `--group` (as an
//! account's recent captions are read) with microscout-score's `language::evaluate` (the
//! night's own cleaning, detector and threshold), and prints a Markdown table per language.

use crate::cli;

/// `microscout eval-language`: the Markdown table.
pub fn eval_language(args: &cli::EvalLanguageArgs) -> anyhow::Result<String> {
    let rows: Vec<(String, String)> = super::read_label_rows(&args.labels, &["text", "language"])?
        .into_iter()
        .map(|(_, mut cells)| {
            let language = cells.pop().expect("two columns");
            (cells.pop().expect("two columns"), language)
        })
        .collect();
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
    let empty: Vec<&str> = measures
        .iter()
        .filter(|m| m.units == 0)
        .map(|m| m.label.as_str())
        .collect();
    if !empty.is_empty() {
        out.push_str(&format!(
            "\nFewer than {group} texts, so not judged: {}.\n",
            empty.join(", ")
        ));
    }
    Ok(out)
}
