#!/usr/bin/env bash
# Seeds each fuzz target's corpus (fuzz/corpus/<target>/) from the project's real fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
seed() { mkdir -p "fuzz/corpus/$1"; shift; for f in "$@"; do cp "$f" "fuzz/corpus/$target/$(echo "$f" | tr '/' '_')" 2>/dev/null || true; done; }
target=csv_rows; seed $target tests/fixtures/handmade/drop/*.csv tests/bad_inputs/cases/*/drop/*.csv
target=ndjson_rows; seed $target tests/bad_inputs/cases/*/drop/*.ndjson
target=values; mkdir -p fuzz/corpus/values; printf '12,345' > fuzz/corpus/values/count; printf '2026-11-20T19:30:00+01:00' > fuzz/corpus/values/rfc3339; printf '1795199400.75' > fuzz/corpus/values/unix; printf 'YES' > fuzz/corpus/values/bool
for target in native_detect adapter_apify_instagram adapter_instagram_web adapter_youtube_api adapter_tiktok adapter_instagram_export adapter_facebook adapter_pinterest adapter_wordpress_rest; do
  seed $target tests/fixtures/native/*/*.json tests/fixtures/native/*/*/*.json
done
target=xml_feeds; seed $target tests/fixtures/native/blog/*.xml tests/fixtures/native/blog/*.rss tests/fixtures/native/blog/*.atom tests/hostile/xml/*
ls fuzz/corpus | while read t; do echo "$t: $(ls fuzz/corpus/$t | wc -l) seeds"; done
