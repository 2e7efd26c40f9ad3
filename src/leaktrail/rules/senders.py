"""Goroutines left blocked on a local unbuffered channel whose partner can be skipped (GL006)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from leaktrail.model import Severity
from leaktrail.rules import rule
from leaktrail.rules.base import Context, Report
from leaktrail.rules.channels import alias_target, is_assign_target, is_make_chan, param_decl
from leaktrail.rules.goroutines import GO_NEEDLES, go_target, inside
from leaktrail.source.cfg import covers_any
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, line_of, text
from leaktrail.source.resolve import Decl, Resolver, enclosing_func

_MAKE_CHAN = "(call_expression function: (identifier) arguments: (argument_list (channel_type))) @c"
_SKIPPED_EXITS = ("abort", "goexit")
"""The process dies (panic, os.Exit) or the caller's goroutine ends (t.Fatal): not a silent leak."""


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
    """Where a local channel is operated on: by its creator, and by the goroutine it starts."""

    local: list[_Op] = field(default_factory=list)
    remote: list[_Op] = field(default_factory=list)
    go_stmt: Node | None = None
    ok: bool = True

    def fail(self) -> None:
        self.ok = False


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

    def uses(self, file: GoFile, res: Resolver, decl: Decl) -> _Uses:
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
            if stmt is None or enclosing_func(ref) != lit or kind is None or not self._same_go(out, stmt):
                out.fail()
                continue
            out.remote.append(_Op(kind, ref, file, lit))
        return out

    @staticmethod
    def _same_go(out: _Uses, stmt: Node) -> bool:
        if out.go_stmt is None:
            out.go_stmt = stmt
        return out.go_stmt == stmt

    def _bind(self, out: _Uses, file: GoFile, stmt: Node, index: int) -> None:
        """The channel is an argument of the go call: follow the parameter into the goroutine's body."""
        if not self._same_go(out, stmt):
            out.fail()
            return
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
            if is_assign_target(ref) or kind is None or enclosing_func(ref) != func:
                out.fail()
                return
            out.remote.append(_Op(kind, ref, tfile, func))


def _innermost_loop(node: Node, func: Node) -> Node | None:
    p = node.parent
    while p is not None and p != func:
        if p.type == "for_statement":
            return p
        p = p.parent
    return None


def _select_alternatives(node: Node, func: Node) -> Node | None:
    """The select a channel operation is a case of, when that select has another case or a default."""
    p = node.parent
    while p is not None and p != func:
        if p.type == "communication_case":
            comm = p.child_by_field_name("communication")
            sel = p.parent
            if comm is None or not inside(node, comm) or sel is None:
                return None
            cases = [c for c in sel.named_children if c.type in ("communication_case", "default_case")]
            return sel if len(cases) > 1 else None
        if p.type in ("func_literal", "block"):
            return None
        p = p.parent
    return None


