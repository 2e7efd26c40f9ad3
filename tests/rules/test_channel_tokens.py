"""The channel rules' answers from the bytes equal the tree's: channels.channel_captures (ranges, sends
and receives found from their `range` / `<-` tokens) returns what the indexed query returns, and
channels.unicode_spaced (memoised per bytes object) what its search says. Checked on real packages of
the Go standard library, on the rules' testdata and on generated sources with comments, literals,
channel types and syntax errors where a token reader could go wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from stdpkgs import TESTDATA, package, std_dirs

from leaktrail.rules import channels
from leaktrail.rules.base import Context
from leaktrail.rules.channels import (
    _UNICODE_SPACE,
    DEFERS,
    GOS,
    RANGES,
    RECVS,
    SELECTS,
    SENDS,
    captures_within,
    channel_captures,
    keys_named,
    own_returns,
    unicode_spaced,
)
from leaktrail.rules.crosscall import _sent_on, _stopped_timer, add_calls, stop_ifs
from leaktrail.rules.tokens import keyed_keys
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, captures, forget_indexes, text, unparen
from leaktrail.source.resolve import enclosing_func

_STD = ("context", "net/http", "os/exec", "database/sql", "sync", "time", "runtime/pprof", "log/slog")
DIRS = sorted({p.parent for p in TESTDATA.rglob("*.go")})
DIRS += std_dirs(_STD) + std_dirs(("runtime/testdata/testgoroutineleakprofile/goker",))
_PATTERNS = {RANGES: "r", SENDS: "c", RECVS: "c", GOS: "g", SELECTS: "s", DEFERS: "d"}


def _spans(nodes: list) -> list[tuple[int, int, str]]:  # type: ignore[type-arg]
    return [(n.start_byte, n.end_byte, n.type) for n in nodes]


def _check_returns(f: GoFile) -> int:
    """own_returns of every function and literal (fresh context, no index) against the query."""
    forget_indexes()
    funcs = captures("[(function_declaration) (method_declaration) (func_literal)] @f", f.root).get("f", [])
    forget_indexes()
    pkg = f.package if f.package is not None else package(f.path.parent)
    ctx = Context(pkg, [f])
    got = [own_returns(ctx, f, func) for func in funcs]  # (before any query builds the file's index)
    compared = 0
    for func, mine in zip(funcs, got, strict=True):
        want = [r for r in captures("(return_statement) @r", func).get("r", []) if enclosing_func(r) == func]
        assert _spans(mine) == _spans(want), (f.display, func.start_point)
        compared += len(want)
    return compared


def _check_file(f: GoFile) -> int:
    """channel_captures of a fresh context (no index built) against the query; the number compared."""
    forget_indexes()
    compared = 0
    for pattern, name in _PATTERNS.items():
        want = captures(pattern, f.root).get(name, [])
        forget_indexes()
        ctx = Context(f.package, [f]) if f.package is not None else Context(package(f.path.parent), [f])
        got = channel_captures(ctx, f, pattern)
        assert _spans(got) == _spans(want), (f.display, pattern)
        assert got == want
        compared += len(want)
    return compared


def test_packages_are_there() -> None:
    assert len(DIRS) > 30


_COMPARED: dict[str, int] = {}


@pytest.mark.parametrize("directory", DIRS, ids=lambda p: "/".join(p.parts[-2:]))
def test_captures_equal_the_query(directory: Path) -> None:
    pkg = package(directory)
    _COMPARED[str(directory)] = sum(_check_file(f) + _check_returns(f) for f in pkg.files)


def test_not_vacuous() -> None:
    """The real packages hold thousands of the captures compared (runs after the comparisons)."""
    if len(_COMPARED) < len(DIRS):
        pytest.skip("run with the comparisons")
    assert sum(_COMPARED.values()) > 5000


_HEAD = b"package p\n\n"
_CASES = {
    "plain": b"func f(c chan int) {\n\tfor v := range c {\n\t\tc <- v\n\t\t<-c\n\t}\n}\n",
    "types": b"func f(a <-chan int, b chan<- int, c chan (<-chan int)) <-chan int {\n\treturn a\n}\n",
    "nested-recv": b"func f(c chan chan int) {\n\t<-<-c\n\tx := <-(<-c)\n\t_ = x\n}\n",
    "send-of-recv": b"func f(a, b chan int) {\n\ta <- <-b\n\t(a) <- 1\n}\n",
    "range-of-recv": (
        b"func f(c chan []int) {\n\tfor range <-c {\n\t}\n\tfor i := range 10 {\n\t\t_ = i\n\t}\n}\n"
    ),
    "nested-range": (
        b"func f(c chan int, g func(func()) []int) {\n\tfor range g(func() { for range c {} }) {\n\t}\n}\n"
    ),
    "comments-and-literals": (
        b"// range c <- x\n/* for range c { <-c } */\n"
        b"func f(c chan string) {\n\tc <- \"<- range\"\n\tc <- `range\n<-`\n\t_ = '<'\n}\n"
    ),
    "shifts": b"func f(a int, c chan int) {\n\t_ = a<<-1\n\t_ = a < -1\n\tc<-a\n\t_ = a<<<-c\n}\n",
    "names-holding-range": b"func f(arrange, ranges chan int) {\n\tfor range arrange {\n\t}\n\t<-ranges\n}\n",
    "send-in-channel": (
        b"func f(c chan int, g func(func()) chan int) {\n\tg(func() { c <- 1 }) <- 2\n"
        b"\tfor range g(func() { for range c {} }) {\n\t}\n}\n"
    ),
    "returns": (
        b"func f() (int, func() int) {\n\tif true {\n\t\treturn 1, func() int { return 2 }\n\t}\n"
        b"\t// return 3\n\treturned := 4\n\treturn returned, nil\n}\n"
    ),
    "go-and-select": (
        b"func f(c chan int) {\n\tgo func() { select {} }()\n\tgo f(c)\n\t// go ago algo select\n"
        b"\tgoto done\ndone:\n\tselect {\n\tcase <-c:\n\t\tgo func() { select { case c <- 1: } }()\n\t}\n"
        b'\t_ = "go select"\n\tvar selected, gone int\n\t_, _ = selected, gone\n}\n'
    ),
    "defers": (
        b"func f(c chan int) {\n\tdefer close(c)\n\t// defer x\n\tdefer func() { defer close(c) }()\n"
        b'\tdeferred := "defer"\n\t_ = deferred\n}\n'
    ),
    "select": b"func f(c chan int) {\n\tselect {\n\tcase v := <-c:\n\t\t_ = v\n\tcase c <- 1:\n\t}\n}\n",
    "syntax-error": b"func f(c chan int) {\n\tfor range c {\n\t\tc <- \n\t}\n\t<-c +\n}\n",
    "unterminated": b'func f(c chan int) {\n\t<-c\n\ts := "range <-\n}\n',
    "non-ascii-space": "func f(c chan int) {\n\tfor range\u00a0c {\n\t}\n\tc\u3000<- 1\n}\n".encode(),
}


@pytest.mark.parametrize("name", sorted(_CASES))
def test_generated_cases(name: str) -> None:
    pkg = package(Path("/generated"), {"a.go": _HEAD + _CASES[name]})
    _check_file(pkg.files[0])
    _check_returns(pkg.files[0])


def test_an_index_built_is_used() -> None:
    """With the file's index built, the query answers (the same nodes)."""
    pkg = package(Path("/generated"), {"a.go": _HEAD + _CASES["plain"]})
    f = pkg.files[0]
    forget_indexes()
    captures(RANGES, f.root)  # builds the combined index
    ctx = Context(pkg, [f])
    assert _spans(channel_captures(ctx, f, SENDS)) == _spans(captures(SENDS, f.root)["c"])


