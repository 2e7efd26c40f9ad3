"""WaitGroup and context shapes whose other half sits in another package of the module (issue 12),
added to GL002/GL004 with `rules.extend`; they read the per-function summaries of
leaktrail.rules.crossctx. Each check's docstring is appended to its rule's documentation."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import leaktrail.rules.contexts
import leaktrail.rules.waitgroups
from leaktrail.rules import extend
from leaktrail.rules.base import Context, Report
from leaktrail.rules.crosscall import _Parked
from leaktrail.rules.crossctx import Callee, call_facts, callee_of, param_names, summary
from leaktrail.rules.goroutines import go_statements, go_statements_in, same_function
from leaktrail.rules.tokens import LEXEMES
from leaktrail.rules.waitgroups import wg_calls
from leaktrail.source.package import WORD_BYTE, GoFile, Package
from leaktrail.source.parse import Node, line_of, text, unparen
from leaktrail.source.resolve import Resolver, enclosing_func


@extend("GL004", (b".Add(",))
def done_missed_in_other_package(ctx: Context) -> Iterator[Report]:
    """
    ## Across packages: a goroutine that runs another package's function
    `wg.Add(1); go worker.Run(&wg, job)` where `Run`, in another package of the module, has a path that
    returns without `wg.Done()`: before its Done, or before its `defer wg.Done()` is registered. `Run`
    may be a function (`worker` the package) or a method of one of that package's types called on a
    value held here: a local (`w := pool.NewWorker()`), a field (`s.w.Run`), a parameter, a call's
    result (`pool.NewWorker().Run(&wg, job)`), or a struct embedding it (`type crew struct{
    *pool.Worker }`, `go c.Run(&wg, job)`).
    `wg.Wait()` blocks forever once that path is taken. Reported at the `go` statement (the exit that
    skips Done is named in the message). Silent when `Run` defers `Done` before any return, calls it on
    every path, hands it to a goroutine that does, or guards it with `if wg != nil`.
    """
    methods = _module_methods(ctx, b"WaitGroup")  # a value of such a package's type may be anywhere
    for file in ctx.files:
        local = module_imports(ctx, file, b"WaitGroup")
        if not local and (methods is None or not methods.search(file.data)):
            continue  # neither `go pkg.F(…)` nor `go x.M(…)` into the module is written here
        for go in go_statements(ctx, file):
            call = next((c for c in go.named_children if c.type == "call_expression"), None)
            target = _module_target(ctx, file, call, local) if call is not None else None
            if call is None or target is None:
                continue  # a goroutine of this package: the rule itself checks its body
            facts = summary(target.ctx, target.file, target.func)
            parent = enclosing_func(go)
            args = call.child_by_field_name("arguments")
            if not facts or parent is None or args is None:
                continue
            for i, arg in enumerate(args.named_children):
                f = facts.get(i)
                if f is None or f.missed is None or f.done_always:
                    continue
                name = _wg_name(arg)
                if name is None or not _added_before(ctx, file, parent, go, name):
                    continue
                fname = text(target.func.child_by_field_name("name"))
                where = f"{target.file.path.name}:{line_of(f.missed)}"
                yield Report(
                    file,
                    go,
                    f"{fname} can return at {where} without {name}.Done() (before its Done, or before its "
                    f"defer registers one): the {name}.Add before this go statement is then never matched "
                    f"and {name}.Wait() blocks forever; make {fname} defer {name}.Done() first thing",
                )
                break


def _wg_name(arg: Node) -> str | None:
    arg = unparen(arg)
    if arg.type == "unary_expression" and text(arg.child_by_field_name("operator")) == "&":
        inner = arg.child_by_field_name("operand")
        arg = unparen(inner) if inner is not None else arg
    return text(arg) if arg.type in ("identifier", "selector_expression") else None


def _added_before(ctx: Context, file: GoFile, parent: Node, go: Node, name: str) -> bool:
    """The starting function Adds to `name` before the go statement (or later in the same loop)."""
    for call, _m, recv in wg_calls(ctx, file, parent, ("Add",)):
        if recv != name or not same_function(call, parent):
            continue
        if call.start_byte < go.start_byte:
            return True
        loop = go.parent
        while loop is not None and loop != parent and loop.type != "for_statement":
            loop = loop.parent
        if (
            loop is not None
            and loop.type == "for_statement"
            and loop.start_byte <= call.start_byte < loop.end_byte
        ):
            return True
    return False


@extend("GL002", (b"(",))
def parked_cancel_dropped_across_packages(ctx: Context) -> Iterator[Report]:
    """
    ## Across packages: a constructor's parked cancel dropped by its caller
    `pkg.NewServer(ctx)` (another package of the module) parks the cancel func of a context in the value
    it returns and starts a goroutine that waits on that context's `Done()`. A caller that discards the
    result (`pkg.NewServer(ctx)` as a statement, or `_, err := pkg.NewServer(ctx)`) drops the only way
    to cancel it: the goroutine never ends. Reported at the call. The constructor may also be a method
    of that package's type called on a value held here (`x.mux.Open(ctx)`), and may park the cancel
    through a setter (`s.SetCancel(cancel)`). In the constructor's own package the blank form
    (`_, err := newServer(ctx)`) is reported the same way.
    """
    here = _parking_constructors(ctx)
    naming = {id(f) for n in sorted(here) for f in ctx.pkg.files_containing(n.encode())}
    for file in ctx.files:
        local = module_imports(ctx, file, b"context.With")
        named_here = (
            id(file) in naming if file.package is ctx.pkg else any(n.encode() in file.data for n in here)
        )
        if not local and not named_here:
            continue  # no package it can call makes a cancellable context, no local constructor named
        theirs = _imported_parking_methods(ctx, file, b"context.With") if local else frozenset()
        if not theirs and not named_here and not _may_call_parking(ctx, file, local):
            continue  # only `pkg.F(…)` calls are left, and no F they can reach parks a cancel
        for call in _named_calls(file, local, here | theirs):
            index = _discarded_result(call)
            if index is None:
                continue
            fn = unparen(call.child_by_field_name("function") or call)
            name = text(fn.child_by_field_name("field")) if fn.type == "selector_expression" else text(fn)
            if not (_calls_into(call, local) or (index >= 0 and name in here) or name in theirs):
                continue
            target = callee_of(ctx, file, call)
            if target is None or (target.ctx is ctx and index < 0):
                continue  # this package's statement calls: the rule's own caller check
            parked = _returned_parked(target.ctx, target.file, target.func)
            if parked is None or index not in (parked[0], -1):
                continue
            _pos, owner_field, go = parked
            fname = text(target.func.child_by_field_name("name"))
            yield Report(
                file,
                call,
                f"the result of {fname} is discarded, but it holds the only cancel func ({owner_field}) of "
                f"the context that the goroutine {fname} starts ({target.file.path.name}:{line_of(go)}) "
                f"waits on (ctx.Done()): that goroutine never ends; keep the result and call its "
                f"Close/cancel when done",
            )


_QUOTED = re.compile(rb'"((?:[^"\\\n]|\\[^\n])*)"|`([^`]*)`')
"""The contents of the string literals of a file: an import path is one of them, as the parse reads it."""
_IMPORT_HEAD = re.compile(rb"[ \t]*(?:import[ \t]*(?:\([ \t]*)?)?")


def _may_call_parking(ctx: Context, file: GoFile, local: frozenset[str]) -> bool:
    """Whether a call `a.F(…)` of `file` (a one of the `local` import names) can reach a function
    that returns a parked cancel, decided on bytes (the file stays unparsed when it cannot).

    Such a call reaches F in the package the parse maps `a` to (an import spec's path: a string
    literal of the file), unless a local declaration shadows `a` (then `a`'s type may come from any
    package). So it cannot when every occurrence of each name `a` in the code is a qualifier (`a.`)
    or an import spec's name, and no function of the module packages named by the file's string
    literals that parks a cancel (_parking_constructors) has its name in the file."""
    from leaktrail.rules.interproc import package_context
    from leaktrail.source.module import in_module, load, module_dir

    data = file.data
    if any(_maybe_shadowed(data, a.encode()) for a in local):
        return True
    module = ctx.pkg.module
    paths = {
        (m.group(1) if m.group(1) is not None else m.group(2)).decode("utf-8", "replace")
        for m in _QUOTED.finditer(data)
    }
    for path in sorted(paths):
        if not path or not in_module(module, path) or module_dir(module, path) == ctx.pkg.dir:
            continue
        other = load(module, path)
        if other is None:
            continue
        if any(n.encode() in data for n in _parking_constructors(package_context(other))):
            return True
    return False


def _maybe_shadowed(data: bytes, alias: bytes) -> bool:
    """Some occurrence of the word `alias` in `data` is neither a qualifier (`alias.`, spaces or tabs
    between), nor the name of an import spec (`alias "path"` first on its line, after `import` or
    `import (`), nor the end of a path (`/alias"`), outside comments and literals: a declaration may
    shadow the import there. (A declaring identifier is never followed by `.`.)"""
    if _stray_words(data, alias):
        # Again on the code alone, when the scanner reads every comment and literal of the file.
        code = LEXEMES.sub(_blank, data)
        if b"/*" in code or any(q in code.replace(b'""', b"") for q in (b'"', b"'", b"`")):
            return True  # a literal or comment the scan above could not close: take no chances
        return _stray_words(code, alias)
    return False


def _blank(m: re.Match[bytes]) -> bytes:
    """A string literal as `""` (an import spec keeps its quotes), anything else as a space."""
    return b'""' if m.group(0)[:1] in (b'"', b"`") else b" "


def _stray_words(data: bytes, alias: bytes) -> bool:
    size = len(alias)
    at = data.find(alias)
    while at >= 0:
        end = at + size
        before = data[at - 1] if at else 0x20
        after = data[end] if end < len(data) else 0x20
        if not (WORD_BYTE[before] or before == 0x2E or WORD_BYTE[after]):
            j = end
            while j < len(data) and data[j] in b" \t":
                j += 1
            nxt = data[j : j + 1]
            if nxt != b"." and not (before == 0x2F and j == end and nxt in (b'"', b"`")):
                line = data.rfind(b"\n", 0, at) + 1
                head = _IMPORT_HEAD.match(data, line)
                if not (nxt in (b'"', b"`") and j > end and head is not None and head.end() == at):
                    return True
        at = data.find(alias, end)
    return False


def _named_calls(file: GoFile, local: frozenset[str], names: frozenset[str]) -> list[Node]:
    """The calls `pkg.F(…)` with pkg in `local`, and `f(…)` / `x.f(…)` with f in `names`, in document
    order: reached from the names' occurrences (byte-located), not by walking every call of the file."""
    found: dict[tuple[int, int], Node] = {}

    def add(fn: Node) -> None:
        call = fn.parent
        if call is not None and call.type == "call_expression" and call.child_by_field_name("function") == fn:
            found[(call.start_byte, -call.end_byte)] = call

    def add_selector(part: Node, role: str) -> None:
        sel = part.parent
        if sel is not None and sel.type == "selector_expression" and sel.child_by_field_name(role) == part:
            add(sel)

    for alias in local:
        for ident in file.identifiers.get(alias, ()):
            add_selector(ident, "operand")
    for name in names:
        for ident in file.identifiers.get(name, ()):
            add(ident)
        for field in file.field_identifiers.get(name, ()):
            add_selector(field, "field")
    return [found[k] for k in sorted(found)]


