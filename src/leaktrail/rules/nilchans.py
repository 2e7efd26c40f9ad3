"""Operations on channels that are provably nil (GL021), and the nil-channel analysis GL005 reuses."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from leaktrail.model import Severity
from leaktrail.rules import rule
from leaktrail.rules.base import Context, Report
from leaktrail.rules.channels import RANGES, RECVS, SENDS, channel_captures, keys_named, literal_type
from leaktrail.rules.tokens import (
    identifiers_named,
    literal_bodies,
    word_boundary,
    written_selectors,
)
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, captures, is_assign_target, text, unparen
from leaktrail.source.resolve import Decl, Resolver, struct_fields
from leaktrail.source.types import GoType


def _channel_ops(ctx: Context, file: GoFile) -> list[Node]:
    """Every send statement, `<-` receive and range clause of the file, in document order: the parents
    of the captures every channel rule shares (channels.channel_captures: the per-file index's
    patterns, or their tokens when no index is built), so no walk of the tree of its own."""
    ops = [
        c.parent
        for pattern in (SENDS, RECVS, RANGES)
        for c in channel_captures(ctx, file, pattern)
        if c.parent is not None
    ]
    ops.sort(key=lambda n: (n.start_byte, -n.end_byte))
    return ops


_WORD_AFTER = re.compile(rb"[ \t]*\(?([\w.]+)")
_WORD_BEFORE = re.compile(rb"([\w.]+)\)?[ \t]*$")


def _op_operands(data: bytes) -> Iterator[bytes]:
    """The operands of receives, sends and ranges as written (a cheap pre-check before any tree query):
    scans from each `<-` and `range`, never from each byte."""
    at = data.find(b"<-")
    while at >= 0:
        after = _WORD_AFTER.match(data, at + 2)
        if after is not None:
            yield after.group(1)
        before = _WORD_BEFORE.search(data, max(0, at - 80), at)
        if before is not None:
            yield before.group(1)
        at = data.find(b"<-", at + 2)
    at = data.find(b"range")
    while at >= 0:
        after = _WORD_AFTER.match(data, at + 5)
        if after is not None:
            yield after.group(1)
        at = data.find(b"range", at + 5)


_DECL_PREFIX = re.compile(rb"[ \t]*(?:var[ \t]+)?(\w+(?:[ \t]*,[ \t]*\w+)*)[ \t]+(?:<-[ \t]*)?")


def _chan_declared_names(data: bytes) -> set[str]:
    """Names on the left of a `chan` type at the start of a line: `x chan T`, `a, b <-chan T`,
    `var x chan T` (struct fields, var blocks, var statements). Scans from each `chan`, not each line."""
    names: set[str] = set()
    at = data.find(b"chan")
    while at >= 0:
        start = data.rfind(b"\n", 0, at) + 1
        m = _DECL_PREFIX.fullmatch(data, start, at)
        if m is not None and data[at + 4 : at + 5] in (b" ", b"<", b"\t", b"("):
            names.update(n.strip().decode() for n in m.group(1).split(b","))
        at = data.find(b"chan", at + 4)
    return names


def _chan_type_node(node: Node | None) -> bool:
    while node is not None and node.type == "parenthesized_type":
        node = node.named_children[0] if node.named_children else None
    return node is not None and node.type == "channel_type"


def is_written(ident: Node) -> bool:
    """`x = …`, `x, err := …`, `for x = range …`, `case x = <-…`, `&x`, `x++`: the statement may change x."""
    use = ident
    parent = use.parent
    while parent is not None and parent.type in ("parenthesized_expression",):
        use, parent = parent, parent.parent
    if parent is None:
        return False
    if is_assign_target(use):
        return True
    if parent.type == "expression_list":
        stmt = parent.parent
        if stmt is not None and stmt.type in ("range_clause", "receive_statement"):
            return stmt.child_by_field_name("left") == parent
    if parent.type == "unary_expression" and text(parent.child_by_field_name("operator")) == "&":
        return True
    return parent.type in ("inc_statement", "dec_statement")


def comm_of_case(op: Node) -> bool:
    """True when a send/receive operation is the communication of a select case."""
    stmt = op
    if op.type == "unary_expression":
        parent = op.parent
        while parent is not None and parent.type == "parenthesized_expression":
            parent = parent.parent
        if parent is None:
            return False
        if parent.type == "expression_list" and parent.parent is not None:
            parent = parent.parent
        stmt = parent
    case = stmt.parent
    return (
        case is not None
        and case.type == "communication_case"
        and case.child_by_field_name("communication") == stmt
    )


class NilChannels:
    """Which channel expressions are provably nil: declared without a value and never written."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._locals: dict[tuple[int, int, int], bool] = {}
        self._globals: dict[str, bool] = {}
        self._fields: dict[tuple[str, str], bool] = {}

    def nil_name(self, res: Resolver, expr: Node) -> str | None:
        """The name of the provably nil channel `expr` denotes, or None."""
        expr = unparen(expr)
        if expr.type == "type_conversion_expression":
            operand = expr.child_by_field_name("operand")
            nil = operand is not None and unparen(operand).type == "nil"
            return text(expr) if nil and _chan_type_node(expr.child_by_field_name("type")) else None
        if expr.type == "identifier":
            if text(expr) not in self.candidates():
                return None  # cheap syntactic filter before any scope is built
            decl = res.decl_of(expr)
            if decl is not None:
                return text(expr) if self._local_nil(res, decl) else None
            return text(expr) if self._global_nil(text(expr)) else None
        if expr.type == "selector_expression":
            fname = text(expr.child_by_field_name("field"))
            if fname not in self.candidates() or not fname[:1].islower():
                return None  # cheap filters before any type inference (_compute_field: exported, no)
            operand = expr.child_by_field_name("operand")
            if operand is None or (operand.type == "identifier" and res.is_import(operand) is not None):
                return None
            owner = res.infer(operand)
            if owner is None or owner.deref().kind != "named" or owner.deref().pkg:
                return None
            return text(expr) if self._field_nil(owner.deref(), fname) else None
        return None

    def candidates(self) -> frozenset[str]:
        """Names declared with a channel type and no value (`var ch chan T`, struct fields, var blocks):
        a superset found with a regex over the source, so that most channel operations are ruled out
        before any scope is built or type inferred."""
        cached = self.ctx.shared.get("nilchans:candidates")
        if cached is None:
            names: set[str] = set()
            for f in self.ctx.pkg.files_containing(b"chan"):
                names.update(_chan_declared_names(f.data))
            cached = self.ctx.shared["nilchans:candidates"] = frozenset(names)
        assert isinstance(cached, frozenset)
        return cached

    def may_operate(self, file: GoFile) -> bool:
        """Does the file hold a send, receive or range that names a candidate?"""
        key = f"nilchans:ops:{id(file)}"
        found = self.ctx.shared.get(key)
        if found is None:
            names = self.candidates()
            found = bool(names) and any(
                w.rsplit(b".", 1)[-1].decode() in names for w in _op_operands(file.data)
            )
            self.ctx.shared[key] = found
        return bool(found)

    def _local_nil(self, res: Resolver, decl: Decl) -> bool:
        if decl.kind != "var" or decl.value is not None or not _chan_type_node(decl.type_node):
            return False
        key = (id(res.file), decl.ident.start_byte, decl.ident.end_byte)
        found = self._locals.get(key)
        if found is None:
            found = self._locals[key] = not any(
                ident != decl.ident and text(ident) == decl.name and is_written(ident)
                for ident in captures("(identifier) @i", decl.func).get("i", [])
            )
        return found

    def _global_nil(self, name: str) -> bool:
        found = self._globals.get(name)
        if found is None:
            found = self._globals[name] = self._compute_global(name)
        return found

    def _compute_global(self, name: str) -> bool:
        if not name[:1].islower():
            return False  # exported (or _): other packages may assign it
        var = self.ctx.pkg.lookup_var(name)
        if var is None:
            return False
        _, spec, _ = var
        if spec.child_by_field_name("value") is not None or not _chan_type_node(
            spec.child_by_field_name("type")
        ):
            return False
        for f in self.ctx.pkg.files_containing(name.encode()):
            res = self.ctx.resolver(f)
            for ident in identifiers_named(f, name):
                if text(ident) == name and is_written(ident) and res.decl_of(ident) is None:
                    return False
        return True

    def _field_nil(self, owner: GoType, fname: str) -> bool:
        key = (owner.name, fname)
        found = self._fields.get(key)
        if found is None:
            found = self._fields[key] = self._compute_field(owner, fname)
        return found

    def _compute_field(self, owner: GoType, fname: str) -> bool:
        if not fname[:1].islower():
            return False  # exported: other packages may set it
        hit = self.ctx.pkg.lookup_type(owner.name)
        if hit is None:
            return False
        _, spec = hit
        struct = spec.child_by_field_name("type")
        if struct is None or struct.type != "struct_type" or spec.type == "type_alias":
            return False
        declared = False
        for fdecl in struct_fields(struct):
            if any(text(n) == fname for n in fdecl.children_by_field_name("name")):
                declared = _chan_type_node(fdecl.child_by_field_name("type"))
        if not declared:
            return False
        name = fname.encode()
        writes = self.ctx.shared.setdefault("nilchans:may-write", {})
        for f in self.ctx.pkg.files_containing(name):
            may = writes.get((id(f), name))
            if may is None:  # (the same field name is asked for each struct declaring it)
                may = writes[(id(f), name)] = _may_write(f.data, name)
            if may and not self._file_leaves_field(f, owner, fname):
                return False
        tname = owner.name.encode()
        for f in self.ctx.pkg.files_containing(tname):
            if _word_then(f.data, tname, _BRACE) and _unkeyed_literal_of(
                literal_bodies(f, owner.name), owner.name
            ):
                return False
        return True

    def _declares(self, t: GoType, fname: str) -> bool:
        """Does local struct type t declare field fname itself (not through an embedded type)?"""
        if t.pkg:
            return True  # another package's type: not ours
        hit = self.ctx.pkg.lookup_type(t.name)
        struct = hit[1].child_by_field_name("type") if hit is not None else None
        if struct is None or struct.type != "struct_type":
            return False
        return any(
            text(n) == fname for fdecl in struct_fields(struct) for n in fdecl.children_by_field_name("name")
        )

    def _file_leaves_field(self, f: GoFile, owner: GoType, fname: str) -> bool:
        res = self.ctx.resolver(f)
        for sel in written_selectors(f, fname):
            if text(sel.child_by_field_name("field")) != fname or not is_written(sel):
                continue
            other = res.infer(sel.child_by_field_name("operand"))
            if other is None or other.deref().kind != "named" or other.deref() == owner:
                return False
            if not self._declares(other.deref(), fname):
                return False  # promoted through embedding: it may be the owner's field
        for key in keys_named(f, fname, with_value=False):
            if text(key) != fname:
                continue
            lit = literal_type(res, key)
            if lit is None or lit.kind != "named" or lit == owner:
                return False
        return True


