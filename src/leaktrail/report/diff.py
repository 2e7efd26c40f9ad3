"""Render `leaktrail diff` results as text (coloured with rich on a terminal) or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from leaktrail.report.inspect import STYLES, frame_json, render_lines, shown_frames, text_line
from leaktrail.runtime.diff import GroupChange, SnapshotDiff
from leaktrail.runtime.model import Snapshot


def _snapshot_json(s: Snapshot) -> dict[str, Any]:
    return {
        "source": s.source,
        "format": s.form.value,
        "total": s.total,
        "truncated": s.truncated,
        "warnings": list(s.warnings),
    }


def change_json(c: GroupChange, min_growth: int) -> dict[str, Any]:
    g = c.group
    return {
        "key": c.key,
        "function": g.display_name,
        "status": c.status,
        "before": c.before_count,
        "after": c.after_count,
        "growth": c.growth,
        "over_threshold": c.growth >= min_growth,
        "classification": c.classification.value,
        "reason": c.reason,
        "blocking": g.blocking,
        "state": g.state,
        "leaked": g.leaked > 0,
        "frames": [frame_json(f) for f in g.frames],
        "first_user_frame": frame_json(g.first_user_frame),
        "created_by": frame_json(g.created_by),
    }


def render_json(d: SnapshotDiff) -> str:
    return json.dumps(
        {
            "before": _snapshot_json(d.before),
            "after": _snapshot_json(d.after),
            "growth": d.after.total - d.before.total,
            "min_growth": d.min_growth,
            "grown": len(d.grown),
            "changes": [change_json(c, d.min_growth) for c in d.changes],
        },
        indent=2,
    )


def render_text(d: SnapshotDiff, *, color: bool = False) -> str:
    # rich's Text objects for 20,000 changed groups took seconds (see report.inspect's line types)
    return render_lines(diff_lines(d, text_line(color)), color)


def diff_lines(d: SnapshotDiff, line: Callable[..., Any]) -> list[Any]:
    """The report's lines, each made by `line` (text, style) and grown by .append(text, style)."""
    lines: list[Any] = []
    total = d.after.total - d.before.total
    head = line()
    head.append(f"{d.before.source} → {d.after.source}", style="bold")
    head.append(f": {d.before.total} → {d.after.total} goroutines ({total:+d})")
    lines.append(head)
    for label, s in (("before", d.before), ("after", d.after)):
        for w in s.warnings:
            lines.append(line(f"warning ({label}): {w}", style="yellow"))
    grown = d.grown
    summary = line()
    if grown:
        summary.append(
            f"{len(grown)} group(s) grew by at least {d.min_growth} (--min-growth)", style="bold red"
        )
    else:
        summary.append(f"no group grew by {d.min_growth} or more (--min-growth)", style="green")
    counts = {
        s: sum(1 for c in d.changes if c.status == s) for s in ("new", "grew", "shrank", "vanished", "same")
    }
    summary.append("; " + ", ".join(f"{n} {s}" for s, n in counts.items() if n))
    lines.append(summary)
    for c in d.changes:
        if c.status == "same":
            continue
        g = c.group
        lines.append(line(""))
        row = line()
        row.append(f"{c.growth:+6d}", style="bold red" if c.growth >= d.min_growth else "")
        row.append(f"  {c.before_count} → {c.after_count}  ")
        row.append(c.status.upper(), style="bold")
        row.append("  ")
        row.append(c.classification.value, style=STYLES[c.classification])
        if g.blocking or g.state:
            row.append(f"  {g.blocking or g.state}")
        if g.frames:
            row.append(f"  in {g.display_name}")
        lines.append(row)
        lines.append(line(f"  {c.reason}", style="italic"))
        frames, _folded, _cut = shown_frames(g)
        for f in frames[:3]:
            lines.append(line(f"  {f.function}  {f.location}", style="dim" if not f.is_user else ""))
        if g.created_by is not None:
            lines.append(line(f"  created by {g.created_by.function}  {g.created_by.location}", style="dim"))
    return lines
