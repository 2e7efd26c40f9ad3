"""Nodes found from the bytes instead of a query over the whole tree are what the query answers: GL010's
database/sql method calls (ctxflow._sql_calls) and the go statements (goroutines.go_statements), on the
rules' testdata and on standard-library packages, test files written with syntax errors included, and on
corner cases; a file without one of the SQL names as a whole word is not parsed."""

from __future__ import annotations

from pathlib import Path

import pytest
from stdpkgs import corpus_files, goroot_src, package

from leaktrail.rules import ctxflow, goroutines, waitgroups
from leaktrail.rules.base import Context
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, captures, text

SRC = goroot_src()
_STD = ("database/sql", "net/http", "os/exec", "text/template", "go/types", "cmd/go/internal/work")
_NAMES = {*ctxflow._SQL_PLAIN, *ctxflow._SQL_CTX}


def _files() -> list[Path]:
    return corpus_files(_STD)


def _reference(root: Node) -> list[Node]:
    got = captures(ctxflow._SQL_CALLS, root).get("c", [])
    out = []
    for c in got:
        fn = c.child_by_field_name("function")
        if fn is not None and text(fn.child_by_field_name("field")) in _NAMES:
            out.append(c)
    return out


def _file(path: Path, data: bytes | None = None) -> GoFile:
    data = path.read_bytes() if data is None else data
    return GoFile(path, path.name, data, path.name.endswith("_test.go"))


def test_sql_calls_are_the_query_s() -> None:
    """The same calls in the same order as the query, on every file; the files that hold a name only
    inside longer words (`Execute`, `Pinger`) stay unparsed."""
    calls = inside_words = 0
    for path in _files():
        f = _file(path)
        fast = ctxflow._sql_calls(f)
        if not f.parsed:
            inside_words += any(n.encode() in f.data for n in _NAMES)
            assert _reference(_file(path).root) == [], path
            continue
        assert fast == _reference(f.root), path
        calls += len(fast)
    if SRC is not None:
        assert calls > 100
        assert inside_words > 20


@pytest.mark.parametrize(
    ("source", "found"),
    [
        (b"package p\nfunc f() { db.Query(q) }\n", ["db.Query(q)"]),
        (b"package p\nfunc f() { db.QueryRow(q).Scan(&x) }\n", ["db.QueryRow(q)"]),
        (b"package p\nfunc f() { t.Execute(w, x); x.Pinger(); y.BeginTxs() }\n", []),
        (b"package p\nfunc f() { db.\n\tExec(q) }\n", ["db.\n\tExec(q)"]),
        (b"package p\nfunc f() { db./* c */Exec(q) }\n", ["db./* c */Exec(q)"]),
        (b"package p\nfunc f() { (db.Exec)(q); Exec(q); db.Exec }\n", []),
        (b'package p\n// db.Exec(q)\nvar s = "db.Exec(q)"\n', []),
        (b"package p\nfunc f() { a.b.Prepare(q).Exec(x) }\n", ["a.b.Prepare(q).Exec(x)", "a.b.Prepare(q)"]),
        (b"package p\nfunc f() { db.Ping( }\n", None),
    ],
)
def test_sql_call_corners(source: bytes, found: list[str] | None) -> None:
    """Line breaks and comments inside the selector, parenthesised functions, plain identifiers, comments
    and strings, chained calls (outermost first, as the query orders them), a syntax error."""
    fast = ctxflow._sql_calls(_file(Path("x.go"), source))
    ref = _reference(_file(Path("x.go"), source).root)
    assert [c.byte_range for c in fast] == [c.byte_range for c in ref]
    if found is not None:
        assert [text(c) for c in fast] == found


