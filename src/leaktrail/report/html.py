"""One self-contained HTML file for `leaktrail report` (a watch history) and `inspect --format html`.

Self-contained means: no network, no external file. Charts are SVG written here; the only script is a
table sorter inlined in the page, allowed by a Content-Security-Policy that names its hash, so even a
mistake in escaping could not run anything else. Everything that comes from a dump — function names,
file paths, label keys and values, URLs — goes through `esc`, and the script reads cells with
`textContent`/`dataset` only, never `innerHTML`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from leaktrail import __version__
from leaktrail.runtime.model import Classification, Frame, Inspection


class SourceView(Protocol):
    """What `--source` gives the report (leaktrail.watch.linking.SourceLinks, over issue 5's linker)."""

    def findings_for(self, frames: Sequence[Frame], blocking: str | None) -> tuple[dict[str, Any], ...]:
        """Static findings [{rule, slug, path, line, via, message, text}] that explain these frames."""
        ...

    def map_frame(self, frame: Frame) -> Path | None:
        """The local file a frame ran from, whatever the dump's path looks like."""
        ...


CLASS_COLORS = {
    "leaked": "#c62828",
    "suspect": "#e08600",
    "blocked": "#1565c0",
    "running": "#2e7d32",
    "benign": "#757575",
}
SERIES_COLORS = ("#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#e08600", "#00838f")
MAX_POINTS = 600
MAX_TABLE_ROWS = 500
MAX_STACKS = 50


def esc(value: object) -> str:
    """Text and attribute values alike (quotes included)."""
    return html.escape(str(value), quote=True)


# -- the page shell --------------------------------------------------------------------------------------

CSS = """
:root{--fg:#1d2125;--muted:#5f6b76;--line:#d8dde3;--bg:#fff;--card:#f5f7f9}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);
margin:0 auto;max-width:1200px;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:20px 0 6px}
.muted{color:var(--muted)}code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:10px 14px;min-width:140px}
.card b{display:block;font-size:22px}
.bad{color:#c62828}.warn{color:#e08600}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
th{background:var(--card);position:sticky;top:0}
th button{all:unset;cursor:pointer;font-weight:600}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
.pill{display:inline-block;border-radius:10px;padding:0 8px;color:#fff;font-size:12px}
.chart{margin:8px 0 16px}.chart svg{width:100%;height:auto;max-width:860px;display:block}
details{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:6px 10px}
summary{cursor:pointer}
ol.frames{margin:6px 0;padding-left:22px}ol.frames li{margin:2px 0}
.user{font-weight:600}
pre.snippet{tab-size:4;background:#f6f8fa;border:1px solid var(--line);border-radius:4px;padding:6px 8px;
margin:4px 0;overflow-x:auto}
pre.snippet .hl{background:#fff3c4;display:inline-block;width:100%}
.finding{border-left:3px solid #c62828;padding-left:8px;margin:4px 0}
.labels{margin:4px 0}.labels code{background:var(--card);padding:0 4px;border-radius:3px}
"""

SORT_JS = """
(function () {
  function key(cell) {
    var v = cell.getAttribute("data-v");
    if (v !== null && v !== "" && !isNaN(Number(v))) { return {n: Number(v), s: ""}; }
    return {n: NaN, s: (v !== null ? v : cell.textContent).toLowerCase()};
  }
  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var asc = th.getAttribute("aria-sort") !== "ascending";
    rows.sort(function (a, b) {
      var x = key(a.cells[col]), y = key(b.cells[col]), r;
      if (!isNaN(x.n) && !isNaN(y.n)) { r = x.n - y.n; } else { r = x.s < y.s ? -1 : x.s > y.s ? 1 : 0; }
      return asc ? r : -r;
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    rows.forEach(function (row) { body.appendChild(row); });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var b = th.querySelector("button");
      if (b) { b.addEventListener("click", function () { sortBy(table, col, th); }); }
    });
  });
  document.documentElement.setAttribute("data-sort-ready", "1");
})();
"""


def page(title: str, body: str) -> str:
    digest = base64.b64encode(hashlib.sha256(SORT_JS.encode()).digest()).decode()
    csp = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{digest}'"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n"
        f'<footer class="muted"><p>leaktrail {esc(__version__)}</p></footer>\n'
        f"<script>{SORT_JS}</script>\n</body>\n</html>\n"
    )


