#!/usr/bin/env python3
"""Rebuild the niche relevance evaluation set from its public copy (standard library only).

The set is a random sample of posts from the Instagram Influencer Dataset of Kim, Jiang,
Nakada, Han and Wang ("Multimodal Post Attentive Profiling for Influencer Marketing", WWW 2020):
39,907 posts of 23,106 accounts, each account labelled with one of nine categories. A copy
of that sample is public in the GitHub repository Bea3006/TechLabs_Project_Advertisement
(a student project). It carries no licence, so its texts are not in this repository: this
script rebuilds the set from a clone of it. See README.md here for the source, the label
definition and the counts.

Usage:
    git clone https://github.com/Bea3006/TechLabs_Project_Advertisement /tmp/kim-repo
    python3 data/relevance-eval/rebuild.py --repo /tmp/kim-repo --out /tmp/microscout-relevance

`--repo` may be a clone or a bare git directory. Writes, under --out:
    drop/accounts.csv   platform, account_id, handle, followers, following, posts_count
    drop/posts.csv      platform, account_id, post_id, posted_at, likes, caption
    labels.csv          platform, account_id, niche
The same input gives byte-identical files.
"""

import argparse
import csv
import datetime
import json
import os
import subprocess
import sys

# The commits the set is read at: influencers.txt at its first upload (later commits
# damage its first data row), the posts at the repository's head as of 2021-01-09.
LABELS_COMMIT = "499dc7b7d5d6408ddf29ed4cedb7055ecbb383cc"
POSTS_COMMIT = "4ef51eecbbc8f1a02688513ca8efc5b13b706e68"
NICHES = {"beauty", "family", "fashion", "fitness", "food", "interior", "pet", "travel", "other"}


def git(repo, *args):
    out = subprocess.run(["git", "-C", repo, *args], capture_output=True, check=True)
    return out.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repo", required=True, help="clone (or git dir) of Bea3006/TechLabs_Project_Advertisement")
    ap.add_argument("--out", required=True, help="folder to write drop/ and labels.csv into")
    a = ap.parse_args()
    for commit in (LABELS_COMMIT, POSTS_COMMIT):
        try:
            git(a.repo, "cat-file", "-e", commit)
        except subprocess.CalledProcessError:
            sys.exit(f"{a.repo}: commit {commit} not found; clone the full history of the repository")

    niche, meta = {}, {}
    for line in git(a.repo, "show", f"{LABELS_COMMIT}:influencers.txt").decode().splitlines()[2:]:
        p = line.split("\t")
        if len(p) < 5:
            continue
        # Two accounts carry stray labels in the original ("fasion", "fashion 0.5").
        label = {"fasion": "fashion", "fashion 0.5": "fashion"}.get(p[1], p[1])
        if label in NICHES:
            niche[p[0]] = label
            meta[p[0]] = (int(p[2]), int(p[3]), int(p[4]))

    entries = []
    for line in git(a.repo, "ls-tree", "-r", POSTS_COMMIT, "post_data/").decode().splitlines():
        head, path = line.split("\t", 1)
        if path.endswith(".info"):
            entries.append((head.split()[2], path))
    cat = subprocess.Popen(["git", "-C", a.repo, "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    posts = {}
    for sha, path in entries:
        cat.stdin.write((sha + "\n").encode())
        cat.stdin.flush()
        size = int(cat.stdout.readline().split()[2])
        data = cat.stdout.read(size)
        cat.stdout.read(1)
        d = json.loads(data)
        # The file name is the dataset's key: <username>-<post id>.info.
        user, post_id = os.path.basename(path)[: -len(".info")].rsplit("-", 1)
        if user not in niche:
            continue
        edges = (d.get("edge_media_to_caption") or {}).get("edges") or []
        caption = edges[0]["node"]["text"] if edges else ""
        taken = d.get("taken_at_timestamp")
        likes = (d.get("edge_media_preview_like") or {}).get("count")
        posts[(user, post_id)] = (taken, likes, caption)
    cat.stdin.close()
    cat.wait()

    os.makedirs(os.path.join(a.out, "drop"), exist_ok=True)
    users = sorted({u for u, _ in posts})
    with open(os.path.join(a.out, "drop", "accounts.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["platform", "account_id", "handle", "followers", "following", "posts_count"])
        for u in users:
            w.writerow(["instagram", u, u, *meta[u]])
    with open(os.path.join(a.out, "drop", "posts.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["platform", "account_id", "post_id", "posted_at", "likes", "caption"])
        for (u, pid), (taken, likes, caption) in sorted(posts.items()):
            when = datetime.datetime.fromtimestamp(taken, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if taken else ""
            w.writerow(["instagram", u, pid, when, "" if likes is None else likes, caption])
    with open(os.path.join(a.out, "labels.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["platform", "account_id", "niche"])
        for u in users:
            w.writerow(["instagram", u, niche[u]])
    print(f"{len(users)} accounts, {len(posts)} posts -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
