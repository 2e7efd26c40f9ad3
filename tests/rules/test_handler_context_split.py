"""One mechanism, one finding: a handler's goroutine that ignores a context variable in scope
(`ctx := r.Context()`) is GL008's (it names the variable); GL009 keeps the handlers without one."""

from __future__ import annotations

from pathlib import Path

from leaktrail.config import Config
from leaktrail.engine import ScanOptions, scan

TESTDATA = Path(__file__).resolve().parent / "testdata"


def _found(folder: str, select: tuple[str, ...]) -> set[tuple[str, str, int]]:
    result = scan([str(TESTDATA / folder)], ScanOptions(config=Config(select=select), cache_dir=None))
    return {(f.rule, Path(f.path).name, f.line) for f in result.findings if not f.suppressed}


def test_gl009_leaves_a_goroutine_with_a_context_variable_to_gl008() -> None:
    found = _found("GL008", ("GL008", "GL009"))
    assert ("GL008", "alias.go", 29) in found  # ctx := r.Context(); the goroutine sleeps
    assert not {f for f in found if f[0] == "GL009" and f[1] == "alias.go"}


def test_gl009_still_reports_handlers_without_a_context_variable() -> None:
    alone = {f for f in _found("GL009", ("GL009",)) if f[0] == "GL009"}
    both = {f for f in _found("GL009", ("GL008", "GL009")) if f[0] == "GL009"}
    assert alone and alone == both
