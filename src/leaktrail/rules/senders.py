"""Goroutines left blocked on a local unbuffered channel whose partner can be skipped (GL006)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from leaktrail.model import Severity
from leaktrail.rules import rule
from leaktrail.rules.base import Context, Report
from leaktrail.rules.channels import (
    _callers,
    _param_index,
    alias_target,
    assigned_value,
    channel_captures,
    is_make_chan,
    keys_named,
    literal_type,
    param_decl,
    selector_or_key_files,
)
from leaktrail.rules.goroutines import GO_NEEDLES, go_target, goroutines, inside, may_start_goroutine
from leaktrail.rules.nilchans import NilChannels
from leaktrail.rules.selects import case_channel, orphan_local
from leaktrail.rules.tokens import (
    called_by_name,
    const_specs_naming,
    lines_with,
    literals_of_type,
    word_tokens,
)
from leaktrail.source.cfg import CFG, Exit, covers_any
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, captures, in_defer, is_assign_target, line_of, text, unparen
from leaktrail.source.resolve import Decl, Resolver, enclosing_func
from leaktrail.source.types import GoType

_MAKE = re.compile(rb"make\b")  # no leading \b: a literal start is found at C speed
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


def _go_literal(stmt: Node) -> Node | None:
    """The function literal a `go func(){…}()` statement runs."""
    call = stmt.named_children[0] if stmt.named_children else None
    fn = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
    return fn if fn is not None and fn.type == "func_literal" else None


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

    def closed_after(self, file: GoFile, res: Resolver, expr: Node, go_stmt: Node, sends: list[Node]) -> bool:
        """Is `expr` a local channel that only the goroutine of `go_stmt` closes (nobody sends on it),
        and only after `sends` — a deferred close, or one after every send outside loops? Then a
        receive from it means the goroutine is past its sends (or never made them)."""
        if expr.type != "identifier" or not sends:
            return False
        decl = res.decl_of(expr)
        if decl is None or decl.kind not in ("var", "short") or decl.multi or not is_make_chan(decl.value):
            return False
        uses = self.uses(file, res, decl)
        mine = uses.by_go.get(go_stmt.start_byte)
        if not uses.ok or mine is None or {op.kind for op in mine[1]} != {"close"}:
            return False
        if any(op.kind not in ("recv", "range", "len") for op in uses.local):
            return False
        if any(op.kind != "recv" for g, ops in uses.by_go.values() if g != go_stmt for op in ops):
            return False
        for op in mine[1]:
            call = op.node.parent.parent if op.node.parent is not None else None
            deferred = (
                call is not None and call.parent is not None and call.parent.type == "defer_statement"
            ) or (op.func.type == "func_literal" and op.func != _go_literal(go_stmt))
            if deferred:
                continue
            if _innermost_loop(op.node, op.func) is not None or any(
                n.start_byte > op.node.start_byte or enclosing_func(n) != op.func for n in sends
            ):
                return False
        return True

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


@dataclass(frozen=True, slots=True)
class _Count:
    """A count known up to one symbolic factor: coef × (1, or the value of `key`): how many goroutines
    a loop starts, how many values a buffer holds. `key` names a variable that is never reassigned
    (`n`, or `len(items)`), so two counts with the same key are the same number at run time."""

    coef: int
    key: str | None = None
    shown: str = ""
    """The symbolic factor as written (`len(items)`)."""

    def times(self, other: _Count) -> _Count | None:
        if self.key is not None and other.key is not None:
            return None
        key, shown = (self.key, self.shown) if self.key is not None else (other.key, other.shown)
        return _Count(self.coef * other.coef, key, shown)

    def fits_in(self, room: _Count) -> bool:
        """Do this many values certainly fit in `room` slots? A computed room that cannot be compared
        is assumed to be sized for the senders (`make(chan T, n)`): the code says it counted them."""
        if room.key is None:
            return self.key is None and self.coef <= room.coef
        return self.key != room.key or self.coef <= room.coef

    def __str__(self) -> str:
        if self.key is None:
            return str(self.coef)
        return self.shown if self.coef == 1 else f"{self.coef}*{self.shown}"


_MAX_CONST_DEPTH = 8


def _const_int(ctx: Context, res: Resolver, node: Node | None, depth: int = 0) -> int | None:
    """The value of an integer constant expression: literals, named constants (local or package-level,
    with an explicit value), `+ - * /` and `len` of a composite literal."""
    if node is None or depth > _MAX_CONST_DEPTH:
        return None
    node = unparen(node)
    if node.type == "int_literal":
        try:
            return int(text(node).replace("_", ""), 0)
        except ValueError:
            return None
    if node.type == "binary_expression":
        left = _const_int(ctx, res, node.child_by_field_name("left"), depth + 1)
        right = _const_int(ctx, res, node.child_by_field_name("right"), depth + 1)
        op = text(node.child_by_field_name("operator"))
        if left is None or right is None:
            return None
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        if op == "/" and right != 0:
            return left // right
        return None
    if node.type == "call_expression":
        seq = _len_arg(node)
        return _literal_len(ctx, res, seq, depth + 1) if seq is not None else None
    if node.type == "identifier" and res.decl_of(node) is None:
        return _named_const(ctx, res, node, depth + 1)
    return None


def _named_const(ctx: Context, res: Resolver, ident: Node, depth: int) -> int | None:
    """A constant declared with an explicit value, in the enclosing function (before the use) or at
    package level; None for iota and implicit repetitions."""
    name = text(ident)
    func = enclosing_func(ident)
    while func is not None:
        for spec in const_specs_naming(res.file, name, func):
            if spec.start_byte < ident.start_byte and enclosing_func(spec) == func:
                got = _spec_value(ctx, res, spec, name, depth)
                if got is not None:
                    return got[0]
        func = enclosing_func(func)
    for f in ctx.pkg.files_containing(name.encode()):
        if b"const" not in f.data:
            continue
        fres = ctx.resolver(f)
        for spec in const_specs_naming(f, name):
            if enclosing_func(spec) is None:
                got = _spec_value(ctx, fres, spec, name, depth)
                if got is not None:
                    return got[0]
    return None


def _spec_value(ctx: Context, res: Resolver, spec: Node, name: str, depth: int) -> tuple[int | None] | None:
    names = [text(n) for n in spec.children_by_field_name("name")]
    if name not in names:
        return None
    values = spec.child_by_field_name("value")
    index = names.index(name)
    if values is None or index >= values.named_child_count:
        return (None,)
    return (_const_int(ctx, res, values.named_children[index], depth + 1),)


def _len_arg(call: Node) -> Node | None:
    """x for `len(x)`."""
    fn = call.child_by_field_name("function")
    args = call.child_by_field_name("arguments")
    if fn is None or text(fn) != "len" or args is None or args.named_child_count != 1:
        return None
    return unparen(args.named_children[0])


def _literal_len(ctx: Context, res: Resolver, seq: Node, depth: int = 0) -> int | None:
    """The length of a slice, array or map literal (keyed array elements aside), directly or through a
    local that holds it and is never assigned again (an append is an assignment)."""
    seq = unparen(seq)
    if seq.type == "identifier":
        decl = res.decl_of(seq)
        if decl is None or decl.value is None or decl.multi or decl.kind not in ("var", "short"):
            return None
        value = unparen(decl.value)
        if value is None:
            return None
        if any(is_assign_target(r) and r != decl.ident for r in res.references(decl)):
            return None
        seq = value
    if seq.type != "composite_literal":
        return None
    body = seq.child_by_field_name("body")
    tnode = seq.child_by_field_name("type")
    if body is None or tnode is None or tnode.type not in ("slice_type", "array_type", "map_type"):
        return None
    elems = [c for c in body.named_children if c.type in ("literal_element", "keyed_element")]
    if tnode.type != "map_type" and any(c.type == "keyed_element" for c in elems):
        return None  # [5]int{4: x}: the length is not the element count
    if tnode.type == "array_type":
        return _const_int(ctx, res, tnode.child_by_field_name("length"), depth + 1)
    return len(elems)


def _appended_len(ctx: Context, res: Resolver, ident: Node, depth: int) -> int | None:
    """At most how long a local slice gets when it starts empty (or as a literal) and only grows by
    `xs = append(xs, v)` at sites whose loops have known counts: the sum over those sites."""
    decl = res.decl_of(ident)
    if decl is None or decl.kind not in ("var", "short") or decl.multi:
        return None
    value = unparen(decl.value) if decl.value is not None else None
    total = 0 if value is None else _literal_len(ctx, res, value)
    if total is None:
        return None
    for ref in res.references(decl):
        if ref == decl.ident or not is_assign_target(ref):
            if ref.parent is not None and ref.parent.type == "unary_expression":
                return None  # &xs: grown elsewhere
            continue
        value = assigned_value(ref)
        args = value.child_by_field_name("arguments") if value is not None else None
        fn = value.child_by_field_name("function") if value is not None else None
        if (
            value is None
            or value.type != "call_expression"
            or fn is None
            or text(fn) != "append"
            or args is None
            or [text(a) for a in args.named_children[:1]] != [decl.name]
            or any(c.type == "variadic_argument" for c in args.named_children)
        ):
            return None
        times: _Count | None = _Count(len(args.named_children) - 1)
        p = ref.parent
        while p is not None and p != decl.func and times is not None:
            if p.type == "func_literal":
                return None
            if p.type == "for_statement":
                n = _iterations(ctx, res, p, depth)
                times = times.times(n) if n is not None and n.key is None else None
            p = p.parent
        if times is None:
            return None
        total += times.coef
    return total


def _stable_key(res: Resolver, ident: Node) -> str | None:
    """An identity for a local or parameter that is never assigned after its declaration."""
    decl = res.decl_of(ident)
    if decl is None or decl.kind not in ("var", "short", "param"):
        return None
    if any(is_assign_target(r) and r != decl.ident for r in res.references(decl)):
        return None
    return f"{decl.ident.start_byte}"


def _count_of(ctx: Context, res: Resolver, expr: Node | None) -> _Count | None:
    """`expr` (a buffer size, a loop bound) as a count: a constant, `n`, `len(x)`, `k*len(x)`."""
    if expr is None:
        return None
    expr = unparen(expr)
    value = _const_int(ctx, res, expr)
    if value is not None:
        return _Count(value)
    if expr.type == "identifier":
        key = _stable_key(res, expr)
        return _Count(1, key, text(expr)) if key is not None else None
    if expr.type == "call_expression":
        seq = _len_arg(expr)
        if seq is None or seq.type != "identifier":
            return None
        key = _stable_key(res, seq)
        return _Count(1, f"len:{key}", text(expr)) if key is not None else None
    if expr.type == "binary_expression" and text(expr.child_by_field_name("operator")) == "*":
        left = _count_of(ctx, res, expr.child_by_field_name("left"))
        right = _count_of(ctx, res, expr.child_by_field_name("right"))
        return left.times(right) if left is not None and right is not None else None
    return None


_INTEGERS = frozenset(
    {"int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr"}
    | {"byte"}
)


def _iterations(ctx: Context, res: Resolver, loop: Node, depth: int = 0) -> _Count | None:
    """At most how many times a loop runs its body (leaving early only lowers it):
    `for i := 0; i < K; i++`, `for i := range K`, `for _, x := range xs` (len(xs); a literal's
    element count)."""
    clause = next((c for c in loop.named_children if c.type in ("for_clause", "range_clause")), None)
    if clause is None:
        return None
    if clause.type == "range_clause":
        right = clause.child_by_field_name("right")
        if right is None:
            return None
        right = unparen(right)
        value = _const_int(ctx, res, right)
        if value is not None:
            return _Count(value)  # range over an integer constant
        size = _literal_len(ctx, res, right)
        if size is None and right.type == "identifier" and depth < 2:
            size = _appended_len(ctx, res, right, depth + 1)
        if size is not None:
            return _Count(size)
        t = res.infer(right)
        if t is None or t.is_chan or right.type != "identifier":
            return None
        if t.kind == "basic" and t.name in _INTEGERS:
            return _count_of(ctx, res, right)
        if t.kind in ("slice", "array", "map") or (t.kind == "basic" and t.name == "string"):
            key = _stable_key(res, right)
            return _Count(1, f"len:{key}", f"len({text(right)})") if key is not None else None
        return None
    init = clause.child_by_field_name("initializer")
    cond = clause.child_by_field_name("condition")
    update = clause.child_by_field_name("update")
    if init is None or cond is None or update is None or cond.type != "binary_expression":
        return None
    var = unparen(cond.child_by_field_name("left") or cond)
    if var.type != "identifier" or text(update).replace(" ", "") not in (f"{text(var)}++", f"{text(var)}+=1"):
        return None
    decl = res.decl_of(var)
    if decl is None or decl.kind != "short" or not inside(decl.ident, init):
        return None
    if any(is_assign_target(r) and not inside(r, update) and r != decl.ident for r in res.references(decl)):
        return None  # the body moves the counter itself
    start = _init_value(ctx, res, init, text(var))
    op = text(cond.child_by_field_name("operator"))
    bound = _count_of(ctx, res, cond.child_by_field_name("right"))
    if start is None or bound is None or op not in ("<", "<="):
        return None
    extra = 1 if op == "<=" else 0
    if bound.key is None:
        return _Count(max(bound.coef + extra - start, 0))
    return bound if start >= 0 and extra == 0 else None


def _init_value(ctx: Context, res: Resolver, init: Node, var: str) -> int | None:
    if init.type != "short_var_declaration":
        return None
    left = init.child_by_field_name("left")
    right = init.child_by_field_name("right")
    if left is None or right is None or text(left) != var or right.named_child_count != 1:
        return None
    return _const_int(ctx, res, right.named_children[0])


def _goroutine_count(ctx: Context, res: Resolver, go_stmt: Node, made: Node) -> _Count | None:
    """How many goroutines the `go` statement starts for one channel made at `made`: the product of
    the iteration counts of the loops around the `go` that do not also make a new channel each time
    (1 outside loops); None when one is unknown."""
    total: _Count | None = _Count(1)
    p = go_stmt.parent
    while p is not None and not inside(made, p) and total is not None:
        if p.type == "func_literal":
            return None
        if p.type == "for_statement":
            n = _iterations(ctx, res, p)
            total = total.times(n) if n is not None else None
        p = p.parent
    return total


def _send_profile(ctx: Context, ops: list[_Op]) -> tuple[int, dict[int, int]]:
    """How many sends one goroutine makes at most on any path, and for each send (by start byte) the
    most sends a path can have made when it reaches that one (itself included). Per function the
    goroutine runs — its body, then each deferred closure — over that function's control-flow graph."""
    by_func: dict[tuple[int, int], tuple[GoFile, Node, list[Node]]] = {}
    for op in ops:
        if op.kind == "send":
            by_func.setdefault((id(op.file), op.func.start_byte), (op.file, op.func, []))[2].append(op.node)
    total = 0
    upto: dict[int, int] = {}
    deferred = [g for g in by_func.values() if g[1].type == "func_literal" and _is_deferred(g[1])]
    body_first = [g for g in by_func.values() if g not in deferred] + deferred
    for file, func, nodes in body_first:
        body = func.child_by_field_name("body")
        profile = _path_profile(ctx.cfg(file, body), nodes) if body is not None else None
        if profile is None:
            count = len(ops)
            upto.update((n.start_byte, total + count) for n in nodes)
            total += count
            continue
        most, before = profile
        upto.update((start, total + k) for start, k in before.items())
        total += most
    return total, upto


