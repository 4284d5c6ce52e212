#!/usr/bin/env python3
"""Writes the bad-input corpus: one folder per case under cases/, each a drop (drop/) and
the exact outcome (expect.json). tests/bad_inputs.rs runs the real binary on every case.

Rerun after editing: python3 tests/bad_inputs/make_corpus.py
"""
import gzip, json, os, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cases")

ACC_H = "platform,account_id,handle,display_name,bio,followers,following,is_verified,snapshot_at"
ACC = [
    "instagram,a1,first,First,Mum of two,5000,300,false,2026-11-24T00:00:00Z",
    "instagram,a2,second,Second,,12000,,true,",
]
POST_H = "platform,account_id,post_id,posted_at,likes,comments,views,caption"
POSTS = [
    "instagram,a1,p1,2026-11-01T10:00:00Z,120,8,,hello",
    "instagram,a1,p2,2026-11-02T10:00:00Z,,5,,hidden likes",
    "instagram,a2,p3,2026-11-03 10:00:00,300,20,900,a video",
]
FOL_H = "platform,account_id,follower_handle,follower_is_private,follower_followers,follower_following"
FOL = [
    "instagram,a1,anna.b,true,300,280",
    "instagram,a1,bot123456,false,3,2100",
]

cases = []


def case(name, files, rejected=(), accounting=None, exit=0, error=()):
    """files: name -> text or bytes. rejected: (file, line, record, table, reason part)."""
    cases.append(dict(name=name, files=files, rejected=list(rejected),
                      accounting=accounting, exit=exit, error=list(error)))


def csv(header, rows):
    return header + "\n" + "\n".join(rows) + "\n"


def base(accounts=None, posts=None, followers=None, extra=None):
    files = {
        "accounts.csv": csv(ACC_H, ACC if accounts is None else accounts),
        "posts.csv": csv(POST_H, POSTS if posts is None else posts),
    }
    if followers is not None:
        files["followers.csv"] = csv(FOL_H, followers)
    files.update(extra or {})
    return files


def acc_row(**kw):
    vals = dict(platform="instagram", account_id="a3", handle="third", display_name="",
                bio="", followers="700", following="", is_verified="", snapshot_at="")
    vals.update(kw)
    return ",".join(vals[c] for c in ACC_H.split(","))


def post_row(**kw):
    vals = dict(platform="instagram", account_id="a1", post_id="px", posted_at="2026-11-05T00:00:00Z",
                likes="10", comments="1", views="", caption="")
    vals.update(kw)
    return ",".join(vals[c] for c in POST_H.split(","))


# Accounts: one bad row appended (line 4), the two good ones kept.
A = lambda bad, reason: (base(accounts=ACC + [bad]), [("accounts.csv", 4, None, "accounts", reason)], {"accounts": [3, 2, 1], "posts": [3, 3, 0]})
for name, bad, reason in [
    ("accounts-negative-followers", acc_row(followers="-40"), 'column `followers`: "-40" is negative'),
    ("accounts-words-for-followers", acc_row(followers="lots"), 'column `followers`: "lots" is not a number'),
    ("accounts-fractional-followers", acc_row(followers="12.5"), 'column `followers`: "12.5" is not a whole number'),
    ("accounts-empty-handle", acc_row(handle=""), "required field `handle` is empty"),
    ("accounts-empty-account-id", acc_row(account_id=""), "required field `account_id` is empty"),
    ("accounts-empty-followers", acc_row(followers=""), "required field `followers` is empty"),
    ("accounts-unknown-platform", acc_row(platform="myspace"), 'column `platform`: "myspace" is not a known platform'),
    ("accounts-duplicate", acc_row(account_id="a1"), "duplicate account: instagram account_id `a1` appeared earlier"),
    ("accounts-bad-boolean", acc_row(is_verified="maybe"), 'column `is_verified`: "maybe" is not a boolean'),
    ("accounts-bad-snapshot", acc_row(snapshot_at="31/12/2026"), 'column `snapshot_at`: "31/12/2026" is not a timestamp'),
    ("accounts-negative-following", acc_row(following="-1"), 'column `following`: "-1" is negative'),
    ("accounts-too-many-fields", acc_row() + ",extra", "wrong number of fields: 10 where the header has 9"),
    ("accounts-too-few-fields", "instagram,a3,third", "wrong number of fields: 3 where the header has 9"),
]:
    files, rej, accounting = A(bad, reason)
    case(name, files, rej, accounting)