_IDENT = re.compile(rb"[A-Za-z_]\w*")


def module_imports(ctx: Context, file: GoFile, needs: bytes = b"") -> frozenset[str]:
    """The local names under which `file` imports other packages of its module (only those whose
    files mention `needs`, when given): a bytes test first, so files without such imports stay unparsed."""
    mod = ctx.pkg.module.path
    if not mod:
        return frozenset()
    memo = ctx.shared.get("crossctx:module-needs")
    if memo is None:
        spec = re.compile(rb'"(' + re.escape(mod.encode()) + rb'(?:/[^"\n]*)?)"')  # starts with its word
        memo = ctx.shared["crossctx:module-needs"] = {"": (f'"{mod}/'.encode(), f'"{mod}"'.encode(), spec)}
    assert isinstance(memo, dict)
    per_file = (id(file), needs)  # the checks of GL002/3/4 ask again for the same file
    found = memo.get(per_file)
    if found is None:
        sub, whole, spec = memo[""]
        mentions = memo.get(id(file))
        if mentions is None:
            mentions = memo[id(file)] = sub in file.data or whole in file.data
        if not mentions:
            found = frozenset()
        else:
            found = _module_imports(memo, ctx, file, needs, spec)
        memo[per_file] = found
    assert isinstance(found, frozenset)
    return found


