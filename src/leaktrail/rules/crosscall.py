"""Leak shapes whose two sides sit in different functions, added to the rules they belong to
(`rules.extend`): the partner hides behind a call, a returned channel, a struct field or a callback.

Each check's docstring is appended to its rule's documentation."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import leaktrail.rules.channels
import leaktrail.rules.contexts
import leaktrail.rules.senders
import leaktrail.rules.waitgroups  # noqa: F401
from leaktrail.rules import extend
from leaktrail.rules.base import Context, Report
from leaktrail.rules.channels import (
    DEFERS,
    GOS,
    RANGES,
    captures_within,
    channel_captures,
    code_to,
    own_returns,
    selector_or_key_files,
    unicode_spaced,
)
from leaktrail.rules.crossctx import cancel_hint, may_reach_field, param_names, reaches, setter_store
from leaktrail.rules.interproc import _assigned_value, _bound_variable, _calls_named
from leaktrail.rules.tokens import calls_named, lines_with, word_boundary
from leaktrail.rules.waitgroups import wg_calls
from leaktrail.source.cfg import covers_any
from leaktrail.source.gomod import Module
from leaktrail.source.package import GoFile, receiver_type_name
from leaktrail.source.parse import (
    Node,
    assignment_targets,
    captures,
    is_assign_target,
    sole_declared,
    text,
    unparen,
)
from leaktrail.source.resolve import FUNC_NODES, Decl, Resolver, enclosing_func

_LOOPS = "(for_statement) @l"


# -- GL004: Add(len(xs)) and a loop that skips elements ------------------------------------------------
@extend("GL004", (b".Add(",))
def counted_loop_skips(ctx: Context) -> Iterator[Report]:
    """
    ## Across the loop that starts the goroutines
    `wg.Add(len(xs))` (or `wg.Add(n)`) counts every element before a loop that starts one goroutine per
    element. A `continue`, `break` or `return` in that loop that starts no goroutine for its element
    leaves one `Done` missing for good: `wg.Wait()` blocks forever. It is reported at that statement.
    A `wg.Wait()` inside that loop waits for all the elements while only one goroutine has been
    started: it is reported too.

    ```go
    wg.Add(len(jobs))
    for _, j := range jobs {
        if j == nil {
            continue // want: no goroutine, no Done for this element
        }
        go func() { defer wg.Done(); run(j) }()
    }
    wg.Wait()
    ```
    Fix: `wg.Add(1)` just before each `go`, or call `wg.Done()` before skipping the element.
    The loop may range over xs or its indexes, count up to `len(xs)` or n, carry a label
    (`break outer` leaves it; a plain `break` in a `switch`/`select` does not), and start its goroutine
    through a helper (`s.spawn(&wg, x)`, `go pool.Run(&wg, x)`, also in another package of the
    module, or a local closure `spawn(x)` capturing the WaitGroup) that calls `Done` or starts the
    goroutine that does. `n := len(xs); wg.Add(n)` counts xs.
    A `return` is reported only when a `Wait` still runs (deferred, a closer goroutine
    `go func() { wg.Wait(); close(out) }()` started before the loop, or the WaitGroup is not the
    function's own local): with a local WaitGroup whose `Wait` the return skips, nobody waits on the
    missing count and the goroutines already started still finish. A closer goroutine after the loop
    counts as the `Wait` for `continue` and `break`. `wg.Go(f)` in that loop counts its
    own goroutine, so the `Add(len(xs))` before the loop is never matched: reported at `wg.Go`.
    An `if` without `else` around the loop's only `go` statement skips the elements whose condition
    fails: reported at that `if`.
    Silent when the skipping path calls `Done` itself (or hands the element to a helper that does), or
    when the goroutine's `Done` is not the one counted.
    """
    for file in ctx.files:
        if not _COUNTED_ADD.search(file.data):
            continue
        for call, recv in _counted_adds(ctx, file):
            found = _counted_loop(call)
            if found is None:
                continue
            loop, counted = found
            body = loop.child_by_field_name("body")
            func = enclosing_func(call)
            if body is None or func is None:
                continue
            gos = [
                c for c, _m, r in wg_calls(ctx, file, body, ("Go",)) if r == recv and _directly_in(c, body)
            ]
            for c in gos:
                if not any(r == recv for _c, _m, r in wg_calls(ctx, file, c, ("Done",))):
                    yield Report(
                        file,
                        c,
                        f"{recv}.Go counts the goroutine it starts itself, so the {recv}.Add({counted}) "
                        f"before the loop is never matched by a Done: {recv}.Wait() blocks forever; drop "
                        f"{recv}.Add({counted})",
                    )
            if gos:
                continue
            starts = [
                g
                for g in channel_captures(ctx, file, GOS)
                if _directly_in(g, body) and _calls_done(ctx, file, g, recv)
            ] + _spawning_calls(ctx, file, body, recv)
            if not starts:
                continue
            dones = [
                c
                for c, m, r in wg_calls(ctx, file, body, ("Done", "Add"))
                if r == recv and not _in_go(c, body)
            ]
            graph = ctx.cfg(file, body, loop_body=True)
            hits = covers_any([*starts, *dones])
            waits_after = _waits_after(ctx, file, func, loop, recv)
            if any(
                r == recv and c.start_byte > loop.end_byte and enclosing_func(c) == func
                for c, _m, r in wg_calls(ctx, file, func, ("Add", "Done"))
            ):
                waits_after = (False, waits_after[1])  # the count is corrected after the loop
            for ex in graph.exits_without(None, hits):
                if ex.kind == "next" and waits_after[0]:
                    guard = _skipping_if(starts, body)
                    if guard is not None:
                        yield Report(
                            file,
                            guard,
                            f"{recv}.Add({counted}) counted every element, but this if starts the element's "
                            f"goroutine only when its condition holds: for the other elements one "
                            f"{recv}.Done() never comes and {recv}.Wait() blocks forever; call {recv}.Add(1) "
                            f"just before each go statement (or {recv}.Done() in an else branch)",
                        )
                    continue
                if ex.kind not in ("continue", "break", "return"):
                    continue
                if ex.kind == "return" and not waits_after[1]:
                    continue  # the function leaves before any Wait of its own
                if ex.kind != "return" and not waits_after[0]:
                    continue
                yield Report(
                    file,
                    ex.node,
                    f"{recv}.Add({counted}) counted every element, but this {ex.kind} starts no goroutine "
                    f"for its element: one {recv}.Done() never comes and {recv}.Wait() blocks forever; "
                    f"call {recv}.Add(1) just before each go statement (or {recv}.Done() before the "
                    f"{ex.kind})",
                )
            for c, _m, r in wg_calls(ctx, file, body, ("Wait",)):
                if r == recv and not _in_go(c, body) and any(g.start_byte < c.start_byte for g in starts):
                    yield Report(
                        file,
                        c,
                        f"{recv}.Wait() inside the loop waits for all {counted} goroutines counted by "
                        f"{recv}.Add({counted}), but only this iteration's has been started: it blocks "
                        f"forever when there is more than one; call {recv}.Wait() after the loop",
                    )


def _counted_adds(ctx: Context, file: GoFile) -> list[tuple[Node, str]]:
    """(call, receiver) of `x.Add(…)` on a sync.WaitGroup whose statement is followed by a loop: the
    syntactic test first, the type only for those."""
    from leaktrail.rules.waitgroups import receiver_text

    res = ctx.resolver(file)
    out: list[tuple[Node, str]] = []
    for call in add_calls(ctx, file):
        if _counted_loop(call) is None:
            continue
        if res.method_call_on(call, "sync", "WaitGroup", ("Add",)):
            out.append((call, receiver_text(call)))
    return out


_METHOD_CALLS = "(call_expression function: (selector_expression field: (field_identifier) @m)) @c"
_ADD = frozenset({"Add"})


def add_calls(ctx: Context, file: GoFile) -> list[Node]:
    """The calls `x.Add(…)`: the method calls of the indexed query whose method is `Add`, in its order,
    found from the word's occurrences (tokens.calls_named) instead of reading every method call of the
    file. A tree with a syntax error is queried."""
    if file.root.has_error:
        return [
            c
            for c in ctx.query(file, _METHOD_CALLS).get("c", [])
            if text(c.child_by_field_name("function").child_by_field_name("field")) == "Add"  # type: ignore[union-attr]
        ]
    return [c for c in calls_named(file, _ADD) if _function_type(c) == "selector_expression"]


def _function_type(call: Node) -> str:
    fn = call.child_by_field_name("function")
    return fn.type if fn is not None else ""


_COUNTED_ADD = re.compile(rb"\.Add\(\s*(?:len\(|[A-Za-z_][\w.]*\s*\))")


def _counted_loop(add: Node) -> tuple[Node, str] | None:
    """(the loop, the count's text) when `add` is `wg.Add(len(xs))` / `wg.Add(n)` and the statement after
    it (in its block, other statements between allowed) is a loop over xs / up to n."""
    args = add.child_by_field_name("arguments")
    if args is None or args.named_child_count != 1:
        return None
    arg = unparen(args.named_children[0])
    counted = text(arg)
    over = None
    if arg.type == "call_expression" and text(arg.child_by_field_name("function")) == "len":
        inner = arg.child_by_field_name("arguments")
        if inner is None or inner.named_child_count != 1:
            return None
        over = text(inner.named_children[0])
    elif arg.type == "selector_expression":
        pass  # `wg.Add(p.workers)` before `for i := 0; i < p.workers; i++`
    elif arg.type != "identifier":
        return None
    else:
        over = _len_of(arg)  # `n := len(xs); wg.Add(n)` counts xs
    stmt = add.parent
    if stmt is None or stmt.type != "expression_statement":
        return None
    nxt = stmt.next_named_sibling
    while nxt is not None and _loop_of(nxt) is None:
        if nxt.type == "return_statement" or _sets(nxt, counted):
            return None
        if nxt.type == "go_statement" and b".Wait()" not in (nxt.text or b""):
            return None  # a goroutine started before the loop, other than the closer that waits
        nxt = nxt.next_named_sibling
    loop = _loop_of(nxt) if nxt is not None else None
    if loop is None:
        return None
    header = [c for c in loop.named_children if c.type != "block"]
    clause = next((c for c in header if c.type == "range_clause"), None)
    if over is not None:
        right = clause.child_by_field_name("right") if clause is not None else None
        three = next((c for c in header if c.type == "for_clause"), None)
        cond = three.child_by_field_name("condition") if three is not None else None
        if right is not None and text(right).replace(" ", "") in (over, f"len({over})"):
            return loop, counted
        if cond is None or f"len({over})" not in text(cond).replace(" ", ""):
            return None  # `for i := 0; i < len(xs); i++` counts xs too
    elif not any(_names(c, counted) for c in header):
        return None
    return loop, counted


def _len_of(ident: Node) -> str | None:
    """`xs` when the local `ident` was last set to `len(xs)` before its use (in the same block)."""
    stmt = ident.parent
    while stmt is not None and stmt.type not in ("expression_statement", "block"):
        stmt = stmt.parent
    prev = stmt.prev_named_sibling if stmt is not None and stmt.type == "expression_statement" else None
    while prev is not None:
        spec = prev
        if prev.type == "var_declaration":
            specs = [c for c in prev.named_children if c.type == "var_spec"]
            spec = specs[0] if len(specs) == 1 else prev
        if spec.type in ("short_var_declaration", "assignment_statement", "var_spec"):
            if spec.type == "var_spec":
                names = [text(c) for c in spec.children_by_field_name("name")]
                right = spec.child_by_field_name("value")
            else:
                left, right = spec.child_by_field_name("left"), spec.child_by_field_name("right")
                names = [text(c) for c in left.named_children] if left is not None else []
            if text(ident) in names:
                values = right.named_children if right is not None else []
                if len(values) != len(names):
                    return None
                value = unparen(values[names.index(text(ident))])
                fn = value.child_by_field_name("function") if value.type == "call_expression" else None
                args = value.child_by_field_name("arguments") if fn is not None else None
                if fn is None or text(fn) != "len" or args is None or args.named_child_count != 1:
                    return None
                return text(args.named_children[0])
        elif _sets(prev, text(ident)):
            return None
        prev = prev.prev_named_sibling
    return None


def _sets(stmt: Node, name: str) -> bool:
    """`stmt` may change the local `name`: assigns it (`n = …`, `n++`, `n += …`) or takes its address."""
    if name.encode() not in (stmt.text or b""):
        return False
    for node in captures(
        "[(assignment_statement) (short_var_declaration) (inc_statement) (dec_statement)] @a", stmt
    ).get("a", []):
        left = node.child_by_field_name("left") or (node.named_children[0] if node.named_children else None)
        if left is not None and any(text(unparen(c)) == name for c in [left, *left.named_children]):
            return True
    return any(
        text(u.child_by_field_name("operator")) == "&" and text(u.child_by_field_name("operand")) == name
        for u in captures("(unary_expression) @u", stmt).get("u", [])
    )


def _skipping_if(starts: list[Node], body: Node) -> Node | None:
    """The `if` (without else) that guards the only goroutine start of the loop body."""
    if len(starts) != 1:
        return None
    p = starts[0].parent
    while p is not None and p != body:
        if p.type == "if_statement":
            return p if p.child_by_field_name("alternative") is None else None
        if p.type in ("expression_switch_statement", "type_switch_statement", "select_statement"):
            return None
        p = p.parent
    return None


def _loop_of(stmt: Node) -> Node | None:
    """The for statement itself, or the one a label names (`outer: for …`)."""
    while stmt.type == "labeled_statement":
        inner = [c for c in stmt.named_children if c.type != "label_name"]
        if not inner:
            return None
        stmt = inner[0]
    return stmt if stmt.type == "for_statement" else None


def _names(node: Node, name: str) -> bool:
    """An identifier `name` occurs in node (a whole identifier, not a substring)."""
    if name.encode() not in (node.text or b""):
        return False
    if "." in name or "(" in name:
        return True
    return any(text(i) == name for i in captures("(identifier) @i", node).get("i", [])) or (
        node.type == "identifier" and text(node) == name
    )


def _spawning_calls(ctx: Context, file: GoFile, body: Node, recv: str) -> list[Node]:
    """Calls in the loop body that hand the WaitGroup to a helper (this package or another of the
    module) which starts the goroutine that calls its Done, or calls Done itself on every path."""
    from leaktrail.rules.crossctx import hands_done

    root = recv.split(".", 1)[0]
    out: list[Node] = []
    for c in captures("(call_expression) @c", body).get("c", []):
        if c.parent is None or c.parent.type != "expression_statement" or not _directly_in(c, body):
            continue
        if (_names(c, root) and hands_done(ctx, file, c, recv)) or _closure_spawns(ctx, file, c, recv):
            out.append(c)
    return out


def _closure_spawns(ctx: Context, file: GoFile, call: Node, recv: str) -> bool:
    """`spawn(x)` where spawn is a local func literal (captured WaitGroup) that starts a goroutine
    calling recv.Done on every path of the literal."""
    from leaktrail.rules.interproc import call_targets

    fn = unparen(call.child_by_field_name("function") or call)
    if fn.type != "identifier":
        return False
    targets = call_targets(ctx, file, call)
    if len(targets) != 1 or targets[0].node.type != "func_literal" or targets[0].file is not file:
        return False
    lit = targets[0].node
    lbody = lit.child_by_field_name("body")
    if lbody is None:
        return False
    gos = [
        g
        for g in captures("(go_statement) @g", lbody).get("g", [])
        if any(r == recv for _c, _m, r in wg_calls(ctx, file, g, ("Done",)))
    ]
    if not gos:
        return False
    exits = ctx.cfg(file, lbody).exits_without(None, covers_any(gos))
    return not [e for e in exits if e.kind != "abort"]


def _directly_in(node: Node, body: Node) -> bool:
    """In the loop body, not inside a nested loop or function literal."""
    p = node.parent
    while p is not None and p != body:
        if p.type in ("for_statement", *FUNC_NODES):
            return False
        p = p.parent
    return p == body


def _in_go(node: Node, body: Node) -> bool:
    p = node.parent
    while p is not None and p != body:
        if p.type in ("go_statement", "func_literal"):
            return True
        p = p.parent
    return False


def _calls_done(ctx: Context, file: GoFile, go: Node, recv: str) -> bool:
    """The goroutine calls Done on the counted WaitGroup (in a literal, or a named function handed it)."""
    from leaktrail.rules.crossctx import hands_done

    if any(r == recv for _c, _m, r in wg_calls(ctx, file, go, ("Done",))):
        return True
    return (recv.encode() in (go.text or b"") and b"Done" in (go.text or b"")) or hands_done(
        ctx, file, go, recv
    )


def _waits_after(ctx: Context, file: GoFile, func: Node, loop: Node, recv: str) -> tuple[bool, bool]:
    """(a Wait on recv follows the loop in the function, one runs even on return: deferred or elsewhere)."""
    body = func.child_by_field_name("body")
    after = deferred = False
    for c, _m, r in wg_calls(ctx, file, body, ("Wait",)) if body is not None else []:
        if r != recv:
            continue
        go: Node | None = None
        p = c.parent
        while p is not None and p != func:
            if p.type == "defer_statement":
                deferred = after = True
            elif p.type == "go_statement":
                go = p
            p = p.parent
        if go is not None:  # a closer `go func() { wg.Wait(); close(out) }()`
            if go.end_byte <= loop.start_byte:
                after = deferred = True  # already waiting when the loop returns
            elif go.start_byte >= loop.end_byte:
                after = True
        elif enclosing_func(c) == func and c.start_byte > loop.end_byte:
            after = True
    root = recv.split(".", 1)[0]
    local = any(
        text(n) == root
        for d in captures("[(short_var_declaration) (var_spec)] @d", func).get("d", [])
        for n in (d.child_by_field_name("left") or d).named_children
    )
    return after or not local, deferred or not local


# -- GL002: a cancel func parked in a struct ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Parked:
    file: GoFile
    func: Node
    """The function that creates the context."""
    with_call: Node
    field: str
    owner: str
    """The struct type whose field holds the cancel func."""
    holder: Node | None
    """The local variable holding the struct (None: the receiver or another non-local)."""
    go: Node
    """The goroutine that waits on the context's Done (or the statement calling the function that
    starts it)."""
    target: tuple[GoFile, Node]
    by_call: bool = False
    """The goroutine is started inside a callee handed the context (`worker.Start(ctx)`)."""
    strict: bool = True
    """The goroutine leaves only on Done (False: also on a channel only the holder can reach, which
    still leaks once the holder is dropped, but not when others keep the holder)."""


def _parked_cancels(ctx: Context, file: GoFile) -> list[_Parked]:
    from leaktrail.rules.contexts import with_cancel_calls
    from leaktrail.rules.goroutines import go_target

    res = ctx.resolver(file)
    out: list[_Parked] = []
    for call, _kind in with_cancel_calls(ctx, file):
        func = enclosing_func(call)
        values = call.parent
        targets = assignment_targets(values) if values is not None else None
        if func is None or targets is None or len(targets) != 2:
            continue
        cancel = unparen(targets[1])
        store: tuple[str, str, Node | None] | None = None
        if cancel.type == "selector_expression":
            store = _field_store(res, cancel)
        elif cancel.type == "identifier":
            decl = res.decl_of(cancel)
            if decl is None:
                continue
            for ref in res.references(decl):
                ref = _wrapping_literal(ref, func)  # `cancel: func() { cancel(nil) }` parks it too
                parent = ref.parent
                if parent is not None and parent.type == "call_expression":
                    store = None
                    break  # called (or passed) right here: nothing is parked
                if parent is not None and parent.type == "literal_element":
                    keyed = parent.parent
                    lit = keyed.parent.parent if keyed is not None and keyed.parent is not None else None
                    if (
                        keyed is not None
                        and keyed.type == "keyed_element"
                        and lit is not None
                        and keyed.named_children[-1] == parent
                    ):
                        t = res.type_of_node(lit.child_by_field_name("type"))
                        key = text(keyed.named_children[0])
                        if t is not None and t.kind == "named" and not t.pkg:
                            store = (key, t.name, _bound_variable(lit))
                elif parent is not None and parent.type == "expression_list":
                    stmt = parent.parent
                    left = stmt.child_by_field_name("left") if stmt is not None else None
                    if stmt is not None and stmt.type == "assignment_statement" and left is not None:
                        lhs = left.named_children
                        if len(lhs) == 1 and unparen(lhs[0]).type == "selector_expression":
                            store = _field_store(res, unparen(lhs[0]))
                elif parent is not None and parent.type == "argument_list":  # `s.setCancel(cancel)`
                    store = setter_store(ctx, file, ref) or store
        if store is None:
            continue
        fname, owner, holder = store
        for go in channel_captures(ctx, file, GOS):
            if go.start_byte < call.end_byte or enclosing_func(go) != func:
                continue
            target = go_target(ctx, file, go)
            remote = _module_waiter(ctx, file, go) if target is None else None
            target = target or remote
            body = target[1].child_by_field_name("body") if target is not None else None
            if target is None or body is None:
                continue
            if (
                remote is None
                and b".Done()" not in (body.text or b"")
                and not _waits_through_call(ctx, target[0], target[1])
            ):
                continue
            strict = _leaves_only_on_done(body)
            if not strict and (
                holder is None
                or not (inner := _holder_name_in(target[1], holder, owner, remote is None))
                or not _leaves_only_on_done(body, _holder_private(ctx, owner, inner))
            ):
                continue  # it may also leave on another case
            out.append(_Parked(file, func, call, fname, owner, holder, go, target, strict=strict))
            break
        else:
            starter = _waiter_starter(ctx, file, func, call, targets[0])
            if starter is not None:
                out.append(_Parked(file, func, call, fname, owner, holder, starter[0], starter[1], True))
    return out


def _subject(p: _Parked) -> str:
    if not p.by_call:
        return "this goroutine"
    return f"the goroutine that {text(p.target[1].child_by_field_name('name'))} starts here"


def _waiter_starter(
    ctx: Context, file: GoFile, func: Node, with_call: Node, ctx_var: Node
) -> tuple[Node, tuple[GoFile, Node]] | None:
    """(the statement, the callee) of a call after `with_call` that hands the new context to a function
    (this package or another of the module) that starts a goroutine waiting on its Done()."""
    from leaktrail.rules.crossctx import arg_index, callee_of, summary

    name = text(unparen(ctx_var))
    if unparen(ctx_var).type != "identifier" or name == "_":
        return None
    for stmt in captures("(expression_statement (call_expression) @c) @s", func).get("s", []):
        call = stmt.named_children[0]
        if stmt.start_byte < with_call.end_byte or enclosing_func(stmt) != func:
            continue
        index = arg_index(call, name)
        target = callee_of(ctx, file, call) if index is not None else None
        if target is None or index is None:
            continue
        facts = summary(target.ctx, target.file, target.func).get(index)
        if facts is not None and facts.starts_waiter:
            return stmt, (target.file, target.func)
    return None


def _module_waiter(ctx: Context, file: GoFile, go: Node) -> tuple[GoFile, Node] | None:
    """`go pkg.Run(ctx)`: the function of another package of the module the goroutine runs, when its
    summary says it waits on the Done() of a context it is handed."""
    from leaktrail.rules.crossctx import callee_of, summary

    call = next((c for c in go.named_children if c.type == "call_expression"), None)
    target = callee_of(ctx, file, call) if call is not None else None
    if target is None or target.ctx is ctx:
        return None
    if not any(f.blocks_on_done for f in summary(target.ctx, target.file, target.func).values()):
        return None
    return target.file, target.func


def _waits_through_call(ctx: Context, file: GoFile, func: Node, depth: int = 0) -> bool:
    """The goroutine's function calls (a few calls deep, into the module's other packages too) a
    function that waits for a `….Done()` and leaves its selects only on that case."""
    from leaktrail.rules.crossctx import callee_of

    memo = ctx.shared.setdefault("crosscall:waits-deep", {})
    assert isinstance(memo, dict)
    key = (id(file), func.start_byte)
    if key in memo:
        return bool(memo[key])
    memo[key] = False
    found = False
    body = func.child_by_field_name("body")
    for call in captures("(call_expression) @c", body).get("c", []) if body is not None else []:
        fn = unparen(call.child_by_field_name("function") or call)
        if fn.type == "func_literal" or depth >= 3:
            continue
        target = callee_of(ctx, file, call)
        tbody = target.func.child_by_field_name("body") if target is not None else None
        if target is None or tbody is None:
            continue
        waits = any(_received_done(c) for c in captures("(call_expression) @c", tbody).get("c", []))
        if waits and _leaves_only_on_done(tbody):
            found = True
            break
        if _waits_through_call(target.ctx, target.file, target.func, depth + 1):
            found = True
            break
    memo[key] = found
    return found


def _received_done(call: Node) -> bool:
    """`<-x.Done()` (also a select case)."""
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "selector_expression" or text(fn.child_by_field_name("field")) != "Done":
        return False
    p = call.parent
    while p is not None and p.type == "parenthesized_expression":
        p = p.parent
    return p is not None and p.type == "unary_expression" and text(p.child_by_field_name("operator")) == "<-"


def _wrapping_literal(ref: Node, func: Node) -> Node:
    """The func literal `func() { cancel(…) }` (declared in `func`) whose only statement calls `ref`,
    else ref itself."""
    call = ref.parent
    if call is None or call.type != "call_expression" or call.child_by_field_name("function") != ref:
        return ref
    stmt = call.parent
    block = stmt.parent if stmt is not None and stmt.type == "expression_statement" else None
    while block is not None and block.type == "statement_list":
        block = block.parent
    lit = block.parent if block is not None and block.type == "block" else None
    if lit is None or lit.type != "func_literal" or enclosing_func(lit) != func:
        return ref
    body = lit.child_by_field_name("body")
    if body is None or len(captures("(expression_statement) @s", body).get("s", [])) != 1:
        return ref
    return lit


def _leaves_only_on_done(body: Node, private: Callable[[Node], bool] | None = None) -> bool:
    """Every select of the goroutine leaves (return, labelled break, goto) only from its `<-….Done()`
    case: another case (`<-s.quit`, `default`) may end it without the cancel — unless `private` says
    that case receives from a channel only the dropped holder could reach."""
    for select in captures("(select_statement) @s", body).get("s", []):
        for case in select.named_children:
            if case.type not in ("communication_case", "default_case"):
                continue
            comm = case.child_by_field_name("communication") if case.type == "communication_case" else None
            if comm is not None and b".Done()" in (comm.text or b""):
                continue
            leaves = captures("[(return_statement) (goto_statement) (break_statement (label_name))] @x", case)
            if not leaves.get("x"):
                continue
            query = '(unary_expression operator: "<-" operand: (selector_expression) @s)'
            sels = captures(query, comm).get("s", []) if comm is not None else []
            if private is not None and len(sels) == 1 and private(sels[0]):
                continue
            return False
    return True


def _holder_name_in(goroutine: Node, holder: Node, owner: str, local: bool) -> str:
    """The holder's name inside the goroutine: itself in a literal, the receiver of a method of its
    type ("" when the goroutine has no name for it)."""
    from leaktrail.source.package import receiver_type_name

    if goroutine.type == "func_literal":
        return text(holder)
    if local and goroutine.type == "method_declaration" and receiver_type_name(goroutine) == owner:
        return _receiver_name(goroutine)
    return ""


def _holder_private(ctx: Context, owner: str, name: str) -> Callable[[Node], bool]:
    """`name.f` where every store into the field f of `owner` in the package is a fresh `make(…)`: no
    one but a holder of the struct can reach that channel."""
    from leaktrail.rules.interproc import field_stores

    def private(sel: Node) -> bool:
        operand = sel.child_by_field_name("operand")
        if operand is None or text(unparen(operand)) != name:
            return False
        stores = [st for st in field_stores(ctx, text(sel.child_by_field_name("field"))) if st.owner == owner]
        return bool(stores) and all(
            unparen(st.value).type == "call_expression"
            and text(unparen(st.value).child_by_field_name("function")) == "make"
            for st in stores
        )

    return private


def _field_store(res: Resolver, sel: Node) -> tuple[str, str, Node | None] | None:
    operand = sel.child_by_field_name("operand")
    t = res.infer(operand) if operand is not None else None
    owner = res.field_owner(t, text(sel.child_by_field_name("field"))) if t is not None else None
    if owner is None or operand is None:
        return None
    o = unparen(operand)
    decl = res.decl_of(o) if o.type == "identifier" else None
    holder = o if decl is not None and decl.kind in ("short", "var") else None
    return text(sel.child_by_field_name("field")), owner.name, holder


def _cancel_calls(ctx: Context, fname: str, owner: str) -> list[tuple[GoFile, Node]]:
    """Every `x.f()` / use of `x.f` of the package where x's struct is `owner`."""
    return [(f, sel) for f, sel, known in _field_reads(ctx, fname, owner) if known]


