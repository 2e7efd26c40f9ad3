"""Fold a stream of goroutines (or counted stacks) into `Stack` aggregates, in memory bounded by stacks."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from leaktrail.runtime.model import Frame, Goroutine, Labels, Stack

MAX_IDS = 10
"""Goroutine IDs kept per stack: enough to find them in the dump, bounded for a million-goroutine leak."""

_Key = tuple[tuple[Frame, ...], str | None, bool, Labels, Frame | None]


@dataclass(slots=True)
class _Acc:
    count: int = 0
    ids: list[int] = field(default_factory=list)
    parent_ids: list[int] = field(default_factory=list)
    minutes: Counter[int] = field(default_factory=Counter)
    elided: bool = False
    locked: int = 0


class StackCollector:
    """Accumulates goroutines; the only per-goroutine cost is a dict lookup and a few counters."""

    def __init__(self) -> None:
        self._acc: dict[_Key, _Acc] = {}
        self.total = 0

    def add_goroutine(self, g: Goroutine) -> None:
        key: _Key = (g.frames, g.state, g.leaked, g.labels, g.created_by)
        acc = self._acc.get(key)
        if acc is None:
            acc = self._acc[key] = _Acc()
        acc.count += 1
        self.total += 1
        if len(acc.ids) < MAX_IDS:
            acc.ids.append(g.id)
        if g.parent_id is not None and len(acc.parent_ids) < MAX_IDS and g.parent_id not in acc.parent_ids:
            acc.parent_ids.append(g.parent_id)
        acc.minutes[g.wait_minutes] += 1
        if g.frames_elided:
            acc.elided = True
        if g.locked_to_thread:
            acc.locked += 1

    def add_stack(
        self, frames: tuple[Frame, ...], count: int, labels: Labels = (), leaked: bool = False
    ) -> None:
        """A counted stack from debug=0/1, which carry neither IDs, states nor wait times."""
        key: _Key = (frames, None, leaked, labels, None)
        acc = self._acc.get(key)
        if acc is None:
            acc = self._acc[key] = _Acc()
        acc.count += count
        self.total += count

    def stacks(self) -> tuple[Stack, ...]:
        out = []
        for (frames, state, leaked, labels, created_by), acc in self._acc.items():
            out.append(
                Stack(
                    frames=frames,
                    count=acc.count,
                    state=state,
                    leaked=leaked,
                    labels=labels,
                    created_by=created_by,
                    ids=tuple(acc.ids),
                    parent_ids=tuple(acc.parent_ids),
                    wait_minutes=tuple(sorted(acc.minutes.items())),
                    elided=acc.elided,
                    locked_to_thread=acc.locked,
                )
            )
        out.sort(key=lambda s: -s.count)
        return tuple(out)
