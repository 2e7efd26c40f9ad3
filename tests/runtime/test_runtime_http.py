"""URLs: a real net/http/pprof server, and a Python server that misbehaves in every way."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner
from leaky_expect import EXPECTED_COUNTS, NOT_PROVABLE, PROVEN

from leaktrail.cli import main
from leaktrail.runtime import Form, InputError, group, load_snapshot
from leaktrail.runtime.fetch import goroutine_url, leak_url


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def counts(snapshot_groups: list[object]) -> dict[str, int]:
    out = {}
    for g in snapshot_groups:
        user = g.first_user_frame  # type: ignore[attr-defined]
        if user is not None and user.function in EXPECTED_COUNTS:
            out[user.function] = g.count  # type: ignore[attr-defined]
    return out


def test_urls() -> None:
    assert goroutine_url("http://127.0.0.1:6060") == "http://127.0.0.1:6060/debug/pprof/goroutine?debug=2"
    assert goroutine_url("http://h:1/debug/pprof/") == "http://h:1/debug/pprof/goroutine?debug=2"
    assert (
        goroutine_url("http://h:1/debug/pprof/goroutine?debug=1")
        == "http://h:1/debug/pprof/goroutine?debug=1"
    )
    assert leak_url("http://h:1/x?y") == "http://h:1/debug/pprof/goroutineleak?debug=1"


def test_base_url_means_debug2(leaky_server: str) -> None:
    snap = load_snapshot(leaky_server)
    assert snap.form is Form.DEBUG2
    assert counts(group(snap)) == EXPECTED_COUNTS
    # The HTTP server's own goroutines are there too, and are not leaks.
    snap1 = load_snapshot(leaky_server + "/debug/pprof/goroutine?debug=1")
    assert snap1.form is Form.DEBUG1
    assert counts(group(snap1)) == EXPECTED_COUNTS
    snap0 = load_snapshot(leaky_server + "/debug/pprof/goroutine?debug=0")
    assert snap0.form is Form.DEBUG0
    assert counts(group(snap0)) == EXPECTED_COUNTS


def test_leak_profile_flag(leaky_server: str) -> None:
    code, out, err = run("inspect", "--leak-profile", "--format", "json", leaky_server)
    assert code == 1, err
    doc = json.loads(out)
    leaked = {
        g["first_user_frame"]["function"]
        for g in doc["groups"]
        if g["classification"] == "leaked" and g["first_user_frame"]
    }
    assert leaked == PROVEN
    assert not doc["warnings"]
    # The server-side goroutines (accept loop, the connection serving us) are never leaks.
    for g in doc["groups"]:
        if g["first_user_frame"] is None or g["first_user_frame"]["function"] not in EXPECTED_COUNTS:
            assert g["classification"] in ("benign", "running", "blocked"), g
    not_proven = {
        g["first_user_frame"]["function"]
        for g in doc["groups"]
        if g["first_user_frame"] and g["first_user_frame"]["function"] in NOT_PROVABLE
    }
    assert not_proven == NOT_PROVABLE
    # The leak endpoint itself, in all three forms.
    for debug in (0, 1, 2):
        snap = load_snapshot(f"{leaky_server}/debug/pprof/goroutineleak?debug={debug}")
        leaked_counts = {k: v for k, v in counts([g for g in group(snap) if g.leaked]).items()}
        assert leaked_counts == {k: EXPECTED_COUNTS[k] for k in PROVEN}, debug


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/500", "HTTP 500 Internal Server Error: profile failed: boom"),
        ("/html", "unexpected Content-Type 'text/html'"),
        ("/htmlplain", "an HTML page, not a goroutine dump or profile"),
        ("/elsewhere", "refused redirect (302) to another host: http://127.0.0.2:1/"),
        ("/big", "response is larger than the 1048576-byte limit (--max-bytes)"),
        ("/bomb", "decompressed data exceeds the 1048576-byte limit (--max-bytes): a gzip bomb?"),
        ("/nothing-here", "HTTP 404 Not Found"),
    ],
)
def test_bad_endpoints(bad_server: str, path: str, message: str) -> None:
    url = bad_server + path
    code, out, err = run("inspect", "--max-bytes", "1M", "--timeout", "5", url)
    assert code == 2
    assert out == ""
    assert err.strip().splitlines() == [f"leaktrail: error: {url}: {err.split(': ', 3)[-1].strip()}"]
    assert message in err


def test_same_host_redirect_is_followed(bad_server: str) -> None:
    snap = load_snapshot(bad_server + "/samehost")
    assert snap.total == sum(EXPECTED_COUNTS.values()) + 1


@pytest.mark.parametrize(("path", "message"), [("/hang", "timed out"), ("/drip", "time limit reached")])
def test_hanging_endpoints_time_out(bad_server: str, path: str, message: str) -> None:
    start = time.monotonic()
    with pytest.raises(InputError, match=message):
        load_snapshot(bad_server + path, timeout=1.0)
    assert time.monotonic() - start < 10


def test_connection_refused() -> None:
    code, _, err = run("inspect", "--timeout", "2", "http://127.0.0.1:1")
    assert code == 2
    assert "cannot connect" in err


def test_one_bad_url_among_good_sources(bad_server: str, leaky_server: str) -> None:
    code, out, err = run("inspect", "--format", "json", bad_server + "/500", leaky_server)
    assert code == 2
    doc = json.loads(out)
    assert doc["source"].startswith(leaky_server)
    assert len(err.strip().splitlines()) == 1
