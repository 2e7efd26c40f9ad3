"""GL022's hand-off search without the func-literal and go-statement queries (each would build the file's
whole index): go_statements against the query, and _unlocked_in_literals from the locking calls against
the union over every literal the query lists. Checked on the rules' testdata, real standard-library
packages, the syntax-error folders and corner cases."""

from __future__ import annotations

from pathlib import Path

from stdpkgs import TESTDATA, corpus_files, package, std_dirs

from leaktrail.rules.base import Context
from leaktrail.rules.lockwait import (
    _RECVS,
    _SENDS,
    _literals_with_lock_calls,
    _unlocked_in_literals,
    go_statements,
    lock_ops,
    only_in_literals,
)
from leaktrail.rules.objects import Identity
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, captures, parse, text

_STD = ("sync", "context", "net/http", "os/exec", "database/sql", "runtime/pprof", "log/slog", "net")
_FUNCS = "[(function_declaration) (method_declaration) (func_literal)] @f"

_CORNERS = [
    b"package p\nfunc f() {\n\tgo g()\n\tgo(h)()\n\tgo func() {}()\n}\n",
    b"package p\nfunc f() {\nL:go g()\n\tgoto L\n\tgogo := 1; _ = gogo // go g()\n}\n",
    b'package p\nfunc f() { s := "go g()"; _ = s; go g() }\n',
    b"package p\nfunc f() { go g(); /* go */ go g() }\nfunc ago() { cargo(); go\tg() }\n",
    b"package p\nfunc f() { go g( }\nfunc h() { go }\n",
    b"package p\nfunc f() { x := 0x1f\ngo g(); _ = x }\n",
    b"package p\nfunc f() { func() { go func() { go g() }() }() }\n",
    b"package p\nfunc f() { go g() \xc3\xa9go g() }\n",
]


def _functions(root: Node) -> list[Node]:
    return captures(_FUNCS, root).get("f", [])


def test_go_statements_are_the_query() -> None:
    """Every function of every file: the statements found from the `go` bytes are the query's, in order
    (functions with a syntax error inside ask the query: counted, so both ways are exercised)."""
    sources = [(f"c{i}", data) for i, data in enumerate(_CORNERS)]
    sources += [(str(p), p.read_bytes()) for p in corpus_files(_STD)]
    with_go = from_bytes = fallback = 0
    for name, data in sources:
        root = parse(data).root_node
        for func in _functions(root):
            want = [(n.start_byte, n.end_byte) for n in captures("(go_statement) @g", func).get("g", [])]
            got = [(n.start_byte, n.end_byte) for n in go_statements(data, func)]
            assert got == want, (name, func.start_point)
            with_go += bool(want)
            if func.has_error:
                fallback += 1
            else:
                from_bytes += 1
    assert with_go > 300 and from_bytes > 10000 and fallback > 50


def _old_unlocked_in_literals(ctx: Context, file: GoFile, func: Node) -> set[Identity]:
    """The computation replaced: every func literal the query lists."""
    out: set[Identity] = set()
    for lit in captures("(func_literal) @f", func).get("f", []):
        ops = lock_ops(ctx, file, lit)
        locked = {op.ident for op in ops if op.method in ("Lock", "RLock")}
        out.update(op.ident for op in ops if op.method in ("Unlock", "RUnlock") and op.ident not in locked)
    return out


def _dirs() -> list[Path]:
    dirs = sorted(
        {p.parent for p in TESTDATA.rglob("*.go") if p.parent.name.startswith(("GL018", "GL019", "GL022"))}
    )
    return dirs + std_dirs(_STD)


def test_literals_with_lock_calls_give_the_same_hand_offs() -> None:
    """For every function of the packages: the same mutexes as the union over all its literals, and the
    literals read are among the query's and include every one where lock_ops finds an operation."""
    dirs = _dirs()
    assert len(dirs) > 8
    handed = literals = 0
    for d in dirs:
        pkg = package(d)
        ctx = Context(pkg, list(pkg.files))
        for f in pkg.files:
            if b"Lock(" not in f.data and b"nlock(" not in f.data:
                continue
            for func in _functions(f.root):
                listed = captures("(func_literal) @f", func).get("f", [])
                read = _literals_with_lock_calls(ctx, f, func)
                assert set(read) <= set(listed), (f.path, func.start_point)
                assert {lit for lit in listed if lock_ops(ctx, f, lit)} <= set(read), (
                    f.path,
                    func.start_point,
                )
                want = _old_unlocked_in_literals(ctx, f, func)
                assert _unlocked_in_literals(ctx, f, func) == want, (f.path, func.start_point)
                handed += bool(want)
                literals += len(read)
    assert handed > 5 and literals > 50


_LITERAL_CORNERS = [
    b"package p\n// x <- y, select\nfunc f() {}\n",
    b"package p\nvar s = `a <- b select {}`\n",
    b"package p\nvar r = '<'\nfunc f(c chan int) { c <- 1 }\n",
    b'package p\nvar s = "<-"\nfunc f() {}\n',
    b"package p\nfunc f(c chan int) { /* <- */ <-c; select {} }\n",
    b"package p\nfunc f(c chan int) { c <- }\n// <-\n",
    b"package p\nfunc selected() {}\n",
]


def test_only_in_literals_means_no_such_node() -> None:
    """A file where every `<-` (or `select`) is in a comment or literal has no send, receive (or select
    statement) in its tree; counted both ways on real files."""
    files = [GoFile(Path(f"c{i}.go"), f"c{i}.go", d, False) for i, d in enumerate(_LITERAL_CORNERS)]
    files += [GoFile(p, p.name, p.read_bytes(), False) for p in corpus_files(_STD)]
    proved = {b"<-": 0, b"select": 0}
    real = {b"<-": 0, b"select": 0}
    for f in files:
        for needle, patterns in ((b"<-", (_SENDS, _RECVS)), (b"select", ("(select_statement) @s",))):
            if needle not in f.data:
                continue
            found = [n for p in patterns for ns in captures(p, f.root).values() for n in ns]
            if only_in_literals(f, needle):
                assert not found, (f.path, needle, [text(n) for n in found[:3]])
                proved[needle] += 1
            real[needle] += bool(found)
    assert proved[b"<-"] >= 2 and proved[b"select"] >= 8, proved
    assert real[b"<-"] > 200 and real[b"select"] > 50, real
    assert [only_in_literals(f, b"<-") for f in files[:6]] == [
        True,
        True,
        False,
        False,
        False,
        False,
    ]  # (an interpreted string is not read)
