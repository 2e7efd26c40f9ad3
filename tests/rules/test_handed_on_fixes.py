"""A suggested fix must not break the program (issue 11, mechanism 14): when the cancel function (GL002) or
the response (GL017) is handed on to an owner that outlives the function, a deferred cancel/Close would cut
that owner off, so the message says to call it on the leaking path instead. A child of Background/TODO that
nothing used on the leaking path leaks nothing: GL002 reports it as info. A ticker/timer made inside a loop
body (GL013) is stopped in the iteration: a defer there runs only when the function returns."""

from __future__ import annotations

from pathlib import Path

from leaktrail.config import Config
from leaktrail.engine import ScanOptions, scan
from leaktrail.model import Finding, Severity

TESTDATA = Path(__file__).resolve().parent / "testdata"


def _handed_on(rule: str) -> list[Finding]:
    root = TESTDATA / rule
    result = scan([str(root)], ScanOptions(config=Config(select=(rule,)), cache_dir=None))
    return sorted(
        (f for f in result.findings if f.rule == rule and Path(f.path).name == "handedon.go"),
        key=lambda f: f.line,
    )


def test_gl002_handed_on_cancel_is_called_on_the_leaking_path_not_deferred() -> None:
    found = _handed_on("GL002")
    assert [f.line for f in found] == [27, 43]
    for f in found:
        assert "defer stop()" not in f.message and "a deferred stop() would cancel" in f.message
        assert "call stop() before the return at line" in f.message
    assert found[0].severity is Severity.ERROR and "leaks until its parent is done" in found[0].message
    # a WithValue(Background()) child nothing used before the early return: nothing leaks
    assert found[1].severity is Severity.INFO and "nothing is left waiting" in found[1].message
    assert "can never be cancelled" not in found[1].message


def test_gl002_plain_lost_cancel_still_suggests_defer() -> None:
    root = TESTDATA / "GL002"
    result = scan([str(root)], ScanOptions(config=Config(select=("GL002",)), cache_dir=None))
    vet = [
        f for f in result.findings if Path(f.path).name == "vet.go" and "not used on every path" in f.message
    ]
    assert vet and all("add defer" in f.message for f in vet)


def test_gl017_returned_response_is_closed_on_the_leaking_path_not_deferred() -> None:
    found = _handed_on("GL017")
    assert [f.line for f in found] == [16]
    msg = found[0].message
    assert "defer resp.Body.Close()" not in msg
    assert "handed on at line 24" in msg and "close resp.Body before the return at line 22" in msg


def test_gl013_timer_made_in_a_loop_is_stopped_in_the_iteration_not_deferred() -> None:
    root = TESTDATA / "GL013"
    result = scan([str(root)], ScanOptions(config=Config(select=("GL013",)), cache_dir=None))
    found = sorted((f for f in result.findings if Path(f.path).name == "loops.go"), key=lambda f: f.line)
    assert [f.line for f in found] == [16, 28]
    for f in found:
        assert "defer" not in f.message.split("; ", 1)[1].split(" (a defer inside the loop")[0]
        assert "a defer inside the loop would run only when the function returns" in f.message
    assert "assign it and call Stop() once the wait is over" in found[0].message
    # the way out of the iteration that skips the Stop, not the function's return after the loop
    assert "the continue at line 30 leaves it unstopped" in found[1].message
    assert "call wait.Stop() before the continue at line 30" in found[1].message
