"""Contexts that do not reach the goroutines and queries that should obey them (GL008, GL009, GL010)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from leaktrail.model import Severity
from leaktrail.rules import rule
from leaktrail.rules.base import Context, Report
from leaktrail.rules.goroutines import Goroutine, goroutines, inside
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, captures, text, unparen
from leaktrail.source.resolve import FUNC_NODES, Decl, Resolver, enclosing_func
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
        if check(res.decl_type(d)):
            out.append(d)
    out.sort(key=lambda d: d.ident.start_byte)
    return out


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
        if any(_is_assigned(u) for u in res.references(decl)):
            return _OTHER  # reassigned somewhere: cannot know which value reaches the use
        return ctx_origin(res, decl.value, depth + 1)
    return _OTHER


def _is_assigned(node: Node) -> bool:
    parent = node.parent
    if parent is None or parent.type != "expression_list":
        return False
    stmt = parent.parent
    return (
        stmt is not None
        and stmt.type == "assignment_statement"
        and stmt.child_by_field_name("left") == parent
    )


def context_uses(res: Resolver, scope: Node) -> list[Node]:
    """Context-typed expressions used in `scope` (closures included); `x.Value(…)` reads do not count."""
    out: list[Node] = []
    found = captures(_IDENTS, scope)
    for node in found.get("i", []) + found.get("s", []):
        parent = node.parent
        if (
            parent is not None
            and parent.type == "selector_expression"
            and node == parent.child_by_field_name("operand")
        ):
            if text(parent.child_by_field_name("field")) == "Value":
                continue
            if node.type == "identifier" and is_context(res.infer(parent)):
                continue  # the selector itself is counted (r.Context)
        if node.type == "identifier":
            if res.is_import(node) is not None:
                continue
            decl = res.decl_of(node)
            if decl is not None and decl.ident == node:
                continue
            t = res.decl_type(decl) if decl is not None else res.package_name_type(text(node))
        else:
            operand = node.child_by_field_name("operand")
            if operand is not None and operand.type == "identifier" and res.is_import(operand) is not None:
                continue
            t = res.infer(node)
        if is_context(t):
            out.append(node)
    return out


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
    """A channel variable made with a non-zero capacity (`make(chan T, 1)`)."""
    if chan_expr is None:
        return False
    chan_expr = unparen(chan_expr)
    if chan_expr.type != "identifier":
        return False
    decl = res.decl_of(chan_expr)
    if decl is None or decl.value is None or decl.multi:
        return False
    value = unparen(decl.value)
    if value.type != "call_expression" or text(value.child_by_field_name("function")) != "make":
        return False
    args = value.child_by_field_name("arguments")
    if args is None or args.named_child_count < 2:
        return False
    return text(args.named_children[1]).strip() not in ("0", "")


def blocking_ops(res: Resolver, func: Node, io: bool = False) -> list[Op]:
    """Blocking operations run by `func` itself (not by literals nested in it), in source order.

    Sends on a buffered local channel outside loops do not block. With `io`, network and database calls
    count as well.
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
            if any(c.type == "default_case" for c in _select_cases(node)):
                continue
            ops.append(Op(node, "select"))
        elif node.type == "send_statement":
            if _in_comm(node):
                continue
            chan_node = node.child_by_field_name("channel")
            if _buffered_local(res, chan_node) and not _in_loop(node, func):
                continue
            ops.append(Op(node, f"the send on {text(chan_node)}"))
        else:
            if _in_comm(node):
                continue
            operand = node.child_by_field_name("operand")
            ops.append(Op(node, f"the receive from {text(operand)}"))
    for rc in found.get("range", []):
        loop = rc.parent
        if loop is None or enclosing_func(loop) != func:
            continue
        right = rc.child_by_field_name("right")
        t = res.infer(right)
        if t is not None and t.kind == "chan":
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
    from leaktrail.source.resolve import type_from_node

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
    Any use of a context value in the goroutine (reading `Done`/`Err`, passing it to a call, storing it,
    handing it to another goroutine; `ctx.Value(…)` alone does not count), a `select` with a `default`,
    one send on a local channel made with a buffer outside a loop, goroutines that do not block, and
    functions started with `go` that take no context parameter (their launcher's context was never meant
    for them). A plain `r *http.Request` in scope is left to GL009 (handler-goroutine-detached).

    ## Suppress
    `//leaktrail:ignore GL008 reason` on the reported line or the line above, or `//nolint:leaktrail`.
    """
    reported: set[tuple[int, int]] = set()
    for g in goroutines(ctx):
        if g.body is None:
            continue
        found = _gl008(ctx, g)
        if found is None:
            continue
        op, ctx_name = found
        key = (id(g.body_file), op.node.start_byte)
        if key in reported:
            continue
        reported.add(key)
        yield Report(
            g.body_file,
            op.node,
            f"{op.what} blocks this goroutine but it never watches {ctx_name}: cancelling {ctx_name} "
            f"cannot stop it; select on <-{ctx_name}.Done() (or pass {ctx_name} on) so the goroutine "
            f"can return",
        )


def _gl008(ctx: Context, g: Goroutine) -> tuple[Op, str] | None:
    bres = ctx.resolver(g.body_file)
    own = [d for d in _params(bres, g.func) if is_context(bres.decl_type(d))]
    if g.named:
        if not own:
            return None
        ctx_name = own[0].name
    else:
        if own:
            ctx_name = own[0].name
        else:
            in_scope = visible_decls(ctx.resolver(g.file), g.stmt, "context")
            if not in_scope:
                return None
            ctx_name = in_scope[-1].name
    ops = blocking_ops(bres, g.func)
    if not ops:
        return None
    body = g.body
    assert body is not None
    if context_uses(bres, body):
        return None
    return (ops[0], ctx_name)


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
    The goroutine uses `r.Context()`, a context derived from it, the request itself (`process(r)`), or
    any context whose origin is not `Background`/`TODO` (a parameter or field, e.g. a server-lifetime
    context, or `context.WithoutCancel(r.Context())`); the goroutine neither blocks nor does I/O
    (counters, `fmt`/`log` printing); what it calls cannot be seen (another package).

    ## Suppress
    `//leaktrail:ignore GL009 reason` on the `go` line or the line above, or `//nolint:leaktrail`.
    """
    for g in goroutines(ctx):
        if id(g.file) not in {id(f) for f in ctx.files} or g.body is None:
            continue
        handler = enclosing_handler(g.file, g.stmt)
        if handler is None:
            continue
        hfunc, req = handler
        what = _gl009(ctx, g, req)
        if what is None:
            continue
        hname = _func_name(hfunc)
        rname = req or "r"
        yield Report(
            g.file,
            g.stmt,
            f"goroutine started in HTTP handler {hname} runs {what} without {rname}.Context(): it outlives "
            f"the request and keeps running after the client is gone; pass {rname}.Context() (or a context "
            f"derived from it) and stop on ctx.Done()",
        )


