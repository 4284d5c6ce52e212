//! `microscout explain`: which run to read, then microscout-report's explain.

use anyhow::Context;

use crate::cli;

/// `microscout explain`: everything known about one account from a finished run (the latest
/// unless `--run` names one), as text.
pub fn explain(args: &cli::ExplainArgs) -> anyhow::Result<String> {
    let run_id = match &args.run {
        Some(r) => r.clone(),
        None => std::fs::read_to_string(args.out.join(crate::run_dir::LATEST))
            .map(|s| s.trim().to_string())
            .with_context(|| {
                format!(
                    "no complete run in {} (no LATEST file): run `microscout run` first",
                    args.out.display()
                )
            })?,
    };
    let dir = args.out.join(&run_id);
    microscout_report::explain::explain(&dir, &run_id, &args.handle, args.platform.as_deref())
        .map_err(anyhow::Error::from)
}
