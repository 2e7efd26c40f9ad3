"""Every form Go writes, from a real program that parks known numbers of goroutines per leak pattern."""

from __future__ import annotations

from pathlib import Path

import pytest
from leaky_expect import EXPECTED_COUNTS, EXPECTED_STATES, NOT_PROVABLE, PROVEN

from leaktrail.runtime import (
    Classification,
    Form,
    Group,
    Thresholds,
    diff,
    group,
    inspect,
    load_snapshot,
)


def by_function(groups: list[Group]) -> dict[str, Group]:
    out: dict[str, Group] = {}
    for g in groups:
        user = g.first_user_frame
        if user is None:
            continue  # the runtime's own goroutines
        assert user.function not in out, f"two groups for {user.function}"
        out[user.function] = g
    return out


def leaky_groups(groups: list[Group]) -> dict[str, Group]:
    return {k: v for k, v in by_function(groups).items() if k in EXPECTED_COUNTS}


@pytest.mark.parametrize(
    ("name", "form", "profile"),
    [
        ("goroutine.debug2.txt", Form.DEBUG2, "goroutine"),
        ("goroutine.debug1.txt", Form.DEBUG1, "goroutine"),
        ("goroutine.debug0.pb.gz", Form.DEBUG0, "goroutine"),
    ],
)
def test_exact_counts_per_pattern_in_every_form(
    leaky_dumps: Path, name: str, form: Form, profile: str
) -> None:
    snap = load_snapshot(str(leaky_dumps / name))
    assert snap.form is form
    assert snap.profile == profile
    assert not snap.warnings
    assert not snap.truncated
    groups = leaky_groups(group(snap))
    assert {k: g.count for k, g in groups.items()} == EXPECTED_COUNTS
    # The profile-writing main goroutine is the only other one.
    assert snap.total == sum(EXPECTED_COUNTS.values()) + 1
    assert not any(g.leaked for g in groups.values()), "ordinary dumps taken before the leak GC mark nothing"


def test_debug2_states_creation_sites_ids_and_labels(leaky_dumps: Path) -> None:
    snap = load_snapshot(str(leaky_dumps / "goroutine.debug2.txt"))
    groups = leaky_groups(group(snap))
    assert {k: g.state for k, g in groups.items()} == EXPECTED_STATES
    for name, g in groups.items():
        assert g.created_by is not None and g.created_by.function.startswith("main.start"), name
        assert g.created_by.file.endswith("goprogs/leaky/main.go")
        assert g.parent_ids == (1,), name
        assert len(g.ids) == min(10, EXPECTED_COUNTS[name])
        assert g.wait is not None and g.wait.max == 0  # parked for less than a minute
    labelled = groups["main.labelledConsumer"]
    assert labelled.labels == (((("tenant id", "a b"), ("worker", "ingest")), 10),)
    # One `go` statement per pattern: seven creation sites are distinct lines of main.start.
    sites = {(g.created_by.function, g.created_by.line) for g in groups.values() if g.created_by}
    assert len(sites) == len(EXPECTED_COUNTS)


@pytest.mark.parametrize(
    "name", ["goroutineleak.debug2.txt", "goroutineleak.debug1.txt", "goroutineleak.debug0.pb.gz"]
)
def test_leak_profile_proves_exactly_the_unreachable_ones(leaky_dumps: Path, name: str) -> None:
    snap = load_snapshot(str(leaky_dumps / name))
    ins = inspect(snap, thresholds=Thresholds(min_count=1000, min_wait=1000))
    verdicts = {}
    for v in ins.verdicts:
        user = v.group.first_user_frame
        if user is not None and user.function in EXPECTED_COUNTS:
            verdicts[user.function] = v
    leaked = {k for k, v in verdicts.items() if v.classification is Classification.LEAKED}
    assert leaked == PROVEN
    for k in PROVEN:
        assert verdicts[k].group.leaked == EXPECTED_COUNTS[k]
        assert "proven leaked" in verdicts[k].reason
    if name.endswith("debug2.txt"):
        # debug=2 of the leak profile lists every goroutine, the unprovable ones unmarked.
        assert set(verdicts) == set(EXPECTED_COUNTS)
        assert all(verdicts[k].group.leaked == 0 for k in NOT_PROVABLE)
        assert snap.total == sum(EXPECTED_COUNTS.values()) + 1
    else:
        assert snap.profile == "goroutineleak"
        assert set(verdicts) == PROVEN
        assert snap.total == sum(EXPECTED_COUNTS[k] for k in PROVEN)
    assert ins.has_leaks


