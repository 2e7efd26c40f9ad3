"""Scopes and type inference inside function bodies, from declarations in the package (no type checker)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from operator import lt

from leaktrail.source import stdlib
from leaktrail.source.package import GoFile, NamesIndex, Package, receiver_type_name
from leaktrail.source.parse import DECLS_PATTERN, Node, captures, forget_with_indexes, text, unparen
from leaktrail.source.types import BASIC, GoType, basic, chan, named, pointer, tuple_of

FUNC_NODES = ("function_declaration", "method_declaration", "func_literal")
_TOP_DECLS = ("function_declaration", "method_declaration")
_SCOPE_OWNERS = (
    "block",
    "expression_case",
    "default_case",
    "communication_case",
    "type_case",
    "if_statement",
    "for_statement",
    "expression_switch_statement",
    "type_switch_statement",
    "select_statement",
)
_BOOL = basic("bool")
_INT = basic("int")
_MAX_DEPTH = 6


@dataclass(slots=True)
class Decl:
    """One local declaration: where it is visible and how to find its type."""

    name: str
    ident: Node
    start: int
    end: int
    func: Node
    kind: str
    """param, result, receiver, var, short, range, typeswitch."""
    type_node: Node | None = None
    value: Node | None = None
    index: int = 0
    multi: bool = False

    @property
    def key(self) -> tuple[int, int]:
        return (self.ident.start_byte, self.ident.end_byte)


def _scope_end(stmt: Node) -> int:
    p = stmt.parent
    while p is not None and p.type not in _SCOPE_OWNERS:
        if p.type in FUNC_NODES:
            return p.end_byte
        p = p.parent
    return p.end_byte if p is not None else stmt.end_byte


_DECLS = DECLS_PATTERN


def _has_token(node: Node, token: str) -> bool:
    return any(not c.is_named and c.type == token for c in node.children)


class FunctionScope:
    """All declarations inside one top-level function or method, nested literals included."""

    def __init__(self, top: Node) -> None:
        self.top = top
        self.decls: dict[str, list[Decl]] = {}
        # The query runs in C; walking every node of a large function in Python costs 10x more.
        found = captures(_DECLS, top).get("d", [])
        starts = [n.start_byte for n in found]
        if not all(map(lt, starts, islice(starts, 1, None))):  # (captures come sorted: check, not sort)
            found.sort(key=lambda n: n.start_byte)
        for node in found:
            self._collect(node)

    def _add(self, decl: Decl) -> None:
        if decl.name != "_":
            self.decls.setdefault(decl.name, []).append(decl)

    def _collect(self, node: Node) -> None:
        kind = node.type
        if kind in ("parameter_declaration", "variadic_parameter_declaration"):
            up = self._up(node)
            plist = up[0] if up else None
            func = up[1] if len(up) > 1 else None
            if func is None or func.type not in FUNC_NODES:
                return
            role = "param"
            if plist == func.child_by_field_name("result"):
                role = "result"
            elif plist == func.child_by_field_name("receiver"):
                role = "receiver"
            tnode = node.child_by_field_name("type")
            for name in node.children_by_field_name("name"):
                self._add(Decl(text(name), name, func.start_byte, func.end_byte, func, role, tnode))
        elif kind == "short_var_declaration":
            self._assign(node, node.child_by_field_name("left"), node.child_by_field_name("right"), "short")
        elif kind == "var_spec":
            up = self._up(node)
            if len(up) > 1 and up[1].type == "source_file":
                return
            names = node.children_by_field_name("name")
            tnode = node.child_by_field_name("type")
            values = node.child_by_field_name("value")
            vals = values.named_children if values is not None else []
            func, end = self._func_and_end(node, up)
            for i, name in enumerate(names):
                single = len(vals) == len(names)
                self._add(
                    Decl(
                        text(name),
                        name,
                        node.end_byte,
                        end,
                        func,
                        "var",
                        tnode,
                        vals[i] if single else (vals[0] if vals else None),
                        i,
                        not single and bool(vals),
                    )
                )
        elif kind == "range_clause":
            if not _has_token(node, ":="):
                return
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            up = self._up(node)
            stmt = up[0] if up else None
            if left is None or stmt is None:
                return
            func = self._first_func(up)
            for i, name in enumerate(left.named_children):
                if name.type == "identifier":
                    self._add(
                        Decl(text(name), name, node.end_byte, stmt.end_byte, func, "range", None, right, i)
                    )
        elif kind == "receive_statement":
            if _has_token(node, ":="):
                self._assign(
                    node, node.child_by_field_name("left"), node.child_by_field_name("right"), "short"
                )
        elif kind == "type_switch_statement":
            alias = node.child_by_field_name("alias")
            if alias is not None:
                func = self._func_of(node)
                for name in alias.named_children:
                    self._add(Decl(text(name), name, alias.end_byte, node.end_byte, func, "typeswitch"))

    def _up(self, node: Node) -> list[Node]:
        """The node's ancestors, nearest first, up to the scope's top function (all of them when the
        node is not inside it). Node.parent searches down from the root on every call: walking up cost
        O(depth²), and in a file of many declarations a pass over the root's children per step. One
        descent from the top visits the same nodes (child_with_descendant, the search Node.parent
        makes)."""
        top = self.top
        if node != top:
            path: list[Node] = []
            p = top
            while True:
                path.append(p)
                c = p.child_with_descendant(node)
                if c is None or c == p:
                    break
                if c == node:
                    path.reverse()
                    return path
                p = c
        out: list[Node] = []
        q = node.parent
        while q is not None:
            out.append(q)
            q = q.parent
        return out

    def _first_func(self, up: list[Node]) -> Node:
        return next((p for p in up if p.type in FUNC_NODES), self.top)

    def _func_of(self, node: Node) -> Node:
        return self._first_func(self._up(node))

    def _func_and_end(self, stmt: Node, up: list[Node] | None = None) -> tuple[Node, int]:
        """(_func_of(stmt), _scope_end(stmt)) in one walk up (`up`: _up(stmt) when known)."""
        end = -1
        for p in self._up(stmt) if up is None else up:
            kind = p.type
            if kind in FUNC_NODES:
                return p, end if end >= 0 else p.end_byte
            if end < 0 and kind in _SCOPE_OWNERS:
                end = p.end_byte
        return self.top, end if end >= 0 else stmt.end_byte

    def _assign(self, stmt: Node, left: Node | None, right: Node | None, kind: str) -> None:
        if left is None:
            return
        names = left.named_children if left.type == "expression_list" else [left]
        vals = (
            (right.named_children if right.type == "expression_list" else [right])
            if right is not None
            else []
        )
        func, end = self._func_and_end(stmt)
        for i, name in enumerate(names):
            if name.type != "identifier":
                continue
            single = len(vals) == len(names)
            self._add(
                Decl(
                    text(name),
                    name,
                    stmt.end_byte,
                    end,
                    func,
                    kind,
                    None,
                    vals[i] if single else (vals[0] if vals else None),
                    i,
                    not single and bool(vals),
                )
            )

    def lookup(self, name: str, at: int) -> Decl | None:
        best: Decl | None = None
        for d in self.decls.get(name, ()):
            if d.start <= at < d.end and (best is None or d.start > best.start):
                best = d
        return best


def top_function(node: Node) -> Node | None:
    """The outermost function, method or (package-level) function literal around a node."""
    found = None
    p: Node | None = node
    while p is not None:
        if p.type in FUNC_NODES:
            found = p
        p = p.parent
    return found


def enclosing_func(node: Node) -> Node | None:
    # Rules ask again for the same nodes, and each Node.parent is a search down from the root.
    try:
        return _ENCLOSING[node]
    except KeyError:
        pass
    # The ancestors walked through (not functions) have the same answer: kept too, a walk from a
    # node of the same function stops at the first of them it meets.
    walked = [node]
    p = node.parent
    while p is not None and p.type not in FUNC_NODES:
        if p in _ENCLOSING:
            p = _ENCLOSING[p]
            break
        walked.append(p)
        p = p.parent
    if len(_ENCLOSING) >= _MAX_ENCLOSING:
        _ENCLOSING.clear()
    for n in walked:
        _ENCLOSING[n] = p
    return p


_ENCLOSING: dict[Node, Node | None] = {}
_MAX_ENCLOSING = 1 << 18
forget_with_indexes(_ENCLOSING.clear)


class Resolver:
    """Answers "what is this name / what type is this expression" for one file of a package."""

    def __init__(self, pkg: Package, file: GoFile) -> None:
        self.pkg = pkg
        self.file = file
        self._scopes: dict[int, FunctionScope] = {}
        self._decl_of: dict[tuple[int, int], Decl | None] = {}
        # Answers that depend only on the node asked about (and the package): rules ask about the same
        # expressions, calls and declarations again and again.
        self._inferred: dict[tuple[Node, int], GoType | None] = {}
        self._decl_types: dict[tuple[int, int], tuple[Decl, GoType | None]] = {}
        self._called: dict[Node, tuple[GoFile, Node] | None] = {}
        self._qualified: dict[Node, str | None] = {}
        self._method_calls: dict[tuple[Node, str, str, tuple[str, ...]], str | None] = {}
        self._others: dict[int, Resolver] = {}

    # -- scopes ---------------------------------------------------------------------------------------
    def _top(self, node: Node) -> Node | None:
        """top_function(node) for a node of this file. Node.parent is not a pointer in tree-sitter but
        a search down from the root, so walking up from deep inside a function cost O(depth²); the
        root's child holding the node is found in one step, and is the answer when it is a function
        or method declaration (nothing encloses those)."""
        child = self.file.root.child_with_descendant(node)
        if child is not None and child.type in _TOP_DECLS:
            return child
        return top_function(node)

    def scope(self, node: Node) -> FunctionScope | None:
        top = self._top(node)
        if top is None:
            return None
        sc = self._scopes.get(top.start_byte)
        if sc is None:
            sc = self._scopes[top.start_byte] = FunctionScope(top)
        return sc

    def decl_of(self, ident: Node) -> Decl | None:
        """The local declaration an identifier refers to (None for package-level names and imports)."""
        # The answer depends on the identifier's text and position only: rules ask about the same
        # identifiers again and again.
        key = (ident.start_byte, ident.end_byte)
        try:
            return self._decl_of[key]
        except KeyError:
            pass
        found = None
        sc = self.scope(ident)
        if sc is not None:
            name = text(ident)
            found = next((d for d in sc.decls.get(name, ()) if d.ident.start_byte == ident.start_byte), None)
            # (the declaring identifier itself: the `x` of `x := …`)
            if found is None:
                found = sc.lookup(name, ident.start_byte)
        self._decl_of[key] = found
        return found

    def references(self, decl: Decl) -> list[Node]:
        """Every identifier in the declaring function (closures included) that refers to `decl`."""
        name = text(decl.ident)
        out = []
        lo, hi = decl.func.start_byte, decl.func.end_byte
        index = self.file.identifiers
        found = (
            index.between(name, lo, hi)
            if isinstance(index, NamesIndex)
            else [n for n in index.get(name, ()) if lo <= n.start_byte < hi]
        )
        for ident in found:
            if ident == decl.ident:
                continue
            d = self.decl_of(ident)
            if d is not None and d.key == decl.key:
                out.append(ident)
        out.sort(key=lambda n: n.start_byte)  # source order: query captures come in no fixed order
        return out

    def is_import(self, ident: Node) -> str | None:
        """The import path when `ident` names an imported package (and no local shadows it)."""
        name = text(ident)
        path = self.file.import_path(name)
        if path is None:
            return None
        return None if self.decl_of(ident) is not None else path

    # -- types ----------------------------------------------------------------------------------------
    def type_of_node(self, node: Node | None, depth: int = 0) -> GoType | None:
        return type_from_node(self.file, node, depth)

    def infer(self, expr: Node | None, depth: int = 0) -> GoType | None:
        if expr is None or depth > _MAX_DEPTH:
            return None
        key = (expr, depth)
        try:
            return self._inferred[key]
        except KeyError:
            pass
        found = self._inferred[key] = self._infer(expr, depth)
        return found

    def _infer(self, expr: Node, depth: int) -> GoType | None:
        expr = unparen(expr)
        kind = expr.type
        if kind == "identifier":
            return self._ident_type(expr, depth)
        if kind == "selector_expression":
            return self._selector_type(expr, depth)
        if kind == "call_expression":
            t = self.call_results(expr, depth)
            return None if t is None else tuple_of(t) if t else None
        if kind == "unary_expression":
            op = expr.child_by_field_name("operator")
            operand = self.infer(expr.child_by_field_name("operand"), depth + 1)
            optext = text(op)
            if optext == "&":
                return pointer(operand) if operand is not None else None
            if optext == "<-":
                return operand.elem if operand is not None and operand.kind == "chan" else None
            if optext == "*":
                return operand.elem if operand is not None and operand.kind == "pointer" else None
            if optext == "!":
                return _BOOL
            return operand
        if kind == "composite_literal":
            return self.type_of_node(expr.child_by_field_name("type"))
        if kind == "func_literal":
            return func_type(self.file, expr)
        if kind == "type_assertion_expression":
            return self.type_of_node(expr.child_by_field_name("type"))
        if kind == "index_expression":
            coll = self.infer(expr.child_by_field_name("operand"), depth + 1)
            coll = coll.deref() if coll is not None else None
            return coll.elem if coll is not None and coll.kind in ("slice", "array", "map") else None
        if kind == "slice_expression":
            return self.infer(expr.child_by_field_name("operand"), depth + 1)
        if kind == "binary_expression":
            optext = text(expr.child_by_field_name("operator"))
            if optext in ("==", "!=", "<", ">", "<=", ">=", "&&", "||"):
                return _BOOL
            return self.infer(expr.child_by_field_name("left"), depth + 1)
        if kind in ("interpreted_string_literal", "raw_string_literal"):
            return basic("string")
        if kind == "int_literal":
            return _INT
        if kind in ("true", "false"):
            return _BOOL
        return None

    def _ident_type(self, ident: Node, depth: int) -> GoType | None:
        decl = self.decl_of(ident)
        if decl is not None:
            return self.decl_type(decl, depth)
        return self.package_name_type(text(ident), depth)

    def package_name_type(self, name: str, depth: int = 0) -> GoType | None:
        var = self.pkg.lookup_var(name)
        if var is not None:
            vfile, spec, index = var
            tnode = spec.child_by_field_name("type")
            if tnode is not None:
                return type_from_node(vfile, tnode)
            values = spec.child_by_field_name("value")
            if values is not None and index < values.named_child_count:
                other = self if vfile is self.file else self._other(vfile)
                return other.infer(values.named_children[index], depth + 1)
            return None
        fn = self.pkg.lookup_func(name)
        if fn is not None:
            return func_type(fn[0], fn[1])
        return None

    def _other(self, file: GoFile) -> Resolver:
        """A resolver for another file of the package, kept (with its memos) for the next question."""
        found = self._others.get(id(file))
        if found is None or found.file is not file:
            found = self._others[id(file)] = Resolver(self.pkg, file)
        return found

    def decl_type(self, decl: Decl, depth: int = 0) -> GoType | None:
        key = (id(decl), depth)
        hit = self._decl_types.get(key)
        if hit is not None and hit[0] is decl:
            return hit[1]
        found = self._decl_type(decl, depth)
        self._decl_types[key] = (decl, found)  # the Decl kept alive: its id is not reused
        return found

    def _decl_type(self, decl: Decl, depth: int) -> GoType | None:
        if decl.type_node is not None:
            t = self.type_of_node(decl.type_node)
            if (
                decl.kind == "param"
                and decl.type_node.parent is not None
                and decl.type_node.parent.type == "variadic_parameter_declaration"
                and t is not None
            ):
                return GoType("slice", elem=t)
            return t
        if decl.kind == "range":
            rt = self.infer(decl.value, depth + 1)
            if rt is None:
                return None
            rt = (
                rt.deref() if rt.kind == "pointer" and rt.elem is not None and rt.elem.kind == "array" else rt
            )
            if rt.kind == "chan":
                return rt.elem if decl.index == 0 else None
            if rt.kind in ("slice", "array"):
                return _INT if decl.index == 0 else rt.elem
            if rt.kind == "map":
                return rt.key if decl.index == 0 else rt.elem
            if rt.kind == "basic" and rt.name == "string":
                return _INT if decl.index == 0 else basic("rune")
            return None
        if decl.value is None:
            return None
        value = unparen(decl.value)
        if decl.multi:
            if value.type in ("unary_expression", "index_expression", "type_assertion_expression"):
                return self.infer(value, depth + 1) if decl.index == 0 else _BOOL
            t = self.infer(value, depth + 1)
            if t is not None and t.kind == "tuple" and decl.index < len(t.items):
                return t.items[decl.index]
            return None
        return self.infer(value, depth + 1)

    def _selector_type(self, expr: Node, depth: int) -> GoType | None:
        operand = expr.child_by_field_name("operand")
        fname = text(expr.child_by_field_name("field"))
        if operand is not None and operand.type == "identifier":
            path = self.is_import(operand)
            if path is not None:
                found = stdlib.lookup(f"{path}.{fname}")
                if found is not None and len(found) == 1 and found[0].kind != "func":
                    return found[0]
                if found is not None:
                    return GoType("func", items=found)
                return None
        base = self.infer(operand, depth + 1)
        if base is None:
            return None
        if base.kind == "struct" and operand is not None:
            return self._anonymous_field_type(operand, fname, depth + 1)
        return self.field_type(base, fname, depth + 1)

    def _anonymous_field_type(self, holder: Node, fname: str, depth: int) -> GoType | None:
        """`s.mu.replicas` where `mu` is declared `mu struct { replicas … }` (a common way to keep
        fields next to the mutex that guards them): GoType("struct") has no fields, so read them from
        the declaration of `s.mu`."""
        found = self._field_type_node(holder, depth)
        if found is None or found[1].type != "struct_type":
            return None
        for names, ftype in self._fields(found[1]):
            if fname in names:
                return type_from_node(found[0], ftype)
        return None

    def _fields(self, struct: Node) -> list[tuple[tuple[str, ...], Node | None]]:
        """(names, type node) of each field declaration of a struct type, read once per package."""
        memo = self.pkg.struct_memo
        found = memo.get(struct)
        if found is None:
            found = memo[struct] = [
                (
                    tuple(text(n) for n in fdecl.children_by_field_name("name")),
                    fdecl.child_by_field_name("type"),
                )
                for fdecl in struct_fields(struct)
            ]
        return found

    def _field_type_node(self, sel: Node, depth: int) -> tuple[GoFile, Node] | None:
        """The type node a selected field is declared with (`s.a.b`: b's type in the struct of s.a)."""
        sel = unparen(sel)
        if sel.type != "selector_expression" or depth > _MAX_DEPTH:
            return None
        operand = sel.child_by_field_name("operand")
        fname = text(sel.child_by_field_name("field"))
        base = self.infer(operand, depth + 1)
        if base is None or operand is None:
            return None
        if base.kind == "struct":
            outer = self._field_type_node(operand, depth + 1)
            if outer is None or outer[1].type != "struct_type":
                return None
            tfile, struct = outer
        else:
            owner = self.field_owner(base, fname)
            hit = self.pkg.lookup_type(owner.name) if owner is not None else None
            struct_node = hit[1].child_by_field_name("type") if hit is not None else None
            if hit is None or struct_node is None or struct_node.type != "struct_type":
                return None
            tfile, struct = hit[0], struct_node
        for names, tnode in self._fields(struct):
            if fname in names:
                return (tfile, tnode) if tnode is not None else None
        return None

    def _member(
        self,
        kind: str,
        compute: Callable[[GoType, str, int], GoType | None],
        base: GoType,
        name: str,
        depth: int,
    ) -> GoType | None:
        """Field and method lookups depend on the package only (not on the file asking): one answer per
        package for every resolver."""
        key = (kind, base, name, depth)
        memo = self.pkg.member_memo
        try:
            return memo[key]
        except KeyError:
            pass
        found = memo[key] = compute(base, name, depth)
        return found

    def field_type(self, base: GoType, fname: str, depth: int = 0) -> GoType | None:
        return self._member("f", self._field_type, base, fname, depth)

    def _field_type(self, base: GoType, fname: str, depth: int) -> GoType | None:
        t = base.deref()
        if t.kind != "named" or depth > _MAX_DEPTH:
            return None
        if t.pkg:
            found = stdlib.lookup(f"{t.pkg}.{t.name}.{fname}")
            return found[0] if found and len(found) == 1 else None
        hit = self.pkg.lookup_type(t.name)
        if hit is None:
            return None
        tfile, spec = hit
        underlying = spec.child_by_field_name("type")
        if underlying is None:
            return None
        if underlying.type != "struct_type":
            inner = type_from_node(tfile, underlying)
            return self.field_type(inner, fname, depth + 1) if inner is not None and inner != t else None
        embedded: list[GoType] = []
        for names, ftype in self._fields(underlying):
            if names:
                if fname in names:
                    return type_from_node(tfile, ftype)
            elif ftype is not None:
                et = type_from_node(tfile, ftype)
                if et is not None:
                    if et.deref().kind == "named" and et.deref().name == fname:
                        return et
                    embedded.append(et)
        for et in embedded:
            found_t = self.field_type(et, fname, depth + 1)
            if found_t is not None:
                return found_t
        return None

    def field_owner(self, base: GoType | None, fname: str, depth: int = 0) -> GoType | None:
        """The package-local struct type that declares field `fname` (following embedded structs)."""
        if base is None or depth > _MAX_DEPTH:
            return None
        return self._member("o", self._field_owner, base, fname, depth)

    def _field_owner(self, base: GoType, fname: str, depth: int) -> GoType | None:
        t = base.deref()
        if t.kind != "named" or t.pkg:
            return None
        hit = self.pkg.lookup_type(t.name)
        underlying = hit[1].child_by_field_name("type") if hit is not None else None
        if hit is None or underlying is None or underlying.type != "struct_type":
            return None
        embedded: list[GoType] = []
        for names, ftype in self._fields(underlying):
            if fname in names:
                return t
            if not names:
                et = type_from_node(hit[0], ftype)
                if et is not None:
                    embedded.append(et)
        for et in embedded:
            owner = self.field_owner(et, fname, depth + 1)
            if owner is not None:
                return owner
        return None

    def method_owner(self, base: GoType | None, mname: str, depth: int = 0) -> GoType | None:
        """The named type whose method set provides `mname` (following embedding)."""
        if base is None or depth > _MAX_DEPTH:
            return None
        return self._member("m", self._method_owner, base, mname, depth)

    def _method_owner(self, base: GoType, mname: str, depth: int) -> GoType | None:
        t = base.deref()
        if t.kind != "named":
            return None
        if t.pkg:
            return t if stdlib.lookup(f"{t.pkg}.{t.name}.{mname}") is not None else None
        if self.pkg.lookup_method(t.name, mname) is not None:
            return t
        hit = self.pkg.lookup_type(t.name)
        if hit is None:
            return None
        tfile, spec = hit
        underlying = spec.child_by_field_name("type")
        if underlying is None:
            return None
        if spec.type == "type_alias" or underlying.type not in ("struct_type", "interface_type"):
            inner = type_from_node(tfile, underlying)
            if spec.type == "type_alias" and inner is not None:
                return self.method_owner(inner, mname, depth + 1)
            return None
        if underlying.type == "interface_type":
            return None
        for names, ftype in self._fields(underlying):
            if names:
                continue
            et = type_from_node(tfile, ftype)
            owner = self.method_owner(et, mname, depth + 1)
            if owner is not None:
                return owner
        return None

    def call_results(self, call: Node, depth: int = 0) -> tuple[GoType, ...] | None:
        fn = unparen(call.child_by_field_name("function") or call)
        args = call.child_by_field_name("arguments")
        if fn.type == "identifier":
            name = text(fn)
            decl = self.decl_of(fn)
            if decl is None:
                if name in ("make", "new") and args is not None and args.named_child_count:
                    t = self.type_of_node(args.named_children[0])
                    if t is None:
                        return None
                    return (pointer(t),) if name == "new" else (t,)
                if name in ("len", "cap", "copy"):
                    return (_INT,)
                if name == "append" and args is not None and args.named_child_count:
                    t = self.infer(args.named_children[0], depth + 1)
                    return (t,) if t is not None else None
                if name in BASIC:
                    return (basic(name),)
                local_type = self.pkg.lookup_type(name)
                if local_type is not None:
                    return (named("", name),)
            ft = self._ident_type(fn, depth + 1)
            return ft.items if ft is not None and ft.kind == "func" else None
        if fn.type == "selector_expression":
            operand = fn.child_by_field_name("operand")
            mname = text(fn.child_by_field_name("field"))
            if operand is not None and operand.type == "identifier":
                path = self.is_import(operand)
                if path is not None:
                    found = stdlib.lookup(f"{path}.{mname}")
                    if found is not None:
                        return found
                    if mname[:1].isupper() and args is not None and args.named_child_count == 1:
                        return None
                    return None
            base = self.infer(operand, depth + 1)
            if base is None:
                return None
            owner = self.method_owner(base, mname, depth + 1)
            if owner is not None:
                if owner.pkg:
                    return stdlib.lookup(f"{owner.pkg}.{owner.name}.{mname}")
                m = self.pkg.lookup_method(owner.name, mname)
                if m is not None:
                    return func_type(m[0], m[1]).items
            if base.deref().is_named("context", "Context"):
                return stdlib.lookup(f"context.Context.{mname}")
            ft = self.field_type(base, mname, depth + 1)
            return ft.items if ft is not None and ft.kind == "func" else None
        if fn.type == "func_literal":
            return func_type(self.file, fn).items
        return None

    def receiver_of_call(self, call: Node) -> Node | None:
        fn = call.child_by_field_name("function")
        if fn is not None and fn.type == "selector_expression":
            return fn.child_by_field_name("operand")
        return None

    def method_call_on(self, call: Node, pkg: str, type_name: str, methods: tuple[str, ...]) -> str | None:
        """The method name when `call` is `x.M(...)` with M in methods and x's M coming from pkg.type_name."""
        key = (call, pkg, type_name, tuple(methods))
        try:
            return self._method_calls[key]
        except KeyError:
            pass
        found = self._method_calls[key] = self._method_call_on(call, pkg, type_name, methods)
        return found

    def _method_call_on(self, call: Node, pkg: str, type_name: str, methods: tuple[str, ...]) -> str | None:
        fn = call.child_by_field_name("function")
        if fn is None or fn.type != "selector_expression":
            return None
        mname = text(fn.child_by_field_name("field"))
        if mname not in methods:
            return None
        operand = fn.child_by_field_name("operand")
        if operand is not None and operand.type == "identifier" and self.is_import(operand) is not None:
            return None
        owner = self.method_owner(self.infer(operand), mname)
        if owner is not None and owner.pkg == pkg and owner.name == type_name:
            return mname
        return None

    def qualified_call(self, call: Node) -> str | None:
        """ "path.Func" for a call of an imported package's function (aliases and dot imports resolved)."""
        try:
            return self._qualified[call]
        except KeyError:
            pass
        found = self._qualified[call] = self._qualified_call(call)
        return found

    def _qualified_call(self, call: Node) -> str | None:
        fn = unparen(call.child_by_field_name("function") or call)
        if fn.type == "selector_expression":
            operand = fn.child_by_field_name("operand")
            if operand is not None and operand.type == "identifier":
                path = self.is_import(operand)
                if path is not None:
                    return f"{path}.{text(fn.child_by_field_name('field'))}"
            return None
        if fn.type == "identifier" and self.decl_of(fn) is None:
            name = text(fn)
            for path in self.file.dot_imports():
                if stdlib.lookup(f"{path}.{name}") is not None or f"{path}.{name}" in stdlib.NO_RETURN:
                    return f"{path}.{name}"
        return None

    def called_function(self, call: Node) -> tuple[GoFile, Node] | None:
        """The same-package function or method a call invokes, when it can be known."""
        try:
            return self._called[call]
        except KeyError:
            pass
        found = self._called[call] = self._called_function(call)
        return found

    def _called_function(self, call: Node) -> tuple[GoFile, Node] | None:
        fn = unparen(call.child_by_field_name("function") or call)
        if fn.type == "identifier":
            if self.decl_of(fn) is not None:
                return None
            return self.pkg.lookup_func(text(fn))
        if fn.type == "selector_expression":
            operand = fn.child_by_field_name("operand")
            if operand is not None and operand.type == "identifier" and self.is_import(operand) is not None:
                return None
            mname = text(fn.child_by_field_name("field"))
            owner = self.method_owner(self.infer(operand), mname)
            if owner is not None and not owner.pkg:
                return self.pkg.lookup_method(owner.name, mname)
        return None


def struct_fields(struct: Node) -> list[Node]:
    for child in struct.named_children:
        if child.type == "field_declaration_list":
            return [c for c in child.named_children if c.type == "field_declaration"]
    return []


def func_type(file: GoFile, func: Node) -> GoType:
    result = func.child_by_field_name("result")
    if result is None:
        return GoType("func")
    if result.type != "parameter_list":
        t = type_from_node(file, result)
        return GoType("func", items=(t,) if t is not None else (GoType("unknown"),))
    items: list[GoType] = []
    for param in result.named_children:
        if param.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        t = type_from_node(file, param.child_by_field_name("type")) or GoType("unknown")
        items.extend([t] * max(1, len(param.children_by_field_name("name"))))
    return GoType("func", items=tuple(items))


def type_from_node(file: GoFile, node: Node | None, depth: int = 0) -> GoType | None:
    if node is None or depth > _MAX_DEPTH:
        return None
    pkg = file.package
    if pkg is None:
        return _type_from_node(file, node, depth)
    key = (id(file), node, depth)  # the file's imports say what a qualified name means
    memo = pkg.node_types
    try:
        return memo[key]
    except KeyError:
        pass
    found = memo[key] = _type_from_node(file, node, depth)
    return found


def _type_from_node(file: GoFile, node: Node, depth: int) -> GoType | None:
    kind = node.type
    if kind == "type_identifier":
        name = text(node)
        if name in BASIC:
            return basic(name)
        pkg = file.package
        if pkg is not None and pkg.lookup_type(name) is None:
            for path in file.dot_imports():
                return named(path, name)
        if pkg is not None:
            hit = pkg.lookup_type(name)
            if hit is not None and hit[1].type == "type_alias":
                return type_from_node(hit[0], hit[1].child_by_field_name("type"), depth + 1)
        return named("", name)
    if kind == "qualified_type":
        pkg_node = node.child_by_field_name("package")
        import_path = file.import_path(text(pkg_node))
        if import_path is None:
            return None
        return named(import_path, text(node.child_by_field_name("name")))
    if kind == "pointer_type":
        inner = type_from_node(file, node.named_children[0] if node.named_children else None, depth + 1)
        return pointer(inner) if inner is not None else None
    if kind == "channel_type":
        elem = type_from_node(file, node.child_by_field_name("value"), depth + 1)
        raw = text(node)
        direction = (
            "recv" if raw.startswith("<-") else "send" if raw.replace(" ", "").startswith("chan<-") else ""
        )
        return chan(elem, direction)
    if kind == "slice_type":
        return GoType("slice", elem=type_from_node(file, node.child_by_field_name("element"), depth + 1))
    if kind == "array_type":
        return GoType("array", elem=type_from_node(file, node.child_by_field_name("element"), depth + 1))
    if kind == "map_type":
        return GoType(
            "map",
            key=type_from_node(file, node.child_by_field_name("key"), depth + 1),
            elem=type_from_node(file, node.child_by_field_name("value"), depth + 1),
        )
    if kind == "function_type":
        return func_type(file, node)
    if kind == "struct_type":
        return GoType("struct")
    if kind == "interface_type":
        return GoType("interface")
    if kind == "generic_type":
        return type_from_node(file, node.child_by_field_name("type"), depth + 1)
    if kind in ("parenthesized_type", "type_elem") and node.named_children:
        return type_from_node(file, node.named_children[0], depth + 1)
    return None


def method_receiver_name(method: Node) -> str:
    return receiver_type_name(method)
