"""The lock flow's shortcuts answer what the plain computations answer: `_declarations` from one query
(the declarations pattern the file index knows) instead of two, the flow's facts followed only
through the items Tracker.after may change them at, and the entry facts read from callers one at a
time (stopping once they cannot hold). Checked on the lock rules' testdata, real
standard-library packages and corner cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from stdpkgs import TESTDATA, package, std_dirs

from leaktrail.rules.base import Context
from leaktrail.rules.callgraph import CallGraph, Func, call_graph
from leaktrail.rules.locks import (
    _bool_params,
    _declarations,
    _entry_facts,
    _facts_through,
    _loop_variables,
    _may_change_facts,
    _reassigned,
    _used_as_value,
)
from leaktrail.source.conditions import NO_FACTS, Facts, Tracker
from leaktrail.source.gomod import NO_MODULE
from leaktrail.source.package import GoFile, Package
from leaktrail.source.parse import Node, captures, forget_indexes, text

_STD = ("sync", "context", "net/rpc", "os/exec", "database/sql", "text/template/parse", "go/scanner")
_FUNCS = "[(function_declaration) (method_declaration) (func_literal)] @f"

DIRS = sorted(
    {p.parent for p in TESTDATA.rglob("*.go") if p.parent.name.startswith(("GL018", "GL019", "GL02"))}
)
DIRS += std_dirs(_STD)

_CORNERS = b"""package p

func f(xs []int, m map[string]int, ch chan int) {
	var (
		a int
		b = 2
	)
	var c, d int
	var e = 1
	for i := range xs {
		x := xs[i]
		var y int
		z, w := i, m["k"]
		_, _, _, _, _, _, _ = a, b, c, d, e, x, y
		_, _ = z, w
	}
	for k, v := range m {
		for range ch {
			q := k
			_ = q
		}
		_ = v
	}
	for j := 0; j < 3; j++ {
		p := xs[j]
		_ = p
	}
	go func() {
		for n := range ch {
			r := n + 1
			_ = r
		}
	}()
}
"""


def _reference_declarations(func: Node) -> dict[tuple[int, int], set[str]]:
    """The previous implementation (two queries), kept as the specification."""
    out: dict[tuple[int, int], set[str]] = {}
    for d in captures("[(short_var_declaration) (var_declaration)] @d", func).get("d", []):
        names: list[Node] = []
        if d.type == "short_var_declaration":
            left, right = d.child_by_field_name("left"), d.child_by_field_name("right")
            loop_vars = _loop_variables(d, func)
            idents = [right] if right is not None and right.type == "identifier" else []
            if right is not None and right.type != "identifier":
                idents = captures("(identifier) @i", right).get("i", [])
            if right is None or not loop_vars or not any(text(i) in loop_vars for i in idents):
                continue
            names = [n for n in left.named_children if n.type == "identifier"] if left is not None else []
        else:
            for spec in d.named_children:
                if spec.child_by_field_name("value") is None:
                    names.extend(spec.children_by_field_name("name"))
        if names:
            out.setdefault((d.start_byte, d.end_byte), set()).update(str(n.start_byte) for n in names)
    for clause in captures("(range_clause) @r", func).get("r", []):
        left, right = clause.child_by_field_name("left"), clause.child_by_field_name("right")
        if left is not None and right is not None:
            ids = [n for n in left.named_children if n.type == "identifier"]
            out.setdefault((right.start_byte, right.end_byte), set()).update(str(n.start_byte) for n in ids)
    return out


def _packages() -> list[Package]:
    corner = Package(Path("corner"), "p", [GoFile(Path("corner/c.go"), "c.go", _CORNERS, False)], NO_MODULE)
    return [corner, *(package(d) for d in DIRS)]


def test_packages_are_there() -> None:
    assert len(DIRS) > 8


@pytest.mark.parametrize("indexed", [False, True])
def test_declarations_match_the_two_queries(indexed: bool) -> None:
    """With and without the file's declarations index (built when a rule asked for it)."""
    seen = 0
    for pkg in _packages():
        forget_indexes()
        for f in pkg.files:
            if indexed:
                Context(pkg, list(pkg.files)).resolver(f)  # (the resolver builds the file's index)
            for func in captures(_FUNCS, f.root).get("f", []):
                got = _declarations(func)
                assert got == _reference_declarations(func), (f.path.name, func.start_byte)
                seen += bool(got)
    assert seen > 50


