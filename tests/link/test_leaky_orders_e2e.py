"""End to end, real processes and real HTTP: build examples/leaky-orders, drive every endpoint, and check
that `leaktrail inspect --leak-profile --source` finds each planted leak with the right count, verdict,
rule and line; that `leaktrail diff` sees the growth; and that the fixed service leaks nothing."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gotools import REPO, go_env, run_go
from leaktrail.link.tree import SourceTree
from leaktrail.runtime import group, load_snapshot

EXAMPLE = REPO / "examples" / "leaky-orders"
SOURCE = "examples/leaky-orders"
PKG = "example.com/leaky-orders/orders"
N = 100  # requests per endpoint: enough for the groups the leak detector cannot prove to be suspect
MORE = 20  # requests per endpoint between the two snapshots of the diff


@dataclass(frozen=True)
class Planted:
    endpoint: str
    per_request: int
    function: str
    """Where the goroutines park (first user frame)."""
    rule: str
    file: str
    snippet: str
    """The first line of `file` containing this is where the rule reports."""

    @property
    def line(self) -> int:
        lines = (EXAMPLE / self.file).read_text().splitlines()
        return next(i for i, t in enumerate(lines, 1) if self.snippet in t)

    @property
    def path(self) -> str:
        return f"{SOURCE}/{self.file}"


PLANTED = [
    Planted("/subscribe", 1, "(*Service).listen", "GL001", "orders/listen.go", "for ev := range ch {"),
    Planted("/track", 1, "(*Service).follow", "GL002", "orders/track.go", "ctx, _ := context.WithCancel("),
    Planted("/reserve", 3, "(*Service).reserve.func1", "GL003", "orders/reserve.go", "wg.Add(1)"),
    Planted("/ship", 1, "(*Service).ship.func2", "GL004", "orders/ship.go", "\t\t\t\treturn"),
    Planted("/watch", 1, "(*Service).watch.func1", "GL005", "orders/watch.go", "select {"),
    Planted("/quote", 1, "(*Service).quote.func1", "GL006", "orders/quote.go", "prices <- lookupPrice(sku)"),
    Planted("/pay", 1, "(*Service).awaitPayment", "GL012", "orders/pay.go", "<-time.After(paymentPoll)"),
    Planted("/refresh", 1, "(*Service).startRefresh.func1", "GL007", "orders/refresh.go", "go func() {"),
    Planted("/receipt", 1, "(*Service).send", "GL009", "orders/receipt.go", "go func() {"),
    Planted("/report", 1, "(*replicaConn).QueryContext", "GL010", "orders/report.go", "s.db.QueryRow("),
    Planted("/import", 4, "(*Service).importLines.func1", "GL007", "orders/import.go", "go func() {"),
]
# /report hangs until the client gives up (that is the leak): the client's patience.
REPORT_TIMEOUT = 0.25


@pytest.fixture(scope="module")
def binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("leaky-orders") / "leaky-orders"
    proc = run_go(["build", "-o", str(out), "."], cwd=EXAMPLE, timeout=300)
    assert proc.returncode == 0, f"examples/leaky-orders does not build:\n{proc.stderr}"
    return out


def _serve(binary: Path, *flags: str) -> Iterator[str]:
    proc = subprocess.Popen(
        [str(binary), "-addr", "127.0.0.1:0", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=go_env(),
    )
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 20)
        assert ready, "leaky-orders did not start"
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("listening on http://127.0.0.1:"), line + (
            proc.stderr.read() if proc.stderr else ""
        )
        yield line.split()[-1]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def leaky(binary: Path) -> Iterator[str]:
    yield from _serve(binary)


@pytest.fixture
def fixed(binary: Path) -> Iterator[str]:
    yield from _serve(binary, "-fixed")


def _get(url: str) -> None:
    timeout = REPORT_TIMEOUT if "/report" in url else 10
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            resp.read()
    except urllib.error.HTTPError as exc:  # /quote answers 504 by design
        exc.read()
    except TimeoutError:
        assert "/report" in url, url


def drive(base: str, n: int, first_id: int = 0) -> None:
    urls = [f"{base}{p.endpoint}?id={first_id + i}" for p in PLANTED for i in range(n)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(_get, urls))


def parked(base: str) -> dict[str, int]:
    """Goroutines per first user frame in the service's package (debug=1: a cheap, bounded pause)."""
    counts: dict[str, int] = {}
    for g in group(load_snapshot(f"{base}/debug/pprof/goroutine?debug=1")):
        f = g.first_user_frame
        if f is not None and f.function.startswith(PKG + "."):
            name = f.function[len(PKG) + 1 :]
            counts[name] = counts.get(name, 0) + g.count
    return counts


def settle(base: str, want: dict[str, int], deadline: float = 15) -> dict[str, int]:
    """Wait until the late goroutines (a quote's sender sleeps 20ms before it blocks) are where they park."""
    end = time.monotonic() + deadline
    while True:
        got = parked(base)
        if got == want or time.monotonic() > end:
            return got
        time.sleep(0.1)


