"""Long-lived goroutines that nothing can stop, fan-out nobody collects, respawns in recover handlers and
closures that pin memory for a goroutine's whole life (GL007, GL011, GL014, GL015)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

from leaktrail.model import Severity
from leaktrail.rules import rule
from leaktrail.rules.base import Context, Report, no_return_kind
from leaktrail.rules.channels import ChannelFates, _never_closed
from leaktrail.rules.channels import _callers as channel_callers
from leaktrail.rules.goroutines import (
    DEFER_STATEMENTS,
    GO_NEEDLES,
    Goroutine,
    go_statements_in,
    go_target,
    goroutines_where,
    inside,
    keyword_statements,
)
from leaktrail.rules.tokens import LEXEMES, called_by_name, word_tokens
from leaktrail.source.package import WORD_BYTE, GoFile
from leaktrail.source.parse import Node, captures, is_assign_target, line_of, text, unparen
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
        return (
            t is not None
            and t.deref().kind == "named"
            and t.deref().pkg == "time"
            and (t.deref().name in _TIMER_TYPES)
        )
    if expr.type == "identifier" and depth < 3:
        decl = res.decl_of(expr)
        if decl is not None and decl.kind in ("short", "var") and decl.value is not None and not decl.multi:
            if any(is_assign_target(u) for u in res.references(decl)):
                return False
            return is_timer_chan(res, decl.value, depth + 1)
    return False


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


def bounded_loop(res: Resolver, loop: Node) -> bool:
    """A loop that ends by itself: a counted three-clause loop against a constant or a `len(…)`, a range
    over an integer, or a range over a slice, array, map or string (never a channel or a function)."""
    clause = loop_clause(loop)
    if clause is None:
        return False
    if clause.type == "for_clause":
        cond = clause.child_by_field_name("condition")
        if cond is None or clause.child_by_field_name("update") is None:
            return False
        cond = unparen(cond)
        if cond.type != "binary_expression" or text(cond.child_by_field_name("operator")) not in (
            "<",
            "<=",
            ">",
            ">=",
        ):
            return False
        ends = (cond.child_by_field_name("left"), cond.child_by_field_name("right"))
        sides = [unparen(s) for s in ends if s is not None]
        if any(
            const_int(s) is not None
            or (s.type == "call_expression" and text(s.child_by_field_name("function")) == "len")
            for s in sides
        ):
            return True
        return _counted_against_invariant(res, loop, clause, sides)
    right = clause.child_by_field_name("right")
    if right is None:
        return False
    if const_int(right) is not None:
        return True
    t = res.infer(right)
    if t is None:
        return unparen(right).type == "composite_literal"
    t = t.deref() if t.kind == "pointer" and t.elem is not None and t.elem.kind == "array" else t
    return t.kind in ("slice", "array", "map") or (t.kind == "basic" and t.name in _RANGE_BASICS)


_RANGE_BASICS = frozenset({"string", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16"})


def _counted_against_invariant(res: Resolver, loop: Node, clause: Node, sides: list[Node]) -> bool:
    """`for i := 0; i < n; i++` where the body assigns neither i nor anything the bound `n` (a name or a
    field path, no calls) is made of: the number of iterations is fixed when the loop starts."""
    init = clause.child_by_field_name("initializer")
    update = clause.child_by_field_name("update")
    if init is None or init.type != "short_var_declaration" or update is None or len(sides) != 2:
        return False
    left = init.child_by_field_name("left")
    counters = {text(n) for n in left.named_children} if left is not None else set()
    if update.type not in ("inc_statement", "dec_statement", "assignment_statement"):
        return False
    stepped = update.named_children[0] if update.named_children else None
    if stepped is None or text(stepped) not in counters:
        return False
    counter = next((s for s in sides if s.type == "identifier" and text(s) in counters), None)
    bound = next((s for s in sides if s is not counter), None)
    if counter is None or bound is None:
        return False
    if captures("(call_expression) @c", bound).get("c"):
        return False
    names = {text(i) for i in captures("[(identifier) @i (field_identifier) @i]", bound).get("i", [])}
    names.add(text(counter))
    body = loop.child_by_field_name("body")
    if body is None:
        return True
    for target in captures(_ASSIGNED, body).get("t", []):
        idents = captures("[(identifier) @i (field_identifier) @i]", target).get("i", [])
        if any(text(i) in names for i in idents) or (target.type == "identifier" and text(target) in names):
            return False
    return True


_ASSIGNED = """
[(assignment_statement left: (expression_list (_) @t))
 (short_var_declaration left: (expression_list (_) @t))
 (inc_statement (_) @t)
 (dec_statement (_) @t)
 (unary_expression operator: "&" operand: (_) @t)]
"""


def in_bounded_loop(res: Resolver, node: Node) -> bool:
    """Every loop around node (in its own function) ends by itself, and there is at least one."""
    p = node.parent
    seen = False
    while p is not None and p.type not in FUNC_NODES:
        if p.type == "for_statement":
            if not bounded_loop(res, p):
                return False
            seen = True
        p = p.parent
    return seen


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
    if name.startswith("Example") and file.path.name.endswith("_test.go"):
        return True  # an example documents a main program
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
    scopes = [g.func]
    if not g.named:
        scopes += _enclosing_chain(g.func)  # a closure also sees its enclosing functions' parameters
    for func in scopes:
        params = func.child_by_field_name("parameters")
        for p in params.named_children if params is not None else []:
            if p.type != "parameter_declaration":
                continue
            t = res.type_of_node(p.child_by_field_name("type"))
            if not _stop_type(t):
                continue
            for name in p.children_by_field_name("name"):
                if text(name) not in used and text(name) != "_" and _can_signal(ctx, g, res, name, t):
                    return text(name)
    if g.func.type != "method_declaration":
        return None
    recv = g.func.child_by_field_name("receiver")
    rparam = (
        next((p for p in recv.named_children if p.type == "parameter_declaration"), None) if recv else None
    )
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


def _can_signal(ctx: Context, g: Goroutine, res: Resolver, name: Node, t: GoType | None) -> bool:
    """A context parameter every caller gives Background()/TODO() cannot stop anything: it is no
    ignored stop signal (saying so would suggest that watching it helps)."""
    if t is None or not t.is_named("context", "Context"):
        return True
    from leaktrail.rules.ctxflow import may_be_cancelled  # ctxflow builds on this module

    decl = res.decl_of(name)
    return decl is None or may_be_cancelled(ctx, g.body_file, decl, g.stmt)


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
    also has a `context.Context` or `chan struct{}` — a parameter, a field of its receiver, or a
    parameter of the function around the closure — that it never reads; a context every caller passes
    as `Background()`/`TODO()` is no stop signal); goroutines started by `main()`, `init()` or an
    `Example` function, or by a function whose every call runs once on their path (outside loops and
    function literals, through unexported functions), through a package-level `sync.Once`, or after a
    singleton guard (`if instance != nil { return instance }; instance = …` on a package-level variable
    nothing else assigns), which are meant to live as long as the process;
    in the code of a command (package `main`, or a package under a `cmd/` directory of the module) the
    finding is `info`, unless a loop of the package calls the starter again; a package-level
    function whose loop waits only inside calls we cannot see (a process-wide service such as the
    runtime's sweeper); loops with a condition (`for running {}`).

    ## Suppress
    `//leaktrail:ignore GL007 reason` on the `go` line or the line above.
    """
    wanted = {id(f) for f in ctx.files}
    way_out = _WayOut(ctx)
    for g in _worker_goroutines(ctx):
        if id(g.file) not in wanted or _program_lifetime(g.stmt, g.file):
            continue
        found = _endless_target(ctx, g)
        if found is None:
            continue
        lfile, loop = found
        singleton = g.named and g.func.type == "function_declaration"
        if (singleton and not waits_visibly(ctx.resolver(lfile), loop)) or way_out.structural(lfile, loop):
            continue
        ignored = _ignored_stop_signal(ctx, g)
        if way_out.receives(lfile, loop, ignored is not None) is not None:
            continue
        where = "" if lfile is g.file else f" in {lfile.path.name}"
        because = f"; it never looks at {ignored}" if ignored is not None else ""
        launcher = enclosing_func(g.stmt)
        if launcher is not None and (
            runs_once_from_main(ctx, g.file, launcher)
            or _once_per_process(ctx.resolver(g.file), launcher)
            or _singleton_guard(ctx, g.file, launcher, g.stmt)
        ):
            continue  # started once per process: it is meant to live as long as the process
        again = launcher is not None and _called_in_loop(ctx, g.file, launcher)
        if program_code(ctx, g.file) and not again:
            yield Report(
                g.file,
                g.stmt,
                f"goroutine runs an endless loop (line {line_of(loop)}{where}) that nothing can stop"
                f"{because}: it runs until the process exits, which suits a command's goroutine started "
                f"once; if this code runs more than once per process, each run adds one more goroutine — "
                f"then add a case <-ctx.Done() (or a quit channel) that returns",
                severity=Severity.INFO,
            )
            continue
        starter = _starter_name(launcher)
        yield Report(
            g.file,
            g.stmt,
            f"goroutine runs an endless loop (line {line_of(loop)}{where}) that nothing can stop{because}: "
            f"it runs until the process exits, and every call of {starter} starts one more; add a case "
            f"<-ctx.Done() (or a quit channel) that returns",
        )


