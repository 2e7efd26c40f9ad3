"""Which Go files a scan covers: directories recursively, files as given, Go's `dir/...` form accepted."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SKIP_DIRS = frozenset({"vendor", "testdata", "node_modules"})


class DiscoveryError(Exception):
    """A path the user named does not exist: the scan cannot do what was asked."""


@dataclass
class Discovery:
    root: Path
    """Common ancestor of the named paths: SARIF URIs are relative to it."""
    dirs: dict[Path, list[Path]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def file_count(self) -> int:
        return sum(len(v) for v in self.dirs.values())


def _skip_dir(name: str) -> bool:
    return name in SKIP_DIRS or name.startswith((".", "_"))


def discover(paths: Sequence[str], tests: bool, excluded: Callable[[Path], bool]) -> Discovery:
    roots: list[Path] = []
    files: list[Path] = []
    explicit: set[Path] = set()
    for raw in paths or ["."]:
        arg = raw
        if arg == "..." or arg.endswith(("/...", os.sep + "...")):
            arg = arg[: -len("...")].rstrip("/" + os.sep) or "."
        p = Path(arg)
        if not p.exists():
            if p.is_symlink():
                raise DiscoveryError(f"{raw}: broken symbolic link")
            raise DiscoveryError(f"{raw}: no such file or directory")
        p = p.absolute()
        if p.is_dir():
            roots.append(p)
        else:
            if p.suffix != ".go":
                raise DiscoveryError(f"{raw}: not a Go source file or directory")
            files.append(p)
            explicit.add(p)
    anchors = roots + [f.parent for f in files]
    common = Path(os.path.commonpath([str(a) for a in anchors])) if anchors else Path.cwd()
    found = Discovery(common)
    seen: set[Path] = set()

    def add(path: Path) -> None:
        if path in seen:
            return
        if path not in explicit:
            name = path.name
            if name.startswith((".", "_")) or (not tests and name.endswith("_test.go")):
                return
        if excluded(path):
            return
        seen.add(path)
        found.dirs.setdefault(path.parent, []).append(path)

    for f in files:
        add(f)
    for root in roots:
        if excluded(root) and root not in (Path.cwd(),):
            continue
        for dirpath, dirnames, filenames in os.walk(
            root,
            onerror=lambda e: found.warnings.append(f"{e.filename}: cannot read directory: {e.strerror}"),
        ):
            base = Path(dirpath)
            dirnames[:] = sorted(d for d in dirnames if not _skip_dir(d) and not excluded(base / d))
            for name in sorted(filenames):
                if name.endswith(".go"):
                    add(base / name)
    for lst in found.dirs.values():
        lst.sort()
    return found
