"""The Go runtime's goroutine states and wait reasons, as data.

Copied from go1.27.3 `src/runtime/runtime2.go` (`waitReasonStrings`) and `src/runtime/traceback.go`
(`gStatusStrings`), in the runtime's enum order. The header parser matches these strings before it peels
the `(leaked)`/`(scan)`/`(durable)` suffixes, because some reasons carry parentheses of their own.
"""

from __future__ import annotations

from typing import Final

# waitReasonStrings, in enum order (waitReasonZero = "" is left out: the header then shows "waiting").
WAIT_REASONS: Final[tuple[str, ...]] = (
    "GC assist marking",
    "IO wait",
    "dumping heap",
    "garbage collection",
    "garbage collection scan",
    "panicwait",
    "GC assist wait",
    "GC sweep wait",
    "GC scavenge wait",
    "finalizer wait",
    "force gc (idle)",
    "GOMAXPROCS updater (idle)",
    "semacquire",
    "sleep",
    "chan receive (nil chan)",
    "chan send (nil chan)",
    "select (no cases)",
    "select",
    "chan receive",
    "chan send",
    "sync.Cond.Wait",
    "sync.Mutex.Lock",
    "sync.RWMutex.RLock",
    "sync.RWMutex.Lock",
    "sync.WaitGroup.Wait",
    "trace reader (blocked)",
    "wait for GC cycle",
    "GC worker (idle)",
    "GC worker (active)",
    "preempted",
    "debug call",
    "GC mark termination",
    "stopping the world",
    "flushing proc caches",
    "trace goroutine status",
    "trace proc status",
    "page trace flush",
    "coroutine",
    "GC weak to strong wait",
    "synctest.Run",
    "synctest.Wait",
    "chan receive (durable)",
    "chan send (durable)",
    "select (durable)",
    "sync.WaitGroup.Wait (durable)",
    "cleanup wait",
)

# gStatusStrings, printed when a goroutine is not waiting (or waits with waitReasonZero); "???" for
# an out-of-range status, "unknown wait reason" for an out-of-range reason.
STATUSES: Final[tuple[str, ...]] = (
    "idle",
    "runnable",
    "running",
    "syscall",
    "waiting",
    "dead",
    "copystack",
    "leaked",
    "preempted",
    "waiting for cgo callback",
    "???",
    "unknown wait reason",
)

KNOWN_STATES: Final[frozenset[str]] = frozenset(WAIT_REASONS) | frozenset(STATUSES)

# Reasons the leak detector can prove (mgcmark.go internalBlocked: ChanReceiveNilChan..SyncWaitGroupWait).
LEAK_CANDIDATES: Final[frozenset[str]] = frozenset(
    WAIT_REASONS[
        WAIT_REASONS.index("chan receive (nil chan)") : WAIT_REASONS.index("sync.WaitGroup.Wait") + 1
    ]
)

# Blocked forever by definition (mgc.go isMaybeRunnable): nothing can ever make them runnable again.
NEVER_RUNNABLE: Final[frozenset[str]] = frozenset(
    {"chan receive (nil chan)", "chan send (nil chan)", "select (no cases)"}
)

# The operations LeakProf-style suspicion applies to: a goroutine parked here waits for another goroutine.
SYNC_BLOCKING: Final[frozenset[str]] = LEAK_CANDIDATES | frozenset(
    {
        "semacquire",
        "chan receive (durable)",
        "chan send (durable)",
        "select (durable)",
        "sync.WaitGroup.Wait (durable)",
    }
)

# The runtime's own background goroutines park with these; never the user's doing.
RUNTIME_INTERNAL: Final[frozenset[str]] = frozenset(
    {
        "GC assist marking",
        "dumping heap",
        "garbage collection",
        "garbage collection scan",
        "GC assist wait",
        "GC sweep wait",
        "GC scavenge wait",
        "finalizer wait",
        "force gc (idle)",
        "GOMAXPROCS updater (idle)",
        "trace reader (blocked)",
        "wait for GC cycle",
        "GC worker (idle)",
        "GC worker (active)",
        "GC mark termination",
        "stopping the world",
        "flushing proc caches",
        "trace goroutine status",
        "trace proc status",
        "page trace flush",
        "GC weak to strong wait",
        "cleanup wait",
    }
)

RUNNING_STATES: Final[frozenset[str]] = frozenset(
    {"running", "runnable", "syscall", "preempted", "copystack", "idle", "debug call"}
)


def is_known(state: str) -> bool:
    return state in KNOWN_STATES