def leaktrail(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LEAKTRAIL_CACHE_DIR=str(cache), NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "leaktrail", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_scan_finds_every_planted_pattern_and_nothing_in_the_fixed_paths(tmp_path: Path) -> None:
    proc = leaktrail("scan", SOURCE, "--format", "json", "--fail-on", "info", cache=tmp_path)
    assert proc.returncode == 1, proc.stderr
    found = {(f["rule"], f["path"], f["line"]) for f in json.loads(proc.stdout)["findings"]}
    missing = {(p.rule, p.path, p.line) for p in PLANTED} - found
    assert not missing, f"planted patterns not found: {sorted(missing)}"
    tree = SourceTree.load(EXAMPLE)
    for rule, path, line in found:
        info = tree.file(REPO / path)
        assert info is not None
        decl = info.declaration(line)
        text = info.line_text(line) or ""
        assert decl is not None, (rule, path, line)
        assert not decl.name.endswith(("Fixed", "UntilClosed")) and "Fixed(" not in text, (rule, path, line)


def test_every_planted_leak_is_found_counted_and_explained(leaky: str, tmp_path: Path) -> None:
    started = time.monotonic()
    drive(leaky, N)
    want = {p.function: N * p.per_request for p in PLANTED}
    assert settle(leaky, want) == want
    before = tmp_path / "before.txt"
    before.write_bytes(urllib.request.urlopen(f"{leaky}/debug/pprof/goroutine?debug=2", timeout=30).read())

    proc = leaktrail(
        "inspect", leaky, "--leak-profile", "--source", SOURCE, "--format", "json", cache=tmp_path
    )
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert not doc["warnings"]
    groups: dict[str, dict[str, Any]] = {}
    for g in doc["groups"]:
        f = g["first_user_frame"]
        if f is not None and f["function"].startswith(PKG + "."):
            name = f["function"][len(PKG) + 1 :]
            assert name not in groups, f"{name} split into several groups"
            groups[name] = g
    failures = []
    for p in PLANTED:
        g = groups.get(p.function)
        if g is None:
            failures.append(f"{p.endpoint}: no group parked in {p.function}")
            continue
        if g["count"] != N * p.per_request or g["classification"] not in ("leaked", "suspect"):
            failures.append(f"{p.endpoint}: {g['count']} goroutines, {g['classification']}")
        linked = {(f["rule"], f["path"], f["line"]) for f in g["findings"]}
        if (p.rule, p.path, p.line) not in linked:
            failures.append(
                f"{p.endpoint}: not explained by {p.rule} at {p.path}:{p.line} (got {sorted(linked)})"
            )
        if g["source"]["stale"]:
            failures.append(f"{p.endpoint}: source mismatch {g['source']['stale']}")
    assert not failures, "\n".join(failures)
    assert set(groups) == {p.function for p in PLANTED}, "a group in the service that nothing planted"

    # More traffic, a second snapshot: diff shows each planted group growing by exactly the new requests.
    drive(leaky, MORE, first_id=N)
    want = {p.function: (N + MORE) * p.per_request for p in PLANTED}
    assert settle(leaky, want) == want
    after = tmp_path / "after.txt"
    after.write_bytes(urllib.request.urlopen(f"{leaky}/debug/pprof/goroutine?debug=2", timeout=30).read())
    proc = leaktrail("diff", str(before), str(after), "--format", "json", cache=tmp_path)
    assert proc.returncode == 1, proc.stderr
    growth = {}
    for c in json.loads(proc.stdout)["changes"]:
        f = c["first_user_frame"]
        if f is not None and f["function"].startswith(PKG + "."):
            growth[f["function"][len(PKG) + 1 :]] = (c["growth"], c["over_threshold"])
    assert growth == {p.function: (MORE * p.per_request, True) for p in PLANTED}

    # The same dump as if it came from a CI runner's checkout, or from a -trimpath build: same links.
    for prefix in ("/home/runner/work/shop/shop/", "example.com/leaky-orders/"):
        moved = tmp_path / "moved.txt"
        moved.write_text(before.read_text().replace(f"{EXAMPLE}/", prefix))
        proc = leaktrail("inspect", str(moved), "--source", SOURCE, "--format", "json", cache=tmp_path)
        assert proc.returncode == 1, proc.stderr
        for g in json.loads(proc.stdout)["groups"]:
            f = g["first_user_frame"]
            if f is None or not f["function"].startswith(PKG + "."):
                continue
            p = next(p for p in PLANTED if f["function"] == f"{PKG}.{p.function}")
            assert f["file"].startswith(prefix)
            assert (p.rule, p.path, p.line) in {(x["rule"], x["path"], x["line"]) for x in g["findings"]}, (
                prefix
            )
            assert g["source"]["blocked"]["path"] == f"{SOURCE}/{f['file'][len(prefix) :]}"
            assert not g["source"]["stale"]
    assert time.monotonic() - started < 45


def test_the_fixed_service_leaks_nothing(fixed: str, tmp_path: Path) -> None:
    drive(fixed, N)
    assert settle(fixed, {}) == {}
    proc = leaktrail(
        "inspect", fixed, "--leak-profile", "--source", SOURCE, "--format", "json", cache=tmp_path
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["classifications"]["leaked"] == doc["classifications"]["suspect"] == 0
    assert not any(g["findings"] for g in doc["groups"])
