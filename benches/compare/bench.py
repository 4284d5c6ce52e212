"""Side by side: `microscout run` (everything) against DuckDB and Polars computing only the
core metrics, on the same generated drops, on this machine. Writes BENCHMARKS.md.

Run through `just bench-compare` (it builds the release binary and installs DuckDB and
Polars into a local virtual environment). Not part of the tests.

Usage: python bench.py --bin PATH --campaign FILE --work DIR --out BENCHMARKS.md
                       [--sizes 2000,20000,100000] [--runs 3]
"""
import argparse
import csv
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
AS_OF = "2026-11-25T00:00:00Z"
# The environment every measured command gets: this process's as it started. Importing
# polars (below, for its version) sets `_RJEM_MALLOC_CONF` in this process's environment
# (polars is built on jemalloc with the same symbol prefix as microscout's), which a child
# would inherit: microscout's allocator would then run with polars' settings (20k drop: peak
# 434 MiB instead of 366 MiB).
CLEAN_ENV = dict(os.environ)
CORE = ["followers", "posts_in_window", "avg_likes", "median_likes", "avg_comments",
        "median_comments", "engagement_rate", "follower_sample_size"]


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, env=CLEAN_ENV, **kw)


def timed(cmd):
    """Wall seconds and peak RSS (MiB) of a command, by GNU time."""
    t = sh(["/usr/bin/time", "-f", "%e %M", *cmd])
    wall, rss_kb = t.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss_kb) / 1024


def drop_of(work, bin_, accounts):
    posts = accounts * 987 // 20        # 49.35 posts per account (987k for 20k accounts)
    followers = accounts * 200         # 4.0M follower rows for 20k accounts
    if accounts >= 100_000:
        posts, followers = accounts * 50, accounts * 200   # 5M posts, 20M follower rows
    d = os.path.join(work, f"drop-{accounts}")
    if not os.path.exists(os.path.join(d, "truth.csv")):
        shutil.rmtree(d, ignore_errors=True)
        sh([bin_, "generate", "--out", d, "--accounts", str(accounts), "--posts", str(posts),
            "--followers", str(followers), "--quiet"])
    files = [os.path.join(d, "drop", f) for f in sorted(os.listdir(os.path.join(d, "drop")))]
    size = sum(os.path.getsize(f) for f in files)
    return d, files, size, accounts + posts + followers, posts, followers


def floor(files):
    """`cat` of the drop to /dev/null, warm cache: the least any tool can take."""
    best = None
    for _ in range(3):
        t = time.perf_counter()
        with open(os.devnull, "wb") as null:
            subprocess.run(["cat", *files], stdout=null, check=True)
        e = time.perf_counter() - t
        best = e if best is None else min(best, e)
    return best


def read_core(path, key_cols=("platform", "account_id")):
    out = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            out[tuple(r[k] for k in key_cols)] = {c: r.get(c, "") for c in CORE}
    return out


def num(v):
    if v in ("", "NaN", "nan", "null", None):
        return None
    return float(v)


def agree(a, b):
    """Accounts whose core metrics differ (relative 1e-9), and the first few differences."""
    diffs = []
    for k, ra in a.items():
        rb = b.get(k)
        if rb is None:
            diffs.append((k, "missing", "", ""))
            continue
        for c in CORE:
            x, y = num(ra[c]), num(rb[c])
            if c == "posts_in_window":
                x, y = x or 0.0, y or 0.0
            if x is None and y is None:
                continue
            if x is None or y is None or abs(x - y) > 1e-9 * max(1.0, abs(x)):
                diffs.append((k, c, ra[c], rb[c]))
    return len(a) == len(b), diffs


