"""The package's layers import only downward, and click lives only in cli/.

cli/ → report/, link/, watch/, fleet/, lsp/, fix/ → engine.py, runtime/ → rules/ → source/, model.py,
config.py, suppress.py. Parts of one layer may use each other, but never in a cycle (report uses watch,
watch uses link, never the other way round). Every import counts, including those inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "leaktrail"

LAYERS: dict[str, int] = {
    "cli": 5,
    "__main__": 5,
    "report": 4,
    "link": 4,
    "watch": 4,
    "fleet": 4,
    "lsp": 4,
    "fix": 4,
    "adopt": 4,
    "engine": 3,
    "runtime": 3,
    "rules": 2,
    "source": 1,
    "model": 1,
    "config": 1,
    "suppress": 1,
    "__init__": 0,
}


def _part(module: str) -> str | None:
    """leaktrail.report.html → report; leaktrail → __init__ (the version); None outside the package."""
    parts = module.split(".")
    if parts[0] != "leaktrail":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def _imports() -> list[tuple[str, str, str, int]]:
    """(importing part, imported module, file, line) for every import of the package in the package."""
    out: list[tuple[str, str, str, int]] = []
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG)
        me = rel.parts[0].removesuffix(".py")
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                out.append((me, name, rel.as_posix(), node.lineno))
    return out


def test_every_part_has_a_layer() -> None:
    parts = {
        p.name.removesuffix(".py") for p in PKG.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()
    }
    assert parts <= LAYERS.keys(), (
        f"give these a layer in tests/test_layers.py: {sorted(parts - LAYERS.keys())}"
    )


def test_imports_only_go_down() -> None:
    bad = []
    for me, name, where, line in _imports():
        target = _part(name)
        if target is None or target == me:
            continue
        if LAYERS[target] > LAYERS[me]:
            bad.append(f"{where}:{line}: {me} (layer {LAYERS[me]}) imports {name} (layer {LAYERS[target]})")
    assert not bad, "imports against the layer order:\n" + "\n".join(bad)


def test_no_cycle_inside_a_layer() -> None:
    edges: dict[str, set[str]] = {}
    for me, name, _where, _line in _imports():
        target = _part(name)
        if target is not None and target != me and LAYERS[target] == LAYERS[me]:
            edges.setdefault(me, set()).add(target)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in edges.get(start, set()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = sorted(f"{a} -> {b} -> … -> {a}" for a in edges for b in edges[a] if reaches(b, a, {b}))
    assert not cycles, "packages of one layer import each other in a cycle:\n" + "\n".join(cycles)


def test_click_only_in_cli() -> None:
    users = sorted(
        {where for me, name, where, _ in _imports() if name.split(".")[0] == "click" and me != "cli"}
    )
    assert not users, f"click imported outside src/leaktrail/cli/: {users}"


@pytest.mark.parametrize("old", ["cli.py", "runtime/commands.py", "watch/commands.py", "link/cli.py"])
def test_old_command_modules_are_gone(old: str) -> None:
    assert not (PKG / old).exists()
