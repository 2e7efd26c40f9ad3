"""Timers and tickers that outlive their use (GL012, GL013).

Both rules are version-aware: before Go 1.23 the runtime keeps every started timer or ticker reachable
from its timer heap until it fires (a ticker: forever) or is stopped; from Go 1.23 on, timers and
tickers nobody references are collected, so the same code only costs allocations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from leaktrail.model import Severity
from leaktrail.rules import rule
from leaktrail.rules.base import Context, Report, owned_local
from leaktrail.rules.tokens import calls_named, selectors_named, word_tokens
from leaktrail.source.cfg import CFG, Exit
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
from leaktrail.source.resolve import FUNC_NODES, Resolver, enclosing_func
from leaktrail.source.types import GoType

COLLECTED_SINCE = (1, 23)
"""Go 1.23: unreferenced timers and tickers are garbage collected, stopped or not."""

_AFTER = re.compile(rb"After\b")  # word_tokens checks the token: no slow leading \b


def _after_cases(file: GoFile) -> list[Node]:
    """Calls of a function or method named After (through parentheses too) received from directly in a
    select case, `case <-time.After(d):`; what the query `(communication_case communication:
    (receive_statement right: (unary_expression operand: (call_expression) @c))) ` finds, narrowed to
    the calls that can be time.After, from the word in the bytes instead of a walk of the tree.
    A communication case sits in a `select` and receives with `<-`: a file without both keywords in
    its bytes has none (and is not parsed for this; most files naming After compare times)."""
    found: list[Node] = []
    if b"select" not in file.data or b"<-" not in file.data:
        return found
    for token in word_tokens(file, _AFTER):
        fn: Node | None = token
        if token.type == "field_identifier" and token.parent is not None:
            fn = token.parent if token.parent.type == "selector_expression" else None
        elif token.type != "identifier":
            fn = None
        while fn is not None and fn.parent is not None and fn.parent.type == "parenthesized_expression":
            fn = fn.parent
        call = fn.parent if fn is not None else None
        if call is None or call.type != "call_expression" or call.child_by_field_name("function") != fn:
            continue
        recv = call.parent
        stmt = recv.parent if recv is not None else None
        case = stmt.parent if stmt is not None else None
        if (
            recv is not None
            and recv.type == "unary_expression"
            and recv.child_by_field_name("operand") == call
            and stmt is not None
            and stmt.type == "receive_statement"
            and stmt.child_by_field_name("right") == recv
            and case is not None
            and case.type == "communication_case"
            and case.child_by_field_name("communication") == stmt
        ):
            found.append(call)
    found.sort(key=lambda n: (n.start_byte, -n.end_byte))
    return found


def collected(ctx: Context) -> bool:
    """True when the module's Go (None = current Go) collects unstopped timers."""
    version = ctx.go_version
    return version is None or version >= COLLECTED_SINCE


def timer_severity(ctx: Context) -> Severity:
    return Severity.INFO if collected(ctx) else Severity.WARNING


# -- CFG helpers ----------------------------------------------------------------------------------------


def reachable_exits(
    graph: CFG,
    begin: tuple[int, int],
    hit: Callable[[Node], bool] = lambda _: False,
    prune: Callable[[Node], int | None] | None = None,
) -> list[Exit]:
    """CFG.exits_from under the name the timer and body rules use."""
    return graph.exits_from(begin, hit, prune)


def after(graph: CFG, node: Node) -> tuple[int, int] | None:
    where = graph.locate(node)
    return None if where is None else (where[0], where[1] + 1)


def is_main_main(ctx: Context, func: Node) -> bool:
    name = func.child_by_field_name("name")
    return ctx.pkg.name == "main" and func.type == "function_declaration" and text(name) == "main"


