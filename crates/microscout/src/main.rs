//! `microscout`: see `microscout --help`. Exit codes: 0 success, 1 the run failed,
//! 2 bad usage or configuration (documented in each subcommand's `--help`).

use clap::Parser;
use microscout::cli::{Cli, Command};
use microscout::ui::Ui;

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
    let say_all = |lines: Vec<String>| lines.into_iter().for_each(|l| ui.say(l));
    let result = match &cli.command {
        Command::Run(args) => microscout::run(args, &ui).map(|o| {
            say_all(o.summary());
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
            ui.say(s.describe(&args.out));
            for f in &s.files {
                emit(&format!("{}\n", f.display()));
            }
        }),
        Command::ClassifyFollowers(args) => microscout::classify(args).map(|o| say_all(o.summary())),
        Command::ClassifyComments(args) => {
            microscout::classify_comments(args).map(|o| say_all(o.summary()))
        }
        Command::EvalLanguage(args) => microscout::eval_language(args).map(|t| emit(&t)),
        Command::EvalNiche(args) => microscout::eval_niche(args).map(|o| emit(&o.markdown())),
        Command::Explain(args) => microscout::explain(args).map(|text| emit(&text)),
        Command::History(args) => microscout::history(args).map(|text| emit(&text)),
        Command::Outreach(args) => microscout::outreach(args).map(|text| emit(&text)),
        Command::Nightly(args) => microscout::nightly(args, &ui).and_then(|o| {
            emit(&o.lines());
            ui.say(o.summary());
            o.result()
        }),
        Command::Validate(args) => microscout::validate(args, &ui).map(|text| emit(&text)),
    };
    if let Err(e) = result {
        let code = microscout::exit_code(&e);
        ui.fail(&render_error(&e), code);
        std::process::exit(code);
    }
}