def _starter_name(func: Node | None) -> str:
    if func is None or func.type == "func_literal":
        return "the function literal that starts it"
    name = text(func.child_by_field_name("name"))
    return f"{name}" if func.type == "function_declaration" else f"the method {name}"


def program_code(ctx: Context, file: GoFile) -> bool:
    """Code of a command: package main, or a package under a `cmd` directory of its module (the Go
    layout for the code of executables), outside test files."""
    if file.is_test:
        return False
    if ctx.pkg.name == "main":
        return True
    module = ctx.pkg.module
    parts = list(module.path.split("/")) if module.path else []
    if module.root is None:
        parts += list(ctx.pkg.dir.parts[-3:])  # no go.mod: the nearest directories
    else:
        try:
            parts += list(ctx.pkg.dir.resolve().relative_to(module.root.resolve()).parts)
        except ValueError:
            return False
    return "cmd" in parts


def _once_per_process(res: Resolver, func: Node) -> bool:
    """A function literal given to `once.Do` of a package-level `sync.Once`: it runs once per process."""
    args = func.parent
    call = args.parent if args is not None and args.type == "argument_list" else None
    fn = call.child_by_field_name("function") if call is not None else None
    if fn is None or fn.type != "selector_expression" or text(fn.child_by_field_name("field")) != "Do":
        return False
    operand = unparen(fn.child_by_field_name("operand") or fn)
    if operand.type != "identifier" or res.decl_of(operand) is not None or res.is_import(operand):
        return False
    t = res.package_name_type(text(operand))
    return t is not None and t.is_named("sync", "Once")


def _singleton_guard(ctx: Context, file: GoFile, func: Node, stmt: Node) -> bool:
    """`if instance != nil { return instance }` (or `if started { return }`) on a package-level variable
    that the function itself sets before the go statement, and nothing else in the package assigns:
    the goroutine is started at most once per process."""
    res = ctx.resolver(file)
    body = func.child_by_field_name("body")
    guarded: str | None = None
    for st in statements(body):
        if st.start_byte >= stmt.start_byte:
            break
        if st.type == "if_statement" and guarded is None:
            guarded = _guard_var(res, st)
            continue
        if guarded is not None and st.type == "assignment_statement":
            left = st.child_by_field_name("left")
            if left is not None and any(text(n) == guarded for n in left.named_children):
                return _assigned_only_in(ctx, guarded, func)
    return False


def _guard_var(res: Resolver, st: Node) -> str | None:
    """The package-level variable of `if v != nil { return … }` / `if v { return … }`."""
    cond = unparen(st.child_by_field_name("condition") or st)
    then = st.child_by_field_name("consequence")
    if st.child_by_field_name("alternative") is not None or then is None:
        return None
    last = statements(then)[-1:] if statements(then) else []
    if not last or last[0].type != "return_statement":
        return None
    if cond.type == "binary_expression" and text(cond.child_by_field_name("operator")) == "!=":
        left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
        var = left if right is not None and right.type == "nil" else None
    else:
        var = cond
    if var is None or unparen(var).type != "identifier":
        return None
    name = text(unparen(var))
    if res.decl_of(unparen(var)) is not None or res.pkg.lookup_var(name) is None:
        return None
    return name


def _assigned_only_in(ctx: Context, name: str, func: Node) -> bool:
    """No assignment to the package-level variable outside `func` (a reset would start another)."""
    for f in ctx.pkg.files_containing(name.encode()):
        res = ctx.resolver(f)
        for ident in f.identifiers.get(name, ()):
            if not is_assign_target(ident, short=False) or res.decl_of(ident) is not None:
                continue
            owner = enclosing_func(ident)
            if owner is not None and owner != func:
                return False
    return True


def _called_in_loop(ctx: Context, file: GoFile, func: Node) -> bool:
    """Some in-package call of the function sits in a loop: it starts its goroutine again and again."""
    if func.type not in ("function_declaration", "method_declaration"):
        return False
    calls = channel_callers(ctx, file, func, text(func.child_by_field_name("name")))
    return any(enclosing_loop(call) is not None for _f, call in calls or [])


def runs_once_from_main(ctx: Context, file: GoFile, func: Node, depth: int = 0) -> bool:
    """`main`/`init` of package main, or an unexported function (any function, in package main) whose
    every in-package call runs once on such a path: outside loops and function literals."""
    if depth > 4 or func.type not in ("function_declaration", "method_declaration"):
        return False
    name = text(func.child_by_field_name("name"))
    is_main = ctx.pkg.name == "main" and not file.is_test
    if func.type == "function_declaration" and (name == "init" or (is_main and name == "main")):
        return True
    if not is_main and (not name or not (name[0].islower() or name[0] == "_")):
        return False
    calls = channel_callers(ctx, file, func, name)
    if not calls:
        return False
    for cfile, call in calls:
        caller = enclosing_func(call)
        if caller is None or enclosing_loop(call) is not None or caller == func:
            return False
        if not runs_once_from_main(ctx, cfile, caller, depth + 1):
            return False
    return True


def waits_visibly(res: Resolver, loop: Node) -> bool:
    """The loop idles at an operation we can see: a channel operation, a select, a sleep, a Wait.

    A package-level function whose loop blocks only inside opaque calls (`gopark()`, `queue.Pop()`)
    is typically a process-wide service (the runtime's sweeper, finalizer goroutine) started once:
    precision first. Closures and methods carry per-call state, so each start leaks.
    """
    clause = loop_clause(loop)
    if clause is not None and clause.type == "range_clause":
        return True
    body = loop.child_by_field_name("body")
    if body is None:
        return False
    found = captures(_BLOCKING, body)
    func = enclosing_func(loop)
    for node in found.get("b", []):
        if enclosing_func(node) == func:
            return True
    for call in found.get("c", []):
        if enclosing_func(call) != func:
            continue
        if res.qualified_call(call) == "time.Sleep":
            return True
        fn = call.child_by_field_name("function")
        if (
            fn is not None
            and fn.type == "selector_expression"
            and text(fn.child_by_field_name("field")) == "Wait"
        ):
            return True
    return False


_BLOCKING = """
[(send_statement) @b
 (unary_expression operator: "<-") @b
 (select_statement) @b
 (call_expression function: (selector_expression)) @c]
"""


def _endless_target(ctx: Context, g: Goroutine) -> tuple[GoFile, Node] | None:
    """The endless loop at the top level of the goroutine's body, or of a function it calls first-hand
    (once per goroutine function: GL007 and GL011 both ask)."""
    return ctx.per_function(
        "workers:endless-target", g.body_file, g.func, lambda: _find_endless_target(ctx, g)
    )


def _find_endless_target(ctx: Context, g: Goroutine) -> tuple[GoFile, Node] | None:
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
        "Done",
        "Add",
        "Wait",
        "Go",
        "Lock",
        "Unlock",
        "RLock",
        "RUnlock",
        "Signal",
        "Broadcast",
        "Do",
        "Acquire",
        "Release",
        "TryAcquire",
        "Store",
        "Swap",
        "CompareAndSwap",
        "Load",
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


def _drains(res: Resolver, loop: Node) -> bool:
    """`for range x.Errors() {}`: an empty range over a value of unknown type can only be a channel
    being drained (over a slice or map it would do nothing)."""
    clause = loop_clause(loop)
    body = loop.child_by_field_name("body")
    if clause is None or clause.type != "range_clause" or body is None or statements(body):
        return False
    return res.infer(clause.child_by_field_name("right")) is None


