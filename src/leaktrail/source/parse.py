"""One tree-sitter parser per process; trees are shared by every rule."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

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
    """Run a query in C; Python only sees the matches (walking every node in Python is too slow)."""
    return ts.QueryCursor(query(pattern)).captures(node)


def text(node: Node | None) -> str:
    if node is None:
        return ""
    raw = node.text
    return raw.decode("utf-8", "replace") if raw is not None else ""


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


def unparen(node: Node) -> Node:
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        child = node.named_children[0]
        node = child
    return node
