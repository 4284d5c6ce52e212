//! Finding a drop's files: which table each holds, in which format, and that it is a
//! regular file inside the drop.

use std::path::{Path, PathBuf};

use microscout_model::schema::Table;

use crate::{Compression, Format, IngestError};

pub(crate) struct DropFile {
    pub(crate) path: PathBuf,
    /// Path relative to the drop folder, as shown to people.
    pub(crate) name: String,
    pub(crate) table: Table,
    pub(crate) format: Format,
    pub(crate) compression: Compression,
}

pub(crate) const KNOWN_TYPES: &str = "unknown file type: a drop holds .csv, .ndjson, .jsonl \
    or .parquet files, native .json exports, .xml/.rss/.atom feeds and WordPress exports, the \
    text ones optionally compressed (.csv.gz, .csv.zst, .json.gz, .json.xz, .xml.gz, ...), and .md/.txt notes, which are ignored";

/// The stem, format and compression of a file name, or None for an unknown type.
pub(crate) fn file_kind(name: &str) -> Option<(String, Format, Compression)> {
    let lower = name.to_ascii_lowercase();
    let (rest, compression) = if let Some(r) = lower.strip_suffix(".gz") {
        (r, Compression::Gzip)
    } else if let Some(r) = lower.strip_suffix(".zst") {
        (r, Compression::Zstd)
    } else if let Some(r) = lower.strip_suffix(".xz") {
        (r, Compression::Xz)
    } else {
        (lower.as_str(), Compression::None)
    };
    if let Some(s) = rest
        .strip_suffix(".parquet")
        .filter(|_| compression == Compression::None)
    {
        return Some((s.to_string(), Format::Parquet, compression));
    }
    if let Some(s) = rest.strip_suffix(".json") {
        return Some((s.to_string(), Format::Json, compression));
    }
    if let Some(s) = [".xml", ".rss", ".atom"]
        .iter()
        .find_map(|ext| rest.strip_suffix(ext))
    {
        return Some((s.to_string(), Format::Xml, compression));
    }
    let (stem, format) = if let Some(s) = rest.strip_suffix(".csv") {
        (s, Format::Csv)
    } else if let Some(s) = rest
        .strip_suffix(".ndjson")
        .or_else(|| rest.strip_suffix(".jsonl"))
    {
        (s, Format::Ndjson)
    } else {
        return None;
    };
    Some((stem.to_string(), format, compression))
}

pub(crate) struct Listing {
    pub(crate) files: Vec<DropFile>,
    /// Native exports (`.json`, `.xml`, `.rss`, `.atom`), read by content.
    pub(crate) natives: Vec<DropFile>,
    pub(crate) ignored: Vec<PathBuf>,
}

/// Why a directory entry cannot be read as data, or None when it is a regular file (or a
/// symbolic link to a regular file inside the drop). Only regular files are read: a FIFO
/// would block the night forever and a device never ends.
fn refuse(dir_canonical: &Path, path: &Path, ft: std::fs::FileType) -> Option<String> {
    if ft.is_file() {
        return None;
    }
    if ft.is_symlink() {
        let Ok(target) = std::fs::canonicalize(path) else {
            return Some("a symbolic link whose target does not exist".into());
        };
        if !target.starts_with(dir_canonical) {
            return Some(
                "a symbolic link that leaves the drop folder; copy the file into the drop \
                 instead (links out of the drop are refused so that a drop cannot make \
                 microscout read other files)"
                    .into(),
            );
        }
        return match std::fs::metadata(&target) {
            Ok(m) if m.is_file() => None,
            Ok(_) => Some("a symbolic link to something that is not a regular file".into()),
            Err(e) => Some(format!("a symbolic link that cannot be followed ({e})")),
        };
    }
    Some(
        "not a regular file (a pipe, socket or device): only regular files are read, \
         because these may never end"
            .into(),
    )
}

/// Lists the data files of a drop folder (not recursive), sorted by name.
pub(crate) fn list_drop(dir: &Path) -> Result<Listing, IngestError> {
    let dir_err = |source| IngestError::DropDir {
        path: dir.to_owned(),
        source,
    };
    let dir_canonical = std::fs::canonicalize(dir).map_err(dir_err)?;
    let entries = std::fs::read_dir(dir).map_err(dir_err)?;
    let mut files = Vec::new();
    let mut natives = Vec::new();
    let mut ignored = Vec::new();
    for entry in entries {
        let entry = entry.map_err(dir_err)?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let lower = name.to_ascii_lowercase();
        let ft = entry.file_type().map_err(dir_err)?;
        if lower.starts_with('.')
            || lower.ends_with(".md")
            || lower.ends_with(".txt")
            || ft.is_dir()
        {
            ignored.push(path);
            continue;
        }
        let Some((stem, format, compression)) = file_kind(&name) else {
            return Err(IngestError::UnknownFormat {
                path,
                reason: KNOWN_TYPES.into(),
            });
        };
        if let Some(reason) = refuse(&dir_canonical, &path, ft) {
            return Err(IngestError::NotAFile { path, reason });
        }
        if format.is_native() {
            natives.push(DropFile {
                path,
                name,
                // Set per table when the export's rows are read.
                table: Table::Accounts,
                format,
                compression,
            });
            continue;
        }
        let Some(table) = Table::from_file_stem(&stem) else {
            return Err(IngestError::UnknownFormat {
                path,
                reason: "the file name does not say which table it holds: name it \
                         accounts*, posts* or followers* (e.g. posts-0001.csv)"
                    .into(),
            });
        };
        files.push(DropFile {
            path,
            name,
            table,
            format,
            compression,
        });
    }
    files.sort_by(|a, b| (a.table, &a.name).cmp(&(b.table, &b.name)));
    natives.sort_by(|a, b| a.name.cmp(&b.name));
    ignored.sort();
    Ok(Listing {
        files,
        natives,
        ignored,
    })
}
