"""Call resolution across indirection: which functions a call can reach when the callee is a func value
(a local, a parameter, a struct field, a method value, a closure handed to a setter) or an interface
method (class-hierarchy analysis over the package's types).

Every answer is memoised in `ctx.shared` and computed only when a rule asks, so packages without
indirect calls pay nothing. The in-package call graph (callgraph.CallGraph) asks here for the calls
`Resolver.called_function` cannot resolve; rules may ask directly (see /work/notes/interproc-api.md):

- `call_targets(ctx, file, call)`: every function a call can run (direct and indirect), as `Target`s;
- `indirect_targets(ctx, file, call)`: only the indirect ones;
- `func_values(ctx, file, expr)`: the functions an expression of func type can hold;
- `implementations(ctx, file, iface, method)`: the package's methods an interface call can run;
- `field_stores(ctx, fname)`: where a struct field is assigned (`x.f = v`, `T{f: v}`, setters).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from leaktrail.rules.base import Context
from leaktrail.rules.tokens import is_word_byte, lines_with
from leaktrail.source.package import GoFile, Package, receiver_type_name
from leaktrail.source.parse import Node, captures, text, unparen
from leaktrail.source.resolve import FUNC_NODES, Decl, Resolver, enclosing_func
from leaktrail.source.types import GoType

if TYPE_CHECKING:
    from leaktrail.rules.callgraph import CallSite, Mutex

_MAX_DEPTH = 4
_MAX_TARGETS = 8
"""More candidates than this and the call is treated as unresolved (a dispatch table, not a callback)."""
_CALLS = "(call_expression) @c"
_RETURNS = "(return_statement) @r"


@dataclass(frozen=True, slots=True)
class Target:
    """A function a call can run."""

    file: GoFile
    node: Node
    """function_declaration, method_declaration or func_literal."""
    via: str
    """direct, closure (a local holding a literal), param, field, method-value, iface."""
    holder: Node | None = None
    """For a value stored in a struct field: the object it was stored into, in the storing function's
    terms (`le` of `le.SetCheckpointer(f)`); for a method value: its receiver expression (`c` of
    `c.Close`). None when unknown."""
    holder_file: GoFile | None = None


@dataclass(frozen=True, slots=True)
class Store:
    """One assignment of a value to a struct field."""

    file: GoFile
    value: Node
    obj: Node | None
    """The object whose field is set (`x` of `x.f = v`; the variable a `&T{f: v}` literal is bound to)."""
    owner: str
    """The struct type's name when known ("" otherwise)."""


def _memo(ctx: Context, key: str) -> dict[object, object]:
    table = ctx.shared.get(key)
    if table is None:
        table = ctx.shared[key] = {}
    assert isinstance(table, dict)
    return table


# -- call targets ---------------------------------------------------------------------------------------
def call_targets(ctx: Context, file: GoFile, call: Node) -> list[Target]:
    """Every same-package function `call` can run: the direct callee, else the indirect candidates."""
    direct = ctx.resolver(file).called_function(call)
    if direct is not None:
        return [Target(direct[0], direct[1], "direct")]
    fn = unparen(call.child_by_field_name("function") or call)
    if fn.type == "func_literal":
        return [Target(file, fn, "direct")]
    return indirect_targets(ctx, file, call)


def indirect_targets(ctx: Context, file: GoFile, call: Node) -> list[Target]:
    """The functions a call through a func value or an interface can run (empty when unknown, or when
    there are more than a handful of candidates)."""
    memo = _memo(ctx, "interproc:targets")
    key = (id(file), call.start_byte)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _indirect(ctx, file, call)
    assert isinstance(found, list)
    return found


def _indirect(ctx: Context, file: GoFile, call: Node) -> list[Target]:
    fn = unparen(call.child_by_field_name("function") or call)
    res = ctx.resolver(file)
    if fn.type == "identifier":
        if res.decl_of(fn) is None:
            return []  # a package function (direct) or a builtin
        return _cap(func_values(ctx, file, fn), call)
    if fn.type != "selector_expression":
        return []
    operand = fn.child_by_field_name("operand")
    mname = text(fn.child_by_field_name("field"))
    if operand is not None and text(operand) == "fmt" and mname in _FMT_PRINTERS:
        return fmt_string_targets(ctx, file, call)
    if operand is None or (operand.type == "identifier" and res.is_import(operand) is not None):
        return []
    base = res.infer(operand)
    if base is None:
        return []
    if mname == "Do" and base.deref().is_named("sync", "Once"):
        args = call.child_by_field_name("arguments")  # once.Do(f) runs f right here
        if args is None or not args.named_children:
            return []
        return [Target(t.file, t.node, "once") for t in _cap(func_values(ctx, file, args.named_children[0]))]
    if res.method_owner(base, mname) is not None:
        return []  # a concrete method: Resolver.called_function's business
    iface = interface_name(res, base)
    if iface is not None:
        impls = implementations(ctx, file, iface, mname)
        if len(impls) > 1:
            known = concrete_types(ctx, file, operand)  # narrowed to what is stored / passed there
            if known is not None:
                impls = [(f, m) for f, m in impls if receiver_type_name(m) in known]
        return _cap([Target(f, m, "iface") for f, m in impls])
    ft = res.field_type(base, mname)
    if ft is None or (ft.kind != "func" and not _named_func(res, ft)):
        return []
    return _cap(func_values(ctx, file, fn), call)


def concrete_types(ctx: Context, file: GoFile, expr: Node, depth: int = 0) -> set[str] | None:
    """The package's concrete types an interface-typed expression can hold, from what is stored into it
    (`x.f = v`, `T{f: v}`), assigned to it, or passed for it (a parameter's arguments at every call);
    None when any source is unknown."""
    if depth > _MAX_DEPTH:
        return None
    memo = _memo(ctx, "interproc:concrete")
    key = (id(file), expr.start_byte, expr.end_byte)
    if key in memo:
        found = memo[key]
        return set(found) if isinstance(found, frozenset) else None
    memo[key] = None  # cycle guard: unknown
    result = _concrete(ctx, file, unparen(expr), depth)
    memo[key] = frozenset(result) if result is not None else None
    return result


