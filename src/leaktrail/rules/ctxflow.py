"""Contexts that do not reach the goroutines and queries that should obey them (GL008, GL009, GL010)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from leaktrail.model import Severity
from leaktrail.rules import rule
from leaktrail.rules.base import Context, Report
from leaktrail.rules.channels import CLOSED, ChannelFates, assigned_value
from leaktrail.rules.channels import _callers as channel_callers
from leaktrail.rules.goroutines import (
    Goroutine,
    go_statements,
    go_target,
    goroutines,
    inside,
    may_start_goroutine,
)
from leaktrail.rules.interproc import _inside_word
from leaktrail.rules.tokens import is_word_byte
from leaktrail.rules.workers import in_bounded_loop
from leaktrail.source.package import GoFile, receiver_type_name
from leaktrail.source.parse import Node, captures, is_assign_target, text, unparen
from leaktrail.source.resolve import FUNC_NODES, Decl, Resolver, enclosing_func, type_from_node
from leaktrail.source.types import GoType

_BACKGROUND = frozenset({"context.Background", "context.TODO"})
_DERIVE = frozenset(
    {
        "context.WithCancel",
        "context.WithCancelCause",
        "context.WithTimeout",
        "context.WithTimeoutCause",
        "context.WithDeadline",
        "context.WithDeadlineCause",
        "context.WithValue",
    }
)
_DEADLINE = frozenset(
    {"context.WithTimeout", "context.WithTimeoutCause", "context.WithDeadline", "context.WithDeadlineCause"}
)
_OPS = """
[(send_statement) @op
 (select_statement) @op
 (unary_expression operator: "<-") @op
 (for_statement (range_clause) @range)
 (call_expression function: (selector_expression field: (field_identifier) @m)) @call]
