"""GL006 on a literal buffer sized for a number of senders the analysis cannot count is a low-confidence
finding: hidden by default, shown with confidence="low"."""

from __future__ import annotations

from pathlib import Path

from leaktrail.config import Config
from leaktrail.engine import ScanOptions, scan

BUFFERS = Path(__file__).resolve().parent / "testdata" / "GL006" / "buffers.go"


def _find(func_line: str, confidence: str) -> list[tuple[int, str]]:
    lines = BUFFERS.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines, 1) if line.startswith(func_line))
    end = next(i for i, line in enumerate(lines, 1) if i > start and line == "}")
    result = scan(
        [str(BUFFERS.parent)],
        ScanOptions(config=Config(select=("GL006",)), cache_dir=None, confidence=confidence),
    )
    return [
        (f.line, f.confidence)
        for f in result.findings
        if Path(f.path).name == BUFFERS.name and start < f.line < end
    ]


def test_uncounted_senders_into_a_literal_buffer_are_low() -> None:
    assert _find("func sizedByCaller(", "high") == []
    found = _find("func sizedByCaller(", "low")
    assert [c for _, c in found] == ["low"]


def test_counted_overflow_stays_high() -> None:
    assert [c for _, c in _find("func literalSliceOverflow(", "high")] == ["high"]


GL005 = BUFFERS.parents[1] / "GL005"


def test_select_forever_on_the_main_path_is_info() -> None:
    from leaktrail.model import Severity

    result = scan([str(GL005)], ScanOptions(config=Config(select=("GL005",)), cache_dir=None))
    by_line = {(Path(f.path).name, f.line): f.severity for f in result.findings}
    info = {k for k, sev in by_line.items() if sev == Severity.INFO}
    assert info == {
        ("child_test.go", 11),
        ("main.go", 21),
        ("main.go", 31),
        ("main.go", 36),
        ("main.go", 43),
        ("run.go", 13),
        ("command.go", 29),  # plugins/serve: subcommands registered from init (held-out triage)
        ("command.go", 36),
        ("configure.go", 27),  # handed over inside a configuration callback handed over in init
    }
    assert by_line[("main.go", 48)] == Severity.ERROR  # started with go: an ordinary parked goroutine
    assert by_line[("run.go", 18)] == Severity.ERROR


def _messages(name: str) -> list[str]:
    path = BUFFERS.parent / name
    result = scan([str(BUFFERS.parent)], ScanOptions(config=Config(select=("GL006",)), cache_dir=None))
    return [f.message for f in result.findings if Path(f.path).name == path.name]


def test_the_real_exit_is_named() -> None:
    """The test ending (t.Fatal, a suite's s.T().Fatal) is named as what strands the sender."""
    (suite,) = _messages("suite_test.go")
    assert "s.T().Fatal at line 29 ends the test" in suite
    (poll,) = _messages("guaranteed.go")
    assert "when no case is ready (the default case runs), it returns at line 43" in poll


def test_close_fix_checks_ok_when_the_value_is_used() -> None:
    """Closing instead of sending hands the goroutine a zero value: the fix says to check ok."""
    hand_over = [m for m in _messages("goker.go") if "handOver" in m]
    assert hand_over and "check ok (`v, ok := <-jobs`)" in hand_over[0]
    signal = [m for m in _messages("named.go") if "startSignal" in m]
    assert signal and "check ok" not in signal[0]


def test_require_ending_the_test_is_named(tmp_path: Path) -> None:
    """A testify require assertion between the `go` and the select ends the test when it fails: that is
    the exit named (the module is only scanned, never built: testdata imports only the standard library)."""
    (tmp_path / "go.mod").write_text("module example.com/req\n\ngo 1.22\n", encoding="utf-8")
    (tmp_path / "req_test.go").write_text(
        """package req

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func slow() error { time.Sleep(time.Millisecond); return nil }

func TestSlow(t *testing.T) {
	errc := make(chan error)
	go func() {
		errc <- slow()
	}()
	require.NotNil(t, t)
	select {
	case err := <-errc:
		require.NoError(t, err)
	case <-time.After(time.Second):
		t.Error("slow")
	}
}
""",
        encoding="utf-8",
    )
    result = scan([str(tmp_path)], ScanOptions(config=Config(select=("GL006",)), cache_dir=None))
    (finding,) = result.findings
    assert finding.line == 15
    assert "require.NotNil at line 17 ends the test when it fails, before the receive" in finding.message