def _concrete(ctx: Context, file: GoFile, expr: Node, depth: int) -> set[str] | None:
    res = ctx.resolver(file)
    t = res.infer(expr)
    if t is not None:
        d = t.deref()
        if d.kind == "named" and not d.pkg and interface_name(res, d) is None:
            return {d.name} if ctx.pkg.lookup_type(d.name) is not None else None
    kind = expr.type
    if kind == "identifier":
        decl = res.decl_of(expr)
        if decl is None:
            return None
        if decl.kind == "param":
            index = _param_index(decl.func, decl.ident)
            calls = callers(ctx, file, decl.func)
            if index is None or not calls:
                return None
            return _union(ctx, [(cf, _arg(call, index)) for cf, call in calls], depth)
        if decl.kind in ("short", "var") and decl.value is not None and not decl.multi:
            if any(_assigned_value(r) is not None for r in res.references(decl)):
                return None
            return concrete_types(ctx, file, decl.value, depth + 1)
        return None
    if kind == "selector_expression":
        operand = expr.child_by_field_name("operand")
        fname = text(expr.child_by_field_name("field"))
        base = res.infer(operand) if operand is not None else None
        owner = res.field_owner(base, fname) if base is not None else None
        if owner is None:
            return None
        stores = [st for st in field_stores(ctx, fname) if not st.owner or st.owner == owner.name]
        return _union(ctx, [(st.file, st.value) for st in stores], depth) if stores else None
    if kind == "call_expression":
        callee = res.called_function(expr)
        if callee is None:
            return None
        values: list[tuple[GoFile, Node | None]] = []
        for ret in _returns(ctx, callee[0], callee[1]):
            v = ret.named_children[0] if ret.named_child_count else None
            if v is not None and v.type == "expression_list":
                v = v.named_children[0] if v.named_child_count == 1 else None
            values.append((callee[0], v))
        return _union(ctx, values, depth) if values else None
    return None


def _arg(call: Node, index: int) -> Node | None:
    args = call.child_by_field_name("arguments")
    return args.named_children[index] if args is not None and index < args.named_child_count else None


def _union(ctx: Context, sources: list[tuple[GoFile, Node | None]], depth: int) -> set[str] | None:
    out: set[str] = set()
    for f, node in sources:
        got = concrete_types(ctx, f, node, depth + 1) if node is not None else None
        if got is None:
            return None
        out |= got
    return out


def _cap(targets: list[Target], call: Node | None = None) -> list[Target]:
    seen: dict[tuple[int, int], Target] = {}
    for t in targets:
        if call is not None and lexically_inside(call, t.node):
            continue  # a wrapper calling the value it replaced (`old := s.hook; s.hook = func() { old() }`)
        seen.setdefault((id(t.file), t.node.start_byte), t)
    return list(seen.values()) if len(seen) <= _MAX_TARGETS else []


def _named_func(res: Resolver, t: GoType) -> bool:
    """A named type whose underlying type is a func type (`type Checkpointer func(ctx)`)."""
    d = t.deref()
    if d.kind != "named" or d.pkg:
        return False
    hit = res.pkg.lookup_type(d.name)
    under = hit[1].child_by_field_name("type") if hit is not None else None
    return under is not None and under.type == "function_type"


# -- func values ----------------------------------------------------------------------------------------
def func_values(ctx: Context, file: GoFile, expr: Node, depth: int = 0) -> list[Target]:
    """The functions an expression of func type may hold, followed through locals, parameters (the
    arguments of the package's calls), struct fields (every store), method values, conversions and
    functions that return a literal."""
    if depth > _MAX_DEPTH:
        return []
    memo = _memo(ctx, "interproc:values")
    key = (id(file), expr.start_byte, expr.end_byte, depth)
    found = memo.get(key)
    if found is not None:
        assert isinstance(found, list)
        return found
    memo[key] = []  # cycle guard
    result = _values(ctx, file, unparen(expr), depth)
    memo[key] = result
    return result


def _values(ctx: Context, file: GoFile, expr: Node, depth: int) -> list[Target]:
    res = ctx.resolver(file)
    kind = expr.type
    if kind == "func_literal":
        return [Target(file, expr, "closure")]
    if kind == "identifier":
        decl = res.decl_of(expr)
        if decl is None:
            fn = res.pkg.lookup_func(text(expr))
            return [Target(fn[0], fn[1], "direct")] if fn is not None else []
        if decl.kind == "param":
            return _param_values(ctx, file, decl.func, decl.ident, depth)
        if decl.kind not in ("short", "var"):
            return []
        out: list[Target] = []
        if decl.value is not None and not decl.multi:
            out.extend(func_values(ctx, file, decl.value, depth + 1))
        for ref in res.references(decl):
            value = _assigned_value(ref)
            if value is not None:
                out.extend(func_values(ctx, file, value, depth + 1))
        return out
    if kind == "selector_expression":
        operand = expr.child_by_field_name("operand")
        fname = text(expr.child_by_field_name("field"))
        if operand is None:
            return []
        if operand.type == "identifier" and res.is_import(operand) is not None:
            return []
        base = res.infer(operand)
        owner = res.method_owner(base, fname) if base is not None else None
        if owner is not None:
            if owner.pkg:
                return []
            m = res.pkg.lookup_method(owner.name, fname)
            return [Target(m[0], m[1], "method-value", operand, file)] if m is not None else []
        field_owner = res.field_owner(base, fname) if base is not None else None
        if field_owner is None:
            return []  # a field of another package's struct: stores we cannot all see
        out = []
        for st in field_stores(ctx, fname):
            if st.owner and st.owner != field_owner.name:
                continue
            for t in func_values(ctx, st.file, st.value, depth + 1):
                if t.via == "closure" and t.holder is None:
                    t = Target(t.file, t.node, "field", st.obj, st.file)
                elif t.via == "method-value" and _same_object(ctx, st, t):
                    t = Target(t.file, t.node, "field-method", st.obj, st.file)  # r.f = r.m
                out.append(t)
        return out
    if kind == "call_expression":
        callee_expr = unparen(expr.child_by_field_name("function") or expr)
        args = expr.child_by_field_name("arguments")
        single = args is not None and args.named_child_count == 1
        conversion = (
            callee_expr.type in ("identifier", "type_identifier")
            and res.pkg.lookup_type(text(callee_expr)) is not None
            and res.decl_of(callee_expr) is None
        ) or callee_expr.type in ("parenthesized_expression", "function_type", "qualified_type")
        if single and conversion and args is not None:
            return func_values(ctx, file, args.named_children[0], depth + 1)  # T(f)
        callee = res.called_function(expr)
        if callee is None:
            return []
        out = []
        for ret in _returns(ctx, callee[0], callee[1]):
            values = ret.named_children[0] if ret.named_child_count else None
            if values is not None and values.type == "expression_list" and values.named_child_count == 1:
                out.extend(func_values(ctx, callee[0], values.named_children[0], depth + 1))
            elif values is not None and values.type != "expression_list":
                out.extend(func_values(ctx, callee[0], values, depth + 1))
        return out
    return []