def _only_from(ctx: Context, uses: list[tuple[GoFile, Node]], goroutine: Node) -> bool:
    """Every use runs only inside `goroutine` (the callers of the functions holding the uses, followed
    upwards, all end in it), after the goroutine's own wait on `….Done()` when it waits in its body:
    no other code can ever reach them, and the goroutine does not cancel its context itself first.
    A use inside a func literal that is not called in place (started with `go`, `wg.Go(func() {…})`,
    handed to a helper) may run alongside the wait: then it is not "only after"."""
    from leaktrail.rules.interproc import callers, owning_function

    body = goroutine.child_by_field_name("body")
    calls = captures("(call_expression) @c", body).get("c", []) if body is not None else []
    waits = [c for c in calls if _received_done(c) and enclosing_func(c) == goroutine]
    first_wait = min((w.start_byte for w in waits), default=None)
    work: list[tuple[GoFile, Node, Node]] = []
    for f, use in uses:
        fn = enclosing_func(use)
        while fn is not None and fn.type == "func_literal":
            if fn == goroutine:
                break
            if not _called_in_place(fn):
                return False
            fn = enclosing_func(fn)
        if fn is None:
            return False
        work.append((f, fn, use))
    seen: set[tuple[int, int]] = set()
    steps = 0
    while work:
        f, fn, at = work.pop()
        if fn == goroutine:
            if first_wait is not None and at.start_byte < first_wait:
                return False  # the goroutine may cancel before (or instead of) its wait
            continue
        if (id(f), fn.start_byte) in seen:
            continue
        seen.add((id(f), fn.start_byte))
        steps += 1
        if steps > 40 or fn.type == "func_literal":
            return False
        name = text(fn.child_by_field_name("name"))
        if name[:1].isupper() or name in ("main", "init"):
            return False  # callable from outside the package (or the program's entry)
        found = callers(ctx, f, fn)
        if not found:
            return False  # no caller we can see: maybe a method value or an interface, not ours
        for cf, call in found:
            outer = owning_function(call) if enclosing_func(call) is not None else None
            inner = enclosing_func(call)
            while inner is not None and inner.type == "func_literal" and inner != goroutine:
                if not _called_in_place(inner):
                    return False  # runs whenever that literal runs: perhaps alongside the wait
                inner = enclosing_func(inner)
            if inner is not None and inner == goroutine:
                work.append((cf, inner, call))
                continue
            if outer is None:
                return False
            work.append((cf, inner if inner is not None else outer, call))
    return True


def _called_in_place(lit: Node) -> bool:
    """`func() { … }()`: the literal runs right where it is written."""
    call = lit.parent
    while call is not None and call.type == "parenthesized_expression":
        call = call.parent
    return (
        call is not None
        and call.type == "call_expression"
        and unparen(call.child_by_field_name("function") or call) == lit
    )


@extend("GL002", (b"WithCancel", b"WithTimeout", b"WithDeadline"))
def parked_cancel(ctx: Context) -> Iterator[Report]:
    """
    ## Across calls: a cancel func parked in a struct
    `ctx, s.cancel = context.WithCancel(…)` (or `&T{cancel: cancel}`) with a goroutine started on that
    context that waits for `ctx.Done()`: the goroutine ends only when someone calls the parked cancel.
    Reported
    - at the `go` statement when every call of that cancel field runs only inside that very goroutine
      (after the `Done` it waits for): nothing else can ever cancel it; silent when the goroutine may
      cancel first (a call before its wait, or in a literal it hands to `go` or `wg.Go`);
    - at a `return` of the creating function that drops the struct holding the cancel after the
      goroutine was started (typically an error return);
    - at a call of the creating function whose result (the struct holding the cancel) is discarded;
    - at the `go` statement when the local struct holding the cancel never leaves the creating function
      (no return, argument, store or other closure has it, and none of its methods called there reaches
      the cancel field): nothing can ever cancel. The wait on `Done()` may sit a few calls down the
      goroutine (`go func() { s.connect() }()`, a method, or a function of another package).

    ```go
    func (db *DB) begin(ctx context.Context) *Tx {
        ctx, cancel := context.WithCancel(ctx)
        tx := &Tx{cancel: cancel}
        go tx.awaitDone(ctx) // waits on <-ctx.Done()
        return tx
    }
    db.begin(ctx) // want: the Tx (and its cancel) is dropped; awaitDone waits forever
    ```
    Fix: keep the struct and call its cancel (`defer tx.Rollback()`), or cancel before an error return.
    The cancel may be parked as `&T{cancel: cancel}`, `t.cancel = cancel`, `ctx, t.cancel = …`, a
    wrapper `func() { cancel(err) }` (`WithCancelCause`), or a setter call `t.setCancel(cancel)` (a
    method, of this package or of another package's type, whose body stores its parameter into a field
    of its receiver: `func (t *T) setCancel(c context.CancelFunc) { t.cancel = c }`, under a lock or
    through another such method too); the goroutine may be a literal or a method
    (`go s.run(ctx)`) whose `select` loop leaves only on `ctx.Done()`. Silent when the error path calls
    `cancel()`, a method of the holder that reaches the cancel field (`s.Close()`), or a deferred call that
    may (`defer func() { if err != nil { cancel() } }()`); when the holder is returned on every path; and
    when the goroutine can also leave through another `select` case — unless that case receives from a
    channel field of the holder that only ever holds a fresh `make(…)` (`case <-s.quit:`): once the
    holder is dropped nobody can close that channel either.
    """
    for file in ctx.files:
        for p in _parked_cancels(ctx, file):
            uses = _cancel_calls(ctx, p.field, p.owner)
            if uses and p.strict and not p.by_call and _only_from(ctx, uses, p.target[1]):
                yield Report(
                    p.file,
                    p.go,
                    f"this goroutine waits on ctx.Done(), but the only calls of {p.owner}.{p.field} (the "
                    f"context's cancel) run inside it, after that wait: nothing else cancels the context "
                    f"and the goroutine never ends; call {p.field}() from the code that stops the "
                    f"{p.owner}",
                )
                continue
            if p.holder is None:
                continue
            holder = text(p.holder)
            rets = ctx.query(file, "(return_statement) @r").get("r", [])
            rets = [r for r in rets if enclosing_func(r) == p.func]
            if not any(_mentions(r, holder) for r in rets) and _unhanded_holder(ctx, p, holder):
                name = text(p.func.child_by_field_name("name")) or "the function"
                yield Report(
                    p.file,
                    p.go,
                    f"{_subject(p)} waits on ctx.Done(), but the only cancel func of that context is kept "
                    f"in {holder} ({p.owner}.{p.field}), which {name} never returns, passes or stores: "
                    f"nothing can cancel the context and the goroutine never ends; call "
                    f"{cancel_hint(ctx, p.owner, p.field, holder)} when the work is done, or hand "
                    f"{holder} to the caller",
                )
                continue
            yield from _dropping_returns(ctx, p, holder)
            yield from _discarding_callers(ctx, p, holder)


def _dropping_returns(ctx: Context, p: _Parked, holder: str) -> Iterator[Report]:
    body = p.func.child_by_field_name("body")
    if body is None:
        return
    rets = [r for r in ctx.query(p.file, "(return_statement) @r").get("r", []) if enclosing_func(r) == p.func]
    decl = ctx.resolver(p.file).decl_of(p.holder) if p.holder is not None else None
    named = decl is not None and decl.kind == "result"  # a bare `return` hands the named result back
    keeps = [r for r in rets if _mentions(r, holder) or (named and not r.named_children)]
    if not keeps:
        return
    graph = ctx.cfg(p.file, body)
    deferred = [
        c
        for c in captures("(defer_statement (call_expression) @c)", body).get("c", [])
        if _mentions(c, holder) or any(x.start_byte >= c.start_byte for x in _cancel_var_calls(ctx, p, c))
    ]
    if deferred:
        return  # a deferred call cancels (or may cancel) on the way out
    for r in rets:
        if r in keeps or r.start_byte < p.go.end_byte:
            continue
        cancels = [
            c
            for c in captures("(call_expression) @c", body).get("c", [])
            if text(c.child_by_field_name("function")).startswith(f"{holder}.")
            and c.start_byte < r.start_byte
            and _may_cancel(ctx, p, c)
        ]
        cancels += _cancel_var_calls(ctx, p, body)
        cancels += [  # handed to code that may cancel it (`m.forget(j)`)
            c
            for c in captures("(call_expression) @c", body).get("c", [])
            if c.start_byte < r.start_byte
            and any(
                text(unparen(a)).lstrip("&") == holder
                for a in (c.child_by_field_name("arguments") or c).named_children
            )
        ]
        if not graph.reaches(p.go, r, covers_any(cancels) if cancels else None):
            continue
        yield Report(
            p.file,
            r,
            f"this return drops {holder}, the only holder of the cancel func of the context the goroutine"
            f"{' started by the call' if p.by_call else ''} at line {p.go.start_point[0] + 1} waits on "
            f"(ctx.Done()): nothing can cancel it and the "
            f"goroutine never ends; call {cancel_hint(ctx, p.owner, p.field, holder)} before returning",
        )


def _may_cancel(ctx: Context, p: _Parked, call: Node) -> bool:
    """`holder.M()` may call the parked cancel: M cannot be resolved, or M (or a method of its package it
    calls, a few levels deep) uses the cancel field."""
    fn = unparen(call.child_by_field_name("function") or call)
    if fn.type == "selector_expression" and text(fn.child_by_field_name("field")) == p.field:
        return True
    if "." in p.owner:  # a struct of another package of the module (parked through its setter)
        return may_reach_field(ctx, p.file, call, p.field)
    found = ctx.resolver(p.file).called_function(call)
    if found is None:
        return True
    uses = _field_uses(ctx, p.field, p.owner)
    return reaches(
        ctx,
        found,
        lambda f, func: any(uf is f and func.start_byte <= u.start_byte < func.end_byte for uf, u in uses),
    )


def _field_uses(ctx: Context, fname: str, owner: str) -> list[tuple[GoFile, Node]]:
    """Reads of `x.fname` where x is (or may be: its type is unknown) the struct `owner`."""
    return [(f, sel) for f, sel, _known in _field_reads(ctx, fname, owner)]


def _field_reads(ctx: Context, fname: str, owner: str) -> list[tuple[GoFile, Node, bool]]:
    """Reads of `x.fname` where x's struct is `owner` (True) or of a type the analysis cannot see
    (False); reads on other structs are left out. Memoised: both the parked-cancel and the field
    checks ask the same questions."""
    memo = ctx.shared.setdefault("crosscall:field-reads", {})
    assert isinstance(memo, dict)
    key = (fname, owner)
    if key not in memo:
        out: list[tuple[GoFile, Node, bool]] = []
        for f in ctx.pkg.files_containing(fname.encode()):
            res = ctx.resolver(f)
            for ident in f.field_identifiers.get(fname, ()):
                sel = ident.parent
                if sel is None or sel.type != "selector_expression" or is_assign_target(sel):
                    continue
                operand = sel.child_by_field_name("operand")
                t = res.infer(operand) if operand is not None else None
                o = res.field_owner(t, fname) if t is not None else None
                if o is None or o.name == owner:
                    out.append((f, sel, o is not None))
        memo[key] = out
    found = memo[key]
    assert isinstance(found, list)
    return found


