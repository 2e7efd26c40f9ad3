"""interproc.field_stores leaves a file unparsed when its bytes prove it holds no store of the field
(interproc.may_store): checked against the tree on the rules' testdata and on standard-library packages,
including test files written with syntax errors (whose trees hold ERROR nodes), on corner cases, and end
to end against field_stores with every file parsed and asked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from stdpkgs import TESTDATA, corpus_files, goroot_src, package

from leaktrail.rules import interproc
from leaktrail.rules.base import Context
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, captures, text

SRC = goroot_src()
_STD = (
    "sync",
    "net/http",
    "os/exec",
    "go/ast",
    "runtime/pprof",
    "cmd/go/internal/modload",
    "text/template/parse",
)


def _files() -> list[Path]:
    return corpus_files(_STD)


def _stored_names(root: Node) -> set[str]:
    """The names field_stores finds a store of in this tree (its two shapes, read from the tree)."""
    found: set[str] = set()
    got = captures("[(field_identifier) @f (identifier) @i]", root)
    for node in got.get("f", []):
        expr = node.parent
        if (
            expr is not None
            and expr.type == "selector_expression"
            and interproc._assigned_value(expr) is not None
        ):
            found.add(text(node))
    for node in got.get("i", []):
        key_el = node.parent
        keyed = key_el.parent if key_el is not None else None
        if (
            key_el is not None
            and keyed is not None
            and (key_el.type, keyed.type) == ("literal_element", "keyed_element")
            and keyed.named_children[0] == key_el
        ):
            found.add(text(node))
    return found


def test_no_store_the_bytes_deny_is_in_the_tree() -> None:
    """Every name a file's tree holds a store of is one may_store admits (on trees with and without
    syntax errors); and the bytes do deny most other names (the proof is worth its cost)."""
    denied = errors = 0
    for path in _files():
        data = path.read_bytes()
        f = GoFile(path, path.name, data, False)
        root = f.root
        errors += root.has_error
        stored = _stored_names(root)
        for name in stored:
            if interproc._WORD_NAME.fullmatch(name.encode()):
                assert interproc.may_store(data, name.encode()), (path, name)
                assert interproc.may_store(data, name.encode(), f.literals.covers), (path, name)
        names = {text(n) for n in captures("(field_identifier) @f", root).get("f", [])} - stored
        denied += sum(not interproc.may_store(data, n.encode(), f.literals.covers) for n in names)
    assert denied > (2000 if SRC is not None else 50)
    if SRC is not None:
        assert errors >= 20


@pytest.mark.parametrize(
    ("source", "stored"),
    [
        (b"x.f.g = 1", False),
        (b"x.f = 1", True),
        (b"x.f, y = 1, 2", True),
        (b"y, x.f = 1, 2", True),
        (b"x.f += 1", True),
        (b"x.f <<= 1", True),
        (b"x.f &^= 1", True),
        (b"x.f /* c */ = 1", True),
        (b"x.f // c\n= 1", True),
        (b"x.f\n= 1", True),
        (b"T{f: 1}", True),
        (b"T{f\n: 1}", True),
        (b"T{f /* c */ : 1}", True),
        (b"f := 1", False),
        (b"x.f == 1", False),
        (b"x.f != 1", False),
        (b"x.f <- 1", False),
        (b"x.f++", False),
        (b"x.f--", False),
        (b"x.f(1)", False),
        (b"x.f[0] = 1", False),
        (b"x.f.g(1)", False),
        (b"x.f -m", False),
        (b"x.f *T", False),
        (b"x.f - m", True),
        (b"f = 1; f += 2; g(f, 3); var f, g int; f < 0", False),
        (b"f: 1", True),
        (b"x.\n\tf = 1", True),
        (b"x. // c\n\tf = 1", True),
        (b"x. /* c */ f = 1", True),
        (b"// say f: so\nf()", True),
        (b"s := `f: 1`", True),
        (b"x.f", True),
        (b"x.f /* never closed", True),
        (b"x.f // to the end", True),
        (b"x.f \xc2\xb7", True),
        (b"ff = 1; f_ = 2; x.f()", False),
        (b"f", True),
        (b"a.f(); b.f = 1", True),
        (b"// x.f = 1\nx.f()", True),
        (b'"\\nf: 1"', True),
        (b'"\\nf = 1"', False),
        (b"x := 0x1f; y.f()", False),
    ],
)
def test_may_store_corners(source: bytes, stored: bool) -> None:
    """What follows each whole-word occurrence decides: `,`, `=`, `:` and assignment operators admit a
    store after a selector's `.` (a comment before the name may hide one), only `:` (a key) after
    anything else; a bare operator, the end of the file and an unterminated comment admit one too; `f`
    inside `ff` or `f_` is no occurrence; without the file's literals, an occurrence inside a comment
    or a literal is read like code (the file is then parsed); with them, it is skipped."""
    assert interproc.may_store(source, b"f") is stored
    covers = GoFile(Path("x.go"), "x.go", source, False).literals.covers
    assert interproc.may_store(source, b"f", covers) is (stored and not source.startswith((b"//", b"s :=")))


def _stores(pkg_dir: Path, names: list[str]) -> dict[str, list[tuple[str, tuple[int, int], str]]]:
    pkg = package(pkg_dir)
    ctx = Context(pkg, pkg.files)
    return {
        n: [(st.file.display, st.value.byte_range, st.owner) for st in interproc.field_stores(ctx, n)]
        for n in names
    }


def test_field_stores_the_same_with_every_file_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """field_stores answers the same for every field name of real packages with the proof and with every
    file parsed and asked (the proof switched off), and the proof leaves files unparsed there."""
    dirs = sorted({p.parent for p in TESTDATA.rglob("*.go")})[:12]
    if SRC is not None:
        dirs += [SRC / d for d in _STD if (SRC / d).is_dir()]
    real = interproc.may_store
    denied: list[bool] = []

    def counted(data: bytes, name: bytes, covered: Callable[[int, int], bool] | None = None) -> bool:
        found = real(data, name, covered)
        denied.append(not found)
        return found

    for d in dirs:
        names = sorted({text(n) for p in sorted(d.glob("*.go")) for n in _field_names(p)})
        monkeypatch.setattr(interproc, "may_store", counted)
        fast = _stores(d, names)
        monkeypatch.setattr(interproc, "may_store", lambda *_: True)
        full = _stores(d, names)
        assert fast == full, d
    assert denied.count(True) > (200 if SRC is not None else 5)


def _field_names(path: Path) -> list[Node]:
    root = GoFile(path, path.name, path.read_bytes(), False).root
    return captures("(field_identifier) @f", root).get("f", [])


@pytest.mark.parametrize(
    ("source", "skipped"),
    [
        (b"package p\nfunc g() { x.f() }\n", True),
        (b"package p\nfunc g() { x.f ) = 1 }\n", False),
        (b'package p\nfunc g() { x.f() }\nvar s = "unclosed\n', False),
        (b"package p\nfunc g() { x.f() } // \xc3\xa9\n", True),
        (b'package p\nfunc g() { x.f("\xc3\xa9") }\n', True),
        (b"package p\nfunc g() { x.f() }\nvar \xc3\xa9 = 1\n", False),
    ],
)
def test_a_file_that_may_not_parse_cleanly_is_asked(source: bytes, skipped: bool) -> None:
    """field_stores skips a file on its bytes only when its comments and literals close, its code is
    ASCII and its brackets nest: a syntax error's recovery may read a store where the bytes hold none."""
    pkg = package(Path("/nowhere"), {"a.go": source})
    assert interproc.field_stores(Context(pkg, pkg.files), "f") == []
    assert pkg.files[0].parsed is not skipped


@pytest.mark.parametrize(
    "source",
    [
        b"x := \"a{b\" // c}\ny := `d\n}` + '{'\n",
        b"/* a\n} */ f()",
        b'x := "unclosed\n',
        b"x := 1 /* open",
        b"f(}",
        b"var \xc3\xa9 = 1",
        b'var s = "\xc3\xa9"',
    ],
)
def test_reads_cleanly_corners(source: bytes) -> None:
    """workers.reads_cleanly answers what code_only, isascii and nested answer together."""
    from leaktrail.rules import workers

    code = workers.code_only(source)
    assert workers.reads_cleanly(source) == (code is not None and code.isascii() and workers.nested(code))


def test_reads_cleanly_on_real_files() -> None:
    """The same answer on every file of the testdata, the standard-library packages and the test files
    written with syntax errors."""
    from leaktrail.rules import workers

    unclean = 0
    for path in _files():
        data = path.read_bytes()
        code = workers.code_only(data)
        slow = code is not None and code.isascii() and workers.nested(code)
        assert workers.reads_cleanly(data) == slow, path
        unclean += not slow
    if SRC is not None:
        assert unclean >= 3
