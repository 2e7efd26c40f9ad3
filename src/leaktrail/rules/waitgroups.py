"""sync.WaitGroup misuse that leaves Wait returning early or blocking forever (GL003, GL004)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from leaktrail.model import Severity
from leaktrail.rules import rule
from leaktrail.rules.base import Context, Report
from leaktrail.rules.crossctx import call_facts, nil_guard
from leaktrail.rules.goroutines import Goroutine, go_statements_in, goroutines, same_function
from leaktrail.source.cfg import covers_any
from leaktrail.source.package import GoFile
from leaktrail.source.parse import _INDEXES as _parse_indexes
from leaktrail.source.parse import Node, captures, enclosing, line_of, text, unparen
from leaktrail.source.resolve import Resolver, enclosing_func

_CALLS = "(call_expression function: (selector_expression field: (field_identifier) @m)) @c"


_WG_METHODS = ("Add", "Done", "Wait", "Go")
_WG_NAMES = frozenset(m.encode() for m in _WG_METHODS)
_WG_WORD = re.compile(rb"(?:Add|Done|Wait|Go)\b")


def wg_calls(
    ctx: Context, file: GoFile, scope: Node, methods: tuple[str, ...]
) -> list[tuple[Node, str, str]]:
    """(call, method, receiver text) for WaitGroup method calls inside `scope`."""
    if not all(m in _WG_METHODS for m in methods):
        return _wg_calls(ctx, file, scope, methods)
    starts, calls, resolved = _file_wg_calls(ctx, file)
    lo, hi = scope.start_byte, scope.end_byte
    out: list[tuple[Node, str, str]] = []
    for i in range(bisect.bisect_left(starts, lo), bisect.bisect_right(starts, hi)):
        call, name = calls[i]
        if name not in methods or call.end_byte > hi:
            continue
        if i in resolved:
            found = resolved[i]
        else:
            on_wg = ctx.resolver(file).method_call_on(call, "sync", "WaitGroup", (name,)) is not None
            found = resolved[i] = (call, name, receiver_text(call)) if on_wg else None
        if found is not None:
            out.append(found)
    return out


def _file_wg_calls(
    ctx: Context, file: GoFile
) -> tuple[list[int], list[tuple[Node, str]], dict[int, tuple[Node, str, str] | None]]:
    """The file's calls `x.Add(…)`, `x.Done()`, `x.Wait()`, `x.Go(…)` in document order, each resolved
    (is x a WaitGroup?) at most once: the rules ask again for each goroutine body and each enclosing
    function, thousands of overlapping scopes in the stdlib."""
    key = f"waitgroups:calls:{id(file)}"
    got = ctx.shared.get(key)
    if got is None:
        data = file.data
        calls: list[tuple[Node, str]] = []
        root = file.root
        if root.has_error or root in _parse_indexes:
            for m in captures(_CALLS, root).get("m", []):
                start, end = m.start_byte, m.end_byte
                if end - start <= 4 and data[start:end] in _WG_NAMES:
                    call = m.parent.parent if m.parent is not None else None
                    if call is not None:
                        calls.append((call, data[start:end].decode()))
        else:
            # The file's query index is not built (a walk of the whole tree): the same calls from the
            # names' tokens in the bytes, each checked for the pattern's shape.
            for w in _WG_WORD.finditer(data):
                start, end = w.span()
                token = root.descendant_for_byte_range(start, end)
                if token is None or token.type != "field_identifier" or token.byte_range != (start, end):
                    continue
                sel = token.parent
                if (
                    sel is None
                    or sel.type != "selector_expression"
                    or sel.child_by_field_name("field") != token
                ):
                    continue
                call = sel.parent
                if call is None or call.type != "call_expression":
                    continue
                if call.child_by_field_name("function") == sel:
                    calls.append((call, data[start:end].decode()))
        calls.sort(key=lambda t: (t[0].start_byte, -t[0].end_byte))  # document order, as captures gives
        got = ctx.shared[key] = ([c.start_byte for c, _m in calls], calls, {})
    assert isinstance(got, tuple)
    return got


def _wg_calls(
    ctx: Context, file: GoFile, scope: Node, methods: tuple[str, ...]
) -> list[tuple[Node, str, str]]:
    res = ctx.resolver(file)
    out: list[tuple[Node, str, str]] = []
    for call in captures(_CALLS, scope).get("c", []):
        method = res.method_call_on(call, "sync", "WaitGroup", methods)
        if method is not None:
            out.append((call, method, receiver_text(call)))
    out.sort(key=lambda t: t[0].start_byte)
    return out


def receiver_text(call: Node) -> str:
    fn = call.child_by_field_name("function")
    operand = fn.child_by_field_name("operand") if fn is not None else None
    if operand is None:
        return ""
    operand = unparen(operand)
    while operand.type == "unary_expression" and text(operand.child_by_field_name("operator")) in ("&", "*"):
        inner = operand.child_by_field_name("operand")
        if inner is None:
            break
        operand = unparen(inner)
    return text(operand)


def _root_ident(expr: Node) -> Node | None:
    while expr.type in (
        "selector_expression",
        "unary_expression",
        "parenthesized_expression",
        "index_expression",
    ):
        nxt = expr.child_by_field_name("operand") or (expr.named_children[0] if expr.named_children else None)
        if nxt is None:
            return None
        expr = nxt
    return expr if expr.type == "identifier" else None


def _declared_inside(res: Resolver, call: Node, func: Node) -> bool:
    """The WaitGroup is the goroutine's own variable (it counts the goroutines this one starts)."""
    fn = call.child_by_field_name("function")
    operand = fn.child_by_field_name("operand") if fn is not None else None
    root = _root_ident(operand) if operand is not None else None
    if root is None:
        return False
    decl = res.decl_of(root)
    return (
        decl is not None
        and decl.kind in ("var", "short")
        and func.start_byte <= decl.ident.start_byte < func.end_byte
    )