# Invalid UTF-8 (bytes), in a scored column and in one scoring ignores.
acc_bytes = (csv(ACC_H + ",notes", [r + "," for r in ACC]).encode()
             + b"instagram,a3,third,,caf\xe9 au lait,700,,,,\n"
             + b"instagram,a4,fourth,,,800,,,,caf\xe9\n")
case("accounts-invalid-utf8", {"accounts.csv": acc_bytes, "posts.csv": csv(POST_H, POSTS)},
     [("accounts.csv", 4, None, "accounts", "invalid UTF-8 in column `bio`"),
      ("accounts.csv", 5, None, "accounts", "invalid UTF-8 in column `(an ignored column)`")],
     {"accounts": [4, 2, 2], "posts": [3, 3, 0]})

# Posts: one bad row appended (line 5).
P = lambda bad, reason: (base(posts=POSTS + [bad]), [("posts.csv", 5, None, "posts", reason)], {"accounts": [2, 2, 0], "posts": [4, 3, 1]})
for name, bad, reason in [
    ("posts-negative-likes", post_row(likes="-5"), 'column `likes`: "-5" is negative'),
    ("posts-words-for-comments", post_row(comments="many"), 'column `comments`: "many" is not a number'),
    ("posts-timestamp-after-9999", post_row(posted_at="9223372036854775807"), 'column `posted_at`: "9223372036854775807" is outside the years 1970 to 9999'),
    ("posts-bad-timestamp", post_row(posted_at="last tuesday"), 'column `posted_at`: "last tuesday" is not a timestamp'),
    ("posts-impossible-date", post_row(posted_at="2026-02-30 10:00:00"), 'column `posted_at`: "2026-02-30 10:00:00" is not a timestamp'),
    ("posts-empty-timestamp", post_row(posted_at=""), "required field `posted_at` is empty"),
    ("posts-unknown-account", post_row(account_id="nobody"), "post of unknown account: instagram account_id `nobody`"),
    ("posts-duplicate-id", post_row(post_id="p1"), "duplicate post: instagram post_id `p1` appeared earlier"),
    ("posts-wrong-field-count", "instagram,a1,px,2026-11-05", "wrong number of fields: 4 where the header has 8"),
    ("posts-negative-views", post_row(views="-3"), 'column `views`: "-3" is negative'),
    ("posts-unknown-platform", post_row(platform="friendster"), 'column `platform`: "friendster" is not a known platform'),
    ("posts-scientific-notation", post_row(likes="1e3"), 'column `likes`: "1e3" is not a number'),
    ("posts-empty-post-id", post_row(post_id=""), "required field `post_id` is empty"),
]:
    files, rej, accounting = P(bad, reason)
    case(name, files, rej, accounting)

# A hidden like count is not a fault: accepted, and never 0.
case("posts-hidden-likes-accepted", base(posts=POSTS + [post_row(likes="")]), [],
     {"accounts": [2, 2, 0], "posts": [4, 4, 0]})

# Comments hidden or turned off (data contract, 2026-11-30): accepted, never 0.
case("posts-empty-comments-accepted", base(posts=POSTS + [post_row(comments="")]), [],
     {"accounts": [2, 2, 0], "posts": [4, 4, 0]})

# All-digit timestamps above 10^11 are Unix milliseconds (data contract, 2026-11-30).
case("posts-millisecond-timestamp-accepted", base(posts=POSTS + [post_row(posted_at="1795199400000")]), [],
     {"accounts": [2, 2, 0], "posts": [4, 4, 0]})

