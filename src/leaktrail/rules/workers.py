"""Long-lived goroutines that nothing can stop, fan-out nobody collects, respawns in recover handlers and
closures that pin memory for a goroutine's whole life (GL007, GL011, GL014, GL015)."""

from __future__ import annotations

from collections.abc import Iterator

from leaktrail.model import Severity
from leaktrail.rules import rule
from leaktrail.rules.base import Context, Report
from leaktrail.rules.channels import ChannelFates, _never_closed
from leaktrail.rules.goroutines import GO_NEEDLES, Goroutine, go_target, goroutines, inside
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, captures, line_of, text, unparen
from leaktrail.source.resolve import FUNC_NODES, Resolver, enclosing_func, struct_fields, type_from_node
from leaktrail.source.types import GoType

_LEAVES = frozenset({"return", "break", "goexit", "abort"})
_TIMER_TYPES = frozenset({"Ticker", "Timer"})


# -- shared: statements, loops, channels ----------------------------------------------------------------
def statements(block: Node | None) -> list[Node]:
    """The statements of a block (labels unwrapped), in order."""
    if block is None:
        return []
    out: list[Node] = []
    for c in block.named_children:
        if c.type == "statement_list":
            for s in c.named_children:
                while s.type == "labeled_statement":
                    inner = [x for x in s.named_children if x.type != "label_name"]
                    if not inner:
                        break
                    s = inner[0]
                out.append(s)
    return [s for s in out if s.type != "comment"]


def loop_clause(loop: Node) -> Node | None:
    return next((c for c in loop.named_children if c.type in ("for_clause", "range_clause")), None)


def _loop_condition(loop: Node) -> Node | None:
    """The bare condition of `for cond {}` (None for `for {}` and for clause loops)."""
    return next(
        (c for c in loop.named_children if c.type not in ("block", "for_clause", "range_clause", "comment")),
        None,
    )


def is_timer_chan(res: Resolver, expr: Node, depth: int = 0) -> bool:
    """`ticker.C`, `timer.C`, `time.Tick(d)`, `time.After(d)`: channels the runtime never closes."""
    expr = unparen(expr)
    if expr.type == "call_expression":
        return res.qualified_call(expr) in ("time.Tick", "time.After")
    if expr.type == "selector_expression" and text(expr.child_by_field_name("field")) == "C":
        t = res.infer(expr.child_by_field_name("operand"))
        return t is not None and t.deref().kind == "named" and t.deref().pkg == "time" and (
            t.deref().name in _TIMER_TYPES
        )
    if expr.type == "identifier" and depth < 3:
        decl = res.decl_of(expr)
        if decl is not None and decl.kind in ("short", "var") and decl.value is not None and not decl.multi:
            if any(is_assign_target(u) for u in res.references(decl)):
                return False
            return is_timer_chan(res, decl.value, depth + 1)
    return False


def is_assign_target(node: Node) -> bool:
    parent = node.parent
    if parent is None or parent.type != "expression_list":
        return False
    stmt = parent.parent
    return (
        stmt is not None
        and stmt.type in ("assignment_statement", "short_var_declaration")
        and stmt.child_by_field_name("left") == parent
    )


def endless_loop(res: Resolver, loop: Node) -> bool:
    """`for {}`, `for ;; {}`, `for true {}`, or a range over a ticker/timer channel (never closed)."""
    clause = loop_clause(loop)
    if clause is None:
        cond = _loop_condition(loop)
        return cond is None or text(cond) == "true"
    if clause.type == "for_clause":
        return clause.child_by_field_name("condition") is None
    right = clause.child_by_field_name("right")
    return right is not None and is_timer_chan(res, right)


def range_over_chan(res: Resolver, loop: Node) -> bool:
    clause = loop_clause(loop)
    if clause is None or clause.type != "range_clause":
        return False
    t = res.infer(clause.child_by_field_name("right"))
    return t is not None and t.kind == "chan"


