"""The control-flow graph's fast paths answer what the plain computations answer: CFG.locate's bisection
over nested item ranges (the scan over every item), Tracker.after's per-item memo."""

from __future__ import annotations

import random

from tests.rules.stdpkgs import TESTDATA, std_dirs

from leaktrail.source import conditions as cond
from leaktrail.source.cfg import CFG
from leaktrail.source.conditions import Fact, Facts, Tracker
from leaktrail.source.parse import Node, captures, parse, text

_FUNCS = (
    "[(function_declaration body: (block) @b) (method_declaration body: (block) @b)"
    " (func_literal body: (block) @b)]"
)


def _no_return(call: Node) -> str | None:
    return (
        "panic"
        if call.type == "call_expression" and call.text is not None and call.text.startswith(b"panic(")
        else None
    )


def _descendants(node: Node) -> list[Node]:
    out: list[Node] = []
    stack = [node]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(n.children)  # anonymous tokens too: `{`, `)`, zero-width MISSING nodes
    return out


def test_locate_is_the_scan() -> None:
    paths = sorted(TESTDATA.rglob("*.go"))
    for d in std_dirs(("sync", "context", "net/http", "runtime", "go/parser", "cmd/compile/internal/ssa")):
        paths += sorted(d.glob("*.go"))[:12]
    sources = [p.read_bytes() for p in paths]
    sources.append(
        b"package p\nfunc f() {\n\tx := \n\tif a { goto L }\nL:\n\tfor { select {} }\n\tswitch { case 1: }\n"
    )
    graphs = asked = nested = 0
    for data in sources:
        root = parse(data).root_node
        for body in captures(_FUNCS, root).get("b", []):
            for loop_body in (False, True):
                graph = CFG(body, _no_return, loop_body)
                graphs += 1
                nested += graph._nest is not None
                for node in _descendants(body):
                    assert graph.locate(node) == graph._locate_scan(node), (data[:30], node)
                    asked += 1
    assert graphs > 1000 and asked > 200_000 and nested > graphs // 2, (graphs, asked, nested)


class _Span:
    """A stand-in node: only its byte range is read."""

    def __init__(self, start: int, end: int) -> None:
        self.start_byte, self.end_byte = start, end


def _nested(rng: random.Random, lo: int, hi: int, depth: int, out: list[tuple[int, int]]) -> None:
    """Random ranges inside [lo, hi): disjoint siblings, each holding more (nesting, shared starts and
    ends, adjacent ranges)."""
    at = lo
    while at < hi and rng.random() < 0.8:
        start = rng.randint(at, hi - 1)
        end = rng.randint(start + 1, hi)
        out.append((start, end))
        if depth < 4 and end - start > 2:
            _nested(rng, start, end, depth + 1, out)
        at = end if rng.random() < 0.5 else min(hi, end + rng.randint(0, 3))


def test_locate_on_generated_ranges() -> None:
    """Nested families (and overlapping ones, where locate falls back to the scan) with every query
    range, empty ones included."""
    rng = random.Random(13)
    graph = CFG(parse(b"package p\nfunc f() {}\n").root_node, _no_return)
    laminar = 0
    for case in range(600):
        ranges: list[tuple[int, int]] = []
        _nested(rng, 0, 40, 0, ranges)
        if case % 5 == 0 and ranges:  # an overlap, or an empty range
            s, e = ranges[0]
            ranges.append((s + 1, e + 2) if case % 10 == 0 else (e, e))
        graph._where = {r: (i, rng.randint(0, 3)) for i, r in enumerate(ranges)}
        graph.__dict__.pop("_nest", None)
        laminar += graph._nest is not None
        for start in range(0, 42):
            for end in range(start, min(42, start + 12)):
                node = _Span(start, end)
                assert graph.locate(node) == graph._locate_scan(node), (ranges, start, end)  # type: ignore[arg-type]
    assert 300 < laminar < 600, laminar