# Duplicate post ids across two files: the first file's row is kept.
case("posts-duplicate-across-files",
     {"accounts.csv": csv(ACC_H, ACC), "posts-0001.csv": csv(POST_H, POSTS),
      "posts-0002.csv": csv(POST_H, [post_row(post_id="p3", account_id="a2")])},
     [("posts-0002.csv", 2, None, "posts", "duplicate post: instagram post_id `p3` appeared earlier")],
     {"accounts": [2, 2, 0], "posts": [4, 3, 1]})

case("posts-invalid-utf8", {"accounts.csv": csv(ACC_H, ACC),
     "posts.csv": csv(POST_H, POSTS).encode() + b"instagram,a1,p9,2026-11-05,1,1,,\xff\xfe bad\n"},
     [("posts.csv", 5, None, "posts", "invalid UTF-8 in column `caption`")],
     {"accounts": [2, 2, 0], "posts": [4, 3, 1]})

# Followers.
F = lambda bad, reason: (base(followers=FOL + [bad]), [("followers.csv", 4, None, "followers", reason)], {"accounts": [2, 2, 0], "posts": [3, 3, 0], "followers": [3, 2, 1]})
for name, bad, reason in [
    ("followers-unknown-account", "instagram,zz,someone,true,10,10", "follower of unknown account: instagram account_id `zz`"),
    ("followers-duplicate", "instagram,a1,anna.b,true,300,280", "duplicate follower: `anna.b` is already in the sample of instagram account `a1`"),
    ("followers-bad-boolean", "instagram,a1,cara,sometimes,10,10", 'column `follower_is_private`: "sometimes" is not a boolean'),
    ("followers-negative-count", "instagram,a1,cara,true,-10,10", 'column `follower_followers`: "-10" is negative'),
    ("followers-empty-handle", "instagram,a1,,true,10,10", "required field `follower_handle` is empty"),
]:
    files, rej, accounting = F(bad, reason)
    case(name, files, rej, accounting)

# NDJSON posts.
good_json = [json.dumps(dict(platform="instagram", account_id="a1", post_id=f"j{i}", posted_at=1793527200 + i, likes=10, comments=1)) for i in range(2)]
for name, bad, reason in [
    ("ndjson-not-json", "{platform: instagram}", "not valid JSON"),
    ("ndjson-array-line", "[1, 2, 3]", "not a JSON object"),
    ("ndjson-object-field", json.dumps(dict(platform="instagram", account_id="a1", post_id="j9", posted_at=1793527200, likes={"n": 1}, comments=1)), "column `likes` holds a JSON array or object"),
    ("ndjson-truncated", '{"platform": "instagram", "account_id": "a1", "post_id": "j9", "posted_at": 17935', "truncated JSON"),
    ("ndjson-negative", json.dumps(dict(platform="instagram", account_id="a1", post_id="j9", posted_at=1793527200, likes=-2, comments=1)), 'column `likes`: "-2" is negative'),
]:
    case(name, {"accounts.csv": csv(ACC_H, ACC), "posts.ndjson": "\n".join(good_json + [bad]) + "\n"},
         [("posts.ndjson", 3, None, "posts", reason)], {"accounts": [2, 2, 0], "posts": [3, 2, 1]})
case("ndjson-invalid-utf8", {"accounts.csv": csv(ACC_H, ACC), "posts.ndjson": ("\n".join(good_json) + "\n").encode() + b'{"caption": "\xff"}\n'},
     [("posts.ndjson", 3, None, "posts", "invalid UTF-8")], {"accounts": [2, 2, 0], "posts": [3, 2, 1]})

