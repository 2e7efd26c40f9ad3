"""The watch loop: schedule polls, fold results into per-target state, test trends, raise alerts.

Each poll runs in its own daemon thread (at most one per target), so a slow or hanging target delays only
itself and never the end of `--duration`; its
`--timeout` bounds each fetch, and failures back off exponentially. Everything else — the database, the
trend test, metrics, the view — happens on the calling thread, one result at a time.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from leaktrail.runtime.classify import classify
from leaktrail.runtime.model import Classification, Group, Thresholds, Verdict
from leaktrail.watch.alerts import Alert
from leaktrail.watch.history import GroupSample, History, HistoryError
from leaktrail.watch.poll import Fetched, PollResult, poll
from leaktrail.watch.trend import Trend, TrendParams, trend


@dataclass(frozen=True, slots=True)
class WatchOptions:
    interval: float = 15.0
    duration: float | None = None
    timeout: float = 10.0
    max_bytes: int = 64 << 20
    debug: int = 0
    leak_interval: float | None = 300.0
    """Seconds between goroutineleak fetches (each one stops the world for a GC); None: never."""
    max_backoff: float = 300.0
    trend: TrendParams = field(default_factory=TrendParams)
    thresholds: Thresholds = field(default_factory=Thresholds)
    source: Path | None = None


@dataclass
class GroupState:
    group: Group
    verdict: Verdict
    trend: Trend | None = None
    flagged: bool = False
    leaked: int = 0
    findings: tuple[dict[str, Any], ...] = ()

    @property
    def function(self) -> str:
        """The first user frame's function (the top frame when there is none): how people name a group."""
        top = self.group.display_frame
        return top.function if top is not None else ""


@dataclass
class TargetState:
    url: str
    window: deque[tuple[float, dict[str, int]]]
    next_due: float = 0.0
    next_leak_due: float = 0.0
    leak_served: bool | None = None
    failures: int = 0
    samples: int = 0
    errors: int = 0
    last_error: str | None = None
    last_ok: float | None = None
    total: int | None = None
    total_trend: Trend | None = None
    last_ms: float = 0.0
    groups: dict[str, GroupState] = field(default_factory=dict)
    leaked: dict[str, int] = field(default_factory=dict)
    """Group key → goroutines the last goroutineleak profile proved leaked."""
    in_flight: Future[PollResult] | None = None

    @property
    def flagged(self) -> list[GroupState]:
        return [g for g in self.groups.values() if g.flagged]

    def top(self, n: int) -> list[GroupState]:
        ranked = sorted(
            self.groups.values(),
            key=lambda g: (
                not g.flagged,
                g.group.count == 0,
                g.verdict.classification.rank,
                -g.group.count,
                g.group.key,
            ),
        )
        return ranked[:n]


Linker = Callable[[Group], tuple[dict[str, Any], ...]]


