"""Leak hunting across a fleet: many instances of many services, analysed locally or on a Dask cluster.

`load_targets(path)` reads the targets; `run_fleet(targets, FleetOptions(), runner)` analyses each on a
`LocalRunner(jobs)` or `DaskRunner(spec)` and folds the compact per-target results into a `Fleet`, whose
`ranked()` groups (by stack fingerprint within a service) and `shared()` sites (one function leaking in
several services) are what the text, JSON and HTML renderers show.
"""

from leaktrail.fleet.aggregate import Fleet, ServiceGroup, SharedSite, TargetRow, fold
from leaktrail.fleet.collect import FleetOptions, GroupSummary, TargetResult, analyse_target
from leaktrail.fleet.execute import (
    DASK_INSTALL,
    DaskRunner,
    ExecutorError,
    LocalRunner,
    Runner,
    dask_available,
    default_jobs,
)
from leaktrail.fleet.run import link_sources, parse_sources, run_fleet
from leaktrail.fleet.store import SERVICE_PREFIX, FleetHistory
from leaktrail.fleet.targets import Target, TargetsError, load_targets

__all__ = [
    "DASK_INSTALL",
    "SERVICE_PREFIX",
    "DaskRunner",
    "ExecutorError",
    "Fleet",
    "FleetHistory",
    "FleetOptions",
    "GroupSummary",
    "LocalRunner",
    "Runner",
    "ServiceGroup",
    "SharedSite",
    "Target",
    "TargetResult",
    "TargetRow",
    "TargetsError",
    "analyse_target",
    "dask_available",
    "default_jobs",
    "fold",
    "link_sources",
    "load_targets",
    "parse_sources",
    "run_fleet",
]