def machine():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
        mem = f"{mem / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        mem = "unknown"
    return cpu, os.cpu_count(), mem


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--campaign", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sizes", default="2000,20000,100000")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    py = sys.executable
    import duckdb
    import polars
    version = sh([args.bin, "--version"]).stdout.strip()
    rows_md = []
    checks = []
    for n in [int(s) for s in args.sizes.split(",")]:
        d, files, size, rows, posts, followers = drop_of(args.work, args.bin, n)
        drop = os.path.join(d, "drop")
        print(f"{n} accounts: {size / 1e6:.0f} MB, {rows:,} rows", file=sys.stderr)
        cat = floor(files)
        tools = {
            "microscout run (everything)": lambda i: [
                args.bin, "run", "--campaign", args.campaign, "--drop", drop, "--out",
                os.path.join(d, "out"), "--as-of", AS_OF, "--run-id", f"bench-{i}", "--quiet"],
            "DuckDB (core metrics only)": lambda i: [
                py, os.path.join(HERE, "duckdb_core.py"), drop, AS_OF,
                os.path.join(d, "duckdb.csv")],
            "Polars (core metrics only)": lambda i: [
                py, os.path.join(HERE, "polars_core.py"), drop, AS_OF,
                os.path.join(d, "polars.csv")],
        }
        shutil.rmtree(os.path.join(d, "out"), ignore_errors=True)
        # Warm the page cache once, then alternate the tools run after run.
        floor(files)
        results = {t: [] for t in tools}
        for i in range(args.runs):
            for t, cmd in tools.items():
                results[t].append(timed(cmd(i)))
                print(f"  run {i + 1} {t}: {results[t][-1][0]:.2f} s", file=sys.stderr)
        ms = read_core(os.path.join(d, "out", f"bench-{args.runs - 1}", "scores.csv"))
        dk = read_core(os.path.join(d, "duckdb.csv"))
        pl_ = read_core(os.path.join(d, "polars.csv"))
        for name, other in (("DuckDB", dk), ("Polars", pl_)):
            same_rows, diffs = agree(ms, other)
            checks.append((n, name, len(ms), same_rows, diffs))
        shutil.rmtree(os.path.join(d, "out"), ignore_errors=True)
        duck_wall = statistics.median(w for w, _ in results["DuckDB (core metrics only)"])
        duck_rss = statistics.median(r for _, r in results["DuckDB (core metrics only)"])
        for t, rs in results.items():
            walls = [w for w, _ in rs]
            rss = statistics.median(r for _, r in rs)
            wall = statistics.median(walls)
            rows_md.append(
                f"| {n:,} | {size / 1e6:,.0f} MB, {posts:,} posts, {followers:,} follower rows "
                f"| {t} | {wall:.2f} s ({min(walls):.2f}-{max(walls):.2f}) | {rss:,.0f} MiB "
                f"| {size / 1e6 / wall:,.0f} | {rows / wall / 1e6:,.2f} "
                f"| {wall / duck_wall:.2f}x | {rss / duck_rss:.2f}x | {cat:.3f} s |")
    cpu, cores, mem = machine()
    lines = [
        "# Benchmarks",
        "",
        "Written by `just bench-compare` (`benches/compare/bench.py`); do not edit by hand.",
        f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC.",
        "",
        "`microscout run` does the whole nightly job: validation with quarantine and exact row",
        "accounting, SHA-256 of every input, the follower classifier on every sampled follower,",
        "niche text, every model, and every output (Parquet, CSV, HTML and Markdown reports).",
        "DuckDB and Polars compute only the core metrics of the data contract (window of the 12",
        "most recent posts, average and median likes and comments, engagement rate) and the",
        "follower sample size per account, from the same CSV files, with all cores.",
        "",
        "Each tool runs alternately, "
        f"{args.runs} times per size, warm page cache; medians, with the range in brackets.",
        "MB/s and Mrows/s are input bytes and input rows (accounts + posts + follower rows) per",
        "second of wall time. The floor is `cat` of the drop to /dev/null.",
        "",
        "| accounts | drop | tool | wall | peak RSS | MB/s | Mrows/s | wall vs DuckDB | RSS vs DuckDB | floor |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *rows_md,
        "",
        "## Agreement on the core metrics",
        "",
        "microscout's `scores.csv` against each tool's output, account by account",
        f"({', '.join(CORE)}; relative tolerance 1e-9):",
        "",
    ]
    for n, name, count, same_rows, diffs in checks:
        status = "agree on every account" if same_rows and not diffs else (
            f"DIFFER on {len(diffs):,} values, e.g. {diffs[:3]}")
        lines.append(f"- {n:,} accounts, {name}: {count:,} accounts, {status}.")
    lines += [
        "",
        "## Machine and versions",
        "",
        f"- CPU: {cpu}; {cores} logical cores; {mem} RAM; {platform.system()} {platform.release()}",
        f"- {version}; DuckDB {duckdb.__version__}; Polars {polars.__version__}; "
        f"Python {platform.python_version()}",
        "",
    ]
    with open(args.out, "w") as f:
        f.write("\n".join(lines))
    print(f"wrote {args.out}", file=sys.stderr)
    if any(diffs or not same for _, _, _, same, diffs in checks):
        sys.exit("the tools disagree on the core metrics (see the file)")


if __name__ == "__main__":
    main()