def first_endless_loop(res: Resolver, body: Node | None) -> Node | None:
    for s in statements(body):
        if s.type == "for_statement" and endless_loop(res, s):
            return s
    return None


def _func_of(node: Node) -> Node | None:
    return enclosing_func(node)


def _program_lifetime(stmt: Node, file: GoFile) -> bool:
    """A `go` statement in main() or init(): the goroutine is meant to live as long as the process."""
    func = enclosing_func(stmt)
    if func is None or func.type != "function_declaration":
        return False
    name = text(func.child_by_field_name("name"))
    if name == "init":
        return True
    return name == "main" and file.package is not None and file.package.name == "main"


# -- GL007 ------------------------------------------------------------------------------------------------
class _WayOut:
    """Does an endless loop have a way out? Structural exits, or a receive that may be a stop signal."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        fates = ctx.shared.get("channel-fates")
        if not isinstance(fates, ChannelFates):
            fates = ctx.shared["channel-fates"] = ChannelFates(ctx)
        self.fates = fates

    def structural(self, file: GoFile, loop: Node) -> bool:
        body = loop.child_by_field_name("body")
        if body is None:
            return True
        graph = self.ctx.cfg(file, body, loop_body=True)
        if any(e.kind in _LEAVES for e in graph.exits_without(None, lambda _n: False)):
            return True
        own = loop.parent and loop.parent.type == "labeled_statement"
        label = text(loop.parent.child_by_field_name("label")) if own and loop.parent is not None else None
        for lab in captures("(continue_statement (label_name) @l)", body).get("l", []):
            if text(lab) != label and enclosing_func(lab) == enclosing_func(loop):
                return True
        return False

    def receives(self, file: GoFile, loop: Node, ignored_stop: bool) -> Node | None:
        """The first receive that may be a stop signal (None when every receive provably is not one)."""
        res = self.ctx.resolver(file)
        body = loop.child_by_field_name("body")
        ops: list[Node] = []
        clause = loop_clause(loop)
        if clause is not None and clause.type == "range_clause":
            right = clause.child_by_field_name("right")
            if right is not None and not is_timer_chan(res, right):
                ops.append(right)
        if body is not None:
            for op in captures('(unary_expression operator: "<-" operand: (_) @o)', body).get("o", []):
                if enclosing_func(op) == enclosing_func(loop):
                    ops.append(op)
        for op in ops:
            if not self._never_signals(res, op, ignored_stop):
                return op
        return None

    def _never_signals(self, res: Resolver, op: Node, ignored_stop: bool) -> bool:
        op = unparen(op)
        if op.type == "call_expression" and not is_timer_chan(res, op):
            fn = op.child_by_field_name("function")
            return (
                fn is not None
                and fn.type == "selector_expression"
                and ignored_stop
                and text(fn.child_by_field_name("field")) != "Done"
            )
        if is_timer_chan(res, op):
            return True
        if _never_closed(self.ctx, self.fates, res.file, res, op) is not None:
            return True
        if ignored_stop:
            t = res.infer(op)
            elem = t.elem if t is not None and t.kind == "chan" else None
            return elem is not None and elem.kind != "struct"
        return False


def _ignored_stop_signal(ctx: Context, g: Goroutine) -> str | None:
    """A context or `chan struct{}` parameter / receiver field the goroutine never looks at.

    The author gave the worker a way to be stopped and the loop ignores it (seed 4.2): then a receive
    from another channel of unknown origin is the work queue, not the stop signal.
    """
    res = ctx.resolver(g.body_file)
    body = g.body
    if body is None:
        return None
    used = {text(i) for i in captures("[(identifier) (field_identifier)] @i", body).get("i", [])}
    params = g.func.child_by_field_name("parameters")
    for p in params.named_children if params is not None else []:
        if p.type != "parameter_declaration":
            continue
        t = res.type_of_node(p.child_by_field_name("type"))
        if not _stop_type(t):
            continue
        for name in p.children_by_field_name("name"):
            if text(name) not in used and text(name) != "_":
                return text(name)
    if g.func.type != "method_declaration":
        return None
    recv = g.func.child_by_field_name("receiver")
    rparam = next((p for p in recv.named_children if p.type == "parameter_declaration"), None) if recv else None
    if rparam is None:
        return None
    rtype = res.type_of_node(rparam.child_by_field_name("type"))
    if rtype is None or rtype.deref().kind != "named" or rtype.deref().pkg:
        return None
    hit = ctx.pkg.lookup_type(rtype.deref().name)
    struct = hit[1].child_by_field_name("type") if hit is not None else None
    if hit is None or struct is None or struct.type != "struct_type":
        return None
    rname = text(rparam.child_by_field_name("name")) or rtype.deref().name
    for fdecl in struct_fields(struct):
        if not _stop_type(type_from_node(hit[0], fdecl.child_by_field_name("type"))):
            continue
        for name in fdecl.children_by_field_name("name"):
            if text(name) not in used:
                return f"{rname}.{text(name)}"
    return None


def _stop_type(t: GoType | None) -> bool:
    if t is None:
        return False
    if t.is_named("context", "Context"):
        return True
    return t.kind == "chan" and t.dir != "send" and t.elem is not None and t.elem.kind == "struct"


@rule(
    "GL007",
    "unstoppable-worker",
    Severity.ERROR,
    "a goroutine runs an endless loop that nothing can stop",
    prefilter=GO_NEEDLES,
    package_needs=(b"for {", b"range"),
)
def unstoppable_worker(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags a `go` statement whose goroutine — a function literal, or a function or method of the package
    such as `go w.loop()` — runs an endless loop (`for {}`, `for { select … }`, `for range ticker.C`) with
    no way out: no `return`, no `break` or `goto` that leaves the loop (a `break` inside a `select` or
    `switch` only leaves that statement), no call that ends the goroutine or the process, and no receive
    that could be a stop signal (`ctx.Done()`, a quit channel, a channel that is closed somewhere).

    ## Why is this bad?
    The goroutine can never end. Every call of the function that starts it adds one more goroutine that
    lives until the process exits, together with everything it references (its channels, buffers,
    tickers, the whole receiver struct). In a goroutine dump they pile up at the loop's blocking point:
    `[chan receive]` on the job channel, `[select]`, or `[sleep]`, with `created by` naming the starter.

    ## Example
    ```go
    func (w *Worker) Start(jobs <-chan Job, quit <-chan struct{}) {
        go func() {
            for {
                select {
                case j := <-jobs:
                    j.Process()
                } // quit is never looked at
            }
        }()
    }
    ```

    ## Use instead
    ```go
    go func() {
        for {
            select {
            case j := <-jobs:
                j.Process()
            case <-quit:
                return
            }
        }
    }()
    ```

    ## When it stays silent
    Any path that leaves the loop (`return`, `break`/`goto` out of it, `panic`, `os.Exit`,
    `runtime.Goexit`); a receive from a channel that may carry a stop signal: `ctx.Done()`, a channel
    closed somewhere in the package, a parameter or field whose origin is unknown (unless the goroutine
    also has a `context.Context` or `chan struct{}` it never reads); goroutines started by `main()` or
    `init()`, which are meant to live as long as the process; loops with a condition (`for running {}`).

    ## Suppress
    `//leaktrail:ignore GL007 reason` on the `go` line or the line above.
    """
    wanted = {id(f) for f in ctx.files}
    way_out = _WayOut(ctx)
    for g in goroutines(ctx):
        if id(g.file) not in wanted or _program_lifetime(g.stmt, g.file):
            continue
        found = _endless_target(ctx, g)
        if found is None:
            continue
        lfile, loop = found
        if way_out.structural(lfile, loop):
            continue
        ignored = _ignored_stop_signal(ctx, g)
        if way_out.receives(lfile, loop, ignored is not None) is not None:
            continue
        where = "" if lfile is g.file else f" in {lfile.path.name}"
        because = (
            f"; it never looks at {ignored}" if ignored is not None else ""
        )
        yield Report(
            g.file,
            g.stmt,
            f"goroutine runs an endless loop (line {line_of(loop)}{where}) that nothing can stop{because}: "
            f"it leaks for the life of the process; add a case <-ctx.Done() (or a quit channel) that "
            f"returns",
        )


