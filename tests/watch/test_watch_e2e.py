"""End to end: real Go services, a real `leaktrail watch` process, its database, metrics, webhook, report."""

from __future__ import annotations

import html
import re
import sqlite3

from watchtools import INTERVAL, WATCH_SECONDS, WatchRun


def _target_ids(db: sqlite3.Connection) -> dict[str, int]:
    return {url: tid for tid, url in db.execute("SELECT id, url FROM targets")}


def test_leaker_flagged_burster_not(watch_run: WatchRun) -> None:
    assert watch_run.returncode == 1, watch_run.stderr  # --fail-on-leak
    assert "Traceback" not in watch_run.stderr + watch_run.stdout
    growing = [line for line in watch_run.stdout.splitlines() if line.startswith("leaktrail: growing:")]
    assert growing, watch_run.stdout
    assert all(watch_run.leaker in line for line in growing), growing
    assert any("main.compute" in line and "chan send" in line for line in growing)
    # --source: the flagged group is explained by the static finding on the very line that blocks.
    assert any("explained by GL006 at " in line and "main.go:33" in line for line in growing), growing
    db = sqlite3.connect(watch_run.db)
    ids = _target_ids(db)
    alerts = db.execute("SELECT target_id, key, kind, ts FROM alerts WHERE kind = 'growing'").fetchall()
    assert {tid for tid, *_ in alerts} == {ids[watch_run.leaker]}
    # Flagged within a few samples of the leak starting (the first sample that shows the group).
    key, ts = alerts[0][1], alerts[0][3]
    seen = db.execute(
        "SELECT COUNT(*) FROM samples s JOIN group_counts c ON c.sample_id = s.id"
        " WHERE s.target_id = ? AND c.key = ? AND s.profile = 'goroutine' AND s.ts <= ?",
        (ids[watch_run.leaker], key, ts),
    ).fetchone()[0]
    assert 6 <= seen <= 10, seen
    # The burster did burst: its workers peaked far above the leaker's count at detection time.
    peak = db.execute(
        "SELECT MAX(c.count) FROM group_counts c JOIN samples s ON s.id = c.sample_id WHERE s.target_id = ?",
        (ids[watch_run.burster],),
    ).fetchone()[0]
    assert peak >= 150


def test_db_holds_every_sample(watch_run: WatchRun) -> None:
    db = sqlite3.connect(watch_run.db)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    ids = _target_ids(db)
    # The final view prints "[N samples, M errors, ...]" per target: the database holds exactly those.
    for url in (watch_run.leaker, watch_run.burster, watch_run.down, watch_run.hang, watch_run.garbage):
        m = re.search(re.escape(url) + r"\s.*?\[(\d+) samples, (\d+) errors", watch_run.stdout)
        assert m is not None, (url, watch_run.stdout)
        good, bad = int(m.group(1)), int(m.group(2))
        rows = db.execute(
            "SELECT SUM(error IS NULL), SUM(error IS NOT NULL) FROM samples"
            " WHERE target_id = ? AND profile = 'goroutine'",
            (ids[url],),
        ).fetchone()
        assert (rows[0] or 0, rows[1] or 0) == (good, bad), url
    # Healthy targets kept their cadence although three others were down, hanging or answering garbage.
    expected = WATCH_SECONDS / INTERVAL
    for url in (watch_run.leaker, watch_run.burster):
        n = db.execute(
            "SELECT COUNT(*) FROM samples WHERE target_id = ? AND error IS NULL", (ids[url],)
        ).fetchone()
        assert n[0] >= expected * 0.6, (url, n[0])
    errors = dict(
        db.execute(
            "SELECT t.url, MIN(s.error) FROM samples s JOIN targets t ON t.id = s.target_id"
            " WHERE s.error IS NOT NULL AND s.profile = 'goroutine' GROUP BY t.url"
        ).fetchall()
    )
    assert "cannot connect" in errors[watch_run.down]
    assert "timed out" in errors[watch_run.hang]
    assert "no goroutine dump or profile" in errors[watch_run.garbage]
    # Backoff: a failing target is polled far less often than a healthy one.
    for url in (watch_run.down, watch_run.hang, watch_run.garbage):
        n = db.execute("SELECT COUNT(*) FROM samples WHERE target_id = ?", (ids[url],)).fetchone()[0]
        assert 1 <= n <= 8, (url, n)
    # The leak profile was taken on its slower cadence, and proved the leak.
    leak_rows = db.execute(
        "SELECT COUNT(*) FROM samples WHERE target_id = ? AND profile = 'goroutineleak' AND error IS NULL",
        (ids[watch_run.leaker],),
    ).fetchone()[0]
    assert 1 <= leak_rows <= 3
    assert db.execute("SELECT COUNT(*) FROM alerts WHERE kind = 'leaked'").fetchone()[0] >= 1


def test_metrics_and_webhook(watch_run: WatchRun) -> None:
    m = watch_run.metrics
    assert f'leaktrail_goroutines{{target="{watch_run.leaker}"}}' in m
    assert re.search(r'leaktrail_growing_groups\{target="' + re.escape(watch_run.leaker) + r'"\} 1\.0', m)
    assert re.search(r'leaktrail_scrape_errors_total\{target="' + re.escape(watch_run.down) + r'"\} [1-9]', m)
    assert f'leaktrail_target_up{{target="{watch_run.garbage}"}} 0.0' in m
    assert 'function="main.compute"' in m
    kinds = {(h["kind"], h["target"]) for h in watch_run.hooks}
    assert ("growing", watch_run.leaker) in kinds
    assert not any(h["target"] == watch_run.burster and h["kind"] == "growing" for h in watch_run.hooks)
    hook = next(h for h in watch_run.hooks if h["kind"] == "growing")
    assert hook["function"] == "main.compute" and isinstance(hook["per_minute"], float)
    assert [(f["rule"], f["line"]) for f in hook["findings"]][:1] == [("GL006", 33)]  # type: ignore[union-attr]


def test_report_renders_both_histories(watch_run: WatchRun) -> None:
    assert watch_run.mid_report_rc == 0  # read while watch was writing
    page = watch_run.report.read_text()
    for url in (watch_run.leaker, watch_run.burster, watch_run.down):
        assert f"<h2>{html.escape(url)}</h2>" in page
    assert page.count('class="ts-chart"') >= 3
    assert "Groups flagged as growing (1)" in page
    assert "main.compute" in page
    assert "cannot connect" in page
    # Source snippet of the leaking line (the dump's paths are on this machine).
    assert "out &lt;- 42 // blocks forever" in page
    assert "explained by <b>GL006 abandoned-sender</b>" in page
    assert "http://" not in page.split("<body>", 1)[1].replace(watch_run.leaker, "").replace(
        watch_run.burster, ""
    ).replace(watch_run.down, "").replace(watch_run.hang, "").replace(watch_run.garbage, "").replace(
        "http://www.w3.org/2000/svg", ""
    )


def test_everything_from_a_dump_is_escaped(watch_run: WatchRun) -> None:
    for path in (watch_run.report, watch_run.inspect_html):
        page = path.read_text()
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page, path
        assert "&quot;&gt;&lt;img src=x onerror=&quot;window.__xss=2&quot;&gt;" in page, path
        assert "<img" not in page
        assert page.count("<script") == 1  # the page's own sorter
        assert "__xss" not in page.split("<script>", 1)[1]
    assert "explained by <b>GL006 abandoned-sender</b>" in watch_run.inspect_html.read_text()
