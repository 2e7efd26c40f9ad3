"""go.mod facts the rules depend on: module path and language version."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_MODULE = re.compile(rb"^\s*module\s+\"?([^\s\"]+)\"?", re.M)
_GO = re.compile(rb"^\s*go\s+(\d+\.\d+)(?:\.\d+)?\s*$", re.M)
_VERSION = re.compile(r"^(?:go)?(\d+)\.(\d+)(?:\.\d+)?(?:rc\d+|beta\d+)?$")


@dataclass(frozen=True, slots=True)
class Module:
    root: Path | None
    path: str
    go_version: str | None


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
