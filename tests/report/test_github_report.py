from __future__ import annotations

from pathlib import Path
from typing import Any

from leaktrail.model import Finding, RuleInfo, ScanSummary
from leaktrail.report import render_findings
from leaktrail.report.github import escape_data, escape_property


def render(rules: dict[str, RuleInfo], findings: list[Finding], summary: ScanSummary) -> str:
    # show_ignored must not matter: annotations are for what needs fixing.
    return render_findings(findings, rules, "github", root=Path("/src"), summary=summary, show_ignored=True)


def test_one_command_per_active_finding(
    rules: dict[str, RuleInfo], findings: list[Finding], summary: ScanSummary
) -> None:
    assert render(rules, findings, summary).splitlines() == [
        "::error file=pkg/a.go,line=10,col=2,title=GL001 range-never-closed::channel ch is never closed",
        "::warning file=pkg/a.go,line=20,col=5,title=GL016 loop-variable-capture::"
        "loop variable v captured by goroutine",
        "::notice file=pkg/b.go,line=3,col=1,title=GL011 unmanaged-goroutine-loop::"
        "goroutines started in a loop are never awaited",
    ]


def test_escaping(rules: dict[str, RuleInfo], make_finding: Any, summary: ScanSummary) -> None:
    f = make_finding(path="odd,dir/a:b%.go", message="100% sure:\nsee a, b\r")
    out = render(rules, [f], summary)
    assert out == (
        "::error file=odd%2Cdir/a%3Ab%25.go,line=10,col=2,title=GL001 range-never-closed"
        "::100%25 sure:%0Asee a, b%0D"
    )
    assert "\n" not in out


def test_escape_functions() -> None:
    assert escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"
    # "%" first, or the escapes themselves would be escaped again.
    assert escape_property("%3A") == "%253A"


def test_nothing_to_print(rules: dict[str, RuleInfo], summary: ScanSummary) -> None:
    assert render(rules, [], summary) == ""