def _long_lived(res: Resolver, body: Node | None) -> bool:
    for s in statements(body):
        if s.type == "for_statement" and (
            endless_loop(res, s)
            or range_over_chan(res, s)
            or _loop_condition(s) is not None
            or _drains(res, s)
        ):
            return True  # a worker: endless, draining a channel, or running while a condition holds
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
    for arg in captures("(argument_list [(identifier) (selector_expression)] @a)", body).get("a", []):
        t = res.infer(arg)
        if t is not None and t.kind == "chan":
            return True  # hands a channel to the call (`d.Run(ctx, results)`): it reports through it
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
        if (
            text(m) in ("Close", "CloseWithError")
            and operand is not None
            and _outer_value(res, operand, body)
        ):
            return True  # closes the caller's pipe/connection: the caller sees the end
        target = res.called_function(call)
        if target is None and operand is not None:
            ft = res.infer(sel)
            if ft is not None and ft.kind == "func":
                return True  # a callback stored in a field
        if depth < 1 and target is not None:
            tbody = target[1].child_by_field_name("body")
            if tbody is not None and _coordinates(ctx, target[0], tbody, depth + 1):
                return True
    return False


def _outer_value(res: Resolver, operand: Node, body: Node) -> bool:
    """The operand is a variable declared outside `body` (captured, or a parameter of the function)."""
    root = unparen(operand)
    while root.type == "selector_expression":
        root = unparen(root.child_by_field_name("operand") or root)
    if root.type != "identifier":
        return False
    decl = res.decl_of(root)
    return decl is not None and not inside(decl.ident, body)


def _fan_out_loop(res: Resolver, loop: Node) -> bool:
    """A loop over a finite collection: range over a slice/map/int/string, or a counted three-clause loop."""
    clause = loop_clause(loop)
    if clause is None:
        return False
    if clause.type == "for_clause":
        return clause.child_by_field_name("condition") is not None
    t = res.infer(clause.child_by_field_name("right"))
    return t is None or t.kind != "chan"


def _collected_after(g: Goroutine, loop: Node) -> bool:
    """The iteration itself waits after the go statement (a receive, a Wait): the result is collected."""
    body = loop.child_by_field_name("body")
    if body is None:
        return False
    func = enclosing_func(g.stmt)
    for node in captures(_BLOCKING, body).get("b", []):
        if (
            node.start_byte > g.stmt.end_byte
            and enclosing_func(node) == func
            and node.type != "send_statement"
        ):
            return True
    for call in captures(_BLOCKING, body).get("c", []):
        fn = call.child_by_field_name("function")
        if (
            call.start_byte > g.stmt.end_byte
            and enclosing_func(call) == func
            and fn is not None
            and text(fn.child_by_field_name("field")) == "Wait"
        ):
            return True
    return False


_TEST_REPORTS = frozenset({"Error", "Errorf", "Fatal", "Fatalf", "Fail", "FailNow"})
_TEST_REPORT_BYTES = (b"Error", b"Fatal", b"Fail")
"""Substrings of every name in _TEST_REPORTS."""


def _reports_to_test(res: Resolver, body: Node) -> bool:
    """The goroutine reports its outcome through the test (`t.Errorf`): its errors are collected by
    the testing package, which fails the test (and complains about a report after the test ended)."""
    if not any(name in (body.text or b"") for name in _TEST_REPORT_BYTES):
        return False  # no such method name in the body: no query over it
    for call in captures("(call_expression function: (selector_expression)) @c", body).get("c", []):
        fn = call.child_by_field_name("function")
        if fn is None or text(fn.child_by_field_name("field")) not in _TEST_REPORTS:
            continue
        t = res.infer(fn.child_by_field_name("operand"))
        t = t.deref() if t is not None else None
        if t is not None and t.kind == "named" and t.pkg == "testing" and t.name in ("T", "B", "F", "TB"):
            return True
    return False


