"""The in-package call graph, and which mutexes each function locks (GL018–GL020, GL022).

One `CallGraph` per package lives in `ctx.shared` (`call_graph(ctx)`); every rule asks it instead of
resolving calls again. It is lazy: a function's callees, callers and lock summary are computed the first
time a rule asks and then memoised, so a package where nothing locks costs nothing.

Mutexes have no names of their own, so one is identified by where it lives:
- a `Mutex` *instance* is a root (the receiver, a parameter by position, a package-level var, a local
  var) plus a field path (`s.mu` is (recv, ("mu",))); an embedded `sync.Mutex` adds its type name
  (`s.Lock()` is (recv, ("Mutex",))). Instances compare inside one function, and a callee's instance is
  translated into the caller's terms at a call site (`c.refresh()` maps refresh's recv.mu to c.mu).
- its *class* (`Server.mu`, a package var name, one local var) identifies it across functions, the way
  lock-order checkers group locks: two different `*Server` values share the class `Server.mu`.

For later rules (GL022 lock-held-across-wait): `cg = call_graph(ctx)`, then
`cg.callees(file, func)` / `cg.callers(file, func)` (CallSites, by function node), `function_of(node)`
(the function a node runs for), `cg.locks_in(file, func)` (its own mutex calls), `cg.acquires(file, func)`
/ `cg.mutexes_acquired(file, func)` (what it locks, transitively, in its own terms) and
`cg.translate(mutex, site)` (a callee's mutex in the caller's terms).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from leaktrail.rules import interproc
from leaktrail.rules.base import Context
from leaktrail.source.conditions import Tracker
from leaktrail.source.module import module_needles
from leaktrail.source.package import GoFile, Package, receiver_type_name
from leaktrail.source.parse import Node, captures, forget_with_indexes, sole_declared, text, unparen
from leaktrail.source.resolve import FUNC_NODES, Resolver, struct_fields, top_function, type_from_node
from leaktrail.source.types import GoType, named, pointer

LOCK_METHODS = ("Lock", "RLock", "Unlock", "RUnlock", "TryLock", "TryRLock")
ACQUIRE = {"Lock": "w", "RLock": "r"}
"""Blocking acquisitions and their mode (write / read)."""
RELEASE = {"Unlock": "w", "RUnlock": "r"}
MUTEX_TYPES = ("Mutex", "RWMutex")
_METHOD_CALLS = "(call_expression function: (selector_expression field: (field_identifier) @m)) @c"
_ALL_CALLS = "(call_expression) @c"
MAX_CHAIN = 4
"""Calls between a function and an acquisition it orders (GL020) or reaches through an object known
only by its class; the same instance (the caller's s.mu) is followed to any depth (summaries are
memoised per function, so depth costs nothing)."""
_CALLED_REVERSED = re.compile(rb"\(([A-Za-z0-9_]*[A-Za-z_])(?![A-Za-z0-9_])")
"""`name(` read backwards: a whole word led by a letter or `_`, then `(` (an ASCII identifier, as the
forward pattern `\\b([A-Za-z_][A-Za-z0-9_]*+)\\(` finds it), over the reversed bytes: led by the
literal `(`, the regex engine jumps between parentheses instead of trying every position."""
_FEW_FILES = 8
"""Files callers tests for `name(` one by one; more are asked of the package's needle answers."""
_INVERT_AFTER = 16
"""Names callers_by_name answers by scanning the call map before it inverts it."""
_QUOTED_PATH = re.compile(rb'["`]([^"`\n]+)["`]')
_FUNC_DECL = re.compile(rb"\nfunc[ \t]*(?:\([^)]*\)[ \t]*)?([A-Za-z_][A-Za-z0-9_]*)")
"""A top-level `func` at the start of a line, read over the bytes with a newline prepended (see
_decl_starts): led by a literal, the regex engine jumps between its occurrences instead of trying `^`
at every position."""


def method_calls_named(file: GoFile, names: Iterable[str]) -> list[Node]:
    """The calls `x.name(…)` of a file for the given method names, in document order (as the query
    `_METHOD_CALLS` lists them): from the occurrences of the names (the file's names index), not from
    every method call of the file (a few of them are mutex or Wait calls)."""
    out: list[Node] = []
    for name in names:
        for ident in file.field_identifiers.get(name, ()):
            sel = ident.parent
            call = sel.parent if sel is not None else None
            if (
                call is not None
                and sel is not None
                and sel.type == "selector_expression"
                and call.type == "call_expression"
                and sel.child_by_field_name("field") == ident
                and call.child_by_field_name("function") == sel
            ):
                out.append(call)
    out.sort(key=lambda call: (call.start_byte, -call.end_byte))
    return out


def quoted_with(data: bytes, needles: tuple[bytes, ...]) -> list[bytes]:
    """The matches of `_QUOTED_PATH.findall(data)` on the lines that hold a needle (`"path`, or the
    path after a backquote), in order: every match that starts with a needle is among them (a match
    never spans lines), and only those lines are read (a big file quotes many strings, and a few of
    them name the module)."""
    lines: set[int] = set()
    for needle in needles:
        for word in (needle, b"`" + needle[1:]):
            at = data.find(word)
            while at >= 0:
                lines.add(data.rfind(b"\n", 0, at) + 1)
                at = data.find(word, at + len(word))
    out: list[bytes] = []
    for start in sorted(lines):
        end = data.find(b"\n", start)
        out.extend(_QUOTED_PATH.findall(data, start, len(data) if end < 0 else end))
    return out


def _decl_starts(data: bytes) -> list[tuple[int, bytes]]:
    """(offset of `func`, name) of each function or method declared at the start of a line."""
    return [(m.start(), m.group(1)) for m in _FUNC_DECL.finditer(b"\n" + data)]


def _called_in(reversed_data: bytes, start: int, end: int) -> set[bytes]:
    """The names called (`name(`) in data[start:end], a declaration's span (it starts a line), given
    the file's bytes reversed; each name reversed too (`emaN`: the caller compares reversed names)."""
    n = len(reversed_data)
    return set(_CALLED_REVERSED.findall(reversed_data, n - end, n - start))


@dataclass(frozen=True, slots=True)
class Mutex:
    root: str
    """recv, param, global, local."""
    base: str
    """The parameter index, the var name, the local's declaration offset ("" for recv)."""
    path: tuple[str, ...]
    cls: str | None = field(default=None, compare=False)
    """Identity across functions (Server.mu, a global's name, local@offset); None when unknown."""
    text: str = field(default="", compare=False)
    """As written at the site (s.mu)."""


@dataclass(frozen=True, slots=True)
class LockCall:
    """A call of Lock/RLock/Unlock/RUnlock/TryLock/TryRLock on a sync.Mutex or sync.RWMutex."""

    file: GoFile
    call: Node
    method: str
    mutex: Mutex
    owner: Node
    """The function on whose behalf it runs (a deferred or called-in-place literal runs for its parent)."""
    deferred: bool
    spawned: bool
    """Inside a `go` statement: another goroutine runs it."""

    @property
    def acquires(self) -> bool:
        return self.method in ACQUIRE

    @property
    def releases(self) -> bool:
        return self.method in RELEASE

    @property
    def mode(self) -> str:
        return ACQUIRE.get(self.method) or RELEASE.get(self.method) or "w"


@dataclass(frozen=True, slots=True)
class Func:
    file: GoFile
    node: Node

    @property
    def name(self) -> str:
        """`(*Cache).Get`, `refresh`, or `func literal` (how Go's stack traces name them)."""
        return func_name(self.node)


@dataclass(frozen=True, slots=True)
class CallSite:
    file: GoFile
    call: Node
    caller: Node
    callee: Func
    deferred: bool
    spawned: bool
    via: str = "direct"
    """How the callee was found: direct, or interproc's way (closure, param, field, iface, …)."""


@dataclass(frozen=True, slots=True)
class Acquire:
    """A blocking Lock/RLock a function performs, itself or through same-package calls."""

    mutex: Mutex
    """In the function's own terms (its receiver, its parameters, globals)."""
    mode: str
    site: LockCall
    chain: tuple[str, ...] = ()
    """The callees in between, outermost first (for messages)."""
    released: frozenset[Mutex] = frozenset()
    """Mutexes the caller holds that the function unlocks on every path before this acquisition
    (`resetTransportAndUnlock` unlocks ac.mu, then locks cc.mu): not held when it blocks here."""
    guessed: bool = False
    """Reached through an interface call resolved by the methods of the package's types (one of
    several possible callees, or none of them at run time): a finding resting on it is low
    confidence."""


def func_name(node: Node) -> str:
    name = text(node.child_by_field_name("name"))
    if node.type == "method_declaration":
        recv = node.child_by_field_name("receiver")
        ptr = recv is not None and "*" in text(recv)
        owner = receiver_type_name(node)
        return f"(*{owner}).{name}" if ptr else f"{owner}.{name}"
    if node.type == "function_declaration":
        return name
    return "func literal"


def tracker_for(ctx: Context, file: GoFile, func: Node) -> Tracker:
    """The function's branch-fact tracker (built once, shared by the lock rules)."""
    key = f"tracker:{id(file)}:{func.start_byte}"
    found = ctx.shared.get(key)
    if not isinstance(found, Tracker):
        found = ctx.shared[key] = Tracker(func)
    return found


