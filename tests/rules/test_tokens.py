"""The byte-driven node finders (leaktrail.rules.tokens) and byte prefilters must answer exactly what
the tree-sitter queries and regexes they replace answer: checked on every Go file of the rule testdata,
for every name those queries capture."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leaktrail.rules.goroutines import may_start_goroutine
from leaktrail.rules.nilchans import _may_write, _unkeyed_literal_of, _word_then
from leaktrail.rules.tokens import (
    calls_named,
    const_specs_naming,
    identifiers_named,
    keyed_elements,
    keyed_keys,
    literal_bodies,
    literals_of_type,
    selectors_named,
    written_selectors,
)
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, captures, text

TESTDATA = Path(__file__).resolve().parent / "testdata"
FILES = sorted(TESTDATA.rglob("*.go"))
_IDENT = re.compile(r"[A-Za-z_]\w*")


def _file(path: Path) -> GoFile:
    return GoFile(path, path.name, path.read_bytes(), path.name.endswith("_test.go"))


def _names(f: GoFile) -> set[str]:
    return {text(n) for n in captures("[(identifier) (field_identifier) (type_identifier)] @n", f.root)["n"]}


def test_testdata_is_there() -> None:
    assert len(FILES) > 100


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(TESTDATA)))
def test_tokens_match_queries(path: Path) -> None:
    f = _file(path)
    q = captures
    keyed_v = q("(keyed_element key: (literal_element (identifier) @k) value: (literal_element) @v)", f.root)
    keyed_any = q("(keyed_element key: (literal_element (identifier) @k))", f.root).get("k", [])
    keyed_e = q("(keyed_element (literal_element (identifier)) (literal_element)) @e", f.root).get("e", [])
    writes = q(
        "[(assignment_statement left: (expression_list (selector_expression) @s))"
        " (range_clause left: (expression_list (selector_expression) @s))"
        " (receive_statement left: (expression_list (selector_expression) @s))"
        ' (unary_expression operator: "&" operand: (selector_expression) @s)]',
        f.root,
    ).get("s", [])
    sels = q("(selector_expression field: (field_identifier) @f) @s", f.root).get("s", [])
    idents = q("(identifier) @i", f.root).get("i", [])
    consts = q("(const_spec name: (identifier) @n) @s", f.root).get("s", [])
    literals = q("(composite_literal) @c", f.root).get("c", [])
    bodies = q("(composite_literal body: (literal_value) @v)", f.root).get("v", [])
    calls = q("(call_expression function: [(selector_expression) (identifier)] @f) @c", f.root).get("c", [])

    def field(sel: Node) -> str:
        return text(sel.child_by_field_name("field"))

    def base_type(lit: Node) -> str:
        t = lit.child_by_field_name("type")
        if t is not None and t.type == "generic_type":
            t = t.child_by_field_name("type")
        return text(t)

    for name in _names(f):
        if not _IDENT.fullmatch(name):
            continue
        assert keyed_keys(f, name) == [k for k in keyed_v.get("k", []) if text(k) == name], name
        assert keyed_keys(f, name, with_value=False) == [k for k in keyed_any if text(k) == name], name
        assert [e for e in keyed_elements(f, name) if text(e.named_children[0]) == name] == [
            e for e in keyed_e if text(e.named_children[0]) == name
        ], name
        assert written_selectors(f, name) == [s for s in writes if field(s) == name], name
        assert selectors_named(f, name) == [s for s in sels if field(s) == name], name
        assert identifiers_named(f, name) == [i for i in idents if text(i) == name], name
        named_consts = [s for s in consts if name in [text(n) for n in s.children_by_field_name("name")]]
        assert const_specs_naming(f, name) == named_consts, name
        assert literals_of_type(f, name) == [c for c in literals if base_type(c) == name], name
        assert _unkeyed_literal_of(literal_bodies(f, name), name) == _unkeyed_literal_of(bodies, name), name

        def last(c: Node) -> str:  # the rules' own filter on the function's text
            return text(c.child_by_field_name("function")).rsplit(".", 1)[-1]

        named = [c for c in calls_named(f, frozenset({name})) if last(c) == name]
        assert named == [c for c in calls if last(c) == name], name


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(TESTDATA)))
def test_byte_prefilters_match(path: Path) -> None:
    f = _file(path)
    if captures("(go_statement) @g", f.root).get("g"):
        assert may_start_goroutine(f)
    data = f.data
    for name in sorted(_names(f))[:60]:
        escaped = re.escape(name.encode())
        writes = re.compile(
            rb"\." + escaped + rb"\s*(?:,|=[^=])|&[^\s;]*\." + escaped + rb"\b|\b" + escaped + rb"\s*:"
        )
        assert _may_write(data, name.encode()) == bool(writes.search(data)), name
        brace = re.compile(rb"\s*\{")
        literal = re.compile(rb"\b" + escaped + rb"\s*\{")
        assert _word_then(data, name.encode(), brace) == bool(literal.search(data)), name