_ASSIGNED = re.compile(rb"\s*(?:,|=[^=])")
_COLON = re.compile(rb"\s*:")
_BRACE = re.compile(rb"\s*\{")
_SPACE_OR_SEMI = frozenset(b" \t\n\r\f\v;")


def _may_write(data: bytes, name: bytes) -> bool:
    r"""Could the bytes set field `name`: `.name =`, `.name, … =`, `&….name`, `name:` (the regex
    `\.name\s*(?:,|=[^=])|&[^\s;]*\.name\b|\bname\s*:`). Two patterns led by literals (`.name`, and
    `name` then `\s*:`), the rest checked at their few matches: a regex that starts with an alternation
    is tried at every byte of the file, and a loop over every occurrence of a short name (`c`, `ch`)
    in Python cost more than the rest of the rule. A name is a word: no match of either pattern
    hides another one inside it."""
    dotted, keyed = _write_shapes(name)
    for m in dotted.finditer(data):
        if m.group(1) is not None or _address_before(data, m.start()):
            return True
    return any(word_boundary(data, m.start()) for m in keyed.finditer(data))


@functools.lru_cache(maxsize=4096)
def _write_shapes(name: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    r"""_may_write's patterns for one name: `.name` then an assignment (group 1) or a word end, and
    `name` then `\s*:` (compiled once per name: the same field names are asked of many files)."""
    word = re.escape(name)
    return (
        re.compile(rb"\." + word + rb"(?:(" + _ASSIGNED.pattern + rb")|\b)"),
        re.compile(word + _COLON.pattern),
    )


def _address_before(data: bytes, dot: int) -> bool:
    r"""`&[^\s;]*` right before the byte at `dot`."""
    j = dot - 1
    while j >= 0 and data[j] not in _SPACE_OR_SEMI:
        if data[j] == 0x26:
            return True
        j -= 1
    return False


def _word_then(data: bytes, word: bytes, after: re.Pattern[bytes]) -> bool:
    r"""`\bword` followed by `after` somewhere in the bytes."""
    at = data.find(word)
    while at >= 0:
        if word_boundary(data, at) and after.match(data, at + len(word)):
            return True
        at = data.find(word, at + 1)
    return False


def _unkeyed_literal_of(literals: list[Node], type_name: str) -> bool:
    """A composite literal whose type mentions `type_name` with positional elements (sets every field)."""
    for lit in literals:
        parent = lit.parent
        tnode = parent.child_by_field_name("type") if parent is not None else None
        if type_name not in text(tnode).replace("*", " ").replace("[", " ").replace("]", " ").split():
            continue
        if any(c.type == "literal_element" for c in lit.named_children):
            return True
    return False


@rule(
    "GL021",
    "nil-channel-op",
    Severity.ERROR,
    "send, receive or range on a channel that is provably nil: it blocks forever",
    prefilter=(b"<-", b"range"),
    package_needs=(b"chan ", b"chan<-"),
)
def nil_channel_op(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags a send (`ch <- v`), a receive (`<-ch`) or a `for … range ch` on a channel that is provably nil:
    a local declared with `var ch chan T` and never assigned (not in the function, not in any closure, no
    `&ch`), an unexported package-level `var ch chan T` that the package never assigns, or an unexported
    struct field of channel type that no code in the package assigns and no composite literal sets.

    ## Why is this bad?
    The zero value of a channel is nil, and every send or receive on a nil channel blocks forever; a
    `range` over it never starts and never ends. Usually a `make` was forgotten. The goroutine parks for
    good and shows in a goroutine dump as `[chan send (nil chan)]` or `[chan receive (nil chan)]`; when
    every goroutine ends up there the runtime aborts with "all goroutines are asleep - deadlock!".

    ## Example
    ```go
    func collect() int {
        var results chan int // never made
        go func() { results <- compute() }()
        return <-results
    }
    ```

    ## Use instead
    ```go
        results := make(chan int)
    ```

    ## When it stays silent
    The channel is assigned anywhere it could be — later in the function, in a closure, through `&ch`, by
    a `:=` redeclaration, in `init`, in a constructor's composite literal (keyed or positional) or a
    method; the field or package variable is exported; the channel is a parameter (it may be nil, but
    not provably). The nil-channel-in-select idiom stays silent too: an operation that is a case of a
    `select` does not block by itself (GL005 reports a select whose every case is nil).

    ## Suppress
    `//leaktrail:ignore GL021 reason` on the line or the line above, or `//nolint:leaktrail`.
    """
    nils = NilChannels(ctx)
    for file in ctx.files:
        if not nils.may_operate(file):
            continue
        res = ctx.resolver(file)
        for op in _channel_ops(ctx, file):
            chan_expr = _channel_of(op)
            if (
                chan_expr is None
                or comm_of_case(op)
                or unparen(chan_expr).type == "type_conversion_expression"
            ):
                continue  # select cases are GL005's; (chan T)(nil) is not a variable
            if op.type == "range_clause":
                loop = op.parent
                if loop is None or loop.type != "for_statement":
                    continue
            name = nils.nil_name(res, chan_expr)
            if name is None:
                continue
            yield Report(file, op, _message(op, name, _make_hint(ctx, res, chan_expr)))


def _channel_of(op: Node) -> Node | None:
    if op.type == "send_statement":
        return op.child_by_field_name("channel")
    if op.type == "unary_expression":
        if text(op.child_by_field_name("operator")) != "<-":
            return None
        return op.child_by_field_name("operand")
    return op.child_by_field_name("right")


def _make_hint(ctx: Context, res: Resolver, expr: Node) -> str:
    """`make(chan T)` with T spelled as in the declaration (direction dropped)."""
    expr = unparen(expr)
    tnode: Node | None = None
    if expr.type == "identifier":
        decl = res.decl_of(expr)
        if decl is not None:
            tnode = decl.type_node
        else:
            var = ctx.pkg.lookup_var(text(expr))
            tnode = var[1].child_by_field_name("type") if var is not None else None
    elif expr.type == "selector_expression":
        owner = res.infer(expr.child_by_field_name("operand"))
        hit = ctx.pkg.lookup_type(owner.deref().name) if owner is not None else None
        struct = hit[1].child_by_field_name("type") if hit is not None else None
        fname = text(expr.child_by_field_name("field"))
        for fdecl in struct_fields(struct) if struct is not None and struct.type == "struct_type" else []:
            if any(text(n) == fname for n in fdecl.children_by_field_name("name")):
                tnode = fdecl.child_by_field_name("type")
    while tnode is not None and tnode.type == "parenthesized_type" and tnode.named_children:
        tnode = tnode.named_children[0]
    elem = tnode.child_by_field_name("value") if tnode is not None and tnode.type == "channel_type" else None
    return f"make(chan {text(elem)})" if elem is not None else "make(chan …)"


def _message(op: Node, name: str, hint: str) -> str:
    what = {"send_statement": "send on", "range_clause": "range over"}.get(op.type, "receive from")
    dump = {"send_statement": "[chan send (nil chan)]"}.get(op.type, "[chan receive (nil chan)]")
    return (
        f"{what} nil channel {name}: it is declared without a value and never assigned, so this blocks "
        f"forever {dump}; initialise it with {hint}"
    )
