//! `microscout validate`: ingestion alone, without scoring.

use anyhow::anyhow;
use microscout_model::Campaign;

use crate::cli;
use crate::ui::{IngestProgress, Ui};

/// `microscout validate`: ingestion alone; returns the report to print.
pub fn validate(args: &cli::ValidateArgs, ui: &Ui) -> anyhow::Result<String> {
    use microscout_model::numfmt::count;
    let campaign = match &args.campaign {
        Some(path) => super::read_campaign(path)?.0,
        None => Campaign::default(),
    };
    let options = microscout_ingest::IngestOptions::from_campaign(&campaign)?;
    // Rejected rows stream to --rejected as they are found (never all in memory).
    let mut writer = match &args.rejected {
        Some(path) => {
            Some(microscout_report::RejectedCsv::create(path).map_err(anyhow::Error::from)?)
        }
        None => None,
    };
    let bar = ui.spinner("validate");
    // Only the accounting and the rejections are reported: the posts and the follower
    // sample are validated chunk by chunk and let go, so memory follows the accounts (and
    // the duplicate checks), not the size of the drop.
    let drop = microscout_ingest::read_drop_streaming(
        &args.drop,
        &options,
        &IngestProgress(bar.clone()),
        &mut microscout_ingest::Discard,
        writer
            .as_mut()
            .map(|w| w as &mut dyn microscout_ingest::RejectWriter),
    );
    bar.finish_and_clear();
    let drop = drop.map_err(|e| {
        anyhow!(e).context(format!("the drop {} cannot be used", args.drop.display()))
    })?;
    let mut out = String::new();
    out.push_str(&format!("Drop {}\n\n", args.drop.display()));
    for f in &drop.intake.files {
        out.push_str(&format!(
            "  {:<40} {:<9} {:>10} read = {:>10} accepted + {:>8} rejected{}\n",
            f.file,
            f.table,
            count(f.rows_read),
            count(f.accepted),
            count(f.rejected),
            f.adapter.map_or(String::new(), |a| format!("  ({a})"))
        ));
    }
    out.push('\n');
    for a in drop.intake.accounting() {
        if a.files > 0 {
            out.push_str(&format!(
                "{:>9}: {} rows read = {} accepted + {} rejected\n",
                a.table,
                count(a.rows_read),
                count(a.accepted),
                count(a.rejected)
            ));
        }
    }
    if !drop.intake.ignored_files.is_empty() {
        out.push_str(&format!(
            "\nIgnored (not data): {}\n",
            drop.intake.ignored_files.len()
        ));
    }
    if drop.intake.rejected.is_empty() {
        out.push_str("\nEvery row can be used.\n");
    } else {
        out.push_str("\nRejected rows by reason:\n");
        for (k, n) in drop.intake.rejected.kinds() {
            out.push_str(&format!("  {:>8}  {k}\n", count(n)));
        }
        out.push_str("\nFirst rejections:\n");
        for r in drop.intake.rejected.first.iter().take(10) {
            out.push_str(&format!("  {} {}: {}\n", r.file, r.location, r.reason));
        }
    }
    for f in drop.intake.files.iter().filter(|f| f.stopped.is_some()) {
        out.push_str(&format!(
            "\n{} was not read to its end: {}\n",
            f.file,
            f.stopped.as_deref().unwrap_or_default()
        ));
    }
    if let Some(w) = writer {
        w.finish().map_err(anyhow::Error::from)?;
    }
    Ok(out)
}
