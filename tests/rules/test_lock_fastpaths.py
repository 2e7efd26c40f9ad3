"""The lock rules' fast paths answer exactly what the queries they replace answer: lockwait's `make(…)`
finder (the names index instead of a query over every call of a scope) and the call graph's callers
(interproc's name-driven call finder instead of a table of every call of the file). Checked on real
packages of the Go standard library and on the lock rules' testdata."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from stdpkgs import TESTDATA, package, std_dirs

from leaktrail.rules import interproc
from leaktrail.rules.base import Context
from leaktrail.rules.callgraph import (
    _QUOTED_PATH,
    LOCK_METHODS,
    call_graph,
    method_calls_named,
    quoted_with,
    run_context,
)
from leaktrail.rules.conds import selectors_named
from leaktrail.rules.locks import _COMMENT, value_use
from leaktrail.rules.lockwait import make_calls
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, captures, forget_indexes, text, unparen
from leaktrail.source.resolve import FUNC_NODES

_STD = ("sync", "context", "net/rpc", "os/exec", "database/sql", "log/slog", "net/http/httptest", "expvar")


def _std_dirs() -> list[Path]:
    return std_dirs(_STD)


DIRS = sorted(
    {p.parent for p in TESTDATA.rglob("*.go") if p.parent.name.startswith(("GL018", "GL019", "GL02"))}
)
DIRS += _std_dirs()


_package = package


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


_METHOD_CALLS = "(call_expression function: (selector_expression field: (field_identifier) @m)) @c"


@pytest.mark.parametrize("directory", DIRS, ids=lambda p: "/".join(p.parts[-2:]))
def test_method_calls_named_match_query(directory: Path) -> None:
    """The mutex calls (lock_calls, lockwait's lock_ops) and the Wait calls (GL022, GL023)."""
    for f in _package(directory).files:
        calls = captures(_METHOD_CALLS, f.root).get("c", [])

        def named(names: tuple[str, ...], calls: list[Node] = calls) -> list[Node]:
            return [
                c
                for c in calls
                if text((c.child_by_field_name("function") or c).child_by_field_name("field")) in names
            ]

        for names in (LOCK_METHODS, ("Wait",), ("Lock", "Unlock"), ("Done", "Add", "Signal")):
            assert _spans(method_calls_named(f, names)) == _spans(named(names)), (f.path.name, names)


def _reference_run_context(node: Node) -> tuple[Node | None, bool, bool]:
    deferred = spawned = False
    p = node.parent
    while p is not None:
        kind = p.type
        if kind == "defer_statement":
            deferred = True
        elif kind == "go_statement":
            spawned = True
        elif kind in FUNC_NODES:
            parent = p.parent
            if (
                kind != "func_literal"
                or parent is None
                or parent.type != "call_expression"
                or parent.child_by_field_name("function") != p
                or parent.parent is None
                or parent.parent.type != "defer_statement"
            ):
                return p, deferred, spawned
            p = parent
        p = p.parent
    return None, deferred, spawned


@pytest.mark.parametrize("directory", DIRS, ids=lambda p: "/".join(p.parts[-2:]))
def test_run_context_matches_the_walk(directory: Path) -> None:
    """run_context keeps its answers for the ancestors it walks through: asked in any order (calls,
    then every identifier, inner nodes before outer ones), it answers what the plain walk answers."""
    forget_indexes()
    for f in _package(directory).files:
        calls = captures("(call_expression) @c", f.root).get("c", [])
        idents = captures("[(identifier) (func_literal) (block)] @i", f.root).get("i", [])
        for node in [*calls, *reversed(idents)]:
            got, want = run_context(node), _reference_run_context(node)
            assert (got[0] == want[0], got[1:]) == (True, want[1:]), (f.path.name, node.start_byte)


def test_quoted_with_keeps_every_string_a_needle_starts() -> None:
    """module_strings reads only the lines holding the module's needles: it keeps, in order, every
    quoted string the whole-file regex finds that starts with a needle (std and cmd packages, and
    corner cases: a needle after a backquote, an unclosed quote, a needle on the first and last line)."""
    corners = b'`cmd/a` "x" "cmd/b\n"cmd/c" + "y"\nfoo("cmd/d", `x`, "cmd/e")\n// "cmd/f\n"cmd/g"'
    cmd = [d.parent / "cmd" / "go" / "internal" / n for d in _std_dirs()[:1] for n in ("load", "work")]
    datas = [corners] + [f.data for d in [*DIRS, *cmd] for f in _package(d).files]
    assert sum(b'"cmd/' in data for data in datas) > 20
    for data in datas:
        for needles in ((b'"cmd',), (b'"internal', b'"sync'), (b'"std',), (b'"cmd/go',)):

            def keep(strings: list[bytes], needles: tuple[bytes, ...] = needles) -> list[bytes]:
                return [m for m in strings if any((b'"' + m).startswith(n) for n in needles)]

            assert keep(quoted_with(data, needles)) == keep(_QUOTED_PATH.findall(data))


def test_value_use_matches_the_word_bounded_regex() -> None:
    """GL019's `_used_as_value`: a name used other than in a call, comments taken out only of files
    whose raw bytes show such a use; the same answer as the `\\bname\\b(?!…)` regex over the file
    without comments, for every identifier of real files and for corner cases (a comment right after
    the name, a call on the next line, non-ASCII names that overlap themselves)."""
    corners = [
        b"x := handle // note\n(y)\nz := handle(1)",
        b"f(handle)\n// handle\n",
        "é := éaé; éaéaé := 1; aéaé(2); _ = éaé\n(3)".encode(),
        b"handle[int](x); handles := 1; _handle := 2",
        b'u := "http://handle" + handle',
    ]
    datas = [*corners, *(f.data for d in DIRS[-3:] for f in _package(d).files)]
    for data in datas:
        stripped = _COMMENT.sub(b"", data)
        names = {m.decode() for m in re.findall(rb"[A-Za-z_]\w*", data)} | {"handle", "éaé", "é", "aé"}
        for name in sorted(names):
            old = re.compile(rb"\b" + re.escape(name.encode()) + rb"\b(?!\s*[(\[])").search(stripped)
            new = re.compile(re.escape(name.encode()) + rb"\b(?!\s*[(\[])")
            assert (value_use(new, data) and value_use(new, stripped)) == (old is not None), name


@pytest.mark.parametrize("directory", DIRS, ids=lambda p: "/".join(p.parts[-2:]))
def test_callers_by_name_inverted_matches_the_scan(directory: Path) -> None:
    """callers_by_name scans the call map for its first names, then inverts it: the same answers."""
    pkg = _package(directory)
    cg = call_graph(Context(pkg, list(pkg.files)))
    _ = cg.lock_relevant_names
    names = sorted({c[::-1].decode() for called in cg._calls.values() for c in called} | {"nothing"})
    for name in names:
        key = name.encode()[::-1]
        want = {n.decode() for n, called in cg._calls.items() if key in called}
        assert cg.callers_by_name(name)[0] == want, name
    assert cg._inverted is not None or len(names) < 16
