"""Run `analyse_target` over many targets: a local process pool, or a Dask distributed cluster.

Both keep a bounded number of targets in flight (results are folded as they arrive, so the client's memory
follows the window, not the fleet) and both survive a worker process dying: its targets run again on
another worker, and a target is given up only after it was in flight in `MAX_ATTEMPTS` deaths (a target
that kills whatever parses it must not kill the run). Results may come twice after a death; the `Fleet`
aggregate counts each target once.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import multiprocessing
import os
import time
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from leaktrail.fleet.collect import FleetOptions, TargetResult, analyse_batch, analyse_target
from leaktrail.fleet.targets import Target

MAX_ATTEMPTS = 3
_DIED = f"a worker process died while analysing it ({MAX_ATTEMPTS} times)"
DASK_INSTALL = "pip install 'leaktrail[fleet]'"


class ExecutorError(Exception):
    """The executor itself cannot run (no `distributed`, a scheduler that does not answer): one line."""


class Runner(Protocol):
    description: str

    def run(self, targets: Sequence[Target], opts: FleetOptions) -> Iterator[TargetResult]:
        """Every target's result, in completion order (possibly one twice after a worker died)."""
        ...

    def close(self) -> None: ...


def default_jobs() -> int:
    """Fetching is mostly waiting: twice the cores, at least 2."""
    return max(2, 2 * (os.cpu_count() or 1))


def _gave_up(t: Target, why: str) -> TargetResult:
    return TargetResult(t.index, t.service, t.instance, t.name, time.time(), error=why)


