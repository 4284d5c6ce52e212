//! Helpers shared by the fuzz targets: they drive the same parsers ingestion uses and check
//! that every outcome is a row or a reason, never a panic.

use microscout_formats::native::{self, Adapter};
use microscout_formats::row;
use microscout_model::schema::{Table, normalise_header};

/// Validates a row of owned values for `table`; a rejection must name what is wrong.
pub fn validate(table: Table, values: &[Option<String>]) {
    let raw: Vec<Option<&str>> = values.iter().map(|v| v.as_deref()).collect();
    let mut cells = Vec::new();
    if let Err(reason) = row::validate(table, &raw, &mut cells) {
        assert!(!reason.to_string().is_empty());
    } else {
        assert_eq!(cells.len(), table.columns().len());
    }
}

/// Maps a JSON document with `adapter` (with and without a followers account) and validates
/// every row it produces.
pub fn adapter(adapter: Adapter, data: &[u8]) {
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let account = ("instagram".to_string(), "a1".to_string());
    for followers_of in [None, Some(&account)] {
        let (rows, rejects) = native::map(adapter, &doc, followers_of);
        for r in &rows {
            assert_eq!(r.values.len(), r.table.columns().len());
            validate(r.table, &r.values);
        }
        for r in &rejects {
            assert!(!r.reason.is_empty());
        }
    }
}

/// Decodes and parses bytes as an XML export, then maps the tree with its detected adapter and
/// with every XML adapter; every row must fit its table and every reject say why.
pub fn feed(data: &[u8]) {
    let Ok(text) = microscout_formats::xml::decode(data) else {
        return;
    };
    let root = match microscout_formats::xml::parse(&text) {
        Ok(root) => root,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    let detected = native::feed::detect(&root);
    for adapter in detected.into_iter().chain(
        Adapter::ALL
            .into_iter()
            .filter(|a| a.syntax() == native::Syntax::Xml),
    ) {
        let (rows, rejects) = native::feed::map(adapter, &root);
        for r in &rows {
            assert_eq!(r.values.len(), r.table.columns().len());
            validate(r.table, &r.values);
        }
        for r in &rejects {
            assert!(!r.reason.is_empty());
        }
    }
}

/// The canonical column index of each header cell, as ingestion matches them.
pub fn header_index(table: Table, header: &[String]) -> Vec<Option<usize>> {
    let names: Vec<String> = header.iter().map(|h| normalise_header(h)).collect();
    table
        .columns()
        .iter()
        .map(|c| names.iter().position(|n| n == c.name))
        .collect()
}