def _in_synctest_bubble(res: Resolver, stmt: Node) -> bool:
    """Inside `synctest.Test(t, func…)` (which waits for every goroutine of its bubble) or in a function
    that calls `synctest.Wait()`: the goroutines are waited for."""
    if b"testing/synctest" not in res.file.data:
        return False  # qualified_call names an import of this file: no such import, no such call
    for func in _enclosing_chain(stmt):
        call = func.parent.parent if func.parent is not None else None
        if (
            func.type == "func_literal"
            and call is not None
            and call.type == "call_expression"
            and res.qualified_call(call) in ("testing/synctest.Test", "testing/synctest.Run")
        ):
            return True
        for c in captures("(call_expression function: (selector_expression)) @c", func).get("c", []):
            if res.qualified_call(c) == "testing/synctest.Wait":
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
        if t is not None and (t.kind in ("chan", "func") or t.deref().pkg == "sync"):
            return True
        if t is not None and t.kind == "pointer":
            return True
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
    pointer, a `sync` value or a callback; goroutines the iteration waits for right away (a receive or
    `Wait()` after the `go`); goroutines inside a `synctest.Test` bubble or before `synctest.Wait()`;
    goroutines that hand a channel to a call (`d.Run(ctx, results)`: they report through it); test
    goroutines that report through `t.Error`/`t.Fatal` (the testing package collects the failure);
    goroutines started by an accept/event loop (`for { … }`) rather than a loop over a collection;
    goroutines whose body the analysis cannot see; goroutines whose body cannot block — no channel
    operation, loop or nested goroutine, and only calls that compute or print (builtins, `fmt.Print*`,
    `log`, `strings`, `strconv`, `encoding/json` …, or functions of the package that cannot block
    either): they finish on their own, so a loop of them cannot pile up.

    ## Suppress
    `//leaktrail:ignore GL011 reason` on the `go` line or the line above.
    """
    wanted = {id(f) for f in ctx.files}
    for g in _worker_goroutines(ctx):
        if id(g.file) not in wanted or g.body is None:
            continue
        loop = enclosing_loop(g.stmt)
        if loop is None or not _fan_out_loop(ctx.resolver(g.file), loop) or _collected_after(g, loop):
            continue
        if _in_synctest_bubble(ctx.resolver(g.file), g.stmt):
            continue
        bres = ctx.resolver(g.body_file)
        if _long_lived(bres, g.body) or _endless_target(ctx, g) is not None:
            continue
        if _hands_over(ctx, g) or _reports_to_test(bres, g.body) or _coordinates(ctx, g.body_file, g.body):
            continue  # (the test-report check costs least of the last two: asked first)
        if _cannot_block(ctx, g.body_file, g.body, 0):
            continue
        what = "function started with go" if g.named else "goroutine"
        yield Report(
            g.file,
            g.stmt,
            f"{what} started once per iteration of the loop at line {line_of(loop)} and nothing waits for "
            f"it or collects its errors: fire-and-forget fan-out; use errgroup.WithContext or a "
            f"sync.WaitGroup (and a result/error channel)",
        )


# Packages whose functions compute and return without waiting on anything outside the process (printing to
# the process's own stdout/stderr and logging count as not blocking: they do not pile goroutines up).
_NON_BLOCKING_PACKAGES = frozenset(
    {
        "fmt",
        "log",
        "strings",
        "strconv",
        "bytes",
        "errors",
        "math",
        "math/bits",
        "math/rand",
        "math/rand/v2",
        "sort",
        "slices",
        "maps",
        "unicode",
        "unicode/utf8",
        "unicode/utf16",
        "path",
        "encoding/json",
        "encoding/hex",
        "encoding/base64",
        "encoding/binary",
        "hash/crc32",
        "hash/fnv",
        "crypto/sha256",
        "crypto/sha1",
        "crypto/md5",
        "regexp",
        "sync/atomic",
        "cmp",
        "html",
        "net/url",
    }
)
_NON_BLOCKING_FUNCS = frozenset({"time.Now", "time.Since", "time.Until", "time.Duration", "time.Unix"})
_BUILTINS = frozenset(
    {
        "append",
        "len",
        "cap",
        "copy",
        "delete",
        "make",
        "new",
        "print",
        "println",
        "min",
        "max",
        "clear",
        "complex",
        "real",
        "imag",
        "string",
        "int",
        "int64",
        "float64",
        "byte",
        "rune",
        "uint",
        "uint64",
    }
)


def _cannot_block(ctx: Context, file: GoFile, body: Node, depth: int) -> bool:
    """The goroutine's work can only compute and print: no channel operation, no loop, no nested goroutine,
    and every call is a builtin, a function of a package that never waits on the outside (fmt, strings,
    encoding/json …), or a function of this package that cannot block either (two calls deep). Such a
    goroutine finishes on its own, so a loop of them cannot pile up (issue 11, mechanism 10); anything the
    analysis cannot see (a method of an unknown type, another package's function) may block."""
    if depth > 2:
        return False
    found = captures(
        "[(send_statement) (select_statement) (go_statement) (for_statement)"
        ' (unary_expression operator: "<-")] @x',
        body,
    )
    if found.get("x"):
        return False
    res = ctx.resolver(file)
    for call in captures("(call_expression) @c", body).get("c", []):
        fn = unparen(call.child_by_field_name("function") or call)
        if fn.type == "func_literal":
            continue  # its own calls are in this capture too
        name = text(fn)
        if (
            fn.type == "identifier"
            and name in _BUILTINS
            and res.decl_of(fn) is None
            and ctx.pkg.lookup_func(name) is None
        ):
            continue
        qualified = res.qualified_call(call)
        if qualified is not None:
            pkg, func = qualified.rsplit(".", 1)
            if pkg == "fmt" and func.startswith(("F", "Scan")):
                return False  # writes to (or reads from) a writer that may be a socket or a pipe
            if pkg in _NON_BLOCKING_PACKAGES or qualified in _NON_BLOCKING_FUNCS:
                continue
            return False
        callee = res.called_function(call)
        if callee is None:
            return False
        cbody = callee[1].child_by_field_name("body")
        if cbody is None or not _cannot_block(ctx, callee[0], cbody, depth + 1):
            return False
    return True


# -- GL014 ------------------------------------------------------------------------------------------------
_BACKOFF_CALLS = frozenset({"time.Sleep", "time.After", "time.NewTimer", "time.AfterFunc", "time.Tick"})


_RECOVER = re.compile(rb"recover\b")  # word_tokens checks the token: no slow leading \b


def _recover_calls(res: Resolver, node: Node) -> list[Node]:
    """The builtin recover() calls inside node (a local or package-level `recover` is not the builtin).
    Found from the word in the bytes, not by a query over the whole tree."""
    if b"recover" not in res.file.data[node.start_byte : node.end_byte]:
        return []
    if res.pkg.lookup_func("recover") is not None:
        return []
    return [
        fn
        for fn in word_tokens(res.file, _RECOVER, node)
        if fn.type == "identifier" and called_by_name(fn) is not None and res.decl_of(fn) is None
    ]


def _file_recovers(ctx: Context, file: GoFile) -> list[Node]:
    key = f"gl014-recovers:{id(file)}"
    found = ctx.shared.get(key)
    if not isinstance(found, list):
        found = ctx.shared[key] = _recover_calls(ctx.resolver(file), file.root)
    return found


def _recover_handlers(ctx: Context, file: GoFile) -> Iterator[tuple[Node, Node]]:
    """(defer statement, deferred function literal) pairs whose literal calls recover()."""
    seen: set[int] = set()
    for r in _file_recovers(ctx, file):
        lit = enclosing_func(r)
        call = lit.parent if lit is not None else None
        defer = call.parent if call is not None else None
        if (
            lit is None
            or lit.type != "func_literal"
            or defer is None
            or defer.type != "defer_statement"
            or lit.start_byte in seen
        ):
            continue
        seen.add(lit.start_byte)
        yield defer, lit


def _named_handlers(ctx: Context) -> Iterator[tuple[GoFile, Node, GoFile, Node]]:
    """(defer file, defer statement, handler file, handler) for `defer w.recoverer()` style handlers:
    a same-package function or method that calls recover() itself."""
    wanted = {id(f) for f in ctx.files}
    names: set[bytes] = set()
    handlers: set[tuple[int, int]] = set()
    for f in ctx.files:
        if _cannot_respawn(ctx, f):
            continue
        for r in _file_recovers(ctx, f):
            func = enclosing_func(r)
            if func is not None and func.type in ("function_declaration", "method_declaration"):
                names.add(text(func.child_by_field_name("name")).encode())
                handlers.add((id(f), func.start_byte))
    sites = {id(f): f for n in names for f in ctx.pkg.files_containing(n) if b"defer" in f.data}
    for f in sites.values():
        res = ctx.resolver(f)
        defers = keyword_statements(ctx, f, DEFER_STATEMENTS)  # (the file's query index, once built)
        for call in [c for d in defers for c in d.named_children if c.type == "call_expression"]:
            fn = call.child_by_field_name("function")
            if fn is None or fn.type == "func_literal":
                continue
            callee = unparen(fn)
            if callee.type == "selector_expression":
                callee = callee.child_by_field_name("field") or callee
            if text(callee).encode() not in names:
                continue  # called_function finds only a function of the call's own name: not a handler
            target = res.called_function(call)
            if target is None or id(target[0]) not in wanted:
                continue
            if (id(target[0]), target[1].start_byte) in handlers and call.parent is not None:
                yield f, call.parent, target[0], target[1]


def code_only(data: bytes) -> bytes | None:
    """The file's bytes with every comment and rune literal blanked to spaces and every string literal
    to `"…"` holding only 0x01 bytes, each the same length as before (offsets stay those of the file):
    what remains outside the quotes are the tokens the parse reads. None when some literal or comment
    does not close (the scan could not follow the file: take no chances)."""
    code = LEXEMES.sub(_blank, data)
    rest = _BLANKED_STRING.sub(b"", code)
    if b"/*" in rest or b'"' in rest or b"'" in rest or b"`" in rest:
        return None
    return code


def reads_cleanly(data: bytes) -> bool:
    """Every comment and literal closes, the code outside them is ASCII and its brackets nest: what
    `code_only(data)` and `nested` accept, read without building the blanked copy (no Python call per
    comment or literal)."""
    rest = LEXEMES.sub(b" ", data)
    if b"/*" in rest or b'"' in rest or b"'" in rest or b"`" in rest:
        return False
    return rest.isascii() and nested(rest)


def _blank(m: re.Match[bytes]) -> bytes:
    start, end = m.span()
    if m.string[start] in b'"`':
        return (
            _QUOTED_FILL[: end - start - 1] + b'"' if end - start < len(_QUOTED_FILL) else _long(end - start)
        )
    return _SPACES[: end - start] if end - start <= len(_SPACES) else b" " * (end - start)


def _long(size: int) -> bytes:
    return b'"' + b"\x01" * (size - 2) + b'"'


_SPACES = b" " * 4096
_QUOTED_FILL = b'"' + b"\x01" * 4096


_BLANKED_STRING = re.compile(rb'"\x01*"')


_GO_KEYWORDS = frozenset(
    b"break case chan const continue default defer else fallthrough for func go goto if import "
    b"interface map package range return select struct switch type var".split()
)
_GO_WORD = re.compile(rb"go\b")  # (a leading \b or look-behind makes the engine try every byte)
_RECOVER_WORD = re.compile(rb"recover\b")


def _has_word(code: bytes, word: re.Pattern[bytes]) -> bool:
    """`word` (a pattern ending in \\b) occurs in `code` as a whole word."""
    return any(not m.start() or not WORD_BYTE[code[m.start() - 1]] for m in word.finditer(code))


_CALLED_WORD = re.compile(rb"([A-Za-z_]\w*)[\s)]*[(\[]")
"""A name the parse may read as a call's function (`f(`, `x.f(`, `(f)(`, `f[T](`); matched from the
left, a match starts at a word's start (or after a digit: a spare name, which only adds a doubt)."""
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"{}()")
_NOT_ALL_BRACKETS = bytes(b for b in range(256) if b not in b"{}()[]")


def _cannot_respawn(ctx: Context, file: GoFile) -> bool:
    """GL014 can report nothing in `file` (a handler of its, literal or named, relaunches nothing it
    could restart), decided on bytes so the file stays unparsed. Every report needs a `go` statement
    in the file, or a call statement in the function holding a recover() call (the handler) whose
    callee — found by its name, `lookup_func`/`lookup_method` — is a function enclosing a `defer` (a
    restarted one) or a starter running `go`: a function or method of the package, so a name that
    Package.declaring may answer with some file (its heads, its top-level names) or that the file
    itself may declare. True when the file's code (comments and literals blanked) has no `go`, and no
    name called in the innermost function literal around each recover() (the whole file for one
    outside a literal recognised from the bytes) can be such a function; False whenever the bytes
    leave a doubt (non-ASCII code, brackets that do not nest)."""
    return _byte_proof(ctx, "gl014-cannot", file, _no_respawn_bytes)


