"""Condition variables that can never wake their waiters (GL023)."""

from __future__ import annotations

from collections.abc import Iterator

from leaktrail.model import Severity
from leaktrail.rules import rule
from leaktrail.rules.base import Context, Report
from leaktrail.rules.callgraph import method_calls_named
from leaktrail.rules.objects import Identity, identity
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, captures, is_assign_target, text, unparen
from leaktrail.source.resolve import FUNC_NODES, Resolver

_WAKERS = ("Signal", "Broadcast")
_HARMLESS = frozenset({"Wait", "Signal", "Broadcast", "L"})


def _cond_operand(res: Resolver, call: Node, methods: tuple[str, ...]) -> Node | None:
    if res.method_call_on(call, "sync", "Cond", methods) is None:
        return None
    fn = call.child_by_field_name("function")
    return fn.child_by_field_name("operand") if fn is not None else None


class _Conds:
    """Who wakes which Cond, and which Conds escape to code we cannot see (computed once per package)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.woken: set[Identity] = set()
        files: dict[int, GoFile] = {}
        for needle in (b"Signal", b"Broadcast"):
            for f in ctx.pkg.files_containing(needle):
                files[id(f)] = f
        for f in files.values():
            res = ctx.resolver(f)
            for sel in (s for waker in _WAKERS for s in selectors_named(f, waker)):
                operand = sel.child_by_field_name("operand")
                t = res.infer(operand)
                if operand is None or t is None or not t.is_named("sync", "Cond"):
                    continue
                ident = identity(res, operand)
                if ident is not None:
                    self.woken.add(ident)

    def escapes(self, res: Resolver, expr: Node, ident: Identity) -> bool:
        kind = ident[0]
        if kind == "local":
            decl = res.decl_of(unparen(expr))
            return decl is None or any(not _harmless_use(u) for u in res.references(decl))
        name = str(ident[-1])
        if kind == "field" and name[:1].isupper():
            return True  # exported: other packages can signal it
        if kind == "global" and name[:1].isupper():
            return True
        for f in self.ctx.pkg.files_containing(name.encode()):
            fres = self.ctx.resolver(f)
            uses = f.identifiers.get(name, []) if kind == "global" else selectors_named(f, name)
            for use in uses:
                if kind == "global":
                    if fres.decl_of(use) is not None or _is_declaration(use):
                        continue
                elif identity(fres, use) != ident:
                    continue
                if not _harmless_use(use):
                    return True
        return False


def selectors_named(file: GoFile, name: str) -> list[Node]:
    """The selector expressions `x.name` of a file, in document order: from the occurrences of the
    field name (the file's names index) instead of a query over every selector of the file."""
    out: list[Node] = []
    for field in file.field_identifiers.get(name, ()):
        sel = field.parent
        if (
            sel is not None
            and sel.type == "selector_expression"
            and sel.child_by_field_name("field") == field
        ):
            out.append(sel)
    out.sort(key=lambda sel: (sel.start_byte, -sel.end_byte))  # document order, as a query gives
    return out


def _is_declaration(ident: Node) -> bool:
    parent = ident.parent
    return parent is not None and parent.type == "var_spec"


def _harmless_use(use: Node) -> bool:
    parent = use.parent
    while parent is not None and parent.type == "parenthesized_expression":
        use, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type == "selector_expression" and parent.child_by_field_name("operand") == use:
        return text(parent.child_by_field_name("field")) in _HARMLESS
    return is_assign_target(use)


def _in_loop(call: Node) -> bool:
    p = call.parent
    while p is not None and p.type not in FUNC_NODES:
        if p.type == "for_statement":
            return True
        p = p.parent
    return False


_FROZEN_PARTS = frozenset(
    {"identifier", "unary_expression", "binary_expression", "parenthesized_expression", "true"}
)
_EXITS = "[(return_statement) (break_statement) (goto_statement)] @x"


def _frozen_condition(res: Resolver, call: Node) -> Node | None:
    """The condition of the innermost `for cond { … }` around the Wait when it can never change: built
    only from locals (with `!`, `&&`, `||`) that nothing assigns or takes the address of after their
    declaration, in a loop no return/break/goto/panic leaves. Such a loop re-checks nothing: the waiter
    can never get out, whatever is signalled."""
    loop = call.parent
    while loop is not None and loop.type not in FUNC_NODES and loop.type != "for_statement":
        loop = loop.parent
    if loop is None or loop.type != "for_statement":
        return None
    body = loop.child_by_field_name("body")
    cond = next((c for c in loop.named_children if c != body and c.type in _FROZEN_PARTS), None)
    if cond is None or body is None:
        return None
    stack = [cond]
    while stack:
        node = stack.pop()
        if node.type not in _FROZEN_PARTS:
            return None
        if node.type == "unary_expression" and text(node.child_by_field_name("operator")) != "!":
            return None
        if node.type == "binary_expression" and text(node.child_by_field_name("operator")) not in (
            "&&",
            "||",
        ):
            return None
        if node.type == "identifier" and not _never_changes(res, node, loop):
            return None
        stack.extend(node.named_children)
    func = call.parent
    while func is not None and func.type not in FUNC_NODES:
        func = func.parent
    for x in captures(_EXITS, body).get("x", []):
        owner = x.parent
        while owner is not None and owner.type not in FUNC_NODES:
            owner = owner.parent
        if owner == func:
            return None
    for c in captures("(call_expression function: (identifier) @f)", body).get("f", []):
        if text(c) == "panic":
            return None
    return cond


def _never_changes(res: Resolver, ident: Node, loop: Node) -> bool:
    decl = res.decl_of(ident)
    if decl is None or decl.kind not in ("var", "short", "param") or decl.ident.start_byte > loop.start_byte:
        return False
    for use in res.references(decl):
        parent = use.parent
        if is_assign_target(use, short=False):
            return False
        if (
            parent is not None
            and parent.type == "unary_expression"
            and text(parent.child_by_field_name("operator")) == "&"
        ):
            return False
    return True


@rule(
    "GL023",
    "cond-wait-unsafe",
    Severity.ERROR,
    "sync.Cond.Wait on a Cond nothing signals, or a Wait outside a loop re-checking its condition",
    prefilter=(b".Wait()",),
    package_needs=(b"Cond",),
)
def cond_wait_unsafe(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags `c.Wait()` on a `sync.Cond` when nothing in the package ever calls `Signal` or `Broadcast` on
    that Cond, and `Wait` calls that are not inside a `for` loop re-checking the condition — including a
    loop whose condition cannot change: `for present { c.Wait() }` where `present` is a local (or
    parameter) nothing assigns or takes the address of after its declaration, and no `return`, `break`,
    `goto` or `panic` leaves the loop.

    ## Why is this bad?
    `Wait` parks the goroutine until another goroutine signals the Cond. If nobody ever does, every
    waiter sleeps forever; if the Wait is not in a loop, a Signal that arrives before the Wait is lost,
    and a waiter that does wake may find the condition false again (another waiter got there first).
    In a goroutine dump the waiters sit in `[sync.Cond.Wait]` under `sync.(*Cond).Wait`.

    ## Example
    ```go
    func (q *Queue) Pop() int {
        q.mu.Lock()
        defer q.mu.Unlock()
        if len(q.items) == 0 {
            q.notEmpty.Wait() // one wake-up, no re-check; and Push never signals notEmpty
        }
        …
    }
    ```

    ## Use instead
    ```go
        for len(q.items) == 0 {
            q.notEmpty.Wait()
        }
    // and in Push, after appending:
        q.notEmpty.Signal()
    ```
    Often a channel is simpler than a Cond.

    ## When it stays silent
    A Cond that escapes to code the analysis cannot see (passed to a function value, stored in a map,
    an exported field or variable), a Cond signalled anywhere in the package (another method, another
    file, a deferred call, a method value), and `Wait` methods of other types (`sync.WaitGroup`, your own).
    A loop condition that reads shared state (a field, a map, a call) or a local assigned anywhere after
    its declaration (in the loop, in a closure) counts as a re-check, and so does an endless
    `for { … }` (its exit, if any, is in the body).

    ## Suppress
    `//leaktrail:ignore GL023 reason` on the Wait line or the line above.
    """
    conds: _Conds | None = None
    for file in ctx.files:
        res = ctx.resolver(file)
        for call in method_calls_named(file, ("Wait",)):
            operand = _cond_operand(res, call, ("Wait",))
            if operand is None:
                continue
            name = text(operand)
            ident = identity(res, operand)
            if conds is None:
                conds = ctx.shared.get("conds") or _Conds(ctx)
                ctx.shared["conds"] = conds
            if ident is not None and ident not in conds.woken and not conds.escapes(res, operand, ident):
                yield Report(
                    file,
                    call,
                    f"{name}.Wait() waits on a sync.Cond that nothing in this package "
                    f"Signals or Broadcasts: every waiter blocks forever; call "
                    f"{name}.Signal() or Broadcast() where the condition changes",
                )
            elif (frozen := _frozen_condition(res, call)) is not None:
                yield Report(
                    file,
                    call,
                    f"{name}.Wait() sits in a loop whose condition `{text(frozen)}` nothing ever changes: "
                    f"the loop re-checks nothing and the waiter can never leave it, whatever is signalled; "
                    f"re-evaluate the shared state the waiter needs in the loop condition",
                )
            elif not _in_loop(call):
                yield Report(
                    file,
                    call,
                    f"{name}.Wait() is not inside a for loop re-checking its condition: "
                    f"a Signal sent before the Wait is lost and the condition can be false "
                    f"again when Wait returns; wait with `for !condition {{ {name}.Wait() }}`",
                )


__all__ = ["cond_wait_unsafe"]
