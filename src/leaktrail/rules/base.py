"""What a rule is: a code, a name, a doc, a cheap textual prefilter and a check over one package."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from leaktrail.model import RuleInfo, Severity
from leaktrail.source import stdlib
from leaktrail.source.cfg import CFG
from leaktrail.source.package import GoFile, Package
from leaktrail.source.parse import Node, captures, text, unparen
from leaktrail.source.resolve import Decl, Resolver, enclosing_func


@dataclass(frozen=True, slots=True)
class Report:
    file: GoFile
    node: Node
    message: str
    severity: Severity | None = None
    """Overrides the rule's default (version-dependent rules); config overrides both."""
    confidence: str = "high"
    """"low" when the finding rests on something the analysis could not establish (see Finding.confidence)."""


Check = Callable[["Context"], Iterator[Report]]


@dataclass(frozen=True)
class Rule:
    info: RuleInfo
    check: Check
    prefilter: tuple[bytes, ...]
    """A file can hold a report only if it contains one of these byte strings."""
    package_needs: tuple[bytes, ...] = ()
    """The package (any file) must contain one of these, or the rule cannot fire anywhere in it."""

    @property
    def code(self) -> str:
        return self.info.code

    def candidates(self, pkg: Package) -> list[GoFile]:
        if self.package_needs and not pkg.contains_any(self.package_needs):
            return []
        return list(pkg.files_containing_any(self.prefilter))  # (in package order, each file once)


_T = TypeVar("_T")


@dataclass(eq=False)
class Context:
    """Everything a check may ask about one package; analyses here are shared by all rules."""

    pkg: Package
    files: list[GoFile]
    """The files that passed this rule's prefilter."""
    shared: dict[str, Any] = field(default_factory=dict)
    resolvers: dict[int, Resolver] = field(default_factory=dict)

    def resolver(self, file: GoFile) -> Resolver:
        r = self.resolvers.get(id(file))
        if r is None:
            r = self.resolvers[id(file)] = Resolver(self.pkg, file)
        return r

    def for_files(self, files: list[GoFile]) -> Context:
        return Context(self.pkg, files, self.shared, self.resolvers)

    def cfg(self, file: GoFile, body: Node, loop_body: bool = False) -> CFG:
        key = f"cfg:{id(file)}:{body.start_byte}:{loop_body}"
        graph = self.shared.get(key)
        if graph is None:
            res = self.resolver(file)
            graph = self.shared[key] = CFG(body, lambda call: no_return_kind(res, call), loop_body)
        assert isinstance(graph, CFG)
        return graph

    def per_function(self, table: str, file: GoFile, func: Node, compute: Callable[[], _T]) -> _T:
        """A fact about one function, computed once per package and shared by every rule that asks."""
        memo = self.shared.setdefault(table, {})
        key = (id(file), func.start_byte)
        if key not in memo:
            memo[key] = compute()
        found: _T = memo[key]
        return found

    def query(self, file: GoFile, pattern: str) -> dict[str, list[Node]]:
        key = f"q:{id(file)}:{pattern}"
        found = self.shared.get(key)
        if found is None:
            found = self.shared[key] = captures(pattern, file.root)
        assert isinstance(found, dict)
        return found

    @cached_property
    def go_version(self) -> tuple[int, int] | None:
        return self.pkg.go_version


def owned_local(res: Resolver, call: Node, target: Node) -> tuple[Decl, Node, Node] | None:
    """(declaration, function, body) when `target` is a local variable of the function making `call`;
    None when it is captured from an enclosing function, package level, a parameter or a named result
    (then someone else owns what it holds)."""
    decl = res.decl_of(target)
    func = enclosing_func(call)
    if decl is None or func is None or decl.func != func or decl.kind in ("result", "param", "receiver"):
        return None
    body = func.child_by_field_name("body")
    return None if body is None else (decl, func, body)


def no_return_kind(res: Resolver, call: Node) -> str | None:
    """abort (the process dies), goexit (the goroutine ends) or None."""
    fn = unparen(call.child_by_field_name("function") or call)
    if fn.type == "identifier" and text(fn) == "panic" and res.decl_of(fn) is None:
        return "abort"
    qualified = res.qualified_call(call)
    if qualified is not None:
        return stdlib.NO_RETURN.get(qualified)
    if fn.type == "selector_expression":
        mname = text(fn.child_by_field_name("field"))
        operand = fn.child_by_field_name("operand")
        if mname in stdlib.TESTING_NO_RETURN:
            t = res.infer(operand)
            if (
                t is not None
                and t.deref().kind == "named"
                and t.deref().pkg == "testing"
                and t.deref().name in stdlib.TESTING_TYPES
            ):
                return "goexit"
            if t is None and _suite_t(operand):
                return "goexit"  # s.T().Fatal(…): a test suite's *testing.T (testify's suite.T())
        elif mname.startswith(("Fatal", "Panic")):
            t = res.infer(operand)
            if t is not None and t.is_named("log", "Logger"):
                return "abort"
    return None


def _suite_t(operand: Node | None) -> bool:
    """`x.T()` with no arguments, whose type the analysis cannot see: the accessor test suites use to
    hand out the current *testing.T."""
    call = unparen(operand) if operand is not None else None
    fn = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
    args = call.child_by_field_name("arguments") if call is not None else None
    return (
        fn is not None
        and fn.type == "selector_expression"
        and text(fn.child_by_field_name("field")) == "T"
        and args is not None
        and args.named_child_count == 0
    )
