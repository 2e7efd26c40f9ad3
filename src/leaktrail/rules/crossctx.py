"""Per-function summaries of what a function does to the WaitGroups and contexts it is handed (issue 12):
calls Done on parameter i (on every path, only on some, or in a goroutine it starts), Adds to it, Waits
on it, calls a cancel func it is passed, blocks on a context's Done. GL002/GL003/GL004 use them to follow
a WaitGroup or a cancel func into a same-package helper or into another package of the module.

Summaries are computed lazily, once per function, and memoised in the shared store of the function's own
package (`interproc.package_context` for another package of the module), so every rule and every calling
package reuses them. A call chain is followed to `_MAX_DEPTH`; recursion ends there (an unfinished summary
counts as "does nothing", which only ever makes a check stay silent)."""

from __future__ import annotations

from dataclasses import dataclass

from leaktrail.rules.base import Context
from leaktrail.source.cfg import covers_any
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, captures, text, unparen
from leaktrail.source.resolve import FUNC_NODES

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
    (`pkg.F(…)`)."""
    from leaktrail.rules.interproc import module_callee

    found = ctx.resolver(file).called_function(call)
    if found is not None:
        return Callee(ctx, found[0], found[1])
    other = module_callee(ctx, file, call)
    if other is not None:
        return Callee(other[0], other[1], other[2])
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
    memo = ctx.shared.setdefault("crossctx:summary", {})
    assert isinstance(memo, dict)
    key = (id(file), func.start_byte)
    found = memo.get(key)
    if isinstance(found, dict):
        return found
    if depth > _MAX_DEPTH or found == "busy":
        return {}
    memo[key] = "busy"
    result = _summarise(ctx, file, func, depth)
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
