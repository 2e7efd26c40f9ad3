"""The source layer's hand-written fast paths answer exactly what the regexes they replace answer."""

from __future__ import annotations

import random
import re
from pathlib import Path

from leaktrail.source import package as pkgmod
from leaktrail.source.package import GoFile

REPO = Path(__file__).resolve().parents[2]
TESTDATA = REPO / "tests" / "rules" / "testdata"

_CRAFTED = [
    b"func F() {}",
    b"func (r *T) F() {}",
    b"func(r T)F()",
    b"func ((a b) F",
    b"func (a)\n(b) F",
    b"func (a) (b) F",
    b"x := func() F",
    b"functionF",
    b"type F int",
    b"typeF",
    b"type\tF struct{}",
    b"var F = 1",
    b"var a, b,F = 1",
    b"var a ,\tF int",
    b"var a, , F",
    b"var , F",
    b"var, F",
    b"xvar a, F",
    b"var a b, F",
    b"F",
    b"unc F",
    b"pe F",
    b"ar F",
]


def _regex(kind: str, word: bytes, data: bytes) -> bool:
    return re.search(pkgmod._KEYWORD_BEFORE[kind] + re.escape(word), data) is not None


def test_declared_inline_is_the_keyword_regex() -> None:
    rng = random.Random(7)
    alphabet = [b"func", b"type", b"var", b"F", b"a", b"(", b")", b",", b" ", b"\t", b"\n", b"*", b"x_1"]
    samples = list(_CRAFTED)
    for _ in range(4000):
        samples.append(b"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))))
    lists = [b"var", b"type", b" ", b",", b"a", b"F", b"\t", b"x_1"]  # `var a, b, F` shapes
    for _ in range(2000):
        samples.append(b"".join(rng.choice(lists) for _ in range(rng.randint(1, 10))))
    for data in samples:
        for kind in ("func", "method", "type", "var"):
            for word in (b"F", b"a", b"x_1"):
                got = pkgmod._declared_inline(data, word, kind)
                assert got == _regex(kind, word, data), (kind, word, data)


def test_declared_inline_on_go_sources() -> None:
    files = sorted(TESTDATA.rglob("*.go"))[:60]
    for path in files:
        data = path.read_bytes()
        names = sorted(set(re.findall(rb"\b[A-Za-z_]\w*\b", data)))[::5]
        for kind in ("func", "type", "var"):
            for word in names:
                got = pkgmod._declared_inline(data, word, kind)
                assert got == _regex(kind, word, data), (path, kind, word)


def test_word_sets_are_the_regex_words() -> None:
    files = [GoFile(p, str(p), p.read_bytes(), False) for p in sorted(TESTDATA.rglob("*.go"))[:80]]
    files.append(GoFile(Path("x.go"), "x.go", "é_ü9 a\x00b\xffc _ 1x\tª".encode() + bytes(range(256)), False))
    index = pkgmod._WordIndex(files)
    for f, words in zip(files, index.sets, strict=True):
        assert words == frozenset(re.findall(rb"\w+", f.data)), f.path
    for needle in (b"e", b"a", b"_", b"Lock", b"ctx", b"zzzz", b"1x"):
        assert index.containing(needle) == [f for f in files if needle in f.data], needle


def test_indexed_captures_are_the_query_captures() -> None:
    import bisect

    import tree_sitter as ts

    from leaktrail.source import parse as ps

    paths = sorted(TESTDATA.rglob("*.go"))[:40]
    for path in paths:
        root = ps.parse(path.read_bytes()).root_node
        ps.captures("(go_statement) @g", root)  # builds the file's index
        index = ps._file_index(root)
        nodes = [n for n in ps.walk(root) if n.named_child_count][::3]
        for slot, pattern in enumerate(ps.INDEXED_PATTERNS):
            for node in nodes:
                got = ps.captures(pattern, node)
                direct = ts.QueryCursor(ps.query(pattern)).captures(node)
                for name, key in ps._INDEX_KEYS[slot]:
                    starts, listed = index.get(key, ([], []))
                    i = bisect.bisect_left(starts, node.start_byte)
                    j = bisect.bisect_right(starts, node.end_byte)
                    expected = [n for n in listed[i:j] if n.end_byte <= node.end_byte]
                    assert got.get(name, []) == expected, (path, pattern, node)
                    # (the index holds every capture inside the range, as a query of the node would
                    # when the whole match lies inside it)
                    assert set(direct.get(name, [])) <= set(expected), (path, pattern, node)
        ps.forget_indexes()


def test_condition_shapes_evaluate_like_the_conditions() -> None:
    from itertools import combinations

    from leaktrail.source import conditions as cond
    from leaktrail.source import parse as ps

    src = b"""package p
func f(a, b, ok bool, x, y int, p *int) {
	if a && !b || ok {}
	if !(a || b) && x == y {}
	if x != y || p == nil && !ok {}
	if true && a {}
	if !false || (b && (x == 1)) {}
	if f2() && a {}
}
"""
    checked = 0
    for path in [None, *sorted(TESTDATA.rglob("*.go"))[:40]]:
        data = src if path is None else path.read_bytes()
        root = ps.parse(data).root_node
        for stmt in ps.captures("(if_statement condition: (_) @c)", root).get("c", []):
            atoms = sorted({f[0] for t in (True, False) for f in cond.implied(stmt, t)})[:4]
            facts: list[frozenset[tuple[str, bool]]] = [frozenset()] + [
                frozenset((a, v) for a, v in zip(group, values, strict=True))
                for n in range(1, len(atoms) + 1)
                for group in combinations(atoms, n)
                for values in ([True] * n, [False] * n, [i % 2 == 0 for i in range(n)])
            ]
            shape = cond._shape(stmt)
            for fs in facts:
                assert cond._evaluate(shape, fs) == cond.evaluate(stmt, fs), (path, ps.text(stmt), fs)
                checked += 1
    assert checked > 100


def test_toplevel_names_are_the_line_regex() -> None:
    crafted = (
        b"func A() {}\ntype B int\nvar C = 1\n  func D() {}\nfunc (r *T) E() {}\nvar\tF, G int\n\r\ntype H"
    )
    paths = sorted(TESTDATA.rglob("*.go"))[:80]
    for data in [crafted, b"type X int", b"", b"\n", *(p.read_bytes() for p in paths)]:
        f = GoFile(Path("x.go"), "x.go", data, False)
        expected = {m.decode("utf-8", "replace") for m in pkgmod._TOPLEVEL.findall(data)}
        assert f.toplevel_names == expected, data[:80]


def test_names_index_finds_what_the_full_index_holds() -> None:
    from leaktrail.source.package import NamesIndex

    names = ("c", "x", "t", "ok", "wg", "mu", "ch", "i", "_", "err", "ctx", "done", "Lock", "e")
    for path in sorted(TESTDATA.rglob("*.go"))[:60]:
        f = GoFile(path, str(path), path.read_bytes(), False)
        if f.root.has_error:
            continue
        for kind in ("identifier", "field_identifier"):
            full = NamesIndex(f, kind)._all()
            fast = NamesIndex(f, kind)
            for name in names:
                assert fast.get(name, []) == full.get(name, []), (path, kind, name)


def _parent_chain(node: object) -> list[object]:
    out = []
    p = node.parent  # type: ignore[attr-defined]
    while p is not None:
        out.append(p)
        p = p.parent
    return out


def test_scope_ancestors_are_the_parent_chain() -> None:
    """FunctionScope._up (one descent from the scope's top) lists the nodes Node.parent walks through,
    up to the top; _func_and_end and _func_of answer what the walk up to the root answered."""
    from leaktrail.source import parse as ps
    from leaktrail.source.resolve import _SCOPE_OWNERS, FUNC_NODES, FunctionScope, top_function

    def old_func_and_end(sc: FunctionScope, stmt: object) -> tuple[object, int]:
        end = -1
        for p in _parent_chain(stmt):
            kind = p.type  # type: ignore[attr-defined]
            if kind in FUNC_NODES:
                return p, end if end >= 0 else p.end_byte  # type: ignore[attr-defined]
            if end < 0 and kind in _SCOPE_OWNERS:
                end = p.end_byte  # type: ignore[attr-defined]
        return sc.top, end if end >= 0 else stmt.end_byte  # type: ignore[attr-defined]

    goroot = REPO / ".venv" / "lib" / "python3.11" / "site-packages" / "go" / "src"
    paths = sorted(TESTDATA.rglob("*.go"))[:40] + sorted((goroot / "context").glob("*.go"))[:3]
    checked = 0
    for path in paths:
        root = ps.parse(path.read_bytes()).root_node
        for node in list(ps.walk(root))[::3]:
            top = top_function(node)
            if top is None or node == top:
                continue
            sc = FunctionScope(top)
            chain = _parent_chain(node)
            assert sc._up(node) == chain[: chain.index(top) + 1], (path, node)
            assert sc._func_and_end(node) == old_func_and_end(sc, node), (path, node)
            first = next((p for p in chain if p.type in FUNC_NODES), top)  # type: ignore[attr-defined]
            assert sc._func_of(node) == first, (path, node)
            checked += 1
        # a node outside the scope: its whole chain
        tops = [n for n in root.named_children if n.type in FUNC_NODES]
        if len(tops) > 1:
            sc = FunctionScope(tops[0])
            inner = tops[1].named_children[0]
            assert sc._up(inner) == _parent_chain(inner)
    assert checked > 1000


def test_enclosing_func_is_the_walk_up() -> None:
    """enclosing_func, whose memo also answers for the ancestors walked through, answers what the walk
    up to the nearest function answers, whatever order the nodes are asked in."""
    import random

    from leaktrail.source import parse as ps
    from leaktrail.source import resolve as rs

    rng = random.Random(3)
    checked = 0
    for path in sorted(TESTDATA.rglob("*.go"))[:40]:
        root = ps.parse(path.read_bytes()).root_node
        nodes = list(ps.walk(root))
        expected = {}
        for node in nodes:
            p = node.parent
            while p is not None and p.type not in rs.FUNC_NODES:
                p = p.parent
            expected[node] = p
        for order in (nodes, nodes[::-1], rng.sample(nodes, len(nodes))):
            rs._ENCLOSING.clear()
            for node in order:
                assert rs.enclosing_func(node) == expected[node], (path, node)
                checked += 1
    rs._ENCLOSING.clear()
    assert checked > 10000


def test_names_index_answers_absent_names_without_the_tree() -> None:
    """A name the file's bytes do not hold has no nodes (the full index agrees), and asking for it
    does not parse the file; names it holds, in trees with or without syntax errors, are the full
    index's answers."""
    from leaktrail.source.package import NamesIndex

    sources = [p.read_bytes() for p in sorted(TESTDATA.rglob("*.go"))[:30]]
    sources.append(b"package p\nfunc f() { x := 0x1Fg; stop := 1; _ = stop }\n")  # a syntax error
    absent = ("zzNotHere", "Stopx", "stoppq", "é")
    for data in sources:
        for kind in ("identifier", "field_identifier"):
            f = GoFile(Path("x.go"), "x.go", data, False)
            fast = NamesIndex(f, kind)
            for name in absent:
                assert name.encode() not in data
                assert fast.get(name, []) == [] and name not in fast
            assert not f.parsed
            full = NamesIndex(f, kind)._all()
            for name in (*absent, "x\ufffd", "stop", "x", "f", "p", "err", "ctx", "wg"):
                assert fast.get(name, []) == full.get(name, []), (data[:40], kind, name)


def test_names_index_lookup_leaves_unmentioned_files_unparsed() -> None:
    from leaktrail.source.package import NamesIndex

    f = GoFile(Path("x.go"), "x.go", b"package p\nfunc f() { go g() }\n", False)
    assert NamesIndex(f, "identifier").get("nothere") is None
    assert not f.parsed
