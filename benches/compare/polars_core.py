"""Core metrics of a drop with Polars (the data contract's definitions), for the benchmark.

Usage: python polars_core.py DROP_DIR AS_OF OUT_CSV [WINDOW]
Same output as duckdb_core.py: one row per account with platform, account_id, followers,
posts_in_window, avg_likes, median_likes, avg_comments, median_comments, engagement_rate,
follower_sample_size.
"""
import sys
from datetime import datetime

import polars as pl

drop, as_of, out = sys.argv[1], sys.argv[2], sys.argv[3]
window = int(sys.argv[4]) if len(sys.argv) > 4 else 12
cutoff = datetime.fromisoformat(as_of.replace("Z", "+00:00"))
text = {"account_id": pl.Utf8, "post_id": pl.Utf8, "posted_at": pl.Utf8}

accounts = pl.scan_csv(f"{drop}/accounts*.csv", schema_overrides={"account_id": pl.Utf8}).select(
    "platform", "account_id", pl.col("followers").cast(pl.Int64)
)
posts = (
    pl.scan_csv(f"{drop}/posts-*.csv", schema_overrides=text)
    .select(
        "platform",
        "account_id",
        "post_id",
        pl.col("posted_at").str.to_datetime(time_zone="UTC"),
        pl.col("likes").cast(pl.Int64),
        pl.col("comments").cast(pl.Int64),
    )
    .filter(pl.col("posted_at") <= cutoff)
    .sort(["platform", "account_id", "posted_at", "post_id"], descending=[False, False, True, False])
    .group_by(["platform", "account_id"], maintain_order=True)
    .head(window)
    .group_by(["platform", "account_id"])
    .agg(
        pl.len().alias("posts_in_window"),
        pl.col("likes").mean().alias("avg_likes"),
        pl.col("likes").median().alias("median_likes"),
        pl.col("comments").mean().alias("avg_comments"),
        pl.col("comments").median().alias("median_comments"),
    )
)
followers = (
    pl.scan_csv(f"{drop}/followers-*.csv", schema_overrides={"account_id": pl.Utf8})
    .group_by(["platform", "account_id"])
    .agg(pl.len().alias("follower_sample_size"))
)
result = (
    accounts.join(posts, on=["platform", "account_id"], how="left")
    .join(followers, on=["platform", "account_id"], how="left")
    .with_columns(
        pl.col("posts_in_window").fill_null(0),
        pl.col("follower_sample_size").fill_null(0),
        pl.when((pl.col("followers") > 0) & pl.col("avg_likes").is_not_null())
        .then((pl.col("avg_likes") + pl.col("avg_comments").fill_null(0)) / pl.col("followers"))
        .alias("engagement_rate"),
    )
    .select(
        "platform", "account_id", "followers", "posts_in_window", "avg_likes", "median_likes",
        "avg_comments", "median_comments", "engagement_rate", "follower_sample_size",
    )
    .sort(["platform", "account_id"])
    .collect()
)
result.write_csv(out)
