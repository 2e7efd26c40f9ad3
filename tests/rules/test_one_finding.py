"""One blocked operation, one finding: when GL006 explains why a goroutine's send or receive is stranded,
GL008 (the goroutine ignores its context) on the same operation is dropped; alone, GL008 still reports it."""

from __future__ import annotations

from pathlib import Path

from leaktrail.config import Config
from leaktrail.engine import ScanOptions, scan

GL006 = Path(__file__).resolve().parent / "testdata" / "GL006"


def _lines(select: tuple[str, ...]) -> dict[str, set[tuple[str, int]]]:
    result = scan([str(GL006)], ScanOptions(config=Config(select=select), cache_dir=None))
    out: dict[str, set[tuple[str, int]]] = {}
    for f in result.findings:
        out.setdefault(f.rule, set()).add((Path(f.path).name, f.line))
    return out


def test_gl008_on_a_gl006_operation_is_dropped() -> None:
    alone = _lines(("GL008",)).get("GL008", set())
    both = _lines(("GL006", "GL008"))
    shared = alone & both.get("GL006", set())
    assert shared, "the GL006 testdata must hold a send that GL008 also flags"
    assert not shared & both.get("GL008", set())
    assert alone - shared <= both.get("GL008", set())