def _unbuffered(call: Node) -> bool:
    args = call.child_by_field_name("arguments")
    if args is None:
        return False
    rest = args.named_children[1:]
    return not rest or (len(rest) == 1 and text(rest[0]).strip() in ("0", "0x0"))


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
    (return on the first error, first result wins). The goroutine may be a closure or a same-package
    function or method that gets the channel as a parameter (`go w.fetch(url, ch)`). The symmetric case —
    a goroutine that waits for a signal the caller can skip sending — is flagged at the receive.

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
    The channel is buffered (`make(chan T, 1)` for one sender, `make(chan T, n)` / `len(items)` for a
    loop); the goroutine's send is itself a case of a `select` (on `ctx.Done()`, a quit channel, or with a
    `default`); the receive happens on every path after the `go` statement (checked on the control-flow
    graph — draining in the cancel branch counts); the receiving loop always completes; the channel
    escapes to code the analysis cannot see (returned, stored, passed to another function, used by a
    second goroutine); the goroutine sends or receives in a loop (a producer or worker: GL001/GL007
    judge those); the path that skips the receive ends the process (`panic`, `log.Fatal`) or the
    goroutine (`t.Fatal`, `runtime.Goexit`).

    ## Suppress
    `//leaktrail:ignore GL006 reason` on the send line or the line above, or `//nolint:leaktrail`.
    """
    analysis = _Analysis(ctx)
    for file in ctx.files:
        res = ctx.resolver(file)
        for call in ctx.query(file, _MAKE_CHAN).get("c", []):
            if not is_make_chan(call) or not _unbuffered(call):
                continue
            decl = _declared(res, call)
            if decl is None:
                continue
            yield from _check_channel(ctx, analysis, file, res, decl, call)


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
    ctx: Context, analysis: _Analysis, file: GoFile, res: Resolver, decl: Decl, call: Node
) -> Iterator[Report]:
    uses = analysis.uses(file, res, decl)
    go_stmt = uses.go_stmt
    if not uses.ok or go_stmt is None or not uses.remote or enclosing_func(go_stmt) != decl.func:
        return
    remote_kinds = {op.kind for op in uses.remote}
    local_kinds = {op.kind for op in uses.local}
    if remote_kinds == {"send"} and local_kinds & {"recv", "range"} and "send" not in local_kinds:
        sender = True
        partners = [op.node for op in uses.local if op.kind in ("recv", "range")]
    elif remote_kinds == {"recv"} and "send" in local_kinds and local_kinds <= {"send", "len"}:
        sender = False
        partners = [op.node for op in uses.local if op.kind == "send"]
    else:
        return
    blocking: list[_Op] = []
    for op in uses.remote:
        if _innermost_loop(op.node, op.func) is not None:
            return  # a producer or worker loop: not a one-shot hand-off
        if _select_alternatives(op.node, op.func) is None:
            blocking.append(op)
    if not blocking:
        return
    reason = _skipped(ctx, file, decl.func, go_stmt, partners, sender)
    if reason is None:
        return
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
            msg = (
                f"goroutine sends on unbuffered channel {shown}, but {fname} can stop receiving "
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
    ctx: Context, file: GoFile, func: Node, go_stmt: Node, partners: list[Node], sender: bool
) -> tuple[str, bool] | None:
    """Why the partner operation can be skipped (and whether many goroutines are involved), or None."""
    body = func.child_by_field_name("body")
    if body is None:
        return None
    what = "receiving" if sender else "sending"
    go_loop = _innermost_loop(go_stmt, func)
    in_loop = [go_loop is not None and inside(p, go_loop) for p in partners]
    if go_loop is None or all(in_loop):
        loop_body = go_loop.child_by_field_name("body") if go_loop is not None else None
        if go_loop is not None and loop_body is None:
            return None
        graph = (
            ctx.cfg(file, loop_body, loop_body=True) if loop_body is not None else ctx.cfg(file, body)
        )
        exits = [e for e in graph.exits_without(go_stmt, covers_any(partners)) if e.kind not in _SKIPPED_EXITS]
        if not exits:
            return None
        for p in partners:
            sel = _select_alternatives(p, func)
            if sel is not None:
                return (f"the {what} at line {line_of(p)} is one case of a select", False)
        return (f"{_exit_words(exits[0].kind)} at line {line_of(exits[0].node)} without {what}", False)
    if any(in_loop) or not sender:
        return None
    graph = ctx.cfg(file, body)
    exits = [e for e in graph.exits_without(go_stmt, covers_any(partners)) if e.kind not in _SKIPPED_EXITS]
    if exits:
        return (f"{_exit_words(exits[0].kind)} at line {line_of(exits[0].node)} without receiving", True)
    loops = {_innermost_loop(p, func) for p in partners}
    if loops == {None}:
        return (f"one goroutine per loop iteration but only {len(partners)} receive(s)", True)
    if len(loops) != 1:
        return None
    loop = loops.pop()
    if loop is None or inside(go_stmt, loop):
        return None
    if not any(c.type in ("range_clause", "for_clause") for c in loop.named_children):
        return None  # for {} / for cond {}: we cannot tell how many receives it makes
    lbody = loop.child_by_field_name("body")
    if lbody is None:
        return None
    lgraph = ctx.cfg(file, lbody, loop_body=True)
    early = [e for e in lgraph.exits_without(None, lambda _: False) if e.kind in ("return", "break")]
    if not early:
        return None
    return (f"the receive loop can {_exit_words(early[0].kind, loop=True)} at line {line_of(early[0].node)}", True)


def _exit_words(kind: str, loop: bool = False) -> str:
    if loop:
        return "return early" if kind == "return" else "break out early"
    return {
        "return": "it returns",
        "end": "it can reach its end",
        "break": "a break leaves the loop",
        "continue": "a continue ends the iteration",
        "next": "the iteration can end",
    }.get(kind, "it leaves")
