"""Per-function summaries of what a function does to the WaitGroups and contexts it is handed (issue 12):
calls Done on parameter i (on every path, only on some, or in a goroutine it starts), Adds to it, Waits
on it, calls a cancel func it is passed, blocks on a context's Done. GL002/GL003/GL004 use them to follow
a WaitGroup or a cancel func into a same-package helper or into another package of the module.

Summaries are computed lazily, once per function, and memoised in the shared store of the function's own
package (`interproc.package_context` for another package of the module), so every rule and every calling
package reuses them. A call chain is followed to `_MAX_DEPTH`; recursion ends there (an unfinished summary
counts as "does nothing", which only ever makes a check stay silent)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from leaktrail.rules.base import Context
from leaktrail.source.cfg import covers_any
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, captures, text, unparen
from leaktrail.source.resolve import FUNC_NODES, enclosing_func, func_type

_MAX_DEPTH = 4


@dataclass(frozen=True, slots=True)
class ParamFacts:
    """What a function does to one of its parameters (a *sync.WaitGroup, a context, a cancel func)."""

    done: bool = False
    """Calls Done on it somewhere (itself, deferred, in a goroutine it starts, or through a callee)."""
    done_always: bool = False
    """Every path to its end calls (or defers, or hands to a goroutine that calls) Done."""
    spawns: bool = False
    """Starts a goroutine that calls Done on it."""
    missed: Node | None = None
    """An exit of the function that skips its own Done (or leaves before its `defer` registers one)."""
    adds: bool = False
    waits: bool = False
    cancels: bool = False
    """Calls the parameter (a cancel func) somewhere."""
    blocks_on_done: bool = False
    """Receives from the parameter's Done() (a context it waits on), itself or through a callee."""
    starts_waiter: bool = False
    """Starts a goroutine that waits on the parameter's Done() (directly or through a callee)."""


@dataclass(frozen=True, slots=True)
class Callee:
    ctx: Context
    file: GoFile
    func: Node


NOTHING = ParamFacts()


def param_names(func: Node) -> list[str]:
    """The parameter names of a function, "" for unnamed ones (the receiver is not counted)."""
    params = func.child_by_field_name("parameters")
    out: list[str] = []
    for p in params.named_children if params is not None else []:
        if p.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        names = p.children_by_field_name("name")
        if names:
            out.extend(text(n) for n in names)
        else:
            out.append("")
    return out


def callee_of(ctx: Context, file: GoFile, call: Node) -> Callee | None:
    """The function a call runs: in this package (`f(…)`, `s.m(…)`) or in another package of the module
    (`pkg.F(…)`, or `w.M(…)` with w a value of one of its types: a local, a field, a parameter, a
    constructor's result)."""
    from leaktrail.rules.interproc import module_callee

    found = ctx.resolver(file).called_function(call)
    if found is not None:
        return Callee(ctx, found[0], found[1])
    other = (
        module_callee(ctx, file, call)
        or _method_on_module_result(ctx, file, call)
        or _promoted_module_method(ctx, file, call)
    )
    if other is not None:
        return Callee(other[0], other[1], other[2])
    return None


def _imports_module(ctx: Context, file: GoFile) -> bool:
    """The file's bytes hold an import path of the module (or of its workspace): `"mod/…` or `"mod"`.
    Memoised per file."""
    from leaktrail.source.module import module_needles

    memo = ctx.shared.setdefault("crossctx:imports-module", {})
    assert isinstance(memo, dict)
    found = memo.get(id(file))
    if found is None:
        data = file.data
        found = memo[id(file)] = any(
            n + b"/" in data or n + b'"' in data for n in module_needles(ctx.pkg.module)
        )
    return bool(found)


def _package_imports_module(ctx: Context) -> bool:
    """Some file of the package imports a package of the module (memoised per package)."""
    memo = ctx.shared.setdefault("crossctx:imports-module", {})
    assert isinstance(memo, dict)
    found = memo.get("package")
    if found is None:
        found = memo["package"] = any(_imports_module(ctx, f) for f in ctx.files)
    return bool(found)