def _unhanded_holder(ctx: Context, p: _Parked, holder: str) -> bool:
    """The local holding the cancel never leaves the function: no return, argument, store or other
    closure gets it (only field accesses and method calls that cannot reach the cancel field, plus
    the goroutine's own use), so nothing but this function could ever cancel."""
    if p.holder is None or p.go.start_byte < p.with_call.start_byte:
        return False
    res = ctx.resolver(p.file)
    decl = res.decl_of(p.holder)
    if decl is None or decl.kind not in ("short", "var") or decl.func != p.func:
        return False
    goroutine = next((c for c in p.go.named_children if c.type == "call_expression"), p.go)
    for ref in res.references(decl):
        if ref == decl.ident:
            continue
        sel = ref.parent
        if sel is None or sel.type != "selector_expression" or sel.child_by_field_name("operand") != ref:
            return False  # returned, passed, stored, compared or copied
        if text(sel.child_by_field_name("field")) == p.field and not is_assign_target(sel):
            return False  # the cancel itself is called or handed on here
        inner = enclosing_func(ref)
        in_goroutine = goroutine.start_byte <= ref.start_byte < goroutine.end_byte
        if inner is not None and inner != p.func and not in_goroutine:
            return False  # captured by another closure (a deferred cleanup, a callback)
        call = sel.parent
        if call is not None and call.type == "call_expression" and _may_cancel(ctx, p, call):
            return False
    return True


def _cancel_var_calls(ctx: Context, p: _Parked, body: Node) -> list[Node]:
    """Calls of the local cancel variable itself (`cancel()` before an error return)."""
    values = p.with_call.parent
    targets = assignment_targets(values) if values is not None else None
    if targets is None or len(targets) != 2 or unparen(targets[1]).type != "identifier":
        return []
    name = text(unparen(targets[1]))
    return [
        c
        for c in captures("(call_expression function: (identifier) @f) @c", body).get("c", [])
        if text(c.child_by_field_name("function")) == name
    ]


def _dropping_callers_guard(call: Node) -> bool:
    stmt = call.parent
    return stmt is not None and stmt.type == "expression_statement"


def _discarding_callers(ctx: Context, p: _Parked, holder: str) -> Iterator[Report]:
    from leaktrail.rules.interproc import callers

    rets = [r for r in ctx.query(p.file, "(return_statement) @r").get("r", []) if enclosing_func(r) == p.func]
    if not rets or not all(_mentions(r, holder) for r in rets):
        return
    name = text(p.func.child_by_field_name("name"))
    for cf, call in callers(ctx, p.file, p.func):
        if _dropping_callers_guard(call):
            where = f"{cf.path.name}:{call.start_point[0] + 1}"
            yield Report(
                p.file,
                p.go,
                f"{_subject(p)} waits on ctx.Done(), but the call of {name} at {where} discards the "
                f"result, which holds the only cancel func of that context ({p.owner}.{p.field}): the "
                f"goroutine never ends; keep the result and call its cancel when done",
            )
            return


def _mentions(node: Node, name: str) -> bool:
    return any(text(i) == name for i in captures("(identifier) @i", node).get("i", []))


# -- GL006: channels no partner can reach ---------------------------------------------------------------
_SENDS = "(send_statement channel: (_) @c)"
_LOCAL_MAKE = re.compile(rb":=[ \t]*make\(chan\b")
_RECVS = '(unary_expression operator: "<-" operand: (_) @c)'


# `\bmake\s*\(` without its leading `\b` (which makes the regex engine try every byte): the caller
# checks the word boundary of each match.
_MAKE = re.compile(rb"make\s*\(")


def _make_decls(ctx: Context, file: GoFile) -> list[Node]:
    """The short variable declarations (and `var x = …` specs) holding a `make(…)` call, in document
    order: found from the bytes (a query over the whole tree for every `:=` costs far more). A make
    inside a block (a func literal's body) is not looked for further out: a declaration whose value
    is a make (or a composite literal of makes), all the callers keep, never holds it in a block."""
    key = f"crosscall:make-decls:{id(file)}"
    found = ctx.shared.get(key)
    if isinstance(found, list):
        return found
    out: list[Node] = []
    seen: set[int] = set()
    root = file.root
    data = file.data
    for m in _MAKE.finditer(data):
        if not word_boundary(data, m.start()):
            continue  # inside a longer word (`remake(`)
        node: Node | None = root.descendant_for_byte_range(m.start(), m.start() + 4)
        while node is not None and node.type not in ("short_var_declaration", "var_spec", "block"):
            node = node.parent
        if node is not None and node.type != "block" and node.start_byte not in seen:
            seen.add(node.start_byte)
            out.append(node)
    out.sort(key=lambda n: n.start_byte)
    ctx.shared[key] = out
    return out


_VAR_MAKE = re.compile(rb"\bvar[ \t]+\w+[^=\n]*=[ \t]*make\(chan\b")


def _var_make(data: bytes) -> bool:
    """`_VAR_MAKE.search(data)`, tried only on the lines that say `make(chan` (its matches never span
    lines; a pattern led by `\b` is otherwise tried at every byte of the file)."""
    return any(_VAR_MAKE.search(data, start, end) for start, end in lines_with(data, b"make(chan"))


def _single_decl(decl: Node) -> tuple[Node, Node] | None:
    """(name, value) of `x := v` or `var x [T] = v` declaring one variable."""
    if decl.type == "var_spec":
        names = decl.children_by_field_name("name")
        values = decl.child_by_field_name("value")
        if len(names) != 1 or values is None or values.named_child_count != 1:
            return None
        return names[0], values.named_children[0]
    left, right = decl.child_by_field_name("left"), decl.child_by_field_name("right")
    if left is None or right is None or left.named_child_count != 1 or right.named_child_count != 1:
        return None
    return left.named_children[0], right.named_children[0]


def _unbuffered_locals(ctx: Context, file: GoFile) -> list[tuple[Node, Node]]:
    """(declaring identifier, make call) for `ch := make(chan T)` / `make(chan T, 0)` (or `var ch =`)."""
    key = f"crosscall:unbuffered:{id(file)}"
    memo = ctx.shared.get(key)
    if isinstance(memo, list):
        return memo
    out: list[tuple[Node, Node]] = []
    ctx.shared[key] = out
    if not _LOCAL_MAKE.search(file.data) and not _var_make(file.data):
        return out
    for decl in _make_decls(ctx, file):
        single = _single_decl(decl)
        if single is None or enclosing_func(decl) is None:
            continue
        name, raw = single
        value = unparen(raw)
        if value.type != "call_expression" or text(value.child_by_field_name("function")) != "make":
            continue
        args = value.child_by_field_name("arguments")
        if args is None or not args.named_children or args.named_children[0].type != "channel_type":
            continue
        if args.named_child_count > 1 and text(args.named_children[1]) != "0":
            continue
        out.append((name, value))
    return out


def _op_of(use: Node) -> tuple[str, Node] | None:
    """("send" | "recv", the statement-level node) when an identifier use is a channel operation."""
    parent = use.parent
    if parent is None:
        return None
    if parent.type == "send_statement" and parent.child_by_field_name("channel") == use:
        return "send", parent
    if parent.type == "unary_expression" and text(parent.child_by_field_name("operator")) == "<-":
        return "recv", parent
    return None


def _alone_in_select(op: Node) -> bool:
    """Not a case of a select that can take another case or its default."""
    p = op.parent
    while p is not None and p.type not in ("communication_case", *FUNC_NODES, "block"):
        p = p.parent
    if p is None or p.type != "communication_case":
        return True
    select = p.parent
    if select is not None and select.type == "block":
        select = select.parent
    cases = [c for c in (select.named_children if select is not None else []) if c.type.endswith("_case")]
    return len(cases) <= 1


def _in_header(node: Node, func: Node) -> bool:
    """In a for clause (`for ; ; c <- v`): runs only after an iteration, if ever."""
    p = node.parent
    while p is not None and p != func:
        if p.type == "for_clause":
            return True
        p = p.parent
    return False


def _in_loop_with(node: Node, func: Node, uses: list[Node]) -> bool:
    p = node.parent
    while p is not None and p != func:
        if p.type == "for_statement" and any(p.start_byte <= u.start_byte < p.end_byte for u in uses):
            return True
        p = p.parent
    return False


@extend("GL006", (b"make(chan", b"defer close(", b"<-"))
def unreachable_partner(ctx: Context) -> Iterator[Report]:
    """
    ## Across calls: a partner that cannot exist yet, or is abandoned by a caller
    - A send on (or receive from) a fresh unbuffered channel before any other goroutine can reach it:
      `ch := make(chan T); ch <- v; return ch` blocks on the send, since nothing else has the channel yet
      (`var ch = make(chan T)` too). A receive from a fresh buffered channel as its first use: nothing
      has been sent yet and nobody else has it.
    - A `for … range ch` in the function itself over a channel only its own `defer close(ch)` closes
      (goroutines may send on it, but nothing else closes it), when the loop has no way out of its own.
    - A receive on a channel that only the function's own `defer close(…)` closes (also when the
      channel comes back under another name: passed to a function that hands it to a func literal
      which stores it in a local; also a struct field, `defer close(r.stopped)` then `<-r.stopped`),
      made by that function or by a function it calls (`defer close(c.stopped)` in a loop that,
      through a callback or an interface, reaches `<-c.stopped`): it waits for its own return.
    - A goroutine (a literal, or a named function or method handed the channel: `go s.answer(k, ch)`)
      that sends on an unbuffered channel its function returns (itself, or as a field of a struct it
      builds and returns: `return &Future{ch: ch}`, the caller selecting on `f.ch`), when a caller
      receives it in a `select` that can take another case (`ctx.Done()`, a timeout): the send is
      abandoned. It is reported at the send, naming the caller; when the caller is in another
      package of the module (go.mod, go.work), at the caller's receive (the sender's package cannot
      see its callers).
      Silent when the caller's select sits in a `for {` loop whose other cases all stay in it (it
      comes back to the receive), when the caller reaches the function only through an interface
      that may hold other types, when the sender selects too (`case ch <- v: case <-ctx.Done():`),
      or when the channel has a buffer.
    - A producer goroutine (a literal, or a named function handed the channel) that fills a buffered
      channel in a loop while its function can still return (an early error return) before it starts
      anything that receives from the channel: once the buffer is full the producer blocks forever.
      Reported at the send (at the `go` statement when the producer is another package's function);
      silent when the buffer is `len(xs)` of the ranged collection.
    - A send on an unexported struct field channel that nothing in the package ever receives from,
      ranges over, measures or hands on (every other use assigns it a fresh `make(chan …)`): once its
      buffer is full the send blocks forever.
    - More sends in a row than a fresh buffered channel holds (`make(chan T, N)`, N a constant) —
      directly or at the start of methods called on its holder — before any goroutine is started or
      the channel is received from or handed on: the send past N blocks forever. The same for a send
      on an unbuffered channel field of a struct just made (`r := &T{done: make(chan error)}; r.done
      <- err`).
    - A goroutine's plain send on an unbuffered field channel whose only receiver is a case of a
      `select` in a loop that leaves on another case (an event loop with a stop signal): once the loop
      has stopped, the send blocks forever.
    - A receive (in any function, through a getter returning the field too) from an unexported field
      channel that nothing in the package ever sends on, closes or hands on.
    - A plain send on an unbuffered channel whose only receiver is a `for … range` that can leave early
      (a `return` or `break` in its body): a goroutine literal's send, a named function's send on the
      parameter it is handed (`go produce(ch)`), or a method sending on its receiver of a named channel
      type the channel was converted to (`func (c chanOut) Write(v T) { c <- v }`, `chanOut(ch)`).
      Once the loop has left, the next send blocks forever. Reported at the send.
    - A timer drain `if !t.Stop() { <-t.C }` in a case of a loop's `select` whose other case receives
      `<-t.C` without resetting the timer: once that case has taken the value, `Stop` reports the
      timer expired and the drain waits for a value that never comes. Silent when the loop makes a
      fresh timer each iteration (`t := time.NewTimer(d)` in its body).
    """
    for file in ctx.files:
        if b"make(chan" in file.data:
            yield from _fresh_channel_ops(ctx, file)
            yield from _fresh_buffered_receives(ctx, file)
            yield from _early_range_senders(ctx, file)
            yield from _returned_channel_senders(ctx, file)
            yield from _abandoned_producers(ctx, file)
            yield from _overfilled(ctx, file)
        if b"<-" in file.data:
            yield from _abandoning_module_callers(ctx, file)
            yield from _unreceived_field_sends(ctx, file)
            yield from _stoppable_loop_senders(ctx, file)
            yield from _unsent_field_receives(ctx, file)
        if b"defer close(" in file.data:
            yield from _own_defer_receives(ctx, file)
        if b".Stop() {" in file.data and b".C" in file.data:
            yield from _stale_timer_drains(ctx, file)


def _stale_timer_drains(ctx: Context, file: GoFile) -> Iterator[Report]:
    for stmt in stop_ifs(ctx, file):
        timer = _stopped_timer(stmt)
        cons = stmt.child_by_field_name("consequence")
        if timer is None or cons is None:
            continue
        drain = next(
            (
                c.named_children[0]
                for c in _statements_of(cons)
                if c.type == "expression_statement"
                and c.named_child_count == 1
                and _receive_of(c.named_children[0]) == f"{timer}.C"
            ),
            None,
        )
        if drain is None:
            continue
        case = stmt.parent
        while case is not None and case.type not in ("communication_case", *FUNC_NODES):
            case = case.parent
        select = case.parent if case is not None else None
        if select is not None and select.type == "block":
            select = select.parent
        if case is None or case.type != "communication_case" or select is None:
            continue
        loop = select.parent
        while loop is not None and loop.type not in ("for_statement", *FUNC_NODES):
            loop = loop.parent
        if loop is None or loop.type != "for_statement":
            continue
        consumer = _consuming_case(ctx, file, select, case, timer)
        if consumer is None or not _only_reset_after(loop, timer, case, drain):
            continue
        yield Report(
            file,
            drain,
            f"this drain waits for {timer}.C, but the case at line {consumer.start_point[0] + 1} of this "
            f"loop's select already takes the timer's value without resetting it: after that, "
            f"{timer}.Stop() returns false and this receive blocks forever; drain without blocking "
            f"(select with a default) or reset the timer in that case",
        )


_STOP = frozenset({"Stop"})


def stop_ifs(ctx: Context, file: GoFile) -> list[Node]:
    """The if statements of `ctx.query(file, "(if_statement) @i")` that _stopped_timer accepts (`if
    !t.Stop() {`), in its order, found from the `Stop` calls (tokens.calls_named) up through the
    parentheses and the `!` of the condition: a query of every if walks the whole tree. A tree with a
    syntax error is queried."""
    if file.root.has_error:
        return [s for s in ctx.query(file, "(if_statement) @i").get("i", []) if _stopped_timer(s) is not None]
    found: dict[int, Node] = {}
    for call in calls_named(file, _STOP):
        up = call.parent
        while up is not None and up.type in ("parenthesized_expression", "unary_expression"):
            up = up.parent
        if up is not None and up.type == "if_statement" and _stopped_timer(up) is not None:
            found.setdefault(up.start_byte, up)
    return [found[k] for k in sorted(found)]


def _stopped_timer(stmt: Node) -> str | None:
    """`if !t.Stop() {`: the timer expression t."""
    cond = stmt.child_by_field_name("condition")
    cond = unparen(cond) if cond is not None else None
    if cond is None or cond.type != "unary_expression" or text(cond.child_by_field_name("operator")) != "!":
        return None
    call = unparen(cond.child_by_field_name("operand") or cond)
    fn = call.child_by_field_name("function") if call.type == "call_expression" else None
    if fn is None or fn.type != "selector_expression" or text(fn.child_by_field_name("field")) != "Stop":
        return None
    return text(fn.child_by_field_name("operand"))


def _receive_of(expr: Node) -> str | None:
    expr = unparen(expr)
    if expr.type != "unary_expression" or text(expr.child_by_field_name("operator")) != "<-":
        return None
    return text(expr.child_by_field_name("operand"))


def _consuming_case(ctx: Context, file: GoFile, select: Node, drain_case: Node, timer: str) -> Node | None:
    """Another case of the select that receives `<-timer.C` and neither resets the timer (directly or
    in a function it calls) nor leaves the loop."""
    res = ctx.resolver(file)
    for case in select.named_children:
        if case == drain_case or case.type != "communication_case":
            continue
        comm = case.child_by_field_name("communication")
        value = comm
        if comm is not None and comm.type == "receive_statement":
            value = comm.child_by_field_name("right")
        elif comm is not None and comm.type == "expression_statement" and comm.named_child_count:
            value = comm.named_children[0]
        if value is None or _receive_of(value) != f"{timer}.C":
            continue
        body = (case.text or b"")[(comm.end_byte - case.start_byte) if comm is not None else 0 :]
        if b"Reset(" in body or b"return" in body or b"break" in body or b"goto" in body:
            return None
        if f"{timer} =".encode() in body or b"panic(" in body:
            return None
        for call in captures("(call_expression) @c", case).get("c", []):
            callee = res.called_function(call)
            if callee is not None and b"Reset(" in (callee[1].text or b""):
                return None
        return case
    return None


def _only_reset_after(loop: Node, timer: str, case: Node, drain: Node) -> bool:
    """No `timer.Reset(…)` or reassignment of the timer in the loop other than after the drain in its
    own case (which re-arms a timer the other case may consume again), and the timer is not declared
    in the loop body (`t := time.NewTimer(d)` each iteration: the value the other case took was an
    earlier iteration's timer, never the one this drain stops)."""
    body = loop.child_by_field_name("body")
    if body is None:
        return False
    if timer.isidentifier() and re.search(
        rb"(?:\b" + timer.encode() + rb"\s*(?:,[\w\s,]*)?:=|\bvar\s+" + timer.encode() + rb"\b)",
        body.text or b"",
    ):
        return False
    for call in captures("(call_expression) @c", body).get("c", []):
        if text(call.child_by_field_name("function")) != f"{timer}.Reset":
            continue
        if not (case.start_byte <= call.start_byte < case.end_byte and call.start_byte > drain.end_byte):
            return False
    return f"{timer} =".encode() not in (body.text or b"") and f"{timer}=".encode() not in (body.text or b"")


def _fresh_channel_ops(ctx: Context, file: GoFile) -> Iterator[Report]:
    res = ctx.resolver(file)
    for ident, _make in _unbuffered_locals(ctx, file):
        decl = res.decl_of(ident)
        func = enclosing_func(ident)
        if decl is None or func is None:
            continue
        uses = sorted(res.references(decl), key=lambda n: n.start_byte)
        for i, use in enumerate(uses):
            op = _op_of(use)
            if op is None:
                break  # handed on, captured or stored first: someone else may hold it
            kind, node = op
            if enclosing_func(use) != func or not _alone_in_select(node) or _in_header(node, func):
                break
            if _in_loop_with(node, func, uses[i + 1 :]):
                break
            name = text(ident)
            verb = "send on" if kind == "send" else "receive from"
            yield Report(
                file,
                node,
                f"{verb} unbuffered channel {name}, which no other goroutine can reach yet (it was just "
                f"made here and not handed to anyone): this blocks forever; start the "
                f"{'receiver' if kind == 'send' else 'sender'} first or give {name} a buffer",
            )
            break


