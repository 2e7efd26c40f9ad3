"""Control-flow graphs over function bodies, and the one query rules need from them:
"on every path from A to an exit, does X happen?".

Blocks hold *items*: simple statements, or the parts of compound statements that run (an `if`'s
condition, a `for`'s update). Calls that never return end their block: `abort` ones (panic, os.Exit,
log.Fatal) kill the process, `goexit` ones (runtime.Goexit, t.FailNow) only the goroutine.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from leaktrail.source.parse import Node, text

NoReturn = Callable[[Node], str | None]
"""Classifies a call expression: "abort", "goexit" or None (returns normally)."""


@dataclass(frozen=True, slots=True)
class Exit:
    kind: str
    """return, end (fell off the end), goexit, abort, and in loop-body graphs: continue, break, next."""
    node: Node


@dataclass(slots=True)
class Block:
    id: int
    items: list[Node] = field(default_factory=list)
    succs: list[int] = field(default_factory=list)
    exit: Exit | None = None


@dataclass(slots=True)
class _Loop:
    label: str | None
    brk: int | None
    """Block to jump to on break; None = leave the region (loop-body graphs)."""
    cont: int | None


class CFG:
    def __init__(self, body: Node, no_return: NoReturn, loop_body: bool = False) -> None:
        self.blocks: list[Block] = []
        self._no_return = no_return
        self._labels: dict[str, int] = {}
        self._gotos: list[tuple[int, str, Node]] = []
        self._loops: list[_Loop] = []
        self._pending_label: str | None = None
        self.entry = self._new()
        if loop_body:
            self._loops.append(_Loop(None, None, None))
        end = self._stmts(_statements(body), self.entry)
        if end is not None:
            closing = body.children[-1] if body.children else body
            self.blocks[end].exit = Exit("next" if loop_body else "end", closing)
        for blk, label, node in self._gotos:
            target = self._labels.get(label)
            if target is not None:
                self.blocks[blk].succs.append(target)
            else:
                self.blocks[blk].exit = Exit("return", node)
        self._where: dict[tuple[int, int], tuple[int, int]] = {}
        for b in self.blocks:
            for i, item in enumerate(b.items):
                self._where[(item.start_byte, item.end_byte)] = (b.id, i)

    # -- construction ---------------------------------------------------------------------------------
    def _new(self) -> int:
        self.blocks.append(Block(len(self.blocks)))
        return len(self.blocks) - 1

    def _edge(self, a: int | None, b: int) -> None:
        if a is not None and b not in self.blocks[a].succs:
            self.blocks[a].succs.append(b)

    def _item(self, cur: int | None, node: Node | None) -> int:
        if cur is None:
            cur = self._new()  # unreachable code still gets a block so queries can start in it
        if node is not None:
            self.blocks[cur].items.append(node)
        return cur

    def _stmts(self, stmts: Sequence[Node], cur: int | None) -> int | None:
        for s in stmts:
            cur = self._stmt(s, cur)
        return cur

    def _stmt(self, s: Node, cur: int | None) -> int | None:
        kind = s.type
        label = self._pending_label
        self._pending_label = None
        if kind == "block":
            return self._stmts(_statements(s), cur)
        if kind == "return_statement":
            cur = self._item(cur, s)
            self.blocks[cur].exit = Exit("return", s)
            return None
        if kind == "expression_statement":
            cur = self._item(cur, s)
            call = s.named_children[0] if s.named_children else None
            if call is not None and call.type == "call_expression":
                nr = self._no_return(call)
                if nr is not None:
                    self.blocks[cur].exit = Exit(nr, s)
                    return None
            return cur
        if kind == "if_statement":
            cur = self._item(cur, s.child_by_field_name("initializer"))
            cur = self._item(cur, s.child_by_field_name("condition"))
            then_b = self._new()
            self._edge(cur, then_b)
            then_end = (
                self._stmt(s.child_by_field_name("consequence") or s, then_b)
                if s.child_by_field_name("consequence") is not None
                else then_b
            )
            alt = s.child_by_field_name("alternative")
            after = self._new()
            if alt is not None:
                else_b = self._new()
                self._edge(cur, else_b)
                else_end = self._stmt(alt, else_b)
                self._edge(else_end, after)
            else:
                self._edge(cur, after)
            self._edge(then_end, after)
            return after
        if kind == "for_statement":
            return self._for(s, cur, label)
        if kind in ("expression_switch_statement", "type_switch_statement"):
            return self._switch(s, cur, label)
        if kind == "select_statement":
            return self._select(s, cur, label)
        if kind == "labeled_statement":
            name = text(s.child_by_field_name("label"))
            target = self._new()
            self._edge(cur, target)
            self._labels[name] = target
            inner = [c for c in s.named_children if c.type != "label_name"]
            self._pending_label = name
            end: int | None = target
            for c in inner:
                end = self._stmt(c, end)
            self._pending_label = None
            return end
        if kind == "break_statement":
            cur = self._item(cur, s)
            loop = self._find_loop(s, want_continue=False)
            if loop is None:
                return None
            if loop.brk is None:
                self.blocks[cur].exit = Exit("break", s)
            else:
                self._edge(cur, loop.brk)
            return None
        if kind == "continue_statement":
            cur = self._item(cur, s)
            loop = self._find_loop(s, want_continue=True)
            if loop is None:
                return None
            if loop.cont is None:
                self.blocks[cur].exit = Exit("continue" if loop.brk is None else "break", s)
            else:
                self._edge(cur, loop.cont)
            return None
        if kind == "goto_statement":
            cur = self._item(cur, s)
            label_node = next((c for c in s.named_children if c.type == "label_name"), None)
            self._gotos.append((cur, text(label_node), s))
            return None
        if kind == "fallthrough_statement":
            return self._item(cur, s)
        return self._item(cur, s)

    def _find_loop(self, s: Node, want_continue: bool) -> _Loop | None:
        label_node = next((c for c in s.named_children if c.type == "label_name"), None)
        if label_node is not None:
            name = text(label_node)
            for loop in reversed(self._loops):
                if loop.label == name:
                    if want_continue and loop.cont is None and loop.brk is not None:
                        continue
                    return loop
            # a label outside this graph (loop-body graph of an inner loop): leaving the region
            outer = self._loops[0] if self._loops and self._loops[0].brk is None else None
            return outer
        for loop in reversed(self._loops):
            if want_continue and loop.cont is None and loop.brk is not None:
                continue  # switch/select: continue goes to the enclosing loop
            return loop
        return None

    def _for(self, s: Node, cur: int | None, label: str | None) -> int:
        clause = next((c for c in s.named_children if c.type in ("for_clause", "range_clause")), None)
        cond: Node | None = None
        update: Node | None = None
        if clause is not None and clause.type == "for_clause":
            cur = self._item(cur, clause.child_by_field_name("initializer"))
            cond = clause.child_by_field_name("condition")
            update = clause.child_by_field_name("update")
        elif clause is not None:
            cond = clause.child_by_field_name("right")
        else:
            cond = next((c for c in s.named_children if c.type != "block"), None)
        head = self._new()
        self._edge(cur, head)
        if cond is not None:
            self.blocks[head].items.append(cond)
        after = self._new()
        cont = head
        if update is not None:
            cont = self._new()
            self.blocks[cont].items.append(update)
            self._edge(cont, head)
        if cond is not None:
            self._edge(head, after)
        body_b = self._new()
        self._edge(head, body_b)
        self._loops.append(_Loop(label, after, cont))
        body = s.child_by_field_name("body")
        end = self._stmt(body, body_b) if body is not None else body_b
        self._loops.pop()
        self._edge(end, cont)
        return after

    def _switch(self, s: Node, cur: int | None, label: str | None) -> int:
        cur = self._item(cur, s.child_by_field_name("initializer"))
        cur = self._item(cur, s.child_by_field_name("value"))
        after = self._new()
        self._loops.append(_Loop(label, after, None))
        cases = [c for c in s.named_children if c.type in ("expression_case", "type_case", "default_case")]
        starts = [self._new() for _ in cases]
        for i, case in enumerate(cases):
            b = starts[i]
            self._edge(cur, b)
            value = case.child_by_field_name("value")
            if value is not None:
                self.blocks[b].items.append(value)
            end = self._stmts(_case_statements(case), b)
            if end is not None and _ends_with_fallthrough(self.blocks[end]) and i + 1 < len(cases):
                self._edge(end, starts[i + 1])
            else:
                self._edge(end, after)
        if not any(c.type == "default_case" for c in cases):
            self._edge(cur, after)
        self._loops.pop()
        return after

    def _select(self, s: Node, cur: int | None, label: str | None) -> int | None:
        cur = self._item(cur, None)
        after = self._new()
        self._loops.append(_Loop(label, after, None))
        cases = [c for c in s.named_children if c.type in ("communication_case", "default_case")]
        for case in cases:
            b = self._new()
            self._edge(cur, b)
            comm = case.child_by_field_name("communication")
            if comm is not None:
                self.blocks[b].items.append(comm)
            end = self._stmts(_case_statements(case), b)
            self._edge(end, after)
        self._loops.pop()
        if not cases:
            return None  # select {} blocks forever: nothing after it runs
        return after

    # -- queries --------------------------------------------------------------------------------------
    def locate(self, node: Node) -> tuple[int, int] | None:
        """(block, item index) of the item that contains `node` (the smallest such item)."""
        start, end = node.start_byte, node.end_byte
        nest = self._nest
        if nest is None or start == end:
            return self._locate_scan(node)
        starts, ends, parents, values = nest
        j = bisect.bisect_right(starts, start) - 1
        while j >= 0:
            if ends[j] >= end:
                return values[j]
            j = parents[j]
        return None

    @cached_property
    def _nest(self) -> tuple[list[int], list[int], list[int], list[tuple[int, int]]] | None:
        """The items' byte ranges sorted by start (the longer first among equal starts), each with the
        index of the smallest range around it, when they nest (any two disjoint or one inside the
        other, none empty): the ranges holding a node then form one chain, whose innermost member is
        the nearest range starting at or before the node that holds it, or one around that range — a
        bisection and a few steps up instead of a pass over every item of the function per call.
        None when they do not nest (locate scans, as before)."""
        ranges = sorted(self._where, key=lambda r: (r[0], -r[1]))
        parents: list[int] = []
        stack: list[int] = []
        for i, (start, end) in enumerate(ranges):
            if start >= end:
                return None
            while stack and ranges[stack[-1]][1] <= start:
                stack.pop()
            if stack and ranges[stack[-1]][1] < end:
                return None  # overlapping without nesting
            parents.append(stack[-1] if stack else -1)
            stack.append(i)
        return (
            [r[0] for r in ranges],
            [r[1] for r in ranges],
            parents,
            [self._where[r] for r in ranges],
        )

    def _locate_scan(self, node: Node) -> tuple[int, int] | None:
        best: tuple[int, int] | None = None
        best_size = -1
        for (start, end), where in self._where.items():
            if (
                start <= node.start_byte
                and node.end_byte <= end
                and (best is None or end - start < best_size)
            ):
                best, best_size = where, end - start
        return best

    def exits_without(self, start: Node | None, hit: Callable[[Node], bool]) -> list[Exit]:
        """Exits reachable from just after `start` (or the entry) on a path where `hit` holds for no item."""
        if start is None:
            return self.exits_from((self.entry, 0), hit)
        where = self.locate(start)
        if where is None:
            return []
        return self.exits_from((where[0], where[1] + 1), hit)

    def exits_from(
        self,
        begin: tuple[int, int],
        hit: Callable[[Node], bool] = lambda _: False,
        prune: Callable[[Node], int | None] | None = None,
    ) -> list[Exit]:
        """Exits reachable from (block, item index); `prune(last item of a block)` may name one successor
        index not to follow (0 = the `then` branch of an `if`, 1 = the other): an impossible branch."""
        found: list[Exit] = []
        seen: set[int] = set()
        stack = [begin]
        while stack:
            bid, index = stack.pop()
            if index == 0:
                if bid in seen:
                    continue
                seen.add(bid)
            block = self.blocks[bid]
            if any(hit(item) for item in block.items[index:]):
                continue
            if block.exit is not None:
                found.append(block.exit)
                continue
            cut = prune(block.items[-1]) if prune is not None and block.items else None
            for i, nxt in enumerate(block.succs):
                if i != cut:
                    stack.append((nxt, 0))
        found.sort(key=lambda e: e.node.start_byte)
        return found

    def reaches(self, start: Node, target: Node, avoid: Callable[[Node], bool] | None = None) -> bool:
        """Is there a path from just after `start` to the item containing `target` (loops included)
        on which no item before the target satisfies `avoid`?"""
        begin = self.locate(start)
        goal = self.locate(target)
        if begin is None or goal is None:
            return False
        seen: set[int] = set()
        stack = [(begin[0], begin[1] + 1)]
        while stack:
            bid, index = stack.pop()
            if index == 0:
                if bid in seen:
                    continue
                seen.add(bid)
            block = self.blocks[bid]
            for i in range(index, len(block.items)):
                if bid == goal[0] and i == goal[1]:
                    return True
                if avoid is not None and avoid(block.items[i]):
                    break
            else:
                stack.extend((nxt, 0) for nxt in block.succs)
        return False

    def reaches_from_entry(self, target: Node, avoid: Callable[[Node], bool]) -> bool:
        """Is there a path from the entry to the item containing `target` on which no item before
        it satisfies `avoid`? (False: every path to it passes an `avoid` item first.)"""
        goal = self.locate(target)
        if goal is None:
            return True
        seen: set[int] = set()
        stack = [self.entry]
        while stack:
            bid = stack.pop()
            if bid in seen:
                continue
            seen.add(bid)
            block = self.blocks[bid]
            for i, item in enumerate(block.items):
                if bid == goal[0] and i == goal[1]:
                    return True
                if avoid(item):
                    break
            else:
                stack.extend(block.succs)
        return False


def covers_any(hits: Sequence[Node]) -> Callable[[Node], bool]:
    """A `hit` predicate for exits_without: the item contains one of these nodes."""
    spans = [(h.start_byte, h.end_byte) for h in hits]

    def hit(item: Node) -> bool:
        s, e = item.start_byte, item.end_byte
        return any(s <= hs and he <= e for hs, he in spans)

    return hit


def _ends_with_fallthrough(block: Block) -> bool:
    return bool(block.items) and block.items[-1].type == "fallthrough_statement"


def _statements(node: Node) -> list[Node]:
    if node.type == "block":
        for c in node.named_children:
            if c.type == "statement_list":
                return [s for s in c.named_children if s.type != "comment"]
        return [s for s in node.named_children if s.type not in ("comment",)]
    return [node]


def _case_statements(case: Node) -> list[Node]:
    for c in case.named_children:
        if c.type == "statement_list":
            return [s for s in c.named_children if s.type != "comment"]
    return []
