"""Goroutine closures that capture a loop variable shared by all iterations before Go 1.22 (GL016)."""

from __future__ import annotations

from collections.abc import Iterator

from leaktrail.model import Severity
from leaktrail.rules import rule
from leaktrail.rules.base import Context, Report
from leaktrail.rules.goroutines import GO_NEEDLES, go_statements, inside, may_start_goroutine
from leaktrail.source.parse import Node, captures, text, unparen
from leaktrail.source.resolve import FUNC_NODES, Decl, Resolver

PER_ITERATION = (1, 22)
"""From this version on, each iteration of a `for` loop has its own copy of the loop variables."""


def loop_variables(res: Resolver, loop: Node) -> list[Decl]:
    """The variables a `for` loop declares with `:=` in its header (range keys/values, the init clause)."""
    out: list[Decl] = []
    for clause in loop.named_children:
        if clause.type == "range_clause":
            left = clause.child_by_field_name("left")
            names = left.named_children if left is not None else []
        elif clause.type == "for_clause":
            init = clause.child_by_field_name("initializer")
            if init is None or init.type != "short_var_declaration":
                continue
            left = init.child_by_field_name("left")
            names = left.named_children if left is not None else []
        else:
            continue
        for name in names:
            if name.type == "identifier" and text(name) != "_":
                decl = res.decl_of(name)
                if decl is not None and decl.ident == name:
                    out.append(decl)
    return out


def _loops_around(stmt: Node) -> list[Node]:
    """The `for` loops around a statement, innermost first, without leaving its function."""
    out = []
    p = stmt.parent
    while p is not None and p.type not in FUNC_NODES:
        if p.type == "for_statement":
            out.append(p)
        p = p.parent
    return out


def _waits_after(res: Resolver, stmt: Node, loop: Node) -> bool:
    """The iteration waits for the goroutine before the loop variable changes (`<-done`, `wg.Wait()`)."""
    body = loop.child_by_field_name("body")
    if body is None:
        return False
    for op in captures('(unary_expression operator: "<-") @r', body).get("r", []):
        if op.start_byte > stmt.end_byte and _same_level(op, stmt, loop):
            return True
    for m in captures(
        "(call_expression function: (selector_expression field: (field_identifier) @m))", body
    ).get("m", []):
        if text(m) == "Wait" and m.start_byte > stmt.end_byte and _same_level(m, stmt, loop):
            return True
    return False


_JUMPS = "[(continue_statement) @x (goto_statement) @x (break_statement) @x]"
_BREAKABLE = frozenset({"expression_switch_statement", "type_switch_statement", "select_statement"})


def _leaves_after(stmt: Node, loop: Node) -> bool:
    """After starting the goroutine the iteration leaves the loop for good: a `return`, or a `break` of
    this loop, follows the go statement in a block around it with no `continue`/`goto` in between. The
    loop variable then never changes while the goroutine runs."""
    label_node = loop.parent.child_by_field_name("label") if loop.parent is not None else None
    label = text(label_node) if loop.parent is not None and loop.parent.type == "labeled_statement" else None
    node = stmt
    while node != loop:
        parent = node.parent
        if parent is None or parent.type in FUNC_NODES or (parent.type == "for_statement" and parent != loop):
            return False
        if parent.type in ("block", "statement_list"):
            sib = node.next_named_sibling
            while sib is not None:
                if sib.type == "return_statement":
                    return True
                if sib.type == "break_statement":
                    target = next((c for c in sib.named_children if c.type == "label_name"), None)
                    if target is None:
                        return _innermost_breakable(parent) == loop
                    return label is not None and text(target) == label
                if captures(_JUMPS, sib).get("x"):
                    return False
                sib = sib.next_named_sibling
        node = parent
    return False


def _innermost_breakable(node: Node) -> Node | None:
    """The statement an unlabeled `break` at node leaves: the innermost for, switch or select."""
    p: Node | None = node
    while p is not None and p.type not in FUNC_NODES:
        if p.type == "for_statement" or p.type in _BREAKABLE:
            return p
        p = p.parent
    return None


