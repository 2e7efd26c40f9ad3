"""Fixes kept with the scan cache: a warm JSON report reads them instead of re-parsing every file with a
finding; a changed file (or a changed finding) computes them again."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

import leaktrail.fix as fix
from leaktrail.engine import ScanOptions, scan
from leaktrail.model import Finding

LEAKY = """package fixme

import "context"

func track(parent context.Context) {
	ctx, _ := context.WithCancel(parent)
	go follow(ctx)
}

func follow(ctx context.Context) { <-ctx.Done() }
"""


def _findings(mod: Path) -> list[Finding]:
    (mod / "go.mod").write_text("module example.com/fixme\n\ngo 1.22\n")
    (mod / "leaky.go").write_text(LEAKY)
    return scan([str(mod)], ScanOptions(jobs=1)).findings


def test_fixes_come_from_the_cache_until_the_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mod, cache = tmp_path / "mod", tmp_path / "cache"
    mod.mkdir()
    found = _findings(mod)
    assert [f.rule for f in found] == ["GL002"]
    cold = fix.attach_fixes(found, cache_dir=cache)
    assert cold[0].fix is not None and cold[0].fix.description == "defer cancel()"
    assert cold == fix.attach_fixes(found)  # same answer as without a cache
    assert len(list(cache.rglob("*.json"))) == 1

    computed: list[int] = []
    real = fix.fix_source

    def counting(findings: list[Finding], src: bytes) -> list[Finding]:
        computed.append(len(findings))
        return real(findings, src)

    monkeypatch.setattr(fix, "fix_source", counting)
    assert fix.attach_fixes(found, cache_dir=cache) == cold
    assert computed == []

    # another finding text (a rule changed) or other bytes: computed again
    other = [dataclasses.replace(found[0], message=found[0].message + "!")]
    assert fix.attach_fixes(other, cache_dir=cache)[0].fix == cold[0].fix
    assert computed == [1]
    leaky = Path(found[0].path) if os.path.isabs(found[0].path) else Path.cwd() / found[0].path
    leaky.write_text(LEAKY.replace("go follow(ctx)", "go follow(ctx) // started"))
    again = fix.attach_fixes(found, cache_dir=cache)
    assert computed == [1, 1]
    assert again[0].fix is not None and again[0].fix.description == "defer cancel()"


def test_an_unreadable_cache_entry_is_recomputed(tmp_path: Path) -> None:
    mod, cache = tmp_path / "mod", tmp_path / "cache"
    mod.mkdir()
    found = _findings(mod)
    cold = fix.attach_fixes(found, cache_dir=cache)
    (entry,) = cache.rglob("*.json")
    entry.write_text("[[1, 2, 3]]")
    assert fix.attach_fixes(found, cache_dir=cache) == cold


def test_fixes_computed_on_workers_are_those_computed_here(tmp_path: Path) -> None:
    """Many files to fix go to worker processes (the biggest first); the answers, their order and the
    cache entries are the same as computed one file after another."""
    testdata = Path(__file__).resolve().parents[1] / "rules" / "testdata"
    found = scan([str(testdata)], ScanOptions(jobs=1)).findings
    files = {f.path for f in found}
    assert len(files) >= 4 * fix._FILES_PER_WORKER  # enough for two workers
    here = fix.attach_fixes(found, jobs=1, cache_dir=tmp_path / "one")
    assert fix.attach_fixes(found, jobs=2, cache_dir=tmp_path / "two") == here
    assert any(f.fix is not None for f in here) and any(f.no_fix for f in here)
    one = sorted(p.relative_to(tmp_path / "one").as_posix() for p in (tmp_path / "one").rglob("*.json"))
    two = sorted(p.relative_to(tmp_path / "two").as_posix() for p in (tmp_path / "two").rglob("*.json"))
    assert one == two and len(one) == len(files)


def test_fixes_are_computed_here_when_the_workers_cannot_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures.process import BrokenProcessPool

    class _Broken:
        def __init__(self, max_workers: int) -> None:
            pass

        def __enter__(self) -> _Broken:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def map(self, *args: object) -> list[object]:
            raise BrokenProcessPool("a worker was killed")

    testdata = Path(__file__).resolve().parents[1] / "rules" / "testdata"
    found = scan([str(testdata / "GL002"), str(testdata / "GL006")], ScanOptions(jobs=1)).findings
    here = fix.attach_fixes(found, jobs=1)
    monkeypatch.setattr(fix, "_FILES_PER_WORKER", 1)
    monkeypatch.setattr(fix, "ProcessPoolExecutor", _Broken)
    assert fix.attach_fixes(found, jobs=2) == here