def _fresh_buffered_receives(ctx: Context, file: GoFile) -> Iterator[Report]:
    """`ch := make(chan T, N)` whose first use is a receive in the function itself: nothing has been
    sent and nobody else has the channel, so it blocks forever."""
    res = ctx.resolver(file)
    for ident, _make, _cap in _buffered_locals(ctx, file):
        decl = res.decl_of(ident)
        func = enclosing_func(ident)
        uses = res.references(decl) if decl is not None and func is not None else []
        op = _op_of(uses[0]) if uses else None
        if op is None or op[0] != "recv" or enclosing_func(uses[0]) != func or func is None:
            continue
        node = op[1]
        if not _alone_in_select(node) or _in_header(node, func) or _in_loop_with(node, func, uses[1:]):
            continue
        name = text(ident)
        yield Report(
            file,
            node,
            f"receive from {name}, a buffered channel just made here that nothing has sent on and no "
            f"other goroutine can reach yet: this blocks forever; start the sender first",
        )


def _early_range_senders(ctx: Context, file: GoFile) -> Iterator[Report]:
    """Plain sends stranded once the channel's only receiver, a range loop, leaves early."""
    res = ctx.resolver(file)
    for ident, _make in _unbuffered_locals(ctx, file):
        decl = res.decl_of(ident)
        func = enclosing_func(ident)
        if decl is None or func is None:
            continue
        uses = res.references(decl)
        ranges = [u for u in uses if _range_loop_of(u) is not None]
        if len(ranges) != 1:
            continue
        loop = _range_loop_of(ranges[0])
        exit_ = _early_exit_of(loop) if loop is not None else None
        if loop is None or exit_ is None:
            continue
        sends = _plain_senders(ctx, file, func, [u for u in uses if u != ranges[0]])
        if not sends:
            continue
        sfile, send = sends[0]
        where = f"{file.path.name}:{loop.start_point[0] + 1}"
        yield Report(
            sfile,
            send,
            f"send on {text(ident)} (made at {file.path.name}:{ident.start_point[0] + 1}), whose only "
            f"receiver is the range at {where}, which can leave early (line {exit_.start_point[0] + 1}): "
            f"once it has, this send blocks forever; keep draining the channel after leaving, or send in "
            f"a select with a done channel the receiver closes",
        )


_BREAKABLE = ("for_statement", "expression_switch_statement", "type_switch_statement", "select_statement")


def _range_loop_of(use: Node) -> Node | None:
    parent = use.parent
    loop = parent.parent if parent is not None else None
    if parent is None or parent.type != "range_clause" or parent.child_by_field_name("right") != use:
        return None
    return loop if loop is not None and loop.type == "for_statement" else None


def _early_exit_of(loop: Node) -> Node | None:
    """A `return` or an unlabeled `break` in the loop's body that leaves the loop."""
    body = loop.child_by_field_name("body")
    if body is None:
        return None
    func = enclosing_func(loop)
    for node in captures("[(return_statement) (break_statement)] @x", body).get("x", []):
        if enclosing_func(node) != func:
            continue
        if node.type == "return_statement":
            return node
        if node.named_child_count:
            continue  # a labeled break: not followed
        p = node.parent
        while p is not None and p.type not in _BREAKABLE:
            p = p.parent
        if p == loop:
            return node
    return None


def _plain_senders(
    ctx: Context, file: GoFile, func: Node, uses: list[Node]
) -> list[tuple[GoFile, Node]] | None:
    """The plain sends on the channel made in func, when every other use is one: a send in a goroutine
    literal (in a loop, or started in one), a close, an argument of `go f(…)` that f only sends on,
    or an argument of a call returning it converted to a named channel type whose methods send on
    their receiver. None when the channel goes anywhere else."""
    out: list[tuple[GoFile, Node]] = []
    for u in uses:
        op = _op_of(u)
        parent = u.parent
        call = parent.parent if parent is not None and parent.type == "argument_list" else None
        if call is not None and text(call.child_by_field_name("function")) == "close":
            continue
        if op is not None and op[0] == "send" and enclosing_func(u) != func and _in_go_of(u, func):
            if not _alone_in_select(op[1]):
                return None  # a sender that can give up: nothing is stranded for sure
            go = _enclosing_go(u, func)
            if go is not None and (_in_loop(op[1], go) or _in_loop(go, func)):
                out.append((file, op[1]))
                continue
            return None
        if op is not None:
            return None  # received elsewhere too, or sent on by func itself
        go = _go_argument(u) if enclosing_func(u) == func else None
        if go is not None:
            named = _param_only_sent(ctx, file, go, u)
            if named is None:
                return None
            out.extend(x for x in named if _in_loop(x[1], enclosing_func(x[1]) or x[1]))
            continue
        converted = _converted_senders(ctx, file, call, u) if call is not None else None
        if converted is None:
            return None
        out.extend(converted)
    return out


def _enclosing_go(node: Node, func: Node) -> Node | None:
    p = node.parent
    while p is not None and p != func:
        if p.type == "go_statement":
            return p
        p = p.parent
    return None


def _converted_senders(ctx: Context, file: GoFile, call: Node, arg: Node) -> list[tuple[GoFile, Node]] | None:
    """`NewOut(ch)` where NewOut (in the package) only returns `chanOut(param)`, chanOut a named channel
    type: the plain sends of chanOut's methods on their receiver."""
    callee = ctx.resolver(file).called_function(call)
    args = call.child_by_field_name("arguments")
    if callee is None or args is None:
        return None
    cfunc = callee[1]
    index = args.named_children.index(arg)
    params = param_names(cfunc)
    body = cfunc.child_by_field_name("body")
    stmts = _statements_of(body) if body is not None else []
    if index >= len(params) or len(stmts) != 1 or stmts[0].type != "return_statement":
        return None
    items = _return_items(stmts[0])
    conv = unparen(items[0]) if len(items) == 1 else None
    is_call = conv is not None and conv.type == "call_expression"
    cargs = conv.child_by_field_name("arguments") if conv is not None and is_call else None
    if conv is None or cargs is None or [text(a) for a in cargs.named_children] != [params[index]]:
        return None
    tname = text(conv.child_by_field_name("function"))
    found = ctx.pkg.lookup_type(tname) if tname.isidentifier() else None
    if found is None or b"chan" not in (found[1].text or b""):
        return None
    out: list[tuple[GoFile, Node]] = []
    for f in ctx.pkg.files_containing(tname.encode()):
        for m in f.root.named_children:
            if m.type != "method_declaration" or receiver_type_name(m) != tname:
                continue
            recv = _receiver_name(m)
            for send in captures(_SENDS, m).get("c", []):
                if text(unparen(send)) == recv and send.parent is not None and _alone_in_select(send.parent):
                    out.append((f, send.parent))
    return out


def _own_defer_receives(ctx: Context, file: GoFile) -> Iterator[Report]:
    from leaktrail.rules.objects import identity

    res = ctx.resolver(file)
    for d in channel_captures(ctx, file, DEFERS):
        call = next((c for c in d.named_children if c.type == "call_expression"), None)
        if call is None or text(call.child_by_field_name("function")) != "close":
            continue
        args = call.child_by_field_name("arguments")
        if args is None or args.named_child_count != 1:
            continue
        chan = unparen(args.named_children[0])
        func = enclosing_func(d)
        key = identity(res, chan)
        if func is None or key is None:
            continue
        if key[0] == "local":
            yield from _local_own_defer(ctx, file, func, d, chan)
        elif key[0] == "field" and not _other_partners(ctx, key, d):
            yield from _field_own_defer(ctx, file, func, chan, key)


def _local_own_defer(ctx: Context, file: GoFile, func: Node, defer: Node, chan: Node) -> Iterator[Report]:
    res = ctx.resolver(file)
    decl = res.decl_of(chan)
    if decl is None or decl.func != func:
        return
    uses = [u for u in res.references(decl) if not (defer.start_byte <= u.start_byte < defer.end_byte)]
    ranges = [u for u in uses if _ranged_here(u, func) and u.start_byte > defer.end_byte]
    if ranges and all(u in ranges or _op_of(u) is not None for u in uses):
        # sends (even from goroutines) feed a range, but only a close ends it: the defer's, at return
        loop = ranges[0].parent.parent if ranges[0].parent is not None else None
        body = loop.child_by_field_name("body") if loop is not None else None
        exits = (b"return", b"break", b"goto", b"panic(")
        leaves = body is None or any(w in (body.text or b"") for w in exits)
        if loop is not None and not leaves:  # a loop that stops on a value of its own is not waiting
            yield Report(
                file,
                loop,
                f"range over {text(chan)} ends only when {text(chan)} is closed, and only this "
                f"function's own defer closes it (line {defer.start_point[0] + 1}): after the last value "
                f"the loop waits for its own return and blocks forever; close {text(chan)} when the "
                f"senders are done (a WaitGroup), or receive a known count",
            )
        return
    if any(_op_of(u) is None or enclosing_func(u) != func for u in uses):
        yield from _aliased_own_defer(ctx, file, func, defer, chan, uses)
        return  # handed to someone, or used by a literal: another goroutine may close it
    for u in uses:
        op = _op_of(u)
        if op is not None and op[0] == "recv" and u.start_byte > defer.end_byte and _alone_in_select(op[1]):
            yield Report(
                file,
                op[1],
                f"receive from {text(chan)}, which only this function's own defer closes (line "
                f"{defer.start_point[0] + 1}): it waits for its own return and blocks forever; close it "
                f"before waiting, or do not wait",
            )


def _ranged_here(use: Node, func: Node) -> bool:
    """`for … range use` run by `func` itself (not by a nested literal)."""
    parent = use.parent
    loop = parent.parent if parent is not None else None
    return (
        parent is not None
        and parent.type == "range_clause"
        and parent.child_by_field_name("right") == use
        and loop is not None
        and loop.type == "for_statement"
        and enclosing_func(use) == func
    )


def _other_partners(ctx: Context, key: tuple[object, ...], own: Node) -> bool:
    """Another close of, or a send on, the field channel anywhere in the package."""
    from leaktrail.rules.objects import identity

    fname = str(key[2])
    for f in ctx.pkg.files_containing(fname.encode()):
        res = ctx.resolver(f)
        for ident in f.field_identifiers.get(fname, ()):
            sel = ident.parent
            if sel is None or sel.type != "selector_expression":
                continue
            parent = sel.parent
            if parent is None:
                continue
            if parent.type == "send_statement":
                partner = True
            elif parent.type == "argument_list":
                call = parent.parent
                # closed there, or handed to a call that may close it
                partner = call is not None and not (own.start_byte <= call.start_byte < own.end_byte)
            else:
                # copied somewhere else
                partner = parent.type in ("expression_list", "literal_element") and not is_assign_target(sel)
            if partner and identity(res, sel) == key:  # the type inferred only for a use that matters
                return True
    return False


def _field_own_defer(
    ctx: Context, file: GoFile, func: Node, chan: Node, key: tuple[object, ...]
) -> Iterator[Report]:
    from leaktrail.rules.interproc import call_targets, func_values
    from leaktrail.rules.objects import identity

    body = func.child_by_field_name("body")
    fname = str(key[2])
    if body is None or not _field_received_alone(ctx, fname):
        # no receive in the package takes from the field outside a select with other cases (all the
        # search below can report): no call path needs following
        return
    work: list[tuple[GoFile, Node, tuple[str, ...]]] = [(file, body, ())]
    seen: set[tuple[int, int]] = set()
    while work:
        f, scope, chain = work.pop(0)
        if (id(f), scope.start_byte) in seen or len(seen) > 60:
            continue
        seen.add((id(f), scope.start_byte))
        res = ctx.resolver(f)
        for op in captures(_RECVS, scope).get("c", []):
            node = op.parent
            if (
                node is None
                or _selected_field(op) != fname
                or not _runs_inline(node, scope)
                or identity(res, op) != key
            ):
                continue
            if not chain and node.start_byte > chan.end_byte and _alone_in_select(node):
                yield Report(
                    f,
                    node,
                    f"receive from {text(op)}, which only this function's own deferred close closes (line "
                    f"{chan.start_point[0] + 1}; nothing else in the package closes or sends on "
                    f"{key[1]}.{key[2]}): it waits for its own return and blocks forever; close it before "
                    f"waiting, or do not wait",
                )
                return
            if chain and _alone_in_select(node):
                where = " → ".join(chain)
                yield Report(
                    f,
                    node,
                    f"receive from {text(op)}, which only the deferred close of {text(chan)} in "
                    f"{_func_label(func)} ({file.path.name}:{chan.start_point[0] + 1}) closes, but this "
                    f"runs inside that very function (through {where}): it waits for its own return and "
                    f"blocks forever; do not wait for that channel on this path",
                )
                return
        for call in captures("(call_expression) @c", scope).get("c", []):
            if not _runs_inline(call, scope):
                continue
            label = text(call.child_by_field_name("function"))
            for t in call_targets(ctx, f, call):
                b = t.node.child_by_field_name("body")
                if b is not None and len(chain) < 6:
                    work.append((t.file, b, (*chain, label)))
            if _once_do(res, call):
                args = call.child_by_field_name("arguments")
                for t in func_values(ctx, f, args.named_children[0]) if args and args.named_children else []:
                    b = t.node.child_by_field_name("body")
                    if b is not None and len(chain) < 6:
                        work.append((t.file, b, (*chain, label)))


def _selected_field(expr: Node) -> str:
    """The field `x.f` names, under parentheses, `&` and `*` (what identity() reads); "" otherwise."""
    expr = unparen(expr)
    while expr.type == "unary_expression" and text(expr.child_by_field_name("operator")) in ("&", "*"):
        inner = expr.child_by_field_name("operand")
        if inner is None:
            return ""
        expr = unparen(inner)
    return text(expr.child_by_field_name("field")) if expr.type == "selector_expression" else ""


def _field_received_alone(ctx: Context, fname: str) -> bool:
    """Whether some receive in the package takes from a field named `fname` and is not a case of a
    select that can take another (memoised per package)."""
    memo = ctx.shared.setdefault("crosscall:field-received-alone", {})
    found = memo.get(fname)
    if found is None:
        found = memo[fname] = any(
            _selected_field(op) == fname and op.parent is not None and _alone_in_select(op.parent)
            for f in ctx.pkg.files_containing(fname.encode())
            for op in channel_captures(ctx, f, _RECVS)
        )
    return bool(found)


def _once_do(res: Resolver, call: Node) -> bool:
    """`o.Do(f)` on a sync.Once: runs f in place."""
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "selector_expression" or text(fn.child_by_field_name("field")) != "Do":
        return False
    t = res.infer(fn.child_by_field_name("operand"))
    return t is not None and t.deref().is_named("sync", "Once")


def _runs_inline(node: Node, scope: Node) -> bool:
    """Runs as part of the function owning `scope` (not in a go statement, defer, or nested literal
    other than one called in place)."""
    p = node.parent
    while p is not None and p != scope:
        if p.type in ("go_statement", "defer_statement"):
            return False
        if p.type == "func_literal":
            parent = p.parent
            if (
                parent is None
                or parent.type != "call_expression"
                or parent.child_by_field_name("function") != p
            ):
                return False
        p = p.parent
    return True


def _func_label(func: Node) -> str:
    from leaktrail.rules.callgraph import func_name

    return func_name(func)


def _returned_channel_senders(ctx: Context, file: GoFile) -> Iterator[Report]:
    from leaktrail.rules.interproc import callers

    for func in _sender_returners(ctx, file):
        found = _returned_sends(ctx, file, func)
        if found is None:
            continue
        chan, sends, index, field = found
        for cf, call in callers(ctx, file, func):
            if cf.is_test and not file.is_test:
                continue  # a test's timeout case is its failure path, not the function's behaviour
            if not _surely_calls(ctx, cf, call, func):
                continue
            sel = _abandoning_select(ctx, cf, call, index, field)
            if sel is None:
                continue
            name = text(func.child_by_field_name("name"))
            held = f" (as the field {field} of its result)" if field else ""
            for sfile, send in sends:
                yield Report(
                    sfile,
                    send,
                    f"goroutine sends on unbuffered channel {chan}, which {name} returns{held}, but the "
                    f"caller at {cf.path.name}:{call.start_point[0] + 1} receives it in a select that can "
                    f"take another case (line {sel.start_point[0] + 1}): the send then blocks forever; "
                    f"give {chan} a buffer of 1 so the send completes",
                )
            break


def _surely_calls(ctx: Context, file: GoFile, call: Node, func: Node) -> bool:
    """The call runs `func`: a direct call, or an interface call whose receiver is known to hold only
    values of func's receiver type (class-hierarchy analysis alone says only that it might)."""
    from leaktrail.rules.interproc import concrete_types

    target = ctx.resolver(file).called_function(call)
    if target is not None:
        return target[1] == func
    fn = unparen(call.child_by_field_name("function") or call)
    operand = fn.child_by_field_name("operand") if fn.type == "selector_expression" else None
    if operand is None or func.type != "method_declaration":
        return False
    held = concrete_types(ctx, file, operand)
    return held is not None and held == {receiver_type_name(func)}


def _abandoning_module_callers(ctx: Context, file: GoFile) -> Iterator[Report]:
    """The caller side of `_returned_channel_senders` for a callee in another package of the module
    (that package cannot see its callers): a receive, in a select that can take another case, from
    the channel such a callee returns. Reported at the receive."""
    from leaktrail.rules.interproc import module_callee
    from leaktrail.source.module import module_needles

    needles = module_needles(ctx.pkg.module)
    if file.is_test or not needles or not any(n in file.data for n in needles):
        return
    if not _imports_matching(ctx, file, "returned-sends"):
        return
    res = ctx.resolver(file)
    for operand in channel_captures(ctx, file, _RECVS):
        recv = operand.parent
        if recv is None or _alone_in_select(recv):
            continue
        expr = unparen(operand)
        call = expr if expr.type == "call_expression" else None
        index = 0
        field = ""
        if expr.type == "selector_expression":  # `<-f.ch` where f holds another package's result
            holder = unparen(expr.child_by_field_name("operand") or expr)
            decl = res.decl_of(holder) if holder.type == "identifier" else None
            value = unparen(decl.value) if decl is not None and decl.value is not None else None
            if decl is None or value is None or value.type != "call_expression":
                continue
            call, index, field = (
                value,
                decl.index if decl.multi else 0,
                text(expr.child_by_field_name("field")),
            )
        elif expr.type == "identifier":
            decl = res.decl_of(expr)
            value = unparen(decl.value) if decl is not None and decl.value is not None else None
            if decl is None or value is None or value.type != "call_expression":
                continue
            if any(_op_of(u) is None for u in res.references(decl)):
                continue  # handed on, stored or reassigned: someone else may receive
            call, index = value, decl.index if decl.multi else 0
        callee = module_callee(ctx, file, call) if call is not None else None
        if callee is None or call is None:
            continue
        other, cfile, cfunc = callee
        found = _returned_sends(other, cfile, cfunc)
        if found is None or found[2:] != (index, field):
            continue
        if _abandoning_select(ctx, file, call, index, field) is None:
            continue
        chan, sends, _index, _field = found
        sfile, send = sends[0]
        name = text(call.child_by_field_name("function"))
        yield Report(
            file,
            recv,
            f"this select can take another case and stop waiting, but the goroutine {name} started "
            f"sends on the unbuffered channel {chan} it returns{f' as the field {field}' if field else ''} "
            f"({sfile.path.name}:"
            f"{send.start_point[0] + 1}): once this select has moved on, that send blocks forever; give "
            f"{chan} a buffer of 1 in {text(cfunc.child_by_field_name('name'))} so the send completes",
        )


def _may_return_sends(data: bytes) -> bool:
    return b"make(chan" in data and b"go " in data


def _sender_returners(ctx: Context, file: GoFile) -> list[Node]:
    """The file's functions that make an unbuffered channel (candidates for `_returned_sends`)."""
    out: list[Node] = []
    for ident, _make in _unbuffered_locals(ctx, file):
        func = enclosing_func(ident)
        if func is not None and func.type != "func_literal" and func not in out:
            out.append(func)
    return out


_ReturnedSends = tuple[str, list[tuple[GoFile, Node]], int, str]
"""(the channel's name, the sends, the result index, the result's field holding it or "")."""


