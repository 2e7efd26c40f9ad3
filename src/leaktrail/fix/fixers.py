"""One fixer per rule: from a finding's position and message to edits that remove it, or the reason why
none is safe. Each fixer re-reads the syntax tree around the finding and refuses whenever the edit could
change what the program does beyond ending the leak (a value that escapes, a defer inside a loop, a lock
released before the function's end, ...). The rule modules stay untouched: the message already names the
variable, the context or the buffer the fix needs."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from leaktrail.fix.text import (
    ByteEdit,
    delete_statement,
    ends_line,
    indent_of,
    insert_after,
    insert_before,
    starts_line,
)
from leaktrail.model import Finding
from leaktrail.source.parse import Node, captures, text

FUNCS = ("function_declaration", "method_declaration", "func_literal")


@dataclass(frozen=True)
class Site:
    """What a fixer sees: the finding, its file and the smallest named node at its position."""

    finding: Finding
    src: bytes
    root: Node
    node: Node


@dataclass(frozen=True)
class Proposal:
    description: str
    edits: tuple[ByteEdit, ...]


Outcome = Proposal | str
Fixer = Callable[[Site], Outcome]


# -- tree helpers -----------------------------------------------------------------------------------------
def func_of(node: Node) -> Node | None:
    n: Node | None = node.parent
    while n is not None and n.type not in FUNCS:
        n = n.parent
    return n


def statement_of(node: Node) -> Node | None:
    """The statement (a child of a statement list) that contains `node`."""
    n: Node | None = node
    while n is not None and n.parent is not None and n.parent.type != "statement_list":
        if n.type in FUNCS or n.type == "source_file":
            return None
        n = n.parent
    return n if n is not None and n.parent is not None else None


def ancestor(node: Node, stop: Node, *types: str) -> Node | None:
    """The nearest ancestor of `node` of one of `types`, looking no further than `stop`."""
    n = node.parent
    while n is not None and n != stop:
        if n.type in types:
            return n
        n = n.parent
    return None


def in_loop(node: Node, func: Node) -> bool:
    return ancestor(node, func, "for_statement") is not None


def in_nested_func(node: Node, func: Node) -> bool:
    return ancestor(node, func, "func_literal") is not None


def body_statements(func: Node) -> list[Node]:
    body = func.child_by_field_name("body")
    if body is None:
        return []
    for c in body.named_children:
        if c.type == "statement_list":
            return [s for s in c.named_children if s.type != "comment"]
    return []


def next_statement(stmt: Node) -> Node | None:
    n = stmt.next_named_sibling
    while n is not None and n.type == "comment":
        n = n.next_named_sibling
    return n


def identifiers(scope: Node, name: str) -> list[Node]:
    return [n for n in captures("(identifier) @i", scope).get("i", []) if text(n) == name]


def declared_in(scope: Node, name: str) -> bool:
    """`name` is declared somewhere in `scope` (parameters, :=, var, range)."""
    for n in identifiers(scope, name):
        p = n.parent
        if p is None:
            continue
        if p.type in ("parameter_declaration", "variadic_parameter_declaration", "var_spec", "const_spec"):
            return True
        if p.type == "expression_list" and p.parent is not None:
            stmt = p.parent
            if (
                stmt.type in ("short_var_declaration", "range_clause")
                and stmt.child_by_field_name("left") == p
            ):
                return True
    return False


def visible_at(name: str, at: Node) -> bool:
    """A parameter of a function around `at`, or a local declared before `at` in a block around it."""
    scope = func_of(at)
    while scope is not None:
        for n in identifiers(scope, name):
            p = n.parent
            if p is None or n.start_byte >= at.start_byte:
                continue
            if p.type in ("parameter_declaration", "variadic_parameter_declaration"):
                if p.parent is not None and p.parent.parent == scope:
                    return True
                continue
            decl = p.parent if p.type == "expression_list" else p
            if decl is None or decl.type not in ("short_var_declaration", "var_spec"):
                continue
            if decl.type == "short_var_declaration" and decl.child_by_field_name("left") != p:
                continue
            block = decl.parent
            while block is not None and block.type != "statement_list":
                block = block.parent
            if block is not None and block.start_byte <= at.start_byte < block.end_byte:
                return True
        scope = func_of(scope)
    return False


def is_write(ident: Node) -> bool:
    """`ident` is assigned (=, op=, ++, --) or has its address taken."""
    p = ident.parent
    if p is None:
        return False
    if p.type in ("inc_statement", "dec_statement"):
        return True
    if p.type == "unary_expression" and text(p).startswith("&"):
        return True
    if p.type == "expression_list" and p.parent is not None:
        stmt = p.parent
        return stmt.type == "assignment_statement" and stmt.child_by_field_name("left") == p
    return False


def escapes(ident: Node, func: Node) -> str:
    """How a use of a local value lets it outlive or leave the function ('' when it does not)."""
    if in_nested_func(ident, func):
        return "is used in a function literal"
    if ancestor(ident, func, "return_statement") is not None:
        return "is returned"
    if ancestor(ident, func, "go_statement") is not None:
        return "is handed to a goroutine"
    if ancestor(ident, func, "composite_literal", "send_statement") is not None:
        return "is stored in a value or sent on a channel"
    p = ident.parent
    if p is not None and p.type == "expression_list" and p.parent is not None:
        stmt = p.parent
        if (
            stmt.type in ("assignment_statement", "short_var_declaration")
            and stmt.child_by_field_name("right") == p
        ):
            return "is assigned to another variable"
    return ""


def at_exit(stmt: Node, func: Node) -> bool:
    """After `stmt` the function returns: a plain return (no call in it) follows, or `stmt` ends its block
    and the if/switch/select/block holding it is itself at an exit (loops are not)."""
    nxt = next_statement(stmt)
    if nxt is not None:
        return nxt.type == "return_statement" and not captures("(call_expression) @c", nxt).get("c")
    container = stmt.parent.parent if stmt.parent is not None else None
    if container is None:
        return False
    if container == func.child_by_field_name("body"):
        return True
    owner = statement_of(container)
    if owner is None or owner.type == "for_statement" or func_of(owner) != func:
        return False
    if owner.type not in (
        "if_statement",
        "expression_switch_statement",
        "type_switch_statement",
        "select_statement",
        "block",
        "labeled_statement",
    ):
        return False
    return at_exit(owner, func)


def call_on(node: Node) -> Node | None:
    n: Node | None = node
    while n is not None and n.type != "call_expression":
        if n.type in FUNCS or n.type.endswith("statement"):
            return None
        n = n.parent
    return n


def method_calls(scope: Node, receiver: str, methods: tuple[str, ...]) -> list[Node]:
    """Calls `receiver.M()` in `scope` for M in `methods`."""
    out = []
    for c in captures("(call_expression function: (selector_expression) @f) @c", scope).get("f", []):
        op = c.child_by_field_name("operand")
        field = c.child_by_field_name("field")
        if text(op) == receiver and text(field) in methods and c.parent is not None:
            out.append(c.parent)
    return out


def line(site: Site, node: Node) -> int:
    return node.start_point[0] + 1


# -- GL002 lost-cancel ----------------------------------------------------------------------------------
_DISCARDED = re.compile(r"^the cancel function returned by (?:\w+\.)?(With\w+) is discarded")
_NOT_EVERY_PATH = re.compile(r"^the cancel function (\w+) is not used on every path")


def fix_gl002(site: Site) -> Outcome:
    msg = site.finding.message
    m_disc = _DISCARDED.match(msg)
    m_path = _NOT_EVERY_PATH.match(msg)
    if m_disc is None and m_path is None:
        return "the cancel function is kept in a field: where to call it is a design decision"
    call = call_on(site.node)
    func = func_of(site.node)
    stmt = statement_of(site.node)
    if call is None or func is None or stmt is None:
        return "the context is not made by a statement inside a function"
    if in_loop(stmt, func):
        return "the context is made inside a loop: a deferred cancel would run only when the function returns"
    decl = stmt
    if stmt.type == "var_declaration":
        specs = [c for c in stmt.named_children if c.type == "var_spec"]
        if len(specs) != 1:
            return "the var statement declares more than one thing"
        decl = specs[0]
        targets = list(decl.children_by_field_name("name"))
    elif stmt.type in ("short_var_declaration", "assignment_statement"):
        left = stmt.child_by_field_name("left")
        targets = list(left.named_children) if left is not None else []
    else:
        return "the context is not made by an assignment"
    if len(targets) != 2:
        return "the statement does not assign the context and its cancel function"
    ctx_name = text(targets[0])
    edits: list[ByteEdit] = []
    if m_disc is not None:
        if stmt.type == "assignment_statement":
            return "the statement assigns with =, so no new cancel variable can be declared there"
        if text(targets[1]) != "_":
            return "the cancel function is not discarded with _"
        if identifiers(func, "cancel"):
            return "the name cancel is already used in this function"
        name = "cancel"
        edits.append(ByteEdit(targets[1].start_byte, targets[1].end_byte, name))
        timed = m_disc.group(1) != "WithCancel" and m_disc.group(1) != "WithCancelCause"
    else:
        assert m_path is not None
        name = m_path.group(1)
        if text(targets[1]) != name:
            return f"{name} is not assigned by this statement"
        for use in identifiers(func, name):
            if use == targets[1]:
                continue
            p = use.parent
            if is_write(use) or p is None or p.type != "call_expression" or in_nested_func(use, func):
                return f"{name} is passed on or called from a function literal (line {line(site, use)})"
        timed = "deadline" in msg
    if ctx_name != "_":
        for use in identifiers(func, ctx_name):
            if use == targets[0] or use.start_byte < stmt.start_byte:
                continue
            why = escapes(use, func)
            if why == "is handed to a goroutine" and not timed:
                continue  # cancel-only context: the goroutine was meant to end when the caller is done
            if why:
                return (
                    f"the context {ctx_name} {why} (line {line(site, use)}): "
                    "cancelling it at return could end work meant to outlive the call"
                )
    ins = insert_after(site.src, stmt, f"defer {name}()")
    if ins is None:
        return "the statement shares its line with other code"
    edits.append(ins)
    return Proposal(f"defer {name}()", tuple(edits))


# -- GL003 waitgroup-add-in-goroutine -------------------------------------------------------------------
_BLOCKING = (
    "(send_statement) @b",
    '(unary_expression operator: "<-") @b',
    "(select_statement) @b",
    "(range_clause) @b",
    "(call_expression function: (selector_expression field: (field_identifier) @m)) @b",
)


def _blocking(scope: Node) -> Node | None:
    for pattern in _BLOCKING:
        found = captures(pattern, scope)
        for n in found.get("b", []):
            if "@m" in pattern:
                f = n.child_by_field_name("function")
                field = f.child_by_field_name("field") if f is not None else None
                if text(field) not in ("Wait", "Lock", "RLock"):
                    continue
            return n
    return None


_EXIT_CALLS = ("runtime.Goexit", "panic", "os.Exit", "log.Fatal", "log.Panic")


def _exit_in(stmt: Node, func: Node) -> Node | None:
    """A return, goto or goroutine-ending call in `stmt` (not inside a nested function literal)."""
    for n in captures("[(return_statement) (goto_statement)] @x", stmt).get("x", []):
        if not in_nested_func(n, func):
            return n
    for c in captures("(call_expression function: (_) @f)", stmt).get("f", []):
        name = text(c)
        if not in_nested_func(c, func) and (
            name.startswith(_EXIT_CALLS) or name.endswith((".Fatal", ".Fatalf", ".FailNow", ".SkipNow"))
        ):
            return c
    return None


def fix_gl003(site: Site) -> Outcome:
    if "function started with go" in site.finding.message:
        return "wg.Add is in a named function that other callers may run without go"
    call = call_on(site.node)
    stmt = statement_of(site.node)
    func = func_of(site.node)
    if call is None or stmt is None or func is None or stmt.type != "expression_statement":
        return "wg.Add is not a statement of its own"
    if func.type != "func_literal" or func.parent is None or func.parent.type != "call_expression":
        return "wg.Add is not in a function literal started with go"
    go = func.parent.parent
    if go is None or go.type != "go_statement" or statement_of(go) != go:
        return "wg.Add is not in a function literal started with go"
    if stmt not in body_statements(func):
        return "wg.Add is called conditionally inside the goroutine"
    fn = call.child_by_field_name("function")
    recv = fn.child_by_field_name("operand") if fn is not None else None
    args = call.child_by_field_name("arguments")
    if recv is None or args is None:
        return "wg.Add is not called on a WaitGroup value"
    for ident in captures("(identifier) @i", call).get("i", []):
        if declared_in(func, text(ident)):
            return f"{text(ident)} is declared inside the goroutine, so wg.Add cannot move before the go"
    if len(method_calls(func, text(recv), ("Add",))) != 1:
        return "the goroutine calls Add more than once"
    for before in body_statements(func):
        if before == stmt:
            break
        exit_ = _exit_in(before, func)
        if exit_ is not None:
            return (
                f"the goroutine can end before wg.Add (line {line(site, exit_)}): "
                "hoisted, that Add would have no Done"
            )
    blocking = _blocking(func)
    if blocking is not None:
        return (
            f"the goroutine can block (line {line(site, blocking)}): with wg.Add before the go, "
            "wg.Wait() would wait for that too and could deadlock"
        )
    gone = delete_statement(site.src, stmt)
    ins = insert_before(site.src, go, text(call))
    if gone is None or ins is None:
        return "the statements share a line in a way leaktrail does not rewrite"
    return Proposal(f"move {text(call)} before the go statement", (ins, gone))


# -- GL004 waitgroup-done-missed ------------------------------------------------------------------------
_DONE = re.compile(r"without calling (\S+)\.Done\(\) \(line \d+\)")


def fix_gl004(site: Site) -> Outcome:
    m = _DONE.search(site.finding.message)
    if m is None:
        return "the goroutine calls Add itself: the Done it owes belongs to that Add, not to a defer"
    recv = m.group(1)
    func = func_of(site.node) if site.node.type not in FUNCS else site.node
    if func is not None and site.node.type == "block" and site.node.parent is not None:
        func = site.node.parent if site.node.parent.type in FUNCS else func
    if func is None:
        return "the exit is not inside a function"
    root = recv.split(".")[0].split("[")[0]
    body = func.child_by_field_name("body")
    if body is None or declared_in(body, root):
        return f"{root} is declared inside the goroutine"
    dones = method_calls(func, recv, ("Done",))
    if not dones:
        return f"no {recv}.Done() call was found in this function"
    edits: list[ByteEdit] = []
    for call in dones:
        stmt = statement_of(call)
        if in_nested_func(call, func) or stmt is None or stmt.type != "expression_statement":
            return f"{recv}.Done() at line {line(site, call)} is not a plain statement of this function"
        if in_loop(stmt, func):
            return f"{recv}.Done() at line {line(site, call)} runs once per loop iteration"
        if not at_exit(stmt, func):
            return f"work follows {recv}.Done() at line {line(site, call)}: a deferred Done would wait for it"
        gone = delete_statement(site.src, stmt)
        if gone is None:
            return f"{recv}.Done() at line {line(site, call)} shares its line with other code"
        edits.append(gone)
    first = body_statements(func)
    if not first:
        return "the function body is empty"
    ins = insert_before(site.src, first[0], f"defer {recv}.Done()")
    if ins is None or any(e.start <= ins.start < e.end for e in edits):
        return "the first statement of the goroutine cannot take a defer before it"
    return Proposal(f"defer {recv}.Done() first in the goroutine", (ins, *edits))


# -- GL006 abandoned-sender -----------------------------------------------------------------------------
_UNBUFFERED = re.compile(r"^goroutine sends on unbuffered channel (\w+), but .*make it buffered \(make\(")


_CTX_SELECT = re.compile(r"^goroutine sends on .*select on (\w+)\.Done\(\) in the goroutine")


def fix_gl006(site: Site) -> Outcome:
    """A buffer of one for a single sender; otherwise a select on the ctx.Done() in scope."""
    buffered = _gl006_buffer(site)
    if isinstance(buffered, Proposal):
        return buffered
    m = _CTX_SELECT.match(site.finding.message)
    if m is None:
        return buffered
    selected = _gl006_select(site, m.group(1))
    if isinstance(selected, Proposal):
        return selected
    return f"{buffered}; and no select on {m.group(1)}.Done(): {selected}"


def _gl006_select(site: Site, ctx: str) -> Outcome:
    send: Node | None = site.node
    while send is not None and send.type != "send_statement":
        send = send.parent
    if send is None or statement_of(send) != send:
        return "the send is not a statement of its own"
    func = func_of(send)
    if func is None or func.child_by_field_name("result") is not None:
        return "the goroutine's function returns values"
    if not visible_at(ctx, send):
        return f"{ctx} is not declared around the goroutine"
    if any(ctx == text(i) for i in captures("(identifier) @i", send).get("i", [])):
        return f"the send itself uses {ctx}"
    if not (starts_line(site.src, send) and ends_line(site.src, send)):
        return "the send shares its line with other code"
    ind = indent_of(site.src, send.start_byte)
    new = f"select {{\n{ind}case {text(send)}:\n{ind}case <-{ctx}.Done():\n{ind}\treturn\n{ind}}}"
    return Proposal(
        f"select on {ctx}.Done() around the send", (ByteEdit(send.start_byte, send.end_byte, new),)
    )


def _gl006_buffer(site: Site) -> Outcome:
    m = _UNBUFFERED.match(site.finding.message)
    if m is None:
        return "only a single send on a local unbuffered channel gets an automatic buffer of one"
    name = m.group(1)
    send: Node | None = site.node
    while send is not None and send.type != "send_statement":
        send = send.parent
    if send is None:
        return "the send was not found at the reported position"
    gofunc = func_of(send)
    if gofunc is None or gofunc.type != "func_literal" or gofunc.parent is None:
        return "the send is not in a function literal started with go"
    go = gofunc.parent.parent
    outer = func_of(gofunc)
    if go is None or go.type != "go_statement" or outer is None:
        return "the send is not in a function literal started with go"
    body = body_statements(gofunc)
    if not body or body[-1] != send:
        return (
            "the send is not the goroutine's last statement: with a buffer, what follows it would run earlier"
        )
    decls = []
    for ident in identifiers(outer, name):
        if ident.parent is not None and ident.parent.type == "parameter_declaration":
            return f"{name} is a parameter"
        if is_write(ident):
            return f"{name} is assigned again (line {line(site, ident)})"
        p = ident.parent
        if p is not None and p.type == "expression_list" and p.parent is not None:
            st = p.parent
            if st.type == "short_var_declaration" and st.child_by_field_name("left") == p:
                decls.append(st)
                continue
        if p is not None and p.type == "send_statement" and p.child_by_field_name("channel") == ident:
            if p != send:
                return f"{name} has another sender (line {line(site, p)})"
            continue
        if p is not None and p.type == "unary_expression" and text(p).startswith("<-"):
            continue
        if p is not None and p.type == "range_clause":
            continue
        return f"{name} is used as a value at line {line(site, ident)} (passed, stored or measured)"
    if len(decls) != 1:
        return f"{name} is not declared once in this function"
    decl = decls[0]
    right = decl.child_by_field_name("right")
    left = decl.child_by_field_name("left")
    if right is None or left is None or len(right.named_children) != 1 or len(left.named_children) != 1:
        return f"{name} is not declared alone"
    make = right.named_children[0]
    fn = make.child_by_field_name("function")
    args = make.child_by_field_name("arguments")
    if make.type != "call_expression" or text(fn) != "make" or args is None or len(args.named_children) != 1:
        return f"{name} is not made by make(chan T)"
    loop = ancestor(go, outer, "for_statement")
    if loop is not None and ancestor(decl, outer, "for_statement") != loop:
        return "the goroutine is started in a loop: more than one sender shares the channel"
    close = args.children[-1]
    return Proposal(
        f"make {name} buffered (one slot for its single sender)",
        (ByteEdit(close.start_byte, close.start_byte, ", 1"),),
    )


# -- GL010 query-without-context ------------------------------------------------------------------------
_QUERY = re.compile(r"^(\S+) runs without a context .*; use ([\w.]+)\((.+), …\)")


def fix_gl010(site: Site) -> Outcome:
    m = _QUERY.match(site.finding.message)
    if m is None:
        return "the call already takes a context; which one should bound it is a design decision"
    old, new, ctx = m.groups()
    call = call_on(site.node)
    fn = call.child_by_field_name("function") if call is not None else None
    args = call.child_by_field_name("arguments") if call is not None else None
    if call is None or fn is None or args is None or text(fn) != old or fn.type != "selector_expression":
        return "the call was not found at the reported position"
    field = fn.child_by_field_name("field")
    if field is None or not new.startswith(old.rsplit(".", 1)[0] + "."):
        return "the suggested method is not on the same receiver"
    method = new.rsplit(".", 1)[1]
    if args.named_children:
        extra = ctx + ", "
    else:
        extra = ctx + (", nil" if method == "BeginTx" else "")
    open_paren = args.children[0]
    return Proposal(
        f"call {new} with {ctx}",
        (
            ByteEdit(field.start_byte, field.end_byte, method),
            ByteEdit(open_paren.end_byte, open_paren.end_byte, extra),
        ),
    )


# -- GL013 ticker-not-stopped ---------------------------------------------------------------------------
_TICKER = re.compile(
    r"^the (?:ticker|timer) (\w+) made by \S+ is (?:never stopped|not stopped on every path)"
)


def fix_gl013(site: Site) -> Outcome:
    m = _TICKER.match(site.finding.message)
    if m is None:
        return "the ticker is kept in a field or used only for its channel: who stops it is a design decision"
    return _defer_after_local(site, m.group(1), "Stop", allow_values=False)


def _defer_after_local(site: Site, name: str, method: str, *, allow_values: bool) -> Outcome:
    stmt = statement_of(site.node)
    func = func_of(site.node)
    if stmt is None or func is None or stmt.type not in ("short_var_declaration", "assignment_statement"):
        return f"{name} is not assigned by a statement inside a function"
    left = stmt.child_by_field_name("left")
    if left is None or len(left.named_children) != 1 or text(left.named_children[0]) != name:
        return f"the statement assigns more than {name}"
    if in_loop(stmt, func):
        return "it is made inside a loop: a deferred Stop would run only when the function returns"
    for use in identifiers(func, name):
        if use == left.named_children[0] or use.start_byte < stmt.start_byte:
            continue
        if is_write(use):
            return f"{name} is assigned again (line {line(site, use)})"
        why = escapes(use, func)
        if why:
            return f"{name} {why} (line {line(site, use)}): stopping it at return could break its other user"
        p = use.parent
        if not allow_values and (p is None or p.type != "selector_expression"):
            return f"{name} is passed on at line {line(site, use)}"
    ins = insert_after(site.src, stmt, f"defer {name}.{method}()")
    if ins is None:
        return "the statement shares its line with other code"
    return Proposal(f"defer {name}.{method}()", (ins,))


# -- GL016 loop-variable-capture ------------------------------------------------------------------------
_LOOPVARS = re.compile(r"^goroutine closure captures loop variables? (.+?), shared by every iteration")


def _declaring_loop(go: Node, outer: Node, name: str) -> Node | None:
    """The for statement around `go` whose header (range or init clause) declares `name`."""
    loop = ancestor(go, outer, "for_statement")
    while loop is not None:
        for header in loop.named_children:
            if header.type in ("range_clause", "for_clause") and declared_in(header, name):
                return loop
        loop = ancestor(loop, outer, "for_statement")
    return None


def fix_gl016(site: Site) -> Outcome:
    m = _LOOPVARS.match(site.finding.message)
    if m is None:
        return "the message does not name the loop variables"
    names = re.split(r", | and ", m.group(1))
    func = func_of(site.node)
    call = func.parent if func is not None and func.type == "func_literal" else None
    go = call.parent if call is not None and call.type == "call_expression" else None
    if func is None or go is None or go.type != "go_statement":
        return "the closure is not started by a go statement"
    outer = func_of(go)
    stmt = statement_of(go)
    if outer is None or stmt != go:
        return "the go statement is not a statement of its own"
    for name in names:
        loop = _declaring_loop(go, outer, name)
        body = loop.child_by_field_name("body") if loop is not None else None
        if body is None:
            return f"the loop that declares {name} was not found"
        for use in identifiers(body, name):
            if is_write(use):
                return f"{name} is changed inside the loop (line {line(site, use)}): a copy would not see it"
            if declared_in(body, name) and use.start_byte < go.start_byte:
                return f"{name} is declared again inside the loop"
    ins = insert_before(site.src, go, *(f"{n} := {n}" for n in names))
    if ins is None:
        return "the go statement shares its line with other code"
    return Proposal("copy " + ", ".join(names) + " for the goroutine", (ins,))


# -- GL017 response-body-not-closed ---------------------------------------------------------------------
_BODY = re.compile(r"^the Body of (\w+) \(from ")


def fix_gl017(site: Site) -> Outcome:
    m = _BODY.match(site.finding.message)
    if m is None:
        return "the response is discarded: assign it first; where to close it depends on the code"
    name = m.group(1)
    stmt = statement_of(site.node)
    func = func_of(site.node)
    if stmt is None or func is None or stmt.type not in ("short_var_declaration", "assignment_statement"):
        return "the request is not a statement inside a function"
    left = stmt.child_by_field_name("left")
    targets = list(left.named_children) if left is not None else []
    if len(targets) != 2 or text(targets[0]) != name or text(targets[1]) == "_":
        return "the error of the request is not assigned to a variable, so the body may be nil"
    err = text(targets[1])
    check = next_statement(stmt)
    cond = check.child_by_field_name("condition") if check is not None else None
    cons = check.child_by_field_name("consequence") if check is not None else None
    if (
        check is None
        or check.type != "if_statement"
        or check.child_by_field_name("alternative") is not None
        or check.child_by_field_name("initializer") is not None
        or text(cond).replace(" ", "") != f"{err}!=nil"
        or cons is None
    ):
        return f"the request is not followed by `if {err} != nil {{ … }}`"
    stmts = [
        s
        for s in (cons.named_children[0].named_children if cons.named_children else [])
        if s.type != "comment"
    ]
    last = stmts[-1] if stmts else None
    if in_loop(stmt, func):
        return (
            "the request is inside a loop: a deferred Close would keep every body open "
            "until the function returns"
        )
    if last is None or not (last.type == "return_statement" or text(last).startswith(_ENDS)):
        return "the error branch does not end the function"
    for use in identifiers(func, name):
        if use == targets[0] or use.start_byte < stmt.start_byte:
            continue
        if is_write(use):
            return f"{name} is assigned again (line {line(site, use)})"
        p = use.parent
        field = p.child_by_field_name("field") if p is not None and p.type == "selector_expression" else None
        if field is not None and text(field) != "Body" and not in_nested_func(use, func):
            continue  # resp.StatusCode, resp.Header: values read now, the body is not involved
        why = "" if field is not None and _consumed(p) else escapes(use, func)
        if why:
            return f"{name} {why} (line {line(site, use)}): closing its body at return could break that"
        if p is None or not (
            p.type == "selector_expression" or (p.type == "binary_expression" and "nil" in text(p))
        ):
            return f"{name} is passed on at line {line(site, use)}"
    ins = insert_after(site.src, check, f"defer {name}.Body.Close()")
    if ins is None:
        return "the error check shares its line with other code"
    return Proposal(f"defer {name}.Body.Close() after the error check", (ins,))


_ENDS = ("panic(", "log.Fatal", "log.Panic", "os.Exit(", "t.Fatal", "t.Skip", "b.Fatal", "b.Skip")
_CONSUMERS = ("io.ReadAll", "ioutil.ReadAll", "io.Copy", "io.CopyN")


def _consumed(body: Node | None) -> bool:
    """`resp.Body` is read to completion by the expression around it (io.ReadAll(resp.Body),
    json.NewDecoder(resp.Body).Decode(v)) before a return could hand anything holding it out."""
    args = body.parent if body is not None else None
    call = args.parent if args is not None and args.type == "argument_list" else None
    if call is None or call.type != "call_expression":
        return False
    fn = text(call.child_by_field_name("function"))
    if fn in _CONSUMERS:
        return True
    sel = call.parent
    return (
        fn == "json.NewDecoder"
        and sel is not None
        and sel.type == "selector_expression"
        and text(sel.child_by_field_name("field")) == "Decode"
        and sel.parent is not None
        and sel.parent.type == "call_expression"
    )


# -- GL018 lock-not-released ----------------------------------------------------------------------------
def fix_gl018(site: Site) -> Outcome:
    call = call_on(site.node)
    stmt = statement_of(site.node)
    func = func_of(site.node)
    fn = call.child_by_field_name("function") if call is not None else None
    if call is None or stmt is None or func is None or fn is None or fn.type != "selector_expression":
        return "the Lock call was not found at the reported position"
    recv = text(fn.child_by_field_name("operand"))
    method = text(fn.child_by_field_name("field"))
    if method not in ("Lock", "RLock"):
        return "only Lock and RLock are fixed"
    unlock = "Unlock" if method == "Lock" else "RUnlock"
    if stmt not in body_statements(func) or stmt.type != "expression_statement":
        return f"{recv}.{method}() is not a top-level statement of the function (it is in a branch or loop)"
    if len(method_calls(func, recv, ("Lock", "RLock", "TryLock", "TryRLock"))) != 1:
        return f"the function locks {recv} more than once"
    edits: list[ByteEdit] = []
    unlocks = method_calls(func, recv, ("Unlock", "RUnlock"))
    if not unlocks:
        return f"the function never unlocks {recv}: it may hand the lock to its caller"
    for u in unlocks:
        ustmt = statement_of(u)
        if in_nested_func(u, func) or ustmt is None or ustmt.type != "expression_statement":
            return f"{recv} is unlocked at line {line(site, u)} in a way leaktrail does not rewrite"
        if text(u.child_by_field_name("function")).endswith("." + unlock) is False:
            return f"{recv} is unlocked with the other kind of Unlock at line {line(site, u)}"
        if u.start_byte < stmt.start_byte:
            return f"{recv} is unlocked before the Lock (line {line(site, u)})"
        if not at_exit(ustmt, func):
            return (
                f"{recv} is unlocked at line {line(site, u)} before work that follows: "
                "a deferred Unlock would hold it longer"
            )
        gone = delete_statement(site.src, ustmt)
        if gone is None:
            return f"the Unlock at line {line(site, u)} shares its line with other code"
        edits.append(gone)
    ins = insert_after(site.src, stmt, f"defer {recv}.{unlock}()")
    if ins is None:
        return "the Lock shares its line with other code"
    return Proposal(f"defer {recv}.{unlock}() after the {method}", (ins, *edits))


FIXERS: dict[str, Fixer] = {
    "GL002": fix_gl002,
    "GL003": fix_gl003,
    "GL004": fix_gl004,
    "GL006": fix_gl006,
    "GL010": fix_gl010,
    "GL013": fix_gl013,
    "GL016": fix_gl016,
    "GL017": fix_gl017,
    "GL018": fix_gl018,
}
