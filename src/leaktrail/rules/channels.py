"""Channels that are ranged over but never closed (GL001), and the channel-fate analysis other rules reuse."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from leaktrail.model import Severity
from leaktrail.rules import rule
from leaktrail.rules.base import Context, Report
from leaktrail.rules.tokens import is_word_byte, keyed_keys, lines_with, word_boundary
from leaktrail.source.package import GoFile
from leaktrail.source.parse import _INDEXES as _parse_indexes
from leaktrail.source.parse import (
    Node,
    assignment_targets,
    captures,
    forget_with_indexes,
    is_assign_target,
    line_of,
    text,
    unparen,
)
from leaktrail.source.resolve import Decl, Resolver, enclosing_func, top_function
from leaktrail.source.types import GoType

CLOSED, ESCAPES, OPEN = "closed", "escapes", "open"
_MAX_DEPTH = 4
_HARMLESS_BUILTINS = frozenset({"len", "cap"})


def is_make_chan(node: Node | None) -> bool:
    if node is None:
        return False
    node = unparen(node)
    if node.type != "call_expression":
        return False
    fn = node.child_by_field_name("function")
    args = node.child_by_field_name("arguments")
    return (
        text(fn) == "make"
        and args is not None
        and bool(args.named_children)
        and args.named_children[0].type == "channel_type"
    )


class ChannelFates:
    """Is a channel closed, handed to code we cannot see, or neither? Memoised per package."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._params: dict[tuple[int, int, int], str] = {}

    def of_use(self, res: Resolver, use: Node, depth: int) -> str:
        """What one occurrence of a channel expression does with the channel."""
        parent = use.parent
        while parent is not None and parent.type == "parenthesized_expression":
            use, parent = parent, parent.parent
        if parent is None:
            return ESCAPES
        kind = parent.type
        if kind == "range_clause" and parent.child_by_field_name("right") == use:
            return OPEN
        if kind == "send_statement" and parent.child_by_field_name("channel") == use:
            return OPEN
        if kind == "unary_expression" and text(parent.child_by_field_name("operator")) == "<-":
            return OPEN
        if kind == "binary_expression":
            return OPEN
        if kind == "selector_expression" and parent.child_by_field_name("operand") == use:
            return OPEN  # x.field: the use is of something else
        if kind == "argument_list":
            call = parent.parent
            if call is None or call.type != "call_expression":
                return ESCAPES
            fn = unparen(call.child_by_field_name("function") or call)
            if fn.type == "identifier" and res.decl_of(fn) is None:
                if text(fn) == "close":
                    return CLOSED
                if text(fn) in _HARMLESS_BUILTINS:
                    return OPEN
            target = (res.file, fn) if fn.type == "func_literal" else res.called_function(call)
            if target is None:
                return ESCAPES
            index = parent.named_children.index(use) if use in parent.named_children else -1
            return self.of_param(target[0], target[1], index, depth + 1)
        if kind in ("expression_statement",):
            return OPEN
        if kind == "expression_list":
            alias = alias_target(parent, use)
            if alias is None:
                return ESCAPES
            if text(alias) == "_":
                return OPEN
            decl = res.decl_of(alias)
            if decl is None or decl.kind not in ("var", "short") or depth > _MAX_DEPTH:
                return ESCAPES
            return self.of_local(res.file, decl, depth + 1)
        return ESCAPES

    def of_param(self, file: GoFile, func: Node, index: int, depth: int) -> str:
        key = (id(file), func.start_byte, index)
        if key in self._params:
            return self._params[key]
        if depth > _MAX_DEPTH or index < 0:
            return ESCAPES
        self._params[key] = OPEN  # recursion: assume the cycle adds nothing
        decl = param_decl(self.ctx.resolver(file), func, index)
        fate = ESCAPES if decl is None else self.of_local(file, decl, depth)
        self._params[key] = fate
        return fate

    def of_local(self, file: GoFile, decl: Decl, depth: int) -> str:
        res = self.ctx.resolver(file)
        result = OPEN
        for use in res.references(decl):
            if is_assign_target(use):
                continue
            fate = self.of_use(res, use, depth)
            if fate == CLOSED:
                return CLOSED
            if fate == ESCAPES:
                result = ESCAPES
        return result


RANGES = "(range_clause right: (_) @r)"
SENDS = "(send_statement channel: (_) @c)"
RECVS = '(unary_expression operator: "<-" operand: (_) @c)'
GOS = "(go_statement) @g"
SELECTS = "(select_statement) @s"
DEFERS = "(defer_statement) @d"
_TOKEN_OF = {
    RANGES: (b"range", "r"),
    SENDS: (b"<-", "c"),
    RECVS: (b"<-", "c"),
    GOS: (b"go", "g"),
    SELECTS: (b"select", "s"),
    DEFERS: (b"defer", "d"),
}
_KEYWORD = {
    b"range": re.compile(rb"range\b"),
    b"go": re.compile(rb"go\b"),
    b"select": re.compile(rb"select\b"),
    b"defer": re.compile(rb"defer\b"),
}


def channel_captures(ctx: Context, file: GoFile, pattern: str) -> list[Node]:
    """ctx.query(file, pattern)'s captures for RANGES, SENDS, RECVS, GOS, SELECTS or DEFERS, found from
    the bytes when the file's combined query index is not built yet: each `range` / `<-` / `go` /
    `select` / `defer` of the file is asked for the token there (in C), and the token's parent for
    the capture, as the pattern would match it. The index costs a walk of the whole tree (a third of
    a parse); these tokens are few. A tree with a syntax error may hold missing or glued tokens: it
    is queried. The answer is kept as ctx.query keeps its own (the same lists), so a later ctx.query
    of the file does not walk the tree."""
    key = f"q:{id(file)}:{pattern}"
    found = ctx.shared.get(key)
    if found is None:
        token, name = _TOKEN_OF[pattern]
        data = file.data
        if token == b"<-":
            starts = []
            at = data.find(b"<-")
            while at >= 0:
                starts.append(at)
                at = data.find(b"<-", at + 2)
        else:  # (no leading \b: the regex engine would try every byte; the node's span is checked)
            starts = [m.start() for m in _KEYWORD[token].finditer(data)]
        size = len(token)
        if not file.parsed and _no_token_at(ctx, file, token, starts):
            return []
        root = file.root
        if root.has_error or root in _parse_indexes:
            return ctx.query(file, pattern).get(name, [])
        nodes: list[Node] = []
        for at in starts:
            node = root.descendant_for_byte_range(at, at + size)
            if node is None or node.start_byte != at or node.end_byte != at + size or node.is_named:
                continue  # a name holding the bytes, a comment, a literal
            parent = node.parent
            if parent is None:
                continue
            if pattern == RANGES:
                got = parent.child_by_field_name("right") if parent.type == "range_clause" else None
            elif pattern == SENDS:
                got = parent.child_by_field_name("channel") if parent.type == "send_statement" else None
            elif pattern == RECVS:
                is_op = parent.type == "unary_expression" and parent.child_by_field_name("operator") == node
                got = parent.child_by_field_name("operand") if is_op else None
            elif pattern == GOS:
                got = parent if parent.type == "go_statement" else None
            elif pattern == SELECTS:
                got = parent if parent.type == "select_statement" else None
            else:
                got = parent if parent.type == "defer_statement" else None
            if got is not None and got.is_named:
                nodes.append(got)
        nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))
        found = ctx.shared[key] = {name: nodes} if nodes else {}
    got_nodes: list[Node] = found.get(_TOKEN_OF[pattern][1], [])
    return got_nodes


