"""Selects that can never proceed (GL005): `select {}` in ordinary code, or every case dead."""

from __future__ import annotations

import re
from collections.abc import Iterator

from leaktrail.model import Severity
from leaktrail.rules import rule
from leaktrail.rules.base import Context, Report
from leaktrail.rules.channels import SELECTS, _callers, alias_target, channel_captures, is_make_chan
from leaktrail.rules.nilchans import NilChannels
from leaktrail.rules.tokens import lines_with
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, text, unparen
from leaktrail.source.resolve import Resolver, enclosing_func

_TOP_LEVEL = frozenset({"main", "init", "TestMain"})
"""Functions where `select {}` is the deliberate "park forever" of a program's or test binary's top level."""


def case_channel(case: Node) -> tuple[str, Node] | None:
    """("send" | "recv", channel expression) of a select case's communication."""
    comm = case.child_by_field_name("communication")
    if comm is None:
        return None
    if comm.type == "send_statement":
        ch = comm.child_by_field_name("channel")
        return ("send", ch) if ch is not None else None
    recv = comm.child_by_field_name("right") if comm.type == "receive_statement" else None
    if recv is None and comm.type == "expression_statement" and comm.named_children:
        recv = comm.named_children[0]
    if recv is None:
        return None
    recv = unparen(recv)
    if recv.type != "unary_expression" or text(recv.child_by_field_name("operator")) != "<-":
        return None
    ch = recv.child_by_field_name("operand")
    return ("recv", ch) if ch is not None else None


def orphan_local(res: Resolver, expr: Node, kind: str, select: Node) -> str | None:
    """A local `make(chan …)` that nothing but this select's cases ever touches (and, for a send,
    that has no buffer to take the value): the case can never fire. Returns its name."""
    expr = unparen(expr)
    if expr.type != "identifier":
        return None
    decl = res.decl_of(expr)
    if decl is None or decl.kind not in ("var", "short") or decl.multi or not is_make_chan(decl.value):
        return None
    call = unparen(decl.value) if decl.value is not None else None
    if call is None or call.parent is None or alias_target(call.parent, call) != decl.ident:
        return None
    if kind == "send":
        args = call.child_by_field_name("arguments")
        extra = args.named_children[1:] if args is not None else []
        if extra and not (len(extra) == 1 and text(extra[0]).strip() == "0"):
            return None  # buffered: the send fits
    for ref in res.references(decl):
        case = _case_of_channel(ref)
        if case is None or case.parent != select:
            return None
    return decl.name


def _case_of_channel(ref: Node) -> Node | None:
    p = ref.parent
    while p is not None and p.type in ("parenthesized_expression", "unary_expression"):
        p = p.parent
    if p is not None and p.type == "expression_list":
        p = p.parent
    if p is None or p.type not in ("send_statement", "receive_statement", "expression_statement"):
        return None
    found = case_channel(p.parent) if p.parent is not None and p.parent.type == "communication_case" else None
    if found is None or unparen(found[1]) != ref:
        return None
    return p.parent


_MADE = re.compile(
    rb"\b(\w+)[ \t]*:?=[ \t]*make\([ \t]*chan\b|\bvar[ \t]+(\w+)[^=\n]*=[ \t]*make\([ \t]*chan\b"
)


def _made_matches(data: bytes) -> Iterator[re.Match[bytes]]:
    """_MADE.finditer(data), tried only on the lines that say `make(` (its matches never span lines; a
    pattern starting with `\\b(\\w+)` is otherwise tried at every word of the file)."""
    for start, end in lines_with(data, b"make("):
        yield from _MADE.finditer(data, start, end)


def _maybe_dead(nils: NilChannels, file: GoFile, expr: Node) -> bool:
    """A syntactic filter: could this channel be nil or an orphan local? (regexes, no scopes)"""
    if expr.type == "selector_expression":
        return text(expr.child_by_field_name("field")) in nils.candidates()
    if expr.type == "type_conversion_expression":
        return True  # (chan T)(nil)
    if expr.type != "identifier":
        return False
    name = text(expr)
    if name in nils.candidates():
        return True
    key = f"selects:made:{id(file)}"
    made = nils.ctx.shared.get(key)
    if made is None:
        made = nils.ctx.shared[key] = frozenset(
            (m.group(1) or m.group(2)).decode() for m in _made_matches(file.data)
        )
    assert isinstance(made, frozenset)
    return name in made


def _top_level(select: Node) -> bool:
    func = enclosing_func(select)
    if func is None or func.type != "function_declaration":
        return False
    return text(func.child_by_field_name("name")) in _TOP_LEVEL


