//! The command line: subcommands, flags, help texts with examples and exit codes.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "microscout",
    version,
    about = "Find the micro-influencers worth sending your book to: a nightly batch job over exported profiles, posts and follower samples.",
    long_about = None,
    after_long_help = concat!("Examples:\n",
        "  microscout init campaign.toml\n",
        "  microscout nightly --drops data/drops --campaign campaign.toml --out out\n",
        "  microscout run --campaign campaign.toml --drop data/drops/2026-11-25 --out out\n",
        "  microscout outreach @littlefeelings_ew copy_sent --campaign campaign.toml --out out --cost 9.50\n",
        "  microscout generate --out /tmp/big --accounts 100000 --posts 5000000 --followers 20000000\n\n",
        "Exit codes:\n  0  success\n  1  the run failed (unusable input or I/O error); earlier runs untouched\n  2  bad usage or configuration"),
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print only errors (no progress, no summary).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more about what each stage does (repeat for debug detail). RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// How stderr is written: `text` for people, `json` for schedulers and log collectors
    /// (one JSON object per line: a `stage` line per stage of a run with its duration and
    /// row counts, the summary, warnings and the error with its exit code).
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// See [`Cli::log_format`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the nightly job: ingest a drop, score every account, write the reports.
    #[command(after_long_help = concat!(
        "Writes <out>/<run-id>/ with scores.parquet, scores.csv, shortlist.csv, shortlist.parquet,\n",
        "flags.csv, growth.csv, results.csv, suggestions.csv, rejected.csv, report.md, report.html and\n",
        "manifest.json, then adds the night's snapshot of every account to <out>/history/ (see\n",
        "`microscout history`). The folder appears only when\n",
        "complete: a failed run leaves no partial folder and never touches earlier runs.\n",
        "<out>/LATEST names the newest complete run (it only moves to a run whose --as-of is at\n",
        "least that of the run it names). The run folder's path is printed on stdout.\n\n",
        "Examples:\n",
        "  microscout run --campaign data/campaign.toml --drop data/sample/drop --out out\n",
        "  microscout run --campaign c.toml --drop drops/2026-11-25 --out out --as-of 2026-11-25T02:00:00Z\n",
        "  MICROSCOUT_OUT=/srv/scout microscout run --campaign c.toml --drop drops/today --quiet\n\n",
        "Exit codes:\n  0  the run folder was written (bad rows and broken files are quarantined)\n",
        "  1  the run failed: an unusable file (unknown type, missing column, not a regular file,\n",
        "     a link out of the drop), no usable account, or an I/O error; nothing was written\n",
        "  2  bad usage or configuration: unknown flag or campaign key, campaign not UTF-8,\n",
        "     bad --as-of, reserved --run-id (LATEST, .name), --out inside the drop"))]
    Run(RunArgs),
    /// Write a commented example campaign file with every setting and its default.
    #[command(
        after_long_help = "Examples:\n  microscout init campaign.toml\n  microscout init > campaign.toml\n\nExit codes:\n  0  written\n  1  cannot write the file\n  2  bad usage, or the file exists (use --force)"
    )]
    Init(InitArgs),
    /// Generate a realistic synthetic drop (and its ground truth) for tests and benchmarks.
    #[command(after_long_help = concat!(
        "Writes <out>/drop/ (accounts.csv, posts-NNNN.csv, followers-NNNN.csv) and <out>/truth.csv,\n",
        "which records for each account whether its followers or engagement were bought and\n",
        "whether it is on the niche. The same seed and sizes give byte-identical files.\n\n",
        "With --days N: <out>/drops/YYYY-MM-DD/ for N nights of the same accounts, and\n",
        "<out>/truth-growth.csv with every planted event (spike, drip, purge, viral), for\n",
        "trying `microscout nightly --drops <out>/drops`.\n\n",
        "Examples:\n",
        "  microscout generate --out /tmp/small --accounts 300\n",
        "  microscout generate --out /tmp/month --accounts 500 --days 30\n",
        "  microscout generate --out /tmp/bench --accounts 100000 --posts 5000000 --followers 20000000\n\n",
        "Exit codes:\n  0  written\n  1  cannot write\n  2  bad usage"))]
    Generate(GenerateArgs),
    /// Label each follower of a followers table real or fake with the shipped classifier.
    #[command(after_long_help = concat!(
        "Reads a followers table in the canonical format (CSV or NDJSON: platform, account_id,\n",
        "follower_handle and any of follower_posts, follower_followers, follower_following,\n",
        "follower_has_profile_pic, follower_is_private, follower_bio) and writes one row per\n",
        "follower: platform, account_id, follower_handle, fake_probability, label.\n",
        "With --labels FILE (columns follower_handle and is_fake), it also prints accuracy,\n",
        "precision, recall, F1 and AUC against your labels, so you can check the model on\n",
        "data of your own.\n\n",
        "Examples:\n",
        "  microscout classify-followers --input followers.csv > labelled.csv\n",
        "  microscout classify-followers --input sample.csv --labels truth.csv --out labelled.csv\n\n",
        "Exit codes:\n  0  written\n  1  unusable input or I/O error\n  2  bad usage"))]
    ClassifyFollowers(ClassifyArgs),
    /// Label comments spam or real with the shipped comment-spam classifier.
    #[command(after_long_help = concat!(
        "With --input FILE, reads a comments table in the canonical format (CSV or NDJSON:
