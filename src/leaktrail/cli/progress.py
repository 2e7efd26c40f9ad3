"""A progress bar on stderr for work that runs longer than about a second (files of a scan, bytes of a dump).

Shown only when stderr is a terminal, never with --quiet or when CI is set: logs, pipes and CI output stay
exactly as they were. The library reports progress through a plain callback `(done, total)`; this module
turns it into a rich bar that appears once the work has taken `delay` seconds and vanishes when done.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

DELAY = 1.0
"""Seconds of work before a bar appears: quick runs print nothing extra (LEAKTRAIL_PROGRESS_DELAY
overrides it; the tests set 0 so that a fast machine still shows one)."""


def _delay() -> float:
    try:
        return float(os.environ.get("LEAKTRAIL_PROGRESS_DELAY", DELAY))
    except ValueError:
        return DELAY


def wanted(quiet: bool) -> bool:
    return not quiet and not os.environ.get("CI") and sys.stderr.isatty()


class ProgressBar:
    """A callable `(done, total[, in_flight])` for the library; a context manager that removes the bar at
    the end.

    The library calls it when work starts and as pieces complete; a timer shows the bar once `delay` has
    passed even if nothing completed meanwhile (one big package analysed as a whole), and rich redraws the
    elapsed time from then on."""

    def __init__(
        self, label: str, *, unit: str = "files", enabled: bool = True, delay: float | None = None
    ) -> None:
        self.label = label
        self.unit = unit
        self.enabled = enabled
        self.delay = _delay() if delay is None else delay
        self.started = time.monotonic()
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._state: tuple[int, int, int | None] = (0, 0, None)
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._closed = False

    def __call__(self, done: int, total: int, in_flight: int | None = None) -> None:
        if not self.enabled:
            return
        with self._lock:
            self._state = (done, total, in_flight)
            if self._progress is None:
                if done >= total:
                    return
                wait = self.delay - (time.monotonic() - self.started)
                if wait > 0:
                    if self._timer is None:
                        self._timer = threading.Timer(wait, self._due)
                        self._timer.daemon = True
                        self._timer.start()
                    return
                self._show()
            self._update()

    def _due(self) -> None:
        with self._lock:
            done, total, _ = self._state
            if self._progress is None and not self._closed and done < total:
                self._show()
                self._update()

    def _show(self) -> None:
        count = DownloadColumn() if self.unit == "bytes" else MofNCompleteColumn()
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            count,
            TextColumn(self.unit if self.unit != "bytes" else ""),
            TextColumn("{task.fields[flight]}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task(self.label, total=self._state[1], flight="")

    def _update(self) -> None:
        assert self._progress is not None and self._task is not None
        done, total, in_flight = self._state
        flight = "" if in_flight is None else f"· {in_flight} {_packages(in_flight)} in flight"
        self._progress.update(self._task, completed=done, total=total, flight=flight)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()
            if self._progress is not None:
                self._progress.stop()
                self._progress = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _packages(n: int) -> str:
    return "package" if n == 1 else "packages"