def _when(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _cards(items: Iterable[tuple[str, str, str]]) -> str:
    return (
        '<div class="cards">'
        + "".join(f'<div class="card {cls}"><b>{esc(v)}</b>{esc(k)}</div>' for k, v, cls in items)
        + "</div>"
    )


def _pill(classification: str) -> str:
    color = CLASS_COLORS.get(classification, "#757575")
    return f'<span class="pill" style="background:{color}">{esc(classification)}</span>'


# -- SVG charts ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    times: Sequence[float]
    values: Sequence[float | None]
    """None breaks the line (a failed sample)."""
    color: str = SERIES_COLORS[0]


def _nice_step(span: float, ticks: int = 5) -> float:
    if span <= 0:
        return 1.0
    raw = span / ticks
    mag: float = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= m * mag:
            return m * mag
    return 10.0 * mag


def _downsample(times: Sequence[float], values: Sequence[float | None]) -> list[tuple[float, float | None]]:
    points = list(zip(times, values, strict=True))
    if len(points) <= MAX_POINTS:
        return points
    # Keep each bucket's minimum and maximum, so a spike or a dip survives the thinning.
    size = math.ceil(len(points) / (MAX_POINTS // 2))
    out: list[tuple[float, float | None]] = []
    for i in range(0, len(points), size):
        bucket = points[i : i + size]
        good = [p for p in bucket if p[1] is not None]
        if len(good) < len(bucket):
            out.append((bucket[0][0], None))
        if good:
            lo = min(good, key=lambda p: p[1] or 0.0)
            hi = max(good, key=lambda p: p[1] or 0.0)
            out.extend(sorted({lo, hi}))
    return out


def _fmt_time(ts: float, span: float) -> str:
    t = dt.datetime.fromtimestamp(ts, dt.UTC)
    return t.strftime("%H:%M:%S" if span < 3 * 3600 else "%m-%d %H:%M")


def svg_chart(
    title: str,
    series: Sequence[Series],
    *,
    errors: Sequence[float] = (),
    marks: Sequence[tuple[float, str]] = (),
    width: int = 860,
    height: int = 220,
) -> str:
    """A line chart: `errors` are red ticks on the x axis, `marks` dashed vertical lines (alerts)."""
    left, right, top, bottom = 56, 12, 26, 28
    all_t = [t for s in series for t in s.times] + list(errors) + [t for t, _ in marks]
    all_v = [v for s in series for v in s.values if v is not None]
    if not all_t:
        return f'<div class="chart muted">{esc(title)}: no samples</div>'
    t0, t1 = min(all_t), max(all_t)
    if t1 == t0:
        t1 = t0 + 1
    vmax = max(all_v, default=0.0)
    # Goroutine counts are whole numbers: never a tick step under 1.
    step = max(1.0, _nice_step(vmax or 1.0))
    vtop = max(step, math.ceil(vmax / step) * step)
    pw, ph = width - left - right, height - top - bottom

    def x(t: float) -> float:
        return left + (t - t0) / (t1 - t0) * pw

    def y(v: float) -> float:
        return top + ph - v / vtop * ph

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{esc(title)}" class="ts-chart">',
        f"<title>{esc(title)}</title>",
        f'<text x="{left}" y="16" font-size="13" font-weight="600">{esc(title)}</text>',
    ]
    v = 0.0
    while v <= vtop + 1e-9:
        yy = y(v)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#e3e7eb"/>'
            f'<text x="{left - 6}" y="{yy + 4:.1f}" font-size="11" text-anchor="end" fill="#5f6b76">'
            f"{v:,.0f}</text>"
        )
        v += step
    for i in range(5):
        tt = t0 + (t1 - t0) * i / 4
        anchor = "start" if i == 0 else "end" if i == 4 else "middle"
        parts.append(
            f'<text x="{x(tt):.1f}" y="{height - 8}" font-size="11" text-anchor="{anchor}" fill="#5f6b76">'
            f"{esc(_fmt_time(tt, t1 - t0))}</text>"
        )
    if not all_v:
        parts.append(
            f'<text x="{left + pw / 2:.1f}" y="{top + ph / 2:.1f}" font-size="13" text-anchor="middle" '
            'fill="#c62828">no successful sample</text>'
        )
    for t, label in marks:
        xx = x(t)
        parts.append(
            f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{top}" y2="{top + ph}" stroke="#c62828" '
            f'stroke-dasharray="4 3"><title>{esc(label)}</title></line>'
        )
    for s in series:
        runs: list[list[str]] = [[]]
        for t, val in _downsample(s.times, s.values):
            if val is None:
                runs.append([])
            else:
                runs[-1].append(f"{x(t):.1f},{y(val):.1f}")
        for run in runs:
            if len(run) == 1:
                cx, cy = run[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{s.color}"/>')
            elif run:
                parts.append(
                    f'<polyline class="series" fill="none" stroke="{s.color}" stroke-width="1.8" '
                    f'points="{" ".join(run)}"><title>{esc(s.label)}</title></polyline>'
                )
    for t in errors:
        xx = x(t)
        parts.append(
            f'<line class="error-mark" x1="{xx:.1f}" x2="{xx:.1f}" y1="{top + ph - 6}" y2="{top + ph + 4}" '
            f'stroke="#c62828" stroke-width="2"><title>failed sample at {esc(_when(t))}</title></line>'
        )
    parts.append(
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + ph}" stroke="#8a949e"/>'
        f'<line x1="{left}" x2="{width - right}" y1="{top + ph}" y2="{top + ph}" stroke="#8a949e"/>'
    )
    if len(series) > 1:
        lx = left + 8
        for s in series:
            parts.append(
                f'<rect x="{lx}" y="{top + 4}" width="10" height="10" fill="{s.color}"/>'
                f'<text x="{lx + 14}" y="{top + 13}" font-size="11">{esc(s.label[:40])}</text>'
            )
            lx += 24 + 7 * min(len(s.label), 40)
    parts.append("</svg>")
    return f'<div class="chart">{"".join(parts)}</div>'


def svg_bars(title: str, bars: Sequence[tuple[str, int, str]], width: int = 860) -> str:
    """Horizontal bars (label, value, classification) for a single snapshot."""
    if not bars:
        return ""
    row, left = 22, 320
    height = 30 + row * len(bars)
    vmax = max(v for _, v, _ in bars) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{esc(title)}" class="bar-chart">',
        f"<title>{esc(title)}</title>",
        f'<text x="0" y="16" font-size="13" font-weight="600">{esc(title)}</text>',
    ]
    for i, (label, value, cls) in enumerate(bars):
        yy = 26 + i * row
        w = max(1.0, value / vmax * (width - left - 80))
        parts.append(
            f'<text x="{left - 8}" y="{yy + 13}" font-size="11" text-anchor="end">{esc(label[:48])}</text>'
            f'<rect x="{left}" y="{yy}" width="{w:.1f}" height="{row - 6}" '
            f'fill="{CLASS_COLORS.get(cls, "#757575")}"><title>{esc(label)}: {value:,}</title></rect>'
            f'<text x="{left + w + 6:.1f}" y="{yy + 13}" font-size="11">{value:,}</text>'
        )
    parts.append("</svg>")
    return f'<div class="chart">{"".join(parts)}</div>'