def _method_on_module_result(ctx: Context, file: GoFile, call: Node) -> tuple[Context, GoFile, Node] | None:
    """`x.M(…)` where x's type is known only from another package of the module: x is the result of a
    function there (`pkg.New().M(…)`), or a local set from one (`w := pkg.New()`, `w, err :=
    pkg.Open(…)`). The resolver types values by this package's and the standard library's
    declarations; the result types of the module's other packages are read here."""
    from leaktrail.rules.interproc import module_callee, package_context
    from leaktrail.source.module import load

    fn = unparen(call.child_by_field_name("function") or call)
    operand = fn.child_by_field_name("operand") if fn.type == "selector_expression" else None
    if operand is None or not _imports_module(ctx, file):
        return None  # no import of the module's packages in this file
    operand = unparen(operand)
    index = 0
    if operand.type == "identifier":
        decl = ctx.resolver(file).decl_of(operand)
        if (
            decl is None
            or decl.kind not in ("short", "var")
            or decl.type_node is not None
            or decl.value is None
        ):
            return None
        operand, index = unparen(decl.value), decl.index if decl.multi else 0
    if operand.type != "call_expression":
        return None
    producer = module_callee(ctx, file, operand)
    if producer is None:
        return None
    pctx, pfile, pfunc = producer
    results = func_type(pfile, pfunc).items
    t = results[index].deref() if index < len(results) else None
    if t is None or t.kind != "named":
        return None
    pkg = pctx.pkg
    if t.pkg:  # a type of yet another package (of the module, or not)
        other = load(ctx.pkg.module, t.pkg)
        if other is None or other.dir == ctx.pkg.dir:
            return None
        pkg, pctx = other, package_context(other)
    found = pkg.lookup_method(t.name, text(fn.child_by_field_name("field")))
    return (pctx, found[0], found[1]) if found is not None else None


def _promoted_module_method(ctx: Context, file: GoFile, call: Node) -> tuple[Context, GoFile, Node] | None:
    """`x.M(…)` where x's struct (of this package) embeds a type of another package of the module that
    declares M (`type crew struct{ *pool.Worker }`, `c.Run(…)`): the promoted method."""
    from leaktrail.rules.interproc import package_context
    from leaktrail.source.module import load
    from leaktrail.source.resolve import struct_fields, type_from_node

    fn = unparen(call.child_by_field_name("function") or call)
    operand = fn.child_by_field_name("operand") if fn.type == "selector_expression" else None
    if operand is None or not _package_imports_module(ctx):
        return None
    t = ctx.resolver(file).infer(operand)
    t = t.deref() if t is not None else None
    hit = ctx.pkg.lookup_type(t.name) if t is not None and t.kind == "named" and not t.pkg else None
    underlying = hit[1].child_by_field_name("type") if hit is not None else None
    if hit is None or underlying is None or underlying.type != "struct_type":
        return None
    for fdecl in struct_fields(underlying):
        if fdecl.children_by_field_name("name"):
            continue
        et = type_from_node(hit[0], fdecl.child_by_field_name("type"))
        et = et.deref() if et is not None else None
        if et is None or et.kind != "named" or not et.pkg:
            continue
        other = load(ctx.pkg.module, et.pkg)
        found = other.lookup_method(et.name, text(fn.child_by_field_name("field"))) if other else None
        if other is not None and found is not None and other.dir != ctx.pkg.dir:
            return package_context(other), found[0], found[1]
    return None


def arg_index(call: Node, name: str) -> int | None:
    """The index of the argument that is `name` or `&name` (the WaitGroup / cancel handed on)."""
    args = call.child_by_field_name("arguments")
    for i, a in enumerate(args.named_children if args is not None else []):
        a = unparen(a)
        if a.type == "unary_expression" and text(a.child_by_field_name("operator")) == "&":
            inner = a.child_by_field_name("operand")
            a = unparen(inner) if inner is not None else a
        if text(a) == name:
            return i
    return None


