"""go.mod facts the rules depend on: module path and language version; the go.work workspace the
module belongs to (the other modules its `use` directives list)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

_MODULE = re.compile(rb"^\s*module\s+\"?([^\s\"]+)\"?", re.M)
_GO = re.compile(rb"^\s*go\s+(\d+\.\d+)(?:\.\d+)?\s*$", re.M)
_USE_BLOCK = re.compile(rb"^[ \t]*use[ \t]*\(([^)]*)\)", re.M)
_USE_LINE = re.compile(rb"^[ \t]*use[ \t]+(?!\()(\"[^\"\n]+\"|\S+)", re.M)
_VERSION = re.compile(r"^(?:go)?(\d+)\.(\d+)(?:\.\d+)?(?:rc\d+|beta\d+)?$")


@dataclass(frozen=True, slots=True)
class Module:
    root: Path | None
    path: str
    go_version: str | None
    workspace: tuple[tuple[str, Path], ...] = ()
    """The other modules of the go.work workspace this module is `use`d in: (module path, root)."""


NO_MODULE = Module(None, "", None)


def parse_version(text: str) -> tuple[int, int] | None:
    m = _VERSION.match(text.strip())
    return (int(m.group(1)), int(m.group(2))) if m else None


class ModuleFinder:
    """Nearest go.mod upward from a directory, memoised per directory."""

    def __init__(self) -> None:
        self._by_dir: dict[Path, Module] = {}

    def for_dir(self, directory: Path) -> Module:
        found = self._by_dir.get(directory)
        if found is not None:
            return found
        gomod = directory / "go.mod"
        if gomod.is_file():
            result = _read(gomod)
            if result.path:
                result = _with_workspace(result)
        elif directory.parent == directory:
            result = NO_MODULE
        else:
            result = self.for_dir(directory.parent)
        self._by_dir[directory] = result
        return result


def _read(gomod: Path) -> Module:
    try:
        data = gomod.read_bytes()
    except OSError:
        return Module(gomod.parent, "", None)
    m = _MODULE.search(data)
    g = _GO.search(data)
    return Module(
        gomod.parent,
        m.group(1).decode("utf-8", "replace") if m else "",
        g.group(1).decode() if g else None,
    )


def _find_work(start: Path) -> Path | None:
    """The go.work the go command would use for a module at `start`: $GOWORK when set (`off`: none),
    else the nearest go.work at or above the module root."""
    env = os.environ.get("GOWORK", "")
    if env == "off":
        return None
    if env:
        return Path(env) if Path(env).is_file() else None
    for d in (start, *start.parents):
        candidate = d / "go.work"
        if candidate.is_file():
            return candidate
    return None


def use_dirs(gowork: Path) -> list[Path]:
    """The module directories a go.work file's `use` directives list (block and single-line forms)."""
    try:
        data = gowork.read_bytes()
    except OSError:
        return []
    data = re.sub(rb"//[^\n]*", b"", data)
    entries: list[bytes] = []
    for block in _USE_BLOCK.findall(data):
        entries.extend(line.strip() for line in block.splitlines() if line.strip())
    entries.extend(_USE_LINE.findall(data))
    out: list[Path] = []
    for e in entries:
        rel = e.strip().strip(b'"').decode("utf-8", "replace")
        path = (gowork.parent / rel).resolve() if rel else None
        if path is not None and path not in out:
            out.append(path)
    return out


def _with_workspace(module: Module) -> Module:
    """The module with the other modules of its go.work, when that go.work `use`s it."""
    assert module.root is not None
    try:
        me = module.root.resolve()
    except OSError:
        return module
    gowork = _find_work(me)
    if gowork is None:
        return module
    dirs = use_dirs(gowork)
    if me not in dirs:
        return module  # a module outside the workspace: go.work does not apply to it
    others: list[tuple[str, Path]] = []
    for d in dirs:
        if d == me:
            continue
        other = _read(d / "go.mod") if (d / "go.mod").is_file() else None
        if other is not None and other.path and other.path != module.path:
            others.append((other.path, d))
    return Module(module.root, module.path, module.go_version, tuple(others))
