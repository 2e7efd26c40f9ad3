"""Runtime evidence: read goroutine dumps and profiles, group them, and say which groups leak.

The API the CLI, a later `watch` command and the static-finding linker share:
`load_snapshot(source) -> Snapshot`, `group(snapshot, by) -> list[Group]`,
`classify(groups, thresholds) -> list[Verdict]`, `inspect(snapshot, by, thresholds) -> Inspection`,
`diff(before, after) -> SnapshotDiff`.
"""

from leaktrail.runtime.classify import classify, classify_group, inspect
from leaktrail.runtime.detect import InputError, load_snapshot, read_snapshot
from leaktrail.runtime.diff import GroupChange, SnapshotDiff, diff
from leaktrail.runtime.group import blocking_operation, group, stack_signature
from leaktrail.runtime.model import (
    Classification,
    Form,
    Frame,
    Goroutine,
    Group,
    Inspection,
    Snapshot,
    Stack,
    Thresholds,
    Verdict,
    WaitStats,
)

__all__ = [
    "Classification",
    "Form",
    "Frame",
    "Goroutine",
    "Group",
    "GroupChange",
    "InputError",
    "Inspection",
    "Snapshot",
    "SnapshotDiff",
    "Stack",
    "Thresholds",
    "Verdict",
    "WaitStats",
    "blocking_operation",
    "classify",
    "classify_group",
    "diff",
    "group",
    "inspect",
    "load_snapshot",
    "read_snapshot",
    "stack_signature",
]
