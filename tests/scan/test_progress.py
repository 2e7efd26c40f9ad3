"""The progress bar: on a terminal (stderr a TTY) a long scan shows one; --quiet, CI or a pipe show none."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TESTDATA = REPO / "tests" / "rules" / "testdata"
# Scanned on one worker, the rules' testdata takes seconds; the bar's delay is 0 so it shows on any machine.
SCAN = [sys.executable, "-m", "leaktrail", "scan", str(TESTDATA), "--no-cache", "-j", "1", "--format", "json"]


def _stderr_on_tty(args: list[str], env: dict[str, str]) -> bytes:
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=slave, env=env)
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=300)
    os.close(master)
    return out


@pytest.fixture
def env() -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    return {**kept, "LEAKTRAIL_PROGRESS_DELAY": "0"}


def test_terminal_shows_a_bar_of_files(env: dict[str, str]) -> None:
    out = _stderr_on_tty(SCAN, env)
    assert b"scanning" in out
    assert b"files" in out
    assert b"/" in out  # done/total
    assert b"in flight" in out  # directories being analysed


def test_quiet_and_ci_show_none(env: dict[str, str]) -> None:
    assert b"scanning" not in _stderr_on_tty([*SCAN, "--quiet"], env)
    assert b"scanning" not in _stderr_on_tty(SCAN, {**env, "CI": "true"})


def test_pipe_shows_none(env: dict[str, str]) -> None:
    proc = subprocess.run(SCAN, capture_output=True, env=env, timeout=300, check=False)
    assert proc.returncode in (0, 1)
    assert b"scanning" not in proc.stderr
    assert b"\x1b[" not in proc.stderr


def test_the_bar_appears_after_the_delay_even_if_nothing_completes() -> None:
    """One big package analysed as a whole reports nothing until it is done: a timer shows the bar."""
    from leaktrail.cli.progress import ProgressBar

    with ProgressBar("scanning", unit="files", enabled=True, delay=0.05) as bar:
        bar(0, 10, 1)
        assert bar._progress is None
        deadline = time.monotonic() + 10
        while bar._progress is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert bar._progress is not None
        bar(10, 10, 0)
    assert bar._progress is None


def test_a_run_finished_before_the_delay_shows_no_bar() -> None:
    from leaktrail.cli.progress import ProgressBar

    with ProgressBar("scanning", unit="files", enabled=True, delay=0.1) as bar:
        bar(0, 10, 1)
        bar(10, 10, 0)
    time.sleep(0.2)
    assert bar._progress is None
