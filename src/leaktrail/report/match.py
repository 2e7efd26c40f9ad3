"""Rendering of `inspect --match`: per matched function, goroutines by verdict."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from leaktrail.runtime.match import MatchResult


def match_json(m: MatchResult) -> dict[str, Any]:
    return {
        "pattern": m.pattern,
        "total": m.total,
        "functions": [
            {
                "function": c.function,
                "total": c.total,
                "leaked": c.leaked,
                "suspect": c.suspect,
                "other": c.other,
            }
            for c in m.functions
        ],
    }


def add_match_json(rendered: str, matches: Sequence[MatchResult]) -> str:
    """The inspect JSON (an object for one source, an array for several) with `match` per source."""
    doc = json.loads(rendered)
    items = doc if isinstance(doc, list) else [doc]
    for item, m in zip(items, matches, strict=True):
        item["match"] = match_json(m)
    return json.dumps(doc, indent=2)


def match_text(m: MatchResult) -> str:
    groups = len(m.inspection.verdicts)
    head = (
        f"--match {m.pattern} in {m.inspection.snapshot.source}: {m.total:,} goroutines in "
        f"{groups} group{'s' if groups != 1 else ''}"
    )
    if not m.functions:
        return head + " (no frame matches)"
    width = max(len(f"{c.total:,}") for c in m.functions)
    rows = [
        f"  {c.total:>{width},}  {c.function}  "
        f"({c.leaked:,} leaked, {c.suspect:,} suspect, {c.other:,} other)"
        for c in m.functions
    ]
    return "\n".join([head, *rows])