def _same_object(ctx: Context, st: Store, t: Target) -> bool:
    """The method value's receiver is the object it is stored into (`r.onChange = r.snapshot`)."""
    from leaktrail.rules.callgraph import instance_of

    if st.obj is None or t.holder is None or t.holder_file is not st.file:
        return False
    res = ctx.resolver(st.file)
    a, b = instance_of(res, st.obj), instance_of(res, t.holder)
    return a is not None and b is not None and a[:3] == b[:3]


def _returns(ctx: Context, file: GoFile, func: Node) -> list[Node]:
    """The return statements of `func` itself (not of literals in it), once per function: the func-value,
    concrete-type and returned-channel questions ask for the same callees again and again."""
    return ctx.per_function("interproc:returns", file, func, lambda: _own_returns(func))


def _own_returns(func: Node) -> list[Node]:
    return [r for r in captures(_RETURNS, func).get("r", []) if enclosing_func(r) == func]


def _assigned_value(ident: Node) -> Node | None:
    """The value of `ident = v` (ident a target of a plain assignment), else None."""
    parent = ident.parent
    if parent is None or parent.type != "expression_list":
        return None
    stmt = parent.parent
    if stmt is None or stmt.type != "assignment_statement" or stmt.child_by_field_name("left") != parent:
        return None
    right = stmt.child_by_field_name("right")
    if right is None:
        return None
    lefts = parent.named_children
    rights = right.named_children if right.type == "expression_list" else [right]
    if len(lefts) != len(rights):
        return None
    for i, n in enumerate(lefts):
        if n == ident:
            return rights[i]
    return None


def _param_values(ctx: Context, file: GoFile, func: Node, ident: Node, depth: int) -> list[Target]:
    """The func values the package passes for one parameter of `func`."""
    index = _param_index(func, ident)
    if index is None:
        return []
    out: list[Target] = []
    for cfile, call in callers(ctx, file, func):
        args = call.child_by_field_name("arguments")
        if args is None or index >= args.named_child_count:
            continue
        out.extend(func_values(ctx, cfile, args.named_children[index], depth + 1))
    return out


def _param_index(func: Node, ident: Node) -> int | None:
    """Position of the parameter `ident` declares in `func` (one implementation, in the lock call graph)."""
    from leaktrail.rules.callgraph import param_index

    return param_index(func, ident)


def callers(ctx: Context, file: GoFile, func: Node) -> list[tuple[GoFile, Node]]:
    """The package's calls of a function or method (a literal: the calls of the local it is bound to,
    and the calls it is passed to are not followed)."""
    memo = _memo(ctx, "interproc:callers")
    key = (id(file), func.start_byte)
    found = memo.get(key)
    if found is not None:
        assert isinstance(found, list)
        return found
    out: list[tuple[GoFile, Node]] = []
    memo[key] = out
    name = text(func.child_by_field_name("name"))
    if func.type == "func_literal" or not name:
        return out
    needle = f"{name}(".encode()
    for f in ctx.pkg.files_containing(needle):
        res = ctx.resolver(f)
        for call in _calls_of(ctx, f, name):
            target = res.called_function(call)
            if target is not None and target[1] == func:
                out.append((f, call))
            elif (
                target is None
                and func.type == "method_declaration"
                and any(t.node == func for t in indirect_targets(ctx, f, call))
            ):
                out.append((f, call))  # through an interface
    return out


def _calls_named(ctx: Context, file: GoFile) -> dict[str, list[Node]]:
    memo = _memo(ctx, "interproc:calls-named")
    found = memo.get(id(file))
    if found is None:
        table: dict[str, list[Node]] = {}
        for call in ctx.query(file, _CALLS).get("c", []):
            fn = unparen(call.child_by_field_name("function") or call)
            name = text(fn.child_by_field_name("field")) if fn.type == "selector_expression" else text(fn)
            table.setdefault(name, []).append(call)
        found = memo[id(file)] = table
    assert isinstance(found, dict)
    return found


def _calls_of(ctx: Context, file: GoFile, name: str) -> list[Node]:
    """`_calls_named(ctx, file).get(name, [])`, found from the name's occurrences (the file's names
    index) instead of from every call of the file: a call `name(…)`, `(name)(…)` or `x.name(…)`."""
    table = _memo(ctx, "interproc:calls-named").get(id(file))
    if table is not None:
        assert isinstance(table, dict)
        return list(table.get(name, ()))
    memo = _memo(ctx, "interproc:calls-of")
    key = (id(file), name)
    found = memo.get(key)
    if found is None:
        calls: list[Node] = []
        for ident in file.identifiers.get(name, ()):
            call = _call_of_function(ident)
            if call is not None:
                calls.append(call)
        for field in file.field_identifiers.get(name, ()):
            sel = field.parent
            if sel is None or sel.type != "selector_expression" or sel.child_by_field_name("field") != field:
                continue
            call = _call_of_function(sel)
            if call is not None:
                calls.append(call)
        calls.sort(key=lambda c: (c.start_byte, -c.end_byte))  # document order, as a query gives
        found = memo[key] = calls
    assert isinstance(found, list)
    return found


def _call_of_function(node: Node) -> Node | None:
    """The call whose function is `node` once parentheses are taken off (unparen)."""
    cur, parent = node, node.parent
    while parent is not None and parent.type == "parenthesized_expression" and parent.named_child_count == 1:
        cur, parent = parent, parent.parent
    if parent is None or parent.type != "call_expression" or parent.child_by_field_name("function") != cur:
        return None
    return parent


# -- field stores ---------------------------------------------------------------------------------------
def field_stores(ctx: Context, fname: str) -> list[Store]:
    """Every value the package stores into a struct field named `fname`: `x.f = v`, `T{f: v}` and
    setters (`func (r *T) SetF(f F) { r.f = f }` called as `x.SetF(v)`)."""
    memo = _memo(ctx, "interproc:stores")
    found = memo.get(fname)
    if found is not None:
        assert isinstance(found, list)
        return found
    out: list[Store] = []
    memo[fname] = out
    needle = fname.encode()
    provable = _WORD_NAME.fullmatch(needle) is not None
    for f in ctx.pkg.files_containing(needle):
        if (
            provable
            and not f.parsed
            and not may_store(f.data, needle, f.literals.covers)
            and _reads_cleanly(f)
        ):
            continue  # no store of the field in it: read from the bytes, the file stays unparsed
        if fname not in f.field_identifiers and fname not in f.identifiers:
            continue
        res = ctx.resolver(f)
        for sel in f.field_identifiers.get(fname, ()):
            expr = sel.parent
            if expr is None or expr.type != "selector_expression":
                continue
            value = _assigned_value(expr)
            if value is None:
                continue
            obj = expr.child_by_field_name("operand")
            t = res.infer(obj) if obj is not None else None
            owner = res.field_owner(t, fname) if t is not None else None
            out.extend(_through_setter(ctx, f, value, obj, owner.name if owner else ""))
        for ident in f.identifiers.get(fname, ()):
            key_el = ident.parent
            keyed = key_el.parent if key_el is not None else None
            if (
                key_el is None
                or keyed is None
                or (key_el.type, keyed.type) != ("literal_element", "keyed_element")
            ):
                continue
            if keyed.named_children[0] != key_el or keyed.named_child_count < 2:
                continue
            value_el = keyed.named_children[1]
            value = value_el.named_children[0] if value_el.named_children else None
            lit = keyed.parent.parent if keyed.parent is not None else None
            if value is None or lit is None or lit.type != "composite_literal":
                continue
            t = res.type_of_node(lit.child_by_field_name("type"))
            owner_name = t.name if t is not None and t.kind == "named" and not t.pkg else ""
            out.append(Store(f, value, _bound_variable(lit), owner_name))
    return out