def test_later_ordinary_dumps_keep_the_leaked_mark(leaky_dumps: Path) -> None:
    snap = load_snapshot(str(leaky_dumps / "goroutineleak.debug2.txt"))
    groups = leaky_groups(group(snap))
    assert {k for k, g in groups.items() if g.leaked} == PROVEN


def test_group_keys_are_the_same_in_every_form(leaky_dumps: Path) -> None:
    keys = []
    for name in ("goroutine.debug2.txt", "goroutine.debug1.txt", "goroutine.debug0.pb.gz"):
        groups = leaky_groups(group(load_snapshot(str(leaky_dumps / name))))
        keys.append({k: g.key for k, g in groups.items()})
    assert keys[0] == keys[1] == keys[2]


def test_blocking_operation_from_frames_without_wait_reasons(leaky_dumps: Path) -> None:
    debug0 = leaky_groups(group(load_snapshot(str(leaky_dumps / "goroutine.debug0.pb.gz"))))
    expected = dict(EXPECTED_STATES)
    # Only the wait reason tells nil channels apart; the frames say chanrecv1/chansend1 either way.
    expected["main.nilRecv"] = "chan receive"
    expected["main.nilSend"] = "chan send"
    assert {k: g.blocking for k, g in debug0.items()} == expected
    debug1 = leaky_groups(group(load_snapshot(str(leaky_dumps / "goroutine.debug1.txt"))))
    # debug=1 hides leading runtime frames: channel operations vanish, sync and time frames remain.
    assert debug1["main.waitGroupNeverDone"].blocking == "sync.WaitGroup.Wait"
    assert debug1["main.mutexHeldForever"].blocking == "sync.Mutex.Lock"
    assert debug1["main.condNeverSignalled"].blocking == "sync.Cond.Wait"
    assert debug1["main.sleeper"].blocking == "sleep"
    assert debug1["main.rangeUnclosed"].blocking is None


def test_classification_with_thresholds(leaky_dumps: Path) -> None:
    snap = load_snapshot(str(leaky_dumps / "goroutine.debug2.txt"))
    verdicts = {
        v.group.first_user_frame.function: v
        for v in inspect(snap, thresholds=Thresholds(min_count=6)).verdicts
        if v.group.first_user_frame is not None
    }
    suspect = {k for k, v in verdicts.items() if v.classification is Classification.SUSPECT}
    # Channel/lock waits with >= 6 goroutines, plus nil channels and empty selects at any count.
    assert suspect == {
        "main.contextNeverCancelled",
        "main.condNeverSignalled",
        "main.globalWorker",
        "main.labelledConsumer",
        "main.mutexHeldForever",
        "main.rangeUnclosed",
        "main.waitGroupNeverDone",
        "main.nilRecv",
        "main.nilSend",
        "main.selectNoCases",
    }
    assert verdicts["main.sendNoReceiver"].classification is Classification.BLOCKED  # 5 < 6
    assert verdicts["main.sleeper"].classification is Classification.BLOCKED  # sleep is no channel wait
    assert "--min-count 6" in verdicts["main.globalWorker"].reason
    assert "nil channel" in verdicts["main.nilRecv"].reason
    running = [v for v in verdicts.values() if v.classification is Classification.RUNNING]
    assert [v.group.count for v in running] == [1]
    # Most suspicious first.
    ranks = [v.classification.rank for v in inspect(snap, thresholds=Thresholds(min_count=6)).verdicts]
    assert ranks == sorted(ranks)


def test_high_thresholds_leave_only_never_runnable_suspects(leaky_dumps: Path) -> None:
    snap = load_snapshot(str(leaky_dumps / "goroutine.debug2.txt"))
    ins = inspect(snap, thresholds=Thresholds(min_count=1000, min_wait=1000))
    suspects = {
        v.group.first_user_frame.function
        for v in ins.verdicts
        if v.classification is Classification.SUSPECT and v.group.first_user_frame
    }
    assert suspects == {"main.nilRecv", "main.nilSend", "main.selectNoCases"}


