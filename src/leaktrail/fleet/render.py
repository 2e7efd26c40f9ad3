"""The fleet answer as text, JSON, a rich progress view and a self-contained HTML page."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from leaktrail import __version__
from leaktrail.fleet.aggregate import Fleet, ServiceGroup
from leaktrail.report.html import CLASS_COLORS, esc, page

SCORE_NOTE = "score = leaking goroutines × instances where the group is leaked or suspect"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(len(header))]

    def fmt(cells: Sequence[str]) -> str:
        out = [c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)]
        return "  ".join(out).rstrip()

    return [fmt(header), *(fmt(r) for r in rows)]


def _blocking(g: ServiceGroup) -> str:
    return g.blocking or "?"


def render_text(fleet: Fleet, *, top: int = 20, elapsed: float | None = None, runner: str = "") -> str:
    lines: list[str] = []
    took = ""
    if elapsed is not None and elapsed > 0:
        took = f" in {elapsed:.1f}s ({fleet.done / elapsed:.1f} targets/s"
        took += f", {runner})" if runner else ")"
    lines.append(
        f"leaktrail fleet: {fleet.done} targets in {len(fleet.services)} services: "
        f"{fleet.done - fleet.failed} analysed, {fleet.failed} failed{took}"
    )
    ranked = fleet.ranked()
    lines.append("")
    if ranked:
        lines.append(f"Worst groups ({SCORE_NOTE}; leak/inst: instances where it leaks / that show it):")
        rows = [
            [
                str(i),
                f"{g.score:,}",
                g.service,
                f"{g.leaking_instances}/{g.instances}",
                f"{g.leaking:,}",
                f"{g.leaked:,}",
                f"{g.max_count:,}",
                g.classification,
                f"{g.function} ({_blocking(g)})",
                g.site,
            ]
            for i, g in enumerate(ranked[:top], 1)
        ]
        header = [
            "#",
            "score",
            "service",
            "leak/inst",
            "leaking",
            "proven",
            "max/inst",
            "class",
            "group",
            "site",
        ]
        lines.extend(_table(header, rows, {0, 1, 3, 4, 5, 6}))
        if len(ranked) > top:
            lines.append(f"… and {len(ranked) - top} more leaked or suspect groups (--top)")
        for g in ranked[:top]:
            for f in g.findings[:3]:
                lines.append(
                    f"  {g.service} {g.function}: {f.get('rule')} {f.get('path')}:{f.get('line')}: "
                    f"{f.get('message')}"
                )
    else:
        lines.append("No leaked or suspect group in any analysed target.")
    shared = fleet.shared()
    if shared:
        lines.append("")
        lines.append("Leaking in more than one service (a shared library?):")
        rows = [
            [f"{s.score:,}", f"{s.function} ({s.blocking or '?'})", ", ".join(s.services), f"{s.leaking:,}"]
            for s in shared[:top]
        ]
        lines.extend(_table(["score", "function", "services", "leaking"], rows, {0, 3}))
    failed = [r for r in fleet.target_rows() if r.error is not None]
    if failed:
        lines.append("")
        lines.append(f"Failed targets ({len(failed)}):")
        for r in failed[: max(top, 20)]:
            lines.append(f"  {r.service}  {r.name}: {r.error}")
        if len(failed) > max(top, 20):
            lines.append(f"  … and {len(failed) - max(top, 20)} more (see --format json)")
    lines.append("")
    lines.append("Services:")
    rows = [
        [s.name, str(s.instances), str(s.failed), f"{s.goroutines:,}", str(s.leak_served)]
        for s in (fleet.services[n] for n in sorted(fleet.services))
    ]
    lines.extend(_table(["service", "instances", "failed", "goroutines", "leak profile"], rows, {1, 2, 3, 4}))
    return "\n".join(lines) + "\n"


def render_json(
    fleet: Fleet, *, elapsed: float | None = None, runner: str = "", top: int | None = None
) -> str:
    data: dict[str, Any] = {"version": __version__, "tool": "leaktrail fleet", "score": SCORE_NOTE}
    if elapsed is not None:
        data["elapsed_s"] = round(elapsed, 3)
        data["runner"] = runner
    data.update(fleet.to_json(top=top))
    return json.dumps(data, indent=2) + "\n"


def progress_view(fleet: Fleet, *, started: float, now: float, top: int = 8) -> Any:
    """The live view: targets done/failed of total, rate, time left, and the worst groups so far."""
    from rich.console import Group as RichGroup
    from rich.table import Table
    from rich.text import Text

    elapsed = max(now - started, 1e-6)
    rate = fleet.done / elapsed
    left = max(fleet.expected - fleet.done, 0)
    eta = f"{left / rate:.0f}s left" if rate > 0 and left else ("done" if not left else "…")
    head = Text(
        f"targets {fleet.done}/{fleet.expected} done, {fleet.failed} failed · {rate:.1f}/s · {eta}",
        style="bold",
    )
    table = Table(title="worst groups so far", title_justify="left", expand=False, show_edge=False)
    for name, justify in (
        ("score", "right"),
        ("service", "left"),
        ("inst.", "right"),
        ("leaking", "right"),
        ("class", "left"),
        ("group", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for g in fleet.ranked()[:top]:
        color = CLASS_COLORS.get(g.classification, "")
        table.add_row(
            f"{g.score:,}",
            Text(g.service),
            str(g.leaking_instances),
            f"{g.leaking:,}",
            Text(g.classification, style=color),
            Text(f"{g.function} ({_blocking(g)})"),
        )
    return RichGroup(head, table)


# -- HTML ------------------------------------------------------------------------------------------------


def _pill(classification: str) -> str:
    color = CLASS_COLORS.get(classification, "#757575")
    return f'<span class="pill" style="background:{color}">{esc(classification)}</span>'


def _num(n: int) -> str:
    return f'<td class="n" data-v="{n}">{n:,}</td>'


def _frames(g: ServiceGroup) -> str:
    items = "".join(
        f'<li><code class="{"user" if fn == g.function else ""}">{esc(fn)}</code>'
        f' <span class="muted mono">{esc(path)}:{line}</span></li>'
        for fn, path, line in g.frames
    )
    cb = ""
    if g.created_by is not None:
        fn, path, line = g.created_by
        cb = (
            f'<p class="muted">created by <code>{esc(fn)}</code> '
            f'<span class="mono">{esc(path)}:{line}</span></p>'
        )
    findings = "".join(
        f'<div class="finding"><b>{esc(f.get("rule", ""))}</b> <span class="mono">'
        f"{esc(f.get('path', ''))}:{esc(f.get('line', ''))}</span> {esc(f.get('message', ''))}</div>"
        for f in g.findings
    )
    return f'<ol class="frames">{items}</ol>{cb}{findings}'


def render_html(fleet: Fleet, *, elapsed: float | None = None, runner: str = "", top: int = 200) -> str:
    ranked = fleet.ranked()
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    body = ["<h1>leaktrail fleet</h1>"]
    took = f" · {elapsed:.1f}s on {runner}" if elapsed is not None else ""
    body.append(f'<p class="muted">generated {esc(now)}{esc(took)}</p>')
    cards = [
        ("targets", f"{fleet.done:,}", ""),
        ("services", f"{len(fleet.services):,}", ""),
        ("failed targets", f"{fleet.failed:,}", "warn" if fleet.failed else ""),
        ("leaked or suspect groups", f"{len(ranked):,}", "bad" if ranked else ""),
        ("proven leaked goroutines", f"{sum(g.leaked for g in ranked):,}", "bad" if ranked else ""),
    ]
    body.append(
        '<div class="cards">'
        + "".join(f'<div class="card {c}"><b>{esc(v)}</b>{esc(k)}</div>' for k, v, c in cards)
        + "</div>"
    )
    body.append(f'<h2>Worst groups</h2><p class="muted">{esc(SCORE_NOTE)}.</p>')
    if not ranked:
        body.append("<p>No leaked or suspect group in any analysed target.</p>")
    else:
        rows = []
        for i, g in enumerate(ranked[:top], 1):
            rows.append(
                f'<tr><td class="n" data-v="{i}">{i}</td>{_num(g.score)}<td>{esc(g.service)}</td>'
                f"{_num(g.leaking_instances)}{_num(g.instances)}{_num(g.leaking)}{_num(g.leaked)}"
                f'{_num(g.max_count)}<td data-v="{esc(g.classification)}">{_pill(g.classification)}</td>'
                f'<td><code>{esc(g.function)}</code> <span class="muted">{esc(_blocking(g))}</span>'
                f"<details><summary>{esc(g.site or 'stack')}</summary>"
                f'<p class="muted">in instance {esc(g.example)} (the worst): {esc(g.reason)}</p>'
                f"{_frames(g)}</details></td></tr>"
            )
        header = "".join(
            f'<th{" class=n" if n else ""}><button type="button">{esc(h)}</button></th>'
            for h, n in (
                ("#", 1),
                ("score", 1),
                ("service", 0),
                ("leaking inst.", 1),
                ("instances", 1),
                ("leaking", 1),
                ("proven", 1),
                ("max/inst", 1),
                ("class", 0),
                ("group", 0),
            )
        )
        body.append(
            f'<table class="sortable" id="groups"><thead><tr>{header}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
        if len(ranked) > top:
            body.append(f'<p class="muted">… and {len(ranked) - top:,} more (see the JSON output)</p>')
    shared = fleet.shared()
    if shared:
        body.append("<h2>Leaking in more than one service</h2>")
        rows = [
            f'<tr>{_num(s.score)}<td><code>{esc(s.function)}</code> <span class="muted">'
            f"{esc(s.blocking or '?')}</span></td><td>{esc(', '.join(s.services))}</td>{_num(s.leaking)}"
            f'<td class="mono">{esc(" ".join(s.sites[:5]))}</td></tr>'
            for s in shared[:top]
        ]
        body.append(
            '<table class="sortable"><thead><tr><th class="n"><button type="button">score</button></th>'
            '<th><button type="button">function</button></th><th><button type="button">services</button></th>'
            '<th class="n"><button type="button">leaking</button></th><th>sites</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    body.append("<h2>Services</h2>")
    rows = [
        f"<tr><td>{esc(s.name)}</td>{_num(s.instances)}{_num(s.failed)}{_num(s.goroutines)}{_num(s.leak_served)}</tr>"
        for s in (fleet.services[n] for n in sorted(fleet.services))
    ]
    body.append(
        '<table class="sortable"><thead><tr><th><button type="button">service</button></th>'
        '<th class="n"><button type="button">instances</button></th>'
        '<th class="n"><button type="button">failed</button></th>'
        '<th class="n"><button type="button">goroutines</button></th>'
        '<th class="n"><button type="button">leak profile served</button></th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    failed = [r for r in fleet.target_rows() if r.error is not None]
    if failed:
        body.append(f"<h2>Failed targets ({len(failed):,})</h2>")
        rows = [
            f'<tr><td>{esc(r.service)}</td><td class="mono">{esc(r.name)}</td><td>{esc(r.error)}</td></tr>'
            for r in failed[:1000]
        ]
        body.append(
            '<table class="sortable"><thead><tr><th><button type="button">service</button></th>'
            '<th><button type="button">target</button></th><th><button type="button">error</button></th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    return page("leaktrail fleet", "\n".join(body))
