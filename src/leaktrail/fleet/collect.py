"""One target, start to finish, on whichever process or Dask worker runs it: fetch (or read), parse, group,
classify, and boil it down to a `TargetResult` of a few kilobytes.

`analyse_target` never raises: a dead, hung or garbage target is a result with its one-line `error`. It is a
module-level function of plain, picklable arguments so a process pool or a Dask worker can import it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from leaktrail.fleet.targets import Target
from leaktrail.runtime import (
    Classification,
    Frame,
    Group,
    InputError,
    Snapshot,
    Thresholds,
    Verdict,
    load_snapshot,
)
from leaktrail.runtime import classify as classify_groups
from leaktrail.runtime import group as group_snapshot
from leaktrail.runtime.fetch import GOROUTINE_PATH, LEAK_PATH
from leaktrail.watch.poll import Fetched, fetch_profile, profile_url

MAX_FRAMES = 48
"""Frames kept per group: enough to link a deep stack to source, bounded for a pathological recursion."""

FrameTuple = tuple[str, str, int]


@dataclass(frozen=True, slots=True)
class FleetOptions:
    debug: int = 0
    """Goroutine profile form fetched: 0 (protobuf, shows the blocking operation) or 1 (text)."""
    timeout: float = 10.0
    max_bytes: int = 64 << 20
    leak: bool = True
    """Fetch /debug/pprof/goroutineleak first (one stop-the-world GC per target)."""
    thresholds: Thresholds = field(default_factory=Thresholds)
    keep: int = 10
    """Groups kept per target besides the leaked and suspect ones (the biggest blocked or running)."""


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """One group of one target, as much as aggregation, linking and the history need."""

    key: str
    classification: str
    reason: str
    count: int
    leaked: int
    """Goroutines proven leaked (the goroutineleak profile, or `(leaked)` marks)."""
    blocking: str | None
    function: str
    """The group's display name: its first user frame."""
    frames: tuple[FrameTuple, ...]
    created_by: FrameTuple | None
    wait_max: int | None = None

    @property
    def leaking(self) -> int:
        """Goroutines this group counts as leaking here: the proven ones, or all of a suspect group."""
        if self.classification == Classification.LEAKED.value:
            return self.leaked or self.count
        if self.classification == Classification.SUSPECT.value:
            return self.count
        return 0

    def to_group(self) -> Group:
        """A runtime `Group` again, for the linker and the history, which take one."""
        frames = tuple(Frame(f, p, n) for f, p, n in self.frames)
        cb = Frame(*self.created_by) if self.created_by is not None else None
        return Group(
            key=self.key,
            by="stack",
            signature=tuple((f.function, f.file, f.line) for f in frames),
            count=self.count,
            leaked=self.leaked,
            states=(),
            blocking=self.blocking,
            frames=frames,
            created_by=cb,
            labels=(),
            wait=None,
            ids=(),
            parent_ids=(),
            stacks=1,
        )


@dataclass(frozen=True, slots=True)
class TargetResult:
    index: int
    service: str
    instance: str
    name: str
    ts: float
    """Wall-clock time the target's analysis started."""
    error: str | None
    form: str | None = None
    total: int | None = None
    leak_served: bool | None = None
    """None: not asked (or not reached); False: the target has no goroutineleak profile."""
    leak_error: str | None = None
    """The goroutineleak profile failed (other than not being served): proof is missing, not the run."""
    duration_ms: float = 0.0
    nbytes: int | None = None
    groups: tuple[GroupSummary, ...] = ()
    omitted_groups: int = 0
    omitted_goroutines: int = 0
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None


def _tuple(f: Frame) -> FrameTuple:
    return (f.function, f.file, f.line)


def _summary(v: Verdict, leaked: int) -> GroupSummary:
    g = v.group
    return GroupSummary(
        key=g.key,
        classification=v.classification.value,
        reason=v.reason,
        count=g.count,
        leaked=leaked,
        blocking=g.blocking,
        function=g.display_name,
        frames=tuple(_tuple(f) for f in g.frames[:MAX_FRAMES]),
        created_by=_tuple(g.created_by) if g.created_by is not None else None,
        wait_max=g.wait.max if g.wait is not None else None,
    )


def summarise(
    snapshot: Snapshot,
    groups: Sequence[Group],
    leak_counts: dict[str, int],
    opts: FleetOptions,
) -> tuple[tuple[GroupSummary, ...], int, int]:
    """(kept summaries, omitted groups, omitted goroutines). Leaked and suspect groups are always kept;
    of the rest the `keep` biggest non-benign ones; benign groups are dropped (counted as omitted)."""
    kept: list[GroupSummary] = []
    others: list[GroupSummary] = []
    omitted_groups = omitted_goroutines = 0
    for v in classify_groups(groups, opts.thresholds, form=snapshot.form):
        g = v.group
        leaked = max(g.leaked, min(leak_counts.get(g.key, 0), g.count))
        if leaked and v.classification is not Classification.LEAKED:
            v = Verdict(g, Classification.LEAKED, f"{leaked} proven leaked by the goroutineleak profile")
        s = _summary(v, leaked)
        if v.classification in (Classification.LEAKED, Classification.SUSPECT):
            kept.append(s)
        elif v.classification is Classification.BENIGN:
            omitted_groups += 1
            omitted_goroutines += g.count
        else:
            others.append(s)
    others.sort(key=lambda s: (-s.count, s.key))
    for s in others[opts.keep :]:
        omitted_groups += 1
        omitted_goroutines += s.count
    return tuple(kept + others[: opts.keep]), omitted_groups, omitted_goroutines


