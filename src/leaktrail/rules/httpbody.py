"""HTTP response bodies that are never closed (GL017)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from leaktrail.model import Severity
from leaktrail.rules import rule
from leaktrail.rules.base import Context, Report, owned_local
from leaktrail.rules.timers import after, covers_any_of, describe_exit, leak_graph
from leaktrail.rules.tokens import calls_named, keyed_elements
from leaktrail.source.cfg import CFG, Exit
from leaktrail.source.package import GoFile
from leaktrail.source.parse import (
    Node,
    assignment_targets,
    captures,
    in_defer,
    is_assign_target,
    line_of,
    text,
    unparen,
)
from leaktrail.source.resolve import Decl, Resolver, enclosing_func
from leaktrail.source.types import GoType

RESPONSE_FUNCS = frozenset({"net/http.Get", "net/http.Post", "net/http.Head", "net/http.PostForm"})
CLIENT_METHODS = ("Do", "Get", "Post", "Head", "PostForm")
_NAMES = frozenset(CLIENT_METHODS)


def response_calls(ctx: Context, file: GoFile) -> list[Node]:
    """Calls that return a fresh *http.Response: http.Get/Post/Head/PostForm and (*http.Client) methods
    (not asked when no value of the package can be a *http.Client: _names_clients)."""
    res = ctx.resolver(file)
    clients = _names_clients(ctx)
    out: list[Node] = []
    for call in calls_named(file, _NAMES):
        fn = call.child_by_field_name("function")
        if fn is None or text(fn).rsplit(".", 1)[-1] not in _NAMES:
            continue
        if res.qualified_call(call) in RESPONSE_FUNCS or (
            clients and res.method_call_on(call, "net/http", "Client", CLIENT_METHODS)
        ):
            out.append(call)
    return out


@rule(
    "GL017",
    "response-body-not-closed",
    Severity.ERROR,
    "the Body of an *http.Response from http.Get/Post/Do/… is not closed on every path",
    prefilter=(b"net/http", b".Do(", b".Get(", b".Post(", b".Head(", b".PostForm("),
    package_needs=(b"net/http",),
)
def response_body_not_closed(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags calls that return an `*http.Response` — `http.Get`, `http.Post`, `http.Head`, `http.PostForm`
    and the `Do`/`Get`/`Post`/`Head`/`PostForm` methods of an `*http.Client` (`http.DefaultClient`, a
    client in a struct field, a type embedding `*http.Client`) — when the response's `Body` is not closed
    on every path from the call to a return: never closed, discarded (`_, err := http.Get(…)`), or
    closed only after an early return or `continue`.

    ## Why is this bad?
    Until the body is closed (after being read to the end), the connection cannot go back to the
    transport's idle pool and is not released. Each leaked response pins a TCP connection, its buffers
    and the transport's two goroutines per connection, which stay in a goroutine dump forever as
    `[IO wait]` in `net/http.(*persistConn).readLoop` and `[select]` in
    `net/http.(*persistConn).writeLoop`. A client that leaks on an error-status path slowly exhausts
    file descriptors and memory, and every new request dials a new connection.

    ## Example
    ```go
    resp, err := http.Get(url)
    if err != nil {
        return nil, err
    }
    if resp.StatusCode != http.StatusOK {
        return nil, fmt.Errorf("status %d", resp.StatusCode) // the body leaks
    }
    defer resp.Body.Close()
    return io.ReadAll(resp.Body)
    ```

    ## Use instead
    ```go
    resp, err := http.Get(url)
    if err != nil {
        return nil, err
    }
    defer resp.Body.Close()
    if resp.StatusCode != http.StatusOK {
        return nil, fmt.Errorf("status %d", resp.StatusCode)
    }
    return io.ReadAll(resp.Body)
    ```

    ## When it stays silent
    `resp.Body.Close()` on every path, `defer resp.Body.Close()`, a deferred closure that closes it
    (`defer func() { io.Copy(io.Discard, resp.Body); resp.Body.Close() }()`); the paths of the error
    check right after the call (`if err != nil { return err }`: the response is nil when err is not) and
    of `if resp != nil { … }`; a response that is returned, passed to a function, sent on a channel or
    stored (the new owner closes it), and a `resp.Body` handed to a function or method of the package,
    or to a non-standard-library function named for closing (`…Close…`, `…Drain…`, `…Discard…`;
    standard-library readers such as `io.ReadAll` or `json.NewDecoder` do not close it, so they do not
    count); a response variable declared outside the function or closed by a deferred closure
    registered before the call; `main.main`; `Get`/`Do` methods of other types. Branches whose
    condition implies there is no body are skipped, through `!`, `&&` and `||`: the then-branch of
    `err != nil && ctx.Err() != nil`, the other branch of `resp != nil && resp.Body != nil`. A request
    whose context this function cancels on return (`defer cancel()`), a client whose `Transport` is an
    in-memory round tripper of the package (a func type around a literal, a struct whose `RoundTrip`
    forwards nowhere), and a request to an `httptest` server of the same function whose handler writes
    no body hold no connection. A direct `defer resp.Body.Close()` binds the body it was registered
    with: a later call reassigning `resp` needs its own Close.

    ## Severity
    `error`; `info` when something else frees the connection: the client has a non-zero `Timeout`, the
    request's context has a deadline or is the test's (`t.Context()`), or every unclosed path reads
    the body to EOF (`io.ReadAll`, `io.Copy(io.Discard, …)`), which hands the connection back to the
    transport — net/http still requires the Close. Confidence is `low` when the client's `Transport` is
    a value the analysis cannot see (a parameter, a factory's result), which tests often fill with a mock.
    When the response is also returned, stored or sent on, the message says to close the body on the
    leaking path: a deferred Close would close a body its new owner still reads.

    ## Suppress
    `//leaktrail:ignore GL017 reason` on the call line or the line above, or `//nolint:leaktrail`.
    """
    clients = _names_clients(ctx)
    for file in ctx.files:
        if not clients and not _imports_http(file.data):
            continue  # neither http.Get & co. nor a value typed *http.Client: left unparsed
        res = ctx.resolver(file)
        for call in response_calls(ctx, file):
            found = _check_call(ctx, file, res, call)
            if found is None or _no_connection(ctx, res, call) or _bodiless_server(res, call):
                continue
            # a Transport the analysis cannot see may be a mock without connections
            confidence = "low" if _transport_unresolved(ctx, res, call) else "high"
            if isinstance(found, _Found):
                yield Report(file, call, found.message, severity=found.severity, confidence=confidence)
            else:
                yield Report(file, call, found, confidence=confidence)


