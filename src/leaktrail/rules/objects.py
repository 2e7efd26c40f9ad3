"""Names for the synchronisation objects a package shares between functions (channels, mutexes,
WaitGroups, Conds), so rules can match an operation in one function with its partner in another."""

from __future__ import annotations

from leaktrail.source.parse import Node, text, unparen
from leaktrail.source.resolve import Resolver

Identity = tuple[object, ...]
"""("local", decl key) for a local variable, ("global", name) for a package-level one,
("field", struct type name, field name) for a field of a struct type declared in the package."""


def identity(res: Resolver, expr: Node | None) -> Identity | None:
    if expr is None:
        return None
    expr = unparen(expr)
    while expr.type == "unary_expression" and text(expr.child_by_field_name("operator")) in ("&", "*"):
        inner = expr.child_by_field_name("operand")
        if inner is None:
            return None
        expr = unparen(inner)
    if expr.type == "identifier":
        decl = res.decl_of(expr)
        if decl is not None:
            return ("local", decl.key) if decl.kind in ("var", "short") else None
        return ("global", text(expr)) if res.pkg.lookup_var(text(expr)) is not None else None
    if expr.type == "selector_expression":
        operand = expr.child_by_field_name("operand")
        fname = text(expr.child_by_field_name("field"))
        owner = res.infer(operand)
        owner = owner.deref() if owner is not None else None
        if owner is None or owner.kind != "named" or owner.pkg:
            return None
        declaring = res.field_owner(owner, fname)  # a field promoted from an embedded struct
        return ("field", (declaring or owner).name, fname)
    return None


def embedded_identity(res: Resolver, operand: Node | None, type_name: str) -> Identity | None:
    """`r.Lock()` where r's struct embeds sync.Mutex: the embedded field, named by its type."""
    t = res.infer(operand) if operand is not None else None
    t = t.deref() if t is not None else None
    if t is None or t.kind != "named" or t.pkg:
        return None
    return ("field", t.name, type_name)
