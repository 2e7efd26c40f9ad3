"""The files' status of a scan's directories is kept in one index per set of scanned paths, written once
by the scan's process: a cold scan creates one result file per directory and one index, not a status file
per directory besides; a scan of other paths finds the results by their content; a damaged index costs
only speed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from leaktrail import engine
from leaktrail.engine import ScanOptions, scan

LEAK = """package {name}

func leak() {{
	ch := make(chan int)
	go func() {{ ch <- 1 }}()
}}
"""


@pytest.fixture
def module(tmp_path: Path) -> Path:
    root = tmp_path / "mod"
    root.mkdir()
    (root / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    then = time.time() - 60
    for name in ("a", "b", "c"):
        (root / name).mkdir()
        src = root / name / "leak.go"
        src.write_text(LEAK.format(name=name))
        os.utime(src, (then, then))
    return root


def _counting(monkeypatch: pytest.MonkeyPatch) -> tuple[list[int], list[str]]:
    reads: list[int] = []
    analysed: list[str] = []
    read, analyse = engine._read_sources, engine._analyse

    def counting_read(paths: list[Path]) -> engine.Sources:
        reads.append(len(paths))
        return read(paths)

    def counting_analyse(job: engine._Job, sources: list[tuple[Path, bytes]]) -> engine._JobResult:
        analysed.append(job.directory.name)
        return analyse(job, sources)

    monkeypatch.setattr(engine, "_read_sources", counting_read)
    monkeypatch.setattr(engine, "_analyse", counting_analyse)
    return reads, analysed


def _dirs(result: engine.ScanResult) -> list[str]:
    return sorted(Path(f.path).parent.name for f in result.findings)


@pytest.mark.parametrize("jobs", [1, 2])
def test_one_index_and_one_result_per_directory(
    module: Path, tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "_PARALLEL_MIN_FILES", 0)  # a pool even for three files
    cache = tmp_path / "cache"
    cold = scan([str(module)], ScanOptions(jobs=jobs, cache_dir=cache))
    assert _dirs(cold) == ["a", "b", "c"]
    written = sorted(p.relative_to(cache).parts[1] for p in cache.rglob("*.json"))
    assert written.count("index") == 1 and len(written) == 4  # the index and three results
    reads, analysed = _counting(monkeypatch)
    warm = scan([str(module)], ScanOptions(jobs=jobs, cache_dir=cache))
    assert _dirs(warm) == ["a", "b", "c"] and warm.cached_dirs == 3
    assert reads == [] and analysed == []  # every status recorded: nothing read


def test_other_paths_find_the_results_by_content(
    module: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    scan([str(module)], ScanOptions(jobs=1, cache_dir=cache))
    reads, analysed = _counting(monkeypatch)
    inner = scan([str(module / "b")], ScanOptions(jobs=1, cache_dir=cache))
    assert _dirs(inner) == ["b"] and inner.cached_dirs == 1
    assert reads == [1] and analysed == []  # read and hashed (no status of its own yet), not analysed
    again = scan([str(module / "b")], ScanOptions(jobs=1, cache_dir=cache))
    assert _dirs(again) == ["b"] and reads == [1]  # its own index now
    assert len(list(cache.rglob("index/*.json"))) == 2


def test_a_changed_directory_is_analysed_again_and_recorded(
    module: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    scan([str(module)], ScanOptions(jobs=1, cache_dir=cache))
    src = module / "c" / "leak.go"
    src.write_text(LEAK.format(name="c").replace("make(chan int)", "make(chan int, 1)"))
    then = time.time() - 30
    os.utime(src, (then, then))
    reads, analysed = _counting(monkeypatch)
    assert _dirs(scan([str(module)], ScanOptions(jobs=1, cache_dir=cache))) == ["a", "b"]
    assert analysed == ["c"]
    assert _dirs(scan([str(module)], ScanOptions(jobs=1, cache_dir=cache))) == ["a", "b"]
    assert reads == [1] and analysed == ["c"]  # the new status was recorded


@pytest.mark.parametrize(
    "damage", [b"", b"{not json", b"[1, 2]", b'{"k": [1, 2, 3], "j": 5}', b'{"k": ["d", 7, []]}']
)
def test_a_damaged_index_costs_only_speed(
    module: Path, tmp_path: Path, damage: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    scan([str(module)], ScanOptions(jobs=1, cache_dir=cache))
    (index,) = cache.rglob("index/*.json")
    index.write_bytes(damage)
    reads, analysed = _counting(monkeypatch)
    assert _dirs(scan([str(module)], ScanOptions(jobs=1, cache_dir=cache))) == ["a", "b", "c"]
    assert reads == [1, 1, 1] and analysed == []  # read and hashed, found by content
    assert _dirs(scan([str(module)], ScanOptions(jobs=1, cache_dir=cache))) == ["a", "b", "c"]
    assert reads == [1, 1, 1]  # the index is whole again
