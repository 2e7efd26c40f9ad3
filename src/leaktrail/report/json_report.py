"""Machine-readable JSON report with a fixed key order, so diffs between runs stay small."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from leaktrail.model import Finding, Fix, ScanSummary, Severity
from leaktrail.report._common import severity_counts, visible


def fix_json(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "description": fix.description,
        "edits": [
            {
                "path": e.path,
                "start": {"line": e.start_line, "column": e.start_column},
                "end": {"line": e.end_line, "column": e.end_column},
                "new_text": e.new_text,
            }
            for e in fix.edits
        ],
    }


def render_json(findings: Sequence[Finding], *, summary: ScanSummary, show_ignored: bool = False) -> str:
    items: list[dict[str, Any]] = []
    for f in visible(findings, show_ignored):
        item: dict[str, Any] = {
            "rule": f.rule,
            "slug": f.slug,
            "severity": str(f.severity),
            "path": f.path,
            "line": f.line,
            "column": f.column,
            "message": f.message,
            "confidence": f.confidence,
        }
        if show_ignored:
            item["suppressed"] = f.suppressed
        if f.fix is not None or f.no_fix:  # present once leaktrail.fix has looked (the CLI always does)
            item["fix"] = fix_json(f.fix)
            if f.fix is None:
                item["no_fix"] = f.no_fix
        items.append(item)
    counts = severity_counts(findings)
    doc = {
        "findings": items,
        "summary": {
            "findings": sum(counts.values()),
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "info": counts[Severity.INFO],
            "suppressed": summary.suppressed,
            "files": summary.files,
            "packages": summary.packages,
            "seconds": round(summary.seconds, 3),
        },
    }
    # ensure_ascii keeps the output safe to pipe through any console encoding; it is still valid JSON.
    return json.dumps(doc, indent=2, ensure_ascii=True)