def _endless_target(ctx: Context, g: Goroutine) -> tuple[GoFile, Node] | None:
    """The endless loop at the top level of the goroutine's body, or of a function it calls first-hand."""
    res = ctx.resolver(g.body_file)
    loop = first_endless_loop(res, g.body)
    if loop is not None:
        return (g.body_file, loop)
    if g.named:
        return None
    for s in statements(g.body):
        if s.type != "expression_statement" or not s.named_children:
            continue
        call = s.named_children[0]
        if call.type != "call_expression":
            continue
        target = res.called_function(call)
        if target is None:
            continue
        tres = ctx.resolver(target[0])
        inner = first_endless_loop(tres, target[1].child_by_field_name("body"))
        if inner is not None:
            return (target[0], inner)
    return None


# -- GL011 ------------------------------------------------------------------------------------------------
_SYNC_METHODS = frozenset(
    {
        "Done", "Add", "Wait", "Go", "Lock", "Unlock", "RLock", "RUnlock", "Signal", "Broadcast", "Do",
        "Acquire", "Release", "TryAcquire", "Store", "Swap", "CompareAndSwap", "Load",
    }
)
_SIGNALS = """
[(send_statement) @s
 (unary_expression operator: "<-") @s
 (select_statement) @s
 (call_expression function: (identifier) @f) @c
 (call_expression function: (selector_expression operand: (_) @o field: (field_identifier) @m)) @c]
"""