def leak_graph(
    ctx: Context, file: GoFile, func: Node, body: Node, stmt: Node
) -> tuple[CFG, tuple[str, ...]] | None:
    """The graph to search and the exit kinds that leave a resource behind. Returning from main.main
    ends the process, so there only a loop iteration that moves on without releasing it counts."""
    if not is_main_main(ctx, func):
        return ctx.cfg(file, body), ("return", "end")
    loop = enclosing_loop(stmt)
    loop_body = loop.child_by_field_name("body") if loop is not None else None
    if loop_body is None:
        return None
    return ctx.cfg(file, loop_body, loop_body=True), ("next", "continue")


def enclosing_loop(node: Node) -> Node | None:
    """The innermost `for` whose body holds `node`, within the same function."""
    child, p = node, node.parent
    while p is not None and p.type not in FUNC_NODES:
        if p.type == "for_statement" and child == p.child_by_field_name("body"):
            return p
        child, p = p, p.parent
    return None


def _case_statements(case: Node) -> list[Node]:
    for c in case.named_children:
        if c.type == "statement_list":
            return [s for s in c.named_children if s.type != "comment"]
    return []


# -- GL012 ----------------------------------------------------------------------------------------------


@rule(
    "GL012",
    "timer-in-loop",
    Severity.WARNING,
    "time.After in a select inside a for loop: a new timer every iteration, alive until it fires",
    prefilter=(b"After(",),
)
def timer_in_loop(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags `time.After(d)` used directly as a case of a `select` that runs inside a `for` loop
    (`case <-time.After(d):`, also `case t := <-time.After(d):`), when another case of that select can
    go round the loop again. Aliased (`tm "time"`) and dot imports of `time` are resolved.

    ## Why is this bad?
    Every evaluation of `time.After` starts a new timer. When another case wins — the usual case in a
    busy loop — the timer is abandoned but keeps running: before Go 1.23 the runtime holds it (and its
    channel) until it fires, so a loop that handles a message every millisecond with a one-minute timeout
    keeps some 60 000 timers alive, a steady memory leak that shows up in heap profiles under
    `time.NewTimer`/`time.After` rather than in a goroutine dump. From Go 1.23 on, unreferenced timers are
    collected, and what is left is an allocation per iteration: the finding is then `info`.

    ## Example
    ```go
    for {
        select {
        case j := <-jobs:
            handle(j)
        case <-time.After(time.Minute): // a new timer for every job
            return
        }
    }
    ```

    ## Use instead
    ```go
    idle := time.NewTimer(time.Minute)
    defer idle.Stop()
    for {
        select {
        case j := <-jobs:
            handle(j)
            idle.Reset(time.Minute) // Go 1.23+: Reset needs no drain
        case <-idle.C:
            return
        }
    }
    ```
    (or hoist a single `time.After` above the loop when the deadline covers the whole loop, or use
    `context.WithTimeout`).

    ## When it stays silent
    A `time.After` outside any loop, or created once before the loop and only received from inside it;
    `<-time.After(d)` used as a sleep outside a select (it has fired before the next iteration); a select
    whose other cases all leave the loop (`return`, `break` to the loop's label, `panic`), such as a
    backoff `case <-ctx.Done(): return` — at most one timer is then pending; a select that cannot run
    again after its other cases: they clear the loop's condition flag (`for waiting { … waiting = false }`)
    or set the flag of a once-guard around it (`if !swapped { select …; swapped = true }`, with nothing
    in the loop resetting it); a select run by a function
    literal (a goroutine started per item makes one timer each); methods named `After` on other types
    (`time.Time.After`, a fake clock). The severity is `warning` for modules whose go.mod says
    `go 1.22` or older and `info` from `go 1.23` (and without a go line); `--go-version` overrides it.

    ## Suppress
    `//leaktrail:ignore GL012 reason` on the `time.After` line or the line above, or `//nolint:leaktrail`.
    """
    severity = timer_severity(ctx)
    for file in ctx.files:
        res = ctx.resolver(file)
        for call in _after_cases(file):
            if res.qualified_call(call) != "time.After":
                continue
            case = call.parent
            while case is not None and case.type != "communication_case":
                case = case.parent
            select = case.parent if case is not None else None
            if case is None or select is None or select.type != "select_statement":
                continue
            loop = enclosing_loop(select)
            body = loop.child_by_field_name("body") if loop is not None else None
            if loop is None or body is None:
                continue
            if not _another_case_repeats(ctx, file, body, select, case, _loop_enders(res, loop, select)):
                continue
            args = call.child_by_field_name("arguments")
            d = text(args)[1:-1] if args is not None else "d"
            if collected(ctx):
                msg = (
                    f"time.After({d}) in a select inside a for loop allocates a new timer on every "
                    f"iteration (collected since Go 1.23, still churn); create one time.NewTimer "
                    f"before the loop and Reset it"
                )
            else:
                msg = (
                    f"time.After({d}) in a select inside a for loop starts a new timer on every iteration "
                    f"and, before Go 1.23, each one stays alive until it fires; create one time.NewTimer "
                    f"before the loop and Reset it (or hoist the time.After out of the loop)"
                )
            yield Report(file, call, msg, severity=severity)


def _loop_enders(res: Resolver, loop: Node, select: Node) -> Callable[[Node], bool]:
    """Assignments after which this select cannot run again: `flag = false` for a loop `for flag`
    (`flag = true` for `for !flag`), and `flag = true` under a once-guard `if !flag { …select… }`,
    for local bool flags the loop body assigns no other value."""
    body = loop.child_by_field_name("body")
    flags: list[tuple[Node, str]] = []
    clause = next((c for c in loop.named_children if c.type == "for_clause"), None)
    cond = clause.child_by_field_name("condition") if clause is not None else None
    if clause is None and not any(c.type == "range_clause" for c in loop.named_children):
        cond = next((c for c in loop.named_children if c.type != "block"), None)
    found = _flag_test(cond) if cond is not None else None
    if found is not None:
        flags.append((found[0], "false" if found[1] else "true"))  # the value that ends the loop
    p = select.parent
    while p is not None and p != body:
        parent = p.parent
        if (
            parent is not None
            and parent.type == "if_statement"
            and parent.child_by_field_name("consequence") == p
        ):
            guard = _flag_test(parent.child_by_field_name("condition"))
            if guard is not None and not guard[1]:
                flags.append((guard[0], "true"))  # `if !flag`: runs again only once flag is false
        p = parent
    enders: list[tuple[tuple[int, int], str]] = []
    for ident, value in flags:
        decl = res.decl_of(ident)
        if decl is None or body is None:
            continue
        writes = [
            _assigned_literal(u)
            for u in res.references(decl)
            if body.start_byte <= u.start_byte < body.end_byte and is_assign_target(u)
        ]
        if writes and all(w == value for w in writes):
            enders.append((decl.key, value))

    def ends(item: Node) -> bool:
        if item.type != "assignment_statement":
            return False
        left, right = item.child_by_field_name("left"), item.child_by_field_name("right")
        if left is None or right is None or left.named_child_count != 1 or right.named_child_count != 1:
            return False
        target = left.named_children[0]
        decl = res.decl_of(target) if target.type == "identifier" else None
        return decl is not None and (decl.key, text(right.named_children[0])) in enders

    return ends


def _flag_test(cond: Node | None) -> tuple[Node, bool] | None:
    """(identifier, positive) for a condition `flag` or `!flag`."""
    if cond is None:
        return None
    cond = unparen(cond)
    if cond.type == "identifier":
        return cond, True
    if cond.type == "unary_expression" and text(cond.child_by_field_name("operator")) == "!":
        operand = unparen(cond.child_by_field_name("operand") or cond)
        return (operand, False) if operand.type == "identifier" else None
    return None


def _assigned_literal(target: Node) -> str | None:
    """ "true"/"false" when `target = true` / `= false` is a plain single assignment, else None."""
    left = target.parent
    stmt = left.parent if left is not None else None
    if stmt is None or stmt.type != "assignment_statement" or left is None or left.named_child_count != 1:
        return None
    right = stmt.child_by_field_name("right")
    value = right.named_children[0] if right is not None and right.named_child_count == 1 else None
    return text(value) if value is not None and value.type in ("true", "false") else None


def _another_case_repeats(
    ctx: Context,
    file: GoFile,
    loop_body: Node,
    select: Node,
    mine: Node,
    ends: Callable[[Node], bool] = lambda _: False,
) -> bool:
    """Can a case other than the time.After one lead to the next iteration (abandoning the timer)?
    Paths through an assignment after which the select cannot run again (`ends`) do not count."""
    graph = ctx.cfg(file, loop_body, loop_body=True)
    for case in select.named_children:
        if case == mine or case.type not in ("communication_case", "default_case"):
            continue
        comm = case.child_by_field_name("communication")
        if comm is not None:
            begin = after(graph, comm)
        else:
            stmts = _case_statements(case)
            if not stmts:
                return True  # an empty default: straight to the next iteration
            begin = graph.locate(stmts[0])
        if begin is None:
            return True
        if any(e.kind in ("next", "continue") for e in reachable_exits(graph, begin, ends)):
            return True
    return False


# -- GL013 ----------------------------------------------------------------------------------------------

_CTORS = {"time.NewTicker": "ticker", "time.NewTimer": "timer"}
_NAMES = frozenset({"NewTicker", "NewTimer", "Tick"})


@rule(
    "GL013",
    "ticker-not-stopped",
    Severity.WARNING,
    "time.NewTicker/NewTimer not stopped on every path, or time.Tick in a function that returns",
    prefilter=(b"NewTicker(", b"NewTimer(", b"Tick("),
)
def ticker_not_stopped(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags `time.NewTicker(d)` and `time.NewTimer(d)` whose `Stop` is not called on every path from the
    constructor to a return: never stopped, stopped only on some branches, discarded, used inline
    (`time.NewTicker(d).C`), or stored in a struct field that no code of the package ever stops. For
    modules before Go 1.23 it also flags `time.Tick(d)` (whose ticker can never be stopped) in a function
    that returns, and `time.Tick` evaluated again on every iteration of a loop.

    ## Why is this bad?
    A ticker fires forever until it is stopped. Before Go 1.23 the runtime's timer heap references every
    active timer and ticker, so an unstopped ticker is never collected: it stays in the heap and keeps
    waking the runtime to send on its channel (`time.sendTime`), and a goroutine that ranges over
    `ticker.C` never sees the channel close — it sits in `[chan receive]` (or `[select]`) for the life
    of the process. Code that creates a ticker per request or per connection accumulates them without
    bound. A timer that is abandoned before it fires stays in the heap until it fires. From Go 1.23 on,
    unreferenced timers and tickers are collected even when not stopped, so a missing Stop only delays
    the cleanup: the finding is then `info`, and `time.Tick` is no longer reported.

    ## Example
    ```go
    func poll(ctx context.Context, check func() error) error {
        t := time.NewTicker(time.Second)
        for {
            select {
            case <-ctx.Done():
                t.Stop()
                return ctx.Err()
            case <-t.C:
                if err := check(); err != nil {
                    return err // the ticker keeps running
                }
            }
        }
    }
    ```

    ## Use instead
    ```go
    func poll(ctx context.Context, check func() error) error {
        t := time.NewTicker(time.Second)
        defer t.Stop()
        for {
            select {
            case <-ctx.Done():
                return ctx.Err()
            case <-t.C:
                if err := check(); err != nil {
                    return err
                }
            }
        }
    }
    ```

    ## When it stays silent
    `t.Stop()` on every path, `defer t.Stop()`, or a deferred closure (or goroutine) that stops it
    (`for range t.C` over a ticker never ends by itself, so only its break/return paths count);
    a timer whose channel has been received from on the path (it has fired, nothing is left running);
    a ticker that is returned, passed to a function, sent on a channel or stored elsewhere (the new owner
    must stop it); a struct field that some code of the package stops or hands on; functions that never
    return (an endless loop) and `main.main`; constructors of other types (a fake clock's `NewTicker`).
    `time.Tick` stays silent in `main.main`, in a function that never returns (`for range
    time.Tick(d)` without a way out), at package level, and for `go 1.23` modules. Severity: `warning`
    for `go 1.22` and older, `info` from `go 1.23` (and without a go line); `--go-version` overrides it.
    For a ticker/timer made inside a loop body the message says to Stop it before the iteration's way out
    that skips the Stop: a `defer` there would run only when the function returns, one per iteration.

    ## Suppress
    `//leaktrail:ignore GL013 reason` on the constructor line or the line above, or `//nolint:leaktrail`.
    """
    severity = timer_severity(ctx)
    for file in ctx.files:
        res = ctx.resolver(file)
        for call in calls_named(file, _NAMES):
            fn = call.child_by_field_name("function")
            if fn is None or text(fn).rsplit(".", 1)[-1] not in _NAMES:
                continue
            q = res.qualified_call(call)
            if q in _CTORS:
                found = _check_ctor(ctx, file, res, call, _CTORS[q])
                if found is not None:
                    yield Report(file, call, found, severity=severity)
            elif q == "time.Tick" and not collected(ctx):
                found = _check_tick(ctx, file, res, call)
                if found is not None:
                    yield Report(file, call, found, severity=Severity.WARNING)


def _outer(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    return parent


def _check_ctor(ctx: Context, file: GoFile, res: Resolver, call: Node, kind: str) -> str | None:
    """The message when the ticker/timer made by `call` can be left running, else None."""
    ctor = "time.NewTicker" if kind == "ticker" else "time.NewTimer"
    parent = _outer(call)
    if parent is None:
        return None
    if parent.type == "expression_statement":
        if file.is_test:
            return None  # `time.NewTicker(-1)` in a test that expects the panic
        return f"the {kind} made by {ctor} is discarded and can never be stopped; {_assign_fix(call)}"
    if parent.type == "selector_expression":
        if text(parent.child_by_field_name("field")) != "C":
            return None
        if kind == "timer" and _plain_receive(parent):
            return None  # `<-time.NewTimer(d).C` outside a select: it fires, nothing is left
        return (
            f"the {kind} made by {ctor} is only used for its channel and can never be stopped; "
            f"{_assign_fix(call)}"
        )
    if parent.type == "literal_element":
        keyed = parent.parent
        if keyed is None or keyed.type != "keyed_element" or keyed.named_child_count != 2:
            return None
        if keyed.named_children[1] != parent:
            return None
        literal = enclosing_literal(keyed)
        if literal is None:
            return None
        owner = res.type_of_node(literal.child_by_field_name("type"))
        field = text(keyed.named_children[0])
        return _check_field(ctx, owner, field, None, kind, ctor, text(literal.child_by_field_name("type")))
    if parent.type != "expression_list":
        return None  # returned, passed, sent: the receiver owns it
    stmt = parent.parent
    if stmt is None:
        return None
    index = next((i for i, c in enumerate(parent.named_children) if c == call), -1)
    if (
        stmt.type == "var_spec"
        and stmt.parent is not None
        and stmt.parent.parent is not None
        and stmt.parent.parent.type == "source_file"
    ):
        return None
    targets = assignment_targets(parent)
    if targets is None:
        return None
    if len(targets) != parent.named_child_count or index < 0:
        return None
    target = unparen(targets[index])
    if target.type == "identifier" and text(target) == "_":
        return f"the {kind} made by {ctor} is discarded and can never be stopped; {_assign_fix(call)}"
    if target.type == "identifier":
        return _check_local(ctx, file, res, call, stmt, target, kind, ctor)
    if target.type == "selector_expression":
        operand = target.child_by_field_name("operand")
        owner = res.infer(operand)
        field = text(target.child_by_field_name("field"))
        return _check_field(ctx, owner, field, target, kind, ctor, text(operand))
    return None


def enclosing_literal(keyed: Node) -> Node | None:
    lv = keyed.parent
    lit = lv.parent if lv is not None and lv.type == "literal_value" else None
    return lit if lit is not None and lit.type == "composite_literal" else None


def _plain_receive(sel: Node) -> bool:
    """`<-x.C` as a statement or an assignment's value: a receive that always waits for the fire."""
    recv = _outer(sel)
    if recv is None or recv.type != "unary_expression" or text(recv.child_by_field_name("operator")) != "<-":
        return False
    holder = _outer(recv)
    while holder is not None and holder.type == "expression_list":
        holder = holder.parent
    return holder is not None and holder.type in (
        "expression_statement",
        "short_var_declaration",
        "assignment_statement",
    )


def _check_local(
    ctx: Context,
    file: GoFile,
    res: Resolver,
    call: Node,
    stmt: Node,
    target: Node,
    kind: str,
    ctor: str,
) -> str | None:
    owned = owned_local(res, call, target)
    if owned is None:
        return None
    decl, func, body = owned
    var = text(target)
    hits: list[Node] = []
    for use in res.references(decl):
        if use == target:
            continue
        sel = use.parent
        if sel is None or sel.type != "selector_expression" or sel.child_by_field_name("operand") != use:
            hits.append(use)  # returned, passed, stored, sent, compared: handed to someone else
            continue
        field = text(sel.child_by_field_name("field"))
        if field == "Stop" or (field == "C" and kind == "timer" and _is_receive(sel)):
            hits.append(sel)
        elif field == "C" and enclosing_func(sel) == func:
            loop = _range_over(sel)
            if loop is not None and _loop_never_ends(ctx, file, loop):
                hits.append(sel)  # `for range t.C` with no way out: the function never gets past it
    if any(h.start_byte < stmt.start_byte and in_defer(h, func) for h in hits):
        return None  # a deferred Stop registered earlier (the variable is reassigned)
    if any(enclosing_func(h) != func for h in hits):
        return None  # a closure (goroutine, callback) stops or takes the ticker: it owns it now
    found = leak_graph(ctx, file, func, body, stmt)
    if found is None:
        return None
    graph, leaking = found
    begin = after(graph, stmt)
    if begin is None:
        return None
    prune = endless_ranges(res)
    exits = [e for e in reachable_exits(graph, begin, covers_any_of(hits), prune) if e.kind in leaking]
    if not exits:
        return None
    where = describe_exit(exits[0])
    fix = f"add defer {var}.Stop() after this line"
    loop = enclosing_loop(stmt)
    loop_body = loop.child_by_field_name("body") if loop is not None else None
    if loop_body is not None:
        # a defer inside a loop body runs only when the function returns: one per iteration piles up.
        # Name the way out of the iteration that skips the Stop (the variable is gone after the loop).
        lgraph = ctx.cfg(file, loop_body, loop_body=True)
        lbegin = after(lgraph, stmt)
        inner = reachable_exits(lgraph, lbegin, covers_any_of(hits), prune) if lbegin is not None else []
        if inner:
            where = describe_exit(inner[0])
        out = "the end of the iteration" if where == "the next iteration of the loop" else where
        fix = f"call {var}.Stop() before {out} ({_LOOP_DEFER})"
    if not hits:
        return f"the {kind} {var} made by {ctor} is never stopped{_unstopped(ctx, kind)}; {fix}"
    return (
        f"the {kind} {var} made by {ctor} is not stopped on every path: {where} leaves it unstopped"
        f"{_unstopped(ctx, kind)}; {fix}"
    )


_LOOP_DEFER = "a defer inside the loop would run only when the function returns, one per iteration"


def _assign_fix(call: Node) -> str:
    """The fix for a ticker/timer nobody holds: defer its Stop, or stop it per iteration inside a loop."""
    if enclosing_loop(call) is not None:
        return f"assign it and call Stop() once the wait is over ({_LOOP_DEFER})"
    return "assign it and defer Stop()"


def _unstopped(ctx: Context, kind: str) -> str:
    """What an unstopped timer costs, by Go version (every clause true for both kinds)."""
    if collected(ctx):
        return " (since Go 1.23 it is collected once nothing references it, so Stop only frees it sooner)"
    if kind == "ticker":
        return " (before Go 1.23 the runtime keeps it ticking and never collects it)"
    return " (before Go 1.23 the runtime keeps it, and what it references, until it fires)"


def endless_ranges(res: Resolver) -> Callable[[Node], int | None]:
    """A CFG prune: `for range t.C` over a ticker's channel (or time.Tick) never ends by itself, so the
    loop head's edge to the code after the loop (successor 0) is no path; only break/return leave."""

    def prune(item: Node) -> int | None:
        clause = item.parent
        if clause is None or clause.type != "range_clause" or clause.child_by_field_name("right") != item:
            return None
        ranged = unparen(item)
        if ranged.type == "call_expression":
            return 0 if res.qualified_call(ranged) == "time.Tick" else None
        if ranged.type != "selector_expression" or text(ranged.child_by_field_name("field")) != "C":
            return None
        t = res.infer(ranged.child_by_field_name("operand"))
        return 0 if t is not None and t.deref().is_named("time", "Ticker") else None

    return prune


def describe_exit(exit_: Exit) -> str:
    if exit_.kind == "return":
        return f"the return at line {line_of(exit_.node)}"
    if exit_.kind == "continue":
        return f"the continue at line {line_of(exit_.node)}"
    if exit_.kind == "next":
        return "the next iteration of the loop"
    return "the end of the function"


def covers_any_of(hits: list[Node]) -> Callable[[Node], bool]:
    spans = [(h.start_byte, h.end_byte) for h in hits]

    def hit(item: Node) -> bool:
        s, e = item.start_byte, item.end_byte
        return any(s <= hs and he <= e for hs, he in spans)

    return hit


def _is_receive(sel: Node) -> bool:
    recv = _outer(sel)
    return (
        recv is not None
        and recv.type == "unary_expression"
        and text(recv.child_by_field_name("operator")) == "<-"
    )


def _check_field(
    ctx: Context,
    owner: GoType | None,
    field: str,
    store: Node | None,
    kind: str,
    ctor: str,
    owner_text: str,
) -> str | None:
    """A ticker stored in a field of a package type: report only when no code of the package stops or
    hands on that field (uses as `x.f.C` and `x.f.Reset` are neither)."""
    if owner is None:
        return None
    owner_t = owner.deref()
    if owner_t.kind != "named" or owner_t.pkg:
        return None
    for f in ctx.pkg.files_containing(field.encode()):
        res = ctx.resolver(f)
        for sel in selectors_named(f, field):
            if sel == store or text(sel.child_by_field_name("field")) != field:
                continue
            if is_assign_target(sel, short=False):
                continue
            other = res.infer(sel.child_by_field_name("operand"))
            if other is not None and other.deref().kind == "named" and other.deref() != owner_t:
                continue  # the same field name on another type
            up = _outer(sel)
            if (
                up is not None
                and up.type == "selector_expression"
                and up.child_by_field_name("operand") == sel
            ):
                name = text(up.child_by_field_name("field"))
                if name == "Reset" or (name == "C" and not (kind == "timer" and _is_receive(up))):
                    continue
            return None
    where = f"{owner_text}.{field}" if store is not None else f"the {field} field of {owner_text}"
    if collected(ctx):
        cost = "since Go 1.23 it is collected with its owner; Stop releases it as soon as the owner is done"
    elif kind == "ticker":
        cost = "before Go 1.23 the runtime keeps it ticking and never collects it"
    else:
        cost = "before Go 1.23 the runtime keeps it until it fires"
    return (
        f"{where} holds a {kind} from {ctor} but nothing in this package stops it ({cost}); "
        f"call {field}.Stop() when the owner is done (Close/Stop)"
    )


def _check_tick(ctx: Context, file: GoFile, res: Resolver, call: Node) -> str | None:
    """time.Tick before Go 1.23: fine for the process lifetime (main, endless functions), a leak otherwise."""
    func = enclosing_func(call)
    if func is None:
        return None  # package-level var: one ticker for the program
    loop = enclosing_loop(call)
    if loop is not None:
        return (
            "time.Tick is evaluated on every iteration of this loop: each call starts a new ticker that "
            "can never be stopped and, before Go 1.23, is never collected; create one time.NewTicker "
            "before the loop and defer its Stop()"
        )
    body = func.child_by_field_name("body")
    if body is None or is_main_main(ctx, func) or _never_returns_after(ctx, file, res, call, body):
        return None
    return (
        "time.Tick's ticker can never be stopped and, before Go 1.23, is never collected: this function "
        "returns, so each call leaks a ticker; use time.NewTicker and defer its Stop()"
    )


def _range_over(node: Node) -> Node | None:
    """The for statement when `node` is the range expression of `for … range node`."""
    clause = _outer(node)
    if clause is None or clause.type != "range_clause" or clause.child_by_field_name("right") is None:
        return None
    if unparen(clause.child_by_field_name("right") or clause) != node:
        return None
    return clause.parent if clause.parent is not None and clause.parent.type == "for_statement" else None


def _loop_never_ends(ctx: Context, file: GoFile, loop: Node) -> bool:
    """A range over a ticker channel (never closed) whose body has no way out."""
    body = loop.child_by_field_name("body")
    if body is None:
        return False
    label_stmt = loop.parent if loop.parent is not None and loop.parent.type == "labeled_statement" else None
    own = text(label_stmt.child_by_field_name("label")) if label_stmt is not None else None
    graph = ctx.cfg(file, body, loop_body=True)
    for e in reachable_exits(graph, (graph.entry, 0)):
        if e.kind in ("return", "break", "goexit", "end"):
            return False
        if e.kind == "continue":
            label = next((c for c in e.node.named_children if c.type == "label_name"), None)
            if label is not None and text(label) != own:
                return False
    return True


def _never_returns_after(ctx: Context, file: GoFile, res: Resolver, call: Node, body: Node) -> bool:
    loop = _range_over(call)
    if loop is not None:
        return _loop_never_ends(ctx, file, loop)
    stmt = call
    while stmt.parent is not None and stmt.parent.type not in ("statement_list", "block"):
        stmt = stmt.parent
    # loops that range over the variable holding this Tick's channel, and never end: they stop the path
    stoppers: list[Node] = []
    parent = _outer(call)
    holder = parent.parent if parent is not None and parent.type == "expression_list" else None
    if holder is not None and holder.type == "short_var_declaration":
        left = holder.child_by_field_name("left")
        names = left.named_children if left is not None else []
        if len(names) == 1 and names[0].type == "identifier":
            decl = res.decl_of(names[0])
            if decl is not None:
                for use in res.references(decl):
                    rl = _range_over(use) if enclosing_func(use) == enclosing_func(call) else None
                    if rl is not None and _loop_never_ends(ctx, file, rl):
                        right = (
                            rl.named_children[0].child_by_field_name("right") if rl.named_children else None
                        )
                        if right is not None:
                            stoppers.append(right)
    graph = ctx.cfg(file, body)
    begin = after(graph, stmt)
    if begin is None:
        return False
    stop_ids = {(s.start_byte, s.end_byte) for s in stoppers}
    exits = reachable_exits(graph, begin, lambda item: (item.start_byte, item.end_byte) in stop_ids)
    return not any(e.kind in ("return", "end", "goexit") for e in exits)


__all__ = [
    "COLLECTED_SINCE",
    "collected",
    "reachable_exits",
    "ticker_not_stopped",
    "timer_in_loop",
    "timer_severity",
]
