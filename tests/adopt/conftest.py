"""A temporary git repository holding a small Go module, for the adoption features."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from adopttools import HEADER, LEAKTRAIL, Run, git, lost_cancel


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main: shop/orders.go with one leak (in placeOrder), committed."""
    root = tmp_path / "repo"
    (root / "shop").mkdir(parents=True)
    (root / "go.mod").write_text("module example.com/shop\n\ngo 1.22\n")
    (root / "shop" / "orders.go").write_text(HEADER + lost_cancel("placeOrder"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    return root


@pytest.fixture
def run(repo: Path) -> Run:
    def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, LEAKTRAIL_CACHE_DIR=str(repo.parent / "cache"), NO_COLOR="1")
        return subprocess.run(
            [*LEAKTRAIL, *args], cwd=cwd or repo, env=env, capture_output=True, text=True, check=False
        )

    return _run
