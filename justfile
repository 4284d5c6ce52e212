# microscout's task runner (`cargo install just`). Every recipe is plain cargo underneath.

# List the recipes.
default:
    @just --list

# Run the nightly job on the bundled sample's ten nights (writes out/<run-id>/ per night,
# out/history/ and out/nightly.json; README's run command).
sample-run:
    cargo run -- nightly --drops data/sample/nights/drops --campaign data/sample/nights/campaign.toml --out out

# One run on the bundled single-night sample drop.
sample-run-once:
    cargo run -- run --campaign data/campaign.toml --drop data/sample/drop --out out

# Run every test (README's test command).
test:
    cargo test --workspace

# Formatting and clippy, warnings as errors.
lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings

# What CI runs, plus the lints.
ci: lint
    MICROSCOUT_CI_LINT=0 bash .ci/run

# Format the code.
fmt:
    cargo fmt --all

# Regenerate the bundled samples (after changing the generator): one drop of 300 accounts
# (some blogs, Facebook pages and Pinterest accounts as native exports; comments with pods),
# and ten nights of 200 accounts (gzip-compressed, as exports often are).
sample:
    rm -rf data/sample/drop data/sample/truth.csv data/sample/truth-followers.csv data/sample/truth-comments.csv data/sample/nights
    cargo run -- generate --out data/sample --accounts 300 --seed 42 --faults --native --comments
    cargo run -- generate --out data/sample/nights --accounts 200 --seed 42 --days 10
    rm data/sample/nights/truth-followers.csv
    find data/sample/nights/drops -name '*.csv' -exec gzip -9 -n {} +
    sed -e 's|^# ledger = "ledger.csv"|ledger = "ledger.csv"|' -e 's|^# sales = "sales.csv"|sales = "sales.csv"|' \
        data/campaign.toml > data/sample/nights/campaign.toml

# Rewrite the golden report files after checking that a change in them is intended.
golden:
    UPDATE_GOLDEN=1 cargo test --workspace --test integration

# Recompute the hand-made drop's expected metrics with the independent Python reference.
expected:
    cd tests/fixtures/handmade && python3 expected.py

# Write a commented example campaign file to campaign.toml.
init:
    cargo run -- init campaign.toml

# Benchmark a whole nightly run (BENCH_ACCOUNTS sets the size; default 20,000 accounts).
bench:
    cargo bench --bench nightly_run

# Alternating runs, median of `runs`; installs DuckDB and Polars from PyPI into <work>/venv.
# Needs python3 and about 6 GB free under <work>. Not part of the tests.
# microscout against DuckDB and Polars (core metrics) on 2k/20k/100k-account drops; rewrites BENCHMARKS.md.
bench-compare sizes="2000,20000,100000" runs="3" work="/tmp/microscout-bench":
    #!/usr/bin/env bash
    set -euo pipefail
    bin=$(cargo build --release --bin microscout --message-format=json | grep -o '"executable":"[^"]*"' | cut -d'"' -f4 | tail -1)
    mkdir -p {{work}}
    [ -x {{work}}/venv/bin/python ] || python3 -m venv {{work}}/venv
    {{work}}/venv/bin/pip install --quiet duckdb==2.0.1 polars==2.1.0
    {{work}}/venv/bin/python benches/compare/bench.py --bin "$bin" --campaign data/campaign.toml \
        --work {{work}} --out BENCHMARKS.md --sizes {{sizes}} --runs {{runs}}

# Stage benches (parsing, labelling, niche text, scoring, reports) on 2,000 accounts.
bench-stages:
    cargo bench --bench stages

# Generate the full-size drop (100k accounts, 5M posts, 20M follower rows) and time a run.
big dir="/tmp/microscout-big":
    #!/usr/bin/env bash
    set -euo pipefail
    bin=$(cargo build --release --bin microscout --message-format=json | grep -o '"executable":"[^"]*"' | cut -d'"' -f4 | tail -1)
    [ -f {{dir}}/truth.csv ] || "$bin" generate --out {{dir}} --accounts 100000 --posts 5000000 --followers 20000000
    rm -rf {{dir}}/out
    /usr/bin/time -v "$bin" run --campaign data/campaign.toml --drop {{dir}}/drop --out {{dir}}/out --as-of 2026-11-25T00:00:00Z

# Bombs, huge records, FIFOs, 96 concurrent runs: each case within 10 s and 1 GB.
# The hostile-input tests against the release binary.
hostile-release:
    #!/usr/bin/env bash
    set -euo pipefail
    bin=$(cargo build --release --bin microscout --message-format=json | grep -o '"executable":"[^"]*"' | cut -d'"' -f4 | tail -1)
    MICROSCOUT_BIN="$bin" cargo test --test integration hostile -- --test-threads=1

# Retrain the follower classifier and rewrite its evaluation table (deterministic).
train:
    cargo run -p microscout-authenticity --bin train-authenticity

# Retrain the comment-spam classifier and rewrite docs/comment-spam-evaluation.md
# (deterministic).
train-comments:
    cargo run -p microscout-authenticity --bin train-comment-spam

# Rebuild the real niche evaluation set from a clone of its public copy (see
# data/relevance-eval/README.md) and check docs/relevance-evaluation.md against it.
relevance-eval repo work="/tmp/microscout-relevance":
    python3 data/relevance-eval/rebuild.py --repo {{repo}} --out {{work}}
    MICROSCOUT_RELEVANCE_SET={{work}} cargo test --test integration relevance::real_set -- --ignored

# Rebuild the language evaluation sets from clones of their public copies and print the
# tables of docs/language-evaluation.md (data/language-eval/rebuild.py names the clones).
language-eval twitterlid tweetlid xlmt work="/tmp/microscout-language":
    python3 data/language-eval/rebuild.py --twitterlid {{twitterlid}} --tweetlid {{tweetlid}} --xlmt {{xlmt}} --out {{work}}
    cargo build --bin microscout
    for g in 1 12; do cargo run -q -- eval-language --labels {{work}}/twitterlid.csv --group $g; done
    cargo run -q -- eval-language --labels {{work}}/tweetlid.csv --group 12
    cargo run -q -- eval-language --labels {{work}}/xlmt.csv --group 12

# Build every fuzz target (plain build, as CI does).
fuzz-build:
    cargo build --manifest-path fuzz/Cargo.toml --bins

# Fuzz one target with cargo-fuzz, seeded from the fixtures (needs `cargo install cargo-fuzz`).
fuzz target seconds="600":
    bash fuzz/seed.sh
    cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run -O {{target}} corpus/{{target}} -- -max_total_time={{seconds}} -rss_limit_mb=4096