@rule(
    "GL005",
    "select-blocks-forever",
    Severity.ERROR,
    "a select that can never proceed: select {} outside main/init, or every case on a dead channel",
    prefilter=(b"select {", b"select{", b"select\t{"),
)
def select_blocks_forever(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags a `select {}` outside `main`, `init` and `TestMain`, and a `select` without `default` whose every
    case operates on a nil channel (declared with `var ch chan T` and never assigned) or on a local
    `make(chan …)` that nothing else ever operates on (no other send, receive, close, and the channel is
    not handed to any other code).

    ## Why is this bad?
    A `select` with no case that can ever become ready blocks its goroutine forever. `select {}` is the
    idiom to park `main` while other goroutines serve; anywhere else it silently parks the goroutine that
    runs it — a background worker, a request, a test — for the life of the process. In a goroutine dump
    it shows as `[select (no cases)]`, or `[select]` / `[chan receive (nil chan)]` for dead cases; if
    every goroutine gets there, the runtime aborts with "all goroutines are asleep - deadlock!".

    ## Example
    ```go
    ch := make(chan int, 0)
    select { // nobody ever sends on ch
    case <-ch:
    }
    ```

    ## Use instead
    ```go
    select {
    case <-ch:
    case <-time.After(time.Second): // or <-ctx.Done()
    }
    ```
    and return (or wait on a context / signal) instead of `select {}` in ordinary functions.

    ## When it stays silent
    `select {}` directly in `main`, `init` or `TestMain`. On the program's main path it is only **info**:
    in a function that only `main`, `init` or `TestMain` reach through plain calls (not `go`), or in a
    function of package main or of a package under a `cmd/` directory (a command's subcommands) not
    started as a goroutine — the process is meant to run until stopped; likewise in an unexported function
    whose only uses are plain calls or a function value handed over (stored in a composite literal or passed
    to a call, `Register(Command{Run: serve})`, also inside a function literal itself handed over that
    way) inside such main-path functions: a callback registered at start-up, wherever its package lives
    (HTTP handlers excepted: they run once per request).
    Selects with a `default` case; a case on a
    channel that is assigned anywhere (the nil-channel-in-select idiom that disables a case until it is
    set), closed, sent to or received from by other code, passed to a function, stored, or that comes
    from a parameter or an exported field; a send case on a buffered channel (it fits).

    ## Suppress
    `//leaktrail:ignore GL005 reason` on the select line or the line above, or `//nolint:leaktrail`.
    """
    nils = NilChannels(ctx)
    for file in ctx.files:
        res = ctx.resolver(file)
        for select in channel_captures(ctx, file, SELECTS):
            message = _dead_select(nils, file, res, select)
            if message is None:
                continue
            lifetime = _process_lifetime(ctx, file, select) if _is_empty(select) else None
            if lifetime is not None:
                yield Report(
                    file,
                    select,
                    f"select {{}} parks {lifetime}, so it lives as long as the process: fine if the "
                    f"process should run until it is stopped, else return or wait on a signal",
                    severity=Severity.INFO,
                )
                continue
            yield Report(file, select, message)


def _is_empty(select: Node) -> bool:
    return not any(c.type in ("communication_case", "default_case") for c in select.named_children)


_MAX_CALLER_DEPTH = 4


def main_path_only(ctx: Context, file: GoFile, func: Node, depth: int = 0) -> bool:
    """Is `func` run only on the program's main path: it is main (package main), init or TestMain, or
    every call of it is a plain (not `go`) call from such a function, and no other package can call it?"""
    if func.type not in ("function_declaration", "method_declaration"):
        return False
    name = text(func.child_by_field_name("name"))
    if func.type == "function_declaration" and (
        name in ("init", "TestMain") or (name == "main" and ctx.pkg.name == "main")
    ):
        return True
    if depth >= _MAX_CALLER_DEPTH or (name[:1].isupper() and ctx.pkg.name != "main"):
        return False
    calls = _callers(ctx, file, func, name)
    if not calls:
        return False  # used as a value (callers unknown), or never called here
    for cfile, call in calls:
        caller = enclosing_func(call)
        if call.parent is not None and call.parent.type == "go_statement":
            return False
        if caller is None or caller == func or not main_path_only(ctx, cfile, caller, depth + 1):
            return False
    return True


def _process_lifetime(ctx: Context, file: GoFile, select: Node) -> str | None:
    """Why a `select {}` parks something that lives as long as the process by design: None when it may
    park an ordinary goroutine."""
    func = enclosing_func(select)
    if func is None:
        return None
    name = text(func.child_by_field_name("name")) if func.type != "func_literal" else ""
    if main_path_only(ctx, file, func):
        return f"the main goroutine forever [select (no cases)]: {name} runs only on the program's main path"
    calls = _callers(ctx, file, func, name) if name else []
    started = any(c.parent is not None and c.parent.type == "go_statement" for _, c in calls or ())
    if ctx.pkg.name == "main" and name and not started:
        return f"the goroutine that runs it forever [select (no cases)]: {name} is a function of package main"
    if _command_package(ctx) and name and not started:
        return (
            f"the goroutine that runs it forever [select (no cases)]: {name} is a function of a command's "
            f"package (under cmd/)"
        )
    registrar = registered_on_main_path(ctx, file, func) if name and calls is None else None
    if registrar is not None:
        return (
            f"the goroutine that runs it forever [select (no cases)]: {name} is handed over as a function "
            f"value only in {registrar}, on the program's main path (a callback registered at start-up)"
        )
    return None


def registered_on_main_path(ctx: Context, file: GoFile, func: Node) -> str | None:
    """The main-path function (main, init, TestMain, or one only they reach) that registers `func`, when
    every use of it is a plain call from the main path or a function value handed over there — stored in a
    composite literal or passed to a call (`Register(Command{Run: serve})`, `cmd.SetAction(serve)`), never
    started with `go` — so whatever runs it was set up at start-up: a command callback. None otherwise,
    also for HTTP handlers (a registered handler runs once per request, on the request's goroutine)."""
    name = text(func.child_by_field_name("name"))
    if func.type != "function_declaration" or not name or name[:1].isupper() or _serves_requests(func):
        return None
    registrars: list[str] = []
    for f in ctx.pkg.files_containing(name.encode()):
        res = ctx.resolver(f)
        for ident in f.identifiers.get(name, ()):
            parent = ident.parent
            if parent is None or (parent == func and func.child_by_field_name("name") == ident):
                continue
            if res.decl_of(ident) is not None:
                continue  # a local of the same name
            called = parent.type == "call_expression" and parent.child_by_field_name("function") == ident
            user = enclosing_func(ident) if called else _registering_function(ident)
            if user is None or user.type == "func_literal" or user == func:
                return None
            if (
                called
                and parent.parent is not None
                and parent.parent.type in ("go_statement", "defer_statement")
            ):
                return None
            if not (called or _handed_over(ident)) or not main_path_only(ctx, f, user):
                return None
            if not called:
                registrars.append(text(user.child_by_field_name("name")))
    return registrars[0] if registrars else None


def _registering_function(ident: Node) -> Node | None:
    """The declared function a value use of a function name runs in, climbing out of function literals
    that are themselves handed over (`CobraFunc: func(c *Cmd) { c.RunE = wrap(serve) }` in init → init);
    None when a literal on the way is called in place, started with `go`, kept in a variable, or serves
    HTTP requests."""
    user = enclosing_func(ident)
    for _ in range(3):
        if user is None or user.type != "func_literal":
            break
        if not _handed_over(user) or _serves_requests(user):
            return None
        user = enclosing_func(user)
    return user


def _handed_over(ident: Node) -> bool:
    """Is this function name a value stored in a composite literal or passed as a call's argument (not to
    a `go` statement's call)?"""
    p = ident.parent
    if p is not None and p.type == "literal_element":
        holder = p.parent
        if holder is not None and holder.type == "keyed_element":
            return holder.named_children[-1] == p  # the value, not the key
        return holder is not None and holder.type == "literal_value"
    if p is not None and p.type == "argument_list":
        call = p.parent
        return call is not None and not (call.parent is not None and call.parent.type == "go_statement")
    return False


def _serves_requests(func: Node) -> bool:
    """Does the function take an http.ResponseWriter or *http.Request (a handler: one run per request)?"""
    params = func.child_by_field_name("parameters")
    return params is not None and any(t in text(params) for t in ("ResponseWriter", "http.Request"))


def _command_package(ctx: Context) -> bool:
    """Is the package part of a command's code: a directory `cmd` between the module root and it?"""
    root = ctx.pkg.module.root
    directory = ctx.pkg.dir
    try:
        parts = directory.relative_to(root).parts if root is not None else directory.parts
    except ValueError:
        parts = directory.parts
    return "cmd" in parts


def _dead_select(nils: NilChannels, file: GoFile, res: Resolver, select: Node) -> str | None:
    cases = [c for c in select.named_children if c.type in ("communication_case", "default_case")]
    if not cases:
        if _top_level(select):
            return None
        return (
            "select {} blocks this goroutine forever [select (no cases)]: return instead, or wait on "
            "ctx.Done() or a signal channel; keep select {} for main"
        )
    channels: list[tuple[str, Node]] = []
    for case in cases:
        found = case_channel(case) if case.type == "communication_case" else None
        if found is None or not _maybe_dead(nils, file, unparen(found[1])):
            return None  # a default, a channel from a call (ctx.Done(), time.After), a known live name
        channels.append(found)
    reasons: list[str] = []
    for kind, expr in channels:
        name = nils.nil_name(res, expr)
        if name is not None:
            reasons.append(f"{name} is nil")
            continue
        name = orphan_local(res, expr, kind, select)
        if name is None:
            return None
        reasons.append(f"nothing else ever uses {name}")
    return (
        f"select can never proceed ({'; '.join(reasons)}): it blocks this goroutine forever; "
        f"add the missing sender, a case on ctx.Done() or time.After, or a default"
    )
