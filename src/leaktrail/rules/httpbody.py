"""HTTP response bodies that are never closed (GL017)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from leaktrail.model import Severity
from leaktrail.rules import rule
from leaktrail.rules.base import Context, Report, owned_local
from leaktrail.rules.timers import after, covers_any_of, describe_exit, leak_graph
from leaktrail.source.cfg import CFG, Exit
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, assignment_targets, in_defer, text, unparen
from leaktrail.source.resolve import Decl, Resolver

RESPONSE_FUNCS = frozenset({"net/http.Get", "net/http.Post", "net/http.Head", "net/http.PostForm"})
CLIENT_METHODS = ("Do", "Get", "Post", "Head", "PostForm")
_NAMES = frozenset(CLIENT_METHODS)
_CALLS = "(call_expression function: [(selector_expression) (identifier)] @f) @c"


def response_calls(ctx: Context, file: GoFile) -> list[Node]:
    """Calls that return a fresh *http.Response: http.Get/Post/Head/PostForm and (*http.Client) methods."""
    res = ctx.resolver(file)
    out: list[Node] = []
    for call in ctx.query(file, _CALLS).get("c", []):
        fn = call.child_by_field_name("function")
        if fn is None or text(fn).rsplit(".", 1)[-1] not in _NAMES:
            continue
        if res.qualified_call(call) in RESPONSE_FUNCS or res.method_call_on(
            call, "net/http", "Client", CLIENT_METHODS
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
    stored (the new owner closes it), and a `resp.Body` handed to a function of the package or of another
    module (standard-library readers such as `io.ReadAll` or `json.NewDecoder` do not close it, so they
    do not count); a response variable declared outside the function or closed by a deferred closure
    registered before the call; `main.main`; `Get`/`Do` methods of other types.

    ## Suppress
    `//leaktrail:ignore GL017 reason` on the call line or the line above, or `//nolint:leaktrail`.
    """
    for file in ctx.files:
        res = ctx.resolver(file)
        for call in response_calls(ctx, file):
            msg = _check_call(ctx, file, res, call)
            if msg is not None:
                yield Report(file, call, msg)


def _outer(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    return parent


def _callee(call: Node) -> str:
    return text(call.child_by_field_name("function"))


def _check_call(ctx: Context, file: GoFile, res: Resolver, call: Node) -> str | None:
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
) -> str | None:
    owned = owned_local(res, call, target)
    if owned is None:
        return None
    decl, func, body = owned
    var = text(target)
    hits = [u for u in res.references(decl) if u != target and _closes_or_hands_off(res, u)]
    if any(h.start_byte < stmt.start_byte and in_defer(h, func) for h in hits):
        return None  # a deferred closure registered before the call closes it
    found = leak_graph(ctx, file, func, body, stmt)
    if found is None:
        return None
    graph, leaking = found
    begin = after(graph, stmt)
    if begin is None:
        return None
    err_name = text(err_target) if err_target.type == "identifier" and text(err_target) != "_" else None
    exits = [
        e
        for e in _exits(graph, begin, covers_any_of(hits), _nil_check(res, decl), err_name)
        if e.kind in leaking
    ]
    if not exits:
        return None
    if not hits:
        return (
            f"the Body of {var} (from {callee}) is never closed: the connection and its transport "
            f"goroutines leak; add defer {var}.Body.Close() after the error check"
        )
    where = describe_exit(exits[0])
    return (
        f"the Body of {var} (from {callee}) is not closed on every path: {where} leaks the "
        f"connection; defer {var}.Body.Close() right after the error check"
    )


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
        # standard-library (and other imported) functions read the body but do not close it
        return called is None or res.qualified_call(called) is None
    return up.type != "binary_expression"


def _exits(
    graph: CFG,
    begin: tuple[int, int],
    hit: Callable[[Node], bool],
    resp_nil: Callable[[Node], int | None],
    err: str | None,
) -> list[Exit]:
    """Exits reachable without a hit, skipping the branches where the response is nil: the then-branch
    of `if err != nil` (else-branch of `if err == nil`) while err still holds the call's error, and the
    branches that `resp_nil` names (`if resp != nil` / `if resp == nil`)."""
    found: list[Exit] = []
    seen: set[tuple[int, bool]] = set()
    stack = [(begin[0], begin[1], err is not None)]
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
            if live and err is not None:
                branch = _err_check(item, err)
                if branch is not None:
                    cut = branch
                elif _assigns(item, err):
                    live = False
        if cut is None and block.items:
            cut = resp_nil(block.items[-1])
        if block.exit is not None:
            found.append(block.exit)
            continue
        for i, nxt in enumerate(block.succs):
            if i != cut:
                stack.append((nxt, 0, live))
    found.sort(key=lambda e: e.node.start_byte)
    return found


def _if_condition(item: Node) -> tuple[Node, str, Node] | None:
    """(operand, operator, if statement) when `item` is an if's condition `x == nil` / `x != nil`."""
    ifstmt = item.parent
    if ifstmt is None or ifstmt.type != "if_statement" or ifstmt.child_by_field_name("condition") != item:
        return None
    cond = unparen(item)
    if cond.type != "binary_expression":
        return None
    op = text(cond.child_by_field_name("operator"))
    if op not in ("==", "!="):
        return None
    left = unparen(cond.child_by_field_name("left") or cond)
    right = unparen(cond.child_by_field_name("right") or cond)
    if left.type == "nil":
        left, right = right, left
    if right.type != "nil" or left.type != "identifier":
        return None
    return left, op, ifstmt


def _err_check(item: Node, err: str) -> int | None:
    """The successor index of the error branch (0 = then, 1 = else/after) of `if err != nil`."""
    found = _if_condition(item)
    if found is None or text(found[0]) != err:
        return None
    return 0 if found[1] == "!=" else 1


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


def _nil_check(res: Resolver, resp: Decl) -> Callable[[Node], int | None]:
    """`if resp != nil { … }`: the else/after branch has no body to close (and the reverse for ==)."""

    def prune(item: Node) -> int | None:
        found = _if_condition(item)
        if found is None:
            return None
        d = res.decl_of(found[0])
        if d is None or d.key != resp.key:
            return None
        return 1 if found[1] == "!=" else 0

    return prune


__all__ = ["RESPONSE_FUNCS", "response_body_not_closed", "response_calls"]