def call_graph(ctx: Context) -> CallGraph:
    """The package's call graph (built once, shared by every rule through ctx.shared)."""
    cg = ctx.shared.get("callgraph")
    if cg is None:
        cg = ctx.shared["callgraph"] = CallGraph(ctx)
    assert isinstance(cg, CallGraph)
    return cg


class CallGraph:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.pkg = ctx.pkg
        self._names: set[str] | None = None
        self._locks: dict[int, list[LockCall]] = {}
        self._by_owner: dict[int, dict[int, list[LockCall]]] = {}
        self._callees: dict[tuple[int, int], list[CallSite]] = {}
        self._lock_callees: dict[tuple[int, int], list[CallSite]] = {}
        self._relevant: set[str] | None = None
        self._mapped = False
        self._under_lock: set[str] | None = None
        self._called_by_lockers: set[str] | None = None
        self._called_by: dict[str, set[str]] = {}
        """callers_by_name's answers, decoded from _callers_of on demand."""
        self._calls: dict[bytes, set[bytes]] = {}
        self._inverted: dict[bytes, set[bytes]] | None = None
        """_calls inverted (called name → callers), built once callers_by_name is asked enough."""
        """The names each top-level name's bytes call, reversed (lock_relevant_names)."""
        self._lockers: set[str] = set()
        self._lockers_b: set[bytes] = set()
        self._direct_b: set[bytes] = set()
        self._under_b: set[bytes] = set()
        """called_by_lockers and maybe_called_under_lock, reversed, before they are decoded."""
        self._near: set[str] | None = None
        self._callers: dict[tuple[int, int, bytes], list[CallSite]] = {}
        self._contains: dict[tuple[int, bytes], bool] = {}
        self._acquires: dict[tuple[int, int], list[Acquire] | None] = {}
        self._releases: dict[tuple[int, int], set[Mutex]] = {}
        self._may_release: bool | None = None
        self._call_starts: dict[int, list[int]] = {}
        self._lock_starts: dict[int, tuple[list[LockCall], list[int]]] = {}
        self._translated: dict[tuple[Mutex, str | None, str, int], tuple[CallSite, Mutex | None]] = {}
        self._foreign: dict[int, CallGraph] = {}
        """The call graphs of the module's other packages whose functions this package calls, by file."""
        self._module_needles: tuple[bytes, ...] | None = None
        self._module_importers: dict[int, bool] = {}
        self._module_paths: dict[str, bool] = {}
        self._module_names_of: dict[int, set[str]] = {}
        self._may_lock_bytes: dict[int, bool] = {}
        self._quoted: dict[int, list[str]] = {}
        self._path_lockers: dict[str, set[str]] = {}

    # -- functions and calls --------------------------------------------------------------------------
    @property
    def declared_names(self) -> set[str]:
        """Names of the package's functions and methods: a call by any other name cannot be resolved."""
        if self._names is None:
            # A regex over the bytes: parsing every file of the package just for its names costs more.
            names: set[str] = set()
            for f in self.pkg.files:
                names.update(m.decode() for m in _FUNC_DECL.findall(b"\n" + f.data))
            self._names = names
        return self._names

    @property
    def lock_relevant_names(self) -> set[str]:
        """Names of the functions that may reach a mutex method (by name, through calls, from the bytes
        of gofmt'd top-level declarations): only calls by these names are worth resolving for locks."""
        if self._relevant is None:
            self._call_map()
            calls = self._calls
            relevant = set(self._lockers_b)
            # a call through a func value or an interface may lock: interproc resolves it
            indirect = {n.encode()[::-1] for n in interproc.func_field_names(self.ctx)}
            relevant |= {name for name, called in calls.items() if not called.isdisjoint(indirect)}
            # and their callers, transitively: rounds of set tests in C until none is added (cheaper
            # than inverting the call map in Python)
            relevant_reversed = {n[::-1] for n in relevant}
            pending = [(name, called) for name, called in calls.items() if name not in relevant]
            grew = True
            while grew:
                before = len(pending)
                rest = []
                for name, called in pending:
                    if called.isdisjoint(relevant_reversed):
                        rest.append((name, called))
                    else:
                        relevant.add(name)
                        relevant_reversed.add(name[::-1])
                pending = rest
                grew = len(pending) < before
            self._relevant = {n.decode() for n in relevant}
        return self._relevant

    def _call_map(self) -> None:
        """The names each top-level declaration's bytes call (reversed, as _called_in reads them),
        those that call a mutex method themselves, and the names called by those and by their
        callers (two levels): what callers_by_name, called_by_lockers and maybe_called_under_lock
        answer from, without lock_relevant_names' closure over func values (GL022 needs none)."""
        if self._mapped:
            return
        self._mapped = True
        calls: dict[bytes, set[bytes]] = {}
        relevant: set[bytes] = set()
        for f in self.pkg.files:
            data = f.data
            starts = _decl_starts(data)
            if not starts:
                continue
            locks = b"Lock(" in data or b"nlock(" in data  # else no span of the file holds one
            backwards = data[::-1]
            for i, (start, name) in enumerate(starts):
                end = starts[i + 1][0] if i + 1 < len(starts) else len(data)
                if locks and (data.find(b"Lock(", start, end) >= 0 or data.find(b"nlock(", start, end) >= 0):
                    relevant.add(name)
                called = calls.get(name)
                if called is None:
                    calls[name] = _called_in(backwards, start, end)
                else:
                    called |= _called_in(backwards, start, end)
        # (the called names are kept reversed, as _called_in reads them)
        self._calls = calls  # the callers of a name, on demand (callers_by_name)
        self._lockers = {n.decode() for n in relevant}
        self._lockers_b = relevant
        # names called by a function that locks itself, and by the callers of those (two levels)
        direct = set().union(*(called for name, called in calls.items() if name in relevant))
        under = direct | set().union(*(called for name, called in calls.items() if name[::-1] in direct))
        self._direct_b, self._under_b = direct, under

    @property
    def near_lockers(self) -> set[str]:
        """Names of the functions that call a mutex method themselves, or call one that does in the
        same file (from the bytes of the files that lock, nothing else read): what another package's
        call is followed into (deeper chains stay in the package)."""
        if self._near is None:
            lockers: set[bytes] = set()
            callers: dict[bytes, set[bytes]] = {}
            for f in self.pkg.files:
                data = f.data
                if b"Lock(" not in data and b"nlock(" not in data:
                    continue
                starts = _decl_starts(data)
                backwards = data[::-1]
                for i, (start, name) in enumerate(starts):
                    end = starts[i + 1][0] if i + 1 < len(starts) else len(data)
                    if data.find(b"Lock(", start, end) >= 0 or data.find(b"nlock(", start, end) >= 0:
                        lockers.add(name)
                    else:
                        callers.setdefault(name, set()).update(_called_in(backwards, start, end))
            backwards_lockers = {n[::-1] for n in lockers}  # as _called_in reads the called names
            near = lockers | {n for n, called in callers.items() if not called.isdisjoint(backwards_lockers)}
            self._near = {n.decode() for n in near}
        return self._near

    @property
    def maybe_called_under_lock(self) -> set[str]:
        """Names called by a top-level function that calls a mutex method itself, or by a function so
        called (from the bytes, like lock_relevant_names): only these may run with a caller's lock held
        (two levels up)."""
        if self._under_lock is None:
            self._call_map()
            self._under_lock = {n[::-1].decode() for n in self._under_b}
        return self._under_lock

    def callers_by_name(self, name: str) -> tuple[set[str], set[str]]:
        """(names of the top-level functions whose bytes call `name`, those of them that call a mutex
        method themselves): a cheap over-approximation of the callers, from the bytes."""
        self._call_map()
        by = self._called_by.get(name)
        if by is None:
            key = name.encode()[::-1]  # the called names are kept reversed
            if self._inverted is None and len(self._called_by) >= _INVERT_AFTER:
                # asked for many names (a big package): one pass inverting the call map answers all
                inverted: dict[bytes, set[bytes]] = {}
                for n, called in self._calls.items():
                    for c in called:
                        inverted.setdefault(c, set()).add(n)
                self._inverted = inverted
            if self._inverted is not None:
                by = {n.decode() for n in self._inverted.get(key, ())}
            else:
                by = {n.decode() for n, called in self._calls.items() if key in called}
            self._called_by[name] = by
        return by, by & self._lockers

    @property
    def called_by_lockers(self) -> set[str]:
        """Names called by a top-level function that calls a mutex method itself (the first level of
        maybe_called_under_lock)."""
        if self._called_by_lockers is None:
            self._call_map()
            self._called_by_lockers = {n[::-1].decode() for n in self._direct_b}
        return self._called_by_lockers

    def callees(self, file: GoFile, func: Node) -> list[CallSite]:
        """Same-package functions and methods `func` calls (nested literals excluded, except deferred
        ones, which run on its behalf at its return)."""
        if self._foreign and (other := self._foreign.get(id(file))) is not None:
            return other.callees(file, func)
        key = (id(file), func.start_byte)
        found = self._callees.get(key)
        if found is None:
            found = self._callees[key] = self._sites(file, func, self.declared_names)
        return found

    def lock_callees(self, file: GoFile, func: Node) -> list[CallSite]:
        """The callees that may lock or unlock a mutex (a cheaper `callees` for lock analyses)."""
        if self._foreign and (other := self._foreign.get(id(file))) is not None:
            return other.lock_callees(file, func)
        key = (id(file), func.start_byte)
        found = self._lock_callees.get(key)
        if found is None:
            if key in self._callees:
                relevant = self.lock_relevant_names
                res = self.ctx.resolver(file)
                found = [
                    s
                    for s in self._callees[key]
                    if _call_name(_function_of(s.call)) in relevant
                    or _locks_itself(s.callee.node)
                    or (s.callee.node.type == "func_literal" and _calls_locking_closure(res, s.callee.node))
                ]
            else:
                found = self._sites(file, func, self.lock_relevant_names)
            self._lock_callees[key] = found
        return found

    def _sites(self, file: GoFile, func: Node, names: set[str]) -> list[CallSite]:
        res = self.ctx.resolver(file)
        out: list[CallSite] = []
        body = func.child_by_field_name("body")
        if body is None:
            return out
        module_file = self._imports_module(file)
        module_names = self._module_names(file) if module_file else set()
        fields = interproc.func_field_names(self.ctx)
        any_body = self._names is not None and names is self._names  # (callees), without reading them
        for call in self._calls_within(file, body):
            fn = unparen(call.child_by_field_name("function") or call)
            literal = None
            if fn.type == "func_literal":
                literal = fn  # called in place
            elif fn.type == "identifier" and text(fn) not in names:
                literal = _closure_value(res, fn, any_body)
                if literal is None and text(fn) in _BUILTINS:
                    continue
            elif (name := _call_name(fn)) not in names and name not in fields:
                called = module_file and (any_body or name in module_names)
                site = self._module_site(file, func, call, fn, any_body) if called else None
                if site is not None:
                    out.append(site)
                continue
            owner, deferred, spawned = run_context(call)
            if owner is None or owner != func:
                continue
            target = (file, literal) if literal is not None else res.called_function(call)
            if target is None and module_file and fn.type == "selector_expression":
                site = self._module_site(file, func, call, fn, any_body)
                if site is not None:
                    out.append(site)
                    continue
            if target is not None:
                out.append(CallSite(file, call, func, Func(*target), deferred, spawned))
            else:  # a func value or an interface method (interproc resolves them)
                targets = interproc.indirect_targets(self.ctx, file, call)
                stored = len(targets) > 1 and _stored_implementations(self.ctx, file, fn, targets)
                for t in targets:
                    if t.node == func:
                        # a literal reached through a func value from inside itself: the value was
                        # read before this literal replaced it (`old := s.hook; s.hook = func() {
                        # …; old() }`), so it is another function
                        continue
                    # an interface call with several implementations in the package: any of them,
                    # or another package's, may run
                    # (unless each of them is an implementation the package stores or passes there)
                    via = "iface-guess" if t.via == "iface" and len(targets) > 1 and not stored else t.via
                    out.append(CallSite(file, call, func, Func(t.file, t.node), deferred, spawned, via))
        out.sort(key=lambda site: site.call.start_byte)
        return out

    def ctx_of(self, file: GoFile) -> Context:
        """The context of the package a file belongs to (this one, or another package of the module
        whose function a call here reaches)."""
        other = self._foreign.get(id(file))
        return other.ctx if other is not None else self.ctx

    def _imports_module(self, file: GoFile) -> bool:
        """The file imports another package of the module (bytes first, then its import list)."""
        found = self._module_importers.get(id(file))
        if found is None:
            if self._module_needles is None:
                self._module_needles = module_needles(self.pkg.module)
            found = any(n in file.data for n in self._module_needles) and any(
                self._other_module_package(path) for path in file.imports.values()
            )
            self._module_importers[id(file)] = found
        return found

    def _other_module_package(self, path: str) -> bool:
        """An import path of another package of this module (or of its go.work workspace)."""
        from leaktrail.source.module import in_module, module_dir

        found = self._module_paths.get(path)
        if found is None:
            found = self._module_paths[path] = (
                "\0" not in path
                and in_module(self.pkg.module, path)
                and module_dir(self.pkg.module, path) != self.pkg.dir
            )
        return found

    def _module_names(self, file: GoFile) -> set[str]:
        """Names of the functions and methods that may lock in the module packages the file imports
        (each package's near_lockers): only calls by these names are worth following."""
        found = self._module_names_of.get(id(file))
        if found is None:
            found = self._module_names_of[id(file)] = self._near_lockers_of(file.imports.values())
        return found

    def _near_lockers_of(self, paths: Iterable[str]) -> set[str]:
        """The near_lockers of the module packages among `paths` that lock."""
        found: set[str] = set()
        for path in paths:
            found |= self._lockers_at(path)
        return found

    def _lockers_at(self, path: str) -> set[str]:
        """The near_lockers of the module package `path` when it locks, else empty (kept per path: the
        files of a package import the same few)."""
        from leaktrail.source.module import load

        found = self._path_lockers.get(path)
        if found is None:
            found = set()
            if self._other_module_package(path):
                other = load(self.pkg.module, path)
                if other is not None and any(other.files_containing(n) for n in (b"Lock(", b"nlock(")):
                    found = call_graph(interproc.package_context(other)).near_lockers
            self._path_lockers[path] = found
        return found

    def _may_call_module_lockers(self, file: GoFile) -> bool:
        """A call of the file may reach a function of another module package that may lock (from the
        bytes: every quoted string naming a module path counts as an import, so the file is not parsed;
        a superset of `_module_names`)."""
        if self._module_needles is None:
            self._module_needles = module_needles(self.pkg.module)
        if not any(n in file.data for n in self._module_needles):
            return False
        if (known := self._module_names_of.get(id(file))) is not None:
            return bool(known)
        found = self._may_lock_bytes.get(id(file))
        if found is None:
            found = self._may_lock_bytes[id(file)] = any(
                self._lockers_at(p) for p in self.module_strings(file)
            )
        return found

    def module_strings(self, file: GoFile) -> list[str]:
        """The file's quoted strings that are import paths of another package of the module (every
        one may be an import), each once, in order of first occurrence; shared by the lock rules."""
        found = self._quoted.get(id(file))
        if found is None:
            if self._module_needles is None:
                self._module_needles = module_needles(self.pkg.module)
            needles = self._module_needles
            # (a path of the module, or of its workspace, starts with one of their paths: the needles)
            found = self._quoted[id(file)] = [
                path
                for path in dict.fromkeys(m.decode(errors="replace") for m in quoted_with(file.data, needles))
                if any(f'"{path}'.encode().startswith(n) for n in needles)
                and self._other_module_package(path)
            ]
        return found

    def _module_site(self, file: GoFile, func: Node, call: Node, fn: Node, any_body: bool) -> CallSite | None:
        """`pkg.F(…)` / `x.M(…)` into another package of the module (go.mod): followed like a call in
        the package, through that package's own call graph and lock summaries; for lock analyses only
        when F may lock there."""
        if fn.type != "selector_expression":
            return None
        if not self._imports_module(file) or _call_name(fn) not in self._module_names(file):
            return None
        found = interproc.module_callee(self.ctx, file, call) or self._promoted_callee(file, fn)
        if found is None:
            return None
        octx, ofile, onode = found
        other = call_graph(octx)
        if other is self:
            return None
        if not any_body and text(onode.child_by_field_name("name")) not in other.near_lockers:
            return None
        owner, deferred, spawned = run_context(call)
        if owner is None or owner != func:
            return None
        self._foreign[id(ofile)] = other
        for f in other.pkg.files:
            self._foreign.setdefault(id(f), other)
        return CallSite(file, call, func, Func(ofile, onode), deferred, spawned, "module")

    def _promoted_callee(self, file: GoFile, fn: Node) -> tuple[Context, GoFile, Node] | None:
        """`w.Bump()` where w's struct type embeds a type of another package of the module that
        declares Bump: (that package's context, the file, the method)."""
        from leaktrail.source.module import load

        operand = fn.child_by_field_name("operand")
        res = self.ctx.resolver(file)
        t = res.infer(operand) if operand is not None else None
        d = t.deref() if t is not None else None
        if d is None or d.kind != "named" or d.pkg:
            return None
        mname = text(fn.child_by_field_name("field"))
        promoted = _embedded_module_method(self.ctx, res, d, mname)
        other = load(self.pkg.module, promoted[1]) if promoted is not None else None
        found = other.lookup_method(promoted[2].name, mname) if other is not None and promoted else None
        if other is None or found is None:
            return None
        return interproc.package_context(other), found[0], found[1]

    def _calls_within(self, file: GoFile, node: Node) -> list[Node]:
        """The calls inside `node` (a function's body), in document order: a slice of the file's calls
        when something already asked for all of them, else a query on the body alone (the lock
        analyses read a few functions of a file: their bodies cost a quarter of the whole file's
        query on the standard library)."""
        if f"q:{id(file)}:{_ALL_CALLS}" not in self.ctx.shared:
            return captures(_ALL_CALLS, node).get("c", [])
        calls = self.ctx.query(file, _ALL_CALLS).get("c", [])
        starts = self._call_starts.get(id(file))
        if starts is None:
            starts = self._call_starts[id(file)] = [c.start_byte for c in calls]
        lo = bisect_left(starts, node.start_byte)
        hi = bisect_left(starts, node.end_byte, lo)
        return calls[lo:hi]

    def callers(self, file: GoFile, node: Node, needle: bytes = b"") -> list[CallSite]:
        """The call sites of a function or method in the package (none for literals); with a needle,
        only those in files that contain it (`b"Lock("`: the callers that may hold a lock)."""
        key = (id(file), node.start_byte, needle)
        found = self._callers.get(key)
        if found is None:
            found = list(self._caller_sites(Func(file, node), needle))
            found.sort(key=_site_order)
            self._callers[key] = found
        return found

    def iter_callers(self, file: GoFile, node: Node) -> Iterator[CallSite]:
        """`callers(file, node)` one site at a time, in no set order, for a question the first few
        sites may settle: the calls left are not resolved when the caller stops early (the list is
        kept for `callers` only once every site was seen)."""
        key = (id(file), node.start_byte, b"")
        found = self._callers.get(key)
        if found is not None:
            yield from found
            return
        seen: list[CallSite] = []
        for site in self._caller_sites(Func(file, node), b""):
            seen.append(site)
            yield site
        seen.sort(key=_site_order)
        self._callers.setdefault(key, seen)

    def _caller_sites(self, func: Func, needle: bytes) -> Iterator[CallSite]:
        name = text(func.node.child_by_field_name("name"))
        if not name:
            return
        needles = (f"{name}(".encode(), f"{name}[".encode())  # a call, maybe generic
        files = [f for f in self.pkg.files_containing(name.encode()) if self._holds(f, needle)]
        if len(files) > _FEW_FILES:  # the package answers each needle once, from its word index
            calling = {id(f) for n in needles for f in self.pkg.files_containing(n)}
            files = [f for f in files if id(f) in calling]
        else:
            files = [f for f in files if needles[0] in f.data or needles[1] in f.data]
        for f in files:  # (a file that mentions the name without calling it is not parsed)
            res = self.ctx.resolver(f)
            for call in interproc._calls_of(self.ctx, f, name):
                target = res.called_function(call)
                if target is None or target[1] != func.node:
                    continue
                owner, deferred, spawned = run_context(call)
                if owner is not None:
                    yield CallSite(f, call, owner, func, deferred, spawned)

    def _holds(self, file: GoFile, needle: bytes) -> bool:
        """`needle in file.data`, kept (callers asks it of the same files for every name)."""
        key = (id(file), needle)
        found = self._contains.get(key)
        if found is None:
            found = self._contains[key] = needle in file.data
        return found

    # -- mutexes --------------------------------------------------------------------------------------
    def lock_calls(self, file: GoFile) -> list[LockCall]:
        """Every mutex method call of a file whose mutex can be identified."""
        if self._foreign and (other := self._foreign.get(id(file))) is not None:
            return other.lock_calls(file)
        found = self._locks.get(id(file))
        if found is not None:
            return found
        found = []
        if b"Lock(" in file.data or b"nlock(" in file.data:
            res = self.ctx.resolver(file)
            for call in method_calls_named(file, LOCK_METHODS):
                method = sync_mutex_method(res, call)
                if method is not None:
                    mutex = mutex_of_call(res, call)
                else:
                    method, mutex = _anonymous_struct_call(res, call)
                if method is None:  # `c.L.Lock()` on a Cond made with m.RLocker() / &m
                    method, mutex = interproc.cond_locker_call(self.ctx, res, call)
                if method is None and self._imports_module(file):  # `s.Mu.Lock()`, s of a module type
                    method, mutex = _module_mutex_call(self.ctx, res, call)
                if method is None:
                    continue
                owner, deferred, spawned = run_context(call)
                if mutex is not None and owner is not None:
                    found.append(LockCall(file, call, method, mutex, owner, deferred, spawned))
        found.sort(key=lambda lc: lc.call.start_byte)
        self._locks[id(file)] = found
        return found

    def lock_calls_inside(self, file: GoFile, node: Node) -> list[LockCall]:
        """The file's lock_calls whose call starts strictly inside `node`'s span (a function's), in
        order: a slice, not a pass over every mutex call of the file for each function."""
        calls = self.lock_calls(file)
        kept = self._lock_starts.get(id(file))
        if kept is None or kept[0] is not calls:  # (another package's graph may answer for it later)
            kept = self._lock_starts[id(file)] = (calls, [lc.call.start_byte for lc in calls])
        starts = kept[1]
        lo = bisect_right(starts, node.start_byte)
        return calls[lo : bisect_left(starts, node.end_byte, lo)]

    def locks_in(self, file: GoFile, func: Node) -> list[LockCall]:
        """The mutex calls that run on behalf of `func`, in source order."""
        if self._foreign and (other := self._foreign.get(id(file))) is not None:
            return other.locks_in(file, func)
        by_owner = self._by_owner.get(id(file))
        if by_owner is None:
            by_owner = self._by_owner[id(file)] = {}
            for lc in self.lock_calls(file):
                by_owner.setdefault(lc.owner.start_byte, []).append(lc)
        return [lc for lc in by_owner.get(func.start_byte, []) if lc.owner == func]

    def expected_held(self, file: GoFile, func: Node) -> set[Mutex]:
        """Mutexes the function unlocks before it ever locks them: its caller must hold them."""
        if self._foreign and (other := self._foreign.get(id(file))) is not None:
            return other.expected_held(file, func)
        first: dict[Mutex, str] = {}
        for lc in self.locks_in(file, func):
            if lc.spawned or lc.deferred or lc.method.startswith("Try"):
                continue
            first.setdefault(lc.mutex, lc.method)
        return {m for m, method in first.items() if method in RELEASE}

    @property
    def may_release(self) -> bool:
        """Some function of the package unlocks a mutex its caller holds, or a call may reach a function
        that may lock in another package of the module: otherwise no function releases its caller's
        lock, and `releases` need not walk the calls (most packages: it would resolve every call
        reachable from a locker)."""
        if self._may_release is None:
            self._may_release = any(self._may_call_module_lockers(f) for f in self.pkg.files) or any(
                self.expected_held(f, lc.owner)
                for f in self.pkg.files
                if b"nlock(" in f.data
                for lc in self.lock_calls(f)
                if lc.releases
            )
        return self._may_release

    def releases(self, file: GoFile, func: Node) -> set[Mutex]:
        """Mutexes held by the caller that `func` unlocks and does not lock again (unlock helpers),
        itself or through a same-package call (`fail := func(err error) error { rollback(); … }`)."""
        if self._foreign and (other := self._foreign.get(id(file))) is not None:
            return other.releases(file, func)
        if not self.may_release:
            return set()
        key = (id(file), func.start_byte)
        cached = self._releases.get(key)
        if cached is not None:
            return cached
        self._releases[key] = set()  # cycle guard
        last: dict[Mutex, str] = {}
        for lc in self.locks_in(file, func):
            if not (lc.spawned or lc.deferred or lc.method.startswith("Try")):
                last[lc.mutex] = lc.method
        out = {m for m in self.expected_held(file, func) if last.get(m) in RELEASE}
        for site in self.lock_callees(file, func):
            if site.spawned or site.deferred or site.callee.node == func:
                continue
            for r in self.releases(site.callee.file, site.callee.node):
                m = self.translate(r, site)
                if m is not None and m.root != "unknown" and m not in last:
                    out.add(m)
        self._releases[key] = out
        return out

    def holds_after(self, file: GoFile, func: Node) -> dict[Mutex, str]:
        """Mutexes `func` locks and never unlocks (lock helpers): the caller holds them afterwards."""
        if self._foreign and (other := self._foreign.get(id(file))) is not None:
            return other.holds_after(file, func)
        own = self.locks_in(file, func)
        if not any(lc.acquires and not lc.deferred and not lc.spawned for lc in own):
            return {}  # nothing locked here to still hold (the calls need not be resolved)
        locked: dict[Mutex, str] = {}
        unlocked: set[Mutex] = set()
        for lc in self.lock_calls_inside(file, func):
            # a goroutine started here that unlocks it: the lock is handed over (asyncFlush)
            if lc.spawned and lc.releases:
                unlocked.add(lc.mutex)
        for site in self.lock_callees(file, func):
            if site.spawned:
                unlocked.update(
                    t
                    for t in (
                        self.translate(m, site) for m in self.releases(site.callee.file, site.callee.node)
                    )
                    if t
                )
        for lc in own:
            if lc.spawned:
                continue
            if lc.acquires and not lc.deferred:
                locked.setdefault(lc.mutex, lc.mode)
            elif lc.releases:
                unlocked.add(lc.mutex)
        return {m: mode for m, mode in locked.items() if m not in unlocked and m.root != "local"}

    def acquires(self, file: GoFile, func: Node) -> list[Acquire]:
        """Blocking Lock/RLock calls `func` makes, itself or through same-package calls (transitively),
        in its own terms. Locks the function expects its caller to hold (it unlocks them first) and locks
        taken only when a parameter says so (`if !locked { mu.Lock() }`) are left out."""
        if self._foreign and (other := self._foreign.get(id(file))) is not None:
            return other.acquires(file, func)
        key = (id(file), func.start_byte)
        if key in self._acquires:
            return self._acquires[key] or []
        self._acquires[key] = None  # cycle guard
        expected = self.expected_held(file, func)
        found: dict[tuple[Mutex, str], Acquire] = {}
        released_before = self._released_before(file, func, expected)

        def add(acq: Acquire) -> None:
            old = found.get((acq.mutex, acq.mode))
            if old is None:
                found[(acq.mutex, acq.mode)] = acq
            elif not old.released <= acq.released or (old.guessed and not acq.guessed):
                keep = acq if old.guessed and not acq.guessed else old
                found[(acq.mutex, acq.mode)] = Acquire(
                    keep.mutex,
                    keep.mode,
                    keep.site,
                    keep.chain,
                    old.released & acq.released,
                    old.guessed and acq.guessed,
                )

        for lc in self.locks_in(file, func):
            if (
                lc.acquires
                and not lc.spawned
                and not lc.deferred
                and not _conditional_on_param(lc.call, func)
                and not unpublished_local(self.ctx.resolver(file), lc.mutex, lc.call, self.ctx)
            ):
                released = released_before(lc.call)
                if lc.mutex in expected and lc.mutex not in released:
                    continue  # the caller's lock, not released on some path before: not taken here
                # (`unlockWaitAndLockAgain`: taken again after releasing it, behind any other
                # lock the caller holds)
                add(Acquire(lc.mutex, lc.mode, lc, (), released))
        for site in self.lock_callees(file, func):
            if site.spawned or site.deferred or _conditional_on_param(site.call, func):
                continue
            for acq in self.acquires(site.callee.file, site.callee.node):
                m = self.translate(acq.mutex, site)
                if m is None:
                    continue
                if len(acq.chain) >= MAX_CHAIN and (m.root == "unknown" or acq.mutex.root == "unknown"):
                    continue  # deeper only while the very instance is known at every step
                chain = (callee_text(site.call), *acq.chain)
                moved = {self.translate(r, site) for r in acq.released}
                released = released_before(site.call) | {r for r in moved if r is not None}
                if m in expected and m not in released:
                    continue
                guessed = acq.guessed or site.via == "iface-guess"
                add(Acquire(m, acq.mode, acq.site, chain, frozenset(released), guessed))
        result = list(found.values())
        self._acquires[key] = result
        return result

    def _released_before(
        self, file: GoFile, func: Node, expected: set[Mutex]
    ) -> Callable[[Node], frozenset[Mutex]]:
        """For a node of `func`: the mutexes of `expected` (held on entry) that every path from the
        entry unlocks before reaching it."""
        body = func.child_by_field_name("body")
        if not expected or body is None:
            return lambda _node: frozenset()
        graph = self.ctx.cfg(file, body)
        unlocks: dict[Mutex, list[Node]] = {}
        for lc in self.locks_in(file, func):
            if lc.releases and not lc.deferred and not lc.spawned and lc.mutex in expected:
                unlocks.setdefault(lc.mutex, []).append(lc.call)

        def before(node: Node) -> frozenset[Mutex]:
            out = set()
            for m, calls in unlocks.items():
                spans = [(c.start_byte, c.end_byte) for c in calls]

                def avoid(item: Node, spans: list[tuple[int, int]] = spans) -> bool:
                    return any(item.start_byte <= a and b <= item.end_byte for a, b in spans)

                if not graph.reaches_from_entry(node, avoid):
                    out.add(m)
            return frozenset(out)

        return before

    def mutexes_acquired(self, file: GoFile, func: Node) -> set[Mutex]:
        """The mutexes `func` may block on acquiring (itself or through same-package calls)."""
        return {a.mutex for a in self.acquires(file, func)}

    def translate(self, m: Mutex, site: CallSite) -> Mutex | None:
        """The callee's mutex `m` in the caller's terms at this call site (None when unknowable);
        kept per mutex (every field) and site: the flows ask again at each event and state."""
        key = (m, m.cls, m.text, id(site))
        hit = self._translated.get(key)
        if hit is not None and hit[0] is site:
            return hit[1]
        found = self._translate(m, site)
        self._translated[key] = (site, found)
        return found

    def _translate(self, m: Mutex, site: CallSite) -> Mutex | None:
        if site.via == "module":
            m = _from_package(m, self.ctx_of(site.callee.file).pkg, self.pkg)
        if m.root == "global":
            return m
        callee = site.callee.node
        if (
            callee.type == "func_literal"
            and not (m.root == "param" and m.base.endswith(f"@{callee.start_byte}"))
            and top_function(callee) is not None
            and top_function(callee) == top_function(site.call)
        ):
            return m  # a local closure called from a sibling closure: the same enclosing variables
        passed = _through_passing_call(self.ctx, m, site)
        if passed is not None:
            return passed
        handled, moved = interproc.translate_indirect(self.ctx, m, site)
        if handled:
            return moved
        if site.callee.node.type == "func_literal" and not (
            m.root == "param" and m.base.endswith(f"@{site.callee.node.start_byte}")
        ):
            return m  # a closure names the caller's own variables
        if m.root in ("local", "unknown"):
            # another instance per call (or one we cannot name here): only its class survives
            return Mutex("unknown", str(site.call.start_byte), m.path, m.cls, m.text)
        res = self.ctx.resolver(site.file)
        fn = unparen(site.call.child_by_field_name("function") or site.call)
        if m.root == "recv" and site.via == "once":
            # once.Do(c.load): the method value's receiver, not the Once
            args = site.call.child_by_field_name("arguments")
            value = unparen(args.named_children[0]) if args is not None and args.named_children else None
            if value is None or value.type != "selector_expression":
                return Mutex("unknown", str(site.call.start_byte), m.path, m.cls, m.text)
            base_expr = value.child_by_field_name("operand")
        elif m.root == "recv":
            if fn.type != "selector_expression":
                return None
            base_expr = fn.child_by_field_name("operand")
            back = _back_pointer(self.ctx, base_expr, m) if m.path and site.via.startswith("iface") else None
            if back is not None:
                base_expr, m = back
        else:
            args = site.call.child_by_field_name("arguments")
            index = int(m.base.split("@", 1)[0])
            if args is None or index >= args.named_child_count:
                return None
            base_expr = args.named_children[index]
        if base_expr is None:
            return None
        if not m.path:
            return mutex_of_expr(res, base_expr)
        inst = instance_of(res, base_expr)
        if inst is not None and inst[0] == "local":
            alias = interproc.unalias(self.ctx, site.file, base_expr, m)  # x := &T{c: y}: x.c is y
            if alias is not None:
                return alias
        if inst is None:
            return Mutex("unknown", str(site.call.start_byte), m.path, m.cls, m.text)
        root, base, path, written = inst
        return Mutex(root, base, path + m.path, m.cls, ".".join((written, *m.path)))


