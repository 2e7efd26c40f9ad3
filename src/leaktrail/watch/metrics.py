"""Prometheus metrics for `watch --metrics-addr`: a private registry served by prometheus_client."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Gauge, start_http_server

if TYPE_CHECKING:
    from leaktrail.watch.watcher import TargetState

MAX_GROUP_SERIES = 20
"""Per target: the biggest groups plus every flagged one get a series; more would explode cardinality."""


def parse_addr(addr: str) -> tuple[str, int]:
    """`127.0.0.1:9464`, `:9464` (loopback) or `[::1]:9464`."""
    host, sep, port = addr.rpartition(":")
    if not sep or not port.isdigit() or int(port) > 65535:
        raise ValueError(f"{addr!r} is not HOST:PORT")
    host = host.strip("[]") or "127.0.0.1"
    return host, int(port)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.goroutines = Gauge(
            "leaktrail_goroutines", "Goroutines in the last sample.", ["target"], registry=r
        )
        self.group_goroutines = Gauge(
            "leaktrail_group_goroutines",
            "Goroutines per stack group (biggest and flagged groups).",
            ["target", "group", "function", "classification"],
            registry=r,
        )
        self.group_slope = Gauge(
            "leaktrail_group_growth_per_minute",
            "Theil–Sen slope of a group's count over the window, goroutines per minute.",
            ["target", "group", "function"],
            registry=r,
        )
        self.suspect_groups = Gauge(
            "leaktrail_suspect_groups",
            "Groups classified suspect in the last sample.",
            ["target"],
            registry=r,
        )
        self.leaked_goroutines = Gauge(
            "leaktrail_leaked_goroutines",
            "Goroutines proven leaked by the last goroutineleak profile.",
            ["target"],
            registry=r,
        )
        self.growing_groups = Gauge(
            "leaktrail_growing_groups", "Groups the trend test flags as growing.", ["target"], registry=r
        )
        self.up = Gauge("leaktrail_target_up", "1 when the last poll succeeded.", ["target"], registry=r)
        self.scrape_errors = Counter(
            "leaktrail_scrape_errors", "Failed polls (down, slow, garbage).", ["target"], registry=r
        )
        self.samples = Counter("leaktrail_samples", "Successful polls.", ["target"], registry=r)
        self.scrape_seconds = Gauge(
            "leaktrail_scrape_duration_seconds",
            "Fetch and parse time of the last poll.",
            ["target"],
            registry=r,
        )
        self._group_labels: dict[str, set[tuple[str, str, str, str]]] = {}
        self._slope_labels: dict[str, set[tuple[str, str, str]]] = {}
        self._server: Any = None

    def serve(self, addr: str) -> tuple[str, int]:
        host, port = parse_addr(addr)
        server, _thread = start_http_server(port, addr=host, registry=self.registry)
        self._server = server
        bound = server.server_address
        return str(bound[0]), int(bound[1])

    def error(self, target: str, seconds: float) -> None:
        self.up.labels(target).set(0)
        self.scrape_errors.labels(target).inc()
        self.scrape_seconds.labels(target).set(seconds)

    def sample(
        self,
        target: str,
        *,
        total: int,
        seconds: float,
        suspect: int,
        leaked: int,
        growing: int,
        groups: Iterable[tuple[str, str, str, int, float | None]],
    ) -> None:
        """`groups`: (key, function, classification, count, slope per minute), already limited."""
        self.up.labels(target).set(1)
        self.samples.labels(target).inc()
        self.goroutines.labels(target).set(total)
        self.scrape_seconds.labels(target).set(seconds)
        self.suspect_groups.labels(target).set(suspect)
        self.leaked_goroutines.labels(target).set(leaked)
        self.growing_groups.labels(target).set(growing)
        seen: set[tuple[str, str, str, str]] = set()
        seen_slope: set[tuple[str, str, str]] = set()
        for key, function, classification, count, per_min in groups:
            labels = (target, key, function, classification)
            self.group_goroutines.labels(*labels).set(count)
            seen.add(labels)
            if per_min is not None:
                self.group_slope.labels(target, key, function).set(per_min)
                seen_slope.add((target, key, function))
        for stale in self._group_labels.get(target, set()) - seen:
            self.group_goroutines.remove(*stale)
        for stale_slope in self._slope_labels.get(target, set()) - seen_slope:
            self.group_slope.remove(*stale_slope)
        self._group_labels[target] = seen
        self._slope_labels[target] = seen_slope

    def observe(self, t: TargetState, seconds: float) -> None:
        """Fold a target's state after a poll into the metrics."""
        if t.last_error is not None:
            self.error(t.url, seconds)
            return
        shown = t.top(MAX_GROUP_SERIES)
        shown += [g for g in t.flagged if g not in shown]
        self.sample(
            t.url,
            total=t.total or 0,
            seconds=seconds,
            suspect=sum(1 for g in t.groups.values() if g.verdict.classification.value == "suspect"),
            leaked=sum(t.leaked.values()),
            growing=len(t.flagged),
            groups=[
                (
                    g.group.key,
                    g.function,
                    g.verdict.classification.value,
                    g.group.count,
                    g.trend.per_minute if g.trend is not None else None,
                )
                for g in shown
            ],
        )

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
