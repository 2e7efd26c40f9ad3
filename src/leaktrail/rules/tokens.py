"""Nodes found from the bytes: where a rare word occurs, ask the tree for the token there.

A tree-sitter query walks the whole tree of a file, about a third of the cost of parsing it, whatever it
matches. When a rule wants calls of a few rare names (recover, make, Do/Get/…), finding the words in the
bytes (C speed) and asking the tree for the node at each occurrence touches only those spots; the rule
then checks the node's shape exactly as the query's pattern would have."""

from __future__ import annotations

import re
from functools import cache

from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node


def is_word_byte(byte: int) -> bool:
    return byte == 0x5F or 0x30 <= byte <= 0x39 or 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A


def word_boundary(data: bytes, i: int) -> bool:
    """The regex `\\b` of a bytes pattern at position i."""
    before = i > 0 and is_word_byte(data[i - 1])
    return before != (i < len(data) and is_word_byte(data[i]))


def word_tokens(file: GoFile, word: re.Pattern[bytes], within: Node | None = None) -> list[Node]:
    """The leaf nodes spanning exactly one match of `word` (in the file, or in `within`'s bytes), in
    document order: identifiers, field identifiers, keywords; matches inside comments and string
    literals yield their comment or literal node only when it spans exactly the match, so callers check
    the node's type. `word` ends in `\\b` and does not start with one (a leading `\\b` makes the regex
    engine try every byte); a match that starts inside a longer word spans no token."""
    data = file.data
    lo, hi = (within.start_byte, within.end_byte) if within is not None else (0, len(data))
    found: list[Node] = []
    root: Node | None = None
    for m in word.finditer(data, lo, hi):
        if root is None:
            root = file.root
        start, end = m.span()
        node = root.descendant_for_byte_range(start, end)
        if node is not None and node.start_byte == start and node.end_byte == end:
            found.append(node)
    return found


def called_by_name(token: Node) -> Node | None:
    """The call whose function is this identifier (`recover()`, `Get(url)`) or this selector's field
    (`c.Do(req)`); None otherwise. Mirrors `(call_expression function: (identifier) @f)` and
    `(call_expression function: (selector_expression field: (field_identifier)))`."""
    parent = token.parent
    if parent is None:
        return None
    if token.type == "identifier":
        fn = token
    elif token.type == "field_identifier" and parent.type == "selector_expression":
        if parent.child_by_field_name("field") != token:
            return None
        fn = parent
    else:
        return None
    call = fn.parent
    if call is None or call.type != "call_expression" or call.child_by_field_name("function") != fn:
        return None
    return call


@cache
def _words(names: frozenset[str]) -> re.Pattern[bytes]:
    # No leading \b (it makes the regex engine try every byte); word_tokens checks each token's span.
    return re.compile(rb"(?:" + b"|".join(re.escape(n.encode()) for n in sorted(names)) + rb")\b")


def calls_named(file: GoFile, names: frozenset[str]) -> list[Node]:
    """The calls `(call_expression function: [(selector_expression) (identifier)] @f) @c` whose function
    is one of `names` or a selector ending in one, in the query's order (start, then outermost first)."""
    calls = [called_by_name(t) for t in word_tokens(file, _words(names))]
    found = [c for c in calls if c is not None]
    found.sort(key=lambda n: (n.start_byte, -n.end_byte))
    return found
