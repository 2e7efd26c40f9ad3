"""Alerts leave the watch loop through a queue: a webhook that is slow or down never delays a poll."""

from __future__ import annotations

import contextlib
import json
import queue
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from leaktrail import __version__


@dataclass(frozen=True, slots=True)
class Alert:
    kind: str
    """`growing` (the trend test fired), `leaked` (the runtime proved it), `cleared` (no longer growing)."""
    target: str
    key: str
    function: str | None
    blocking: str | None
    count: int
    ts: float
    per_minute: float | None = None
    z: float | None = None
    p: float | None = None
    samples: int | None = None
    classification: str | None = None
    findings: tuple[dict[str, Any], ...] = field(default=())

    @property
    def message(self) -> str:
        where = self.function or "(no user frame)"
        op = f" ({self.blocking})" if self.blocking else ""
        if self.kind == "growing":
            rate = f"{self.per_minute:+,.0f}/min" if self.per_minute is not None else "growing"
            stats = (
                f" over {self.samples} samples (Mann–Kendall z={self.z:.1f}, p={self.p:.1g})"
                if self.z is not None and self.p is not None
                else ""
            )
            text = f"group {self.key} {where}{op}: {self.count:,} goroutines, {rate}{stats}"
        elif self.kind == "leaked":
            text = f"group {self.key} {where}{op}: {self.count:,} goroutines proven leaked by the runtime"
        else:
            text = f"group {self.key} {where}{op}: no longer growing ({self.count:,} goroutines)"
        for f in self.findings[:3]:
            text += f"; explained by {f.get('rule', '?')} at {f.get('path', '?')}:{f.get('line', '?')}"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "source": "leaktrail",
            "version": __version__,
            "kind": self.kind,
            "target": self.target,
            "group": self.key,
            "function": self.function,
            "blocking": self.blocking,
            "count": self.count,
            "per_minute": self.per_minute,
            "mann_kendall_z": self.z,
            "p_value": self.p,
            "samples": self.samples,
            "classification": self.classification,
            "time": self.ts,
            "message": self.message,
            "findings": list(self.findings),
        }


class Webhook:
    """POSTs alerts as JSON from a daemon thread, retrying with backoff; `send` never blocks."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 5.0,
        retries: int = 3,
        backoff: float = 1.0,
        on_error: Callable[[str], None] | None = None,
        queue_size: int = 1000,
    ) -> None:
        self.url = url
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.on_error = on_error or (lambda _msg: None)
        self.sent = 0
        self.failed = 0
        self.dropped = 0
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue(maxsize=queue_size)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="leaktrail-webhook", daemon=True)
        self._thread.start()

    def send(self, payload: dict[str, Any]) -> None:
        try:
            self._queue.put_nowait(payload)
        except queue.Full:
            self.dropped += 1

    def close(self, wait: float = 5.0) -> None:
        """Deliver what is queued for at most `wait` seconds, then give up (the thread is a daemon)."""
        deadline = time.monotonic() + wait
        with contextlib.suppress(queue.Full):
            self._queue.put(None, timeout=max(0.0, wait))
        self._thread.join(max(0.0, deadline - time.monotonic()))
        self._stop.set()

    def _post(self, body: bytes) -> None:
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": f"leaktrail/{__version__}"},
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as resp:
            resp.read(1 << 16)

    def _run(self) -> None:
        while True:
            payload = self._queue.get()
            if payload is None:
                return
            body = json.dumps(payload).encode()
            for attempt in range(self.retries + 1):
                try:
                    self._post(body)
                    self.sent += 1
                    break
                except (urllib.error.URLError, OSError, ValueError) as exc:
                    if attempt == self.retries:
                        self.failed += 1
                        self.on_error(f"webhook {self.url}: gave up after {attempt + 1} attempts: {exc}")
                        break
                    # Closing stops the backoff waits, not the attempts still owed to this alert.
                    self._stop.wait(self.backoff * 2**attempt)
