"""The README's quick-start program (examples/leaky) is real, compiling Go."""

from __future__ import annotations

from pathlib import Path

from gotools import REPO, run_go

EXAMPLE = REPO / "examples" / "leaky"


def test_example_builds(tmp_path: Path) -> None:
    assert (EXAMPLE / "go.mod").read_text(encoding="utf-8").startswith("module example.com/leaky\n")
    proc = run_go(["build", "-o", f"{tmp_path}/", "./..."], cwd=EXAMPLE)
    assert proc.returncode == 0, f"examples/leaky does not build:\n{proc.stdout}\n{proc.stderr}"
    assert (tmp_path / "leaky").exists()