"""
_IDENTS = "[(identifier) @i (selector_expression) @s]"
_SQL_TYPES = frozenset({"DB", "Tx", "Conn", "Stmt"})
_SQL_PLAIN: dict[str, str] = {
    "Query": "QueryContext",
    "QueryRow": "QueryRowContext",
    "Exec": "ExecContext",
    "Prepare": "PrepareContext",
    "Begin": "BeginTx",
    "Ping": "PingContext",
}
_SQL_CTX = frozenset(_SQL_PLAIN.values())
_HTTP_IO = frozenset({"net/http.Get", "net/http.Post", "net/http.Head", "net/http.PostForm"})
_NET_IO = frozenset({"Dial", "DialTimeout", "DialTCP", "DialUDP", "DialUnix", "DialIP"})
_IO_TYPES = {
    "database/sql": _SQL_TYPES | {"Rows", "Row"},
    "net/http": frozenset({"Client"}),
    "net": frozenset({"Conn", "TCPConn", "UDPConn", "UnixConn", "Listener", "TCPListener", "Dialer"}),
}


# -- types and origins --------------------------------------------------------------------------------


def is_context(t: GoType | None) -> bool:
    return t is not None and t.kind == "named" and t.pkg == "context" and t.name == "Context"


def is_request(t: GoType | None) -> bool:
    return t is not None and t.kind == "pointer" and t.deref().is_named("net/http", "Request")


def visible_decls(res: Resolver, at: Node, want: str) -> list[Decl]:
    """Locals and parameters visible at `at` (closures see their enclosing functions') of a kind of type.

    want: "context" (context.Context) or "request" (*http.Request).
    """
    sc = res.scope(at)
    if sc is None:
        return []
    check = is_context if want == "context" else is_request
    out = []
    for name in sc.decls:
        d = sc.lookup(name, at.start_byte)
        if d is None or d.kind == "result" or not inside(at, d.func):
            continue
        if d.kind not in ("param", "receiver") and d.ident.start_byte > at.start_byte:
            continue
        if d.type_node is None and d.value is not None and unparen(d.value).type in _NOT_A_CONTEXT:
            continue  # cheap: literals and make(…) are never a context or a request
        if check(res.decl_type(d)):
            out.append(d)
    out.sort(key=lambda d: d.ident.start_byte)
    return out


_NOT_A_CONTEXT = frozenset(
    {
        "composite_literal",
        "func_literal",
        "binary_expression",
        "int_literal",
        "float_literal",
        "interpreted_string_literal",
        "raw_string_literal",
        "rune_literal",
        "true",
        "false",
        "nil",
        "slice_expression",
    }
)


@dataclass(frozen=True, slots=True)
class Origin:
    root: str
    """background (context.Background/TODO), request (r.Context()) or other (a parameter, a field, …)."""
    deadline: bool = False
    derived: bool = False
    """Passed through context.With… on the way (someone may cancel it)."""


_OTHER = Origin("other")


def ctx_origin(res: Resolver, expr: Node | None, depth: int = 0) -> Origin:
    """Where a context value comes from, following locals back to their (single) assignment."""
    if expr is None or depth > 8:
        return _OTHER
    expr = unparen(expr)
    if expr.type == "call_expression":
        q = res.qualified_call(expr)
        if q in _BACKGROUND:
            return Origin("background")
        args = expr.child_by_field_name("arguments")
        if q in _DERIVE and args is not None and args.named_child_count:
            inner = ctx_origin(res, args.named_children[0], depth + 1)
            return Origin(
                inner.root, inner.deadline or q in _DEADLINE, inner.derived or q != "context.WithValue"
            )
        fn = unparen(expr.child_by_field_name("function") or expr)
        if (
            fn.type == "selector_expression"
            and text(fn.child_by_field_name("field")) == "Context"
            and is_request(res.infer(fn.child_by_field_name("operand")))
        ):
            return Origin("request")
        return _OTHER
    if expr.type == "identifier":
        decl = res.decl_of(expr)
        if decl is None or decl.value is None or decl.kind not in ("short", "var"):
            return _OTHER
        if decl.multi and decl.index != 0:
            return _OTHER
        if any(is_assign_target(u, short=False) for u in res.references(decl)):
            return _OTHER  # reassigned somewhere: cannot know which value reaches the use
        return ctx_origin(res, decl.value, depth + 1)
    return _OTHER


def context_uses(res: Resolver, scope: Node) -> list[Node]:
    """Context-typed expressions used in `scope` (closures included); `x.Value(…)` reads do not count."""
    found = captures(_IDENTS, scope)
    return [node for node in found.get("i", []) + found.get("s", []) if _context_use(res, node)]


def _context_use(res: Resolver, node: Node) -> bool:
    """One identifier or selector of context_uses: a context-typed use (each judged on its own)."""
    parent = node.parent
    if (
        parent is not None
        and parent.type == "selector_expression"
        and node == parent.child_by_field_name("operand")
    ):
        if text(parent.child_by_field_name("field")) == "Value":
            return False
        if node.type == "identifier" and is_context(res.infer(parent)):
            return False  # the selector itself is counted (r.Context)
    if node.type == "identifier":
        if res.is_import(node) is not None:
            return False
        decl = res.decl_of(node)
        if decl is not None and decl.ident == node:
            return False
        if decl is not None:
            t = res.decl_type(decl)
        else:
            # a package-level name: only a variable can hold a context (a function's type is a func
            # type), so a name no variable declares is not looked up as a function as well
            name = text(node)
            t = res.package_name_type(name) if res.pkg.lookup_var(name) is not None else None
    else:
        operand = node.child_by_field_name("operand")
        if operand is not None and operand.type == "identifier" and res.is_import(operand) is not None:
            return False
        t = res.infer(node)
    return is_context(t)


def is_cancel_func(t: GoType | None) -> bool:
    return t is not None and t.kind == "named" and t.pkg == "context" and t.name.startswith("Cancel")


def honours_context(res: Resolver, scope: Node, skip: frozenset[int] = frozenset()) -> bool:
    """Uses a context (Done, Err, passing it on), calls a cancel function, or receives from any `x.Done()`.

    A context the goroutine makes itself from Background/TODO (and its cancel function) does not count:
    it is not the one in scope. `skip`: start bytes of context uses that do not count (a context passed
    to a same-package function that ignores it).
    """

    def own_background(node: Node) -> bool:
        decl = res.decl_of(node) if node.type == "identifier" else None
        if decl is None or not inside(decl.ident, scope):
            return False
        value = decl.value
        return value is not None and ctx_origin(res, value).root == "background"

    if any(not own_background(use) for use in context_uses(res, scope) if use.start_byte not in skip):
        return True
    for ident in captures("(identifier) @i", scope).get("i", []):
        decl = res.decl_of(ident)
        if decl is None or decl.ident == ident or own_background(ident):
            continue
        t = res.decl_type(decl)
        if is_cancel_func(t) or (
            t is not None and t.kind in ("slice", "array", "map") and is_cancel_func(t.elem)
        ):
            return True  # it cancels (`cancel()`, `cancels[i]()`): it is the canceller
    for op in captures('(unary_expression operator: "<-" operand: (call_expression) @c)', scope).get("c", []):
        fn = op.child_by_field_name("function")
        if (
            fn is not None
            and fn.type == "selector_expression"
            and text(fn.child_by_field_name("field")) == "Done"
        ):
            return True
    return False


# -- what blocks ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Op:
    node: Node
    what: str


def _in_comm(op: Node) -> bool:
    """A send/receive that is the communication of a select case (the select is the operation)."""
    p = op.parent
    while p is not None and p.type not in FUNC_NODES:
        if p.type == "communication_case":
            comm = p.child_by_field_name("communication")
            return comm is not None and inside(op, comm)
        if p.type in ("block", "statement_list"):
            return False
        p = p.parent
    return False


def _in_loop(node: Node, func: Node) -> bool:
    p = node.parent
    while p is not None and p != func:
        if p.type == "for_statement":
            return True
        p = p.parent
    return False


def _buffered_local(res: Resolver, chan_expr: Node | None) -> bool:
    """A local channel made with a non-zero capacity (`make(chan T, 1)`), by its declaration or by every
    assignment (`var ch chan T; …; ch = make(chan T, 1)`)."""
    if chan_expr is None:
        return False
    chan_expr = unparen(chan_expr)
    if chan_expr.type != "identifier":
        return False
    decl = res.decl_of(chan_expr)
    if decl is None or decl.multi or decl.kind in ("param", "receiver", "result"):
        return False
    if decl.value is not None:
        return _is_buffered_make(decl.value)
    values: list[Node] = []
    for use in res.references(decl):
        if is_assign_target(use, short=False):
            value = assigned_value(use)
            if value is None:
                return False
            values.append(value)
    return bool(values) and all(_is_buffered_make(v) for v in values)


def _is_buffered_make(value: Node) -> bool:
    value = unparen(value)
    if value.type != "call_expression" or text(value.child_by_field_name("function")) != "make":
        return False
    args = value.child_by_field_name("arguments")
    if args is None or args.named_child_count < 2:
        return False
    return text(args.named_children[1]).strip() not in ("0", "")


ChanFilter = Callable[[Node, str], bool]
"""Decides whether an operation on a channel expression can block for reasons the rule cares about; the
operation is "send", "recv", "range" or "case" (a communication of a select without default)."""


def _comm_channel(case: Node) -> Node | None:
    comm = case.child_by_field_name("communication")
    if comm is None:
        return None
    if comm.type == "send_statement":
        return comm.child_by_field_name("channel")
    right = comm.child_by_field_name("right") if comm.type == "receive_statement" else comm
    while right is not None and right.type == "expression_list" and right.named_children:
        right = right.named_children[0]
    right = unparen(right) if right is not None else None
    if right is not None and right.type == "unary_expression":
        return right.child_by_field_name("operand")
    return None


def _recv_counts(res: Resolver, chan_expr: Node | None, chan_ok: ChanFilter | None, where: str) -> bool:
    if chan_expr is None:
        return False
    chan_expr = unparen(chan_expr)
    if chan_ok is not None:
        return chan_ok(chan_expr, where)
    if chan_expr.type == "call_expression":
        return res.qualified_call(chan_expr) in ("time.After", "time.Tick")
    return True


def blocking_ops(res: Resolver, func: Node, io: bool = False, chan_ok: ChanFilter | None = None) -> list[Op]:
    """Blocking operations run by `func` itself (not by literals nested in it), in source order.

    Sends on a buffered local channel outside loops do not block; `chan_ok` narrows which channels count
    (without it, a receive from a call counts only for `time.After`/`time.Tick`, which sleep). With
    `io`, network and database calls count as well.
    """
    body = func.child_by_field_name("body")
    if body is None:
        return []
    found = captures(_OPS, body)
    ops: list[Op] = []
    for node in found.get("op", []):
        if enclosing_func(node) != func:
            continue
        if node.type == "select_statement":
            cases = _select_cases(node)
            if not cases or any(c.type == "default_case" for c in cases):
                continue
            counted = [_recv_counts(res, _comm_channel(c), chan_ok, "case") for c in cases]
            # filtered (GL008): every case must be one only the context could end; one way out (a
            # timeout, a channel whose partner is in view) lets the select return
            if not (all(counted) if chan_ok is not None else any(counted)):
                continue
            ops.append(Op(node, "a select"))
        elif node.type == "send_statement":
            if _in_comm(node):
                continue
            chan_node = node.child_by_field_name("channel")
            if chan_ok is not None and chan_node is not None and not chan_ok(unparen(chan_node), "send"):
                continue
            if _buffered_local(res, chan_node) and not _in_loop(node, func):
                continue
            ops.append(Op(node, f"the send on {text(chan_node)}"))
        else:
            if _in_comm(node):
                continue
            operand = node.child_by_field_name("operand")
            if not _recv_counts(res, operand, chan_ok, "recv"):
                continue
            ops.append(Op(node, f"the receive from {text(operand)}"))
    for rc in found.get("range", []):
        loop = rc.parent
        if loop is None or enclosing_func(loop) != func:
            continue
        right = rc.child_by_field_name("right")
        t = res.infer(right)
        if (
            t is not None
            and t.kind == "chan"
            and right is not None
            and (chan_ok is None or chan_ok(unparen(right), "range"))
        ):
            ops.append(Op(loop, f"the range over {text(right)}"))
    for call in found.get("call", []):
        if enclosing_func(call) != func:
            continue
        what = _blocking_call(res, call, io)
        if what is not None:
            ops.append(Op(call, what))
    ops.sort(key=lambda o: o.node.start_byte)
    return ops


def _select_cases(select: Node) -> list[Node]:
    return [c for c in select.named_children if c.type in ("communication_case", "default_case")]


def _blocking_call(res: Resolver, call: Node, io: bool) -> str | None:
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "selector_expression":
        return None
    mname = text(fn.child_by_field_name("field"))
    q = res.qualified_call(call)
    if q is not None:
        if q == "time.Sleep":
            return "time.Sleep"
        if io and (q in _HTTP_IO or (q.startswith("net.") and q[4:] in _NET_IO)):
            return q.replace("net/http.", "http.")
        return None
    if mname == "Wait" and res.method_call_on(call, "sync", "Cond", ("Wait",)) is not None:
        return f"{text(fn.child_by_field_name('operand'))}.Wait()"
    if io:
        t = res.infer(fn.child_by_field_name("operand"))
        t = t.deref() if t is not None else None
        if t is not None and t.kind == "named" and t.name in _IO_TYPES.get(t.pkg, ()):
            if t.pkg == "database/sql" and mname in ("Close", "Err", "Columns", "ColumnTypes"):
                return None
            return f"{text(fn)}"
    return None


# -- HTTP handlers --------------------------------------------------------------------------------------


def handler_request(file: GoFile, func: Node) -> tuple[bool, str | None]:
    """(is an HTTP handler, name of its *http.Request parameter)."""
    params = func.child_by_field_name("parameters")
    if params is None:
        return (False, None)
    flat: list[tuple[str | None, Node | None]] = []
    for p in params.named_children:
        if p.type != "parameter_declaration":
            if p.type == "variadic_parameter_declaration":
                return (False, None)
            continue
        names = p.children_by_field_name("name")
        tnode = p.child_by_field_name("type")
        if not names:
            flat.append((None, tnode))
        else:
            flat.extend((text(n), tnode) for n in names)
    if len(flat) != 2:
        return (False, None)
    w_type = type_from_node(file, flat[0][1])
    r_type = type_from_node(file, flat[1][1])
    if w_type is None or not w_type.is_named("net/http", "ResponseWriter") or w_type.kind != "named":
        return (False, None)
    if not is_request(r_type):
        return (False, None)
    name = flat[1][0]
    return (True, None if name in (None, "_") else name)


def enclosing_handler(file: GoFile, node: Node) -> tuple[Node, str | None] | None:
    """The HTTP handler whose request `node` serves, unless a goroutine boundary lies in between."""
    p = enclosing_func(node)
    while p is not None:
        ok, req = handler_request(file, p)
        if ok:
            return (p, req)
        if p.type == "func_literal" and _is_go_literal(p):
            return None
        p = enclosing_func(p)
    return None


def _is_go_literal(lit: Node) -> bool:
    call = lit.parent
    return (
        call is not None
        and call.type == "call_expression"
        and call.parent is not None
        and (call.parent.type == "go_statement")
    )


def goroutines_in(ctx: Context) -> list[Goroutine]:
    """The goroutines launched in the rule's candidate files: the package-wide list when another rule
    already built it, otherwise only these files are parsed."""
    candidates = {id(f) for f in ctx.files}
    if "goroutines" in ctx.shared:
        return [g for g in goroutines(ctx) if id(g.file) in candidates]
    found: list[Goroutine] = []
    for f in ctx.files:
        if not may_start_goroutine(f):
            continue
        for stmt in go_statements(ctx, f):
            target = go_target(ctx, f, stmt)
            if target is not None:
                found.append(Goroutine(f, stmt, target[0], target[1]))
    return found


# -- GL008 ----------------------------------------------------------------------------------------------


@rule(
    "GL008",
    "ignored-context",
    Severity.ERROR,
    "a goroutine with a context in reach blocks without watching ctx.Done()",
    prefilter=(b"Context",),
    package_needs=(b"context",),
)
def ignored_context(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags a goroutine started where a `context.Context` is in scope — a parameter or local of the
    launching function (`ctx := r.Context()` included), or a `context.Context` parameter of the function
    or method started with `go` (`go worker(ctx, jobs)`) — that blocks (`time.Sleep`, a channel send or
    receive, `for range` over a channel, a `select` without `default`, `sync.Cond.Wait`) and never uses
    the context: it neither reads `ctx.Done()`/`ctx.Err()` nor passes ctx on (to a call, a struct, another
    goroutine). The report is on the goroutine's **first** blocking operation, once per goroutine body.
    Handing ctx to a same-package function or method that never uses that parameter (named, but never
    read) is not passing it on: what that callee blocks on blocks the goroutine (one call level is
    followed), and the report is on the callee's blocking operation.

    ## Why is this bad?
    Cancelling a context only closes its `Done` channel; a goroutine that never looks at it cannot
    notice. When the caller gives up (timeout, client gone, shutdown), the goroutine stays blocked with
    everything it references. In a goroutine dump it sits in `[sleep]`, `[chan send]`, `[chan receive]`,
    `[select]` or `[sync.Cond.Wait]`, long after its context was cancelled.

    ## Example
    ```go
    func startWorker(ctx context.Context) {
        go func() {
            time.Sleep(10 * time.Second) // ignores ctx
            fmt.Println("worker finished")
        }()
    }
    ```

    ## Use instead
    ```go
    func startWorker(ctx context.Context) {
        go func() {
            select {
            case <-time.After(10 * time.Second):
                fmt.Println("worker finished")
            case <-ctx.Done():
                return
            }
        }()
    }
    ```

    ## When it stays silent
    - The goroutine uses a context: reads `Done`/`Err`, passes it to a call, stores it, hands it to another
      goroutine, calls a `CancelFunc` (it is the canceller), or receives from any `x.Done()` (a type that
      embeds a Context). `ctx.Value(…)` alone does not count.
    - The wait has an end that does not depend on the context: a `select` with a `default`, or with a
      timeout case (`time.After`, a Timer's `C`); one send on a local channel made with a buffer, outside
      a loop; a `sync.Cond.Wait` whose launcher `Broadcast`s/`Signal`s that Cond after the `go`.
    - The channel is the launcher's own (`ch := make(chan T)`) and its partner is in view: the launcher
      (or another goroutine) sends, receives, ranges, closes or hands it on. Whether that partner can be
      skipped is GL006's (abandoned-sender) question. The rule does count a local channel that the
      launcher returns (the caller is the partner), that it only touches in a `select` next to a
      `<-ctx.Done()` case (it walks away on cancellation), or that nothing else touches at all. A
      launcher's `range` loop that returns from such a case walks away too, for a goroutine that sends
      in a loop or is started in one (a single send is taken before the range can leave).
    - The wait ends by itself: a sleep or timer/ticker wait inside loops that all end by themselves (a
      counted loop against a constant, a `len(…)` or a bound the body never changes; a range over a
      slice, map, string or integer).
    - The goroutine has a stop signal of its own: the loop around the operation leaves on a receive
      from a channel that is closed or sent on in view (`case <-finished: return`, `s.quit <- …`).
    - Cancelling the context could change nothing: every context in scope is `Background()`/`TODO()`
      (a local, or a parameter of an unexported function every caller of the package gives one — for a
      method, every call of the package that may reach it, through interfaces and embedded fields
      included, which also covers exported methods of a type declared in a `_test.go` file) or
      `context.WithoutCancel(…)`, or its cancel function already ran before the `go` statement; a
      `context.WithoutCancel(…)` in scope says the detachment is deliberate.
    - Low confidence only (shown with `--confidence low`): the operation is on a field channel whose
      partner runs in a loop of the package (an event loop): it blocks only once that loop has
      stopped.
    - A receive from a channel a call handed back together with other results (`ch, err :=
      h.Wait(ctx, id)`): that callee is the channel's partner, and it may well watch the context.
    - Functions started with `go` that take no context parameter (their launcher's context was never
      meant for them), and a `_ context.Context` parameter (ignored on purpose), in the goroutine or in
      a callee it hands ctx to; callees declared in several build-tagged files (another may use ctx).
    - A plain `r *http.Request` in scope without a context variable is left to GL009
      (handler-goroutine-detached).

    ## Suppress
    `//leaktrail:ignore GL008 reason` on the reported line or the line above, or `//nolint:leaktrail`.
    """
    reported: set[tuple[int, int]] = set()
    for g in goroutines_in(ctx):
        if g.body is None:
            continue
        found = _gl008(ctx, g)
        if found is None:
            continue
        op, ctx_name, op_file = found
        key = (id(op_file), op.node.start_byte)
        if key in reported:
            continue
        reported.add(key)
        partner = _looping_partner(ctx, ctx.resolver(op_file), op)
        yield Report(
            op_file,
            op.node,
            f"{op.what} blocks this goroutine but it never watches {ctx_name}: cancelling {ctx_name} "
            f"cannot stop it; select on <-{ctx_name}.Done() (or pass {ctx_name} on) so the goroutine "
            f"can return",
            confidence="low" if partner else "high",
        )


def _looping_partner(ctx: Context, res: Resolver, op: Op) -> bool:
    """The operation is on a field channel `x.f` whose partner (a receive for a send, a send for a
    receive) runs in a loop somewhere in the package, such as a server's event loop: it blocks only
    once that loop has stopped, which the analysis cannot tell (the finding is then low confidence)."""
    node = op.node
    if node.type == "send_statement":
        chan, want = node.child_by_field_name("channel"), "recv"
    elif node.type == "unary_expression":
        chan, want = node.child_by_field_name("operand"), "send"
    else:
        return False
    chan = unparen(chan) if chan is not None else None
    if chan is None or chan.type != "selector_expression":
        return False
    owner = res.infer(chan.child_by_field_name("operand"))
    if owner is None or owner.deref().kind != "named":
        return False
    key = (owner.deref().pkg, owner.deref().name, text(chan.child_by_field_name("field")))
    return key in _looping_field_ops(ctx)[want]


_FIELD_OPS = """
[(unary_expression operator: "<-" operand: (selector_expression) @recv)
 (range_clause right: (selector_expression) @recv)
 (send_statement channel: (selector_expression) @send)]
"""


def _looping_field_ops(ctx: Context) -> dict[str, set[tuple[str, str, str]]]:
    """(type package, type name, field) of field channels received from / sent on inside a `for` loop."""
    found = ctx.shared.get("gl008-looping-field-ops")
    if isinstance(found, dict):
        return found
    out: dict[str, set[tuple[str, str, str]]] = {"recv": set(), "send": set()}
    for f in ctx.pkg.files_containing(b"<-"):
        res = ctx.resolver(f)
        for kind, nodes in ctx.query(f, _FIELD_OPS).items():
            for sel in nodes:
                func = enclosing_func(sel)
                if func is None or not _in_loop(sel, func):
                    continue
                t = res.infer(sel.child_by_field_name("operand"))
                if t is not None and t.deref().kind == "named":
                    out[kind].add((t.deref().pkg, t.deref().name, text(sel.child_by_field_name("field"))))
    ctx.shared["gl008-looping-field-ops"] = out
    return out


def _gl008(ctx: Context, g: Goroutine) -> tuple[Op, str, GoFile] | None:
    bres = ctx.resolver(g.body_file)
    own = [d for d in _params(bres, g.func) if is_context(bres.decl_type(d))]
    if g.named and not own:
        return None
    lres = ctx.resolver(g.file)
    visible = visible_decls(lres, g.stmt, "context") if not own else []
    if not own and not visible:
        return None  # no context in reach at the `go` (the check at the end): its waits are not judged
    if not own and any(_without_cancel(lres, d.ident) for d in visible):
        return None  # the launcher detached a context on purpose (context.WithoutCancel)
    body = g.body
    assert body is not None
    ops = blocking_ops(bres, g.func, chan_ok=lambda ch, where: _chan_counts(ctx, g, ch, where))
    ops = [
        op
        for op in ops
        if not _woken_by_launcher(g, op)
        and not _ends_by_itself(bres, op)
        and not _stopped_otherwise(ctx, bres, g.func, op)
    ]
    placed: list[tuple[int, Op, GoFile]] = [(op.node.start_byte, op, g.body_file) for op in ops]
    handoffs = _dead_handoffs(ctx, g)
    skip = frozenset(arg.start_byte for h in handoffs for arg in h.ctx_args)
    for h in handoffs:
        cres = ctx.resolver(h.file)
        placed.extend(
            (h.call.start_byte, op, h.file)
            for op in _callee_ops(ctx, g, h)
            if not _ends_by_itself(cres, op) and not _stopped_otherwise(ctx, cres, h.func, op)
        )
    if not placed or honours_context(bres, body, skip):
        return None
    placed.sort(key=lambda p: p[0])
    _, first, where = placed[0]
    if own:
        if not may_be_cancelled(ctx, g.body_file, own[0], g.stmt, g):
            return None
        return (first, own[0].name, where)
    in_scope = [d for d in visible if may_be_cancelled(ctx, g.file, d, g.stmt, g)]
    if not in_scope:
        return None
    return (first, in_scope[-1].name, where)


# -- contexts that cannot help (mechanism: the wait ends by itself, or nothing can cancel the context) --


def _timed(res: Resolver, op: Op) -> bool:
    """A sleep, or a wait on timers and tickers only: it ends when the time is up."""
    node = op.node
    if node.type == "call_expression":
        return op.what == "time.Sleep"
    if node.type == "unary_expression":
        operand = node.child_by_field_name("operand")
        return operand is not None and _time_chan(res, operand) is not None
    if node.type == "select_statement":
        chans = [_comm_channel(c) for c in _select_cases(node)]
        return bool(chans) and all(ch is not None and _time_chan(res, ch) is not None for ch in chans)
    return False


def _ends_by_itself(res: Resolver, op: Op) -> bool:
    """A sleep or timer wait inside loops that all end by themselves (a counted loop, a range over a
    slice): the goroutine finishes on its own, whatever happens to the context."""
    return _timed(res, op) and in_bounded_loop(res, op.node)


def _stopped_otherwise(ctx: Context, res: Resolver, func: Node, op: Op) -> bool:
    """A timed wait in a loop that leaves when a channel closed or sent on in view fires (`case
    <-finished: return`): the goroutine has its own stop signal, and the context is not its lifetime.
    (A channel operation that only the context could end is not helped by a stop check elsewhere.)"""
    if not _timed(res, op):
        return False
    loop = None
    p = op.node.parent
    while loop is None and p is not None and p.type not in FUNC_NODES:
        if p.type == "for_statement":
            loop = p
        p = p.parent
    if loop is None:
        return False
    for case in captures("(communication_case) @c", loop).get("c", []):
        if enclosing_func(case) != func:
            continue
        comm = case.child_by_field_name("communication")
        if comm is None or comm.type == "send_statement":
            continue
        ch = _comm_channel(case)
        if ch is None or not signalled_in_view(ctx, res, unparen(ch)) or not _leaves_loop(case, loop, func):
            continue
        return True
    return False


def _leaves_loop(case: Node, loop: Node, func: Node) -> bool:
    """The case body returns, or breaks/goes to a label outside the loop."""
    parent = loop.parent
    label = parent.child_by_field_name("label") if parent and parent.type == "labeled_statement" else None
    labels = {text(label)} if label is not None else set()
    exits = captures("[(return_statement) @x (break_statement) @x (goto_statement) @x]", case).get("x", [])
    for node in exits:
        if enclosing_func(node) != func:
            continue
        if node.type == "return_statement":
            return True
        target = next((c for c in node.named_children if c.type == "label_name"), None)
        if target is not None and (node.type == "goto_statement" or text(target) in labels):
            return True
    return False


def signalled_in_view(ctx: Context, res: Resolver, ch: Node) -> bool:
    """A channel somebody in the package closes or sends on, so a receive from it ends: a local whose
    fate is `close` (or that another statement of its function sends on), or a field `x.f` of a type
    whose field f is passed to close() or sent on somewhere in the package (`s.quit <- struct{}{}`)."""
    if ch.type == "identifier":
        decl = res.decl_of(ch)
        if decl is None or decl.kind not in ("short", "var"):
            return False
        fates = ctx.shared.get("channel-fates")
        if not isinstance(fates, ChannelFates):
            fates = ctx.shared["channel-fates"] = ChannelFates(ctx)
        if fates.of_local(res.file, decl, 0) == CLOSED:
            return True
        return any(
            u.parent is not None
            and u.parent.type == "send_statement"
            and u.parent.child_by_field_name("channel") == u
            and not inside(ch, u.parent)
            for u in res.references(decl)
        )
    if ch.type != "selector_expression":
        return False
    owner = res.infer(ch.child_by_field_name("operand"))
    if owner is None or owner.deref().kind != "named":
        return False
    fname = text(ch.child_by_field_name("field"))
    return (owner.deref().pkg, owner.deref().name) in _signalled_fields(ctx, fname)


_SIGNAL_FIELD = """
[(call_expression function: (identifier) arguments: (argument_list . (selector_expression) @close))
 (send_statement channel: (selector_expression) @send)]
"""


def _signalled_fields(ctx: Context, fname: str) -> set[tuple[str, str]]:
    """(type package, type name) of every `close(x.f)` and `x.f <- v` in the package, for one field name
    f (asked per name: only the files naming it, only its selectors' types inferred)."""
    memo = ctx.shared.setdefault("gl008-signalled-fields", {})
    assert isinstance(memo, dict)
    found = memo.get(fname)
    if isinstance(found, set):
        return found
    out: set[tuple[str, str]] = set()
    needle = fname.encode() if "\ufffd" not in fname else b""  # (text() of undecodable bytes)
    files = {id(f): f for f in ctx.pkg.files_containing(b"<-") + ctx.pkg.files_containing(b"close(")}
    for f in files.values():
        if needle not in f.data:
            continue
        res = ctx.resolver(f)
        hits = ctx.query(f, _SIGNAL_FIELD)
        for kind, sels in hits.items():
            for sel in sels:
                if text(sel.child_by_field_name("field")) != fname:
                    continue
                call = sel.parent.parent if kind == "close" and sel.parent is not None else None
                fn = call.child_by_field_name("function") if call is not None else None
                if kind == "close" and (fn is None or text(fn) != "close"):
                    continue
                t = res.infer(sel.child_by_field_name("operand"))
                if t is not None and t.deref().kind == "named":
                    out.add((t.deref().pkg, t.deref().name))
    memo[fname] = out
    return out


def may_be_cancelled(
    ctx: Context, file: GoFile, decl: Decl, at: Node, g: Goroutine | None = None, depth: int = 0
) -> bool:
    """Could cancelling this context matter at `at` (a go statement, a call)? Not when it is
    Background()/TODO() (on every path that reaches it), nor when its cancel function already ran."""
    res = ctx.resolver(file)
    if decl.kind in ("short", "var"):
        origin = ctx_origin(res, decl.ident)
        if (origin.root == "background" and not origin.derived) or _without_cancel(res, decl.ident):
            return False
        return not _cancelled_before(res, decl, at)
    if decl.kind != "param" or depth > 2:
        return True
    if decl.func.type == "func_literal":
        # the literal's own parameter: judge the argument of the go statement
        if g is None or not _is_go_literal(decl.func) or decl.func != g.func:
            return True
        call = next((c for c in g.stmt.named_children if c.type == "call_expression"), None)
        params = _flat_params(res, decl.func)
        index = next((i for i, p in enumerate(params or []) if p is not None and p.key == decl.key), None)
        args = _args(call) if call is not None else []
        if index is None or index >= len(args):
            return True
        return _arg_may_be_cancelled(ctx, ctx.resolver(g.file), args[index], at, depth)
    return _callers_may_cancel(ctx, file, decl, at, depth)


def _without_cancel(res: Resolver, expr: Node, depth: int = 0) -> bool:
    """`context.WithoutCancel(…)` (through single-assignment locals and context.WithValue): a context
    nothing can cancel."""
    expr = unparen(expr)
    if expr.type == "identifier" and depth < 4:
        decl = res.decl_of(expr)
        if decl is None or decl.value is None or decl.kind not in ("short", "var") or decl.multi:
            return False
        if any(is_assign_target(u, short=False) for u in res.references(decl)):
            return False
        return _without_cancel(res, decl.value, depth + 1)
    if expr.type != "call_expression":
        return False
    q = res.qualified_call(expr)
    if q == "context.WithoutCancel":
        return True
    args = _args(expr)
    return q == "context.WithValue" and bool(args) and depth < 4 and _without_cancel(res, args[0], depth + 1)


def _arg_may_be_cancelled(ctx: Context, res: Resolver, arg: Node, at: Node, depth: int) -> bool:
    origin = ctx_origin(res, arg)
    if (origin.root == "background" and not origin.derived) or _without_cancel(res, arg):
        return False
    arg = unparen(arg)
    if arg.type != "identifier":
        return True
    decl = res.decl_of(arg)
    if decl is None or decl.kind not in ("param", "short", "var"):
        return True
    if decl.kind == "param" and any(is_assign_target(u, short=False) for u in res.references(decl)):
        return True
    return may_be_cancelled(ctx, res.file, decl, arg, None, depth + 1)


def _callers_may_cancel(ctx: Context, file: GoFile, decl: Decl, at: Node, depth: int) -> bool:
    """A parameter of an unexported function every in-package caller gives Background()/TODO()."""
    func = decl.func
    if func.type not in ("function_declaration", "method_declaration"):
        return True
    name = text(func.child_by_field_name("name"))
    hidden = bool(name) and (name[0].islower() or name[0] == "_") and name not in ("main", "init")
    if not hidden and not (func.type == "method_declaration" and _test_only_receiver(ctx, func)):
        return True  # exported: callers we cannot see may pass a cancellable context
    res = ctx.resolver(file)
    index = _fixed_param_index(res, func, decl)
    if index is None:
        return True
    calls = channel_callers(ctx, file, func, name) if hidden else None
    if calls is None and func.type == "method_declaration":
        calls = _method_calls(ctx, func, name)
    if not calls:
        return True
    for cfile, call in calls:
        args = _args(call)
        if index >= len(args) or _arg_may_be_cancelled(ctx, ctx.resolver(cfile), args[index], call, depth):
            return True
    return False


def _fixed_param_index(res: Resolver, func: Node, decl: Decl) -> int | None:
    """The argument position of this parameter, when it comes before any variadic one (`ctx` in
    `Watch(ctx context.Context, key string, opts ...Option)` is always the first argument)."""
    params = func.child_by_field_name("parameters")
    index = 0
    for p in params.named_children if params is not None else []:
        if p.type != "parameter_declaration":
            return None  # a variadic parameter: positions from here on are not fixed
        names: list[Node | None] = [*p.children_by_field_name("name")] or [None]
        for n in names:
            d = res.decl_of(n) if n is not None and text(n) != "_" else None
            if d is not None and d.kind == "param" and d.key == decl.key:
                return index
            index += 1
    return None


def _test_only_receiver(ctx: Context, method: Node) -> bool:
    """Is the method's receiver type declared in a _test.go file (no other package can name it)?"""
    found = ctx.pkg.lookup_type(receiver_type_name(method))
    return found is not None and found[0].path.name.endswith("_test.go")


def _method_calls(ctx: Context, method: Node, name: str) -> list[tuple[GoFile, Node]] | None:
    """Every in-package call that may run this method: calls resolved to it, and calls through an
    interface or an embedded field that nothing resolves (`w.Watch(…)` on a `Watcher`) — a superset of
    its callers. None when the method is also used as a value (`f := x.Watch`): callers unknowable."""
    out: list[tuple[GoFile, Node]] = []
    for f in ctx.pkg.files_containing(name.encode()):
        res = ctx.resolver(f)
        for ident in f.field_identifiers.get(name, ()):
            sel = ident.parent
            if sel is None or sel.type != "selector_expression" or sel.child_by_field_name("field") != ident:
                continue  # a declaration, an interface's method list, a composite literal's key
            call = sel.parent
            if call is None or call.type != "call_expression" or call.child_by_field_name("function") != sel:
                return None  # a method value: it may be called from anywhere
            target = res.called_function(call)
            if target is not None and target[1] != method:
                continue  # another function of the same name
            out.append((f, call))
    return out


def _cancelled_before(res: Resolver, decl: Decl, stmt: Node) -> bool:
    """`ctx, cancel := context.WithCancel(…)` … `cancel()` … `go …`: the cancel call runs on every path
    to the go statement (a statement of a block around it, before it, not deferred)."""
    if not decl.multi or decl.index != 0 or decl.value is None:
        return False
    if any(is_assign_target(u, short=False) for u in res.references(decl)):
        return False
    left = decl.ident.parent
    names = [c for c in left.named_children if c.type == "identifier"] if left is not None else []
    if len(names) < 2:
        return False
    cancel = res.decl_of(names[1])
    if cancel is None or not is_cancel_func(res.decl_type(cancel)):
        return False
    launcher = enclosing_func(stmt)
    for use in res.references(cancel):
        call = use.parent
        if call is None or call.type != "call_expression" or call.child_by_field_name("function") != use:
            continue
        st = call.parent
        if st is None or st.type != "expression_statement" or st.end_byte > stmt.start_byte:
            continue
        if enclosing_func(st) != launcher:
            continue
        block = st.parent
        if block is not None and inside(stmt, block):
            return True
    return False


@dataclass(frozen=True, slots=True)
class _Handoff:
    """A call in the goroutine that passes it a context the same-package callee never looks at."""

    call: Node
    ctx_args: tuple[Node, ...]
    file: GoFile
    func: Node
    params: tuple[Decl | None, ...]


def _dead_handoffs(ctx: Context, g: Goroutine) -> list[_Handoff]:
    """Calls run by the goroutine itself that pass a context to a same-package function or method whose
    parameter for it is named but never used (and which watches no other context): such a call is not
    "passing ctx on", and what the callee blocks on blocks the goroutine (one level followed)."""
    body = g.body
    if body is None:
        return []
    res = ctx.resolver(g.body_file)
    by_call: dict[int, tuple[Node, list[tuple[Node, int]]]] = {}
    found = captures(_IDENTS, body)
    # context_uses(res, body) in its order, judged only where an argument of the goroutine's own call
    for use in found.get("i", []) + found.get("s", []):
        args = use.parent
        call = args.parent if args is not None and args.type == "argument_list" else None
        if call is None or call.type != "call_expression" or enclosing_func(call) != g.func:
            continue
        if not _context_use(res, use):
            continue
        index = next((i for i, a in enumerate(_args(call)) if a == use), None)
        if index is None:
            continue
        by_call.setdefault(call.start_byte, (call, []))[1].append((use, index))
    out: list[_Handoff] = []
    for call, uses in by_call.values():
        target = res.called_function(call)
        if target is None or target[1] == g.func or not _declared_once(ctx, target[0], target[1]):
            continue
        cfile, cfunc = target
        cres = ctx.resolver(cfile)
        params = _flat_params(cres, cfunc)
        cbody = cfunc.child_by_field_name("body")
        if params is None or cbody is None:
            continue
        dead = all(
            index < len(params)
            and (p := params[index]) is not None
            and is_context(cres.decl_type(p))
            and not cres.references(p)
            for _, index in uses
        )
        if dead and not honours_context(cres, cbody):
            out.append(_Handoff(call, tuple(u for u, _ in uses), cfile, cfunc, tuple(params)))
    return out


def _args(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    return [a for a in args.named_children if a.type != "comment"] if args is not None else []


def _declared_once(ctx: Context, file: GoFile, func: Node) -> bool:
    """One declaration in the package (not one per build-tagged file, where another may use ctx)."""
    name = text(func.child_by_field_name("name"))
    if func.type == "function_declaration":
        return sum(1 for f in ctx.pkg.declaring("func", name) if name in f.decls.funcs) == 1
    key = next((k for k, v in file.decls.methods.items() if v == func), None)
    if key is None:
        return False
    return sum(1 for f in ctx.pkg.declaring("method", name) if key in f.decls.methods) == 1


def _flat_params(res: Resolver, func: Node) -> list[Decl | None] | None:
    """One entry per parameter position (None for `_` and unnamed ones); None when variadic."""
    params = func.child_by_field_name("parameters")
    if params is None:
        return None
    out: list[Decl | None] = []
    for p in params.named_children:
        if p.type == "variadic_parameter_declaration":
            return None
        if p.type != "parameter_declaration":
            continue
        names = p.children_by_field_name("name")
        if not names:
            out.append(None)
        for n in names:
            d = res.decl_of(n) if text(n) != "_" else None
            out.append(d if d is not None and d.kind == "param" else None)
    return out


def _callee_ops(ctx: Context, g: Goroutine, h: _Handoff) -> list[Op]:
    cres = ctx.resolver(h.file)
    arg_nodes = _args(h.call)

    def counts(chan_expr: Node, where: str) -> bool:
        timer = _time_chan(cres, chan_expr)
        if timer == "ticker" and in_bounded_loop(cres, chan_expr):
            timer = "timer"
        if timer is not None:
            return timer == "ticker" or where == "recv"
        root = _root_ident(chan_expr)
        if chan_expr.type == "call_expression" or root is None:
            return False
        decl = cres.decl_of(root)
        if decl is None:
            return cres.package_name_type(text(root)) is not None
        if decl.kind == "receiver":
            return True  # a field of the receiver: its partners are out of view, as for `go s.run(ctx)`
        if decl.kind != "param" or decl.func != h.func:
            return False  # the callee's own channel
        index = next((i for i, p in enumerate(h.params) if p is not None and p.key == decl.key), None)
        if index is None or index >= len(arg_nodes):
            return False
        if root != unparen(chan_expr):
            return True  # a field of a parameter
        # the callee's parameter: judge the argument the goroutine passes, where the goroutine sees it
        repeated = _in_loop(chan_expr, h.func) or _in_loop(h.call, g.func)
        return _chan_counts(ctx, g, unparen(arg_nodes[index]), where, repeated)

    name = text(h.func.child_by_field_name("name"))
    return [
        Op(op.node, f"{op.what} in {name} (which ignores the context it is passed)")
        for op in blocking_ops(cres, h.func, chan_ok=counts)
    ]


def _root_ident(expr: Node) -> Node | None:
    expr = unparen(expr)
    while expr.type in ("selector_expression", "index_expression", "unary_expression"):
        nxt = expr.child_by_field_name("operand")
        if nxt is None:
            return None
        expr = unparen(nxt)
    return expr if expr.type == "identifier" else None


def _chan_counts(
    ctx: Context, g: Goroutine, chan_expr: Node, where: str, repeated: bool | None = None
) -> bool:
    """Whether an operation of the goroutine on this channel is one that only the context could end.

    Tickers never stop on their own; a timer or `time.After` sleeps (a bare receive counts like
    time.Sleep, but as a select case it is a timeout, i.e. a way out). Parameters, fields and package
    variables have partners we cannot see. A channel made by the launching function counts only when
    the launcher abandons it on cancellation (its operation on it sits in a select with a `Done()` case):
    other local hand-offs are GL006's question.
    """
    res = ctx.resolver(g.body_file)
    timer = _time_chan(res, chan_expr)
    if timer == "ticker" and in_bounded_loop(res, chan_expr):
        timer = "timer"  # a counted loop of ticks ends by itself
    if timer is not None:
        return timer == "ticker" or where == "recv"
    if chan_expr.type == "call_expression":
        return False
    if where == "case" and _signal_chan(res, chan_expr) and signalled_in_view(ctx, res, chan_expr):
        return False  # a stop signal somebody sends or closes: a way out of the select
    if repeated is None:
        func = enclosing_func(chan_expr)
        repeated = func is not None and _in_loop(chan_expr, func)
    launcher = enclosing_func(g.stmt)
    repeated = repeated or (launcher is not None and _in_loop(g.stmt, launcher))
    return _foreign_chan(ctx, g, chan_expr, where, repeated=repeated)


def _time_chan(res: Resolver, expr: Node, depth: int = 0) -> str | None:
    """ "ticker" for a Ticker's C or time.Tick, "timer" for a Timer's C or time.After, else None."""
    expr = unparen(expr)
    if expr.type == "call_expression":
        q = res.qualified_call(expr)
        return "ticker" if q == "time.Tick" else "timer" if q == "time.After" else None
    if expr.type == "selector_expression" and text(expr.child_by_field_name("field")) == "C":
        t = res.infer(expr.child_by_field_name("operand"))
        if t is not None and t.is_named("time", "Ticker"):
            return "ticker"
        if t is not None and t.is_named("time", "Timer"):
            return "timer"
        return None
    if expr.type == "identifier" and depth < 3:
        decl = res.decl_of(expr)
        if decl is not None and decl.value is not None and not decl.multi and decl.kind in ("short", "var"):
            return _time_chan(res, decl.value, depth + 1)
    return None


def _foreign_chan(
    ctx: Context, g: Goroutine, chan_expr: Node, where: str, depth: int = 0, repeated: bool = False
) -> bool:
    if depth > 3:
        return False
    root = _root_ident(chan_expr)
    if root is None:
        return False  # a call's result, an index into something unknown: cannot know
    res = ctx.resolver(g.body_file)
    decl = res.decl_of(root)
    if decl is None:
        return res.package_name_type(text(root)) is not None
    if decl.kind in ("param", "receiver"):
        if decl.func != g.func or g.named:
            return True
        # the literal's own parameter: judge the argument the go statement passes
        call = next((c for c in g.stmt.named_children if c.type == "call_expression"), None)
        args = call.child_by_field_name("arguments") if call is not None else None
        index = next((i for i, d in enumerate(_params(res, g.func)) if d.key == decl.key), None)
        if args is None or index is None or index >= args.named_child_count:
            return False
        return _foreign_chan(ctx, g, args.named_children[index], where, depth + 1, repeated)
    if root != unparen(chan_expr):
        return False  # a field of a local value
    value = unparen(decl.value) if decl.value is not None and not decl.multi else None
    if value is not None and (
        decl.kind == "range" or value.type in ("identifier", "selector_expression", "index_expression")
    ):
        # `in := req.Cancel`, `for _, ch := range r.chans`: an alias of (an element of) another value
        return _foreign_chan(ctx, g, value, where, depth + 1, repeated)
    if g.named or decl.func == g.func:
        return False  # the goroutine's own channel
    if value is not None and not _is_make(value):
        return False
    if decl.multi and _multi_call(decl) is not None:
        return False  # `ch, err := h.Wait(ctx, id)`: the callee is its partner (and may watch ctx)
    return _abandoned_on_cancel(res, g, decl, where == "send" and repeated)


def _multi_call(decl: Decl) -> Node | None:
    """The call of `a, b := f(…)` / `var a, b = f(…)` that gives this declaration its value (not `make`)."""
    left = decl.ident.parent
    stmt = left.parent if left is not None and left.type == "expression_list" else left
    right = None
    if stmt is not None and stmt.type in ("short_var_declaration", "assignment_statement"):
        right = stmt.child_by_field_name("right")
    elif stmt is not None and stmt.type == "var_spec":
        right = stmt.child_by_field_name("value")
    values = [c for c in right.named_children if c.type != "comment"] if right is not None else []
    call = unparen(values[0]) if len(values) == 1 else None
    return call if call is not None and call.type == "call_expression" and not _is_make(call) else None


def _is_make(value: Node) -> bool:
    return value.type == "call_expression" and text(value.child_by_field_name("function")) == "make"


def _abandoned_on_cancel(res: Resolver, g: Goroutine, decl: Decl, repeated_send: bool = False) -> bool:
    """Whether only the context can end the goroutine's operation on a local channel.

    Every other use of the channel (outside this goroutine) is looked at: a plain send, receive, range,
    close or hand-off is a partner in view (whether it can be skipped is GL006's question) and keeps the
    rule silent. It counts when the launcher returns the channel (its partner is a caller that stops on
    its own context), when the launcher's only operations on it are select cases next to a `<-x.Done()`
    case (on cancellation it walks away), or when nothing else ever touches it. With `repeated_send`
    (the goroutine sends in a loop, or is launched in one), a launcher's `range` loop that returns from
    a `<-x.Done()` case walks away as well: a single send is taken by the range before it can.
    """
    partner = False
    for use in res.references(decl):
        if inside(use, g.stmt):
            continue
        parent = use.parent
        if parent is not None and parent.type == "expression_list":
            parent = parent.parent
        if parent is not None and parent.type == "return_statement":
            return True  # whatever else happens to it, the caller that gets it is the partner
        if (
            repeated_send
            and parent is not None
            and parent.type == "range_clause"
            and _returns_on_done(parent)
        ):
            # `for v := range ch { select { …; case <-ctx.Done(): return } }` walks away: the goroutine's
            # next send (it sends in a loop, or several goroutines send) finds nobody
            continue
        if _in_comm(use):
            select = parent
            while select is not None and select.type != "select_statement":
                select = select.parent
            cases = _select_cases(select) if select is not None else []
            channels = [ch for ch in (_comm_channel(c) for c in cases) if ch is not None]
            if not any(c.type == "default_case" for c in cases) and any(_is_done_call(ch) for ch in channels):
                continue  # the launcher walks away from it on cancellation
        partner = True  # (no early exit: a later `return ch` decides, whatever the order of the uses)
    return not partner  # abandoned on cancellation, or nothing but this goroutine uses the channel


def _returns_on_done(range_clause: Node) -> bool:
    """A range loop whose body returns from a `case <-x.Done():` of a select without default."""
    loop = range_clause.parent
    body = loop.child_by_field_name("body") if loop is not None else None
    if body is None:
        return False
    for select in captures("(select_statement) @s", body).get("s", []):
        if enclosing_func(select) != enclosing_func(range_clause):
            continue
        cases = _select_cases(select)
        if any(c.type == "default_case" for c in cases):
            continue
        for case in cases:
            ch = _comm_channel(case)
            if ch is None or not _is_done_call(ch):
                continue
            if any(
                enclosing_func(r) == enclosing_func(range_clause)
                for r in captures("(return_statement) @r", case).get("r", [])
            ):
                return True
    return False


def _is_done_call(expr: Node) -> bool:
    expr = unparen(expr)
    if expr.type != "call_expression":
        return False
    fn = expr.child_by_field_name("function")
    return (
        fn is not None
        and fn.type == "selector_expression"
        and text(fn.child_by_field_name("field")) == "Done"
    )


def _woken_by_launcher(g: Goroutine, op: Op) -> bool:
    """`c.Wait()` in a closure whose launcher Broadcasts/Signals `c` after the go statement."""
    node = op.node
    if g.named or node.type != "call_expression":
        return False
    fn = node.child_by_field_name("function")
    if fn is None or fn.type != "selector_expression" or text(fn.child_by_field_name("field")) != "Wait":
        return False
    launcher = enclosing_func(g.stmt)
    if launcher is None:
        return False
    recv = text(fn.child_by_field_name("operand"))
    after = (launcher.text or b"")[g.stmt.end_byte - launcher.start_byte :]
    return any(f"{recv}.{m}()".encode() in after for m in ("Broadcast", "Signal"))


def _params(res: Resolver, func: Node) -> list[Decl]:
    params = func.child_by_field_name("parameters")
    if params is None:
        return []
    out: list[Decl] = []
    for name_node in captures("(parameter_declaration name: (identifier) @n)", params).get("n", []):
        d = res.decl_of(name_node)
        if d is not None and d.kind == "param" and d.func == func:
            out.append(d)
    out.sort(key=lambda d: d.ident.start_byte)
    return out


# -- GL009 ----------------------------------------------------------------------------------------------


@rule(
    "GL009",
    "handler-goroutine-detached",
    Severity.ERROR,
    "a goroutine started in an HTTP handler blocks or does I/O without the request's context",
    prefilter=(b"ResponseWriter",),
    package_needs=(b"net/http",),
)
def handler_goroutine_detached(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags a `go` statement inside an HTTP handler — a function, method or literal with parameters
    `(w http.ResponseWriter, r *http.Request)`, import aliases resolved — whose goroutine blocks
    (`time.Sleep`, channel operations, `select` without `default`, `sync.Cond.Wait`) or does network or
    database I/O (`http.Get`, `(*http.Client).Do`, `(*sql.DB).Query…`, `net.Dial`, …), directly or in a
    same-package function it calls (one level), without a context derived from `r.Context()`: it uses
    `context.Background()`/`context.TODO()` (possibly wrapped in `context.With…`) or no context at all.

    ## Why is this bad?
    The request's context is cancelled when the client disconnects, the handler returns or the server
    shuts down. A goroutine cut off from it keeps running — and keeps its connections, rows and memory —
    after nobody wants the result; under load they pile up faster than they finish. In a goroutine dump
    they show as `[sleep]`, `[select]`, `[chan send]` or `[IO wait]` frames under
    `created by main.handler`, in numbers that grow with traffic.

    ## Example
    ```go
    func handler(w http.ResponseWriter, r *http.Request) {
        go func() {
            time.Sleep(10 * time.Second) // ignores r.Context().Done()
            log.Println("work completed")
        }()
    }
    ```

    ## Use instead
    ```go
    func handler(w http.ResponseWriter, r *http.Request) {
        ctx := r.Context()
        go func(ctx context.Context) {
            select {
            case <-time.After(10 * time.Second):
                log.Println("work completed")
            case <-ctx.Done():
                log.Println("canceled:", ctx.Err())
            }
        }(ctx)
    }
    ```
    Work that must outlive the response on purpose should say so with
    `context.WithoutCancel(r.Context())` plus its own timeout.

    ## When it stays silent
    - The goroutine uses `r.Context()`, a context derived from it, the request itself (`process(r)`), an
      outgoing request built with such a context (`http.NewRequestWithContext(r.Context(), …)`), the
      cancel function of such a context, or any context whose origin is not `Background`/`TODO` (a
      parameter or field, e.g. a server-lifetime context, or `context.WithoutCancel(r.Context())`).
    - The handler waits for the goroutine before returning (`wg.Wait()`, an errgroup's `Wait`, or a
      receive from a local channel the goroutine is handed or captures): it cannot outlive the request.
    - The goroutine neither blocks nor does I/O (counters, `fmt`/`log` printing), or what it calls
      cannot be seen (another package).
    - The goroutine has a stop signal of its own (a receive from a channel closed in view, such as a
      hub's quit channel): tying it to the request instead would change when it stops. An operation
      on a local channel whose partner is in view outside the goroutine (a send or close for its
      receive, a receive for its send) is GL006's question.
    - Functions that only look like handlers: other parameter types or counts.
    - A context variable is in scope and GL008 (ignored-context) reports the goroutine's blocking
      operation: one mechanism, one finding.
    - Low confidence only (shown with `--confidence low`): an asynchronous job — the goroutine works on a
      value the handler first stores into a field, map or package variable (`s.jobs[id] = job`), so the
      server owns it and whether it should stop with the request is a design question.

    ## Suppress
    `//leaktrail:ignore GL009 reason` on the `go` line or the line above, or `//nolint:leaktrail`.
    """
    for g in goroutines_in(ctx):
        if g.body is None:
            continue
        handler = enclosing_handler(g.file, g.stmt)
        if handler is None:
            continue
        hfunc, req = handler
        what = _gl009(ctx, g, req)
        if what is None or _ignored_context_reported(ctx, g):
            continue
        hname = _func_name(hfunc)
        rname = req or "r"
        yield Report(
            g.file,
            g.stmt,
            f"goroutine started in {hname} runs {what} without {rname}.Context(): it can outlive "
            f"the request and keep running after the client is gone; pass {rname}.Context() (or a context "
            f"derived from it) and stop on ctx.Done(), or give work that must finish after the response "
            f"a deadline of its own",
            confidence="low" if _published_job(ctx.resolver(g.file), g, hfunc) else "high",
        )


def _published_job(res: Resolver, g: Goroutine, handler: Node) -> bool:
    """The goroutine works on a value the handler first stores into something that outlives the request
    (`s.jobs[id] = job; go s.run(job)`): an asynchronous job the server owns, tracked by its id. Whether
    it should stop with the request is then the design's question (the finding is low confidence)."""
    subjects: set[tuple[int, int]] = set()
    for ident in captures("(identifier) @i", g.stmt).get("i", []):
        decl = res.decl_of(ident)
        if decl is None or decl.kind not in ("short", "var") or decl.func != handler:
            continue
        t = res.decl_type(decl)
        if t is not None and t.deref().kind == "named" and t.deref().pkg == "":
            subjects.add(decl.key)  # a job value of the package's own type (not a channel or a string)
    if not subjects:
        return False
    body = handler.child_by_field_name("body")
    for st in captures("(assignment_statement) @a", body).get("a", []) if body is not None else []:
        if st.start_byte > g.stmt.start_byte or enclosing_func(st) != handler:
            continue
        left = st.child_by_field_name("left")
        right = st.child_by_field_name("right")
        if left is None or right is None:
            continue
        kinds = {unparen(t).type for t in left.named_children}
        if not kinds & {"index_expression", "selector_expression"}:
            continue
        for value in right.named_children:
            value = unparen(value)
            if value.type == "unary_expression" and text(value.child_by_field_name("operator")) == "&":
                value = unparen(value.child_by_field_name("operand") or value)
            decl = res.decl_of(value) if value.type == "identifier" else None
            if decl is not None and decl.key in subjects:
                return True
    return False


def _ignored_context_reported(ctx: Context, g: Goroutine) -> bool:
    """GL008 reports this goroutine (a context variable is in scope, `ctx := r.Context()`) with high
    confidence: one mechanism, one finding — GL009 is for handlers without a context variable."""
    found = _gl008(ctx, g)
    return found is not None and not _looping_partner(ctx, ctx.resolver(found[2]), found[0])


def _func_name(func: Node) -> str:
    name = func.child_by_field_name("name")
    return f"HTTP handler {text(name)}" if name is not None else "this HTTP handler literal"


def _gl009(ctx: Context, g: Goroutine, req: str | None) -> str | None:
    res = ctx.resolver(g.file)
    bres = ctx.resolver(g.body_file)
    call = next((c for c in g.stmt.named_children if c.type == "call_expression"), None)
    if call is None:
        return None
    args = call.child_by_field_name("arguments")
    # the request itself, or a context not rooted in Background/TODO, reaching the goroutine: derived
    scopes = [args] if args is not None else []
    if not g.named:
        scopes.append(g.func)
    for scope in scopes:
        if _uses_request(res, scope, req):
            return None
        for use in context_uses(res, scope):
            if _param_of(res, use, g.func if not g.named else None):
                continue
            if ctx_origin(res, use).root != "background":
                return None
        if _cancels(res, scope):
            return None  # it cancels a context: it is part of some context's lifecycle
    if _joined(ctx, g):
        return None
    if g.named:
        body = g.body
        assert body is not None
        for use in context_uses(bres, body):
            if _param_of(bres, use, g.func):
                continue  # its origin is the argument, judged above
            if ctx_origin(bres, use).root != "background":
                return None
    return _blocks(ctx, g.body_file, g.func, 0, _handler_chan_ok(ctx, g))


def _cancels(res: Resolver, scope: Node) -> bool:
    """Calls or passes the cancel function of a context that is not rooted in Background/TODO."""
    for ident in captures("(identifier) @i", scope).get("i", []):
        decl = res.decl_of(ident)
        if decl is None or decl.ident == ident or not is_cancel_func(res.decl_type(decl)):
            continue
        if decl.value is None or ctx_origin(res, decl.value).root != "background":
            return True
    return False


_JOIN = """
[(call_expression function: (selector_expression field: (field_identifier) @m)) @call
 (unary_expression operator: "<-" operand: (identifier) @ch)
 (range_clause right: (identifier) @ch)]
"""


def _joined(ctx: Context, g: Goroutine) -> bool:
    """The launcher waits for the goroutine after the go statement: a WaitGroup/errgroup Wait, or a
    receive from a local channel the goroutine is handed or captures. It cannot outlive the handler."""
    launcher = enclosing_func(g.stmt)
    body = launcher.child_by_field_name("body") if launcher is not None else None
    if launcher is None or body is None:
        return False
    res = ctx.resolver(g.file)
    found = captures(_JOIN, body)
    for call in found.get("call", []):
        if call.start_byte < g.stmt.end_byte or enclosing_func(call) != launcher:
            continue
        fn = call.child_by_field_name("function")
        if fn is None or text(fn.child_by_field_name("field")) != "Wait":
            continue
        t = res.infer(fn.child_by_field_name("operand"))
        t = t.deref() if t is not None else None
        if (
            t is not None
            and t.kind == "named"
            and (t.pkg, t.name)
            in (
                ("sync", "WaitGroup"),
                ("golang.org/x/sync/errgroup", "Group"),
            )
        ):
            return True
    shared: set[tuple[int, int]] = set()
    for ident in captures("(identifier) @i", g.stmt).get("i", []):
        decl = res.decl_of(ident)
        if decl is not None and decl.func == launcher and decl.kind in ("short", "var"):
            shared.add(decl.key)
    for ch in found.get("ch", []):
        if ch.start_byte < g.stmt.end_byte or enclosing_func(ch) != launcher:
            continue
        decl = res.decl_of(ch)
        if decl is not None and decl.key in shared:
            return True
    return False


def _param_of(res: Resolver, use: Node, func: Node | None) -> bool:
    if func is None or use.type != "identifier":
        return False
    d = res.decl_of(use)
    return d is not None and d.kind == "param" and d.func == func


def _uses_request(res: Resolver, scope: Node, req: str | None) -> bool:
    """The handler's `r` itself (passed on, `r.Context()`, `r.WithContext`), not just its fields
    (`r.URL.Path`), or another *http.Request built with a context that is not Background/TODO
    (`http.NewRequestWithContext(ctx, …)`, `x.WithContext(ctx)`)."""
    for ident in captures("(identifier) @i", scope).get("i", []):
        decl = res.decl_of(ident)
        if decl is not None and decl.ident == ident:
            continue
        if not is_request(res.decl_type(decl) if decl is not None else None):
            continue
        if text(ident) == req and (decl is None or decl.kind == "param"):
            parent = ident.parent
            if parent is not None and parent.type == "selector_expression":
                field = text(parent.child_by_field_name("field"))
                if field not in ("Context", "WithContext", "Clone"):
                    continue
            return True
        if decl is not None and _request_origin(res, decl) != "background":
            return True
    return False


def _request_origin(res: Resolver, decl: Decl) -> str:
    """Where the context of a locally built *http.Request comes from."""
    if decl.kind not in ("short", "var") or decl.value is None or decl.index != 0:
        return "other"
    value = unparen(decl.value)
    if value.type != "call_expression":
        return "other"
    args = value.child_by_field_name("arguments")
    first = args.named_children[0] if args is not None and args.named_child_count else None
    q = res.qualified_call(value)
    if q == "net/http.NewRequest":
        return "background"
    if q == "net/http.NewRequestWithContext" or (
        q is None and text(value.child_by_field_name("function")).endswith(".WithContext")
    ):
        return ctx_origin(res, first).root
    return "other"


def _handler_chan_ok(ctx: Context, g: Goroutine) -> ChanFilter:
    """Which channel operations of a handler's goroutine may outlive the request: not a receive from a
    channel closed in view (the goroutine's own stop signal: tying it to r.Context() instead would
    change when it stops), nor an operation on a local channel whose partner is in view outside the
    goroutine (whether that partner can be skipped is GL006's question)."""
    res = ctx.resolver(g.body_file)

    def ok(chan_expr: Node, where: str) -> bool:
        chan_expr = unparen(chan_expr)
        if chan_expr.type == "call_expression":
            return res.qualified_call(chan_expr) in ("time.After", "time.Tick")
        if where != "send" and _signal_chan(res, chan_expr) and signalled_in_view(ctx, res, chan_expr):
            return False
        if chan_expr.type != "identifier" or g.named:
            return True
        decl = res.decl_of(chan_expr)
        if decl is None or decl.kind not in ("short", "var") or inside(decl.ident, g.func):
            return True
        return not _partner_outside(res, decl, g.stmt, where)

    return ok


def _signal_chan(res: Resolver, chan_expr: Node) -> bool:
    """`chan struct{}`: a channel that carries nothing but the event of a send or close."""
    t = res.infer(chan_expr)
    return t is not None and t.kind == "chan" and t.elem is not None and t.elem.kind == "struct"


def _partner_outside(res: Resolver, decl: Decl, stmt: Node, where: str) -> bool:
    """A use of the channel outside the go statement that completes this goroutine's operation: a send
    or close for its receive, a receive or range for its send."""
    for use in res.references(decl):
        if inside(use, stmt):
            continue
        parent = use.parent
        if parent is None:
            continue
        if where == "send":
            if parent.type == "range_clause" or (
                parent.type == "unary_expression" and text(parent.child_by_field_name("operator")) == "<-"
            ):
                return True
            continue
        if parent.type == "send_statement" and parent.child_by_field_name("channel") == use:
            return True
        call = parent.parent if parent.type == "argument_list" else None
        if call is not None and text(call.child_by_field_name("function")) == "close":
            return True
    return False


def _blocks(
    ctx: Context, file: GoFile, func: Node, depth: int, chan_ok: ChanFilter | None = None
) -> str | None:
    res = ctx.resolver(file)
    ops = blocking_ops(res, func, io=True, chan_ok=chan_ok)
    if ops:
        return ops[0].what
    if depth >= 1:
        return None
    body = func.child_by_field_name("body")
    if body is None:
        return None
    for call in captures("(call_expression) @c", body).get("c", []):
        if enclosing_func(call) != func:
            continue
        target = res.called_function(call)
        if target is None or target[1] == func:
            continue
        what = _blocks(ctx, target[0], target[1], depth + 1)
        if what is not None:
            name = target[1].child_by_field_name("name")
            return f"{what} (in {text(name)})"
    return None


# -- GL010 ----------------------------------------------------------------------------------------------

_SQL_CALLS = "(call_expression function: (selector_expression field: (field_identifier) @m)) @c"


@rule(
    "GL010",
    "query-without-context",
    Severity.ERROR,
    "a database/sql call without a context where one is in scope, or with a context that has no deadline",
    prefilter=(b".Query", b".Exec", b".Prepare", b".Begin", b".Ping"),
    package_needs=(b"database/sql",),
)
def query_without_context(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags `database/sql` calls on a `*sql.DB`, `*sql.Tx`, `*sql.Conn` or `*sql.Stmt` (types resolved from
    declarations, not from the name `db`):
    - `Query`, `QueryRow`, `Exec`, `Prepare`, `Begin`, `Ping` — the forms without a context — where a
      context is in scope: a `context.Context` parameter or local (closures see their enclosing
      function's), or an `*http.Request` such as an HTTP handler's `r` (whose `r.Context()` is at hand);
    - `QueryContext`, `QueryRowContext`, `ExecContext`, `PrepareContext`, `BeginTx`, `PingContext` given
      `context.Background()`/`context.TODO()` (directly, through a local, or wrapped in
      `context.WithValue`) inside a goroutine or an HTTP handler: no deadline, no cancellation.

    ## Why is this bad?
    Without a context, a query waits as long as the database (or the connection pool) makes it wait:
    `db.Query` is `db.QueryContext(context.Background(), …)`. When the pool is exhausted or the database
    is slow, every caller queues in `database/sql.(*DB).conn`; the handlers and goroutines behind them pile
    up and cannot be cancelled when their request is. In a goroutine dump they sit in `[select]` inside
    `database/sql.(*DB).conn` or in `[IO wait]` under the driver.

    ## Example
    ```go
    func userName(ctx context.Context, db *sql.DB, id int) (string, error) {
        var name string
        err := db.QueryRow("SELECT name FROM users WHERE id = ?", id).Scan(&name)
        return name, err
    }
    ```

    ## Use instead
    ```go
    func userName(ctx context.Context, db *sql.DB, id int) (string, error) {
        ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
        defer cancel()
        var name string
        err := db.QueryRowContext(ctx, "SELECT name FROM users WHERE id = ?", id).Scan(&name)
        return name, err
    }
    ```

    ## When it stays silent
    No context in scope (a plain function without one: nothing better to pass), receivers that are not
    `database/sql` types, `…Context` calls given a parameter, a field, `r.Context()` or anything derived
    with `context.WithTimeout`/`WithDeadline`/`WithCancel`, and `Background()` outside goroutines and
    handlers (top-level setup code such as `main`); a context whose cancel function already ran before
    the call is not offered (passing it would make the call fail at once).

    ## Suppress
    `//leaktrail:ignore GL010 reason` on the call line or the line above, or `//nolint:leaktrail`.
    """
    go_funcs: set[tuple[int, int]] | None = None
    for file in ctx.files:
        res = ctx.resolver(file)
        for call in _sql_calls(file):
            fn = call.child_by_field_name("function")
            if fn is None:
                continue
            mname = text(fn.child_by_field_name("field"))
            if mname not in _SQL_PLAIN and mname not in _SQL_CTX:
                continue
            operand = fn.child_by_field_name("operand")
            if operand is None or (operand.type == "identifier" and res.is_import(operand) is not None):
                continue
            # the method must come from a database/sql type (directly or through embedding); Conn has
            # no Query, so `conn.Query` on a *sql.Conn is not one
            owner = res.method_owner(res.infer(operand), mname)
            if owner is None or owner.pkg != "database/sql" or owner.name not in _SQL_TYPES:
                continue
            recv = text(operand)
            if mname in _SQL_PLAIN:
                msg = _gl010_plain(file, res, call, recv, mname)
            else:
                if go_funcs is None:  # (only asked here: the package's goroutines are found once needed)
                    go_funcs = {(id(g.body_file), g.func.start_byte) for g in goroutines(ctx) if g.named}
                msg = _gl010_background(file, res, call, recv, mname, go_funcs)
            if msg is not None:
                yield Report(file, call, msg)


_SQL_NAME = re.compile(rb"(?:" + b"|".join(sorted(n.encode() for n in {*_SQL_PLAIN, *_SQL_CTX})) + rb")\b")
"""The method names GL010 asks about, each ending a word (a literal start: found at C speed)."""


def _sql_calls(file: GoFile) -> list[Node]:
    """What `(call_expression function: (selector_expression field: (field_identifier) @m)) @c` captures
    whose method is one of _SQL_PLAIN / _SQL_CTX, in its order: found from the names' whole-word
    occurrences in the bytes (a file with none is not parsed; `.Execute(` and `.Begins` are not `.Exec`
    and `.Begin`), each asked of the tree for the field token there."""
    data = file.data
    found: list[Node] = []
    root: Node | None = None
    for m in _SQL_NAME.finditer(data):
        start, end = m.span()
        if start and is_word_byte(data[start - 1]) and _inside_word(data, start):
            continue  # inside a longer name: no token spans the match
        if root is None:
            root = file.root
        token = root.descendant_for_byte_range(start, end)
        if token is None or token.type != "field_identifier" or token.byte_range != (start, end):
            continue
        sel = token.parent
        if sel is None or sel.type != "selector_expression" or sel.child_by_field_name("field") != token:
            continue
        call = sel.parent
        if (
            call is not None
            and call.type == "call_expression"
            and call.child_by_field_name("function") == sel
        ):
            found.append(call)
    found.sort(key=lambda n: (n.start_byte, -n.end_byte))
    return found


def _gl010_plain(file: GoFile, res: Resolver, call: Node, recv: str, mname: str) -> str | None:
    alt = _SQL_PLAIN[mname]
    # a context whose cancel already ran would fail the call at once: it is not the one to pass
    ctxs = [d for d in visible_decls(res, call, "context") if not _cancelled_before(res, d, call)]
    if ctxs:
        name = ctxs[-1].name
        return (
            f"{recv}.{mname} runs without a context although {name} is in scope: it cannot be cancelled "
            f"and waits as long as the database or the pool makes it; use {recv}.{alt}({name}, …)"
        )
    handler = enclosing_handler(file, call)
    reqs = visible_decls(res, call, "request")
    if (handler is not None and handler[1] is not None) or reqs:
        rname = handler[1] if handler is not None and handler[1] is not None else reqs[-1].name
        return (
            f"{recv}.{mname} runs without a context inside a request: it keeps waiting after the client "
            f"is gone; use {recv}.{alt}({rname}.Context(), …)"
        )
    return None


def _gl010_background(
    file: GoFile, res: Resolver, call: Node, recv: str, mname: str, go_funcs: set[tuple[int, int]]
) -> str | None:
    args = call.child_by_field_name("arguments")
    if args is None or not args.named_child_count:
        return None
    origin = ctx_origin(res, args.named_children[0])
    if origin.root != "background" or origin.deadline or origin.derived:
        return None
    where = _goroutine_or_handler(file, call, go_funcs)
    if where is None:
        return None
    return (
        f"{recv}.{mname} gets {text(args.named_children[0])}, a context without deadline or cancellation, "
        f"inside {where}: the call can block forever; pass the caller's context or one from "
        f"context.WithTimeout"
    )


def _goroutine_or_handler(file: GoFile, node: Node, go_funcs: set[tuple[int, int]]) -> str | None:
    p = enclosing_func(node)
    while p is not None:
        if p.type == "func_literal" and _is_go_literal(p):
            return "a goroutine"
        if (id(file), p.start_byte) in go_funcs:
            return "a goroutine"
        if handler_request(file, p)[0]:
            return "an HTTP handler"
        p = enclosing_func(p)
    return None


__all__ = [
    "blocking_ops",
    "ctx_origin",
    "handler_goroutine_detached",
    "ignored_context",
    "is_context",
    "may_be_cancelled",
    "query_without_context",
]
