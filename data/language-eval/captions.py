#!/usr/bin/env python3
"""Real captions labelled by a second detector, for `microscout eval-language` (docs/language-evaluation.md).

Reads the niche evaluation set rebuilt by data/relevance-eval/rebuild.py, joins each account's
captions (accounts with 3 or more), labels the text with langid (`pip install langid`; Lui &
Baldwin 2012) and writes a CSV with columns text, language. `eval-language` on it measures the
agreement of microscout's detector with langid on real captions, not accuracy.

Usage:
    python3 data/language-eval/captions.py --set /tmp/microscout-relevance --out /tmp/lang/captions.csv
"""

import argparse
import collections
import csv
import os

import langid


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    captions = collections.defaultdict(list)
    with open(os.path.join(a.set, "drop", "posts.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            captions[r["account_id"]].append(r["caption"])
    with open(a.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["text", "language"])
        for account, texts in sorted(captions.items()):
            if len(texts) >= 3:
                text = " ".join(" ".join(t.splitlines()) for t in texts)
                w.writerow([text, langid.classify(text)[0]])


if __name__ == "__main__":
    main()
