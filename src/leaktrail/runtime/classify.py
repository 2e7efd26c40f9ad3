"""Say which groups are leaks, and why, in words a reader can check against the dump.

Order of evidence: the runtime's proof (`(leaked)`, the goroutineleak profile) beats everything; known
runtime and standard-library background goroutines are benign; then LeakProf's insight that many
goroutines parked on one channel or lock operation (or parked for long) are a leak, not a queue.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable

from leaktrail.runtime.gcpause import gc_paused
from leaktrail.runtime.model import (
    DEFAULT_THRESHOLDS,
    Classification,
    Form,
    Group,
    Inspection,
    Snapshot,
    Thresholds,
    Verdict,
)
from leaktrail.runtime.waitreasons import NEVER_RUNNABLE, RUNNING_STATES, RUNTIME_INTERNAL, SYNC_BLOCKING

# Background goroutines of the runtime and standard library, and what they are.
BENIGN_FUNCTIONS: dict[str, str] = {
    "runtime.gcBgMarkWorker": "GC mark worker",
    "runtime.bgsweep": "GC background sweeper",
    "runtime.bgscavenge": "GC background scavenger",
    "runtime.forcegchelper": "periodic GC helper",
    "runtime.runfinq": "finalizer goroutine",
    "runtime.runCleanups": "cleanup goroutine",
    "runtime.updateMaxProcsGoroutine": "GOMAXPROCS updater",
    "runtime.ensureSigM": "signal mask handler (locked to thread)",
    "runtime.timerproc": "timer goroutine (Go < 1.14)",
    "os/signal.signal_recv": "os/signal receiver",
    "os/signal.loop": "os/signal receiver",
    "unique.registerCleanup.func1": "unique package cleanup",
}
# net/http goroutines that are idle by design when parked in IO wait or select: keep-alive connections
# (server side waiting for the next request, client side waiting in its read/write loops) and accept loops.
HTTP_IDLE_FUNCTIONS: dict[str, str] = {
    "net/http.(*conn).serve": "idle HTTP server keep-alive connection",
    "net/http.(*connReader).backgroundRead": "HTTP server connection reader",
    "net/http.(*persistConn).readLoop": "idle HTTP client keep-alive connection (read loop)",
    "net/http.(*persistConn).writeLoop": "idle HTTP client keep-alive connection (write loop)",
    "net/http.(*Server).Serve": "HTTP server accept loop",
    "net/http.(*http2clientConnReadLoop).run": "HTTP/2 client connection reader",
    "net/http.(*http2serverConn).serve": "HTTP/2 server connection",
}
_IDLE_OPS = {"IO wait", "select", None}
# Top frames of a parked goroutine in a debug=0 profile (which shows runtime frames).
_PARKING = {"runtime.gopark", "runtime.goparkunlock", "runtime.notetsleepg", "runtime.semasleep"}


_function = operator.attrgetter("function")
_BENIGN_NAMES = BENIGN_FUNCTIONS.keys()
_HTTP_IDLE_NAMES = HTTP_IDLE_FUNCTIONS.keys()


def _benign(group: Group) -> str | None:
    state = group.state
    if state is not None and state in RUNTIME_INTERNAL:
        return f"runtime background goroutine ({state})"
    if state == "idle":
        return "an M's system stack (goroutine 0 [idle] in crash and SIGQUIT dumps), not a goroutine"
    # Most groups have none of these functions: the disjointness tests run in C.
    frames = group.frames
    if not _BENIGN_NAMES.isdisjoint(map(_function, frames)):
        return next(filter(None, map(BENIGN_FUNCTIONS.get, map(_function, frames))))
    if group.blocking in _IDLE_OPS and not _HTTP_IDLE_NAMES.isdisjoint(map(_function, frames)):
        what = next(filter(None, map(HTTP_IDLE_FUNCTIONS.get, map(_function, frames))))
        return f"{what}, in {group.blocking or 'a wait'}"
    return None


def _is_main_goroutine(group: Group) -> bool:
    return group.created_by is None and bool(group.frames) and group.frames[-1].function == "main.main"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def classify_group(group: Group, thresholds: Thresholds, *, form: Form = Form.DEBUG2) -> Verdict:
    n = group.count
    op = group.blocking
    first_user = group.first_user_frame
    where = f" at {first_user.function}" if first_user else ""
    if group.leaked:
        share = "all" if group.leaked == n else f"{group.leaked} of {n}"
        on = f"blocked in {op}" if op else "blocked"
        return Verdict(
            group,
            Classification.LEAKED,
            f"proven leaked by the runtime's leak detector ({share}): {on}{where} on something "
            "no runnable goroutine can reach, so nothing can ever wake them",
        )
    benign = _benign(group)
    if benign is not None:
        return Verdict(group, Classification.BENIGN, benign)
    state = group.state
    if state is not None and state in RUNNING_STATES:
        return Verdict(group, Classification.RUNNING, f"{state}, not blocked")
    if state is None and op is None:
        top = group.frames[0].function if group.frames else ""
        if form is Form.DEBUG0 and top not in _PARKING:
            return Verdict(
                group, Classification.RUNNING, f"not parked ({top or 'no frames'} on top of its stack)"
            )
        if form is Form.DEBUG0:
            return Verdict(group, Classification.BLOCKED, "parked in the runtime, operation not recognised")
        if n >= thresholds.min_count:
            return Verdict(
                group,
                Classification.SUSPECT,
                f"{_plural(n, 'goroutine')} with the same stack{where} (at least --min-count "
                f"{thresholds.min_count}); debug=1 hides the operation: take a debug=2 dump to confirm",
            )
        return Verdict(
            group,
            Classification.BLOCKED,
            "operation unknown: debug=1 hides the runtime frames that would name it",
        )
    if op is not None and op in SYNC_BLOCKING:
        if _is_main_goroutine(group):
            return Verdict(
                group,
                Classification.BLOCKED,
                f"main goroutine waits in {op} (how a long-running program idles)",
            )
        if op in NEVER_RUNNABLE:
            return Verdict(
                group,
                Classification.SUSPECT,
                f"{_plural(n, 'goroutine')} blocked forever in {op}{where}: "
                + (
                    "a nil channel never becomes ready"
                    if "nil chan" in op
                    else "a select with no cases never returns"
                ),
            )
        if n >= thresholds.min_count:
            return Verdict(
                group,
                Classification.SUSPECT,
                f"{_plural(n, 'goroutine')} parked on the same {op}{where} "
                f"(at least --min-count {thresholds.min_count}): a queue nobody drains",
            )
        if group.wait is not None and group.wait.max >= thresholds.min_wait:
            return Verdict(
                group,
                Classification.SUSPECT,
                f"waiting in {op}{where} for up to {group.wait.max} minutes "
                f"(at least --min-wait {thresholds.min_wait}m)",
            )
        waited = f", longest {group.wait.max} min" if group.wait is not None and group.wait.max else ""
        return Verdict(
            group,
            Classification.BLOCKED,
            f"{_plural(n, 'goroutine')} in {op}{waited}: under --min-count {thresholds.min_count} "
            f"and --min-wait {thresholds.min_wait}m",
        )
    what = op or state or "a wait"
    waited = f" for up to {group.wait.max} minutes" if group.wait is not None and group.wait.max else ""
    return Verdict(group, Classification.BLOCKED, f"in {what}{waited} (not a channel or lock wait)")


def classify(
    groups: Iterable[Group], thresholds: Thresholds = DEFAULT_THRESHOLDS, *, form: Form = Form.DEBUG2
) -> list[Verdict]:
    """Verdicts, most suspicious first, then by size (then by key: the order is the same whatever order
    the groups come in, their keys being unique)."""
    verdicts = [classify_group(g, thresholds, form=form) for g in groups]
    # (rank, -count, key) as two stable sorts on one attribute each (no key tuple per verdict), then
    # a stable split by classification, whose members are listed most suspicious first.
    verdicts.sort(key=_group_key)
    verdicts.sort(key=_group_count, reverse=True)  # reverse keeps equal counts in key order
    ranked: dict[Classification, list[Verdict]] = {c: [] for c in Classification}
    for v in verdicts:
        ranked[v.classification].append(v)
    return [v for same in ranked.values() for v in same]


_group_key = operator.attrgetter("group.key")
_group_count = operator.attrgetter("group.count")


def inspect(snapshot: Snapshot, by: str = "stack", thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Inspection:
    from leaktrail.runtime.group import unsorted_groups

    with gc_paused():
        verdicts = classify(unsorted_groups(snapshot, by), thresholds, form=snapshot.form)
    return Inspection(snapshot=snapshot, verdicts=tuple(verdicts))