def _returned_sends(ctx: Context, file: GoFile, func: Node) -> _ReturnedSends | None:
    """(the channel's name, the sends, …) when `func` returns a fresh unbuffered channel — itself, or
    as a field of a struct it builds and returns (`return &Future{ch: ch}`) — that only its
    goroutines use, each with a plain send (not a select case): a literal, or a named function or
    method handed the channel (`go s.answer(k, ch)`) that only sends on its parameter."""
    return ctx.per_function(
        "crosscall:returned-sends", file, func, lambda: _compute_returned_sends(ctx, file, func)
    )


def _compute_returned_sends(ctx: Context, file: GoFile, func: Node) -> _ReturnedSends | None:
    res = ctx.resolver(file)
    for ident, _make in _unbuffered_locals(ctx, file):
        if enclosing_func(ident) != func:
            continue
        decl = res.decl_of(ident)
        if decl is None:
            continue
        uses = res.references(decl)
        uses = [u for u in uses if not _literal_key(u)]
        returned = [u for u in uses if u.parent is not None and _returned(u)]
        field = ""
        if not returned:
            held = _returned_in_struct(res, func, uses)
            if held is None:
                continue
            returned, field, index = [held[0]], held[1], held[2]
        else:
            index = _result_index(returned[0])
        sends: list[tuple[GoFile, Node]] = []
        other = False
        for u in uses:
            if u in returned:
                continue
            op = _op_of(u)
            if enclosing_func(u) != func and _in_go_of(u, func):
                if op is not None and op[0] == "send" and _alone_in_select(op[1]):
                    sends.append((file, op[1]))
                continue  # the goroutine's own use (its deferred close, say) is no partner
            go = _go_argument(u) if enclosing_func(u) == func else None
            named = _param_only_sent(ctx, file, go, u) if go is not None else None
            if named is None:
                other = True  # also handed elsewhere, received, closed or sent on in a select
                break
            sends.extend(named)
        if other or not sends:
            continue
        return text(ident), sends, index, field
    return None


def _literal_key(ident: Node) -> bool:
    """`ch` as the key of a keyed element (`T{ch: …}`): a field name, not a use of the local ch."""
    elem = ident.parent
    keyed = elem.parent if elem is not None and elem.type == "literal_element" else None
    return keyed is not None and keyed.type == "keyed_element" and keyed.named_children[0] == elem


def _returned_in_struct(res: Resolver, func: Node, uses: list[Node]) -> tuple[Node, str, int] | None:
    """(the use, the field, the result index) when one use of the channel is the value of a keyed
    element of a struct literal that `func` returns — directly (`return &Future{ch: ch}`) or through
    a local only returned or read field by field (`f := &Future{ch: ch}; f.id = id; return f`)."""
    for use in uses:
        elem = use.parent
        keyed = elem.parent if elem is not None and elem.type == "literal_element" else None
        if keyed is None or keyed.type != "keyed_element" or keyed.named_children[-1] != elem:
            continue
        lit = keyed.parent.parent if keyed.parent is not None else None
        if lit is None or lit.type != "composite_literal" or enclosing_func(lit) != func:
            return None
        top = lit.parent if lit.parent is not None and lit.parent.type == "unary_expression" else lit
        fname = text(keyed.named_children[0])
        if top.parent is not None and _returned(top):
            return use, fname, _result_index(top)
        holder = sole_declared(top)
        if holder is None:
            return None
        decl = res.decl_of(holder)
        index = -1
        for ref in res.references(decl) if decl is not None else []:
            p = ref.parent
            if ref == holder or p is None:
                continue
            if _returned(ref):
                if index not in (-1, _result_index(ref)):
                    return None
                index = _result_index(ref)
                continue
            if p.type != "selector_expression" or p.child_by_field_name("operand") != ref:
                return None  # handed on, stored or copied: someone else may receive
            outer = p.parent
            if (
                outer is not None
                and outer.type == "call_expression"
                and outer.child_by_field_name("function") == p
            ):
                return None  # a method of the holder may receive
            if text(p.child_by_field_name("field")) == fname and not is_assign_target(p, short=False):
                return None  # the function itself uses the channel through the holder
        return (use, fname, index) if index >= 0 else None
    return None


def _param_uses(ctx: Context, file: GoFile, go: Node, arg: Node) -> tuple[GoFile, Node, list[Node]] | None:
    """For `go f(…, arg, …)`: f's file, f, and the identifiers in f's body bound to the parameter `arg`
    is passed as (None when f is unknown or the parameter is unnamed)."""
    from leaktrail.rules.goroutines import go_target

    target = go_target(ctx, file, go)
    args = arg.parent
    if target is None or args is None:
        return None
    tfile, tfunc = target
    index = args.named_children.index(arg)
    params = param_names(tfunc)
    body = tfunc.child_by_field_name("body")
    if index >= len(params) or not params[index] or body is None:
        return None
    tres = ctx.resolver(tfile)
    uses: list[Node] = []
    for ident in tfile.identifiers.get(params[index], ()):
        if not (body.start_byte <= ident.start_byte < body.end_byte):
            continue
        decl = tres.decl_of(ident)
        if decl is not None and decl.kind == "param" and decl.func == tfunc:
            uses.append(ident)
    return tfile, tfunc, uses


def _param_only_sent(ctx: Context, file: GoFile, go: Node, arg: Node) -> list[tuple[GoFile, Node]] | None:
    """`go answer(k, ch)`: the plain sends on the parameter ch is bound to, when sending is all the
    goroutine does with it (None otherwise)."""
    bound = _param_uses(ctx, file, go, arg)
    if bound is None or bound[1].type == "func_literal":
        return None
    tfile, tfunc, uses = bound
    sends: list[tuple[GoFile, Node]] = []
    for ident in uses:
        op = _op_of(ident)
        closer = ident.parent.parent if ident.parent is not None else None
        if op is None and closer is not None and text(closer.child_by_field_name("function")) == "close":
            continue  # closing it when done is no partner
        if op is None or op[0] != "send" or enclosing_func(ident) != tfunc:
            return None
        if _alone_in_select(op[1]):
            sends.append((tfile, op[1]))
    return sends


def _returned(ident: Node) -> bool:
    p = ident.parent
    if p is not None and p.type == "expression_list":
        p = p.parent
    return p is not None and p.type == "return_statement"


def _in_go_of(node: Node, func: Node) -> bool:
    p = node.parent
    while p is not None and p != func:
        if p.type == "go_statement":
            return True
        p = p.parent
    return False


def _abandoning_select(
    ctx: Context, file: GoFile, call: Node, index: int = 0, field: str = ""
) -> Node | None:
    """The select in which the caller receives the returned channel (result `index`, or its field
    `field` when the result is a struct holding it), when it has another case."""
    res = ctx.resolver(file)
    ops: list[Node] = []
    parent = call.parent
    if parent is not None and parent.type == "unary_expression" and not field:
        ops.append(parent)
    else:
        values = call.parent
        targets = assignment_targets(values) if values is not None else None
        single = values is not None and values.named_child_count == 1
        if targets and index < len(targets) and single and targets[index].type == "identifier":
            decl = res.decl_of(targets[index])
            for u in res.references(decl) if decl is not None else []:
                if field and u != targets[index]:
                    p = u.parent
                    if p is None or p.type != "selector_expression" or p.child_by_field_name("operand") != u:
                        return None  # the holder handed on
                    outer = p.parent
                    if outer is not None and outer.child_by_field_name("function") == p:
                        return None  # a method of the holder may receive
                    if text(p.child_by_field_name("field")) != field:
                        continue
                    u = p
                found = _op_of(u)
                if found is None:
                    if u != targets[index]:
                        return None  # handed on
                    continue
                ops.append(found[1])
    for op in ops:
        if not _alone_in_select(op):
            p = op.parent
            while p is not None and p.type != "select_statement":
                p = p.parent
            if p is not None and any(o.start_byte > p.end_byte and _alone_in_select(o) for o in ops):
                return None  # received again after the select gave up on it: the sender completes
            if p is not None and _reentered(p, op):
                return None  # the other cases go round the loop to this select again
            return p
    return None


def _reentered(select: Node, op: Node) -> bool:
    """The select sits in a `for {` loop (no condition) of its function, and every case other than
    the one holding `op` stays in that loop (no return, goto, labelled break or continue, panic):
    taking another case only delays the receive."""
    loop = select.parent
    while loop is not None and loop.type not in ("for_statement", *FUNC_NODES):
        loop = loop.parent
    if loop is None or loop.type != "for_statement" or loop.named_child_count != 1:
        return False
    cases = [c for c in select.named_children if c.type != "block"]
    cases += [c for b in select.named_children if b.type == "block" for c in b.named_children]
    for case in cases:
        if not case.type.endswith("_case") or case.start_byte <= op.start_byte < case.end_byte:
            continue
        if case.type == "default_case":
            return False  # may spin past the receive and leave by the loop's other exits
        jumps = captures(
            "[(return_statement) (goto_statement) (break_statement) (continue_statement)] @x", case
        ).get("x", [])
        calls = captures("(call_expression function: (identifier) @f)", case).get("f", [])
        if any(text(c) == "panic" for c in calls):
            return False
        for node in jumps:
            if node.type in ("return_statement", "goto_statement") or node.named_child_count:
                return False  # leaves, or a labelled break or continue may leave the loop
            if node.type == "break_statement" and _innermost_breakable(node) != select:
                return False  # an unlabelled break of the loop itself (or of an inner one: unsure)
    return True


def _innermost_breakable(node: Node) -> Node | None:
    p = node.parent
    while p is not None and p.type not in (
        "for_statement",
        "select_statement",
        "expression_switch_statement",
        "type_switch_statement",
        *FUNC_NODES,
    ):
        p = p.parent
    return p


# -- GL001: a channel returned by another package of the module, ranged until close ----------------------
@extend("GL001", (b"range ",))
def range_over_returned(ctx: Context) -> Iterator[Report]:
    """
    ## Across packages: ranging over a channel another package returns
    `for v := range feed.Stream(…)` (or `ch := feed.Stream(…)` then `range ch`) where `feed` is another
    package of the same module (go.mod, or another module of its go.work) whose `Stream` returns a
    channel that nothing in `feed` ever closes, and the caller does not close it either: the loop never
    ends after the last value and its goroutine leaks. Reported at the caller's `for … range`; a caller
    that closes the channel (or hands it on) stays silent. The other package is read only when such a
    call is ranged over.
    """
    from leaktrail.rules.interproc import module_callee, returned_channel
    from leaktrail.source.module import module_needles

    needles = module_needles(ctx.pkg.module)  # imports a package of the module (or its workspace)
    if not needles:
        return
    for file in ctx.files:
        if not _imports_chan_returner(ctx, file):  # (its _module_imports reads the needles, once a file)
            continue
        res = ctx.resolver(file)
        for clause in channel_captures(ctx, file, RANGES):
            expr = unparen(clause)
            call = expr if expr.type == "call_expression" else None
            local = None
            decl = None
            if expr.type == "identifier":
                decl = res.decl_of(expr)
                value = unparen(decl.value) if decl is not None and decl.value is not None else None
                if decl is None or decl.multi or value is None or value.type != "call_expression":
                    continue
                call, local = value, expr
            if call is None or not _module_import_call(file, call, ctx.pkg.module):
                continue
            if decl is not None and not _caller_never_closes(res, decl, clause):
                continue
            callee = module_callee(ctx, file, call)
            if callee is None:
                continue
            other, cfile, cfunc = callee
            summary = returned_channel(other, cfile, cfunc)
            if summary is None:
                continue
            stmt = clause.parent.parent if clause.parent is not None else None
            if stmt is None or stmt.type != "for_statement":
                continue
            name = text(call.child_by_field_name("function"))
            what = f"{text(local)} (from {name})" if local is not None else f"the channel {name} returns"
            yield Report(
                file,
                stmt,
                f"range over {what} waits for a close that never comes: {other.pkg.name}."
                f"{text(cfunc.child_by_field_name('name'))} returns a channel that nothing in package "
                f"{other.pkg.name} ever closes, and this caller does not close it either, so the loop "
                f"never ends after the last value; close it where its sender is done, or stop ranging "
                f"after a known count",
            )


_CHAN_FUNC = re.compile(rb"^func [^\n]*\bchan\b", re.M)
_PACKAGE_FLAGS: dict[tuple[str, str], tuple[str, dict[str, bool]]] = {}
_BYTE_KINDS: dict[str, Callable[[bytes], bool]] = {
    "chan-func": lambda b: _chan_func(b),
    "ranged-return": lambda b: _may_return_ranged(b),
    "returned-sends": lambda b: _may_return_sends(b),
}
"""What the cross-package checks look for in an imported package's bytes before parsing it."""


_CHAN_WORD = re.compile(rb"\bchan\b")


def _chan_func(data: bytes) -> bool:
    """`_CHAN_FUNC.search(data)`, reading only the lines that start with `func `."""
    if b"chan" not in data:
        return False
    at = 0 if data.startswith(b"func ") else data.find(b"\nfunc ")
    while at != -1:
        end = data.find(b"\n", at + 1)
        end = len(data) if end == -1 else end
        if _CHAN_WORD.search(data, at, end):
            return True
        at = data.find(b"\nfunc ", end)
    return False


def _imports_chan_returner(ctx: Context, file: GoFile) -> bool:
    """Whether some package of the module this file imports declares a function whose line mentions a
    channel (read as bytes, never parsed): without one, no range here can be over a returned channel,
    so the file is not parsed for this check."""
    return _imports_matching(ctx, file, "chan-func")


def _imports_matching(ctx: Context, file: GoFile, kind: str) -> bool:
    """Whether some other package of the module (or its workspace) this file imports has a non-test
    file whose bytes satisfy `_BYTE_KINDS[kind]` (nothing is parsed)."""
    return any(_package_bytes_match(ctx, path, kind) for path in _module_imports(ctx, file))


def _package_bytes_match(ctx: Context, path: str, kind: str) -> bool:
    """Whether a non-test file of the module's package `path` satisfies `_BYTE_KINDS[kind]`: each
    package's files are read once for every kind, and again only when they change (the directory's
    signature is taken once per package checked, not per question)."""
    memo = ctx.shared.setdefault("crosscall:package-flags", {})
    flags = memo.get(path)
    if flags is None:
        flags = memo[path] = _package_flags(ctx, path)
    return bool(flags[kind])


def _package_flags(ctx: Context, path: str) -> dict[str, bool]:
    from leaktrail.source.module import dirs_signature, module_dir

    mod = ctx.pkg.module
    directory = module_dir(mod, path)
    if directory is None or directory == ctx.pkg.dir:
        return dict.fromkeys(_BYTE_KINDS, False)  # this very package (an external test package importing it)
    key = (str(mod.root), path)
    signature = dirs_signature([directory])
    cached = _PACKAGE_FLAGS.get(key)
    if cached is not None and cached[0] == signature:
        return cached[1]
    flags = dict.fromkeys(_BYTE_KINDS, False)
    try:
        files = sorted(directory.glob("*.go"))
    except OSError:
        files = []
    for f in files:
        if f.name.endswith("_test.go"):
            continue
        try:
            data = f.read_bytes()
        except OSError:
            continue
        for k, wanted in _BYTE_KINDS.items():
            flags[k] = flags[k] or wanted(data)
        if all(flags.values()):
            break
    _PACKAGE_FLAGS[key] = (signature, flags)
    return flags


def _module_imports(ctx: Context, file: GoFile) -> list[str]:
    """The import paths of the file naming packages of the module or its workspace (from the bytes of
    the file's head; memoised per file)."""
    from leaktrail.source.module import in_module, module_needles

    key = f"crosscall:module-imports:{id(file)}"
    memo = ctx.shared.get(key)
    if isinstance(memo, list):
        return memo
    out: list[str] = []
    ctx.shared[key] = out
    needles = ctx.shared.get("crosscall:module-needles")
    if not isinstance(needles, tuple):  # once per package, not once per file
        needles = ctx.shared["crosscall:module-needles"] = module_needles(ctx.pkg.module)
    if not needles or not any(n in file.data for n in needles):
        return out
    data = file.data
    head = data[: data.find(b"\nfunc ") if b"\nfunc " in data else len(data)]
    for m in re.finditer(rb'"([^"\n]+)"', head):
        path = m.group(1).decode("utf-8", "replace")
        if in_module(ctx.pkg.module, path) and path not in out:
            out.append(path)
    return out


def _module_import_call(file: GoFile, call: Node, module: Module) -> bool:
    """`pkg.F(…)` where pkg names an import of another package of the module or its workspace
    (textual, no resolving)."""
    from leaktrail.source.module import in_module

    fn = unparen(call.child_by_field_name("function") or call)
    operand = fn.child_by_field_name("operand") if fn.type == "selector_expression" else None
    if operand is None or operand.type != "identifier":
        return False
    path = file.import_path(text(operand))
    return path is not None and in_module(module, path)


def _caller_never_closes(res: Resolver, decl: object, clause: Node) -> bool:
    from leaktrail.source.resolve import Decl

    assert isinstance(decl, Decl)
    for ref in res.references(decl):
        if ref.start_byte == clause.start_byte:
            continue
        parent = ref.parent
        if parent is None:
            return False
        if parent.type in ("send_statement", "unary_expression"):
            continue
        return False  # closed, handed on, stored or reassigned
    return True


# -- GL001: a channel a callee's goroutine ranges over, returned to a caller that never closes it --------
@dataclass(frozen=True, slots=True)
class _RangedReturn:
    index: int
    """Which result of the function is the channel (or the struct holding it)."""
    file: GoFile
    loop: Node
    """The `for … range` of the goroutine consuming it."""
    field: str = ""
    """Set when the result is a struct whose field `field` is the channel."""
    closers: frozenset[str] = frozenset()
    """The struct's methods that close that field (what a caller must call)."""


_RANGED_NEEDLES = (b"make(chan", b"range ", b"go ")


@extend("GL001", (b"(",))
def unclosed_returned_to_ranger(ctx: Context) -> Iterator[Report]:
    """
    ## Across calls and packages: a returned channel whose goroutine ranges until close
    A function makes a channel, starts a goroutine that ranges over it (a literal, or a named function
    or method handed the channel: `go consume(jobs)`; a `for { v, ok := <-jobs; if !ok { return } … }`
    loop counts as a range) and returns it without ever closing it:
    closing it is its callers' job. A caller — in the same package, or in another package of the
    module (go.mod, and go.work's other modules) — that only sends on the result, or discards it,
    never closes it: once the sends stop, the goroutine's loop waits forever. Reported at the call;
    a caller that closes the channel (`defer close(jobs)`) or hands it on (returns it, stores it,
    passes it to a function) stays silent; one that stores it in a struct field (`d.jobs = w.Start()`,
    `&D{jobs: w.Start()}`) is reported when its package only ever sends on that field (unexported, or
    in package main), never closing nor handing it on. The same for a struct the function returns
    whose channel field its goroutine ranges over (`b := &Batcher{items: make(chan T)}; go b.run();
    return b`) when only methods of that struct close the field: a caller that calls none of them
    (`defer b.Close()`) and hands the struct to no one is reported.

    ```go
    func Start() chan<- string {
        jobs := make(chan string)
        go func() {
            for j := range jobs { handle(j) }
        }()
        return jobs
    }

    jobs := worker.Start() // want: never closed, the worker ranges over it forever
    for _, it := range items { jobs <- it }
    ```
    Fix: `defer close(jobs)` after the call (or close it once the last value is sent).
    """
    local = _ranging_returners(ctx)
    for file in ctx.files:
        remote = _imported_ranging_returners(ctx, file)
        if not local and not remote:
            continue
        res = ctx.resolver(file)
        named = _calls_named(ctx, file)
        calls = sorted(
            (c for n in local | remote for c in named.get(n, ())), key=lambda c: (c.start_byte, -c.end_byte)
        )
        for call in calls:
            fn = unparen(call.child_by_field_name("function") or call)
            name = text(fn.child_by_field_name("field")) if fn.type == "selector_expression" else text(fn)
            found = _ranged_callee(ctx, file, res, call, name in local, name in remote)
            if found is None:
                continue
            summary, label = found
            kept = _kept_open(ctx, file, res, call, summary)
            if kept is None:
                continue
            loop = f"{summary.file.path.name}:{summary.loop.start_point[0] + 1}"
            closer = min(summary.closers) if summary.closers else ""
            if kept and summary.field:
                names = " or ".join(f"{c}()" for c in sorted(summary.closers))
                what = (
                    f"{kept} (from {label}) holds a channel ({summary.field}) that only its {names} "
                    f"closes, and this caller neither calls {'it' if len(summary.closers) == 1 else 'any'} "
                    f"nor hands {kept} on"
                )
                fix = f"defer {kept}.{closer}() after this call"
            elif kept.startswith("field "):
                what = (
                    f"the channel {label} returns is stored in {kept[6:]}, which this package only sends "
                    f"on, never closes nor hands on"
                )
                fix = f"close {kept[6:]} where its owner stops (a Close or Stop method)"
            elif kept:
                what = f"{kept} (from {label}) is only sent on here, never closed nor handed on"
                fix = f"defer close({kept}) after this call, or close it once the last value is sent"
            elif summary.field:
                what = f"this call discards what {label} returns, whose {closer}() alone closes its channel"
                fix = f"keep the result and call its {closer}() when done"
            else:
                what = f"this call discards the channel {label} returns"
                fix = "keep the channel and close it when done sending"
            yield Report(
                file,
                call,
                f"{what}, but the goroutine {label} started ranges over it until it is closed ({loop}), "
                f"which only its callers can do: after the last value that goroutine waits forever; {fix}",
            )