def _same_level(node: Node, stmt: Node, loop: Node) -> bool:
    """`node` runs in the loop's function, not in a closure (the goroutine's own receive does not count)."""
    p = node.parent
    while p is not None and p != loop:
        if p.type in FUNC_NODES:
            return False
        p = p.parent
    return p == loop


@rule(
    "GL016",
    "loop-variable-capture",
    Severity.WARNING,
    "a goroutine closure started in a loop captures the loop variable (before Go 1.22)",
    prefilter=GO_NEEDLES,
    package_needs=(b"for ",),
)
def loop_variable_capture(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags the first use, inside a `go func() { … }()` closure started in a `for` loop, of a variable
    declared by that loop's header (`for i := 0; …; i++`, `for k, v := range m`), in modules whose
    `go.mod` says `go 1.21` or older.

    ## Why is this bad?
    Before Go 1.22 a loop has a single variable for all iterations. The closure captures that variable,
    not its current value, so by the time the goroutine runs, the loop has usually moved on: all the
    goroutines see the last element (or a value from a later iteration), items are processed twice or
    never, and the reads race with the loop's writes (`go test -race` reports a DATA RACE). A goroutine
    that waits for "its" item then may wait forever, `[chan receive]` in the dump.

    ## Example
    ```go
    for _, job := range jobs {
        go func() {
            run(job) // every goroutine may run the last job
        }()
    }
    ```

    ## Use instead
    ```go
    for _, job := range jobs {
        job := job // a copy per iteration
        go func() {
            run(job)
        }()
    }
    ```
    or pass it as an argument (`go func(j Job) { run(j) }(job)`), or set `go 1.22` or later in go.mod,
    where every iteration has its own variable.

    ## When it stays silent
    Modules at Go 1.22 or later (and code without a go.mod, treated as current Go); a variable re-declared
    in the loop body (`v := v`) or passed as an argument; variables declared outside the loop header;
    an iteration that waits for the goroutine (`<-done`, `wg.Wait()`) after starting it; an iteration
    that leaves the loop right after starting it (a `return`, or a `break` of that loop, follows the go
    statement with no `continue` in between): the variable never changes while the goroutine runs.
    Each captured variable is reported once per closure, at its first use.

    ## Suppress
    `//leaktrail:ignore GL016 reason` on the reported line or the line above.
    """
    version = ctx.go_version
    if version is None or version >= PER_ITERATION:
        return
    for file in ctx.files:
        if not may_start_goroutine(file):
            continue
        res = ctx.resolver(file)
        for stmt in go_statements(ctx, file):
            call = next((c for c in stmt.named_children if c.type == "call_expression"), None)
            fn = unparen(call.child_by_field_name("function") or call) if call is not None else None
            if fn is None or fn.type != "func_literal":
                continue
            loops = _loops_around(stmt)
            if not loops:
                continue
            owners = {d.key: (d, loop) for loop in loops for d in loop_variables(res, loop)}
            if not owners:
                continue
            body = fn.child_by_field_name("body")
            if body is None:
                continue
            first: dict[tuple[int, int], Node] = {}
            for ident in captures("(identifier) @i", body).get("i", []):
                decl = res.decl_of(ident)
                if decl is None or decl.key not in owners or decl.key in first or inside(decl.ident, fn):
                    continue
                loop = owners[decl.key][1]
                if not _waits_after(res, stmt, loop) and not _leaves_after(stmt, loop):
                    first[decl.key] = ident
            by_line: dict[int, list[Node]] = {}
            for ident in sorted(first.values(), key=lambda n: n.start_byte):
                by_line.setdefault(ident.start_point[0], []).append(ident)
            for idents in by_line.values():
                yield Report(file, idents[0], _message([text(i) for i in idents], version))


def _message(names: list[str], version: tuple[int, int]) -> str:
    which = " and ".join(names)
    noun = "variable" if len(names) == 1 else "variables"
    copy = "; ".join(f"{n} := {n}" for n in names)
    return (
        f"goroutine closure captures loop {noun} {which}, shared by every iteration before Go 1.22 "
        f"(go.mod says go {version[0]}.{version[1]}): the goroutine may see a later value; pass "
        f"{which} as an argument, copy it ({copy}) or move the module to go 1.22"
    )
