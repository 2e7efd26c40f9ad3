"""Helpers for the adoption tests: a small Go module with one lost-cancel leak per function, and git."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

LEAKTRAIL = [sys.executable, "-m", "leaktrail"]

HEADER = """package shop

import (
\t"context"
\t"time"
)

"""


def lost_cancel(name: str) -> str:
    """A function with one GL002 finding (the cancel func is discarded) on its second line."""
    return (
        f"func {name}(parent context.Context) error {{\n"
        "\tctx, _ := context.WithTimeout(parent, time.Second)\n"
        "\treturn ctx.Err()\n"
        "}\n"
    )


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com")
    env.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    out = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return out.stdout


Run = Callable[..., subprocess.CompletedProcess[str]]