_WORD_NAME = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_WORD_BYTES = frozenset(b for b in range(256) if is_word_byte(b))
_NOT_A_STORE_AFTER = frozenset(b".()[]{};\"`'") | _WORD_BYTES
"""The first byte of a token that never follows the field of a store (`x.f = v`, `x.f, y = …`, `x.f += v`)
nor the key of `{f: v}`: a selector, a call, an index, a closing bracket, a literal, a word (`f int`)."""
_NOT_A_STORE_PAIRS = frozenset((b"==", b"!=", b"&&", b"||", b"<-", b"++", b"--", b"<=", b">=", b":="))
"""Two-byte tokens that follow no store's field or key (`x.f == y`, `x.f <- v`, `x.f++`, `f := v`)."""
_OPERATOR_BYTES = frozenset(b"+-*/%^|&<>")
"""A binary or unary operator: followed at once by a word it is no assignment operator (`x.f -m`, `f *T`)."""


def may_store(data: bytes, name: bytes, covered: Callable[[int, int], bool] | None = None) -> bool:
    """Whether a file may hold a store field_stores reports for the field `name` (a word): the field of
    a selector (`.` before it, past blanks) in the left list of an assignment, followed by `,` or an
    assignment operator, or the key of a keyed element, followed by `:`. False when the token after
    every whole-word occurrence of `name` (blanks and comments skipped) is one no such store has after
    its name (_NOT_A_STORE_AFTER, _NOT_A_STORE_PAIRS, an operator then a word), or, for an occurrence
    no `.` precedes (no selector's field), anything but `:`; an occurrence `covered` says lies in a
    comment or a raw string or rune literal (GoFile.literals.covers) is no token. Anything else (a
    byte Go does not allow there, the end of the file, a comment before it) answers True: the file is
    parsed and asked."""
    pattern = _WORD_END.get(name)
    if pattern is None:
        if len(_WORD_END) >= 4096:
            _WORD_END.clear()  # (a long-lived process: the names of many packages)
        pattern = _WORD_END[name] = re.compile(re.escape(name) + rb"(?![A-Za-z0-9_])")
    word = _WORD_BYTES
    plain = _PLAINLY_NOT_A_STORE.match
    last = len(data)
    for m in pattern.finditer(data):
        at, end = m.span()
        if (at > 0 and data[at - 1] in word and _inside_word(data, at)) or plain(data, end) is not None:
            continue  # inside a longer word, or plainly followed by a harmless token
        if covered is not None and covered(at, end):
            continue  # in a comment or a raw string or rune literal: no token
        i = _next_token(data, end)  # a comment or an odd token follows
        if i < 0:
            return True
        c = data[i]
        if (
            c in _NOT_A_STORE_AFTER
            or data[i : i + 2] in _NOT_A_STORE_PAIRS
            or (c in _OPERATOR_BYTES and i + 1 < last and data[i + 1] in word)
        ):
            continue
        if _after_dot_or_comment(data, at):
            return True  # a selector's field (or a comment before it): any store form
        if c == 0x3A and data[i + 1 : i + 2] != b"=":  # ":" but not ":="
            return True  # a key
    return False


_WORD_END: dict[bytes, re.Pattern[bytes]] = {}
_PLAINLY_NOT_A_STORE = re.compile(
    rb"[ \t\r\n]*(?:[.()\[\]{};\"`'A-Za-z0-9_]|==|!=|&&|\|\||<-|\+\+|--|<=|>=|:=|[-+*/%^|&<>][A-Za-z0-9_])"
)
"""Blanks, then a token of _NOT_A_STORE_AFTER, _NOT_A_STORE_PAIRS or an operator then a word: the common
case, read in C; a comment (or anything else) is read by _next_token."""


def _inside_word(data: bytes, at: int) -> bool:
    """The occurrence at `at` (after a word byte) is no token: tree-sitter-go ends a token inside a run
    of word bytes only after a number literal (`0x1fstop`) or an escape sequence (`\\nstop`, lexed as
    code where the grammar wants no string), as GoFile.lacks_token reads it."""
    start = at
    while start > 0 and data[start - 1] in _WORD_BYTES:
        start -= 1
    return not (0x30 <= data[start] <= 0x39 or (start > 0 and data[start - 1] == 0x5C))


def _reads_cleanly(file: GoFile) -> bool:
    """The file's comments and literals all close, its code is ASCII and its brackets pair up and nest
    (workers.reads_cleanly): the usual sources of a syntax error, whose recovery may read a
    store where the bytes hold none, are ruled out before a file is skipped unparsed (once per file)."""
    found = _CLEAN.get(file)
    if found is None:
        from leaktrail.rules.workers import reads_cleanly

        found = _CLEAN[file] = reads_cleanly(file.data)
    return found


_CLEAN: weakref.WeakKeyDictionary[GoFile, bool] = weakref.WeakKeyDictionary()


def _after_dot_or_comment(data: bytes, at: int) -> bool:
    """The last byte before `at`, past blanks, is a `.` (a selector's field follows it) or may end a
    comment: a `/` (`*/`), or a line break after a line holding `//`."""
    j = at - 1
    while True:
        while j >= 0 and data[j] in b" \t\r":
            j -= 1
        if j < 0 or data[j] != 0x0A:
            return j >= 0 and data[j] in b"./"
        if b"//" in data[data.rfind(b"\n", 0, j) + 1 : j]:
            return True
        j -= 1


def _next_token(data: bytes, i: int) -> int:
    """Where the next token starts at or after i, past Go's blanks (space, tab, CR, LF) and comments;
    -1 at the end of the file or inside an unterminated comment."""
    last = len(data)
    while True:
        while i < last and data[i] in b" \t\r\n":
            i += 1
        if i >= last:
            return -1
        if data[i] != 0x2F:  # "/"
            return i
        if data.startswith(b"//", i):
            i = data.find(b"\n", i)
            if i < 0:
                return -1
        elif data.startswith(b"/*", i):
            i = data.find(b"*/", i + 2)
            if i < 0:
                return -1
            i += 2
        else:
            return i