# -- groups: table and stacks ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupRow:
    target: str
    key: str
    function: str
    blocking: str
    classification: str
    count: int
    peak: int
    leaked: int
    per_minute: float | None
    z: float | None
    growing: bool
    frames: tuple[Frame, ...]
    created_by: Frame | None
    labels: tuple[tuple[tuple[tuple[str, str], ...], int], ...]
    reason: str = ""
    findings: tuple[dict[str, Any], ...] = field(default=())
    anchor: str = ""
    local: tuple[tuple[Frame, Path], ...] = ()
    """Frames mapped to local files by the linker (snippets for dumps taken elsewhere)."""


def _num(v: float | None, fmt: str = "{:,.0f}") -> tuple[str, str]:
    if v is None:
        return "", "—"
    return repr(float(v)), fmt.format(v)


def group_table(rows: Sequence[GroupRow], *, history: bool) -> str:
    """One row per group; the target column only when the rows come from more than one target (the page
    header already names a single target)."""
    several = len({r.target for r in rows}) > 1
    head = [("target", False)] if several else []
    head += [("group", False), ("function", False), ("blocking", False), ("class", False)]
    head += [("count", True), ("peak", True)] if history else [("count", True)]
    head += [("leaked", True)]
    if history:
        head += [("per min", True), ("MK z", True), ("flagged", False)]
    out = ['<table class="sortable groups" id="groups"><thead><tr>']
    for name, numeric in head:
        out.append(f'<th class="{"n" if numeric else ""}"><button type="button">{esc(name)}</button></th>')
    out.append("</tr></thead><tbody>")
    for r in rows[:MAX_TABLE_ROWS]:
        cells = [f"<td>{esc(r.target)}</td>"] if several else []
        cells += [
            f'<td class="mono"><a href="#{esc(r.anchor)}">{esc(r.key)}</a></td>',
            f'<td class="mono">{esc(r.function)}</td>',
            f"<td>{esc(r.blocking)}</td>",
            f'<td data-v="{CLASS_RANK.get(r.classification, 9)}">{_pill(r.classification)}</td>',
            f'<td class="n" data-v="{r.count}">{r.count:,}</td>',
        ]
        if history:
            cells.append(f'<td class="n" data-v="{r.peak}">{r.peak:,}</td>')
        cells.append(f'<td class="n" data-v="{r.leaked}">{r.leaked:,}</td>')
        if history:
            v, text = _num(r.per_minute, "{:+,.1f}")
            cells.append(f'<td class="n" data-v="{v}">{esc(text)}</td>')
            v, text = _num(r.z, "{:.2f}")
            cells.append(f'<td class="n" data-v="{v}">{esc(text)}</td>')
            cells.append(
                f'<td data-v="{0 if r.growing else 1}">{"<b class=bad>growing</b>" if r.growing else ""}</td>'
            )
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if len(rows) > MAX_TABLE_ROWS:
        out.append(f'<p class="muted">{len(rows) - MAX_TABLE_ROWS} smaller groups not shown.</p>')
    return "".join(out)


