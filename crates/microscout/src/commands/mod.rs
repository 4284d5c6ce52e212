//! One module per subcommand. Each parses nothing itself (clap did), computes nothing
//! itself (the library crates do), and only wires the stages together.

pub mod classify;
pub mod explain;
pub mod generate;
pub mod history;
pub mod nightly;
pub mod outreach;
pub mod run;
pub mod validate;

use microscout_model::Campaign;

/// The campaign's `[ingest]` section as ingestion options.
pub(crate) fn ingest_options(c: &Campaign) -> anyhow::Result<microscout_ingest::IngestOptions> {
    let mut o = microscout_ingest::IngestOptions {
        limits: microscout_ingest::Limits::from(&c.ingest),
        ..Default::default()
    };
    for (file, name) in &c.ingest.adapters {
        let adapter = microscout_ingest::native::Adapter::parse(name).ok_or_else(|| {
            crate::usage!(
                "[ingest] adapters: \"{name}\" for {file} is not an adapter (use one of: {})",
                microscout_ingest::native::Adapter::ALL
                    .map(|a| a.as_str())
                    .join(", ")
            )
        })?;
        o.adapters.insert(file.clone(), adapter);
    }
    for (file, spec) in &c.ingest.followers_exports {
        let (p, a) = spec.split_once(':').expect("validated with the campaign");
        let platform = microscout_model::Platform::parse(p).expect("validated");
        o.followers_of
            .insert(file.clone(), (platform.to_string(), a.trim().to_string()));
    }
    Ok(o)
}

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

/// The outreach ledger's path: `[outreach] ledger` relative to the campaign file, else
/// `<out>/ledger.csv`.
pub(crate) fn ledger_path(
    campaign_file: &std::path::Path,
    c: &Campaign,
    out: &std::path::Path,
) -> std::path::PathBuf {
    match &c.outreach.ledger {
        Some(p) => campaign_file
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .join(p),
        None => out.join("ledger.csv"),
    }
}

/// A file named in the campaign, relative to the campaign file.
pub(crate) fn beside_campaign(campaign_file: &std::path::Path, p: &str) -> std::path::PathBuf {
    campaign_file
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join(p)
}

/// Account names a ledger row may use: handles (lower case, no @) and account ids.
#[derive(Debug, Default)]
pub(crate) struct KnownAccounts(std::collections::HashSet<String>);

impl KnownAccounts {
    pub(crate) fn add(&mut self, handle: &str, account_id: &str) {
        self.0.insert(microscout_model::ledger::handle_key(handle));
        self.0.insert(account_id.trim().to_string());
    }
    pub(crate) fn check(&self, account: &str) -> Result<(), String> {
        if self
            .0
            .contains(&microscout_model::ledger::handle_key(account))
            || self.0.contains(account.trim())
        {
            Ok(())
        } else {
            Err(format!(
                "unknown account \"{account}\": not in tonight's drop nor in the history"
            ))
        }
    }
    pub(crate) fn add_history(&mut self, h: &microscout_model::history::Histories) {
        for ((_, id), handles) in &h.handles {
            self.0.insert(id.clone());
            for handle in handles {
                self.0.insert(microscout_model::ledger::handle_key(handle));
            }
        }
    }
}