def _through_setter(ctx: Context, file: GoFile, value: Node, obj: Node | None, owner: str) -> list[Store]:
    """A store of a parameter into a field of the receiver is a setter: the stores are its callers'
    arguments, into the object it is called on."""
    res = ctx.resolver(file)
    v = unparen(value)
    if v.type == "identifier" and obj is not None and unparen(obj).type == "identifier":
        vdecl = res.decl_of(v)
        odecl = res.decl_of(unparen(obj))
        if vdecl is not None and odecl is not None and vdecl.kind == "param" and odecl.kind == "receiver":
            func = vdecl.func
            index = _param_index(func, vdecl.ident)
            if func.type == "method_declaration" and index is not None:
                out: list[Store] = []
                for cfile, call in callers(ctx, file, func):
                    args = call.child_by_field_name("arguments")
                    fn = unparen(call.child_by_field_name("function") or call)
                    if args is None or index >= args.named_child_count:
                        continue
                    holder = fn.child_by_field_name("operand") if fn.type == "selector_expression" else None
                    out.append(Store(cfile, args.named_children[index], holder, owner))
                return out
    return [Store(file, value, obj, owner)]


def _bound_variable(lit: Node) -> Node | None:
    """The variable a composite literal (or its address) is bound to by `x := &T{…}` / `x = T{…}`."""
    node = lit
    if node.parent is not None and node.parent.type == "unary_expression":
        node = node.parent
    values = node.parent
    if values is None or values.type != "expression_list":
        return None
    stmt = values.parent
    if stmt is None or stmt.type not in ("short_var_declaration", "assignment_statement"):
        return None
    left = stmt.child_by_field_name("left")
    if left is None or stmt.child_by_field_name("right") != values:
        return None
    rights = values.named_children
    lefts = left.named_children
    if len(rights) != len(lefts):
        return None
    for i, n in enumerate(rights):
        if n == node:
            return lefts[i]
    return None


# -- interfaces -----------------------------------------------------------------------------------------
def interface_name(res: Resolver, t: GoType) -> str | None:
    """The name of a package-declared interface type `t` is (None for anything else)."""
    d = t.deref() if t.kind == "pointer" else t
    if d.kind != "named" or d.pkg:
        return None
    hit = res.pkg.lookup_type(d.name)
    under = hit[1].child_by_field_name("type") if hit is not None else None
    return d.name if under is not None and under.type == "interface_type" else None


def interface_methods(ctx: Context, name: str, depth: int = 0) -> set[str]:
    """The method names of a package interface (embedded package interfaces included)."""
    hit = ctx.pkg.lookup_type(name)
    under = hit[1].child_by_field_name("type") if hit is not None else None
    if hit is None or under is None or under.type != "interface_type" or depth > _MAX_DEPTH:
        return set()
    out: set[str] = set()
    for child in under.named_children:
        if child.type == "method_elem":
            n = child.child_by_field_name("name") or next(iter(child.named_children), None)
            if n is not None:
                out.add(text(n))
        elif child.type == "type_elem" and child.named_children:
            inner = child.named_children[0]
            if inner.type == "type_identifier":
                out |= interface_methods(ctx, text(inner), depth + 1)
    return out


_METHOD_DECL = re.compile(
    rb"\nfunc[ \t]*\([^)]*?\*?[ \t]*([A-Za-z_]\w*)(?:\[[^\]]*\])?\)[ \t]*([A-Za-z_]\w*)"
)
"""Read over the bytes with a newline prepended: led by a literal, not by `^` under re.M (which tries
every position of the file)."""


def _methods_by_name(ctx: Context) -> dict[str, set[str]]:
    """Method name -> receiver type names, from the bytes of gofmt'd declarations (no parsing)."""
    found = ctx.shared.get("interproc:methods")
    if found is None:
        table: dict[str, set[str]] = {}
        for f in ctx.pkg.files:
            for recv, name in _METHOD_DECL.findall(b"\n" + f.data):
                table.setdefault(name.decode(), set()).add(recv.decode())
        found = ctx.shared["interproc:methods"] = table
    assert isinstance(found, dict)
    return found


def implementations(ctx: Context, file: GoFile, iface: str, method: str) -> list[tuple[GoFile, Node]]:
    """The package's methods `method` of the types that implement interface `iface` and that the
    package creates (`T{…}`, `&T{…}`, `new(T)` or a conversion `T(…)`): class-hierarchy analysis
    narrowed to instantiated types."""
    memo = _memo(ctx, "interproc:impls")
    key = (iface, method)
    found = memo.get(key)
    if found is not None:
        assert isinstance(found, list)
        return found
    out: list[tuple[GoFile, Node]] = []
    memo[key] = out
    wanted = interface_methods(ctx, iface)
    if method not in wanted:
        return out
    table = _methods_by_name(ctx)
    for recv in sorted(table.get(method, ())):
        if not all(recv in table.get(m, ()) for m in wanted):
            continue
        if not _instantiated(ctx, recv):
            continue
        hit = ctx.pkg.lookup_method(recv, method)
        if hit is not None:
            out.append(hit)
    return out


def _instantiated(ctx: Context, name: str) -> bool:
    """Some file writes `T{`, `T(` or `T[` (T not the end of a longer word) or `new(T)`: found by
    jumping between the name's occurrences (no regex compiled per name, none trying every byte). Once
    per package and name (implementations asks for each interface method)."""
    memo = _memo(ctx, "interproc:instantiated")
    found = memo.get(name)
    if found is None:
        found = memo[name] = _instantiated_bytes(ctx, name)
    return bool(found)


def _instantiated_bytes(ctx: Context, name: str) -> bool:
    word = name.encode()
    alloc = b"new(" + word + b")"
    size = len(word)
    for f in ctx.pkg.files_containing(word):
        data = f.data
        if alloc in data:
            return True
        at = data.find(word)
        while at >= 0:
            if data[at + size : at + size + 1] in _OPENERS and (at == 0 or not is_word_byte(data[at - 1])):
                return True
            at = data.find(word, at + 1)
    return False


_OPENERS = (b"{", b"(", b"[")


# -- object identity across an indirect call ------------------------------------------------------------
def lexically_inside(node: Node, outer: Node) -> bool:
    return outer.start_byte <= node.start_byte and node.end_byte <= outer.end_byte


def holder_of(ctx: Context, file: GoFile, call: Node, target: Node) -> Target | None:
    """The Target record (with its holder) by which `call` reaches `target` indirectly, if any."""
    for t in indirect_targets(ctx, file, call):
        if t.node == target:
            return t
    return None