CLASS_RANK = {c.value: c.rank for c in Classification}


def _snippet(frame: Frame, source: Path | None, context: int = 2, local: Path | None = None) -> str:
    """The frame's lines from the file the linker mapped it to, else from the dump's own path when it is
    on this machine (or relative, under --source)."""
    candidates: list[Path] = [local] if local is not None else []
    p = Path(frame.file)
    if p.is_absolute():
        candidates.append(p)
    elif source is not None:
        candidates.append(source / p)
    for c in candidates:
        try:
            if not c.is_file() or c.stat().st_size > 4 << 20:
                continue
            lines = c.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        if not 1 <= frame.line <= len(lines):
            return ""
        lo, hi = max(1, frame.line - context), min(len(lines), frame.line + context)
        body = []
        for n in range(lo, hi + 1):
            text = f"{n:>5}  {lines[n - 1]}"
            body.append(f'<span class="hl">{esc(text)}</span>' if n == frame.line else esc(text))
        return f'<pre class="snippet">{chr(10).join(body)}</pre>'
    return ""


def _labels(labels: Sequence[tuple[tuple[tuple[str, str], ...], int]]) -> str:
    if not labels:
        return ""
    items = []
    for ls, n in labels[:10]:
        text = ", ".join(f"{k}={v}" for k, v in ls)
        items.append(f"<code>{{{esc(text)}}}</code> ×{n:,}")
    return '<div class="labels">labels: ' + " ".join(items) + "</div>"


def _findings(findings: Sequence[dict[str, Any]]) -> str:
    if not findings:
        return ""
    out = []
    for f in findings:
        rule = " ".join(str(f[k]) for k in ("rule", "slug") if f.get(k))
        where = f"{f.get('path', '?')}:{f.get('line', '?')}"
        msg = f" — {f['message']}" if f.get("message") else ""
        out.append(
            f'<div class="finding">explained by <b>{esc(rule)}</b> at <code>{esc(where)}</code>'
            f"{esc(msg)}</div>"
        )
    return "".join(out)