def call_facts(ctx: Context, file: GoFile, call: Node, name: str, depth: int = 0) -> ParamFacts:
    """What the function `call` runs does to the argument `name` (or `&name`)."""
    index = arg_index(call, name)
    if index is None:
        return NOTHING
    target = callee_of(ctx, file, call)
    if target is not None:
        return summary(target.ctx, target.file, target.func, depth + 1).get(index, NOTHING)
    return _indirect_facts(ctx, file, call, index, depth)


def _indirect_facts(ctx: Context, file: GoFile, call: Node, index: int, depth: int) -> ParamFacts:
    """Through a func value, a func field or an interface method (interproc's candidates): what every
    candidate does (a claim holds only when all of them make it; `done` when any may)."""
    from leaktrail.rules.interproc import call_targets

    facts = [
        summary(ctx, t.file, t.node, depth + 1).get(index, NOTHING) for t in call_targets(ctx, file, call)
    ]
    if not facts:
        return NOTHING
    if len(facts) == 1:
        return facts[0]
    return ParamFacts(
        done=any(f.done for f in facts),
        done_always=all(f.done_always for f in facts),
        spawns=all(f.spawns for f in facts),
        adds=all(f.adds for f in facts),
        waits=all(f.waits for f in facts),
        cancels=all(f.cancels for f in facts),
        blocks_on_done=all(f.blocks_on_done for f in facts),
        starts_waiter=all(f.starts_waiter for f in facts),
    )


def summary(ctx: Context, file: GoFile, func: Node, depth: int = 0) -> dict[int, ParamFacts]:
    """Facts per parameter index of `func` (only parameters something happens to), memoised in the
    package's shared store."""
    return _memoised(ctx, "crossctx:summary", file, func, depth, _summarise)


_V = TypeVar("_V")


def _memoised(
    ctx: Context,
    table: str,
    file: GoFile,
    func: Node,
    depth: int,
    compute: Callable[[Context, GoFile, Node, int], dict[int, _V]],
) -> dict[int, _V]:
    """A per-function summary computed once per package; a function reached again while its own summary
    is being computed (recursion), or beyond the depth bound, summarises to nothing."""
    memo = ctx.shared.setdefault(table, {})
    assert isinstance(memo, dict)
    key = (id(file), func.start_byte)
    found = memo.get(key)
    if isinstance(found, dict):
        return found
    if depth > _MAX_DEPTH or found == "busy":
        return {}
    memo[key] = "busy"
    result = compute(ctx, file, func, depth)
    memo[key] = result
    return result


def _summarise(ctx: Context, file: GoFile, func: Node, depth: int) -> dict[int, ParamFacts]:
    body = func.child_by_field_name("body")
    if body is None:
        return {}
    out: dict[int, ParamFacts] = {}
    for i, name in enumerate(param_names(func)):
        if name and name != "_" and name.encode() in (body.text or b""):
            facts = _param_facts(ctx, file, func, body, name, depth)
            if facts != NOTHING:
                out[i] = facts
    return out


def _owner(node: Node, func: Node) -> tuple[str, Node | None]:
    """Where a node runs relative to `func`: ("go", stmt) in a goroutine `func` starts, ("defer", stmt)
    in a deferred call (or deferred literal), ("lit", lit) in a literal that is neither, ("self", None)
    directly."""
    go: Node | None = None
    defer: Node | None = None
    lit: Node | None = None
    p = node.parent
    while p is not None and p != func:
        if p.type == "go_statement":
            go = p
        elif p.type == "defer_statement":
            defer = p
        elif p.type in FUNC_NODES:
            lit, defer = p, None  # a defer inside a literal is the literal's own
        p = p.parent
    if go is not None:
        return "go", go
    if defer is not None:
        return "defer", defer
    if lit is not None:
        return "lit", lit
    return "self", None


