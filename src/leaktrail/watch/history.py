"""The watch history: SQLite in WAL mode, one transaction per sample.

WAL lets `leaktrail report` read while `watch` writes, and a commit per sample means a SIGKILL loses at
most the sample in flight (synchronous=NORMAL is durable against a process crash; only a power cut can
roll back the last commits). One connection per process; `watch` writes from its main thread only.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leaktrail.runtime.model import Frame, Group
from leaktrail.watch.trend import TrendParams

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id       INTEGER PRIMARY KEY,
    started  REAL NOT NULL,          -- unix seconds
    ended    REAL,                   -- NULL while running, or when the run was killed
    settings TEXT NOT NULL           -- JSON: interval, trend parameters, targets, leaktrail version
);
CREATE TABLE IF NOT EXISTS targets (
    id  INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS samples (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs(id),
    target_id   INTEGER NOT NULL REFERENCES targets(id),
    ts          REAL NOT NULL,       -- unix seconds when the fetch started
    profile     TEXT NOT NULL,       -- goroutine | goroutineleak
    form        TEXT,                -- debug=0 | debug=1 | debug=2; NULL on error
    total       INTEGER,             -- goroutines read; NULL on error
    error       TEXT,                -- one line; NULL when the sample is good
    duration_ms REAL NOT NULL,       -- fetch + parse
    bytes       INTEGER              -- response size
);
CREATE INDEX IF NOT EXISTS samples_target_ts ON samples(target_id, ts);
CREATE TABLE IF NOT EXISTS stack_groups (
    target_id  INTEGER NOT NULL REFERENCES targets(id),
    key        TEXT NOT NULL,        -- runtime group key (stable across debug=0/1/2)
    function   TEXT,                 -- first user frame, or the top frame
    blocking   TEXT,                 -- blocking operation in the runtime's words
    frames     TEXT NOT NULL,        -- JSON [[function, file, line], ...], leaf first
    created_by TEXT,                 -- JSON [function, file, line] or NULL
    labels     TEXT NOT NULL,        -- JSON [[{k: v}, count], ...] when first seen
    first_seen REAL NOT NULL,
    PRIMARY KEY (target_id, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS group_counts (
    sample_id      INTEGER NOT NULL REFERENCES samples(id),
    key            TEXT NOT NULL,
    count          INTEGER NOT NULL,
    leaked         INTEGER NOT NULL, -- goroutines proven leaked (goroutineleak samples, (leaked) marks)
    classification TEXT NOT NULL,    -- leaked | suspect | blocked | running | benign
    PRIMARY KEY (sample_id, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS alerts (
    id        INTEGER PRIMARY KEY,
    run_id    INTEGER NOT NULL REFERENCES runs(id),
    target_id INTEGER NOT NULL REFERENCES targets(id),
    key       TEXT NOT NULL,
    ts        REAL NOT NULL,
    kind      TEXT NOT NULL,         -- growing | leaked | cleared
    count     INTEGER NOT NULL,
    per_min   REAL,                  -- Theil–Sen slope, goroutines per minute
    z         REAL,                  -- Mann–Kendall Z
    p         REAL,
    message   TEXT NOT NULL,
    findings  TEXT NOT NULL          -- JSON list of linked static findings (empty without --source)
);
"""


class HistoryError(Exception):
    """The database cannot be opened or is not a leaktrail history."""


def default_db_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("leaktrail")) / "history.db"