def _may_return_ranged(data: bytes) -> bool:
    return all(n in data for n in _RANGED_NEEDLES)


def _imported_ranging_returners(ctx: Context, file: GoFile) -> frozenset[str]:
    """Names of the functions and methods returning a ranged-over channel in the other packages of
    the module (or its workspace) this file imports; a package is parsed only when its bytes could
    hold one."""
    from leaktrail.rules.interproc import package_context
    from leaktrail.source.module import load

    memo = ctx.shared.setdefault("crosscall:imported-ranged-names", {})
    names: set[str] = set()
    for path in _module_imports(ctx, file):
        found = memo.get(path)
        if found is None:  # once per imported package while this package is checked
            found = frozenset()
            if _package_bytes_match(ctx, path, "ranged-return"):
                other = load(ctx.pkg.module, path)
                if other is not None:
                    found = _ranging_returners(package_context(other))
            memo[path] = found
        names |= found
    return frozenset(names)


def _ranging_returners(ctx: Context) -> frozenset[str]:
    """Names of the package's functions and methods returning a channel their goroutine ranges over."""
    memo = ctx.shared.get("crosscall:ranged-names")
    if isinstance(memo, frozenset):
        return memo
    names: set[str] = set()
    for f in ctx.pkg.files_containing(_RANGED_NEEDLES[0]):  # the package's index, not every file's bytes
        if not _may_return_ranged(f.data):
            continue
        data = f.data
        for func in f.root.named_children:
            if func.type not in ("function_declaration", "method_declaration"):
                continue
            # (searched in the file's bytes: no copy of every function's text)
            made = data.find(b"make(chan", func.start_byte, func.end_byte) >= 0
            if made and _ranged_return(ctx, f, func) is not None:
                names.add(text(func.child_by_field_name("name")))
    found = ctx.shared["crosscall:ranged-names"] = frozenset(names)
    return found


def _ranged_callee(
    ctx: Context, file: GoFile, res: Resolver, call: Node, local: bool, remote: bool
) -> tuple[_RangedReturn, str] | None:
    from leaktrail.rules.interproc import module_callee

    fn = text(call.child_by_field_name("function"))
    if local:
        target = res.called_function(call)
        if target is not None:
            found = _ranged_return(ctx, target[0], target[1])
            return (found, fn) if found is not None else None
    if remote:
        other = module_callee(ctx, file, call)
        if other is not None:
            found = _ranged_return(other[0], other[1], other[2])
            return (found, fn) if found is not None else None
    return None


def _ranged_return(ctx: Context, file: GoFile, func: Node) -> _RangedReturn | None:
    return ctx.per_function(
        "crosscall:ranged-return", file, func, lambda: _compute_ranged_return(ctx, file, func)
    )


def _compute_ranged_return(ctx: Context, file: GoFile, func: Node) -> _RangedReturn | None:
    """The function returns (as result i) a local `make(chan …)` it never closes, sends on at most, and
    hands only to goroutines that range over it (a literal, or `go f(ch)` whose parameter is only
    ranged over): closing it is left to the callers. Or it returns a new struct whose channel field
    a goroutine it starts ranges over and that only some methods of the struct close."""
    from leaktrail.rules.channels import is_make_chan

    res = ctx.resolver(file)
    held = _ranged_holder(ctx, file, func)
    if held is not None:
        return held
    chosen: tuple[int, object] | None = None
    for ret in own_returns(ctx, file, func):
        if not ret.named_child_count:
            continue
        values = ret.named_children[0]
        items = values.named_children if values.type == "expression_list" else [values]
        for i, v in enumerate(items):
            v = unparen(v)
            if v.type != "identifier":
                continue
            decl = res.decl_of(v)
            if decl is None or decl.func != func or decl.multi or not is_make_chan(decl.value):
                continue
            if chosen is not None and chosen != (i, decl.key):
                return None  # two channels returned: not one simple shape
            chosen = (i, decl.key)
    if chosen is None:
        return None
    index = chosen[0]
    decl = next(
        (
            d
            for r in own_returns(ctx, file, func)
            for d in [_returned_decl(res, r, index)]
            if d is not None and d.key == chosen[1]
        ),
        None,
    )
    if decl is None:
        return None
    loop: tuple[GoFile, Node] | None = None
    for ref in res.references(decl):
        inner = enclosing_func(ref)
        parent = ref.parent
        if parent is None:
            return None
        if inner == func:
            if _returned(ref) and _result_index(ref) == index:
                continue
            if parent.type == "send_statement" and parent.child_by_field_name("channel") == ref:
                continue
            go = _go_argument(ref)
            if go is not None:
                found = _param_only_ranged(ctx, file, go, ref)
                if found is None:
                    return None
                loop = loop or found
                continue
            return None
        lit = inner
        while lit is not None and lit.type == "func_literal" and enclosing_func(lit) != func:
            lit = enclosing_func(lit)
        go = lit.parent.parent if lit is not None and lit.parent is not None else None
        if lit is None or go is None or go.type != "go_statement" or enclosing_func(ref) != lit:
            return None  # used by a literal that is not the goroutine itself
        if parent.type == "range_clause" and parent.child_by_field_name("right") == ref:
            stmt = parent.parent
            if stmt is not None and stmt.type == "for_statement":
                loop = loop or (file, stmt)
                continue
        until_closed = _receives_until_closed(ref)
        if until_closed is not None:
            loop = loop or (file, until_closed)
            continue
        return None
    if loop is None:
        return None
    return _RangedReturn(index, loop[0], loop[1])


def _receives_until_closed(ref: Node) -> Node | None:
    """The loop `for { v, ok := <-ch; if !ok { return } … }` when `ref` is ch in its comma-ok receive:
    a statement of the loop's own body (no select, no condition) followed at once by an `if !ok` that
    returns or breaks out: like `for v := range ch`, it leaves only once ch is closed."""
    recv = ref.parent
    if recv is None or recv.type != "unary_expression" or recv.child_by_field_name("operand") != ref:
        return None
    if recv.child(0) is None or text(recv.child(0)) != "<-":
        return None
    values = recv.parent
    stmt = values.parent if values is not None and values.type == "expression_list" else None
    if stmt is None or stmt.type not in ("short_var_declaration", "assignment_statement"):
        return None
    left = stmt.child_by_field_name("left")
    if values is None or values.named_child_count != 1 or left is None or left.named_child_count != 2:
        return None
    ok = left.named_children[1]
    if ok.type != "identifier" or text(ok) == "_":
        return None
    body = stmt.parent
    block = body.parent if body is not None and body.type == "statement_list" else body
    loop = block.parent if block is not None else None
    if loop is None or loop.type != "for_statement" or loop.named_child_count != 1:
        return None  # `for {` only: a condition or clause may end the loop before the close
    check = stmt.next_named_sibling
    while check is not None and check.type == "comment":
        check = check.next_named_sibling
    if check is None or check.type != "if_statement":
        return None
    cond = check.child_by_field_name("condition")
    cond = unparen(cond) if cond is not None else None
    if cond is None or cond.type != "unary_expression" or text(cond).replace(" ", "") != f"!{text(ok)}":
        return None
    then = check.child_by_field_name("consequence")
    stmts = then.named_children if then is not None else []
    if stmts and stmts[0].type == "statement_list":
        stmts = stmts[0].named_children
    leaves = any(
        s.type == "return_statement" or (s.type == "break_statement" and not s.named_child_count)
        for s in stmts
    )
    return loop if leaves else None


def _ranged_holder(ctx: Context, file: GoFile, func: Node) -> _RangedReturn | None:
    """`x := &T{f: make(chan …)}` (or `x.f = make(chan …)`), `go x.run()` (or a literal) ranging over
    x.f, `return x` (result i), where the only closes of T.f in the package are in methods of T
    (`func (x *T) Close() { close(x.f) }`): callers must call one of them."""
    res = ctx.resolver(file)
    seen: set[tuple[int, int]] = set()
    for ret in own_returns(ctx, file, func):
        for index, item in enumerate(_return_items(ret)):
            var = unparen(item)
            decl = res.decl_of(var) if var.type == "identifier" else None
            if decl is None or decl.func != func or decl.multi or decl.value is None or decl.key in seen:
                continue
            seen.add(decl.key)
            lit = unparen(decl.value)
            if lit.type == "unary_expression" and lit.named_child_count:
                lit = unparen(lit.named_children[-1])
            tnode = lit.child_by_field_name("type") if lit.type == "composite_literal" else None
            owner = text(tnode) if tnode is not None else ""
            if not owner.isidentifier():
                continue
            found = _holder_summary(ctx, file, func, lit, text(var), owner, index)
            if found is not None:
                return found
    return None


def _holder_summary(
    ctx: Context, file: GoFile, func: Node, lit: Node, var: str, owner: str, index: int
) -> _RangedReturn | None:
    for fname in _made_chan_fields(func, lit, var):
        loop = _field_ranged_by_goroutine(ctx, file, func, var, fname)
        if loop is None:
            continue
        closers = _closing_methods(ctx, owner, fname)
        closers = _calling_closers(ctx, owner, closers) if closers else closers
        runner = enclosing_func(loop[1])
        while runner is not None and runner.type == "func_literal":
            runner = enclosing_func(runner)
        if runner is not None and text(runner.child_by_field_name("name")) in closers:
            continue  # the goroutine closes it itself (told to stop some other way): its range is a drain
        if closers:
            return _RangedReturn(index, loop[0], loop[1], fname, closers)
    return None


def _return_items(ret: Node) -> list[Node]:
    if not ret.named_child_count:
        return []
    values = ret.named_children[0]
    return list(values.named_children) if values.type == "expression_list" else [values]


def _made_chan_fields(func: Node, lit: Node, var: str) -> list[str]:
    """Fields given a fresh channel: `f: make(chan …)` in the literal, or `var.f = make(chan …)`."""
    from leaktrail.rules.channels import is_make_chan

    out: list[str] = []
    body = lit.child_by_field_name("body")
    for keyed in body.named_children if body is not None else []:
        if keyed.type == "keyed_element" and keyed.named_child_count == 2:
            value = keyed.named_children[1]
            inner = value.named_children[0] if value.named_children else value
            if is_make_chan(inner):
                out.append(text(keyed.named_children[0]))
    for stmt in captures("(assignment_statement) @a", func).get("a", []):
        left, right = stmt.child_by_field_name("left"), stmt.child_by_field_name("right")
        if left is None or right is None or left.named_child_count != 1 or right.named_child_count != 1:
            continue
        target = unparen(left.named_children[0])
        operand = target.child_by_field_name("operand") if target.type == "selector_expression" else None
        if operand is not None and text(operand) == var and is_make_chan(right.named_children[0]):
            out.append(text(target.child_by_field_name("field")))
    return out


def _field_ranged_by_goroutine(
    ctx: Context, file: GoFile, func: Node, var: str, fname: str
) -> tuple[GoFile, Node] | None:
    """A goroutine started in func that ranges over var.fname: a literal, or a method of var's type
    (`go var.run()`) ranging over its receiver's field."""
    from leaktrail.rules.goroutines import go_target

    for go in captures_within(ctx, file, GOS, func):
        if enclosing_func(go) != func:
            continue
        target = go_target(ctx, file, go)
        if target is None:
            continue
        tfile, tfunc = target
        if tfunc.type == "func_literal":
            recv = var
        else:
            call = next((c for c in go.named_children if c.type == "call_expression"), None)
            fn = call.child_by_field_name("function") if call is not None else None
            selector = fn is not None and fn.type == "selector_expression"
            operand = fn.child_by_field_name("operand") if fn is not None and selector else None
            if operand is None or text(operand) != var or tfunc.type != "method_declaration":
                continue
            recv = _receiver_name(tfunc)
        for right in captures_within(ctx, tfile, RANGES, tfunc):
            if text(unparen(right)) == f"{recv}.{fname}" and enclosing_func(right) == tfunc:
                stmt = right.parent.parent if right.parent is not None else None
                if stmt is not None and stmt.type == "for_statement":
                    return tfile, stmt
        for sel in captures('(unary_expression operator: "<-" operand: (selector_expression) @s)', tfunc).get(
            "s", []
        ):
            if text(sel) == f"{recv}.{fname}" and enclosing_func(sel) == tfunc:
                until_closed = _receives_until_closed(sel)
                if until_closed is not None:
                    return tfile, until_closed
    return None


def _calling_closers(ctx: Context, owner: str, closers: frozenset[str]) -> frozenset[str]:
    """`closers` and the methods of owner that call one of them on their own receiver (`func (c *T)
    Stop() { c.stop() }`), a few calls deep: calling any of them closes the channel too."""
    methods: list[tuple[str, str, bytes]] = []
    for f in ctx.pkg.files:
        if owner.encode() not in f.data:
            continue
        for decl in f.root.named_children:
            if decl.type == "method_declaration" and receiver_type_name(decl) == owner:
                body = decl.child_by_field_name("body")
                methods.append(
                    (
                        text(decl.child_by_field_name("name")),
                        _receiver_name(decl),
                        body.text or b"" if body else b"",
                    )
                )
    out = set(closers)
    for _ in range(4):
        more = {
            name
            for name, recv, body in methods
            if name not in out and recv and any(f"{recv}.{c}(".encode() in body for c in out)
        }
        if not more:
            break
        out |= more
    return frozenset(out)


def _closing_methods(ctx: Context, owner: str, fname: str) -> frozenset[str]:
    """Names of owner's methods that close recv.fname; empty when the field is closed anywhere else (or
    nowhere: then the package's own range over it is GL001's business)."""
    names: set[str] = set()
    for f in ctx.pkg.files_containing(b"close("):
        if fname.encode() not in f.data:
            continue
        for call in _calls_named(ctx, f).get("close", ()):
            args = call.child_by_field_name("arguments")
            arg = unparen(args.named_children[0]) if args is not None and args.named_children else None
            if arg is None or arg.type != "selector_expression":
                continue
            if text(arg.child_by_field_name("field")) != fname:
                continue
            method = enclosing_func(call)
            while method is not None and method.type == "func_literal":
                method = enclosing_func(method)
            operand = text(arg.child_by_field_name("operand"))
            if (
                method is not None
                and method.type == "method_declaration"
                and receiver_type_name(method) != owner
                and operand == _receiver_name(method)
            ):
                continue  # the same field name on another type's receiver
            if (
                method is None
                or method.type != "method_declaration"
                or receiver_type_name(method) != owner
                or operand != _receiver_name(method)
            ):
                return frozenset()
            names.add(text(method.child_by_field_name("name")))
    return frozenset(names)


def _returned_decl(res: Resolver, ret: Node, index: int) -> Decl | None:
    if not ret.named_child_count:
        return None
    values = ret.named_children[0]
    items = values.named_children if values.type == "expression_list" else [values]
    v = unparen(items[index]) if index < len(items) else None
    return res.decl_of(v) if v is not None and v.type == "identifier" else None


def _result_index(ident: Node) -> int:
    p = ident.parent
    if p is not None and p.type == "expression_list":
        return p.named_children.index(ident)
    return 0


def _go_argument(ident: Node) -> Node | None:
    """The go statement when `ident` is an argument of its call (`go consume(ch)`)."""
    args = ident.parent
    call = args.parent if args is not None and args.type == "argument_list" else None
    go = call.parent if call is not None else None
    return go if go is not None and go.type == "go_statement" else None


def _param_only_ranged(ctx: Context, file: GoFile, go: Node, arg: Node) -> tuple[GoFile, Node] | None:
    """`go consume(ch)` (or a literal called with ch): the loop ranging over the parameter ch is bound
    to, when ranging is all the goroutine does with it."""
    bound = _param_uses(ctx, file, go, arg)
    if bound is None:
        return None
    tfile, tfunc, uses = bound
    loop: Node | None = None
    for ident in uses:
        parent = ident.parent
        stmt = parent.parent if parent is not None else None
        until_closed = _receives_until_closed(ident)
        if until_closed is not None and enclosing_func(ident) == tfunc:
            loop = loop or until_closed
            continue
        if (
            parent is None
            or parent.type != "range_clause"
            or parent.child_by_field_name("right") != ident
            or stmt is None
            or stmt.type != "for_statement"
            or enclosing_func(ident) != tfunc
        ):
            return None
        loop = loop or stmt
    return (tfile, loop) if loop is not None else None


def _kept_open(ctx: Context, file: GoFile, res: Resolver, call: Node, summary: _RangedReturn) -> str | None:
    """The local holding result `index` of `call` ("" when discarded) when the caller neither closes
    it nor hands it on: it only sends on it (and measures it); for a struct holding the channel, it
    calls none of the methods that close it (and hands the struct to no one)."""
    index = summary.index
    discarded = ""
    parent = call.parent
    if parent is not None and parent.type == "expression_statement":
        return discarded
    if parent is not None and parent.type == "literal_element" and index == 0 and not summary.field:
        keyed = parent.parent  # `&App{jobs: worker.Start()}`
        if keyed is not None and keyed.type == "keyed_element" and keyed.named_children[-1] == parent:
            lit = keyed.parent.parent if keyed.parent is not None else None
            owner = res.type_of_node(lit.child_by_field_name("type")) if lit is not None else None
            key = text(keyed.named_children[0])
            if owner is not None and owner.kind == "named" and not owner.pkg:
                found = _field_key_kept_open(ctx, ("field", owner.name, key))
                return f"field {owner.name}.{found}" if found is not None else None
        return None
    targets = assignment_targets(parent) if parent is not None else None
    if not targets or index >= len(targets):
        return None
    if len(targets) > 1 and parent is not None and parent.named_child_count != 1:
        return None
    target = unparen(targets[index])
    if target.type == "selector_expression" and not summary.field:
        return _field_kept_open(ctx, res, target)
    if target.type != "identifier":
        return None
    name = text(target)
    if name == "_":
        return discarded
    decl = res.decl_of(target)
    if decl is None or decl.ident != target or decl.kind not in ("short", "var"):
        return None  # assigned to a variable declared elsewhere (or package-level): not followed
    refs = res.references(decl)
    for ref in refs:
        p = ref.parent
        on = p is not None and p.type == "selector_expression" and p.child_by_field_name("operand") == ref
        if summary.field and p is not None and on:
            used = text(p.child_by_field_name("field"))
            outer = p.parent
            called = outer is not None and outer.child_by_field_name("function") == p
            if outer is not None and outer.type == "call_expression" and called:
                if used in summary.closers:
                    return None  # closes it
                continue
            if outer is not None and outer.type in ("argument_list", "expression_list", "keyed_element"):
                return None  # a field handed on (perhaps to close)
            continue
        if p is not None and p.type == "send_statement" and p.child_by_field_name("channel") == ref:
            continue
        outer = p.parent if p is not None and p.type == "argument_list" else None
        if outer is not None and text(outer.child_by_field_name("function")) in ("len", "cap"):
            continue
        return None  # closed, handed on, stored, returned or reassigned
    if not refs:
        return None
    return name