def _is_deferred(lit: Node) -> bool:
    call = lit.parent
    return call is not None and call.parent is not None and call.parent.type == "defer_statement"


def _path_profile(graph: CFG, nodes: list[Node]) -> tuple[int, dict[int, int]] | None:
    """(the most of `nodes` on one path from the entry, for each node the most a path can have met
    when it reaches it, itself included); back edges are ignored: the sends counted here are not
    inside loops, producers were ruled out before."""
    weight = [0] * len(graph.blocks)
    at: dict[int, tuple[int, int]] = {}
    for n in sorted(nodes, key=lambda n: n.start_byte):
        where = graph.locate(n)
        if where is None:
            return None
        weight[where[0]] += 1
        at[n.start_byte] = (where[0], weight[where[0]])
    # Depth-first postorder from the entry; edges to blocks still on the stack are back edges.
    order: list[int] = []
    back: set[tuple[int, int]] = set()
    state: dict[int, int] = {graph.entry: 1}
    stack: list[tuple[int, int]] = [(graph.entry, 0)]
    while stack:
        bid, i = stack[-1]
        succs = graph.blocks[bid].succs
        if i < len(succs):
            stack[-1] = (bid, i + 1)
            nxt = succs[i]
            if nxt not in state:
                state[nxt] = 1
                stack.append((nxt, 0))
            elif state[nxt] == 1:
                back.add((bid, nxt))
            continue
        stack.pop()
        state[bid] = 2
        order.append(bid)
    into = dict.fromkeys(order, 0)
    for bid in reversed(order):  # a topological order of the forward edges
        for nxt in graph.blocks[bid].succs:
            if (bid, nxt) not in back and nxt in into:
                into[nxt] = max(into[nxt], into[bid] + weight[bid])
    most = max((into[b] + weight[b] for b in order), default=0)
    return most, {start: into.get(b, 0) + k for start, (b, k) in at.items()}


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
    goroutine stays blocked for the rest of the test binary. The message names the exit that strands the
    goroutine: an early `return` or the test ending (`t.Fatal`, a suite's `s.T().Fatal`, a failing testify
    `require` assertion) before the receive is reached, else the other case of the select and where it
    leads.

    The partner can also be missing altogether. A goroutine sends on a local unbuffered channel that
    nothing ever receives from, or receives from one that nothing sends on or closes (also when the only
    other holder is a goroutine `go w.run(done)` that never uses its parameter). Or a goroutine (its
    body, or a same-package function or method the body calls) sends on an unexported, unbuffered
    channel **field** (`w.result <- v`) that no code of the package ever receives from, or receives from
    one (`<-s.quit`, or through a getter such as `<-s.ShouldStop()` that returns the field as
    `<-chan T`) that nothing ever sends on or closes. A field made with `make(chan T, size)` counts as
    unbuffered when `size` is a parameter of an unexported function that every caller passes `0`.

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
    The channel is buffered enough: the buffer is compared with the senders — goroutines counted from
    constant loop bounds, `for i := range K`, the ranged slice (`len(items)`, a literal's length, a local
    built by a constant number of appends) — times the most sends one goroutine makes on any path
    (`make(chan error, 2*len(items))` for two sends each fits; a send that finds room even when every
    earlier value is still buffered is not reported); a size the analysis cannot count (`make(chan T, n)`
    with an unrelated `n`) is assumed to fit, and a literal size against goroutines it cannot count is
    only a low-confidence finding. A channel made inside the loop is one channel per iteration. The
    goroutine's send is itself a case of a `select` (on `ctx.Done()`, a quit channel, or with a `default`);
    the receive happens on every path after the `go` statement (checked on the control-flow graph —
    draining in the cancel branch counts, and so does a polling loop `for !got { select { case v =
    <-ch: got = true; default: … } }` whose only way out is that receive); the maker joins the goroutine
    (`wg.Wait()` for a `wg.Done()` the goroutine runs after its sends) before the path that skips the
    receive; the receiving loop (`for range items`, `for i := 0; i < n;
    i++`, `for v := range ch`) never stops early; the other cases of the caller's select cannot fire (a
    nil channel, a local channel nothing else uses) or are a sibling result channel fed by the same
    goroutine (`case v := <-vals: … case err := <-errs:`); the channel escapes to code the analysis
    cannot see (returned, stored, assigned, passed to another function, used by a second goroutine
    other than one that only closes it); the goroutine sends or receives in a loop (a producer or worker:
    GL001/GL007 judge those); the path that skips the receive ends the process (`panic`, `os.Exit`,
    `log.Fatal`, or a return from the program's `main` or from `TestMain`). For a channel field: the
    field is exported, buffered (or made with a computed size), filled by a positional struct literal or
    from another channel, returned by a method (except a receive-only getter, for a receive), passed, or
    stored elsewhere; a field of the same name on another struct does not count as its partner.

    ## Suppress
    `//leaktrail:ignore GL006 reason` on the send line or the line above, or `//nolint:leaktrail`.
    """
    analysis = _Analysis(ctx)
    for file in ctx.files:
        if not may_start_goroutine(file):
            continue  # the go statement sits in the function that makes the channel
        res = ctx.resolver(file)
        for call in _made_channels(file):
            room = _room(ctx, res, call)
            if room is None:
                continue  # a size we cannot count: assume it fits every sender
            decl = _declared(res, call)
            if decl is None:
                continue
            yield from _check_channel(ctx, analysis, file, res, decl, call, room)
    yield from _orphan_fields(ctx, analysis)


def _made_channels(file: GoFile) -> list[Node]:
    """The make(chan …) calls of the file, in document order: found from the word `make` in the bytes
    (a query over the whole tree costs a third of a parse)."""
    calls = (called_by_name(t) for t in word_tokens(file, _MAKE) if t.type == "identifier")
    return [c for c in calls if c is not None and is_make_chan(c)]


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


def _room(ctx: Context, res: Resolver, call: Node) -> _Count | None:
    """The buffer of `make(chan T[, size])` as a count (0: unbuffered); None when it cannot be counted."""
    args = call.child_by_field_name("arguments")
    rest = args.named_children[1:] if args is not None else []
    if not rest:
        return _Count(0)
    return _count_of(ctx, res, rest[0]) if len(rest) == 1 else None


def _check_channel(
    ctx: Context, analysis: _Analysis, file: GoFile, res: Resolver, decl: Decl, call: Node, room: _Count
) -> Iterator[Report]:
    capacity = room.coef if room.key is None else -1  # -1: a symbolic size (`len(items)`)
    uses = analysis.uses(file, res, decl)
    if uses.ok and capacity == 0:
        orphans = _partnerless(analysis, uses)
        if orphans and not uses.by_go and not _is_goroutine_body(ctx, file, decl.func):
            orphans = []  # it blocks the function itself, not a goroutine: beyond this rule
        if orphans:
            yield from _report_partnerless(decl, call, orphans)
            return
    primary = uses.primary() if uses.ok else None
    if primary is None:
        return
    go_stmt, remote = primary
    if enclosing_func(go_stmt) != decl.func:
        return
    remote_kinds = {op.kind for op in remote}
    local_kinds = {op.kind for op in uses.local}
    if remote_kinds - {"close"} == {"send"} and local_kinds & {"recv", "range"} and "send" not in local_kinds:
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
    sends: _Count | None = None
    if capacity != 0:
        count = _goroutine_count(ctx, res, go_stmt, call)
        most, upto = _send_profile(ctx, remote) if sender else (0, {})
        sends = count.times(_Count(most)) if sender and count is not None else None
        if sends.fits_in(room) if sends is not None else room.key is not None:
            return  # the buffer holds every value that can be left behind (or is sized by a count we lack)
        if capacity > 0 and count is not None and count.key is None:
            # Only a send that can find the buffer full blocks: the other goroutines' values plus the
            # ones this goroutine sent before it on some path must exceed the buffer.
            others = (count.coef - 1) * most
            blocking = [op for op in blocking if others + upto.get(op.node.start_byte, most) > capacity]
            if not blocking:
                return
    sent = [op.node for op in blocking] if sender else []
    reason = _skipped(ctx, analysis, file, decl.func, go_stmt, partners, sender, sent)
    if reason is None:
        return
    if capacity == 0 and sender:  # counted only now, for the message: most unbuffered sends are received
        count = _goroutine_count(ctx, res, go_stmt, call)
        sends = count.times(_Count(_send_profile(ctx, remote)[0])) if count is not None else None
    name = decl.name
    ctype = text(call.child_by_field_name("arguments").named_children[0])  # type: ignore[union-attr]
    fname = _func_name(decl.func)
    cname = _context_in_scope(res, go_stmt)
    give_up = f"select on {cname}.Done()" if cname is not None else "select on a done channel"
    closer = _deferred_close(res, decl, go_stmt) if sender else None
    for op in blocking:
        shown = text(op.node) if text(op.node) == name else f"{text(op.node)} (channel {name})"
        if sender and closer is not None:
            what = f"unbuffered channel {shown}" if capacity == 0 else f"{shown} (a buffer of only {room})"
            msg = (
                f"goroutine sends on {what}, but {fname} can stop receiving ({reason[0]}): its deferred "
                f"close({name}) at line {line_of(closer)} then runs, and the send panics (send on closed "
                f"channel); drop that close and give it a buffer of one (make({ctype}, 1))"
            )
        elif sender:
            if sends is None:
                fix = f"give it a buffer for every sender (make({ctype}, n) for n sends)"
            elif sends.key is None and sends.coef == 1:
                fix = f"make it buffered (make({ctype}, 1))"
            else:
                fix = f"give it a buffer for every send (make({ctype}, {sends}))"
            what = f"unbuffered channel {shown}" if capacity == 0 else f"{shown} (a buffer of only {room})"
            msg = (
                f"goroutine sends on {what}, but {fname} can stop receiving "
                f"({reason[0]}): the send then blocks forever [chan send]; {fix} or {give_up} "
                f"in the goroutine"
            )
        else:
            # After a close the receive yields the zero value: a goroutine that uses it must tell.
            check = (
                f" and check ok (`v, ok := <-{text(op.node)}`) in the goroutine"
                if _value_used(op.node)
                else ""
            )
            msg = (
                f"goroutine receives on unbuffered channel {shown}, but {fname} can skip the send "
                f"({reason[0]}): the receive then blocks forever [chan receive]; close({name}) on every "
                f"path (defer close){check}, or {give_up} in the goroutine"
            )
        # low: a literal buffer sized for a sender count the analysis could not establish
        low = sender and capacity > 0 and sends is None
        yield Report(op.file, op.node, msg, confidence="low" if low else "high")


def _deferred_close(res: Resolver, decl: Decl, go_stmt: Node) -> Node | None:
    """`defer close(ch)` of the launching function itself, before the `go` statement: it runs on every
    way out (return, t.Fatal's Goexit), so a goroutine still about to send panics instead of blocking."""
    for ref in res.references(decl):
        args = ref.parent
        call = args.parent if args is not None and args.type == "argument_list" else None
        stmt = call.parent if call is not None else None
        if (
            call is None
            or stmt is None
            or stmt.type != "defer_statement"
            or text(call.child_by_field_name("function")) != "close"
            or enclosing_func(stmt) != decl.func
            or stmt.start_byte > go_stmt.start_byte
        ):
            continue
        return stmt
    return None


def _value_used(chan: Node) -> bool:
    """Is the value of the receive `<-chan` used (assigned, passed), not just awaited?"""
    recv = chan.parent
    while recv is not None and recv.type == "parenthesized_expression":
        recv = recv.parent
    if recv is None or recv.type != "unary_expression":
        return False
    up = recv.parent
    if up is not None and up.type == "expression_list" and up.parent is not None:
        up = up.parent
    if up is None or up.type == "expression_statement":
        return False
    if up.type in ("short_var_declaration", "assignment_statement", "receive_statement"):
        left = up.child_by_field_name("left")
        return left is not None and any(text(n) != "_" for n in left.named_children or [left])
    return True


def _context_in_scope(res: Resolver, at: Node) -> str | None:
    """The name of a context.Context variable visible at `at` (the latest declared), if any."""
    scope = res.scope(at)
    best: tuple[int, str] | None = None
    for decls in scope.decls.values() if scope is not None else ():
        for d in decls:
            if not (d.start <= at.start_byte < d.end) or (best is not None and d.start < best[0]):
                continue
            t = res.decl_type(d)
            if t is not None and t.is_named("context", "Context"):
                best = (d.start, d.name)
    return best[1] if best is not None else None


def _partnerless(analysis: _Analysis, uses: _Uses) -> list[_Op]:
    """The blocking operations on a local unbuffered channel whose partner exists nowhere: it is only
    ever sent on (never received), or only ever received from (never sent on nor closed) — by its maker
    and the goroutines it is handed to (`go w.run(ch)` whose parameter is never used counts as no use)."""
    ops = uses.local + [op for _, remote in uses.by_go.values() for op in remote]
    kinds = {op.kind for op in ops}
    if kinds - {"len"} not in ({"send"}, {"recv"}):
        return []  # range over a never-closed channel is GL001's
    found: list[_Op] = []
    for op in ops:
        if op.kind == "len":
            continue
        if _enclosing_select(op.node, op.func) is not None:
            return []  # a select whose cases cannot fire is GL005's; one with live cases is fine
        found.append(op)
    return found


def _is_goroutine_body(ctx: Context, file: GoFile, func: Node) -> bool:
    return any(g.body_file is file and g.func == func for g in goroutines(ctx))


def _report_partnerless(decl: Decl, call: Node, ops: list[_Op]) -> Iterator[Report]:
    fname = text(decl.func.child_by_field_name("name")) if decl.func.type == "function_declaration" else ""
    if fname in ("main", "init"):
        return  # a deliberate block-forever at the top of the program
    name = decl.name
    ctype = text(call.child_by_field_name("arguments").named_children[0])  # type: ignore[union-attr]
    for op in ops:
        shown = text(op.node) if text(op.node) == name else f"{text(op.node)} (channel {name})"
        if op.kind == "send":
            msg = (
                f"goroutine sends on unbuffered channel {shown}, but nothing ever receives from {name}: "
                f"the send blocks forever [chan send]; receive from it where the value is wanted, or make "
                f"it buffered (make({ctype}, 1))"
            )
        else:
            msg = (
                f"goroutine receives from channel {shown}, but nothing ever sends on {name} or closes it "
                f"(a goroutine it is handed to never uses it): the receive blocks forever [chan receive]; "
                f"send or close({name}) where the awaited work finishes"
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
    sent: list[Node] | None = None,
) -> tuple[str, bool] | None:
    """Why the partner operation can be skipped (and whether many goroutines are involved), or None.
    `sent`: the goroutine's blocking sends (a channel it closes only after them is no alternative)."""
    body = func.child_by_field_name("body")
    if body is None:
        return None
    what = "receive" if sender else "send"
    ends = _process_ends(ctx, func)
    go_loop = _innermost_loop(go_stmt, func)
    in_loop = [go_loop is not None and inside(p, go_loop) for p in partners]
    if go_loop is None or all(in_loop):
        if not sender and any(_innermost_loop(p, func) != go_loop for p in partners):
            return None  # a signal sent from an event loop: its order is protocol, not a skip
        loop_body = go_loop.child_by_field_name("body") if go_loop is not None else None
        if go_loop is not None and loop_body is None:
            return None
        graph = ctx.cfg(file, loop_body, loop_body=True) if loop_body is not None else ctx.cfg(file, body)
        res = ctx.resolver(file)
        hit = covers_any(
            partners
            + _dead_comms(analysis, file, partners, func, go_stmt, sent or [])
            + (_joins(go_stmt, func) if sender else [])
        )
        guarded = {(c.start_byte, c.end_byte) for c in _guaranteed(res, partners, func)}
        start = graph.locate(go_stmt)

        def leaves(h: Callable[[Node], bool]) -> list[Exit]:
            """Exits after the `go` on a path without `h`; a guaranteed loop only ends after the partner."""
            if start is None:
                return []
            found = graph.exits_from(
                (start[0], start[1] + 1),
                h,
                lambda item: 0 if (item.start_byte, item.end_byte) in guarded else None,
            )
            return [e for e in found if e.kind not in ends]

        exits = leaves(hit)
        if not exits:
            return None
        sels = [(p, sel) for p in partners if (sel := _select_alternatives(analysis.nils, res, p, func))]
        if sels:
            # The exit that strands the goroutine: one before any of these selects is reached (an early
            # return, the test ending) is the real one; else another case of a select wins.
            def in_select(item: Node) -> bool:
                return hit(item) or any(inside(item, sel) for _, sel in sels)

            exits = leaves(in_select)
            if not exits:
                failing = _require_before(res, graph, go_stmt, in_select)
                if failing is not None:
                    return (f"{failing} ends the test when it fails, before the {what}", False)
                fed = _fed_after(ctx, file, go_stmt, sent or [])
                return (_select_words(graph, hit, sels, what, ends, fed, res), False)
        return (f"{_exit_text(exits[0])} without the {what}", False)
    if any(in_loop) or not sender:
        return None  # many waiting receivers, or a partial hand-off: too protocol-dependent to judge
    loops = {_innermost_loop(p, func) for p in partners}
    if len(loops) != 1:
        return None
    loop = loops.pop()
    hits = partners + _dead_comms(analysis, file, partners, func, go_stmt, sent or []) + _joins(go_stmt, func)
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
    exits = [e for e in graph.exits_without(go_stmt, covers_any(hits)) if e.kind not in ends]
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
    analysis: _Analysis, file: GoFile, partners: list[Node], func: Node, go_stmt: Node, sent: list[Node]
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
            if analysis.sibling(file, res, found[1], go_stmt) or analysis.closed_after(
                file, res, found[1], go_stmt, sent
            ):
                out.append(comm)
    return out


def _exit_text(e: Exit) -> str:
    """Where and how a function leaves: `t.Fatalf at line 12 ends the test`, `it returns at line 9`."""
    line = line_of(e.node)
    if e.kind == "goexit":
        call = e.node.named_children[0] if e.node.named_children else e.node
        fn = call.child_by_field_name("function") if call.type == "call_expression" else None
        callee = text(fn) if fn is not None else "runtime.Goexit"
        ends = "the goroutine" if callee.endswith("Goexit") else "the test"
        return f"{callee} at line {line} ends {ends}"
    if e.kind == "end":
        return f"it reaches its end (line {line})"
    return f"{_exit_words(e.kind)} at line {line}"


def _process_ends(ctx: Context, func: Node) -> tuple[str, ...]:
    """Exits of `func` after which nothing is left to leak: the process dies (panic, os.Exit), and when
    `func` is the program's main (or TestMain, whose return exits the test binary) its return too."""
    name = text(func.child_by_field_name("name")) if func.type == "function_declaration" else ""
    if name == "TestMain" or (name == "main" and ctx.pkg.name == "main"):
        return (*_SKIPPED_EXITS, "return", "end")
    return _SKIPPED_EXITS


def _fed_after(ctx: Context, file: GoFile, go_stmt: Node, sent: list[Node]) -> Callable[[Node], bool]:
    """Is this channel expression a local that only the goroutine of `go_stmt` sends on or closes, each
    time after none of its blocking sends `sent` (on another branch, later, or in a defer)? While the
    goroutine blocks in such a send, a receive from that channel cannot be ready: no other case's
    "ready first" that the message may name."""
    target = go_target(ctx, file, go_stmt)
    lit = target[1] if target is not None and target[0] is file else None
    body = lit.child_by_field_name("body") if lit is not None and lit.type == "func_literal" else None
    if lit is None or body is None or not sent:
        return lambda expr: False
    graph = ctx.cfg(file, body)
    res = ctx.resolver(file)

    def fed(expr: Node) -> bool:
        expr = unparen(expr)
        decl = res.decl_of(expr) if expr.type == "identifier" else None
        if decl is None or decl.kind not in ("var", "short") or decl.multi or not is_make_chan(decl.value):
            return False
        for ref in res.references(decl):
            parent = ref.parent
            if (
                parent is not None
                and parent.type == "send_statement"
                and parent.child_by_field_name("channel") == ref
            ):
                op = parent
            elif (
                parent is not None
                and parent.type == "argument_list"
                and parent.parent is not None
                and text(parent.parent.child_by_field_name("function")) == "close"
            ):
                op = parent.parent
            else:
                continue  # a receive, the declaration
            if not inside(op, body):
                return False
            if any(op == s or inside(s, op) for s in sent):
                return False
            if op.type == "call_expression" and in_defer(op, lit):
                continue  # runs when the goroutine returns, after its sends
            if any(graph.reaches(s, op) for s in sent):
                return False
        return True

    return fed


def _select_words(
    graph: CFG,
    hit: Callable[[Node], bool],
    sels: list[tuple[Node, Node]],
    what: str,
    ends: tuple[str, ...],
    fed_after: Callable[[Node], bool] = lambda expr: False,
    res: Resolver | None = None,
) -> str:
    """`the receive at line 12 is one case of a select: when <-ctx.Done() is ready first, it returns at
    line 14` — the other case, and the exit it leads to without the partner operation. A case on a
    channel only this goroutine feeds, after its stranded sends, cannot be ready first: not named. A case
    whose own statements leave (or that falls out of the select to the exit) is named before one that
    only reaches an exit by going round the loop again into another case."""
    fallback: str | None = None
    for p, sel in sels:
        for case in sel.named_children:
            if case.type == "communication_case" and (found := case_channel(case)) and fed_after(found[1]):
                continue
            if case.type == "communication_case":
                first = case.child_by_field_name("communication")
            elif case.type == "default_case":
                first = next((c for c in case.named_children if c.type == "statement_list"), None)
                first = first.named_children[0] if first is not None and first.named_children else None
            else:
                continue
            where = _first_item(graph, first) if first is not None and not inside(p, first) else None
            if where is None:
                continue
            exits = [e for e in graph.exits_from(where, hit) if e.kind not in ends]
            found = case_channel(case) if case.type == "communication_case" else None
            if not exits:
                continue
            if found is None:
                other = "no case is ready (the default case runs)"
            elif found[0] == "recv":
                other = f"<-{text(found[1])} is ready first"
            else:
                other = f"the send on {text(found[1])} is ready first"
            failing = _always_fails(res, case) if res is not None and exits[0].kind == "end" else None
            words = (
                f"the {what} at line {line_of(p)} is one case of a select: when {other}, "
                f"{failing + ' ends the test' if failing is not None else _exit_text(exits[0])}"
            )
            if _through_another_case(sel, case, exits[0].node):
                fallback = fallback or words
                continue
            return words
    if fallback is not None:
        return fallback
    p = sels[0][0]
    return f"the {what} at line {line_of(p)} is one case of a select"


def _through_another_case(sel: Node, case: Node, exit_node: Node) -> bool:
    """Is the exit inside another case of the same select (reached only by looping back into it)?"""
    return any(
        other != case and other.type in ("communication_case", "default_case") and inside(exit_node, other)
        for other in sel.named_children
    )


_REQUIRE = "github.com/stretchr/testify/require"
_ALWAYS_FAILS = frozenset({"Fail", "FailNow"})


def _is_require(res: Resolver, ident: Node) -> bool:
    """testify's require package, or a local made by `require.New(t)` (its *Assertions fail the same)."""
    if res.is_import(ident) == _REQUIRE:
        return True
    decl = res.decl_of(ident)
    value = unparen(decl.value) if decl is not None and decl.value is not None and not decl.multi else None
    fn = (
        value.child_by_field_name("function")
        if value is not None and value.type == "call_expression"
        else None
    )
    operand = (
        fn.child_by_field_name("operand") if fn is not None and fn.type == "selector_expression" else None
    )
    if fn is None or operand is None or operand.type != "identifier":
        return False
    return text(fn.child_by_field_name("field")) == "New" and res.is_import(operand) == _REQUIRE


def _always_fails(res: Resolver, case: Node) -> str | None:
    """`require.Fail at line 12`: a statement of this select case that always ends the test (testify's
    require.Fail/FailNow call t.FailNow), which the control-flow graph takes for an ordinary call."""
    body = next((c for c in case.named_children if c.type == "statement_list"), None)
    for item in body.named_children if body is not None else []:
        call = item.named_children[0] if item.type == "expression_statement" and item.named_children else None
        fn = (
            call.child_by_field_name("function")
            if call is not None and call.type == "call_expression"
            else None
        )
        operand = (
            fn.child_by_field_name("operand") if fn is not None and fn.type == "selector_expression" else None
        )
        if (
            fn is not None
            and operand is not None
            and operand.type == "identifier"
            and text(fn.child_by_field_name("field")) in _ALWAYS_FAILS
            and _is_require(res, operand)
        ):
            return f"{text(fn)} at line {line_of(item)}"
    return None


def _require_before(res: Resolver, graph: CFG, go_stmt: Node, avoid: Callable[[Node], bool]) -> str | None:
    """`require.NoError at line 12`: a testify require assertion (t.FailNow when it fails) that runs after
    the `go` and before the partner operation is reached, on some path."""
    found: list[tuple[int, str]] = []
    for b in graph.blocks:
        for item in b.items:
            call = (
                item.named_children[0]
                if item.type == "expression_statement" and item.named_children
                else None
            )
            fn = (
                call.child_by_field_name("function")
                if call is not None and call.type == "call_expression"
                else None
            )
            operand = (
                fn.child_by_field_name("operand")
                if fn is not None and fn.type == "selector_expression"
                else None
            )
            if (
                fn is None
                or operand is None
                or operand.type != "identifier"
                or item.start_byte < go_stmt.end_byte
                or res.is_import(operand) != _REQUIRE
                or not graph.reaches(go_stmt, item, avoid)
            ):
                continue
            found.append((item.start_byte, f"{text(fn)} at line {line_of(item)}"))
    return min(found)[1] if found else None


def _first_item(graph: CFG, node: Node) -> tuple[int, int] | None:
    """(block, index) of the item that runs first for statement `node` (an `if` runs its condition)."""
    where = graph.locate(node)
    if where is not None:
        return where
    best: tuple[int, tuple[int, int]] | None = None
    for b in graph.blocks:
        for i, item in enumerate(b.items):
            if inside(item, node) and (best is None or item.start_byte < best[0]):
                best = (item.start_byte, (b.id, i))
    return best[1] if best is not None else None


def _guaranteed(res: Resolver, partners: list[Node], func: Node) -> list[Node]:
    """Loop conditions that only let the loop end after a partner operation ran: `for !got { select {
    case v = <-ch: got = true; default: … } }` where `got` starts false and only that case sets it."""
    out: list[Node] = []
    for p in partners:
        case = p.parent
        while case is not None and case.type != "communication_case" and case != func:
            case = case.parent
        if case is None or case.type != "communication_case" or case.parent is None:
            continue
        loop = case.parent.parent
        while loop is not None and loop.type in ("block", "statement_list"):
            loop = loop.parent
        if loop is None or loop.type != "for_statement":
            continue
        cond = next((c for c in loop.named_children if c.type not in ("block", "comment")), None)
        negated = cond is not None and cond.type == "unary_expression"
        if cond is None or not negated or text(cond.child_by_field_name("operator")) != "!":
            continue
        flag = unparen(cond.child_by_field_name("operand") or cond)
        decl = res.decl_of(flag) if flag.type == "identifier" else None
        if decl is None or decl.kind not in ("var", "short") or decl.multi:
            continue
        if decl.value is not None and text(decl.value) != "false":
            continue
        sets = [r for r in res.references(decl) if is_assign_target(r) and r != decl.ident]
        if sets and all(text(assigned_value(r) or r) == "true" and inside(r, case) for r in sets):
            out.append(cond)
    return out


def _joins(go_stmt: Node, func: Node) -> list[Node]:
    """`wg.Wait()` calls of the maker that join the goroutine: its body calls `wg.Done()` (deferred, or
    after its last send). Once Wait returns, the goroutine's sends have completed: nothing after it can
    strand them (a send that never completes makes Wait itself hang — another rule's finding)."""
    call = go_stmt.named_children[0] if go_stmt.named_children else None
    lit = call.child_by_field_name("function") if call is not None else None
    if call is None or call.type != "call_expression" or lit is None or lit.type != "func_literal":
        return []
    sends = [n.end_byte for n in captures("(send_statement) @s", lit).get("s", [])]
    done: set[str] = set()
    for c in captures(_DONE_CALLS, lit).get("c", []):
        fn = c.child_by_field_name("function")
        if fn is None or text(fn.child_by_field_name("field")) != "Done" or c.named_child_count < 1:
            continue
        stmt = c.parent
        deferred = stmt is not None and stmt.type == "defer_statement"
        if deferred or all(e <= c.start_byte for e in sends):
            done.add(text(fn.child_by_field_name("operand")))
    if not done:
        return []
    waits = []
    for c in captures(_DONE_CALLS, func).get("c", []):
        fn = c.child_by_field_name("function")
        if (
            fn is not None
            and text(fn.child_by_field_name("field")) == "Wait"
            and text(fn.child_by_field_name("operand")) in done
            and c.start_byte > go_stmt.end_byte
            and enclosing_func(c) == func
        ):
            waits.append(c)
    return waits


_DONE_CALLS = "(call_expression function: (selector_expression operand: (_) field: (field_identifier))) @c"


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


_SENDS = "(send_statement channel: (_) @c)"
_RECVS = '(unary_expression operator: "<-" operand: (_) @c)'


@dataclass(slots=True)
class _FieldFate:
    """What the package does with one unexported channel field of one struct type."""

    made: int = 0
    sends: int = 0
    recvs: int = 0
    closes: int = 0
    getters: int = 0
    """Returned as a receive-only `<-chan T` by a method: receivers only, none can send or close."""
    escapes: bool = False


def _field_use(ctx: Context, res: Resolver, use: Node, fate: _FieldFate, alias_ok: bool = True) -> None:
    """Classify one occurrence of the field (or of a local alias of it) into `fate`."""
    parent = use.parent
    while parent is not None and parent.type == "parenthesized_expression":
        use, parent = parent, parent.parent
    if parent is None:
        fate.escapes = True
        return
    if is_assign_target(use):
        value = assigned_value(use)
        value = unparen(value) if value is not None else None
        if value is not None and value.type == "nil":
            return
        if value is not None and _made_unbuffered(ctx, res, value):
            fate.made += 1
            return
        fate.escapes = True
        return
    kind = _op_kind(use)
    if kind == "send":
        fate.sends += 1
    elif kind in ("recv", "range"):
        fate.recvs += 1
    elif kind == "close":
        fate.closes += 1
    elif kind == "len":
        pass
    elif parent.type == "binary_expression" and text(parent.child_by_field_name("operator")) in ("==", "!="):
        other = parent.child_by_field_name("right")
        if other == use:
            other = parent.child_by_field_name("left")
        if other is None or unparen(other).type != "nil":
            fate.escapes = True
    elif parent.type == "expression_list" and _returned_receive_only(use, parent):
        fate.getters += 1
    elif alias_ok and parent.type == "expression_list" and (target := alias_target(parent, use)) is not None:
        decl = res.decl_of(target)
        if decl is None or decl.kind not in ("var", "short") or decl.multi or decl.ident != target:
            fate.escapes = True
            return
        for ref in res.references(decl):
            if ref == decl.ident:
                continue
            if is_assign_target(ref):
                fate.escapes = True
                return
            _field_use(ctx, res, ref, fate, alias_ok=False)
    else:
        fate.escapes = True


def _made_unbuffered(ctx: Context, res: Resolver, value: Node) -> bool:
    """`make(chan T)`, or `make(chan T, size)` where `size` is a parameter of an unexported function
    that every in-package caller passes a literal 0."""
    if not is_make_chan(value):
        return False
    capacity = _capacity(value)
    if capacity is not None:
        return capacity == 0
    args = value.child_by_field_name("arguments")
    size = unparen(args.named_children[1]) if args is not None and len(args.named_children) == 2 else None
    decl = res.decl_of(size) if size is not None and size.type == "identifier" else None
    func = decl.func if decl is not None and decl.kind == "param" else None
    if decl is None or func is None or func.type not in ("function_declaration", "method_declaration"):
        return False
    fname = text(func.child_by_field_name("name"))
    if not fname[:1].islower() or any(is_assign_target(r) for r in res.references(decl)):
        return False
    index = _param_index(func, decl)
    callers = _callers(ctx, res.file, func, fname) if index >= 0 else None
    if not callers:
        return False
    for _, call in callers:
        cargs = call.child_by_field_name("arguments")
        arg = cargs.named_children[index] if cargs is not None and len(cargs.named_children) > index else None
        if arg is None or arg.type != "int_literal" or text(arg) != "0":
            return False
    return True


def _returned_receive_only(use: Node, values: Node) -> bool:
    """`return s.ch` as the only result of a function declared to return `<-chan T`."""
    stmt = values.parent
    if stmt is None or stmt.type != "return_statement" or values.named_children != [use]:
        return False
    func = enclosing_func(stmt)
    result = func.child_by_field_name("result") if func is not None else None
    return result is not None and result.type == "channel_type" and text(result).startswith("<-")


def _field_fate(ctx: Context, field: str, owner: GoType) -> _FieldFate:
    """Every use of field `field` of package type `owner`, over all files of the package (memoised)."""
    key = f"GL006:field:{owner.name}.{field}"
    cached = ctx.shared.get(key)
    if isinstance(cached, _FieldFate):
        return cached
    fate = _FieldFate()
    for f in selector_or_key_files(ctx, field):  # (the files that may hold `x.field` or `field:`)
        res = ctx.resolver(f)
        for fid in f.field_identifiers.get(field, ()):
            sel = fid.parent
            if sel is None or sel.type != "selector_expression" or sel.child_by_field_name("field") != fid:
                continue  # a field declaration or a method name
            other = res.field_owner(res.infer(sel.child_by_field_name("operand")), field)
            if other is not None and other != owner:
                continue  # the same name on another struct
            _field_use(ctx, res, sel, fate)
        if fate.escapes:
            break
        for k in keys_named(f, field):
            if text(k) != field:
                continue
            lit = literal_type(res, k)
            if lit is not None and lit.kind == "named" and lit != owner:
                continue
            elem = k.parent.parent if k.parent is not None else None
            value = elem.child_by_field_name("value") if elem is not None else None
            inner = unparen(value.named_children[0]) if value is not None and value.named_children else None
            if inner is None or not _made_unbuffered(ctx, res, inner):
                fate.escapes = True
                break
            fate.made += 1
        if fate.escapes:
            break
    if not fate.escapes:
        for f in ctx.pkg.files_containing(owner.name.encode()):
            for composite in literals_of_type(f, owner.name):
                tname = composite.child_by_field_name("type")
                if tname is not None and tname.type == "generic_type":
                    tname = tname.child_by_field_name("type")
                body = composite.child_by_field_name("body")
                if tname is None or body is None or text(tname) != owner.name:
                    continue
                if any(c.type == "literal_element" for c in body.named_children):
                    fate.escapes = True  # a positional literal fills the field unseen
    ctx.shared[key] = fate
    return fate


def _has_partner(ctx: Context, field: str, owner: GoType, kind: str) -> bool:
    """Is there a partner operation on `x.field` of type `owner` (a receive for a send; a send or close
    for a receive)? A byte-level regex finds the candidates, each is then typed: cheap for the common
    case of a field that is plainly used both ways."""
    key = f"GL006:partner:{owner.name}.{field}:{kind}"
    cached = ctx.shared.get(key)
    if isinstance(cached, bool):
        return cached
    wanted = {"recv", "range"} if kind == "send" else {"send", "close"}
    name = field.encode()
    # A word of ASCII letters, digits and `_` (every gofmt'd field): the patterns' matches found by hand,
    # not by compiling three regexes per field name (the cost of the check on a big package).
    shapes: tuple[Callable[[bytes, int, int], Iterator[tuple[int, int]]], ...]
    if _ASCII_WORD.fullmatch(name):
        if kind == "send":
            shapes = (functools.partial(_received_spans, name),)
        else:
            shapes = (functools.partial(_sent_spans, name), functools.partial(_closed_spans, name))
    else:
        shapes = tuple(functools.partial(_regex_spans, p) for p in _partner_patterns(field, kind))
    found = False
    dotted = b"." + name
    lines_memo = ctx.shared.setdefault("GL006:dotted-lines", {})
    for f in ctx.pkg.files_containing(name):
        lines = lines_memo.get((id(f), dotted))
        if lines is None:  # (one read of the file per name, for every shape and every owner asked)
            lines = lines_memo[(id(f), dotted)] = list(lines_with(f.data, dotted))
        if not lines:
            continue
        for shape in shapes:
            for start, end in _line_spans(shape, f.data, lines):
                node = f.root.descendant_for_byte_range(start, end)
                sel = node.parent if node is not None and node.type == "field_identifier" else None
                if sel is None or sel.type != "selector_expression" or _op_kind(sel) not in wanted:
                    continue
                res = ctx.resolver(f)
                other = res.field_owner(res.infer(sel.child_by_field_name("operand")), field)
                if other is None or other == owner:
                    found = True
                    break
            if found:
                break
        if found:
            break
    ctx.shared[key] = found
    return found


@functools.lru_cache(maxsize=4096)
def _partner_patterns(field: str, kind: str) -> tuple[re.Pattern[bytes], ...]:
    """The byte patterns of a partner operation on `.field`, compiled once per process (the same field
    names recur in every package; re's own cache is flooded between two uses)."""
    name = re.escape(field.encode())
    if kind == "send":
        return (re.compile(rb"(?:<-|range)[ \t]*[\w.()\[\]]*\.(" + name + rb")\b"),)
    return (
        re.compile(rb"\.(" + name + rb")[ \t]*<-"),
        re.compile(rb"close\([ \t]*[\w.()\[\]]*\.(" + name + rb")[ \t]*\)"),
    )


def _line_spans(
    shape: Callable[[bytes, int, int], Iterator[tuple[int, int]]], data: bytes, lines: list[tuple[int, int]]
) -> Iterator[tuple[int, int]]:
    """The spans of group 1 of a partner pattern's matches (one that cannot span lines and contains
    the needle the lines were found by: lines_with), found only on those lines (a pattern starting
    with an alternation is tried at every byte)."""
    for start, end in lines:
        yield from shape(data, start, end)


def _regex_spans(pattern: re.Pattern[bytes], data: bytes, start: int, end: int) -> Iterator[tuple[int, int]]:
    for m in pattern.finditer(data, start, end):
        yield m.start(1), m.end(1)


_ASCII_WORD = re.compile(rb"\w+")
_OPERAND_BYTES = frozenset(b"._()[]0123456789" + bytes(range(65, 91)) + bytes(range(97, 123)))
r"""The bytes of `[\w.()\[\]]` in a bytes pattern (\w is ASCII there)."""


def _skip_blanks(data: bytes, i: int, end: int) -> int:
    r"""`[ \t]*` from i."""
    while i < end and data[i] in (0x20, 0x09):
        i += 1
    return i


def _last_dotted(name: bytes, data: bytes, k: int, end: int, after: Callable[[int], int]) -> tuple[int, int]:
    r"""`[\w.()\[\]]*\.(name)` then `after` from k, as the regex engine finds it: the longest run of
    operand bytes, backtracked to the last `.name` that `after` accepts (it returns where the match ends,
    or -1). (group 1 start, match end), or (-1, -1)."""
    run = k
    while run < end and data[run] in _OPERAND_BYTES:
        run += 1
    n = len(name)
    d = data.rfind(b"." + name, k, run)  # `.name` is all operand bytes: inside the run
    while d >= 0:
        stop = after(d + 1 + n)
        if stop >= 0:
            return d + 1, stop
        d = data.rfind(b"." + name, k, d + n)  # the next one to the left (`.name` cannot overlap itself)
    return -1, -1


def _received_spans(name: bytes, data: bytes, start: int, end: int) -> Iterator[tuple[int, int]]:
    r"""What `(?:<-|range)[ \t]*[\w.()\[\]]*\.(name)\b` finds in data[start:end] (name: ASCII word
    bytes)."""

    def boundary(t: int) -> int:  # `\b` after the name's last (word) byte
        return t if t >= end or data[t] not in _WORD_BYTES else -1

    pos = start
    while True:
        arrow, word = data.find(b"<-", pos, end), data.find(b"range", pos, end)
        i = arrow if word < 0 or 0 <= arrow < word else word
        if i < 0:
            return
        k = _skip_blanks(data, i + (2 if i == arrow else 5), end)
        group, stop = _last_dotted(name, data, k, end, boundary)
        if group < 0:
            pos = i + 1
            continue
        yield group, group + len(name)
        pos = stop


def _sent_spans(name: bytes, data: bytes, start: int, end: int) -> Iterator[tuple[int, int]]:
    r"""What `\.(name)[ \t]*<-` finds in data[start:end]."""
    needle = b"." + name
    d = data.find(needle, start, end)
    while d >= 0:
        t = _skip_blanks(data, d + len(needle), end)
        if data.startswith(b"<-", t) and t + 2 <= end:
            yield d + 1, d + len(needle)
            d = data.find(needle, t + 2, end)
        else:
            d = data.find(needle, d + 1, end)


def _closed_spans(name: bytes, data: bytes, start: int, end: int) -> Iterator[tuple[int, int]]:
    r"""What `close\([ \t]*[\w.()\[\]]*\.(name)[ \t]*\)` finds in data[start:end]."""

    def paren(t: int) -> int:
        u = _skip_blanks(data, t, end)
        return u + 1 if u < end and data[u] == 0x29 else -1

    pos = start
    while True:
        i = data.find(b"close(", pos, end)
        if i < 0:
            return
        group, stop = _last_dotted(name, data, _skip_blanks(data, i + 6, end), end, paren)
        if group < 0:
            pos = i + 1
            continue
        yield group, group + len(name)
        pos = stop


_WORD_BYTES = frozenset(b"_0123456789" + bytes(range(65, 91)) + bytes(range(97, 123)))


def _goroutine_op(op: Node, gfuncs: set[tuple[int, int]], file: GoFile) -> Node | None:
    """The function `op` runs in when that is a goroutine's body (or a closure the body defers)."""
    func = enclosing_func(op)
    if func is None:
        return None
    if (id(file), func.start_byte) in gfuncs:
        return func
    outer = enclosing_func(func) if func.type == "func_literal" else None
    if outer is not None and (id(file), outer.start_byte) in gfuncs and _runs_in(op, outer) == func:
        return func
    return None


def _goroutine_funcs(ctx: Context) -> set[tuple[int, int]]:
    """(file, function start) of every goroutine body, and of the same-package functions and methods
    those bodies call directly (one level): code that runs on a goroutine the caller does not wait for."""
    gfuncs: set[tuple[int, int]] = set()
    for g in goroutines(ctx):
        gfuncs.add((id(g.body_file), g.func.start_byte))
        res = ctx.resolver(g.body_file)
        for call in captures("(call_expression) @c", g.func).get("c", []):
            if _goroutine_op(call, {(id(g.body_file), g.func.start_byte)}, g.body_file) is None:
                continue
            target = res.called_function(call)
            if target is not None:
                gfuncs.add((id(target[0]), target[1].start_byte))
    return gfuncs


def _getter_field(ctx: Context, res: Resolver, call: Node) -> tuple[str, GoType, str] | None:
    """`x.M()` where M is a same-package method that only returns a channel field of its receiver
    (`return s.ch`, after an optional `if s == nil { return nil }`) as a receive-only `<-chan T`:
    (field, owner type, M)."""
    target = res.called_function(call)
    if target is None or target[1].type != "method_declaration":
        return None
    method = target[1]
    result = method.child_by_field_name("result")
    if result is None or result.type != "channel_type" or not text(result).startswith("<-"):
        return None
    body = method.child_by_field_name("body")
    stmts = [c for c in body.named_children if c.type != "comment"] if body is not None else []
    if len(stmts) == 1 and stmts[0].type == "statement_list":
        stmts = [c for c in stmts[0].named_children if c.type != "comment"]
    if not stmts or stmts[-1].type != "return_statement":
        return None
    for st in stmts[:-1]:
        if st.type != "if_statement" or "return nil" not in text(st) or st.child_by_field_name("alternative"):
            return None
    values = stmts[-1].named_children
    expr = unparen(values[0].named_children[0]) if values and values[0].named_children else None
    if expr is None or expr.type != "selector_expression" or len(values[0].named_children) != 1:
        return None
    operand = expr.child_by_field_name("operand")
    if operand is None or operand.type != "identifier":
        return None
    tres = ctx.resolver(target[0])
    decl = tres.decl_of(operand)
    if decl is None or decl.kind != "receiver":
        return None
    field = text(expr.child_by_field_name("field"))
    owner = tres.field_owner(tres.infer(operand), field)
    if owner is None:
        return None
    return field, owner, text(method.child_by_field_name("name"))


def _toplevel_names(ctx: Context) -> frozenset[str]:
    """The names declared at column 0 in some file of the package (GoFile.toplevel_names), as one set."""
    found = ctx.shared.get("senders:toplevel-names")
    if not isinstance(found, frozenset):
        names = frozenset().union(*(f.toplevel_names for f in ctx.pkg.files))
        found = ctx.shared["senders:toplevel-names"] = names
    return found


def _orphan_fields(ctx: Context, analysis: _Analysis) -> Iterator[Report]:
    """Goroutines that send on (or receive from) an unexported unbuffered channel field that no code of
    the package ever receives from (or sends on / closes): the partner does not exist at all."""
    gfuncs: set[tuple[int, int]] | None = None
    for file in ctx.files:
        if b"<-" not in file.data:
            continue  # neither a send nor a receive: nothing to query (nor parse)
        res = ctx.resolver(file)
        ops: list[tuple[str, Node, Node]] = []
        for kind, pattern in (("send", _SENDS), ("recv", _RECVS)):
            for ch in channel_captures(ctx, file, pattern):
                ch = unparen(ch)
                if ch.type == "selector_expression":
                    fid = ch.child_by_field_name("field")
                    if fid is not None and text(fid)[:1].islower():
                        ops.append((kind, fid, ch))
                elif kind == "recv" and ch.type == "call_expression":
                    fn = unparen(ch.child_by_field_name("function") or ch)
                    args = ch.child_by_field_name("arguments")
                    fid = fn.child_by_field_name("field") if fn.type == "selector_expression" else None
                    if (
                        fid is not None
                        and args is not None
                        and not args.named_children
                        and text(fid) in _toplevel_names(ctx)
                    ):
                        ops.append(("getter", fid, ch))
        if not ops:
            continue
        for kind, fid, op in ops:
            sel = fid.parent
            if sel is None:
                continue
            if kind == "getter":
                if _enclosing_select(op, enclosing_func(op) or op) is not None:
                    continue  # a select of dead cases is GL005's
                got = _getter_field(ctx, res, op)
                if got is None:
                    continue
                field, owner, _ = got
                kind = "recv"
            else:
                field = text(fid)
                found = res.field_owner(res.infer(sel.child_by_field_name("operand")), field)
                if found is None:
                    continue
                owner = found
            if not field[:1].islower():
                continue  # exported: importers may be the partner
            if _has_partner(ctx, field, owner, kind):
                continue  # the common case, found cheaply: the field is used both ways
            fate = _field_fate(ctx, field, owner)
            if fate.escapes or not fate.made:
                continue
            if not (kind == "send" and not fate.recvs and not fate.getters) and not (
                kind == "recv" and not fate.sends and not fate.closes
            ):
                continue
            if gfuncs is None:
                gfuncs = _goroutine_funcs(ctx)
            func = _goroutine_op(op, gfuncs, file)
            if func is None or _select_alternatives(analysis.nils, res, op, func) is not None:
                continue
            if kind != "send" and _enclosing_select(op, func) is not None:
                continue  # a select of dead cases is GL005's
            shown = text(op)
            if kind == "send" and not fate.recvs:
                yield Report(
                    file,
                    op,
                    f"goroutine sends on {shown} (unbuffered field {field} of {owner.name}), but nothing "
                    f"in the package ever receives from it: the send blocks forever [chan send]; receive the "
                    f"value where it is wanted, or select on a done channel in the goroutine",
                )
            elif kind == "recv" and not fate.sends and not fate.closes:
                yield Report(
                    file,
                    op,
                    f"goroutine receives from {shown} (field {field} of {owner.name}), but nothing in the "
                    f"package ever sends on it or closes it: the receive blocks forever [chan receive]; "
                    f"close the {field} channel when the goroutine should stop, or select on a done channel",
                )
