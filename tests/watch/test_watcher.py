"""The watch loop in-process against a Python server: detection, bad targets, backoff, webhook, CLI errors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from watchtools import FakeServer, hook_server

from leaktrail.cli import main
from leaktrail.watch.alerts import Alert, Webhook
from leaktrail.watch.durations import parse_duration
from leaktrail.watch.history import History, HistoryError, open_for_reading, open_for_writing, read_history
from leaktrail.watch.metrics import Metrics, parse_addr
from leaktrail.watch.poll import profile_url
from leaktrail.watch.trend import TrendParams
from leaktrail.watch.watcher import Watcher, WatchOptions


def test_profile_url() -> None:
    assert (
        profile_url("http://h:1", "/debug/pprof/goroutine", 0) == "http://h:1/debug/pprof/goroutine?debug=0"
    )
    assert (
        profile_url("http://h:1/debug/pprof/goroutine?debug=2", "/debug/pprof/goroutineleak", 1)
        == "http://h:1/debug/pprof/goroutineleak?debug=1"
    )
    assert (
        profile_url("http://h:1/admin/debug/pprof/", "/debug/pprof/goroutine", 1)
        == "http://h:1/admin/debug/pprof/goroutine?debug=1"
    )


def test_parsers() -> None:
    assert parse_duration("15s") == 15 and parse_duration("0.2s") == 0.2 and parse_duration("10m") == 600
    assert parse_duration("500ms") == 0.5 and parse_duration("2") == 2
    with pytest.raises(ValueError):
        parse_duration("soon")
    assert parse_addr("127.0.0.1:9464") == ("127.0.0.1", 9464)
    assert parse_addr(":9464") == ("127.0.0.1", 9464)
    assert parse_addr("[::1]:0") == ("::1", 0)
    with pytest.raises(ValueError):
        parse_addr("9464x")


def test_watcher_flags_the_climb_and_survives_bad_targets(tmp_path: Path, fake: FakeServer) -> None:
    alerts: list[Alert] = []
    errors: list[str] = []
    history = History(open_for_writing(tmp_path / "h.db"), {})
    targets = [fake.url + p for p in ("/grow", "/burst", "/flat", "/hang", "/garbage", "/nothing")]
    w = Watcher(
        targets,
        WatchOptions(interval=0.05, duration=2.5, timeout=0.3, leak_interval=0.5, trend=TrendParams()),
        history=history,
        on_alert=alerts.append,
        on_target_error=lambda t, e: errors.append(f"{t.url} {e}"),
    )
    start = time.monotonic()
    w.run()
    assert time.monotonic() - start < 3.5  # --duration holds although one target hangs
    history.close()
    growing = [a for a in alerts if a.kind == "growing"]
    assert [(a.target, a.function) for a in growing] == [(fake.url + "/grow", "main.leak")]
    assert growing[0].samples is not None and growing[0].samples <= 10
    assert w.leak_found
    by_url = {t.url: t for t in w.targets}
    assert by_url[fake.url + "/grow"].samples >= 25
    assert by_url[fake.url + "/burst"].samples >= 25
    assert not by_url[fake.url + "/burst"].flagged
    hang = by_url[fake.url + "/hang"]
    assert hang.samples == 0 and "timed out" in (hang.last_error or "")
    assert "no goroutine dump or profile" in (by_url[fake.url + "/garbage"].last_error or "")
    assert "HTTP 404" in (by_url[fake.url + "/nothing"].last_error or "")
    # Backoff: 2.5 s at 0.05 s would be 50 polls; a failing target gets a handful.
    assert by_url[fake.url + "/garbage"].errors <= 7
    assert len(errors) == 3  # one message per failure streak, not per poll
    # The goroutineleak endpoint 404s: asked once, then never again.
    assert by_url[fake.url + "/grow"].leak_served is False
    assert fake.hits.get("grow", 0) >= 25
    hist = {h.url: h for h in read_history(open_for_reading(tmp_path / "h.db"))}
    assert len(hist[fake.url + "/grow"].samples) == by_url[fake.url + "/grow"].samples
    assert [a.kind for a in hist[fake.url + "/grow"].alerts] == ["growing"]
    out = tmp_path / "only-grow.html"
    code, _, err = run_cli(
        "report", "--db", str(tmp_path / "h.db"), "--target", fake.url + "/grow", "-o", str(out)
    )
    assert code == 0, err
    page = out.read_text()
    assert f"<h2>{fake.url}/grow</h2>" in page and f"{fake.url}/burst" not in page


def test_webhook_retries_in_the_background() -> None:
    with hook_server(fail_first=2) as server:
        hook = Webhook(server.url, backoff=0.05)
        hook.send({"kind": "growing", "n": 1})
        hook.close(wait=5)
        assert server.attempts == 3
        assert server.received == [{"kind": "growing", "n": 1}]
        assert hook.sent == 1 and hook.failed == 0


def test_webhook_never_blocks_the_caller() -> None:
    with hook_server(delay=1.0) as server:
        failures: list[str] = []
        hook = Webhook(server.url, timeout=0.2, retries=1, backoff=0.05, on_error=failures.append)
        start = time.monotonic()
        for i in range(20):
            hook.send({"n": i})
        assert time.monotonic() - start < 0.1
        hook.close(wait=0.3)
        assert time.monotonic() - start < 1.0


def test_metrics_server() -> None:
    import urllib.request

    m = Metrics()
    host, port = m.serve("127.0.0.1:0")
    try:
        m.sample(
            "http://t",
            total=12,
            seconds=0.01,
            suspect=1,
            leaked=0,
            growing=1,
            groups=[("abc", "main.leak", "suspect", 10, 30.0)],
        )
        m.sample("http://t", total=2, seconds=0.01, suspect=0, leaked=0, growing=0, groups=[])
        m.error("http://down", 0.2)
        with urllib.request.urlopen(f"http://{host}:{port}/metrics", timeout=5) as r:
            text = r.read().decode()
    finally:
        m.close()
    assert 'leaktrail_goroutines{target="http://t"} 2.0' in text
    assert "main.leak" not in text  # a group that disappeared loses its series
    assert 'leaktrail_scrape_errors_total{target="http://down"} 1.0' in text


def run_cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "h.db")
    code, _, err = run_cli("watch", "ftp://x", "--db", db)
    assert code == 2 and "not an http(s) URL" in err
    code, _, err = run_cli("watch", "http://127.0.0.1:1", "--interval", "fast", "--db", db)
    assert code == 2 and "duration" in err
    code, _, err = run_cli(
        "watch", "http://127.0.0.1:1", "--metrics-addr", "nope", "--db", db, "--duration", "1s"
    )
    assert code == 2 and "--metrics-addr" in err
    code, _, err = run_cli(
        "watch", "http://127.0.0.1:1", "--interval", "0.1s", "--duration", "0.5s", "--db", db
    )
    assert code == 2 and "no target answered" in err and "Traceback" not in err
    code, _, err = run_cli("report", "--db", str(tmp_path / "missing.db"), "-o", str(tmp_path / "r.html"))
    assert code == 2 and "no such history database" in err


def test_report_of_an_empty_history(tmp_path: Path) -> None:
    History(open_for_writing(tmp_path / "h.db"), {}).close()
    out = tmp_path / "r.html"
    code, _, err = run_cli("report", "--db", str(tmp_path / "h.db"), "-o", str(out))
    assert code == 0, err
    assert "holds no samples" in out.read_text()


def test_a_history_that_fails_is_a_warning(tmp_path: Path, fake: FakeServer) -> None:
    class Broken(History):
        def add_sample(self, *args: object, **kwargs: object) -> int:
            raise HistoryError("cannot write the history: database or disk is full")

    warnings: list[str] = []
    w = Watcher(
        [fake.url + "/flat"],
        WatchOptions(interval=0.05, duration=0.5, leak_interval=None),
        history=Broken(open_for_writing(tmp_path / "h.db"), {}),
        on_warning=warnings.append,
    )
    w.run()
    assert w.targets[0].samples >= 3
    assert len(warnings) == 1 and "disk is full" in warnings[0]
    assert w.history_errors == w.targets[0].samples
