"""Fixtures of the link tests (the helpers live in linktools.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from linktools import GO_MOD, LISTEN_GO, Tree


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    root = tmp_path / "svc"
    files = {
        "go.mod": GO_MOD,
        "orders/listen.go": LISTEN_GO,
        "orders/listen_test.go": "package orders_test\n",
        "main.go": "package main\n\nfunc main() {}\n",
        "cmd/tool/main.go": "package main\n\nfunc main() {}\n",
        "internal/a/util.go": "package a\n\nfunc Helper() {}\n",
        "internal/b/util.go": "package b\n\nfunc Helper() {}\n",
        "vendor/github.com/x/y/y.go": "package y\n\nfunc F() {}\n",
    }
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return Tree(root, root / "orders" / "listen.go")