def enclosing_loop(node: Node) -> Node | None:
    """The innermost `for` around node in the same function."""
    p = node.parent
    while p is not None and p.type not in FUNC_NODES:
        if p.type == "for_statement":
            return p
        p = p.parent
    return None


def _long_lived(res: Resolver, body: Node | None) -> bool:
    for s in statements(body):
        if s.type == "for_statement" and (endless_loop(res, s) or range_over_chan(res, s)):
            return True
        if s.type == "select_statement" and not any(
            c.type in ("communication_case", "default_case") for c in s.named_children
        ):
            return True
    return False


def _coordinates(ctx: Context, file: GoFile, body: Node, depth: int = 0) -> bool:
    """Does this body talk to anyone: channels, sync/atomic, a WaitGroup, a callback, an error sink?"""
    res = ctx.resolver(file)
    found = captures(_SIGNALS, body)
    if found.get("s"):
        return True
    for fn in found.get("f", []):
        name = text(fn)
        if name == "close" and res.decl_of(fn) is None:
            return True
        call = fn.parent
        if call is None:
            continue
        if res.decl_of(fn) is not None:
            return True  # a func value of the enclosing scope: a callback the caller controls
        if depth < 1:
            target = res.called_function(call)
            if target is not None:
                tbody = target[1].child_by_field_name("body")
                if tbody is not None and _coordinates(ctx, target[0], tbody, depth + 1):
                    return True
    for m in found.get("m", []):
        if text(m) in _SYNC_METHODS:
            return True
        sel = m.parent
        call = sel.parent if sel is not None else None
        if call is None:
            continue
        operand = sel.child_by_field_name("operand") if sel is not None else None
        if operand is not None and operand.type == "identifier":
            path = res.is_import(operand)
            if path is not None:
                if path in ("sync", "sync/atomic", "golang.org/x/sync/errgroup"):
                    return True
                continue
        if depth < 1:
            target = res.called_function(call)
            if target is not None:
                tbody = target[1].child_by_field_name("body")
                if tbody is not None and _coordinates(ctx, target[0], tbody, depth + 1):
                    return True
    return False


