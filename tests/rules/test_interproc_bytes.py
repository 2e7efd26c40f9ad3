"""interproc's byte scans (func-typed names, method declarations, instantiated types) and its name-driven
call finder must answer exactly what the regexes over whole lines / whole files and the query over every
call they replace answer: checked on every package of the rule testdata and on cases written to hit the
corners (non-overlapping matches, declarations at the start of a file, a name inside a longer word)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leaktrail.rules import interproc
from leaktrail.rules.base import Context
from leaktrail.source.gomod import NO_MODULE
from leaktrail.source.package import GoFile, Package
from leaktrail.source.parse import captures, text, unparen

TESTDATA = Path(__file__).resolve().parent / "testdata"
DIRS = sorted({p.parent for p in TESTDATA.rglob("*.go")})

# The previous implementations, kept here as the specification.
_NAMED_FUNC = re.compile(rb"^type[ \t]+([A-Za-z_]\w*)[ \t]+func\(", re.M)
_METHOD_DECL = re.compile(
    rb"^func[ \t]*\([^)]*?\*?[ \t]*([A-Za-z_]\w*)(?:\[[^\]]*\])?\)[ \t]*([A-Za-z_]\w*)", re.M
)


def _reference_func_fields(pkg: Package) -> frozenset[str]:
    names: set[bytes] = set()
    named: set[bytes] = set()
    for f in pkg.files:
        if b" func(" not in f.data:
            continue
        lines = b"\n".join(line for line in f.data.split(b"\n") if b"func(" in line)
        for group in interproc._FUNC_TYPED.findall(lines):
            names.update(n.strip() for n in group.split(b","))
        if b"type " in f.data:
            named.update(_NAMED_FUNC.findall(f.data))
    for t in named:
        typed = re.compile(rb"([A-Za-z_]\w*)[ \t]+\*?" + re.escape(t) + rb"\b")
        for f in pkg.files:
            if t in f.data:
                names.update(typed.findall(f.data))
    if any(b"sync.Once" in f.data for f in pkg.files):
        names.add(b"Do")
    if any(b") String() string" in f.data for f in pkg.files):
        names.update(p.encode() for p in interproc._FMT_PRINTERS)
    return frozenset(n.decode() for n in names)


def _reference_methods(pkg: Package) -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for f in pkg.files:
        for recv, name in _METHOD_DECL.findall(f.data):
            table.setdefault(name.decode(), set()).add(recv.decode())
    return table


def _reference_instantiated(pkg: Package, name: str) -> bool:
    pattern = re.compile(rf"\b{re.escape(name)}(?:\{{|\(|\[)|new\({re.escape(name)}\)".encode())
    return any(pattern.search(f.data) for f in pkg.files if name.encode() in f.data)


def _reference_calls(f: GoFile) -> dict[str, list[tuple[int, int]]]:
    table: dict[str, list[tuple[int, int]]] = {}
    for call in captures("(call_expression) @c", f.root).get("c", []):
        fn = unparen(call.child_by_field_name("function") or call)
        name = text(fn.child_by_field_name("field")) if fn.type == "selector_expression" else text(fn)
        table.setdefault(name, []).append((call.start_byte, call.end_byte))
    return table


def _package(directory: Path, sources: dict[str, bytes] | None = None) -> Package:
    if sources is None:
        sources = {p.name: p.read_bytes() for p in sorted(directory.glob("*.go"))}
    files = [GoFile(directory / n, n, data, n.endswith("_test.go")) for n, data in sources.items()]
    return Package(directory, "p", files, NO_MODULE)


def _check(pkg: Package) -> None:
    ctx = Context(pkg, list(pkg.files))
    assert interproc.func_field_names(ctx) == _reference_func_fields(pkg)
    methods = interproc._methods_by_name(ctx)
    assert methods == _reference_methods(pkg)
    words = {m.decode() for f in pkg.files for m in re.findall(rb"[A-Za-z_]\w*", f.data)}
    for name in sorted({r for recvs in methods.values() for r in recvs} | {"T", "Server", "x"}):
        assert interproc._instantiated(ctx, name) == _reference_instantiated(pkg, name), name
    for f in pkg.files:
        ref = _reference_calls(f)
        for name in sorted(words):
            got = [(c.start_byte, c.end_byte) for c in interproc._calls_of(ctx, f, name)]
            assert got == ref.get(name, []), (f.path.name, name)


def test_testdata_is_there() -> None:
    assert len(DIRS) > 20


@pytest.mark.parametrize("directory", DIRS, ids=lambda p: str(p.relative_to(TESTDATA)))
def test_byte_scans_match_regexes(directory: Path) -> None:
    _check(_package(directory))


_CORNERS = b"""type Hook func(int)
package p

import "sync"

type handler func()

type Server struct {
\tonStop, onStart func()
\thook    Hook
\tmaybe   *Hook
\tonce    sync.Once
}

func run(f func(a func(), b func()), c func()) {}

func (s *Server) String() string { return "" }

func (s Server) Close() {}

func (p *pair[K, V]) Get() {}

func use() {
\tvar h handler
\t_ = &Server{}
\t_ = NewServer(1)
\t_ = new(Server)
\t_ = xServer{}
\t(h)()
\t(s.onStop)()
\ts.onStop().onStop()
\trun(func(a func(), b func()) {}, nil)
\tgo h()
}
"""


def test_corner_cases() -> None:
    _check(_package(Path("/nonexistent"), {"a.go": _CORNERS, "b.go": b"package p\n\nvar y = Server{}\n"}))
    # a type only ever named inside a longer word is not instantiated
    assert not interproc._instantiated(
        Context(_package(Path("/x"), {"a.go": b"package p\n\nvar v = xServer{}\n"}), []), "Server"
    )
