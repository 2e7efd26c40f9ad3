"""Real evidence for the runtime tests: Go programs built once per session, run, dumped and served."""

from __future__ import annotations

import gzip
import http.server
import os
import select
import signal
import socketserver
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from gotools import go_binary, go_env, run_go

GOPROGS = Path(__file__).parent / "goprogs"
FIXTURES = Path(__file__).parent / "fixtures"


def _build(name: str, out: Path) -> Path:
    binary = out / name
    proc = run_go(["build", "-o", str(binary), "."], cwd=GOPROGS / name, timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"go build {name} failed:\n{proc.stderr}")
    return binary


@pytest.fixture(scope="session")
def leaky_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build("leaky", tmp_path_factory.mktemp("bin"))


def _dump(binary: Path, out: Path, scale: int) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [str(binary), "-out", str(out), "-scale", str(scale)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=go_env(),
    )
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="session")
def leaky_dumps(leaky_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """goroutine and goroutineleak profiles at debug 0, 1 and 2 of one run with -scale 1."""
    return _dump(leaky_bin, tmp_path_factory.mktemp("dumps1"), 1)


@pytest.fixture(scope="session")
def leaky_dumps_x3(leaky_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _dump(leaky_bin, tmp_path_factory.mktemp("dumps3"), 3)


def _crash(binary: Path, out: Path, traceback: str) -> Path:
    proc = subprocess.run(
        [str(binary), "-crash"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=go_env(GOTRACEBACK=traceback),
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    path = out / f"crash-{traceback}.txt"
    path.write_text(proc.stderr)
    return path


@pytest.fixture(scope="session")
def crash_dumps(leaky_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("crash")
    return {tb: _crash(leaky_bin, out, tb) for tb in ("all", "system")}


@pytest.fixture(scope="session")
def test_timeout_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole output of a real `go test -timeout 1s -v` whose test hangs."""
    proc = subprocess.run(
        [go_binary(), "test", "-timeout", "1s", "-v", "-count=1", "."],
        cwd=GOPROGS / "hangtest",
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=go_env(),
    )
    assert proc.returncode != 0
    assert "panic: test timed out" in proc.stdout + proc.stderr
    path = tmp_path_factory.mktemp("gotest") / "go-test.log"
    path.write_text(proc.stdout + proc.stderr)
    return path


@pytest.fixture(scope="session")
def leaky_server(leaky_bin: Path) -> Iterator[str]:
    """`leaky -serve`: net/http/pprof on 127.0.0.1, a free port; yields the base URL."""
    proc = subprocess.Popen(
        [str(leaky_bin), "-serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=go_env(),
        text=True,
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        if not ready:
            pytest.fail("leaky -serve did not start")
        line = proc.stdout.readline().strip()
        assert line.startswith("listening on http://"), line
        yield line.removeprefix("listening on ")
    finally:
        proc.kill()
        proc.wait(timeout=30)


class _BadHandler(http.server.BaseHTTPRequestHandler):
    """Endpoints that misbehave in every way a profile endpoint can."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(
        self,
        status: int,
        body: bytes,
        ctype: str = "text/plain; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        # The first path segment picks the misbehaviour; the rest of the URL does not matter.
        path = self.path.split("?", 1)[0].strip("/").split("/", 1)[0]
        server: _BadServer = self.server  # type: ignore[assignment]
        if path == "hang":
            server.release.wait(30)
            return
        if path == "drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(60):
                if server.release.is_set():
                    return
                try:
                    self.wfile.write(b"g")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.2)
            return
        if path == "500":
            self._send(500, b"profile failed: boom\nmore detail\n")
            return
        if path == "html":
            self._send(200, b"<html><body>login</body></html>", "text/html; charset=utf-8")
            return
        if path == "htmlplain":
            self._send(200, b"<!DOCTYPE html><html><body>login</body></html>\n")
            return
        if path == "bomb":
            self._send(200, server.bomb, "application/octet-stream")
            return
        if path == "big":
            self._send(200, b"x" * (2 << 20))
            return
        if path == "elsewhere":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.2:1/debug/pprof/goroutine?debug=2")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path == "samehost":
            self.send_response(302)
            self.send_header("Location", "/good/debug/pprof/goroutine?debug=2")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path == "good":
            self._send(200, (FIXTURES / "goroutine.debug2.txt").read_bytes())
            return
        self._send(404, b"404 page not found\n")


class _BadServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    release: threading.Event

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hang up on purpose (size caps, timeouts)

    bomb: bytes


@pytest.fixture(scope="session")
def bad_server() -> Iterator[str]:
    server = _BadServer(("127.0.0.1", 0), _BadHandler)
    server.release = threading.Event()
    # 64 MiB of zeros in 64 KiB; the tests cap decompression at 1 MiB (the default cap is 256 MiB).
    server.bomb = gzip.compress(b"\0" * (64 << 20), compresslevel=6)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    return env


@pytest.fixture(scope="session")
def capped_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real pprof debug=2 dump of 150,000 goroutines: more than the runtime's 64 MiB cap, so cut."""
    out = tmp_path_factory.mktemp("big")
    binary = _build("bigdump", out)
    path = out / "capped.txt"
    proc = subprocess.run(
        [str(binary), "-n", "150000", "-pprof", "-out", str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=go_env(),
    )
    assert proc.returncode == 0, proc.stderr
    return path


@pytest.fixture(scope="session")
def sigquit_dump(leaky_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What a service prints on SIGQUIT (kill -QUIT): every goroutine, then exit status 2."""
    proc = subprocess.Popen(
        [str(leaky_bin), "-serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=go_env(),
    )
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], 60)
    line = proc.stdout.readline().decode()
    assert ready and line.startswith("listening on ")
    # One request proves the accept loop is running (the line is printed just before it starts).
    url = line.removeprefix("listening on ").strip() + "/debug/pprof/"
    with urllib.request.urlopen(url, timeout=30) as r:
        r.read()
    proc.send_signal(signal.SIGQUIT)
    _, err = proc.communicate(timeout=60)
    path = tmp_path_factory.mktemp("sigquit") / "sigquit.txt"
    path.write_bytes(err)
    return path
