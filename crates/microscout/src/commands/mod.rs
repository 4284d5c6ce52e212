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

/// Bytes a label file may hold (`read_label_rows`): a file larger is refused before it is
/// read.
pub(crate) const MAX_LABEL_BYTES: u64 = 1 << 30;
/// Records a label file may hold.
pub(crate) const MAX_LABEL_ROWS: usize = 10_000_000;

/// The rows of a CSV of labels (`eval-niche`, `eval-language`): for each record, the file
/// line it starts on and its cells in the order of `columns`, found by header name. A
/// missing column, a bad record or an empty cell is an error naming the file and line; a
/// file that is not a regular file, or holds over [`MAX_LABEL_BYTES`] or [`MAX_LABEL_ROWS`],
/// is refused.
pub(crate) fn read_label_rows(
    path: &std::path::Path,
    columns: &[&str],
) -> anyhow::Result<Vec<(u64, Vec<String>)>> {
    read_label_rows_within(path, columns, MAX_LABEL_BYTES, MAX_LABEL_ROWS)
}

fn read_label_rows_within(
    path: &std::path::Path,
    columns: &[&str],
    max_bytes: u64,
    max_rows: usize,
) -> anyhow::Result<Vec<(u64, Vec<String>)>> {
    use anyhow::Context;
    // Opened as ingestion opens its inputs: a FIFO or device does not block the open, and is
    // refused below for not being a regular file.
    let file = microscout_ingest::open_nonblocking(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let meta = file
        .metadata()
        .with_context(|| format!("cannot read {}", path.display()))?;
    if !meta.is_file() {
        anyhow::bail!("{}: not a regular file", path.display());
    }
    if meta.len() > max_bytes {
        anyhow::bail!(
            "{}: {} bytes, more than the {max_bytes} a label file may hold",
            path.display(),
            meta.len()
        );
    }
    // (A file that grows while it is read stops at the bound.)
    let mut r = csv::Reader::from_reader(std::io::Read::take(file, max_bytes));
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
    let mut record = csv::ByteRecord::new();
    while r
        .read_byte_record(&mut record)
        .with_context(|| format!("cannot read {}", path.display()))?
    {
        // The line as ingestion names it (right after blank lines too).
        let line = microscout_ingest::record_line(&record, r.position().line());
        let record = csv::StringRecord::from_byte_record(record.clone())
            .map_err(|e| anyhow::anyhow!("{} line {line}: not UTF-8 ({e})", path.display()))?;
        let cells: Vec<String> = at
            .iter()
            .map(|&i| record.get(i).unwrap_or_default().to_string())
            .collect();
        if out.len() == max_rows {
            anyhow::bail!(
                "{} line {line}: more than {max_rows} rows, the most a label file may hold",
                path.display()
            );
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A label file over its size or row bound is refused with its name, a directory is no
    /// label file, and within the bounds every row comes with the line it starts on.
    #[test]
    fn label_files_are_bounded() {
        let dir = std::env::temp_dir().join(format!("microscout-labels-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("labels.csv");
        std::fs::write(
            &path,
            "text,language\nhello there,en\n\"two\nlines\",en\n\nsalut,fr\n",
        )
        .unwrap();
        let cols = ["text", "language"];
        let rows = read_label_rows_within(&path, &cols, 1 << 20, 10).unwrap();
        let lines: Vec<u64> = rows.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 3, 6], "the line after a blank line is its own");
        let e = read_label_rows_within(&path, &cols, 1 << 20, 2).unwrap_err();
        assert!(e.to_string().contains("line 6: more than 2 rows"), "{e}");
        let e = read_label_rows_within(&path, &cols, 20, 10).unwrap_err();
        assert!(
            e.to_string()
                .contains("more than the 20 a label file may hold"),
            "{e}"
        );
        let e = read_label_rows_within(&dir, &cols, 1 << 20, 10).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        // A FIFO is refused at once instead of waiting for a writer.
        #[cfg(target_os = "linux")]
        {
            let fifo = dir.join("fifo");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                let e = read_label_rows_within(&fifo, &cols, 1 << 20, 10).unwrap_err();
                assert!(e.to_string().contains("not a regular file"), "{e}");
            }
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
