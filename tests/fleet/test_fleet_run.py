"""The fleet against real parts: 20 leaky Go processes, 1,000 recorded instances of four services served
over HTTP, and a hung, a garbage and a dead target; on a local process pool and on a Dask LocalCluster with
two worker processes, which must agree, and survive a worker process being killed mid-run."""

from __future__ import annotations

import os
import signal
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fleettools import (
    EXPECTED_COUNTS,
    EXPECTED_STATES,
    PROVEN,
    SERVICES,
    ProfileServer,
    scale_for,
    write_targets,
)

from leaktrail.fleet import (
    DaskRunner,
    Fleet,
    FleetOptions,
    LocalRunner,
    Runner,
    TargetResult,
    load_targets,
    run_fleet,
)
from leaktrail.fleet.execute import MAX_ATTEMPTS

N_RECORDED = 1000
OPTS = FleetOptions(timeout=1.0, keep=0)


def comparable(fleet: Fleet) -> dict[str, Any]:
    """The fleet's JSON without timings, and without the goroutine totals of the live processes (their
    HTTP server goroutines come and go with our own requests); everything else must match exactly."""
    data = fleet.to_json(timings=False)
    for row in data["target_results"]:
        if row["service"] == "live":
            row["goroutines"] = None
    for s in data["services"]:
        if s["service"] == "live":
            s["goroutines"] = None
    return data


def run(targets_file: Path, runner: Runner, **kwargs: Any) -> Fleet:
    try:
        return run_fleet(load_targets(targets_file), OPTS, runner, **kwargs)
    finally:
        runner.close()


@pytest.fixture(scope="module")
def fleet_file(
    tmp_path_factory: pytest.TempPathFactory, server: ProfileServer, live: list[tuple[str, int]]
) -> Path:
    path = tmp_path_factory.mktemp("fleet") / "targets.txt"
    write_targets(path, server, N_RECORDED, live)
    return path


@pytest.fixture(scope="module")
def local_fleet(fleet_file: Path) -> Fleet:
    return run(fleet_file, LocalRunner(2))


def test_every_target_once_bad_ones_reported(local_fleet: Fleet, live: list[tuple[str, int]]) -> None:
    fleet = local_fleet
    assert fleet.expected == fleet.done == len(live) + N_RECORDED + 3
    assert fleet.duplicates == 0
    failed = {r.instance: r.error or "" for r in fleet.target_rows() if r.error is not None}
    assert set(failed) == {"hung", "garbage", "dead"}, failed
    assert "timed out" in failed["hung"]
    assert failed["garbage"] == "an HTML page, not a goroutine dump or profile"
    assert failed["dead"].startswith("cannot connect")
    stats = {s: fleet.services[s] for s in fleet.services}
    assert stats["broken"].failed == 3 and stats["live"].failed == 0
    assert all(
        stats[s].instances == N_RECORDED // 4 and stats[s].leak_served == N_RECORDED // 4 for s in SERVICES
    )


def test_groups_add_up_across_instances(local_fleet: Fleet, live: list[tuple[str, int]]) -> None:
    ranked = local_fleet.ranked()
    by = {(g.service, g.function): g for g in ranked}
    for k, service in enumerate(SERVICES):
        scale_sum = sum(scale_for(i) for i in range(k, N_RECORDED, 4))
        for fn in PROVEN:
            g = by[(service, fn)]
            assert g.classification == "leaked"
            assert g.instances == g.leaking_instances == N_RECORDED // 4
            assert g.leaked == g.leaking == EXPECTED_COUNTS[fn] * scale_sum, (service, fn)
            assert g.blocking == EXPECTED_STATES[fn].removesuffix(" (nil chan)")  # debug=0: no wait reason
            assert g.score == g.leaking * g.instances
            assert g.max_count == EXPECTED_COUNTS[fn] * 5
        # 11 × scale goroutines on a global channel: never proven, and under --min-count 100.
        assert (service, "main.globalWorker") not in by and (service, "main.sleeper") not in by
    live_scales = sum(scale for _, scale in live)
    for fn in PROVEN:
        g = by[("live", fn)]
        assert g.leaked == EXPECTED_COUNTS[fn] * live_scales and g.leaking_instances == len(live)
    # Ranked by score, and the same function leaking in all five services is one shared site.
    scores = [g.score for g in ranked]
    assert scores == sorted(scores, reverse=True)
    shared = {s.function: s for s in local_fleet.shared()}
    assert set(shared) == PROVEN
    assert shared["main.sendNoReceiver"].services == tuple(sorted((*SERVICES, "live")))


def test_dask_gives_the_same_fleet(local_fleet: Fleet, fleet_file: Path, dask_scheduler: str) -> None:
    dask_fleet = run(fleet_file, DaskRunner(dask_scheduler))
    assert comparable(dask_fleet) == comparable(local_fleet)


def _killer(kill: Any, after: int) -> Any:
    state = {"killed": False}

    def on_result(fleet: Fleet, r: TargetResult) -> None:
        if not state["killed"] and fleet.done >= after:
            state["killed"] = True
            kill()

    return on_result, state


def test_dask_worker_killed_mid_run(local_fleet: Fleet, fleet_file: Path, dask_scheduler: str) -> None:
    runner = DaskRunner(dask_scheduler)
    pids = runner.worker_pids()
    assert len(pids) == 2
    victim = sorted(pids.values())[0]
    on_result, state = _killer(lambda: os.kill(victim, signal.SIGKILL), 150)
    try:
        fleet = run_fleet(load_targets(fleet_file), OPTS, runner, on_result=on_result)
        assert state["killed"]
        runner.client.wait_for_workers(2, timeout=60)
        assert victim not in runner.worker_pids().values()  # the nanny started a new worker process
    finally:
        runner.close()
    assert comparable(fleet) == comparable(local_fleet)  # every target exactly once, none lost


def test_local_worker_killed_mid_run(local_fleet: Fleet, fleet_file: Path) -> None:
    runner = LocalRunner(2)

    def kill() -> None:
        os.kill(runner.pids[0], signal.SIGKILL)

    on_result, state = _killer(kill, 150)
    fleet = run(fleet_file, runner, on_result=on_result)
    assert state["killed"] and runner.restarts >= 1
    assert comparable(fleet) == comparable(local_fleet)
    assert MAX_ATTEMPTS > 1
    assert Counter(r.error is None for r in fleet.target_rows())[False] == 3
