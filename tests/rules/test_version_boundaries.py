"""GL012/GL013 change at Go 1.23, when unreferenced timers and tickers became collectable.

Before 1.23 (go.mod `go 1.22` and older): `warning`, and GL013 reports `time.Tick` outside main and
endless functions. From 1.23 (and without a go line): `info`, and `time.Tick` is silent. The go.mod line
decides unless `--go-version` / ScanOptions.go_version overrides it. Both sides of the boundary are
checked on the testdata folders and on a small module written per test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from leaktrail.config import Config
from leaktrail.engine import ScanOptions, scan
from leaktrail.model import Finding, Severity

TESTDATA = Path(__file__).resolve().parent / "testdata"

SOURCE = """package p

import "time"

func loop(ch <-chan int) {
	for {
		select {
		case <-ch:
		case <-time.After(time.Second):
			return
		}
	}
}

func poll(ch <-chan int) int {
	t := time.NewTicker(time.Second)
	for {
		select {
		case v := <-ch:
			return v
		case <-t.C:
		}
	}
}

func waitUntil(ready func() bool) {
	for range time.Tick(time.Millisecond) {
		if ready() {
			return
		}
	}
}
"""
AFTER_LINE = 9
TICKER_LINE = 16
TICK_LINE = 27


def _findings(root: Path, rule: str, go_version: str | None = None) -> list[Finding]:
    result = scan(
        [str(root)], ScanOptions(config=Config(select=(rule,)), go_version=go_version, cache_dir=None)
    )
    return [f for f in result.findings if f.rule == rule and not f.suppressed]


def _module(tmp_path: Path, go_line: str | None) -> Path:
    mod = "module example.com/p\n" + (f"\n{go_line}\n" if go_line is not None else "")
    (tmp_path / "go.mod").write_text(mod)
    (tmp_path / "p.go").write_text(SOURCE)
    return tmp_path


def _by_line(found: list[Finding]) -> dict[int, Severity]:
    return {f.line: f.severity for f in found}


# -- the testdata folders: go 1.22 (warning side) and go1.23 variants (info side) ----------------------


@pytest.mark.parametrize("rule", ["GL012", "GL013"])
def test_testdata_go122_is_warning(rule: str) -> None:
    found = _findings(TESTDATA / rule, rule)
    assert found
    assert {f.severity for f in found} == {Severity.WARNING}


@pytest.mark.parametrize("rule", ["GL012", "GL013"])
def test_testdata_go123_is_info(rule: str) -> None:
    found = _findings(TESTDATA / f"{rule}_go123", rule)
    assert found
    assert {f.severity for f in found} == {Severity.INFO}


@pytest.mark.parametrize("rule", ["GL012", "GL013"])
def test_override_moves_testdata_across_the_boundary(rule: str) -> None:
    up = _findings(TESTDATA / rule, rule, go_version="1.23")
    assert up and {f.severity for f in up} == {Severity.INFO}
    down = _findings(TESTDATA / f"{rule}_go123", rule, go_version="1.22")
    assert down and {f.severity for f in down} == {Severity.WARNING}


def _tick_lines(folder: str, wanted_only: bool) -> set[tuple[str, int]]:
    """Lines of the folder's time.Tick calls (only those carrying a want, if asked)."""
    out: set[tuple[str, int]] = set()
    for path in (TESTDATA / folder).rglob("*.go"):
        if path.parent.name == "tickd":
            continue  # time.Tick in main.main: silent on both sides
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if "time.Tick(" in line and (not wanted_only or '// want "GL013"' in line):
                out.add((path.name, n))
    return out


def test_tick_reported_only_before_go123_in_testdata() -> None:
    def ticks(found: list[Finding]) -> set[tuple[str, int]]:
        return {(Path(f.path).name, f.line) for f in found if "time.Tick" in f.message}

    before = _tick_lines("GL013", wanted_only=True)
    assert len(before) >= 2
    assert ticks(_findings(TESTDATA / "GL013", "GL013")) == before
    assert ticks(_findings(TESTDATA / "GL013", "GL013", go_version="1.23")) == set()
    assert ticks(_findings(TESTDATA / "GL013_go123", "GL013")) == set()
    # the go 1.23 folder's Tick cases (a function that returns, a Tick per iteration) leak before 1.23
    assert ticks(_findings(TESTDATA / "GL013_go123", "GL013", go_version="1.22")) == _tick_lines(
        "GL013_go123", wanted_only=False
    )


# -- exactly at the boundary, via go.mod ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("go_line", "severity", "tick"),
    [
        ("go 1.21", Severity.WARNING, True),
        ("go 1.22", Severity.WARNING, True),
        ("go 1.22.9", Severity.WARNING, True),
        ("go 1.23", Severity.INFO, False),
        ("go 1.23.0", Severity.INFO, False),
        ("go 1.24", Severity.INFO, False),
        (None, Severity.INFO, False),  # no go line: current Go
    ],
)
def test_gomod_boundary(tmp_path: Path, go_line: str | None, severity: Severity, tick: bool) -> None:
    root = _module(tmp_path, go_line)
    assert _by_line(_findings(root, "GL012")) == {AFTER_LINE: severity}
    expected = {TICKER_LINE: severity}
    if tick:
        expected[TICK_LINE] = Severity.WARNING
    assert _by_line(_findings(root, "GL013")) == expected


# -- the override: ScanOptions.go_version and the --go-version flag win over go.mod ------------------------


@pytest.mark.parametrize(
    ("go_line", "override", "severity", "tick"),
    [
        ("go 1.22", "1.23", Severity.INFO, False),
        ("go 1.23", "1.22", Severity.WARNING, True),
        ("go 1.24", "go1.22.3", Severity.WARNING, True),
        (None, "1.21", Severity.WARNING, True),
    ],
)
def test_scan_options_override(
    tmp_path: Path, go_line: str | None, override: str, severity: Severity, tick: bool
) -> None:
    from leaktrail.config import normalize_go_version

    root = _module(tmp_path, go_line)
    version = normalize_go_version(override)
    assert _by_line(_findings(root, "GL012", version)) == {AFTER_LINE: severity}
    expected = {TICKER_LINE: severity}
    if tick:
        expected[TICK_LINE] = Severity.WARNING
    assert _by_line(_findings(root, "GL013", version)) == expected


def _cli(root: Path, *args: str) -> dict[tuple[str, int], str]:
    env = dict(os.environ, NO_COLOR="1")
    out = subprocess.run(
        [sys.executable, "-m", "leaktrail", "scan", "--no-cache", "--format", "json", *args, str(root)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode in (0, 1), out.stderr
    return {(f["rule"], f["line"]): f["severity"] for f in json.loads(out.stdout)["findings"]}


def test_go_version_flag(tmp_path: Path) -> None:
    root = _module(tmp_path, "go 1.22")
    assert _cli(root, "--select", "GL012,GL013") == {
        ("GL012", AFTER_LINE): "warning",
        ("GL013", TICKER_LINE): "warning",
        ("GL013", TICK_LINE): "warning",
    }
    assert _cli(root, "--select", "GL012,GL013", "--go-version", "1.23") == {
        ("GL012", AFTER_LINE): "info",
        ("GL013", TICKER_LINE): "info",
    }
    (tmp_path / "go.mod").write_text("module example.com/p\n\ngo 1.23\n")
    assert _cli(root, "--select", "GL012,GL013", "--go-version", "1.22") == {
        ("GL012", AFTER_LINE): "warning",
        ("GL013", TICKER_LINE): "warning",
        ("GL013", TICK_LINE): "warning",
    }