def owning_function(node: Node) -> Node | None:
    """The outermost function around a node (a literal's declaring function)."""
    found = None
    p: Node | None = node
    while p is not None:
        if p.type in FUNC_NODES:
            found = p
        p = p.parent
    return found


def translate_indirect(ctx: Context, m: Mutex, site: CallSite) -> tuple[bool, Mutex | None]:
    """A callee's mutex in the caller's terms when the call reached it indirectly: (handled, mutex).

    A closure stored into `x.f` and called as `y.f()` names the variables of the function that built
    it; when it reaches its mutex through the very object it was stored into (`le.cp = func() {
    le.Checkpoint() }`), the mutex is `y`'s. Anything else keeps only its class."""
    from leaktrail.rules.callgraph import Mutex, instance_of

    callee = site.callee.node
    if callee.type == "func_literal" and lexically_inside(callee, site.caller):
        return False, None
    t = holder_of(ctx, site.file, site.call, callee)
    if t is None or t.via in ("iface", "once"):
        return False, None
    if t.via == "fmt":  # the receiver is the printed argument
        arg = instance_of(ctx.resolver(site.file), t.holder) if t.holder is not None else None
        if m.root != "recv" or arg is None:
            return True, Mutex("unknown", str(site.call.start_byte), m.path, m.cls, m.text)
        return True, Mutex(arg[0], arg[1], arg[2] + m.path, m.cls, ".".join((arg[3], *m.path)))
    unknown = Mutex("unknown", str(site.call.start_byte), m.path, m.cls, m.text)
    if m.root == "global":
        return True, m
    fn = unparen(site.call.child_by_field_name("function") or site.call)
    operand = fn.child_by_field_name("operand") if fn.type == "selector_expression" else None
    if t.holder is None or t.holder_file is None:
        return True, unknown
    hold = instance_of(ctx.resolver(t.holder_file), t.holder)
    if hold is None:
        return True, unknown
    hroot, hbase, hpath, _ = hold
    if t.via == "field-method":
        here = instance_of(ctx.resolver(site.file), operand) if operand is not None else None
        if m.root != "recv" or here is None:
            return True, unknown
        return True, Mutex(here[0], here[1], here[2] + m.path, m.cls, ".".join((here[3], *m.path)))
    if t.via == "method-value":
        if m.root != "recv":
            return True, unknown
        if t.holder_file is site.file and enclosing_func(t.holder) == site.caller:
            return True, Mutex(hroot, hbase, hpath + m.path, m.cls, ".".join((text(t.holder), *m.path)))
        return True, unknown
    if operand is None or (m.root, m.base) != (hroot, hbase):
        return True, unknown
    here = instance_of(ctx.resolver(site.file), operand)
    if here is None:
        return True, unknown
    root, base, path, written = here
    # through the holder itself, or through an object that holds it in a field (`p.hooks =
    # hooks{onPut: func() { p.count() }}` called as `x.hooks.onPut()`: p is x)
    k = len(hpath)
    while k >= 0 and not (m.path[:k] == hpath[:k] and path[len(path) - (len(hpath) - k) :] == hpath[k:]):
        k -= 1
    if k < 0 or (k < len(hpath) and len(path) < len(hpath) - k):
        return True, unknown
    path = path[: len(path) - (len(hpath) - k)]
    written = written.rsplit(".", len(hpath) - k)[0] if k < len(hpath) else written
    rest = m.path[k:]
    return True, Mutex(root, base, path + rest, m.cls, ".".join((written, *rest)))


def unalias(ctx: Context, file: GoFile, expr: Node, m: Mutex) -> Mutex | None:
    """`expr.a.b…` (a callee's mutex at path m.path below `expr`) when `expr` is a local bound once to
    a struct built around another object: `x := &T{c: y}` or `x := NewT(y)` with NewT returning
    `&T{c: param}`; then x.c is y. Returns the mutex in terms of y, or None."""
    from leaktrail.rules.callgraph import Mutex, instance_of

    e = unparen(expr)
    if e.type != "identifier" or not m.path:
        return None
    res = ctx.resolver(file)
    decl = res.decl_of(e)
    if decl is None or decl.kind != "short" or decl.value is None or decl.multi:
        return None
    if any(_assigned_value(r) is not None for r in res.references(decl)):
        return None
    fields = _literal_fields(ctx, file, decl.value, 0)
    if fields is None:
        return None
    vfile, value = fields.get(m.path[0], (file, None))
    if value is None:
        return None
    inst = instance_of(ctx.resolver(vfile), value)
    if inst is None or (vfile is not file and inst[0] != "global"):
        return None
    root, base, path, written = inst
    rest = m.path[1:]
    return Mutex(root, base, path + rest, m.cls, ".".join((written, *rest)))


def _literal_fields(
    ctx: Context, file: GoFile, value: Node, depth: int
) -> dict[str, tuple[GoFile, Node]] | None:
    """Field name -> (file, value expression in the caller's terms) of the struct literal a value is."""
    v = unparen(value)
    if v.type == "unary_expression" and v.named_child_count:
        v = unparen(v.named_children[-1])
    if v.type == "composite_literal":
        out: dict[str, tuple[GoFile, Node]] = {}
        body = v.child_by_field_name("body")
        for keyed in body.named_children if body is not None else []:
            if keyed.type != "keyed_element" or keyed.named_child_count < 2:
                continue
            k, val = keyed.named_children[0], keyed.named_children[1]
            if val.named_children:
                out[text(k)] = (file, val.named_children[0])
        return out
    if v.type != "call_expression" or depth > 1:
        return None
    res = ctx.resolver(file)
    callee = res.called_function(v)
    args = v.child_by_field_name("arguments")
    if callee is None or args is None:
        return None
    rets = _returns(ctx, callee[0], callee[1])
    if len(rets) != 1 or rets[0].named_child_count != 1:
        return None
    ret = rets[0].named_children[0]
    if ret.type == "expression_list":
        if ret.named_child_count != 1:
            return None
        ret = ret.named_children[0]
    inner = _literal_fields(ctx, callee[0], ret, depth + 1)
    if inner is None:
        return None
    cres = ctx.resolver(callee[0])
    out = {}
    for name, (_, val) in inner.items():
        u = unparen(val)
        d = cres.decl_of(u) if u.type == "identifier" else None
        if d is None or d.kind != "param" or d.func != callee[1]:
            continue
        index = _param_index(d.func, d.ident)
        if index is not None and index < args.named_child_count:
            out[name] = (file, args.named_children[index])
    return out