def _byte_proof(ctx: Context, table: str, file: GoFile, prove: Callable[[Context, GoFile], bool]) -> bool:
    """`prove(ctx, file)`, once per file and package (a byte proof is asked by every goroutine)."""
    memo = ctx.shared.setdefault(table, {})
    assert isinstance(memo, dict)
    found = memo.get(id(file))
    if found is None:
        found = memo[id(file)] = prove(ctx, file)
    return bool(found)


def _no_respawn_bytes(ctx: Context, file: GoFile) -> bool:
    if file.parsed:
        return False  # parsed already: nothing to save
    code = code_only(file.data)
    if code is None or not code.isascii() or not nested(code):
        return False
    gos = [m.start() for m in _GO_WORD.finditer(code) if not m.start() or not WORD_BYTE[code[m.start() - 1]]]
    tops: list[int] | None = None
    names: set[bytes] = set()
    for r in _RECOVER_WORD.finditer(code):
        if r.start() and WORD_BYTE[code[r.start() - 1]]:
            continue
        if tops is None:
            tops = _toplevel_funcs(code)
        # The top-level declaration holding the recover() lies in [lo, hi): every function body around
        # it is a brace pair, and no split point lies inside braces.
        i = bisect.bisect_right(tops, r.start())
        lo, hi = tops[i - 1] if i else 0, tops[i] if i < len(tops) else len(code)
        # A `go` in that declaration may relaunch (in the handler, or after the defer in the function
        # that registers it); one elsewhere in the file only through a called starter, whose name the
        # check below reads.
        if any(lo <= g < hi for g in gos):
            return False
        # The handler is the innermost literal around the recover() or, outside a literal recognised
        # from the bytes, a function (literal or declared) whose body lies in [lo, hi): the calls it
        # may relaunch by are there.
        body = _innermost_literal(code, r.start())
        names |= _called_names(code, body if body is not None else (lo, hi))
    if not names:
        return True
    heads, top = _package_heads(ctx)
    for name in names:
        i = bisect.bisect_left(heads, name)
        if (i < len(heads) and heads[i].startswith(name)) or name.decode() in top or _may_declare(code, name):
            return False
    return True


_FUNC_AT_COLUMN_0 = re.compile(rb"\nfunc\b")


def _toplevel_funcs(code: bytes) -> list[int]:
    """Where each `func` first on a line outside every brace starts (code_only bytes whose brackets
    nest): a top-level declaration holding a position lies between the last such start at or before
    it and the next one (a declaration written otherwise only widens that span)."""
    found: list[int] = []
    depth = last = 0
    for m in _FUNC_AT_COLUMN_0.finditer(code):
        at = m.start() + 1
        depth += code.count(b"{", last, at) - code.count(b"}", last, at)
        last = at
        if depth == 0:
            found.append(at)
    return found


def nested(code: bytes, square: bool = False) -> bool:
    """The parentheses and braces of `code` (and its square brackets with `square`) pair up and nest
    (no `(…}`)."""
    brackets = code.translate(None, _NOT_ALL_BRACKETS if square else _NOT_BRACKETS)
    while True:
        rest = brackets.replace(b"()", b"").replace(b"{}", b"")
        if square:
            rest = rest.replace(b"[]", b"")
        if rest == brackets:
            return not rest
        brackets = rest


def _innermost_literal(code: bytes, at: int) -> tuple[int, int] | None:
    """The body of the innermost function literal holding `at` that literal_body recognises; None when
    none does before a `func` that starts a line (a declaration's: a literal around `at` starts after
    it — or a literal written there, which only makes the caller search the whole file)."""
    pos = at
    while True:
        f = code.rfind(b"func", 0, pos)
        if f < 0 or (f > 0 and code[f - 1] == 0x0A):
            return None
        pos = f
        if (f > 0 and WORD_BYTE[code[f - 1]]) or (f + 4 < len(code) and WORD_BYTE[code[f + 4]]):
            continue
        body = literal_body(code, f)
        if body is not None and body[0] <= at < body[1]:
            return body


_LITERAL_AFTER = frozenset(b"(,=:{;")
_RESULT_TYPE = re.compile(rb"[ \t]*(?:[\w.*\[\] \t]*?)[ \t]*\{")


def literal_body(code: bytes, at: int) -> tuple[int, int] | None:
    """The body `{…}` of the function literal whose `func` keyword is at `at` in nested code, when it
    certainly is one: `func` in an expression's place (after `(`, `,`, `=`, `:`, `{`, `;`, `return`,
    `defer` on its line), its parameters, a result that is a type name, pointer, slice, map, channel
    or a parenthesized list, then `{`. A literal not recognised only widens the region searched."""
    j = at - 1
    while j >= 0 and code[j] in b" \t":
        j -= 1
    if j < 0 or (code[j] not in _LITERAL_AFTER and not _keyword_ends(code, j)):
        return None
    k = _skip_blanks(code, at + 4)
    if k >= len(code) or code[k] != 0x28:
        return None
    k = _skip_blanks(code, _past_match(code, k))  # past the parameters
    if k < len(code) and code[k] == 0x28:
        k = _skip_blanks(code, _past_match(code, k))  # a parenthesized result list
    else:
        result = _RESULT_TYPE.match(code, k)
        if result is None or re.search(rb"(?:struct|interface)[ \t]*\{$", result.group()):
            return None
        k = result.end() - 1
    if k < len(code) and code[k] == 0x7B:
        return (k, _past_match(code, k))
    return None


_BRACES = re.compile(rb"[{}]")
_PARENS = re.compile(rb"[()]")


def _past_match(code: bytes, at: int) -> int:
    """Just past the bracket matching the one at `at` (code that nests)."""
    depth = 0
    for m in (_BRACES if code[at] == 0x7B else _PARENS).finditer(code, at):
        depth += 1 if m.group()[0] in (0x7B, 0x28) else -1
        if depth == 0:
            return m.end()
    return len(code)


def _keyword_ends(code: bytes, j: int) -> bool:
    """`defer` or `return` ends at j (inclusive), as a whole word."""
    for word in (b"defer", b"return"):
        start = j + 1 - len(word)
        if start >= 0 and code[start : j + 1] == word and (start == 0 or not WORD_BYTE[code[start - 1]]):
            return True
    return False


def _skip_blanks(code: bytes, at: int) -> int:
    while at < len(code) and code[at] in b" \t":
        at += 1
    return at


def _called_names(code: bytes, region: tuple[int, int]) -> set[bytes]:
    """The names called in `region` that may resolve to a function of the package: not keywords, and
    not the builtin `recover` (a package function named recover means no recover() call at all, see
    _recover_calls), though a method `x.recover()` may be one."""
    found: set[bytes] = set()
    for w in _CALLED_WORD.finditer(code, region[0], region[1]):
        name = w.group(1)
        if name in _GO_KEYWORDS:
            continue
        if name == b"recover":
            j = w.start(1) - 1
            while j >= 0 and code[j] in b" \t\r\n":
                j -= 1
            if j < 0 or code[j] != 0x2E:
                continue
        found.add(name)
    return found


def _may_declare(code: bytes, name: bytes) -> bool:
    """Some occurrence of `name` in the code follows `func`, or the `)` of a parameter list that follows
    `func` (blanks and line breaks between): a declaration of it, however written."""
    size = len(name)
    at = code.find(name)
    while at >= 0:
        end = at + size
        whole = (at == 0 or not WORD_BYTE[code[at - 1]]) and (end == len(code) or not WORD_BYTE[code[end]])
        if whole and _declared_at(code, at):
            return True
        at = code.find(name, end)
    return False


def _open_of(code: bytes, close: int) -> int:
    """The `(` matching the `)` at `close` (-1 when there is none)."""
    depth, i = 1, close
    while depth:
        o, c = code.rfind(b"(", 0, i), code.rfind(b")", 0, i)
        if o < 0:
            return -1
        depth, i = (depth + 1, c) if c > o else (depth - 1, o)
    return i


def _package_heads(ctx: Context) -> tuple[list[bytes], frozenset[str]]:
    """The function heads (sorted) and top-level names of every file of the package, as
    Package.declaring reads them."""
    key = "gl014-heads"
    found = ctx.shared.get(key)
    if found is None:
        heads: set[bytes] = set()
        top: set[str] = set()
        for f in ctx.pkg.files:
            heads.update(f.decl_heads("func"))
            top.update(f.toplevel_names)
        found = ctx.shared[key] = (sorted(heads), frozenset(top))
    assert isinstance(found, tuple)
    return found


