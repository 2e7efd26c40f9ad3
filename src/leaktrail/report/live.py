"""The live terminal view of `watch`: per target its total, trend and top groups; an error row when it is
down."""

from __future__ import annotations

import time

from rich.console import Group as RichGroup
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from leaktrail.report.inspect import STYLES
from leaktrail.watch.watcher import TargetState, Watcher


def _ago(ts: float | None) -> str:
    if ts is None:
        return "never"
    s = max(0.0, time.time() - ts)
    return f"{s:.0f}s ago" if s < 120 else f"{s / 60:.0f}m ago"


def _rate(per_min: float | None) -> str:
    if per_min is None:
        return ""
    return f"{per_min:+,.0f}/min" if abs(per_min) >= 1 else f"{per_min:+.2f}/min"


def target_table(t: TargetState, top: int) -> RenderableType:
    title = Text(t.url, style="bold")
    if t.last_error is not None:
        title.append(f"  ERROR ({t.failures}× in a row): {t.last_error}", style="bold red")
    else:
        tr = t.total_trend
        arrow = f" {tr.arrow} {_rate(tr.per_minute)}" if tr is not None else ""
        total = f"{t.total:,}" if t.total is not None else "?"
        title.append(f"  {total} goroutines{arrow}", style="")
        n_flag = len(t.flagged)
        if n_flag:
            title.append(f"  {n_flag} growing", style="bold red")
    title.append(
        f"  [{t.samples} samples, {t.errors} errors, last {_ago(t.last_ok)}, {t.last_ms:.0f} ms]", style="dim"
    )
    if t.last_error is not None and not t.groups:
        return title  # the error row: nothing to tabulate yet
    table = Table(title=title, title_justify="left", expand=True, show_edge=False, pad_edge=False)
    table.add_column("group", no_wrap=True)
    table.add_column("function", overflow="ellipsis", no_wrap=True, ratio=3)
    table.add_column("blocking", no_wrap=True)
    table.add_column("count", justify="right")
    table.add_column("trend", justify="right", no_wrap=True)
    table.add_column("class", no_wrap=True)
    for g in t.top(top):
        top_frame = g.group.display_frame
        cls = g.verdict.classification
        tr = g.trend
        trend_text = Text(f"{tr.arrow} {_rate(tr.per_minute)}" if tr is not None else "")
        if g.flagged:
            trend_text.stylize("bold red")
        table.add_row(
            g.group.key[:12],
            Text(top_frame.function if top_frame else "(no frames)"),
            Text(g.group.blocking or ""),
            f"{g.group.count:,}",
            trend_text,
            Text(cls.value + (" ↑" if g.flagged else ""), style=STYLES.get(cls, "")),
        )
    return table


def render(w: Watcher, top: int = 5) -> RenderableType:
    elapsed = time.monotonic() - w.started if w.started else 0.0
    opts = w.options
    head = Text(
        f"leaktrail watch: {len(w.targets)} targets every {opts.interval:g}s, {elapsed:.0f}s elapsed"
        + (f" of {opts.duration:g}s" if opts.duration else "")
        + f", {sum(1 for a in w.alerts if a.kind != 'cleared')} alerts",
        style="bold",
    )
    return RichGroup(head, *(target_table(t, top) for t in w.targets))
