"""Leak shapes whose two sides sit in different functions, added to the rules they belong to
(`rules.extend`): the partner hides behind a call, a returned channel, a struct field or a callback.

Each check's docstring is appended to its rule's documentation."""

from __future__ import annotations

from collections.abc import Iterator

import leaktrail.rules.waitgroups  # noqa: F401  (registers GL003/GL004 before they are extended)
from leaktrail.rules import extend
from leaktrail.rules.base import Context, Report
from leaktrail.rules.waitgroups import wg_calls
from leaktrail.source.cfg import covers_any
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, captures, text, unparen
from leaktrail.source.resolve import FUNC_NODES, enclosing_func

_LOOPS = "(for_statement) @l"


# -- GL004: Add(len(xs)) and a loop that skips elements ------------------------------------------------
@extend("GL004", (b".Add(len(", b".Add(n"))
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
    Silent when the skipping path calls `Done` itself, or when the goroutine's `Done` is not the one
    counted.
    """
    for file in ctx.files:
        for call, _method, recv in wg_calls(ctx, file, file.root, ("Add",)):
            found = _counted_loop(call)
            if found is None:
                continue
            loop, counted = found
            body = loop.child_by_field_name("body")
            func = enclosing_func(call)
            if body is None or func is None:
                continue
            starts = [
                g
                for g in ctx.query(file, "(go_statement) @g").get("g", [])
                if _directly_in(g, body) and _calls_done(ctx, file, g, recv)
            ]
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
            for ex in graph.exits_without(None, hits):
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
    elif arg.type != "identifier":
        return None
    stmt = add.parent
    if stmt is None or stmt.type != "expression_statement":
        return None
    nxt = stmt.next_named_sibling
    while nxt is not None and nxt.type != "for_statement":
        if nxt.type in ("return_statement", "go_statement") or counted.encode() in (nxt.text or b""):
            return None
        nxt = nxt.next_named_sibling
    if nxt is None:
        return None
    header = b"".join(c.text or b"" for c in nxt.named_children if c.type != "block")
    clause = next((c for c in nxt.named_children if c.type == "range_clause"), None)
    if over is not None:
        if clause is None or text(clause.child_by_field_name("right")) != over:
            return None
    elif counted.encode() not in header:
        return None
    return nxt, counted


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
    if any(r == recv for _c, _m, r in wg_calls(ctx, file, go, ("Done",))):
        return True
    return recv.encode() in (go.text or b"") and b"Done" in (go.text or b"")


def _waits_after(ctx: Context, file: GoFile, func: Node, loop: Node, recv: str) -> tuple[bool, bool]:
    """(a Wait on recv follows the loop in the function, one runs even on return: deferred or elsewhere)."""
    body = func.child_by_field_name("body")
    after = deferred = False
    for c, _m, r in wg_calls(ctx, file, body, ("Wait",)) if body is not None else []:
        if r != recv or enclosing_func(c) != func:
            continue
        if c.start_byte > loop.end_byte:
            after = True
        p = c.parent
        while p is not None and p != func:
            if p.type == "defer_statement":
                deferred = True
            p = p.parent
    root = recv.split(".", 1)[0]
    local = any(
        text(n) == root
        for d in captures("[(short_var_declaration) (var_spec)] @d", func).get("d", [])
        for n in (d.child_by_field_name("left") or d).named_children
    )
    return after or not local, deferred or not local