def stack_details(r: GroupRow, source: Path | None, *, open_: bool = False, chart: str = "") -> str:
    snippets_left = 3
    items = []
    local = dict(r.local)
    for f in r.frames:
        cls = "user" if f.is_user else ""
        line = (
            f'<li class="{cls}"><code>{esc(f.function)}</code><br>'
            f'<span class="muted mono">{esc(f.location)}</span>'
        )
        if f.is_user and snippets_left:
            snip = _snippet(f, source, local=local.get(f))
            if snip:
                snippets_left -= 1
                line += snip
        items.append(line + "</li>")
    created = (
        f"<p>created by <code>{esc(r.created_by.function)}</code> at "
        f'<span class="mono">{esc(r.created_by.location)}</span></p>'
        + _snippet(r.created_by, source, local=local.get(r.created_by))
        if r.created_by is not None
        else ""
    )
    reason = f"<p>{esc(r.reason)}</p>" if r.reason else ""
    return (
        f'<details id="{esc(r.anchor)}"{" open" if open_ else ""}><summary>{_pill(r.classification)} '
        f"<b>{r.count:,}</b> × <code>{esc(r.function)}</code> {esc(r.blocking)} "
        f'<span class="muted mono">{esc(r.key)} · {esc(r.target)}</span></summary>'
        f"{chart}{reason}{_findings(r.findings)}{_labels(r.labels)}"
        f'<ol class="frames">{"".join(items)}</ol>{created}</details>'
    )


# -- inspect --format html -------------------------------------------------------------------------------


def render_inspections(
    inspections: Sequence[Inspection], *, links: Mapping[str, Any] | None = None, source: Path | None = None
) -> str:
    """`links`: `leaktrail.link.GroupLink` by group key, as `inspect --source` computes them."""
    body = ["<h1>leaktrail inspect</h1>", f'<p class="muted">generated {esc(_when(_now()))}</p>']
    total = sum(i.snapshot.total for i in inspections)
    leaks = [v for i in inspections for v in i.verdicts if v.classification is Classification.LEAKED]
    suspects = [v for i in inspections for v in i.verdicts if v.classification is Classification.SUSPECT]
    body.append(
        _cards(
            [
                ("snapshots", f"{len(inspections)}", ""),
                ("goroutines", f"{total:,}", ""),
                ("groups", f"{sum(len(i.verdicts) for i in inspections):,}", ""),
                ("leaked groups", f"{len(leaks)}", "bad" if leaks else ""),
                ("suspect groups", f"{len(suspects)}", "warn" if suspects else ""),
            ]
        )
    )
    rows: list[GroupRow] = []
    for n, insp in enumerate(inspections):
        snap = insp.snapshot
        body.append(f"<h2>{esc(snap.source)}</h2>")
        facts = f"{snap.form.value} {snap.profile} profile, {snap.total:,} goroutines"
        facts += f", {len(insp.verdicts)} groups"
        if snap.truncated:
            facts += " (truncated)"
        body.append(f'<p class="muted">{esc(facts)}</p>')
        for w in snap.warnings:
            body.append(f'<p class="warn">{esc(w)}</p>')
        bars = []
        for v in insp.verdicts[:15]:
            top = v.group.display_frame
            bars.append((top.function if top else v.group.key, v.group.count, v.classification.value))
        body.append(svg_bars("goroutines per group (largest 15)", bars))
        for v in insp.verdicts:
            g = v.group
            top = g.display_frame
            link = links.get(g.key) if links is not None else None
            findings, local = _from_link(g.first_user_frame, g.created_by, link)
            rows.append(
                GroupRow(
                    target=snap.source,
                    key=g.key,
                    function=top.function if top else "(no frames)",
                    blocking=g.blocking or (g.state or ""),
                    classification=v.classification.value,
                    count=g.count,
                    peak=g.count,
                    leaked=g.leaked,
                    per_minute=None,
                    z=None,
                    growing=False,
                    frames=g.frames,
                    created_by=g.created_by,
                    labels=g.labels,
                    reason=v.reason,
                    findings=findings,
                    anchor=f"g{n}-{_anchor(g.key)}",
                    local=local,
                )
            )
    body.append("<h2>Groups</h2>")
    body.append(group_table(rows, history=False))
    body.append("<h2>Stacks</h2>")
    for r in rows[:MAX_STACKS]:
        body.append(stack_details(r, source, open_=r.classification in ("leaked", "suspect")))
    return page("leaktrail inspect", "\n".join(body))