def _module_imports(
    memo: dict[object, object], ctx: Context, file: GoFile, needs: bytes, spec: re.Pattern[bytes]
) -> frozenset[str]:
    from leaktrail.source.module import load

    def package_name(path: str) -> str | None:
        if path not in memo:
            other = load(ctx.pkg.module, path)
            memo[path] = (other.name, other) if other is not None else None
        found = memo[path]
        return found[0] if isinstance(found, tuple) else None

    def wanted(path: str) -> bool:
        key = (path, needs)
        if key not in memo:
            found = memo[path] if package_name(path) is not None else None
            memo[key] = isinstance(found, tuple) and (not needs or bool(found[1].files_containing(needs)))
        return bool(memo[key])

    out: set[str] = set()
    data = file.data
    paths: list[str] = []
    memo[(id(file), needs, "paths")] = paths  # the imported packages themselves (module_packages)
    for m in spec.finditer(data):
        path = m.group(1).decode(errors="replace")
        before = data[data.rfind(b"\n", 0, m.start()) + 1 : m.start()].split()
        alias = before[-1] if before and before[-1] != b"import" else b""
        if alias == b"." or (alias and not _IDENT.fullmatch(alias)) or not wanted(path):
            continue  # a dot import, or the path inside some other string: not an import spec
        paths.append(path)
        if alias:
            out.add(alias.decode())
            continue
        name = package_name(path)  # its package clause names it
        if name is not None:
            out.add(name)
    return frozenset(out)  # decided on bytes: the file is not parsed for this


