"""The warm scan reads no source when the files' status (name, size, modification time, inode) is the one
recorded with the cache; any change of status reads and hashes the bytes again, and a file modified in the
last seconds is never recorded (its next change could keep the same timestamp)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from leaktrail import engine
from leaktrail.engine import ScanOptions, scan

LEAK = """package p

func leak() {
	ch := make(chan int)
	go func() { ch <- 1 }()
}
"""
FIXED = LEAK.replace("make(chan int)", "make(chan int, 1)")


def _module(root: Path, body: str, age: float) -> Path:
    (root / "go.mod").write_text("module example.com/p\n\ngo 1.22\n")
    src = root / "p.go"
    src.write_text(body)
    then = time.time() - age
    os.utime(src, (then, then))
    return src


def _lines(root: Path, cache: Path) -> list[int]:
    """Lines of the findings (the blocked send of LEAK is reported; which rule says so is theirs)."""
    return [f.line for f in scan([str(root)], ScanOptions(jobs=1, cache_dir=cache)).findings]


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    reads: list[int] = []
    real = engine._read_sources

    def counting(paths: list[Path]) -> engine.Sources:
        reads.append(len(paths))
        return real(paths)

    monkeypatch.setattr(engine, "_read_sources", counting)
    return reads


def test_unchanged_files_are_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mod, cache = tmp_path / "mod", tmp_path / "cache"
    mod.mkdir()
    src = _module(mod, LEAK, age=60)
    reads = _count_reads(monkeypatch)
    cold = _lines(mod, cache)
    assert cold == [5] and reads == [1]
    assert _lines(mod, cache) == cold and reads == [1]  # from the recorded status: nothing read

    src.write_text(FIXED)  # a new status (size, time): read, hashed, analysed
    assert _lines(mod, cache) == [] and reads == [1, 1]  # read once: hashed, then analysed


def test_same_size_and_time_other_inode_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mod, cache = tmp_path / "mod", tmp_path / "cache"
    mod.mkdir()
    src = _module(mod, LEAK, age=60)
    stamp = src.stat().st_mtime_ns
    assert _lines(mod, cache) == [5]
    # an editor saving by rename: same size and timestamp, another inode
    other = mod / "p.go.new"
    other.write_text(LEAK.replace("ch <- 1", "ch <- 2"))
    os.utime(other, ns=(stamp, stamp))
    os.replace(other, src)
    reads = _count_reads(monkeypatch)
    assert _lines(mod, cache) == [5]
    assert reads == [1]


def test_a_file_modified_just_now_is_not_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mod, cache = tmp_path / "mod", tmp_path / "cache"
    mod.mkdir()
    _module(mod, LEAK, age=0)
    reads = _count_reads(monkeypatch)
    assert _lines(mod, cache) == [5]
    assert not list(cache.rglob("index/*.json"))  # nothing recorded: no index written
    assert _lines(mod, cache) == [5]  # still from the cache, by the bytes' digest
    assert reads == [1, 1]


def test_a_cache_entry_is_written_again_after_its_directory_was_removed(tmp_path: Path) -> None:
    """write_cache_json remembers the directories it made; one removed since (a cleared cache) is made
    again, and the entry is whole."""
    import json
    import shutil

    from leaktrail.engine import write_cache_json

    entry = tmp_path / "cache" / "v3" / "ab" / "abcd.json"
    write_cache_json(entry, {"a": 1})
    shutil.rmtree(tmp_path / "cache")
    big = {"findings": ["x" * 100] * 20_000}
    write_cache_json(entry, big)
    assert json.loads(entry.read_text()) == big
    assert [p.name for p in entry.parent.iterdir()] == ["abcd.json"]  # no temporary file left