def _module_type(ctx: Context, res: Resolver, expr: Node, depth: int = 0) -> GoType | None:
    """The type of an expression, also through the fields of struct types declared in another package
    of the module (`s.Owner.Mu` with s a `*store.Session`), which the resolver does not read; the
    other package's own types come back with its import path."""
    t = res.infer(expr)
    if t is not None or depth > 4:
        return t
    expr = unparen(expr)
    if expr.type != "selector_expression":
        return None
    holder = expr.child_by_field_name("operand")
    ht = _module_type(ctx, res, holder, depth + 1) if holder is not None else None
    found = _module_declared(ctx, ht)
    if found is None:
        return None
    ores, path, name = found
    ft = ores.field_type(named("", name), text(expr.child_by_field_name("field")))
    return _qualified(ft, path) if ft is not None else None


def _module_declared(ctx: Context, t: GoType | None) -> tuple[Resolver, str, str] | None:
    """(a resolver in the declaring package, its import path, the type's name) for a named type
    declared in another package of the module."""
    from leaktrail.source.module import in_module, load

    d = t.deref() if t is not None else None
    if d is None or d.kind != "named" or not d.pkg or not in_module(ctx.pkg.module, d.pkg):
        return None
    other = load(ctx.pkg.module, d.pkg)
    hit = other.lookup_type(d.name) if other is not None else None
    if other is None or hit is None:
        return None
    return interproc.package_context(other).resolver(hit[0]), d.pkg, d.name


