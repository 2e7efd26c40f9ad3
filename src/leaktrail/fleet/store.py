"""`--db`: each fleet run's samples in the watch history, so `leaktrail report` charts them across days.

Two kinds of series are written, one sample per run each: every target's own (named by its URL or
directory, like a watch target), and every service's sum over its instances, named `fleet:SERVICE`, which
is the line to follow from one daily run to the next (`report --target fleet:orders`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from leaktrail import __version__
from leaktrail.fleet.aggregate import Fleet, ServiceGroup
from leaktrail.fleet.collect import FleetOptions, TargetResult
from leaktrail.runtime import Frame, Group
from leaktrail.watch.history import GroupSample, History, HistoryError, open_for_writing

SERVICE_PREFIX = "fleet:"


class FleetHistory:
    """Writes as results arrive (so the client keeps no per-target groups); a write that fails is one
    warning, then counted, as in `watch`."""

    def __init__(
        self,
        path: Path,
        opts: FleetOptions,
        targets: int,
        on_warning: Callable[[str], None] = lambda m: None,
    ) -> None:
        settings: dict[str, Any] = {
            "version": __version__,
            "command": "fleet",
            "targets": targets,
            "debug": opts.debug,
            "min_count": opts.thresholds.min_count,
            "leak_profile": opts.leak,
        }
        self.history = History(open_for_writing(path), settings)
        self.on_warning = on_warning
        self.errors = 0
        self.ts: float | None = None

    def _write(self, url: str, **kwargs: Any) -> None:
        try:
            self.history.add_sample(url, **kwargs)
        except HistoryError as exc:
            self.errors += 1
            if self.errors == 1:
                self.on_warning(f"{exc} (the run goes on; later failures are counted, not shown)")

    def add(self, r: TargetResult) -> None:
        # One timestamp per run for every series, so a run is one point on every chart.
        ts = self.ts = self.ts if self.ts is not None else r.ts
        self._write(
            r.name,
            ts=ts,
            profile="goroutine",
            form=r.form,
            total=r.total,
            error=r.error,
            duration_ms=r.duration_ms,
            nbytes=r.nbytes,
            groups=[GroupSample(s.to_group(), s.classification, s.leaked) for s in r.groups],
        )

    def add_services(self, fleet: Fleet) -> None:
        if self.ts is None:
            return
        per: dict[str, list[ServiceGroup]] = {}
        for g in fleet.groups.values():
            per.setdefault(g.service, []).append(g)
        for name, stats in sorted(fleet.services.items()):
            ok = stats.instances - stats.failed
            self._write(
                SERVICE_PREFIX + name,
                ts=self.ts,
                profile="goroutine",
                form=None,
                total=stats.goroutines if ok else None,
                error=None if ok else f"all {stats.instances} instances failed",
                duration_ms=0.0,
                nbytes=None,
                groups=[
                    GroupSample(_service_group(g), g.classification, g.leaked)
                    for g in sorted(per.get(name, []), key=lambda g: g.key)
                ],
            )

    def close(self) -> None:
        self.history.close()


def _service_group(g: ServiceGroup) -> Group:
    frames = tuple(Frame(f, p, n) for f, p, n in g.frames)
    return Group(
        key=g.key,
        by="stack",
        signature=tuple((f.function, f.file, f.line) for f in frames),
        count=g.total,
        leaked=g.leaked,
        states=(),
        blocking=g.blocking,
        frames=frames,
        created_by=Frame(*g.created_by) if g.created_by else None,
        labels=(),
        wait=None,
        ids=(),
        parent_ids=(),
        stacks=1,
    )