_FUNC_START = re.compile(rb"^func\b", re.M)
_METHOD_NAME = re.compile(rb"func\s*\([^)]*\)\s*([A-Za-z_]\w*)\s*[\[(]")


def _methods_mentioning(pkg: Package, needles: tuple[bytes, ...], key: str) -> frozenset[bytes]:
    """Names of the methods of `pkg` whose declaration (signature or body) contains one of `needles`,
    read from the bytes of the files containing them (a top-level `func` to the next): memoised in the
    package's own context, so every importing package reuses it."""
    from leaktrail.rules.interproc import package_context

    shared = package_context(pkg).shared
    found = shared.get(key)
    if not isinstance(found, frozenset):
        names: set[bytes] = set()
        files = {id(f): f for n in needles for f in pkg.files_containing(n)}
        for f in files.values():
            data = f.data
            starts = [m.start() for m in _FUNC_START.finditer(data)] + [len(data)]
            for i, j in itertools.pairwise(starts):
                m = _METHOD_NAME.match(data, i)
                if m is not None and any(data.find(n, i, j) >= 0 for n in needles):
                    names.add(m.group(1))
        found = shared[key] = frozenset(names)
    return found


def _module_methods(ctx: Context, needs: bytes) -> re.Pattern[bytes] | None:
    """A pattern for `go ….M(` with M a method that mentions `needs` (a `*sync.WaitGroup` parameter)
    of the module packages some file of this package imports: a value of one of their types (a field,
    a parameter, a constructor's result) may sit in any file of the package, and a goroutine running
    its method names M. Memoised per package; None when there is no such method."""
    memo = ctx.shared.setdefault("crossctx:module-methods", {})
    assert isinstance(memo, dict)
    if needs not in memo:
        names: set[bytes] = set()
        seen: set[int] = set()
        for f in ctx.files:
            for pkg in module_packages(ctx, f, needs):
                if id(pkg) not in seen:
                    seen.add(id(pkg))
                    names |= _methods_mentioning(pkg, (needs,), f"crossctx:methods:{needs!r}")
        alts = b"|".join(re.escape(n) for n in sorted(names))
        memo[needs] = re.compile(rb"\bgo\s+[^\n;{}]*?\.(?:" + alts + rb")\s*\(") if names else None
    found = memo[needs]
    assert found is None or isinstance(found, re.Pattern)
    return found


