"""Contexts whose cancel function is lost (GL002)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from leaktrail.model import Severity
from leaktrail.rules import rule
from leaktrail.rules.base import Context, Report
from leaktrail.source.cfg import covers_any
from leaktrail.source.package import GoFile
from leaktrail.source.parse import (
    Node,
    assignment_targets,
    in_defer,
    is_assign_target,
    line_of,
    text,
    unparen,
)
from leaktrail.source.resolve import Resolver, enclosing_func

WITH_CANCEL = frozenset(
    {
        "context.WithCancel",
        "context.WithTimeout",
        "context.WithDeadline",
        "context.WithCancelCause",
        "context.WithTimeoutCause",
        "context.WithDeadlineCause",
    }
)


_WITH_NAME = re.compile(rb"With(?:Cancel|Timeout|Deadline)(?:Cause)?(?!\w)")  # a literal start: C speed


def with_cancel_calls(ctx: Context, file: GoFile) -> list[tuple[Node, str]]:
    """The context.With… calls that return a cancel func, once per file (GL002 and the parked-cancel
    checks ask it for the same files)."""
    key = f"contexts:with-cancel:{id(file)}"
    found = ctx.shared.get(key)
    if found is None:
        found = ctx.shared[key] = _with_cancel_calls(ctx, file)
    assert isinstance(found, list)
    return found


def _with_cancel_calls(ctx: Context, file: GoFile) -> list[tuple[Node, str]]:
    # The function's last name is one of WITH_CANCEL's: found in the bytes, the call node is reached
    # from that name, not by walking every call of the file (and a file never naming one is not parsed).
    data = file.data
    spots = [m.span() for m in _WITH_NAME.finditer(data)]
    if not spots:
        return []
    res = ctx.resolver(file)
    root = file.root
    out: list[tuple[Node, str]] = []
    for start, end in spots:
        if start and (data[start - 1 : start].isalnum() or data[start - 1] == 0x5F):
            continue  # inside a longer name (the node test below would drop it too)
        name = root.descendant_for_byte_range(start, end)
        if name is None or name.start_byte != start or name.end_byte != end:
            continue
        fn = name.parent
        if fn is not None and name.type == "field_identifier" and fn.type == "selector_expression":
            if fn.child_by_field_name("field") != name:
                continue
        elif name.type == "identifier":
            fn = name
        else:
            continue
        call = fn.parent
        if call is None or call.type != "call_expression" or call.child_by_field_name("function") != fn:
            continue
        if not text(fn).rsplit(".", 1)[-1].startswith("With"):
            continue
        q = res.qualified_call(call)
        if q in WITH_CANCEL:
            out.append((call, q.removeprefix("context.")))
    return out


@rule(
    "GL002",
    "lost-cancel",
    Severity.ERROR,
    "the cancel function of context.WithCancel/WithTimeout/WithDeadline is not called on every path",
    prefilter=(b"WithCancel", b"WithTimeout", b"WithDeadline"),
)
def lost_cancel(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags `context.WithCancel`, `WithTimeout`, `WithDeadline` (and their `…Cause` variants) whose cancel
    function is discarded (`_`), never used, or not used on some path to a return — the check go vet's
    lostcancel makes — and, beyond vet, a cancel stored straight into a struct field
    (`ctx, s.cancel = context.WithCancel(…)`) that no code in the package ever calls, passes or returns.

    ## Why is this bad?
    Until cancel is called, the derived context stays registered with its parent (and a `WithTimeout`
    context keeps its timer) — and every goroutine that waits on `ctx.Done()` stays blocked. In a
    goroutine dump these goroutines sit in `[select]` or `[chan receive]` on the context's done channel;
    memory grows with each call.

    ## Example
    ```go
    func fetchWithTimeout() {
        ctx, _ := context.WithTimeout(context.Background(), 5*time.Second)
        go apiCall(ctx)
    }
    ```

    ## Use instead
    ```go
    func fetchWithTimeout() {
        ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
        defer cancel()
        go apiCall(ctx)
    }
    ```

    ## When it stays silent
    Calling, deferring, storing, returning or passing the cancel function all count as using it (the
    new owner is then responsible). A cancel referenced in any deferred closure counts on every path (vet
    reports a false positive there). Paths that end the process (`panic`, `os.Exit`, `log.Fatal`) are not
    returns. A cancel variable declared outside the function (captured by a closure, or package level)
    is left alone.

    ## Severity
    `error`; `info` when the context is a child of `Background`/`TODO` (directly or through `WithValue`)
    that nothing used on the path that drops cancel: it is registered nowhere and nothing waits on it.
    When cancel is also stored, returned or passed on, the message says to call it on the leaking path:
    a deferred cancel would cancel the context its new owner keeps.

    ## Suppress
    `//leaktrail:ignore GL002 reason` on the `context.With…` line or the line above.
    """
    for file in ctx.files:
        res = ctx.resolver(file)
        for call, name in with_cancel_calls(ctx, file):
            yield from _check_call(ctx, file, res, call, name)


