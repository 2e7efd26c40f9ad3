"""gc_paused: the collector is back on afterwards, cycles made meanwhile are still collected, objects
someone else froze stay frozen, and pauses in several threads agree on the one collector."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from leaktrail.runtime import gcpause
from leaktrail.runtime.gcpause import gc_paused


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@contextmanager
def _no_pause_elsewhere() -> Iterator[None]:
    """Hold the pauses' lock while no pause is in progress (another test's thread may be rendering):
    no pause can begin or end meanwhile, so the collector's state is this test's to look at."""
    deadline = time.monotonic() + 10
    while True:
        gcpause._LOCK.acquire()
        if gcpause._active == 0 or time.monotonic() > deadline:
            break
        gcpause._LOCK.release()
        time.sleep(0.01)
    try:
        assert gcpause._active == 0
        yield
    finally:
        gcpause._LOCK.release()


def test_cycles_made_during_a_pause_are_collected_after_it() -> None:
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            ref = _cycle()
        assert not gc.isenabled()  # only the last pause to end turns the collector back on
    with _no_pause_elsewhere():
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0
    gc.collect()
    assert ref() is None


def test_objects_frozen_by_someone_else_stay_frozen() -> None:
    keep = [_Node() for _ in range(10)]
    with _no_pause_elsewhere():
        gc.freeze()
        frozen = gc.get_freeze_count()
    try:
        assert frozen >= len(keep)
        with gc_paused():
            ref = _cycle()
        # still frozen (unfreezing empties the permanent generation; objects freed meanwhile leave it)
        assert gc.get_freeze_count() >= len(keep)
        gc.collect()
        assert ref() is None
    finally:
        gc.unfreeze()


def test_the_collector_stays_off_until_the_last_thread_ends_its_pause() -> None:
    """One thread ending its pause while another is still inside its own does not turn the collector
    back on under it."""
    inside, leave = threading.Event(), threading.Event()
    seen: list[bool] = []

    def other() -> None:
        with gc_paused():
            inside.set()
            leave.wait(10)
            seen.append(gc.isenabled())

    with _no_pause_elsewhere():
        assert gc.isenabled()
    t = threading.Thread(target=other)
    with gc_paused():
        t.start()
        assert inside.wait(10)
    assert not gc.isenabled()  # the other thread is still in its pause
    leave.set()
    t.join(10)
    assert seen == [False]
    with _no_pause_elsewhere():
        assert gc.isenabled()
