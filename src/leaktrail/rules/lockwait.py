"""Mixed deadlocks: blocking while holding a mutex the waker needs first (GL022)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from leaktrail.model import Severity
from leaktrail.rules import interproc, rule
from leaktrail.rules.base import Context, Report
from leaktrail.rules.callgraph import call_graph, method_calls_named, param_index, tracker_for
from leaktrail.rules.objects import Identity, embedded_identity, identity
from leaktrail.rules.tokens import is_word_byte
from leaktrail.source.cfg import CFG
from leaktrail.source.conditions import feasible_reach
from leaktrail.source.package import GoFile, receiver_type_name
from leaktrail.source.parse import Node, assignment_targets, captures, enclosing, text, unparen
from leaktrail.source.resolve import FUNC_NODES, Decl, Resolver, enclosing_func

_CALLS = "(call_expression function: (selector_expression field: (field_identifier) @m)) @c"
_LOCKING = ("Lock", "RLock", "Unlock", "RUnlock")
_SENDS = "(send_statement channel: (_) @c)"
_RECVS = '(unary_expression operator: "<-" operand: (_) @c)'
_RANGES = "(range_clause right: (_) @c)"
_CLOSES = "(call_expression function: (identifier) @f arguments: (argument_list . (_) @c .)) @call"


@dataclass(frozen=True, slots=True)
class LockOp:
    call: Node
    ident: Identity
    method: str
    deferred: bool
    display: str


def lock_ops(ctx: Context, file: GoFile, func: Node) -> list[LockOp]:
    """Lock/Unlock calls made by `func` itself (not by function literals inside it)."""
    key = f"lockops:{id(file)}:{func.start_byte}"
    cached = ctx.shared.get(key)
    if cached is not None:
        assert isinstance(cached, list)
        return cached
    res = ctx.resolver(file)
    out: list[LockOp] = []
    lo, hi = func.start_byte, func.end_byte
    for call in _locking_calls(ctx, file):
        if not (lo <= call.start_byte and call.end_byte <= hi) or enclosing_func(call) != func:
            continue
        fn = call.child_by_field_name("function")
        method = text(fn.child_by_field_name("field")) if fn is not None else ""
        if method not in _LOCKING or fn is None:
            continue
        operand = fn.child_by_field_name("operand")
        owner = res.method_owner(res.infer(operand), method)
        if owner is None or owner.pkg != "sync" or owner.name not in ("Mutex", "RWMutex"):
            continue
        t = res.infer(operand)
        direct = t is not None and t.deref().pkg == "sync"
        ident = identity(res, operand) if direct else embedded_identity(res, operand, owner.name)
        if ident is None:
            continue
        shown = text(operand) if direct else f"{text(operand)}.{owner.name}"
        deferred = enclosing(call, "defer_statement") is not None and _within(
            enclosing(call, "defer_statement"), func
        )
        out.append(LockOp(call, ident, method, deferred, shown))
    ctx.shared[key] = out
    return out


def _within(node: Node | None, func: Node) -> bool:
    return node is not None and func.start_byte <= node.start_byte and node.end_byte <= func.end_byte


def held_at(ctx: Context, file: GoFile, func: Node, op: Node) -> list[LockOp]:
    """Mutexes locked by `func` on some path to `op` and not unlocked on that path."""
    body = func.child_by_field_name("body")
    if body is None:
        return []
    ops = lock_ops(ctx, file, func)
    if not any(not lock.deferred and lock.method in ("Lock", "RLock") for lock in ops):
        return []  # nothing locked here (no graph, no hand-off to look for)
    graph = ctx.cfg(file, body)
    tracker = tracker_for(ctx, file, func)
    handed_off = _handed_off(ctx, file, func)
    held: list[LockOp] = []
    for lock in ops:
        if lock.deferred or lock.method not in ("Lock", "RLock") or lock.ident in handed_off:
            continue
        release = "Unlock" if lock.method == "Lock" else "RUnlock"
        unlocks = [u.call for u in ops if u.ident == lock.ident and u.method == release and not u.deferred]

        def avoid(item: Node, unlocks: list[Node] = unlocks) -> bool:
            return any(item.start_byte <= u.start_byte and u.end_byte <= item.end_byte for u in unlocks)

        if feasible_reach(graph, tracker, lock.call, op, avoid):
            held.append(lock)
    return held


def _handed_off(ctx: Context, file: GoFile, func: Node) -> set[Identity]:
    """The mutexes `func` hands over to closures or goroutines (once per function, not per wait)."""
    key = f"lockwait:handed:{id(file)}:{func.start_byte}"
    found = ctx.shared.get(key)
    if not isinstance(found, set):
        found = _unlocked_in_literals(ctx, file, func) | _unlocked_by_started(ctx, file, func)
        ctx.shared[key] = found
    return found


def _unlocked_by_started(ctx: Context, file: GoFile, func: Node) -> set[Identity]:
    """Mutexes that a same-package function started with `go` in `func` unlocks before it locks
    them: the lock is handed over to that goroutine (`go ac.resetTransportAndUnlock()`)."""
    out: set[Identity] = set()
    res = ctx.resolver(file)
    for stmt in go_statements(file.data, func):
        if enclosing_func(stmt) != func:
            continue
        call = next((c for c in stmt.named_children if c.type == "call_expression"), None)
        target = res.called_function(call) if call is not None else None
        if target is None:
            continue
        first: dict[Identity, str] = {}
        for op in lock_ops(ctx, target[0], target[1]):
            if not op.deferred:
                first.setdefault(op.ident, op.method)
        out.update(ident for ident, method in first.items() if method in ("Unlock", "RUnlock"))
    return out


def _unlocked_in_literals(ctx: Context, file: GoFile, func: Node) -> set[Identity]:
    """Mutexes that a closure or goroutine inside `func` unlocks: who holds them at a point is unknown."""
    out: set[Identity] = set()
    for lit in _literals_with_lock_calls(ctx, file, func):
        ops = lock_ops(ctx, file, lit)
        locked = {op.ident for op in ops if op.method in ("Lock", "RLock")}
        out.update(op.ident for op in ops if op.method in ("Unlock", "RUnlock") and op.ident not in locked)
    return out


def _locking_calls(ctx: Context, file: GoFile) -> list[Node]:
    """The file's calls `x.Lock()`, `x.RLock()`, `x.Unlock()`, `x.RUnlock()` (kept: lock_ops asks for
    them for every function)."""
    calls = ctx.shared.get(f"lockwait:calls:{id(file)}")
    if calls is None:
        calls = ctx.shared[f"lockwait:calls:{id(file)}"] = method_calls_named(file, _LOCKING)
    assert isinstance(calls, list)
    return calls


def _literals_with_lock_calls(ctx: Context, file: GoFile, func: Node) -> list[Node]:
    """The func literals within `func` (itself included) that lock_ops may find a call in: those of
    `captures("(func_literal) @f", func)` that are the enclosing function of a locking call, found from
    the file's locking calls (lock_ops finds nothing in any other literal: it keeps only the calls
    whose enclosing function is the literal). The query would build the file's whole index, which
    nothing else of the lock rules needs in many files."""
    lo, hi = func.start_byte, func.end_byte
    out: dict[Node, None] = {}
    for call in _locking_calls(ctx, file):
        if lo <= call.start_byte and call.end_byte <= hi:
            owner = enclosing_func(call)
            if (
                owner is not None
                and owner.type == "func_literal"
                and lo <= owner.start_byte
                and owner.end_byte <= hi
            ):
                out[owner] = None
    return sorted(out, key=lambda n: (n.start_byte, -n.end_byte))


def go_statements(data: bytes, func: Node) -> list[Node]:
    """`captures("(go_statement) @g", func)["g"]`, from the bytes: a go statement starts with its `go`
    keyword, so each one is found at an occurrence of `go` in the function's bytes (the smallest node
    there is that keyword, its parent the statement). Only where tree-sitter inserted no token (a
    MISSING `go` has no bytes): a function with a syntax error inside is asked of the query."""
    if func.has_error:
        return captures("(go_statement) @g", func).get("g", [])
    out: list[Node] = []
    hi = func.end_byte
    at = data.find(b"go", func.start_byte, hi)
    while at >= 0:
        token = func.descendant_for_byte_range(at, at + 2)
        stmt = token.parent if token is not None and token.type == "go" else None
        if stmt is not None and stmt.type == "go_statement" and stmt.start_byte == at:
            out.append(stmt)
        at = data.find(b"go", at + 1, hi)
    return out


def func_label(file: GoFile, func: Node) -> str:
    if func.type == "method_declaration":
        recv = func.child_by_field_name("receiver")
        star = "*" if recv is not None and "*" in text(recv) else ""
        return f"({star}{receiver_type_name(func)}).{text(func.child_by_field_name('name'))}"
    if func.type == "function_declaration":
        return text(func.child_by_field_name("name"))
    where = f"{file.path.name}:{func.start_point[0] + 1}"
    call = func.parent
    stmt = call.parent if call is not None and call.type == "call_expression" else None
    if stmt is not None and stmt.type == "defer_statement":
        outer = enclosing_func(stmt)
        if outer is not None:
            return f"the function {func_label(file, outer)} defers at {where}"
    if stmt is None or stmt.type != "go_statement":
        return f"the func literal at {where}"
    return f"the goroutine at {where}"


def make_calls(file: GoFile, scope: Node) -> list[Node]:
    """The calls `make(…)` (the function an identifier) inside `scope`, in document order, found from
    the identifiers `make` of the file (its names index: the occurrences of the word in its bytes),
    which costs far less than a query over every call of the scope (a whole file, for a global)."""
    out: list[Node] = []
    lo, hi = scope.start_byte, scope.end_byte
    for ident in file.identifiers.get("make", ()):
        if not lo <= ident.start_byte < hi:
            continue
        call = ident.parent
        if (
            call is not None
            and call.type == "call_expression"
            and call.end_byte <= hi
            and call.child_by_field_name("function") == ident
        ):
            out.append(call)
    return out


_BLANKS = b" \t\r\n"


def may_make_chan(data: bytes) -> bool:
    """The bytes may hold a call `make(<channel type>, …)`: the word `make`, blanks, `(`, blanks, then
    `chan` or `<-` (a channel type's first token). True as well where a comment or a non-ASCII byte
    stands in the way (the reader does not judge those). False only when no `make` is so followed:
    then make_calls finds no make of a channel in the file."""
    n = len(data)
    at = data.find(b"make")
    while at >= 0:
        end = at + 4
        if (at == 0 or not is_word_byte(data[at - 1])) and (end >= n or not is_word_byte(data[end])):
            j = end
            while j < n and data[j] in _BLANKS:
                j += 1
            if j < n and (data[j] == 0x2F or data[j] >= 0x80):
                return True
            if j < n and data[j] == 0x28:  # (
                k = j + 1
                while k < n and data[k] in _BLANKS:
                    k += 1
                if k >= n or data[k] == 0x2F or data[k] >= 0x80:
                    return True
                if data.startswith(b"chan", k) or data.startswith(b"<-", k):
                    return True
        at = data.find(b"make", end)
    return False


@dataclass(frozen=True, slots=True)
class Partner:
    file: GoFile
    node: Node
    what: str


class _Index:
    """Partner operations by object identity, found lazily (only for objects some wait involves)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._chan: dict[tuple[Identity, str], list[Partner]] = {}
        self._makes: dict[tuple[int, int], list[Node]] = {}
        self._chan_makers: dict[int, bool] = {}

    def _scope(
        self, res: Resolver, ident: Identity, expr: Node, keep: Callable[[GoFile], bool]
    ) -> list[tuple[GoFile, Node]]:
        """Where the object's partners may be: its function (a local), else every file whose bytes
        hold its name; only the files `keep` admits (the caller's own byte test: a file it would find
        nothing in is not parsed for its root)."""
        if ident[0] == "local":
            decl = res.decl_of(unparen(expr))
            return [(res.file, decl.func)] if decl is not None and keep(res.file) else []
        name = str(ident[-1]).encode()
        return [(f, f.root) for f in self.ctx.pkg.files_containing(name) if keep(f)]

    def chan_partners(self, res: Resolver, ident: Identity, expr: Node, want: str) -> list[Partner]:
        """want="recv": receives/ranges (partners of a send); want="send": sends and closes."""
        key = (ident, want)
        if key in self._chan:
            return self._chan[key]
        out: list[Partner] = []
        name = text(unparen(expr))
        # (a receive or a send needs `<-` in the bytes, a range `range`, a close `close`)
        other = b"range" if want == "recv" else b"close"
        for f, scope in self._scope(res, ident, expr, lambda f: b"<-" in f.data or other in f.data):
            fres = self.ctx.resolver(f)
            patterns = (
                [(_RECVS, "receiving from"), (_RANGES, "ranging over")]
                if want == "recv"
                else [(_SENDS, "sending on"), (_CLOSES, "closing")]
            )
            for pattern, what in patterns:
                found = captures(pattern, scope)
                for node in found.get("c", []):
                    if pattern == _CLOSES:
                        call = node.parent.parent if node.parent is not None else None
                        fn = call.child_by_field_name("function") if call is not None else None
                        if fn is None or text(fn) != "close":
                            continue
                    if identity(fres, node) == ident or (
                        ident[0] != "local" and _passed_identity(self.ctx, fres, node) == ident
                    ):
                        out.append(Partner(f, node, f"{what} {name}"))
        self._chan[key] = out
        return out

    def call_partners(
        self, res: Resolver, ident: Identity, expr: Node, methods: tuple[str, ...], type_name: str
    ) -> list[Partner]:
        out: list[Partner] = []
        calling = {id(f) for m in methods for f in self.ctx.pkg.files_containing(m.encode())}
        # (a file without a call of these methods, the name in its bytes, is left out)
        for f, scope in self._scope(res, ident, expr, lambda f: id(f) in calling):
            fres = self.ctx.resolver(f)
            for call in captures(_CALLS, scope).get("c", []):
                m = fres.method_call_on(call, "sync", type_name, methods)
                if m is None:
                    continue
                fn = call.child_by_field_name("function")
                operand = fn.child_by_field_name("operand") if fn is not None else None
                if identity(fres, operand) == ident:
                    out.append(Partner(f, call, f"calling {text(operand)}.{m}()"))
        return out

    def buffered(self, res: Resolver, ident: Identity, expr: Node) -> bool:
        """A make(chan T, N) with N other than 0 assigned to this channel anywhere in the package."""
        # (a file whose bytes hold no `make(chan` nor `make(<-chan`: no buffered make there)
        for f, scope in self._scope(res, ident, expr, self._may_make_chan):
            fres = self.ctx.resolver(f)
            for call in self._buffered_makes(f, scope):
                into = _made_into(fres, call)
                if into == ident or (
                    into is not None
                    and into[0] == "local"
                    and (_flows_into(fres, call, ident) or _flows_through_calls(self.ctx, fres, call, ident))
                ):
                    return True
        return False

    def _may_make_chan(self, f: GoFile) -> bool:
        found = self._chan_makers.get(id(f))
        if found is None:
            found = self._chan_makers[id(f)] = may_make_chan(f.data)
        return found

    def _buffered_makes(self, f: GoFile, scope: Node) -> list[Node]:
        """The `make(chan T, N)` calls (N written other than 0) in a scope, in order; kept per scope
        (every channel asks about the same files)."""
        key = (id(f), scope.start_byte if scope.parent is not None else -1)
        found = self._makes.get(key)
        if found is None:
            found = self._makes[key] = []
            if b"make" not in f.data or b"chan" not in f.data:
                return found  # neither the builtin's name nor a channel type in the file
            for call in make_calls(f, scope):
                args = call.child_by_field_name("arguments")
                if args is None or args.named_child_count < 2:
                    continue
                if args.named_children[0].type != "channel_type" or text(args.named_children[1]) == "0":
                    continue
                found.append(call)
        return found

    def cond_locker(self, res: Resolver, ident: Identity, expr: Node) -> Identity | None:
        """The mutex a Cond was made with: sync.NewCond(&x.mu) or c.L = &mu."""
        for f, scope in self._scope(res, ident, expr, lambda f: b"NewCond" in f.data):
            fres = self.ctx.resolver(f)
            for call in captures("(call_expression) @c", scope).get("c", []):
                fn = call.child_by_field_name("function")
                if fn is None or not text(unparen(fn)).endswith("NewCond"):
                    continue  # resolving every call of the scope costs more than this test
                if fres.qualified_call(call) != "sync.NewCond" or _made_into(fres, call) != ident:
                    continue
                args = call.child_by_field_name("arguments")
                if args is not None and args.named_child_count == 1:
                    return identity(fres, args.named_children[0])
        return None


def _passed_identity(ctx: Context, res: Resolver, expr: Node, depth: int = 0) -> Identity | None:
    """The package-level object (a field or a global) that a parameter always holds: every call site
    in the package passes it (`go monitor(c, h.stop)`, or `stop := h.openStop()` whose body is
    `return h.stop`). None when a call site passes something else, or there is no call site."""
    expr = unparen(expr)
    decl = res.decl_of(expr) if expr.type == "identifier" else None
    if decl is None or decl.kind != "param" or decl.func.type == "func_literal" or depth > 2:
        return None
    index = param_index(decl.func, decl.ident)
    found: Identity | None = None
    sites = [s for s in call_graph(ctx).callers(res.file, decl.func) if not s.deferred]
    for site in sites:
        args = site.call.child_by_field_name("arguments")
        if index is None or args is None or index >= args.named_child_count:
            return None
        ident = _value_identity(ctx, ctx.resolver(site.file), args.named_children[index], depth + 1)
        if ident is None or (found is not None and ident != found):
            return None
        found = ident
    return found


def _value_identity(ctx: Context, res: Resolver, expr: Node, depth: int) -> Identity | None:
    """A field or global an expression evaluates to: itself, a local set once from one, a parameter
    (see _passed_identity), or a same-package getter whose body is `return x.f`."""
    expr = unparen(expr)
    ident = identity(res, expr)
    if ident is not None:
        if ident[0] != "local":
            return ident
        return _local_value(ctx, res, expr, depth) if depth <= 3 else None
    if expr.type == "identifier":
        return _passed_identity(ctx, res, expr, depth)
    if expr.type == "call_expression" and depth <= 3:
        target = res.called_function(expr)
        body = target[1].child_by_field_name("body") if target is not None else None
        stmts = body.named_children if body is not None else []
        if len(stmts) == 1 and stmts[0].type == "statement_list":
            stmts = stmts[0].named_children
        if target is None or len(stmts) != 1 or stmts[0].type != "return_statement":
            return None
        values = stmts[0].named_children
        if len(values) != 1 or values[0].type != "expression_list" or values[0].named_child_count != 1:
            return None
        got = identity(ctx.resolver(target[0]), values[0].named_children[0])
        return got if got is not None and got[0] != "local" else None
    return None


def _local_value(ctx: Context, res: Resolver, expr: Node, depth: int) -> Identity | None:
    """`stop := h.openStop()`, never assigned again: what the local holds."""
    decl = res.decl_of(expr) if expr.type == "identifier" else None
    if decl is None or decl.kind != "short" or decl.value is None or decl.multi:
        return None
    for ref in res.references(decl):
        parent = ref.parent
        if parent is not None and parent.type == "expression_list" and parent.parent is not None:
            stmt = parent.parent
            if stmt.type == "assignment_statement" and stmt.child_by_field_name("left") == parent:
                return None
    got = _value_identity(ctx, res, decl.value, depth + 1)
    return got if got is not None and got[0] != "local" else None


def _flows_into(res: Resolver, make: Node, ident: Identity) -> bool:
    """`memMu := make(chan T, 1); w := &T{memMu: memMu}`: the local is then stored into `ident`."""
    target = _assigned_ident(make)
    decl = res.decl_of(target) if target is not None else None
    return decl is not None and any(_made_into(res, use) == ident for use in res.references(decl))


def _flows_through_calls(ctx: Context, res: Resolver, value: Node, ident: Identity, depth: int = 3) -> bool:
    """`errCh = make(chan error, 100)` in a local that is passed to a same-package function whose
    parameter is stored into `ident` (`sub.errCh = errCh`), up to `depth` calls deep."""
    parent = value.parent
    targets = assignment_targets(parent) if parent is not None else None
    if parent is None or targets is None or value not in parent.named_children:
        return False
    index = parent.named_children.index(value)
    if index >= len(targets) or targets[index].type != "identifier":
        return False
    decl = res.decl_of(targets[index])
    return decl is not None and _local_flows(ctx, res, decl, ident, depth)


def _local_flows(ctx: Context, res: Resolver, decl: Decl, ident: Identity, depth: int) -> bool:
    for ref in res.references(decl):
        if _made_into(res, ref) == ident:
            return True
        args = ref.parent
        call = args.parent if args is not None and args.type == "argument_list" else None
        if args is None or call is None or call.type != "call_expression" or depth <= 0:
            continue
        target = res.called_function(call)
        if target is None:
            continue
        position = args.named_children.index(ref) if ref in args.named_children else -1
        params = target[1].child_by_field_name("parameters")
        names = [
            n
            for p in (params.named_children if params is not None else [])
            if p.type == "parameter_declaration"
            for n in p.children_by_field_name("name")
        ]
        if not 0 <= position < len(names):
            continue
        tres = ctx.resolver(target[0])
        pdecl = tres.decl_of(names[position])
        if pdecl is not None and _local_flows(ctx, tres, pdecl, ident, depth - 1):
            return True
    return False


def _assigned_ident(value: Node) -> Node | None:
    parent = value.parent
    targets = assignment_targets(parent) if parent is not None else None
    if (
        parent is None
        or targets is None
        or parent.parent is None
        or parent.parent.type == "assignment_statement"
    ):
        return None
    values = parent.named_children
    if len(values) != len(targets) or value not in values:
        return None
    t = targets[values.index(value)]
    return t if t.type == "identifier" else None


def _made_into(res: Resolver, value: Node) -> Identity | None:
    """The object a value is assigned or initialised into (`x := v`, `s.f = v`, `T{f: v}`)."""
    parent = value.parent
    if parent is None:
        return None
    if parent.type == "literal_element":
        keyed = parent.parent
        lit = keyed
        while lit is not None and lit.type != "composite_literal":
            lit = lit.parent
        key = keyed.child_by_field_name("key") if keyed is not None else None
        t = res.type_of_node(lit.child_by_field_name("type")) if lit is not None else None
        t = t.deref() if t is not None else None
        if key is None or t is None or t.kind != "named" or t.pkg:
            return None
        return ("field", t.name, text(key))
    if parent.type != "expression_list":
        return None
    stmt = parent.parent
    if stmt is None:
        return None
    index = parent.named_children.index(value) if value in parent.named_children else -1
    targets = assignment_targets(parent)
    if targets is None or index < 0 or index >= len(targets) or len(targets) != parent.named_child_count:
        return None
    return identity(res, targets[index])


def _needs(ctx: Context, partner: Partner, mutex: LockOp, held_mode: str) -> str | None:
    """Does the partner's function take `mutex` on some path that reaches the partner operation?
    Says when it does ("before …" / "after …, and … runs it again in a loop"), None when not."""
    func = enclosing_func(partner.node)
    if func is None:
        return None
    body = func.child_by_field_name("body")
    if body is None:
        return None
    before = f"before {partner.what}"
    graph = ctx.cfg(partner.file, body)
    avoid = _redeclared(ctx.resolver(partner.file), partner)
    # `defer close(ch)` / `defer wg.Done()` in this function run at its end, after any of its Locks;
    # inside a deferred literal, statement order holds (`defer func() { close(done); mu.Lock() }()`)
    in_defer = _in_defer(partner.node, func)
    modes = ("Lock", "RLock") if held_mode == "Lock" else ("Lock",)
    counted = _counted(ctx, partner, func, graph)
    for lock in lock_ops(ctx, partner.file, func):
        if (
            lock.ident == mutex.ident
            and lock.method in modes
            and not lock.deferred
            and (in_defer or graph.reaches(lock.call, partner.node, avoid))
            and counted(lock.call)
        ):
            return before
    if _held_by_deferring(ctx, partner.file, func, mutex, modes):
        return before
    # one level through same-package calls made on the way
    res = ctx.resolver(partner.file)
    locking_calls: list[Node] = []
    for call in captures("(call_expression) @c", body).get("c", []):
        if enclosing_func(call) != func:
            continue
        target = res.called_function(call) or interproc.first_target(  # a callback or an interface
            ctx, partner.file, call, lambda f, n: any(lk.ident == mutex.ident for lk in lock_ops(ctx, f, n))
        )
        if target is None or target[1] == func:
            continue
        if any(lk.ident == mutex.ident and lk.method in modes for lk in lock_ops(ctx, target[0], target[1])):
            if _registers_count(ctx, partner, target[0], target[1], mutex):
                continue  # `mu.Lock(); wg.Add(1); mu.Unlock()`: it takes M to add a count, not holding one
            if in_defer or graph.reaches(call, partner.node, avoid):
                return before
            locking_calls.append(call)
    # the partner takes M after the operation, and a caller runs the partner's function in a loop
    # (`for { s.syncBatch() }`, syncBatch receives and then locks): the next round's operation waits
    # behind that Lock
    after = locking_calls + [
        lk.call for lk in lock_ops(ctx, partner.file, func) if lk.ident == mutex.ident and lk.method in modes
    ]
    if in_defer or not any(graph.reaches(partner.node, node) for node in after if not _in_defer(node, func)):
        return None
    looping = _called_in_loop(ctx, partner.file, func)
    if looping is None:
        return None
    return f"after {partner.what}, and {looping} calls it again in a loop, so it takes it before the next one"


def _in_defer(node: Node, func: Node) -> bool:
    return _within(enclosing(node, "defer_statement"), func)


def _counted(ctx: Context, partner: Partner, func: Node, graph: CFG) -> Callable[[Node], bool]:
    """For a `wg.Done()` partner in a function that itself calls `wg.Add`: a Lock holds up Wait only
    when it is taken while this goroutine holds a count (after an Add); a Lock taken before the Add
    is not waited for. Other partners: every Lock counts."""
    res = ctx.resolver(partner.file)
    if partner.node.type != "call_expression" or not res.method_call_on(
        partner.node, "sync", "WaitGroup", ("Done",)
    ):
        return lambda _lock: True
    fn = partner.node.child_by_field_name("function")
    wg = identity(res, fn.child_by_field_name("operand") if fn is not None else None)
    adds = [
        call
        for call in captures(_CALLS, func).get("c", [])
        if enclosing_func(call) == func
        and res.method_call_on(call, "sync", "WaitGroup", ("Add",))
        and identity(res, (call.child_by_field_name("function") or call).child_by_field_name("operand")) == wg
    ]
    if not adds:
        return lambda _lock: True  # the count was added by whoever started this goroutine
    return lambda lock: any(graph.reaches(add, lock) for add in adds)


def _registers_count(ctx: Context, partner: Partner, file: GoFile, func: Node, mutex: LockOp) -> bool:
    """For a `wg.Done()` partner: `func` is a registration helper that takes M only around its own
    `wg.Add` on that WaitGroup (`monitorMu.Lock(); monitorWg.Add(1); monitorMu.Unlock()`, so that
    Add cannot race Wait): M is taken to add a count, and Wait does not wait for it there."""
    pres = ctx.resolver(partner.file)
    if partner.node.type != "call_expression" or not pres.method_call_on(
        partner.node, "sync", "WaitGroup", ("Done",)
    ):
        return False
    pfn = partner.node.child_by_field_name("function")
    wg = identity(pres, pfn.child_by_field_name("operand") if pfn is not None else None)
    res = ctx.resolver(file)
    adds = [
        call
        for call in captures(_CALLS, func).get("c", [])
        if enclosing_func(call) == func
        and res.method_call_on(call, "sync", "WaitGroup", ("Add",))
        and identity(res, (call.child_by_field_name("function") or call).child_by_field_name("operand")) == wg
    ]
    locks = [
        lk for lk in lock_ops(ctx, file, func) if lk.ident == mutex.ident and lk.method in ("Lock", "RLock")
    ]
    body = func.child_by_field_name("body")
    if wg is None or not adds or not locks or body is None:
        return False
    graph = ctx.cfg(file, body)
    return all(any(graph.reaches(lk.call, add) for add in adds) for lk in locks)


def _held_by_deferring(ctx: Context, file: GoFile, func: Node, mutex: LockOp, modes: tuple[str, ...]) -> bool:
    """`func` is a deferred literal: does the function deferring it still hold `mutex` when it runs?
    It does when it locks it and defers the unlock before deferring `func` (defers run last-in,
    first-out)."""
    call = func.parent
    stmt = call.parent if call is not None else None
    if func.type != "func_literal" or stmt is None or stmt.type != "defer_statement":
        return False
    outer = enclosing_func(stmt)
    if outer is None:
        return False
    ops = lock_ops(ctx, file, outer)
    early_unlock = any(
        op.deferred and op.ident == mutex.ident and op.call.start_byte < stmt.start_byte
        for op in ops
        if op.method in ("Unlock", "RUnlock")
    )
    return early_unlock and any(
        not op.deferred
        and op.ident == mutex.ident
        and op.method in modes
        and op.call.start_byte < stmt.start_byte
        for op in ops
    )


def _called_in_loop(ctx: Context, file: GoFile, func: Node) -> str | None:
    """A same-package caller that calls `func` (not in a new goroutine) where the call can run again."""
    if func.type == "func_literal":
        return None
    for site in call_graph(ctx).callers(file, func):
        if site.spawned or site.deferred:
            continue
        body = site.caller.child_by_field_name("body")
        if body is not None and ctx.cfg(site.file, body).reaches(site.call, site.call):
            return func_label(site.file, site.caller)
    return None


def _redeclared(res: Resolver, partner: Partner) -> Callable[[Node], bool] | None:
    """A path through the declaration of a local channel meets a new channel, not this one."""
    node = partner.node
    chan = node.parent if node.parent is not None and node.parent.type == "unary_expression" else node
    chan = chan.child_by_field_name("operand") or chan.child_by_field_name("channel") or node
    chan = unparen(chan)
    decl = res.decl_of(chan) if chan.type == "identifier" else None
    if decl is None:
        return None
    start, end = decl.ident.start_byte, decl.ident.end_byte
    return lambda item: item.start_byte <= start and end <= item.end_byte


def _blocking_ops(ctx: Context, file: GoFile) -> Iterator[tuple[Node, Node, str]]:
    """(operation node, CFG target node, kind) for the operations that can block a goroutine (a
    file without `<-` in its bytes has no send or receive, one without `select` no select: their
    queries, and the parse, are skipped; nor one whose every `<-` or `select` lies in a comment or
    literal: their queries would build the file's whole index)."""
    arrows = b"<-" in file.data and not only_in_literals(file, b"<-")
    for node in ctx.query(file, _SENDS).get("c", []) if arrows else ():
        stmt = node.parent
        if stmt is not None and not _in_select(stmt):
            yield stmt, stmt, "send"
    for node in ctx.query(file, _RECVS).get("c", []) if arrows else ():
        recv = node.parent
        if recv is not None and not _in_select(recv):
            yield recv, recv, "recv"
    selecting = b"select" in file.data and not only_in_literals(file, b"select")
    selects = ctx.query(file, "(select_statement) @s").get("s", []) if selecting else []
    for sel in selects:
        cases = [c for c in sel.named_children if c.type == "communication_case"]
        if cases and not any(c.type == "default_case" for c in sel.named_children):
            comm = cases[0].child_by_field_name("communication")
            if comm is not None:
                yield sel, comm, "select"
    for call in method_calls_named(file, ("Wait",)):
        yield call, call, "wait"


def only_in_literals(file: GoFile, needle: bytes) -> bool:
    """Every occurrence of `needle` in the file's bytes lies in a comment or a raw string or rune literal
    (GoFile.literals.covers: after bytes that lex cleanly), and the tree has no syntax error (a token
    tree-sitter inserts has no bytes): no token of the tree is that operator or keyword."""
    data = file.data
    at = data.find(needle)
    while at >= 0:
        if not file.literals.covers(at, at + len(needle)):
            return False
        at = data.find(needle, at + 1)
    return not file.root.has_error


def _in_select(node: Node) -> bool:
    p = node.parent
    return p is not None and (
        p.type == "communication_case"
        or (p.type == "receive_statement" and p.parent is not None and p.parent.type == "communication_case")
    )


@rule(
    "GL022",
    "lock-held-across-wait",
    Severity.ERROR,
    "blocks on a channel, select, WaitGroup or Cond while holding a mutex its waker must take first",
    prefilter=(b"Lock()",),
    package_needs=(b"sync",),
)
def lock_held_across_wait(ctx: Context) -> Iterator[Report]:
    """
    ## What it does
    Flags a blocking operation — a send or receive on an unbuffered (or unknown) channel, a `select`
    without `default`, `wg.Wait()`, or `Wait()` on a `sync.Cond` whose Locker is another mutex — performed
    while holding a mutex M, when every piece of code in the package that could wake it (the partner
    operation on the same channel, the goroutines calling `Done` on that WaitGroup, the callers of
    `Signal`/`Broadcast`) takes M on its way there, directly or through a same-package call — also one
    made through a func field (`d.handle = d.record`), a literal or an interface method — including
    a partner that takes M just after the operation in a function that a same-package caller runs in a
    loop (`for { s.syncOnce() }`, where syncOnce receives and then locks): its next round waits for M.
    M may also be held by a same-package caller (up to two calls up) around the call that leads to a
    send or receive on a struct field or package-level channel. A partner that works on a channel
    parameter counts when every in-package call site passes that same field (directly, through a
    local, or through a one-line getter such as `func (h *H) stopCh() chan T { return h.stop }`).

    ## Why is this bad?
    The waiter keeps M while it waits; the waker needs M before it can wake the waiter. Neither can move:
    a deadlock that involves two primitives, which the runtime's deadlock detector only sees when *every*
    goroutine is stuck, and which its leak profile misses when the mutex is reachable from a global. In a
    goroutine dump the waiter sits in `[chan send]`, `[chan receive]`, `[select]`, `[sync.WaitGroup.Wait]`
    or `[sync.Cond.Wait]`, and the waker in `[sync.Mutex.Lock]` (or `[sync.RWMutex.Lock]`) — both growing.

    ## Example
    ```go
    func (h *hub) publish(e Event) {
        h.mu.Lock()
        defer h.mu.Unlock()
        h.events <- e // run() takes h.mu before every receive
    }
    ```

    ## Use instead
    ```go
    func (h *hub) publish(e Event) {
        h.mu.Lock()
        subs := len(h.subs)
        h.mu.Unlock()
        h.events <- e
        _ = subs
    }
    ```
    Release the lock before blocking, or give the channel a buffer the protocol can prove is enough.

    ## When it stays silent
    The lock is released before the operation on every path the branch conditions allow (by the
    function, by the caller that took it, or by a goroutine it started that unlocks it first); the
    partner never takes M on its way (inside a deferred literal, in statement order; for `wg.Done()`,
    only a Lock taken while that goroutine holds a count — after its own `wg.Add` — holds up `Wait`;
    it receives first and locks after, and does not loop back,
    neither in its own function nor in a loop of a same-package caller that runs that function again);
    some partner is out of sight (a channel parameter fed from elsewhere, a `time.After` or `ctx.Done()`
    case); the channel is made with a buffer; `select` has a `default`; a `Cond.Wait` on the Cond whose
    Locker is M (Wait releases it); a callee's operation on a channel local to it.

    ## Suppress
    `//leaktrail:ignore GL022 reason` on the blocking line or the line above.
    """
    index: _Index | None = None
    for file in ctx.files:
        res: Resolver | None = None  # (made for a file with a blocking operation only)
        for op, target, kind in _blocking_ops(ctx, file):
            if res is None:
                res = ctx.resolver(file)
            func = enclosing_func(op)
            if func is None or func.type not in FUNC_NODES:
                continue
            held = held_at(ctx, file, func, target)
            via = ""
            if index is None:
                index = ctx.shared.get("lockwait") or _Index(ctx)
                ctx.shared["lockwait"] = index
            if not held:
                # the lock may be held by a same-package caller (two levels up) around the call
                if not _may_run_under_lock(ctx, res, func, op, kind):
                    continue
                found_up = _held_by_callers(ctx, file, func)
                if found_up is None:
                    continue
                held, via = found_up
            found = _explain(ctx, index, res, file, func, op, kind, held)
            if found is not None:
                yield Report(file, op, via + found)


def _may_run_under_lock(ctx: Context, res: Resolver, func: Node, op: Node, kind: str) -> bool:
    """A cheap filter before looking for callers that hold a lock: a send/receive on a channel shared
    beyond this call, in a named function that a locking function may call (judged by names)."""
    if kind not in ("send", "recv") or func.type == "func_literal":
        return False
    if text(func.child_by_field_name("name")) not in call_graph(ctx).maybe_called_under_lock:
        return False
    chan = op.child_by_field_name("channel") if kind == "send" else op.child_by_field_name("operand")
    ident = identity(res, chan) if chan is not None else None
    return ident is not None and ident[0] != "local"


def _held_by_callers(
    ctx: Context, file: GoFile, func: Node, depth: int = 2, through: tuple[str, ...] = ()
) -> tuple[list[LockOp], str] | None:
    """Mutexes a same-package caller holds around its call of `func` (following callers `depth`
    levels up), with words for the message ("reached from (*T).f (line 9), which "). Callers are
    looked for only under names that functions which lock call (see maybe_called_under_lock)."""
    if func.type == "func_literal" or depth <= 0:
        return None
    cg = call_graph(ctx)
    name = text(func.child_by_field_name("name"))
    by, by_lockers = cg.callers_by_name(name)
    if by_lockers:
        for site in cg.callers(file, func, b"Lock("):
            if site.spawned or site.deferred:
                continue
            held = held_at(ctx, site.file, site.caller, site.call)
            if held:
                hops = f", through {' → '.join(through)}" if through else ""
                where = f"{site.file.path.name}:{site.call.start_point[0] + 1}{hops}"
                return held, f"reached from {func_label(site.file, site.caller)} ({where}), which "
    if depth > 1 and not by.isdisjoint(cg.called_by_lockers):
        for site in cg.callers(file, func):
            if site.spawned or site.deferred:
                continue
            label = func_label(site.file, site.caller)
            up = _held_by_callers(ctx, site.file, site.caller, depth - 1, (label, *through))
            if up is not None:
                return up
    return None


def _explain(
    ctx: Context,
    index: _Index,
    res: Resolver,
    file: GoFile,
    func: Node,
    op: Node,
    kind: str,
    held: list[LockOp],
) -> str | None:
    waits: list[tuple[str, list[Partner]]] = []
    if kind in ("send", "recv"):
        chan = op.child_by_field_name("channel") if kind == "send" else op.child_by_field_name("operand")
        plan = _chan_wait(index, res, chan, kind)
        if plan is None:
            return None
        waits.append(plan)
    elif kind == "select":
        for case in (c for c in op.named_children if c.type == "communication_case"):
            comm = case.child_by_field_name("communication")
            if comm is None:
                return None
            if comm.type == "send_statement":
                plan = _chan_wait(index, res, comm.child_by_field_name("channel"), "send")
            else:
                right = comm.child_by_field_name("right") if comm.type == "receive_statement" else comm
                right = unparen(right) if right is not None else None
                if right is None or right.type != "unary_expression":
                    return None
                plan = _chan_wait(index, res, right.child_by_field_name("operand"), "recv")
            if plan is None:
                return None
            waits.append(plan)
    else:
        fn = op.child_by_field_name("function")
        operand = fn.child_by_field_name("operand") if fn is not None else None
        ident = identity(res, operand)
        if operand is None or ident is None:
            return None
        if res.method_call_on(op, "sync", "WaitGroup", ("Wait",)):
            partners = index.call_partners(res, ident, operand, ("Done",), "WaitGroup")
            waits.append((f"waiting in {text(operand)}.Wait()", partners))
        elif res.method_call_on(op, "sync", "Cond", ("Wait",)):
            locker = index.cond_locker(res, ident, operand)
            if locker is None:
                return None
            held = [h for h in held if h.ident != locker]
            partners = index.call_partners(res, ident, operand, ("Signal", "Broadcast"), "Cond")
            waits.append((f"waiting in {text(operand)}.Wait()", partners))
        else:
            return None
    for mutex in held:
        explained: list[str] = []
        for what, partners in waits:
            others = [p for p in partners if enclosing_func(p.node) != func]
            hows: list[str] = []
            for p in others:
                how = _needs(ctx, p, mutex, mutex.method)
                if how is None:
                    break
                hows.append(how)
            if not others or len(hows) < len(others):
                break
            p = others[0]
            pfunc = enclosing_func(p.node)
            label = func_label(p.file, pfunc) if pfunc is not None else "another goroutine"
            explained.append(f"{what}; {label} takes {mutex.display} {hows[0]}")
        else:
            return (
                f"holds {mutex.display} while "
                + "; and ".join(explained)
                + f": neither can proceed; release {mutex.display} before blocking"
            )
    return None


def _chan_wait(
    index: _Index, res: Resolver, chan: Node | None, kind: str
) -> tuple[str, list[Partner]] | None:
    if chan is None:
        return None
    ident = identity(res, chan)
    if ident is None or index.buffered(res, ident, chan):
        return None
    name = text(unparen(chan))
    if kind == "send":
        return (f"sending on {name}", index.chan_partners(res, ident, chan, "recv"))
    return (f"receiving from {name}", index.chan_partners(res, ident, chan, "send"))
