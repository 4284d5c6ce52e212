//! The pure parsers behind ingestion, with no tables and no files, so that they can be
//! fuzzed on their own (`fuzz/`) and reused:
//!
//! - [`value`]: one raw cell into the canonical types (counts, booleans, timestamps,
//!   platforms), with the reason in words when it cannot be used;
//! - [`row`]: a row of raw cells (one per canonical column) validated whole;
//! - [`native`]: the adapters that map native JSON exports onto canonical rows.
//!
//! microscout-ingest owns the files, the tables and the quarantine; it calls these.

pub mod native;
pub mod row;
pub mod value;
pub mod xml;