",
        "platform, post_id, comment_id, text, ...) and writes one row per comment: platform,
",
        "post_id, comment_id, spam_probability, label.
",
        "With --labels FILE, reads labelled comments instead (a CSV with a text column, `text`,
",
        "`content`, `msg` or `comment`, and a label column, `spam`, `class`, `scam` or
",
        "`is_spam`: 1/0, true/false, spam/ham; the UCI YouTube Spam Collection's files as they
",
        "are), writes one row per comment (row, spam_probability, label, truth) and prints
",
        "accuracy, precision, recall, F1 and AUC against the labels.

",
        "Examples:
",
        "  microscout classify-comments --input comments.csv > labelled.csv
",
        "  microscout classify-comments --labels my-labelled-comments.csv --out /tmp/scored.csv

",
        "Exit codes:
  0  written
  1  unusable input or I/O error
  2  bad usage"))]
    ClassifyComments(ClassifyCommentsArgs),
    /// Measure how well niche relevance ranks a drop of accounts labelled with their niche.
    #[command(after_long_help = concat!(
        "Reads the drop's canonical tables (as `validate` does without a campaign: no [ingest]\n",
        "settings) and, for each --campaign NICHE=FILE, orders the labelled\n",
        "accounts by the campaign's niche relevance (the night's own matcher and formula; ties\n",
        "in an order that knows nothing of the labels) and measures the order against the\n",
        "accounts labelled NICHE: precision@10 and @50, nDCG@50 and over the whole order, the\n",
        "share of the niche's accounts any keyword found, and the base rate (what a random\n",
        "order scores). The labels are a CSV with columns platform, account_id and niche; an\n",
        "account labelled twice with different niches is refused.\n",
        "Prints a Markdown table on standard output. docs/relevance-evaluation.md is made with\n",
        "it, on a real labelled set that data/relevance-eval/rebuild.py rebuilds.\n\n",
        "Examples:\n",
        "  microscout eval-niche --drop /tmp/kim/drop --labels /tmp/kim/labels.csv \\\n",
        "      --campaign family=data/campaign.toml --campaign food=data/relevance-eval/campaigns/food.toml\n",
        "  microscout eval-niche --drop D --labels L --campaign family=c.toml --min-posts 3\n\n",
        "Exit codes:\n  0  measured\n  1  the drop or the labels cannot be read, or --ranking cannot be written\n",
        "  2  bad usage, a bad campaign file, or a niche no evaluated account is labelled with"))]
    EvalNiche(EvalNicheArgs),
    /// Measure the caption-language detector on texts labelled with their language.
    #[command(after_long_help = concat!(
        "Reads a CSV with columns text and language (an ISO 639-1 or 639-3 code or an English\n",
        "name: en, eng, English) and judges the texts as a night judges an account's captions:\n",
        "hashtags, mentions and links dropped, at most 400 bytes, the whatlang detector, told only\n",
        "at confidence 0.5 or more. With --group N the texts of each language are judged N at a\n",
        "time, in file order, as an account's N recent captions. Prints per language the share\n",
        "told and the share right when told. docs/language-evaluation.md is made with it, on\n",
        "real labelled tweets that data/language-eval/rebuild.py rebuilds.\n\n",
        "Examples:\n",
        "  microscout eval-language --labels /tmp/lang/twitterlid.csv\n",
        "  microscout eval-language --labels /tmp/lang/twitterlid.csv --group 12\n\n",
        "Exit codes:\n  0  measured\n  1  the file cannot be read or lacks a column\n  2  bad usage"))]
    EvalLanguage(EvalLanguageArgs),
    /// Check a drop without scoring: what would be read, accepted and quarantined, and why.
    #[command(after_long_help = concat!(
        "Reads the drop exactly as `run` does and prints, per file and table, rows read =\n",
        "accepted + rejected, and the rejections grouped by reason. Nothing is scored and no\n",
        "run folder is written. --rejected FILE writes the quarantined rows as rejected.csv does.\n\n",
        "Examples:\n",
        "  microscout validate --drop data/sample/drop\n",
        "  microscout validate --drop drops/today --campaign c.toml --rejected /tmp/rejected.csv\n\n",
        "Exit codes:\n  0  the drop is usable (some rows may be quarantined)\n  1  the drop cannot be used (unknown file, missing column, ...)\n  2  bad usage or campaign file"))]
    Validate(ValidateArgs),
    /// Process every new dated drop in a folder, oldest first, into one output folder.
    #[command(after_long_help = concat!(
        "The drops are folders named by date (2026-11-24/, 2026-11-25/, ...; other entries are\n",
        "ignored). Each drop not yet processed is run as `microscout run` does, with the drop's\n",
        "date (00:00 UTC) as the reference time unless the drop holds an `as-of.txt` with a time,\n",
        "and recorded in <out>/nightly.json once its run folder and history night are written.\n",
        "A drop that fails is reported and retried on the next invocation; the others go on.\n",
        "One line per drop is printed on stdout: date, status, run folder or error.\n",
        "A lock (<out>/nightly.lock) keeps a second invocation on the same --out from running;\n",
        "a lock left by a killed process is taken over.\n\n",
        "Examples:\n",
        "  microscout nightly --drops /srv/drops --campaign c.toml --out /srv/scout\n",
        "  microscout nightly --drops /srv/drops --campaign c.toml --out /srv/scout --rerun 2026-11-24\n",
        "  microscout nightly --drops /srv/drops --campaign c.toml --out /srv/scout --wait --log-format json\n\n",
        "Exit codes:\n  0  every drop it tried was processed (or there was nothing to do)\n",
        "  1  at least one drop failed (the others were processed), another nightly holds the\n",
        "     lock (without --wait), or the drops folder or state file cannot be read\n",
        "  2  bad usage or configuration: unknown flag, bad campaign file, --rerun of a date\n",
        "     that has no drop folder"))]
    Nightly(NightlyArgs),
    /// Record what you did with an account (contacted, copy sent, ...) in the outreach ledger,
    /// or list where every account stands.
    #[command(after_long_help = concat!(
        "Appends one row to the ledger ([outreach] ledger in the campaign file, else\n",
        "<out>/ledger.csv): date, book (the campaign's title unless --book), platform, account,\n",
        "event, channel, cost, fee, code, note. The row is checked as a run checks hand edits:\n",
        "an unknown account (not in the history of --out) or event, a bad date or a negative\n",
        "amount is an error that names it, and nothing is written. Events: contacted, replied,\n",
        "declined, agreed, copy_sent, posted, paid, note, detection_rejected.\n",
        "--list prints each account's state for this book instead.\n\n",
        "Examples:\n",
        "  microscout outreach @littlefeelings_ew contacted --campaign c.toml --out out --channel email\n",
        "  microscout outreach littlefeelings_ew copy_sent --campaign c.toml --out out --cost 9.50 --code LITTLE10\n",
        "  microscout outreach @littlefeelings_ew detection_rejected --campaign c.toml --out out --code 3141592653\n",
        "  microscout outreach --list --campaign c.toml --out out\n\n",
        "Exit codes:\n  0  appended (or listed)\n  1  the ledger cannot be read or written, or there is no run in --out yet\n",
        "  2  bad usage, or a row a run would reject (unknown account or event, bad date, negative amount)"))]
    Outreach(OutreachArgs),
    /// An account's timeline over the nights in the history store.
    #[command(after_long_help = concat!(
        "Reads <out>/history/ and prints one line per night: followers and their daily change,\n",
        "following, posts, interactions, fake share, verdict, shortlist rank and growth signals.\n",
        "--csv prints the same as CSV.\n\n",
        "Examples:\n",
        "  microscout history @littlefeelings_ew --out out\n",
        "  microscout history littlefeelings_ew --out out --platform instagram --csv > timeline.csv\n\n",
        "Exit codes:\n  0  shown\n  1  no history, or no such account in it\n  2  bad usage"))]
    History(HistoryArgs),
    /// Everything known about one account from the latest run, in the terminal.
    #[command(after_long_help = concat!(
        "Reads <out>/LATEST (or --run) and prints the account's numbers, how each was obtained,\n",
        "its flags and authenticity verdict with reasons, its niche evidence, contact route,\n",
        "score and rank, or why it is not on the shortlist.\n\n",
        "Examples:\n",
        "  microscout explain @littlefeelings_ew --out out\n",
        "  microscout explain littlefeelings_ew --out out --platform instagram --run 20261125T020000Z\n\n",
        "Exit codes:\n  0  shown\n  1  no such account or run\n  2  bad usage"))]
    Explain(ExplainArgs),
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The drop folder.
    #[arg(long, env = "MICROSCOUT_DROP", value_name = "DIR")]
    pub drop: PathBuf,
    /// A campaign file, for its `[ingest]` section (adapters, followers exports).
    #[arg(long, value_name = "FILE")]
    pub campaign: Option<PathBuf>,
    /// Write the quarantined rows to this CSV file.
    #[arg(long, value_name = "FILE")]
    pub rejected: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NightlyArgs {
    /// The folder of dated drop folders (YYYY-MM-DD).
    #[arg(long, env = "MICROSCOUT_DROPS", value_name = "DIR")]
    pub drops: PathBuf,
    /// The campaign file (TOML).
    #[arg(long, env = "MICROSCOUT_CAMPAIGN", value_name = "FILE")]
    pub campaign: PathBuf,
    /// Where run folders, the history and nightly.json are written (created if missing).
    #[arg(long, env = "MICROSCOUT_OUT", value_name = "DIR")]
    pub out: PathBuf,
    /// Process this drop again even if it was done (repeatable). Its history night is
    /// replaced; its earlier run folder stays.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub rerun: Vec<i32>,
    /// If another nightly holds the lock, wait for it instead of exiting.
    #[arg(long)]
    pub wait: bool,
}