def _module_target(ctx: Context, file: GoFile, call: Node, local: frozenset[str]) -> Callee | None:
    """The function of another package of the module that `call` runs: `pkg.F(…)` with pkg one of the
    file's `local` import names, or `x.M(…)` where x (a local, a field, a parameter, a call's result)
    is a value of a type declared in such a package. None for this package's functions."""
    fn = unparen(call.child_by_field_name("function") or call)
    if fn.type != "selector_expression":
        return None
    if not _calls_into(call, local):
        operand = fn.child_by_field_name("operand")
        if operand is None or (operand.type == "identifier" and ctx.resolver(file).is_import(operand)):
            return None  # a package other than the module's (or one not mentioning what is asked)
        args = call.child_by_field_name("arguments")
        if args is None or not args.named_child_count:
            return None  # nothing handed to it
    target = callee_of(ctx, file, call)
    return target if target is not None and target.ctx is not ctx else None


def module_packages(ctx: Context, file: GoFile, needs: bytes = b"") -> list[Package]:
    """The packages of the module that `file` imports (those whose files mention `needs`), as
    module_imports found them."""
    if not module_imports(ctx, file, needs):
        return []
    memo = ctx.shared["crossctx:module-needs"]
    assert isinstance(memo, dict)
    out: list[Package] = []
    for path in memo.get((id(file), needs, "paths"), []):
        found = memo.get(path)
        if isinstance(found, tuple):
            out.append(found[1])
    return out


def _imported_parking_methods(ctx: Context, file: GoFile, needs: bytes) -> frozenset[str]:
    """Names of the methods of the module packages `file` imports that return a struct holding a
    parked cancel (`mux.Open(ctx)`: its receiver is a value of that package's type; `pkg.F` is
    found by the import name already). Only the methods that make a cancellable context themselves
    and that the file names (`.Open(`) are looked at."""
    from leaktrail.rules.interproc import package_context

    names: set[str] = set()
    needles = tuple(_WITH_CANCEL_NEEDLES)
    for pkg in module_packages(ctx, file, needs):
        named = [
            n.decode()
            for n in _methods_mentioning(pkg, needles, "crossctx:methods:with-cancel")
            if b"." + n + b"(" in file.data
        ]
        if named:
            pctx = package_context(pkg)
            names.update(n for n in named if n in _parking_methods(pctx))
    return frozenset(names)


def _parking_methods(ctx: Context) -> frozenset[str]:
    """The methods among _parking_constructors."""
    _parking_constructors(ctx)
    found = ctx.shared["crossctx:parking"]
    assert isinstance(found, dict)
    methods = found["methods"]
    assert isinstance(methods, frozenset)
    return methods


def _calls_into(call: Node, local: frozenset[str]) -> bool:
    """`pkg.F(…)` with pkg one of the local import names."""
    fn = unparen(call.child_by_field_name("function") or call)
    operand = fn.child_by_field_name("operand") if fn.type == "selector_expression" else None
    return operand is not None and operand.type == "identifier" and text(operand) in local


_SPELLED = {w.removeprefix("context.").encode() for w in leaktrail.rules.contexts.WITH_CANCEL}
_WITH_CANCEL_NEEDLES = sorted(n for n in _SPELLED if not any(o != n and o in n for o in _SPELLED))
"""WithCancelCause holds WithCancel: the three short names find the same files, and GL002's prefilter
has asked the package for exactly these already."""


