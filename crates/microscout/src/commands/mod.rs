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
