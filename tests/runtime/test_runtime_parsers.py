"""The parsers line by line, against what go1.27.3's traceback.go and pprof.go print."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest

from leaktrail.runtime.debug1 import parse_debug1, parse_pprof_labels
from leaktrail.runtime.debug2 import (
    Debug2Stats,
    iter_goroutines,
    parse_debug2,
    parse_file_line,
    parse_header,
    parse_labels,
)
from leaktrail.runtime.group import blocking_operation, group
from leaktrail.runtime.model import Frame
from leaktrail.runtime.waitreasons import STATUSES, WAIT_REASONS

GOROOT_RUNTIME2 = None


def _goroot() -> Path | None:
    import subprocess

    from gotools import go_binary, go_env

    out = subprocess.run(
        [go_binary(), "env", "GOROOT"], capture_output=True, text=True, env=go_env(), check=False
    )
    return Path(out.stdout.strip()) if out.returncode == 0 else None


def test_wait_reason_table_matches_the_runtime_source() -> None:
    goroot = _goroot()
    assert goroot is not None
    src = (goroot / "src/runtime/runtime2.go").read_text()
    table = src[src.index("var waitReasonStrings = [...]string{") :]
    table = table[: table.index("\n}\n")]
    strings = re.findall(r'^\s*waitReason\w+:\s*"(.*)",$', table, re.M)
    assert tuple(s for s in strings if s) == tuple(sorted(WAIT_REASONS, key=strings.index))
    assert set(strings) - {""} == set(WAIT_REASONS)
    tb = (goroot / "src/runtime/traceback.go").read_text()
    statuses = re.findall(r'^\s*_G\w+:\s*"(.*)",$', tb[tb.index("var gStatusStrings") :], re.M)[:10]
    assert set(statuses) <= set(STATUSES)


@pytest.mark.parametrize("reason", WAIT_REASONS)
@pytest.mark.parametrize("leaked", [False, True])
@pytest.mark.parametrize("scan", [False, True])
def test_every_wait_reason_with_every_mark(reason: str, leaked: bool, scan: bool) -> None:
    bracket = reason + (" (leaked)" if leaked else "") + (" (scan)" if scan else "")
    h = parse_header(f"goroutine 42 [{bracket}, 7 minutes]:")
    assert h is not None
    assert (h.id, h.state, h.leaked, h.scan, h.wait_minutes) == (42, reason, leaked, scan, 7)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("goroutine 1 [running]:", {"id": 1, "state": "running"}),
        ("goroutine 9 gp=0xc000007c00 m=nil [GC worker (idle)]:", {"state": "GC worker (idle)"}),
        (
            "goroutine 1 gp=0x2a m=0 mp=0xa50a80 [running, locked to thread]:",
            {"state": "running", "locked_to_thread": True},
        ),
        (
            "goroutine 18 [chan receive (nil chan) (leaked)]:",
            {"state": "chan receive (nil chan)", "leaked": True},
        ),
        ("goroutine 18 [select (no cases)]:", {"state": "select (no cases)", "leaked": False}),
        (
            "goroutine 7 [chan receive (durable), 3 minutes, synctest bubble 2]:",
            {"state": "chan receive (durable)", "durable": False, "wait_minutes": 3, "bubble": 2},
        ),
        (
            "goroutine 7 [sleep (durable), synctest bubble 12]:",
            {"state": "sleep", "durable": True, "bubble": 12},
        ),
        ("goroutine 7 [sync.WaitGroup.Wait (durable)]:", {"state": "sync.WaitGroup.Wait (durable)"}),
        (
            "goroutine 3 [select, 1440 minutes, locked to thread]:",
            {"state": "select", "wait_minutes": 1440, "locked_to_thread": True},
        ),
        (
            'goroutine 79 [chan receive (leaked)] {"tenant id": "a b", worker: ingest}:',
            {"labels": (("tenant id", "a b"), ("worker", "ingest")), "leaked": True},
        ),
        (
            'goroutine 5 [sleep] {"k\\n\\"x\\"": "\\u00e9\\x01", a: b}:',
            {"labels": (("a", "b"), ('k\n"x"', "é\x01"))},
        ),
        ("goroutine 5 [something new in go1.30]:", {"state": "something new in go1.30"}),
        (
            "goroutine 5 [waiting, unexpected part]:",
            {"state": "waiting", "unknown_parts": ("unexpected part",)},
        ),
    ],
)
def test_headers(line: str, expected: dict[str, object]) -> None:
    h = parse_header(line)
    assert h is not None
    for k, v in expected.items():
        assert getattr(h, k) == v, k


@pytest.mark.parametrize(
    "line",
    [
        "goroutine 5 [chan rece",
        "goroutine x [running]:",
        "goroutine 5 running:",
        "goroutine 5 [sleep] {a b}:",
        "goroutine profile: total 5",
        "goroutine 5 [sleep] {a: b",
    ],
)
def test_not_headers(line: str) -> None:
    assert parse_header(line) is None


def test_labels_and_file_lines() -> None:
    assert parse_labels("{}") == ()
    assert parse_labels('{a: "x, y"}') == (("a", "x, y"),)
    assert parse_labels("{a: b,}") is None
    assert parse_pprof_labels('{"tenant id":"a b", "worker":"ingest"}') == (
        ("tenant id", "a b"),
        ("worker", "ingest"),
    )
    assert parse_pprof_labels('{"k":"\\a\\U0001f600"}') == (("k", "\a😀"),)
    assert parse_file_line("\t/home/my user/x.go:12 +0x1f") == ("/home/my user/x.go", 12)
    assert parse_file_line("\t/a/b.go:3 +0x1 fp=0xc sp=0xd pc=0xe") == ("/a/b.go", 3)
    assert parse_file_line("\t/a/b.go:3") == ("/a/b.go", 3)
    assert parse_file_line("\tC:/go/src/x.go:9 +0x2") == ("C:/go/src/x.go", 9)
    assert parse_file_line("\tnot a location") is None


DUMP = """\
some log line before the dump
panic: boom [recovered]
\tpanic: again