def _func_name(func: Node) -> str:
    name = func.child_by_field_name("name")
    return text(name) if name is not None else "(func literal)"


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
        if req is not None and _uses_request(res, scope, req):
            return None
        for use in context_uses(res, scope):
            if _param_of(res, use, g.func if not g.named else None):
                continue
            if ctx_origin(res, use).root != "background":
                return None
    if g.named:
        body = g.body
        assert body is not None
        for use in context_uses(bres, body):
            if _param_of(bres, use, g.func):
                continue  # its origin is the argument, judged above
            if ctx_origin(bres, use).root != "background":
                return None
    return _blocks(ctx, g.body_file, g.func, 0)


def _param_of(res: Resolver, use: Node, func: Node | None) -> bool:
    if func is None or use.type != "identifier":
        return False
    d = res.decl_of(use)
    return d is not None and d.kind == "param" and d.func == func


def _uses_request(res: Resolver, scope: Node, req: str) -> bool:
    """`r` itself (passed on, `r.Context()`, `r.WithContext`), not just its fields (`r.URL.Path`)."""
    for ident in captures("(identifier) @i", scope).get("i", []):
        if text(ident) != req or not is_request(res.infer(ident)):
            continue
        parent = ident.parent
        if parent is not None and parent.type == "selector_expression":
            field = text(parent.child_by_field_name("field"))
            if field not in ("Context", "WithContext", "Clone"):
                continue
        return True
    return False


def _blocks(ctx: Context, file: GoFile, func: Node, depth: int) -> str | None:
    res = ctx.resolver(file)
    ops = blocking_ops(res, func, io=True)
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
      context is in scope: a `context.Context` parameter or local, or the `*http.Request` of an HTTP
      handler (whose `r.Context()` is at hand);
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
    handlers (top-level setup code such as `main`).

    ## Suppress
    `//leaktrail:ignore GL010 reason` on the call line or the line above, or `//nolint:leaktrail`.
    """
    go_funcs = {(id(g.body_file), g.func.start_byte) for g in goroutines(ctx) if g.named}
    for file in ctx.files:
        res = ctx.resolver(file)
        for call in ctx.query(file, _SQL_CALLS).get("c", []):
            fn = call.child_by_field_name("function")
            if fn is None:
                continue
            mname = text(fn.child_by_field_name("field"))
            if mname not in _SQL_PLAIN and mname not in _SQL_CTX:
                continue
            operand = fn.child_by_field_name("operand")
            if operand is None or (operand.type == "identifier" and res.is_import(operand) is not None):
                continue
            t = res.infer(operand)
            t = t.deref() if t is not None else None
            if t is None or t.kind != "named" or t.pkg != "database/sql" or t.name not in _SQL_TYPES:
                continue
            recv = text(operand)
            if mname in _SQL_PLAIN:
                if res.method_owner(t, mname) is None:
                    continue  # e.g. Conn has no Query: not a database/sql call we know
                msg = _gl010_plain(file, res, call, recv, mname)
            else:
                msg = _gl010_background(file, res, call, recv, mname, go_funcs)
            if msg is not None:
                yield Report(file, call, msg)


def _gl010_plain(file: GoFile, res: Resolver, call: Node, recv: str, mname: str) -> str | None:
    alt = _SQL_PLAIN[mname]
    ctxs = visible_decls(res, call, "context")
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
    "query_without_context",
]