class Watcher:
    def __init__(
        self,
        targets: Sequence[str],
        options: WatchOptions,
        *,
        history: History | None = None,
        on_alert: Callable[[Alert], None] = lambda a: None,
        on_target_error: Callable[[TargetState, str], None] = lambda t, e: None,
        on_target_recovered: Callable[[TargetState], None] = lambda t: None,
        on_update: Callable[[Watcher], None] = lambda w: None,
        on_sample: Callable[[TargetState, PollResult], None] = lambda t, r: None,
        on_warning: Callable[[str], None] = lambda message: None,
        linker: Linker | None = None,
    ) -> None:
        self.options = options
        self.targets = [
            TargetState(url, deque(maxlen=options.trend.window)) for url in dict.fromkeys(targets)
        ]
        self.history = history
        self.on_alert = on_alert
        self.on_target_error = on_target_error
        self.on_target_recovered = on_target_recovered
        self.on_update = on_update
        self.on_sample = on_sample
        self.on_warning = on_warning
        self.history_errors = 0
        self.linker = linker
        self.alerts: list[Alert] = []
        self.started = 0.0
        self._stop = False

    def stop(self) -> None:
        self._stop = True

    @property
    def leak_found(self) -> bool:
        return any(a.kind in ("growing", "leaked") for a in self.alerts)

    def run(self) -> None:
        opts = self.options
        self.started = time.monotonic()
        end = self.started + opts.duration if opts.duration is not None else None
        for t in self.targets:
            t.next_due = self.started
            # The first sample asks for the leak profile too: a watch shorter than --leak-interval would
            # otherwise record no proof at all (and report 0 proven leaked while the runtime proves many).
            t.next_leak_due = self.started
        while not self._stop:
            now = time.monotonic()
            if end is not None and now >= end:
                break
            for t in self.targets:
                if t.in_flight is None and now >= t.next_due:
                    self._submit(t, now)
            pending = [t.in_flight for t in self.targets if t.in_flight is not None]
            due = [t.next_due for t in self.targets if t.in_flight is None]
            until = min([*due, end if end is not None else now + 1.0, now + 1.0])
            if pending:
                done, _ = wait(
                    pending, timeout=max(0.0, until - time.monotonic()), return_when=FIRST_COMPLETED
                )
            else:
                time.sleep(max(0.0, until - time.monotonic()))
                done = set()
            for t in self.targets:
                if t.in_flight is not None and t.in_flight in done:
                    result = t.in_flight.result()
                    t.in_flight = None
                    self._handle(t, result)
            if done:
                self.on_update(self)
        # Polls still in flight are abandoned: their threads are daemons and their fetches time out on
        # their own, so `--duration` is a promise about when watch returns.

    def _submit(self, t: TargetState, now: float) -> None:
        opts = self.options
        want_leak = opts.leak_interval is not None and t.leak_served is not False and now >= t.next_leak_due
        if want_leak:
            t.next_leak_due = now + (opts.leak_interval or 0.0)
        # Keep the cadence (next = scheduled + interval) unless we fell behind it.
        t.next_due = max(t.next_due + opts.interval, now + opts.interval * 0.5)
        future: Future[PollResult] = Future()

        def run() -> None:
            try:
                result = poll(
                    t.url,
                    debug=opts.debug,
                    timeout=opts.timeout,
                    max_bytes=opts.max_bytes,
                    want_leak=want_leak,
                )
            except Exception as exc:  # poll() reports failures itself; this is a bug, but not a hang
                failed = Fetched(None, (), f"internal error: {type(exc).__name__}: {exc}", 0.0, None)
                result = PollResult(t.url, time.time(), failed, None)
            future.set_result(result)

        threading.Thread(target=run, name=f"leaktrail-poll {t.url}", daemon=True).start()
        t.in_flight = future

    # -- folding a result into the state ---------------------------------------------------------------

    def _handle(self, t: TargetState, r: PollResult) -> None:
        if r.leak is not None:
            self._handle_leak(t, r)
        g = r.goroutine
        if g.error is not None or g.snapshot is None:
            error = g.error or "no snapshot"
            t.errors += 1
            t.failures += 1
            t.last_error = error
            t.last_ms = g.duration_ms
            backoff = min(self.options.interval * 2 ** min(t.failures, 16), self.options.max_backoff)
            t.next_due = time.monotonic() + max(backoff, self.options.interval)
            if self.history is not None:
                self._store(
                    self.history.add_sample,
                    t.url,
                    ts=r.ts,
                    profile="goroutine",
                    form=None,
                    total=None,
                    error=error,
                    duration_ms=g.duration_ms,
                    nbytes=g.nbytes,
                )
            if t.failures == 1:
                self.on_target_error(t, error)
            self.on_sample(t, r)
            return
        if t.failures:
            self.on_target_recovered(t)
        t.failures = 0
        t.last_error = None
        t.samples += 1
        t.last_ok = r.ts
        t.last_ms = g.duration_ms
        snapshot = g.snapshot
        t.total = snapshot.total
        verdicts = {v.group.key: v for v in classify(g.groups, self.options.thresholds, form=snapshot.form)}
        counts = {key: v.group.count for key, v in verdicts.items()}
        t.window.append((r.ts, counts))
        times = [ts for ts, _ in t.window]
        total_values = [float(sum(c.values())) for _, c in t.window]
        t.total_trend = trend(total_values, times, self.options.trend)
        samples: list[GroupSample] = []
        for key, verdict in verdicts.items():
            leaked = max(verdict.group.leaked, min(t.leaked.get(key, 0), verdict.group.count))
            if leaked and verdict.classification is not Classification.LEAKED:
                verdict = Verdict(
                    verdict.group,
                    Classification.LEAKED,
                    f"{leaked} proven leaked by the last goroutineleak profile",
                )
            state = t.groups.get(key)
            if state is None:
                state = t.groups[key] = GroupState(verdict.group, verdict)
            state.group, state.verdict, state.leaked = verdict.group, verdict, leaked
            samples.append(GroupSample(verdict.group, verdict.classification.value, leaked))
        self._trends(t, r.ts)
        if self.history is not None:
            self._store(
                self.history.add_sample,
                t.url,
                ts=r.ts,
                profile="goroutine",
                form=snapshot.form.value,
                total=snapshot.total,
                error=None,
                duration_ms=g.duration_ms,
                nbytes=g.nbytes,
                groups=samples,
            )
        self.on_sample(t, r)

    def _trends(self, t: TargetState, ts: float) -> None:
        times = [s for s, _ in t.window]
        in_window = set().union(*(c.keys() for _, c in t.window))
        for key in list(t.groups):
            state = t.groups[key]
            if key not in in_window:
                # Gone from the whole window: forget it (it stays in the history).
                del t.groups[key]
                continue
            values = [float(c.get(key, 0)) for _, c in t.window]
            if max(values) == min(values):
                state.trend = trend(values[-2:], times[-2:], self.options.trend)
            else:
                state.trend = trend(values, times, self.options.trend)
            current = t.window[-1][1].get(key, 0)
            if state.trend.rising and not state.flagged:
                state.flagged = True
                if self.linker is not None and not state.findings:
                    state.findings = self.linker(state.group)
                self._alert(t, state, "growing", ts, current)
            elif state.flagged and not state.trend.rising and state.trend.z < 1.0:
                # Hysteresis: a flagged group is cleared only once the climb is clearly gone.
                state.flagged = False
                self._alert(t, state, "cleared", ts, current)
            if key not in t.window[-1][1]:
                state.group = _absent(state.group)

    def _handle_leak(self, t: TargetState, r: PollResult) -> None:
        leak = r.leak
        assert leak is not None
        if leak.not_served:
            t.leak_served = False
        if self.history is not None:
            self._store(
                self.history.add_sample,
                t.url,
                ts=r.ts,
                profile="goroutineleak",
                form=leak.snapshot.form.value if leak.snapshot else None,
                total=leak.snapshot.total if leak.snapshot else None,
                error=leak.error,
                duration_ms=leak.duration_ms,
                nbytes=leak.nbytes,
                groups=[GroupSample(g, Classification.LEAKED.value, g.count) for g in leak.groups],
            )
        if leak.snapshot is None:
            return
        t.leak_served = True
        before = t.leaked
        t.leaked = {g.key: g.count for g in leak.groups}
        for g in leak.groups:
            if g.key not in before:
                state = t.groups.get(g.key)
                if state is not None and self.linker is not None and not state.findings:
                    state.findings = self.linker(state.group)
                self._alert_leaked(t, g, state, r.ts)

    def _store(self, write: Callable[..., object], *args: Any, **kwargs: Any) -> None:
        """A history that cannot be written is a warning (the first time), not the end of the watch."""
        try:
            write(*args, **kwargs)
        except HistoryError as exc:
            self.history_errors += 1
            if self.history_errors == 1:
                self.on_warning(f"{exc} (the watch goes on; later failures are counted, not shown)")

    # -- alerts ---------------------------------------------------------------------------------------

    def _alert(self, t: TargetState, state: GroupState, kind: str, ts: float, count: int) -> None:
        g = state.group
        tr = state.trend
        top = g.display_frame
        alert = Alert(
            kind=kind,
            target=t.url,
            key=g.key,
            function=top.function if top else None,
            blocking=g.blocking,
            count=count,
            ts=ts,
            per_minute=tr.per_minute if tr else None,
            z=tr.z if tr else None,
            p=tr.p if tr else None,
            samples=tr.n if tr else None,
            classification=state.verdict.classification.value,
            findings=state.findings,
        )
        self._emit(t, alert)

    def _alert_leaked(self, t: TargetState, g: Group, state: GroupState | None, ts: float) -> None:
        top = g.display_frame
        alert = Alert(
            kind="leaked",
            target=t.url,
            key=g.key,
            function=top.function if top else None,
            blocking=g.blocking,
            count=g.count,
            ts=ts,
            classification=Classification.LEAKED.value,
            findings=state.findings if state is not None else (),
        )
        self._emit(t, alert)

    def _emit(self, t: TargetState, alert: Alert) -> None:
        self.alerts.append(alert)
        if self.history is not None:
            self._store(
                self.history.add_alert,
                t.url,
                alert.key,
                ts=alert.ts,
                kind=alert.kind,
                count=alert.count,
                per_min=alert.per_minute,
                z=alert.z,
                p=alert.p,
                message=alert.message,
                findings=alert.findings,
            )
        self.on_alert(alert)


def _absent(g: Group) -> Group:
    return replace(g, count=0, leaked=0)