class LocalRunner:
    """A process pool on this machine (`-j N`): processes, not threads, because parsing holds the GIL."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.description = f"{jobs} local processes"
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(["leaktrail.fleet.collect"])
        self._pool: ProcessPoolExecutor | None = None
        self.restarts = 0

    def _new_pool(self) -> ProcessPoolExecutor:
        self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=self._ctx)
        return self._pool

    @property
    def pids(self) -> list[int]:
        """The pool's worker processes (for tests that kill one)."""
        procs = getattr(self._pool, "_processes", None) or {}
        return sorted(procs)

    def run(self, targets: Sequence[Target], opts: FleetOptions) -> Iterator[TargetResult]:
        queue = list(reversed(targets))
        attempts: dict[int, int] = {}
        window = self.jobs * 4
        pool = self._pool or self._new_pool()
        in_flight: dict[Future[TargetResult], Target] = {}
        while queue or in_flight:
            while queue and len(in_flight) < window:
                t = queue.pop()
                try:
                    in_flight[pool.submit(analyse_target, t, opts)] = t
                except BrokenProcessPool:
                    queue.append(t)
                    break
            done, _ = wait(list(in_flight), return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                t = in_flight.pop(fut)
                exc = fut.exception()
                if exc is None:
                    yield fut.result()
                elif isinstance(exc, BrokenProcessPool):
                    broken = True
                    attempts[t.index] = attempts.get(t.index, 0) + 1
                    if attempts[t.index] >= MAX_ATTEMPTS:
                        yield _gave_up(t, _DIED)
                    else:
                        queue.append(t)
                else:
                    yield _gave_up(t, f"internal error: {type(exc).__name__}: {exc}".splitlines()[0])
            if broken or getattr(pool, "_broken", False):
                # Every future of a broken pool fails; those still pending were innocent bystanders
                # only if they had not started, which a pool cannot tell us: count them all.
                for fut, t in list(in_flight.items()):
                    try:
                        yield fut.result(timeout=0)
                    except Exception:
                        attempts[t.index] = attempts.get(t.index, 0) + 1
                        if attempts[t.index] >= MAX_ATTEMPTS:
                            yield _gave_up(t, _DIED)
                        else:
                            queue.append(t)
                in_flight.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                self.restarts += 1
                pool = self._new_pool()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def dask_available() -> bool:
    return importlib.util.find_spec("distributed") is not None


def _distributed() -> Any:
    """The optional `distributed` module (untyped to us: it may not be installed where mypy runs)."""
    try:
        return importlib.import_module("distributed")
    except ImportError:
        raise ExecutorError(f"--dask needs the distributed package: {DASK_INSTALL}") from None


class DaskRunner:
    """`--dask ADDRESS` (an existing scheduler) or `--dask local:N` (a LocalCluster of N worker processes
    on 127.0.0.1). Workers run fetch+parse+group+classify and send back a `TargetResult` only."""

    def __init__(
        self, spec: str, *, threads_per_worker: int = 4, connect_timeout: float = 15.0, batch: int = 0
    ) -> None:
        self.batch = batch
        dd = _distributed()
        Client, LocalCluster = dd.Client, dd.LocalCluster
        self._cluster: Any = None
        try:
            if spec.startswith("local:") or spec == "local":
                n = spec.partition(":")[2] or "2"
                if not n.isdigit() or int(n) < 1:
                    raise ExecutorError(f"--dask {spec}: local:N needs a number of workers, e.g. local:4")
                self._cluster = LocalCluster(
                    n_workers=int(n),
                    threads_per_worker=threads_per_worker,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client: Any = Client(self._cluster, set_as_default=False)
                self.description = f"Dask LocalCluster, {n} worker processes × {threads_per_worker} threads"
            else:
                address = spec if "://" in spec else f"tcp://{spec}"
                self.client = Client(address, timeout=connect_timeout, set_as_default=False)
                try:
                    # Tasks sent to a scheduler without workers would wait forever.
                    self.client.wait_for_workers(1, timeout=connect_timeout)
                except TimeoutError:
                    raise ExecutorError(
                        f"--dask {spec}: no worker joined the scheduler within {connect_timeout:g}s "
                        f"(start one with: dask worker {address})"
                    ) from None
                self.description = f"Dask scheduler {address}"
        except ExecutorError:
            self.close()
            raise
        except (OSError, TimeoutError, ValueError) as exc:
            self.close()
            text = str(exc).strip().strip("'\"").splitlines()
            raise ExecutorError(f"--dask {spec}: {text[0] if text else type(exc).__name__}") from None

    def _threads(self) -> int:
        try:
            return max(1, int(sum(self.client.nthreads().values())))
        except Exception:
            return 4

    def worker_pids(self) -> dict[str, int]:
        """Worker address → process id (tests kill one)."""
        return dict(self.client.run(os.getpid))

    def run(self, targets: Sequence[Target], opts: FleetOptions) -> Iterator[TargetResult]:
        as_completed = _distributed().as_completed
        token = uuid.uuid4().hex[:8]
        threads = self._threads()
        # Batches: enough of them to keep every thread busy and balance the tail, few enough that the
        # scheduler's per-task cost does not dominate.
        size = self.batch or max(1, min(16, len(targets) // (threads * 8)))
        batches = [list(targets[i : i + size]) for i in range(0, len(targets), size)]
        queue = list(reversed(batches))
        window = threads * 2
        futures: dict[str, list[Target]] = {}
        ac = as_completed(loop=self.client.loop)

        def submit() -> None:
            batch = queue.pop()
            key = f"leaktrail-fleet-{token}-{batch[0].index}"
            fut = self.client.submit(analyse_batch, batch, opts, key=key)
            futures[fut.key] = batch
            ac.add(fut)

        while queue and len(futures) < window:
            submit()
        for fut in ac:
            batch = futures.pop(fut.key)
            try:
                if fut.status == "finished":
                    yield from fut.result()
                else:
                    try:
                        exc = fut.exception()
                    except Exception as err:  # cancelled: the scheduler forgot the task
                        exc = err
                    name = type(exc).__name__
                    if name == "KilledWorker":
                        why = "Dask workers died while analysing it (the scheduler gave up)"
                    else:
                        why = f"internal error on a Dask worker: {name}: {exc}".splitlines()[0]
                    for t in batch:
                        yield _gave_up(t, why)
            finally:
                fut.release()
            while queue and len(futures) < window:
                submit()

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