def analyse_target(target: Target, opts: FleetOptions) -> TargetResult:
    """The whole job for one target; a parser bug becomes this target's error, never the run's."""
    ts = time.time()
    start = time.monotonic()
    try:
        if target.url is not None:
            return _analyse_url(target, opts, ts, start)
        return _analyse_files(target, opts, ts, start)
    except Exception as exc:
        return TargetResult(
            target.index,
            target.service,
            target.instance,
            target.name,
            ts,
            error=f"internal error: {type(exc).__name__}: {exc}".splitlines()[0],
            duration_ms=(time.monotonic() - start) * 1000,
        )


def analyse_batch(targets: Sequence[Target], opts: FleetOptions) -> list[TargetResult]:
    """Several targets in one task: a Dask task costs about a millisecond of scheduling, a target a few."""
    return [analyse_target(t, opts) for t in targets]


def _analyse_url(target: Target, opts: FleetOptions, ts: float, start: float) -> TargetResult:
    assert target.url is not None
    leak: Fetched | None = None
    if opts.leak:
        # The leak profile first: its GC marks leaked goroutines, which the goroutine profile then shows.
        leak = fetch_profile(
            profile_url(target.url, LEAK_PATH, opts.debug), timeout=opts.timeout, max_bytes=opts.max_bytes
        )
        if leak.error is not None and not leak.not_served and _unreachable(leak.error):
            # A dead or hung target would only fail (or hang) a second time on the goroutine profile.
            return _failed(target, ts, start, leak.error, leak.nbytes)
    g = fetch_profile(
        profile_url(target.url, GOROUTINE_PATH, opts.debug), timeout=opts.timeout, max_bytes=opts.max_bytes
    )
    leak_served: bool | None = None
    leak_error: str | None = None
    leak_counts: dict[str, int] = {}
    if leak is not None:
        if leak.error is None:
            leak_served = True
        elif leak.not_served:
            leak_served = False
        else:
            leak_error = leak.error
        leak_counts = {grp.key: grp.leaked for grp in leak.groups if grp.leaked}
    if g.error is not None or g.snapshot is None:
        return _failed(target, ts, start, g.error or "no snapshot", g.nbytes)
    return _analysed(
        target,
        ts,
        start,
        g.snapshot,
        g.groups,
        leak_counts,
        opts,
        leak_served=leak_served,
        leak_error=leak_error,
        nbytes=(g.nbytes or 0) + ((leak.nbytes or 0) if leak is not None else 0) or None,
        warnings=g.snapshot.warnings[:5],
    )


def _unreachable(error: str) -> bool:
    """Errors that say the target is dead or hung, not that it sent something we could not read."""
    return error.startswith("cannot connect") or "timed out" in error


def _analysed(
    target: Target,
    ts: float,
    start: float,
    snapshot: Snapshot,
    groups: Sequence[Group],
    leak_counts: dict[str, int],
    opts: FleetOptions,
    *,
    leak_served: bool | None,
    warnings: tuple[str, ...],
    leak_error: str | None = None,
    nbytes: int | None = None,
) -> TargetResult:
    """The compact result of a target that was read: its groups summarised, the rest counted."""
    kept, n_groups, n_gor = summarise(snapshot, groups, leak_counts, opts)
    return TargetResult(
        target.index,
        target.service,
        target.instance,
        target.name,
        ts,
        error=None,
        form=snapshot.form.value,
        total=snapshot.total,
        leak_served=leak_served,
        leak_error=leak_error,
        duration_ms=(time.monotonic() - start) * 1000,
        nbytes=nbytes,
        groups=kept,
        omitted_groups=n_groups,
        omitted_goroutines=n_gor,
        warnings=warnings,
    )


def _failed(target: Target, ts: float, start: float, error: str, nbytes: int | None) -> TargetResult:
    return TargetResult(
        target.index,
        target.service,
        target.instance,
        target.name,
        ts,
        error=error,
        duration_ms=(time.monotonic() - start) * 1000,
        nbytes=nbytes,
    )


def _analyse_files(target: Target, opts: FleetOptions, ts: float, start: float) -> TargetResult:
    """Saved profiles: the last goroutine profile (by file name) is the sample; a goroutineleak profile
    beside it supplies the proof. An instance with only a leak profile is analysed from that."""
    dumps: list[Snapshot] = []
    leaks: list[Snapshot] = []
    errors: list[str] = []
    for path in target.files:
        try:
            snap = load_snapshot(path, max_bytes=opts.max_bytes)
        except InputError as exc:
            errors.append(f"{path}: {exc}")
            continue
        (leaks if snap.profile.startswith("goroutineleak") else dumps).append(snap)
    chosen = dumps[-1] if dumps else leaks[-1] if leaks else None
    if chosen is None:
        return _failed(target, ts, start, errors[0] if errors else "no profiles", None)
    leak_counts: dict[str, int] = {}
    if leaks and dumps:
        leak_counts = {g.key: g.leaked for g in group_snapshot(leaks[-1], "stack") if g.leaked}
    return _analysed(
        target,
        ts,
        start,
        chosen,
        group_snapshot(chosen, "stack"),
        leak_counts,
        opts,
        leak_served=bool(leaks),
        warnings=(*chosen.warnings[:5], *errors[:5]),
    )
