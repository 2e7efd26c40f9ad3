"""Timers and tickers that outlive their use (GL012, GL013).

Both rules are version-aware: before Go 1.23 the runtime keeps every started timer or ticker reachable
from its timer heap until it fires (a ticker: forever) or is stopped; from Go 1.23 on, timers and
tickers nobody references are collected, so the same code only costs allocations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from leaktrail.model import Severity
from leaktrail.rules import rule
from leaktrail.rules.base import Context, Report
from leaktrail.source.cfg import CFG, Exit
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, captures, line_of, text, unparen
from leaktrail.source.resolve import FUNC_NODES, Resolver, enclosing_func

COLLECTED_SINCE = (1, 23)
"""Go 1.23: unreferenced timers and tickers are garbage collected, stopped or not."""

_AFTER_CASES = (
    "(communication_case communication: (receive_statement right: "
    "(unary_expression operand: (call_expression) @c)))"
)
_CALLS = "(call_expression function: [(selector_expression) (identifier)] @f) @c"


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
    prune: Callable[[Node], int | None] = lambda _: None,
) -> list[Exit]:
    """Like CFG.exits_without, from an explicit (block, item) position, and able to cut one branch:
    `prune(last item)` names the successor index (0 = then, 1 = else/after of an `if`) not to follow."""
    found: list[Exit] = []
    seen: set[int] = set()
    stack = [begin]
    while stack:
        bid, index = stack.pop()
        if index == 0:
            if bid in seen:
                continue
            seen.add(bid)
        block = graph.blocks[bid]
        if any(hit(item) for item in block.items[index:]):
            continue
        if block.exit is not None:
            found.append(block.exit)
            continue
        cut = prune(block.items[-1]) if block.items else None
        for i, nxt in enumerate(block.succs):
            if i != cut:
                stack.append((nxt, 0))
    found.sort(key=lambda e: e.node.start_byte)
    return found


def after(graph: CFG, node: Node) -> tuple[int, int] | None:
    where = graph.locate(node)
    return None if where is None else (where[0], where[1] + 1)


def is_main_main(ctx: Context, func: Node) -> bool:
    name = func.child_by_field_name("name")
    return ctx.pkg.name == "main" and func.type == "function_declaration" and text(name) == "main"


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
    backoff `case <-ctx.Done(): return` — at most one timer is then pending; a select run by a function
    literal (a goroutine started per item makes one timer each); methods named `After` on other types
    (`time.Time.After`, a fake clock). The severity is `warning` for modules whose go.mod says
    `go 1.22` or older and `info` from `go 1.23` (and without a go line); `--go-version` overrides it.

    ## Suppress
    `//leaktrail:ignore GL012 reason` on the `time.After` line or the line above, or `//nolint:leaktrail`.
    """
    severity = timer_severity(ctx)
    for file in ctx.files:
        res = ctx.resolver(file)
        for call in ctx.query(file, _AFTER_CASES).get("c", []):
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
            if body is None:
                continue
            if not _another_case_repeats(ctx, file, body, select, case):
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


def _another_case_repeats(ctx: Context, file: GoFile, loop_body: Node, select: Node, mine: Node) -> bool:
    """Can a case other than the time.After one lead to the next iteration (abandoning the timer)?"""
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
        if any(e.kind in ("next", "continue") for e in reachable_exits(graph, begin)):
            return True
    return False


__all__ = [
    "COLLECTED_SINCE",
    "Resolver",
    "captures",
    "collected",
    "enclosing_func",
    "line_of",
    "reachable_exits",
    "timer_in_loop",
    "timer_severity",
    "unparen",
]
