//! `microscout init` and `microscout generate`.

use anyhow::{Context, anyhow};

use crate::cli::{GenerateArgs, InitArgs};
use crate::ui::Ui;

/// `microscout init`.
pub fn init(args: &InitArgs) -> anyhow::Result<()> {
    let text = microscout_model::campaign::EXAMPLE_CAMPAIGN;
    match &args.file {
        None => {
            use std::io::Write;
            match std::io::stdout().lock().write_all(text.as_bytes()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(anyhow!(e).context("cannot write to standard output"))
                }
                _ => Ok(()),
            }
        }
        Some(path) => {
            if path.exists() && !args.force {
                return Err(crate::usage!(
                    "{} already exists; pass --force to overwrite it",
                    path.display()
                ));
            }
            std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
        }
    }
}

/// `microscout generate`.
pub fn generate(args: &GenerateArgs, ui: &Ui) -> anyhow::Result<microscout_generate::Summary> {
    let cfg = microscout_generate::Config {
        seed: args.seed,
        accounts: args.accounts,
        posts: args.posts.unwrap_or(args.accounts * 25),
        followers: args.followers.unwrap_or(args.accounts * 40),
        as_of: args.as_of,
        rows_per_file: args.rows_per_file,
        faults: args.faults,
        days: None,
        native: args.native,
        comments: args.comments,
    };
    let spin = ui.spinner("generate");
    let out = match args.days {
        Some(days) => microscout_generate::generate_days(&cfg, days as usize, &args.out),
        None => microscout_generate::generate(&cfg, &args.out),
    };
    spin.finish_and_clear();
    Ok(out?)
}
