//! `manifest.json`: what a run read, how, and what it wrote; the record that makes every
//! number of a run traceable to its inputs.

use microscout_model::Campaign;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub tool: Tool,
    pub run_id: String,
    /// Reference time of the post window (RFC 3339).
    pub as_of: String,
    pub started_at: String,
    pub finished_at: String,
    pub drop: String,
    pub campaign_file: String,
    pub campaign_sha256: String,
    /// The campaign as used, every default filled in.
    pub config: Campaign,
    pub inputs: Vec<microscout_model::intake::FileReport>,
    pub ignored_files: Vec<String>,
    /// Per table: rows read = accepted + rejected.
    pub accounting: Vec<microscout_model::intake::TableAccounting>,
    pub results: Results,
    /// The drop-wide statistics accounts were compared with (the engagement curve, norms).
    pub drop_statistics: microscout_score::authenticity::DropStats,
    /// Keyword document frequencies and IDF over the drop (niche relevance).
    pub keyword_statistics: microscout_score::relevance::DropText,
    pub outputs: Vec<microscout_report::Written>,
    /// What was read of the outreach: the ledger and sales files (with their SHA-256 when
    /// they exist), valid events and rows not used, posts about the book known.
    pub outreach: OutreachRead,
    /// The history store: nights read before tonight.
    pub history_nights_read: usize,
    pub timings_ms: Timings,
}

#[derive(Debug, Serialize, Default)]
pub struct OutreachRead {
    pub ledger: String,
    pub ledger_sha256: Option<String>,
    pub events: usize,
    pub rows_not_used: u64,
    pub sales: Option<String>,
    pub sales_sha256: Option<String>,
    pub deliveries_known: usize,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Results {
    pub accounts_scored: usize,
    pub shortlisted: usize,
    pub flagged: usize,
    pub rows_rejected: usize,
}

#[derive(Debug, Serialize, Default)]
pub struct Timings {
    pub ingest: u128,
    pub score: u128,
    pub report: u128,
    pub total: u128,
}
