"""One tree-sitter parser per process; trees are shared by every rule."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from functools import cache
from itertools import islice
from operator import attrgetter, lt

import tree_sitter as ts
import tree_sitter_go as tsg

Node = ts.Node
Tree = ts.Tree

GO = ts.Language(tsg.language())


@cache
def _parser() -> ts.Parser:
    return ts.Parser(GO)


def parse(source: bytes) -> Tree:
    return _parser().parse(source)


@cache
def query(pattern: str) -> ts.Query:
    return ts.Query(GO, pattern)


def captures(pattern: str, node: Node) -> dict[str, list[Node]]:
    """Run a query in C; Python only sees the matches (walking every node in Python is too slow).

    The patterns rules ask most often are answered from one combined query per file (a query costs
    a traversal of the tree, about a third of a parse), cut down to `node`'s byte range."""
    slot = _INDEX_SLOT.get(pattern)
    root = None
    if slot is not None and slot >= _ALWAYS_INDEXED:
        root = _root(node)
        if root not in _INDEXES:
            slot = None  # a file whose index no rule needed: a query on the node costs less
    if slot is None:
        whole = node.type == "source_file"  # the root (Node.parent would search the tree for it)
        if whole:
            # A whole file asked again (by another rule, or by one rule for each of its questions):
            # the answer is kept until the engine moves to the next package. Copies: callers may
            # change their lists.
            cached = _WHOLE.get(node, {}).get(pattern)
            if cached is not None:
                return {name: list(nodes) for name, nodes in cached.items()}
        got = ts.QueryCursor(query(pattern)).captures(node)
        # The cursor's order is not guaranteed to be the document's; rules that take "the first" of
        # something must see the same first on every run (and with -j 1 and -j 2).
        for listed in got.values():
            in_document_order(listed)
        if whole:
            if len(_WHOLE) >= _MAX_KEPT:
                _WHOLE.clear()
            _WHOLE.setdefault(node, {})[pattern] = {name: list(nodes) for name, nodes in got.items()}
        return got
    index = _file_index(root if root is not None else _root(node))
    lo, hi = node.start_byte, node.end_byte
    out: dict[str, list[Node]] = {}
    for name, key in _INDEX_KEYS[slot]:
        entry = index.get(key)
        if entry is None:
            continue
        starts, nodes = entry
        i = bisect.bisect_left(starts, lo)
        j = bisect.bisect_right(starts, hi, i)
        if i == j:
            continue
        # Trees nest: a capture starting strictly inside the node lies inside it; only those starting
        # at either end (an enclosing node, the next one) need their end checked.
        inner = bisect.bisect_right(starts, lo, i, j)
        last = bisect.bisect_left(starts, hi, inner, j)
        found = [n for n in nodes[i:inner] if n.end_byte <= hi]
        found.extend(nodes[inner:last])
        if last < j:
            found.extend(n for n in nodes[last:j] if n.end_byte <= hi)
        if found:
            out[name] = found
    return out


DECLS_PATTERN = (
    "[(parameter_declaration) (variadic_parameter_declaration) (short_var_declaration) (var_spec)"
    " (range_clause) (receive_statement) (type_switch_statement)] @d"
)
INDEXED_PATTERNS: tuple[str, ...] = (
    # Only patterns with few matches per file: indexing every identifier or call would create more
    # Python objects than separate queries cost (measured on the Go standard library).
    "(go_statement) @g",
    "(range_clause right: (_) @r)",
    "(select_statement) @s",
    "(call_expression function: (selector_expression field: (field_identifier) @m)) @c",
    "(func_literal) @f",
    "(send_statement channel: (_) @c)",
    '(unary_expression operator: "<-" operand: (_) @c)',
    "(defer_statement) @d",
    "(return_statement) @r",
    # Answered from the index only when the file has one: adding it to the index query costs next to
    # nothing (the traversal dominates), building an index for it alone costs more than queries.
    DECLS_PATTERN,
)
_ALWAYS_INDEXED = len(INDEXED_PATTERNS) - 1
_INDEX_SLOT = {p: i for i, p in enumerate(INDEXED_PATTERNS)}
_INDEX_NAMES = [tuple(dict.fromkeys(re.findall(r"@(\w+)", p))) for p in INDEXED_PATTERNS]
_INDEX_KEYS = [tuple((name, f"p{slot}_{name}") for name in names) for slot, names in enumerate(_INDEX_NAMES)]
"""(capture name, its name in the combined index query) for each indexed pattern."""
_INDEX_QUERY = "\n".join(re.sub(r"@(\w+)", rf"@p{i}_\1", p) for i, p in enumerate(INDEXED_PATTERNS))
_INDEXES: dict[Node, dict[str, tuple[list[int], list[Node]]]] = {}
_WHOLE: dict[Node, dict[str, dict[str, list[Node]]]] = {}
_MAX_KEPT = 4096
"""Files whose query results are kept at most (a long-lived process that never calls forget_indexes)."""


