"""load_snapshot reports bytes read of the file's size, for the CLI's progress bar."""

from __future__ import annotations

import itertools
from pathlib import Path

from leaktrail.runtime import load_snapshot

FIXTURES = Path(__file__).parent / "fixtures"


def test_progress_reaches_the_file_size() -> None:
    for name in ("goroutine.debug2.txt", "goroutine.debug1.txt", "goroutine.debug0.pb.gz"):
        path = FIXTURES / name
        heard: list[tuple[int, int]] = []
        snap = load_snapshot(str(path), progress=lambda done, total, h=heard: h.append((done, total)))
        size = path.stat().st_size
        assert snap.total > 0
        assert heard, name
        assert heard[-1] == (size, size), name
        assert all(a[0] <= b[0] for a, b in itertools.pairwise(heard))


def test_without_progress_nothing_is_wrapped() -> None:
    path = FIXTURES / "goroutine.debug2.txt"
    assert load_snapshot(str(path)) == load_snapshot(str(path), progress=lambda d, t: None)
