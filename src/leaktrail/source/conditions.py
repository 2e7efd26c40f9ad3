"""Branch facts: what the conditions of `if`s (and constant assignments) on a path establish about
simple local values, so that two branches on the same condition are walked as one (path sensitivity).

A fact is (atom, value): an atom is a side-effect-free condition built only from identifiers, literals
and comparisons (`held`, `ok`, `err != nil`, `tl != ldr`), normalised so that `a != b` is `a == b`
negated. Facts are killed when an identifier they mention is assigned (or declared again); atoms that
mention a variable some closure assigns, or whose address is taken, are never trusted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from leaktrail.source.cfg import CFG
from leaktrail.source.parse import Node, captures, text, unparen

Fact = tuple[str, bool]
Facts = frozenset[Fact]
NO_FACTS: Facts = frozenset()
_ATOM_PARTS = frozenset(
    {
        "identifier",
        "binary_expression",
        "unary_expression",
        "parenthesized_expression",
        "nil",
        "true",
        "false",
        "int_literal",
        "interpreted_string_literal",
        "raw_string_literal",
    }
)
_ASSIGNING = (
    "assignment_statement",
    "short_var_declaration",
    "inc_statement",
    "dec_statement",
    "var_declaration",
)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ADDRESS_OF = '(unary_expression operator: "&" operand: (identifier) @i)'
_SCAN = f"[{_ADDRESS_OF} (func_literal) @f]"
_ASSIGNMENTS = (
    "[(assignment_statement) (short_var_declaration) (inc_statement) (dec_statement) (var_declaration)] @a"
)


def _names(atom: str) -> set[str]:
    return set(_NAME.findall(atom))


_ATOM_NAMES: dict[str, frozenset[str]] = {}
"""_names of each atom seen (a package's atoms are few; every path step asked them again)."""


def _atom_names(atom: str) -> frozenset[str]:
    found = _ATOM_NAMES.get(atom)
    if found is None:
        if len(_ATOM_NAMES) >= 100_000:
            _ATOM_NAMES.clear()
        found = _ATOM_NAMES[atom] = frozenset(_NAME.findall(atom))
    return found


def _assertion_alias(node: Node) -> str | None:
    """`ok` in `if v, ok := x.(T); ok { … }`: the atom is the assertion itself ("x.(T)"), so two
    `if`s asserting the same type on the same variable are correlated."""
    p = node.parent
    while p is not None and p.type in ("parenthesized_expression", "unary_expression", "binary_expression"):
        p = p.parent
    if p is None or p.type != "if_statement":
        return None
    init = p.child_by_field_name("initializer")
    if init is None or init.type != "short_var_declaration":
        return None
    left, right = init.child_by_field_name("left"), init.child_by_field_name("right")
    if left is None or right is None or left.named_child_count != 2 or right.named_child_count != 1:
        return None
    value = unparen(right.named_children[0])
    if value.type != "type_assertion_expression" or left.named_children[1].type != "identifier":
        return None
    operand = value.child_by_field_name("operand")
    if text(left.named_children[1]) != text(node) or operand is None or not _plain_path(operand):
        return None
    return " ".join(text(value).split())


def _plain_path(node: Node) -> bool:
    """`x` or `x.f.g`: a variable or a field path (an assignment to x or x.… kills facts about it)."""
    while node.type == "selector_expression":
        inner = node.child_by_field_name("operand")
        if inner is None:
            return False
        node = inner
    return node.type == "identifier"


def _norm(node: Node) -> tuple[str, bool] | None:
    """(atom text, polarity) of a condition leaf, or None when it is not an atom."""
    node = unparen(node)
    if node.type == "true":
        return ("true", True)
    if node.type == "false":
        return ("true", False)
    if node.type == "identifier":
        return (_assertion_alias(node) or text(node), True)
    if node.type == "binary_expression":
        op = text(node.child_by_field_name("operator"))
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op not in ("==", "!=") or left is None or right is None:
            return None
        if not (_pure(left) and _pure(right)):
            return None
        a, b = sorted((" ".join(text(left).split()), " ".join(text(right).split())))
        return (f"{a} == {b}", op == "==")
    return None


def _pure(node: Node) -> bool:
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type not in _ATOM_PARTS:
            return False
        if n.type == "unary_expression" and text(n.child_by_field_name("operator")) not in ("!", "-"):
            return False
        stack.extend(n.named_children)
    return True


def implied(cond: Node, truth: bool) -> list[Fact]:
    """The facts a condition establishes when it evaluates to `truth` (`a && b` true: both; `a || b`
    false: neither; `!a` flips)."""
    cond = unparen(cond)
    if cond.type == "unary_expression" and text(cond.child_by_field_name("operator")) == "!":
        inner = cond.child_by_field_name("operand")
        return implied(inner, not truth) if inner is not None else []
    if cond.type == "binary_expression":
        op = text(cond.child_by_field_name("operator"))
        left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
        if op in ("&&", "||") and left is not None and right is not None:
            if (op == "&&") == truth:
                return implied(left, truth) + implied(right, truth)
            return []
    atom = _norm(cond)
    if atom is None or atom[0] == "true":
        return []
    return [(atom[0], atom[1] == truth)]


def evaluate(cond: Node, facts: Facts) -> bool | None:
    """The value of a condition under the facts, or None when they do not decide it."""
    cond = unparen(cond)
    if cond.type == "unary_expression" and text(cond.child_by_field_name("operator")) == "!":
        inner = cond.child_by_field_name("operand")
        v = evaluate(inner, facts) if inner is not None else None
        return None if v is None else not v
    if cond.type == "binary_expression":
        op = text(cond.child_by_field_name("operator"))
        left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
        if op in ("&&", "||") and left is not None and right is not None:
            a, b = evaluate(left, facts), evaluate(right, facts)
            if op == "&&":
                return False if a is False or b is False else (True if a and b else None)
            return True if a is True or b is True else (False if a is False and b is False else None)
    atom = _norm(cond)
    if atom is None:
        return None
    if atom[0] == "true":
        return atom[1]
    if (atom[0], True) in facts:
        return atom[1]
    if (atom[0], False) in facts:
        return not atom[1]
    return None


_Shape = tuple[Any, ...]
"""A condition read once for evaluate: ("atom", _norm(leaf)), ("not", shape), ("&&" or "||", a, b)."""


def _shape(cond: Node) -> _Shape:
    """The structure evaluate() walks, with each leaf's atom read (the same cases, in its order)."""
    cond = unparen(cond)
    if cond.type == "unary_expression" and text(cond.child_by_field_name("operator")) == "!":
        inner = cond.child_by_field_name("operand")
        return ("not", _shape(inner) if inner is not None else ("atom", None))
    if cond.type == "binary_expression":
        op = text(cond.child_by_field_name("operator"))
        left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
        if op in ("&&", "||") and left is not None and right is not None:
            return (op, _shape(left), _shape(right))
    return ("atom", _norm(cond))


def _evaluate(shape: _Shape, facts: Facts) -> bool | None:
    """evaluate(cond, facts) for the shape of cond."""
    tag = shape[0]
    if tag == "atom":
        atom = shape[1]
        if atom is None:
            return None
        if atom[0] == "true":
            return bool(atom[1])
        if (atom[0], True) in facts:
            return bool(atom[1])
        if (atom[0], False) in facts:
            return not atom[1]
        return None
    if tag == "not":
        v = _evaluate(shape[1], facts)
        return None if v is None else not v
    a, b = _evaluate(shape[1], facts), _evaluate(shape[2], facts)
    if tag == "&&":
        return False if a is False or b is False else (True if a and b else None)
    return True if a is True or b is True else (False if a is False and b is False else None)


def _idents(node: Node) -> Iterator[str]:
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "identifier":
            yield text(n)
        elif n.type != "func_literal":
            stack.extend(n.named_children)


class Tracker:
    """Fact bookkeeping for one function body: which atoms can be trusted, how an item changes the
    facts, and which branch of a block's closing `if` the facts rule out."""

    def __init__(self, func: Node) -> None:
        self.func = func
        self._unsafe: set[str] = set()
        # Per block-closing item: its `if` condition, that condition's shape (for evaluate) and the
        # facts each branch implies. Paths visit a block many times, with different facts.
        self._conds: dict[Node, tuple[Node, _Shape, list[Fact], list[Fact]] | None] = {}
        # Per item: the names it assigns and the constant facts it records (after() is asked about
        # the same items on every path through them).
        self._effects: dict[Node, tuple[frozenset[str], list[Fact]]] = {}
        body = func.child_by_field_name("body")
        if body is not None:
            self._scan(body)

    def _scan(self, body: Node) -> None:
        """Variables whose address is taken, or that a closure assigns: their values can change
        behind the path's back. One query for both the `&x` operands and the closures; then the
        assignments of each outermost closure inside the body (those are the statements whose walk up
        meets a closure before the body)."""
        found = captures(_SCAN, body)
        for operand in found.get("i", []):
            self._unsafe.add(text(operand))
        lo, hi = body.start_byte, body.end_byte
        covered = -1
        for lit in found.get("f", []):  # document order: an outer closure before those inside it
            start, end = lit.start_byte, lit.end_byte
            if start < lo or end > hi or start < covered:
                continue
            covered = end
            for stmt in captures(_ASSIGNMENTS, lit).get("a", []):
                if start <= stmt.start_byte and stmt.end_byte <= end:
                    self._unsafe.update(_assigned_names(stmt))

    def trusted(self, fact: Fact) -> bool:
        return fact[0] == "true" or self._unsafe.isdisjoint(_atom_names(fact[0]))

    def assume(self, facts: Facts, new: list[Fact]) -> Facts | None:
        """Facts plus `new`; None when they contradict (the path is infeasible)."""
        out = set(facts)
        for atom, value in new:
            if not self.trusted((atom, value)):
                continue
            if (atom, not value) in out:
                return None
            out.add((atom, value))
        return frozenset(out)

    def after(self, item: Node, facts: Facts) -> Facts:
        """The facts after an item runs: assigned identifiers forget their facts; `x = true` (a
        constant bool) records one."""
        effect = self._effects.get(item)
        if effect is None:
            effect = self._effects[item] = self._effect(item)
        gone, consts = effect
        if not facts:  # nothing to forget: only a constant assignment can add a fact
            return self._add(facts, consts) if consts else facts
        if not gone and not consts:
            return facts
        kept = frozenset(f for f in facts if f[0] == "true" or gone.isdisjoint(_atom_names(f[0])))
        return self._add(kept, consts)

    @staticmethod
    def _effect(item: Node) -> tuple[frozenset[str], list[Fact]]:
        """(names the item assigns, constant facts it records), as after() reads them."""
        kind = item.type
        if kind in _ASSIGNING:
            return frozenset(_assigned_names(item)), _constant_assignments(item)
        if kind in ("range_clause",) or (item.parent is not None and item.parent.type == "range_clause"):
            left = item.parent.child_by_field_name("left") if item.parent is not None else None
            return frozenset(_idents(left) if left is not None else ()), []
        return frozenset(), []

    def _add(self, facts: Facts, consts: list[Fact]) -> Facts:
        out = set(facts)
        for atom, value in consts:
            if self.trusted((atom, value)):
                out.discard((atom, not value))
                out.add((atom, value))
        return frozenset(out)

    def branch(self, graph: CFG, bid: int, facts: Facts) -> list[tuple[int, Facts]]:
        """The successors of block `bid` that the facts allow, each with the facts on that edge."""
        block = graph.blocks[bid]
        last = block.items[-1] if block.items else None
        if last is None or len(block.succs) != 2:
            return [(s, facts) for s in block.succs]
        if last in self._conds:
            known = self._conds[last]
        else:
            cond = _if_condition(last)
            known = self._conds[last] = (
                None if cond is None else (cond, _shape(cond), implied(cond, True), implied(cond, False))
            )
        if known is None:
            return [(s, facts) for s in block.succs]
        value = _evaluate(known[1], facts)
        out: list[tuple[int, Facts]] = []
        for i, succ in enumerate(block.succs):
            truth = i == 0
            if value is not None and value != truth:
                continue
            got = self.assume(facts, known[2] if truth else known[3])
            if got is not None:
                out.append((succ, got))
        return out

    def at(self, node: Node) -> Facts:
        """Facts the enclosing `if`s establish at `node` (then: the condition held; else: it did not),
        unless an identifier they mention is assigned between the condition and the node."""
        facts: list[Fact] = []
        child = node
        p = node.parent
        while p is not None and p != self.func:
            if p.type == "if_statement":
                cond = p.child_by_field_name("condition")
                cons = p.child_by_field_name("consequence")
                alt = p.child_by_field_name("alternative")
                truth = None
                if cons is not None and cons == child:
                    truth = True
                elif alt is not None and alt == child:
                    truth = False
                if cond is not None and truth is not None:
                    for fact in implied(cond, truth):
                        if self.trusted(fact) and not _assigned_between(self.func, cond, node, fact):
                            facts.append(fact)
            child = p
            p = p.parent
        out = self.assume(NO_FACTS, facts)
        return out if out is not None else NO_FACTS


def _if_condition(item: Node | None) -> Node | None:
    if item is None or item.parent is None or item.parent.type != "if_statement":
        return None
    cond = item.parent.child_by_field_name("condition")
    return cond if cond is not None and cond == item else None


def _assigned_names(stmt: Node) -> list[str]:
    if stmt.type in ("inc_statement", "dec_statement"):
        return list(_idents(stmt))[:1]
    if stmt.type == "var_declaration":
        out: list[str] = []
        for spec in stmt.named_children:
            out.extend(text(n) for n in spec.children_by_field_name("name"))
        return out
    left = stmt.child_by_field_name("left")
    if left is None:
        return []
    names: list[str] = []
    for n in left.named_children:
        while n.type in ("selector_expression", "index_expression", "parenthesized_expression"):
            inner = n.child_by_field_name("operand") or (n.named_children[0] if n.named_children else None)
            if inner is None:
                break
            n = inner
        if n.type == "identifier":
            names.append(text(n))  # `x.f = …` changes what facts about x.f say
    return names


def _constant_assignments(stmt: Node) -> list[Fact]:
    if stmt.type not in ("assignment_statement", "short_var_declaration"):
        return []
    if stmt.type == "assignment_statement" and text(stmt.child_by_field_name("operator")) != "=":
        return []
    left, right = stmt.child_by_field_name("left"), stmt.child_by_field_name("right")
    if left is None or right is None or left.named_child_count != right.named_child_count:
        return []
    out: list[Fact] = []
    for target, value in zip(left.named_children, right.named_children, strict=True):
        v = unparen(value)
        if target.type == "identifier" and v.type in ("true", "false"):
            out.append((text(target), v.type == "true"))
    return out


def _assigned_between(func: Node, start: Node, end: Node, fact: Fact) -> bool:
    names = _names(fact[0])
    lo, hi = start.end_byte, end.start_byte
    stack = [func]
    while stack:
        n = stack.pop()
        if n.end_byte <= lo or n.start_byte >= hi:
            continue
        if n.type in _ASSIGNING and lo <= n.start_byte and not names.isdisjoint(_assigned_names(n)):
            return True
        stack.extend(n.named_children)
    return False


def feasible_reach(
    graph: CFG, tracker: Tracker, start: Node, target: Node, avoid: Callable[[Node], bool] | None = None
) -> bool:
    """CFG.reaches, walking only the branches the path's facts allow (the facts at `start` are those
    of the `if`s around it): `if fast { mu.Unlock() }; if fast { <-ch }` never reaches the receive with
    the lock held."""
    begin = graph.locate(start)
    goal = graph.locate(target)
    if begin is None or goal is None:
        return False
    seen: set[tuple[int, Facts]] = set()
    stack: list[tuple[int, int, Facts]] = [(begin[0], begin[1] + 1, tracker.at(start))]
    while stack:
        bid, index, facts = stack.pop()
        if index == 0:
            if (bid, facts) in seen or len(seen) > 4000:
                continue
            seen.add((bid, facts))
        block = graph.blocks[bid]
        stopped = False
        for i in range(index, len(block.items)):
            if bid == goal[0] and i == goal[1]:
                return True
            item = block.items[i]
            if avoid is not None and avoid(item):
                stopped = True
                break
            facts = tracker.after(item, facts)
        if not stopped and block.exit is None:
            stack.extend((nxt, 0, f) for nxt, f in tracker.branch(graph, bid, facts))
    return False
