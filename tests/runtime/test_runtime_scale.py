"""Streaming: a dump cut by the runtime's 64 MiB cap is read in bounded memory, with a warning.

No timing here (speed is measured in benchmarks/bench_inspect.py); only counts and memory bounds.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from leaktrail.runtime import group, load_snapshot
from leaktrail.runtime.debug2 import RUNTIME_CAP


def test_runtime_capped_dump_streams_in_bounded_memory(capped_dump: Path) -> None:
    assert capped_dump.stat().st_size == RUNTIME_CAP
    tracemalloc.start()
    try:
        snap = load_snapshot(str(capped_dump))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The dump is 64 MiB; what is kept is a few dozen stacks, whatever the goroutine count.
    assert peak < 16 << 20, f"peak {peak / (1 << 20):.1f} MiB"
    assert snap.truncated
    data = capped_dump.read_bytes()
    tail = data[data.rindex(b"\n") + 1 :]
    if tail and b"goroutine ".startswith(tail):
        # The cap cut the next header's first word: no goroutine was cut, the one before is whole.
        data = data[: -len(tail)]
    headers = data.count(b"\ngoroutine ") + 1
    # Every complete goroutine is counted: all headers but the one the cap cut in two (unless the cap
    # happened to fall right after a goroutine's last line).
    last = data[data.rindex(b"\ngoroutine ") :]
    lines = last.rstrip(b"\n").split(b"\n")
    ends_with_creator = lines[-2].startswith(b"created by ") and lines[-1].startswith(b"\t")
    last_complete = data.endswith(b"\n") and ends_with_creator
    assert snap.total == headers - (0 if last_complete else 1)
    assert 100_000 < snap.total < 150_001
    assert any("exactly 64 MiB" in w and f"read {snap.total} complete goroutines" in w for w in snap.warnings)
    groups = group(snap)
    assert sum(g.count for g in groups) == snap.total
    # Six patterns at four depths in bigdump's main.nest recursion: 12 combinations, plus main.
    assert len(groups) == 13
