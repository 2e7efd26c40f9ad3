"""Shared analysis: where goroutines start and which function body each one runs."""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from leaktrail.rules.base import Context
from leaktrail.source.package import GoFile
from leaktrail.source.parse import _INDEXES as _parse_indexes
from leaktrail.source.parse import Node, text, unparen
from leaktrail.source.resolve import Resolver, enclosing_func

GO_NEEDLES = (b"go ", b"go\t")
_STATEMENT_START = frozenset(b"\n{;:/")
"""What may precede a go statement's `go` (after blanks): a line break, `{`, `;`, a label's or case's `:`,
or a comment's `*/`. "go " in comments and strings ("go test", "Go 1.22") then costs no parse."""
_MAY_GO: weakref.WeakKeyDictionary[GoFile, bool] = weakref.WeakKeyDictionary()


def may_start_goroutine(file: GoFile) -> bool:
    """Cheap byte test, true for every file that holds a go statement (checked on the stdlib and the
    development corpus); false for most files that merely mention "go "."""
    found = _MAY_GO.get(file)
    if found is None:
        found = _MAY_GO[file] = _go_keyword(file.data)
    return found


def _go_keyword(data: bytes) -> bool:
    for needle in GO_NEEDLES:
        at = data.find(needle)
        while at >= 0:
            j = at - 1
            while j >= 0 and data[j] in (0x20, 0x09):
                j -= 1
            if j < 0 or data[j] in _STATEMENT_START:
                return True
            at = data.find(needle, at + 3)
    return False


@dataclass(frozen=True, slots=True)
class Goroutine:
    file: GoFile
    stmt: Node
    """The `go` statement."""
    body_file: GoFile
    func: Node
    """The function literal, function or method the goroutine runs."""

    @property
    def body(self) -> Node | None:
        return self.func.child_by_field_name("body")

    @property
    def named(self) -> bool:
        return self.func.type != "func_literal"


def goroutines(ctx: Context) -> list[Goroutine]:
    """Every `go` statement of the package whose target body is known (computed once per package)."""
    cached = ctx.shared.get("goroutines")
    if cached is not None:
        assert isinstance(cached, list)
        return cached
    found = ctx.shared["goroutines"] = _collect(ctx, None)
    return found


def goroutines_where(ctx: Context, keep: Callable[[GoFile], bool]) -> list[Goroutine]:
    """[g for g in goroutines(ctx) if keep(g.file)], without parsing the files `keep` refuses while the
    package's whole list is not built (a rule that proves from bytes that a file's goroutines cannot
    matter to it leaves the file unparsed)."""
    cached = ctx.shared.get("goroutines")
    if cached is not None:
        assert isinstance(cached, list)
        return [g for g in cached if keep(g.file)]
    return _collect(ctx, keep)


def _collect(ctx: Context, keep: Callable[[GoFile], bool] | None) -> list[Goroutine]:
    """The goroutines of the files that may start one (and that `keep` accepts), in file order."""
    found: list[Goroutine] = []
    seen: set[int] = set()
    for needle in GO_NEEDLES:
        for f in ctx.pkg.files_containing(needle):
            if id(f) in seen:
                continue
            seen.add(id(f))
            if not may_start_goroutine(f) or (keep is not None and not keep(f)):
                continue
            for stmt in go_statements(ctx, f):
                target = go_target(ctx, f, stmt)
                if target is not None:
                    found.append(Goroutine(f, stmt, target[0], target[1]))
    found.sort(key=lambda g: (str(g.file.path), g.stmt.start_byte))
    return found


GO_STATEMENTS = "(go_statement) @g"
DEFER_STATEMENTS = "(defer_statement) @d"
_KEYWORDS = {
    GO_STATEMENTS: (re.compile(rb"go\b"), "go", "go_statement", "g"),
    DEFER_STATEMENTS: (re.compile(rb"defer\b"), "defer", "defer_statement", "d"),
}


def go_statements(ctx: Context, file: GoFile) -> list[Node]:
    """ctx.query(file, GO_STATEMENTS)'s statements (keyword_statements)."""
    return keyword_statements(ctx, file, GO_STATEMENTS)


def go_statements_in(ctx: Context, file: GoFile, node: Node) -> list[Node]:
    """`captures("(go_statement) @g", node)` for a node of `file`: the file's go statements (from the
    bytes while its query index is not built) that start within the node and end in it, in order."""
    lo, hi = node.start_byte, node.end_byte
    return [s for s in go_statements(ctx, file) if lo <= s.start_byte <= hi and s.end_byte <= hi]


def keyword_statements(ctx: Context, file: GoFile, pattern: str) -> list[Node]:
    """ctx.query(file, pattern)'s statements for GO_STATEMENTS or DEFER_STATEMENTS, found from the bytes
    when the file's combined query index is not built yet: the token at each `go` / `defer` ending a
    word, whose parent is the statement it starts. The index costs a walk of the whole tree (a third of
    a parse); the keywords are rare. A tree with a syntax error may hold missing or glued tokens: it is
    queried. The answer is kept where ctx.query keeps its own, so a later ctx.query of the file does not
    walk the tree."""
    word, keyword, kind, name = _KEYWORDS[pattern]
    key = f"q:{id(file)}:{pattern}"
    found = ctx.shared.get(key)
    if found is None:
        root = file.root
        if root.has_error or root in _parse_indexes:
            return ctx.query(file, pattern).get(name, [])
        stmts: list[Node] = []
        for m in word.finditer(file.data):
            at, end = m.span()
            token = root.descendant_for_byte_range(at, end)
            if token is None or token.is_named or token.type != keyword or token.byte_range != (at, end):
                continue  # a name holding the bytes, a comment, a literal
            stmt = token.parent
            if stmt is not None and stmt.type == kind and stmt.start_byte == at:
                stmts.append(stmt)
        found = ctx.shared[key] = {name: stmts} if stmts else {}
    assert isinstance(found, dict)
    got: list[Node] = found.get(name, [])
    return got


def go_target(ctx: Context, file: GoFile, stmt: Node) -> tuple[GoFile, Node] | None:
    call = next((c for c in stmt.named_children if c.type == "call_expression"), None)
    if call is None:
        return None
    fn = unparen(call.child_by_field_name("function") or call)
    if fn.type == "func_literal":
        return (file, fn)
    res = ctx.resolver(file)
    if fn.type == "identifier":
        decl = res.decl_of(fn)
        if decl is not None:
            value = unparen(decl.value) if decl.value is not None and not decl.multi else None
            if value is not None and value.type == "func_literal":
                return (file, value)
            if value is not None and value.type == "selector_expression":
                return method_value_target(res, value)
            return None
    return res.called_function(call)


def method_value_target(res: Resolver, sel: Node) -> tuple[GoFile, Node] | None:
    """`run := s.loop; go run()`: the method a method value stands for."""
    operand = sel.child_by_field_name("operand")
    if operand is None or (operand.type == "identifier" and res.is_import(operand) is not None):
        return None
    mname = text(sel.child_by_field_name("field"))
    owner = res.method_owner(res.infer(operand), mname)
    if owner is None or owner.pkg:
        return None
    return res.pkg.lookup_method(owner.name, mname)


def inside(node: Node, container: Node) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


def same_function(node: Node, func: Node) -> bool:
    """True when `node` runs as part of `func` itself, not of a function literal nested in it."""
    return enclosing_func(node) == func
