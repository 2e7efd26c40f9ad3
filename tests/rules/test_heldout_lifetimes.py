"""Severity and wording for GL005 that the testdata's `want` comments cannot express (issue 11, held-out
triage, mechanism 11): a `select {}` in a function handed over as a value only on the program's main path (a
subcommand registered from init) is info and never told to "return instead"; everything else stays an error.
"""

from __future__ import annotations

from pathlib import Path

from wants import file_cases

from leaktrail.config import Config
from leaktrail.engine import ScanOptions, scan
from leaktrail.model import Severity

PLUGIN = Path(__file__).resolve().parent / "testdata" / "GL005" / "plugins" / "serve" / "command.go"


def test_gl005_registered_subcommands_are_info_without_return_advice() -> None:
    result = scan([str(PLUGIN.parent)], ScanOptions(config=Config(select=("GL005",)), cache_dir=None))
    for path, infos, total in ((PLUGIN, 2, 5), (PLUGIN.with_name("configure.go"), 1, 2)):
        found = {f.line: f for f in result.findings if f.rule == "GL005" and f.path.endswith(path.name)}
        info_cases = [c for c in file_cases(path) if c.kind == "bad" and c.title.startswith("info only")]
        info_lines = {n for c in info_cases for n in range(c.start, c.end + 1)}
        assert len(info_cases) == infos and len(found) == total
        for line, f in found.items():
            if line in info_lines:
                assert f.severity == Severity.INFO, f.message
                assert "return instead" not in f.message and "on the program's main path" in f.message
            else:
                assert f.severity == Severity.ERROR, f.message


def test_gl006_names_a_case_that_can_be_ready_first() -> None:
    """Mechanism 12 (held-out triage): a case on a channel only the stranded goroutine feeds, after the
    stranded send (another branch, a deferred close), cannot be ready first; the timeout case is named."""
    either = PLUGIN.parents[3] / "GL006" / "either_test.go"
    result = scan([str(either.parent)], ScanOptions(config=Config(select=("GL006",)), cache_dir=None))
    messages = [f.message for f in result.findings if f.rule == "GL006" and f.path.endswith(either.name)]
    assert len(messages) == 2
    for message in messages:
        assert "when <-time.After(time.Second) is ready first, t.Fatal at line 44 ends the test" in message


def test_gl006_require_fail_in_the_timeout_case_ends_the_test(tmp_path: Path) -> None:
    """testify's require.Fail in the timeout case ends the test (t.FailNow): the message says so instead
    of "it reaches its end" (the module is only scanned, never built)."""
    (tmp_path / "go.mod").write_text("module example.com/fails\n\ngo 1.22\n", encoding="utf-8")
    (tmp_path / "fails_test.go").write_text(
        """package fails

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func slowExit() error { time.Sleep(time.Second); return nil }

func TestExits(t *testing.T) {
	errs := make(chan error)
	go func() {
		errs <- slowExit()
	}()
	select {
	case err := <-errs:
		require.NoError(t, err)
	case <-time.After(time.Millisecond):
		require.Fail(t, "still running")
	}
}
""",
        encoding="utf-8",
    )
    (tmp_path / "local_test.go").write_text(
        """package fails

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestExitsLocal(t *testing.T) {
	must := require.New(t)
	errs := make(chan error)
	go func() {
		errs <- slowExit()
	}()
	select {
	case err := <-errs:
		must.NoError(err)
	case <-time.After(time.Millisecond):
		must.FailNow("still running")
	}
}
""",
        encoding="utf-8",
    )
    result = scan([str(tmp_path)], ScanOptions(config=Config(select=("GL006",)), cache_dir=None))
    messages = {Path(f.path).name: f.message for f in result.findings if f.rule == "GL006"}
    assert (
        "when <-time.After(time.Millisecond) is ready first, require.Fail at line 21 ends the test"
        in (messages["fails_test.go"])
    )
    assert (
        "when <-time.After(time.Millisecond) is ready first, must.FailNow at line 20 ends the test"
        in (messages["local_test.go"])
    )


def test_gl006_names_the_case_that_leaves_not_one_that_loops_back() -> None:
    """A case that only goes round the loop (a progress report) is not named as what leads to the exit
    another case takes: the ctx.Done() case that returns is (held-out triage, nomad template_hook_test)."""
    loop = PLUGIN.parents[3] / "GL006" / "loopcase_test.go"
    result = scan([str(loop.parent)], ScanOptions(config=Config(select=("GL006",)), cache_dir=None))
    (message,) = [f.message for f in result.findings if f.rule == "GL006" and f.path.endswith(loop.name)]
    assert "when <-ctx.Done() is ready first, it returns at line 48" in message


def test_gl006_deferred_close_makes_the_send_panic() -> None:
    """The launcher's own `defer close(ch)` runs on the way out: the stranded send panics instead of
    blocking, and the fix must drop that close (held-out triage, nomad executor_linux_cgo.go:630)."""
    closed = PLUGIN.parents[3] / "GL006" / "closed_test.go"
    result = scan([str(closed.parent)], ScanOptions(config=Config(select=("GL006",)), cache_dir=None))
    (message,) = [f.message for f in result.findings if f.rule == "GL006" and f.path.endswith(closed.name)]
    assert (
        "deferred close(results) at line 23 then runs, and the send panics (send on closed channel)"
        in message
    )
    assert "blocks forever" not in message and "drop that close" in message