def _field_kept_open(ctx: Context, res: Resolver, sel: Node) -> str | None:
    """`a.jobs = worker.Start()`: the field's text when nothing in the package closes that field."""
    from leaktrail.rules.objects import identity

    key = identity(res, sel)
    if key is None or key[0] != "field":
        return None
    return f"field {text(sel)}" if _field_key_kept_open(ctx, key) is not None else None


def _field_key_kept_open(ctx: Context, key: tuple[object, ...]) -> str | None:
    """The field's name when every use of that struct field channel in the package only stores into it,
    sends on it or measures it (unexported, or in package main: nobody else can close it)."""
    from leaktrail.rules.objects import identity

    owner, fname = str(key[1]), str(key[2])
    if fname[:1].isupper() and ctx.pkg.name != "main":
        return None  # other packages may close an exported field
    memo = ctx.shared.setdefault("crosscall:field-kept-open", {})
    assert isinstance(memo, dict)
    if key in memo:
        found = memo[key]
        return found if isinstance(found, str) else None
    memo[key] = None
    if _positional_literal(ctx, owner):
        return None
    for f in ctx.pkg.files_containing(fname.encode()):
        res = ctx.resolver(f)
        for ident in f.field_identifiers.get(fname, ()):
            sel = ident.parent
            if sel is None or sel.type != "selector_expression":
                continue
            p = sel.parent
            if p is not None and p.type == "send_statement" and p.child_by_field_name("channel") == sel:
                continue
            outer = p.parent if p is not None and p.type == "argument_list" else None
            if outer is not None and text(outer.child_by_field_name("function")) in ("len", "cap"):
                continue
            if is_assign_target(sel, short=False):
                continue
            if identity(res, sel) == key:  # inferred only for a use that would keep it
                return None  # closed, received from, handed on or copied
    memo[key] = fname
    return fname


def _buffered_locals(ctx: Context, file: GoFile) -> list[tuple[Node, Node, str]]:
    """(declaring identifier, make call, capacity text) for `ch := make(chan T, N)`, N not 0."""
    if not _LOCAL_MAKE.search(file.data):
        return []
    out: list[tuple[Node, Node, str]] = []
    for decl in _make_decls(ctx, file):
        left, right = decl.child_by_field_name("left"), decl.child_by_field_name("right")
        if left is None or right is None or left.named_child_count != 1 or right.named_child_count != 1:
            continue
        value = unparen(right.named_children[0])
        if value.type != "call_expression" or text(value.child_by_field_name("function")) != "make":
            continue
        args = value.child_by_field_name("arguments")
        if args is None or args.named_child_count != 2 or args.named_children[0].type != "channel_type":
            continue
        cap = text(args.named_children[1])
        if cap != "0":
            out.append((left.named_children[0], value, cap))
    return out


def _abandoned_producers(ctx: Context, file: GoFile) -> Iterator[Report]:
    """A goroutine fills a buffered channel in a loop; the function can return before anything
    starts receiving from it (an early return between the go and the consumer)."""
    res = ctx.resolver(file)
    for ident, _make, cap in _buffered_locals(ctx, file):
        decl = res.decl_of(ident)
        func = enclosing_func(ident)
        body = func.child_by_field_name("body") if func is not None else None
        if decl is None or func is None or body is None:
            continue
        uses = res.references(decl)
        for go in channel_captures(ctx, file, GOS):
            if enclosing_func(go) != func or go.start_byte < ident.end_byte:
                continue
            inside = [u for u in uses if go.start_byte <= u.start_byte < go.end_byte]
            sends = [op[1] for u in inside if (op := _op_of(u)) is not None and op[0] == "send"]
            sends = [s for s in sends if _alone_in_select(s) and _in_loop(s, go)]
            sfile, scope = file, go
            if not sends:  # `go produce(ch, xs)`: the loop of sends is in the named function
                named = _named_producer(ctx, file, go, inside)
                if named is None:
                    continue
                sfile, scope, sends = named
            if any((op := _op_of(u)) is not None and op[0] == "recv" for u in inside):
                continue
            if any(text(loop_over) in cap for loop_over in _range_sources(sends[0], scope)):
                continue  # make(chan T, len(xs)) for a range over xs: the buffer holds them all
            later = [u for u in uses if u.start_byte >= go.end_byte and enclosing_func(u) is not None]
            if not later:
                continue
            graph = ctx.cfg(file, body)
            exits = [
                ex
                for ex in graph.exits_without(go, covers_any(later))
                if ex.kind == "return" and go.end_byte < ex.node.start_byte < min(u.start_byte for u in later)
            ]  # an early return before the consumer starts (not a loop that may run zero times)
            if not exits:
                continue
            ex = exits[0]
            where = f"the return at line {ex.node.start_point[0] + 1}"
            name = text(func.child_by_field_name("name")) or "the function"
            if all(sfile is not f for f in ctx.pkg.files):  # in another package: report at the `go`
                yield Report(
                    file,
                    go,
                    f"this goroutine sends on {text(ident)} in a loop ({sfile.path.name}:"
                    f"{sends[0].start_point[0] + 1}), but {name} can reach {where} before anything "
                    f"receives from {text(ident)}: once its buffer ({cap}) is full the send blocks "
                    f"forever; start the consumer before the check that can return, or stop the "
                    f"producer on that path",
                )
                break
            yield Report(
                sfile,
                sends[0],
                f"goroutine sends on {text(ident)} in a loop, but {name} can reach {where} before anything "
                f"receives from {text(ident)}: once its buffer ({cap}) is full the send blocks forever; "
                f"start the consumer before the check that can return, or stop the producer on that path",
            )
            break


def _named_producer(
    ctx: Context, file: GoFile, go: Node, inside: list[Node]
) -> tuple[GoFile, Node, list[Node]] | None:
    """`go produce(ch, …)` with ch passed as argument i: (its file, its body, its sends on parameter i
    inside a loop) when it only sends on it."""
    from leaktrail.rules.goroutines import go_target
    from leaktrail.rules.interproc import module_callee

    call = next((c for c in go.named_children if c.type == "call_expression"), None)
    args = call.child_by_field_name("arguments") if call is not None else None
    target = go_target(ctx, file, go)
    tctx = ctx
    if target is None and call is not None:
        other = module_callee(ctx, file, call)  # `go feed.Fill(ch, xs)`: another package of the module
        if other is not None:
            tctx, target = other[0], (other[1], other[2])
    if args is None or target is None or target[1].type == "func_literal" or len(inside) != 1:
        return None
    if inside[0] not in args.named_children:
        return None
    index = args.named_children.index(inside[0])
    params = param_names(target[1])
    body = target[1].child_by_field_name("body")
    if index >= len(params) or not params[index] or body is None:
        return None
    tres = tctx.resolver(target[0])
    sends: list[Node] = []
    for ident in target[0].identifiers.get(params[index], ()):
        if not (body.start_byte <= ident.start_byte < body.end_byte):
            continue
        decl = tres.decl_of(ident)
        if decl is None or decl.kind != "param" or decl.func != target[1]:
            continue
        op = _op_of(ident)
        closer = ident.parent.parent if ident.parent is not None else None
        if op is None and closer is not None and text(closer.child_by_field_name("function")) == "close":
            continue  # closing it when done is what a producer does
        if op is None or op[0] != "send":
            return None  # received or handed on: not a plain producer
        if _alone_in_select(op[1]) and _in_loop(op[1], body):
            sends.append(op[1])
    return (target[0], body, sends) if sends else None


def _in_loop(node: Node, outer: Node) -> bool:
    p = node.parent
    while p is not None and p != outer:
        if p.type == "for_statement":
            return True
        p = p.parent
    return False


def _range_sources(node: Node, outer: Node) -> list[Node]:
    out: list[Node] = []
    p = node.parent
    while p is not None and p != outer:
        if p.type == "for_statement":
            clause = next((c for c in p.named_children if c.type == "range_clause"), None)
            right = clause.child_by_field_name("right") if clause is not None else None
            if right is not None:
                out.append(right)
        p = p.parent
    return out


def _unreceived_field_sends(ctx: Context, file: GoFile) -> Iterator[Report]:
    """Sends on a struct field channel that nothing in the package ever receives from, ranges over,
    measures or hands on: a buffered one blocks for good once its buffer is full."""
    from leaktrail.rules.objects import identity

    data = file.data
    if not unicode_spaced(data) and not any(
        name in data and _sent_on(name).search(data) is not None for name in _fields_made_here(ctx)
    ):
        return  # no send here can be on a field _field_made_here admits: the file need not be parsed
    res = ctx.resolver(file)
    for chan in channel_captures(ctx, file, _SENDS):
        sel = unparen(chan)
        if sel.type != "selector_expression":
            continue
        fname = text(sel.child_by_field_name("field"))  # what identity() names the field
        if fname[:1].isupper():
            continue  # exported: other packages may receive
        if not _field_made_here(ctx, fname):
            continue  # _field_only_sent would say no: the operand's type need not be inferred
        key = identity(res, sel)
        if key is None or key[0] != "field":
            continue
        memo = _memo_get(ctx, "crosscall:unreceived", key)
        if memo is None:
            memo = _field_only_sent(ctx, key)
            ctx.shared.setdefault("crosscall:unreceived", {})[key] = memo
        if not memo:
            continue
        yield Report(
            file,
            chan.parent if chan.parent is not None else chan,
            f"send on {text(sel)} ({key[1]}.{fname}), but nothing in the package ever receives from that "
            f"channel or hands it on: once its buffer is full this send blocks forever; receive from it "
            f"where the values are used, or drop the channel",
        )


@functools.lru_cache(maxsize=4096)
def _sent_on(name: bytes) -> re.Pattern[bytes]:
    """The name then `<-`, only blanks, comments and closing parentheses between: what follows the
    field of `x.name <- v` or `(x.name) <- v` (the bytes of every send _unreceived_field_sends judges
    on that field)."""
    return re.compile(re.escape(name) + rb"(?:\s|\)|/\*.*?\*/|//[^\n]*)*<-", re.S)


def _field_made_here(ctx: Context, fname: str) -> bool:
    """Some file says `.fname = make(chan` (looked for only in the files naming the field)."""
    memo = ctx.shared.setdefault("crosscall:field-made-here", {})
    found = memo.get(fname)
    if found is None:  # asked for every send on the field: the package's files are read once per name
        needle = f".{fname} = make(chan".encode()
        found = memo[fname] = any(needle in f.data for f in ctx.pkg.files_containing(fname.encode()))
    return bool(found)


_MADE_FIELD = re.compile(rb"\.([\w\x80-\xff]+) = make\(chan")
"""`.name = make(chan`: _field_made_here's needle, for any name (no `.` in a name: the match at the
last dot before ` = make(chan` is found)."""


def _fields_made_here(ctx: Context) -> frozenset[bytes]:
    """The unexported names for which _field_made_here holds (its needle is in some file), from the
    bytes (memoised per package)."""
    found = ctx.shared.get("crosscall:fields-made-here")
    if not isinstance(found, frozenset):
        found = ctx.shared["crosscall:fields-made-here"] = frozenset(
            name
            for f in ctx.pkg.files_containing(b" = make(chan")
            for name in _MADE_FIELD.findall(f.data)
            if not name[:1].isupper()
        )
    return found


def _memo_get(ctx: Context, table: str, key: object) -> bool | None:
    found = ctx.shared.get(table)
    if isinstance(found, dict):
        value = found.get(key)
        return value if isinstance(value, bool) else None
    return None


def _field_only_sent(ctx: Context, key: tuple[object, ...]) -> bool:
    """Every use of the field channel in the package is a send or an assignment of a fresh make."""
    from leaktrail.rules.objects import identity

    fname = str(key[2])
    if not _field_made_here(ctx, fname):
        return False  # never given a channel of its own here (every other use must be a send)
    if _positional_literal(ctx, str(key[1])):
        return False
    made = False
    for f in selector_or_key_files(ctx, fname):  # (the files that may hold `x.fname` or `fname:`)
        res = ctx.resolver(f)
        for ident in f.identifiers.get(fname, ()):
            parent = ident.parent
            if parent is not None and parent.type == "literal_element":
                if _literal_of_other_type(ident, str(key[1])):
                    continue
                return False  # set in a composite literal: maybe from a channel someone receives from
        for ident in f.field_identifiers.get(fname, ()):
            sel = ident.parent
            if sel is None or sel.type != "selector_expression":
                continue
            parent = sel.parent
            if (
                parent is not None
                and parent.type == "send_statement"
                and parent.child_by_field_name("channel") == sel
            ):
                continue  # a send, whoever's field it is
            if identity(res, sel) != key:
                continue
            value = _assigned_value(sel) if is_assign_target(sel, short=False) else None
            if value is not None and text(unparen(value)).startswith("make(chan"):
                made = True
                continue
            return False
    return made


# A buffered channel filled beyond its capacity before anything can receive from it.
def _overfilled(ctx: Context, file: GoFile) -> Iterator[Report]:
    """`x := &T{ch: make(chan T, N)}` (or `ch := make(chan T, N)`, N a constant), then more than N sends
    on it in a row at the top of the function, directly or at the start of called methods, before any
    goroutine is started or the channel is received from or handed on: the send past N blocks forever."""
    for decl in _make_decls(ctx, file):
        left, right = decl.child_by_field_name("left"), decl.child_by_field_name("right")
        if left is None or right is None or left.named_child_count != 1 or right.named_child_count != 1:
            continue
        var = left.named_children[0]
        for fname, cap in _made_buffers(right.named_children[0]):
            func = enclosing_func(decl)
            block = decl.parent
            if func is None or block is None or var.type != "identifier":
                continue
            count = 0
            first: Node | None = None
            stmt = decl.next_named_sibling
            while stmt is not None:
                sends, stop = _leading_sends(ctx, file, stmt, text(var), fname, 0)
                for f, send in sends:
                    count += 1
                    if count == 1:
                        first = send
                    if count > cap and first is not None and cap == 0:
                        yield Report(
                            f,
                            send,
                            f"send on {text(var)}.{fname}, an unbuffered channel made at "
                            f"{file.path.name}:{var.start_point[0] + 1} that no other goroutine can reach "
                            f"yet (no goroutine started, {text(var)} handed to no one): this blocks forever; "
                            f"start the receiver first or give {fname} a buffer",
                        )
                        stop = True
                        break
                    if count > cap and first is not None:
                        target = f"{text(var)}.{fname}" if fname else text(var)
                        made = f"{file.path.name}:{var.start_point[0] + 1}"
                        yield Report(
                            f,
                            send,
                            f"this send on {target} (made at {made} with buffer {cap}) is send number "
                            f"{count} in a row, the first at line {first.start_point[0] + 1}, and nothing "
                            f"can receive from it yet (no goroutine started, the channel handed to no one): "
                            f"it blocks forever; start the receiver first or make the buffer larger",
                        )
                        stop = True
                        break
                if stop:
                    break
                stmt = stmt.next_named_sibling


def _made_buffers(value: Node) -> list[tuple[str, int]]:
    """("" or the field name, capacity) for `make(chan T, N)` or `&T{f: make(chan T, N)}`, N a literal."""
    v = unparen(value)
    if v.type == "unary_expression" and v.named_child_count:
        v = unparen(v.named_children[-1])
    out: list[tuple[str, int]] = []
    if v.type == "call_expression":
        cap = _literal_cap(v)
        if cap is not None:
            out.append(("", cap))
    elif v.type == "composite_literal":
        body = v.child_by_field_name("body")
        for keyed in body.named_children if body is not None else []:
            if keyed.type != "keyed_element" or keyed.named_child_count < 2:
                continue
            val = keyed.named_children[1]
            inner = val.named_children[0] if val.named_children else None
            cap = _literal_cap(unparen(inner)) if inner is not None else None
            if cap is None and inner is not None and _unbuffered_make(unparen(inner)):
                cap = 0  # a fresh unbuffered field: even the first send has no receiver yet
            if cap is not None:
                out.append((text(keyed.named_children[0]), cap))
    return out


def _literal_cap(call: Node) -> int | None:
    if call.type != "call_expression" or text(call.child_by_field_name("function")) != "make":
        return None
    args = call.child_by_field_name("arguments")
    if args is None or args.named_child_count != 2 or args.named_children[0].type != "channel_type":
        return None
    cap = args.named_children[1]
    return (
        int(text(cap)) if cap.type == "int_literal" and text(cap).isdigit() and int(text(cap)) > 0 else None
    )


def _leading_sends(
    ctx: Context, file: GoFile, stmt: Node, var: str, fname: str, depth: int
) -> tuple[list[tuple[GoFile, Node]], bool]:
    """The sends on var(.fname) a statement makes before anything could receive, and whether the
    sequence stops here (a go statement, a receive, the channel handed on, a branch or loop)."""
    target = f"{var}.{fname}" if fname else var
    if stmt.type == "send_statement":
        if text(stmt.child_by_field_name("channel")) == target:
            return [(file, stmt)], False
        return [], True
    if stmt.type != "expression_statement" or stmt.named_child_count != 1:
        return [], True
    call = unparen(stmt.named_children[0])
    if call.type != "call_expression" or depth > 2:
        return [], True
    fn = unparen(call.child_by_field_name("function") or call)
    args = call.child_by_field_name("arguments")
    if args is not None and any(var in text(a) for a in args.named_children):
        return [], True  # handed on
    if fn.type != "selector_expression" or text(fn.child_by_field_name("operand")) != var:
        return ([], False) if var not in text(call) else ([], True)
    callee = ctx.resolver(file).called_function(call)
    if callee is None:
        return [], True
    cfile, cfunc = callee
    recv = _receiver_name(cfunc)
    body = cfunc.child_by_field_name("body")
    if not recv or body is None:
        return [], True
    out: list[tuple[GoFile, Node]] = []
    for inner in _statements_of(body):
        sends, stop = _leading_sends(ctx, cfile, inner, recv, fname, depth + 1)
        out.extend(sends)
        if stop:
            return out, True
    return out, False


def _receiver_name(method: Node) -> str:
    recv = method.child_by_field_name("receiver")
    for p in recv.named_children if recv is not None else []:
        names = p.children_by_field_name("name")
        if names:
            return text(names[0])
    return ""


def _statements_of(block: Node) -> list[Node]:
    out: list[Node] = []
    for c in block.named_children:
        if c.type == "statement_list":
            out.extend(c.named_children)
        else:
            out.append(c)
    return out


def _stoppable_loop_senders(ctx: Context, file: GoFile) -> Iterator[Report]:
    """A goroutine's plain send on a field channel whose only receivers are cases of a select in a loop
    that can leave on another case (an event loop with a stop signal): once that loop has stopped, the
    send blocks forever."""
    from leaktrail.rules.goroutines import goroutines
    from leaktrail.rules.objects import identity

    targets = {(id(g.body_file), g.func.start_byte) for g in goroutines(ctx)}
    if not any(fid == id(file) for fid, _ in targets):
        return  # no goroutine's body is in this file: it need not be parsed
    res = ctx.resolver(file)
    for chan in channel_captures(ctx, file, _SENDS):
        send = chan.parent
        sel = unparen(chan)
        func = enclosing_func(chan)
        if send is None or func is None or sel.type != "selector_expression" or not _alone_in_select(send):
            continue
        if (id(file), func.start_byte) not in targets or _in_loop(send, func):
            continue
        key = identity(res, sel)
        if key is None or key[0] != "field":
            continue
        found = _stoppable_receivers(ctx, key)
        if found is None:
            continue
        recv_file, recv, leave = found
        yield Report(
            file,
            send,
            f"goroutine sends on {text(sel)}, but its only receiver is a case of the select at "
            f"{recv_file.path.name}:{recv.start_point[0] + 1}, whose loop also leaves at line "
            f"{leave.start_point[0] + 1}: once that loop has stopped, this send blocks forever; select "
            f"on the same stop signal here too",
        )