def test_go_statements_are_the_query_s() -> None:
    """goroutines.go_statements, read from the `go` tokens before the file's query index exists, finds
    the query's statements in its order on every file (trees with syntax errors are queried); a file
    whose index is built gets the query's own answer."""
    stmts = tokens_read = 0
    for path in _files():
        data = path.read_bytes()
        if b"go" not in data:
            continue
        pkg = package(path.parent, {path.name: data})
        f = pkg.files[0]
        fast = goroutines.go_statements(Context(pkg, pkg.files), f)
        tokens_read += not f.root.has_error
        ref = captures(goroutines.GO_STATEMENTS, f.root).get("g", [])
        assert fast == ref, path
        stmts += len(fast)
        assert goroutines.go_statements(Context(pkg, pkg.files), f) == ref  # (the index built now)
    if SRC is not None:
        assert stmts > 300
        assert tokens_read > 300


@pytest.mark.parametrize(
    "source",
    [
        b"package p\nfunc f() { go g(); go(h)(); go\tk()\n go func() { go x() }() }\n",
        b'package p\n// go g()\nvar s = "go g()"\nfunc f() { ago := 1; go_ = 2; _ = `go x()` }\n',
        b"package p\nfunc f() { go /* c */ g(); L: go g() }\n",
        b"package p\nfunc f() { go }\n",
    ],
)
def test_go_statement_corners(source: bytes) -> None:
    """`go(` and tabs, nested statements, words holding `go`, comments and strings, a label, a bare `go`."""
    pkg = package(Path("/nowhere"), {"x.go": source})
    fast = goroutines.go_statements(Context(pkg, pkg.files), pkg.files[0])
    ref = captures(goroutines.GO_STATEMENTS, _file(Path("x.go"), source).root).get("g", [])
    assert [n.byte_range for n in fast] == [n.byte_range for n in ref]


def test_defer_statements_are_the_query_s() -> None:
    """goroutines.keyword_statements for defer statements (GL014's named handlers), as for go ones."""
    stmts = 0
    for path in _files():
        data = path.read_bytes()
        if b"defer" not in data:
            continue
        pkg = package(path.parent, {path.name: data})
        f = pkg.files[0]
        fast = goroutines.keyword_statements(Context(pkg, pkg.files), f, goroutines.DEFER_STATEMENTS)
        assert fast == captures(goroutines.DEFER_STATEMENTS, f.root).get("d", []), path
        stmts += len(fast)
    if SRC is not None:
        assert stmts > 300


def test_waitgroup_method_calls_are_the_query_s() -> None:
    """waitgroups._file_wg_calls: the `x.Add/Done/Wait/Go(…)` calls read from the names' tokens before the
    file's query index exists are the query's, in its order (and the query's own once it exists)."""
    calls = 0
    for path in _files():
        data = path.read_bytes()
        if not any(n in data for n in waitgroups._WG_NAMES):
            continue
        pkg = package(path.parent, {path.name: data})
        f = pkg.files[0]
        fast = waitgroups._file_wg_calls(Context(pkg, pkg.files), f)[1]
        want = [
            (m.parent.parent, text(m))
            for m in captures(waitgroups._CALLS, f.root).get("m", [])  # (builds the file's index)
            if text(m) in waitgroups._WG_METHODS and m.parent is not None and m.parent.parent is not None
        ]
        want.sort(key=lambda t: (t[0].start_byte, -t[0].end_byte))
        assert fast == want, path
        assert waitgroups._file_wg_calls(Context(pkg, pkg.files), f)[1] == want
        calls += len(fast)
    if SRC is not None:
        assert calls > 300


def test_go_statements_in_a_node_are_the_query_s() -> None:
    """goroutines.go_statements_in(node): what `captures("(go_statement) @g", node)` answers for every
    function body, go statement and block of the files (nested statements, the node itself)."""
    nodes = 0
    for path in _files():
        data = path.read_bytes()
        if b"go" not in data:
            continue
        pkg = package(path.parent, {path.name: data})
        f = pkg.files[0]
        ctx = Context(pkg, pkg.files)
        scopes = captures("[(block) (go_statement) (func_literal)] @n", f.root).get("n", [])
        fast = [goroutines.go_statements_in(ctx, f, n) for n in scopes]  # (before the index exists)
        assert fast == [captures(goroutines.GO_STATEMENTS, n).get("g", []) for n in scopes], path
        nodes += sum(map(bool, fast))
    if SRC is not None:
        assert nodes > 300
