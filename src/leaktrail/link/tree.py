"""The Go source a dump is read against: which local file a frame's path means, and what is at that line.

A dump's paths are those of the machine that built the binary: absolute paths of a CI runner, GOPATH
layouts (`/go/src/example.com/svc/orders/listen.go`), or module-relative paths under `-trimpath`
(`example.com/svc/orders/listen.go`). A frame is matched by module path first (from the frame's function,
then from its file path), then by the longest path suffix. Standard-library, vendored and module-cache
frames stay unmapped: their source is not the user's to change.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from leaktrail.runtime.model import Frame, function_package
from leaktrail.source.discovery import SKIP_DIRS
from leaktrail.source.gomod import _MODULE
from leaktrail.source.parse import Node, parse

MAX_FILES = 200_000
_FUNCTION_NODES = ("function_declaration", "method_declaration", "func_literal")
_SIMPLE_STATEMENTS = frozenset(
    {
        "expression_statement",
        "send_statement",
        "short_var_declaration",
        "assignment_statement",
        "return_statement",
        "var_declaration",
        "go_statement",
        "defer_statement",
        "inc_statement",
        "dec_statement",
    }
)
# Compiler-made names around a function: closures (F.func1, F.func1.2), go/defer wrappers, range-over-func
# bodies (F-range1) and generic instantiations (F[...]).
_CLOSURE = re.compile(r"\.func\d+|\.gowrap\d+|\.deferwrap\d+|-range\d+")
_TYPE_ARGS = re.compile(r"\[[^\[\]]*\]")


class SourceError(Exception):
    """--source names something that is not a readable directory (one line, no traceback)."""


@dataclass(frozen=True, slots=True)
class FuncSpan:
    """A function declaration, method or closure in a file, by lines (1-based, inclusive)."""

    start: int
    end: int
    name: str
    """Declared name; "" for a closure."""
    receiver: str
    """Receiver type name without `*` or type parameters; "" for functions and closures."""
    closure: bool


@dataclass
class GoFileInfo:
    path: Path
    lines: list[str]
    funcs: list[FuncSpan]
    root: Node | None = None

    def line_text(self, line: int) -> str | None:
        return self.lines[line - 1] if 1 <= line <= len(self.lines) else None

    def innermost(self, line: int, *, strict: bool = False) -> FuncSpan | None:
        """The smallest function or closure around a line; `strict` skips those that start on it (the
        closure a `go func() {` line starts is not the function that runs the go statement)."""
        best: FuncSpan | None = None
        for f in self.funcs:
            inside = (f.start < line if strict else f.start <= line) and line <= f.end
            if inside and (best is None or f.end - f.start < best.end - best.start):
                best = f
        return best

    def declaration(self, line: int) -> FuncSpan | None:
        """The top-level function or method around a line (closures belong to it)."""
        best: FuncSpan | None = None
        for f in self.funcs:
            if not f.closure and f.start <= line <= f.end:
                best = f
        return best

    def statement_text(self, line: int) -> str:
        """The simple statement that covers a line (a call can span lines), else the line itself."""
        text = self.line_text(line) or ""
        if self.root is None:
            return text
        node = self.root.descendant_for_point_range((line - 1, _indent(text)), (line - 1, len(text)))
        while node is not None:
            if node.type in _SIMPLE_STATEMENTS:
                raw = node.text
                whole = raw.decode("utf-8", "replace") if raw is not None else text
                # a statement that holds a closure holds other statements: only its own line counts
                return text if "func(" in whole or "func (" in whole else whole
            if node.type in ("block", "source_file", *_FUNCTION_NODES):
                break
            node = node.parent
        return text


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


@dataclass(frozen=True, slots=True)
class GoModule:
    path: str
    dir: Path


@dataclass
class SourceTree:
    """Every Go file under a directory, indexed for frame lookups; files are parsed on first use."""

    root: Path
    modules: tuple[GoModule, ...]
    """Longest module path first."""
    by_name: dict[str, list[tuple[str, ...]]]
    """Basename -> paths (as component tuples relative to root) of the files with that name."""
    _files: dict[Path, GoFileInfo | None] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path) -> SourceTree:
        if not root.exists():
            raise SourceError(f"{root}: no such directory")
        if not root.is_dir():
            raise SourceError(f"{root}: not a directory")
        root = root.resolve()
        modules: list[GoModule] = []
        by_name: dict[str, list[tuple[str, ...]]] = {}
        count = 0
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith((".", "_")))
            here = Path(dirpath)
            rel = here.relative_to(root).parts
            for name in filenames:
                if name == "go.mod":
                    module = _module_path(here / name)
                    if module:
                        modules.append(GoModule(module, here))
                elif name.endswith(".go"):
                    by_name.setdefault(name, []).append((*rel, name))
                    count += 1
            if count > MAX_FILES:
                break
        # A module above the root (--source pointing inside a module) still names the packages in it.
        if not any(m.dir == root for m in modules):
            above = find_module_root(root.parent) if root.parent != root else None
            if above is not None:
                module = _module_path(above / "go.mod")
                if module:
                    modules.append(GoModule(module, above))
        modules.sort(key=lambda m: -len(m.path))
        return cls(root, tuple(modules), by_name)

    @property
    def file_count(self) -> int:
        return sum(len(v) for v in self.by_name.values())

    def map_frame(self, frame: Frame) -> Path | None:
        """The local file a frame ran from, or None (standard library, vendored, module cache, absent)."""
        if not frame.is_user or frame.file in ("", "?", "<autogenerated>"):
            return None
        return self.map_file(frame.file, frame.function)

    def map_file(self, file: str, function: str = "") -> Path | None:
        path = file.replace("\\", "/")
        if re.match(r"^[A-Za-z]:/", path):
            path = path[2:]
        if "/vendor/" in f"/{path}" or "/pkg/mod/" in path:
            return None
        base = path.rsplit("/", 1)[-1]
        if base not in self.by_name:
            return None
        # 1. The function's import path inside a module of the tree (works for any build machine's paths).
        pkg = function_package(function) if function else ""
        pkg = pkg.removesuffix("_test")
        for m in self.modules:
            if pkg == m.path or pkg.startswith(m.path + "/"):
                candidate = m.dir / pkg[len(m.path) + 1 :] / base
                if self._indexed(candidate):
                    return candidate
        # 2. The module path inside the file path (-trimpath, GOPATH layouts).
        for m in self.modules:
            at = _find_segment(path, m.path)
            if at is not None:
                candidate = m.dir / path[at + len(m.path) + 1 :]
                if self._indexed(candidate):
                    return candidate
        # 3. The longest common suffix of path components; a tie is ambiguous, and a bare file name must
        # also agree with the function's package name.
        parts = tuple(p for p in path.split("/") if p)
        best: list[tuple[str, ...]] = []
        best_score = 0
        for cand in self.by_name[base]:
            score = _common_suffix(parts, cand)
            if score > best_score:
                best, best_score = [cand], score
            elif score == best_score:
                best.append(cand)
        if len(best) != 1:
            return None
        cand = best[0]
        if best_score == 1 and pkg and pkg != "main" and len(cand) > 1 and cand[-2] != pkg.rsplit("/", 1)[-1]:
            return None
        return self.root.joinpath(*cand)

    def _indexed(self, path: Path) -> bool:
        try:
            rel = path.relative_to(self.root).parts
        except ValueError:
            return path.is_file()
        return rel in self.by_name.get(path.name, ())

    def file(self, path: Path) -> GoFileInfo | None:
        if path in self._files:
            return self._files[path]
        info: GoFileInfo | None
        try:
            data = path.read_bytes()
        except OSError:
            info = None
        else:
            tree = parse(data)
            info = GoFileInfo(
                path,
                data.decode("utf-8", "replace").splitlines(),
                list(_func_spans(tree.root_node)),
                tree.root_node,
            )
        self._files[path] = info
        return info


def find_module_root(start: Path) -> Path | None:
    """The directory of the nearest go.mod at or above `start`."""
    here = start.absolute()
    for directory in (here, *here.parents):
        if (directory / "go.mod").is_file():
            return directory
    return None


def _module_path(gomod: Path) -> str:
    try:
        m = _MODULE.search(gomod.read_bytes())
    except OSError:
        return ""
    return m.group(1).decode("utf-8", "replace") if m else ""


def _find_segment(path: str, module: str) -> int | None:
    """Where `module/` starts in `path` at a component boundary, or None."""
    if path.startswith(module + "/"):
        return 0
    at = path.find("/" + module + "/")
    return at + 1 if at >= 0 else None


def _common_suffix(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _func_spans(root: Node) -> Iterator[FuncSpan]:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in _FUNCTION_NODES:
            name_node = node.child_by_field_name("name")
            name = name_node.text.decode() if name_node is not None and name_node.text else ""
            receiver = ""
            if node.type == "method_declaration":
                receiver = _receiver_type(node)
            yield FuncSpan(
                node.start_point[0] + 1,
                node.end_point[0] + 1,
                name,
                receiver,
                node.type == "func_literal",
            )
        stack.extend(node.named_children)


def _receiver_type(method: Node) -> str:
    params = method.child_by_field_name("receiver")
    raw = params.text.decode("utf-8", "replace") if params is not None and params.text else ""
    words = re.findall(r"[A-Za-z_]\w*", _TYPE_ARGS.sub("", raw))
    return words[-1] if words else ""


@dataclass(frozen=True, slots=True)
class FunctionName:
    """What a runtime function name says about the source: `pkg.(*T).M.func2` -> M, receiver T, closure."""

    name: str
    receiver: str
    closure: bool


def parse_function(function: str) -> FunctionName:
    pkg = function_package(function)
    rest = function[len(pkg) + 1 :] if function.startswith(pkg + ".") else function
    rest = _TYPE_ARGS.sub("", rest)
    closure = _CLOSURE.search(rest) is not None
    rest = _CLOSURE.split(rest, maxsplit=1)[0]
    rest = re.sub(r"^init\.\d+$", "init", rest)  # the N-th func init() of a package
    receiver = ""
    m = re.match(r"^\(\*?([A-Za-z_]\w*)\)\.(.+)$", rest)
    if m:
        receiver, rest = m.group(1), m.group(2)
    elif "." in rest:
        # value receivers print without parentheses: pkg.T.M
        receiver, rest = rest.split(".", 1)
    return FunctionName(rest.split(".", 1)[0], receiver, closure)