def _old_after(tracker: Tracker, item: Node, facts: Facts) -> Facts:
    """Tracker.after before its per-item memo (the reference)."""
    kind = item.type
    if not facts:
        if kind not in cond._ASSIGNING:
            return facts
        added = cond._constant_assignments(item)
        return tracker._add(facts, added) if added else facts
    names: list[str] = []
    consts: list[Fact] = []
    if kind in cond._ASSIGNING:
        names = cond._assigned_names(item)
        consts = cond._constant_assignments(item)
    elif kind in ("range_clause",) or (item.parent is not None and item.parent.type == "range_clause"):
        left = item.parent.child_by_field_name("left") if item.parent is not None else None
        names = list(cond._idents(left)) if left is not None else []
    if not names and not consts:
        return facts
    gone = set(names)
    kept = frozenset(f for f in facts if f[0] == "true" or gone.isdisjoint(cond._names(f[0])))
    return tracker._add(kept, consts)


def test_tracker_after_is_the_plain_computation() -> None:
    """Every item of every function's graph, under fact sets built from the function's own atoms and
    assigned names (so facts are both kept and killed), twice (memoised answers too)."""
    paths = sorted(TESTDATA.rglob("*.go"))
    for d in std_dirs(("sync", "net/http", "go/parser")):
        paths += sorted(d.glob("*.go"))[:10]
    checked = killed = 0
    for path in paths:
        root = parse(path.read_bytes()).root_node
        for body in captures(_FUNCS, root).get("b", []):
            func = body.parent
            assert func is not None
            tracker = Tracker(func)
            graph = CFG(body, _no_return)
            items = [item for block in graph.blocks for item in block.items]
            atoms = sorted(
                {f[0] for item in items for t in (True, False) for f in cond.implied(item, t)}
                | {n for item in items for n in cond._assigned_names(item)}
                | {"a == b", "true"}
            )[:6]
            fact_sets: list[Facts] = [frozenset()] + [
                frozenset((a, (i + k) % 2 == 0) for k, a in enumerate(atoms[i:] + atoms[:i]))
                for i in range(3)
            ]
            for _ in range(2):
                for item in items:
                    for facts in fact_sets:
                        want = _old_after(tracker, item, facts)
                        got = tracker.after(item, facts)
                        assert got == want, (path, item, facts)
                        killed += got != facts
                        checked += 1
                        assert tracker.trusted(("a == b", True)) == (
                            not any(n in tracker._unsafe for n in cond._names("a == b"))
                        )
    assert checked > 20_000 and killed > 1000, (checked, killed)


def _old_unsafe(func: Node) -> set[str]:
    """Tracker._scan before the combined query (the reference)."""
    unsafe: set[str] = set()
    body = func.child_by_field_name("body")
    if body is None:
        return unsafe
    for operand in captures(cond._ADDRESS_OF, body).get("i", []):
        unsafe.add(text(operand))
    if not captures("(func_literal) @f", body):
        return unsafe
    for stmt in captures(cond._ASSIGNMENTS, body).get("a", []):
        p = stmt.parent
        while p is not None and p != body and p.type != "func_literal":
            p = p.parent
        if p is not None and p.type == "func_literal":
            unsafe.update(cond._assigned_names(stmt))
    return unsafe


def test_tracker_unsafe_names_are_the_walk_up() -> None:
    paths = sorted(TESTDATA.rglob("*.go"))
    for d in std_dirs(("sync", "net/http", "context", "os/exec", "go/types")):
        paths += sorted(d.glob("*.go"))[:15]
    sources = [p.read_bytes() for p in paths]
    sources.append(
        b"package p\nfunc f() {\n\tx, y := 1, 2\n\tg := func() { x = 3; h := func() { y++ }; _ = h }\n"
        b"\tk := func() {}\n\tvar z int\n\t_ = &z\n\tg(); k()\n}\n"
    )
    funcs = closures = 0
    for data in sources:
        root = parse(data).root_node
        for body in captures(_FUNCS, root).get("b", []):
            func = body.parent
            assert func is not None
            want = _old_unsafe(func)
            assert Tracker(func)._unsafe == want, (data[:40], func.start_point)
            funcs += 1
            closures += bool(want - set(text(n) for n in captures(cond._ADDRESS_OF, body).get("i", [])))
    assert funcs > 2000 and closures > 50, (funcs, closures)