def _param_facts(ctx: Context, file: GoFile, func: Node, body: Node, name: str, depth: int) -> ParamFacts:
    res = ctx.resolver(file)
    done = adds = waits = cancels = blocks = spawns = deferred = waiter = False
    own_dones: list[Node] = []
    hits: list[Node] = []
    for call in captures("(call_expression) @c", body).get("c", []):
        fn = unparen(call.child_by_field_name("function") or call)
        where, stmt = _owner(call, func)
        if fn.type == "identifier" and text(fn) == name:
            cancels = True
            continue
        if fn.type == "selector_expression":
            operand = fn.child_by_field_name("operand")
            method = text(fn.child_by_field_name("field"))
            if operand is not None and text(unparen(operand)).lstrip("*") == name:
                if method == "Done" and res.method_call_on(call, "sync", "WaitGroup", ("Done",)):
                    done = True
                    if where == "self":
                        own_dones.append(call)
                        hits.append(call)
                    elif where == "defer" and stmt is not None:
                        deferred = True
                        hits.append(nil_guard(stmt, name, func) or stmt)
                    elif where == "go" and stmt is not None:
                        spawns = True
                        hits.append(stmt)
                    continue
                if method == "Add" and res.method_call_on(call, "sync", "WaitGroup", ("Add",)):
                    adds = True
                    continue
                if method == "Wait" and res.method_call_on(call, "sync", "WaitGroup", ("Wait",)):
                    waits = True
                    continue
                if method == "Done" and _received(call):
                    if where == "go":
                        waiter = True
                    else:
                        blocks = True
                    continue
        if arg_index(call, name) is None:
            continue
        sub = call_facts(ctx, file, call, name, depth)
        if sub == NOTHING:
            continue
        done = done or sub.done
        adds, waits, cancels = adds or sub.adds, waits or sub.waits, cancels or sub.cancels
        if where == "go":
            waiter = waiter or sub.blocks_on_done or sub.starts_waiter
        else:
            blocks = blocks or sub.blocks_on_done
            waiter = waiter or sub.starts_waiter
        if where == "go" and stmt is not None and sub.done:
            spawns = True
            hits.append(stmt)
        elif where == "self" and sub.done_always:
            hits.append(call)
            spawns = spawns or sub.spawns
        elif where == "defer" and stmt is not None and sub.done_always:
            deferred = True
            hits.append(stmt)
    if not done:
        return ParamFacts(
            adds=adds, waits=waits, cancels=cancels, blocks_on_done=blocks, starts_waiter=waiter
        )
    missed: Node | None = None
    exits = [e for e in ctx.cfg(file, body).exits_without(None, covers_any(hits)) if e.kind != "abort"]
    always = not exits and bool(hits)
    if exits and (own_dones or deferred):
        missed = exits[0].node  # a return before its Done, or before its `defer` registers one
    return ParamFacts(True, always, spawns, missed, adds, waits, cancels, blocks, waiter)


def nil_guard(defer: Node, recv: str, func: Node) -> Node | None:
    """The condition of `if wg != nil { defer wg.Done() }`: past it, nothing more is owed (a nil
    WaitGroup counts nothing)."""
    p = defer.parent
    while p is not None and p != func:
        if p.type == "if_statement":
            cond = p.child_by_field_name("condition")
            if cond is not None and text(cond).replace(" ", "") == f"{recv}!=nil":
                return cond
        p = p.parent
    return None


def _received(call: Node) -> bool:
    """`<-x.Done()` (also as a select case)."""
    p = call.parent
    while p is not None and p.type == "parenthesized_expression":
        p = p.parent
    return p is not None and p.type == "unary_expression" and text(p.child_by_field_name("operator")) == "<-"


def hands_done(ctx: Context, file: GoFile, node: Node, recv: str) -> bool:
    """`node` (a `go` statement or a call) hands the WaitGroup `recv` to a function that calls its Done
    on every path, or starts a goroutine that does: the element is accounted for."""
    call = node
    if node.type == "go_statement":
        call = next((c for c in node.named_children if c.type == "call_expression"), node)
    if call.type != "call_expression":
        return False
    facts = call_facts(ctx, file, call, recv)
    if node.type == "go_statement":
        return facts.done
    return facts.done_always


