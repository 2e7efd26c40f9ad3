"""Open a source (file, `-`, URL), recognise its form (gzip, profile.proto, debug=1, debug=2) and parse it.

Everything that can go wrong with the input becomes an `InputError` with a one-line message; the CLI
prints it with the source's name. Text is streamed line by line; only profile.proto is read whole
(it is small: one sample per distinct stack), under the same byte cap as decompression.
"""

from __future__ import annotations

import io
import os
import sys
import zlib
from collections.abc import Callable
from dataclasses import replace
from typing import IO

from leaktrail.runtime.debug1 import PROFILE_HEADERS, parse_debug1
from leaktrail.runtime.debug2 import parse_debug2, parse_header
from leaktrail.runtime.fetch import FetchError, fetch, goroutine_url, is_url, leak_url
from leaktrail.runtime.gcpause import gc_paused
from leaktrail.runtime.group import stack_signature
from leaktrail.runtime.model import Form, Snapshot, Stack
from leaktrail.runtime.pprof import ProfileError, parse_debug0

DEFAULT_MAX_BYTES = 256 << 20
"""Cap on a response body and on decompressed data: four times the runtime's 64 MiB debug=2 cap."""
DEFAULT_TIMEOUT = 30.0
GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 1 << 16


class InputError(Exception):
    """Bad input: the message is one line and does not repeat the source name."""


class _Gunzip(io.RawIOBase):
    """Streaming gunzip with a cap on the output: a gzip bomb stops at `max_bytes`, not at memory's end."""

    def __init__(self, raw: IO[bytes], max_bytes: int) -> None:
        self._raw = raw
        self._max = max_bytes
        self._z = zlib.decompressobj(wbits=31)
        self._out = 0
        self.truncated = False
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._done:
            if self._z.unconsumed_tail:
                chunk = self._z.unconsumed_tail
            else:
                chunk = self._raw.read(1 << 16)
                if not chunk:
                    self._done = True
                    self.truncated = not self._z.eof
                    break
            try:
                data = self._z.decompress(chunk, len(buffer))
            except zlib.error as exc:
                raise InputError(f"corrupt gzip data: {exc}") from None
            if self._z.eof:
                # Go never writes concatenated gzip members; trailing bytes after the first are ignored.
                self._done = True
            if data:
                self._out += len(data)
                if self._out > self._max:
                    raise InputError(
                        f"decompressed data exceeds the {self._max}-byte limit (--max-bytes): a gzip bomb?"
                    )
                buffer[: len(data)] = data
                return len(data)
        return 0


def _looks_textual(head: bytes) -> bool:
    sample = head[:4096]
    if not sample:
        return True
    bad = sum(1 for b in sample if b < 0x20 and b not in (0x09, 0x0A, 0x0D))
    return bad == 0 and b"\x00" not in sample


def _text_form(head: bytes) -> Form | None:
    """Which text form starts in `head`: whichever recognisable first line comes first."""
    for line in head.decode("utf-8", "replace").splitlines():
        if line.startswith(PROFILE_HEADERS):
            return Form.DEBUG1
        if line.startswith("goroutine ") and parse_header(line) is not None:
            return Form.DEBUG2
    return None


def read_snapshot(
    stream: IO[bytes],
    source: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[int, int], None] | None = None,
    size: int = 0,
) -> Snapshot:
    """Parse any goroutine evidence form from a binary stream. `progress(bytes read, size)` is called
    as the stream is consumed when the size is known (a file)."""
    with gc_paused():
        return _read_snapshot(stream, source, max_bytes=max_bytes, progress=progress, size=size)


def _read_snapshot(
    stream: IO[bytes],
    source: str,
    *,
    max_bytes: int,
    progress: Callable[[int, int], None] | None,
    size: int,
) -> Snapshot:
    if progress is not None and size > 0:
        stream = io.BufferedReader(_Counting(stream, size, progress), buffer_size=1 << 20)
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(_RawAdapter(stream))
    head = buffered.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    if not head:
        raise InputError("empty input")
    gunzip: _Gunzip | None = None
    reader: io.BufferedReader = buffered
    if head.startswith(GZIP_MAGIC):
        gunzip = _Gunzip(buffered, max_bytes)
        reader = io.BufferedReader(gunzip, buffer_size=SNIFF_BYTES)
        head = reader.peek(SNIFF_BYTES)[:SNIFF_BYTES]
        if not head:
            raise InputError("gzip stream holds no data" + (" (truncated)" if gunzip.truncated else ""))
    if _looks_textual(head):
        snapshot = _read_text(reader, head, source)
    else:
        data = reader.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(f"binary input exceeds the {max_bytes}-byte limit (--max-bytes)")
        if gunzip is not None and gunzip.truncated:
            raise InputError("gzip stream is truncated: profile.proto cannot be read in part")
        try:
            snapshot = parse_debug0(data, source)
        except ProfileError as exc:
            raise InputError(str(exc)) from None
    if gunzip is not None and gunzip.truncated:
        snapshot = _with_warning(snapshot, "gzip stream is truncated: read what it held", truncated=True)
    return snapshot


