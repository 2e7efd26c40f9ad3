"""Goroutines left blocked on a local unbuffered channel whose partner can be skipped (GL006)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from leaktrail.model import Severity
from leaktrail.rules import rule
from leaktrail.rules.base import Context, Report
from leaktrail.rules.channels import alias_target, is_make_chan, param_decl
from leaktrail.rules.goroutines import GO_NEEDLES, go_target, inside
from leaktrail.rules.nilchans import NilChannels
from leaktrail.rules.selects import case_channel, orphan_local
from leaktrail.source.cfg import covers_any
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, is_assign_target, line_of, text
from leaktrail.source.resolve import Decl, Resolver, enclosing_func

_MAKE_CHAN = "(call_expression function: (identifier) arguments: (argument_list (channel_type))) @c"
_SKIPPED_EXITS = ("abort",)
"""The process dies (panic, os.Exit, log.Fatal): nothing is left to leak. t.Fatal does leak the goroutine."""


@dataclass(frozen=True, slots=True)
class _Op:
    kind: str
    """send, recv, range, close, len."""
    node: Node
    """The channel operand of the operation."""
    file: GoFile
    func: Node
    """The function the operation runs in."""


@dataclass(slots=True)
class _Uses:
    """Where a local channel is operated on: by its creator, and by the goroutines it starts."""

    local: list[_Op] = field(default_factory=list)
    by_go: dict[int, tuple[Node, list[_Op]]] = field(default_factory=dict)
    ok: bool = True

    def fail(self) -> None:
        self.ok = False

    def add_remote(self, stmt: Node, op: _Op) -> None:
        self.by_go.setdefault(stmt.start_byte, (stmt, []))[1].append(op)

    def primary(self) -> tuple[Node, list[_Op]] | None:
        """The one goroutine that talks over the channel; others may only close it (a closer after
        wg.Wait()). None when several goroutines talk over it (a pipeline: not a one-shot hand-off)."""
        talkers = [g for g in self.by_go.values() if any(op.kind != "close" for op in g[1])]
        return talkers[0] if len(talkers) == 1 else None


def _op_kind(ref: Node) -> str | None:
    use = ref
    parent = use.parent
    while parent is not None and parent.type == "parenthesized_expression":
        use, parent = parent, parent.parent
    if parent is None:
        return None
    kind = parent.type
    if kind == "send_statement" and parent.child_by_field_name("channel") == use:
        return "send"
    if kind == "unary_expression" and text(parent.child_by_field_name("operator")) == "<-":
        return "recv"
    if kind == "range_clause" and parent.child_by_field_name("right") == use:
        return "range"
    if kind == "argument_list":
        call = parent.parent
        fn = call.child_by_field_name("function") if call is not None else None
        if fn is not None and fn.type == "identifier" and len(parent.named_children) == 1:
            name = text(fn)
            if name == "close":
                return "close"
            if name in ("len", "cap"):
                return "len"
    return None


def _outer_literal(ref: Node, func: Node) -> Node | None:
    """The outermost function literal between `ref` and `func` (None when `ref` runs in `func` itself)."""
    found = None
    p = ref.parent
    while p is not None and p != func:
        if p.type == "func_literal":
            found = p
        p = p.parent
    return found


def _runs_in(ref: Node, goroutine: Node) -> Node | None:
    """The function in which `ref` runs as part of the goroutine: its body, or a closure it defers."""
    func = enclosing_func(ref)
    if func == goroutine:
        return func
    if func is None or func.type != "func_literal" or enclosing_func(func) != goroutine:
        return None
    call = func.parent
    stmt = call.parent if call is not None and call.child_by_field_name("function") == func else None
    return func if stmt is not None and stmt.type == "defer_statement" else None


def _go_of_literal(lit: Node) -> Node | None:
    call = lit.parent
    if call is None or call.type != "call_expression" or call.child_by_field_name("function") != lit:
        return None
    stmt = call.parent
    return stmt if stmt is not None and stmt.type == "go_statement" else None


def _go_of_argument(ref: Node) -> tuple[Node, int] | None:
    """`go f(…, ch, …)`: the go statement and the argument index."""
    parent = ref.parent
    if parent is None or parent.type != "argument_list":
        return None
    call = parent.parent
    stmt = call.parent if call is not None else None
    if stmt is None or stmt.type != "go_statement":
        return None
    return stmt, parent.named_children.index(ref)


class _Analysis:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.nils = NilChannels(ctx)
        self._uses: dict[tuple[int, int], _Uses] = {}

    def sibling(self, file: GoFile, res: Resolver, expr: Node, go_stmt: Node) -> bool:
        """Is `expr` a local unbuffered channel that only the goroutine of `go_stmt` sends on?"""
        if expr.type != "identifier":
            return False
        decl = res.decl_of(expr)
        if decl is None or decl.kind not in ("var", "short") or decl.multi or not is_make_chan(decl.value):
            return False
        uses = self.uses(file, res, decl)
        primary = uses.primary() if uses.ok else None
        return (
            primary is not None
            and primary[0] == go_stmt
            and {op.kind for op in primary[1]} == {"send"}
            and "send" not in {op.kind for op in uses.local}
        )

    def uses(self, file: GoFile, res: Resolver, decl: Decl) -> _Uses:
        key = (id(file), decl.ident.start_byte)
        cached = self._uses.get(key)
        if cached is None:
            cached = self._uses[key] = self._compute_uses(file, res, decl)
        return cached

    def _compute_uses(self, file: GoFile, res: Resolver, decl: Decl) -> _Uses:
        out = _Uses()
        for ref in res.references(decl):
            if not out.ok:
                break
            if is_assign_target(ref):
                out.fail()
                continue
            lit = _outer_literal(ref, decl.func)
            if lit is None:
                bound = _go_of_argument(ref)
                if bound is not None:
                    self._bind(out, file, bound[0], bound[1])
                    continue
                kind = _op_kind(ref)
                if kind is None:
                    out.fail()
                else:
                    out.local.append(_Op(kind, ref, file, decl.func))
                continue
            stmt = _go_of_literal(lit)
            kind = _op_kind(ref)
            func = _runs_in(ref, lit)
            if stmt is None or func is None or kind is None:
                out.fail()
                continue
            out.add_remote(stmt, _Op(kind, ref, file, func))
        return out

    def _bind(self, out: _Uses, file: GoFile, stmt: Node, index: int) -> None:
        """The channel is an argument of the go call: follow the parameter into the goroutine's body."""
        target = go_target(self.ctx, file, stmt)
        if target is None:
            out.fail()
            return
        tfile, func = target
        tres = self.ctx.resolver(tfile)
        pdecl = param_decl(tres, func, index)
        if pdecl is None:
            out.fail()
            return
        for ref in tres.references(pdecl):
            kind = _op_kind(ref)
            runs_in = _runs_in(ref, func)
            if is_assign_target(ref) or kind is None or runs_in is None:
                out.fail()
                return
            out.add_remote(stmt, _Op(kind, ref, tfile, runs_in))


