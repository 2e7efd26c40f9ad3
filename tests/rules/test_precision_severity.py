"""Severity and wording the testdata's `want` comments cannot express (issue 11, mechanisms 7, 8, 14).

GL017: a finding is `info` exactly where the testdata case says `// bad: (info)` — something other than
Close frees the connection (the client's Timeout, the request's deadline, a read to EOF) — and `error`
elsewhere. GL013: no message claims a ticker or timer "keeps running" or "stays in the timer heap" once
the module's Go collects unreferenced timers (1.23); before 1.23 it says what the runtime keeps.
"""

from __future__ import annotations

from pathlib import Path

from wants import file_cases, go_files

from leaktrail.config import Config
from leaktrail.engine import ScanOptions, scan
from leaktrail.model import Finding, Severity

TESTDATA = Path(__file__).resolve().parent / "testdata"


def _findings(root: Path, rule: str, go_version: str | None = None) -> list[Finding]:
    result = scan(
        [str(root)], ScanOptions(config=Config(select=(rule,)), go_version=go_version, cache_dir=None)
    )
    return [f for f in result.findings if f.rule == rule and not f.suppressed]


def _info_lines(root: Path) -> set[tuple[str, int]]:
    """(file name, line) of every line inside a `// bad: (info)` case."""
    out: set[tuple[str, int]] = set()
    for path in go_files(root):
        for case in file_cases(path):
            if case.kind == "bad" and case.title.startswith("(info)"):
                out.update((path.name, n) for n in range(case.start, case.end + 1))
    return out


def test_gl017_info_exactly_where_something_else_frees_the_connection() -> None:
    root = TESTDATA / "GL017"
    info_cases = _info_lines(root)
    assert len(info_cases) > 0
    found = _findings(root, "GL017")
    wrong = [
        f"{Path(f.path).name}:{f.line}: {f.severity.value}"
        for f in found
        if (f.severity is Severity.INFO) != ((Path(f.path).name, f.line) in info_cases)
    ]
    assert not wrong, wrong
    assert sum(f.severity is Severity.INFO for f in found) >= 5


def test_gl017_info_messages_name_what_frees_the_connection() -> None:
    found = [f for f in _findings(TESTDATA / "GL017", "GL017") if f.severity is Severity.INFO]
    for f in found:
        assert any(
            why in f.message
            for why in ("client's Timeout", "deadline passes", "test ends", "reading it to the end")
        ), f.message
        assert "goroutines leak" not in f.message, f.message


def test_gl013_collected_messages_do_not_claim_it_keeps_running() -> None:
    found = _findings(TESTDATA / "GL013_go123", "GL013") + _findings(TESTDATA / "GL013", "GL013", "1.23")
    assert found
    for f in found:
        assert f.severity is Severity.INFO
        for claim in ("keeps running", "stays in the timer heap", "leaves it running", "keeps firing"):
            assert claim not in f.message, f.message


def test_gl013_before_go123_says_what_the_runtime_keeps() -> None:
    found = _findings(TESTDATA / "GL013", "GL013")
    unstopped = [
        f for f in found if " is never stopped" in f.message or "not stopped on every path" in f.message
    ]
    assert unstopped
    for f in unstopped:
        assert f.severity is Severity.WARNING
        assert "before Go 1.23" in f.message, f.message


def test_gl017_unresolved_transport_is_low_confidence() -> None:
    root = TESTDATA / "GL017"
    result = scan(
        [str(root)], ScanOptions(config=Config(select=("GL017",)), cache_dir=None, confidence="low")
    )
    low = [f for f in result.findings if f.confidence == "low"]
    assert low, "the Transport taken from a parameter should give a low-confidence finding"
    source = (root / "precision.go").read_text(encoding="utf-8").splitlines()
    for f in low:
        assert Path(f.path).name == "precision.go"
        func = next(line for line in reversed(source[: f.line]) if line.startswith("func "))
        assert func.startswith("func codeThrough("), func
