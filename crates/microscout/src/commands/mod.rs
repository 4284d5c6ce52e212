//! One module per subcommand. Each parses nothing itself (clap did), computes nothing
//! itself (the library crates do), and only wires the stages together.

pub mod classify;
pub mod eval_language;
pub mod eval_niche;
pub mod explain;
pub mod generate;
pub mod history;
pub mod nightly;
pub mod outreach;
pub mod run;
pub mod validate;

use microscout_model::Campaign;

/// Reads the campaign file: a file that cannot be read, or a bad key, is a usage error
/// (exit 2: the person running the command names the file and writes it).
pub(crate) fn read_campaign(path: &std::path::Path) -> anyhow::Result<(Campaign, Vec<u8>)> {
    let bytes = std::fs::read(path).map_err(|e| {
        crate::usage!(
            "cannot read the campaign file {}: {e} (create one with `microscout init {}`)",
            path.display(),
            path.display()
        )
    })?;
    let campaign = Campaign::from_bytes(&bytes, path)?;
    Ok((campaign, bytes))
}

/// The rows of a small CSV of labels (`eval-niche`, `eval-language`): for each record, the
/// file line it starts on and its cells in the order of `columns`, found by header name.
/// A missing column, a bad record or an empty cell is an error naming the file and line.
pub(crate) fn read_label_rows(
    path: &std::path::Path,
    columns: &[&str],
) -> anyhow::Result<Vec<(u64, Vec<String>)>> {
    use anyhow::Context;
    let mut r =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let headers = r
        .headers()
        .with_context(|| format!("{}: cannot read the header", path.display()))?
        .clone();
    let at: Vec<usize> = columns
        .iter()
        .map(|name| {
            headers
                .iter()
                .position(|h| h.trim_start_matches('\u{feff}') == *name)
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "{}: no `{name}` column (expected {})",
                        path.display(),
                        columns.join(", ")
                    )
                })
        })
        .collect::<anyhow::Result<_>>()?;
    let mut out = Vec::new();
    for record in r.records() {
        let record = record.with_context(|| format!("cannot read {}", path.display()))?;
        let line = record.position().map_or(0, |p| p.line());
        let cells: Vec<String> = at
            .iter()
            .map(|&i| record.get(i).unwrap_or_default().to_string())
            .collect();
        if let Some(k) = cells.iter().position(|c| c.trim().is_empty()) {
            anyhow::bail!(
                "{} line {line}: the `{}` cell is empty",
                path.display(),
                columns[k]
            );
        }
        out.push((line, cells));
    }
    Ok(out)
}
