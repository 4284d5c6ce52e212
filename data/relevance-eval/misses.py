#!/usr/bin/env python3
"""What the niche relevance misses: the accounts of a niche that no keyword of its campaign found.

Usage (after rebuild.py, with langid from PyPI for the language: `pip install langid`):
    microscout eval-niche --drop SET/drop --labels SET/labels.csv --min-posts 3 \
        --campaign family=data/relevance-eval/campaigns/family.toml ... --ranking SET/ranking.csv
    python3 data/relevance-eval/misses.py SET

Each missed account falls in the first of: no words (emoji, tags only); another language
(langid on its captions joined); a keyword's letters (a final s dropped) inside one of its
hashtags (a hashtag the word-break cannot split, or one it rightly keeps whole: the test is by
letters); a keyword's letters inside a longer word; none of the keywords. The ranking must hold
one campaign per niche (the niche campaigns of campaigns/, without the book's).
"""

import collections
import csv
import os
import re
import sys
import tomllib

import langid

CAMPAIGNS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "campaigns")


def main():
    root = sys.argv[1]
    captions = collections.defaultdict(list)
    with open(os.path.join(root, "drop", "posts.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            captions[r["account_id"]].append(r["caption"])
    with open(os.path.join(root, "ranking.csv"), encoding="utf-8") as f:
        ranking = list(csv.DictReader(f))
    total = collections.Counter()
    campaigns = {}
    for r in ranking:
        campaigns.setdefault(r["campaign_niche"], set()).add(r["campaign"])
    if any(len(c) > 1 for c in campaigns.values()):
        sys.exit("ranking.csv holds several campaigns for one niche: rank the niche campaigns only")
    for niche in sorted(campaigns):
        path = os.path.join(CAMPAIGNS, f"{niche}.toml")
        with open(path, "rb") as f:
            keywords = tomllib.load(f)["book"]["keywords"]
        words = [w.lower().rstrip("s") for k in keywords for w in k.split() if len(w) >= 3]
        rows = [r for r in ranking if r["campaign_niche"] == niche and r["label"] == niche]
        missed = [r["account_id"] for r in rows if not r["matched_keywords"]]
        kinds = collections.Counter()
        for account in missed:
            text = " ".join(captions[account])
            if not re.search(r"[^\W\d_]{3,}", re.sub(r"[#@]\S+", "", text)):
                kinds["no words (emoji, tags only)"] += 1
            elif langid.classify(text[:3000])[0] not in ("en", "la"):
                kinds["another language"] += 1
            elif any(w in t for t in re.findall(r"#(\w+)", text.lower()) for w in words):
                kinds["keyword's letters inside a hashtag"] += 1
            elif any(w in text.lower() for w in words):
                kinds["keyword's letters inside a longer word"] += 1
            else:
                kinds["none of the keywords"] += 1
        print(f"{niche}: {len(missed)} of {len(rows)} missed: {dict(kinds.most_common())}")
        total.update(kinds)
    print(f"all: {sum(total.values())} missed: {dict(total.most_common())}")


if __name__ == "__main__":
    main()
