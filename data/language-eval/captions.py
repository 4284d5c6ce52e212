#!/usr/bin/env python3
"""Real captions labelled by language, for `microscout eval-language` (docs/language-evaluation.md).

Reads the niche evaluation set rebuilt by data/relevance-eval/rebuild.py and joins each account's
captions (accounts with 3 or more) into one text. Writes a CSV with columns text, language:
- by default every such account, labelled by langid (`pip install langid`; Lui & Baldwin 2012):
  `eval-language` on it measures agreement with a second detector, not accuracy;
- with --hand, the 80 accounts of captions-hand-labels.csv (drawn at random, seed 20261204),
  labelled by a person reading them (standard library only): accuracy on a small sample.

Usage:
    python3 data/language-eval/captions.py --set /tmp/microscout-relevance --out /tmp/lang/captions.csv
    python3 data/language-eval/captions.py --set /tmp/microscout-relevance --hand --out /tmp/lang/hand.csv
    python3 data/language-eval/captions.py --set /tmp/microscout-relevance --draw   # the 80 ids, as drawn
"""

import argparse
import collections
import csv
import os
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", required=True)
    ap.add_argument("--out")
    ap.add_argument("--draw", action="store_true", help="print the 80 account ids the hand labels were drawn as")
    ap.add_argument("--hand", action="store_true", help="the hand-labelled sample instead of langid's labels")
    a = ap.parse_args()
    if a.draw:
        with open(os.path.join(a.set, "drop", "posts.csv"), encoding="utf-8") as f:
            counts = collections.Counter(r["account_id"] for r in csv.DictReader(f))
        random.seed(20261204)
        for account in random.sample(sorted(x for x, n in counts.items() if n >= 3), 80):
            print(account)
        return
    if not a.out:
        ap.error("--out is required")
    hand = None
    if a.hand:
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "captions-hand-labels.csv"), encoding="utf-8") as f:
            hand = {r["account_id"]: r["language"] for r in csv.DictReader(f)}
    else:
        import langid
    captions = collections.defaultdict(list)
    with open(os.path.join(a.set, "drop", "posts.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            captions[r["account_id"]].append(r["caption"])
    with open(a.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["text", "language"])
        for account, texts in sorted(captions.items()):
            if len(texts) < 3 or (hand is not None and account not in hand):
                continue
            text = " ".join(" ".join(t.splitlines()) for t in texts)
            w.writerow([text, hand[account] if hand is not None else langid.classify(text)[0]])


if __name__ == "__main__":
    main()
