"""The engine's collector pause: in the scan's own process a directory's cycles are freed when it is done; in
a pool worker they are freed when the worker's next task starts (its last task's never: the worker ends with
os._exit), so the answer is not held up by freeing."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from leaktrail import engine


class _Cycle:
    me: object


def _cycle() -> weakref.ref[_Cycle]:
    c = _Cycle()
    c.me = c
    return weakref.ref(c)


@pytest.fixture
def collector() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        (gc.enable if was else gc.disable)()


def test_in_the_scan_process_cycles_are_freed_at_the_end_and_the_collector_back_on(collector: None) -> None:
    with engine._collector_paused():
        assert not gc.isenabled()
        ref = _cycle()
        assert ref() is not None
    assert ref() is None
    assert gc.isenabled()


def test_a_worker_frees_a_task_s_cycles_when_the_next_task_starts(
    collector: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "_IN_WORKER", True)
    monkeypatch.setattr(engine, "_UNCOLLECTED", False)
    try:
        with engine._collector_paused():
            ref = _cycle()
        assert ref() is not None  # not yet: the task's answer goes back first
        assert not gc.isenabled()
        with engine._collector_paused():
            assert ref() is None
            second = _cycle()
        assert second() is not None
    finally:
        gc.collect()