def _enclosing_chain(node: Node) -> list[Node]:
    out = []
    p = enclosing_func(node)
    while p is not None:
        out.append(p)
        p = enclosing_func(p)
    return out


def _targets_in(ctx: Context, file: GoFile, call_or_go: Node, chain: list[Node]) -> Node | None:
    """The function of `chain` that a call or go statement runs again, if any."""
    res = ctx.resolver(file)
    t: tuple[GoFile, Node] | None = None
    if call_or_go.type == "go_statement":
        target = go_target(ctx, file, call_or_go)
        found = target[1] if target is not None else None
    else:
        t = res.called_function(call_or_go)
        found = t[1] if t is not None else None
    if found is None:
        return None
    direct = next((f for f in chain if f == found), None)
    if direct is not None or call_or_go.type == "go_statement" or t is None:
        return direct
    # one level: the handler calls a starter (`w.Start()`) whose own go statement relaunches
    body = t[1].child_by_field_name("body")
    for stmt in go_statements_in(ctx, t[0], body) if body is not None else []:
        if enclosing_func(stmt) != t[1]:
            continue
        inner = go_target(ctx, t[0], stmt)
        hit = next((f for f in chain if inner is not None and f == inner[1]), None)
        if hit is not None:
            return hit
    return None


def _recover_check(res: Resolver, node: Node) -> bool:
    """An `if` whose only test is whether recover() returned something (`if r := recover(); r != nil`)."""
    if node.type != "if_statement":
        return False
    head = [node.child_by_field_name("initializer"), node.child_by_field_name("condition")]
    if any(h is not None and _recover_calls(res, h) for h in head):
        return True
    cond = node.child_by_field_name("condition")
    if cond is None or cond.type != "binary_expression":
        return False
    left = unparen(cond.child_by_field_name("left") or cond)
    right = cond.child_by_field_name("right")
    if left.type != "identifier" or text(right) != "nil":
        return False
    decl = res.decl_of(left)
    return decl is not None and decl.value is not None and bool(_recover_calls(res, decl.value))


def _bounded(ctx: Context, file: GoFile, relaunch: Node, region: Node) -> bool:
    """A counter check, a backoff or a loop between `region` and the relaunch: the restart is bounded."""
    res = ctx.resolver(file)
    p = relaunch.parent
    while p is not None and p != region:
        if p.type in (
            "if_statement",
            "expression_switch_statement",
            "for_statement",
            "select_statement",
        ) and (not _recover_check(res, p)):
            return True
        p = p.parent
    for c in captures("(call_expression) @c", region).get("c", []):
        if c.start_byte < relaunch.start_byte and res.qualified_call(c) in _BACKOFF_CALLS:
            return True
    if captures('[(inc_statement) (dec_statement) (unary_expression operator: "<-")] @x', region).get("x"):
        return True
    call: Node | None = relaunch
    if relaunch.type != "call_expression":
        call = next((c for c in relaunch.named_children if c.type == "call_expression"), None)
    args = call.child_by_field_name("arguments") if call is not None else None
    return args is not None and any(unparen(a).type == "binary_expression" for a in args.named_children)


def _repanics(res: Resolver, handler: Node) -> bool:
    """The handler re-panics or ends the process: nothing is restarted."""
    for call in captures("(call_expression) @c", handler).get("c", []):
        if enclosing_func(call) == handler and no_return_kind(res, call) is not None:
            return True
    return False