def _qualified(t: GoType, path: str) -> GoType:
    """A type as another package names it: its own named types get its import path."""
    if t.kind == "named":
        return named(path, t.name) if not t.pkg else t
    if t.kind == "pointer" and t.elem is not None:
        return pointer(_qualified(t.elem, path))
    return t


def _mutex_method_call(call: Node) -> tuple[Node, str] | None:
    """`x.Lock()` and the other mutex methods: (x with parentheses and `&`/`*` stripped, method)."""
    fn = call.child_by_field_name("function")
    operand = fn.child_by_field_name("operand") if fn is not None else None
    method = text(fn.child_by_field_name("field")) if fn is not None else ""
    if operand is None or method not in LOCK_METHODS:
        return None
    return _strip(operand), method


def _module_mutex_call(ctx: Context, res: Resolver, call: Node) -> tuple[str | None, Mutex | None]:
    """`s.Mu.Lock()` (a sync mutex field) or `s.Lock()` (an embedded one) where s's struct type is
    declared in another package of the module: (method, mutex), named as the caller's own types are
    (`example.com/m/store.Session.Mu`)."""
    mcall = _mutex_method_call(call)
    if mcall is None:
        return None, None
    operand, method = mcall
    inst = instance_of(res, operand)
    t = _module_type(ctx, res, operand)
    d = t.deref() if t is not None else None
    if inst is None or d is None or d.kind != "named":
        return None, None
    root, base, path, written = inst
    kind = d.name if d.pkg == "sync" and d.name in MUTEX_TYPES else None
    if kind is not None:
        cls = None
        if operand.type == "selector_expression":
            holder = operand.child_by_field_name("operand")
            ht = _module_type(ctx, res, holder) if holder is not None else None
            hd = ht.deref() if ht is not None else None
            if hd is not None and hd.kind == "named":
                cls = f"{hd.pkg + '.' if hd.pkg else ''}{hd.name}.{path[-1]}"
        mutex = Mutex(root, base, path, cls, written)
    else:
        found = _module_declared(ctx, d)
        owner = found[0].method_owner(named("", d.name), method) if found is not None else None
        if found is None and not d.pkg:  # a type of this package embedding a module type that has it
            promoted = _embedded_module_method(ctx, res, d, method)
            owner = promoted[0].method_owner(named("", promoted[2].name), method) if promoted else None
        if owner is None or owner.pkg != "sync" or owner.name not in MUTEX_TYPES:
            return None, None
        kind = owner.name
        cls = f"{d.pkg}.{d.name}.{owner.name}"
        mutex = Mutex(root, base, (*path, owner.name), cls, f"{written}.{owner.name}")
    if method in ("RLock", "RUnlock", "TryRLock") and kind != "RWMutex":
        return None, None
    return method, mutex


