"""What tests/runtime/goprogs/leaky parks: the numbers every runtime test checks against."""

from __future__ import annotations

# By the function each pattern parks in (times -scale).
EXPECTED_COUNTS = {
    "main.contextNeverCancelled": 13,
    "main.condNeverSignalled": 12,
    "main.globalWorker": 11,
    "main.labelledConsumer": 10,
    "main.sleeper": 9,
    "main.mutexHeldForever": 8,
    "main.rangeUnclosed": 7,
    "main.waitGroupNeverDone": 6,
    "main.sendNoReceiver": 5,
    "main.nilRecv": 4,
    "main.selectNoCases": 3,
    "main.nilSend": 1,
}
EXPECTED_STATES = {
    "main.contextNeverCancelled": "select",
    "main.condNeverSignalled": "sync.Cond.Wait",
    "main.globalWorker": "chan receive",
    "main.labelledConsumer": "chan receive",
    "main.sleeper": "sleep",
    "main.mutexHeldForever": "sync.Mutex.Lock",
    "main.rangeUnclosed": "chan receive",
    "main.waitGroupNeverDone": "sync.WaitGroup.Wait",
    "main.sendNoReceiver": "chan send",
    "main.nilRecv": "chan receive (nil chan)",
    "main.selectNoCases": "select (no cases)",
    "main.nilSend": "chan send (nil chan)",
}
# The global work queue is reachable from a global, and sleeping is no leak: the GC proves all others.
NOT_PROVABLE = {"main.globalWorker", "main.sleeper"}
PROVEN = set(EXPECTED_COUNTS) - NOT_PROVABLE
