"""Fixtures for the report tests: RuleInfo and Finding values built here, never from the rule registry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from leaktrail.model import Finding, RuleInfo, ScanSummary, Severity

RULES = {
    "GL001": RuleInfo(
        "GL001",
        "range-never-closed",
        Severity.ERROR,
        "range over a channel that is never closed",
        "## What it does\n\nFlags `for range ch` over a channel nobody closes.\nThe loop never ends.\n\n"
        "## Why is this bad?\n\nThe goroutine leaks.",
    ),
    "GL011": RuleInfo(
        "GL011",
        "unmanaged-goroutine-loop",
        Severity.INFO,
        "fire-and-forget goroutines started in a loop",
        "Goroutines started in a loop whose completion nobody waits for.\n\nMore text.",
    ),
    "GL016": RuleInfo(
        "GL016",
        "loop-variable-capture",
        Severity.WARNING,
        "goroutine captures the loop variable",
        "",
    ),
}


FindingFactory = Callable[..., Finding]


def make(
    rule: str = "GL001",
    path: str = "pkg/a.go",
    line: int = 10,
    column: int = 2,
    message: str = "channel ch is never closed",
    severity: Severity | None = None,
    suppressed: bool = False,
) -> Finding:
    info = RULES[rule]
    return Finding(rule, info.slug, severity or info.severity, path, line, column, message, suppressed)


@pytest.fixture
def rules() -> dict[str, RuleInfo]:
    return dict(RULES)


@pytest.fixture
def make_finding() -> FindingFactory:
    """Factory for a Finding of one of the RULES (severity defaults to the rule's)."""
    return make


@pytest.fixture
def findings() -> list[Finding]:
    return [
        make("GL001", "pkg/a.go", 10, 2),
        make("GL016", "pkg/a.go", 20, 5, "loop variable v captured by goroutine"),
        make("GL011", "pkg/b.go", 3, 1, "goroutines started in a loop are never awaited"),
        make("GL001", "pkg/c.go", 7, 3, "suppressed one", suppressed=True),
    ]


@pytest.fixture
def summary() -> ScanSummary:
    return ScanSummary(files=41, packages=7, suppressed=1, seconds=0.4213)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An absolute scan root that is also the cwd, so display paths resolve beneath it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