_NAMED_FUNC = re.compile(rb"\ntype[ \t]+([A-Za-z_]\w*)[ \t]+func\(")
"""Led by a literal newline (read over the bytes with one prepended) rather than `^` under re.M: the
regex engine then jumps between occurrences instead of trying every position."""
_FUNC_TYPED = re.compile(
    rb"(?:^[ \t]+|[(,][ \t]*)([A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)*)[ \t]+func\(", re.M
)


def func_field_names(ctx: Context) -> frozenset[str]:
    """Names of struct fields and parameters of func type (`onChange func()`, `cp Checkpointer`), from
    the bytes: the only calls worth resolving as func values (`s.onChange()`, `process()`)."""
    found = ctx.shared.get("interproc:func-fields")
    if found is None:
        names: set[bytes] = set()
        named: set[bytes] = set()
        for f in ctx.pkg.files_containing(b" func("):
            data = f.data
            for start, end in lines_with(data, b"func("):  # a match lies within one such line
                for group in _FUNC_TYPED.findall(data, start, end):
                    names.update(n.strip() for n in group.split(b","))
            if b"type " in data:
                named.update(_NAMED_FUNC.findall(b"\n" + data))
        for t in named:
            typed = re.compile(rb"([A-Za-z_]\w*)[ \t]+\*?" + re.escape(t) + rb"\b")
            for f in ctx.pkg.files_containing(t):
                data = f.data
                for start, end in lines_with(data, t):  # a match ends with t, within its line
                    names.update(typed.findall(data, start, end))
        if ctx.pkg.contains(b"sync.Once"):
            names.add(b"Do")  # once.Do(f) calls f
        if ctx.pkg.contains(b") String() string"):
            names.update(p.encode() for p in _FMT_PRINTERS)  # fmt calls String(): resolved too
        found = ctx.shared["interproc:func-fields"] = frozenset(n.decode() for n in names)
    assert isinstance(found, frozenset)
    return found


# -- the module: calls into other packages ----------------------------------------------------------------
_CONTEXTS: dict[int, Context] = {}


def package_context(pkg: Package) -> Context:
    """A Context for another package of the module (its own shared analyses), kept per process."""
    found = _CONTEXTS.get(id(pkg))
    if found is None or found.pkg is not pkg:
        found = _CONTEXTS[id(pkg)] = Context(pkg, list(pkg.files))
    return found


def module_callee(ctx: Context, file: GoFile, call: Node) -> tuple[Context, GoFile, Node] | None:
    """`pkg.F(…)` where pkg is another package of the same module, or `x.M(…)` where x's type is declared
    in one: (that package's context, the file declaring F, F). None for the standard library, other
    modules, or when F cannot be found."""
    fn = unparen(call.child_by_field_name("function") or call)
    if fn.type != "selector_expression":
        return None
    memo = _memo(ctx, "interproc:module-callee")
    key = (id(file), call.start_byte, call.end_byte)
    if key in memo:
        found = memo[key]
        return found if isinstance(found, tuple) else None
    result = memo[key] = _module_callee(ctx, file, fn)
    return result


def _module_callee(ctx: Context, file: GoFile, fn: Node) -> tuple[Context, GoFile, Node] | None:
    from leaktrail.source.module import in_module, load, module_dir

    operand = fn.child_by_field_name("operand")
    if operand is None:
        return None
    res = ctx.resolver(file)
    recv = ""  # `x.M(…)` where x's type is declared in another package of the module
    path = res.is_import(operand) if operand.type == "identifier" else None
    if path is None:
        t = res.infer(operand)
        t = t.deref() if t is not None else None
        if t is None or t.kind != "named" or not t.pkg:
            return None
        path, recv = t.pkg, t.name
    if not in_module(ctx.pkg.module, path):
        return None
    if module_dir(ctx.pkg.module, path) == ctx.pkg.dir:
        return None  # this very package
    other = load(ctx.pkg.module, path)
    if other is None:
        return None
    name = text(fn.child_by_field_name("field"))
    found = other.lookup_method(recv, name) if recv else other.lookup_func(name)
    if found is None:
        return None
    return package_context(other), found[0], found[1]


def returned_channel(ctx: Context, file: GoFile, func: Node) -> tuple[str, Node] | None:
    """Summary of what `func` returns as a channel: ("unclosed", the make/field expression) when it
    returns a channel that nothing in its package ever closes; None when it is closed somewhere, comes
    from a parameter, or escapes to code that may close it."""
    from leaktrail.rules.objects import identity

    memo = _memo(ctx, "interproc:returned-chan")
    key = (id(file), func.start_byte)
    if key in memo:
        found = memo[key]
        return found if isinstance(found, tuple) else None
    memo[key] = None
    res = ctx.resolver(file)
    result: tuple[str, Node] | None = None
    for ret in _returns(ctx, file, func):
        if ret.named_child_count != 1:
            continue
        value = ret.named_children[0]
        if value.type == "expression_list":
            if value.named_child_count != 1:
                continue
            value = value.named_children[0]
        value = unparen(value)
        ident = identity(res, value)
        if ident is None:
            return None
        t = res.infer(value)
        if t is None or t.kind != "chan":
            return None
        if ident[0] == "local":
            decl = res.decl_of(value)
            if decl is None or not _local_never_closed(res, decl, func):
                return None
        elif ident[0] == "field":
            if _field_closed(ctx, ident):
                return None
        else:
            return None
        result = ("unclosed", value)
    memo[key] = result
    return result


def _local_never_closed(res: Resolver, decl: Decl, func: Node) -> bool:
    """A local channel that is never closed, stored, or handed to a call that might close it."""
    if decl.value is None or "make" not in text(decl.value)[:5]:
        return False
    for ref in res.references(decl):
        parent = ref.parent
        if parent is None:
            continue
        if parent.type == "argument_list":
            return False  # close(ch) or handed to a call
        if parent.type in ("send_statement", "unary_expression", "range_clause"):
            continue
        if parent.type == "expression_list":
            stmt = parent.parent
            if stmt is not None and stmt.type == "return_statement":
                continue
        return False  # stored or copied: someone else may close it
    return True


def _field_closed(ctx: Context, key: tuple[object, ...]) -> bool:
    from leaktrail.rules.objects import identity

    fname = str(key[2])
    for f in ctx.pkg.files_containing(b"close("):
        if fname.encode() not in f.data:
            continue
        res = ctx.resolver(f)
        for ident in f.field_identifiers.get(fname, ()):
            sel = ident.parent
            parent = sel.parent if sel is not None else None
            if parent is not None and parent.type == "argument_list" and identity(res, sel) == key:
                return True  # closed, or handed to a call that may close it
    return False