# -- setters: a method that stores a parameter into a field of its receiver ---------------------------
def stored_params(ctx: Context, file: GoFile, func: Node, depth: int = 0) -> dict[int, tuple[str, str]]:
    """Parameter index → (field, struct declaring it) for a method that stores that parameter into a
    field of its receiver (`func (s *S) setCancel(c F) { s.cancel = c }`, also under a lock, or by
    handing it to another such method of the receiver), without calling it: a call of the method
    parks the argument in the receiver exactly like the store written inline. Memoised like
    `summary`."""
    if func.type != "method_declaration":
        return {}
    return _memoised(ctx, "crossctx:stores", file, func, depth, _stores)


def _stores(ctx: Context, file: GoFile, func: Node, depth: int) -> dict[int, tuple[str, str]]:
    from leaktrail.source.package import receiver_type_name
    from leaktrail.source.types import named

    body = func.child_by_field_name("body")
    recv = _receiver(func, pointer=True)
    names = param_names(func)
    if body is None or not recv or not any(names):
        return {}
    data = body.text or b""
    wanted = {n: i for i, n in enumerate(names) if n and n != "_" and n.encode() in data}
    if not wanted or recv.encode() + b"." not in data:
        return {}
    res = ctx.resolver(file)
    owner_type = named("", receiver_type_name(func))
    out: dict[int, tuple[str, str]] = {}
    called: set[str] = set()
    for node in captures("(assignment_statement) @a", body).get("a", []):
        if enclosing_func(node) != func or text(node.child_by_field_name("operator")) != "=":
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or left.named_child_count != 1 or right.named_child_count != 1:
            continue
        lhs, rhs = unparen(left.named_children[0]), unparen(right.named_children[0])
        index = wanted.get(text(rhs)) if rhs.type == "identifier" else None
        operand = lhs.child_by_field_name("operand") if lhs.type == "selector_expression" else None
        if index is None or operand is None or text(unparen(operand)) != recv:
            continue
        field = text(lhs.child_by_field_name("field"))
        owner = res.field_owner(owner_type, field)
        if owner is not None:
            out.setdefault(index, (field, owner.name))
    for call in captures("(call_expression) @c", body).get("c", []):
        fn = unparen(call.child_by_field_name("function") or call)
        if fn.type == "identifier" and text(fn) in wanted:
            called.add(text(fn))  # the parameter is called: not (only) parked
            continue
        operand = fn.child_by_field_name("operand") if fn.type == "selector_expression" else None
        if operand is None or text(unparen(operand)) != recv or enclosing_func(call) != func:
            continue
        args = call.child_by_field_name("arguments")
        for j, a in enumerate(args.named_children if args is not None else []):
            index = wanted.get(text(unparen(a)))
            if index is None or index in out:
                continue
            target = res.called_function(call)
            if target is not None:
                inner = stored_params(ctx, target[0], target[1], depth + 1).get(j)
                if inner is not None:
                    out[index] = inner
    return {i: f for i, f in out.items() if names[i] not in called}


def _receiver(func: Node, pointer: bool = False) -> str:
    """The receiver's name ("" when unnamed; with `pointer`, also "" unless its type is a pointer: a
    value receiver's stores are lost with the copy)."""
    recv = func.child_by_field_name("receiver")
    for p in recv.named_children if recv is not None else []:
        names = p.children_by_field_name("name")
        t = p.child_by_field_name("type")
        if names and (not pointer or (t is not None and t.type == "pointer_type")):
            return text(names[0])
    return ""