def _innermost_loop(node: Node, func: Node) -> Node | None:
    """The innermost loop that runs `node` once per iteration (a range's operand runs once, before it)."""
    child = node
    p = node.parent
    while p is not None and p != func:
        if p.type == "for_statement":
            clause = next((c for c in p.named_children if c.type in ("range_clause", "for_clause")), None)
            if clause is None or child != clause:
                return p
            if clause.type == "range_clause":
                right = clause.child_by_field_name("right")
                if right is not None and inside(node, right) and _op_kind(node) == "range":
                    return p  # `for v := range ch`: the loop is the receiving itself
            else:
                init = clause.child_by_field_name("initializer")
                if init is None or not inside(node, init):
                    return p  # the condition and the update run on every iteration
        if p.type == "func_literal":
            return None
        child = p
        p = p.parent
    return None


def _enclosing_select(node: Node, func: Node) -> Node | None:
    """The select whose case communication `node` is part of."""
    p = node.parent
    while p is not None and p != func:
        if p.type == "communication_case":
            comm = p.child_by_field_name("communication")
            return p.parent if comm is not None and inside(node, comm) else None
        if p.type in ("func_literal", "block"):
            return None
        p = p.parent
    return None


def _dead_cases(nils: NilChannels, res: Resolver, select: Node) -> list[Node]:
    """Communications of cases that can never fire (a nil channel, a local channel nothing else uses)."""
    dead: list[Node] = []
    for case in select.named_children:
        if case.type != "communication_case":
            continue
        found = case_channel(case)
        comm = case.child_by_field_name("communication")
        if found is None or comm is None:
            continue
        kind, expr = found
        if nils.nil_name(res, expr) is not None or orphan_local(res, expr, kind, select) is not None:
            dead.append(comm)
    return dead


def _select_alternatives(nils: NilChannels, res: Resolver, node: Node, func: Node) -> Node | None:
    """The select a channel operation is a case of, when that select has another live case or a default."""
    sel = _enclosing_select(node, func)
    if sel is None:
        return None
    cases = [c for c in sel.named_children if c.type in ("communication_case", "default_case")]
    return sel if len(cases) - len(_dead_cases(nils, res, sel)) > 1 else None