def first_target(
    ctx: Context, file: GoFile, call: Node, wanted: Callable[[GoFile, Node], bool]
) -> tuple[GoFile, Node] | None:
    """The first function an indirect call (func value, interface) can run for which `wanted` holds:
    a rule's one-line way to look behind a callback (`res.called_function(call) or first_target(…)`)."""
    for t in indirect_targets(ctx, file, call):
        if wanted(t.file, t.node):
            return t.file, t.node
    return None


# -- sync.Cond lockers and fmt's String() calls ---------------------------------------------------------
_READ_LOCKER = {"Lock": "RLock", "Unlock": "RUnlock", "TryLock": "TryRLock"}


def cond_locker_call(ctx: Context, res: Resolver, call: Node) -> tuple[str | None, Mutex | None]:
    """`x.cond.L.Lock()` (or `c.L.Lock()` on a local Cond) where the Cond's Locker is `m.RLocker()` or
    `&m` — made by `sync.NewCond(…)`, `sync.Cond{L: …}` or set by `cond.L = …`: the mutex call it really
    is (RLock/RUnlock of m for an RLocker). (None, None) otherwise."""
    from leaktrail.rules.callgraph import Mutex, _class_of, instance_of

    fn = call.child_by_field_name("function")
    lsel = fn.child_by_field_name("operand") if fn is not None else None
    method = text(fn.child_by_field_name("field")) if fn is not None else ""
    if lsel is None or unparen(lsel).type != "selector_expression" or method not in _READ_LOCKER:
        return None, None
    lsel = unparen(lsel)
    condx = lsel.child_by_field_name("operand")
    if text(lsel.child_by_field_name("field")) != "L" or condx is None:
        return None, None
    condx = unparen(condx)
    ct = res.infer(condx)
    if ct is None or not ct.deref().is_named("sync", "Cond"):
        return None, None
    if condx.type == "identifier":  # a local Cond: its Locker is named in this function's terms
        decl = res.decl_of(condx)
        if decl is None or decl.value is None or decl.multi:
            return None, None
        found = _locker_of(decl.value)
        if found is None:
            return None, None
        arg, read = found
        inst = instance_of(res, arg)
        if inst is None:
            return None, None
        real = _READ_LOCKER[method] if read else method
        return real, Mutex(inst[0], inst[1], inst[2], _class_of(res, arg, inst), inst[3])
    if condx.type != "selector_expression":
        return None, None
    cfield = text(condx.child_by_field_name("field"))
    holder = condx.child_by_field_name("operand")
    here = instance_of(res, holder) if holder is not None else None
    if here is None:
        return None, None
    htype = res.infer(holder) if holder is not None else None
    owner = res.field_owner(htype, cfield) if htype is not None else None
    if owner is None:
        return None, None
    sources: list[tuple[GoFile, Node, Node]] = [  # (file, the object holding the Cond, the Cond value)
        (st.file, st.obj, st.value)
        for st in field_stores(ctx, cfield)
        if st.obj is not None and st.owner == owner.name
    ]
    for st in field_stores(ctx, "L"):  # x.cond.L = m.RLocker()
        o = unparen(st.obj) if st.obj is not None else None
        if (
            o is not None
            and o.type == "selector_expression"
            and text(o.child_by_field_name("field")) == cfield
        ):
            inner = o.child_by_field_name("operand")
            itype = ctx.resolver(st.file).infer(inner) if inner is not None else None
            iowner = ctx.resolver(st.file).field_owner(itype, cfield) if itype is not None else None
            if inner is not None and iowner is not None and iowner.name == owner.name:
                sources.append((st.file, inner, st.value))
    for sfile, obj, value in sources:
        found = _locker_of(value) if sources and value is not None else None
        if found is None:
            continue
        arg, read = found
        sres = ctx.resolver(sfile)
        minst, oinst = instance_of(sres, arg), instance_of(sres, obj)
        if minst is None or oinst is None or minst[:2] != oinst[:2] or minst[2][: len(oinst[2])] != oinst[2]:
            continue
        rest = minst[2][len(oinst[2]) :]
        real = _READ_LOCKER[method] if read else method
        return real, Mutex(
            here[0], here[1], here[2] + rest, _class_of(sres, arg, minst), ".".join((here[3], *rest))
        )
    return None, None


def _locker_of(value: Node) -> tuple[Node, bool] | None:
    """(the mutex expression, through RLocker) of a Cond value or Locker value: `sync.NewCond(x)`,
    `&sync.Cond{L: x}`, or x itself, with x `m.RLocker()`, `&m` or `m`."""
    v = unparen(value)
    if v.type == "unary_expression" and v.named_child_count:
        v = unparen(v.named_children[-1])
    if v.type == "call_expression" and text(v.child_by_field_name("function")) == "sync.NewCond":
        args = v.child_by_field_name("arguments")
        if args is None or not args.named_children:
            return None
        v = unparen(args.named_children[0])
    elif v.type == "composite_literal" and text(v.child_by_field_name("type")) == "sync.Cond":
        body = v.child_by_field_name("body")
        keyed = [k for k in (body.named_children if body is not None else []) if k.type == "keyed_element"]
        pairs = [k.named_children for k in keyed if k.named_child_count == 2]
        lval = next((p[1] for p in pairs if text(p[0]) == "L"), None)
        if lval is None or not lval.named_children:
            return None
        v = unparen(lval.named_children[0])
    if v.type == "call_expression":
        afn = v.child_by_field_name("function")
        if (
            afn is None
            or afn.type != "selector_expression"
            or text(afn.child_by_field_name("field")) != "RLocker"
        ):
            return None
        operand = afn.child_by_field_name("operand")
        return (unparen(operand), True) if operand is not None else None
    if v.type == "unary_expression" and v.named_child_count:
        return unparen(v.named_children[-1]), False
    return (v, False) if v.type in ("identifier", "selector_expression") else None


_FMT_PRINTERS = frozenset(
    ("Print", "Printf", "Println", "Sprint", "Sprintf", "Sprintln", "Fprint", "Fprintf", "Fprintln", "Errorf")
)


def fmt_string_targets(ctx: Context, file: GoFile, call: Node) -> list[Target]:
    """`fmt.Sprintf("%v", x)` calls x.String() when x's type (declared in the package) has one: those
    methods, each with its argument as the receiver (Target.holder)."""
    res = ctx.resolver(file)
    q = res.qualified_call(call)
    if q is None or not q.startswith("fmt.") or q[4:] not in _FMT_PRINTERS:
        return []
    args = call.child_by_field_name("arguments")
    out: list[Target] = []
    for arg in args.named_children if args is not None else []:
        t = res.infer(arg)
        owner = res.method_owner(t, "String") if t is not None else None
        if owner is None or owner.pkg:
            continue
        m = ctx.pkg.lookup_method(owner.name, "String")
        if m is not None:
            out.append(Target(m[0], m[1], "fmt", arg, file))
    return out
