"""Nodes found from the bytes: where a rare word occurs, ask the tree for the token there.

A tree-sitter query walks the whole tree of a file, about a third of the cost of parsing it, whatever it
matches. When a rule wants calls of a few rare names (recover, make, Do/Get/…), finding the words in the
bytes (C speed) and asking the tree for the node at each occurrence touches only those spots; the rule
then checks the node's shape exactly as the query's pattern would have."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node

LEXEMES = re.compile(rb"//[^\n]*|/\*.*?\*/|\"(?:[^\"\\\n]|\\[^\n])*\"|`[^`]*`|'(?:[^'\\\n]|\\[^\n])*'", re.S)
"""Comments, string and rune literals, matched from the left as Go's scanner reads them."""


def lines_with(data: bytes, needle: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of `data` holding `needle` (no newline in it), in order: a pattern
    that cannot cross a line is read only there (findall over the whole bytes finds the same,
    line by line, after trying every position of every other line)."""
    pos = 0
    while True:
        k = data.find(needle, pos)
        if k < 0:
            return
        end = data.find(b"\n", k)
        if end < 0:
            end = len(data)
        yield data.rfind(b"\n", 0, k) + 1, end
        pos = end


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


@cache
def _word(name: str) -> re.Pattern[bytes]:
    return re.compile(re.escape(name.encode()) + rb"\b")


def written_selectors(file: GoFile, name: str) -> list[Node]:
    """The selectors `x.name` on the left of `=`/`:=`, of a range or a receive, or under `&`, in the
    query's order: what `[(assignment_statement left: (expression_list (selector_expression) @s))
    (range_clause left: …) (receive_statement left: …) (unary_expression operator: "&" operand:
    (selector_expression) @s)]` captures, narrowed to one field name."""
    found: list[Node] = []
    for token in word_tokens(file, _word(name)):
        sel = token.parent
        if token.type != "field_identifier" or sel is None or sel.type != "selector_expression":
            continue
        if sel.child_by_field_name("field") != token:
            continue
        up = sel.parent
        if up is None:
            continue
        if up.type == "expression_list":
            stmt = up.parent
            if (
                stmt is not None
                and stmt.type in ("assignment_statement", "range_clause", "receive_statement")
                and stmt.child_by_field_name("left") == up
            ):
                found.append(sel)
        elif up.type == "unary_expression" and up.child_by_field_name("operand") == sel:
            op = up.child_by_field_name("operator")
            if op is not None and op.type == "&":
                found.append(sel)
    found.sort(key=lambda n: (n.start_byte, -n.end_byte))
    return found


def literal_bodies(file: GoFile, name: str) -> list[Node]:
    """The bodies of the composite literals whose type's text contains `name` (`T{…}`, `[]*T{…}`,
    `map[K]T{…}`), in document order: the subset of `(composite_literal body: (literal_value) @v)` a
    check on the literal's type text can accept, found from the name's occurrences in the bytes."""
    data = file.data
    needle = name.encode()
    seen: dict[int, Node] = {}
    at = data.find(needle)
    while at >= 0:
        end = at + len(needle)
        node = file.root.descendant_for_byte_range(at, end)
        while node is not None:
            tnode = node.child_by_field_name("type") if node.type == "composite_literal" else None
            body = node.child_by_field_name("body") if tnode is not None else None
            if (
                tnode is not None
                and body is not None
                and body.type == "literal_value"
                and tnode.start_byte <= at
                and end <= tnode.end_byte
            ):
                seen.setdefault(body.start_byte, body)
            node = node.parent
        at = data.find(needle, at + 1)
    return [seen[k] for k in sorted(seen)]


def keyed_keys(file: GoFile, name: str, with_value: bool = True) -> list[Node]:
    """The keys `name:` of keyed elements (`T{name: v}`), in document order: what the query
    `(keyed_element key: (literal_element (identifier) @k) value: (literal_element))` captures as k
    (without `value:` when not with_value), narrowed to one name."""
    found: list[Node] = []
    for token in word_tokens(file, _word(name)):
        key = token.parent
        elem = key.parent if key is not None else None
        if (
            token.type == "identifier"
            and key is not None
            and key.type == "literal_element"
            and elem is not None
            and elem.type == "keyed_element"
            and elem.child_by_field_name("key") == key
        ):
            value = elem.child_by_field_name("value")
            if not with_value or (value is not None and value.type == "literal_element"):
                found.append(token)
    return found


def keyed_elements(file: GoFile, name: str) -> list[Node]:
    """The keyed elements one of whose parts is the identifier `name` and that match
    `(keyed_element (literal_element (identifier)) (literal_element)) @e`, in document order (a superset
    of the elements keyed `name:` that query finds; callers check the key)."""
    found: dict[int, Node] = {}
    for token in word_tokens(file, _word(name)):
        part = token.parent
        elem = part.parent if part is not None else None
        if token.type != "identifier" or part is None or part.type != "literal_element":
            continue
        if elem is None or elem.type != "keyed_element" or elem.start_byte in found:
            continue
        kids = elem.named_children
        first = next(
            (
                i
                for i, k in enumerate(kids)
                if k.type == "literal_element" and any(c.type == "identifier" for c in k.named_children)
            ),
            None,
        )
        if first is not None and any(k.type == "literal_element" for k in kids[first + 1 :]):
            found[elem.start_byte] = elem
    return [found[k] for k in sorted(found)]


def selectors_named(file: GoFile, name: str) -> list[Node]:
    """The selectors `x.name`, in the order of `(selector_expression field: (field_identifier) @f) @s`
    narrowed to one field name."""
    found: list[Node] = []
    for token in word_tokens(file, _word(name)):
        sel = token.parent
        if (
            token.type == "field_identifier"
            and sel is not None
            and sel.type == "selector_expression"
            and sel.child_by_field_name("field") == token
        ):
            found.append(sel)
    found.sort(key=lambda n: (n.start_byte, -n.end_byte))
    return found


def identifiers_named(file: GoFile, name: str) -> list[Node]:
    """The identifiers spelled `name`, in document order: `(identifier) @i` narrowed to one name."""
    return [t for t in word_tokens(file, _word(name)) if t.type == "identifier"]


def const_specs_naming(file: GoFile, name: str, within: Node | None = None) -> list[Node]:
    """The const specs that declare `name` (in the file, or inside `within`), in document order: the
    part of `(const_spec name: (identifier) @n) @s` whose names include it."""
    found: dict[int, Node] = {}
    for token in word_tokens(file, _word(name), within):
        spec = token.parent
        if (
            token.type == "identifier"
            and spec is not None
            and spec.type == "const_spec"
            and token in spec.children_by_field_name("name")
        ):
            found.setdefault(spec.start_byte, spec)
    return [found[k] for k in sorted(found)]


def literals_of_type(file: GoFile, name: str) -> list[Node]:
    """The composite literals whose type is spelled `name` (`T{…}`, or `T[int]{…}`), in document order:
    the part of `(composite_literal) @c` whose type (or generic type's base) has that text."""
    found: list[Node] = []
    for token in word_tokens(file, _word(name)):
        if token.type != "type_identifier" or token.parent is None:
            continue
        typ: Node = token
        up: Node | None = token.parent
        if up is not None and up.type == "generic_type" and up.child_by_field_name("type") == token:
            typ, up = up, up.parent
        if up is not None and up.type == "composite_literal" and up.child_by_field_name("type") == typ:
            found.append(up)
    found.sort(key=lambda n: (n.start_byte, -n.end_byte))
    return found
