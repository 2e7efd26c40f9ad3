"""Compare two snapshots group by group: the "before and after a load test" workflow."""

from __future__ import annotations

from dataclasses import dataclass

from leaktrail.runtime.classify import classify_group
from leaktrail.runtime.group import group
from leaktrail.runtime.model import DEFAULT_THRESHOLDS, Classification, Group, Snapshot, Thresholds


@dataclass(frozen=True, slots=True)
class GroupChange:
    key: str
    before: Group | None
    after: Group | None
    classification: Classification
    """Of the later snapshot's group when it exists, else of the earlier one."""
    reason: str

    @property
    def before_count(self) -> int:
        return self.before.count if self.before else 0

    @property
    def after_count(self) -> int:
        return self.after.count if self.after else 0

    @property
    def growth(self) -> int:
        return self.after_count - self.before_count

    @property
    def status(self) -> str:
        if self.before is None:
            return "new"
        if self.after is None:
            return "vanished"
        if self.growth > 0:
            return "grew"
        if self.growth < 0:
            return "shrank"
        return "same"

    @property
    def group(self) -> Group:
        g = self.after or self.before
        assert g is not None
        return g


@dataclass(frozen=True, slots=True)
class SnapshotDiff:
    before: Snapshot
    after: Snapshot
    changes: tuple[GroupChange, ...]
    min_growth: int

    @property
    def grown(self) -> tuple[GroupChange, ...]:
        """Groups that grew by at least --min-growth goroutines (new groups count from zero)."""
        return tuple(c for c in self.changes if c.growth >= self.min_growth)


def diff(
    before: Snapshot,
    after: Snapshot,
    *,
    by: str = "stack",
    min_growth: int = 10,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> SnapshotDiff:
    """Match groups by key (stable across debug=0/1/2), biggest growth first."""
    old = {g.key: g for g in group(before, by)}
    new = {g.key: g for g in group(after, by)}
    changes = []
    for key in {*old, *new}:
        b, a = old.get(key), new.get(key)
        latest = a or b
        assert latest is not None
        verdict = classify_group(latest, thresholds, form=(after if a else before).form)
        changes.append(GroupChange(key, b, a, verdict.classification, verdict.reason))
    changes.sort(key=lambda c: (-c.growth, -c.after_count, c.key))
    return SnapshotDiff(before=before, after=after, changes=tuple(changes), min_growth=max(1, min_growth))
