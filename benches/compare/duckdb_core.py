"""Core metrics of a drop with DuckDB (the data contract's definitions), for the benchmark.

Usage: python duckdb_core.py DROP_DIR AS_OF OUT_CSV [WINDOW]
Reads accounts*.csv, posts*.csv and followers*.csv; writes one row per account:
platform, account_id, followers, posts_in_window, avg_likes, median_likes, avg_comments,
median_comments, engagement_rate, follower_sample_size.
"""
import sys

import duckdb

drop, as_of, out = sys.argv[1], sys.argv[2], sys.argv[3]
window = int(sys.argv[4]) if len(sys.argv) > 4 else 12
con = duckdb.connect()
opts = "header=true, all_varchar=false, quote='\"', escape='\"'"
con.execute(f"""
COPY (
WITH accounts AS (
  SELECT platform, CAST(account_id AS VARCHAR) AS account_id, CAST(followers AS BIGINT) AS followers
  FROM read_csv('{drop}/accounts*.csv', {opts}, types={{'account_id': 'VARCHAR'}})
),
posts AS (
  SELECT platform, CAST(account_id AS VARCHAR) AS account_id, CAST(post_id AS VARCHAR) AS post_id,
         CAST(posted_at AS TIMESTAMPTZ) AS posted_at,
         CAST(likes AS BIGINT) AS likes, CAST(comments AS BIGINT) AS comments
  FROM read_csv('{drop}/posts-*.csv', {opts},
                types={{'account_id': 'VARCHAR', 'post_id': 'VARCHAR', 'posted_at': 'VARCHAR'}})
  WHERE CAST(posted_at AS TIMESTAMPTZ) <= TIMESTAMPTZ '{as_of}'
),
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY platform, account_id
                               ORDER BY posted_at DESC, post_id ASC) AS rn
  FROM posts
),
win AS (
  SELECT platform, account_id, count(*) AS posts_in_window,
         avg(likes) AS avg_likes, median(likes) AS median_likes,
         avg(comments) AS avg_comments, median(comments) AS median_comments
  FROM ranked WHERE rn <= {window} GROUP BY platform, account_id
),
fol AS (
  SELECT platform, CAST(account_id AS VARCHAR) AS account_id, count(*) AS follower_sample_size
  FROM read_csv('{drop}/followers-*.csv', {opts}, types={{'account_id': 'VARCHAR'}})
  GROUP BY platform, account_id
)
SELECT a.platform, a.account_id, a.followers,
       coalesce(w.posts_in_window, 0) AS posts_in_window,
       w.avg_likes, w.median_likes, w.avg_comments, w.median_comments,
       CASE WHEN a.followers > 0 AND w.avg_likes IS NOT NULL
            THEN (w.avg_likes + coalesce(w.avg_comments, 0)) / a.followers END AS engagement_rate,
       coalesce(f.follower_sample_size, 0) AS follower_sample_size
FROM accounts a
LEFT JOIN win w USING (platform, account_id)
LEFT JOIN fol f USING (platform, account_id)
ORDER BY a.platform, a.account_id
) TO '{out}' (HEADER, DELIMITER ',')
""")