def _parking_constructors(ctx: Context) -> frozenset[str]:
    """Names of this package's functions that return a struct holding a parked cancel."""
    memo = ctx.shared.setdefault("crossctx:parking", {})
    assert isinstance(memo, dict)
    if "names" not in memo:
        names: set[str] = set()
        methods: set[str] = set()
        files = {id(f): f for n in _WITH_CANCEL_NEEDLES for f in ctx.pkg.files_containing(n)}
        for f in files.values():
            for func in {id(p.func): p.func for p in _parked(ctx, f)}.values():
                if _returned_parked(ctx, f, func) is not None:
                    names.add(text(func.child_by_field_name("name")))
                    if func.type == "method_declaration":
                        methods.add(text(func.child_by_field_name("name")))
        memo["names"] = frozenset(names)
        memo["methods"] = frozenset(methods)
    found = memo["names"]
    assert isinstance(found, frozenset)
    return found


def _parked(ctx: Context, file: GoFile) -> list[_Parked]:
    from leaktrail.rules.crosscall import _parked_cancels

    memo = ctx.shared.setdefault("crossctx:parked", {})
    assert isinstance(memo, dict)
    if id(file) not in memo:
        memo[id(file)] = _parked_cancels(ctx, file)
    found = memo[id(file)]
    assert isinstance(found, list)
    return found


def _discarded_result(call: Node) -> int | None:
    """-1 when the call is a statement (every result dropped); i when `_` receives its result i."""
    parent = call.parent
    if parent is not None and parent.type == "expression_statement":
        return -1
    if parent is None or parent.type != "expression_list" or parent.named_child_count != 1:
        return None
    stmt = parent.parent
    if stmt is None or stmt.type not in ("short_var_declaration", "assignment_statement"):
        return None
    if stmt.child_by_field_name("right") != parent:
        return None
    left = stmt.child_by_field_name("left")
    names = [text(c) for c in left.named_children] if left is not None else []
    blanks = [i for i, n in enumerate(names) if n == "_"]
    return blanks[0] if len(blanks) == 1 else None


def _returned_parked(ctx: Context, file: GoFile, func: Node) -> tuple[int, str, Node] | None:
    """(result index, "T.field", go statement) when `func` parks a cancel in a local struct that every
    return hands back at that index, and starts a goroutine waiting on the context's Done()."""
    from leaktrail.rules.crosscall import _mentions

    for p in _parked(ctx, file):
        if p.func != func or p.holder is None:
            continue
        holder = text(p.holder)
        rets = [
            r
            for r in ctx.query(file, "(return_statement) @r").get("r", [])
            if enclosing_func(r) == func and r.named_children
        ]
        positions = set()
        for r in rets:
            values = r.named_children[0]
            items = values.named_children if values.type == "expression_list" else [values]
            at = [i for i, v in enumerate(items) if _mentions(v, holder)]
            if len(at) > 1:
                return None
            positions.update(at)  # a return without the holder drops it: reported in func itself
        if len(positions) == 1:
            return positions.pop(), f"{p.owner}.{p.field}", p.go
    return None