def _stored_implementations(ctx: Context, file: GoFile, fn: Node, targets: list[interproc.Target]) -> bool:
    """An interface call whose candidates are all methods of types the package is seen storing into
    (or passing as) the receiver expression (`s.l = &meter{…}`): each of them does run there on some
    path, so what one of them locks is not a guess."""
    operand = fn.child_by_field_name("operand") if fn.type == "selector_expression" else None
    if operand is None or any(t.via != "iface" or t.node.type != "method_declaration" for t in targets):
        return False
    known = interproc.concrete_types(ctx, file, operand)
    return known is not None and all(receiver_type_name(t.node) in known for t in targets)


def _back_pointer(ctx: Context, expr: Node | None, m: Mutex) -> tuple[Node, Mutex] | None:
    """An interface call `h.notif.Notify()` where every store into the field is `&T{h: x}` (or
    `T{…}`) with x the object the field is set on (`h.notif = &selfNotifier{h: h}`), and the callee
    reaches its mutex through that back-pointer (`s.h.mu`): the mutex is `h.mu`. Returns (h, the
    mutex below h)."""
    e = unparen(expr) if expr is not None else None
    if e is None or e.type != "selector_expression" or not m.path:
        return None
    holder = e.child_by_field_name("operand")
    if not ctx.pkg.files_containing(f"{m.path[0]}: ".encode()):
        return None  # no keyed element that could set the back-pointer
    stores = interproc.field_stores(ctx, text(e.child_by_field_name("field")))
    if holder is None or not stores:
        return None
    back = m.path[0]
    for st in stores:
        value = unparen(st.value)
        if value.type == "unary_expression" and text(value.child_by_field_name("operator")) == "&":
            value = unparen(value.child_by_field_name("operand") or value)
        body = value.child_by_field_name("body") if value.type == "composite_literal" else None
        if body is None or st.obj is None:
            return None
        obj = unparen(st.obj)
        points_back = False
        for el in body.named_children:
            if el.type == "keyed_element" and el.named_child_count >= 2:
                key, val = el.named_children[0], el.named_children[1]
                if text(key) == back and text(val) == text(obj) and obj.type == "identifier":
                    points_back = True
        if not points_back:
            return None
    return holder, Mutex(m.root, m.base, m.path[1:], m.cls, m.text)


