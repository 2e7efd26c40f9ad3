"""Fold a stream of goroutines (or counted stacks) into `Stack` aggregates, in memory bounded by stacks."""

from __future__ import annotations

import operator
from collections.abc import Hashable, Sequence

from leaktrail.runtime.model import Frame, Goroutine, Labels, Stack

_count = operator.attrgetter("count")

MAX_IDS = 10
"""Goroutine IDs kept per stack: enough to find them in the dump, bounded for a million-goroutine leak."""


class StackAcc:
    """One stack's goroutines so far (parse_debug2 updates these itself: its per-goroutine path). A plain
    slotted class: made once per distinct stack, which is every goroutine in a dump of distinct stacks."""

    __slots__ = (
        "count",
        "created_by",
        "elided",
        "frames",
        "ids",
        "labels",
        "leaked",
        "locked",
        "minutes",
        "parent_ids",
        "state",
    )

    def __init__(
        self,
        frames: tuple[Frame, ...],
        state: str | None,
        leaked: bool,
        labels: Labels,
        created_by: Frame | None,
    ) -> None:
        self.frames = frames
        self.state = state
        self.leaked = leaked
        self.labels = labels
        self.created_by = created_by
        self.count = 0
        self.ids: list[int] = []
        self.parent_ids: list[int] = []
        self.minutes: dict[int, int] = {}
        self.elided = False
        self.locked = 0


class StackCollector:
    """Accumulates goroutines; the only per-goroutine cost is a dict lookup and a few counters."""

    def __init__(self) -> None:
        self.accs: dict[Hashable, StackAcc] = {}
        self.total = 0

    def add(
        self,
        key: Hashable,
        frames: Sequence[Frame],
        state: str | None,
        leaked: bool,
        labels: Labels,
        created_by: Frame | None,
        gid: int | None = None,
        parent_id: int | None = None,
        wait_minutes: int | None = None,
        elided: bool = False,
        locked: bool = False,
        count: int = 1,
    ) -> None:
        """`key` must identify (frames, state, leaked, labels, created_by); parsers pass a cheap one."""
        acc = self.accs.get(key)
        if acc is None:
            acc = self.accs[key] = StackAcc(tuple(frames), state, leaked, labels, created_by)
        acc.count += count
        self.total += count
        if gid is not None and len(acc.ids) < MAX_IDS:
            acc.ids.append(gid)
        if parent_id is not None and len(acc.parent_ids) < MAX_IDS and parent_id not in acc.parent_ids:
            acc.parent_ids.append(parent_id)
        if wait_minutes is not None:
            minutes = acc.minutes
            minutes[wait_minutes] = minutes.get(wait_minutes, 0) + count
        if elided:
            acc.elided = True
        if locked:
            acc.locked += count

    def add_goroutine(self, g: Goroutine) -> None:
        self.add(
            (g.frames, g.state, g.leaked, g.labels, g.created_by),
            g.frames,
            g.state,
            g.leaked,
            g.labels,
            g.created_by,
            g.id,
            g.parent_id,
            g.wait_minutes,
            g.frames_elided,
            g.locked_to_thread,
        )

    def add_stack(
        self, frames: tuple[Frame, ...], count: int, labels: Labels = (), leaked: bool = False
    ) -> None:
        """A counted stack from debug=0/1, which carry neither IDs, states nor wait times."""
        self.add((frames, None, leaked, labels, None), frames, None, leaked, labels, None, count=count)

    def stacks(self) -> tuple[Stack, ...]:
        """Equal small tuples (parent IDs, wait histograms) are shared: a dump of distinct stacks makes
        one Stack per goroutine, and every object made is one more for the garbage collector to scan."""
        out = []
        shared: dict[tuple[object, ...], tuple[object, ...]] = {}
        intern = shared.setdefault
        for acc in self.accs.values():
            parents = tuple(acc.parent_ids)
            minutes = (
                tuple(sorted(acc.minutes.items())) if len(acc.minutes) > 1 else tuple(acc.minutes.items())
            )
            out.append(
                Stack(
                    acc.frames,
                    acc.count,
                    acc.state,
                    acc.leaked,
                    acc.labels,
                    acc.created_by,
                    tuple(acc.ids),
                    intern(parents, parents),  # type: ignore[arg-type]
                    intern(minutes, minutes),  # type: ignore[arg-type]
                    acc.elided,
                    acc.locked,
                )
            )
        out.sort(key=_count, reverse=True)  # stable: equal counts keep their order, as with key -count
        return tuple(out)
