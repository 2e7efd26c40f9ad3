"""GL022, GL023 and GL019 proven on the runtime side: a real Go program deadlocks in each pattern, and
`leaktrail inspect --source` explains the stuck goroutines with the static findings — including the
ones the runtime's leak profile cannot prove (a mutex and channel reachable from globals)."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gotools import go_env, run_go

PROGRAM = Path(__file__).resolve().parent / "mixedleaks"
N = 20


def line_of(snippet: str) -> int:
    lines = (PROGRAM / "main.go").read_text().splitlines()
    hits = [i for i, text in enumerate(lines, start=1) if snippet in text]
    assert len(hits) == 1, (snippet, hits)
    return hits[0]


def leaktrail(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leaktrail", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=dict(os.environ, NO_COLOR="1"),
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = tmp_path_factory.mktemp("mixed") / "mixedleaks"
    built = run_go(["build", "-o", str(binary), "."], cwd=PROGRAM)
    assert built.returncode == 0, built.stderr
    proc = subprocess.Popen(
        [str(binary), "-n", str(N)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=go_env()
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        line = proc.stdout.readline().decode() if ready else ""
        assert line.startswith("listening on "), line
        yield "http://" + line.split()[-1]
    finally:
        proc.kill()
        proc.wait(timeout=10)


def test_static_findings_on_the_program() -> None:
    out = leaktrail("scan", "--no-cache", "--format", "json", "--select", "GL019,GL022,GL023", str(PROGRAM))
    found = {(f["rule"], f["line"]) for f in json.loads(out.stdout)["findings"]}
    assert ("GL022", line_of("h.events <- e")) in found
    assert ("GL022", line_of("<-regDone")) in found
    assert ("GL023", line_of("g.opened.Wait()")) in found
    assert ("GL019", line_of("total += t.get(k)")) in found


def test_inspect_explains_the_deadlocked_groups(server: str) -> None:
    out = leaktrail(
        "inspect", server, "--leak-profile", "--source", str(PROGRAM), "--format", "json", "--min-count", "10"
    )
    assert out.returncode == 1, out.stderr  # leaked and suspect groups exist
    doc = json.loads(out.stdout)
    groups = doc["groups"] if isinstance(doc, dict) else doc[0]["groups"]

    def group(function: str, state: str) -> dict[str, object]:
        hits = [
            g for g in groups if g["state"] == state and any(f["function"] == function for f in g["frames"])
        ]
        assert len(hits) == 1, (function, state, [(g["state"], g["frames"][0]["function"]) for g in groups])
        return hits[0]

    def rules(g: dict[str, object]) -> set[tuple[str, int]]:
        findings = g.get("findings") or []
        assert isinstance(findings, list)
        return {(f["rule"], f["line"]) for f in findings}

    # GL022 on local objects: the runtime proves the leak.
    sender = group("main.(*hub).publish", "chan send")
    assert sender["count"] == 1 and sender["classification"] == "leaked"
    assert ("GL022", line_of("h.events <- e")) in rules(sender)
    queued = group("main.(*hub).publish", "sync.Mutex.Lock")
    assert queued["count"] == N - 1 and queued["classification"] == "leaked"
    assert ("GL022", line_of("h.events <- e")) in rules(queued)

    # GL022 on globals: the leak profile cannot prove these; they are suspects explained statically.
    waiters = group("main.waitRegistered", "sync.Mutex.Lock")
    assert waiters["count"] == N - 1
    assert waiters["classification"] == "suspect" and not waiters["leaked"]
    assert ("GL022", line_of("<-regDone")) in rules(waiters)
    registrars = group("main.register", "sync.Mutex.Lock")
    assert registrars["count"] == N and registrars["classification"] == "suspect"

    # GL023: a Cond nobody signals.
    gate = group("main.(*gate).wait", "sync.Cond.Wait")
    assert gate["count"] == N and gate["classification"] == "leaked"
    assert ("GL023", line_of("g.opened.Wait()")) in rules(gate)

    # GL019: the recursive read lock, with a writer queued between the two RLocks.
    readers = group("main.(*table).get", "sync.RWMutex.RLock")
    assert readers["count"] == N and readers["classification"] == "leaked"
    assert ("GL019", line_of("total += t.get(k)")) in rules(readers)
    writers = group("main.(*table).set", "sync.RWMutex.Lock")
    assert writers["count"] == N and writers["classification"] == "leaked"
