#!/usr/bin/env python3
"""The keyword suggestions' second pass: does adding them to a campaign rank its niche better?

For each campaign (the bundled book's, then one per niche): run the night on the set, take its
suggestions.csv, write the campaign again with the suggested terms added (to keywords, or to
excluded keywords), once with the strong suggestions only and once with all of them, and measure
the three campaigns with `microscout eval-niche`. Prints the mean change of found, P@50 and
nDCG@50 over the campaigns, for all accounts and for those with 3+ posts.

Usage (after rebuild.py; standard library only):
    python3 data/relevance-eval/second-pass.py --bin target/debug/microscout --set SET --work /tmp/w [--half A|B]

--half keeps the accounts whose SHA-256 of the account id starts with an even (A) or odd (B)
byte: the halves docs/relevance-evaluation.md reports.
"""

import argparse
import csv
import hashlib
import json
import os
import subprocess
import sys
import tomllib

# Columns of eval-niche's table (split on "|"): found, P@50, nDCG@50.
COL_FOUND, COL_P50, COL_NDCG50 = 6, 8, 9

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NICHES = ["family", "food", "fitness", "travel", "beauty", "fashion", "interior", "pet"]
AS_OF = "2019-05-16T00:00:00Z"


def split(src, dst, half):
    os.makedirs(os.path.join(dst, "drop"), exist_ok=True)
    keep = lambda a: (hashlib.sha256(a.encode()).digest()[0] % 2 == 0) == (half == "A")
    for path in ["drop/accounts.csv", "drop/posts.csv", "labels.csv"]:
        with open(os.path.join(src, path), encoding="utf-8", newline="") as f, open(
            os.path.join(dst, path), "w", encoding="utf-8", newline=""
        ) as g:
            r, w = csv.reader(f), csv.writer(g, lineterminator="\n")
            w.writerow(next(r))
            for row in r:
                if keep(row[1]):
                    w.writerow(row)


def with_terms(src, suggestions, strong_lift, out):
    """The campaign `src` with the suggestions added (those of lift `strong_lift` or more when
    given). It keeps [book]'s keywords, excluded keywords and synonyms and leaves every other
    setting at its default (the campaigns here set no other)."""
    with open(src, "rb") as f:
        c = tomllib.load(f)
    strong_only = strong_lift is not None
    use = [s for s in suggestions if not strong_only or float(s["lift"]) >= strong_lift]
    book = c["book"]
    keywords = book["keywords"] + [s["term"] for s in use if s["suggestion"] == "add"]
    excluded = book.get("excluded-keywords", []) + [s["term"] for s in use if s["suggestion"] == "exclude"]
    name = c["campaign"]["name"] + (" + strong" if strong_only else " + all")
    t = f"[campaign]\nname = {json.dumps(name)}\n\n[book]\nkeywords = {json.dumps(keywords)}\n"
    t += f"excluded-keywords = {json.dumps(excluded)}\n"
    if book.get("synonyms"):
        t += "synonyms = { " + ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in book["synonyms"].items()) + " }\n"
    with open(out, "w", encoding="utf-8") as f:
        f.write(t)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--set", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--half", choices=["A", "B"])
    ap.add_argument("--strong-lift", type=float, action="append",
                    help="lift from which a suggestion counts as strong (repeat to compare; default: the `strong` column)")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    data = a.set
    if a.half:
        data = os.path.join(a.work, "half-" + a.half)
        split(a.set, data, a.half)
    campaigns = [("family", os.path.join(ROOT, "data/campaign.toml"))]
    campaigns += [(n, os.path.join(HERE, "campaigns", f"{n}.toml")) for n in NICHES]
    args = []
    for i, (niche, src) in enumerate(campaigns):
        run = os.path.join(a.work, f"run-{i}")
        subprocess.run([a.bin, "run", "-q", "--drop", os.path.join(data, "drop"), "--campaign", src,
                        "--out", run, "--as-of", AS_OF], check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(run, "LATEST"), encoding="utf-8") as f:
            latest = f.read().strip()
        with open(os.path.join(run, latest, "suggestions.csv"), encoding="utf-8") as f:
            suggestions = list(csv.DictReader(f))
        # Only terms to add are ever strong (microscout-score's suggest module).
        variants = []
        for lift in a.strong_lift or [None]:
            path = os.path.join(a.work, f"c{i}-strong-{lift}.toml")
            with_terms(src, [s for s in suggestions if lift is not None or s["strong"] == "true"], lift, path)
            variants.append(("strong" if lift is None else f"lift {lift:g}+", path))
        every = os.path.join(a.work, f"c{i}-all.toml")
        with_terms(src, suggestions, None, every)
        variants.append(("all", every))
        for _, path in [("", src)] + variants:
            args += ["--campaign", f"{niche}={path}"]
    for min_posts in (1, 3):
        out = subprocess.run([a.bin, "eval-niche", "--drop", os.path.join(data, "drop"), "--labels",
                              os.path.join(data, "labels.csv"), "--min-posts", str(min_posts), *args],
                             check=True, capture_output=True, text=True).stdout
        rows = [l.split("|") for l in out.splitlines() if l.startswith("| ") and not l.startswith("| campaign")]
        width = len(variants) + 1
        groups = [rows[j:j + width] for j in range(0, len(rows), width)]
        for k, (kind, _) in enumerate(variants, start=1):
            d = [[float(g[k][i]) - float(g[0][i]) for i in (COL_FOUND, COL_P50, COL_NDCG50)] for g in groups]
            n = len(d)
            print(f"{a.half or 'whole set'}, min-posts {min_posts}, {kind} suggestions added: mean change found "
                  f"{sum(x[0] for x in d) / n:+.3f}, P@50 {sum(x[1] for x in d) / n:+.3f}, nDCG@50 "
                  f"{sum(x[2] for x in d) / n:+.3f}; nDCG@50 per campaign " + " ".join(f"{x[2]:+.2f}" for x in d))


if __name__ == "__main__":
    sys.exit(main())
