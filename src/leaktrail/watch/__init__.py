"""`leaktrail watch`: poll running services, keep their history, flag goroutine groups that keep growing.

The pieces are usable on their own: `trend` (Mann–Kendall + Theil–Sen), `history` (SQLite, WAL),
`poll` (one target, never raises), `watcher` (the loop), `alerts`, `metrics`, `view`.
"""

from leaktrail.watch.trend import DEFAULT_PARAMS, Trend, TrendParams, mann_kendall, theil_sen, trend

__all__ = ["DEFAULT_PARAMS", "Trend", "TrendParams", "mann_kendall", "theil_sen", "trend"]
