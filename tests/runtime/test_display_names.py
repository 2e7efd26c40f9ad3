"""A group is named by its first frame in user code everywhere: text, JSON, HTML chart and table.

Dumps of -trimpath builds print standard-library files relative to GOROOT/src (`runtime/sema.go`), which
must not make `sync.runtime_SemacquireWaitGroup` look like user code."""

from __future__ import annotations

import json

import pytest

from leaktrail.report import inspect as report
from leaktrail.report.html import render_inspections
from leaktrail.runtime import inspect
from leaktrail.runtime.model import Form, Frame, Snapshot, Stack

TRIMPATH_WG = (
    Frame("runtime.gopark", "runtime/proc.go", 460),
    Frame("runtime.goparkunlock", "runtime/proc.go", 466),
    Frame("runtime.semacquire1", "runtime/sema.go", 178),
    Frame("sync.runtime_SemacquireWaitGroup", "runtime/sema.go", 114),
    Frame("sync.(*WaitGroup).Wait", "sync/waitgroup.go", 118),
    Frame("main.waitBatch", "example.com/batcher/main.go", 31),
    Frame("main.main", "example.com/batcher/main.go", 12),
)
TRIMPATH_MUTEX = (
    Frame("runtime.gopark", "runtime/proc.go", 460),
    Frame("internal/sync.runtime_SemacquireMutex", "runtime/sema.go", 95),
    Frame("internal/sync.(*Mutex).lockSlow", "internal/sync/mutex.go", 149),
    Frame("sync.(*Mutex).Lock", "sync/mutex.go", 46),
    Frame("main.lockedOut", "batcher/main.go", 40),
)


def _snapshot() -> Snapshot:
    stacks = (
        Stack(TRIMPATH_WG, 150, state="sync.WaitGroup.Wait"),
        Stack(TRIMPATH_MUTEX, 120, state="sync.Mutex.Lock"),
    )
    return Snapshot("trimpath.txt", Form.DEBUG2, "goroutine", 270, stacks)


@pytest.mark.parametrize(
    ("frame", "user"),
    [
        (Frame("sync.runtime_SemacquireWaitGroup", "runtime/sema.go", 1), False),
        (Frame("internal/sync.runtime_SemacquireMutex", "runtime/sema.go", 1), False),
        (Frame("sync.(*WaitGroup).Wait", "/usr/local/go/src/sync/waitgroup.go", 1), False),
        (Frame("net/http.(*conn).serve", "net/http/server.go", 1), False),
        (Frame("main.waitBatch", "example.com/batcher/main.go", 1), True),
        (Frame("myservice/db.(*Pool).Get", "myservice/db/pool.go", 1), True),
        (Frame("myservice/db.(*Pool).Get", "/home/ci/myservice/db/pool.go", 1), True),
    ],
)
def test_user_frames(frame: Frame, user: bool) -> None:
    assert frame.is_user is user


def test_named_by_first_user_frame_in_text_and_json() -> None:
    ins = inspect(_snapshot())
    names = {v.group.display_name for v in ins.verdicts}
    assert names == {"main.waitBatch", "main.lockedOut"}
    text = report.render_text([ins])
    assert "sync.WaitGroup.Wait  in main.waitBatch" in text
    assert "sync.Mutex.Lock  in main.lockedOut" in text
    doc = json.loads(report.render_json([ins]))
    groups = doc["groups"] if isinstance(doc, dict) else doc[0]["groups"]
    assert sorted(g["function"] for g in groups) == ["main.lockedOut", "main.waitBatch"]
    assert all(g["first_user_frame"]["function"] == g["function"] for g in groups)


def test_html_names_groups_and_drops_the_target_column_for_one_target() -> None:
    ins = inspect(_snapshot())
    html = render_inspections([ins])
    table = html[html.index('<table class="sortable groups"') :]
    table = table[: table.index("</table>")]
    assert '<button type="button">target</button>' not in table
    assert "trimpath.txt" not in table
    assert "main.waitBatch" in table and "main.lockedOut" in table
    chart = html[html.index('class="bar-chart"') :]
    assert "main.waitBatch" in chart[: chart.index("</svg>")]
    assert "sync.runtime_Semacquire" not in table


def test_html_keeps_the_target_column_for_several_targets() -> None:
    one, two = inspect(_snapshot()), inspect(_snapshot())
    two = type(two)(type(two.snapshot)(**{**_fields(two.snapshot), "source": "other.txt"}), two.verdicts)
    html = render_inspections([one, two])
    table = html[html.index('<table class="sortable groups"') :]
    assert '<button type="button">target</button>' in table[: table.index("</table>")]


def _fields(s: Snapshot) -> dict[str, object]:
    return {name: getattr(s, name) for name in s.__dataclass_fields__}