def _embedded_module_method(
    ctx: Context, res: Resolver, d: GoType, mname: str
) -> tuple[Resolver, str, GoType] | None:
    """A struct type of this package that embeds a type declared in another package of the module
    (`type widget struct { base.Base }`) whose method set has `mname`: (a resolver in that package,
    its import path, the embedded type). The resolver does not read other packages."""
    hit = res.pkg.lookup_type(d.name)
    struct = hit[1].child_by_field_name("type") if hit is not None else None
    if hit is None or struct is None or struct.type != "struct_type":
        return None
    for fdecl in struct_fields(struct):
        if fdecl.children_by_field_name("name"):
            continue
        et = type_from_node(hit[0], fdecl.child_by_field_name("type"))
        found = _module_declared(ctx, et)
        if found is None or et is None:
            continue
        ores, path, name = found
        if ores.method_owner(named("", name), mname) is not None:
            return ores, path, et.deref()
    return None


def import_path_of(pkg: Package) -> str:
    """The import path of a package of a module (its directory below the module root)."""
    root = pkg.module.root
    if root is None or not pkg.module.path:
        return ""
    try:
        rel = pkg.dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return ""
    return pkg.module.path if rel in ("", ".") else f"{pkg.module.path}/{rel}"


def _from_package(m: Mutex, callee: Package, caller: Package) -> Mutex:
    """A mutex named in another package's terms, renamed into the caller package's: that package's
    own types and globals get its import path, the caller's own types lose theirs (the classes then
    match the caller's `Store.mu`)."""
    there, here = import_path_of(callee), import_path_of(caller)
    if not there or not here:
        return m

    def rename(cls: str | None) -> str | None:
        if cls is None or cls.startswith("local@"):
            return cls
        if cls.startswith(here + "."):
            return cls[len(here) + 1 :]
        return cls if "/" in cls else f"{there}.{cls}"

    base = f"{there}.{m.base}" if m.root == "global" else m.base
    return Mutex(m.root, base, m.path, rename(m.cls), m.text)


def _through_passing_call(ctx: Context, m: Mutex, site: CallSite) -> Mutex | None:
    """A literal passed as an argument to the function that calls it (`t.each(func(k string) {
    t.Delete(k) })`, where each runs `fn(k)` holding t.mu): the literal names the passing function's
    variables; when its mutex lies below the receiver or an argument of that passing call, it is the
    callee's receiver or parameter at the same path (each's t.mu). None when the literal is not passed
    straight to `site.caller`, or its mutex is not below what the call hands over."""
    literal = site.callee.node
    if literal.type != "func_literal" or m.root not in ("recv", "param", "local"):
        return None
    if m.root == "param" and m.base.endswith(f"@{literal.start_byte}"):
        return None  # the literal's own parameter: the arguments of site.call
    args = literal.parent
    passing = args.parent if args is not None and args.type == "argument_list" else None
    if args is None or passing is None or passing.type != "call_expression":
        return None
    res = ctx.resolver(site.callee.file)
    target = res.called_function(passing)
    if target is None or target[1] != site.caller or target[0] is not site.file:
        return None
    handed: list[tuple[Node, str, str]] = []
    fn = unparen(passing.child_by_field_name("function") or passing)
    operand = fn.child_by_field_name("operand") if fn.type == "selector_expression" else None
    if operand is not None and site.caller.type == "method_declaration":
        handed.append((operand, "recv", ""))
    for i, arg in enumerate(args.named_children):
        if arg != literal:
            handed.append((arg, "param", f"{i}@{site.caller.start_byte}"))
    for expr, root, base in handed:
        inst = instance_of(res, expr)
        if inst is None or (inst[0], inst[1]) != (m.root, m.base) or m.path[: len(inst[2])] != inst[2]:
            continue
        rest = m.path[len(inst[2]) :]
        name = _handed_name(site.caller, root, base)
        return Mutex(root, base, rest, m.cls, ".".join((name, *rest)))
    return None


def _handed_name(func: Node, root: str, base: str) -> str:
    """How the function names its receiver or parameter (for messages)."""
    if root == "recv":
        recv = func.child_by_field_name("receiver")
        names = [
            n
            for p in (recv.named_children if recv is not None else [])
            for n in p.children_by_field_name("name")
        ]
        return text(names[0]) if names else "recv"
    params = func.child_by_field_name("parameters")
    index = int(base.split("@", 1)[0])
    flat = [
        n
        for p in (params.named_children if params is not None else [])
        if p.type in ("parameter_declaration", "variadic_parameter_declaration")
        for n in (p.children_by_field_name("name") or [p])
    ]
    return text(flat[index]) if index < len(flat) and flat[index].type == "identifier" else "param"


_BUILTINS = frozenset(
    (
        *("append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make", "max"),
        *("min", "new", "panic", "print", "println", "real", "recover"),
    )
)


def _closure_value(res: Resolver, ident: Node, any_body: bool) -> Node | None:
    """The literal a local `f := func() {…}` holds, when f is never assigned again; for lock analyses
    (any_body False) only a literal that calls a mutex method itself."""
    if text(ident) in _BUILTINS:
        return None
    decl = res.decl_of(ident)
    if decl is None or decl.kind not in ("short", "var") or decl.value is None or decl.multi:
        return None
    value = unparen(decl.value)
    if value.type != "func_literal":
        return None
    if not any_body and not _locks_itself(value) and not _calls_locking_closure(res, value):
        return None
    for ref in res.references(decl):
        parent = ref.parent
        if parent is not None and parent.type == "expression_list" and parent.parent is not None:
            stmt = parent.parent
            if stmt.type == "assignment_statement" and stmt.child_by_field_name("left") == parent:
                return None
    return value


def _calls_locking_closure(res: Resolver, literal: Node, depth: int = 0) -> bool:
    """The literal calls a local closure that locks or unlocks (`fail` calling `rollback`)."""
    if depth > 2:
        return False
    for call in captures(_ALL_CALLS, literal).get("c", []):
        fn = unparen(call.child_by_field_name("function") or call)
        if fn.type != "identifier" or text(fn) in _BUILTINS:
            continue
        decl = res.decl_of(fn)
        value = unparen(decl.value) if decl is not None and decl.value is not None else None
        if value is None or value.type != "func_literal" or value == literal:
            continue
        if _locks_itself(value) or _calls_locking_closure(res, value, depth + 1):
            return True
    return False