def _no_token_at(ctx: Context, file: GoFile, token: bytes, starts: list[int]) -> bool:
    """No occurrence of the keyword or `<-` (`starts`: every place its bytes may begin a token) is
    code: each lies in a comment or a raw string or rune literal after bytes that lex cleanly
    (GoFile.literals), so the tree holds no such token and channel_captures has nothing to find
    without a parse. Memoised per file and token."""
    key = f"channels:no-token:{id(file)}:{token!r}"
    found = ctx.shared.get(key)
    if found is None:
        literals = file.literals
        size = len(token)
        found = ctx.shared[key] = all(literals.covers(at, at + size) for at in starts)
    return bool(found)


def captures_within(ctx: Context, file: GoFile, pattern: str, node: Node) -> list[Node]:
    """captures(pattern, node)'s list for a pattern of channel_captures and a node of `file`, without
    building the file's index (a query of an indexed pattern on any node builds it for the whole
    file): the file's captures inside the node's byte range, as the index answers (starting within
    it, ending by its end)."""
    lo, hi = node.start_byte, node.end_byte
    return [n for n in channel_captures(ctx, file, pattern) if lo <= n.start_byte <= hi and n.end_byte <= hi]


_RETURN_WORD = re.compile(rb"return\b")


def own_returns(ctx: Context, file: GoFile, func: Node) -> list[Node]:
    """interproc._returns (the return statements of `func` itself, not of literals in it, in document
    order), found from the `return` tokens in the function's bytes when the file's combined query
    index is not built yet (a query of a function builds that index for the whole file). Kept in
    the same per-function memo: the two computations give the same statements."""

    def compute() -> list[Node]:
        root = file.root
        if root.has_error or root in _parse_indexes:
            return [
                r for r in captures("(return_statement) @r", func).get("r", []) if enclosing_func(r) == func
            ]
        found: list[Node] = []
        for m in _RETURN_WORD.finditer(file.data, func.start_byte, func.end_byte):
            start, end = m.span()
            node = root.descendant_for_byte_range(start, end)
            if node is None or node.is_named or node.start_byte != start or node.end_byte != end:
                continue  # a name holding the bytes, a comment, a literal
            stmt = node.parent
            if stmt is not None and stmt.type == "return_statement" and enclosing_func(stmt) == func:
                found.append(stmt)  # (a statement starts at its keyword: in document order)
        return found

    return ctx.per_function("interproc:returns", file, func, compute)


@functools.lru_cache(maxsize=4096)
def _key_shapes(name: str) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """keys_named's patterns for one name (the same field names are asked of many files): the name
    then `:` past blanks and comments, and tokens.keyed_keys' own search for the name."""
    word = re.escape(name.encode())
    return re.compile(word + _GAP + rb":", re.S), re.compile(word + rb"\b")


def keys_named(file: GoFile, name: str, with_value: bool = True) -> list[Node]:
    """tokens.keyed_keys(file, name, with_value), without asking the tree for every occurrence of the
    name (a selector's field `x.name` on most lines) when none can be a key: a key starts a word and
    is followed by its `:`, only blanks and comments between (a name holds no blank, comment nor
    colon: no match of the pattern hides another). Asked as before where a non-ASCII space may stand
    between, and in a tree with a syntax error (where the `:` may be missing) that keyed_keys would
    have read anyway."""
    colon, word = _key_shapes(name)
    data = file.data
    if unicode_spaced(data) or any(
        m.start() == 0 or not is_word_byte(data[m.start() - 1]) for m in colon.finditer(data)
    ):
        return keyed_keys(file, name, with_value)  # (a match after a letter, digit or `_`, `abc:`, is no key)
    if word.search(data) is None:
        return []  # (keyed_keys finds no token either, and parses nothing)
    if file.root.has_error:
        return keyed_keys(file, name, with_value)
    return []


def alias_target(values: Node, value: Node) -> Node | None:
    """For `x := ch` / `var x T = ch` / `x = ch`: the local identifier that receives `value`."""
    targets = assignment_targets(values)
    if targets is None or value not in values.named_children:
        return None
    index = values.named_children.index(value)
    if len(targets) != len(values.named_children):
        return None
    target = targets[index]
    return target if target.type == "identifier" else None


def assigned_value(node: Node) -> Node | None:
    """For `x = v` / `a, x = u, v`: the value assigned to target `node` (None when not one-to-one)."""
    parent = node.parent
    stmt = parent.parent if parent is not None else None
    if stmt is None:
        return None
    right = stmt.child_by_field_name("right")
    if right is None or parent is None:
        return None
    values = right.named_children if right.type == "expression_list" else [right]
    targets = parent.named_children
    if len(values) != len(targets) or node not in targets:
        return None
    return values[targets.index(node)]


def param_decl(res: Resolver, func: Node, index: int) -> Decl | None:
    params = func.child_by_field_name("parameters")
    if params is None:
        return None
    names: list[Node] = []
    for p in params.named_children:
        if p.type == "variadic_parameter_declaration":
            return None if index >= len(names) else res.decl_of(names[index])
        if p.type == "parameter_declaration":
            names.extend(p.children_by_field_name("name"))
    if index >= len(names):
        return None
    return res.decl_of(names[index])


