"""The lock rules' fast paths answer exactly what the queries they replace answer: lockwait's `make(…)`
finder (the names index instead of a query over every call of a scope) and the call graph's callers
(interproc's name-driven call finder instead of a table of every call of the file). Checked on real
packages of the Go standard library and on the lock rules' testdata."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from leaktrail.rules import interproc
from leaktrail.rules.base import Context
from leaktrail.rules.conds import selectors_named
from leaktrail.rules.lockwait import make_calls
from leaktrail.source.gomod import NO_MODULE
from leaktrail.source.package import GoFile, Package
from leaktrail.source.parse import Node, captures, text, unparen
from leaktrail.source.resolve import FUNC_NODES

TESTDATA = Path(__file__).resolve().parent / "testdata"
_GOROOT = Path(__file__).resolve().parents[2] / ".venv" / "lib"
_STD = ("sync", "context", "net/rpc", "os/exec", "database/sql", "log/slog", "net/http/httptest", "expvar")


def _std_dirs() -> list[Path]:
    roots = sorted(_GOROOT.glob("python3*/site-packages/go/src"))
    goroot = os.environ.get("GOROOT")
    if goroot:
        roots.insert(0, Path(goroot) / "src")
    for root in roots:
        dirs = [root / d for d in _STD if (root / d).is_dir()]
        if dirs:
            return dirs
    return []


DIRS = sorted(
    {p.parent for p in TESTDATA.rglob("*.go") if p.parent.name.startswith(("GL018", "GL019", "GL02"))}
)
DIRS += _std_dirs()


def _package(directory: Path) -> Package:
    files = [
        GoFile(p, p.name, p.read_bytes(), p.name.endswith("_test.go")) for p in sorted(directory.glob("*.go"))
    ]
    return Package(directory, "p", files, NO_MODULE)


# The previous implementations, kept here as the specification.
def _reference_makes(scope: Node) -> list[Node]:
    return [
        call
        for call in captures("(call_expression function: (identifier) @f) @c", scope).get("c", [])
        if text(call.child_by_field_name("function")) == "make"
    ]


def _reference_calls_named(f: GoFile) -> dict[str, list[Node]]:
    table: dict[str, list[Node]] = {}
    for call in captures("(call_expression) @c", f.root).get("c", []):
        fn = unparen(call.child_by_field_name("function") or call)
        name = text(fn.child_by_field_name("field")) if fn.type == "selector_expression" else text(fn)
        table.setdefault(name, []).append(call)
    return table


def _spans(nodes: list[Node]) -> list[tuple[int, int]]:
    return [(n.start_byte, n.end_byte) for n in nodes]


def test_packages_are_there() -> None:
    assert len(DIRS) > 8


@pytest.mark.parametrize("directory", DIRS, ids=lambda p: "/".join(p.parts[-2:]))
def test_make_calls_match_query(directory: Path) -> None:
    for f in _package(directory).files:
        scopes = [
            f.root,
            *captures("[(function_declaration) (method_declaration) (func_literal)] @f", f.root).get("f", []),
        ]
        assert all(s.type in (*FUNC_NODES, "source_file") for s in scopes)
        for scope in scopes:
            assert _spans(make_calls(f, scope)) == _spans(_reference_makes(scope)), (
                f.path.name,
                scope.start_byte,
            )


@pytest.mark.parametrize("directory", DIRS, ids=lambda p: "/".join(p.parts[-2:]))
def test_callers_find_the_calls_a_query_finds(directory: Path) -> None:
    pkg = _package(directory)
    ctx = Context(pkg, list(pkg.files))
    for f in pkg.files:
        ref = _reference_calls_named(f)
        names = {text(n) for n in captures("[(identifier) (field_identifier)] @i", f.root).get("i", [])}
        for name in sorted(names):  # callers asks for declared names only
            got = interproc._calls_of(ctx, f, name)
            assert _spans(got) == _spans(ref.get(name, [])), (f.path.name, name)


@pytest.mark.parametrize("directory", DIRS, ids=lambda p: "/".join(p.parts[-2:]))
def test_selectors_and_identifiers_match_queries(directory: Path) -> None:
    """GL023's lookups of `x.Signal`, `x.Broadcast`, `x.<field>` and of a global's identifiers."""
    for f in _package(directory).files:
        selectors = captures("(selector_expression field: (field_identifier) @f) @s", f.root).get("s", [])
        idents = captures("(identifier) @s", f.root).get("s", [])
        for name in sorted(
            {text(s.child_by_field_name("field")) for s in selectors} | {"Signal", "Broadcast"}
        ):
            ref = [s for s in selectors if text(s.child_by_field_name("field")) == name]
            assert _spans(selectors_named(f, name)) == _spans(ref), (f.path.name, name)
        for name in sorted({text(i) for i in idents}):
            ref = [i for i in idents if text(i) == name]
            assert _spans(f.identifiers.get(name, [])) == _spans(ref), (f.path.name, name)