def unpublished_local(res: Resolver, m: Mutex, at: Node, ctx: Context | None = None) -> bool:
    """The mutex lives in an object this function allocated (`w := &T{…}`, `new(T)`, `var x T`)
    that, before `at`, no other code can reach: it is used only through its fields (no call of its
    methods other than the lock ones, not passed, stored, address-taken or captured by a closure).
    No other goroutine can hold such a mutex, so taking it orders nothing."""
    if m.root != "local" or not m.base.isdigit():
        return False
    if ctx is None:
        return _unpublished_local(res, m.base, at, ctx)
    # asked for every pair of held and taken mutexes at each acquisition the flow replays
    memo = ctx.shared.setdefault("callgraph:unpublished", {})
    key = (id(res.file), m.base, at)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _unpublished_local(res, m.base, at, ctx)
    assert isinstance(found, bool)
    return found


def _unpublished_local(res: Resolver, base: str, at: Node, ctx: Context | None) -> bool:
    ident = res.file.root.descendant_for_byte_range(int(base), int(base))
    decl = res.decl_of(ident) if ident is not None and ident.type == "identifier" else None
    if decl is None or decl.kind not in ("short", "var") or decl.multi:
        return False
    value = unparen(decl.value) if decl.value is not None else None
    if value is not None:
        if value.type == "unary_expression" and text(value.child_by_field_name("operator")) == "&":
            value = unparen(value.child_by_field_name("operand") or value)
        fresh = value.type == "composite_literal" or (
            value.type == "call_expression" and text(value.child_by_field_name("function")) == "new"
        )
        if not fresh:
            return False
    owner = enclosing_func_of(at)
    if owner != decl.func:
        return False  # locked by a closure: others may share the variable
    body = owner.child_by_field_name("body")
    graph = ctx.cfg(res.file, body) if ctx is not None and body is not None else None

    def before(ref: Node) -> bool:
        """`ref` can run before `at` (on a path to it; in source order without a graph)."""
        if ref.start_byte >= at.start_byte:
            return False
        return graph is None or graph.locate(ref) is None or graph.reaches(ref, at)

    for ref in res.references(decl):
        if not before(ref):
            continue
        if enclosing_func_of(ref) != owner:
            if not _unpublished_closure(res, ref, owner, before):
                return False  # captured by a closure that others may run
            continue
        use = ref
        while use.parent is not None and use.parent.type == "selector_expression":
            if use.parent.child_by_field_name("operand") != use:
                break
            use = use.parent
        if use == ref:
            return False  # the object itself is used (passed, stored, compared)
        parent = use.parent
        if parent is not None and parent.type == "unary_expression":
            return False  # &w.f
        called = (
            parent is not None
            and parent.type == "call_expression"
            and parent.child_by_field_name("function") == use
        )
        if called and text(use.child_by_field_name("field")) not in LOCK_METHODS:
            assert parent is not None
            if use.child_by_field_name("operand") == ref and _receiver_stays(res, parent):
                continue  # a same-package method that only touches its receiver's fields
            return False  # a method of it may publish it
    return True


def _receiver_stays(res: Resolver, call: Node, depth: int = 2) -> bool:
    """The method `call` runs is in this package and does not let its receiver escape: the receiver
    is used only to reach fields (read, written, locked) or to call methods that do not let it
    escape either; it is not passed, stored, returned, captured by a literal or used in a `go`."""
    target = res.called_function(call)
    if target is None or depth <= 0 or target[1].type != "method_declaration":
        return False
    file, method = target
    recv = method.child_by_field_name("receiver")
    names = [
        n for p in (recv.named_children if recv is not None else []) for n in p.children_by_field_name("name")
    ]
    body = method.child_by_field_name("body")
    if not names or body is None:
        return not names and body is not None  # an unnamed receiver cannot escape
    name = text(names[0])
    mres = res if file is res.file else Resolver(res.pkg, file)
    for ident in captures("(identifier) @i", body).get("i", []):
        if text(ident) != name:
            continue
        if enclosing_func_of(ident) != method:
            return False  # captured by a literal (or a goroutine)
        parent = ident.parent
        if (
            parent is None
            or parent.type != "selector_expression"
            or parent.child_by_field_name("operand") != ident
        ):
            return False
        outer = parent.parent
        if (
            outer is not None
            and outer.type == "call_expression"
            and outer.child_by_field_name("function") == parent
        ):
            field = text(parent.child_by_field_name("field"))
            if field not in LOCK_METHODS and not _receiver_stays(mres, outer, depth - 1):
                return False
    return True


def _unpublished_closure(res: Resolver, ref: Node, owner: Node, before: Callable[[Node], bool]) -> bool:
    """`ref` is inside a literal that `owner` keeps in a local (`update := func(m *Msg) { w.mu.Lock()
    … }`) and does not call, pass or store before `at`: the closure, and what it captures, is not
    yet reachable by anyone else."""
    literal = enclosing_func_of(ref)
    while literal is not None and enclosing_func_of(literal) != owner:
        literal = enclosing_func_of(literal)
    if literal is None or literal.type != "func_literal":
        return False
    declared = sole_declared(literal)
    holder = res.decl_of(declared) if declared is not None else None
    return holder is not None and not any(before(r) for r in res.references(holder))


def enclosing_func_of(node: Node) -> Node | None:
    p = node.parent
    while p is not None and p.type not in FUNC_NODES:
        p = p.parent
    return p


def _locks_itself(func: Node) -> bool:
    body = func.text or b""
    return func.type == "func_literal" and (b"Lock(" in body or b"nlock(" in body)


def _function_of(call: Node) -> Node:
    return unparen(call.child_by_field_name("function") or call)


def _call_name(fn: Node) -> str:
    return text(fn.child_by_field_name("field")) if fn.type == "selector_expression" else text(fn)


def receiver_text(call: Node) -> str:
    """`s.mu` for `s.mu.Lock()`, `s` for `s.Lock()` (as written)."""
    fn = _function_of(call)
    operand = fn.child_by_field_name("operand") if fn.type == "selector_expression" else None
    return text(operand)


def callee_text(call: Node) -> str:
    fn = _function_of(call)
    return "the func literal it calls in place" if fn.type == "func_literal" else text(fn)


def function_of(node: Node) -> Node | None:
    """The function (declaration, method or literal) a node runs for; see run_context."""
    return run_context(node)[0]


def _site_order(site: CallSite) -> tuple[str, int]:
    return (str(site.file.path), site.call.start_byte)


def run_context(node: Node) -> tuple[Node | None, bool, bool]:
    """(the function the node runs for, inside a defer, inside a go statement). A deferred literal
    runs for its enclosing function (at its return); any other literal is a function of its own.

    Each Node.parent is a search down from the root, and the lock rules ask about many nodes of the
    same functions: the answer for every ancestor walked through is kept (`_ABOVE`), so a walk stops
    at the first ancestor already answered."""
    chain: list[Node] = []
    found: tuple[Node | None, bool, bool] = (None, False, False)
    p = node.parent
    while p is not None:
        hit = _ABOVE.get(p)
        if hit is not None:
            found = hit
            break
        if p.type in FUNC_NODES:
            parent = p.parent
            if (
                p.type != "func_literal"
                or parent is None
                or parent.type != "call_expression"
                or parent.child_by_field_name("function") != p
                or parent.parent is None
                or parent.parent.type != "defer_statement"
            ):
                # A literal called in place is its own function too: its defers run at its own end.
                found = _ABOVE[p] = (p, False, False)
                break
            # deferred: runs for the enclosing function, at its return
        chain.append(p)
        p = p.parent
    owner, deferred, spawned = found
    if len(_ABOVE) >= _MAX_ABOVE:
        _ABOVE.clear()
    for q in reversed(chain):  # from the top: each node's answer is its own word and what is above
        kind = q.type
        if kind == "defer_statement":
            deferred = True
        elif kind == "go_statement":
            spawned = True
        _ABOVE[q] = (owner, deferred, spawned)
    return owner, deferred, spawned


_ABOVE: dict[Node, tuple[Node | None, bool, bool]] = {}
"""run_context's answers for the ancestors it walked through (a node's own context included: what
run_context answers for its children)."""
_MAX_ABOVE = 1 << 18
forget_with_indexes(_ABOVE.clear)


def sync_mutex_method(res: Resolver, call: Node) -> str | None:
    """The method when `call` is Lock/Unlock/… of a sync.Mutex or sync.RWMutex (embedded ones too)."""
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "selector_expression":
        return None
    mname = text(fn.child_by_field_name("field"))
    operand = fn.child_by_field_name("operand")
    if mname not in LOCK_METHODS or operand is None:
        return None
    if operand.type == "identifier" and res.is_import(operand) is not None:
        return None
    owner = res.method_owner(res.infer(operand), mname)
    return mname if owner is not None and owner.pkg == "sync" and owner.name in MUTEX_TYPES else None


def _strip(expr: Node) -> Node:
    expr = unparen(expr)
    while expr.type == "unary_expression" and text(expr.child_by_field_name("operator")) in ("&", "*"):
        inner = expr.child_by_field_name("operand")
        if inner is None:
            break
        expr = unparen(inner)
    return expr


