"""The channel rules' byte-level fast paths never skip a file the tree-based checks need: GL001's
per-file precondition (channels._ranges_may_report) holds wherever a range passes the structural and
type tests it stands for, and channels.selector_or_key_files keeps every file holding a selector or a
keyed key of the name. Checked on real packages of the Go standard library, on the rules' testdata and
on generated sources with comments, literals and aliases where a byte reader could go wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from stdpkgs import TESTDATA, package, std_dirs

from leaktrail.rules import crosscall
from leaktrail.rules.base import Context
from leaktrail.rules.channels import (
    _may_be_made_here,
    _ranges_may_report,
    code_bytes,
    selector_or_key_files,
)
from leaktrail.rules.tokens import keyed_keys
from leaktrail.source.package import GoFile
from leaktrail.source.parse import captures, text, unparen

_STD = (
    "context",
    "os/signal",
    "os/exec",
    "net/rpc",
    "database/sql",
    "log/slog",
    "expvar",
    "time",
    "go/scanner",
)


def _std_dirs() -> list[Path]:
    return std_dirs(_STD)


DIRS = sorted(
    {
        p.parent
        for p in TESTDATA.rglob("*.go")
        if p.parent.name.startswith(("GL001", "GL005", "GL006", "GL007", "GL021"))
    }
)
DIRS += _std_dirs()


_package = package


def _needed(ctx: Context, f: GoFile) -> bool:
    """The tree-based tests the precondition stands for: some `for … range x` (or `x.f`) passes
    _may_be_made_here and is typed a channel."""
    res = ctx.resolver(f)
    for clause in captures("(range_clause right: (_) @r)", f.root).get("r", []):
        expr = unparen(clause)
        loop = clause.parent.parent if clause.parent is not None else None
        if loop is None or loop.type != "for_statement":
            continue
        if expr.type not in ("identifier", "selector_expression"):
            continue
        if not _may_be_made_here(ctx, res, expr):
            continue
        t = res.infer(expr)
        if t is not None and t.is_chan:
            return True
    return False


def test_packages_are_there() -> None:
    assert len(DIRS) > 10


@pytest.mark.parametrize("directory", DIRS, ids=lambda p: "/".join(p.parts[-2:]))
def test_range_precondition_holds_where_needed(directory: Path) -> None:
    unparsed = _package(directory)  # (a parsed file is always admitted: the reading is tested unparsed)
    ctx = Context(unparsed, unparsed.files)
    admitted = {f.display for f in unparsed.files if _ranges_may_report(ctx, f)}
    pkg = _package(directory)
    for f in pkg.files:
        if b"range" in f.data and _needed(Context(pkg, pkg.files), f):
            assert f.display in admitted


def test_range_precondition_skips_files() -> None:
    """Not vacuous: on the standard library packages most files that range are skipped."""
    skipped = ranging = 0
    for directory in _std_dirs():
        pkg = _package(directory)
        ctx = Context(pkg, pkg.files)
        for f in pkg.files:
            if b"range" in f.data:
                ranging += 1
                skipped += not _ranges_may_report(ctx, f)
    assert ranging > 50
    assert skipped > ranging // 4


_HEAD = b"package p\n\n"
_CASES: dict[str, tuple[bytes, bool]] = {
    # name: (source after the package clause, whether a range in it passes the tree-based tests)
    "param": (b"func f(ch chan int) {\n\tfor v := range ch {\n\t\t_ = v\n\t}\n}\n", True),
    "param-recv": (b"func f(ch <-chan int) {\n\tfor range ch {\n\t}\n}\n", True),
    "param-group": (b"func f(a, b chan int) {\n\tfor range a {\n\t}\n}\n", True),
    "param-group-comments": (
        b"func f(a, // first\n\t/* the second */ b /* x */ chan int) {\n\tfor range a {\n\t}\n}\n",
        True,
    ),
    "param-parenthesized": (b"func f(a ( chan int)) {\n\tfor range a {\n\t}\n}\n", True),
    "param-literal": (b"var g = func(c chan int) {\n\tfor range c {\n\t}\n}\n", True),
    "param-alias": (b"type C = chan int\n\nfunc f(c C) {\n\tfor range c {\n\t}\n}\n", True),
    "param-alias-group": (
        b"type (\n\tN int\n\tC = chan int\n)\n\nfunc f(c C) {\n\tfor range c {\n\t}\n}\n",
        True,
    ),
    "param-alias-chain": (
        b"type A = B\ntype B = (chan int)\n\nfunc f(c A) {\n\tfor range c {\n\t}\n}\n",
        True,
    ),
    "param-generic-alias": (b"type C[T any] = chan T\n\nfunc f(c C[int]) {\n\tfor range c {\n\t}\n}\n", True),
    "param-parenthesized-operand": (b"func f(c chan int) {\n\tfor range (c) {\n\t}\n}\n", True),
    "operand-after-comment": (b"func f(c chan int) {\n\tfor range /* the channel */ c {\n\t}\n}\n", True),
    "operand-on-next-line": (
        b"type S struct{ c chan int }\n\nfunc (s S) f() {\n\tfor range s.\n\t\tc {\n\t}\n}\n",
        False,
    ),
    "local-made": (b"func f() {\n\tc := make(chan int)\n\tfor range c {\n\t}\n}\n", True),
    "local-made-comment": (b"func f() {\n\tc := make /* x */ (chan int)\n\tfor range c {\n\t}\n}\n", True),
    "field-made": (
        b"type s struct{ c chan int }\n\nfunc (x *s) init() { x.c = make(chan int) }\n\n"
        b"func (x *s) run() {\n\tfor range x.c {\n\t}\n}\n",
        True,
    ),
    "global-made": (b"var c = make(chan int)\n\nfunc f() {\n\tfor range c {\n\t}\n}\n", True),
    "string-with-brace": (
        b'func f(c chan int) {\n\ts := "{"\n\t_ = s\n\tfor range c {\n\t}\n}\n',
        True,
    ),
    "range-in-comment": (
        b"// range over the { items\nfunc f(c chan int) {\n\tfor range c {\n\t}\n}\n",
        True,
    ),
    "range-after-block-comment": (
        b"/* a\nb // c */ var _ = func(c chan int) { for range c {\n} }\n",
        True,
    ),
    "alias-after-block-comment": (
        b"/* a\nb // c */ type C = chan int\n\nfunc f(c C) {\n\tfor range c {\n\t}\n}\n",
        True,
    ),
    "unicode-space": ("func f(c\u00a0chan int) {\n\tfor range c {\n\t}\n}\n".encode(), True),
    "slice-param": (b"func f(xs []int) {\n\tfor range xs {\n\t}\n}\n", False),
    "named-chan-type": (b"type C chan int\n\nfunc f(c C) {\n\tfor range c {\n\t}\n}\n", False),
    "variadic": (b"func f(cs ...chan int) {\n\tfor range cs {\n\t}\n}\n", False),
    "call-operand": (b'func f() {\n\tfor range strings.Split("a{b", ",") {\n\t}\n}\n', False),
}


@pytest.mark.parametrize("name", sorted(_CASES))
def test_range_precondition_generated(name: str, tmp_path: Path) -> None:
    source, needed = _CASES[name]
    unparsed = _package(tmp_path, {"a.go": _HEAD + source})
    admitted = _ranges_may_report(Context(unparsed, unparsed.files), unparsed.files[0])
    assert not unparsed.files[0].parsed or b"make(" in source
    pkg = _package(tmp_path, {"a.go": _HEAD + source})
    assert _needed(Context(pkg, pkg.files), pkg.files[0]) == needed
    if needed:
        assert admitted
    elif name in ("slice-param", "variadic", "call-operand"):
        assert not admitted  # the reading is not all-accepting


def test_code_bytes() -> None:
    data = b"x := \"a\\\"//\" + '\\'' // c range\n/* range { */ for range y { } s := `r\nq`\n"
    assert code_bytes(data) == b"x :=   +    \n  for range y { } s :=  \n"
    assert code_bytes(b'x := "open\n') is None


@pytest.mark.parametrize("directory", DIRS, ids=lambda p: "/".join(p.parts[-2:]))
def test_selector_or_key_files_keep_every_use(directory: Path) -> None:
    pkg = _package(directory)
    names: dict[str, set[str]] = {}
    for f in pkg.files:
        for name, ids in f.field_identifiers.items():
            for fid in ids:
                sel = fid.parent
                if (
                    sel is not None
                    and sel.type == "selector_expression"
                    and sel.child_by_field_name("field") == fid
                ):
                    names.setdefault(name, set()).add(f.display)
    chosen = sorted(names)[:400]
    for f in pkg.files:
        for name in chosen:
            if any(text(k) == name for k in keyed_keys(f, name)):
                names[name].add(f.display)
    unparsed = _package(directory)  # (a parsed file is always kept: the byte test is tested unparsed)
    ctx = Context(unparsed, unparsed.files)
    for name in chosen:
        kept = {f.display for f in selector_or_key_files(ctx, name)}
        assert names[name] <= kept, name
    assert not any(f.parsed for f in unparsed.files)


def _receives_judged(ctx: Context, f: GoFile) -> bool:
    """What _unsent_field_receives judges: a `<-` whose operand is an unexported field's selector, or
    a call of a method the package declares."""
    res = ctx.resolver(f)
    for operand in captures('(unary_expression operator: "<-" operand: (_) @c)', f.root).get("c", []):
        expr = unparen(operand)
        if expr.type == "selector_expression" and not text(expr.child_by_field_name("field"))[:1].isupper():
            return True
        if expr.type == "call_expression":
            callee = res.called_function(expr)
            if callee is not None and callee[1].type == "method_declaration":
                return True
    return False


@pytest.mark.parametrize("directory", DIRS, ids=lambda p: "/".join(p.parts[-2:]))
def test_receive_gate_and_made_fields(directory: Path) -> None:
    pkg = _package(directory)
    ctx = Context(pkg, pkg.files)
    made = crosscall._fields_made_here(ctx)
    for f in pkg.files:
        if _receives_judged(ctx, f):
            assert crosscall._may_receive_selector(ctx, f), f.display
        for name in f.field_identifiers:
            if not name[:1].isupper() and crosscall._field_made_here(ctx, name):
                assert name.encode() in made, name


_RECEIVES = {
    "ch": (b"<-ch\n", False),
    "parenthesized": (b"<-(ch)\n", True),
    "indexed": (b"<-chs[i]\n", True),  # (an index may go on: `chs[i].c`)
    "selector": (b"<-x.f\n", True),
    "exported-field": (b"<-t.C\n", False),
    "function-call": (b"<-get()\n", False),
    "call-then-field": (b"<-get().c\n", True),
    "method-call": (b"<-x.get()\n", True),  # (the package declares get below)
    "other-method-call": (b"<-ctx.Done()\n", False),
    "unary": (b"<-*p\n", False),
    "selector-next-line": (b"<-x.\n\tf\n", True),
    "dot-on-next-line": (b"<-x\n\t.f\n", True),
    "comment": (b"<- /* c */ x.f\n", True),
    "operand-next-line": (b"<-\n\tx.f\n", True),
    "open-bracket": (b"<-chs[\n\tx.i]\n", True),
    "in-line-comment": (b"// <-x.f\n", False),
    "in-block-comment": (b"/* <-x.f */\n", False),
    "in-raw-string": (b"_ = `<-x.f`\n", False),
    "in-string": (b'_ = "<-x.f"\n', True),  # (an interpreted string is not read: kept)
    "comment-after-open-string": (b'_ = "a\n// <-x.f\n', True),
    "after-open-raw": (b"_ = `a\n<-x.f\n", True),
    "code-after-comment": (b"/* c */ <-x.f\n", True),
    "code-after-raw-string": (b"_ = `<-y.g` + <-x.f\n", True),
}


@pytest.mark.parametrize("name", sorted(_RECEIVES))
def test_receive_gate_generated(name: str, tmp_path: Path) -> None:
    source, possible = _RECEIVES[name]
    data = b"package p\n\nfunc f() {\n\t" + source + b"}\n"
    other = b"package p\n\nfunc g() { <-ctx.Done() }\n\nfunc (x *T) get() chan int { return x.c }\n"
    pkg = _package(tmp_path, {"a.go": data, "b.go": other})
    assert crosscall._may_receive_selector(Context(pkg, pkg.files), pkg.files[0]) == possible