goroutine 1 [running]:
panic({0x4b2e60?, 0x4f5c38?})
\t/usr/local/go/src/runtime/panic.go:791 +0x132
main.(*T).run(...)
\t/src/app/main.go:20
main.main()
\t/src/app/main.go:30 +0x1d

goroutine 20 [chan send, 12 minutes]:
main.worker(0xc0000a0000, {0x1, 0x2}, 0x0?)
\t/src/app/worker.go:11 +0x2b
...5 frames elided...
main.loop(...)
\t/src/app/worker.go:40
created by main.start in goroutine 1
\t/src/app/main.go:25 +0x4f
[originating from goroutine 1]:
main.start(...)
\t/src/app/main.go:25 +0x4f
...additional frames elided...

goroutine 21 [chan send, 2 minutes]:
main.worker(0xc0000b0000, {0x3, 0x4}, 0x1?)
\t/src/app/worker.go:11 +0x2b
...7 frames elided...
main.loop(...)
\t/src/app/worker.go:40
created by main.start in goroutine 3
\t/src/app/main.go:25 +0x4f

goroutine 22 [running]:
\tgoroutine running on other thread; stack unavailable
created by main.start in goroutine 1
\t/src/app/main.go:26 +0x4f

goroutine 23 [select]:
main.weird()
\tthis is not a location
main.weird()
\t/src/app/weird.go:1 +0x1
exit status 2
FAIL\texample.com/app\t1.234s
"""


def test_a_whole_dump_with_noise_elision_ancestors_and_oddities() -> None:
    stats = Debug2Stats()
    gs = list(iter_goroutines(DUMP.splitlines(keepends=True), stats))
    assert [g.id for g in gs] == [1, 20, 21, 22, 23]
    main_g = gs[0]
    assert [f.function for f in main_g.frames] == ["runtime.gopanic", "main.(*T).run", "main.main"]
    assert main_g.frames[1].inlined and not main_g.frames[2].inlined
    w = gs[1]
    assert w.state == "chan send" and w.wait_minutes == 12 and w.frames_elided
    assert w.created_by == Frame("main.start", "/src/app/main.go", 25) and w.parent_id == 1
    assert [f.function for f in w.frames] == ["main.worker", "main.loop"]  # ancestors not mixed in
    assert gs[3].frames == () and gs[3].created_by is not None
    assert stats.unrecognised == 1 and "this is not a location" in stats.unrecognised_examples[0]
    assert stats.skipped_lines == 5  # 3 before, "exit status 2" and "FAIL…" after
    assert not stats.truncated
    snap = parse_debug2(DUMP.splitlines(keepends=True), "dump")
    assert snap.unrecognised_lines == 1
    assert any("1 unrecognised line" in w for w in snap.warnings)
    workers = [g for g in group(snap) if g.first_user_frame and g.first_user_frame.function == "main.worker"]
    assert len(workers) == 1  # argument values and elided counts do not split a group
    assert workers[0].count == 2 and workers[0].wait is not None
    assert (workers[0].wait.min, workers[0].wait.max) == (2, 12)
    assert workers[0].parent_ids == (1, 3)


def test_truncation_mid_frame_and_mid_line() -> None:
    text = "goroutine 1 [running]:\nmain.main()\n\t/a.go:1 +0x1\n\ngoroutine 2 [sleep]:\ntime.Sleep(0x1)\n"
    stats = Debug2Stats()
    gs = list(iter_goroutines(text.splitlines(keepends=True), stats))
    assert [g.id for g in gs] == [1] and stats.truncated and stats.cut_goroutine == 2
    stats = Debug2Stats()
    gs = list(
        iter_goroutines(
            ["goroutine 1 [running]:\n", "main.main()\n", "\t/a.go:1 +0x1\n", "\n", "goroutine 2 [sl"], stats
        )
    )
    assert [g.id for g in gs] == [1] and stats.truncated
    # Ending after a complete frame line is a complete dump (runtime.Stack output has no trailing blank).
    stats = Debug2Stats()
    gs = list(iter_goroutines(["goroutine 1 [running]:\n", "main.main()\n", "\t/a.go:1 +0x1\n"], stats))
    assert [g.id for g in gs] == [1] and not stats.truncated


def test_debug1_parser_details() -> None:
    text = (
        "goroutineleak profile: total 5\n"
        "3 @ 0x1 0x2 0x3\n"
        '# labels: {"a":"b"}\n'
        "#\t0x2\tmain.f+0x10\t\t/src/a.go:5\n"
        "#\t0x3\n"
        "\n"
        "2 @ 0x4\n"
        "#\t0x4\tmain.g+0x1\t/src/my dir/b.go:7\n"
        "\n"
    )
    snap = parse_debug1(text.splitlines(keepends=True), "p")
    assert snap.profile == "goroutineleak" and snap.total == 5 and snap.declared_total == 5
    assert all(s.leaked for s in snap.stacks)
    first = snap.stacks[0]
    assert first.labels == (("a", "b"),) and first.frames[0] == Frame("main.f", "/src/a.go", 5)
    assert first.frames[1].function == "0x3"
    assert snap.stacks[1].frames == (Frame("main.g", "/src/my dir/b.go", 7),)
    cut = parse_debug1(text.splitlines(keepends=True)[:4], "p")
    assert cut.truncated and cut.total == 3
    assert "read 3 of the 5 goroutines" in cut.warnings[0]
    # Cut in the middle of a line: that record's stack is incomplete and is not counted.
    mid = parse_debug1([*text.splitlines(keepends=True)[:3], "#\t0x2\tmain.f+0x10\t\t/src/a"], "p")
    assert mid.truncated and mid.total == 0


@pytest.mark.parametrize(
    ("functions", "state", "expected"),
    [
        (["runtime.gopark", "runtime.chanrecv", "runtime.chanrecv2", "main.f"], None, "chan receive"),
        (["runtime.gopark", "runtime.selectgo", "main.f"], None, "select"),
        (["runtime.gopark", "runtime.block", "main.f"], None, "select (no cases)"),
        (
            [
                "internal/sync.runtime_SemacquireMutex",
                "internal/sync.(*Mutex).lockSlow",
                "internal/sync.(*Mutex).Lock",
                "sync.(*Mutex).Lock",
                "sync.(*RWMutex).Lock",
                "main.f",
            ],
            "sync.Mutex.Lock",
            "sync.RWMutex.Lock",
        ),
        (["internal/sync.runtime_SemacquireMutex", "sync.(*Mutex).Lock", "main.f"], None, "sync.Mutex.Lock"),
        (["sync.runtime_SemacquireRWMutexR", "sync.(*RWMutex).RLock", "main.f"], None, "sync.RWMutex.RLock"),
        (
            ["sync.runtime_SemacquireWaitGroup", "sync.(*WaitGroup).Wait", "main.f"],
            "semacquire",
            "sync.WaitGroup.Wait",
        ),
        (["main.f"], "chan receive (nil chan)", "chan receive (nil chan)"),
        (["internal/poll.runtime_pollWait", "net.(*conn).Read"], None, "IO wait"),
        (["main.f"], "running", None),
        (["main.f"], None, None),
    ],
)
def test_blocking_operation(functions: list[str], state: str | None, expected: str | None) -> None:
    frames = [Frame(f, "/x.go", 1) for f in functions]
    assert blocking_operation(frames, state) == expected


def test_frame_packages() -> None:
    assert Frame("example.com/a/b.(*T).M", "/src/b.go", 1).package == "example.com/a/b"
    assert Frame("internal/sync.(*Mutex).Lock", "/go/src/internal/sync/mutex.go", 1).is_stdlib
    assert Frame("sync.runtime_notifyListWait", "/go/src/runtime/sema.go", 1).is_stdlib
    assert Frame("runtime.gopark", "/go/src/runtime/proc.go", 1).is_runtime
    assert Frame("internal/runtime/maps.f", "/go/src/internal/runtime/maps/x.go", 1).is_runtime
    assert Frame("myservice/db.Query", "/home/me/myservice/db/q.go", 1).is_user
    assert Frame("main.main", "/go/src/app/main.go", 1).is_user


@pytest.mark.parametrize("name", ["goroutine.debug2.txt", "goroutine.debug1.txt", "goroutine.debug0.pb.gz"])
def test_every_truncation_is_an_error_or_a_partial_read(name: str) -> None:
    """Cut a real dump at many offsets: never an unexpected exception, never more than the whole."""
    import io

    from leaktrail.runtime import InputError, read_snapshot

    data = (Path(__file__).parent / "fixtures" / name).read_bytes()
    whole = read_snapshot(io.BytesIO(data), name).total
    for cut in range(0, len(data), max(1, len(data) // 150)):
        try:
            snap = read_snapshot(io.BytesIO(data[:cut]), name)
        except InputError as exc:
            assert str(exc) and "\n" not in str(exc)
            continue
        assert snap.total <= whole
        if snap.total < whole and not snap.truncated:
            # Only a cut exactly between two goroutines looks like a complete (smaller) dump.
            assert data[cut:].lstrip(b"\n").startswith(b"goroutine "), cut
        if snap.truncated:
            assert snap.warnings


def test_corrupted_bytes_never_crash() -> None:
    import io
    import random

    from leaktrail.runtime import InputError, read_snapshot

    rng = random.Random(4)
    for name in ("goroutine.debug2.txt", "goroutine.debug1.txt", "goroutine.debug0.pb.gz"):
        data = bytearray((Path(__file__).parent / "fixtures" / name).read_bytes())
        for _ in range(60):
            mutated = bytearray(data)
            for _ in range(rng.randint(1, 20)):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
            with contextlib.suppress(InputError):
                read_snapshot(io.BytesIO(bytes(mutated)), name)
