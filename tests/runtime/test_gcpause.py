"""gc_paused: the collector is back on afterwards, cycles made meanwhile are still collected, and objects
someone else froze stay frozen."""

from __future__ import annotations

import gc
import weakref

from leaktrail.runtime.gcpause import gc_paused


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_cycles_made_during_a_pause_are_collected_after_it() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            ref = _cycle()
        assert not gc.isenabled()  # only the outermost pause turns the collector back on
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert ref() is None


def test_objects_frozen_by_someone_else_stay_frozen() -> None:
    keep = [_Node() for _ in range(10)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen >= len(keep)
        with gc_paused():
            ref = _cycle()
        assert gc.get_freeze_count() == frozen
        gc.collect()
        assert ref() is None
    finally:
        gc.unfreeze()
