"""The SQLite history: schema, WAL, readers beside a writer, and what a SIGKILL costs."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from watchtools import LEAKTRAIL, FakeServer

from leaktrail.runtime.model import Frame, Group
from leaktrail.watch.history import (
    GroupSample,
    History,
    HistoryError,
    open_for_reading,
    open_for_writing,
    read_history,
)


def make_group(key: str, count: int, fn: str = "main.worker") -> Group:
    frame = Frame(fn, "/src/svc/worker.go", 12)
    return Group(
        key=key,
        by="stack",
        signature=((fn, frame.file, frame.line),),
        count=count,
        leaked=0,
        states=(),
        blocking="chan send",
        frames=(Frame("runtime.gopark", "/go/src/runtime/proc.go", 1), frame),
        created_by=Frame("main.main", "/src/svc/main.go", 3),
        labels=(((("<k>", '"v"'),), count),),
        wait=None,
        ids=(),
        parent_ids=(),
        stacks=1,
    )


def test_round_trip(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "h.db"
    h = History(open_for_writing(db), {"interval": 1})
    for i in range(5):
        h.add_sample(
            "http://a",
            ts=100.0 + i,
            profile="goroutine",
            form="debug=1",
            total=10 + i,
            error=None,
            duration_ms=3.0,
            nbytes=100,
            groups=[GroupSample(make_group("k1", 10 + i), "blocked", 0)],
        )
    h.add_sample(
        "http://b",
        ts=101.0,
        profile="goroutine",
        form=None,
        total=None,
        error="down",
        duration_ms=1,
        nbytes=None,
    )
    h.add_alert(
        "http://a", "k1", ts=104.0, kind="growing", count=14, per_min=60.0, z=3.0, p=0.001, message="m"
    )
    h.close()
    conn = open_for_reading(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    hist = {t.url: t for t in read_history(conn)}
    a = hist["http://a"]
    assert [s.total for s in a.samples] == [10, 11, 12, 13, 14]
    assert a.series("k1") == ([100.0, 101.0, 102.0, 103.0, 104.0], [10, 11, 12, 13, 14])
    info = a.groups["k1"]
    assert info.function == "main.worker" and info.blocking == "chan send"
    assert info.frames[-1] == Frame("main.worker", "/src/svc/worker.go", 12)
    assert info.labels == (((("<k>", '"v"'),), 10),)  # as first seen
    assert a.alerts[0].kind == "growing" and a.alerts[0].per_min == 60.0
    assert hist["http://b"].samples[0].error == "down"
    assert conn.execute("SELECT ended FROM runs").fetchone()[0] is not None
    assert [r.url for r in read_history(conn, since=104.5)] == []


def test_reader_sees_each_commit_while_the_writer_is_open(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    h = History(open_for_writing(db), {})
    reader = open_for_reading(db)
    for i in range(3):
        h.add_sample(
            "http://a",
            ts=float(i),
            profile="goroutine",
            form="debug=0",
            total=i,
            error=None,
            duration_ms=1,
            nbytes=1,
            groups=[GroupSample(make_group("k", i + 1), "blocked", 0)],
        )
        assert reader.execute("SELECT COUNT(*) FROM samples").fetchone()[0] == i + 1
    # A reader holding a snapshot does not block the writer.
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM samples").fetchone()
    h.add_sample(
        "http://a", ts=9.0, profile="goroutine", form="debug=0", total=1, error=None, duration_ms=1, nbytes=1
    )
    reader.execute("COMMIT")
    assert reader.execute("SELECT COUNT(*) FROM samples").fetchone()[0] == 4
    h.close()


def test_bad_databases(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="no such history"):
        open_for_reading(tmp_path / "missing.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(HistoryError):
        open_for_reading(junk)
    with pytest.raises(HistoryError):
        open_for_writing(junk)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(HistoryError, match="not a leaktrail history"):
        open_for_reading(other)


def test_sigkill_loses_at_most_the_sample_in_flight(tmp_path: Path, fake: FakeServer) -> None:
    db = tmp_path / "h.db"
    proc = subprocess.Popen(
        [
            *LEAKTRAIL,
            "watch",
            fake.url + "/grow",
            "--interval",
            "0.05s",
            "--db",
            str(db),
            "--no-live",
            "--leak-interval",
            "off",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if db.exists():
                try:
                    n = sqlite3.connect(db).execute("SELECT COUNT(*) FROM samples").fetchone()[0]
                except sqlite3.Error:
                    n = 0
                if n >= 15:
                    break
            time.sleep(0.05)
        else:
            pytest.fail("watch wrote no samples")
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    served = fake.served["grow"]
    conn = open_for_reading(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = conn.execute("SELECT COUNT(*) FROM samples WHERE error IS NULL").fetchone()[0]
    assert served - 1 <= stored <= served, (served, stored)
    # Every stored sample is whole: its groups are there too.
    assert (
        conn.execute(
            "SELECT COUNT(*) FROM samples s"
            " WHERE NOT EXISTS (SELECT 1 FROM group_counts c WHERE c.sample_id = s.id)"
        ).fetchone()[0]
        == 0
    )
    assert conn.execute("SELECT ended FROM runs").fetchone()[0] is None
    out = tmp_path / "r.html"
    rep = subprocess.run(
        [*LEAKTRAIL, "report", "--db", str(db), "-o", str(out)], capture_output=True, text=True, timeout=60
    )
    assert rep.returncode == 0, rep.stderr
    assert "Groups flagged as growing (1)" in out.read_text()


def test_sigterm_ends_the_run_cleanly(tmp_path: Path, fake: FakeServer) -> None:
    db = tmp_path / "h.db"
    proc = subprocess.Popen(
        [*LEAKTRAIL, "watch", fake.url + "/flat", "--interval", "0.05s", "--db", str(db), "--no-live"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while fake.served.get("flat", 0) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    conn = open_for_reading(db)
    assert conn.execute("SELECT ended FROM runs").fetchone()[0] is not None
    assert f"{fake.url}/flat" in out