def param_index(decl_func: Node, ident: Node) -> int | None:
    params = decl_func.child_by_field_name("parameters")
    if params is None:
        return None
    i = 0
    for p in params.named_children:
        if p.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        names = p.children_by_field_name("name")
        if not names:
            i += 1
            continue
        for n in names:
            if n == ident:
                return i
            i += 1
    return None


def instance_of(res: Resolver, expr: Node) -> tuple[str, str, tuple[str, ...], str] | None:
    """(root, base, field path, text) of an addressable expression (`s`, `s.a.b`, a global)."""
    expr = _strip(expr)
    if expr.type == "identifier":
        decl = res.decl_of(expr)
        name = text(expr)
        if decl is None:
            if res.is_import(expr) is None and res.pkg.lookup_var(name) is not None:
                return ("global", name, (), name)
            return None
        if decl.kind == "receiver":
            return ("recv", "", (), name)
        if decl.kind == "param":
            index = param_index(decl.func, decl.ident)
            return None if index is None else ("param", f"{index}@{decl.func.start_byte}", (), name)
        if decl.kind in ("var", "short", "range"):
            return ("local", str(decl.ident.start_byte), (), name)
        return None
    if expr.type == "selector_expression":
        operand = expr.child_by_field_name("operand")
        if operand is None:
            return None
        inner = instance_of(res, operand)
        if inner is None:
            return None
        fname = text(expr.child_by_field_name("field"))
        return (inner[0], inner[1], (*inner[2], fname), f"{inner[3]}.{fname}")
    return None


def _class_of(res: Resolver, expr: Node, inst: tuple[str, str, tuple[str, ...], str]) -> str | None:
    root, base, path, _ = inst
    if not path:
        if root == "global":
            return base
        if root == "local":
            return f"local@{base}"
        return None
    if expr.type == "selector_expression":
        operand = expr.child_by_field_name("operand")
        t = res.infer(operand) if operand is not None else None
        if t is not None and t.deref().kind == "named" and t.deref().name:
            d = res.field_owner(t, path[-1]) or t.deref()  # a promoted field is its declarer's
            return f"{d.pkg + '.' if d.pkg else ''}{d.name}.{path[-1]}"
    if root == "global":
        return ".".join((base, *path))
    return None


def mutex_of_expr(res: Resolver, expr: Node) -> Mutex | None:
    """The mutex an expression designates: a sync.Mutex/RWMutex value, or a struct embedding one."""
    expr = _strip(expr)
    inst = instance_of(res, expr)
    if inst is None:
        return None
    t = res.infer(expr)
    d = t.deref() if t is not None else None
    if d is not None and d.kind == "named" and d.pkg == "sync" and d.name in MUTEX_TYPES:
        return Mutex(inst[0], inst[1], inst[2], _class_of(res, expr, inst), inst[3])
    if d is None or d.kind != "named":
        return None
    owner = res.method_owner(d, "Lock")
    if owner is None or owner.pkg != "sync" or owner.name not in MUTEX_TYPES:
        return None
    root, base, path, written = inst
    cls = f"{d.pkg + '.' if d.pkg else ''}{d.name}.{owner.name}"
    return Mutex(root, base, (*path, owner.name), cls, f"{written}.{owner.name}")


def mutex_of_call(res: Resolver, call: Node) -> Mutex | None:
    fn = call.child_by_field_name("function")
    operand = fn.child_by_field_name("operand") if fn is not None else None
    if operand is None:
        return None
    operand = _strip(operand)
    inst = instance_of(res, operand)
    if inst is None:
        return None
    t = res.infer(operand)
    d = t.deref() if t is not None else None
    if d is not None and d.kind == "named" and d.pkg == "sync" and d.name in MUTEX_TYPES:
        return Mutex(inst[0], inst[1], inst[2], _class_of(res, operand, inst), inst[3])
    # embedded: s.Lock() locks s's promoted sync.Mutex
    mname = text(fn.child_by_field_name("field")) if fn is not None else ""
    owner = res.method_owner(t, mname) if t is not None else None
    if d is None or d.kind != "named" or owner is None:
        return None
    root, base, path, written = inst
    cls = f"{d.pkg + '.' if d.pkg else ''}{d.name}.{owner.name}"
    if operand.type == "selector_expression" and _twin_field(res, operand):
        # c.in.Lock() and c.out.Lock(): two fields of one type are two locks, named by the field
        cls = f"{_class_of(res, operand, inst)}.{owner.name}"
    return Mutex(root, base, (*path, owner.name), cls, f"{written}.{owner.name}")


def _twin_field(res: Resolver, sel: Node) -> bool:
    """The selected field shares its type with another field of the same struct."""
    holder = sel.child_by_field_name("operand")
    fname = text(sel.child_by_field_name("field"))
    t = res.infer(holder) if holder is not None else None
    d = t.deref() if t is not None else None
    if d is None or d.kind != "named" or d.pkg:
        return False
    hit = res.pkg.lookup_type(d.name)
    struct = hit[1].child_by_field_name("type") if hit is not None else None
    if struct is None or struct.type != "struct_type":
        return False
    types: dict[str, int] = {}
    mine = ""
    for fdecl in struct_fields(struct):
        names = fdecl.children_by_field_name("name")
        ftype = text(fdecl.child_by_field_name("type")).lstrip("*")
        types[ftype] = types.get(ftype, 0) + max(1, len(names))
        if any(text(n) == fname for n in names):
            mine = ftype
    return bool(mine) and types.get(mine, 0) > 1


def _anonymous_struct_call(res: Resolver, call: Node) -> tuple[str | None, Mutex | None]:
    """`s.mu.Lock()` where the field is declared `mu struct { sync.Mutex; … }` (a common way to keep a
    mutex next to the fields it guards): the resolver types such a field only as "struct"."""
    found = _mutex_method_call(call)
    if found is None:
        return None, None
    operand, method = found
    if operand.type != "selector_expression":
        return None, None
    holder = operand.child_by_field_name("operand")
    fname = text(operand.child_by_field_name("field"))
    t = res.infer(holder) if holder is not None else None
    d = t.deref() if t is not None else None
    if d is None or d.kind != "named" or d.pkg:
        return None, None
    hit = res.pkg.lookup_type(d.name)
    struct = hit[1].child_by_field_name("type") if hit is not None else None
    if hit is None or struct is None or struct.type != "struct_type":
        return None, None
    for fdecl in struct_fields(struct):
        ftype = fdecl.child_by_field_name("type")
        if ftype is None or ftype.type != "struct_type":
            continue
        if not any(text(n) == fname for n in fdecl.children_by_field_name("name")):
            continue
        for inner in struct_fields(ftype):
            if inner.children_by_field_name("name"):
                continue
            it = type_from_node(hit[0], inner.child_by_field_name("type"))
            it = it.deref() if it is not None else None
            if it is not None and it.is_named("sync", it.name) and it.name in MUTEX_TYPES:
                if method in ("RLock", "RUnlock", "TryRLock") and it.name != "RWMutex":
                    return None, None
                inst = instance_of(res, operand)
                if inst is None:
                    return None, None
                root, base, path, written = inst
                cls = f"{d.name}.{fname}.{it.name}"
                return method, Mutex(root, base, (*path, it.name), cls, f"{written}.{it.name}")
    return None, None


def _conditional_on_param(node: Node, func: Node) -> bool:
    """Inside an `if` whose condition reads one of the function's parameters (`if !locked {…}`), or,
    in a closure, one of the enclosing functions' parameters (the closure it guards)."""
    names = _PARAM_NAMES.get(func)
    if names is None:
        found: set[str] = set()
        scope: Node | None = func
        while scope is not None:
            params = scope.child_by_field_name("parameters")
            if params is not None:
                found.update(
                    text(n)
                    for p in params.named_children
                    if p.type in ("parameter_declaration", "variadic_parameter_declaration")
                    for n in p.children_by_field_name("name")
                )
            scope = enclosing_func_of(scope) if scope.type == "func_literal" else None
        if len(_PARAM_NAMES) >= _MAX_ABOVE:
            _PARAM_NAMES.clear()
        names = _PARAM_NAMES[func] = frozenset(found)
    if not names:
        return False
    p = node.parent
    while p is not None and p != func:
        if p.type == "if_statement":
            cond = p.child_by_field_name("condition")
            if (
                cond is not None
                and not (cond.start_byte <= node.start_byte < cond.end_byte)
                and any(text(i) in names for i in _identifiers(cond))
            ):
                return True
        p = p.parent
    return False


_PARAM_NAMES: dict[Node, frozenset[str]] = {}
"""_conditional_on_param's parameter names per function (asked for every lock call and call site)."""
forget_with_indexes(_PARAM_NAMES.clear)


def _identifiers(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "identifier":
            yield n
        elif n.type not in FUNC_NODES:
            stack.extend(n.named_children)


def functions_with_locks(ctx: Context) -> list[Func]:
    """The functions (declarations and literals) of the prefiltered files that call a mutex method."""
    cg = call_graph(ctx)
    seen: set[tuple[int, int]] = set()
    out: list[Func] = []
    for f in ctx.files:
        for lc in cg.lock_calls(f):
            key = (id(f), lc.owner.start_byte)
            if key not in seen:
                seen.add(key)
                out.append(Func(f, lc.owner))
    out.sort(key=lambda fn: (str(fn.file.path), fn.node.start_byte))
    return out
