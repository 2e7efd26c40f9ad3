"""gofmt, when a Go toolchain is at hand, as a last polish: fixes are written to be gofmt-clean already, but
gofmt's alignment of trailing comments depends on the neighbouring lines. Applied only to files that were
gofmt-clean before the fix, so it never reformats code the fix did not touch."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path


@cache
def gofmt_binary() -> str | None:
    found = shutil.which("gofmt")
    if found:
        return found
    go = shutil.which("go") or _beside_python("go")
    if go is None:
        return None
    try:
        env = dict(os.environ, GOTOOLCHAIN="local", GOFLAGS="", GOWORK="off")
        root = subprocess.run(
            [go, "env", "GOROOT"], capture_output=True, text=True, timeout=20, env=env, check=False
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    candidate = Path(root) / "bin" / "gofmt"
    return str(candidate) if root and candidate.exists() else None


def _beside_python(name: str) -> str | None:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else None


def _gofmt(src: bytes) -> bytes | None:
    binary = gofmt_binary()
    if binary is None:
        return None
    try:
        proc = subprocess.run([binary], input=src, capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout if proc.returncode == 0 else None


def polish(before: bytes, after: bytes) -> bytes:
    """`after` through gofmt when `before` was gofmt-clean (and gofmt exists); else `after` as it is."""
    if _gofmt(before) != before:
        return after
    formatted = _gofmt(after)
    return formatted if formatted is not None else after
