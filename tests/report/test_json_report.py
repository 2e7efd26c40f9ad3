from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from leaktrail.model import Finding, RuleInfo, ScanSummary
from leaktrail.report import render_findings

FINDING_KEYS = ["rule", "slug", "severity", "path", "line", "column", "message", "confidence"]


def render(rules: dict[str, RuleInfo], findings: list[Finding], summary: ScanSummary, **kw: Any) -> str:
    return render_findings(findings, rules, "json", root=Path("/src"), summary=summary, **kw)


def test_structure_and_key_order(
    rules: dict[str, RuleInfo], findings: list[Finding], summary: ScanSummary
) -> None:
    out = render(rules, findings, summary)
    doc: dict[str, Any] = json.loads(out)
    assert list(doc) == ["findings", "summary"]
    assert len(doc["findings"]) == 3
    first = doc["findings"][0]
    assert list(first) == FINDING_KEYS
    assert first == {
        "rule": "GL001",
        "slug": "range-never-closed",
        "severity": "error",
        "path": "pkg/a.go",
        "line": 10,
        "column": 2,
        "message": "channel ch is never closed",
        "confidence": "high",
    }
    assert [f["severity"] for f in doc["findings"]] == ["error", "warning", "info"]
    assert doc["summary"] == {
        "findings": 3,
        "errors": 1,
        "warnings": 1,
        "info": 1,
        "suppressed": 1,
        "files": 41,
        "packages": 7,
        "seconds": 0.421,
    }
    assert out.splitlines()[1] == '  "findings": ['  # two-space indent


def test_suppressed_field_only_with_show_ignored(
    rules: dict[str, RuleInfo], findings: list[Finding], summary: ScanSummary
) -> None:
    doc = json.loads(render(rules, findings, summary, show_ignored=True))
    assert len(doc["findings"]) == 4
    assert [f["suppressed"] for f in doc["findings"]] == [False, False, False, True]
    assert list(doc["findings"][0]) == [*FINDING_KEYS, "suppressed"]


def test_non_ascii_message_round_trips(
    rules: dict[str, RuleInfo], make_finding: Any, summary: ScanSummary
) -> None:
    f = make_finding(path="pkg/ünï.go", message='close "ch" — or else')
    doc = json.loads(render(rules, [f], summary))
    assert doc["findings"][0]["path"] == "pkg/ünï.go"
    assert doc["findings"][0]["message"] == 'close "ch" — or else'


def test_empty(rules: dict[str, RuleInfo]) -> None:
    doc = json.loads(render(rules, [], ScanSummary(0, 0, 0, 0.0)))
    assert doc["findings"] == []
    assert doc["summary"]["findings"] == 0