def _stoppable_receivers(ctx: Context, key: tuple[object, ...]) -> tuple[GoFile, Node, Node] | None:
    """(file, the select, a statement leaving its loop) when every use of the field channel other than
    sends and unbuffered makes is a receive case of one such select; None otherwise."""
    from leaktrail.rules.objects import identity

    memo = ctx.shared.setdefault("crosscall:stoppable", {})
    assert isinstance(memo, dict)
    if key in memo:
        cached = memo[key]
        return cached if isinstance(cached, tuple) else None
    memo[key] = None
    if _positional_literal(ctx, str(key[1])):
        return None
    fname = str(key[2])
    found: tuple[GoFile, Node, Node] | None = None
    for f in selector_or_key_files(ctx, fname):  # (the files that may hold `x.fname` or `fname:`)
        res = ctx.resolver(f)
        for value in _keyed_values(f, fname, str(key[1])):
            if value is None or not _unbuffered_make(value):
                return None
        for ident in f.field_identifiers.get(fname, ()):
            sel = ident.parent
            if sel is None or sel.type != "selector_expression":
                continue
            parent = sel.parent
            if parent is not None and parent.type == "send_statement":
                continue  # a send, whoever's field it is: no type inference
            if identity(res, sel) != key:
                continue
            if parent is not None and parent.type == "unary_expression":
                case = parent.parent
                while case is not None and case.type not in ("communication_case", "block", *FUNC_NODES):
                    case = case.parent
                if case is None or case.type != "communication_case" or found is not None:
                    return None
                select = case.parent
                while select is not None and select.type != "select_statement":
                    select = select.parent
                leave = _other_case_leaves(select, case) if select is not None else None
                if select is None or leave is None:
                    return None
                found = (f, select, leave)
                continue
            value = _assigned_value(sel) if is_assign_target(sel, short=False) else None
            if value is not None and _unbuffered_make(value):
                continue
            return None
    memo[key] = found
    return found


def _unbuffered_make(value: Node) -> bool:
    v = unparen(value)
    if v.type != "call_expression" or text(v.child_by_field_name("function")) != "make":
        return False
    args = v.child_by_field_name("arguments")
    if args is None or not args.named_children or args.named_children[0].type != "channel_type":
        return False
    return args.named_child_count == 1 or text(args.named_children[1]) == "0"


def _other_case_leaves(select: Node, mine: Node) -> Node | None:
    """A return (or a break out of the loop) in another case of a select that sits in a for loop."""
    loop = select.parent
    while loop is not None and loop.type not in ("for_statement", *FUNC_NODES):
        loop = loop.parent
    if loop is None or loop.type != "for_statement":
        return None
    for case in captures("(communication_case) @c", select).get("c", []):
        if case == mine:
            continue
        p = case.parent
        while p is not None and p.type != "select_statement":
            p = p.parent
        if p != select:
            continue
        for stmt in captures("(return_statement) @r", case).get("r", []):
            if enclosing_func(stmt) == enclosing_func(select):
                return stmt
    return None


def _unsent_field_receives(ctx: Context, file: GoFile) -> Iterator[Report]:
    """A receive (anywhere, not only in a goroutine) from an unexported field channel — directly or
    through a getter `func (b *T) get() <-chan X { return b.c }` — that nothing in the package ever
    sends on, closes or hands on: it can never complete."""
    from leaktrail.rules.objects import identity

    if not file.parsed and not _may_receive_selector(ctx, file):
        return  # no receive here can be judged: the file need not be parsed
    res = ctx.resolver(file)
    for operand in channel_captures(ctx, file, _RECVS):
        recv = operand.parent
        if recv is None or not _alone_in_select(recv):
            continue
        expr = unparen(operand)
        shown = text(expr)
        if expr.type == "call_expression":
            got = _getter_field(ctx, file, expr)
            if got is None:
                continue
            gfile, field_sel = got
            key = identity(ctx.resolver(gfile), field_sel)
        elif expr.type == "selector_expression":
            if text(expr.child_by_field_name("field"))[:1].isupper():
                continue  # exported (what identity() would name it): skip the type inference
            key = identity(res, expr)
        else:
            continue
        if key is None or key[0] != "field" or str(key[2])[:1].isupper():
            continue
        memo = ctx.shared.setdefault("crosscall:unsent", {})
        assert isinstance(memo, dict)
        if key not in memo:
            memo[key] = _field_never_fed(ctx, key)
        if not memo[key]:
            continue
        yield Report(
            file,
            recv,
            f"receive from {shown} ({key[1]}.{key[2]}), but nothing in the package ever sends on that "
            f"channel, closes it or hands it on: this receive blocks forever; close it (or send) where "
            f"the wait should end",
        )


_RECV_OPERAND = re.compile(rb"[ \t]*([A-Za-z_][A-Za-z0-9_]*(?:[ \t]*\.[ \t]*[A-Za-z_][A-Za-z0-9_]*)*)?[ \t]*")
"""After `<-`: the names of a selector chain (`x.y.z`, spaces and tabs allowed), then spaces and tabs."""
_DOT_NEXT = re.compile(rb"\s*\.")
_UNARY_START = frozenset(b"*<&!^+-")
"""A `<-` operand starting with one of these is a unary expression (any other start that is no name
leaves it open: a parenthesized operand, a comment, a line break, a literal)."""


def _may_receive_selector(ctx: Context, file: GoFile) -> bool:
    """Some `<-` may receive from what _unsent_field_receives judges: an unexported field's selector,
    or a call of a method the package declares (a getter). A `<-` inside a comment or a raw string or
    rune literal after bytes that lex cleanly (GoFile.literals) is no operator of the tree: skipped."""
    data = file.data
    if unicode_spaced(data):
        return True
    at = data.find(b"<-")
    while at >= 0:
        if _may_receive_here(ctx, data, at + 2) and not file.literals.covers(at, at + 2):
            return True
        at = data.find(b"<-", at + 2)
    return False


def _may_receive_here(ctx: Context, data: bytes, at: int) -> bool:
    """Read from the bytes after one `<-`: True unless its operand is surely a plain name, a name's
    index, a call of a function or of a method the package does not declare, an exported field's
    selector, or starts with no name nor parenthesis."""
    m = _RECV_OPERAND.match(data, at)
    assert m is not None
    names = [n.strip() for n in m.group(1).split(b".")] if m.group(1) else []
    end = m.end()
    after = data[end : end + 1]
    if not names:
        return not after or after[0] not in _UNARY_START
    if after in (b"\n", b"\r", b""):
        if _DOT_NEXT.match(data, end) is not None:
            return True  # the operand goes on: `x\n.f`
    elif after in (b".", b"/", b"[") or after[0] >= 0x80:
        return True  # `x.(T)`, `x.` then a line break, a comment, an index, a non-ASCII name
    elif after == b"(":
        closed = code_to(data, end, b"")
        if closed is None:
            return True
        rest = _RECV_OPERAND.match(data, closed[1] + 1)
        assert rest is not None
        follows = data[rest.end() : rest.end() + 1]
        if rest.group(1) or follows in (b".", b"(", b"[", b"/") or _DOT_NEXT.match(data, closed[1] + 1):
            return True  # the call goes on (`f().c`, `f()()`) or cannot be read
        return len(names) > 1 and _declares_method(ctx, names[-1])
    return len(names) > 1 and not (names[-1][:1].isupper() and names[-1][:1].isascii())


def _declares_method(ctx: Context, name: bytes) -> bool:
    """The package may declare a method `name` (Package.declaring; memoised per package)."""
    memo = ctx.shared.setdefault("crosscall:declares-method", {})
    found = memo.get(name)
    if found is None:
        found = memo[name] = bool(ctx.pkg.declaring("method", name.decode()))
    return bool(found)


def _getter_field(ctx: Context, file: GoFile, call: Node) -> tuple[GoFile, Node] | None:
    """`b.get()` whose method body is `return b.c`: (its file, the `b.c` selector)."""
    callee = ctx.resolver(file).called_function(call)
    if callee is None or callee[1].type != "method_declaration":
        return None
    body = callee[1].child_by_field_name("body")
    stmts = _statements_of(body) if body is not None else []
    if len(stmts) != 1 or stmts[0].type != "return_statement" or stmts[0].named_child_count != 1:
        return None
    value = stmts[0].named_children[0]
    if value.type == "expression_list" and value.named_child_count == 1:
        value = value.named_children[0]
    value = unparen(value)
    operand = value.child_by_field_name("operand") if value.type == "selector_expression" else None
    if operand is None or text(operand) != _receiver_name(callee[1]):
        return None
    return callee[0], value


def _field_never_fed(ctx: Context, key: tuple[object, ...]) -> bool:
    """Every use of the field channel is a receive or an assignment of a fresh make (a getter's
    `return b.c` counts as a receive when all its calls are received from)."""
    from leaktrail.rules.objects import identity

    if _positional_literal(ctx, str(key[1])):
        return False
    fname = str(key[2])
    for f in selector_or_key_files(ctx, fname):  # (the files that may hold `x.fname` or `fname:`)
        res = ctx.resolver(f)
        for value in _keyed_values(f, fname, str(key[1])):
            if value is None or not text(unparen(value)).startswith("make(chan"):
                return False
        for ident in f.field_identifiers.get(fname, ()):
            sel = ident.parent
            if sel is None or sel.type != "selector_expression":
                continue
            parent = sel.parent
            if parent is not None and parent.type == "unary_expression":
                continue
            if parent is not None and parent.type == "range_clause":
                continue
            value = _assigned_value(sel) if is_assign_target(sel, short=False) else None
            if value is not None and text(unparen(value)).startswith("make(chan"):
                continue
            if identity(res, sel) != key:  # inferred only for a use that may feed the channel
                continue
            if _returned(sel) and _getter_only_received(ctx, f, sel):
                continue
            return False
    return True


def _getter_only_received(ctx: Context, file: GoFile, sel: Node) -> bool:
    from leaktrail.rules.interproc import callers

    method = enclosing_func(sel)
    if method is None or method.type != "method_declaration":
        return False
    calls = callers(ctx, file, method)
    return bool(calls) and all(
        call.parent is not None
        and call.parent.type == "unary_expression"
        and text(call.parent.child_by_field_name("operator")) == "<-"
        for _f, call in calls
    )


def _keyed_values(file: GoFile, fname: str, owner: str) -> Iterator[Node | None]:
    """The value of every `fname: v` element of a composite literal of type `owner` in the file (None
    when the element has no value node)."""
    for ident in file.identifiers.get(fname, ()):
        if ident.parent is None or ident.parent.type != "literal_element":
            continue
        if _literal_of_other_type(ident, owner):
            continue
        keyed = ident.parent.parent
        pair = keyed.named_children if keyed is not None else []
        yield pair[-1].named_children[0] if len(pair) > 1 and pair[-1].named_children else None


def _literal_of_other_type(ident: Node, owner: str) -> bool:
    """Not the key of `f: v` in a composite literal of type `owner`: a value, or another struct's f."""
    keyed = ident.parent.parent if ident.parent is not None else None
    if keyed is None or keyed.type != "keyed_element" or keyed.named_children[0] != ident.parent:
        return True
    body = keyed.parent if keyed is not None else None
    lit = body.parent if body is not None else None
    if lit is None or lit.type != "composite_literal":
        return False
    tnode = lit.child_by_field_name("type")
    return tnode is not None and text(tnode).lstrip("*&") != owner


_NAME_TAIL = frozenset(bytes([b]) for b in b"._0123456789" + bytes(range(65, 91)) + bytes(range(97, 123)))
"""The bytes `(?<![\\w.])` rejects before a match (\\w is ASCII in a bytes pattern)."""


def _positional_literal(ctx: Context, owner: str) -> bool:
    """The package builds an `owner` with an unkeyed composite literal (`&snapshot{tx, stopc, donec}`):
    any field may then hold a channel from anywhere, so none is known to be never fed or never read."""
    memo = ctx.shared.setdefault("crosscall:positional", {})
    assert isinstance(memo, dict)
    if owner in memo:
        return bool(memo.get(owner))
    found = False
    # The name itself leads the pattern (a leading look-behind made the engine try every byte); what
    # the look-behind `(?<![\w.])` excluded is skipped below.
    for f in ctx.pkg.files_containing(f"{owner}{{".encode()):
        # the literals' positions from the bytes, not a whole-tree query
        for start, end in _followed_by_bracket(owner.encode(), f.data):
            if f.data[start - 1 : start] in _NAME_TAIL:
                continue  # part of a longer name, or a selector's field
            lit: Node | None = f.root.descendant_for_byte_range(start, end)
            while lit is not None and lit.type != "composite_literal" and lit.start_byte == start:
                lit = lit.parent
            if lit is None or lit.type != "composite_literal":
                continue
            tnode = lit.child_by_field_name("type")
            name = text(tnode).lstrip("*&").split("[", 1)[0] if tnode is not None else ""
            if name != owner:
                continue
            body = lit.child_by_field_name("body")
            if body is not None and any(c.type == "literal_element" for c in body.named_children):
                found = True
                break
        if found:
            break
    memo[owner] = found
    return found


def _followed_by_bracket(name: bytes, data: bytes) -> Iterator[tuple[int, int]]:
    """The spans `re.finditer(re.escape(name) + rb"(?=[\\[{])", data)` finds, without compiling a pattern
    per name: a name holding no bracket cannot overlap a match, so every occurrence is tried."""
    if b"[" in name or b"{" in name:
        for m in re.finditer(re.escape(name) + rb"(?=[\[{])", data):
            yield m.start(), m.end()
        return
    n = len(name)
    at = data.find(name)
    while at >= 0:
        if data[at + n : at + n + 1] in (b"[", b"{"):
            yield at, at + n
        at = data.find(name, at + 1)


# -- GL004: a WaitGroup nothing ever counts down ----------------------------------------------------------
@extend("GL004", (b".Wait()",))
def wait_without_done(ctx: Context) -> Iterator[Report]:
    """
    ## Across the package: a WaitGroup field nothing ever counts down
    `s.wg.Wait()` on a struct field WaitGroup that the package `Add`s to but never calls `Done` on (nor
    `Add` with a negative count), and never hands to other code (`&s.wg`): once anything was added, the
    Wait blocks forever. Reported at the `Wait`.
    """
    from leaktrail.rules.objects import identity

    for file in ctx.files:
        res = ctx.resolver(file)
        for call, _m, _recv in wg_calls(ctx, file, file.root, ("Wait",)):
            fn = call.child_by_field_name("function")
            operand = fn.child_by_field_name("operand") if fn is not None else None
            key = identity(res, operand) if operand is not None else None
            if key is None or key[0] != "field":
                continue
            memo = ctx.shared.setdefault("crosscall:wg-uses", {})
            assert isinstance(memo, dict)
            if key not in memo:
                memo[key] = _never_done(ctx, key)
            add = memo[key]
            if not isinstance(add, tuple):
                continue
            afile, acall = add
            yield Report(
                file,
                call,
                f"{text(operand)}.Wait() waits for a counter that only goes up: {key[1]}.{key[2]} gets "
                f"Add at {afile.path.name}:{acall.start_point[0] + 1}, but nothing in the package ever "
                f"calls its Done: this Wait blocks forever; call {key[2]}.Done() when each counted task ends",
            )


def _never_done(ctx: Context, key: tuple[object, ...]) -> tuple[GoFile, Node] | None:
    """The first Add on the field WaitGroup when no Done (or negative Add) exists and it never escapes."""
    from leaktrail.rules.objects import identity

    fname = str(key[2])
    first: tuple[GoFile, Node] | None = None
    for f in ctx.pkg.files_containing(fname.encode()):
        res = ctx.resolver(f)
        for ident in f.field_identifiers.get(fname, ()):
            sel = ident.parent
            if sel is None or sel.type != "selector_expression" or identity(res, sel) != key:
                continue
            outer = sel.parent
            call = outer.parent if outer is not None else None
            if (
                outer is None
                or outer.type != "selector_expression"
                or call is None
                or call.type != "call_expression"
            ):
                return None  # handed on (&s.wg), copied, or a promoted method
            method = text(outer.child_by_field_name("field"))
            if method == "Done":
                return None
            if method == "Add":
                args = call.child_by_field_name("arguments")
                arg = text(args.named_children[0]) if args is not None and args.named_children else ""
                if arg.startswith("-") or not arg:
                    return None
                if first is None:
                    first = (f, call)
            elif method != "Wait":
                return None
    return first


def _aliased_own_defer(
    ctx: Context, file: GoFile, func: Node, defer: Node, chan: Node, uses: list[Node]
) -> Iterator[Report]:
    """`defer close(stop)`, `F(func(done <-chan T) … { got = done … }, stop)` where F calls its func
    parameter with its `stop` parameter, then `<-got`: got is stop, closed only by the defer."""
    res = ctx.resolver(file)
    passed: list[tuple[Node, int]] = []  # (call of F, index of chan among its arguments)
    for u in uses:
        parent = u.parent
        call = parent.parent if parent is not None and parent.type == "argument_list" else None
        if call is None or call.type != "call_expression" or enclosing_func(call) != func:
            return  # used some other way: too much to follow
        passed.append((call, parent.named_children.index(u) if parent is not None else -1))
    for call, k in passed:
        callee = res.called_function(call)
        args = call.child_by_field_name("arguments")
        if callee is None or args is None or b"close(" in (callee[1].text or b""):
            continue
        _cfile, cfunc = callee
        params = param_names(cfunc)
        if k >= len(params):
            continue
        for i, arg in enumerate(args.named_children):
            lit = unparen(arg)
            if lit.type != "func_literal" or i >= len(params) or b"close(" in (lit.text or b""):
                continue
            index = _passed_index(cfunc, params[i], params[k])
            lparams = param_names(lit)
            if index is None or index >= len(lparams):
                continue
            for target in _assigned_from(res, lit, lparams[index]):
                tdecl = res.decl_of(target)
                if tdecl is None or tdecl.func != func:
                    continue
                for ref in res.references(tdecl):
                    op = _op_of(ref)
                    if op is None or op[0] != "recv" or enclosing_func(ref) != func:
                        continue
                    if ref.start_byte < call.end_byte or not _alone_in_select(op[1]):
                        continue
                    yield Report(
                        file,
                        op[1],
                        f"receive from {text(ref)}, which is {text(chan)} (passed to "
                        f"{text(call.child_by_field_name('function'))}, handed back to the func literal "
                        f"that stores it in {text(ref)}), and only this function's own defer closes "
                        f"{text(chan)} (line {defer.start_point[0] + 1}): it waits for its own return and "
                        f"blocks forever; close it before waiting, or do not wait",
                    )
                    return


def _passed_index(func: Node, fparam: str, value: str) -> int | None:
    """In `func`, a call `fparam(…, value, …)`: the index of `value` among its arguments."""
    for call in captures("(call_expression) @c", func).get("c", []):
        if text(call.child_by_field_name("function")) != fparam:
            continue
        args = call.child_by_field_name("arguments")
        for i, a in enumerate(args.named_children if args is not None else []):
            if text(a) == value:
                return i
    return None


def _assigned_from(res: Resolver, lit: Node, pname: str) -> list[Node]:
    """Identifiers `x` of `x = pname` statements inside the literal."""
    out: list[Node] = []
    for stmt in captures("(assignment_statement) @a", lit).get("a", []):
        left, right = stmt.child_by_field_name("left"), stmt.child_by_field_name("right")
        if left is None or right is None or left.named_child_count != 1 or right.named_child_count != 1:
            continue
        if text(right.named_children[0]) == pname and left.named_children[0].type == "identifier":
            out.append(left.named_children[0])
    return out