def setter_store(ctx: Context, file: GoFile, arg: Node) -> tuple[str, str, Node | None] | None:
    """`x.setCancel(cancel)` with `arg` the argument `cancel`: (field, owner, x when x is a local) when
    the method (this package, or a method of another package's type in the module) stores that
    argument into a field of its receiver — the same as `x.field = cancel` written here. The owner of
    another package's struct is qualified by that package's name."""
    args = arg.parent
    call = args.parent if args is not None and args.type == "argument_list" else None
    if args is None or call is None or call.type != "call_expression":
        return None
    fn = unparen(call.child_by_field_name("function") or call)
    operand = fn.child_by_field_name("operand") if fn.type == "selector_expression" else None
    if operand is None:
        return None
    index = next((i for i, a in enumerate(args.named_children) if a == arg), None)
    target = callee_of(ctx, file, call) if index is not None else None
    if target is None or index is None or target.func.type != "method_declaration":
        return None
    found = stored_params(target.ctx, target.file, target.func).get(index)
    if found is None:
        return None
    field, owner = found
    if target.ctx is not ctx:
        closers = ctx.shared.setdefault("crossctx:closers", {})
        assert isinstance(closers, dict)
        qualified = f"{target.ctx.pkg.name}.{owner}"
        if (qualified, field) not in closers:
            closers[(qualified, field)] = _exported_caller(target.ctx, owner, field)
        owner = qualified
    o = unparen(operand)
    decl = ctx.resolver(file).decl_of(o) if o.type == "identifier" else None
    holder = o if decl is not None and decl.kind in ("short", "var") else None
    return field, owner, holder


def _exported_caller(ctx: Context, owner: str, field: str) -> str:
    """An exported method of `owner` whose own body calls the func field `field` of its receiver
    (`Close` for `stop`): what another package can call instead of the unexported field. "" if none."""
    from leaktrail.source.package import receiver_type_name

    for f in ctx.pkg.files_containing(f".{field}(".encode()):
        for m in ctx.query(f, "(method_declaration) @m").get("m", []):
            name = text(m.child_by_field_name("name"))
            recv = _receiver(m)
            if not name[:1].isupper() or not recv or receiver_type_name(m) != owner:
                continue
            body = m.child_by_field_name("body")
            if body is not None and f"{recv}.{field}(".encode() in (body.text or b""):
                return name
    return ""


def cancel_hint(ctx: Context, owner: str, field: str, holder: str) -> str:
    """The call that cancels a context parked in `holder.field`: the field itself, or for a struct of
    another package (whose field this package cannot name) an exported method that calls it."""
    if "." not in owner or field[:1].isupper():
        return f"{holder}.{field}()"
    closers = ctx.shared.get("crossctx:closers")
    method = closers.get((owner, field), "") if isinstance(closers, dict) else ""
    return f"{holder}.{method}()" if method else f"the method of {holder} that calls its {field}"


def may_reach_field(ctx: Context, file: GoFile, call: Node, field: str) -> bool:
    """`holder.M()` where holder is a struct of another package of the module (its cancel parked there
    through a setter): M, or a function of that package it calls a few levels down, reads a field
    named `field` (calls the parked cancel, or hands it on). True when M cannot be resolved or the
    search gives up; a store into the field (the setter itself) is not a read."""
    from leaktrail.source.parse import is_assign_target

    target = callee_of(ctx, file, call)
    if target is None or target.ctx is ctx:
        return True

    def reads(f: GoFile, func: Node) -> bool:
        for ident in f.field_identifiers.get(field, ()):
            sel = ident.parent
            if (
                func.start_byte <= ident.start_byte < func.end_byte
                and sel is not None
                and sel.type == "selector_expression"
                and not is_assign_target(sel)
            ):
                return True
        return False

    return reaches(target.ctx, (target.file, target.func), reads)


_REACH_LIMIT = 12
"""Functions `reaches` looks into before it gives up (and answers True: not established otherwise)."""


def reaches(ctx: Context, start: tuple[GoFile, Node], found: Callable[[GoFile, Node], bool]) -> bool:
    """Some function `start` calls, a few levels down (itself included, resolved in `ctx`), is `found`;
    True too when the search gives up after _REACH_LIMIT functions."""
    work: list[tuple[GoFile, Node]] = [start]
    seen: set[tuple[int, int]] = set()
    while work and len(seen) < _REACH_LIMIT:
        f, func = work.pop()
        if (id(f), func.start_byte) in seen:
            continue
        seen.add((id(f), func.start_byte))
        if found(f, func):
            return True
        res = ctx.resolver(f)
        for c in captures("(call_expression) @c", func).get("c", []):
            nxt = res.called_function(c)
            if nxt is not None:
                work.append(nxt)
    return len(seen) >= _REACH_LIMIT