def _check_call(ctx: Context, file: GoFile, res: Resolver, call: Node, name: str) -> Iterator[Report]:
    parent = call.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    if parent is None:
        return
    if parent.type == "expression_statement":
        yield Report(
            file,
            call,
            f"the result of context.{name} is discarded, cancel function included: the "
            f"context {_fate(res, call, name)}; assign cancel and defer cancel()",
        )
        return
    if parent.type != "expression_list":
        return  # passed, returned or stored directly: the receiver owns cancel now
    stmt = parent.parent
    if stmt is None or parent.named_child_count != 1:
        return
    targets = assignment_targets(parent)
    if targets is None:
        return
    if (
        stmt.type == "var_spec"
        and stmt.parent is not None
        and stmt.parent.parent is not None
        and stmt.parent.parent.type == "source_file"
    ):
        return  # a package-level variable: whoever uses it owns cancel
    if len(targets) < 2:
        return
    target = unparen(targets[1])
    if target.type == "identifier" and text(target) == "_":
        yield Report(
            file,
            call,
            f"the cancel function returned by context.{name} is discarded: the context "
            f"{_fate(res, call, name)}; assign it and defer cancel()",
        )
    elif target.type == "identifier":
        yield from _check_local(ctx, file, res, call, name, stmt, target)
    elif target.type == "selector_expression":
        yield from _check_field(ctx, file, call, name, target)


def _check_local(
    ctx: Context, file: GoFile, res: Resolver, call: Node, name: str, stmt: Node, target: Node
) -> Iterator[Report]:
    decl = res.decl_of(target)
    func = enclosing_func(call)
    if decl is None or func is None or decl.func != func or decl.kind == "result":
        return  # package-level, captured from an enclosing function, or a named result: someone else owns it
    var = text(target)
    uses = [u for u in res.references(decl) if u != target]
    if not uses:
        yield Report(
            file,
            call,
            f"the cancel function {var} returned by context.{name} is never used: the "
            f"context {_fate(res, call, name)}; add defer {var}() after this line",
        )
        return
    if any(u.start_byte < stmt.start_byte and in_defer(u, func) for u in uses):
        return  # a deferred closure registered earlier calls it on every path (vet reports this wrongly)
    if _deferred_next(stmt, uses):
        return  # every path from here registers the deferred call first (no CFG needed to see it)
    body = func.child_by_field_name("body")
    if body is None or _is_main_main(ctx, func):
        return  # returning from main.main ends the process: nothing is left to leak
    graph = ctx.cfg(file, body)
    exits = [e for e in graph.exits_without(stmt, covers_any(uses)) if e.kind in ("return", "end")]
    if not exits:
        return
    first = exits[0]
    where = (
        f"the return at line {line_of(first.node)}" if first.kind == "return" else "the end of the function"
    )
    kept = next((u for u in uses if not _called(u) and not _blanked(u)), None)
    if kept is not None:
        # the cancel function is stored, returned or passed on: a deferred call would cancel the context
        # its new owner keeps using on the paths that hand it on
        fix = (
            f"{var} is also handed on (line {line_of(kept)}), so a deferred {var}() would cancel the "
            f"context it is kept for: call {var}() before {where} instead"
        )
    else:
        fix = f"add defer {var}() after context.{name}"
    ctx_uses = _ctx_uses(res, stmt, func)
    unused = ctx_uses is not None and any(
        e.node == first.node and e.kind == first.kind
        for e in graph.exits_without(stmt, covers_any(uses + ctx_uses))
    )
    if unused and _root_parent(res, call) and "Timeout" not in name and "Deadline" not in name:
        # a child of Background/TODO that nothing on this path used: it is registered nowhere and
        # nothing waits on it, so losing it costs nothing but the allocation (vet's lostcancel still fires)
        yield Report(
            file,
            call,
            f"the cancel function {var} is not used on every path: {where} leaves it uncalled; nothing "
            f"uses the context on that path and its parent is never done, so nothing is left waiting; {fix}",
            severity=Severity.INFO,
        )
        return
    yield Report(
        file,
        call,
        f"the cancel function {var} is not used on every path: {where} leaves it uncalled, "
        f"and the context {_fate(res, call, name)}; {fix}",
    )


