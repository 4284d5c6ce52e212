//! How the columns of a file map onto the canonical columns, in time linear in the width.

use std::collections::HashMap;

use microscout_model::schema::normalise_header;
use microscout_model::text::printable_list;

use crate::IngestError;
use crate::discover::DropFile;

pub(crate) struct HeaderMap {
    /// For each canonical column, the index of the file's column holding it.
    pub(crate) index: Vec<Option<usize>>,
    /// Number of fields in the header.
    pub(crate) width: usize,
    /// The file's columns that the canonical table does not have, in file order.
    pub(crate) ignored: Vec<String>,
}

/// Ignored columns listed per file (in the manifest); a wider file lists these and how many
/// more it has.
pub(crate) const MAX_IGNORED_LISTED: usize = 1000;

pub(crate) fn map_header(f: &DropFile, header: &[String]) -> Result<HeaderMap, IngestError> {
    let names: Vec<String> = header.iter().map(|h| normalise_header(h)).collect();
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(names.len());
    for (i, n) in names.iter().enumerate() {
        if let Some(j) = seen.insert(n.as_str(), i) {
            return Err(IngestError::DuplicateColumn {
                path: f.path.clone(),
                column: microscout_model::text::printable(n, 60),
                first: j + 1,
                second: i + 1,
            });
        }
    }
    let mut index = Vec::new();
    for col in f.table.columns() {
        let pos = seen.get(col.name).copied();
        if pos.is_none() && col.required {
            return Err(IngestError::MissingColumn {
                path: f.path.clone(),
                table: f.table.name(),
                column: col.name,
                found: printable_list(&names, 20),
            });
        }
        index.push(pos);
    }
    let mut ignored: Vec<String> = names
        .iter()
        .filter(|n| f.table.column(n).is_none())
        .take(MAX_IGNORED_LISTED)
        .map(|n| microscout_model::text::printable(n, 100))
        .collect();
    let more = names.len() - index.iter().flatten().count() - ignored.len();
    if more > 0 {
        ignored.push(format!("(and {more} more)"));
    }
    Ok(HeaderMap {
        index,
        width: names.len(),
        ignored,
    })
}