class _RawAdapter(io.RawIOBase):
    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _Counting(_RawAdapter):
    """Reports the bytes read so far (for a progress bar), at most once per MiB."""

    def __init__(self, raw: IO[bytes], size: int, progress: Callable[[int, int], None]) -> None:
        super().__init__(raw)
        self._size = size
        self._progress = progress
        self._done = 0
        self._told = 0

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = super().readinto(buffer)
        self._done += n
        if self._done - self._told >= 1 << 20 or (n == 0 and self._done != self._told):
            self._told = self._done
            self._progress(min(self._done, self._size), max(self._size, self._done))
        return n


def _read_text(reader: io.BufferedReader, head: bytes, source: str) -> Snapshot:
    form = _text_form(head)
    text = io.TextIOWrapper(reader, encoding="utf-8", errors="replace", newline="")
    if form is Form.DEBUG1:
        try:
            return parse_debug1(text, source)
        except ValueError as exc:
            raise InputError(str(exc)) from None
    snapshot = parse_debug2(text, source)
    if snapshot.total == 0:
        lowered = head[:2048].lower()
        if b"<html" in lowered or b"<!doctype" in lowered:
            raise InputError("an HTML page, not a goroutine dump or profile")
        if snapshot.truncated:
            raise InputError("dump is truncated before its first complete goroutine")
        raise InputError(f"no goroutine dump or profile found ({snapshot.skipped_lines} lines of other text)")
    return snapshot


def _with_warning(snapshot: Snapshot, warning: str, *, truncated: bool = False) -> Snapshot:
    return replace(
        snapshot, warnings=(*snapshot.warnings, warning), truncated=snapshot.truncated or truncated
    )


def load_snapshot(
    source: str,
    *,
    leak_profile: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: IO[bytes] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Snapshot:
    """Read a file, `-` (stdin) or URL. With `leak_profile`, a URL's goroutineleak profile is fetched
    first (its GC marks leaked goroutines, which the following debug=2 dump then shows). `progress`
    hears (bytes read, file size) while a file is read."""
    if is_url(source):
        return _load_url(source, leak_profile=leak_profile, timeout=timeout, max_bytes=max_bytes)
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return read_snapshot(stream, "<stdin>", max_bytes=max_bytes)
    try:
        f = open(source, "rb")  # noqa: SIM115 - closed below, after streaming
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from None
    with f:
        try:
            size = os.fstat(f.fileno()).st_size if progress is not None else 0
            return read_snapshot(f, source, max_bytes=max_bytes, progress=progress, size=size)
        except OSError as exc:
            raise InputError(f"read failed: {exc.strerror or exc}") from None


def _fetch_snapshot(url: str, *, timeout: float, max_bytes: int) -> Snapshot:
    resp = fetch(url, timeout=timeout, max_bytes=max_bytes)
    with resp.body:
        return read_snapshot(resp.body, url, max_bytes=max_bytes)


def _load_url(source: str, *, leak_profile: bool, timeout: float, max_bytes: int) -> Snapshot:
    leak: Snapshot | None = None
    leak_warning = ""
    try:
        if leak_profile:
            try:
                leak = _fetch_snapshot(leak_url(source), timeout=timeout, max_bytes=max_bytes)
            except FetchError as exc:
                if "HTTP 404" not in str(exc):
                    raise
                leak_warning = (
                    "no goroutineleak profile at this endpoint (Go < 1.27, or 1.26 without "
                    "GOEXPERIMENT=goroutineleakprofile): nothing is proven leaked"
                )
        snapshot = _fetch_snapshot(goroutine_url(source), timeout=timeout, max_bytes=max_bytes)
    except FetchError as exc:
        raise InputError(str(exc)) from None
    if leak_warning:
        snapshot = _with_warning(snapshot, leak_warning)
    if leak is not None:
        snapshot = merge_leak_profile(snapshot, leak)
    return snapshot


def merge_leak_profile(dump: Snapshot, leak: Snapshot) -> Snapshot:
    """Cross-check a dump against a goroutineleak profile taken just before it.

    Go 1.27 keeps proven goroutines `(leaked)` in later dumps, so a debug=2 dump normally carries the
    proof itself. A dump without marks (debug=0/1) gets them from the leak profile by signature."""
    proven = sum(s.count for s in dump.stacks if s.leaked)
    if proven:
        if proven < leak.total:
            return _with_warning(
                dump,
                f"the goroutineleak profile proved {leak.total} goroutines leaked, "
                f"the dump taken after it marks {proven}",
            )
        return dump
    leaked_sigs = {stack_signature(s) for s in leak.stacks}
    stacks: list[Stack] = [
        replace(s, leaked=True) if stack_signature(s) in leaked_sigs else s for s in dump.stacks
    ]
    return replace(dump, stacks=tuple(stacks), profile="goroutine+goroutineleak")
