"""Report renderers: turn sorted findings into text, JSON, SARIF or GitHub Actions annotations.

Every renderer is a pure function of its arguments and returns the whole report as one string
without a trailing newline (the CLI prints it with ``click.echo``). An empty string means there is
nothing to print (the ``github`` format with no findings).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from leaktrail.model import Finding, RuleInfo, ScanSummary
from leaktrail.report.github import render_github
from leaktrail.report.json_report import render_json
from leaktrail.report.sarif import render_sarif
from leaktrail.report.text import render_text

FORMATS: tuple[str, ...] = ("text", "json", "sarif", "github")
"""Accepted values of ``fmt`` (suitable for ``click.Choice``)."""

__all__ = ["FORMATS", "render_findings"]


def render_findings(
    findings: Sequence[Finding],
    rules: Mapping[str, RuleInfo],
    fmt: str,
    *,
    root: Path,
    summary: ScanSummary,
    color: bool = False,
    show_ignored: bool = False,
) -> str:
    """Render ``findings`` (already sorted, suppressed ones included) in format ``fmt``.

    ``root`` is the absolute scan root (SARIF URIs are relative to it); ``color`` is honoured by the
    text format only and must be True only when stdout is a terminal.
    """
    if fmt == "text":
        return render_text(findings, summary=summary, color=color, show_ignored=show_ignored)
    if fmt == "json":
        return render_json(findings, summary=summary, show_ignored=show_ignored)
    if fmt == "sarif":
        return render_sarif(findings, rules, root=root, show_ignored=show_ignored)
    if fmt == "github":
        return render_github(findings)
    raise ValueError(f"unknown report format {fmt!r} (expected one of: {', '.join(FORMATS)})")
