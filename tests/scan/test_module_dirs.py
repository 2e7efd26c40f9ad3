"""imported_module_dirs (the scan cache key's dependencies) skips import strings that cannot name a package of
the module or its workspace before resolving them: the same directories as resolving every string, on
the Go toolchain's own `cmd` module, a go.work workspace and made-up corner cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leaktrail.source.gomod import Module, ModuleFinder
from leaktrail.source.module import imported_module_dirs, module_dir, module_needles

_VENV_LIB = Path(__file__).resolve().parents[2] / ".venv" / "lib"
_IMPORT_PATH = re.compile(rb'"([^"\n]+)"')


def _reference(module: Module, sources: list[tuple[Path, bytes]]) -> list[Path]:
    """The former computation: every string literal before the first func resolved."""
    if module.root is None or not module.path:
        return []
    needles = module_needles(module)
    found: set[Path] = set()
    for _path, data in sources:
        if not any(n in data for n in needles):
            continue
        head = data[: data.find(b"\nfunc ") if b"\nfunc " in data else len(data)]
        for m in _IMPORT_PATH.finditer(head):
            d = module_dir(module, m.group(1).decode("utf-8", "replace"))
            if d is not None:
                found.add(d)
    return sorted(found)


def _cmd_dirs() -> list[Path]:
    roots = sorted(_VENV_LIB.glob("python3*/site-packages/go/src/cmd"))
    if not roots:
        return []
    return sorted({p.parent for p in roots[0].rglob("*.go") if "testdata" not in p.parts})


def test_the_cmd_module_s_packages() -> None:
    dirs = _cmd_dirs()
    if not dirs:
        pytest.skip("no Go toolchain in .venv")
    finder = ModuleFinder()
    nonempty = 0
    for d in dirs:
        module = finder.for_dir(d)
        sources = [(p, p.read_bytes()) for p in sorted(d.glob("*.go"))]
        got = imported_module_dirs(module, sources)
        assert got == _reference(module, sources), d
        nonempty += bool(got)
    assert nonempty > 100


def test_a_workspace_and_corner_cases(tmp_path: Path) -> None:
    root = tmp_path / "m"
    (root / "a").mkdir(parents=True)
    (root / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    other = tmp_path / "other"
    (other / "x").mkdir(parents=True)
    (other / "go.mod").write_text("module example.com/m/other\n\ngo 1.22\n")
    (tmp_path / "go.work").write_text("go 1.22\n\nuse (\n\t./m\n\t./other\n)\n")
    src = (
        b"package a\n\nimport (\n"
        b'\t"fmt"\n\t"example.com/m"\n\t"example.com/m/b"\n\t"example.com/mm/c"\n'
        b'\t"example.com/m/other/x"\n\t"example.com/m/../escape"\n\t"example.com/m\xff/bad"\n)\n\n'
        b'var s = "example.com/m/from-a-var" + "x\\"example.com/m/quoted"\n\n'
        b'func f() { _ = "example.com/m/late" }\n'
    )
    module = ModuleFinder().for_dir(root / "a")
    sources = [(root / "a" / "a.go", src)]
    got = imported_module_dirs(module, sources)
    assert got == _reference(module, sources)
    assert root / "b" in got and other / "x" in got and root / "from-a-var" in got
    assert not any("late" in str(d) or "mm" in d.parts for d in got)
