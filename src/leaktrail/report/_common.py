"""Helpers shared by the report renderers (kept private so each renderer stays a pure function)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from leaktrail.model import Finding, Severity


def visible(findings: Iterable[Finding], show_ignored: bool) -> list[Finding]:
    """The findings a report prints: suppressed ones only when the user asked to see them."""
    return [f for f in findings if show_ignored or not f.suppressed]


def severity_counts(findings: Sequence[Finding]) -> dict[Severity, int]:
    """Active (unsuppressed) findings per severity, most severe first, zero counts included."""
    counts = {Severity.ERROR: 0, Severity.WARNING: 0, Severity.INFO: 0}
    for f in findings:
        if not f.suppressed:
            counts[f.severity] += 1
    return counts
