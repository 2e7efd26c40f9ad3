"""HTTP fetching of /debug/pprof endpoints with urllib: timeouts, same-host redirects, size caps.

The response is streamed to the parser (never held whole), through a reader that enforces both a byte cap
and an overall deadline, so neither a huge body nor a server that drips one byte a second can hang us.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from functools import cache
from typing import IO, TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from leaktrail import __version__

if TYPE_CHECKING:
    import urllib.request

# urllib.request, http.client and ssl are imported when a URL is fetched: reading a file needs none of
# them, and they are a good part of the CLI's start-up time.

GOROUTINE_PATH = "/debug/pprof/goroutine"
LEAK_PATH = "/debug/pprof/goroutineleak"
MAX_REDIRECTS = 5

ACCEPTED_TYPES = (
    "text/plain",
    "application/octet-stream",
    "application/gzip",
    "application/x-gzip",
    "application/protobuf",
    "application/x-protobuf",
    "application/vnd.google.protobuf",
)


class FetchError(Exception):
    """A one-line reason the endpoint gave us nothing usable."""


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def goroutine_url(source: str, debug: int = 2) -> str:
    """A bare `http://host:port` (or `…/debug/pprof/`) means the goroutine profile at `debug`."""
    parts = urlsplit(source)
    path = parts.path.rstrip("/")
    if path in ("", "/debug/pprof"):
        return urlunsplit((parts.scheme, parts.netloc, GOROUTINE_PATH, f"debug={debug}", ""))
    return source


def leak_url(source: str, debug: int = 1) -> str:
    parts = urlsplit(source)
    return urlunsplit((parts.scheme, parts.netloc, LEAK_PATH, f"debug={debug}", ""))


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, (parts.hostname or "").lower(), port


@cache
def _redirect_handler() -> type[urllib.request.HTTPRedirectHandler]:
    """The handler class, made on first use (its base class is urllib.request's)."""
    import urllib.request
    from http.client import HTTPMessage

    class SameHostRedirects(urllib.request.HTTPRedirectHandler):
        """Follow a redirect only to the same scheme, host and port: a profile endpoint has no reason to
        send us elsewhere, and following it could leak the request to a host the user never named."""

        max_redirections = MAX_REDIRECTS

        def redirect_request(
            self,
            req: urllib.request.Request,
            fp: IO[bytes],
            code: int,
            msg: str,
            headers: HTTPMessage,
            newurl: str,
        ) -> urllib.request.Request | None:
            if _origin(newurl) != _origin(req.full_url):
                raise FetchError(f"refused redirect ({code}) to another host: {newurl}")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return SameHostRedirects


class LimitedReader(io.RawIOBase):
    """Reads at most `max_bytes` before the `deadline` (time.monotonic), else raises FetchError."""

    def __init__(self, raw: IO[bytes], max_bytes: int, deadline: float, what: str) -> None:
        self._raw = raw
        self._max = max_bytes
        self._deadline = deadline
        self._what = what
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if time.monotonic() > self._deadline:
            raise FetchError(f"{self._what}: gave up reading the response: time limit reached")
        want = min(len(buffer), self._max - self.read_bytes + 1)
        try:
            # read1: whatever has arrived, so a server dripping bytes cannot keep us past the deadline.
            read1 = getattr(self._raw, "read1", None)
            data = read1(want) if read1 is not None else self._raw.read(want)
        except TimeoutError:
            raise FetchError(f"{self._what}: timed out reading the response") from None
        except OSError as exc:
            raise FetchError(f"{self._what}: connection failed while reading: {exc}") from None
        n = len(data)
        self.read_bytes += n
        if self.read_bytes > self._max:
            raise FetchError(
                f"{self._what}: response is larger than the {self._max}-byte limit (--max-bytes)"
            )
        buffer[:n] = data
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    content_type: str
    body: IO[bytes]
    """Buffered, capped, deadline-bound stream of the body."""


def fetch(url: str, *, timeout: float, max_bytes: int) -> Response:
    """GET `url`; the caller closes `body`. `timeout` bounds connecting, each read and the whole transfer."""
    if not is_url(url):
        raise FetchError(f"not an http(s) URL: {url}")
    import socket
    import urllib.error
    import urllib.request

    opener = urllib.request.build_opener(_redirect_handler()())
    request = urllib.request.Request(url, headers={"User-Agent": f"leaktrail/{__version__}"})
    deadline = time.monotonic() + timeout
    try:
        resp = opener.open(request, timeout=timeout)
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        detail = ""
        try:
            detail = exc.read(200).decode("utf-8", "replace").strip().splitlines()[0]
        except (OSError, IndexError):
            pass
        finally:
            exc.close()
        suffix = f": {detail}" if detail else ""
        raise FetchError(f"HTTP {exc.code} {exc.reason}{suffix}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise FetchError(f"timed out after {timeout:g}s waiting for a response") from None
        raise FetchError(f"cannot connect: {reason}") from None
    except TimeoutError:
        raise FetchError(f"timed out after {timeout:g}s waiting for a response") from None
    except OSError as exc:
        raise FetchError(f"cannot connect: {exc}") from None
    content_type = resp.headers.get_content_type() if resp.headers.get("Content-Type") else ""
    if content_type and content_type not in ACCEPTED_TYPES:
        resp.close()
        raise FetchError(f"unexpected Content-Type {content_type!r}: not a goroutine dump or profile")
    length = resp.headers.get("Content-Length")
    if length is not None and length.isdigit() and int(length) > max_bytes:
        resp.close()
        raise FetchError(f"response is larger than the {max_bytes}-byte limit (--max-bytes): {length} bytes")
    body = io.BufferedReader(LimitedReader(resp, max_bytes, deadline, "response"), buffer_size=1 << 16)
    return Response(url=resp.geturl(), content_type=content_type, body=body)
