#!/usr/bin/env python3
"""Rebuild the language evaluation sets (docs/language-evaluation.md) from clones of their public copies.

Standard library only; the same clones give byte-identical files. Tweet texts may not be
redistributed (Twitter's terms), so they are not in this repository.

Usage:
    git clone https://github.com/grimadas/innopolis /tmp/innopolis
    git clone https://github.com/imendibo/SEPLN-TweetLID14 /tmp/tweetlid
    git clone https://github.com/cardiffnlp/xlm-t /tmp/xlm-t
    python3 data/language-eval/rebuild.py --twitterlid /tmp/innopolis --tweetlid /tmp/tweetlid \
        --xlmt /tmp/xlm-t --out /tmp/lang

Writes twitterlid.csv, tweetlid.csv and xlmt.csv (columns text, language) under --out.
"""

import argparse
import csv
import io
import os
import pickle
import subprocess

COMMITS = {
    "twitterlid": "c8aabfb87707028f6a0a87480c8f1ec253653d01",
    "tweetlid": "f1f065f7609c0cbd3bd16d97efb05595e0bcbc8e",
    "xlmt": "874214d64d96599eb869a033c22ec2cc57d19256",
}
XLMT = {"arabic": "ar", "english": "en", "french": "fr", "german": "de", "hindi": "hi (romanised)",
        "italian": "it", "portuguese": "pt", "spanish": "es"}


def show(repo, commit, path):
    return subprocess.run(["git", "-C", repo, "show", f"{commit}:{path}"], capture_output=True, check=True).stdout


class Plain(pickle.Unpickler):
    """Lists, tuples and strings only: a pickle from the network may run nothing."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"refused: {module}.{name}")


def write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["text", "language"])
        w.writerows(rows)
    print(f"{len(rows)} texts -> {path}")


def twitterlid(repo):
    rows = []
    for part in ("langid.train", "langid.test"):
        texts, labels = Plain(io.BytesIO(show(repo, COMMITS["twitterlid"], f"LangID/{part}")), encoding="latin1").load()
        rows += [(" ".join(t.splitlines()), l) for t, l in zip(texts, labels)]
    return rows


def tweetlid(repo):
    c = COMMITS["tweetlid"]
    gold = {}
    for line in show(repo, c, "Dataset/tweetLID-test_ids-7july.tsv").decode("utf-8").splitlines():
        p = line.split("\t")
        if len(p) >= 3:
            gold[p[0]] = p[2].strip()
    seen, rows = set(), []
    for part in ("train_complete_clean.txt", "test_complete_clean.txt"):
        for line in show(repo, c, f"Dataset/{part}").decode("utf-8").splitlines():
            p = line.split("\t", 3)
            if len(p) < 4 or p[0] in seen:
                continue
            label = p[2].strip() if p[2].strip() != "?" else gold.get(p[0], "?")
            # Single-language tweets only (not "und", "other", "es+eu", "gl/pt", ...).
            if label in ("es", "pt", "ca", "en", "gl", "eu"):
                seen.add(p[0])
                rows.append((" ".join(p[3].splitlines()), label))
    return rows


def xlmt(repo):
    rows = []
    for folder, label in XLMT.items():
        for part in ("train", "val", "test"):
            text = show(repo, COMMITS["xlmt"], f"data/sentiment/{folder}/{part}_text.txt").decode("utf-8")
            rows += [(t, label) for t in text.splitlines() if t.strip()]
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--twitterlid", required=True, help="clone of grimadas/innopolis")
    ap.add_argument("--tweetlid", required=True, help="clone of imendibo/SEPLN-TweetLID14")
    ap.add_argument("--xlmt", required=True, help="clone of cardiffnlp/xlm-t")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    write(os.path.join(a.out, "twitterlid.csv"), twitterlid(a.twitterlid))
    write(os.path.join(a.out, "tweetlid.csv"), tweetlid(a.tweetlid))
    write(os.path.join(a.out, "xlmt.csv"), xlmt(a.xlmt))


if __name__ == "__main__":
    main()
