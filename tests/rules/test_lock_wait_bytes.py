"""GL022's byte tests before a file is parsed: each one is False only for files where the query it
stands for finds nothing (a make of a channel, a send or receive, a range, a close, a select). Checked
on the lock rules' testdata, real standard-library packages (all their files) and corner cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from stdpkgs import TESTDATA, package, std_dirs

from leaktrail.rules.lockwait import _CLOSES, _RANGES, _RECVS, _SENDS, make_calls, may_make_chan
from leaktrail.source.package import GoFile
from leaktrail.source.parse import captures, text

_STD = ("sync", "context", "net/http", "os/exec", "database/sql", "time", "os/signal", "log/slog")

DIRS = sorted({p.parent for p in TESTDATA.rglob("*.go") if p.parent.name.startswith(("GL022", "GL001"))})
DIRS += std_dirs(_STD)

_CORNERS = [
    b"package p\nfunc f() { c := make(chan int, 1); _ = c }\n",
    b"package p\nfunc f() { c := make( <-chan int, 1); _ = c }\n",
    b"package p\nfunc f() { c := make(\n\t\tchan struct{},\n\t\t4,\n\t); _ = c }\n",
    b"package p\nfunc f() { c := make /* x */ (chan int, 1); _ = c }\n",
    b"package p\nfunc f() { c := make(/* x */ chan int, 1); _ = c }\n",
    b"package p\nfunc f() { c := make(chan<- int, 2); _ = c }\n",
    b"package p\nfunc f() { m := make(map[string]chan int, 1); s := make([]int, 3); _, _ = m, s }\n",
    b"package p\nfunc f() { c := remake(chan int, 1); _ = c }\nfunc remake(x chan int, n int) chan int {}\n",
    b"package p\ntype C chan int\nfunc f() { c := make(C, 1); _ = c }\n",
]


def _files() -> list[GoFile]:
    corners = [GoFile(Path(f"c{i}.go"), f"c{i}.go", data, False) for i, data in enumerate(_CORNERS)]
    return corners + [f for d in DIRS for f in package(d).files]


def _chan_makes(f: GoFile) -> list[int]:
    out = []
    for call in make_calls(f, f.root):
        args = call.child_by_field_name("arguments")
        if args is not None and args.named_child_count and args.named_children[0].type == "channel_type":
            out.append(call.start_byte)
    return out


def test_packages_are_there() -> None:
    assert len(DIRS) > 8


def test_may_make_chan_is_false_only_without_a_channel_make() -> None:
    files = _files()
    makers = skipped = 0
    for f in files:
        found = _chan_makes(f)
        if not may_make_chan(f.data):
            assert not found, f.path.name
            skipped += 1
        makers += bool(found)
    assert makers > 20 and skipped > 100
    assert [may_make_chan(d) for d in _CORNERS] == [True] * 6 + [False, False, False]


@pytest.mark.parametrize(
    ("needles", "pattern"),
    [
        ((b"<-",), _SENDS),
        ((b"<-",), _RECVS),
        ((b"range",), _RANGES),
        ((b"select",), "(select_statement) @s"),
        ((b"close",), _CLOSES),
    ],
)
def test_a_file_without_the_token_has_no_such_node(needles: tuple[bytes, ...], pattern: str) -> None:
    """The partner searches and the blocking operations skip such files: the query finds nothing there
    (for close: no call of an identifier named close)."""
    files = _files()
    with_nodes = without = 0
    for f in files:
        nodes = [n for names in captures(pattern, f.root).values() for n in names]
        if pattern == _CLOSES:
            nodes = [n for n in captures(pattern, f.root).get("f", []) if text(n) == "close"]
        if not any(n in f.data for n in needles):
            without += 1
            assert not nodes, (f.path.name, pattern)
        with_nodes += bool(nodes)
    assert with_nodes > 10 and without > 10