def test_declarations_skip_grouped_vars_like_before() -> None:
    """`var (…)` groups were never counted (their specs are no direct child of the declaration); a
    range over a map, a nested range and a for clause's variable are."""
    pkg = _packages()[0]
    f = pkg.files[0]
    func = captures(_FUNCS, f.root)["f"][0]
    got = _declarations(func)
    spans = {f.data[a:b].decode() for a, b in got}
    assert "var c, d int" in spans and "var y int" in spans and "p := xs[j]" in spans
    assert "q := k" in spans and "r := n + 1" in spans and "x := xs[i]" in spans
    assert not any("a int" in s and "b = 2" in s for s in spans)


def test_items_left_out_never_change_the_facts() -> None:
    """Every CFG item `_may_change_facts` leaves out: Tracker.after answers the facts it was given,
    with facts on every identifier of the function (true and false) and with none; the items it keeps
    include some that do change them (the test would see a filter that drops too much)."""
    changed_kept = left_out = 0
    for pkg in _packages():
        ctx = Context(pkg, list(pkg.files))
        for f in pkg.files:
            for func in captures(_FUNCS, f.root).get("f", []):
                body = func.child_by_field_name("body")
                if body is None:
                    continue
                tracker = Tracker(func)
                names = {text(i) for i in captures("(identifier) @i", func).get("i", [])}
                everything = frozenset(
                    [(n, True) for n in names] + [(f"{n} != nil", False) for n in names] + [("true", True)]
                )
                for block in ctx.cfg(f, body).blocks:
                    for item in block.items:
                        for facts in (everything, frozenset()):
                            after = tracker.after(item, facts)
                            if not _may_change_facts(item):
                                left_out += 1
                                assert after == facts, (f.path.name, item.type, item.start_byte)
                            elif after != facts:
                                changed_kept += 1
    assert left_out > 1000 and changed_kept > 100


_BOOLS = b"""package p

import "sync"

type S struct{ mu sync.Mutex }

func (s *S) put(v int, locked bool) {
	if !locked {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	_ = v
}

func (s *S) get(locked, quiet bool) int {
	if !locked {
		s.mu.Lock()
	}
	if !locked {
		s.mu.Unlock()
	}
	_ = quiet
	return 0
}

func (s *S) mixed(a bool, b bool) {}

func (s *S) use(x bool) {
	s.put(1, false)
	s.put(2, false)
	s.get(false, true)
	s.get(false, x)
	s.mixed(true, x)
	s.mixed(false, false)
	s.mixed(true, true)
}
"""


def _reference_entry_facts(ctx: Context, cg: CallGraph, fn: Func, tracker: Tracker) -> Facts:
    """The previous implementation (every caller resolved first), kept as the specification."""
    node = fn.node
    name = text(node.child_by_field_name("name"))
    bools = _bool_params(fn)
    if not bools:
        return NO_FACTS
    sites = cg.callers(fn.file, node)
    if not sites or _used_as_value(ctx, name):
        return NO_FACTS
    values: dict[int, set[str]] = {i: set() for i in bools}
    for site in sites:
        args = site.call.child_by_field_name("arguments")
        for i in bools:
            arg = args.named_children[i] if args is not None and i < args.named_child_count else None
            values[i].add(arg.type if arg is not None and arg.type in ("true", "false") else "?")
    facts = [(bools[i], v == {"true"}) for i, v in values.items() if v in ({"true"}, {"false"})]
    body = node.child_by_field_name("body")
    assigned = _reassigned(Func(fn.file, body)) if body is not None else set()
    return tracker.assume(NO_FACTS, [f for f in facts if f[0] not in assigned]) or NO_FACTS