# Compressed files.
many = [post_row(post_id=f"t{i}", likes=str(i % 90)) for i in range(4000)]
gz = gzip.compress(csv(POST_H, many).encode(), mtime=0)
case("gzip-truncated", {"accounts.csv": csv(ACC_H, ACC), "posts.csv.gz": gz[: len(gz) // 2]},
     [("posts.csv.gz", None, None, "posts", "the gzip data ends early or is corrupt")], None)

# Mixes.
case("mix-posts-several-faults", base(posts=POSTS + [
        post_row(post_id="m1", likes="-1"),
        post_row(post_id="m2", posted_at="yesterday"),
        post_row(post_id="m3", account_id="ghost"),
        post_row(post_id="p2"),
        post_row(post_id="m5", comments="1.5"),
        post_row(post_id="m6"),
    ]),
    [("posts.csv", 5, None, "posts", 'column `likes`: "-1" is negative'),
     ("posts.csv", 6, None, "posts", 'column `posted_at`: "yesterday" is not a timestamp'),
     ("posts.csv", 7, None, "posts", "post of unknown account: instagram account_id `ghost`"),
     ("posts.csv", 8, None, "posts", "duplicate post: instagram post_id `p2`"),
     ("posts.csv", 9, None, "posts", 'column `comments`: "1.5" is not a whole number')],
    {"accounts": [2, 2, 0], "posts": [9, 4, 5]})
case("mix-rejected-account-orphans-its-posts", base(
        accounts=ACC + [acc_row(account_id="a3", followers="-5")],
        posts=POSTS + [post_row(account_id="a3", post_id="q1"), post_row(account_id="a3", post_id="q2")]),
    [("accounts.csv", 4, None, "accounts", 'column `followers`: "-5" is negative'),
     ("posts.csv", 5, None, "posts", "post of unknown account: instagram account_id `a3`"),
     ("posts.csv", 6, None, "posts", "post of unknown account: instagram account_id `a3`")],
    {"accounts": [3, 2, 1], "posts": [5, 3, 2]})
case("mix-duplicate-account-keeps-the-first", base(
        accounts=ACC + [acc_row(account_id="a2", handle="impostor", followers="1")]),
    [("accounts.csv", 4, None, "accounts", "duplicate account: instagram account_id `a2`")],
    {"accounts": [3, 2, 1], "posts": [3, 3, 0]})
case("mix-quoted-fields-and-bom", {
        "accounts.csv": "\ufeff" + csv(ACC_H, ACC + ['instagram,a3,"third, the",,"line one\nline two",700,,,']),
        "posts.csv": csv(POST_H, POSTS + ['instagram,a3,"q,1",2026-11-05,"1,234",2,,"she said ""hi"""'])},
    [], {"accounts": [3, 3, 0], "posts": [4, 4, 0]})

# Files that cannot be used at all: the run stops before writing anything (exit 1).
# NDJSON: keys that name one column are an error for that record, not a silent overwrite;
# a byte-order mark does not cost the first record.
case("ndjson-colliding-keys", {"accounts.csv": csv(ACC_H, ACC), "posts.ndjson":
     '{"platform": "instagram", "account_id": "a1", "post_id": "n1", "posted_at": "2026-11-01T00:00:00Z", "likes": 5, "comments": 1}\n'
     '{"platform": "instagram", "account_id": "a1", "post_id": "n2", "posted_at": "2026-11-01T00:00:00Z", "likes": 5, "Likes": 900, "comments": 1}\n'},
     [("posts.ndjson", 2, None, "posts", "keys `Likes` and `likes` both name column `likes`")],
     {"accounts": [2, 2, 0], "posts": [2, 1, 1]})
case("ndjson-with-bom", {"accounts.csv": csv(ACC_H, ACC), "posts.ndjson":
     '\ufeff{"platform": "instagram", "account_id": "a1", "post_id": "n1", "posted_at": "2026-11-01T00:00:00Z", "likes": 5, "comments": 1}\n'},
     [], {"accounts": [2, 2, 0], "posts": [1, 1, 0]})
case("json-export-with-bom", base(extra={"export.json": '\ufeff' + json.dumps({"kind": "youtube#videoListResponse", "items": []})}),
     [], {"accounts": [2, 2, 0], "posts": [3, 3, 0]})

case("fatal-missing-column", base(extra={"posts.csv": "platform,account_id,post_id,likes,comments\ninstagram,a1,x,1,2\n"}),
     exit=1, error=["posts.csv", "missing required column `posted_at`"])
case("fatal-no-accounts", {"posts.csv": csv(POST_H, POSTS)}, exit=1, error=["has no accounts file"])
case("fatal-unknown-file-type", base(extra={"export.xlsx": b"PK\x03\x04"}), exit=1, error=["export.xlsx", "unknown file type"])
case("fatal-duplicate-column", base(extra={"posts.csv": "platform,account_id,post_id,posted_at,likes,Likes,comments\n"}),
     exit=1, error=["posts.csv", "column `likes` appears twice"])
case("fatal-empty-file", base(extra={"posts.csv": ""}), exit=1, error=["posts.csv", "the file is empty"])
case("fatal-empty-ndjson", base(extra={"posts.csv": None, "posts.ndjson": "\n \n"}), exit=1, error=["posts.ndjson", "the file is empty"])
case("fatal-empty-json", base(extra={"export.json": ""}), exit=1, error=["export.json", "the file is empty"])
case("fatal-ndjson-missing-column", base(extra={"posts.csv": None, "posts.ndjson": '{"platform": "instagram", "account_id": "a1", "post_id": "n1", "likes": 5}\n'}),
     exit=1, error=["posts.ndjson", "missing required column `posted_at`"])
case("fatal-every-account-rejected", base(accounts=[acc_row(followers="-1"), acc_row(account_id="a4", followers="many")]),
     exit=1, error=["no usable account", "2 account rows were read"])
case("fatal-unknown-json", base(extra={"export.json": '{"hello": 1}'}), exit=1, error=["export.json", "no known export"])
case("fatal-corrupt-zstd", base(extra={"posts.csv": None, "posts.csv.zst": b"this is not zstd at all"}), exit=1, error=["posts.csv.zst"])
case("fatal-unnamed-file", base(extra={"stuff.csv": csv(POST_H, POSTS)}), exit=1, error=["stuff.csv", "does not say which table"])

# Feeds (XML): a blog, its posts, and what can go wrong with them. Appended, so the
# numbers of the cases above stay.
FEED = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:slash="http://purl.org/rss/1.0/modules/slash/">'
        '<channel><title>Calm Kids</title><link>https://calmkids.example/</link>'
        '<item><title>Big feelings</title><guid>https://calmkids.example/?p=1</guid>'
        '<pubDate>Mon, 02 Nov 2026 10:00:00 +0000</pubDate><slash:comments>7</slash:comments></item>'
        '<item><title>Bedtime</title><guid>https://calmkids.example/?p=2</guid>'
        '<pubDate>Tue, 03 Nov 2026 10:00:00 +0000</pubDate><slash:comments>4</slash:comments></item>'
        '</channel></rss>\n')
case("feed-accepted-blog-without-followers", base(extra={"feed.xml": FEED}), [],
     {"accounts": [3, 3, 0], "posts": [5, 5, 0]})
case("feed-truncated", base(extra={"feed.xml": FEED[: FEED.index("<title>Bedtime") + 10]}),
     [("feed.xml", None, 0, "accounts", "truncated XML (it ends inside <rss>)")],
     {"accounts": [3, 2, 1], "posts": [3, 3, 0]})
case("feed-not-utf8", base(extra={"feed.xml": FEED.replace("Calm Kids", "Calm Kids caf\u00e9").encode("latin-1")}),
     [("feed.xml", None, 0, "accounts", "not UTF-8")],
     {"accounts": [3, 2, 1], "posts": [3, 3, 0]})
case("feed-latin1-declared-accepted", base(extra={"feed.xml": FEED.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace("Calm Kids", "Calm Kids caf\u00e9").encode("latin-1")}),
     [], {"accounts": [3, 3, 0], "posts": [5, 5, 0]})
case("feed-billion-laughs", base(extra={"feed.xml": '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + FEED.split("?>", 1)[1].replace("Calm Kids", "&b;")}),
     [("feed.xml", None, 0, "accounts", "declares entities")],
     {"accounts": [3, 2, 1], "posts": [3, 3, 0]})
case("feed-bad-date-and-comment-feed-item", base(extra={"feed.xml": FEED.replace("Tue, 03 Nov 2026 10:00:00 +0000", "next tuesday").replace(
        "</channel>", "<item><title>Re: Bedtime</title><link>https://calmkids.example/bedtime/#comment-12</link><pubDate>Tue, 03 Nov 2026 11:00:00 +0000</pubDate></item></channel>")}),
     [("feed.xml", None, 1, "posts", "posted_at"), ("feed.xml", None, 2, "comments", "unknown post")],
     {"accounts": [3, 3, 0], "posts": [5, 4, 1], "comments": [1, 0, 1]})
case("accounts-blog-empty-followers-accepted", base(accounts=ACC + [acc_row(platform="blog", account_id="calmkids.example", handle="calmkids.example", followers="")]),
     [], {"accounts": [3, 3, 0], "posts": [3, 3, 0]})
case("fatal-unknown-xml", base(extra={"page.xml": "<html><body>hello</body></html>"}), exit=1, error=["page.xml", "of no known export"])
case("fatal-not-xml", base(extra={"feed.rss": "hello, this is not a feed"}), exit=1, error=["feed.rss", "not XML"])

COM_H = "platform,account_id,post_id,comment_id,commenter_handle,text,commented_at,likes,reply_to"
case("comments-orphans-owners-duplicates-and-bad-values", base(extra={"comments.csv": csv(COM_H, [
        "instagram,,p1,c1,anna,Love this,2026-11-01T11:00:00Z,2,",
        "instagram,,p9,c2,anna,on a post that is not here,,,",
        "instagram,a2,p1,c3,bob,p1 is a1's post,,,",
        "instagram,,p1,c1,anna,Love this again,,,",
        "instagram,,p2,c4,bob,hi,yesterday,,",
        "instagram,,p3,c5,bob,hi,,-1,",
        "instagram,,p3,,bob,no id,,,",
        "instagram,a2,p3,c6,carol,so true,,,c5",
    ])}),
     [("comments.csv", 3, None, "comments", "comment on unknown post: instagram post_id `p9`"),
      ("comments.csv", 4, None, "comments", "comment of another account's post"),
      ("comments.csv", 5, None, "comments", "duplicate comment: instagram comment_id `c1`"),
      ("comments.csv", 6, None, "comments", "commented_at"),
      ("comments.csv", 7, None, "comments", "likes"),
      ("comments.csv", 8, None, "comments", "comment_id")],
     {"accounts": [2, 2, 0], "posts": [3, 3, 0], "comments": [8, 2, 6]})
case("fatal-comments-without-comment-id", base(extra={"comments.csv": "platform,post_id,text\ninstagram,p1,hello\n"}),
     exit=1, error=["comments.csv", "comment_id"])

shutil.rmtree(OUT, ignore_errors=True)
for i, c in enumerate(cases, 1):
    d = os.path.join(OUT, f"{i:02d}-{c['name']}")
    os.makedirs(os.path.join(d, "drop"))
    for fname, content in c["files"].items():
        if content is None:
            continue
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(os.path.join(d, "drop", fname), mode, **({} if mode == "wb" else {"newline": ""})) as f:
            f.write(content)
    expect = {k: c[k] for k in ("exit", "error", "accounting")}
    expect["rejected"] = [dict(file=f, line=l, record=r, table=t, reason=reason) for f, l, r, t, reason in c["rejected"]]
    with open(os.path.join(d, "expect.json"), "w") as f:
        json.dump(expect, f, indent=2, ensure_ascii=False)
        f.write("\n")
print(f"{len(cases)} cases in {OUT}")
