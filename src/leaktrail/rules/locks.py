"""Mutexes that are never released, taken twice, or taken in opposite orders (GL018, GL019, GL020).

GL019 and GL020 share one forward analysis per function: over the function's CFG, the set of mutexes
the goroutine may hold at each point (Lock/RLock add, Unlock/RUnlock remove, `defer` unlocks only at
return). Same-package calls are followed through the call graph's lock summaries (`callgraph.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial

from leaktrail.model import Severity
from leaktrail.rules import extend, interproc, rule
from leaktrail.rules.base import Context, Report
from leaktrail.rules.callgraph import (
    LOCK_METHODS,
    MAX_CHAIN,
    Acquire,
    CallGraph,
    CallSite,
    Func,
    LockCall,
    Mutex,
    call_graph,
    callee_text,
    enclosing_func_of,
    func_name,
    functions_with_locks,
    receiver_text,
    run_context,
    tracker_for,
    unpublished_local,
)
from leaktrail.source.cfg import CFG, Exit, covers_any
from leaktrail.source.conditions import _ASSIGNING, NO_FACTS, Facts, Tracker
from leaktrail.source.package import WORD_BYTE, GoFile, receiver_type_name
from leaktrail.source.parse import DECLS_PATTERN, Node, captures, line_of, text, unparen
from leaktrail.source.resolve import Resolver, top_function

_PREFILTER = (b".Lock()", b".RLock()")
_NEEDS = (b"sync", b"Lock()")
"""A package that never names sync may still lock a sync mutex of another package's type (`s.Mu.Lock()`
on a `*store.Session`)."""


# -- shared flow analysis ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Held:
    mutex: Mutex
    mode: str
    origin: int
    """start_byte of the Lock call (or lock-helper call) that took it."""


@dataclass(slots=True)
class _Event:
    node: Node
    lock: LockCall | None = None
    site: CallSite | None = None
    acquires: list[tuple[Mutex, Acquire, frozenset[Mutex]]] | None = None
    """The callee's acquisitions in the caller's terms: computed only when the flow reaches the
    call holding something (nothing to order or re-lock otherwise)."""
    releases: set[Mutex] = field(default_factory=set)
    holds: dict[Mutex, str] = field(default_factory=dict)


def _callee_acquires(cg: CallGraph, ev: _Event) -> list[tuple[Mutex, Acquire, frozenset[Mutex]]]:
    if ev.acquires is None:
        ev.acquires = []
        site = ev.site
        if site is not None:
            callee = site.callee
            for acq in cg.acquires(callee.file, callee.node):
                m = cg.translate(acq.mutex, site)
                if site.via == "iface-guess" and not acq.guessed:
                    acq = replace(acq, guessed=True)
                if m is not None:
                    moved = {cg.translate(r, site) for r in acq.released}
                    ev.acquires.append((m, acq, frozenset(r for r in moved if r is not None)))
    return ev.acquires


@dataclass(frozen=True, slots=True)
class Reacquire:
    """GL019: `node` takes `mutex` while `held` is already held by the same goroutine."""

    file: GoFile
    func: Node
    node: Node
    mutex: Mutex
    mode: str
    held: _Held
    held_node: Node
    via: Acquire | None


@dataclass(frozen=True, slots=True)
class OrderEdge:
    """GL020: `node` takes `second` while `first` is held."""

    file: GoFile
    func: Node
    node: Node
    first: Mutex
    first_mode: str
    second: Mutex
    second_mode: str
    via: Acquire | None
    relocks: bool = False
    """The callee releases `second` (held by the caller) and takes it again."""
    created: bool = False
    """`second` lives in an object the callee allocated itself (`NewX`, `&T{}` inside it)."""

    @property
    def where(self) -> tuple[str, int, int]:
        return (str(self.file.display), self.node.start_point[0], self.node.start_point[1])


@dataclass(slots=True)
class _Flow:
    reacquires: list[Reacquire] = field(default_factory=list)
    edges: list[OrderEdge] = field(default_factory=list)


def _events(cg: CallGraph, fn: Func) -> list[_Event]:
    out: list[_Event] = []
    for lc in cg.locks_in(fn.file, fn.node):
        if not lc.spawned and not lc.deferred and (lc.acquires or lc.releases):
            out.append(_Event(lc.call, lock=lc))
    for site in cg.lock_callees(fn.file, fn.node):
        if site.spawned or site.deferred:
            continue
        callee = site.callee
        ev = _Event(site.call, site=site)
        for m in cg.releases(callee.file, callee.node):
            t = cg.translate(m, site)
            if t is not None:
                ev.releases.add(t)
        for m, mode in cg.holds_after(callee.file, callee.node).items():
            t = cg.translate(m, site)
            if t is not None:
                ev.holds[t] = mode
        out.append(ev)
    out.sort(key=lambda e: e.node.start_byte)
    return out


def _flow(ctx: Context, fn: Func) -> _Flow:
    key = f"locks:flow:{id(fn.file)}:{fn.node.start_byte}"
    cached = ctx.shared.get(key)
    if isinstance(cached, _Flow):
        return cached
    result = _Flow()
    ctx.shared[key] = result
    body = fn.node.child_by_field_name("body")
    cg = call_graph(ctx)
    events = _events(cg, fn) if body is not None else []
    if body is None or not any((e.lock is not None and e.lock.acquires) or e.holds for e in events):
        return result
    graph = ctx.cfg(fn.file, body)
    at: dict[tuple[int, int], list[_Event]] = {}
    for e in events:
        where = graph.locate(e.node)
        if where is not None:
            at.setdefault(where, []).append(e)
    nodes: dict[int, Node] = {e.node.start_byte: e.node for e in events}
    deferred_unlocks = {
        lc.mutex for lc in cg.locks_in(fn.file, fn.node) if lc.deferred and lc.releases and not lc.spawned
    }
    kept_unreliable: list[set[Mutex | str]] = []

    def unreliable() -> set[Mutex | str]:
        """Mutexes handed off and variables assigned again: asked only at a second acquisition (few
        functions have one; the assignments' query over the function is not run for the others)."""
        if not kept_unreliable:
            kept_unreliable.append(_handed_off(cg, fn) | _reassigned(fn))
        return kept_unreliable[0]

    unlocks = [lc for lc in cg.locks_in(fn.file, fn.node) if lc.releases and not lc.deferred]

    def _correlated(origin: Node | None, m: Mutex) -> bool:
        guards = _guards(origin, fn.node) if origin is not None else set()
        return bool(guards) and any(guards & _guards(u.call, fn.node) for u in unlocks if u.mutex == m)

    tracker = tracker_for(ctx, fn.file, fn.node)
    # the locals declared again only move a held mutex reached through a local (_forget): without
    # one among the events, no item's declarations change what is held
    local = any(
        (e.lock is not None and e.lock.mutex.root == "local") or any(m.root == "local" for m in e.holds)
        for e in events
    )
    declared = _declarations(fn.node) if local else {}
    res = ctx.resolver(fn.file)

    steps: dict[int, list[tuple[list[_Event], set[str] | None]]] = {}
    """Per block, the items that change what is held (their events, the locals they declare again),
    in order; the facts are followed apart (they do not depend on what is held)."""
    facts_after: dict[tuple[int, Facts], Facts] = {}
    fact_items: dict[int, list[Node]] = {}
    """Per block, the items whose run may change the facts (see _may_change_facts): the others leave
    any facts as they are, and each block is followed with many facts."""

    def changes_of(bid: int) -> list[tuple[list[_Event], set[str] | None]]:
        changes = steps.get(bid)
        if changes is None:
            changes = steps[bid] = []
            for index, item in enumerate(graph.blocks[bid].items):
                evs = at.get((bid, index), [])
                gone = declared.get((item.start_byte, item.end_byte))
                if evs or gone:
                    changes.append((evs, gone))
        return changes

    def transfer(bid: int, state: _State) -> _State:
        """The block's effect on what is held and on the facts (no reports: see replay)."""
        items = graph.blocks[bid].items
        changes = changes_of(bid)
        facts = facts_after.get((bid, state[1]))
        if facts is None:
            facts = facts_after[(bid, state[1])] = _facts_through(tracker, items, state[1], fact_items, bid)
        if not changes:
            return state[0], facts
        held = set(state[0])
        for evs, gone in changes:
            for e in evs:
                _apply(e, held, False)
            if gone:
                _forget(held, gone)
        return frozenset(held), facts

    def replay(bid: int, held: set[_Held]) -> None:
        """`transfer` with reports, without the facts (what follows the last event reports nothing)."""
        for evs, gone in changes_of(bid):
            for e in evs:
                _apply(e, held, True)
            if gone:
                _forget(held, gone)

    def _forget(held: set[_Held], gone: set[str]) -> None:
        """A local declared again (each loop iteration): the name now reaches another mutex; the one
        taken through it stays held, under no name (it still orders later locks)."""
        moved = [h for h in held if h.mutex.root == "local" and h.mutex.base in gone]
        held.difference_update(moved)
        held.update(
            _Held(
                Mutex("unknown", f"gone@{h.origin}", h.mutex.path, h.mutex.cls, h.mutex.text),
                h.mode,
                h.origin,
            )
            for h in moved
        )

    def _apply(e: _Event, held: set[_Held], report: bool) -> None:
        if e.lock is not None:
            m = e.lock.mutex
            if e.lock.releases:
                held.difference_update([h for h in held if h.mutex == m])
                return
            if report:
                _check(e.node, m, e.lock.mode, None, held)
            held.add(_Held(m, e.lock.mode, e.node.start_byte))
            return
        if report and held:
            for m, acq, released in _callee_acquires(cg, e):
                created = e.site is not None and _created_by_callee(ctx, cg, e.site, acq.mutex)
                held_now = {h for h in held if h.mutex not in released}
                _check(e.node, m, acq.mode, acq, held_now, m in released, created)
        if e.releases:
            held.difference_update([h for h in held if h.mutex in e.releases])
        for m, mode in e.holds.items():
            held.add(_Held(m, mode, e.node.start_byte))

    def _check(
        node: Node,
        m: Mutex,
        mode: str,
        via: Acquire | None,
        held: set[_Held],
        relocks: bool = False,
        created: bool = False,
    ) -> None:
        same = sorted((h for h in held if h.mutex == m), key=lambda h: h.origin)
        if same and m not in unreliable() and m.text.split(".", 1)[0] not in unreliable():
            first = same[0]
            if _correlated(nodes.get(first.origin), m):
                pass  # `if x { mu.Lock() } … if x { mu.Unlock() }`: the paths that skip both are one
            elif first.origin != node.start_byte or (via is None and m in deferred_unlocks):
                result.reacquires.append(
                    Reacquire(fn.file, fn.node, node, m, mode, first, nodes.get(first.origin, node), via)
                )
        if via is not None and len(via.chain) > MAX_CHAIN:
            return  # an order through a long call chain: not established (see MAX_CHAIN)
        for h in sorted(held, key=lambda h: h.origin):
            if h.mutex == m or h.mutex.cls is None or m.cls is None or h.mutex.cls == m.cls:
                continue
            if unpublished_local(res, h.mutex, node, ctx) or unpublished_local(res, m, node, ctx):
                continue  # no other goroutine can reach that object yet: no order to keep
            if via is None and _fresh_assigned(ctx, res, m, node):
                continue  # `x = &T{}` just before: the new object is not reachable by others yet
            result.edges.append(
                OrderEdge(fn.file, fn.node, node, h.mutex, h.mode, m, mode, via, relocks, created)
            )

    entry: _State = (frozenset(), _entry_facts(ctx, cg, fn, tracker))
    ins: dict[int, dict[_State, None]] = {graph.entry: {entry: None}}
    work: list[tuple[int, _State]] = [(graph.entry, entry)]
    branches: dict[tuple[int, Facts], list[tuple[int, Facts]]] = {}
    """tracker.branch's answers: the states at a block differ in what is held more than in facts."""
    while work:
        bid, state = work.pop()
        out = transfer(bid, state)
        if graph.blocks[bid].exit is not None:
            continue
        ways = branches.get((bid, out[1]))
        if ways is None:
            ways = branches[(bid, out[1])] = tracker.branch(graph, bid, out[1])
        for nxt, facts in ways:
            states = ins.setdefault(nxt, {})
            if len(states) >= _MAX_FLOW_STATES:
                facts = NO_FACTS  # too many paths: forget the facts, keep what may be held
            new = (out[0], facts)
            if new not in states:
                states[new] = None
                work.append((nxt, new))
    # The reporting pass: only _apply reports, and the facts do not change what it sees (they only
    # pick the branches, already taken above), so each block is replayed with held sets only;
    # blocks without events report nothing.
    # States that differ only in their facts replay alike (what a replay reports depends on the block
    # and the held set alone): each held set is replayed once per block (told apart with every field
    # of its mutexes, also those equality ignores), which leaves out only repeats of earlier reports.
    with_events = {bid for bid, _index in at}
    for bid in sorted(ins):
        if bid in with_events:
            replayed: set[frozenset[tuple[_Held, str | None, str]]] = set()
            for state in ins[bid]:
                whole = frozenset((h, h.mutex.cls, h.mutex.text) for h in state[0])
                if whole not in replayed:
                    replayed.add(whole)
                    replay(bid, set(state[0]))
    return result


_State = tuple[frozenset[_Held], Facts]
_MAX_FLOW_STATES = 24


def _created_by_callee(ctx: Context, cg: CallGraph, site: CallSite, m: Mutex) -> bool:
    """`m` (in the callee's terms) lives in an object the callee reached through its own locals (not
    through the caller's receiver, arguments or globals), and the callee is a constructor: it returns
    an object it allocated (`&T{}`, `new(T)`, or the result of such a constructor). What such a
    callee locks through its locals belongs to the world it builds, not to objects the caller holds."""
    callee = site.callee
    if callee.node.type == "func_literal":
        return False
    if not ((m.root == "local" and m.base.isdigit()) or (m.root == "unknown" and m.base.isdigit())):
        return False
    return _returns_fresh(ctx, callee.file, callee.node, 6)


def _returns_fresh(ctx: Context, file: GoFile, func: Node, depth: int) -> bool:
    """Some result of `func` is, on every return that is not nil, a newly allocated object."""
    key = f"locks:fresh:{id(file)}:{func.start_byte}:{depth}"
    cached = ctx.shared.get(key)
    if isinstance(cached, bool):
        return cached
    ctx.shared[key] = False
    body = func.child_by_field_name("body")
    result = False
    if body is not None and depth > 0:
        returns = [
            r.named_children[0].named_children if r.named_children else []
            for r in captures("(return_statement) @r", body).get("r", [])
            if enclosing_func_of(r) == func
        ]
        width = min((len(r) for r in returns), default=0)
        res = ctx.resolver(file)
        for i in range(width):
            values = [unparen(r[i]) for r in returns if unparen(r[i]).type != "nil"]
            if values and all(_fresh_expr(ctx, res, v, depth - 1) for v in values):
                result = True
                break
    ctx.shared[key] = result
    return result


def _fresh_expr(ctx: Context, res: Resolver, value: Node, depth: int) -> bool:
    """A new object: an allocation, a local holding one, or a call of a constructor."""
    if _fresh_value(value):
        return True
    if value.type == "identifier":
        decl = res.decl_of(value)
        return decl is not None and _allocated_local(ctx, res.file, decl.ident.start_byte, depth)
    return False


def _allocated_local(ctx: Context, file: GoFile, offset: int, depth: int) -> bool:
    """The local declared at `offset` holds an object allocated here: `&T{}`, `new(T)`, `var x T`
    (a struct), or the result of a same-package constructor (see `_returns_fresh`)."""
    if depth <= 0:
        return False
    res = ctx.resolver(file)
    ident = res.file.root.descendant_for_byte_range(offset, offset)
    decl = res.decl_of(ident) if ident is not None and ident.type == "identifier" else None
    if decl is None or decl.kind not in ("short", "var"):
        return False
    if decl.value is None:
        kind = text(decl.type_node) if decl.type_node is not None else "*"
        return decl.kind == "var" and not kind.startswith(("*", "map", "[]", "chan"))
    value = unparen(decl.value)
    if not decl.multi and _fresh_value(value):
        return True
    if value.type != "call_expression" or (decl.multi and decl.index != 0):
        return False
    target = res.called_function(value)
    return target is not None and _returns_fresh(ctx, target[0], target[1], depth - 1)


def _fresh_assigned(ctx: Context, res: Resolver, m: Mutex, at: Node) -> bool:
    """The local `m` lives in was assigned a new object (`x = &T{}`, `new(T)`) in a statement of the
    same block before `at`, and between the two it is used only through its fields (methods of a field
    get the field's address, not the object): no other goroutine can reach that object yet."""
    if m.root != "local" or not m.base.isdigit():
        return False
    ident = res.file.root.descendant_for_byte_range(int(m.base), int(m.base))
    decl = res.decl_of(ident) if ident is not None and ident.type == "identifier" else None
    if decl is None or enclosing_func_of(at) != decl.func:
        return False
    stmt: Node | None = at
    while stmt is not None and stmt.parent is not None and stmt.parent.type not in _STATEMENT_LISTS:
        stmt = stmt.parent
    if stmt is None or stmt.parent is None:
        return False
    assign: Node | None = None
    for sib in stmt.parent.named_children:
        if sib.start_byte >= stmt.start_byte:
            break
        if sib.type != "assignment_statement" or text(sib.child_by_field_name("operator")) != "=":
            continue
        left, right = sib.child_by_field_name("left"), sib.child_by_field_name("right")
        if left is None or right is None or left.named_child_count != 1 or right.named_child_count != 1:
            continue
        target = left.named_children[0]
        if target.type == "identifier" and (d := res.decl_of(target)) is not None and d.key == decl.key:
            assign = sib if _fresh_value(right.named_children[0]) else None
    if assign is None:
        return False
    for ref in res.references(decl):
        if not (assign.end_byte <= ref.start_byte < at.start_byte):
            continue
        if enclosing_func_of(ref) != decl.func:
            return False  # captured by a closure
        use = ref.parent
        if use is None or use.type != "selector_expression" or use.child_by_field_name("operand") != ref:
            return False  # the object itself is passed, stored or compared
        outer = use.parent
        if outer is not None and outer.type == "unary_expression":
            return False  # &x.f
        called = outer is not None and outer.type == "call_expression"
        called = called and outer is not None and outer.child_by_field_name("function") == use
        if called and text(use.child_by_field_name("field")) not in LOCK_METHODS:
            return False  # a method of the object itself may publish it
    return True


_STATEMENT_LISTS = ("block", "statement_list")


def _fresh_value(value: Node) -> bool:
    value = unparen(value)
    if value.type == "unary_expression" and text(value.child_by_field_name("operator")) == "&":
        value = unparen(value.child_by_field_name("operand") or value)
    return value.type == "composite_literal" or (
        value.type == "call_expression" and text(value.child_by_field_name("function")) == "new"
    )


def _used_as_value(ctx: Context, name: str) -> bool:
    """The name appears somewhere other than in a call (`register(handle)`, `h := s.handle`): callers
    through that value pass arguments we do not see.

    Comments do not count (they are taken out of each file once, and only of a file whose bytes show
    such a use: taking a comment out never makes one, it only ends a line sooner)."""
    word = name.encode()
    pattern = re.compile(re.escape(word) + rb"\b(?!\s*[(\[])")
    for f in ctx.pkg.files_containing(word):
        if not value_use(pattern, f.data):
            continue
        key = f"locks:uncommented:{id(f)}"
        data = ctx.shared.get(key)
        if data is None:
            data = ctx.shared[key] = _COMMENT.sub(b"", f.data)
        if value_use(pattern, data):
            return True
    return False


def value_use(pattern: re.Pattern[bytes], data: bytes) -> bool:
    """`pattern` (a name, a word end, not followed by a call or an index) matches where the name
    starts a word: `\bname\b(?!…)`, with the leading literal found by the regex engine's fast scan
    (a pattern led by `\b` tries every position of the file)."""
    m = pattern.search(data)
    while m is not None:
        at = m.start()
        if (at > 0 and WORD_BYTE[data[at - 1]]) != WORD_BYTE[data[at]]:  # `\b` (ASCII words)
            return True
        m = pattern.search(data, at + 1)
    return False


_COMMENT = re.compile(rb"//[^\n]*")


def _facts_through(
    tracker: Tracker, items: list[Node], facts: Facts, kept: dict[int, list[Node]], bid: int
) -> Facts:
    """`facts` after the block's items run (Tracker.after on each in turn), asking only the items
    that may change them: with facts, the block's _may_change_facts items (kept per block); with
    none, the assignments (only they can add one) until the first fact appears."""
    if facts:
        changing = kept.get(bid)
        if changing is None:
            changing = kept[bid] = [item for item in items if _may_change_facts(item)]
        for item in changing:
            facts = tracker.after(item, facts)
        return facts
    for item in items:
        # (the range check's parent lookup, a search from the root, waits until there are facts)
        if _may_change_facts(item) if facts else item.type in _ASSIGNING:
            facts = tracker.after(item, facts)
    return facts


def _may_change_facts(item: Node) -> bool:
    """Tracker.after may answer other facts than it is given for this item: it assigns (a name
    forgets its facts, a constant sets one) or is a range clause's (its variables forget theirs);
    for any other item it returns the facts unchanged."""
    if item.type in _ASSIGNING or item.type == "range_clause":
        return True
    parent = item.parent
    return parent is not None and parent.type == "range_clause"


def _declarations(func: Node) -> dict[tuple[int, int], set[str]]:
    """CFG items (by span) that make a local hold another object each time they run, with the
    declaration offsets (Mutex.base of a local): a range clause's variables (the loop head's item is
    the ranged value), `x := …` built from a loop variable (`c := conns[i]`), and `var x T` without a
    value. `mu := &s.mu` in a loop names the same mutex every time and is not one of them."""
    out: dict[tuple[int, int], set[str]] = {}
    # one query (the file's declarations index when it has one) for the three kinds; a `var (…)`
    # group's specs are not counted (they are no direct child of their var_declaration)
    for d in captures(DECLS_PATTERN, func).get("d", []):
        names: list[Node] = []
        kind = d.type
        if kind == "short_var_declaration":
            left, right = d.child_by_field_name("left"), d.child_by_field_name("right")
            loop_vars = _loop_variables(d, func)
            if right is None or not loop_vars or not any(text(i) in loop_vars for i in _idents_in(right)):
                continue
            names = [n for n in left.named_children if n.type == "identifier"] if left is not None else []
            span = (d.start_byte, d.end_byte)
        elif kind == "var_spec":
            decl = d.parent
            if decl is None or decl.type != "var_declaration" or d.child_by_field_name("value") is not None:
                continue
            names = d.children_by_field_name("name")
            span = (decl.start_byte, decl.end_byte)
        elif kind == "range_clause":
            left, right = d.child_by_field_name("left"), d.child_by_field_name("right")
            if left is not None and right is not None:
                ids = [n for n in left.named_children if n.type == "identifier"]
                spot = out.setdefault((right.start_byte, right.end_byte), set())
                spot.update(str(n.start_byte) for n in ids)
            continue
        if names:
            out.setdefault(span, set()).update(str(n.start_byte) for n in names)
    return out


def _loop_variables(node: Node, func: Node) -> set[str]:
    """Names of the variables of the loops around `node` inside `func` (range variables and the
    for-clause's own)."""
    out: set[str] = set()
    p = node.parent
    while p is not None and p != func:
        if p.type == "for_statement":
            for clause in p.named_children:
                if clause.type == "range_clause":
                    left = clause.child_by_field_name("left")
                    out.update(text(n) for n in (left.named_children if left is not None else []))
                elif clause.type == "for_clause":
                    init = clause.child_by_field_name("initializer")
                    left = init.child_by_field_name("left") if init is not None else None
                    out.update(text(n) for n in (left.named_children if left is not None else []))
        p = p.parent
    return out


def _idents_in(node: Node) -> list[Node]:
    return [node] if node.type == "identifier" else captures("(identifier) @i", node).get("i", [])


def _bool_params(fn: Func) -> dict[int, str]:
    """Position -> name of each bool parameter of an unexported named function ({} for a literal, an
    exported function or one without them): the only parameters _entry_facts can fix."""
    node = fn.node
    name = text(node.child_by_field_name("name"))
    params = node.child_by_field_name("parameters")
    if node.type == "func_literal" or not name or name[0].isupper() or params is None:
        return {}
    bools: dict[int, str] = {}
    index = 0
    for p in params.named_children:
        if p.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        names = p.children_by_field_name("name")
        for n in names or [p]:
            if names and text(p.child_by_field_name("type")) == "bool":
                bools[index] = text(n)
            index += 1
    return bools


def _entry_facts(ctx: Context, cg: CallGraph, fn: Func, tracker: Tracker) -> Facts:
    """Bool parameters that every in-package call passes as the same constant (`needLock` false),
    for an unexported function no other package can call; parameters the function assigns are
    left out."""
    node = fn.node
    name = text(node.child_by_field_name("name"))
    bools = _bool_params(fn)
    if not bools:
        return NO_FACTS
    values: dict[int, set[str]] = {i: set() for i in bools}
    called = False
    for site in cg.iter_callers(fn.file, node):
        called = True
        args = site.call.child_by_field_name("arguments")
        for i in bools:
            arg = args.named_children[i] if args is not None and i < args.named_child_count else None
            values[i].add(arg.type if arg is not None and arg.type in ("true", "false") else "?")
        if all(len(v) > 1 or "?" in v for v in values.values()):
            return NO_FACTS  # no parameter can be one constant any more: the other calls cannot tell
    if not called or _used_as_value(ctx, name):
        return NO_FACTS
    facts = [(bools[i], v == {"true"}) for i, v in values.items() if v in ({"true"}, {"false"})]
    body = node.child_by_field_name("body")
    assigned = _reassigned(Func(fn.file, body)) if body is not None else set()
    return tracker.assume(NO_FACTS, [f for f in facts if f[0] not in assigned]) or NO_FACTS


def _handed_off(cg: CallGraph, fn: Func) -> set[Mutex | str]:
    """Mutexes a goroutine started here unlocks: the lock is a hand-off (a semaphore), not held twice."""
    lo, hi = fn.node.start_byte, fn.node.end_byte
    out: set[Mutex | str] = set()
    for lc in cg.lock_calls_inside(fn.file, fn.node):  # (a call inside an owner inside fn)
        owner = lc.owner
        if not lc.releases or not (lo < owner.start_byte < hi):
            continue
        call = owner.parent
        started = call is not None and call.parent is not None and call.parent.type == "go_statement"
        if lc.spawned or started:
            out.add(lc.mutex)
    # the other direction: this goroutine's parent unlocks a mutex it never locked (this goroutine's)
    call = fn.node.parent
    stmt = call.parent if call is not None else None
    if fn.node.type == "func_literal" and stmt is not None and stmt.type == "go_statement":
        parent = run_context(stmt)[0]
        if parent is not None:
            out.update(cg.expected_held(fn.file, parent))
    return out


def _reassigned(fn: Func) -> set[Mutex | str]:
    """Variables assigned again in the function (`c = parent`): a mutex reached through them moves."""
    out: set[Mutex | str] = set()
    for left in captures("(assignment_statement left: (expression_list) @l)", fn.node).get("l", []):
        out.update(text(n) for n in left.named_children if n.type == "identifier")
    return out


def _flows(ctx: Context) -> list[_Flow]:
    return [_flow(ctx, fn) for fn in functions_with_locks(ctx)]


def _mode_word(mode: str) -> str:
    return "RLock" if mode == "r" else "Lock"


# -- GL018 ---------------------------------------------------------------------------------------------
@rule(
    "GL018",
    "lock-not-released",
    Severity.ERROR,
    "a path leaves the function holding a mutex it unlocks on other paths: the next Lock blocks forever",
    prefilter=_PREFILTER,
    package_needs=_NEEDS,
)
def lock_not_released(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags a `mu.Lock()` (or `mu.RLock()`) whose `Unlock` (`RUnlock`) is skipped on some path — an early
    `return`, a `continue` back to the top of a loop, a branch that forgets it, `runtime.Goexit` — in a
    function that does unlock that mutex on its other paths.

    ## Why is this bad?
    A `sync.Mutex` has no owner and no timeout: once a path leaves it locked, the next `Lock` on it —
    in this goroutine or any other — blocks forever, and so does everything queued behind it. The usual
    trigger is an error path added later (`if err != nil { return err }` between `Lock` and `Unlock`). In a
    goroutine dump every goroutine that touches the mutex afterwards shows as `[sync.Mutex.Lock]`
    (`[sync.RWMutex.RLock]`/`[sync.RWMutex.Lock]`, `[semacquire]` on old Go), with no goroutine holding it
    anywhere in the dump.

    ## Example
    ```go
    func (s *Store) Put(k string, v []byte) error {
        s.mu.Lock()
        if len(v) > s.max {
            return errTooLarge // s.mu stays locked
        }
        s.data[k] = v
        s.mu.Unlock()
        return nil
    }
    ```

    ## Use instead
    ```go
    func (s *Store) Put(k string, v []byte) error {
        s.mu.Lock()
        defer s.mu.Unlock()
        if len(v) > s.max {
            return errTooLarge
        }
        s.data[k] = v
        return nil
    }
    ```

    ## When it stays silent
    `defer mu.Unlock()` (or a deferred closure that unlocks); a function that never unlocks the mutex
    (a deliberate lock-here, unlock-elsewhere protocol) or whose in-package callers unlock it after the
    call; paths that end the process (`panic`, `os.Exit`, `log.Fatal`) or a failing test (`t.Fatal`,
    `t.FailNow`); the unlock done by a same-package helper or a local closure called on the path
    (`rollback := func() { mu.Unlock() }`, also through another closure); a goroutine started on the
    path that unlocks it first (the lock is handed over); a helper in another package of the module
    (go.mod) that unlocks the mutex it is passed (`unlocker.Abort(&b.mu)`); paths the branch
    conditions rule out (lock and unlock under the same condition, a flag set beside the Lock and
    tested before the Unlock —
    `held = true` … `if held { mu.Unlock() }` —, `if false`, a bool every in-package caller passes as
    the same constant); a helper entered holding the lock (it unlocks before it locks: its callers are
    judged, see GL020); read locks on a local RWMutex that nothing write-locks and that does not
    escape; a lock handed over with the result — only successful returns (`return tx, nil`) keep it,
    the error returns unlock, and another function of the package unlocks it without locking it
    (`tx.Rollback`); `TryLock`; mutexes it cannot identify (`locks[i].Lock()`).

    ## Suppress
    `//leaktrail:ignore GL018 reason` on the Lock line or the line above, or `//nolint:leaktrail`.
    """
    cg = call_graph(ctx)
    for fn in functions_with_locks(ctx):
        body = fn.node.child_by_field_name("body")
        if body is None:
            continue
        calls = cg.locks_in(fn.file, fn.node)
        helpers: list[tuple[CallSite, set[Mutex]]] = []
        graph: CFG | None = None
        tracker: Tracker | None = None
        entered_held = cg.expected_held(fn.file, fn.node)
        for lc in calls:
            if not lc.acquires or lc.deferred or lc.spawned or lc.mutex in entered_held:
                continue  # entered holding it (it unlocks first): its callers judge the balance
            partner = "Unlock" if lc.method == "Lock" else "RUnlock"
            unlocks = [u for u in calls if u.mutex == lc.mutex and u.method == partner and not u.spawned]
            if not unlocks or any(u.deferred for u in unlocks):
                continue
            guards = _guards(lc.call, fn.node)
            if guards and any(guards & _guards(u.call, fn.node) for u in unlocks):
                continue  # `if !locked { mu.Lock() } … if !locked { mu.Unlock() }`: correlated branches
            if lc.method == "RLock" and _never_write_locked(ctx, cg, fn, lc.mutex):
                continue  # read locks left behind hold up only a Lock, and none can come
            if graph is None:
                graph = ctx.cfg(fn.file, body)
                helpers = _unlock_helpers(cg, fn)
                tracker = tracker_for(ctx, fn.file, fn.node)
            if any(site.deferred and not site.spawned and lc.mutex in ms for site, ms in helpers):
                continue
            hits = [u.call for u in unlocks]
            # an unlocking helper called on the path, or a goroutine started on it that unlocks (the
            # lock is handed over to it)
            hits += [s.call for s, ms in helpers if lc.mutex in ms and not s.deferred]
            hits += _spawned_unlocks(cg, fn, lc.mutex)
            ways: list[tuple[Exit | Node, Node | None]] = []
            leak = _leak(graph, lc.call, covers_any(hits), partial(_counts, ctx, fn.file), tracker, ways)
            if leak is None or _callers_unlock(cg, fn, lc):
                continue
            if _handed_over_on_success(ctx, cg, fn, lc, ways):
                continue
            yield Report(fn.file, lc.call, _leak_message(lc, leak))


def _handed_over_on_success(
    ctx: Context, cg: CallGraph, fn: Func, lc: LockCall, ways: list[tuple[Exit | Node, Node | None]]
) -> bool:
    """Every way out that keeps the lock is a successful return (`return t, nil` in a function whose
    last result is an error), the error returns unlock, and another function of the package unlocks
    this mutex without locking it first (`Tx.Rollback` → `removeTx`): the lock is handed over with
    the result, by design (bbolt's beginTx), not left behind."""
    results = fn.node.child_by_field_name("result")
    if results is None or not text(results).rstrip(")").rstrip().endswith("error"):
        return False
    for way, jump in ways:
        if jump is not None or not isinstance(way, Exit) or way.kind != "return":
            return False
        values = way.node.named_children[0] if way.node.named_children else None
        if values is None or not values.named_children or values.named_children[-1].type != "nil":
            return False
    cls = lc.mutex.cls
    if cls is None:
        return False
    for other in functions_with_locks(ctx.for_files(ctx.pkg.files)):
        if other.node == fn.node:
            continue
        if any(m.cls == cls for m in cg.expected_held(other.file, other.node)):
            return True
    return False


def _spawned_unlocks(cg: CallGraph, fn: Func, m: Mutex) -> list[Node]:
    """`go` statements in `fn` whose goroutine unlocks `m` before it locks it: the lock is handed
    over to that goroutine."""
    out: list[Node] = []
    if not cg.may_release:
        return out  # no function of the package unlocks before it locks
    lo, hi = fn.node.start_byte, fn.node.end_byte
    for lc in cg.lock_calls_inside(fn.file, fn.node):  # (a call inside an owner inside fn)
        owner = lc.owner
        if owner.type != "func_literal" or not (lo < owner.start_byte < hi):
            continue
        call = owner.parent
        stmt = call.parent if call is not None else None
        if stmt is None or stmt.type != "go_statement" or run_context(stmt)[0] != fn.node:
            continue
        if lc.mutex == m and m in cg.expected_held(fn.file, owner):
            out.append(stmt)
    for site in cg.lock_callees(fn.file, fn.node):
        if site.spawned and site.call.parent is not None and site.call.parent.type == "go_statement":
            released = {cg.translate(r, site) for r in cg.expected_held(site.callee.file, site.callee.node)}
            if m in released:
                out.append(site.call.parent)
    return out


def _never_write_locked(ctx: Context, cg: CallGraph, fn: Func, m: Mutex) -> bool:
    """A local RWMutex of this function that is never write-locked and never escapes (its address is
    not taken, nothing but its own methods uses it): nothing can queue a Lock behind its read locks."""
    if m.root != "local" or m.path:
        return False
    res = ctx.resolver(fn.file)
    for lc in cg.lock_calls(fn.file):
        if lc.mutex == m and lc.method in ("Lock", "TryLock"):
            return False
    body = fn.node.child_by_field_name("body")
    if body is None:
        return False
    for ident in captures("(identifier) @i", body).get("i", []):
        decl = res.decl_of(ident)
        if decl is None or str(decl.ident.start_byte) != m.base or decl.ident == ident:
            continue
        parent = ident.parent
        if parent is None or parent.type != "selector_expression":
            return False
        method = text(parent.child_by_field_name("field"))
        if method not in ("RLock", "RUnlock", "TryRLock"):
            return False
    return True


def _guards(node: Node, func: Node) -> set[str]:
    """The conditions (as written) of the `if`s around a node inside its function."""
    out: set[str] = set()
    p = node.parent
    while p is not None and p != func:
        if p.type == "if_statement":
            cond = p.child_by_field_name("condition")
            if cond is not None and not (cond.start_byte <= node.start_byte < cond.end_byte):
                out.add(text(cond))
        p = p.parent
    return out


def _unlock_helpers(cg: CallGraph, fn: Func) -> list[tuple[CallSite, set[Mutex]]]:
    out: list[tuple[CallSite, set[Mutex]]] = []
    if not cg.may_release:
        return out  # no function of the package unlocks its caller's mutex
    for site in cg.lock_callees(fn.file, fn.node):
        if site.spawned:
            continue
        released = {cg.translate(m, site) for m in cg.releases(site.callee.file, site.callee.node)}
        ms = {m for m in released if m is not None}
        if ms:
            out.append((site, ms))
    return out


def _callers_unlock(cg: CallGraph, fn: Func, lc: LockCall) -> bool:
    """A caller in the package unlocks the mutex after the call: the function hands the lock over."""
    if fn.node.type == "func_literal":
        return False
    for site in cg.callers(fn.file, fn.node):
        if site.spawned:
            continue
        m = cg.translate(lc.mutex, site)
        if m is None:
            continue
        after = [
            other
            for other in cg.locks_in(site.file, site.caller)
            if other.mutex == m and other.call.start_byte > site.call.start_byte and not other.spawned
        ]
        if after and after[0].releases:
            return True  # the caller's next move on the mutex is to unlock it
    return False


def _counts(ctx: Context, file: GoFile, exit_: Exit) -> bool:
    """Exits that leave the mutex locked for someone else: not the process dying, and not a test
    failing through t.Fatal/t.FailNow (the leftover lock is an artefact of the failure, not a leak in
    the code under test); runtime.Goexit counts: the program goes on without the unlock."""
    if exit_.kind == "abort":
        return False
    if exit_.kind == "goexit":
        call = exit_.node.named_children[0] if exit_.node.named_children else exit_.node
        return ctx.resolver(file).qualified_call(call) == "runtime.Goexit"
    return True


def _leak(
    graph: CFG,
    start: Node,
    hit: Callable[[Node], bool],
    counts: Callable[[Exit], bool],
    tracker: Tracker | None = None,
    every: list[tuple[Exit | Node, Node | None]] | None = None,
) -> tuple[Exit | Node, Node | None] | None:
    """The first way out from after `start` that skips every hit: an exit, or `start` itself again;
    with the first jump (continue, break, goto) on that path, which is where the user must act. With a
    tracker, branches the path's facts rule out are not taken (`held = true` … `if held { Unlock }`)."""
    where = graph.locate(start)
    if where is None:
        return None
    bid0, idx0 = where
    if hit(graph.blocks[bid0].items[idx0]):
        return None  # Lock and Unlock in one statement
    found: list[tuple[Exit | Node, Node | None]] = []
    seen: set[tuple[int, Facts]] = set()
    facts0 = tracker.at(start) if tracker is not None else NO_FACTS
    stack: list[tuple[int, int, Node | None, Facts]] = [(bid0, idx0 + 1, None, facts0)]
    while stack:
        bid, index, jump, facts = stack.pop()
        if index == 0:
            if (bid, facts) in seen or len(seen) > _MAX_STATES:
                continue
            seen.add((bid, facts))
        block = graph.blocks[bid]
        stopped = False
        for i in range(index, len(block.items)):
            item = block.items[i]
            if bid == bid0 and i == idx0:
                found.append((item, jump))
                stopped = True
                break
            if hit(item):
                stopped = True
                break
            if jump is None and item.type in _JUMPS:
                jump = item
            if tracker is not None:
                facts = tracker.after(item, facts)
        if stopped:
            continue
        if block.exit is not None:
            if counts(block.exit):
                found.append((block.exit, jump))
            continue
        if tracker is None:
            stack.extend((nxt, 0, jump, facts) for nxt in block.succs)
        else:
            stack.extend((nxt, 0, jump, f) for nxt, f in tracker.branch(graph, bid, facts))
    if every is not None:
        every.extend(found)
    if not found:
        return None
    return min(found, key=lambda f: (f[1] or _node(f[0])).start_byte)


_MAX_STATES = 2000
_JUMPS = ("continue_statement", "break_statement", "goto_statement")


def _node(leak: Exit | Node) -> Node:
    return leak.node if isinstance(leak, Exit) else leak


def _leak_message(lc: LockCall, found: tuple[Exit | Node, Node | None]) -> str:
    name = lc.mutex.text
    unlock = "RUnlock" if lc.method == "RLock" else "Unlock"
    leak, jump = found
    if jump is not None:
        word = jump.type.split("_")[0]
        path = f"the {word} at line {line_of(jump)} skips the unlock and leaves {name} locked"
    elif isinstance(leak, Exit):
        what = {
            "return": f"the return at line {line_of(leak.node)}",
            "end": "the end of the function",
            "goexit": f"line {line_of(leak.node)}, which ends the goroutine,",
            "continue": f"the continue at line {line_of(leak.node)}",
            "break": f"the break at line {line_of(leak.node)}",
        }.get(leak.kind, f"line {line_of(leak.node)}")
        path = f"the path to {what} leaves {name} locked"
    else:
        path = f"the loop comes back to this {lc.method} with {name} still locked"
    blocked = "Lock (and every RLock queued behind it)" if lc.method == "RLock" else "Lock"
    recv = receiver_text(lc.call)
    return (
        f"{recv}.{lc.method}() is not released on every path: {path}, and the next {blocked} on it blocks "
        f"forever; call {recv}.{unlock}() on that path or use defer {recv}.{unlock}()"
    )


# -- GL019 ---------------------------------------------------------------------------------------------
@rule(
    "GL019",
    "double-lock",
    Severity.ERROR,
    "a mutex locked again by the goroutine that holds it (directly or through a call): it blocks forever",
    prefilter=_PREFILTER,
    package_needs=_NEEDS,
)
def double_lock(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags a mutex locked again while the same goroutine already holds it: `mu.Lock()` twice with no
    `Unlock` between on some path, or a method that holds `s.mu` and calls a function or method that
    locks `s.mu` itself. Calls are followed to any depth while they keep that very object (`s`, passed
    on as a receiver or an argument), through callbacks — a func field set directly, by a setter or in
    a composite literal, a method value (`j.onWrite = j.size`), a literal passed as an argument and run
    under the lock (`t.each(func(k string) { t.Delete(k) })`) —, interface calls resolved to the
    package's implementations, `sync.Once.Do`, `String()` methods that `fmt` calls, a `sync.Cond` whose
    Locker is the mutex's `RLocker()`, and into other packages of the module (`store.Update(s)` that
    locks `s.Mu`). On a `sync.RWMutex` it also flags `RLock` → `Lock` upgrades, `Lock` → `RLock`, and
    recursive `RLock`.

    ## Why is this bad?
    Go's mutexes are not reentrant: the second `Lock` waits for the holder to unlock, and the holder is
    the goroutine that is waiting. It blocks forever, and every other goroutine that needs the mutex piles
    up behind it, shown in a goroutine dump as `[sync.Mutex.Lock]` / `[sync.RWMutex.Lock]` /
    `[sync.RWMutex.RLock]` (the holder among them). A recursive `RLock` looks harmless and passes tests,
    but `sync.RWMutex` forbids it: as soon as a writer queues between the two `RLock`s, the second
    `RLock` waits for the writer and the writer waits for the first `RLock`.

    ## Example
    ```go
    func (c *Cache) Get(k string) []byte {
        c.mu.RLock()
        defer c.mu.RUnlock()
        if c.stale(k) {
            c.refresh(k) // refresh calls c.mu.Lock(): deadlock
        }
        return c.items[k]
    }
    ```

    ## Use instead
    ```go
    func (c *Cache) Get(k string) []byte {
        c.mu.RLock()
        v, stale := c.items[k], c.stale(k)
        c.mu.RUnlock()
        if stale {
            c.refresh(k)
        }
        return v
    }
    ```
    (or a `refreshLocked` variant that expects the caller to hold the lock).

    ## When it stays silent
    Paths with an Unlock between the two Locks (including unlocks in same-package helpers), callees that
    unlock the mutex before locking it again (they expect the caller to hold it), callees that lock only
    when a parameter says so (`if !locked { … }`), calls made in a new goroutine or deferred, `TryLock`,
    different instances of the same type (`a.mu` then `b.mu`), a mutex used as a semaphore (a goroutine
    started in the function, or in the callee that locked it, unlocks it), a variable that moves
    between the Locks (`c = c.parent`: hand-over-hand locking), a mutex reached through a variable
    declared again in between (each iteration's loop variable is another object), a goroutine whose
    parent, which never locked the mutex, unlocks it (a hand-off), paths the branch conditions rule
    out (a flag set beside the Lock and tested before it, two `if`s on the same or opposite
    conditions, `if false`, a bool every in-package caller passes as the same constant), literals
    called in place (their own `defer` unlocks at their end), and mutexes it cannot identify.

    ## Suppress
    `//leaktrail:ignore GL019 reason` on the reported line or the line above, or `//nolint:leaktrail`.
    """
    seen: set[tuple[int, int]] = set()
    for flow in _flows(ctx):
        for r in flow.reacquires:
            key = (id(r.file), r.node.start_byte)
            if key in seen:
                continue
            seen.add(key)
            guessed = r.via is not None and r.via.guessed
            yield Report(r.file, r.node, _double_message(r), confidence="low" if guessed else "high")


def _double_message(r: Reacquire) -> str:
    name = r.mutex.text
    held, again = _mode_word(r.held.mode), _mode_word(r.mode)
    if r.held.mode == "r" and r.mode == "r":
        why = "a recursive RLock deadlocks as soon as a writer queues between the two"
    elif r.held.mode == "r":
        why = "an RLock cannot be upgraded to Lock: the Lock waits for this goroutine's own RLock"
    else:
        why = "sync mutexes are not reentrant, this goroutine blocks forever"
    if r.via is None and r.held_node == r.node:
        return (
            f"{name} is locked again on the next iteration of the loop: the deferred unlock only runs when "
            f"the function returns, so the second {again} blocks forever; unlock at the end of each "
            f"iteration (or move the body into a function with its own defer)"
        )
    if r.via is None:
        return (
            f"{name} is {'read-' if r.mode == 'r' else ''}locked again while held since the "
            f"{held} at line {line_of(r.held_node)}: {why}; unlock it first or do the work without the lock"
        )
    chain = r.via.chain
    callee = callee_text(r.node)
    through = f" (through {' → '.join(chain)})" if chain else ""
    return (
        f"{func_name(r.func)} holds {name} and calls {callee}, which{through} locks {name} again "
        f"({again} at {r.via.site.file.path.name}:{line_of(r.via.site.call)}, while the {held} at line "
        f"{line_of(r.held_node)} is held): {why}; release {name} before the call or call a variant that "
        f"expects the lock held"
    )


# -- GL020 ---------------------------------------------------------------------------------------------
@rule(
    "GL020",
    "lock-order-inversion",
    Severity.ERROR,
    "two paths take the same two mutexes in opposite orders (AB-BA): they can deadlock each other",
    prefilter=_PREFILTER,
    package_needs=_NEEDS,
)
def lock_order_inversion(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Records, for every function of the package, which mutex it acquires while holding another (directly
    or through calls up to four deep: same-package functions, callbacks stored in fields or passed as
    arguments, interface methods, and functions of other packages of the module — also a func literal
    handed to another package's function that locks, defers the unlock and then calls it:
    `j.Replay(func(e string) { ix.mu.Lock() … })` takes ix.mu while j.mu is held), and flags two code
    paths that take the same two mutexes in opposite orders: one locks A then B, the other B then A.
    Mutexes are identified by where they live (`Server.mu`, `Conn.mu`, a package-level var, a local var
    shared by closures; `store.Account.Mu` for a type of another package of the module).

    ## Why is this bad?
    When the two paths run at the same time, each goroutine gets its first mutex and waits for the other's:
    neither can proceed, ever. It shows only under load, and a goroutine dump then holds two (or more)
    goroutines parked in `[sync.Mutex.Lock]`, each inside the other's critical section. This is the AB-BA
    deadlock behind many of the blocking bugs collected from etcd, Kubernetes, gRPC, CockroachDB and Moby.

    ## Example
    ```go
    func (s *Server) Kick(c *Conn) {
        s.mu.Lock()
        defer s.mu.Unlock()
        c.mu.Lock() // Server.mu → Conn.mu
        c.closed = true
        c.mu.Unlock()
    }

    func (c *Conn) Close(s *Server) {
        c.mu.Lock()
        defer c.mu.Unlock()
        s.mu.Lock() // Conn.mu → Server.mu: deadlocks against Kick
        delete(s.conns, c)
        s.mu.Unlock()
    }
    ```

    ## Use instead
    Take the two mutexes in one fixed order everywhere (document it next to the fields), or release the
    first before taking the second:
    ```go
    func (c *Conn) Close(s *Server) {
        c.mu.Lock()
        c.closed = true
        c.mu.Unlock()
        s.mu.Lock()
        delete(s.conns, c)
        s.mu.Unlock()
    }
    ```

    ## When it stays silent
    Orders that agree everywhere, two instances of the same type (`a.mu` then `b.mu`: an order between
    instances it cannot see), read locks on both sides (`RLock`s do not exclude each other; but when
    only one of the two mutexes is read-locked on both paths and the package write-locks it somewhere,
    it reports: a `Lock` queued between the two `RLock`s makes the second one wait, as in GL019), calls
    made in a new goroutine, a callee that releases the held mutex before it takes the other one
    (but a helper that unlocks the caller's lock and locks it again does order it after the caller's
    other locks), paths the branch conditions rule out, an object this function (or the callee)
    allocated that nothing else can reach yet (not stored, passed or captured by a closure already
    handed out before the Lock), a callback that takes the first mutex but is stored on the object
    only after this function's acquisition can no longer run (`sub.onDone = func() { w.mu.Lock() … }`
    last), an object just assigned a new allocation (`x = &T{}`) and locked before it is stored,
    two fields of one type (`s.sys.recvq` and `s.sys.sendq`, also through a local copy), and mutexes
    it cannot identify. The finding is low confidence (shown with `--confidence low`) when a path is
    test code and neither path is seen running in a goroutine, when a path runs through an interface
    call that several of the package's types implement (unless each of them is seen stored or passed
    where the call reads it), when the callee is a constructor (it returns
    an object it allocated) that reaches the mutex through its own locals, not through what the
    caller passes, and when both paths only read-lock a local object nothing seen write-locks. It is
    reported once per pair, at the second acquisition of the later path (by file, then line); the
    message points to the other path.

    ## Suppress
    `//leaktrail:ignore GL020 reason` on the reported line or the line above, or `//nolint:leaktrail`.
    """
    edges: dict[tuple[str, str], list[OrderEdge]] = {}
    for flow in _flows(ctx):
        for e in flow.edges:
            assert e.first.cls is not None and e.second.cls is not None
            edges.setdefault((e.first.cls, e.second.cls), []).append(e)
    for e in _callback_edges(ctx):
        assert e.first.cls is not None and e.second.cls is not None
        edges.setdefault((e.first.cls, e.second.cls), []).append(e)
    written = _write_locked(ctx) if edges else set()

    def blocks(f: OrderEdge, g: OrderEdge) -> bool:
        """f holds A and takes B, g holds B and takes A: each second acquisition must wait for the
        other path. It does when either side of that mutex is a Lock. When both sides of one mutex are
        RLocks, it still does if the package write-locks that mutex somewhere (a Lock queued between
        them makes the second RLock wait, as in GL019), provided the other mutex is exclusive; RLocks
        on both sides of both mutexes stay silent."""
        a_w = f.first_mode == "w" or g.second_mode == "w"
        b_w = g.first_mode == "w" or f.second_mode == "w"
        if a_w and b_w:
            return True
        return (a_w and g.first.cls in written) or (b_w and f.first.cls in written)

    for (a, b), forward in sorted(edges.items()):
        if a > b:
            continue
        backward = edges.get((b, a))
        if not backward:
            continue
        pairs = [
            (f, g)
            for f in forward
            for g in backward
            if blocks(f, g)
            and not _installed_after(ctx, f, g)
            and not _installed_after(ctx, g, f)
            and not _distinct_fields(ctx, f, f.first, g, g.second)
            and not _distinct_fields(ctx, f, f.second, g, g.first)
        ]
        if not pairs:
            continue
        # prefer a pair whose four mutexes are all named in the two functions' own terms
        settled = [p for p in pairs if _settled(p[0]) and _settled(p[1])]
        chosen = settled or pairs
        f = min((p[0] for p in chosen), key=lambda e: e.where)
        g = min((p[1] for p in chosen if p[0] is f), key=lambda e: e.where)
        unsettled = None if settled else next(e for e in (f, g) if not _settled(e))
        earlier, later = (f, g) if f.where <= g.where else (g, f)
        readers = [
            m
            for m, other, held, taken in (
                (f.first, g.second, f.first_mode, g.second_mode),
                (g.first, f.second, g.first_mode, f.second_mode),
            )
            if held == "r" and taken == "r"
        ]
        # the read-locked mutex is one local object of one function: its writers must use that local
        unwritten = [
            m
            for m, other in ((f.first, g.second), (g.first, f.second))
            if m in readers and m == other and f.file is g.file and not _local_write_locked(ctx, f.file, m)
        ]
        # Two paths of test code on the test's own goroutine run one after the other: unless one of
        # them is shown to run in a goroutine, that they can overlap is not established.
        # The same when only one path is test code: the other must run in another goroutine at the
        # same time, and neither is seen running in one.
        sequential = (
            (f.file.is_test or g.file.is_test)
            and not _in_goroutine(ctx, f.file, f.func)
            and not _in_goroutine(ctx, g.file, g.func)
        )
        yield Report(
            later.file,
            later.node,
            _order_message(
                later, earlier, readers[0] if readers else None, sequential, unsettled, bool(unwritten)
            ),
            confidence="low"
            if sequential or unsettled or unwritten or _guessed(f) or _guessed(g)
            else "high",
        )


def _local_write_locked(ctx: Context, file: GoFile, m: Mutex) -> bool:
    """`m` lives in a local of one function (shared by its closures) and some code of that function
    write-locks that very object: a Lock on it, or a call (also in a `go` or `defer`) whose callee
    write-locks what the local is passed as. True when it cannot tell (not a local)."""
    if m.root != "local" or not m.base.isdigit():
        return True
    res = ctx.resolver(file)
    ident = res.file.root.descendant_for_byte_range(int(m.base), int(m.base))
    decl = res.decl_of(ident) if ident is not None and ident.type == "identifier" else None
    if decl is None:
        return True
    cg = call_graph(ctx)
    top = top_function(decl.func) or decl.func
    for node in (top, *captures("(func_literal) @f", top).get("f", [])):
        if any(lc.mutex == m and lc.method == "Lock" for lc in cg.locks_in(file, node)):
            return True
        for site in cg.lock_callees(file, node):
            for acq in cg.acquires(site.callee.file, site.callee.node):
                if acq.mode == "w" and cg.translate(acq.mutex, site) == m:
                    return True
    return False


def _settled(e: OrderEdge) -> bool:
    """The edge's second mutex is not in an object its callee created (which other paths can hold
    only once it is handed out: that they hold the same one is not established)."""
    return not e.created


def _field_chain(ctx: Context, file: GoFile, func: Node, m: Mutex, depth: int = 4) -> tuple[str, ...] | None:
    """The fields from the mutex's root object down to it; a local copied from a plain field chain
    (`q := s.sys.recvq`) starts at that chain's fields, also a callee's local (followed into it)."""
    if m.root in ("recv", "param"):
        return m.path
    key = f"locks:chain:{id(file)}:{func.start_byte}:{m.root}:{m.base}:{'.'.join(m.path)}:{depth}"
    if key in ctx.shared:
        cached = ctx.shared[key]
        return cached if isinstance(cached, tuple) else None
    ctx.shared[key] = None
    chain = _field_chain_of(ctx, file, func, m, depth)
    ctx.shared[key] = chain
    return chain


def _field_chain_of(ctx: Context, file: GoFile, func: Node, m: Mutex, depth: int) -> tuple[str, ...] | None:
    res = ctx.resolver(file)
    if m.root == "unknown" and m.base.isdigit():
        if depth <= 0:
            return None
        cg = call_graph(ctx)
        chains = {
            _field_chain(ctx, site.callee.file, site.callee.node, acq.mutex, depth - 1)
            for site in cg.lock_callees(file, func)
            if site.call.start_byte == int(m.base)
            for acq in cg.acquires(site.callee.file, site.callee.node)
            if cg.translate(acq.mutex, site) == m
        }
        return chains.pop() if len(chains) == 1 else None
    if m.root == "unknown" and m.base.startswith("gone@"):
        # held through a local declared again since (a loop's): start from the Lock that took it
        call = res.file.root.descendant_for_byte_range(int(m.base[5:]), int(m.base[5:]))
        while call is not None and call.type != "call_expression":
            call = call.parent
        fn = call.child_by_field_name("function") if call is not None else None
        selector = fn is not None and fn.type == "selector_expression"
        ident = fn.child_by_field_name("operand") if fn is not None and selector else None
        while ident is not None and ident.type == "selector_expression":
            ident = ident.child_by_field_name("operand")
        if ident is None or ident.type != "identifier":
            return None
    elif m.root == "local" and m.base.isdigit():
        ident = res.file.root.descendant_for_byte_range(int(m.base), int(m.base))
    else:
        return None
    decl = res.decl_of(ident) if ident is not None and ident.type == "identifier" else None
    if decl is None:
        return None
    if decl.kind != "short" or decl.multi or decl.value is None:
        return m.path  # the fields from the local's own object
    value = unparen(decl.value)
    fields: list[str] = []
    while value.type == "selector_expression":
        fields.append(text(value.child_by_field_name("field")))
        value = unparen(value.child_by_field_name("operand") or value)
    if value.type != "identifier" or not fields:
        return m.path
    return (*reversed(fields), *m.path)


def _distinct_fields(ctx: Context, e1: OrderEdge, m1: Mutex, e2: OrderEdge, m2: Mutex) -> bool:
    """Two mutexes of one type reached through different fields of objects of one type
    (`s.sys.recvq` and `s.sys.sendq`): two different mutexes, whatever the objects."""
    p1, p2 = _field_chain(ctx, e1.file, e1.func, m1), _field_chain(ctx, e2.file, e2.func, m2)
    if p1 is None or p2 is None or p1 == p2:
        return False
    # compare from the mutex up: the first fields that differ, then what holds them
    r1, r2 = p1[::-1], p2[::-1]
    k = next((i for i, (a, b) in enumerate(zip(r1, r2, strict=False)) if a != b), None)
    if k is None:
        return False  # one path is a suffix of the other: maybe the same object
    if k + 1 < len(r1) and k + 1 < len(r2):
        return r1[k + 1] == r2[k + 1]  # sibling fields of a field of one name (`sys.recvq`, `sys.sendq`)
    # sibling fields right at the root: the roots must be of one type (two methods' receivers)
    return (
        len(r1) == len(r2)
        and m1.root == m2.root == "recv"
        and e1.func.type == e2.func.type == "method_declaration"
        and receiver_type_name(e1.func) == receiver_type_name(e2.func)
    )


def _installed_after(ctx: Context, e: OrderEdge, other: OrderEdge) -> bool:
    """`other` takes e's first mutex inside a callback literal that e's function stores into a field
    (`sub.pDone = func() { w.mu.Lock() … }`) only after e's acquisition can no longer run, and the
    callback captures the local that e's first mutex lives in: for that object the callback did not
    exist yet while e held it, so the two orders never meet on one instance."""
    if other.via is None or e.first.root != "local" or not e.first.base.isdigit():
        return False
    literal = other.via.site.owner
    values = literal.parent if literal.type == "func_literal" else None
    stmt = values.parent if values is not None else None
    if values is None or stmt is None or stmt.type != "assignment_statement":
        return False
    left = stmt.child_by_field_name("left")
    if left is None or not any(t.type == "selector_expression" for t in left.named_children):
        return False
    if other.via.site.file is not e.file or run_context(stmt)[0] != e.func:
        return False
    res = ctx.resolver(e.file)
    captured = any(
        (d := res.decl_of(i)) is not None and str(d.ident.start_byte) == e.first.base
        for i in captures("(identifier) @i", literal).get("i", [])
    )
    body = e.func.child_by_field_name("body")
    if not captured or body is None:
        return False
    graph = ctx.cfg(e.file, body)
    return (
        graph.locate(stmt) is not None
        and not graph.reaches(stmt, e.node)
        and stmt.start_byte > e.node.start_byte
    )


def _guessed(e: OrderEdge) -> bool:
    """The edge rests on an interface call resolved by the package's types (not established)."""
    return e.via is not None and e.via.guessed


def _in_goroutine(ctx: Context, file: GoFile, func: Node, depth: int = 3) -> bool:
    """The function is shown to run in a goroutine started in the package: a literal of a `go`
    statement (or called in place inside one), or a function a `go` statement calls, directly or
    through callers up to `depth` levels."""
    if depth <= 0:
        return False
    if func.type == "func_literal":
        owner, _, spawned = run_context(func)
        if spawned:
            return True
        call = func.parent
        in_place = (
            call is not None
            and call.type == "call_expression"
            and call.child_by_field_name("function") == func
        )
        return in_place and owner is not None and _in_goroutine(ctx, file, owner, depth - 1)
    return any(
        site.spawned or _in_goroutine(ctx, site.file, site.caller, depth - 1)
        for site in call_graph(ctx).callers(file, func)
    )


def _write_locked(ctx: Context) -> set[str]:
    """Classes of the mutexes some function of the package write-locks (Lock, not RLock)."""
    cg = call_graph(ctx)
    return {
        lc.mutex.cls
        for fn in functions_with_locks(ctx)
        for lc in cg.locks_in(fn.file, fn.node)
        if lc.method == "Lock" and lc.mutex.cls is not None
    }


def _cls_name(m: Mutex) -> str:
    if m.cls is None or m.cls.startswith("local@"):
        return m.text
    head, _, last = m.cls.rpartition(".")
    name = head if last in ("Mutex", "RWMutex") and "." in head else m.cls
    return name.rsplit("/", 1)[-1]  # another package of the module: by its last path element


def _order_message(
    later: OrderEdge,
    earlier: OrderEdge,
    reader: Mutex | None = None,
    sequential: bool = False,
    unsettled: OrderEdge | None = None,
    unwritten: bool = False,
) -> str:
    def _how(e: OrderEdge) -> str:
        if e.via is None:
            return f"locks {e.second.text}"
        if e.relocks:
            return f"calls {callee_text(e.node)}, which unlocks {e.second.text} and locks it again"
        return f"calls {callee_text(e.node)}, which locks {e.second.text}"

    how, other_how = _how(later), _how(earlier)
    who = "two goroutines on these paths deadlock (AB-BA)"
    if sequential:
        both = later.file.is_test and earlier.file.is_test
        who = (
            f"{'both paths are' if both else 'one path is'} test code and no goroutine is seen running "
            f"either, but if two goroutines ever take them at the same time they deadlock (AB-BA)"
        )
    if unsettled is not None:
        m = unsettled.second
        who = (
            f"{callee_text(unsettled.node)} returns a new object and reaches {m.text} through its own "
            f"locals, not through anything the caller passes, so that the other path ever holds that "
            f"same {_cls_name(m)} is not established; if two goroutines take the same two mutexes on "
            f"these paths, they deadlock (AB-BA)"
        )
    elif reader is not None and unwritten:
        who = (
            f"both paths only read-lock {reader.text}, a local object nothing seen write-locks (the "
            f"package Locks {_cls_name(reader)} elsewhere); only a Lock on that object queued between "
            f"them would make the second RLock wait and the two goroutines deadlock (AB-BA)"
        )
    elif reader is not None:
        who = (
            f"both paths only read-lock {_cls_name(reader)}, but the package also Locks it, and a Lock "
            f"queued between them makes the second RLock wait: the two goroutines deadlock (AB-BA)"
        )
    return (
        f"{func_name(later.func)} {how} while holding {later.first.text}, but "
        f"{func_name(earlier.func)} ({earlier.file.path.name}:{line_of(earlier.node)}) {other_how} "
        f"while holding {earlier.first.text}: {who}; take "
        f"{_cls_name(later.first)} and {_cls_name(later.second)} in one fixed order"
    )


# -- GL019 across packages: a callback run under the callee's lock calls back into that lock ----------
@extend("GL019", (b"func(",))
def callback_under_foreign_lock(ctx: Context) -> Iterator[Report]:
    """
    ## Across packages: a callback run under the callee's lock
    A func literal handed to a function or method of another package of the module (go.mod, go.work)
    that locks a mutex, defers its unlock and then calls that parameter — `reg.Each(func(k string) {
    reg.Add(k) })` where `Each` runs `r.mu.Lock(); defer r.mu.Unlock(); for … { f(k) }` — runs with
    that mutex held. When the literal locks the same mutex again (itself or through calls, `Add` locking
    `r.mu`), the goroutine blocks forever. Reported at the call that hands the literal over (the callee's
    package cannot see its callers' literals; in one package the rule reports at the callee's `f(…)`).

    ```go
    s.reg.Each(func(name string, n int) { // want: Each holds s.reg.mu; Add locks it again
        s.reg.Add(name + "-copy")
    })
    ```
    Fix: collect what to do inside the callback and act after the call returns (or use a variant of
    the callee that does not hold its lock while calling back). Only `Lock` held across the call and
    `Lock` taken again are reported, and only when the callee takes the lock as a statement of its body
    with a deferred unlock and no other unlock (held on every path from there to its return).
    """
    cg = call_graph(ctx)
    for hold in _callback_holds(ctx):
        for acq in cg.acquires(hold.file, hold.literal):
            if acq.mutex != hold.held or acq.mode != "w" or acq.guessed or hold.held in acq.released:
                continue
            where = acq.site
            through = f" (through {' → '.join(acq.chain)})" if acq.chain else ""
            lc, held = hold.lock, hold.held
            here = f" ({held.text} here)" if held.text != lc.mutex.text else ""
            yield Report(
                hold.file,
                hold.call,
                f"{hold.callee.name} holds {lc.mutex.text}{here} while it calls the "
                f"func literal passed here, which{through} locks {held.text} again (Lock at "
                f"{where.file.path.name}:{line_of(where.call)}, while the Lock at "
                f"{hold.callee.file.path.name}:{line_of(lc.call)} is held): sync mutexes are not "
                f"reentrant, this goroutine blocks forever; collect what to do in the callback "
                f"and act after {callee_text(hold.call)} returns",
            )
            break


@dataclass(frozen=True, slots=True)
class _CallbackHold:
    """A func literal handed to another module package's function that calls it holding `lock`
    (`held` in the caller's terms)."""

    file: GoFile
    owner: Node
    call: Node
    literal: Node
    callee: Func
    lock: LockCall
    held: Mutex


def _callback_holds(ctx: Context) -> list[_CallbackHold]:
    """Every such hand-over in the package (memoised: GL019 and GL020 both read them)."""
    memo = ctx.shared.get("locks:callback-holds")
    if isinstance(memo, list):
        return memo
    cg = call_graph(ctx)
    out: list[_CallbackHold] = []
    for file in ctx.files:
        hooks = _callback_lockers(ctx, cg, file)
        if not any(b"." + n + b"(" in file.data for n in hooks) or not cg._imports_module(file):
            continue  # from the bytes: no call of a function that may lock and call a func parameter
        names = cg._module_names(file)
        if not names:
            continue
        for literal in ctx.query(file, "(func_literal) @f").get("f", []):
            args = literal.parent
            call = args.parent if args is not None and args.type == "argument_list" else None
            if args is None or call is None or call.type != "call_expression":
                continue
            fn = unparen(call.child_by_field_name("function") or call)
            if fn.type != "selector_expression" or text(fn.child_by_field_name("field")) not in names:
                continue
            owner, deferred, spawned = run_context(call)
            if owner is None or deferred or spawned:
                continue
            site = cg._module_site(file, owner, call, fn, True)
            if site is None:
                continue
            index = next(i for i, a in enumerate(args.named_children) if a == literal)
            for lc in _held_at_param_calls(cg, site.callee, index):
                held = cg.translate(lc.mutex, site)
                if held is not None and held.root != "unknown":
                    out.append(_CallbackHold(file, owner, call, literal, site.callee, lc, held))
    ctx.shared["locks:callback-holds"] = out
    return out


def _callback_edges(ctx: Context) -> list[OrderEdge]:
    """GL020's order edges through a callback run under another package's lock: the callback takes
    `second` while the callee holds `first` (reported like a call that locks `second` holding `first`)."""
    if not ctx.pkg.contains(b"func("):
        return []
    cg = call_graph(ctx)
    edges: list[OrderEdge] = []
    for hold in _callback_holds(ctx):
        res = ctx.resolver(hold.file)
        first = hold.held
        for acq in cg.acquires(hold.file, hold.literal):
            m = acq.mutex
            if first in acq.released or len(acq.chain) > MAX_CHAIN:
                continue
            if m.cls is None or first.cls is None or m.cls == first.cls or m == first:
                continue
            if unpublished_local(res, first, hold.call, ctx) or unpublished_local(res, m, hold.call, ctx):
                continue
            edges.append(OrderEdge(hold.file, hold.owner, hold.call, first, hold.lock.mode, m, acq.mode, acq))
    return edges


def _held_at_param_calls(cg: CallGraph, callee: Func, index: int) -> list[LockCall]:
    """The Locks `callee` holds whenever it calls its parameter `index` (a plain call of that parameter
    in its own body): taken by a statement of the body before the call, released only by a deferred
    Unlock (so held until the function returns)."""
    node = callee.node
    params = node.child_by_field_name("parameters")
    body = node.child_by_field_name("body")
    if params is None or body is None:
        return []
    names: list[str] = []
    for p in params.named_children:
        if p.type != "parameter_declaration":
            return []  # variadic: positions past it are not parameters one to one
        names.extend(text(n) for n in p.children_by_field_name("name"))
    if index >= len(names) or names[index] == "_":
        return []
    name = names[index]
    calls = [
        c
        for c in captures("(call_expression function: (identifier) @f) @c", body).get("c", [])
        if text(c.child_by_field_name("function")) == name and run_context(c) == (node, False, False)
    ]
    if not calls:
        return []
    first = min(c.start_byte for c in calls)
    locks = cg.locks_in(callee.file, node)
    held: list[LockCall] = []
    for lc in locks:
        if (
            lc.method != "Lock"
            or lc.deferred
            or lc.spawned
            or lc.owner != node
            or lc.call.start_byte > first
            or not _body_statement(lc.call, body)
        ):
            continue
        unlocks = [u for u in locks if u.releases and u.mutex == lc.mutex]
        if unlocks and all(u.deferred and not u.spawned and u.owner == node for u in unlocks):
            held.append(lc)
    return held


def _body_statement(call: Node, body: Node) -> bool:
    """`call` is a statement of its own in `body` itself (not in a branch or loop): it runs on every
    path that gets past it."""
    stmt = call.parent
    if stmt is None or stmt.type != "expression_statement" or stmt.parent is None:
        return False
    block = stmt.parent
    return block == body or (block.type == "statement_list" and block.parent == body)


_DECL_HEAD = re.compile(rb"\nfunc[ \t]*(?:\([^)]*\)[ \t]*)?([A-Za-z_][A-Za-z0-9_]*)([^\n]*)")


def _callback_lockers(ctx: Context, cg: CallGraph, file: GoFile) -> set[bytes]:
    """Names of the functions of the module packages the file may import (every quoted module path
    counts) whose declaration line takes a func parameter and whose body defers a call and calls
    `.Lock()`: a superset of the callees callback_under_foreign_lock can report, read from the bytes
    (the file is not parsed when it calls none of them)."""
    from leaktrail.source.module import load

    if not cg._may_call_module_lockers(file):
        return set()
    found: set[bytes] = set()
    for path in cg.module_strings(file):
        other = load(ctx.pkg.module, path)
        if other is None:
            continue
        memo = interproc.package_context(other).shared
        names = memo.get("locks:callback-lockers")
        if not isinstance(names, frozenset):
            got: set[bytes] = set()
            for f in other.files_containing(b".Lock()"):
                data = b"\n" + f.data
                heads = list(_DECL_HEAD.finditer(data))
                for i, h in enumerate(heads):
                    end = heads[i + 1].start() if i + 1 < len(heads) else len(data)
                    body = (h.end(), end)
                    if (
                        b"func(" in h.group(2)
                        and data.find(b".Lock()", *body) >= 0
                        and data.find(b"defer ", *body) >= 0
                    ):
                        got.add(h.group(1))
            names = memo["locks:callback-lockers"] = frozenset(got)
        found |= names
    return found