def frames_json(frames: Iterable[Frame]) -> str:
    return json.dumps([[f.function, f.file, f.line] for f in frames])


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=10, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def open_for_writing(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = _connect(path)
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise HistoryError(f"{path}: cannot switch to WAL mode (journal_mode={mode})")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.executescript(SCHEMA)
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif row[0] != str(SCHEMA_VERSION):
            raise HistoryError(
                f"{path}: history schema version {row[0]}, this leaktrail reads {SCHEMA_VERSION}"
            )
    except sqlite3.DatabaseError as exc:
        raise HistoryError(f"{path}: {exc}") from None
    return conn


def open_for_reading(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise HistoryError(f"{path}: no such history database")
    try:
        # Not mode=ro: a reader may have to replay the WAL of a killed writer, which needs the -shm file.
        conn = _connect(path)
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise HistoryError(f"{path}: not a leaktrail history database ({exc})") from None
    if row is None or row[0] != str(SCHEMA_VERSION):
        raise HistoryError(f"{path}: not a leaktrail history database of schema {SCHEMA_VERSION}")
    return conn


@dataclass(frozen=True, slots=True)
class GroupSample:
    group: Group
    classification: str
    leaked: int


class History:
    """Writer side: one run, many targets, one commit per sample."""

    def __init__(self, conn: sqlite3.Connection, settings: dict[str, Any]) -> None:
        self.conn = conn
        self._target_ids: dict[str, int] = {}
        self._known: dict[int, set[str]] = {}
        cur = conn.execute(
            "INSERT INTO runs (started, settings) VALUES (?, ?)", (time.time(), json.dumps(settings))
        )
        assert cur.lastrowid is not None
        self.run_id = cur.lastrowid

    def target_id(self, url: str) -> int:
        tid = self._target_ids.get(url)
        if tid is None:
            with _transaction(self.conn):
                self.conn.execute("INSERT OR IGNORE INTO targets (url) VALUES (?)", (url,))
                tid = int(self.conn.execute("SELECT id FROM targets WHERE url = ?", (url,)).fetchone()[0])
            self._target_ids[url] = tid
            self._known[tid] = {
                r[0] for r in self.conn.execute("SELECT key FROM stack_groups WHERE target_id = ?", (tid,))
            }
        return tid

    def add_sample(
        self,
        url: str,
        *,
        ts: float,
        profile: str,
        form: str | None,
        total: int | None,
        error: str | None,
        duration_ms: float,
        nbytes: int | None,
        groups: Sequence[GroupSample] = (),
    ) -> int:
        tid = self.target_id(url)
        known = self._known[tid]
        with _transaction(self.conn):
            cur = self.conn.execute(
                "INSERT INTO samples (run_id, target_id, ts, profile, form, total, error, duration_ms, bytes)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (self.run_id, tid, ts, profile, form, total, error, duration_ms, nbytes),
            )
            assert cur.lastrowid is not None
            sample_id = cur.lastrowid
            for gs in groups:
                g = gs.group
                if g.key not in known:
                    top = g.display_frame
                    cb = g.created_by
                    self.conn.execute(
                        "INSERT OR IGNORE INTO stack_groups VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            tid,
                            g.key,
                            top.function if top else None,
                            g.blocking,
                            frames_json(g.frames),
                            json.dumps([cb.function, cb.file, cb.line]) if cb else None,
                            json.dumps([[dict(ls), n] for ls, n in g.labels[:20]]),
                            ts,
                        ),
                    )
            self.conn.executemany(
                "INSERT INTO group_counts VALUES (?, ?, ?, ?, ?)",
                [(sample_id, gs.group.key, gs.group.count, gs.leaked, gs.classification) for gs in groups],
            )
        known.update(gs.group.key for gs in groups)
        return sample_id

    def add_alert(
        self,
        url: str,
        key: str,
        *,
        ts: float,
        kind: str,
        count: int,
        per_min: float | None,
        z: float | None,
        p: float | None,
        message: str,
        findings: Sequence[dict[str, Any]] = (),
    ) -> None:
        tid = self.target_id(url)
        with _transaction(self.conn):
            self.conn.execute(
                "INSERT INTO alerts (run_id, target_id, key, ts, kind, count, per_min, z, p, message,"
                " findings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (self.run_id, tid, key, ts, kind, count, per_min, z, p, message, json.dumps(list(findings))),
            )

    def close(self) -> None:
        try:
            with _transaction(self.conn):
                self.conn.execute("UPDATE runs SET ended = ? WHERE id = ?", (time.time(), self.run_id))
        finally:
            self.conn.close()


class _transaction:
    """BEGIN IMMEDIATE … COMMIT (or ROLLBACK): the connection runs in autocommit mode otherwise.
    SQLite errors (disk full, a lock held past busy_timeout) leave as HistoryError."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise HistoryError(f"cannot write the history: {exc}") from None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        try:
            self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")
        except sqlite3.Error as err:
            raise HistoryError(f"cannot write the history: {err}") from None
        if isinstance(exc, sqlite3.Error):
            raise HistoryError(f"cannot write the history: {exc}") from None


# -- reading -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SampleRow:
    id: int
    ts: float
    profile: str
    form: str | None
    total: int | None
    error: str | None
    duration_ms: float


@dataclass(frozen=True, slots=True)
class GroupInfo:
    key: str
    function: str | None
    blocking: str | None
    frames: tuple[Frame, ...]
    created_by: Frame | None
    labels: tuple[tuple[tuple[tuple[str, str], ...], int], ...]
    first_seen: float


@dataclass(frozen=True, slots=True)
class AlertRow:
    key: str
    ts: float
    kind: str
    count: int
    per_min: float | None
    z: float | None
    p: float | None
    message: str
    findings: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class TargetHistory:
    url: str
    samples: tuple[SampleRow, ...]
    """Goroutine-profile samples, oldest first, errors included."""
    leak_samples: tuple[SampleRow, ...]
    groups: dict[str, GroupInfo]
    counts: dict[str, dict[int, tuple[int, int, str]]]
    """key -> sample id -> (count, leaked, classification)."""
    alerts: tuple[AlertRow, ...]

    def series(self, key: str) -> tuple[list[float], list[int]]:
        """(times, counts) over the good samples; 0 where the group was absent."""
        per = self.counts.get(key, {})
        times: list[float] = []
        values: list[int] = []
        for s in self.samples:
            if s.error is None:
                times.append(s.ts)
                values.append(per.get(s.id, (0, 0, ""))[0])
        return times, values


def _frame(item: Sequence[Any] | None) -> Frame | None:
    if item is None:
        return None
    return Frame(str(item[0]), str(item[1]), int(item[2]))


def read_history(conn: sqlite3.Connection, *, since: float | None = None) -> list[TargetHistory]:
    """Everything the report needs, per target, in one consistent read transaction."""
    out: list[TargetHistory] = []
    conn.execute("BEGIN")
    try:
        for t in conn.execute("SELECT id, url FROM targets ORDER BY id").fetchall():
            tid = int(t["id"])
            rows = conn.execute(
                "SELECT id, ts, profile, form, total, error, duration_ms FROM samples"
                " WHERE target_id = ? AND ts >= ? ORDER BY ts, id",
                (tid, since or 0.0),
            ).fetchall()
            all_samples = [
                SampleRow(r["id"], r["ts"], r["profile"], r["form"], r["total"], r["error"], r["duration_ms"])
                for r in rows
            ]
            if not all_samples:
                continue
            first_id = min(s.id for s in all_samples)
            counts: dict[str, dict[int, tuple[int, int, str]]] = {}
            for r in conn.execute(
                "SELECT c.sample_id, c.key, c.count, c.leaked, c.classification FROM group_counts c"
                " JOIN samples s ON s.id = c.sample_id WHERE s.target_id = ? AND c.sample_id >= ?",
                (tid, first_id),
            ):
                counts.setdefault(r[1], {})[int(r[0])] = (int(r[2]), int(r[3]), str(r[4]))
            groups: dict[str, GroupInfo] = {}
            for r in conn.execute("SELECT * FROM stack_groups WHERE target_id = ?", (tid,)):
                if r["key"] not in counts:
                    continue
                labels = tuple(
                    (tuple(sorted((str(k), str(v)) for k, v in d.items())), int(n))
                    for d, n in json.loads(r["labels"])
                )
                groups[r["key"]] = GroupInfo(
                    key=r["key"],
                    function=r["function"],
                    blocking=r["blocking"],
                    frames=tuple(f for f in (_frame(x) for x in json.loads(r["frames"])) if f is not None),
                    created_by=_frame(json.loads(r["created_by"])) if r["created_by"] else None,
                    labels=labels,
                    first_seen=r["first_seen"],
                )
            alerts = tuple(
                AlertRow(
                    r["key"],
                    r["ts"],
                    r["kind"],
                    r["count"],
                    r["per_min"],
                    r["z"],
                    r["p"],
                    r["message"],
                    tuple(json.loads(r["findings"])),
                )
                for r in conn.execute(
                    "SELECT * FROM alerts WHERE target_id = ? AND ts >= ? ORDER BY ts, id",
                    (tid, since or 0.0),
                )
            )
            out.append(
                TargetHistory(
                    url=t["url"],
                    samples=tuple(s for s in all_samples if s.profile == "goroutine"),
                    leak_samples=tuple(s for s in all_samples if s.profile != "goroutine"),
                    groups=groups,
                    counts=counts,
                    alerts=alerts,
                )
            )
    finally:
        conn.execute("COMMIT")
    return out


def iter_sample_counts(conn: sqlite3.Connection) -> Iterator[tuple[str, int]]:
    """(target URL, number of samples) — for tests and `report`'s summary."""
    for r in conn.execute(
        "SELECT t.url, COUNT(s.id) FROM targets t LEFT JOIN samples s ON s.target_id = t.id GROUP BY t.id"
    ):
        yield str(r[0]), int(r[1])


def load_for_report(
    path: Path, *, since: float | None = None
) -> tuple[list[TargetHistory], TrendParams, str | None]:
    """The histories, the trend parameters and the --source the last watch run recorded (defaults when it
    recorded none): what `report` needs from a database, errors included as HistoryError."""
    import contextlib

    try:
        conn = open_for_reading(path)
        try:
            histories = read_history(conn, since=since)
            row = conn.execute("SELECT settings FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        finally:
            conn.close()
    except HistoryError:
        raise
    except Exception as exc:  # sqlite3 errors of a damaged file
        raise HistoryError(f"{path}: cannot read history: {exc}") from None
    params = TrendParams()
    settings: dict[str, Any] = json.loads(row[0]) if row is not None else {}
    with contextlib.suppress(TypeError, ValueError):
        params = TrendParams(**settings.get("trend", {}))
    source = settings.get("source")
    return histories, params, str(source) if source else None
