"""Fold target results, in whatever order they arrive, into one answer for the fleet.

Within a service, groups merge by stack fingerprint (the runtime's group key); across services, by the
frame the group is named by and its blocking operation (the same client library leaking in many services
is one site with many file paths and line numbers between versions, but one function). The ranking score is
LeakProf's: leaking goroutines × instances that show the leak. Everything is sorted with a total order at
the end, so a local pool and a Dask cluster, finishing targets in different orders, give the same result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from leaktrail.fleet.collect import FrameTuple, GroupSummary, TargetResult
from leaktrail.runtime import Classification

_RANK = {c.value: c.rank for c in Classification}


@dataclass
class ServiceGroup:
    """One stack fingerprint in one service, over all its instances."""

    service: str
    key: str
    function: str
    blocking: str | None
    classification: str = Classification.BENIGN.value
    """The most suspicious classification any instance gave it."""
    reason: str = ""
    instances: int = 0
    """Instances that show the group at all."""
    leaking_instances: int = 0
    """Instances where it is leaked or suspect."""
    total: int = 0
    max_count: int = 0
    leaked: int = 0
    """Goroutines proven leaked, summed over instances."""
    leaking: int = 0
    """Proven leaked goroutines plus the goroutines of suspect instances."""
    frames: tuple[FrameTuple, ...] = ()
    created_by: FrameTuple | None = None
    example: str = ""
    """The instance with the most goroutines in the group (its frames are the ones shown)."""
    _example_index: int = -1
    _example_count: int = 0
    findings: tuple[dict[str, Any], ...] = ()

    @property
    def score(self) -> int:
        return self.leaking * self.leaking_instances

    @property
    def site(self) -> str:
        """`file:line` of the frame the group is named by (its first frame with that function)."""
        for fn, path, line in self.frames:
            if fn == self.function:
                return f"{path}:{line}"
        return ""

    def add(self, s: GroupSummary, index: int, instance: str) -> None:
        self.instances += 1
        self.total += s.count
        self.leaked += s.leaked
        if s.leaking:
            self.leaking += s.leaking
            self.leaking_instances += 1
        r = _RANK[s.classification]
        # Ties broken by target order, never by arrival order.
        mine = (_RANK[self.classification], -self._example_count, self._example_index)
        better = (r, -s.count, index) < mine
        if self._example_index < 0 or better:
            self._example_count = s.count
            self.classification = s.classification
            self.reason = s.reason
            self.frames, self.created_by = s.frames, s.created_by
            self.example, self._example_index = instance, index
        self.max_count = max(self.max_count, s.count)

    def to_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "key": self.key,
            "function": self.function,
            "site": self.site,
            "blocking": self.blocking,
            "classification": self.classification,
            "reason": self.reason,
            "score": self.score,
            "instances": self.instances,
            "leaking_instances": self.leaking_instances,
            "goroutines": self.total,
            "max_per_instance": self.max_count,
            "leaked": self.leaked,
            "leaking": self.leaking,
            "example_instance": self.example,
            "frames": [list(f) for f in self.frames],
            "created_by": list(self.created_by) if self.created_by else None,
            "findings": list(self.findings),
        }


@dataclass(frozen=True, slots=True)
class SharedSite:
    """One function leaking in more than one service: a shared library, usually."""

    function: str
    blocking: str | None
    services: tuple[str, ...]
    leaking_instances: int
    leaking: int
    score: int
    sites: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "function": self.function,
            "blocking": self.blocking,
            "services": list(self.services),
            "leaking_instances": self.leaking_instances,
            "leaking": self.leaking,
            "score": self.score,
            "sites": list(self.sites),
        }


@dataclass
class ServiceStats:
    name: str
    instances: int = 0
    failed: int = 0
    goroutines: int = 0
    leak_served: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "service": self.name,
            "instances": self.instances,
            "failed": self.failed,
            "goroutines": self.goroutines,
            "leak_profile_served": self.leak_served,
        }


@dataclass(frozen=True, slots=True)
class TargetRow:
    """A result without its groups: what the fleet keeps per target (the groups are folded in)."""

    index: int
    service: str
    instance: str
    name: str
    error: str | None
    form: str | None
    total: int | None
    leak_served: bool | None
    leak_error: str | None
    groups: int
    leaking: int
    duration_ms: float

    def to_json(self, *, timings: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "service": self.service,
            "instance": self.instance,
            "target": self.name,
            "error": self.error,
            "form": self.form,
            "goroutines": self.total,
            "leak_profile": self.leak_served,
            "leak_error": self.leak_error,
            "groups": self.groups,
            "leaking": self.leaking,
        }
        if timings:
            out["duration_ms"] = round(self.duration_ms, 1)
        return out


@dataclass
class Fleet:
    """The running aggregate. `add` each result once; `ranked()` and `shared()` at any time."""

    expected: int = 0
    rows: dict[int, TargetRow] = field(default_factory=dict)
    groups: dict[tuple[str, str], ServiceGroup] = field(default_factory=dict)
    services: dict[str, ServiceStats] = field(default_factory=dict)
    duplicates: int = 0

    @property
    def done(self) -> int:
        return len(self.rows)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.rows.values() if r.error is not None)

    def add(self, r: TargetResult) -> bool:
        """Fold one result in; False (and nothing changes) when this target was already counted."""
        if r.index in self.rows:
            self.duplicates += 1
            return False
        self.rows[r.index] = TargetRow(
            r.index,
            r.service,
            r.instance,
            r.name,
            r.error,
            r.form,
            r.total,
            r.leak_served,
            r.leak_error,
            len(r.groups),
            sum(s.leaking for s in r.groups),
            r.duration_ms,
        )
        stats = self.services.setdefault(r.service, ServiceStats(r.service))
        stats.instances += 1
        if r.error is not None:
            stats.failed += 1
            return True
        stats.goroutines += r.total or 0
        stats.leak_served += 1 if r.leak_served else 0
        for s in r.groups:
            g = self.groups.get((r.service, s.key))
            if g is None:
                g = self.groups[(r.service, s.key)] = ServiceGroup(r.service, s.key, s.function, s.blocking)
            g.add(s, r.index, r.instance)
        return True

    def ranked(self, *, all_groups: bool = False) -> list[ServiceGroup]:
        """Leaked and suspect groups (every group with `all_groups`), worst first."""
        chosen = (g for g in self.groups.values() if all_groups or g.leaking)
        return sorted(
            chosen,
            key=lambda g: (-g.score, _RANK[g.classification], -g.leaking, -g.total, g.service, g.key),
        )

    def shared(self) -> list[SharedSite]:
        """Functions leaking in two or more services, by total score."""
        by_site: dict[tuple[str, str | None], list[ServiceGroup]] = {}
        for g in self.groups.values():
            if g.leaking:
                by_site.setdefault((g.function, g.blocking), []).append(g)
        out: list[SharedSite] = []
        for (function, blocking), gs in by_site.items():
            services = tuple(sorted({g.service for g in gs}))
            if len(services) < 2:
                continue
            out.append(
                SharedSite(
                    function=function,
                    blocking=blocking,
                    services=services,
                    leaking_instances=sum(g.leaking_instances for g in gs),
                    leaking=sum(g.leaking for g in gs),
                    score=sum(g.score for g in gs),
                    sites=tuple(sorted({g.site for g in gs if g.site})),
                )
            )
        out.sort(key=lambda s: (-s.score, -len(s.services), s.function, s.blocking or ""))
        return out

    def target_rows(self) -> list[TargetRow]:
        return [self.rows[i] for i in sorted(self.rows)]

    def to_json(self, *, timings: bool = True, top: int | None = None) -> dict[str, Any]:
        """The fleet as JSON. Without `timings`, two runs over the same evidence compare equal."""
        ranked = self.ranked()
        return {
            "targets": self.expected or self.done,
            "analysed": self.done - self.failed,
            "failed": self.failed,
            "services": [self.services[s].to_json() for s in sorted(self.services)],
            "groups": [g.to_json() for g in (ranked if top is None else ranked[:top])],
            "shared": [s.to_json() for s in self.shared()],
            "target_results": [r.to_json(timings=timings) for r in self.target_rows()],
        }


def fold(results: Iterable[TargetResult], expected: int = 0) -> Fleet:
    fleet = Fleet(expected=expected)
    for r in results:
        fleet.add(r)
    return fleet