#[derive(Debug, Args)]
pub struct OutreachArgs {
    /// The account: a handle (with or without @) or an account id.
    #[arg(required_unless_present = "list")]
    pub handle: Option<String>,
    /// What happened: contacted, replied, declined, agreed, copy_sent, posted, paid, note,
    /// detection_rejected.
    #[arg(required_unless_present = "list")]
    pub event: Option<String>,
    /// The campaign file (for the book and the ledger's path).
    #[arg(long, env = "MICROSCOUT_CAMPAIGN", value_name = "FILE")]
    pub campaign: PathBuf,
    /// The output folder whose history names the accounts.
    #[arg(long, env = "MICROSCOUT_OUT", value_name = "DIR")]
    pub out: PathBuf,
    /// When it happened (YYYY-MM-DD). Default: today (UTC).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// The platform, when the handle exists on several.
    #[arg(long)]
    pub platform: Option<String>,
    /// The book, when not the campaign's title.
    #[arg(long)]
    pub book: Option<String>,
    /// How (email, DM, ...).
    #[arg(long, default_value = "")]
    pub channel: String,
    /// What it cost (a copy with postage).
    #[arg(long, default_value = "")]
    pub cost: String,
    /// A fee paid to the account.
    #[arg(long, default_value = "")]
    pub fee: String,
    /// A discount code or tracking link; for posted / detection_rejected, the post's link or id.
    #[arg(long, default_value = "")]
    pub code: String,
    /// Free text.
    #[arg(long, default_value = "")]
    pub note: String,
    /// List each account's state for this book instead of appending.
    #[arg(long, conflicts_with_all = ["handle", "event", "date", "cost", "fee", "code", "note", "channel"])]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The account's handle, with or without the @ (case-insensitive), or its account_id.
    pub handle: String,
    /// The output folder whose history to read.
    #[arg(long, env = "MICROSCOUT_OUT", value_name = "DIR")]
    pub out: PathBuf,
    /// Only this platform, when the handle exists on several.
    #[arg(long)]
    pub platform: Option<String>,
    /// Print CSV instead of a table.
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The account's handle, with or without the @ (case-insensitive), or its account_id.
    pub handle: String,
    /// Where run folders are written.
    #[arg(long, env = "MICROSCOUT_OUT", value_name = "DIR")]
    pub out: PathBuf,
    /// A run id; default: the newest complete run (<out>/LATEST).
    #[arg(long, value_name = "ID")]
    pub run: Option<String>,
    /// Only this platform, when the handle exists on several.
    #[arg(long)]
    pub platform: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["input", "labels"])))]
