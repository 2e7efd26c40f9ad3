"""A worker that dies (killed, out of memory) costs only the directory it was analysing: that directory gets
a one-line warning, every other directory is analysed, and `scan` exits 3."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from leaktrail import engine
from leaktrail.cli import main

LEAK = """package {name}

func Leak() {{
	ch := make(chan int)
	go func() {{ ch <- 1 }}()
}}
"""

_RUN_JOB = engine._run_job


def _dies_on_b(job: Any, cache_dir: Any) -> Any:
    """engine._run_job, except that the worker analysing directory b is killed."""
    if job.directory.name == "b":
        os.kill(os.getpid(), signal.SIGKILL)
    return _RUN_JOB(job, cache_dir)


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    for name in ("a", "b", "c", "d"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "leak.go").write_text(LEAK.format(name=name))
    monkeypatch.setattr(engine, "_PARALLEL_MIN_FILES", 0)  # a pool even for four files
    monkeypatch.setattr(engine, "_run_job", _dies_on_b)
    return tmp_path


def test_the_other_directories_are_analysed(module: Path) -> None:
    result = engine.scan([str(module)], engine.ScanOptions(jobs=2, cache_dir=None))
    assert sorted({Path(f.path).parent.name for f in result.findings}) == ["a", "c", "d"]
    assert result.unanalysed == 1
    lost = [w for w in result.warnings if "not analysed" in w]
    assert len(lost) == 1 and lost[0].startswith(str(module / "b") + ": ")
    assert "ended abruptly" in lost[0]


def test_scan_reports_the_rest_and_exits_3(module: Path) -> None:
    got = CliRunner().invoke(main, ["scan", str(module), "-j", "2", "--no-cache"])
    assert got.exit_code == 3, got.output
    assert "Traceback" not in got.output
    assert "b: not analysed" in got.output
    for name in ("a", "c", "d"):
        assert f"{name}/leak.go" in got.output
