"""The module-wide view: the other packages of the same Go module (go.mod) and of the other modules
of its go.work workspace, loaded on demand.

A scan job sees one directory; a call into another package of the module (`feed.Stream()`) is
followed by loading that package's non-test files here, lazily and once per process. Nothing is
read unless a rule asks about such a call, so scans without cross-package questions pay nothing.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from leaktrail.source.gomod import Module
from leaktrail.source.package import GoFile, Package

_PACKAGE = re.compile(rb"^[ \t]*package[ \t]+([A-Za-z_]\w*)", re.M)
_IMPORT_PATH = re.compile(rb'"([^"\n]+)"')
_MAX_FILES = 400
_LOADED: dict[tuple[str, str], tuple[str, Package | None]] = {}
_THIS_SCAN: dict[tuple[Module, str], Package | None] = {}
"""load()'s answers since the last forget_signatures(): asked again for a package, it need not hash
the directory's signature again (hundreds of std packages import `sync`)."""


def module_dir(module: Module, import_path: str) -> Path | None:
    """The directory of a package of `module`, or of another module of its go.work workspace (None
    when the path is outside them all)."""
    key = (module, import_path)
    if key not in _DIRS:
        _DIRS[key] = _module_dir(module, import_path)
    return _DIRS[key]


_DIRS: dict[tuple[Module, str], Path | None] = {}


def _module_dir(module: Module, import_path: str) -> Path | None:
    found = _owner(module, import_path)
    if found is None:
        return None
    path, root = found
    if import_path == path:
        return root
    rel = import_path[len(path) + 1 :]
    if ".." in rel.split("/"):
        return None
    return root / rel


def _owner(module: Module, import_path: str) -> tuple[str, Path] | None:
    """(module path, root) of the module (this one or a workspace one) that holds `import_path`: the
    longest matching module path, as the go command picks it."""
    if module.root is None or not module.path:
        return None
    best: tuple[str, Path] | None = None
    for path, root in ((module.path, module.root), *module.workspace):
        inside = import_path == path or import_path.startswith(path + "/")
        if inside and (best is None or len(path) > len(best[0])):
            best = (path, root)
    return best


def in_module(module: Module, import_path: str) -> bool:
    """An import of this module's packages or of another module of its workspace."""
    return _owner(module, import_path) is not None


def module_needles(module: Module) -> tuple[bytes, ...]:
    """Byte needles (`"example.com/m`) an import of the module or its workspace modules contains."""
    if not module.path:
        return ()
    return tuple(f'"{p}'.encode() for p in (module.path, *(w[0] for w in module.workspace)))


def load(module: Module, import_path: str) -> Package | None:
    """The package `import_path` of `module` (non-test files only), or None when it is not part of
    the module, cannot be read, or is too large to be worth loading for one question."""
    seen = (module, import_path)
    if seen in _THIS_SCAN:
        return _THIS_SCAN[seen]  # its directory's signature cannot change before forget_signatures()
    directory = module_dir(module, import_path)
    if directory is None:
        return None
    key = (str(module.root), import_path)
    signature = dirs_signature([directory])  # a long-lived process (watch, LSP) sees edits
    cached = _LOADED.get(key)
    if cached is not None and cached[0] == signature:
        _THIS_SCAN[seen] = cached[1]
        return cached[1]
    pkg = None
    roots = (module.root, *(w[1] for w in module.workspace))
    if directory.is_dir() and (directory in roots or not (directory / "go.mod").exists()):
        pkg = _read(directory, module)
    _LOADED[key] = (signature, pkg)
    _THIS_SCAN[seen] = pkg
    return pkg


def _read(directory: Path, module: Module) -> Package | None:
    try:
        paths = sorted(p for p in directory.glob("*.go") if not p.name.endswith("_test.go"))
    except OSError:
        return None
    if not paths or len(paths) > _MAX_FILES:
        return None
    groups: dict[str, list[GoFile]] = {}
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        m = _PACKAGE.search(data)
        if m is None:
            continue
        groups.setdefault(m.group(1).decode(), []).append(GoFile(path, str(path), data, False))
    if not groups:
        return None
    name, files = max(groups.items(), key=lambda kv: len(kv[1]))
    return Package.create(directory, name, files, module, None)


def imported_module_dirs(module: Module, sources: list[tuple[Path, bytes]]) -> list[Path]:
    """Directories of the module's packages that these sources import (for the scan cache key)."""
    if module.root is None or not module.path:
        return []
    needles = module_needles(module)
    prefixes = tuple(n[1:] for n in needles)  # a path outside every module has no directory here
    found: set[Path] = set()
    for _path, data in sources:
        if not any(n in data for n in needles):
            continue
        head = data[: data.find(b"\nfunc ") if b"\nfunc " in data else len(data)]
        for m in _IMPORT_PATH.finditer(head):
            if not m.group(1).startswith(prefixes):
                continue
            path = m.group(1).decode("utf-8", "replace")
            d = module_dir(module, path)
            if d is not None:
                found.add(d)
    return sorted(found)


def dirs_signature(dirs: list[Path]) -> str:
    """A digest of the names, sizes and modification times of the Go files in `dirs`: cached results
    that looked into these packages are stale once any of them changes."""
    h = hashlib.blake2b(digest_size=16)
    for d in dirs:
        h.update(str(d).encode() + b"\0" + _dir_signature(d).encode())
    return h.hexdigest()


_DIR_SIGNATURES: dict[Path, str] = {}


def _dir_signature(d: Path) -> str:
    """One directory's part, computed once per scan (every package importing `d` asks again; a scan of
    the standard library would stat each file of `sync` hundreds of times). `forget()` starts afresh."""
    found = _DIR_SIGNATURES.get(d)
    if found is not None:
        return found
    h = hashlib.blake2b(digest_size=16)
    try:
        entries = sorted(p for p in d.glob("*.go") if not p.name.endswith("_test.go"))
    except OSError:
        entries = []
    for p in entries:
        try:
            st = p.stat()
        except OSError:
            continue
        h.update(f"{p.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    found = _DIR_SIGNATURES[d] = h.hexdigest()
    return found


def forget() -> None:
    _LOADED.clear()
    _THIS_SCAN.clear()
    _DIRS.clear()
    _DIR_SIGNATURES.clear()


def forget_signatures() -> None:
    """Called at the start of every scan: files may have changed since the last one (LSP, watch)."""
    _DIR_SIGNATURES.clear()
    _THIS_SCAN.clear()