def _from_link(
    blocked: Frame | None, created: Frame | None, link: Any
) -> tuple[tuple[dict[str, Any], ...], tuple[tuple[Frame, Path], ...]]:
    if link is None:
        return (), ()
    from leaktrail.watch.linking import finding_json

    local: list[tuple[Frame, Path]] = []
    if blocked is not None and link.blocked is not None:
        local.append((blocked, link.blocked.path))
    if created is not None and link.created is not None:
        local.append((created, link.created.path))
    return tuple(finding_json(e) for e in link.explanations), tuple(local)


def _anchor(key: str) -> str:
    return hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:12]


def _now() -> float:
    import time

    return time.time()


# -- leaktrail report (a watch history) ------------------------------------------------------------------


def render_history(
    histories: Sequence[Any],
    *,
    params: Any = None,
    source: Path | None = None,
    links: SourceView | None = None,
    db: str = "",
) -> str:
    """`histories`: `leaktrail.watch.history.TargetHistory` per target; `params`: `TrendParams`."""
    from leaktrail.watch.trend import DEFAULT_PARAMS, trend

    params = params or DEFAULT_PARAMS
    body = ["<h1>leaktrail report</h1>"]
    all_ts = [s.ts for h in histories for s in h.samples]
    span = f"{_when(min(all_ts))} → {_when(max(all_ts))}" if all_ts else "no samples"
    body.append(f'<p class="muted">{esc(db)} · {esc(span)} · generated {esc(_when(_now()))}</p>')
    body.append(
        f'<p class="muted">A group is flagged as growing when, over the last {params.window} samples '
        f"(at least {params.min_samples}), the Mann–Kendall test finds a rise at p &lt; {params.alpha:g}, "
        f"the Theil–Sen line gains at least {params.min_growth:g} goroutines, and the last sample keeps at "
        f"least {params.retain:.0%} of the window's range (a burst that drains does not).</p>"
    )
    rows: list[GroupRow] = []
    sections: list[str] = []
    n_samples = n_errors = proven = 0
    growing_total = 0
    for n, h in enumerate(histories):
        good = [s for s in h.samples if s.error is None]
        errors = [s for s in h.samples if s.error is not None]
        n_samples += len(h.samples)
        n_errors += len(errors)
        growing_keys = {a.key for a in h.alerts if a.kind == "growing"}
        leaked_keys = {a.key for a in h.alerts if a.kind == "leaked"}
        last_id = good[-1].id if good else None
        target_rows: list[GroupRow] = []
        for key, info in h.groups.items():
            times, values = h.series(key)
            per = h.counts.get(key, {})
            tr = trend([float(v) for v in values], times, params) if len(values) >= 2 else None
            last = per.get(last_id, (0, 0, "")) if last_id is not None else (0, 0, "")
            classification = last[2] or (
                "leaked"
                if key in leaked_keys
                else max(per.values(), key=lambda c: c[0])[2]
                if per
                else "blocked"
            )
            leaked = max((c[1] for c in per.values()), default=0)
            is_growing = key in growing_keys or (tr is not None and tr.rising)
            findings = next((a.findings for a in h.alerts if a.key == key and a.findings), ())
            local: tuple[tuple[Frame, Path], ...] = ()
            if links is not None and (is_growing or classification in ("leaked", "suspect", "blocked")):
                if not findings:
                    findings = links.findings_for(info.frames, info.blocking)
                pairs = [(f, links.map_frame(f)) for f in (*info.frames, info.created_by) if f and f.is_user]
                local = tuple((f, p) for f, p in pairs if p is not None)
            target_rows.append(
                GroupRow(
                    target=h.url,
                    key=key,
                    function=info.function or "(no frames)",
                    blocking=info.blocking or "",
                    classification=classification,
                    count=last[0],
                    peak=max(values, default=0),
                    leaked=leaked,
                    per_minute=tr.per_minute if tr is not None else None,
                    z=tr.z if tr is not None else None,
                    growing=is_growing,
                    frames=info.frames,
                    created_by=info.created_by,
                    labels=info.labels,
                    findings=findings,
                    anchor=f"t{n}-{_anchor(key)}",
                    local=local,
                )
            )
        target_rows.sort(key=lambda r: (not r.growing, CLASS_RANK.get(r.classification, 9), -r.count, r.key))
        rows.extend(target_rows)
        growing = [r for r in target_rows if r.growing]
        growing_total += len(growing)
        proven += sum(r.leaked for r in target_rows if r.count)
        sections.append(_target_section(h, n, good, errors, target_rows, growing, params, source))
    body.append(
        _cards(
            [
                ("targets", f"{len(histories)}", ""),
                ("samples", f"{n_samples:,}", ""),
                ("failed samples", f"{n_errors:,}", "warn" if n_errors else ""),
                ("growing groups", f"{growing_total}", "bad" if growing_total else ""),
                ("proven leaked goroutines", f"{proven:,}", "bad" if proven else ""),
            ]
        )
    )
    if not histories:
        body.append("<p>The database holds no samples (yet).</p>")
    body.extend(sections)
    body.append("<h2>All groups</h2>")
    body.append(group_table(rows, history=True))
    return page("leaktrail report", "\n".join(body))


