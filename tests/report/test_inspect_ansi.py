"""Coloured `inspect` text is built without rich's Text objects (report/inspect.py _AnsiLine); it must
give the characters rich gives when it prints the same lines as Text (the way it was rendered before)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from leaktrail.report.inspect import inspection_text, render_text
from leaktrail.runtime import Inspection, Thresholds, inspect, load_snapshot

FIXTURES = Path(__file__).resolve().parents[1] / "runtime" / "fixtures"


def _through_rich(ins: Inspection) -> str:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, color_system="standard", width=200, soft_wrap=True)
    for line in inspection_text(ins):
        console.print(line)
    return buf.getvalue().rstrip("\n")


def _record(gid: int, state: str, frames: list[tuple[str, str]], labels: str = "") -> str:
    out = [f"goroutine {gid} [{state}]{labels}:"]
    for fn, loc in frames:
        out += [f"{fn}(...)", f"\t{loc} +0x25"]
    out += ["created by main.main in goroutine 1", "\t/srv/main.go:40 +0x66"]
    return "\n".join(out)


def _synthetic(tmp_path: Path) -> Path:
    """Every kind of line the text report has: folded runtime frames, cut stacks, several states, labels
    (with markup-like, escape and control characters, and a tab), waits, user and library frames."""
    deep = [(f"main.step{i}", f"/srv/step.go:{i}") for i in range(12)]
    records = [_record(1, "running", [("main.main", "/srv/main.go:30")])]
    gid = 10
    for state, frames, labels in [
        ("chan receive, 12 minutes", [("runtime.gopark", "/go/src/runtime/proc.go:460"), *deep], ""),
        ("chan receive", [("runtime.gopark", "/go/src/runtime/proc.go:460"), *deep], ""),
        ("select", [("runtime.selectgo", "/go/src/runtime/select.go:351"), ("main.loop", "/srv/l.go:7")], ""),
        (
            "semacquire",
            [
                ("sync.runtime_SemacquireMutex", "/go/src/runtime/sema.go:95"),
                ("sync.(*Mutex).Lock", "/go/src/sync/mutex.go:90"),
                ("main.locked", "/srv/m.go:3"),
            ],
            ' {tenant: "[bold]a[/bold]", esc: "\\x1b[31mred\\x1b[0m"}',
        ),
        (
            "IO wait",
            [
                ("internal/poll.runtime_pollWait", "/go/src/runtime/netpoll.go:351"),
                ("net.(*conn).Read", "/go/src/net/net.go:194"),
                ("main.read", "/srv/r.go:9"),
            ],
            ' {k: "tab\\there", bell: "a\\u0007b"}',
        ),
    ]:
        for _ in range(4):
            records.append(_record(gid, state, frames, labels))
            gid += 1
    path = tmp_path / "dump.txt"
    path.write_text("\n\n".join(records) + "\n")
    return path


@pytest.mark.parametrize(
    "name", ["goroutine.debug2.txt", "goroutineleak.debug2.txt", "goroutine.debug1.txt", "synthetic"]
)
def test_coloured_text_is_what_rich_prints(name: str, tmp_path: Path) -> None:
    source = _synthetic(tmp_path) if name == "synthetic" else FIXTURES / name
    for thresholds in (Thresholds(), Thresholds(min_count=2)):
        ins = inspect(load_snapshot(str(source)), "stack", thresholds)
        assert render_text([ins], color=True) == _through_rich(ins)
    assert "\x1b[" in render_text([ins], color=True)


def test_diff_text_is_what_rich_prints(tmp_path: Path) -> None:
    from rich.text import Text

    from leaktrail.report.diff import diff_lines
    from leaktrail.report.diff import render_text as diff_text
    from leaktrail.runtime.diff import diff

    before = load_snapshot(str(FIXTURES / "goroutine.debug2.txt"))
    after = load_snapshot(str(_synthetic(tmp_path)))
    for d in (diff(before, after, min_growth=2), diff(after, before, min_growth=1)):
        lines = diff_lines(d, Text)
        buf = io.StringIO()
        console = Console(file=buf, force_terminal=True, color_system="standard", width=200, soft_wrap=True)
        for line in lines:
            console.print(line)
        assert diff_text(d, color=True) == buf.getvalue().rstrip("\n")
        assert diff_text(d, color=False) == "\n".join(t.plain for t in lines)