def test_entry_facts_and_callers_one_at_a_time_match_all_callers() -> None:
    """_entry_facts stops reading callers once no bool parameter can be one constant: the same facts
    as from every caller; iter_callers yields callers' sites (asked first, and asked after callers)."""
    bools = Package(Path("bools"), "p", [GoFile(Path("bools/b.go"), "b.go", _BOOLS, False)], NO_MODULE)
    with_facts = compared = 0
    for pkg in [bools, *(package(d) for d in DIRS)]:
        fresh, ref = call_graph(Context(pkg, list(pkg.files))), call_graph(Context(pkg, list(pkg.files)))
        for f in pkg.files:
            for func in captures("[(function_declaration) (method_declaration)] @f", f.root).get("f", []):
                fn = Func(f, func)
                got = _entry_facts(fresh.ctx, fresh, fn, Tracker(func))
                want = _reference_entry_facts(ref.ctx, ref, fn, Tracker(func))
                assert got == want, (f.path.name, text(func.child_by_field_name("name")))
                with_facts += bool(got)
                key = lambda s: (str(s.file.path), s.call.start_byte)  # noqa: E731
                assert sorted(fresh.iter_callers(f, func), key=key) == ref.callers(f, func)
                assert list(fresh.iter_callers(f, func)) == fresh.callers(f, func) == ref.callers(f, func)
                compared += 1
    assert compared > 300 and with_facts >= 2


_RANGE_AFTER_FACT = b"""package p

func f(m map[bool]int, xs []int) {
	ok := true
	for ok = range m {
		_ = ok
	}
	done := false
	for range xs {
		done = true
	}
	for done = range m {
	}
	_ = done
}
"""


def test_facts_through_a_block_match_after_on_every_item() -> None:
    """transfer's facts: the kept items (or, from no facts, the assignments until a fact appears) give
    what Tracker.after gives run on every item of the block, from no facts, from facts on every
    identifier, and from each single fact."""
    corner = Package(
        Path("rng"), "p", [GoFile(Path("rng/r.go"), "r.go", _RANGE_AFTER_FACT, False)], NO_MODULE
    )
    grew = 0
    for pkg in [corner, *_packages()]:
        ctx = Context(pkg, list(pkg.files))
        for f in pkg.files:
            for func in captures(_FUNCS, f.root).get("f", []):
                body = func.child_by_field_name("body")
                if body is None:
                    continue
                tracker = Tracker(func)
                names = sorted({text(i) for i in captures("(identifier) @i", func).get("i", [])})
                starts = [frozenset(), frozenset((n, True) for n in names)]
                starts += [frozenset({(n, False)}) for n in names[:5]]
                kept: dict[int, list[Node]] = {}
                for bid, block in enumerate(ctx.cfg(f, body).blocks):
                    for facts in starts:
                        want = facts
                        for item in block.items:
                            want = tracker.after(item, want)
                        assert _facts_through(tracker, block.items, facts, kept, bid) == want, (
                            f.path.name,
                            bid,
                        )
                        grew += not facts and bool(want)
    assert grew > 5


def test_call_map_answers_alike_without_the_relevance_closure() -> None:
    """GL022's questions (maybe_called_under_lock, called_by_lockers, callers_by_name) read the call
    map alone: the same answers whether lock_relevant_names (which also reads func fields) ran first
    or not, and the relevant names still hold every locker."""
    for pkg in _packages():
        first, later = call_graph(Context(pkg, list(pkg.files))), call_graph(Context(pkg, list(pkg.files)))
        under, by_lockers = later.maybe_called_under_lock, later.called_by_lockers
        assert later._relevant is None
        relevant = first.lock_relevant_names
        assert first.maybe_called_under_lock == under and first.called_by_lockers == by_lockers
        assert first._lockers == later._lockers and first._lockers <= relevant
        for name in sorted(relevant)[:40]:
            assert first.callers_by_name(name) == later.callers_by_name(name), name