_START = attrgetter("start_byte")
_END = attrgetter("end_byte")


def in_document_order(nodes: list[Node]) -> None:
    """Sort nodes by (start, longest first), stably, in place.

    The cursor mostly returns one pattern's captures in this order already: checking that costs far
    less than sorting with a Python key function (a million calls on the standard library)."""
    starts = list(map(_START, nodes))
    if all(map(lt, starts, islice(starts, 1, None))):
        return
    nodes.sort(key=_END, reverse=True)  # stable: the equal keep their order
    nodes.sort(key=_START)


def _root(node: Node) -> Node:
    while True:
        parent = node.parent
        if parent is None:
            return node
        node = parent


def _file_index(root: Node) -> dict[str, tuple[list[int], list[Node]]]:
    index = _INDEXES.get(root)
    if index is None:
        index = {}
        for name, nodes in ts.QueryCursor(query(_INDEX_QUERY)).captures(root).items():
            starts = list(map(_START, nodes))
            if not all(map(lt, starts, islice(starts, 1, None))):
                nodes.sort(key=_START)
                starts = list(map(_START, nodes))
            index[name] = (starts, nodes)
        if len(_INDEXES) >= _MAX_KEPT:
            _INDEXES.clear()
        _INDEXES[root] = index
    return index


def forget_indexes() -> None:
    """Drop the per-file indexes and kept query results (the engine calls this after each package, to
    bound memory)."""
    _INDEXES.clear()
    _WHOLE.clear()
    for forget in _ALSO_FORGET:
        forget()


_ALSO_FORGET: list[Callable[[], None]] = []


def forget_with_indexes(forget: Callable[[], None]) -> None:
    """Have forget_indexes also call `forget` (memos of the layers above, keyed by nodes)."""
    _ALSO_FORGET.append(forget)


def text(node: Node | None) -> str:
    """The node's source text ("" for None). Called about a million times in a scan of the standard
    library: one attribute access and a decode, the None cases left to the exception."""
    try:
        return node.text.decode("utf-8", "replace")  # type: ignore[union-attr]
    except AttributeError:  # node is None, or its tree holds no source
        return ""


def line_of(node: Node) -> int:
    return node.start_point[0] + 1


def walk(node: Node) -> Iterator[Node]:
    """Pre-order walk over named nodes (only used on small subtrees)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.named_children))


def first_error(root: Node) -> Node | None:
    if not root.has_error:
        return None
    found = captures("(ERROR) @e", root).get("e", [])
    if found:
        return min(found, key=lambda n: n.start_byte)
    for n in walk(root):
        if n.is_missing or n.is_error:
            return n
    return root


def enclosing(node: Node, *types: str) -> Node | None:
    parent = node.parent
    while parent is not None:
        if parent.type in types:
            return parent
        parent = parent.parent
    return None


def in_defer(node: Node, func: Node) -> bool:
    """`node` runs in a `defer` of `func` (walking up no further than `func`)."""
    p = node.parent
    while p is not None and p != func:
        if p.type == "defer_statement":
            return True
        p = p.parent
    return False


def is_assign_target(node: Node, *, short: bool = True) -> bool:
    """`node` is a target on the left of `=` (and of `:=` unless short=False): a write, not a use."""
    parent = node.parent
    if parent is None or parent.type != "expression_list":
        return False
    stmt = parent.parent
    kinds = ("assignment_statement", "short_var_declaration") if short else ("assignment_statement",)
    return stmt is not None and stmt.type in kinds and stmt.child_by_field_name("left") == parent


def assignment_targets(values: Node) -> list[Node] | None:
    """For the value list of `a, b := …`, `a, b = …` or `var a, b = …`: the targets (None elsewhere)."""
    stmt = values.parent
    if stmt is None or values.type != "expression_list":
        return None
    if stmt.type in ("short_var_declaration", "assignment_statement"):
        if stmt.child_by_field_name("right") != values:
            return None
        left = stmt.child_by_field_name("left")
        return list(left.named_children) if left is not None else []
    if stmt.type == "var_spec":
        return list(stmt.children_by_field_name("name"))
    return None


def sole_declared(value: Node) -> Node | None:
    """The identifier `x` of `x := value` when that statement declares one name from one value (the
    value's only holder at its birth); None elsewhere."""
    values = value.parent
    stmt = values.parent if values is not None and values.type == "expression_list" else None
    if (
        stmt is None
        or values is None
        or stmt.type != "short_var_declaration"
        or values.named_child_count != 1
    ):
        return None
    left = stmt.child_by_field_name("left")
    if left is None or left.named_child_count != 1:
        return None
    found: Node = left.named_children[0]
    return found


def unparen(node: Node) -> Node:
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        child = node.named_children[0]
        node = child
    return node