_SPACED = [
    b"",
    b"plain ascii",
    "em \u2014 dash, caf\u00e9".encode(),
    "no\u00a0break".encode(),
    "ideographic\u3000space".encode(),
    "ogham\u1680mark".encode(),
    "line\u2028sep".encode(),
    "narrow\u202fnbsp".encode(),
    "medium\u205fspace".encode(),
    "next\u0085line".encode(),
    "\u2009thin".encode(),
    "almost \u200b zero width".encode(),
    "\u2030 per mille".encode(),
]


def test_unicode_spaced_memo_answers_for_each_bytes_object() -> None:
    """Equal answers to the search's for bytes objects made and dropped in turn, pairs of the same
    length, one spaced and one not (the allocator reuses a dropped object's slot, so its id: a memo
    keyed by the id alone, without keeping the bytes, answers for the wrong object)."""
    for sample in _SPACED:
        twin = sample.replace(b"\xc2\xa0", b"\xc3\xa9").replace(b"\xe3\x80\x80", b"\xe2\x80\x94")
        twin = twin.replace(b"\xe2\x80\xa8", b"\xe2\x80\x94").replace(b"\xe2\x80\xaf", b"\xe2\x80\x94")
        for i in range(200):
            data = bytes(bytearray((sample if i % 2 else twin) + b" x"))
            assert unicode_spaced(data) == (_UNICODE_SPACE.search(data) is not None), data
            del data
    assert len(channels._SPACED) <= 4096


