"""A progress bar on stderr for work that runs longer than about a second (files of a scan, bytes of a dump).

Shown only when stderr is a terminal, never with --quiet or when CI is set: logs, pipes and CI output stay
exactly as they were. The library reports progress through a plain callback `(done, total)`; this module
turns it into a rich bar that appears once the work has taken `delay` seconds and vanishes when done.
"""

from __future__ import annotations

import os
import sys
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
    """A callable `(done, total)` for the library; a context manager that removes the bar at the end."""

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

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._progress is None:
            if done >= total or time.monotonic() - self.started < self.delay:
                return
            count = DownloadColumn() if self.unit == "bytes" else MofNCompleteColumn()
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                count,
                TextColumn(self.unit if self.unit != "bytes" else ""),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=total, completed=done)
        assert self._task is not None
        self._progress.update(self._task, completed=done, total=total)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
