"""Parallel scans report exactly what a sequential scan reports: a big directory is checked rule by rule
on all workers and merged in rule order, small directories go to the pool whole."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from leaktrail import engine
from leaktrail.cli import main
from leaktrail.engine import ScanOptions, scan

REPO = Path(__file__).resolve().parents[2]
TESTDATA = REPO / "tests" / "rules" / "testdata"


def _count_merges(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    merged: list[str] = []
    add = engine._Split.add

    def counting(self: engine._Split, code: str, part: engine._Part) -> int:
        merged.append(code)
        return add(self, code, part)

    monkeypatch.setattr(engine._Split, "add", counting)
    return merged


def _json(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        main, ["scan", *args, "--no-cache", "--format", "json", "--confidence", "low"]
    )
    assert result.exit_code in (0, 1), result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    doc["summary"].pop("seconds", None)
    for finding in doc["findings"]:
        # Fix suggestions are computed after the scan (fix/); GL004's refusal text varies from run to run
        # even with -j 1 (which Done it names first), so it says nothing about the parallel scan.
        finding.pop("fix", None)
        finding.pop("no_fix", None)
    return doc


def test_cli_json_same_with_one_and_two_jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every testdata directory split over two workers: the JSON is the one of `-j 1`. (A copy: other
    work may edit the testdata between the two scans.)"""
    tree = tmp_path / "testdata"
    shutil.copytree(TESTDATA, tree)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(engine, "_SPLIT_MIN_BYTES", 0)
    monkeypatch.setattr(engine, "_SPLIT_MIN_SHARE", 0.0)
    merged = _count_merges(monkeypatch)
    one = _json("testdata", "-j", "1")
    assert not merged
    two = _json("testdata", "-j", "2")
    assert merged, "no directory was split over the workers"
    assert len(one["findings"]) > 100
    assert two == one


def test_big_real_package_split_matches_sequential(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A package over the split threshold (lowered to keep the test short), made of real standard-library
    code by the benchmark's generator."""
    spec = importlib.util.spec_from_file_location("gen_bigpkg", REPO / "benchmarks" / "gen_bigpkg.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    monkeypatch.setattr(engine, "_SPLIT_MIN_BYTES", 1_000_000)
    gen.generate(tmp_path / "big", 1.2)
    merged = _count_merges(monkeypatch)
    runs = []
    for jobs in (1, 2):
        result = scan([str(tmp_path / "big")], ScanOptions(jobs=jobs, confidence="low"))
        runs.append(
            ([dataclasses.asdict(f) for f in result.findings], result.warnings, result.files, result.packages)
        )
    assert merged, "the big package was not split over the workers"
    assert runs[0][0], "the package must produce findings for this comparison to mean anything"
    assert runs[1] == runs[0]


def test_only_a_directory_with_a_good_share_of_the_bytes_is_split(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A directory over the size threshold among much more code goes to one worker whole (splitting
    costs every worker a parse of its files); scanned alone, it is all of the work and is split."""
    tree = tmp_path / "testdata"
    shutil.copytree(TESTDATA, tree)
    monkeypatch.setattr(engine, "_SPLIT_MIN_BYTES", 1)
    merged = _count_merges(monkeypatch)
    one = scan([str(tree)], ScanOptions(jobs=1, confidence="low")).findings
    monkeypatch.setattr(engine, "_SPLIT_MIN_SHARE", 100.0)  # no directory holds 100/3 of the bytes
    assert scan([str(tree)], ScanOptions(jobs=2, confidence="low")).findings == one
    assert not merged
    monkeypatch.setattr(engine, "_SPLIT_MIN_SHARE", 1.0)
    alone = tree / "GL001"
    expected = scan([str(alone)], ScanOptions(jobs=1, confidence="low")).findings
    assert expected
    assert scan([str(alone)], ScanOptions(jobs=2, confidence="low")).findings == expected
    assert merged, "a directory scanned alone is all of the work: it is split"
