"""One poll of one target: fetch its goroutine profile (and, when due, its goroutineleak profile), parse it,
group it. Runs in a worker thread; never raises: every failure becomes a one-line `error`."""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from leaktrail.runtime.detect import InputError, read_snapshot
from leaktrail.runtime.fetch import GOROUTINE_PATH, LEAK_PATH, FetchError, fetch, is_url
from leaktrail.runtime.group import group
from leaktrail.runtime.model import Group, Snapshot

_PARSE_ERRORS = (InputError, FetchError, OSError, EOFError, UnicodeError, zlib.error, ValueError)


def profile_url(target: str, path: str, debug: int) -> str:
    """`http://host:port` (or any URL on that host) → its /debug/pprof/{goroutine,goroutineleak}?debug=N.
    A URL that already names the goroutine endpoint keeps its path prefix (a service may mount pprof
    under /admin/debug/pprof/…)."""
    parts = urlsplit(target)
    base = parts.path
    for known in (GOROUTINE_PATH, LEAK_PATH, "/debug/pprof"):
        i = base.find(known)
        if i >= 0:
            base = base[:i]
            break
    else:
        base = base.rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, base.rstrip("/") + path, f"debug={debug}", ""))


def validate_target(target: str) -> str | None:
    """Why `target` cannot be watched, or None."""
    if not is_url(target):
        return "not an http(s) URL"
    if not urlsplit(target).hostname:
        return "no host in URL"
    return None


@dataclass(frozen=True, slots=True)
class Fetched:
    snapshot: Snapshot | None
    groups: tuple[Group, ...]
    error: str | None
    duration_ms: float
    nbytes: int | None
    not_served: bool = False
    """404: the endpoint does not exist on this target (no goroutineleak profile before Go 1.26/1.27)."""


@dataclass(frozen=True, slots=True)
class PollResult:
    url: str
    ts: float
    """Wall-clock time the poll started."""
    goroutine: Fetched
    leak: Fetched | None


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def fetch_profile(url: str, *, timeout: float, max_bytes: int) -> Fetched:
    start = time.monotonic()
    nbytes: int | None = None
    try:
        resp = fetch(url, timeout=timeout, max_bytes=max_bytes)
        with resp.body:
            snapshot = read_snapshot(resp.body, url, max_bytes=max_bytes)
            raw = getattr(resp.body, "raw", None)
            nbytes = getattr(raw, "read_bytes", None)
        groups = tuple(group(snapshot, "stack"))
    except _PARSE_ERRORS as exc:
        message = _one_line(exc)
        return Fetched(
            None,
            (),
            message,
            (time.monotonic() - start) * 1000,
            nbytes,
            not_served=message.startswith("HTTP 404"),
        )
    except Exception as exc:  # a parser bug must not stop the watch: report it as this target's error
        return Fetched(None, (), f"internal error: {type(exc).__name__}: {_one_line(exc)}", 0.0, nbytes)
    return Fetched(snapshot, groups, None, (time.monotonic() - start) * 1000, nbytes)


def poll(url: str, *, debug: int, timeout: float, max_bytes: int, want_leak: bool) -> PollResult:
    """The leak profile first: its GC marks leaked goroutines, which the goroutine profile then shows."""
    ts = time.time()
    leak = None
    if want_leak:
        leak = fetch_profile(profile_url(url, LEAK_PATH, debug), timeout=timeout, max_bytes=max_bytes)
    goroutine = fetch_profile(profile_url(url, GOROUTINE_PATH, debug), timeout=timeout, max_bytes=max_bytes)
    return PollResult(url, ts, goroutine, leak)
