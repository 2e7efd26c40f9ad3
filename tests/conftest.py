"""Shared fixtures. Helpers live in gotools.py so test modules in sub-folders can import them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gotools import go_binary


@pytest.fixture(scope="session")
def go() -> str:
    return go_binary()