def _hands_over(ctx: Context, g: Goroutine) -> bool:
    """An argument of the go call (or a value the literal captures) that is a channel, sync value or func."""
    res = ctx.resolver(g.file)
    call = next((c for c in g.stmt.named_children if c.type == "call_expression"), None)
    args = call.child_by_field_name("arguments") if call is not None else None
    for a in args.named_children if args is not None else []:
        a = unparen(a)
        if a.type == "unary_expression" and text(a.child_by_field_name("operator")) == "&":
            return True  # &wg, &result: shared with the caller
        t = res.infer(a)
        if t is not None and (t.kind in ("chan", "func") or t.deref().pkg in ("sync", "context")):
            return True
        if t is not None and t.kind == "pointer":
            return True
    fn = unparen(call.child_by_field_name("function")) if call is not None else None
    if fn is not None and fn.type == "selector_expression":
        return False
    return False


@rule(
    "GL011",
    "unmanaged-goroutine-loop",
    Severity.INFO,
    "goroutines started in a loop whose completion and errors nobody collects",
    prefilter=GO_NEEDLES,
    package_needs=(b"for ",),
)
def unmanaged_goroutine_loop(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags a `go` statement inside a loop that starts one goroutine per item to run a finite task,
    when nothing ties those goroutines to the caller: the goroutine does not call `wg.Done()`, does not
    send a result or error on a channel, does not take a semaphore slot, does not touch a mutex, `Once`
    or atomic counter, and receives no channel, `WaitGroup`, pointer or callback from the caller.

    ## Why is this bad?
    Fire-and-forget fan-out: the caller cannot wait for the goroutines, cannot see their errors and
    cannot bound how many run at once. A large input starts thousands of goroutines at once; if the
    caller returns (a request ends, a test finishes) they keep running — or keep blocking — with nobody
    to notice. In a goroutine dump they show up in large numbers, all `created by` the same loop, in
    whatever state their task blocks in (`[IO wait]`, `[select]`, `[chan send]`).

    ## Example
    ```go
    for _, url := range urls {
        go func(u string) {
            resp, err := http.Get(u) // errors lost, no timeout, nobody waits
            if err == nil {
                resp.Body.Close()
            }
        }(url)
    }
    ```

    ## Use instead
    ```go
    g, ctx := errgroup.WithContext(ctx)
    for _, url := range urls {
        g.Go(func() error { return fetch(ctx, url) })
    }
    return g.Wait()
    ```
    (or a `sync.WaitGroup` plus an error channel).

    ## When it stays silent
    Long-lived workers started in a loop (an endless loop or a range over a channel inside: GL007 judges
    those); goroutines that use a `WaitGroup`, `errgroup`, a semaphore or result channel, a mutex, `Once`
    or atomic, directly or in a function of the package they call; goroutines given a channel, a
    pointer, a `sync` value, a context or a callback; goroutines whose body the analysis cannot see.

    ## Suppress
    `//leaktrail:ignore GL011 reason` on the `go` line or the line above.
    """
    wanted = {id(f) for f in ctx.files}
    for g in goroutines(ctx):
        if id(g.file) not in wanted or g.body is None:
            continue
        loop = enclosing_loop(g.stmt)
        if loop is None:
            continue
        bres = ctx.resolver(g.body_file)
        if _long_lived(bres, g.body) or _endless_target(ctx, g) is not None:
            continue
        if _hands_over(ctx, g) or _coordinates(ctx, g.body_file, g.body):
            continue
        what = "function started with go" if g.named else "goroutine"
        yield Report(
            g.file,
            g.stmt,
            f"{what} started once per iteration of the loop at line {line_of(loop)} and nothing waits for "
            f"it or collects its errors: fire-and-forget fan-out; use errgroup.WithContext or a "
            f"sync.WaitGroup (and a result/error channel)",
        )