def test_unicode_spaced_on_real_files() -> None:
    for directory in std_dirs(_STD):
        for p in sorted(directory.glob("*.go")):
            data = p.read_bytes()
            want = _UNICODE_SPACE.search(data) is not None
            assert unicode_spaced(data) == want
            assert unicode_spaced(data) == want  # (memoised)


_KEY_NAMES = re.compile(rb"[A-Za-z_][\w]*")


def _check_keys(f: GoFile, names: list[str]) -> int:
    compared = 0
    for name in names:
        for with_value in (True, False):
            want = keyed_keys(f, name, with_value)
            assert _spans(keys_named(f, name, with_value)) == _spans(want), (f.display, name)
            compared += len(want)
    return compared


def test_keys_named_on_real_files() -> None:
    """Every word of each file asked (a spread of them in the big files)."""
    compared = 0
    for directory in DIRS:
        for p in sorted(directory.glob("*.go")):
            data = p.read_bytes()
            f = GoFile(p, p.name, data, p.name.endswith("_test.go"))
            names = sorted({w.decode() for w in _KEY_NAMES.findall(data)})
            compared += _check_keys(f, names[:: max(1, len(names) // 120)])
    assert compared > 1000


_KEY_CASES = {
    "plain": b"var x = T{c: 1, cc: 2, d: c}\n",
    "blank-before-colon": b"var x = T{c : 1, d\n\t: 2}\n",
    "comment-before-colon": b"var x = T{c /* the c */ : 1, d // d\n\t: 2}\n",
    "map-and-selector": b"var x = map[string]int{a.c: 1}\nvar y = s.c\n",
    "label-and-case": b"func f(c int) {\nc:\n\tswitch c {\n\tcase c:\n\t}\n}\n",
    "missing-colon": b"var x = T{c 1, d: 2}\n",
    "broken": b"var x = T{c: \n",
    "nested": b"var x = T{c: U{c: 1}, d: []U{{c: 2}}}\n",
    "non-ascii-space": "var x = T{c\u00a0: 1}\n".encode(),
    "longer-names": "var x = T{\u00e9c: 1, bc: 2, a\u00e9c: 3, \u00e9bc: 4}\n".encode(),
    "lone-unicode-key": "var x = T{\u00e9c: 1}\n".encode(),
    "label-after-letter": b"func f() {\nabc:\n\tfor {\n\t\tbreak abc\n\t}\n\t_ = T{bc: 1}\n}\n",
}


@pytest.mark.parametrize("case", sorted(_KEY_CASES))
def test_keys_named_cases(case: str) -> None:
    data = _HEAD + _KEY_CASES[case]
    f = GoFile(Path("/generated/a.go"), "a.go", data, False)
    _check_keys(f, ["c", "d", "cc", "x", "bc", "\u00e9c", "abc"])


def _old_add_calls(f: GoFile) -> list[Node]:
    query = "(call_expression function: (selector_expression field: (field_identifier) @m)) @c"
    found = []
    for call in captures(query, f.root).get("c", []):
        fn = call.child_by_field_name("function")
        if fn is not None and text(fn.child_by_field_name("field")) == "Add":
            found.append(call)
    return found


_ADD_CASES = {
    "plain": b"func f(wg *sync.WaitGroup, xs []int) {\n\twg.Add(len(xs))\n\twg.Add(1)\n}\n",
    "nested": b"func f(a, b T) {\n\ta.Add(b.Add(1)).Add(2)\n\t(a.Add)(3)\n}\n",
    "names": (
        b"func f(a T) {\n\tAdd(1)\n\ta.AddFunc(1)\n\ta.xAdd(1)\n\t_ = a.Add\n\t// a.Add(1)\n"
        b'\t_ = "a.Add(1)"\n}\n'
    ),
    "generic": b"func f(a T) {\n\ta.Add[int](1)\n\tpkg.Add(1)\n}\n",
    "broken": b"func f(a T) {\n\ta.Add(1\n\ta.Add(2)\n}\n",
}


@pytest.mark.parametrize("directory", DIRS, ids=lambda p: "/".join(p.parts[-2:]))
def test_add_calls_equal_the_query(directory: Path) -> None:
    pkg = package(directory)
    for f in pkg.files:
        ctx = Context(pkg, [f])
        assert _spans(add_calls(ctx, f)) == _spans(_old_add_calls(f)), f.display


@pytest.mark.parametrize("case", sorted(_ADD_CASES))
def test_add_calls_cases(case: str) -> None:
    pkg = package(Path("/generated"), {"a.go": _HEAD + _ADD_CASES[case]})
    f = pkg.files[0]
    want = _old_add_calls(f)
    assert _spans(add_calls(Context(pkg, [f]), f)) == _spans(want)
    assert bool(want) == (case != "names")


def _send_fields(f: GoFile) -> set[bytes]:
    """The fields of the selectors every send statement of the file sends on (`x.f <- v`, `(x.f) <- v`)."""
    fields = set()
    for chan in captures(SENDS, f.root).get("c", []):
        sel = unparen(chan)
        if sel.type == "selector_expression":
            fields.add(text(sel.child_by_field_name("field")).encode())
    return fields


_SEND_CASES = [
    b"func f(x T) {\n\tx.c <- 1\n\t(x.d) <- 2\n\t((x.e)) /* e */ <- 3\n\tx.g // g\n\t<- 4\n}\n",
    b"func f(x T) {\n\tselect {\n\tcase x.c <- 1:\n\tcase (x.\n\t\td)<-2:\n\t}\n}\n",
]


def test_sent_on_holds_for_every_send_on_a_field() -> None:
    """crosscall._sent_on(name) finds the bytes of every send on a selector `x.name`: real files and
    corners (parentheses, comments, line breaks)."""
    checked = 0
    files = [GoFile(Path("/generated/a.go"), "a.go", _HEAD + c, False) for c in _SEND_CASES]
    for directory in DIRS:
        files += [GoFile(p, p.name, p.read_bytes(), False) for p in sorted(directory.glob("*.go"))]
    for f in files:
        for name in _send_fields(f):
            assert _sent_on(name).search(f.data) is not None, (f.display, name)
            checked += 1
    assert checked > 100


_STOP_CASES = [
    b"func f(t *time.Timer) {\n\tif !t.Stop() {\n\t\t<-t.C\n\t}\n\tif !(t.Stop()) {\n\t}\n"
    b"\tif (!t.Stop()) {\n\t}\n}\n",
    b"func f(t *time.Timer) {\n\tif x := 1; !t.Stop() {\n\t\t_ = x\n\t}\n\tif t.Stop() {\n\t}\n"
    b"\tif !t.Stop() && true {\n\t}\n}\n",
    b"func f(t *time.Timer) {\n\tif !Stop() {\n\t}\n\t// if !t.Stop() {\n\tif !t.Stopped() {\n\t}\n"
    b"\tif !t.Stop(\n\t}\n}\n",
    b"func f(a, b *time.Timer) {\n\tif !a.Stop() {\n\t\tif !b.Stop() {\n\t\t\t<-b.C\n\t\t}\n\t}\n}\n",
]


def test_stop_ifs_equal_the_query() -> None:
    files = [GoFile(Path("/generated/a.go"), "a.go", _HEAD + c, False) for c in _STOP_CASES]
    for directory in DIRS:
        files += [GoFile(p, p.name, p.read_bytes(), False) for p in sorted(directory.glob("*.go"))]
    found = 0
    for f in files:
        if b"Stop" not in f.data:
            continue
        want = [
            s for s in captures("(if_statement) @i", f.root).get("i", []) if _stopped_timer(s) is not None
        ]
        assert _spans(stop_ifs(Context(package(f.path.parent), [f]), f)) == _spans(want), f.display
        found += len(want)
    assert found > 20


def test_captures_within_equal_the_query() -> None:
    """captures_within of every function and literal (before any query builds the index) against
    captures(pattern, func), for each pattern channel_captures answers."""
    files = [GoFile(Path("/generated/a.go"), "a.go", _HEAD + c, False) for c in _CASES.values()]
    for directory in DIRS:
        files += [GoFile(p, p.name, p.read_bytes(), False) for p in sorted(directory.glob("*.go"))]
    compared = 0
    for f in files:
        forget_indexes()
        funcs = captures("[(function_declaration) (method_declaration) (func_literal)] @f", f.root).get(
            "f", []
        )
        forget_indexes()
        ctx = Context(package(f.path.parent, {}), [f])
        got = {(p, i): captures_within(ctx, f, p, fn) for p in _PATTERNS for i, fn in enumerate(funcs)}
        for (p, i), mine in got.items():
            want = captures(p, funcs[i]).get(_PATTERNS[p], [])
            assert _spans(mine) == _spans(want), (f.display, p, funcs[i].start_point)
            compared += len(want)
    assert compared > 3000
