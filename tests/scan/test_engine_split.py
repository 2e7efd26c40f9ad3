"""A big directory split over the workers goes as one task per worker, each a set of whole rule groups
(rules that share analyses), and the merge is the one of `-j 1` whatever the grouping."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from leaktrail import engine
from leaktrail.config import Config
from leaktrail.engine import ScanOptions, scan
from leaktrail.rules import all_rules

REPO = Path(__file__).resolve().parents[2]
TESTDATA = REPO / "tests" / "rules" / "testdata"
CODES = tuple(r.code for r in all_rules())


def test_every_rule_is_in_one_group() -> None:
    """A rule of no group still runs (a group of its own), but it would be balanced blind."""
    grouped = [c for _, group in engine._SPLIT_GROUPS for c in group]
    assert sorted(grouped) == sorted(set(grouped)), "a rule is in two groups"
    assert set(grouped) == set(CODES)


@pytest.mark.parametrize("workers", [1, 2, 3, 4, 8])
def test_tasks_keep_groups_whole(workers: int) -> None:
    tasks = engine._split_tasks(CODES, workers)
    assert len(tasks) == min(workers, len(engine._SPLIT_GROUPS))
    assert sorted(c for t in tasks for c in t) == sorted(CODES)
    for task in tasks:
        assert list(task) == sorted(task, key=CODES.index), "rules run in registry order within a task"
    where = {c: i for i, t in enumerate(tasks) for c in t}
    for _, group in engine._SPLIT_GROUPS:
        assert len({where[c] for c in group}) == 1, f"group {group} split over tasks"


def test_two_workers_get_the_measured_halves() -> None:
    """The balance measured on the benchmark's big package: the channel partners, blocking operations
    and waits under locks on one worker, the lock call graph and all the rest on the other."""
    tasks = engine._split_tasks(CODES, 2)
    assert tasks[0] == ("GL001", "GL006", "GL008", "GL022")
    assert {"GL017", "GL018", "GL019", "GL020", "GL023", "GL002", "GL003"} <= set(tasks[1])


def test_selected_rules_and_unknown_codes() -> None:
    """Groups without a selected rule give no task; a code of no group is a cheap group of its own."""
    assert engine._split_tasks(("GL018",), 2) == [("GL018",)]
    assert engine._split_tasks(("GL001", "GL018", "GL099"), 2) == [("GL001",), ("GL018", "GL099")]
    assert engine._split_tasks(("GL001", "GL006"), 4) == [("GL001", "GL006")]


Scanned = tuple[list[dict[str, object]], list[str], int, int]


def _findings(tree: Path, jobs: int, select: Sequence[str] | None = None) -> Scanned:
    config = Config(select=tuple(select)) if select is not None else Config()
    result = scan([str(tree)], ScanOptions(config=config, jobs=jobs, confidence="low"))
    return ([dataclasses.asdict(f) for f in result.findings], result.warnings, result.files, result.packages)


@pytest.mark.parametrize("jobs", [2, 3])
def test_grouped_split_matches_sequential(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    """Directories of each group's rules, every one split over the workers: as many tasks as workers,
    and the findings, warnings and counts of `-j 1`."""
    tree = tmp_path / "testdata"
    for code in ("GL001", "GL006", "GL008", "GL018", "GL020", "GL022", "GL003"):
        shutil.copytree(TESTDATA / code, tree / code)
    monkeypatch.setattr(engine, "_SPLIT_MIN_BYTES", 0)
    monkeypatch.setattr(engine, "_SPLIT_MIN_SHARE", 0.0)
    made: list[list[tuple[str, ...]]] = []
    split_tasks = engine._split_tasks

    def recording(codes: Sequence[str], workers: int) -> list[tuple[str, ...]]:
        tasks = split_tasks(codes, workers)
        made.append(tasks)
        return tasks

    monkeypatch.setattr(engine, "_split_tasks", recording)
    one = _findings(tree, 1)
    assert not made
    assert one[0], "the directories must produce findings for this comparison to mean anything"
    assert _findings(tree, jobs) == one
    assert made and all(len(tasks) == jobs for tasks in made)
    select = ("GL006", "GL018", "GL003")
    made.clear()
    assert _findings(tree, jobs, select) == _findings(tree, 1, select)
    assert made and all(len(tasks) == min(jobs, 3) for tasks in made)


def test_split_directory_with_no_rule_enabled_still_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A split directory with every rule disabled gives no task; its files and packages are counted as
    `-j 1` counts them (they were dropped)."""
    shutil.copytree(TESTDATA / "GL001", tmp_path / "GL001")
    monkeypatch.setattr(engine, "_SPLIT_MIN_BYTES", 0)
    monkeypatch.setattr(engine, "_SPLIT_MIN_SHARE", 0.0)
    one = _findings(tmp_path, 1, ())
    assert one[2] > 0
    assert _findings(tmp_path, 2, ()) == one