def _top_statements(body: Node) -> list[Node]:
    for c in body.named_children:
        if c.type == "statement_list":
            return list(c.named_children)
    return []


def _is_add_statement(stmt: Node) -> bool:
    """`x.Add(…)` as a statement: the shape a wg_calls Add call has (before asking x's type)."""
    if stmt.type != "expression_statement" or not stmt.named_children:
        return False
    call = stmt.named_children[0]
    fn = call.child_by_field_name("function") if call.type == "call_expression" else None
    return (
        fn is not None and fn.type == "selector_expression" and text(fn.child_by_field_name("field")) == "Add"
    )


def _unique_targets(ctx: Context) -> Iterator[Goroutine]:
    seen: set[tuple[int, int]] = set()
    for g in goroutines(ctx):
        key = (id(g.body_file), g.func.start_byte)
        if key not in seen and g.body is not None:
            seen.add(key)
            yield g


@rule(
    "GL003",
    "waitgroup-add-in-goroutine",
    Severity.ERROR,
    "wg.Add inside the goroutine it counts: Wait can return before the goroutine is counted",
    prefilter=(b".Add(",),
    package_needs=(b"WaitGroup",),
)
def waitgroup_add_in_goroutine(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags `wg.Add(n)` called by the goroutine that the WaitGroup is meant to count: inside a
    `go func() { … }()` literal, or at the top of a function or method started with `go`, when the same
    goroutine later calls `wg.Done()`.

    ## Why is this bad?
    The `go` statement only schedules the goroutine. The caller can reach `wg.Wait()` before the new
    goroutine has run its `Add`, so `Wait` sees a zero counter and returns while work is still running
    (results are lost, or the program exits under it). If `Add` runs after `Wait` has returned and the
    WaitGroup is reused, `Wait` can also panic or block. go vet does not catch it; staticcheck's SA2000
    catches only the literal form.

    ## Example
    ```go
    for _, job := range jobs {
        go func() {
            wg.Add(1) // too late: Wait may already have returned
            defer wg.Done()
            process(job)
        }()
    }
    wg.Wait()
    ```

    ## Use instead
    ```go
    for _, job := range jobs {
        wg.Add(1)
        go func() {
            defer wg.Done()
            process(job)
        }()
    }
    wg.Wait()
    ```
    (or, from Go 1.25, `wg.Go(func() { process(job) })`).

    ## When it stays silent
    An `Add` that precedes a nested `go` statement in the same body (the goroutine counts the goroutines
    *it* starts), a WaitGroup declared inside the goroutine itself, an `Add` followed by a handshake the
    parent waits for between the `go` and `Wait` (`close(started)`, `ready <- true`, `other.Done()`
    after the Add; `<-started`, `other.Wait()` before `wg.Wait()`), an `Add` nested in a branch, and any
    receiver whose type is not `sync.WaitGroup` (resolved from declarations, not from the name `wg`).

    ## Suppress
    `//leaktrail:ignore GL003 reason` on the line or the line above, or `//nolint:leaktrail`.
    """
    for g in _unique_targets(ctx):
        body = g.body
        assert body is not None
        if not any(_is_add_statement(stmt) for stmt in _top_statements(body)):
            continue  # no `x.Add(…)` statement of its own: nothing below can match (no types resolved)
        res = ctx.resolver(g.body_file)
        calls = wg_calls(ctx, g.body_file, body, ("Add", "Done"))
        if not calls:
            continue
        nested_go = go_statements_in(ctx, g.body_file, body)
        for stmt in _top_statements(body):
            if stmt.type != "expression_statement" or not stmt.named_children:
                continue
            call = stmt.named_children[0]
            match = next((c for c in calls if c[0] == call and c[1] == "Add"), None)
            if match is None:
                continue
            recv = match[2]
            if not any(m == "Done" and r == recv for _, m, r in calls):
                continue
            if any(n.start_byte > call.end_byte for n in nested_go):
                continue
            if _declared_inside(res, call, g.func):
                continue
            if _ordered_by_handshake(ctx, g, body, stmt, recv):
                continue
            where = "function started with go" if g.named else "goroutine"
            yield Report(
                g.body_file,
                call,
                f"{recv}.Add is called inside the {where} it counts: {recv}.Wait() can return "
                f"before this runs; call {recv}.Add before the go statement",
            )


def _ordered_by_handshake(ctx: Context, g: Goroutine, body: Node, add_stmt: Node, recv: str) -> bool:
    """After its Add the goroutine signals (close(c), c <- v, other.Done()) and the parent waits for that
    signal (<-c, other.Wait()) between the `go` and every recv.Wait(): the Add happens before Wait."""
    if g.named:
        return False  # the names in the goroutine and in its parent need not match
    signals: set[str] = set()
    for stmt in _top_statements(body):
        if stmt.start_byte <= add_stmt.start_byte:
            continue
        if stmt.type == "send_statement":
            signals.add("<-" + text(stmt.child_by_field_name("channel")))
        elif stmt.type == "expression_statement" and stmt.named_children:
            call = stmt.named_children[0]
            fn = call.child_by_field_name("function") if call.type == "call_expression" else None
            args = call.child_by_field_name("arguments") if fn is not None else None
            if fn is not None and text(fn) == "close" and args is not None and args.named_child_count == 1:
                signals.add("<-" + text(args.named_children[0]))
    for _, _, other in wg_calls(ctx, g.body_file, body, ("Done",)):
        if other != recv:
            signals.add(other + ".Wait")
    parent = enclosing_func(g.stmt)
    if not signals or parent is None:
        return False
    waits = [
        c for c, _, r in wg_calls(ctx, g.file, parent, ("Wait",)) if r == recv and same_function(c, parent)
    ]
    waits = [w for w in waits if w.start_byte > g.stmt.end_byte]
    if not waits:
        return False
    handshakes: list[Node] = []
    for recv_expr in captures('(unary_expression operator: "<-") @r', parent).get("r", []):
        if (
            same_function(recv_expr, parent)
            and "<-" + text(recv_expr.child_by_field_name("operand")) in signals
        ):
            handshakes.append(recv_expr)
    for call, _, other in wg_calls(ctx, g.file, parent, ("Wait",)):
        if other + ".Wait" in signals and same_function(call, parent):
            handshakes.append(call)
    return all(any(g.stmt.end_byte <= h.start_byte < w.start_byte for h in handshakes) for w in waits)


@rule(
    "GL004",
    "waitgroup-done-missed",
    Severity.ERROR,
    "a path leaves a counted goroutine without wg.Done: Wait blocks forever",
    prefilter=(b".Done()", b"WaitGroup"),
    package_needs=(b"WaitGroup",),
)
def waitgroup_done_missed(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags the exit statements (`return`, `continue`/`break` out of a per-item loop, `runtime.Goexit()`,
    `t.FailNow()`/`t.Fatal()` and the end of the function) through which a goroutine counted by a
    `sync.WaitGroup` leaves without calling `wg.Done()`, when the goroutine calls `Done` without `defer`,
    or returns before its `defer wg.Done()` is registered. A helper handed the WaitGroup (`finish(&wg)`,
    `pool.Release(&wg)` in another package of the module) that calls `Done` on every path counts as the
    goroutine's `Done`.

    ## Why is this bad?
    Every `Add` must be matched by a `Done`. A path that skips it leaves the counter above zero forever:
    `wg.Wait()` never returns, and the goroutine that waits (often a request handler or `main`'s shutdown)
    leaks with everything it holds. In a goroutine dump it shows as `[sync.WaitGroup.Wait]` (or
    `[semacquire]` on older Go) for as long as the process lives.

    ## Example
    ```go
    go func() {
        res, err := fetch(url)
        if err != nil {
            return // wg.Done never runs
        }
        results <- res
        wg.Done()
    }()
    ```

    ## Use instead
    ```go
    go func() {
        defer wg.Done()
        res, err := fetch(url)
        if err != nil {
            return
        }
        results <- res
    }()
    ```

    ## When it stays silent
    `defer wg.Done()` (or a deferred closure that calls it) registered before any path can leave
    (`if wg != nil { defer wg.Done() }` included: a nil WaitGroup counts nothing), `Done` reached on
    every path, paths that end the process (`panic`, `os.Exit`, `log.Fatal`), loops without a per-item
    structure (`for { select … }`), and receivers that are not a `sync.WaitGroup`. A goroutine owes a
    Done only for an Add its parent made before the `go`: when it adds for its own work, only the paths
    after its Add count, and that Add is also balanced by a goroutine it starts that calls Done, or by
    `if !start() { wg.Done() }` (the starter keeps the count when it succeeds).

    ## Suppress
    `//leaktrail:ignore GL004 reason` on the exit line or the line above, or `//nolint:leaktrail`.
    """
    for g in _unique_targets(ctx):
        body = g.body
        assert body is not None
        calls = wg_calls(ctx, g.body_file, body, ("Done",))
        if not calls and _parent_adds_before(ctx, g):
            calls = _done_by_helper(ctx, g.body_file, body)  # its Done made one call away
        if not calls:
            continue
        by_recv: dict[str, list[Node]] = {}
        deferred: set[str] = set()
        defers: dict[str, list[Node]] = {}
        for call, _, recv in calls:
            defer = enclosing(call, "defer_statement")
            if defer is not None and defer.start_byte > g.func.start_byte:
                deferred.add(recv)
                if same_function(defer, g.func):
                    defers.setdefault(recv, []).append(defer)
            elif same_function(call, g.func):
                by_recv.setdefault(recv, []).append(call)
        owed = _parent_adds_before(ctx, g)
        if owed:
            yield from _before_deferred_done(ctx, g, body, defers, by_recv)
        for recv, dones in by_recv.items():
            if recv in deferred:
                continue
            own_adds = [
                c
                for c, _, r in wg_calls(ctx, g.body_file, body, ("Add",))
                if r == recv and same_function(c, g.func)
            ]
            if own_adds and not owed:
                yield from _own_adds_unbalanced(ctx, g, body, recv, dones, own_adds)
                continue
            loops = {_innermost_loop(d, g.func) for d in dones}
            if len(loops) != 1:
                continue
            loop = loops.pop()
            if loop is None:
                graph = ctx.cfg(g.body_file, body)
            else:
                if not _per_item_loop(loop) or not all(_top_level_in(d, loop) for d in dones):
                    continue  # a conditional Done in a loop is not one Done per item
                loop_body = loop.child_by_field_name("body")
                if loop_body is None:
                    continue
                graph = ctx.cfg(g.body_file, loop_body, loop_body=True)
            helpers = _helper_calls(ctx, g.body_file, body, recv) + _hand_offs(ctx, g, body, recv)
            for exit_ in graph.exits_without(None, covers_any(dones + helpers)):
                if exit_.kind == "abort":
                    continue
                yield Report(g.body_file, exit_.node, _done_message(exit_.kind, recv, line_of(dones[0])))


def _before_deferred_done(
    ctx: Context, g: Goroutine, body: Node, defers: dict[str, list[Node]], by_recv: dict[str, list[Node]]
) -> Iterator[Report]:
    """A goroutine that owes a Done and defers it, but can leave before that `defer` statement runs:
    the deferred call is never registered on that path."""
    parent = enclosing_func(g.stmt) if not g.named else None
    for recv, stmts in defers.items():
        if any(
            r == recv and same_function(c, g.func) for c, _, r in wg_calls(ctx, g.body_file, body, ("Add",))
        ):
            continue  # it counts its own work: the paths before its Add owe nothing
        if parent is not None and not any(
            r == recv and same_function(c, parent) for c, _, r in wg_calls(ctx, g.file, parent, ("Add",))
        ):
            continue  # the function starting this literal never adds to this WaitGroup
        graph = ctx.cfg(g.body_file, body)
        hits = [nil_guard(d, recv, g.func) or d for d in stmts]
        hits += by_recv.get(recv, []) + _helper_calls(ctx, g.body_file, body, recv)
        hits += _hand_offs(ctx, g, body, recv)
        for exit_ in graph.exits_without(None, covers_any(hits)):
            if exit_.kind == "abort":
                continue
            what = _EXIT_WORDS.get(exit_.kind, "this path leaves the goroutine")
            yield Report(
                g.body_file,
                exit_.node,
                f"{what} before `defer {recv}.Done()` (line {line_of(stmts[0])}) is registered: the "
                f"goroutine's count is never taken off and {recv}.Wait() blocks forever; defer "
                f"{recv}.Done() first thing in the goroutine",
            )


def _parent_adds_before(ctx: Context, g: Goroutine) -> bool:
    """Did a function that starts this goroutine call some WaitGroup's Add before its `go`? Only then
    does the goroutine owe a Done from its first statement on. (Once per goroutine function.)"""
    return ctx.per_function("waitgroups:parent-adds", g.body_file, g.func, lambda: _parent_adds(ctx, g))


def _started_by(ctx: Context) -> dict[tuple[int, int], list[Goroutine]]:
    """The package's goroutines by the function they run, each list in goroutines() order."""
    found = ctx.shared.get("waitgroups:started-by")
    if found is None:
        found = {}
        for other in goroutines(ctx):
            found.setdefault((id(other.body_file), other.func.start_byte), []).append(other)
        ctx.shared["waitgroups:started-by"] = found
    assert isinstance(found, dict)
    return found


def _parent_adds(ctx: Context, g: Goroutine) -> bool:
    for other in _started_by(ctx).get((id(g.body_file), g.func.start_byte), []):
        parent = enclosing_func(other.stmt)
        if parent is None:
            return True  # started from package level: cannot tell, assume it owes
        for call, _, _ in wg_calls(ctx, other.file, parent, ("Add",)):
            if call.start_byte < other.stmt.start_byte and same_function(call, parent):
                return True
            if _innermost_loop(other.stmt, parent) is not None and same_function(call, parent):
                loop = _innermost_loop(other.stmt, parent)
                if loop is not None and loop.start_byte <= call.start_byte < loop.end_byte:
                    return True  # an Add later in the loop body precedes the next iteration's go
    return False


def _hand_offs(ctx: Context, g: Goroutine, body: Node, recv: str) -> list[Node]:
    """Where the goroutine passes a count on instead of calling Done: a `go` statement whose goroutine
    calls recv.Done, and `if !start() { recv.Done() }` (the starter keeps the count when it succeeds)."""
    out: list[Node] = []
    for stmt in go_statements_in(ctx, g.body_file, body):
        if any(r == recv for _, _, r in wg_calls(ctx, g.body_file, stmt, ("Done",))):
            out.append(stmt)
    for ifstmt in captures("(if_statement) @i", body).get("i", []):
        cond = ifstmt.child_by_field_name("condition")
        then = ifstmt.child_by_field_name("consequence")
        if cond is None or then is None or not captures("(call_expression) @c", cond).get("c"):
            continue
        if any(
            r == recv and same_function(c, g.func) for c, _, r in wg_calls(ctx, g.body_file, then, ("Done",))
        ):
            out.append(cond)
    return out


def _own_adds_unbalanced(
    ctx: Context, g: Goroutine, body: Node, recv: str, dones: list[Node], adds: list[Node]
) -> Iterator[Report]:
    """A goroutine that owes its parent nothing and counts its own work: each of its Adds must be
    balanced (a Done, a hand-off) on every path from the Add; paths before any Add owe nothing."""
    graph = ctx.cfg(g.body_file, body)
    hit = covers_any(dones + _helper_calls(ctx, g.body_file, body, recv) + _hand_offs(ctx, g, body, recv))
    seen: set[int] = set()
    for add in adds:
        stmt = add.parent if add.parent is not None and add.parent.type == "expression_statement" else add
        for exit_ in graph.exits_without(stmt, hit):
            if exit_.kind == "abort" or exit_.node.start_byte in seen:
                continue
            seen.add(exit_.node.start_byte)
            what = _EXIT_WORDS.get(exit_.kind, "this path leaves the goroutine")
            yield Report(
                g.body_file,
                exit_.node,
                f"{what} without calling {recv}.Done() for the goroutine's own {recv}.Add at line "
                f"{line_of(add)}: {recv}.Wait() blocks forever; call {recv}.Done() on this path too",
            )


def _done_by_helper(ctx: Context, file: GoFile, body: Node) -> list[tuple[Node, str, str]]:
    """(call, "Done", WaitGroup) for calls handing a WaitGroup (`&wg`, a *sync.WaitGroup) to a function
    (this package or another of the module) that calls its Done on every path: such a call is the
    goroutine's Done, made one call away."""
    if b"&" not in (body.text or b"") and b"WaitGroup" not in (body.text or b""):
        return []
    res = ctx.resolver(file)
    out: list[tuple[Node, str, str]] = []
    for call in captures("(call_expression arguments: (argument_list)) @c", body).get("c", []):
        args = call.child_by_field_name("arguments")
        for arg in args.named_children if args is not None else []:
            t = res.infer(unparen(arg))
            t = t.deref() if t is not None else None
            if t is None or t.kind != "named" or t.pkg != "sync" or t.name != "WaitGroup":
                continue
            name = text(unparen(arg)).lstrip("&")
            if call_facts(ctx, file, call, name).done_always:
                out.append((call, "Done", name))
    out.sort(key=lambda t: t[0].start_byte)
    return out


def _helper_calls(ctx: Context, file: GoFile, body: Node, recv: str) -> list[Node]:
    """Calls that hand the WaitGroup to a same-package function which calls Done on it (one level)."""
    res = ctx.resolver(file)
    out: list[Node] = []
    for call in captures("(call_expression arguments: (argument_list)) @c", body).get("c", []):
        args = call.child_by_field_name("arguments")
        if args is None or not any(text(a).lstrip("&") == recv for a in args.named_children):
            continue
        target = res.called_function(call)
        if target is None:
            if call_facts(ctx, file, call, recv).done:  # a helper in another package of the module
                out.append(call)
            continue
        tbody = target[1].child_by_field_name("body")
        if tbody is not None and wg_calls(ctx, target[0], tbody, ("Done",)):
            out.append(call)
    return out


_EXIT_WORDS = {
    "return": "this return leaves the goroutine",
    "end": "the goroutine can reach its end",
    "goexit": "this call ends the goroutine",
    "continue": "this continue moves to the next item",
    "break": "this break leaves the loop",
    "next": "this iteration can finish",
}


def _done_message(kind: str, recv: str, done_line: int) -> str:
    what = _EXIT_WORDS.get(kind, "this path leaves the goroutine")
    return (
        f"{what} without calling {recv}.Done() (line {done_line}): {recv}.Wait() blocks forever; "
        f"use defer {recv}.Done()"
    )


def _innermost_loop(node: Node, func: Node) -> Node | None:
    p = node.parent
    while p is not None and p != func:
        if p.type == "for_statement":
            return p
        if p.type == "func_literal":
            return None
        p = p.parent
    return None


def _top_level_in(call: Node, loop: Node) -> bool:
    stmt = call.parent
    body = loop.child_by_field_name("body")
    return stmt is not None and stmt.parent is not None and body is not None and stmt.parent.parent == body


def _per_item_loop(loop: Node) -> bool:
    """Only loops over items (range or three-clause) count one Done per iteration."""
    return any(c.type in ("range_clause", "for_clause") for c in loop.named_children)