@rule(
    "GL014",
    "respawn-in-recover",
    Severity.ERROR,
    "a recover handler restarts the goroutine with no bound or backoff",
    prefilter=(b"recover()",),
)
def respawn_in_recover(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags a deferred `recover()` handler (a literal, or a function of the package deferred by name that
    calls `recover()` itself) that relaunches the goroutine it belongs to — `go worker()`, a call of the
    enclosing function (`w.run()`, `safeGo(f)`), or a call of a starter whose own `go` statement
    relaunches it (`p.Start()`) — with no bound (a counter check) and no backoff (`time.Sleep`, a
    timer). Also flags a function with such a handler whose own code starts itself again with `go`
    after recovering (seed 4.3: the handler recovers, execution "falls through" into `go worker()`).

    ## Why is this bad?
    A panic that repeats (bad input that is retried, a nil dependency, a closed connection) turns into a
    hot restart loop: each panic spawns a fresh goroutine — or a deeper call on the same stack — that
    panics again at once. The process burns CPU and logs, and when the relaunch happens while the old
    goroutine is still alive (a `go` in a handler that does not end it), the goroutine count grows without
    limit. In a goroutine dump: many identical goroutines `created by` the handler's function, typically
    `[runnable]` or stuck wherever the task blocks, and the stack of a recursive restart keeps growing.

    ## Example
    ```go
    func (w *Worker) run() {
        defer func() {
            if r := recover(); r != nil {
                log.Printf("worker panicked: %v", r)
                go w.run() // restarts at once, forever
            }
        }()
        w.loop()
    }
    ```

    ## Use instead
    ```go
    func (w *Worker) run(attempt int) {
        defer func() {
            if r := recover(); r != nil {
                log.Printf("worker panicked: %v", r)
                if attempt < maxRestarts {
                    time.Sleep(backoff(attempt))
                    go w.run(attempt + 1)
                }
            }
        }()
        w.loop()
    }
    ```
    or let the panic crash the process and have the supervisor (systemd, Kubernetes) restart it.

    ## When it stays silent
    A relaunch inside an `if`/`switch`/loop other than the `recover() != nil` check (a counter or state
    check); a handler that sleeps, waits on a timer or a channel, or counts (`n++`) before relaunching;
    a relaunch that passes a computed argument (`attempt+1`); a handler that re-panics; starting a
    different function than the one that panicked.

    ## Suppress
    `//leaktrail:ignore GL014 reason` on the relaunch line or the line above.
    """
    for file in ctx.files:
        if _cannot_respawn(ctx, file):
            continue  # decided on bytes: the file is not parsed
        res = ctx.resolver(file)
        for defer, handler in _recover_handlers(ctx, file):
            chain = _enclosing_chain(defer)
            if not chain or _repanics(res, handler):
                continue
            for node in _relaunches(handler):
                target = _targets_in(ctx, file, node, chain)
                if target is not None and not _bounded(ctx, file, node, handler):
                    yield Report(file, node, _respawn_message(node, target, in_handler=True))
            owner = chain[0]
            body = owner.child_by_field_name("body")
            if body is None:
                continue
            for stmt in go_statements_in(ctx, file, body):
                if stmt.start_byte < defer.end_byte or enclosing_func(stmt) != owner:
                    continue
                target = _targets_in(ctx, file, stmt, chain)
                if target is None or _bounded(ctx, file, stmt, body):
                    continue
                yield Report(file, stmt, _respawn_message(stmt, target, in_handler=False))
    seen: set[tuple[int, int]] = set()
    for _dfile, defer, hfile, handler in _named_handlers(ctx):
        chain = _enclosing_chain(defer)
        if not chain or _repanics(ctx.resolver(hfile), handler):
            continue
        body = handler.child_by_field_name("body")
        for node in _relaunches(body) if body is not None else []:
            key = (id(hfile), node.start_byte)
            target = _targets_in(ctx, hfile, node, chain)
            if key in seen or target is None or _bounded(ctx, hfile, node, body or handler):
                continue
            seen.add(key)
            yield Report(hfile, node, _respawn_message(node, target, in_handler=True))


def _relaunches(handler: Node) -> list[Node]:
    found = captures("[(go_statement) @r (expression_statement (call_expression) @r)]", handler)
    return sorted(found.get("r", []), key=lambda n: n.start_byte)


def _func_name(func: Node) -> str:
    name = func.child_by_field_name("name")
    return text(name) if name is not None else "the goroutine"


def _respawn_message(node: Node, target: Node, in_handler: bool) -> str:
    name = _func_name(target)
    how = "go " if node.type == "go_statement" else "a call of "
    where = "the recover handler" if in_handler else "code that runs again after recover()"
    return (
        f"{where} restarts {name} ({how}{name}) with no bound or backoff: a panic that repeats becomes a "
        f"hot restart loop and goroutines pile up; count restarts and back off, or return and let the "
        f"panic surface"
    )


# -- GL015 ------------------------------------------------------------------------------------------------
PIN_LIMIT = 64 * 1024
_SIZES = {
    "bool": 1,
    "byte": 1,
    "uint8": 1,
    "int8": 1,
    "int16": 2,
    "uint16": 2,
    "int32": 4,
    "uint32": 4,
    "rune": 4,
    "float32": 4,
    "int": 8,
    "uint": 8,
    "int64": 8,
    "uint64": 8,
    "uintptr": 8,
    "float64": 8,
    "complex64": 8,
    "complex128": 16,
    "string": 16,
    "error": 16,
    "any": 16,
}
_READ_ALL = frozenset({"io.ReadAll", "os.ReadFile", "io/ioutil.ReadAll", "io/ioutil.ReadFile"})


def type_size(node: Node | None) -> int | None:
    """sizeof for the element types whose size is known without a type checker (64-bit platforms)."""
    if node is None:
        return None
    if node.type == "type_identifier":
        return _SIZES.get(text(node))
    if node.type in ("pointer_type", "map_type", "channel_type", "function_type"):
        return 8
    if node.type == "slice_type":
        return 24
    if node.type == "interface_type":
        return 16
    if node.type == "array_type":
        n = const_int(node.child_by_field_name("length"))
        e = type_size(node.child_by_field_name("element"))
        return n * e if n is not None and e is not None else None
    return None


def const_int(node: Node | None, depth: int = 0) -> int | None:
    """The value of a constant integer expression made of literals, + - * / << >> and local constants."""
    if node is None or depth > 8:
        return None
    node = unparen(node)
    if node.type == "int_literal":
        raw = text(node).replace("_", "")
        try:
            return int(raw, 0)
        except ValueError:
            return int(raw, 8) if raw.isdigit() else None
    if node.type == "binary_expression":
        a = const_int(node.child_by_field_name("left"), depth + 1)
        b = const_int(node.child_by_field_name("right"), depth + 1)
        if a is None or b is None:
            return None
        op = text(node.child_by_field_name("operator"))
        if op == "*":
            return a * b
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "/" and b:
            return a // b
        if op == "<<" and 0 <= b < 64:
            return a << b
        if op == ">>" and 0 <= b < 64:
            return a >> b
        return None
    if node.type == "identifier":
        value = _const_value(node)
        return const_int(value, depth + 1) if value is not None else None
    return None


def _const_value(ident: Node) -> Node | None:
    """The value of a same-file `const name = …` (top-level or local), found by a C query."""
    root = ident
    while root.parent is not None:
        root = root.parent
    name = text(ident)
    for spec in captures("(const_spec) @s", root).get("s", []):
        names = spec.children_by_field_name("name")
        values = spec.child_by_field_name("value")
        for i, n in enumerate(names):
            if text(n) == name and values is not None and i < values.named_child_count:
                return values.named_children[i]
    return None


def large_allocation(res: Resolver, value: Node | None, index: int, multi: bool) -> str | None:
    """A description of a large allocation (`make([]byte, 1<<20)`: "1 MiB"), or None."""
    if value is None:
        return None
    value = unparen(value)
    if value.type != "call_expression":
        return None
    if multi or index:
        q = res.qualified_call(value)
        return "the whole input read by " + q.rsplit("/", 1)[-1] if q in _READ_ALL and index == 0 else None
    q = res.qualified_call(value)
    if q in _READ_ALL:
        return "the whole input read by " + q.rsplit("/", 1)[-1]
    fn = value.child_by_field_name("function")
    args = value.child_by_field_name("arguments")
    if fn is None or text(fn) != "make" or args is None or args.named_child_count < 2 or res.decl_of(fn):
        return None
    t = args.named_children[0]
    if t.type != "slice_type":
        return None
    elem = type_size(t.child_by_field_name("element"))
    sizes = [const_int(a) for a in args.named_children[1:]]
    n = max((x for x in sizes if x is not None), default=None)
    if elem is None or n is None or n * elem < PIN_LIMIT:
        return None
    total = n * elem
    return f"{total // (1 << 20)} MiB" if total >= 1 << 20 else f"{total // 1024} KiB"


def _long_lived_part(res: Resolver, body: Node | None) -> Node | None:
    """The endless loop, range over a channel or `select {}` that keeps the goroutine alive."""
    for s in statements(body):
        if s.type == "for_statement" and (endless_loop(res, s) or range_over_chan(res, s)):
            return s
        if s.type == "select_statement" and not any(
            c.type in ("communication_case", "default_case") for c in s.named_children
        ):
            return s
    return None


@rule(
    "GL015",
    "goroutine-pins-memory",
    Severity.WARNING,
    "a long-lived goroutine's closure keeps a large allocation alive that its loop never uses",
    prefilter=GO_NEEDLES,
    package_needs=(b"make([]", b"ReadAll", b"ReadFile"),
)
def goroutine_pins_memory(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags a `go func() { … }()` closure that runs for a long time — an endless loop, a range over a
    channel, a `select {}` — and captures a large allocation it only needs before that loop: a slice from
    `make([]T, N)` whose constant size N·sizeof(T) is at least 64 KiB, or the bytes returned by
    `io.ReadAll` / `os.ReadFile`.

    ## Why is this bad?
    A closure captures variables by reference. As long as the goroutine is alive, everything it captures
    stays reachable, so the garbage collector can never free the buffer — even if the goroutine used it
    once at start-up. One such goroutine per request or per connection holds megabytes each; the heap
    grows with the number of live goroutines, and a heap profile shows the allocation site as retained,
    while the goroutine dump shows the owners idle in `[select]`, `[chan receive]` or `[sleep]`.

    ## Example
    ```go
    data, err := os.ReadFile(path)
    if err != nil {
        return err
    }
    go func() {
        cfg := parse(data) // data is only needed here...
        for range ticker.C {
            refresh(cfg) // ...but stays alive as long as this loop runs
        }
    }()
    ```

    ## Use instead
    ```go
    cfg := parse(data) // parse before starting the goroutine
    go func() {
        for range ticker.C {
            refresh(cfg)
        }
    }()
    ```
    or set the variable to nil once it is no longer needed (`data = nil`).

    ## When it stays silent
    The loop (or code after it) uses the variable; the closure assigns it (`data = nil`); sizes that are
    not constants or stay under 64 KiB; element types whose size is unknown (struct types); values passed
    as arguments (`go func(b []byte) {…}(buf)`: only the parameter is held); goroutines that end.

    ## Suppress
    `//leaktrail:ignore GL015 reason` on the `go` line or the line above.
    """
    wanted = {id(f) for f in ctx.files}
    for g in _worker_goroutines(ctx):
        if id(g.file) not in wanted or g.named or g.body is None:
            continue
        res = ctx.resolver(g.file)
        part = _long_lived_part(res, g.body)
        if part is None:
            continue
        lit = g.func
        uses: dict[str, list[Node]] = {}
        decls = {}
        for ident in captures("(identifier) @i", g.body).get("i", []):
            decl = res.decl_of(ident)
            if decl is None or inside(decl.ident, lit) or decl.kind not in ("var", "short"):
                continue
            uses.setdefault(decl.name + f"@{decl.ident.start_byte}", []).append(ident)
            decls[decl.name + f"@{decl.ident.start_byte}"] = decl
        pinned: list[str] = []
        for key, refs in uses.items():
            decl = decls[key]
            if any(r.start_byte >= part.start_byte or is_assign_target(r) for r in refs):
                continue
            what = large_allocation(res, decl.value, decl.index, decl.multi)
            if what is None or _reassigned(res, decl):
                continue
            pinned.append(f"{decl.name} ({what})")
        if pinned:
            names = ", ".join(pinned)
            first = pinned[0].split(" ", 1)[0]
            yield Report(
                g.file,
                g.stmt,
                f"goroutine captures {names} but its long-lived loop (line {line_of(part)}) never uses "
                f"it: the allocation stays reachable as long as the goroutine runs; use it before the "
                f"go statement, pass only what the loop needs, or set {first} = nil",
            )


def _reassigned(res: Resolver, decl: object) -> bool:
    """Assigned elsewhere (`buf = nil`, `buf = buf[:0]`): the captured value is not known to stay large."""
    from leaktrail.source.resolve import Decl

    assert isinstance(decl, Decl)
    return any(is_assign_target(u) for u in res.references(decl))


# -- goroutines that cannot matter to GL007, GL011 or GL015 (bytes) ----------------------------------------
_LOOP_WORD = re.compile(rb"(?:for|select)\b")
_DOT_WORD = re.compile(rb"\.\s*([A-Za-z_]\w*)")
_IDENT_WORD = re.compile(rb"[A-Za-z_]\w*")


def _decl_starts(code: bytes) -> list[int]:
    """Where each `func` first on a line outside every bracket, parenthesis and brace starts (code whose
    brackets nest): every function body, parameter list and type parameter list lies within one span
    between two of them, with the name of the declaration it belongs to (a declaration written
    otherwise only widens a span)."""
    found: list[int] = []
    depth = last = 0
    for m in _FUNC_AT_COLUMN_0.finditer(code):
        at = m.start() + 1
        depth += (
            code.count(b"{", last, at)
            + code.count(b"(", last, at)
            + code.count(b"[", last, at)
            - code.count(b"}", last, at)
            - code.count(b")", last, at)
            - code.count(b"]", last, at)
        )
        last = at
        if depth == 0:
            found.append(at)
    return found


def _span(starts: list[int], at: int, size: int) -> tuple[int, int]:
    i = bisect.bisect_right(starts, at)
    return (starts[i - 1] if i else 0, starts[i] if i < len(starts) else size)


def _words_at(code: bytes, word: re.Pattern[bytes], lo: int = 0, hi: int | None = None) -> list[int]:
    """Where `word` occurs as a whole word in code[lo:hi]."""
    return [
        m.start()
        for m in word.finditer(code, lo, len(code) if hi is None else hi)
        if not m.start() or not WORD_BYTE[code[m.start() - 1]]
    ]


def _skip_space(code: bytes, at: int) -> int:
    while at < len(code) and code[at] in b" \t\r\n":
        at += 1
    return at


def _declared_at(code: bytes, at: int) -> bool:
    """The word at `at` follows `func`, or the `)` of a receiver that follows `func` (blanks between)."""
    j = at - 1
    while j >= 0 and code[j] in b" \t\r\n":
        j -= 1
    if j >= 0 and code[j] == 0x29:
        j = _open_of(code, j) - 1
        while j >= 0 and code[j] in b" \t\r\n":
            j -= 1
    return j >= 3 and code[j - 3 : j + 1] == b"func" and (j == 3 or not WORD_BYTE[code[j - 4]])


def _clean_code(data: bytes) -> bytes | None:
    """The file's bytes with each comment and literal replaced by one space (offsets change: positions
    are compared only within this copy; a line joined by a replaced comment only loses a span start),
    None when one does not close, the code is not ASCII or its brackets do not nest."""
    rest = LEXEMES.sub(b" ", data)
    if b"/*" in rest or b'"' in rest or b"'" in rest or b"`" in rest or not rest.isascii():
        return None
    return rest if nested(rest, square=True) else None


class _FileGo:
    """A file's code (_clean_code), its span starts (_decl_starts) and its `for` / `select` words."""

    __slots__ = ("code", "loops", "starts")

    def __init__(self, code: bytes) -> None:
        self.code = code
        self.starts = _decl_starts(code)
        self.loops = _words_at(code, _LOOP_WORD)


def _file_go(ctx: Context, file: GoFile) -> _FileGo | None:
    memo = ctx.shared.setdefault("workers:file-go", {})
    assert isinstance(memo, dict)
    if id(file) not in memo:
        code = _clean_code(file.data)
        memo[id(file)] = _FileGo(code) if code is not None else None
    found = memo[id(file)]
    assert found is None or isinstance(found, _FileGo)
    return found


def _may_loop(ctx: Context, name: bytes) -> bool:
    """`name` occurs as a word in a span (_decl_starts) holding `for` or `select` in some file of the
    package: the name of every function or method whose body may hold a loop or a select does. True
    when a file holding it cannot be read safely (_clean_code)."""
    memo = ctx.shared.setdefault("workers:may-loop", {})
    assert isinstance(memo, dict)
    found = memo.get(name)
    if found is None:
        found = memo[name] = _looping_name(ctx, name)
    return bool(found)


def _looping_name(ctx: Context, name: bytes) -> bool:
    for f in ctx.pkg.files_containing(name):
        facts = _file_go(ctx, f)
        if facts is None:
            return True
        code, starts, loops = facts.code, facts.starts, facts.loops
        if not loops:
            continue
        at = code.find(name)
        while at >= 0:
            end = at + len(name)
            if (at == 0 or not WORD_BYTE[code[at - 1]]) and (end == len(code) or not WORD_BYTE[code[end]]):
                lo, hi = _span(starts, at, len(code))
                i = bisect.bisect_left(loops, lo)
                if i < len(loops) and loops[i] < hi:
                    return True
            at = code.find(name, end)
    return False


def _may_be_package_var(ctx: Context, name: bytes) -> bool:
    """`name` occurs outside every brace in some file of the package other than right after `func` or a
    receiver: it may name a package-level var (holding a function literal). True when a file holding
    it cannot be read safely."""
    for f in ctx.pkg.files_containing(name):
        facts = _file_go(ctx, f)
        if facts is None:
            return True
        code = facts.code
        at = code.find(name)
        while at >= 0:
            end = at + len(name)
            if (
                (at == 0 or not WORD_BYTE[code[at - 1]])
                and (end == len(code) or not WORD_BYTE[code[end]])
                and code.count(b"{", 0, at) == code.count(b"}", 0, at)
                and not _declared_at(code, at)
            ):
                return True
            at = code.find(name, end)
    return False


def quiet_goroutines(ctx: Context, file: GoFile) -> bool:
    """No goroutine started in `file` can be reported by GL007, GL011 or GL015, decided on bytes so the
    file stays unparsed. Each `go` lies in a span (_decl_starts) holding its whole top-level
    declaration; when that span has no `for` or `select` word, no loop encloses the go statement (GL011
    needs one), and a function literal it runs — in the statement, or a local declared around it —
    has no loop or select (GL007's endless loop, GL015's long-lived part). Any other body it runs is a
    function or method of the package found by a name of the span — the name after `go`, a called
    name (`f(`, `x.f(`) or a selected one (a method value `s.loop`) — or a package-level var holding a
    literal, named right after `go`: true only when no such name occurs in a span holding `for` or
    `select` (_may_loop) and a bare name after `go` occurs outside braces nowhere in the package but
    as a declared function's name (_may_be_package_var). False when the file, or a file holding a name
    looked up, has a comment or literal that does not close, non-ASCII code or brackets that do not
    nest (_clean_code), or the file is parsed already."""
    return _byte_proof(ctx, "workers:quiet-go", file, _quiet_go_bytes)


def _quiet_go_bytes(ctx: Context, file: GoFile) -> bool:
    if file.parsed:
        return False
    facts = _file_go(ctx, file)
    if facts is None:
        return False
    code, starts, loops = facts.code, facts.starts, facts.loops
    gos = _words_at(code, _GO_WORD)
    spans = {_span(starts, at, len(code)) for at in gos}
    for lo, hi in spans:  # the spans first: no name is looked up in the package for a loop nearby
        i = bisect.bisect_left(loops, lo)
        if i < len(loops) and loops[i] < hi:
            return False
    for at in gos:
        k = _skip_space(code, at + 2)
        while k < len(code) and code[k] == 0x28:
            k = _skip_space(code, k + 1)
        target = _IDENT_WORD.match(code, k)
        if target is not None and target.group() != b"func":
            name = target.group()
            after = _skip_space(code, target.end())
            selected = after < len(code) and code[after] == 0x2E  # `go x.m()`: the method, read below
            if not selected and (_may_loop(ctx, name) or _may_be_package_var(ctx, name)):
                return False
    for lo, hi in spans:
        for m in _CALLED_WORD.finditer(code, lo, hi):
            if m.group(1) not in _GO_KEYWORDS and _may_loop(ctx, m.group(1)):
                return False
        for m in _DOT_WORD.finditer(code, lo, hi):
            if _may_loop(ctx, m.group(1)):
                return False
    return True


def _worker_goroutines(ctx: Context) -> list[Goroutine]:
    """goroutines(ctx) in the files of ctx.files, less those of files whose goroutines cannot matter to
    GL007, GL011 or GL015 (quiet_goroutines): the list the three rules read, built once."""
    wanted = {id(f) for f in ctx.files}
    key = f"workers:goroutines:{hash(frozenset(wanted))}:{len(wanted)}"  # (files pass a rule's prefilter)
    found = ctx.shared.get(key)
    if found is None:
        found = ctx.shared[key] = goroutines_where(
            ctx, lambda f: id(f) in wanted and not quiet_goroutines(ctx, f)
        )
    assert isinstance(found, list)
    return found