@rule(
    "GL001",
    "range-never-closed",
    Severity.ERROR,
    "for-range over a channel made in this package that nothing ever closes",
    prefilter=(b"range",),
    package_needs=(b"make(chan",),
)
def range_never_closed(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags a `for … range ch` loop over a channel created in this package — a local `make(chan …)`, or a
    struct field that the package assigns a `make(chan …)` — when no code in the package ever closes it.
    A range over a parameter is flagged when every in-package call passes such a channel.

    ## Why is this bad?
    `for range ch` ends only when `ch` is closed. If nobody closes it, the loop waits forever once the
    senders are done, and the goroutine running it leaks with everything it references. In a goroutine
    dump it sits in `[chan receive]` at the `for` line, and the count grows with every caller.

    ## Example
    ```go
    func consume(events []Event) {
        ch := make(chan Event)
        go func() {
            for e := range ch { // never ends: nobody closes ch
                process(e)
            }
        }()
        for _, e := range events {
            ch <- e
        }
    }
    ```

    ## Use instead
    ```go
        for _, e := range events {
            ch <- e
        }
        close(ch) // the sender closes when it is done
    ```
    or stop the receiver with a `select` on a done channel or `ctx.Done()`.

    ## When it stays silent
    The loop body leaves on every path (`return`, `break`, `t.Fatal`): the range takes one value and
    never waits for a close; a counted loop (`got++` on every iteration, `if got == n { break }`) stops
    after n values. The channel is closed anywhere in the package (another method, another
    file, a deferred closure); the channel escapes to code the analysis cannot see (passed to another
    package, stored in a map, returned, assigned to another variable); the range is over a parameter of
    an exported function with no in-package caller, or some caller passes a channel of unknown origin.

    ## Suppress
    `//leaktrail:ignore GL001 reason` on the `for` line or the line above.
    """
    fates = ChannelFates(ctx)
    names = _package_chan_names(ctx)
    # No leading \b: it makes the regex engine try every byte (_names_word checks the start instead).
    shared = re.compile(rb"(?:" + b"|".join(map(re.escape, names)) + rb")\b") if names else None
    for file in ctx.files:
        if b"chan" not in file.data and (shared is None or not _names_word(shared, file.data)):
            continue  # no channel is declared here nor named from elsewhere: do not even parse it
        if not _ranges_may_report(ctx, file):
            continue  # no range here passes _may_be_made_here and the type test: do not parse it
        res = ctx.resolver(file)
        for clause in channel_captures(ctx, file, RANGES):
            expr = unparen(clause)
            loop = clause.parent.parent if clause.parent is not None else None
            if (
                loop is None
                or loop.type != "for_statement"
                or expr.type not in ("identifier", "selector_expression")
            ):
                continue
            if expr.type == "identifier" and not _mentions_chan(file, expr, shared):
                continue  # a local channel is made or declared in its function: no `chan`, no channel
            if not _may_be_made_here(ctx, res, expr):
                continue  # _never_closed would say no without looking further: skip the type inference
            t = res.infer(expr)
            if t is None or not t.is_chan:
                continue
            if _single_receive(ctx, file, loop):
                continue
            name = _never_closed(ctx, fates, file, res, expr)
            if name is not None:
                early = _early_exit(ctx, file, loop)
                ends = (
                    f"unless it leaves early (line {early}), the loop waits forever once the senders are "
                    f"done and its goroutine leaks"
                    if early is not None
                    else "the loop never ends and its goroutine leaks"
                )
                yield Report(
                    file,
                    loop,
                    f"range over channel {name}, which nothing in this package closes: {ends}; close({name}) "
                    f"when the senders are done, or select on a done channel",
                )


_LEXEMES = re.compile(rb"//[^\n]*|/\*.*?\*/|\"(?:[^\"\\\n]|\\.)*\"|`[^`]*`|'(?:[^'\\\n]|\\.)*'", re.S)
"""Comments, string and rune literals: found left to right, the first to start wins, as Go's lexer
reads them (outside them, `//` and `/*` always open a comment and a quote always opens a literal)."""
_LITERAL_LEFT = re.compile(rb"[\"'`]|/[/*]")
_NAME = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_GAP = rb"(?:\s|/\*.*?\*/|//[^\n]*)*"
"""Whitespace and comments, as the parser skips them between two tokens."""
_NAME_RE = rb"[A-Za-z_\x80-\xff][\w\x80-\xff]*"
_PARAM_TAIL = re.compile(
    rb"(?:" + _GAP + rb"," + _GAP + _NAME_RE + rb")*" + _GAP + rb"(?:\(" + _GAP + rb")*"
    rb"(chan(?![\w\x80-\xff])|<-|" + _NAME_RE + rb")",
    re.S,
)
"""What follows a parameter's name up to the start of its type: other names of its group, then the
type's first token, after any parentheses (group 1)."""
_MAY_DECLARE_ALIAS = re.compile(
    rb"type(?![\w\x80-\xff])" + _GAP + rb"(?:(\()|(" + _NAME_RE + rb")" + _GAP + rb"([=\[]))", re.S
)
"""`type (`, `type A =` or `type A[`: where a type alias may be declared (led by the literal; the
word start is checked apart: a leading \\b makes the regex engine try every byte)."""
_GROUP_ALIAS = re.compile(
    rb"(?:^|[\n;(])[ \t\r]*(" + _NAME_RE + rb")\s*=[ \t]*(chan(?![\w\x80-\xff])|<-|" + _NAME_RE + rb")?"
)
"""In a group's top level (_top_level): a spec `A = …` or `A[…] = …` (its brackets blanked), the
name first in a line or after `;` or `(`, and the first token of its type when it is `chan`, `<-`
or a name (a blanked bracket or another token leaves group 2 empty: not read)."""


_UNICODE_SPACE = re.compile(
    rb"\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80"
)
"""A non-ASCII white space character (UTF-8): the parser may skip it between tokens where the byte
readings here would take it for part of a name."""


_SPACED: dict[int, tuple[bytes, bool]] = {}
"""unicode_spaced's answers by the id of the bytes (kept with them, so the id is not reused while the
answer is kept): the fast paths ask it of the same file hundreds of times in a big package, and the
search reads a non-ASCII file to its end each time (a fifth of GL001's and GL006's own CPU there)."""
forget_with_indexes(_SPACED.clear)


def unicode_spaced(data: bytes) -> bool:
    """The file holds a non-ASCII white space character: the byte readings do not answer for it."""
    if data.isascii():
        return False
    known = _SPACED.get(id(data))
    if known is not None and known[0] is data:
        return known[1]
    found = _UNICODE_SPACE.search(data) is not None
    if len(_SPACED) >= 4096:
        _SPACED.clear()
    _SPACED[id(data)] = (data, found)
    return found


def code_bytes(data: bytes) -> bytes | None:
    """The file's bytes with each comment and literal replaced by a space. None when a literal or a
    comment is left unterminated (a damaged file: the parser may read it otherwise)."""
    parts: list[bytes] = []
    last = 0
    for m in _LEXEMES.finditer(data):
        parts.append(data[last : m.start()])
        parts.append(b" ")
        last = m.end()
    parts.append(data[last:])
    code = b"".join(parts)
    return None if _LITERAL_LEFT.search(code) else code


def _word_or_high(byte: int) -> bool:
    """A byte of a Go name: an ASCII letter, digit or `_`, or part of a non-ASCII letter."""
    return byte >= 0x80 or is_word_byte(byte)


def _range_names(data: bytes) -> set[bytes] | None:
    """Every name between each `range` keyword and the next `{`, read as code from the keyword on
    (code_to): a range over an identifier or a selector has its identifier (or the selector's field)
    among them; a `range` in a comment or a literal only adds names. None when some `range` is
    followed by no `{`, by `{` at once, by an unterminated literal or a non-ASCII byte before it."""
    names: set[bytes] = set()
    at = data.find(b"range")
    while at >= 0:
        end = at + 5
        if (
            (at == 0 or not _word_or_high(data[at - 1]))
            and (end == len(data) or not _word_or_high(data[end]))
            and not _after_line_comment(data, at)
        ):
            found = code_to(data, end, b"{")
            if found is None or not found[0].strip() or not found[0].isascii():
                return None
            names.update(_NAME.findall(found[0]))
        at = data.find(b"range", end)
    return names


def _after_line_comment(data: bytes, at: int) -> bool:
    """Position `at` is not code: its line holds `//` before it, and no quote, `/*` nor `*/` anywhere
    before `at` (so the `//` opens a comment, or the line is inside a block comment or a raw string
    that goes on past `at`)."""
    line = data.rfind(b"\n", 0, at) + 1
    comment = data.find(b"//", line, at)
    return comment >= 0 and _LINE_UNCLEAR.search(data, line, at) is None


_SCAN_STOPS = {b"{": re.compile(rb"[{\"'`/]"), b"": re.compile(rb"[(){}\[\]\"'`/]")}


def code_to(data: bytes, at: int, stop: bytes) -> tuple[bytes, int] | None:
    """Reading `data` as code from `at` (a code position), the code bytes (comments and literals
    replaced by a space) up to the first `{` (stop `{`), or up to the bracket closing the one at
    `at` (stop empty), and that position; None when a literal is unterminated or nothing is found."""
    scan = _SCAN_STOPS[stop]
    parts: list[bytes] = []
    pos = at
    depth = 0
    while True:
        m = scan.search(data, pos)
        if m is None:
            return None
        i = m.start()
        c = data[i]
        if c in b"/\"'`":
            if c == 0x2F and data[i + 1 : i + 2] not in (b"/", b"*"):
                parts.append(data[pos : i + 1])
                pos = i + 1
                continue
            lexeme = _LEXEMES.match(data, i)
            if lexeme is None:
                return None
            parts.append(data[pos:i])
            parts.append(b" ")
            pos = lexeme.end()
            continue
        if not stop:
            depth += 1 if c in b"([{" else -1
            if depth > 0:
                continue_at = i + 1
                parts.append(data[pos:continue_at])
                pos = continue_at
                continue
        parts.append(data[pos:i])
        return b"".join(parts), i


def _code_range_names(code: bytes) -> set[bytes] | None:
    """_range_names over code_bytes (no comment nor literal left)."""
    names: set[bytes] = set()
    at = code.find(b"range")
    while at >= 0:
        end = at + 5
        if (at == 0 or not _word_or_high(code[at - 1])) and (
            end == len(code) or not _word_or_high(code[end])
        ):
            brace = code.find(b"{", end)
            if brace < 0:
                return None
            header = code[end:brace]
            if not header.strip() or not header.isascii():
                return None
            names.update(_NAME.findall(header))
        at = code.find(b"range", end)
    return names


def _ranges_may_report(ctx: Context, file: GoFile) -> bool:
    """A byte-level necessary condition for a report in `file`, so that it is parsed only when one can
    be made. Every range the loop judges is over a name among _range_names, and such a range gets
    past _may_be_made_here and the channel-type test only when
    - its function holds a `make(chan …)` (a local made here): the file matches _MAKE_CHAN;
    - it is a package variable or an unexported field that some `make(chan …)` is assigned to: the
      name is a word of a file matching _MAKE_CHAN (where _made_fields finds it);
    - it is a parameter of channel type (resolve's type of its type node: a variadic one is a
      slice): the name is followed, after other names of its group, by `chan` or `<-` (maybe in
      parentheses), or by a name the package may declare as an alias."""
    data = file.data
    if b"range" not in data:
        return False
    if file.parsed or _MAKE_CHAN.search(data) or unicode_spaced(data):
        return True  # (parsed: the tree answers for less than the byte reading costs)
    names = _range_names(data)
    if names is None:
        code = code_bytes(data)
        names = _code_range_names(code) if code is not None else None
        if names is None:
            return True
    return any(_in_make_chan_file(ctx, name) or _param_shaped(ctx, file, name) for name in names)


def _param_shaped(ctx: Context, file: GoFile, name: bytes) -> bool:
    """`name` may be a parameter of channel type: _typed_names finds it before `chan` or `<-`, or
    before a name the package may declare as an alias."""
    typed = _typed_before(ctx, file, "chan")
    if typed is None or name in typed:
        return True
    aliases = _alias_names(ctx)
    if aliases is None:
        return True
    if not aliases:
        return False
    typed = _typed_before(ctx, file, "alias")
    return typed is None or name in typed


def _typed_before(ctx: Context, file: GoFile, kind: str) -> frozenset[bytes] | None:
    """_typed_names of the file's `chan` and `<-` tokens, or of its alias names (memoised per file)."""
    key = f"channels:typed-names:{kind}:{id(file)}"
    if key not in ctx.shared:
        data = file.data
        if kind == "chan":
            heads = _word_starts(data, b"chan")
            at = data.find(b"<-")
            while at >= 0:
                heads.append(at)
                at = data.find(b"<-", at + 2)
        else:
            heads = [
                at for alias in _alias_names(ctx) or () if alias in data for at in _word_starts(data, alias)
            ]
        ctx.shared[key] = _typed_names(data, heads)
    found: frozenset[bytes] | None = ctx.shared[key]
    return found


_LINE_UNCLEAR = re.compile(rb"[\"'`]|/\*|\*/")


def _word_starts(data: bytes, word: bytes, most: int = -1) -> list[int]:
    """Where `word` occurs as a whole word (the first `most` places, when given)."""
    found: list[int] = []
    at = data.find(word)
    while at >= 0 and len(found) != most:
        end = at + len(word)
        if (at == 0 or not _word_or_high(data[at - 1])) and (
            end == len(data) or not _word_or_high(data[end])
        ):
            found.append(at)
        at = data.find(word, end)
    return found


def _typed_names(data: bytes, heads: list[int]) -> frozenset[bytes] | None:
    """The names a parameter declaration `a, b T` would give the type starting at each head (read
    backwards: the parentheses of a parenthesized type, then a name, then `, name` pairs), whitespace
    and block comments skipped; None (any name) when a line comment may lie in between."""
    names: set[bytes] = set()
    for head in heads:
        at = _skip_back(data, head, b"(")
        while at > 0:
            start = at
            while start > 0 and _word_or_high(data[start - 1]):
                start -= 1
            if start == at or start < 0:
                break
            names.add(data[start:at])
            at = _skip_back(data, start, b"")
            if at < 0:
                return None
            if at == 0 or data[at - 1] != 0x2C:  # `,`
                break
            at = _skip_back(data, at - 1, b"")
        if at < 0:
            return None
    return frozenset(names)


def _skip_back(data: bytes, at: int, also: bytes) -> int:
    """The position after the last byte before `at` that is not whitespace, a block comment or one of
    `also`; -1 when the line before a newline it crosses may end in a line comment it cannot find."""
    while at > 0:
        c = data[at - 1]
        if c in b" \t\r" or (also and c in also):
            at -= 1
        elif c == 0x0A:  # a newline: the line before may end in a line comment
            line = data.rfind(b"\n", 0, at - 1) + 1
            comment = data.find(b"//", line, at - 1)
            if comment < 0:
                at -= 1
            elif _LINE_UNCLEAR.search(data, line, at - 1) is None:
                at = comment  # no literal nor block comment on the line: its first `//` opens the comment
            else:
                return -1
        elif c == 0x2F and at >= 2 and data[at - 2] == 0x2A:  # `*/`
            opened = data.rfind(b"/*", 0, at - 2)
            if opened < 0 or data.rfind(b"/*", 0, opened) > data.rfind(b"*/", 0, opened):
                return -1  # the comment may open further back (`/* a /* b */`)
            at = opened
        else:
            break
    return at


def selector_or_key_files(ctx: Context, name: str) -> list[GoFile]:
    """The files (in package order) of files_containing(name) where `name` may be a selector's field
    (`.` before it, past whitespace and comments) or a composite literal's key (`:` after it): a file
    without either has no `x.name` selector nor `name:` key, so it need not be parsed for them.
    Memoised per package."""
    memo = ctx.shared.setdefault("channels:selector-or-key-files", {})
    found: list[GoFile] | None = memo.get(name)
    if found is None:
        needle = name.encode()
        found = memo[name] = [
            f
            for f in ctx.pkg.files_containing(needle)
            if f.parsed or unicode_spaced(f.data) or _selector_or_key(f.data, needle)
        ]  # (a parsed file costs nothing more: the byte test would only cost time)
    return found


def _selector_or_key(data: bytes, name: bytes) -> bool:
    at = data.find(name)
    while at >= 0:
        end = at + len(name)
        if (at == 0 or not _word_or_high(data[at - 1])) and (
            end == len(data) or not _word_or_high(data[end])
        ):
            before = _skip_back(data, at, b"")
            if before <= 0 or data[before - 1] == 0x2E:  # `.` (or unknown)
                return True
            after = _skip_forward(data, end)
            if after < 0 or data[after : after + 1] == b":":
                return True
        at = data.find(name, end)
    return False


def _skip_forward(data: bytes, at: int) -> int:
    """The first position from `at` that is not whitespace nor a comment; -1 when a comment does not
    end."""
    size = len(data)
    while at < size:
        c = data[at]
        if c in b" \t\r\n":
            at += 1
        elif c == 0x2F and data[at + 1 : at + 2] == b"*":
            close = data.find(b"*/", at + 2)
            if close < 0:
                return -1
            at = close + 2
        elif c == 0x2F and data[at + 1 : at + 2] == b"/":
            line = data.find(b"\n", at)
            at = size if line < 0 else line
        else:
            break
    return at


def _in_make_chan_file(ctx: Context, name: bytes) -> bool:
    """`name` is one of the names _made_fields finds in the package (its files with a `make(chan …)`
    are parsed: every rule that looks at channels parses them anyway)."""
    return name.decode() in _package_made_fields(ctx)


def _alias_names(ctx: Context) -> frozenset[bytes] | None:
    """The names the package may declare as a type alias of a channel type (resolve.type_from_node
    follows aliases, so a parameter of such a type is a channel): `type A =`, `type A[…] =`, and each
    name starting a spec `A = …` at the top level of a `type (…)` group, kept when the aliased type
    may be a channel (_chan_capable). None when a group or a type parameter list cannot be read.
    Memoised per package."""
    key = "channels:alias-names"
    if key in ctx.shared:
        known: frozenset[bytes] | None = ctx.shared[key]
        return known
    heads: dict[bytes, set[bytes | None]] = {}
    found: frozenset[bytes] | None = None
    for f in ctx.pkg.files_containing(b"type"):
        if unicode_spaced(f.data) or not _declared_aliases(f.data, heads):
            break
    else:
        found = _chan_capable(heads)
    ctx.shared[key] = found
    return found


def _chan_capable(heads: dict[bytes, set[bytes | None]]) -> frozenset[bytes]:
    """The aliases whose type may be a channel: it starts (past parentheses) with `chan` or `<-`, or
    with something the reading did not make out (None), or with such an alias (a chain, a generic
    alias instantiated)."""
    capable = {name for name, firsts in heads.items() if firsts & {None, b"chan", b"<-"}}
    grown = True
    while grown:
        more = {name for name, firsts in heads.items() if name not in capable and firsts & capable}
        capable |= more
        grown = bool(more)
    return frozenset(capable)


def _declared_aliases(data: bytes, heads: dict[bytes, set[bytes | None]]) -> bool:
    """Add the aliases _alias_names reads in one file, each with the first token of its type (None
    when not read); False when a bracket cannot be closed."""
    for m in _MAY_DECLARE_ALIAS.finditer(data):
        at = m.start()
        if (at > 0 and _word_or_high(data[at - 1])) or _after_line_comment(data, at):
            continue
        if m.group(3) == b"=":
            heads.setdefault(m.group(2), set()).add(_type_head(data, m.end()))
            continue
        found = code_to(data, m.end() - 1, b"")
        if found is None:
            return False
        if m.group(1):
            if b"=" in found[0]:
                for spec in _GROUP_ALIAS.finditer(_top_level(found[0])):
                    heads.setdefault(spec.group(1), set()).add(spec.group(2))
        else:
            equals = _EQUALS.match(data, found[1] + 1)
            if equals is not None:
                heads.setdefault(m.group(2), set()).add(_type_head(data, equals.end()))
    return True


def _type_head(data: bytes, at: int) -> bytes | None:
    """The first token of the type starting at `at` past comments and parentheses: `chan`, `<-` or a
    name (None for anything else)."""
    m = _TYPE_HEAD.match(data, at)
    return m.group(1) if m is not None else None


_TYPE_HEAD = re.compile(_GAP + rb"(?:\(" + _GAP + rb")*(chan(?![\w\x80-\xff])|<-|" + _NAME_RE + rb")", re.S)


_EQUALS = re.compile(_GAP + rb"=", re.S)
_BRACKETS = re.compile(rb"[()\[\]{}]")


def _top_level(group: bytes) -> bytes:
    """The code of a bracketed group (from its opening bracket on) with every nested bracket pair
    and what it holds replaced by a space (the whole group when the brackets do not balance)."""
    parts: list[bytes] = []
    depth = 0
    last = 0
    for m in _BRACKETS.finditer(group):
        if m.group() in b"([{":
            depth += 1
            if depth == 2:
                parts.append(group[last : m.start()])
        else:
            depth -= 1
            if depth == 1:
                parts.append(b" ")
                last = m.end()
            elif depth < 1:
                return group
    if depth != 1:
        return group
    parts.append(group[last:])
    return b"".join(parts)


def _single_receive(ctx: Context, file: GoFile, loop: Node) -> bool:
    """Does every path through the loop body leave the loop (return, break, t.Fatal, panic)? Then the
    range takes one value and never waits for a close."""
    body = loop.child_by_field_name("body")
    if body is None:
        return False
    graph = ctx.cfg(file, body, loop_body=True)
    exits = graph.exits_from((graph.entry, 0))
    if exits and all(e.kind not in ("next", "continue") for e in exits):
        return True
    return _counted(body)


def _early_exit(ctx: Context, file: GoFile, loop: Node) -> int | None:
    """The line of the first way out of the loop body other than the next iteration (break, return)."""
    body = loop.child_by_field_name("body")
    if body is None:
        return None
    graph = ctx.cfg(file, body, loop_body=True)
    leaving = [e for e in graph.exits_from((graph.entry, 0)) if e.kind not in ("next", "continue")]
    return line_of(leaving[0].node) if leaving else None


def _counted(body: Node) -> bool:
    """A counted receive loop: the body bumps a counter on every iteration (`got++` among its own
    statements, before any `continue`) and leaves once it reaches a bound (`if got == n { break }`):
    it stops after n values instead of waiting for a close."""
    stmts = [c for c in body.named_children if c.type != "comment"]
    if len(stmts) == 1 and stmts[0].type == "statement_list":
        stmts = [c for c in stmts[0].named_children if c.type != "comment"]
    counters: set[str] = set()
    for st in stmts:
        if st.type == "inc_statement" or (
            st.type == "assignment_statement" and text(st).replace(" ", "").endswith("+=1")
        ):
            target = st.child_by_field_name("left") or (st.named_children[0] if st.named_children else None)
            if target is not None and target.type == "expression_list" and target.named_child_count == 1:
                target = target.named_children[0]
            if target is not None and target.type == "identifier":
                counters.add(text(target))
            continue
        if st.type == "if_statement" and counters and _leaves_at_bound(st, counters):
            return True
        if b"continue" in (st.text or b""):
            return False  # an iteration may skip the count
    return False


def _leaves_at_bound(st: Node, counters: set[str]) -> bool:
    cond = st.child_by_field_name("condition")
    then = st.child_by_field_name("consequence")
    if (
        cond is None
        or then is None
        or cond.type != "binary_expression"
        or st.child_by_field_name("initializer")
    ):
        return False
    left = unparen(cond.child_by_field_name("left") or cond)
    if text(cond.child_by_field_name("operator")) not in ("==", ">=", ">") or text(left) not in counters:
        return False
    inner = [c for c in then.named_children if c.type != "comment"]
    if len(inner) == 1 and inner[0].type == "statement_list":
        inner = [c for c in inner[0].named_children if c.type != "comment"]
    last = inner[-1] if inner else None
    if last is None:
        return False
    return last.type == "return_statement" or (last.type == "break_statement" and not last.named_children)


def _may_be_made_here(ctx: Context, res: Resolver, expr: Node) -> bool:
    """The structural conditions _never_closed checks before it follows any use (cheaper than inferring
    the range expression's type, and asked first): a local whose value is a make(chan …), a parameter,
    an unexported package variable made here, or an unexported field."""
    if expr.type == "selector_expression":
        field = text(expr.child_by_field_name("field"))
        return not field[:1].isupper() and _field_may_be_made(ctx, field)
    decl = res.decl_of(expr)
    if decl is None:
        return _field_may_be_made(ctx, text(expr)) and _global_make(ctx, text(expr)) is not None
    if decl.kind == "param":
        return True
    if decl.kind in ("var", "short"):
        origin = _origin(res, decl)
        return not origin.multi and is_make_chan(origin.value)
    return False


_MAKE_CHAN = re.compile(rb"make(?:\s|/\*.*?\*/|//[^\n]*)*\(\s*(?:chan|<-)", re.S)
"""The bytes of every call is_make_chan accepts: `make`, then `(` (comments may come between), then a
channel type (a comment there is a named child: is_make_chan says no). Led by `make`: fast to search."""


def _field_may_be_made(ctx: Context, field: str) -> bool:
    """_field_made_open needs a `make(chan …)` assigned to the field (`x.f = make(chan …)`, `f: make(chan
    …)`, whatever the struct) in a file naming it: without one, no range over `x.f` is reported, and its
    operand's type need not be inferred. The same for a package variable (`var f = make(chan …)`, what
    _global_make needs). Memoised per package."""
    memo = ctx.shared.setdefault("channels:field-made", {})
    found = memo.get(field)
    if found is None:
        if "\ufffd" in field:  # decoded with replacement: only the files holding its bytes, as asked
            found = any(field in _made_fields(ctx, f) for f in ctx.pkg.files_containing(field.encode()))
        else:  # a made name is in the bytes of its file: the union over the files with a make(chan …)
            found = field in _package_made_fields(ctx)
        memo[field] = found
    return bool(found)


def _package_made_fields(ctx: Context) -> frozenset[str]:
    """Every name _made_fields finds in some file of the package: one set for all field names asked,
    not a search of the package's bytes for each (memoised per package)."""
    found = ctx.shared.get("channels:package-made-fields")
    if not isinstance(found, frozenset):
        names: set[str] = set()
        for f in ctx.pkg.files_containing(b"make"):
            if _MAKE_CHAN.search(f.data):
                names.update(_made_fields(ctx, f))
        found = ctx.shared["channels:package-made-fields"] = frozenset(names)
    return found


def _made_fields(ctx: Context, f: GoFile) -> frozenset[str]:
    """The field and variable names a make(chan …) of the file may be assigned to (`x.f = make(chan …)`,
    `f: make(chan …)`, `var f = make(chan …)`): found from each make's node up, not from every use of
    every field (memoised per file)."""
    key = f"channels:made-fields:{id(f)}"
    memo = ctx.shared.get(key)
    if isinstance(memo, frozenset):
        return memo
    names: set[str] = set()
    for m in _MAKE_CHAN.finditer(f.data):
        node: Node | None = f.root.descendant_for_byte_range(m.start(), m.start() + 4)
        while node is not None and node.type != "call_expression":
            node = node.parent  # the make call (or, in a damaged tree, some call around it)
        while node is not None and node.parent is not None and node.parent.type == "parenthesized_expression":
            node = node.parent
        parent = node.parent if node is not None else None
        if parent is None:
            continue
        stmt = parent.parent if parent.type == "expression_list" else parent
        if stmt is not None and stmt.type == "var_spec":  # `var f = make(chan …)`: for _global_make
            names.update(text(n) for n in stmt.children_by_field_name("name"))
        if stmt is not None and stmt.type in ("assignment_statement", "short_var_declaration"):
            left = stmt.child_by_field_name("left")
            for target in left.named_children if left is not None else []:
                if target.type == "selector_expression":
                    names.add(text(target.child_by_field_name("field")))
        elem = parent.parent if parent.type == "literal_element" else None
        if elem is not None and elem.type == "keyed_element":
            names.update(text(k) for k in elem.named_children[:1])
            names.update(text(k) for k in elem.named_children[0].named_children[:1] if elem.named_children)
    found = ctx.shared[key] = frozenset(names)
    return found


def _never_closed(ctx: Context, fates: ChannelFates, file: GoFile, res: Resolver, expr: Node) -> str | None:
    if expr.type == "identifier":
        decl = res.decl_of(expr)
        if decl is None:
            return text(expr) if _global_made_open(ctx, fates, text(expr)) else None
        if decl.kind == "param":
            return text(expr) if _param_never_closed(ctx, fates, file, decl, 0) else None
        if decl.kind in ("var", "short") and _local_made_open(ctx, fates, file, decl, 0):
            return text(expr)
        return None
    if expr.type == "selector_expression":
        return text(expr) if _selector_made_open(ctx, fates, res, expr) else None
    return None


_CHAN_DECL = re.compile(
    rb"^(?:var[ \t]+|[ \t]+)(\w+(?:[ \t]*,[ \t]*\w+)*)[ \t]*(?:=[ \t]*make\([ \t]*)?(?:<-[ \t]*)?chan\b", re.M
)


def _package_chan_names(ctx: Context) -> tuple[bytes, ...]:
    """Names of channel-typed struct fields and package variables (declared at the start of a line)."""
    names: set[bytes] = set()
    for f in ctx.pkg.files_containing(b"chan"):
        # the pattern is anchored at a line's start: try only lines that say chan
        for start, end in lines_with(f.data, b"chan"):
            m = _CHAN_DECL.match(f.data, start, end)
            if m is not None:
                names.update(n.strip() for n in m.group(1).split(b","))
    return tuple(sorted(names))


def _names_word(shared: re.Pattern[bytes], data: bytes) -> bool:
    """Does one of the names occur as a whole word (`\\b(?:names)\\b`)?"""
    return any(word_boundary(data, m.start()) for m in shared.finditer(data))


def _mentions_chan(file: GoFile, ident: Node, shared: re.Pattern[bytes] | None) -> bool:
    """A local channel is made or declared in its function; a shared one is declared with `chan`."""
    top = top_function(ident)
    if top is None or file.data.find(b"chan", top.start_byte, top.end_byte) >= 0:  # no copy of the bytes
        return True
    return shared is not None and shared.fullmatch(ident.text or b"") is not None


def _selector_made_open(ctx: Context, fates: ChannelFates, res: Resolver, expr: Node) -> bool:
    field = text(expr.child_by_field_name("field"))
    base = res.infer(expr.child_by_field_name("operand"))
    if base is None or base.deref().kind != "named" or base.deref().pkg:
        return False
    return _field_made_open(ctx, fates, field, base.deref())


def _origin(res: Resolver, decl: Decl, depth: int = 0) -> Decl:
    """Follow `in := raw` / `var in <-chan T = raw` back to the variable that holds the made channel."""
    value = unparen(decl.value) if decl.value is not None and not decl.multi else None
    if value is not None and value.type == "identifier" and depth < _MAX_DEPTH:
        src = res.decl_of(value)
        if src is not None and src.kind in ("var", "short"):
            return _origin(res, src, depth + 1)
    return decl


def _local_made_open(ctx: Context, fates: ChannelFates, file: GoFile, decl: Decl, depth: int) -> bool:
    """A local that only ever holds channels made here, and that is neither closed nor handed away."""
    res = ctx.resolver(file)
    decl = _origin(res, decl)
    if decl.multi or not is_make_chan(decl.value):
        return False
    for use in res.references(decl):
        if is_assign_target(use) and not is_make_chan(assigned_value(use)):
            return False
    return fates.of_local(file, decl, depth) == OPEN


def _param_never_closed(ctx: Context, fates: ChannelFates, file: GoFile, decl: Decl, depth: int) -> bool:
    func = decl.func
    if depth > _MAX_DEPTH:
        return False
    if fates.of_local(file, decl, depth) != OPEN:
        return False
    index = _param_index(func, decl)
    if index < 0:
        return False
    if func.type == "func_literal":
        call = func.parent
        if call is None or call.type != "call_expression" or call.child_by_field_name("function") != func:
            return False  # a literal stored or passed somewhere: its callers are unknown
        calls: list[tuple[GoFile, Node]] | None = [(file, call)]
    else:
        name_node = func.child_by_field_name("name")
        if name_node is None:
            return False
        calls = _callers(ctx, file, func, text(name_node))
    if calls is None or not calls:
        return False
    for cfile, call in calls:
        args = call.child_by_field_name("arguments")
        if args is None or index >= args.named_child_count:
            return False
        arg = unparen(args.named_children[index])
        cres = ctx.resolver(cfile)
        if arg.type == "identifier":
            adecl = cres.decl_of(arg)
            if adecl is None:
                return False
            if adecl.kind == "param":
                if not _param_never_closed(ctx, fates, cfile, adecl, depth + 1):
                    return False
            elif not _local_made_open(ctx, fates, cfile, adecl, depth + 1):
                return False
        elif arg.type == "selector_expression":
            if not _selector_made_open(ctx, fates, cres, arg):
                return False
        else:
            return False
    return True


def _param_index(func: Node, decl: Decl) -> int:
    params = func.child_by_field_name("parameters")
    if params is None:
        return -1
    i = 0
    for p in params.named_children:
        for n in p.children_by_field_name("name"):
            if n == decl.ident:
                return i
            i += 1
    return -1


def _callers(ctx: Context, file: GoFile, func: Node, fname: str) -> list[tuple[GoFile, Node]] | None:
    """Every in-package call of `func`; None when it is also used as a value (callers unknowable)."""
    found: list[tuple[GoFile, Node]] = []
    for f in ctx.pkg.files_containing(fname.encode()):
        res = ctx.resolver(f)
        for ident in [*f.identifiers.get(fname, ()), *f.field_identifiers.get(fname, ())]:
            if ident.parent is None:
                continue
            parent = ident.parent
            if (
                parent.type in ("function_declaration", "method_declaration")
                and parent.child_by_field_name("name") == ident
            ):
                continue
            ref = (
                parent
                if parent.type == "selector_expression" and parent.child_by_field_name("field") == ident
                else ident
            )
            call = ref.parent
            if (
                call is not None
                and call.type == "call_expression"
                and call.child_by_field_name("function") == ref
            ):
                target = res.called_function(call)
                if target is None:
                    if ref.type == "identifier" and res.decl_of(ref) is not None:
                        continue  # a local of the same name
                    return None
                if target[1] == func:
                    found.append((f, call))
                continue
            if ref.type == "identifier" and res.decl_of(ref) is not None:
                continue
            return None  # used as a value: it may be called from anywhere
    return found


def _global_make(ctx: Context, name: str) -> tuple[GoFile, Node] | None:
    """The file and name of an unexported package-level variable whose value is a make(chan …)."""
    if not name[:1].islower() and not name.startswith("_"):
        return None  # exported: importers can close it
    var = ctx.pkg.lookup_var(name)
    if var is None:
        return None
    vfile, spec, index = var
    values = spec.child_by_field_name("value")
    if values is None or index >= values.named_child_count or not is_make_chan(values.named_children[index]):
        return None
    return vfile, spec.children_by_field_name("name")[index]


def _global_made_open(ctx: Context, fates: ChannelFates, name: str) -> bool:
    """An unexported package-level channel made here that nothing closes or hands away."""
    made = _global_make(ctx, name)
    if made is None:
        return False
    vfile, declared = made
    for f in ctx.pkg.files_containing(name.encode()):
        res = ctx.resolver(f)
        for ident in f.identifiers.get(name, ()):
            if (f is vfile and ident == declared) or res.decl_of(ident) is not None:
                continue
            if is_assign_target(ident):
                if not is_make_chan(assigned_value(ident)):
                    return False
                continue
            if fates.of_use(res, ident, 0) != OPEN:
                return False
    return True


def _field_made_open(ctx: Context, fates: ChannelFates, field: str, owner: GoType) -> bool:
    """A struct field assigned only `make(chan …)` in this package and never closed nor handed away."""
    if field[:1].isupper():
        return False  # exported: code in other packages can close it
    made = False
    for f in selector_or_key_files(ctx, field):  # (the files that may hold `x.field` or `field:`)
        res = ctx.resolver(f)
        for fid in f.field_identifiers.get(field, ()):
            sel = fid.parent
            if sel is None or sel.type != "selector_expression":
                continue
            other = res.infer(sel.child_by_field_name("operand"))
            if other is not None and other.deref().kind == "named" and other.deref() != owner:
                continue  # the same field name on another type
            if is_assign_target(sel):
                if not is_make_chan(assigned_value(sel)):
                    return False
                made = True
                continue
            fate = fates.of_use(res, sel, 0)
            if fate != OPEN:
                return False
        for key in keys_named(f, field):
            if text(key) != field:
                continue
            lit = literal_type(res, key)
            if lit is not None and lit.kind == "named" and lit != owner:
                continue
            elem = key.parent.parent if key.parent is not None else None
            value = elem.child_by_field_name("value") if elem is not None else None
            inner = value.named_children[0] if value is not None and value.named_children else None
            if not is_make_chan(inner):
                return False
            made = True
    return made


def literal_type(res: Resolver, key: Node) -> GoType | None:
    p = key.parent
    while p is not None and p.type != "composite_literal":
        p = p.parent
    if p is None:
        return None
    t = res.type_of_node(p.child_by_field_name("type"))
    return t.deref() if t is not None else None