def _capacity(call: Node) -> int | None:
    """The buffer size of `make(chan T[, n])` when it is a literal (0: unbuffered), else None."""
    args = call.child_by_field_name("arguments")
    if args is None:
        return None
    rest = args.named_children[1:]
    if not rest:
        return 0
    if len(rest) == 1 and rest[0].type == "int_literal":
        try:
            return int(text(rest[0]).replace("_", ""), 0)
        except ValueError:
            return None
    return None


def _loop_bound(loop: Node) -> int | None:
    """K for `for i := 0; i < K; i++` with a literal K (how many goroutines the loop starts)."""
    clause = next((c for c in loop.named_children if c.type == "for_clause"), None)
    cond = clause.child_by_field_name("condition") if clause is not None else None
    if cond is None or cond.type != "binary_expression":
        return None
    op = text(cond.child_by_field_name("operator"))
    right = cond.child_by_field_name("right")
    if right is None or right.type != "int_literal" or op not in ("<", "<="):
        return None
    try:
        bound = int(text(right).replace("_", ""), 0)
    except ValueError:
        return None
    return bound + 1 if op == "<=" else bound


def _func_name(func: Node) -> str:
    name = func.child_by_field_name("name")
    return text(name) if name is not None else "the enclosing function"


@rule(
    "GL006",
    "abandoned-sender",
    Severity.ERROR,
    "a goroutine sends on a local unbuffered channel whose only receive can be skipped",
    prefilter=(b"make(chan",),
    package_needs=GO_NEEDLES,
)
def abandoned_sender(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags the send (or receive) of a goroutine on a local **unbuffered** channel when the function that
    started it can skip the partner operation: the receive is one case of a `select` that also waits on
    `ctx.Done()`, `time.After` or another channel; an early `return` lies between the `go` statement and
    the receive; or N goroutines send to the channel and the receiver stops after fewer than N receives
    (return on the first error, first result wins) — also when a literal buffer (`make(chan error, 1)`)
    is smaller than the loop of senders. The goroutine may be a closure (its deferred closures included)
    or a same-package function or method that gets the channel as a parameter (`go w.fetch(url, ch)`).
    The symmetric case — a goroutine that waits for a signal the caller can skip sending — is flagged at
    the receive. A `t.Fatal` between the `go` and the receive counts as skipping it: the test ends, the
    goroutine stays blocked for the rest of the test binary.

    ## Why is this bad?
    A send on an unbuffered channel completes only when a receiver takes the value. Once the caller has
    returned on timeout, cancellation or an error, nobody will ever receive: the goroutine blocks forever,
    holding its stack and everything it references. This is the leak behind most production goroutine
    build-ups — every timed-out request leaves one more goroutine behind. In a goroutine dump they pile up
    as `[chan send, 42 minutes]` (or `[chan receive]` for the symmetric case) at the same line.

    ## Example
    ```go
    func fetch(ctx context.Context, url string) (Result, error) {
        ch := make(chan Result)
        go func() {
            ch <- get(url) // blocks forever once fetch has returned
        }()
        select {
        case r := <-ch:
            return r, nil
        case <-ctx.Done():
            return Result{}, ctx.Err()
        }
    }
    ```

    ## Use instead
    ```go
        ch := make(chan Result, 1) // the send always completes into the buffer
    ```
    or let the goroutine give up too: `select { case ch <- get(url): case <-ctx.Done(): }`. For N senders
    use a buffer of N (`make(chan error, len(items))`), or errgroup.

    ## When it stays silent
    The channel is buffered enough (`make(chan T, 1)` for one sender, a computed size such as
    `make(chan T, n)` / `len(items)` for a loop, a literal size that covers a literal loop bound); the
    goroutine's send is itself a case of a `select` (on `ctx.Done()`, a quit channel, or with a `default`);
    the receive happens on every path after the `go` statement (checked on the control-flow graph —
    draining in the cancel branch counts); the receiving loop (`for range items`, `for i := 0; i < n;
    i++`, `for v := range ch`) never stops early; the other cases of the caller's select cannot fire (a
    nil channel, a local channel nothing else uses) or are a sibling result channel fed by the same
    goroutine (`case v := <-vals: … case err := <-errs:`); the channel escapes to code the analysis
    cannot see (returned, stored, assigned, passed to another function, used by a second goroutine
    other than one that only closes it); the goroutine sends or receives in a loop (a producer or worker:
    GL001/GL007 judge those); the path that skips the receive ends the process (`panic`, `os.Exit`,
    `log.Fatal`).

    ## Suppress
    `//leaktrail:ignore GL006 reason` on the send line or the line above, or `//nolint:leaktrail`.
    """
    analysis = _Analysis(ctx)
    for file in ctx.files:
        if not any(needle in file.data for needle in GO_NEEDLES):
            continue  # the go statement sits in the function that makes the channel
        res = ctx.resolver(file)
        for call in ctx.query(file, _MAKE_CHAN).get("c", []):
            capacity = _capacity(call) if is_make_chan(call) else None
            if capacity is None:
                continue  # a computed size (len(items), n): assume it fits every sender
            decl = _declared(res, call)
            if decl is None:
                continue
            yield from _check_channel(ctx, analysis, file, res, decl, call, capacity)


def _declared(res: Resolver, call: Node) -> Decl | None:
    values = call.parent
    if values is None or values.type != "expression_list":
        return None
    target = alias_target(values, call)
    if target is None:
        return None
    decl = res.decl_of(target)
    if decl is None or decl.kind not in ("var", "short") or decl.multi or decl.value != call:
        return None
    return decl


def _check_channel(
    ctx: Context, analysis: _Analysis, file: GoFile, res: Resolver, decl: Decl, call: Node, capacity: int
) -> Iterator[Report]:
    uses = analysis.uses(file, res, decl)
    primary = uses.primary() if uses.ok else None
    if primary is None:
        return
    go_stmt, remote = primary
    if enclosing_func(go_stmt) != decl.func:
        return
    remote_kinds = {op.kind for op in remote}
    local_kinds = {op.kind for op in uses.local}
    if remote_kinds - {"close"} == {"send"} and local_kinds & {"recv", "range"} and "send" not in local_kinds:
        if capacity > 0 and _innermost_loop(go_stmt, decl.func) is None:
            return  # one sender, one slot: the send always fits
        sender = True
        partners = [op.node for op in uses.local if op.kind in ("recv", "range")]
    elif (
        remote_kinds == {"recv"}
        and "send" in local_kinds
        and local_kinds <= {"send", "len"}
        and len(uses.by_go) == 1  # a closer goroutine would release the receiver
        and capacity == 0
    ):
        sender = False
        partners = [op.node for op in uses.local if op.kind == "send"]
    else:
        return
    nils = analysis.nils
    blocking: list[_Op] = []
    for op in remote:
        if op.kind == "close":
            continue  # closing after the send releases receivers, not the blocked send
        if _innermost_loop(op.node, op.func) is not None:
            return  # a producer or worker loop: not a one-shot hand-off
        if _select_alternatives(nils, ctx.resolver(op.file), op.node, op.func) is None:
            blocking.append(op)
    if not blocking:
        return
    reason = _skipped(ctx, analysis, file, decl.func, go_stmt, partners, sender)
    if reason is None:
        return
    if capacity > 0:
        go_loop = _innermost_loop(go_stmt, decl.func)
        bound = _loop_bound(go_loop) if go_loop is not None else None
        if not reason[1] or (bound is not None and bound <= capacity):
            return  # the buffer holds every value that can be left behind
    name = decl.name
    ctype = text(call.child_by_field_name("arguments").named_children[0])  # type: ignore[union-attr]
    fname = _func_name(decl.func)
    for op in blocking:
        shown = text(op.node) if text(op.node) == name else f"{text(op.node)} (channel {name})"
        if sender:
            fix = (
                f"give it a buffer for every sender (make({ctype}, n))"
                if reason[1]
                else f"make it buffered (make({ctype}, 1))"
            )
            what = (
                f"unbuffered channel {shown}" if capacity == 0 else f"{shown} (a buffer of only {capacity})"
            )
            msg = (
                f"goroutine sends on {what}, but {fname} can stop receiving "
                f"({reason[0]}): the send then blocks forever [chan send]; {fix} or select on ctx.Done() "
                f"in the goroutine"
            )
        else:
            msg = (
                f"goroutine receives on unbuffered channel {shown}, but {fname} can skip the send "
                f"({reason[0]}): the receive then blocks forever [chan receive]; close({name}) on every "
                f"path (defer close) or select on ctx.Done() in the goroutine"
            )
        yield Report(op.file, op.node, msg)


def _skipped(
    ctx: Context,
    analysis: _Analysis,
    file: GoFile,
    func: Node,
    go_stmt: Node,
    partners: list[Node],
    sender: bool,
) -> tuple[str, bool] | None:
    """Why the partner operation can be skipped (and whether many goroutines are involved), or None."""
    body = func.child_by_field_name("body")
    if body is None:
        return None
    what = "receive" if sender else "send"
    go_loop = _innermost_loop(go_stmt, func)
    in_loop = [go_loop is not None and inside(p, go_loop) for p in partners]
    if go_loop is None or all(in_loop):
        if not sender and any(_innermost_loop(p, func) != go_loop for p in partners):
            return None  # a signal sent from an event loop: its order is protocol, not a skip
        loop_body = go_loop.child_by_field_name("body") if go_loop is not None else None
        if go_loop is not None and loop_body is None:
            return None
        graph = ctx.cfg(file, loop_body, loop_body=True) if loop_body is not None else ctx.cfg(file, body)
        hit = covers_any(partners + _dead_comms(analysis, file, partners, func, go_stmt))
        exits = [e for e in graph.exits_without(go_stmt, hit) if e.kind not in _SKIPPED_EXITS]
        if not exits:
            return None
        for p in partners:
            sel = _select_alternatives(analysis.nils, ctx.resolver(file), p, func)
            if sel is not None:
                return (f"the {what} at line {line_of(p)} is one case of a select", False)
        return (f"{_exit_words(exits[0].kind)} at line {line_of(exits[0].node)} without the {what}", False)
    if any(in_loop) or not sender:
        return None  # many waiting receivers, or a partial hand-off: too protocol-dependent to judge
    loops = {_innermost_loop(p, func) for p in partners}
    if len(loops) != 1:
        return None
    loop = loops.pop()
    hits = partners + _dead_comms(analysis, file, partners, func, go_stmt)
    if loop is not None:
        if inside(go_stmt, loop):
            return None
        clause = next((c for c in loop.named_children if c.type in ("range_clause", "for_clause")), None)
        if clause is None:
            return None  # for {} / for cond {}: we cannot tell how many receives it makes
        head = clause.child_by_field_name("right") or clause.child_by_field_name("initializer")
        head = head or clause.child_by_field_name("condition")
        if head is not None:
            hits.append(head)  # reaching the receive loop counts: its own exits are judged below
    graph = ctx.cfg(file, body)
    exits = [e for e in graph.exits_without(go_stmt, covers_any(hits)) if e.kind not in _SKIPPED_EXITS]
    if exits:
        return (f"{_exit_words(exits[0].kind)} at line {line_of(exits[0].node)} without receiving", True)
    if loop is None:
        if len(partners) != 1:
            return None  # `<-c; <-c` for two goroutines: the count may well match
        return ("one goroutine per loop iteration but a single receive", True)
    lbody = loop.child_by_field_name("body")
    if lbody is None:
        return None
    lgraph = ctx.cfg(file, lbody, loop_body=True)
    early = [e for e in lgraph.exits_without(None, lambda _: False) if e.kind in ("return", "break")]
    if not early:
        return None
    where = f"{_exit_words(early[0].kind, loop=True)} at line {line_of(early[0].node)}"
    return (f"the receive loop can {where}", True)


def _dead_comms(
    analysis: _Analysis, file: GoFile, partners: list[Node], func: Node, go_stmt: Node
) -> list[Node]:
    """Cases of the partners' selects that cannot take the caller away: dead ones (a nil channel, an
    orphan local), and siblings — another result channel only this same goroutine sends on (`ok` /
    `errCh`: the goroutine sends on one of them, the caller receives whichever it is)."""
    res = analysis.ctx.resolver(file)
    out: list[Node] = []
    for sel in {_enclosing_select(p, func) for p in partners}:
        if sel is None:
            continue
        out.extend(_dead_cases(analysis.nils, res, sel))
        for case in sel.named_children:
            found = case_channel(case) if case.type == "communication_case" else None
            comm = case.child_by_field_name("communication")
            if found is None or comm is None or found[0] != "recv" or any(inside(p, comm) for p in partners):
                continue
            if analysis.sibling(file, res, found[1], go_stmt):
                out.append(comm)
    return out


def _exit_words(kind: str, loop: bool = False) -> str:
    if loop:
        return "return early" if kind == "return" else "break out early"
    return {
        "return": "it returns",
        "end": "it can reach its end",
        "break": "a break leaves the loop",
        "continue": "a continue ends the iteration",
        "next": "the iteration can end",
        "goexit": "it stops (t.Fatal, runtime.Goexit)",
    }.get(kind, "it leaves")