pub struct ClassifyCommentsArgs {
    /// A comments table (.csv, .ndjson or .jsonl) in the canonical format.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Labelled comments (CSV with a text and a label column) to classify and evaluate.
    #[arg(long, value_name = "FILE")]
    pub labels: Option<PathBuf>,
    /// Where to write the labelled rows; standard output when omitted.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EvalLanguageArgs {
    /// Labelled texts: a CSV with columns text and language.
    #[arg(long, value_name = "FILE")]
    pub labels: std::path::PathBuf,
    /// Texts judged together, as an account's recent captions (1: each text alone).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub group: u32,
}

#[derive(Debug, Args)]
pub struct EvalNicheArgs {
    /// The drop folder of the labelled accounts (accounts and posts).
    #[arg(long, value_name = "DIR")]
    pub drop: PathBuf,
    /// The labels: a CSV with columns platform, account_id, niche.
    #[arg(long, value_name = "FILE")]
    pub labels: PathBuf,
    /// NICHE=FILE: a campaign file and the niche label its accounts should have (repeat).
    #[arg(long, value_name = "NICHE=FILE", required = true)]
    pub campaign: Vec<String>,
    /// Only accounts with at least this many posts before the reference time.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_posts: u32,
    /// Reference time (as for `run`). Default: a day after the drop's last post.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub as_of: Option<i64>,
    /// Also write every campaign's order to this CSV (campaign_niche, rank, platform,
    /// account_id, label, relevance, posts, matched_keywords), to see the hits and misses.
    #[arg(long, value_name = "FILE")]
    pub ranking: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// A followers table (.csv, .ndjson or .jsonl) in the canonical format.
    #[arg(long, value_name = "FILE")]
    pub input: PathBuf,
    /// Where to write the labelled rows; standard output when omitted.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Your own labels (CSV with columns follower_handle and is_fake) to evaluate against.
    #[arg(long, value_name = "FILE")]
    pub labels: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The campaign file (TOML): the book, keywords, follower band, thresholds, weights.
    #[arg(long, env = "MICROSCOUT_CAMPAIGN", value_name = "FILE")]
    pub campaign: PathBuf,
    /// The drop folder: accounts*, posts* and (optional) followers* files.
    #[arg(long, env = "MICROSCOUT_DROP", value_name = "DIR")]
    pub drop: PathBuf,
    /// Where run folders are written (created if missing).
    #[arg(long, env = "MICROSCOUT_OUT", value_name = "DIR")]
    pub out: PathBuf,
    /// Reference time for the post window: RFC 3339, "YYYY-MM-DD HH:MM:SS" (UTC), a date, or
    /// Unix seconds. Default: now. Fix it to rerun a night exactly.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub as_of: Option<i64>,
    /// Name of the run folder. Default: the reference time, e.g. 20261125T020000Z (with -2,
    /// -3, ... appended if that folder exists).
    #[arg(long, value_name = "ID", value_parser = parse_run_id)]
    pub run_id: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the example; standard output when omitted.
    pub file: Option<PathBuf>,
    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Output folder: <out>/drop/ and <out>/truth.csv are written.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Random seed; the same seed and sizes give identical files.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Number of accounts.
    #[arg(long, default_value_t = 300)]
    pub accounts: usize,
    /// Total posts over all accounts. Default: 25 per account.
    #[arg(long)]
    pub posts: Option<usize>,
    /// Total follower-sample rows over all accounts. Default: 40 per account.
    #[arg(long)]
    pub followers: Option<usize>,
    /// Posts and follower rows per file before a new file is started.
    #[arg(long, default_value_t = 1_000_000)]
    pub rows_per_file: usize,
    /// End of the generated timeline (same formats as `run --as-of`).
    #[arg(long, value_name = "TIME", value_parser = parse_time, default_value = "2026-11-25T00:00:00Z")]
    pub as_of: i64,
    /// Also write a few faulty rows (bad counts and timestamps, duplicates, orphans) that a
    /// run must quarantine.
    #[arg(long)]
    pub faults: bool,
    /// Write N nightly drops of the same accounts instead of one: <out>/drops/YYYY-MM-DD/
    /// (the last dated --as-of), with organic growth, viral bursts, planted follower
    /// spikes, drips and purges, and <out>/truth-growth.csv listing what was planted.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: Option<u32>,
    /// Write some blogs, Facebook pages and Pinterest accounts as the native exports people
    /// have (RSS and Atom feeds, Apify Facebook items, Pinterest profiles and web pins)
    /// instead of canonical rows. Not with --days.
    #[arg(long, conflicts_with = "days")]
    pub native: bool,
    /// Also write the comments of each account's recent posts (comments-NNNN.csv: readers
    /// in five languages, spam bots, engagement pods, bought comments from a shared farm)
    /// and what was planted (truth-comments.csv).
    #[arg(long)]
    pub comments: bool,
}

fn parse_time(s: &str) -> Result<i64, String> {
    microscout_ingest::value::parse_timestamp(s).map_err(|e| e.to_string())
}

fn parse_date(s: &str) -> Result<i32, String> {
    microscout_model::history::parse_date(s).ok_or_else(|| "use a date as YYYY-MM-DD".to_string())
}

fn parse_run_id(s: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && !s.starts_with('.')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        Err("use letters, digits, '-', '_' and '.', not starting with '.'".into())
    } else if s.eq_ignore_ascii_case("latest") {
        Err(format!(
            "{s:?} is reserved: <out>/LATEST names the newest run; pick another run id"
        ))
    } else {
        Ok(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_definition_is_consistent() {
        // clap's own checks: conflicting names, bad defaults, missing value names, ...
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn run_ids_are_checked() {
        assert!(parse_run_id("night-1").is_ok());
        assert!(parse_run_id("LATEST").unwrap_err().contains("reserved"));
        assert!(parse_run_id("latest").is_err());
        assert!(parse_run_id(".hidden").is_err());
        assert!(parse_run_id("a/b").is_err());
        assert!(parse_run_id("").is_err());
    }
}