@extend("GL003", (b"go ",))
def add_in_goroutine_across_calls(ctx: Context) -> Iterator[Report]:
    """
    ## Across calls: the Add made by a helper
    The goroutine's first statements hand the WaitGroup to a helper (this package or another of the
    module) that calls `wg.Add`, or the goroutine runs another package's function whose body starts
    with `wg.Add(1)` and later calls `Done`: the Add still runs inside the goroutine it counts, after
    the `go` statement, so `wg.Wait()` can return first. The helper or function may be a method of
    another package's type called on a value held here (`go c.Click(&wg, w)` with `c` a
    `*tally.Clicker` local, field, parameter or constructor result). Reported at the helper call (or at
    the `go` statement for another package's function). Silent when the helper also calls `Done`, when
    a nested `go` follows (the goroutine counts its own children) or the WaitGroup is the goroutine's
    own.
    """
    from leaktrail.rules.goroutines import goroutines
    from leaktrail.rules.waitgroups import _done_by_helper, _top_statements

    if not ctx.pkg.files_containing(b"WaitGroup"):
        return  # no WaitGroup in the package to hand to a helper
    for g in goroutines(ctx):
        body = g.body
        if body is None or b".Done()" not in (body.text or b""):
            continue  # it must count itself down for an Add inside it to be late
        res = ctx.resolver(g.body_file)
        nested = go_statements_in(ctx, g.body_file, body)
        dones = {r for _c, _m, r in wg_calls(ctx, g.body_file, body, ("Done",))}
        dones |= {r for _c, _m, r in _done_by_helper(ctx, g.body_file, body)}
        for stmt in _top_statements(body)[:4]:
            call = (
                stmt.named_children[0]
                if stmt.type == "expression_statement" and stmt.named_children
                else None
            )
            if call is None or call.type != "call_expression":
                continue
            args = call.child_by_field_name("arguments")
            for arg in args.named_children if args is not None else []:
                t = res.infer(unparen(arg))
                if t is None or not t.is_named("sync", "WaitGroup"):
                    continue
                name = text(unparen(arg)).lstrip("&")
                facts = call_facts(ctx, g.body_file, call, name)
                if not facts.adds or facts.done or name not in dones:
                    continue
                if any(n.start_byte > call.end_byte for n in nested) or _local_to(res, arg, g.func):
                    continue
                fname = text(unparen(call.child_by_field_name("function") or call))
                yield Report(
                    g.body_file,
                    call,
                    f"{fname} calls {name}.Add inside the goroutine it counts: {name}.Wait() can return "
                    f"before this runs; call {name}.Add before the go statement",
                )
    methods = _module_methods(ctx, b"WaitGroup")  # a value of such a package's type may be anywhere
    for file in ctx.files:
        local = module_imports(ctx, file, b"WaitGroup")
        if not local and (methods is None or not methods.search(file.data)):
            continue  # neither `go pkg.F(…)` nor `go x.M(…)` into the module is written here
        for go in go_statements(ctx, file):
            call = next((c for c in go.named_children if c.type == "call_expression"), None)
            target = _module_target(ctx, file, call, local) if call is not None else None
            if call is None or target is None:
                continue
            per_param = summary(target.ctx, target.file, target.func)
            args = call.child_by_field_name("arguments")
            for i, f in per_param.items():
                if not (f.adds and f.done) or args is None or i >= args.named_child_count:
                    continue
                pname = param_names(target.func)[i]
                tbody = target.func.child_by_field_name("body")
                if tbody is None or not _adds_first(target.ctx, target.file, tbody, pname):
                    continue
                name = _wg_name(args.named_children[i]) or pname
                fname = text(target.func.child_by_field_name("name"))
                yield Report(
                    file,
                    go,
                    f"{fname} calls {pname}.Add at its start, inside the goroutine it counts: {name}.Wait() "
                    f"can return before it runs; call {name}.Add before the go statement",
                )
                break


def _adds_first(ctx: Context, file: GoFile, body: Node, pname: str) -> bool:
    """The body's top-level statements call pname.Add, and no go statement follows it."""
    from leaktrail.rules.waitgroups import _top_statements

    for stmt in _top_statements(body):
        if stmt.type != "expression_statement" or not stmt.named_children:
            continue
        for call, _m, recv in wg_calls(ctx, file, stmt, ("Add",)):
            if recv == pname and call == stmt.named_children[0]:
                return not any(g.start_byte > call.end_byte for g in go_statements_in(ctx, file, body))
    return False


def _local_to(res: Resolver, arg: Node, func: Node) -> bool:
    """The WaitGroup is declared inside the goroutine's own function."""
    root = unparen(arg)
    while root.type in ("unary_expression", "selector_expression"):
        nxt = root.child_by_field_name("operand")
        if nxt is None:
            break
        root = unparen(nxt)
    decl = res.decl_of(root) if root.type == "identifier" else None
    return (
        decl is not None
        and decl.kind in ("var", "short")
        and func.start_byte <= decl.ident.start_byte < func.end_byte
    )
