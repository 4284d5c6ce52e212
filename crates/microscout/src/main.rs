//! `microscout`: see `microscout --help`. Exit codes: 0 success, 1 the run failed,
//! 2 bad usage or configuration (documented in each subcommand's `--help`).

use clap::Parser;
use microscout::cli::{Cli, Command};
use microscout::ui::Ui;
use microscout_model::numfmt::count;

/// jemalloc, configured at build time in `.cargo/config.toml`: the system allocator kept
/// about twice the live heap resident after the threads' chunks were freed.
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Writes data to standard output. A reader that has gone (`microscout generate ... | head`)
/// is not an error: the work is done, there is just nobody left to tell.
fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            eprintln!("error: cannot write to standard output: {e}");
            std::process::exit(1);
        }
    }
}

/// An error and its causes on one line, each cause once (a library error that already says
/// its cause is not repeated by the chain), with control characters from file names or
/// data shown escaped.
fn render_error(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    microscout_model::text::printable(&out, 20_000)
}

fn main() {
    let cli = Cli::parse();
    let ui = Ui::with_format(cli.quiet, cli.verbose, cli.log_format);
    let result = match &cli.command {
        Command::Run(args) => microscout::run(args, &ui).map(|o| {
            let m = &o.manifest;
            for a in &m.accounting {
                if a.files > 0 {
                    ui.say(format!(
                        "{:>9}: {} rows read = {} accepted + {} rejected",
                        a.table,
                        count(a.rows_read),
                        count(a.accepted),
                        count(a.rejected)
                    ));
                }
            }
            ui.say(format!(
                "Scored {} accounts: {} shortlisted, {} flagged, {} rows rejected ({:.1} s).",
                count(m.results.accounts_scored as u64),
                count(m.results.shortlisted as u64),
                count(m.results.flagged as u64),
                count(m.results.rows_rejected as u64),
                m.timings_ms.total as f64 / 1000.0
            ));
            ui.say(format!(
                "Read {} first.",
                o.run_dir.join("report.html").display()
            ));
            // The run folder on stdout, for scripts: `dir=$(microscout run ... --quiet)`.
            emit(&format!("{}\n", o.run_dir.display()));
        }),
        Command::Init(args) => microscout::init(args).map(|()| {
            if let Some(f) = &args.file {
                ui.say(format!(
                    "Wrote {}. Edit the [book] keywords, then: microscout run --campaign {} --drop DIR --out DIR",
                    f.display(),
                    f.display()
                ));
            }
        }),
        Command::Generate(args) => microscout::generate(args, &ui).map(|s| {
            ui.say(format!(
                "Generated {} accounts, {} posts, {} follower rows{} into {}.",
                count(s.accounts as u64),
                count(s.posts as u64),
                count(s.follower_rows as u64),
                if s.fault_rows > 0 {
                    format!(" and {} faulty rows", s.fault_rows)
                } else {
                    String::new()
                },
                args.out.display()
            ));
            for f in &s.files {
                emit(&format!("{}\n", f.display()));
            }
        }),
        Command::ClassifyFollowers(args) => microscout::classify(args).map(|o| {
            ui.say(format!(
                "Classified {} followers: {} labelled fake, {} real; {} rows rejected.",
                count(o.classified as u64),
                count(o.labelled_fake as u64),
                count((o.classified - o.labelled_fake) as u64),
                count(o.rejected.total)
            ));
            for r in o.rejected.first.iter().take(5) {
                ui.say(format!("  {} {}: {}", r.file, r.location, r.reason));
            }
            if let Some((n, m)) = o.evaluation {
                ui.say(format!(
                    "Against your labels ({} followers matched): accuracy {:.1}%, precision {:.1}%, recall {:.1}%, F1 {:.1}%, AUC {:.3}.",
                    count(n as u64),
                    100.0 * m.accuracy,
                    100.0 * m.precision,
                    100.0 * m.recall,
                    100.0 * m.f1,
                    m.auc
                ));
            }
        }),
        Command::Explain(args) => microscout::explain(args).map(|text| emit(&text)),
        Command::History(args) => microscout::history(args).map(|text| emit(&text)),
        Command::Outreach(args) => microscout::outreach(args).map(|text| emit(&text)),
        Command::Nightly(args) => microscout::nightly(args, &ui).and_then(|o| {
            // One line per drop on stdout (date, status, run folder or error), for people
            // and schedulers alike.
            let mut lines = String::new();
            for r in &o.results {
                match &r.outcome {
                    Ok(run) => {
                        let m = &run.manifest.results;
                        lines.push_str(&format!(
                            "{} done {} ({} accounts, {} shortlisted, {} flagged)\n",
                            r.date,
                            run.run_dir.display(),
                            count(m.accounts_scored as u64),
                            count(m.shortlisted as u64),
                            count(m.flagged as u64)
                        ));
                    }
                    Err(e) => {
                        let first = e.lines().next().unwrap_or_default();
                        lines.push_str(&format!("{} failed {first}\n", r.date));
                    }
                }
            }
            emit(&lines);
            let failed = o.failed();
            ui.say(format!(
                "{} dated drops found; {} processed now, {} failed{}.",
                count(o.drops_found as u64),
                count((o.results.len() - failed) as u64),
                count(failed as u64),
                if o.results.is_empty() {
                    " (nothing new to do)"
                } else if failed > 0 {
                    "; failed drops are retried next time"
                } else {
                    ""
                }
            ));
            if failed > 0 {
                Err(anyhow::anyhow!(
                    "{failed} of {} drops failed (see the lines above; nightly.json keeps the errors)",
                    o.results.len()
                ))
            } else {
                Ok(())
            }
        }),
        Command::Validate(args) => microscout::validate(args, &ui).map(|text| emit(&text)),
    };
    if let Err(e) = result {
        let code = microscout::exit_code(&e);
        ui.fail(&render_error(&e), code);
        std::process::exit(code);
    }
}
