"""Calls into another package of the same module are followed (source/module.py), and the scan cache
notices when that other package changes."""

from __future__ import annotations

from pathlib import Path

from leaktrail.config import Config
from leaktrail.engine import ScanOptions, scan

FEED = """package feed

func Numbers(xs []int) chan int {
	ch := make(chan int)
	go func() {
		for _, x := range xs {
			ch <- x
		}%s
	}()
	return ch
}
"""

CALLER = """package app

import "example.com/m/feed"

func Sum(xs []int) int {
	t := 0
	for v := range feed.Numbers(xs) {
		t += v
	}
	return t
}
"""


def _write(root: Path, closes: bool) -> None:
    (root / "feed").mkdir(parents=True, exist_ok=True)
    (root / "app").mkdir(parents=True, exist_ok=True)
    (root / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    (root / "feed" / "feed.go").write_text(FEED % ("\n\t\tclose(ch)" if closes else ""))
    (root / "app" / "app.go").write_text(CALLER)


def _gl001_lines(root: Path, cache: Path) -> list[tuple[str, int]]:
    opts = ScanOptions(config=Config(select=("GL001",)), cache_dir=cache, jobs=1)
    result = scan([str(root / "app")], opts)
    return [(Path(f.path).name, f.line) for f in result.findings]


def test_range_over_channel_of_another_package_and_cache_invalidation(tmp_path: Path) -> None:
    root, cache = tmp_path / "m", tmp_path / "cache"
    _write(root, closes=False)
    assert _gl001_lines(root, cache) == [("app.go", 7)]
    assert _gl001_lines(root, cache) == [("app.go", 7)]  # from the cache
    _write(root, closes=True)  # the other package now closes the channel: the cached result is stale
    assert _gl001_lines(root, cache) == []
