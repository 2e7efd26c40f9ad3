"""The fleet run: targets through a runner into the aggregate, the history and the linker."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from leaktrail.fleet.aggregate import Fleet
from leaktrail.fleet.collect import FleetOptions, GroupSummary, TargetResult
from leaktrail.fleet.execute import Runner
from leaktrail.fleet.store import FleetHistory
from leaktrail.fleet.targets import Target


def run_fleet(
    targets: Sequence[Target],
    opts: FleetOptions,
    runner: Runner,
    *,
    history: FleetHistory | None = None,
    on_result: Callable[[Fleet, TargetResult], None] = lambda f, r: None,
) -> Fleet:
    """Every target's result folded in exactly once; the history gets the same, as it arrives."""
    fleet = Fleet(expected=len(targets))
    for r in runner.run(targets, opts):
        if not fleet.add(r):
            continue
        if history is not None:
            history.add(r)
        on_result(fleet, r)
    if history is not None:
        history.add_services(fleet)
    return fleet


def parse_sources(values: Sequence[str]) -> dict[str, Path]:
    """`--source SERVICE=DIR` (repeatable) → {service: dir}; ValueError names the bad value."""
    out: dict[str, Path] = {}
    for value in values:
        service, sep, directory = value.partition("=")
        if not sep or not service or not directory:
            raise ValueError(f"{value!r}: use SERVICE=DIR, e.g. orders=./services/orders")
        path = Path(directory)
        if not path.is_dir():
            raise ValueError(f"{value!r}: {directory} is not a directory")
        out[service] = path
    return out


def link_sources(
    fleet: Fleet,
    sources: Mapping[str, Path],
    *,
    top: int | None = None,
    on_warning: Callable[[str], None] = lambda m: None,
) -> None:
    """Explain each service's ranked groups with static findings from that service's source tree (the
    linker `inspect --source` uses). A tree that cannot be scanned is a warning, not the end of the run."""
    from leaktrail.watch.linking import SourceLinks

    ranked = fleet.ranked()
    if top is not None:
        ranked = ranked[:top]
    for service, path in sorted(sources.items()):
        if service not in fleet.services:
            on_warning(f"--source {service}={path}: no target of service {service!r}")
            continue
        links, why_not = SourceLinks.open(path)
        if links is None:
            on_warning(f"--source {service}={path}: {why_not}")
            continue
        for g in ranked:
            if g.service == service:
                summary = GroupSummary(
                    g.key,
                    g.classification,
                    g.reason,
                    g.total,
                    g.leaked,
                    g.blocking,
                    g.function,
                    g.frames,
                    g.created_by,
                )
                g.findings = links.findings(summary.to_group())