def _deferred_next(stmt: Node, uses: list[Node]) -> bool:
    """The statement right after `stmt` in its statement list is a `defer` holding a use of cancel
    (`defer cancel()`): in the function's CFG it is the next item of stmt's block, so no exit is
    reachable from stmt without passing it."""
    parent = stmt.parent
    if stmt.type not in ("short_var_declaration", "assignment_statement") or parent is None:
        return False
    if parent.type != "statement_list":
        return False
    nxt = stmt.next_named_sibling
    while nxt is not None and nxt.type == "comment":
        nxt = nxt.next_named_sibling
    if nxt is None or nxt.type != "defer_statement":
        return False
    lo, hi = nxt.start_byte, nxt.end_byte
    return any(lo <= u.start_byte and u.end_byte <= hi for u in uses)


def _called(use: Node) -> bool:
    """`cancel()` (also deferred or in a goroutine): a use that calls it rather than handing it on."""
    parent = use.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    fn = (
        parent.child_by_field_name("function")
        if parent is not None and parent.type == "call_expression"
        else None
    )
    return fn is not None and unparen(fn) == use


def _blanked(use: Node) -> bool:
    """`_ = cancel`: a use that keeps nothing."""
    parent = use.parent
    if parent is None or parent.type != "expression_list":
        return False
    stmt = parent.parent
    if stmt is None or stmt.type != "assignment_statement" or stmt.child_by_field_name("right") != parent:
        return False
    left = stmt.child_by_field_name("left")
    return left is not None and all(text(c) == "_" for c in left.named_children)


def _ctx_uses(res: Resolver, stmt: Node, func: Node) -> list[Node] | None:
    """Uses of the context variable the statement assigns (None: not a local identifier)."""
    left = stmt.child_by_field_name("left") or stmt.child_by_field_name("name")
    if left is None:
        return None
    first = left.named_children[0] if left.type == "expression_list" and left.named_children else left
    first = unparen(first)
    if first.type != "identifier":
        return None
    if text(first) == "_":
        return []
    decl = res.decl_of(first)
    if decl is None or decl.func != func:
        return None
    return [u for u in res.references(decl) if u != first]


def _root_parent(res: Resolver, call: Node) -> bool:
    """The parent chain reaches Background/TODO through WithValue/WithoutCancel only: never done."""
    node: Node | None = call
    while node is not None:
        args = node.child_by_field_name("arguments")
        parent = (
            next((a for a in args.named_children if a.type != "comment"), None) if args is not None else None
        )
        parent = unparen(parent) if parent is not None else None
        if parent is None or parent.type != "call_expression":
            return False
        q = res.qualified_call(parent)
        if q in ("context.Background", "context.TODO"):
            return True
        if q not in ("context.WithValue", "context.WithoutCancel"):
            return False
        node = parent
    return False


def _fate(res: Resolver, call: Node, name: str) -> str:
    """What becomes of a context nobody cancels: a deadline's timer cancels it when it fires; a child of
    Background/TODO is registered nowhere (nothing leaks but the wait of whoever waits on Done)."""
    deadline = "Timeout" in name or "Deadline" in name
    root = _root_parent(res, call)
    if root and deadline:
        return "and its timer stay alive until its deadline passes (its parent is never done)"
    if root:
        return "can never be cancelled (its parent is never done): whatever waits on its Done() waits forever"
    if deadline:
        return "leaks until its deadline passes or its parent is done"
    return "leaks until its parent is done"


def _is_main_main(ctx: Context, func: Node) -> bool:
    name = func.child_by_field_name("name")
    return ctx.pkg.name == "main" and func.type == "function_declaration" and text(name) == "main"


def _check_field(ctx: Context, file: GoFile, call: Node, name: str, target: Node) -> Iterator[Report]:
    field = text(target.child_by_field_name("field"))
    owner_type = ctx.resolver(file).infer(target.child_by_field_name("operand"))
    owner_type = owner_type.deref() if owner_type is not None else None
    if owner_type is None or owner_type.kind != "named" or owner_type.pkg:
        return
    pattern = "(selector_expression field: (field_identifier) @f) @s"
    for f in ctx.pkg.files_containing(field.encode()):
        res = ctx.resolver(f)
        for sel in ctx.query(f, pattern).get("s", []):
            fnode = sel.child_by_field_name("field")
            if text(fnode) != field or sel == target:
                continue
            if is_assign_target(sel, short=False):
                continue
            other = res.infer(sel.child_by_field_name("operand"))
            if other is not None and other.deref().kind == "named" and other.deref() != owner_type:
                continue  # the same field name on another type
            return
    owner = text(target.child_by_field_name("operand"))
    fate = _fate(ctx.resolver(file), call, name)
    yield Report(
        file,
        call,
        f"{owner}.{field} holds the cancel function of context.{name} but nothing in "
        f"this package calls, passes or returns it: the context {fate}; call "
        f"{owner}.{field}() when the work is done (Close/Stop)",
    )