def _names_clients(ctx: Context) -> bool:
    """Some file of the package both imports net/http and names `Client` (`http.Client`,
    `http.DefaultClient`, a dot import's `Client`). Without one, no value of the package can have the
    type *http.Client: the resolver types values from the package's own declarations and the
    standard-library table, where that type comes only from these names, written in a file importing
    net/http. Then only files importing net/http themselves can call http.Get & co. Once per package."""
    found = ctx.shared.get("gl017-clients")
    if found is None:
        found = ctx.shared["gl017-clients"] = any(
            b"Client" in f.data and _imports_http(f.data) for f in ctx.pkg.files_containing(b"net/http")
        )
    return bool(found)


def _imports_http(data: bytes) -> bool:
    """The bytes hold the import path net/http as a whole string literal (an import spec's path, as
    the parse reads it; `"net/http/httptest"` is another package)."""
    return b'"net/http"' in data or b"`net/http`" in data


@dataclass(frozen=True, slots=True)
class _Found:
    """A message whose severity differs from the rule's (a leak bounded by a timeout is info)."""

    message: str
    severity: Severity


def _outer(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    return parent


def _callee(call: Node) -> str:
    return text(call.child_by_field_name("function"))


def _check_call(ctx: Context, file: GoFile, res: Resolver, call: Node) -> str | _Found | None:
    callee = _callee(call)
    parent = _outer(call)
    discarded = (
        f"the response of {callee} is discarded, so its Body is never closed: the connection and its "
        f"transport goroutines leak; assign it and defer resp.Body.Close() after the error check"
    )
    if parent is None:
        return None
    if parent.type == "expression_statement":
        # tests call Get/Do on fake transports for their side effects or their error only
        return None if file.is_test else discarded
    if parent.type != "expression_list" or parent.named_child_count != 1:
        return None  # returned or passed on: the receiver owns the response
    stmt = parent.parent
    if stmt is None:
        return None
    targets = assignment_targets(parent)
    if targets is None or len(targets) != 2:
        return None
    target = unparen(targets[0])
    if target.type == "identifier" and text(target) == "_":
        if file.is_test or _expects_failure(stmt, unparen(targets[1])):
            return None  # a test (or a check) that wants this request to fail: there is no body
        return discarded
    if target.type != "identifier":
        return None  # stored in a field, a map, …: the owner closes it
    err_target = unparen(targets[1])
    return _check_local(ctx, file, res, call, stmt, target, err_target, callee)


def _expects_failure(stmt: Node, err: Node) -> bool:
    """`_, err := c.Get(u)` followed by `if err == nil { …fail… }`: the caller expects an error."""
    ifstmt = stmt.parent if stmt.parent is not None and stmt.parent.type == "if_statement" else None
    if ifstmt is None or ifstmt.child_by_field_name("initializer") != stmt:
        nxt = stmt.next_named_sibling
        while nxt is not None and nxt.type == "comment":
            nxt = nxt.next_named_sibling
        ifstmt = nxt if nxt is not None and nxt.type == "if_statement" else None
    cond = ifstmt.child_by_field_name("condition") if ifstmt is not None else None
    found = _if_condition(cond) if cond is not None else None
    return found is not None and found[1] == "==" and err.type == "identifier" and text(found[0]) == text(err)


def _check_local(
    ctx: Context,
    file: GoFile,
    res: Resolver,
    call: Node,
    stmt: Node,
    target: Node,
    err_target: Node,
    callee: str,
) -> str | _Found | None:
    owned = owned_local(res, call, target)
    if owned is None:
        return None
    decl, func, body = owned
    var = text(target)
    uses = [u for u in res.references(decl) if u != target]
    hits = [u for u in uses if _closes_or_hands_off(res, u)]
    if any(h.start_byte < stmt.start_byte and _deferred_closure(h, func) for h in hits):
        return None  # a deferred closure registered before the call closes it
    # `defer resp.Body.Close()` registered earlier evaluated resp.Body then: it closes the old body only
    hits = [h for h in hits if h.start_byte > stmt.start_byte or not in_defer(h, func)]
    reads = [u for u in uses if u.start_byte > stmt.start_byte and _reads_to_eof(res, u)]
    bound = _bound(ctx, res, call, func)
    if bound == "return":
        return None  # the request's context is cancelled when the function returns: that frees it
    found = leak_graph(ctx, file, func, body, stmt)
    if found is None:
        return None
    graph, leaking = found
    begin = after(graph, stmt)
    if begin is None:
        return None
    err_name = text(err_target) if err_target.type == "identifier" and text(err_target) != "_" else None
    no_body = _no_body(res, decl, err_name)
    unclosed = [e for e in _exits(graph, begin, covers_any_of(hits), no_body, err_name) if e.kind in leaking]
    if not unclosed:
        return None
    exits = [
        e for e in _exits(graph, begin, covers_any_of(hits + reads), no_body, err_name) if e.kind in leaking
    ]
    lead = "is never closed" if not hits else f"is not closed on every path ({describe_exit(unclosed[0])})"
    fix = f"defer {var}.Body.Close() right after the error check"
    handed = next((h for h in hits if _outlives(h)), None)
    if handed is not None:
        # the response (or its body) goes on to a caller or a helper that reads it: a deferred Close would
        # close a body still in use there; close it on the paths that keep it instead
        fix = (
            f"{var} is handed on at line {line_of(handed)}, so a deferred Close would cut off its reader "
            f"there: close {var}.Body before {describe_exit((exits or unclosed)[0])} instead"
        )
    if not exits:
        # every unclosed path reads the body to EOF: the transport takes the connection back then
        return _Found(
            f"the Body of {var} (from {callee}) {lead}; reading it to the end hands the connection back "
            f"to the transport, but net/http requires the body to be closed: {fix}",
            Severity.INFO,
        )
    if bound is not None:
        return _Found(
            f"the Body of {var} (from {callee}) {lead}: the connection stays busy {_UNTIL[bound]}; {fix}",
            Severity.INFO,
        )
    if not hits:
        return (
            f"the Body of {var} (from {callee}) is never closed: the connection and its transport "
            f"goroutines leak; add defer {var}.Body.Close() after the error check"
        )
    where = describe_exit(exits[0])
    return (
        f"the Body of {var} (from {callee}) is not closed on every path: {where} leaks the connection; {fix}"
    )


def _outlives(use: Node) -> bool:
    """The response (or its body) is returned, stored or sent on, so it outlives this function: a deferred
    Close would close a body its new owner still reads. A synchronous helper call is done before any defer."""
    node = use
    sel = use.parent
    if sel is not None and sel.type == "selector_expression" and sel.child_by_field_name("operand") == use:
        if text(sel.child_by_field_name("field")) != "Body":
            return False
        node = sel
    up = _outer(node)
    while up is not None and up.type == "unary_expression":
        node, up = up, _outer(up)
    if up is None:
        return False
    if up.type in ("keyed_element", "literal_element", "literal_value", "send_statement"):
        return True
    if up.type == "expression_list":
        holder = up.parent
        if holder is None:
            return False
        if holder.type == "return_statement":
            return True
        return holder.type == "assignment_statement" and holder.child_by_field_name("right") == up
    if up.type == "assignment_statement":
        return up.child_by_field_name("right") == node
    return False


def _closes_or_hands_off(res: Resolver, use: Node) -> bool:
    """`resp.Body.Close()`, or the response/its body given to code that may close it."""
    sel = use.parent
    if sel is None or sel.type != "selector_expression" or sel.child_by_field_name("operand") != use:
        up = _outer(use)
        return up is None or up.type != "binary_expression"  # `resp != nil` is a look, not a hand-off
    if text(sel.child_by_field_name("field")) != "Body":
        return False  # resp.StatusCode, resp.Header, …
    up = _outer(sel)
    if up is None:
        return False
    if up.type == "selector_expression" and up.child_by_field_name("operand") == sel:
        return text(up.child_by_field_name("field")) == "Close"
    if up.type == "argument_list":
        called = up.parent
        if called is None:
            return True
        q = res.qualified_call(called)
        if q is None:
            return True  # a function of this package or a method: it may close the body
        # standard-library readers do not close it; another module's helper named for closing does
        path, _, func = q.rpartition(".")
        return "." in path.split("/", 1)[0] and any(w in func.lower() for w in ("close", "drain", "discard"))
    return up.type != "binary_expression"


def _reads_to_eof(res: Resolver, use: Node) -> bool:
    """`io.ReadAll(resp.Body)`, `io.Copy(io.Discard, resp.Body)`: the read ends at EOF (the transport then
    takes the connection back) or at an error (the transport closes it); other readers may stop early."""
    sel = use.parent
    if sel is None or sel.type != "selector_expression" or text(sel.child_by_field_name("field")) != "Body":
        return False
    up = _outer(sel)
    called = up.parent if up is not None and up.type == "argument_list" else None
    if up is None or called is None:
        return False
    q = res.qualified_call(called)
    args = [a for a in up.named_children if a.type != "comment"]
    if q in _READ_ALL:
        return bool(args) and unparen(args[0]) == sel
    if q in _COPY and len(args) >= 2 and unparen(args[1]) == sel:
        dst = unparen(args[0])
        operand = dst.child_by_field_name("operand") if dst.type == "selector_expression" else None
        return (
            operand is not None
            and res.is_import(operand) in ("io", "io/ioutil")
            and text(dst.child_by_field_name("field")) == "Discard"
        )
    return False


_READ_ALL = frozenset({"io.ReadAll", "io/ioutil.ReadAll"})
_COPY = frozenset({"io.Copy", "io.CopyBuffer"})


def _deferred_closure(node: Node, func: Node) -> bool:
    """`node` is inside a function literal that `func` defers: it runs at return, reading variables then
    (unlike `defer resp.Body.Close()`, whose receiver is evaluated when the defer statement runs)."""
    p = node.parent
    lit: Node | None = None
    while p is not None and p != func:
        if p.type == "func_literal":
            lit = p
        if p.type == "defer_statement":
            return lit is not None
        p = p.parent
    return False


# -- what bounds the connection's life: the client's Timeout, the request's context -------------------

_UNTIL = {
    "timeout": "until the client's Timeout cancels the request",
    "deadline": "until the request context's deadline passes",
    "test": "until the test ends and cancels the request's context",
}
_DEADLINE_CTX = frozenset(
    {"context.WithTimeout", "context.WithDeadline", "context.WithTimeoutCause", "context.WithDeadlineCause"}
)
_CANCEL_CTX = _DEADLINE_CTX | {"context.WithCancel", "context.WithCancelCause"}


def _bound(ctx: Context, res: Resolver, call: Node, func: Node) -> str | None:
    """What releases the connection even if the body is never closed: "return" (the request's context is
    cancelled by a `defer cancel()` of this function), "timeout", "deadline", "test"; None: nothing."""
    recv = res.receiver_of_call(call)
    if recv is not None and res.qualified_call(call) is None:
        lits = _client_literals(ctx, res, recv)
        if lits and all(_nonzero(_keyed(lit, "Timeout")) for lit in lits):
            return "timeout"
        if unparen(recv).type == "identifier" and _assigns_field(res, func, recv, "Timeout", call):
            return "timeout"
    fn = call.child_by_field_name("function")
    if fn is None or text(fn).rsplit(".", 1)[-1] != "Do":
        return None
    args = call.child_by_field_name("arguments")
    req = next((a for a in args.named_children if a.type != "comment"), None) if args is not None else None
    c = _request_ctx(res, req, call.start_byte) if req is not None else None
    return _ctx_kind(res, func, c) if c is not None else None


def _keyed(lit: Node, name: str) -> Node | None:
    """The value of `name: v` in a composite literal."""
    body = lit.child_by_field_name("body")
    for el in body.named_children if body is not None else []:
        if el.type == "keyed_element" and el.named_child_count == 2 and text(el.named_children[0]) == name:
            value = el.named_children[1]
            return (
                value.named_children[0] if value.type == "literal_element" and value.named_children else value
            )
    return None


def _nonzero(value: Node | None) -> bool:
    return value is not None and text(unparen(value)) not in ("0", "time.Duration(0)")


def _literal_of(value: Node | None) -> Node | None:
    """`&T{…}` or `T{…}` → the composite literal."""
    if value is None:
        return None
    value = unparen(value)
    if value.type == "unary_expression" and text(value.child_by_field_name("operator")) == "&":
        value = unparen(value.child_by_field_name("operand") or value)
    return value if value.type == "composite_literal" else None


def _assigned_value(target: Node) -> Node | None:
    """The value assigned to `target` in `a, b = x, y` (the call for `a, b = f()`)."""
    left = target.parent
    stmt = left.parent if left is not None else None
    if (
        left is None
        or stmt is None
        or left.type != "expression_list"
        or stmt.child_by_field_name("left") != left
    ):
        return None
    right = stmt.child_by_field_name("right")
    if right is None:
        return None
    vals = right.named_children if right.type == "expression_list" else [right]
    names = left.named_children
    if len(vals) == len(names):
        return next((v for n, v in zip(names, vals, strict=True) if n == target), None)
    return vals[0] if len(vals) == 1 else None


def _local_values(res: Resolver, ident: Node, before: int) -> list[tuple[int, Node]] | None:
    """(position, value) of every assignment to a local variable before `before`; None if not local."""
    decl = res.decl_of(ident)
    if decl is None or decl.kind not in ("short", "var"):
        return None
    out: list[tuple[int, Node]] = []
    if decl.value is not None:
        out.append((decl.ident.start_byte, decl.value))
    for use in res.references(decl):
        if use.start_byte < before and is_assign_target(use, short=False):
            v = _assigned_value(use)
            if v is None:
                return None
            out.append((use.start_byte, v))
    return sorted(out, key=lambda pv: pv[0])


def _client_literals(ctx: Context, res: Resolver, recv: Node) -> list[Node] | None:
    """The `http.Client{…}` literals a client expression can hold: a local variable's values, or every
    value the package stores in that field of that type; None when some value is not such a literal."""
    recv = unparen(recv)
    values: list[tuple[Resolver, Node]] = []
    if recv.type == "identifier":
        found = _local_values(res, recv, recv.start_byte)
        if not found:
            return None
        values = [(res, v) for _, v in found]
    elif recv.type == "selector_expression":
        owner = res.infer(recv.child_by_field_name("operand"))
        owner_t = owner.deref() if owner is not None else None
        if owner_t is None or owner_t.kind != "named" or owner_t.pkg:
            return None
        field = text(recv.child_by_field_name("field"))
        memo = ctx.shared.setdefault("httpbody:field-values", {})
        assert isinstance(memo, dict)
        mkey = (field, str(owner_t))
        if mkey in memo:
            cached = memo[mkey]
            return list(cached) if cached is not None else None
        memo[mkey] = None  # a recursive question about the same field finds nothing
        stored = _field_client_literals(ctx, field, owner_t)
        memo[mkey] = stored
        return list(stored) if stored is not None else None
    else:
        return None
    return _literals_of_values(values)


def _field_client_literals(ctx: Context, field: str, owner_t: GoType) -> list[Node] | None:
    """Every `http.Client{…}` literal the package stores in `field` of `owner_t`; None when some stored
    value is not such a literal (computed once per field and owner for all the package's calls)."""
    values: list[tuple[Resolver, Node]] = []
    for f in ctx.pkg.files_containing(field.encode()):
        fres = ctx.resolver(f)
        for el in keyed_elements(f, field):
            if text(el.named_children[0]) != field:
                continue
            lit = el.parent.parent if el.parent is not None else None
            t = fres.type_of_node(lit.child_by_field_name("type")) if lit is not None else None
            if t is not None and t.deref() == owner_t:
                values.append((fres, el.named_children[1]))
        for ident in f.field_identifiers.get(field, ()):
            sel = ident.parent
            if sel is None or sel.type != "selector_expression" or not is_assign_target(sel, short=False):
                continue
            other = fres.infer(sel.child_by_field_name("operand"))
            if other is None or other.deref() == owner_t:
                v = _assigned_value(sel)
                if v is None:
                    return None
                values.append((fres, v))
    return _literals_of_values(values, stored=True)


def _literals_of_values(values: list[tuple[Resolver, Node]], stored: bool = False) -> list[Node] | None:
    """The client literals behind the values; `stored` values may be locals bound to such literals."""
    lits: list[Node] = []
    for vres, v in values:
        if v.type == "literal_element" and v.named_children:
            v = v.named_children[0]
        if stored and unparen(v).type == "identifier":
            # stored through a local (`client := &http.Client{…}; … T{client: client}`): its values
            held = _local_values(vres, unparen(v), v.start_byte)
            if not held:
                return None
            for _pos, hv in held:
                hlit = _literal_of(hv)
                ht = vres.type_of_node(hlit.child_by_field_name("type")) if hlit is not None else None
                if hlit is None or ht is None or not ht.is_named("net/http", "Client"):
                    return None
                lits.append(hlit)
            continue
        lit = _literal_of(v)
        t = vres.type_of_node(lit.child_by_field_name("type")) if lit is not None else None
        if lit is None or t is None or not t.is_named("net/http", "Client"):
            return None
        lits.append(lit)
    return lits or None


def _assigns_field(res: Resolver, func: Node, recv: Node, field: str, before: Node) -> bool:
    """`c.Timeout = d` (d not 0) on the local client before the call."""
    decl = res.decl_of(recv)
    if decl is None:
        return False
    for use in res.references(decl):
        sel = use.parent
        if (
            use.start_byte < before.start_byte
            and sel is not None
            and sel.type == "selector_expression"
            and text(sel.child_by_field_name("field")) == field
            and is_assign_target(sel, short=False)
        ):
            return _nonzero(_assigned_value(sel))
    return False


def _request_ctx(res: Resolver, req: Node, before: int) -> Node | None:
    """The context argument the request was built with (NewRequestWithContext, WithContext, Clone)."""
    req = unparen(req)
    if req.type == "identifier":
        found = _local_values(res, req, before)
        return _request_ctx(res, found[-1][1], before) if found else None
    if req.type != "call_expression":
        return None
    args = req.child_by_field_name("arguments")
    first = next((a for a in args.named_children if a.type != "comment"), None) if args is not None else None
    fn = req.child_by_field_name("function")
    if res.qualified_call(req) == "net/http.NewRequestWithContext":
        return first
    if (
        fn is not None
        and fn.type == "selector_expression"
        and text(fn.child_by_field_name("field"))
        in (
            "WithContext",
            "Clone",
        )
    ):
        t = res.infer(fn.child_by_field_name("operand"))
        return first if t is not None and t.deref().is_named("net/http", "Request") else None
    return None


def _ctx_kind(res: Resolver, func: Node, c: Node) -> str | None:
    c = unparen(c)
    if c.type == "call_expression":
        fn = c.child_by_field_name("function")
        if (
            fn is not None
            and fn.type == "selector_expression"
            and text(fn.child_by_field_name("field")) == "Context"
        ):
            t = res.infer(fn.child_by_field_name("operand"))
            if t is not None and t.deref().kind == "named" and t.deref().pkg == "testing":
                return "test"
        return None
    if c.type != "identifier":
        return None
    decl = res.decl_of(c)
    if decl is None or decl.value is None or decl.kind not in ("short", "var"):
        return None
    value = unparen(decl.value)
    if value.type != "call_expression":
        return _ctx_kind(res, func, value) if value.type == "identifier" else None
    q = res.qualified_call(value)
    if q not in _CANCEL_CTX or decl.index != 0:
        return _ctx_kind(res, func, value)
    left = decl.ident.parent
    names = left.named_children if left is not None and left.type == "expression_list" else []
    cancel = names[1] if len(names) == 2 and names[1].type == "identifier" else None
    cdecl = res.decl_of(cancel) if cancel is not None and text(cancel) != "_" else None
    if cdecl is not None:
        for use in res.references(cdecl):
            up = use.parent
            if up is not None and up.type == "call_expression" and up.child_by_field_name("function") == use:
                stmt = up.parent
                if stmt is not None and stmt.type == "defer_statement" and enclosing_func(stmt) == func:
                    return "return"
    return "deadline" if q in _DEADLINE_CTX else None


# -- round trippers that make no connection ---------------------------------------------------------

_FORWARDS = (b"RoundTrip(", b".Do(", b"DefaultTransport", b"Transport{", b"Dial", b"http.Get(", b"http.Post(")


def _no_connection(ctx: Context, res: Resolver, call: Node) -> bool:
    """The client's Transport is a round tripper of this package that builds responses itself (a func
    type around a literal, a struct whose RoundTrip forwards nowhere): its bodies hold no connection."""
    recv = res.receiver_of_call(call)
    if recv is None or res.qualified_call(call) is not None:
        return False
    lits = _client_literals(ctx, res, recv)
    if not lits:
        return False
    return all(_in_memory(ctx, res, _keyed(lit, "Transport")) for lit in lits)


def _transport_unresolved(ctx: Context, res: Resolver, call: Node) -> bool:
    """The client is a literal of this function or package whose Transport is neither a known real one
    (net/http's, or a `…Transport`/`…RoundTripper` literal of an imported package) nor a round tripper
    of this package: a value from a call or a parameter, which tests often fill with a mock."""
    recv = res.receiver_of_call(call)
    if recv is None or res.qualified_call(call) is not None:
        return False
    lits = _client_literals(ctx, res, recv)
    return bool(lits) and any(not _known_transport(ctx, res, _keyed(lit, "Transport")) for lit in lits or [])


def _known_transport(ctx: Context, res: Resolver, rt: Node | None) -> bool:
    if rt is None:
        return True  # http.DefaultTransport
    rt = unparen(rt)
    if rt.type == "identifier":
        found = _local_values(res, rt, rt.start_byte)
        return found is not None and len(found) == 1 and _known_transport(ctx, res, found[0][1])
    if rt.type == "selector_expression":
        operand = rt.child_by_field_name("operand")
        return operand is not None and res.is_import(operand) == "net/http"  # http.DefaultTransport
    lit = _literal_of(rt)
    tnode = lit.child_by_field_name("type") if lit is not None else None
    if tnode is None:
        return rt.type == "call_expression" and _in_memory(ctx, res, rt)
    name = text(tnode).rsplit(".", 1)[-1]
    if name.endswith(("Transport", "RoundTripper")):
        return True
    return tnode.type == "type_identifier" and ctx.pkg.lookup_method(name, "RoundTrip") is not None


def _in_memory(ctx: Context, res: Resolver, rt: Node | None) -> bool:
    if rt is None:
        return False
    rt = unparen(rt)
    if rt.type == "call_expression":  # a conversion F(func(…){…}) to a func type of the package
        fn = rt.child_by_field_name("function")
        args = rt.child_by_field_name("arguments")
        lit = args.named_children[0] if args is not None and args.named_child_count == 1 else None
        if fn is None or fn.type != "identifier" or lit is None or lit.type != "func_literal":
            return False
        found = ctx.pkg.lookup_type(text(fn))
        return found is not None and not _forwards(lit)
    lit = _literal_of(rt)
    tnode = lit.child_by_field_name("type") if lit is not None else None
    if tnode is None or tnode.type != "type_identifier":
        return False
    method = ctx.pkg.lookup_method(text(tnode), "RoundTrip")
    return method is not None and not _forwards(method[1].child_by_field_name("body"))


_TEST_SERVERS = frozenset(
    {"net/http/httptest.NewServer", "net/http/httptest.NewUnstartedServer", "net/http/httptest.NewTLSServer"}
)
_HEADER_ONLY = frozenset({"WriteHeader", "Header", "Set", "Add", "Del"})


def _bodiless_server(res: Resolver, call: Node) -> bool:
    """The request goes to an httptest server of this function whose handler only sets headers and a
    status: the server sends Content-Length 0, and the transport frees the connection at once."""
    args = call.child_by_field_name("arguments")
    first = next((a for a in args.named_children if a.type != "comment"), None) if args is not None else None
    fn = call.child_by_field_name("function")
    if first is None or fn is None:
        return False
    url: Node | None = first
    if text(fn).rsplit(".", 1)[-1] == "Do":
        url = _request_url(res, first, call.start_byte)
    while (
        url is not None
        and url.type == "binary_expression"
        and text(url.child_by_field_name("operator")) == "+"
    ):
        url = url.child_by_field_name("left")
    url = unparen(url) if url is not None else None
    if url is None or url.type != "selector_expression" or text(url.child_by_field_name("field")) != "URL":
        return False
    server = unparen(url.child_by_field_name("operand") or url)
    found = _local_values(res, server, call.start_byte) if server.type == "identifier" else None
    if not found or len(found) != 1:
        return False
    ctor = unparen(found[0][1])
    if ctor.type != "call_expression" or res.qualified_call(ctor) not in _TEST_SERVERS:
        return False
    hargs = ctor.child_by_field_name("arguments")
    handler = unparen(hargs.named_children[0]) if hargs is not None and hargs.named_child_count == 1 else None
    if (
        handler is not None
        and handler.type == "call_expression"
        and res.qualified_call(handler) == ("net/http.HandlerFunc")
    ):
        inner = handler.child_by_field_name("arguments")
        handler = (
            unparen(inner.named_children[0]) if inner is not None and inner.named_child_count == 1 else None
        )
    if handler is None or handler.type != "func_literal":
        return False
    body = handler.child_by_field_name("body")
    calls = captures("(call_expression function: (_) @f) @c", body).get("f", []) if body is not None else []
    return body is not None and all(
        f.type == "selector_expression" and text(f.child_by_field_name("field")) in _HEADER_ONLY
        for f in calls
    )


def _request_url(res: Resolver, req: Node, before: int) -> Node | None:
    """The URL argument of the http.NewRequest(WithContext) call that built a request variable."""
    req = unparen(req)
    if req.type == "identifier":
        found = _local_values(res, req, before)
        return _request_url(res, found[-1][1], before) if found else None
    if req.type != "call_expression":
        return None
    q = res.qualified_call(req)
    index = {"net/http.NewRequest": 1, "net/http.NewRequestWithContext": 2}.get(q or "")
    args = req.child_by_field_name("arguments")
    items = [a for a in args.named_children if a.type != "comment"] if args is not None else []
    return items[index] if index is not None and index < len(items) else None


def _forwards(body: Node | None) -> bool:
    if body is None:
        return True
    data = text(body).encode()
    return any(f in data for f in _FORWARDS)


def _exits(
    graph: CFG,
    begin: tuple[int, int],
    hit: Callable[[Node], bool],
    no_body: Callable[[Node, bool], bool | None],
    err: str | None,
) -> list[Exit]:
    """Exits reachable without a hit, skipping the branches of an `if` whose condition implies that
    there is no body to close (`no_body(atom, err_live)`, see _no_body) while the call's error is
    still in err (a later `b, err := io.ReadAll(…)` ends that)."""
    found: list[Exit] = []
    seen: set[tuple[int, bool]] = set()
    stack = [(begin[0], begin[1], True)]
    while stack:
        bid, index, live = stack.pop()
        if index == 0:
            if (bid, live) in seen:
                continue
            seen.add((bid, live))
        block = graph.blocks[bid]
        items = block.items[index:]
        if any(hit(item) for item in items):
            continue
        cut: int | None = None
        for item in items:
            if _is_if_condition(item):
                atom = _atom_with(no_body, live)
                if implies(item, True, atom):
                    cut = 0
                elif implies(item, False, atom):
                    cut = 1
            elif live and err is not None and _assigns(item, err):
                live = False
        if block.exit is not None:
            found.append(block.exit)
            continue
        for i, nxt in enumerate(block.succs):
            if i != cut:
                stack.append((nxt, 0, live))
    found.sort(key=lambda e: e.node.start_byte)
    return found


def _atom_with(no_body: Callable[[Node, bool], bool | None], live: bool) -> Callable[[Node], bool | None]:
    return lambda node: no_body(node, live)


def _is_if_condition(item: Node) -> bool:
    parent = item.parent
    return (
        parent is not None
        and parent.type == "if_statement"
        and parent.child_by_field_name("condition") == item
    )


def implies(cond: Node, outcome: bool, atom: Callable[[Node], bool | None]) -> bool:
    """Does `cond` evaluating to `outcome` imply the fact that `atom` knows about? `atom(x)` says which
    outcome of the elementary condition x implies it (None: neither). `!`, `&&`, `||` and parentheses
    are followed: the then-branch of `err != nil && ctx.Err() != nil` implies err != nil."""
    cond = unparen(cond)
    if cond.type == "unary_expression" and text(cond.child_by_field_name("operator")) == "!":
        operand = cond.child_by_field_name("operand")
        return operand is not None and implies(operand, not outcome, atom)
    if cond.type == "binary_expression":
        op = text(cond.child_by_field_name("operator"))
        left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
        if op in ("&&", "||") and left is not None and right is not None:
            either = (op == "&&") == outcome  # A&&B true: both hold; A||B false: both fail
            if either:
                return implies(left, outcome, atom) or implies(right, outcome, atom)
            return implies(left, outcome, atom) and implies(right, outcome, atom)
    return atom(cond) is outcome


def _nil_compare(cond: Node) -> tuple[Node, bool] | None:
    """(operand, is_nil_when_true) for `x == nil` / `x != nil` (either side)."""
    if cond.type != "binary_expression":
        return None
    op = text(cond.child_by_field_name("operator"))
    if op not in ("==", "!="):
        return None
    left = unparen(cond.child_by_field_name("left") or cond)
    right = unparen(cond.child_by_field_name("right") or cond)
    if left.type == "nil":
        left, right = right, left
    if right.type != "nil":
        return None
    return left, op == "=="


def _no_body(res: Resolver, resp: Decl, err: str | None) -> Callable[[Node, bool], bool | None]:
    """The elementary conditions that tell there is no body: `resp == nil`, `resp.Body == nil`, and
    `err != nil` while err holds the call's error. Returns the outcome that implies it."""

    def is_resp(node: Node) -> bool:
        if node.type != "identifier":
            return False
        d = res.decl_of(node)
        return d is not None and d.key == resp.key

    def atom(cond: Node, live: bool) -> bool | None:
        found = _nil_compare(cond)
        if found is None:
            return None
        operand, nil_when_true = found
        if operand.type == "identifier" and live and err is not None and text(operand) == err:
            return not nil_when_true  # err != nil: no response
        if is_resp(operand):
            return nil_when_true
        if operand.type == "selector_expression" and text(operand.child_by_field_name("field")) == "Body":
            inner = operand.child_by_field_name("operand")
            if inner is not None and is_resp(unparen(inner)):
                return nil_when_true
        return None

    return atom


def _assigns(item: Node, name: str) -> bool:
    """The item (re)assigns `name` (`x, err = …`, `y, err := …`, `var err error`)."""
    if item.type in ("short_var_declaration", "assignment_statement"):
        left = item.child_by_field_name("left")
        names = left.named_children if left is not None else []
        return any(n.type == "identifier" and text(n) == name for n in names)
    if item.type == "var_declaration":
        return any(
            text(n) == name for spec in item.named_children for n in spec.children_by_field_name("name")
        )
    return False


def _if_condition(item: Node) -> tuple[Node, str, Node] | None:
    """(operand, operator, if statement) when `item` is an if's condition `x == nil` / `x != nil`."""
    ifstmt = item.parent
    if ifstmt is None or ifstmt.type != "if_statement" or ifstmt.child_by_field_name("condition") != item:
        return None
    found = _nil_compare(unparen(item))
    if found is None or found[0].type != "identifier":
        return None
    return found[0], "==" if found[1] else "!=", ifstmt


__all__ = ["RESPONSE_FUNCS", "response_body_not_closed", "response_calls"]