def test_crash_dumps_with_gotraceback_system(crash_dumps: dict[str, Path], leaky_dumps: Path) -> None:
    system = load_snapshot(str(crash_dumps["system"]))
    assert not system.warnings
    assert system.skipped_lines >= 1  # "panic: leaky: crash requested"
    groups = group(system)
    leaky = leaky_groups(groups)
    assert {k: g.count for k, g in leaky.items()} == EXPECTED_COUNTS
    # gp=/m= headers, fp=/sp=/pc= frames and gowrap wrappers do not change the group keys.
    reference = leaky_groups(group(load_snapshot(str(leaky_dumps / "goroutine.debug2.txt"))))
    assert {k: g.key for k, g in leaky.items()} == {k: g.key for k, g in reference.items()}
    ins = inspect(system, thresholds=Thresholds(min_count=6))
    benign = [v for v in ins.verdicts if v.classification is Classification.BENIGN]
    assert benign, "GOTRACEBACK=system shows the runtime's own goroutines"
    benign_states = {v.group.state for v in benign}
    assert {"force gc (idle)", "GC sweep wait", "GC scavenge wait", "finalizer wait"} <= benign_states
    # The panicking main goroutine: running, with the gopanic frame.
    main = next(g for g in groups if any(f.function == "main.main" for f in g.frames))
    assert main.state == "running"
    assert any(f.function == "runtime.gopanic" for f in main.frames)

    everyone = load_snapshot(str(crash_dumps["all"]))
    assert {k: g.count for k, g in leaky_groups(group(everyone)).items()} == EXPECTED_COUNTS
    assert not [v for v in inspect(everyone).verdicts if v.classification is Classification.BENIGN]


def test_go_test_timeout_log(test_timeout_log: Path) -> None:
    snap = load_snapshot(str(test_timeout_log))
    assert not snap.warnings
    assert snap.skipped_lines >= 4  # === RUN, the t.Log line, panic, running tests:, FAIL lines
    groups = by_function(group(snap))
    drain = groups["example.com/leaktrailtest/hangtest.drain"]
    assert drain.count == 4
    assert drain.state == "chan receive"
    assert drain.created_by is not None
    assert drain.created_by.function == "example.com/leaktrailtest/hangtest.TestHangs"
    assert groups["example.com/leaktrailtest/hangtest.TestHangs"].state == "sleep"


def test_diff_between_scales(leaky_dumps: Path, leaky_dumps_x3: Path) -> None:
    before = load_snapshot(str(leaky_dumps / "goroutine.debug1.txt"))
    after = load_snapshot(str(leaky_dumps_x3 / "goroutine.debug2.txt"))  # cross-form on purpose
    result = diff(before, after, min_growth=10)
    changes = {c.group.first_user_frame.function: c for c in result.changes if c.group.first_user_frame}
    for name, n in EXPECTED_COUNTS.items():
        assert (changes[name].before_count, changes[name].after_count) == (n, 3 * n), name
        assert changes[name].growth == 2 * n
    grown = {c.group.first_user_frame.function for c in result.grown if c.group.first_user_frame}
    assert grown == {k for k, n in EXPECTED_COUNTS.items() if 2 * n >= 10}
    # The profile writers differ between debug=1 and debug=2: one vanished, one new.
    statuses = sorted(
        c.status
        for c in result.changes
        if c.group.first_user_frame is None or c.group.first_user_frame.function not in EXPECTED_COUNTS
    )
    assert statuses == ["new", "vanished"]


def test_group_by_alternatives(leaky_dumps: Path) -> None:
    snap = load_snapshot(str(leaky_dumps / "goroutine.debug2.txt"))
    by_label = {g.key: g.count for g in group(snap, "label:worker")}
    assert by_label == {"worker=ingest": 10, "worker unset": sum(EXPECTED_COUNTS.values()) + 1 - 10}
    by_creator = group(snap, "created-by")
    assert len(by_creator) == len(EXPECTED_COUNTS) + 1  # + main goroutine, which has no creator
    top = {g.key.split(" ")[0]: g.count for g in group(snap, "top")}
    assert top["main.rangeUnclosed"] == 7
    with pytest.raises(ValueError, match="unknown --group-by"):
        group(snap, "colour")


def test_sigquit_dump(sigquit_dump: Path) -> None:
    text = sigquit_dump.read_text()
    assert text.startswith("SIGQUIT: quit")
    snap = load_snapshot(str(sigquit_dump))
    assert not snap.warnings, snap.warnings
    assert {k: g.count for k, g in leaky_groups(group(snap)).items()} == EXPECTED_COUNTS
    # The HTTP accept loop of the pprof server is the standard library idling, not a leak.
    verdicts = inspect(snap).verdicts
    accept = [v for v in verdicts if any(f.function == "net/http.(*Server).Serve" for f in v.group.frames)]
    assert accept and all(v.classification is Classification.BENIGN for v in accept)
