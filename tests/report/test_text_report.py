from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from leaktrail.model import Finding, RuleInfo, ScanSummary, Severity
from leaktrail.report import render_findings

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def render(rules: dict[str, RuleInfo], findings: list[Finding], summary: ScanSummary, **kw: Any) -> str:
    return render_findings(findings, rules, "text", root=Path("/src"), summary=summary, **kw)


def test_one_line_per_active_finding_then_summary(
    rules: dict[str, RuleInfo], findings: list[Finding], summary: ScanSummary
) -> None:
    assert render(rules, findings, summary).splitlines() == [
        "pkg/a.go:10:2: GL001 channel ch is never closed (range-never-closed)",
        "pkg/a.go:20:5: GL016 loop variable v captured by goroutine (loop-variable-capture)",
        "pkg/b.go:3:1: GL011 goroutines started in a loop are never awaited (unmanaged-goroutine-loop)",
        "3 findings (1 error, 1 warning, 1 info) in 41 files, 7 packages, 1 suppressed [0.42s]",
    ]


def test_show_ignored_marks_suppressed(
    rules: dict[str, RuleInfo], findings: list[Finding], summary: ScanSummary
) -> None:
    lines = render(rules, findings, summary, show_ignored=True).splitlines()
    assert "pkg/c.go:7:3: GL001 suppressed one (range-never-closed) (ignored)" in lines
    assert sum("(ignored)" in ln for ln in lines) == 1
    # Counts are about what must be fixed: the ignored finding is not counted as a finding.
    assert lines[-1].startswith("3 findings (1 error, 1 warning, 1 info)")


def test_no_findings_summary(rules: dict[str, RuleInfo]) -> None:
    out = render(rules, [], ScanSummary(files=1, packages=1, suppressed=0, seconds=0.0))
    assert out == "no findings in 1 file, 1 package [0.00s]"


def test_all_suppressed_summary_mentions_suppressed(rules: dict[str, RuleInfo], make_finding: Any) -> None:
    summary = ScanSummary(files=2, packages=1, suppressed=1, seconds=1.5)
    out = render(rules, [make_finding(suppressed=True)], summary)
    assert out == "no findings in 2 files, 1 package, 1 suppressed [1.50s]"


def test_pluralisation_and_zero_counts_omitted(rules: dict[str, RuleInfo], make_finding: Any) -> None:
    errors = [make_finding(line=i) for i in range(1, 3)]
    out = render(rules, errors, ScanSummary(files=3, packages=2, suppressed=0, seconds=0.1))
    assert out.splitlines()[-1] == "2 findings (2 errors) in 3 files, 2 packages [0.10s]"


def test_severity_override_is_what_is_counted_and_coloured(
    rules: dict[str, RuleInfo], make_finding: Any
) -> None:
    f = make_finding("GL001", severity=Severity.WARNING)  # config turned an error rule into a warning
    out = render(rules, [f], ScanSummary(1, 1, 0, 0.0), color=True)
    assert "\x1b[1;33mGL001" in out
    assert "1 finding (1 warning)" in out


def test_no_escape_codes_without_color(
    rules: dict[str, RuleInfo], findings: list[Finding], summary: ScanSummary
) -> None:
    assert "\x1b" not in render(rules, findings, summary, color=False, show_ignored=True)
    assert "\x1b" not in render(rules, findings, summary)  # the default is no colour


def test_color_by_severity(rules: dict[str, RuleInfo], findings: list[Finding], summary: ScanSummary) -> None:
    out = render(rules, findings, summary, color=True, show_ignored=True)
    lines = out.splitlines()
    assert "\x1b[1;31mGL001" in lines[0]  # error: red
    assert "\x1b[1;33mGL016" in lines[1]  # warning: yellow
    assert "\x1b[1;36mGL011" in lines[2]  # info: cyan
    assert lines[3].startswith("\x1b[2m") and "(ignored)" in lines[3]  # suppressed: dimmed
    assert all(ln.endswith("\x1b[0m") for ln in lines)
    # Colour only decorates: without the escapes it is exactly the plain report.
    assert ANSI.sub("", out) == render(rules, findings, summary, show_ignored=True)


def test_unknown_format_is_rejected(
    rules: dict[str, RuleInfo], findings: list[Finding], summary: ScanSummary
) -> None:
    with pytest.raises(ValueError, match="unknown report format 'xml'"):
        render_findings(findings, rules, "xml", root=Path("/src"), summary=summary)