def _target_section(
    h: Any,
    n: int,
    good: Sequence[Any],
    errors: Sequence[Any],
    rows: Sequence[GroupRow],
    growing: Sequence[GroupRow],
    params: Any,
    source: Path | None,
) -> str:
    from leaktrail.watch.trend import trend

    out = [f'<section class="target" id="target-{n}"><h2>{esc(h.url)}</h2>']
    totals = [float(s.total or 0) for s in good]
    tr = trend(totals, [s.ts for s in good], params) if len(good) >= 2 else None
    facts = [f"{len(h.samples):,} samples", f"{len(errors):,} failed"]
    if good:
        facts.append(f"last {good[-1].total:,} goroutines, peak {max(int(t) for t in totals):,}")
        facts.append(f"median poll {sorted(s.duration_ms for s in good)[len(good) // 2]:.0f} ms")
    if tr is not None:
        facts.append(f"trend {tr.per_minute:+,.1f}/min (Mann–Kendall z={tr.z:.2f})")
    leak_ok = sum(1 for s in h.leak_samples if s.error is None)
    if leak_ok:
        facts.append(f"{leak_ok} goroutineleak profile{'s' if leak_ok > 1 else ''}")
    out.append(f'<p class="muted">{esc(", ".join(facts))}</p>')
    if errors:
        last = errors[-1]
        out.append(f'<p class="warn">last error ({esc(_when(last.ts))}): {esc(last.error)}</p>')
    marks = [(a.ts, f"{a.kind}: {a.message}") for a in h.alerts if a.kind in ("growing", "leaked")]
    # Samples of a failure streak break the line; each failure is a red tick.
    series_vals: list[float | None] = [
        float(s.total) if s.error is None and s.total is not None else None for s in h.samples
    ]
    out.append(
        svg_chart(
            "goroutines",
            [Series("goroutines", [s.ts for s in h.samples], series_vals)],
            errors=[s.ts for s in errors],
            marks=marks,
        )
    )
    if growing:
        out.append(f"<h3>Groups flagged as growing ({len(growing)})</h3>")
        for r in growing:
            times, values = h.series(r.key)
            chart = svg_chart(
                f"{r.function} ({r.blocking or 'group ' + r.key})",
                [Series(r.key, times, [float(v) for v in values], SERIES_COLORS[1])],
                marks=[(a.ts, a.message) for a in h.alerts if a.key == r.key and a.kind == "growing"][:1],
                height=180,
            )
            out.append(stack_details(r, source, open_=True, chart=chart))
    others = [r for r in rows if not r.growing and r.classification in ("leaked", "suspect", "blocked")]
    if others:
        out.append("<h3>Other parked groups</h3>")
        for r in others[:MAX_STACKS]:
            out.append(stack_details(r, source))
    out.append("</section>")
    return "\n".join(out)
